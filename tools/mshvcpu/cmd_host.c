// SPDX-License-Identifier: MIT
/* mshvcpu host: what this host offers, and from which source. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
"Usage: mshvcpu host [OPTIONS]\n"
"Probe this host. On a Microsoft Hypervisor root partition (Linux >= 6.19)\n"
"the hypervisor's own partition properties say what it offers; elsewhere\n"
"this machine's CPUID (and IA32_ARCH_CAPABILITIES when /dev/cpu/0/msr is\n"
"readable) does, and features CPUID cannot show are reported as unknown.\n"
"The output says which source answered.\n"
"\n"
"  -s, --source SRC     auto (default), hypervisor, cpuid\n"
"  -D, --device PATH    the mshv device (default /dev/mshv)\n"
"  -o, --output FILE    write the host record (JSON) to FILE, atomically;\n"
"                       - writes it to stdout instead of the report\n"
"  -j, --json / -p, --pretty   print the host record (JSON)\n"
"\n"
"Examples:\n"
"  mshvcpu host\n"
"  mshvcpu host -o $(hostname).json\n"
"  mshvcpu host --source cpuid -j | jq .offered\n";

int cmd_host(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONG,
		{ "source", required_argument, NULL, 's' },
		{ "device", required_argument, NULL, 'D' },
		{ "output", required_argument, NULL, 'o' },
		{ 0 },
	};
	MSHVCPU_OPTS(mshvcpu_probe_opts, opts);
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host host;
	const char *output = NULL;
	char words[128], *json;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT "s:D:o:", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(help, stdout);
			return EXIT_YES;
		}
		if (cli_common_option(cli, opt))
			continue;
		switch (opt) {
		case 's':
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
		case 'D':
			opts.device = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return cli_bad_option(cli, "host", argc, argv);
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
		/* The host record is the output: its format and version are its schema. */
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
