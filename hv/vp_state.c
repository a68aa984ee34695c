// SPDX-License-Identifier: MIT
/*
 * A VP's state components, behind GetVpState (0xE3) and SetVpState
 * (0xE4). Both take a 40-byte header {partition id, VP index, input VTL,
 * 3 reserved bytes, state data {type, reserved u32, XSAVE flags, XSAVE
 * states}} and a variable header (control bits 17-26, in u64s): for a type
 * with bit 31 set the frame numbers of the pages that hold the data, else
 * (SetVpState) the data itself; GetVpState then returns it in its output
 * page. The components (Linux's hv_call_get/set_vp_state shows which
 * travel how):
 *
 *   0x80000000 LAPIC             the local APIC state, 176 bytes, in a page
 *   0x80000001 XSAVE             the compacted XSAVE image of the states asked
 *   0x80000002 SIM_PAGE          the SynIC message page
 *   0x80000003 SIEF_PAGE         the SynIC event flags page
 *   0x00000004 SYNTHETIC_TIMERS  four timers, 200 bytes, inline
 *
 * A get writes the component's own bytes and leaves the rest of the pages
 * alone. What each misuse gets:
 *
 *   a variable header beyond the input page  INVALID_HYPERCALL_INPUT
 *   no such partition, VP; not initialized   as hv_vp_lookup() says
 *   reserved bytes, an unknown type, XSAVE fields on another type, XSAVE
 *   flags, XSAVE states other than the partition's (with x87 and SSE),
 *   fewer pages than the component needs, frame 0, inline data of the
 *   wrong size, a set value a component refuses   INVALID_PARAMETER
 *
 * Model: the components are kept apart from the registers (a real VP's
 * XSAVE image and its XMM registers are one state; here setting one does
 * not change the other), and the XSAVE component is only ever asked for
 * whole (every state the partition has).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv_internal.h"

/* Local APIC at reset (SDM): version, DFR all ones, SVR 0xff, every LVT masked. */
#define LAPIC_VERSION		0x00050014U	/* model: version 0x14, max LVT entry 5 */
#define LAPIC_LVT_MASKED	(1U << 16)

/* Offsets in an XSAVE image. */
#define XSAVE_FCW		0
#define XSAVE_MXCSR		24
#define XSAVE_MXCSR_MASK	28
#define XSAVE_XSTATE_BV		512
#define XSAVE_XCOMP_BV		520
#define XSAVE_HEADER_RESERVED	528
#define XSAVE_HEADER_END	576
#define XCOMP_BV_COMPACTED	(1ULL << 63)
#define LEGACY_STATES		(HV_XSAVE_STATE_LEGACY_X87 | HV_XSAVE_STATE_LEGACY_SSE)

#define STIMER_CONFIG_RESERVED	0xfffffffffff0e000ULL

int hv_vp_state_init(const struct hv *hv, const struct hv_partition *p, struct hv_vp *vp)
{
	struct hv_local_interrupt_controller_state *l = &vp->lapic;
	uint64_t xcomp = XCOMP_BV_COMPACTED | p->info.xsave_states | LEGACY_STATES;
	uint32_t mxcsr = 0x1f80, mxcsr_mask = 0xffff;
	uint16_t fcw = 0x037f;

	(void)hv;
	l->apic_id = vp->index;		/* model: the APIC id is the VP index */
	l->apic_version = LAPIC_VERSION;
	l->apic_dfr = 0xffffffffU;
	l->apic_spurious = 0xff;
	l->apic_lvt_timer = l->apic_lvt_thermal = l->apic_lvt_perfmon = LAPIC_LVT_MASKED;
	l->apic_lvt_lint0 = l->apic_lvt_lint1 = l->apic_lvt_error = LAPIC_LVT_MASKED;
	l->apic_lvt_cmci = LAPIC_LVT_MASKED;

	/* Every state in its initial configuration (XSTATE_BV 0), legacy defaults written. */
	vp->xsave_size = hv_xsave_compacted_size(p->info.xsave_states);
	vp->xsave = calloc(1, vp->xsave_size);
	if (!vp->xsave)
		return -ENOMEM;
	memcpy(vp->xsave + XSAVE_FCW, &fcw, sizeof(fcw));
	memcpy(vp->xsave + XSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
	memcpy(vp->xsave + XSAVE_MXCSR_MASK, &mxcsr_mask, sizeof(mxcsr_mask));
	memcpy(vp->xsave + XSAVE_XCOMP_BV, &xcomp, sizeof(xcomp));
	return 0;
}

/* --- The components --- */

struct component {
	uint8_t *bytes;
	uint32_t size;
};

static const char *type_name(uint32_t type)
{
	switch (type) {
	case HV_GET_SET_VP_STATE_LAPIC_STATE:
		return "lapic";
	case HV_GET_SET_VP_STATE_XSAVE:
		return "xsave";
	case HV_GET_SET_VP_STATE_SIM_PAGE:
		return "sim_page";
	case HV_GET_SET_VP_STATE_SIEF_PAGE:
		return "sief_page";
	case HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS:
		return "synthetic_timers";
	default:
		return NULL;
	}
}

/* The component @sd names, after checking the state data: a status. */
static uint16_t component_of(const struct hv *hv, const struct hv_partition *p,
			     struct hv_vp *vp, const struct hv_vp_state_data *sd,
			     struct component *comp)
{
	bool xsave = sd->type == HV_GET_SET_VP_STATE_XSAVE;

	if (sd->rsvd || sd->xsave_flags || (!xsave && sd->xsave_states))
		return HV_STATUS_INVALID_PARAMETER;
	switch (sd->type) {
	case HV_GET_SET_VP_STATE_LAPIC_STATE:
		*comp = (struct component){ (uint8_t *)&vp->lapic, sizeof(vp->lapic) };
		return HV_STATUS_SUCCESS;
	case HV_GET_SET_VP_STATE_XSAVE:
		if (hv->config.arch != HV_ARCH_X86_64 ||
		    sd->xsave_states != (p->info.xsave_states | LEGACY_STATES))
			return HV_STATUS_INVALID_PARAMETER;
		*comp = (struct component){ vp->xsave, vp->xsave_size };
		return HV_STATUS_SUCCESS;
	case HV_GET_SET_VP_STATE_SIM_PAGE:
		*comp = (struct component){ vp->simp, sizeof(vp->simp) };
		return HV_STATUS_SUCCESS;
	case HV_GET_SET_VP_STATE_SIEF_PAGE:
		*comp = (struct component){ vp->siefp, sizeof(vp->siefp) };
		return HV_STATUS_SUCCESS;
	case HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS:
		*comp = (struct component){ (uint8_t *)&vp->timers, sizeof(vp->timers) };
		return HV_STATUS_SUCCESS;
	default:
		return HV_STATUS_INVALID_PARAMETER;
	}
}

/* What a set value must satisfy, component by component. */
static bool xsave_acceptable(const struct hv_partition *p, const uint8_t *image)
{
	uint64_t xstate_bv, xcomp_bv, states = p->info.xsave_states | LEGACY_STATES;
	uint32_t mxcsr, mask;
	size_t i;

	memcpy(&xstate_bv, image + XSAVE_XSTATE_BV, sizeof(xstate_bv));
	memcpy(&xcomp_bv, image + XSAVE_XCOMP_BV, sizeof(xcomp_bv));
	memcpy(&mxcsr, image + XSAVE_MXCSR, sizeof(mxcsr));
	memcpy(&mask, image + XSAVE_MXCSR_MASK, sizeof(mask));
	if (xcomp_bv != (XCOMP_BV_COMPACTED | states) || (xstate_bv & ~states) ||
	    (mxcsr & ~(mask ? mask : 0xffbfU)))
		return false;
	for (i = XSAVE_HEADER_RESERVED; i < XSAVE_HEADER_END; i++)
		if (image[i])
			return false;
	return true;
}

static bool timers_acceptable(const struct hv_synthetic_timers_state *t)
{
	size_t i;

	for (i = 0; i < HV_SYNIC_STIMER_COUNT; i++)
		if ((t->timers[i].flags & ~HV_STIMER_STATE_UNDELIVERED_MSG_PENDING) ||
		    t->timers[i].resvd || (t->timers[i].config & STIMER_CONFIG_RESERVED))
			return false;
	for (i = 0; i < ARRAY_SIZE(t->reserved); i++)
		if (t->reserved[i])
			return false;
	return true;
}

static bool acceptable(const struct hv_partition *p, uint32_t type, const uint8_t *bytes)
{
	struct hv_synthetic_timers_state timers;

	switch (type) {
	case HV_GET_SET_VP_STATE_XSAVE:
		return xsave_acceptable(p, bytes);
	case HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS:
		memcpy(&timers, bytes, sizeof(timers));
		return timers_acceptable(&timers);
	default:
		return true;
	}
}

/* --- Pages named by frame number --- */

/* Frame @pfn of the root (model: this address space), or NULL. */
static uint8_t *root_page(uint64_t pfn)
{
	if (!pfn || pfn >> 52)
		return NULL;
	return (uint8_t *)(uintptr_t)(pfn << 12);
}

static unsigned int pages_for(uint32_t size)
{
	return (size + HV_HYP_PAGE_SIZE - 1) / HV_HYP_PAGE_SIZE;
}

static uint8_t *nth_page(const void *pfns, unsigned int i)
{
	uint64_t pfn;

	memcpy(&pfn, (const uint8_t *)pfns + i * sizeof(pfn), sizeof(pfn));
	return root_page(pfn);
}

/*
 * Copies @size bytes between @bytes and the pages whose frame numbers
 * (u64s) are at @pfns; false, with nothing copied, if a frame is bad.
 */
static bool copy_pages(uint8_t *bytes, uint32_t size, const void *pfns, bool to_pages)
{
	unsigned int i, n = pages_for(size);

	for (i = 0; i < n; i++)
		if (!nth_page(pfns, i))
			return false;
	for (i = 0; i < n; i++) {
		uint32_t off = i * HV_HYP_PAGE_SIZE;
		uint32_t len = size - off < HV_HYP_PAGE_SIZE ? size - off : HV_HYP_PAGE_SIZE;

		if (to_pages)
			memcpy(nth_page(pfns, i), bytes + off, len);
		else
			memcpy(bytes + off, nth_page(pfns, i), len);
	}
	return true;
}

/* The checks both calls make before they touch data: the VP, or NULL and *@status. */
static struct hv_vp *begin(struct hv *hv, struct hv_call *c, struct hv_partition **p,
			   struct component *comp, uint16_t *status)
{
	const struct hv_input_vp_state *in = c->input;
	const char *name = type_name(in->state_data.type);
	struct hv_vp *vp;

	if (name)
		hv_trace_add(c, "\"vp_index\":%u,\"state\":\"%s\"", in->vp_index, name);
	else
		hv_trace_add(c, "\"vp_index\":%u,\"state\":\"0x%08x\"", in->vp_index,
			     in->state_data.type);
	if (in->state_data.type & HV_GET_SET_VP_STATE_TYPE_PFN)
		hv_trace_add(c, ",\"pages\":%u", c->varhead);
	else if ((c->control & HV_HYPERCALL_CODE_MASK) == HVCALL_SET_VP_STATE)
		hv_trace_add(c, ",\"bytes\":%u", c->varhead * 8);
	*status = HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (sizeof(*in) + (size_t)c->varhead * sizeof(uint64_t) > HV_HYP_PAGE_SIZE)
		return NULL;
	*status = HV_STATUS_INVALID_PARAMETER;
	if (in->rsvd0 || in->rsvd1)
		return NULL;
	vp = hv_vp_find(hv, in->partition_id, in->vp_index, in->input_vtl, p, status);
	if (vp)
		*status = component_of(hv, *p, vp, &in->state_data, comp);
	if (*status != HV_STATUS_SUCCESS)
		return NULL;
	/* By pages: enough of them. */
	*status = (in->state_data.type & HV_GET_SET_VP_STATE_TYPE_PFN) &&
		  c->varhead < pages_for(comp->size) ? HV_STATUS_INVALID_PARAMETER :
						       HV_STATUS_SUCCESS;
	return *status == HV_STATUS_SUCCESS ? vp : NULL;
}

uint16_t hvm_get_vp_state(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_vp_state *in = c->input;
	struct component comp;
	struct hv_partition *p;
	uint16_t status;

	if (!begin(hv, c, &p, &comp, &status))
		return status;
	if (in->state_data.type & HV_GET_SET_VP_STATE_TYPE_PFN)
		return copy_pages(comp.bytes, comp.size, in->data, true) ?
		       HV_STATUS_SUCCESS : HV_STATUS_INVALID_PARAMETER;
	if (c->varhead)
		return HV_STATUS_INVALID_PARAMETER;
	if (!c->output)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	memcpy(c->output, comp.bytes, comp.size);
	hv_trace_add(c, ",\"bytes\":%u", comp.size);
	return HV_STATUS_SUCCESS;
}

uint16_t hvm_set_vp_state(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_vp_state *in = c->input;
	bool by_pages = in->state_data.type & HV_GET_SET_VP_STATE_TYPE_PFN;
	struct component comp;
	struct hv_partition *p;
	uint8_t *staged;
	uint16_t status;

	if (!begin(hv, c, &p, &comp, &status))
		return status;
	/* Inline data: exactly the component, rounded up to whole u64s. */
	if (!by_pages && c->varhead != (comp.size + 7) / 8)
		return HV_STATUS_INVALID_PARAMETER;
	/* Staged first: a refused value leaves the component as it was. */
	staged = malloc(comp.size);
	if (!staged)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	if (!by_pages)
		memcpy(staged, in->data, comp.size);
	if ((by_pages && !copy_pages(staged, comp.size, in->data, false)) ||
	    !acceptable(p, in->state_data.type, staged))
		status = HV_STATUS_INVALID_PARAMETER;
	else
		memcpy(comp.bytes, staged, comp.size);
	free(staged);
	return status;
}
