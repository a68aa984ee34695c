// SPDX-License-Identifier: MIT
/* mshvcpu_hex_word_parse(): the one reader of hex words. */
#include <errno.h>

#include "lib_test.h"

static void hex_words_as_people_write_them(void **state)
{
	static const struct {
		const char *text;
		int ret;
		uint64_t value;
	} cases[] = {
		{ "0x2e2a8bfffff7859f", 0, 0x2e2a8bfffff7859fULL },
		{ "2E2A8BFFFFF7859F", 0, 0x2e2a8bfffff7859fULL },
		{ "0X7fffdf", 0, 0x7fffdf },
		{ "0", 0, 0 },
		{ "0x0", 0, 0 },
		{ "ffffffffffffffff", 0, ~0ULL },
		{ "0x0000000000000001", 0, 1 },
		{ "", -EINVAL, 0 },
		{ "0x", -EINVAL, 0 },
		{ "0x10000000000000000", -EINVAL, 0 },	/* 17 digits */
		{ "0xg", -EINVAL, 0 },
		{ " 0x1", -EINVAL, 0 },
		{ "0x1 ", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "0x-1", -EINVAL, 0 },
		{ "x1", -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		uint64_t v = 0x5a5a;
		int ret = mshvcpu_hex_word_parse(cases[i].text, strlen(cases[i].text), &v);

		if (ret != cases[i].ret)
			fail_msg("'%s': %d, want %d", cases[i].text, ret, cases[i].ret);
		assert_int_equal(v, ret ? 0x5a5a : cases[i].value);
	}
}

/* The length bounds the text: no NUL needed, nothing read past it. */
static void the_length_is_the_end(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(mshvcpu_hex_word_parse("0x12zz", 4, &v), 0);
	assert_int_equal(v, 0x12);
	assert_int_equal(mshvcpu_hex_word_parse("0x12", 0, &v), -EINVAL);
	assert_int_equal(mshvcpu_hex_word_parse(NULL, 3, &v), -EINVAL);
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(hex_words_as_people_write_them),
		cmocka_unit_test(the_length_is_the_end),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
