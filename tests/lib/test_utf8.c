// SPDX-License-Identifier: MIT
/*
 * Well-formed UTF-8 (lib/utf8.c), JSON documents that are not, and the one
 * escaping of text from outside (names, details, paths, error messages).
 */
#include <errno.h>

#include "lib_test.h"
#include "internal.h"

static void well_formed_utf8_is_told_from_the_rest(void **state)
{
	static const struct {
		const char *bytes;
		size_t bad;	/* offset of the first bad byte; SIZE_MAX: valid */
	} cases[] = {
		{ "plain ascii", SIZE_MAX },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", SIZE_MAX },	/* é € 😀 */
		{ "\xef\xbf\xbf\xf4\x8f\xbf\xbf", SIZE_MAX },			/* U+FFFF, U+10FFFF */
		{ "a\xc0\xaf", 1 },		/* overlong "/" */
		{ "a\xc1\xbf", 1 },		/* overlong */
		{ "\xe0\x80\xaf", 0 },		/* overlong 3-byte */
		{ "\xf0\x80\x80\xaf", 0 },	/* overlong 4-byte */
		{ "ok\xed\xa0\x80", 2 },	/* surrogate U+D800 */
		{ "\xf4\x90\x80\x80", 0 },	/* U+110000 */
		{ "\xf5\x80\x80\x80", 0 },
		{ "\xff\xfe", 0 },
		{ "x\x80", 1 },			/* stray continuation */
		{ "\xc3", 0 },			/* truncated */
		{ "\xe2\x82", 0 },
		{ "\xe2\x82\x41", 0 },		/* bad continuation */
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		size_t n = strlen(cases[i].bytes);
		size_t want = cases[i].bad == SIZE_MAX ? n : cases[i].bad;
		size_t got = utf8_invalid_at((const unsigned char *)cases[i].bytes, n);

		if (got != want)
			fail_msg("case %zu: first bad byte at %zu, want %zu", i, got, want);
	}
}

static void json_documents_must_be_well_formed_utf8(void **state)
{
	static const char *const docs[] = {
		"{\"format\":\"mshvcpu-host\",\"version\":1,\"name\":\"n\xc0\xaf\"}",
		"\xef\xbb\xbf{\"format\":\"mshvcpu-host\",\"version\":1}",
	};
	static const char *const why[] = { "invalid UTF-8 (byte 0xc0)", "byte order mark" };
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(docs); i++) {
		struct mshvcpu_error err = { 0 };
		struct mshvcpu_host host;

		assert_int_equal(mshvcpu_host_from_json(docs[i], strlen(docs[i]), "h.json", 1, &host,
							&err), -EINVAL);
		assert_non_null(strstr(err.message, why[i]));
		assert_int_equal(err.line, 1);
		assert_int_equal(err.column, i == 0 ? 47 : 1);
	}
}

/* What text from outside prints as: nothing that moves the cursor or colours. */
static void escaping_shows_control_characters_and_bad_bytes(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "node17", "node17" },
		{ "n\xc5\x93ud \xe2\x82\xac \xf0\x9f\x96\xa5", "n\xc5\x93ud \xe2\x82\xac \xf0\x9f\x96\xa5" },
		{ "a\nFORGED\r\tb", "a\\nFORGED\\r\\tb" },
		{ "\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m" },
		{ "del\x7f", "del\\x7f" },
		{ "csi\xc2\x9b" "2J nel\xc2\x85", "csi\\u009b2J nel\\u0085" },	/* C1 as UTF-8 */
		{ "\xc2\xa0nbsp", "\xc2\xa0nbsp" },				/* U+00A0 is printable */
		{ "bad\xff\xc0\xaf", "bad\\xff\\xc0\\xaf" },
		{ "cut\xe2\x82", "cut\\xe2\\x82" },			/* a truncated character */
		{ "back\\slash", "back\\slash" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		char buf[128];
		size_t n = mshvcpu_text_escape(buf, sizeof(buf), cases[i].in, strlen(cases[i].in));

		if (strcmp(buf, cases[i].out) != 0)
			fail_msg("case %zu: '%s', want '%s'", i, buf, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
		assert_int_equal(mshvcpu_utf8_invalid_at(buf, n), n);
	}
	/* An embedded NUL is a character like another: escaped, not an end. */
	{
		char buf[32];

		assert_int_equal(mshvcpu_text_escape(buf, sizeof(buf), "amd\0intel", 9), 12);
		assert_string_equal(buf, "amd\\x00intel");
	}
}

/*
 * A field too small for the text gets a prefix that ends between
 * characters (never between an escape's bytes), and "..." says it was cut.
 */
static void a_cut_falls_between_characters_and_shows(void **state)
{
	static const char text[] = "h\xc3\xa9t\xc3\xa9 \xe2\x82\xac\x1b\xf0\x9f\x98\x80\xc2\x85z\xff";
	char full[128], buf[128];
	size_t need, size;

	(void)state;
	need = mshvcpu_text_escape(full, sizeof(full), text, strlen(text));
	assert_int_equal(need, strlen(full));
	for (size = 0; size <= need + 2; size++) {
		size_t len, got;

		memset(buf, 'X', sizeof(buf));
		got = mshvcpu_text_escape(size ? buf : NULL, size, text, strlen(text));
		assert_int_equal(got, need);
		if (!size)
			continue;
		len = strlen(buf);
		assert_true(len < size);
		assert_int_equal(mshvcpu_utf8_invalid_at(buf, len), len);
		if (size > need) {
			assert_string_equal(buf, full);
			continue;
		}
		if (size < 4) {
			assert_int_equal(len, 0);
			continue;
		}
		/* A prefix of whole units of the full text, then "...". */
		assert_true(len >= 3 && strcmp(buf + len - 3, "...") == 0);
		assert_memory_equal(buf, full, len - 3);
		assert_true(full[len - 3] != '\0');
		/* Never inside a character or an escape: the next unit starts there. */
		assert_true(((unsigned char)full[len - 3] & 0xc0) != 0x80);
		assert_true(len - 3 == 0 || full[len - 4] != '\\');
	}
}

/* Error messages quote what they were given: escaped, cut between characters. */
static void error_messages_are_escaped_and_cut_between_characters(void **state)
{
	struct mshvcpu_error err = { 0 };
	char name[700], source[400];
	size_t i, len;

	(void)state;
	for (i = 0; i + 2 < sizeof(name); i += 2)
		memcpy(name + i, "\xc3\xa9", 2);
	name[i] = '\0';
	for (i = 0; i + 3 < sizeof(source); i += 3)
		memcpy(source + i, "\xe2\x82\xac", 3);
	source[i] = '\0';
	assert_int_equal(set_error_at(&err, -EINVAL, source, 1, 2, "x%s\n\x1b", name), -EINVAL);
	len = strlen(err.message);
	assert_int_equal(mshvcpu_utf8_invalid_at(err.message, len), len);
	assert_string_equal(err.message + len - 3, "...");
	assert_true(err.message[0] == 'x');
	len = strlen(err.source);
	assert_int_equal(mshvcpu_utf8_invalid_at(err.source, len), len);
	assert_string_equal(err.source + len - 3, "...");

	assert_int_equal(set_error(&err, -EINVAL, "'%s'", "a\nb\x1b[2J"), -EINVAL);
	assert_string_equal(err.message, "'a\\nb\\x1b[2J'");
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(well_formed_utf8_is_told_from_the_rest),
		cmocka_unit_test(json_documents_must_be_well_formed_utf8),
		cmocka_unit_test(escaping_shows_control_characters_and_bad_bytes),
		cmocka_unit_test(a_cut_falls_between_characters_and_shows),
		cmocka_unit_test(error_messages_are_escaped_and_cut_between_characters),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
