/* SPDX-License-Identifier: MIT */
/* kernel/shim: compile-time checks, always with a message here. */
#ifndef _SHIM_LINUX_BUILD_BUG_H
#define _SHIM_LINUX_BUILD_BUG_H

#define static_assert(cond, why)	_Static_assert(cond, why)

#endif
