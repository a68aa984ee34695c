// SPDX-License-Identifier: MIT
/*
 * Named models: the x86-64 psABI levels (facts of the psABI) and the
 * recorded hosts with the exact words mshvcpu(1) gives (RECORDED HOSTS).
 */
#include <errno.h>

#include "lib_test.h"

static bool model_exists(const char *name, struct mshvcpu_model_info *out)
{
	size_t i;

	for (i = 0; i < mshvcpu_model_count(); i++) {
		assert_int_equal(mshvcpu_model_at(i, out), 0);
		if (strcmp(out->name, name) == 0)
			return true;
	}
	return false;
}

static void assert_enables_exactly(const struct mshvcpu_featureset *set,
				   const char *const *names, size_t n)
{
	const struct mshvcpu_feature *f = NULL;
	size_t count = 0, i;

	while ((f = mshvcpu_featureset_next(set, MSHVCPU_REV_HV_2026, MSHVCPU_ENABLED, f))) {
		for (i = 0; i < n; i++)
			if (strcmp(names[i], mshvcpu_feature_name(f)) == 0)
				break;
		if (i == n)
			fail_msg("unexpected feature %s", mshvcpu_feature_name(f));
		count++;
	}
	assert_int_equal(count, n);
}

/* System V psABI microarchitecture levels; v1's features have no bank bit. */
static void psabi_levels_enable_exactly_their_features(void **state)
{
	static const char *const v2[] = { "cmpxchg16b", "lahf_sahf", "pop_cnt", "sse3",
					  "sse4_1", "sse4_2", "ssse3" };
	static const char *const v3[] = { "cmpxchg16b", "lahf_sahf", "pop_cnt", "sse3",
					  "sse4_1", "sse4_2", "ssse3", "avx", "avx2", "bmi1",
					  "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave" };
	static const char *const v4[] = { "cmpxchg16b", "lahf_sahf", "pop_cnt", "sse3",
					  "sse4_1", "sse4_2", "ssse3", "avx", "avx2", "bmi1",
					  "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave",
					  "avx512", "avx512_bw", "avx512_cd", "avx512_dq",
					  "avx512_vl" };
	static const struct {
		const char *name;
		const char *const *features;
		size_t n;
	} levels[] = {
		{ "x86-64-v1", NULL, 0 },
		{ "x86-64-v2", v2, N_ELEMENTS(v2) },
		{ "x86-64-v3", v3, N_ELEMENTS(v3) },
		{ "x86-64-v4", v4, N_ELEMENTS(v4) },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(levels); i++) {
		struct mshvcpu_profile *p = parse_ok(levels[i].name, MSHVCPU_REV_HV_2026);
		const struct mshvcpu_featureset *set = mshvcpu_profile_features(p);
		struct mshvcpu_model_info info;

		assert_true(model_exists(levels[i].name, &info));
		assert_int_equal(info.vendor, MSHVCPU_VENDOR_ANY);
		assert_int_equal(set->vendor, MSHVCPU_VENDOR_ANY);
		assert_enables_exactly(set, levels[i].features, levels[i].n);
		/* A level is a consistent set. */
		assert_int_equal(mshvcpu_deps_check(set, NULL, 0), 0);
		assert_int_equal(mshvcpu_profile_base_violations(p, NULL, 0), 0);
		assert_non_null(mshvcpu_profile_provenance(p));
		mshvcpu_profile_free(p);
	}
}

static void recorded_hosts_carry_the_words_of_reference_section_7(void **state)
{
	static const struct {
		const char *name;
		enum mshvcpu_vendor vendor;
		uint64_t bank0, bank1, xsave;
	} hosts[] = {
		{ "mshv-skylake-sp", MSHVCPU_VENDOR_INTEL,
		  0x1005f9fffff7859fULL, 0x0000008f10860063ULL, 0x3fffULL },
		{ "mshv-icelake-sp-azure", MSHVCPU_VENDOR_INTEL,
		  0x2e2a8bfffff7859fULL, 0x000100ae000000f1ULL, 0x7fffdfULL },
		{ "whp-skylake-sp", MSHVCPU_VENDOR_INTEL,
		  0x1001f9ffe7f7859fULL, 0x0000000f10860063ULL, 0x3fffULL },
		{ "whp-epyc-milan-azure", MSHVCPU_VENDOR_AMD,
		  0x06020fcb67f79fbfULL, 0x00000000200001edULL, 0x50381fULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(hosts); i++) {
		struct mshvcpu_profile *p = parse_ok(hosts[i].name, MSHVCPU_REV_HV_2026);
		const struct mshvcpu_featureset *set = mshvcpu_profile_features(p);
		struct mshvcpu_model_info info;

		assert_true(model_exists(hosts[i].name, &info));
		assert_int_equal(info.vendor, hosts[i].vendor);
		assert_int_equal(set->vendor, hosts[i].vendor);
		assert_int_equal(set->enabled[MSHVCPU_WORD_BANK0], hosts[i].bank0);
		assert_int_equal(set->enabled[MSHVCPU_WORD_BANK1], hosts[i].bank1);
		assert_int_equal(set->enabled[MSHVCPU_WORD_XSAVE], hosts[i].xsave);
		assert_int_equal(set->known[MSHVCPU_WORD_BANK0], ~0ULL);
		assert_int_equal(set->known[MSHVCPU_WORD_XSAVE], ~0ULL);
		/* Nobody recorded bank 2. */
		assert_int_equal(set->known[MSHVCPU_WORD_BANK2], 0);
		/* Provenance says where the words come from, in a page users have. */
		assert_non_null(info.provenance);
		assert_non_null(strstr(info.provenance, "mshvcpu(1), RECORDED HOSTS"));
		assert_string_equal(mshvcpu_profile_provenance(p), info.provenance);
		assert_non_null(info.description);
		mshvcpu_profile_free(p);
	}
}

/* What real hosts offer satisfies the prerequisites the hypervisor enforces. */
static void recorded_hosts_are_consistent_with_the_prerequisites(void **state)
{
	static const char *const hosts[] = { "mshv-skylake-sp", "mshv-icelake-sp-azure",
					      "whp-skylake-sp", "whp-epyc-milan-azure" };
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(hosts); i++) {
		struct mshvcpu_profile *p = parse_ok(hosts[i], MSHVCPU_REV_HV_2026);
		struct mshvcpu_violation v[8];
		size_t n = mshvcpu_deps_check(mshvcpu_profile_features(p), v, N_ELEMENTS(v)), k;

		for (k = 0; k < n && k < N_ELEMENTS(v); k++)
			fprintf(stderr, "# %s: %s needs %s\n", hosts[i],
				mshvcpu_feature_name(v[k].feature), mshvcpu_feature_name(v[k].missing));
		assert_int_equal(n, 0);
		mshvcpu_profile_free(p);
	}
}

static void model_names_are_unique_and_found_case_insensitively(void **state)
{
	struct mshvcpu_model_info a, b;
	struct mshvcpu_profile *p;
	size_t i, k;

	(void)state;
	for (i = 0; i < mshvcpu_model_count(); i++) {
		assert_int_equal(mshvcpu_model_at(i, &a), 0);
		for (k = i + 1; k < mshvcpu_model_count(); k++) {
			assert_int_equal(mshvcpu_model_at(k, &b), 0);
			assert_string_not_equal(a.name, b.name);
		}
	}
	p = parse_ok("X86-64-V2", MSHVCPU_REV_HV_2026);
	assert_true(mshvcpu_featureset_has(mshvcpu_profile_features(p), feat("sse4_2")));
	mshvcpu_profile_free(p);
	assert_int_equal(mshvcpu_model_at(mshvcpu_model_count(), &a), -ENOENT);
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(psabi_levels_enable_exactly_their_features),
		cmocka_unit_test(recorded_hosts_carry_the_words_of_reference_section_7),
		cmocka_unit_test(recorded_hosts_are_consistent_with_the_prerequisites),
		cmocka_unit_test(model_names_are_unique_and_found_case_insensitively),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
