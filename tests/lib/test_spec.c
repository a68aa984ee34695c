// SPDX-License-Identifier: MIT
/*
 * The profile spec language: bases, literal words, modifiers with
 * dependency closure, strict mode, and errors that point at a column.
 */
#include <errno.h>
#include <unistd.h>

#include "lib_test.h"

static void keyword_bases_resolve(void **state)
{
	struct mshvcpu_featureset want;
	struct mshvcpu_profile *p;

	(void)state;
	p = parse_ok("none", MSHVCPU_REV_DEFAULT);
	mshvcpu_featureset_init(&want, MSHVCPU_VENDOR_ANY);
	assert_true(mshvcpu_featureset_equal(mshvcpu_profile_features(p), &want));
	assert_int_equal(mshvcpu_profile_revision(p), MSHVCPU_REV_LATEST);
	assert_string_equal(mshvcpu_profile_spec(p), "none");
	mshvcpu_profile_free(p);
	p = parse_ok("all", MSHVCPU_REV_LINUX_6_19);
	mshvcpu_featureset_init_all(&want, MSHVCPU_VENDOR_ANY);
	assert_true(mshvcpu_featureset_equal(mshvcpu_profile_features(p), &want));
	assert_int_equal(mshvcpu_profile_revision(p), MSHVCPU_REV_LINUX_6_19);
	mshvcpu_profile_free(p);
}

static void host_base_takes_the_given_host(void **state)
{
	MSHVCPU_OPTS(mshvcpu_profile_opts, opts);
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p;
	struct mshvcpu_host host;

	(void)state;
	memset(&host, 0, sizeof(host));
	snprintf(host.name, sizeof(host.name), "node17");
	host.source = MSHVCPU_SOURCE_RECORD;
	set_of(&host.offered, MSHVCPU_VENDOR_AMD, "sse3", "rdtscp", NULL);
	opts.host = &host;
	assert_int_equal(mshvcpu_profile_parse("host,-rdtscp", &opts, &p, &err), 0);
	assert_int_equal(mshvcpu_profile_features(p)->vendor, MSHVCPU_VENDOR_AMD);
	assert_true(mshvcpu_featureset_has(mshvcpu_profile_features(p), feat("sse3")));
	assert_false(mshvcpu_featureset_has(mshvcpu_profile_features(p), feat("rdtscp")));
	assert_non_null(strstr(mshvcpu_profile_provenance(p), "node17"));
	mshvcpu_profile_free(p);
}

static void literal_words_are_the_enabled_words(void **state)
{
	struct mshvcpu_profile *p;
	const struct mshvcpu_featureset *s;

	(void)state;
	p = parse_ok("intel:0x2e2a8bfffff7859f:0x000100ae000000f1:0x7fffdf", MSHVCPU_REV_DEFAULT);
	s = mshvcpu_profile_features(p);
	assert_int_equal(s->vendor, MSHVCPU_VENDOR_INTEL);
	assert_int_equal(s->enabled[MSHVCPU_WORD_BANK0], 0x2e2a8bfffff7859fULL);
	assert_int_equal(s->enabled[MSHVCPU_WORD_BANK1], 0x000100ae000000f1ULL);
	assert_int_equal(s->enabled[MSHVCPU_WORD_XSAVE], 0x7fffdfULL);
	assert_int_equal(s->known[MSHVCPU_WORD_BANK0], ~0ULL);
	assert_int_equal(s->known[MSHVCPU_WORD_BANK2], 0);
	mshvcpu_profile_free(p);
	p = parse_ok("amd:0x1:0x2:0x3:0x1f", MSHVCPU_REV_DEFAULT);
	s = mshvcpu_profile_features(p);
	assert_int_equal(s->vendor, MSHVCPU_VENDOR_AMD);
	assert_int_equal(s->known[MSHVCPU_WORD_BANK2], ~0ULL);
	assert_int_equal(s->enabled[MSHVCPU_WORD_BANK2], 0x1f);
	mshvcpu_profile_free(p);
}

static void formatted_words_parse_back_to_the_same_set(void **state)
{
	static const char *const specs[] = { "mshv-skylake-sp", "whp-epyc-milan-azure",
					      "amd:0x1:0x2:0x3:0x1f", "none" };
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(specs); i++) {
		struct mshvcpu_profile *a = parse_ok(specs[i], MSHVCPU_REV_DEFAULT), *b;
		struct mshvcpu_featureset want = *mshvcpu_profile_features(a);
		char words[160];

		mshvcpu_featureset_format_words(&want, words, sizeof(words));
		b = parse_ok(words, MSHVCPU_REV_DEFAULT);
		/* Words carry no bank 2 unless known: compare what they show. */
		if (!want.known[MSHVCPU_WORD_BANK2])
			want.enabled[MSHVCPU_WORD_BANK2] = 0;
		assert_true(mshvcpu_featureset_equal(mshvcpu_profile_features(b), &want));
		mshvcpu_profile_free(a);
		mshvcpu_profile_free(b);
	}
}

static void modifiers_apply_left_to_right_with_closure(void **state)
{
	static const struct {
		const char *spec;
		const char *has[4];
		const char *lacks[4];
		size_t changes;
	} cases[] = {
		{ "none,+sse3", { "sse3" }, { "avx" }, 0 },
		{ " none , +sse3 ", { "sse3" }, { "avx" }, 0 },
		{ "none,+pni", { "sse3" }, { NULL }, 0 },
		{ "none,+avx2", { "avx2", "avx", "xsave" }, { "avx512" }, 2 },
		{ "x86-64-v3,-avx", { "xsave", "bmi1" }, { "avx", "avx2", "fma" }, 2 },
		{ "x86-64-v3,-avx,+avx2", { "avx", "avx2" }, { "fma" }, 3 },
		{ "all,-xsave", { "sse3" }, { "xsave", "avx", "avx512_bw" }, 0 /* many */ },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_profile *p = parse_ok(cases[i].spec, MSHVCPU_REV_HV_2026);
		const struct mshvcpu_featureset *s = mshvcpu_profile_features(p);
		size_t n = mshvcpu_profile_changes(p, NULL, 0);

		for (k = 0; k < 4 && cases[i].has[k]; k++)
			if (!mshvcpu_featureset_has(s, feat(cases[i].has[k])))
				fail_msg("'%s' lacks %s", cases[i].spec, cases[i].has[k]);
		for (k = 0; k < 4 && cases[i].lacks[k]; k++)
			if (mshvcpu_featureset_has(s, feat(cases[i].lacks[k])))
				fail_msg("'%s' has %s", cases[i].spec, cases[i].lacks[k]);
		if (cases[i].changes)
			assert_int_equal(n, cases[i].changes);
		else if (strncmp(cases[i].spec, "all", 3) == 0)
			assert_true(n > 10);
		else
			assert_int_equal(n, 0);
		assert_int_equal(mshvcpu_deps_check(s, NULL, 0), 0);
		mshvcpu_profile_free(p);
	}
}

static void changes_say_what_closure_did_and_why(void **state)
{
	struct mshvcpu_profile *p = parse_ok("none,+avx2", MSHVCPU_REV_HV_2026);
	struct mshvcpu_change c[4];
	size_t n = mshvcpu_profile_changes(p, c, N_ELEMENTS(c)), i;

	(void)state;
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		assert_true(c[i].enabled);
		assert_true(c[i].feature == feat("avx") || c[i].feature == feat("xsave"));
		assert_non_null(c[i].because);
	}
	mshvcpu_profile_free(p);
}

static void base_violations_are_reported_not_repaired(void **state)
{
	struct mshvcpu_profile *p = parse_ok("intel:0:0:0x8", MSHVCPU_REV_HV_2026);
	struct mshvcpu_violation v[4];

	(void)state;
	assert_int_equal(mshvcpu_profile_base_violations(p, v, N_ELEMENTS(v)), 1);
	assert_ptr_equal(v[0].feature, feat("avx2"));
	assert_ptr_equal(v[0].missing, feat("avx"));
	assert_true(mshvcpu_featureset_has(mshvcpu_profile_features(p), feat("avx2")));
	mshvcpu_profile_free(p);
}

struct error_case {
	const char *spec;
	enum mshvcpu_revision rev;
	unsigned int column;	/* 0: not checked */
	const char *says[3];	/* substrings of the message */
};

static void errors_point_at_the_column_and_explain(void **state)
{
	static const struct error_case cases[] = {
		{ "", 0, 1, { "empty" } },
		{ "bogus", 0, 1, { "unknown base", "bogus" } },
		{ "   bogus", 0, 4, { "unknown base" } },
		{ "skylake", 0, 1, { "did you mean", "mshv-skylake-sp" } },
		{ "none,+avx3", 0, 7, { "unknown feature", "avx3", "did you mean" } },
		{ "none,+sse4_3", 0, 7, { "sse4_1", "sse4_2" } },
		{ "none,+avx2", MSHVCPU_REV_LINUX_6_19, 7, { "linux-6.19", "hv-2026" } },
		{ "none,+reserved_bank0_63", 0, 7, { "reserved" } },
		{ "none,+test_bit", 0, 7, { "test" } },
		{ "none,,+sse3", 0, 6, { "empty modifier" } },
		{ "none,sse3", 0, 6, { "+ or -" } },
		{ "none,+", 0, 6, { "without a feature name" } },
		{ "none,+sse3,+sse3", 0, 12, { "duplicate", "column 6" } },
		{ "none,+pni,+sse3", 0, 11, { "duplicate" } },
		{ "none,+sse3,-sse3", 0, 12, { "contradictory", "column 6" } },
		{ "intel:0x1:0x2", 0, 1, { "VENDOR:BANK0:BANK1:XSAVE" } },
		{ "intel:0:0:0:0:0", 0, 1, { "VENDOR:BANK0:BANK1:XSAVE" } },
		{ "intel:0xZZ:0:0", 0, 7, { "0xZZ", "bank0" } },
		{ "intel:0:0x11111111111111111:0", 0, 9, { "bank1" } },
		{ "intel:0:0:0x", 0, 11, { "xsave" } },
		{ "cyrix:0:0:0", 0, 1, { "unknown vendor", "cyrix" } },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		MSHVCPU_OPTS(mshvcpu_profile_opts, opts, .revision = cases[i].rev);
		struct mshvcpu_error err = { 0 };
		struct mshvcpu_profile *p = (struct mshvcpu_profile *)&err;
		int ret = mshvcpu_profile_parse(cases[i].spec, &opts, &p, &err);

		if (ret != -EINVAL)
			fail_msg("'%s': returned %d, expected -EINVAL", cases[i].spec, ret);
		assert_null(p);
		assert_int_equal(err.code, -EINVAL);
		assert_string_equal(err.source, "spec");
		if (cases[i].column && err.column != cases[i].column)
			fail_msg("'%s': column %u, expected %u (%s)", cases[i].spec, err.column,
				 cases[i].column, err.message);
		for (k = 0; k < 3 && cases[i].says[k]; k++)
			if (!strstr(err.message, cases[i].says[k]))
				fail_msg("'%s': message '%s' lacks '%s'", cases[i].spec, err.message,
					 cases[i].says[k]);
		assert_null(strchr(err.message, '\n'));
	}
}

static void strict_mode_applies_modifiers_bare_and_rejects_violations(void **state)
{
	MSHVCPU_OPTS(mshvcpu_profile_opts, opts, .strict_deps = true);
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p;

	(void)state;
	assert_int_equal(mshvcpu_profile_parse("none,+avx2", &opts, &p, &err), -EINVAL);
	assert_non_null(strstr(err.message, "avx2 needs avx"));
	assert_int_equal(mshvcpu_profile_parse("x86-64-v3,-avx", &opts, &p, &err), -EINVAL);
	assert_non_null(strstr(err.message, "needs avx"));
	assert_int_equal(mshvcpu_profile_parse("none,+xsave,+avx,+avx2", &opts, &p, &err), 0);
	assert_int_equal(mshvcpu_profile_changes(p, NULL, 0), 0);
	mshvcpu_profile_free(p);
}

static void a_file_base_reads_a_json_profile(void **state)
{
	struct mshvcpu_profile *base = parse_ok("x86-64-v2", MSHVCPU_REV_LINUX_6_19), *p;
	char path[64], spec[128], *json;

	(void)state;
	assert_int_equal(mshvcpu_profile_to_json(base, true, &json), 0);
	write_temp(path, sizeof(path), json);
	snprintf(spec, sizeof(spec), "@%s,+aes", path);
	/* The file's revision applies unless the caller names one. */
	p = parse_ok(spec, MSHVCPU_REV_DEFAULT);
	assert_int_equal(mshvcpu_profile_revision(p), MSHVCPU_REV_LINUX_6_19);
	assert_true(mshvcpu_featureset_has(mshvcpu_profile_features(p), feat("aes")));
	assert_true(mshvcpu_featureset_has(mshvcpu_profile_features(p), feat("sse4_2")));
	assert_string_equal(mshvcpu_profile_spec(p), spec);
	mshvcpu_profile_free(p);
	unlink(path);
	free(json);
	mshvcpu_profile_free(base);
}

static void a_missing_file_base_is_enoent_naming_the_file(void **state)
{
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p;

	(void)state;
	assert_int_equal(mshvcpu_profile_parse("@/nonexistent/x.json", NULL, &p, &err), -ENOENT);
	assert_null(p);
	assert_string_equal(err.source, "/nonexistent/x.json");
}

static void options_beyond_the_known_fields_must_be_zero(void **state)
{
	struct {
		struct mshvcpu_profile_opts o;
		uint64_t future;
	} big;
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p;
	size_t small_sz = offsetof(struct mshvcpu_profile_opts, revision) +
			  sizeof(enum mshvcpu_revision);
	struct mshvcpu_profile_opts small;

	(void)state;
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.future = 1;
	assert_int_equal(mshvcpu_profile_parse("none", &big.o, &p, &err), -EINVAL);
	big.future = 0;
	assert_int_equal(mshvcpu_profile_parse("none", &big.o, &p, &err), 0);
	mshvcpu_profile_free(p);
	/* An older caller's smaller struct: later fields are not read. */
	memset(&small, 0xff, sizeof(small));
	small.sz = small_sz;
	small.revision = MSHVCPU_REV_LINUX_6_19;
	assert_int_equal(mshvcpu_profile_parse("none,+avx2", &small, &p, &err), -EINVAL);
	assert_int_equal(mshvcpu_profile_parse("none,+sse3", &small, &p, &err), 0);
	assert_int_equal(mshvcpu_profile_revision(p), MSHVCPU_REV_LINUX_6_19);
	mshvcpu_profile_free(p);
}

static void null_arguments_are_refused(void **state)
{
	struct mshvcpu_profile *p;

	(void)state;
	assert_int_equal(mshvcpu_profile_parse("none", NULL, NULL, NULL), -EINVAL);
	assert_int_equal(mshvcpu_profile_parse(NULL, NULL, &p, NULL), -EINVAL);
	assert_null(p);
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(keyword_bases_resolve),
		cmocka_unit_test(host_base_takes_the_given_host),
		cmocka_unit_test(literal_words_are_the_enabled_words),
		cmocka_unit_test(formatted_words_parse_back_to_the_same_set),
		cmocka_unit_test(modifiers_apply_left_to_right_with_closure),
		cmocka_unit_test(changes_say_what_closure_did_and_why),
		cmocka_unit_test(base_violations_are_reported_not_repaired),
		cmocka_unit_test(errors_point_at_the_column_and_explain),
		cmocka_unit_test(strict_mode_applies_modifiers_bare_and_rejects_violations),
		cmocka_unit_test(a_file_base_reads_a_json_profile),
		cmocka_unit_test(a_missing_file_base_is_enoent_naming_the_file),
		cmocka_unit_test(options_beyond_the_known_fields_must_be_zero),
		cmocka_unit_test(null_arguments_are_refused),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
