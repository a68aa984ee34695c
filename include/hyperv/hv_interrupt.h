/* SPDX-License-Identifier: MIT */
/*
 * Microsoft Hypervisor ABI of AssertVirtualInterrupt (0x94): the root
 * raises an interrupt in a child's virtual local APICs.
 * Facts: Linux include/hyperv/hvgdk_mini.h and hvhdk.h; rust-vmm
 * hv-headers.
 */
#ifndef _HYPERV_HV_INTERRUPT_H
#define _HYPERV_HV_INTERRUPT_H

#include <linux/types.h>

#include "hv_hypercall.h"

/* Interrupt types (the APIC's delivery modes, as the hypervisor numbers them). */
#define HV_INTERRUPT_TYPE_LIST(X)	\
	X(FIXED,		0x0)	\
	X(LOWESTPRIORITY,	0x1)	\
	X(SMI,			0x2)	\
	X(REMOTEREAD,		0x3)	\
	X(NMI,			0x4)	\
	X(INIT,			0x5)	\
	X(SIPI,			0x6)	\
	X(EXTINT,		0x7)	\
	X(LOCALINT0,		0x8)	\
	X(LOCALINT1,		0x9)

enum hv_interrupt_type {
#define HV_INTERRUPT_TYPE_ENUM(name, value) HV_X64_INTERRUPT_TYPE_##name = (value),
	HV_INTERRUPT_TYPE_LIST(HV_INTERRUPT_TYPE_ENUM)
#undef HV_INTERRUPT_TYPE_ENUM
	HV_X64_INTERRUPT_TYPE_MAXIMUM,
};

/* Control: the type in the low u32; then level-triggered, logical destination. */
#define HV_INTERRUPT_CONTROL_TYPE_MASK		0xFFFFFFFFULL
#define HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED	(1ULL << 32)
#define HV_INTERRUPT_CONTROL_LOGICAL_DEST	(1ULL << 33)
#define HV_INTERRUPT_CONTROL_RESERVED		(~0ULL << 34)

/* Broadcast destinations in physical mode: xAPIC and x2APIC. */
#define HV_APIC_BROADCAST_XAPIC		0xFFULL
#define HV_APIC_BROADCAST_X2APIC	0xFFFFFFFFULL

/* AssertVirtualInterrupt: 32 bytes, no output. */
struct hv_input_assert_virtual_interrupt {
	__u64 partition_id;
	__u64 control;
	__u64 dest_addr;	/* an APIC id, or a logical destination */
	__u32 vector;
	__u8 target_vtl;
	__u8 rsvd_z0;
	__u16 rsvd_z1;
} __attribute__((__packed__));

#endif /* _HYPERV_HV_INTERRUPT_H */
