// SPDX-License-Identifier: MIT
/*
 * The userspace side of <linux/eventfd.h> in the shim: a program's eventfd,
 * held by the simulated kernel.
 *
 * The context keeps a descriptor of its own for the program's eventfd: a
 * dup when the program is this process, or one fetched with pidfd_getfd()
 * when the call comes from a supervised program (kshim_ioctl_for). Both
 * refer to the very file the program holds, so the program sees our
 * signals and we see its writes. The counter is read with RWF_NOWAIT, so
 * a counter the program has emptied meanwhile never blocks the kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kshim_internal.h"

typedef uint64_t u64;
typedef void (*eventfd_watch_fn)(void *data, u64 count);

struct eventfd_ctx {
	struct kshim *k;
	int fd;
	eventfd_watch_fn fn;		/* NULL: not watched */
	void *data;
	struct eventfd_ctx *next;	/* in the kernel's watch list */
};

/* Error pointers, as <linux/err.h> makes them. */
static void *err_ptr(long err)
{
	return (void *)(uintptr_t)err;
}

/* The thread-group leader of thread @tid: pidfd_open() wants a process. */
static pid_t tgid_of(pid_t tid)
{
	char path[64], line[128];
	pid_t tgid = tid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return tid;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

int kshim_fetch_fd(int fd)
{
	pid_t task = kshim_current_task();
	int pidfd, ours;

	if (fd < 0)
		return -EBADF;
	if (!task) {
		ours = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		return ours < 0 ? -EBADF : ours;
	}
	pidfd = (int)syscall(SYS_pidfd_open, tgid_of(task), 0);
	if (pidfd < 0)
		return -errno;
	ours = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (ours < 0)
		ours = errno == EBADF ? -EBADF : -errno;
	close(pidfd);
	return ours;
}

static bool is_eventfd(int fd)
{
	char link[64], target[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "anon_inode:[eventfd]") == 0;
}

struct eventfd_ctx *eventfd_ctx_fdget(int fd)
{
	struct eventfd_ctx *ctx;
	int ours = kshim_fetch_fd(fd);

	if (ours < 0)
		return err_ptr(ours);
	if (!is_eventfd(ours)) {
		close(ours);
		return err_ptr(-EINVAL);
	}
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		close(ours);
		return err_ptr(-ENOMEM);
	}
	ctx->k = kshim_current();
	ctx->fd = ours;
	return ctx;
}

void eventfd_ctx_unwatch(struct eventfd_ctx *ctx)
{
	struct eventfd_ctx **p;

	if (!ctx->fn)
		return;
	pthread_mutex_lock(kshim_lock(ctx->k));
	for (p = kshim_eventfd_watches(ctx->k); *p; p = &(*p)->next)
		if (*p == ctx) {
			*p = ctx->next;
			break;
		}
	pthread_mutex_unlock(kshim_lock(ctx->k));
	ctx->fn = NULL;
}

void eventfd_ctx_put(struct eventfd_ctx *ctx)
{
	if (!ctx)
		return;
	eventfd_ctx_unwatch(ctx);
	close(ctx->fd);
	free(ctx);
}

void eventfd_signal(struct eventfd_ctx *ctx)
{
	u64 one = 1;

	/* Only a counter at its maximum refuses; the program must drain it. */
	if (write(ctx->fd, &one, sizeof(one)) < 0) {
		/* Nothing for a kernel to do about a full counter. */
	}
}

bool eventfd_ctx_same(const struct eventfd_ctx *a, const struct eventfd_ctx *b)
{
	pid_t self = getpid();

	/* kcmp(KCMP_FILE): do the two descriptors hold the same open file? */
	return syscall(SYS_kcmp, self, self, 0 /* KCMP_FILE */, a->fd, b->fd) == 0;
}

int eventfd_ctx_watch(struct eventfd_ctx *ctx, eventfd_watch_fn fn, void *data)
{
	if (ctx->fn)
		return -EBUSY;
	ctx->data = data;
	pthread_mutex_lock(kshim_lock(ctx->k));
	ctx->fn = fn;
	ctx->next = *kshim_eventfd_watches(ctx->k);
	*kshim_eventfd_watches(ctx->k) = ctx;
	pthread_mutex_unlock(kshim_lock(ctx->k));
	return 0;
}

size_t kshim_eventfd_pollfds(struct kshim *k, struct pollfd *out, size_t max)
{
	struct eventfd_ctx *ctx;
	size_t n = 0;

	pthread_mutex_lock(kshim_lock(k));
	for (ctx = *kshim_eventfd_watches(k); ctx; ctx = ctx->next, n++)
		if (n < max)
			out[n] = (struct pollfd){ .fd = ctx->fd, .events = POLLIN };
	pthread_mutex_unlock(kshim_lock(k));
	return n;
}

/* The first watched context whose counter is non-zero, its count read. */
static struct eventfd_ctx *next_signalled(struct kshim *k, u64 *count)
{
	struct eventfd_ctx *ctx;

	pthread_mutex_lock(kshim_lock(k));
	for (ctx = *kshim_eventfd_watches(k); ctx; ctx = ctx->next) {
		struct iovec iov = { count, sizeof(*count) };

		if (preadv2(ctx->fd, &iov, 1, -1, RWF_NOWAIT) == sizeof(*count))
			break;
	}
	pthread_mutex_unlock(kshim_lock(k));
	return ctx;
}

unsigned int kshim_run_eventfd_watches(struct kshim *k)
{
	struct kshim *saved = kshim_enter(k);
	struct eventfd_ctx *ctx;
	unsigned int fired = 0;
	u64 count;

	/* A callback may unwatch contexts: look the list up afresh each time. */
	while ((ctx = next_signalled(k, &count))) {
		ctx->fn(ctx->data, count);
		fired++;
	}
	kshim_leave(saved);
	return fired;
}
