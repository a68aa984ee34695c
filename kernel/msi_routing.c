// SPDX-License-Identifier: MIT
/*
 * MSHV_SET_MSI_ROUTING: the table that says where each guest interrupt
 * number (gsi) goes, as an MSI's address and data. Every call replaces the
 * whole table (nr 0 empties it) and the irqfds take their new routes at
 * once. Linux's checks, in its order:
 *
 *   the header unreadable, or the entries                -EFAULT
 *   more than 4096 entries, the reserved word set        -EINVAL
 *   an entry's gsi 4096 or more, its address_hi set,
 *   two entries for one gsi                              -EINVAL
 *
 * The table is indexed by gsi, as long as the largest gsi needs. A gsi
 * past its end (or with no table) looks up as an invalid entry that keeps
 * its number; a gsi inside it that no entry names looks up as all zero --
 * the difference matters to irqfd.c, as it does in Linux.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

/* The most routes a table holds, and the first gsi too large for one. */
#define MSHV_MAX_GUEST_IRQS	4096

struct mshv_girq_table {
	u32 num_entries;
	struct mshv_girq_entry entries[];	/* by gsi */
};

/*
 * The MSI fields a route is decoded from: the x86 APIC's MSI format (the
 * arm64 build of this driver serves the create path's tests only).
 */
#define MSI_DATA_VECTOR(d)		((d) & 0xFF)
#define MSI_DATA_DELIVERY_MODE(d)	(((d) >> 8) & 0x7)
#define MSI_DATA_LEVEL_TRIGGERED(d)	(((d) >> 15) & 0x1)
#define MSI_ADDR_DEST_ID(a)		(((a) >> 12) & 0xFF)
#define MSI_ADDR_LOGICAL(a)		(((a) >> 2) & 0x1)

/* The new table for @n checked entries, or an ERR_PTR. */
static struct mshv_girq_table *table_of(const struct mshv_user_irq_entry *ue, u32 n)
{
	struct mshv_girq_table *t;
	u32 i, largest = 0;

	for (i = 0; i < n; i++) {
		if (ue[i].gsi >= MSHV_MAX_GUEST_IRQS || ue[i].address_hi)
			return ERR_PTR(-EINVAL);
		largest = ue[i].gsi > largest ? ue[i].gsi : largest;
	}
	t = kzalloc(sizeof(*t) + (largest + 1) * sizeof(t->entries[0]), GFP_KERNEL_ACCOUNT);
	if (!t)
		return ERR_PTR(-ENOMEM);
	t->num_entries = largest + 1;
	for (i = 0; i < n; i++) {
		struct mshv_girq_entry *e = &t->entries[ue[i].gsi];

		/* One route per gsi. */
		if (e->valid) {
			kfree(t);
			return ERR_PTR(-EINVAL);
		}
		*e = (struct mshv_girq_entry){
			.guest_irq_num = ue[i].gsi,
			.address_lo = ue[i].address_lo,
			.address_hi = ue[i].address_hi,
			.data = ue[i].data,
			.valid = true,
		};
	}
	return t;
}

/**
 * mshv_set_msi_routing() - replace the whole MSI routing table
 * @pt:   the partition (its lock held)
 * @uarg: the table: a struct mshv_user_irq_table, its entries after it
 *
 * Return: 0, or -EFAULT/-EINVAL/-ENOMEM with the old table left in place.
 */
long mshv_set_msi_routing(struct mshv_pt *pt, void __user *uarg)
{
	struct mshv_user_irq_table args;
	struct mshv_user_irq_entry *entries = NULL;
	struct mshv_girq_table *t = NULL;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.nr > MSHV_MAX_GUEST_IRQS || args.rsvd)
		return -EINVAL;
	if (args.nr) {
		size_t bytes = (size_t)args.nr * sizeof(*entries);

		entries = kzalloc(bytes, GFP_KERNEL);
		if (!entries)
			return -ENOMEM;
		if (copy_from_user(entries, (const char __user *)uarg + sizeof(args), bytes)) {
			kfree(entries);
			return -EFAULT;
		}
		t = table_of(entries, args.nr);
		kfree(entries);
		if (IS_ERR(t))
			return PTR_ERR(t);
	}
	kfree(pt->girq_table);
	pt->girq_table = t;
	mshv_irqfd_routing_update(pt);
	return 0;
}

/**
 * mshv_girq_lookup() - the route of @gsi
 * @pt:  the partition
 * @gsi: a guest interrupt number
 *
 * Return: the table's entry; past the table's end (or with none), an
 * invalid entry that keeps @gsi as its number.
 */
struct mshv_girq_entry mshv_girq_lookup(const struct mshv_pt *pt, u32 gsi)
{
	struct mshv_girq_entry none = { .guest_irq_num = gsi };

	if (!pt->girq_table || gsi >= pt->girq_table->num_entries)
		return none;
	return pt->girq_table->entries[gsi];
}

/**
 * mshv_girq_to_lapic() - what AssertVirtualInterrupt takes for a route
 * @entry: the route
 * @irq:   its vector, destination APIC id and control; all zero for an
 *         invalid route
 */
void mshv_girq_to_lapic(const struct mshv_girq_entry *entry, struct mshv_lapic_irq *irq)
{
	memset(irq, 0, sizeof(*irq));
	if (!entry->valid)
		return;
	irq->vector = MSI_DATA_VECTOR(entry->data);
	irq->apic_id = MSI_ADDR_DEST_ID(entry->address_lo);
	irq->control = MSI_DATA_DELIVERY_MODE(entry->data) |
		       (MSI_DATA_LEVEL_TRIGGERED(entry->data) ?
			HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED : 0) |
		       (MSI_ADDR_LOGICAL(entry->address_lo) ? HV_INTERRUPT_CONTROL_LOGICAL_DEST : 0);
}

/**
 * mshv_girq_table_free() - drop a dying partition's routes
 * @pt: the partition
 */
void mshv_girq_table_free(struct mshv_pt *pt)
{
	kfree(pt->girq_table);
	pt->girq_table = NULL;
}
