/* SPDX-License-Identifier: MIT */
/*
 * Microsoft Hypervisor ABI of ports and connections, the way a partition
 * signals another. The root's driver uses one kind: a doorbell, a port of
 * the root's that a child's write to a guest address rings (Linux's
 * ioeventfds). CreatePort (0x95) makes the port, ConnectPort (0x96) the
 * connection in the child that names the address, DisconnectPort (0x5B)
 * and DeletePort (0x58) take them down; the last two are fast calls of
 * 16 bytes.
 * Facts: the TLFS (port and connection info layouts, doorbell flags);
 * Linux include/hyperv/hvhdk.h and drivers/hv/mshv_synic.c.
 */
#ifndef _HYPERV_HV_PORT_H
#define _HYPERV_HV_PORT_H

#include <linux/types.h>

#include "hv_hypercall.h"
#include "hv_partition.h"

enum hv_port_type {
	HV_PORT_TYPE_MESSAGE = 1,
	HV_PORT_TYPE_EVENT = 2,
	HV_PORT_TYPE_MONITOR = 3,
	HV_PORT_TYPE_DOORBELL = 4,	/* root partition only */
};

/* Port and connection ids: 24 bits, the top byte reserved. */
#define HV_PORT_ID_MASK			0x00FFFFFFU

/* "Any VP" as a port's target, and the SINT Linux's doorbells use. */
#define HV_ANY_VP			0xFFFFFFFFU
#define HV_SYNIC_DOORBELL_SINT_INDEX	5

/* A doorbell connection's flags: the write width that rings it, any value. */
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_MASK	0x00000007ULL
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_ANY	0x00000000ULL
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_BYTE	0x00000001ULL
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_WORD	0x00000002ULL
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_DWORD	0x00000003ULL
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_QWORD	0x00000004ULL
#define HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE	0x80000000ULL
#define HV_DOORBELL_FLAGS_DEFINED \
	(HV_DOORBELL_FLAG_TRIGGER_SIZE_MASK | HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE)

/* What a port delivers, by type: 24 bytes (the doorbell's form). */
struct hv_port_info {
	__u32 port_type;	/* HV_PORT_TYPE_* */
	__u32 padding;
	union {
		struct {
			__u32 target_sint;
			__u32 target_vp;
			__u64 rsvdz;
		} __attribute__((__packed__)) doorbell_port_info;
		__u64 raw[2];
	};
} __attribute__((__packed__));

/* What a connection is, by type: 32 bytes (the doorbell's form). */
struct hv_connection_info {
	__u32 port_type;	/* HV_PORT_TYPE_* */
	__u32 padding;
	union {
		struct {
			__u64 gpa;		/* the guest address that rings it */
			__u64 trigger_value;	/* unless TRIGGER_ANY_VALUE */
			__u64 flags;		/* HV_DOORBELL_FLAG_* */
		} __attribute__((__packed__)) doorbell_connection_info;
		__u64 raw[3];
	};
} __attribute__((__packed__));

/* CreatePort: 56 bytes, no output. */
struct hv_input_create_port {
	__u64 port_partition_id;	/* whose port: the root's for a doorbell */
	__u32 port_id;
	__u8 port_vtl;
	__u8 min_connection_vtl;
	__u16 padding;
	__u64 connection_partition_id;	/* who may connect to it */
	struct hv_port_info port_info;
	struct hv_proximity_domain_info proximity_domain_info;
} __attribute__((__packed__));

/* ConnectPort: 72 bytes, no output. */
struct hv_input_connect_port {
	__u64 connection_partition_id;
	__u32 connection_id;
	__u8 connection_vtl;
	__u8 rsvdz0;
	__u16 rsvdz1;
	__u64 port_partition_id;
	__u32 port_id;
	__u32 reserved2;
	struct hv_connection_info connection_info;
	struct hv_proximity_domain_info proximity_domain_info;
} __attribute__((__packed__));

/* DisconnectPort, fast: the connection's partition and id; bit 0 of the last word: a doorbell. */
struct hv_input_disconnect_port {
	__u64 connection_partition_id;
	__u32 connection_id;
	__u32 flags;
} __attribute__((__packed__));

#define HV_DISCONNECT_PORT_IS_DOORBELL	(1U << 0)

/* DeletePort, fast. */
struct hv_input_delete_port {
	__u64 port_partition_id;
	__u32 port_id;
	__u32 reserved;
} __attribute__((__packed__));

#endif /* _HYPERV_HV_PORT_H */
