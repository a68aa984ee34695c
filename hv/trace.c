// SPDX-License-Identifier: MIT
/*
 * The hypercall trace: one JSON object per hypercall, appended to a file
 * (JSON Lines). Each line is one write(2) on an O_APPEND descriptor, so
 * processes sharing the file interleave whole lines. Schema (README.md):
 *
 *   {"seq": 1, "call": "create_partition", "code": "0x0040",
 *    "status": "0x0000", "status_name": "HV_STATUS_SUCCESS",
 *    "partition_id": "0x0000000000000001", ...decoded input}
 *
 * u64 values are "0x" + 16 hex digits. Decoded input by call:
 *   create_partition       flags, isolation, compatibility_version,
 *                          disabled_processor_features [bank0, bank1],
 *                          disabled_xsave
 *   get/set_partition_property(_ex)  property (name), property_code, value
 *                          (get: only on success; a banked value, e.g.
 *                          VMM_CAPABILITIES: its bank 0)
 *   create_vp              vp_index
 *   get_vp_cpuid_values    vp_index, reps, leaves ["0xLEAF.SUBLEAF", ...]
 *   deposit_memory         pages
 *   get/set_vp_registers   vp_index, reps, registers ["RIP", ...] (the
 *                          table's names; "0x%08x" for a name it lacks)
 *   get/set_vp_state       vp_index, state ("lapic", "xsave", "sim_page",
 *                          "sief_page", "synthetic_timers"), pages (by
 *                          pages) or bytes (inline)
 *   install_intercept      intercept_type, access, parameter
 *   assert_virtual_interrupt  interrupt_type, vector, destination, logical,
 *                          level_triggered, delivered (on success)
 *   signal_event_direct    vp_index, sint, flag, newly_signaled (on success)
 *   post_message_direct    vp_index, sint, message_type, payload_size,
 *                          queued (on success)
 *   map_gpa_pages, unmap_gpa_pages  gpa_page, pages (4 KiB pages this call
 *                          covers), map_flags / unmap_flags
 *   get_gpa_pages_access_states  gpa_page, pages, access_flags, accessed and
 *                          dirty (how many reported so, on success)
 *   create_port            port_id, port_type, connection_partition_id
 *   connect_port           connection_id, port_id, port_type, gpa,
 *                          trigger_value, doorbell_flags
 *   disconnect_port        connection_id
 *   delete_port            port_id
 * A field list too long for the line stops early (a register list: the
 * names that fit).
 * partition_id is the target (create_partition: the new id on success, 0
 * otherwise; the root partition is 0xffffffffffffffff).
 *
 * A line with "event" instead of "call" (and no code or status) is not a
 * hypercall but what the driver above did instead of one
 * (hv_trace_event): {"seq": 9, "event": "irqfd_dropped", "partition_id":
 * ..., "gsi": 30}.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hv_internal.h"

const char *hv_call_name(uint16_t code)
{
	switch (code) {
#define HV_CALL_CASE(name, value) case (value): return #name;
	HV_HYPERCALL_LIST(HV_CALL_CASE)
#undef HV_CALL_CASE
	default:
		return "UNKNOWN";
	}
}

const char *hv_status_name(uint16_t status)
{
	switch (status) {
#define HV_STATUS_CASE(name, value) case (value): return "HV_STATUS_" #name;
	HV_STATUS_LIST(HV_STATUS_CASE)
#undef HV_STATUS_CASE
	default:
		return "HV_STATUS_UNKNOWN";
	}
}

/* The name of the property table's row (hv_partition_properties.def), on any arch. */
const char *hv_property_name(uint32_t code)
{
	size_t i;

	for (i = 0; i < HV_PROPERTY_ID_COUNT; i++)
		if (hv_property_rows[i].code == code)
			return hv_property_rows[i].name;
	return "UNKNOWN";
}

int hv_trace_start(struct hv *hv, const char *path)
{
	int fd;

	if (!hv || !path)
		return -EINVAL;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	pthread_mutex_lock(&hv->lock);
	if (hv->trace_fd >= 0)
		close(hv->trace_fd);
	hv->trace_fd = fd;
	pthread_mutex_unlock(&hv->lock);
	return 0;
}

void hv_trace_stop(struct hv *hv)
{
	if (!hv)
		return;
	pthread_mutex_lock(&hv->lock);
	if (hv->trace_fd >= 0)
		close(hv->trace_fd);
	hv->trace_fd = -1;
	pthread_mutex_unlock(&hv->lock);
}

void hv_trace_add(struct hv_call *c, const char *fmt, ...)
{
	size_t used = strlen(c->trace);
	va_list ap;

	if (used + 1 >= c->trace_len)
		return;
	va_start(ap, fmt);
	vsnprintf(c->trace + used, c->trace_len - used, fmt, ap);
	va_end(ap);
}

/* Called with the lock held. */
void hv_trace_emit(struct hv *hv, uint16_t code, uint16_t status, uint64_t partition_id,
		   const char *fields)
{
	char line[1536], call[64];
	size_t i;
	int n;

	if (hv->trace_fd < 0)
		return;
	snprintf(call, sizeof(call), "%s", hv_call_name(code));
	for (i = 0; call[i]; i++)
		call[i] = (char)tolower((unsigned char)call[i]);
	n = snprintf(line, sizeof(line),
		     "{\"seq\":%llu,\"call\":\"%s\",\"code\":\"0x%04x\",\"status\":\"0x%04x\","
		     "\"status_name\":\"%s\",\"partition_id\":\"0x%016llx\"%s%s}\n",
		     (unsigned long long)++hv->trace_seq, call, code, status,
		     hv_status_name(status), (unsigned long long)partition_id,
		     fields[0] ? "," : "", fields);
	if (n > 0 && (size_t)n < sizeof(line) && write(hv->trace_fd, line, (size_t)n) < 0) {
		/* A trace that cannot be written is not worth failing the hypercall. */
	}
}

void hv_trace_event(struct hv *hv, const char *event, uint64_t partition_id, const char *fields)
{
	char line[1024];
	int n;

	if (!hv || !event)
		return;
	pthread_mutex_lock(&hv->lock);
	if (hv->trace_fd >= 0) {
		n = snprintf(line, sizeof(line),
			     "{\"seq\":%llu,\"event\":\"%s\",\"partition_id\":\"0x%016llx\"%s%s}\n",
			     (unsigned long long)++hv->trace_seq, event,
			     (unsigned long long)partition_id, fields && fields[0] ? "," : "",
			     fields ? fields : "");
		if (n > 0 && (size_t)n < sizeof(line) && write(hv->trace_fd, line, (size_t)n) < 0) {
			/* As for hypercalls: a lost line fails nothing. */
		}
	}
	pthread_mutex_unlock(&hv->lock);
}
