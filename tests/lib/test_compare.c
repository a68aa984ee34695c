// SPDX-License-Identifier: MIT
/*
 * Comparing sets, the baseline of many hosts, and the migration check.
 */
#include <errno.h>

#include "lib_test.h"

static void host_from_words(struct mshvcpu_host *h, const char *name, enum mshvcpu_vendor v,
			    uint64_t b0, uint64_t b1, uint64_t xs, uint32_t xsave_size)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	mshvcpu_featureset_init(&h->offered, v);
	h->offered.known[MSHVCPU_WORD_BANK2] = 0;
	h->offered.enabled[MSHVCPU_WORD_BANK0] = b0;
	h->offered.enabled[MSHVCPU_WORD_BANK1] = b1;
	h->offered.enabled[MSHVCPU_WORD_XSAVE] = xs;
	h->max_xsave_data_size = xsave_size;
}

static void compare_classifies_the_four_relations(void **state)
{
	static const struct {
		const char *a[3], *b[3];
		enum mshvcpu_relation rel;
	} cases[] = {
		{ { "sse3", "aes" }, { "aes", "sse3" }, MSHVCPU_IDENTICAL },
		{ { "sse3" }, { "sse3", "aes" }, MSHVCPU_SUBSET },
		{ { "sse3", "aes" }, { "sse3" }, MSHVCPU_SUPERSET },
		{ { "sse3", "aes" }, { "sse3", "avx" }, MSHVCPU_INCOMPATIBLE },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_featureset a, b;
		struct mshvcpu_comparison c;

		mshvcpu_featureset_init(&a, MSHVCPU_VENDOR_INTEL);
		mshvcpu_featureset_init(&b, MSHVCPU_VENDOR_INTEL);
		for (k = 0; k < 3 && cases[i].a[k]; k++)
			mshvcpu_featureset_enable(&a, feat(cases[i].a[k]));
		for (k = 0; k < 3 && cases[i].b[k]; k++)
			mshvcpu_featureset_enable(&b, feat(cases[i].b[k]));
		mshvcpu_compare(&a, &b, &c);
		assert_int_equal(c.relation, cases[i].rel);
		assert_false(c.vendor_mismatch);
	}
}

static void compare_names_the_features_on_each_side(void **state)
{
	struct mshvcpu_featureset a, b;
	struct mshvcpu_comparison c;

	(void)state;
	set_of(&a, MSHVCPU_VENDOR_INTEL, "sse3", "aes", NULL);
	set_of(&b, MSHVCPU_VENDOR_INTEL, "sse3", "avx", NULL);
	mshvcpu_compare(&a, &b, &c);
	assert_int_equal(mshvcpu_featureset_count(&c.only_a, MSHVCPU_REV_HV_2026), 1);
	assert_true(mshvcpu_featureset_has(&c.only_a, feat("aes")));
	assert_int_equal(mshvcpu_featureset_count(&c.only_b, MSHVCPU_REV_HV_2026), 1);
	assert_true(mshvcpu_featureset_has(&c.only_b, feat("avx")));
}

/* Reference section 7: WHP on the Xeon 4114 offers a subset of MSHV on it. */
static void whp_skylake_offers_a_subset_of_mshv_skylake(void **state)
{
	static const char *const extra[] = { "hle_support_deprecated", "rtm_support_deprecated",
					     "l1d_cache_flush", "gds_no" };
	struct mshvcpu_host whp, mshv;
	struct mshvcpu_comparison c;
	size_t i;

	(void)state;
	host_from_words(&whp, "whp", MSHVCPU_VENDOR_INTEL, 0x1001f9ffe7f7859fULL,
			0x0000000f10860063ULL, 0x3fff, 0);
	host_from_words(&mshv, "mshv", MSHVCPU_VENDOR_INTEL, 0x1005f9fffff7859fULL,
			0x0000008f10860063ULL, 0x3fff, 0);
	mshvcpu_compare(&whp.offered, &mshv.offered, &c);
	assert_int_equal(c.relation, MSHVCPU_SUBSET);
	assert_int_equal(mshvcpu_featureset_count(&c.only_b, MSHVCPU_REV_HV_2026), N_ELEMENTS(extra));
	for (i = 0; i < N_ELEMENTS(extra); i++)
		assert_true(mshvcpu_featureset_has(&c.only_b, mshvcpu_feature_find(extra[i],
										   MSHVCPU_REV_HV_2026)));
}

static void vendors_that_differ_are_incompatible(void **state)
{
	struct mshvcpu_featureset a, b;
	struct mshvcpu_comparison c;

	(void)state;
	set_of(&a, MSHVCPU_VENDOR_INTEL, "sse3", NULL);
	set_of(&b, MSHVCPU_VENDOR_AMD, "sse3", NULL);
	mshvcpu_compare(&a, &b, &c);
	assert_true(c.vendor_mismatch);
	assert_int_equal(c.relation, MSHVCPU_INCOMPATIBLE);
	b.vendor = MSHVCPU_VENDOR_ANY;
	mshvcpu_compare(&a, &b, &c);
	assert_false(c.vendor_mismatch);
	assert_int_equal(c.relation, MSHVCPU_IDENTICAL);
}

static void unknown_bits_are_uncertain_not_different(void **state)
{
	struct mshvcpu_featureset a, b;
	struct mshvcpu_comparison c;

	(void)state;
	set_of(&a, MSHVCPU_VENDOR_INTEL, "sse3", "fred", NULL);
	set_of(&b, MSHVCPU_VENDOR_INTEL, "sse3", NULL);
	b.known[MSHVCPU_WORD_BANK2] = 0;
	mshvcpu_compare(&a, &b, &c);
	assert_int_equal(c.relation, MSHVCPU_IDENTICAL);
	assert_true(mshvcpu_featureset_has(&c.uncertain_a, feat("fred")));
	assert_int_equal(mshvcpu_featureset_count(&c.uncertain_b, MSHVCPU_REV_HV_2026), 0);
}

static void baseline_is_what_every_host_offers(void **state)
{
	struct mshvcpu_host h[3];
	struct mshvcpu_baseline b;
	size_t i;

	(void)state;
	host_from_words(&h[0], "sky", MSHVCPU_VENDOR_INTEL, 0x1005f9fffff7859fULL,
			0x0000008f10860063ULL, 0x3fff, 1088);
	host_from_words(&h[1], "ice", MSHVCPU_VENDOR_INTEL, 0x2e2a8bfffff7859fULL,
			0x000100ae000000f1ULL, 0x7fffdf, 2696);
	host_from_words(&h[2], "whp", MSHVCPU_VENDOR_INTEL, 0x1001f9ffe7f7859fULL,
			0x0000000f10860063ULL, 0x3fff, 1088);
	mshvcpu_baseline_init(&b);
	for (i = 0; i < 3; i++)
		assert_int_equal(mshvcpu_baseline_add(&b, &h[i], NULL), 0);
	assert_int_equal(b.count, 3);
	assert_int_equal(b.common.vendor, MSHVCPU_VENDOR_INTEL);
	assert_int_equal(b.common.enabled[MSHVCPU_WORD_BANK0],
			 0x1005f9fffff7859fULL & 0x2e2a8bfffff7859fULL & 0x1001f9ffe7f7859fULL);
	assert_int_equal(b.common.enabled[MSHVCPU_WORD_BANK1],
			 0x0000008f10860063ULL & 0x000100ae000000f1ULL & 0x0000000f10860063ULL);
	assert_int_equal(b.common.enabled[MSHVCPU_WORD_XSAVE], 0x3fff & 0x7fffdf);
	assert_int_equal(b.common.known[MSHVCPU_WORD_BANK2], 0);
	assert_int_equal(b.min_max_xsave_data_size, 1088);
	assert_string_equal(b.first_name, "sky");
	/* One host that does not know its size makes the minimum unknown. */
	h[0].max_xsave_data_size = 0;
	mshvcpu_baseline_init(&b);
	for (i = 0; i < 3; i++)
		assert_int_equal(mshvcpu_baseline_add(&b, &h[i], NULL), 0);
	assert_int_equal(b.min_max_xsave_data_size, 0);
}

static void baseline_refuses_mixed_vendors_naming_both_hosts(void **state)
{
	struct mshvcpu_host any, intel, amd;
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_baseline b, before;

	(void)state;
	host_from_words(&any, "x86-64-v2", MSHVCPU_VENDOR_ANY, 0x1, 0, 0, 0);
	host_from_words(&intel, "node-intel", MSHVCPU_VENDOR_INTEL, 0x3, 0, 0, 0);
	host_from_words(&amd, "node-amd", MSHVCPU_VENDOR_AMD, 0x3, 0, 0, 0);
	mshvcpu_baseline_init(&b);
	assert_int_equal(mshvcpu_baseline_add(&b, &any, &err), 0);
	assert_int_equal(mshvcpu_baseline_add(&b, &intel, &err), 0);
	before = b;
	assert_int_equal(mshvcpu_baseline_add(&b, &amd, &err), -EXDEV);
	assert_int_equal(err.code, -EXDEV);
	assert_non_null(strstr(err.message, "node-amd"));
	assert_non_null(strstr(err.message, "node-intel"));
	/* Refused: the baseline is untouched. */
	assert_int_equal(b.count, before.count);
	assert_true(mshvcpu_featureset_equal(&b.common, &before.common));
	assert_string_equal(b.first_name, before.first_name);
}

static void record_with(struct mshvcpu_partition_record *rec, enum mshvcpu_vendor v,
			uint32_t xsave_size, const char *f1, const char *f2, const char *f3)
{
	memset(rec, 0, sizeof(*rec));
	set_of(&rec->effective, v, f1, f2, f3, NULL);
	rec->max_xsave_data_size = xsave_size;
}

static bool has_msr(const struct mshvcpu_migration_report *r, uint32_t index)
{
	size_t i, n = 0;

	for (i = 0; i < r->msr_count; i++)
		n += r->msrs[i].index == index;
	assert_true(n <= 1);
	return n == 1;
}

static void migration_names_missing_features_and_their_msrs(void **state)
{
	struct mshvcpu_partition_record src;
	struct mshvcpu_migration_report r;
	struct mshvcpu_host target;

	(void)state;
	record_with(&src, MSHVCPU_VENDOR_INTEL, 1088, "cet_ss", "rdtscp", "rd_pid");
	mshvcpu_featureset_enable(&src.effective, feat("sse3"));
	host_from_words(&target, "t", MSHVCPU_VENDOR_INTEL, bit_of("sse3"), 0, 0, 1088);
	target.offered.known[MSHVCPU_WORD_BANK2] = ~0ULL;
	mshvcpu_check_migration(&src, &target, &r);
	assert_false(r.ok);
	assert_false(r.vendor_mismatch);
	assert_int_equal(mshvcpu_featureset_count(&r.missing, MSHVCPU_REV_HV_2026), 3);
	assert_true(mshvcpu_featureset_has(&r.missing, feat("cet_ss")));
	assert_false(mshvcpu_featureset_has(&r.missing, feat("sse3")));
	/* Reference section 5: CET brings U_CET/S_CET/PL*_SSP, rdtscp/rdpid TSC_AUX (once). */
	assert_true(has_msr(&r, 0x6a0));
	assert_true(has_msr(&r, 0x6a2));
	assert_true(has_msr(&r, 0x6a4));
	assert_true(has_msr(&r, 0xc0000103));
	assert_false(has_msr(&r, 0x48));
}

static void migration_to_a_superset_host_is_ok(void **state)
{
	struct mshvcpu_partition_record src;
	struct mshvcpu_migration_report r;
	struct mshvcpu_host target;

	(void)state;
	record_with(&src, MSHVCPU_VENDOR_INTEL, 832, "sse3", "xsave", "avx");
	host_from_words(&target, "t", MSHVCPU_VENDOR_INTEL, ~0ULL, ~0ULL, ~0ULL, 2696);
	target.offered.known[MSHVCPU_WORD_BANK2] = ~0ULL;
	mshvcpu_check_migration(&src, &target, &r);
	assert_true(r.ok);
	assert_int_equal(r.msr_count, 0);
	assert_int_equal(r.source_xsave_size, 832);
	assert_int_equal(r.target_xsave_size, 2696);
}

static void migration_refuses_other_vendor_small_xsave_and_unverified_features(void **state)
{
	struct mshvcpu_partition_record src;
	struct mshvcpu_migration_report r;
	struct mshvcpu_host target;

	(void)state;
	record_with(&src, MSHVCPU_VENDOR_INTEL, 2696, "sse3", NULL, NULL);
	host_from_words(&target, "t", MSHVCPU_VENDOR_AMD, ~0ULL, ~0ULL, ~0ULL, 2696);
	target.offered.known[MSHVCPU_WORD_BANK2] = ~0ULL;
	mshvcpu_check_migration(&src, &target, &r);
	assert_true(r.vendor_mismatch);
	assert_false(r.ok);

	target.offered.vendor = MSHVCPU_VENDOR_INTEL;
	target.max_xsave_data_size = 2688;
	mshvcpu_check_migration(&src, &target, &r);
	assert_true(r.xsave_too_small);
	assert_false(r.ok);
	target.max_xsave_data_size = 0;
	mshvcpu_check_migration(&src, &target, &r);
	assert_false(r.ok);

	target.max_xsave_data_size = 2696;
	mshvcpu_featureset_enable(&src.effective, feat("fred"));
	target.offered.known[MSHVCPU_WORD_BANK2] = 0;
	mshvcpu_check_migration(&src, &target, &r);
	assert_true(mshvcpu_featureset_has(&r.unverified, feat("fred")));
	assert_false(r.ok);
	assert_true(has_msr(&r, 0x1cc));	/* FRED_RSP0 */
}

/*
 * An XSAVE size nobody knows cannot be shown to fit: unknown on the source
 * (a record without max_xsave_data_size) is refused as unknown on the
 * target is, whatever the other side says.
 */
static void migration_refuses_an_unknown_xsave_size_on_either_side(void **state)
{
	static const struct {
		uint32_t source, target;
		bool ok;
	} cases[] = {
		{ 832, 2696, true },
		{ 2696, 2696, true },
		{ 0, 2696, false },	/* unknown source */
		{ 832, 0, false },	/* unknown target */
		{ 0, 0, false },
	};
	struct mshvcpu_partition_record src;
	struct mshvcpu_migration_report r;
	struct mshvcpu_host target;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		record_with(&src, MSHVCPU_VENDOR_INTEL, cases[i].source, "sse3", "xsave", "avx");
		host_from_words(&target, "t", MSHVCPU_VENDOR_INTEL, ~0ULL, ~0ULL, ~0ULL,
				cases[i].target);
		target.offered.known[MSHVCPU_WORD_BANK2] = ~0ULL;
		mshvcpu_check_migration(&src, &target, &r);
		if (r.ok != cases[i].ok)
			fail_msg("source %u, target %u: ok %d", cases[i].source, cases[i].target, r.ok);
		assert_false(r.xsave_too_small);
		assert_int_equal(r.source_xsave_size, cases[i].source);
		assert_int_equal(r.target_xsave_size, cases[i].target);
	}
}

/*
 * mshvcpu_runs_on() is compare's IDENTICAL/SUBSET with nothing uncertain;
 * the array scan returns exactly the hosts it says yes to, in order.
 */
static void runs_on_and_the_fleet_scan_agree_with_compare(void **state)
{
	struct mshvcpu_featureset profile, hosts[7];
	size_t idx[7], n, i, k = 0;

	(void)state;
	mshvcpu_featureset_init(&profile, MSHVCPU_VENDOR_ANY);
	profile.enabled[MSHVCPU_WORD_BANK0] = 0x5;
	profile.enabled[MSHVCPU_WORD_XSAVE] = 0x1;
	for (i = 0; i < N_ELEMENTS(hosts); i++) {
		mshvcpu_featureset_init(&hosts[i], MSHVCPU_VENDOR_INTEL);
		hosts[i].enabled[MSHVCPU_WORD_BANK0] = 0xf;
		hosts[i].enabled[MSHVCPU_WORD_XSAVE] = 0x3;
	}
	hosts[1].enabled[MSHVCPU_WORD_BANK0] = 0xb;	/* lacks bit 2 */
	hosts[2].known[MSHVCPU_WORD_XSAVE] = ~1ULL;	/* bit 0 unknown: not assumed */
	hosts[2].enabled[MSHVCPU_WORD_XSAVE] = 0x2;
	hosts[3].vendor = MSHVCPU_VENDOR_AMD;		/* fine for a neutral profile */
	hosts[4].vendor = MSHVCPU_VENDOR_ANY;
	hosts[5].enabled[MSHVCPU_WORD_BANK2] = ~0ULL;	/* more is fine */
	hosts[6].enabled[MSHVCPU_WORD_XSAVE] = 0;

	for (unsigned int pass = 0; pass < 2; pass++) {
		k = 0;
		n = mshvcpu_scan_runs_on(&profile, hosts, N_ELEMENTS(hosts), idx);
		for (i = 0; i < N_ELEMENTS(hosts); i++) {
			struct mshvcpu_comparison c;
			bool want;

			mshvcpu_compare(&profile, &hosts[i], &c);
			want = c.relation == MSHVCPU_IDENTICAL || c.relation == MSHVCPU_SUBSET;
			for (unsigned int w = 0; w < MSHVCPU_WORD_COUNT; w++)
				want = want && !c.uncertain_a.enabled[w];
			assert_int_equal(mshvcpu_runs_on(&profile, &hosts[i]), want);
			if (want) {
				assert_true(k < n);
				assert_int_equal(idx[k++], i);
			}
		}
		assert_int_equal(k, n);
		/* An Intel profile: the AMD host drops out, the vendor-neutral one stays. */
		profile.vendor = MSHVCPU_VENDOR_INTEL;
	}
	assert_int_equal(n, 3);	/* hosts 0, 4, 5 */
	assert_int_equal(mshvcpu_scan_runs_on(&profile, hosts, 0, idx), 0);
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(compare_classifies_the_four_relations),
		cmocka_unit_test(runs_on_and_the_fleet_scan_agree_with_compare),
		cmocka_unit_test(compare_names_the_features_on_each_side),
		cmocka_unit_test(whp_skylake_offers_a_subset_of_mshv_skylake),
		cmocka_unit_test(vendors_that_differ_are_incompatible),
		cmocka_unit_test(unknown_bits_are_uncertain_not_different),
		cmocka_unit_test(baseline_is_what_every_host_offers),
		cmocka_unit_test(baseline_refuses_mixed_vendors_naming_both_hosts),
		cmocka_unit_test(migration_names_missing_features_and_their_msrs),
		cmocka_unit_test(migration_to_a_superset_host_is_ok),
		cmocka_unit_test(migration_refuses_other_vendor_small_xsave_and_unverified_features),
		cmocka_unit_test(migration_refuses_an_unknown_xsave_size_on_either_side),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
