/* SPDX-License-Identifier: MIT */
/*
 * Microsoft Hypervisor partition ABI: creation flags, creation and isolation
 * properties, partition property codes and processor vendors. Shared by the
 * kernel handler (kernel/) and the hypervisor model (hv/).
 * Facts: ../shared/reference/mshv-abi.md, sections 3 and 4.
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
 * Partition property codes. Feature properties are in the *enabled* sense:
 * on the root partition what the host offers, on a child what it got.
 */
#define HV_PARTITION_PROPERTY_LIST(X)					\
	X(SYNTHETIC_PROC_FEATURES,		0x00010001)		\
	X(PRIVILEGE_FLAGS,			0x00010000)		\
	X(PROCESSOR_VENDOR,			0x00060000)		\
	X(PROCESSOR_XSAVE_FEATURES,		0x00060002)		\
	X(PROCESSOR_CL_FLUSH_SIZE,		0x00060003)		\
	X(COMPATIBILITY_VERSION,		0x00060005)		\
	X(PHYSICAL_ADDRESS_WIDTH,		0x00060006)		\
	X(XSAVE_STATES,				0x00060007)		\
	X(MAX_XSAVE_DATA_SIZE,			0x00060008)		\
	X(PROCESSOR_CLOCK_FREQUENCY,		0x00060009)		\
	X(PROCESSOR_FEATURES0,			0x0006000A)		\
	X(PROCESSOR_FEATURES1,			0x0006000B)		\
	X(FEATURE_BANK_COUNT,			0x00060015)		\
	X(DISABLED_PROCESSOR_FEATURES_EX,	0x0009000E)

enum hv_partition_property_code {
#define HV_PROPERTY_ENUM(name, value) HV_PARTITION_PROPERTY_##name = (value),
	HV_PARTITION_PROPERTY_LIST(HV_PROPERTY_ENUM)
#undef HV_PROPERTY_ENUM
};

/* Values of HV_PARTITION_PROPERTY_PROCESSOR_VENDOR. */
#define HV_PROCESSOR_VENDOR_AMD		0x0
#define HV_PROCESSOR_VENDOR_INTEL	0x1
#define HV_PROCESSOR_VENDOR_HYGON	0x2
#define HV_PROCESSOR_VENDOR_ARM		0x10

#endif /* _HYPERV_HV_PARTITION_H */
