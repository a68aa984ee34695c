/* SPDX-License-Identifier: MIT */
/*
 * Microsoft Hypervisor partition ABI: creation flags, creation and isolation
 * properties, partition property codes and processor vendors, and the bits
 * of the property values VMMs set. Shared by the kernel handler (kernel/)
 * and the hypervisor model (hv/).
 * Facts: ../shared/reference/mshv-abi.md, sections 3 and 4; the property
 * codes and value layouts beyond it: hv_partition_properties.def.
 */
#ifndef _HYPERV_HV_PARTITION_H
#define _HYPERV_HV_PARTITION_H

#include <linux/types.h>

/* The partition a hypercall targets when it means "the caller itself". */
#define HV_PARTITION_ID_SELF		((__u64)-1)

/*
 * The version Linux's mshv_root passes in CreatePartition
 * (HV_COMPATIBILITY_21_H2).
 */
#define HV_COMPATIBILITY_21_H2		0x0609

/* CreatePartition flags (hypervisor side, not MSHV_PT_BIT_*). */
#define HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST			(1ULL << 0)
#define HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE	(1ULL << 1)
#define HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES_ENABLED		(1ULL << 4)
#define HV_PARTITION_CREATION_FLAG_EXO_PARTITION			(1ULL << 8)
#define HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED			(1ULL << 13)
#define HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE_ENABLED	(1ULL << 19)
#define HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE			(1ULL << 22)

/* Banks 0 and 1 travel in CreatePartition; bank 2 is an early property. */
#define HV_PARTITION_PROCESSOR_FEATURES_BANKS	2

/* Processor feature banks, *disabled* sense when passed to CreatePartition. */
union hv_partition_processor_features {
	__u64 as_uint64[HV_PARTITION_PROCESSOR_FEATURES_BANKS];
};

/* Processor xsave features, *disabled* sense in CreatePartition. */
union hv_partition_processor_xsave_features {
	__u64 as_uint64;
};

/* x86_64 form: 24 bytes. */
struct hv_partition_creation_properties_x64 {
	union hv_partition_processor_features disabled_processor_features;
	union hv_partition_processor_xsave_features disabled_processor_xsave_features;
} __attribute__((__packed__));

/* arm64 form: no xsave field, 16 bytes. */
struct hv_partition_creation_properties_arm64 {
	union hv_partition_processor_features disabled_processor_features;
} __attribute__((__packed__));

#if defined(__x86_64__)
#define hv_partition_creation_properties hv_partition_creation_properties_x64
#else
#define hv_partition_creation_properties hv_partition_creation_properties_arm64
#endif

/* Isolation properties (one u64). */
#define HV_PARTITION_ISOLATION_TYPE_NONE	0
#define HV_PARTITION_ISOLATION_TYPE_VBS		1
#define HV_PARTITION_ISOLATION_TYPE_SNP		2
#define HV_PARTITION_ISOLATION_TYPE_TDX		3

#define HV_ISOLATION_TYPE_SHIFT			0
#define HV_ISOLATION_TYPE_MASK			0x1FULL		/* bits 0-4 */
#define HV_ISOLATION_HOST_TYPE_SHIFT		5
#define HV_ISOLATION_HOST_TYPE_MASK		(0x3ULL << 5)	/* bits 5-6 */
#define HV_ISOLATION_RESERVED_MASK		(0x1FULL << 7)	/* bits 7-11 */
#define HV_ISOLATION_SHARED_GPA_BOUNDARY_SHIFT	12		/* bits 12-63 */

union hv_partition_isolation_properties {
	__u64 as_uint64;
};

/* Proximity domain: domain id, then flags (bits 0-29 reserved). */
#define HV_PROXIMITY_FLAG_INFO_VALID	(1U << 30)
#define HV_PROXIMITY_FLAG_PREFERRED	(1U << 31)
#define HV_PROXIMITY_FLAGS_RESERVED	0x3FFFFFFFU

struct hv_proximity_domain_info {
	__u32 domain_id;
	__u32 flags;
} __attribute__((__packed__));

/*
 * Partition property codes, one per row of hv_partition_properties.def.
 * Feature properties are in the *enabled* sense: on the root partition what
 * the host offers, on a child what it got.
 */
enum hv_partition_property_code {
#define HV_PROPERTY(name, code, ...) HV_PARTITION_PROPERTY_##name = (code),
#include "hv_partition_properties.def"
#undef HV_PROPERTY
};

/* Values of HV_PARTITION_PROPERTY_PROCESSOR_VENDOR. */
#define HV_PROCESSOR_VENDOR_AMD		0x0
#define HV_PROCESSOR_VENDOR_INTEL	0x1
#define HV_PROCESSOR_VENDOR_HYGON	0x2
#define HV_PROCESSOR_VENDOR_ARM		0x10

/*
 * PRIVILEGE_FLAGS (0x10000): the partition's privilege mask, the same bits
 * the hypervisor reports in CPUID 0x40000003 (EAX in bits 0-31, EBX in
 * 32-63). Bits 0-15 grant synthetic MSRs, 32-54 hypercalls.
 */
#define HV_PARTITION_PRIVILEGE_ACCESS_VP_RUNTIME_MSR		(1ULL << 0)
#define HV_PARTITION_PRIVILEGE_ACCESS_PARTITION_REFERENCE_COUNTER (1ULL << 1)
#define HV_PARTITION_PRIVILEGE_ACCESS_SYNIC_MSRS		(1ULL << 2)
#define HV_PARTITION_PRIVILEGE_ACCESS_SYNTHETIC_TIMER_MSRS	(1ULL << 3)
#define HV_PARTITION_PRIVILEGE_ACCESS_APIC_MSRS			(1ULL << 4)
#define HV_PARTITION_PRIVILEGE_ACCESS_HYPERCALL_MSRS		(1ULL << 5)
#define HV_PARTITION_PRIVILEGE_ACCESS_VP_INDEX			(1ULL << 6)
#define HV_PARTITION_PRIVILEGE_ACCESS_PARTITION_REFERENCE_TSC	(1ULL << 9)
#define HV_PARTITION_PRIVILEGE_ACCESS_GUEST_IDLE_MSR		(1ULL << 10)
#define HV_PARTITION_PRIVILEGE_ACCESS_FREQUENCY_MSRS		(1ULL << 11)
#define HV_PARTITION_PRIVILEGE_CREATE_PARTITIONS		(1ULL << 32)
#define HV_PARTITION_PRIVILEGE_ACCESS_PARTITION_ID		(1ULL << 33)
#define HV_PARTITION_PRIVILEGE_ACCESS_MEMORY_POOL		(1ULL << 34)
#define HV_PARTITION_PRIVILEGE_ADJUST_MESSAGE_BUFFERS		(1ULL << 35)
#define HV_PARTITION_PRIVILEGE_POST_MESSAGES			(1ULL << 36)
#define HV_PARTITION_PRIVILEGE_SIGNAL_EVENTS			(1ULL << 37)
#define HV_PARTITION_PRIVILEGE_CREATE_PORT			(1ULL << 38)
#define HV_PARTITION_PRIVILEGE_CONNECT_PORT			(1ULL << 39)
#define HV_PARTITION_PRIVILEGE_ACCESS_STATS			(1ULL << 40)
#define HV_PARTITION_PRIVILEGE_CPU_MANAGEMENT			(1ULL << 44)
#define HV_PARTITION_PRIVILEGE_ACCESS_VP_REGISTERS		(1ULL << 49)
#define HV_PARTITION_PRIVILEGE_FAST_HYPERCALL_OUTPUT		(1ULL << 51)
/* Bits 16-31, 41-42, 50 and 55-63 name nothing. */
#define HV_PARTITION_PRIVILEGE_RESERVED		0xff840600ffff0000ULL

/*
 * SYNTHETIC_PROC_FEATURES (0x10001) and the bank of
 * ASSIGNABLE_SYNTHETIC_PROC_FEATURES (0x90009): which Hyper-V
 * enlightenments a child gets. Some bits mean something on one
 * architecture only; the DEFINED masks say which bits name anything.
 */
#define HV_SYNTHETIC_FEATURE_HYPERVISOR_PRESENT			(1ULL << 0)
#define HV_SYNTHETIC_FEATURE_HV1				(1ULL << 1)
#define HV_SYNTHETIC_FEATURE_ACCESS_VP_RUN_TIME_REG		(1ULL << 2)
#define HV_SYNTHETIC_FEATURE_ACCESS_PARTITION_REFERENCE_COUNTER	(1ULL << 3)
#define HV_SYNTHETIC_FEATURE_ACCESS_SYNIC_REGS			(1ULL << 4)
#define HV_SYNTHETIC_FEATURE_ACCESS_SYNTHETIC_TIMER_REGS	(1ULL << 5)
#define HV_SYNTHETIC_FEATURE_ACCESS_INTR_CTRL_REGS		(1ULL << 6)
#define HV_SYNTHETIC_FEATURE_ACCESS_HYPERCALL_REGS		(1ULL << 7)
#define HV_SYNTHETIC_FEATURE_ACCESS_VP_INDEX			(1ULL << 8)
#define HV_SYNTHETIC_FEATURE_ACCESS_PARTITION_REFERENCE_TSC	(1ULL << 9)
#define HV_SYNTHETIC_FEATURE_ACCESS_GUEST_IDLE_REG		(1ULL << 10)	/* x86_64 */
#define HV_SYNTHETIC_FEATURE_ACCESS_FREQUENCY_REGS		(1ULL << 11)
#define HV_SYNTHETIC_FEATURE_EXTENDED_GVA_RANGES_FOR_FLUSH	(1ULL << 15)	/* x86_64 */
#define HV_SYNTHETIC_FEATURE_ACCESS_VSM				(1ULL << 16)
#define HV_SYNTHETIC_FEATURE_FAST_HYPERCALL_OUTPUT		(1ULL << 18)
#define HV_SYNTHETIC_FEATURE_START_VIRTUAL_PROCESSOR		(1ULL << 20)
#define HV_SYNTHETIC_FEATURE_DIRECT_SYNTHETIC_TIMERS		(1ULL << 22)
#define HV_SYNTHETIC_FEATURE_EXTENDED_PROCESSOR_MASKS		(1ULL << 24)
#define HV_SYNTHETIC_FEATURE_TB_FLUSH_HYPERCALLS		(1ULL << 25)
#define HV_SYNTHETIC_FEATURE_SYNTHETIC_CLUSTER_IPI		(1ULL << 26)
#define HV_SYNTHETIC_FEATURE_NOTIFY_LONG_SPIN_WAIT		(1ULL << 27)
#define HV_SYNTHETIC_FEATURE_QUERY_NUMA_DISTANCE		(1ULL << 28)
#define HV_SYNTHETIC_FEATURE_SIGNAL_EVENTS			(1ULL << 29)
#define HV_SYNTHETIC_FEATURE_RETARGET_DEVICE_INTERRUPT		(1ULL << 30)
#define HV_SYNTHETIC_FEATURE_ACCESS_VP_REGS			(1ULL << 38)
#define HV_SYNTHETIC_FEATURE_SYNC_CONTEXT			(1ULL << 39)	/* arm64 */
#define HV_SYNTHETIC_FEATURE_FLUSH_GUEST_PHYSICAL_ADDRESS_SPACE	(1ULL << 53)	/* x86_64 */
/* Bits that name a feature; every other bit is reserved (must be zero). */
#define HV_SYNTHETIC_FEATURES_DEFINED_X64	0x003deb6fff558fffULL
#define HV_SYNTHETIC_FEATURES_DEFINED_ARM64	0x001f3df07f550bffULL

/* UNIMPLEMENTED_MSR_ACTION (0x50017): what a guest access to an unknown MSR does. */
#define HV_UNIMPLEMENTED_MSR_ACTION_FAULT			0	/* #GP */
#define HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO	1
#define HV_UNIMPLEMENTED_MSR_ACTION_COUNT			2

/* VMM_CAPABILITIES (0x90007): what the hypervisor offers the root's VMM, bank 0. */
#define HV_VMM_CAP_MAP_GPA_PRESERVE_ADJUSTABLE		(1ULL << 0)
#define HV_VMM_CAP_VMM_CAN_PROVIDE_OVERLAY_GPFN		(1ULL << 1)
#define HV_VMM_CAP_VP_AFFINITY_PROPERTY			(1ULL << 2)
#define HV_VMM_CAP_VMM_CAN_PROVIDE_GIC_OVERLAY_LOCATIONS (1ULL << 3)	/* arm64 */
#define HV_VMM_CAP_ASSIGNABLE_SYNTHETIC_PROC_FEATURES	(1ULL << 4)
#define HV_VMM_CAP_VMM_ENABLE_INTEGRATED_SCHEDULER	(1ULL << 6)

#endif /* _HYPERV_HV_PARTITION_H */
