/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: pages. The simulated kernel lives in this process and its
 * physical address space is the process's address space: the frame number
 * of a byte is its address shifted right by PAGE_SHIFT. The hypervisor
 * model (hv/) reaches a frame a hypercall names the same way.
 */
#ifndef _SHIM_LINUX_MM_H
#define _SHIM_LINUX_MM_H

#include <linux/types.h>
#include <linux/slab.h>

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_ALIGNED(addr)	(((unsigned long)(addr) & (PAGE_SIZE - 1)) == 0)
#define PFN_DOWN(x)		((unsigned long)(x) >> PAGE_SHIFT)

static inline u64 virt_to_pfn(const void *addr)
{
	return (u64)(uintptr_t)addr >> PAGE_SHIFT;
}

/* Page-aligned, zeroed memory of @size bytes (rounded up to pages), or NULL. */
void *alloc_pages_exact(size_t size, gfp_t gfp_mask);
void free_pages_exact(void *virt, size_t size);

#endif
