// SPDX-License-Identifier: MIT
/*
 * MSHV_CREATE_DEVICE and the device files it makes: a device a partition
 * has in the kernel, reached through attributes (MSHV_SET_DEVICE_ATTR,
 * MSHV_GET_DEVICE_ATTR, MSHV_HAS_DEVICE_ATTR on its file). The one type is
 * VFIO (device_vfio.c).
 *
 * This is the driver rust-vmm's mshv crates are written for, not Linux
 * 6.19, which has neither ioctl (ENOTTY); the simulated kernel offers it
 * at its newest level only. Its behaviour, in order:
 *
 *   the argument unreadable                               -EFAULT
 *   a type past the last, or one with no ops              -ENODEV
 *   MSHV_CREATE_DEVICE_TEST set: the type exists          0, nothing made
 *   the type's create refuses (VFIO: one per partition)   its errno
 *   the descriptor cannot be made                         its errno
 *   the argument unwritable                               -EFAULT (the
 *                                                         device's file stays)
 * and on the device's file:
 *   an attribute call the type has no function for        -EPERM
 *   the attribute unreadable                              -EFAULT
 *   any other ioctl                                       -ENOTTY
 *
 * A device holds its partition while its file is open, and stays on the
 * partition's list until the partition goes (VFIO's ops have no release),
 * so closing it does not make room for another VFIO device.
 */
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

static const struct mshv_device_ops *const device_types[MSHV_DEV_TYPE_MAX] = {
	[MSHV_DEV_TYPE_VFIO] = &mshv_vfio_device_ops,
};

typedef int (*attr_fn)(struct mshv_device *dev, const struct mshv_device_attr *attr);

/* The type's function for an attribute ioctl; *@known false for another ioctl. */
static attr_fn attr_op(const struct mshv_device_ops *ops, unsigned int cmd, bool *known)
{
	*known = true;
	switch (cmd) {
	case MSHV_SET_DEVICE_ATTR:
		return ops->set_attr;
	case MSHV_GET_DEVICE_ATTR:
		return ops->get_attr;
	case MSHV_HAS_DEVICE_ATTR:
		return ops->has_attr;
	default:
		*known = false;
		return NULL;
	}
}

static long device_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct mshv_device *dev = filp->private_data;
	struct mshv_device_attr attr;
	bool known;
	attr_fn fn = attr_op(dev->ops, cmd, &known);

	if (!known)
		return -ENOTTY;
	if (!fn)
		return -EPERM;
	if (copy_from_user(&attr, (const void __user *)arg, sizeof(attr)))
		return -EFAULT;
	return fn(dev, &attr);
}

/* The device stays on its partition's list: only the file's reference goes. */
static int device_release(struct inode *inode __always_unused, struct file *filp)
{
	mshv_pt_put(((struct mshv_device *)filp->private_data)->pt);
	return 0;
}

static const struct file_operations mshv_device_fops = {
	.release = device_release,
	.unlocked_ioctl = device_ioctl,
};

/**
 * mshv_create_device() - make a device of the partition and its file
 * @pt:   the partition; its lock is held
 * @uarg: where the VMM's struct mshv_create_device is; the new descriptor
 *        goes into its fd field
 *
 * Return: 0 (also for a TEST that finds the type), or the errno of the
 * first check that fails, in the order the top of this file lists.
 */
long mshv_create_device(struct mshv_pt *pt, void __user *uarg)
{
	const struct mshv_device_ops *ops;
	struct mshv_create_device args;
	struct mshv_device *dev;
	int fd, err;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.type >= MSHV_DEV_TYPE_MAX || !device_types[args.type])
		return -ENODEV;
	ops = device_types[args.type];
	if (args.flags & MSHV_CREATE_DEVICE_TEST)
		return 0;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL_ACCOUNT);
	if (!dev)
		return -ENOMEM;
	dev->ops = ops;
	dev->pt = pt;
	err = ops->create(dev);
	if (err) {
		kfree(dev);
		return err;
	}
	list_add(&dev->node, &pt->devices);

	/* The file's reference; the caller's partition file holds another. */
	mshv_pt_get(pt);
	fd = anon_inode_getfd(ops->name, &mshv_device_fops, dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		mshv_pt_put(pt);
		list_del(&dev->node);
		ops->destroy(dev);
		return fd;
	}
	args.fd = (u32)fd;
	if (copy_to_user(uarg, &args, sizeof(args)))
		return -EFAULT;
	return 0;
}

/**
 * mshv_devices_destroy() - a dying partition's devices go with it
 * @pt: the partition
 */
void mshv_devices_destroy(struct mshv_pt *pt)
{
	struct mshv_device *dev, *n;

	list_for_each_entry_safe(dev, n, &pt->devices, node) {
		list_del(&dev->node);
		dev->ops->destroy(dev);
	}
}
