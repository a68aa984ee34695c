/* SPDX-License-Identifier: MIT */
/* The hypervisor model's internals, shared by the files of hv/. */
#ifndef MSHVCPU_HV_INTERNAL_H
#define MSHVCPU_HV_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_intercept.h>
#include <hyperv/hv_interrupt.h>
#include <hyperv/hv_memory.h>
#include <hyperv/hv_partition.h>
#include <hyperv/hv_port.h>
#include <hyperv/hv_status.h>
#include <hyperv/hv_synic.h>
#include <hyperv/hv_vp.h>

#include "hv.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Where one feature shows in CPUID, for one vendor. */
struct hv_cpuid_bit {
	bool valid;
	uint32_t leaf, subleaf;
	unsigned int reg;	/* enum hv_cpuid_reg */
	unsigned int bit;
};

/* One row of hv_processor_features.def, as the model needs it. */
struct hv_feature_row {
	const char *name;
	unsigned int word, bit, kind;
	struct hv_cpuid_bit intel, amd;
	int arch_cap_bit;
	unsigned int nprereqs;
	unsigned int prereqs[HV_FEATURE_MAX_PREREQS];	/* hv_feature_id */
	uint64_t xsave_components;
};

extern const struct hv_feature_row hv_feature_rows[HV_FEATURE_ID_COUNT];
/* Where @f shows in CPUID on @vendor (HV_PROCESSOR_VENDOR_*), or NULL. */
const struct hv_cpuid_bit *hv_feature_cpuid(const struct hv_feature_row *f, uint32_t vendor);

/* One id per row of hv_partition_properties.def, in table order. */
enum hv_property_id {
#define HV_PROPERTY(name, ...) HV_PROPERTY_ID_##name,
#include <hyperv/hv_partition_properties.def>
#undef HV_PROPERTY
	HV_PROPERTY_ID_COUNT,
};

/* The .def's arch, scope, setter and check columns. */
enum hv_property_arch { HV_PROPERTY_ARCH_ANY, HV_PROPERTY_ARCH_X64, HV_PROPERTY_ARCH_ARM64 };
enum hv_property_scope {
	HV_PROPERTY_SCOPE_CHILD = 1 << 0,
	HV_PROPERTY_SCOPE_ROOT = 1 << 1,
	HV_PROPERTY_SCOPE_BOTH = HV_PROPERTY_SCOPE_CHILD | HV_PROPERTY_SCOPE_ROOT,
};
enum hv_property_setter {
	HV_PROPERTY_SET_NEVER,
	HV_PROPERTY_SET_EARLY,		/* created, not yet initialized */
	HV_PROPERTY_SET_ANYTIME,	/* until finalized */
};
enum hv_property_check {
	HV_PROPERTY_CHECK_NONE,
	HV_PROPERTY_CHECK_RESERVED,	/* value & arg0: INVALID_PARAMETER */
	HV_PROPERTY_CHECK_RANGE,	/* outside arg0..arg1: PROPERTY_VALUE_OUT_OF_RANGE */
	HV_PROPERTY_CHECK_CUSTOM,
};

struct hv_partition;

/* One row of hv_partition_properties.def, as the model needs it. */
struct hv_property_row {
	const char *name;
	uint32_t code;
	unsigned int width;		/* bytes */
	enum hv_property_arch arch;
	enum hv_property_scope scope;
	enum hv_property_setter setter;
	/* Default: derive(hv, p) if set, else fixed. p is NULL for the root. */
	uint64_t fixed;
	uint64_t (*derive)(const struct hv *hv, const struct hv_partition *p);
	enum hv_property_check check;
	uint64_t arg0, arg1;
	/* An HV_STATUS_*; @p is the child being set. */
	uint16_t (*custom)(const struct hv *hv, const struct hv_partition *p, uint64_t value);
	void (*effect)(struct hv *hv, struct hv_partition *p, uint64_t value);
};

extern const struct hv_property_row hv_property_rows[HV_PROPERTY_ID_COUNT];

/* One id per row of hv_vp_registers.def, in table order. */
enum hv_vp_register_id {
#define HV_VP_REGISTER(name, ...) HV_VP_REG_##name,
#include <hyperv/hv_vp_registers.def>
#undef HV_VP_REGISTER
	HV_VP_REGISTER_COUNT,
};

/* Messages a SINT holds behind its occupied slot (model). */
#define HV_VP_MESSAGE_QUEUE	4

/* One virtual processor: what CreateVp made and the root has set since. */
struct hv_vp {
	uint32_t index;
	struct hv_u128 regs[HV_VP_REGISTER_COUNT];	/* by hv_vp_register_id */
	/* The VP state components (vp_state.c). */
	struct hv_local_interrupt_controller_state lapic;
	uint8_t *xsave;			/* compacted image of the partition's states */
	uint32_t xsave_size;
	uint8_t simp[HV_HYP_PAGE_SIZE];		/* one message slot per SINT */
	uint8_t siefp[HV_HYP_PAGE_SIZE];	/* 256 bytes of event flags per SINT */
	struct hv_synthetic_timers_state timers;
	/* The pages lent to the root (register_page.c): register page, intercept message page. */
	uint8_t *lent;
	uint32_t mapped;		/* 1 << hv_vp_state_page_type: mapped by the root */
	/* Messages posted while their slot was taken (synic.c). */
	struct {
		struct hv_message message[HV_VP_MESSAGE_QUEUE];
		unsigned int count;
	} queue[HV_SYNIC_SINT_COUNT];
	struct hv_vp_info info;
};

/* One installed intercept (intercept.c), and how many a partition holds (model). */
struct hv_intercept {
	uint32_t type;
	uint32_t access;
	uint64_t parameter;
};

#define HV_PARTITION_INTERCEPTS	256

/*
 * Consecutive guest frames mapped with the same flags (memory.c). While
 * access tracking is on, a run has its pages' accessed and dirty bits,
 * page k at bit @bit0 + k of each bitmap.
 */
struct hv_gpa_run {
	uint64_t gfn;
	uint64_t pages;
	uint32_t flags;			/* HV_MAP_GPA_*, LARGE_PAGE left out */
	uint64_t bit0;
	uint64_t *accessed;		/* NULL while not tracked */
	uint64_t *dirty;
};

/* A partition's guest physical address space: runs sorted by frame, disjoint. */
struct hv_gpa_map {
	struct hv_gpa_run *runs;
	size_t count, cap;
	uint64_t mapped_pages;
	bool tracking;			/* GPA_PAGE_ACCESS_TRACKING is on */
};

struct hv_partition {
	struct hv_partition *next;
	struct hv_partition_info info;
	struct hv_vp **vps;		/* by VP index, max_vps entries; NULL: none */
	/* The settable properties' values (the others are derived on read). */
	uint64_t props[HV_PROPERTY_ID_COUNT];
	struct hv_intercept intercepts[HV_PARTITION_INTERCEPTS];	/* info.intercept_count */
	struct hv_gpa_map gpa;
};

/*
 * A port of the root's (port.c), and the one connection a child made to it.
 * Only doorbells are modelled.
 */
struct hv_port {
	struct hv_port *next;
	struct hv_port_view view;
};

/*
 * One hypercall as the entry decoded it (hypercall.c), for the handlers
 * that take it whole. A handler fills in reps_done and the trace's fields.
 */
struct hv_call {
	uint64_t control;
	const void *input;
	void *output;
	unsigned int reps;		/* rep count */
	unsigned int start;		/* rep start index */
	unsigned int varhead;		/* variable header, in 8-byte units */
	unsigned int reps_done;
	uint64_t partition_id;		/* the target, as the trace shows it */
	char *trace;
	size_t trace_len;
};

struct hv_injection {
	uint16_t code, status;
	unsigned int count;
};

struct hv {
	pthread_mutex_t lock;
	struct hv_host_config config;	/* defaults filled in */
	struct hv_cpuid_leaf *cpuid;	/* the host's CPUID */
	size_t cpuid_count;
	struct hv_partition *partitions;
	struct hv_port *ports;
	size_t port_count;
	uint64_t next_partition_id;
	uint64_t deposited_pages;
	struct hv_injection inject[8];
	int trace_fd;
	uint64_t trace_seq;
	struct hv_page_lender lender;
};

/* Host CPUID (host.c). */
int hv_host_build_cpuid(struct hv *hv);
const struct hv_cpuid_leaf *hv_host_find_cpuid(const struct hv *hv, uint32_t leaf,
					       uint32_t subleaf);
/* XCR0 components a set of effective words enables on this host. */
uint64_t hv_xsave_states_for(const struct hv *hv, const uint64_t *effective);

/* Partitions (partition.c): each returns an HV_STATUS_*. */
struct hv_partition *hv_partition_find(struct hv *hv, uint64_t id);
/* Unlinks a partition and frees it with its VPs. */
void hv_partition_free(struct hv *hv, struct hv_partition *victim);
/*
 * The partition @id if it is initialized (running), else NULL with
 * *@status INVALID_PARTITION_ID or INVALID_PARTITION_STATE.
 */
struct hv_partition *hv_partition_running(struct hv *hv, uint64_t id, uint16_t *status);
uint16_t hvm_create_partition(struct hv *hv, const void *in, void *out, char *trace,
				  size_t trace_len);
uint16_t hvm_partition_state(struct hv *hv, uint16_t code, const void *in);
/* Recompute a partition's XSAVE states and size from its effective words. */
void hv_partition_update_xsave(const struct hv *hv, struct hv_partition *p);
uint16_t hvm_create_vp(struct hv *hv, const void *in, char *trace, size_t trace_len);

/* Partition properties (properties.c). */
/* The row for @code on this host's architecture, or NULL (an unknown property). */
const struct hv_property_row *hv_property_find(const struct hv *hv, uint32_t code);
/* A new partition's settable properties take their defaults. */
void hv_properties_init(const struct hv *hv, struct hv_partition *p);
/* GetPartitionProperty and GetPartitionPropertyEx (by @code), SetPartitionProperty. */
uint16_t hvm_get_property(struct hv *hv, uint16_t code, const void *in, void *out,
			  char *trace, size_t trace_len);
uint16_t hvm_set_property(struct hv *hv, const void *in, char *trace, size_t trace_len);

/* Virtual processors and their registers (vp.c). */
/* A new VP at reset; NULL when out of memory. */
struct hv_vp *hv_vp_create(const struct hv *hv, const struct hv_partition *p, uint32_t index);
void hv_vp_free(const struct hv *hv, struct hv_vp *vp);
/*
 * The VP a VP-targeted call names, with the checks they share: its
 * partition running (hv_partition_running), the VP (INVALID_VP_INDEX),
 * and the input VTL byte (VTL 0 only, no reserved bit: INVALID_PARAMETER).
 * NULL with *@status on failure; *@p (if @p) is its partition.
 */
struct hv_vp *hv_vp_find(struct hv *hv, uint64_t partition_id, uint32_t vp_index,
			 uint8_t input_vtl, struct hv_partition **p, uint16_t *status);
uint16_t hvm_get_vp_registers(struct hv *hv, struct hv_call *c);
uint16_t hvm_set_vp_registers(struct hv *hv, struct hv_call *c);
/* The table's name of register @number ("RIP"), or NULL. */
const char *hv_register_name(uint32_t number);
/* Where the value of register @number is kept (a zero value for a number the table lacks). */
const struct hv_u128 *hv_vp_register(const struct hv_vp *vp, uint32_t number);
/*
 * Sets register @number as SetVpRegisters would, with the same checks;
 * a value they refuse, or a register @p's VPs lack, is left unset.
 */
void hv_vp_register_store(const struct hv *hv, const struct hv_partition *p, struct hv_vp *vp,
			  uint32_t number, const struct hv_u128 *value);

/* The pages lent to the root, and the register page (register_page.c). */
#define HV_VP_LENT_PAGES	2	/* register page, intercept message page */
extern const struct hv_page_lender hv_heap_lender;
/* A new VP's block of lent pages, its register page filled in; 0 or -ENOMEM. */
int hv_vp_pages_lend(const struct hv *hv, struct hv_vp *vp);
void hv_vp_pages_return(const struct hv *hv, struct hv_vp *vp);
/* The register page shows the VP's registers again; dirty is 0. */
void hv_register_page_refresh(const struct hv *hv, struct hv_vp *vp);
/* Takes in the classes the root marked dirty in the page; returns the dirty word read. */
uint32_t hv_register_page_absorb(const struct hv *hv, const struct hv_partition *p,
				 struct hv_vp *vp);
uint16_t hvm_map_vp_state_page(struct hv *hv, struct hv_call *c);
uint16_t hvm_unmap_vp_state_page(struct hv *hv, struct hv_call *c);

/* VP state components (vp_state.c). */
/* Their reset contents; 0 or -ENOMEM. */
int hv_vp_state_init(const struct hv *hv, const struct hv_partition *p, struct hv_vp *vp);
uint16_t hvm_get_vp_state(struct hv *hv, struct hv_call *c);
uint16_t hvm_set_vp_state(struct hv *hv, struct hv_call *c);

/* SynIC (synic.c). */
uint16_t hvm_signal_event_direct(struct hv *hv, struct hv_call *c);
uint16_t hvm_post_message_direct(struct hv *hv, struct hv_call *c);
/* End of message: queued messages move into their free slots. */
void hv_synic_eom(struct hv_vp *vp);

/* Intercepts (intercept.c) and virtual interrupts (interrupt.c). */
uint16_t hvm_install_intercept(struct hv *hv, struct hv_call *c);
uint16_t hvm_assert_virtual_interrupt(struct hv *hv, struct hv_call *c);

/* Guest memory (memory.c). */
uint16_t hvm_map_gpa_pages(struct hv *hv, struct hv_call *c);
uint16_t hvm_unmap_gpa_pages(struct hv *hv, struct hv_call *c);
uint16_t hvm_get_gpa_access_states(struct hv *hv, struct hv_call *c);
/* GPA_PAGE_ACCESS_TRACKING: whether @value may be set now, and setting it. */
uint16_t hv_gpa_tracking_check(const struct hv_partition *p, uint64_t value);
void hv_gpa_tracking_set(struct hv_partition *p, uint64_t value);
void hv_gpa_map_free(struct hv_gpa_map *m);

/* Ports and connections (port.c). */
uint16_t hvm_create_port(struct hv *hv, struct hv_call *c);
uint16_t hvm_connect_port(struct hv *hv, struct hv_call *c);
uint16_t hvm_disconnect_port(struct hv *hv, struct hv_call *c);
uint16_t hvm_delete_port(struct hv *hv, struct hv_call *c);
/* A deleted partition's connections go with it; all ports with the model. */
void hv_ports_forget_partition(struct hv *hv, uint64_t partition_id);
void hv_ports_free(struct hv *hv);

/* Guest CPUID (cpuid.c). */
uint16_t hvm_get_vp_cpuid_values(struct hv *hv, uint64_t control, const void *in,
				     void *out, unsigned int *reps_done, char *trace,
				     size_t trace_len);
/* One leaf as the guest of @p sees it. */
void hv_guest_cpuid(const struct hv *hv, const struct hv_partition *p, uint32_t leaf,
		    uint32_t subleaf, struct hv_cpuid_leaf *out);

/* Trace (trace.c). */
void hv_trace_emit(struct hv *hv, uint16_t code, uint16_t status, uint64_t partition_id,
		   const char *fields);
/* The name of an HV_PORT_TYPE_* ("doorbell"), or NULL. */
const char *hv_port_type_name(uint32_t type);
/* Appends printf output to a call's trace fields, as far as they hold it. */
void hv_trace_add(struct hv_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *hv_call_name(uint16_t code);
const char *hv_status_name(uint16_t status);
const char *hv_property_name(uint32_t code);

#endif /* MSHVCPU_HV_INTERNAL_H */
