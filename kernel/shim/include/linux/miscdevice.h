/* SPDX-License-Identifier: MIT */
#ifndef _SHIM_LINUX_MISCDEVICE_H
#define _SHIM_LINUX_MISCDEVICE_H

#include <linux/fs.h>

struct miscdevice {
	int minor;
	const char *name;
	const struct file_operations *fops;
};

#define MISC_DYNAMIC_MINOR 255

#endif
