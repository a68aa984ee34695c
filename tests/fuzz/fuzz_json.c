// SPDX-License-Identifier: MIT
/*
 * Fuzz target (d): the JSON readers — host records (both paths: the fast
 * one for the common shape and the general one through json-c), profiles
 * and partition records — on arbitrary bytes. The first byte picks the
 * reader; the rest is the document.
 *
 * Invariants: a refusal fills the error detail (its code is the return
 * value, a message, a line and column inside the text); whenever the fast
 * host-record path accepts, the general path accepts too and fills the
 * same bytes; whatever is accepted writes back to JSON that reads to the
 * same value (and writes again to the same text); and what a reader
 * accepts, mshvcpu_json_format() names as that reader's kind.
 */
#include <errno.h>

#include <mshvcpu.h>

#include "fuzz.h"
#include "json.h"

static void check_error(int ret, const struct mshvcpu_error *err, const char *text, size_t len)
{
	unsigned int lines = 1;
	size_t i;

	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	FUZZ_CHECK(ret < 0 && err->code == ret, "returned %d, error code %d", ret, err->code);
	FUZZ_CHECK(err->message[0] != '\0', "no message");
	FUZZ_CHECK(!strchr(err->message, '\n'), "message spans lines: %s", err->message);
	FUZZ_CHECK(err->line <= lines, "line %u of %u", err->line, lines);
}

static void check_kind(const char *text, size_t len, const char *kind)
{
	const char *got = mshvcpu_json_format(text, len);

	FUZZ_CHECK(got && strcmp(got, kind) == 0, "read as %s, sniffed as %s", kind,
		   got ? got : "nothing");
}

static void host_record(const char *text, size_t len)
{
	struct mshvcpu_host fast, general, back;
	struct mshvcpu_error err = { 0 };
	struct json_doc doc = { text, len, "fuzz", 1 };
	char *json = NULL, *again = NULL;
	int f, g;

	memset(&fast, 0, sizeof(fast));
	f = host_from_json_fast(text, len, "fuzz", &fast);
	g = host_from_doc(&doc, &general, &err);
	FUZZ_CHECK(f == 0 || f == 1, "fast path returned %d", f);
	if (f == 0) {
		FUZZ_CHECK(g == 0, "fast path accepted what the general path refuses: %s",
			   err.message);
		FUZZ_CHECK(memcmp(&fast, &general, sizeof(fast)) == 0,
			   "the two paths filled different hosts");
	}
	if (g) {
		check_error(g, &err, text, len);
		return;
	}
	check_kind(text, len, "mshvcpu-host");
	FUZZ_CHECK(mshvcpu_host_to_json(&general, false, &json) == 0, "to_json");
	FUZZ_CHECK(mshvcpu_host_from_json(json, strlen(json), "fuzz", 1, &back, &err) == 0,
		   "%s does not read back: %s", json, err.message);
	FUZZ_CHECK(memcmp(&general, &back, sizeof(back)) == 0, "changed through JSON: %s", json);
	FUZZ_CHECK(mshvcpu_host_to_json(&back, false, &again) == 0 && strcmp(json, again) == 0,
		   "not a fixed point: %s", json);
	free(json);
	free(again);
}

static void profile(const char *text, size_t len)
{
	struct mshvcpu_profile *p = NULL, *back = NULL;
	struct mshvcpu_error err = { 0 };
	char *json = NULL, *again = NULL;
	int ret = mshvcpu_profile_from_json(text, len, "fuzz", &p, &err);

	if (ret) {
		check_error(ret, &err, text, len);
		FUZZ_CHECK(p == NULL, "a refused profile was returned");
		return;
	}
	check_kind(text, len, "mshvcpu-profile");
	FUZZ_CHECK(mshvcpu_profile_to_json(p, false, &json) == 0, "to_json");
	ret = mshvcpu_profile_from_json(json, strlen(json), "fuzz", &back, &err);
	FUZZ_CHECK(ret == 0, "%s does not read back: %s", json, err.message);
	FUZZ_CHECK(mshvcpu_featureset_equal(mshvcpu_profile_features(p),
					    mshvcpu_profile_features(back)),
		   "features changed through JSON: %s", json);
	FUZZ_CHECK(mshvcpu_profile_to_json(back, false, &again) == 0 && strcmp(json, again) == 0,
		   "not a fixed point: %s", json);
	free(json);
	free(again);
	mshvcpu_profile_free(p);
	mshvcpu_profile_free(back);
}

static void partition_record(const char *text, size_t len)
{
	struct mshvcpu_partition_record rec = { 0 }, back = { 0 };
	struct mshvcpu_error err = { 0 };
	char *json = NULL, *again = NULL;
	int ret = mshvcpu_partition_record_from_json(text, len, "fuzz", &rec, &err);

	if (ret) {
		check_error(ret, &err, text, len);
		FUZZ_CHECK(rec.spec == NULL, "a refused record kept its spec");
		return;
	}
	check_kind(text, len, "mshvcpu-partition");
	FUZZ_CHECK(mshvcpu_partition_record_to_json(&rec, false, &json) == 0, "to_json");
	ret = mshvcpu_partition_record_from_json(json, strlen(json), "fuzz", &back, &err);
	FUZZ_CHECK(ret == 0, "%s does not read back: %s", json, err.message);
	FUZZ_CHECK(mshvcpu_partition_record_to_json(&back, false, &again) == 0 &&
		   strcmp(json, again) == 0, "not a fixed point: %s", json);
	FUZZ_CHECK(mshvcpu_featureset_equal(&rec.effective, &back.effective) &&
		   mshvcpu_featureset_equal(&rec.requested, &back.requested) &&
		   memcmp(&rec.masks, &back.masks, sizeof(rec.masks)) == 0,
		   "changed through JSON: %s", json);
	free(json);
	free(again);
	mshvcpu_partition_record_clear(&rec);
	mshvcpu_partition_record_clear(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	size_t len = size ? size - 1 : 0;

	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		host_record(text, len);
		break;
	case 1:
		profile(text, len);
		break;
	default:
		partition_record(text, len);
		break;
	}
	return 0;
}
