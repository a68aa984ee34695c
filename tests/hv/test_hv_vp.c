// SPDX-License-Identifier: MIT
/*
 * A VP as the model makes it, through hv_hypercall() with real pages:
 *  - registers, table-driven from hv_vp_registers.def: every row's reset
 *    value on two VPs, a set and get of every settable row, every refusal
 *    (unknown names, features the partition lacks, read-only rows, upper
 *    bytes, reserved bits, each custom rule), and the rep mechanics;
 *  - the VP state components by frame number and inline, their round
 *    trips and refusals;
 *  - InstallIntercept, AssertVirtualInterrupt, SignalEventDirect and
 *    PostMessageDirect: validation, what each records, and trace lines.
 * Reset values that matter to VMMs are also checked against numbers
 * written out here from the SDM and rust-vmm's tests, not the table.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <hyperv/hv_features.h>
#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_intercept.h>
#include <hyperv/hv_interrupt.h>
#include <hyperv/hv_partition.h>
#include <hyperv/hv_status.h>
#include <hyperv/hv_synic.h>
#include <hyperv/hv_vp.h>

#include "hv.h"
#include "hv_test.h"
#include "trace_reader.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Pages the VP-state calls name by frame number (the model's root is this process). */
static _Alignas(4096) uint8_t pages[4][HV_HYP_PAGE_SIZE];

static uint64_t pfn_of(const void *page)
{
	return (uint64_t)(uintptr_t)page >> 12;
}

/* --- The register table, as this test reads it --- */

enum need { NEED_ALWAYS, NEED_FEATURE, NEED_SYNTHETIC };
enum access { RW_, RO_, WO_ };

struct row {
	const char *name;
	uint64_t lo, hi;		/* the reset value, unless derived */
	uint32_t number;
	unsigned int width;
	enum access access;
	const char *alias;		/* the row whose value it is, or NULL */
	uint64_t reserved;
	bool x64, derived, custom;
	enum need need;
	unsigned int feature;		/* NEED_FEATURE */
	uint64_t synthetic;		/* NEED_SYNTHETIC */
};

#define ANY			.x64 = false
#define X64			.x64 = true
#define ZERO			.lo = 0
#define VALUE(v)		.lo = (v)
#define VALUE128(l, h)		.lo = (l), .hi = (h)
#define SEGMENT(base, limit, selector, attributes) \
	.lo = (base), .hi = (uint64_t)(limit) | (uint64_t)(selector) << 32 | \
			     (uint64_t)(attributes) << 48
#define TABLE(base, limit)	.lo = (uint64_t)(limit) << 48, .hi = (base)
#define DERIVED(fn)		.derived = true
#define ALWAYS			.need = NEED_ALWAYS
#define FEATURE(id)		.need = NEED_FEATURE, .feature = HV_FEATURE_ID_##id
#define SYNTHETIC(bit)		.need = NEED_SYNTHETIC, .synthetic = HV_SYNTHETIC_FEATURE_##bit
#define RW			.access = RW_
#define RO			.access = RO_
#define WO			.access = WO_
#define ALIAS(row)		.access = RW_, .alias = #row
#define NO_CHECK		.reserved = 0
#define RESERVED(mask)		.reserved = (mask)
#define CUSTOM(fn)		.custom = true

static const struct row rows[] = {
#define HV_VP_REGISTER(name_, number_, arch_, width_, class_, reset_, needs_, access_, \
		       check_, effect_)						\
	{ .name = #name_, .number = (number_), arch_, .width = (width_), reset_, needs_, \
	  access_, check_ },
#include <hyperv/hv_vp_registers.def>
#undef HV_VP_REGISTER
};

#define NROWS	ARRAY_SIZE(rows)

/* What a derived row resets to, worked out here. */
static uint64_t derived_reset(struct hv *hv, const struct row *r, uint32_t vp)
{
	struct hv_cpuid_leaf leaf;

	if (!strcmp(r->name, "RDX")) {
		assert_int_equal(hv_host_cpuid(hv, 1, 0, &leaf), 0);
		return leaf.eax;
	}
	if (!strcmp(r->name, "APIC_BASE"))
		return 0xfee00800ULL | (vp == 0 ? 0x100 : 0);
	if (!strcmp(r->name, "INITIAL_APIC_ID") || !strcmp(r->name, "APIC_ID") ||
	    !strcmp(r->name, "VP_INDEX"))
		return vp;
	if (!strcmp(r->name, "INTERNAL_ACTIVITY_STATE"))
		return vp ? 1 : 0;
	fail_msg("no expectation for derived row %s", r->name);
	return 0;
}

/* A value each custom-checked row accepts (other than its reset), and one it refuses. */
static const struct {
	const char *name;
	struct hv_u128 good, bad;
} custom_values[] = {
	{ "DELIVERABILITY_NOTIFICATIONS", { 1ULL << 48, 0 }, { 1ULL << 6, 0 } },
	{ "RFLAGS", { 0x202, 0 }, { 0x200, 0 } },
	{ "XMM_CONTROL_STATUS", { 0x1234, 0x0000ffff00001fa0ULL }, { 0, 0x0000ffff00010000ULL } },
	{ "CR0", { 0x80000033, 0 }, { 0x80000000, 0 } },
	{ "INTERMEDIATE_CR0", { 0x80000033, 0 }, { 0x20000000, 0 } },
	{ "XFEM", { 0x7, 0 }, { 0x2, 0 } },
	{ "APIC_BASE", { 0xfec00800ULL, 0 }, { 0xfee00c00ULL, 0 } },
	{ "PAT", { 0x0606060606060606ULL, 0 }, { 0x0002000000000000ULL, 0 } },
};

static void custom_value(const struct row *r, bool good, struct hv_u128 *v)
{
	/* The fixed MTRRs share PAT's rule. */
	const char *name = strncmp(r->name, "MTRR_FIX", 8) ? r->name : "PAT";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(custom_values); i++)
		if (!strcmp(custom_values[i].name, name)) {
			*v = good ? custom_values[i].good : custom_values[i].bad;
			return;
		}
	fail_msg("no values for custom row %s", r->name);
}

/* A value the row accepts that differs from its reset. */
static struct hv_u128 good_value(const struct row *r)
{
	uint64_t pattern = 0x5a5a5a5a5a5a5a5aULL;
	struct hv_u128 v;

	if (r->custom) {
		custom_value(r, true, &v);
		return v;
	}
	if ((pattern & ~r->reserved) == r->lo)
		pattern = ~pattern;
	v.low_part = pattern & ~r->reserved;
	v.high_part = r->width > 8 ? ~pattern : 0;
	return v;
}

/* --- Partitions --- */

static const uint64_t everything[4] = { ~0ULL, ~0ULL, ~0ULL, ~0ULL };
static const uint64_t nothing[4] = { 0, 0, 0, 0 };

/* An Intel host (ARM on arm64) offering the four feature words @offered. */
static struct hv *host(const uint64_t *offered, enum hv_arch arch)
{
	struct hv_host_config c = { .arch = arch, .vendor = HV_PROCESSOR_VENDOR_INTEL };
	struct hv *hv = NULL;
	unsigned int w;

	if (arch == HV_ARCH_ARM64)
		c.vendor = HV_PROCESSOR_VENDOR_ARM;
	for (w = 0; w < HV_FEATURE_WORD_COUNT; w++)
		c.offered[w] = offered[w];
	assert_int_equal(hv_create(&c, &hv), 0);
	return hv;
}

/* Bit 63 (no enlightenment) in @synthetic: the assignable ones it names. */
#define ALL_SYNTHETIC	(~0ULL)

/*
 * A partition with creation @flags and bank 0 @disabled0, given the
 * enlightenments @synthetic (ALL_SYNTHETIC: every assignable one, less
 * those cleared; 0: the default), initialized, with VPs 0 and 2. Returns
 * its id.
 */
static uint64_t partition(struct hv *hv, uint64_t flags, uint64_t disabled0, uint64_t synthetic)
{
	struct hv_input_create_partition *c = (void *)in;
	uint64_t id;

	memset(in, 0, sizeof(in));
	c->flags = flags;
	c->compatibility_version = HV_COMPATIBILITY_21_H2;
	c->partition_creation_properties.disabled_processor_features.as_uint64[0] = disabled0;
	assert_int_equal(call(hv, HVCALL_CREATE_PARTITION), HV_STATUS_SUCCESS);
	id = ((struct hv_output_create_partition *)out)->partition_id;
	if (synthetic >> 63)
		synthetic &= get_prop(hv, HV_PARTITION_ID_SELF,
				      HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES);
	if (synthetic)
		assert_int_equal(set_prop(hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
					  synthetic), HV_STATUS_SUCCESS);
	assert_int_equal(simple(hv, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(create_vp(hv, id, 0), HV_STATUS_SUCCESS);
	assert_int_equal(create_vp(hv, id, 2), HV_STATUS_SUCCESS);
	return id;
}

/* --- Register calls --- */

struct result {
	uint16_t status;
	unsigned int reps_done;
};

static struct result hypercall(struct hv *hv, uint64_t control)
{
	uint64_t r = hv_hypercall(hv, control, in, out);

	return (struct result){ (uint16_t)r, (unsigned int)(r >> 32) & 0xfff };
}

static uint64_t rep_control(uint16_t code, unsigned int reps, unsigned int start)
{
	return code | (uint64_t)reps << 32 | (uint64_t)start << 48;
}

/* GetVpRegisters of @n names from rep @start; values land in out. */
static struct result get_regs(struct hv *hv, uint64_t id, uint32_t vp, const uint32_t *names,
			      unsigned int n, unsigned int start)
{
	struct hv_input_get_vp_registers *g = (void *)in;

	memset(in, 0, sizeof(in));
	g->partition_id = id;
	g->vp_index = vp;
	memcpy(in + sizeof(*g), names, n * sizeof(uint32_t));
	return hypercall(hv, rep_control(HVCALL_GET_VP_REGISTERS, n, start));
}

static struct hv_u128 value_out(unsigned int i)
{
	struct hv_u128 v;

	memcpy(&v, out + 16 * i, sizeof(v));
	return v;
}

static struct result set_regs(struct hv *hv, uint64_t id, uint32_t vp,
			      const struct hv_register_assoc *a, unsigned int n)
{
	struct hv_input_set_vp_registers *s = (void *)in;

	memset(in, 0, sizeof(in));
	s->partition_id = id;
	s->vp_index = vp;
	memcpy(in + sizeof(*s), a, n * sizeof(*a));
	return hypercall(hv, rep_control(HVCALL_SET_VP_REGISTERS, n, 0));
}

static uint16_t get1(struct hv *hv, uint64_t id, uint32_t vp, uint32_t name, struct hv_u128 *v)
{
	struct result r = get_regs(hv, id, vp, &name, 1, 0);

	*v = value_out(0);
	return r.status;
}

static uint16_t set1(struct hv *hv, uint64_t id, uint32_t vp, uint32_t name,
		     struct hv_u128 value)
{
	struct hv_register_assoc a = { .name = name, .value = value };

	return set_regs(hv, id, vp, &a, 1).status;
}

static uint64_t low(struct hv *hv, uint64_t id, uint32_t vp, uint32_t name)
{
	struct hv_u128 v;

	assert_int_equal(get1(hv, id, vp, name, &v), HV_STATUS_SUCCESS);
	return v.low_part;
}

/* Every row read on @vp in one rep call must equal @expect(row). */
static void expect_all(struct hv *hv, uint64_t id, uint32_t vp,
		       struct hv_u128 (*expect)(struct hv *hv, const struct row *r, uint32_t vp))
{
	uint32_t names[NROWS];
	struct result res;
	size_t i;

	for (i = 0; i < NROWS; i++)
		names[i] = rows[i].number;
	res = get_regs(hv, id, vp, names, NROWS, 0);
	assert_int_equal(res.status, HV_STATUS_SUCCESS);
	assert_int_equal(res.reps_done, NROWS);
	for (i = 0; i < NROWS; i++) {
		struct hv_u128 want = expect(hv, &rows[i], vp), got = value_out((unsigned int)i);

		if (got.low_part != want.low_part || got.high_part != want.high_part)
			fail_msg("VP %u %s: 0x%016llx:%016llx, expected 0x%016llx:%016llx", vp,
				 rows[i].name, (unsigned long long)got.high_part,
				 (unsigned long long)got.low_part,
				 (unsigned long long)want.high_part,
				 (unsigned long long)want.low_part);
	}
}

static struct hv_u128 reset_of(struct hv *hv, const struct row *r, uint32_t vp)
{
	if (r->access == WO_)
		return (struct hv_u128){ 0, 0 };
	if (r->derived)
		return (struct hv_u128){ derived_reset(hv, r, vp), 0 };
	return (struct hv_u128){ r->lo, r->hi };
}

static struct hv_u128 after_set(struct hv *hv, const struct row *r, uint32_t vp)
{
	return r->access == RW_ ? good_value(r) : reset_of(hv, r, vp);
}

/* --- Registers --- */

static void every_register_resets_as_the_table_says(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC);

	(void)state;
	assert_true(NROWS > 150);
	expect_all(hv, id, 0, reset_of);
	expect_all(hv, id, 2, reset_of);
	hv_destroy(hv);
}

/* What VMMs rely on, from the SDM's reset state and rust-vmm's tests, not the table. */
static void reset_values_vmms_rely_on(void **state)
{
	static const struct {
		uint32_t name;
		uint64_t lo, hi;
	} want[] = {
		{ 0x00000000, 1, 0 },			/* EXPLICIT_SUSPEND: never run */
		{ 0x00000001, 0, 0 },			/* INTERCEPT_SUSPEND */
		{ 0x00020010, 0xfff0, 0 },		/* RIP */
		{ 0x00020011, 0x2, 0 },			/* RFLAGS */
		{ 0x00060001, 0xffff0000, 0x009bf0000000ffffULL },	/* CS */
		{ 0x00060003, 0, 0x009300000000ffffULL },		/* DS */
		{ 0x00070001, 0xffffULL << 48, 0 },	/* GDTR */
		{ 0x00040000, 0x60000010, 0 },		/* CR0 */
		{ 0x00040005, 0x1, 0 },			/* XFEM */
		{ 0x00050004, 0xffff0ff0, 0 },		/* DR6 */
		{ 0x00050005, 0x400, 0 },		/* DR7 */
		{ 0x00080003, 0xfee00900, 0 },		/* APIC_BASE, BSP */
		{ 0x00080004, 0x0007040600070406ULL, 0 },	/* PAT */
		{ 0x00030019, 0, 0x0000ffff00001f80ULL },	/* MXCSR */
		{ 0x000a0000, 0x10000, 0 },		/* SINT0 masked */
		{ 0x00090001, 0, 0 },			/* HYPERCALL */
	};
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC);
	struct hv_u128 v;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(get1(hv, id, 0, want[i].name, &v), HV_STATUS_SUCCESS);
		assert_int_equal(v.low_part, want[i].lo);
		assert_int_equal(v.high_part, want[i].hi);
	}
	hv_destroy(hv);
}

static void every_settable_register_round_trips(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC);
	struct hv_register_assoc a[HV_SET_VP_REGISTERS_MAX_REPS];
	unsigned int n = 0;
	size_t i;

	(void)state;
	for (i = 0; i <= NROWS; i++) {
		if ((i == NROWS && n) || n == ARRAY_SIZE(a)) {
			struct result r = set_regs(hv, id, 0, a, n);

			assert_int_equal(r.status, HV_STATUS_SUCCESS);
			assert_int_equal(r.reps_done, n);
			n = 0;
		}
		if (i < NROWS && rows[i].access != RO_)
			a[n++] = (struct hv_register_assoc){ .name = rows[i].number,
							     .value = good_value(&rows[i]) };
	}
	expect_all(hv, id, 0, after_set);
	expect_all(hv, id, 2, reset_of);	/* VP 2 kept its own */
	hv_destroy(hv);
}

/* Read-only rows, upper bytes of 8-byte rows, reserved bits, custom rules. */
static void every_refused_value_leaves_the_register_alone(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC);
	unsigned int refusals = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];
		struct hv_u128 bad[4], before, after;
		unsigned int k, n = 0;

		if (r->access == RO_)
			bad[n++] = good_value(r);
		if (r->reserved)
			bad[n++] = (struct hv_u128){ r->reserved & -r->reserved, 0 };
		if (r->custom)
			custom_value(r, false, &bad[n++]);
		assert_int_equal(get1(hv, id, 0, r->number, &before), HV_STATUS_SUCCESS);
		for (k = 0; k < n; k++) {
			if (set1(hv, id, 0, r->number, bad[k]) != HV_STATUS_INVALID_PARAMETER)
				fail_msg("%s: refusal %u was accepted", r->name, k);
			refusals++;
		}
		assert_int_equal(get1(hv, id, 0, r->number, &after), HV_STATUS_SUCCESS);
		assert_memory_equal(&before, &after, sizeof(before));
	}
	assert_true(refusals > 80);
	hv_destroy(hv);
}

/*
 * The upper half of an 8-byte register's value is ignored (rust-vmm leaves
 * it uninitialized) and reads back zero; an INTERMEDIATE_CRn is its CRn.
 */
static void upper_halves_are_ignored_and_aliases_share(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC);
	struct hv_u128 v;
	size_t i;

	(void)state;
	for (i = 0; i < NROWS; i++) {
		struct hv_u128 good = good_value(&rows[i]);

		if (rows[i].width != 8 || rows[i].access != RW_)
			continue;
		good.high_part = 0xdeadbeefcafef00dULL;
		if (set1(hv, id, 0, rows[i].number, good) != HV_STATUS_SUCCESS)
			fail_msg("%s: the upper half was not ignored", rows[i].name);
		assert_int_equal(get1(hv, id, 0, rows[i].number, &v), HV_STATUS_SUCCESS);
		assert_int_equal(v.low_part, good.low_part);
		assert_int_equal(v.high_part, 0);
	}
	assert_int_equal(set1(hv, id, 0, HV_REGISTER_INTERMEDIATE_CR0,
			      (struct hv_u128){ 0x80000011, 0 }), HV_STATUS_SUCCESS);
	assert_int_equal(low(hv, id, 0, HV_REGISTER_CR0), 0x80000011);
	assert_int_equal(set1(hv, id, 0, HV_REGISTER_CR3, (struct hv_u128){ 0x5000, 0 }),
			 HV_STATUS_SUCCESS);
	assert_int_equal(low(hv, id, 0, HV_REGISTER_INTERMEDIATE_CR3), 0x5000);
	assert_int_equal(low(hv, id, 2, HV_REGISTER_INTERMEDIATE_CR3), 0);
	hv_destroy(hv);
}

static void checks_that_depend_on_the_partition(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t plain = partition(hv, 0, 0, ALL_SYNTHETIC);
	uint64_t lapic = partition(hv, HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED |
				       HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE, 0, ALL_SYNTHETIC);
	const uint32_t deliverability = HV_REGISTER_DELIVERABILITY_NOTIFICATIONS;
	const uint32_t apic_base = HV_REGISTER_APIC_BASE;

	(void)state;
	/* rust-vmm's test: 0 twice, then 1 (an NMI notification) is refused. */
	assert_int_equal(set1(hv, lapic, 0, deliverability, (struct hv_u128){ 0, 0 }),
			 HV_STATUS_SUCCESS);
	assert_int_equal(set1(hv, lapic, 0, deliverability, (struct hv_u128){ 0, 0 }),
			 HV_STATUS_SUCCESS);
	assert_int_equal(set1(hv, lapic, 0, deliverability, (struct hv_u128){ 1, 0 }),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(set1(hv, lapic, 0, deliverability, (struct hv_u128){ 1ULL << 63, 0 }),
			 HV_STATUS_SUCCESS);	/* SINT 15 */
	/* Without the hypervisor's APIC the VMM injects, and may ask. */
	assert_int_equal(set1(hv, plain, 0, deliverability, (struct hv_u128){ 0x3f, 0 }),
			 HV_STATUS_SUCCESS);
	assert_int_equal(low(hv, plain, 0, deliverability), 0x3f);
	/* x2APIC mode: only on an X2APIC_CAPABLE partition, and only enabled. */
	assert_int_equal(set1(hv, lapic, 0, apic_base, (struct hv_u128){ 0xfee00d00ULL, 0 }),
			 HV_STATUS_SUCCESS);
	assert_int_equal(set1(hv, lapic, 0, apic_base, (struct hv_u128){ 0xfee00500ULL, 0 }),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(set1(hv, plain, 0, apic_base, (struct hv_u128){ 0xfee00d00ULL, 0 }),
			 HV_STATUS_INVALID_PARAMETER);
	/* Above the physical address width. */
	assert_int_equal(set1(hv, lapic, 0, apic_base, (struct hv_u128){ 1ULL << 60 | 0x800, 0 }),
			 HV_STATUS_INVALID_PARAMETER);
	hv_destroy(hv);
}

static bool has_feature(const uint64_t *offered, unsigned int feature);

/* Which rows exist: features offered and disabled, enlightenments given. */
static void registers_exist_with_their_feature(void **state)
{
	struct {
		const uint64_t *offered;
		uint64_t disabled0, synthetic;
	} cases[] = {
		{ everything, 0, ALL_SYNTHETIC },
		{ nothing, 0, 0 },
		{ everything, 1ULL << 38, 0 },	/* no rdtscp, default enlightenments */
		{ everything, 0, ALL_SYNTHETIC & ~HV_SYNTHETIC_FEATURE_ACCESS_SYNIC_REGS },
	};
	size_t c, i;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		struct hv *hv = host(cases[c].offered, HV_ARCH_X86_64);
		uint64_t id = partition(hv, 0, cases[c].disabled0, cases[c].synthetic);
		uint64_t synthetic = get_prop(hv, id, HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES);
		uint64_t effective[4];

		memcpy(effective, cases[c].offered, sizeof(effective));
		effective[0] &= ~cases[c].disabled0;
		for (i = 0; i < NROWS; i++) {
			const struct row *r = &rows[i];
			bool exists = r->need == NEED_ALWAYS ||
				      (r->need == NEED_FEATURE && has_feature(effective, r->feature)) ||
				      (r->need == NEED_SYNTHETIC && (synthetic & r->synthetic));
			struct hv_u128 v;
			uint16_t status = get1(hv, id, 0, r->number, &v);

			if (status != (exists ? HV_STATUS_SUCCESS : HV_STATUS_INVALID_PARAMETER))
				fail_msg("case %zu: %s: status 0x%x", c, r->name, status);
			if (!exists)
				assert_int_equal(set1(hv, id, 0, r->number, good_value(r)),
						 HV_STATUS_INVALID_PARAMETER);
		}
		hv_destroy(hv);
	}
}

/* Where a feature is in the words (rows of hv_processor_features.def). */
static const struct {
	unsigned int word, bit;
} feature_at[] = {
#define HV_FEATURE(id, word_, bit_, ...) { HV_FEATURE_WORD_##word_, (bit_) },
#include <hyperv/hv_processor_features.def>
#undef HV_FEATURE
};

static bool has_feature(const uint64_t *offered, unsigned int feature)
{
	return offered[feature_at[feature].word] >> feature_at[feature].bit & 1;
}

static void x86_registers_are_unknown_on_arm64(void **state)
{
	struct hv *hv = host(nothing, HV_ARCH_ARM64);
	struct hv_input_create_partition_arm64 *c = (void *)in;
	struct hv_u128 v;
	uint64_t id;

	(void)state;
	memset(in, 0, sizeof(in));
	c->compatibility_version = HV_COMPATIBILITY_21_H2;
	assert_int_equal(call(hv, HVCALL_CREATE_PARTITION), HV_STATUS_SUCCESS);
	id = ((struct hv_output_create_partition *)out)->partition_id;
	assert_int_equal(simple(hv, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(create_vp(hv, id, 0), HV_STATUS_SUCCESS);
	assert_int_equal(get1(hv, id, 0, HV_REGISTER_RIP, &v), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(get1(hv, id, 0, HV_REGISTER_EXPLICIT_SUSPEND, &v), HV_STATUS_SUCCESS);
	assert_int_equal(v.low_part, 1);
	hv_destroy(hv);
}

static void rep_calls_stop_at_the_first_failing_rep(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC);
	const uint32_t names[] = { HV_REGISTER_RIP, HV_REGISTER_RFLAGS, 0x12345678,
				   HV_REGISTER_CR0 };
	struct hv_register_assoc a[3] = {
		{ .name = HV_REGISTER_RAX, .value = { 1, 0 } },
		{ .name = HV_REGISTER_RBX, .value = { 2, 0 } },
		{ .name = HV_REGISTER_RCX, .value = { 3, 0 }, .reserved1 = 1 },
	};
	struct result r;

	(void)state;
	memset(out, 0xaa, sizeof(out));
	r = get_regs(hv, id, 0, names, 4, 0);
	assert_int_equal(r.status, HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(r.reps_done, 2);
	assert_int_equal(value_out(0).low_part, 0xfff0);
	assert_int_equal(value_out(1).low_part, 0x2);
	assert_int_equal(out[32], 0xaa);		/* nothing for the unknown name */
	/* A rep start resumes there: reps before it are not touched. */
	memset(out, 0xaa, sizeof(out));
	r = get_regs(hv, id, 0, names, 2, 1);
	assert_int_equal(r.status, HV_STATUS_SUCCESS);
	assert_int_equal(r.reps_done, 2);
	assert_int_equal(out[0], 0xaa);
	assert_int_equal(value_out(1).low_part, 0x2);
	/* A set stops at an element with reserved bytes; the ones before it stay set. */
	r = set_regs(hv, id, 0, a, 3);
	assert_int_equal(r.status, HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(r.reps_done, 2);
	assert_int_equal(low(hv, id, 0, HV_REGISTER_RAX), 1);
	assert_int_equal(low(hv, id, 0, HV_REGISTER_RBX), 2);
	assert_int_equal(low(hv, id, 0, HV_REGISTER_RCX), 0);
	/* rust-vmm's test_set_get_regs. */
	a[0] = (struct hv_register_assoc){ .name = HV_REGISTER_RIP, .value = { 0x1000, 0 } };
	a[1] = (struct hv_register_assoc){ .name = HV_REGISTER_RFLAGS, .value = { 0x2, 0 } };
	assert_int_equal(set_regs(hv, id, 0, a, 2).reps_done, 2);
	assert_int_equal(low(hv, id, 0, HV_REGISTER_RIP), 0x1000);
	hv_destroy(hv);
}

/* Header, VTL, rep count, partition state, VP: the statuses before any rep. */
static void register_call_refusals(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC), fresh;
	struct hv_input_get_vp_registers *g = (void *)in;
	const struct hv_register_assoc one = { .name = HV_REGISTER_RAX };
	const uint32_t rip = HV_REGISTER_RIP;
	static const struct {
		uint8_t vtl, rsvd8;
		uint16_t status;
	} vtl[] = {
		{ 0x00, 0, HV_STATUS_SUCCESS },
		{ 0x10, 0, HV_STATUS_SUCCESS },		/* VTL 0, asked for */
		{ 0x11, 0, HV_STATUS_INVALID_PARAMETER },
		{ 0x20, 0, HV_STATUS_INVALID_PARAMETER },
		{ 0x00, 1, HV_STATUS_INVALID_PARAMETER },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(vtl); i++) {
		get_regs(hv, id, 0, &rip, 1, 0);
		g->input_vtl = vtl[i].vtl;
		g->rsvd_z8 = vtl[i].rsvd8;
		assert_int_equal(hypercall(hv, rep_control(HVCALL_GET_VP_REGISTERS, 1, 0)).status,
				 vtl[i].status);
	}
	assert_int_equal(get_regs(hv, id, 0, &rip, 0, 0).status,
			 HV_STATUS_INVALID_HYPERCALL_INPUT);
	assert_int_equal(hypercall(hv, rep_control(HVCALL_GET_VP_REGISTERS, 257, 0)).status,
			 HV_STATUS_INVALID_HYPERCALL_INPUT);
	assert_int_equal(get_regs(hv, id, 0, &rip, 1, 1).status,
			 HV_STATUS_INVALID_HYPERCALL_INPUT);
	assert_int_equal(set_regs(hv, id, 0, &one, 0).status, HV_STATUS_INVALID_HYPERCALL_INPUT);
	assert_int_equal(hypercall(hv, rep_control(HVCALL_SET_VP_REGISTERS, 128, 0)).status,
			 HV_STATUS_INVALID_HYPERCALL_INPUT);
	assert_int_equal(get_regs(hv, id, 1, &rip, 1, 0).status, HV_STATUS_INVALID_VP_INDEX);
	assert_int_equal(get_regs(hv, id, 4096, &rip, 1, 0).status, HV_STATUS_INVALID_VP_INDEX);
	assert_int_equal(get_regs(hv, id + 100, 0, &rip, 1, 0).status,
			 HV_STATUS_INVALID_PARTITION_ID);
	/* A partition not yet initialized has no VPs to ask about. */
	memset(in, 0, sizeof(in));
	((struct hv_input_create_partition *)in)->compatibility_version = HV_COMPATIBILITY_21_H2;
	assert_int_equal(call(hv, HVCALL_CREATE_PARTITION), HV_STATUS_SUCCESS);
	fresh = ((struct hv_output_create_partition *)out)->partition_id;
	assert_int_equal(get_regs(hv, fresh, 0, &rip, 1, 0).status,
			 HV_STATUS_INVALID_PARTITION_STATE);
	/* Nor a finalized one. */
	assert_int_equal(simple(hv, HVCALL_FINALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(get_regs(hv, id, 0, &rip, 1, 0).status,
			 HV_STATUS_INVALID_PARTITION_STATE);
	/* No output page; a variable header on a call that takes none. */
	assert_int_equal(hv_hypercall(hv, rep_control(HVCALL_GET_VP_REGISTERS, 1, 0), in, NULL) &
			 0xffff, HV_STATUS_INVALID_HYPERCALL_INPUT);
	assert_int_equal(hypercall(hv, rep_control(HVCALL_GET_VP_REGISTERS, 1, 0) | 1ULL << 17)
			 .status, HV_STATUS_INVALID_HYPERCALL_INPUT);
	hv_destroy(hv);
}

/* --- VP state --- */

/* GetVpState or SetVpState of @type on VP @vp: by @npages pages, or inline @bytes. */
static uint16_t vp_state(struct hv *hv, bool set, uint64_t id, uint32_t vp, uint32_t type,
			 uint64_t states, unsigned int npages, const void *bytes, size_t nbytes)
{
	struct hv_input_get_vp_state *s = (void *)in;
	unsigned int i, varhead = npages;
	uint64_t pfn;

	memset(in, 0, sizeof(in));
	s->partition_id = id;
	s->vp_index = vp;
	s->state_data.type = type;
	s->state_data.xsave_states = states;
	for (i = 0; i < npages; i++) {
		pfn = pfn_of(pages[i]);
		memcpy(in + sizeof(*s) + 8 * i, &pfn, sizeof(pfn));
	}
	if (nbytes) {
		memcpy(in + sizeof(*s), bytes, nbytes);
		varhead = (unsigned int)(nbytes + 7) / 8;
	}
	return call(hv, (set ? HVCALL_SET_VP_STATE : HVCALL_GET_VP_STATE) |
			(uint64_t)varhead << 17);
}

static void lapic_state_round_trips_and_shows_the_vp(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC);
	struct hv_local_interrupt_controller_state l;
	const uint32_t lapic = HV_GET_SET_VP_STATE_LAPIC_STATE;

	(void)state;
	memset(pages[0], 0x77, sizeof(pages[0]));
	assert_int_equal(vp_state(hv, false, id, 2, lapic, 0, 1, NULL, 0), HV_STATUS_SUCCESS);
	memcpy(&l, pages[0], sizeof(l));
	assert_int_equal(l.apic_id, 2);
	assert_int_equal(l.apic_version, 0x00050014);
	assert_int_equal(l.apic_dfr, 0xffffffffU);
	assert_int_equal(l.apic_spurious, 0xff);
	assert_int_equal(l.apic_lvt_lint0, 0x10000);
	assert_int_equal(l.apic_irr[1], 0);
	assert_int_equal(pages[0][sizeof(l)], 0x77);	/* the rest of the page untouched */
	/* Set a changed copy (VP 0 this time), read it back. */
	l.apic_ldr = 1U << 24;
	l.apic_spurious = 0x1ff;
	memcpy(pages[0], &l, sizeof(l));
	assert_int_equal(vp_state(hv, true, id, 0, lapic, 0, 1, NULL, 0), HV_STATUS_SUCCESS);
	memset(pages[0], 0, sizeof(pages[0]));
	assert_int_equal(vp_state(hv, false, id, 0, lapic, 0, 1, NULL, 0), HV_STATUS_SUCCESS);
	assert_memory_equal(pages[0], &l, sizeof(l));
	/* No page, frame 0, an unknown type, reserved fields, too many frames. */
	assert_int_equal(vp_state(hv, false, id, 0, lapic, 0, 0, NULL, 0),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(vp_state(hv, false, id, 0, 0x80000005, 0, 1, NULL, 0),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(vp_state(hv, false, id, 0, 0, 0, 1, NULL, 0),
			 HV_STATUS_INVALID_PARAMETER);	/* LAPIC without the page bit */
	assert_int_equal(vp_state(hv, false, id, 0, lapic, 1, 1, NULL, 0),
			 HV_STATUS_INVALID_PARAMETER);	/* XSAVE states on LAPIC */
	assert_int_equal(vp_state(hv, false, id, 9, lapic, 0, 1, NULL, 0),
			 HV_STATUS_INVALID_VP_INDEX);
	vp_state(hv, false, id, 0, lapic, 0, 1, NULL, 0);
	memset(in + 40, 0, 8);
	assert_int_equal(call(hv, HVCALL_GET_VP_STATE | 1ULL << 17), HV_STATUS_INVALID_PARAMETER);
	vp_state(hv, false, id, 0, lapic, 0, 1, NULL, 0);
	in[15] = 1;
	assert_int_equal(call(hv, HVCALL_GET_VP_STATE | 1ULL << 17), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(call(hv, HVCALL_GET_VP_STATE | 508ULL << 17),
			 HV_STATUS_INVALID_HYPERCALL_INPUT);
	hv_destroy(hv);
}

static void xsave_state_is_the_partitions_compacted_image(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC);
	uint64_t states = get_prop(hv, id, HV_PARTITION_PROPERTY_XSAVE_STATES) | 0x3;
	uint32_t size = hv_xsave_compacted_size(states), npages = (size + 4095) / 4096;
	const uint32_t xsave = HV_GET_SET_VP_STATE_XSAVE;
	uint64_t xcomp;
	uint16_t fcw;
	uint32_t mxcsr;
	uint8_t image[4 * HV_HYP_PAGE_SIZE];

	(void)state;
	assert_true(npages > 1 && npages <= 4);		/* AMX makes it large */
	assert_true(size <= get_prop(hv, id, HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE));
	assert_int_equal(vp_state(hv, false, id, 0, xsave, states, npages - 1, NULL, 0),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(vp_state(hv, false, id, 0, xsave, states & ~0x4ULL, npages, NULL, 0),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(vp_state(hv, false, id, 0, xsave, states, npages, NULL, 0),
			 HV_STATUS_SUCCESS);
	memcpy(image, pages, sizeof(image));
	memcpy(&fcw, image, 2);
	memcpy(&mxcsr, image + 24, 4);
	memcpy(&xcomp, image + 520, 8);
	assert_int_equal(fcw, 0x037f);
	assert_int_equal(mxcsr, 0x1f80);
	assert_int_equal(xcomp, 1ULL << 63 | states);
	/* A changed control word round-trips; a bad header is refused. */
	image[0] = 0x7f;
	image[1] = 0x02;
	memcpy(pages, image, sizeof(image));
	assert_int_equal(vp_state(hv, true, id, 0, xsave, states, npages, NULL, 0),
			 HV_STATUS_SUCCESS);
	image[530] = 1;
	memcpy(pages, image, sizeof(image));
	assert_int_equal(vp_state(hv, true, id, 0, xsave, states, npages, NULL, 0),
			 HV_STATUS_INVALID_PARAMETER);
	memset(pages, 0, sizeof(pages));
	assert_int_equal(vp_state(hv, false, id, 0, xsave, states, npages, NULL, 0),
			 HV_STATUS_SUCCESS);
	assert_int_equal(pages[0][0], 0x7f);
	assert_int_equal(pages[0][530], 0);
	hv_destroy(hv);
}

static void synic_pages_and_timers_round_trip(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC);
	const uint32_t sim = HV_GET_SET_VP_STATE_SIM_PAGE, sief = HV_GET_SET_VP_STATE_SIEF_PAGE;
	const uint32_t timers = HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS;
	struct hv_synthetic_timers_state t;

	(void)state;
	memset(pages[0], 0x3c, sizeof(pages[0]));
	assert_int_equal(vp_state(hv, true, id, 0, sim, 0, 1, NULL, 0), HV_STATUS_SUCCESS);
	memset(pages[0], 0xc3, sizeof(pages[0]));
	assert_int_equal(vp_state(hv, true, id, 0, sief, 0, 1, NULL, 0), HV_STATUS_SUCCESS);
	assert_int_equal(vp_state(hv, false, id, 0, sim, 0, 1, NULL, 0), HV_STATUS_SUCCESS);
	assert_int_equal(pages[0][4095], 0x3c);
	assert_int_equal(vp_state(hv, false, id, 0, sief, 0, 1, NULL, 0), HV_STATUS_SUCCESS);
	assert_int_equal(pages[0][0], 0xc3);
	assert_int_equal(vp_state(hv, false, id, 2, sief, 0, 1, NULL, 0), HV_STATUS_SUCCESS);
	assert_int_equal(pages[0][0], 0);		/* VP 2's own */

	/* The timers travel inline: 200 bytes, 25 u64s of variable header. */
	assert_int_equal(sizeof(t), 200);
	assert_int_equal(vp_state(hv, false, id, 0, timers, 0, 0, NULL, 0), HV_STATUS_SUCCESS);
	memcpy(&t, out, sizeof(t));
	assert_int_equal(t.timers[3].config, 0);
	t.timers[1].config = 0x30009;		/* SINT 3, vector 0, enabled */
	t.timers[1].count = 12345;
	t.timers[2].flags = 1;
	assert_int_equal(vp_state(hv, true, id, 0, timers, 0, 0, &t, sizeof(t)),
			 HV_STATUS_SUCCESS);
	memset(out, 0, sizeof(out));
	assert_int_equal(vp_state(hv, false, id, 0, timers, 0, 0, NULL, 0), HV_STATUS_SUCCESS);
	assert_memory_equal(out, &t, sizeof(t));
	/* The wrong length, a reserved bit, pages for an inline component. */
	assert_int_equal(vp_state(hv, true, id, 0, timers, 0, 0, &t, sizeof(t) - 8),
			 HV_STATUS_INVALID_PARAMETER);
	t.timers[0].config = 1ULL << 13;
	assert_int_equal(vp_state(hv, true, id, 0, timers, 0, 0, &t, sizeof(t)),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(vp_state(hv, false, id, 0, timers, 0, 1, NULL, 0),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(hv_hypercall(hv, HVCALL_GET_VP_STATE, in, NULL) & 0xffff,
			 HV_STATUS_INVALID_HYPERCALL_INPUT);
	hv_destroy(hv);
}

/* --- Intercepts, interrupts, SynIC --- */

static uint16_t install(struct hv *hv, uint64_t id, uint32_t access, uint32_t type,
			uint64_t parameter)
{
	*(struct hv_input_install_intercept *)in =
		(struct hv_input_install_intercept){ id, access, type, parameter };
	return call(hv, HVCALL_INSTALL_INTERCEPT);
}

static void intercepts_are_validated_and_recorded(void **state)
{
	static const struct {
		uint32_t access, type;
		uint64_t parameter;
		uint16_t status;
	} cases[] = {
		{ 0x4, HV_INTERCEPT_TYPE_X64_CPUID, 0x100, HV_STATUS_SUCCESS },	/* rust-vmm */
		{ 0x4, HV_INTERCEPT_TYPE_X64_CPUID, 0x101, HV_STATUS_SUCCESS },
		{ 0x3, HV_INTERCEPT_TYPE_X64_IO_PORT, 0x3f8, HV_STATUS_SUCCESS },
		{ 0x4, HV_INTERCEPT_TYPE_EXCEPTION, 31, HV_STATUS_SUCCESS },
		{ 0x1, HV_INTERCEPT_TYPE_X64_CPUID, 0x100, HV_STATUS_INVALID_PARAMETER },
		{ 0x8, HV_INTERCEPT_TYPE_X64_IO_PORT, 0x3f8, HV_STATUS_INVALID_PARAMETER },
		{ 0x1, HV_INTERCEPT_TYPE_X64_IO_PORT, 0x10000, HV_STATUS_INVALID_PARAMETER },
		{ 0x4, HV_INTERCEPT_TYPE_EXCEPTION, 32, HV_STATUS_INVALID_PARAMETER },
		{ 0x1, HV_INTERCEPT_TYPE_X64_MSR, 1, HV_STATUS_INVALID_PARAMETER },
		{ 0x4, HV_INTERCEPT_TYPE_RESERVED0, 0, HV_STATUS_INVALID_PARAMETER },
		{ 0x4, HV_INTERCEPT_TYPE_MAX, 0, HV_STATUS_INVALID_PARAMETER },
	};
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, 0);
	struct hv_partition_info info;
	uint32_t access;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (install(hv, id, cases[i].access, cases[i].type, cases[i].parameter) !=
		    cases[i].status)
			fail_msg("case %zu", i);
	assert_int_equal(hv_partition_get_info(hv, id, &info), 0);
	assert_int_equal(info.intercept_count, 4);
	assert_int_equal(hv_partition_intercept(hv, id, HV_INTERCEPT_TYPE_X64_IO_PORT, 0x3f8,
						&access), 0);
	assert_int_equal(access, 0x3);
	/* Again: the mask is replaced; the empty mask removes it. */
	assert_int_equal(install(hv, id, 0x2, HV_INTERCEPT_TYPE_X64_IO_PORT, 0x3f8),
			 HV_STATUS_SUCCESS);
	assert_int_equal(hv_partition_intercept(hv, id, HV_INTERCEPT_TYPE_X64_IO_PORT, 0x3f8,
						&access), 0);
	assert_int_equal(access, 0x2);
	assert_int_equal(install(hv, id, 0, HV_INTERCEPT_TYPE_X64_CPUID, 0x100), HV_STATUS_SUCCESS);
	assert_int_equal(hv_partition_intercept(hv, id, HV_INTERCEPT_TYPE_X64_CPUID, 0x100,
						&access), -ENOENT);
	assert_int_equal(hv_partition_get_info(hv, id, &info), 0);
	assert_int_equal(info.intercept_count, 3);
	/* 256 a partition holds (model); the next one finds no room. */
	for (i = info.intercept_count; i < 256; i++)
		assert_int_equal(install(hv, id, 0x1, HV_INTERCEPT_TYPE_X64_IO_PORT, 0x1000 + i),
				 HV_STATUS_SUCCESS);
	assert_int_equal(install(hv, id, 0x1, HV_INTERCEPT_TYPE_X64_IO_PORT, 0x2000),
			 HV_STATUS_INSUFFICIENT_BUFFERS);
	assert_int_equal(install(hv, id, 0x3, HV_INTERCEPT_TYPE_X64_IO_PORT, 0x1000 + 255),
			 HV_STATUS_SUCCESS);	/* a replacement needs no room */
	assert_int_equal(install(hv, id + 9, 0x4, HV_INTERCEPT_TYPE_X64_CPUID, 0),
			 HV_STATUS_INVALID_PARTITION_ID);
	assert_int_equal(simple(hv, HVCALL_FINALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(install(hv, id, 0x4, HV_INTERCEPT_TYPE_X64_CPUID, 0),
			 HV_STATUS_INVALID_PARTITION_STATE);
	hv_destroy(hv);
}

static uint16_t assert_interrupt(struct hv *hv, uint64_t id, uint64_t control, uint64_t dest,
				 uint32_t vector)
{
	*(struct hv_input_assert_virtual_interrupt *)in = (struct hv_input_assert_virtual_interrupt){
		.partition_id = id, .control = control, .dest_addr = dest, .vector = vector };
	return call(hv, HVCALL_ASSERT_VIRTUAL_INTERRUPT);
}

static struct hv_vp_info vp_info(struct hv *hv, uint64_t id, uint32_t vp)
{
	struct hv_vp_info info;

	assert_int_equal(hv_vp_get_info(hv, id, vp, &info), 0);
	return info;
}

static struct hv_local_interrupt_controller_state lapic_of(struct hv *hv, uint64_t id,
							   uint32_t vp)
{
	struct hv_local_interrupt_controller_state l;

	assert_int_equal(vp_state(hv, false, id, vp, HV_GET_SET_VP_STATE_LAPIC_STATE, 0, 1, NULL,
				  0), HV_STATUS_SUCCESS);
	memcpy(&l, pages[0], sizeof(l));
	return l;
}

static void interrupts_reach_the_apics_they_name(void **state)
{
	const uint64_t level = HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED;
	const uint64_t logical = HV_INTERRUPT_CONTROL_LOGICAL_DEST;
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED, 0, 0);
	struct hv_local_interrupt_controller_state l;

	(void)state;
	/* rust-vmm: ExtINT, vector 0, to the APIC id read from the LAPIC state. */
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_EXTINT,
					  lapic_of(hv, id, 0).apic_id, 0), HV_STATUS_SUCCESS);
	assert_int_equal(vp_info(hv, id, 0).interrupts, 1);
	assert_int_equal(vp_info(hv, id, 0).last_interrupt_type, HV_X64_INTERRUPT_TYPE_EXTINT);
	assert_int_equal(vp_info(hv, id, 2).interrupts, 0);
	/* Fixed, level-triggered, to APIC id 2: IRR and TMR bits of vector 0x31. */
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_FIXED | level, 2, 0x31),
			 HV_STATUS_SUCCESS);
	l = lapic_of(hv, id, 2);
	assert_int_equal(l.apic_irr[1], 1U << 17);
	assert_int_equal(l.apic_tmr[1], 1U << 17);
	assert_int_equal(lapic_of(hv, id, 0).apic_irr[1], 0);
	/* Broadcast reaches both; lowest priority only one; nobody at id 7. */
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_NMI, 0xff, 0),
			 HV_STATUS_SUCCESS);
	assert_int_equal(vp_info(hv, id, 0).interrupts, 2);
	assert_int_equal(vp_info(hv, id, 2).interrupts, 2);
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY,
					  0xffffffff, 0x40), HV_STATUS_SUCCESS);
	assert_int_equal(vp_info(hv, id, 0).interrupts, 3);
	assert_int_equal(vp_info(hv, id, 2).interrupts, 2);
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_FIXED, 7, 0x40),
			 HV_STATUS_SUCCESS);
	/* Logical mode: nobody until VP 2's LDR says logical id 1. */
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_FIXED | logical, 1, 0x50),
			 HV_STATUS_SUCCESS);
	assert_int_equal(vp_info(hv, id, 2).interrupts, 2);
	l = lapic_of(hv, id, 2);
	l.apic_ldr = 1U << 24;
	memcpy(pages[0], &l, sizeof(l));
	assert_int_equal(vp_state(hv, true, id, 2, HV_GET_SET_VP_STATE_LAPIC_STATE, 0, 1, NULL, 0),
			 HV_STATUS_SUCCESS);
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_FIXED | logical, 1, 0x50),
			 HV_STATUS_SUCCESS);
	assert_int_equal(vp_info(hv, id, 2).interrupts, 3);
	assert_int_equal(vp_info(hv, id, 2).last_interrupt_vector, 0x50);
	/* Refusals. */
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_FIXED, 0, 15),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_NMI, 0, 256),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_REMOTEREAD, 0, 0),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_MAXIMUM, 0, 0),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(assert_interrupt(hv, id, 1ULL << 34, 0, 0x40),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_FIXED, 1ULL << 32, 0x40),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(assert_interrupt(hv, id + 9, HV_X64_INTERRUPT_TYPE_NMI, 0, 0),
			 HV_STATUS_INVALID_PARTITION_ID);
	assert_int_equal(vp_info(hv, id, 0).interrupts, 3);
	hv_destroy(hv);
}

static uint16_t signal(struct hv *hv, uint64_t id, uint32_t vp, uint8_t sint, uint16_t flag)
{
	*(struct hv_input_signal_event_direct *)in = (struct hv_input_signal_event_direct){
		.target_partition = id, .target_vp = vp, .target_sint = sint, .flag_number = flag };
	memset(out, 0xaa, 8);
	return call(hv, HVCALL_SIGNAL_EVENT_DIRECT);
}

static void events_set_flags_in_the_sief_page(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, 0);

	(void)state;
	/* rust-vmm: VP 0, SINT 0, flag 1, twice. */
	assert_int_equal(signal(hv, id, 0, 0, 1), HV_STATUS_SUCCESS);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[7], 0);
	assert_int_equal(signal(hv, id, 0, 0, 1), HV_STATUS_SUCCESS);
	assert_int_equal(out[0], 0);
	assert_int_equal(signal(hv, id, 0, 15, 2047), HV_STATUS_SUCCESS);
	assert_int_equal(vp_info(hv, id, 0).events_signaled, 2);
	assert_int_equal(vp_state(hv, false, id, 0, HV_GET_SET_VP_STATE_SIEF_PAGE, 0, 1, NULL, 0),
			 HV_STATUS_SUCCESS);
	assert_int_equal(pages[0][0], 0x02);
	assert_int_equal(pages[0][4095], 0x80);
	assert_int_equal(signal(hv, id, 0, 16, 0), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(signal(hv, id, 0, 0, 2048), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(signal(hv, id, 1, 0, 0), HV_STATUS_INVALID_VP_INDEX);
	signal(hv, id, 0, 0, 0);
	in[12] = 1;			/* target VTL */
	assert_int_equal(call(hv, HVCALL_SIGNAL_EVENT_DIRECT), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(hv_hypercall(hv, HVCALL_SIGNAL_EVENT_DIRECT, in, NULL) & 0xffff,
			 HV_STATUS_INVALID_HYPERCALL_INPUT);
	hv_destroy(hv);
}

static uint16_t post(struct hv *hv, uint64_t id, uint32_t sint, uint32_t type, uint8_t size)
{
	struct hv_input_post_message_direct *p = (void *)in;
	struct hv_message_header h = { .message_type = type, .payload_size = size };

	memset(in, 0, sizeof(in));
	p->partition_id = id;
	p->sint_index = sint;
	memcpy(p->message, &h, sizeof(h));
	memset(p->message + sizeof(h), (int)type, size);
	return call(hv, HVCALL_POST_MESSAGE_DIRECT);
}

static void messages_fill_slots_then_queues(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC);
	const uint32_t sim = HV_GET_SET_VP_STATE_SIM_PAGE;
	struct hv_message_header h;
	unsigned int i;

	(void)state;
	/* rust-vmm: 256 zero bytes to SINT 0, twice: the slot stays free. */
	assert_int_equal(post(hv, id, 0, 0, 0), HV_STATUS_SUCCESS);
	assert_int_equal(post(hv, id, 0, 0, 0), HV_STATUS_SUCCESS);
	assert_int_equal(vp_info(hv, id, 0).messages_queued, 0);
	/* SINT 3: the first takes the slot, 4 more wait, the sixth finds no room. */
	for (i = 1; i <= 5; i++)
		assert_int_equal(post(hv, id, 3, i, 8), HV_STATUS_SUCCESS);
	assert_int_equal(post(hv, id, 3, 6, 8), HV_STATUS_INSUFFICIENT_BUFFERS);
	assert_int_equal(vp_info(hv, id, 0).messages_posted, 7);
	assert_int_equal(vp_info(hv, id, 0).messages_queued, 4);
	assert_int_equal(vp_state(hv, false, id, 0, sim, 0, 1, NULL, 0), HV_STATUS_SUCCESS);
	memcpy(&h, pages[0] + 3 * 256, sizeof(h));
	assert_int_equal(h.message_type, 1);
	assert_int_equal(h.payload_size, 8);
	assert_int_equal(h.message_flags, HV_MESSAGE_FLAG_PENDING);
	assert_int_equal(pages[0][3 * 256 + 16], 1);
	/* The guest frees the slot and writes EOM: the next one moves in. */
	memset(pages[0] + 3 * 256, 0, 256);
	assert_int_equal(vp_state(hv, true, id, 0, sim, 0, 1, NULL, 0), HV_STATUS_SUCCESS);
	assert_int_equal(set1(hv, id, 0, HV_REGISTER_EOM, (struct hv_u128){ 0, 0 }),
			 HV_STATUS_SUCCESS);
	assert_int_equal(vp_info(hv, id, 0).messages_queued, 3);
	assert_int_equal(vp_state(hv, false, id, 0, sim, 0, 1, NULL, 0), HV_STATUS_SUCCESS);
	memcpy(&h, pages[0] + 3 * 256, sizeof(h));
	assert_int_equal(h.message_type, 2);
	assert_int_equal(h.message_flags, HV_MESSAGE_FLAG_PENDING);
	/* Refusals. */
	assert_int_equal(post(hv, id, 16, 1, 8), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(post(hv, id, 1, 1, 241), HV_STATUS_INVALID_PARAMETER);
	post(hv, id, 1, 1, 8);
	in[14] = 1;				/* padding */
	assert_int_equal(call(hv, HVCALL_POST_MESSAGE_DIRECT), HV_STATUS_INVALID_PARAMETER);
	hv_destroy(hv);
}

/* --- The trace --- */

/* Each trace line: its call, a string member and an integer member (if any). */
static const struct {
	const char *call, *key, *str, *int_key;
	int num;
} traced[] = {
	{ "get_vp_registers", "status_name", "HV_STATUS_INVALID_PARAMETER", "reps", 2 },
	{ "set_vp_registers", "status_name", "HV_STATUS_SUCCESS", "vp_index", 0 },
	{ "get_vp_state", "state", "lapic", "pages", 1 },
	{ "get_vp_state", "state", "synthetic_timers", "bytes", 200 },
	{ "install_intercept", "intercept_type", "X64_CPUID", NULL, 0 },
	{ "assert_virtual_interrupt", "interrupt_type", "EXTINT", "delivered", 1 },
	{ "signal_event_direct", "status_name", "HV_STATUS_SUCCESS", "newly_signaled", 1 },
	{ "post_message_direct", "message_type", "0x00000042", "queued", 0 },
};

static void each_vp_call_leaves_its_trace_line(void **state)
{
	struct hv *hv = host(everything, HV_ARCH_X86_64);
	uint64_t id = partition(hv, 0, 0, ALL_SYNTHETIC);
	const uint32_t names[] = { HV_REGISTER_RIP, 0x12345678 };
	char path[] = "/tmp/mshvcpu-vptrace-XXXXXX";
	struct json_object *v;
	struct trace t;
	size_t i;

	(void)state;
	assert_int_equal(close(mkstemp(path)), 0);
	assert_int_equal(hv_trace_start(hv, path), 0);
	get_regs(hv, id, 2, names, 2, 0);
	set1(hv, id, 0, HV_REGISTER_RFLAGS, (struct hv_u128){ 0x202, 0 });
	vp_state(hv, false, id, 0, HV_GET_SET_VP_STATE_LAPIC_STATE, 0, 1, NULL, 0);
	vp_state(hv, false, id, 0, HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS, 0, 0, NULL, 0);
	install(hv, id, 0x4, HV_INTERCEPT_TYPE_X64_CPUID, 0x100);
	assert_interrupt(hv, id, HV_X64_INTERRUPT_TYPE_EXTINT, 0, 0);
	signal(hv, id, 2, 1, 9);
	post(hv, id, 0, 0x42, 8);
	hv_trace_stop(hv);
	trace_read(path, &t);
	unlink(path);

	assert_int_equal(t.count, ARRAY_SIZE(traced));
	for (i = 0; i < ARRAY_SIZE(traced); i++) {
		assert_string_equal(trace_str(t.lines[i], "call"), traced[i].call);
		assert_string_equal(trace_str(t.lines[i], traced[i].key), traced[i].str);
		if (!traced[i].int_key)
			continue;
		if (!json_object_object_get_ex(t.lines[i], traced[i].int_key, &v))
			fail_msg("line %zu has no %s", i, traced[i].int_key);
		assert_int_equal(json_object_get_int(v), traced[i].num);
	}
	assert_int_equal(trace_u64(t.lines[4], "parameter"), 0x100);
	/* The register lists name the table's rows, and numbers it lacks. */
	assert_true(json_object_object_get_ex(t.lines[0], "registers", &v));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 0)), "RIP");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 1)), "0x12345678");
	assert_true(json_object_object_get_ex(t.lines[1], "registers", &v));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 0)), "RFLAGS");
	assert_int_equal(trace_u64(t.lines[7], "partition_id"), id);
	trace_free(&t);
	hv_destroy(hv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_register_resets_as_the_table_says),
		cmocka_unit_test(reset_values_vmms_rely_on),
		cmocka_unit_test(every_settable_register_round_trips),
		cmocka_unit_test(every_refused_value_leaves_the_register_alone),
		cmocka_unit_test(upper_halves_are_ignored_and_aliases_share),
		cmocka_unit_test(checks_that_depend_on_the_partition),
		cmocka_unit_test(registers_exist_with_their_feature),
		cmocka_unit_test(x86_registers_are_unknown_on_arm64),
		cmocka_unit_test(rep_calls_stop_at_the_first_failing_rep),
		cmocka_unit_test(register_call_refusals),
		cmocka_unit_test(lapic_state_round_trips_and_shows_the_vp),
		cmocka_unit_test(xsave_state_is_the_partitions_compacted_image),
		cmocka_unit_test(synic_pages_and_timers_round_trip),
		cmocka_unit_test(intercepts_are_validated_and_recorded),
		cmocka_unit_test(interrupts_reach_the_apics_they_name),
		cmocka_unit_test(events_set_flags_in_the_sief_page),
		cmocka_unit_test(messages_fill_slots_then_queues),
		cmocka_unit_test(each_vp_call_leaves_its_trace_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
