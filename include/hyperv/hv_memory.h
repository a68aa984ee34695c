/* SPDX-License-Identifier: MIT */
/*
 * Microsoft Hypervisor ABI of a child's guest physical address space as the
 * root manages it: MapGpaPages (0x4B) and UnmapGpaPages (0x4C), which back
 * guest page frames with the root's frames or take them away, and
 * GetGpaPagesAccessStates (0xC9), which reports and changes the accessed
 * and dirty bits the hypervisor keeps per guest page while the partition's
 * GPA_PAGE_ACCESS_TRACKING property (0x50005) is on.
 * Facts: Linux include/hyperv/hvhdk_mini.h and drivers/hv/mshv_root_hv_call.c
 * (layouts, flags, batch sizes); rust-vmm mshv-ioctls (the tracking
 * property's value).
 */
#ifndef _HYPERV_HV_MEMORY_H
#define _HYPERV_HV_MEMORY_H

#include <linux/types.h>

#include "hv_hypercall.h"

#define HV_HYP_PAGE_SHIFT		12

/* A large page: 2 MiB, 512 small ones. */
#define HV_HYP_LARGE_PAGE_SHIFT		21
#define HV_HYP_PAGES_PER_LARGE_PAGE	512

/* MapGpaPages' map_flags: the guest's access, and how the mapping behaves. */
#define HV_MAP_GPA_READABLE		0x00000001U
#define HV_MAP_GPA_WRITABLE		0x00000002U
#define HV_MAP_GPA_KERNEL_EXECUTABLE	0x00000004U
#define HV_MAP_GPA_USER_EXECUTABLE	0x00000008U
#define HV_MAP_GPA_EXECUTABLE		0x0000000CU
#define HV_MAP_GPA_PERMISSIONS_MASK	0x0000000FU
#define HV_MAP_GPA_ADJUSTABLE		0x00008000U	/* the root may change it later */
#define HV_MAP_GPA_NO_ACCESS		0x00010000U	/* mapped, but every access intercepts */
#define HV_MAP_GPA_NOT_CACHED		0x00200000U
#define HV_MAP_GPA_LARGE_PAGE		0x80000000U	/* each rep is a 2 MiB page */
#define HV_MAP_GPA_DEFINED		(HV_MAP_GPA_PERMISSIONS_MASK | HV_MAP_GPA_ADJUSTABLE | \
					 HV_MAP_GPA_NO_ACCESS | HV_MAP_GPA_NOT_CACHED | \
					 HV_MAP_GPA_LARGE_PAGE)

/*
 * MapGpaPages, a rep call: the target, the first guest frame, the flags,
 * then one source frame (of the root) per rep; no output. A page holds
 * (4096 - 24) / 8 = 509 reps.
 */
struct hv_input_map_gpa_pages {
	__u64 target_partition_id;
	__u64 target_gpa_base;
	__u32 map_flags;
	__u32 padding;
	__u64 source_gpa_page_list[];
} __attribute__((__packed__));

#define HV_MAP_GPA_BATCH_SIZE \
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_map_gpa_pages)) / sizeof(__u64))

/* UnmapGpaPages' unmap_flags. */
#define HV_UNMAP_GPA_LARGE_PAGE		0x00000002U
#define HV_UNMAP_GPA_DEFINED		HV_UNMAP_GPA_LARGE_PAGE

/* UnmapGpaPages, a rep call with no per-rep input: one guest page per rep. */
struct hv_input_unmap_gpa_pages {
	__u64 target_partition_id;
	__u64 target_gpa_base;
	__u32 unmap_flags;
	__u32 padding;
} __attribute__((__packed__));

/*
 * GetGpaPagesAccessStates' flags: what to do to each page's bits after
 * reporting them.
 */
#define HV_GPA_ACCESS_CLEAR_ACCESSED	(1ULL << 0)
#define HV_GPA_ACCESS_SET_ACCESSED	(1ULL << 1)
#define HV_GPA_ACCESS_CLEAR_DIRTY	(1ULL << 2)
#define HV_GPA_ACCESS_SET_DIRTY		(1ULL << 3)
#define HV_GPA_ACCESS_FLAGS_DEFINED	0xFULL

/*
 * GetGpaPagesAccessStates, a rep call: one output byte per rep (guest
 * page), so a page of output holds (4096 - 24) = 4072 of them as Linux
 * batches them.
 */
struct hv_input_get_gpa_pages_access_state {
	__u64 partition_id;
	__u64 flags;			/* HV_GPA_ACCESS_* */
	__u64 hv_gpa_page_number;	/* the first guest frame */
} __attribute__((__packed__));

/* One page's state, as the output byte. */
#define HV_GPA_PAGE_ACCESSED		(1U << 0)
#define HV_GPA_PAGE_DIRTY		(1U << 1)

#define HV_GET_GPA_ACCESS_STATES_BATCH_SIZE \
	(HV_HYP_PAGE_SIZE - sizeof(struct hv_input_get_gpa_pages_access_state))

/* GPA_PAGE_ACCESS_TRACKING (0x50005): bit 0 on, bit 1 granularity (1: large pages). */
#define HV_GPA_ACCESS_TRACKING_ENABLED		(1ULL << 0)
#define HV_GPA_ACCESS_TRACKING_LARGE_PAGES	(1ULL << 1)
#define HV_GPA_ACCESS_TRACKING_RESERVED		(~3ULL)

#endif /* _HYPERV_HV_MEMORY_H */
