// SPDX-License-Identifier: MIT
/*
 * Comparing feature sets, the baseline of many hosts, and whether a running
 * partition can move to a target host.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static bool vendors_clash(enum mshvcpu_vendor a, enum mshvcpu_vendor b)
{
	return a != b && a != MSHVCPU_VENDOR_ANY && b != MSHVCPU_VENDOR_ANY;
}

static bool empty(const struct mshvcpu_featureset *s)
{
	unsigned int w;

	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		if (s->enabled[w])
			return false;
	return true;
}

/* Enabled in @a, unknown in @b. */
static void enabled_unknown_in(struct mshvcpu_featureset *out,
			       const struct mshvcpu_featureset *a,
			       const struct mshvcpu_featureset *b)
{
	unsigned int w;

	mshvcpu_featureset_init(out, a->vendor);
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		out->enabled[w] = a->enabled[w] & ~b->known[w];
}

/* Enabled in @a, known disabled in @b. */
static void enabled_absent_in(struct mshvcpu_featureset *out,
			      const struct mshvcpu_featureset *a,
			      const struct mshvcpu_featureset *b)
{
	unsigned int w;

	mshvcpu_featureset_init(out, a->vendor);
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		out->enabled[w] = a->enabled[w] & b->known[w] & ~b->enabled[w];
}

void mshvcpu_compare(const struct mshvcpu_featureset *a,
		     const struct mshvcpu_featureset *b,
		     struct mshvcpu_comparison *out)
{
	bool a_extra, b_extra;

	memset(out, 0, sizeof(*out));
	enabled_absent_in(&out->only_a, a, b);
	enabled_absent_in(&out->only_b, b, a);
	enabled_unknown_in(&out->uncertain_a, a, b);
	enabled_unknown_in(&out->uncertain_b, b, a);
	out->vendor_mismatch = vendors_clash(a->vendor, b->vendor);

	a_extra = !empty(&out->only_a);
	b_extra = !empty(&out->only_b);
	if (out->vendor_mismatch || (a_extra && b_extra))
		out->relation = MSHVCPU_INCOMPATIBLE;
	else if (a_extra)
		out->relation = MSHVCPU_SUPERSET;
	else if (b_extra)
		out->relation = MSHVCPU_SUBSET;
	else
		out->relation = MSHVCPU_IDENTICAL;
}

/* Enabled in @profile but not known enabled on @host, over all words. */
static inline uint64_t lacking(const struct mshvcpu_featureset *profile,
			       const struct mshvcpu_featureset *host)
{
	uint64_t bad = 0;
	unsigned int w;

	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		bad |= profile->enabled[w] & ~(host->known[w] & host->enabled[w]);
	return bad;
}

bool mshvcpu_runs_on(const struct mshvcpu_featureset *profile,
		     const struct mshvcpu_featureset *host)
{
	return !vendors_clash(profile->vendor, host->vendor) && !lacking(profile, host);
}

size_t mshvcpu_scan_runs_on(const struct mshvcpu_featureset *profile,
			    const struct mshvcpu_featureset *hosts, size_t n, size_t *out)
{
	const enum mshvcpu_vendor pv = profile->vendor;
	size_t i, found = 0;

	/*
	 * No branch per host: the index is always stored and the count moves
	 * on a match, so the loop streams through the array. Both tests are
	 * always computed and folded into one word with a bitwise OR (a
	 * logical || would branch on the first); the host matches when the
	 * word is zero: nothing lacking, no vendor clash.
	 */
	for (i = 0; i < n; i++) {
		uint64_t refusal = lacking(profile, &hosts[i]) |
				   (uint64_t)vendors_clash(pv, hosts[i].vendor);

		out[found] = i;
		found += refusal == 0;
	}
	return found;
}

void mshvcpu_baseline_init(struct mshvcpu_baseline *b)
{
	memset(b, 0, sizeof(*b));
	mshvcpu_featureset_init_all(&b->common, MSHVCPU_VENDOR_ANY);
}

int mshvcpu_baseline_add(struct mshvcpu_baseline *b, const struct mshvcpu_host *host,
			 struct mshvcpu_error *err)
{
	enum mshvcpu_vendor v = host->offered.vendor;

	if (b->count && vendors_clash(b->common.vendor, v))
		return set_error(err, -EXDEV,
				 "mixed vendors: %s is %s but %s is %s; a baseline spans one vendor "
				 "(guests never migrate between Intel and AMD)",
				 host->name, mshvcpu_vendor_name(v), b->first_name,
				 mshvcpu_vendor_name(b->common.vendor));
	if ((b->common.vendor == MSHVCPU_VENDOR_ANY && v != MSHVCPU_VENDOR_ANY) || !b->count)
		mshvcpu_text_escape(b->first_name, sizeof(b->first_name), host->name,
				    strnlen(host->name, sizeof(host->name)));

	mshvcpu_featureset_and(&b->common, &b->common, &host->offered);
	if (!b->count)
		b->min_max_xsave_data_size = host->max_xsave_data_size;
	else if (!host->max_xsave_data_size)
		b->min_max_xsave_data_size = 0;
	else if (b->min_max_xsave_data_size &&
		 host->max_xsave_data_size < b->min_max_xsave_data_size)
		b->min_max_xsave_data_size = host->max_xsave_data_size;
	b->count++;
	return 0;
}

static void add_msrs(struct mshvcpu_migration_report *r, const struct mshvcpu_featureset *set)
{
	const struct mshvcpu_feature *f = NULL;

	while ((f = mshvcpu_featureset_next(set, MSHVCPU_REV_LATEST, MSHVCPU_ENABLED, f))) {
		struct mshvcpu_msr msrs[HV_FEATURE_MAX_MSRS];
		size_t n = mshvcpu_feature_msrs(f, msrs, ARRAY_SIZE(msrs)), i, k;

		for (i = 0; i < n; i++) {
			for (k = 0; k < r->msr_count; k++)
				if (r->msrs[k].index == msrs[i].index)
					break;
			if (k == r->msr_count && r->msr_count < ARRAY_SIZE(r->msrs))
				r->msrs[r->msr_count++] = msrs[i];
		}
	}
}

void mshvcpu_check_migration(const struct mshvcpu_partition_record *source,
			     const struct mshvcpu_host *target,
			     struct mshvcpu_migration_report *out)
{
	memset(out, 0, sizeof(*out));
	out->vendor_mismatch = vendors_clash(source->effective.vendor,
					     target->offered.vendor);
	enabled_absent_in(&out->missing, &source->effective, &target->offered);
	enabled_unknown_in(&out->unverified, &source->effective, &target->offered);
	out->source_xsave_size = source->max_xsave_data_size;
	out->target_xsave_size = target->max_xsave_data_size;
	/* The target must be able to restore every byte of the source's state. */
	out->xsave_too_small = out->source_xsave_size && out->target_xsave_size &&
			       out->target_xsave_size < out->source_xsave_size;
	add_msrs(out, &out->missing);
	add_msrs(out, &out->unverified);
	/* A size either side does not know (0) cannot be shown to fit. */
	out->ok = !out->vendor_mismatch && empty(&out->missing) &&
		  empty(&out->unverified) && !out->xsave_too_small &&
		  out->source_xsave_size && out->target_xsave_size;
}
