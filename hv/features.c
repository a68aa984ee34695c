// SPDX-License-Identifier: MIT
/*
 * The feature table as the model reads it: for every bit, where it shows in
 * CPUID on each vendor, its prerequisites and the XSAVE state components it
 * enables. Expanded from the one table, include/hyperv/hv_processor_features.def.
 */
#include "hv_internal.h"

#define CPUID(l, s, r, b) { .valid = true, .leaf = (l), .subleaf = (s), \
			    .reg = HV_CPUID_##r, .bit = (b) }
#define NO_CPUID { .valid = false }
/* SAME and UNCONTROLLED only appear in the AMD column. */
#define SAME { .valid = false, .leaf = 1 }
#define UNCONTROLLED { .valid = false, .leaf = 2 }
#define REQ_NONE .nprereqs = 0
#define REQ1(a) .prereqs = { HV_FEATURE_ID_##a }, .nprereqs = 1
#define REQ2(a, b) .prereqs = { HV_FEATURE_ID_##a, HV_FEATURE_ID_##b }, .nprereqs = 2
#define XC(n) (1ULL << (n))

const struct hv_feature_row hv_feature_rows[HV_FEATURE_ID_COUNT] = {
#define HV_FEATURE(id, word_, bit_, since, kind_, kname, intel_, amd_,	\
		   archcap, vendor_, linux_, qemu_, qemu_amd, prereqs_, xcomp,	\
		   msrs, desc, note)					\
	[HV_FEATURE_ID_##id] = {					\
		.name = #id, .word = HV_FEATURE_WORD_##word_,		\
		.bit = (bit_), .kind = HV_FEATURE_KIND_##kind_,		\
		.intel = intel_, .amd = amd_, .arch_cap_bit = (archcap),	\
		prereqs_, .xsave_components = (xcomp) },
#include <hyperv/hv_processor_features.def>
#undef HV_FEATURE
};

const struct hv_cpuid_bit *hv_feature_cpuid(const struct hv_feature_row *f, uint32_t vendor)
{
	const struct hv_cpuid_bit *loc = &f->intel;

	if (vendor == HV_PROCESSOR_VENDOR_ARM)
		return NULL;
	if (vendor == HV_PROCESSOR_VENDOR_AMD || vendor == HV_PROCESSOR_VENDOR_HYGON) {
		if (f->amd.valid)
			loc = &f->amd;
		else if (f->amd.leaf != 1)	/* not SAME: none, or uncontrolled */
			return NULL;
	}
	return loc->valid ? loc : NULL;
}
