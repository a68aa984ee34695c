/* SPDX-License-Identifier: MIT */
/*
 * Types that name the rows of hv_processor_features.def: feature words,
 * row kinds, header revisions and one id per row. Every consumer of the
 * table (hypervisor model, library catalogue, tests) expands the .def file
 * itself; this header only fixes the identifiers they share.
 */
#ifndef _HYPERV_HV_FEATURES_H
#define _HYPERV_HV_FEATURES_H

/* The four 64-bit feature words, in this fixed order everywhere. */
enum hv_feature_word {
	HV_FEATURE_WORD_BANK0,	/* create-time bank 0 */
	HV_FEATURE_WORD_BANK1,	/* create-time bank 1 */
	HV_FEATURE_WORD_BANK2,	/* early property only */
	HV_FEATURE_WORD_XSAVE,	/* create-time xsave word */
	HV_FEATURE_WORD_COUNT,
};

enum hv_feature_kind {
	HV_FEATURE_KIND_FEATURE,
	HV_FEATURE_KIND_RESERVED,	/* a named non-feature bit */
	HV_FEATURE_KIND_TEST,		/* a hypervisor test bit */
};

enum hv_feature_revision {
#define HV_REVISION(id, name, desc) HV_FEATURE_REV_##id,
#include "hv_feature_revisions.def"
#undef HV_REVISION
	HV_FEATURE_REV_COUNT,
};

/* One id per row, in table order: HV_FEATURE_ID_<canonical name>. */
enum hv_feature_id {
#define HV_FEATURE(id, ...) HV_FEATURE_ID_##id,
#include "hv_processor_features.def"
#undef HV_FEATURE
	HV_FEATURE_ID_COUNT,
};

enum hv_msr_id {
#define HV_MSR(id, index, name) HV_MSR_ID_##id,
#include "x86_msrs.def"
#undef HV_MSR
	HV_MSR_ID_COUNT,
};

/* CPUID output registers, as the table's CPUID(leaf, subleaf, REG, bit) names them. */
enum hv_cpuid_reg {
	HV_CPUID_EAX,
	HV_CPUID_EBX,
	HV_CPUID_ECX,
	HV_CPUID_EDX,
};

/* The most prerequisites and MSRs any row lists (REQn / MSRn). */
#define HV_FEATURE_MAX_PREREQS	2
#define HV_FEATURE_MAX_MSRS	8

#endif /* _HYPERV_HV_FEATURES_H */
