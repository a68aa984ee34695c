// SPDX-License-Identifier: MIT
/*
 * Enabled sets to the disabled masks the kernel and hypervisor take: the one
 * polarity conversion, the two policies for bits a revision does not name,
 * and the round trip.
 */
#include "lib_test.h"

/* Bits each revision names as features (reference section 5). */
#define L619_BANK0 0x7fffffffffffffffULL	/* 0-62; 63 reserved */
#define L619_BANK1 0x00000000003fffffULL	/* 0-21 */
#define L619_XSAVE 0x7ULL			/* 0-2 */
#define HV26_BANK1 0x9fffffffffffffffULL	/* 0-60, 63; 61, 62 reserved */
#define HV26_XSAVE 0x000001ffffffffffULL	/* 0-40 */
#define HV26_BANK2 0x0000000000000fffULL	/* 0-11; 12 is a test bit */

static void disabled_is_the_complement_of_enabled_on_named_bits(void **state)
{
	struct mshvcpu_featureset set;
	struct mshvcpu_masks m;

	(void)state;
	set_of(&set, MSHVCPU_VENDOR_INTEL, "sse3", "la57", "xsave", NULL);
	mshvcpu_masks_from_enabled(&set, MSHVCPU_POLICY_FORWARD_COMPATIBLE,
				   MSHVCPU_REV_LINUX_6_19, &m);
	assert_int_equal(m.disabled_banks[0], L619_BANK0 & ~bit_of("sse3"));
	assert_int_equal(m.disabled_banks[1], L619_BANK1 & ~bit_of("la57"));
	assert_int_equal(m.disabled_xsave, L619_XSAVE & ~bit_of("xsave"));
	assert_int_equal(m.disabled_bank2, 0);
	assert_false(m.set_bank2);
}

static void forward_compatible_leaves_unnamed_and_reserved_bits_to_the_hypervisor(void **state)
{
	struct mshvcpu_featureset none;
	struct mshvcpu_masks m;

	(void)state;
	mshvcpu_featureset_init(&none, MSHVCPU_VENDOR_INTEL);
	mshvcpu_masks_from_enabled(&none, MSHVCPU_POLICY_FORWARD_COMPATIBLE,
				   MSHVCPU_REV_HV_2026, &m);
	/* Bank 0 bit 63 (reserved) and bank 1 bits 61-62 stay 0 even in "none". */
	assert_int_equal(m.disabled_banks[0], L619_BANK0);
	assert_int_equal(m.disabled_banks[1], HV26_BANK1);
	assert_int_equal(m.disabled_xsave, HV26_XSAVE);
	assert_int_equal(m.disabled_bank2, HV26_BANK2);
	assert_true(m.set_bank2);
}

static void migration_safe_disables_every_bit_the_revision_does_not_name(void **state)
{
	struct mshvcpu_featureset all;
	struct mshvcpu_masks m;

	(void)state;
	mshvcpu_featureset_init_all(&all, MSHVCPU_VENDOR_INTEL);
	mshvcpu_masks_from_enabled(&all, MSHVCPU_POLICY_MIGRATION_SAFE,
				   MSHVCPU_REV_LINUX_6_19, &m);
	assert_int_equal(m.disabled_banks[0], ~L619_BANK0);
	assert_int_equal(m.disabled_banks[1], ~L619_BANK1);
	assert_int_equal(m.disabled_xsave, ~L619_XSAVE);
	assert_int_equal(m.disabled_bank2, ~0ULL);
	assert_true(m.set_bank2);
	mshvcpu_masks_from_enabled(&all, MSHVCPU_POLICY_MIGRATION_SAFE,
				   MSHVCPU_REV_HV_2026, &m);
	assert_int_equal(m.disabled_banks[1], ~HV26_BANK1);
	assert_int_equal(m.disabled_xsave, ~HV26_XSAVE);
	assert_int_equal(m.disabled_bank2, ~HV26_BANK2);
}

static void named_features_of_unknown_state_follow_the_policy(void **state)
{
	struct mshvcpu_featureset set;
	struct mshvcpu_masks m;

	(void)state;
	mshvcpu_featureset_init_all(&set, MSHVCPU_VENDOR_INTEL);
	mshvcpu_featureset_forget(&set, feat("rdtscp"));
	mshvcpu_masks_from_enabled(&set, MSHVCPU_POLICY_FORWARD_COMPATIBLE,
				   MSHVCPU_REV_HV_2026, &m);
	assert_int_equal(m.disabled_banks[0] & bit_of("rdtscp"), 0);
	mshvcpu_masks_from_enabled(&set, MSHVCPU_POLICY_MIGRATION_SAFE,
				   MSHVCPU_REV_HV_2026, &m);
	assert_int_equal(m.disabled_banks[0] & bit_of("rdtscp"), bit_of("rdtscp"));
}

static void the_revision_decides_what_a_disabled_feature_means(void **state)
{
	struct mshvcpu_featureset set;
	struct mshvcpu_masks m;

	(void)state;
	/* avx2 off: linux-6.19 does not name it, so forward-compatible leaves it on. */
	mshvcpu_featureset_init_all(&set, MSHVCPU_VENDOR_INTEL);
	mshvcpu_featureset_disable(&set, feat("avx2"));
	mshvcpu_masks_from_enabled(&set, MSHVCPU_POLICY_FORWARD_COMPATIBLE,
				   MSHVCPU_REV_LINUX_6_19, &m);
	assert_int_equal(m.disabled_xsave, 0);
	mshvcpu_masks_from_enabled(&set, MSHVCPU_POLICY_FORWARD_COMPATIBLE,
				   MSHVCPU_REV_HV_2026, &m);
	assert_int_equal(m.disabled_xsave, bit_of("avx2"));
}

static void bank2_is_sent_only_when_it_disables_something(void **state)
{
	struct mshvcpu_featureset set;
	struct mshvcpu_masks m;

	(void)state;
	mshvcpu_featureset_init_all(&set, MSHVCPU_VENDOR_INTEL);
	mshvcpu_masks_from_enabled(&set, MSHVCPU_POLICY_FORWARD_COMPATIBLE,
				   MSHVCPU_REV_HV_2026, &m);
	assert_false(m.set_bank2);
	mshvcpu_featureset_disable(&set, feat("fred"));
	mshvcpu_masks_from_enabled(&set, MSHVCPU_POLICY_FORWARD_COMPATIBLE,
				   MSHVCPU_REV_HV_2026, &m);
	assert_true(m.set_bank2);
	assert_int_equal(m.disabled_bank2, bit_of("fred"));
}

static void enabled_from_masks_inverts_every_word(void **state)
{
	struct mshvcpu_masks m = {
		.disabled_banks = { 0x1, 0x2 }, .disabled_xsave = 0x4,
		.disabled_bank2 = 0x8, .set_bank2 = true,
	};
	struct mshvcpu_featureset set;
	unsigned int w;

	(void)state;
	mshvcpu_enabled_from_masks(&m, MSHVCPU_VENDOR_AMD, &set);
	assert_int_equal(set.vendor, MSHVCPU_VENDOR_AMD);
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		assert_int_equal(set.known[w], ~0ULL);
	assert_int_equal(set.enabled[MSHVCPU_WORD_BANK0], ~0x1ULL);
	assert_int_equal(set.enabled[MSHVCPU_WORD_BANK1], ~0x2ULL);
	assert_int_equal(set.enabled[MSHVCPU_WORD_XSAVE], ~0x4ULL);
	assert_int_equal(set.enabled[MSHVCPU_WORD_BANK2], ~0x8ULL);
	/* Without the early property nothing in bank 2 is disabled. */
	m.set_bank2 = false;
	mshvcpu_enabled_from_masks(&m, MSHVCPU_VENDOR_AMD, &set);
	assert_int_equal(set.enabled[MSHVCPU_WORD_BANK2], ~0ULL);
}

static void round_trip_keeps_every_named_feature_of_a_recorded_host(void **state)
{
	static const uint64_t hosts[][3] = {
		{ 0x1005f9fffff7859fULL, 0x0000008f10860063ULL, 0x3fffULL },
		{ 0x2e2a8bfffff7859fULL, 0x000100ae000000f1ULL, 0x7fffdfULL },
		{ 0x1001f9ffe7f7859fULL, 0x0000000f10860063ULL, 0x3fffULL },
		{ 0x06020fcb67f79fbfULL, 0x00000000200001edULL, 0x50381fULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(hosts); i++) {
		struct mshvcpu_featureset set, back;
		struct mshvcpu_masks m, again;

		mshvcpu_featureset_init(&set, MSHVCPU_VENDOR_INTEL);
		set.enabled[MSHVCPU_WORD_BANK0] = hosts[i][0];
		set.enabled[MSHVCPU_WORD_BANK1] = hosts[i][1];
		set.enabled[MSHVCPU_WORD_XSAVE] = hosts[i][2];
		mshvcpu_masks_from_enabled(&set, MSHVCPU_POLICY_MIGRATION_SAFE,
					   MSHVCPU_REV_HV_2026, &m);
		mshvcpu_enabled_from_masks(&m, MSHVCPU_VENDOR_INTEL, &back);
		/* Migration-safe: exactly the named features the host offers. */
		assert_int_equal(back.enabled[MSHVCPU_WORD_BANK0], hosts[i][0] & L619_BANK0);
		assert_int_equal(back.enabled[MSHVCPU_WORD_BANK1], hosts[i][1] & HV26_BANK1);
		assert_int_equal(back.enabled[MSHVCPU_WORD_XSAVE], hosts[i][2] & HV26_XSAVE);
		/* And the masks of that view are the masks again. */
		mshvcpu_masks_from_enabled(&back, MSHVCPU_POLICY_MIGRATION_SAFE,
					   MSHVCPU_REV_HV_2026, &again);
		assert_memory_equal(&m, &again, sizeof(m));
		/* Forward-compatible: the named ones the host lacks, nothing else. */
		mshvcpu_masks_from_enabled(&set, MSHVCPU_POLICY_FORWARD_COMPATIBLE,
					   MSHVCPU_REV_HV_2026, &m);
		assert_int_equal(m.disabled_banks[0], ~hosts[i][0] & L619_BANK0);
		assert_int_equal(m.disabled_banks[1], ~hosts[i][1] & HV26_BANK1);
		assert_int_equal(m.disabled_xsave, ~hosts[i][2] & HV26_XSAVE);
	}
}

static void masks_check_finds_a_dependent_the_revision_cannot_disable(void **state)
{
	struct mshvcpu_featureset set, offered;
	struct mshvcpu_violation v[64];
	struct mshvcpu_masks m;
	size_t n, i;
	bool avx2_under_avx = false;

	(void)state;
	/* Reference section 5's example: -avx in linux-6.19 leaves avx2 on. */
	mshvcpu_featureset_init_all(&set, MSHVCPU_VENDOR_INTEL);
	mshvcpu_featureset_disable(&set, feat("avx"));
	mshvcpu_masks_from_enabled(&set, MSHVCPU_POLICY_FORWARD_COMPATIBLE,
				   MSHVCPU_REV_LINUX_6_19, &m);
	n = mshvcpu_masks_check(&m, NULL, v, N_ELEMENTS(v));
	assert_true(n > 0);
	for (i = 0; i < n && i < N_ELEMENTS(v); i++) {
		assert_ptr_equal(v[i].missing, feat("avx"));
		avx2_under_avx |= v[i].feature == feat("avx2");
	}
	assert_true(avx2_under_avx);
	/* A host that offers no avx dependent has nothing to refuse. */
	set_of(&offered, MSHVCPU_VENDOR_INTEL, "sse3", "xsave", "avx", NULL);
	assert_int_equal(mshvcpu_masks_check(&m, &offered, v, N_ELEMENTS(v)), 0);
	/* hv-2026 names the dependents, so closing the request over them helps there. */
	mshvcpu_deps_disable(&set, feat("avx"), NULL, 0);
	mshvcpu_masks_from_enabled(&set, MSHVCPU_POLICY_FORWARD_COMPATIBLE,
				   MSHVCPU_REV_HV_2026, &m);
	n = mshvcpu_masks_check(&m, NULL, v, N_ELEMENTS(v));
	for (i = 0; i < n && i < N_ELEMENTS(v); i++)
		fail_msg("%s needs %s", mshvcpu_feature_name(v[i].feature),
			 mshvcpu_feature_name(v[i].missing));
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(disabled_is_the_complement_of_enabled_on_named_bits),
		cmocka_unit_test(forward_compatible_leaves_unnamed_and_reserved_bits_to_the_hypervisor),
		cmocka_unit_test(migration_safe_disables_every_bit_the_revision_does_not_name),
		cmocka_unit_test(named_features_of_unknown_state_follow_the_policy),
		cmocka_unit_test(the_revision_decides_what_a_disabled_feature_means),
		cmocka_unit_test(bank2_is_sent_only_when_it_disables_something),
		cmocka_unit_test(enabled_from_masks_inverts_every_word),
		cmocka_unit_test(round_trip_keeps_every_named_feature_of_a_recorded_host),
		cmocka_unit_test(masks_check_finds_a_dependent_the_revision_cannot_disable),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
