// SPDX-License-Identifier: MIT
/*
 * The hypervisor model through hv_hypercall(), with real input pages: the
 * partition state machine, the early-property window, dependency
 * refusals, property values, XSAVE sizes and guest CPUID.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_status.h>

#include "hv.h"
#include "hv_test.h"

/* Recorded Azure Ice Lake-SP offer (reference section 7). */
static const uint64_t icx[4] = { 0x2e2a8bfffff7859fULL, 0x000100ae000000f1ULL, 0,
				 0x7fffdfULL };

static struct hv *icx_host(void)
{
	struct hv_host_config c = { .arch = HV_ARCH_X86_64,
				    .vendor = HV_PROCESSOR_VENDOR_INTEL };
	struct hv *hv;

	memcpy(c.offered, icx, sizeof(icx));
	assert_int_equal(hv_create(&c, &hv), 0);
	return hv;
}

static uint16_t create(struct hv *hv, uint64_t b0, uint64_t b1, uint64_t xs, uint64_t *id)
{
	struct hv_input_create_partition_x64 *c = (void *)in;
	uint16_t status;

	memset(in, 0, sizeof(in));
	c->compatibility_version = HV_COMPATIBILITY_21_H2;
	c->partition_creation_properties.disabled_processor_features.as_uint64[0] = b0;
	c->partition_creation_properties.disabled_processor_features.as_uint64[1] = b1;
	c->partition_creation_properties.disabled_processor_xsave_features.as_uint64 = xs;
	status = call(hv, HVCALL_CREATE_PARTITION);
	if (status == HV_STATUS_SUCCESS)
		*id = ((struct hv_output_create_partition *)out)->partition_id;
	return status;
}

static void state_machine_and_early_property_window(void **state)
{
	struct hv *hv = icx_host();
	uint64_t id = 0;

	(void)state;
	assert_int_equal(create(hv, 0, 0, 0, &id), HV_STATUS_SUCCESS);
	assert_int_equal(set_prop(hv, id, HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX,
				  1ULL << 5), HV_STATUS_SUCCESS);
	assert_int_equal(set_prop(hv, id, 0x12345, 0), HV_STATUS_UNKNOWN_PROPERTY);
	assert_int_equal(set_prop(hv, id, HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0, 0),
			 HV_STATUS_ACCESS_DENIED);
	assert_int_equal(set_prop(hv, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX, 1),
			 HV_STATUS_ACCESS_DENIED);
	assert_int_equal(simple(hv, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(simple(hv, HVCALL_INITIALIZE_PARTITION, id),
			 HV_STATUS_INVALID_PARTITION_STATE);
	assert_int_equal(set_prop(hv, id, HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX, 0),
			 HV_STATUS_INVALID_PARTITION_STATE);
	assert_int_equal(simple(hv, HVCALL_DELETE_PARTITION, id),
			 HV_STATUS_INVALID_PARTITION_STATE);
	assert_int_equal(simple(hv, HVCALL_FINALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(simple(hv, HVCALL_DELETE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(simple(hv, HVCALL_DELETE_PARTITION, id), HV_STATUS_INVALID_PARTITION_ID);
	assert_int_equal(hv_partition_count(hv), 0);
	hv_destroy(hv);
}

static void dependency_refusals_have_their_own_status(void **state)
{
	struct hv *hv = icx_host();
	uint64_t id = 0;

	(void)state;
	/* xsave (xsave bit 0) gone, avx kept: 0x3B. */
	assert_int_equal(create(hv, 0, 0, 1ULL << 0, &id),
			 HV_STATUS_PROCESSOR_FEATURE_INCOMPATIBLE_XSAVE_FEATURES);
	/* avx (xsave bit 2) gone, avx2 kept: 0x3D. */
	assert_int_equal(create(hv, 0, 0, 1ULL << 2, &id),
			 HV_STATUS_CPUID_XSAVE_FEATURE_VALIDATION_ERROR);
	assert_int_equal(hv_partition_count(hv), 0);
	hv_destroy(hv);
}

static void properties_for_root_and_child_and_xsave_sizes(void **state)
{
	struct hv *hv = icx_host();
	uint64_t id = 0, avx_family = 0x0000001003a7c7c0ULL;

	(void)state;
	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF, HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0),
			 icx[0]);
	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF, HV_PARTITION_PROPERTY_PROCESSOR_VENDOR),
			 HV_PROCESSOR_VENDOR_INTEL);
	/* x87, SSE, AVX, AVX-512 (opmask, ZMM_Hi256, Hi16_ZMM): 2688 bytes. */
	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE), 2688);
	assert_int_equal(create(hv, 1ULL << 9, 0, avx_family, &id), HV_STATUS_SUCCESS);
	assert_int_equal(get_prop(hv, id, HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0),
			 icx[0] & ~(1ULL << 9));
	assert_int_equal(get_prop(hv, id, HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES),
			 icx[3] & ~avx_family);
	/* Without AVX-512 only x87, SSE and AVX remain: 832 bytes. */
	assert_int_equal(get_prop(hv, id, HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE), 832);
	assert_int_equal(hv_xsave_size(0x3), 576);
	assert_int_equal(hv_xsave_size(0x2e7), 2696);
	assert_int_equal(hv_xsave_size(0x600e7), 11008);
	simple(hv, HVCALL_DELETE_PARTITION, id);
	hv_destroy(hv);
}

static void guest_cpuid_hides_disabled_features(void **state)
{
	struct hv *hv = icx_host();
	struct hv_input_get_vp_cpuid_values *q = (void *)in;
	struct hv_output_get_vp_cpuid_values *r = (void *)out;
	struct hv_input_create_vp *vp = (void *)in;
	uint64_t id = 0;

	(void)state;
	/* Disable avx2 (xsave bit 3): CPUID 7.0 EBX[5] must go. */
	assert_int_equal(create(hv, 0, 0, 1ULL << 3, &id), HV_STATUS_SUCCESS);
	assert_int_equal(simple(hv, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	memset(in, 0, sizeof(in));
	vp->partition_id = id;
	assert_int_equal(call(hv, HVCALL_CREATE_VP), HV_STATUS_SUCCESS);
	memset(in, 0, sizeof(in));
	q->partition_id = id;
	q->cpuid_leaf_info[0].eax = 7;
	q->cpuid_leaf_info[1].eax = 1;
	q->cpuid_leaf_info[2].eax = 0x40000000;
	assert_int_equal(call(hv, HVCALL_GET_VP_CPUID_VALUES | 3ULL << 32), HV_STATUS_SUCCESS);
	assert_int_equal(r[0].ebx >> 5 & 1, 0);		/* avx2 hidden */
	assert_int_equal(r[0].ebx >> 3 & 1, 1);		/* bmi1 kept */
	assert_int_equal(r[1].ecx >> 31, 1);		/* hypervisor present */
	assert_int_equal(r[1].ecx >> 27 & 1, 0);	/* OSXSAVE is the guest OS's */
	assert_memory_equal(&r[2].ebx, "Micr", 4);
	simple(hv, HVCALL_FINALIZE_PARTITION, id);
	simple(hv, HVCALL_DELETE_PARTITION, id);
	hv_destroy(hv);
}

static void bad_configurations_are_refused(void **state)
{
	struct hv_host_config c = { .arch = HV_ARCH_X86_64, .vendor = 7 };
	struct hv *hv;

	(void)state;
	assert_int_equal(hv_create(NULL, &hv), -22);
	assert_int_equal(hv_create(&c, &hv), -22);
	c.vendor = HV_PROCESSOR_VENDOR_INTEL;
	c.cpuid_source = HV_CPUID_TABLE;
	assert_int_equal(hv_create(&c, &hv), -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(state_machine_and_early_property_window),
		cmocka_unit_test(dependency_refusals_have_their_own_status),
		cmocka_unit_test(properties_for_root_and_child_and_xsave_sizes),
		cmocka_unit_test(guest_cpuid_hides_disabled_features),
		cmocka_unit_test(bad_configurations_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
