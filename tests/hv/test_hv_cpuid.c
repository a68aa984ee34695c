// SPDX-License-Identifier: MIT
/*
 * The guest CPUID (HvCallGetVpCpuidValues) and the partition properties on
 * an Intel-like and an AMD-like host whose CPUID is synthesized from their
 * feature words: for every leaf the issue names (1, 7.0, 7.1, 0xD.0/1,
 * 0x80000001, 0x80000008) a feature shows when the partition has it and
 * disappears when only it is disabled. Locations come from
 * ../shared/reference/feature-bits.tsv, written out here so that the test
 * does not read the model's own table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_partition.h>
#include <hyperv/hv_status.h>

#include "hv.h"
#include "hv_test.h"

enum { B0, B1, B2, XS };
enum { EAX, EBX, ECX, EDX };

/*
 * Recorded offers (reference section 7) with the bits this test needs
 * added, so that each row below is offered: Azure Ice Lake-SP plus
 * x87_pointers_saved/ibrs/ibpb/mb_clear and a few 7.1 features; Azure EPYC 7763 plus the
 * AMD speculation-control bits of 0x80000008.EBX.
 */
static const uint64_t intel_words[4] = {
	0x2e2a8bfffff7859fULL | 1ULL << 42 | 1ULL << 44 | 1ULL << 46 | 1ULL << 60,
	0x000100ae000000f1ULL | 1ULL << 19 | 1ULL << 46,
	0,
	0x7fffdfULL | 1ULL << 30,
};
static const uint64_t amd_words[4] = {
	0x06020fcb67f79fbfULL | 1ULL << 44 | 1ULL << 45 | 1ULL << 46 | 1ULL << 48,
	0x00000000200001edULL | 1ULL << 2 | 1ULL << 3 | 1ULL << 19,
	0,
	0x50381fULL,
};

struct cpuid_row {
	const char *name;
	unsigned int word, bit;		/* the feature */
	uint32_t leaf, subleaf;
	unsigned int reg, reg_bit;	/* where the guest sees it */
};

static const struct cpuid_row intel_rows[] = {
	{ "sse3", B0, 0, 0x1, 0, ECX, 0 },
	{ "fma", XS, 4, 0x1, 0, ECX, 12 },
	{ "avx2", XS, 3, 0x7, 0, EBX, 5 },
	{ "avx512_vbmi", XS, 16, 0x7, 0, ECX, 1 },
	{ "mb_clear", B0, 60, 0x7, 0, EDX, 10 },
	{ "ibrs", B0, 44, 0x7, 0, EDX, 26 },	/* shared with ibpb on Intel */
	{ "ibpb", B0, 46, 0x7, 0, EDX, 26 },
	{ "fz_l_rep_movsb", B1, 19, 0x7, 1, EAX, 10 },
	{ "sha512", B1, 46, 0x7, 1, EAX, 0 },
	{ "avx_vnni", XS, 30, 0x7, 1, EAX, 4 },
	{ "xsaveopt", XS, 1, 0xd, 1, EAX, 0 },
	{ "xsave_supervisor", XS, 12, 0xd, 1, EAX, 3 },
	{ "lahf_sahf", B0, 1, 0x80000001, 0, ECX, 0 },
	{ "lzcnt", B0, 10, 0x80000001, 0, ECX, 5 },
	{ "page_1gb", B0, 15, 0x80000001, 0, EDX, 26 },
	{ "rdtscp", B0, 38, 0x80000001, 0, EDX, 27 },
	{ "x87_pointers_saved", B0, 42, 0x80000008, 0, EBX, 2 },
};

static const struct cpuid_row amd_rows[] = {
	{ "sse3", B0, 0, 0x1, 0, ECX, 0 },
	{ "avx2", XS, 3, 0x7, 0, EBX, 5 },
	{ "fz_l_rep_movsb", B1, 19, 0x7, 1, EAX, 10 },
	{ "xsaveopt", XS, 1, 0xd, 1, EAX, 0 },
	{ "xcr1", XS, 13, 0xd, 1, EAX, 2 },
	{ "lahf_sahf", B0, 1, 0x80000001, 0, ECX, 0 },
	{ "sse4a", B0, 5, 0x80000001, 0, ECX, 6 },
	{ "lzcnt", B0, 10, 0x80000001, 0, ECX, 5 },
	{ "rdtscp", B0, 38, 0x80000001, 0, EDX, 27 },
	{ "cl_zero", B1, 2, 0x80000008, 0, EBX, 0 },
	{ "rdpru", B1, 3, 0x80000008, 0, EBX, 4 },
	{ "ibpb", B0, 46, 0x80000008, 0, EBX, 12 },
	{ "ibrs", B0, 44, 0x80000008, 0, EBX, 14 },
	{ "stibp", B0, 45, 0x80000008, 0, EBX, 15 },
	{ "mdd", B0, 48, 0x80000008, 0, EBX, 24 },
};

static struct hv *host(uint32_t vendor, const uint64_t *words)
{
	struct hv_host_config c = { .arch = HV_ARCH_X86_64, .vendor = vendor,
				    .physical_address_width = 46 };
	struct hv *hv;

	memcpy(c.offered, words, sizeof(c.offered));
	assert_int_equal(hv_create(&c, &hv), 0);
	return hv;
}

/* A running partition (one VP) with @disabled masks; returns its id. */
static uint64_t guest(struct hv *hv, uint64_t flags, const uint64_t *disabled)
{
	struct hv_input_create_partition_x64 *c = (void *)in;
	struct hv_input_create_vp *vp = (void *)in;
	uint64_t id;

	memset(in, 0, sizeof(in));
	c->flags = flags;
	c->compatibility_version = HV_COMPATIBILITY_21_H2;
	c->partition_creation_properties.disabled_processor_features.as_uint64[0] = disabled[B0];
	c->partition_creation_properties.disabled_processor_features.as_uint64[1] = disabled[B1];
	c->partition_creation_properties.disabled_processor_xsave_features.as_uint64 = disabled[XS];
	assert_int_equal(call(hv, HVCALL_CREATE_PARTITION), HV_STATUS_SUCCESS);
	id = ((struct hv_output_create_partition *)out)->partition_id;
	assert_int_equal(simple(hv, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	memset(in, 0, sizeof(in));
	vp->partition_id = id;
	assert_int_equal(call(hv, HVCALL_CREATE_VP), HV_STATUS_SUCCESS);
	return id;
}

static void gone(struct hv *hv, uint64_t id)
{
	assert_int_equal(simple(hv, HVCALL_FINALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(simple(hv, HVCALL_DELETE_PARTITION, id), HV_STATUS_SUCCESS);
}

static struct hv_output_get_vp_cpuid_values cpuid(struct hv *hv, uint64_t id, uint32_t leaf,
						  uint32_t subleaf)
{
	struct hv_input_get_vp_cpuid_values *q = (void *)in;

	memset(in, 0, sizeof(in));
	q->partition_id = id;
	q->cpuid_leaf_info[0].eax = leaf;
	q->cpuid_leaf_info[0].ecx = subleaf;
	assert_int_equal(call(hv, HVCALL_GET_VP_CPUID_VALUES | 1ULL << 32), HV_STATUS_SUCCESS);
	return *(struct hv_output_get_vp_cpuid_values *)out;
}

static unsigned int seen(struct hv *hv, uint64_t id, const struct cpuid_row *r)
{
	struct hv_output_get_vp_cpuid_values v = cpuid(hv, id, r->leaf, r->subleaf);
	uint32_t regs[4] = { v.eax, v.ebx, v.ecx, v.edx };

	return regs[r->reg] >> r->reg_bit & 1;
}

/* Each row shows with nothing disabled and is gone with only it disabled. */
static void each_row(uint32_t vendor, const uint64_t *words, const struct cpuid_row *rows,
		     size_t n)
{
	static const uint64_t nothing[4];
	struct hv *hv = host(vendor, words);
	uint64_t all = guest(hv, 0, nothing);
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t disabled[4] = { 0 };
		uint64_t id;

		disabled[rows[i].word] = 1ULL << rows[i].bit;
		id = guest(hv, 0, disabled);
		if (seen(hv, all, &rows[i]) != 1 || seen(hv, id, &rows[i]) != 0)
			fail_msg("%s: CPUID 0x%x.%u bit %u: %u enabled, %u disabled", rows[i].name,
				 rows[i].leaf, rows[i].subleaf, rows[i].reg_bit,
				 seen(hv, all, &rows[i]), seen(hv, id, &rows[i]));
		gone(hv, id);
	}
	gone(hv, all);
	hv_destroy(hv);
}

static void intel_leaves_follow_the_features(void **state)
{
	(void)state;
	each_row(HV_PROCESSOR_VENDOR_INTEL, intel_words, intel_rows,
		 sizeof(intel_rows) / sizeof(intel_rows[0]));
}

static void amd_leaves_follow_the_features(void **state)
{
	(void)state;
	each_row(HV_PROCESSOR_VENDOR_AMD, amd_words, amd_rows,
		 sizeof(amd_rows) / sizeof(amd_rows[0]));
}

/* The vendor's own leaves: signature, address widths, the hypervisor's range. */
static void fixed_leaves(void **state)
{
	static const uint64_t nothing[4];
	struct hv *intel = host(HV_PROCESSOR_VENDOR_INTEL, intel_words);
	struct hv *amd = host(HV_PROCESSOR_VENDOR_AMD, amd_words);
	uint64_t i = guest(intel, 0, nothing), a = guest(amd, 0, nothing);
	struct hv_output_get_vp_cpuid_values v;

	(void)state;
	v = cpuid(intel, i, 0, 0);
	assert_memory_equal(&v.ebx, "Genu", 4);
	assert_memory_equal(&v.edx, "ineI", 4);
	v = cpuid(amd, a, 0, 0);
	assert_memory_equal(&v.ebx, "Auth", 4);
	v = cpuid(intel, i, 0x80000008, 0);
	assert_int_equal(v.eax & 0xff, 46);
	v = cpuid(intel, i, 1, 0);
	assert_int_equal(v.ecx >> 31, 1);		/* hypervisor present */
	assert_int_equal(v.ecx >> 5 & 1, 0);		/* no VMX without nesting */
	assert_int_equal(v.ecx >> 27 & 1, 0);		/* OSXSAVE belongs to the guest OS */
	v = cpuid(amd, a, 0x40000000, 0);
	assert_memory_equal(&v.ebx, "Micr", 4);
	assert_memory_equal(&v.ecx, "osof", 4);
	assert_memory_equal(&v.edx, "t Hv", 4);
	gone(intel, i);
	gone(amd, a);
	hv_destroy(intel);
	hv_destroy(amd);
}

/*
 * Nested virtualization shows (VMX on Intel, SVM on AMD) only with both the
 * creation flag and bank 1 bit 6.
 */
static void nesting_needs_the_flag_and_the_feature(void **state)
{
	static const uint64_t nothing[4];
	static const uint64_t no_nested[4] = { 0, 1ULL << 6, 0, 0 };
	const uint64_t flag = HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE;
	uint64_t amd_nested[4], intel_nested[4];
	struct hv *amd, *intel;
	uint64_t a, b, c;

	(void)state;
	memcpy(amd_nested, amd_words, sizeof(amd_nested));
	memcpy(intel_nested, intel_words, sizeof(intel_nested));
	intel_nested[B1] |= 1ULL << 6;
	amd = host(HV_PROCESSOR_VENDOR_AMD, amd_nested);
	a = guest(amd, flag, nothing);
	b = guest(amd, 0, nothing);
	c = guest(amd, flag, no_nested);
	assert_int_equal(cpuid(amd, a, 0x80000001, 0).ecx >> 2 & 1, 1);
	assert_int_equal(cpuid(amd, b, 0x80000001, 0).ecx >> 2 & 1, 0);
	assert_int_equal(cpuid(amd, c, 0x80000001, 0).ecx >> 2 & 1, 0);
	gone(amd, a);
	gone(amd, b);
	gone(amd, c);
	hv_destroy(amd);

	intel = host(HV_PROCESSOR_VENDOR_INTEL, intel_nested);
	a = guest(intel, flag, nothing);
	b = guest(intel, 0, nothing);
	assert_int_equal(cpuid(intel, a, 1, 0).ecx >> 5 & 1, 1);
	assert_int_equal(cpuid(intel, b, 1, 0).ecx >> 5 & 1, 0);
	gone(intel, a);
	gone(intel, b);
	hv_destroy(intel);
}

/*
 * Leaf 0xD and the XSAVE properties describe the partition's own state
 * components: what the enabled features bring, sized by the standard
 * layout (x87+SSE 576, AVX +256, AVX-512 opmask/ZMM_Hi256/Hi16_ZMM +1856).
 */
static void xsave_leaf_and_properties_follow_the_partition(void **state)
{
	static const uint64_t nothing[4];
	/* avx512 and everything that needs it (reference prerequisites). */
	static const uint64_t no_avx512[4] = { 0, 0, 0, 0x27c7c0ULL };
	/* avx and its dependents on the AMD host: avx2 fma vaes vpclmulqdq. */
	static const uint64_t no_avx[4] = { 0, 0, 0, 0x50001cULL };
	struct hv *intel = host(HV_PROCESSOR_VENDOR_INTEL, intel_words);
	struct hv *amd = host(HV_PROCESSOR_VENDOR_AMD, amd_words);
	struct {
		struct hv *hv;
		const uint64_t *disabled;
		uint64_t states;
		uint32_t size;
	} cases[] = {
		{ intel, nothing, 0xe7, 2688 },
		{ intel, no_avx512, 0x07, 832 },
		{ amd, nothing, 0x07, 832 },
		{ amd, no_avx, 0x03, 576 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t id = guest(cases[i].hv, 0, cases[i].disabled);
		struct hv_output_get_vp_cpuid_values d0 = cpuid(cases[i].hv, id, 0xd, 0);
		struct hv_output_get_vp_cpuid_values d1 = cpuid(cases[i].hv, id, 0xd, 1);

		assert_int_equal(d0.eax | (uint64_t)d0.edx << 32, cases[i].states);
		assert_int_equal(d0.ebx, cases[i].size);
		assert_int_equal(d0.ecx, cases[i].size);
		assert_int_equal(d1.ebx, cases[i].size);
		assert_int_equal(get_prop(cases[i].hv, id, HV_PARTITION_PROPERTY_XSAVE_STATES),
				 cases[i].states);
		assert_int_equal(get_prop(cases[i].hv, id,
					  HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE),
				 cases[i].size);
		/* A component the partition lacks has an all-zero subleaf. */
		if (!(cases[i].states & 0x20)) {
			struct hv_output_get_vp_cpuid_values d5 = cpuid(cases[i].hv, id, 0xd, 5);

			assert_int_equal(d5.eax | d5.ebx | d5.ecx | d5.edx, 0);
		}
		gone(cases[i].hv, id);
	}
	hv_destroy(intel);
	hv_destroy(amd);
}

/* Every property a VMM reads, on the root (the offer) and on a child (its lot). */
static void property_values_for_root_and_child(void **state)
{
	const uint64_t disabled[4] = { 1ULL << 10, 1ULL << 3, 0, 1ULL << 3 };
	struct hv_host_config c = { .arch = HV_ARCH_X86_64,
				    .vendor = HV_PROCESSOR_VENDOR_AMD,
				    .physical_address_width = 48,
				    .cl_flush_size = 64,
				    .clock_frequency = 2450000000ULL };
	struct hv_input_set_partition_property *set = (void *)in;
	struct hv *hv;
	uint64_t id;

	(void)state;
	memcpy(c.offered, amd_words, sizeof(c.offered));
	c.offered[B2] = 0x5;
	assert_int_equal(hv_create(&c, &hv), 0);
	id = guest(hv, 0, disabled);

	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_PROCESSOR_VENDOR), HV_PROCESSOR_VENDOR_AMD);
	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0), amd_words[B0]);
	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1), amd_words[B1]);
	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES), amd_words[XS]);
	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH), 48);
	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_PROCESSOR_CL_FLUSH_SIZE), 64);
	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY), 2450000000ULL);
	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_FEATURE_BANK_COUNT), 3);
	assert_int_equal(get_prop(hv, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX), 0);

	assert_int_equal(get_prop(hv, id, HV_PARTITION_PROPERTY_PROCESSOR_VENDOR),
			 HV_PROCESSOR_VENDOR_AMD);
	assert_int_equal(get_prop(hv, id, HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0),
			 amd_words[B0] & ~disabled[B0]);
	assert_int_equal(get_prop(hv, id, HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1),
			 amd_words[B1] & ~disabled[B1]);
	assert_int_equal(get_prop(hv, id, HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES),
			 amd_words[XS] & ~disabled[XS]);
	assert_int_equal(get_prop(hv, id, HV_PARTITION_PROPERTY_COMPATIBILITY_VERSION),
			 HV_COMPATIBILITY_21_H2);
	gone(hv, id);

	/* Bank 2 through the early property: what was set reads back on the child. */
	{
		struct hv_input_create_partition_x64 *cp = (void *)in;

		memset(in, 0, sizeof(in));
		cp->compatibility_version = HV_COMPATIBILITY_21_H2;
		assert_int_equal(call(hv, HVCALL_CREATE_PARTITION), HV_STATUS_SUCCESS);
		id = ((struct hv_output_create_partition *)out)->partition_id;
		memset(in, 0, sizeof(in));
		set->partition_id = id;
		set->property_code = HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX;
		set->property_value = 0x4;
		assert_int_equal(call(hv, HVCALL_SET_PARTITION_PROPERTY), HV_STATUS_SUCCESS);
		assert_int_equal(get_prop(hv, id,
					  HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX), 0x4);
		assert_int_equal(simple(hv, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
		gone(hv, id);
	}
	hv_destroy(hv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intel_leaves_follow_the_features),
		cmocka_unit_test(amd_leaves_follow_the_features),
		cmocka_unit_test(fixed_leaves),
		cmocka_unit_test(nesting_needs_the_flag_and_the_feature),
		cmocka_unit_test(xsave_leaf_and_properties_follow_the_partition),
		cmocka_unit_test(property_values_for_root_and_child),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
