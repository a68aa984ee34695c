/* SPDX-License-Identifier: MIT */
/*
 * One rewritten partition create (mshvcpu apply): what a VMM asked of
 * MSHV_CREATE_PARTITION, made again through the library's create flow
 * with a profile -- the VMM's request as its base (its flags and
 * isolation kept, what it disabled disabled too) and enforce on, so that
 * nothing is weakened silently -- then handed to the VMM, said on stderr
 * and written to the log. Shared by `mshvcpu apply` on a real /dev/mshv
 * (tools/mshvcpu/apply.c) and by the emulator, which does the same for a
 * program that `mshvcpu apply` registered with it (emu/supervisor.c).
 */
#ifndef MSHVCPU_APPLY_CORE_H
#define MSHVCPU_APPLY_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/mshv.h>
#include <mshvcpu.h>

struct apply_config {
	const struct mshvcpu_profile *profile;
	char digest[65];		/* the profile's SHA-256, for the record */
	enum mshvcpu_policy policy;
	enum mshvcpu_revision revision;
	bool allow_v1;			/* a kernel before 6.19: a v1 create passes through */
	FILE *notes;			/* a line per create (--verbose), or NULL */
	FILE *log;			/* a JSON line per create (--log), or NULL */
};

/* What a VMM asked for. */
struct apply_request {
	bool v2;
	struct mshv_create_partition_v2 args;	/* v1: the first 16 bytes only */
};

/*
 * Reads process @pid's argument at @addr and checks it as the kernel
 * would (the v2 struct's bank count and reserved fields): 0, -EFAULT or
 * -EINVAL.
 */
int apply_read_request(pid_t pid, uint64_t addr, struct apply_request *r);

/*
 * Makes the partition for @r through @ops (whose open() gives the VMM's
 * /dev/mshv) and hands it over with @install, which owns the descriptor
 * from then on and returns the VMM's number for it or -errno. Returns what
 * the VMM's ioctl returns: that number, or -errno after saying why on
 * stderr. Either way the create is recorded.
 */
long apply_create(const struct apply_config *cfg, pid_t pid, const struct apply_request *r,
		  const struct mshvcpu_device_ops *ops, int (*install)(void *ctx, int pfd),
		  void *ctx);

/* A create refused before it could be made (@r may be NULL): said, recorded, -@err back. */
long apply_refuse(const struct apply_config *cfg, pid_t pid, const struct apply_request *r,
		  int err, const char *why);

/*
 * Under `mshvcpu emu` a program cannot get a seccomp listener of its own
 * (the kernel allows one per process): `mshvcpu apply` registers with the
 * emulator instead, by this ioctl on the emulated /dev/mshv, then becomes
 * the VMM. The emulator rewrites the creates of the registering process
 * and its descendants. Only the emulator knows this command.
 */
#define MSHVCPU_EMU_APPLY_ALLOW_V1	(1U << 0)
#define MSHVCPU_EMU_APPLY_VERBOSE	(1U << 1)

struct mshvcpu_emu_apply {
	__u32 flags;			/* MSHVCPU_EMU_APPLY_* */
	__u32 policy;			/* enum mshvcpu_policy */
	__u32 revision;			/* enum mshvcpu_revision */
	__u32 rsvd;
	char spec[2048];		/* NUL-terminated */
	char log[2048];			/* the log's path, or "" */
};

#define MSHVCPU_EMU_APPLY	_IOW(MSHV_IOCTL, 0xF0, struct mshvcpu_emu_apply)

#endif
