/* SPDX-License-Identifier: MIT */
/*
 * A model of the Microsoft Hypervisor's partition interface, as the Linux
 * root-partition driver sees it through hypercalls: one host (its processor
 * features, XSAVE state components, CPUID), a root partition, and child
 * partitions that follow the real state machine.
 *
 * The model is entered the way the hardware is: hv_hypercall() takes a
 * control word and the input and output pages (HV_HYP_PAGE_SIZE bytes each,
 * layouts in include/hyperv/) and returns a result word. Everything else in
 * this header exists to configure, observe or fault-inject the model.
 *
 * Thread-safe (one lock per model) and deterministic: the same calls give
 * the same partition ids, values and trace.
 */
#ifndef MSHVCPU_HV_H
#define MSHVCPU_HV_H

#include <stddef.h>
#include <stdint.h>

#include <hyperv/hv_features.h>

struct hv;

enum hv_arch {
	HV_ARCH_X86_64,
	HV_ARCH_ARM64,
};

/* Where the host's CPUID comes from. */
enum hv_cpuid_source {
	HV_CPUID_SYNTHESIZED,	/* built from the offered feature words */
	HV_CPUID_NATIVE,	/* this machine's cpuid instruction */
	HV_CPUID_TABLE,		/* the leaves given in hv_host_config.cpuid */
};

struct hv_cpuid_leaf {
	uint32_t leaf;
	uint32_t subleaf;
	uint32_t eax, ebx, ecx, edx;
};

/*
 * Refusals observed on real hosts: CreatePartition fails when the *only*
 * offered feature the caller disables is the named one.
 */
#define HV_REFUSE_SOLE_MB_CLEAR		(1U << 0)	/* Skylake-SP */
#define HV_REFUSE_SOLE_RDTSCP		(1U << 1)	/* Azure Ice Lake-SP */

struct hv_host_config {
	enum hv_arch arch;
	uint32_t vendor;			/* HV_PROCESSOR_VENDOR_* */
	/* What the host offers, *enabled* sense, indexed by hv_feature_word. */
	uint64_t offered[HV_FEATURE_WORD_COUNT];
	/* XCR0 components the host supports; 0 derives them from the CPUID. */
	uint64_t xsave_states;
	uint32_t physical_address_width;	/* 0: from CPUID, else 46 */
	uint32_t cl_flush_size;			/* bytes; 0: 64 */
	uint64_t clock_frequency;		/* Hz; 0: 2000000000 */
	uint32_t feature_bank_count;		/* 0: 3 (banks 0-2) */
	uint32_t max_vps;			/* 0: 256 */
	enum hv_cpuid_source cpuid_source;
	const struct hv_cpuid_leaf *cpuid;	/* HV_CPUID_TABLE only */
	size_t cpuid_count;
	unsigned int refusals;			/* HV_REFUSE_* */
};

/* 0 or -EINVAL (bad config) / -ENOMEM. */
int hv_create(const struct hv_host_config *config, struct hv **out);
void hv_destroy(struct hv *hv);

/*
 * Issue one hypercall. @input and @output point to hypercall pages
 * (HV_HYP_PAGE_SIZE bytes; @output may be NULL for calls without output).
 * Returns the result word: status in bits 0-15, reps completed in 32-43.
 */
uint64_t hv_hypercall(struct hv *hv, uint64_t control, const void *input,
		      void *output);

/*
 * Hypercall trace: one JSON object per hypercall, appended to @path
 * (JSON Lines, schema in README.md). Each line is one write(2) on an
 * O_APPEND descriptor, so processes sharing a file interleave whole lines.
 * 0 or -errno. hv_trace_stop() closes it.
 */
int hv_trace_start(struct hv *hv, const char *path);
void hv_trace_stop(struct hv *hv);

/* What the model holds about one partition (tests and tools look here). */
enum hv_partition_state {
	HV_PARTITION_STATE_CREATED,
	HV_PARTITION_STATE_INITIALIZED,
	HV_PARTITION_STATE_FINALIZED,
};

struct hv_partition_info {
	uint64_t id;
	enum hv_partition_state state;
	uint64_t creation_flags;
	uint64_t isolation_properties;
	uint32_t compatibility_version;
	/* As received, *disabled* sense. */
	uint64_t disabled_banks[2];
	uint64_t disabled_xsave;
	uint64_t disabled_bank2;		/* early property, 0 if never set */
	/* offered & ~disabled for every bit, *enabled* sense, by word. */
	uint64_t effective[HV_FEATURE_WORD_COUNT];
	uint64_t xsave_states;
	uint32_t max_xsave_data_size;
	uint32_t vp_count;
};

/* 0, or -ENOENT when no live partition has that id. */
int hv_partition_get_info(struct hv *hv, uint64_t partition_id,
			  struct hv_partition_info *info);
/* Live (created, not deleted) child partitions. */
size_t hv_partition_count(struct hv *hv);

/* The host's CPUID for one leaf/subleaf, as the model holds it. 0 or -ENOENT. */
int hv_host_cpuid(struct hv *hv, uint32_t leaf, uint32_t subleaf,
		  struct hv_cpuid_leaf *out);

/* The standard-format XSAVE size for a set of XCR0 components. */
uint32_t hv_xsave_size(uint64_t xcr0_components);

/*
 * Fault injection: the next @count hypercalls with @code return @status
 * without doing anything (e.g. HV_STATUS_INSUFFICIENT_MEMORY).
 */
void hv_inject_status(struct hv *hv, uint16_t code, uint16_t status,
		      unsigned int count);

/* Pages deposited with HVCALL_DEPOSIT_MEMORY so far (all partitions). */
uint64_t hv_deposited_pages(struct hv *hv);

#endif /* MSHVCPU_HV_H */
