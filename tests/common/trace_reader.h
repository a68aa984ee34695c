/* SPDX-License-Identifier: MIT */
/*
 * Reading the hypervisor model's hypercall trace back in tests: every line
 * must be one well-formed JSON object (a line that is not fails the test).
 */
#ifndef MSHVCPU_TESTS_TRACE_READER_H
#define MSHVCPU_TESTS_TRACE_READER_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct trace {
	struct json_object **lines;
	size_t count;
};

/* Parses @path; fails the running cmocka test on any malformed line. */
void trace_read(const char *path, struct trace *t);
void trace_free(struct trace *t);

/* The string member @key of @line ("" if absent or not a string). */
const char *trace_str(struct json_object *line, const char *key);
/* A "0x…" member parsed as u64; fails the test if absent or malformed. */
uint64_t trace_u64(struct json_object *line, const char *key);
/* Element @i of the array member @key, as a "0x…" u64. */
uint64_t trace_u64_at(struct json_object *line, const char *key, size_t i);

#endif
