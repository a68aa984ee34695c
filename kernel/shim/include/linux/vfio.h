/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: VFIO as the MSHV-VFIO device sees it. The simulated kernel
 * has no VFIO, so no file is a VFIO group or device file.
 */
#ifndef _SHIM_LINUX_VFIO_H
#define _SHIM_LINUX_VFIO_H

#include <linux/fs.h>

static inline bool vfio_file_is_valid(struct file *file __attribute__((unused)))
{
	return false;
}

#endif
