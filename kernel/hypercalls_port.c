// SPDX-License-Identifier: MIT
/*
 * The hypercalls of ports and connections, which doorbells are made of:
 * CreatePort and ConnectPort (input pages; fed a page and made again while
 * the hypervisor runs short), DisconnectPort and DeletePort (fast calls of
 * two u64).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/mshyperv.h>

#include "mshv_driver.h"

/*
 * A call whose whole input is known before it is made: each attempt
 * copies it afresh into this CPU's input page (a deposit in between
 * reuses the page).
 */
struct prepared_call {
	u16 code;
	const void *input;
	size_t size;
};

static u64 prepared_once(void *ctx)
{
	const struct prepared_call *call = ctx;
	void *in = *this_cpu_ptr(hyperv_pcpu_input_arg);

	memcpy(in, call->input, call->size);
	return hv_do_hypercall(call->code, in, NULL);
}

/**
 * hyp_create_port() - CreatePort
 * @port_partition_id:       whose port (the root's for a doorbell)
 * @port_id:                 the id the caller chose
 * @connection_partition_id: the partition that may connect to it
 * @info:                    the port's type and what it targets
 *
 * Memory the hypervisor asks for comes from the port's partition.
 *
 * Return: 0 or a negative errno.
 */
int hyp_create_port(u64 port_partition_id, u32 port_id, u64 connection_partition_id,
		    const struct hv_port_info *info)
{
	struct hv_input_create_port in = {
		.port_partition_id = port_partition_id,
		.port_id = port_id,
		.connection_partition_id = connection_partition_id,
		.port_info = *info,
	};
	struct prepared_call call = { HVCALL_CREATE_PORT, &in, sizeof(in) };

	return hyp_call_until_fed(port_partition_id, prepared_once, &call);
}

/**
 * hyp_connect_port() - ConnectPort
 * @port_partition_id:       the port's partition
 * @port_id:                 the port
 * @connection_partition_id: the partition connecting (the child), which
 *                           pays for it if the hypervisor needs memory
 * @connection_id:           the id the caller chose for the connection
 * @info:                    what the connection is (a doorbell's address,
 *                           value and flags)
 *
 * Return: 0 or a negative errno.
 */
int hyp_connect_port(u64 port_partition_id, u32 port_id, u64 connection_partition_id,
		     u32 connection_id, const struct hv_connection_info *info)
{
	struct hv_input_connect_port in = {
		.connection_partition_id = connection_partition_id, .connection_id = connection_id,
		.port_partition_id = port_partition_id, .port_id = port_id,
		.connection_info = *info,
	};
	struct prepared_call call = { HVCALL_CONNECT_PORT, &in, sizeof(in) };

	return hyp_call_until_fed(connection_partition_id, prepared_once, &call);
}

/**
 * hyp_disconnect_port() - DisconnectPort of a doorbell connection
 * @connection_partition_id: the partition that connected
 * @connection_id:           the connection
 *
 * Return: 0 or a negative errno.
 */
int hyp_disconnect_port(u64 connection_partition_id, u32 connection_id)
{
	u64 second = connection_id | (u64)HV_DISCONNECT_PORT_IS_DOORBELL << 32;

	return hyp_status_to_errno(hv_do_fast_hypercall16(HVCALL_DISCONNECT_PORT,
							  connection_partition_id, second));
}

/**
 * hyp_delete_port() - DeletePort
 * @port_partition_id: the port's partition
 * @port_id:           the port
 *
 * Return: 0 or a negative errno.
 */
int hyp_delete_port(u64 port_partition_id, u32 port_id)
{
	return hyp_status_to_errno(hv_do_fast_hypercall16(HVCALL_DELETE_PORT,
							  port_partition_id, port_id));
}
