// SPDX-License-Identifier: MIT
/*
 * Virtual processors: what CreateVp makes, and their registers as data --
 * the rows of include/hyperv/hv_vp_registers.def (number, width, reset
 * value, the feature a register needs, access, check, effect) -- behind
 * GetVpRegisters (0x50) and SetVpRegisters (0x51). Both are rep calls over
 * a 16-byte header {partition id, VP index, input VTL, 3 reserved bytes}:
 * GetVpRegisters reads one u32 name per rep and writes one 16-byte value
 * per rep; SetVpRegisters reads one 32-byte {name, 12 reserved bytes,
 * value} per rep. What each misuse gets:
 *
 *   no reps, a rep start past them, more than a page holds
 *                                          INVALID_HYPERCALL_INPUT
 *   no such partition                      INVALID_PARTITION_ID
 *   a partition not initialized, or finalized  INVALID_PARTITION_STATE
 *   no such VP                             INVALID_VP_INDEX
 *   a VTL other than 0, reserved bits or bytes  INVALID_PARAMETER
 *   an unknown name, or one the partition lacks the feature for
 *                                          INVALID_PARAMETER (at that rep)
 *   a set of a read-only register, a value the row's check refuses
 *                                          INVALID_PARAMETER (at that rep)
 *
 * A rep call stops at the first rep that fails: the reps before it are
 * done (and reported done), the rest are not.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv_internal.h"

enum reg_class {
	REG_STATE, REG_GENERAL, REG_FPU, REG_XMM, REG_CONTROL, REG_DEBUG, REG_SEGMENT,
	REG_TABLE, REG_MSR, REG_SYNTHETIC, REG_SYNIC, REG_STIMER,
};

enum reg_need { NEED_ALWAYS, NEED_FEATURE, NEED_SYNTHETIC };
enum reg_access { ACCESS_RW, ACCESS_RO, ACCESS_WO };

/* One row of hv_vp_registers.def, as the model needs it. */
struct reg_row {
	const char *name;
	uint32_t number;
	bool x64_only;
	unsigned int width;
	enum reg_class cls;
	struct hv_u128 reset;
	uint64_t (*derive)(const struct hv *hv, const struct hv_partition *p, uint32_t index);
	enum reg_need need;
	unsigned int feature;		/* hv_feature_id, NEED_FEATURE */
	uint64_t synthetic;		/* HV_SYNTHETIC_FEATURE_*, NEED_SYNTHETIC */
	enum reg_access access;
	unsigned int alias;		/* 1 + the id of the row whose value it is, or 0 */
	uint64_t reserved;		/* bits of the low half a set must leave zero */
	uint16_t (*check)(const struct hv *hv, const struct hv_partition *p,
			  const struct hv_u128 *value);
	void (*effect)(struct hv_vp *vp);
};

/* --- Reset values computed per VP --- */

/* Model: application processors wait for INIT-SIPI (startup suspend). */
static uint64_t derive_activity(const struct hv *hv, const struct hv_partition *p,
				uint32_t index)
{
	(void)hv;
	(void)p;
	return index ? 1 : 0;
}

/* RDX after reset: the processor signature, CPUID.1:EAX. */
static uint64_t derive_processor_signature(const struct hv *hv, const struct hv_partition *p,
					   uint32_t index)
{
	const struct hv_cpuid_leaf *l = hv_host_find_cpuid(hv, 1, 0);

	(void)p;
	(void)index;
	return l ? l->eax : 0;
}

#define APIC_BASE_BSP		(1ULL << 8)
#define APIC_BASE_X2APIC	(1ULL << 10)
#define APIC_BASE_ENABLE	(1ULL << 11)
#define APIC_BASE_DEFAULT	0xfee00000ULL

static uint64_t derive_apic_base(const struct hv *hv, const struct hv_partition *p,
				 uint32_t index)
{
	(void)hv;
	(void)p;
	return APIC_BASE_DEFAULT | APIC_BASE_ENABLE | (index == 0 ? APIC_BASE_BSP : 0);
}

static uint64_t derive_apic_id(const struct hv *hv, const struct hv_partition *p,
			       uint32_t index)
{
	(void)hv;
	(void)p;
	return index;
}

static uint64_t derive_vp_index(const struct hv *hv, const struct hv_partition *p,
				uint32_t index)
{
	(void)hv;
	(void)p;
	return index;
}

/* --- Checks beyond reserved bits --- */

#define DELIVERABILITY_INTERRUPTS	0x3fULL			/* NMI, interrupt, priority */
#define DELIVERABILITY_RESERVED		0x0000ffffffffffc0ULL	/* bits 6-47 */

static uint16_t check_deliverability(const struct hv *hv, const struct hv_partition *p,
				     const struct hv_u128 *v)
{
	(void)hv;
	if (v->low_part & DELIVERABILITY_RESERVED)
		return HV_STATUS_INVALID_PARAMETER;
	if ((p->info.creation_flags & HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED) &&
	    (v->low_part & DELIVERABILITY_INTERRUPTS))
		return HV_STATUS_INVALID_PARAMETER;
	return HV_STATUS_SUCCESS;
}

#define RFLAGS_ALWAYS_ONE	(1ULL << 1)
#define RFLAGS_ALWAYS_ZERO	((1ULL << 3) | (1ULL << 5) | (1ULL << 15) | ~0x3fffffULL)

static uint16_t check_rflags(const struct hv *hv, const struct hv_partition *p,
			     const struct hv_u128 *v)
{
	(void)hv;
	(void)p;
	if (!(v->low_part & RFLAGS_ALWAYS_ONE) || (v->low_part & RFLAGS_ALWAYS_ZERO))
		return HV_STATUS_INVALID_PARAMETER;
	return HV_STATUS_SUCCESS;
}

/* MXCSR (high half, low u32) may only set bits its mask (the u32 above it) has. */
#define MXCSR_DEFAULT_MASK	0xffbfU

static uint16_t check_mxcsr(const struct hv *hv, const struct hv_partition *p,
			    const struct hv_u128 *v)
{
	uint32_t mxcsr = (uint32_t)v->high_part, mask = (uint32_t)(v->high_part >> 32);

	(void)hv;
	(void)p;
	return mxcsr & ~(mask ? mask : MXCSR_DEFAULT_MASK) ? HV_STATUS_INVALID_PARAMETER :
							     HV_STATUS_SUCCESS;
}

#define CR0_PE		(1ULL << 0)
#define CR0_NW		(1ULL << 29)
#define CR0_CD		(1ULL << 30)
#define CR0_PG		(1ULL << 31)
#define CR0_DEFINED	0xe005003fULL	/* PE MP EM TS ET NE, WP, AM, NW CD PG */

static uint16_t check_cr0(const struct hv *hv, const struct hv_partition *p,
			  const struct hv_u128 *v)
{
	uint64_t cr0 = v->low_part;

	(void)hv;
	(void)p;
	if ((cr0 & ~CR0_DEFINED) || ((cr0 & CR0_PG) && !(cr0 & CR0_PE)) ||
	    ((cr0 & CR0_NW) && !(cr0 & CR0_CD)))
		return HV_STATUS_INVALID_PARAMETER;
	return HV_STATUS_SUCCESS;
}

static uint16_t check_xfem(const struct hv *hv, const struct hv_partition *p,
			   const struct hv_u128 *v)
{
	uint64_t xcr0 = v->low_part;

	(void)hv;
	if (!(xcr0 & HV_XSAVE_STATE_LEGACY_X87) || (xcr0 & ~p->info.xsave_states) ||
	    ((xcr0 & (1ULL << 2)) && !(xcr0 & HV_XSAVE_STATE_LEGACY_SSE)))
		return HV_STATUS_INVALID_PARAMETER;
	return HV_STATUS_SUCCESS;
}

static uint16_t check_apic_base(const struct hv *hv, const struct hv_partition *p,
				const struct hv_u128 *v)
{
	uint64_t base = v->low_part;
	uint64_t reserved = 0x2ffULL | ~((1ULL << hv->config.physical_address_width) - 1);

	if (base & reserved)
		return HV_STATUS_INVALID_PARAMETER;
	if ((base & APIC_BASE_X2APIC) &&
	    (!(base & APIC_BASE_ENABLE) ||
	     !(p->info.creation_flags & HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE)))
		return HV_STATUS_INVALID_PARAMETER;
	return HV_STATUS_SUCCESS;
}

/* PAT and the fixed MTRRs: one memory type per byte, UC WC WT WP WB UC-. */
static uint16_t check_memory_types(const struct hv *hv, const struct hv_partition *p,
				   const struct hv_u128 *v)
{
	unsigned int i;

	(void)hv;
	(void)p;
	for (i = 0; i < 8; i++) {
		unsigned int type = (unsigned int)(v->low_part >> (8 * i)) & 0xff;

		if (type == 2 || type == 3 || type > 7)
			return HV_STATUS_INVALID_PARAMETER;
	}
	return HV_STATUS_SUCCESS;
}

static void effect_eom(struct hv_vp *vp)
{
	hv_synic_eom(vp);
}

/* --- The table --- */

#define ANY			false
#define X64			true
#define ZERO			.reset = { 0, 0 }
#define VALUE(v)		.reset = { (v), 0 }
#define VALUE128(lo, hi)	.reset = { (lo), (hi) }
#define SEGMENT(base, limit, selector, attributes) \
	.reset = { (base), (uint64_t)(limit) | (uint64_t)(selector) << 32 | \
			   (uint64_t)(attributes) << 48 }
#define TABLE(base, limit)	.reset = { (uint64_t)(limit) << 48, (base) }
#define DERIVED(fn)		.derive = derive_##fn
#define ALWAYS			.need = NEED_ALWAYS
#define FEATURE(id)		.need = NEED_FEATURE, .feature = HV_FEATURE_ID_##id
#define SYNTHETIC(bit)		.need = NEED_SYNTHETIC, .synthetic = HV_SYNTHETIC_FEATURE_##bit
#define RW			ACCESS_RW
#define RO			ACCESS_RO
#define WO			ACCESS_WO
#define ALIAS(row)		ACCESS_RW, .alias = HV_VP_REG_##row + 1
#define NO_CHECK		.check = NULL
#define RESERVED(mask)		.reserved = (mask)
#define CUSTOM(fn)		.check = check_##fn
#define NO_EFFECT		.effect = NULL
#define EFFECT(fn)		.effect = effect_##fn

static const struct reg_row rows[HV_VP_REGISTER_COUNT] = {
#define HV_VP_REGISTER(name_, number_, arch_, width_, class_, reset_, needs_, access_, \
		       check_, effect_)						\
	[HV_VP_REG_##name_] = {							\
		.name = #name_, .number = (number_), .x64_only = arch_,		\
		.width = (width_), .cls = REG_##class_, reset_, needs_,		\
		.access = access_, check_, effect_ },
#include <hyperv/hv_vp_registers.def>
#undef HV_VP_REGISTER
};

#undef ANY
#undef X64
#undef ZERO
#undef VALUE
#undef VALUE128
#undef SEGMENT
#undef TABLE
#undef DERIVED
#undef ALWAYS
#undef FEATURE
#undef SYNTHETIC
#undef RW
#undef RO
#undef WO
#undef ALIAS
#undef NO_CHECK
#undef RESERVED
#undef CUSTOM
#undef NO_EFFECT
#undef EFFECT

static const struct reg_row *row_of(uint32_t number)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		if (rows[i].number == number)
			return &rows[i];
	return NULL;
}

/* Where a row's value is kept: its own slot, or its alias's. */
static struct hv_u128 *value_of(struct hv_vp *vp, const struct reg_row *row)
{
	return &vp->regs[row->alias ? row->alias - 1 : (unsigned int)(row - rows)];
}

const char *hv_register_name(uint32_t number)
{
	const struct reg_row *row = row_of(number);

	return row ? row->name : NULL;
}

const struct hv_u128 *hv_vp_register(const struct hv_vp *vp, uint32_t number)
{
	static const struct hv_u128 none;
	const struct reg_row *row = row_of(number);

	return row ? value_of((struct hv_vp *)vp, row) : &none;
}

/* Whether the register exists for this partition's VPs. */
static bool available(const struct hv *hv, const struct hv_partition *p,
		      const struct reg_row *row)
{
	const struct hv_feature_row *f;

	if (row->x64_only && hv->config.arch != HV_ARCH_X86_64)
		return false;
	switch (row->need) {
	case NEED_FEATURE:
		f = &hv_feature_rows[row->feature];
		return p->info.effective[f->word] >> f->bit & 1;
	case NEED_SYNTHETIC:
		return p->props[HV_PROPERTY_ID_SYNTHETIC_PROC_FEATURES] & row->synthetic;
	default:
		return true;
	}
}

/* --- VPs --- */

struct hv_vp *hv_vp_create(const struct hv *hv, const struct hv_partition *p, uint32_t index)
{
	struct hv_vp *vp = calloc(1, sizeof(*vp));
	size_t i;

	if (!vp)
		return NULL;
	vp->index = index;
	vp->info.index = index;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		vp->regs[i] = rows[i].reset;
		if (rows[i].derive)
			vp->regs[i].low_part = rows[i].derive(hv, p, index);
	}
	if (hv_vp_state_init(hv, p, vp) || hv_vp_pages_lend(hv, vp)) {
		hv_vp_free(hv, vp);
		return NULL;
	}
	return vp;
}

void hv_vp_free(const struct hv *hv, struct hv_vp *vp)
{
	if (!vp)
		return;
	hv_vp_pages_return(hv, vp);
	free(vp->xsave);
	free(vp);
}

struct hv_vp *hv_vp_find(struct hv *hv, uint64_t partition_id, uint32_t vp_index,
			 uint8_t input_vtl, struct hv_partition **p, uint16_t *status)
{
	struct hv_partition *part = hv_partition_running(hv, partition_id, status);

	if (p)
		*p = part;
	if (!part)
		return NULL;
	if (vp_index >= hv->config.max_vps || !part->vps[vp_index]) {
		*status = HV_STATUS_INVALID_VP_INDEX;
		return NULL;
	}
	/* Model: only VTL 0 exists (no VSM). */
	if ((input_vtl & HV_INPUT_VTL_RESERVED) ||
	    ((input_vtl & HV_INPUT_VTL_USE_TARGET) && (input_vtl & HV_INPUT_VTL_TARGET_MASK))) {
		*status = HV_STATUS_INVALID_PARAMETER;
		return NULL;
	}
	return part->vps[vp_index];
}

int hv_vp_get_info(struct hv *hv, uint64_t partition_id, uint32_t vp_index,
		   struct hv_vp_info *info)
{
	struct hv_partition *p;
	int ret = -ENOENT;

	pthread_mutex_lock(&hv->lock);
	p = hv_partition_find(hv, partition_id);
	if (p && vp_index < hv->config.max_vps && p->vps[vp_index]) {
		*info = p->vps[vp_index]->info;
		info->mapped_pages = p->vps[vp_index]->mapped;
		ret = 0;
	}
	pthread_mutex_unlock(&hv->lock);
	return ret;
}

/* --- Get/SetVpRegisters --- */

/* The trace's "vp_index", "reps" and "registers" (names, or numbers the table lacks). */
static void trace_registers(struct hv_call *c, uint32_t vp_index, const void *first,
			    size_t stride, unsigned int max)
{
	unsigned int i;

	hv_trace_add(c, "\"vp_index\":%u,\"reps\":%u,\"registers\":[", vp_index, c->reps);
	for (i = c->start; i < c->reps && i < max && strlen(c->trace) + 48 < c->trace_len; i++) {
		uint32_t number;
		const char *name;

		memcpy(&number, (const uint8_t *)first + i * stride, sizeof(number));
		name = hv_register_name(number);
		if (name)
			hv_trace_add(c, "%s\"%s\"", i > c->start ? "," : "", name);
		else
			hv_trace_add(c, "%s\"0x%08x\"", i > c->start ? "," : "", number);
	}
	hv_trace_add(c, "]");
}

/* The checks both calls share, up to the first rep: the VP, or NULL and *@status. */
static struct hv_vp *begin(struct hv *hv, struct hv_call *c, unsigned int max_reps,
			   struct hv_partition **p, uint16_t *status)
{
	const struct hv_input_get_vp_registers *in = c->input;

	*status = HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (!c->reps || c->start >= c->reps || c->reps > max_reps)
		return NULL;
	*status = HV_STATUS_INVALID_PARAMETER;
	if (in->rsvd_z8 || in->rsvd_z16)
		return NULL;
	return hv_vp_find(hv, in->partition_id, in->vp_index, in->input_vtl, p, status);
}

/*
 * The checks both calls share, then @reps: between them, what the root
 * changed in the register page comes in first, and afterwards the page
 * shows the registers again (register_page.c).
 */
static uint16_t on_vp(struct hv *hv, struct hv_call *c, unsigned int max_reps,
		      uint16_t (*reps)(struct hv *hv, struct hv_call *c, struct hv_partition *p,
				       struct hv_vp *vp))
{
	struct hv_partition *p;
	uint16_t status;
	uint32_t dirty;
	struct hv_vp *vp = begin(hv, c, max_reps, &p, &status);

	if (!vp)
		return status;
	dirty = hv_register_page_absorb(hv, p, vp);
	if (dirty)
		hv_trace_add(c, ",\"register_page_dirty\":\"0x%x\"", dirty);
	status = reps(hv, c, p, vp);
	hv_register_page_refresh(hv, vp);
	return status;
}

static uint16_t get_registers(struct hv *hv, struct hv_call *c, struct hv_partition *p,
			      struct hv_vp *vp)
{
	const struct hv_input_get_vp_registers *in = c->input;
	struct hv_u128 *out = c->output;
	unsigned int i;

	for (i = c->start; i < c->reps; i++) {
		const struct reg_row *row = row_of(in->names[i]);

		if (!row || !available(hv, p, row))
			return HV_STATUS_INVALID_PARAMETER;
		if (row->access == ACCESS_WO)
			out[i] = (struct hv_u128){ 0, 0 };
		else
			out[i] = *value_of(vp, row);
		c->reps_done = i + 1;
	}
	return HV_STATUS_SUCCESS;
}

uint16_t hvm_get_vp_registers(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_get_vp_registers *in = c->input;

	trace_registers(c, in->vp_index, in->names, sizeof(in->names[0]),
			(HV_HYP_PAGE_SIZE - sizeof(*in)) / sizeof(in->names[0]));
	return on_vp(hv, c, HV_GET_VP_REGISTERS_MAX_REPS, get_registers);
}

static uint16_t check_value(const struct hv *hv, const struct hv_partition *p,
			    const struct reg_row *row, const struct hv_u128 *value)
{
	if (row->access == ACCESS_RO)
		return HV_STATUS_INVALID_PARAMETER;
	if (value->low_part & row->reserved)
		return HV_STATUS_INVALID_PARAMETER;
	return row->check ? row->check(hv, p, value) : HV_STATUS_SUCCESS;
}

/* Checks @value for @row and, if it passes, sets it: an HV_STATUS_*. */
static uint16_t store(const struct hv *hv, const struct hv_partition *p, struct hv_vp *vp,
		      const struct reg_row *row, struct hv_u128 value)
{
	uint16_t status;

	if (row->width <= sizeof(uint64_t))
		value.high_part = 0;	/* beyond the register: ignored */
	status = check_value(hv, p, row, &value);
	if (status != HV_STATUS_SUCCESS)
		return status;
	if (row->access != ACCESS_WO)
		*value_of(vp, row) = value;
	if (row->effect)
		row->effect(vp);
	return HV_STATUS_SUCCESS;
}

void hv_vp_register_store(const struct hv *hv, const struct hv_partition *p, struct hv_vp *vp,
			  uint32_t number, const struct hv_u128 *value)
{
	const struct reg_row *row = row_of(number);

	if (row && available(hv, p, row))
		store(hv, p, vp, row, *value);
}

static uint16_t set_registers(struct hv *hv, struct hv_call *c, struct hv_partition *p,
			      struct hv_vp *vp)
{
	const struct hv_input_set_vp_registers *in = c->input;
	uint16_t status;
	unsigned int i;

	for (i = c->start; i < c->reps; i++) {
		const struct hv_register_assoc *e = &in->elements[i];
		const struct reg_row *row = row_of(e->name);

		if (!row || !available(hv, p, row) || e->reserved1 || e->reserved2)
			return HV_STATUS_INVALID_PARAMETER;
		status = store(hv, p, vp, row, e->value);
		if (status != HV_STATUS_SUCCESS)
			return status;
		c->reps_done = i + 1;
	}
	return HV_STATUS_SUCCESS;
}

uint16_t hvm_set_vp_registers(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_set_vp_registers *in = c->input;

	trace_registers(c, in->vp_index, in->elements, sizeof(in->elements[0]),
			HV_SET_VP_REGISTERS_MAX_REPS);
	return on_vp(hv, c, HV_SET_VP_REGISTERS_MAX_REPS, set_registers);
}
