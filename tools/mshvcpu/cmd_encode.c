// SPDX-License-Identifier: MIT
/* mshvcpu encode SPEC: the disabled masks to send, in the form a VMM needs. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <hyperv/hv_partition.h>

#include "cli.h"

enum format { FMT_WORDS, FMT_STRUCT, FMT_C, FMT_JSON };

static struct json_object *hex_bytes(const unsigned char *b, size_t n)
{
	char buf[2 * 64 + 1];
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(buf + 2 * i, 3, "%02x", b[i]);
	return json_object_new_string(buf);
}

/* The spec inside a C comment: escaped, and no "*" "/" in it can end the comment. */
static void put_in_comment(FILE *f, const char *spec)
{
	char text[8192];
	size_t i;

	mshvcpu_text_escape(text, sizeof(text), spec, strlen(spec));
	for (i = 0; text[i]; i++) {
		fputc(text[i], f);
		if (text[i] == '*' && text[i + 1] == '/')
			fputc('\\', f);
	}
}

/* The command line that gives this initializer, as its comment, wrapped. */
static void c_comment(enum mshvcpu_policy policy, enum mshvcpu_revision rev, const char *spec)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return;
	fprintf(f, "/* mshvcpu encode --policy %s --revision %s '", mshvcpu_policy_name(policy),
		mshvcpu_revision_name(rev));
	put_in_comment(f, spec);
	fputs("'" CLI_GLUE "*/", f);
	fclose(f);
	cli_wrap(stdout, 0, 3, text);
	free(text);
}

static int cmd_encode(struct cli *cli, int argc, char **argv)
{
	static const char *const formats[] = { "words", "struct", "c", "json" };
	MSHVCPU_OPTS(mshvcpu_profile_opts, popts);
	enum mshvcpu_policy policy = MSHVCPU_POLICY_FORWARD_COMPATIBLE;
	enum format fmt = FMT_WORDS;
	struct mshvcpu_violation viol[16];
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p;
	struct mshvcpu_featureset requested;
	MSHVCPU_OPTS(mshvcpu_create_opts, copts);
	struct mshvcpu_create_request req;
	struct mshvcpu_masks m;
	struct mshvcpu_host host;
	unsigned char bytes[64];
	const char *host_arg = NULL;
	unsigned int flags = 0;
	enum mshvcpu_revision rev;
	size_t nviol, i;
	int opt, ret;

	while ((opt = cli_getopt(cli, &command_encode, argc, argv)) != CLI_END) {
		switch (opt) {
		case OPT_POLICY:
			ret = parse_policy(cli, "encode", optarg, &policy);
			if (ret)
				return ret;
			break;
		case OPT_REVISION:
			ret = parse_revision(cli, "encode", optarg, &popts.revision);
			if (ret)
				return ret;
			break;
		case OPT_FORMAT:
			for (i = 0; i < ARRAY_SIZE(formats); i++)
				if (strcmp(optarg, formats[i]) == 0)
					break;
			if (i == ARRAY_SIZE(formats))
				return cli_usage(cli, "encode",
						 "unknown format '%s' (words, struct, c, json)", optarg);
			fmt = (enum format)i;
			break;
		case OPT_FLAGS:
			ret = parse_create_flags(cli, "encode", optarg, &flags);
			if (ret)
				return ret;
			break;
		case OPT_HOST:
			host_arg = optarg;
			break;
		default:
			return cli_stop(opt);
		}
	}
	if (optind != argc - 1)
		return cli_usage(cli, "encode", "expected exactly one SPEC");
	if (cli_json(cli))
		fmt = FMT_JSON;
	if (host_arg) {
		ret = load_set_arg(cli, "encode", host_arg, popts.revision, &host);
		if (ret)
			return ret;
		popts.host = &host;
	}
	ret = mshvcpu_profile_parse(argv[optind], &popts, &p, &err);
	if (ret)
		return cli_fail_lib(cli, cli_spec_status(&err, ret), "encode",
				    &err, ret);
	/* The very request the create flow would send. */
	copts.policy = policy;
	copts.flags = flags;
	ret = mshvcpu_create_request(p, &copts, &req, &err);
	if (ret) {
		ret = cli_fail_lib(cli, EXIT_RUNTIME, "encode", &err, ret);
		mshvcpu_profile_free(p);
		return ret;
	}
	rev = req.revision;
	requested = req.requested;
	m = req.masks;
	memcpy(bytes, req.v2, sizeof(bytes));

	/* Warnings: what the hypervisor would refuse. */
	nviol = mshvcpu_masks_check(&m, host_arg ? &host.offered : NULL, viol, ARRAY_SIZE(viol));
	for (i = 0; i < nviol && i < ARRAY_SIZE(viol); i++)
		cli_warn(cli, "%s stays enabled without its prerequisite %s (%s does not name it "
			 "under %s); the hypervisor would refuse this partition",
			 mshvcpu_feature_name(viol[i].feature), mshvcpu_feature_name(viol[i].missing),
			 mshvcpu_revision_name(rev), mshvcpu_policy_name(policy));
	if (host_arg) {
		const struct mshvcpu_feature *sole[2];

		if (mshvcpu_refusal_warnings(&requested, &host.offered, sole, ARRAY_SIZE(sole)))
			cli_warn(cli, "disabling only %s made real hosts refuse the partition",
				 mshvcpu_feature_name(sole[0]));
	}

	switch (fmt) {
	case FMT_JSON: {
		struct json_object *doc = json_object_new_object(), *banks = json_object_new_array();

		json_object_array_add(banks, cli_json_u64(m.disabled_banks[0]));
		json_object_array_add(banks, cli_json_u64(m.disabled_banks[1]));
		json_object_object_add(doc, "spec", json_object_new_string(mshvcpu_profile_spec(p)));
		json_object_object_add(doc, "policy", json_object_new_string(mshvcpu_policy_name(policy)));
		json_object_object_add(doc, "revision", json_object_new_string(mshvcpu_revision_name(rev)));
		json_object_object_add(doc, "pt_flags", cli_json_u64(req.pt_flags));
		json_object_object_add(doc, "pt_cpu_fbanks", banks);
		json_object_object_add(doc, "pt_disabled_xsave", cli_json_u64(m.disabled_xsave));
		json_object_object_add(doc, "early_bank2", m.set_bank2 ?
				       cli_json_u64(m.disabled_bank2) : NULL);
		json_object_object_add(doc, "struct", hex_bytes(bytes, sizeof(bytes)));
		cli_print_json(cli, "mshvcpu-encode/1", doc);
		break;
	}
	case FMT_STRUCT:
		for (i = 0; i < sizeof(bytes); i++)
			printf("%02x%s", bytes[i], (i % 16 == 15) ? "\n" : (i % 8 == 7) ? "  " : " ");
		if (m.set_bank2)
			printf("# then, before MSHV_INITIALIZE_PARTITION: property 0x%x\n"
			       "# (DISABLED_PROCESSOR_FEATURES_EX) = 0x%llx\n",
			       HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX,
			       (unsigned long long)m.disabled_bank2);
		break;
	case FMT_C:
		c_comment(policy, rev, mshvcpu_profile_spec(p));
		printf("struct mshv_create_partition_v2 args = {\n"
		       "\t.pt_flags = 0x%llxULL,\n"
		       "\t.pt_isolation = MSHV_PT_ISOLATION_NONE,\n"
		       "\t.pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS,\n"
		       "\t.pt_cpu_fbanks = { 0x%016llxULL, 0x%016llxULL },\n"
		       "\t.pt_disabled_xsave = 0x%016llxULL,\n"
		       "};\n",
		       (unsigned long long)req.pt_flags,
		       (unsigned long long)m.disabled_banks[0],
		       (unsigned long long)m.disabled_banks[1],
		       (unsigned long long)m.disabled_xsave);
		if (m.set_bank2)
			printf("/* Before MSHV_INITIALIZE_PARTITION, set partition property 0x%x\n"
			       " * (DISABLED_PROCESSOR_FEATURES_EX) to 0x%016llxULL. */\n",
			       HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX,
			       (unsigned long long)m.disabled_bank2);
		break;
	case FMT_WORDS:
		cli_kv(cli, 18, "policy", "%s (%s names)", mshvcpu_policy_name(policy),
		       mshvcpu_revision_name(rev));
		cli_kv(cli, 18, "pt_flags", "0x%016llx", (unsigned long long)req.pt_flags);
		cli_kv(cli, 18, "pt_cpu_fbanks[0]", "0x%016llx", (unsigned long long)m.disabled_banks[0]);
		cli_kv(cli, 18, "pt_cpu_fbanks[1]", "0x%016llx", (unsigned long long)m.disabled_banks[1]);
		cli_kv(cli, 18, "pt_disabled_xsave", "0x%016llx", (unsigned long long)m.disabled_xsave);
		if (m.set_bank2)
			cli_kv(cli, 18, "early bank 2", "0x%016llx (property 0x%x before initialize)",
			       (unsigned long long)m.disabled_bank2,
			       HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX);
		else
			cli_kv(cli, 18, "early bank 2", "not needed");
		break;
	}
	mshvcpu_profile_free(p);
	return EXIT_YES;
}

static const struct cli_use options[] = {
	{ OPT_POLICY, NULL },
	{ OPT_REVISION, "the header revision whose names you know (default hv-2026)" },
	{ OPT_FORMAT, "words (default), struct, c, json (as -j)" },
	{ OPT_FLAGS, NULL },
	{ OPT_HOST, "check against a host's offer (record, model or words): refusal rules "
		    "seen on real hosts, prerequisites" },
	{ OPT_COUNT, NULL },
};

const struct command command_encode = {
	.name = "encode",
	.run = cmd_encode,
	.summary = "the disabled masks a profile sends to the kernel",
	.usage = "[OPTIONS] SPEC",
	.about = "The disabled masks MSHV_CREATE_PARTITION needs for a profile (and the bank 2 "
		 "early property), as hex words, the 64-byte v2 struct, a C initializer or JSON.",
	.opts = options,
	.examples = (const char *const[]){
		"mshvcpu encode x86-64-v3",
		"mshvcpu encode --policy migration-safe --format c mshv-skylake-sp",
		"mshvcpu encode --format struct --flags lapic,x2apic host,-avx512",
		NULL,
	},
};
