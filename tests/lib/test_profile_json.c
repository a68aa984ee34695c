// SPDX-License-Identifier: MIT
/*
 * The JSON profile format (schema "mshvcpu-profile/1"): exact round trips,
 * and clear errors with line:column for malformed or hostile input.
 */
#include <errno.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib_test.h"

static struct mshvcpu_profile *partly_known(void)
{
	struct mshvcpu_featureset set;
	struct mshvcpu_profile *p;

	set_of(&set, MSHVCPU_VENDOR_HYGON, "sse3", "avx", "xsave", "fred", NULL);
	mshvcpu_featureset_forget(&set, feat("aes"));
	mshvcpu_featureset_forget(&set, feat("lass"));
	assert_int_equal(mshvcpu_profile_from_featureset(&set, "baseline of 3", MSHVCPU_REV_HV_2026,
							 &p), 0);
	return p;
}

static void profiles_round_trip_exactly(void **state)
{
	static const char *const specs[] = { "none", "all", "x86-64-v4,-avx512_vl",
					      "mshv-icelake-sp-azure", "amd:0x1:0x2:0x3:0x1f" };
	size_t i;
	int pretty;

	(void)state;
	for (i = 0; i <= N_ELEMENTS(specs); i++) {
		for (pretty = 0; pretty <= 1; pretty++) {
			struct mshvcpu_profile *a = i == N_ELEMENTS(specs) ? partly_known() :
				parse_ok(specs[i], strcmp(specs[i], "all") == 0 ?
						   MSHVCPU_REV_LINUX_6_19 : MSHVCPU_REV_HV_2026);
			struct mshvcpu_error err = { 0 };
			struct mshvcpu_profile *b;
			char *json, *again;

			assert_int_equal(mshvcpu_profile_to_json(a, pretty, &json), 0);
			if (mshvcpu_profile_from_json(json, strlen(json), "rt", &b, &err))
				fail_msg("%s: %s at %u:%u\n%s", mshvcpu_profile_spec(a), err.message,
					 err.line, err.column, json);
			assert_true(mshvcpu_featureset_equal(mshvcpu_profile_features(a),
							     mshvcpu_profile_features(b)));
			assert_int_equal(mshvcpu_profile_revision(a), mshvcpu_profile_revision(b));
			assert_string_equal(mshvcpu_profile_spec(a), mshvcpu_profile_spec(b));
			if (mshvcpu_profile_provenance(a))
				assert_string_equal(mshvcpu_profile_provenance(a),
						    mshvcpu_profile_provenance(b));
			else
				assert_null(mshvcpu_profile_provenance(b));
			assert_int_equal(mshvcpu_profile_to_json(b, pretty, &again), 0);
			assert_string_equal(json, again);
			free(json);
			free(again);
			mshvcpu_profile_free(a);
			mshvcpu_profile_free(b);
		}
	}
}

static void the_text_names_its_schema_and_revision(void **state)
{
	struct mshvcpu_profile *p = parse_ok("x86-64-v2", MSHVCPU_REV_HV_2026);
	struct json_object *root, *v;
	char *json;

	(void)state;
	assert_int_equal(mshvcpu_profile_to_json(p, false, &json), 0);
	root = json_tokener_parse(json);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "schema", &v));
	assert_string_equal(json_object_get_string(v), "mshvcpu-profile/1");
	assert_true(json_object_object_get_ex(root, "revision", &v));
	assert_string_equal(json_object_get_string(v), "hv-2026");
	json_object_put(root);
	free(json);
	mshvcpu_profile_free(p);
}

#define HEAD "{\"format\": \"mshvcpu-profile\", \"version\": 1, "
#define WORDS "\"enabled\": {\"bank0\": \"0x1\", \"bank1\": \"0x0\", \"xsave\": \"0x0\"}"

struct bad_case {
	const char *text;
	unsigned int line, column;	/* 0: not checked */
	const char *says;
};

static void bad_documents_are_refused_with_a_position(void **state)
{
	static const struct bad_case cases[] = {
		{ "{\n  \"format\": \"mshvcpu-profile\",\n  \"version\": 1,\n  oops\n}", 4, 0,
		  "malformed" },
		{ "{\"format\": ", 1, 12, "end" },
		{ HEAD WORDS "} x", 1, 0, NULL },
		{ "[]", 1, 1, "object" },
		{ "{\"format\": \"mshvcpu-host\", \"version\": 1, " WORDS "}", 1, 0, "format" },
		{ HEAD "\"name\": 5, " WORDS "}", 1, 0, "string" },
		{ "{\"format\": \"mshvcpu-profile\", \"version\": \"1\", " WORDS "}", 1, 0, "integer" },
		{ "{\"format\": \"mshvcpu-profile\", \"version\": 2, " WORDS "}", 1, 0, "version" },
		{ "{\"format\": \"mshvcpu-profile\", \"version\": 99999999999999999999999, " WORDS "}",
		  1, 0, "version" },
		{ "{\"format\": \"mshvcpu-profile\", \"version\": 1.0, " WORDS "}", 1, 0, "integer" },
		{ HEAD "\"revision\": \"linux-7\", " WORDS "}", 1, 0, "revision" },
		{ HEAD "\"vendor\": \"cyrix\", " WORDS "}", 1, 0, "vendor" },
		{ HEAD "\"name\": \"x\"}", 1, 0, "enabled" },
		{ HEAD "\"enabled\": []}", 1, 0, "object" },
		{ HEAD "\"enabled\": {\"bank0\": 1, \"bank1\": \"0x0\", \"xsave\": \"0x0\"}}", 1, 0,
		  "bank0" },
		{ HEAD "\"enabled\": {\"bank0\": \"0x11111111111111111\", \"bank1\": \"0x0\", "
		  "\"xsave\": \"0x0\"}}", 1, 0, "16 hex digits" },
		{ HEAD "\"enabled\": {\"bank0\": \"12\", \"bank1\": \"0x0\", \"xsave\": \"0x0\"}}", 1, 0,
		  "bank0" },
		{ HEAD "\"enabled\": {\"bank0\": \"0x0\", \"xsave\": \"0x0\"}}", 1, 0, "bank1" },
		{ HEAD "\"enabled\": {\"bank0\": \"0x0\", \"bank1\": \"0x0\", \"bank3\": \"0x0\", "
		  "\"xsave\": \"0x0\"}}", 1, 0, "bank3" },
		{ HEAD "\"enabled\": {\"bank0\": {\"enabled\": \"0x3\", \"known\": \"0x1\"}, "
		  "\"bank1\": \"0x0\", \"xsave\": \"0x0\"}}", 1, 0, "does not know" },
		{ HEAD WORDS ", \"features\": {\"bank0\": [\"aes\"]}}", 1, 0, "disagrees" },
		{ HEAD WORDS ", \"features\": {\"bank0\": [\"nonsense\"]}}", 1, 0, "nonsense" },
		{ HEAD "\"name\": \"\xff\", " WORDS "}", 1, 0, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_error err = { 0 };
		struct mshvcpu_profile *p = (struct mshvcpu_profile *)&err;
		int ret = mshvcpu_profile_from_json(cases[i].text, strlen(cases[i].text),
						    "p.json", &p, &err);

		if (ret != -EINVAL)
			fail_msg("case %zu: returned %d: %s", i, ret, cases[i].text);
		assert_null(p);
		assert_string_equal(err.source, "p.json");
		if (cases[i].line && err.line != cases[i].line)
			fail_msg("case %zu: line %u, expected %u (%s)", i, err.line, cases[i].line,
				 err.message);
		if (cases[i].column && err.column != cases[i].column)
			fail_msg("case %zu: column %u, expected %u (%s)", i, err.column,
				 cases[i].column, err.message);
		if (cases[i].says && !strstr(err.message, cases[i].says))
			fail_msg("case %zu: message '%s' lacks '%s'", i, err.message, cases[i].says);
	}
}

static void syntax_errors_point_at_the_offending_character(void **state)
{
	static const struct bad_case cases[] = {
		{ "{\n  oops\n}", 2, 3, NULL },
		{ "{\n,}", 2, 1, NULL },
		{ "{\"a\": 1,\n   ]", 2, 4, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_error err = { 0 };
		struct mshvcpu_profile *p;

		assert_int_equal(mshvcpu_profile_from_json(cases[i].text, strlen(cases[i].text),
							   "p.json", &p, &err), -EINVAL);
		if (err.line != cases[i].line || err.column != cases[i].column)
			fail_msg("case %zu: %u:%u, expected %u:%u (%s)", i, err.line, err.column,
				 cases[i].line, cases[i].column, err.message);
	}
}

static void a_semantic_error_points_at_its_member(void **state)
{
	static const char text[] = "{\n\"format\": \"mshvcpu-profile\",\n\"version\": 1,\n"
				   "\"enabled\": {\"bank0\": \"0x1\",\n  \"bank1\": 7,\n"
				   "  \"xsave\": \"0x0\"}\n}\n";
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p;

	(void)state;
	assert_int_equal(mshvcpu_profile_from_json(text, strlen(text), "p.json", &p, &err), -EINVAL);
	assert_int_equal(err.line, 5);
	assert_int_equal(err.column, 3);
}

static void nul_bytes_are_refused_where_they_are(void **state)
{
	static const char text[] = HEAD "\n \0" WORDS "}";
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p;

	(void)state;
	assert_int_equal(mshvcpu_profile_from_json(text, sizeof(text) - 1, NULL, &p, &err), -EINVAL);
	assert_non_null(strstr(err.message, "NUL"));
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 2);
	assert_string_equal(err.source, "-");
}

static void deep_nesting_is_refused(void **state)
{
	char text[2048];
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p;
	size_t i, n = 0;

	(void)state;
	n += (size_t)snprintf(text, sizeof(text), HEAD WORDS ", \"x\": ");
	for (i = 0; i < 500; i++)
		text[n++] = '[';
	for (i = 0; i < 500; i++)
		text[n++] = ']';
	text[n++] = '}';
	text[n] = '\0';
	assert_int_equal(mshvcpu_profile_from_json(text, n, "deep", &p, &err), -EINVAL);
	assert_null(p);
	assert_non_null(strstr(err.message, "nesting"));
}

static void a_profile_file_loads_and_errors_name_the_file(void **state)
{
	struct mshvcpu_profile *a = parse_ok("x86-64-v3", MSHVCPU_REV_DEFAULT), *b;
	struct mshvcpu_error err = { 0 };
	char path[64], *json;

	(void)state;
	assert_int_equal(mshvcpu_profile_to_json(a, true, &json), 0);
	write_temp(path, sizeof(path), json);
	assert_int_equal(mshvcpu_profile_load(path, &b, &err), 0);
	assert_true(mshvcpu_featureset_equal(mshvcpu_profile_features(a),
					     mshvcpu_profile_features(b)));
	mshvcpu_profile_free(b);
	unlink(path);
	write_temp(path, sizeof(path), "{\n\n   ,");
	assert_int_equal(mshvcpu_profile_load(path, &b, &err), -EINVAL);
	assert_string_equal(err.source, path);
	assert_int_equal(err.line, 3);
	unlink(path);
	assert_int_equal(mshvcpu_profile_load("/nonexistent/p.json", &b, &err), -ENOENT);
	assert_null(b);
	free(json);
	mshvcpu_profile_free(a);
}

/*
 * A spec may hold what no reader takes (a tab, a path's bytes that are not
 * UTF-8): the profile is written with its name escaped, and reads back.
 */
static void a_profile_reads_back_whatever_its_spec_holds(void **state)
{
	/* The spec, and the name it reads back as. */
	static const char *const cases[][2] = {
		{ "x86-64-v3\t", "x86-64-v3\\t" },
		{ " x86-64-v2 ,\n+aes", " x86-64-v2 ,\\n+aes" },
	};
	struct mshvcpu_featureset set;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_profile *a = parse_ok(cases[i][0], MSHVCPU_REV_DEFAULT), *b;
		struct mshvcpu_error err = { 0 };
		char *json;

		assert_string_equal(mshvcpu_profile_spec(a), cases[i][0]);
		assert_int_equal(mshvcpu_profile_to_json(a, true, &json), 0);
		if (mshvcpu_profile_from_json(json, strlen(json), "p.json", &b, &err))
			fail_msg("case %zu: %s\n%s", i, err.message, json);
		assert_string_equal(mshvcpu_profile_spec(b), cases[i][1]);
		assert_true(mshvcpu_featureset_equal(mshvcpu_profile_features(a),
						     mshvcpu_profile_features(b)));
		free(json);
		mshvcpu_profile_free(a);
		mshvcpu_profile_free(b);
	}
	/* A name from a caller, with bytes that are not UTF-8 and a C1 control. */
	set_of(&set, MSHVCPU_VENDOR_INTEL, "sse3", NULL);
	{
		struct mshvcpu_profile *a, *b;
		struct mshvcpu_error err = { 0 };
		char *json;

		assert_int_equal(mshvcpu_profile_from_featureset(&set, "@/tmp/\xff\xc2\x9b.json",
								 MSHVCPU_REV_DEFAULT, &a), 0);
		assert_int_equal(mshvcpu_profile_to_json(a, false, &json), 0);
		if (mshvcpu_profile_from_json(json, strlen(json), "p.json", &b, &err))
			fail_msg("%s\n%s", err.message, json);
		assert_string_equal(mshvcpu_profile_spec(b), "@/tmp/\\xff\\u009b.json");
		free(json);
		mshvcpu_profile_free(a);
		mshvcpu_profile_free(b);
	}
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(profiles_round_trip_exactly),
		cmocka_unit_test(the_text_names_its_schema_and_revision),
		cmocka_unit_test(bad_documents_are_refused_with_a_position),
		cmocka_unit_test(syntax_errors_point_at_the_offending_character),
		cmocka_unit_test(a_semantic_error_points_at_its_member),
		cmocka_unit_test(nul_bytes_are_refused_where_they_are),
		cmocka_unit_test(deep_nesting_is_refused),
		cmocka_unit_test(a_profile_file_loads_and_errors_name_the_file),
		cmocka_unit_test(a_profile_reads_back_whatever_its_spec_holds),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
