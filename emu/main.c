// SPDX-License-Identifier: MIT
/*
 * mshvcpu-emu: the emulated /dev/mshv as a program of its own, so that
 * the mshvcpu tool links nothing of the emulator, the driver or the
 * hypervisor model. `mshvcpu emu` (and the tool's in-process mode) runs
 * it; users do not need to:
 *
 *   mshvcpu-emu [-q] [-H HOST] [-k LEVEL] [-T FILE] -- COMMAND [ARGS...]
 *
 * The tool has checked the options' form already; what only the model can
 * judge (a host spec) is reported here, in the tool's words and with its
 * exit statuses: 2 for a bad host, 3 when the emulator cannot start, and
 * otherwise COMMAND's status.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor.h"

static int fail(int status, const char *what)
{
	fprintf(stderr, "mshvcpu: emu: %s\n", what);
	return status;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "trace", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, 'q' },
		{ 0 },
	};
	struct emu_run_config config = { .sim.abi = KSHIM_ABI_DEFAULT, .notes = stderr };
	struct mshvcpu_error err = { 0 };
	int opt, ret;

	opterr = 0;
	/* "+": options end at COMMAND, whose options are its own. */
	while ((opt = getopt_long(argc, argv, "+H:k:T:q", longopts, NULL)) != -1) {
		switch (opt) {
		case 'H':
			config.sim.host = optarg;
			break;
		case 'k':
			if (kshim_abi_parse(optarg, &config.sim.abi))
				return fail(2, "unknown kernel level (v1-only, cpu-features, "
					    "nested-smt)");
			break;
		case 'T':
			config.sim.trace_path = optarg;
			break;
		case 'q':
			config.notes = NULL;
			break;
		default:
			return fail(2, "usage: mshvcpu-emu [-q] [-H HOST] [-k LEVEL] [-T FILE] "
				    "-- COMMAND [ARGS...]");
		}
	}
	if (optind >= argc)
		return fail(2, "expected -- COMMAND [ARGS...]");
	ret = emu_run(&config, argv + optind, &err);
	if (ret >= 0)
		return ret;
	if (!err.message[0])
		return fail(3, strerror(-ret));
	/* As the tool says it: a bad host spec is the user's, anything else not. */
	ret = ret == -EINVAL && (!err.source[0] || strcmp(err.source, "spec") == 0) ? 2 : 3;
	if (err.source[0] && err.line)
		fprintf(stderr, "mshvcpu: emu: %s:%u:%u: %s\n", err.source, err.line, err.column,
			err.message);
	else
		fprintf(stderr, "mshvcpu: emu: %s\n", err.message);
	return ret;
}
