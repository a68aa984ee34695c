// SPDX-License-Identifier: MIT
/*
 * kernel/shim: the userspace side of <linux/mm.h>: page-aligned memory for
 * the simulated kernel (whose frame numbers hv/ reads pages through), and
 * the user task's mappings -- vma_lookup() and pinning -- read from
 * /proc/<task>/maps, so that a range of any size costs one read of the
 * map, never a touch of its pages (a VMM maps gigabytes with NORESERVE).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kshim_internal.h"

/* As declared in include/linux/mm.h (which needs the shim's types). */
struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_flags;
};

void *alloc_pages_exact(size_t size, unsigned int gfp_mask);
void free_pages_exact(void *virt, size_t size);
bool vma_lookup_user(unsigned long addr, struct vm_area_struct *vma);
void *vzalloc(unsigned long size);
void vfree(const void *addr);
long pin_user_pages_fast(unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
			 uint64_t *pfns);

#define SHIM_PAGE_SHIFT	12
#define SHIM_PAGE_SIZE	4096UL

#define SHIM_VM_READ	0x1UL
#define SHIM_VM_WRITE	0x2UL
#define SHIM_VM_EXEC	0x4UL
#define SHIM_VM_SHARED	0x8UL
#define SHIM_FOLL_WRITE	0x01U

void *alloc_pages_exact(size_t size, unsigned int gfp_mask)
{
	size_t rounded = (size + SHIM_PAGE_SIZE - 1) & ~(SHIM_PAGE_SIZE - 1);
	void *p;

	(void)gfp_mask;
	if (!rounded)
		return NULL;
	p = aligned_alloc(SHIM_PAGE_SIZE, rounded);
	if (p)
		memset(p, 0, rounded);
	return p;
}

void free_pages_exact(void *virt, size_t size)
{
	(void)size;
	free(virt);
}

void *vzalloc(unsigned long size)
{
	long pages = sysconf(_SC_PHYS_PAGES);

	if (!size || (pages > 0 && size / SHIM_PAGE_SIZE > (unsigned long)pages))
		return NULL;
	return calloc(1, size);
}

void vfree(const void *addr)
{
	free((void *)addr);
}

/* --- the user task's mappings ---------------------------------------------- */

/*
 * The mapping of the current task that holds @addr, by one pass over its
 * maps file. Mappings at or above the injected fault boundary do not
 * exist; one that straddles it ends there.
 */
static bool find_mapping(unsigned long addr, struct vm_area_struct *out)
{
	uintptr_t boundary = kshim_fault_boundary();
	pid_t task = kshim_current_task();
	char path[64], line[512];
	bool found = false;
	FILE *f;

	if (boundary && addr >= boundary)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/maps", task ? task : getpid());
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long start, end;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3 ||
		    addr < start || addr >= end)
			continue;
		out->vm_start = start;
		out->vm_end = boundary && end > boundary ? boundary : end;
		out->vm_flags = (perms[0] == 'r' ? SHIM_VM_READ : 0) |
				(perms[1] == 'w' ? SHIM_VM_WRITE : 0) |
				(perms[2] == 'x' ? SHIM_VM_EXEC : 0) |
				(perms[3] == 's' ? SHIM_VM_SHARED : 0);
		found = true;
	}
	fclose(f);
	return found;
}

bool vma_lookup_user(unsigned long addr, struct vm_area_struct *vma)
{
	return find_mapping(addr, vma);
}

long pin_user_pages_fast(unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
			 uint64_t *pfns)
{
	unsigned long at = start, end = start + nr_pages * SHIM_PAGE_SIZE, i, pinned;
	struct vm_area_struct vma;

	if (end < start)
		return -EFAULT;
	/* Adjacent mappings pin as one range; a hole, or no access, ends it. */
	while (at < end && find_mapping(at, &vma)) {
		unsigned long need = SHIM_VM_READ |
				     (gup_flags & SHIM_FOLL_WRITE ? SHIM_VM_WRITE : 0);

		if ((vma.vm_flags & need) != need)
			break;
		at = vma.vm_end < end ? vma.vm_end : end;
	}
	pinned = (at - start) / SHIM_PAGE_SIZE;
	if (!pinned)
		return -EFAULT;
	for (i = 0; pfns && i < pinned; i++)
		pfns[i] = (start >> SHIM_PAGE_SHIFT) + i;
	return (long)pinned;
}
