// SPDX-License-Identifier: MIT
/*
 * mshvcpu: CPU profiles, host baselines and migration checks for the
 * Microsoft Hypervisor's /dev/mshv. Subcommands dispatch through one table;
 * each parses its own options and has its own --help.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct command commands[] = {
	{ "features", cmd_features, "the feature catalogue: names, CPUID/MSR, prerequisites" },
	{ "show", cmd_show, "expand a profile spec to its features" },
	{ "decode", cmd_decode, "hex words to feature names (enabled or --disabled)" },
	{ "encode", cmd_encode, "the disabled masks a profile sends to the kernel" },
	{ "host", cmd_host, "what this host offers; write a host record" },
	{ "compare", cmd_compare, "can A run where B is offered?" },
	{ "baseline", cmd_baseline, "the common features of many hosts" },
	{ "pools", cmd_pools, "group hosts into migration pools" },
	{ "check-migration", cmd_check_migration, "can a partition move to a host?" },
	{ "create", cmd_create, "create a partition for a profile on /dev/mshv" },
	{ "cpuid", cmd_cpuid, "the CPUID a guest with a profile would see" },
	{ "emu", cmd_emu, "run a command with /dev/mshv emulated" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: mshvcpu [-j|-p] [--no-color] COMMAND [ARGS...]\n"
		"       mshvcpu COMMAND --help\n"
		"       mshvcpu --version\n\n"
		"Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\nOptions (also accepted after COMMAND):\n"
		"  -j, --json       JSON output (one document, versioned \"schema\")\n"
		"  -p, --pretty     pretty-printed JSON output\n"
		"      --no-color   no colour (also: NO_COLOR in the environment)\n\n"
		"Exit status: 0 success or yes, 1 a negative answer, 2 usage error,\n"
		"3 runtime error. See mshvcpu(1).\n");
}

static int dispatch(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONG,
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	size_t i;
	int opt;

	opterr = 0;	/* our own one-line errors, not getopt's */
	/* "+": global options end at the subcommand's name. */
	while ((opt = getopt_long(argc, argv, "+" CLI_COMMON_SHORT "V", longopts, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			return EXIT_YES;
		}
		if (opt == 'V') {
			printf("mshvcpu %s\n", mshvcpu_version_string());
			return EXIT_YES;
		}
		if (!cli_common_option(cli, opt))
			return cli_fail(cli, EXIT_USAGE, "usage",
					"unknown option '%s' (see 'mshvcpu --help')",
					argv[optind - 1]);
	}
	if (optind >= argc)
		return cli_fail(cli, EXIT_USAGE, "usage",
				"no command given (see 'mshvcpu --help')");
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;

			optind = 0;	/* glibc: reinitialize getopt for the subcommand */
			return commands[i].run(cli, sub_argc, sub_argv);
		}
	}
	return cli_fail(cli, EXIT_USAGE, argv[optind],
			"unknown command (see 'mshvcpu --help')");
}

int main(int argc, char **argv)
{
	struct cli cli = { .argv0 = argv[0] };
	const char *env = getenv("NO_COLOR");

	cli_stdio_init();
	cli.color = isatty(STDOUT_FILENO) && !(env && *env) &&
		    !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
	/* Every command's output is checked to the last byte (see cli_stdio_finish). */
	return cli_stdio_finish(dispatch(&cli, argc, argv));
}
