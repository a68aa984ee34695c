// SPDX-License-Identifier: MIT
/*
 * Partition records: created for real (libmshvcpu → kernel handler →
 * hypervisor model), written as JSON, read back exactly, loaded from a
 * file, refused with file:line:column when malformed, and used as the
 * source of a migration check.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sim.h"

/* Create a partition for @spec on @host and return its record. */
static void record_of(const char *host, const char *spec, unsigned int flags,
		      struct mshvcpu_partition_record *rec)
{
	struct sim_config config = { .host = host, .abi = KSHIM_ABI_NESTED_SMT };
	MSHVCPU_OPTS(mshvcpu_profile_opts, popts, .host = NULL);
	MSHVCPU_OPTS(mshvcpu_create_opts, copts, .flags = flags,
		     .policy = MSHVCPU_POLICY_MIGRATION_SAFE);
	struct mshvcpu_profile *profile;
	struct mshvcpu_error err = { 0 };
	struct sim *sim;
	int pfd;

	assert_int_equal(sim_create(&config, &sim, &err), 0);
	popts.host = sim_host(sim);
	assert_int_equal(mshvcpu_profile_parse(spec, &popts, &profile, &err), 0);
	copts.ops = sim_device_ops(sim);
	if (mshvcpu_partition_create(profile, &copts, &pfd, rec, &err))
		fail_msg("create %s on %s: %s", spec, host, err.message);
	assert_int_equal(kshim_close(sim_kshim(sim), pfd), 0);
	mshvcpu_profile_free(profile);
	sim_destroy(sim);
}

static void assert_records_equal(const struct mshvcpu_partition_record *a,
				 const struct mshvcpu_partition_record *b)
{
	assert_string_equal(a->spec, b->spec);
	assert_int_equal(a->revision, b->revision);
	assert_int_equal(a->policy, b->policy);
	assert_int_equal(a->create_flags, b->create_flags);
	assert_int_equal(a->create_struct, b->create_struct);
	assert_int_equal(a->pt_flags, b->pt_flags);
	assert_true(mshvcpu_featureset_equal(&a->requested, &b->requested));
	assert_true(mshvcpu_featureset_equal(&a->effective, &b->effective));
	assert_true(mshvcpu_featureset_equal(&a->dropped, &b->dropped));
	assert_memory_equal(&a->masks, &b->masks, sizeof(a->masks));
	assert_int_equal(a->xsave_states, b->xsave_states);
	assert_int_equal(a->max_xsave_data_size, b->max_xsave_data_size);
}

static void records_round_trip_exactly(void **state)
{
	static const struct {
		const char *host, *spec;
		unsigned int flags;
	} cases[] = {
		{ "mshv-icelake-sp-azure", "x86-64-v3,+aes", MSHVCPU_CREATE_LAPIC },
		{ "mshv-icelake-sp-azure", "mshv-skylake-sp",
		  MSHVCPU_CREATE_LAPIC | MSHVCPU_CREATE_X2APIC | MSHVCPU_CREATE_GPA_SUPER_PAGES },
		{ "whp-epyc-milan-azure", "host,-avx2", MSHVCPU_CREATE_SMT },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mshvcpu_partition_record rec = { 0 }, back = { 0 };
		struct mshvcpu_error err = { 0 };
		char *json = NULL, *again = NULL;

		record_of(cases[i].host, cases[i].spec, cases[i].flags, &rec);
		assert_int_equal(mshvcpu_partition_record_to_json(&rec, i & 1, &json), 0);
		if (mshvcpu_partition_record_from_json(json, strlen(json), "test", &back, &err))
			fail_msg("%s: %s", cases[i].spec, err.message);
		assert_records_equal(&rec, &back);
		/* And the JSON is a fixed point. */
		assert_int_equal(mshvcpu_partition_record_to_json(&back, i & 1, &again), 0);
		assert_string_equal(json, again);
		free(json);
		free(again);
		mshvcpu_partition_record_clear(&rec);
		mshvcpu_partition_record_clear(&back);
	}
}

static void records_load_from_files(void **state)
{
	struct mshvcpu_partition_record rec = { 0 }, back = { 0 };
	struct mshvcpu_error err = { 0 };
	char path[] = "/tmp/mshvcpu-record-XXXXXX";
	char *json = NULL;
	FILE *f;
	int fd;

	(void)state;
	record_of("mshv-skylake-sp", "x86-64-v2", MSHVCPU_CREATE_LAPIC, &rec);
	assert_int_equal(mshvcpu_partition_record_to_json(&rec, true, &json), 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fputs(json, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(mshvcpu_partition_record_load(path, &back, &err), 0);
	assert_records_equal(&rec, &back);
	mshvcpu_partition_record_clear(&back);
	unlink(path);

	/* A missing file: the errno and the path. */
	assert_int_equal(mshvcpu_partition_record_load(path, &back, &err), -ENOENT);
	assert_non_null(strstr(err.message, path));
	free(json);
	mshvcpu_partition_record_clear(&rec);
}

/* Each malformed record is refused with where and why; nothing is filled. */
static void malformed_records_say_where(void **state)
{
	static const struct {
		const char *text;
		unsigned int line;	/* 0: not checked */
		const char *why;
	} bad[] = {
		{ "{\n  \"format\": \"mshvcpu-partition\",\n  \"version\": 1,\n  oops\n}", 4, NULL },
		{ "[]", 0, NULL },
		{ "{\"format\":\"mshvcpu-host\",\"version\":1}", 0, "format" },
		{ "{\"format\":\"mshvcpu-partition\",\"version\":99}", 0, "version" },
		{ "", 0, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mshvcpu_partition_record rec = { 0 };
		struct mshvcpu_error err = { 0 };
		int ret = mshvcpu_partition_record_from_json(bad[i].text, strlen(bad[i].text),
							     "rec.json", &rec, &err);

		if (ret != -EINVAL)
			fail_msg("case %zu: %d, %s", i, ret, err.message);
		assert_string_equal(err.source, "rec.json");
		assert_true(err.message[0] != '\0');
		if (bad[i].line)
			assert_int_equal(err.line, bad[i].line);
		if (bad[i].why)
			assert_non_null(strstr(err.message, bad[i].why));
		assert_null(rec.spec);
	}
}

/* A record is what check-migration starts from. */
static void a_record_checks_against_target_hosts(void **state)
{
	struct mshvcpu_partition_record rec = { 0 };
	struct mshvcpu_migration_report report;
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host skx, icx;

	(void)state;
	assert_int_equal(mshvcpu_host_load("mshv-skylake-sp", &skx, &err), 0);
	assert_int_equal(mshvcpu_host_load("mshv-icelake-sp-azure", &icx, &err), 0);
	/* A guest of the Ice Lake host, all of it: not on Skylake. */
	record_of("mshv-icelake-sp-azure", "host", 0, &rec);
	mshvcpu_check_migration(&rec, &skx, &report);
	assert_false(report.ok);
	assert_true(mshvcpu_featureset_count(&report.missing, MSHVCPU_REV_LATEST) > 0);
	mshvcpu_check_migration(&rec, &icx, &report);
	assert_true(report.ok);
	mshvcpu_partition_record_clear(&rec);
	/* A Skylake-SP guest runs on the Ice Lake host. */
	record_of("mshv-icelake-sp-azure", "mshv-skylake-sp", 0, &rec);
	mshvcpu_check_migration(&rec, &icx, &report);
	assert_true(report.ok);
	mshvcpu_partition_record_clear(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_round_trip_exactly),
		cmocka_unit_test(records_load_from_files),
		cmocka_unit_test(malformed_records_say_where),
		cmocka_unit_test(a_record_checks_against_target_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
