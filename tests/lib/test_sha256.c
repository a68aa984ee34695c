// SPDX-License-Identifier: MIT
/*
 * SHA-256 against the standard's examples and every padding boundary
 * (55, 56, 63, 64 and 119 bytes: one or two final blocks), and the
 * profile digest built on it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static void known_answers(void **state)
{
	static const struct {
		size_t a_count;		/* the message is this many 'a's ... */
		const char *text;	/* ... unless it is this text */
		const char *digest;
	} cases[] = {
		{ 0, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ 0, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ 0, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ 55, NULL, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, NULL, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, NULL, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, NULL, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 119, NULL, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 1000000, NULL, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	};
	char hex[65];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *a = NULL;

		if (!cases[i].text) {
			a = malloc(cases[i].a_count);
			assert_non_null(a);
			memset(a, 'a', cases[i].a_count);
			sha256_hex(a, cases[i].a_count, hex);
		} else {
			sha256_hex(cases[i].text, strlen(cases[i].text), hex);
		}
		assert_string_equal(hex, cases[i].digest);
		free(a);
	}
}

static void a_profile_is_named_by_its_content(void **state)
{
	struct mshvcpu_profile *a = NULL, *b = NULL, *c = NULL;
	char da[65], db[65], dc[65];

	(void)state;
	assert_int_equal(mshvcpu_profile_parse("x86-64-v3,+aes", NULL, &a, NULL), 0);
	assert_int_equal(mshvcpu_profile_parse("x86-64-v3,+aes", NULL, &b, NULL), 0);
	assert_int_equal(mshvcpu_profile_parse("x86-64-v3", NULL, &c, NULL), 0);
	assert_int_equal(mshvcpu_profile_digest(a, da), 0);
	assert_int_equal(mshvcpu_profile_digest(b, db), 0);
	assert_int_equal(mshvcpu_profile_digest(c, dc), 0);
	assert_int_equal(strlen(da), 64);
	assert_string_equal(da, db);
	assert_string_not_equal(da, dc);
	mshvcpu_profile_free(a);
	mshvcpu_profile_free(b);
	mshvcpu_profile_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_answers),
		cmocka_unit_test(a_profile_is_named_by_its_content),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
