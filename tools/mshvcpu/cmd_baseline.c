// SPDX-License-Identifier: MIT
/* mshvcpu baseline HOST...: the features every host offers. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The library says what is wrong; the reader says where (cli_fail_lib_at()). */
static int add_host(void *ctx, const struct mshvcpu_host *host, struct mshvcpu_error *err)
{
	return mshvcpu_baseline_add(ctx, host, err);
}

static int cmd_baseline(struct cli *cli, int argc, char **argv)
{
	enum mshvcpu_revision rev = MSHVCPU_REV_DEFAULT;
	struct mshvcpu_baseline b;
	struct host_sink sink = { .host = add_host, .ctx = &b };
	const char *output = NULL;
	char words[128];
	size_t count;
	int opt, ret;

	while ((opt = cli_getopt(cli, &command_baseline, argc, argv)) != CLI_END) {
		switch (opt) {
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_REVISION:
			ret = parse_revision(cli, "baseline", optarg, &rev);
			if (ret)
				return ret;
			break;
		default:
			return cli_stop(opt);
		}
	}
	if (output) {
		ret = cli_output_check(cli, "baseline", output);
		if (ret)
			return ret;
	}
	mshvcpu_baseline_init(&b);
	ret = read_hosts(cli, "baseline", argc - optind, argv + optind, &sink, &count);
	if (ret)
		return ret;
	if (!count)
		return cli_fail(cli, EXIT_RUNTIME, "baseline", "no host records in the input");

	if (output) {
		struct mshvcpu_profile *p;
		char name[64];

		snprintf(name, sizeof(name), "baseline of %zu hosts", count);
		ret = mshvcpu_profile_from_featureset(&b.common, name, rev, &p);
		if (ret)
			return cli_fail(cli, EXIT_RUNTIME, "baseline", "%s: %s", output, strerror(-ret));
		ret = cli_output_profile(cli, "baseline", output, p);
		mshvcpu_profile_free(p);
		if (ret || cli_output_is_stdout(output))
			return ret;
	}
	mshvcpu_featureset_format_words(&b.common, words, sizeof(words));
	if (cli_json(cli)) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "hosts", json_object_new_int64((int64_t)count));
		json_object_object_add(doc, "revision", json_object_new_string(mshvcpu_revision_name(rev)));
		json_object_object_add(doc, "words", cli_json_words(&b.common));
		json_object_object_add(doc, "literal", json_object_new_string(words));
		json_object_object_add(doc, "max_xsave_data_size", b.min_max_xsave_data_size ?
				       json_object_new_int64(b.min_max_xsave_data_size) : NULL);
		json_object_object_add(doc, "count", json_object_new_int64((int64_t)
				       cli_count(&b.common, rev, MSHVCPU_ENABLED)));
		json_object_object_add(doc, "enabled", cli_json_features(&b.common, rev, MSHVCPU_ENABLED));
		json_object_object_add(doc, "unknown", cli_json_features(&b.common, rev, MSHVCPU_UNKNOWN));
		cli_print_json(cli, "mshvcpu-baseline/1", doc);
		return EXIT_YES;
	}
	cli_kv(cli, 9, "hosts", "%zu", count);
	cli_kv(cli, 9, "vendor", "%s", mshvcpu_vendor_name(b.common.vendor));
	cli_kv(cli, 9, "words", "%s", words);
	if (b.min_max_xsave_data_size)
		cli_kv(cli, 9, "xsave", "%u bytes (the smallest host)", b.min_max_xsave_data_size);
	cli_kv(cli, 9, "common", "%zu features", cli_count(&b.common, rev, MSHVCPU_ENABLED));
	cli_print_features(cli, &b.common, rev, MSHVCPU_ENABLED, "  ");
	if (cli_count(&b.common, rev, MSHVCPU_UNKNOWN)) {
		cli_kv(cli, 9, "unknown", "%zu features (some host's record cannot say)",
		       cli_count(&b.common, rev, MSHVCPU_UNKNOWN));
		cli_print_features(cli, &b.common, rev, MSHVCPU_UNKNOWN, "  ");
	}
	if (output)
		cli_kv(cli, 9, "profile", "%s", output);
	return EXIT_YES;
}

static const struct cli_use options[] = {
	{ OPT_OUTPUT, "write the baseline as a profile (JSON, usable as @FILE); - writes it "
		      "to stdout instead of the report" },
	{ OPT_REVISION, "names from REV (default hv-2026)" },
	{ OPT_COUNT, NULL },
};

const struct command command_baseline = {
	.name = "baseline",
	.run = cmd_baseline,
	.summary = "the common features of many hosts",
	.usage = "[OPTIONS] HOST...",
	.about = "The features every host offers: the CPU a guest can have and still move "
		 "between all of them. Refuses hosts of different vendors.\n"
		 "HOST is a host record file, a .jsonl file (JSON Lines: one record per line), a "
		 "directory of .json/.jsonl files (at least one record), a model, literal words, "
		 "a spec, or - for JSON Lines on stdin (also read when no HOST is given and stdin "
		 "is not a terminal). Streams are read one record at a time: memory does not "
		 "grow with their length.",
	.opts = options,
	.after = "Exit status: 0 with a baseline, 1 when the hosts have none (mixed vendors).",
	.examples = (const char *const[]){
		"mshvcpu baseline mshv-skylake-sp mshv-icelake-sp-azure",
		"mshvcpu baseline records/ -o cluster.json && mshvcpu create @cluster.json",
		"cat hosts.jsonl | mshvcpu baseline -j",
		NULL,
	},
};
