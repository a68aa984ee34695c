// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void json_doc_position(const struct json_doc *doc, size_t offset,
		       unsigned int *line, unsigned int *column)
{
	unsigned int l = doc->first_line ? doc->first_line : 1, c = 1;
	size_t i;

	for (i = 0; i < offset && i < doc->len; i++) {
		if (doc->text[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*column = c;
}

int json_doc_parse(const struct json_doc *doc, struct json_object **out,
		   struct mshvcpu_error *err)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error jerr;
	unsigned int line, column;
	size_t end, i;
	int ret;

	*out = NULL;
	if (doc->len > (size_t)INT32_MAX)
		return set_error_at(err, -EFBIG, doc->source, 0, 0,
				    "document larger than 2 GiB");
	/* json-c would stop quietly at a NUL byte; say where it is instead. */
	for (i = 0; i < doc->len; i++) {
		if (doc->text[i] == '\0') {
			json_doc_position(doc, i, &line, &column);
			return set_error_at(err, -EINVAL, doc->source, line, column,
					    "NUL byte in JSON text");
		}
	}

	if (doc->len >= 3 && memcmp(doc->text, "\xef\xbb\xbf", 3) == 0)
		return set_error_at(err, -EINVAL, doc->source, doc->first_line ? doc->first_line : 1,
				    1, "byte order mark at the start (JSON text must not have one)");
	i = utf8_invalid_at((const unsigned char *)doc->text, doc->len);
	if (i < doc->len) {
		json_doc_position(doc, i, &line, &column);
		return set_error_at(err, -EINVAL, doc->source, line, column,
				    "invalid UTF-8 (byte 0x%02x)", (unsigned char)doc->text[i]);
	}

	tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	if (!tok)
		return set_error(err, -ENOMEM, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, doc->text, (int)doc->len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);

	if (jerr == json_tokener_continue) {
		json_doc_position(doc, doc->len, &line, &column);
		json_object_put(obj);
		return set_error_at(err, -EINVAL, doc->source, line, column,
				    "unexpected end of JSON text");
	}
	if (jerr != json_tokener_success || !obj) {
		/* json-c 0.16 reports the offending character itself as the parse end. */
		json_doc_position(doc, end ? end : 0, &line, &column);
		json_object_put(obj);
		return set_error_at(err, -EINVAL, doc->source, line, column,
				    "malformed JSON: %s",
				    json_tokener_error_desc(jerr));
	}
	for (i = end; i < doc->len; i++) {
		if (!isspace((unsigned char)doc->text[i])) {
			json_doc_position(doc, i, &line, &column);
			json_object_put(obj);
			return set_error_at(err, -EINVAL, doc->source, line, column,
					    "unexpected text after the JSON value");
		}
	}
	/* What json-c hides once parsed: control characters, repeated keys. */
	ret = json_doc_check_strings(doc, end, err);
	if (ret) {
		json_object_put(obj);
		return ret;
	}
	*out = obj;
	return 0;
}

/* "key" followed by a colon: a member's name, not a string value that spells it. */
static size_t find_quoted(const struct json_doc *doc, size_t from, const char *key)
{
	char quoted[128];
	size_t qlen, i, j;

	qlen = (size_t)snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	if (qlen >= sizeof(quoted))
		return doc->len;
	for (i = from; i + qlen <= doc->len; i++) {
		if (memcmp(doc->text + i, quoted, qlen) != 0)
			continue;
		for (j = i + qlen; j < doc->len && isspace((unsigned char)doc->text[j]); j++)
			;
		if (j < doc->len && doc->text[j] == ':')
			return i;
	}
	return doc->len;
}

int json_doc_error(const struct json_doc *doc, struct mshvcpu_error *err,
		   const char *after, const char *key, const char *fmt, ...)
{
	unsigned int line = 0, column = 0;
	size_t at = 0;
	va_list ap;
	char msg[sizeof(err->message)];

	if (after)
		at = find_quoted(doc, 0, after);
	if (key && at < doc->len)
		at = find_quoted(doc, at, key);
	if ((after || key) && at < doc->len)
		json_doc_position(doc, at, &line, &column);
	else
		json_doc_position(doc, 0, &line, &column);

	va_start(ap, fmt);
	text_vprintf(msg, sizeof(msg), fmt, ap);	/* a long quote is cut between characters */
	va_end(ap);
	return set_error_at(err, -EINVAL, doc->source, line, column, "%s", msg);
}

struct json_object *json_new_text(const char *text, size_t len, size_t max)
{
	size_t need = mshvcpu_text_escape(NULL, 0, text, len) + 1;
	struct json_object *obj;
	char *buf;

	if (max && need > max + 1)
		need = max + 1;
	buf = malloc(need);
	if (!buf)
		return NULL;
	mshvcpu_text_escape(buf, need, text, len);
	obj = json_object_new_string(buf);
	free(buf);
	return obj;
}

int json_parse_u64(const char *s, uint64_t *out)
{
	return s ? hex_word_parse_prefixed(s, strlen(s), out) : -EINVAL;
}

struct json_object *json_new_u64(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_object_new_string(buf);
}

int json_get_string(const struct json_doc *doc, struct json_object *obj,
		    const char *key, const char **out, struct mshvcpu_error *err)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return json_doc_error(doc, err, NULL, key, "\"%s\" must be a string", key);
	*out = json_object_get_string(v);
	return 0;
}

/*
 * Every record the library reads and writes, one row each: its kind, the
 * "schema" value writers give it now, and the newest major version the
 * readers take. A major version changes only when the meaning of a member
 * does; a reader takes every major up to its own, and refuses a newer one
 * rather than guessing. Moving from "format"+"version" to "schema" changed
 * no meaning, so every kind is still at 1.
 */
#define SCHEMA(kind, major, what) { kind, kind "/" #major, major, what }
static const struct {
	const char *kind;
	const char *name;
	unsigned long major;
	const char *what;	/* for messages */
} schemas[JSON_SCHEMA_COUNT] = {
	[JSON_SCHEMA_HOST] = SCHEMA("mshvcpu-host", 1, "a host record"),
	[JSON_SCHEMA_PROFILE] = SCHEMA("mshvcpu-profile", 1, "a profile"),
	[JSON_SCHEMA_PARTITION] = SCHEMA("mshvcpu-partition", 1, "a partition record"),
};
#undef SCHEMA

const char *json_schema_kind(enum json_schema s)
{
	return schemas[s].kind;
}

const char *json_schema_name(enum json_schema s)
{
	return schemas[s].name;
}

struct json_object *json_new_schema(enum json_schema s)
{
	return json_object_new_string(schemas[s].name);
}

static int find_kind(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(schemas); i++)
		if (strlen(schemas[i].kind) == len && memcmp(schemas[i].kind, text, len) == 0)
			return (int)i;
	return -1;
}

/* MAJOR: 1 to 9 digits, no sign, no leading zero. */
static bool parse_major(const char *text, size_t len, unsigned long *major)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 9 || text[0] == '0')
		return false;
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(text[i] - '0');
	}
	*major = v;
	return true;
}

/* KIND/MAJOR: the length of KIND (not empty) and MAJOR. */
static bool split_schema(const char *text, size_t len, size_t *kind_len, unsigned long *major)
{
	size_t slash = len;

	while (slash > 0 && text[slash - 1] != '/')
		slash--;
	if (slash < 2)
		return false;
	*kind_len = slash - 1;
	return parse_major(text + slash, len - slash, major);
}

int json_schema_find(const char *text, size_t len, unsigned long *major)
{
	unsigned long m;
	size_t kind_len;
	int s;

	if (!text || !split_schema(text, len, &kind_len, &m))
		return -1;
	s = find_kind(text, kind_len);
	if (s >= 0 && major)
		*major = m;
	return s;
}

int json_schema_find_format(const char *text, size_t len)
{
	return text ? find_kind(text, len) : -1;
}

/* "mshvcpu-host/1, mshvcpu-profile/1, ..." */
static void schema_list(char *buf, size_t size)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(schemas) && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
					 schemas[i].name);
}

/* The old convention: "format": KIND and "version": 1, read exactly as before. */
static int check_format_version(const struct json_doc *doc, struct json_object *root,
				enum json_schema want, struct mshvcpu_error *err)
{
	const char *kind = schemas[want].kind;
	struct json_object *v;

	if (!json_object_object_get_ex(root, "format", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), kind) != 0)
		return json_doc_error(doc, err, NULL, "format",
				      "\"format\" must be \"%s\"", kind);
	if (!json_object_object_get_ex(root, "version", &v) ||
	    !json_object_is_type(v, json_type_int))
		return json_doc_error(doc, err, NULL, "version",
				      "\"version\" must be an integer");
	/* json-c saturates integers it cannot hold; do not quote the clamp. */
	if (json_object_get_int64(v) == INT64_MAX || json_object_get_int64(v) == INT64_MIN)
		return json_doc_error(doc, err, NULL, "version",
				      "\"version\" is out of range (this library reads %d)",
				      JSON_FORMAT_VERSION);
	if (json_object_get_int64(v) != JSON_FORMAT_VERSION)
		return json_doc_error(doc, err, NULL, "version",
				      "unsupported %s version %lld (this library reads %d)",
				      kind, (long long)json_object_get_int64(v),
				      JSON_FORMAT_VERSION);
	return 0;
}

int json_check_schema(const struct json_doc *doc, struct json_object *root,
		      enum json_schema want, struct mshvcpu_error *err)
{
	struct json_object *v, *format = NULL, *version = NULL;
	unsigned long major = 0;
	bool bad_format, bad_version;
	size_t kind_len;
	const char *name;
	char list[128];
	int s;

	if (!json_object_is_type(root, json_type_object))
		return json_doc_error(doc, err, NULL, NULL, "expected a JSON object (%s)",
				      schemas[want].name);
	json_object_object_get_ex(root, "format", &format);
	json_object_object_get_ex(root, "version", &version);
	if (!json_object_object_get_ex(root, "schema", &v)) {
		if (format || version)
			return check_format_version(doc, root, want, err);
		return json_doc_error(doc, err, NULL, NULL,
				      "no \"schema\" member (%s has \"schema\": \"%s\")",
				      schemas[want].what, schemas[want].name);
	}
	if (!json_object_is_type(v, json_type_string))
		return json_doc_error(doc, err, NULL, "schema",
				      "\"schema\" must be a string such as \"%s\"",
				      schemas[want].name);
	name = json_object_get_string(v);
	if (!split_schema(name, strlen(name), &kind_len, &major))
		return json_doc_error(doc, err, NULL, "schema",
				      "\"schema\" is \"%s\", not NAME/VERSION such as \"%s\"",
				      name, schemas[want].name);
	s = find_kind(name, kind_len);
	if (s < 0) {
		schema_list(list, sizeof(list));
		return json_doc_error(doc, err, NULL, "schema",
				      "unknown schema \"%s\" (this library reads %s)", name, list);
	}
	if (s != (int)want)
		return json_doc_error(doc, err, NULL, "schema",
				      "\"schema\" is \"%s\", %s; expected %s (%s)", name,
				      schemas[s].what, schemas[want].what, schemas[want].name);
	if (major > schemas[want].major)
		return json_doc_error(doc, err, NULL, "schema",
				      "\"schema\" is \"%s\", newer than this library reads (%s)",
				      name, schemas[want].name);
	/* Both conventions: the old pair must be whole and say the same. */
	if (!format && !version)
		return 0;
	bad_format = !format || !json_object_is_type(format, json_type_string) ||
		     strcmp(json_object_get_string(format), schemas[want].kind) != 0;
	bad_version = !version || !json_object_is_type(version, json_type_int) ||
		      json_object_get_int64(version) != (int64_t)major;
	if (bad_format || bad_version)
		return json_doc_error(doc, err, NULL,
				      format && (bad_format || !version) ? "format" : "version",
				      "\"format\" and \"version\" disagree with \"schema\": \"%s\" "
				      "(write \"schema\" alone)", name);
	return 0;
}

/*
 * A words object: each word is "0x..." (every bit known), null or absent
 * (nothing known; only bank 2 may be absent), or {"enabled": "0x...",
 * "known": "0x..."} for a word known in part.
 */
static int read_word(const struct json_doc *doc, struct json_object *v,
		     const char *member, const char *name, uint64_t *enabled,
		     uint64_t *known, struct mshvcpu_error *err)
{
	struct json_object *e, *k;

	if (json_object_is_type(v, json_type_string)) {
		if (json_parse_u64(json_object_get_string(v), enabled))
			goto bad;
		*known = ~0ULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_object) ||
	    json_object_object_length(v) != 2 ||
	    !json_object_object_get_ex(v, "enabled", &e) ||
	    !json_object_object_get_ex(v, "known", &k) ||
	    !json_object_is_type(e, json_type_string) ||
	    !json_object_is_type(k, json_type_string) ||
	    json_parse_u64(json_object_get_string(e), enabled) ||
	    json_parse_u64(json_object_get_string(k), known))
		goto bad;
	if (*enabled & ~*known)
		return json_doc_error(doc, err, member, name,
				      "\"%s.%s\" enables bits it does not know", member, name);
	return 0;
bad:
	return json_doc_error(doc, err, member, name,
			      "\"%s.%s\" must be \"0x...\" (at most 16 hex digits), null, "
			      "or {\"enabled\": \"0x...\", \"known\": \"0x...\"}",
			      member, name);
}

int json_read_words(const struct json_doc *doc, struct json_object *words,
		    const char *member, struct mshvcpu_featureset *set,
		    struct mshvcpu_error *err)
{
	unsigned int w;

	if (!json_object_is_type(words, json_type_object))
		return json_doc_error(doc, err, NULL, member,
				      "\"%s\" must be an object of words", member);
	json_object_object_foreach(words, key, val) {
		enum mshvcpu_word word;

		(void)val;
		if (mshvcpu_word_parse(key, &word))
			return json_doc_error(doc, err, member, key,
					      "unknown word \"%s\" in \"%s\" (bank0, bank1, bank2, xsave)",
					      key, member);
	}
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		const char *name = mshvcpu_word_name(w);
		struct json_object *v;
		int ret;

		set->enabled[w] = 0;
		set->known[w] = 0;
		if (!json_object_object_get_ex(words, name, &v)) {
			if (w != MSHVCPU_WORD_BANK2)
				return json_doc_error(doc, err, NULL, member,
						      "\"%s\" lacks \"%s\"", member, name);
			continue;
		}
		if (json_object_is_type(v, json_type_null))
			continue;
		ret = read_word(doc, v, member, name, &set->enabled[w], &set->known[w], err);
		if (ret)
			return ret;
	}
	return 0;
}

struct json_object *json_new_words(const struct mshvcpu_featureset *set)
{
	struct json_object *obj = json_object_new_object();
	unsigned int w;

	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		struct json_object *v = NULL;

		if (set->known[w] == ~0ULL) {
			v = json_new_u64(set->enabled[w]);
		} else if (set->known[w]) {
			v = json_object_new_object();
			json_object_object_add(v, "enabled", json_new_u64(set->enabled[w]));
			json_object_object_add(v, "known", json_new_u64(set->known[w]));
		}
		json_object_object_add(obj, mshvcpu_word_name(w), v);
	}
	return obj;
}

struct json_object *json_new_feature_names(const struct mshvcpu_featureset *set,
					   enum mshvcpu_revision rev)
{
	struct json_object *obj = json_object_new_object();
	unsigned int w;

	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		const struct mshvcpu_feature *f = NULL;
		struct json_object *arr;

		if (!set->known[w]) {
			json_object_object_add(obj, mshvcpu_word_name(w), NULL);
			continue;
		}
		arr = json_object_new_array();
		while ((f = mshvcpu_featureset_next(set, rev, MSHVCPU_ENABLED, f)))
			if (f->word == w)
				json_object_array_add(arr, json_object_new_string(f->name));
		json_object_object_add(obj, mshvcpu_word_name(w), arr);
	}
	return obj;
}

int json_check_feature_names(const struct json_doc *doc, struct json_object *names,
			     const struct mshvcpu_featureset *set,
			     enum mshvcpu_revision rev, struct mshvcpu_error *err)
{
	struct mshvcpu_featureset listed = *set;
	unsigned int w;

	if (!json_object_is_type(names, json_type_object))
		return json_doc_error(doc, err, NULL, "features",
				      "\"features\" must be an object of name lists");
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		const char *wname = mshvcpu_word_name(w);
		struct json_object *arr;
		size_t i, n;

		listed.enabled[w] = 0;
		if (!json_object_object_get_ex(names, wname, &arr) ||
		    json_object_is_type(arr, json_type_null))
			continue;
		if (!json_object_is_type(arr, json_type_array))
			return json_doc_error(doc, err, "features", wname,
					      "\"features.%s\" must be an array of names", wname);
		n = json_object_array_length(arr);
		for (i = 0; i < n; i++) {
			struct json_object *e = json_object_array_get_idx(arr, i);
			const struct mshvcpu_feature *f;

			if (!json_object_is_type(e, json_type_string))
				return json_doc_error(doc, err, "features", wname,
						      "\"features.%s\" must hold strings", wname);
			f = mshvcpu_feature_find(json_object_get_string(e), rev);
			if (!f || f->word != w)
				return json_doc_error(doc, err, "features",
						      json_object_get_string(e),
						      "\"%s\" is not a %s feature in %s",
						      json_object_get_string(e), wname,
						      mshvcpu_revision_name(rev));
			listed.enabled[w] |= 1ULL << f->bit;
		}
	}
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		uint64_t named = catalogue_feature_mask(w, rev);

		if ((set->enabled[w] & named) != listed.enabled[w])
			return json_doc_error(doc, err, "features", mshvcpu_word_name(w),
					      "\"features.%s\" disagrees with the %s word (edit both, or drop \"features\")",
					      mshvcpu_word_name(w), mshvcpu_word_name(w));
	}
	return 0;
}

int json_to_owned_string(struct json_object *obj, bool pretty, char **out)
{
	int flags = pretty ? (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED)
			   : JSON_C_TO_STRING_PLAIN;
	const char *s = json_object_to_json_string_ext(obj, flags | JSON_C_TO_STRING_NOSLASHESCAPE);

	*out = s ? strdup(s) : NULL;
	return *out ? 0 : -ENOMEM;
}
