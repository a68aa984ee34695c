// SPDX-License-Identifier: MIT
/*
 * Partitions: CreatePartition's validation, the state machine
 * (created -> initialized -> finalized -> deleted), and CreateVp. Their
 * properties, and the early-property window, are in properties.c; a VP's
 * registers and state in vp.c and vp_state.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv_internal.h"

#define KNOWN_CREATION_FLAGS						\
	(HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST |			\
	 HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE |	\
	 HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES_ENABLED |		\
	 HV_PARTITION_CREATION_FLAG_EXO_PARTITION |			\
	 HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED |			\
	 HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE_ENABLED |	\
	 HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE)

struct hv_partition *hv_partition_find(struct hv *hv, uint64_t id)
{
	struct hv_partition *p;

	for (p = hv->partitions; p; p = p->next)
		if (p->info.id == id)
			return p;
	return NULL;
}

/*
 * The dependency rules real hosts enforce: a feature that stays enabled
 * while a prerequisite the caller disabled is gone fails the call, with a
 * status that says which kind of prerequisite it was.
 */
static uint16_t check_prerequisites(const struct hv *hv, const uint64_t *effective,
				    const uint64_t *disabled)
{
	size_t i, k;

	for (i = 0; i < HV_FEATURE_ID_COUNT; i++) {
		const struct hv_feature_row *f = &hv_feature_rows[i];

		if (!(effective[f->word] >> f->bit & 1))
			continue;
		for (k = 0; k < f->nprereqs; k++) {
			const struct hv_feature_row *req = &hv_feature_rows[f->prereqs[k]];

			if (!(hv->config.offered[req->word] >> req->bit & 1) ||
			    !(disabled[req->word] >> req->bit & 1))
				continue;
			if (f->prereqs[k] == HV_FEATURE_ID_xsave)
				return HV_STATUS_PROCESSOR_FEATURE_INCOMPATIBLE_XSAVE_FEATURES;
			if (req->word == HV_FEATURE_WORD_XSAVE)
				return HV_STATUS_CPUID_XSAVE_FEATURE_VALIDATION_ERROR;
			return HV_STATUS_CPUID_FEATURE_VALIDATION_ERROR;
		}
	}
	return HV_STATUS_SUCCESS;
}

/* Real hosts refused a request whose only disabled offered feature was one of these. */
static uint16_t check_refusals(const struct hv *hv, const uint64_t *disabled)
{
	static const struct {
		unsigned int refusal;
		unsigned int id;
	} rules[] = {
		{ HV_REFUSE_SOLE_MB_CLEAR, HV_FEATURE_ID_mb_clear },
		{ HV_REFUSE_SOLE_RDTSCP, HV_FEATURE_ID_rdtscp },
	};
	unsigned int w, count = 0, word = 0, bit = 0;
	size_t i;

	for (w = 0; w < HV_FEATURE_WORD_COUNT; w++) {
		uint64_t gone = hv->config.offered[w] & disabled[w];

		count += (unsigned int)__builtin_popcountll(gone);
		if (gone) {
			word = w;
			bit = (unsigned int)__builtin_ctzll(gone);
		}
	}
	if (count != 1)
		return HV_STATUS_SUCCESS;
	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		const struct hv_feature_row *f = &hv_feature_rows[rules[i].id];

		if ((hv->config.refusals & rules[i].refusal) && f->word == word && f->bit == bit)
			return HV_STATUS_CPUID_FEATURE_VALIDATION_ERROR;
	}
	return HV_STATUS_SUCCESS;
}

void hv_partition_update_xsave(const struct hv *hv, struct hv_partition *p)
{
	p->info.xsave_states = hv_xsave_states_for(hv, p->info.effective);
	p->info.max_xsave_data_size = hv->config.arch == HV_ARCH_ARM64 ? 0 :
				      hv_xsave_size(p->info.xsave_states);
}

uint16_t hvm_create_partition(struct hv *hv, const void *in, void *out, char *trace,
				  size_t trace_len)
{
	uint64_t disabled[HV_FEATURE_WORD_COUNT] = { 0 };
	uint64_t effective[HV_FEATURE_WORD_COUNT];
	struct hv_input_create_partition_x64 x64;
	struct hv_input_create_partition_arm64 arm;
	uint64_t flags, isolation;
	uint32_t compat, padding, prox_flags;
	struct hv_partition *p;
	unsigned int w;
	uint16_t status;

	if (hv->config.arch == HV_ARCH_X86_64) {
		memcpy(&x64, in, sizeof(x64));
		flags = x64.flags;
		prox_flags = x64.proximity_domain_info.flags;
		compat = x64.compatibility_version;
		padding = x64.padding;
		disabled[HV_FEATURE_WORD_BANK0] =
			x64.partition_creation_properties.disabled_processor_features.as_uint64[0];
		disabled[HV_FEATURE_WORD_BANK1] =
			x64.partition_creation_properties.disabled_processor_features.as_uint64[1];
		disabled[HV_FEATURE_WORD_XSAVE] =
			x64.partition_creation_properties.disabled_processor_xsave_features.as_uint64;
		isolation = x64.isolation_properties.as_uint64;
	} else {
		memcpy(&arm, in, sizeof(arm));
		flags = arm.flags;
		prox_flags = arm.proximity_domain_info.flags;
		compat = arm.compatibility_version;
		padding = arm.padding;
		disabled[HV_FEATURE_WORD_BANK0] =
			arm.partition_creation_properties.disabled_processor_features.as_uint64[0];
		disabled[HV_FEATURE_WORD_BANK1] =
			arm.partition_creation_properties.disabled_processor_features.as_uint64[1];
		isolation = arm.isolation_properties.as_uint64;
	}
	snprintf(trace, trace_len,
		 "\"flags\":\"0x%016llx\",\"isolation\":\"0x%016llx\","
		 "\"compatibility_version\":\"0x%04x\","
		 "\"disabled_processor_features\":[\"0x%016llx\",\"0x%016llx\"],"
		 "\"disabled_xsave\":\"0x%016llx\"",
		 (unsigned long long)flags, (unsigned long long)isolation, compat,
		 (unsigned long long)disabled[HV_FEATURE_WORD_BANK0],
		 (unsigned long long)disabled[HV_FEATURE_WORD_BANK1],
		 (unsigned long long)disabled[HV_FEATURE_WORD_XSAVE]);

	if (compat != HV_COMPATIBILITY_21_H2 || padding || (flags & ~KNOWN_CREATION_FLAGS) ||
	    (prox_flags & HV_PROXIMITY_FLAGS_RESERVED))
		return HV_STATUS_INVALID_PARAMETER;
	/* Isolated partitions (VBS, SNP, TDX) are outside the model. */
	if (isolation)
		return HV_STATUS_INVALID_PARAMETER;

	/* Bank 2 is not part of the create call: it starts as offered. */
	for (w = 0; w < HV_FEATURE_WORD_COUNT; w++)
		effective[w] = hv->config.offered[w] & ~disabled[w];
	status = check_prerequisites(hv, effective, disabled);
	if (status == HV_STATUS_SUCCESS)
		status = check_refusals(hv, disabled);
	if (status != HV_STATUS_SUCCESS)
		return status;

	p = calloc(1, sizeof(*p));
	if (!p)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	p->vps = calloc(hv->config.max_vps, sizeof(*p->vps));
	if (!p->vps) {
		free(p);
		return HV_STATUS_INSUFFICIENT_MEMORY;
	}
	p->info.id = hv->next_partition_id++;
	p->info.state = HV_PARTITION_STATE_CREATED;
	p->info.creation_flags = flags;
	p->info.isolation_properties = isolation;
	p->info.compatibility_version = compat;
	p->info.disabled_banks[0] = disabled[HV_FEATURE_WORD_BANK0];
	p->info.disabled_banks[1] = disabled[HV_FEATURE_WORD_BANK1];
	p->info.disabled_xsave = disabled[HV_FEATURE_WORD_XSAVE];
	memcpy(p->info.effective, effective, sizeof(effective));
	hv_partition_update_xsave(hv, p);
	hv_properties_init(hv, p);
	p->next = hv->partitions;
	hv->partitions = p;
	((struct hv_output_create_partition *)out)->partition_id = p->info.id;
	return HV_STATUS_SUCCESS;
}

void hv_partition_free(struct hv *hv, struct hv_partition *victim)
{
	struct hv_partition **pp;
	uint32_t i;

	for (pp = &hv->partitions; *pp; pp = &(*pp)->next)
		if (*pp == victim) {
			*pp = victim->next;
			break;
		}
	for (i = 0; i < hv->config.max_vps; i++)
		hv_vp_free(hv, victim->vps[i]);
	hv_gpa_map_free(&victim->gpa);
	hv_ports_forget_partition(hv, victim->info.id);
	free(victim->vps);
	free(victim);
}

uint16_t hvm_partition_state(struct hv *hv, uint16_t code, const void *in)
{
	const struct hv_input_partition_id *input = in;
	struct hv_partition *p = hv_partition_find(hv, input->partition_id);

	if (!p)
		return HV_STATUS_INVALID_PARTITION_ID;
	switch (code) {
	case HVCALL_INITIALIZE_PARTITION:
		if (p->info.state != HV_PARTITION_STATE_CREATED)
			return HV_STATUS_INVALID_PARTITION_STATE;
		p->info.state = HV_PARTITION_STATE_INITIALIZED;
		return HV_STATUS_SUCCESS;
	case HVCALL_FINALIZE_PARTITION:
		if (p->info.state != HV_PARTITION_STATE_INITIALIZED)
			return HV_STATUS_INVALID_PARTITION_STATE;
		p->info.state = HV_PARTITION_STATE_FINALIZED;
		return HV_STATUS_SUCCESS;
	default:	/* DELETE: a running (initialized) partition must be finalized first */
		if (p->info.state == HV_PARTITION_STATE_INITIALIZED)
			return HV_STATUS_INVALID_PARTITION_STATE;
		hv_partition_free(hv, p);
		return HV_STATUS_SUCCESS;
	}
}

struct hv_partition *hv_partition_running(struct hv *hv, uint64_t id, uint16_t *status)
{
	struct hv_partition *p = hv_partition_find(hv, id);

	*status = !p ? HV_STATUS_INVALID_PARTITION_ID :
		  p->info.state != HV_PARTITION_STATE_INITIALIZED ? HV_STATUS_INVALID_PARTITION_STATE :
								     HV_STATUS_SUCCESS;
	return *status == HV_STATUS_SUCCESS ? p : NULL;
}

uint16_t hvm_create_vp(struct hv *hv, const void *in, char *trace, size_t trace_len)
{
	const struct hv_input_create_vp *input = in;
	struct hv_partition *p = hv_partition_find(hv, input->partition_id);

	snprintf(trace, trace_len, "\"vp_index\":%u", input->vp_index);
	if (!p)
		return HV_STATUS_INVALID_PARTITION_ID;
	if (p->info.state != HV_PARTITION_STATE_INITIALIZED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if (input->vp_index >= hv->config.max_vps || p->vps[input->vp_index])
		return HV_STATUS_INVALID_VP_INDEX;
	p->vps[input->vp_index] = hv_vp_create(hv, p, input->vp_index);
	if (!p->vps[input->vp_index])
		return HV_STATUS_INSUFFICIENT_MEMORY;
	p->info.vp_count++;
	return HV_STATUS_SUCCESS;
}

int hv_partition_get_info(struct hv *hv, uint64_t partition_id, struct hv_partition_info *info)
{
	struct hv_partition *p;
	int ret = -ENOENT;

	pthread_mutex_lock(&hv->lock);
	p = hv_partition_find(hv, partition_id);
	if (p) {
		*info = p->info;
		ret = 0;
	}
	pthread_mutex_unlock(&hv->lock);
	return ret;
}

size_t hv_partition_count(struct hv *hv)
{
	struct hv_partition *p;
	size_t n = 0;

	pthread_mutex_lock(&hv->lock);
	for (p = hv->partitions; p; p = p->next)
		n++;
	pthread_mutex_unlock(&hv->lock);
	return n;
}
