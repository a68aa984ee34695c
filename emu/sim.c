// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hyperv/hv_partition.h>

#include "sim.h"

struct sim {
	struct hv *hv;
	struct kshim *kshim;
	struct mshvcpu_host host;
	struct mshvcpu_device_ops ops;
};

static int sim_open(void *ctx, const char *path)
{
	struct sim *sim = ctx;

	if (strcmp(path, "/dev/mshv") != 0)
		return -ENOENT;
	return kshim_open_dev(sim->kshim);
}

static int sim_ioctl(void *ctx, int fd, unsigned long request, void *arg)
{
	struct sim *sim = ctx;

	return (int)kshim_ioctl(sim->kshim, fd, (unsigned int)request, (unsigned long)arg);
}

static int sim_close(void *ctx, int fd)
{
	struct sim *sim = ctx;

	return kshim_close(sim->kshim, fd);
}

static uint32_t hv_vendor(enum mshvcpu_vendor vendor)
{
	switch (vendor) {
	case MSHVCPU_VENDOR_AMD:
		return HV_PROCESSOR_VENDOR_AMD;
	case MSHVCPU_VENDOR_HYGON:
		return HV_PROCESSOR_VENDOR_HYGON;
	case MSHVCPU_VENDOR_ARM:
		return HV_PROCESSOR_VENDOR_ARM;
	default:
		return HV_PROCESSOR_VENDOR_INTEL;
	}
}

void sim_host_config(const struct mshvcpu_host *host, bool native_cpuid,
		     struct hv_host_config *config)
{
	unsigned int w;

	memset(config, 0, sizeof(*config));
	config->arch = host->offered.vendor == MSHVCPU_VENDOR_ARM ? HV_ARCH_ARM64 : HV_ARCH_X86_64;
	config->vendor = hv_vendor(host->offered.vendor);
	/* The model needs a yes or no for every bit: unknown is "not offered". */
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		config->offered[w] = host->offered.enabled[w];
	if (config->arch == HV_ARCH_ARM64)
		config->offered[MSHVCPU_WORD_XSAVE] = 0;
	config->xsave_states = native_cpuid ? 0 : host->xsave_states;
	config->physical_address_width = host->physical_address_width;
	config->cpuid_source = native_cpuid ? HV_CPUID_NATIVE : HV_CPUID_SYNTHESIZED;
	/*
	 * Real hosts refused a partition whose only disabled feature was
	 * mb_clear (Skylake-SP) or rdtscp (Azure Ice Lake-SP). Which other
	 * hosts do is unknown: every modelled host refuses both, so a VMM
	 * tested here never depends on a request some host rejects.
	 */
	config->refusals = HV_REFUSE_SOLE_MB_CLEAR | HV_REFUSE_SOLE_RDTSCP;
}

/* This machine's vendor, for hosts that do not name one ("all"). */
static enum mshvcpu_vendor machine_vendor(void)
{
	MSHVCPU_OPTS(mshvcpu_probe_opts, opts, .mode = MSHVCPU_PROBE_CPUID);
	struct mshvcpu_host me;

	if (mshvcpu_host_probe(&opts, &me, NULL) || me.offered.vendor == MSHVCPU_VENDOR_ANY)
		return MSHVCPU_VENDOR_INTEL;
	return me.offered.vendor;
}

int sim_resolve_host(const char *spec, struct mshvcpu_host *host, bool *native_cpuid,
		     struct mshvcpu_error *err)
{
	/*
	 * This machine is read through CPUID only: inside the emulator,
	 * /dev/mshv is the emulation itself.
	 */
	MSHVCPU_OPTS(mshvcpu_probe_opts, probe, .mode = MSHVCPU_PROBE_CPUID);
	struct mshvcpu_profile *p = NULL;
	struct mshvcpu_host me;
	int ret;

	*native_cpuid = false;
	if (!spec || strcmp(spec, "host") == 0) {
		*native_cpuid = true;
		return mshvcpu_host_probe(&probe, host, err);
	}
	if (strcmp(spec, "all") == 0) {
		memset(host, 0, sizeof(*host));
		snprintf(host->name, sizeof(host->name), "all");
		host->source = MSHVCPU_SOURCE_MODEL;
		mshvcpu_featureset_init_all(&host->offered, machine_vendor());
		snprintf(host->source_detail, sizeof(host->source_detail),
			 "every bit of every word offered");
		return 0;
	}
	if (access(spec, F_OK) == 0)
		return mshvcpu_host_load(spec, host, err);

	/* A profile spec: based on this machine when it says "host". */
	ret = mshvcpu_host_probe(&probe, &me, err);
	if (ret)
		return ret;
	{
		MSHVCPU_OPTS(mshvcpu_profile_opts, popts, .host = &me);

		ret = mshvcpu_profile_parse(spec, &popts, &p, err);
	}
	if (ret)
		return ret;
	*host = me;
	snprintf(host->name, sizeof(host->name), "%s", spec);
	host->source = MSHVCPU_SOURCE_MODEL;
	host->offered = *mshvcpu_profile_features(p);
	if (host->offered.vendor == MSHVCPU_VENDOR_ANY)
		host->offered.vendor = me.offered.vendor;
	/* Only a spec built on this machine keeps its real CPUID. */
	*native_cpuid = strncmp(spec, "host", 4) == 0 && (spec[4] == ',' || !spec[4]);
	if (!*native_cpuid)
		host->xsave_states = 0;
	snprintf(host->source_detail, sizeof(host->source_detail), "spec %s", spec);
	mshvcpu_profile_free(p);
	return 0;
}

/*
 * Every failure here is reported through @err as the library reports its
 * own (mshvcpu_error_set(): the caller's text escaped, cut between
 * characters, no stale source or position); sim_resolve_host() fills it
 * through the library.
 */
int sim_create(const struct sim_config *config, struct sim **out,
	       struct mshvcpu_error *err)
{
	struct hv_host_config hv_config;
	struct kshim_config kconfig;
	struct sim *sim;
	bool native;
	int ret;

	*out = NULL;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return mshvcpu_error_set(err, -ENOMEM, "the emulated machine: %s",
					 strerror(ENOMEM));
	ret = sim_resolve_host(config->host, &sim->host, &native, err);
	if (ret)
		goto fail;
	sim_host_config(&sim->host, native, &hv_config);
	ret = hv_create(&hv_config, &sim->hv);
	if (ret) {
		mshvcpu_error_set(err, ret, "the hypervisor model rejected host %s: %s",
				  sim->host.name, strerror(-ret));
		goto fail;
	}
	if (config->trace_path) {
		ret = hv_trace_start(sim->hv, config->trace_path);
		if (ret) {
			mshvcpu_error_set(err, ret, "%s: %s", config->trace_path,
					  strerror(-ret));
			goto fail;
		}
	}
	kconfig = (struct kshim_config){ .hv = sim->hv, .abi = config->abi };
	ret = kshim_create(&kconfig, &sim->kshim);
	if (ret) {
		mshvcpu_error_set(err, ret, "the emulated kernel (level %d): %s",
				  (int)config->abi, strerror(-ret));
		goto fail;
	}
	sim->ops = (struct mshvcpu_device_ops){
		.open = sim_open, .ioctl = sim_ioctl, .close = sim_close, .ctx = sim,
	};
	*out = sim;
	return 0;
fail:
	sim_destroy(sim);
	return ret;
}

void sim_destroy(struct sim *sim)
{
	if (!sim)
		return;
	if (sim->kshim)
		kshim_destroy(sim->kshim);
	if (sim->hv)
		hv_destroy(sim->hv);
	free(sim);
}

const struct mshvcpu_device_ops *sim_device_ops(struct sim *sim)
{
	return &sim->ops;
}

struct kshim *sim_kshim(struct sim *sim)
{
	return sim->kshim;
}

struct hv *sim_hv(struct sim *sim)
{
	return sim->hv;
}

const struct mshvcpu_host *sim_host(struct sim *sim)
{
	return &sim->host;
}
