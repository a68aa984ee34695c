/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: eventfds a user program passes to the driver (irqfd,
 * ioeventfd). The context stands for the program's eventfd itself: a
 * signal through it is seen by the program, and the program's writes
 * reach a watch set here.
 *
 * eventfd_ctx_watch() is the shim's stand-in for the poll wait-queue
 * callback a kernel driver registers: @fn runs, in the simulated kernel,
 * each time the counter is found non-zero, with the counter's value (read
 * and reset first). Whoever runs the simulated kernel's event loop calls
 * kshim_run_eventfd_watches() (kshim.h) when the descriptors it was given
 * by kshim_eventfd_pollfds() are readable.
 */
#ifndef _SHIM_LINUX_EVENTFD_H
#define _SHIM_LINUX_EVENTFD_H

#include <linux/types.h>

struct eventfd_ctx;

/* The program's eventfd @fd: a context, or ERR_PTR(-EBADF / -EINVAL). */
struct eventfd_ctx *eventfd_ctx_fdget(int fd);
void eventfd_ctx_put(struct eventfd_ctx *ctx);
/* Adds 1 to the counter, as the program's read() will see. */
void eventfd_signal(struct eventfd_ctx *ctx);
/* The same program eventfd behind both? */
bool eventfd_ctx_same(const struct eventfd_ctx *a, const struct eventfd_ctx *b);

typedef void (*eventfd_watch_fn)(void *data, u64 count);
/* At most one watch per context; 0 or -errno. */
int eventfd_ctx_watch(struct eventfd_ctx *ctx, eventfd_watch_fn fn, void *data);
void eventfd_ctx_unwatch(struct eventfd_ctx *ctx);

#endif
