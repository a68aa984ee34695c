/* SPDX-License-Identifier: MIT */
/*
 * Userspace interface of /dev/mshv, the Microsoft Hypervisor root-partition
 * driver: the subset mshvcpu needs, byte for byte the ABI of Linux 6.19 plus
 * the NESTED_VIRTUALIZATION and SMT_ENABLED_GUEST partition flags (Feb 2026).
 *
 * Written for mshvcpu from ../shared/reference/mshv-abi.md; usable from
 * userspace C as an installed uapi header is (no __packed symbol).
 */
#ifndef _UAPI_LINUX_MSHV_H
#define _UAPI_LINUX_MSHV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define MSHV_IOCTL 0xB8

/*
 * /dev/mshv
 */

/* Bit *numbers* of mshv_create_partition.pt_flags. */
enum {
	MSHV_PT_BIT_LAPIC,
	MSHV_PT_BIT_X2APIC,
	MSHV_PT_BIT_GPA_SUPER_PAGES,
	MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES,	/* Linux 6.19: v2 struct follows */
	MSHV_PT_BIT_NESTED_VIRTUALIZATION,	/* Feb 2026 */
	MSHV_PT_BIT_SMT_ENABLED_GUEST,		/* Feb 2026 */
	MSHV_PT_BIT_COUNT,
};

/* 0x3F here; a 6.19 kernel accepts 0xF and older kernels 0x7. */
#define MSHV_PT_FLAGS_MASK ((1 << MSHV_PT_BIT_COUNT) - 1)

enum {
	MSHV_PT_ISOLATION_NONE,
	MSHV_PT_ISOLATION_COUNT,
};

/**
 * struct mshv_create_partition - arguments of MSHV_CREATE_PARTITION (v1)
 * @pt_flags:     bitmask of 1 << MSHV_PT_BIT_*
 * @pt_isolation: MSHV_PT_ISOLATION_*
 *
 * Returns a partition fd. Without MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES every
 * processor and xsave feature the host offers is enabled.
 */
struct mshv_create_partition {
	__u64 pt_flags;
	__u64 pt_isolation;
};

#define MSHV_NUM_CPU_FEATURES_BANKS 2

/**
 * struct mshv_create_partition_v2 - MSHV_CREATE_PARTITION with CPU features
 * @pt_num_cpu_fbanks: must be MSHV_NUM_CPU_FEATURES_BANKS
 * @pt_rsvd:           must be zero
 * @pt_cpu_fbanks:     *disabled* processor feature banks 0 and 1 (1 = disabled)
 * @pt_rsvd1:          must be zero
 * @pt_disabled_xsave: *disabled* xsave features (x86_64)
 * @pt_rsvd2:          must be zero (other architectures)
 *
 * Selected by MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES in pt_flags; the ioctl
 * number is the same as for v1. Banks and xsave mask reach the hypervisor
 * unchanged. Further banks are early partition properties, not fields here.
 */
struct mshv_create_partition_v2 {
	__u64 pt_flags;
	__u64 pt_isolation;
	__u16 pt_num_cpu_fbanks;
	__u8 pt_rsvd[6];
	__u64 pt_cpu_fbanks[MSHV_NUM_CPU_FEATURES_BANKS];
	__u64 pt_rsvd1[2];
#if defined(__x86_64__)
	__u64 pt_disabled_xsave;
#else
	__u64 pt_rsvd2;
#endif
} __attribute__((packed));

/**
 * struct mshv_root_hvcall - a hypercall passed through by the kernel
 * @code:    hypercall code (the kernel allows a fixed list)
 * @reps:    in: rep count (0: not a rep hypercall); out: reps completed
 * @in_sz:   input size in bytes, 8..4096; the first u64 is the partition id,
 *           which the kernel overwrites
 * @out_sz:  output size in bytes, at most 4096
 * @status:  in: must be 0; out: the raw hypervisor status
 * @rsvd:    must be zero
 * @in_ptr:  user address of the input
 * @out_ptr: user address of the output, or 0
 */
struct mshv_root_hvcall {
	__u16 code;
	__u16 reps;
	__u16 in_sz;
	__u16 out_sz;
	__u16 status;
	__u8 rsvd[6];
	__u64 in_ptr;
	__u64 out_ptr;
};

#define MSHV_CREATE_PARTITION	_IOW(MSHV_IOCTL, 0x00, struct mshv_create_partition)
/* On /dev/mshv since 6.19: targets the root partition (HV_PARTITION_ID_SELF). */
#define MSHV_ROOT_HVCALL	_IOWR(MSHV_IOCTL, 0x07, struct mshv_root_hvcall)

/*
 * Partition fd
 */

struct mshv_create_vp {
	__u32 vp_index;
};

struct mshv_user_mem_region {
	__u64 size;
	__u64 guest_pfn;
	__u64 userspace_addr;
	__u8 flags;
	__u8 rsvd[7];
};

struct mshv_user_irqfd {
	__s32 fd;
	__s32 resamplefd;
	__u32 gsi;
	__u32 flags;
};

struct mshv_user_ioeventfd {
	__u64 datamatch;
	__u64 addr;
	__u32 len;
	__s32 fd;
	__u32 flags;
	__u8 rsvd[4];
};

struct mshv_user_irq_table {
	__u32 nr;
	__u32 rsvd;
	/* followed by nr entries */
};

struct mshv_gpap_access_bitmap {
	__u8 access_type;
	__u8 access_op;
	__u8 rsvd[6];
	__u64 page_count;
	__u64 gpap_base;
	__u64 bitmap_ptr;
};

#define MSHV_INITIALIZE_PARTITION	_IO(MSHV_IOCTL, 0x00)
#define MSHV_CREATE_VP			_IOW(MSHV_IOCTL, 0x01, struct mshv_create_vp)
#define MSHV_SET_GUEST_MEMORY		_IOW(MSHV_IOCTL, 0x02, struct mshv_user_mem_region)
#define MSHV_IRQFD			_IOW(MSHV_IOCTL, 0x03, struct mshv_user_irqfd)
#define MSHV_IOEVENTFD			_IOW(MSHV_IOCTL, 0x04, struct mshv_user_ioeventfd)
#define MSHV_SET_MSI_ROUTING		_IOW(MSHV_IOCTL, 0x05, struct mshv_user_irq_table)
#define MSHV_GET_GPAP_ACCESS_BITMAP	_IOWR(MSHV_IOCTL, 0x06, struct mshv_gpap_access_bitmap)
/* MSHV_ROOT_HVCALL (0x07) is also valid on a partition fd and a VP fd. */

/*
 * VP fd
 */

#define MSHV_RUN_VP_BUF_SZ 256

struct mshv_run_vp {
	__u8 msg_buf[MSHV_RUN_VP_BUF_SZ];
};

struct mshv_get_set_vp_state {
	__u8 type;
	__u8 rsvd[3];
	__u32 buf_sz;
	__u64 buf_ptr;
};

#define MSHV_RUN_VP		_IOR(MSHV_IOCTL, 0x00, struct mshv_run_vp)
#define MSHV_GET_VP_STATE	_IOWR(MSHV_IOCTL, 0x01, struct mshv_get_set_vp_state)
#define MSHV_SET_VP_STATE	_IOWR(MSHV_IOCTL, 0x02, struct mshv_get_set_vp_state)

#endif /* _UAPI_LINUX_MSHV_H */
