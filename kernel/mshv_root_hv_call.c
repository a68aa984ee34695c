// SPDX-License-Identifier: MIT
/*
 * Hypercall wrappers of the create-partition path (drivers/hv/
 * mshv_root_hv_call.c upstream). Calls that need memory the hypervisor
 * does not have fail with HV_STATUS_INSUFFICIENT_MEMORY: deposit a page
 * and retry.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <asm/mshyperv.h>

#include "mshv_root.h"

/* Pages per DepositMemory call: what fits in one input page. */
#define HV_DEPOSIT_MAX ((HV_HYP_PAGE_SIZE - sizeof(u64)) / sizeof(u64))

struct hv_input_deposit_memory {
	u64 partition_id;
	u64 gpa_page_list[];
} __packed;

/**
 * hv_call_deposit_pages() - give the hypervisor memory for a partition
 * @node: NUMA node to allocate on (NUMA_NO_NODE: any)
 * @partition_id: the partition the pages are for
 * @num_pages: how many pages
 *
 * Return: 0 or a negative errno.
 */
int hv_call_deposit_pages(int node, u64 partition_id, u32 num_pages)
{
	struct hv_input_deposit_memory *input_page;
	unsigned long flags = 0;
	u64 status;
	u32 i, done = 0;
	int ret = 0;

	(void)node;
	while (done < num_pages) {
		u32 count = min(num_pages - done, (u32)HV_DEPOSIT_MAX);

		local_irq_save(flags);
		input_page = *this_cpu_ptr(hyperv_pcpu_input_arg);
		input_page->partition_id = partition_id;
		/* The model keeps no memory: page numbers stand for the pages. */
		for (i = 0; i < count; i++)
			input_page->gpa_page_list[i] = done + i;
		status = hv_do_rep_hypercall(HVCALL_DEPOSIT_MEMORY, count, 0, input_page, NULL);
		local_irq_restore(flags);
		if (!hv_result_success(status)) {
			pr_err("Failed to deposit pages: %u\n", hv_result(status));
			ret = hv_result_to_errno(status);
			break;
		}
		done += count;
	}
	return ret;
}

/**
 * hv_call_create_partition() - HvCallCreatePartition
 * @flags: HV_PARTITION_CREATION_FLAG_*
 * @creation_properties: disabled processor features (and xsave on x86_64)
 * @isolation_properties: isolation type and friends
 * @partition_id: out, the new partition's id
 *
 * Return: 0 or a negative errno.
 */
int hv_call_create_partition(u64 flags,
			     struct hv_partition_creation_properties creation_properties,
			     union hv_partition_isolation_properties isolation_properties,
			     u64 *partition_id)
{
	struct hv_input_create_partition *input;
	struct hv_output_create_partition *output;
	unsigned long irq_flags = 0;
	u64 status;
	int ret;

	do {
		local_irq_save(irq_flags);
		input = *this_cpu_ptr(hyperv_pcpu_input_arg);
		output = *this_cpu_ptr(hyperv_pcpu_output_arg);

		memset(input, 0, sizeof(*input));
		input->flags = flags;
		input->compatibility_version = HV_COMPATIBILITY_21_H2;
		memcpy(&input->partition_creation_properties, &creation_properties,
		       sizeof(creation_properties));
		memcpy(&input->isolation_properties, &isolation_properties,
		       sizeof(isolation_properties));

		status = hv_do_hypercall(HVCALL_CREATE_PARTITION, input, output);
		if (hv_result(status) != HV_STATUS_INSUFFICIENT_MEMORY) {
			if (hv_result_success(status))
				*partition_id = output->partition_id;
			local_irq_restore(irq_flags);
			ret = hv_result_to_errno(status);
			break;
		}
		local_irq_restore(irq_flags);
		ret = hv_call_deposit_pages(NUMA_NO_NODE, hv_current_partition_id, 1);
	} while (!ret);

	return ret;
}

/* A partition-id-only call that may need memory. */
static int hv_call_partition_op(u16 code, u64 partition_id)
{
	u64 status;
	int ret;

	do {
		status = hv_do_fast_hypercall8(code, partition_id);
		if (hv_result(status) != HV_STATUS_INSUFFICIENT_MEMORY) {
			ret = hv_result_to_errno(status);
			break;
		}
		ret = hv_call_deposit_pages(NUMA_NO_NODE, partition_id, 1);
	} while (!ret);

	return ret;
}

/**
 * hv_call_initialize_partition() - HvCallInitializePartition, after
 * depositing the memory a partition needs to start
 * @partition_id: the partition
 *
 * Return: 0 or a negative errno.
 */
int hv_call_initialize_partition(u64 partition_id)
{
	int ret;

	ret = hv_call_deposit_pages(NUMA_NO_NODE, partition_id,
				    HV_INIT_PARTITION_DEPOSIT_PAGES);
	if (ret)
		return ret;
	return hv_call_partition_op(HVCALL_INITIALIZE_PARTITION, partition_id);
}

/**
 * hv_call_finalize_partition() - HvCallFinalizePartition
 * @partition_id: the partition
 *
 * Return: 0 or a negative errno.
 */
int hv_call_finalize_partition(u64 partition_id)
{
	return hv_result_to_errno(hv_do_fast_hypercall8(HVCALL_FINALIZE_PARTITION,
							partition_id));
}

/**
 * hv_call_delete_partition() - HvCallDeletePartition
 * @partition_id: the partition
 *
 * Return: 0 or a negative errno.
 */
int hv_call_delete_partition(u64 partition_id)
{
	return hv_result_to_errno(hv_do_fast_hypercall8(HVCALL_DELETE_PARTITION,
							partition_id));
}

/**
 * hv_call_create_vp() - HvCallCreateVp
 * @node: NUMA node of the VP
 * @partition_id: the partition
 * @vp_index: the new VP's index
 * @flags: creation flags
 *
 * Return: 0 or a negative errno.
 */
int hv_call_create_vp(int node, u64 partition_id, u32 vp_index, u32 flags)
{
	struct hv_input_create_vp *input;
	unsigned long irq_flags = 0;
	u64 status;
	int ret;

	(void)node;
	do {
		local_irq_save(irq_flags);
		input = *this_cpu_ptr(hyperv_pcpu_input_arg);
		memset(input, 0, sizeof(*input));
		input->partition_id = partition_id;
		input->vp_index = vp_index;
		input->flags = flags;
		input->subnode_type = 0xff;	/* HV_SUBNODE_ANY */
		status = hv_do_hypercall(HVCALL_CREATE_VP, input, NULL);
		local_irq_restore(irq_flags);

		if (hv_result(status) != HV_STATUS_INSUFFICIENT_MEMORY) {
			ret = hv_result_to_errno(status);
			break;
		}
		ret = hv_call_deposit_pages(NUMA_NO_NODE, partition_id, 1);
	} while (!ret);

	return ret;
}
