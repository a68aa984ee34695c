// SPDX-License-Identifier: MIT
/*
 * compat_scan: given N host offers in memory, find every host a profile can
 * run on. An operator tool keeps a fleet as an array of
 * struct mshvcpu_featureset (the offers) and scans it; this measures the
 * scan three ways through the library — mshvcpu_scan_runs_on() over the
 * array, and per host with mshvcpu_compare() or mshvcpu_featureset_is_subset()
 * — against a plain sequential read of the same bytes (the memory-bandwidth
 * bound). Target: mshvcpu_scan_runs_on() within 2x of that bound.
 *
 * "P runs on H": no vendor clash, and every bit P enables is known enabled
 * on H (an unknown bit on H is not assumed to be there). That is
 * mshvcpu_runs_on(), mshvcpu_compare() answering IDENTICAL or SUBSET with
 * nothing uncertain, or mshvcpu_featureset_is_subset() plus the vendor
 * rule; all are checked to agree on every host before anything is timed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mshvcpu.h>

#include "bench_common.h"

#define DEFAULT_COUNT	1000000
#define DEFAULT_REPEAT	9
#define DEFAULT_PROFILE	"x86-64-v3"
#define TARGET_RATIO	2.0

/* Recorded hosts the fleet is made of, and how common each is (of 10). */
static const struct {
	const char *model;
	unsigned int weight;
} fleet_mix[] = {
	{ "mshv-icelake-sp-azure", 4 },
	{ "mshv-skylake-sp", 3 },
	{ "whp-skylake-sp", 2 },
	{ "whp-epyc-milan-azure", 1 },
};

#define MIX_COUNT (sizeof(fleet_mix) / sizeof(fleet_mix[0]))

/* xorshift64*: fixed seed, so every run scans the same fleet. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Clear one enabled bit chosen at random (a few tries; offers are dense). */
static void clear_random_enabled(struct mshvcpu_featureset *s, bool forget)
{
	int tries;

	for (tries = 0; tries < 16; tries++) {
		uint64_t r = rng();
		unsigned int w = r % MSHVCPU_WORD_COUNT;
		uint64_t bit = 1ULL << ((r >> 8) % 64);

		if (!(s->enabled[w] & bit))
			continue;
		s->enabled[w] &= ~bit;
		if (forget)
			s->known[w] &= ~bit;
		return;
	}
}

/*
 * A fleet: recorded offers with a few features switched off per host
 * (BIOS settings, microcode, hypervisor versions), and now and then one
 * whose state is unknown (a host described by CPUID alone).
 */
static void make_fleet(struct mshvcpu_featureset *hosts, size_t n)
{
	struct mshvcpu_featureset base[MIX_COUNT];
	unsigned int pick[10], k = 0;
	size_t i, m;

	for (m = 0; m < MIX_COUNT; m++) {
		struct mshvcpu_host h;
		struct mshvcpu_error err = { 0 };
		unsigned int j;

		if (mshvcpu_host_load(fleet_mix[m].model, &h, &err)) {
			fprintf(stderr, "compat_scan: %s: %s\n", fleet_mix[m].model, err.message);
			exit(1);
		}
		base[m] = h.offered;
		for (j = 0; j < fleet_mix[m].weight; j++)
			pick[k++] = m;
	}
	for (i = 0; i < n; i++) {
		uint64_t r = rng();
		unsigned int cleared = r % 4, c;

		hosts[i] = base[pick[(r >> 8) % k]];
		for (c = 0; c < cleared; c++)
			clear_random_enabled(&hosts[i], false);
		if (((r >> 16) & 15) == 0)
			clear_random_enabled(&hosts[i], true);
	}
}

static bool vendors_clash(enum mshvcpu_vendor a, enum mshvcpu_vendor b)
{
	return a != b && a != MSHVCPU_VENDOR_ANY && b != MSHVCPU_VENDOR_ANY;
}

static bool runs_on_compare(const struct mshvcpu_featureset *p,
			    const struct mshvcpu_featureset *h)
{
	struct mshvcpu_comparison c;
	unsigned int w;

	mshvcpu_compare(p, h, &c);
	if (c.relation != MSHVCPU_IDENTICAL && c.relation != MSHVCPU_SUBSET)
		return false;
	/* The relation is over known bits only: unknown on the host is a no. */
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		if (c.uncertain_a.enabled[w])
			return false;
	return true;
}

static bool runs_on_subset(const struct mshvcpu_featureset *p,
			   const struct mshvcpu_featureset *h)
{
	/* is_subset looks at bits only; the vendor rule is the caller's. */
	return !vendors_clash(p->vendor, h->vendor) && mshvcpu_featureset_is_subset(p, h);
}

static size_t scan_compare(const struct mshvcpu_featureset *hosts, size_t n,
			   const struct mshvcpu_featureset *p, size_t *out)
{
	size_t i, found = 0;

	for (i = 0; i < n; i++)
		if (runs_on_compare(p, &hosts[i]))
			out[found++] = i;
	return found;
}

static size_t scan_subset(const struct mshvcpu_featureset *hosts, size_t n,
			  const struct mshvcpu_featureset *p, size_t *out)
{
	size_t i, found = 0;

	for (i = 0; i < n; i++)
		if (runs_on_subset(p, &hosts[i]))
			out[found++] = i;
	return found;
}

static volatile uint64_t sink;

/* The bound: every byte of the array read once, in order, and summed. */
static void read_sequential(const void *buf, size_t bytes)
{
	const uint64_t *w = buf;
	size_t i, n = bytes / sizeof(*w);
	uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;

	for (i = 0; i + 4 <= n; i += 4) {
		s0 += w[i];
		s1 += w[i + 1];
		s2 += w[i + 2];
		s3 += w[i + 3];
	}
	for (; i < n; i++)
		s0 += w[i];
	sink = s0 + s1 + s2 + s3;
}

enum { RUN_COMPARE, RUN_SUBSET, RUN_SCAN, RUN_READ, RUN_COUNT };

static const char *const run_names[RUN_COUNT] = {
	"(a1) mshvcpu_compare",
	"(a2) featureset_is_subset+vendor",
	"(b)  mshvcpu_scan_runs_on",
	"(c)  sequential read (bound)",
};

static void usage(FILE *f)
{
	fprintf(f, "usage: compat_scan [--count N] [--repeat N] [--profile SPEC]\n"
		   "  --count N      hosts in the fleet (default %d)\n"
		   "  --repeat N     timed runs of each scan (default %d)\n"
		   "  --profile SPEC profile spec to place (default %s)\n",
		DEFAULT_COUNT, DEFAULT_REPEAT, DEFAULT_PROFILE);
}

int main(int argc, char **argv)
{
	size_t n = DEFAULT_COUNT, repeat = DEFAULT_REPEAT, bytes, i, r;
	const char *spec = DEFAULT_PROFILE;
	struct mshvcpu_featureset *hosts;
	const struct mshvcpu_featureset *p;
	struct mshvcpu_profile *profile = NULL;
	struct mshvcpu_error err = { 0 };
	size_t *out_lib, *out_scan;
	uint64_t *ns[RUN_COUNT], best[RUN_COUNT], med[RUN_COUNT];
	size_t found[RUN_COUNT] = { 0 }, expect = 0;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--count")) {
			n = bench_parse_count(argv[0], argv[a], argv[a + 1]);
			a++;
		} else if (!strcmp(argv[a], "--repeat")) {
			repeat = bench_parse_count(argv[0], argv[a], argv[a + 1]);
			a++;
		} else if (!strcmp(argv[a], "--profile") && a + 1 < argc) {
			spec = argv[++a];
		} else if (!strcmp(argv[a], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}

	if (mshvcpu_profile_parse(spec, NULL, &profile, &err)) {
		fprintf(stderr, "compat_scan: profile %s: %s\n", spec, err.message);
		return 1;
	}
	p = mshvcpu_profile_features(profile);

	bytes = n * sizeof(*hosts);
	hosts = aligned_alloc(64, (bytes + 63) & ~(size_t)63);
	out_lib = malloc(n * sizeof(*out_lib));
	out_scan = malloc(n * sizeof(*out_scan));
	for (r = 0; r < RUN_COUNT; r++)
		ns[r] = calloc(repeat, sizeof(*ns[r]));
	if (!hosts || !out_lib || !out_scan || !ns[0] || !ns[1] || !ns[2] || !ns[3]) {
		fprintf(stderr, "compat_scan: out of memory\n");
		return 1;
	}
	/* Writing the fleet also faults in every page before timing. */
	make_fleet(hosts, n);
	memset(out_lib, 0, n * sizeof(*out_lib));
	memset(out_scan, 0, n * sizeof(*out_scan));

	/* Every way of asking must give the same answer for every host. */
	for (i = 0; i < n; i++) {
		bool c = runs_on_compare(p, &hosts[i]);

		if (c != runs_on_subset(p, &hosts[i]) || c != mshvcpu_runs_on(p, &hosts[i])) {
			char words[256];

			mshvcpu_featureset_format_words(&hosts[i], words, sizeof(words));
			fprintf(stderr, "compat_scan: host %zu (%s): compare says %d, "
				"is_subset+vendor %d, runs_on %d\n", i, words, c,
				runs_on_subset(p, &hosts[i]), mshvcpu_runs_on(p, &hosts[i]));
			return 1;
		}
		expect += c;
	}

	bench_print_header("compat_scan: find every host a profile runs on");
	printf("input:      %zu hosts x %zu bytes (struct mshvcpu_featureset) = %.1f MiB, "
	       "profile %s, %zu repeats\n",
	       n, sizeof(*hosts), bytes / 1048576.0, spec, repeat);
	printf("checked:    compare, is_subset+vendor and runs_on agree on all %zu hosts\n", n);
	printf("scans:      (a) and (b) also store each match's index (size_t); "
	       "(c) only reads\n\n");

	/* Interleaved, so drift from other load on the machine hits all alike. */
	for (r = 0; r < repeat; r++) {
		uint64_t t0;

		t0 = bench_now_ns();
		found[RUN_COMPARE] = scan_compare(hosts, n, p, out_lib);
		ns[RUN_COMPARE][r] = bench_now_ns() - t0;

		t0 = bench_now_ns();
		found[RUN_SUBSET] = scan_subset(hosts, n, p, out_lib);
		ns[RUN_SUBSET][r] = bench_now_ns() - t0;

		t0 = bench_now_ns();
		found[RUN_SCAN] = mshvcpu_scan_runs_on(p, hosts, n, out_scan);
		ns[RUN_SCAN][r] = bench_now_ns() - t0;

		t0 = bench_now_ns();
		read_sequential(hosts, bytes);
		ns[RUN_READ][r] = bench_now_ns() - t0;
	}
	if (found[RUN_COMPARE] != expect || found[RUN_SUBSET] != expect ||
	    found[RUN_SCAN] != expect ||
	    memcmp(out_lib, out_scan, expect * sizeof(*out_lib))) {
		fprintf(stderr, "compat_scan: timed scans disagree (%zu/%zu/%zu, expected %zu)\n",
			found[RUN_COMPARE], found[RUN_SUBSET], found[RUN_SCAN], expect);
		return 1;
	}

	printf("%-34s %10s %10s %9s %9s %8s %8s\n", "scan", "best ms", "median ms",
	       "ns/host", "ns/host", "GB/s", "GB/s");
	printf("%-34s %10s %10s %9s %9s %8s %8s\n", "", "", "", "best", "median",
	       "best", "median");
	for (r = 0; r < RUN_COUNT; r++) {
		best[r] = bench_best(ns[r], repeat);
		med[r] = bench_median(ns[r], repeat);
		printf("%-34s %10.3f %10.3f %9.2f %9.2f %8.2f %8.2f\n", run_names[r],
		       best[r] / 1e6, med[r] / 1e6, (double)best[r] / n, (double)med[r] / n,
		       (double)bytes / best[r], (double)bytes / med[r]);
	}

	printf("\ncompatible: %zu of %zu hosts (%.1f%%)\n", expect, n, 100.0 * expect / n);
	printf("ratio to the bound (best / median):\n");
	printf("  (a1)/(c) = %5.2f / %5.2f   library, mshvcpu_compare\n",
	       (double)best[RUN_COMPARE] / best[RUN_READ],
	       (double)med[RUN_COMPARE] / med[RUN_READ]);
	printf("  (a2)/(c) = %5.2f / %5.2f   library, mshvcpu_featureset_is_subset\n",
	       (double)best[RUN_SUBSET] / best[RUN_READ],
	       (double)med[RUN_SUBSET] / med[RUN_READ]);
	printf("  (b)/(c)  = %5.2f / %5.2f   library, mshvcpu_scan_runs_on\n",
	       (double)best[RUN_SCAN] / best[RUN_READ],
	       (double)med[RUN_SCAN] / med[RUN_READ]);
	printf("target: mshvcpu_scan_runs_on within %.0fx of the bound (best): %s\n", TARGET_RATIO,
	       (double)best[RUN_SCAN] / best[RUN_READ] <= TARGET_RATIO ? "met" : "not met");

	for (r = 0; r < RUN_COUNT; r++)
		free(ns[r]);
	free(out_scan);
	free(out_lib);
	free(hosts);
	mshvcpu_profile_free(profile);
	return 0;
}
