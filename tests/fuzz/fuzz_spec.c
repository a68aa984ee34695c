// SPDX-License-Identifier: MIT
/*
 * Fuzz target (c): the profile spec parser (`x86-64-v3,+aes,-avx2`,
 * `intel:0x...:0x...:0x...`, `host,-avx512`, ...) on arbitrary text, in
 * either revision, strict or not. "host" is a fixed recorded host, so
 * nothing probes this machine; specs naming a file (@...) are not
 * followed.
 *
 * Invariants: a refusal fills the error detail (code equal to the return
 * value, a message, a column inside the spec); an accepted spec's profile
 * re-serializes to JSON that parses back to the same features, revision
 * and spec, and its words, formatted as a literal spec, parse back to the
 * same set when every bit of them is known.
 */
#include <errno.h>

#include <mshvcpu.h>

#include "fuzz.h"

static struct mshvcpu_host host;

static void check_round_trip(const struct mshvcpu_profile *p, enum mshvcpu_revision rev)
{
	const struct mshvcpu_featureset *set = mshvcpu_profile_features(p);
	struct mshvcpu_profile *back = NULL, *literal = NULL;
	struct mshvcpu_error err = { 0 };
	char *json = NULL, words[256];
	bool all_known = true;
	unsigned int w;
	int ret;

	FUZZ_CHECK(mshvcpu_profile_to_json(p, false, &json) == 0, "to_json failed");
	ret = mshvcpu_profile_from_json(json, strlen(json), "fuzz", &back, &err);
	FUZZ_CHECK(ret == 0, "%s does not read back: %s", json, err.message);
	FUZZ_CHECK(mshvcpu_featureset_equal(set, mshvcpu_profile_features(back)),
		   "features changed through JSON: %s", json);
	FUZZ_CHECK(mshvcpu_profile_revision(back) == mshvcpu_profile_revision(p),
		   "revision changed through JSON");
	FUZZ_CHECK(strcmp(mshvcpu_profile_spec(back), mshvcpu_profile_spec(p)) == 0,
		   "spec changed through JSON: %s", json);
	free(json);
	mshvcpu_profile_free(back);

	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		all_known = all_known && set->known[w] == ~0ULL;
	if (!all_known || set->vendor == MSHVCPU_VENDOR_ANY)
		return;
	FUZZ_CHECK(mshvcpu_featureset_format_words(set, words, sizeof(words)) >= 0,
		   "format_words failed");
	{
		MSHVCPU_OPTS(mshvcpu_profile_opts, opts, .revision = rev, .host = &host);

		ret = mshvcpu_profile_parse(words, &opts, &literal, &err);
	}
	FUZZ_CHECK(ret == 0, "formatted words %s do not parse: %s", words, err.message);
	FUZZ_CHECK(mshvcpu_featureset_equal(set, mshvcpu_profile_features(literal)),
		   "words %s parse to another set", words);
	mshvcpu_profile_free(literal);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	uint8_t mode = fuzz_u8(&in);
	enum mshvcpu_revision rev = mode & 1 ? MSHVCPU_REV_LINUX_6_19 : MSHVCPU_REV_HV_2026;
	struct mshvcpu_profile *p = NULL;
	struct mshvcpu_error err = { 0 };
	char *spec;
	int ret;

	if (!host.name[0] && mshvcpu_host_load("mshv-icelake-sp-azure", &host, &err))
		abort();
	if (memchr(in.p, '@', in.n))
		return 0;	/* names a file: not this target's business */
	spec = malloc(in.n + 1);
	if (!spec)
		return 0;
	memcpy(spec, in.p, in.n);
	spec[in.n] = '\0';
	{
		MSHVCPU_OPTS(mshvcpu_profile_opts, opts, .revision = rev, .host = &host,
			     .strict_deps = (mode & 2) != 0);

		ret = mshvcpu_profile_parse(spec, &opts, &p, &err);
	}
	if (ret) {
		FUZZ_CHECK(ret < 0 && err.code == ret, "returned %d, error code %d", ret, err.code);
		FUZZ_CHECK(err.message[0] != '\0', "no message for %d", ret);
		FUZZ_CHECK(err.column <= strlen(spec) + 1, "column %u past the spec (%zu)",
			   err.column, strlen(spec));
		FUZZ_CHECK(p == NULL, "a refused spec left a profile");
	} else {
		check_round_trip(p, rev);
		mshvcpu_profile_free(p);
	}
	free(spec);
	return 0;
}
