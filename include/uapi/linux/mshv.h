/* SPDX-License-Identifier: MIT */
/*
 * Userspace interface of /dev/mshv, the Microsoft Hypervisor root-partition
 * driver: the subset mshvcpu needs, byte for byte the ABI of Linux 6.19 plus
 * the NESTED_VIRTUALIZATION and SMT_ENABLED_GUEST partition flags (Feb 2026),
 * and MSHV_CREATE_DEVICE with its device fd as the driver rust-vmm's mshv
 * crates target has them (not in Linux 6.19).
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

/* Bit numbers of mshv_user_mem_region.flags. */
enum {
	MSHV_SET_MEM_BIT_WRITABLE,
	MSHV_SET_MEM_BIT_EXECUTABLE,
	MSHV_SET_MEM_BIT_UNMAP,
	MSHV_SET_MEM_BIT_COUNT,
};

#define MSHV_SET_MEM_FLAGS_MASK ((1 << MSHV_SET_MEM_BIT_COUNT) - 1)

/**
 * struct mshv_user_mem_region - arguments of MSHV_SET_GUEST_MEMORY
 * @size:           bytes, a nonzero multiple of the page size
 * @guest_pfn:      the first guest page frame
 * @userspace_addr: the caller's page-aligned memory behind it
 * @flags:          1 << MSHV_SET_MEM_BIT_*; the guest may always read.
 *                  With UNMAP, the region given must be one mapped before,
 *                  exactly.
 * @rsvd:           must be zero
 */
struct mshv_user_mem_region {
	__u64 size;
	__u64 guest_pfn;
	__u64 userspace_addr;
	__u8 flags;
	__u8 rsvd[7];
};

/* Bit numbers of mshv_user_irqfd.flags. */
enum {
	MSHV_IRQFD_BIT_DEASSIGN,
	MSHV_IRQFD_BIT_RESAMPLE,
	MSHV_IRQFD_BIT_COUNT,
};

#define MSHV_IRQFD_FLAGS_MASK ((1 << MSHV_IRQFD_BIT_COUNT) - 1)

/**
 * struct mshv_user_irqfd - arguments of MSHV_IRQFD
 * @fd:         an eventfd; each signal raises the interrupt @gsi routes to
 * @resamplefd: with RESAMPLE, an eventfd signalled when a level-triggered
 *              interrupt is acknowledged
 * @gsi:        the interrupt's number in the MSI routing table
 * @flags:      1 << MSHV_IRQFD_BIT_*
 */
struct mshv_user_irqfd {
	__s32 fd;
	__s32 resamplefd;
	__u32 gsi;
	__u32 flags;
};

/* Bit numbers of mshv_user_ioeventfd.flags. */
enum {
	MSHV_IOEVENTFD_BIT_DATAMATCH,
	MSHV_IOEVENTFD_BIT_PIO,
	MSHV_IOEVENTFD_BIT_DEASSIGN,
	MSHV_IOEVENTFD_BIT_COUNT,
};

#define MSHV_IOEVENTFD_FLAGS_MASK ((1 << MSHV_IOEVENTFD_BIT_COUNT) - 1)

/**
 * struct mshv_user_ioeventfd - arguments of MSHV_IOEVENTFD
 * @datamatch: with DATAMATCH, the value a guest write must carry
 * @addr:      the guest address (MMIO; PIO is not implemented by Linux)
 * @len:       the write's width: 1, 2, 4 or 8 bytes, or 0 for any width
 * @fd:        the eventfd signalled on a matching write
 * @flags:     1 << MSHV_IOEVENTFD_BIT_*
 * @rsvd:      must be zero
 */
struct mshv_user_ioeventfd {
	__u64 datamatch;
	__u64 addr;
	__u32 len;
	__s32 fd;
	__u32 flags;
	__u8 rsvd[4];
};

/**
 * struct mshv_user_irq_entry - one route of the MSI routing table
 * @gsi:        the interrupt number irqfds name, below 4096
 * @address_lo: the MSI address (destination APIC id in bits 12-19,
 *              logical destination mode in bit 2)
 * @address_hi: must be zero
 * @data:       the MSI data (vector in bits 0-7, delivery mode in 8-10,
 *              level-triggered in bit 15)
 */
struct mshv_user_irq_entry {
	__u32 gsi;
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
};

/**
 * struct mshv_user_irq_table - arguments of MSHV_SET_MSI_ROUTING
 * @nr:      how many entries follow (0 empties the table), at most 4096
 * @rsvd:    must be zero
 * @entries: the new table, replacing the whole old one
 */
struct mshv_user_irq_table {
	__u32 nr;
	__u32 rsvd;
	struct mshv_user_irq_entry entries[];
};

/* mshv_gpap_access_bitmap.access_type: which bit of each page is reported. */
enum {
	MSHV_GPAP_ACCESS_TYPE_ACCESSED,
	MSHV_GPAP_ACCESS_TYPE_DIRTY,
	MSHV_GPAP_ACCESS_TYPE_COUNT,
};

/* mshv_gpap_access_bitmap.access_op: what happens to it after the report. */
enum {
	MSHV_GPAP_ACCESS_OP_NOOP,
	MSHV_GPAP_ACCESS_OP_CLEAR,
	MSHV_GPAP_ACCESS_OP_SET,
	MSHV_GPAP_ACCESS_OP_COUNT,
};

/**
 * struct mshv_gpap_access_bitmap - arguments of MSHV_GET_GPAP_ACCESS_BITMAP
 * @access_type: MSHV_GPAP_ACCESS_TYPE_*
 * @access_op:   MSHV_GPAP_ACCESS_OP_*
 * @rsvd:        must be zero
 * @page_count:  how many guest pages, from @gpap_base (nonzero)
 * @gpap_base:   the first guest page frame
 * @bitmap_ptr:  where one bit per page goes (page_count bits, rounded up
 *               to whole bytes; the unused high bits of the last byte are 0)
 *
 * Needs the partition's GPA_PAGE_ACCESS_TRACKING property on.
 */
struct mshv_gpap_access_bitmap {
	__u8 access_type;
	__u8 access_op;
	__u8 rsvd[6];
	__u64 page_count;
	__u64 gpap_base;
	__u64 bitmap_ptr;
};

/* mshv_create_device.flags: only ask whether the type exists. */
#define MSHV_CREATE_DEVICE_TEST		1

/* mshv_create_device.type */
enum {
	MSHV_DEV_TYPE_VFIO,
	MSHV_DEV_TYPE_MAX,
};

/**
 * struct mshv_create_device - arguments of MSHV_CREATE_DEVICE
 * @type:  MSHV_DEV_TYPE_*
 * @fd:    out: the new device's descriptor
 * @flags: MSHV_CREATE_DEVICE_TEST or 0
 *
 * A partition has at most one VFIO device.
 */
struct mshv_create_device {
	__u32 type;
	__u32 fd;
	__u32 flags;
};

/* VFIO device attributes: group FILE, attributes ADD and DEL (addr: an __s32 fd). */
#define MSHV_DEV_VFIO_FILE		1
#define MSHV_DEV_VFIO_FILE_ADD		1
#define MSHV_DEV_VFIO_FILE_DEL		2

/**
 * struct mshv_device_attr - arguments of the device ioctls
 * @flags: none are defined
 * @group: which group of attributes (device type's own numbers)
 * @attr:  which attribute of @group
 * @addr:  user address of the attribute's value
 */
struct mshv_device_attr {
	__u32 flags;
	__u32 group;
	__u64 attr;
	__u64 addr;
};

#define MSHV_INITIALIZE_PARTITION	_IO(MSHV_IOCTL, 0x00)
#define MSHV_CREATE_VP			_IOW(MSHV_IOCTL, 0x01, struct mshv_create_vp)
#define MSHV_SET_GUEST_MEMORY		_IOW(MSHV_IOCTL, 0x02, struct mshv_user_mem_region)
#define MSHV_IRQFD			_IOW(MSHV_IOCTL, 0x03, struct mshv_user_irqfd)
#define MSHV_IOEVENTFD			_IOW(MSHV_IOCTL, 0x04, struct mshv_user_ioeventfd)
#define MSHV_SET_MSI_ROUTING		_IOW(MSHV_IOCTL, 0x05, struct mshv_user_irq_table)
#define MSHV_GET_GPAP_ACCESS_BITMAP	_IOWR(MSHV_IOCTL, 0x06, struct mshv_gpap_access_bitmap)
/* MSHV_ROOT_HVCALL (0x07) is also valid on a partition fd and a VP fd. */
/* Returns 0; the new descriptor is written to the argument's fd field. */
#define MSHV_CREATE_DEVICE		_IOWR(MSHV_IOCTL, 0x08, struct mshv_create_device)

/*
 * VP fd
 */

#define MSHV_RUN_VP_BUF_SZ 256

struct mshv_run_vp {
	__u8 msg_buf[MSHV_RUN_VP_BUF_SZ];
};

/* mshv_get_set_vp_state.type: which component of a VP's state. */
enum {
	MSHV_VP_STATE_LAPIC,
	MSHV_VP_STATE_XSAVE,		/* a compacted XSAVE image */
	MSHV_VP_STATE_SIMP,		/* SynIC message page */
	MSHV_VP_STATE_SIEFP,		/* SynIC event flags page */
	MSHV_VP_STATE_SYNTHETIC_TIMERS,
	MSHV_VP_STATE_COUNT,
};

struct mshv_get_set_vp_state {
	__u8 type;
	__u8 rsvd[3];
	__u32 buf_sz;
	__u64 buf_ptr;
};

/*
 * mmap of a VP fd: the page offset picks one page the hypervisor shares
 * (one page per mapping). ENODEV when the VP has no such page, EINVAL for
 * any other offset.
 */
enum {
	MSHV_VP_MMAP_OFFSET_REGISTERS,		/* struct hv_vp_register_page */
	MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE,	/* the last intercept message */
	MSHV_VP_MMAP_OFFSET_GHCB,		/* SNP-isolated partitions */
	MSHV_VP_MMAP_OFFSET_COUNT,
};

#define MSHV_RUN_VP		_IOR(MSHV_IOCTL, 0x00, struct mshv_run_vp)
#define MSHV_GET_VP_STATE	_IOWR(MSHV_IOCTL, 0x01, struct mshv_get_set_vp_state)
#define MSHV_SET_VP_STATE	_IOWR(MSHV_IOCTL, 0x02, struct mshv_get_set_vp_state)

/*
 * Device fd (MSHV_CREATE_DEVICE). The numbers are those of the driver the
 * rust-vmm mshv crates are written for (set 0x00, get 0x01, has 0x02); a
 * 2026 upstream proposal numbers has_attr 0x01 and has no get.
 */

#define MSHV_SET_DEVICE_ATTR	_IOW(MSHV_IOCTL, 0x00, struct mshv_device_attr)
#define MSHV_GET_DEVICE_ATTR	_IOW(MSHV_IOCTL, 0x01, struct mshv_device_attr)
#define MSHV_HAS_DEVICE_ATTR	_IOW(MSHV_IOCTL, 0x02, struct mshv_device_attr)

#endif /* _UAPI_LINUX_MSHV_H */
