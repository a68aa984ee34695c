// SPDX-License-Identifier: MIT
/*
 * Partition properties through hv_hypercall(): every row of
 * include/hyperv/hv_partition_properties.def read on a child and on the
 * root with GetPartitionProperty and GetPartitionPropertyEx, set where its
 * setter allows it and refused where it does not, on an x86_64 and an arm64
 * host. The .def says what each row promises (width, arch, scope, setter);
 * the values each row must hold, accept and refuse are written out here, so
 * a row the model gets wrong, or a row without expectations, fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_partition.h>
#include <hyperv/hv_status.h>

#include "hv.h"
#include "hv_test.h"

/* --- What the .def promises, read with this file's own macros --- */

enum { ARCH_ANY, ARCH_X64, ARCH_ARM64 };
enum { SCOPE_CHILD = 1, SCOPE_ROOT = 2, SCOPE_BOTH = 3 };
enum { SET_NEVER, SET_EARLY, SET_ANYTIME };

struct spec {
	const char *name;
	uint32_t code;
	unsigned int width, arch, scope, setter;
};

static const struct spec specs[] = {
#define HV_PROPERTY(name, code, width, arch, scope, setter, ...)			\
	{ #name, (code), (width), ARCH_##arch, SCOPE_##scope, SET_##setter },
#include <hyperv/hv_partition_properties.def>
#undef HV_PROPERTY
};

#define NSPECS (sizeof(specs) / sizeof(specs[0]))

/*
 * What each property accepts and refuses: two good values (set one, then
 * the other) and, where the value has rules, one bad value and its status.
 * Read-only rows list values only to show that any set is refused.
 */
struct values {
	uint32_t code;
	uint64_t good[2];
	uint64_t bad;
	uint16_t bad_status;	/* 0: every value is fine */
};

static const struct values values[] = {
	{ HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS, { 0x3f, 0x800b000000e7fULL },
	  1ULL << 16, HV_STATUS_INVALID_PARAMETER },
	/* Bits 0-8 are assignable on both hosts; bit 12 names nothing. */
	{ HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES, { 0x1ff, 0x3 },
	  1ULL << 12, HV_STATUS_INVALID_PARAMETER },
	{ HV_PARTITION_PROPERTY_TIME_FREEZE, { 1, 0 }, 2, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE },
	{ HV_PARTITION_PROPERTY_REFERENCE_TIME, { 0x123456789ULL, 0 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_PROCESSORS_PER_SOCKET, { 2, 256 },
	  257, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE },
	/* On, then off (nothing mapped: no dirty bit is clear); bit 2 is reserved. */
	{ HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING, { 1, 0 },
	  4, HV_STATUS_INVALID_PARAMETER },
	{ HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
	  { HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO, HV_UNIMPLEMENTED_MSR_ACTION_FAULT },
	  HV_UNIMPLEMENTED_MSR_ACTION_COUNT, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE },
	{ HV_PARTITION_PROPERTY_GICD_BASE_ADDRESS, { 0x8000000, 0x3fff0000 },
	  0x8001000, HV_STATUS_INVALID_PARAMETER },
	{ HV_PARTITION_PROPERTY_GITS_TRANSLATER_BASE_ADDRESS, { 0x8080000, 0xfffe0040ULL }, 0, 0 },
	{ HV_PARTITION_PROPERTY_GIC_LPI_INT_ID_BITS, { 1, 0 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_GIC_PPI_OVERFLOW_INTERRUPT_FROM_CNTV, { 16, 31 },
	  15, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE },
	{ HV_PARTITION_PROPERTY_GIC_PPI_OVERFLOW_INTERRUPT_FROM_CNTP, { 31, 16 },
	  32, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE },
	{ HV_PARTITION_PROPERTY_GIC_PPI_PERFORMANCE_MONITORS_INTERRUPT, { 22, 23 },
	  0, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE },
	{ HV_PARTITION_PROPERTY_PROCESSOR_VENDOR, { 0, 1 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES, { 0, 1 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_PROCESSOR_CL_FLUSH_SIZE, { 32, 64 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_COMPATIBILITY_VERSION, { 0x0609, 0 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH, { 40, 52 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_XSAVE_STATES, { 0x3, 0x7 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE, { 576, 832 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY, { 1, 2 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0, { 0, ~0ULL }, 0, 0 },
	{ HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1, { 0, ~0ULL }, 0, 0 },
	{ HV_PARTITION_PROPERTY_FEATURE_BANK_COUNT, { 2, 4 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_VMM_CAPABILITIES, { 0, 0x10 }, 0, 0 },
	{ HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES, { 0, ~0ULL }, 0, 0 },
	{ HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX, { 0x4, 0 }, 0, 0 },
};

#define NVALUES (sizeof(values) / sizeof(values[0]))

static const struct values *values_of(uint32_t code)
{
	size_t i;

	for (i = 0; i < NVALUES; i++)
		if (values[i].code == code)
			return &values[i];
	fail_msg("property 0x%05x has no expected values in this test", code);
	return NULL;
}

/* --- Hosts --- */

/* Recorded Azure Ice Lake-SP offer (reference section 7); bank 2 made up. */
static const uint64_t icx[HV_FEATURE_WORD_COUNT] = {
	0x2e2a8bfffff7859fULL, 0x000100ae000000f1ULL, 0x5, 0x7fffdfULL };
/* An arm64 offer: arbitrary bits, there is no recorded one. */
static const uint64_t arm[HV_FEATURE_WORD_COUNT] = {
	0x00000000f00ff00fULL, 0x0000000000000333ULL, 0x3, 0 };

struct host {
	struct hv *hv;
	bool arm64;
	const uint64_t *offered;
};

static struct host make_host(bool arm64)
{
	struct hv_host_config c = {
		.arch = arm64 ? HV_ARCH_ARM64 : HV_ARCH_X86_64,
		.vendor = arm64 ? HV_PROCESSOR_VENDOR_ARM : HV_PROCESSOR_VENDOR_INTEL,
		.clock_frequency = 2800000000ULL,
	};
	struct host h = { .arm64 = arm64, .offered = arm64 ? arm : icx };

	memcpy(c.offered, h.offered, sizeof(c.offered));
	assert_int_equal(hv_create(&c, &h.hv), 0);
	return h;
}

/* A child with nothing disabled, in the created state. */
static uint64_t new_child(const struct host *h)
{
	struct hv_input_create_partition_x64 *x = (void *)in;
	struct hv_input_create_partition_arm64 *a = (void *)in;

	memset(in, 0, sizeof(in));
	if (h->arm64)
		a->compatibility_version = HV_COMPATIBILITY_21_H2;
	else
		x->compatibility_version = HV_COMPATIBILITY_21_H2;
	assert_int_equal(call(h->hv, HVCALL_CREATE_PARTITION), HV_STATUS_SUCCESS);
	return ((struct hv_output_create_partition *)out)->partition_id;
}

static uint16_t on(struct hv *hv, uint16_t code, uint64_t id)
{
	memset(in, 0, sizeof(in));
	memcpy(in, &id, sizeof(id));
	return call(hv, code);
}

/* What a row reads on a fresh child (nothing disabled) or on the root. */
static uint64_t expected_default(const struct host *h, uint32_t code, bool root)
{
	switch (code) {
	case HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS:
		/* Child: MSRs 0-6, 9-11, post/signal/connect, fast output; root adds management. */
		return root ? 0x000a11ff00000e7fULL : 0x000800b000000e7fULL;
	case HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES:
		if (!root)
			return 0x3;	/* hypervisor_present, hv1 */
		return expected_default(h, HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES,
					true);
	case HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES:
		/* 0-9, 11, 18, 22, 24-30, 38, then guest idle, GVA ranges, GPA flush or sync context. */
		return h->arm64 ? 0x000000c07f440bffULL : 0x002000407f448fffULL;
	case HV_PARTITION_PROPERTY_VMM_CAPABILITIES:
		return HV_VMM_CAP_ASSIGNABLE_SYNTHETIC_PROC_FEATURES;
	case HV_PARTITION_PROPERTY_TIME_FREEZE:
	case HV_PARTITION_PROPERTY_REFERENCE_TIME:
	case HV_PARTITION_PROPERTY_PROCESSORS_PER_SOCKET:
	case HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING:
	case HV_PARTITION_PROPERTY_GICD_BASE_ADDRESS:
	case HV_PARTITION_PROPERTY_GITS_TRANSLATER_BASE_ADDRESS:
	case HV_PARTITION_PROPERTY_GIC_LPI_INT_ID_BITS:
	case HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX:
		return 0;
	case HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION:
		return HV_UNIMPLEMENTED_MSR_ACTION_FAULT;
	case HV_PARTITION_PROPERTY_GIC_PPI_OVERFLOW_INTERRUPT_FROM_CNTV:
		return 27;
	case HV_PARTITION_PROPERTY_GIC_PPI_OVERFLOW_INTERRUPT_FROM_CNTP:
		return 30;
	case HV_PARTITION_PROPERTY_GIC_PPI_PERFORMANCE_MONITORS_INTERRUPT:
		return 23;
	case HV_PARTITION_PROPERTY_PROCESSOR_VENDOR:
		return h->arm64 ? HV_PROCESSOR_VENDOR_ARM : HV_PROCESSOR_VENDOR_INTEL;
	case HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0:
		return h->offered[HV_FEATURE_WORD_BANK0];
	case HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1:
		return h->offered[HV_FEATURE_WORD_BANK1];
	case HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES:
		return h->offered[HV_FEATURE_WORD_XSAVE];
	case HV_PARTITION_PROPERTY_XSAVE_STATES:
		/* x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM; none on arm64. */
		return h->arm64 ? 0 : 0xe7;
	case HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE:
		return h->arm64 ? 0 : 2688;
	case HV_PARTITION_PROPERTY_PROCESSOR_CL_FLUSH_SIZE:
		return 64;
	case HV_PARTITION_PROPERTY_COMPATIBILITY_VERSION:
		return HV_COMPATIBILITY_21_H2;
	case HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH:
		return h->arm64 ? 48 : 46;
	case HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY:
		return 2800000000ULL;
	case HV_PARTITION_PROPERTY_FEATURE_BANK_COUNT:
		return 3;
	default:
		fail_msg("property 0x%05x has no expected default in this test", code);
		return 0;
	}
}

/* --- The three calls --- */

/* GetPartitionProperty; *value only on success. */
static uint16_t get_plain(struct hv *hv, uint64_t id, uint32_t code, uint64_t *value)
{
	struct hv_input_get_partition_property *g = (void *)in;
	uint16_t status;

	memset(in, 0, sizeof(in));
	memset(out, 0xA5, sizeof(out));
	g->partition_id = id;
	g->property_code = code;
	status = call(hv, HVCALL_GET_PARTITION_PROPERTY);
	if (status == HV_STATUS_SUCCESS) {
		*value = ((struct hv_output_get_partition_property *)out)->property_value;
		assert_int_equal(out[8], 0xA5);		/* 8 bytes written, no more */
	}
	return status;
}

/* GetPartitionPropertyEx with @arg; the output page is poisoned first. */
static uint16_t get_ex_raw(struct hv *hv, uint64_t id, uint32_t code, uint64_t arg)
{
	struct hv_input_get_partition_property_ex *g = (void *)in;

	memset(in, 0, sizeof(in));
	memset(out, 0xA5, sizeof(out));
	g->partition_id = id;
	g->property_code = code;
	g->arg.as_uint64 = arg;
	return call(hv, HVCALL_GET_PARTITION_PROPERTY_EX);
}

/* GetPartitionPropertyEx, decoded by the row's width: exactly @width bytes are written. */
static uint16_t get_ex(struct hv *hv, uint64_t id, const struct spec *s, uint64_t *value)
{
	const union hv_output_get_partition_property_ex *o = (const void *)out;
	uint16_t status = get_ex_raw(hv, id, s->code, 0);

	if (status != HV_STATUS_SUCCESS)
		return status;
	assert_int_equal(out[s->width], 0xA5);
	if (s->width == 8) {
		*value = o->value;
	} else {
		assert_int_equal(s->width, sizeof(struct hv_partition_property_banks));
		assert_int_equal(o->banks.bank_count, 1);
		assert_int_equal(o->banks.reserved[0] | o->banks.reserved[1] | o->banks.reserved[2], 0);
		*value = o->banks.bank[0];
	}
	return status;
}

/* The value by every call that can read it (they must agree). */
static uint64_t read_value(struct hv *hv, uint64_t id, const struct spec *s)
{
	uint64_t ex = 0, plain = 0;

	assert_int_equal(get_ex(hv, id, s, &ex), HV_STATUS_SUCCESS);
	if (s->width == 8) {
		assert_int_equal(get_plain(hv, id, s->code, &plain), HV_STATUS_SUCCESS);
		assert_int_equal(plain, ex);
	}
	return ex;
}

static bool on_this_arch(const struct host *h, const struct spec *s)
{
	return s->arch == ARCH_ANY || s->arch == (h->arm64 ? ARCH_ARM64 : ARCH_X64);
}

/* --- Table-driven checks --- */

/* Every .def row has expectations here, every expectation a row, codes unique. */
static void every_row_is_expected(void **state)
{
	size_t i, k;

	(void)state;
	assert_int_equal(NSPECS, NVALUES);
	for (i = 0; i < NSPECS; i++) {
		assert_non_null(values_of(specs[i].code));
		assert_true(specs[i].width == 8 || specs[i].width == 16);
		for (k = i + 1; k < NSPECS; k++)
			assert_int_not_equal(specs[i].code, specs[k].code);
	}
}

/* Reads on a child and on the root: scope, width and the default values. */
static void check_reads(const struct host *h)
{
	uint64_t id = new_child(h), value;
	size_t i;

	for (i = 0; i < NSPECS; i++) {
		const struct spec *s = &specs[i];
		const uint64_t targets[2] = { id, HV_PARTITION_ID_SELF };
		size_t t;

		for (t = 0; t < 2; t++) {
			bool root = t == 1;
			bool in_scope = s->scope & (root ? SCOPE_ROOT : SCOPE_CHILD);
			uint16_t want = !on_this_arch(h, s) ? HV_STATUS_UNKNOWN_PROPERTY :
					!in_scope ? HV_STATUS_ACCESS_DENIED : HV_STATUS_SUCCESS;

			value = 0;
			assert_int_equal(get_ex(h->hv, targets[t], s, &value), want);
			if (want == HV_STATUS_SUCCESS)
				assert_int_equal(value, expected_default(h, s->code, root));
			/* The plain call carries 8 bytes: wider values need the Ex one. */
			if (want == HV_STATUS_SUCCESS && s->width > 8)
				want = HV_STATUS_INVALID_PARAMETER;
			assert_int_equal(get_plain(h->hv, targets[t], s->code, &value), want);
			if (want == HV_STATUS_SUCCESS)
				assert_int_equal(value, expected_default(h, s->code, root));
		}
	}
	assert_int_equal(on(h->hv, HVCALL_DELETE_PARTITION, id), HV_STATUS_SUCCESS);
}

static void reads_follow_scope_width_and_defaults(void **state)
{
	struct host x = make_host(false), a = make_host(true);

	(void)state;
	check_reads(&x);
	check_reads(&a);
	hv_destroy(x.hv);
	hv_destroy(a.hv);
}

/* A refused set leaves the value as it was. */
static void refused(const struct host *h, uint64_t id, const struct spec *s, uint64_t value,
		    uint16_t status)
{
	uint64_t before = read_value(h->hv, id, s);

	assert_int_equal(set_prop(h->hv, id, s->code, value), status);
	assert_int_equal(read_value(h->hv, id, s), before);
}

static void accepted(const struct host *h, uint64_t id, const struct spec *s, uint64_t value)
{
	assert_int_equal(set_prop(h->hv, id, s->code, value), HV_STATUS_SUCCESS);
	assert_int_equal(read_value(h->hv, id, s), value);
}

/* One row on a fresh child, through created, initialized and finalized. */
static void check_setter(const struct host *h, const struct spec *s)
{
	const struct values *v = values_of(s->code);
	uint64_t id = new_child(h);

	if (!on_this_arch(h, s)) {
		assert_int_equal(set_prop(h->hv, id, s->code, v->good[0]),
				 HV_STATUS_UNKNOWN_PROPERTY);
		assert_int_equal(set_prop(h->hv, HV_PARTITION_ID_SELF, s->code, v->good[0]),
				 HV_STATUS_UNKNOWN_PROPERTY);
		goto done;
	}
	/* Nobody sets the root's properties. */
	assert_int_equal(set_prop(h->hv, HV_PARTITION_ID_SELF, s->code, v->good[0]),
			 HV_STATUS_ACCESS_DENIED);
	if (!(s->scope & SCOPE_CHILD)) {
		assert_int_equal(set_prop(h->hv, id, s->code, v->good[0]), HV_STATUS_ACCESS_DENIED);
		goto done;
	}
	if (s->setter == SET_NEVER) {
		refused(h, id, s, v->good[0], HV_STATUS_ACCESS_DENIED);
		refused(h, id, s, v->good[1], HV_STATUS_ACCESS_DENIED);
		goto done;
	}
	/* Created: both kinds of settable rows take a good value and refuse a bad one. */
	accepted(h, id, s, v->good[0]);
	if (v->bad_status)
		refused(h, id, s, v->bad, v->bad_status);
	assert_int_equal(on(h->hv, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	if (s->setter == SET_EARLY) {
		/* Too late, whatever the value; the early one stays. */
		refused(h, id, s, v->good[1], HV_STATUS_INVALID_PARTITION_STATE);
		assert_int_equal(read_value(h->hv, id, s), v->good[0]);
	} else {
		accepted(h, id, s, v->good[1]);
		if (v->bad_status)
			refused(h, id, s, v->bad, v->bad_status);
	}
	assert_int_equal(on(h->hv, HVCALL_FINALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	refused(h, id, s, v->good[0], HV_STATUS_INVALID_PARTITION_STATE);
done:
	if (on(h->hv, HVCALL_DELETE_PARTITION, id) != HV_STATUS_SUCCESS) {
		assert_int_equal(on(h->hv, HVCALL_FINALIZE_PARTITION, id), HV_STATUS_SUCCESS);
		assert_int_equal(on(h->hv, HVCALL_DELETE_PARTITION, id), HV_STATUS_SUCCESS);
	}
}

static void sets_follow_the_setter_rule(void **state)
{
	struct host x = make_host(false), a = make_host(true);
	size_t i;

	(void)state;
	for (i = 0; i < NSPECS; i++) {
		check_setter(&x, &specs[i]);
		check_setter(&a, &specs[i]);
	}
	assert_int_equal(hv_partition_count(x.hv), 0);
	assert_int_equal(hv_partition_count(a.hv), 0);
	hv_destroy(x.hv);
	hv_destroy(a.hv);
}

/* --- What particular rows mean --- */

/* As rust-vmm reads a banked value: the u16 count at byte 0, bank 0 at byte 8. */
static uint64_t bank0_of_root_ex(struct hv *hv, uint32_t code)
{
	uint64_t bank0;
	uint16_t count;

	assert_int_equal(get_ex_raw(hv, HV_PARTITION_ID_SELF, code, 0), HV_STATUS_SUCCESS);
	memcpy(&count, out, sizeof(count));
	memcpy(&bank0, out + 8, sizeof(bank0));
	assert_int_equal(count, 1);
	return bank0;
}

/* rust-vmm 0.7 and OpenVMM x86_64: the synthetic features each one sets. */
#define RUST_VMM_X64 0x0020004006400ffbULL
#define OPENVMM_X64  0x000000007f448fffULL

static void synthetic_features_are_limited_to_the_assignable_set(void **state)
{
	struct host x = make_host(false), a = make_host(true);
	uint64_t assignable, id;

	(void)state;
	/* A VMM's path: the assignable set from the root, bank 0 at byte 8. */
	assignable = bank0_of_root_ex(x.hv, HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES);
	assert_int_equal(assignable & RUST_VMM_X64, RUST_VMM_X64);
	assert_int_equal(assignable & OPENVMM_X64, OPENVMM_X64);
	assert_int_equal(bank0_of_root_ex(x.hv, HV_PARTITION_PROPERTY_VMM_CAPABILITIES) &
			 HV_VMM_CAP_ASSIGNABLE_SYNTHETIC_PROC_FEATURES,
			 HV_VMM_CAP_ASSIGNABLE_SYNTHETIC_PROC_FEATURES);
	id = new_child(&x);
	/* access_vsm (16): defined, not assigned here. */
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  RUST_VMM_X64 | HV_SYNTHETIC_FEATURE_ACCESS_VSM),
			 HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE);
	/* sync_context (39) names nothing on x86_64; bit 63 nothing anywhere. */
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  HV_SYNTHETIC_FEATURE_SYNC_CONTEXT), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  1ULL << 63), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  OPENVMM_X64), HV_STATUS_SUCCESS);
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  RUST_VMM_X64 & assignable), HV_STATUS_SUCCESS);
	assert_int_equal(get_prop(x.hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES),
			 RUST_VMM_X64);

	/* arm64: sync_context is assignable, guest idle (10) is reserved. */
	id = new_child(&a);
	assert_int_equal(set_prop(a.hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  0x3 | HV_SYNTHETIC_FEATURE_SYNC_CONTEXT), HV_STATUS_SUCCESS);
	assert_int_equal(set_prop(a.hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  HV_SYNTHETIC_FEATURE_ACCESS_GUEST_IDLE_REG),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(get_prop(a.hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES),
			 0x3 | HV_SYNTHETIC_FEATURE_SYNC_CONTEXT);
	hv_destroy(x.hv);
	hv_destroy(a.hv);
}

/* GetPartitionPropertyEx's own input rules, and the partition it names. */
static void ex_input_is_checked(void **state)
{
	struct host x = make_host(false);
	struct hv_input_get_partition_property_ex *g = (void *)in;
	uint64_t id = new_child(&x);

	(void)state;
	assert_int_equal(sizeof(struct hv_input_get_partition_property_ex), 24);
	assert_int_equal(offsetof(struct hv_input_get_partition_property_ex, arg), 16);
	assert_int_equal(offsetof(union hv_partition_property_arg, fields.object_type), 7);
	assert_int_equal(sizeof(struct hv_partition_property_banks), 16);
	assert_int_equal(offsetof(struct hv_partition_property_banks, bank), 8);
	assert_int_equal(sizeof(union hv_output_get_partition_property_ex),
			 HV_HYP_PAGE_SIZE - 24);
	assert_int_equal(get_ex_raw(x.hv, id, HV_PARTITION_PROPERTY_FEATURE_BANK_COUNT, 0),
			 HV_STATUS_SUCCESS);
	assert_int_equal(get_ex_raw(x.hv, id, HV_PARTITION_PROPERTY_FEATURE_BANK_COUNT, 1),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(get_ex_raw(x.hv, id, HV_PARTITION_PROPERTY_FEATURE_BANK_COUNT,
				    1ULL << 63), HV_STATUS_INVALID_PARAMETER);
	get_ex_raw(x.hv, id, HV_PARTITION_PROPERTY_FEATURE_BANK_COUNT, 0);
	g->padding = 1;
	assert_int_equal(call(x.hv, HVCALL_GET_PARTITION_PROPERTY_EX), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(get_ex_raw(x.hv, id + 100, HV_PARTITION_PROPERTY_FEATURE_BANK_COUNT, 0),
			 HV_STATUS_INVALID_PARTITION_ID);
	assert_int_equal(get_ex_raw(x.hv, id, 0x12345, 0), HV_STATUS_UNKNOWN_PROPERTY);
	assert_int_equal(out[0], 0xA5);		/* nothing written on failure */
	assert_int_equal(set_prop(x.hv, id + 100, HV_PARTITION_PROPERTY_TIME_FREEZE, 1),
			 HV_STATUS_INVALID_PARTITION_ID);
	{
		struct hv_input_set_partition_property *p = (void *)in;

		set_prop(x.hv, id, HV_PARTITION_PROPERTY_TIME_FREEZE, 1);
		p->padding = 1;
		assert_int_equal(call(x.hv, HVCALL_SET_PARTITION_PROPERTY),
				 HV_STATUS_INVALID_PARAMETER);
	}
	hv_destroy(x.hv);
}

/* Bank 2 through its early property reaches the child's words and XSAVE states. */
static void disabled_bank2_changes_the_child(void **state)
{
	struct host x = make_host(false);
	struct hv_partition_info info;
	uint64_t id = new_child(&x);

	(void)state;
	assert_int_equal(hv_partition_get_info(x.hv, id, &info), 0);
	assert_int_equal(info.effective[HV_FEATURE_WORD_BANK2], 0x5);
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX,
				  0x4), HV_STATUS_SUCCESS);
	assert_int_equal(hv_partition_get_info(x.hv, id, &info), 0);
	assert_int_equal(info.disabled_bank2, 0x4);
	assert_int_equal(info.effective[HV_FEATURE_WORD_BANK2], 0x1);
	/* Another child keeps its own values. */
	{
		uint64_t other = new_child(&x);

		assert_int_equal(get_prop(x.hv, other,
					  HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX), 0);
		assert_int_equal(get_prop(x.hv, id,
					  HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX), 0x4);
	}
	hv_destroy(x.hv);
}

/*
 * Cloud Hypervisor's x86_64 path before the first VP runs: synthetic
 * features early, initialize, ignore unimplemented MSRs, freeze time, read
 * what its MSR list is built from, set the socket size, snapshot the clock.
 */
static void cloud_hypervisor_setup_succeeds(void **state)
{
	struct host x = make_host(false);
	uint64_t id = new_child(&x), assignable;

	(void)state;
	assignable = bank0_of_root_ex(x.hv, HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES);
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  RUST_VMM_X64 & assignable), HV_STATUS_SUCCESS);
	assert_int_equal(on(x.hv, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
				  HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO),
			 HV_STATUS_SUCCESS);
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_TIME_FREEZE, 1),
			 HV_STATUS_SUCCESS);
	assert_int_equal(get_prop(x.hv, id, HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES),
			 icx[HV_FEATURE_WORD_XSAVE]);
	assert_int_equal(get_prop(x.hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES),
			 RUST_VMM_X64);
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_PROCESSORS_PER_SOCKET, 1),
			 HV_STATUS_SUCCESS);
	assert_int_equal(get_prop(x.hv, id, HV_PARTITION_PROPERTY_REFERENCE_TIME), 0);
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_REFERENCE_TIME, 987654321),
			 HV_STATUS_SUCCESS);
	assert_int_equal(get_prop(x.hv, id, HV_PARTITION_PROPERTY_REFERENCE_TIME), 987654321);
	/* rust-vmm's test: privilege flags after initialize. */
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS, 0),
			 HV_STATUS_INVALID_PARTITION_STATE);
	assert_int_equal(set_prop(x.hv, id, HV_PARTITION_PROPERTY_TIME_FREEZE, 0),
			 HV_STATUS_SUCCESS);
	assert_int_equal(get_prop(x.hv, id, HV_PARTITION_PROPERTY_TIME_FREEZE), 0);
	hv_destroy(x.hv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_row_is_expected),
		cmocka_unit_test(reads_follow_scope_width_and_defaults),
		cmocka_unit_test(sets_follow_the_setter_rule),
		cmocka_unit_test(synthetic_features_are_limited_to_the_assignable_set),
		cmocka_unit_test(ex_input_is_checked),
		cmocka_unit_test(disabled_bank2_changes_the_child),
		cmocka_unit_test(cloud_hypervisor_setup_succeeds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
