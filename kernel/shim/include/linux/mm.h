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

static inline void *pfn_to_virt(u64 pfn)
{
	return (void *)(uintptr_t)(pfn << PAGE_SHIFT);
}

/* A page is named by its address: struct page is never looked into. */
struct page;

static inline struct page *virt_to_page(const void *addr)
{
	return (struct page *)addr;
}

static inline void *page_address(const struct page *page)
{
	return (void *)page;
}

/*
 * The user task's mappings, as the simulated kernel can know them: from
 * /proc/<task>/maps (what a supervised program, or this process, has
 * mapped), with the shim's injected fault boundary (kshim.h) cutting them
 * off. A mapping's flags are its protection and sharing only: the shim
 * cannot see VM_IO or VM_PFNMAP, so no mapping reads as MMIO.
 */
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL

struct vm_operations_struct;

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_flags;
	/* Set for a mapping of a driver's file (see kshim_mmap in kshim.h). */
	unsigned long vm_pgoff;
	struct file *vm_file;
	const struct vm_operations_struct *vm_ops;
};

/* A fault in a driver's mapping: the handler names the page behind it. */
typedef unsigned int vm_fault_t;
#define VM_FAULT_SIGBUS		0x0002U

struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long pgoff;		/* of the faulting page, in the file */
	struct page *page;		/* the handler's answer */
};

struct vm_operations_struct {
	vm_fault_t (*fault)(struct vm_fault *vmf);
};

/*
 * vma_lookup() of the current task under its mmap lock: true with the
 * mapping that holds @addr copied to @vma, false when none does.
 */
bool vma_lookup_user(unsigned long addr, struct vm_area_struct *vma);

/* gup flags. */
#define FOLL_WRITE	0x01U
#define FOLL_LONGTERM	0x100U

/*
 * Pinning user pages. The simulated kernel cannot hold the program's
 * pages, so a pin is a check: the pages from @start on must be mapped (and
 * writable for FOLL_WRITE), as the kernel would fault them in. Returns how
 * many of @nr_pages could be pinned from @start on (fewer when the range
 * runs into a hole), or -EFAULT when not even the first could. A pinned
 * page's frame number is its user address >> PAGE_SHIFT (the model never
 * touches guest memory); @pfns, if given, gets them. Unpinning is nothing
 * to do.
 */
long pin_user_pages_fast(unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
			 u64 *pfns);

/* The frame a pinned user page at @uaddr has (see pin_user_pages_fast). */
static inline u64 user_page_pfn(unsigned long uaddr)
{
	return (u64)uaddr >> PAGE_SHIFT;
}

/* Page-aligned, zeroed memory of @size bytes (rounded up to pages), or NULL. */
void *alloc_pages_exact(size_t size, gfp_t gfp_mask);
void free_pages_exact(void *virt, size_t size);

#endif
