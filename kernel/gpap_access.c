// SPDX-License-Identifier: MIT
/*
 * MSHV_GET_GPAP_ACCESS_BITMAP: the accessed or dirty bit of a range of
 * guest pages, one bit per page into the caller's bitmap, with the bit
 * then cleared or set in the hypervisor (GetGpaPagesAccessStates; the
 * partition's GPA_PAGE_ACCESS_TRACKING property must be on).
 *
 * Linux's checks, in its order:
 *   the argument unreadable                               -EFAULT
 *   an access type or op past the last, a reserved byte set, no pages,
 *   no bitmap                                             -EINVAL
 *   more pages than the machine has bytes of memory (the state buffer
 *   cannot be allocated)                                  -ENOMEM
 *   the hypervisor refuses (e.g. tracking off)            its errno
 *   the bitmap unwritable (the bits were changed already) -EFAULT
 *
 * As Linux has it, every op other than CLEAR sets: a NOOP read of the
 * dirty bits sets them (and the accessed bits), exactly as SET does.
 * Clearing the accessed bit clears the dirty bit too (not accessed means
 * not dirty); setting the dirty bit sets the accessed bit.
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

/* Which state bit each access type reports. */
static const u8 type_bit[MSHV_GPAP_ACCESS_TYPE_COUNT] = {
	[MSHV_GPAP_ACCESS_TYPE_ACCESSED] = HV_GPA_PAGE_ACCESSED,
	[MSHV_GPAP_ACCESS_TYPE_DIRTY] = HV_GPA_PAGE_DIRTY,
};

#define SET_BOTH	(HV_GPA_ACCESS_SET_ACCESSED | HV_GPA_ACCESS_SET_DIRTY)

/* What the hypervisor is asked to do, by access type and op. */
static const u64 op_flags[MSHV_GPAP_ACCESS_TYPE_COUNT][MSHV_GPAP_ACCESS_OP_COUNT] = {
	[MSHV_GPAP_ACCESS_TYPE_ACCESSED] = {
		[MSHV_GPAP_ACCESS_OP_NOOP] = HV_GPA_ACCESS_SET_ACCESSED,
		[MSHV_GPAP_ACCESS_OP_CLEAR] = HV_GPA_ACCESS_CLEAR_ACCESSED |
					      HV_GPA_ACCESS_CLEAR_DIRTY,
		[MSHV_GPAP_ACCESS_OP_SET] = HV_GPA_ACCESS_SET_ACCESSED,
	},
	[MSHV_GPAP_ACCESS_TYPE_DIRTY] = {
		[MSHV_GPAP_ACCESS_OP_NOOP] = SET_BOTH,
		[MSHV_GPAP_ACCESS_OP_CLEAR] = HV_GPA_ACCESS_CLEAR_DIRTY,
		[MSHV_GPAP_ACCESS_OP_SET] = SET_BOTH,
	},
};

static bool args_valid(const struct mshv_gpap_access_bitmap *a)
{
	return a->access_type < MSHV_GPAP_ACCESS_TYPE_COUNT &&
	       a->access_op < MSHV_GPAP_ACCESS_OP_COUNT &&
	       !memchr_inv(a->rsvd, 0, sizeof(a->rsvd)) && a->page_count && a->bitmap_ptr;
}

/**
 * mshv_get_gpap_access_bitmap() - one bit per guest page into the VMM's bitmap
 * @pt:   the partition under its lock
 * @uarg: the VMM's struct mshv_gpap_access_bitmap, which says which bit,
 *        what then happens to it, the pages and where the bitmap goes
 *
 * Return: 0 when the bitmap was written, else -errno (this file's top
 * lists them).
 */
long mshv_get_gpap_access_bitmap(struct mshv_pt *pt, void __user *uarg)
{
	struct mshv_gpap_access_bitmap args;
	u64 written, i, bitmap_bytes;
	u8 *states, bit;
	long err;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (!args_valid(&args))
		return -EINVAL;
	bit = type_bit[args.access_type];
	bitmap_bytes = DIV_ROUND_UP(args.page_count, 8);

	/* One state byte per page; the bitmap is built in place over them. */
	states = vzalloc(args.page_count);
	if (!states)
		return -ENOMEM;
	err = hyp_get_gpa_access_states(pt->hv_id, args.page_count, args.gpap_base,
					op_flags[args.access_type][args.access_op], &written,
					states);
	if (err)
		goto out;
	/*
	 * Bit i lands in byte i / 8, whose own state was read at step
	 * i / 8 <= i; every bit of the bitmap is assigned, the unused high
	 * bits of the last byte as 0.
	 */
	for (i = 0; i < bitmap_bytes * 8; i++) {
		bool on = i < written && (states[i] & bit);
		u8 *byte = &states[i / 8];

		*byte = on ? *byte | (u8)(1U << (i % 8)) : *byte & (u8)~(1U << (i % 8));
	}
	if (copy_to_user((void __user *)(uintptr_t)args.bitmap_ptr, states, bitmap_bytes))
		err = -EFAULT;
out:
	vfree(states);
	return err;
}
