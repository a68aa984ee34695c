/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: trace events. Where the driver fires one, a line goes into
 * the hypervisor model's hypercall trace (while it is on), marked "event"
 * instead of "call": {"seq": N, "event": @event, "partition_id": ...,
 * then the JSON members @fmt makes}.
 */
#ifndef _SHIM_LINUX_TRACEPOINT_H
#define _SHIM_LINUX_TRACEPOINT_H

#include <linux/types.h>

void trace_event_json(const char *event, u64 partition_id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
