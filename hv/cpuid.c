// SPDX-License-Identifier: MIT
/*
 * HvCallGetVpCpuidValues: the CPUID a guest sees. The host's CPUID with
 * every bit of a feature the partition does not have cleared (a bit shared
 * by several features shows only if all of them are enabled), the leaves
 * only a hypervisor sets (hypervisor bit, its own 0x4000000x range), and
 * XSAVE leaves that describe the partition's own state components.
 */
#include <stdio.h>
#include <string.h>

#include "hv_internal.h"

#define CPUID1_ECX_VMX		(1U << 5)
#define CPUID1_ECX_OSXSAVE	(1U << 27)
#define CPUID1_ECX_HYPERVISOR	(1U << 31)
#define CPUID7_ECX_OSPKE	(1U << 4)
#define CPUID80000001_ECX_SVM	(1U << 2)
#define HV_MAX_HYPERVISOR_LEAF	0x40000006

static uint32_t *reg_of(struct hv_cpuid_leaf *l, unsigned int reg)
{
	switch (reg) {
	case HV_CPUID_EAX:
		return &l->eax;
	case HV_CPUID_EBX:
		return &l->ebx;
	case HV_CPUID_ECX:
		return &l->ecx;
	default:
		return &l->edx;
	}
}

static void xsave_leaf(const struct hv *hv, const struct hv_partition *p, uint32_t subleaf,
		       struct hv_cpuid_leaf *out)
{
	uint64_t states = p->info.xsave_states;

	if (subleaf == 0) {
		out->eax = (uint32_t)states;
		out->edx = (uint32_t)(states >> 32);
		/* EBX: the size XCR0 needs (the guest OS has not set it: all of them). */
		out->ebx = hv_xsave_size(states);
		out->ecx = hv_xsave_size(states);
	} else if (subleaf == 1) {
		out->ebx = hv_xsave_size(states);
	} else if (subleaf < 64 && !(states >> subleaf & 1)) {
		memset(&out->eax, 0, 4 * sizeof(uint32_t));
	}
	(void)hv;
}

void hv_guest_cpuid(const struct hv *hv, const struct hv_partition *p, uint32_t leaf,
		    uint32_t subleaf, struct hv_cpuid_leaf *out)
{
	const struct hv_cpuid_leaf *host = hv_host_find_cpuid(hv, leaf, subleaf);
	bool nested = (p->info.creation_flags &
		       HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE) &&
		      (p->info.effective[HV_FEATURE_WORD_BANK1] >>
		       hv_feature_rows[HV_FEATURE_ID_nested_virt].bit & 1);
	size_t i;

	memset(out, 0, sizeof(*out));
	out->leaf = leaf;
	out->subleaf = subleaf;
	if (leaf == 0x40000000) {
		out->eax = HV_MAX_HYPERVISOR_LEAF;
		memcpy(&out->ebx, "Micr", 4);
		memcpy(&out->ecx, "osof", 4);
		memcpy(&out->edx, "t Hv", 4);
		return;
	}
	if (leaf == 0x40000001) {
		out->eax = 0x31237648;	/* "Hv#1" */
		return;
	}
	if (host) {
		out->eax = host->eax;
		out->ebx = host->ebx;
		out->ecx = host->ecx;
		out->edx = host->edx;
	}
	for (i = 0; i < HV_FEATURE_ID_COUNT; i++) {
		const struct hv_feature_row *f = &hv_feature_rows[i];
		const struct hv_cpuid_bit *loc = hv_feature_cpuid(f, hv->config.vendor);

		if (!loc || loc->leaf != leaf || loc->subleaf != subleaf)
			continue;
		if (!(p->info.effective[f->word] >> f->bit & 1))
			*reg_of(out, loc->reg) &= ~(1U << loc->bit);
	}
	switch (leaf) {
	case 1:
		out->ecx &= ~CPUID1_ECX_OSXSAVE;
		out->ecx |= CPUID1_ECX_HYPERVISOR;
		if (!nested)
			out->ecx &= ~CPUID1_ECX_VMX;
		break;
	case 7:
		if (subleaf == 0)
			out->ecx &= ~CPUID7_ECX_OSPKE;
		break;
	case 0xd:
		xsave_leaf(hv, p, subleaf, out);
		break;
	case 0x80000001:
		if (!nested)
			out->ecx &= ~CPUID80000001_ECX_SVM;
		break;
	default:
		break;
	}
}

uint16_t hvm_get_vp_cpuid_values(struct hv *hv, uint64_t control, const void *in,
				     void *out, unsigned int *reps_done, char *trace,
				     size_t trace_len)
{
	const struct hv_input_get_vp_cpuid_values *input = in;
	struct hv_output_get_vp_cpuid_values *output = out;
	unsigned int reps = (unsigned int)((control & HV_HYPERCALL_REP_COMP_MASK) >>
					   HV_HYPERCALL_REP_COMP_OFFSET);
	unsigned int start = (unsigned int)((control & HV_HYPERCALL_REP_START_MASK) >>
					    HV_HYPERCALL_REP_START_OFFSET);
	size_t max_in = (HV_HYP_PAGE_SIZE - sizeof(*input)) / sizeof(input->cpuid_leaf_info[0]);
	size_t max_out = HV_HYP_PAGE_SIZE / sizeof(*output);
	struct hv_partition *p;
	unsigned int i;
	uint16_t status;
	size_t used;

	used = (size_t)snprintf(trace, trace_len, "\"vp_index\":%u,\"reps\":%u,\"leaves\":[",
				input->vp_index, reps);
	for (i = start; i < reps && i < max_in && used + 32 < trace_len; i++)
		used += (size_t)snprintf(trace + used, trace_len - used, "%s\"0x%x.%u\"",
					 i > start ? "," : "", input->cpuid_leaf_info[i].eax,
					 input->cpuid_leaf_info[i].ecx);
	snprintf(trace + used, trace_len - used, "]");

	if (!reps || start >= reps || reps > max_in || reps > max_out || input->reserved ||
	    input->padding)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	p = hv_partition_running(hv, input->partition_id, &status);
	if (!p)
		return status;
	if (input->vp_index >= hv->config.max_vps || !p->vps[input->vp_index])
		return HV_STATUS_INVALID_VP_INDEX;
	if (hv->config.arch != HV_ARCH_X86_64)
		return HV_STATUS_INVALID_HYPERCALL_CODE;
	for (i = start; i < reps; i++) {
		struct hv_cpuid_leaf leaf;

		hv_guest_cpuid(hv, p, input->cpuid_leaf_info[i].eax,
			       input->cpuid_leaf_info[i].ecx, &leaf);
		if (input->cpuid_leaf_info[i].eax == 1)	/* initial APIC id: the VP's */
			leaf.ebx = (leaf.ebx & 0x00ffffffU) | (input->vp_index & 0xff) << 24;
		output[i].eax = leaf.eax;
		output[i].ebx = leaf.ebx;
		output[i].ecx = leaf.ecx;
		output[i].edx = leaf.edx;
		*reps_done = i + 1;
	}
	return HV_STATUS_SUCCESS;
}
