// SPDX-License-Identifier: MIT
/*
 * The double fetch under fire: while one thread issues MSHV_CREATE_PARTITION
 * thousands of times on one user buffer, two others keep rewriting that
 * buffer, word by word, among valid v2, valid v1 and invalid contents. The
 * driver may see any mixture of them; whatever it accepts must still obey
 * the rules it validated:
 *  - the creation flags never come from the invalid flags word (it asks
 *    for LAPIC, X2APIC and GPA super pages, so a leak shows);
 *  - every forwarded bank and the xsave mask is a value some writer wrote
 *    to that word, or zero (the v1 path);
 *  - an accepted create is one partition, a refused one none, and the
 *    answer is a descriptor, EINVAL or EFAULT — nothing else.
 * Writers store whole aligned 64-bit words, as a VMM's struct assignments
 * do; the driver's copies may interleave them at any word.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hyperv/hv_partition.h>

#include "hv.h"
#include "kshim.h"

#define MSHV_CREATE_PARTITION	0x4010B800U
#define ITERATIONS		20000
#define WRITERS			2

/* The struct as eight words: flags, isolation, banks count+rsvd, bank0, bank1, rsvd1 x2, xsave. */
enum { W_FLAGS, W_ISOLATION, W_COUNT, W_BANK0, W_BANK1, W_RSVD1A, W_RSVD1B, W_XSAVE, WORDS };

#define FLAGS_V2		0x8ULL
#define FLAGS_V1		0x0ULL
#define FLAGS_INVALID		(0x7ULL | 1ULL << 40)	/* LAPIC|X2APIC|GPA + an unknown bit */
#define CREATION_EXO		(1ULL << 8 | 1ULL << 19)
#define CREATION_LEAKED		(1ULL << 13 | 1ULL << 22 | 1ULL << 4)

/* What the writers put in each word (index 0 valid, the rest mixed). */
static const uint64_t values[WORDS][3] = {
	[W_FLAGS] = { FLAGS_V2, FLAGS_V1, FLAGS_INVALID },
	[W_ISOLATION] = { 0, 0, 1 },
	[W_COUNT] = { 2, 3, 2 | 1ULL << 40 },		/* 2 banks; 3; a reserved byte */
	[W_BANK0] = { 0x1111111111111111ULL, 0x2222222222222222ULL, 0x8000000000000001ULL },
	[W_BANK1] = { 0x3333333333333333ULL, 0x4444444444444444ULL, 0xe000000000000000ULL },
	[W_RSVD1A] = { 0, 0, 0xff },
	[W_RSVD1B] = { 0, 0, 0 },
	[W_XSAVE] = { 0x5555555555555555ULL, 0x6666666666666666ULL, 0xffffff0000000000ULL },
};

static _Alignas(64) _Atomic uint64_t user[WORDS];
static atomic_bool stop;

static void *writer(void *arg)
{
	uint64_t x = (uintptr_t)arg * 0x9e3779b97f4a7c15ULL + 1;

	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		/* xorshift: which word, which value */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		atomic_store_explicit(&user[x % WORDS], values[x % WORDS][(x >> 8) % 3],
				      memory_order_relaxed);
	}
	return NULL;
}

static bool written(unsigned int word, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		if (values[word][i] == v)
			return true;
	return false;
}

static void accepted_creates_obey_the_rules(void **state)
{
	struct hv_host_config c = { .arch = HV_ARCH_X86_64, .vendor = HV_PROCESSOR_VENDOR_INTEL };
	struct kshim_config kc = { .abi = KSHIM_ABI_NESTED_SMT };
	pthread_t threads[WRITERS];
	unsigned int i, accepted = 0, refused = 0;
	uint64_t last_id = 0;
	struct kshim *k;
	struct hv *hv;
	int dev;

	(void)state;
	assert_int_equal(hv_create(&c, &hv), 0);
	kc.hv = hv;
	assert_int_equal(kshim_create(&kc, &k), 0);
	dev = kshim_open_dev(k);
	assert_true(dev >= 0);
	for (i = 0; i < WORDS; i++)
		atomic_store(&user[i], values[i][0]);
	for (i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, writer, (void *)(uintptr_t)(i + 1)),
				 0);

	for (i = 0; i < ITERATIONS; i++) {
		long fd = kshim_ioctl(k, dev, MSHV_CREATE_PARTITION, (unsigned long)user);
		struct hv_partition_info info;
		uint64_t id;
		bool found = false;

		if (fd < 0) {
			if (fd != -EINVAL && fd != -EFAULT)
				fail_msg("iteration %u: %ld", i, fd);
			assert_int_equal(hv_partition_count(hv), 0);
			refused++;
			continue;
		}
		accepted++;
		for (id = last_id + 1; id <= last_id + 64 && !found; id++)
			found = hv_partition_get_info(hv, id, &info) == 0;
		assert_true(found);
		last_id = info.id;
		if (info.creation_flags & CREATION_LEAKED)
			fail_msg("iteration %u: creation flags 0x%llx came from the invalid word", i,
				 (unsigned long long)info.creation_flags);
		assert_int_equal(info.creation_flags & ~CREATION_EXO, 0);
		assert_int_equal(info.isolation_properties, 0);
		if (!(info.disabled_banks[0] == 0 && info.disabled_banks[1] == 0 &&
		      info.disabled_xsave == 0) &&
		    (!written(W_BANK0, info.disabled_banks[0]) ||
		     !written(W_BANK1, info.disabled_banks[1]) ||
		     !written(W_XSAVE, info.disabled_xsave)))
			fail_msg("iteration %u: forwarded 0x%llx 0x%llx 0x%llx, never written", i,
				 (unsigned long long)info.disabled_banks[0],
				 (unsigned long long)info.disabled_banks[1],
				 (unsigned long long)info.disabled_xsave);
		assert_int_equal(kshim_close(k, (int)fd), 0);
		assert_int_equal(hv_partition_count(hv), 0);
	}
	atomic_store(&stop, true);
	for (i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
	print_message("# %u accepted, %u refused\n", accepted, refused);
	/* Both outcomes must have happened, or the race was not exercised. */
	assert_true(accepted > 0 && refused > 0);
	assert_int_equal(kshim_close(k, dev), 0);
	assert_int_equal(kshim_fd_count(k), 0);
	kshim_destroy(k);
	hv_destroy(hv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepted_creates_obey_the_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
