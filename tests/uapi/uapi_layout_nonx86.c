/* SPDX-License-Identifier: MIT */
/*
 * Built with __x86_64__ undefined: the header as an arm64 compiler sees it.
 * Only compiler-provided headers are used, so glibc never sees the change.
 */
#include "uapi_layout_asserts.h"

#if defined(__x86_64__)
#error "this file must be compiled with -U__x86_64__"
#endif

PIN_OFF(struct mshv_create_partition_v2, pt_rsvd2, 56);

/* Linked into the x86_64 test so that the build of this file is checked. */
size_t uapi_nonx86_v2_size(void);
size_t uapi_nonx86_v2_size(void)
{
	return sizeof(struct mshv_create_partition_v2);
}
