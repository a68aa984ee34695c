/* SPDX-License-Identifier: MIT */
/*
 * Microsoft Hypervisor hypercall ABI: every call code the model or the
 * driver names, the control and result words, and the input/output
 * layouts of the partition-creation path. A VP's registers and state are
 * in hv_vp.h, the SynIC calls in hv_synic.h, intercepts in hv_intercept.h,
 * virtual interrupts in hv_interrupt.h, guest memory in hv_memory.h and
 * ports (doorbells) in hv_port.h.
 * Inputs and outputs live in hypercall pages of HV_HYP_PAGE_SIZE bytes.
 */
#ifndef _HYPERV_HV_HYPERCALL_H
#define _HYPERV_HV_HYPERCALL_H

#include <linux/types.h>

#include "hv_partition.h"

#define HV_HYP_PAGE_SIZE	4096

#define HV_HYPERCALL_LIST(X)						\
	X(CREATE_PARTITION,			0x0040)			\
	X(INITIALIZE_PARTITION,			0x0041)			\
	X(FINALIZE_PARTITION,			0x0042)			\
	X(DELETE_PARTITION,			0x0043)			\
	X(GET_PARTITION_PROPERTY,		0x0044)			\
	X(SET_PARTITION_PROPERTY,		0x0045)			\
	X(DEPOSIT_MEMORY,			0x0048)			\
	X(WITHDRAW_MEMORY,			0x0049)			\
	X(MAP_GPA_PAGES,			0x004B)			\
	X(UNMAP_GPA_PAGES,			0x004C)			\
	X(INSTALL_INTERCEPT,			0x004D)			\
	X(CREATE_VP,				0x004E)			\
	X(GET_VP_REGISTERS,			0x0050)			\
	X(SET_VP_REGISTERS,			0x0051)			\
	X(TRANSLATE_VIRTUAL_ADDRESS,		0x0052)			\
	X(CLEAR_VIRTUAL_INTERRUPT,		0x0056)			\
	X(DELETE_PORT,				0x0058)			\
	X(DISCONNECT_PORT,			0x005B)			\
	X(REGISTER_INTERCEPT_RESULT,		0x0091)			\
	X(ASSERT_VIRTUAL_INTERRUPT,		0x0094)			\
	X(CREATE_PORT,				0x0095)			\
	X(CONNECT_PORT,				0x0096)			\
	X(SIGNAL_EVENT_DIRECT,			0x00C0)			\
	X(POST_MESSAGE_DIRECT,			0x00C1)			\
	X(GET_GPA_PAGES_ACCESS_STATES,		0x00C9)			\
	X(MAP_VP_STATE_PAGE,			0x00E1)			\
	X(UNMAP_VP_STATE_PAGE,			0x00E2)			\
	X(GET_VP_STATE,				0x00E3)			\
	X(SET_VP_STATE,				0x00E4)			\
	X(GET_VP_CPUID_VALUES,			0x00F4)			\
	X(GET_PARTITION_PROPERTY_EX,		0x0101)			\
	X(SET_PARTITION_PROPERTY_EX,		0x010A)

enum hv_hypercall_code {
#define HV_HYPERCALL_ENUM(name, value) HVCALL_##name = (value),
	HV_HYPERCALL_LIST(HV_HYPERCALL_ENUM)
#undef HV_HYPERCALL_ENUM
};

/*
 * Control word: call code in bits 0-15, fast bit 16, variable header size
 * (8-byte units) in bits 17-26, rep count in bits 32-43, rep start index in
 * bits 48-59. The result word carries the status in bits 0-15 and the reps
 * completed in bits 32-43.
 */
#define HV_HYPERCALL_CODE_MASK		0xFFFFULL
#define HV_HYPERCALL_FAST_BIT		(1ULL << 16)
#define HV_HYPERCALL_VARHEAD_OFFSET	17
#define HV_HYPERCALL_VARHEAD_MASK	(0x3FFULL << 17)
#define HV_HYPERCALL_REP_COMP_OFFSET	32
#define HV_HYPERCALL_REP_COMP_MASK	(0xFFFULL << 32)
#define HV_HYPERCALL_REP_START_OFFSET	48
#define HV_HYPERCALL_REP_START_MASK	(0xFFFULL << 48)
#define HV_HYPERCALL_RESULT_MASK	0xFFFFULL

/* CreatePartition, x86_64 form: 56 bytes. Output: the new partition id. */
struct hv_input_create_partition_x64 {
	__u64 flags;
	struct hv_proximity_domain_info proximity_domain_info;
	__u32 compatibility_version;
	__u32 padding;
	struct hv_partition_creation_properties_x64 partition_creation_properties;
	union hv_partition_isolation_properties isolation_properties;
} __attribute__((__packed__));

/* CreatePartition, arm64 form: 48 bytes (no xsave field). */
struct hv_input_create_partition_arm64 {
	__u64 flags;
	struct hv_proximity_domain_info proximity_domain_info;
	__u32 compatibility_version;
	__u32 padding;
	struct hv_partition_creation_properties_arm64 partition_creation_properties;
	union hv_partition_isolation_properties isolation_properties;
} __attribute__((__packed__));

#if defined(__x86_64__)
#define hv_input_create_partition hv_input_create_partition_x64
#else
#define hv_input_create_partition hv_input_create_partition_arm64
#endif

struct hv_output_create_partition {
	__u64 partition_id;
} __attribute__((__packed__));

/* InitializePartition, FinalizePartition, DeletePartition. */
struct hv_input_partition_id {
	__u64 partition_id;
} __attribute__((__packed__));

#define hv_input_initialize_partition	hv_input_partition_id
#define hv_input_finalize_partition	hv_input_partition_id
#define hv_input_delete_partition	hv_input_partition_id

struct hv_input_get_partition_property {
	__u64 partition_id;
	__u32 property_code;
	__u32 padding;
} __attribute__((__packed__));

struct hv_output_get_partition_property {
	__u64 property_value;
} __attribute__((__packed__));

struct hv_input_set_partition_property {
	__u64 partition_id;
	__u32 property_code;
	__u32 padding;
	__u64 property_value;
} __attribute__((__packed__));

/*
 * GetPartitionPropertyEx (0x101): the Get input plus a property-specific
 * argument (0 for partition-wide properties), 24 bytes. Linux's mshv_root
 * and rust-vmm read the extended (0x9xxxx) properties with it.
 */
union hv_partition_property_arg {
	__u64 as_uint64;
	struct {
		__u32 index;		/* e.g. a VP index */
		__u16 reserved0;
		__u8 reserved1;
		__u8 object_type;
	} __attribute__((__packed__)) fields;
};

struct hv_input_get_partition_property_ex {
	__u64 partition_id;
	__u32 property_code;
	__u32 padding;
	union hv_partition_property_arg arg;
} __attribute__((__packed__));

/*
 * An extended value that comes in banks: how many u64 banks follow, three
 * reserved u16, then the banks. VMM_CAPABILITIES and
 * ASSIGNABLE_SYNTHETIC_PROC_FEATURES have one bank: 16 bytes.
 */
struct hv_partition_property_banks {
	__u16 bank_count;
	__u16 reserved[3];
	__u64 bank[1];
} __attribute__((__packed__));

/* The rest of the page after the input may carry the value. */
#define HV_PARTITION_PROPERTY_EX_MAX_SIZE \
	(HV_HYP_PAGE_SIZE - sizeof(struct hv_input_get_partition_property_ex))

/* GetPartitionPropertyEx's output: as many bytes as the property's width (at least 8). */
union hv_output_get_partition_property_ex {
	__u8 buffer[HV_PARTITION_PROPERTY_EX_MAX_SIZE];
	__u64 value;					/* 8-byte properties */
	struct hv_partition_property_banks banks;	/* banked ones */
};

/* CreateVp's subnode_type when the VP may run on any subnode. */
#define HV_SUBNODE_ANY		0xFF

struct hv_input_create_vp {
	__u64 partition_id;
	__u32 vp_index;
	__u8 padding[3];
	__u8 subnode_type;
	__u64 subnode_id;
	struct hv_proximity_domain_info proximity_domain_info;
	__u64 flags;
} __attribute__((__packed__));

/* GetVpCpuidValues: a rep hypercall, one leaf_info in and one result out per rep. */
#define HV_GET_VP_CPUID_VALUES_FLAG_USE_VP_XFEM_XSS		(1U << 0)
#define HV_GET_VP_CPUID_VALUES_FLAG_APPLY_REGISTERED_VALUES	(1U << 1)

struct hv_cpuid_leaf_info {
	__u32 eax;
	__u32 ecx;
	__u64 xfem;
	__u64 xss;
} __attribute__((__packed__));

struct hv_input_get_vp_cpuid_values {
	__u64 partition_id;
	__u32 vp_index;
	__u32 flags;
	__u32 reserved;
	__u32 padding;
	struct hv_cpuid_leaf_info cpuid_leaf_info[];
} __attribute__((__packed__));

struct hv_output_get_vp_cpuid_values {
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
} __attribute__((__packed__));

#endif /* _HYPERV_HV_HYPERCALL_H */
