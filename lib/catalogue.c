// SPDX-License-Identifier: MIT
/*
 * The catalogue: include/hyperv/hv_processor_features.def expanded into one
 * constant array, and the lookups over it. The table is sorted by word and
 * bit and every word is dense from bit 0 (tests/lib/test_catalogue.c checks
 * it), so (word, bit) indexes it directly.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define CPUID(l, s, r, b) { .state = CPUID_SPEC_LOCATION, .leaf = (l), \
			    .subleaf = (s), .reg = HV_CPUID_##r, .bit = (b) }
#define NO_CPUID { .state = CPUID_SPEC_NONE }
#define SAME { .state = CPUID_SPEC_SAME }
#define UNCONTROLLED { .state = CPUID_SPEC_UNCONTROLLED }
#define REQ_NONE .nprereqs = 0
#define REQ1(a) .prereqs = { HV_FEATURE_ID_##a }, .nprereqs = 1
#define REQ2(a, b) .prereqs = { HV_FEATURE_ID_##a, HV_FEATURE_ID_##b }, .nprereqs = 2
#define XC(n) (1ULL << (n))
#define MSR_NONE .nmsrs = 0
#define M(x) HV_MSR_ID_##x
#define MSR1(a) .msrs = { M(a) }, .nmsrs = 1
#define MSR2(a, b) .msrs = { M(a), M(b) }, .nmsrs = 2
#define MSR3(a, b, c) .msrs = { M(a), M(b), M(c) }, .nmsrs = 3
#define MSR7(a, b, c, d, e, f, g) \
	.msrs = { M(a), M(b), M(c), M(d), M(e), M(f), M(g) }, .nmsrs = 7

static const struct mshvcpu_feature catalogue[] = {
#define HV_FEATURE(id, word_, bit_, since_, kind_, kname, intel_, amd_,	\
		   archcap, vendor_, linux_, qemu_, qemu_amd_, prereqs_, xcomp,	\
		   msrs_, desc, note_)					\
	[HV_FEATURE_ID_##id] = {					\
		.name = #id, .word = HV_FEATURE_WORD_##word_,		\
		.bit = (bit_), .since = HV_FEATURE_REV_##since_,	\
		.kind = HV_FEATURE_KIND_##kind_, .kernel_name = (kname), \
		.intel = intel_, .amd = amd_, .arch_cap_bit = (archcap), \
		.vendor_only = MSHVCPU_VENDOR_##vendor_,		\
		.linux_flag = (linux_), .qemu_name = (qemu_),		\
		.qemu_name_amd = (qemu_amd_), prereqs_,			\
		.xsave_components = (xcomp), msrs_,			\
		.description = (desc), .note = (note_) },
#include <hyperv/hv_processor_features.def>
#undef HV_FEATURE
};

#undef CPUID
#undef NO_CPUID
#undef SAME
#undef UNCONTROLLED
#undef M

static const struct mshvcpu_msr msr_table[] = {
#define HV_MSR(id, index_, name_) [HV_MSR_ID_##id] = { .index = (index_), .name = (name_) },
#include <hyperv/x86_msrs.def>
#undef HV_MSR
};

_Static_assert(ARRAY_SIZE(catalogue) == HV_FEATURE_ID_COUNT, "one row per id");
_Static_assert((int)MSHVCPU_WORD_BANK0 == (int)HV_FEATURE_WORD_BANK0 &&
	       (int)MSHVCPU_WORD_BANK1 == (int)HV_FEATURE_WORD_BANK1 &&
	       (int)MSHVCPU_WORD_BANK2 == (int)HV_FEATURE_WORD_BANK2 &&
	       (int)MSHVCPU_WORD_XSAVE == (int)HV_FEATURE_WORD_XSAVE,
	       "public and table word numbering agree");
_Static_assert((int)MSHVCPU_KIND_FEATURE == (int)HV_FEATURE_KIND_FEATURE &&
	       (int)MSHVCPU_KIND_RESERVED == (int)HV_FEATURE_KIND_RESERVED &&
	       (int)MSHVCPU_KIND_TEST == (int)HV_FEATURE_KIND_TEST,
	       "public and table kinds agree");
/* Public revisions are the table's, shifted by MSHVCPU_REV_DEFAULT. */
_Static_assert(MSHVCPU_REV_COUNT - 1 == HV_FEATURE_REV_COUNT, "revisions agree");

/*
 * Rows per word, counted at compile time from the table itself; with the
 * table sorted by word, word w starts after the rows of the words before it.
 */
#define HV_FEATURE(id, word_, ...) + (HV_FEATURE_WORD_##word_ == COUNTED_WORD)
static const size_t word_rows[HV_FEATURE_WORD_COUNT] = {
#define COUNTED_WORD HV_FEATURE_WORD_BANK0
	[HV_FEATURE_WORD_BANK0] = 0
#include <hyperv/hv_processor_features.def>
	,
#undef COUNTED_WORD
#define COUNTED_WORD HV_FEATURE_WORD_BANK1
	[HV_FEATURE_WORD_BANK1] = 0
#include <hyperv/hv_processor_features.def>
	,
#undef COUNTED_WORD
#define COUNTED_WORD HV_FEATURE_WORD_BANK2
	[HV_FEATURE_WORD_BANK2] = 0
#include <hyperv/hv_processor_features.def>
	,
#undef COUNTED_WORD
#define COUNTED_WORD HV_FEATURE_WORD_XSAVE
	[HV_FEATURE_WORD_XSAVE] = 0
#include <hyperv/hv_processor_features.def>
	,
#undef COUNTED_WORD
};
#undef HV_FEATURE

static size_t word_first(enum mshvcpu_word word)
{
	size_t first = 0;
	unsigned int w;

	for (w = 0; w < (unsigned int)word; w++)
		first += word_rows[w];
	return first;
}

enum mshvcpu_revision revision_resolve(enum mshvcpu_revision rev)
{
	if (rev <= MSHVCPU_REV_DEFAULT || rev >= MSHVCPU_REV_COUNT)
		return MSHVCPU_REV_LATEST;
	return rev;
}

unsigned int revision_to_table(enum mshvcpu_revision rev)
{
	return (unsigned int)revision_resolve(rev) - 1;
}

const struct mshvcpu_feature *catalogue_by_id(enum hv_feature_id id)
{
	if ((unsigned int)id >= ARRAY_SIZE(catalogue))
		return NULL;
	return &catalogue[id];
}

size_t catalogue_index(const struct mshvcpu_feature *f)
{
	return (size_t)(f - catalogue);
}

struct mshvcpu_msr catalogue_msr(unsigned int msr_id)
{
	return msr_table[msr_id];
}

size_t mshvcpu_feature_count(void)
{
	return ARRAY_SIZE(catalogue);
}

const struct mshvcpu_feature *mshvcpu_feature_at(size_t index)
{
	return index < ARRAY_SIZE(catalogue) ? &catalogue[index] : NULL;
}

bool mshvcpu_feature_in_revision(const struct mshvcpu_feature *f,
				 enum mshvcpu_revision rev)
{
	return f->since <= revision_to_table(rev);
}

const struct mshvcpu_feature *
mshvcpu_feature_at_bit(enum mshvcpu_word word, unsigned int bit,
		       enum mshvcpu_revision rev)
{
	const struct mshvcpu_feature *f;
	size_t index;

	if ((unsigned int)word >= MSHVCPU_WORD_COUNT || bit >= 64)
		return NULL;
	index = word_first(word) + bit;
	if (index >= ARRAY_SIZE(catalogue))
		return NULL;
	f = &catalogue[index];
	if (f->word != word || f->bit != bit)
		return NULL;
	return mshvcpu_feature_in_revision(f, rev) ? f : NULL;
}

uint64_t catalogue_named_mask(enum mshvcpu_word word, enum mshvcpu_revision rev)
{
	unsigned int table_rev = revision_to_table(rev);
	uint64_t mask = 0;
	size_t i;

	for (i = word_first(word); i < ARRAY_SIZE(catalogue) &&
				   catalogue[i].word == word; i++)
		if (catalogue[i].since <= table_rev)
			mask |= 1ULL << catalogue[i].bit;
	return mask;
}

uint64_t catalogue_feature_mask(enum mshvcpu_word word, enum mshvcpu_revision rev)
{
	unsigned int table_rev = revision_to_table(rev);
	uint64_t mask = 0;
	size_t i;

	for (i = word_first(word); i < ARRAY_SIZE(catalogue) &&
				   catalogue[i].word == word; i++)
		if (catalogue[i].since <= table_rev &&
		    catalogue[i].kind == HV_FEATURE_KIND_FEATURE)
			mask |= 1ULL << catalogue[i].bit;
	return mask;
}

/*
 * Names compare case-insensitively with '-' and '.' equal to '_', and a
 * trailing "_support" ignored, so "sse4.1", "SSE4-1" and "sse4_1_support"
 * all find sse4_1.
 */
static void normalize_name(const char *in, char *out, size_t len)
{
	static const char suffix[] = "_support";
	size_t n = 0, slen = sizeof(suffix) - 1;

	for (; *in && n + 1 < len; in++) {
		char c = (char)tolower((unsigned char)*in);

		out[n++] = (c == '-' || c == '.') ? '_' : c;
	}
	out[n] = '\0';
	if (n > slen && strcmp(out + n - slen, suffix) == 0)
		out[n - slen] = '\0';
}

static bool name_matches(const char *wanted_norm, const char *candidate)
{
	char norm[96];

	if (!candidate)
		return false;
	normalize_name(candidate, norm, sizeof(norm));
	return strcmp(norm, wanted_norm) == 0;
}

static bool feature_answers_to(const struct mshvcpu_feature *f,
			       const char *norm)
{
	return name_matches(norm, f->name) ||
	       name_matches(norm, f->kernel_name) ||
	       name_matches(norm, f->linux_flag) ||
	       name_matches(norm, f->qemu_name) ||
	       name_matches(norm, f->qemu_name_amd);
}

static const struct mshvcpu_feature *find(const char *name, bool any_revision,
					  enum mshvcpu_revision rev)
{
	char norm[96];
	size_t i;

	if (!name || !*name || strlen(name) >= sizeof(norm))
		return NULL;
	normalize_name(name, norm, sizeof(norm));

	/* Canonical names first: a QEMU alias must never shadow one. */
	for (i = 0; i < ARRAY_SIZE(catalogue); i++)
		if (name_matches(norm, catalogue[i].name) &&
		    (any_revision || mshvcpu_feature_in_revision(&catalogue[i], rev)))
			return &catalogue[i];
	for (i = 0; i < ARRAY_SIZE(catalogue); i++) {
		const struct mshvcpu_feature *f = &catalogue[i];

		if (!any_revision && !mshvcpu_feature_in_revision(f, rev))
			continue;
		if (feature_answers_to(f, norm))
			return f;
	}
	return NULL;
}

const struct mshvcpu_feature *mshvcpu_feature_find(const char *name,
						   enum mshvcpu_revision rev)
{
	return find(name, false, rev);
}

const struct mshvcpu_feature *mshvcpu_feature_find_any(const char *name)
{
	return find(name, true, MSHVCPU_REV_LATEST);
}

/* Optimal string alignment distance (edits, with adjacent transpositions). */
static unsigned int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int d[40][40];

	if (la >= 40 || lb >= 40)
		return 1000;
	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			unsigned int cost = a[i - 1] != b[j - 1];
			unsigned int best = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

size_t mshvcpu_feature_suggest(const char *name, enum mshvcpu_revision rev,
			       const char **out, size_t max)
{
	struct candidate {
		unsigned int dist;
		const char *name;
	} cand[ARRAY_SIZE(catalogue)];
	size_t n = 0, i, j, len;
	unsigned int limit;
	char norm[96];

	if (!name || strlen(name) >= sizeof(norm))
		return 0;
	normalize_name(name, norm, sizeof(norm));
	len = strlen(norm);
	/* Farther than a third of the word is noise, not a typo. */
	limit = (unsigned int)len / 3 + 1;

	for (i = 0; i < ARRAY_SIZE(catalogue); i++) {
		const struct mshvcpu_feature *f = &catalogue[i];
		unsigned int dist;

		if (f->kind != HV_FEATURE_KIND_FEATURE ||
		    !mshvcpu_feature_in_revision(f, rev))
			continue;
		dist = edit_distance(norm, f->name);
		/* A name that extends what was typed ("avx512" -> avx512_bw) is a fair guess. */
		if (dist > limit && len >= 3 && strncmp(f->name, norm, len) == 0)
			dist = limit;
		if (dist <= limit)
			cand[n++] = (struct candidate){ dist, f->name };
	}
	/* Stable insertion sort by distance keeps table order among equals. */
	for (i = 1; i < n; i++) {
		struct candidate c = cand[i];

		for (j = i; j > 0 && cand[j - 1].dist > c.dist; j--)
			cand[j] = cand[j - 1];
		cand[j] = c;
	}
	for (i = 0; i < n && i < max; i++)
		out[i] = cand[i].name;
	return i;
}

const char *mshvcpu_feature_name(const struct mshvcpu_feature *f)
{
	return f->name;
}

enum mshvcpu_word mshvcpu_feature_word(const struct mshvcpu_feature *f)
{
	return (enum mshvcpu_word)f->word;
}

unsigned int mshvcpu_feature_bit(const struct mshvcpu_feature *f)
{
	return f->bit;
}

enum mshvcpu_feature_kind mshvcpu_feature_kind(const struct mshvcpu_feature *f)
{
	return (enum mshvcpu_feature_kind)f->kind;
}

enum mshvcpu_revision mshvcpu_feature_since(const struct mshvcpu_feature *f)
{
	return (enum mshvcpu_revision)(f->since + 1);
}

int mshvcpu_feature_header_name(const struct mshvcpu_feature *f,
				enum mshvcpu_revision rev, char *buf, size_t len)
{
	const char *base;

	if (!mshvcpu_feature_in_revision(f, rev))
		return -ENOENT;
	base = revision_resolve(rev) == MSHVCPU_REV_LINUX_6_19 ? f->kernel_name : f->name;
	if (!base)
		return -ENOENT;
	/*
	 * Header fields are "<name>_support", except reserved fields (named
	 * as they are) and a few irregular ones such as hle_support_deprecated,
	 * which keep their irregular name in every revision.
	 */
	if (f->kernel_name && strstr(f->kernel_name, "_support"))
		base = f->kernel_name;
	if (f->kind == HV_FEATURE_KIND_RESERVED || strstr(base, "_support"))
		return snprintf(buf, len, "%s", base);
	return snprintf(buf, len, "%s_support", base);
}

const char *mshvcpu_feature_linux_flag(const struct mshvcpu_feature *f)
{
	return f->linux_flag;
}

const char *mshvcpu_feature_qemu_name(const struct mshvcpu_feature *f,
				      enum mshvcpu_vendor vendor)
{
	if ((vendor == MSHVCPU_VENDOR_AMD || vendor == MSHVCPU_VENDOR_HYGON) &&
	    f->qemu_name_amd)
		return f->qemu_name_amd;
	return f->qemu_name;
}

int mshvcpu_feature_cpuid(const struct mshvcpu_feature *f,
			  enum mshvcpu_vendor vendor,
			  struct mshvcpu_cpuid_location *loc)
{
	const struct cpuid_spec *spec = &f->intel;

	if (vendor == MSHVCPU_VENDOR_ARM)
		return -ENOENT;
	if (vendor == MSHVCPU_VENDOR_AMD || vendor == MSHVCPU_VENDOR_HYGON) {
		if (f->amd.state == CPUID_SPEC_UNCONTROLLED ||
		    f->amd.state == CPUID_SPEC_NONE)
			return -ENOENT;
		if (f->amd.state == CPUID_SPEC_LOCATION)
			spec = &f->amd;
	}
	if (spec->state != CPUID_SPEC_LOCATION)
		return -ENOENT;
	loc->leaf = spec->leaf;
	loc->subleaf = spec->subleaf;
	loc->reg = (enum mshvcpu_cpuid_reg)spec->reg;
	loc->bit = spec->bit;
	return 0;
}

int mshvcpu_feature_arch_cap_bit(const struct mshvcpu_feature *f)
{
	return f->arch_cap_bit;
}

enum mshvcpu_vendor mshvcpu_feature_vendor_only(const struct mshvcpu_feature *f)
{
	return (enum mshvcpu_vendor)f->vendor_only;
}

size_t mshvcpu_feature_prereqs(const struct mshvcpu_feature *f,
			       const struct mshvcpu_feature **out, size_t max)
{
	size_t i;

	for (i = 0; i < f->nprereqs && i < max; i++)
		out[i] = &catalogue[f->prereqs[i]];
	return f->nprereqs;
}

size_t mshvcpu_feature_msrs(const struct mshvcpu_feature *f,
			    struct mshvcpu_msr *out, size_t max)
{
	size_t i;

	for (i = 0; i < f->nmsrs && i < max; i++)
		out[i] = msr_table[f->msrs[i]];
	return f->nmsrs;
}

uint64_t mshvcpu_feature_xsave_components(const struct mshvcpu_feature *f)
{
	return f->xsave_components;
}

const char *mshvcpu_feature_description(const struct mshvcpu_feature *f)
{
	return f->description;
}

const char *mshvcpu_feature_note(const struct mshvcpu_feature *f)
{
	return f->note;
}
