/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: user memory. Like the kernel's, these copy what they can and
 * return the number of bytes they could NOT copy (0 on success); a user
 * address that is not mapped faults instead of crashing.
 */
#ifndef _SHIM_LINUX_UACCESS_H
#define _SHIM_LINUX_UACCESS_H

#include <linux/types.h>

/* The end of user space, as on x86_64 with 4-level paging. */
#define TASK_SIZE_MAX	((1UL << 47) - 4096)

/* Whether [@addr, @addr + @size) lies in user space (not whether it is mapped). */
static inline bool access_ok(const void __user *addr, unsigned long size)
{
	unsigned long a = (unsigned long)(uintptr_t)addr;

	return size <= TASK_SIZE_MAX && a <= TASK_SIZE_MAX - size;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);

#endif
