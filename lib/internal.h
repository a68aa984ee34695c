/* SPDX-License-Identifier: MIT */
/*
 * Internal declarations shared by the library's files. Nothing here is
 * exported (the linker map lists the public symbols).
 */
#ifndef MSHVCPU_LIB_INTERNAL_H
#define MSHVCPU_LIB_INTERNAL_H

#include <stdarg.h>

#include <hyperv/hv_features.h>

#include "mshvcpu.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* How a feature bit shows in CPUID on one vendor. */
enum cpuid_spec_state {
	CPUID_SPEC_NONE,		/* controls no CPUID bit */
	CPUID_SPEC_LOCATION,		/* leaf/subleaf/reg/bit below */
	CPUID_SPEC_SAME,		/* AMD only: as on Intel */
	CPUID_SPEC_UNCONTROLLED,	/* AMD only: the bank bit does not control CPUID */
};

struct cpuid_spec {
	unsigned char state;		/* enum cpuid_spec_state */
	unsigned char reg;		/* enum hv_cpuid_reg */
	unsigned char bit;
	uint32_t leaf;
	uint32_t subleaf;
};

/* One row of include/hyperv/hv_processor_features.def. */
struct mshvcpu_feature {
	const char *name;
	const char *kernel_name;	/* Linux 6.19 header, without _support */
	const char *linux_flag;
	const char *qemu_name;
	const char *qemu_name_amd;	/* NULL: same as qemu_name */
	const char *description;
	const char *note;
	unsigned char word;		/* enum hv_feature_word == enum mshvcpu_word */
	unsigned char bit;
	unsigned char since;		/* enum hv_feature_revision */
	unsigned char kind;		/* enum hv_feature_kind */
	signed char arch_cap_bit;
	unsigned char nprereqs;
	unsigned char nmsrs;
	unsigned short prereqs[HV_FEATURE_MAX_PREREQS];	/* enum hv_feature_id */
	unsigned short msrs[HV_FEATURE_MAX_MSRS];	/* enum hv_msr_id */
	struct cpuid_spec intel;
	struct cpuid_spec amd;
	uint64_t xsave_components;
};

/* hexword.c: as mshvcpu_hex_word_parse(), "0x" required (how documents write u64s). */
int hex_word_parse_prefixed(const char *text, size_t len, uint64_t *value);

/* utf8.c: offset of the first byte that is not well-formed UTF-8, or @n. */
size_t utf8_invalid_at(const unsigned char *s, size_t n);
/*
 * utf8.c: printf into a fixed field (a name, a detail, a message), escaped
 * and, when too long, cut between characters and marked "...", as
 * mshvcpu_text_escape() does.
 */
void text_vprintf(char *dst, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
void text_printf(char *dst, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* catalogue.c */
const struct mshvcpu_feature *catalogue_by_id(enum hv_feature_id id);
size_t catalogue_index(const struct mshvcpu_feature *f);
/* Mask of the bits of @word that @rev names as features (kind FEATURE). */
uint64_t catalogue_feature_mask(enum mshvcpu_word word, enum mshvcpu_revision rev);
/* Mask of the bits of @word that @rev names at all (features, reserved, test). */
uint64_t catalogue_named_mask(enum mshvcpu_word word, enum mshvcpu_revision rev);
/* The revision index to use for @rev (DEFAULT -> latest). */
enum mshvcpu_revision revision_resolve(enum mshvcpu_revision rev);
/* hv_feature_revision value for a public revision. */
unsigned int revision_to_table(enum mshvcpu_revision rev);
struct mshvcpu_msr catalogue_msr(unsigned int msr_id);

/* error.c: fills @err (if any) and returns @code (a negative errno). */
int set_error(struct mshvcpu_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int set_error_at(struct mshvcpu_error *err, int code, const char *source,
		 unsigned int line, unsigned int column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* profile.c: a whole file, at most 64 MiB. */
int read_file(const char *path, char **text, size_t *len, struct mshvcpu_error *err);

/* xsave.c: standard-format XSAVE size of XCR0 components; components a set enables. */
uint32_t xsave_standard_size(uint64_t xcr0);
uint64_t xsave_components_of(const struct mshvcpu_featureset *set);

/* featureset.c */
static inline uint64_t featureset_word_bit(const struct mshvcpu_feature *f)
{
	return 1ULL << f->bit;
}

#endif /* MSHVCPU_LIB_INTERNAL_H */
