// SPDX-License-Identifier: MIT
/*
 * sim_create()'s own failures (emu/sim.c) reach the caller the way the
 * library's do: through struct mshvcpu_error, with the code, a one-line
 * message that quotes the caller's text escaped and cut between
 * characters, and no source or position left over from an earlier error.
 * The tool prints that message on one line; a raw newline in a trace path
 * would forge a line of its own.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sim.h"

/* Junk in every field, as an earlier failure might have left it. */
static void stale(struct mshvcpu_error *err)
{
	memset(err, 0, sizeof(*err));
	err->code = -E2BIG;
	snprintf(err->message, sizeof(err->message), "stale message");
	snprintf(err->source, sizeof(err->source), "stale.json");
	err->line = 7;
	err->column = 9;
}

/* One printable line of well-formed UTF-8, and nothing of the stale error. */
static void assert_clean(const struct mshvcpu_error *err, int code)
{
	size_t len = strlen(err->message), i;

	assert_int_equal(err->code, code);
	assert_true(len > 0);
	assert_int_equal(mshvcpu_utf8_invalid_at(err->message, len), len);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)err->message[i];

		if (c < 0x20 || c == 0x7f)
			fail_msg("control byte 0x%02x at %zu in '%s'", c, i, err->message);
	}
	assert_null(strstr(err->message, "stale"));
	assert_string_equal(err->source, "");
	assert_int_equal(err->line, 0);
	assert_int_equal(err->column, 0);
}

/* A trace file that cannot be opened: its path is quoted, escaped. */
static void a_trace_path_is_quoted_escaped(void **state)
{
	const char *path = "/nonexistent-mshvcpu-dir/t\nFORGED\x1b[2J.json";
	struct sim_config config = { .host = "x86-64-v3", .abi = KSHIM_ABI_DEFAULT,
				     .trace_path = path };
	struct mshvcpu_error err;
	struct sim *sim = (struct sim *)&config;

	(void)state;
	stale(&err);
	assert_int_equal(sim_create(&config, &sim, &err), -ENOENT);
	assert_null(sim);
	assert_clean(&err, -ENOENT);
	assert_non_null(strstr(err.message, "/nonexistent-mshvcpu-dir/t\\nFORGED\\x1b[2J.json"));
	assert_non_null(strstr(err.message, strerror(ENOENT)));
}

/* A path longer than the message: cut between characters, marked "...". */
static void a_long_trace_path_is_cut_between_characters(void **state)
{
	char path[900];
	struct sim_config config = { .host = "x86-64-v3", .abi = KSHIM_ABI_DEFAULT,
				     .trace_path = path };
	struct mshvcpu_error err;
	struct sim *sim;
	size_t i, len;

	(void)state;
	/* "é" after an odd prefix: a cut at a byte count would split one. */
	i = (size_t)snprintf(path, sizeof(path), "/nonexistent-mshvcpu-dir/");
	for (; i + 2 < sizeof(path); i += 2)
		memcpy(path + i, "\xc3\xa9", 2);
	path[i] = '\0';
	stale(&err);
	assert_true(sim_create(&config, &sim, &err) < 0);
	assert_clean(&err, err.code);
	assert_true(err.code == -ENOENT || err.code == -ENAMETOOLONG);
	len = strlen(err.message);
	assert_string_equal(err.message + len - 3, "...");
}

/* A kernel level the shim does not know: said, not left empty or stale. */
static void an_unknown_kernel_level_is_explained(void **state)
{
	struct sim_config config = { .host = "x86-64-v3", .abi = KSHIM_ABI_COUNT };
	struct mshvcpu_error err;
	struct sim *sim;

	(void)state;
	stale(&err);
	assert_int_equal(sim_create(&config, &sim, &err), -EINVAL);
	assert_clean(&err, -EINVAL);
}

/* A host spec the library refuses: the library's error, code included. */
static void a_bad_host_spec_keeps_the_library_error(void **state)
{
	struct sim_config config = { .host = "x86-64-v3,+no-such-feature",
				     .abi = KSHIM_ABI_DEFAULT };
	struct mshvcpu_error err;
	struct sim *sim;
	int ret;

	(void)state;
	stale(&err);
	ret = sim_create(&config, &sim, &err);
	assert_true(ret < 0);
	assert_int_equal(err.code, ret);
	assert_non_null(strstr(err.message, "no-such-feature"));
}

/* Without an error struct, failures are still returned. */
static void no_error_struct_is_fine(void **state)
{
	struct sim_config config = { .host = "x86-64-v3", .abi = KSHIM_ABI_COUNT };
	struct sim *sim;

	(void)state;
	assert_int_equal(sim_create(&config, &sim, NULL), -EINVAL);
	config.abi = KSHIM_ABI_DEFAULT;
	config.trace_path = "/nonexistent-mshvcpu-dir/t.json";
	assert_int_equal(sim_create(&config, &sim, NULL), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_trace_path_is_quoted_escaped),
		cmocka_unit_test(a_long_trace_path_is_cut_between_characters),
		cmocka_unit_test(an_unknown_kernel_level_is_explained),
		cmocka_unit_test(a_bad_host_spec_keeps_the_library_error),
		cmocka_unit_test(no_error_struct_is_fine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
