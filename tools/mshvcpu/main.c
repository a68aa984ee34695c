// SPDX-License-Identifier: MIT
/*
 * mshvcpu: CPU profiles, host baselines and migration checks for the
 * Microsoft Hypervisor's /dev/mshv. Subcommands dispatch through one table;
 * their options come from the one option table (options.c).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

const struct command *const cli_commands[] = {
	&command_features, &command_show, &command_decode, &command_encode, &command_host,
	&command_compare, &command_baseline, &command_pools, &command_check_migration,
	&command_create, &command_cpuid, &command_emu, &command_apply, &command_help, NULL,
};

const struct command *cli_command(const char *name)
{
	size_t i;

	for (i = 0; cli_commands[i]; i++)
		if (strcmp(name, cli_commands[i]->name) == 0)
			return cli_commands[i];
	return NULL;
}

static const struct command tool;

static void usage(struct cli *cli)
{
	char line[256];
	size_t i;

	(void)cli;
	printf("Usage: mshvcpu [OPTIONS] COMMAND [ARGS...]\n"
	       "       mshvcpu help [COMMAND]\n"
	       "       mshvcpu --version\n\n"
	       "Commands:\n");
	for (i = 0; cli_commands[i]; i++) {
		snprintf(line, sizeof(line), "  %-16s %s", cli_commands[i]->name,
			 cli_commands[i]->summary);
		cli_wrap(stdout, 0, 19, line);
	}
	printf("\nOptions (the first five also after COMMAND):\n");
	cli_help_options(&tool);
	putchar('\n');
	cli_wrap(stdout, 0, 0, "`mshvcpu help COMMAND` is `mshvcpu COMMAND --help`. Exit status: "
		 "0 success or yes, 1 a negative answer, 2 usage error, 3 runtime error. "
		 "See mshvcpu(1).");
}

/* The tool itself, before COMMAND: the options every command takes, and --version. */
static const struct cli_use tool_opts[] = { { OPT_VERSION, NULL }, { OPT_COUNT, NULL } };
static const struct command tool = {
	.name = "mshvcpu",
	.opts = tool_opts,
	.stop_at_operand = true,
	.help = usage,
};

static int unknown_command(struct cli *cli, const char *name)
{
	const char *names[32];
	char hint[256];
	size_t n;

	for (n = 0; cli_commands[n] && n < ARRAY_SIZE(names); n++)
		names[n] = cli_commands[n]->name;
	if (cli_suggest(name, names, n, "", hint, sizeof(hint)))
		return cli_fail(cli, EXIT_USAGE, "usage", "unknown command '%s'; did you mean %s?",
				name, hint);
	return cli_fail(cli, EXIT_USAGE, "usage", "unknown command '%s' (see 'mshvcpu --help')",
			name);
}

/* mshvcpu help [COMMAND]: the same as mshvcpu [COMMAND] --help. */
static int cmd_help(struct cli *cli, int argc, char **argv)
{
	const struct command *cmd;
	int opt;

	while ((opt = cli_getopt(cli, &command_help, argc, argv)) != CLI_END)
		if (opt < 0)
			return cli_stop(opt);
	if (argc - optind > 1)
		return cli_usage(cli, "help", "at most one COMMAND");
	if (optind == argc) {
		usage(cli);
		return EXIT_YES;
	}
	cmd = cli_command(argv[optind]);
	if (!cmd)
		return unknown_command(cli, argv[optind]);
	cli_help(cli, cmd);
	return EXIT_YES;
}

const struct command command_help = {
	.name = "help",
	.run = cmd_help,
	.summary = "this list, or a command's help (the same as COMMAND --help)",
	.usage = "[COMMAND]",
	.about = "Without COMMAND, the list of commands and the options every command takes "
		 "(mshvcpu --help); with it, that command's help (mshvcpu COMMAND --help).",
	.examples = (const char *const[]){ "mshvcpu help", "mshvcpu help check-migration", NULL },
};

static int dispatch(struct cli *cli, int argc, char **argv)
{
	const struct command *cmd;
	int opt;

	/* Options before COMMAND: the common ones, and --version. */
	while ((opt = cli_getopt(cli, &tool, argc, argv)) != CLI_END) {
		if (opt < 0)
			return cli_stop(opt);
		if (opt == OPT_VERSION) {
			printf("mshvcpu %s\n", mshvcpu_version_string());
			return EXIT_YES;
		}
	}
	if (optind >= argc)
		return cli_fail(cli, EXIT_USAGE, "usage",
				"no command given (see 'mshvcpu --help')");
	cmd = cli_command(argv[optind]);
	if (!cmd)
		return unknown_command(cli, argv[optind]);
	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: reinitialize getopt for the subcommand */
	return cmd->run(cli, argc, argv);
}

int main(int argc, char **argv)
{
	struct cli cli = { .argv0 = argv[0], .argv = argv };
	const char *env = getenv("NO_COLOR");

	cli_stdio_init();
	cli.color = isatty(STDOUT_FILENO) && !(env && *env) &&
		    !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
	/* Every command's output is checked to the last byte (see cli_stdio_finish). */
	return cli_stdio_finish(dispatch(&cli, argc, argv));
}
