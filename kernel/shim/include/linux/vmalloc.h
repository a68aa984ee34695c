/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: large zeroed allocations. Like the kernel's vmalloc, a
 * request larger than the machine's memory fails at once (NULL) rather
 * than being promised and never backed.
 */
#ifndef _SHIM_LINUX_VMALLOC_H
#define _SHIM_LINUX_VMALLOC_H

#include <linux/types.h>

void *vzalloc(unsigned long size);
void vfree(const void *addr);

#endif
