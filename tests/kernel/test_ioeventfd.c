// SPDX-License-Identifier: MIT
/*
 * MSHV_IOEVENTFD through the real ioctl entry: every refusal in Linux's
 * order (PIO is not implemented: -EOPNOTSUPP), what an assign registers
 * with the hypervisor (a doorbell port of the root's, CreatePort, and the
 * child's connection to it with the address, value and trigger flags,
 * ConnectPort), collisions (same address and width, values that can both
 * match), deassign by the exact same terms (DisconnectPort and DeletePort),
 * port ids reused lowest first, a refused connection taking its port back
 * down, and the doorbells going when the partition's file closes.
 *
 * The argument {u64 datamatch, u64 addr, u32 len, s32 fd, u32 flags,
 * u8 rsvd[4]} is the reference's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel_harness.h"

#define IOE_DATAMATCH	0
#define IOE_ADDR	8
#define IOE_LEN		16
#define IOE_FD		20
#define IOE_FLAGS	24
#define IOE_RSVD	28
#define IOE_ARG		32

#define DATAMATCH	0x1
#define PIO		0x2
#define DEASSIGN	0x4

#define ADDR		0xE7E85004ULL	/* rust-vmm's test_ioeventfd */
#define SELF		PARTITION_ID_SELF

/* The doorbell flags: the width code, bit 31 any value. */
#define TRIGGER_ANY_VALUE	0x80000000ULL

static void ioe_arg(uint8_t *arg, uint64_t addr, uint32_t len, int fd, uint32_t flags,
		    uint64_t datamatch)
{
	memset(arg, 0, IOE_ARG);
	put64(arg, IOE_DATAMATCH, datamatch);
	put64(arg, IOE_ADDR, addr);
	put32(arg, IOE_LEN, len);
	put32(arg, IOE_FD, (uint32_t)fd);
	put32(arg, IOE_FLAGS, flags);
}

static long ioeventfd(struct env *e, uint64_t addr, uint32_t len, int fd, uint32_t flags,
		      uint64_t datamatch)
{
	_Alignas(8) uint8_t arg[IOE_ARG];

	ioe_arg(arg, addr, len, fd, flags, datamatch);
	return ioctl_on(e, e->fd[ON_PT], MSHV_IOEVENTFD, (unsigned long)arg);
}

/* The connection the model holds for the doorbell on port @port. */
static struct hv_port_view port(struct env *e, uint32_t id)
{
	struct hv_port_view v;

	assert_int_equal(hv_port_get(e->hv, id, &v), 0);
	assert_true(v.connected);
	assert_int_equal(v.connection_partition_id, e->id);
	return v;
}

static void refusals(void **state)
{
	static const struct {
		const char *what;
		uint64_t addr;
		uint32_t len, flags;
		bool bad_fd, rsvd;
		long err;
	} cases[] = {
		{ "an undefined flag", ADDR, 4, 0x8, false, false, -EINVAL },
		{ "a reserved byte", ADDR, 4, 0, false, true, -EINVAL },
		{ "PIO", 0x3F8, 1, PIO, false, false, -EOPNOTSUPP },
		{ "PIO deassign", 0x3F8, 1, PIO | DEASSIGN, false, false, -EOPNOTSUPP },
		{ "width 3", ADDR, 3, 0, false, false, -EINVAL },
		{ "width 16", ADDR, 16, 0, false, false, -EINVAL },
		{ "wrapping around", ~0ULL - 1, 4, 0, false, false, -EINVAL },
		{ "descriptor -1", ADDR, 4, 0, true, false, -EBADF },
		{ "unknown deassign", ADDR, 4, DEASSIGN, false, false, -ENOENT },
	};
	struct env *e = *state;
	_Alignas(8) uint8_t arg[IOE_ARG];
	int efd = new_eventfd(), pipefd[2];
	size_t i;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		ioe_arg(arg, cases[i].addr, cases[i].len, cases[i].bad_fd ? -1 : efd,
			cases[i].flags, 0);
		arg[IOE_RSVD + 2] = cases[i].rsvd;
		if (ioctl_on(e, e->fd[ON_PT], MSHV_IOEVENTFD, (unsigned long)arg) != cases[i].err)
			fail_msg("%s: not %ld", cases[i].what, cases[i].err);
		assert_int_equal(e->rec.calls, 0);
	}
	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(ioeventfd(e, ADDR, 4, pipefd[0], 0, 0), -EINVAL);
	assert_int_equal(ioeventfd(e, ADDR, 4, pipefd[0], DEASSIGN, 0), -EINVAL);
	assert_int_equal(ioeventfd(e, ADDR, 4, 987, DEASSIGN, 0), -EBADF);
	assert_int_equal(ioctl_on(e, e->fd[ON_PT], MSHV_IOEVENTFD,
				  (unsigned long)(e->guard.end - 16)), -EFAULT);
	assert_int_equal(hv_port_count(e->hv), 0);
	close(efd);
	close(pipefd[0]);
	close(pipefd[1]);
}

static void an_assign_is_a_doorbell(void **state)
{
	struct env *e = *state;
	int efd = new_eventfd();
	struct hv_port_view v;
	struct trace t;

	/* rust-vmm's: width 0, no DATAMATCH, then the same deassigned. */
	trace_on(e);
	assert_int_equal(ioeventfd(e, ADDR, 0, efd, 0, 0), 0);
	trace_off(e, &t);
	assert_int_equal(t.count, 2);
	assert_string_equal(trace_str(t.lines[0], "call"), "create_port");
	assert_int_equal(trace_u64(t.lines[0], "partition_id"), SELF);
	assert_int_equal(trace_u64(t.lines[0], "connection_partition_id"), e->id);
	assert_string_equal(trace_str(t.lines[1], "call"), "connect_port");
	assert_int_equal(trace_u64(t.lines[1], "partition_id"), e->id);
	assert_int_equal(trace_u64(t.lines[1], "gpa"), ADDR);
	assert_string_equal(trace_str(t.lines[1], "doorbell_flags"), "0x80000000");
	trace_free(&t);
	v = port(e, 1);
	assert_int_equal(v.type, 4);			/* doorbell */
	assert_int_equal(v.target_sint, 5);		/* the doorbell SINT */
	assert_int_equal(v.target_vp, 0xFFFFFFFFU);	/* any VP */
	assert_int_equal(v.connection_id, 1);
	assert_int_equal(v.gpa, ADDR);
	assert_int_equal(v.flags, TRIGGER_ANY_VALUE);

	trace_on(e);
	assert_int_equal(ioeventfd(e, ADDR, 0, efd, DEASSIGN, 0), 0);
	trace_off(e, &t);
	assert_int_equal(t.count, 2);
	assert_string_equal(trace_str(t.lines[0], "call"), "disconnect_port");
	assert_int_equal(trace_u64(t.lines[0], "partition_id"), e->id);
	assert_string_equal(trace_str(t.lines[1], "call"), "delete_port");
	assert_int_equal(trace_u64(t.lines[1], "partition_id"), SELF);
	trace_free(&t);
	assert_int_equal(hv_port_count(e->hv), 0);
	close(efd);
}

/* Each width's trigger flag, and the value a DATAMATCH doorbell waits for. */
static void widths_and_values(void **state)
{
	static const struct {
		uint32_t len;
		uint64_t trigger;
	} widths[] = { { 0, 0 }, { 1, 1 }, { 2, 2 }, { 4, 3 }, { 8, 4 } };
	struct env *e = *state;
	int efd = new_eventfd();
	size_t i;

	for (i = 0; i < ARRAY_LEN(widths); i++) {
		struct hv_port_view v;

		assert_int_equal(ioeventfd(e, 0x1000 * (i + 1), widths[i].len, efd, DATAMATCH,
					   0xAB00 + i), 0);
		v = port(e, (uint32_t)i + 1);
		assert_int_equal(v.gpa, 0x1000 * (i + 1));
		assert_int_equal(v.flags, widths[i].trigger);
		assert_int_equal(v.trigger_value, 0xAB00 + i);
	}
	assert_int_equal(hv_port_count(e->hv), ARRAY_LEN(widths));
	close(efd);
}

static void collisions_and_exact_deassign(void **state)
{
	struct env *e = *state;
	int efd = new_eventfd(), other = new_eventfd();

	assert_int_equal(ioeventfd(e, ADDR, 4, efd, DATAMATCH, 7), 0);
	/* Same address and width: the same value, or any value, collides. */
	assert_int_equal(ioeventfd(e, ADDR, 4, other, DATAMATCH, 7), -EEXIST);
	assert_int_equal(ioeventfd(e, ADDR, 4, other, 0, 0), -EEXIST);
	/* Another value, another width, an overlapping address: no collision. */
	assert_int_equal(ioeventfd(e, ADDR, 4, other, DATAMATCH, 8), 0);
	assert_int_equal(ioeventfd(e, ADDR, 2, other, 0, 0), 0);
	assert_int_equal(ioeventfd(e, ADDR + 2, 4, other, 0, 0), 0);
	assert_int_equal(hv_port_count(e->hv), 4);

	/* Deassign must say the same: eventfd, address, width, DATAMATCH and value. */
	assert_int_equal(ioeventfd(e, ADDR, 4, efd, DATAMATCH | DEASSIGN, 8), -ENOENT);
	assert_int_equal(ioeventfd(e, ADDR, 4, efd, DEASSIGN, 7), -ENOENT);
	assert_int_equal(ioeventfd(e, ADDR, 8, efd, DATAMATCH | DEASSIGN, 7), -ENOENT);
	assert_int_equal(ioeventfd(e, ADDR, 4, other, DATAMATCH | DEASSIGN, 7), -ENOENT);
	assert_int_equal(hv_port_count(e->hv), 4);
	assert_int_equal(ioeventfd(e, ADDR, 4, efd, DATAMATCH | DEASSIGN, 7), 0);
	assert_int_equal(hv_port_get(e->hv, 1, &(struct hv_port_view){ 0 }), -ENOENT);
	/* Port 1 is free again: the next doorbell takes it. */
	assert_int_equal(ioeventfd(e, 0x2000, 1, efd, 0, 0), 0);
	assert_int_equal(port(e, 1).gpa, 0x2000);
	close(efd);
	close(other);
}

static void a_refused_connection_leaves_no_port(void **state)
{
	static const struct {
		const char *call;
		uint16_t status;
	} want[] = {
		{ "create_port", ST_SUCCESS },
		{ "connect_port", ST_INVALID_PARAMETER },
		{ "delete_port", ST_SUCCESS },
	};
	struct env *e = *state;
	int efd = new_eventfd();
	struct trace t;
	size_t i;

	trace_on(e);
	/* Beyond the host's physical addresses: ConnectPort refuses it. */
	assert_int_equal(ioeventfd(e, 1ULL << 60, 4, efd, 0, 0), -EINVAL);
	trace_off(e, &t);
	assert_int_equal(t.count, ARRAY_LEN(want));
	for (i = 0; i < ARRAY_LEN(want); i++) {
		assert_string_equal(trace_str(t.lines[i], "call"), want[i].call);
		assert_int_equal(trace_u64(t.lines[i], "status"), want[i].status);
	}
	trace_free(&t);
	assert_int_equal(hv_port_count(e->hv), 0);
	/* Short of memory, the root is fed for the port, the child for the connection. */
	hv_inject_status(e->hv, 0x0095, ST_INSUFFICIENT_MEMORY, 1);
	assert_int_equal(ioeventfd(e, ADDR, 4, efd, 0, 0), 0);
	assert_int_equal(e->rec.calls, 4);
	assert_int_equal(get64(e->rec.input[1], 0), SELF);	/* DepositMemory's target */
	assert_int_equal(port(e, 1).gpa, ADDR);
	close(efd);
}

static void doorbells_go_with_the_partition_file(void **state)
{
	struct env *e = *state;
	int efd = new_eventfd();

	assert_int_equal(ioeventfd(e, ADDR, 4, efd, 0, 0), 0);
	assert_int_equal(ioeventfd(e, ADDR + 8, 8, efd, 0, 0), 0);
	close_kind(e, ON_PT);
	assert_int_equal(hv_port_count(e->hv), 0);
	close(efd);
}

/* Every test runs on an initialized partition of its own. */
static const struct CMUnitTest doorbell_tests[] = {
	{ "refusals", refusals, env_setup_init, env_teardown, NULL },
	{ "an_assign_is_a_doorbell", an_assign_is_a_doorbell, env_setup_init, env_teardown, NULL },
	{ "widths_and_values", widths_and_values, env_setup_init, env_teardown, NULL },
	{ "collisions_and_exact_deassign", collisions_and_exact_deassign, env_setup_init,
	  env_teardown, NULL },
	{ "a_refused_connection_leaves_no_port", a_refused_connection_leaves_no_port,
	  env_setup_init, env_teardown, NULL },
	{ "doorbells_go_with_the_partition_file", doorbells_go_with_the_partition_file,
	  env_setup_init, env_teardown, NULL },
};

int main(void)
{
	return cmocka_run_group_tests_name("ioeventfd", doorbell_tests, NULL, NULL);
}
