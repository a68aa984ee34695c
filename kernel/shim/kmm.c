// SPDX-License-Identifier: MIT
/*
 * kernel/shim: the userspace side of <linux/mm.h>, page-aligned memory for
 * the simulated kernel (whose frame numbers hv/ reads pages through).
 */
#include <stdlib.h>
#include <string.h>

/* As declared in include/linux/mm.h (which needs the shim's types). */
void *alloc_pages_exact(size_t size, unsigned int gfp_mask);
void free_pages_exact(void *virt, size_t size);

#define SHIM_PAGE_SIZE	4096UL

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
