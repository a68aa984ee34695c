// SPDX-License-Identifier: MIT
/* mshvcpu features: the catalogue, filtered; and the named models. */
#define _GNU_SOURCE /* strcasestr */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct filter {
	int word;			/* -1: any */
	enum mshvcpu_revision rev;	/* DEFAULT: any */
	bool rev_set;
	bool all;
	const char *pattern;
};

static bool has(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle);
}

static bool matches(const struct mshvcpu_feature *f, const struct filter *flt)
{
	const char *p = flt->pattern;
	char header[96];

	if (flt->word >= 0 && (int)mshvcpu_feature_word(f) != flt->word)
		return false;
	if (flt->rev_set && !mshvcpu_feature_in_revision(f, flt->rev))
		return false;
	if (!flt->all && mshvcpu_feature_kind(f) != MSHVCPU_KIND_FEATURE)
		return false;
	if (!p)
		return true;
	header[0] = '\0';
	mshvcpu_feature_header_name(f, MSHVCPU_REV_LINUX_6_19, header, sizeof(header));
	return has(mshvcpu_feature_name(f), p) || has(header, p) ||
	       has(mshvcpu_feature_linux_flag(f), p) ||
	       has(mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_INTEL), p) ||
	       has(mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_AMD), p) ||
	       has(mshvcpu_feature_description(f), p);
}

static void prereq_list(const struct mshvcpu_feature *f, char *buf, size_t len)
{
	const struct mshvcpu_feature *req[4];
	size_t n = mshvcpu_feature_prereqs(f, req, ARRAY_SIZE(req)), i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "",
					 mshvcpu_feature_name(req[i]));
	if (!n)
		snprintf(buf, len, "-");
}

static void msr_list(const struct mshvcpu_feature *f, char *buf, size_t len)
{
	struct mshvcpu_msr msrs[8];
	size_t n = mshvcpu_feature_msrs(f, msrs, ARRAY_SIZE(msrs)), i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s" CLI_GLUE "(0x%x)", i ? ", " : "",
					 msrs[i].name, msrs[i].index);
	if (!n)
		snprintf(buf, len, "-");
}

static const char *kind_name(enum mshvcpu_feature_kind k)
{
	return k == MSHVCPU_KIND_FEATURE ? "feature" : k == MSHVCPU_KIND_RESERVED ? "reserved" : "test";
}

static struct json_object *location_json(const struct mshvcpu_feature *f,
					 enum mshvcpu_vendor vendor)
{
	static const char *const regs[] = { "eax", "ebx", "ecx", "edx" };
	struct mshvcpu_cpuid_location loc;
	struct json_object *o;

	if (mshvcpu_feature_cpuid(f, vendor, &loc))
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "leaf", cli_json_u64(loc.leaf));
	json_object_object_add(o, "subleaf", cli_json_u64(loc.subleaf));
	json_object_object_add(o, "register", json_object_new_string(regs[loc.reg]));
	json_object_object_add(o, "bit", json_object_new_int((int)loc.bit));
	return o;
}

static struct json_object *feature_json(const struct mshvcpu_feature *f)
{
	struct json_object *o = json_object_new_object(), *arr, *names, *cpuid, *qemu;
	const struct mshvcpu_feature *req[4];
	struct mshvcpu_msr msrs[8];
	char header[96];
	size_t n, i;
	int r;

	json_object_object_add(o, "word",
			       json_object_new_string(mshvcpu_word_name(mshvcpu_feature_word(f))));
	json_object_object_add(o, "bit", json_object_new_int((int)mshvcpu_feature_bit(f)));
	json_object_object_add(o, "name", json_object_new_string(mshvcpu_feature_name(f)));
	json_object_object_add(o, "kind",
			       json_object_new_string(kind_name(mshvcpu_feature_kind(f))));
	json_object_object_add(o, "since",
			       json_object_new_string(mshvcpu_revision_name(mshvcpu_feature_since(f))));
	names = json_object_new_object();
	for (r = MSHVCPU_REV_LINUX_6_19; r < MSHVCPU_REV_COUNT; r++)
		json_object_object_add(names, mshvcpu_revision_name(r),
				       mshvcpu_feature_header_name(f, r, header, sizeof(header)) > 0 ?
				       json_object_new_string(header) : NULL);
	json_object_object_add(o, "header_names", names);
	json_object_object_add(o, "linux_flag", mshvcpu_feature_linux_flag(f) ?
			       json_object_new_string(mshvcpu_feature_linux_flag(f)) : NULL);
	qemu = json_object_new_object();
	json_object_object_add(qemu, "intel", mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_INTEL) ?
			       json_object_new_string(mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_INTEL)) : NULL);
	json_object_object_add(qemu, "amd", mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_AMD) ?
			       json_object_new_string(mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_AMD)) : NULL);
	json_object_object_add(o, "qemu", qemu);
	cpuid = json_object_new_object();
	json_object_object_add(cpuid, "intel", location_json(f, MSHVCPU_VENDOR_INTEL));
	json_object_object_add(cpuid, "amd", location_json(f, MSHVCPU_VENDOR_AMD));
	json_object_object_add(o, "cpuid", cpuid);
	json_object_object_add(o, "arch_capabilities_bit", mshvcpu_feature_arch_cap_bit(f) >= 0 ?
			       json_object_new_int(mshvcpu_feature_arch_cap_bit(f)) : NULL);
	arr = json_object_new_array();
	n = mshvcpu_feature_prereqs(f, req, ARRAY_SIZE(req));
	for (i = 0; i < n; i++)
		json_object_array_add(arr, json_object_new_string(mshvcpu_feature_name(req[i])));
	json_object_object_add(o, "prerequisites", arr);
	arr = json_object_new_array();
	n = mshvcpu_feature_msrs(f, msrs, ARRAY_SIZE(msrs));
	for (i = 0; i < n; i++) {
		struct json_object *m = json_object_new_object();

		json_object_object_add(m, "index", cli_json_u64(msrs[i].index));
		json_object_object_add(m, "name", json_object_new_string(msrs[i].name));
		json_object_array_add(arr, m);
	}
	json_object_object_add(o, "msrs", arr);
	json_object_object_add(o, "xsave_components",
			       cli_json_u64(mshvcpu_feature_xsave_components(f)));
	json_object_object_add(o, "description",
			       json_object_new_string(mshvcpu_feature_description(f)));
	json_object_object_add(o, "note", mshvcpu_feature_note(f) ?
			       json_object_new_string(mshvcpu_feature_note(f)) : NULL);
	return o;
}


static void print_long(struct cli *cli, const struct mshvcpu_feature *f)
{
	char buf[256], loc[64], amd[64];
	int r;

	snprintf(buf, sizeof(buf), "%s%s%s  %s bit %u (%s, since %s)", cli_color(cli, C_BOLD),
		 mshvcpu_feature_name(f), cli_color(cli, C_RESET),
		 mshvcpu_word_name(mshvcpu_feature_word(f)), mshvcpu_feature_bit(f),
		 kind_name(mshvcpu_feature_kind(f)),
		 mshvcpu_revision_name(mshvcpu_feature_since(f)));
	cli_wrap(stdout, 0, 2, buf);
	cli_wrapf(stdout, "  ", 4, "%s", mshvcpu_feature_description(f));
	for (r = MSHVCPU_REV_LINUX_6_19; r < MSHVCPU_REV_COUNT; r++)
		if (mshvcpu_feature_header_name(f, r, buf, sizeof(buf)) > 0)
			cli_wrapf(stdout, "  header ", 4, "(%s): %s", mshvcpu_revision_name(r), buf);
	if (mshvcpu_feature_linux_flag(f))
		cli_wrapf(stdout, "  /proc/cpuinfo: ", 4, "%s", mshvcpu_feature_linux_flag(f));
	if (mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_INTEL) ||
	    mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_AMD))
		cli_wrapf(stdout, "  QEMU/libvirt: ", 4, "%s (intel), %s (amd)",
			  mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_INTEL) ?: "-",
			  mshvcpu_feature_qemu_name(f, MSHVCPU_VENDOR_AMD) ?: "-");
	cli_format_location(f, MSHVCPU_VENDOR_INTEL, loc, sizeof(loc));
	cli_format_location(f, MSHVCPU_VENDOR_AMD, amd, sizeof(amd));
	cli_wrapf(stdout, "  location: ", 4, "%s (intel), %s (amd)", loc, amd);
	if (mshvcpu_feature_vendor_only(f) != MSHVCPU_VENDOR_ANY)
		cli_wrapf(stdout, "  processors: ", 4, "%s only",
			  mshvcpu_vendor_name(mshvcpu_feature_vendor_only(f)));
	prereq_list(f, buf, sizeof(buf));
	cli_wrapf(stdout, "  requires: ", 4, "%s", buf);
	msr_list(f, buf, sizeof(buf));
	cli_wrapf(stdout, "  MSRs: ", 4, "%s", buf);
	if (mshvcpu_feature_note(f))
		cli_wrapf(stdout, "  note: ", 4, "%s", mshvcpu_feature_note(f));
}

static int list_models(struct cli *cli)
{
	static const struct table_col cols[] = {
		{ "NAME", NULL }, { "VENDOR", NULL }, { "DESCRIPTION", NULL },
	};
	struct json_object *arr = json_object_new_array();
	struct table *t = table_new(ARRAY_SIZE(cols), cols);
	struct mshvcpu_model_info m;
	size_t i;

	for (i = 0; mshvcpu_model_at(i, &m) == 0; i++) {
		const char *row[] = { m.name, mshvcpu_vendor_name(m.vendor), m.description };
		struct json_object *o = json_object_new_object();

		table_add(t, row);
		json_object_object_add(o, "name", json_object_new_string(m.name));
		json_object_object_add(o, "vendor",
				       json_object_new_string(mshvcpu_vendor_name(m.vendor)));
		json_object_object_add(o, "description", json_object_new_string(m.description));
		json_object_object_add(o, "provenance", json_object_new_string(m.provenance));
		json_object_array_add(arr, o);
	}
	if (cli_json(cli)) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "models", arr);
		cli_print_json(cli, "mshvcpu-models/1", doc);
	} else {
		json_object_put(arr);
		table_print(cli, t, stdout);
	}
	table_free(t);
	return EXIT_YES;
}

/* -n: one name a line, or with -j one list ("names") under @schema. */
static void print_names(struct cli *cli, const char *schema, struct json_object *names)
{
	size_t i;

	if (cli_json(cli)) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "names", names);
		cli_print_json(cli, schema, doc);
		return;
	}
	for (i = 0; i < json_object_array_length(names); i++)
		puts(json_object_get_string(json_object_array_get_idx(names, i)));
	json_object_put(names);
}

static int list_model_names(struct cli *cli)
{
	struct json_object *names = json_object_new_array();
	struct mshvcpu_model_info m;
	size_t i;

	for (i = 0; mshvcpu_model_at(i, &m) == 0; i++)
		json_object_array_add(names, json_object_new_string(m.name));
	print_names(cli, "mshvcpu-model-names/1", names);
	return EXIT_YES;
}

static int cmd_features(struct cli *cli, int argc, char **argv)
{
	static const struct table_col cols[] = {
		{ "BIT", NULL }, { "NAME", NULL }, { "SINCE", NULL }, { "LOCATION", NULL },
		{ "AMD", "same" }, { "REQUIRES", NULL }, { "DESCRIPTION", NULL },
	};
	/* One location column for the chosen vendor. */
	static const struct table_col vcols[] = {
		{ "BIT", NULL }, { "NAME", NULL }, { "SINCE", NULL }, { "LOCATION", NULL },
		{ "REQUIRES", NULL }, { "DESCRIPTION", NULL },
	};
	struct filter flt = { .word = -1 };
	enum mshvcpu_vendor vendor = MSHVCPU_VENDOR_ANY;
	bool long_form = false, models = false, names_only = false;
	const struct mshvcpu_feature *f;
	struct json_object *arr;
	struct table *t;
	size_t i, shown = 0;
	int opt, ret;

	while ((opt = cli_getopt(cli, &command_features, argc, argv)) != CLI_END) {
		switch (opt) {
		case OPT_WORD: {
			enum mshvcpu_word w;

			if (mshvcpu_word_parse(optarg, &w))
				return cli_usage(cli, "features",
						 "unknown word '%s' (bank0, bank1, bank2, xsave)", optarg);
			flt.word = (int)w;
			break;
		}
		case OPT_REVISION:
			ret = parse_revision(cli, "features", optarg, &flt.rev);
			if (ret)
				return ret;
			flt.rev_set = true;
			break;
		case OPT_VENDOR:
			if (mshvcpu_vendor_parse(optarg, &vendor) ||
			    (vendor != MSHVCPU_VENDOR_INTEL && vendor != MSHVCPU_VENDOR_AMD &&
			     vendor != MSHVCPU_VENDOR_HYGON))
				return cli_usage(cli, "features",
						 "--vendor takes intel, amd or hygon, not '%s'", optarg);
			break;
		case OPT_ALL:
			flt.all = true;
			break;
		case OPT_LONG:
			long_form = true;
			break;
		case OPT_NAMES:
			names_only = true;
			break;
		case OPT_MODELS:
			models = true;
			break;
		default:
			return cli_stop(opt);
		}
	}
	if (optind < argc - 1)
		return cli_usage(cli, "features", "at most one PATTERN");
	if (optind < argc)
		flt.pattern = argv[optind];
	if (models)
		return names_only ? list_model_names(cli) : list_models(cli);

	arr = json_object_new_array();
	t = vendor == MSHVCPU_VENDOR_ANY ? table_new(ARRAY_SIZE(cols), cols) :
					   table_new(ARRAY_SIZE(vcols), vcols);
	for (i = 0; (f = mshvcpu_feature_at(i)); i++) {
		char bit[32], loc[48], amd[48], req[128];

		if (!matches(f, &flt))
			continue;
		shown++;
		if (names_only) {
			json_object_array_add(arr, json_object_new_string(mshvcpu_feature_name(f)));
			continue;
		}
		if (cli_json(cli)) {
			json_object_array_add(arr, feature_json(f));
			continue;
		}
		if (long_form) {
			if (shown > 1)
				putchar('\n');
			print_long(cli, f);
			continue;
		}
		snprintf(bit, sizeof(bit), "%s:%u", mshvcpu_word_name(mshvcpu_feature_word(f)),
			 mshvcpu_feature_bit(f));
		cli_format_location(f, vendor == MSHVCPU_VENDOR_ANY ? MSHVCPU_VENDOR_INTEL : vendor,
				    loc, sizeof(loc));
		prereq_list(f, req, sizeof(req));
		if (vendor == MSHVCPU_VENDOR_ANY) {
			char intel_loc[48];

			/* The AMD column says "same" unless AMD differs. */
			cli_format_location(f, MSHVCPU_VENDOR_AMD, amd, sizeof(amd));
			snprintf(intel_loc, sizeof(intel_loc), "%s", loc);
			if (strcmp(amd, intel_loc) == 0 && strcmp(amd, "-"))
				snprintf(amd, sizeof(amd), "same");
			const char *row[] = { bit, mshvcpu_feature_name(f),
					      mshvcpu_revision_name(mshvcpu_feature_since(f)),
					      loc, amd, req, mshvcpu_feature_description(f) };
			table_add(t, row);
		} else {
			const char *row[] = { bit, mshvcpu_feature_name(f),
					      mshvcpu_revision_name(mshvcpu_feature_since(f)),
					      loc, req, mshvcpu_feature_description(f) };
			table_add(t, row);
		}
	}
	if (names_only) {
		print_names(cli, "mshvcpu-feature-names/1", arr);
		if (!shown && !cli_json(cli))
			cli_note(cli, "features", "nothing matches");
	} else if (cli_json(cli)) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "features", arr);
		cli_print_json(cli, "mshvcpu-features/1", doc);
	} else {
		json_object_put(arr);
		if (!long_form && !names_only && shown)
			table_print(cli, t, stdout);
		if (!shown)
			cli_note(cli, "features", "nothing matches");
	}
	table_free(t);
	return shown ? EXIT_YES : EXIT_NO;
}

static const struct cli_use options[] = {
	{ OPT_WORD, "only bank0, bank1, bank2 or xsave" },
	{ OPT_REVISION, "only bits REV names (linux-6.19, hv-2026)" },
	{ OPT_VENDOR, NULL },
	{ OPT_ALL, NULL },
	{ OPT_LONG, NULL },
	{ OPT_NAMES, "names only: one per line, or with -j a JSON list (scripts, completion)" },
	{ OPT_MODELS, "list the named models (psABI levels, recorded hosts)" },
	{ OPT_COUNT, NULL },
};

const struct command command_features = {
	.name = "features",
	.run = cmd_features,
	.summary = "the feature catalogue: names, CPUID/MSR, prerequisites",
	.usage = "[OPTIONS] [PATTERN]",
	.about = "List the feature bits of the create-partition banks: names, where each shows "
		 "in CPUID or IA32_ARCH_CAPABILITIES, prerequisites, MSRs.",
	.opts = options,
	.after = "PATTERN matches canonical names, header, Linux and QEMU names and "
		 "descriptions (substring, case-insensitive). Exit status 1 when nothing "
		 "matches.",
	.examples = (const char *const[]){
		"mshvcpu features avx512",
		"mshvcpu features --word xsave --revision linux-6.19",
		"mshvcpu features --long cet_ss",
		"mshvcpu features --models",
		NULL,
	},
};
