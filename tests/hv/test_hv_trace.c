// SPDX-License-Identifier: MIT
/*
 * The hypercall trace read back as JSON Lines (the schema README.md
 * documents), and the model under concurrent callers: every hypercall of
 * every thread is one whole line, sequence numbers are unique, and no
 * partition is left behind.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_partition.h>
#include <hyperv/hv_status.h>

#include "hv.h"
#include "trace_reader.h"

struct pages {
	_Alignas(4096) uint8_t in[HV_HYP_PAGE_SIZE];
	_Alignas(4096) uint8_t out[HV_HYP_PAGE_SIZE];
};

/* Hypercall pages are page-aligned (calloc does not promise that). */
static struct pages *new_pages(void)
{
	struct pages *pg = aligned_alloc(4096, sizeof(*pg));

	if (pg)
		memset(pg, 0, sizeof(*pg));
	return pg;
}

static struct hv *a_host(void)
{
	struct hv_host_config c = { .arch = HV_ARCH_X86_64,
				    .vendor = HV_PROCESSOR_VENDOR_INTEL,
				    .offered = { 0x2e2a8bfffff7859fULL, 0x000100ae000000f1ULL, 0,
						 0x7fffdfULL } };
	struct hv *hv;

	assert_int_equal(hv_create(&c, &hv), 0);
	return hv;
}

static char *temp_path(void)
{
	char *path = strdup("/tmp/mshvcpu-trace-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

static uint16_t create(struct hv *hv, struct pages *pg, uint64_t flags, const uint64_t *disabled,
		       uint64_t *id)
{
	struct hv_input_create_partition_x64 *c = (void *)pg->in;
	uint16_t status;

	memset(pg->in, 0, sizeof(pg->in));
	c->flags = flags;
	c->compatibility_version = HV_COMPATIBILITY_21_H2;
	c->partition_creation_properties.disabled_processor_features.as_uint64[0] = disabled[0];
	c->partition_creation_properties.disabled_processor_features.as_uint64[1] = disabled[1];
	c->partition_creation_properties.disabled_processor_xsave_features.as_uint64 = disabled[2];
	status = hv_hypercall(hv, HVCALL_CREATE_PARTITION, pg->in, pg->out) & 0xffff;
	if (status == HV_STATUS_SUCCESS)
		*id = ((struct hv_output_create_partition *)pg->out)->partition_id;
	return status;
}

static uint16_t on_partition(struct hv *hv, struct pages *pg, uint16_t code, uint64_t id)
{
	memset(pg->in, 0, sizeof(pg->in));
	memcpy(pg->in, &id, 8);
	return hv_hypercall(hv, code, pg->in, pg->out) & 0xffff;
}

static uint16_t property(struct hv *hv, struct pages *pg, uint16_t code, uint64_t id,
			 uint32_t prop, uint64_t value)
{
	struct hv_input_set_partition_property *p = (void *)pg->in;

	memset(pg->in, 0, sizeof(pg->in));
	p->partition_id = id;
	p->property_code = prop;
	p->property_value = value;
	return hv_hypercall(hv, code, pg->in, pg->out) & 0xffff;
}

static void lines_follow_the_schema(void **state)
{
	/* Reserved and unknown bits included: the trace shows what was sent. */
	const uint64_t disabled[3] = { 0x8000000000000001ULL, 0xe000000000000000ULL,
				       0xffffff0000000008ULL };
	const uint64_t none[3] = { 0 };
	struct pages *pg = new_pages();
	struct hv *hv = a_host();
	char *path = temp_path();
	struct trace t;
	uint64_t id = 0, unused = 0;

	(void)state;
	assert_non_null(pg);
	assert_int_equal(hv_trace_start(hv, path), 0);
	assert_int_equal(create(hv, pg, HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED, disabled, &id),
			 HV_STATUS_SUCCESS);
	assert_int_equal(property(hv, pg, HVCALL_SET_PARTITION_PROPERTY, id,
				  HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX, 0x30),
			 HV_STATUS_SUCCESS);
	assert_int_equal(property(hv, pg, HVCALL_GET_PARTITION_PROPERTY, id,
				  HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0, 0),
			 HV_STATUS_SUCCESS);
	assert_int_equal(on_partition(hv, pg, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	/* A refused create: xsave disabled while avx stays (0x3B). */
	{
		const uint64_t bad[3] = { 0, 0, 1 };

		assert_int_equal(create(hv, pg, 0, bad, &unused),
				 HV_STATUS_PROCESSOR_FEATURE_INCOMPATIBLE_XSAVE_FEATURES);
	}
	assert_int_equal(on_partition(hv, pg, HVCALL_FINALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(on_partition(hv, pg, HVCALL_DELETE_PARTITION, id), HV_STATUS_SUCCESS);
	hv_trace_stop(hv);
	/* Nothing is traced once stopped. */
	assert_int_equal(create(hv, pg, 0, none, &unused), HV_STATUS_SUCCESS);
	assert_int_equal(on_partition(hv, pg, HVCALL_DELETE_PARTITION, unused), HV_STATUS_SUCCESS);

	trace_read(path, &t);
	assert_int_equal(t.count, 7);

	assert_string_equal(trace_str(t.lines[0], "call"), "create_partition");
	assert_string_equal(trace_str(t.lines[0], "code"), "0x0040");
	assert_string_equal(trace_str(t.lines[0], "status"), "0x0000");
	assert_string_equal(trace_str(t.lines[0], "status_name"), "HV_STATUS_SUCCESS");
	assert_int_equal(trace_u64(t.lines[0], "partition_id"), id);
	assert_int_equal(trace_u64(t.lines[0], "flags"), HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED);
	assert_int_equal(trace_u64(t.lines[0], "isolation"), 0);
	assert_int_equal(trace_u64_at(t.lines[0], "disabled_processor_features", 0), disabled[0]);
	assert_int_equal(trace_u64_at(t.lines[0], "disabled_processor_features", 1), disabled[1]);
	assert_int_equal(trace_u64(t.lines[0], "disabled_xsave"), disabled[2]);

	assert_string_equal(trace_str(t.lines[1], "call"), "set_partition_property");
	assert_string_equal(trace_str(t.lines[1], "property"), "DISABLED_PROCESSOR_FEATURES_EX");
	assert_int_equal(trace_u64(t.lines[1], "value"), 0x30);
	assert_int_equal(trace_u64(t.lines[1], "partition_id"), id);

	assert_string_equal(trace_str(t.lines[2], "call"), "get_partition_property");
	assert_string_equal(trace_str(t.lines[2], "property"), "PROCESSOR_FEATURES0");
	assert_int_equal(trace_u64(t.lines[2], "value"),
			 0x2e2a8bfffff7859fULL & ~disabled[0]);

	assert_string_equal(trace_str(t.lines[3], "call"), "initialize_partition");
	assert_string_equal(trace_str(t.lines[4], "call"), "create_partition");
	assert_string_equal(trace_str(t.lines[4], "status"), "0x003b");
	assert_int_equal(trace_u64(t.lines[4], "partition_id"), 0);
	assert_int_equal(trace_u64(t.lines[4], "disabled_xsave"), 1);
	assert_string_equal(trace_str(t.lines[5], "call"), "finalize_partition");
	assert_string_equal(trace_str(t.lines[6], "call"), "delete_partition");
	{
		size_t i;

		for (i = 0; i < t.count; i++) {
			struct json_object *seq;

			assert_true(json_object_object_get_ex(t.lines[i], "seq", &seq));
			assert_int_equal(json_object_get_int64(seq), (int64_t)i + 1);
		}
	}
	trace_free(&t);
	hv_destroy(hv);
	unlink(path);
	free(path);
	free(pg);
}

/*
 * Property names come from the property table: a set the model refuses is
 * recorded with its value and status, an Ex read of a banked value with
 * its bank 0, an unknown code as UNKNOWN.
 */
static void property_lines_name_every_property(void **state)
{
	const uint64_t none[3] = { 0 };
	struct pages *pg = new_pages();
	struct hv *hv = a_host();
	char *path = temp_path();
	struct trace t;
	uint64_t id = 0;

	(void)state;
	assert_non_null(pg);
	assert_int_equal(create(hv, pg, 0, none, &id), HV_STATUS_SUCCESS);
	assert_int_equal(hv_trace_start(hv, path), 0);
	assert_int_equal(property(hv, pg, HVCALL_SET_PARTITION_PROPERTY, id,
				  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES, 0x3),
			 HV_STATUS_SUCCESS);
	assert_int_equal(on_partition(hv, pg, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(property(hv, pg, HVCALL_SET_PARTITION_PROPERTY, id,
				  HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS, 0x7),
			 HV_STATUS_INVALID_PARTITION_STATE);
	assert_int_equal(property(hv, pg, HVCALL_SET_PARTITION_PROPERTY, id,
				  HV_PARTITION_PROPERTY_TIME_FREEZE, 1), HV_STATUS_SUCCESS);
	/* The Ex input's argument (byte 16 on) is the set input's value: 0 here. */
	assert_int_equal(property(hv, pg, HVCALL_GET_PARTITION_PROPERTY_EX, HV_PARTITION_ID_SELF,
				  HV_PARTITION_PROPERTY_VMM_CAPABILITIES, 0), HV_STATUS_SUCCESS);
	assert_int_equal(property(hv, pg, HVCALL_GET_PARTITION_PROPERTY, id, 0x12345, 0),
			 HV_STATUS_UNKNOWN_PROPERTY);
	hv_trace_stop(hv);

	trace_read(path, &t);
	assert_int_equal(t.count, 6);
	assert_string_equal(trace_str(t.lines[0], "property"), "SYNTHETIC_PROC_FEATURES");
	assert_string_equal(trace_str(t.lines[0], "property_code"), "0x10001");
	assert_int_equal(trace_u64(t.lines[0], "value"), 0x3);
	assert_string_equal(trace_str(t.lines[2], "property"), "PRIVILEGE_FLAGS");
	assert_string_equal(trace_str(t.lines[2], "status_name"),
			    "HV_STATUS_INVALID_PARTITION_STATE");
	assert_int_equal(trace_u64(t.lines[2], "value"), 0x7);
	assert_string_equal(trace_str(t.lines[3], "property"), "TIME_FREEZE");
	assert_string_equal(trace_str(t.lines[4], "call"), "get_partition_property_ex");
	assert_string_equal(trace_str(t.lines[4], "property"), "VMM_CAPABILITIES");
	assert_int_equal(trace_u64(t.lines[4], "partition_id"), HV_PARTITION_ID_SELF);
	assert_int_equal(trace_u64(t.lines[4], "value"), 1ULL << 4);
	assert_string_equal(trace_str(t.lines[5], "property"), "UNKNOWN");
	assert_string_equal(trace_str(t.lines[5], "property_code"), "0x12345");
	assert_false(json_object_object_get_ex(t.lines[5], "value", NULL));
	trace_free(&t);
	hv_destroy(hv);
	unlink(path);
	free(path);
	free(pg);
}

#define THREADS 4
#define CYCLES 250
#define CALLS_PER_CYCLE 5

struct worker {
	struct hv *hv;
	unsigned int index;
	unsigned int failures;
};

static void *cycle(void *arg)
{
	struct worker *w = arg;
	struct pages *pg = new_pages();
	unsigned int i;

	if (!pg) {
		w->failures++;
		return NULL;
	}
	for (i = 0; i < CYCLES; i++) {
		/* A per-thread, per-cycle mask of bank 1 bits the host does not offer. */
		const uint64_t disabled[3] = { 0, 1ULL << (40 + w->index), 0 };
		uint64_t id = 0;

		if (create(w->hv, pg, 0, disabled, &id) != HV_STATUS_SUCCESS ||
		    property(w->hv, pg, HVCALL_GET_PARTITION_PROPERTY, id,
			     HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1, 0) != HV_STATUS_SUCCESS ||
		    on_partition(w->hv, pg, HVCALL_INITIALIZE_PARTITION, id) != HV_STATUS_SUCCESS ||
		    on_partition(w->hv, pg, HVCALL_FINALIZE_PARTITION, id) != HV_STATUS_SUCCESS ||
		    on_partition(w->hv, pg, HVCALL_DELETE_PARTITION, id) != HV_STATUS_SUCCESS)
			w->failures++;
	}
	free(pg);
	return NULL;
}

static void concurrent_callers_get_whole_lines(void **state)
{
	struct hv *hv = a_host();
	char *path = temp_path();
	struct worker w[THREADS];
	pthread_t th[THREADS];
	unsigned int i, per_thread[THREADS] = { 0 };
	uint8_t *seen;
	struct trace t;

	(void)state;
	assert_int_equal(hv_trace_start(hv, path), 0);
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .hv = hv, .index = i };
		assert_int_equal(pthread_create(&th[i], NULL, cycle, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
	}
	assert_int_equal(hv_partition_count(hv), 0);
	hv_trace_stop(hv);

	trace_read(path, &t);
	assert_int_equal(t.count, THREADS * CYCLES * CALLS_PER_CYCLE);
	seen = calloc(t.count + 1, 1);
	assert_non_null(seen);
	for (i = 0; i < t.count; i++) {
		struct json_object *seq;
		int64_t s;

		assert_true(json_object_object_get_ex(t.lines[i], "seq", &seq));
		s = json_object_get_int64(seq);
		assert_true(s >= 1 && (size_t)s <= t.count);
		assert_int_equal(seen[s], 0);
		seen[s] = 1;
		assert_string_equal(trace_str(t.lines[i], "status"), "0x0000");
		if (strcmp(trace_str(t.lines[i], "call"), "create_partition") == 0) {
			uint64_t b1 = trace_u64_at(t.lines[i], "disabled_processor_features", 1);
			unsigned int k;

			for (k = 0; k < THREADS && b1 != 1ULL << (40 + k); k++)
				;
			assert_true(k < THREADS);
			per_thread[k]++;
		}
	}
	for (i = 0; i < THREADS; i++)
		assert_int_equal(per_thread[i], CYCLES);
	free(seen);
	trace_free(&t);
	hv_destroy(hv);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_follow_the_schema),
		cmocka_unit_test(property_lines_name_every_property),
		cmocka_unit_test(concurrent_callers_get_whole_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
