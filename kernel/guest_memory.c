// SPDX-License-Identifier: MIT
/*
 * MSHV_SET_GUEST_MEMORY: a partition's guest memory, region by region.
 *
 * Mapping a region pins the caller's pages behind it and has the
 * hypervisor map the guest frames to them (MapGpaPages, readable and
 * adjustable, writable and executable as asked); unmapping takes the
 * frames away (UnmapGpaPages) and unpins. Linux's checks, in its order:
 *
 *   the argument unreadable                              -EFAULT
 *   size 0 or not page-aligned, address not page-aligned, an undefined
 *   flag, a reserved byte set                            -EINVAL
 * then, to unmap:
 *   no region holds guest_pfn, or the one that does is not exactly this
 *   one (address, frame, size)                           -EINVAL
 * and to map:
 *   the range outside user space, no mapping at its first address -EINVAL
 *   a region already holds its first or last guest frame, or its first
 *   or last byte (only the ends are looked at)           -EEXIST
 *   a 256 MiB batch of it whose first page cannot be pinned (not mapped,
 *   or not writable)                                     -EFAULT
 *   one that can be pinned only in part                  -ENOMEM
 *   the hypervisor refuses the map                       its errno
 *
 * The shim's pins are checks of the caller's mappings, and a pinned page's
 * frame is its address >> PAGE_SHIFT, so a region keeps no page array
 * (Linux keeps a page pointer per page). Failures of an unmap are ignored,
 * as Linux does (the process may be exiting). When the partition goes, its
 * regions are dropped without UnmapGpaPages: FinalizePartition and
 * DeletePartition take the mappings down.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

/* Pages one pin covers (Linux batches them: a long-term pin allocates). */
#define PIN_PAGES_BATCH		(0x10000000UL / PAGE_SIZE)

struct mshv_mem_region {
	struct list_head node;		/* in the partition's regions */
	u64 start_gfn;
	u64 nr_pages;
	u64 start_uaddr;
	u32 hv_map_flags;
};

static bool size_zero(const struct mshv_user_mem_region *m)
{
	return !m->size;
}

static bool size_unaligned(const struct mshv_user_mem_region *m)
{
	return !PAGE_ALIGNED(m->size);
}

static bool address_unaligned(const struct mshv_user_mem_region *m)
{
	return !PAGE_ALIGNED(m->userspace_addr);
}

static bool flags_undefined(const struct mshv_user_mem_region *m)
{
	return m->flags & ~MSHV_SET_MEM_FLAGS_MASK;
}

static bool reserved_set(const struct mshv_user_mem_region *m)
{
	return memchr_inv(m->rsvd, 0, sizeof(m->rsvd));
}

/* What every request must satisfy, map or unmap, in Linux's order. */
static bool (*const refused[])(const struct mshv_user_mem_region *m) = {
	size_zero, size_unaligned, address_unaligned, flags_undefined, reserved_set,
};

/* The hypervisor's access for the uapi's flags: always readable and adjustable. */
static const struct {
	unsigned int bit;
	u32 hv_flag;
} access[] = {
	{ MSHV_SET_MEM_BIT_WRITABLE, HV_MAP_GPA_WRITABLE },
	{ MSHV_SET_MEM_BIT_EXECUTABLE, HV_MAP_GPA_EXECUTABLE },
};

static struct mshv_mem_region *region_by_gfn(struct mshv_pt *pt, u64 gfn)
{
	struct mshv_mem_region *r;

	list_for_each_entry(r, &pt->regions, node)
		if (gfn >= r->start_gfn && gfn - r->start_gfn < r->nr_pages)
			return r;
	return NULL;
}

static struct mshv_mem_region *region_by_uaddr(struct mshv_pt *pt, u64 uaddr)
{
	struct mshv_mem_region *r;

	list_for_each_entry(r, &pt->regions, node)
		if (uaddr >= r->start_uaddr && uaddr - r->start_uaddr < r->nr_pages * PAGE_SIZE)
			return r;
	return NULL;
}

/* Linux looks at the new region's ends only: one inside both ends is let in. */
static bool overlaps(struct mshv_pt *pt, const struct mshv_user_mem_region *m)
{
	u64 pages = m->size / PAGE_SIZE;

	return region_by_gfn(pt, m->guest_pfn) || region_by_gfn(pt, m->guest_pfn + pages - 1) ||
	       region_by_uaddr(pt, m->userspace_addr) ||
	       region_by_uaddr(pt, m->userspace_addr + m->size - 1);
}

/* Every page behind the region, pinned batch by batch: 0 or -errno. */
static long pin_region(const struct mshv_mem_region *r)
{
	u64 done;

	for (done = 0; done < r->nr_pages; done += PIN_PAGES_BATCH) {
		u64 want = min_t(u64, r->nr_pages - done, PIN_PAGES_BATCH);
		long got = pin_user_pages_fast(r->start_uaddr + done * PAGE_SIZE, want,
					       FOLL_WRITE | FOLL_LONGTERM, NULL);

		if (got < 0)
			return got;
		if ((u64)got != want)
			return -ENOMEM;
	}
	return 0;
}

static long map_region(struct mshv_pt *pt, const struct mshv_user_mem_region *m)
{
	struct mshv_mem_region *r;
	struct vm_area_struct vma;
	size_t i;
	long err;

	if (!access_ok((const void __user *)(uintptr_t)m->userspace_addr, m->size))
		return -EINVAL;
	if (!vma_lookup_user(m->userspace_addr, &vma))
		return -EINVAL;
	if (overlaps(pt, m))
		return -EEXIST;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	r->start_gfn = m->guest_pfn;
	r->nr_pages = m->size / PAGE_SIZE;
	r->start_uaddr = m->userspace_addr;
	r->hv_map_flags = HV_MAP_GPA_READABLE | HV_MAP_GPA_ADJUSTABLE;
	for (i = 0; i < ARRAY_SIZE(access); i++)
		if (m->flags & BIT(access[i].bit))
			r->hv_map_flags |= access[i].hv_flag;

	err = pin_region(r);
	if (!err)
		err = hyp_map_gpa_pages(pt->hv_id, r->start_gfn, r->nr_pages, r->hv_map_flags,
					user_page_pfn(r->start_uaddr));
	if (err) {
		kfree(r);
		return err;
	}
	list_add(&r->node, &pt->regions);
	return 0;
}

static long unmap_region(struct mshv_pt *pt, const struct mshv_user_mem_region *m)
{
	struct mshv_mem_region *r = region_by_gfn(pt, m->guest_pfn);

	if (!r || r->start_uaddr != m->userspace_addr || r->start_gfn != m->guest_pfn ||
	    r->nr_pages != m->size / PAGE_SIZE)
		return -EINVAL;
	list_del(&r->node);
	hyp_unmap_gpa_pages(pt->hv_id, r->start_gfn, r->nr_pages, 0);
	kfree(r);
	return 0;
}

/**
 * mshv_set_guest_memory() - map a region of guest memory, or unmap one
 * @pt:   the partition; the caller holds its lock
 * @uarg: the VMM's struct mshv_user_mem_region (UNMAP in its flags to unmap)
 *
 * Return: 0; else the errno of the first failed check (top of this file).
 */
long mshv_set_guest_memory(struct mshv_pt *pt, void __user *uarg)
{
	struct mshv_user_mem_region m;
	size_t i;

	if (copy_from_user(&m, uarg, sizeof(m)))
		return -EFAULT;
	for (i = 0; i < ARRAY_SIZE(refused); i++)
		if (refused[i](&m))
			return -EINVAL;
	if (m.flags & BIT(MSHV_SET_MEM_BIT_UNMAP))
		return unmap_region(pt, &m);
	return map_region(pt, &m);
}

/**
 * mshv_guest_memory_free() - forget a dying partition's regions
 * @pt: the partition, no longer in the hypervisor's hands
 */
void mshv_guest_memory_free(struct mshv_pt *pt)
{
	struct mshv_mem_region *r, *n;

	list_for_each_entry_safe(r, n, &pt->regions, node) {
		list_del(&r->node);
		kfree(r);
	}
}
