// SPDX-License-Identifier: MIT
/*
 * XSAVE sizes (lib/xsave.c has no public face: tested through
 * lib/internal.h) against the table of reference section 5.
 */
#include "lib_test.h"
#include "internal.h"

static void standard_sizes_follow_the_reference_table(void **state)
{
	static const struct {
		uint64_t xcr0;
		uint32_t size;
	} cases[] = {
		{ 0x0, 576 },				/* legacy area and header always */
		{ 0x3, 576 },				/* x87 | SSE */
		{ 0x7, 832 },				/* + AVX 256 @576 */
		{ 0x1f, 1088 },				/* + MPX BNDREGS, BNDCSR @960/@1024 */
		{ 0x7 | 0xe0, 2688 },			/* + AVX-512 */
		{ 0x7 | 0xe0 | 0x200, 2696 },		/* + PKRU 8 @2688 */
		{ 0x7 | 0xe0 | 0x200 | 0x60000, 11008 },	/* + AMX TILECFG, TILEDATA */
		{ 0x3 | 0x40000, 11008 },		/* the farthest component decides */
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++)
		if (xsave_standard_size(cases[i].xcr0) != cases[i].size)
			fail_msg("XCR0 0x%llx: %u bytes, expected %u",
				 (unsigned long long)cases[i].xcr0,
				 xsave_standard_size(cases[i].xcr0), cases[i].size);
}

static void components_of_a_set_follow_its_features(void **state)
{
	static const struct {
		const char *features[4];
		uint64_t xcr0;
	} cases[] = {
		{ { NULL }, 0x3 },
		{ { "xsave", "avx" }, 0x7 },
		{ { "xsave", "avx", "avx512" }, 0xe7 },
		{ { "xsave", "mpx" }, 0x1b },
		{ { "xsave", "amx_tile" }, 0x60003 },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_featureset set;

		mshvcpu_featureset_init(&set, MSHVCPU_VENDOR_INTEL);
		for (k = 0; k < 4 && cases[i].features[k]; k++)
			mshvcpu_featureset_enable(&set, feat(cases[i].features[k]));
		assert_int_equal(xsave_components_of(&set), cases[i].xcr0);
	}
}

static void a_model_host_derives_its_xsave_size_from_the_xsave_word(void **state)
{
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host host;

	(void)state;
	assert_int_equal(mshvcpu_host_load("x86-64-v4", &host, &err), 0);
	assert_int_equal(host.xsave_states, 0xe7);
	assert_int_equal(host.max_xsave_data_size, 2688);
	assert_int_equal(mshvcpu_host_load("x86-64-v2", &host, &err), 0);
	assert_int_equal(host.max_xsave_data_size, 576);
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(standard_sizes_follow_the_reference_table),
		cmocka_unit_test(components_of_a_set_follow_its_features),
		cmocka_unit_test(a_model_host_derives_its_xsave_size_from_the_xsave_word),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
