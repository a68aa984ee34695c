// SPDX-License-Identifier: MIT
/*
 * Host records: what a host offers, as JSON (schema "mshvcpu-host/1"):
 *
 *   { "schema": "mshvcpu-host/1", "name": "node17",
 *     "source": "hypervisor", "source_detail": "...", "vendor": "intel",
 *     "offered": { "bank0": "0x...", "bank1": "0x...", "bank2": null,
 *                  "xsave": "0x..." },
 *     "xsave_states": "0x2e7", "max_xsave_data_size": 2696,
 *     "physical_address_width": 46,
 *     "features": { "bank0": ["sse3", ...], ... } }
 *
 * A word is "0x..." when every bit is known, null when nothing is, or
 * {"enabled": "0x...", "known": "0x..."} in between. "features" is for
 * people (optional on input; must agree with "offered" when present). One
 * record per line makes a JSON Lines stream of hosts. Records written before
 * "schema" have "format": "mshvcpu-host", "version": 1 instead; they read
 * the same (json_check_schema()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "models.h"

int mshvcpu_host_to_json(const struct mshvcpu_host *host, bool pretty, char **out)
{
	struct json_object *root = json_object_new_object();
	int ret;

	json_object_object_add(root, "schema", json_new_schema(JSON_SCHEMA_HOST));
	/* Escaped, and cut to the fields' limits: what is written reads back. */
	json_object_object_add(root, "name",
			       json_new_text(host->name, strnlen(host->name, sizeof(host->name)),
					     sizeof(host->name) - 1));
	json_object_object_add(root, "source",
			       json_object_new_string(mshvcpu_host_source_name(host->source)));
	json_object_object_add(root, "source_detail",
			       json_new_text(host->source_detail,
					     strnlen(host->source_detail, sizeof(host->source_detail)),
					     sizeof(host->source_detail) - 1));
	json_object_object_add(root, "vendor",
			       json_object_new_string(mshvcpu_vendor_name(host->offered.vendor)));
	json_object_object_add(root, "offered", json_new_words(&host->offered));
	json_object_object_add(root, "xsave_states",
			       host->xsave_states ? json_new_u64(host->xsave_states) : NULL);
	json_object_object_add(root, "max_xsave_data_size",
			       host->max_xsave_data_size ?
			       json_object_new_int64(host->max_xsave_data_size) : NULL);
	json_object_object_add(root, "physical_address_width",
			       host->physical_address_width ?
			       json_object_new_int64(host->physical_address_width) : NULL);
	json_object_object_add(root, "features",
			       json_new_feature_names(&host->offered, MSHVCPU_REV_LATEST));
	ret = json_to_owned_string(root, pretty, out);
	json_object_put(root);
	return ret;
}

void host_record_set_text(struct mshvcpu_host *host, const char *name, size_t name_len,
			  const char *detail, size_t detail_len)
{
	mshvcpu_text_escape(host->name, sizeof(host->name), name, name_len);
	mshvcpu_text_escape(host->source_detail, sizeof(host->source_detail), detail, detail_len);
}

static int get_uint(const struct json_doc *doc, struct json_object *root, const char *key,
		    uint64_t max, uint64_t *out, struct mshvcpu_error *err)
{
	struct json_object *v;
	int64_t n;

	*out = 0;
	if (!json_object_object_get_ex(root, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return json_doc_error(doc, err, NULL, key, "\"%s\" must be an integer", key);
	n = json_object_get_int64(v);
	/* json-c saturates out-of-range integers at INT64_MAX/MIN. */
	if (n < 0 || (uint64_t)n > max)
		return json_doc_error(doc, err, NULL, key,
				      "\"%s\" must be between 0 and %llu", key,
				      (unsigned long long)max);
	*out = (uint64_t)n;
	return 0;
}

int host_from_doc(const struct json_doc *doc, struct mshvcpu_host *host,
		  struct mshvcpu_error *err)
{
	struct json_object *root = NULL, *v;
	const char *name, *vendor, *source, *detail, *states;
	enum mshvcpu_vendor vendor_value;
	unsigned int s;
	uint64_t n;
	int ret;

	memset(host, 0, sizeof(*host));
	ret = json_doc_parse(doc, &root, err);
	if (ret)
		return ret;
	ret = json_check_schema(doc, root, JSON_SCHEMA_HOST, err);
	if (ret)
		goto out;
	if ((ret = json_get_string(doc, root, "name", &name, err)) ||
	    (ret = json_get_string(doc, root, "vendor", &vendor, err)) ||
	    (ret = json_get_string(doc, root, "source", &source, err)) ||
	    (ret = json_get_string(doc, root, "source_detail", &detail, err)) ||
	    (ret = json_get_string(doc, root, "xsave_states", &states, err)))
		goto out;
	if (!vendor || mshvcpu_vendor_parse(vendor, &vendor_value)) {
		ret = json_doc_error(doc, err, NULL, "vendor",
				     "\"vendor\" must be one of any, intel, amd, hygon, arm");
		goto out;
	}
	host->source = MSHVCPU_SOURCE_RECORD;
	if (source) {
		for (s = 0; s < MSHVCPU_SOURCE_COUNT; s++)
			if (strcmp(source, mshvcpu_host_source_name(s)) == 0)
				break;
		if (s == MSHVCPU_SOURCE_COUNT) {
			ret = json_doc_error(doc, err, NULL, "source",
					     "unknown source \"%s\" (hypervisor, cpuid, record, model)",
					     source);
			goto out;
		}
		host->source = s;
	}
	/*
	 * A name identifies a host: one too long for the field is refused, not
	 * cut. A detail is cut between characters, marked "..." (the source,
	 * a path, is escaped as well).
	 */
	if (name && strlen(name) >= sizeof(host->name)) {
		ret = json_doc_error(doc, err, NULL, "name",
				     "\"name\" is %zu bytes; a host name is at most %zu",
				     strlen(name), sizeof(host->name) - 1);
		goto out;
	}
	if (!name)
		name = doc->source;
	if (!detail)
		detail = "";
	host_record_set_text(host, name, strlen(name), detail, strlen(detail));
	if (!json_object_object_get_ex(root, "offered", &v)) {
		ret = json_doc_error(doc, err, NULL, NULL, "host record lacks \"offered\"");
		goto out;
	}
	host->offered.vendor = vendor_value;
	ret = json_read_words(doc, v, "offered", &host->offered, err);
	if (ret)
		goto out;
	if (states && json_parse_u64(states, &host->xsave_states)) {
		ret = json_doc_error(doc, err, NULL, "xsave_states",
				     "\"xsave_states\" must be a \"0x...\" string");
		goto out;
	}
	if ((ret = get_uint(doc, root, "max_xsave_data_size", UINT32_MAX, &n, err)))
		goto out;
	host->max_xsave_data_size = (uint32_t)n;
	if ((ret = get_uint(doc, root, "physical_address_width", 64, &n, err)))
		goto out;
	host->physical_address_width = (uint32_t)n;
	if (json_object_object_get_ex(root, "features", &v) &&
	    !json_object_is_type(v, json_type_null))
		ret = json_check_feature_names(doc, v, &host->offered, MSHVCPU_REV_LATEST, err);
out:
	json_object_put(root);
	return ret;
}

int mshvcpu_host_from_json(const char *text, size_t len, const char *source,
			   unsigned int first_line, struct mshvcpu_host *host,
			   struct mshvcpu_error *err)
{
	struct json_doc doc = { text, len, source ? source : "-", first_line ? first_line : 1 };

	if (host_from_json_fast(text, len, doc.source, host) == 0)
		return 0;
	return host_from_doc(&doc, host, err);
}

int mshvcpu_host_load(const char *path_or_spec, struct mshvcpu_host *host,
		      struct mshvcpu_error *err)
{
	struct mshvcpu_profile *p = NULL;
	const struct model *m;
	size_t len;
	char *text;
	int ret;

	/* A file wins; otherwise a named model or literal words. */
	if (access(path_or_spec, F_OK) == 0) {
		ret = read_file(path_or_spec, &text, &len, err);
		if (ret)
			return ret;
		ret = mshvcpu_host_from_json(text, len, path_or_spec, 1, host, err);
		free(text);
		return ret;
	}
	m = model_find(path_or_spec);
	if (!m && !strchr(path_or_spec, ':'))
		return set_error_at(err, -ENOENT, path_or_spec, 0, 0,
				    "%s: no such host record file, model or VENDOR:... words",
				    path_or_spec);
	ret = mshvcpu_profile_parse(path_or_spec, NULL, &p, err);
	if (ret)
		return ret;
	memset(host, 0, sizeof(*host));
	mshvcpu_text_escape(host->name, sizeof(host->name), path_or_spec, strlen(path_or_spec));
	host->source = MSHVCPU_SOURCE_MODEL;
	host->offered = *mshvcpu_profile_features(p);
	/* No record of the real XSAVE size: derive it from the xsave word. */
	host->xsave_states = xsave_components_of(&host->offered);
	host->max_xsave_data_size = xsave_standard_size(host->xsave_states);
	text_printf(host->source_detail, sizeof(host->source_detail),
		    "%s; XSAVE size derived from the xsave word",
		    mshvcpu_profile_provenance(p) ? mshvcpu_profile_provenance(p) : "literal words");
	mshvcpu_profile_free(p);
	return 0;
}
