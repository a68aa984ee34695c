// SPDX-License-Identifier: MIT
/*
 * Partition and VP descriptors through the real ioctl entry (kshim_ioctl)
 * into the hypervisor model: MSHV_INITIALIZE_PARTITION and its deposits,
 * MSHV_CREATE_VP, the ioctls the driver knows but does not support and
 * those it does not know, how closing descriptors tears a partition down
 * (VP files and dups keep it alive), and a VP's and its partition's
 * ioctls from two threads at once.
 *
 * Ioctl numbers and argument layouts are the reference's, written out
 * here, so this file does not depend on the headers under test. What
 * reaches the hypervisor is seen through the shim's hypercall hook and the
 * model's trace; every test ends with no descriptor and no partition left.
 */
#include <errno.h>
#include <pthread.h>
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
#define MSHV_CREATE_VP			0x4004B801U	/* arg: u32 vp_index */
#define MSHV_ROOT_HVCALL		0xC020B807U
#define MSHV_SET_GUEST_MEMORY		0x4020B802U
#define MSHV_IRQFD			0x4010B803U
#define MSHV_IOEVENTFD			0x4020B804U
#define MSHV_SET_MSI_ROUTING		0x4008B805U
#define MSHV_GET_GPAP_ACCESS_BITMAP	0xC020B806U
#define MSHV_RUN_VP			0x8100B800U
#define MSHV_GET_VP_STATE		0xC010B801U
#define MSHV_SET_VP_STATE		0xC010B802U

/* struct mshv_root_hvcall: 32 bytes. */
#define HVC_SIZE	32
#define OFF_CODE	0
#define OFF_REPS	2
#define OFF_IN_SZ	4
#define OFF_OUT_SZ	6
#define OFF_STATUS	8
#define OFF_IN_PTR	16
#define OFF_OUT_PTR	24

/* Hypervisor ABI. */
#define HC_INITIALIZE_PARTITION	0x0041
#define HC_GET_PROPERTY		0x0044
#define HC_SET_PROPERTY		0x0045
#define HC_DEPOSIT_MEMORY	0x0048
#define HC_CREATE_VP		0x004E
#define HC_GET_VP_CPUID_VALUES	0x00F4
#define HC_GET_PROPERTY_EX	0x0101

#define ST_SUCCESS			0x0000
#define ST_INVALID_PARAMETER		0x0005
#define ST_ACCESS_DENIED		0x0006
#define ST_INVALID_PARTITION_STATE	0x0007
#define ST_INSUFFICIENT_MEMORY		0x000B

#define REP_COUNT_SHIFT		32
#define INIT_DEPOSIT_PAGES	208
#define MAX_VPS			256

#define PROP_CLOCK_FREQUENCY		0x00060009U
#define PROP_FEATURE_BANK_COUNT		0x00060015U
#define PROP_DISABLED_FEATURES_EX	0x0009000EU

#define CLOCK		0x1122334455667788ULL

#define MAX_CALLS	16
struct recorder {
	unsigned int calls;
	uint64_t control[MAX_CALLS];
	uint8_t input[MAX_CALLS][64];
	unsigned int copies;
	size_t copy_len[4];
};

struct env {
	struct hv *hv;
	struct kshim *k;
	int dev;
	int pt;			/* -1 when closed */
	uint64_t id;
	struct recorder rec;
	char *trace;
};

enum { ENV_DEV, ENV_PT, ENV_INIT };

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

static void hvc(uint8_t *arg, uint16_t code, uint16_t reps, const void *in, uint16_t in_sz,
		void *out, uint16_t out_sz)
{
	memset(arg, 0, HVC_SIZE);
	put16(arg, OFF_CODE, code);
	put16(arg, OFF_REPS, reps);
	put16(arg, OFF_IN_SZ, in_sz);
	put16(arg, OFF_OUT_SZ, out_sz);
	put64(arg, OFF_IN_PTR, (uint64_t)(uintptr_t)in);
	put64(arg, OFF_OUT_PTR, (uint64_t)(uintptr_t)out);
}

/* Get/SetPartitionProperty input: id, property code, padding, value. */
static void property_input(uint8_t *in, uint32_t property, uint64_t value)
{
	memset(in, 0, 24);
	put32(in, 8, property);
	put64(in, 16, value);
}

/* --- the simulated kernel ------------------------------------------------ */

static void on_copy(void *ctx, unsigned int nth, const void *uaddr, size_t len)
{
	struct recorder *r = ctx;

	(void)nth;
	(void)uaddr;
	if (r->copies < 4)
		r->copy_len[r->copies] = len;
	r->copies++;
}

static void on_hypercall(void *ctx, uint64_t control, const void *input)
{
	struct recorder *r = ctx;

	if (r->calls < MAX_CALLS) {
		r->control[r->calls] = control;
		memcpy(r->input[r->calls], input, 64);
	}
	r->calls++;
}

static void rec_reset(struct env *e)
{
	e->rec.calls = 0;
	e->rec.copies = 0;
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

static long pt_ioctl(struct env *e, unsigned int cmd, unsigned long arg)
{
	rec_reset(e);
	return kshim_ioctl(e->k, e->pt, cmd, arg);
}

static long initialize(struct env *e)
{
	return pt_ioctl(e, MSHV_INITIALIZE_PARTITION, 0);
}

static long create_vp_on(struct env *e, int fd, uint32_t index)
{
	rec_reset(e);
	return kshim_ioctl(e->k, fd, MSHV_CREATE_VP, (unsigned long)&index);
}

static long create_vp(struct env *e, uint32_t index)
{
	return create_vp_on(e, e->pt, index);
}

/* A new partition (v1, no flags) as e->pt; e->id its id. */
static void new_partition(struct env *e)
{
	uint8_t create[16] = { 0 };
	long fd = kshim_ioctl(e->k, e->dev, MSHV_CREATE_PARTITION, (unsigned long)create);

	assert_true(fd >= 0);
	assert_int_equal(kshim_fd_kind(e->k, (int)fd), KSHIM_FD_PARTITION);
	e->pt = (int)fd;
	e->id = newest_partition(e);
}

static void env_up(struct env *e, int what)
{
	struct hv_host_config c = {
		.arch = HV_ARCH_X86_64,
		.vendor = HV_PROCESSOR_VENDOR_INTEL,
		.offered = { 0, 0, 0, 0 },
		.clock_frequency = CLOCK,
	};
	struct kshim_config kc = { .abi = KSHIM_ABI_NESTED_SMT };

	memset(e, 0, sizeof(*e));
	e->pt = -1;
	assert_int_equal(hv_create(&c, &e->hv), 0);
	kc.hv = e->hv;
	assert_int_equal(kshim_create(&kc, &e->k), 0);
	e->dev = kshim_open_dev(e->k);
	assert_true(e->dev >= 0);
	if (what >= ENV_PT)
		new_partition(e);
	if (what >= ENV_INIT)
		assert_int_equal(initialize(e), 0);
	kshim_set_copy_from_user_hook(e->k, on_copy, &e->rec);
	kshim_set_hypercall_hook(e->k, on_hypercall, &e->rec);
	rec_reset(e);
}

/* Closes the partition fd (if still open) and /dev/mshv; nothing may be left. */
static void env_down(struct env *e)
{
	kshim_set_copy_from_user_hook(e->k, NULL, NULL);
	kshim_set_hypercall_hook(e->k, NULL, NULL);
	if (e->pt >= 0)
		assert_int_equal(kshim_close(e->k, e->pt), 0);
	assert_int_equal(kshim_close(e->k, e->dev), 0);
	assert_int_equal(kshim_fd_count(e->k), 0);
	assert_int_equal(hv_partition_count(e->hv), 0);
	kshim_destroy(e->k);
	hv_destroy(e->hv);
}

static enum hv_partition_state state_of(struct env *e)
{
	struct hv_partition_info info;

	assert_int_equal(hv_partition_get_info(e->hv, e->id, &info), 0);
	return info.state;
}

static uint32_t vp_count(struct env *e)
{
	struct hv_partition_info info;

	assert_int_equal(hv_partition_get_info(e->hv, e->id, &info), 0);
	return info.vp_count;
}

/* GET_PARTITION_PROPERTY(clock frequency) through @fd: must succeed. */
static void read_clock_through(struct env *e, int fd)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];

	property_input(in, PROP_CLOCK_FREQUENCY, 0);
	memset(out, 0, sizeof(out));
	hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
	rec_reset(e);
	assert_int_equal(kshim_ioctl(e->k, fd, MSHV_ROOT_HVCALL, (unsigned long)arg), 0);
	assert_int_equal(get16(arg, OFF_STATUS), ST_SUCCESS);
	assert_int_equal(get64(out, 0), CLOCK);
	assert_int_equal(e->rec.calls, 1);
	assert_int_equal(get64(e->rec.input[0], 0), e->id);
}

/* --- the trace ------------------------------------------------------------- */

static void trace_on(struct env *e)
{
	int fd;

	e->trace = strdup("/tmp/mshvcpu-lifecycle-XXXXXX");
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

/* The trace of a closed stretch must be exactly these calls, all on e->id. */
static void expect_trace(struct env *e, struct trace *t, const char *const *calls, size_t n)
{
	size_t i;

	trace_off(e, t);
	if (t->count != n)
		fail_msg("trace has %zu lines, expected %zu", t->count, n);
	for (i = 0; i < n; i++)
		expect_line(t, i, calls[i], ST_SUCCESS, e->id);
	trace_free(t);
}

/* A page of user memory followed by a guard page (PROT_NONE). */
struct guarded {
	uint8_t *map;		/* two pages */
	uint8_t *end;		/* the end of the first one, the start of the guard */
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

/* --- MSHV_INITIALIZE_PARTITION --------------------------------------------- */

static void initialize_deposits_208_pages_then_initializes(void **state)
{
	struct guarded g;
	struct trace t;
	struct env e;
	uint64_t before;

	(void)state;
	guard_up(&g);
	env_up(&e, ENV_PT);
	assert_int_equal(state_of(&e), HV_PARTITION_STATE_CREATED);
	before = hv_deposited_pages(e.hv);
	trace_on(&e);
	/* The argument is not looked at (here: an unreadable address). */
	assert_int_equal(pt_ioctl(&e, MSHV_INITIALIZE_PARTITION, (unsigned long)g.end), 0);
	trace_off(&e, &t);
	assert_int_equal(e.rec.copies, 0);
	assert_int_equal(t.count, 2);
	expect_line(&t, 0, "deposit_memory", ST_SUCCESS, e.id);
	assert_int_equal(line_int(&t, 0, "pages"), INIT_DEPOSIT_PAGES);
	expect_line(&t, 1, "initialize_partition", ST_SUCCESS, e.id);
	trace_free(&t);
	assert_int_equal(e.rec.calls, 2);
	assert_int_equal(e.rec.control[0],
			 HC_DEPOSIT_MEMORY | (uint64_t)INIT_DEPOSIT_PAGES << REP_COUNT_SHIFT);
	assert_int_equal(e.rec.control[1], HC_INITIALIZE_PARTITION);
	assert_int_equal(get64(e.rec.input[1], 0), e.id);
	assert_int_equal(hv_deposited_pages(e.hv) - before, INIT_DEPOSIT_PAGES);
	assert_int_equal(state_of(&e), HV_PARTITION_STATE_INITIALIZED);
	env_down(&e);
	guard_down(&g);
}

static void initialize_again_is_0_without_a_hypercall(void **state)
{
	struct env e;
	uint64_t before;
	int i;

	(void)state;
	env_up(&e, ENV_INIT);
	before = hv_deposited_pages(e.hv);
	for (i = 0; i < 3; i++) {
		assert_int_equal(initialize(&e), 0);
		assert_int_equal(e.rec.calls, 0);
	}
	assert_int_equal(hv_deposited_pages(e.hv), before);
	assert_int_equal(state_of(&e), HV_PARTITION_STATE_INITIALIZED);
	env_down(&e);
}

static void initialize_retries_on_insufficient_memory(void **state)
{
	struct trace t;
	struct env e;
	uint64_t before;

	(void)state;
	env_up(&e, ENV_PT);
	before = hv_deposited_pages(e.hv);
	hv_inject_status(e.hv, HC_INITIALIZE_PARTITION, ST_INSUFFICIENT_MEMORY, 1);
	trace_on(&e);
	assert_int_equal(initialize(&e), 0);
	trace_off(&e, &t);
	assert_int_equal(t.count, 4);
	expect_line(&t, 0, "deposit_memory", ST_SUCCESS, e.id);
	assert_int_equal(line_int(&t, 0, "pages"), INIT_DEPOSIT_PAGES);
	expect_line(&t, 1, "initialize_partition", ST_INSUFFICIENT_MEMORY, e.id);
	expect_line(&t, 2, "deposit_memory", ST_SUCCESS, e.id);
	assert_int_equal(line_int(&t, 2, "pages"), 1);
	expect_line(&t, 3, "initialize_partition", ST_SUCCESS, e.id);
	trace_free(&t);
	assert_int_equal(hv_deposited_pages(e.hv) - before, INIT_DEPOSIT_PAGES + 1);
	assert_int_equal(state_of(&e), HV_PARTITION_STATE_INITIALIZED);
	env_down(&e);
}

static void failed_initialize_leaves_the_partition_uninitialized(void **state)
{
	static const struct {
		uint16_t code, status;
		int err;
	} failures[] = {
		{ HC_INITIALIZE_PARTITION, ST_INVALID_PARTITION_STATE, EIO },
		{ HC_INITIALIZE_PARTITION, ST_INVALID_PARAMETER, EINVAL },
		{ HC_DEPOSIT_MEMORY, ST_ACCESS_DENIED, EIO },	/* the 208 pages */
	};
	static const char *const delete_only[] = { "delete_partition" };
	struct trace t;
	struct env e;
	size_t i;

	(void)state;
	env_up(&e, ENV_DEV);
	for (i = 0; i < sizeof(failures) / sizeof(failures[0]); i++) {
		bool deposit_failed = failures[i].code == HC_DEPOSIT_MEMORY;
		int again;

		/* Fail, then close: an uninitialized partition is only deleted. */
		for (again = 0; again < 2; again++) {
			new_partition(&e);
			hv_inject_status(e.hv, failures[i].code, failures[i].status, 1);
			trace_on(&e);
			assert_int_equal(initialize(&e), -failures[i].err);
			trace_off(&e, &t);
			assert_int_equal(t.count, deposit_failed ? 1 : 2);
			expect_line(&t, 0, "deposit_memory",
				    deposit_failed ? failures[i].status : ST_SUCCESS, e.id);
			if (!deposit_failed)
				expect_line(&t, 1, "initialize_partition", failures[i].status,
					    e.id);
			trace_free(&t);
			assert_int_equal(state_of(&e), HV_PARTITION_STATE_CREATED);

			if (!again) {
				trace_on(&e);
				assert_int_equal(kshim_close(e.k, e.pt), 0);
				e.pt = -1;
				expect_trace(&e, &t, delete_only, 1);
				continue;
			}
			/* Fail, then initialize again: the calls are made again. */
			trace_on(&e);
			assert_int_equal(initialize(&e), 0);
			trace_off(&e, &t);
			assert_int_equal(t.count, 2);
			expect_line(&t, 0, "deposit_memory", ST_SUCCESS, e.id);
			assert_int_equal(line_int(&t, 0, "pages"), INIT_DEPOSIT_PAGES);
			expect_line(&t, 1, "initialize_partition", ST_SUCCESS, e.id);
			trace_free(&t);
			assert_int_equal(state_of(&e), HV_PARTITION_STATE_INITIALIZED);
			assert_int_equal(kshim_close(e.k, e.pt), 0);
			e.pt = -1;
		}
	}
	env_down(&e);
}

/* --- MSHV_CREATE_VP ------------------------------------------------------- */

static void create_vp_returns_a_vp_descriptor(void **state)
{
	static const uint32_t indices[] = { 0, 1, 255 };
	int fds[3];
	struct trace t;
	struct env e;
	size_t i;

	(void)state;
	env_up(&e, ENV_INIT);
	for (i = 0; i < 3; i++) {
		long fd;

		trace_on(&e);
		fd = create_vp(&e, indices[i]);
		trace_off(&e, &t);
		assert_true(fd >= 0);
		assert_int_equal(kshim_fd_kind(e.k, (int)fd), KSHIM_FD_VP);
		fds[i] = (int)fd;
		assert_int_equal(e.rec.copies, 1);
		assert_int_equal(e.rec.copy_len[0], 4);
		assert_int_equal(e.rec.calls, 1);
		assert_int_equal(e.rec.control[0], HC_CREATE_VP);
		assert_int_equal(get64(e.rec.input[0], 0), e.id);
		assert_int_equal(get32(e.rec.input[0], 8), indices[i]);
		assert_int_equal(t.count, 1);
		expect_line(&t, 0, "create_vp", ST_SUCCESS, e.id);
		assert_int_equal(line_int(&t, 0, "vp_index"), (int)indices[i]);
		trace_free(&t);
	}
	assert_int_equal(vp_count(&e), 3);
	assert_int_equal(kshim_fd_count(e.k), 5);
	for (i = 0; i < 3; i++)
		assert_int_equal(kshim_close(e.k, fds[i]), 0);
	env_down(&e);
}

static void create_vp_index_out_of_range_is_einval(void **state)
{
	static const uint32_t indices[] = { MAX_VPS, MAX_VPS + 1, 0x80000000U, 0xFFFFFFFFU };
	struct env e;
	size_t i;

	(void)state;
	env_up(&e, ENV_INIT);
	for (i = 0; i < sizeof(indices) / sizeof(indices[0]); i++) {
		assert_int_equal(create_vp(&e, indices[i]), -EINVAL);
		assert_int_equal(e.rec.calls, 0);
	}
	assert_int_equal(vp_count(&e), 0);
	assert_int_equal(kshim_fd_count(e.k), 2);
	env_down(&e);
}

static void create_vp_same_index_twice_is_eexist(void **state)
{
	struct env e;
	long fd;

	(void)state;
	env_up(&e, ENV_INIT);
	fd = create_vp(&e, 7);
	assert_true(fd >= 0);
	assert_int_equal(create_vp(&e, 7), -EEXIST);
	assert_int_equal(e.rec.calls, 0);
	/* Closing the VP's descriptor does not free the slot. */
	assert_int_equal(kshim_close(e.k, (int)fd), 0);
	assert_int_equal(create_vp(&e, 7), -EEXIST);
	assert_int_equal(e.rec.calls, 0);
	assert_int_equal(vp_count(&e), 1);
	assert_int_equal(kshim_fd_count(e.k), 2);
	env_down(&e);
}

static void create_vp_unreadable_argument_is_efault(void **state)
{
	struct guarded g;
	size_t readable;
	struct env e;
	long fd;

	(void)state;
	guard_up(&g);
	env_up(&e, ENV_INIT);
	assert_int_equal(pt_ioctl(&e, MSHV_CREATE_VP, 0), -EFAULT);
	assert_int_equal(e.rec.calls, 0);
	assert_int_equal(pt_ioctl(&e, MSHV_CREATE_VP, (unsigned long)g.end), -EFAULT);
	assert_int_equal(e.rec.calls, 0);
	/* 1 to 3 of the 4 bytes before the guard page. */
	for (readable = 1; readable < 4; readable++) {
		memset(g.end - readable, 0, readable);
		assert_int_equal(pt_ioctl(&e, MSHV_CREATE_VP, (unsigned long)(g.end - readable)),
				 -EFAULT);
		assert_int_equal(e.rec.calls, 0);
	}
	assert_int_equal(kshim_fd_count(e.k), 2);
	assert_int_equal(vp_count(&e), 0);
	/* All four: VP 0. */
	memset(g.end - 4, 0, 4);
	fd = pt_ioctl(&e, MSHV_CREATE_VP, (unsigned long)(g.end - 4));
	assert_true(fd >= 0);
	assert_int_equal(kshim_close(e.k, (int)fd), 0);
	assert_int_equal(vp_count(&e), 1);
	env_down(&e);
	guard_down(&g);
}

static void create_vp_before_initialize_fails_and_keeps_the_slot_free(void **state)
{
	struct trace t;
	struct env e;
	long fd;

	(void)state;
	env_up(&e, ENV_PT);
	trace_on(&e);
	assert_int_equal(create_vp(&e, 4), -EIO);
	trace_off(&e, &t);
	assert_int_equal(t.count, 1);
	expect_line(&t, 0, "create_vp", ST_INVALID_PARTITION_STATE, e.id);
	trace_free(&t);
	assert_int_equal(kshim_fd_count(e.k), 2);
	assert_int_equal(initialize(&e), 0);
	fd = create_vp(&e, 4);
	assert_true(fd >= 0);
	assert_int_equal(kshim_fd_kind(e.k, (int)fd), KSHIM_FD_VP);
	assert_int_equal(vp_count(&e), 1);
	assert_int_equal(kshim_close(e.k, (int)fd), 0);
	env_down(&e);
}

static void create_vp_retries_on_insufficient_memory(void **state)
{
	struct trace t;
	struct env e;
	long fd;

	(void)state;
	env_up(&e, ENV_INIT);
	hv_inject_status(e.hv, HC_CREATE_VP, ST_INSUFFICIENT_MEMORY, 1);
	trace_on(&e);
	fd = create_vp(&e, 9);
	trace_off(&e, &t);
	assert_true(fd >= 0);
	assert_int_equal(t.count, 3);
	expect_line(&t, 0, "create_vp", ST_INSUFFICIENT_MEMORY, e.id);
	expect_line(&t, 1, "deposit_memory", ST_SUCCESS, e.id);
	assert_int_equal(line_int(&t, 1, "pages"), 1);
	expect_line(&t, 2, "create_vp", ST_SUCCESS, e.id);
	assert_int_equal(line_int(&t, 2, "vp_index"), 9);
	trace_free(&t);
	/* The retry's input is whole again after the deposit used the page. */
	assert_int_equal(e.rec.calls, 3);
	assert_int_equal(get64(e.rec.input[2], 0), e.id);
	assert_int_equal(get32(e.rec.input[2], 8), 9);
	assert_int_equal(kshim_close(e.k, (int)fd), 0);
	env_down(&e);
}

/* --- other ioctls ----------------------------------------------------------- */

static void unsupported_ioctls_are_eopnotsupp(void **state)
{
	static const unsigned int on_partition[] = {
		MSHV_SET_GUEST_MEMORY, MSHV_IRQFD, MSHV_IOEVENTFD, MSHV_SET_MSI_ROUTING,
		MSHV_GET_GPAP_ACCESS_BITMAP,
	};
	static const unsigned int on_vp[] = { MSHV_RUN_VP, MSHV_GET_VP_STATE, MSHV_SET_VP_STATE };
	_Alignas(8) uint8_t buf[512] = { 0 };
	struct env e;
	size_t i;
	int vp;

	(void)state;
	env_up(&e, ENV_INIT);
	vp = (int)create_vp(&e, 0);
	assert_true(vp >= 0);
	for (i = 0; i < sizeof(on_partition) / sizeof(on_partition[0]); i++) {
		if (pt_ioctl(&e, on_partition[i], (unsigned long)buf) != -EOPNOTSUPP)
			fail_msg("partition fd: 0x%x is not EOPNOTSUPP", on_partition[i]);
		assert_int_equal(e.rec.copies, 0);
		assert_int_equal(e.rec.calls, 0);
	}
	for (i = 0; i < sizeof(on_vp) / sizeof(on_vp[0]); i++) {
		rec_reset(&e);
		if (kshim_ioctl(e.k, vp, on_vp[i], (unsigned long)buf) != -EOPNOTSUPP)
			fail_msg("VP fd: 0x%x is not EOPNOTSUPP", on_vp[i]);
		assert_int_equal(e.rec.copies, 0);
		assert_int_equal(e.rec.calls, 0);
	}
	assert_int_equal(kshim_close(e.k, vp), 0);
	env_down(&e);
}

static void unknown_ioctls_are_enotty(void **state)
{
	static const unsigned int on_partition[] = {
		MSHV_CREATE_PARTITION, 0, 0xFFFFFFFFU, MSHV_RUN_VP, MSHV_GET_VP_STATE,
		MSHV_SET_VP_STATE, 0xB807U, 0xC020B808U, 0x4004B800U,
	};
	static const unsigned int on_vp[] = {
		MSHV_INITIALIZE_PARTITION, MSHV_CREATE_VP, MSHV_CREATE_PARTITION,
		MSHV_SET_GUEST_MEMORY, MSHV_GET_GPAP_ACCESS_BITMAP, 0, 0xFFFFFFFFU, 0xB807U,
	};
	static const unsigned int on_dev[] = {
		MSHV_INITIALIZE_PARTITION, MSHV_CREATE_VP, 0, 0xFFFFFFFFU, MSHV_SET_GUEST_MEMORY,
		MSHV_RUN_VP, 0xB807U, 0xB800U | 0x10U,
	};
	_Alignas(8) uint32_t buf[128] = { 0 };
	struct env e;
	size_t i;
	int vp;

	(void)state;
	env_up(&e, ENV_INIT);
	vp = (int)create_vp(&e, 0);
	assert_true(vp >= 0);
	for (i = 0; i < sizeof(on_partition) / sizeof(on_partition[0]); i++) {
		if (pt_ioctl(&e, on_partition[i], (unsigned long)buf) != -ENOTTY)
			fail_msg("partition fd: 0x%x is not ENOTTY", on_partition[i]);
		assert_int_equal(e.rec.copies, 0);
		assert_int_equal(e.rec.calls, 0);
	}
	for (i = 0; i < sizeof(on_vp) / sizeof(on_vp[0]); i++) {
		rec_reset(&e);
		if (kshim_ioctl(e.k, vp, on_vp[i], (unsigned long)buf) != -ENOTTY)
			fail_msg("VP fd: 0x%x is not ENOTTY", on_vp[i]);
		assert_int_equal(e.rec.copies, 0);
		assert_int_equal(e.rec.calls, 0);
	}
	for (i = 0; i < sizeof(on_dev) / sizeof(on_dev[0]); i++) {
		rec_reset(&e);
		if (kshim_ioctl(e.k, e.dev, on_dev[i], (unsigned long)buf) != -ENOTTY)
			fail_msg("/dev/mshv: 0x%x is not ENOTTY", on_dev[i]);
		assert_int_equal(e.rec.copies, 0);
		assert_int_equal(e.rec.calls, 0);
	}
	/* Nothing was created by any of them. */
	assert_int_equal(kshim_fd_count(e.k), 3);
	assert_int_equal(hv_partition_count(e.hv), 1);
	assert_int_equal(vp_count(&e), 1);
	assert_int_equal(kshim_close(e.k, vp), 0);
	env_down(&e);
}

/* --- teardown ----------------------------------------------------------------- */

static void closing_an_uninitialized_partition_only_deletes_it(void **state)
{
	static const char *const calls[] = { "delete_partition" };
	struct trace t;
	struct env e;

	(void)state;
	env_up(&e, ENV_PT);
	trace_on(&e);
	assert_int_equal(kshim_close(e.k, e.pt), 0);
	e.pt = -1;
	expect_trace(&e, &t, calls, 1);
	assert_int_equal(hv_partition_count(e.hv), 0);
	env_down(&e);
}

static void closing_an_initialized_partition_finalizes_then_deletes_it(void **state)
{
	static const char *const calls[] = { "finalize_partition", "delete_partition" };
	struct trace t;
	struct env e;

	(void)state;
	env_up(&e, ENV_INIT);
	trace_on(&e);
	assert_int_equal(kshim_close(e.k, e.pt), 0);
	e.pt = -1;
	expect_trace(&e, &t, calls, 2);
	assert_int_equal(hv_partition_count(e.hv), 0);
	env_down(&e);
}

static void vp_descriptors_keep_the_partition_alive(void **state)
{
	static const char *const teardown[] = { "finalize_partition", "delete_partition" };
	struct trace t;
	struct env e;
	int vp0, vp1;

	(void)state;
	env_up(&e, ENV_INIT);
	vp0 = (int)create_vp(&e, 0);
	vp1 = (int)create_vp(&e, 1);
	assert_true(vp0 >= 0 && vp1 >= 0);

	/* The partition fd goes: nothing is issued, the partition stays. */
	trace_on(&e);
	assert_int_equal(kshim_close(e.k, e.pt), 0);
	e.pt = -1;
	expect_trace(&e, &t, NULL, 0);
	assert_int_equal(hv_partition_count(e.hv), 1);
	assert_int_equal(state_of(&e), HV_PARTITION_STATE_INITIALIZED);

	/* Its VPs still work, aimed at it. */
	read_clock_through(&e, vp0);
	read_clock_through(&e, vp1);

	/* Not the last VP: still nothing. */
	trace_on(&e);
	assert_int_equal(kshim_close(e.k, vp1), 0);
	expect_trace(&e, &t, NULL, 0);
	assert_int_equal(hv_partition_count(e.hv), 1);
	read_clock_through(&e, vp0);

	/* The last one: finalize, then delete. */
	trace_on(&e);
	assert_int_equal(kshim_close(e.k, vp0), 0);
	expect_trace(&e, &t, teardown, 2);
	assert_int_equal(hv_partition_count(e.hv), 0);
	env_down(&e);
}

static void dup_keeps_the_partition_alive_until_both_are_closed(void **state)
{
	static const char *const delete_only[] = { "delete_partition" };
	static const char *const teardown[] = { "finalize_partition", "delete_partition" };
	struct trace t;
	struct env e;
	int dup_pt, vp, dup_vp;

	(void)state;
	/* Uninitialized: the dup outlives the original, then delete. */
	env_up(&e, ENV_PT);
	dup_pt = kshim_dup(e.k, e.pt);
	assert_true(dup_pt >= 0);
	assert_int_equal(kshim_fd_kind(e.k, dup_pt), KSHIM_FD_PARTITION);
	trace_on(&e);
	assert_int_equal(kshim_close(e.k, e.pt), 0);
	e.pt = -1;
	expect_trace(&e, &t, NULL, 0);
	assert_int_equal(hv_partition_count(e.hv), 1);
	trace_on(&e);
	assert_int_equal(kshim_close(e.k, dup_pt), 0);
	expect_trace(&e, &t, delete_only, 1);
	env_down(&e);

	/* The dup is the same partition: initialize and create a VP through it. */
	env_up(&e, ENV_PT);
	dup_pt = kshim_dup(e.k, e.pt);
	assert_true(dup_pt >= 0);
	assert_int_equal(kshim_close(e.k, e.pt), 0);
	e.pt = dup_pt;
	assert_int_equal(initialize(&e), 0);
	assert_int_equal(e.rec.calls, 2);
	assert_int_equal(state_of(&e), HV_PARTITION_STATE_INITIALIZED);
	vp = (int)create_vp(&e, 2);
	assert_true(vp >= 0);
	dup_vp = kshim_dup(e.k, vp);
	assert_true(dup_vp >= 0);
	assert_int_equal(kshim_fd_kind(e.k, dup_vp), KSHIM_FD_VP);
	trace_on(&e);
	assert_int_equal(kshim_close(e.k, e.pt), 0);
	e.pt = -1;
	assert_int_equal(kshim_close(e.k, vp), 0);
	expect_trace(&e, &t, NULL, 0);
	assert_int_equal(hv_partition_count(e.hv), 1);
	read_clock_through(&e, dup_vp);
	trace_on(&e);
	assert_int_equal(kshim_close(e.k, dup_vp), 0);
	expect_trace(&e, &t, teardown, 2);
	env_down(&e);
}

/* --- two threads ------------------------------------------------------------- */

#define ITERATIONS	3000

struct worker {
	struct kshim *k;
	int fd;
	pthread_barrier_t *start;
	/* Results, read after the join. */
	unsigned int done, wrong, created, exists;
	long first_wrong;
	int where;
};

static void wrong(struct worker *w, long ret, int where)
{
	if (!w->wrong++) {
		w->first_wrong = ret;
		w->where = where;
	}
}

/* A VP's ROOT_HVCALL: the clock frequency and a CPUID leaf, over and over. */
static void *vp_worker(void *arg)
{
	static const uint32_t leaf = 0x40000001;
	struct worker *w = arg;
	_Alignas(8) uint8_t hv_arg[HVC_SIZE], in[48], out[16];
	unsigned int i;

	pthread_barrier_wait(w->start);
	for (i = 0; i < ITERATIONS; i++) {
		long ret;

		memset(out, 0, sizeof(out));
		if (i % 2 == 0) {
			property_input(in, PROP_CLOCK_FREQUENCY, 0);
			hvc(hv_arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
		} else {
			memset(in, 0, sizeof(in));
			put32(in, 24, leaf);
			hvc(hv_arg, HC_GET_VP_CPUID_VALUES, 1, in, 48, out, 16);
		}
		ret = kshim_ioctl(w->k, w->fd, MSHV_ROOT_HVCALL, (unsigned long)hv_arg);
		if (ret || get16(hv_arg, OFF_STATUS) != ST_SUCCESS)
			wrong(w, ret, 1);
		else if (i % 2 == 0 ? get64(out, 0) != CLOCK : get32(out, 0) != 0x31237648)
			wrong(w, ret, 2);
		w->done++;
	}
	return NULL;
}

/* The partition's ioctls: initialize, read, set, create (and close) VPs. */
static void *partition_worker(void *arg)
{
	struct worker *w = arg;
	_Alignas(8) uint8_t hv_arg[HVC_SIZE], in[24], out[8];
	bool created[MAX_VPS] = { true };	/* VP 0 is the other thread's */
	unsigned int i;

	pthread_barrier_wait(w->start);
	for (i = 0; i < ITERATIONS; i++) {
		uint32_t index = 1 + (i / 4) % (MAX_VPS - 1);
		long ret;

		switch (i % 4) {
		case 0:
			ret = kshim_ioctl(w->k, w->fd, MSHV_INITIALIZE_PARTITION, 0);
			if (ret)
				wrong(w, ret, 3);
			break;
		case 1:
			property_input(in, PROP_FEATURE_BANK_COUNT, 0);
			memset(out, 0, sizeof(out));
			hvc(hv_arg, HC_GET_PROPERTY_EX, 0, in, 16, out, 8);
			ret = kshim_ioctl(w->k, w->fd, MSHV_ROOT_HVCALL, (unsigned long)hv_arg);
			if (ret || get64(out, 0) != 3)
				wrong(w, ret, 4);
			break;
		case 2:
			ret = kshim_ioctl(w->k, w->fd, MSHV_CREATE_VP, (unsigned long)&index);
			if (!created[index] && ret >= 0 &&
			    kshim_fd_kind(w->k, (int)ret) == KSHIM_FD_VP) {
				created[index] = true;
				w->created++;
				if (kshim_close(w->k, (int)ret))
					wrong(w, ret, 5);
			} else if (created[index] && ret == -EEXIST) {
				w->exists++;
			} else {
				wrong(w, ret, 6);
			}
			break;
		default:
			/* Too late for the early property: the hypervisor says so. */
			property_input(in, PROP_DISABLED_FEATURES_EX, 1);
			hvc(hv_arg, HC_SET_PROPERTY, 0, in, 24, NULL, 0);
			ret = kshim_ioctl(w->k, w->fd, MSHV_ROOT_HVCALL, (unsigned long)hv_arg);
			if (ret != -EIO || get16(hv_arg, OFF_STATUS) != ST_INVALID_PARTITION_STATE)
				wrong(w, ret, 7);
			break;
		}
		w->done++;
	}
	/* And the partition fd goes while the VP may still be busy. */
	if (kshim_close(w->k, w->fd))
		wrong(w, -1, 8);
	return NULL;
}

static void vp_and_partition_ioctls_from_two_threads(void **state)
{
	pthread_barrier_t start;
	struct worker vp = { 0 }, pt = { 0 };
	pthread_t tv, tp;
	struct env e;
	long fd;

	(void)state;
	env_up(&e, ENV_INIT);
	fd = create_vp(&e, 0);
	assert_true(fd >= 0);
	/* The hooks' recorder is not for threads. */
	kshim_set_copy_from_user_hook(e.k, NULL, NULL);
	kshim_set_hypercall_hook(e.k, NULL, NULL);

	assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
	vp.k = pt.k = e.k;
	vp.start = pt.start = &start;
	vp.fd = (int)fd;
	pt.fd = e.pt;
	e.pt = -1;	/* closed by its thread */
	assert_int_equal(pthread_create(&tv, NULL, vp_worker, &vp), 0);
	assert_int_equal(pthread_create(&tp, NULL, partition_worker, &pt), 0);
	assert_int_equal(pthread_join(tv, NULL), 0);
	assert_int_equal(pthread_join(tp, NULL), 0);
	pthread_barrier_destroy(&start);

	if (vp.wrong)
		fail_msg("VP thread: %u wrong results, first %ld at %d", vp.wrong,
			 vp.first_wrong, vp.where);
	if (pt.wrong)
		fail_msg("partition thread: %u wrong results, first %ld at %d", pt.wrong,
			 pt.first_wrong, pt.where);
	assert_int_equal(vp.done, ITERATIONS);
	assert_int_equal(pt.done, ITERATIONS);
	assert_int_equal(pt.created, MAX_VPS - 1);
	assert_int_equal(pt.exists, ITERATIONS / 4 - (MAX_VPS - 1));
	/* Only the VP's descriptor is left, and it holds the partition. */
	assert_int_equal(kshim_fd_count(e.k), 2);
	assert_int_equal(hv_partition_count(e.hv), 1);
	assert_int_equal(vp_count(&e), MAX_VPS);
	assert_int_equal(kshim_close(e.k, (int)fd), 0);
	assert_int_equal(hv_partition_count(e.hv), 0);
	env_down(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(initialize_deposits_208_pages_then_initializes),
		cmocka_unit_test(initialize_again_is_0_without_a_hypercall),
		cmocka_unit_test(initialize_retries_on_insufficient_memory),
		cmocka_unit_test(failed_initialize_leaves_the_partition_uninitialized),
		cmocka_unit_test(create_vp_returns_a_vp_descriptor),
		cmocka_unit_test(create_vp_index_out_of_range_is_einval),
		cmocka_unit_test(create_vp_same_index_twice_is_eexist),
		cmocka_unit_test(create_vp_unreadable_argument_is_efault),
		cmocka_unit_test(create_vp_before_initialize_fails_and_keeps_the_slot_free),
		cmocka_unit_test(create_vp_retries_on_insufficient_memory),
		cmocka_unit_test(unsupported_ioctls_are_eopnotsupp),
		cmocka_unit_test(unknown_ioctls_are_enotty),
		cmocka_unit_test(closing_an_uninitialized_partition_only_deletes_it),
		cmocka_unit_test(closing_an_initialized_partition_finalizes_then_deletes_it),
		cmocka_unit_test(vp_descriptors_keep_the_partition_alive),
		cmocka_unit_test(dup_keeps_the_partition_alive_until_both_are_closed),
		cmocka_unit_test(vp_and_partition_ioctls_from_two_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
