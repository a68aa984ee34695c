// SPDX-License-Identifier: MIT
/*
 * What every JSON reader refuses beyond its format's rules (lib/json_scan.c):
 * control characters in strings, raw or escaped ("\u0000" first of all),
 * unpaired surrogate escapes, repeated keys; each with the position of the
 * offending escape, byte or key. And mshvcpu_json_format(), which goes by
 * the top-level "format" member and nothing else.
 */
#include <errno.h>

#include "lib_test.h"

#define HOST(members) \
	"{\"format\": \"mshvcpu-host\", \"version\": 1, " members \
	"\"offered\": {\"bank0\": \"0x1\", \"bank1\": \"0x0\", \"xsave\": \"0x0\"}}"
#define PROFILE(members) \
	"{\"format\": \"mshvcpu-profile\", \"version\": 1, " members \
	"\"enabled\": {\"bank0\": \"0x1\", \"bank1\": \"0x0\", \"xsave\": \"0x0\"}}"

enum reader { HOST_RECORD, PROFILE_DOC, PARTITION_RECORD };

/* The reader's answer; the error in @err. */
static int read_doc(enum reader r, const char *text, size_t len, struct mshvcpu_error *err)
{
	struct mshvcpu_partition_record rec;
	struct mshvcpu_profile *p = NULL;
	struct mshvcpu_host host;
	int ret;

	memset(err, 0, sizeof(*err));
	switch (r) {
	case HOST_RECORD:
		return mshvcpu_host_from_json(text, len, "doc.json", 1, &host, err);
	case PROFILE_DOC:
		ret = mshvcpu_profile_from_json(text, len, "doc.json", &p, err);
		mshvcpu_profile_free(p);
		return ret;
	default:
		ret = mshvcpu_partition_record_from_json(text, len, "doc.json", &rec, err);
		if (!ret)
			mshvcpu_partition_record_clear(&rec);
		return ret;
	}
}

/* A document a reader refuses, and where: the error's column points at @at. */
struct refusal {
	enum reader reader;
	const char *text;
	const char *at;
	const char *says;
};

#define NAMED(name) HOST("\"name\": \"" name "\", \"vendor\": \"intel\", ")
#define WORDS_HEAD "{\"format\": \"mshvcpu-host\", \"version\": 1, \"vendor\": \"intel\", \"offered\": "

static const struct refusal refusals[] = {
	/* json-c takes "amd\u0000intel" and hands C "amd". */
	{ HOST_RECORD, HOST("\"vendor\": \"amd\\u0000intel\", "), "\\u0000", "\\u0000" },
	{ HOST_RECORD, NAMED("n\\u0000"), "\\u0000", "NUL" },
	{ HOST_RECORD, HOST("\"vendor\": \"intel\", \"source_detail\": \"\\u0000\", "), "\\u0000", "NUL" },
	{ HOST_RECORD, HOST("\"vendor\\u0000x\": \"intel\", \"vendor\": \"intel\", "), "\\u0000",
	  "NUL" },
	/* Control characters, escaped or raw (json-c takes raw ones, even strict), C1 too. */
	{ HOST_RECORD, NAMED("a\\nFORGED"), "\\n", "U+000A" },
	{ HOST_RECORD, NAMED("a\\u001b[31m"), "\\u001b", "U+001B" },
	{ HOST_RECORD, NAMED("a\\tb"), "\\t", "U+0009" },
	{ HOST_RECORD, NAMED("a\\b\\f"), "\\b", "U+0008" },
	{ HOST_RECORD, NAMED("a\x01" "b"), "\x01", "U+0001" },
	{ HOST_RECORD, NAMED("a\tb"), "\t", "U+0009" },
	{ HOST_RECORD, NAMED("del\x7f"), "\x7f", "U+007F" },
	{ HOST_RECORD, NAMED("\\u007f"), "\\u007f", "U+007F" },
	{ HOST_RECORD, NAMED("csi\xc2\x9b"), "\xc2\x9b", "U+009B" },
	{ HOST_RECORD, NAMED("\\u0085"), "\\u0085", "U+0085" },
	{ HOST_RECORD, HOST("\"source_detail\": \"x\\r\", \"vendor\": \"intel\", "), "\\r", "U+000D" },
	{ PROFILE_DOC, PROFILE("\"name\": \"x86-64-v3\\n\", "), "\\n", "U+000A" },
	{ PROFILE_DOC, PROFILE("\"provenance\": \"\\u001b]0;title\\u0007\", "), "\\u001b", "U+001B" },
	{ PARTITION_RECORD, "{\"format\": \"mshvcpu-partition\", \"version\": 1, \"spec\": \"a\\nb\"}",
	  "\\n", "U+000A" },
	/* json-c turns a lone surrogate into U+FFFD; the text said something else. */
	{ HOST_RECORD, NAMED("a\\ud800"), "\\ud800", "\\ud800" },
	{ HOST_RECORD, NAMED("a\\uDC00b"), "\\uDC00", "surrogate" },
	{ HOST_RECORD, NAMED("\\ud83d\\u0041"), "\\ud83d", "surrogate" },
	{ HOST_RECORD, NAMED("\\ude00\\ud83d"), "\\ude00", "surrogate" },
	/* json-c keeps the last of a repeated key: the second one is refused, where it is. */
	{ HOST_RECORD, HOST("\"vendor\": \"intel\", \"name\": \"a\", \"name\": \"b\", "),
	  "\"name\": \"b\"", "duplicate key \"name\"" },
	{ HOST_RECORD, WORDS_HEAD "{\"bank0\": \"0x1\", \"bank1\": \"0x0\", \"xsave\": \"0x0\", "
	  "\"bank0\": \"0xff\"}}", "\"bank0\": \"0xff\"", "\"bank0\"" },
	{ HOST_RECORD, WORDS_HEAD "{\"bank0\": {\"enabled\": \"0x1\", \"known\": \"0x1\", "
	  "\"known\": \"0x3\"}, \"bank1\": \"0x0\", \"xsave\": \"0x0\"}}", "\"known\": \"0x3\"",
	  "\"known\"" },
	/* The same key, spelt with escapes. */
	{ HOST_RECORD, HOST("\"vendor\": \"intel\", \"ven\\u0064or\": \"amd\", "),
	  "\"ven\\u0064or\"", "ven\\u0064or" },
	{ HOST_RECORD, HOST("\"format\": \"mshvcpu-host\", \"vendor\": \"intel\", "),
	  "\"format\": \"mshvcpu-host\", \"vendor\"", "\"format\"" },
	/* Several problems: the first in the text is reported. */
	{ HOST_RECORD, HOST("\"vendor\": \"intel\", \"vendor\": \"intel\", \"name\": \"\\n\", "),
	  "\"vendor\": \"intel\", \"name\"", "duplicate" },
	{ HOST_RECORD, HOST("\"vendor\": \"intel\", \"name\": \"\\n\", \"vendor\": \"intel\", "),
	  "\\n", "U+000A" },
};

/*
 * Every reader refuses what json-c lets through: "\u0000" (which C would
 * take for the end), any control character, unpaired surrogates, repeated
 * keys; each with the position of the escape, byte or repeated key.
 */
static void what_json_c_lets_through_is_refused_where_it_is(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(refusals); i++) {
		const struct refusal *c = &refusals[i];
		const char *at = strstr(c->text, c->at);
		struct mshvcpu_error err;
		int ret = read_doc(c->reader, c->text, strlen(c->text), &err);

		assert_non_null(at);
		if (ret != -EINVAL)
			fail_msg("case %zu: returned %d: %s", i, ret, c->text);
		if (!strstr(err.message, c->says))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.message, c->says);
		assert_string_equal(err.source, "doc.json");
		assert_int_equal(err.line, 1);
		if (err.column != (unsigned int)(at - c->text) + 1)
			fail_msg("case %zu: column %u, want %zu (%s)", i, err.column,
				 (size_t)(at - c->text) + 1, err.message);
	}
}

/* A pair is one character; the name keeps it. */
static void surrogate_pairs_decode(void **state)
{
	static const char pair[] = NAMED("\\ud83d\\ude00 \\u00e9\\u20ac");
	struct mshvcpu_error err;
	struct mshvcpu_host host;

	(void)state;
	assert_int_equal(mshvcpu_host_from_json(pair, strlen(pair), "h", 1, &host, &err), 0);
	assert_string_equal(host.name, "\xf0\x9f\x98\x80 \xc3\xa9\xe2\x82\xac");
}

/* Many keys take the sorting path; a repeat among them is still found, at the right place. */
static void repeated_keys_are_found_in_large_objects(void **state)
{
	size_t nkeys = 5000, i, used, cap = 64 * nkeys + 256, dup_at = 0;
	char *text = malloc(cap);
	struct mshvcpu_error err;
	int pass;

	(void)state;
	assert_non_null(text);
	for (pass = 0; pass < 2; pass++) {
		used = (size_t)snprintf(text, cap, "{\"format\": \"mshvcpu-profile\", \"version\": 1, "
					"\"enabled\": {\"bank0\": \"0x1\", \"bank1\": \"0x0\", "
					"\"xsave\": \"0x0\"}, \"x\": {");
		for (i = 0; i < nkeys; i++) {
			/* pass 1 repeats key 1234 as the 4000th member (spelt with an escape) */
			if (pass == 1 && i == 4000) {
				dup_at = used + (i ? 2 : 0);
				used += (size_t)snprintf(text + used, cap - used, "%s\"k\\u0031234\": 0",
							 i ? ", " : "");
				continue;
			}
			used += (size_t)snprintf(text + used, cap - used, "%s\"k%zu\": %zu",
						 i ? ", " : "", i, i);
		}
		used += (size_t)snprintf(text + used, cap - used, "}}");
		if (pass == 0) {
			assert_int_equal(read_doc(PROFILE_DOC, text, used, &err), 0);
			continue;
		}
		assert_int_equal(read_doc(PROFILE_DOC, text, used, &err), -EINVAL);
		assert_non_null(strstr(err.message, "duplicate key"));
		assert_int_equal(err.column, dup_at + 1);
	}
	free(text);
}

/* Keys repeat freely across objects; strings may hold anything printable. */
static void what_is_not_a_repeat_or_a_control_is_accepted(void **state)
{
	static const char *const docs[] = {
		"{\"format\": \"mshvcpu-host\", \"version\": 1, \"vendor\": \"intel\", \"offered\": "
		"{\"bank0\": {\"enabled\": \"0x1\", \"known\": \"0x1\"}, \"bank1\": {\"enabled\": "
		"\"0x0\", \"known\": \"0x1\"}, \"xsave\": \"0x0\"}, \"name\": \"\\\"quoted\\\" \\\\ \\/\"}",
		PROFILE("\"name\": \"n\xc5\x93ud \xc2\xa0 \\u00a0 \\u2028\", \"provenance\": \"bank0\", "),
	};
	struct mshvcpu_error err;

	(void)state;
	if (read_doc(HOST_RECORD, docs[0], strlen(docs[0]), &err))
		fail_msg("%s", err.message);
	if (read_doc(PROFILE_DOC, docs[1], strlen(docs[1]), &err))
		fail_msg("%s", err.message);
}

/*
 * The kind is what the top-level "schema" (or old "format") member names,
 * whatever names and nested members say.
 */
static void the_format_is_the_format_members(void **state)
{
	static const struct {
		const char *text;
		const char *format;	/* NULL: none */
	} cases[] = {
		{ "{\"format\": \"mshvcpu-profile\", \"name\": \"mshvcpu-host\"}", "mshvcpu-profile" },
		{ "{\"name\": \"mshvcpu-host\", \"format\": \"mshvcpu-profile\"}", "mshvcpu-profile" },
		{ "{\"spec\": \"\\\"format\\\": \\\"mshvcpu-host\\\"\", \"format\":\"mshvcpu-partition\"}",
		  "mshvcpu-partition" },
		{ " \r\n{ \"x\": {\"format\": \"mshvcpu-host\"}, \"y\": [1, \"]\", {}], \"z\": -1.5e3, "
		  "\"format\" : \"mshvcpu-host\" }", "mshvcpu-host" },
		{ "{\"form\\u0061t\": \"mshvcpu\\u002dprofile\"}", "mshvcpu-profile" },
		/* "schema" names the kind with its version; any version declares it. */
		{ "{\"schema\": \"mshvcpu-partition/1\", \"spec\": \"mshvcpu-host/1\"}",
		  "mshvcpu-partition" },
		{ "{\"name\": \"mshvcpu-host/1\", \"schema\": \"mshvcpu-profile/1\"}", "mshvcpu-profile" },
		{ "{\"schema\": \"mshvcpu-profile/7\"}", "mshvcpu-profile" },
		{ "{\"sch\\u0065ma\": \"mshvcpu-host\\u002f1\"}", "mshvcpu-host" },
		{ "{\"schema\": \"mshvcpu-host/1\", \"format\": \"mshvcpu-host\", \"version\": 1}",
		  "mshvcpu-host" },
		{ "{\"x\": {\"schema\": \"mshvcpu-host/1\"}, \"schema\": \"mshvcpu-profile/1\"}",
		  "mshvcpu-profile" },
		{ "{\"schema\": \"mshvcpu-host/1\", \"name\": oops", "mshvcpu-host" },
		/* Two that disagree, or one that names nothing known: no kind. */
		{ "{\"schema\": \"mshvcpu-host/1\", \"format\": \"mshvcpu-profile\"}", NULL },
		{ "{\"format\": \"mshvcpu-profile\", \"schema\": \"mshvcpu-host/1\"}", NULL },
		{ "{\"schema\": \"mshvcpu-host/1\", \"schema\": \"mshvcpu-profile/1\"}", NULL },
		{ "{\"schema\": \"mshvcpu-host/1\", \"format\": \"mshvcpu-hostile\"}", NULL },
		{ "{\"schema\": \"mshvcpu-host\"}", NULL },
		{ "{\"schema\": \"mshvcpu-host/01\"}", NULL },
		{ "{\"schema\": \"mshvcpu-compare/1\"}", NULL },
		{ "{\"schema\": \"mshvcpu-host/1\\u0000\"}", NULL },
		{ "{\"schema\": 1, \"format\": \"mshvcpu-host\"}", NULL },
		{ "{\"x\": {\"schema\": \"mshvcpu-host/1\"}}", NULL },
		{ "{\"name\": \"mshvcpu-host/1\"}", NULL },
		{ "{\"x\": {\"format\": \"mshvcpu-host\"}}", NULL },
		{ "{\"name\": \"\\\"format\\\": \\\"mshvcpu-host\\\"\"}", NULL },
		{ "{\"format\": \"mshvcpu-hostile\"}", NULL },
		{ "{\"format\": 1}", NULL },
		{ "[{\"format\": \"mshvcpu-host\"}]", NULL },
		{ "{\"format\": \"mshvcpu-host", NULL },
		{ "{\"a\": \"\\", NULL },
		{ "", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		const char *got = mshvcpu_json_format(cases[i].text, strlen(cases[i].text));

		if (!cases[i].format ? got != NULL : !got || strcmp(got, cases[i].format) != 0)
			fail_msg("case %zu: %s, want %s", i, got ? got : "NULL",
				 cases[i].format ? cases[i].format : "NULL");
	}
	assert_null(mshvcpu_json_format(NULL, 0));
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(what_json_c_lets_through_is_refused_where_it_is),
		cmocka_unit_test(surrogate_pairs_decode),
		cmocka_unit_test(repeated_keys_are_found_in_large_objects),
		cmocka_unit_test(what_is_not_a_repeat_or_a_control_is_accepted),
		cmocka_unit_test(the_format_is_the_format_members),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
