/* SPDX-License-Identifier: MIT */
/*
 * Microsoft Hypervisor hypercall status codes (HV_STATUS_*), the subset the
 * model can return. Values from the hypervisor's public
 * specification as collected in ../shared/reference/mshv-abi.md; those it
 * does not list (INVALID_VP_INDEX, NOT_FOUND, INVALID_PORT_ID,
 * INVALID_CONNECTION_ID, INSUFFICIENT_BUFFERS) from Linux's
 * include/hyperv/hvgdk_mini.h.
 */
#ifndef _HYPERV_HV_STATUS_H
#define _HYPERV_HV_STATUS_H

/*
 * HV_STATUS_LIST(X) expands X(NAME, value) once per status, so that name
 * tables and switch statements are generated from this one list.
 */
#define HV_STATUS_LIST(X)						\
	X(SUCCESS,					0x0000)		\
	X(INVALID_HYPERCALL_CODE,			0x0002)		\
	X(INVALID_HYPERCALL_INPUT,			0x0003)		\
	X(INVALID_ALIGNMENT,				0x0004)		\
	X(INVALID_PARAMETER,				0x0005)		\
	X(ACCESS_DENIED,				0x0006)		\
	X(INVALID_PARTITION_STATE,			0x0007)		\
	X(OPERATION_DENIED,				0x0008)		\
	X(UNKNOWN_PROPERTY,				0x0009)		\
	X(PROPERTY_VALUE_OUT_OF_RANGE,			0x000A)		\
	X(INSUFFICIENT_MEMORY,				0x000B)		\
	X(INVALID_PARTITION_ID,				0x000D)		\
	X(INVALID_VP_INDEX,				0x000E)		\
	X(NOT_FOUND,					0x0010)		\
	X(INVALID_PORT_ID,				0x0011)		\
	X(INVALID_CONNECTION_ID,			0x0012)		\
	X(INSUFFICIENT_BUFFERS,				0x0013)		\
	X(PROCESSOR_FEATURE_NOT_SUPPORTED,		0x0020)		\
	X(INCOMPATIBLE_PROCESSOR,			0x0037)		\
	X(PROCESSOR_FEATURE_INCOMPATIBLE_XSAVE_FEATURES, 0x003B)	\
	X(CPUID_FEATURE_VALIDATION_ERROR,		0x003C)		\
	X(CPUID_XSAVE_FEATURE_VALIDATION_ERROR,		0x003D)

enum hv_status {
#define HV_STATUS_ENUM(name, value) HV_STATUS_##name = (value),
	HV_STATUS_LIST(HV_STATUS_ENUM)
#undef HV_STATUS_ENUM
};

#endif /* _HYPERV_HV_STATUS_H */
