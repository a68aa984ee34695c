// SPDX-License-Identifier: MIT
/*
 * Ports of the root's and the connections children make to them. The one
 * kind modelled is the doorbell, which the root's driver makes for an
 * ioeventfd: a port of the root's (CreatePort) that one child may connect
 * to (ConnectPort), naming the guest address whose writes ring it.
 *
 *   CreatePort (0x95)     {port partition, port id, port VTL, min
 *                         connection VTL, pad, connection partition, port
 *                         info {type, pad, target SINT, target VP, rsvd},
 *                         proximity}
 *   ConnectPort (0x96)    {connection partition, connection id, VTL, rsvd,
 *                         port partition, port id, rsvd, connection info
 *                         {type, pad, gpa, trigger value, flags}, proximity}
 *   DisconnectPort (0x5B) {connection partition, connection id, bit 0: a
 *                         doorbell}
 *   DeletePort (0x58)     {port partition, port id, rsvd}
 *
 * No guest runs, so no doorbell ever rings: the model keeps what a write
 * would have to match, for tests and tools to look at (hv_port_get).
 *
 * Misuse:
 *   a connection partition that does not exist   INVALID_PARTITION_ID
 *   a port partition other than the root: none   INVALID_PARTITION_ID,
 *     a child's                                  ACCESS_DENIED (model)
 *   a port id with its top byte set, nonzero VTLs or reserved fields, a
 *   type other than doorbell (model: the others are not modelled), a SINT
 *   past 15, a VP that is neither "any" nor below the host's VP limit,
 *   undefined doorbell flags or a width past 8 bytes, a connection info
 *   whose type differs from the port's, an address beyond the host's
 *   physical address width                       INVALID_PARAMETER
 *   a port id in use; no such port              INVALID_PORT_ID
 *   connecting from another partition than the port allows  ACCESS_DENIED
 *   a port already connected (model: one connection per doorbell), a
 *   connection id the partition already uses; no such connection
 *                                                INVALID_CONNECTION_ID
 * Deleting a port that is still connected drops the connection (model).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "hv_internal.h"

const char *hv_port_type_name(uint32_t type)
{
	static const char *const names[] = {
		[HV_PORT_TYPE_MESSAGE] = "message",
		[HV_PORT_TYPE_EVENT] = "event",
		[HV_PORT_TYPE_MONITOR] = "monitor",
		[HV_PORT_TYPE_DOORBELL] = "doorbell",
	};

	return type < ARRAY_SIZE(names) ? names[type] : NULL;
}

static struct hv_port *port_find(struct hv *hv, uint32_t id)
{
	struct hv_port *port;

	for (port = hv->ports; port; port = port->next)
		if (port->view.id == id)
			return port;
	return NULL;
}

static struct hv_port *connection_find(struct hv *hv, uint64_t partition_id, uint32_t id)
{
	struct hv_port *port;

	for (port = hv->ports; port; port = port->next)
		if (port->view.connected && port->view.connection_partition_id == partition_id &&
		    port->view.connection_id == id)
			return port;
	return NULL;
}

/* The port's partition must be the root's own. */
static uint16_t root_ports_only(struct hv *hv, uint64_t partition_id)
{
	if (partition_id == HV_PARTITION_ID_SELF)
		return HV_STATUS_SUCCESS;
	return hv_partition_find(hv, partition_id) ? HV_STATUS_ACCESS_DENIED :
						     HV_STATUS_INVALID_PARTITION_ID;
}

static bool gpa_ok(const struct hv *hv, uint64_t gpa)
{
	return hv->config.physical_address_width >= 64 ||
	       gpa < 1ULL << hv->config.physical_address_width;
}

static void trace_type(struct hv_call *c, uint32_t type)
{
	const char *name = hv_port_type_name(type);

	if (name)
		hv_trace_add(c, ",\"port_type\":\"%s\"", name);
	else
		hv_trace_add(c, ",\"port_type\":\"0x%x\"", type);
}

uint16_t hvm_create_port(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_create_port *in = c->input;
	const typeof(in->port_info.doorbell_port_info) *info = &in->port_info.doorbell_port_info;
	struct hv_port *port;
	uint16_t status;

	hv_trace_add(c, "\"port_id\":%u", in->port_id);
	trace_type(c, in->port_info.port_type);
	hv_trace_add(c, ",\"connection_partition_id\":\"0x%016llx\"",
		     (unsigned long long)in->connection_partition_id);
	status = root_ports_only(hv, in->port_partition_id);
	if (status != HV_STATUS_SUCCESS)
		return status;
	if (!hv_partition_find(hv, in->connection_partition_id))
		return HV_STATUS_INVALID_PARTITION_ID;
	if ((in->port_id & ~HV_PORT_ID_MASK) || in->port_vtl || in->min_connection_vtl ||
	    in->padding || in->port_info.padding ||
	    in->port_info.port_type != HV_PORT_TYPE_DOORBELL ||
	    info->target_sint >= HV_SYNIC_SINT_COUNT || info->rsvdz ||
	    (info->target_vp != HV_ANY_VP && info->target_vp >= hv->config.max_vps))
		return HV_STATUS_INVALID_PARAMETER;
	if (port_find(hv, in->port_id))
		return HV_STATUS_INVALID_PORT_ID;
	port = calloc(1, sizeof(*port));
	if (!port)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	port->view = (struct hv_port_view){
		.id = in->port_id,
		.type = in->port_info.port_type,
		.connection_partition_id = in->connection_partition_id,
		.target_sint = info->target_sint,
		.target_vp = info->target_vp,
	};
	port->next = hv->ports;
	hv->ports = port;
	__atomic_add_fetch(&hv->port_count, 1, __ATOMIC_RELAXED);
	return HV_STATUS_SUCCESS;
}

uint16_t hvm_connect_port(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_connect_port *in = c->input;
	const typeof(in->connection_info.doorbell_connection_info) *info =
		&in->connection_info.doorbell_connection_info;
	struct hv_port *port;
	uint16_t status;

	hv_trace_add(c, "\"connection_id\":%u,\"port_id\":%u", in->connection_id, in->port_id);
	trace_type(c, in->connection_info.port_type);
	hv_trace_add(c, ",\"gpa\":\"0x%016llx\",\"trigger_value\":\"0x%016llx\","
		     "\"doorbell_flags\":\"0x%llx\"", (unsigned long long)info->gpa,
		     (unsigned long long)info->trigger_value, (unsigned long long)info->flags);
	if (!hv_partition_find(hv, in->connection_partition_id))
		return HV_STATUS_INVALID_PARTITION_ID;
	status = root_ports_only(hv, in->port_partition_id);
	if (status != HV_STATUS_SUCCESS)
		return status;
	if ((in->connection_id & ~HV_PORT_ID_MASK) || in->connection_vtl || in->rsvdz0 ||
	    in->rsvdz1 || in->reserved2 || in->connection_info.padding)
		return HV_STATUS_INVALID_PARAMETER;
	port = port_find(hv, in->port_id);
	if (!port)
		return HV_STATUS_INVALID_PORT_ID;
	if (port->view.connection_partition_id != in->connection_partition_id)
		return HV_STATUS_ACCESS_DENIED;
	if (in->connection_info.port_type != port->view.type ||
	    (info->flags & ~HV_DOORBELL_FLAGS_DEFINED) ||
	    (info->flags & HV_DOORBELL_FLAG_TRIGGER_SIZE_MASK) > HV_DOORBELL_FLAG_TRIGGER_SIZE_QWORD ||
	    !gpa_ok(hv, info->gpa))
		return HV_STATUS_INVALID_PARAMETER;
	if (port->view.connected ||
	    connection_find(hv, in->connection_partition_id, in->connection_id))
		return HV_STATUS_INVALID_CONNECTION_ID;
	port->view.connected = true;
	port->view.connection_id = in->connection_id;
	port->view.gpa = info->gpa;
	port->view.trigger_value = info->trigger_value;
	port->view.flags = info->flags;
	return HV_STATUS_SUCCESS;
}

uint16_t hvm_disconnect_port(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_disconnect_port *in = c->input;
	struct hv_port *port;

	hv_trace_add(c, "\"connection_id\":%u", in->connection_id);
	if (!hv_partition_find(hv, in->connection_partition_id))
		return HV_STATUS_INVALID_PARTITION_ID;
	if (in->flags & ~HV_DISCONNECT_PORT_IS_DOORBELL)
		return HV_STATUS_INVALID_PARAMETER;
	port = connection_find(hv, in->connection_partition_id, in->connection_id);
	if (!port)
		return HV_STATUS_INVALID_CONNECTION_ID;
	port->view.connected = false;
	return HV_STATUS_SUCCESS;
}

uint16_t hvm_delete_port(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_delete_port *in = c->input;
	struct hv_port **pp, *port;
	uint16_t status;

	hv_trace_add(c, "\"port_id\":%u", in->port_id);
	status = root_ports_only(hv, in->port_partition_id);
	if (status != HV_STATUS_SUCCESS)
		return status;
	if (in->reserved)
		return HV_STATUS_INVALID_PARAMETER;
	for (pp = &hv->ports; *pp; pp = &(*pp)->next)
		if ((*pp)->view.id == in->port_id)
			break;
	if (!*pp)
		return HV_STATUS_INVALID_PORT_ID;
	port = *pp;
	*pp = port->next;
	free(port);
	__atomic_sub_fetch(&hv->port_count, 1, __ATOMIC_RELAXED);
	return HV_STATUS_SUCCESS;
}

void hv_ports_forget_partition(struct hv *hv, uint64_t partition_id)
{
	struct hv_port *port;

	for (port = hv->ports; port; port = port->next)
		if (port->view.connection_partition_id == partition_id)
			port->view.connected = false;
}

void hv_ports_free(struct hv *hv)
{
	while (hv->ports) {
		struct hv_port *next = hv->ports->next;

		free(hv->ports);
		hv->ports = next;
	}
	__atomic_store_n(&hv->port_count, 0, __ATOMIC_RELAXED);
}

int hv_port_get(struct hv *hv, uint32_t port_id, struct hv_port_view *out)
{
	const struct hv_port *port;

	if (!hv || !out)
		return -EINVAL;
	pthread_mutex_lock(&hv->lock);
	port = port_find(hv, port_id);
	if (port)
		*out = port->view;
	pthread_mutex_unlock(&hv->lock);
	return port ? 0 : -ENOENT;
}

size_t hv_port_count(struct hv *hv)
{
	/* Counted as ports come and go, under the lock; read without it. */
	return __atomic_load_n(&hv->port_count, __ATOMIC_RELAXED);
}
