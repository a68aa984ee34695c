// SPDX-License-Identifier: MIT
/* Names of the library's enumerations and their parsers; the version. */
#include <errno.h>

#include "lib_test.h"

static void words_have_their_documented_names_and_parse_back(void **state)
{
	static const char *const names[] = { "bank0", "bank1", "bank2", "xsave" };
	enum mshvcpu_word w, parsed;

	(void)state;
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		assert_string_equal(mshvcpu_word_name(w), names[w]);
		assert_int_equal(mshvcpu_word_parse(names[w], &parsed), 0);
		assert_int_equal(parsed, w);
	}
	assert_null(mshvcpu_word_name(MSHVCPU_WORD_COUNT));
	assert_null(mshvcpu_word_name((enum mshvcpu_word)-1));
	assert_int_equal(mshvcpu_word_parse("bank3", &parsed), -EINVAL);
	assert_int_equal(mshvcpu_word_parse(NULL, &parsed), -EINVAL);
}

static void vendors_have_their_documented_names_and_parse_back(void **state)
{
	static const char *const names[] = { "any", "intel", "amd", "hygon", "arm" };
	enum mshvcpu_vendor v, parsed;

	(void)state;
	for (v = 0; v < MSHVCPU_VENDOR_COUNT; v++) {
		assert_string_equal(mshvcpu_vendor_name(v), names[v]);
		assert_int_equal(mshvcpu_vendor_parse(names[v], &parsed), 0);
		assert_int_equal(parsed, v);
	}
	assert_int_equal(mshvcpu_vendor_parse("INTEL", &parsed), 0);
	assert_int_equal(parsed, MSHVCPU_VENDOR_INTEL);
	assert_null(mshvcpu_vendor_name(MSHVCPU_VENDOR_COUNT));
	assert_int_equal(mshvcpu_vendor_parse("cyrix", &parsed), -EINVAL);
	assert_int_equal(mshvcpu_vendor_parse("", &parsed), -EINVAL);
}

static void revisions_have_their_documented_names_and_default_is_the_latest(void **state)
{
	enum mshvcpu_revision parsed;

	(void)state;
	assert_string_equal(mshvcpu_revision_name(MSHVCPU_REV_LINUX_6_19), "linux-6.19");
	assert_string_equal(mshvcpu_revision_name(MSHVCPU_REV_HV_2026), "hv-2026");
	assert_string_equal(mshvcpu_revision_name(MSHVCPU_REV_DEFAULT),
			    mshvcpu_revision_name(MSHVCPU_REV_LATEST));
	assert_int_equal(MSHVCPU_REV_LATEST, MSHVCPU_REV_HV_2026);
	assert_int_equal(mshvcpu_revision_parse("linux-6.19", &parsed), 0);
	assert_int_equal(parsed, MSHVCPU_REV_LINUX_6_19);
	assert_int_equal(mshvcpu_revision_parse("hv-2026", &parsed), 0);
	assert_int_equal(parsed, MSHVCPU_REV_HV_2026);
	assert_int_equal(mshvcpu_revision_parse("linux-6.18", &parsed), -EINVAL);
	assert_non_null(mshvcpu_revision_description(MSHVCPU_REV_LINUX_6_19));
	assert_string_not_equal(mshvcpu_revision_description(MSHVCPU_REV_LINUX_6_19),
				mshvcpu_revision_description(MSHVCPU_REV_HV_2026));
}

static void policies_have_their_documented_names_and_parse_back(void **state)
{
	enum mshvcpu_policy parsed;

	(void)state;
	assert_string_equal(mshvcpu_policy_name(MSHVCPU_POLICY_FORWARD_COMPATIBLE),
			    "forward-compatible");
	assert_string_equal(mshvcpu_policy_name(MSHVCPU_POLICY_MIGRATION_SAFE), "migration-safe");
	assert_null(mshvcpu_policy_name(MSHVCPU_POLICY_COUNT));
	assert_int_equal(mshvcpu_policy_parse("migration-safe", &parsed), 0);
	assert_int_equal(parsed, MSHVCPU_POLICY_MIGRATION_SAFE);
	assert_int_equal(mshvcpu_policy_parse("forward-compatible", &parsed), 0);
	assert_int_equal(parsed, MSHVCPU_POLICY_FORWARD_COMPATIBLE);
	assert_int_equal(mshvcpu_policy_parse("safe", &parsed), -EINVAL);
}

static void sources_and_relations_have_their_documented_names(void **state)
{
	(void)state;
	assert_string_equal(mshvcpu_host_source_name(MSHVCPU_SOURCE_HYPERVISOR), "hypervisor");
	assert_string_equal(mshvcpu_host_source_name(MSHVCPU_SOURCE_CPUID), "cpuid");
	assert_string_equal(mshvcpu_host_source_name(MSHVCPU_SOURCE_RECORD), "record");
	assert_string_equal(mshvcpu_host_source_name(MSHVCPU_SOURCE_MODEL), "model");
	assert_null(mshvcpu_host_source_name(MSHVCPU_SOURCE_COUNT));
	assert_string_equal(mshvcpu_relation_name(MSHVCPU_IDENTICAL), "identical");
	assert_string_equal(mshvcpu_relation_name(MSHVCPU_SUBSET), "subset");
	assert_string_equal(mshvcpu_relation_name(MSHVCPU_SUPERSET), "superset");
	assert_string_equal(mshvcpu_relation_name(MSHVCPU_INCOMPATIBLE), "incompatible");
	assert_null(mshvcpu_relation_name((enum mshvcpu_relation)(MSHVCPU_INCOMPATIBLE + 1)));
}

static void version_number_and_string_agree_with_the_header(void **state)
{
	char want[32];

	(void)state;
	assert_int_equal(mshvcpu_version(), MSHVCPU_VERSION);
	snprintf(want, sizeof(want), "%d.%d.%d", MSHVCPU_VERSION_MAJOR, MSHVCPU_VERSION_MINOR,
		 MSHVCPU_VERSION_PATCH);
	assert_string_equal(mshvcpu_version_string(), want);
	assert_int_equal(MSHVCPU_VERSION_NUMBER(1, 2, 3), 0x010203);
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(words_have_their_documented_names_and_parse_back),
		cmocka_unit_test(vendors_have_their_documented_names_and_parse_back),
		cmocka_unit_test(revisions_have_their_documented_names_and_default_is_the_latest),
		cmocka_unit_test(policies_have_their_documented_names_and_parse_back),
		cmocka_unit_test(sources_and_relations_have_their_documented_names),
		cmocka_unit_test(version_number_and_string_agree_with_the_header),
	};

	return RUN_LIB_TESTS(tests, bugs, NULL, NULL);
}
