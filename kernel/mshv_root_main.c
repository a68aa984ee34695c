// SPDX-License-Identifier: MIT
/*
 * The mshv_root driver's create-partition path: /dev/mshv's ioctls, the
 * partition and VP descriptors, and the v1/v2 create-partition argument
 * handling as it landed in Linux 6.19 ("mshv: Extend create partition
 * ioctl to support cpu features", v5), with the NESTED/SMT flags of 2026.
 *
 * Written as drivers/hv/mshv_root_main.c is; compiled in userspace against
 * kernel/shim/. The ioctls that need a running guest (memory, interrupts,
 * running VPs) are outside this project and answer -EOPNOTSUPP.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/mshv.h>
#include <asm/mshyperv.h>

#include "mshv_root.h"

#define mshv_field_nonzero(STRUCT, MEMBER) \
	memchr_inv(&((STRUCT).MEMBER), 0, sizeof((STRUCT).MEMBER))

static const struct file_operations mshv_partition_fops;
static const struct file_operations mshv_vp_fops;

/* Hypercalls userspace may pass through (partition and VP descriptors). */
static const u16 mshv_passthru_hvcalls[] = {
	HVCALL_GET_PARTITION_PROPERTY,
	HVCALL_GET_PARTITION_PROPERTY_EX,
	HVCALL_SET_PARTITION_PROPERTY,
	HVCALL_GET_VP_CPUID_VALUES,
};

/* ... and through /dev/mshv, on the root partition itself: reads only. */
static const u16 mshv_self_passthru_hvcalls[] = {
	HVCALL_GET_PARTITION_PROPERTY,
	HVCALL_GET_PARTITION_PROPERTY_EX,
};

static bool mshv_hvcall_is_async(u16 code)
{
	return code == HVCALL_SET_PARTITION_PROPERTY;
}

static bool mshv_hvcall_allowed(const u16 *list, size_t n, u16 code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == code)
			return true;
	return false;
}

static struct mshv_partition *mshv_partition_get(struct mshv_partition *partition)
{
	refcount_inc(&partition->pt_ref_count);
	return partition;
}

/*
 * The last reference is gone: a running partition is finalized first (the
 * hypervisor refuses to delete it otherwise), then deleted.
 */
static void destroy_partition(struct mshv_partition *partition)
{
	int i;

	if (partition->pt_initialized) {
		hv_call_finalize_partition(partition->pt_id);
		partition->pt_initialized = false;
	}
	hv_call_delete_partition(partition->pt_id);
	for (i = 0; i < MSHV_MAX_VPS; i++)
		kfree(partition->pt_vp_array[i]);
	mutex_destroy(&partition->pt_mutex);
	kfree(partition);
}

static void mshv_partition_put(struct mshv_partition *partition)
{
	if (refcount_dec_and_test(&partition->pt_ref_count))
		destroy_partition(partition);
}

/*
 * MSHV_ROOT_HVCALL: pass one hypercall through. @partition is NULL for the
 * self-targeted form on /dev/mshv. Upstream answers a code outside the
 * allow-list with -EINVAL (the reference sheet says -ENOTTY; -ENOTTY is
 * what an unknown *ioctl* gets).
 */
static long mshv_ioctl_passthru_hvcall(struct mshv_partition *partition,
				       bool partition_locked, void __user *user_args)
{
	u64 pt_id = partition ? partition->pt_id : HV_PARTITION_ID_SELF;
	struct mshv_root_hvcall args;
	void *input_pg, *output_pg = NULL;
	u16 reps_completed = 0;
	u64 status;
	long ret = 0;

	if (copy_from_user(&args, user_args, sizeof(args)))
		return -EFAULT;

	if (args.status || !args.in_ptr || args.in_sz < sizeof(u64) ||
	    mshv_field_nonzero(args, rsvd) || args.in_sz > HV_HYP_PAGE_SIZE)
		return -EINVAL;

	if (args.out_ptr && (!args.out_sz || args.out_sz > HV_HYP_PAGE_SIZE))
		return -EINVAL;

	if (partition ? !mshv_hvcall_allowed(mshv_passthru_hvcalls,
					     ARRAY_SIZE(mshv_passthru_hvcalls), args.code) :
			!mshv_hvcall_allowed(mshv_self_passthru_hvcalls,
					     ARRAY_SIZE(mshv_self_passthru_hvcalls), args.code))
		return -EINVAL;

	/* Asynchronous hypercalls only from a partition fd, under its lock. */
	if (mshv_hvcall_is_async(args.code) && (!partition || !partition_locked))
		return -EINVAL;

	input_pg = kzalloc(2 * HV_HYP_PAGE_SIZE, GFP_KERNEL);
	if (!input_pg)
		return -ENOMEM;
	if (args.out_ptr)
		output_pg = (char *)input_pg + HV_HYP_PAGE_SIZE;

	if (copy_from_user(input_pg, (void __user *)(unsigned long)args.in_ptr, args.in_sz)) {
		ret = -EFAULT;
		goto free_pages_out;
	}

	/* Every allowed hypercall's input begins with the partition id. */
	*(u64 *)input_pg = pt_id;

	do {
		if (args.reps) {
			status = hv_do_rep_hypercall_ex(args.code, args.reps, 0, reps_completed,
							input_pg, output_pg);
			reps_completed = hv_repcomp(status);
		} else {
			status = hv_do_hypercall(args.code, input_pg, output_pg);
		}

		if (hv_result_success(status))
			break;

		if (hv_result(status) != HV_STATUS_INSUFFICIENT_MEMORY)
			ret = hv_result_to_errno(status);
		else
			ret = hv_call_deposit_pages(NUMA_NO_NODE, pt_id, 1);
	} while (!ret);

	args.status = hv_result(status);
	args.reps = reps_completed;
	if (copy_to_user(user_args, &args, sizeof(args)))
		ret = -EFAULT;

	if (!ret && output_pg &&
	    copy_to_user((void __user *)(unsigned long)args.out_ptr, output_pg, args.out_sz))
		ret = -EFAULT;

free_pages_out:
	kfree(input_pg);
	return ret;
}

static long mshv_vp_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct mshv_vp *vp = filp->private_data;
	long ret;

	switch (ioctl) {
	case MSHV_ROOT_HVCALL:
		mutex_lock(&vp->vp_partition->pt_mutex);
		ret = mshv_ioctl_passthru_hvcall(vp->vp_partition, true, (void __user *)arg);
		mutex_unlock(&vp->vp_partition->pt_mutex);
		return ret;
	case MSHV_RUN_VP:
	case MSHV_GET_VP_STATE:
	case MSHV_SET_VP_STATE:
		return -EOPNOTSUPP;	/* needs a running guest: not modelled */
	default:
		return -ENOTTY;
	}
}

static int mshv_vp_release(struct inode *inode, struct file *filp)
{
	struct mshv_vp *vp = filp->private_data;

	(void)inode;
	/* The VP itself lives as long as its partition. */
	mshv_partition_put(vp->vp_partition);
	return 0;
}

static const struct file_operations mshv_vp_fops = {
	.unlocked_ioctl = mshv_vp_ioctl,
	.release = mshv_vp_release,
};

static long mshv_partition_ioctl_create_vp(struct mshv_partition *partition,
					   void __user *arg)
{
	struct mshv_create_vp args;
	struct mshv_vp *vp;
	long ret;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;

	if (args.vp_index >= MSHV_MAX_VPS)
		return -EINVAL;

	if (partition->pt_vp_array[args.vp_index])
		return -EEXIST;

	ret = hv_call_create_vp(NUMA_NO_NODE, partition->pt_id, args.vp_index, 0);
	if (ret)
		return ret;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;
	vp->vp_index = args.vp_index;
	vp->vp_partition = mshv_partition_get(partition);

	ret = anon_inode_getfd("mshv_vp", &mshv_vp_fops, vp, O_RDWR | O_CLOEXEC);
	if (ret < 0) {
		mshv_partition_put(partition);
		kfree(vp);
		return ret;
	}
	partition->pt_vp_array[args.vp_index] = vp;
	return ret;
}

static long mshv_partition_ioctl_initialize(struct mshv_partition *partition)
{
	long ret;

	if (partition->pt_initialized)
		return 0;

	ret = hv_call_initialize_partition(partition->pt_id);
	if (ret)
		return ret;

	partition->pt_initialized = true;
	return 0;
}

static long mshv_partition_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct mshv_partition *partition = filp->private_data;
	long ret;

	mutex_lock(&partition->pt_mutex);
	switch (ioctl) {
	case MSHV_INITIALIZE_PARTITION:
		ret = mshv_partition_ioctl_initialize(partition);
		break;
	case MSHV_CREATE_VP:
		ret = mshv_partition_ioctl_create_vp(partition, (void __user *)arg);
		break;
	case MSHV_ROOT_HVCALL:
		ret = mshv_ioctl_passthru_hvcall(partition, true, (void __user *)arg);
		break;
	case MSHV_SET_GUEST_MEMORY:
	case MSHV_IRQFD:
	case MSHV_IOEVENTFD:
	case MSHV_SET_MSI_ROUTING:
	case MSHV_GET_GPAP_ACCESS_BITMAP:
		ret = -EOPNOTSUPP;	/* needs guest memory or interrupts: not modelled */
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	mutex_unlock(&partition->pt_mutex);
	return ret;
}

static int mshv_partition_release(struct inode *inode, struct file *filp)
{
	(void)inode;
	mshv_partition_put(filp->private_data);
	return 0;
}

static const struct file_operations mshv_partition_fops = {
	.unlocked_ioctl = mshv_partition_ioctl,
	.release = mshv_partition_release,
};

static_assert(MSHV_NUM_CPU_FEATURES_BANKS == HV_PARTITION_PROCESSOR_FEATURES_BANKS,
	      "uapi and hypervisor disagree on the number of feature banks");

/*
 * Read the create-partition argument: the 16-byte v1 struct, or with
 * MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES the 64-byte v2 struct. The v1 part is
 * copied first so that a v1 caller's struct may end at the end of its
 * mapping; the v2 struct is then copied again whole, and everything used
 * afterwards comes from that second copy, validated again (userspace may
 * have changed it between the two copies).
 */
static long mshv_ioctl_process_pt_flags(void __user *user_arg, u64 *pt_flags,
					struct hv_partition_creation_properties *cr_props,
					union hv_partition_isolation_properties *isol_props)
{
	int i;
	struct mshv_create_partition_v2 args;
	union hv_partition_processor_features *disabled_procs;
#if IS_ENABLED(CONFIG_X86_64)
	union hv_partition_processor_xsave_features *disabled_xsave;
#endif

	/* First, copy v1 struct in case user is on previous versions */
	if (copy_from_user(&args, user_arg, sizeof(struct mshv_create_partition)))
		return -EFAULT;

	if ((args.pt_flags & ~mshv_pt_flags_mask()) ||
	    args.pt_isolation >= MSHV_PT_ISOLATION_COUNT)
		return -EINVAL;

	disabled_procs = &cr_props->disabled_processor_features;
#if IS_ENABLED(CONFIG_X86_64)
	disabled_xsave = &cr_props->disabled_processor_xsave_features;
#endif

	/* Check if user provided newer struct with feature fields */
	if (args.pt_flags & BIT_ULL(MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES)) {
		if (copy_from_user(&args, user_arg, sizeof(args)))
			return -EFAULT;

		/* Re-validate v1 fields after second copy_from_user() */
		if ((args.pt_flags & ~mshv_pt_flags_mask()) ||
		    args.pt_isolation >= MSHV_PT_ISOLATION_COUNT)
			return -EINVAL;

		if (args.pt_num_cpu_fbanks != MSHV_NUM_CPU_FEATURES_BANKS ||
		    mshv_field_nonzero(args, pt_rsvd) ||
		    mshv_field_nonzero(args, pt_rsvd1))
			return -EINVAL;

		/*
		 * Note this assumes MSHV_NUM_CPU_FEATURES_BANKS will never
		 * change and equals HV_PARTITION_PROCESSOR_FEATURES_BANKS
		 * (i.e. 2).
		 */
		for (i = 0; i < HV_PARTITION_PROCESSOR_FEATURES_BANKS; i++)
			disabled_procs->as_uint64[i] = args.pt_cpu_fbanks[i];

#if IS_ENABLED(CONFIG_X86_64)
		disabled_xsave->as_uint64 = args.pt_disabled_xsave;
#else
		/*
		 * In practice this field is ignored on arm64, but safer to
		 * check it is zero.
		 */
		if (mshv_field_nonzero(args, pt_rsvd2))
			return -EINVAL;
#endif
	} else {
		/*
		 * v1 behavior: try to enable everything. The hypervisor will
		 * disable features that are not supported.
		 */
		for (i = 0; i < HV_PARTITION_PROCESSOR_FEATURES_BANKS; i++)
			disabled_procs->as_uint64[i] = 0;

#if IS_ENABLED(CONFIG_X86_64)
		disabled_xsave->as_uint64 = 0;
#endif
	}

	/* Only support EXO partitions */
	*pt_flags = HV_PARTITION_CREATION_FLAG_EXO_PARTITION |
		    HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE_ENABLED;

	if (args.pt_flags & BIT_ULL(MSHV_PT_BIT_LAPIC))
		*pt_flags |= HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED;
	if (args.pt_flags & BIT_ULL(MSHV_PT_BIT_X2APIC))
		*pt_flags |= HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE;
	if (args.pt_flags & BIT_ULL(MSHV_PT_BIT_GPA_SUPER_PAGES))
		*pt_flags |= HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES_ENABLED;
	if (args.pt_flags & BIT_ULL(MSHV_PT_BIT_NESTED_VIRTUALIZATION))
		*pt_flags |= HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE;
	if (args.pt_flags & BIT_ULL(MSHV_PT_BIT_SMT_ENABLED_GUEST))
		*pt_flags |= HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST;

	isol_props->as_uint64 = 0;

	switch (args.pt_isolation) {
	case MSHV_PT_ISOLATION_NONE:
		isol_props->as_uint64 |= HV_PARTITION_ISOLATION_TYPE_NONE
					 << HV_ISOLATION_TYPE_SHIFT;
		break;
	}

	return 0;
}

static long mshv_ioctl_create_partition(void __user *user_arg)
{
	u64 creation_flags;
	struct hv_partition_creation_properties creation_properties;
	union hv_partition_isolation_properties isolation_properties;
	struct mshv_partition *partition;
	long ret;

	ret = mshv_ioctl_process_pt_flags(user_arg, &creation_flags,
					  &creation_properties,
					  &isolation_properties);
	if (ret)
		return ret;

	partition = kzalloc(sizeof(*partition), GFP_KERNEL_ACCOUNT);
	if (!partition)
		return -ENOMEM;

	refcount_set(&partition->pt_ref_count, 1);
	mutex_init(&partition->pt_mutex);

	ret = hv_call_create_partition(creation_flags, creation_properties,
				       isolation_properties, &partition->pt_id);
	if (ret)
		goto free_partition;

	ret = anon_inode_getfd("mshv_partition", &mshv_partition_fops, partition,
			       O_RDWR | O_CLOEXEC);
	if (ret >= 0)
		return ret;

	hv_call_delete_partition(partition->pt_id);
free_partition:
	mutex_destroy(&partition->pt_mutex);
	kfree(partition);
	return ret;
}

static long mshv_dev_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	(void)filp;
	switch (ioctl) {
	case MSHV_CREATE_PARTITION:
		return mshv_ioctl_create_partition((void __user *)arg);
	case MSHV_ROOT_HVCALL:
		/* Self-targeted ROOT_HVCALL arrived with Linux 6.19. */
		if (!mshv_has_self_hvcall())
			return -ENOTTY;
		return mshv_ioctl_passthru_hvcall(NULL, false, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static int mshv_dev_release(struct inode *inode, struct file *filp)
{
	(void)inode;
	(void)filp;
	return 0;
}

const struct file_operations mshv_dev_fops = {
	.unlocked_ioctl = mshv_dev_ioctl,
	.release = mshv_dev_release,
};
