// SPDX-License-Identifier: MIT
/*
 * The hypercall entry: decode the control word, check it the way the
 * hypervisor does (rep calls take a rep count, simple calls must not; only
 * calls with a variable header may say one), dispatch under the model's
 * lock, trace, and build the result word.
 */
#include <stdio.h>
#include <string.h>

#include "hv_internal.h"

/* --- Adapters for the handlers that take their arguments one by one --- */

static uint16_t call_create_partition(struct hv *hv, struct hv_call *c)
{
	uint16_t status = hvm_create_partition(hv, c->input, c->output, c->trace, c->trace_len);

	c->partition_id = status == HV_STATUS_SUCCESS ?
			  ((struct hv_output_create_partition *)c->output)->partition_id : 0;
	return status;
}

static uint16_t call_partition_state(struct hv *hv, struct hv_call *c)
{
	return hvm_partition_state(hv, (uint16_t)(c->control & HV_HYPERCALL_CODE_MASK),
				   c->input);
}

static uint16_t call_get_property(struct hv *hv, struct hv_call *c)
{
	return hvm_get_property(hv, (uint16_t)(c->control & HV_HYPERCALL_CODE_MASK), c->input,
				c->output, c->trace, c->trace_len);
}

static uint16_t call_set_property(struct hv *hv, struct hv_call *c)
{
	return hvm_set_property(hv, c->input, c->trace, c->trace_len);
}

/* DepositMemory: {partition id, then one GPA page number per rep}. */
static uint16_t call_deposit_memory(struct hv *hv, struct hv_call *c)
{
	const uint64_t *input = c->input;

	hv_trace_add(c, "\"pages\":%u", c->reps);
	if (!c->reps || c->reps > (HV_HYP_PAGE_SIZE - 8) / 8)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (input[0] != HV_PARTITION_ID_SELF && !hv_partition_find(hv, input[0]))
		return HV_STATUS_INVALID_PARTITION_ID;
	hv->deposited_pages += c->reps;
	c->reps_done = c->reps;
	return HV_STATUS_SUCCESS;
}

static uint16_t call_create_vp(struct hv *hv, struct hv_call *c)
{
	return hvm_create_vp(hv, c->input, c->trace, c->trace_len);
}

static uint16_t call_get_vp_cpuid_values(struct hv *hv, struct hv_call *c)
{
	return hvm_get_vp_cpuid_values(hv, c->control, c->input, c->output, &c->reps_done,
				       c->trace, c->trace_len);
}

/*
 * The calls the model answers; any other code is INVALID_HYPERCALL_CODE
 * (among the driver's pass-through codes: TRANSLATE_VIRTUAL_ADDRESS,
 * CLEAR_VIRTUAL_INTERRUPT and REGISTER_INTERCEPT_RESULT). Columns: a rep
 * call (it takes a rep count, others must not), a variable header allowed,
 * an output page required.
 */
static const struct {
	uint16_t code;
	bool rep, varhead, output;
	uint16_t (*handler)(struct hv *hv, struct hv_call *c);
} calls[] = {
	{ HVCALL_CREATE_PARTITION, false, false, true, call_create_partition },
	{ HVCALL_INITIALIZE_PARTITION, false, false, false, call_partition_state },
	{ HVCALL_FINALIZE_PARTITION, false, false, false, call_partition_state },
	{ HVCALL_DELETE_PARTITION, false, false, false, call_partition_state },
	{ HVCALL_GET_PARTITION_PROPERTY, false, false, true, call_get_property },
	{ HVCALL_SET_PARTITION_PROPERTY, false, false, false, call_set_property },
	{ HVCALL_DEPOSIT_MEMORY, true, false, false, call_deposit_memory },
	{ HVCALL_MAP_GPA_PAGES, true, false, false, hvm_map_gpa_pages },
	{ HVCALL_UNMAP_GPA_PAGES, true, false, false, hvm_unmap_gpa_pages },
	{ HVCALL_INSTALL_INTERCEPT, false, false, false, hvm_install_intercept },
	{ HVCALL_CREATE_VP, false, false, false, call_create_vp },
	{ HVCALL_GET_VP_REGISTERS, true, false, true, hvm_get_vp_registers },
	{ HVCALL_SET_VP_REGISTERS, true, false, false, hvm_set_vp_registers },
	{ HVCALL_DELETE_PORT, false, false, false, hvm_delete_port },
	{ HVCALL_DISCONNECT_PORT, false, false, false, hvm_disconnect_port },
	{ HVCALL_ASSERT_VIRTUAL_INTERRUPT, false, false, false, hvm_assert_virtual_interrupt },
	{ HVCALL_CREATE_PORT, false, false, false, hvm_create_port },
	{ HVCALL_CONNECT_PORT, false, false, false, hvm_connect_port },
	{ HVCALL_SIGNAL_EVENT_DIRECT, false, false, true, hvm_signal_event_direct },
	{ HVCALL_POST_MESSAGE_DIRECT, false, false, false, hvm_post_message_direct },
	{ HVCALL_GET_GPA_PAGES_ACCESS_STATES, true, false, true, hvm_get_gpa_access_states },
	{ HVCALL_MAP_VP_STATE_PAGE, false, false, true, hvm_map_vp_state_page },
	{ HVCALL_UNMAP_VP_STATE_PAGE, false, false, false, hvm_unmap_vp_state_page },
	{ HVCALL_GET_VP_STATE, false, true, false, hvm_get_vp_state },
	{ HVCALL_SET_VP_STATE, false, true, false, hvm_set_vp_state },
	{ HVCALL_GET_VP_CPUID_VALUES, true, false, true, call_get_vp_cpuid_values },
	{ HVCALL_GET_PARTITION_PROPERTY_EX, false, false, true, call_get_property },
};

static bool injected(struct hv *hv, uint16_t code, uint16_t *status)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hv->inject); i++) {
		if (hv->inject[i].count && hv->inject[i].code == code) {
			hv->inject[i].count--;
			*status = hv->inject[i].status;
			return true;
		}
	}
	return false;
}

void hv_inject_status(struct hv *hv, uint16_t code, uint16_t status, unsigned int count)
{
	size_t i, slot = ARRAY_SIZE(hv->inject);

	pthread_mutex_lock(&hv->lock);
	for (i = 0; i < ARRAY_SIZE(hv->inject); i++) {
		if (hv->inject[i].code == code || !hv->inject[i].count) {
			slot = i;
			if (hv->inject[i].code == code)
				break;
		}
	}
	if (slot < ARRAY_SIZE(hv->inject))
		hv->inject[slot] = (struct hv_injection){ code, status, count };
	pthread_mutex_unlock(&hv->lock);
}

uint64_t hv_deposited_pages(struct hv *hv)
{
	uint64_t n;

	pthread_mutex_lock(&hv->lock);
	n = hv->deposited_pages;
	pthread_mutex_unlock(&hv->lock);
	return n;
}

uint64_t hv_hypercall(struct hv *hv, uint64_t control, const void *input, void *output)
{
	uint16_t code = control & HV_HYPERCALL_CODE_MASK;
	char trace[1024] = "";
	struct hv_call c = {
		.control = control,
		.input = input,
		.output = output,
		.reps = (unsigned int)((control & HV_HYPERCALL_REP_COMP_MASK) >>
				       HV_HYPERCALL_REP_COMP_OFFSET),
		.start = (unsigned int)((control & HV_HYPERCALL_REP_START_MASK) >>
					HV_HYPERCALL_REP_START_OFFSET),
		.varhead = (unsigned int)((control & HV_HYPERCALL_VARHEAD_MASK) >>
					  HV_HYPERCALL_VARHEAD_OFFSET),
		.trace = trace,
		.trace_len = sizeof(trace),
	};
	uint64_t known_bits = HV_HYPERCALL_CODE_MASK | HV_HYPERCALL_FAST_BIT |
			      HV_HYPERCALL_VARHEAD_MASK | HV_HYPERCALL_REP_COMP_MASK |
			      HV_HYPERCALL_REP_START_MASK;
	uint16_t status;
	size_t i;

	if (!hv)
		return HV_STATUS_INVALID_PARAMETER;
	for (i = 0; i < ARRAY_SIZE(calls); i++)
		if (calls[i].code == code)
			break;

	pthread_mutex_lock(&hv->lock);
	if (i == ARRAY_SIZE(calls)) {
		status = HV_STATUS_INVALID_HYPERCALL_CODE;
		goto out;
	}
	if (!input || (control & HV_HYPERCALL_FAST_BIT) || (control & ~known_bits) ||
	    (c.varhead && !calls[i].varhead) ||
	    (!calls[i].rep && (c.reps || c.start))) {
		status = HV_STATUS_INVALID_HYPERCALL_INPUT;
		goto out;
	}
	/* Every modelled input but CreatePartition starts with the partition id. */
	c.partition_id = code == HVCALL_CREATE_PARTITION ? 0 : *(const uint64_t *)input;
	if (injected(hv, code, &status))
		goto out;
	if (calls[i].output && !output)
		status = HV_STATUS_INVALID_HYPERCALL_INPUT;
	else
		status = calls[i].handler(hv, &c);
out:
	hv_trace_emit(hv, code, status, c.partition_id, trace);
	pthread_mutex_unlock(&hv->lock);
	return status | (uint64_t)c.reps_done << HV_HYPERCALL_REP_COMP_OFFSET;
}
