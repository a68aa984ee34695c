// SPDX-License-Identifier: MIT
/*
 * create_path: create + initialize + close cycles per second, in process
 * (libmshvcpu's device ops straight into emu/sim) and through the emulated
 * /dev/mshv (default ops: real open/ioctl/close in a child process that
 * `mshvcpu emu` supervises), and their ratio: the price of interception.
 * The code under the two is the same kernel handler and hypervisor model,
 * so the difference is the supervisor's round trips (seccomp notification,
 * reading and writing the child's memory, descriptor hand-over and the
 * close events) and the system calls.
 *
 * The device side re-executes this program (--child-device) under
 * `mshvcpu emu`; the child reports one time per line on a pipe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mshvcpu.h>

#include "bench_common.h"
#include "sim.h"

#define DEFAULT_CYCLES	20000
#define DEFAULT_REPEAT	5
#define DEFAULT_HOST	"mshv-icelake-sp-azure"
#define DEFAULT_PROFILE	"x86-64-v3"
/* Both sides emulate the same kernel: the 2026 driver, the emulator's default. */
#define EMU_KERNEL	"nested-smt"
#define EMU_ABI		KSHIM_ABI_NESTED_SMT

#ifndef MSHVCPU_PATH
#define MSHVCPU_PATH ""
#endif

struct bench_opts {
	uint64_t cycles;
	uint64_t repeat;
	const char *host;
	const char *profile;
	const char *emu;
};

/* How a cycle gives its partition descriptor back. */
struct closer {
	int (*close)(void *ctx, int fd);
	void *ctx;
};

static int close_in_sim(void *ctx, int fd)
{
	return kshim_close(sim_kshim(ctx), fd);
}

static int close_real(void *ctx, int fd)
{
	(void)ctx;
	return close(fd) ? -errno : 0;
}

/*
 * @n cycles of create + initialize (+ read back) + close; the time they
 * took. Any failure ends the program: a benchmark of failing calls
 * measures nothing.
 */
static uint64_t run_cycles(const struct mshvcpu_profile *profile,
			   const struct mshvcpu_create_opts *copts,
			   const struct closer *closer, uint64_t n, const char *what)
{
	uint64_t t0 = bench_now_ns(), i;
	int first_fd = -1;

	for (i = 0; i < n; i++) {
		struct mshvcpu_partition_record rec;
		struct mshvcpu_error err = { 0 };
		int fd = -1, ret;

		memset(&rec, 0, sizeof(rec));
		ret = mshvcpu_partition_create(profile, copts, &fd, &rec, &err);
		if (ret) {
			fprintf(stderr, "create_path: %s: cycle %llu: %s\n", what,
				(unsigned long long)i,
				err.message[0] ? err.message : strerror(-ret));
			exit(1);
		}
		ret = closer->close(closer->ctx, fd);
		if (ret) {
			fprintf(stderr, "create_path: %s: close: %s\n", what, strerror(-ret));
			exit(1);
		}
		mshvcpu_partition_record_clear(&rec);
		/* A close that did not free the descriptor shows as a climbing number. */
		if (first_fd < 0)
			first_fd = fd;
		else if (fd != first_fd) {
			fprintf(stderr, "create_path: %s: descriptors leak (%d, then %d)\n",
				what, first_fd, fd);
			exit(1);
		}
	}
	return bench_now_ns() - t0;
}

static struct mshvcpu_profile *load_profile(const char *spec)
{
	struct mshvcpu_profile *p = NULL;
	struct mshvcpu_error err = { 0 };

	if (mshvcpu_profile_parse(spec, NULL, &p, &err)) {
		fprintf(stderr, "create_path: profile %s: %s\n", spec, err.message);
		exit(1);
	}
	return p;
}

static uint64_t warmup_count(uint64_t cycles)
{
	return cycles / 10 < 100 ? cycles / 10 + 1 : 100;
}

/*
 * The child: default ops, so open("/dev/mshv") and the ioctls are real
 * system calls that libmshv-emu.so answers. Prints one time per repeat.
 */
static int child_device(const struct bench_opts *o)
{
	struct mshvcpu_profile *profile = load_profile(o->profile);
	MSHVCPU_OPTS(mshvcpu_create_opts, copts, .flags = MSHVCPU_CREATE_LAPIC);
	struct closer closer = { close_real, NULL };
	uint64_t r;

	/* The emulator builds its machine on first open: not part of a cycle. */
	run_cycles(profile, &copts, &closer, warmup_count(o->cycles), "device");
	for (r = 0; r < o->repeat; r++)
		printf("%llu\n", (unsigned long long)run_cycles(profile, &copts, &closer,
								 o->cycles, "device"));
	fflush(stdout);
	mshvcpu_profile_free(profile);
	return 0;
}

/* The tool that supervises the child: --mshvcpu, else the one meson built, else PATH. */
static void find_emu(const struct bench_opts *o, char *buf, size_t len)
{
	if (o->emu)
		snprintf(buf, len, "%s", o->emu);
	else if (MSHVCPU_PATH[0] && access(MSHVCPU_PATH, X_OK) == 0)
		snprintf(buf, len, "%s", MSHVCPU_PATH);
	else
		snprintf(buf, len, "mshvcpu");
}

/* One child run of @repeat repeats; their times into @ns. */
static void spawn_device(const struct bench_opts *o, const char *emu, uint64_t repeat,
			 uint64_t *ns)
{
	char cycles[32], nrepeat[32];
	int pipefd[2], status;
	uint64_t r;
	pid_t pid;
	FILE *in;

	snprintf(cycles, sizeof(cycles), "%llu", (unsigned long long)o->cycles);
	snprintf(nrepeat, sizeof(nrepeat), "%llu", (unsigned long long)repeat);
	fflush(stdout);
	if (pipe(pipefd)) {
		perror("create_path: pipe");
		exit(1);
	}
	pid = fork();
	if (pid < 0) {
		perror("create_path: fork");
		exit(1);
	}
	if (pid == 0) {
		char self[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		/* No --trace: a trace would time the file writes, not the interception. */
		char *args[] = { (char *)emu, "emu", "--host", (char *)o->host,
				 "--kernel", EMU_KERNEL, "--", self, "--child-device",
				 "--cycles", cycles, "--repeat", nrepeat,
				 "--profile", (char *)o->profile, NULL };

		close(pipefd[0]);
		if (n < 0 || dup2(pipefd[1], STDOUT_FILENO) < 0)
			_exit(127);
		self[n] = '\0';
		close(pipefd[1]);
		execvp(emu, args);
		fprintf(stderr, "create_path: exec %s: %s\n", emu, strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	in = fdopen(pipefd[0], "r");
	for (r = 0; r < repeat; r++) {
		unsigned long long v;

		if (!in || fscanf(in, "%llu", &v) != 1) {
			fprintf(stderr, "create_path: the device child reported no time "
				"(under %s emu)\n", emu);
			exit(1);
		}
		ns[r] = v;
	}
	fclose(in);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "create_path: the device child failed\n");
		exit(1);
	}
}

static void row(const char *name, uint64_t cycles, uint64_t best, uint64_t med)
{
	printf("%-26s %12.0f %12.0f %10.2f %10.2f\n", name,
	       cycles * 1e9 / best, cycles * 1e9 / med,
	       best / 1e3 / cycles, med / 1e3 / cycles);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: create_path [--cycles N] [--repeat N] [--host SPEC] "
		   "[--profile SPEC] [--mshvcpu PATH]\n"
		   "  --cycles N      create+initialize+close cycles per run (default %d)\n"
		   "  --repeat N      timed runs of each path (default %d)\n"
		   "  --host SPEC     what the emulated host offers (default %s)\n"
		   "  --profile SPEC  the partitions' profile (default %s)\n"
		   "  --mshvcpu PATH  the mshvcpu that runs the device side (default: the built one)\n",
		DEFAULT_CYCLES, DEFAULT_REPEAT, DEFAULT_HOST, DEFAULT_PROFILE);
}

int main(int argc, char **argv)
{
	struct bench_opts o = { DEFAULT_CYCLES, DEFAULT_REPEAT, DEFAULT_HOST,
				DEFAULT_PROFILE, NULL };
	struct sim_config config = { .abi = EMU_ABI };
	MSHVCPU_OPTS(mshvcpu_create_opts, copts, .flags = MSHVCPU_CREATE_LAPIC);
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *profile;
	uint64_t *ns_sim, *ns_dev, best_sim, best_dev, med_sim, med_dev, r;
	bool child = false;
	struct closer closer;
	char emu[PATH_MAX];
	struct sim *sim;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--cycles")) {
			o.cycles = bench_parse_count(argv[0], argv[a], argv[a + 1]);
			a++;
		} else if (!strcmp(argv[a], "--repeat")) {
			o.repeat = bench_parse_count(argv[0], argv[a], argv[a + 1]);
			a++;
		} else if (!strcmp(argv[a], "--host") && a + 1 < argc) {
			o.host = argv[++a];
		} else if (!strcmp(argv[a], "--profile") && a + 1 < argc) {
			o.profile = argv[++a];
		} else if (!strcmp(argv[a], "--mshvcpu") && a + 1 < argc) {
			o.emu = argv[++a];
		} else if (!strcmp(argv[a], "--child-device")) {
			child = true;
		} else if (!strcmp(argv[a], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (child)
		return child_device(&o);

	find_emu(&o, emu, sizeof(emu));
	if (access(emu, R_OK)) {
		fprintf(stderr, "create_path: %s: %s (build it with ninja, or pass --emu)\n",
			emu, strerror(errno));
		return 1;
	}
	ns_sim = calloc(o.repeat, sizeof(*ns_sim));
	ns_dev = calloc(o.repeat, sizeof(*ns_dev));
	if (!ns_sim || !ns_dev) {
		fprintf(stderr, "create_path: out of memory\n");
		return 1;
	}

	config.host = o.host;
	if (sim_create(&config, &sim, &err)) {
		fprintf(stderr, "create_path: sim %s: %s\n", o.host, err.message);
		return 1;
	}
	profile = load_profile(o.profile);
	copts.ops = sim_device_ops(sim);
	closer = (struct closer){ close_in_sim, sim };

	bench_print_header("create_path: create + initialize + close, in process vs emulated device");
	printf("input:      %llu cycles x %llu repeats per path; host %s, kernel %s, "
	       "profile %s, flags lapic\n",
	       (unsigned long long)o.cycles, (unsigned long long)o.repeat, o.host,
	       EMU_KERNEL, o.profile);
	printf("emulator:   %s\n\n", emu);

	/*
	 * Interleaved, one child per repeat (its start and warm-up untimed), so
	 * drift from other load on the machine hits both paths alike.
	 */
	run_cycles(profile, &copts, &closer, warmup_count(o.cycles), "in-process");
	for (r = 0; r < o.repeat; r++) {
		ns_sim[r] = run_cycles(profile, &copts, &closer, o.cycles, "in-process");
		spawn_device(&o, emu, 1, &ns_dev[r]);
	}
	if (kshim_fd_count(sim_kshim(sim)) || hv_partition_count(sim_hv(sim))) {
		fprintf(stderr, "create_path: in-process cycles left descriptors or partitions\n");
		return 1;
	}

	best_sim = bench_best(ns_sim, o.repeat);
	best_dev = bench_best(ns_dev, o.repeat);
	med_sim = bench_median(ns_sim, o.repeat);
	med_dev = bench_median(ns_dev, o.repeat);

	printf("%-26s %12s %12s %10s %10s\n", "path", "cycles/s", "cycles/s",
	       "us/cycle", "us/cycle");
	printf("%-26s %12s %12s %10s %10s\n", "", "best", "median", "best", "median");
	row("in-process (sim ops)", o.cycles, best_sim, med_sim);
	row("emulated /dev/mshv", o.cycles, best_dev, med_dev);
	printf("\nprice of interception, device / in-process time per cycle: "
	       "%.2fx best, %.2fx median (+%.2f us/cycle best)\n",
	       (double)best_dev / best_sim, (double)med_dev / med_sim,
	       ((double)best_dev - (double)best_sim) / 1e3 / o.cycles);
	printf("target: none set; the ratio is the figure of merit\n");

	mshvcpu_profile_free(profile);
	sim_destroy(sim);
	free(ns_dev);
	free(ns_sim);
	return 0;
}
