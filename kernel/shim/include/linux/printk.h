/* SPDX-License-Identifier: MIT */
#ifndef _SHIM_LINUX_PRINTK_H
#define _SHIM_LINUX_PRINTK_H

void kshim_printk(const char *level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define pr_err(fmt, ...)	kshim_printk("err", fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	kshim_printk("warn", fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { } while (0)

#endif
