/* SPDX-License-Identifier: MIT */
/*
 * The scaffolding the tests of kernel/ share: a hypervisor model with a
 * simulated kernel on it and the descriptors a test needs open, a recorder
 * on the shim's copy and hypercall hooks, the model's trace, a page of user
 * memory ending at a guard page, and raw-byte access to the arguments.
 *
 * The ABI constants below are written out from the reference (not taken
 * from the headers under test), so no test depends on how kernel/ or the
 * uapi header spells them. create_oracle.c does not use this unit.
 */
#ifndef MSHVCPU_TESTS_KERNEL_HARNESS_H
#define MSHVCPU_TESTS_KERNEL_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hyperv/hv_partition.h>	/* the model's host configuration */

#include "hv.h"
#include "kshim.h"
#include "trace_reader.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* The ioctl ABI, from the reference. */
#define MSHV_CREATE_PARTITION		0x4010B800U
#define MSHV_INITIALIZE_PARTITION	0xB800U
#define MSHV_CREATE_VP			0x4004B801U	/* arg: u32 vp_index */
#define MSHV_ROOT_HVCALL		0xC020B807U

/* struct mshv_root_hvcall: 32 bytes. */
#define HVC_SIZE	32
#define HVC_CODE	0	/* u16 */
#define HVC_REPS	2	/* u16 */
#define HVC_IN_SZ	4	/* u16 */
#define HVC_OUT_SZ	6	/* u16 */
#define HVC_STATUS	8	/* u16 */
#define HVC_RSVD	10	/* 6 bytes */
#define HVC_RSVD_LEN	6
#define HVC_IN_PTR	16	/* u64 */
#define HVC_OUT_PTR	24	/* u64 */

/* Hypercall codes, statuses and the like (hypervisor ABI). */
#define HC_CREATE_PARTITION	0x0040
#define HC_INITIALIZE_PARTITION	0x0041
#define HC_GET_PROPERTY		0x0044
#define HC_SET_PROPERTY		0x0045
#define HC_DEPOSIT_MEMORY	0x0048
#define HC_INSTALL_INTERCEPT	0x004D
#define HC_CREATE_VP		0x004E
#define HC_MAP_VP_STATE_PAGE	0x00E1
#define HC_UNMAP_VP_STATE_PAGE	0x00E2
#define HC_GET_VP_REGISTERS	0x0050
#define HC_SET_VP_REGISTERS	0x0051
#define HC_TRANSLATE_VA		0x0052
#define HC_CLEAR_INTERRUPT	0x0056
#define HC_REGISTER_INTERCEPT_RESULT 0x0091
#define HC_ASSERT_INTERRUPT	0x0094
#define HC_SIGNAL_EVENT_DIRECT	0x00C0
#define HC_POST_MESSAGE_DIRECT	0x00C1
#define HC_GET_GPA_ACCESS_STATES 0x00C9
#define HC_GET_VP_STATE		0x00E3
#define HC_SET_VP_STATE		0x00E4
#define HC_GET_VP_CPUID_VALUES	0x00F4
#define HC_GET_PROPERTY_EX	0x0101

#define ST_SUCCESS			0x0000
#define ST_INVALID_HYPERCALL_INPUT	0x0003
#define ST_INVALID_PARAMETER		0x0005
#define ST_ACCESS_DENIED		0x0006
#define ST_INVALID_PARTITION_STATE	0x0007
#define ST_UNKNOWN_PROPERTY		0x0009
#define ST_INSUFFICIENT_MEMORY		0x000B
#define ST_INVALID_VP_INDEX		0x000E

#define REP_COUNT_SHIFT		32
#define PARTITION_ID_SELF	0xFFFFFFFFFFFFFFFFULL
#define HV_PAGE			4096

#define PROP_CLOCK_FREQUENCY		0x00060009U
#define PROP_FEATURE_BANK_COUNT		0x00060015U
#define PROP_DISABLED_FEATURES_EX	0x0009000EU

/* The model's clock frequency: its bytes all differ, so an output shows its length. */
#define CLOCK		0x1122334455667788ULL
/* What a test fills an output buffer with before the call. */
#define POISON		0xAA

/* --- raw bytes -------------------------------------------------------- */

void put16(uint8_t *b, size_t off, uint16_t v);
void put32(uint8_t *b, size_t off, uint32_t v);
void put64(uint8_t *b, size_t off, uint64_t v);
uint16_t get16(const uint8_t *b, size_t off);
uint32_t get32(const uint8_t *b, size_t off);
uint64_t get64(const uint8_t *b, size_t off);

/* A whole struct mshv_root_hvcall, reserved and status fields zero. */
void hvc(uint8_t *arg, uint16_t code, uint16_t reps, const void *in, uint16_t in_sz,
	 void *out, uint16_t out_sz);
/* Get/SetPartitionProperty input (24 bytes): id, property code, padding, value. */
void property_input(uint8_t *in, uint64_t id, uint32_t property, uint64_t value);
/*
 * GET_PARTITION_PROPERTY of the clock frequency: @in (24 bytes) filled,
 * @out (8 bytes) poisoned, @arg asking for 16 bytes in and 8 out.
 */
void clock_request(uint8_t *arg, uint8_t *in, uint8_t *out);

/* --- the simulated kernel ---------------------------------------------- */

/* The three kinds of descriptor, in the order they are opened. */
enum kind { ON_DEV, ON_PT, ON_VP, KINDS };
extern const char *const kind_name[KINDS];

/* What the shim's hooks saw during one ioctl (since rec_reset). */
#define MAX_CALLS	16
#define MAX_COPIES	8
struct recorder {
	unsigned int calls;
	uint64_t control[MAX_CALLS];
	uint8_t input[MAX_CALLS][64];
	uint8_t page0[HV_PAGE];		/* the whole input page of the first call */
	unsigned int copies;
	size_t copy_len[MAX_COPIES];
	uint8_t *scribble;		/* rewritten (HVC_SIZE bytes of 0xEE) at each hypercall */
};

/* A page of user memory followed by a guard page (PROT_NONE). */
struct guarded {
	uint8_t *map;		/* two pages */
	uint8_t *end;		/* the end of the first one, the start of the guard */
	size_t page;
};

void guard_up(struct guarded *g);
void guard_down(struct guarded *g);

enum host { HOST_X86_64, HOST_ARM64 };

/* What env_up opens: each level includes the ones before it. */
enum env_level {
	ENV_DEV,	/* /dev/mshv */
	ENV_PT,		/* and a partition (v1 argument, no flags) */
	ENV_INIT,	/* initialized */
	ENV_VP,		/* and its VP 0 */
};

struct env {
	struct hv *hv;
	struct kshim *k;
	int fd[KINDS];		/* -1: not open (or closed by the test) */
	uint64_t id;		/* the partition's id in the model */
	struct recorder rec;
	struct guarded guard;	/* user memory that ends at a guard page */
	char *trace;		/* the trace file while trace_on */
};

/*
 * A model of @host offering no features (its clock at CLOCK), a kernel of
 * driver release @abi on it, what @what says opened, the recorder hooked
 * up, and e->guard mapped.
 */
void env_up_on(struct env *e, enum host host, enum kshim_abi abi, enum env_level what);
/* The same on an x86_64 host. */
void env_up(struct env *e, enum kshim_abi abi, enum env_level what);
/* The same on a model of the test's own host @c. */
void env_up_host(struct env *e, const struct hv_host_config *c, enum kshim_abi abi,
		 enum env_level what);
/* Closes what is still open; no descriptor and no partition may be left. */
void env_down(struct env *e);

/*
 * cmocka fixtures: *state becomes a struct env as env_up_on makes it; the
 * short ones are on x86_64 at nested-smt, opened to the level they name.
 */
int env_setup_on(void **state, enum host host, enum kshim_abi abi, enum env_level what);
int env_setup_dev(void **state);
int env_setup_pt(void **state);
int env_setup_init(void **state);
int env_setup_vp(void **state);
int env_teardown(void **state);

/* A new partition (v1, no flags) as e->fd[ON_PT]; e->id its id. */
void new_partition(struct env *e);
/* Closes e->fd[kind] (which must succeed) and marks it closed. */
void close_kind(struct env *e, enum kind kind);

void rec_reset(struct env *e);
/* kshim_ioctl, the recorder reset first. */
long ioctl_on(struct env *e, int fd, unsigned int cmd, unsigned long arg);
long root_hvcall(struct env *e, enum kind kind, const void *arg);
long initialize(struct env *e);
long create_vp(struct env *e, uint32_t index);

/* The highest live partition id: the newest partition (ids only grow). */
uint64_t newest_partition(struct env *e);
/* The model's view of partition e->id, which must be live. */
struct hv_partition_info info_of(struct env *e);

/* --- guest setup ----------------------------------------------------------- */

#define MSHV_SET_GUEST_MEMORY		0x4020B802U
#define MSHV_IRQFD			0x4010B803U
#define MSHV_IOEVENTFD			0x4020B804U
#define MSHV_SET_MSI_ROUTING		0x4008B805U
#define MSHV_GET_GPAP_ACCESS_BITMAP	0xC020B806U
#define MSHV_CREATE_DEVICE		0xC00CB808U

/* struct mshv_user_mem_region.flags */
#define MEM_WRITABLE	0x1
#define MEM_EXECUTABLE	0x2
#define MEM_UNMAP	0x4

#define PROP_GPA_ACCESS_TRACKING	0x00050005U

/* Shared, anonymous, NORESERVE memory with @prot (the caller unmaps it). */
void *map_noreserve(size_t bytes, int prot);
/* MSHV_SET_GUEST_MEMORY {size, guest_pfn, userspace_addr, flags} on e->fd[ON_PT]. */
long set_guest_memory(struct env *e, uint64_t size, uint64_t gfn, const void *addr,
		      uint8_t flags);
/*
 * SetPartitionProperty through the partition fd: the hypervisor's status
 * (0xFFFF: the ioctl failed before the hypervisor was asked).
 */
uint16_t set_property(struct env *e, uint32_t property, uint64_t value);
/* struct mshv_user_irqfd.flags */
#define IRQFD_DEASSIGN	0x1
#define IRQFD_RESAMPLE	0x2

/* MSHV_IRQFD {fd, resamplefd, gsi, flags}. */
long irqfd_ioctl(struct env *e, int fd, int resamplefd, uint32_t gsi, uint32_t flags);

/* One MSI route as the uapi has it: gsi, address_lo, address_hi, data. */
struct route {
	uint32_t gsi, address_lo, address_hi, data;
};

/* The route of @gsi to @vector on APIC @apic: fixed, edge, physical. */
struct route msi_route(uint32_t gsi, uint32_t apic, uint8_t vector);
/* MSHV_SET_MSI_ROUTING of @nr routes (the table read from this process's memory). */
long set_routes(struct env *e, const struct route *routes, uint32_t nr);

/* A new eventfd (non-blocking) that must be made. */
int new_eventfd(void);
/* Adds 1 to @efd's counter, as a program's write does. */
void ring(int efd);

/* --- the trace ----------------------------------------------------------- */

/* Starts the model's trace on a fresh temporary file. */
void trace_on(struct env *e);
/* Stops it, reads it into @t and removes the file. */
void trace_off(struct env *e, struct trace *t);

/* Line @i's integer or boolean member @key; the test fails if it has none. */
int line_int(const struct trace *t, size_t i, const char *key);
bool line_bool(const struct trace *t, size_t i, const char *key);

/* One expected trace line; with a key, also that integer member's value. */
struct traced {
	const char *call;
	uint16_t status;
	const char *key;
	int value;
};

/* Stops the trace: it must be exactly @want, in order, every line on @partition_id. */
void expect_trace(struct env *e, uint64_t partition_id, const struct traced *want, size_t n);
/*
 * The trace of @call refused @refusals times for want of memory, each
 * refusal followed by a one-page deposit, then done: fills @want with
 * those 2 * @refusals + 1 lines and returns how many.
 */
size_t deposit_retries(struct traced *want, const char *call, unsigned int refusals);

#endif
