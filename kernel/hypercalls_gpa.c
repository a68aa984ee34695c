// SPDX-License-Identifier: MIT
/*
 * The hypercalls of a partition's guest memory: MapGpaPages and
 * UnmapGpaPages, which back guest frames with the root's and take them
 * away, and GetGpaPagesAccessStates, which reads (and clears or sets) the
 * accessed and dirty bits the hypervisor keeps per guest page.
 *
 * Each is a rep call batched as Linux batches it: as many frames as one
 * input page holds (509) per MapGpaPages, 512 pages per UnmapGpaPages, and
 * as many states as one output page holds (4072) per
 * GetGpaPagesAccessStates. A map that runs out of the hypervisor's memory
 * is fed 256 pages and carried on from where it stopped; a map that fails
 * takes back what it had mapped.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/mshyperv.h>

#include "mshv_driver.h"

/* Pages one DepositMemory gives a map that ran short. */
#define MAP_GPA_DEPOSIT_PAGES		256
/* Pages one UnmapGpaPages takes back. */
#define UNMAP_GPA_PAGES_PER_CALL	512

/**
 * hyp_map_gpa_pages() - map guest frames to consecutive root frames
 * @partition_id: the child
 * @gfn:          its first guest frame
 * @page_count:   how many pages
 * @flags:        HV_MAP_GPA_* (not LARGE_PAGE: the shim has no huge pages)
 * @first_pfn:    the root frame behind @gfn; the others follow it (with
 *                HV_MAP_GPA_NO_ACCESS no frames are named)
 *
 * Return: 0, or the errno of the call that failed after unmapping what the
 * earlier calls had mapped (-EINVAL for no pages).
 */
int hyp_map_gpa_pages(u64 partition_id, u64 gfn, u64 page_count, u32 flags, u64 first_pfn)
{
	u64 done = 0;
	int err = 0;

	if (!page_count || (flags & HV_MAP_GPA_LARGE_PAGE))
		return -EINVAL;
	while (done < page_count) {
		struct hv_input_map_gpa_pages *in = *this_cpu_ptr(hyperv_pcpu_input_arg);
		u64 reps = min_t(u64, page_count - done, HV_MAP_GPA_BATCH_SIZE);
		u64 result, i;

		memset(in, 0, sizeof(*in));
		in->target_partition_id = partition_id;
		in->target_gpa_base = gfn + done;
		in->map_flags = flags;
		for (i = 0; i < reps; i++)
			in->source_gpa_page_list[i] = flags & HV_MAP_GPA_NO_ACCESS ? 0 :
						      first_pfn + done + i;
		result = hyp_call_reps(HVCALL_MAP_GPA_PAGES, (u16)reps, 0, in, NULL);
		done += hyp_reps_done(result);
		if (hyp_status(result) == HV_STATUS_INSUFFICIENT_MEMORY) {
			err = hyp_deposit_pages(partition_id, MAP_GPA_DEPOSIT_PAGES);
			if (err)
				break;
		} else if (hyp_status(result) != HV_STATUS_SUCCESS) {
			err = hyp_status_to_errno(result);
			break;
		}
	}
	if (err && done)
		hyp_unmap_gpa_pages(partition_id, gfn, done, 0);
	return err;
}

/**
 * hyp_unmap_gpa_pages() - take guest frames away
 * @partition_id: the child
 * @gfn:          its first guest frame
 * @page_count:   how many pages
 * @flags:        HV_UNMAP_GPA_*
 *
 * Return: 0, or the errno of the first call that failed (the pages before
 * it stay unmapped; -EINVAL for no pages).
 */
int hyp_unmap_gpa_pages(u64 partition_id, u64 gfn, u64 page_count, u32 flags)
{
	u64 done = 0;

	if (!page_count)
		return -EINVAL;
	while (done < page_count) {
		struct hv_input_unmap_gpa_pages *in = *this_cpu_ptr(hyperv_pcpu_input_arg);
		u64 reps = min_t(u64, page_count - done, UNMAP_GPA_PAGES_PER_CALL);
		u64 result;

		memset(in, 0, sizeof(*in));
		in->target_partition_id = partition_id;
		in->target_gpa_base = gfn + done;
		in->unmap_flags = flags;
		result = hyp_call_reps(HVCALL_UNMAP_GPA_PAGES, (u16)reps, 0, in, NULL);
		if (hyp_status(result) != HV_STATUS_SUCCESS)
			return hyp_status_to_errno(result);
		done += hyp_reps_done(result);
	}
	return 0;
}

/**
 * hyp_get_gpa_access_states() - GetGpaPagesAccessStates over a range
 * @partition_id: the child
 * @page_count:   how many pages
 * @gfn:          the first guest frame
 * @flags:        HV_GPA_ACCESS_*: what happens to each page's bits after
 *                they are read
 * @written:      how many states were read, whatever the result
 * @states:       @page_count bytes, one HV_GPA_PAGE_* byte per page
 *
 * Return: 0, or the errno of the call that failed (those before it did
 * their clearing or setting).
 */
int hyp_get_gpa_access_states(u64 partition_id, u64 page_count, u64 gfn, u64 flags,
			      u64 *written, u8 *states)
{
	*written = 0;
	while (*written < page_count) {
		struct hv_input_get_gpa_pages_access_state *in =
			*this_cpu_ptr(hyperv_pcpu_input_arg);
		u8 *out = *this_cpu_ptr(hyperv_pcpu_output_arg);
		u64 reps = min_t(u64, page_count - *written, HV_GET_GPA_ACCESS_STATES_BATCH_SIZE);
		u64 result;
		u32 done;

		memset(in, 0, sizeof(*in));
		in->partition_id = partition_id;
		in->flags = flags;
		in->hv_gpa_page_number = gfn + *written;
		result = hyp_call_reps(HVCALL_GET_GPA_PAGES_ACCESS_STATES, (u16)reps, 0, in, out);
		if (hyp_status(result) != HV_STATUS_SUCCESS)
			return hyp_status_to_errno(result);
		done = hyp_reps_done(result);
		memcpy(states + *written, out, done);
		*written += done;
	}
	return 0;
}
