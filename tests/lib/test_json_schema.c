// SPDX-License-Identifier: MIT
/*
 * One versioning convention for every record: a top-level
 * "schema": "KIND/MAJOR" member. The three readers (host records,
 * profiles, partition records) take it; they still take the records
 * written before it ("format": KIND, "version": 1), alone or beside an
 * agreeing "schema"; and they refuse, each with the line and column of
 * the member at fault, the two conventions disagreeing, a kind they do not
 * know or another record's kind, a newer major version, and a value that
 * is not KIND/MAJOR. The writers put "schema" first and alone.
 */
#include <errno.h>

#include <json-c/json.h>

#include "lib_test.h"

enum kind { HOST, PROFILE, PARTITION, N_KINDS };

static const char *const kinds[N_KINDS] = {
	"mshvcpu-host", "mshvcpu-profile", "mshvcpu-partition",
};

#define WORDS "{\"bank0\": \"0x1\", \"bank1\": \"0x0\", \"xsave\": \"0x0\"}"

/* Just what each reader needs besides the schema. */
static const char *const bodies[N_KINDS] = {
	"\"vendor\": \"intel\", \"offered\": " WORDS,
	"\"enabled\": " WORDS,
	"\"spec\": \"x86-64-v1\", \"revision\": \"hv-2026\", \"policy\": \"migration-safe\", "
	"\"vendor\": \"intel\", \"create_struct\": \"v2\", \"pt_flags\": \"0x0\", "
	"\"requested\": " WORDS ", \"effective\": " WORDS ", \"dropped\": " WORDS ", "
	"\"masks\": {\"disabled_banks\": [\"0x0\", \"0x0\"], \"disabled_xsave\": \"0x0\", "
	"\"disabled_bank2\": null}",
};

static int read_doc(enum kind k, const char *text, struct mshvcpu_error *err)
{
	struct mshvcpu_partition_record rec;
	struct mshvcpu_profile *p = NULL;
	struct mshvcpu_host host;
	int ret;

	switch (k) {
	case HOST:
		return mshvcpu_host_from_json(text, strlen(text), "doc.json", 1, &host, err);
	case PROFILE:
		ret = mshvcpu_profile_from_json(text, strlen(text), "doc.json", &p, err);
		mshvcpu_profile_free(p);
		return ret;
	default:
		ret = mshvcpu_partition_record_from_json(text, strlen(text), "doc.json", &rec, err);
		mshvcpu_partition_record_clear(&rec);
		return ret;
	}
}

/* @head with "@" as this kind and "~" as another, then the body (or the body first). */
static char *document(enum kind k, const char *head, bool head_last)
{
	const char *other = kinds[(k + 1) % N_KINDS];
	char *text = malloc(4096), *o = text;
	const char *h;

	assert_non_null(text);
	o += sprintf(o, "{%s", head_last ? bodies[k] : "");
	if (*head && head_last)
		o += sprintf(o, ", ");
	for (h = head; *h; h++)
		o += *h == '@' ? sprintf(o, "%s", kinds[k]) :
		     *h == '~' ? sprintf(o, "%s", other) : sprintf(o, "%c", *h);
	if (!head_last)
		o += sprintf(o, "%s%s", *head ? ", " : "", bodies[k]);
	sprintf(o, "}");
	return text;
}

static const struct {
	const char *head;
	bool head_last;
	const char *says;	/* NULL: read */
	const char *at;		/* the member the error points at; NULL: 1:1 */
} heads[] = {
	/* What writers write now, first or anywhere. */
	{ "\"schema\": \"@/1\"", false, NULL, NULL },
	{ "\"schema\": \"@/1\"", true, NULL, NULL },
	/* What they wrote before, in any order, and both agreeing. */
	{ "\"format\": \"@\", \"version\": 1", false, NULL, NULL },
	{ "\"version\": 1, \"format\": \"@\"", true, NULL, NULL },
	{ "\"schema\": \"@/1\", \"format\": \"@\", \"version\": 1", false, NULL, NULL },
	{ "\"format\": \"@\", \"version\": 1, \"schema\": \"@/1\"", false, NULL, NULL },
	/* The two conventions disagreeing, or the old one in half. */
	{ "\"schema\": \"@/1\", \"format\": \"~\", \"version\": 1", false, "disagree", "format" },
	{ "\"schema\": \"@/1\", \"format\": \"@\", \"version\": 2", false, "disagree", "version" },
	{ "\"schema\": \"@/1\", \"format\": \"@\", \"version\": \"1\"", false, "disagree",
	  "version" },
	{ "\"schema\": \"@/1\", \"format\": 1, \"version\": 1", false, "disagree", "format" },
	{ "\"schema\": \"@/1\", \"format\": \"@\"", false, "disagree", "format" },
	{ "\"schema\": \"@/1\", \"version\": 1", false, "disagree", "version" },
	{ "\"schema\": \"~/1\", \"format\": \"@\", \"version\": 1", false, "expected", "schema" },
	/* Another record, a kind nobody reads, a newer major version. */
	{ "\"schema\": \"~/1\"", false, "expected", "schema" },
	{ "\"schema\": \"mshvcpu-hostile/1\"", false, "unknown schema", "schema" },
	{ "\"schema\": \"mshvcpu-compare/1\"", false, "unknown schema", "schema" },
	{ "\"schema\": \"MSHVCPU-HOST/1\"", false, "unknown schema", "schema" },
	{ "\"schema\": \"@/2\"", false, "newer", "schema" },
	{ "\"name\": \"schema\", \"schema\": \"@/2\"", false, "newer", "schema" },
	{ "\"schema\": \"@/999999999\"", true, "newer", "schema" },
	{ "\"schema\": \"@/2\", \"format\": \"@\", \"version\": 1", false, "newer", "schema" },
	/* Not KIND/MAJOR. */
	{ "\"schema\": \"@\"", false, "NAME/VERSION", "schema" },
	{ "\"schema\": \"@/\"", false, "NAME/VERSION", "schema" },
	{ "\"schema\": \"/1\"", false, "NAME/VERSION", "schema" },
	{ "\"schema\": \"@/0\"", false, "NAME/VERSION", "schema" },
	{ "\"schema\": \"@/01\"", false, "NAME/VERSION", "schema" },
	{ "\"schema\": \"@/1.1\"", false, "NAME/VERSION", "schema" },
	{ "\"schema\": \"@/+1\"", false, "NAME/VERSION", "schema" },
	{ "\"schema\": \"@/1 \"", false, "NAME/VERSION", "schema" },
	{ "\"schema\": \"@/1234567890\"", false, "NAME/VERSION", "schema" },
	{ "\"schema\": 1", false, "must be a string", "schema" },
	{ "\"schema\": null", false, "must be a string", "schema" },
	{ "\"schema\": [\"@/1\"]", false, "must be a string", "schema" },
	/* Declared twice: refused as every repeated key is. */
	{ "\"schema\": \"@/1\", \"schema\": \"@/1\"", false, "duplicate", NULL },
	/* Neither convention. */
	{ "", false, "no \"schema\"", NULL },
	/* The old convention's own refusals, as before. */
	{ "\"format\": \"@\", \"version\": 2", false, "unsupported", "version" },
	{ "\"format\": \"~\", \"version\": 1", false, "\"format\" must be", "format" },
	{ "\"version\": 1", false, "\"format\" must be", NULL },
	{ "\"format\": \"@\"", false, "\"version\" must be an integer", NULL },
};

static void every_reader_keeps_the_convention(void **state)
{
	enum kind k;
	size_t i;

	(void)state;
	for (k = 0; k < N_KINDS; k++) {
		for (i = 0; i < N_ELEMENTS(heads); i++) {
			struct mshvcpu_error err = { 0 };
			char *text = document(k, heads[i].head, heads[i].head_last);
			int ret = read_doc(k, text, &err);

			if (!heads[i].says) {
				if (ret)
					fail_msg("%s, case %zu: %s\n%s", kinds[k], i, err.message, text);
				free(text);
				continue;
			}
			if (ret != -EINVAL || !strstr(err.message, heads[i].says))
				fail_msg("%s, case %zu: %d '%s', want '%s'\n%s", kinds[k], i, ret,
					 err.message, heads[i].says, text);
			assert_string_equal(err.source, "doc.json");
			assert_int_equal(err.line, 1);
			if (heads[i].at) {
				char quoted[32];

				snprintf(quoted, sizeof(quoted), "\"%s\":", heads[i].at);
				if (err.column != (unsigned int)(strstr(text, quoted) - text) + 1)
					fail_msg("%s, case %zu: column %u, want the \"%s\" member\n%s",
						 kinds[k], i, err.column, heads[i].at, text);
			}
			free(text);
		}
	}
}

/* The messages say what to do: the versions read, the kind expected. */
static void refusals_name_what_is_read(void **state)
{
	static const struct {
		const char *text;
		const char *says;
	} cases[] = {
		{ "{\"schema\": \"mshvcpu-host/2\"}", "newer than this library reads (mshvcpu-host/1)" },
		{ "{\"schema\": \"mshvcpu-profile/1\"}",
		  "\"mshvcpu-profile/1\", a profile; expected a host record (mshvcpu-host/1)" },
		{ "{\"schema\": \"mshvcpu-pools/1\"}",
		  "(this library reads mshvcpu-host/1, mshvcpu-profile/1, mshvcpu-partition/1)" },
		{ "{}", "a host record has \"schema\": \"mshvcpu-host/1\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_error err = { 0 };
		struct mshvcpu_host h;

		assert_int_equal(mshvcpu_host_from_json(cases[i].text, strlen(cases[i].text), "h", 1,
							&h, &err), -EINVAL);
		if (!strstr(err.message, cases[i].says))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.message, cases[i].says);
	}
}

/* The sniffer goes by the same members, and names the same kinds. */
static void the_sniffer_agrees_with_the_readers(void **state)
{
	enum kind k;
	size_t i;

	(void)state;
	for (k = 0; k < N_KINDS; k++) {
		for (i = 0; i < N_ELEMENTS(heads); i++) {
			char *text = document(k, heads[i].head, heads[i].head_last);
			const char *got = mshvcpu_json_format(text, strlen(text));

			/* What a reader takes, the sniffer sends to that reader. */
			if (!heads[i].says && (!got || strcmp(got, kinds[k]) != 0))
				fail_msg("%s, case %zu: sniffed %s\n%s", kinds[k], i,
					 got ? got : "NULL", text);
			free(text);
		}
	}
}

/* What each writer writes, plain or pretty. */
static char *written(enum kind k, bool pretty)
{
	struct mshvcpu_partition_record rec = { 0 };
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p;
	struct mshvcpu_host host;
	char *json = NULL;

	switch (k) {
	case HOST:
		assert_int_equal(mshvcpu_host_load("mshv-skylake-sp", &host, &err), 0);
		assert_int_equal(mshvcpu_host_to_json(&host, pretty, &json), 0);
		break;
	case PROFILE:
		assert_int_equal(mshvcpu_profile_parse("x86-64-v3", NULL, &p, &err), 0);
		assert_int_equal(mshvcpu_profile_to_json(p, pretty, &json), 0);
		mshvcpu_profile_free(p);
		break;
	default:
		rec.spec = (char *)"x86-64-v3";
		rec.revision = MSHVCPU_REV_HV_2026;
		rec.create_struct = MSHVCPU_CREATE_V2;
		mshvcpu_featureset_init(&rec.requested, MSHVCPU_VENDOR_INTEL);
		rec.effective = rec.dropped = rec.requested;
		assert_int_equal(mshvcpu_partition_record_to_json(&rec, pretty, &json), 0);
		break;
	}
	return json;
}

static void writers_put_the_schema_first_and_alone(void **state)
{
	enum kind k;
	int pretty;

	(void)state;
	for (k = 0; k < N_KINDS; k++) {
		for (pretty = 0; pretty <= 1; pretty++) {
			struct mshvcpu_error err = { 0 };
			char *json = written(k, pretty), want[64];
			struct json_object *root = json_tokener_parse(json);
			struct json_object_iterator it = json_object_iter_begin(root);

			assert_non_null(root);
			snprintf(want, sizeof(want), "%s/1", kinds[k]);
			assert_string_equal(json_object_iter_peek_name(&it), "schema");
			assert_string_equal(json_object_get_string(json_object_iter_peek_value(&it)),
					    want);
			assert_false(json_object_object_get_ex(root, "format", NULL));
			assert_false(json_object_object_get_ex(root, "version", NULL));
			/* And reads back, as what the sniffer says it is. */
			if (read_doc(k, json, &err))
				fail_msg("%s: %s\n%s", kinds[k], err.message, json);
			assert_string_equal(mshvcpu_json_format(json, strlen(json)), kinds[k]);
			json_object_put(root);
			free(json);
		}
	}
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(every_reader_keeps_the_convention),
		cmocka_unit_test(refusals_name_what_is_read),
		cmocka_unit_test(the_sniffer_agrees_with_the_readers),
		cmocka_unit_test(writers_put_the_schema_first_and_alone),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
