// SPDX-License-Identifier: MIT
/*
 * The file of one guest partition, as MSHV_CREATE_PARTITION returns it.
 *
 * Its ioctls run one at a time under the partition's lock. The partition
 * outlives its file while VP or device files are open (its irqfds and
 * ioeventfds do not); the last file to close stops the partition in the
 * hypervisor and deletes it.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

void mshv_pt_get(struct mshv_pt *pt)
{
	refcount_inc(&pt->users);
}

static void mshv_pt_free(struct mshv_pt *pt)
{
	unsigned int i;

	mshv_devices_destroy(pt);
	mshv_guest_memory_free(pt);
	mshv_girq_table_free(pt);

	for (i = 0; i < MSHV_VP_SLOTS; i++) {
		if (!pt->vcpus[i])
			continue;
		mutex_destroy(&pt->vcpus[i]->lock);
		kfree(pt->vcpus[i]);
	}
	mutex_destroy(&pt->lock);
	kfree(pt);
}

/**
 * mshv_pt_put() - drop a reference to a partition
 * @pt: the partition
 *
 * With the last reference the hypervisor's partition goes too. Nothing is
 * left to report a failure to, so the hypervisor's answers are not
 * looked at.
 */
void mshv_pt_put(struct mshv_pt *pt)
{
	unsigned int i;

	if (!refcount_dec_and_test(&pt->users))
		return;
	if (pt->initialized) {
		/* The VPs' pages go back while the partition still runs. */
		for (i = 0; i < MSHV_VP_SLOTS; i++)
			if (pt->vcpus[i])
				mshv_vp_unmap_pages(pt->vcpus[i]);
		hyp_finalize_partition(pt->hv_id);
		pt->initialized = false;
	}
	hyp_delete_partition(pt->hv_id);
	mshv_pt_free(pt);
}

/* Called with pt->lock held. Initializing twice is not an error. */
static long pt_initialize(struct mshv_pt *pt)
{
	int err;

	if (pt->initialized)
		return 0;
	err = hyp_initialize_partition(pt->hv_id);
	if (err)
		return err;
	pt->initialized = true;
	return 0;
}

/* Called with pt->lock held. Returns the VP's new descriptor. */
static long pt_create_vp(struct mshv_pt *pt, void __user *uarg)
{
	struct mshv_create_vp args;
	int err;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.vp_index >= MSHV_VP_SLOTS)
		return -EINVAL;
	if (pt->vcpus[args.vp_index])
		return -EEXIST;

	/* Whether the partition is ready for VPs is the hypervisor's call. */
	err = hyp_create_vp(pt->hv_id, args.vp_index);
	if (err)
		return err;
	return mshv_vp_open(pt, args.vp_index);
}

static long pt_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct mshv_pt *pt = filp->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	mutex_lock(&pt->lock);
	switch (cmd) {
	case MSHV_INITIALIZE_PARTITION:
		ret = pt_initialize(pt);
		break;
	case MSHV_CREATE_VP:
		ret = pt_create_vp(pt, uarg);
		break;
	case MSHV_ROOT_HVCALL:
		ret = mshv_hvcall_passthru(MSHV_FROM_PARTITION, pt->hv_id, uarg);
		break;
	case MSHV_SET_GUEST_MEMORY:
		ret = mshv_set_guest_memory(pt, uarg);
		break;
	case MSHV_IRQFD:
		ret = mshv_irqfd(pt, uarg);
		break;
	case MSHV_IOEVENTFD:
		ret = mshv_ioeventfd(pt, uarg);
		break;
	case MSHV_SET_MSI_ROUTING:
		ret = mshv_set_msi_routing(pt, uarg);
		break;
	case MSHV_GET_GPAP_ACCESS_BITMAP:
		ret = mshv_get_gpap_access_bitmap(pt, uarg);
		break;
	case MSHV_CREATE_DEVICE:
		/* Not Linux 6.19's: the driver rust-vmm targets has it. */
		ret = mshv_has_devices() ? mshv_create_device(pt, uarg) : -ENOTTY;
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	mutex_unlock(&pt->lock);
	return ret;
}

/* The irqfds and ioeventfds go with the file; VP and device files may keep the partition. */
static int pt_release(struct inode *inode __always_unused, struct file *filp)
{
	struct mshv_pt *pt = filp->private_data;

	mshv_ioeventfd_release(pt);
	mshv_irqfd_release(pt);
	mshv_pt_put(pt);
	return 0;
}

static const struct file_operations mshv_pt_fops = {
	.unlocked_ioctl = pt_ioctl,
	.release = pt_release,
};

/**
 * mshv_pt_open() - create a partition and the file that stands for it
 * @req: what to ask the hypervisor for
 *
 * Return: the new descriptor, or a negative errno with nothing left
 * behind in the hypervisor.
 */
long mshv_pt_open(const struct mshv_create_request *req)
{
	struct mshv_pt *pt;
	int fd, err;

	pt = kzalloc(sizeof(*pt), GFP_KERNEL_ACCOUNT);
	if (!pt)
		return -ENOMEM;
	refcount_set(&pt->users, 1);
	mutex_init(&pt->lock);
	INIT_LIST_HEAD(&pt->regions);
	INIT_LIST_HEAD(&pt->irqfds);
	INIT_LIST_HEAD(&pt->ioeventfds);
	INIT_LIST_HEAD(&pt->devices);

	err = hyp_create_partition(req, &pt->hv_id);
	if (err)
		goto free_pt;

	fd = anon_inode_getfd("mshv_partition", &mshv_pt_fops, pt, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = fd;
		goto delete_pt;
	}
	return fd;

delete_pt:
	hyp_delete_partition(pt->hv_id);
free_pt:
	mshv_pt_free(pt);
	return err;
}
