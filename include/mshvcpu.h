/* SPDX-License-Identifier: MIT */
/*
 * libmshvcpu — CPU feature sets, profiles, host baselines, migration checks
 * and a create-partition flow for the Microsoft Hypervisor's /dev/mshv.
 *
 * Conventions
 *  - Functions return 0 (or a count) on success and a negative errno on
 *    failure. Where a failure needs explaining, an optional
 *    struct mshvcpu_error * receives a one-line message and, for input
 *    files and specs, where the problem is.
 *  - Feature sets are in the *enabled* sense (1 = the guest gets it). The
 *    kernel and hypervisor take *disabled* masks; the only conversion is
 *    mshvcpu_masks_from_enabled() / mshvcpu_enabled_from_masks().
 *  - Option structs start with their own size (set by MSHVCPU_OPTS); the
 *    library reads only the fields the caller's size covers and rejects
 *    non-zero bytes beyond the fields it knows.
 *  - Names of features are answered for a header revision: a bit the
 *    revision does not name is *unknown* in it.
 */
#ifndef MSHVCPU_H
#define MSHVCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MSHVCPU_VERSION_MAJOR 0
#define MSHVCPU_VERSION_MINOR 1
#define MSHVCPU_VERSION_PATCH 0
#define MSHVCPU_VERSION_NUMBER(major, minor, patch) \
	(((major) << 16) | ((minor) << 8) | (patch))
#define MSHVCPU_VERSION \
	MSHVCPU_VERSION_NUMBER(MSHVCPU_VERSION_MAJOR, MSHVCPU_VERSION_MINOR, \
			       MSHVCPU_VERSION_PATCH)

#if defined(__GNUC__)
#define MSHVCPU_API __attribute__((visibility("default")))
#define MSHVCPU_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define MSHVCPU_API
#define MSHVCPU_PRINTF(fmt, first)
#endif

/* The library's version, as MSHVCPU_VERSION_NUMBER() encodes it. */
MSHVCPU_API uint32_t mshvcpu_version(void);
MSHVCPU_API const char *mshvcpu_version_string(void);

/* Declares and sizes an options struct: MSHVCPU_OPTS(mshvcpu_create_opts, o, .x = 1); */
#define MSHVCPU_OPTS(type, name, ...) \
	struct type name = { .sz = sizeof(struct type), __VA_ARGS__ }

/*
 * Errors
 */

struct mshvcpu_error {
	int code;		/* the negative errno also returned */
	char message[512];	/* one line, no trailing newline */
	char source[256];	/* file name, "spec", "-" for stdin; "" if none */
	unsigned int line;	/* 1-based; 0 if not applicable */
	unsigned int column;	/* 1-based; 0 if not applicable */
};

/*
 * Fills @err (when not NULL) the way the library fills it: @code (a
 * negative errno), a message printed from @fmt and made one safe line as
 * mshvcpu_text_escape() makes text (control characters escaped, a message
 * too long for the field cut between characters, ending in "..."), no
 * source and no position. Returns @code. For programs and layers on top of
 * the library that report their own failures through the same struct.
 */
MSHVCPU_API int mshvcpu_error_set(struct mshvcpu_error *err, int code, const char *fmt, ...)
	MSHVCPU_PRINTF(3, 4);

/*
 * Text from outside
 *
 * Names, details, specs and paths come from files and command lines. The
 * library keeps them printable: JSON readers refuse control characters in
 * strings, and whatever the library writes or reports goes through this
 * one escaping.
 */

/*
 * @text (@len bytes) made safe to print on one line: control characters
 * (U+0000-U+001F, U+007F-U+009F) become \n, \r, \t, \xNN (C0, DEL) or
 * \u0080-\u009f (C1), each byte that is not well-formed UTF-8 becomes
 * \xNN, everything else is copied. Writes at most @size bytes including
 * the NUL; when the whole does not fit, the text is cut between characters
 * and ends in "..." (empty when @size < 4). Returns the length of the whole
 * escaped text, like snprintf.
 */
MSHVCPU_API size_t mshvcpu_text_escape(char *buf, size_t size, const char *text, size_t len);
/* The offset of the first byte of @text that is not well-formed UTF-8 (RFC 3629), or @len. */
MSHVCPU_API size_t mshvcpu_utf8_invalid_at(const char *text, size_t len);

/*
 * Words, vendors, revisions
 */

enum mshvcpu_word {
	MSHVCPU_WORD_BANK0,	/* create-time bank 0 */
	MSHVCPU_WORD_BANK1,	/* create-time bank 1 */
	MSHVCPU_WORD_BANK2,	/* early partition property only */
	MSHVCPU_WORD_XSAVE,	/* create-time xsave word */
	MSHVCPU_WORD_COUNT,
};

#define MSHVCPU_WORD_BIT(word)	(1U << (word))
#define MSHVCPU_WORDS_ALL	((1U << MSHVCPU_WORD_COUNT) - 1)

/* "bank0", "bank1", "bank2", "xsave"; NULL for an invalid word. */
MSHVCPU_API const char *mshvcpu_word_name(enum mshvcpu_word word);
MSHVCPU_API int mshvcpu_word_parse(const char *name, enum mshvcpu_word *word);
/*
 * A 64-bit hex word of @len bytes: an optional "0x"/"0X", then 1 to 16 hex
 * digits of either case, nothing else. 0, or -EINVAL with *value untouched.
 */
MSHVCPU_API int mshvcpu_hex_word_parse(const char *text, size_t len, uint64_t *value);

enum mshvcpu_vendor {
	MSHVCPU_VENDOR_ANY,	/* vendor-neutral (e.g. psABI levels) */
	MSHVCPU_VENDOR_INTEL,
	MSHVCPU_VENDOR_AMD,
	MSHVCPU_VENDOR_HYGON,
	MSHVCPU_VENDOR_ARM,
	MSHVCPU_VENDOR_COUNT,
};

/* "any", "intel", "amd", "hygon", "arm". */
MSHVCPU_API const char *mshvcpu_vendor_name(enum mshvcpu_vendor vendor);
MSHVCPU_API int mshvcpu_vendor_parse(const char *name, enum mshvcpu_vendor *vendor);

enum mshvcpu_revision {
	MSHVCPU_REV_DEFAULT,	/* wherever a revision is taken: the latest */
	MSHVCPU_REV_LINUX_6_19,	/* upstream Linux 6.19 hvhdk.h */
	MSHVCPU_REV_HV_2026,	/* hypervisor headers carried by VMMs in 2026 */
	MSHVCPU_REV_COUNT,
};

#define MSHVCPU_REV_LATEST (MSHVCPU_REV_COUNT - 1)

/* "linux-6.19", "hv-2026" (DEFAULT answers for the latest). */
MSHVCPU_API const char *mshvcpu_revision_name(enum mshvcpu_revision rev);
MSHVCPU_API const char *mshvcpu_revision_description(enum mshvcpu_revision rev);
MSHVCPU_API int mshvcpu_revision_parse(const char *name, enum mshvcpu_revision *rev);

/*
 * The catalogue: one entry per bit of the feature table.
 */

struct mshvcpu_feature;

enum mshvcpu_feature_kind {
	MSHVCPU_KIND_FEATURE,
	MSHVCPU_KIND_RESERVED,	/* named, but not a feature */
	MSHVCPU_KIND_TEST,	/* hypervisor test bit */
};

enum mshvcpu_cpuid_reg {
	MSHVCPU_EAX,
	MSHVCPU_EBX,
	MSHVCPU_ECX,
	MSHVCPU_EDX,
};

struct mshvcpu_cpuid_location {
	uint32_t leaf;
	uint32_t subleaf;
	enum mshvcpu_cpuid_reg reg;
	unsigned int bit;
};

struct mshvcpu_msr {
	uint32_t index;
	const char *name;	/* e.g. "IA32_SPEC_CTRL" */
};

MSHVCPU_API size_t mshvcpu_feature_count(void);
/* Entries in table order (bank 0 bit 0 first); NULL past the end. */
MSHVCPU_API const struct mshvcpu_feature *mshvcpu_feature_at(size_t index);

/*
 * The entry with this name in @rev, or NULL. Accepted: the canonical name,
 * a header name of the revision (with or without _support), the Linux
 * /proc/cpuinfo flag, the QEMU name; case-insensitive, '-' equals '_'.
 */
MSHVCPU_API const struct mshvcpu_feature *
mshvcpu_feature_find(const char *name, enum mshvcpu_revision rev);
/*
 * Any revision: the entry named @name, whichever revision first names it
 * (to explain "avx2 is named from hv-2026 on").
 */
MSHVCPU_API const struct mshvcpu_feature *
mshvcpu_feature_find_any(const char *name);
/* The entry for this bit in @rev (a feature or a reserved bit), or NULL: unknown. */
MSHVCPU_API const struct mshvcpu_feature *
mshvcpu_feature_at_bit(enum mshvcpu_word word, unsigned int bit,
		       enum mshvcpu_revision rev);
/*
 * Up to @max names from @rev closest to @name (edit distance), best first,
 * for "did you mean". Returns how many were written.
 */
MSHVCPU_API size_t mshvcpu_feature_suggest(const char *name,
					   enum mshvcpu_revision rev,
					   const char **out, size_t max);

MSHVCPU_API const char *mshvcpu_feature_name(const struct mshvcpu_feature *f);
MSHVCPU_API enum mshvcpu_word mshvcpu_feature_word(const struct mshvcpu_feature *f);
MSHVCPU_API unsigned int mshvcpu_feature_bit(const struct mshvcpu_feature *f);
MSHVCPU_API enum mshvcpu_feature_kind mshvcpu_feature_kind(const struct mshvcpu_feature *f);
/* The first revision that names the bit with this meaning. */
MSHVCPU_API enum mshvcpu_revision mshvcpu_feature_since(const struct mshvcpu_feature *f);
MSHVCPU_API bool mshvcpu_feature_in_revision(const struct mshvcpu_feature *f,
					     enum mshvcpu_revision rev);
/*
 * The header field name in @rev (e.g. "amd3dnow_support" in linux-6.19):
 * snprintf-style length, or -ENOENT when @rev has no field for the bit.
 */
MSHVCPU_API int mshvcpu_feature_header_name(const struct mshvcpu_feature *f,
					    enum mshvcpu_revision rev,
					    char *buf, size_t len);
MSHVCPU_API const char *mshvcpu_feature_linux_flag(const struct mshvcpu_feature *f);
MSHVCPU_API const char *mshvcpu_feature_qemu_name(const struct mshvcpu_feature *f,
						  enum mshvcpu_vendor vendor);
/*
 * Where the feature shows in CPUID on @vendor: 0, or -ENOENT when the bit
 * controls no CPUID bit there (arch-capabilities bits, synthetic features,
 * AMD "uncontrolled").
 */
MSHVCPU_API int mshvcpu_feature_cpuid(const struct mshvcpu_feature *f,
				      enum mshvcpu_vendor vendor,
				      struct mshvcpu_cpuid_location *loc);
/*
 * The one vendor whose processors have the feature (SSE4a: AMD; TSX:
 * Intel), or MSHVCPU_VENDOR_ANY. The bank bit exists on every host; a
 * guest of the other vendor never sees the feature.
 */
MSHVCPU_API enum mshvcpu_vendor mshvcpu_feature_vendor_only(const struct mshvcpu_feature *f);
/* The IA32_ARCH_CAPABILITIES bit the feature drives, or -1. */
MSHVCPU_API int mshvcpu_feature_arch_cap_bit(const struct mshvcpu_feature *f);
/* Direct prerequisites; returns the count, writes up to @max. */
MSHVCPU_API size_t mshvcpu_feature_prereqs(const struct mshvcpu_feature *f,
					   const struct mshvcpu_feature **out,
					   size_t max);
/* MSRs the feature brings to a guest; returns the count, writes up to @max. */
MSHVCPU_API size_t mshvcpu_feature_msrs(const struct mshvcpu_feature *f,
					struct mshvcpu_msr *out, size_t max);
/* XCR0 state components the feature enables (e.g. avx512: bits 5-7). */
MSHVCPU_API uint64_t mshvcpu_feature_xsave_components(const struct mshvcpu_feature *f);
MSHVCPU_API const char *mshvcpu_feature_description(const struct mshvcpu_feature *f);
/* Provenance and conflicts between headers, or NULL. */
MSHVCPU_API const char *mshvcpu_feature_note(const struct mshvcpu_feature *f);

/*
 * Feature sets (enabled sense)
 *
 * Each bit is enabled, disabled, or unknown: a CPUID probe cannot observe a
 * feature without a CPUID location, nobody can read a host's bank 2 today.
 * Unknown bits are never guessed: algebra, comparisons and the masks treat
 * them explicitly.
 */

struct mshvcpu_featureset {
	enum mshvcpu_vendor vendor;
	uint64_t known[MSHVCPU_WORD_COUNT];	/* 1 = the bit's state is known */
	uint64_t enabled[MSHVCPU_WORD_COUNT];	/* 1 = enabled/offered; within known */
};

enum mshvcpu_state {
	MSHVCPU_DISABLED,
	MSHVCPU_ENABLED,
	MSHVCPU_UNKNOWN,
};

/* Every bit known, none enabled. */
MSHVCPU_API void mshvcpu_featureset_init(struct mshvcpu_featureset *set,
					 enum mshvcpu_vendor vendor);
/* Every bit of every word known and enabled (named and unnamed alike). */
MSHVCPU_API void mshvcpu_featureset_init_all(struct mshvcpu_featureset *set,
					     enum mshvcpu_vendor vendor);
/* Every bit unknown. */
MSHVCPU_API void mshvcpu_featureset_init_unknown(struct mshvcpu_featureset *set,
						 enum mshvcpu_vendor vendor);

MSHVCPU_API enum mshvcpu_state mshvcpu_featureset_state(const struct mshvcpu_featureset *set,
							const struct mshvcpu_feature *f);
/* Known and enabled. */
MSHVCPU_API bool mshvcpu_featureset_has(const struct mshvcpu_featureset *set,
					const struct mshvcpu_feature *f);
MSHVCPU_API void mshvcpu_featureset_enable(struct mshvcpu_featureset *set,
					   const struct mshvcpu_feature *f);
MSHVCPU_API void mshvcpu_featureset_disable(struct mshvcpu_featureset *set,
					    const struct mshvcpu_feature *f);
MSHVCPU_API void mshvcpu_featureset_forget(struct mshvcpu_featureset *set,
					   const struct mshvcpu_feature *f);

/*
 * Set algebra, bit by bit, three-valued: a bit is known in the result when
 * the operands determine it (a known 0 decides an AND, a known 1 an OR).
 * The result's vendor is the operands' common vendor; a vendor-neutral
 * operand takes the other's (ANY when two real vendors differ).
 */
MSHVCPU_API void mshvcpu_featureset_and(struct mshvcpu_featureset *out,
					const struct mshvcpu_featureset *a,
					const struct mshvcpu_featureset *b);
MSHVCPU_API void mshvcpu_featureset_or(struct mshvcpu_featureset *out,
				       const struct mshvcpu_featureset *a,
				       const struct mshvcpu_featureset *b);
/* a and not b. */
MSHVCPU_API void mshvcpu_featureset_minus(struct mshvcpu_featureset *out,
					  const struct mshvcpu_featureset *a,
					  const struct mshvcpu_featureset *b);
/* Every bit enabled in @a is known enabled in @b. */
MSHVCPU_API bool mshvcpu_featureset_is_subset(const struct mshvcpu_featureset *a,
					      const struct mshvcpu_featureset *b);
/* Same vendor, same known bits, same enabled bits. */
MSHVCPU_API bool mshvcpu_featureset_equal(const struct mshvcpu_featureset *a,
					  const struct mshvcpu_featureset *b);
/* Enabled entries of kind FEATURE named in @rev. */
MSHVCPU_API size_t mshvcpu_featureset_count(const struct mshvcpu_featureset *set,
					    enum mshvcpu_revision rev);
/* Entries of kind FEATURE named in @rev whose state is unknown. */
MSHVCPU_API size_t mshvcpu_featureset_count_unknown(const struct mshvcpu_featureset *set,
						    enum mshvcpu_revision rev);
/* Enabled bits of @word that @rev does not name as a feature. */
MSHVCPU_API uint64_t mshvcpu_featureset_unnamed_bits(const struct mshvcpu_featureset *set,
						     enum mshvcpu_word word,
						     enum mshvcpu_revision rev);
/*
 * The enabled features of @set (named in @rev) that show in CPUID only on
 * another vendor's processors -- sse4a or xop in an Intel set: a guest of
 * @set's vendor would never see them. @out (if given) gets them, enabled
 * and known; returns how many. A vendor-neutral set has none.
 */
MSHVCPU_API size_t mshvcpu_featureset_other_vendor(const struct mshvcpu_featureset *set,
						   enum mshvcpu_revision rev,
						   struct mshvcpu_featureset *out);
/*
 * Iteration over entries of kind FEATURE named in @rev whose state is
 * @state, in table order:
 *   for (f = NULL; (f = mshvcpu_featureset_next(set, rev, MSHVCPU_ENABLED, f)); )
 */
MSHVCPU_API const struct mshvcpu_feature *
mshvcpu_featureset_next(const struct mshvcpu_featureset *set,
			enum mshvcpu_revision rev, enum mshvcpu_state state,
			const struct mshvcpu_feature *prev);

/*
 * Formatting; both return the length the full text needs (like snprintf)
 * and write at most @len bytes including the terminating NUL.
 *  words: "VENDOR:BANK0:BANK1:XSAVE[:BANK2]" ("intel:0x2e2a8bfffff7859f:..."),
 *         the enabled words; bank 2 only when any of it is known. Parsed
 *         back by the profile spec parser (unknown bits are not shown).
 *  names: the enabled features of @rev separated by @sep, table order.
 */
MSHVCPU_API int mshvcpu_featureset_format_words(const struct mshvcpu_featureset *set,
						char *buf, size_t len);
MSHVCPU_API int mshvcpu_featureset_format_names(const struct mshvcpu_featureset *set,
						enum mshvcpu_revision rev,
						const char *sep, char *buf, size_t len);

/*
 * Disabled masks: what the kernel and hypervisor receive
 */

enum mshvcpu_policy {
	/* Bits the revision does not name stay 0: features the hypervisor
	 * adds later are enabled (the kernel review's intent). */
	MSHVCPU_POLICY_FORWARD_COMPATIBLE,
	/* Every bit the revision does not name is disabled (what VMMs that
	 * live-migrate do). */
	MSHVCPU_POLICY_MIGRATION_SAFE,
	MSHVCPU_POLICY_COUNT,
};

/* "forward-compatible", "migration-safe". */
MSHVCPU_API const char *mshvcpu_policy_name(enum mshvcpu_policy policy);
MSHVCPU_API int mshvcpu_policy_parse(const char *name, enum mshvcpu_policy *policy);

struct mshvcpu_masks {
	/* *Disabled* sense: 1 = the guest must not get the feature. */
	uint64_t disabled_banks[2];	/* pt_cpu_fbanks */
	uint64_t disabled_xsave;	/* pt_disabled_xsave */
	uint64_t disabled_bank2;	/* early property DISABLED_PROCESSOR_FEATURES_EX */
	bool set_bank2;			/* whether the early property is needed */
};

/*
 * The one conversion from enabled sets to disabled masks. A feature @rev
 * names is disabled where @enabled knows it is off; a named feature whose
 * state is unknown, and every bit @rev does not name, follow @policy:
 * left to the hypervisor (forward-compatible) or disabled (migration-safe).
 */
MSHVCPU_API void mshvcpu_masks_from_enabled(const struct mshvcpu_featureset *enabled,
					    enum mshvcpu_policy policy,
					    enum mshvcpu_revision rev,
					    struct mshvcpu_masks *out);
/* The inverse view: the enabled set a partition asks for with @masks. */
MSHVCPU_API void mshvcpu_enabled_from_masks(const struct mshvcpu_masks *masks,
					    enum mshvcpu_vendor vendor,
					    struct mshvcpu_featureset *out);
struct mshvcpu_violation;

/*
 * The prerequisites the hypervisor would see broken with @masks: what the
 * masks leave enabled (of what @offered offers, when given) checked against
 * the full table. A forward-compatible request in an old revision can leave
 * a dependent the revision does not name enabled under a disabled
 * prerequisite (avx2 under -avx in linux-6.19), which real hosts refuse.
 * Returns how many, writes up to @max.
 */
MSHVCPU_API size_t mshvcpu_masks_check(const struct mshvcpu_masks *masks,
				       const struct mshvcpu_featureset *offered,
				       struct mshvcpu_violation *out, size_t max);

/*
 * Dependencies
 */

struct mshvcpu_violation {
	const struct mshvcpu_feature *feature;	/* enabled ... */
	const struct mshvcpu_feature *missing;	/* ... without this prerequisite */
};

/*
 * The violated prerequisites of @set (every one); returns how many, writes
 * up to @max. 0 means consistent.
 */
MSHVCPU_API size_t mshvcpu_deps_check(const struct mshvcpu_featureset *set,
				      struct mshvcpu_violation *out, size_t max);

struct mshvcpu_change {
	const struct mshvcpu_feature *feature;
	bool enabled;				/* true: pulled in; false: removed */
	const struct mshvcpu_feature *because;	/* the feature that caused it */
};

/*
 * Enable @f and, transitively, its prerequisites / disable @f and,
 * transitively, everything that depends on it. Every change beyond @f itself
 * is reported (returns how many, writes up to @max).
 */
MSHVCPU_API size_t mshvcpu_deps_enable(struct mshvcpu_featureset *set,
				       const struct mshvcpu_feature *f,
				       struct mshvcpu_change *out, size_t max);
MSHVCPU_API size_t mshvcpu_deps_disable(struct mshvcpu_featureset *set,
					const struct mshvcpu_feature *f,
					struct mshvcpu_change *out, size_t max);

/*
 * Hypervisor refusals observed on real hosts (clearing only mb_clear, or
 * only rdtscp, made MSHV refuse the partition): warnings for a request
 * against what a host offers. Returns how many rules match, writes up to
 * @max features whose sole disabling matches a rule.
 */
MSHVCPU_API size_t mshvcpu_refusal_warnings(const struct mshvcpu_featureset *requested,
					    const struct mshvcpu_featureset *offered,
					    const struct mshvcpu_feature **out,
					    size_t max);

/*
 * Hosts
 */

enum mshvcpu_host_source {
	MSHVCPU_SOURCE_HYPERVISOR,	/* partition properties via /dev/mshv */
	MSHVCPU_SOURCE_CPUID,		/* this machine's CPUID (+ ARCH_CAPABILITIES) */
	MSHVCPU_SOURCE_RECORD,		/* a host record file */
	MSHVCPU_SOURCE_MODEL,		/* a named model or literal words */
	MSHVCPU_SOURCE_COUNT,
};

/* "hypervisor", "cpuid", "record", "model". */
MSHVCPU_API const char *mshvcpu_host_source_name(enum mshvcpu_host_source source);

struct mshvcpu_host {
	char name[128];				/* host name or model name */
	enum mshvcpu_host_source source;
	struct mshvcpu_featureset offered;	/* what the host offers */
	uint64_t xsave_states;			/* XCR0 components; 0 unknown */
	uint32_t max_xsave_data_size;		/* bytes; 0 unknown */
	uint32_t physical_address_width;	/* bits; 0 unknown */
	/* Why this source, what it could not see (e.g. "/dev/mshv: No such file"). */
	char source_detail[256];
};

/* How the library reaches /dev/mshv: real system calls unless replaced. */
struct mshvcpu_device_ops {
	/* Each returns >= 0 or a negative errno. */
	int (*open)(void *ctx, const char *path);
	int (*ioctl)(void *ctx, int fd, unsigned long request, void *arg);
	int (*close)(void *ctx, int fd);
	void *ctx;
};

enum mshvcpu_probe_mode {
	MSHVCPU_PROBE_AUTO,		/* hypervisor if /dev/mshv answers, else CPUID */
	MSHVCPU_PROBE_HYPERVISOR,
	MSHVCPU_PROBE_CPUID,
};

struct mshvcpu_probe_opts {
	size_t sz;
	enum mshvcpu_probe_mode mode;
	const char *device;			/* default "/dev/mshv" */
	const char *msr_device;			/* default "/dev/cpu/0/msr" */
	const struct mshvcpu_device_ops *ops;	/* default: system calls */
};

MSHVCPU_API int mshvcpu_host_probe(const struct mshvcpu_probe_opts *opts,
				   struct mshvcpu_host *host,
				   struct mshvcpu_error *err);

/*
 * Profiles
 */

struct mshvcpu_profile;

struct mshvcpu_profile_opts {
	size_t sz;
	/* Names in specs resolve against this revision. */
	enum mshvcpu_revision revision;
	/* What "host" means; NULL probes this machine when a spec needs it. */
	const struct mshvcpu_host *host;
	/* Do not pull in prerequisites / drop dependents; report violations as errors. */
	bool strict_deps;
};

/*
 * Parse a spec: BASE followed by ",+name" / ",-name" modifiers.
 * BASE: host | all | none | a named model | @file.json |
 *       VENDOR:BANK0:BANK1:XSAVE[:BANK2] (hex words as a host dump shows them).
 */
MSHVCPU_API int mshvcpu_profile_parse(const char *spec,
				      const struct mshvcpu_profile_opts *opts,
				      struct mshvcpu_profile **out,
				      struct mshvcpu_error *err);
/* Read a JSON profile (schema "mshvcpu-profile/1"). */
MSHVCPU_API int mshvcpu_profile_load(const char *path,
				     struct mshvcpu_profile **out,
				     struct mshvcpu_error *err);
MSHVCPU_API int mshvcpu_profile_from_json(const char *text, size_t len,
					  const char *source,
					  struct mshvcpu_profile **out,
					  struct mshvcpu_error *err);
/* A profile for a given set (vendor included), e.g. a computed baseline. */
MSHVCPU_API int mshvcpu_profile_from_featureset(const struct mshvcpu_featureset *set,
						const char *name,
						enum mshvcpu_revision rev,
						struct mshvcpu_profile **out);
MSHVCPU_API void mshvcpu_profile_free(struct mshvcpu_profile *profile);

MSHVCPU_API const struct mshvcpu_featureset *
mshvcpu_profile_features(const struct mshvcpu_profile *profile);
MSHVCPU_API enum mshvcpu_revision mshvcpu_profile_revision(const struct mshvcpu_profile *profile);
/* The spec as given (or the file or model name). */
MSHVCPU_API const char *mshvcpu_profile_spec(const struct mshvcpu_profile *profile);
/* Where a named model's words come from; NULL otherwise. */
MSHVCPU_API const char *mshvcpu_profile_provenance(const struct mshvcpu_profile *profile);
/* What dependency closure changed while applying the modifiers. */
MSHVCPU_API size_t mshvcpu_profile_changes(const struct mshvcpu_profile *profile,
					   struct mshvcpu_change *out, size_t max);
/* Violations already present in the base (data the user supplied). */
MSHVCPU_API size_t mshvcpu_profile_base_violations(const struct mshvcpu_profile *profile,
						   struct mshvcpu_violation *out,
						   size_t max);
/*
 * JSON text of the profile (caller frees); parses back to an equal profile.
 * The name (the spec) is written escaped (mshvcpu_text_escape()): a spec
 * may hold a tab or a path's bytes that no reader takes.
 */
MSHVCPU_API int mshvcpu_profile_to_json(const struct mshvcpu_profile *profile,
					bool pretty, char **out);
/*
 * The profile's name by content: the SHA-256 of its compact JSON text
 * (mshvcpu_profile_to_json()), as 64 lowercase hex digits and a NUL. Two
 * profiles with the same digest give a guest the same CPU.
 */
MSHVCPU_API int mshvcpu_profile_digest(const struct mshvcpu_profile *profile, char out[65]);

/* Named models: psABI levels and recorded hosts. */
struct mshvcpu_model_info {
	const char *name;
	const char *description;
	const char *provenance;
	enum mshvcpu_vendor vendor;
};

MSHVCPU_API size_t mshvcpu_model_count(void);
MSHVCPU_API int mshvcpu_model_at(size_t index, struct mshvcpu_model_info *info);

/*
 * JSON documents: host records, profiles, partition records
 *
 * Besides its format's rules, every document read is refused (with
 * file:line:column) when a string holds a control character, raw or
 * escaped ("\u0000" included), or an unpaired UTF-16 surrogate escape, and
 * when an object repeats a key. The writers escape names and details with
 * mshvcpu_text_escape(), so what they write reads back.
 *
 * Every record names itself in a top-level "schema" member, KIND/MAJOR:
 * "mshvcpu-host/1", "mshvcpu-profile/1", "mshvcpu-partition/1". The
 * readers still take a record written before that convention, which has
 * "format": KIND and "version": 1 instead, and one with both when they
 * agree. They refuse (-EINVAL, with the member's line and column) another
 * kind, an unknown one, a major version newer than theirs, and the two
 * conventions disagreeing.
 *
 * mshvcpu_json_format(): the kind a document declares, by its top-level
 * "schema" member (any major version) or old "format" member:
 * "mshvcpu-host", "mshvcpu-profile" or "mshvcpu-partition" (static
 * strings), or NULL (neither member, a value naming no kind, the two
 * disagreeing, not an object). Only those members decide, never a name;
 * the document is not checked (read it with its kind's reader).
 */
MSHVCPU_API const char *mshvcpu_json_format(const char *text, size_t len);

/*
 * Host records (JSON, schema "mshvcpu-host/1")
 *
 * "name" is at most 127 bytes (a longer one is refused); a "source_detail"
 * longer than 255 bytes is cut between characters and ends in "...". A
 * name taken from the source (a record without "name") or from a spec
 * (mshvcpu_host_load()) is escaped and, when too long, cut the same way.
 */

MSHVCPU_API int mshvcpu_host_to_json(const struct mshvcpu_host *host, bool pretty,
				     char **out);
MSHVCPU_API int mshvcpu_host_from_json(const char *text, size_t len,
				       const char *source, unsigned int first_line,
				       struct mshvcpu_host *host,
				       struct mshvcpu_error *err);
/* A host record file, or a spec (a named model, literal words): */
MSHVCPU_API int mshvcpu_host_load(const char *path_or_spec,
				  struct mshvcpu_host *host,
				  struct mshvcpu_error *err);

/*
 * Comparison, baseline, migration
 */

enum mshvcpu_relation {
	MSHVCPU_IDENTICAL,
	MSHVCPU_SUBSET,		/* a offers less than b: a runs where b is offered */
	MSHVCPU_SUPERSET,
	MSHVCPU_INCOMPATIBLE,	/* each has features the other lacks, or vendors differ */
};

/* "identical", "subset", "superset", "incompatible". */
MSHVCPU_API const char *mshvcpu_relation_name(enum mshvcpu_relation relation);

struct mshvcpu_comparison {
	enum mshvcpu_relation relation;	/* over the bits both sides know */
	bool vendor_mismatch;
	struct mshvcpu_featureset only_a;	/* enabled in a, known disabled in b */
	struct mshvcpu_featureset only_b;
	struct mshvcpu_featureset uncertain_a;	/* enabled in a, unknown in b */
	struct mshvcpu_featureset uncertain_b;
};

MSHVCPU_API void mshvcpu_compare(const struct mshvcpu_featureset *a,
				 const struct mshvcpu_featureset *b,
				 struct mshvcpu_comparison *out);

/*
 * Can a guest with @profile run where @host is offered? No vendor clash,
 * and every feature @profile enables is known to be enabled on @host (a
 * bit the host's source could not see counts as absent). The same answer
 * as mshvcpu_compare() giving IDENTICAL or SUBSET with nothing uncertain,
 * at the cost of a few instructions.
 */
MSHVCPU_API bool mshvcpu_runs_on(const struct mshvcpu_featureset *profile,
				 const struct mshvcpu_featureset *host);
/*
 * mshvcpu_runs_on() over an array of @n hosts (a fleet kept in memory):
 * the indexes of the hosts @profile runs on, in order, are stored in @out
 * (room for @n); returns how many. Runs at close to memory bandwidth.
 */
MSHVCPU_API size_t mshvcpu_scan_runs_on(const struct mshvcpu_featureset *profile,
					const struct mshvcpu_featureset *hosts, size_t n,
					size_t *out);

/*
 * Baseline: the features every input has. Feed any number of sets; memory
 * use does not grow with their count.
 */
struct mshvcpu_baseline {
	struct mshvcpu_featureset common;
	uint32_t min_max_xsave_data_size;	/* 0 if any input did not know */
	size_t count;
	char first_name[128];			/* the input that fixed the vendor */
};

MSHVCPU_API void mshvcpu_baseline_init(struct mshvcpu_baseline *b);
/* -EXDEV (mixed vendors, message names both hosts) or 0. */
MSHVCPU_API int mshvcpu_baseline_add(struct mshvcpu_baseline *b,
				     const struct mshvcpu_host *host,
				     struct mshvcpu_error *err);

/*
 * Partition records: what a VMM keeps about a running guest.
 */

enum mshvcpu_create_flag {
	MSHVCPU_CREATE_LAPIC		= 1U << 0,
	MSHVCPU_CREATE_X2APIC		= 1U << 1,
	MSHVCPU_CREATE_GPA_SUPER_PAGES	= 1U << 2,
	MSHVCPU_CREATE_NESTED		= 1U << 3,	/* flag bit 4 and bank 1 bit 6 */
	MSHVCPU_CREATE_SMT		= 1U << 4,
};

/* How the kernel was asked. */
enum mshvcpu_create_struct {
	MSHVCPU_CREATE_V2,	/* struct mshv_create_partition_v2 (Linux >= 6.19) */
	MSHVCPU_CREATE_V1,	/* the 16-byte struct: everything enabled */
};

struct mshvcpu_partition_record {
	char *spec;				/* the requested profile (owned) */
	enum mshvcpu_revision revision;
	enum mshvcpu_policy policy;
	unsigned int create_flags;		/* MSHVCPU_CREATE_* */
	enum mshvcpu_create_struct create_struct;
	uint64_t pt_flags;			/* as sent to MSHV_CREATE_PARTITION */
	/* Enabled sense, after closure; its vendor is the partition's. */
	struct mshvcpu_featureset requested;
	struct mshvcpu_masks masks;		/* as sent */
	struct mshvcpu_featureset effective;	/* read back from the partition */
	struct mshvcpu_featureset dropped;	/* requested, named, not effective */
	uint64_t xsave_states;
	uint32_t max_xsave_data_size;
};

/* Frees what the record owns; the struct itself is the caller's. */
MSHVCPU_API void mshvcpu_partition_record_clear(struct mshvcpu_partition_record *rec);
MSHVCPU_API int mshvcpu_partition_record_to_json(const struct mshvcpu_partition_record *rec,
						 bool pretty, char **out);
MSHVCPU_API int mshvcpu_partition_record_from_json(const char *text, size_t len,
						   const char *source,
						   struct mshvcpu_partition_record *rec,
						   struct mshvcpu_error *err);
MSHVCPU_API int mshvcpu_partition_record_load(const char *path,
					      struct mshvcpu_partition_record *rec,
					      struct mshvcpu_error *err);

struct mshvcpu_migration_report {
	bool ok;
	bool vendor_mismatch;
	struct mshvcpu_featureset missing;	/* effective on the source, known absent on the target */
	struct mshvcpu_featureset unverified;	/* effective on the source, unknown on the target */
	uint32_t source_xsave_size;		/* 0: the record does not say */
	uint32_t target_xsave_size;		/* 0: the host's source does not say */
	bool xsave_too_small;
	size_t msr_count;
	struct mshvcpu_msr msrs[32];		/* MSRs the missing features bring */
};

/*
 * ok: same vendor, nothing missing or unverified, and both XSAVE sizes
 * known with the target's at least the source's (an unknown size on
 * either side is a refusal: nothing shows the state fits).
 */
MSHVCPU_API void mshvcpu_check_migration(const struct mshvcpu_partition_record *source,
					 const struct mshvcpu_host *target,
					 struct mshvcpu_migration_report *out);

/*
 * Creating a partition
 */

/*
 * A request someone else already made of the kernel, to be honoured as
 * well: what a VMM asked for itself (mshvcpu apply). Its partition flags
 * go along, its isolation type is kept, and what it disables stays
 * disabled: the masks sent are the union of its masks and the profile's.
 */
struct mshvcpu_create_base {
	uint64_t pt_flags;		/* MSHV_PT_BIT_* bits (CPU_AND_XSAVE_FEATURES aside) */
	uint64_t isolation;		/* pt_isolation */
	uint64_t disabled_banks[2];	/* *disabled* sense, as in the v2 struct */
	uint64_t disabled_xsave;
};

struct mshvcpu_create_opts {
	size_t sz;
	enum mshvcpu_policy policy;		/* default forward-compatible */
	enum mshvcpu_revision revision;		/* DEFAULT: the profile's */
	unsigned int flags;			/* MSHVCPU_CREATE_* */
	/* On a kernel before 6.19, accept the v1 struct (everything enabled). */
	bool allow_v1_fallback;
	/* Stop before MSHV_INITIALIZE_PARTITION. */
	bool no_initialize;
	const char *device;			/* default "/dev/mshv" */
	const struct mshvcpu_device_ops *ops;	/* default: system calls */
	/*
	 * Every feature the profile enables must reach the partition: checked
	 * against the host's offer before the create (where the kernel lets it
	 * be read) and against what the partition got after it; -ENOTSUP
	 * naming the features otherwise, and nothing is left created. Without
	 * it they are reported in the record's "dropped". (A feature the base
	 * request disables is not the host's to give.)
	 */
	bool enforce;
	const struct mshvcpu_create_base *base;	/* NULL: none */
};

/*
 * Create a partition for @profile: build the masks, issue the ioctl
 * (v2 where the kernel has it), set bank 2 as an early property when the
 * profile constrains it, initialize, read back what the partition got.
 * On success *partition_fd is the new partition's descriptor (close it with
 * the same ops) and @record describes it. A profile of the other vendor
 * than the host's is refused (-EXDEV) wherever the host can be read.
 */
MSHVCPU_API int mshvcpu_partition_create(const struct mshvcpu_profile *profile,
					 const struct mshvcpu_create_opts *opts,
					 int *partition_fd,
					 struct mshvcpu_partition_record *record,
					 struct mshvcpu_error *err);

/*
 * A guest's view, asked of the hypervisor as a VMM asks it. Through @ops
 * (NULL: system calls), retried on EINTR; -errno with @err filled on
 * failure.
 */
/* MSHV_CREATE_VP @vp_index on a partition: the VP's descriptor. */
MSHVCPU_API int mshvcpu_partition_create_vp(const struct mshvcpu_device_ops *ops,
					    int partition_fd, uint32_t vp_index,
					    struct mshvcpu_error *err);

struct mshvcpu_cpuid_leaf {
	uint32_t leaf, subleaf;		/* in */
	uint32_t eax, ebx, ecx, edx;	/* out */
};

/*
 * The CPUID a VP's guest sees, for @n leaves at once (at most what one
 * hypercall page holds, 169): GetVpCpuidValues through the VP's
 * descriptor @vp_fd. 0, or -EINVAL for no or too many leaves.
 */
MSHVCPU_API int mshvcpu_partition_cpuid(const struct mshvcpu_device_ops *ops, int vp_fd,
					uint32_t vp_index, struct mshvcpu_cpuid_leaf *leaves,
					size_t n, struct mshvcpu_error *err);

/*
 * The request mshvcpu_partition_create() would send to a Linux >= 6.19
 * kernel for @profile and @opts (policy, revision, flags, base; the
 * device, ops, fallback and enforce are not looked at), without sending
 * it: what a VMM that makes its own create needs.
 */
struct mshvcpu_create_request {
	uint64_t pt_flags;			/* CPU_AND_XSAVE_FEATURES included */
	struct mshvcpu_masks masks;		/* bank 2: the early property, if set_bank2 */
	struct mshvcpu_featureset requested;	/* enabled sense, after the flags' rules */
	enum mshvcpu_revision revision;		/* resolved */
	enum mshvcpu_policy policy;
	uint8_t v2[64];				/* struct mshv_create_partition_v2, its bytes */
};

MSHVCPU_API int mshvcpu_create_request(const struct mshvcpu_profile *profile,
				       const struct mshvcpu_create_opts *opts,
				       struct mshvcpu_create_request *out,
				       struct mshvcpu_error *err);

#ifdef __cplusplus
}
#endif

#endif /* MSHVCPU_H */
