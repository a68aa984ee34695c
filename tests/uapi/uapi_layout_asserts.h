/* SPDX-License-Identifier: MIT */
/*
 * Compile-time pins of every size and offset of include/uapi/linux/mshv.h.
 * Included by test_uapi_layout.c (x86_64) and uapi_layout_nonx86.c (built
 * with __x86_64__ undefined, as an arm64 compiler sees the header).
 */
#include <stddef.h>
#include <linux/mshv.h>

#define PIN_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), "sizeof(" #type ")")
#define PIN_OFF(type, field, off) \
	_Static_assert(offsetof(type, field) == (off), #type "." #field)

/*
 * An installed uapi header that wrote "} __packed;" would define a global
 * named __packed; this declaration would then clash with it.
 */
extern char __packed;

PIN_SIZE(struct mshv_create_partition, 16);
PIN_OFF(struct mshv_create_partition, pt_flags, 0);
PIN_OFF(struct mshv_create_partition, pt_isolation, 8);

PIN_SIZE(struct mshv_create_partition_v2, 64);
PIN_OFF(struct mshv_create_partition_v2, pt_flags, 0);
PIN_OFF(struct mshv_create_partition_v2, pt_isolation, 8);
PIN_OFF(struct mshv_create_partition_v2, pt_num_cpu_fbanks, 16);
PIN_OFF(struct mshv_create_partition_v2, pt_rsvd, 18);
PIN_OFF(struct mshv_create_partition_v2, pt_cpu_fbanks, 24);
PIN_OFF(struct mshv_create_partition_v2, pt_rsvd1, 40);

PIN_SIZE(struct mshv_root_hvcall, 32);
PIN_OFF(struct mshv_root_hvcall, code, 0);
PIN_OFF(struct mshv_root_hvcall, reps, 2);
PIN_OFF(struct mshv_root_hvcall, in_sz, 4);
PIN_OFF(struct mshv_root_hvcall, out_sz, 6);
PIN_OFF(struct mshv_root_hvcall, status, 8);
PIN_OFF(struct mshv_root_hvcall, rsvd, 10);
PIN_OFF(struct mshv_root_hvcall, in_ptr, 16);
PIN_OFF(struct mshv_root_hvcall, out_ptr, 24);

PIN_SIZE(struct mshv_create_vp, 4);

_Static_assert(MSHV_IOCTL == 0xB8, "MSHV_IOCTL");
_Static_assert(MSHV_PT_BIT_LAPIC == 0, "LAPIC");
_Static_assert(MSHV_PT_BIT_X2APIC == 1, "X2APIC");
_Static_assert(MSHV_PT_BIT_GPA_SUPER_PAGES == 2, "GPA_SUPER_PAGES");
_Static_assert(MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES == 3, "CPU_AND_XSAVE_FEATURES");
_Static_assert(MSHV_PT_BIT_NESTED_VIRTUALIZATION == 4, "NESTED_VIRTUALIZATION");
_Static_assert(MSHV_PT_BIT_SMT_ENABLED_GUEST == 5, "SMT_ENABLED_GUEST");
_Static_assert(MSHV_PT_FLAGS_MASK == 0x3F, "MSHV_PT_FLAGS_MASK");
_Static_assert(MSHV_PT_ISOLATION_NONE == 0, "ISOLATION_NONE");
_Static_assert(MSHV_PT_ISOLATION_COUNT == 1, "ISOLATION_COUNT");
_Static_assert(MSHV_NUM_CPU_FEATURES_BANKS == 2, "banks");

/* The ioctl number is not versioned: v1 and v2 share it. */
_Static_assert(MSHV_CREATE_PARTITION == 0x4010B800, "CREATE_PARTITION");
_Static_assert(MSHV_ROOT_HVCALL == 0xC020B807, "ROOT_HVCALL");
_Static_assert(MSHV_INITIALIZE_PARTITION == 0xB800, "INITIALIZE_PARTITION");
_Static_assert(MSHV_CREATE_VP == 0x4004B801, "CREATE_VP");
_Static_assert(MSHV_SET_GUEST_MEMORY == 0x4020B802, "SET_GUEST_MEMORY");
_Static_assert(MSHV_IRQFD == 0x4010B803, "IRQFD");
_Static_assert(MSHV_IOEVENTFD == 0x4020B804, "IOEVENTFD");
_Static_assert(MSHV_SET_MSI_ROUTING == 0x4008B805, "SET_MSI_ROUTING");
_Static_assert(MSHV_GET_GPAP_ACCESS_BITMAP == 0xC020B806, "GET_GPAP_ACCESS_BITMAP");
_Static_assert(MSHV_RUN_VP == 0x8100B800, "RUN_VP");
_Static_assert(MSHV_GET_VP_STATE == 0xC010B801, "GET_VP_STATE");
_Static_assert(MSHV_SET_VP_STATE == 0xC010B802, "SET_VP_STATE");

/*
 * The partition's guest setup and the device fd: one assertion per
 * struct, its size and every field's offset.
 */
#define AT(type, field, off)	(offsetof(type, field) == (off))
#define MEM	struct mshv_user_mem_region
#define IRQFD	struct mshv_user_irqfd
#define IOE	struct mshv_user_ioeventfd
#define ROUTE	struct mshv_user_irq_entry
#define GPAP	struct mshv_gpap_access_bitmap
#define ATTR	struct mshv_device_attr

_Static_assert(sizeof(MEM) == 32 && AT(MEM, size, 0) && AT(MEM, guest_pfn, 8) &&
	       AT(MEM, userspace_addr, 16) && AT(MEM, flags, 24) && AT(MEM, rsvd, 25), "MEM");
_Static_assert(sizeof(IRQFD) == 16 && AT(IRQFD, fd, 0) && AT(IRQFD, resamplefd, 4) &&
	       AT(IRQFD, gsi, 8) && AT(IRQFD, flags, 12), "IRQFD");
_Static_assert(sizeof(IOE) == 32 && AT(IOE, datamatch, 0) && AT(IOE, addr, 8) && AT(IOE, len, 16) &&
	       AT(IOE, fd, 20) && AT(IOE, flags, 24) && AT(IOE, rsvd, 28), "IOE");
_Static_assert(sizeof(ROUTE) == 16 && AT(ROUTE, gsi, 0) && AT(ROUTE, address_lo, 4) &&
	       AT(ROUTE, address_hi, 8) && AT(ROUTE, data, 12) &&
	       sizeof(struct mshv_user_irq_table) == 8 &&
	       AT(struct mshv_user_irq_table, entries, 8), "ROUTE");
_Static_assert(sizeof(GPAP) == 32 && AT(GPAP, access_op, 1) && AT(GPAP, rsvd, 2) &&
	       AT(GPAP, page_count, 8) && AT(GPAP, gpap_base, 16) && AT(GPAP, bitmap_ptr, 24),
	       "GPAP");
_Static_assert(sizeof(struct mshv_create_device) == 12 && sizeof(ATTR) == 24 &&
	       AT(struct mshv_create_device, fd, 4) && AT(struct mshv_create_device, flags, 8) &&
	       AT(ATTR, group, 4) && AT(ATTR, attr, 8) && AT(ATTR, addr, 16), "devices");

#undef AT
#undef MEM
#undef IRQFD
#undef IOE
#undef ROUTE
#undef GPAP
#undef ATTR

/* Their flag bits and enums. */
_Static_assert(MSHV_SET_MEM_BIT_WRITABLE == 0 && MSHV_SET_MEM_BIT_EXECUTABLE == 1 &&
	       MSHV_SET_MEM_BIT_UNMAP == 2 && MSHV_SET_MEM_FLAGS_MASK == 0x7, "SET_MEM bits");
_Static_assert(MSHV_IRQFD_BIT_DEASSIGN == 0 && MSHV_IRQFD_BIT_RESAMPLE == 1 &&
	       MSHV_IRQFD_FLAGS_MASK == 0x3, "IRQFD bits");
_Static_assert(MSHV_IOEVENTFD_BIT_DATAMATCH == 0 && MSHV_IOEVENTFD_BIT_PIO == 1 &&
	       MSHV_IOEVENTFD_BIT_DEASSIGN == 2 && MSHV_IOEVENTFD_FLAGS_MASK == 0x7,
	       "IOEVENTFD bits");
_Static_assert(MSHV_GPAP_ACCESS_TYPE_DIRTY == 1 && MSHV_GPAP_ACCESS_TYPE_COUNT == 2 &&
	       MSHV_GPAP_ACCESS_OP_CLEAR == 1 && MSHV_GPAP_ACCESS_OP_SET == 2 &&
	       MSHV_GPAP_ACCESS_OP_COUNT == 3, "GPAP enums");
_Static_assert(MSHV_DEV_TYPE_VFIO == 0 && MSHV_CREATE_DEVICE_TEST == 1 &&
	       MSHV_DEV_VFIO_FILE == 1 && MSHV_DEV_VFIO_FILE_ADD == 1 &&
	       MSHV_DEV_VFIO_FILE_DEL == 2, "device numbers");
/* The device ioctls, as the driver rust-vmm targets numbers them. */
_Static_assert(MSHV_CREATE_DEVICE == 0xC00CB808 && MSHV_SET_DEVICE_ATTR == 0x4018B800 &&
	       MSHV_GET_DEVICE_ATTR == 0x4018B801 && MSHV_HAS_DEVICE_ATTR == 0x4018B802,
	       "device ioctls");
