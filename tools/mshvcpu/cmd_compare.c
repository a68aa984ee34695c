// SPDX-License-Identifier: MIT
/* mshvcpu compare A B: can A run where B is offered? */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void side(struct cli *cli, const char *label, const struct mshvcpu_featureset *set,
		 enum mshvcpu_revision rev)
{
	size_t n = cli_count(set, rev, MSHVCPU_ENABLED);

	if (!n)
		return;
	cli_kv(cli, 12, label, "%zu", n);
	cli_print_features(cli, set, rev, MSHVCPU_ENABLED, "  ");
}

static int cmd_compare(struct cli *cli, int argc, char **argv)
{
	enum mshvcpu_revision rev = MSHVCPU_REV_DEFAULT;
	struct mshvcpu_comparison c;
	struct mshvcpu_host a, b;
	bool runs;
	int opt, ret;

	while ((opt = cli_getopt(cli, &command_compare, argc, argv)) != CLI_END) {
		if (opt != OPT_REVISION)
			return cli_stop(opt);
		ret = parse_revision(cli, "compare", optarg, &rev);
		if (ret)
			return ret;
	}
	if (argc - optind != 2)
		return cli_usage(cli, "compare", "expected two arguments, A and B");
	if ((ret = load_set_arg(cli, "compare", argv[optind], rev, &a)) ||
	    (ret = load_set_arg(cli, "compare", argv[optind + 1], rev, &b)))
		return ret;

	mshvcpu_compare(&a.offered, &b.offered, &c);
	runs = (c.relation == MSHVCPU_IDENTICAL || c.relation == MSHVCPU_SUBSET) &&
	       !cli_count(&c.uncertain_a, rev, MSHVCPU_ENABLED);

	if (cli_json(cli)) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "a", json_object_new_string(a.name));
		json_object_object_add(doc, "b", json_object_new_string(b.name));
		json_object_object_add(doc, "relation",
				       json_object_new_string(mshvcpu_relation_name(c.relation)));
		json_object_object_add(doc, "vendor_mismatch", json_object_new_boolean(c.vendor_mismatch));
		json_object_object_add(doc, "a_runs_on_b", json_object_new_boolean(runs));
		json_object_object_add(doc, "only_a", cli_json_features(&c.only_a, rev, MSHVCPU_ENABLED));
		json_object_object_add(doc, "only_b", cli_json_features(&c.only_b, rev, MSHVCPU_ENABLED));
		json_object_object_add(doc, "a_unknown_in_b",
				       cli_json_features(&c.uncertain_a, rev, MSHVCPU_ENABLED));
		json_object_object_add(doc, "b_unknown_in_a",
				       cli_json_features(&c.uncertain_b, rev, MSHVCPU_ENABLED));
		cli_print_json(cli, "mshvcpu-compare/1", doc);
		return runs ? EXIT_YES : EXIT_NO;
	}
	cli_kv(cli, 12, "A", "%s (%s, %zu features)", a.name, mshvcpu_vendor_name(a.offered.vendor),
	       cli_count(&a.offered, rev, MSHVCPU_ENABLED));
	cli_kv(cli, 12, "B", "%s (%s, %zu features)", b.name, mshvcpu_vendor_name(b.offered.vendor),
	       cli_count(&b.offered, rev, MSHVCPU_ENABLED));
	cli_kv_color(cli, 12, "relation", runs ? C_GREEN : C_RED, "%s%s",
		     mshvcpu_relation_name(c.relation),
		     c.vendor_mismatch ? " (vendors differ)" : "");
	side(cli, "only in A", &c.only_a, rev);
	side(cli, "only in B", &c.only_b, rev);
	side(cli, "A, unknown in B", &c.uncertain_a, rev);
	side(cli, "B, unknown in A", &c.uncertain_b, rev);
	cli_kv(cli, 12, "verdict", "A %s where B is offered", runs ? "runs" : "cannot run");
	return runs ? EXIT_YES : EXIT_NO;
}

static const struct cli_use options[] = {
	{ OPT_REVISION, "names from REV (default hv-2026)" },
	{ OPT_COUNT, NULL },
};

const struct command command_compare = {
	.name = "compare",
	.run = cmd_compare,
	.summary = "can A run where B is offered?",
	.usage = "[OPTIONS] A B",
	.about = "Compare two feature sets: identical, subset (A offers less: A runs where B is "
		 "offered), superset, or incompatible, with the features on each side. A and B "
		 "are host records, profile or partition-record files (a partition record "
		 "compares by its effective features), models, literal words, or specs.",
	.opts = options,
	.after = "Exit status: 0 when A is identical to or a subset of B and nothing A has is "
		 "unknown in B; 1 otherwise.",
	.examples = (const char *const[]){
		"mshvcpu compare mshv-skylake-sp mshv-icelake-sp-azure",
		"mshvcpu compare x86-64-v3 node17.json",
		"mshvcpu compare guest-record.json whp-epyc-milan-azure",
		NULL,
	},
};
