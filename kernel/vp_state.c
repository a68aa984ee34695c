// SPDX-License-Identifier: MIT
/*
 * MSHV_GET_VP_STATE and MSHV_SET_VP_STATE: one of a VP's state components
 * (its local APIC, XSAVE image, SynIC message page, SynIC event flags page
 * or synthetic timers) between the hypervisor and a VMM's buffer.
 *
 * The argument {type, 3 reserved bytes, buf_sz, buf_ptr} names the
 * component and a buffer of whole pages at a page boundary. The driver
 * tells the caller the component's size in buf_sz (on every path past the
 * argument checks, even when the call then fails) and refuses a smaller
 * buffer. Checks, in the order Linux makes them:
 *
 *   the argument cannot be read                          -EFAULT
 *   type >= MSHV_VP_STATE_COUNT, a reserved byte set, buf_sz 0 or not a
 *   multiple of the page size, buf_ptr not page aligned  -EINVAL
 *   the buffer is not within user space                  -EFAULT
 *   (XSAVE) reading the partition's XSAVE states and size fails: its errno
 *   buf_sz cannot be written back                        -EFAULT
 *   the component is larger than buf_sz                  -EINVAL
 *   a page of the buffer is not there                    -EFAULT
 *   more pages than one hypercall can name               -EINVAL
 *   the hypervisor refuses                               its status's errno
 *
 * The large components travel in pages. Linux pins the caller's pages and
 * lets the hypervisor read or write them; this driver lends the hypervisor
 * pages of its own, filled from the whole buffer before the call and, for
 * a get, copied back whole after it, so the caller ends up with the same
 * bytes (its memory may belong to another process, reachable only by
 * copying). What differs: Linux pins for writing, so a read-only buffer
 * fails with -EFAULT before the hypercall; here a get finds out when it
 * copies back (-EFAULT after the hypercall) and a set does not mind. The
 * synthetic timers travel in the hypercall pages themselves.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

/*
 * What to ask the hypervisor for @type, and how many bytes it is. The
 * XSAVE image holds the partition's states (always with x87 and SSE) and
 * is as large as the partition says an XSAVE area can be.
 */
static int vp_state_request(struct mshv_vcpu *vcpu, u8 type, struct hv_vp_state_data *state,
			    u32 *data_sz)
{
	u64 states, size;
	int err;

	memset(state, 0, sizeof(*state));
	switch (type) {
	case MSHV_VP_STATE_LAPIC:
		state->type = HV_GET_SET_VP_STATE_LAPIC_STATE;
		*data_sz = HV_HYP_PAGE_SIZE;
		return 0;
	case MSHV_VP_STATE_XSAVE:
		err = hyp_get_partition_property(vcpu->owner->hv_id,
						 HV_PARTITION_PROPERTY_XSAVE_STATES, &states);
		if (err)
			return err;
		err = hyp_get_partition_property(vcpu->owner->hv_id,
						 HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE, &size);
		if (err)
			return err;
		state->type = HV_GET_SET_VP_STATE_XSAVE;
		state->xsave_states = states | HV_XSAVE_STATE_LEGACY_X87 |
				      HV_XSAVE_STATE_LEGACY_SSE;
		*data_sz = (u32)size;
		return 0;
	case MSHV_VP_STATE_SIMP:
		state->type = HV_GET_SET_VP_STATE_SIM_PAGE;
		*data_sz = HV_HYP_PAGE_SIZE;
		return 0;
	case MSHV_VP_STATE_SIEFP:
		state->type = HV_GET_SET_VP_STATE_SIEF_PAGE;
		*data_sz = HV_HYP_PAGE_SIZE;
		return 0;
	case MSHV_VP_STATE_SYNTHETIC_TIMERS:
		state->type = HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS;
		*data_sz = sizeof(struct hv_synthetic_timers_state);
		return 0;
	default:
		return -EINVAL;
	}
}

/* Whether every page of @count at @buf is there, a page at a time. */
static int user_pages_present(const void __user *buf, u32 count)
{
	void *scratch = alloc_pages_exact(PAGE_SIZE, GFP_KERNEL);
	int err = 0;
	u32 i;

	if (!scratch)
		return -ENOMEM;
	for (i = 0; i < count && !err; i++)
		if (copy_from_user(scratch, (const char __user *)buf + (size_t)i * PAGE_SIZE,
				   PAGE_SIZE))
			err = -EFAULT;
	free_pages_exact(scratch, PAGE_SIZE);
	return err;
}

/* A component that travels in @count pages, through pages of the driver's. */
static long vp_state_by_pages(struct mshv_vcpu *vcpu, const struct hv_vp_state_data *state,
			      void __user *buf, u32 count, bool set)
{
	size_t len = (size_t)count * PAGE_SIZE;
	void *pages;
	long ret;

	if (count > HV_VP_STATE_BATCH_SIZE) {
		ret = user_pages_present(buf, count);
		return ret ? ret : -EINVAL;
	}
	pages = alloc_pages_exact(len, GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	if (copy_from_user(pages, buf, len)) {
		ret = -EFAULT;
		goto out;
	}
	if (set) {
		ret = hyp_set_vp_state(vcpu->owner->hv_id, vcpu->index, state, count, pages,
				       NULL, 0);
	} else {
		ret = hyp_get_vp_state(vcpu->owner->hv_id, vcpu->index, state, count, pages,
				       NULL);
		if (!ret && copy_to_user(buf, pages, len))
			ret = -EFAULT;
	}
out:
	free_pages_exact(pages, len);
	return ret;
}

/* A component that travels in the hypercall pages: @data_sz bytes. */
static long vp_state_inline(struct mshv_vcpu *vcpu, const struct hv_vp_state_data *state,
			    void __user *buf, u32 data_sz, bool set)
{
	union hv_output_get_vp_state data;
	int err;

	if (data_sz > sizeof(data))
		return -EINVAL;
	if (set) {
		if (copy_from_user(&data, buf, data_sz))
			return -EFAULT;
		return hyp_set_vp_state(vcpu->owner->hv_id, vcpu->index, state, 0, NULL, &data,
					sizeof(data));
	}
	err = hyp_get_vp_state(vcpu->owner->hv_id, vcpu->index, state, 0, NULL, &data);
	if (err)
		return err;
	if (copy_to_user(buf, &data, data_sz))
		return -EFAULT;
	return 0;
}

/**
 * mshv_vp_state_ioctl() - carry out MSHV_GET_VP_STATE or MSHV_SET_VP_STATE
 * @vcpu: the VP, its lock held by the caller
 * @uarg: the caller's struct mshv_get_set_vp_state
 * @set:  true for MSHV_SET_VP_STATE
 *
 * Return: 0, or a negative errno as the comment at the top of this file
 * lists them.
 */
long mshv_vp_state_ioctl(struct mshv_vcpu *vcpu, void __user *uarg, bool set)
{
	struct mshv_get_set_vp_state __user *user_args = uarg;
	struct mshv_get_set_vp_state args;
	struct hv_vp_state_data state;
	void __user *buf;
	u32 data_sz;
	int err;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.type >= MSHV_VP_STATE_COUNT || memchr_inv(args.rsvd, 0, sizeof(args.rsvd)) ||
	    !args.buf_sz || !PAGE_ALIGNED(args.buf_sz) || !PAGE_ALIGNED(args.buf_ptr))
		return -EINVAL;
	buf = (void __user *)(uintptr_t)args.buf_ptr;
	if (!access_ok(buf, args.buf_sz))
		return -EFAULT;

	err = vp_state_request(vcpu, args.type, &state, &data_sz);
	if (err)
		return err;
	if (copy_to_user(&user_args->buf_sz, &data_sz, sizeof(user_args->buf_sz)))
		return -EFAULT;
	if (data_sz > args.buf_sz)
		return -EINVAL;

	if (state.type & HV_GET_SET_VP_STATE_TYPE_PFN)
		return vp_state_by_pages(vcpu, &state, buf, args.buf_sz >> PAGE_SHIFT, set);
	return vp_state_inline(vcpu, &state, buf, data_sz, set);
}
