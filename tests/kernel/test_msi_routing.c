// SPDX-License-Identifier: MIT
/*
 * MSHV_SET_MSI_ROUTING through the real ioctl entry: every refusal in
 * Linux's order (the old table stays), the table's limits (4096 entries,
 * gsi below 4096, nr 0 empties it), and what a route means, seen through
 * an irqfd on gsi 5: each MSI field decoded into AssertVirtualInterrupt's
 * vector, destination, type, trigger and destination mode; a new table
 * taking effect at once; a gsi past the table dropped (an "irqfd_dropped"
 * trace event), one inside it without a route asserted as vector 0.
 *
 * The table {u32 nr, u32 rsvd, then {gsi, address_lo, address_hi, data}
 * per entry} is the reference's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel_harness.h"

#define MAX_ROUTES	4096
#define GSI		5

static struct route table[MAX_ROUTES + 1];

/* The single trace line an irqfd signal on gsi 5 leaves. */
static void signal_once(struct env *e, int efd, struct trace *t)
{
	trace_on(e);
	ring(efd);
	assert_int_equal(kshim_run_eventfd_watches(e->k), 1);
	trace_off(e, t);
	assert_int_equal(t->count, 1);
}

static void refusals_keep_the_old_table(void **state)
{
	static const struct {
		const char *what;
		uint32_t nr;
		struct route bad;
		long err;
	} cases[] = {
		{ "4097 entries", MAX_ROUTES + 1, { 0, 0, 0, 0 }, -EINVAL },
		{ "gsi 4096", 2, { MAX_ROUTES, 0xFEE00000U, 0, 0x30 }, -EINVAL },
		{ "address_hi set", 2, { 9, 0xFEE00000U, 1, 0x30 }, -EINVAL },
		{ "gsi 5 twice", 2, { GSI, 0xFEE00000U, 0, 0x30 }, -EINVAL },
	};
	struct env *e = *state;
	_Alignas(8) uint8_t header[8] = { 0 };
	int efd = new_eventfd();
	struct trace t;
	size_t i;

	table[0] = msi_route(GSI, 0, 0x31);
	assert_int_equal(set_routes(e, table, 1), 0);
	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI, 0), 0);
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		table[0] = msi_route(GSI, 0, 0x77);
		table[1] = cases[i].bad;
		if (set_routes(e, table, cases[i].nr) != cases[i].err)
			fail_msg("%s: not %ld", cases[i].what, cases[i].err);
	}
	put32(header, 4, 1);				/* rsvd */
	assert_int_equal(ioctl_on(e, e->fd[ON_PT], MSHV_SET_MSI_ROUTING, (unsigned long)header),
			 -EINVAL);
	assert_int_equal(ioctl_on(e, e->fd[ON_PT], MSHV_SET_MSI_ROUTING,
				  (unsigned long)(e->guard.end - 4)), -EFAULT);
	/* A header that says 1 entry, where none can be read. */
	put32(e->guard.end - 8, 0, 1);
	put32(e->guard.end - 8, 4, 0);
	assert_int_equal(ioctl_on(e, e->fd[ON_PT], MSHV_SET_MSI_ROUTING,
				  (unsigned long)(e->guard.end - 8)), -EFAULT);
	assert_int_equal(e->rec.calls, 0);

	/* gsi 5 still goes to vector 0x31. */
	signal_once(e, efd, &t);
	assert_string_equal(trace_str(t.lines[0], "call"), "assert_virtual_interrupt");
	assert_int_equal(line_int(&t, 0, "vector"), 0x31);
	trace_free(&t);
	close(efd);
}

static void the_limits_are_inclusive(void **state)
{
	struct env *e = *state;
	uint32_t i;

	for (i = 0; i < MAX_ROUTES; i++)
		table[i] = msi_route(MAX_ROUTES - 1 - i, 0, 0x40);
	assert_int_equal(set_routes(e, table, MAX_ROUTES), 0);
	assert_int_equal(set_routes(e, NULL, 0), 0);
	/* Checking, replacing and emptying ask nothing of the hypervisor. */
	assert_int_equal(e->rec.calls, 0);
}

/* Each MSI field, and what AssertVirtualInterrupt gets for it. */
static void a_route_is_decoded_into_the_interrupt(void **state)
{
	static const struct {
		uint32_t address_lo, data;
		const char *type;
		int vector;
		uint64_t destination;
		bool logical, level;
	} cases[] = {
		{ 0xFEE00000U, 0x0031, "FIXED", 0x31, 0, false, false },
		{ 0xFEE00000U, 0x0140, "LOWESTPRIORITY", 0x40, 0, false, false },
		{ 0xFEE00000U, 0x8050, "FIXED", 0x50, 0, false, true },
		{ 0xFEE01004U, 0x0060, "FIXED", 0x60, 1, true, false },
		{ 0xFEEFF000U, 0x0470, "NMI", 0x70, 0xFF, false, false },
		{ 0xFEE00000U, 0x7FFF, "EXTINT", 0xFF, 0, false, false },
	};
	struct env *e = *state;
	int efd = new_eventfd();
	struct trace t;
	size_t i;

	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI, 0), 0);
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		table[0] = (struct route){ GSI, cases[i].address_lo, 0, cases[i].data };
		assert_int_equal(set_routes(e, table, 1), 0);
		signal_once(e, efd, &t);
		assert_string_equal(trace_str(t.lines[0], "interrupt_type"), cases[i].type);
		assert_int_equal(line_int(&t, 0, "vector"), cases[i].vector);
		assert_int_equal(trace_u64(t.lines[0], "destination"), cases[i].destination);
		assert_int_equal(line_bool(&t, 0, "logical"), cases[i].logical);
		assert_int_equal(line_bool(&t, 0, "level_triggered"), cases[i].level);
		assert_int_equal(trace_u64(t.lines[0], "partition_id"), e->id);
		trace_free(&t);
	}
	close(efd);
}

static void unrouted_gsis(void **state)
{
	struct env *e = *state;
	int efd = new_eventfd(), zero = new_eventfd();
	struct trace t;

	assert_int_equal(irqfd_ioctl(e, efd, 0, GSI, 0), 0);
	assert_int_equal(irqfd_ioctl(e, zero, 0, 0, 0), 0);
	/* No table: gsi 5 is dropped, without a hypercall. */
	signal_once(e, efd, &t);
	assert_string_equal(trace_str(t.lines[0], "event"), "irqfd_dropped");
	assert_int_equal(trace_u64(t.lines[0], "partition_id"), e->id);
	assert_int_equal(line_int(&t, 0, "gsi"), GSI);
	trace_free(&t);
	/* ...but gsi 0 is asserted with nothing routed: vector 0, which is refused. */
	trace_on(e);
	ring(zero);
	assert_int_equal(kshim_run_eventfd_watches(e->k), 1);
	expect_trace(e, e->id, (const struct traced[]){
		{ "assert_virtual_interrupt", ST_INVALID_PARAMETER, "vector", 0 } }, 1);
	/* Inside the table without an entry: likewise vector 0. */
	table[0] = msi_route(9, 0, 0x30);
	assert_int_equal(set_routes(e, table, 1), 0);
	signal_once(e, efd, &t);
	assert_string_equal(trace_str(t.lines[0], "call"), "assert_virtual_interrupt");
	assert_int_equal(line_int(&t, 0, "vector"), 0);
	assert_string_equal(trace_str(t.lines[0], "status_name"), "HV_STATUS_INVALID_PARAMETER");
	trace_free(&t);
	/* Past its end again once it is emptied. */
	assert_int_equal(set_routes(e, NULL, 0), 0);
	signal_once(e, efd, &t);
	assert_string_equal(trace_str(t.lines[0], "event"), "irqfd_dropped");
	trace_free(&t);
	close(efd);
	close(zero);
}

int main(void)
{
	/* All on a partition with VP 0 (APIC id 0), where interrupts land. */
	const struct CMUnitTest routing_tests[] = {
		cmocka_unit_test_setup_teardown(refusals_keep_the_old_table, env_setup_vp,
						env_teardown),
		cmocka_unit_test_setup_teardown(the_limits_are_inclusive, env_setup_vp, env_teardown),
		cmocka_unit_test_setup_teardown(a_route_is_decoded_into_the_interrupt, env_setup_vp,
						env_teardown),
		cmocka_unit_test_setup_teardown(unrouted_gsis, env_setup_vp, env_teardown),
	};

	return cmocka_run_group_tests_name("MSI routing", routing_tests, NULL, NULL);
}
