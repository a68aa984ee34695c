/* SPDX-License-Identifier: MIT */
/*
 * A simulated machine in this process: the hypervisor model (hv/) with a
 * host built from a spec, the /dev/mshv driver (kernel/) at a chosen ABI
 * level, and libmshvcpu device ops that reach them. The emulator
 * (`mshvcpu emu`, emu/supervisor.c) and the tool's in-process mode
 * (`mshvcpu create --in-process`, `mshvcpu cpuid`) are both built on it.
 */
#ifndef MSHVCPU_EMU_SIM_H
#define MSHVCPU_EMU_SIM_H

#include <mshvcpu.h>

#include "hv.h"
#include "kshim.h"

struct sim;

struct sim_config {
	/*
	 * What the host offers: NULL or "host" for this machine as its CPUID
	 * shows it (with its native CPUID), "all" for every bit of every word,
	 * a host record file, or any profile spec ("x86-64-v3",
	 * "mshv-icelake-sp-azure", "host,-avx512", literal words...).
	 */
	const char *host;
	enum kshim_abi abi;
	const char *trace_path;		/* hypercall trace (JSON Lines), or NULL */
};

int sim_create(const struct sim_config *config, struct sim **out,
	       struct mshvcpu_error *err);
void sim_destroy(struct sim *sim);

/* Device ops for libmshvcpu: open("/dev/mshv"), ioctl and close in the sim. */
const struct mshvcpu_device_ops *sim_device_ops(struct sim *sim);
struct kshim *sim_kshim(struct sim *sim);
struct hv *sim_hv(struct sim *sim);
/* The host the sim was built from (its offer, as libmshvcpu sees it). */
const struct mshvcpu_host *sim_host(struct sim *sim);

/*
 * The model's host configuration for @host. @native_cpuid: use this
 * machine's CPUID (the host *is* this machine); otherwise synthesize CPUID
 * from the offered words. Unknown bits are not offered.
 */
void sim_host_config(const struct mshvcpu_host *host, bool native_cpuid,
		     struct hv_host_config *config);

/* Resolve a host spec as sim_config.host describes. */
int sim_resolve_host(const char *spec, struct mshvcpu_host *host, bool *native_cpuid,
		     struct mshvcpu_error *err);

#endif
