/* SPDX-License-Identifier: MIT */
/*
 * What the files of the /dev/mshv driver share with each other.
 *
 * The driver owns three kinds of open file: /dev/mshv itself (dev_mshv.c),
 * one per guest partition (partition_fd.c) and one per virtual processor
 * (vp_fd.c, with its state components in vp_state.c). Everything the
 * driver asks of the hypervisor goes through hypercalls.c; the
 * MSHV_ROOT_HVCALL pass-through, which all three files offer, is
 * hvcall_passthru.c.
 *
 * Written for mshvcpu from the behaviour in ../shared/reference/mshv-abi.md;
 * built against kernel/shim/ only.
 */
#ifndef _MSHV_DRIVER_H
#define _MSHV_DRIVER_H

#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <asm/mshyperv.h>
#include <hyperv/hv_partition.h>
#include <hyperv/hv_vp.h>

/* A partition holds at most this many virtual processors. */
#define MSHV_VP_SLOTS			256

/* Pages handed to the hypervisor before it initializes a partition. */
#define MSHV_INIT_DEPOSIT_PAGES		208

struct mshv_pt;

struct mshv_vcpu {
	struct mshv_pt *owner;
	u32 index;
	struct mutex lock;		/* serialises this VP's ioctls */
};

/*
 * One guest partition. The partition file and every VP file hold a
 * reference; the hypervisor's partition goes away with the last one.
 */
struct mshv_pt {
	u64 hv_id;
	refcount_t users;
	struct mutex lock;		/* held across each partition-file ioctl */
	bool initialized;
	struct mshv_vcpu *vcpus[MSHV_VP_SLOTS];
};

/*
 * What MSHV_CREATE_PARTITION asks of the hypervisor, once the user's
 * argument has been checked (create_args.c).
 */
struct mshv_create_request {
	u64 hv_flags;			/* HV_PARTITION_CREATION_FLAG_* */
	struct hv_partition_creation_properties props;
	union hv_partition_isolation_properties isolation;
};

/* Set by the simulated kernel: which driver release is running. */
u64 mshv_pt_flags_mask(void);
bool mshv_has_self_hvcall(void);

extern const struct file_operations mshv_dev_fops;

/* create_args.c */
long mshv_read_create_args(const void __user *uarg, struct mshv_create_request *req);

/* partition_fd.c */
long mshv_pt_open(const struct mshv_create_request *req);
void mshv_pt_get(struct mshv_pt *pt);
void mshv_pt_put(struct mshv_pt *pt);

/* vp_fd.c */
long mshv_vp_open(struct mshv_pt *pt, u32 index);

/*
 * vp_state.c: MSHV_GET_VP_STATE and MSHV_SET_VP_STATE. The uapi's
 * component numbers (Linux's include/uapi/linux/mshv.h has them; ours does
 * not yet).
 */
enum {
	MSHV_VP_STATE_LAPIC,
	MSHV_VP_STATE_XSAVE,		/* compacted XSAVE image */
	MSHV_VP_STATE_SIMP,
	MSHV_VP_STATE_SIEFP,
	MSHV_VP_STATE_SYNTHETIC_TIMERS,
	MSHV_VP_STATE_COUNT,
};

long mshv_vp_state_ioctl(struct mshv_vcpu *vcpu, void __user *uarg, bool set);

/* hvcall_passthru.c: which descriptor the call came through. */
enum mshv_passthru_origin {
	MSHV_FROM_DEV,			/* /dev/mshv: the root partition itself */
	MSHV_FROM_PARTITION,
	MSHV_FROM_VP,
};

long mshv_hvcall_passthru(enum mshv_passthru_origin origin, u64 target_id,
			  void __user *uarg);

/* hypercalls.c: each returns 0 or a negative errno. */
int hyp_status_to_errno(u64 result);
int hyp_deposit_pages(u64 partition_id, u32 count);
int hyp_create_partition(const struct mshv_create_request *req, u64 *new_id);
int hyp_initialize_partition(u64 partition_id);
int hyp_finalize_partition(u64 partition_id);
int hyp_delete_partition(u64 partition_id);
int hyp_create_vp(u64 partition_id, u32 index);
int hyp_get_partition_property(u64 partition_id, u32 code, u64 *value);
int hyp_get_vp_state(u64 partition_id, u32 vp_index, const struct hv_vp_state_data *state,
		     u32 page_count, void *pages, union hv_output_get_vp_state *out);
int hyp_set_vp_state(u64 partition_id, u32 vp_index, const struct hv_vp_state_data *state,
		     u32 page_count, void *pages, const void *bytes, u32 num_bytes);
u64 hyp_call_reps(u16 code, u16 reps, u16 first_rep, void *input, void *output);
int hyp_call_until_fed(u64 donee, u64 (*attempt)(void *ctx), void *ctx);

/* The status field of a hypercall result word, and its reps-done field. */
static inline u16 hyp_status(u64 result)
{
	return (u16)(result & HV_HYPERCALL_RESULT_MASK);
}

static inline u32 hyp_reps_done(u64 result)
{
	return (u32)((result & HV_HYPERCALL_REP_COMP_MASK) >> HV_HYPERCALL_REP_COMP_OFFSET);
}

#endif /* _MSHV_DRIVER_H */
