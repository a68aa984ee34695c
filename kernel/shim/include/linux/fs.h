/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: files as far as a misc device and its anon-inode descriptors
 * need them. kshim.c keeps the descriptor table; a struct file lives until
 * its last descriptor is closed, then ->release runs.
 */
#ifndef _SHIM_LINUX_FS_H
#define _SHIM_LINUX_FS_H

#include <linux/types.h>

struct inode;
struct file;

struct vm_area_struct;

struct file_operations {
	long (*unlocked_ioctl)(struct file *filp, unsigned int cmd, unsigned long arg);
	int (*mmap)(struct file *filp, struct vm_area_struct *vma);
	int (*release)(struct inode *inode, struct file *filp);
};

struct file {
	const struct file_operations *f_op;
	void *private_data;
};

#define O_RDWR		02
#define O_CLOEXEC	02000000

/* A new descriptor for a new file with @fops: >= 0 or -errno. */
int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     int flags);

#endif
