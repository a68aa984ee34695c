// SPDX-License-Identifier: MIT
/*
 * mshvcpu emu -- COMMAND: run COMMAND with /dev/mshv emulated by
 * libmshv-emu.so (LD_PRELOAD): the real driver code over the hypervisor
 * model, reachable through ordinary system calls.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

#ifndef MSHVCPU_EMU_LIBDIR
#define MSHVCPU_EMU_LIBDIR "/usr/local/lib/mshvcpu"
#endif

static const char help[] =
"Usage: mshvcpu emu [OPTIONS] -- COMMAND [ARGS...]\n"
"Run COMMAND with /dev/mshv emulated: opening it, and the partition and VP\n"
"descriptors it hands out, reach the Linux driver's create-partition code\n"
"(compiled in userspace) and a model of the hypervisor behind it. Programs\n"
"in any language work unmodified; child processes inherit the emulation,\n"
"and each process has its own hypervisor.\n"
"\n"
MODEL_HELP
"\n"
"The same settings work without this command, for CI:\n"
"  LD_PRELOAD=/path/to/libmshv-emu.so MSHV_EMU_HOST=HOST \\\n"
"  MSHV_EMU_KERNEL=LEVEL MSHV_EMU_TRACE=FILE COMMAND\n"
"\n"
"Examples:\n"
"  mshvcpu emu -- python3 examples/create_partition.py\n"
"  mshvcpu emu --host mshv-icelake-sp-azure --trace trace.jsonl -- ./my-vmm\n"
"  mshvcpu emu --kernel v1-only -- mshvcpu create x86-64-v3\n";

static int find_library(char *out, size_t len)
{
	const char *env = getenv("MSHVCPU_EMU_LIBRARY");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		if (env[0] != '/' && !realpath(env, out))
			return -errno;
		if (env[0] == '/')
			snprintf(out, len, "%s", env);
		return access(out, R_OK) ? -errno : 0;
	}
	/* Next to the executable (the build tree), then the install location. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out, len, "%.4000s/libmshv-emu.so", exe);
			if (access(out, R_OK) == 0)
				return 0;
		}
	}
	snprintf(out, len, "%s/libmshv-emu.so", MSHVCPU_EMU_LIBDIR);
	return access(out, R_OK) ? -ENOENT : 0;
}

int cmd_emu(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONG,
		MODEL_LONG_OPTIONS,
		{ 0 },
	};
	struct model_opts model = { 0 };
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host host;
	char lib[PATH_MAX], preload[2 * PATH_MAX];
	const char *old;
	enum kshim_abi abi;
	bool native;
	int opt, ret;

	opterr = 0;
	/* "+": stop at COMMAND, whose options are its own. */
	while ((opt = getopt_long(argc, argv, "+" CLI_COMMON_SHORT "H:k:T:", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(help, stdout);
			return EXIT_YES;
		}
		if (cli_common_option(cli, opt) || model_option(&model, opt, optarg))
			continue;
		return cli_bad_option(cli, "emu", argc, argv);
	}
	if (optind >= argc)
		return cli_usage(cli, "emu", "expected -- COMMAND [ARGS...]");
	if (model.kernel && kshim_abi_parse(model.kernel, &abi))
		return cli_usage(cli, "emu", "unknown kernel level '%s' "
				 "(v1-only, cpu-features, nested-smt)", model.kernel);
	/* Resolve the host now, so a bad one fails here and not in the child. */
	ret = sim_resolve_host(model.host, &host, &native, &err);
	if (ret)
		return cli_fail_lib(cli, cli_spec_status(&err, ret), "emu", &err, ret);
	ret = find_library(lib, sizeof(lib));
	if (ret)
		return cli_fail(cli, EXIT_RUNTIME, "emu", "libmshv-emu.so not found next to "
				"mshvcpu or in %s (set MSHVCPU_EMU_LIBRARY)", MSHVCPU_EMU_LIBDIR);

	old = getenv("LD_PRELOAD");
	snprintf(preload, sizeof(preload), "%s%s%s", lib, old && *old ? ":" : "", old ? old : "");
	if (setenv("LD_PRELOAD", preload, 1) ||
	    (model.host && setenv("MSHV_EMU_HOST", model.host, 1)) ||
	    (model.kernel && setenv("MSHV_EMU_KERNEL", model.kernel, 1)) ||
	    (model.trace && setenv("MSHV_EMU_TRACE", model.trace, 1)))
		return cli_fail(cli, EXIT_RUNTIME, "emu", "setting the environment: %s",
				strerror(errno));
	fflush(NULL);
	execvp(argv[optind], argv + optind);
	return cli_fail(cli, EXIT_RUNTIME, "emu", "%s: %s", argv[optind], strerror(errno));
}
