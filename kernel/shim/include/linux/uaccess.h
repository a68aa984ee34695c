/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: user memory. Like the kernel's, these copy what they can and
 * return the number of bytes they could NOT copy (0 on success); a user
 * address that is not mapped faults instead of crashing.
 */
#ifndef _SHIM_LINUX_UACCESS_H
#define _SHIM_LINUX_UACCESS_H

#include <linux/types.h>

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);

#endif
