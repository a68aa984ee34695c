// SPDX-License-Identifier: MIT
/*
 * Partition records as JSON (schema "mshvcpu-partition/1"): what a VMM
 * keeps about a running guest, and what `check-migration` reads.
 *
 *   { "schema": "mshvcpu-partition/1",
 *     "spec": "x86-64-v3", "revision": "hv-2026", "policy": "migration-safe",
 *     "create_flags": ["lapic", "x2apic"], "create_struct": "v2",
 *     "pt_flags": "0xb", "vendor": "intel",
 *     "requested": <words>, "effective": <words>, "dropped": <words>,
 *     "masks": { "disabled_banks": ["0x...", "0x..."], "disabled_xsave": "0x...",
 *                "disabled_bank2": "0x..." | null },
 *     "xsave_states": "0x2e7", "max_xsave_data_size": 2696,
 *     "features": { "requested": {...}, "effective": {...}, "dropped": {...} } }
 *
 * <words> as in host records. "features" is for people and not read back.
 * "spec" is written escaped (mshvcpu_text_escape()), so it always reads back.
 * Records written before "schema" have "format": "mshvcpu-partition",
 * "version": 1 instead; they read the same.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static const struct {
	unsigned int flag;
	const char *name;
} create_flag_names[] = {
	{ MSHVCPU_CREATE_LAPIC, "lapic" },
	{ MSHVCPU_CREATE_X2APIC, "x2apic" },
	{ MSHVCPU_CREATE_GPA_SUPER_PAGES, "gpa-super-pages" },
	{ MSHVCPU_CREATE_NESTED, "nested" },
	{ MSHVCPU_CREATE_SMT, "smt" },
};

int mshvcpu_partition_record_to_json(const struct mshvcpu_partition_record *rec,
				     bool pretty, char **out)
{
	struct json_object *root = json_object_new_object();
	struct json_object *flags = json_object_new_array();
	struct json_object *masks = json_object_new_object();
	struct json_object *banks = json_object_new_array();
	struct json_object *names = json_object_new_object();
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(create_flag_names); i++)
		if (rec->create_flags & create_flag_names[i].flag)
			json_object_array_add(flags,
					      json_object_new_string(create_flag_names[i].name));
	json_object_array_add(banks, json_new_u64(rec->masks.disabled_banks[0]));
	json_object_array_add(banks, json_new_u64(rec->masks.disabled_banks[1]));
	json_object_object_add(masks, "disabled_banks", banks);
	json_object_object_add(masks, "disabled_xsave", json_new_u64(rec->masks.disabled_xsave));
	json_object_object_add(masks, "disabled_bank2",
			       rec->masks.set_bank2 ? json_new_u64(rec->masks.disabled_bank2) : NULL);

	json_object_object_add(names, "requested",
			       json_new_feature_names(&rec->requested, rec->revision));
	json_object_object_add(names, "effective",
			       json_new_feature_names(&rec->effective, rec->revision));
	json_object_object_add(names, "dropped",
			       json_new_feature_names(&rec->dropped, rec->revision));

	json_object_object_add(root, "schema", json_new_schema(JSON_SCHEMA_PARTITION));
	json_object_object_add(root, "spec", json_new_text(rec->spec ? rec->spec : "",
							   rec->spec ? strlen(rec->spec) : 0, 0));
	json_object_object_add(root, "revision",
			       json_object_new_string(mshvcpu_revision_name(rec->revision)));
	json_object_object_add(root, "policy",
			       json_object_new_string(mshvcpu_policy_name(rec->policy)));
	json_object_object_add(root, "create_flags", flags);
	json_object_object_add(root, "create_struct",
			       json_object_new_string(rec->create_struct == MSHVCPU_CREATE_V1 ?
						      "v1" : "v2"));
	json_object_object_add(root, "pt_flags", json_new_u64(rec->pt_flags));
	json_object_object_add(root, "vendor",
			       json_object_new_string(mshvcpu_vendor_name(rec->effective.vendor)));
	json_object_object_add(root, "requested", json_new_words(&rec->requested));
	json_object_object_add(root, "effective", json_new_words(&rec->effective));
	json_object_object_add(root, "dropped", json_new_words(&rec->dropped));
	json_object_object_add(root, "masks", masks);
	json_object_object_add(root, "xsave_states", json_new_u64(rec->xsave_states));
	json_object_object_add(root, "max_xsave_data_size",
			       json_object_new_int64(rec->max_xsave_data_size));
	json_object_object_add(root, "features", names);
	ret = json_to_owned_string(root, pretty, out);
	json_object_put(root);
	return ret;
}

static int read_u64_member(const struct json_doc *doc, struct json_object *obj,
			   const char *parent, const char *key, bool nullable,
			   uint64_t *out, bool *present, struct mshvcpu_error *err)
{
	struct json_object *v;

	*out = 0;
	if (present)
		*present = false;
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null)) {
		if (nullable)
			return 0;
		return json_doc_error(doc, err, parent, key, "\"%s\" is required", key);
	}
	if (!json_object_is_type(v, json_type_string) ||
	    json_parse_u64(json_object_get_string(v), out))
		return json_doc_error(doc, err, parent, key,
				      "\"%s\" must be a \"0x...\" string", key);
	if (present)
		*present = true;
	return 0;
}

static int read_masks(const struct json_doc *doc, struct json_object *root,
		      struct mshvcpu_masks *m, struct mshvcpu_error *err)
{
	struct json_object *masks, *banks, *b;
	int ret;
	size_t i;

	if (!json_object_object_get_ex(root, "masks", &masks) ||
	    !json_object_is_type(masks, json_type_object))
		return json_doc_error(doc, err, NULL, "masks", "\"masks\" must be an object");
	if (!json_object_object_get_ex(masks, "disabled_banks", &banks) ||
	    !json_object_is_type(banks, json_type_array) ||
	    json_object_array_length(banks) != 2)
		return json_doc_error(doc, err, "masks", "disabled_banks",
				      "\"disabled_banks\" must be an array of two \"0x...\" strings");
	for (i = 0; i < 2; i++) {
		b = json_object_array_get_idx(banks, i);
		if (!json_object_is_type(b, json_type_string) ||
		    json_parse_u64(json_object_get_string(b), &m->disabled_banks[i]))
			return json_doc_error(doc, err, "masks", "disabled_banks",
					      "\"disabled_banks\" must be an array of two \"0x...\" strings");
	}
	ret = read_u64_member(doc, masks, "masks", "disabled_xsave", false,
			      &m->disabled_xsave, NULL, err);
	if (!ret)
		ret = read_u64_member(doc, masks, "masks", "disabled_bank2", true,
				      &m->disabled_bank2, &m->set_bank2, err);
	return ret;
}

static int read_set(const struct json_doc *doc, struct json_object *root, const char *key,
		    enum mshvcpu_vendor vendor, struct mshvcpu_featureset *set,
		    struct mshvcpu_error *err)
{
	struct json_object *v;

	if (!json_object_object_get_ex(root, key, &v))
		return json_doc_error(doc, err, NULL, NULL, "partition record lacks \"%s\"", key);
	set->vendor = vendor;
	return json_read_words(doc, v, key, set, err);
}

int mshvcpu_partition_record_from_json(const char *text, size_t len, const char *source,
				       struct mshvcpu_partition_record *rec,
				       struct mshvcpu_error *err)
{
	struct json_doc doc = { text, len, source ? source : "-", 1 };
	struct json_object *root = NULL, *v;
	const char *spec, *rev, *policy, *vendor, *cstruct;
	enum mshvcpu_vendor vendor_value;
	uint64_t n;
	size_t i, k;
	int ret;

	memset(rec, 0, sizeof(*rec));
	ret = json_doc_parse(&doc, &root, err);
	if (ret)
		return ret;
	ret = json_check_schema(&doc, root, JSON_SCHEMA_PARTITION, err);
	if (ret)
		goto out;
	if ((ret = json_get_string(&doc, root, "spec", &spec, err)) ||
	    (ret = json_get_string(&doc, root, "revision", &rev, err)) ||
	    (ret = json_get_string(&doc, root, "policy", &policy, err)) ||
	    (ret = json_get_string(&doc, root, "vendor", &vendor, err)) ||
	    (ret = json_get_string(&doc, root, "create_struct", &cstruct, err)))
		goto out;
	rec->spec = strdup(spec ? spec : "");
	if (!rec->spec) {
		ret = set_error(err, -ENOMEM, "out of memory");
		goto out;
	}
	if (!rev || mshvcpu_revision_parse(rev, &rec->revision)) {
		ret = json_doc_error(&doc, err, NULL, "revision",
				     "\"revision\" must be linux-6.19 or hv-2026");
		goto out;
	}
	if (!policy || mshvcpu_policy_parse(policy, &rec->policy)) {
		ret = json_doc_error(&doc, err, NULL, "policy",
				     "\"policy\" must be forward-compatible or migration-safe");
		goto out;
	}
	if (!vendor || mshvcpu_vendor_parse(vendor, &vendor_value)) {
		ret = json_doc_error(&doc, err, NULL, "vendor",
				     "\"vendor\" must be one of any, intel, amd, hygon, arm");
		goto out;
	}
	if (!cstruct || (strcmp(cstruct, "v1") && strcmp(cstruct, "v2"))) {
		ret = json_doc_error(&doc, err, NULL, "create_struct",
				     "\"create_struct\" must be \"v1\" or \"v2\"");
		goto out;
	}
	rec->create_struct = strcmp(cstruct, "v1") == 0 ? MSHVCPU_CREATE_V1 : MSHVCPU_CREATE_V2;
	if (json_object_object_get_ex(root, "create_flags", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_array)) {
			ret = json_doc_error(&doc, err, NULL, "create_flags",
					     "\"create_flags\" must be an array of names");
			goto out;
		}
		for (i = 0; i < json_object_array_length(v); i++) {
			struct json_object *e = json_object_array_get_idx(v, i);
			const char *name = json_object_get_string(e);

			for (k = 0; k < ARRAY_SIZE(create_flag_names); k++)
				if (json_object_is_type(e, json_type_string) &&
				    strcmp(name, create_flag_names[k].name) == 0)
					break;
			if (k == ARRAY_SIZE(create_flag_names)) {
				ret = json_doc_error(&doc, err, NULL, "create_flags",
						     "unknown create flag in \"create_flags\" "
						     "(lapic, x2apic, gpa-super-pages, nested, smt)");
				goto out;
			}
			rec->create_flags |= create_flag_names[k].flag;
		}
	}
	if ((ret = read_u64_member(&doc, root, NULL, "pt_flags", false, &rec->pt_flags, NULL, err)) ||
	    (ret = read_set(&doc, root, "requested", vendor_value, &rec->requested, err)) ||
	    (ret = read_set(&doc, root, "effective", vendor_value, &rec->effective, err)) ||
	    (ret = read_set(&doc, root, "dropped", vendor_value, &rec->dropped, err)) ||
	    (ret = read_masks(&doc, root, &rec->masks, err)) ||
	    (ret = read_u64_member(&doc, root, NULL, "xsave_states", true, &rec->xsave_states,
				   NULL, err)))
		goto out;
	if (json_object_object_get_ex(root, "max_xsave_data_size", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_int) ||
		    (n = (uint64_t)json_object_get_int64(v)) > UINT32_MAX ||
		    json_object_get_int64(v) < 0) {
			ret = json_doc_error(&doc, err, NULL, "max_xsave_data_size",
					     "\"max_xsave_data_size\" must be an integer 0..4294967295");
			goto out;
		}
		rec->max_xsave_data_size = (uint32_t)n;
	}
out:
	json_object_put(root);
	if (ret)
		mshvcpu_partition_record_clear(rec);
	return ret;
}

int mshvcpu_partition_record_load(const char *path, struct mshvcpu_partition_record *rec,
				  struct mshvcpu_error *err)
{
	size_t len;
	char *text;
	int ret;

	memset(rec, 0, sizeof(*rec));
	ret = read_file(path, &text, &len, err);
	if (ret)
		return ret;
	ret = mshvcpu_partition_record_from_json(text, len, path, rec, err);
	free(text);
	return ret;
}
