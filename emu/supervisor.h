/* SPDX-License-Identifier: MIT */
/*
 * The emulated /dev/mshv, served from outside the emulated program.
 *
 * `mshvcpu emu -- COMMAND` starts COMMAND under a seccomp filter
 * (filter.c) whose listener it keeps: the calls that can concern
 * /dev/mshv stop in the kernel until the supervisor has answered them.
 * The supervisor runs the simulated machine (sim.h: the driver of kernel/
 * over the hypervisor model of hv/), reads and writes the program's
 * memory as a kernel would, and hands out descriptors with
 * SECCOMP_IOCTL_NOTIF_ADDFD. Those are real descriptors in the program,
 * so dup, fork, exec, close_range, vfork and raw system calls behave as
 * they do on Linux; the supervisor learns that the last one of a file is
 * gone from an inotify close event, and only then releases it.
 */
#ifndef MSHVCPU_EMU_SUPERVISOR_H
#define MSHVCPU_EMU_SUPERVISOR_H

#include <stdio.h>

#include "sim.h"

/* In the child, before exec: install the filter. The listener fd, or -errno. */
int emu_filter_install(void);

struct emu_run_config {
	struct sim_config sim;
	FILE *notes;		/* one-time explanations (unsupported ioctls), or NULL */
};

/*
 * Runs @argv (argv[0] looked up in PATH) under the emulator and waits for
 * it. Returns its exit status as a shell reports it (0-255, 128 + signal),
 * or a negative errno with @err filled when the emulator could not start.
 */
int emu_run(const struct emu_run_config *config, char *const argv[],
	    struct mshvcpu_error *err);

#endif
