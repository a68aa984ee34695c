// SPDX-License-Identifier: MIT
/*
 * The root's way into a child VP's synthetic interrupt controller:
 * SignalEventDirect (0xC0) sets an event flag in the VP's event flags page,
 * PostMessageDirect (0xC1) puts a message in its message page. Both pages
 * are the VP's SIEF_PAGE and SIM_PAGE state components, so GetVpState
 * shows what arrived.
 *
 *   SignalEventDirect {partition, VP, VTL, SINT, flag number} -> {newly
 *   signaled: 1 if the flag was clear, 7 reserved bytes}
 *   PostMessageDirect {partition, VP, VTL, 3 padding, SINT, 256-byte
 *   message, 4 padding}
 *
 * Misuse: the VP-lookup statuses; a VTL other than 0, nonzero padding, a
 * SINT past 15, a flag past 2047, a payload over 240 bytes:
 * INVALID_PARAMETER. A message whose slot is taken waits in the SINT's
 * queue (the slot's header gets the message-pending flag) until an EOM
 * write frees the slot; a full queue is INSUFFICIENT_BUFFERS.
 *
 * Model: delivery does not wait for the guest to enable its SynIC (SIMP,
 * SIEFP, SCONTROL) or unmask the SINT: the hypervisor's pages are written
 * whatever the guest's MSRs say, and no interrupt is raised.
 */
#include <stdio.h>
#include <string.h>

#include "hv_internal.h"

static uint8_t *slot_of(struct hv_vp *vp, unsigned int sint)
{
	return vp->simp + sint * HV_MESSAGE_SIZE;
}

static uint32_t slot_type(struct hv_vp *vp, unsigned int sint)
{
	uint32_t type;

	memcpy(&type, slot_of(vp, sint) + offsetof(struct hv_message_header, message_type),
	       sizeof(type));
	return type;
}

static void set_pending(struct hv_vp *vp, unsigned int sint, bool pending)
{
	uint8_t *flags = slot_of(vp, sint) + offsetof(struct hv_message_header, message_flags);

	*flags = (uint8_t)(pending ? *flags | HV_MESSAGE_FLAG_PENDING :
				     *flags & ~HV_MESSAGE_FLAG_PENDING);
}

uint16_t hvm_signal_event_direct(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_signal_event_direct *in = c->input;
	struct hv_output_signal_event_direct *out = c->output;
	uint8_t *flags, bit;
	uint16_t status;
	struct hv_vp *vp;

	hv_trace_add(c, "\"vp_index\":%u,\"sint\":%u,\"flag\":%u", in->target_vp,
		     in->target_sint, in->flag_number);
	vp = hv_vp_find(hv, in->target_partition, in->target_vp, 0, NULL, &status);
	if (!vp)
		return status;
	if (in->target_vtl || in->target_sint >= HV_SYNIC_SINT_COUNT ||
	    in->flag_number >= HV_EVENT_FLAGS_COUNT)
		return HV_STATUS_INVALID_PARAMETER;
	flags = vp->siefp + in->target_sint * HV_EVENT_FLAGS_BYTE_COUNT + in->flag_number / 8;
	bit = (uint8_t)(1U << (in->flag_number % 8));
	memset(out, 0, sizeof(*out));
	out->newly_signaled = !(*flags & bit);
	*flags |= bit;
	vp->info.events_signaled += out->newly_signaled;
	hv_trace_add(c, ",\"newly_signaled\":%u", out->newly_signaled);
	return HV_STATUS_SUCCESS;
}

uint16_t hvm_post_message_direct(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_post_message_direct *in = c->input;
	struct hv_message message;
	uint16_t status;
	struct hv_vp *vp;
	bool queued;

	memcpy(&message, in->message, sizeof(message));
	hv_trace_add(c, "\"vp_index\":%u,\"sint\":%u,\"message_type\":\"0x%08x\","
		     "\"payload_size\":%u", in->vp_index, in->sint_index,
		     message.header.message_type, message.header.payload_size);
	vp = hv_vp_find(hv, in->partition_id, in->vp_index, 0, NULL, &status);
	if (!vp)
		return status;
	if (in->vtl || in->padding[0] || in->padding[1] || in->padding[2] || in->padding2 ||
	    in->sint_index >= HV_SYNIC_SINT_COUNT ||
	    message.header.payload_size > HV_MESSAGE_PAYLOAD_BYTE_COUNT)
		return HV_STATUS_INVALID_PARAMETER;
	queued = slot_type(vp, in->sint_index) != HV_MESSAGE_TYPE_NONE;
	if (queued) {
		unsigned int *count = &vp->queue[in->sint_index].count;

		if (*count == HV_VP_MESSAGE_QUEUE)
			return HV_STATUS_INSUFFICIENT_BUFFERS;
		vp->queue[in->sint_index].message[(*count)++] = message;
		vp->info.messages_queued++;
		set_pending(vp, in->sint_index, true);
	} else {
		memcpy(slot_of(vp, in->sint_index), &message, sizeof(message));
	}
	vp->info.messages_posted++;
	hv_trace_add(c, ",\"queued\":%s", queued ? "true" : "false");
	return HV_STATUS_SUCCESS;
}

void hv_synic_eom(struct hv_vp *vp)
{
	unsigned int sint;

	for (sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++) {
		unsigned int *count = &vp->queue[sint].count;

		if (!*count || slot_type(vp, sint) != HV_MESSAGE_TYPE_NONE)
			continue;
		memcpy(slot_of(vp, sint), &vp->queue[sint].message[0], sizeof(struct hv_message));
		memmove(&vp->queue[sint].message[0], &vp->queue[sint].message[1],
			(*count - 1) * sizeof(struct hv_message));
		(*count)--;
		vp->info.messages_queued--;
		set_pending(vp, sint, *count != 0);
	}
}
