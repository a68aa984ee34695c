/* SPDX-License-Identifier: MIT */
/* The tool's in-process model: options shared by create, cpuid and emu. */
#ifndef MSHVCPU_CLI_MODEL_H
#define MSHVCPU_CLI_MODEL_H

#include "cli.h"
#include "sim.h"

/* The model's options, as create, cpuid and emu take them (struct cli_use). */
#define MODEL_HOST_HELP							\
	"the modelled host: this machine (default, its CPUID), all (every bit of "	\
	"every word), a host record, a model, literal words or a spec (e.g. "	\
	"host,-avx512)"
#define MODEL_OPTIONS							\
	{ OPT_HOST, MODEL_HOST_HELP }, { OPT_KERNEL, NULL }, { OPT_TRACE, NULL }

/* true if @opt was a model option (stored in @m). */
bool model_option(struct model_opts *m, int opt, const char *arg);
/* Build the sim; 0 or an exit status after reporting. */
int model_start(struct cli *cli, const char *cmd, const struct model_opts *m,
		struct sim **sim);

/* The partition record in text: what `create` prints. */
void print_partition_record(struct cli *cli, const struct mshvcpu_partition_record *rec);

#endif
