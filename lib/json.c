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

static size_t find_quoted(const struct json_doc *doc, size_t from, const char *key)
{
	char quoted[128];
	size_t qlen, i;

	qlen = (size_t)snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	if (qlen >= sizeof(quoted))
		return doc->len;
	for (i = from; i + qlen <= doc->len; i++)
		if (memcmp(doc->text + i, quoted, qlen) == 0)
			return i;
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

int json_check_format(const struct json_doc *doc, struct json_object *root,
		      const char *format, int version, struct mshvcpu_error *err)
{
	struct json_object *v;

	if (!json_object_is_type(root, json_type_object))
		return json_doc_error(doc, err, NULL, NULL,
				      "expected a JSON object (%s)", format);
	if (!json_object_object_get_ex(root, "format", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), format) != 0)
		return json_doc_error(doc, err, NULL, "format",
				      "\"format\" must be \"%s\"", format);
	if (!json_object_object_get_ex(root, "version", &v) ||
	    !json_object_is_type(v, json_type_int))
		return json_doc_error(doc, err, NULL, "version",
				      "\"version\" must be an integer");
	/* json-c saturates integers it cannot hold; do not quote the clamp. */
	if (json_object_get_int64(v) == INT64_MAX || json_object_get_int64(v) == INT64_MIN)
		return json_doc_error(doc, err, NULL, "version",
				      "\"version\" is out of range (this library reads %d)", version);
	if (json_object_get_int64(v) != version)
		return json_doc_error(doc, err, NULL, "version",
				      "unsupported %s version %lld (this library reads %d)",
				      format, (long long)json_object_get_int64(v), version);
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
