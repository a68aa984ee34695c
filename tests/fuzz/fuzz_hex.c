// SPDX-License-Identifier: MIT
/*
 * Fuzz target (e): hex words, as mshvcpu_hex_word_parse() reads them for
 * specs, JSON and the tool's arguments, against an oracle written from
 * its documented rule with the C library (isxdigit, strtoull): the same
 * inputs accepted, the same value; and every u64, printed in the forms the
 * project writes (0x%llx, %016llX), reads back to itself. The rest of the
 * input, as VENDOR:W:W:W, goes through the literal-words spec and must
 * give exactly the words the parser gave one by one.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>

#include <mshvcpu.h>

#include "fuzz.h"

static bool oracle(const char *s, size_t n, uint64_t *v)
{
	char buf[32];
	char *end;
	size_t i = 0;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (n == i || n - i > 16)
		return false;
	for (size_t k = i; k < n; k++)
		if (!isxdigit((unsigned char)s[k]))
			return false;
	memcpy(buf, s + i, n - i);
	buf[n - i] = '\0';
	errno = 0;
	*v = strtoull(buf, &end, 16);
	return !errno && *end == '\0';
}

static void check_one(const char *s, size_t n)
{
	uint64_t got = 0x5a5a5a5a5a5a5a5aULL, want = 0;
	int ret = mshvcpu_hex_word_parse(s, n, &got);
	bool ok = oracle(s, n, &want);

	FUZZ_CHECK((ret == 0) == ok, "'%.*s': parser %d, oracle %d", (int)n, s, ret, ok);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL, "returned %d", ret);
	if (ok)
		FUZZ_CHECK(got == want, "'%.*s': 0x%" PRIx64 " vs 0x%" PRIx64, (int)n, s, got, want);
	else
		FUZZ_CHECK(got == 0x5a5a5a5a5a5a5a5aULL, "a refusal wrote the value");
}

static void check_print(uint64_t v)
{
	char buf[32];
	uint64_t back;
	int n;

	n = snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	FUZZ_CHECK(mshvcpu_hex_word_parse(buf, (size_t)n, &back) == 0 && back == v, "%s", buf);
	n = snprintf(buf, sizeof(buf), "%016" PRIX64, v);
	FUZZ_CHECK(mshvcpu_hex_word_parse(buf, (size_t)n, &back) == 0 && back == v, "%s", buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	uint64_t words[3], v;
	size_t split, i;
	char spec[256];
	int n;

	/* The whole input, then its first few bytes on their own. */
	check_one((const char *)data, size);
	for (split = 0; split <= 20 && split <= size; split++)
		check_one((const char *)data, split);
	fuzz_take(&in, &v, sizeof(v));
	check_print(v);

	/* Three words through the literal-words spec. */
	for (i = 0; i < 3; i++)
		words[i] = fuzz_u64(&in);
	n = snprintf(spec, sizeof(spec), "amd:0x%" PRIx64 ":%" PRIX64 ":0X%" PRIx64, words[0],
		     words[1], words[2]);
	{
		struct mshvcpu_profile *p = NULL;
		struct mshvcpu_error err = { 0 };
		int ret = mshvcpu_profile_parse(spec, NULL, &p, &err);

		(void)n;
		FUZZ_CHECK(ret == 0, "%s: %s", spec, err.message);
		FUZZ_CHECK(mshvcpu_profile_features(p)->enabled[MSHVCPU_WORD_BANK0] == words[0] &&
			   mshvcpu_profile_features(p)->enabled[MSHVCPU_WORD_BANK1] == words[1] &&
			   mshvcpu_profile_features(p)->enabled[MSHVCPU_WORD_XSAVE] == words[2],
			   "%s parsed to other words", spec);
		mshvcpu_profile_free(p);
	}
	return 0;
}
