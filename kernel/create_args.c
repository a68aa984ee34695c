// SPDX-License-Identifier: MIT
/*
 * The argument of MSHV_CREATE_PARTITION, from user memory to a request for
 * the hypervisor.
 *
 * One ioctl number serves two layouts. Every caller passes at least the
 * 16-byte header (flags and isolation); a caller that sets
 * MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES in the flags passes the 64-byte
 * struct mshv_create_partition_v2, whose feature banks name what the guest
 * must NOT get. Without that bit the guest is offered everything and the
 * hypervisor leaves out what the host cannot do.
 *
 * The header is fetched on its own first, so that an old caller whose
 * 16 bytes end at the end of a mapping still works. The v2 struct is then
 * fetched whole, and because the caller can change memory between the two
 * fetches, every rule is applied again to what the second fetch returned;
 * nothing from the first fetch is used after that.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

/* The struct has room for exactly the banks CreatePartition carries. */
static_assert(MSHV_NUM_CPU_FEATURES_BANKS == HV_PARTITION_PROCESSOR_FEATURES_BANKS,
	      "v2 banks and CreatePartition banks must match one to one");

/*
 * The hypervisor flag each pt_flags bit asks for. The CPU-feature bit has
 * none: it only says which layout the caller passed.
 */
static const u64 pt_bit_to_hv_flag[MSHV_PT_BIT_COUNT] = {
	[MSHV_PT_BIT_LAPIC] = HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED,
	[MSHV_PT_BIT_X2APIC] = HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE,
	[MSHV_PT_BIT_GPA_SUPER_PAGES] = HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES_ENABLED,
	[MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES] = 0,
	[MSHV_PT_BIT_NESTED_VIRTUALIZATION] =
		HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE,
	[MSHV_PT_BIT_SMT_ENABLED_GUEST] = HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST,
};

/*
 * Every partition this driver makes is an exo partition (its VPs are run
 * by a user-space VMM) and gets intercepts through the message page.
 */
#define MSHV_BASE_CREATION_FLAGS \
	(HV_PARTITION_CREATION_FLAG_EXO_PARTITION | \
	 HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE_ENABLED)

/* Flags this release knows, and an isolation type it supports. */
static bool create_header_valid(u64 pt_flags, u64 pt_isolation)
{
	if (pt_flags & ~mshv_pt_flags_mask())
		return false;
	return pt_isolation < MSHV_PT_ISOLATION_COUNT;
}

static u64 creation_flags_for(u64 pt_flags)
{
	u64 hv_flags = MSHV_BASE_CREATION_FLAGS;
	unsigned int bit;

	for (bit = 0; bit < MSHV_PT_BIT_COUNT; bit++)
		if (pt_flags & BIT_ULL(bit))
			hv_flags |= pt_bit_to_hv_flag[bit];
	return hv_flags;
}

static bool all_zero(const void *p, size_t len)
{
	return memchr_inv(p, 0, len) == NULL;
}

/*
 * Second fetch: the whole v2 struct. On success @v2 holds what the
 * caller's memory held at that moment, checked as a whole.
 */
static long fetch_v2(const void __user *uarg, struct mshv_create_partition_v2 *v2)
{
	if (copy_from_user(v2, uarg, sizeof(*v2)))
		return -EFAULT;

	if (!create_header_valid(v2->pt_flags, v2->pt_isolation))
		return -EINVAL;
	if (v2->pt_num_cpu_fbanks != MSHV_NUM_CPU_FEATURES_BANKS)
		return -EINVAL;
	if (!all_zero(v2->pt_rsvd, sizeof(v2->pt_rsvd)) ||
	    !all_zero(v2->pt_rsvd1, sizeof(v2->pt_rsvd1)))
		return -EINVAL;
#ifndef CONFIG_X86_64
	/* Only x86_64 has an xsave word; elsewhere those bytes are reserved. */
	if (v2->pt_rsvd2)
		return -EINVAL;
#endif
	return 0;
}

/**
 * mshv_read_create_args() - check MSHV_CREATE_PARTITION's argument
 * @uarg: the caller's struct mshv_create_partition or _v2
 * @req:  filled with what to ask the hypervisor for, on success
 *
 * Banks and xsave mask are passed on exactly as given: which features
 * exist, and which depend on which, is for the hypervisor to judge.
 *
 * Return: 0, -EFAULT if the argument cannot be read, or -EINVAL if it
 * breaks a rule of the ABI level this kernel implements.
 */
long mshv_read_create_args(const void __user *uarg, struct mshv_create_request *req)
{
	struct mshv_create_partition_v2 args;
	u64 pt_flags;
	long err;

	/* First fetch: the header every layout starts with. */
	if (copy_from_user(&args, uarg, sizeof(struct mshv_create_partition)))
		return -EFAULT;
	if (!create_header_valid(args.pt_flags, args.pt_isolation))
		return -EINVAL;

	memset(&req->props, 0, sizeof(req->props));
	if (args.pt_flags & BIT_ULL(MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES)) {
		unsigned int bank;

		err = fetch_v2(uarg, &args);
		if (err)
			return err;
		for (bank = 0; bank < MSHV_NUM_CPU_FEATURES_BANKS; bank++)
			req->props.disabled_processor_features.as_uint64[bank] =
				args.pt_cpu_fbanks[bank];
#ifdef CONFIG_X86_64
		req->props.disabled_processor_xsave_features.as_uint64 =
			args.pt_disabled_xsave;
#endif
	}
	/* From here on only the last fetch counts. */
	pt_flags = args.pt_flags;

	req->hv_flags = creation_flags_for(pt_flags);
	req->isolation.as_uint64 = HV_PARTITION_ISOLATION_TYPE_NONE << HV_ISOLATION_TYPE_SHIFT;
	return 0;
}
