// SPDX-License-Identifier: MIT
/*
 * The catalogue against tests/fixtures/feature-bits.tsv (a copy of the
 * reference table): row by row, parsed at run time, so a wrong or missing
 * row in include/hyperv/hv_processor_features.def fails here.
 */
#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <strings.h>

#include "lib_test.h"

struct tsv_row {
	enum mshvcpu_word word;
	unsigned int bit;
	char name[64];
	char kernel_name[64];		/* "" when linux-6.19 does not name it */
	enum mshvcpu_revision since;
	char cpuid_intel[48];
	char cpuid_amd[48];
	char msr[48];
	unsigned int line;
};

static struct tsv_row rows[256];
static size_t nrows;

static int load_tsv(void **state)
{
	char path[4096], line[1024];
	unsigned int lineno = 0;
	FILE *f;

	(void)state;
	source_path(path, sizeof(path), "tests/fixtures/feature-bits.tsv");
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "cannot open %s (MSHVCPU_SOURCE_ROOT unset?)\n", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *col[9] = { 0 }, *p = line, *save = NULL;
		struct tsv_row *r;
		size_t n = 0;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		/* strsep keeps empty columns (the notes column is often empty). */
		while (n < 9 && (col[n] = strsep(&p, "\t")))
			n++;
		(void)save;
		if (n < 8 || nrows == N_ELEMENTS(rows)) {
			fprintf(stderr, "%s:%u: malformed row\n", path, lineno);
			fclose(f);
			return -1;
		}
		r = &rows[nrows++];
		if (mshvcpu_word_parse(col[0], &r->word) ||
		    mshvcpu_revision_parse(col[4], &r->since)) {
			fprintf(stderr, "%s:%u: bad word or revision\n", path, lineno);
			fclose(f);
			return -1;
		}
		r->bit = (unsigned int)strtoul(col[1], NULL, 10);
		snprintf(r->name, sizeof(r->name), "%s", col[2]);
		snprintf(r->kernel_name, sizeof(r->kernel_name), "%s",
			 strcmp(col[3], "-") ? col[3] : "");
		snprintf(r->cpuid_intel, sizeof(r->cpuid_intel), "%s", col[5]);
		snprintf(r->cpuid_amd, sizeof(r->cpuid_amd), "%s", col[6]);
		snprintf(r->msr, sizeof(r->msr), "%s", col[7]);
		r->line = lineno;
	}
	fclose(f);
	return nrows ? 0 : -1;
}

static bool tsv_row_is_reserved(const struct tsv_row *r)
{
	return strcmp(r->name, "reserved") == 0;
}

static bool tsv_row_is_test(const struct tsv_row *r)
{
	return strcmp(r->name, "test_bit") == 0;
}

static const struct mshvcpu_feature *entry_for(const struct tsv_row *r)
{
	const struct mshvcpu_feature *found = NULL;
	size_t i, matches = 0;

	for (i = 0; i < mshvcpu_feature_count(); i++) {
		const struct mshvcpu_feature *f = mshvcpu_feature_at(i);

		if (mshvcpu_feature_word(f) == r->word && mshvcpu_feature_bit(f) == r->bit) {
			found = f;
			matches++;
		}
	}
	if (matches != 1)
		fail_msg("TSV line %u (%s bit %u): %zu catalogue entries", r->line,
			 mshvcpu_word_name(r->word), r->bit, matches);
	return found;
}

/* "0x7.0 EBX[5]" -> leaf 7, subleaf 0, EBX, bit 5. */
static void parse_cpuid(const char *text, struct mshvcpu_cpuid_location *loc)
{
	static const char *const regs[] = { "EAX", "EBX", "ECX", "EDX" };
	char reg[4] = "";
	unsigned int leaf, subleaf, bit, i;

	if (sscanf(text, "%x.%u %3[A-Z][%u]", &leaf, &subleaf, reg, &bit) != 4)
		fail_msg("test bug: cannot parse CPUID location '%s'", text);
	loc->leaf = leaf;
	loc->subleaf = subleaf;
	loc->bit = bit;
	for (i = 0; i < 4; i++)
		if (strcmp(reg, regs[i]) == 0)
			loc->reg = (enum mshvcpu_cpuid_reg)i;
}

static void every_tsv_row_has_exactly_one_entry_with_its_word_bit_and_revision(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nrows; i++) {
		const struct mshvcpu_feature *f = entry_for(&rows[i]);

		if (mshvcpu_feature_since(f) != rows[i].since)
			fail_msg("TSV line %u: %s is named since %s, catalogue says %s",
				 rows[i].line, rows[i].name,
				 mshvcpu_revision_name(rows[i].since),
				 mshvcpu_revision_name(mshvcpu_feature_since(f)));
	}
}

static void every_catalogue_entry_has_a_tsv_row(void **state)
{
	size_t i, k;

	(void)state;
	assert_int_equal(mshvcpu_feature_count(), nrows);
	for (i = 0; i < mshvcpu_feature_count(); i++) {
		const struct mshvcpu_feature *f = mshvcpu_feature_at(i);

		for (k = 0; k < nrows; k++)
			if (rows[k].word == mshvcpu_feature_word(f) &&
			    rows[k].bit == mshvcpu_feature_bit(f))
				break;
		if (k == nrows)
			fail_msg("catalogue entry %s (%s bit %u) is not in the TSV",
				 mshvcpu_feature_name(f), mshvcpu_word_name(mshvcpu_feature_word(f)),
				 mshvcpu_feature_bit(f));
	}
	assert_null(mshvcpu_feature_at(mshvcpu_feature_count()));
}

static void entries_carry_the_tsv_name_and_kind(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nrows; i++) {
		const struct mshvcpu_feature *f = entry_for(&rows[i]);
		const char *name = mshvcpu_feature_name(f);

		if (tsv_row_is_reserved(&rows[i])) {
			assert_int_equal(mshvcpu_feature_kind(f), MSHVCPU_KIND_RESERVED);
			assert_int_equal(strncmp(name, "reserved", 8), 0);
			continue;
		}
		assert_int_equal(mshvcpu_feature_kind(f),
				 tsv_row_is_test(&rows[i]) ? MSHVCPU_KIND_TEST : MSHVCPU_KIND_FEATURE);
		/* Whatever the canonical spelling, the header name must find the entry. */
		if (mshvcpu_feature_find(rows[i].name, rows[i].since) != f)
			fail_msg("TSV line %u: '%s' does not find %s in %s", rows[i].line,
				 rows[i].name, name, mshvcpu_revision_name(rows[i].since));
	}
}

/*
 * The canonical name is the header name without "_support" (the .def file
 * says so), also where the header has it inside the name:
 * hle_support_deprecated is hle_deprecated.
 */
static void canonical_names_are_the_tsv_names(void **state)
{
	size_t i, bad = 0;

	(void)state;
	for (i = 0; i < nrows; i++) {
		const struct mshvcpu_feature *f = entry_for(&rows[i]);

		if (tsv_row_is_reserved(&rows[i]))
			continue;
		char want[128], *at;

		snprintf(want, sizeof(want), "%s", rows[i].name);
		at = strstr(want, "_support");
		if (at)
			memmove(at, at + 8, strlen(at + 8) + 1);
		if (strcmp(mshvcpu_feature_name(f), want) != 0) {
			fprintf(stderr, "# TSV line %u: TSV '%s', catalogue '%s'\n",
				rows[i].line, rows[i].name, mshvcpu_feature_name(f));
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void cpuid_locations_match_the_tsv_on_intel_and_amd(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nrows; i++) {
		const struct mshvcpu_feature *f = entry_for(&rows[i]);
		struct mshvcpu_cpuid_location want, got;
		const char *amd = rows[i].cpuid_amd;

		if (strcmp(rows[i].cpuid_intel, "-") == 0) {
			assert_int_equal(mshvcpu_feature_cpuid(f, MSHVCPU_VENDOR_INTEL, &got), -ENOENT);
		} else {
			parse_cpuid(rows[i].cpuid_intel, &want);
			if (mshvcpu_feature_cpuid(f, MSHVCPU_VENDOR_INTEL, &got) != 0)
				fail_msg("TSV line %u: %s has no Intel CPUID location", rows[i].line,
					 rows[i].name);
			assert_memory_equal(&want, &got, sizeof(want));
		}
		if (strcmp(amd, "-") == 0 || strcmp(amd, "uncontrolled") == 0) {
			assert_int_equal(mshvcpu_feature_cpuid(f, MSHVCPU_VENDOR_AMD, &got), -ENOENT);
			continue;
		}
		if (strcmp(amd, "same") == 0) {
			if (strcmp(rows[i].cpuid_intel, "-") == 0)
				continue;
			parse_cpuid(rows[i].cpuid_intel, &want);
		} else {
			parse_cpuid(amd, &want);
		}
		if (mshvcpu_feature_cpuid(f, MSHVCPU_VENDOR_AMD, &got) != 0)
			fail_msg("TSV line %u: %s has no AMD CPUID location", rows[i].line,
				 rows[i].name);
		assert_memory_equal(&want, &got, sizeof(want));
		/* Hygon follows AMD. */
		assert_int_equal(mshvcpu_feature_cpuid(f, MSHVCPU_VENDOR_HYGON, &got), 0);
		assert_memory_equal(&want, &got, sizeof(want));
	}
}

static void arch_capabilities_bits_match_the_tsv(void **state)
{
	size_t i, driving = 0;

	(void)state;
	for (i = 0; i < nrows; i++) {
		const struct mshvcpu_feature *f = entry_for(&rows[i]);
		unsigned int bit;

		if (strcmp(rows[i].msr, "-") == 0) {
			assert_int_equal(mshvcpu_feature_arch_cap_bit(f), -1);
			continue;
		}
		if (sscanf(strstr(rows[i].msr, " bit "), " bit %u", &bit) != 1)
			fail_msg("test bug: msr column '%s'", rows[i].msr);
		assert_int_equal(mshvcpu_feature_arch_cap_bit(f), (int)bit);
		driving++;
	}
	/* Reference section 5: 14 bank bits drive IA32_ARCH_CAPABILITIES. */
	assert_int_equal(driving, 14);
}

static void linux_6_19_header_names_are_the_kernel_fields(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nrows; i++) {
		const struct mshvcpu_feature *f = entry_for(&rows[i]);
		char want[96], got[96];
		int n;

		n = mshvcpu_feature_header_name(f, MSHVCPU_REV_LINUX_6_19, got, sizeof(got));
		if (!rows[i].kernel_name[0]) {
			assert_int_equal(n, -ENOENT);
			continue;
		}
		/* Upstream hvhdk.h: "<name>_support : 1" for features, a bare
		 * "reserved_bank0 : 1" for the reserved bit. */
		if (tsv_row_is_reserved(&rows[i]) || strstr(rows[i].kernel_name, "_support"))
			snprintf(want, sizeof(want), "%s", rows[i].kernel_name);
		else
			snprintf(want, sizeof(want), "%s_support", rows[i].kernel_name);
		assert_int_equal(n, (int)strlen(want));
		if (strcmp(got, want) != 0)
			fail_msg("TSV line %u: linux-6.19 header name '%s', expected '%s'",
				 rows[i].line, got, want);
	}
}

static void hv_2026_header_names_are_the_hypervisor_fields(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nrows; i++) {
		const struct mshvcpu_feature *f = entry_for(&rows[i]);
		char want[96], got[96];
		int n;

		if (tsv_row_is_reserved(&rows[i]))
			continue;
		n = mshvcpu_feature_header_name(f, MSHVCPU_REV_HV_2026, got, sizeof(got));
		if (strstr(rows[i].name, "_support"))
			snprintf(want, sizeof(want), "%s", rows[i].name);
		else
			snprintf(want, sizeof(want), "%s_support", rows[i].name);
		assert_int_equal(n, (int)strlen(want));
		if (strcmp(got, want) != 0)
			fail_msg("TSV line %u: hv-2026 header name '%s', expected '%s'",
				 rows[i].line, got, want);
	}
}

static void header_name_reports_the_length_it_needs_when_truncated(void **state)
{
	char small[4];
	int n;

	(void)state;
	n = mshvcpu_feature_header_name(feat("amd3d_now"), MSHVCPU_REV_LINUX_6_19,
					small, sizeof(small));
	assert_int_equal(n, (int)strlen("amd3dnow_support"));
	assert_string_equal(small, "amd");
}

static void lookup_by_bit_follows_the_revision(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nrows; i++) {
		const struct mshvcpu_feature *f = entry_for(&rows[i]);
		const struct mshvcpu_feature *old =
			mshvcpu_feature_at_bit(rows[i].word, rows[i].bit, MSHVCPU_REV_LINUX_6_19);

		assert_ptr_equal(mshvcpu_feature_at_bit(rows[i].word, rows[i].bit,
							MSHVCPU_REV_HV_2026), f);
		assert_ptr_equal(mshvcpu_feature_at_bit(rows[i].word, rows[i].bit,
							MSHVCPU_REV_DEFAULT), f);
		if (rows[i].since == MSHVCPU_REV_LINUX_6_19)
			assert_ptr_equal(old, f);
		else if (old)
			fail_msg("%s bit %u is unknown in linux-6.19 but the catalogue answers %s",
				 mshvcpu_word_name(rows[i].word), rows[i].bit,
				 mshvcpu_feature_name(old));
	}
}

static void bits_a_revision_does_not_name_are_unknown(void **state)
{
	static const struct {
		enum mshvcpu_word word;
		unsigned int bit;
		enum mshvcpu_revision rev;
		bool known;
	} cases[] = {
		{ MSHVCPU_WORD_BANK1, 21, MSHVCPU_REV_LINUX_6_19, true },
		{ MSHVCPU_WORD_BANK1, 22, MSHVCPU_REV_LINUX_6_19, false },
		{ MSHVCPU_WORD_BANK1, 30, MSHVCPU_REV_LINUX_6_19, false },
		{ MSHVCPU_WORD_BANK1, 30, MSHVCPU_REV_HV_2026, true },
		{ MSHVCPU_WORD_BANK1, 63, MSHVCPU_REV_LINUX_6_19, false },
		{ MSHVCPU_WORD_BANK1, 63, MSHVCPU_REV_HV_2026, true },
		{ MSHVCPU_WORD_XSAVE, 2, MSHVCPU_REV_LINUX_6_19, true },
		{ MSHVCPU_WORD_XSAVE, 5, MSHVCPU_REV_LINUX_6_19, false },
		{ MSHVCPU_WORD_XSAVE, 5, MSHVCPU_REV_HV_2026, true },
		{ MSHVCPU_WORD_XSAVE, 40, MSHVCPU_REV_HV_2026, true },
		{ MSHVCPU_WORD_XSAVE, 41, MSHVCPU_REV_HV_2026, false },
		{ MSHVCPU_WORD_XSAVE, 63, MSHVCPU_REV_HV_2026, false },
		{ MSHVCPU_WORD_BANK0, 63, MSHVCPU_REV_LINUX_6_19, true },
		{ MSHVCPU_WORD_BANK2, 0, MSHVCPU_REV_HV_2026, true },
		{ MSHVCPU_WORD_BANK2, 12, MSHVCPU_REV_HV_2026, true },
		{ MSHVCPU_WORD_BANK2, 13, MSHVCPU_REV_HV_2026, false },
		{ MSHVCPU_WORD_BANK0, 64, MSHVCPU_REV_HV_2026, false },
		{ MSHVCPU_WORD_COUNT, 0, MSHVCPU_REV_HV_2026, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		const struct mshvcpu_feature *f =
			mshvcpu_feature_at_bit(cases[i].word, cases[i].bit, cases[i].rev);

		if ((f != NULL) != cases[i].known)
			fail_msg("case %zu: word %d bit %u in %s: expected %s", i, cases[i].word,
				 cases[i].bit, mshvcpu_revision_name(cases[i].rev),
				 cases[i].known ? "known" : "unknown");
	}
}

static void bank2_is_entirely_unknown_in_linux_6_19(void **state)
{
	unsigned int bit;

	(void)state;
	for (bit = 0; bit < 64; bit++)
		assert_null(mshvcpu_feature_at_bit(MSHVCPU_WORD_BANK2, bit,
						   MSHVCPU_REV_LINUX_6_19));
}

static void names_of_later_revisions_are_not_found_in_earlier_ones(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nrows; i++) {
		const struct mshvcpu_feature *f;

		if (rows[i].since != MSHVCPU_REV_HV_2026 || tsv_row_is_reserved(&rows[i]))
			continue;
		f = mshvcpu_feature_find(rows[i].name, MSHVCPU_REV_LINUX_6_19);
		if (f)
			fail_msg("'%s' (hv-2026) is found in linux-6.19 as %s", rows[i].name,
				 mshvcpu_feature_name(f));
		f = mshvcpu_feature_find_any(rows[i].name);
		assert_non_null(f);
		assert_int_equal(mshvcpu_feature_since(f), MSHVCPU_REV_HV_2026);
	}
}

static void lookup_accepts_every_documented_spelling(void **state)
{
	static const struct {
		const char *spelling;
		enum mshvcpu_revision rev;
		const char *canonical;	/* NULL: not found */
	} cases[] = {
		{ "sse4_1", MSHVCPU_REV_LINUX_6_19, "sse4_1" },
		{ "SSE4_1", MSHVCPU_REV_LINUX_6_19, "sse4_1" },
		{ "sse4-1", MSHVCPU_REV_LINUX_6_19, "sse4_1" },
		{ "sse4_1_support", MSHVCPU_REV_LINUX_6_19, "sse4_1" },
		{ "sse4.1", MSHVCPU_REV_LINUX_6_19, "sse4_1" },		/* QEMU */
		{ "pni", MSHVCPU_REV_LINUX_6_19, "sse3" },		/* /proc/cpuinfo */
		{ "amd3dnow", MSHVCPU_REV_LINUX_6_19, "amd3d_now" },	/* 6.19 header */
		{ "amd3dnow_support", MSHVCPU_REV_LINUX_6_19, "amd3d_now" },
		{ "l1dcache_flush", MSHVCPU_REV_LINUX_6_19, "l1d_cache_flush" },
		{ "acount_mcount", MSHVCPU_REV_HV_2026, "a_count_m_count" },
		{ "md_clear", MSHVCPU_REV_LINUX_6_19, "mb_clear" },	/* /proc/cpuinfo */
		{ "avx2", MSHVCPU_REV_HV_2026, "avx2" },
		{ "avx2", MSHVCPU_REV_LINUX_6_19, NULL },
		{ "avx2", MSHVCPU_REV_DEFAULT, "avx2" },
		{ "lass", MSHVCPU_REV_HV_2026, "lass" },
		{ "lass", MSHVCPU_REV_LINUX_6_19, NULL },
		{ "", MSHVCPU_REV_HV_2026, NULL },
		{ "no_such_feature", MSHVCPU_REV_HV_2026, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		const struct mshvcpu_feature *f = mshvcpu_feature_find(cases[i].spelling,
								       cases[i].rev);

		if (!cases[i].canonical) {
			if (f)
				fail_msg("'%s' in %s found %s, expected nothing", cases[i].spelling,
					 mshvcpu_revision_name(cases[i].rev), mshvcpu_feature_name(f));
			continue;
		}
		if (!f || strcmp(mshvcpu_feature_name(f), cases[i].canonical) != 0)
			fail_msg("'%s' in %s: expected %s, got %s", cases[i].spelling,
				 mshvcpu_revision_name(cases[i].rev), cases[i].canonical,
				 f ? mshvcpu_feature_name(f) : "nothing");
	}
	assert_null(mshvcpu_feature_find(NULL, MSHVCPU_REV_HV_2026));
}

static void canonical_names_are_unique_and_never_shadowed(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < mshvcpu_feature_count(); i++) {
		const struct mshvcpu_feature *f = mshvcpu_feature_at(i);

		for (k = i + 1; k < mshvcpu_feature_count(); k++)
			assert_string_not_equal(mshvcpu_feature_name(f),
						mshvcpu_feature_name(mshvcpu_feature_at(k)));
		assert_ptr_equal(mshvcpu_feature_find(mshvcpu_feature_name(f),
						      mshvcpu_feature_since(f)), f);
		assert_ptr_equal(mshvcpu_feature_find_any(mshvcpu_feature_name(f)), f);
	}
}

static void table_is_in_word_and_bit_order(void **state)
{
	static const enum mshvcpu_word order[] = {
		MSHVCPU_WORD_BANK0, MSHVCPU_WORD_BANK1, MSHVCPU_WORD_BANK2, MSHVCPU_WORD_XSAVE,
	};
	size_t i, w = 0;
	unsigned int expect_bit = 0;

	(void)state;
	for (i = 0; i < mshvcpu_feature_count(); i++) {
		const struct mshvcpu_feature *f = mshvcpu_feature_at(i);

		if (mshvcpu_feature_word(f) != order[w]) {
			w++;
			expect_bit = 0;
			assert_true(w < N_ELEMENTS(order));
			assert_int_equal(mshvcpu_feature_word(f), order[w]);
		}
		assert_int_equal(mshvcpu_feature_bit(f), expect_bit);
		expect_bit++;
	}
}

/* The bits whose meaning moved between headers (reference section 5). */
static void reassigned_bits_are_represented_honestly(void **state)
{
	const struct mshvcpu_feature *b1_61 =
		mshvcpu_feature_at_bit(MSHVCPU_WORD_BANK1, 61, MSHVCPU_REV_HV_2026);
	const struct mshvcpu_feature *b1_62 =
		mshvcpu_feature_at_bit(MSHVCPU_WORD_BANK1, 62, MSHVCPU_REV_HV_2026);
	const struct mshvcpu_feature *b1_63 =
		mshvcpu_feature_at_bit(MSHVCPU_WORD_BANK1, 63, MSHVCPU_REV_HV_2026);
	const struct mshvcpu_feature *lass = mshvcpu_feature_find("lass", MSHVCPU_REV_HV_2026);

	(void)state;
	/* LASS: bank 1 bit 61 in one header, bank 2 bit 5 in another. */
	assert_non_null(lass);
	assert_int_equal(mshvcpu_feature_word(lass), MSHVCPU_WORD_BANK2);
	assert_int_equal(mshvcpu_feature_bit(lass), 5);
	assert_non_null(b1_61);
	assert_int_equal(mshvcpu_feature_kind(b1_61), MSHVCPU_KIND_RESERVED);
	assert_non_null(mshvcpu_feature_note(b1_61));
	assert_non_null(strcasestr(mshvcpu_feature_note(b1_61), "lass"));
	assert_non_null(b1_62);
	assert_int_equal(mshvcpu_feature_kind(b1_62), MSHVCPU_KIND_RESERVED);
	assert_non_null(mshvcpu_feature_note(b1_62));
	/* Bit 63 has been msr_list and is tsa_fill_no now; msr_list lives in bank 2. */
	assert_non_null(b1_63);
	assert_string_equal(mshvcpu_feature_name(b1_63), "tsa_fill_no");
	assert_non_null(mshvcpu_feature_note(b1_63));
	assert_int_equal(mshvcpu_feature_word(feat("msr_list")), MSHVCPU_WORD_BANK2);
	/* Bank 2 bit 12 is a test bit, not a feature. */
	assert_int_equal(mshvcpu_feature_kind(mshvcpu_feature_at_bit(MSHVCPU_WORD_BANK2, 12,
								     MSHVCPU_REV_HV_2026)),
			 MSHVCPU_KIND_TEST);
}

static bool needs(const struct mshvcpu_feature *f, const struct mshvcpu_feature *req, int depth)
{
	const struct mshvcpu_feature *direct[8];
	size_t n, i;

	if (depth > 8)
		return false;
	n = mshvcpu_feature_prereqs(f, direct, N_ELEMENTS(direct));
	for (i = 0; i < n && i < N_ELEMENTS(direct); i++)
		if (direct[i] == req || needs(direct[i], req, depth + 1))
			return true;
	return false;
}

/* Reference section 5: xsave-word bits need xsave, avx* need avx, avx512_* need avx512. */
static void prerequisites_follow_the_reference_rules(void **state)
{
	const struct mshvcpu_feature *xsave = feat("xsave"), *avx = feat("avx"),
				     *avx512 = feat("avx512");
	size_t i;

	(void)state;
	for (i = 0; i < mshvcpu_feature_count(); i++) {
		const struct mshvcpu_feature *f = mshvcpu_feature_at(i);
		const char *name = mshvcpu_feature_name(f);

		if (mshvcpu_feature_word(f) == MSHVCPU_WORD_XSAVE && f != xsave &&
		    !needs(f, xsave, 0))
			fail_msg("%s does not need xsave", name);
		if (strncmp(name, "avx", 3) == 0 && f != avx && !needs(f, avx, 0))
			fail_msg("%s does not need avx", name);
		if (strncmp(name, "avx512_", 7) == 0 && !needs(f, avx512, 0))
			fail_msg("%s does not need avx512", name);
		assert_false(needs(f, f, 0));
	}
	assert_int_equal(mshvcpu_feature_prereqs(xsave, NULL, 0), 0);
}

/* Reference section 5: the MSRs features bring to a guest. */
static void features_name_the_msrs_they_bring(void **state)
{
	static const struct {
		const char *feature;
		uint32_t msr;
	} cases[] = {
		{ "cet_ss", 0x6a0 }, { "cet_ss", 0x6a2 }, { "cet_ss", 0x6a4 },
		{ "cet_ss", 0x6a7 }, { "cet_ibt", 0x6a0 }, { "cet_ibt", 0x6a2 },
		{ "rdtscp", 0xc0000103 }, { "rd_pid", 0xc0000103 },
		{ "xsave_supervisor", 0xda0 },
		{ "ibrs", 0x48 }, { "stibp", 0x48 }, { "mdd", 0x48 }, { "psfd", 0x48 },
		{ "mpx", 0xd90 },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		struct mshvcpu_msr msrs[16];
		size_t n = mshvcpu_feature_msrs(feat(cases[i].feature), msrs, N_ELEMENTS(msrs));
		bool found = false;

		for (k = 0; k < n; k++)
			if (msrs[k].index == cases[i].msr) {
				found = true;
				assert_non_null(msrs[k].name);
			}
		if (!found)
			fail_msg("%s does not name MSR 0x%x", cases[i].feature, cases[i].msr);
	}
	assert_int_equal(mshvcpu_feature_msrs(feat("sse3"), NULL, 0), 0);
}

static void xsave_components_follow_the_reference(void **state)
{
	(void)state;
	assert_int_equal(mshvcpu_feature_xsave_components(feat("avx")), 1ULL << 2);
	assert_int_equal(mshvcpu_feature_xsave_components(feat("mpx")), (1ULL << 3) | (1ULL << 4));
	assert_int_equal(mshvcpu_feature_xsave_components(feat("avx512")), 0xe0);
	assert_int_equal(mshvcpu_feature_xsave_components(feat("amx_tile")),
			 (1ULL << 17) | (1ULL << 18));
	assert_int_equal(mshvcpu_feature_xsave_components(feat("sse3")), 0);
}

static void suggestions_offer_near_names_best_first(void **state)
{
	const char *out[4];
	size_t n;

	(void)state;
	n = mshvcpu_feature_suggest("sse4_3", MSHVCPU_REV_HV_2026, out, N_ELEMENTS(out));
	assert_true(n >= 2);
	assert_true((strcmp(out[0], "sse4_1") == 0 && strcmp(out[1], "sse4_2") == 0) ||
		    (strcmp(out[0], "sse4_2") == 0 && strcmp(out[1], "sse4_1") == 0));
	n = mshvcpu_feature_suggest("avx3", MSHVCPU_REV_LINUX_6_19, out, N_ELEMENTS(out));
	assert_true(n >= 1);
	assert_string_equal(out[0], "avx");
	/* Names of a later revision are never suggested. */
	n = mshvcpu_feature_suggest("avx3", MSHVCPU_REV_LINUX_6_19, out, N_ELEMENTS(out));
	while (n--)
		assert_string_not_equal(out[n < N_ELEMENTS(out) ? n : 0], "avx2");
	assert_int_equal(mshvcpu_feature_suggest("zzzzzzzzzzzz", MSHVCPU_REV_HV_2026,
						 out, N_ELEMENTS(out)), 0);
	/* Writes at most max. */
	out[1] = "untouched";
	assert_int_equal(mshvcpu_feature_suggest("sse4_3", MSHVCPU_REV_HV_2026, out, 1), 1);
	assert_string_equal(out[1], "untouched");
}

static void every_entry_has_a_description(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < mshvcpu_feature_count(); i++) {
		const char *d = mshvcpu_feature_description(mshvcpu_feature_at(i));

		assert_non_null(d);
		assert_true(d[0] != '\0');
	}
}

/*
 * The names other tools use: /proc/cpuinfo flags (Linux cpufeatures.h) and
 * QEMU/libvirt feature names, which differ by vendor where QEMU's do.
 */
static void linux_and_qemu_names_are_the_ones_those_tools_print(void **state)
{
	static const struct {
		const char *name, *linux_flag, *qemu_intel, *qemu_amd;
	} names[] = {
		{ "sse3", "pni", "pni", "pni" },
		{ "lahf_sahf", "lahf_lm", "lahf-lm", "lahf-lm" },
		{ "avx512", "avx512f", "avx512f", "avx512f" },
		{ "mb_clear", "md_clear", "md-clear", "md-clear" },
		{ "xsave_comp", "xsavec", "xsavec", "xsavec" },
		{ "nested_virt", "vmx", "vmx", "svm" },
		{ "ibrs", "ibrs", "spec-ctrl", "ibrs" },
		{ "hle_deprecated", NULL, NULL, NULL },
		{ "rdcl_no", NULL, "rdctl-no", "rdctl-no" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(names); i++) {
		const struct mshvcpu_feature *f = mshvcpu_feature_find_any(names[i].name);
		const char *got[3], *want[3] = { names[i].linux_flag, names[i].qemu_intel,
						 names[i].qemu_amd };
		size_t k;

		assert_non_null(f);
		got[0] = mshvcpu_feature_linux_flag(f);
		got[1] = mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_INTEL);
		got[2] = mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_AMD);
		for (k = 0; k < 3; k++)
			if (want[k] ? !got[k] || strcmp(got[k], want[k]) : got[k] != NULL)
				fail_msg("%s: name %zu is %s, want %s", names[i].name, k,
					 got[k] ? got[k] : "NULL", want[k] ? want[k] : "NULL");
	}
}

int main(void)
{
	static const struct known_bug bugs[] = { { "", "" } };
	struct CMUnitTest tests[] = {
		cmocka_unit_test(linux_and_qemu_names_are_the_ones_those_tools_print),
		cmocka_unit_test(every_tsv_row_has_exactly_one_entry_with_its_word_bit_and_revision),
		cmocka_unit_test(every_catalogue_entry_has_a_tsv_row),
		cmocka_unit_test(entries_carry_the_tsv_name_and_kind),
		cmocka_unit_test(canonical_names_are_the_tsv_names),
		cmocka_unit_test(cpuid_locations_match_the_tsv_on_intel_and_amd),
		cmocka_unit_test(arch_capabilities_bits_match_the_tsv),
		cmocka_unit_test(linux_6_19_header_names_are_the_kernel_fields),
		cmocka_unit_test(hv_2026_header_names_are_the_hypervisor_fields),
		cmocka_unit_test(header_name_reports_the_length_it_needs_when_truncated),
		cmocka_unit_test(lookup_by_bit_follows_the_revision),
		cmocka_unit_test(bits_a_revision_does_not_name_are_unknown),
		cmocka_unit_test(bank2_is_entirely_unknown_in_linux_6_19),
		cmocka_unit_test(names_of_later_revisions_are_not_found_in_earlier_ones),
		cmocka_unit_test(lookup_accepts_every_documented_spelling),
		cmocka_unit_test(canonical_names_are_unique_and_never_shadowed),
		cmocka_unit_test(table_is_in_word_and_bit_order),
		cmocka_unit_test(reassigned_bits_are_represented_honestly),
		cmocka_unit_test(prerequisites_follow_the_reference_rules),
		cmocka_unit_test(features_name_the_msrs_they_bring),
		cmocka_unit_test(xsave_components_follow_the_reference),
		cmocka_unit_test(suggestions_offer_near_names_best_first),
		cmocka_unit_test(every_entry_has_a_description),
	};

	return RUN_LIB_TESTS(tests, bugs, load_tsv, NULL);
}
