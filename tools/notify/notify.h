/* SPDX-License-Identifier: MIT */
/*
 * Running a program under a seccomp filter whose listener this process
 * keeps (SECCOMP_FILTER_FLAG_NEW_LISTENER): the system calls the filter
 * hands over stop in the kernel until this process answers them. The
 * emulator (emu/supervisor.c) answers /dev/mshv for a program; `mshvcpu
 * apply` rewrites a VMM's partition creates. Both are built on this.
 *
 * The filter is installed in the child between fork and exec, so it binds
 * the program and every process it starts, static binaries and raw
 * syscall() included, and never this process. Filters stack: a program
 * run by `mshvcpu apply` under `mshvcpu emu` is under both, and a call
 * both filters hand over goes to the newest listener only -- which must
 * then make the call itself rather than let it continue (continuing
 * would skip the older listener). A filter should hand over no more than
 * its listener answers.
 */
#ifndef MSHVCPU_NOTIFY_H
#define MSHVCPU_NOTIFY_H

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The architecture a filter checks first: a call of another one is not ours to judge. */
#if defined(__x86_64__)
#define NOTIFY_AUDIT_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NOTIFY_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#else
#error "the seccomp filters here know x86_64 and aarch64"
#endif

/* The notification being served, and where to answer it. */
struct notify {
	int listener;
	struct seccomp_notif *req;
	size_t req_size;
};

struct notify_hooks {
	/*
	 * Descriptors to poll besides the listener: up to @max at @out (or,
	 * with @out NULL, only counted); returns how many there are.
	 */
	size_t (*pollfds)(void *ctx, struct pollfd *out, size_t max);
	/* After each poll, before a notification is served: those descriptors. */
	void (*polled)(void *ctx, const struct pollfd *fds, size_t n);
	/* One notification, answered with notify_answer() or notify_pass(). */
	void (*serve)(void *ctx, struct notify *n);
	void *ctx;
};

/*
 * In the child: installs the filter @prog (no_new_privs set first), whose
 * handed-over calls wait killably once received (Linux 5.19). Returns the
 * listener, or -errno.
 */
int notify_filter_load(struct sock_filter *prog, unsigned short len);

/*
 * Runs @argv (argv[0] looked up in PATH) with the filter @install makes in
 * the child (returning its listener or -errno), and serves it until the
 * program and every process it left running are gone. ^C and ^\ are the
 * program's meanwhile, as with system(). Returns the program's status as
 * a shell reports it (0-255, 128 + signal), or -errno with @why (what
 * failed, @why_len bytes) when it could not be started; messages from the
 * child start "mshvcpu: @who: ".
 */
int notify_run(char *const argv[], int (*install)(void), const char *who,
	       const struct notify_hooks *hooks, char *why, size_t why_len);

/* Answers: a return value (>= 0) or an error (-errno), or "run it as it is". */
void notify_answer(struct notify *n, long val);
void notify_pass(struct notify *n);
/*
 * Puts a copy of our descriptor @fd into the calling program (close-on-exec
 * if @cloexec): its number there, or -errno.
 */
int notify_install_fd(struct notify *n, int fd, bool cloexec);

/* The caller's memory: 0 or -EFAULT, all or nothing. */
int notify_read(pid_t pid, uint64_t addr, void *buf, size_t len);
int notify_write(pid_t pid, uint64_t addr, const void *buf, size_t len);
/* A NUL-terminated string of at most @cap bytes: its length, -EFAULT or -ENAMETOOLONG. */
int notify_read_string(pid_t pid, uint64_t addr, char *buf, size_t cap);
/* The process thread @tid belongs to (itself if that cannot be read). */
pid_t notify_process_of(pid_t tid);
/* A descriptor of thread @tid's, as one of ours on the same open file: >= 0 or -errno. */
int notify_fetch_fd(pid_t tid, int fd);

#endif
