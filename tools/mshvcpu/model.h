/* SPDX-License-Identifier: MIT */
/* The tool's in-process model: options shared by create, cpuid and emu. */
#ifndef MSHVCPU_CLI_MODEL_H
#define MSHVCPU_CLI_MODEL_H

#include "cli.h"
#include "sim.h"

#define MODEL_LONG_OPTIONS						\
	{ "host", required_argument, NULL, 'H' },			\
	{ "kernel", required_argument, NULL, 'k' },			\
	{ "trace", required_argument, NULL, 'T' }

#define MODEL_HELP							\
"  -H, --host HOST      the modelled host: this machine (default, its CPUID),\n" \
"                       all (every bit of every word), a host record, a model,\n" \
"                       literal words or a spec (e.g. host,-avx512)\n"	\
"  -k, --kernel LEVEL   the driver release: v1-only (before 6.19),\n"	\
"                       cpu-features (6.19), nested-smt (2026, default)\n" \
"  -T, --trace FILE     append the hypercall trace to FILE (JSON Lines)\n"

/* true if @opt was a model option (stored in @m). */
bool model_option(struct model_opts *m, int opt, const char *arg);
/* Build the sim; 0 or an exit status after reporting. */
int model_start(struct cli *cli, const char *cmd, const struct model_opts *m,
		struct sim **sim);

/* The partition record in text: what `create` prints. */
void print_partition_record(struct cli *cli, const struct mshvcpu_partition_record *rec);

#endif
