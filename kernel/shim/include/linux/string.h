/* SPDX-License-Identifier: MIT */
/* kernel/shim: string helpers (compiler builtins, and memchr_inv from lib/string.c). */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <linux/types.h>

#define memset(s, c, n)		__builtin_memset((s), (c), (n))
#define memcpy(d, s, n)		__builtin_memcpy((d), (s), (n))
#define memcmp(a, b, n)		__builtin_memcmp((a), (b), (n))

/* The first byte in [start, start + bytes) that is not @c, or NULL. */
void *memchr_inv(const void *start, int c, size_t bytes);

#endif
