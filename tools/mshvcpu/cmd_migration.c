// SPDX-License-Identifier: MIT
/* mshvcpu check-migration PARTITION HOST: yes or no, and why. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"


/* Sources that are not partitions: `mshvcpu compare` is the question for them. */
static const struct {
	const char *kind;	/* a record file's (mshvcpu_json_format()); NULL: a model, words or a spec */
	const char *what;
} not_partitions[] = {
	{ "mshvcpu-host", "a host record" },
	{ "mshvcpu-profile", "a profile" },
	{ NULL, "a model, words or a spec" },
};

static int not_a_partition(struct cli *cli, const char *kind, const char *from,
			   const char *to)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(not_partitions); i++) {
		if (kind ? !not_partitions[i].kind || strcmp(kind, not_partitions[i].kind) != 0 :
			   not_partitions[i].kind != NULL)
			continue;
		return cli_fail(cli, EXIT_USAGE, "check-migration",
				"%s is %s, not a partition record (`mshvcpu create -o` writes "
				"one); to ask whether it runs on %s, use 'mshvcpu compare %s %s'",
				from, not_partitions[i].what, to, from, to);
	}
	return -1;
}

/*
 * The source: a partition record file. Other records, models and specs are
 * refused with a pointer to compare; 0, or an exit status after reporting.
 */
static int load_source(struct cli *cli, const char *from, const char *to,
		       struct mshvcpu_partition_record *rec)
{
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host host;
	const char *kind;
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int ret;

	if (stat(from, &st) < 0 || !S_ISREG(st.st_mode)) {
		/* Not a file: a model or words would be a compare question. */
		if (mshvcpu_host_load(from, &host, &err) == 0)
			return not_a_partition(cli, NULL, from, to);
		memset(&err, 0, sizeof(err));
		ret = mshvcpu_partition_record_load(from, rec, &err);
		return ret ? cli_fail_lib(cli, EXIT_RUNTIME, "check-migration", &err, ret) : 0;
	}
	ret = cli_read_file(cli, "check-migration", from, &text, &len);
	if (ret)
		return ret;
	/*
	 * A file of another known kind points to compare; one naming no kind
	 * (an unknown schema, none, not JSON) is the reader's to refuse, with
	 * the place and the reason.
	 */
	kind = mshvcpu_json_format(text, len);
	ret = kind ? not_a_partition(cli, kind, from, to) : -1;
	if (ret < 0) {
		ret = mshvcpu_partition_record_from_json(text, len, from, rec, &err);
		if (ret)
			ret = cli_fail_lib(cli, EXIT_RUNTIME, "check-migration", &err, ret);
	}
	free(text);
	return ret;
}

static int cmd_check_migration(struct cli *cli, int argc, char **argv)
{
	struct mshvcpu_partition_record rec;
	struct mshvcpu_migration_report r;
	struct mshvcpu_host target;
	const char *from = NULL, *to = NULL;
	size_t i;
	int opt, ret;

	while ((opt = cli_getopt(cli, &command_check_migration, argc, argv)) != CLI_END) {
		if (opt == OPT_FROM)
			from = optarg;
		else if (opt == OPT_TO)
			to = optarg;
		else
			return cli_stop(opt);
	}
	/* PARTITION HOST, or what --from and --to leave out, in that order. */
	if (!from && optind < argc)
		from = argv[optind++];
	if (!to && optind < argc)
		to = argv[optind++];
	if (!from || !to || optind != argc)
		return cli_usage(cli, "check-migration",
				 "expected PARTITION HOST (or --from PARTITION --to HOST)");
	ret = load_source(cli, from, to, &rec);
	if (ret)
		return ret;
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
			cli_wrapf(stdout, "  - ", 4, "vendor: the partition runs on %s, the target is %s",
			       mshvcpu_vendor_name(rec.effective.vendor),
			       mshvcpu_vendor_name(target.offered.vendor));
		if (missing) {
			cli_wrapf(stdout, "  - ", 4, "%zu feature%s the partition has, the target does not offer:",
			       missing, missing == 1 ? "" : "s");
			cli_print_features(cli, &r.missing, rec.revision, MSHVCPU_ENABLED, "    ");
		}
		if (unverified) {
			cli_wrapf(stdout, "  - ", 4, "%zu feature%s the target's record cannot confirm:",
			       unverified, unverified == 1 ? "" : "s");
			cli_print_features(cli, &r.unverified, rec.revision, MSHVCPU_ENABLED, "    ");
		}
		if (r.xsave_too_small)
			cli_wrapf(stdout, "  - ", 4, "XSAVE: the partition's state is %u bytes, the target holds %u",
			       r.source_xsave_size, r.target_xsave_size);
		/* An unknown size on either side: nothing shows the state fits. */
		if (!r.source_xsave_size)
			cli_wrapf(stdout, "  - ", 4, "XSAVE: the partition record does not say its XSAVE size");
		if (!r.target_xsave_size && r.source_xsave_size)
			cli_wrapf(stdout, "  - ", 4, "XSAVE: the target's XSAVE size is unknown (source: %u bytes)",
			       r.source_xsave_size);
		else if (!r.target_xsave_size)
			cli_wrapf(stdout, "  - ", 4, "XSAVE: the target's XSAVE size is unknown");
		if (r.msr_count) {
			char *text = NULL;
			size_t size = 0;
			FILE *line = open_memstream(&text, &size);

			if (line) {
				fputs("  MSRs the differing features bring:", line);
				for (i = 0; i < r.msr_count; i++)
					fprintf(line, "%s %s" CLI_GLUE "(0x%x)", i ? "," : "", r.msrs[i].name,
						r.msrs[i].index);
				fclose(line);
				cli_wrap(stdout, 0, 4, text);
			}
			free(text);
		}
	}
	mshvcpu_partition_record_clear(&rec);
	return r.ok ? EXIT_YES : EXIT_NO;
}

static const struct cli_use options[] = {
	{ OPT_FROM, "the running partition's record (as PARTITION)" },
	{ OPT_TO, "the target host (as HOST)" },
	{ OPT_COUNT, NULL },
};

const struct command command_check_migration = {
	.name = "check-migration",
	.run = cmd_check_migration,
	.summary = "can a partition move to a host?",
	.usage = "[OPTIONS] PARTITION HOST",
	.about = "Can the partition described by PARTITION (a partition record, as `mshvcpu "
		 "create -o` writes it) move to HOST (a host record, model, words or spec)? Every "
		 "feature the partition got must be offered by the target, the vendor must match, "
		 "and the target's XSAVE area must hold the source's state. The answer lists "
		 "every reason and the MSRs the differing features bring.\n"
		 "A host record, a profile or a model as PARTITION is refused with the `mshvcpu "
		 "compare` command that answers for it.",
	.opts = options,
	.after = "Exit status: 0 migratable, 1 not migratable.",
	.examples = (const char *const[]){
		"mshvcpu check-migration guest.json node42.json",
		"mshvcpu check-migration --from guest.json --to mshv-skylake-sp",
		NULL,
	},
};
