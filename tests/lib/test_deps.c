// SPDX-License-Identifier: MIT
/*
 * Dependencies: validation names every violated prerequisite, closure in
 * both directions reports every change, and the refusal rules observed on
 * real hosts warn about a sole mb_clear or rdtscp.
 */
#include "lib_test.h"

static bool has_violation(const struct mshvcpu_violation *v, size_t n, const char *feature,
			  const char *missing)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].feature == feat(feature) && v[i].missing == feat(missing))
			return true;
	return false;
}

static void a_consistent_set_has_no_violation(void **state)
{
	struct mshvcpu_featureset set;

	(void)state;
	set_of(&set, MSHVCPU_VENDOR_INTEL, "xsave", "avx", "avx2", "sse3", NULL);
	assert_int_equal(mshvcpu_deps_check(&set, NULL, 0), 0);
	mshvcpu_featureset_init_all(&set, MSHVCPU_VENDOR_INTEL);
	assert_int_equal(mshvcpu_deps_check(&set, NULL, 0), 0);
}

static void validation_names_every_violated_prerequisite(void **state)
{
	struct mshvcpu_violation v[8];
	struct mshvcpu_featureset set;
	size_t n;

	(void)state;
	set_of(&set, MSHVCPU_VENDOR_INTEL, "avx2", "avx512_bw", "xsave", NULL);
	n = mshvcpu_deps_check(&set, v, N_ELEMENTS(v));
	assert_int_equal(n, 2);
	assert_true(has_violation(v, n, "avx2", "avx"));
	assert_true(has_violation(v, n, "avx512_bw", "avx512"));
}

static void validation_counts_beyond_the_buffer(void **state)
{
	struct mshvcpu_violation v[1] = { { NULL, NULL } };
	struct mshvcpu_featureset set;

	(void)state;
	set_of(&set, MSHVCPU_VENDOR_INTEL, "avx2", "avx512_bw", "xsave", NULL);
	assert_int_equal(mshvcpu_deps_check(&set, v, 1), 2);
	assert_non_null(v[0].feature);
}

static void an_unknown_prerequisite_is_not_a_violation(void **state)
{
	struct mshvcpu_featureset set;

	(void)state;
	set_of(&set, MSHVCPU_VENDOR_INTEL, "avx2", "xsave", NULL);
	mshvcpu_featureset_forget(&set, feat("avx"));
	assert_int_equal(mshvcpu_deps_check(&set, NULL, 0), 0);
}

static bool changed(const struct mshvcpu_change *c, size_t n, const char *name, bool enabled)
{
	size_t i, seen = 0;

	for (i = 0; i < n; i++)
		if (c[i].feature == feat(name)) {
			assert_int_equal(c[i].enabled, enabled);
			assert_non_null(c[i].because);
			seen++;
		}
	assert_true(seen <= 1);
	return seen == 1;
}

static void enabling_pulls_in_prerequisites_transitively_and_reports_each(void **state)
{
	struct mshvcpu_change c[16];
	struct mshvcpu_featureset set;
	size_t n;

	(void)state;
	mshvcpu_featureset_init(&set, MSHVCPU_VENDOR_INTEL);
	n = mshvcpu_deps_enable(&set, feat("avx512_bw"), c, N_ELEMENTS(c));
	assert_true(mshvcpu_featureset_has(&set, feat("avx512_bw")));
	assert_int_equal(mshvcpu_deps_check(&set, NULL, 0), 0);
	/* Every feature now enabled except the requested one is reported. */
	assert_int_equal(n + 1, mshvcpu_featureset_count(&set, MSHVCPU_REV_HV_2026));
	assert_true(changed(c, n, "avx512", true));
	assert_true(changed(c, n, "avx", true));
	assert_true(changed(c, n, "xsave", true));
	assert_false(changed(c, n, "avx512_bw", true));
}

static void enabling_reports_nothing_when_prerequisites_are_there(void **state)
{
	struct mshvcpu_featureset set;

	(void)state;
	set_of(&set, MSHVCPU_VENDOR_INTEL, "xsave", "avx", NULL);
	assert_int_equal(mshvcpu_deps_enable(&set, feat("avx2"), NULL, 0), 0);
	assert_true(mshvcpu_featureset_has(&set, feat("avx2")));
}

static void disabling_drops_every_dependent_and_reports_each_once(void **state)
{
	struct mshvcpu_change c[128];
	struct mshvcpu_featureset set;
	size_t n, i;

	(void)state;
	mshvcpu_featureset_init_all(&set, MSHVCPU_VENDOR_INTEL);
	n = mshvcpu_deps_disable(&set, feat("xsave"), c, N_ELEMENTS(c));
	assert_true(n < N_ELEMENTS(c));
	assert_int_equal(mshvcpu_deps_check(&set, NULL, 0), 0);
	/* Reference: any xsave-word bit needs xsave. */
	for (i = 0; i < mshvcpu_feature_count(); i++) {
		const struct mshvcpu_feature *f = mshvcpu_feature_at(i);

		if (mshvcpu_feature_kind(f) != MSHVCPU_KIND_FEATURE)
			continue;
		if (mshvcpu_feature_word(f) == MSHVCPU_WORD_XSAVE)
			assert_false(mshvcpu_featureset_has(&set, f));
		if (f != feat("xsave") && !mshvcpu_featureset_has(&set, f))
			assert_true(changed(c, n, mshvcpu_feature_name(f), false));
	}
	assert_true(mshvcpu_featureset_has(&set, feat("sse3")));
	assert_false(changed(c, n, "xsave", false));
}

static void disabling_also_drops_dependents_of_unknown_state(void **state)
{
	struct mshvcpu_change c[8];
	struct mshvcpu_featureset set;
	size_t n;

	(void)state;
	set_of(&set, MSHVCPU_VENDOR_INTEL, "xsave", "avx", NULL);
	mshvcpu_featureset_forget(&set, feat("avx2"));
	n = mshvcpu_deps_disable(&set, feat("avx"), c, N_ELEMENTS(c));
	assert_int_equal(mshvcpu_featureset_state(&set, feat("avx2")), MSHVCPU_DISABLED);
	assert_true(changed(c, n, "avx2", false));
	/* Dependents already off are not changes. */
	assert_false(changed(c, n, "fma", false));
}

static void refusal_warning_for_a_sole_mb_clear_or_rdtscp(void **state)
{
	static const struct {
		const char *take[3];
		const char *warn;	/* NULL: no warning */
	} cases[] = {
		{ { "mb_clear" }, "mb_clear" },
		{ { "rdtscp" }, "rdtscp" },
		{ { "sse3" }, NULL },
		{ { "mb_clear", "sse3" }, NULL },
		{ { "rdtscp", "mb_clear" }, NULL },
		{ { NULL }, NULL },
	};
	struct mshvcpu_featureset offered;
	size_t i, k;

	(void)state;
	/* Skylake-SP MSHV host offer (reference section 7): has both. */
	mshvcpu_featureset_init(&offered, MSHVCPU_VENDOR_INTEL);
	offered.known[MSHVCPU_WORD_BANK2] = 0;
	offered.enabled[MSHVCPU_WORD_BANK0] = 0x1005f9fffff7859fULL;
	offered.enabled[MSHVCPU_WORD_BANK1] = 0x0000008f10860063ULL;
	offered.enabled[MSHVCPU_WORD_XSAVE] = 0x3fffULL;
	assert_true(mshvcpu_featureset_has(&offered, feat("mb_clear")));
	assert_true(mshvcpu_featureset_has(&offered, feat("rdtscp")));
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_featureset req = offered;
		const struct mshvcpu_feature *out[4] = { NULL };
		size_t n;

		for (k = 0; k < 3 && cases[i].take[k]; k++)
			mshvcpu_featureset_disable(&req, feat(cases[i].take[k]));
		n = mshvcpu_refusal_warnings(&req, &offered, out, N_ELEMENTS(out));
		if (!cases[i].warn) {
			assert_int_equal(n, 0);
			continue;
		}
		assert_int_equal(n, 1);
		assert_ptr_equal(out[0], feat(cases[i].warn));
	}
}

static void no_refusal_warning_for_a_feature_the_host_does_not_offer(void **state)
{
	struct mshvcpu_featureset offered, req;

	(void)state;
	set_of(&offered, MSHVCPU_VENDOR_INTEL, "sse3", "rdtscp", NULL);
	req = offered;
	mshvcpu_featureset_disable(&req, feat("mb_clear"));
	assert_int_equal(mshvcpu_refusal_warnings(&req, &offered, NULL, 0), 0);
	/* Unknown in the request is not "taken away". */
	mshvcpu_featureset_forget(&req, feat("rdtscp"));
	assert_int_equal(mshvcpu_refusal_warnings(&req, &offered, NULL, 0), 0);
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(a_consistent_set_has_no_violation),
		cmocka_unit_test(validation_names_every_violated_prerequisite),
		cmocka_unit_test(validation_counts_beyond_the_buffer),
		cmocka_unit_test(an_unknown_prerequisite_is_not_a_violation),
		cmocka_unit_test(enabling_pulls_in_prerequisites_transitively_and_reports_each),
		cmocka_unit_test(enabling_reports_nothing_when_prerequisites_are_there),
		cmocka_unit_test(disabling_drops_every_dependent_and_reports_each_once),
		cmocka_unit_test(disabling_also_drops_dependents_of_unknown_state),
		cmocka_unit_test(refusal_warning_for_a_sole_mb_clear_or_rdtscp),
		cmocka_unit_test(no_refusal_warning_for_a_feature_the_host_does_not_offer),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
