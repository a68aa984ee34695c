// SPDX-License-Identifier: MIT
/* mshvcpu check-migration --from RECORD --to HOST: yes or no, and why. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static const char help[] =
"Usage: mshvcpu check-migration [OPTIONS] --from RECORD --to HOST\n"
"Can the partition described by RECORD (a partition record, as `mshvcpu\n"
"create -o` writes it) move to HOST (a host record, model, words or spec)?\n"
"Every feature the partition got must be offered by the target, the vendor\n"
"must match, and the target's XSAVE area must hold the source's state. The\n"
"answer lists every reason and the MSRs the differing features bring.\n"
"\n"
"  -f, --from RECORD    the running partition's record\n"
"  -t, --to HOST        the target host\n"
"  -j, --json / -p, --pretty   JSON output\n"
"\n"
"Exit status: 0 migratable, 1 not migratable.\n"
"\n"
"Examples:\n"
"  mshvcpu check-migration --from guest.json --to node42.json\n"
"  mshvcpu check-migration --from guest.json --to mshv-skylake-sp\n";

int cmd_check_migration(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONG,
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ 0 },
	};
	struct mshvcpu_partition_record rec;
	struct mshvcpu_migration_report r;
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host target;
	const char *from = NULL, *to = NULL;
	size_t i;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT "f:t:", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(help, stdout);
			return EXIT_YES;
		}
		if (cli_common_option(cli, opt))
			continue;
		if (opt == 'f')
			from = optarg;
		else if (opt == 't')
			to = optarg;
		else
			return cli_bad_option(cli, "check-migration", argc, argv);
	}
	if (!from || !to || optind != argc)
		return cli_usage(cli, "check-migration", "needs --from RECORD and --to HOST");
	ret = mshvcpu_partition_record_load(from, &rec, &err);
	if (ret)
		return cli_fail_lib(cli, EXIT_RUNTIME, "check-migration", &err, ret);
	ret = load_set_arg(cli, "check-migration", to, rec.revision, &target);
	if (ret) {
		mshvcpu_partition_record_clear(&rec);
		return ret;
	}
	mshvcpu_check_migration(&rec, &target, &r);

	if (cli_json(cli)) {
		struct json_object *doc = json_object_new_object(), *msrs = json_object_new_array();

		for (i = 0; i < r.msr_count; i++) {
			struct json_object *m = json_object_new_object();

			json_object_object_add(m, "index", cli_json_u64(r.msrs[i].index));
			json_object_object_add(m, "name", json_object_new_string(r.msrs[i].name));
			json_object_array_add(msrs, m);
		}
		json_object_object_add(doc, "from", json_object_new_string(from));
		json_object_object_add(doc, "to", json_object_new_string(target.name));
		json_object_object_add(doc, "migratable", json_object_new_boolean(r.ok));
		json_object_object_add(doc, "vendor_mismatch", json_object_new_boolean(r.vendor_mismatch));
		json_object_object_add(doc, "missing",
				       cli_json_features(&r.missing, rec.revision, MSHVCPU_ENABLED));
		json_object_object_add(doc, "unverified",
				       cli_json_features(&r.unverified, rec.revision, MSHVCPU_ENABLED));
		json_object_object_add(doc, "source_xsave_size", r.source_xsave_size ?
				       json_object_new_int64(r.source_xsave_size) : NULL);
		json_object_object_add(doc, "target_xsave_size", r.target_xsave_size ?
				       json_object_new_int64(r.target_xsave_size) : NULL);
		json_object_object_add(doc, "xsave_too_small", json_object_new_boolean(r.xsave_too_small));
		json_object_object_add(doc, "msrs", msrs);
		cli_print_json(cli, "mshvcpu-check-migration/1", doc);
	} else {
		size_t missing = cli_count(&r.missing, rec.revision, MSHVCPU_ENABLED);
		size_t unverified = cli_count(&r.unverified, rec.revision, MSHVCPU_ENABLED);

		cli_kv(cli, 10, "from", "%s (%s, %s)", from, rec.spec,
		       mshvcpu_vendor_name(rec.effective.vendor));
		cli_kv(cli, 10, "to", "%s (%s)", target.name, mshvcpu_vendor_name(target.offered.vendor));
		cli_kv_color(cli, 10, "migratable", r.ok ? C_GREEN : C_RED, "%s",
			     r.ok ? "yes" : "no");
		if (r.vendor_mismatch)
			printf("  - vendor: the partition runs on %s, the target is %s\n",
			       mshvcpu_vendor_name(rec.effective.vendor),
			       mshvcpu_vendor_name(target.offered.vendor));
		if (missing) {
			printf("  - %zu feature%s the partition has, the target does not offer:\n",
			       missing, missing == 1 ? "" : "s");
			cli_print_features(cli, &r.missing, rec.revision, MSHVCPU_ENABLED, "    ");
		}
		if (unverified) {
			printf("  - %zu feature%s the target's record cannot confirm:\n",
			       unverified, unverified == 1 ? "" : "s");
			cli_print_features(cli, &r.unverified, rec.revision, MSHVCPU_ENABLED, "    ");
		}
		if (r.xsave_too_small)
			printf("  - XSAVE: the partition's state is %u bytes, the target holds %u\n",
			       r.source_xsave_size, r.target_xsave_size);
		/* An unknown size on either side: nothing shows the state fits. */
		if (!r.source_xsave_size)
			printf("  - XSAVE: the partition record does not say its XSAVE size\n");
		if (!r.target_xsave_size && r.source_xsave_size)
			printf("  - XSAVE: the target's XSAVE size is unknown (source: %u bytes)\n",
			       r.source_xsave_size);
		else if (!r.target_xsave_size)
			printf("  - XSAVE: the target's XSAVE size is unknown\n");
		if (r.msr_count) {
			printf("  MSRs the differing features bring:");
			for (i = 0; i < r.msr_count; i++)
				printf("%s %s (0x%x)", i ? "," : "", r.msrs[i].name, r.msrs[i].index);
			putchar('\n');
		}
	}
	mshvcpu_partition_record_clear(&rec);
	return r.ok ? EXIT_YES : EXIT_NO;
}
