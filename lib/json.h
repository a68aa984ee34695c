/* SPDX-License-Identifier: MIT */
/*
 * JSON helpers shared by the profile, host-record and partition-record
 * formats: parsing with file:line:column errors, "0x..." u64 strings, and
 * the words object {"bank0": ..., "bank1": ..., "bank2": ..., "xsave": ...}.
 */
#ifndef MSHVCPU_LIB_JSON_H
#define MSHVCPU_LIB_JSON_H

#include <json-c/json.h>

#include "internal.h"

/* Where a document came from, for error messages. */
struct json_doc {
	const char *text;
	size_t len;
	const char *source;	/* file name, "-" ... */
	unsigned int first_line;	/* line of text[0] in the source (1-based) */
};

/* Nesting beyond this is refused: no format here needs more than 4. */
#define JSON_MAX_DEPTH 16

/*
 * Parse one JSON value filling the whole text (trailing blanks allowed),
 * refusing what json_doc_check_strings() refuses.
 */
int json_doc_parse(const struct json_doc *doc, struct json_object **out,
		   struct mshvcpu_error *err)
	MSHVCPU_INTERNAL(json_doc_parse);
/* Line and column (1-based) of byte @offset of the document. */
void json_doc_position(const struct json_doc *doc, size_t offset,
		       unsigned int *line, unsigned int *column)
	MSHVCPU_INTERNAL(json_doc_position);
/*
 * json_scan.c: on text[0..@end) that json-c accepted, refuse (with the
 * position) control characters in strings, raw or escaped ("\u0000"
 * included), unpaired surrogate escapes, and keys repeated in an object.
 */
int json_doc_check_strings(const struct json_doc *doc, size_t end, struct mshvcpu_error *err)
	MSHVCPU_INTERNAL(json_doc_check_strings);

/*
 * A semantic error about member @key (searched for as "key" in the text
 * after the first occurrence of "@after" if given): reports its position.
 */
int json_doc_error(const struct json_doc *doc, struct mshvcpu_error *err,
		   const char *after, const char *key, const char *fmt, ...)
	MSHVCPU_INTERNAL(json_doc_error) __attribute__((format(printf, 5, 6)));

/*
 * A string for text from outside (@len bytes of a name, a detail, a spec): escaped as
 * mshvcpu_text_escape() does, so it never holds what the readers refuse,
 * and cut to @max bytes (0: no limit) between characters, marked "...".
 */
struct json_object *json_new_text(const char *text, size_t len, size_t max)
	MSHVCPU_INTERNAL(json_new_text);

/* "0x" followed by 1-16 hex digits. 0 or -EINVAL. */
int json_parse_u64(const char *s, uint64_t *out)
	MSHVCPU_INTERNAL(json_parse_u64);
/* A new "0x..." string object. */
struct json_object *json_new_u64(uint64_t v)
	MSHVCPU_INTERNAL(json_new_u64);

/*
 * The records this library reads and writes. Each names itself with a
 * top-level "schema": "KIND/MAJOR" member ("mshvcpu-host/1"); records
 * written before that convention carry "format": KIND and "version": 1
 * instead, and are read as before (json.c has the table and the rules).
 */
enum json_schema {
	JSON_SCHEMA_HOST,
	JSON_SCHEMA_PROFILE,
	JSON_SCHEMA_PARTITION,
	JSON_SCHEMA_COUNT
};

/* "mshvcpu-host" */
const char *json_schema_kind(enum json_schema s)
	MSHVCPU_INTERNAL(json_schema_kind);
/* "mshvcpu-host/1": the value writers give "schema" */
const char *json_schema_name(enum json_schema s)
	MSHVCPU_INTERNAL(json_schema_name);
/*
 * The record whose kind the "schema" value @text (@len bytes, decoded)
 * names, with any major version (*major, may be NULL), or -1 when it is
 * not KIND/MAJOR or names no kind this library knows.
 */
int json_schema_find(const char *text, size_t len, unsigned long *major)
	MSHVCPU_INTERNAL(json_schema_find);
/* The record an old-convention "format" value names, or -1. */
int json_schema_find_format(const char *text, size_t len)
	MSHVCPU_INTERNAL(json_schema_find_format);
/* The version an old-convention record carries in "version": always this. */
#define JSON_FORMAT_VERSION 1

/* A new string object holding json_schema_name(@s). */
struct json_object *json_new_schema(enum json_schema s)
	MSHVCPU_INTERNAL(json_new_schema);
/*
 * Check that a document is a record of kind @s: its "schema" member, or
 * its old-convention "format" and "version" members (both, agreeing with
 * "schema" when it is there too). 0, or -EINVAL with the position.
 */
int json_check_schema(const struct json_doc *doc, struct json_object *root,
		      enum json_schema s, struct mshvcpu_error *err)
	MSHVCPU_INTERNAL(json_check_schema);

/* Read a words object into @set (vendor untouched). */
int json_read_words(const struct json_doc *doc, struct json_object *words,
		    const char *member, struct mshvcpu_featureset *set,
		    struct mshvcpu_error *err)
	MSHVCPU_INTERNAL(json_read_words);
struct json_object *json_new_words(const struct mshvcpu_featureset *set)
	MSHVCPU_INTERNAL(json_new_words);
/* {"bank0": ["sse3", ...], ...}: enabled features of @rev, by word. */
struct json_object *json_new_feature_names(const struct mshvcpu_featureset *set,
					   enum mshvcpu_revision rev)
	MSHVCPU_INTERNAL(json_new_feature_names);
/* Names per word equal what @set enables in @rev? */
int json_check_feature_names(const struct json_doc *doc, struct json_object *names,
			     const struct mshvcpu_featureset *set,
			     enum mshvcpu_revision rev, struct mshvcpu_error *err)
	MSHVCPU_INTERNAL(json_check_feature_names);

/* Serialize and hand ownership of the text to the caller. */
int json_to_owned_string(struct json_object *obj, bool pretty, char **out)
	MSHVCPU_INTERNAL(json_to_owned_string);

/* Optional string member; NULL if absent. -EINVAL (with error) if not a string. */
int json_get_string(const struct json_doc *doc, struct json_object *obj,
		    const char *key, const char **out, struct mshvcpu_error *err)
	MSHVCPU_INTERNAL(json_get_string);

/*
 * Host records (host_record.c): the general path through json-c, and the
 * fast path for the common shape (host_record_fast.c; 0, or 1 when the
 * general path must decide). mshvcpu_host_from_json() tries them in turn.
 */
int host_from_doc(const struct json_doc *doc, struct mshvcpu_host *host,
		  struct mshvcpu_error *err)
	MSHVCPU_INTERNAL(host_from_doc);
/*
 * The name and detail of a host read from a record, the same from both
 * paths: escaped (a name from a path may need it), a detail too long for
 * its field cut between characters and marked "..." (host_from_doc()
 * refuses a name that long).
 */
void host_record_set_text(struct mshvcpu_host *host, const char *name, size_t name_len,
			  const char *detail, size_t detail_len)
	MSHVCPU_INTERNAL(host_record_set_text);
int host_from_json_fast(const char *text, size_t len, const char *source,
			struct mshvcpu_host *host)
	MSHVCPU_INTERNAL(host_from_json_fast);

#endif
