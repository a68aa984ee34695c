/* SPDX-License-Identifier: MIT */
/*
 * The uapi header's layout: pinned at compile time (uapi_layout_asserts.h),
 * and checked here at run time from raw bytes, the way a program in another
 * language would fill the struct.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "uapi_layout_asserts.h"

PIN_OFF(struct mshv_create_partition_v2, pt_disabled_xsave, 56);

size_t uapi_nonx86_v2_size(void);

static void v2_is_64_bytes_on_both_architectures(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct mshv_create_partition_v2), 64);
	assert_int_equal(uapi_nonx86_v2_size(), 64);
}

static void v2_fields_land_at_their_abi_offsets(void **state)
{
	struct mshv_create_partition_v2 v2;
	unsigned char raw[64];
	uint64_t xsave = 0x1122334455667788ULL;
	uint16_t banks = 2;

	(void)state;
	memset(raw, 0, sizeof(raw));
	memcpy(raw + 16, &banks, sizeof(banks));
	memcpy(raw + 56, &xsave, sizeof(xsave));
	memcpy(&v2, raw, sizeof(v2));

	assert_int_equal(v2.pt_num_cpu_fbanks, 2);
	assert_true(v2.pt_disabled_xsave == xsave);
}

static void v1_is_a_prefix_of_v2(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct mshv_create_partition, pt_flags),
			 offsetof(struct mshv_create_partition_v2, pt_flags));
	assert_int_equal(offsetof(struct mshv_create_partition, pt_isolation),
			 offsetof(struct mshv_create_partition_v2, pt_isolation));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v2_is_64_bytes_on_both_architectures),
		cmocka_unit_test(v2_fields_land_at_their_abi_offsets),
		cmocka_unit_test(v1_is_a_prefix_of_v2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
