// SPDX-License-Identifier: MIT
/* Host records (schema "mshvcpu-host/1") and loading hosts by name. */
#include <errno.h>
#include <unistd.h>

#include "lib_test.h"
#include "json.h"

static void full_host(struct mshvcpu_host *h)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "node17");
	snprintf(h->source_detail, sizeof(h->source_detail), "root partition properties");
	h->source = MSHVCPU_SOURCE_HYPERVISOR;
	mshvcpu_featureset_init(&h->offered, MSHVCPU_VENDOR_INTEL);
	h->offered.enabled[MSHVCPU_WORD_BANK0] = 0x2e2a8bfffff7859fULL;
	h->offered.enabled[MSHVCPU_WORD_BANK1] = 0x000100ae000000f1ULL;
	h->offered.enabled[MSHVCPU_WORD_XSAVE] = 0x7fffdfULL;
	h->offered.known[MSHVCPU_WORD_BANK2] = 0;
	h->xsave_states = 0x2e7;
	h->max_xsave_data_size = 2696;
	h->physical_address_width = 46;
}

static void assert_hosts_equal(const struct mshvcpu_host *a, const struct mshvcpu_host *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->source, b->source);
	assert_string_equal(a->source_detail, b->source_detail);
	assert_true(mshvcpu_featureset_equal(&a->offered, &b->offered));
	assert_int_equal(a->xsave_states, b->xsave_states);
	assert_int_equal(a->max_xsave_data_size, b->max_xsave_data_size);
	assert_int_equal(a->physical_address_width, b->physical_address_width);
}

static void host_records_round_trip_exactly(void **state)
{
	struct mshvcpu_host a, b;
	int variant, pretty;

	(void)state;
	for (variant = 0; variant < 3; variant++) {
		for (pretty = 0; pretty <= 1; pretty++) {
			struct mshvcpu_error err = { 0 };
			char *json, *again;

			full_host(&a);
			if (variant == 1) {	/* nothing optional known */
				a.xsave_states = 0;
				a.max_xsave_data_size = 0;
				a.physical_address_width = 0;
				a.source = MSHVCPU_SOURCE_CPUID;
			} else if (variant == 2) {	/* words known in part */
				a.offered.known[MSHVCPU_WORD_BANK1] = 0xffff;
				a.offered.enabled[MSHVCPU_WORD_BANK1] &= 0xffff;
				a.offered.known[MSHVCPU_WORD_BANK2] = ~0ULL;
				a.offered.vendor = MSHVCPU_VENDOR_AMD;
			}
			assert_int_equal(mshvcpu_host_to_json(&a, pretty, &json), 0);
			if (mshvcpu_host_from_json(json, strlen(json), "h.json", 1, &b, &err))
				fail_msg("%s at %u:%u\n%s", err.message, err.line, err.column, json);
			assert_hosts_equal(&a, &b);
			assert_int_equal(mshvcpu_host_to_json(&b, pretty, &again), 0);
			assert_string_equal(json, again);
			free(json);
			free(again);
		}
	}
}

#define HOST_HEAD "{\"format\": \"mshvcpu-host\", \"version\": 1, "
#define OFFERED "\"offered\": {\"bank0\": \"0x1\", \"bank1\": \"0x0\", \"xsave\": \"0x0\"}"

static void bad_host_records_are_refused(void **state)
{
	static const struct {
		const char *text;
		const char *says;
	} cases[] = {
		{ HOST_HEAD OFFERED "}", "vendor" },
		{ HOST_HEAD "\"vendor\": \"intel\"}", "offered" },
		{ HOST_HEAD "\"vendor\": \"intel\", \"source\": \"guess\", " OFFERED "}", "source" },
		{ HOST_HEAD "\"vendor\": \"intel\", \"max_xsave_data_size\": -1, " OFFERED "}",
		  "max_xsave_data_size" },
		{ HOST_HEAD "\"vendor\": \"intel\", \"max_xsave_data_size\": 4294967296, " OFFERED "}",
		  "max_xsave_data_size" },
		{ HOST_HEAD "\"vendor\": \"intel\", \"max_xsave_data_size\": 99999999999999999999999, "
		  OFFERED "}", "max_xsave_data_size" },
		{ HOST_HEAD "\"vendor\": \"intel\", \"max_xsave_data_size\": 2.5, " OFFERED "}",
		  "integer" },
		{ HOST_HEAD "\"vendor\": \"intel\", \"physical_address_width\": 65, " OFFERED "}",
		  "physical_address_width" },
		{ HOST_HEAD "\"vendor\": \"intel\", \"xsave_states\": 7, " OFFERED "}", "xsave_states" },
		{ HOST_HEAD "\"vendor\": \"intel\", \"xsave_states\": \"7\", " OFFERED "}",
		  "xsave_states" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_error err = { 0 };
		struct mshvcpu_host h;
		int ret = mshvcpu_host_from_json(cases[i].text, strlen(cases[i].text), "h", 1, &h,
						 &err);

		if (ret != -EINVAL)
			fail_msg("case %zu returned %d", i, ret);
		if (!strstr(err.message, cases[i].says))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.message, cases[i].says);
		assert_int_equal(err.line, 1);
	}
}

static void defaults_fill_what_a_record_leaves_out(void **state)
{
	static const char text[] = HOST_HEAD "\"vendor\": \"amd\", " OFFERED "}";
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host h;

	(void)state;
	assert_int_equal(mshvcpu_host_from_json(text, strlen(text), "hosts.jsonl", 1, &h, &err), 0);
	assert_string_equal(h.name, "hosts.jsonl");
	assert_int_equal(h.source, MSHVCPU_SOURCE_RECORD);
	assert_int_equal(h.offered.vendor, MSHVCPU_VENDOR_AMD);
	assert_int_equal(h.offered.known[MSHVCPU_WORD_BANK2], 0);
	assert_int_equal(h.max_xsave_data_size, 0);
}

static void errors_in_a_json_lines_stream_count_from_the_first_line(void **state)
{
	static const char text[] = HOST_HEAD "\"vendor\": 3, " OFFERED "}";
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host h;

	(void)state;
	assert_int_equal(mshvcpu_host_from_json(text, strlen(text), "hosts.jsonl", 17, &h, &err),
			 -EINVAL);
	assert_int_equal(err.line, 17);
	assert_string_equal(err.source, "hosts.jsonl");
}

static void hosts_load_from_a_file_a_model_or_words(void **state)
{
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host a, b;
	char path[64], *json;

	(void)state;
	full_host(&a);
	assert_int_equal(mshvcpu_host_to_json(&a, true, &json), 0);
	write_temp(path, sizeof(path), json);
	assert_int_equal(mshvcpu_host_load(path, &b, &err), 0);
	assert_hosts_equal(&a, &b);
	unlink(path);
	free(json);

	assert_int_equal(mshvcpu_host_load("mshv-skylake-sp", &b, &err), 0);
	assert_int_equal(b.source, MSHVCPU_SOURCE_MODEL);
	assert_int_equal(b.offered.vendor, MSHVCPU_VENDOR_INTEL);
	assert_int_equal(b.offered.enabled[MSHVCPU_WORD_BANK0], 0x1005f9fffff7859fULL);
	assert_true(b.source_detail[0] != '\0');

	assert_int_equal(mshvcpu_host_load("amd:0x1:0x2:0x3", &b, &err), 0);
	assert_int_equal(b.offered.vendor, MSHVCPU_VENDOR_AMD);
	assert_int_equal(b.offered.enabled[MSHVCPU_WORD_BANK1], 0x2);

	assert_int_equal(mshvcpu_host_load("/nonexistent-host", &b, &err), -ENOENT);
}

/*
 * The fast path (host_record_fast.c) either steps aside or fills the host
 * exactly as the general path does; and it does take the shapes fleets
 * send, or it would be no faster.
 */
static void fast_path_agrees_with_the_general_path(void **state)
{
	static const struct {
		const char *text;
		bool fast;	/* the fast path takes it */
		bool general;	/* the general path takes it */
	} cases[] = {
		{ "{\"format\":\"mshvcpu-host\",\"version\":1,\"name\":\"n1\",\"source\":\"hypervisor\","
		  "\"source_detail\":\"d\",\"vendor\":\"intel\",\"offered\":{\"bank0\":\"0x2e2a8bfffff7859f\","
		  "\"bank1\":\"0x000100ae000000f1\",\"bank2\":null,\"xsave\":\"0x7fffdf\"},"
		  "\"xsave_states\":\"0x2e7\",\"max_xsave_data_size\":2696,"
		  "\"physical_address_width\":46}", true, true },
		{ " {\n \"version\" : 1 , \"format\" : \"mshvcpu-host\", \"vendor\": \"AMD\",\r\n"
		  "\"offered\": {\"xsave\": \"0X1F\", \"bank1\": {\"enabled\": \"0x1\", \"known\": \"0xF\"},"
		  " \"bank0\": \"0xffffffffffffffff\"}, \"name\": null, \"features\": null }\n", true, true },
		{ "{\"format\":\"mshvcpu-host\",\"version\":1,\"vendor\":\"intel\",\"offered\":"
		  "{\"bank0\":null,\"bank1\":null,\"xsave\":null,\"bank2\":\"0x5\"},\"source\":null,"
		  "\"max_xsave_data_size\":4294967295,\"physical_address_width\":0}", true, true },
		/* "schema" as the writer puts it, first or last. */
		{ "{\"schema\":\"mshvcpu-host/1\",\"name\":\"n1\",\"vendor\":\"intel\","
		  "\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\",\"xsave\":\"0x0\"}}", true, true },
		{ "{\"vendor\":\"amd\",\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\","
		  "\"xsave\":\"0x0\"},\"schema\":\"mshvcpu-host/1\"}", true, true },
		/* Shapes it leaves to the general path, which accepts them. */
		{ "{\"schema\":\"mshvcpu-host/1\",\"format\":\"mshvcpu-host\",\"version\":1,"
		  "\"vendor\":\"intel\",\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\","
		  "\"xsave\":\"0x0\"}}", false, true },
		{ "{\"format\":\"mshvcpu-host\",\"version\":1,\"name\":\"n\\u0041\",\"vendor\":\"intel\","
		  "\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\",\"xsave\":\"0x0\"}}", false, true },
		{ "{\"format\":\"mshvcpu-host\",\"version\":1,\"extra\":[1,2],\"vendor\":\"intel\","
		  "\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\",\"xsave\":\"0x0\"}}", false, true },
		{ "{\"format\":\"mshvcpu-host\",\"version\":1,\"name\":\"n\xc3\xa9\",\"vendor\":\"intel\","
		  "\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\",\"xsave\":\"0x0\"}}", false, true },
		/* And shapes both refuse. */
		{ "{\"schema\":\"mshvcpu-host/2\",\"vendor\":\"intel\","
		  "\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\",\"xsave\":\"0x0\"}}", false, false },
		{ "{\"schema\":\"mshvcpu-host/1\",\"version\":1,\"vendor\":\"intel\","
		  "\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\",\"xsave\":\"0x0\"}}", false, false },
		{ "{\"schema\":\"mshvcpu-host/1\",\"format\":\"mshvcpu-host\",\"version\":2,"
		  "\"vendor\":\"intel\",\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\","
		  "\"xsave\":\"0x0\"}}", false, false },
		{ "{\"vendor\":\"intel\",\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\","
		  "\"xsave\":\"0x0\"}}", false, false },
		{ "{\"format\":\"mshvcpu-host\",\"version\":1,\"vendor\":\"intel\","
		  "\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\"}}", false, false },
		{ "{\"format\":\"mshvcpu-host\",\"version\":01,\"vendor\":\"intel\","
		  "\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\",\"xsave\":\"0x0\"}}", false, false },
		{ "{\"format\":\"mshvcpu-host\",\"version\":1,\"vendor\":\"intel\",\"offered\":{\"bank0\":"
		  "{\"enabled\":\"0x3\",\"known\":\"0x1\"},\"bank1\":\"0x0\",\"xsave\":\"0x0\"}}", false, false },
		{ "{\"format\":\"mshvcpu-host\",\"version\":1,\"vendor\":\"intel\","
		  "\"offered\":{\"bank0\":\"0x10000000000000000\",\"bank1\":\"0x0\",\"xsave\":\"0x0\"}}",
		  false, false },
		{ "{\"format\":\"mshvcpu-host\",\"version\":1,\"vendor\":\"intel\","
		  "\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\",\"xsave\":\"0x0\"}} x", false, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		const char *t = cases[i].text;
		struct json_doc doc = { t, strlen(t), "rec", 1 };
		struct mshvcpu_host fast, general;
		struct mshvcpu_error err = { 0 };
		int f, g;

		memset(&fast, 0, sizeof(fast));
		f = host_from_json_fast(t, strlen(t), "rec", &fast);
		g = host_from_doc(&doc, &general, &err);
		if (f != (cases[i].fast ? 0 : 1))
			fail_msg("case %zu: fast path %s", i, f ? "stepped aside" : "took it");
		if ((g == 0) != cases[i].general)
			fail_msg("case %zu: general path %s", i, g ? err.message : "took it");
		if (f == 0) {
			assert_int_equal(g, 0);
			assert_memory_equal(&fast, &general, sizeof(fast));
		}
	}
}

/*
 * What json_scan.c refuses, the fast path never takes: it steps aside on
 * any escape, control character, repeated member or over-long name, and
 * the general path refuses. (tests/fuzz/fuzz_json.c pins the two paths on
 * arbitrary input.)
 */
static void hostile_records_are_refused_by_both_paths(void **state)
{
#define REC(name, extra) "{\"format\":\"mshvcpu-host\",\"version\":1,\"name\":\"" name "\"," \
	extra "\"vendor\":\"intel\",\"offered\":{\"bank0\":\"0x1\",\"bank1\":\"0x0\",\"xsave\":\"0x0\"}}"
	static const char *const cases[] = {
		REC("n", "\"source_detail\":\"amd\\u0000intel\","),
		REC("n\\u0000", ""),
		REC("n\\nFORGED", ""),
		REC("n\\u001b[2J", ""),
		REC("n\x7f", ""),
		REC("n\x1b[2J", ""),
		REC("n\xc2\x9b", ""),
		REC("n\\ud800", ""),
		REC("n", "\"vendor\":\"amd\","),
		REC("n", "\"name\":\"m\","),
		"{\"format\":\"mshvcpu-host\",\"version\":1,\"vendor\":\"intel\",\"offered\":"
		"{\"bank0\":\"0x1\",\"bank1\":\"0x0\",\"xsave\":\"0x0\",\"xsave\":\"0x1\"}}",
		REC("0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123", ""),
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		const char *t = cases[i];
		struct json_doc doc = { t, strlen(t), "rec", 1 };
		struct mshvcpu_host fast, general;
		struct mshvcpu_error err = { 0 };

		if (host_from_json_fast(t, strlen(t), "rec", &fast) != 1)
			fail_msg("case %zu: the fast path took it", i);
		if (host_from_doc(&doc, &general, &err) != -EINVAL || !err.column)
			fail_msg("case %zu: the general path did not refuse it with a position", i);
		assert_int_equal(mshvcpu_host_from_json(t, strlen(t), "rec", 1, &general, &err),
				 -EINVAL);
	}
#undef REC
}

/* @n bytes of "é" (n even) into @s, as a C string. */
static char *accents(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 2)
		memcpy(s + i, "\xc3\xa9", 2);
	s[n] = '\0';
	return s;
}

static void assert_cut_and_marked(const char *s, size_t field)
{
	size_t len = strlen(s);

	assert_true(len < field);
	assert_int_equal(mshvcpu_utf8_invalid_at(s, len), len);
	assert_true(len >= 3);
	assert_string_equal(s + len - 3, "...");
}

/*
 * Names identify hosts: one longer than the field is refused (and the limit
 * said), never cut. Details are cut between characters and marked "...".
 * A name taken from the source (no "name") is cut the same way. Both paths
 * agree byte for byte.
 */
static void names_are_refused_when_too_long_details_cut_between_characters(void **state)
{
	char name127[127], name128[129], detail[601], text[4096], source[400], *json;
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host h, fast, back;
	size_t cap = sizeof(text);
	int ret;

	(void)state;
	accents(name127, 126);
	accents(name128, 128);
	accents(detail, 600);
	/* 126 bytes + "x": 127 is the limit, and fits. */
	snprintf(text, cap, HOST_HEAD "\"name\": \"%sx\", \"vendor\": \"intel\", " OFFERED "}",
		 name127);
	if ((ret = mshvcpu_host_from_json(text, strlen(text), "h", 1, &h, &err)))
		fail_msg("%d %s", ret, err.message);
	assert_int_equal(strlen(h.name), 127);
	snprintf(text, cap, HOST_HEAD "\"name\": \"%s\", \"vendor\": \"intel\", " OFFERED "}",
		 name128);
	assert_int_equal(mshvcpu_host_from_json(text, strlen(text), "h", 1, &h, &err), -EINVAL);
	assert_non_null(strstr(err.message, "at most 127"));
	assert_int_equal(err.column, strstr(text, "\"name\"") - text + 1);

	snprintf(text, cap, HOST_HEAD "\"source_detail\": \"%s\", \"vendor\": \"intel\", "
		 OFFERED "}", detail);
	assert_int_equal(mshvcpu_host_from_json(text, strlen(text), "h", 1, &h, &err), 0);
	assert_cut_and_marked(h.source_detail, sizeof(h.source_detail));
	/* What was cut writes and reads back unchanged. */
	assert_int_equal(mshvcpu_host_to_json(&h, false, &json), 0);
	assert_int_equal(mshvcpu_host_from_json(json, strlen(json), "h", 1, &back, &err), 0);
	assert_string_equal(back.source_detail, h.source_detail);
	free(json);

	/* No "name": the source names the host, cut the same way on both paths. */
	snprintf(source, sizeof(source), "/records/%s.json", name128);
	snprintf(text, cap, HOST_HEAD "\"vendor\": \"intel\", " OFFERED "}");
	{
		struct json_doc doc = { text, strlen(text), source, 1 };

		assert_int_equal(host_from_json_fast(text, strlen(text), source, &fast), 0);
		assert_int_equal(host_from_doc(&doc, &h, &err), 0);
		assert_memory_equal(&fast, &h, sizeof(h));
		assert_cut_and_marked(h.name, sizeof(h.name));
	}
}

/* Whatever a caller put in a host, what the writer writes reads back. */
static void written_records_read_back_whatever_the_host_holds(void **state)
{
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host a, b;
	char *json;
	size_t i;

	(void)state;
	full_host(&a);
	snprintf(a.name, sizeof(a.name), "node\n\x1b[2J\xff\x7f");
	snprintf(a.source_detail, sizeof(a.source_detail), "tab\there");
	assert_int_equal(mshvcpu_host_to_json(&a, false, &json), 0);
	if (mshvcpu_host_from_json(json, strlen(json), "h", 1, &b, &err))
		fail_msg("%s: %s", json, err.message);
	assert_string_equal(b.name, "node\\n\\x1b[2J\\xff\\x7f");
	assert_string_equal(b.source_detail, "tab\\there");
	free(json);

	/* A name whose escaped form outgrows the field is cut to fit, marked. */
	for (i = 0; i + 1 < sizeof(a.name); i++)
		a.name[i] = '\x1b';
	a.name[i] = '\0';
	assert_int_equal(mshvcpu_host_to_json(&a, true, &json), 0);
	if (mshvcpu_host_from_json(json, strlen(json), "h", 1, &b, &err))
		fail_msg("%s", err.message);
	assert_cut_and_marked(b.name, sizeof(b.name));
	free(json);
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(host_records_round_trip_exactly),
		cmocka_unit_test(fast_path_agrees_with_the_general_path),
		cmocka_unit_test(bad_host_records_are_refused),
		cmocka_unit_test(defaults_fill_what_a_record_leaves_out),
		cmocka_unit_test(errors_in_a_json_lines_stream_count_from_the_first_line),
		cmocka_unit_test(hosts_load_from_a_file_a_model_or_words),
		cmocka_unit_test(hostile_records_are_refused_by_both_paths),
		cmocka_unit_test(names_are_refused_when_too_long_details_cut_between_characters),
		cmocka_unit_test(written_records_read_back_whatever_the_host_holds),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
