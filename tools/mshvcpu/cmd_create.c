// SPDX-License-Identifier: MIT
/* mshvcpu create SPEC: a partition for a profile, and its record. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

static const char help[] =
"Usage: mshvcpu create [OPTIONS] SPEC\n"
"Create a partition for a profile on /dev/mshv - the real device, the\n"
"emulated one under `mshvcpu emu`, or the in-process model with\n"
"--in-process - set bank 2 as an early property when the profile constrains\n"
"it, initialize it, and print its record: what was asked, the masks sent,\n"
"what the partition got, and every requested feature the host dropped.\n"
"The partition is deleted when the command exits; the record remains.\n"
"\n"
"  -P, --policy POLICY  forward-compatible (default) or migration-safe\n"
"  -r, --revision REV   the header revision whose names are known (default hv-2026)\n"
"  -F, --flags FLAGS    lapic,x2apic,gpa-super-pages,nested,smt (nested also\n"
"                       enables bank 1's nested_virt)\n"
"      --allow-v1       on a kernel before 6.19, accept the v1 struct (every\n"
"                       feature the host offers) instead of failing\n"
"      --no-initialize  stop before MSHV_INITIALIZE_PARTITION\n"
"  -D, --device PATH    the mshv device (default /dev/mshv)\n"
"  -o, --output FILE    write the partition record (JSON) to FILE, atomically;\n"
"                       - writes it to stdout instead of the report\n"
"      --in-process     use the hypervisor model in this process, with:\n"
MODEL_HELP
"  -j, --json / -p, --pretty   print the partition record as JSON\n"
"\n"
"Examples:\n"
"  mshvcpu create --flags lapic,x2apic x86-64-v3\n"
"  mshvcpu emu --host mshv-icelake-sp-azure -- mshvcpu create -o guest.json @cluster.json\n"
"  mshvcpu create --in-process --kernel v1-only --allow-v1 all\n";

int cmd_create(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONG,
		MODEL_LONG_OPTIONS,
		{ "policy", required_argument, NULL, 'P' },
		{ "revision", required_argument, NULL, 'r' },
		{ "flags", required_argument, NULL, 'F' },
		{ "allow-v1", no_argument, NULL, 0x201 },
		{ "no-initialize", no_argument, NULL, 0x202 },
		{ "device", required_argument, NULL, 'D' },
		{ "output", required_argument, NULL, 'o' },
		{ "in-process", no_argument, NULL, 0x203 },
		{ 0 },
	};
	MSHVCPU_OPTS(mshvcpu_create_opts, opts);
	MSHVCPU_OPTS(mshvcpu_profile_opts, popts);
	struct mshvcpu_partition_record rec;
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p = NULL;
	struct model_opts model = { 0 };
	struct sim *sim = NULL;
	const char *output = NULL;
	bool in_process = false;
	char *json = NULL;
	int opt, ret, fd;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT "P:r:F:D:o:H:k:T:", longopts,
				  NULL)) != -1) {
		if (opt == 'h') {
			fputs(help, stdout);
			return EXIT_YES;
		}
		if (cli_common_option(cli, opt) || model_option(&model, opt, optarg))
			continue;
		switch (opt) {
		case 'P':
			ret = parse_policy(cli, "create", optarg, &opts.policy);
			if (ret)
				return ret;
			break;
		case 'r':
			ret = parse_revision(cli, "create", optarg, &popts.revision);
			if (ret)
				return ret;
			opts.revision = popts.revision;
			break;
		case 'F':
			ret = parse_create_flags(cli, "create", optarg, &opts.flags);
			if (ret)
				return ret;
			break;
		case 0x201:
			opts.allow_v1_fallback = true;
			break;
		case 0x202:
			opts.no_initialize = true;
			break;
		case 'D':
			opts.device = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 0x203:
			in_process = true;
			break;
		default:
			return cli_bad_option(cli, "create", argc, argv);
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
	if (in_process) {
		ret = model_start(cli, "create", &model, &sim);
		if (ret)
			return ret;
		opts.ops = sim_device_ops(sim);
		/* "host" in the spec means the modelled host. */
		popts.host = sim_host(sim);
	}

	ret = mshvcpu_profile_parse(argv[optind], &popts, &p, &err);
	if (ret) {
		ret = cli_fail_lib(cli, cli_spec_status(&err, ret), "create", &err, ret);
		goto out;
	}
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
	if (opts.ops)
		opts.ops->close(opts.ops->ctx, fd);
	else
		close(fd);
	mshvcpu_partition_record_clear(&rec);
out:
	free(json);
	mshvcpu_profile_free(p);
	sim_destroy(sim);
	return ret;
}
