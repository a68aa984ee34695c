// SPDX-License-Identifier: MIT
/*
 * MSHV_IRQFD through the real ioctl entry, with the program's eventfds
 * those of this process: every refusal in Linux's order (a descriptor that
 * is not open, one that is not an eventfd, RESAMPLE -- which Linux always
 * refuses --, an eventfd already in use), deassigning (only the eventfd
 * and gsi given; an unknown pair is no error), and what a signal does: one
 * AssertVirtualInterrupt to the route's vector however many writes came
 * before the kernel looked, none after a deassign or once the partition's
 * file is closed (the irqfds go with it, while a VP file keeps the
 * partition).
 *
 * The argument {s32 fd, s32 resamplefd, u32 gsi, u32 flags} is the
 * reference's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel_harness.h"

#define GSI	30
#define VECTOR	0x41

/* The program's descriptors the tests pass: two eventfds and a pipe. */
static int efd, other, pipefd[2];

/*
 * A VP's partition with gsi 30 routed to VECTOR on APIC 0, level-triggered
 * (what RESAMPLE would need), and the descriptors opened.
 */
static int setup(void **state)
{
	struct route r = msi_route(GSI, 0, VECTOR);

	env_setup_vp(state);
	r.data |= 1U << 15;
	assert_int_equal(set_routes(*state, &r, 1), 0);
	efd = new_eventfd();
	other = new_eventfd();
	assert_int_equal(pipe(pipefd), 0);
	return 0;
}

static int teardown(void **state)
{
	int fds[] = { efd, other, pipefd[0], pipefd[1] };
	size_t i;

	for (i = 0; i < ARRAY_LEN(fds); i++)
		close(fds[i]);
	return env_teardown(state);
}

/* Assertions of VECTOR in the trace of what the watches did. */
static unsigned int asserted(struct env *e, unsigned int want_callbacks)
{
	struct trace t;
	unsigned int n = 0;
	size_t i;

	trace_on(e);
	assert_int_equal(kshim_run_eventfd_watches(e->k), want_callbacks);
	trace_off(e, &t);
	for (i = 0; i < t.count; i++) {
		assert_string_equal(trace_str(t.lines[i], "call"), "assert_virtual_interrupt");
		assert_int_equal(line_int(&t, i, "vector"), VECTOR);
		assert_int_equal(trace_u64(t.lines[i], "status"), ST_SUCCESS);
		n++;
	}
	trace_free(&t);
	return n;
}

static size_t watched(struct env *e)
{
	return kshim_eventfd_pollfds(e->k, NULL, 0);
}

static void refusals(void **state)
{
	struct env *e = *state;
	int copy = dup(efd);

	assert_int_equal(ioctl_on(e, e->fd[ON_PT], MSHV_IRQFD, (unsigned long)(e->guard.end - 8)),
			 -EFAULT);
	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI, 0x4), -EINVAL);
	assert_int_equal(irqfd_ioctl(e, -1, 0, GSI, 0), -EBADF);
	assert_int_equal(irqfd_ioctl(e, 987, 0, GSI, 0), -EBADF);
	assert_int_equal(irqfd_ioctl(e, pipefd[0], 0, GSI, 0), -EINVAL);
	assert_int_equal(irqfd_ioctl(e, efd, -1, GSI, IRQFD_RESAMPLE), -EBADF);
	assert_int_equal(irqfd_ioctl(e, efd, pipefd[1], GSI, IRQFD_RESAMPLE), -EINVAL);
	/* A level-triggered route and a good resamplefd: still refused, as in Linux. */
	assert_int_equal(irqfd_ioctl(e, efd, other, GSI, IRQFD_RESAMPLE), -EINVAL);
	assert_int_equal(watched(e), 0);

	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI, 0), 0);
	/* The same eventfd again, for any gsi, through any descriptor of it. */
	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI, 0), -EBUSY);
	assert_int_equal(irqfd_ioctl(e, copy, 0, 31, 0), -EBUSY);
	assert_int_equal(irqfd_ioctl(e, other, 0, GSI, 0), 0);
	assert_int_equal(watched(e), 2);
	assert_int_equal(e->rec.calls, 0);
	close(copy);
}

static void deassign_takes_that_pair_only(void **state)
{
	struct env *e = *state;

	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI, 0), 0);
	assert_int_equal(irqfd_ioctl(e, -1, 0, GSI, IRQFD_DEASSIGN), -EBADF);
	assert_int_equal(irqfd_ioctl(e, pipefd[0], 0, GSI, IRQFD_DEASSIGN), -EINVAL);
	assert_int_equal(irqfd_ioctl(e, other, 0, GSI, IRQFD_DEASSIGN), 0);	/* unknown */
	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI + 1, IRQFD_DEASSIGN), 0);	/* other gsi */
	ring(efd);
	assert_int_equal(asserted(e, 1), 1);

	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI, IRQFD_DEASSIGN), 0);
	assert_int_equal(watched(e), 0);
	ring(efd);
	assert_int_equal(asserted(e, 0), 0);
	/* Free again: it can be assigned anew. */
	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI, 0), 0);
}

static void writes_become_one_interrupt_each_look(void **state)
{
	struct env *e = *state;
	eventfd_t left;
	struct hv_vp_info vp;

	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI, 0), 0);
	assert_int_equal(asserted(e, 0), 0);		/* nothing written yet */
	ring(efd);
	ring(efd);
	ring(efd);
	assert_int_equal(asserted(e, 1), 1);
	/* The kernel took the count: the program finds the counter empty. */
	assert_int_equal(eventfd_read(efd, &left), -1);
	ring(efd);
	assert_int_equal(asserted(e, 1), 1);
	/* VP 0 (APIC id 0) got both, in its IRR. */
	assert_int_equal(hv_vp_get_info(e->hv, e->id, 0, &vp), 0);
	assert_int_equal(vp.interrupts, 2);
	assert_int_equal(vp.last_interrupt_vector, VECTOR);
}

static void irqfds_go_with_the_partition_file(void **state)
{
	struct env *e = *state;
	struct trace t;

	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI, 0), 0);
	close_kind(e, ON_PT);			/* the VP file keeps the partition */
	assert_int_equal(hv_partition_count(e->hv), 1);
	assert_int_equal(watched(e), 0);
	trace_on(e);
	ring(efd);
	assert_int_equal(kshim_run_eventfd_watches(e->k), 0);
	trace_off(e, &t);
	assert_int_equal(t.count, 0);
	trace_free(&t);
}

#define ROUTED(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest irqfd_tests[] = {
		ROUTED(refusals), ROUTED(deassign_takes_that_pair_only),
		ROUTED(writes_become_one_interrupt_each_look), ROUTED(irqfds_go_with_the_partition_file),
	};

	return cmocka_run_group_tests_name("irqfd", irqfd_tests, NULL, NULL);
}
