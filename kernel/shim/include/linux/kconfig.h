/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: IS_ENABLED() as the kernel defines it: true when the option
 * is defined to 1 (meson builds the x86_64 variant with -DCONFIG_X86_64=1
 * and the non-x86 one with -DCONFIG_ARM64=1).
 */
#ifndef _SHIM_LINUX_KCONFIG_H
#define _SHIM_LINUX_KCONFIG_H

#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x)			___is_defined(x)
#define ___is_defined(val)		____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk)	__take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option)		__is_defined(option)

#endif
