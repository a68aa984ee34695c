// SPDX-License-Identifier: MIT
/*
 * InstallIntercept (0x4D): {partition id, access type mask, intercept
 * type, 8-byte parameter}, no output. The partition remembers one access
 * mask per (type, parameter); installing again replaces it, and the empty
 * mask removes it (model). It holds at most HV_PARTITION_INTERCEPTS of
 * them; one more is INSUFFICIENT_BUFFERS (model: a real host takes them
 * from the partition's deposited memory). What each type takes is a row below: the
 * accesses that mean something for it and the largest parameter (an I/O
 * port, a CPUID leaf, an exception vector, an APIC write mask, an MSR
 * index; the other types take none). Misuse:
 *
 *   no such partition                        INVALID_PARTITION_ID
 *   a finalized partition                    INVALID_PARTITION_STATE
 *   an unknown or reserved type, an x86 type on arm64, an access bit the
 *   type has no use for, a parameter beyond the type's   INVALID_PARAMETER
 *
 * Model: the access each type allows is our reading of the types (reads and
 * writes of ports, MSRs and MMIO; executions of CPUID, exceptions,
 * hypercalls and APIC events); what a real host refuses is not documented.
 */
#include <errno.h>
#include <stdio.h>

#include "hv_internal.h"

#define R	HV_INTERCEPT_ACCESS_MASK_READ
#define W	HV_INTERCEPT_ACCESS_MASK_WRITE
#define X	HV_INTERCEPT_ACCESS_MASK_EXECUTE

static const struct {
	const char *name;
	bool valid, x64_only;
	uint32_t access;		/* the accesses the type can intercept */
	uint64_t max_parameter;
} types[HV_INTERCEPT_TYPE_MAX] = {
	[HV_INTERCEPT_TYPE_X64_IO_PORT] = { "X64_IO_PORT", true, true, R | W, 0xffff },
	[HV_INTERCEPT_TYPE_X64_MSR] = { "X64_MSR", true, true, R | W, 0 },
	[HV_INTERCEPT_TYPE_X64_CPUID] = { "X64_CPUID", true, true, X, 0xffffffff },
	[HV_INTERCEPT_TYPE_EXCEPTION] = { "EXCEPTION", true, false, X, 31 },
	[HV_INTERCEPT_TYPE_RESERVED0] = { "RESERVED0", false, false, 0, 0 },
	[HV_INTERCEPT_TYPE_MMIO] = { "MMIO", true, false, R | W, 0 },
	[HV_INTERCEPT_TYPE_X64_GLOBAL_CPUID] = { "X64_GLOBAL_CPUID", true, true, X, 0 },
	[HV_INTERCEPT_TYPE_X64_APIC_SMI] = { "X64_APIC_SMI", true, true, X, 0 },
	[HV_INTERCEPT_TYPE_HYPERCALL] = { "HYPERCALL", true, false, X, 0 },
	[HV_INTERCEPT_TYPE_X64_APIC_INIT_SIPI] = { "X64_APIC_INIT_SIPI", true, true, X, 0 },
	[HV_INTERCEPT_TYPE_MC_UPDATE_PATCH_LEVEL_MSR_READ] = {
		"MC_UPDATE_PATCH_LEVEL_MSR_READ", true, true, R, 0 },
	[HV_INTERCEPT_TYPE_X64_APIC_WRITE] = { "X64_APIC_WRITE", true, true, W, 0xffffffff },
	[HV_INTERCEPT_TYPE_X64_MSR_INDEX] = { "X64_MSR_INDEX", true, true, R | W, 0xffffffff },
};

#undef R
#undef W
#undef X

static struct hv_intercept *find(struct hv_partition *p, uint32_t type, uint64_t parameter)
{
	uint32_t i;

	for (i = 0; i < p->info.intercept_count; i++)
		if (p->intercepts[i].type == type && p->intercepts[i].parameter == parameter)
			return &p->intercepts[i];
	return NULL;
}

/* Records the mask for (type, parameter): a status. */
static uint16_t record(struct hv_partition *p, uint32_t type, uint64_t parameter,
		       uint32_t access)
{
	struct hv_intercept *it = find(p, type, parameter);

	if (it) {
		if (access)
			it->access = access;
		else
			*it = p->intercepts[--p->info.intercept_count];
		return HV_STATUS_SUCCESS;
	}
	if (!access)
		return HV_STATUS_SUCCESS;
	if (p->info.intercept_count == HV_PARTITION_INTERCEPTS)
		return HV_STATUS_INSUFFICIENT_BUFFERS;
	p->intercepts[p->info.intercept_count++] =
		(struct hv_intercept){ .type = type, .access = access, .parameter = parameter };
	return HV_STATUS_SUCCESS;
}

uint16_t hvm_install_intercept(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_install_intercept *in = c->input;
	uint32_t type = in->intercept_type;
	struct hv_partition *p;

	if (type < HV_INTERCEPT_TYPE_MAX)
		hv_trace_add(c, "\"intercept_type\":\"%s\"", types[type].name);
	else
		hv_trace_add(c, "\"intercept_type\":\"0x%08x\"", type);
	hv_trace_add(c, ",\"access\":\"0x%x\",\"parameter\":\"0x%016llx\"", in->access_type,
		     (unsigned long long)in->intercept_parameter);
	p = hv_partition_find(hv, in->partition_id);
	if (!p)
		return HV_STATUS_INVALID_PARTITION_ID;
	if (p->info.state == HV_PARTITION_STATE_FINALIZED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if (type >= HV_INTERCEPT_TYPE_MAX || !types[type].valid ||
	    (types[type].x64_only && hv->config.arch != HV_ARCH_X86_64) ||
	    (in->access_type & ~types[type].access) ||
	    in->intercept_parameter > types[type].max_parameter)
		return HV_STATUS_INVALID_PARAMETER;
	return record(p, type, in->intercept_parameter, in->access_type);
}

int hv_partition_intercept(struct hv *hv, uint64_t partition_id, uint32_t type,
			   uint64_t parameter, uint32_t *access_mask)
{
	struct hv_partition *p;
	struct hv_intercept *it = NULL;

	pthread_mutex_lock(&hv->lock);
	p = hv_partition_find(hv, partition_id);
	if (p)
		it = find(p, type, parameter);
	if (it)
		*access_mask = it->access;
	pthread_mutex_unlock(&hv->lock);
	return it ? 0 : -ENOENT;
}
