/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor model, as the tool reaches it: options shared by create,
 * cpuid and emu, and the emulator program (mshvcpu-emu) that runs a
 * command -- or this tool again -- with /dev/mshv emulated. The tool links
 * none of the model; a command that needs it runs again under the
 * emulator and talks to the emulated /dev/mshv like any program.
 */
#ifndef MSHVCPU_CLI_MODEL_H
#define MSHVCPU_CLI_MODEL_H

#include "cli.h"

/* The model's options, as create, cpuid and emu take them (struct cli_use). */
#define MODEL_HOST_HELP							\
	"the modelled host: this machine (default, its CPUID), all (every bit of "	\
	"every word), a host record, a model, literal words or a spec (e.g. "	\
	"host,-avx512)"
#define MODEL_OPTIONS							\
	{ OPT_HOST, MODEL_HOST_HELP }, { OPT_KERNEL, NULL }, { OPT_TRACE, NULL }

/* true if @opt was a model option (stored in @m). */
bool model_option(struct model_opts *m, int opt, const char *arg);
/* The options' form: a kernel level known, a trace that is not the device. 0 or the exit status after reporting. */
int model_check(struct cli *cli, const char *cmd, const struct model_opts *m);
/*
 * Runs @argv under the emulator with @m. When @again, @argv is this very
 * command line, run again inside the emulator (model_inside() is then
 * true there). Returns only on failure: the exit status after reporting.
 */
int model_exec(struct cli *cli, const char *cmd, const struct model_opts *m,
	       char *const argv[], bool again);
/*
 * Whether this process is a command line model_exec() ran again: the
 * model options were the emulator's; /dev/mshv is the model's. The host
 * they named ("host" when none) is stored in @host (if given).
 */
bool model_inside(const char **host);
/*
 * Whether this command already runs under `mshvcpu emu` and @m asks
 * nothing of its own: /dev/mshv is the outer emulator's, to be used as it is.
 */
bool model_under_emu(const struct model_opts *m);

/* The partition record in text: what `create` prints. */
void print_partition_record(struct cli *cli, const struct mshvcpu_partition_record *rec);

#endif
