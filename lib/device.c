// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_status.h>
#include <linux/mshv.h>

#include "device.h"

static int sys_open(void *ctx, const char *path)
{
	int fd;

	(void)ctx;
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int sys_ioctl(void *ctx, int fd, unsigned long request, void *arg)
{
	int ret;

	(void)ctx;
	ret = ioctl(fd, request, arg);
	return ret < 0 ? -errno : ret;
}

static int sys_close(void *ctx, int fd)
{
	(void)ctx;
	return close(fd) < 0 ? -errno : 0;
}

static const struct mshvcpu_device_ops system_ops = {
	.open = sys_open,
	.ioctl = sys_ioctl,
	.close = sys_close,
};

const struct mshvcpu_device_ops *device_ops_or_default(const struct mshvcpu_device_ops *ops)
{
	return ops ? ops : &system_ops;
}

int device_open(const struct mshvcpu_device_ops *ops, const char *path)
{
	int fd;

	ops = device_ops_or_default(ops);
	do
		fd = ops->open(ops->ctx, path);
	while (fd == -EINTR);
	return fd;
}

int device_ioctl(const struct mshvcpu_device_ops *ops, int fd, unsigned long request,
		 void *arg)
{
	int ret;

	ops = device_ops_or_default(ops);
	do
		ret = ops->ioctl(ops->ctx, fd, request, arg);
	while (ret == -EINTR);
	return ret;
}

int device_close(const struct mshvcpu_device_ops *ops, int fd)
{
	ops = device_ops_or_default(ops);
	return ops->close(ops->ctx, fd);
}

int device_get_property(const struct mshvcpu_device_ops *ops, int fd, uint32_t code,
			uint64_t *value, uint16_t *hv_status)
{
	/* The kernel overwrites partition_id with the fd's partition (or SELF). */
	struct hv_input_get_partition_property in = { .property_code = code };
	struct hv_output_get_partition_property out = { 0 };
	struct mshv_root_hvcall call = {
		.code = HVCALL_GET_PARTITION_PROPERTY,
		.in_sz = sizeof(in),
		.out_sz = sizeof(out),
		.in_ptr = (uintptr_t)&in,
		.out_ptr = (uintptr_t)&out,
	};
	int ret = device_ioctl(ops, fd, MSHV_ROOT_HVCALL, &call);

	if (hv_status)
		*hv_status = call.status;
	if (!ret)
		*value = out.property_value;
	return ret;
}

int device_set_property(const struct mshvcpu_device_ops *ops, int fd, uint32_t code,
			uint64_t value, uint16_t *hv_status)
{
	struct hv_input_set_partition_property in = {
		.property_code = code,
		.property_value = value,
	};
	struct mshv_root_hvcall call = {
		.code = HVCALL_SET_PARTITION_PROPERTY,
		.in_sz = sizeof(in),
		.in_ptr = (uintptr_t)&in,
	};
	int ret = device_ioctl(ops, fd, MSHV_ROOT_HVCALL, &call);

	if (hv_status)
		*hv_status = call.status;
	return ret;
}

enum mshvcpu_vendor vendor_from_hv(uint64_t hv_vendor)
{
	switch (hv_vendor) {
	case HV_PROCESSOR_VENDOR_INTEL:
		return MSHVCPU_VENDOR_INTEL;
	case HV_PROCESSOR_VENDOR_AMD:
		return MSHVCPU_VENDOR_AMD;
	case HV_PROCESSOR_VENDOR_HYGON:
		return MSHVCPU_VENDOR_HYGON;
	case HV_PROCESSOR_VENDOR_ARM:
		return MSHVCPU_VENDOR_ARM;
	default:
		return MSHVCPU_VENDOR_ANY;
	}
}
