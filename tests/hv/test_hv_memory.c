// SPDX-License-Identifier: MIT
/*
 * A child's guest memory as the model keeps it, through hv_hypercall()
 * with real pages: MapGpaPages, UnmapGpaPages and GetGpaPagesAccessStates
 * -- every refusal with its status, what a map or unmap leaves (runs of
 * equal flags, merged while untracked: 8 GiB mapped in 509-page calls is
 * one run), the access bits while GPA_PAGE_ACCESS_TRACKING is on (read
 * before the flags act; kept across a run split), the property's own
 * refusals, and the calls' trace lines. Layouts are the header's; the
 * expected values are written out here.
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

#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_memory.h>
#include <hyperv/hv_partition.h>
#include <hyperv/hv_status.h>

#include "hv.h"
#include "hv_test.h"
#include "trace_reader.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define RW		(HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | HV_MAP_GPA_ADJUSTABLE)
#define RO		(HV_MAP_GPA_READABLE | HV_MAP_GPA_ADJUSTABLE)
#define FRAME		0x12345ULL	/* a root frame the model accepts */
#define GIB_PAGES	(1ULL << 18)
#define TRACKING	HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING

static struct hv *host(void)
{
	struct hv_host_config c = {
		.arch = HV_ARCH_X86_64,
		.vendor = HV_PROCESSOR_VENDOR_INTEL,
		.physical_address_width = 46,		/* guest frames below 2^34 */
	};
	struct hv *hv;

	assert_int_equal(hv_create(&c, &hv), 0);
	return hv;
}

/* A new child, initialized if @init. */
static uint64_t child(struct hv *hv, bool init)
{
	struct hv_input_create_partition *c = (void *)in;
	uint64_t id;

	memset(in, 0, sizeof(in));
	c->compatibility_version = HV_COMPATIBILITY_21_H2;
	assert_int_equal(call(hv, HVCALL_CREATE_PARTITION), HV_STATUS_SUCCESS);
	id = ((struct hv_output_create_partition *)out)->partition_id;
	if (init)
		assert_int_equal(simple(hv, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	return id;
}

struct rep {
	uint16_t status;
	unsigned int done;
};

static struct rep reps_call(struct hv *hv, uint16_t code, unsigned int reps, unsigned int start)
{
	uint64_t r = hv_hypercall(hv, code | (uint64_t)reps << 32 | (uint64_t)start << 48, in, out);

	return (struct rep){ (uint16_t)r, (unsigned int)(r >> 32 & 0xfff) };
}

/*
 * The input of MapGpaPages for @reps reps from @gfn: root frames @frame on,
 * one per page (or per 512 with LARGE_PAGE).
 */
static struct hv_input_map_gpa_pages *map_input(uint64_t id, uint64_t gfn, unsigned int reps,
						uint32_t flags, uint64_t frame)
{
	struct hv_input_map_gpa_pages *m = (void *)in;
	uint64_t step = flags & HV_MAP_GPA_LARGE_PAGE ? 512 : 1;
	unsigned int i;

	memset(in, 0, sizeof(in));
	m->target_partition_id = id;
	m->target_gpa_base = gfn;
	m->map_flags = flags;
	for (i = 0; i < reps && i < HV_MAP_GPA_BATCH_SIZE; i++)
		m->source_gpa_page_list[i] = flags & HV_MAP_GPA_NO_ACCESS ? 0 : frame + i * step;
	return m;
}

static struct rep map(struct hv *hv, uint64_t id, uint64_t gfn, unsigned int reps, uint32_t flags,
		      uint64_t frame)
{
	map_input(id, gfn, reps, flags, frame);
	return reps_call(hv, HVCALL_MAP_GPA_PAGES, reps, 0);
}

static void map_ok(struct hv *hv, uint64_t id, uint64_t gfn, uint64_t pages, uint32_t flags)
{
	uint64_t done = 0;

	while (done < pages) {
		unsigned int n = (unsigned int)(pages - done < 509 ? pages - done : 509);
		struct rep r = map(hv, id, gfn + done, n, flags, FRAME);

		assert_int_equal(r.status, HV_STATUS_SUCCESS);
		assert_int_equal(r.done, n);
		done += n;
	}
}

static struct rep unmap(struct hv *hv, uint64_t id, uint64_t gfn, unsigned int reps,
			uint32_t flags)
{
	struct hv_input_unmap_gpa_pages *u = (void *)in;

	memset(in, 0, sizeof(in));
	u->target_partition_id = id;
	u->target_gpa_base = gfn;
	u->unmap_flags = flags;
	return reps_call(hv, HVCALL_UNMAP_GPA_PAGES, reps, 0);
}

static struct rep states(struct hv *hv, uint64_t id, uint64_t gfn, unsigned int reps,
			 uint64_t flags)
{
	struct hv_input_get_gpa_pages_access_state *g = (void *)in;

	memset(in, 0, sizeof(in));
	memset(out, 0xA5, sizeof(out));
	g->partition_id = id;
	g->flags = flags;
	g->hv_gpa_page_number = gfn;
	return reps_call(hv, HVCALL_GET_GPA_PAGES_ACCESS_STATES, reps, 0);
}

static struct hv_partition_info info(struct hv *hv, uint64_t id)
{
	struct hv_partition_info i;

	assert_int_equal(hv_partition_get_info(hv, id, &i), 0);
	return i;
}

static bool mapped(struct hv *hv, uint64_t id, uint64_t gfn, uint32_t want_flags)
{
	uint32_t flags = 0;

	return hv_partition_gpa_lookup(hv, id, gfn, &flags) == 0 && flags == want_flags;
}

/* --- MapGpaPages --- */

static void map_refusals(struct hv *hv, uint64_t id)
{
	uint64_t fin = child(hv, true);

	assert_int_equal(simple(hv, HVCALL_FINALIZE_PARTITION, fin), HV_STATUS_SUCCESS);
	assert_int_equal(map(hv, 99, 0, 1, RW, FRAME).status, HV_STATUS_INVALID_PARTITION_ID);
	assert_int_equal(map(hv, fin, 0, 1, RW, FRAME).status, HV_STATUS_INVALID_PARTITION_STATE);
	assert_int_equal(map(hv, id, 0, 0, RW, FRAME).status, HV_STATUS_INVALID_HYPERCALL_INPUT);
	assert_int_equal(map(hv, id, 0, 510, RW, FRAME).status, HV_STATUS_INVALID_HYPERCALL_INPUT);
	map_input(id, 0, 2, RW, FRAME);
	assert_int_equal(reps_call(hv, HVCALL_MAP_GPA_PAGES, 2, 2).status,
			 HV_STATUS_INVALID_HYPERCALL_INPUT);
	assert_int_equal(map(hv, id, 0, 1, RW | 0x10, FRAME).status, HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(map(hv, id, 0, 1, HV_MAP_GPA_NO_ACCESS | HV_MAP_GPA_READABLE, 0).status,
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(map(hv, id, 1, 1, RW | HV_MAP_GPA_LARGE_PAGE, 0x200).status,
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(map(hv, id, 512, 1, RW | HV_MAP_GPA_LARGE_PAGE, 0x201).status,
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(map(hv, id, 1ULL << 34, 1, RW, FRAME).status, HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(map(hv, id, (1ULL << 34) - 1, 2, RW, FRAME).status,
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(map(hv, id, 0, 1, RW, 0).status, HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(map(hv, id, 0, 1, RW, 1ULL << 40).status, HV_STATUS_INVALID_PARAMETER);
	map_input(id, 0, 1, RW, FRAME)->padding = 1;
	assert_int_equal(reps_call(hv, HVCALL_MAP_GPA_PAGES, 1, 0).status,
			 HV_STATUS_INVALID_PARAMETER);
	/* Nothing was mapped by any of them. */
	assert_int_equal(info(hv, id).mapped_pages, 0);
	assert_int_equal(info(hv, id).gpa_runs, 0);
}

static void map_makes_runs(struct hv *hv, uint64_t initialized __attribute__((unused)))
{
	uint64_t id = child(hv, false);		/* created is enough (model) */
	struct rep r;

	/* 8 GiB in calls of 509 pages, as Linux batches them: one run. */
	map_ok(hv, id, 0, 8 * GIB_PAGES, RW);
	assert_int_equal(info(hv, id).mapped_pages, 8 * GIB_PAGES);
	assert_int_equal(info(hv, id).gpa_runs, 1);
	assert_true(mapped(hv, id, 0, RW));
	assert_true(mapped(hv, id, 8 * GIB_PAGES - 1, RW));
	assert_int_equal(hv_partition_gpa_lookup(hv, id, 8 * GIB_PAGES, NULL), -ENOENT);

	/* Other flags after it: a run of their own; mapped over: replaced. */
	map_ok(hv, id, 8 * GIB_PAGES, 16, RO);
	assert_int_equal(info(hv, id).gpa_runs, 2);
	map_ok(hv, id, 100, 10, RO);
	assert_int_equal(info(hv, id).gpa_runs, 4);
	assert_true(mapped(hv, id, 99, RW));
	assert_true(mapped(hv, id, 100, RO));
	assert_true(mapped(hv, id, 110, RW));
	assert_int_equal(info(hv, id).mapped_pages, 8 * GIB_PAGES + 16);

	/* Mapped back as it was: the three runs are one again. */
	map_ok(hv, id, 100, 10, RW);
	assert_int_equal(info(hv, id).gpa_runs, 2);

	/* NO_ACCESS names no frames; a large page is 512 pages. */
	r = map(hv, id, 1ULL << 30, 3, HV_MAP_GPA_NO_ACCESS, 0);
	assert_int_equal(r.status, HV_STATUS_SUCCESS);
	assert_true(mapped(hv, id, (1ULL << 30) + 2, HV_MAP_GPA_NO_ACCESS));
	r = map(hv, id, 1ULL << 31, 2, RW | HV_MAP_GPA_LARGE_PAGE, 0x200);
	assert_int_equal(r.status, HV_STATUS_SUCCESS);
	assert_int_equal(r.done, 2);
	assert_true(mapped(hv, id, (1ULL << 31) + 1023, RW));
	assert_int_equal(info(hv, id).mapped_pages, 8 * GIB_PAGES + 16 + 3 + 1024);
}

/* --- UnmapGpaPages --- */

static void unmap_takes_pages_in_order(struct hv *hv, uint64_t id)
{
	uint64_t done;
	struct rep r;

	map_ok(hv, id, 0, 4096, RW);
	/* From the middle: the run is cut in two. */
	r = unmap(hv, id, 1000, 24, 0);
	assert_int_equal(r.status, HV_STATUS_SUCCESS);
	assert_int_equal(r.done, 24);
	assert_int_equal(info(hv, id).gpa_runs, 2);
	assert_int_equal(hv_partition_gpa_lookup(hv, id, 1000, NULL), -ENOENT);
	assert_true(mapped(hv, id, 1024, RW));

	/* Across the hole: the reps before it are done, then the refusal. */
	r = unmap(hv, id, 990, 20, 0);
	assert_int_equal(r.status, HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(r.done, 10);
	assert_int_equal(hv_partition_gpa_lookup(hv, id, 999, NULL), -ENOENT);
	assert_true(mapped(hv, id, 989, RW));

	assert_int_equal(unmap(hv, id, 0, 0, 0).status, HV_STATUS_INVALID_HYPERCALL_INPUT);
	assert_int_equal(unmap(hv, id, 0, 1, 0x1).status, HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(unmap(hv, id, 1, 1, HV_UNMAP_GPA_LARGE_PAGE).status,
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(unmap(hv, 99, 0, 1, 0).status, HV_STATUS_INVALID_PARTITION_ID);

	/* The rest, 512 at a time from the front, as Linux does. */
	for (done = 0; done < 990; done += 512) {
		unsigned int n = (unsigned int)(990 - done < 512 ? 990 - done : 512);

		assert_int_equal(unmap(hv, id, done, n, 0).status, HV_STATUS_SUCCESS);
	}
	for (done = 1024; done < 4096; done += 512)
		assert_int_equal(unmap(hv, id, done, 512, 0).status, HV_STATUS_SUCCESS);
	assert_int_equal(info(hv, id).mapped_pages, 0);
	assert_int_equal(info(hv, id).gpa_runs, 0);
}

/* --- Access states and the tracking property --- */

static void access_states_need_tracking(struct hv *hv, uint64_t id)
{
	map_ok(hv, id, 0, 64, RW);
	assert_int_equal(states(hv, id, 0, 8, 0).status, HV_STATUS_INVALID_PARTITION_STATE);
	assert_int_equal(set_prop(hv, id, TRACKING, 4), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(set_prop(hv, id, TRACKING, HV_GPA_ACCESS_TRACKING_ENABLED),
			 HV_STATUS_SUCCESS);
	assert_true(info(hv, id).access_tracking);
	assert_int_equal(get_prop(hv, id, TRACKING), 1);

	assert_int_equal(states(hv, id, 0, 0, 0).status, HV_STATUS_INVALID_HYPERCALL_INPUT);
	assert_int_equal(states(hv, id, 0, 1, 0x10).status, HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(states(hv, id, 0, 1, HV_GPA_ACCESS_CLEAR_DIRTY | HV_GPA_ACCESS_SET_DIRTY)
			 .status, HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(states(hv, id, 0, 1, HV_GPA_ACCESS_CLEAR_ACCESSED |
					      HV_GPA_ACCESS_SET_ACCESSED).status,
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(states(hv, id, 1ULL << 34, 1, 0).status, HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(states(hv, 99, 0, 1, 0).status, HV_STATUS_INVALID_PARTITION_ID);
	/* An output page is required. */
	assert_int_equal(hv_hypercall(hv, HVCALL_GET_GPA_PAGES_ACCESS_STATES | 1ULL << 32, in, NULL)
			 & 0xffff, HV_STATUS_INVALID_HYPERCALL_INPUT);
}

static void access_bits_read_then_change(struct hv *hv, uint64_t id)
{
	struct rep r;
	unsigned int i;

	map_ok(hv, id, 0, 64, RW);
	assert_int_equal(set_prop(hv, id, TRACKING, 1), HV_STATUS_SUCCESS);

	/* Tracking starts every mapped page accessed and dirty; past the map: 0. */
	r = states(hv, id, 60, 8, HV_GPA_ACCESS_CLEAR_DIRTY);
	assert_int_equal(r.status, HV_STATUS_SUCCESS);
	assert_int_equal(r.done, 8);
	for (i = 0; i < 8; i++)
		assert_int_equal(out[i], i < 4 ? HV_GPA_PAGE_ACCESSED | HV_GPA_PAGE_DIRTY : 0);
	assert_int_equal(out[8], 0xA5);		/* one byte per rep, no more */

	/* What the last call did shows now: dirty cleared, accessed kept. */
	states(hv, id, 60, 4, HV_GPA_ACCESS_SET_DIRTY);
	for (i = 0; i < 4; i++)
		assert_int_equal(out[i], HV_GPA_PAGE_ACCESSED);
	states(hv, id, 60, 4, HV_GPA_ACCESS_CLEAR_ACCESSED);
	for (i = 0; i < 4; i++)
		assert_int_equal(out[i], HV_GPA_PAGE_ACCESSED | HV_GPA_PAGE_DIRTY);
	states(hv, id, 60, 4, 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(out[i], HV_GPA_PAGE_DIRTY);

	/* A rep start: the output of the reps before it is left alone. */
	memset(out, 0xA5, sizeof(out));
	r = reps_call(hv, HVCALL_GET_GPA_PAGES_ACCESS_STATES, 4, 2);
	assert_int_equal(r.status, HV_STATUS_SUCCESS);
	assert_int_equal(out[0], 0xA5);
	assert_int_equal(out[2], HV_GPA_PAGE_DIRTY);

	/* Off only with every dirty bit set (rust-vmm's SET pass before it). */
	states(hv, id, 0, 8, HV_GPA_ACCESS_CLEAR_DIRTY);
	assert_int_equal(set_prop(hv, id, TRACKING, 0), HV_STATUS_OPERATION_DENIED);
	assert_true(info(hv, id).access_tracking);
	states(hv, id, 0, 64, HV_GPA_ACCESS_SET_DIRTY);
	assert_int_equal(set_prop(hv, id, TRACKING, 0), HV_STATUS_SUCCESS);
	assert_false(info(hv, id).access_tracking);
	assert_int_equal(states(hv, id, 0, 1, 0).status, HV_STATUS_INVALID_PARTITION_STATE);
}

static void access_bits_survive_a_split(struct hv *hv, uint64_t id)
{
	assert_int_equal(set_prop(hv, id, TRACKING, 1), HV_STATUS_SUCCESS);
	map_ok(hv, id, 0, 1000, RW);
	/* Mapped while tracking: one run per call, each page dirty. */
	assert_int_equal(info(hv, id).gpa_runs, 2);
	states(hv, id, 700, 1, HV_GPA_ACCESS_CLEAR_DIRTY);
	assert_int_equal(out[0], HV_GPA_PAGE_ACCESSED | HV_GPA_PAGE_DIRTY);
	/* Cut the second run before page 700, and its front off: 700 keeps its state. */
	assert_int_equal(unmap(hv, id, 600, 50, 0).status, HV_STATUS_SUCCESS);
	assert_int_equal(unmap(hv, id, 509, 10, 0).status, HV_STATUS_SUCCESS);
	states(hv, id, 699, 3, 0);
	assert_int_equal(out[0], HV_GPA_PAGE_ACCESSED | HV_GPA_PAGE_DIRTY);
	assert_int_equal(out[1], HV_GPA_PAGE_ACCESSED);
	assert_int_equal(out[2], HV_GPA_PAGE_ACCESSED | HV_GPA_PAGE_DIRTY);
	states(hv, id, 519, 2, 0);
	assert_int_equal(out[0], HV_GPA_PAGE_ACCESSED | HV_GPA_PAGE_DIRTY);
	assert_int_equal(info(hv, id).mapped_pages, 940);
}

static void deleting_a_partition_frees_its_map(struct hv *hv, uint64_t id)
{
	map_ok(hv, id, 0, 600, RW);
	assert_int_equal(set_prop(hv, id, TRACKING, 1), HV_STATUS_SUCCESS);
	assert_int_equal(simple(hv, HVCALL_FINALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(map(hv, id, 0, 1, RW, FRAME).status, HV_STATUS_INVALID_PARTITION_STATE);
	assert_int_equal(simple(hv, HVCALL_DELETE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(hv_partition_gpa_lookup(hv, id, 0, NULL), -ENOENT);
}

/* --- The trace --- */

static void each_call_leaves_one_trace_line(struct hv *hv, uint64_t id)
{
	char path[] = "/tmp/mshvcpu-memtrace-XXXXXX";
	struct trace t;

	assert_int_equal(close(mkstemp(path)), 0);
	assert_int_equal(hv_trace_start(hv, path), 0);
	map(hv, id, 0x100, 509, RW, FRAME);
	assert_int_equal(set_prop(hv, id, TRACKING, 1), HV_STATUS_SUCCESS);
	states(hv, id, 0xFF, 4, HV_GPA_ACCESS_CLEAR_DIRTY);
	unmap(hv, id, 0x100, 512, 0);
	hv_trace_stop(hv);
	trace_read(path, &t);
	unlink(path);

	assert_int_equal(t.count, 4);
	assert_string_equal(trace_str(t.lines[0], "call"), "map_gpa_pages");
	assert_int_equal(trace_u64(t.lines[0], "gpa_page"), 0x100);
	assert_int_equal(json_object_get_int(json_object_object_get(t.lines[0], "pages")), 509);
	assert_string_equal(trace_str(t.lines[0], "map_flags"), "0x8003");
	assert_int_equal(trace_u64(t.lines[0], "partition_id"), id);
	assert_string_equal(trace_str(t.lines[2], "call"), "get_gpa_pages_access_states");
	assert_string_equal(trace_str(t.lines[2], "access_flags"), "0x4");
	assert_int_equal(json_object_get_int(json_object_object_get(t.lines[2], "accessed")), 3);
	assert_int_equal(json_object_get_int(json_object_object_get(t.lines[2], "dirty")), 3);
	/* Past the 509 mapped pages: refused after them. */
	assert_string_equal(trace_str(t.lines[3], "call"), "unmap_gpa_pages");
	assert_string_equal(trace_str(t.lines[3], "status_name"), "HV_STATUS_INVALID_PARAMETER");
	assert_int_equal(json_object_get_int(json_object_object_get(t.lines[3], "pages")), 512);
	trace_free(&t);
}

/* --- Each test gets a model with an initialized child --- */

struct fixture {
	struct hv *hv;
	uint64_t id;
};

static int setup(void **state)
{
	struct fixture *f = malloc(sizeof(*f));

	assert_non_null(f);
	f->hv = host();
	f->id = child(f->hv, true);
	*state = f;
	return 0;
}

/* valgrind: whatever a test mapped goes with the model. */
static int teardown(void **state)
{
	struct fixture *f = *state;

	hv_destroy(f->hv);
	free(f);
	return 0;
}

#define WITH_CHILD(test)						\
	static void test##_on_child(void **state)			\
	{								\
		const struct fixture *f = *state;			\
		test(f->hv, f->id);					\
	}

WITH_CHILD(map_refusals)
WITH_CHILD(map_makes_runs)
WITH_CHILD(unmap_takes_pages_in_order)
WITH_CHILD(access_states_need_tracking)
WITH_CHILD(access_bits_read_then_change)
WITH_CHILD(access_bits_survive_a_split)
WITH_CHILD(deleting_a_partition_frees_its_map)
WITH_CHILD(each_call_leaves_one_trace_line)

#define ON_CHILD(test)	cmocka_unit_test_setup_teardown(test##_on_child, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		ON_CHILD(map_refusals), ON_CHILD(map_makes_runs),
		ON_CHILD(unmap_takes_pages_in_order),
		ON_CHILD(access_states_need_tracking), ON_CHILD(access_bits_read_then_change),
		ON_CHILD(access_bits_survive_a_split), ON_CHILD(deleting_a_partition_frees_its_map),
		ON_CHILD(each_call_leaves_one_trace_line),
	};

	return cmocka_run_group_tests_name("guest memory", tests, NULL, NULL);
}
