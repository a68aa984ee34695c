// SPDX-License-Identifier: MIT
/*
 * The profile spec language:
 *
 *   spec     := base ( "," modifier )*
 *   modifier := ( "+" | "-" ) feature-name
 *   base     := "host" | "all" | "none" | model-name | "@" path |
 *               vendor ":" hex ":" hex ":" hex [ ":" hex ]
 *
 * Literal words are BANK0:BANK1:XSAVE[:BANK2] in the enabled sense, as
 * `mshvcpu host` prints them. Modifiers apply left to right with dependency
 * closure (enabling pulls prerequisites in, disabling drops dependents),
 * every change recorded; strict mode applies them bare and rejects the
 * result if it breaks a rule. Errors point at the column of the spec.
 */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "models.h"
#include "opts.h"
#include "profile.h"

#define SPEC "spec"

struct token {
	const char *text;	/* not NUL-terminated */
	size_t len;
	unsigned int column;	/* 1-based */
};

struct modifier {
	const struct mshvcpu_feature *feature;
	bool enable;
	unsigned int column;
};

static void trim(struct token *t)
{
	while (t->len && isspace((unsigned char)t->text[0])) {
		t->text++;
		t->len--;
		t->column++;
	}
	while (t->len && isspace((unsigned char)t->text[t->len - 1]))
		t->len--;
}

static bool token_is(const struct token *t, const char *word)
{
	return strlen(word) == t->len && strncasecmp(t->text, word, t->len) == 0;
}

static char *token_dup(const struct token *t)
{
	return strndup(t->text, t->len);
}

/*
 * Bases a user might have meant, for "did you mean": a base that contains
 * what was typed ("skylake" -> mshv-skylake-sp), or shares a long prefix.
 */
static void suggest_base(const char *typed, char *out, size_t len)
{
	static const char *const keywords[] = { "host", "all", "none" };
	size_t i, n = ARRAY_SIZE(keywords) + mshvcpu_model_count(), used = 0;
	unsigned int shown = 0;

	out[0] = '\0';
	if (strlen(typed) < 3)
		return;
	for (i = 0; i < n && shown < 3; i++) {
		const char *cand = i < ARRAY_SIZE(keywords) ? keywords[i]
							    : model_at(i - ARRAY_SIZE(keywords))->name;
		size_t k;

		for (k = 0; typed[k] && tolower((unsigned char)typed[k]) == cand[k]; k++)
			;
		if (!strcasestr(cand, typed) && k < 4)
			continue;
		used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s%s",
					 shown ? ", " : " (did you mean ", cand);
		shown++;
	}
	if (shown && used < len)
		snprintf(out + used, len - used, "?)");
}

static int parse_literal(const struct token *base, struct mshvcpu_featureset *set,
			 struct mshvcpu_error *err)
{
	static const enum mshvcpu_word order[] = {
		MSHVCPU_WORD_BANK0, MSHVCPU_WORD_BANK1, MSHVCPU_WORD_XSAVE,
		MSHVCPU_WORD_BANK2,
	};
	struct token parts[6];
	size_t nparts = 0, i;
	const char *p = base->text, *end = base->text + base->len;
	enum mshvcpu_vendor vendor;
	char vname[16];

	/* Six slots: a sixth field means too many, and is reported as such. */
	while (nparts < ARRAY_SIZE(parts)) {
		const char *colon = memchr(p, ':', (size_t)(end - p));
		size_t len = colon ? (size_t)(colon - p) : (size_t)(end - p);

		parts[nparts] = (struct token){ p, len,
			base->column + (unsigned int)(p - base->text) };
		trim(&parts[nparts]);
		nparts++;
		if (!colon)
			break;
		p = colon + 1;
	}
	if (nparts < 4 || nparts > 5)
		return set_error_at(err, -EINVAL, SPEC, 1, base->column,
				    "literal words are VENDOR:BANK0:BANK1:XSAVE[:BANK2] (got %zu fields)",
				    nparts);
	snprintf(vname, sizeof(vname), "%.*s", (int)parts[0].len, parts[0].text);
	if (parts[0].len >= sizeof(vname) || mshvcpu_vendor_parse(vname, &vendor))
		return set_error_at(err, -EINVAL, SPEC, 1, parts[0].column,
				    "unknown vendor '%.*s' (intel, amd, hygon, arm, any)",
				    (int)parts[0].len, parts[0].text);
	mshvcpu_featureset_init(set, vendor);
	set->known[MSHVCPU_WORD_BANK2] = 0;
	for (i = 1; i < nparts; i++) {
		enum mshvcpu_word w = order[i - 1];

		if (mshvcpu_hex_word_parse(parts[i].text, parts[i].len, &set->enabled[w]))
			return set_error_at(err, -EINVAL, SPEC, 1, parts[i].column,
					    "'%.*s' is not a 64-bit hex word (%s)",
					    (int)parts[i].len, parts[i].text,
					    mshvcpu_word_name(w));
		set->known[w] = ~0ULL;
	}
	return 0;
}

static int resolve_base(struct mshvcpu_profile *p, const struct token *base,
			const struct mshvcpu_profile_opts *opts,
			struct mshvcpu_error *err)
{
	const struct model *m;
	char *name;
	int ret = 0;

	if (base->len == 0)
		return set_error_at(err, -EINVAL, SPEC, 1, base->column,
				    "empty spec: expected a base (host, all, none, a model, @file, or words)");
	if (token_is(base, "all")) {
		mshvcpu_featureset_init_all(&p->features, MSHVCPU_VENDOR_ANY);
		return 0;
	}
	if (token_is(base, "none")) {
		mshvcpu_featureset_init(&p->features, MSHVCPU_VENDOR_ANY);
		return 0;
	}
	if (token_is(base, "host")) {
		const struct mshvcpu_host *host = OPTS_GET(opts, host, NULL);
		struct mshvcpu_host probed;
		char prov[256];

		if (!host) {
			ret = mshvcpu_host_probe(NULL, &probed, err);
			if (ret)
				return ret;
			host = &probed;
		}
		p->features = host->offered;
		snprintf(prov, sizeof(prov), "host %s (source: %s)", host->name,
			 mshvcpu_host_source_name(host->source));
		return profile_set_provenance(p, prov);
	}
	if (base->text[0] == '@') {
		struct mshvcpu_profile *file = NULL;
		struct token path = { base->text + 1, base->len - 1, base->column + 1 };

		name = token_dup(&path);
		if (!name)
			return set_error(err, -ENOMEM, "out of memory");
		ret = mshvcpu_profile_load(name, &file, err);
		free(name);
		if (ret)
			return ret;
		p->features = file->features;
		if (!(OPTS_HAS(opts, revision) && opts->revision))
			p->revision = file->revision;
		ret = profile_set_provenance(p, file->provenance);
		mshvcpu_profile_free(file);
		return ret;
	}
	if (memchr(base->text, ':', base->len))
		return parse_literal(base, &p->features, err);

	name = token_dup(base);
	if (!name)
		return set_error(err, -ENOMEM, "out of memory");
	m = model_find(name);
	if (!m) {
		char hint[160];

		suggest_base(name, hint, sizeof(hint));
		ret = set_error_at(err, -EINVAL, SPEC, 1, base->column,
				   "unknown base '%s'%s; bases: host, all, none, a model "
				   "(mshvcpu features --models), @file.json, or VENDOR:BANK0:BANK1:XSAVE[:BANK2]",
				   name, hint);
		free(name);
		return ret;
	}
	free(name);
	ret = model_featureset(m, &p->features);
	if (!ret)
		ret = profile_set_provenance(p, m->provenance);
	return ret;
}

static int unknown_feature_error(const struct token *name, enum mshvcpu_revision rev,
				 struct mshvcpu_error *err)
{
	char buf[96], hint[256] = "";
	const struct mshvcpu_feature *other;
	const char *sugg[3];
	size_t n, i, used = 0;

	snprintf(buf, sizeof(buf), "%.*s", (int)name->len, name->text);
	other = mshvcpu_feature_find_any(buf);
	if (other && other->kind == HV_FEATURE_KIND_FEATURE)
		return set_error_at(err, -EINVAL, SPEC, 1, name->column,
				    "'%s' is not named by %s (%s is named from %s on; "
				    "choose that revision)",
				    buf, mshvcpu_revision_name(rev), other->name,
				    mshvcpu_revision_name(mshvcpu_feature_since(other)));
	if (other)
		return set_error_at(err, -EINVAL, SPEC, 1, name->column,
				    "'%s' is %s bit %u, a %s bit, not a feature",
				    buf, mshvcpu_word_name(other->word), other->bit,
				    other->kind == HV_FEATURE_KIND_TEST ? "test" : "reserved");
	n = mshvcpu_feature_suggest(buf, rev, sugg, ARRAY_SIZE(sugg));
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(hint + used, sizeof(hint) - used, "%s%s",
					 i ? ", " : " (did you mean ", sugg[i]);
	if (n)
		snprintf(hint + used, sizeof(hint) - used, "?)");
	return set_error_at(err, -EINVAL, SPEC, 1, name->column,
			    "unknown feature '%s'%s", buf, hint);
}

static int parse_modifier(const struct token *t, enum mshvcpu_revision rev,
			  struct modifier *mod, struct mshvcpu_error *err)
{
	struct token name = { t->text + 1, t->len ? t->len - 1 : 0, t->column + 1 };

	if (t->len == 0)
		return set_error_at(err, -EINVAL, SPEC, 1, t->column,
				    "empty modifier (a stray comma?)");
	if (t->text[0] != '+' && t->text[0] != '-')
		return set_error_at(err, -EINVAL, SPEC, 1, t->column,
				    "modifier '%.*s' must start with + or -",
				    (int)t->len, t->text);
	trim(&name);
	if (name.len == 0)
		return set_error_at(err, -EINVAL, SPEC, 1, t->column,
				    "'%c' without a feature name", t->text[0]);
	mod->enable = t->text[0] == '+';
	mod->column = t->column;
	{
		char buf[96];

		if (name.len >= sizeof(buf))
			return unknown_feature_error(&name, rev, err);
		snprintf(buf, sizeof(buf), "%.*s", (int)name.len, name.text);
		mod->feature = mshvcpu_feature_find(buf, rev);
	}
	if (!mod->feature || mod->feature->kind != HV_FEATURE_KIND_FEATURE)
		return unknown_feature_error(&name, rev, err);
	return 0;
}

static int check_repeats(const struct modifier *mods, size_t n, size_t k,
			 struct mshvcpu_error *err)
{
	size_t i;

	for (i = 0; i < k; i++) {
		if (mods[i].feature != mods[k].feature)
			continue;
		if (mods[i].enable == mods[k].enable)
			return set_error_at(err, -EINVAL, SPEC, 1, mods[k].column,
					    "duplicate modifier '%c%s' (also at column %u)",
					    mods[k].enable ? '+' : '-',
					    mods[k].feature->name, mods[i].column);
		return set_error_at(err, -EINVAL, SPEC, 1, mods[k].column,
				    "contradictory modifiers '%c%s' and '%c%s' (column %u)",
				    mods[i].enable ? '+' : '-', mods[i].feature->name,
				    mods[k].enable ? '+' : '-', mods[k].feature->name,
				    mods[i].column);
	}
	(void)n;
	return 0;
}

static int apply_modifier(struct mshvcpu_profile *p, const struct modifier *mod,
			  bool strict)
{
	struct mshvcpu_change changes[HV_FEATURE_ID_COUNT];
	size_t n, i;
	int ret;

	if (strict) {
		if (mod->enable)
			mshvcpu_featureset_enable(&p->features, mod->feature);
		else
			mshvcpu_featureset_disable(&p->features, mod->feature);
		return 0;
	}
	if (mod->enable)
		n = mshvcpu_deps_enable(&p->features, mod->feature, changes,
					ARRAY_SIZE(changes));
	else
		n = mshvcpu_deps_disable(&p->features, mod->feature, changes,
					 ARRAY_SIZE(changes));
	for (i = 0; i < n && i < ARRAY_SIZE(changes); i++) {
		ret = profile_add_change(p, &changes[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int strict_violations(const struct mshvcpu_profile *p, struct mshvcpu_error *err)
{
	struct mshvcpu_violation v[16];
	size_t n = mshvcpu_deps_check(&p->features, v, ARRAY_SIZE(v)), i, used = 0;
	char list[400] = "";

	if (!n)
		return 0;
	for (i = 0; i < n && i < ARRAY_SIZE(v); i++)
		used += (size_t)snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0,
					 "%s%s needs %s", i ? "; " : "",
					 v[i].feature->name, v[i].missing->name);
	return set_error_at(err, -EINVAL, SPEC, 0, 0,
			    "%zu prerequisite%s violated: %s", n, n == 1 ? "" : "s", list);
}

int mshvcpu_profile_parse(const char *spec, const struct mshvcpu_profile_opts *opts,
			  struct mshvcpu_profile **out, struct mshvcpu_error *err)
{
	enum mshvcpu_revision rev;
	struct mshvcpu_profile *p = NULL;
	struct modifier *mods = NULL;
	struct token base;
	const char *cur, *comma;
	size_t nmods = 0, cap = 0, i;
	bool strict;
	int ret;

	if (!out)
		return set_error(err, -EINVAL, "no place for the profile");
	*out = NULL;
	if (!spec)
		return set_error(err, -EINVAL, "no spec");
	if (!OPTS_VALID(opts))
		return set_error(err, -EINVAL, "mshvcpu_profile_opts: unknown non-zero fields");
	rev = revision_resolve(OPTS_GET(opts, revision, MSHVCPU_REV_DEFAULT));
	strict = OPTS_GET(opts, strict_deps, false);

	p = profile_new(spec, rev);
	if (!p)
		return set_error(err, -ENOMEM, "out of memory");

	comma = strchr(spec, ',');
	base = (struct token){ spec, comma ? (size_t)(comma - spec) : strlen(spec), 1 };
	trim(&base);
	ret = resolve_base(p, &base, opts, err);
	if (ret)
		goto fail;
	ret = profile_note_base_violations(p);
	if (ret)
		goto fail;

	for (cur = comma; cur; cur = comma) {
		struct token t;

		cur++;
		comma = strchr(cur, ',');
		t = (struct token){ cur, comma ? (size_t)(comma - cur) : strlen(cur),
				    (unsigned int)(cur - spec) + 1 };
		trim(&t);
		if (nmods == cap) {
			struct modifier *grown;

			cap = cap ? cap * 2 : 8;
			grown = realloc(mods, cap * sizeof(*mods));
			if (!grown) {
				ret = set_error(err, -ENOMEM, "out of memory");
				goto fail;
			}
			mods = grown;
		}
		ret = parse_modifier(&t, p->revision, &mods[nmods], err);
		if (ret)
			goto fail;
		ret = check_repeats(mods, nmods + 1, nmods, err);
		if (ret)
			goto fail;
		nmods++;
	}
	for (i = 0; i < nmods; i++) {
		ret = apply_modifier(p, &mods[i], strict);
		if (ret) {
			set_error(err, ret, "out of memory");
			goto fail;
		}
	}
	if (strict) {
		ret = strict_violations(p, err);
		if (ret)
			goto fail;
	}
	free(mods);
	*out = p;
	return 0;
fail:
	free(mods);
	mshvcpu_profile_free(p);
	return ret;
}
