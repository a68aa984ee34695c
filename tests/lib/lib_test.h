/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the libmshvcpu unit tests: looking features up by name
 * (a typo in a test must fail loudly, not pass a NULL along) and building
 * small sets.
 */
#ifndef MSHVCPU_TESTS_LIB_TEST_H
#define MSHVCPU_TESTS_LIB_TEST_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mshvcpu.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Tests that show a bug in lib/ which is reported but not fixed yet. They
 * stay in the file, but run only with MSHVCPU_RUN_KNOWN_BUGS=1 so the suite
 * stays green meanwhile; each one is announced on the TAP stream with the
 * reason. (cmocka 1.1's skip() prints "not ok # SKIP", which TAP harnesses
 * count as a failure, so the tests are left out of the group instead.)
 */
struct known_bug {
	const char *test;	/* the test function's name */
	const char *why;	/* file, line, input, expected vs actual */
};

static inline int run_lib_tests(const char *group, struct CMUnitTest *tests, size_t n,
				const struct known_bug *bugs, size_t nbugs,
				CMFixtureFunction setup, CMFixtureFunction teardown)
{
	bool run_bugs = getenv("MSHVCPU_RUN_KNOWN_BUGS") != NULL;
	size_t i, k, kept = 0;

	for (i = 0; i < n; i++) {
		bool bug = false;

		for (k = 0; k < nbugs; k++)
			if (strcmp(tests[i].name, bugs[k].test) == 0) {
				bug = true;
				printf("# KNOWN BUG%s: %s: %s\n",
				       run_bugs ? "" : " (not run; MSHVCPU_RUN_KNOWN_BUGS=1 runs it)",
				       bugs[k].test, bugs[k].why);
			}
		if (!bug || run_bugs)
			tests[kept++] = tests[i];
	}
	fflush(stdout);
	return _cmocka_run_group_tests(group, tests, kept, setup, teardown);
}

#define RUN_LIB_TESTS(tests, bugs, setup, teardown) \
	run_lib_tests(__FILE__, (tests), N_ELEMENTS(tests), (bugs), N_ELEMENTS(bugs), \
		      (setup), (teardown))

/* The catalogue entry named @name in the latest revision; the test fails if none. */
static inline const struct mshvcpu_feature *feat(const char *name)
{
	const struct mshvcpu_feature *f = mshvcpu_feature_find_any(name);

	if (!f)
		fail_msg("test bug: no feature named '%s'", name);
	return f;
}

static inline uint64_t bit_of(const char *name)
{
	return 1ULL << mshvcpu_feature_bit(feat(name));
}

/* Every bit known, exactly the features in the NULL-terminated list enabled. */
static inline void set_of(struct mshvcpu_featureset *set, enum mshvcpu_vendor vendor, ...)
{
	const char *name;
	va_list ap;

	mshvcpu_featureset_init(set, vendor);
	va_start(ap, vendor);
	while ((name = va_arg(ap, const char *)))
		mshvcpu_featureset_enable(set, feat(name));
	va_end(ap);
}

/* A profile from @spec (latest revision unless @rev), failing the test on error. */
static inline struct mshvcpu_profile *parse_ok(const char *spec, enum mshvcpu_revision rev)
{
	MSHVCPU_OPTS(mshvcpu_profile_opts, opts, .revision = rev);
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p = NULL;
	int ret = mshvcpu_profile_parse(spec, &opts, &p, &err);

	if (ret)
		fail_msg("spec '%s': %d %s (column %u)", spec, ret, err.message, err.column);
	return p;
}

/* $MSHVCPU_SOURCE_ROOT/@rel, or a path relative to the source tree's tests. */
static inline void source_path(char *buf, size_t len, const char *rel)
{
	const char *root = getenv("MSHVCPU_SOURCE_ROOT");

	snprintf(buf, len, "%s/%s", root ? root : ".", rel);
}

/* A temporary file holding @text; the caller unlinks @path. */
static inline void write_temp(char *path, size_t len, const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, len, "/tmp/mshvcpu-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

#endif
