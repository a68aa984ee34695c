// SPDX-License-Identifier: MIT
/* mshvcpu create SPEC: a partition for a profile, and its record. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

static int cmd_create(struct cli *cli, int argc, char **argv)
{
	MSHVCPU_OPTS(mshvcpu_create_opts, opts);
	MSHVCPU_OPTS(mshvcpu_profile_opts, popts);
	struct mshvcpu_partition_record rec;
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p = NULL;
	struct model_opts model = { 0 };
	const char *output = NULL;
	bool in_process = false;
	char *json = NULL;
	int opt, ret, fd;

	while ((opt = cli_getopt(cli, &command_create, argc, argv)) != CLI_END) {
		if (model_option(&model, opt, optarg))
			continue;
		switch (opt) {
		case OPT_POLICY:
			ret = parse_policy(cli, "create", optarg, &opts.policy);
			if (ret)
				return ret;
			break;
		case OPT_REVISION:
			ret = parse_revision(cli, "create", optarg, &popts.revision);
			if (ret)
				return ret;
			opts.revision = popts.revision;
			break;
		case OPT_FLAGS:
			ret = parse_create_flags(cli, "create", optarg, &opts.flags);
			if (ret)
				return ret;
			break;
		case OPT_ALLOW_V1:
			opts.allow_v1_fallback = true;
			break;
		case OPT_NO_INITIALIZE:
			opts.no_initialize = true;
			break;
		case OPT_ENFORCE:
			opts.enforce = true;
			break;
		case OPT_DEVICE:
			opts.device = optarg;
			break;
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_IN_PROCESS:
			in_process = true;
			break;
		default:
			return cli_stop(opt);
		}
	}
	if (optind != argc - 1)
		return cli_usage(cli, "create", "expected exactly one SPEC");
	if (!in_process && (model.host || model.kernel || model.trace))
		return cli_usage(cli, "create", "--host, --kernel and --trace need --in-process "
				 "(or run under `mshvcpu emu`)");
	if (output) {
		ret = cli_output_check(cli, "create", output);
		if (ret)
			return ret;
	}
	/* The model is the emulator's: this command line runs again under it. */
	if (in_process && !model_inside(NULL) && !model_under_emu(&model))
		return model_exec(cli, "create", &model, cli->argv, true);

	ret = mshvcpu_profile_parse(argv[optind], &popts, &p, &err);
	if (ret) {
		ret = cli_fail_lib(cli, cli_spec_status(&err, ret), "create", &err, ret);
		goto out;
	}
	ret = cli_profile_check(cli, "create", p, NULL, NULL, opts.enforce);
	if (ret)
		goto out;
	ret = mshvcpu_partition_create(p, &opts, &fd, &rec, &err);
	if (ret) {
		ret = cli_fail_lib(cli, EXIT_RUNTIME, "create", &err, ret);
		goto out;
	}
	ret = mshvcpu_partition_record_to_json(&rec, output || cli->mode == OUT_JSON_PRETTY, &json);
	if (ret)
		ret = cli_fail(cli, EXIT_RUNTIME, "create", "%s", strerror(-ret));
	else if (output)
		ret = cli_output_write(cli, "create", output, json);
	/* -o -: the record is the output. */
	if (!ret && !(output && cli_output_is_stdout(output))) {
		if (cli_json(cli)) {
			if (output && cli->mode != OUT_JSON_PRETTY) {
				free(json);
				json = NULL;
				ret = mshvcpu_partition_record_to_json(&rec, false, &json);
				if (ret)
					ret = cli_fail(cli, EXIT_RUNTIME, "create", "%s", strerror(-ret));
			}
			if (json)
				puts(json);
		} else {
			print_partition_record(cli, &rec);
			if (output)
				cli_kv(cli, 10, "record", "%s", output);
		}
	}
	/* Closing the last descriptor deletes the partition. */
	close(fd);
	mshvcpu_partition_record_clear(&rec);
out:
	free(json);
	mshvcpu_profile_free(p);
	return ret;
}

static const struct cli_use options[] = {
	{ OPT_POLICY, NULL },
	{ OPT_REVISION, "the header revision whose names are known (default hv-2026)" },
	{ OPT_FLAGS, "lapic,x2apic,gpa-super-pages,nested,smt (nested also enables bank 1's "
		     "nested_virt)" },
	{ OPT_ALLOW_V1, NULL },
	{ OPT_NO_INITIALIZE, NULL },
	{ OPT_ENFORCE, "fail, naming them, unless the partition gets every feature asked for "
		       "(checked against the host's offer first); a profile of the other "
		       "vendor fails even without it" },
	{ OPT_DEVICE, NULL },
	{ OPT_OUTPUT, "write the partition record (JSON) to FILE, atomically; - writes it to "
		      "stdout instead of the report" },
	{ OPT_IN_PROCESS, "use the hypervisor model (the emulator runs this command), with:" },
	MODEL_OPTIONS,
	{ OPT_COUNT, NULL },
};

const struct command command_create = {
	.name = "create",
	.run = cmd_create,
	.summary = "create a partition for a profile on /dev/mshv",
	.usage = "[OPTIONS] SPEC",
	.about = "Create a partition for a profile on /dev/mshv - the real device, the emulated "
		 "one under `mshvcpu emu`, or the in-process model with --in-process - set bank 2 "
		 "as an early property when the profile constrains it, initialize it, and print "
		 "its record: what was asked, the masks sent, what the partition got, and every "
		 "requested feature the host dropped. The partition is deleted when the command "
		 "exits; the record remains. With -j the record is printed as JSON.",
	.opts = options,
	.examples = (const char *const[]){
		"mshvcpu create --flags lapic,x2apic x86-64-v3",
		"mshvcpu emu --host mshv-icelake-sp-azure -- mshvcpu create -o guest.json "
		"@cluster.json",
		"mshvcpu create --in-process --kernel v1-only --allow-v1 all",
		NULL,
	},
};
