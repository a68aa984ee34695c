// SPDX-License-Identifier: MIT
/*
 * The VFIO device of a partition ("mshv-vfio"): the bridge through which a
 * VMM tells the driver which VFIO files (groups or devices) the guest
 * uses. A partition has at most one (-EBUSY for a second).
 *
 * Its attributes: group MSHV_DEV_VFIO_FILE, attributes FILE_ADD and
 * FILE_DEL, whose value (at addr) is an __s32 descriptor.
 *
 *   has_attr  that group with ADD or DEL: 0; anything else   -ENXIO
 *   set_attr  ADD or DEL: the descriptor unreadable           -EFAULT
 *             not an open descriptor                          -EBADF
 *             ADD: not a VFIO file                            -EINVAL
 *             ADD: already added                              -EEXIST
 *             DEL: not added                                  -ENOENT
 *             another attribute or group                      -ENXIO
 *   get_attr  none (-EPERM on the device's file)
 *
 * The simulated kernel has no VFIO: no file is a VFIO file, so nothing is
 * ever added.
 */
#include <linux/file.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

struct mshv_vfio_file {
	struct list_head node;
	struct file *file;
};

struct mshv_vfio {
	struct list_head files;		/* struct mshv_vfio_file */
};

static struct mshv_vfio_file *vfio_file_find(struct mshv_vfio *mv, const struct file *file)
{
	struct mshv_vfio_file *f;

	list_for_each_entry(f, &mv->files, node)
		if (f->file == file)
			return f;
	return NULL;
}

static int vfio_file_add(struct mshv_device *dev, int fd)
{
	struct mshv_vfio *mv = dev->private;
	struct mshv_vfio_file *f;
	struct file *file = fget((unsigned int)fd);
	int err = 0;

	if (!file)
		return -EBADF;
	if (!vfio_file_is_valid(file)) {
		err = -EINVAL;
	} else if (vfio_file_find(mv, file)) {
		err = -EEXIST;
	} else {
		f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
		if (!f) {
			err = -ENOMEM;
		} else {
			f->file = file;
			list_add_tail(&f->node, &mv->files);
			return 0;	/* the list keeps the reference */
		}
	}
	fput(file);
	return err;
}

static int vfio_file_del(struct mshv_device *dev, int fd)
{
	struct mshv_vfio *mv = dev->private;
	struct file *file = fget((unsigned int)fd);
	struct mshv_vfio_file *f;

	if (!file)
		return -EBADF;
	f = vfio_file_find(mv, file);
	fput(file);
	if (!f)
		return -ENOENT;
	list_del(&f->node);
	fput(f->file);
	kfree(f);
	return 0;
}

static const struct {
	u64 attr;
	int (*fn)(struct mshv_device *dev, int fd);
} file_attrs[] = {
	{ MSHV_DEV_VFIO_FILE_ADD, vfio_file_add },
	{ MSHV_DEV_VFIO_FILE_DEL, vfio_file_del },
};

static int vfio_set_attr(struct mshv_device *dev, const struct mshv_device_attr *attr)
{
	size_t i;
	s32 fd;

	if (attr->group != MSHV_DEV_VFIO_FILE)
		return -ENXIO;
	for (i = 0; i < ARRAY_SIZE(file_attrs); i++) {
		if (file_attrs[i].attr != attr->attr)
			continue;
		if (copy_from_user(&fd, (const void __user *)(uintptr_t)attr->addr, sizeof(fd)))
			return -EFAULT;
		return file_attrs[i].fn(dev, fd);
	}
	return -ENXIO;
}

static int vfio_has_attr(struct mshv_device *dev __always_unused,
			 const struct mshv_device_attr *attr)
{
	size_t i;

	if (attr->group != MSHV_DEV_VFIO_FILE)
		return -ENXIO;
	for (i = 0; i < ARRAY_SIZE(file_attrs); i++)
		if (file_attrs[i].attr == attr->attr)
			return 0;
	return -ENXIO;
}

static int vfio_create(struct mshv_device *dev)
{
	struct mshv_device *other;
	struct mshv_vfio *mv;

	list_for_each_entry(other, &dev->pt->devices, node)
		if (other->ops == &mshv_vfio_device_ops)
			return -EBUSY;
	mv = kzalloc(sizeof(*mv), GFP_KERNEL_ACCOUNT);
	if (!mv)
		return -ENOMEM;
	INIT_LIST_HEAD(&mv->files);
	dev->private = mv;
	return 0;
}

static void vfio_destroy(struct mshv_device *dev)
{
	struct mshv_vfio *mv = dev->private;
	struct mshv_vfio_file *f, *n;

	list_for_each_entry_safe(f, n, &mv->files, node) {
		list_del(&f->node);
		fput(f->file);
		kfree(f);
	}
	kfree(mv);
	kfree(dev);
}

const struct mshv_device_ops mshv_vfio_device_ops = {
	.name = "mshv-vfio",
	.create = vfio_create,
	.destroy = vfio_destroy,
	.set_attr = vfio_set_attr,
	.has_attr = vfio_has_attr,
};
