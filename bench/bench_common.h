/* SPDX-License-Identifier: MIT */
/*
 * Helpers the benchmarks share: the machine header every result table
 * starts with, a monotonic clock, best/median of repeated runs, and option
 * parsing for counts. Benchmarks print tables; they never pass or fail.
 */
#ifndef MSHVCPU_BENCH_COMMON_H
#define MSHVCPU_BENCH_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* meson passes the build type; a hand-built binary says so. */
#ifndef BENCH_BUILDTYPE
#define BENCH_BUILDTYPE "unknown"
#endif
#ifndef BENCH_OPTIMIZATION
#define BENCH_OPTIMIZATION "?"
#endif
/* GCC's __VERSION__ is a bare number; clang's names itself. */
#if defined(__GNUC__) && !defined(__clang__)
#define BENCH_COMPILER "gcc " __VERSION__
#else
#define BENCH_COMPILER __VERSION__
#endif

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static inline int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts @v in place; the lower middle for an even count. */
static inline uint64_t bench_median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), bench_cmp_u64);
	return v[(n - 1) / 2];
}

static inline uint64_t bench_best(const uint64_t *v, size_t n)
{
	uint64_t best = UINT64_MAX;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] < best)
			best = v[i];
	return best;
}

/* "model name" of the first CPU in /proc/cpuinfo, or "unknown". */
static inline void bench_cpu_model(char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon;

		if (strncmp(line, "model name", 10) != 0 || !(colon = strchr(line, ':')))
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(buf, len, "%s", colon);
		break;
	}
	fclose(f);
}

static inline void bench_print_header(const char *title)
{
	char cpu[256];

	bench_cpu_model(cpu, sizeof(cpu));
	printf("== %s ==\n", title);
	printf("machine:    %s, %ld cores online\n", cpu, sysconf(_SC_NPROCESSORS_ONLN));
	printf("compiler:   %s\n", BENCH_COMPILER);
	printf("build type: %s (-O%s)\n", BENCH_BUILDTYPE, BENCH_OPTIMIZATION);
}

/* A positive count from argv, or exit with a usage message. */
static inline uint64_t bench_parse_count(const char *prog, const char *opt, const char *arg)
{
	unsigned long long v;
	char *end;

	if (!arg) {
		fprintf(stderr, "%s: %s needs a number\n", prog, opt);
		exit(2);
	}
	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || v == 0 || arg[0] == '-') {
		fprintf(stderr, "%s: %s %s: not a positive number\n", prog, opt, arg);
		exit(2);
	}
	return v;
}

#endif
