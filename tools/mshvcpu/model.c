// SPDX-License-Identifier: MIT
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

bool model_option(struct model_opts *m, int opt, const char *arg)
{
	switch (opt) {
	case OPT_HOST:
		m->host = arg;
		return true;
	case OPT_KERNEL:
		m->kernel = arg;
		return true;
	case OPT_TRACE:
		m->trace = arg;
		return true;
	default:
		return false;
	}
}

/* The driver releases mshvcpu-emu knows (kernel/shim: kshim_abi_name). */
static const char *const kernel_levels[] = { "v1-only", "cpu-features", "nested-smt" };

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

int model_check(struct cli *cli, const char *cmd, const struct model_opts *m)
{
	size_t i;

	for (i = 0; m->kernel && i < ARRAY_SIZE(kernel_levels); i++)
		if (strcmp(m->kernel, kernel_levels[i]) == 0)
			break;
	if (m->kernel && i == ARRAY_SIZE(kernel_levels))
		return cli_usage(cli, cmd, "unknown kernel level '%s' "
				 "(v1-only, cpu-features, nested-smt)", m->kernel);
	if (m->trace && is_dev_mshv(m->trace))
		return cli_usage(cli, cmd, "--trace %s: the trace cannot go to the emulated "
				 "device itself", m->trace);
	return 0;
}

/*
 * Where mshvcpu-emu is: MSHVCPU_EMU_PROGRAM if set; else beside this
 * program (a build tree); else in ../libexec/mshvcpu (an installation).
 */
static int emulator_path(char *out, size_t len)
{
	static const char *const beside[] = { "mshvcpu-emu", "../libexec/mshvcpu/mshvcpu-emu" };
	const char *env = getenv("MSHVCPU_EMU_PROGRAM");
	char self[PATH_MAX];
	ssize_t n;
	size_t i;

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -errno;
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	for (i = 0; i < ARRAY_SIZE(beside); i++) {
		int written = snprintf(out, len, "%s/%s", self, beside[i]);

		if (written > 0 && (size_t)written < len && access(out, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

#define INSIDE_ENV	"MSHVCPU_MODEL_INSIDE"

int model_exec(struct cli *cli, const char *cmd, const struct model_opts *m,
	       char *const argv[], bool again)
{
	char emulator[PATH_MAX], self[PATH_MAX];
	const char *args[16];
	size_t n = 0, count = 0, i;
	const char **all;
	ssize_t len;
	int ret;

	ret = model_check(cli, cmd, m);
	if (ret)
		return ret;
	/* The kernel gives a process one seccomp listener: emulators do not nest. */
	if (getenv("MSHVCPU_EMU"))
		return cli_usage(cli, cmd, "already under `mshvcpu emu`, whose emulator cannot be "
				 "nested: give --host, --kernel and --trace to the outer one");
	ret = emulator_path(emulator, sizeof(emulator));
	if (ret)
		return cli_fail(cli, EXIT_RUNTIME, cmd, "the emulator program mshvcpu-emu is not "
				"beside this program nor installed (%s); set MSHVCPU_EMU_PROGRAM",
				strerror(-ret));
	args[n++] = emulator;
	if (m->host) {
		args[n++] = "--host";
		args[n++] = m->host;
	}
	if (m->kernel) {
		args[n++] = "--kernel";
		args[n++] = m->kernel;
	}
	if (m->trace) {
		args[n++] = "--trace";
		args[n++] = m->trace;
	}
	if (cli->quiet)
		args[n++] = "--quiet";
	args[n++] = "--";
	if (again) {
		/* This program itself: /proc/self/exe would be the emulator's after exec. */
		len = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (len <= 0)
			return cli_fail(cli, EXIT_RUNTIME, cmd, "/proc/self/exe: %s", strerror(errno));
		self[len] = '\0';
		args[n++] = self;
		argv++;		/* argv[0] is the program, now @self */
		if (setenv(INSIDE_ENV, m->host ? m->host : "host", 1))
			return cli_fail(cli, EXIT_RUNTIME, cmd, "setenv: %s", strerror(errno));
	}
	while (argv[count])
		count++;
	all = calloc(n + count + 1, sizeof(*all));
	if (!all)
		return cli_fail(cli, EXIT_RUNTIME, cmd, "out of memory");
	memcpy(all, args, n * sizeof(*all));
	for (i = 0; i < count; i++)
		all[n + i] = argv[i];
	/* COMMAND gets the signal dispositions we were given. */
	cli_stdio_before_exec();
	execv(emulator, (char *const *)all);
	ret = errno;
	free(all);
	return cli_fail(cli, EXIT_RUNTIME, cmd, "%s: %s", emulator, strerror(ret));
}

bool model_under_emu(const struct model_opts *m)
{
	return getenv("MSHVCPU_EMU") && !m->host && !m->kernel && !m->trace;
}

bool model_inside(const char **host)
{
	static const char *inside;

	/* Read once, and not passed on to anything this command starts. */
	if (!inside) {
		const char *env = getenv(INSIDE_ENV);

		inside = env ? strdup(env) : "";
		unsetenv(INSIDE_ENV);
	}
	if (host)
		*host = inside && *inside ? inside : NULL;
	return inside && *inside;
}

void print_partition_record(struct cli *cli, const struct mshvcpu_partition_record *rec)
{
	enum mshvcpu_revision rev = rec->revision;
	size_t dropped = cli_count(&rec->dropped, rev, MSHVCPU_ENABLED);

	cli_kv(cli, 10, "spec", "%s", rec->spec);
	cli_kv(cli, 10, "policy", "%s (%s names)", mshvcpu_policy_name(rec->policy),
	       mshvcpu_revision_name(rev));
	cli_kv(cli, 10, "struct", "%s, pt_flags 0x%llx",
	       rec->create_struct == MSHVCPU_CREATE_V1 ?
	       "v1 (kernel before 6.19: every feature the host offers)" : "v2",
	       (unsigned long long)rec->pt_flags);
	cli_kv(cli, 10, "disabled", "banks 0x%016llx 0x%016llx, xsave 0x%llx",
	       (unsigned long long)rec->masks.disabled_banks[0],
	       (unsigned long long)rec->masks.disabled_banks[1],
	       (unsigned long long)rec->masks.disabled_xsave);
	if (rec->masks.set_bank2)
		cli_kv(cli, 10, "bank 2", "0x%llx disabled (early property)",
		       (unsigned long long)rec->masks.disabled_bank2);
	cli_kv(cli, 10, "vendor", "%s", mshvcpu_vendor_name(rec->effective.vendor));
	cli_kv(cli, 10, "xsave", "%u bytes (components 0x%llx)", rec->max_xsave_data_size,
	       (unsigned long long)rec->xsave_states);
	cli_kv(cli, 10, "effective", "%zu features", cli_count(&rec->effective, rev, MSHVCPU_ENABLED));
	cli_print_features(cli, &rec->effective, rev, MSHVCPU_ENABLED, "  ");
	if (dropped) {
		cli_kv_color(cli, 10, "dropped", C_YELLOW,
			     "%zu requested feature%s the host does not offer",
			     dropped, dropped == 1 ? "" : "s");
		cli_print_features(cli, &rec->dropped, rev, MSHVCPU_ENABLED, "  ");
	} else {
		cli_kv(cli, 10, "dropped", "none");
	}
}
