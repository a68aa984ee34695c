// SPDX-License-Identifier: MIT
/*
 * The seccomp filter of an emulated program: which of its system calls the
 * supervisor (supervisor.c) must see. Everything else runs untouched.
 *
 *   ioctl          whose command (low 32 bits, as the kernel reads it) is of
 *                  type 0xB8, MSHV_IOCTL: only the supervisor knows which
 *                  descriptors are emulated, so it answers or lets it run;
 *   mmap           of a descriptor (not anonymous memory);
 *   open, openat, openat2, stat, lstat, newfstatat, statx, access,
 *   faccessat, faccessat2, fstat
 *                  the ways a program names or inspects /dev/mshv.
 *
 * It is installed in the child between fork and exec (tools/notify), so
 * it binds the program and every process it starts, static binaries and
 * raw syscall() calls included, and never the supervisor itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "notify.h"
#include "supervisor.h"

/* System calls that always go to the supervisor. */
static const int always_notified[] = {
#ifdef SYS_open
	SYS_open,
#endif
#ifdef SYS_stat
	SYS_stat,
#endif
#ifdef SYS_lstat
	SYS_lstat,
#endif
#ifdef SYS_access
	SYS_access,
#endif
	SYS_openat,
	SYS_openat2,
	SYS_newfstatat,
	SYS_statx,
	SYS_faccessat,
	SYS_faccessat2,
	SYS_fstat,
};

#define LOW_WORD(n)	(offsetof(struct seccomp_data, args) + 8 * (n))	/* little endian */
#define N_ALWAYS	(sizeof(always_notified) / sizeof(always_notified[0]))

int emu_filter_install(void)
{
	/*
	 * Layout: arch check, syscall number, one test per always-notified
	 * call, the ioctl and mmap tests, then the two verdicts. Jumps are
	 * relative to the next instruction, so they are computed from the
	 * positions of the verdicts at the end.
	 */
	enum { HEAD = 4, IOCTL_LEN = 4, MMAP_LEN = 4 };
	struct sock_filter prog[HEAD + N_ALWAYS + IOCTL_LEN + MMAP_LEN + 2];
	const unsigned int allow = HEAD + N_ALWAYS + IOCTL_LEN + MMAP_LEN;
	const unsigned int notify = allow + 1;
	unsigned int i = 0, k;

#define AT(target)	((unsigned char)((target) - i - 1))
	prog[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					       offsetof(struct seccomp_data, arch));
	i++;
	prog[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NOTIFY_AUDIT_ARCH, 0, AT(allow));
	i++;
	prog[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					       offsetof(struct seccomp_data, nr));
	i++;
	/* Keep the number in X: the ioctl test overwrites A. */
	prog[i] = (struct sock_filter)BPF_STMT(BPF_MISC | BPF_TAX, 0);
	i++;
	for (k = 0; k < N_ALWAYS; k++, i++)
		prog[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						       (unsigned int)always_notified[k],
						       AT(notify), 0);
	/* ioctl: the command's type byte. */
	prog[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0,
					       AT(i + IOCTL_LEN));
	i++;
	prog[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, LOW_WORD(1));
	i++;
	prog[i] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xFF00);
	i++;
	prog[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xB800,
					       AT(notify), AT(allow));
	i++;
	/* mmap of a descriptor: fd (argument 4) is not -1. */
	prog[i] = (struct sock_filter)BPF_STMT(BPF_MISC | BPF_TXA, 0);
	i++;
	prog[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, AT(allow));
	i++;
	prog[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, LOW_WORD(4));
	i++;
	prog[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xFFFFFFFF,
					       AT(allow), AT(notify));
	i++;
	prog[allow] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog[notify] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
#undef AT
	if (i != allow)
		return -EINVAL;

	return notify_filter_load(prog, (unsigned short)(notify + 1));
}
