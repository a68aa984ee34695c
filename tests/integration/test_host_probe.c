// SPDX-License-Identifier: MIT
/*
 * mshvcpu_host_probe() through device ops into the kernel handler and the
 * hypervisor model: on a root partition the root's properties answer; on
 * a kernel before 6.19 (no self-targeted MSHV_ROOT_HVCALL) the probe says
 * so, and in AUTO mode falls back to CPUID saying why.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sim.h"

static const char *const recorded[] = {
	"mshv-icelake-sp-azure",
	"mshv-skylake-sp",
	"whp-epyc-milan-azure",
};

static struct sim *machine(const char *host, enum kshim_abi abi)
{
	struct sim_config config = { .host = host, .abi = abi };
	struct mshvcpu_error err = { 0 };
	struct sim *sim;

	if (sim_create(&config, &sim, &err))
		fail_msg("sim_create(%s): %s", host, err.message);
	return sim;
}

/* The hypervisor's answer is the host's offer, word for word. */
static void hypervisor_properties_give_the_offer(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(recorded) / sizeof(recorded[0]); i++) {
		struct sim *sim = machine(recorded[i], KSHIM_ABI_CPU_FEATURES);
		const struct mshvcpu_host *truth = sim_host(sim);
		MSHVCPU_OPTS(mshvcpu_probe_opts, opts, .mode = MSHVCPU_PROBE_HYPERVISOR,
			     .ops = sim_device_ops(sim));
		struct mshvcpu_error err = { 0 };
		struct mshvcpu_host host;
		enum mshvcpu_word w;

		assert_int_equal(mshvcpu_host_probe(&opts, &host, &err), 0);
		assert_int_equal(host.source, MSHVCPU_SOURCE_HYPERVISOR);
		assert_non_null(strstr(host.source_detail, "/dev/mshv"));
		assert_int_equal(host.offered.vendor, truth->offered.vendor);
		for (w = MSHVCPU_WORD_BANK0; w < MSHVCPU_WORD_COUNT; w++) {
			if (w == MSHVCPU_WORD_BANK2)
				continue;	/* no property reads bank 2 back */
			assert_int_equal(host.offered.known[w], ~0ULL);
			assert_int_equal(host.offered.enabled[w], truth->offered.enabled[w]);
		}
		assert_true(host.max_xsave_data_size >= 576);
		assert_true(host.xsave_states & 0x3);
		assert_int_equal(kshim_fd_count(sim_kshim(sim)), 0);	/* closed again */
		sim_destroy(sim);
	}
}

/* Before 6.19 the root's properties are out of reach: the error says why. */
static void v1_only_kernel_cannot_be_asked(void **state)
{
	struct sim *sim = machine("mshv-skylake-sp", KSHIM_ABI_V1_ONLY);
	MSHVCPU_OPTS(mshvcpu_probe_opts, opts, .mode = MSHVCPU_PROBE_HYPERVISOR,
		     .ops = sim_device_ops(sim));
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host host;

	(void)state;
	assert_int_equal(mshvcpu_host_probe(&opts, &host, &err), -ENOTTY);
	assert_int_equal(err.code, -ENOTTY);
	assert_non_null(strstr(err.message, "6.19"));
	assert_int_equal(kshim_fd_count(sim_kshim(sim)), 0);
	sim_destroy(sim);
}

/* AUTO falls back to CPUID and keeps the reason in the record. */
static void auto_mode_falls_back_to_cpuid_and_says_why(void **state)
{
	struct sim *sim = machine("mshv-skylake-sp", KSHIM_ABI_V1_ONLY);
	MSHVCPU_OPTS(mshvcpu_probe_opts, opts, .ops = sim_device_ops(sim),
		     .msr_device = "/nonexistent/msr");
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host host;
	int ret;

	(void)state;
	ret = mshvcpu_host_probe(&opts, &host, &err);
#if defined(__x86_64__) || defined(__i386__)
	assert_int_equal(ret, 0);
	assert_int_equal(host.source, MSHVCPU_SOURCE_CPUID);
	assert_non_null(strstr(host.source_detail, "hypervisor not used"));
	assert_non_null(strstr(host.source_detail, "6.19"));
	/* Every CPU this runs on has SSE2-era basics; sse3 is known. */
	assert_true(mshvcpu_featureset_state(&host.offered, mshvcpu_feature_find_any("sse3")) !=
		    MSHVCPU_UNKNOWN);
#else
	assert_int_equal(ret, -EOPNOTSUPP);
#endif
	sim_destroy(sim);
}

/* A device that is not there: HYPERVISOR mode fails with its errno. */
static void missing_device_is_an_error_in_hypervisor_mode(void **state)
{
	MSHVCPU_OPTS(mshvcpu_probe_opts, opts, .mode = MSHVCPU_PROBE_HYPERVISOR,
		     .device = "/nonexistent/mshv");
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host host;

	(void)state;
	assert_int_equal(mshvcpu_host_probe(&opts, &host, &err), -ENOENT);
	assert_non_null(strstr(err.message, "/nonexistent/mshv"));
}

/* Option structs from the future with unknown non-zero fields are refused. */
static void unknown_option_fields_are_refused(void **state)
{
	struct {
		struct mshvcpu_probe_opts o;
		uint64_t future;
	} big = { .o = { .sz = sizeof(big) }, .future = 1 };
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host host;

	(void)state;
	assert_int_equal(mshvcpu_host_probe(&big.o, &host, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hypervisor_properties_give_the_offer),
		cmocka_unit_test(v1_only_kernel_cannot_be_asked),
		cmocka_unit_test(auto_mode_falls_back_to_cpuid_and_says_why),
		cmocka_unit_test(missing_device_is_an_error_in_hypervisor_mode),
		cmocka_unit_test(unknown_option_fields_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
