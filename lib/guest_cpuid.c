// SPDX-License-Identifier: MIT
/*
 * What a partition's guest sees in CPUID, asked of the hypervisor as a VMM
 * asks it: a VP, then GetVpCpuidValues through the kernel's ROOT_HVCALL
 * pass-through (the VP's descriptor targets its partition).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hyperv/hv_hypercall.h>
#include <linux/mshv.h>

#include "device.h"
#include "internal.h"

int mshvcpu_partition_create_vp(const struct mshvcpu_device_ops *ops, int partition_fd,
				uint32_t vp_index, struct mshvcpu_error *err)
{
	struct mshv_create_vp args = { .vp_index = vp_index };
	int fd = device_ioctl(ops, partition_fd, MSHV_CREATE_VP, &args);

	if (fd < 0)
		return set_error(err, fd, "creating VP %u: %s", vp_index, strerror(-fd));
	return fd;
}

int mshvcpu_partition_cpuid(const struct mshvcpu_device_ops *ops, int vp_fd, uint32_t vp_index,
			    struct mshvcpu_cpuid_leaf *leaves, size_t n,
			    struct mshvcpu_error *err)
{
	/* What one hypercall page holds: a 24-byte header, then 24 bytes a leaf. */
	const size_t max = (4096 - sizeof(struct hv_input_get_vp_cpuid_values)) /
			   sizeof(struct hv_cpuid_leaf_info);
	struct hv_input_get_vp_cpuid_values *in;
	struct hv_output_get_vp_cpuid_values *out;
	struct mshv_root_hvcall call = { .code = HVCALL_GET_VP_CPUID_VALUES };
	size_t in_sz = sizeof(*in) + n * sizeof(in->cpuid_leaf_info[0]), i;
	int ret;

	if (!leaves || !n || n > max)
		return set_error(err, -EINVAL, "between 1 and %zu leaves at a time", max);
	in = calloc(1, in_sz);
	out = calloc(n, sizeof(*out));
	if (!in || !out) {
		free(in);
		free(out);
		return set_error(err, -ENOMEM, "out of memory");
	}
	in->vp_index = vp_index;
	for (i = 0; i < n; i++) {
		in->cpuid_leaf_info[i].eax = leaves[i].leaf;
		in->cpuid_leaf_info[i].ecx = leaves[i].subleaf;
	}
	call.reps = (uint16_t)n;
	call.in_sz = (uint16_t)in_sz;
	call.out_sz = (uint16_t)(n * sizeof(*out));
	call.in_ptr = (uintptr_t)in;
	call.out_ptr = (uintptr_t)out;
	ret = device_ioctl(ops, vp_fd, MSHV_ROOT_HVCALL, &call);
	if (ret)
		set_error(err, ret, "GetVpCpuidValues: %s (hypervisor status 0x%x)",
			  strerror(-ret), call.status);
	else
		for (i = 0; i < n; i++) {
			leaves[i].eax = out[i].eax;
			leaves[i].ebx = out[i].ebx;
			leaves[i].ecx = out[i].ecx;
			leaves[i].edx = out[i].edx;
		}
	free(in);
	free(out);
	return ret;
}
