// SPDX-License-Identifier: MIT
/*
 * Doorbells: a guest's write to an address rings a port of the root's.
 * Registering one picks a port id (lowest free, from 1, across every
 * partition: the ports are the root's), creates the doorbell port aimed at
 * any VP's doorbell SINT (CreatePort) and connects the child to it with
 * the address, the value and the trigger flags (ConnectPort, the port's id
 * as the connection's). Unregistering disconnects and deletes it.
 *
 * Linux also keeps, per port id, the callback the ring runs (the
 * ioeventfd's signal); nothing rings here, so there is none to keep.
 */
#include <linux/idr.h>
#include <linux/kernel.h>

#include "mshv_driver.h"

/* Port ids are 24 bits. */
#define DOORBELL_ID_MAX		HV_PORT_ID_MASK

static DEFINE_IDA(doorbell_ids);

/**
 * mshv_register_doorbell() - a doorbell for guest writes to @gpa
 * @partition_id:  the child whose writes ring it
 * @gpa:           the guest address
 * @trigger_value: the value a write must carry (unless @flags says any)
 * @flags:         HV_DOORBELL_FLAG_*: the write width, any value
 *
 * Return: the doorbell's id (> 0), or a negative errno with nothing left
 * in the hypervisor.
 */
int mshv_register_doorbell(u64 partition_id, u64 gpa, u64 trigger_value, u64 flags)
{
	struct hv_port_info port = {
		.port_type = HV_PORT_TYPE_DOORBELL,
		.doorbell_port_info = {
			.target_sint = HV_SYNIC_DOORBELL_SINT_INDEX,
			.target_vp = HV_ANY_VP,
		},
	};
	struct hv_connection_info connection = {
		.port_type = HV_PORT_TYPE_DOORBELL,
		.doorbell_connection_info = {
			.gpa = gpa,
			.trigger_value = trigger_value,
			.flags = flags,
		},
	};
	int id, err;

	id = ida_alloc_range(&doorbell_ids, 1, DOORBELL_ID_MAX, GFP_KERNEL);
	if (id < 0)
		return id;
	err = hyp_create_port(HV_PARTITION_ID_SELF, (u32)id, partition_id, &port);
	if (err)
		goto free_id;
	err = hyp_connect_port(HV_PARTITION_ID_SELF, (u32)id, partition_id, (u32)id, &connection);
	if (err)
		goto delete_port;
	return id;

delete_port:
	hyp_delete_port(HV_PARTITION_ID_SELF, (u32)id);
free_id:
	ida_free(&doorbell_ids, (unsigned int)id);
	return err;
}

/**
 * mshv_unregister_doorbell() - take a doorbell down
 * @partition_id: the child it was registered for
 * @doorbell_id:  what mshv_register_doorbell() returned
 *
 * The hypervisor's answers are not looked at: the id is free again.
 */
void mshv_unregister_doorbell(u64 partition_id, int doorbell_id)
{
	hyp_disconnect_port(partition_id, (u32)doorbell_id);
	hyp_delete_port(HV_PARTITION_ID_SELF, (u32)doorbell_id);
	ida_free(&doorbell_ids, (unsigned int)doorbell_id);
}
