/* SPDX-License-Identifier: MIT */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define __packed	__attribute__((__packed__))
#define __always_unused	__attribute__((__unused__))

#endif
