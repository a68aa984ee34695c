// SPDX-License-Identifier: MIT
/*
 * Profiles: a resolved feature set with its revision and how it came to be
 * (the spec, what dependency closure changed, what the base already broke),
 * and the JSON profile format (schema "mshvcpu-profile/1"):
 *
 *   { "schema": "mshvcpu-profile/1",
 *     "name": "x86-64-v3,+aes", "revision": "hv-2026", "vendor": "any",
 *     "provenance": "..." | null,
 *     "enabled": { "bank0": "0x...", "bank1": "0x...", "bank2": "0x..." | null,
 *                  "xsave": "0x..." },
 *     "features": { "bank0": ["sse3", ...], ... } }
 *
 * "enabled" is authoritative; "features" (optional on input) is for people
 * and must agree with it when present. "name" and "provenance" are written
 * escaped (mshvcpu_text_escape()): the spec may hold a control character
 * or a path's bytes that are not UTF-8, which no reader takes. Profiles
 * written before "schema" have "format": "mshvcpu-profile", "version": 1
 * instead; they read the same.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "profile.h"

struct mshvcpu_profile *profile_new(const char *spec, enum mshvcpu_revision rev)
{
	struct mshvcpu_profile *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->spec = strdup(spec ? spec : "");
	if (!p->spec) {
		free(p);
		return NULL;
	}
	p->revision = revision_resolve(rev);
	mshvcpu_featureset_init(&p->features, MSHVCPU_VENDOR_ANY);
	return p;
}

void mshvcpu_profile_free(struct mshvcpu_profile *p)
{
	if (!p)
		return;
	free(p->spec);
	free(p->provenance);
	free(p->changes);
	free(p->base_violations);
	free(p);
}

int profile_set_provenance(struct mshvcpu_profile *p, const char *provenance)
{
	char *copy = NULL;

	if (provenance && !(copy = strdup(provenance)))
		return -ENOMEM;
	free(p->provenance);
	p->provenance = copy;
	return 0;
}

int profile_add_change(struct mshvcpu_profile *p, const struct mshvcpu_change *c)
{
	struct mshvcpu_change *grown;

	grown = realloc(p->changes, (p->nchanges + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	grown[p->nchanges++] = *c;
	p->changes = grown;
	return 0;
}

int profile_note_base_violations(struct mshvcpu_profile *p)
{
	size_t n = mshvcpu_deps_check(&p->features, NULL, 0);

	free(p->base_violations);
	p->base_violations = NULL;
	p->nbase_violations = 0;
	if (!n)
		return 0;
	p->base_violations = calloc(n, sizeof(*p->base_violations));
	if (!p->base_violations)
		return -ENOMEM;
	p->nbase_violations = mshvcpu_deps_check(&p->features, p->base_violations, n);
	return 0;
}

const struct mshvcpu_featureset *
mshvcpu_profile_features(const struct mshvcpu_profile *p)
{
	return &p->features;
}

enum mshvcpu_revision mshvcpu_profile_revision(const struct mshvcpu_profile *p)
{
	return p->revision;
}

const char *mshvcpu_profile_spec(const struct mshvcpu_profile *p)
{
	return p->spec;
}

const char *mshvcpu_profile_provenance(const struct mshvcpu_profile *p)
{
	return p->provenance;
}

size_t mshvcpu_profile_changes(const struct mshvcpu_profile *p,
			       struct mshvcpu_change *out, size_t max)
{
	size_t i;

	for (i = 0; i < p->nchanges && i < max; i++)
		out[i] = p->changes[i];
	return p->nchanges;
}

size_t mshvcpu_profile_base_violations(const struct mshvcpu_profile *p,
				       struct mshvcpu_violation *out, size_t max)
{
	size_t i;

	for (i = 0; i < p->nbase_violations && i < max; i++)
		out[i] = p->base_violations[i];
	return p->nbase_violations;
}

int mshvcpu_profile_from_featureset(const struct mshvcpu_featureset *set,
				    const char *name, enum mshvcpu_revision rev,
				    struct mshvcpu_profile **out)
{
	struct mshvcpu_profile *p = profile_new(name, rev);
	int ret;

	*out = NULL;
	if (!p)
		return -ENOMEM;
	p->features = *set;
	ret = profile_note_base_violations(p);
	if (ret) {
		mshvcpu_profile_free(p);
		return ret;
	}
	*out = p;
	return 0;
}

int mshvcpu_profile_to_json(const struct mshvcpu_profile *p, bool pretty,
			    char **out)
{
	struct json_object *root = json_object_new_object();
	int ret;

	json_object_object_add(root, "schema", json_new_schema(JSON_SCHEMA_PROFILE));
	/* Escaped: a spec may hold what readers refuse (a path's bytes, a tab). */
	json_object_object_add(root, "name", json_new_text(p->spec, strlen(p->spec), 0));
	json_object_object_add(root, "revision",
			       json_object_new_string(mshvcpu_revision_name(p->revision)));
	json_object_object_add(root, "vendor",
			       json_object_new_string(mshvcpu_vendor_name(p->features.vendor)));
	json_object_object_add(root, "provenance",
			       p->provenance ?
			       json_new_text(p->provenance, strlen(p->provenance), 0) : NULL);
	json_object_object_add(root, "enabled", json_new_words(&p->features));
	json_object_object_add(root, "features",
			       json_new_feature_names(&p->features, p->revision));
	ret = json_to_owned_string(root, pretty, out);
	json_object_put(root);
	return ret;
}

static int profile_from_doc(const struct json_doc *doc, struct mshvcpu_profile **out,
			    struct mshvcpu_error *err)
{
	struct json_object *root = NULL, *v;
	const char *name = NULL, *rev_name = NULL, *vendor_name = NULL, *prov = NULL;
	enum mshvcpu_revision rev = MSHVCPU_REV_LATEST;
	enum mshvcpu_vendor vendor = MSHVCPU_VENDOR_ANY;
	struct mshvcpu_profile *p = NULL;
	int ret;

	*out = NULL;
	ret = json_doc_parse(doc, &root, err);
	if (ret)
		return ret;
	ret = json_check_schema(doc, root, JSON_SCHEMA_PROFILE, err);
	if (ret)
		goto out;
	if ((ret = json_get_string(doc, root, "name", &name, err)) ||
	    (ret = json_get_string(doc, root, "revision", &rev_name, err)) ||
	    (ret = json_get_string(doc, root, "vendor", &vendor_name, err)) ||
	    (ret = json_get_string(doc, root, "provenance", &prov, err)))
		goto out;
	if (rev_name && mshvcpu_revision_parse(rev_name, &rev)) {
		ret = json_doc_error(doc, err, NULL, "revision",
				     "unknown revision \"%s\" (linux-6.19, hv-2026)", rev_name);
		goto out;
	}
	if (vendor_name && mshvcpu_vendor_parse(vendor_name, &vendor)) {
		ret = json_doc_error(doc, err, NULL, "vendor",
				     "unknown vendor \"%s\" (any, intel, amd, hygon, arm)",
				     vendor_name);
		goto out;
	}
	p = profile_new(name ? name : doc->source, rev);
	if (!p) {
		ret = set_error(err, -ENOMEM, "out of memory");
		goto out;
	}
	p->features.vendor = vendor;
	if (!json_object_object_get_ex(root, "enabled", &v)) {
		ret = json_doc_error(doc, err, NULL, NULL, "profile lacks \"enabled\"");
		goto out;
	}
	ret = json_read_words(doc, v, "enabled", &p->features, err);
	if (ret)
		goto out;
	if (json_object_object_get_ex(root, "features", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		ret = json_check_feature_names(doc, v, &p->features, p->revision, err);
		if (ret)
			goto out;
	}
	ret = profile_set_provenance(p, prov);
	if (!ret)
		ret = profile_note_base_violations(p);
	if (ret)
		goto out;
	*out = p;
	p = NULL;
out:
	mshvcpu_profile_free(p);
	json_object_put(root);
	return ret;
}

int mshvcpu_profile_from_json(const char *text, size_t len, const char *source,
			      struct mshvcpu_profile **out, struct mshvcpu_error *err)
{
	struct json_doc doc = { text, len, source ? source : "-", 1 };

	return profile_from_doc(&doc, out, err);
}

/* Read a whole file; refuses anything over 64 MiB (no profile is that big). */
int read_file(const char *path, char **text, size_t *len, struct mshvcpu_error *err)
{
	enum { MAX_FILE = 64 << 20 };
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *grown;
	FILE *f;

	*text = NULL;
	if (!buf)
		return set_error(err, -ENOMEM, "out of memory");
	f = fopen(path, "rb");
	if (!f) {
		int e = errno;

		free(buf);
		return set_error_at(err, -e, path, 0, 0, "cannot open %s: %s", path,
				    strerror(e));
	}
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (n < cap) {
			if (ferror(f)) {
				int e = errno ? errno : EIO;

				fclose(f);
				free(buf);
				return set_error_at(err, -e, path, 0, 0, "cannot read %s: %s",
						    path, strerror(e));
			}
			break;
		}
		if (cap >= MAX_FILE) {
			fclose(f);
			free(buf);
			return set_error_at(err, -EFBIG, path, 0, 0,
					    "%s is larger than 64 MiB", path);
		}
		cap *= 2;
		grown = realloc(buf, cap);
		if (!grown) {
			fclose(f);
			free(buf);
			return set_error(err, -ENOMEM, "out of memory");
		}
		buf = grown;
	}
	fclose(f);
	*text = buf;
	*len = n;
	return 0;
}

int mshvcpu_profile_load(const char *path, struct mshvcpu_profile **out,
			 struct mshvcpu_error *err)
{
	size_t len;
	char *text;
	int ret;

	*out = NULL;
	ret = read_file(path, &text, &len, err);
	if (ret)
		return ret;
	ret = mshvcpu_profile_from_json(text, len, path, out, err);
	free(text);
	return ret;
}
