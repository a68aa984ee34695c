/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: ID allocators. An ida hands out the lowest free id in a
 * range; ids are unique across every simulated kernel of this process (as
 * the module's own allocator is across partitions). Thread-safe.
 */
#ifndef _SHIM_LINUX_IDR_H
#define _SHIM_LINUX_IDR_H

#include <linux/types.h>
#include <linux/slab.h>

struct ida {
	unsigned long *bits;
	unsigned int nbits;
};

#define DEFINE_IDA(name)	struct ida name = { 0 }

/* The lowest free id in [@min, @max], or -ENOSPC / -ENOMEM. */
int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max, gfp_t gfp);
void ida_free(struct ida *ida, unsigned int id);

#endif
