/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: an errno carried in a pointer, as kernel APIs return them:
 * the last page of the address space is never a valid object.
 */
#ifndef _SHIM_LINUX_ERR_H
#define _SHIM_LINUX_ERR_H

#include <linux/types.h>

#define MAX_ERRNO	4095

static inline void *ERR_PTR(long err)
{
	return (void *)(uintptr_t)err;
}

static inline long PTR_ERR(const void *p)
{
	return (long)(intptr_t)p;
}

static inline bool IS_ERR(const void *p)
{
	return (uintptr_t)p >= (uintptr_t)-MAX_ERRNO;
}

#endif
