/* SPDX-License-Identifier: MIT */
/*
 * mshvcpu apply: a program's partition creates, rewritten so that each
 * partition gets a profile's CPU (apply.c; one create: apply_core.h).
 */
#ifndef MSHVCPU_CLI_APPLY_H
#define MSHVCPU_CLI_APPLY_H

#include <stddef.h>

#include "apply_core.h"

/*
 * Runs @argv under the rewriting, until it and every process it left are
 * gone; returns its exit status as a shell reports it, or -errno with
 * @why filled when it could not be started. Under `mshvcpu emu` the
 * emulator does the rewriting (@spec and @log_path are sent to it) and
 * this process becomes @argv.
 */
int apply_run(const struct apply_config *config, const char *spec, const char *log_path,
	      char *const argv[], char *why, size_t why_len);

#endif
