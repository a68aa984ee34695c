// SPDX-License-Identifier: MIT
/*
 * MSHV_GET_GPAP_ACCESS_BITMAP through the real ioctl entry into the
 * hypervisor model: every refusal in Linux's order (none of them makes a
 * hypercall), the hypervisor's refusal while access tracking is off,
 * what each access type and op asks of the hypervisor (NOOP sets, as in
 * Linux), the batching (4072 pages a call), the bitmap's layout (a bit per
 * page, unmapped pages 0, the last byte's unused bits 0, nothing written
 * past it), and rust-vmm's dirty-log sequence: after CLEAR the SET pass
 * reads all zero, and two NOOP passes read the same.
 *
 * The argument {u8 access_type, u8 access_op, u8 rsvd[6], u64 page_count,
 * u64 gpap_base, u64 bitmap_ptr} is the reference's, written out.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "kernel_harness.h"

#define GPAP_TYPE	0
#define GPAP_OP		1
#define GPAP_RSVD	2
#define GPAP_COUNT	8
#define GPAP_BASE	16
#define GPAP_BITMAP	24
#define GPAP_ARG	32

enum { ACCESSED, DIRTY };
enum { NOOP, CLEAR, SET };

#define STATES_PER_CALL	4072
#define REGION_PAGES	8192		/* 32 MiB, as rust-vmm's smaller test */

static uint8_t *region;

/*
 * An initialized partition with 32 MiB of guest memory at frame 0 and
 * access tracking on (every page starts accessed and dirty).
 */
static int setup(void **state)
{
	struct env *e;

	env_setup_init(state);
	e = *state;
	region = map_noreserve(REGION_PAGES * HV_PAGE, PROT_READ | PROT_WRITE);
	assert_int_equal(set_guest_memory(e, REGION_PAGES * HV_PAGE, 0, region,
					  MEM_WRITABLE | MEM_EXECUTABLE), 0);
	assert_int_equal(set_property(e, PROP_GPA_ACCESS_TRACKING, 1), ST_SUCCESS);
	return 0;
}

static int teardown(void **state)
{
	munmap(region, REGION_PAGES * HV_PAGE);
	return env_teardown(state);
}

static long bitmap(struct env *e, uint8_t type, uint8_t op, uint64_t count, uint64_t base,
		   void *out)
{
	_Alignas(8) uint8_t arg[GPAP_ARG] = { 0 };

	arg[GPAP_TYPE] = type;
	arg[GPAP_OP] = op;
	put64(arg, GPAP_COUNT, count);
	put64(arg, GPAP_BASE, base);
	put64(arg, GPAP_BITMAP, (uint64_t)(uintptr_t)out);
	return ioctl_on(e, e->fd[ON_PT], MSHV_GET_GPAP_ACCESS_BITMAP, (unsigned long)arg);
}

static bool all_bytes(const uint8_t *b, size_t n, uint8_t value)
{
	while (n--)
		if (b[n] != value)
			return false;
	return true;
}

static void malformed_requests_make_no_hypercall(void **state)
{
	static const struct {
		const char *what;
		uint8_t type, op;
		int rsvd_byte;
		uint64_t count;
		bool no_bitmap;
		long err;
	} cases[] = {
		{ "access type 2", 2, NOOP, -1, 1, false, -EINVAL },
		{ "access op 3", DIRTY, 3, -1, 1, false, -EINVAL },
		{ "reserved byte 0", DIRTY, NOOP, 0, 1, false, -EINVAL },
		{ "reserved byte 5", DIRTY, NOOP, 5, 1, false, -EINVAL },
		{ "no pages", DIRTY, NOOP, -1, 0, false, -EINVAL },
		{ "no bitmap", DIRTY, NOOP, -1, 1, true, -EINVAL },
		{ "more pages than memory", DIRTY, NOOP, -1, 1ULL << 62, false, -ENOMEM },
	};
	struct env *e = *state;
	_Alignas(8) uint8_t arg[GPAP_ARG], out[8];
	size_t i;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		memset(arg, 0, sizeof(arg));
		arg[GPAP_TYPE] = cases[i].type;
		arg[GPAP_OP] = cases[i].op;
		if (cases[i].rsvd_byte >= 0)
			arg[GPAP_RSVD + cases[i].rsvd_byte] = 1;
		put64(arg, GPAP_COUNT, cases[i].count);
		put64(arg, GPAP_BITMAP, cases[i].no_bitmap ? 0 : (uint64_t)(uintptr_t)out);
		if (ioctl_on(e, e->fd[ON_PT], MSHV_GET_GPAP_ACCESS_BITMAP, (unsigned long)arg) !=
		    cases[i].err)
			fail_msg("%s: not %ld", cases[i].what, cases[i].err);
		assert_int_equal(e->rec.calls, 0);
	}
	assert_int_equal(ioctl_on(e, e->fd[ON_PT], MSHV_GET_GPAP_ACCESS_BITMAP,
				  (unsigned long)(e->guard.end - 8)), -EFAULT);
}

static void tracking_off_is_the_hypervisor_refusal(void **state)
{
	struct env *e = *state;
	uint8_t out[8];

	memset(out, POISON, sizeof(out));
	assert_int_equal(set_property(e, PROP_GPA_ACCESS_TRACKING, 0), ST_SUCCESS);
	trace_on(e);
	assert_int_equal(bitmap(e, DIRTY, NOOP, 64, 0, out), -EIO);
	expect_trace(e, e->id, (const struct traced[]){
		{ "get_gpa_pages_access_states", ST_INVALID_PARTITION_STATE, "pages", 64 } }, 1);
	assert_true(all_bytes(out, sizeof(out), POISON));
}

/* What each type and op asks the hypervisor to do afterwards (HV_GPA_ACCESS_*). */
static void each_op_asks_for_its_flags(void **state)
{
	static const struct {
		uint8_t type, op;
		const char *flags;
	} cases[] = {
		{ ACCESSED, NOOP, "0x2" }, { ACCESSED, CLEAR, "0x5" }, { ACCESSED, SET, "0x2" },
		{ DIRTY, NOOP, "0xa" }, { DIRTY, CLEAR, "0x4" }, { DIRTY, SET, "0xa" },
	};
	struct env *e = *state;
	struct trace t;
	uint8_t out[1];
	size_t i;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		trace_on(e);
		assert_int_equal(bitmap(e, cases[i].type, cases[i].op, 8, 0, out), 0);
		trace_off(e, &t);
		assert_int_equal(t.count, 1);
		assert_string_equal(trace_str(t.lines[0], "access_flags"), cases[i].flags);
		trace_free(&t);
	}
	/* After ACCESSED's CLEAR (which clears dirty too) a DIRTY read is 0, and sets it. */
	assert_int_equal(bitmap(e, ACCESSED, CLEAR, 8, 0, out), 0);
	assert_int_equal(bitmap(e, DIRTY, NOOP, 8, 0, out), 0);
	assert_int_equal(out[0], 0);
	assert_int_equal(bitmap(e, ACCESSED, NOOP, 8, 0, out), 0);
	assert_int_equal(out[0], 0xFF);
}

static void the_bitmap_has_a_bit_per_page(void **state)
{
	struct env *e = *state;
	uint8_t out[4];

	/* Pages 8190-8191 are mapped, 8192-8199 are not: 2 bits, then zeros. */
	memset(out, POISON, sizeof(out));
	assert_int_equal(bitmap(e, DIRTY, NOOP, 10, REGION_PAGES - 2, out), 0);
	assert_int_equal(out[0], 0x03);
	assert_int_equal(out[1], 0x00);
	assert_int_equal(out[2], POISON);	/* ceil(10 / 8) bytes, no more */
	/* A page count that is no byte multiple: the last byte's unused bits are 0. */
	memset(out, POISON, sizeof(out));
	assert_int_equal(bitmap(e, DIRTY, CLEAR, 11, 100, out), 0);
	assert_int_equal(out[0], 0xFF);
	assert_int_equal(out[1], 0x07);
	assert_int_equal(out[2], POISON);
	/* Cleared: page 100-110 now read 0, 111 still 1. */
	assert_int_equal(bitmap(e, DIRTY, SET, 12, 100, out), 0);
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[1], 0x08);
}

static void an_unwritable_bitmap_is_efault_after_the_op(void **state)
{
	struct env *e = *state;
	uint8_t out[2];

	assert_int_equal(bitmap(e, DIRTY, CLEAR, 16, 0, e->guard.end - 1), -EFAULT);
	assert_int_equal(e->rec.calls, 1);
	/* The clear happened all the same. */
	assert_int_equal(bitmap(e, DIRTY, SET, 16, 0, out), 0);
	assert_true(all_bytes(out, sizeof(out), 0));
}

/* rust-vmm's test_get_dirty_log_32M: CLEAR, SET, NOOP, NOOP over all of it. */
static void a_dirty_log_pass_like_rust_vmm(void **state)
{
	struct env *e = *state;
	size_t bytes = REGION_PAGES / 8;
	uint8_t *clear = malloc(bytes), *set = malloc(bytes), *noop0 = malloc(bytes),
		*noop1 = malloc(bytes);
	struct trace t;

	assert_non_null(clear && set && noop0 && noop1);
	trace_on(e);
	assert_int_equal(bitmap(e, DIRTY, CLEAR, REGION_PAGES, 0, clear), 0);
	trace_off(e, &t);
	/* 8192 pages: 4072 + 4072 + 48. */
	assert_int_equal(t.count, 3);
	assert_int_equal(trace_u64(t.lines[1], "gpa_page"), STATES_PER_CALL);
	assert_int_equal(json_object_get_int(json_object_object_get(t.lines[2], "pages")),
			 REGION_PAGES - 2 * STATES_PER_CALL);
	trace_free(&t);
	assert_true(all_bytes(clear, bytes, 0xFF));	/* tracking starts every page dirty */

	assert_int_equal(bitmap(e, DIRTY, SET, REGION_PAGES, 0, set), 0);
	assert_true(all_bytes(set, bytes, 0x00));
	assert_int_equal(bitmap(e, DIRTY, NOOP, REGION_PAGES, 0, noop0), 0);
	assert_int_equal(bitmap(e, DIRTY, NOOP, REGION_PAGES, 0, noop1), 0);
	assert_memory_equal(noop0, noop1, bytes);
	assert_true(all_bytes(noop0, bytes, 0xFF));
	/* Every dirty bit is set again: tracking may be turned off. */
	assert_int_equal(set_property(e, PROP_GPA_ACCESS_TRACKING, 0), ST_SUCCESS);
	assert_int_equal(set_guest_memory(e, REGION_PAGES * HV_PAGE, 0, region, MEM_UNMAP), 0);
	free(clear);
	free(set);
	free(noop0);
	free(noop1);
}

int main(void)
{
#define MAPPED(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		MAPPED(malformed_requests_make_no_hypercall),
		MAPPED(tracking_off_is_the_hypervisor_refusal), MAPPED(each_op_asks_for_its_flags),
		MAPPED(the_bitmap_has_a_bit_per_page),
		MAPPED(an_unwritable_bitmap_is_efault_after_the_op), MAPPED(a_dirty_log_pass_like_rust_vmm),
	};
#undef MAPPED

	return cmocka_run_group_tests_name("dirty-page bitmap", tests, NULL, NULL);
}
