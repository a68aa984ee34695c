// SPDX-License-Identifier: MIT
/*
 * MSHV_IRQFD: an eventfd whose signals raise a guest interrupt. Each time
 * the program writes to it, the interrupt its gsi routes to (msi_routing.c)
 * is asserted with AssertVirtualInterrupt -- the vector and APIC id of the
 * route, its delivery mode, trigger and destination mode.
 *
 * Linux's checks, in its order:
 *   the argument unreadable                               -EFAULT
 *   an undefined flag                                     -EINVAL
 * to assign:
 *   fd not open                                           -EBADF
 *   fd not an eventfd                                     -EINVAL
 *   with RESAMPLE: resamplefd not open / not an eventfd   -EBADF / -EINVAL
 *   with RESAMPLE: the interrupt is not level-triggered   -EINVAL
 *   the eventfd already an irqfd of this partition (any gsi) -EBUSY
 * to deassign:
 *   fd not open / not an eventfd                          -EBADF / -EINVAL
 *   (no irqfd with that eventfd and gsi is no error: 0)
 *
 * As in Linux, the level-triggered test comes before the route is looked
 * up, so it sees no route and RESAMPLE is always refused.
 *
 * A signal whose gsi has no route: a gsi past the end of the table (or no
 * table), other than 0, makes no hypercall; Linux drops it silently, this
 * driver writes an "irqfd_dropped" event (with the gsi) into the trace. A
 * gsi inside the table that no entry names, or gsi 0 with no route, is
 * asserted as Linux does: vector 0, APIC id 0, fixed -- which the
 * hypervisor refuses (the refusal is in the trace).
 *
 * Signals are taken from the shim's event loop (eventfd_ctx_watch), one
 * assertion however many writes were counted. The irqfds go when the
 * partition's file is closed.
 */
#include <linux/err.h>
#include <linux/eventfd.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

struct mshv_irqfd {
	struct list_head node;		/* in the partition's irqfds */
	struct mshv_pt *pt;
	struct eventfd_ctx *eventfd;
	struct eventfd_ctx *resamplefd;	/* RESAMPLE only */
	u32 gsi;
	struct mshv_girq_entry route;	/* as the table was at the last change */
	struct mshv_lapic_irq lapic_irq;
};

static void irqfd_update(struct mshv_irqfd *irqfd)
{
	irqfd->route = mshv_girq_lookup(irqfd->pt, irqfd->gsi);
	mshv_girq_to_lapic(&irqfd->route, &irqfd->lapic_irq);
}

/* The program signalled the eventfd (@count times since the last look). */
static void irqfd_signalled(void *data, u64 count __always_unused)
{
	struct mshv_irqfd *irqfd = data;
	struct mshv_pt *pt = irqfd->pt;

	mutex_lock(&pt->lock);
	if (irqfd->route.guest_irq_num && !irqfd->route.valid)
		trace_event_json("irqfd_dropped", pt->hv_id, "\"gsi\":%u", irqfd->gsi);
	else
		hyp_assert_virtual_interrupt(pt->hv_id, &irqfd->lapic_irq);
	mutex_unlock(&pt->lock);
}

static void irqfd_free(struct mshv_irqfd *irqfd)
{
	if (irqfd->resamplefd)
		eventfd_ctx_put(irqfd->resamplefd);
	if (irqfd->eventfd)
		eventfd_ctx_put(irqfd->eventfd);
	kfree(irqfd);
}

static long irqfd_assign(struct mshv_pt *pt, const struct mshv_user_irqfd *args)
{
	struct mshv_irqfd *irqfd, *other;
	long err;

	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL);
	if (!irqfd)
		return -ENOMEM;
	irqfd->pt = pt;
	irqfd->gsi = args->gsi;

	irqfd->eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(irqfd->eventfd)) {
		err = PTR_ERR(irqfd->eventfd);
		irqfd->eventfd = NULL;
		goto fail;
	}
	if (args->flags & BIT(MSHV_IRQFD_BIT_RESAMPLE)) {
		irqfd->resamplefd = eventfd_ctx_fdget(args->resamplefd);
		if (IS_ERR(irqfd->resamplefd)) {
			err = PTR_ERR(irqfd->resamplefd);
			irqfd->resamplefd = NULL;
			goto fail;
		}
		/* The route is not looked up yet: this always refuses, as in Linux. */
		if (!(irqfd->lapic_irq.control & HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED)) {
			err = -EINVAL;
			goto fail;
		}
	}
	list_for_each_entry(other, &pt->irqfds, node) {
		if (eventfd_ctx_same(other->eventfd, irqfd->eventfd)) {
			err = -EBUSY;
			goto fail;
		}
	}

	irqfd_update(irqfd);
	err = eventfd_ctx_watch(irqfd->eventfd, irqfd_signalled, irqfd);
	if (err)
		goto fail;
	list_add(&irqfd->node, &pt->irqfds);
	return 0;

fail:
	irqfd_free(irqfd);
	return err;
}

static long irqfd_deassign(struct mshv_pt *pt, const struct mshv_user_irqfd *args)
{
	struct eventfd_ctx *eventfd = eventfd_ctx_fdget(args->fd);
	struct mshv_irqfd *irqfd, *n;

	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);
	list_for_each_entry_safe(irqfd, n, &pt->irqfds, node) {
		if (irqfd->gsi != args->gsi || !eventfd_ctx_same(irqfd->eventfd, eventfd))
			continue;
		list_del(&irqfd->node);
		irqfd_free(irqfd);
	}
	eventfd_ctx_put(eventfd);
	return 0;
}

/**
 * mshv_irqfd() - MSHV_IRQFD: an eventfd made an irqfd, or no longer one
 * @pt:   the partition (locked by its file's ioctl)
 * @uarg: the user's struct mshv_user_irqfd
 *
 * Return: 0 or -errno; the errnos and their order are listed above.
 */
long mshv_irqfd(struct mshv_pt *pt, void __user *uarg)
{
	struct mshv_user_irqfd args;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~MSHV_IRQFD_FLAGS_MASK)
		return -EINVAL;
	if (args.flags & BIT(MSHV_IRQFD_BIT_DEASSIGN))
		return irqfd_deassign(pt, &args);
	return irqfd_assign(pt, &args);
}

/**
 * mshv_irqfd_routing_update() - every irqfd takes its route from the new table
 * @pt: the partition, locked
 */
void mshv_irqfd_routing_update(struct mshv_pt *pt)
{
	struct mshv_irqfd *irqfd;

	list_for_each_entry(irqfd, &pt->irqfds, node)
		irqfd_update(irqfd);
}

/**
 * mshv_irqfd_release() - the partition's file is closing: no more irqfds
 * @pt: the partition
 */
void mshv_irqfd_release(struct mshv_pt *pt)
{
	struct mshv_irqfd *irqfd, *n;

	list_for_each_entry_safe(irqfd, n, &pt->irqfds, node) {
		list_del(&irqfd->node);
		irqfd_free(irqfd);
	}
}
