// SPDX-License-Identifier: MIT
/*
 * Feature sets: three-valued bits (enabled, disabled, unknown), the set
 * algebra over them, counting, iteration and formatting.
 */
#include "lib_test.h"

/* A set where every bit is known and off except @f, which is in @state. */
static void one_bit(struct mshvcpu_featureset *set, const struct mshvcpu_feature *f,
		    enum mshvcpu_state state, enum mshvcpu_vendor vendor)
{
	mshvcpu_featureset_init(set, vendor);
	if (state == MSHVCPU_ENABLED)
		mshvcpu_featureset_enable(set, f);
	else if (state == MSHVCPU_UNKNOWN)
		mshvcpu_featureset_forget(set, f);
}

static void assert_invariant(const struct mshvcpu_featureset *set)
{
	unsigned int w;

	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		assert_int_equal(set->enabled[w] & ~set->known[w], 0);
}

static size_t features_in(enum mshvcpu_revision rev)
{
	size_t i, n = 0;

	for (i = 0; i < mshvcpu_feature_count(); i++) {
		const struct mshvcpu_feature *f = mshvcpu_feature_at(i);

		n += mshvcpu_feature_kind(f) == MSHVCPU_KIND_FEATURE &&
		     mshvcpu_feature_in_revision(f, rev);
	}
	return n;
}

static void init_knows_every_bit_and_enables_none(void **state)
{
	struct mshvcpu_featureset set;
	size_t i;

	(void)state;
	mshvcpu_featureset_init(&set, MSHVCPU_VENDOR_AMD);
	assert_int_equal(set.vendor, MSHVCPU_VENDOR_AMD);
	for (i = 0; i < mshvcpu_feature_count(); i++) {
		assert_int_equal(mshvcpu_featureset_state(&set, mshvcpu_feature_at(i)),
				 MSHVCPU_DISABLED);
		assert_false(mshvcpu_featureset_has(&set, mshvcpu_feature_at(i)));
	}
	assert_int_equal(mshvcpu_featureset_count(&set, MSHVCPU_REV_HV_2026), 0);
	assert_int_equal(mshvcpu_featureset_count_unknown(&set, MSHVCPU_REV_HV_2026), 0);
}

static void init_all_enables_every_bit_named_or_not(void **state)
{
	struct mshvcpu_featureset set;
	unsigned int w;

	(void)state;
	mshvcpu_featureset_init_all(&set, MSHVCPU_VENDOR_INTEL);
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		assert_int_equal(set.enabled[w], ~0ULL);
	assert_int_equal(mshvcpu_featureset_count(&set, MSHVCPU_REV_LINUX_6_19),
			 features_in(MSHVCPU_REV_LINUX_6_19));
	assert_int_equal(mshvcpu_featureset_count(&set, MSHVCPU_REV_HV_2026),
			 features_in(MSHVCPU_REV_HV_2026));
	/* Reference section 5: linux-6.19 names 63 + 22 + 3 features. */
	assert_int_equal(features_in(MSHVCPU_REV_LINUX_6_19), 63 + 22 + 3);
}

static void init_unknown_knows_nothing(void **state)
{
	struct mshvcpu_featureset set;

	(void)state;
	mshvcpu_featureset_init_unknown(&set, MSHVCPU_VENDOR_ANY);
	assert_int_equal(mshvcpu_featureset_state(&set, feat("sse3")), MSHVCPU_UNKNOWN);
	assert_false(mshvcpu_featureset_has(&set, feat("sse3")));
	assert_int_equal(mshvcpu_featureset_count(&set, MSHVCPU_REV_HV_2026), 0);
	assert_int_equal(mshvcpu_featureset_count_unknown(&set, MSHVCPU_REV_LINUX_6_19),
			 features_in(MSHVCPU_REV_LINUX_6_19));
	assert_int_equal(mshvcpu_featureset_count_unknown(&set, MSHVCPU_REV_HV_2026),
			 features_in(MSHVCPU_REV_HV_2026));
}

static void enable_disable_forget_move_one_bit_between_states(void **state)
{
	struct mshvcpu_featureset set;
	const struct mshvcpu_feature *avx = feat("avx"), *sse3 = feat("sse3");

	(void)state;
	mshvcpu_featureset_init_unknown(&set, MSHVCPU_VENDOR_ANY);
	mshvcpu_featureset_enable(&set, avx);
	assert_int_equal(mshvcpu_featureset_state(&set, avx), MSHVCPU_ENABLED);
	assert_true(mshvcpu_featureset_has(&set, avx));
	mshvcpu_featureset_disable(&set, avx);
	assert_int_equal(mshvcpu_featureset_state(&set, avx), MSHVCPU_DISABLED);
	mshvcpu_featureset_enable(&set, avx);
	mshvcpu_featureset_forget(&set, avx);
	assert_int_equal(mshvcpu_featureset_state(&set, avx), MSHVCPU_UNKNOWN);
	assert_false(mshvcpu_featureset_has(&set, avx));
	assert_int_equal(mshvcpu_featureset_state(&set, sse3), MSHVCPU_UNKNOWN);
	assert_invariant(&set);
}

enum op { AND, OR, MINUS };

static void algebra_follows_three_valued_logic_bit_by_bit(void **state)
{
	/* E enabled, D disabled, U unknown. */
	static const struct {
		enum op op;
		enum mshvcpu_state a, b, result;
	} cases[] = {
		{ AND, MSHVCPU_ENABLED, MSHVCPU_ENABLED, MSHVCPU_ENABLED },
		{ AND, MSHVCPU_ENABLED, MSHVCPU_DISABLED, MSHVCPU_DISABLED },
		{ AND, MSHVCPU_ENABLED, MSHVCPU_UNKNOWN, MSHVCPU_UNKNOWN },
		{ AND, MSHVCPU_DISABLED, MSHVCPU_UNKNOWN, MSHVCPU_DISABLED },
		{ AND, MSHVCPU_UNKNOWN, MSHVCPU_DISABLED, MSHVCPU_DISABLED },
		{ AND, MSHVCPU_UNKNOWN, MSHVCPU_UNKNOWN, MSHVCPU_UNKNOWN },
		{ AND, MSHVCPU_DISABLED, MSHVCPU_DISABLED, MSHVCPU_DISABLED },
		{ OR, MSHVCPU_ENABLED, MSHVCPU_UNKNOWN, MSHVCPU_ENABLED },
		{ OR, MSHVCPU_UNKNOWN, MSHVCPU_ENABLED, MSHVCPU_ENABLED },
		{ OR, MSHVCPU_DISABLED, MSHVCPU_UNKNOWN, MSHVCPU_UNKNOWN },
		{ OR, MSHVCPU_DISABLED, MSHVCPU_DISABLED, MSHVCPU_DISABLED },
		{ OR, MSHVCPU_DISABLED, MSHVCPU_ENABLED, MSHVCPU_ENABLED },
		{ OR, MSHVCPU_UNKNOWN, MSHVCPU_UNKNOWN, MSHVCPU_UNKNOWN },
		{ MINUS, MSHVCPU_ENABLED, MSHVCPU_DISABLED, MSHVCPU_ENABLED },
		{ MINUS, MSHVCPU_ENABLED, MSHVCPU_ENABLED, MSHVCPU_DISABLED },
		{ MINUS, MSHVCPU_ENABLED, MSHVCPU_UNKNOWN, MSHVCPU_UNKNOWN },
		{ MINUS, MSHVCPU_DISABLED, MSHVCPU_UNKNOWN, MSHVCPU_DISABLED },
		{ MINUS, MSHVCPU_DISABLED, MSHVCPU_ENABLED, MSHVCPU_DISABLED },
		{ MINUS, MSHVCPU_UNKNOWN, MSHVCPU_ENABLED, MSHVCPU_DISABLED },
		{ MINUS, MSHVCPU_UNKNOWN, MSHVCPU_DISABLED, MSHVCPU_UNKNOWN },
		{ MINUS, MSHVCPU_UNKNOWN, MSHVCPU_UNKNOWN, MSHVCPU_UNKNOWN },
	};
	const struct mshvcpu_feature *f = feat("avx512_bw");
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_featureset a, b, r;

		one_bit(&a, f, cases[i].a, MSHVCPU_VENDOR_INTEL);
		one_bit(&b, f, cases[i].b, MSHVCPU_VENDOR_INTEL);
		if (cases[i].op == AND)
			mshvcpu_featureset_and(&r, &a, &b);
		else if (cases[i].op == OR)
			mshvcpu_featureset_or(&r, &a, &b);
		else
			mshvcpu_featureset_minus(&r, &a, &b);
		if (mshvcpu_featureset_state(&r, f) != cases[i].result)
			fail_msg("case %zu: got state %d, expected %d", i,
				 mshvcpu_featureset_state(&r, f), cases[i].result);
		assert_invariant(&r);
		/* Every other bit is known off in both: stays known off. */
		assert_int_equal(mshvcpu_featureset_state(&r, feat("sse3")), MSHVCPU_DISABLED);
	}
}

static void algebra_may_write_over_an_operand(void **state)
{
	struct mshvcpu_featureset a, b;

	(void)state;
	set_of(&a, MSHVCPU_VENDOR_INTEL, "sse3", "avx", NULL);
	set_of(&b, MSHVCPU_VENDOR_INTEL, "avx", "aes", NULL);
	mshvcpu_featureset_and(&a, &a, &b);
	assert_true(mshvcpu_featureset_has(&a, feat("avx")));
	assert_false(mshvcpu_featureset_has(&a, feat("sse3")));
	mshvcpu_featureset_or(&b, &a, &b);
	assert_true(mshvcpu_featureset_has(&b, feat("aes")));
	mshvcpu_featureset_minus(&b, &b, &a);
	assert_true(mshvcpu_featureset_has(&b, feat("aes")));
	assert_false(mshvcpu_featureset_has(&b, feat("avx")));
}

static void algebra_results_take_the_common_vendor(void **state)
{
	static const struct {
		enum mshvcpu_vendor a, b, result;
	} cases[] = {
		{ MSHVCPU_VENDOR_INTEL, MSHVCPU_VENDOR_INTEL, MSHVCPU_VENDOR_INTEL },
		{ MSHVCPU_VENDOR_ANY, MSHVCPU_VENDOR_AMD, MSHVCPU_VENDOR_AMD },
		{ MSHVCPU_VENDOR_AMD, MSHVCPU_VENDOR_ANY, MSHVCPU_VENDOR_AMD },
		{ MSHVCPU_VENDOR_INTEL, MSHVCPU_VENDOR_AMD, MSHVCPU_VENDOR_ANY },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_featureset a, b, r;

		mshvcpu_featureset_init(&a, cases[i].a);
		mshvcpu_featureset_init(&b, cases[i].b);
		mshvcpu_featureset_and(&r, &a, &b);
		assert_int_equal(r.vendor, cases[i].result);
		mshvcpu_featureset_or(&r, &a, &b);
		assert_int_equal(r.vendor, cases[i].result);
	}
}

/* The header puts minus under the same vendor rule as and/or. */
static void minus_takes_the_common_vendor_too(void **state)
{
	struct mshvcpu_featureset a, b, r;

	(void)state;
	mshvcpu_featureset_init(&a, MSHVCPU_VENDOR_ANY);
	mshvcpu_featureset_init(&b, MSHVCPU_VENDOR_INTEL);
	mshvcpu_featureset_minus(&r, &a, &b);
	assert_int_equal(r.vendor, MSHVCPU_VENDOR_INTEL);
	mshvcpu_featureset_init(&a, MSHVCPU_VENDOR_INTEL);
	mshvcpu_featureset_init(&b, MSHVCPU_VENDOR_AMD);
	mshvcpu_featureset_minus(&r, &a, &b);
	assert_int_equal(r.vendor, MSHVCPU_VENDOR_ANY);
}

static void subset_needs_every_enabled_bit_known_enabled_on_the_other_side(void **state)
{
	struct mshvcpu_featureset small, big;

	(void)state;
	set_of(&small, MSHVCPU_VENDOR_INTEL, "sse3", NULL);
	set_of(&big, MSHVCPU_VENDOR_INTEL, "sse3", "avx", NULL);
	assert_true(mshvcpu_featureset_is_subset(&small, &big));
	assert_false(mshvcpu_featureset_is_subset(&big, &small));
	assert_true(mshvcpu_featureset_is_subset(&small, &small));
	/* Unknown on the other side is not "known enabled". */
	mshvcpu_featureset_forget(&big, feat("sse3"));
	assert_false(mshvcpu_featureset_is_subset(&small, &big));
}

static void equal_compares_vendor_known_and_enabled(void **state)
{
	struct mshvcpu_featureset a, b;

	(void)state;
	set_of(&a, MSHVCPU_VENDOR_INTEL, "sse3", NULL);
	set_of(&b, MSHVCPU_VENDOR_INTEL, "sse3", NULL);
	assert_true(mshvcpu_featureset_equal(&a, &b));
	b.vendor = MSHVCPU_VENDOR_AMD;
	assert_false(mshvcpu_featureset_equal(&a, &b));
	b.vendor = MSHVCPU_VENDOR_INTEL;
	mshvcpu_featureset_forget(&b, feat("avx"));
	assert_false(mshvcpu_featureset_equal(&a, &b));
	mshvcpu_featureset_disable(&b, feat("avx"));
	assert_true(mshvcpu_featureset_equal(&a, &b));
	mshvcpu_featureset_enable(&b, feat("avx"));
	assert_false(mshvcpu_featureset_equal(&a, &b));
}

static void counting_follows_the_revision_and_skips_reserved_bits(void **state)
{
	struct mshvcpu_featureset set;

	(void)state;
	set_of(&set, MSHVCPU_VENDOR_INTEL, "sse3", "avx", "avx2", NULL);
	mshvcpu_featureset_enable(&set, mshvcpu_feature_at_bit(MSHVCPU_WORD_BANK0, 63,
							       MSHVCPU_REV_LINUX_6_19));
	assert_int_equal(mshvcpu_featureset_count(&set, MSHVCPU_REV_LINUX_6_19), 2);
	assert_int_equal(mshvcpu_featureset_count(&set, MSHVCPU_REV_HV_2026), 3);
	assert_int_equal(mshvcpu_featureset_count(&set, MSHVCPU_REV_DEFAULT), 3);
}

static void unnamed_bits_are_the_enabled_bits_the_revision_does_not_name(void **state)
{
	struct mshvcpu_featureset all;

	(void)state;
	mshvcpu_featureset_init_all(&all, MSHVCPU_VENDOR_ANY);
	/* Reference section 5: linux-6.19 names bank 0 bits 0-62 (63 reserved),
	 * bank 1 bits 0-21, xsave bits 0-2; hv-2026 adds bank 1 22-60 and 63
	 * (61, 62 reserved), xsave 3-40, bank 2 0-11 (12 a test bit). */
	assert_int_equal(mshvcpu_featureset_unnamed_bits(&all, MSHVCPU_WORD_BANK0,
							 MSHVCPU_REV_LINUX_6_19), 1ULL << 63);
	assert_int_equal(mshvcpu_featureset_unnamed_bits(&all, MSHVCPU_WORD_BANK1,
							 MSHVCPU_REV_LINUX_6_19), ~0x3fffffULL);
	assert_int_equal(mshvcpu_featureset_unnamed_bits(&all, MSHVCPU_WORD_XSAVE,
							 MSHVCPU_REV_LINUX_6_19), ~0x7ULL);
	assert_int_equal(mshvcpu_featureset_unnamed_bits(&all, MSHVCPU_WORD_BANK2,
							 MSHVCPU_REV_LINUX_6_19), ~0ULL);
	assert_int_equal(mshvcpu_featureset_unnamed_bits(&all, MSHVCPU_WORD_BANK1,
							 MSHVCPU_REV_HV_2026), 3ULL << 61);
	assert_int_equal(mshvcpu_featureset_unnamed_bits(&all, MSHVCPU_WORD_XSAVE,
							 MSHVCPU_REV_HV_2026), ~0x1ffffffffffULL);
	assert_int_equal(mshvcpu_featureset_unnamed_bits(&all, MSHVCPU_WORD_BANK2,
							 MSHVCPU_REV_HV_2026), ~0xfffULL);
	assert_int_equal(mshvcpu_featureset_unnamed_bits(&all, MSHVCPU_WORD_COUNT,
							 MSHVCPU_REV_HV_2026), 0);
}

static void iteration_visits_features_of_one_state_in_table_order(void **state)
{
	static const char *const want[] = { "sse3", "pop_cnt", "la57", "xsave", "avx2" };
	const struct mshvcpu_feature *f = NULL;
	struct mshvcpu_featureset set;
	size_t n = 0;

	(void)state;
	set_of(&set, MSHVCPU_VENDOR_ANY, "avx2", "xsave", "la57", "pop_cnt", "sse3", NULL);
	mshvcpu_featureset_forget(&set, feat("aes"));
	while ((f = mshvcpu_featureset_next(&set, MSHVCPU_REV_HV_2026, MSHVCPU_ENABLED, f))) {
		assert_true(n < N_ELEMENTS(want));
		assert_string_equal(mshvcpu_feature_name(f), want[n]);
		n++;
	}
	assert_int_equal(n, N_ELEMENTS(want));
	/* linux-6.19 does not name avx2. */
	for (n = 0, f = NULL; (f = mshvcpu_featureset_next(&set, MSHVCPU_REV_LINUX_6_19,
							     MSHVCPU_ENABLED, f)); n++)
		assert_string_not_equal(mshvcpu_feature_name(f), "avx2");
	assert_int_equal(n, 4);
	f = mshvcpu_featureset_next(&set, MSHVCPU_REV_HV_2026, MSHVCPU_UNKNOWN, NULL);
	assert_ptr_equal(f, feat("aes"));
	assert_null(mshvcpu_featureset_next(&set, MSHVCPU_REV_HV_2026, MSHVCPU_UNKNOWN, f));
}

static void words_format_as_a_host_dump_shows_them(void **state)
{
	struct mshvcpu_featureset set;
	char buf[128];
	int n;

	(void)state;
	mshvcpu_featureset_init(&set, MSHVCPU_VENDOR_INTEL);
	set.known[MSHVCPU_WORD_BANK2] = 0;
	set.enabled[MSHVCPU_WORD_BANK0] = 0x2e2a8bfffff7859fULL;
	set.enabled[MSHVCPU_WORD_BANK1] = 0x000100ae000000f1ULL;
	set.enabled[MSHVCPU_WORD_XSAVE] = 0x7fffdfULL;
	n = mshvcpu_featureset_format_words(&set, buf, sizeof(buf));
	assert_string_equal(buf, "intel:0x2e2a8bfffff7859f:0x000100ae000000f1:0x7fffdf");
	assert_int_equal(n, (int)strlen(buf));
	/* Bank 2 shows once any of it is known. */
	set.known[MSHVCPU_WORD_BANK2] = 0x1;
	set.enabled[MSHVCPU_WORD_BANK2] = 0x1;
	mshvcpu_featureset_format_words(&set, buf, sizeof(buf));
	assert_string_equal(buf, "intel:0x2e2a8bfffff7859f:0x000100ae000000f1:0x7fffdf:0x1");
}

static void formatting_reports_the_full_length_and_truncates_safely(void **state)
{
	struct mshvcpu_featureset set;
	char buf[10];
	int full, n;

	(void)state;
	set_of(&set, MSHVCPU_VENDOR_AMD, "sse3", "avx", NULL);
	full = mshvcpu_featureset_format_words(&set, NULL, 0);
	memset(buf, 'X', sizeof(buf));
	n = mshvcpu_featureset_format_words(&set, buf, sizeof(buf));
	assert_int_equal(n, full);
	assert_int_equal(buf[sizeof(buf) - 1], '\0');
	assert_int_equal(strncmp(buf, "amd:0x000", 9), 0);

	full = mshvcpu_featureset_format_names(&set, MSHVCPU_REV_HV_2026, ", ", NULL, 0);
	assert_int_equal(full, (int)strlen("sse3, avx"));
	memset(buf, 'X', sizeof(buf));
	n = mshvcpu_featureset_format_names(&set, MSHVCPU_REV_HV_2026, ", ", buf, 6);
	assert_int_equal(n, full);
	assert_string_equal(buf, "sse3,");
	assert_int_equal(buf[6], 'X');
}

static void names_format_in_table_order_with_the_separator(void **state)
{
	struct mshvcpu_featureset set;
	char buf[256];

	(void)state;
	set_of(&set, MSHVCPU_VENDOR_ANY, "avx2", "avx", "xsave", "sse3", NULL);
	mshvcpu_featureset_format_names(&set, MSHVCPU_REV_HV_2026, " ", buf, sizeof(buf));
	assert_string_equal(buf, "sse3 xsave avx avx2");
	mshvcpu_featureset_format_names(&set, MSHVCPU_REV_LINUX_6_19, ",", buf, sizeof(buf));
	assert_string_equal(buf, "sse3,xsave,avx");
	mshvcpu_featureset_init(&set, MSHVCPU_VENDOR_ANY);
	assert_int_equal(mshvcpu_featureset_format_names(&set, MSHVCPU_REV_HV_2026, ",", buf,
							 sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(init_knows_every_bit_and_enables_none),
		cmocka_unit_test(init_all_enables_every_bit_named_or_not),
		cmocka_unit_test(init_unknown_knows_nothing),
		cmocka_unit_test(enable_disable_forget_move_one_bit_between_states),
		cmocka_unit_test(algebra_follows_three_valued_logic_bit_by_bit),
		cmocka_unit_test(algebra_may_write_over_an_operand),
		cmocka_unit_test(algebra_results_take_the_common_vendor),
		cmocka_unit_test(minus_takes_the_common_vendor_too),
		cmocka_unit_test(subset_needs_every_enabled_bit_known_enabled_on_the_other_side),
		cmocka_unit_test(equal_compares_vendor_known_and_enabled),
		cmocka_unit_test(counting_follows_the_revision_and_skips_reserved_bits),
		cmocka_unit_test(unnamed_bits_are_the_enabled_bits_the_revision_does_not_name),
		cmocka_unit_test(iteration_visits_features_of_one_state_in_table_order),
		cmocka_unit_test(words_format_as_a_host_dump_shows_them),
		cmocka_unit_test(formatting_reports_the_full_length_and_truncates_safely),
		cmocka_unit_test(names_format_in_table_order_with_the_separator),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
