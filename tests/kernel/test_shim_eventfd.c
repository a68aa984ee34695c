// SPDX-License-Identifier: MIT
/*
 * The shim's <linux/eventfd.h>: a program's eventfd as the simulated kernel
 * holds it. Fetching refuses what is not an eventfd; a signal from the
 * kernel is what the program reads; the program's writes run the kernel's
 * watch callback once, with the counter; the poll set lists exactly the
 * watched ones; two contexts for one eventfd are known to be the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cmocka.h>

#include "hv.h"
#include "kshim.h"
#include "kshim_internal.h"

struct fixture {
	struct hv *hv;
	struct kshim *k;
	struct kshim *saved;
	int efd;
};

static int setup(void **state)
{
	struct hv_host_config hc = { .arch = HV_ARCH_X86_64, .vendor = 1 };
	struct fixture *f = calloc(1, sizeof(*f));
	struct kshim_config kc = { .abi = KSHIM_ABI_DEFAULT };

	assert_non_null(f);
	assert_int_equal(hv_create(&hc, &f->hv), 0);
	kc.hv = f->hv;
	assert_int_equal(kshim_create(&kc, &f->k), 0);
	/* As the driver would be: inside a call of this kernel. */
	f->saved = kshim_enter(f->k);
	f->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	assert_true(f->efd >= 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	close(f->efd);
	kshim_leave(f->saved);
	kshim_destroy(f->k);
	hv_destroy(f->hv);
	free(f);
	return 0;
}

static long err_of(const void *p)
{
	uintptr_t v = (uintptr_t)p;

	return v >= (uintptr_t)-4095 ? (long)(intptr_t)v : 0;
}

static void only_an_open_eventfd_is_taken(void **state)
{
	struct fixture *f = *state;
	int pipefd[2];

	(void)f;
	assert_int_equal(err_of(eventfd_ctx_fdget(-1)), -EBADF);
	assert_int_equal(err_of(eventfd_ctx_fdget(987)), -EBADF);
	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(err_of(eventfd_ctx_fdget(pipefd[0])), -EINVAL);
	close(pipefd[0]);
	close(pipefd[1]);
}

static void a_kernel_signal_is_what_the_program_reads(void **state)
{
	struct fixture *f = *state;
	struct eventfd_ctx *ctx = eventfd_ctx_fdget(f->efd);
	uint64_t v = 0;

	assert_int_equal(err_of(ctx), 0);
	eventfd_signal(ctx);
	eventfd_signal(ctx);
	assert_int_equal(read(f->efd, &v, sizeof(v)), sizeof(v));
	assert_int_equal(v, 2);
	eventfd_ctx_put(ctx);
}

struct seen {
	unsigned int calls;
	uint64_t count;
};

static void on_signal(void *data, uint64_t count)
{
	struct seen *s = data;

	s->calls++;
	s->count += count;
}

static void program_writes_run_the_watch_once_with_the_count(void **state)
{
	struct fixture *f = *state;
	struct eventfd_ctx *ctx = eventfd_ctx_fdget(f->efd);
	struct seen seen = { 0 };
	struct pollfd p[4];
	uint64_t five = 5, v;

	assert_int_equal(err_of(ctx), 0);
	assert_int_equal(kshim_eventfd_pollfds(f->k, p, 4), 0);
	assert_int_equal(eventfd_ctx_watch(ctx, on_signal, &seen), 0);
	assert_int_equal(eventfd_ctx_watch(ctx, on_signal, &seen), -EBUSY);
	assert_int_equal(kshim_eventfd_pollfds(f->k, p, 4), 1);
	assert_int_equal(kshim_run_eventfd_watches(f->k), 0);	/* nothing written yet */

	assert_int_equal(write(f->efd, &five, sizeof(five)), sizeof(five));
	assert_int_equal(poll(p, 1, 0), 1);
	assert_int_equal(kshim_run_eventfd_watches(f->k), 1);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.count, 5);
	/* The kernel consumed the counter: the program finds it empty. */
	assert_int_equal(read(f->efd, &v, sizeof(v)), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(kshim_run_eventfd_watches(f->k), 0);

	eventfd_ctx_unwatch(ctx);
	assert_int_equal(kshim_eventfd_pollfds(f->k, p, 4), 0);
	assert_int_equal(write(f->efd, &five, sizeof(five)), sizeof(five));
	assert_int_equal(kshim_run_eventfd_watches(f->k), 0);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(read(f->efd, &v, sizeof(v)), sizeof(v));
	eventfd_ctx_put(ctx);
}

static void contexts_know_when_they_are_the_same_eventfd(void **state)
{
	struct fixture *f = *state;
	int other = eventfd(0, EFD_CLOEXEC), copy = dup(f->efd);
	struct eventfd_ctx *a = eventfd_ctx_fdget(f->efd);
	struct eventfd_ctx *b = eventfd_ctx_fdget(copy);
	struct eventfd_ctx *c = eventfd_ctx_fdget(other);

	assert_true(other >= 0 && copy >= 0);
	assert_int_equal(err_of(a) | err_of(b) | err_of(c), 0);
	assert_true(eventfd_ctx_same(a, b));
	assert_false(eventfd_ctx_same(a, c));
	eventfd_ctx_put(a);
	eventfd_ctx_put(b);
	eventfd_ctx_put(c);
	close(other);
	close(copy);
}

static void put_closes_what_fdget_opened(void **state)
{
	struct fixture *f = *state;
	int probe = dup(0), after;
	struct eventfd_ctx *ctx;

	close(probe);	/* the lowest free descriptor */
	ctx = eventfd_ctx_fdget(f->efd);
	assert_int_equal(err_of(ctx), 0);
	eventfd_ctx_put(ctx);
	after = dup(0);
	assert_int_equal(after, probe);
	close(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(only_an_open_eventfd_is_taken, setup, teardown),
		cmocka_unit_test_setup_teardown(a_kernel_signal_is_what_the_program_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(program_writes_run_the_watch_once_with_the_count, setup,
						teardown),
		cmocka_unit_test_setup_teardown(contexts_know_when_they_are_the_same_eventfd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(put_closes_what_fdget_opened, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
