// SPDX-License-Identifier: MIT
/*
 * MSHV_ROOT_HVCALL through the real ioctl entry (kshim_ioctl) on all three
 * kinds of descriptor -- /dev/mshv, a partition, a VP -- into the
 * hypervisor model: the argument checks, faults on every user buffer,
 * the per-descriptor allow-lists, the partition id the driver forces into
 * the input, the status and reps written back (on failure too), the
 * deposit-and-retry loop, rep calls, and the exact size of the output
 * copied back.
 *
 * The argument and the hypercall inputs are built as raw bytes at the
 * reference's offsets, so this file does not depend on the headers under
 * test. What reaches the hypervisor is seen through the shim's hypercall
 * hook (control word and input page) and the model's trace.
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
#include <unistd.h>

#include <cmocka.h>

#include <hyperv/hv_partition.h>	/* the model's host configuration */

#include "hv.h"
#include "kshim.h"
#include "trace_reader.h"

/* The ioctl ABI, from the reference (not from the header under test). */
#define MSHV_CREATE_PARTITION		0x4010B800U
#define MSHV_INITIALIZE_PARTITION	0xB800U
#define MSHV_CREATE_VP			0x4004B801U
#define MSHV_ROOT_HVCALL		0xC020B807U

/* struct mshv_root_hvcall: 32 bytes. */
#define HVC_SIZE	32
#define OFF_CODE	0	/* u16 */
#define OFF_REPS	2	/* u16 */
#define OFF_IN_SZ	4	/* u16 */
#define OFF_OUT_SZ	6	/* u16 */
#define OFF_STATUS	8	/* u16 */
#define OFF_RSVD	10	/* 6 bytes */
#define RSVD_LEN	6
#define OFF_IN_PTR	16	/* u64 */
#define OFF_OUT_PTR	24	/* u64 */

/* Hypercall codes, statuses and the like (hypervisor ABI). */
#define HC_GET_PROPERTY		0x0044
#define HC_SET_PROPERTY		0x0045
#define HC_DEPOSIT_MEMORY	0x0048
#define HC_GET_VP_CPUID_VALUES	0x00F4
#define HC_GET_PROPERTY_EX	0x0101

#define ST_SUCCESS			0x0000
#define ST_INVALID_HYPERCALL_INPUT	0x0003
#define ST_INVALID_PARAMETER		0x0005
#define ST_ACCESS_DENIED		0x0006
#define ST_INVALID_PARTITION_STATE	0x0007
#define ST_UNKNOWN_PROPERTY		0x0009
#define ST_INSUFFICIENT_MEMORY		0x000B

#define REP_COUNT_SHIFT		32
#define PARTITION_ID_SELF	0xFFFFFFFFFFFFFFFFULL
#define HV_PAGE			4096

#define PROP_CLOCK_FREQUENCY		0x00060009U
#define PROP_FEATURE_BANK_COUNT		0x00060015U
#define PROP_DISABLED_FEATURES_EX	0x0009000EU

/* A clock frequency whose bytes are all different: the output shows its length. */
#define CLOCK		0x1122334455667788ULL
#define POISON		0xAA

enum kind { ON_DEV, ON_PT, ON_VP, KINDS };
static const char *const kind_name[KINDS] = { "/dev/mshv", "partition fd", "VP fd" };

/* What the shim's hooks saw during one ioctl. */
#define MAX_CALLS	16
struct recorder {
	unsigned int calls;
	uint64_t control[MAX_CALLS];
	uint8_t input[MAX_CALLS][64];
	uint8_t page0[HV_PAGE];		/* the whole input page of the first call */
	unsigned int copies;
	size_t copy_len[8];
	uint8_t *scribble;		/* rewritten (32 bytes of 0xEE) at each hypercall */
};

struct env {
	struct hv *hv;
	struct kshim *k;
	int fd[KINDS];			/* -1: not open */
	uint64_t id;			/* the partition's id in the model */
	struct recorder rec;
	char *trace;
};

enum { ENV_DEV, ENV_PT, ENV_VP };	/* what env_up opens */

/* --- raw bytes -------------------------------------------------------- */

static void put16(uint8_t *b, size_t off, uint16_t v)
{
	memcpy(b + off, &v, 2);
}

static void put32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

static void put64(uint8_t *b, size_t off, uint64_t v)
{
	memcpy(b + off, &v, 8);
}

static uint16_t get16(const uint8_t *b, size_t off)
{
	uint16_t v;

	memcpy(&v, b + off, 2);
	return v;
}

static uint32_t get32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, 4);
	return v;
}

static uint64_t get64(const uint8_t *b, size_t off)
{
	uint64_t v;

	memcpy(&v, b + off, 8);
	return v;
}

static uint64_t uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* A whole struct mshv_root_hvcall, reserved and status fields zero. */
static void hvc(uint8_t *arg, uint16_t code, uint16_t reps, const void *in, uint16_t in_sz,
		void *out, uint16_t out_sz)
{
	memset(arg, 0, HVC_SIZE);
	put16(arg, OFF_CODE, code);
	put16(arg, OFF_REPS, reps);
	put16(arg, OFF_IN_SZ, in_sz);
	put16(arg, OFF_OUT_SZ, out_sz);
	put64(arg, OFF_IN_PTR, uptr(in));
	put64(arg, OFF_OUT_PTR, uptr(out));
}

/* Get/SetPartitionProperty input: id, property code, padding (, value). */
static void property_input(uint8_t *in, uint64_t id, uint32_t property, uint64_t value)
{
	memset(in, 0, 24);
	put64(in, 0, id);
	put32(in, 8, property);
	put64(in, 16, value);
}

/* GetVpCpuidValues input: id, vp index, flags, reserved, padding, then leaves. */
static size_t cpuid_input(uint8_t *in, uint32_t vp_index, const uint32_t *leaves, size_t n)
{
	size_t i;

	memset(in, 0, 24 + 24 * n);
	put32(in, 8, vp_index);
	for (i = 0; i < n; i++)
		put32(in, 24 + 24 * i, leaves[i]);	/* eax; ecx, xfem, xss 0 */
	return 24 + 24 * n;
}

static void assert_all(const uint8_t *b, size_t from, size_t to, uint8_t value)
{
	size_t i;

	for (i = from; i < to; i++)
		if (b[i] != value)
			fail_msg("byte %zu is 0x%02x, expected 0x%02x", i, b[i], value);
}

/* --- the simulated kernel ---------------------------------------------- */

static void on_copy(void *ctx, unsigned int nth, const void *uaddr, size_t len)
{
	struct recorder *r = ctx;

	(void)nth;
	(void)uaddr;
	if (r->copies < 8)
		r->copy_len[r->copies] = len;
	r->copies++;
}

static void on_hypercall(void *ctx, uint64_t control, const void *input)
{
	struct recorder *r = ctx;

	if (r->calls == 0)
		memcpy(r->page0, input, HV_PAGE);
	if (r->calls < MAX_CALLS) {
		r->control[r->calls] = control;
		memcpy(r->input[r->calls], input, 64);
	}
	r->calls++;
	if (r->scribble)
		memset(r->scribble, 0xEE, HVC_SIZE);
}

static void rec_reset(struct env *e)
{
	e->rec.calls = 0;
	e->rec.copies = 0;
	e->rec.scribble = NULL;
}

/* The highest live partition id: the newest partition (ids only grow). */
static uint64_t newest_partition(struct env *e)
{
	struct hv_partition_info info;
	uint64_t id, found = 0;

	for (id = 1; id < 4096; id++)
		if (hv_partition_get_info(e->hv, id, &info) == 0)
			found = id;
	assert_true(found != 0);
	return found;
}

static void env_up(struct env *e, enum kshim_abi abi, int what)
{
	struct hv_host_config c = {
		.arch = HV_ARCH_X86_64,
		.vendor = HV_PROCESSOR_VENDOR_INTEL,
		.offered = { 0, 0, 0, 0 },
		.clock_frequency = CLOCK,
	};
	struct kshim_config kc = { .abi = abi };
	uint8_t create[16] = { 0 };	/* v1, no flags */
	uint32_t vp_index = 0;
	long fd;

	memset(e, 0, sizeof(*e));
	e->fd[ON_DEV] = e->fd[ON_PT] = e->fd[ON_VP] = -1;
	assert_int_equal(hv_create(&c, &e->hv), 0);
	kc.hv = e->hv;
	assert_int_equal(kshim_create(&kc, &e->k), 0);
	e->fd[ON_DEV] = kshim_open_dev(e->k);
	assert_true(e->fd[ON_DEV] >= 0);
	if (what >= ENV_PT) {
		fd = kshim_ioctl(e->k, e->fd[ON_DEV], MSHV_CREATE_PARTITION, (unsigned long)create);
		assert_true(fd >= 0);
		e->fd[ON_PT] = (int)fd;
		e->id = newest_partition(e);
	}
	if (what >= ENV_VP) {
		assert_int_equal(kshim_ioctl(e->k, e->fd[ON_PT], MSHV_INITIALIZE_PARTITION, 0), 0);
		fd = kshim_ioctl(e->k, e->fd[ON_PT], MSHV_CREATE_VP, (unsigned long)&vp_index);
		assert_true(fd >= 0);
		assert_int_equal(kshim_fd_kind(e->k, (int)fd), KSHIM_FD_VP);
		e->fd[ON_VP] = (int)fd;
	}
	kshim_set_copy_from_user_hook(e->k, on_copy, &e->rec);
	kshim_set_hypercall_hook(e->k, on_hypercall, &e->rec);
	rec_reset(e);
}

/* Closes what env_up opened; nothing may be left behind. */
static void env_down(struct env *e)
{
	int i;

	kshim_set_copy_from_user_hook(e->k, NULL, NULL);
	kshim_set_hypercall_hook(e->k, NULL, NULL);
	for (i = KINDS - 1; i >= 0; i--)
		if (e->fd[i] >= 0)
			assert_int_equal(kshim_close(e->k, e->fd[i]), 0);
	assert_int_equal(kshim_fd_count(e->k), 0);
	assert_int_equal(hv_partition_count(e->hv), 0);
	kshim_destroy(e->k);
	hv_destroy(e->hv);
}

static uint64_t target_of(const struct env *e, enum kind kind)
{
	return kind == ON_DEV ? PARTITION_ID_SELF : e->id;
}

static long root_hvcall(struct env *e, enum kind kind, const void *arg)
{
	rec_reset(e);
	return kshim_ioctl(e->k, e->fd[kind], MSHV_ROOT_HVCALL, (unsigned long)arg);
}

/* --- the trace ----------------------------------------------------------- */

static void trace_on(struct env *e)
{
	int fd;

	e->trace = strdup("/tmp/mshvcpu-hvcall-XXXXXX");
	assert_non_null(e->trace);
	fd = mkstemp(e->trace);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(hv_trace_start(e->hv, e->trace), 0);
}

static void trace_off(struct env *e, struct trace *t)
{
	hv_trace_stop(e->hv);
	trace_read(e->trace, t);
	unlink(e->trace);
	free(e->trace);
	e->trace = NULL;
}

static void expect_line(const struct trace *t, size_t i, const char *call, uint16_t status,
			uint64_t partition_id)
{
	if (i >= t->count)
		fail_msg("trace has %zu lines, expected line %zu (%s)", t->count, i + 1, call);
	assert_string_equal(trace_str(t->lines[i], "call"), call);
	assert_int_equal(trace_u64(t->lines[i], "status"), status);
	assert_int_equal(trace_u64(t->lines[i], "partition_id"), partition_id);
}

static int line_int(const struct trace *t, size_t i, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(t->lines[i], key, &v) ||
	    !json_object_is_type(v, json_type_int))
		fail_msg("line %zu: no integer \"%s\"", i + 1, key);
	return json_object_get_int(v);
}

/* --- a page of user memory followed by a guard page ----------------------- */

struct guarded {
	uint8_t *map;		/* two pages */
	uint8_t *end;		/* the end of the first one */
	size_t page;
};

static void guard_up(struct guarded *g)
{
	g->page = (size_t)sysconf(_SC_PAGESIZE);
	g->map = mmap(NULL, 2 * g->page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	assert_true(g->map != MAP_FAILED);
	assert_int_equal(mprotect(g->map + g->page, g->page, PROT_NONE), 0);
	g->end = g->map + g->page;
}

static void guard_down(struct guarded *g)
{
	assert_int_equal(munmap(g->map, 2 * g->page), 0);
}

/* --- tests ----------------------------------------------------------------- */

/* The baseline every other test varies: reading the clock frequency. */
static void valid_request_succeeds_on_every_kind(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];
	struct env e;
	int kind;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
		memset(out, POISON, sizeof(out));
		hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), 0);
		assert_int_equal(get64(out, 0), CLOCK);
		assert_int_equal(get16(arg, OFF_STATUS), ST_SUCCESS);
		assert_int_equal(get16(arg, OFF_REPS), 0);
		/* Read: the 32-byte argument, then in_sz bytes of input. */
		assert_int_equal(e.rec.copies, 2);
		assert_int_equal(e.rec.copy_len[0], HVC_SIZE);
		assert_int_equal(e.rec.copy_len[1], 16);
		assert_int_equal(e.rec.calls, 1);
		assert_int_equal(e.rec.control[0], HC_GET_PROPERTY);
		assert_int_equal(get64(e.rec.input[0], 0), target_of(&e, (enum kind)kind));
		assert_int_equal(get32(e.rec.input[0], 8), PROP_CLOCK_FREQUENCY);
	}
	env_down(&e);
}

static void each_malformed_field_alone_is_einval_without_a_hypercall(void **state)
{
	enum { STATUS, RSVD, IN_PTR, IN_SZ, OUT_SZ };
	static const struct {
		int field;
		size_t index;	/* rsvd byte */
		uint64_t value;
	} bad[] = {
		{ STATUS, 0, 1 }, { STATUS, 0, 0x8000 }, { STATUS, 0, 0xFFFF },
		{ RSVD, 0, 1 }, { RSVD, 1, 1 }, { RSVD, 2, 1 },
		{ RSVD, 3, 1 }, { RSVD, 4, 1 }, { RSVD, 5, 1 }, { RSVD, 5, 0x80 },
		{ IN_PTR, 0, 0 },
		{ IN_SZ, 0, 0 }, { IN_SZ, 0, 7 }, { IN_SZ, 0, 4097 }, { IN_SZ, 0, 0xFFFF },
		{ OUT_SZ, 0, 0 }, { OUT_SZ, 0, 4097 }, { OUT_SZ, 0, 0xFFFF },
	};
	_Alignas(8) uint8_t arg[HVC_SIZE], before[HVC_SIZE];
	uint8_t *in = calloc(1, 2 * HV_PAGE), *out = calloc(1, 2 * HV_PAGE);
	struct env e;
	size_t i;
	int kind;

	(void)state;
	assert_non_null(in);
	assert_non_null(out);
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
			hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
			switch (bad[i].field) {
			case STATUS:
				put16(arg, OFF_STATUS, (uint16_t)bad[i].value);
				break;
			case RSVD:
				arg[OFF_RSVD + bad[i].index] = (uint8_t)bad[i].value;
				break;
			case IN_PTR:
				put64(arg, OFF_IN_PTR, bad[i].value);
				break;
			case IN_SZ:
				put16(arg, OFF_IN_SZ, (uint16_t)bad[i].value);
				break;
			default:
				put16(arg, OFF_OUT_SZ, (uint16_t)bad[i].value);
				break;
			}
			memcpy(before, arg, HVC_SIZE);
			if (root_hvcall(&e, (enum kind)kind, arg) != -EINVAL)
				fail_msg("%s, case %zu: not EINVAL", kind_name[kind], i);
			if (e.rec.calls != 0)
				fail_msg("%s, case %zu: %u hypercalls", kind_name[kind], i,
					 e.rec.calls);
			assert_int_equal(e.rec.copies, 1);
			assert_memory_equal(arg, before, HVC_SIZE);	/* nothing written back */
		}
	}
	env_down(&e);
	free(in);
	free(out);
}

static void size_boundaries_are_accepted(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE];
	uint8_t *in = malloc(HV_PAGE), *out = malloc(HV_PAGE + 64);
	struct env e;
	size_t i;
	int kind;

	(void)state;
	assert_non_null(in);
	assert_non_null(out);
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		/* in_sz 8: just the id; the property code the model sees is 0 (unknown). */
		memset(in, 0xFF, HV_PAGE);
		hvc(arg, HC_GET_PROPERTY, 0, in, 8, out, 8);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), -EIO);
		assert_int_equal(e.rec.calls, 1);
		assert_int_equal(get16(arg, OFF_STATUS), ST_UNKNOWN_PROPERTY);
		assert_int_equal(get64(e.rec.page0, 0), target_of(&e, (enum kind)kind));
		assert_all(e.rec.page0, 8, HV_PAGE, 0);

		/* in_sz 4096: every byte after the id reaches the hypervisor. */
		for (i = 0; i < HV_PAGE; i++)
			in[i] = (uint8_t)(i * 7 + 1);
		property_input(in, 0x1234, PROP_CLOCK_FREQUENCY, 0);
		memset(in + 16, 0x5A, 8);
		hvc(arg, HC_GET_PROPERTY, 0, in, 4096, out, 8);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), 0);
		assert_int_equal(e.rec.calls, 1);
		assert_int_equal(get64(e.rec.page0, 0), target_of(&e, (enum kind)kind));
		assert_memory_equal(e.rec.page0 + 8, in + 8, HV_PAGE - 8);

		/* out_sz 4096: the value, then the rest of the zeroed output page. */
		property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
		memset(out, POISON, HV_PAGE + 64);
		hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 4096);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), 0);
		assert_int_equal(get64(out, 0), CLOCK);
		assert_all(out, 8, HV_PAGE, 0);
		assert_all(out, HV_PAGE, HV_PAGE + 64, POISON);
	}
	env_down(&e);
	free(in);
	free(out);
}

static void unreadable_argument_is_efault(void **state)
{
	struct guarded g;
	struct env e;
	int kind;

	(void)state;
	guard_up(&g);
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		assert_int_equal(root_hvcall(&e, (enum kind)kind, NULL), -EFAULT);
		assert_int_equal(e.rec.calls, 0);
		/* In the guard page (PROT_NONE), at its start and inside it. */
		assert_int_equal(root_hvcall(&e, (enum kind)kind, g.end), -EFAULT);
		assert_int_equal(e.rec.calls, 0);
		assert_int_equal(e.rec.copies, 1);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, g.end + 256), -EFAULT);
		assert_int_equal(e.rec.calls, 0);
	}
	env_down(&e);
	guard_down(&g);
}

static void argument_running_into_a_guard_page_is_efault(void **state)
{
	static const size_t readable[] = { 1, 8, 16, 24, 31 };
	_Alignas(8) uint8_t in[24], out[8], full[HVC_SIZE];
	struct guarded g;
	struct env e;
	size_t i;
	int kind;

	(void)state;
	guard_up(&g);
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
	hvc(full, HC_GET_PROPERTY, 0, in, 16, out, 8);
	for (kind = 0; kind < KINDS; kind++) {
		for (i = 0; i < sizeof(readable) / sizeof(readable[0]); i++) {
			uint8_t *arg = g.end - readable[i];

			memcpy(arg, full, readable[i]);
			assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), -EFAULT);
			assert_int_equal(e.rec.calls, 0);
			assert_memory_equal(arg, full, readable[i]);
		}
		/* The whole struct just fits: accepted. */
		memcpy(g.end - HVC_SIZE, full, HVC_SIZE);
		memset(out, POISON, sizeof(out));
		assert_int_equal(root_hvcall(&e, (enum kind)kind, g.end - HVC_SIZE), 0);
		assert_int_equal(get64(out, 0), CLOCK);
	}
	env_down(&e);
	guard_down(&g);
}

static void unreadable_input_is_efault_without_a_hypercall(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], before[HVC_SIZE], out[8];
	struct guarded g;
	struct env e;
	int kind, c;

	(void)state;
	guard_up(&g);
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		for (c = 0; c < 3; c++) {
			/* In the guard page; or 8 readable bytes, then 8 behind the guard. */
			uint8_t *in = c == 0 ? g.end + 64 : c == 1 ? g.end : g.end - 8;

			if (c == 2)
				put64(in, 0, 0);
			memset(out, POISON, sizeof(out));
			hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
			memcpy(before, arg, HVC_SIZE);
			assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), -EFAULT);
			assert_int_equal(e.rec.calls, 0);
			assert_int_equal(e.rec.copies, 2);
			assert_memory_equal(arg, before, HVC_SIZE);	/* nothing written back */
			assert_all(out, 0, sizeof(out), POISON);
		}
	}
	env_down(&e);
	guard_down(&g);
}

static void unwritable_output_is_efault_and_the_status_is_still_written_back(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], expect[HVC_SIZE], in[24];
	struct guarded g;
	struct env e;
	int kind, c;

	(void)state;
	guard_up(&g);
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		for (c = 0; c < 2; c++) {
			/* Behind the guard; or 4 bytes before it with out_sz 8. */
			uint8_t *out = c == 0 ? g.end : g.end - 4;

			property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
			hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
			memcpy(expect, arg, HVC_SIZE);
			/*
			 * The user overwrites the argument while the hypercall runs:
			 * afterwards it holds what the driver wrote back.
			 */
			rec_reset(&e);
			e.rec.scribble = arg;
			assert_int_equal(kshim_ioctl(e.k, e.fd[kind], MSHV_ROOT_HVCALL,
						     (unsigned long)arg), -EFAULT);
			assert_int_equal(e.rec.calls, 1);
			assert_memory_equal(arg, expect, HVC_SIZE);
		}
	}
	env_down(&e);
	guard_down(&g);
}

static void read_only_argument_is_efault_after_a_successful_call(void **state)
{
	struct hv_partition_info info;
	_Alignas(8) uint8_t in[24], out[8];
	struct guarded g;
	struct trace t;
	struct env e;
	int kind;

	(void)state;
	guard_up(&g);
	/* GET on each kind: the call succeeds, the write-back faults. */
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		uint8_t *arg = g.map;

		assert_int_equal(mprotect(g.map, g.page, PROT_READ | PROT_WRITE), 0);
		property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
		hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
		assert_int_equal(mprotect(g.map, g.page, PROT_READ), 0);
		memset(out, POISON, sizeof(out));
		trace_on(&e);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), -EFAULT);
		trace_off(&e, &t);
		assert_int_equal(t.count, 1);
		expect_line(&t, 0, "get_partition_property", ST_SUCCESS,
			    target_of(&e, (enum kind)kind));
		trace_free(&t);
		assert_all(out, 0, sizeof(out), POISON);	/* output not copied */

		/* A failing call: EFAULT replaces the hypercall's errno. */
		assert_int_equal(mprotect(g.map, g.page, PROT_READ | PROT_WRITE), 0);
		property_input(in, 0, 0x7777, 0);
		hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
		assert_int_equal(mprotect(g.map, g.page, PROT_READ), 0);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), -EFAULT);
		assert_int_equal(e.rec.calls, 1);
	}
	env_down(&e);

	/* SET on a partition fd: the property is set although the ioctl says EFAULT. */
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_PT);
	assert_int_equal(mprotect(g.map, g.page, PROT_READ | PROT_WRITE), 0);
	property_input(in, 0, PROP_DISABLED_FEATURES_EX, 0x5);
	hvc(g.map, HC_SET_PROPERTY, 0, in, 24, NULL, 0);
	assert_int_equal(mprotect(g.map, g.page, PROT_READ), 0);
	assert_int_equal(root_hvcall(&e, ON_PT, g.map), -EFAULT);
	assert_int_equal(e.rec.calls, 1);
	assert_int_equal(hv_partition_get_info(e.hv, e.id, &info), 0);
	assert_int_equal(info.disabled_bank2, 0x5);
	env_down(&e);
	guard_down(&g);
}

/* Every code 0..0x1FF on each kind: exactly the allowed ones reach the hypervisor. */
static void only_allowed_codes_reach_the_hypervisor(void **state)
{
	static const uint16_t allowed[KINDS][4] = {
		[ON_DEV] = { HC_GET_PROPERTY, HC_GET_PROPERTY_EX },
		[ON_PT] = { HC_GET_PROPERTY, HC_GET_PROPERTY_EX, HC_SET_PROPERTY,
			    HC_GET_VP_CPUID_VALUES },
		[ON_VP] = { HC_GET_PROPERTY, HC_GET_PROPERTY_EX, HC_GET_VP_CPUID_VALUES },
	};
	_Alignas(8) uint8_t arg[HVC_SIZE], before[HVC_SIZE], in[24];
	uint8_t *out = malloc(HV_PAGE);
	unsigned int code, passed[KINDS] = { 0 };
	struct env e;
	int kind;

	(void)state;
	assert_non_null(out);
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		for (code = 0; code <= 0x1FF; code++) {
			bool ok = false;
			long ret;
			size_t i;

			for (i = 0; i < 4; i++)
				ok |= allowed[kind][i] && allowed[kind][i] == code;
			property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
			hvc(arg, (uint16_t)code, 0, in, 16, out, HV_PAGE);
			memcpy(before, arg, HVC_SIZE);
			ret = root_hvcall(&e, (enum kind)kind, arg);
			if (!ok) {
				if (ret != -EINVAL || e.rec.calls != 0)
					fail_msg("%s: code 0x%x: %ld with %u hypercalls, expected "
						 "EINVAL and none", kind_name[kind], code, ret,
						 e.rec.calls);
				assert_memory_equal(arg, before, HVC_SIZE);
				continue;
			}
			if (e.rec.calls != 1 || e.rec.control[0] != code)
				fail_msg("%s: allowed code 0x%x: %u hypercalls (first 0x%llx)",
					 kind_name[kind], code, e.rec.calls,
					 (unsigned long long)e.rec.control[0]);
			assert_int_equal(get64(e.rec.input[0], 0), target_of(&e, (enum kind)kind));
			passed[kind]++;
		}
	}
	assert_int_equal(passed[ON_DEV], 2);
	assert_int_equal(passed[ON_PT], 4);
	assert_int_equal(passed[ON_VP], 3);
	env_down(&e);
	free(out);
}

/* SET_PARTITION_PROPERTY: the partition fd only (not a VP fd, not /dev/mshv). */
static void only_the_partition_fd_sets_partition_properties(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], before[HVC_SIZE], in[24];
	struct hv_partition_info info;
	struct env e;

	(void)state;
	/* Before initialize, the early property can be set, from the partition fd. */
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_PT);
	property_input(in, 0, PROP_DISABLED_FEATURES_EX, 0x5);
	hvc(arg, HC_SET_PROPERTY, 0, in, 24, NULL, 0);
	assert_int_equal(root_hvcall(&e, ON_DEV, arg), -EINVAL);
	assert_int_equal(e.rec.calls, 0);
	assert_int_equal(root_hvcall(&e, ON_PT, arg), 0);
	assert_int_equal(e.rec.calls, 1);
	assert_int_equal(e.rec.control[0], HC_SET_PROPERTY);
	assert_int_equal(get64(e.rec.input[0], 16), 0x5);
	assert_int_equal(hv_partition_get_info(e.hv, e.id, &info), 0);
	assert_int_equal(info.disabled_bank2, 0x5);
	/* A read-only property: the hypervisor's ACCESS_DENIED comes back. */
	property_input(in, 0, PROP_CLOCK_FREQUENCY, 1);
	hvc(arg, HC_SET_PROPERTY, 0, in, 24, NULL, 0);
	assert_int_equal(root_hvcall(&e, ON_PT, arg), -EIO);
	assert_int_equal(get16(arg, OFF_STATUS), ST_ACCESS_DENIED);
	env_down(&e);

	/* A VP fd may not: EINVAL from the driver, the hypervisor never asked. */
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	property_input(in, 0, PROP_DISABLED_FEATURES_EX, 0x7);
	hvc(arg, HC_SET_PROPERTY, 0, in, 24, NULL, 0);
	memcpy(before, arg, HVC_SIZE);
	assert_int_equal(root_hvcall(&e, ON_VP, arg), -EINVAL);
	assert_int_equal(e.rec.calls, 0);
	assert_memory_equal(arg, before, HVC_SIZE);
	assert_int_equal(hv_partition_get_info(e.hv, e.id, &info), 0);
	assert_int_equal(info.disabled_bank2, 0);
	/* The same request on the partition fd reaches it (too late: initialized). */
	assert_int_equal(root_hvcall(&e, ON_PT, arg), -EIO);
	assert_int_equal(e.rec.calls, 1);
	assert_int_equal(get16(arg, OFF_STATUS), ST_INVALID_PARTITION_STATE);
	env_down(&e);
}

static void dev_hvcall_before_6_19_is_enotty_and_reads_nothing(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], before[HVC_SIZE], in[24], out[8];
	struct env e;

	(void)state;
	env_up(&e, KSHIM_ABI_V1_ONLY, ENV_VP);
	property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
	hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
	memcpy(before, arg, HVC_SIZE);
	assert_int_equal(root_hvcall(&e, ON_DEV, arg), -ENOTTY);
	assert_int_equal(e.rec.copies, 0);
	assert_int_equal(e.rec.calls, 0);
	assert_memory_equal(arg, before, HVC_SIZE);
	assert_int_equal(root_hvcall(&e, ON_DEV, NULL), -ENOTTY);
	assert_int_equal(e.rec.copies, 0);
	/* Partition and VP descriptors have it on every level. */
	memset(out, POISON, sizeof(out));
	assert_int_equal(root_hvcall(&e, ON_PT, arg), 0);
	assert_int_equal(get64(out, 0), CLOCK);
	memset(out, POISON, sizeof(out));
	assert_int_equal(root_hvcall(&e, ON_VP, arg), 0);
	assert_int_equal(get64(out, 0), CLOCK);
	env_down(&e);

	/* From 6.19 (cpu-features) on, /dev/mshv has it. */
	env_up(&e, KSHIM_ABI_CPU_FEATURES, ENV_DEV);
	memset(out, POISON, sizeof(out));
	assert_int_equal(root_hvcall(&e, ON_DEV, arg), 0);
	assert_int_equal(e.rec.copies, 2);
	assert_int_equal(get64(out, 0), CLOCK);
	env_down(&e);
}

static void first_input_word_is_the_target_partition_id(void **state)
{
	static const uint64_t claimed[] = { 0xDEADBEEFCAFEF00DULL, 0, PARTITION_ID_SELF, 1 };
	static const uint16_t sizes[] = { 12, 16, 40 };
	_Alignas(8) uint8_t arg[HVC_SIZE], in[64], out[8];
	struct env e;
	size_t i, s;
	int kind;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		for (i = 0; i < sizeof(claimed) / sizeof(claimed[0]); i++) {
			for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				memset(in, 0xFF, sizeof(in));	/* beyond in_sz */
				property_input(in, claimed[i], PROP_CLOCK_FREQUENCY, 0);
				if (sizes[s] > 16)
					memset(in + 16, 0x5A, sizes[s] - 16u);
				hvc(arg, HC_GET_PROPERTY, 0, in, sizes[s], out, 8);
				assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), 0);
				assert_int_equal(e.rec.calls, 1);
				assert_int_equal(get64(e.rec.page0, 0),
						 target_of(&e, (enum kind)kind));
				assert_memory_equal(e.rec.page0 + 8, in + 8, sizes[s] - 8u);
				assert_all(e.rec.page0, sizes[s], HV_PAGE, 0);
				/* The user's own input is left as it was. */
				assert_int_equal(get64(in, 0), claimed[i]);
				assert_int_equal(get64(out, 0), CLOCK);
			}
		}
	}
	env_down(&e);
}

static void hypervisor_failures_write_the_status_back(void **state)
{
	static const struct {
		uint16_t status;
		int err;
	} injected[] = {
		{ 0x0001, EIO }, { 0x0002, EINVAL }, { 0x0003, EINVAL }, { 0x0004, EIO },
		{ 0x0005, EINVAL }, { 0x0006, EIO }, { 0x0007, EIO }, { 0x0008, EIO },
		{ 0x0009, EIO }, { 0x000A, EIO }, { 0x000D, EINVAL }, { 0x000E, EINVAL },
		{ 0x0010, EIO }, { 0x0020, EIO }, { 0x0037, EIO }, { 0xFFFF, EIO },
	};
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];
	struct env e;
	size_t i;
	int kind;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		/* A property the hypervisor does not know: UNKNOWN_PROPERTY -> EIO. */
		property_input(in, 0, 0x12345, 0);
		memset(out, POISON, sizeof(out));
		hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), -EIO);
		assert_int_equal(get16(arg, OFF_STATUS), ST_UNKNOWN_PROPERTY);
		assert_int_equal(get16(arg, OFF_REPS), 0);
		assert_all(out, 0, sizeof(out), POISON);	/* output not copied */

		/* Non-zero padding: INVALID_PARAMETER -> EINVAL. */
		property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
		put32(in, 12, 1);
		hvc(arg, HC_GET_PROPERTY_EX, 0, in, 16, out, 8);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), -EINVAL);
		assert_int_equal(e.rec.calls, 1);
		assert_int_equal(get16(arg, OFF_STATUS), ST_INVALID_PARAMETER);
		assert_all(out, 0, sizeof(out), POISON);

		/* Whatever the hypervisor says, verbatim, and its errno. */
		for (i = 0; i < sizeof(injected) / sizeof(injected[0]); i++) {
			property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
			hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
			hv_inject_status(e.hv, HC_GET_PROPERTY, injected[i].status, 1);
			if (root_hvcall(&e, (enum kind)kind, arg) != -injected[i].err)
				fail_msg("%s: status 0x%x: wrong errno", kind_name[kind],
					 injected[i].status);
			assert_int_equal(e.rec.calls, 1);
			assert_int_equal(get16(arg, OFF_STATUS), injected[i].status);
		}
	}
	env_down(&e);
}

static void missing_output_reaches_the_hypervisor_as_null(void **state)
{
	static const uint16_t out_sizes[] = { 0, 8, 0xFFFF };	/* ignored without out_ptr */
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24];
	struct trace t;
	struct env e;
	size_t i;
	int kind;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		for (i = 0; i < sizeof(out_sizes) / sizeof(out_sizes[0]); i++) {
			property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
			hvc(arg, HC_GET_PROPERTY, 0, in, 16, NULL, out_sizes[i]);
			trace_on(&e);
			assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), -EINVAL);
			trace_off(&e, &t);
			assert_int_equal(e.rec.calls, 1);
			assert_int_equal(get16(arg, OFF_STATUS), ST_INVALID_HYPERCALL_INPUT);
			assert_int_equal(get16(arg, OFF_OUT_SZ), out_sizes[i]);
			assert_int_equal(t.count, 1);
			expect_line(&t, 0, "get_partition_property", ST_INVALID_HYPERCALL_INPUT,
				    target_of(&e, (enum kind)kind));
			trace_free(&t);
		}
	}
	env_down(&e);
}

static void insufficient_memory_is_deposited_and_retried(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];
	const uint64_t deposit1 = HC_DEPOSIT_MEMORY | 1ULL << REP_COUNT_SHIFT;
	struct trace t;
	struct env e;
	uint64_t before;
	int kind;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		uint64_t target = target_of(&e, (enum kind)kind);
		size_t i;

		property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
		memset(out, POISON, sizeof(out));
		hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
		before = hv_deposited_pages(e.hv);
		hv_inject_status(e.hv, HC_GET_PROPERTY, ST_INSUFFICIENT_MEMORY, 2);
		trace_on(&e);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), 0);
		trace_off(&e, &t);
		assert_int_equal(hv_deposited_pages(e.hv) - before, 2);
		assert_int_equal(get64(out, 0), CLOCK);
		assert_int_equal(get16(arg, OFF_STATUS), ST_SUCCESS);

		assert_int_equal(t.count, 5);
		for (i = 0; i < 5; i += 2)
			expect_line(&t, i, "get_partition_property",
				    i < 4 ? ST_INSUFFICIENT_MEMORY : ST_SUCCESS, target);
		for (i = 1; i < 5; i += 2) {
			expect_line(&t, i, "deposit_memory", ST_SUCCESS, target);
			assert_int_equal(line_int(&t, i, "pages"), 1);
		}
		trace_free(&t);

		/* Every attempt carries the same input. */
		assert_int_equal(e.rec.calls, 5);
		for (i = 0; i < 5; i++) {
			assert_int_equal(e.rec.control[i], i % 2 ? deposit1 : HC_GET_PROPERTY);
			assert_int_equal(get64(e.rec.input[i], 0), target);
			if (i % 2 == 0)
				assert_int_equal(get32(e.rec.input[i], 8), PROP_CLOCK_FREQUENCY);
		}
	}
	env_down(&e);
}

static void failed_deposit_ends_the_retry_with_its_errno(void **state)
{
	static const struct {
		uint16_t status;
		int err;
	} deposit[] = { { ST_ACCESS_DENIED, EIO }, { ST_INVALID_PARAMETER, EINVAL } };
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];
	struct trace t;
	struct env e;
	uint64_t before;
	size_t i;
	int kind;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		for (i = 0; i < 2; i++) {
			uint64_t target = target_of(&e, (enum kind)kind);

			property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
			memset(out, POISON, sizeof(out));
			hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
			before = hv_deposited_pages(e.hv);
			hv_inject_status(e.hv, HC_GET_PROPERTY, ST_INSUFFICIENT_MEMORY, 1);
			hv_inject_status(e.hv, HC_DEPOSIT_MEMORY, deposit[i].status, 1);
			trace_on(&e);
			assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), -deposit[i].err);
			trace_off(&e, &t);
			/* The status of the last hypercall that was passed through. */
			assert_int_equal(get16(arg, OFF_STATUS), ST_INSUFFICIENT_MEMORY);
			assert_int_equal(get16(arg, OFF_REPS), 0);
			assert_all(out, 0, sizeof(out), POISON);
			assert_int_equal(hv_deposited_pages(e.hv), before);
			assert_int_equal(t.count, 2);
			expect_line(&t, 0, "get_partition_property", ST_INSUFFICIENT_MEMORY, target);
			expect_line(&t, 1, "deposit_memory", deposit[i].status, target);
			trace_free(&t);
		}
	}
	env_down(&e);
}

static void rep_call_returns_every_rep(void **state)
{
	static const uint32_t leaves[] = { 0x40000000, 0x40000001 };
	const uint64_t control = HC_GET_VP_CPUID_VALUES | 2ULL << REP_COUNT_SHIFT;
	_Alignas(8) uint8_t arg[HVC_SIZE], in[96], out[48];
	struct trace t;
	struct env e;
	size_t in_sz;
	int kind, retry;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = ON_PT; kind <= ON_VP; kind++) {
		for (retry = 0; retry < 2; retry++) {
			in_sz = cpuid_input(in, 0, leaves, 2);
			memset(out, POISON, sizeof(out));
			hvc(arg, HC_GET_VP_CPUID_VALUES, 2, in, (uint16_t)in_sz, out, 32);
			if (retry)
				hv_inject_status(e.hv, HC_GET_VP_CPUID_VALUES,
						 ST_INSUFFICIENT_MEMORY, 1);
			trace_on(&e);
			assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), 0);
			trace_off(&e, &t);
			assert_int_equal(get16(arg, OFF_REPS), 2);
			assert_int_equal(get16(arg, OFF_STATUS), ST_SUCCESS);
			/* Both leaves: the hypervisor's vendor leaf and its interface. */
			assert_int_equal(get32(out, 0), 0x40000006);
			assert_memory_equal(out + 4, "Microsoft Hv", 12);
			assert_int_equal(get32(out, 16), 0x31237648);	/* "Hv#1" */
			assert_all(out, 20, 32, 0);
			assert_all(out, 32, sizeof(out), POISON);
			if (!retry) {
				assert_int_equal(e.rec.calls, 1);
				assert_int_equal(e.rec.control[0], control);
				assert_int_equal(t.count, 1);
				expect_line(&t, 0, "get_vp_cpuid_values", ST_SUCCESS, e.id);
			} else {
				assert_int_equal(e.rec.calls, 3);
				assert_int_equal(e.rec.control[0], control);
				assert_int_equal(e.rec.control[1],
						 HC_DEPOSIT_MEMORY | 1ULL << REP_COUNT_SHIFT);
				assert_int_equal(e.rec.control[2], control);
				assert_int_equal(t.count, 3);
				expect_line(&t, 0, "get_vp_cpuid_values", ST_INSUFFICIENT_MEMORY,
					    e.id);
				expect_line(&t, 1, "deposit_memory", ST_SUCCESS, e.id);
				expect_line(&t, 2, "get_vp_cpuid_values", ST_SUCCESS, e.id);
			}
			trace_free(&t);
		}
	}
	env_down(&e);
}

static void reps_on_a_simple_call_are_refused_by_the_hypervisor(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];
	struct env e;
	int kind;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
		memset(out, POISON, sizeof(out));
		hvc(arg, HC_GET_PROPERTY, 1, in, 16, out, 8);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), -EINVAL);
		assert_int_equal(e.rec.calls, 1);
		assert_int_equal(e.rec.control[0], HC_GET_PROPERTY | 1ULL << REP_COUNT_SHIFT);
		assert_int_equal(get16(arg, OFF_STATUS), ST_INVALID_HYPERCALL_INPUT);
		assert_int_equal(get16(arg, OFF_REPS), 0);
		assert_all(out, 0, sizeof(out), POISON);
	}
	env_down(&e);
}

static void output_is_copied_back_as_exactly_out_sz_bytes(void **state)
{
	static const uint16_t sizes[] = { 1, 5, 7, 8, 9, 16, 33 };
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[64], clock[8];
	struct env e;
	size_t s, n;
	int kind;

	(void)state;
	put64(clock, 0, CLOCK);
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = 0; kind < KINDS; kind++) {
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
			memset(out, POISON, sizeof(out));
			hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, sizes[s]);
			assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), 0);
			n = sizes[s] < 8 ? sizes[s] : 8;
			assert_memory_equal(out, clock, n);
			assert_all(out, n, sizes[s], 0);	/* the zeroed output page */
			assert_all(out, sizes[s], sizeof(out), POISON);
		}
		/* The same through GET_PARTITION_PROPERTY_EX. */
		property_input(in, 0, PROP_FEATURE_BANK_COUNT, 0);
		memset(out, POISON, sizeof(out));
		hvc(arg, HC_GET_PROPERTY_EX, 0, in, 16, out, 3);
		assert_int_equal(root_hvcall(&e, (enum kind)kind, arg), 0);
		assert_int_equal(out[0], 3);		/* the model's default bank count */
		assert_all(out, 1, 3, 0);
		assert_all(out, 3, sizeof(out), POISON);
	}
	env_down(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_request_succeeds_on_every_kind),
		cmocka_unit_test(each_malformed_field_alone_is_einval_without_a_hypercall),
		cmocka_unit_test(size_boundaries_are_accepted),
		cmocka_unit_test(unreadable_argument_is_efault),
		cmocka_unit_test(argument_running_into_a_guard_page_is_efault),
		cmocka_unit_test(unreadable_input_is_efault_without_a_hypercall),
		cmocka_unit_test(unwritable_output_is_efault_and_the_status_is_still_written_back),
		cmocka_unit_test(read_only_argument_is_efault_after_a_successful_call),
		cmocka_unit_test(only_allowed_codes_reach_the_hypervisor),
		cmocka_unit_test(only_the_partition_fd_sets_partition_properties),
		cmocka_unit_test(dev_hvcall_before_6_19_is_enotty_and_reads_nothing),
		cmocka_unit_test(first_input_word_is_the_target_partition_id),
		cmocka_unit_test(hypervisor_failures_write_the_status_back),
		cmocka_unit_test(missing_output_reaches_the_hypervisor_as_null),
		cmocka_unit_test(insufficient_memory_is_deposited_and_retried),
		cmocka_unit_test(failed_deposit_ends_the_retry_with_its_errno),
		cmocka_unit_test(rep_call_returns_every_rep),
		cmocka_unit_test(reps_on_a_simple_call_are_refused_by_the_hypervisor),
		cmocka_unit_test(output_is_copied_back_as_exactly_out_sz_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
