/* SPDX-License-Identifier: MIT */
/*
 * Reaching /dev/mshv: through the caller's device ops or real system calls,
 * with the ioctl retried on EINTR, plus the partition-property hypercalls
 * the library issues through MSHV_ROOT_HVCALL.
 */
#ifndef MSHVCPU_LIB_DEVICE_H
#define MSHVCPU_LIB_DEVICE_H

#include "internal.h"

const struct mshvcpu_device_ops *device_ops_or_default(const struct mshvcpu_device_ops *ops)
	MSHVCPU_INTERNAL(device_ops_or_default);

int device_open(const struct mshvcpu_device_ops *ops, const char *path)
	MSHVCPU_INTERNAL(device_open);
/* Retries while the call is interrupted (-EINTR). */
int device_ioctl(const struct mshvcpu_device_ops *ops, int fd, unsigned long request,
		 void *arg)
	MSHVCPU_INTERNAL(device_ioctl);
int device_close(const struct mshvcpu_device_ops *ops, int fd)
	MSHVCPU_INTERNAL(device_close);

/*
 * GetPartitionProperty / SetPartitionProperty through MSHV_ROOT_HVCALL on
 * @fd (/dev/mshv: the root partition; a partition fd: that partition).
 * Returns 0 or -errno; *hv_status (if given) receives the raw status.
 */
int device_get_property(const struct mshvcpu_device_ops *ops, int fd, uint32_t code,
			uint64_t *value, uint16_t *hv_status)
	MSHVCPU_INTERNAL(device_get_property);
int device_set_property(const struct mshvcpu_device_ops *ops, int fd, uint32_t code,
			uint64_t value, uint16_t *hv_status)
	MSHVCPU_INTERNAL(device_set_property);

/* Map HV_PROCESSOR_VENDOR_* to the library's vendor. */
enum mshvcpu_vendor vendor_from_hv(uint64_t hv_vendor)
	MSHVCPU_INTERNAL(vendor_from_hv);

#endif
