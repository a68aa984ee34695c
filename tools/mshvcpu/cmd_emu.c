// SPDX-License-Identifier: MIT
/*
 * mshvcpu emu -- COMMAND: run COMMAND with /dev/mshv emulated. The tool
 * stays as COMMAND's supervisor (emu/supervisor.h): a seccomp filter
 * stops COMMAND's /dev/mshv calls in the kernel and this process answers
 * them with the driver of kernel/ over the hypervisor model.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "supervisor.h"

/* A trace written to the device it traces could never be read back. */
static bool is_dev_mshv(const char *path)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (strcmp(slash ? slash + 1 : path, "mshv") != 0)
		return false;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1,
		 slash ? path : ".");
	return realpath(dir, real) && strcmp(real, "/dev") == 0;
}

static int cmd_emu(struct cli *cli, int argc, char **argv)
{
	struct model_opts model = { 0 };
	struct mshvcpu_error err = { 0 };
	struct emu_run_config config = { .sim.abi = KSHIM_ABI_DEFAULT };
	int opt, ret;

	/* Options stop at COMMAND, whose options are its own. */
	while ((opt = cli_getopt(cli, &command_emu, argc, argv)) != CLI_END)
		if (!model_option(&model, opt, optarg))
			return cli_stop(opt);
	/* One-time explanations (unsupported calls) are notes: none with -q. */
	config.notes = cli->quiet ? NULL : stderr;
	if (optind >= argc)
		return cli_usage(cli, "emu", "expected -- COMMAND [ARGS...]");
	if (model.kernel && kshim_abi_parse(model.kernel, &config.sim.abi))
		return cli_usage(cli, "emu", "unknown kernel level '%s' "
				 "(v1-only, cpu-features, nested-smt)", model.kernel);
	if (model.trace && is_dev_mshv(model.trace))
		return cli_usage(cli, "emu", "--trace %s: the trace cannot go to the emulated "
				 "device itself", model.trace);
	config.sim.host = model.host;
	config.sim.trace_path = model.trace;

	/* COMMAND gets the signal dispositions we were given. */
	cli_stdio_before_exec();
	ret = emu_run(&config, argv + optind, &err);
	if (ret < 0) {
		if (err.message[0])
			return cli_fail_lib(cli, cli_spec_status(&err, ret), "emu", &err, ret);
		return cli_fail(cli, EXIT_RUNTIME, "emu", "%s", strerror(-ret));
	}
	return ret;
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
