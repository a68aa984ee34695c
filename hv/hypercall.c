// SPDX-License-Identifier: MIT
/*
 * The hypercall entry: decode the control word, check it the way the
 * hypervisor does (rep calls take a rep count, simple calls must not),
 * dispatch under the model's lock, trace, and build the result word.
 */
#include <stdio.h>
#include <string.h>

#include "hv_internal.h"

static const struct {
	uint16_t code;
	bool rep;
	size_t input_size;	/* bytes the call reads (rep calls: the fixed header) */
} calls[] = {
	{ HVCALL_CREATE_PARTITION, false, 0 },	/* by arch, below */
	{ HVCALL_INITIALIZE_PARTITION, false, sizeof(struct hv_input_partition_id) },
	{ HVCALL_FINALIZE_PARTITION, false, sizeof(struct hv_input_partition_id) },
	{ HVCALL_DELETE_PARTITION, false, sizeof(struct hv_input_partition_id) },
	{ HVCALL_GET_PARTITION_PROPERTY, false, sizeof(struct hv_input_get_partition_property) },
	{ HVCALL_SET_PARTITION_PROPERTY, false, sizeof(struct hv_input_set_partition_property) },
	{ HVCALL_DEPOSIT_MEMORY, true, 16 },
	{ HVCALL_CREATE_VP, false, sizeof(struct hv_input_create_vp) },
	{ HVCALL_GET_VP_CPUID_VALUES, true, sizeof(struct hv_input_get_vp_cpuid_values) },
	{ HVCALL_GET_PARTITION_PROPERTY_EX, false, sizeof(struct hv_input_get_partition_property_ex) },
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

/* DepositMemory: {partition id, then one GPA page number per rep}. */
static uint16_t deposit_memory(struct hv *hv, const void *in, unsigned int reps,
			       unsigned int *reps_done, char *trace, size_t trace_len)
{
	const uint64_t *input = in;

	snprintf(trace, trace_len, "\"pages\":%u", reps);
	if (!reps || reps > (HV_HYP_PAGE_SIZE - 8) / 8)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (input[0] != HV_PARTITION_ID_SELF && !hv_partition_find(hv, input[0]))
		return HV_STATUS_INVALID_PARTITION_ID;
	hv->deposited_pages += reps;
	*reps_done = reps;
	return HV_STATUS_SUCCESS;
}

static uint64_t partition_of(uint16_t code, const void *in)
{
	/* Every modelled input but CreatePartition starts with the partition id. */
	if (code == HVCALL_CREATE_PARTITION)
		return 0;
	return *(const uint64_t *)in;
}

uint64_t hv_hypercall(struct hv *hv, uint64_t control, const void *input, void *output)
{
	uint16_t code = control & HV_HYPERCALL_CODE_MASK;
	unsigned int reps = (unsigned int)((control & HV_HYPERCALL_REP_COMP_MASK) >>
					   HV_HYPERCALL_REP_COMP_OFFSET);
	unsigned int reps_done = 0;
	char trace[1024] = "";
	uint64_t partition_id = 0;
	uint16_t status;
	size_t i;
	bool rep = false, known = false;

	if (!hv)
		return HV_STATUS_INVALID_PARAMETER;
	for (i = 0; i < ARRAY_SIZE(calls); i++)
		if (calls[i].code == code) {
			known = true;
			rep = calls[i].rep;
		}

	pthread_mutex_lock(&hv->lock);
	if (!known) {
		status = HV_STATUS_INVALID_HYPERCALL_CODE;
		goto out;
	}
	if (!input || (control & HV_HYPERCALL_FAST_BIT) ||
	    (control & HV_HYPERCALL_VARHEAD_MASK) || (!rep && (reps || (control >> 48))) ||
	    (control & ~(HV_HYPERCALL_CODE_MASK | HV_HYPERCALL_FAST_BIT |
			 HV_HYPERCALL_VARHEAD_MASK | HV_HYPERCALL_REP_COMP_MASK |
			 HV_HYPERCALL_REP_START_MASK))) {
		status = HV_STATUS_INVALID_HYPERCALL_INPUT;
		goto out;
	}
	partition_id = partition_of(code, input);
	if (injected(hv, code, &status))
		goto out;

	switch (code) {
	case HVCALL_CREATE_PARTITION:
		if (!output) {
			status = HV_STATUS_INVALID_HYPERCALL_INPUT;
			break;
		}
		status = hvm_create_partition(hv, input, output, trace, sizeof(trace));
		if (status == HV_STATUS_SUCCESS)
			partition_id = ((struct hv_output_create_partition *)output)->partition_id;
		break;
	case HVCALL_INITIALIZE_PARTITION:
	case HVCALL_FINALIZE_PARTITION:
	case HVCALL_DELETE_PARTITION:
		status = hvm_partition_state(hv, code, input);
		break;
	case HVCALL_GET_PARTITION_PROPERTY:
	case HVCALL_GET_PARTITION_PROPERTY_EX:
		if (!output) {
			status = HV_STATUS_INVALID_HYPERCALL_INPUT;
			break;
		}
		status = hvm_get_property(hv, code, input, output, trace, sizeof(trace));
		break;
	case HVCALL_SET_PARTITION_PROPERTY:
		status = hvm_set_property(hv, input, trace, sizeof(trace));
		break;
	case HVCALL_DEPOSIT_MEMORY:
		status = deposit_memory(hv, input, reps, &reps_done, trace, sizeof(trace));
		break;
	case HVCALL_CREATE_VP:
		status = hvm_create_vp(hv, input, trace, sizeof(trace));
		break;
	case HVCALL_GET_VP_CPUID_VALUES:
		if (!output) {
			status = HV_STATUS_INVALID_HYPERCALL_INPUT;
			break;
		}
		status = hvm_get_vp_cpuid_values(hv, control, input, output, &reps_done,
						     trace, sizeof(trace));
		break;
	default:
		status = HV_STATUS_INVALID_HYPERCALL_CODE;
		break;
	}
out:
	hv_trace_emit(hv, code, status, partition_id, trace);
	pthread_mutex_unlock(&hv->lock);
	return status | (uint64_t)reps_done << HV_HYPERCALL_REP_COMP_OFFSET;
}
