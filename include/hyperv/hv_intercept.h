/* SPDX-License-Identifier: MIT */
/*
 * Microsoft Hypervisor ABI of InstallIntercept (0x4D): which guest actions
 * stop the VP and send the root an intercept message.
 * Facts: Linux include/hyperv/hvgdk_mini.h; rust-vmm hv-headers.
 */
#ifndef _HYPERV_HV_INTERCEPT_H
#define _HYPERV_HV_INTERCEPT_H

#include <linux/types.h>

#include "hv_hypercall.h"

/* Access type mask: which accesses of the intercepted thing. */
#define HV_INTERCEPT_ACCESS_MASK_NONE		0x0
#define HV_INTERCEPT_ACCESS_MASK_READ		0x1
#define HV_INTERCEPT_ACCESS_MASK_WRITE		0x2
#define HV_INTERCEPT_ACCESS_MASK_EXECUTE	0x4

/*
 * Intercept types; the parameter is an I/O port (u16), a CPUID leaf
 * (u32), an exception vector (u16), an APIC register write mask (u32) or
 * an MSR index (u32), as the type says; the other types take none.
 */
#define HV_INTERCEPT_TYPE_LIST(X)					\
	X(X64_IO_PORT,			0x0)				\
	X(X64_MSR,			0x1)				\
	X(X64_CPUID,			0x2)				\
	X(EXCEPTION,			0x3)				\
	X(RESERVED0,			0x4)	/* was REGISTER */	\
	X(MMIO,				0x5)				\
	X(X64_GLOBAL_CPUID,		0x6)				\
	X(X64_APIC_SMI,			0x7)				\
	X(HYPERCALL,			0x8)				\
	X(X64_APIC_INIT_SIPI,		0x9)				\
	X(MC_UPDATE_PATCH_LEVEL_MSR_READ, 0xA)				\
	X(X64_APIC_WRITE,		0xB)				\
	X(X64_MSR_INDEX,		0xC)

enum hv_intercept_type {
#define HV_INTERCEPT_TYPE_ENUM(name, value) HV_INTERCEPT_TYPE_##name = (value),
	HV_INTERCEPT_TYPE_LIST(HV_INTERCEPT_TYPE_ENUM)
#undef HV_INTERCEPT_TYPE_ENUM
	HV_INTERCEPT_TYPE_MAX,
};

/* InstallIntercept: 24 bytes, no output. */
struct hv_input_install_intercept {
	__u64 partition_id;
	__u32 access_type;
	__u32 intercept_type;
	__u64 intercept_parameter;
} __attribute__((__packed__));

#endif /* _HYPERV_HV_INTERCEPT_H */
