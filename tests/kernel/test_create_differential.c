// SPDX-License-Identifier: MIT
/*
 * Differential test of MSHV_CREATE_PARTITION: every case goes through the
 * driver's real entry (kshim_ioctl on a /dev/mshv descriptor) and through
 * the oracle (create_oracle.c), and the two must agree on
 *   - the return value (a partition descriptor, or the same -errno),
 *   - the sizes of the fetches from user memory, in order,
 *   - whether CreatePartition is called, and its input byte for byte.
 *
 * Cases: an exhaustive grid of the edges (flag bits 0-7 and 63, isolation,
 * bank counts, each reserved byte, an argument ending at an unmapped page
 * after 0-64 bytes, the struct rewritten between the fetches), then seeded
 * random cases. Each case runs on all three ABI levels. Built twice, like
 * the driver: as on x86_64 and as on another architecture.
 *
 * MSHVCPU_DIFF_SEED and MSHVCPU_DIFF_CASES change the random part.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "create_oracle.h"
#include "kernel_harness.h"

#define RANDOM_CASES_DEFAULT	100000UL

static const enum kshim_abi abi_of[ORACLE_LEVEL_COUNT] = {
	[ORACLE_LEVEL_V1_ONLY] = KSHIM_ABI_V1_ONLY,
	[ORACLE_LEVEL_CPU_FEATURES] = KSHIM_ABI_CPU_FEATURES,
	[ORACLE_LEVEL_NESTED_SMT] = KSHIM_ABI_NESTED_SMT,
};

/* What the driver did in one case, as the shim's hooks saw it. */
struct observed {
	const struct oracle_case *c;
	uint8_t *arg;
	unsigned int copies;
	size_t copy_size[4];
	unsigned int hypercalls;
	unsigned int creates;
	uint8_t create_input[ORACLE_INPUT_MAX];
};

/* One kernel per level, /dev/mshv open, each with a page followed by a guard page. */
struct bench {
	struct env env[ORACLE_LEVEL_COUNT];
	struct observed obs;
	unsigned long cases;
};

static void on_copy(void *ctx, unsigned int nth, const void *uaddr, size_t len)
{
	struct observed *o = ctx;

	(void)uaddr;
	if (o->copies < 4)
		o->copy_size[o->copies] = len;
	o->copies++;
	/* Between the first fetch and the second, the user rewrites the struct. */
	if (nth == 1)
		memcpy(o->arg, o->c->second, o->c->readable);
}

static void on_hypercall(void *ctx, uint64_t control, const void *input)
{
	struct observed *o = ctx;

	o->hypercalls++;
	if ((control & 0xFFFF) == HC_CREATE_PARTITION) {
		if (o->creates == 0)
			memcpy(o->create_input, input, sizeof(o->create_input));
		o->creates++;
	}
}

static int bench_up(void **state)
{
	struct bench *b = calloc(1, sizeof(*b));
	enum oracle_level l;

	assert_non_null(b);
	for (l = 0; l < ORACLE_LEVEL_COUNT; l++) {
		/* Nothing offered: no disabled mask can break a dependency. */
		env_up_on(&b->env[l], TEST_NONX86 ? HOST_ARM64 : HOST_X86_64, abi_of[l], ENV_DEV);
		kshim_set_copy_from_user_hook(b->env[l].k, on_copy, &b->obs);
		kshim_set_hypercall_hook(b->env[l].k, on_hypercall, &b->obs);
	}
	*state = b;
	return 0;
}

static int bench_down(void **state)
{
	struct bench *b = *state;
	enum oracle_level l;

	for (l = 0; l < ORACLE_LEVEL_COUNT; l++)
		env_down(&b->env[l]);
	print_message("# %lu cases agreed with the oracle\n", b->cases);
	free(b);
	return 0;
}

static void hex(char *out, size_t cap, const uint8_t *bytes, size_t n)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < n && used + 3 < cap; i++)
		used += (size_t)snprintf(out + used, cap - used, "%02x%s", bytes[i],
					 i % 8 == 7 && i + 1 < n ? " " : "");
}

static void divergence(const struct oracle_case *c, const char *what, long want, long got)
{
	char first[200], second[200];

	hex(first, sizeof(first), c->first, ORACLE_ARG_SIZE);
	hex(second, sizeof(second), c->second, ORACLE_ARG_SIZE);
	fail_msg("divergence in %s: want %ld, got %ld\n"
		 "  level %s, %s, %zu bytes readable\n  first  %s\n  second %s",
		 what, want, got, oracle_level_name(c->level),
		 c->x86_64 ? "x86_64" : "non-x86", c->readable, first, second);
}

/* One case through the driver and the oracle; fails the test on any difference. */
static void run_case(struct bench *b, const struct oracle_case *c)
{
	struct oracle_result want;
	struct observed *o = &b->obs;
	struct env *e = &b->env[c->level];
	enum kshim_fd_kind kind;
	unsigned int i;
	size_t left;
	long ret;

	oracle_create_partition(c, &want);

	memset(o, 0, sizeof(*o));
	o->c = c;
	o->arg = e->guard.end - c->readable;
	memcpy(o->arg, c->first, c->readable);
	ret = kshim_ioctl(e->k, e->fd[ON_DEV], MSHV_CREATE_PARTITION, (unsigned long)o->arg);
	/* Observe, then clean up, so that a divergence leaves nothing behind. */
	kind = ret >= 0 ? kshim_fd_kind(e->k, (int)ret) : KSHIM_FD_NONE;
	if (ret >= 0)
		kshim_close(e->k, (int)ret);
	left = hv_partition_count(e->hv);

	if (want.error && ret != want.error)
		divergence(c, "return value", want.error, ret);
	if (!want.error && ret < 0)
		divergence(c, "return value", 0, ret);
	if (!want.error && kind != KSHIM_FD_PARTITION)
		divergence(c, "descriptor kind", KSHIM_FD_PARTITION, kind);
	if (o->copies != want.copies)
		divergence(c, "number of fetches", want.copies, o->copies);
	for (i = 0; i < want.copies; i++)
		if (o->copy_size[i] != want.copy_size[i])
			divergence(c, "fetch size", (long)want.copy_size[i], (long)o->copy_size[i]);
	if (!want.calls_hypervisor) {
		if (o->hypercalls)
			divergence(c, "hypercalls made", 0, o->hypercalls);
	} else {
		if (o->creates != 1)
			divergence(c, "CreatePartition calls", 1, o->creates);
		if (memcmp(o->create_input, want.input, want.input_size) != 0) {
			char w[200], g[200];

			hex(w, sizeof(w), want.input, want.input_size);
			hex(g, sizeof(g), o->create_input, want.input_size);
			print_message("# CreatePartition input\n#   want %s\n#   got  %s\n", w, g);
			divergence(c, "CreatePartition input (bytes differ)", 0, 1);
		}
	}
	if (left)
		divergence(c, "partitions left after close", 0, (long)left);
	b->cases++;
}

/* The same argument on every level. */
static void run_on_all_levels(struct bench *b, struct oracle_case *c)
{
	enum oracle_level l;

	c->x86_64 = !TEST_NONX86;
	for (l = 0; l < ORACLE_LEVEL_COUNT; l++) {
		c->level = l;
		run_case(b, c);
	}
}

static void put_le(uint8_t *bytes, size_t offset, size_t size, uint64_t v)
{
	size_t i;

	for (i = 0; i < size; i++, v >>= 8)
		bytes[offset + i] = (uint8_t)v;
}

/* A well-formed v2 argument with recognisable banks and xsave. */
static void base_args(struct oracle_case *c, uint64_t flags)
{
	memset(c, 0, sizeof(*c));
	put_le(c->first, 0, 8, flags);
	put_le(c->first, 16, 2, 2);
	put_le(c->first, 24, 8, 0x0123456789abcdefULL);
	put_le(c->first, 32, 8, 0xfedcba9876543210ULL);
	if (!TEST_NONX86)
		put_le(c->first, 56, 8, 0xffffffffffffe7e0ULL);
	memcpy(c->second, c->first, ORACLE_ARG_SIZE);
	c->readable = ORACLE_ARG_SIZE;
}

static const unsigned int grid_flag_bits[] = { 0, 1, 2, 3, 4, 5, 6, 7, 63 };
static const uint64_t grid_isolation[] = { 0, 1, 2, 1ULL << 63 };
static const uint16_t grid_bank_counts[] = { 0, 1, 2, 3, 65535 };

static uint64_t flags_from_subset(unsigned int subset)
{
	uint64_t flags = 0;
	size_t i;

	for (i = 0; i < ARRAY_LEN(grid_flag_bits); i++)
		if (subset >> i & 1)
			flags |= 1ULL << grid_flag_bits[i];
	return flags;
}

/* Every subset of the flag bits x every isolation x every bank count. */
static void grid_flags_isolation_banks(void **state)
{
	struct bench *b = *state;
	struct oracle_case c;
	unsigned int subset;
	size_t i, j;

	for (subset = 0; subset < 1U << 9; subset++)
		for (i = 0; i < 4; i++)
			for (j = 0; j < 5; j++) {
				base_args(&c, flags_from_subset(subset));
				put_le(c.first, 8, 8, grid_isolation[i]);
				put_le(c.first, 16, 2, grid_bank_counts[j]);
				memcpy(c.second, c.first, ORACLE_ARG_SIZE);
				run_on_all_levels(b, &c);
			}
}

/* Each reserved byte (pt_rsvd2 too off x86_64) nonzero, with and without bit 3. */
static void grid_reserved_bytes(void **state)
{
	static const uint8_t values[] = { 0x01, 0x80, 0xff };
	static const uint64_t flags[] = { 0, 1ULL << 3, 1ULL << 3 | 0x7, 1ULL << 3 | 0x30 };
	struct bench *b = *state;
	struct oracle_case c;
	size_t off, v, f;

	for (off = 16; off < ORACLE_ARG_SIZE; off++) {
		bool reserved = (off >= 18 && off < 24) || (off >= 40 && off < 56) ||
				(TEST_NONX86 && off >= 56);

		if (!reserved)
			continue;
		for (v = 0; v < sizeof(values); v++)
			for (f = 0; f < ARRAY_LEN(flags); f++) {
				base_args(&c, flags[f]);
				c.first[off] = values[v];
				memcpy(c.second, c.first, ORACLE_ARG_SIZE);
				run_on_all_levels(b, &c);
			}
	}
}

/* The argument ends at an unmapped page after 0-64 bytes. */
static void grid_guard_page(void **state)
{
	static const uint64_t flags[] = { 0, 0x7, 1ULL << 3, 1ULL << 3 | 0x3, 1ULL << 40 };
	struct bench *b = *state;
	struct oracle_case c;
	size_t readable, f;

	for (readable = 0; readable <= ORACLE_ARG_SIZE; readable++)
		for (f = 0; f < ARRAY_LEN(flags); f++) {
			base_args(&c, flags[f]);
			c.readable = readable;
			run_on_all_levels(b, &c);
			/* The same with a bad bank count: which error comes first. */
			put_le(c.first, 16, 2, 3);
			memcpy(c.second, c.first, ORACLE_ARG_SIZE);
			run_on_all_levels(b, &c);
		}
}

/* One field rewritten between the two fetches. */
static void grid_rewrite_between_fetches(void **state)
{
	static const struct {
		size_t offset, size;
		uint64_t value;
	} rewrites[] = {
		{ 0, 8, 0 },			/* bit 3 cleared */
		{ 0, 8, 1ULL << 3 | 1 },	/* LAPIC added */
		{ 0, 8, 1ULL << 3 | 1ULL << 4 },	/* NESTED: not on 6.19 */
		{ 0, 8, 1ULL << 3 | 1ULL << 6 },	/* outside every mask */
		{ 0, 8, 1ULL << 63 },
		{ 8, 8, 1 },			/* isolation */
		{ 8, 8, 1ULL << 63 },
		{ 16, 2, 3 },			/* bank count */
		{ 16, 2, 1 },
		{ 18, 1, 0x5a },		/* pt_rsvd */
		{ 23, 1, 0x01 },
		{ 24, 8, 0 },			/* banks */
		{ 32, 8, ~0ULL },
		{ 40, 8, 1 },			/* pt_rsvd1 */
		{ 55, 1, 0x80 },
		{ 56, 8, 0x3 },			/* xsave, or pt_rsvd2 */
	};
	static const uint64_t first_flags[] = { 1ULL << 3, 1ULL << 3 | 0x7, 1ULL << 3 | 0x27, 0 };
	struct bench *b = *state;
	struct oracle_case c;
	size_t r, f;

	for (r = 0; r < ARRAY_LEN(rewrites); r++)
		for (f = 0; f < ARRAY_LEN(first_flags); f++) {
			base_args(&c, first_flags[f]);
			put_le(c.second, rewrites[r].offset, rewrites[r].size, rewrites[r].value);
			run_on_all_levels(b, &c);
		}
}

/* xorshift64*: small, seedable, the same on every machine. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* True with probability 1/n. */
static bool one_in(unsigned int n)
{
	return rng() % n == 0;
}

static uint64_t random_flags(void)
{
	uint64_t flags = 0;
	unsigned int bit;

	for (bit = 0; bit < 6; bit++)
		if (one_in(2))
			flags |= 1ULL << bit;
	if (one_in(12))
		flags |= 1ULL << (rng() % 64);
	return flags;
}

static uint64_t random_isolation(void)
{
	static const uint64_t odd[] = { 1, 2, 3, 1ULL << 63 };

	if (!one_in(8))
		return 0;
	return one_in(2) ? odd[rng() % 4] : rng();
}

static uint16_t random_bank_count(void)
{
	if (!one_in(8))
		return 2;
	return one_in(2) ? grid_bank_counts[rng() % 5] : (uint16_t)rng();
}

/* Rewrites one field of @args the way the generator would draw it. */
static void random_field(uint8_t *args)
{
	switch (rng() % 6) {
	case 0:
		put_le(args, 0, 8, random_flags());
		break;
	case 1:
		put_le(args, 8, 8, random_isolation());
		break;
	case 2:
		put_le(args, 16, 2, random_bank_count());
		break;
	case 3:	/* one byte of pt_rsvd or pt_rsvd1 */
		args[rng() % 2 ? 18 + rng() % 6 : 40 + rng() % 16] = (uint8_t)(rng() | 1);
		break;
	case 4:
		put_le(args, 24 + 8 * (rng() % 2), 8, rng());
		break;
	default:
		put_le(args, 56, 8, rng());
		break;
	}
}

static void random_case(struct oracle_case *c)
{
	memset(c, 0, sizeof(*c));
	put_le(c->first, 0, 8, random_flags());
	put_le(c->first, 8, 8, random_isolation());
	put_le(c->first, 16, 2, random_bank_count());
	put_le(c->first, 24, 8, rng());
	put_le(c->first, 32, 8, rng());
	if (!TEST_NONX86 || one_in(6))
		put_le(c->first, 56, 8, rng());
	if (one_in(8))
		random_field(c->first);
	memcpy(c->second, c->first, ORACLE_ARG_SIZE);
	if (one_in(5)) {
		random_field(c->second);
		if (one_in(3))
			random_field(c->second);
	}
	c->readable = one_in(10) ? rng() % (ORACLE_ARG_SIZE + 1) : ORACLE_ARG_SIZE;
}

static unsigned long env_ulong(const char *name, unsigned long fallback)
{
	const char *s = getenv(name);

	return s && *s ? strtoul(s, NULL, 0) : fallback;
}

static void random_cases(void **state)
{
	struct bench *b = *state;
	unsigned long n = env_ulong("MSHVCPU_DIFF_CASES", RANDOM_CASES_DEFAULT);
	unsigned long seed = env_ulong("MSHVCPU_DIFF_SEED", 0x6d736876UL);
	struct oracle_case c;
	unsigned long i;

	print_message("# seed 0x%lx, %lu cases per level\n", seed, n);
	rng_state = seed ? seed : 1;
	for (i = 0; i < n; i++) {
		random_case(&c);
		run_on_all_levels(b, &c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grid_flags_isolation_banks),
		cmocka_unit_test(grid_reserved_bytes),
		cmocka_unit_test(grid_guard_page),
		cmocka_unit_test(grid_rewrite_between_fetches),
		cmocka_unit_test(random_cases),
	};

	return cmocka_run_group_tests(tests, bench_up, bench_down);
}
