// SPDX-License-Identifier: MIT
/*
 * mshvcpu_error_set(): what a program on top of the library uses to report
 * its own failures through struct mshvcpu_error, filled as the library
 * fills it.
 */
#include <errno.h>

#include "lib_test.h"

static void stale(struct mshvcpu_error *err)
{
	memset(err, 0, sizeof(*err));
	err->code = -E2BIG;
	snprintf(err->message, sizeof(err->message), "stale");
	snprintf(err->source, sizeof(err->source), "stale.json");
	err->line = 3;
	err->column = 4;
}

/* Code and message; no source or position left from before. */
static void fills_code_and_message_and_clears_the_rest(void **state)
{
	struct mshvcpu_error err;

	(void)state;
	stale(&err);
	assert_int_equal(mshvcpu_error_set(&err, -ENOENT, "%s: %s", "trace.json",
					   strerror(ENOENT)), -ENOENT);
	assert_int_equal(err.code, -ENOENT);
	assert_string_equal(err.message, "trace.json: No such file or directory");
	assert_string_equal(err.source, "");
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);
	assert_int_equal(mshvcpu_error_set(NULL, -EIO, "nobody asked"), -EIO);
}

/* One line whatever the arguments hold: escaped as mshvcpu_text_escape() does. */
static void the_message_is_one_escaped_line(void **state)
{
	static const struct {
		const char *arg, *want;
	} cases[] = {
		{ "a\nb", "'a\\nb'" },
		{ "\x1b[2J", "'\\x1b[2J'" },
		{ "tab\there\r", "'tab\\there\\r'" },
		{ "caf\xc3\xa9", "'caf\xc3\xa9'" },
		{ "bad\xff", "'bad\\xff'" },
		{ "c1\xc2\x9b", "'c1\\u009b'" },
	};
	struct mshvcpu_error err;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		stale(&err);
		mshvcpu_error_set(&err, -EINVAL, "'%s'", cases[i].arg);
		assert_string_equal(err.message, cases[i].want);
	}
	/* The format's own text too. */
	mshvcpu_error_set(&err, -EINVAL, "two\nlines");
	assert_string_equal(err.message, "two\\nlines");
}

/* Too long for the field: cut between characters, marked "...". */
static void a_long_message_is_cut_between_characters(void **state)
{
	char arg[1500];
	struct mshvcpu_error err;
	size_t i, len;

	(void)state;
	for (i = 0; i + 3 < sizeof(arg); i += 3)
		memcpy(arg + i, "\xe2\x82\xac", 3);	/* € */
	arg[i] = '\0';
	stale(&err);
	mshvcpu_error_set(&err, -E2BIG, "x%s", arg);
	len = strlen(err.message);
	assert_true(len < sizeof(err.message));
	assert_true(len > sizeof(err.message) - 8);
	assert_int_equal(mshvcpu_utf8_invalid_at(err.message, len), len);
	assert_string_equal(err.message + len - 3, "...");
	assert_true(err.message[0] == 'x');
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(fills_code_and_message_and_clears_the_rest),
		cmocka_unit_test(the_message_is_one_escaped_line),
		cmocka_unit_test(a_long_message_is_cut_between_characters),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
