// SPDX-License-Identifier: MIT
/*
 * The driver's requests of the hypervisor (guest memory and ports have
 * files of their own): the partition and VP life-cycle calls, memory
 * deposits, a partition property, a VP's state components and shared
 * pages, a virtual interrupt, and the result-to-errno rule.
 *
 * The hypervisor takes no memory of its own. When a call needs some it
 * fails with HV_STATUS_INSUFFICIENT_MEMORY; the driver then gives it one
 * page and makes the call again, for as long as the deposits succeed.
 * A deposit reuses this CPU's input page, so a call that is repeated
 * writes its input afresh on every attempt.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <asm/mshyperv.h>
#include <hyperv/hv_interrupt.h>
#include <hyperv/hv_vp.h>

#include "mshv_driver.h"

/*
 * Statuses that do not become -EIO. A caller's mistake reads as -EINVAL;
 * a hypervisor that ran out of deposited memory as -ENOMEM.
 */
static const struct {
	u16 status;
	int err;
} status_errno[] = {
	{ HV_STATUS_INVALID_HYPERCALL_CODE,	EINVAL },
	{ HV_STATUS_INVALID_HYPERCALL_INPUT,	EINVAL },
	{ HV_STATUS_INVALID_PARAMETER,		EINVAL },
	{ HV_STATUS_INVALID_PARTITION_ID,	EINVAL },
	{ HV_STATUS_INVALID_VP_INDEX,		EINVAL },
	{ HV_STATUS_INSUFFICIENT_MEMORY,	ENOMEM },
};

/**
 * hyp_status_to_errno() - what a hypercall result means to user space
 * @result: the result word; only its status field is looked at
 *
 * Return: 0 on success, else a negative errno (-EIO unless listed above).
 */
int hyp_status_to_errno(u64 result)
{
	u16 status = hyp_status(result);
	size_t i;

	if (status == HV_STATUS_SUCCESS)
		return 0;
	for (i = 0; i < ARRAY_SIZE(status_errno); i++)
		if (status_errno[i].status == status)
			return -status_errno[i].err;
	return -EIO;
}

/**
 * hyp_call_reps() - a rep hypercall, carried on until every rep is done
 * @code:      hypercall code
 * @reps:      how many reps the input holds
 * @first_rep: the rep to start from
 * @input:     the input page
 * @output:    the output page, or NULL
 *
 * The hypervisor may return early, successfully, after some of the reps;
 * the call is then made again from the first rep not yet done.
 *
 * Return: the result word of the last call (a failure's, if one failed).
 */
u64 hyp_call_reps(u16 code, u16 reps, u16 first_rep, void *input, void *output)
{
	u64 start = first_rep;
	u64 result;

	for (;;) {
		u64 control = code |
			      (u64)reps << HV_HYPERCALL_REP_COMP_OFFSET |
			      start << HV_HYPERCALL_REP_START_OFFSET;

		result = hv_do_hypercall(control, input, output);
		if (hyp_status(result) != HV_STATUS_SUCCESS || hyp_reps_done(result) >= reps)
			return result;
		start = hyp_reps_done(result);
	}
}

/* Page numbers one DepositMemory call can carry after the partition id. */
#define DEPOSIT_PAGES_PER_CALL	((HV_HYP_PAGE_SIZE - sizeof(u64)) / sizeof(u64))

/**
 * hyp_deposit_pages() - give the hypervisor memory for a partition
 * @partition_id: the partition that will own the pages
 * @count:        how many pages
 *
 * The model behind the shim keeps no real memory, so the page numbers
 * are only counted: 0, 1, 2, ... in each call.
 *
 * Return: 0, or the errno of the first DepositMemory that failed (pages
 * deposited before it stay deposited).
 */
int hyp_deposit_pages(u64 partition_id, u32 count)
{
	u32 done = 0;

	while (done < count) {
		u64 *page = *this_cpu_ptr(hyperv_pcpu_input_arg);
		u32 batch = min_t(u32, count - done, DEPOSIT_PAGES_PER_CALL);
		u64 result;
		u32 i;

		page[0] = partition_id;
		for (i = 0; i < batch; i++)
			page[1 + i] = done + i;
		result = hyp_call_reps(HVCALL_DEPOSIT_MEMORY, (u16)batch, 0, page, NULL);
		if (hyp_status(result) != HV_STATUS_SUCCESS) {
			pr_err("depositing %u pages failed, hypervisor status %#x\n",
			       batch, hyp_status(result));
			return hyp_status_to_errno(result);
		}
		done += batch;
	}
	return 0;
}

/**
 * hyp_call_until_fed() - make a call, feeding the hypervisor as it asks
 * @donee:   the partition that gets a page each time memory runs short
 * @attempt: makes the call once and returns its result word
 * @ctx:     passed to @attempt
 *
 * Return: the errno of the last attempt, or of a deposit that failed.
 */
int hyp_call_until_fed(u64 donee, u64 (*attempt)(void *ctx), void *ctx)
{
	for (;;) {
		u64 result = attempt(ctx);
		int err;

		if (hyp_status(result) != HV_STATUS_INSUFFICIENT_MEMORY)
			return hyp_status_to_errno(result);
		err = hyp_deposit_pages(donee, 1);
		if (err)
			return err;
	}
}

struct create_partition_call {
	const struct mshv_create_request *req;
	u64 new_id;
};

static u64 create_partition_once(void *ctx)
{
	struct create_partition_call *call = ctx;
	struct hv_input_create_partition *in = *this_cpu_ptr(hyperv_pcpu_input_arg);
	struct hv_output_create_partition *out = *this_cpu_ptr(hyperv_pcpu_output_arg);
	u64 result;

	memset(in, 0, sizeof(*in));
	in->flags = call->req->hv_flags;
	in->compatibility_version = HV_COMPATIBILITY_21_H2;
	in->partition_creation_properties = call->req->props;
	in->isolation_properties = call->req->isolation;
	/* No proximity domain: the hypervisor places the partition. */

	result = hv_do_hypercall(HVCALL_CREATE_PARTITION, in, out);
	if (hyp_status(result) == HV_STATUS_SUCCESS)
		call->new_id = out->partition_id;
	return result;
}

/**
 * hyp_create_partition() - CreatePartition
 * @req:    flags, disabled features and isolation
 * @new_id: the new partition's id, on success
 *
 * The partition does not exist until this succeeds, so any memory the
 * hypervisor asks for meanwhile comes from the root partition's account.
 *
 * Return: 0 or a negative errno.
 */
int hyp_create_partition(const struct mshv_create_request *req, u64 *new_id)
{
	struct create_partition_call call = { .req = req };
	int err;

	err = hyp_call_until_fed(HV_PARTITION_ID_SELF, create_partition_once, &call);
	if (!err)
		*new_id = call.new_id;
	return err;
}

static u64 initialize_once(void *ctx)
{
	return hv_do_fast_hypercall8(HVCALL_INITIALIZE_PARTITION, *(u64 *)ctx);
}

/**
 * hyp_initialize_partition() - InitializePartition, with its memory
 * @partition_id: a created partition
 *
 * Return: 0 or a negative errno.
 */
int hyp_initialize_partition(u64 partition_id)
{
	int err = hyp_deposit_pages(partition_id, MSHV_INIT_DEPOSIT_PAGES);

	if (err)
		return err;
	return hyp_call_until_fed(partition_id, initialize_once, &partition_id);
}

/**
 * hyp_finalize_partition() - FinalizePartition: the partition stops running
 * @partition_id: an initialized partition
 *
 * Return: 0 or a negative errno.
 */
int hyp_finalize_partition(u64 partition_id)
{
	return hyp_status_to_errno(hv_do_fast_hypercall8(HVCALL_FINALIZE_PARTITION,
							 partition_id));
}

/**
 * hyp_delete_partition() - DeletePartition
 * @partition_id: a partition that is not running
 *
 * Return: 0 or a negative errno.
 */
int hyp_delete_partition(u64 partition_id)
{
	return hyp_status_to_errno(hv_do_fast_hypercall8(HVCALL_DELETE_PARTITION,
							 partition_id));
}

struct create_vp_call {
	u64 partition_id;
	u32 index;
};

static u64 create_vp_once(void *ctx)
{
	struct create_vp_call *call = ctx;
	struct hv_input_create_vp *in = *this_cpu_ptr(hyperv_pcpu_input_arg);

	memset(in, 0, sizeof(*in));
	in->partition_id = call->partition_id;
	in->vp_index = call->index;
	in->subnode_type = HV_SUBNODE_ANY;
	return hv_do_hypercall(HVCALL_CREATE_VP, in, NULL);
}

/**
 * hyp_create_vp() - CreateVp
 * @partition_id: an initialized partition
 * @index:        the VP's index in it
 *
 * Return: 0 or a negative errno.
 */
int hyp_create_vp(u64 partition_id, u32 index)
{
	struct create_vp_call call = { .partition_id = partition_id, .index = index };

	return hyp_call_until_fed(partition_id, create_vp_once, &call);
}

/* One MapVpStatePage in flight, made again after each deposit. */
struct vp_page_call {
	u64 partition_id;
	u32 vp_index;
	u16 type;
	void *page;			/* the answer */
};

static u64 map_vp_page_once(void *ctx)
{
	struct vp_page_call *call = ctx;
	struct hv_input_map_vp_state_page *in = *this_cpu_ptr(hyperv_pcpu_input_arg);
	struct hv_output_map_vp_state_page *out = *this_cpu_ptr(hyperv_pcpu_output_arg);
	u64 result;

	/* VTL 0, and the hypervisor picks the page (no LOCATION_PROVIDED). */
	memset(in, 0, sizeof(*in));
	in->partition_id = call->partition_id;
	in->vp_index = call->vp_index;
	in->type = call->type;
	result = hv_do_hypercall(HVCALL_MAP_VP_STATE_PAGE, in, out);
	if (hyp_status(result) == HV_STATUS_SUCCESS)
		call->page = pfn_to_virt(out->map_location);
	return result;
}

/**
 * hyp_map_vp_state_page() - MapVpStatePage: a page of a VP's the hypervisor shares
 * @partition_id: the VP's partition
 * @vp_index:     the VP
 * @type:         HV_VP_STATE_PAGE_*
 * @page:         where the page is, on success
 *
 * Return: 0 or a negative errno.
 */
int hyp_map_vp_state_page(u64 partition_id, u32 vp_index, u16 type, void **page)
{
	struct vp_page_call call = {
		.partition_id = partition_id, .vp_index = vp_index, .type = type,
	};
	int err = hyp_call_until_fed(partition_id, map_vp_page_once, &call);

	if (!err)
		*page = call.page;
	return err;
}

/**
 * hyp_unmap_vp_state_page() - UnmapVpStatePage
 * @partition_id: the VP's partition
 * @vp_index:     the VP
 * @type:         a page hyp_map_vp_state_page() mapped
 *
 * Return: 0 or a negative errno.
 */
int hyp_unmap_vp_state_page(u64 partition_id, u32 vp_index, u16 type)
{
	struct hv_input_unmap_vp_state_page *in = *this_cpu_ptr(hyperv_pcpu_input_arg);

	memset(in, 0, sizeof(*in));
	in->partition_id = partition_id;
	in->vp_index = vp_index;
	in->type = type;
	return hyp_status_to_errno(hv_do_hypercall(HVCALL_UNMAP_VP_STATE_PAGE, in, NULL));
}

/**
 * hyp_get_partition_property() - GetPartitionProperty of an 8-byte property
 * @partition_id: the partition
 * @code:         HV_PARTITION_PROPERTY_*
 * @value:        the value, on success
 *
 * Return: 0 or a negative errno.
 */
int hyp_get_partition_property(u64 partition_id, u32 code, u64 *value)
{
	struct hv_input_get_partition_property *in = *this_cpu_ptr(hyperv_pcpu_input_arg);
	struct hv_output_get_partition_property *out = *this_cpu_ptr(hyperv_pcpu_output_arg);
	u64 result;

	memset(in, 0, sizeof(*in));
	in->partition_id = partition_id;
	in->property_code = code;
	result = hv_do_hypercall(HVCALL_GET_PARTITION_PROPERTY, in, out);
	if (hyp_status(result) == HV_STATUS_SUCCESS)
		*value = out->property_value;
	return hyp_status_to_errno(result);
}

/* One Get/SetVpState in flight, made again after each deposit. */
struct vp_state_call {
	u64 partition_id;
	u32 vp_index;
	const struct hv_vp_state_data *state;
	u32 page_count;			/* pages at @pages, or 0: inline */
	void *pages;
	const void *bytes;		/* set, inline: @num_bytes of them */
	u32 num_bytes;
	union hv_output_get_vp_state *out;	/* get, inline */
};

/* The header both calls share, then the frame numbers of the pages. */
static void vp_state_input(const struct vp_state_call *call, struct hv_input_vp_state *in)
{
	u32 i;

	memset(in, 0, sizeof(*in));
	in->partition_id = call->partition_id;
	in->vp_index = call->vp_index;
	in->state_data = *call->state;
	for (i = 0; i < call->page_count; i++)
		in->data[i] = virt_to_pfn((char *)call->pages + i * PAGE_SIZE);
}

static u64 get_vp_state_once(void *ctx)
{
	struct vp_state_call *call = ctx;
	struct hv_input_get_vp_state *in = *this_cpu_ptr(hyperv_pcpu_input_arg);
	union hv_output_get_vp_state *out = *this_cpu_ptr(hyperv_pcpu_output_arg);
	u64 result;

	vp_state_input(call, in);
	memset(out, 0, sizeof(*out));
	result = hv_do_hypercall(HVCALL_GET_VP_STATE |
				 (u64)call->page_count << HV_HYPERCALL_VARHEAD_OFFSET, in, out);
	if (hyp_status(result) == HV_STATUS_SUCCESS && call->out)
		memcpy(call->out, out, sizeof(*out));
	return result;
}

static u64 set_vp_state_once(void *ctx)
{
	struct vp_state_call *call = ctx;
	struct hv_input_set_vp_state *in = *this_cpu_ptr(hyperv_pcpu_input_arg);
	u64 varhead = call->num_bytes ? (call->num_bytes + 7) / 8 : call->page_count;

	/* The frame numbers, or the bytes, follow the header. */
	vp_state_input(call, in);
	if (call->num_bytes)
		memcpy(in + 1, call->bytes, call->num_bytes);
	return hv_do_hypercall(HVCALL_SET_VP_STATE | varhead << HV_HYPERCALL_VARHEAD_OFFSET,
			       in, NULL);
}

/**
 * hyp_get_vp_state() - GetVpState of one component
 * @partition_id: the VP's partition
 * @vp_index:     the VP
 * @state:        which component (and, for XSAVE, which states)
 * @page_count:   how many pages the hypervisor writes it to, or 0 when it
 *                comes back in the output page
 * @pages:        @page_count contiguous pages of the driver's own
 * @out:          the output page's contents when @page_count is 0
 *
 * Return: 0 or a negative errno; -EINVAL when the pages do not fit one call.
 */
int hyp_get_vp_state(u64 partition_id, u32 vp_index, const struct hv_vp_state_data *state,
		     u32 page_count, void *pages, union hv_output_get_vp_state *out)
{
	struct vp_state_call call = {
		.partition_id = partition_id, .vp_index = vp_index, .state = state,
		.page_count = page_count, .pages = pages, .out = page_count ? NULL : out,
	};

	if (page_count > HV_VP_STATE_BATCH_SIZE || (!page_count && !out))
		return -EINVAL;
	return hyp_call_until_fed(partition_id, get_vp_state_once, &call);
}

/**
 * hyp_set_vp_state() - SetVpState of one component
 * @partition_id: the VP's partition
 * @vp_index:     the VP
 * @state:        which component
 * @page_count:   how many pages hold it, or 0 when it travels inline
 * @pages:        @page_count contiguous pages of the driver's own
 * @bytes:        the inline data when @page_count is 0
 * @num_bytes:    how many
 *
 * Return: 0 or a negative errno; -EINVAL when the data do not fit one call.
 */
int hyp_set_vp_state(u64 partition_id, u32 vp_index, const struct hv_vp_state_data *state,
		     u32 page_count, void *pages, const void *bytes, u32 num_bytes)
{
	struct vp_state_call call = {
		.partition_id = partition_id, .vp_index = vp_index, .state = state,
		.page_count = page_count, .pages = pages, .bytes = bytes,
		.num_bytes = num_bytes,
	};

	if (page_count > HV_VP_STATE_BATCH_SIZE ||
	    sizeof(struct hv_input_set_vp_state) + num_bytes > HV_HYP_PAGE_SIZE ||
	    (!page_count && !num_bytes))
		return -EINVAL;
	return hyp_call_until_fed(partition_id, set_vp_state_once, &call);
}

/**
 * hyp_assert_virtual_interrupt() - AssertVirtualInterrupt
 * @partition_id: the child
 * @irq:          vector, destination APIC id and control (type, trigger,
 *                destination mode), as a route gives them
 *
 * Return: 0 or a negative errno.
 */
int hyp_assert_virtual_interrupt(u64 partition_id, const struct mshv_lapic_irq *irq)
{
	struct hv_input_assert_virtual_interrupt *in = *this_cpu_ptr(hyperv_pcpu_input_arg);

	memset(in, 0, sizeof(*in));
	in->partition_id = partition_id;
	in->control = irq->control;
	in->dest_addr = irq->apic_id;
	in->vector = irq->vector;
	return hyp_status_to_errno(hv_do_hypercall(HVCALL_ASSERT_VIRTUAL_INTERRUPT, in, NULL));
}
