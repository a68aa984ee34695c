/* SPDX-License-Identifier: MIT */
/*
 * Microsoft Hypervisor ABI of the synthetic interrupt controller as the
 * root reaches a child's: the message page and the event flags page (16
 * SINTs each), SignalEventDirect (0xC0) and PostMessageDirect (0xC1).
 * Facts: the TLFS (SynIC message and event flag layouts); Linux
 * include/hyperv/hvgdk_mini.h and hvhdk.h for the direct hypercalls.
 */
#ifndef _HYPERV_HV_SYNIC_H
#define _HYPERV_HV_SYNIC_H

#include <linux/types.h>

#include "hv_hypercall.h"

#define HV_SYNIC_SINT_COUNT		16

/* A message slot: a 16-byte header and up to 240 bytes of payload. */
#define HV_MESSAGE_SIZE			256
#define HV_MESSAGE_PAYLOAD_BYTE_COUNT	240
#define HV_MESSAGE_TYPE_NONE		0

/* message_flags: another message waits behind this one. */
#define HV_MESSAGE_FLAG_PENDING		(1U << 0)

struct hv_message_header {
	__u32 message_type;
	__u8 payload_size;
	__u8 message_flags;
	__u8 reserved[2];
	__u64 sender;		/* or a port id */
} __attribute__((__packed__));

struct hv_message {
	struct hv_message_header header;
	__u8 payload[HV_MESSAGE_PAYLOAD_BYTE_COUNT];
} __attribute__((__packed__));

/* The SIM page: one slot per SINT. The SIEF page: 256 bytes of flags per SINT. */
#define HV_EVENT_FLAGS_BYTE_COUNT	256
#define HV_EVENT_FLAGS_COUNT		(HV_EVENT_FLAGS_BYTE_COUNT * 8)

/* SignalEventDirect: set one event flag of a VP's SINT. */
struct hv_input_signal_event_direct {
	__u64 target_partition;
	__u32 target_vp;
	__u8 target_vtl;
	__u8 target_sint;
	__u16 flag_number;
} __attribute__((__packed__));

/* Its output: 1 when the flag was clear before. */
struct hv_output_signal_event_direct {
	__u8 newly_signaled;
	__u8 reserved[7];
} __attribute__((__packed__));

/* PostMessageDirect: put a message in a VP's SINT slot: 280 bytes. */
struct hv_input_post_message_direct {
	__u64 partition_id;
	__u32 vp_index;
	__u8 vtl;
	__u8 padding[3];
	__u32 sint_index;
	__u8 message[HV_MESSAGE_SIZE];
	__u32 padding2;
} __attribute__((__packed__));

#endif /* _HYPERV_HV_SYNIC_H */
