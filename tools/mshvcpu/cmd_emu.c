// SPDX-License-Identifier: MIT
/*
 * mshvcpu emu -- COMMAND: run COMMAND with /dev/mshv emulated, by the
 * emulator program mshvcpu-emu (emu/main.c), which stays as COMMAND's
 * supervisor: a seccomp filter stops COMMAND's /dev/mshv calls in the
 * kernel, and it answers them with the driver of kernel/ over the
 * hypervisor model. This tool only checks the options and hands over.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

static int cmd_emu(struct cli *cli, int argc, char **argv)
{
	struct model_opts model = { 0 };
	int opt;

	/* Options stop at COMMAND, whose options are its own. */
	while ((opt = cli_getopt(cli, &command_emu, argc, argv)) != CLI_END)
		if (!model_option(&model, opt, optarg))
			return cli_stop(opt);
	if (optind >= argc)
		return cli_usage(cli, "emu", "expected -- COMMAND [ARGS...]");
	/* Returns only if the emulator could not be started. */
	return model_exec(cli, "emu", &model, argv + optind, false);
}

static const struct cli_use options[] = {
	MODEL_OPTIONS,
	{ OPT_COUNT, NULL },
};

const struct command command_emu = {
	.name = "emu",
	.run = cmd_emu,
	.summary = "run a command with /dev/mshv emulated",
	.usage = "[OPTIONS] -- COMMAND [ARGS...]",
	.about = "Run COMMAND with /dev/mshv emulated: opening it, and the partition and VP "
		 "descriptors it hands out, reach the driver's side of /dev/mshv (compiled in "
		 "userspace) and a model of the hypervisor behind it. Programs in any language "
		 "work unmodified, static binaries and raw system calls included. Every process "
		 "COMMAND starts shares the one emulated host, as on a real one; emulated "
		 "descriptors are real descriptors (dup, fork, exec, close_range and SCM_RIGHTS "
		 "behave as on Linux).",
	.opts = options,
	.after = "The exit status is COMMAND's (128 + N if signal N ended it).",
	.examples = (const char *const[]){
		"mshvcpu emu -- python3 examples/create_partition.py",
		"mshvcpu emu --host mshv-icelake-sp-azure --trace trace.jsonl -- ./my-vmm",
		"mshvcpu emu --kernel v1-only -- mshvcpu create x86-64-v3",
		NULL,
	},
	.stop_at_operand = true,
};
