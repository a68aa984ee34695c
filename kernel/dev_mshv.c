// SPDX-License-Identifier: MIT
/*
 * /dev/mshv: where a VMM starts. It creates guest partitions and, since
 * Linux 6.19, reads the root partition's own properties (what the host
 * offers). The device file itself holds no state.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

static long dev_create_partition(void __user *uarg)
{
	struct mshv_create_request req;
	long err;

	err = mshv_read_create_args(uarg, &req);
	if (err)
		return err;
	return mshv_pt_open(&req);
}

static long dev_ioctl(struct file *filp __always_unused, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case MSHV_CREATE_PARTITION:
		return dev_create_partition(uarg);
	case MSHV_ROOT_HVCALL:
		/* Before 6.19 only partition and VP files knew this ioctl. */
		if (!mshv_has_self_hvcall())
			return -ENOTTY;
		return mshv_hvcall_passthru(MSHV_FROM_DEV, HV_PARTITION_ID_SELF, uarg);
	default:
		return -ENOTTY;
	}
}

static int dev_release(struct inode *inode __always_unused, struct file *filp __always_unused)
{
	/* Partitions have files of their own and outlive this one. */
	return 0;
}

const struct file_operations mshv_dev_fops = {
	.unlocked_ioctl = dev_ioctl,
	.release = dev_release,
};
