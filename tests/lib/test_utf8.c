// SPDX-License-Identifier: MIT
/* Well-formed UTF-8 (lib/utf8.c), and JSON documents that are not. */
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

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(well_formed_utf8_is_told_from_the_rest),
		cmocka_unit_test(json_documents_must_be_well_formed_utf8),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
