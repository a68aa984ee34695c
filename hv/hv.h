/* SPDX-License-Identifier: MIT */
/*
 * A model of the Microsoft Hypervisor's partition interface, as the Linux
 * root-partition driver sees it through hypercalls: one host (its processor
 * features, XSAVE state components, CPUID), a root partition, and child
 * partitions that follow the real state machine, with their virtual
 * processors as a VMM finds them before the first guest instruction
 * (registers, state components, intercepts, virtual interrupts, SynIC),
 * their guest physical address space (mappings and, while tracked, each
 * page's accessed and dirty bits) and the root's doorbell ports.
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

#include <stdbool.h>
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
 *
 * Some calls name further pages of the root by frame number (GetVpState
 * and SetVpState read and write them; MapGpaPages only checks them, as
 * nothing in the model reads guest memory). The model's root is this
 * process and its physical
 * address space is this address space: frame n is the page at address
 * n << 12 (model). Frame 0 and frames beyond 52 bits are refused.
 */
uint64_t hv_hypercall(struct hv *hv, uint64_t control, const void *input,
		      void *output);

/*
 * Where the pages come from that the hypervisor lends the root to map: each
 * VP's register page and intercept message page, one block of two pages
 * per VP, register page first. @alloc returns page-aligned, zeroed memory
 * or NULL; @release takes it back when the VP's partition is deleted. The
 * default is the heap; the emulator lends pages a program can mmap. Set it
 * before the first partition is created: 0, -EINVAL, or -EBUSY.
 */
struct hv_page_lender {
	void *(*alloc)(void *ctx, size_t bytes);
	void (*release)(void *ctx, void *pages, size_t bytes);
	void *ctx;
};

int hv_set_page_lender(struct hv *hv, const struct hv_page_lender *lender);

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
	uint32_t intercept_count;		/* distinct InstallIntercept targets */
	/* Guest memory: pages MapGpaPages mapped, in how many runs of equal flags. */
	uint64_t mapped_pages;
	uint32_t gpa_runs;
	bool access_tracking;			/* GPA_PAGE_ACCESS_TRACKING is on */
};

/* 0, or -ENOENT when no live partition has that id. */
int hv_partition_get_info(struct hv *hv, uint64_t partition_id,
			  struct hv_partition_info *info);
/* Live (created, not deleted) child partitions. */
size_t hv_partition_count(struct hv *hv);

/*
 * What the model holds about one VP besides its registers and state
 * components (which hypercalls read): what was asked of it.
 */
struct hv_vp_info {
	uint32_t index;
	uint64_t interrupts;		/* AssertVirtualInterrupt deliveries to it */
	uint32_t last_interrupt_type;	/* HV_X64_INTERRUPT_TYPE_* of the last one */
	uint32_t last_interrupt_vector;
	uint64_t events_signaled;	/* SignalEventDirect flags it newly got */
	uint64_t messages_posted;	/* PostMessageDirect messages accepted */
	uint32_t messages_queued;	/* of those, waiting behind a full slot now */
	uint32_t mapped_pages;		/* 1 << hv_vp_state_page_type the root has mapped */
};

/* 0, or -ENOENT when the partition or the VP does not exist. */
int hv_vp_get_info(struct hv *hv, uint64_t partition_id, uint32_t vp_index,
		   struct hv_vp_info *info);

/*
 * The access mask of the intercept InstallIntercept installed for
 * (@type, @parameter) on a partition: 0, or -ENOENT when there is none.
 */
int hv_partition_intercept(struct hv *hv, uint64_t partition_id, uint32_t type,
			   uint64_t parameter, uint32_t *access_mask);

/*
 * Whether guest frame @gfn of a partition is mapped: 0 with its
 * HV_MAP_GPA_* flags in *@map_flags (if given), or -ENOENT.
 */
int hv_partition_gpa_lookup(struct hv *hv, uint64_t partition_id, uint64_t gfn,
			    uint32_t *map_flags);

/*
 * A port of the root's (CreatePort) and the connection a child made to it
 * (ConnectPort). Only doorbells exist in the model.
 */
struct hv_port_view {
	uint32_t id;
	uint32_t type;				/* HV_PORT_TYPE_* */
	uint64_t connection_partition_id;	/* who may connect */
	uint32_t target_sint;
	uint32_t target_vp;
	bool connected;
	uint32_t connection_id;
	uint64_t gpa;				/* the doorbell's guest address */
	uint64_t trigger_value;
	uint64_t flags;				/* HV_DOORBELL_FLAG_* */
};

/* 0 with the port @port_id in *@out, or -ENOENT. */
int hv_port_get(struct hv *hv, uint32_t port_id, struct hv_port_view *out);
/* Ports the root holds. */
size_t hv_port_count(struct hv *hv);

/*
 * A line in the trace that is not a hypercall: what the driver above the
 * model did instead of making one (e.g. "irqfd_dropped"). @fields is JSON
 * members without braces ("" for none). Written only while tracing.
 */
void hv_trace_event(struct hv *hv, const char *event, uint64_t partition_id,
		    const char *fields);

/* The host's CPUID for one leaf/subleaf, as the model holds it. 0 or -ENOENT. */
int hv_host_cpuid(struct hv *hv, uint32_t leaf, uint32_t subleaf,
		  struct hv_cpuid_leaf *out);

/* The standard-format XSAVE size for a set of XCR0 components. */
uint32_t hv_xsave_size(uint64_t xcr0_components);
/* The compacted-format size (XSAVEC): what the VP state's XSAVE component holds. */
uint32_t hv_xsave_compacted_size(uint64_t xcr0_components);

/*
 * Fault injection: the next @count hypercalls with @code return @status
 * without doing anything (e.g. HV_STATUS_INSUFFICIENT_MEMORY).
 */
void hv_inject_status(struct hv *hv, uint16_t code, uint16_t status,
		      unsigned int count);

/* Pages deposited with HVCALL_DEPOSIT_MEMORY so far (all partitions). */
uint64_t hv_deposited_pages(struct hv *hv);

#endif /* MSHVCPU_HV_H */
