// SPDX-License-Identifier: MIT
/*
 * Feature sets in the enabled sense, three-valued per bit: enabled,
 * disabled, unknown. Invariant: enabled bits are known bits.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

void mshvcpu_featureset_init(struct mshvcpu_featureset *set,
			     enum mshvcpu_vendor vendor)
{
	unsigned int w;

	memset(set, 0, sizeof(*set));
	set->vendor = vendor;
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		set->known[w] = ~0ULL;
}

void mshvcpu_featureset_init_all(struct mshvcpu_featureset *set,
				 enum mshvcpu_vendor vendor)
{
	unsigned int w;

	mshvcpu_featureset_init(set, vendor);
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		set->enabled[w] = ~0ULL;
}

void mshvcpu_featureset_init_unknown(struct mshvcpu_featureset *set,
				     enum mshvcpu_vendor vendor)
{
	memset(set, 0, sizeof(*set));
	set->vendor = vendor;
}

enum mshvcpu_state mshvcpu_featureset_state(const struct mshvcpu_featureset *set,
					    const struct mshvcpu_feature *f)
{
	uint64_t bit = featureset_word_bit(f);

	if (!(set->known[f->word] & bit))
		return MSHVCPU_UNKNOWN;
	return (set->enabled[f->word] & bit) ? MSHVCPU_ENABLED : MSHVCPU_DISABLED;
}

bool mshvcpu_featureset_has(const struct mshvcpu_featureset *set,
			    const struct mshvcpu_feature *f)
{
	return set->enabled[f->word] & featureset_word_bit(f);
}

void mshvcpu_featureset_enable(struct mshvcpu_featureset *set,
			       const struct mshvcpu_feature *f)
{
	set->known[f->word] |= featureset_word_bit(f);
	set->enabled[f->word] |= featureset_word_bit(f);
}

void mshvcpu_featureset_disable(struct mshvcpu_featureset *set,
				const struct mshvcpu_feature *f)
{
	set->known[f->word] |= featureset_word_bit(f);
	set->enabled[f->word] &= ~featureset_word_bit(f);
}

void mshvcpu_featureset_forget(struct mshvcpu_featureset *set,
			       const struct mshvcpu_feature *f)
{
	set->known[f->word] &= ~featureset_word_bit(f);
	set->enabled[f->word] &= ~featureset_word_bit(f);
}

static enum mshvcpu_vendor common_vendor(const struct mshvcpu_featureset *a,
					 const struct mshvcpu_featureset *b)
{
	if (a->vendor == b->vendor)
		return a->vendor;
	if (a->vendor == MSHVCPU_VENDOR_ANY)
		return b->vendor;
	if (b->vendor == MSHVCPU_VENDOR_ANY)
		return a->vendor;
	return MSHVCPU_VENDOR_ANY;
}

void mshvcpu_featureset_and(struct mshvcpu_featureset *out,
			    const struct mshvcpu_featureset *a,
			    const struct mshvcpu_featureset *b)
{
	struct mshvcpu_featureset r;
	unsigned int w;

	r.vendor = common_vendor(a, b);
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		uint64_t zero_a = a->known[w] & ~a->enabled[w];
		uint64_t zero_b = b->known[w] & ~b->enabled[w];

		r.known[w] = (a->known[w] & b->known[w]) | zero_a | zero_b;
		r.enabled[w] = a->enabled[w] & b->enabled[w];
	}
	*out = r;
}

void mshvcpu_featureset_or(struct mshvcpu_featureset *out,
			   const struct mshvcpu_featureset *a,
			   const struct mshvcpu_featureset *b)
{
	struct mshvcpu_featureset r;
	unsigned int w;

	r.vendor = common_vendor(a, b);
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		r.known[w] = (a->known[w] & b->known[w]) | a->enabled[w] | b->enabled[w];
		r.enabled[w] = a->enabled[w] | b->enabled[w];
	}
	*out = r;
}

void mshvcpu_featureset_minus(struct mshvcpu_featureset *out,
			      const struct mshvcpu_featureset *a,
			      const struct mshvcpu_featureset *b)
{
	struct mshvcpu_featureset r;
	unsigned int w;

	r.vendor = common_vendor(a, b);
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		/* Decided by a known 0 in a or a known 1 in b. */
		uint64_t zero_a = a->known[w] & ~a->enabled[w];

		r.known[w] = (a->known[w] & b->known[w]) | zero_a | b->enabled[w];
		r.enabled[w] = a->enabled[w] & b->known[w] & ~b->enabled[w];
	}
	*out = r;
}

bool mshvcpu_featureset_is_subset(const struct mshvcpu_featureset *a,
				  const struct mshvcpu_featureset *b)
{
	unsigned int w;

	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		if (a->enabled[w] & ~b->enabled[w])
			return false;
	return true;
}

bool mshvcpu_featureset_equal(const struct mshvcpu_featureset *a,
			      const struct mshvcpu_featureset *b)
{
	unsigned int w;

	if (a->vendor != b->vendor)
		return false;
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		if (a->known[w] != b->known[w] || a->enabled[w] != b->enabled[w])
			return false;
	return true;
}

size_t mshvcpu_featureset_count(const struct mshvcpu_featureset *set,
				enum mshvcpu_revision rev)
{
	size_t n = 0;
	unsigned int w;

	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		n += (size_t)__builtin_popcountll(set->enabled[w] &
						  catalogue_feature_mask(w, rev));
	return n;
}

/* Hygon's processors are AMD's design: what only AMD has, Hygon has too. */
static enum mshvcpu_vendor design_of(enum mshvcpu_vendor vendor)
{
	return vendor == MSHVCPU_VENDOR_HYGON ? MSHVCPU_VENDOR_AMD : vendor;
}

size_t mshvcpu_featureset_other_vendor(const struct mshvcpu_featureset *set,
				       enum mshvcpu_revision rev, struct mshvcpu_featureset *out)
{
	const struct mshvcpu_feature *f = NULL;
	size_t n = 0;

	if (out)
		mshvcpu_featureset_init(out, set->vendor);
	if (set->vendor == MSHVCPU_VENDOR_ANY)
		return 0;
	while ((f = mshvcpu_featureset_next(set, rev, MSHVCPU_ENABLED, f))) {
		enum mshvcpu_vendor only = mshvcpu_feature_vendor_only(f);

		if (only == MSHVCPU_VENDOR_ANY || only == design_of(set->vendor))
			continue;
		if (out)
			mshvcpu_featureset_enable(out, f);
		n++;
	}
	return n;
}

size_t mshvcpu_featureset_count_unknown(const struct mshvcpu_featureset *set,
					enum mshvcpu_revision rev)
{
	size_t n = 0;
	unsigned int w;

	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		n += (size_t)__builtin_popcountll(~set->known[w] &
						  catalogue_feature_mask(w, rev));
	return n;
}

uint64_t mshvcpu_featureset_unnamed_bits(const struct mshvcpu_featureset *set,
					 enum mshvcpu_word word,
					 enum mshvcpu_revision rev)
{
	if ((unsigned int)word >= MSHVCPU_WORD_COUNT)
		return 0;
	return set->enabled[word] & ~catalogue_feature_mask(word, rev);
}

const struct mshvcpu_feature *
mshvcpu_featureset_next(const struct mshvcpu_featureset *set,
			enum mshvcpu_revision rev, enum mshvcpu_state state,
			const struct mshvcpu_feature *prev)
{
	size_t i = prev ? catalogue_index(prev) + 1 : 0;
	const struct mshvcpu_feature *f;

	for (; (f = mshvcpu_feature_at(i)); i++)
		if (f->kind == HV_FEATURE_KIND_FEATURE &&
		    mshvcpu_feature_in_revision(f, rev) &&
		    mshvcpu_featureset_state(set, f) == state)
			return f;
	return NULL;
}

int mshvcpu_featureset_format_words(const struct mshvcpu_featureset *set,
				    char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s:0x%016llx:0x%016llx:0x%llx",
			 mshvcpu_vendor_name(set->vendor),
			 (unsigned long long)set->enabled[MSHVCPU_WORD_BANK0],
			 (unsigned long long)set->enabled[MSHVCPU_WORD_BANK1],
			 (unsigned long long)set->enabled[MSHVCPU_WORD_XSAVE]);

	if (n >= 0 && set->known[MSHVCPU_WORD_BANK2]) {
		size_t used = (size_t)n < len ? (size_t)n : len;

		n += snprintf(buf ? buf + used : NULL, len - used, ":0x%llx",
			      (unsigned long long)set->enabled[MSHVCPU_WORD_BANK2]);
	}
	return n;
}

int mshvcpu_featureset_format_names(const struct mshvcpu_featureset *set,
				    enum mshvcpu_revision rev,
				    const char *sep, char *buf, size_t len)
{
	const struct mshvcpu_feature *f = NULL;
	size_t total = 0;

	if (len)
		buf[0] = '\0';
	while ((f = mshvcpu_featureset_next(set, rev, MSHVCPU_ENABLED, f))) {
		size_t used = total < len ? total : len;
		int n = snprintf(buf ? buf + used : NULL, len - used, "%s%s",
				 total ? sep : "", f->name);

		if (n < 0)
			return n;
		total += (size_t)n;
	}
	return (int)total;
}
