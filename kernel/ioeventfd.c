// SPDX-License-Identifier: MIT
/*
 * MSHV_IOEVENTFD: an eventfd a guest's write to an MMIO address signals,
 * without a trip through the VMM. Assigning one registers a doorbell with
 * the hypervisor (doorbell.c): the address, the write width that counts
 * (or any), and the value that must be written (or any). No guest runs
 * here, so no doorbell ever rings and the eventfd is never signalled.
 *
 * Linux's checks, in its order:
 *   the argument unreadable                               -EFAULT
 *   an undefined flag, a reserved byte set                -EINVAL
 *   PIO (port I/O is not implemented)                     -EOPNOTSUPP
 * to assign:
 *   a width other than 0 (any), 1, 2, 4 or 8              -EINVAL
 *   address + width wrapping around                       -EINVAL
 *   fd not open / not an eventfd                          -EBADF / -EINVAL
 *   one with the same address and width whose value matches (either
 *   takes any value, or both the same one)                -EEXIST
 *   the hypervisor refuses the doorbell                   its errno
 * to deassign:
 *   fd not open / not an eventfd                          -EBADF / -EINVAL
 *   none with that eventfd, address, width, DATAMATCH flag and (with it)
 *   value                                                 -ENOENT
 *
 * As in Linux, a width of 0 with DATAMATCH is accepted (the doorbell
 * matches a write of any width carrying the value), and only identical
 * address and width collide: overlapping ranges do not.
 */
#include <linux/err.h>
#include <linux/eventfd.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

struct mshv_ioeventfd {
	struct list_head node;		/* in the partition's ioeventfds */
	struct eventfd_ctx *eventfd;
	u64 addr;
	u32 length;
	bool wildcard;			/* any value rings it */
	u64 datamatch;
	int doorbell_id;
};

/* The widths a doorbell can watch for, and the doorbell's flag for each. */
static const struct {
	u32 len;
	u64 trigger;
} widths[] = {
	{ 0, HV_DOORBELL_FLAG_TRIGGER_SIZE_ANY },
	{ 1, HV_DOORBELL_FLAG_TRIGGER_SIZE_BYTE },
	{ 2, HV_DOORBELL_FLAG_TRIGGER_SIZE_WORD },
	{ 4, HV_DOORBELL_FLAG_TRIGGER_SIZE_DWORD },
	{ 8, HV_DOORBELL_FLAG_TRIGGER_SIZE_QWORD },
};

static void ioeventfd_release(struct mshv_pt *pt, struct mshv_ioeventfd *p)
{
	mshv_unregister_doorbell(pt->hv_id, p->doorbell_id);
	eventfd_ctx_put(p->eventfd);
	kfree(p);
}

static bool collides(struct mshv_pt *pt, const struct mshv_ioeventfd *p)
{
	struct mshv_ioeventfd *other;

	list_for_each_entry(other, &pt->ioeventfds, node)
		if (other->addr == p->addr && other->length == p->length &&
		    (other->wildcard || p->wildcard || other->datamatch == p->datamatch))
			return true;
	return false;
}

static long ioeventfd_assign(struct mshv_pt *pt, const struct mshv_user_ioeventfd *args)
{
	struct mshv_ioeventfd *p;
	u64 flags = 0;
	size_t i;
	long ret;

	for (i = 0; i < ARRAY_SIZE(widths); i++)
		if (widths[i].len == args->len)
			break;
	if (i == ARRAY_SIZE(widths))
		return -EINVAL;
	flags = widths[i].trigger;
	if (args->addr + args->len < args->addr)
		return -EINVAL;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(p->eventfd)) {
		ret = PTR_ERR(p->eventfd);
		kfree(p);
		return ret;
	}
	p->addr = args->addr;
	p->length = args->len;
	if (args->flags & BIT(MSHV_IOEVENTFD_BIT_DATAMATCH)) {
		p->datamatch = args->datamatch;
	} else {
		p->wildcard = true;
		flags |= HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE;
	}
	if (collides(pt, p)) {
		ret = -EEXIST;
		goto fail;
	}
	ret = mshv_register_doorbell(pt->hv_id, p->addr, p->datamatch, flags);
	if (ret < 0)
		goto fail;
	p->doorbell_id = (int)ret;
	list_add(&p->node, &pt->ioeventfds);
	return 0;

fail:
	eventfd_ctx_put(p->eventfd);
	kfree(p);
	return ret;
}

static long ioeventfd_deassign(struct mshv_pt *pt, const struct mshv_user_ioeventfd *args)
{
	bool wildcard = !(args->flags & BIT(MSHV_IOEVENTFD_BIT_DATAMATCH));
	struct eventfd_ctx *eventfd = eventfd_ctx_fdget(args->fd);
	struct mshv_ioeventfd *p;
	long ret = -ENOENT;

	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);
	list_for_each_entry(p, &pt->ioeventfds, node) {
		if (!eventfd_ctx_same(p->eventfd, eventfd) || p->addr != args->addr ||
		    p->length != args->len || p->wildcard != wildcard ||
		    (!p->wildcard && p->datamatch != args->datamatch))
			continue;
		list_del(&p->node);
		ioeventfd_release(pt, p);
		ret = 0;
		break;
	}
	eventfd_ctx_put(eventfd);
	return ret;
}

/* What refuses a request before assign or deassign look at it: 0 or -errno. */
static long ioeventfd_refusal(const struct mshv_user_ioeventfd *args)
{
	if ((args->flags & ~MSHV_IOEVENTFD_FLAGS_MASK) ||
	    memchr_inv(args->rsvd, 0, sizeof(args->rsvd)))
		return -EINVAL;
	return args->flags & BIT(MSHV_IOEVENTFD_BIT_PIO) ? -EOPNOTSUPP : 0;
}

/**
 * mshv_ioeventfd() - assign or deassign one of the partition's ioeventfds
 * @pt:   the partition, whose lock the caller holds
 * @uarg: the VMM's struct mshv_user_ioeventfd (DEASSIGN in its flags says which)
 *
 * Return: 0, or -errno as listed at the top of this file.
 */
long mshv_ioeventfd(struct mshv_pt *pt, void __user *uarg)
{
	struct mshv_user_ioeventfd args;
	long err = copy_from_user(&args, uarg, sizeof(args)) ? -EFAULT : ioeventfd_refusal(&args);

	if (err)
		return err;
	return args.flags & BIT(MSHV_IOEVENTFD_BIT_DEASSIGN) ? ioeventfd_deassign(pt, &args) :
							      ioeventfd_assign(pt, &args);
}

/**
 * mshv_ioeventfd_release() - the partition's file is closing: no more ioeventfds
 * @pt: the partition
 */
void mshv_ioeventfd_release(struct mshv_pt *pt)
{
	struct mshv_ioeventfd *p, *n;

	list_for_each_entry_safe(p, n, &pt->ioeventfds, node) {
		list_del(&p->node);
		ioeventfd_release(pt, p);
	}
}
