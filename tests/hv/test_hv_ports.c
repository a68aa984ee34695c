// SPDX-License-Identifier: MIT
/*
 * Ports and connections as the model keeps them, through hv_hypercall()
 * with real pages: CreatePort, ConnectPort, DisconnectPort and DeletePort
 * for doorbells -- what each records (hv_port_get), every refusal with its
 * status, what deleting a partition or a connected port does, and the
 * calls' trace lines. DisconnectPort and DeletePort take their 16 bytes
 * at the start of the input page, as the shim puts a fast call's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_partition.h>
#include <hyperv/hv_port.h>
#include <hyperv/hv_status.h>

#include "hv.h"
#include "hv_test.h"
#include "trace_reader.h"

#define SELF		HV_PARTITION_ID_SELF
#define DOORBELL_GPA	0xE7E85004ULL
#define WORD_ANY	(HV_DOORBELL_FLAG_TRIGGER_SIZE_DWORD | HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE)

static struct hv *host(void)
{
	struct hv_host_config c = {
		.arch = HV_ARCH_X86_64,
		.vendor = HV_PROCESSOR_VENDOR_INTEL,
		.physical_address_width = 46,
	};
	struct hv *hv;

	assert_int_equal(hv_create(&c, &hv), 0);
	return hv;
}

static uint64_t child(struct hv *hv)
{
	struct hv_input_create_partition *c = (void *)in;

	memset(in, 0, sizeof(in));
	c->compatibility_version = HV_COMPATIBILITY_21_H2;
	assert_int_equal(call(hv, HVCALL_CREATE_PARTITION), HV_STATUS_SUCCESS);
	return ((struct hv_output_create_partition *)out)->partition_id;
}

/* A doorbell port's input: any VP, the doorbell SINT. */
static struct hv_input_create_port *port_input(uint64_t owner, uint32_t id, uint64_t connector)
{
	struct hv_input_create_port *p = (void *)in;

	memset(in, 0, sizeof(in));
	p->port_partition_id = owner;
	p->port_id = id;
	p->connection_partition_id = connector;
	p->port_info.port_type = HV_PORT_TYPE_DOORBELL;
	p->port_info.doorbell_port_info.target_sint = HV_SYNIC_DOORBELL_SINT_INDEX;
	p->port_info.doorbell_port_info.target_vp = HV_ANY_VP;
	return p;
}

static uint16_t create(struct hv *hv, uint64_t owner, uint32_t id, uint64_t connector)
{
	port_input(owner, id, connector);
	return call(hv, HVCALL_CREATE_PORT);
}

static struct hv_input_connect_port *connect_input(uint64_t connector, uint32_t connection,
						   uint32_t port, uint64_t flags)
{
	struct hv_input_connect_port *c = (void *)in;

	memset(in, 0, sizeof(in));
	c->connection_partition_id = connector;
	c->connection_id = connection;
	c->port_partition_id = SELF;
	c->port_id = port;
	c->connection_info.port_type = HV_PORT_TYPE_DOORBELL;
	c->connection_info.doorbell_connection_info.gpa = DOORBELL_GPA;
	c->connection_info.doorbell_connection_info.trigger_value = 0x55;
	c->connection_info.doorbell_connection_info.flags = flags;
	return c;
}

static uint16_t connect(struct hv *hv, uint64_t connector, uint32_t connection, uint32_t port)
{
	connect_input(connector, connection, port, WORD_ANY);
	return call(hv, HVCALL_CONNECT_PORT);
}

static uint16_t disconnect(struct hv *hv, uint64_t connector, uint32_t connection,
			   uint32_t flags)
{
	memset(in, 0, sizeof(in));
	*(struct hv_input_disconnect_port *)in = (struct hv_input_disconnect_port){
		connector, connection, flags };
	return call(hv, HVCALL_DISCONNECT_PORT);
}

static uint16_t delete(struct hv *hv, uint64_t owner, uint32_t port, uint32_t reserved)
{
	memset(in, 0, sizeof(in));
	*(struct hv_input_delete_port *)in = (struct hv_input_delete_port){ owner, port, reserved };
	return call(hv, HVCALL_DELETE_PORT);
}

static struct hv_port_view view(struct hv *hv, uint32_t port)
{
	struct hv_port_view v;

	assert_int_equal(hv_port_get(hv, port, &v), 0);
	return v;
}

static void a_doorbell_is_made_and_taken_down(void **state)
{
	struct hv *hv = host();
	uint64_t id = child(hv);
	struct hv_port_view v;

	(void)state;
	assert_int_equal(create(hv, SELF, 7, id), HV_STATUS_SUCCESS);
	v = view(hv, 7);
	assert_int_equal(v.type, HV_PORT_TYPE_DOORBELL);
	assert_int_equal(v.connection_partition_id, id);
	assert_int_equal(v.target_sint, HV_SYNIC_DOORBELL_SINT_INDEX);
	assert_int_equal(v.target_vp, HV_ANY_VP);
	assert_false(v.connected);

	assert_int_equal(connect(hv, id, 7, 7), HV_STATUS_SUCCESS);
	v = view(hv, 7);
	assert_true(v.connected);
	assert_int_equal(v.connection_id, 7);
	assert_int_equal(v.gpa, DOORBELL_GPA);
	assert_int_equal(v.trigger_value, 0x55);
	assert_int_equal(v.flags, WORD_ANY);

	assert_int_equal(disconnect(hv, id, 7, HV_DISCONNECT_PORT_IS_DOORBELL), HV_STATUS_SUCCESS);
	assert_false(view(hv, 7).connected);
	assert_int_equal(hv_port_count(hv), 1);
	assert_int_equal(delete(hv, SELF, 7, 0), HV_STATUS_SUCCESS);
	assert_int_equal(hv_port_count(hv), 0);
	assert_int_equal(hv_port_get(hv, 7, &v), -ENOENT);
	hv_destroy(hv);
}

static void create_port_refusals(void **state)
{
	struct hv *hv = host();
	uint64_t id = child(hv), other = child(hv);

	(void)state;
	assert_int_equal(create(hv, 99, 1, id), HV_STATUS_INVALID_PARTITION_ID);
	assert_int_equal(create(hv, other, 1, id), HV_STATUS_ACCESS_DENIED);
	assert_int_equal(create(hv, SELF, 1, 99), HV_STATUS_INVALID_PARTITION_ID);
	port_input(SELF, 0x01000001, id);
	assert_int_equal(call(hv, HVCALL_CREATE_PORT), HV_STATUS_INVALID_PARAMETER);
	port_input(SELF, 1, id)->port_vtl = 1;
	assert_int_equal(call(hv, HVCALL_CREATE_PORT), HV_STATUS_INVALID_PARAMETER);
	port_input(SELF, 1, id)->min_connection_vtl = 1;
	assert_int_equal(call(hv, HVCALL_CREATE_PORT), HV_STATUS_INVALID_PARAMETER);
	port_input(SELF, 1, id)->padding = 1;
	assert_int_equal(call(hv, HVCALL_CREATE_PORT), HV_STATUS_INVALID_PARAMETER);
	port_input(SELF, 1, id)->port_info.padding = 1;
	assert_int_equal(call(hv, HVCALL_CREATE_PORT), HV_STATUS_INVALID_PARAMETER);
	port_input(SELF, 1, id)->port_info.port_type = HV_PORT_TYPE_MESSAGE;
	assert_int_equal(call(hv, HVCALL_CREATE_PORT), HV_STATUS_INVALID_PARAMETER);
	port_input(SELF, 1, id)->port_info.doorbell_port_info.target_sint = 16;
	assert_int_equal(call(hv, HVCALL_CREATE_PORT), HV_STATUS_INVALID_PARAMETER);
	port_input(SELF, 1, id)->port_info.doorbell_port_info.target_vp = 256;
	assert_int_equal(call(hv, HVCALL_CREATE_PORT), HV_STATUS_INVALID_PARAMETER);
	port_input(SELF, 1, id)->port_info.doorbell_port_info.rsvdz = 1;
	assert_int_equal(call(hv, HVCALL_CREATE_PORT), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(hv_port_count(hv), 0);
	/* A VP index below the host's limit is a target too. */
	port_input(SELF, 1, id)->port_info.doorbell_port_info.target_vp = 255;
	assert_int_equal(call(hv, HVCALL_CREATE_PORT), HV_STATUS_SUCCESS);
	assert_int_equal(create(hv, SELF, 1, other), HV_STATUS_INVALID_PORT_ID);
	assert_int_equal(hv_port_count(hv), 1);
	hv_destroy(hv);	/* valgrind: the port goes with the model */
}

static void connect_port_refusals(void **state)
{
	struct hv *hv = host();
	uint64_t id = child(hv), other = child(hv);

	(void)state;
	assert_int_equal(create(hv, SELF, 3, id), HV_STATUS_SUCCESS);
	assert_int_equal(create(hv, SELF, 4, id), HV_STATUS_SUCCESS);
	assert_int_equal(connect(hv, 99, 3, 3), HV_STATUS_INVALID_PARTITION_ID);
	connect_input(id, 3, 3, WORD_ANY)->port_partition_id = other;
	assert_int_equal(call(hv, HVCALL_CONNECT_PORT), HV_STATUS_ACCESS_DENIED);
	connect_input(id, 3, 3, WORD_ANY)->port_partition_id = 99;
	assert_int_equal(call(hv, HVCALL_CONNECT_PORT), HV_STATUS_INVALID_PARTITION_ID);
	connect_input(id, 0x02000003, 3, WORD_ANY);
	assert_int_equal(call(hv, HVCALL_CONNECT_PORT), HV_STATUS_INVALID_PARAMETER);
	connect_input(id, 3, 3, WORD_ANY)->connection_vtl = 1;
	assert_int_equal(call(hv, HVCALL_CONNECT_PORT), HV_STATUS_INVALID_PARAMETER);
	connect_input(id, 3, 3, WORD_ANY)->rsvdz1 = 1;
	assert_int_equal(call(hv, HVCALL_CONNECT_PORT), HV_STATUS_INVALID_PARAMETER);
	connect_input(id, 3, 3, WORD_ANY)->reserved2 = 1;
	assert_int_equal(call(hv, HVCALL_CONNECT_PORT), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(connect(hv, id, 3, 9), HV_STATUS_INVALID_PORT_ID);
	assert_int_equal(connect(hv, other, 3, 3), HV_STATUS_ACCESS_DENIED);
	connect_input(id, 3, 3, WORD_ANY)->connection_info.port_type = HV_PORT_TYPE_EVENT;
	assert_int_equal(call(hv, HVCALL_CONNECT_PORT), HV_STATUS_INVALID_PARAMETER);
	connect_input(id, 3, 3, WORD_ANY | 0x100);
	assert_int_equal(call(hv, HVCALL_CONNECT_PORT), HV_STATUS_INVALID_PARAMETER);
	connect_input(id, 3, 3, 5);
	assert_int_equal(call(hv, HVCALL_CONNECT_PORT), HV_STATUS_INVALID_PARAMETER);
	connect_input(id, 3, 3, WORD_ANY)->connection_info.doorbell_connection_info.gpa = 1ULL << 46;
	assert_int_equal(call(hv, HVCALL_CONNECT_PORT), HV_STATUS_INVALID_PARAMETER);
	assert_false(view(hv, 3).connected);

	assert_int_equal(connect(hv, id, 3, 3), HV_STATUS_SUCCESS);
	assert_int_equal(connect(hv, id, 30, 3), HV_STATUS_INVALID_CONNECTION_ID);
	assert_int_equal(connect(hv, id, 3, 4), HV_STATUS_INVALID_CONNECTION_ID);
	assert_false(view(hv, 4).connected);
	hv_destroy(hv);
}

static void take_down_refusals(void **state)
{
	struct hv *hv = host();
	uint64_t id = child(hv), other = child(hv);

	(void)state;
	assert_int_equal(create(hv, SELF, 5, id), HV_STATUS_SUCCESS);
	assert_int_equal(connect(hv, id, 50, 5), HV_STATUS_SUCCESS);
	assert_int_equal(disconnect(hv, 99, 50, 1), HV_STATUS_INVALID_PARTITION_ID);
	assert_int_equal(disconnect(hv, id, 50, 2), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(disconnect(hv, id, 51, 1), HV_STATUS_INVALID_CONNECTION_ID);
	assert_int_equal(disconnect(hv, other, 50, 1), HV_STATUS_INVALID_CONNECTION_ID);
	assert_true(view(hv, 5).connected);
	assert_int_equal(delete(hv, id, 5, 0), HV_STATUS_ACCESS_DENIED);
	assert_int_equal(delete(hv, SELF, 5, 1), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(delete(hv, SELF, 6, 0), HV_STATUS_INVALID_PORT_ID);
	/* A connected port may go; its connection goes with it. */
	assert_int_equal(delete(hv, SELF, 5, 0), HV_STATUS_SUCCESS);
	assert_int_equal(disconnect(hv, id, 50, 1), HV_STATUS_INVALID_CONNECTION_ID);
	hv_destroy(hv);
}

static void a_deleted_partition_loses_its_connections(void **state)
{
	struct hv *hv = host();
	uint64_t id = child(hv);

	(void)state;
	assert_int_equal(create(hv, SELF, 8, id), HV_STATUS_SUCCESS);
	assert_int_equal(connect(hv, id, 8, 8), HV_STATUS_SUCCESS);
	memset(in, 0, sizeof(in));
	*(uint64_t *)in = id;
	assert_int_equal(call(hv, HVCALL_DELETE_PARTITION), HV_STATUS_SUCCESS);
	assert_false(view(hv, 8).connected);
	assert_int_equal(delete(hv, SELF, 8, 0), HV_STATUS_SUCCESS);
	hv_destroy(hv);
}

static void each_call_leaves_one_trace_line(void **state)
{
	struct hv *hv = host();
	uint64_t id = child(hv);
	char path[] = "/tmp/mshvcpu-porttrace-XXXXXX";
	struct trace t;

	(void)state;
	assert_int_equal(close(mkstemp(path)), 0);
	assert_int_equal(hv_trace_start(hv, path), 0);
	create(hv, SELF, 2, id);
	connect(hv, id, 20, 2);
	disconnect(hv, id, 20, 1);
	delete(hv, SELF, 2, 0);
	hv_trace_stop(hv);
	trace_read(path, &t);
	unlink(path);

	assert_int_equal(t.count, 4);
	assert_string_equal(trace_str(t.lines[0], "call"), "create_port");
	assert_int_equal(trace_u64(t.lines[0], "partition_id"), SELF);
	assert_string_equal(trace_str(t.lines[0], "port_type"), "doorbell");
	assert_int_equal(trace_u64(t.lines[0], "connection_partition_id"), id);
	assert_int_equal(json_object_get_int(json_object_object_get(t.lines[0], "port_id")), 2);
	assert_string_equal(trace_str(t.lines[1], "call"), "connect_port");
	assert_int_equal(trace_u64(t.lines[1], "partition_id"), id);
	assert_int_equal(trace_u64(t.lines[1], "gpa"), DOORBELL_GPA);
	assert_int_equal(trace_u64(t.lines[1], "trigger_value"), 0x55);
	assert_string_equal(trace_str(t.lines[1], "doorbell_flags"), "0x80000003");
	assert_int_equal(json_object_get_int(json_object_object_get(t.lines[1], "connection_id")),
			 20);
	assert_string_equal(trace_str(t.lines[2], "call"), "disconnect_port");
	assert_string_equal(trace_str(t.lines[3], "call"), "delete_port");
	assert_string_equal(trace_str(t.lines[3], "status_name"), "HV_STATUS_SUCCESS");
	trace_free(&t);
	hv_destroy(hv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_doorbell_is_made_and_taken_down),
		cmocka_unit_test(create_port_refusals),
		cmocka_unit_test(connect_port_refusals),
		cmocka_unit_test(take_down_refusals),
		cmocka_unit_test(a_deleted_partition_loses_its_connections),
		cmocka_unit_test(each_call_leaves_one_trace_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
