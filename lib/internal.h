/* SPDX-License-Identifier: MIT */
/*
 * Internal declarations shared by the library's files. Nothing here is
 * exported from the shared library (lib/libmshvcpu.map names the public
 * functions), and nothing here takes a name from the static library's
 * users (MSHVCPU_INTERNAL below).
 */
#ifndef MSHVCPU_LIB_INTERNAL_H
#define MSHVCPU_LIB_INTERNAL_H

#include <stdarg.h>

#include <hyperv/hv_features.h>

#include "mshvcpu.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The symbol of a function shared between the library's files.
 *
 * libmshvcpu.a is linked into programs we do not know, and in a static
 * library every function that is not static is a global name: a program
 * with its own read_file() or set_error() would clash with ours. Each such
 * function is therefore declared once, here or in a lib/ header, with
 *
 *	int read_file(...)
 *		MSHVCPU_INTERNAL(read_file);
 *
 * which names its symbol "mshvcpu__read_file": the library's prefix and a
 * second underscore that marks it internal (never public API). The C name
 * stays short, so the sources read as before. The same objects make the
 * shared library, where -fvisibility=hidden and the map keep the name out
 * of the export list as well.
 *
 * Why a label on the declaration rather than the alternatives:
 *  - renaming every function and call site to mshvcpu__x would give the
 *    same symbols, but in over 300 places, longer lines everywhere, and a
 *    name in the source that differs from the one readers know;
 *  - building libmshvcpu.a from one `ld -r` object with the internals
 *    localized by `objcopy --localize-hidden` hides them without touching
 *    the sources, but puts binutils steps (and their quirks with LTO and
 *    sanitizer builds) into the build, and the tests that reach internals
 *    (tests/lib, tests/fuzz) could no longer link them from the archive.
 * An asm label is a GNU C extension that gcc and clang both take.
 * -Wmissing-prototypes (an error here) makes every non-static function's
 * definition follow its declaration, so the label is never bypassed; a
 * declaration that lacks it fails tests/abi (exports.py), which allows
 * only public functions and hidden mshvcpu__* names in either library.
 */
#define MSHVCPU_INTERNAL(name) __asm__("mshvcpu__" #name)

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
	unsigned char vendor_only;	/* enum mshvcpu_vendor: ANY, or the one that has it */
	unsigned char nprereqs;
	unsigned char nmsrs;
	unsigned short prereqs[HV_FEATURE_MAX_PREREQS];	/* enum hv_feature_id */
	unsigned short msrs[HV_FEATURE_MAX_MSRS];	/* enum hv_msr_id */
	struct cpuid_spec intel;
	struct cpuid_spec amd;
	uint64_t xsave_components;
};

/* sha256.c: the SHA-256 of @len bytes, as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[65])
	MSHVCPU_INTERNAL(sha256_hex);

/* hexword.c: as mshvcpu_hex_word_parse(), "0x" required (how documents write u64s). */
int hex_word_parse_prefixed(const char *text, size_t len, uint64_t *value)
	MSHVCPU_INTERNAL(hex_word_parse_prefixed);

/* utf8.c: offset of the first byte that is not well-formed UTF-8, or @n. */
size_t utf8_invalid_at(const unsigned char *s, size_t n)
	MSHVCPU_INTERNAL(utf8_invalid_at);
/*
 * utf8.c: printf into a fixed field (a name, a detail, a message), escaped
 * and, when too long, cut between characters and marked "...", as
 * mshvcpu_text_escape() does.
 */
void text_vprintf(char *dst, size_t size, const char *fmt, va_list ap)
	MSHVCPU_INTERNAL(text_vprintf) __attribute__((format(printf, 3, 0)));
void text_printf(char *dst, size_t size, const char *fmt, ...)
	MSHVCPU_INTERNAL(text_printf) __attribute__((format(printf, 3, 4)));

/* catalogue.c */
const struct mshvcpu_feature *catalogue_by_id(enum hv_feature_id id)
	MSHVCPU_INTERNAL(catalogue_by_id);
size_t catalogue_index(const struct mshvcpu_feature *f)
	MSHVCPU_INTERNAL(catalogue_index);
/* Mask of the bits of @word that @rev names as features (kind FEATURE). */
uint64_t catalogue_feature_mask(enum mshvcpu_word word, enum mshvcpu_revision rev)
	MSHVCPU_INTERNAL(catalogue_feature_mask);
/* Mask of the bits of @word that @rev names at all (features, reserved, test). */
uint64_t catalogue_named_mask(enum mshvcpu_word word, enum mshvcpu_revision rev)
	MSHVCPU_INTERNAL(catalogue_named_mask);
/* The revision index to use for @rev (DEFAULT -> latest). */
enum mshvcpu_revision revision_resolve(enum mshvcpu_revision rev)
	MSHVCPU_INTERNAL(revision_resolve);
/* hv_feature_revision value for a public revision. */
unsigned int revision_to_table(enum mshvcpu_revision rev)
	MSHVCPU_INTERNAL(revision_to_table);
struct mshvcpu_msr catalogue_msr(unsigned int msr_id)
	MSHVCPU_INTERNAL(catalogue_msr);

/* error.c: fills @err (if any) and returns @code (a negative errno). */
int set_error(struct mshvcpu_error *err, int code, const char *fmt, ...)
	MSHVCPU_INTERNAL(set_error) __attribute__((format(printf, 3, 4)));
int set_error_at(struct mshvcpu_error *err, int code, const char *source,
		 unsigned int line, unsigned int column, const char *fmt, ...)
	MSHVCPU_INTERNAL(set_error_at) __attribute__((format(printf, 6, 7)));

/* profile.c: a whole file, at most 64 MiB. */
int read_file(const char *path, char **text, size_t *len, struct mshvcpu_error *err)
	MSHVCPU_INTERNAL(read_file);

/* xsave.c: standard-format XSAVE size of XCR0 components; components a set enables. */
uint32_t xsave_standard_size(uint64_t xcr0)
	MSHVCPU_INTERNAL(xsave_standard_size);
uint64_t xsave_components_of(const struct mshvcpu_featureset *set)
	MSHVCPU_INTERNAL(xsave_components_of);

/* featureset.c */
static inline uint64_t featureset_word_bit(const struct mshvcpu_feature *f)
{
	return 1ULL << f->bit;
}

#endif /* MSHVCPU_LIB_INTERNAL_H */
