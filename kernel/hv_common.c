// SPDX-License-Identifier: MIT
/*
 * Hypervisor status to errno, as Linux maps it (drivers/hv/hv_common.c):
 * a table of the statuses it names, -EIO for any other.
 */
#include <linux/kernel.h>
#include <asm/mshyperv.h>

#include "mshv_root.h"

struct hv_status_info {
	u16 code;
	int errno;
};

static const struct hv_status_info hv_status_infos[] = {
	{ HV_STATUS_SUCCESS,				0 },
	{ HV_STATUS_INVALID_HYPERCALL_CODE,		-EINVAL },
	{ HV_STATUS_INVALID_HYPERCALL_INPUT,		-EINVAL },
	{ HV_STATUS_INVALID_ALIGNMENT,			-EIO },
	{ HV_STATUS_INVALID_PARAMETER,			-EINVAL },
	{ HV_STATUS_ACCESS_DENIED,			-EIO },
	{ HV_STATUS_INVALID_PARTITION_STATE,		-EIO },
	{ HV_STATUS_OPERATION_DENIED,			-EIO },
	{ HV_STATUS_UNKNOWN_PROPERTY,			-EIO },
	{ HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE,	-EIO },
	{ HV_STATUS_INSUFFICIENT_MEMORY,		-ENOMEM },
	{ HV_STATUS_INVALID_PARTITION_ID,		-EINVAL },
	{ HV_STATUS_INVALID_VP_INDEX,			-EINVAL },
	{ HV_STATUS_NOT_FOUND,				-EIO },
	{ HV_STATUS_PROCESSOR_FEATURE_NOT_SUPPORTED,	-EIO },
};

int hv_result_to_errno(u64 status)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hv_status_infos); i++)
		if (hv_status_infos[i].code == hv_result(status))
			return hv_status_infos[i].errno;
	return -EIO;
}
