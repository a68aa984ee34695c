// SPDX-License-Identifier: MIT
/*
 * The file of one virtual processor, as MSHV_CREATE_VP returns it.
 *
 * A VP belongs to its partition and keeps it alive while the file is
 * open. Its ioctls -- the ROOT_HVCALL pass-through and the state
 * components (vp_state.c) -- run one at a time under the VP's lock. The
 * VP itself lives as long as the partition: the hypervisor has no call
 * to delete one, so its slot is never reused.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

static long vp_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct mshv_vcpu *vcpu = filp->private_data;
	long ret;

	switch (cmd) {
	case MSHV_ROOT_HVCALL:
		mutex_lock(&vcpu->lock);
		ret = mshv_hvcall_passthru(MSHV_FROM_VP, vcpu->owner->hv_id,
					   (void __user *)arg);
		mutex_unlock(&vcpu->lock);
		return ret;
	case MSHV_GET_VP_STATE:
	case MSHV_SET_VP_STATE:
		mutex_lock(&vcpu->lock);
		ret = mshv_vp_state_ioctl(vcpu, (void __user *)arg, cmd == MSHV_SET_VP_STATE);
		mutex_unlock(&vcpu->lock);
		return ret;
	/* Known to the ABI; running a guest is beyond this driver. */
	case MSHV_RUN_VP:
		return -EOPNOTSUPP;
	default:
		return -ENOTTY;
	}
}

static int vp_release(struct inode *inode __always_unused, struct file *filp)
{
	struct mshv_vcpu *vcpu = filp->private_data;

	mshv_pt_put(vcpu->owner);
	return 0;
}

static const struct file_operations mshv_vp_fops = {
	.unlocked_ioctl = vp_ioctl,
	.release = vp_release,
};

/**
 * mshv_vp_open() - the file for a VP the hypervisor has just created
 * @pt:    its partition, locked by the caller
 * @index: its index, a free slot of @pt
 *
 * Return: the new descriptor, or a negative errno. On failure the slot
 * stays free, though the hypervisor's VP remains.
 */
long mshv_vp_open(struct mshv_pt *pt, u32 index)
{
	struct mshv_vcpu *vcpu;
	int fd;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->owner = pt;
	vcpu->index = index;
	mutex_init(&vcpu->lock);

	/* The file's reference; the caller's file holds another, so this cannot be the last. */
	mshv_pt_get(pt);
	fd = anon_inode_getfd("mshv_vp", &mshv_vp_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		mshv_pt_put(pt);
		mutex_destroy(&vcpu->lock);
		kfree(vcpu);
		return fd;
	}
	pt->vcpus[index] = vcpu;
	return fd;
}
