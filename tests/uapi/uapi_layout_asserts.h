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
