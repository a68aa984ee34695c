/* SPDX-License-Identifier: MIT */
/* kernel/shim: the errno values kernel/ returns (Linux's numbers). */
#ifndef _SHIM_LINUX_ERRNO_H
#define _SHIM_LINUX_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define EIO		5
#define ENXIO		6
#define EBADF		9
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define EMFILE		24
#define ENOTTY		25
#define ENOSPC		28
#define ERANGE		34
#define EBADFD		77
#define EOPNOTSUPP	95

#endif
