// SPDX-License-Identifier: MIT
/*
 * mshvcpu apply's supervisor (apply.h). The program runs under a seccomp
 * filter that hands over MSHV_CREATE_PARTITION and nothing else. For each
 * such call on /dev/mshv the program's descriptor is fetched (the same
 * open file) and the create is made here, on it, by apply_core.c; the new
 * partition's descriptor is installed in the program and is what its
 * ioctl returns.
 *
 * The kernel gives a process one seccomp listener at most, so under
 * `mshvcpu emu`, whose listener the program already has, the emulator
 * rewrites the creates instead: this process registers with it through
 * the emulated /dev/mshv and then becomes the program.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "apply.h"
#include "notify.h"

/* The filter: ioctl with the create command (its low 32 bits, as the kernel reads it). */
static int apply_filter_install(void)
{
	enum { ALLOW = 6, NOTIFY = 7 };
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NOTIFY_AUDIT_ARCH, 0, ALLOW - 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, ALLOW - 4),
		/* Argument 1's low word (little endian). */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args) + 8),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MSHV_CREATE_PARTITION, NOTIFY - 6, ALLOW - 6),
		[ALLOW] = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		[NOTIFY] = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};

	return notify_filter_load(prog, sizeof(prog) / sizeof(prog[0]));
}

/* Is @fd /dev/mshv? */
static bool is_dev_mshv(int fd)
{
	struct stat st, dev;

	return !fstat(fd, &st) && S_ISCHR(st.st_mode) && !stat("/dev/mshv", &dev) &&
	       S_ISCHR(dev.st_mode) && st.st_rdev == dev.st_rdev;
}

/* The library's view of the program's /dev/mshv: "opening" it copies the descriptor. */
static int program_open(void *ctx, const char *path)
{
	int fd = fcntl(*(const int *)ctx, F_DUPFD_CLOEXEC, 0);

	(void)path;
	return fd < 0 ? -errno : fd;
}

static int program_ioctl(void *ctx, int fd, unsigned long request, void *arg)
{
	int ret;

	(void)ctx;
	do
		ret = ioctl(fd, request, arg);
	while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : ret;
}

static int program_close(void *ctx, int fd)
{
	(void)ctx;
	return close(fd) ? -errno : 0;
}

/* The new partition, into the program; ours is closed either way. */
static int install(void *ctx, int pfd)
{
	int theirs = notify_install_fd(ctx, pfd, true);

	close(pfd);
	return theirs;
}

static void apply_serve(void *ctx, struct notify *n)
{
	const struct apply_config *cfg = ctx;
	const struct seccomp_data *d = &n->req->data;
	pid_t pid = notify_process_of((pid_t)n->req->pid);
	int dev = notify_fetch_fd(pid, (int)d->args[0]);
	struct mshvcpu_device_ops ops = {
		.open = program_open, .ioctl = program_ioctl, .close = program_close, .ctx = &dev,
	};
	struct apply_request r;
	long ret;

	if (dev == -EBADF)
		return notify_answer(n, -EBADF);
	/* Never let a create through unseen: the VMM would get every feature. */
	if (dev < 0)
		return notify_answer(n, apply_refuse(cfg, pid, NULL, dev,
						     "its descriptor cannot be looked at"));
	if (!is_dev_mshv(dev)) {
		close(dev);
		return notify_pass(n);	/* another driver's command with the same number */
	}
	ret = apply_read_request(pid, d->args[2], &r);
	if (ret)
		ret = apply_refuse(cfg, pid, NULL, (int)ret, ret == -EFAULT ?
				   "its argument cannot be read" :
				   "its v2 struct breaks the kernel's rules (bank count, reserved "
				   "fields)");
	else
		ret = apply_create(cfg, pid, &r, &ops, install, n);
	close(dev);
	notify_answer(n, ret);
}

/* Under the emulator: register, then become the program. */
static int register_with_emulator(const struct apply_config *cfg, const char *spec,
				  const char *log_path, char *const argv[], char *why,
				  size_t why_len)
{
	struct mshvcpu_emu_apply req = {
		.flags = (cfg->allow_v1 ? MSHVCPU_EMU_APPLY_ALLOW_V1 : 0) |
			 (cfg->notes ? MSHVCPU_EMU_APPLY_VERBOSE : 0),
		.policy = cfg->policy,
		.revision = cfg->revision,
	};
	int dev, ret;

	if (strlen(spec) >= sizeof(req.spec) || (log_path && strlen(log_path) >= sizeof(req.log))) {
		snprintf(why, why_len, "the spec or the log path is too long for the emulator");
		return -ENAMETOOLONG;
	}
	strcpy(req.spec, spec);
	if (log_path)
		strcpy(req.log, log_path);
	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	ret = dev < 0 ? -errno : ioctl(dev, MSHVCPU_EMU_APPLY, &req) ? -errno : 0;
	if (dev >= 0)
		close(dev);
	if (ret) {
		snprintf(why, why_len, "registering with the emulator: %s", strerror(-ret));
		return ret;
	}
	execvp(argv[0], argv);
	ret = errno;
	fprintf(stderr, "mshvcpu: apply: %s: %s\n", argv[0], strerror(ret));
	return ret == ENOENT ? 127 : 126;
}

int apply_run(const struct apply_config *config, const char *spec, const char *log_path,
	      char *const argv[], char *why, size_t why_len)
{
	const struct notify_hooks hooks = { .serve = apply_serve, .ctx = (void *)config };

	if (getenv("MSHVCPU_EMU"))
		return register_with_emulator(config, spec, log_path, argv, why, why_len);
	return notify_run(argv, apply_filter_install, "apply", &hooks, why, why_len);
}
