/* SPDX-License-Identifier: MIT */
/* kernel/shim: the core helpers kernel/ uses. */
#ifndef _SHIM_LINUX_KERNEL_H
#define _SHIM_LINUX_KERNEL_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/string.h>
#include <linux/printk.h>
#include <linux/kconfig.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define U64_MAX		((u64)~0ULL)
#define NUMA_NO_NODE	(-1)

#endif
