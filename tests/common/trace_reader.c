// SPDX-License-Identifier: MIT
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trace_reader.h"

void trace_read(const char *path, struct trace *t)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	t->lines = NULL;
	t->count = 0;
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	while ((len = getline(&line, &cap, f)) > 0) {
		struct json_object *o;
		enum json_tokener_error err;

		if (line[len - 1] != '\n')
			fail_msg("%s: line %zu is not terminated", path, t->count + 1);
		o = json_tokener_parse_verbose(line, &err);
		if (!o || !json_object_is_type(o, json_type_object))
			fail_msg("%s: line %zu is not a JSON object: %s", path, t->count + 1,
				 json_tokener_error_desc(err));
		t->lines = realloc(t->lines, (t->count + 1) * sizeof(*t->lines));
		assert_non_null(t->lines);
		t->lines[t->count++] = o;
	}
	free(line);
	fclose(f);
}

void trace_free(struct trace *t)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		json_object_put(t->lines[i]);
	free(t->lines);
	t->lines = NULL;
	t->count = 0;
}

const char *trace_str(struct json_object *line, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(line, key, &v) || !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

static uint64_t hex(const char *s, const char *key)
{
	char *end;
	uint64_t v;

	if (strncmp(s, "0x", 2) != 0)
		fail_msg("%s: \"%s\" is not a 0x string", key, s);
	errno = 0;
	v = strtoull(s + 2, &end, 16);
	if (errno || *end || end == s + 2)
		fail_msg("%s: \"%s\" is not a hex u64", key, s);
	return v;
}

uint64_t trace_u64(struct json_object *line, const char *key)
{
	return hex(trace_str(line, key), key);
}

uint64_t trace_u64_at(struct json_object *line, const char *key, size_t i)
{
	struct json_object *a, *v;

	if (!json_object_object_get_ex(line, key, &a) || !json_object_is_type(a, json_type_array) ||
	    i >= json_object_array_length(a))
		fail_msg("%s: no element %zu", key, i);
	v = json_object_array_get_idx(a, i);
	if (!json_object_is_type(v, json_type_string))
		fail_msg("%s[%zu]: not a string", key, i);
	return hex(json_object_get_string(v), key);
}
