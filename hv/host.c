// SPDX-License-Identifier: MIT
/*
 * The host: its configuration (with defaults), its CPUID (this machine's,
 * a given table, or synthesized from the offered feature words through the
 * feature table), and XSAVE sizes (standard and compacted formats).
 */
#include <cpuid.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hv_internal.h"

static const struct {
	unsigned int index;
	uint32_t size, offset;
} xsave_components[] = {
#define HV_XSAVE_COMPONENT(i, name, size_, offset_) { (i), (size_), (offset_) },
#include <hyperv/x86_xsave_components.def>
#undef HV_XSAVE_COMPONENT
};

/* Legacy area (x87, SSE) and XSAVE header: the smallest XSAVE area. */
#define XSAVE_MIN_SIZE	576
#define XCR0_LEGACY	0x3ULL

uint32_t hv_xsave_size(uint64_t xcr0_components)
{
	uint32_t size = XSAVE_MIN_SIZE;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(xsave_components); i++) {
		uint32_t end = xsave_components[i].offset + xsave_components[i].size;

		if (xsave_components[i].index >= 2 &&
		    (xcr0_components >> xsave_components[i].index & 1) && end > size)
			size = end;
	}
	return size;
}

uint32_t hv_xsave_compacted_size(uint64_t xcr0_components)
{
	uint32_t size = XSAVE_MIN_SIZE;
	size_t i;

	/* Components 2 and up follow the header in index order, packed. */
	for (i = 0; i < ARRAY_SIZE(xsave_components); i++)
		if (xsave_components[i].index >= 2 &&
		    (xcr0_components >> xsave_components[i].index & 1))
			size += xsave_components[i].size;
	return size;
}

static bool component_known(unsigned int index)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(xsave_components); i++)
		if (xsave_components[i].index == index)
			return true;
	return false;
}

const struct hv_cpuid_leaf *hv_host_find_cpuid(const struct hv *hv, uint32_t leaf,
					       uint32_t subleaf)
{
	size_t i;

	for (i = 0; i < hv->cpuid_count; i++)
		if (hv->cpuid[i].leaf == leaf && hv->cpuid[i].subleaf == subleaf)
			return &hv->cpuid[i];
	return NULL;
}

static struct hv_cpuid_leaf *cpuid_slot(struct hv *hv, uint32_t leaf, uint32_t subleaf)
{
	struct hv_cpuid_leaf *grown;

	if (hv_host_find_cpuid(hv, leaf, subleaf))
		return (struct hv_cpuid_leaf *)hv_host_find_cpuid(hv, leaf, subleaf);
	grown = realloc(hv->cpuid, (hv->cpuid_count + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	hv->cpuid = grown;
	grown = &hv->cpuid[hv->cpuid_count++];
	memset(grown, 0, sizeof(*grown));
	grown->leaf = leaf;
	grown->subleaf = subleaf;
	return grown;
}

static uint32_t *reg_of(struct hv_cpuid_leaf *l, unsigned int reg)
{
	switch (reg) {
	case HV_CPUID_EAX:
		return &l->eax;
	case HV_CPUID_EBX:
		return &l->ebx;
	case HV_CPUID_ECX:
		return &l->ecx;
	default:
		return &l->edx;
	}
}

/* Leaves whose subleaves the native probe reads (and how many). */
static unsigned int native_subleaves(uint32_t leaf)
{
	switch (leaf) {
	case 0xd:
		return 64;
	case 0x4: case 0x7: case 0xb: case 0xf: case 0x10: case 0x12: case 0x14:
	case 0x17: case 0x18: case 0x1d: case 0x1e: case 0x1f: case 0x24:
	case 0x8000001d: case 0x80000020: case 0x80000026:
		return 8;
	default:
		return 1;
	}
}

static int build_native(struct hv *hv)
{
	static const uint32_t ranges[] = { 0x0, 0x80000000 };
	size_t r;

	for (r = 0; r < ARRAY_SIZE(ranges); r++) {
		unsigned int a, b, c, d, max;
		uint32_t leaf;

		__cpuid_count(ranges[r], 0, a, b, c, d);
		max = a;
		if (max < ranges[r] || max > ranges[r] + 0x100)
			continue;
		for (leaf = ranges[r]; leaf <= max; leaf++) {
			unsigned int sub, n = native_subleaves(leaf);

			for (sub = 0; sub < n; sub++) {
				struct hv_cpuid_leaf *l = cpuid_slot(hv, leaf, sub);

				if (!l)
					return -ENOMEM;
				__cpuid_count(leaf, sub, a, b, c, d);
				l->eax = a;
				l->ebx = b;
				l->ecx = c;
				l->edx = d;
			}
		}
	}
	return 0;
}

static int build_table(struct hv *hv)
{
	size_t i;

	for (i = 0; i < hv->config.cpuid_count; i++) {
		const struct hv_cpuid_leaf *src = &hv->config.cpuid[i];
		struct hv_cpuid_leaf *l = cpuid_slot(hv, src->leaf, src->subleaf);

		if (!l)
			return -ENOMEM;
		*l = *src;
	}
	return 0;
}

static void vendor_string(uint32_t vendor, struct hv_cpuid_leaf *l)
{
	static const char *const names[] = {
		[HV_PROCESSOR_VENDOR_AMD] = "AuthenticAMD",
		[HV_PROCESSOR_VENDOR_INTEL] = "GenuineIntel",
		[HV_PROCESSOR_VENDOR_HYGON] = "HygonGenuine",
	};
	const char *s = vendor < ARRAY_SIZE(names) && names[vendor] ? names[vendor]
								 : "GenuineIntel";

	memcpy(&l->ebx, s, 4);
	memcpy(&l->edx, s + 4, 4);
	memcpy(&l->ecx, s + 8, 4);
}

/* The XCR0 components the offered features bring (synthesized hosts). */
static uint64_t offered_xsave_states(const struct hv *hv)
{
	uint64_t states = XCR0_LEGACY;
	size_t i;

	if (!(hv->config.offered[HV_FEATURE_WORD_XSAVE] & 1))	/* xsave itself */
		return XCR0_LEGACY;
	for (i = 0; i < HV_FEATURE_ID_COUNT; i++) {
		const struct hv_feature_row *f = &hv_feature_rows[i];

		if (hv->config.offered[f->word] >> f->bit & 1)
			states |= f->xsave_components;
	}
	return states;
}

/*
 * CPUID for a host known only by its feature words (like the recorded hosts
 * of the reference): every bit the table maps, plus the architectural
 * basics every x86-64 processor has.
 */
static int build_synthesized(struct hv *hv)
{
	const struct hv_host_config *c = &hv->config;
	bool amd = c->vendor == HV_PROCESSOR_VENDOR_AMD || c->vendor == HV_PROCESSOR_VENDOR_HYGON;
	uint64_t states = offered_xsave_states(hv);
	struct hv_cpuid_leaf *l;
	unsigned int i;

	/* Feature bits first: they decide which leaves exist. */
	for (i = 0; i < HV_FEATURE_ID_COUNT; i++) {
		const struct hv_feature_row *f = &hv_feature_rows[i];
		const struct hv_cpuid_bit *loc = hv_feature_cpuid(f, c->vendor);

		if (!loc)
			continue;
		l = cpuid_slot(hv, loc->leaf, loc->subleaf);
		if (!l)
			return -ENOMEM;
		if (c->offered[f->word] >> f->bit & 1)
			*reg_of(l, loc->reg) |= 1U << loc->bit;
	}
	if (!(l = cpuid_slot(hv, 0, 0)))
		return -ENOMEM;
	l->eax = 0xd;
	vendor_string(c->vendor, l);

	if (!(l = cpuid_slot(hv, 1, 0)))
		return -ENOMEM;
	/* A family/model signature of the vendor's server parts. */
	l->eax = amd ? 0x00a00f11 : 0x000606a6;
	l->ebx |= (c->cl_flush_size / 8) << 8 | 1U << 16;
	/* FPU VME DE PSE TSC MSR PAE MCE CX8 APIC SEP MTRR PGE MCA CMOV PAT PSE36 CLFSH MMX FXSR SSE SSE2 */
	l->edx |= 0x078bfbffU;

	if (!(l = cpuid_slot(hv, 7, 0)))
		return -ENOMEM;
	l->eax = 2;	/* subleaves 1 and 2 */
	if (!cpuid_slot(hv, 7, 1) || !cpuid_slot(hv, 7, 2))
		return -ENOMEM;

	if (!(l = cpuid_slot(hv, 0xd, 0)))
		return -ENOMEM;
	l->eax = (uint32_t)states;
	l->edx = (uint32_t)(states >> 32);
	l->ebx = hv_xsave_size(states);
	l->ecx = hv_xsave_size(states);
	if (!(l = cpuid_slot(hv, 0xd, 1)))
		return -ENOMEM;
	l->ebx = hv_xsave_size(states);
	for (i = 2; i < 64; i++) {
		size_t k;

		if (!(states >> i & 1) || !component_known(i))
			continue;
		if (!(l = cpuid_slot(hv, 0xd, i)))
			return -ENOMEM;
		for (k = 0; k < ARRAY_SIZE(xsave_components); k++)
			if (xsave_components[k].index == i) {
				l->eax = xsave_components[k].size;
				l->ebx = xsave_components[k].offset;
			}
	}

	if (!(l = cpuid_slot(hv, 0x80000000, 0)))
		return -ENOMEM;
	l->eax = amd ? 0x80000021 : 0x80000008;
	if (amd)
		vendor_string(c->vendor, l);
	if (!(l = cpuid_slot(hv, 0x80000001, 0)))
		return -ENOMEM;
	l->edx |= 1U << 11 | 1U << 20 | 1U << 29;	/* SYSCALL, NX, LM */
	if (!(l = cpuid_slot(hv, 0x80000008, 0)))
		return -ENOMEM;
	l->eax = c->physical_address_width | 48U << 8;
	if (!cpuid_slot(hv, 0x80000007, 0))
		return -ENOMEM;
	if (amd && !cpuid_slot(hv, 0x80000021, 0))
		return -ENOMEM;
	return 0;
}

int hv_host_build_cpuid(struct hv *hv)
{
	switch (hv->config.cpuid_source) {
	case HV_CPUID_NATIVE:
		return build_native(hv);
	case HV_CPUID_TABLE:
		return build_table(hv);
	default:
		return build_synthesized(hv);
	}
}

uint64_t hv_xsave_states_for(const struct hv *hv, const uint64_t *effective)
{
	uint64_t states = hv->config.xsave_states;
	size_t i;

	if (!(effective[HV_FEATURE_WORD_XSAVE] & 1))	/* no xsave: legacy state only */
		return states & XCR0_LEGACY;
	for (i = 0; i < HV_FEATURE_ID_COUNT; i++) {
		const struct hv_feature_row *f = &hv_feature_rows[i];

		if (f->xsave_components && !(effective[f->word] >> f->bit & 1))
			states &= ~f->xsave_components;
	}
	return states;
}

static int check_config(const struct hv_host_config *c)
{
	if (!c)
		return -EINVAL;
	if (c->arch != HV_ARCH_X86_64 && c->arch != HV_ARCH_ARM64)
		return -EINVAL;
	if (c->vendor != HV_PROCESSOR_VENDOR_AMD && c->vendor != HV_PROCESSOR_VENDOR_INTEL &&
	    c->vendor != HV_PROCESSOR_VENDOR_HYGON && c->vendor != HV_PROCESSOR_VENDOR_ARM)
		return -EINVAL;
	if ((c->arch == HV_ARCH_ARM64) != (c->vendor == HV_PROCESSOR_VENDOR_ARM))
		return -EINVAL;
	if (c->cpuid_source > HV_CPUID_TABLE)
		return -EINVAL;
	if (c->cpuid_source == HV_CPUID_TABLE && (!c->cpuid || !c->cpuid_count))
		return -EINVAL;
	if (c->physical_address_width > 64 || c->feature_bank_count > 64 ||
	    c->max_vps > 4096)
		return -EINVAL;
	if (c->refusals & ~(HV_REFUSE_SOLE_MB_CLEAR | HV_REFUSE_SOLE_RDTSCP))
		return -EINVAL;
	return 0;
}

int hv_create(const struct hv_host_config *config, struct hv **out)
{
	const struct hv_cpuid_leaf *l;
	struct hv *hv;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	ret = check_config(config);
	if (ret)
		return ret;
	hv = calloc(1, sizeof(*hv));
	if (!hv)
		return -ENOMEM;
	pthread_mutex_init(&hv->lock, NULL);
	hv->config = *config;
	hv->config.cpuid = NULL;	/* copied into hv->cpuid, not kept */
	hv->config.cpuid_count = 0;
	hv->trace_fd = -1;
	hv->lender = hv_heap_lender;
	hv->next_partition_id = 1;
	if (!hv->config.cl_flush_size)
		hv->config.cl_flush_size = 64;
	if (!hv->config.clock_frequency)
		hv->config.clock_frequency = 2000000000ULL;
	if (!hv->config.feature_bank_count)
		hv->config.feature_bank_count = 3;
	if (!hv->config.max_vps)
		hv->config.max_vps = 256;
	if (hv->config.arch == HV_ARCH_ARM64) {
		/* No CPUID and no xsave word on arm64. */
		hv->config.offered[HV_FEATURE_WORD_XSAVE] = 0;
		hv->config.xsave_states = 0;
		if (!hv->config.physical_address_width)
			hv->config.physical_address_width = 48;
		*out = hv;
		return 0;
	}
	if (config->cpuid_source == HV_CPUID_TABLE) {
		hv->config.cpuid = config->cpuid;
		hv->config.cpuid_count = config->cpuid_count;
	}
	if (!hv->config.physical_address_width && config->cpuid_source != HV_CPUID_SYNTHESIZED)
		hv->config.physical_address_width = 0;	/* from CPUID below */
	else if (!hv->config.physical_address_width)
		hv->config.physical_address_width = 46;
	ret = hv_host_build_cpuid(hv);
	hv->config.cpuid = NULL;
	hv->config.cpuid_count = 0;
	if (ret) {
		hv_destroy(hv);
		return ret;
	}
	if (!hv->config.physical_address_width) {
		l = hv_host_find_cpuid(hv, 0x80000008, 0);
		hv->config.physical_address_width = l && (l->eax & 0xff) ? l->eax & 0xff : 46;
	}
	if (!hv->config.xsave_states) {
		l = hv_host_find_cpuid(hv, 0xd, 0);
		hv->config.xsave_states = l ? ((uint64_t)l->edx << 32 | l->eax) : XCR0_LEGACY;
		if (config->cpuid_source == HV_CPUID_SYNTHESIZED)
			hv->config.xsave_states = offered_xsave_states(hv);
	}
	hv->config.xsave_states |= XCR0_LEGACY;
	*out = hv;
	return 0;
}

void hv_destroy(struct hv *hv)
{
	if (!hv)
		return;
	hv_trace_stop(hv);
	while (hv->partitions)
		hv_partition_free(hv, hv->partitions);
	hv_ports_free(hv);
	free(hv->cpuid);
	pthread_mutex_destroy(&hv->lock);
	free(hv);
}

int hv_host_cpuid(struct hv *hv, uint32_t leaf, uint32_t subleaf, struct hv_cpuid_leaf *out)
{
	const struct hv_cpuid_leaf *l;
	int ret = -ENOENT;

	if (!hv || !out)
		return -EINVAL;
	pthread_mutex_lock(&hv->lock);
	l = hv_host_find_cpuid(hv, leaf, subleaf);
	if (l) {
		*out = *l;
		ret = 0;
	}
	pthread_mutex_unlock(&hv->lock);
	return ret;
}
