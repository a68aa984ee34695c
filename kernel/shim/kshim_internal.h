/* SPDX-License-Identifier: MIT */
/* What the userspace files of kernel/shim/ share with each other. */
#ifndef MSHVCPU_KSHIM_INTERNAL_H
#define MSHVCPU_KSHIM_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "kshim.h"

struct eventfd_ctx;

/* The kernel this thread is running a call of, and whose memory is "user". */
struct kshim *kshim_current(void);
pid_t kshim_current_task(void);

/* The injected fault boundary of the current kernel (0: none). */
uintptr_t kshim_fault_boundary(void);

/*
 * Our own descriptor for the calling program's descriptor @fd (a dup, or
 * fetched with pidfd_getfd from a supervised program), or -EBADF/-errno.
 */
int kshim_fetch_fd(int fd);

/* Enter @k as if for a system call (no user task); kshim_leave() undoes it. */
struct kshim *kshim_enter(struct kshim *k);
void kshim_leave(struct kshim *saved);

/* The kernel's list of watched eventfds (kshim_eventfd.c keeps it). */
struct eventfd_ctx **kshim_eventfd_watches(struct kshim *k);
pthread_mutex_t *kshim_lock(struct kshim *k);

/*
 * The userspace definitions of <linux/eventfd.h> (kshim_eventfd.c), with
 * the same types the kernel side sees.
 */
struct eventfd_ctx *eventfd_ctx_fdget(int fd);
void eventfd_ctx_put(struct eventfd_ctx *ctx);
void eventfd_signal(struct eventfd_ctx *ctx);
bool eventfd_ctx_same(const struct eventfd_ctx *a, const struct eventfd_ctx *b);
int eventfd_ctx_watch(struct eventfd_ctx *ctx, void (*fn)(void *data, uint64_t count),
		      void *data);
void eventfd_ctx_unwatch(struct eventfd_ctx *ctx);

#endif
