/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: the calling program's files by descriptor number. fget()
 * gives a reference to the program's open file @fd (a supervised
 * program's, or this process's), or NULL when @fd is not open; fput()
 * drops it. Such a file is none of the driver's: its f_op is NULL.
 */
#ifndef _SHIM_LINUX_FILE_H
#define _SHIM_LINUX_FILE_H

#include <linux/fs.h>

struct file *fget(unsigned int fd);
void fput(struct file *file);

#endif
