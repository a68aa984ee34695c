// SPDX-License-Identifier: MIT
/* mshvcpu decode: hex words to feature names; unknown bits named as such. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct decoded_word {
	enum mshvcpu_word word;
	uint64_t value;
};

static void decode_word(struct cli *cli, const struct decoded_word *dw,
			enum mshvcpu_revision rev, bool disabled, struct json_object *arr)
{
	const char *names[64], *unknown_names[64];
	char unknown_buf[64][32], reserved_buf[64][160];
	struct json_object *o, *jn, *ju, *jr;
	size_t n = 0, nu = 0, nr = 0, i;
	unsigned int bit;

	o = json_object_new_object();
	jn = json_object_new_array();
	ju = json_object_new_array();
	jr = json_object_new_array();
	for (bit = 0; bit < 64; bit++) {
		const struct mshvcpu_feature *f;

		if (!(dw->value & (1ULL << bit)))
			continue;
		f = mshvcpu_feature_at_bit(dw->word, bit, rev);
		if (f && mshvcpu_feature_kind(f) == MSHVCPU_KIND_FEATURE) {
			names[n++] = mshvcpu_feature_name(f);
			json_object_array_add(jn, json_object_new_string(mshvcpu_feature_name(f)));
		} else if (f) {
			snprintf(reserved_buf[nr], sizeof(reserved_buf[nr]), "%u (%s%s%s)", bit,
				 mshvcpu_feature_kind(f) == MSHVCPU_KIND_TEST ? "test bit" : "reserved",
				 mshvcpu_feature_note(f) ? ": " : "",
				 mshvcpu_feature_note(f) ? mshvcpu_feature_note(f) : "");
			json_object_array_add(jr, json_object_new_int((int)bit));
			nr++;
		} else {
			snprintf(unknown_buf[nu], sizeof(unknown_buf[nu]), "%u", bit);
			unknown_names[nu] = unknown_buf[nu];
			json_object_array_add(ju, json_object_new_int((int)bit));
			nu++;
		}
	}
	json_object_object_add(o, "word", json_object_new_string(mshvcpu_word_name(dw->word)));
	json_object_object_add(o, "value", cli_json_u64(dw->value));
	json_object_object_add(o, disabled ? "disabled" : "enabled", jn);
	json_object_object_add(o, "unknown_bits", ju);
	json_object_object_add(o, "reserved_bits", jr);
	json_object_array_add(arr, o);
	if (cli_json(cli))
		return;

	printf("%s%s%s 0x%016llx: %zu %s\n", cli_color(cli, C_BOLD),
	       mshvcpu_word_name(dw->word), cli_color(cli, C_RESET),
	       (unsigned long long)dw->value, n, disabled ? "disabled" : "enabled");
	if (n)
		cli_print_wrapped(stdout, 2, names, n);
	if (nu) {
		char line[64 * 4 + 64];
		size_t used;

		used = (size_t)snprintf(line, sizeof(line), "  %sunknown bits in %s:%s",
					cli_color(cli, C_YELLOW), mshvcpu_revision_name(rev),
					cli_color(cli, C_RESET));
		for (i = 0; i < nu && used < sizeof(line); i++)
			used += (size_t)snprintf(line + used, sizeof(line) - used, " %s",
						 unknown_names[i]);
		cli_wrap(stdout, 0, 4, line);
	}
	for (i = 0; i < nr; i++) {
		printf("  %sbit ", cli_color(cli, C_DIM));
		cli_wrap(stdout, 6, 4, reserved_buf[i]);
		/* The colour ends at the next line's start: nothing shows of it there. */
		fputs(cli_color(cli, C_RESET), stdout);
	}
}

static int cmd_decode(struct cli *cli, int argc, char **argv)
{
	static const enum mshvcpu_word positional[] = {
		MSHVCPU_WORD_BANK0, MSHVCPU_WORD_BANK1, MSHVCPU_WORD_XSAVE, MSHVCPU_WORD_BANK2,
	};
	enum mshvcpu_revision rev = MSHVCPU_REV_DEFAULT;
	enum mshvcpu_vendor vendor = MSHVCPU_VENDOR_ANY;
	struct decoded_word words[4];
	struct json_object *arr;
	bool disabled = false;
	int single = -1, opt, ret, nargs;
	size_t nwords = 0, i;

	while ((opt = cli_getopt(cli, &command_decode, argc, argv)) != CLI_END) {
		switch (opt) {
		case OPT_DISABLED:
			disabled = true;
			break;
		case OPT_WORD: {
			enum mshvcpu_word w;

			if (mshvcpu_word_parse(optarg, &w))
				return cli_usage(cli, "decode",
						 "unknown word '%s' (bank0, bank1, bank2, xsave)", optarg);
			single = (int)w;
			break;
		}
		case OPT_REVISION:
			ret = parse_revision(cli, "decode", optarg, &rev);
			if (ret)
				return ret;
			break;
		default:
			return cli_stop(opt);
		}
	}
	nargs = argc - optind;
	if (single >= 0) {
		if (nargs != 1)
			return cli_usage(cli, "decode", "--word takes exactly one hex value");
		words[0].word = (enum mshvcpu_word)single;
		if (mshvcpu_hex_word_parse(argv[optind], strlen(argv[optind]), &words[0].value))
			return cli_usage(cli, "decode", "'%s' is not a 64-bit hex word", argv[optind]);
		nwords = 1;
	} else if (nargs == 1 && strchr(argv[optind], ':')) {
		MSHVCPU_OPTS(mshvcpu_profile_opts, opts, .revision = rev);
		struct mshvcpu_error err = { 0 };
		struct mshvcpu_profile *p;
		const struct mshvcpu_featureset *set;

		ret = mshvcpu_profile_parse(argv[optind], &opts, &p, &err);
		if (ret)
			return cli_fail_lib(cli, EXIT_USAGE, "decode", &err, ret);
		set = mshvcpu_profile_features(p);
		vendor = set->vendor;
		for (i = 0; i < ARRAY_SIZE(positional); i++) {
			if (!set->known[positional[i]])
				continue;
			words[nwords].word = positional[i];
			words[nwords++].value = set->enabled[positional[i]];
		}
		mshvcpu_profile_free(p);
	} else if (nargs >= 3 && nargs <= 4) {
		for (i = 0; i < (size_t)nargs; i++) {
			words[i].word = positional[i];
			if (mshvcpu_hex_word_parse(argv[optind + (int)i], strlen(argv[optind + (int)i]),
						   &words[i].value))
				return cli_usage(cli, "decode", "'%s' is not a 64-bit hex word",
						 argv[optind + (int)i]);
		}
		nwords = (size_t)nargs;
	} else {
		return cli_usage(cli, "decode", "expected VENDOR:BANK0:BANK1:XSAVE[:BANK2], "
				 "BANK0 BANK1 XSAVE [BANK2], or --word WORD VALUE");
	}

	arr = json_object_new_array();
	if (!cli_json(cli))
		printf("%s%s (%s names, %s)%s\n", cli_color(cli, C_DIM),
		       disabled ? "disabled masks" : "enabled words",
		       mshvcpu_revision_name(rev), mshvcpu_vendor_name(vendor),
		       cli_color(cli, C_RESET));
	for (i = 0; i < nwords; i++)
		decode_word(cli, &words[i], rev, disabled, arr);
	if (cli_json(cli)) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "sense",
				       json_object_new_string(disabled ? "disabled" : "enabled"));
		json_object_object_add(doc, "revision",
				       json_object_new_string(mshvcpu_revision_name(rev)));
		json_object_object_add(doc, "vendor",
				       json_object_new_string(mshvcpu_vendor_name(vendor)));
		json_object_object_add(doc, "words", arr);
		cli_print_json(cli, "mshvcpu-decode/1", doc);
	} else {
		json_object_put(arr);
	}
	return EXIT_YES;
}

static const struct cli_use options[] = {
	{ OPT_DISABLED, "the words are disabled masks, as sent to the kernel (pt_cpu_fbanks, "
			"pt_disabled_xsave): 1 = disabled" },
	{ OPT_WORD, "decode a single word of bank0, bank1, bank2 or xsave" },
	{ OPT_REVISION, "names from REV (default hv-2026); set bits REV does not name are "
			"listed as unknown, reserved bits as such" },
	{ OPT_COUNT, NULL },
};

const struct command command_decode = {
	.name = "decode",
	.run = cmd_decode,
	.summary = "hex words to feature names (enabled or --disabled)",
	.usage = "[OPTIONS] WORDS",
	.about = "Name the features set in hex words.\n"
		 "WORDS is VENDOR:BANK0:BANK1:XSAVE[:BANK2] (as `mshvcpu host` prints it), or "
		 "BANK0 BANK1 XSAVE [BANK2] as separate arguments, or one word with --word.",
	.opts = options,
	.examples = (const char *const[]){
		"mshvcpu decode intel:0x2e2a8bfffff7859f:0x000100ae000000f1:0x7fffdf",
		"mshvcpu decode --revision linux-6.19 0x1005f9fffff7859f 0x8f10860063 0x3fff",
		"mshvcpu decode --disabled --word xsave 0xfffffffffffffff8",
		NULL,
	},
};
