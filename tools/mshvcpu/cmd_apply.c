// SPDX-License-Identifier: MIT
/*
 * mshvcpu apply SPEC -- COMMAND: run COMMAND (a VMM) so that every
 * partition it creates on /dev/mshv gets the CPU profile SPEC (apply.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "cli.h"

static int cmd_apply(struct cli *cli, int argc, char **argv)
{
	MSHVCPU_OPTS(mshvcpu_profile_opts, popts);
	struct apply_config config = { .policy = MSHVCPU_POLICY_MIGRATION_SAFE };
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p = NULL;
	const char *log_path = NULL;
	bool verbose = false;
	char why[256] = "";
	int opt, ret, command;

	/* Options end at SPEC; COMMAND's options are its own. */
	while ((opt = cli_getopt(cli, &command_apply, argc, argv)) != CLI_END) {
		switch (opt) {
		case OPT_POLICY:
			ret = parse_policy(cli, "apply", optarg, &config.policy);
			if (ret)
				return ret;
			break;
		case OPT_REVISION:
			ret = parse_revision(cli, "apply", optarg, &popts.revision);
			if (ret)
				return ret;
			config.revision = popts.revision;
			break;
		case OPT_ALLOW_V1:
			config.allow_v1 = true;
			break;
		case OPT_VERBOSE:
			verbose = true;
			break;
		case OPT_LOG:
			log_path = optarg;
			break;
		default:
			return cli_stop(opt);
		}
	}
	command = optind + 1;
	if (command < argc && strcmp(argv[command], "--") == 0)
		command++;
	if (optind >= argc || command >= argc)
		return cli_usage(cli, "apply", "expected SPEC -- COMMAND [ARGS...]");

	ret = mshvcpu_profile_parse(argv[optind], &popts, &p, &err);
	if (ret)
		return cli_fail_lib(cli, cli_spec_status(&err, ret), "apply", &err, ret);
	config.profile = p;
	ret = mshvcpu_profile_digest(p, config.digest);
	if (!ret)
		ret = cli_profile_check(cli, "apply", p, NULL, NULL, true);
	if (ret) {
		if (ret < 0)
			ret = cli_fail(cli, EXIT_RUNTIME, "apply", "%s", strerror(-ret));
		goto out;
	}
	if (log_path) {
		/* Appended to, never replaced: one line per create, from every run. */
		int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);

		config.log = fd < 0 ? NULL : fdopen(fd, "a");
		if (!config.log) {
			ret = cli_fail(cli, EXIT_RUNTIME, "apply", "--log %s: %s", log_path,
				       strerror(errno));
			if (fd >= 0)
				close(fd);
			goto out;
		}
	}
	config.notes = verbose && !cli->quiet ? stderr : NULL;

	/* COMMAND gets the signal dispositions we were given. */
	cli_stdio_before_exec();
	ret = apply_run(&config, argv[optind], log_path, argv + command, why, sizeof(why));
	if (ret < 0)
		ret = cli_fail(cli, EXIT_RUNTIME, "apply", "%s", why);
out:
	if (config.log)
		fclose(config.log);
	mshvcpu_profile_free(p);
	return ret;
}

static const struct cli_use options[] = {
	{ OPT_POLICY, "migration-safe (default here): every bit the revision does not name is "
		      "disabled too; forward-compatible: those stay the hypervisor's" },
	{ OPT_REVISION, NULL },
	{ OPT_ALLOW_V1, "on a kernel before 6.19 let the VMM's own v1 create through "
			"unchanged (every feature the host offers), and say so, instead of "
			"refusing it" },
	{ OPT_VERBOSE, "a line on stderr for every create: what was sent" },
	{ OPT_LOG, "append a JSON line for every create to FILE: what the VMM asked for, "
		   "what was sent, the profile and its SHA-256" },
	{ OPT_COUNT, NULL },
};

const struct command command_apply = {
	.name = "apply",
	.run = cmd_apply,
	.summary = "run a VMM so that its partitions get a profile's CPU",
	.usage = "[OPTIONS] SPEC -- COMMAND [ARGS...]",
	.about = "Run COMMAND so that every partition it creates on /dev/mshv gets the CPU "
		 "profile SPEC, whatever the VMM itself asks for: a v1 create becomes a v2 "
		 "create; the disabled banks and xsave mask sent are the union of the "
		 "VMM's and the profile's (what the VMM disabled stays disabled, with what "
		 "depends on it); its other flags and isolation are kept; bank 2 is set "
		 "before the VMM can initialize. SPEC is any spec the tool takes: a model, a "
		 "psABI level, @baseline.json, literal words.\n"
		 "A create that cannot be given the whole profile fails, naming what is "
		 "missing: a feature the host lacks, a profile of the other vendor, a kernel "
		 "before 6.19 (unless --allow-v1). Nothing is weakened silently. Works on the "
		 "real /dev/mshv and under `mshvcpu emu`.",
	.opts = options,
	.after = "The exit status is COMMAND's (128 + N if signal N ended it). Creates are "
		 "seen through a seccomp filter, so static binaries and raw system calls are "
		 "covered; a VMM that makes partitions by any other path than "
		 "MSHV_CREATE_PARTITION is not.",
	.examples = (const char *const[]){
		"mshvcpu apply x86-64-v3 -- qemu-system-x86_64 -accel mshv ...",
		"mshvcpu apply --log cpus.jsonl @pool-baseline.json -- cloud-hypervisor ...",
		"mshvcpu emu --host mshv-icelake-sp-azure -- mshvcpu apply -v x86-64-v3 -- ./my-vmm",
		NULL,
	},
	.stop_at_operand = true,
};
