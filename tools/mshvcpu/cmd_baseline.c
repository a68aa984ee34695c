// SPDX-License-Identifier: MIT
/* mshvcpu baseline HOST...: the features every host offers. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
"Usage: mshvcpu baseline [OPTIONS] HOST...\n"
"The features every host offers: the CPU a guest can have and still move\n"
"between all of them. Refuses hosts of different vendors.\n"
"\n"
"HOST is a host record file, a .jsonl file (JSON Lines: one record per\n"
"line), a directory of .json/.jsonl files (at least one record), a model,\n"
"literal words, a spec, or - for JSON Lines on stdin (also read when no HOST\n"
"is given and stdin is not a terminal). Streams are read one record at a\n"
"time: memory does not grow with their length.\n"
"\n"
"  -o, --output FILE    write the baseline as a profile (JSON, usable as @FILE);\n"
"                       - writes it to stdout instead of the report\n"
"  -r, --revision REV   names from REV (default hv-2026)\n"
"  -j, --json / -p, --pretty   JSON output\n"
"\n"
"Exit status: 0 with a baseline, 1 when the hosts have none (mixed vendors).\n"
"\n"
"Examples:\n"
"  mshvcpu baseline mshv-skylake-sp mshv-icelake-sp-azure\n"
"  mshvcpu baseline records/ -o cluster.json && mshvcpu create @cluster.json\n"
"  cat hosts.jsonl | mshvcpu baseline -j\n";

static int add_host(void *ctx, const struct mshvcpu_host *host, const char *source,
		    unsigned int line, struct mshvcpu_error *err)
{
	int ret = mshvcpu_baseline_add(ctx, host, err);

	/* Say where the offending record was. */
	if (ret && err && line) {
		char where[300];

		snprintf(where, sizeof(where), "%s:%u: ", source, line);
		if (strlen(where) + strlen(err->message) < sizeof(err->message)) {
			memmove(err->message + strlen(where), err->message, strlen(err->message) + 1);
			memcpy(err->message, where, strlen(where));
		}
	}
	return ret;
}

int cmd_baseline(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONG,
		{ "output", required_argument, NULL, 'o' },
		{ "revision", required_argument, NULL, 'r' },
		{ 0 },
	};
	enum mshvcpu_revision rev = MSHVCPU_REV_DEFAULT;
	struct mshvcpu_baseline b;
	struct host_sink sink = { .host = add_host, .ctx = &b };
	const char *output = NULL;
	char words[128];
	size_t count;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT "o:r:", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(help, stdout);
			return EXIT_YES;
		}
		if (cli_common_option(cli, opt))
			continue;
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'r':
			ret = parse_revision(cli, "baseline", optarg, &rev);
			if (ret)
				return ret;
			break;
		default:
			return cli_bad_option(cli, "baseline", argc, argv);
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
