// SPDX-License-Identifier: MIT
/*
 * The file of one virtual processor, as MSHV_CREATE_VP returns it.
 *
 * A VP belongs to its partition and keeps it alive while the file is
 * open. Its ioctls -- the ROOT_HVCALL pass-through and the state
 * components (vp_state.c) -- run one at a time under the VP's lock. The
 * VP itself lives as long as the partition: the hypervisor has no call
 * to delete one, so its slot is never reused.
 *
 * The hypervisor shares two pages of each VP with the root, and a VMM may
 * mmap them from the file, one page per mapping, at the page offset that
 * names them: MSHV_VP_MMAP_OFFSET_REGISTERS (the register page) and
 * MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE. Any other offset is -EINVAL; a
 * page the VP lacks (a GHCB: this driver makes no SNP-isolated
 * partitions) is -ENODEV. The pages stay mapped until the partition is
 * torn down.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/mm.h>
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

/* Which page a mapping shows, by its page offset: NULL for an offset no VP has. */
static void **shared_page_slot(struct mshv_vcpu *vcpu, unsigned long pgoff)
{
	return pgoff < MSHV_VP_MMAP_OFFSET_COUNT ? &vcpu->shared_pages[pgoff] : NULL;
}

static vm_fault_t vp_fault(struct vm_fault *vmf)
{
	struct mshv_vcpu *vcpu = vmf->vma->vm_file->private_data;
	void **slot = shared_page_slot(vcpu, vmf->vma->vm_pgoff);

	/* Every page of the mapping shows the one page its offset names. */
	if (!slot || !*slot)
		return VM_FAULT_SIGBUS;
	vmf->page = virt_to_page(*slot);
	return 0;
}

static const struct vm_operations_struct mshv_vp_vm_ops = {
	.fault = vp_fault,
};

static int vp_mmap(struct file *filp, struct vm_area_struct *vma)
{
	void **slot = shared_page_slot(filp->private_data, vma->vm_pgoff);

	if (!slot)
		return -EINVAL;
	if (!*slot)
		return -ENODEV;
	vma->vm_ops = &mshv_vp_vm_ops;
	return 0;
}

static int vp_release(struct inode *inode __always_unused, struct file *filp)
{
	struct mshv_vcpu *vcpu = filp->private_data;

	mshv_pt_put(vcpu->owner);
	return 0;
}

static const struct file_operations mshv_vp_fops = {
	.unlocked_ioctl = vp_ioctl,
	.mmap = vp_mmap,
	.release = vp_release,
};

/* The pages every VP of a non-isolated partition shares, in the order they are mapped. */
static const u16 shared_page_types[] = {
	HV_VP_STATE_PAGE_INTERCEPT_MESSAGE,
	HV_VP_STATE_PAGE_REGISTERS,
};

/*
 * The mmap offsets are the hypervisor's page types. The hypervisor is
 * told which page it gives back, so the call is made for every mapped one.
 */
void mshv_vp_unmap_pages(struct mshv_vcpu *vcpu)
{
	u16 type;

	for (type = 0; type < MSHV_VP_MMAP_OFFSET_COUNT; type++) {
		if (!vcpu->shared_pages[type])
			continue;
		hyp_unmap_vp_state_page(vcpu->owner->hv_id, vcpu->index, type);
		vcpu->shared_pages[type] = NULL;
	}
}

/**
 * mshv_vp_open() - the file for a VP the hypervisor has just created
 * @pt:    its partition, locked by the caller
 * @index: its index, a free slot of @pt
 *
 * Maps the pages the VP shares first; a VP whose pages cannot be mapped
 * gets no file.
 *
 * Return: the new descriptor, or a negative errno. On failure the slot
 * stays free, though the hypervisor's VP remains.
 */
long mshv_vp_open(struct mshv_pt *pt, u32 index)
{
	struct mshv_vcpu *vcpu;
	size_t i;
	int ret;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->owner = pt;
	vcpu->index = index;
	mutex_init(&vcpu->lock);

	for (i = 0; i < ARRAY_SIZE(shared_page_types); i++) {
		u16 type = shared_page_types[i];

		ret = hyp_map_vp_state_page(pt->hv_id, index, type, &vcpu->shared_pages[type]);
		if (ret)
			goto fail;
	}

	/* The file's reference; the caller's file holds another, so this cannot be the last. */
	mshv_pt_get(pt);
	ret = anon_inode_getfd("mshv_vp", &mshv_vp_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (ret < 0) {
		mshv_pt_put(pt);
		goto fail;
	}
	pt->vcpus[index] = vcpu;
	return ret;

fail:
	mshv_vp_unmap_pages(vcpu);
	mutex_destroy(&vcpu->lock);
	kfree(vcpu);
	return ret;
}
