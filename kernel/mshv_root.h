/* SPDX-License-Identifier: MIT */
/*
 * The mshv_root driver's internal interface, as far as the create-partition
 * path needs it (drivers/hv/mshv_root.h upstream).
 */
#ifndef _MSHV_ROOT_H_
#define _MSHV_ROOT_H_

#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <hyperv/hv_partition.h>

#define MSHV_MAX_VPS			256
#define HV_INIT_PARTITION_DEPOSIT_PAGES	208

struct mshv_partition;

struct mshv_vp {
	u32 vp_index;
	struct mshv_partition *vp_partition;
};

struct mshv_partition {
	u64 pt_id;
	refcount_t pt_ref_count;
	struct mutex pt_mutex;
	bool pt_initialized;
	struct mshv_vp *pt_vp_array[MSHV_MAX_VPS];
};

/*
 * The one concession to running several driver releases in one binary:
 * the MSHV_PT_FLAGS_MASK and feature set of the release being simulated.
 */
u64 mshv_pt_flags_mask(void);
bool mshv_has_self_hvcall(void);

extern const struct file_operations mshv_dev_fops;

int hv_result_to_errno(u64 status);

int hv_call_create_partition(u64 flags,
			     struct hv_partition_creation_properties creation_properties,
			     union hv_partition_isolation_properties isolation_properties,
			     u64 *partition_id);
int hv_call_initialize_partition(u64 partition_id);
int hv_call_finalize_partition(u64 partition_id);
int hv_call_delete_partition(u64 partition_id);
int hv_call_create_vp(int node, u64 partition_id, u32 vp_index, u32 flags);
int hv_call_deposit_pages(int node, u64 partition_id, u32 num_pages);

#endif /* _MSHV_ROOT_H_ */
