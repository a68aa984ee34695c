// SPDX-License-Identifier: MIT
/*
 * AssertVirtualInterrupt (0x94): {partition id, control {type u32,
 * level-triggered bit 32, logical destination bit 33, reserved 34-63},
 * destination, vector u32, target VTL, 3 reserved bytes}, no output. The
 * interrupt goes to the local APICs the destination names, as an APIC bus
 * would deliver it:
 *
 *   physical mode  the VP whose APIC id (LAPIC state) is the destination,
 *                  or every VP for the broadcast ids 0xff and 0xffffffff
 *   logical mode   the VPs whose logical id (LDR bits 24-31) shares a bit
 *                  with the destination's low byte (the flat model)
 *   lowest priority  the first of them only (model: lowest VP index)
 *
 * A fixed or lowest-priority interrupt sets the vector's bit in the
 * target's IRR (and in its TMR when level-triggered), which GetVpState's
 * LAPIC component shows; every delivery is counted in hv_vp_info. No
 * target is no error: the interrupt is lost, as on the bus. Misuse:
 *
 *   no such partition; not initialized       INVALID_PARTITION_ID / _STATE
 *   reserved control bits or bytes, a VTL other than 0, a type past
 *   LOCALINT1 or REMOTEREAD, a vector past 255 (or below 16 for fixed and
 *   lowest priority), a destination wider than 32 bits  INVALID_PARAMETER
 *   an arm64 host                            INVALID_HYPERCALL_CODE (model:
 *                                            only x86 interrupts here)
 */
#include <stdio.h>

#include "hv_internal.h"

static const char *const type_names[] = {
#define HV_INTERRUPT_TYPE_NAME(name, value) [value] = #name,
	HV_INTERRUPT_TYPE_LIST(HV_INTERRUPT_TYPE_NAME)
#undef HV_INTERRUPT_TYPE_NAME
};

static bool targets(const struct hv_vp *vp, uint64_t dest, bool logical)
{
	if (logical)
		return (vp->lapic.apic_ldr >> 24) & dest & 0xff;
	return dest == HV_APIC_BROADCAST_XAPIC || dest == HV_APIC_BROADCAST_X2APIC ||
	       dest == vp->lapic.apic_id;
}

static void deliver(struct hv_vp *vp, uint32_t type, uint32_t vector, bool level)
{
	uint32_t bit = 1U << (vector % 32);

	if (type == HV_X64_INTERRUPT_TYPE_FIXED || type == HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY) {
		vp->lapic.apic_irr[vector / 32] |= bit;
		if (level)
			vp->lapic.apic_tmr[vector / 32] |= bit;
		else
			vp->lapic.apic_tmr[vector / 32] &= ~bit;
	}
	vp->info.interrupts++;
	vp->info.last_interrupt_type = type;
	vp->info.last_interrupt_vector = vector;
}

uint16_t hvm_assert_virtual_interrupt(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_assert_virtual_interrupt *in = c->input;
	uint64_t type = in->control & HV_INTERRUPT_CONTROL_TYPE_MASK;
	bool level = in->control & HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED;
	bool logical = in->control & HV_INTERRUPT_CONTROL_LOGICAL_DEST;
	bool fixed = type == HV_X64_INTERRUPT_TYPE_FIXED ||
		     type == HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY;
	unsigned int delivered = 0;
	struct hv_partition *p;
	uint16_t status;
	uint32_t i;

	if (type < HV_X64_INTERRUPT_TYPE_MAXIMUM)
		hv_trace_add(c, "\"interrupt_type\":\"%s\"", type_names[type]);
	else
		hv_trace_add(c, "\"interrupt_type\":\"0x%08llx\"", (unsigned long long)type);
	hv_trace_add(c, ",\"vector\":%u,\"destination\":\"0x%016llx\",\"logical\":%s,"
		     "\"level_triggered\":%s", in->vector, (unsigned long long)in->dest_addr,
		     logical ? "true" : "false", level ? "true" : "false");
	if (hv->config.arch != HV_ARCH_X86_64)
		return HV_STATUS_INVALID_HYPERCALL_CODE;
	p = hv_partition_running(hv, in->partition_id, &status);
	if (!p)
		return status;
	if ((in->control & HV_INTERRUPT_CONTROL_RESERVED) || in->target_vtl || in->rsvd_z0 ||
	    in->rsvd_z1 || type >= HV_X64_INTERRUPT_TYPE_MAXIMUM ||
	    type == HV_X64_INTERRUPT_TYPE_REMOTEREAD || in->vector > 0xff ||
	    (fixed && in->vector < 16) || in->dest_addr > HV_APIC_BROADCAST_X2APIC)
		return HV_STATUS_INVALID_PARAMETER;

	for (i = 0; i < hv->config.max_vps; i++) {
		struct hv_vp *vp = p->vps[i];

		if (!vp || !targets(vp, in->dest_addr, logical))
			continue;
		deliver(vp, (uint32_t)type, in->vector, level);
		delivered++;
		if (type == HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY)
			break;
	}
	hv_trace_add(c, ",\"delivered\":%u", delivered);
	return HV_STATUS_SUCCESS;
}
