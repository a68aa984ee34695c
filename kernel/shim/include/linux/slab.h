/* SPDX-License-Identifier: MIT */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/types.h>

typedef unsigned int gfp_t;
#define GFP_KERNEL		0U
#define GFP_KERNEL_ACCOUNT	0U

void *kzalloc(size_t size, gfp_t flags);
void kfree(const void *p);

#endif
