// SPDX-License-Identifier: MIT
/*
 * libmshvcpu's create flow against the real kernel handler and the
 * hypervisor model (emu/sim), on every kernel ABI level: what reaches the
 * hypervisor, what is read back, and how each refusal is explained.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim.h"

#define ICX "mshv-icelake-sp-azure"
#define SKX "mshv-skylake-sp"

struct flow {
	struct sim *sim;
	struct mshvcpu_profile *profile;
	struct mshvcpu_partition_record rec;
	struct mshvcpu_error err;
	int pfd;
	int ret;
};

static const struct mshvcpu_feature *feature(const char *name)
{
	const struct mshvcpu_feature *f = mshvcpu_feature_find_any(name);

	assert_non_null(f);
	return f;
}

/* Build a machine offering @host at @abi and create a partition for @spec. */
static void run(struct flow *fl, const char *host, enum kshim_abi abi, const char *spec,
		unsigned int flags, bool allow_v1)
{
	struct sim_config config = { .host = host, .abi = abi };
	MSHVCPU_OPTS(mshvcpu_profile_opts, popts, .host = NULL);
	MSHVCPU_OPTS(mshvcpu_create_opts, copts, .flags = flags, .allow_v1_fallback = allow_v1);

	memset(fl, 0, sizeof(*fl));
	assert_int_equal(sim_create(&config, &fl->sim, &fl->err), 0);
	popts.host = sim_host(fl->sim);
	assert_int_equal(mshvcpu_profile_parse(spec, &popts, &fl->profile, &fl->err), 0);
	copts.ops = sim_device_ops(fl->sim);
	fl->ret = mshvcpu_partition_create(fl->profile, &copts, &fl->pfd, &fl->rec, &fl->err);
}

static void done(struct flow *fl)
{
	if (fl->pfd >= 0 && fl->ret == 0)
		assert_int_equal(kshim_close(sim_kshim(fl->sim), fl->pfd), 0);
	assert_int_equal(kshim_fd_count(sim_kshim(fl->sim)), 0);
	assert_int_equal(hv_partition_count(sim_hv(fl->sim)), 0);
	mshvcpu_partition_record_clear(&fl->rec);
	mshvcpu_profile_free(fl->profile);
	sim_destroy(fl->sim);
}

/* The only live partition in the model. */
static void model_partition(struct flow *fl, struct hv_partition_info *info)
{
	uint64_t id;

	assert_int_equal(hv_partition_count(sim_hv(fl->sim)), 1);
	for (id = 1; id < 1000; id++)
		if (hv_partition_get_info(sim_hv(fl->sim), id, info) == 0)
			return;
	fail_msg("no live partition");
}

static void v2_masks_reach_the_hypervisor(void **state)
{
	enum kshim_abi levels[] = { KSHIM_ABI_CPU_FEATURES, KSHIM_ABI_NESTED_SMT };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct hv_partition_info info;
		struct flow fl;

		run(&fl, ICX, levels[i], "x86-64-v3", MSHVCPU_CREATE_LAPIC, false);
		assert_int_equal(fl.ret, 0);
		assert_int_equal(fl.rec.create_struct, MSHVCPU_CREATE_V2);
		model_partition(&fl, &info);
		assert_int_equal(info.state, HV_PARTITION_STATE_INITIALIZED);
		assert_int_equal(info.disabled_banks[0], fl.rec.masks.disabled_banks[0]);
		assert_int_equal(info.disabled_banks[1], fl.rec.masks.disabled_banks[1]);
		assert_int_equal(info.disabled_xsave, fl.rec.masks.disabled_xsave);
		/* What is read back is what the model holds. */
		assert_int_equal(fl.rec.effective.enabled[MSHVCPU_WORD_BANK0],
				 info.effective[HV_FEATURE_WORD_BANK0]);
		assert_int_equal(fl.rec.effective.enabled[MSHVCPU_WORD_XSAVE],
				 info.effective[HV_FEATURE_WORD_XSAVE]);
		assert_true(mshvcpu_featureset_has(&fl.rec.effective, feature("avx2")));
		assert_false(mshvcpu_featureset_has(&fl.rec.effective, feature("avx512")));
		assert_int_equal(fl.rec.max_xsave_data_size, info.max_xsave_data_size);
		done(&fl);
	}
}

static void v1_only_kernel_refuses_a_constrained_profile(void **state)
{
	struct flow fl;

	(void)state;
	run(&fl, ICX, KSHIM_ABI_V1_ONLY, "x86-64-v3", 0, false);
	assert_int_equal(fl.ret, -EOPNOTSUPP);
	assert_non_null(strstr(fl.err.message, "6.19"));
	assert_int_equal(hv_partition_count(sim_hv(fl.sim)), 0);
	done(&fl);
}

static void v1_only_kernel_with_fallback_enables_everything(void **state)
{
	struct hv_partition_info info;
	struct flow fl;

	(void)state;
	run(&fl, SKX, KSHIM_ABI_V1_ONLY, "x86-64-v2", 0, true);
	assert_int_equal(fl.ret, 0);
	assert_int_equal(fl.rec.create_struct, MSHVCPU_CREATE_V1);
	assert_int_equal(fl.rec.masks.disabled_banks[0], 0);
	assert_int_equal(fl.rec.masks.disabled_xsave, 0);
	model_partition(&fl, &info);
	assert_int_equal(info.disabled_banks[0], 0);
	assert_int_equal(info.disabled_banks[1], 0);
	assert_int_equal(info.disabled_xsave, 0);
	/* Everything the host offers arrived, including avx512 (beyond v2). */
	assert_true(mshvcpu_featureset_has(&fl.rec.effective, feature("avx512")));
	done(&fl);
}

static void nested_flag_needs_the_2026_kernel(void **state)
{
	struct flow fl;

	(void)state;
	run(&fl, ICX, KSHIM_ABI_CPU_FEATURES, ICX, MSHVCPU_CREATE_NESTED, false);
	assert_int_equal(fl.ret, -EOPNOTSUPP);
	assert_non_null(strstr(fl.err.message, "2026"));
	assert_int_equal(hv_partition_count(sim_hv(fl.sim)), 0);
	done(&fl);

	run(&fl, ICX, KSHIM_ABI_NESTED_SMT, ICX, MSHVCPU_CREATE_NESTED, false);
	assert_int_equal(fl.ret, 0);
	assert_true(fl.rec.pt_flags & (1ULL << 4));
	done(&fl);
}

static void sole_mb_clear_refusal_is_explained(void **state)
{
	struct flow fl;

	(void)state;
	run(&fl, SKX, KSHIM_ABI_NESTED_SMT, SKX ",-mb_clear", 0, false);
	assert_true(fl.ret < 0);
	assert_non_null(strstr(fl.err.message, "mb_clear"));
	assert_int_equal(hv_partition_count(sim_hv(fl.sim)), 0);
	done(&fl);
}

static void features_the_host_lacks_are_reported_dropped(void **state)
{
	struct flow fl;

	(void)state;
	/* Ice Lake's profile on a Skylake host: e.g. vaes and gfni do not arrive. */
	run(&fl, SKX, KSHIM_ABI_NESTED_SMT, ICX, 0, false);
	assert_int_equal(fl.ret, 0);
	assert_true(mshvcpu_featureset_has(&fl.rec.dropped, feature("vaes")));
	assert_true(mshvcpu_featureset_has(&fl.rec.dropped, feature("gfni")));
	assert_false(mshvcpu_featureset_has(&fl.rec.dropped, feature("avx2")));
	assert_false(mshvcpu_featureset_has(&fl.rec.effective, feature("vaes")));
	done(&fl);
}

static void bank2_goes_as_an_early_property(void **state)
{
	struct hv_partition_info info;
	const struct mshvcpu_feature *lass = feature("lass");
	struct flow fl;

	(void)state;
	assert_int_equal(mshvcpu_feature_word(lass), MSHVCPU_WORD_BANK2);
	run(&fl, "all", KSHIM_ABI_NESTED_SMT, "all,-lass", 0, false);
	assert_int_equal(fl.ret, 0);
	assert_true(fl.rec.masks.set_bank2);
	model_partition(&fl, &info);
	assert_int_equal(info.disabled_bank2, 1ULL << mshvcpu_feature_bit(lass));
	assert_int_equal(info.effective[HV_FEATURE_WORD_BANK2] >> mshvcpu_feature_bit(lass) & 1, 0);
	done(&fl);
}

static void no_initialize_leaves_the_early_window_open(void **state)
{
	struct hv_partition_info info;
	struct flow fl;
	struct sim_config config = { .host = ICX, .abi = KSHIM_ABI_NESTED_SMT };
	MSHVCPU_OPTS(mshvcpu_create_opts, copts, .no_initialize = true);

	(void)state;
	memset(&fl, 0, sizeof(fl));
	assert_int_equal(sim_create(&config, &fl.sim, &fl.err), 0);
	assert_int_equal(mshvcpu_profile_parse("x86-64-v2", NULL, &fl.profile, &fl.err), 0);
	copts.ops = sim_device_ops(fl.sim);
	fl.ret = mshvcpu_partition_create(fl.profile, &copts, &fl.pfd, &fl.rec, &fl.err);
	assert_int_equal(fl.ret, 0);
	model_partition(&fl, &info);
	assert_int_equal(info.state, HV_PARTITION_STATE_CREATED);
	done(&fl);
}

/* Like run(), with a base request and enforce. */
static void run_with(struct flow *fl, const char *host, const char *spec,
		     const struct mshvcpu_create_base *base, bool enforce)
{
	struct sim_config config = { .host = host, .abi = KSHIM_ABI_NESTED_SMT };
	MSHVCPU_OPTS(mshvcpu_profile_opts, popts, .host = NULL);
	MSHVCPU_OPTS(mshvcpu_create_opts, copts, .base = base, .enforce = enforce,
		     .policy = MSHVCPU_POLICY_MIGRATION_SAFE);

	memset(fl, 0, sizeof(*fl));
	assert_int_equal(sim_create(&config, &fl->sim, &fl->err), 0);
	popts.host = sim_host(fl->sim);
	assert_int_equal(mshvcpu_profile_parse(spec, &popts, &fl->profile, &fl->err), 0);
	copts.ops = sim_device_ops(fl->sim);
	fl->ret = mshvcpu_partition_create(fl->profile, &copts, &fl->pfd, &fl->rec, &fl->err);
}

static void a_base_request_is_honoured_as_well(void **state)
{
	/* A VMM that asked for LAPIC and X2APIC and disabled bank 0 bit 0 (sse3) and xsave bit 2. */
	const struct mshvcpu_create_base base = {
		.pt_flags = 1ULL << 0 | 1ULL << 1 | 1ULL << 3,
		.disabled_banks = { 1ULL << 0, 0 },
		.disabled_xsave = 1ULL << 2,
	};
	struct hv_partition_info info, alone;
	struct flow fl;

	(void)state;
	run_with(&fl, ICX, "x86-64-v3", NULL, false);
	assert_int_equal(fl.ret, 0);
	model_partition(&fl, &alone);
	done(&fl);

	run_with(&fl, ICX, "x86-64-v3", &base, false);
	assert_int_equal(fl.ret, 0);
	model_partition(&fl, &info);
	/* The union: what the profile disables, what the VMM did, and what needs that. */
	assert_int_equal(info.disabled_banks[0] & (alone.disabled_banks[0] | 1ULL << 0),
			 alone.disabled_banks[0] | 1ULL << 0);
	assert_int_equal(info.disabled_banks[1] & alone.disabled_banks[1], alone.disabled_banks[1]);
	assert_int_equal(info.disabled_xsave & (alone.disabled_xsave | 1ULL << 2),
			 alone.disabled_xsave | 1ULL << 2);
	/* Its flags went along (LAPIC and X2APIC are creation flags 1 << 0 and 1 << 1 of the */
	/* record's pt_flags), bit 3 once, as the v2 struct's own. */
	assert_int_equal(fl.rec.pt_flags, 1ULL << 0 | 1ULL << 1 | 1ULL << 3);
	/*
	 * sse3 left the request, with every feature that needs it (the
	 * request is consistent: the hypervisor would refuse it otherwise),
	 * so nothing the VMM disabled is reported dropped.
	 */
	assert_false(mshvcpu_featureset_has(&fl.rec.requested, feature("sse3")));
	assert_int_equal(mshvcpu_deps_check(&fl.rec.requested, NULL, 0), 0);
	assert_false(mshvcpu_featureset_has(&fl.rec.dropped, feature("sse3")));
	done(&fl);
}

static void enforce_refuses_what_the_host_lacks_before_creating(void **state)
{
	const struct mshvcpu_create_base base = { .disabled_banks = { 1ULL << 0, 0 } };
	struct flow fl;

	(void)state;
	/* Ice Lake features on Skylake: refused, named, and nothing was created. */
	run_with(&fl, SKX, ICX, NULL, true);
	assert_int_equal(fl.ret, -ENOTSUP);
	assert_non_null(strstr(fl.err.message, "avx512_vnni"));
	assert_non_null(strstr(fl.err.message, "cannot give the whole profile"));
	assert_int_equal(hv_partition_count(sim_hv(fl.sim)), 0);
	done(&fl);

	/* Everything there: created; a feature the base disables is not the host's fault. */
	run_with(&fl, ICX, "x86-64-v3", &base, true);
	assert_int_equal(fl.ret, 0);
	done(&fl);

	/* Without enforce the same request is created, the lack reported dropped. */
	run_with(&fl, SKX, ICX, NULL, false);
	assert_int_equal(fl.ret, 0);
	assert_true(mshvcpu_featureset_has(&fl.rec.dropped, feature("avx512_vnni")));
	done(&fl);
}

static void a_profile_of_the_other_vendor_is_refused(void **state)
{
	struct flow fl;

	(void)state;
	run_with(&fl, SKX, "whp-epyc-milan-azure", NULL, false);
	assert_int_equal(fl.ret, -EXDEV);
	assert_non_null(strstr(fl.err.message, "amd"));
	assert_int_equal(hv_partition_count(sim_hv(fl.sim)), 0);
	done(&fl);
}

static void the_request_is_what_create_sends(void **state)
{
	const struct mshvcpu_create_base base = { .disabled_banks = { 1ULL << 29, 0 } };
	MSHVCPU_OPTS(mshvcpu_create_opts, copts, .base = &base,
		     .policy = MSHVCPU_POLICY_MIGRATION_SAFE);
	struct mshvcpu_create_request req;
	struct hv_partition_info info;
	struct flow fl;
	uint64_t sent[2];

	(void)state;
	run_with(&fl, ICX, "x86-64-v3", &base, false);
	assert_int_equal(fl.ret, 0);
	model_partition(&fl, &info);
	assert_int_equal(mshvcpu_create_request(fl.profile, &copts, &req, &fl.err), 0);
	/* The bytes are the v2 struct: banks at 24 and 32, xsave at 56. */
	memcpy(sent, req.v2 + 24, sizeof(sent));
	assert_int_equal(sent[0], info.disabled_banks[0]);
	assert_int_equal(sent[1], info.disabled_banks[1]);
	assert_int_equal(req.masks.disabled_xsave, info.disabled_xsave);
	assert_int_equal(req.pt_flags, fl.rec.pt_flags);
	assert_memory_equal(&req.masks, &fl.rec.masks, sizeof(req.masks));
	/* The record takes the partition's vendor for a neutral profile; the features are the same. */
	assert_memory_equal(req.requested.enabled, fl.rec.requested.enabled,
			    sizeof(req.requested.enabled));
	done(&fl);
}

static void a_guest_cpuid_through_the_library(void **state)
{
	MSHVCPU_OPTS(mshvcpu_create_opts, copts);
	struct mshvcpu_cpuid_leaf leaves[2] = { { .leaf = 0 }, { .leaf = 7 } };
	struct mshvcpu_cpuid_leaf many[200] = { { 0 } };
	struct flow fl;
	int vp;

	(void)state;
	run(&fl, ICX, KSHIM_ABI_NESTED_SMT, "x86-64-v3", 0, false);
	assert_int_equal(fl.ret, 0);
	copts.ops = sim_device_ops(fl.sim);
	vp = mshvcpu_partition_create_vp(copts.ops, fl.pfd, 0, &fl.err);
	assert_true(vp >= 0);
	/* The same VP again: the kernel's EEXIST, said. */
	assert_int_equal(mshvcpu_partition_create_vp(copts.ops, fl.pfd, 0, &fl.err), -EEXIST);
	assert_non_null(strstr(fl.err.message, "VP 0"));
	assert_int_equal(mshvcpu_partition_cpuid(copts.ops, vp, 0, leaves, 2, &fl.err), 0);
	assert_true(leaves[0].eax >= 7);		/* the highest basic leaf */
	/* x86-64-v3 has AVX2: leaf 7 EBX bit 5. */
	assert_true(leaves[1].ebx >> 5 & 1);
	assert_int_equal(mshvcpu_partition_cpuid(copts.ops, vp, 0, many, 200, &fl.err), -EINVAL);
	assert_int_equal(mshvcpu_partition_cpuid(copts.ops, vp, 0, leaves, 0, &fl.err), -EINVAL);
	assert_int_equal(kshim_close(sim_kshim(fl.sim), vp), 0);
	done(&fl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v2_masks_reach_the_hypervisor),
		cmocka_unit_test(v1_only_kernel_refuses_a_constrained_profile),
		cmocka_unit_test(v1_only_kernel_with_fallback_enables_everything),
		cmocka_unit_test(nested_flag_needs_the_2026_kernel),
		cmocka_unit_test(sole_mb_clear_refusal_is_explained),
		cmocka_unit_test(features_the_host_lacks_are_reported_dropped),
		cmocka_unit_test(bank2_goes_as_an_early_property),
		cmocka_unit_test(no_initialize_leaves_the_early_window_open),
		cmocka_unit_test(a_base_request_is_honoured_as_well),
		cmocka_unit_test(enforce_refuses_what_the_host_lacks_before_creating),
		cmocka_unit_test(a_profile_of_the_other_vendor_is_refused),
		cmocka_unit_test(the_request_is_what_create_sends),
		cmocka_unit_test(a_guest_cpuid_through_the_library),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
