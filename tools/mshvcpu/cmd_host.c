// SPDX-License-Identifier: MIT
/* mshvcpu host: what this host offers, and from which source. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int cmd_host(struct cli *cli, int argc, char **argv)
{
	MSHVCPU_OPTS(mshvcpu_probe_opts, opts);
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host host;
	const char *output = NULL;
	char words[128], *json;
	int opt, ret;

	while ((opt = cli_getopt(cli, &command_host, argc, argv)) != CLI_END) {
		switch (opt) {
		case OPT_SOURCE:
			if (strcmp(optarg, "auto") == 0)
				opts.mode = MSHVCPU_PROBE_AUTO;
			else if (strcmp(optarg, "hypervisor") == 0)
				opts.mode = MSHVCPU_PROBE_HYPERVISOR;
			else if (strcmp(optarg, "cpuid") == 0)
				opts.mode = MSHVCPU_PROBE_CPUID;
			else
				return cli_usage(cli, "host",
						 "unknown source '%s' (auto, hypervisor, cpuid)", optarg);
			break;
		case OPT_DEVICE:
			opts.device = optarg;
			break;
		case OPT_OUTPUT:
			output = optarg;
			break;
		default:
			return cli_stop(opt);
		}
	}
	if (optind != argc)
		return cli_usage(cli, "host", "unexpected argument '%s'", argv[optind]);
	if (output) {
		ret = cli_output_check(cli, "host", output);
		if (ret)
			return ret;
	}

	ret = mshvcpu_host_probe(&opts, &host, &err);
	if (ret)
		return cli_fail_lib(cli, EXIT_RUNTIME, "host", &err, ret);

	if (output) {
		/* Files are pretty-printed, as every -o file is. */
		ret = mshvcpu_host_to_json(&host, true, &json);
		if (ret)
			return cli_fail(cli, EXIT_RUNTIME, "host", "%s", strerror(-ret));
		ret = cli_output_write(cli, "host", output, json);
		free(json);
		if (ret || cli_output_is_stdout(output))
			return ret;
	}
	if (cli_json(cli)) {
		/* The host record is the output; like every -j document it names its "schema". */
		ret = mshvcpu_host_to_json(&host, cli->mode == OUT_JSON_PRETTY, &json);
		if (ret)
			return cli_fail(cli, EXIT_RUNTIME, "host", "%s", strerror(-ret));
		puts(json);
		free(json);
		return EXIT_YES;
	}

	mshvcpu_featureset_format_words(&host.offered, words, sizeof(words));
	cli_kv(cli, 9, "host", "%s", host.name);
	cli_kv(cli, 9, "source", "%s: %s", mshvcpu_host_source_name(host.source), host.source_detail);
	cli_kv(cli, 9, "vendor", "%s", mshvcpu_vendor_name(host.offered.vendor));
	cli_kv(cli, 9, "words", "%s", words);
	if (host.max_xsave_data_size)
		cli_kv(cli, 9, "xsave", "%u bytes (components 0x%llx)", host.max_xsave_data_size,
		       (unsigned long long)host.xsave_states);
	if (host.physical_address_width)
		cli_kv(cli, 9, "physical", "%u address bits", host.physical_address_width);
	cli_kv(cli, 9, "offered", "%zu features", cli_count(&host.offered, MSHVCPU_REV_LATEST,
							    MSHVCPU_ENABLED));
	cli_print_features(cli, &host.offered, MSHVCPU_REV_LATEST, MSHVCPU_ENABLED, "  ");
	if (cli_count(&host.offered, MSHVCPU_REV_LATEST, MSHVCPU_UNKNOWN)) {
		cli_kv(cli, 9, "unknown", "%zu features (this source cannot see them)",
		       cli_count(&host.offered, MSHVCPU_REV_LATEST, MSHVCPU_UNKNOWN));
		cli_print_features(cli, &host.offered, MSHVCPU_REV_LATEST, MSHVCPU_UNKNOWN, "  ");
	}
	if (output)
		cli_kv(cli, 9, "record", "%s", output);
	return EXIT_YES;
}

static const struct cli_use options[] = {
	{ OPT_SOURCE, NULL },
	{ OPT_DEVICE, NULL },
	{ OPT_OUTPUT, "write the host record (JSON) to FILE, atomically; - writes it to "
		      "stdout instead of the report" },
	{ OPT_COUNT, NULL },
};

const struct command command_host = {
	.name = "host",
	.run = cmd_host,
	.summary = "what this host offers; write a host record",
	.usage = "[OPTIONS]",
	.about = "Probe this host. On a Microsoft Hypervisor root partition (Linux >= 6.19) the "
		 "hypervisor's own partition properties say what it offers; elsewhere this "
		 "machine's CPUID (and IA32_ARCH_CAPABILITIES when /dev/cpu/0/msr is readable) "
		 "does, and features CPUID cannot show are reported as unknown. The output says "
		 "which source answered; with -j it is the host record itself.",
	.opts = options,
	.examples = (const char *const[]){
		"mshvcpu host",
		"mshvcpu host -o $(hostname).json",
		"mshvcpu host --source cpuid -j | jq .offered",
		NULL,
	},
};
