/* SPDX-License-Identifier: MIT */
/*
 * Microsoft Hypervisor ABI of one virtual processor: register names and
 * values (GetVpRegisters 0x50, SetVpRegisters 0x51), the VP state
 * components (GetVpState 0xE3, SetVpState 0xE4), and the pages of a VP the
 * hypervisor shares with the root (MapVpStatePage 0xE1, UnmapVpStatePage
 * 0xE2), the register page among them.
 * Facts: the TLFS pages of the two register hypercalls; Linux
 * include/hyperv/hvgdk_mini.h, hvhdk.h and drivers/hv/mshv_root_hv_call.c
 * for the layouts and how the root driver fills them; rust-vmm hv-headers.
 */
#ifndef _HYPERV_HV_VP_H
#define _HYPERV_HV_VP_H

#include <linux/types.h>

#include "hv_hypercall.h"

/* One name per row of hv_vp_registers.def. */
enum hv_register_name {
#define HV_VP_REGISTER(name, number, ...) HV_REGISTER_##name = (number),
#include "hv_vp_registers.def"
#undef HV_VP_REGISTER
};

/* Every register value is 16 bytes; 8-byte registers use the low half. */
struct hv_u128 {
	__u64 low_part;
	__u64 high_part;
} __attribute__((__packed__));

/* The value of a segment register (ES ... GS, LDTR, TR). */
struct hv_x64_segment_register {
	__u64 base;
	__u32 limit;
	__u16 selector;
	__u16 attributes;	/* type 0-3, S 4, DPL 5-6, P 7, AVL 12, L 13, D/B 14, G 15 */
} __attribute__((__packed__));

/* The value of IDTR and GDTR. */
struct hv_x64_table_register {
	__u16 pad[3];
	__u16 limit;
	__u64 base;
} __attribute__((__packed__));

/* FP_CONTROL_STATUS. */
struct hv_x64_fp_control_status_register {
	__u16 fp_control;
	__u16 fp_status;
	__u8 fp_tag;		/* abridged: one bit per register, 1 = valid */
	__u8 reserved;
	__u16 last_fp_op;
	__u64 last_fp_rip;
} __attribute__((__packed__));

/* XMM_CONTROL_STATUS. */
struct hv_x64_xmm_control_status_register {
	__u64 last_fp_rdp;
	__u32 xmm_status_control;	/* MXCSR */
	__u32 xmm_status_control_mask;
} __attribute__((__packed__));

/*
 * The input VTL byte of VP-targeted calls: target VTL in bits 0-3, bit 4
 * says to use it (else the caller's own VTL), bits 5-7 reserved.
 */
#define HV_INPUT_VTL_TARGET_MASK	0x0F
#define HV_INPUT_VTL_USE_TARGET		0x10
#define HV_INPUT_VTL_RESERVED		0xE0

/* GetVpRegisters: the header, then one u32 name per rep; out: 16 bytes per rep. */
struct hv_input_get_vp_registers {
	__u64 partition_id;
	__u32 vp_index;
	__u8 input_vtl;
	__u8 rsvd_z8;
	__u16 rsvd_z16;
	__u32 names[];
} __attribute__((__packed__));

/* One element of SetVpRegisters: 32 bytes. */
struct hv_register_assoc {
	__u32 name;
	__u32 reserved1;
	__u64 reserved2;
	struct hv_u128 value;
} __attribute__((__packed__));

/* SetVpRegisters: the same header, then one assoc per rep; no output. */
struct hv_input_set_vp_registers {
	__u64 partition_id;
	__u32 vp_index;
	__u8 input_vtl;
	__u8 rsvd_z8;
	__u16 rsvd_z16;
	struct hv_register_assoc elements[];
} __attribute__((__packed__));

/* The largest rep counts a page holds (input for both, output for Get). */
#define HV_GET_VP_REGISTERS_MAX_REPS	(HV_HYP_PAGE_SIZE / sizeof(struct hv_u128))
#define HV_SET_VP_REGISTERS_MAX_REPS \
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_set_vp_registers)) / \
	 sizeof(struct hv_register_assoc))

/*
 * VP state components. Bit 31 of the type says the data travels in pages
 * named by frame number (a variable header of one u64 per page); without
 * it the data is in the hypercall pages themselves.
 */
#define HV_GET_SET_VP_STATE_TYPE_PFN		(1U << 31)
#define HV_GET_SET_VP_STATE_LAPIC_STATE		(0U | HV_GET_SET_VP_STATE_TYPE_PFN)
#define HV_GET_SET_VP_STATE_XSAVE		(1U | HV_GET_SET_VP_STATE_TYPE_PFN)
#define HV_GET_SET_VP_STATE_SIM_PAGE		(2U | HV_GET_SET_VP_STATE_TYPE_PFN)
#define HV_GET_SET_VP_STATE_SIEF_PAGE		(3U | HV_GET_SET_VP_STATE_TYPE_PFN)
#define HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS	4U

/* XCR0-style bits of the XSAVE component's states field. */
#define HV_XSAVE_STATE_LEGACY_X87	(1ULL << 0)
#define HV_XSAVE_STATE_LEGACY_SSE	(1ULL << 1)

/* Which component, and for XSAVE which state components and flags. */
struct hv_vp_state_data {
	__u32 type;
	__u32 rsvd;
	__u64 xsave_flags;
	__u64 xsave_states;
} __attribute__((__packed__));

/*
 * GetVpState and SetVpState take one input: a 40-byte header, then the
 * variable header -- the frame numbers of the pages that hold the data, or
 * (SetVpState, data not in pages) the data itself.
 */
struct hv_input_vp_state {
	__u64 partition_id;
	__u32 vp_index;
	__u8 input_vtl;
	__u8 rsvd0;
	__u16 rsvd1;
	struct hv_vp_state_data state_data;
	__u64 data[];
} __attribute__((__packed__));

#define hv_input_get_vp_state	hv_input_vp_state
#define hv_input_set_vp_state	hv_input_vp_state

/* Frame numbers one Get/SetVpState can carry. */
#define HV_VP_STATE_BATCH_SIZE \
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_get_vp_state)) / sizeof(__u64))

/* The LAPIC component: the hypervisor's x86 local APIC state, 176 bytes. */
struct hv_local_interrupt_controller_state {
	__u32 apic_id;
	__u32 apic_version;
	__u32 apic_ldr;
	__u32 apic_dfr;
	__u32 apic_spurious;
	__u32 apic_isr[8];
	__u32 apic_tmr[8];
	__u32 apic_irr[8];
	__u32 apic_esr;
	__u32 apic_icr_high;
	__u32 apic_icr_low;
	__u32 apic_lvt_timer;
	__u32 apic_lvt_thermal;
	__u32 apic_lvt_perfmon;
	__u32 apic_lvt_lint0;
	__u32 apic_lvt_lint1;
	__u32 apic_lvt_error;
	__u32 apic_lvt_cmci;
	__u32 apic_error_status;
	__u32 apic_initial_count;
	__u32 apic_counter_value;
	__u32 apic_divide_configuration;
	__u32 apic_remote_read;
} __attribute__((__packed__));

/* One synthetic timer in the SYNTHETIC_TIMERS component. */
#define HV_STIMER_STATE_UNDELIVERED_MSG_PENDING	(1U << 0)

struct hv_stimer_state {
	__u32 flags;
	__u32 resvd;
	__u64 config;
	__u64 count;
	__u64 adjustment;
	__u64 undelivered_exp_time;
} __attribute__((__packed__));

#define HV_SYNIC_STIMER_COUNT	4

/* The SYNTHETIC_TIMERS component: 200 bytes, in the hypercall pages. */
struct hv_synthetic_timers_state {
	struct hv_stimer_state timers[HV_SYNIC_STIMER_COUNT];
	__u64 reserved[5];
} __attribute__((__packed__));

/*
 * Pages of a VP that the hypervisor lends the root. The type doubles as the
 * page offset at which the root's driver lets a VMM mmap the page from the
 * VP's file.
 */
enum hv_vp_state_page_type {
	HV_VP_STATE_PAGE_REGISTERS = 0,		/* struct hv_vp_register_page */
	HV_VP_STATE_PAGE_INTERCEPT_MESSAGE = 1,	/* the last intercept's hv_message */
	HV_VP_STATE_PAGE_GHCB = 2,		/* SNP-isolated partitions only */
	HV_VP_STATE_PAGE_COUNT
};

/* MapVpStatePage's flags: the root names the frame to use (else the hypervisor picks). */
#define HV_MAP_VP_STATE_PAGE_LOCATION_PROVIDED	(1U << 0)

struct hv_input_map_vp_state_page {
	__u64 partition_id;
	__u32 vp_index;
	__u16 type;				/* enum hv_vp_state_page_type */
	__u8 input_vtl;
	__u8 flags;
	__u64 requested_map_location;		/* a frame, with LOCATION_PROVIDED */
} __attribute__((__packed__));

struct hv_output_map_vp_state_page {
	__u64 map_location;			/* the page's frame */
} __attribute__((__packed__));

struct hv_input_unmap_vp_state_page {
	__u64 partition_id;
	__u32 vp_index;
	__u16 type;
	__u8 input_vtl;
	__u8 rsvd;
} __attribute__((__packed__));

/*
 * Bits of the register page's dirty word, one per class of registers the
 * root may change in the page; the hypervisor takes the marked classes in
 * before it next uses the VP's registers.
 */
#define HV_X64_REGISTER_CLASS_GENERAL	0	/* rax ... r15 */
#define HV_X64_REGISTER_CLASS_IP	1	/* rip */
#define HV_X64_REGISTER_CLASS_XMM	2	/* xmm0 ... xmm5 */
#define HV_X64_REGISTER_CLASS_SEGMENT	3	/* es, cs, ss, ds, fs, gs */
#define HV_X64_REGISTER_CLASS_FLAGS	4	/* rflags */

#define HV_VP_REGISTER_PAGE_VERSION_1	1

/*
 * The x86 register page: a copy of a stopped VP's most used registers,
 * valid while isvalid is 1. Registers in the hardware's order (the same
 * order as their HV_REGISTER_* numbers). The control registers and what
 * follows them are for reading only.
 */
struct hv_vp_register_page {
	__u16 version;				/* HV_VP_REGISTER_PAGE_VERSION_1 */
	__u8 isvalid;
	__u8 rsvdz;
	__u32 dirty;				/* 1 << HV_X64_REGISTER_CLASS_* */
	__u64 gp[16];				/* rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8-r15 */
	__u64 rip;
	__u64 rflags;
	__u8 reserved0[8];
	struct hv_u128 xmm[6];
	struct hv_x64_segment_register segment[6];	/* es, cs, ss, ds, fs, gs */
	__u64 cr0;
	__u64 cr3;
	__u64 cr4;
	__u64 cr8;
	__u64 efer;
	__u64 dr7;
	__u64 pending_interruption;
	__u64 interrupt_state;
	__u64 instruction_emulation_hints;
	__u64 xfem;
	__u8 reserved1[256];
	/* Written by the root: vectors to inject at the next dispatch (count in byte 0, up to 7). */
	__u64 interrupt_vectors;
} __attribute__((__packed__));

/* GetVpState's output when the data is not in pages. */
union hv_output_get_vp_state {
	struct hv_synthetic_timers_state synthetic_timers_state;
};

#endif /* _HYPERV_HV_VP_H */
