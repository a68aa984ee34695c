// SPDX-License-Identifier: MIT
/*
 * Dependencies between features, from the table's prerequisite column:
 * validation that names every violation, and closure in both directions
 * that reports every change it makes.
 *
 * The rules hold whatever revision a caller names features in: a feature
 * the hypervisor knows depends on its prerequisite even if the caller's
 * headers do not name it.
 */
#include <string.h>

#include "internal.h"

/*
 * Features whose sole disabling real hosts refused: mb_clear on a Skylake-SP
 * MSHV host, rdtscp on an Azure MSHV host (mshv-abi.md, section 5).
 */
static const enum hv_feature_id refused_alone[] = {
	HV_FEATURE_ID_mb_clear,
	HV_FEATURE_ID_rdtscp,
};

size_t mshvcpu_deps_check(const struct mshvcpu_featureset *set,
			  struct mshvcpu_violation *out, size_t max)
{
	const struct mshvcpu_feature *f;
	size_t i, n = 0;
	unsigned int p;

	for (i = 0; (f = mshvcpu_feature_at(i)); i++) {
		if (f->kind != HV_FEATURE_KIND_FEATURE || !mshvcpu_featureset_has(set, f))
			continue;
		for (p = 0; p < f->nprereqs; p++) {
			const struct mshvcpu_feature *req = catalogue_by_id(f->prereqs[p]);

			/* Only a prerequisite known to be off breaks the rule. */
			if (mshvcpu_featureset_state(set, req) != MSHVCPU_DISABLED)
				continue;
			if (n < max)
				out[n] = (struct mshvcpu_violation){ f, req };
			n++;
		}
	}
	return n;
}

static void record(struct mshvcpu_change *out, size_t max, size_t *n,
		   const struct mshvcpu_feature *f, bool enabled,
		   const struct mshvcpu_feature *because)
{
	if (*n < max)
		out[*n] = (struct mshvcpu_change){ f, enabled, because };
	(*n)++;
}

static void enable_with_prereqs(struct mshvcpu_featureset *set,
				const struct mshvcpu_feature *f,
				struct mshvcpu_change *out, size_t max,
				size_t *n)
{
	unsigned int p;

	mshvcpu_featureset_enable(set, f);
	for (p = 0; p < f->nprereqs; p++) {
		const struct mshvcpu_feature *req = catalogue_by_id(f->prereqs[p]);

		if (mshvcpu_featureset_has(set, req))
			continue;
		record(out, max, n, req, true, f);
		enable_with_prereqs(set, req, out, max, n);
	}
}

size_t mshvcpu_deps_enable(struct mshvcpu_featureset *set,
			   const struct mshvcpu_feature *f,
			   struct mshvcpu_change *out, size_t max)
{
	size_t n = 0;

	enable_with_prereqs(set, f, out, max, &n);
	return n;
}

static bool requires(const struct mshvcpu_feature *f,
		     const struct mshvcpu_feature *req)
{
	unsigned int p;

	for (p = 0; p < f->nprereqs; p++)
		if (catalogue_by_id(f->prereqs[p]) == req)
			return true;
	return false;
}

static void disable_with_dependents(struct mshvcpu_featureset *set,
				    const struct mshvcpu_feature *f,
				    struct mshvcpu_change *out, size_t max,
				    size_t *n)
{
	const struct mshvcpu_feature *g;
	size_t i;

	mshvcpu_featureset_disable(set, f);
	/*
	 * Dependents go too, whether enabled or unknown: an unknown dependent
	 * the host does have would make the hypervisor refuse the partition.
	 */
	for (i = 0; (g = mshvcpu_feature_at(i)); i++) {
		if (!requires(g, f) ||
		    mshvcpu_featureset_state(set, g) == MSHVCPU_DISABLED)
			continue;
		record(out, max, n, g, false, f);
		disable_with_dependents(set, g, out, max, n);
	}
}

size_t mshvcpu_deps_disable(struct mshvcpu_featureset *set,
			    const struct mshvcpu_feature *f,
			    struct mshvcpu_change *out, size_t max)
{
	size_t n = 0;

	disable_with_dependents(set, f, out, max, &n);
	return n;
}

size_t mshvcpu_refusal_warnings(const struct mshvcpu_featureset *requested,
				const struct mshvcpu_featureset *offered,
				const struct mshvcpu_feature **out, size_t max)
{
	static const unsigned int create_words[] = {
		MSHVCPU_WORD_BANK0, MSHVCPU_WORD_BANK1, MSHVCPU_WORD_XSAVE,
	};
	const struct mshvcpu_feature *sole = NULL;
	unsigned int disabled_count = 0;
	size_t i, n = 0;

	/* Which offered create-time features would the request take away? */
	for (i = 0; i < ARRAY_SIZE(create_words); i++) {
		unsigned int w = create_words[i];
		uint64_t taken;

		/* Offered, and known to be left out of the request. */
		taken = offered->enabled[w] & requested->known[w] &
			~requested->enabled[w];
		disabled_count += (unsigned int)__builtin_popcountll(taken);
		if (taken && !sole)
			sole = mshvcpu_feature_at_bit(w, (unsigned int)__builtin_ctzll(taken),
						      MSHVCPU_REV_LATEST);
	}
	if (disabled_count != 1 || !sole)
		return 0;
	for (i = 0; i < ARRAY_SIZE(refused_alone); i++) {
		if (catalogue_by_id(refused_alone[i]) == sole) {
			if (n < max)
				out[n] = sole;
			n++;
		}
	}
	return n;
}
