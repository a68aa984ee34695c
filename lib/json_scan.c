// SPDX-License-Identifier: MIT
/*
 * What json-c lets through and the formats here refuse, found in one pass
 * over text json-c has just accepted:
 *  - control characters in strings, raw (json-c takes them even in strict
 *    mode) or escaped: "amd\u0000intel" reaches C as "amd", and a name
 *    holding "\n" or "\u001b" forges lines on a terminal;
 *  - unpaired UTF-16 surrogate escapes (json-c turns them into U+FFFD);
 *  - a key repeated in an object (json-c keeps the last one, silently).
 * Each error points at the escape, byte or repeated key; of several, the
 * first in the text is reported. Repeated keys are found by sorting each
 * object's keys, so no input makes the check slower than n log n.
 *
 * And mshvcpu_json_format(): the record the top-level "schema" member (or
 * the old "format" member) names, read with the same understanding of
 * strings, never found by searching the text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* A string's contents, between its quotes, escapes still in. */
struct span {
	const char *s;
	size_t n;
};

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at s[i]. */
static bool hex4(const char *s, size_t n, size_t i, unsigned int *out)
{
	unsigned int v = 0;
	size_t k;

	if (n < 4 || i > n - 4)
		return false;
	for (k = 0; k < 4; k++) {
		int d = hex_value(s[i + k]);

		if (d < 0)
			return false;
		v = v << 4 | (unsigned int)d;
	}
	*out = v;
	return true;
}

enum { U_MALFORMED = -1, U_UNPAIRED = -2 };

/*
 * The code point of the escape "\uXXXX" at s[i], taking the low half of a
 * surrogate pair along; *used is the bytes taken. U_UNPAIRED for a
 * surrogate without its other half, U_MALFORMED for no four hex digits.
 */
static long u_escape(const char *s, size_t n, size_t i, size_t *used)
{
	unsigned int hi, lo;

	*used = 2;
	if (!hex4(s, n, i + 2, &hi))
		return U_MALFORMED;
	*used = 6;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return U_UNPAIRED;
	if (hi < 0xd800 || hi > 0xdbff)
		return hi;
	if (i + 8 <= n && s[i + 6] == '\\' && s[i + 7] == 'u' && hex4(s, n, i + 8, &lo) &&
	    lo >= 0xdc00 && lo <= 0xdfff) {
		*used = 12;
		return 0x10000 + ((long)(hi - 0xd800) << 10) + (long)(lo - 0xdc00);
	}
	return U_UNPAIRED;
}

/* What a one-letter escape stands for: a control character, or 0 (\" \\ \/ stand for themselves). */
static int short_escape(unsigned char c)
{
	static const char letters[] = "bfnrt", controls[] = "\b\f\n\r\t";
	const char *at = c ? strchr(letters, c) : NULL;

	return at ? controls[at - letters] : 0;
}

/* The decoded bytes of a string, one at a time. */
struct str_iter {
	struct span sp;
	size_t i;
	unsigned char buf[4];
	unsigned int nbuf, ibuf;
};

static void put_utf8(struct str_iter *it, unsigned long cp)
{
	unsigned int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4, k;

	for (k = n - 1; k > 0; k--) {
		it->buf[k] = (unsigned char)(0x80 | (cp & 0x3f));
		cp >>= 6;
	}
	it->buf[0] = (unsigned char)(n == 1 ? cp : n == 2 ? 0xc0 | cp : n == 3 ? 0xe0 | cp : 0xf0 | cp);
	it->nbuf = n;
	it->ibuf = 0;
}

/* The next byte, or -1 at the end. Escapes decode as json-c decodes them. */
static int str_next(struct str_iter *it)
{
	const char *s = it->sp.s;
	size_t n = it->sp.n, used;
	long cp;

	if (it->ibuf < it->nbuf)
		return it->buf[it->ibuf++];
	if (it->i >= n)
		return -1;
	if (s[it->i] != '\\' || it->i + 1 >= n)
		return (unsigned char)s[it->i++];
	if (s[it->i + 1] != 'u') {
		int c = short_escape((unsigned char)s[it->i + 1]);

		it->i += 2;
		return c ? c : (unsigned char)s[it->i - 1];
	}
	cp = u_escape(s, n, it->i, &used);
	if (cp == U_MALFORMED) {
		it->i = n;
		return -1;
	}
	it->i += used;
	put_utf8(it, cp == U_UNPAIRED ? 0xfffd : (unsigned long)cp);
	it->ibuf = 1;
	return it->buf[0];
}

static struct str_iter iter(const struct span *sp)
{
	struct str_iter it = { .sp = *sp };

	return it;
}

static bool span_is(const struct span *sp, const char *lit)
{
	struct str_iter it = iter(sp);
	size_t k;

	for (k = 0; lit[k]; k++)
		if (str_next(&it) != (unsigned char)lit[k])
			return false;
	return str_next(&it) == -1;
}

struct key {
	struct span sp;
	size_t at;	/* offset of its opening quote */
	bool escaped;	/* has a backslash: compare decoded */
};

/* Decoded contents in byte order, then position. */
static int key_cmp(const struct key *a, const struct key *b)
{
	if (!a->escaped && !b->escaped) {
		size_t m = a->sp.n < b->sp.n ? a->sp.n : b->sp.n;
		int c = memcmp(a->sp.s, b->sp.s, m);

		if (c)
			return c;
		if (a->sp.n != b->sp.n)
			return a->sp.n < b->sp.n ? -1 : 1;
	} else {
		struct str_iter x = iter(&a->sp), y = iter(&b->sp);
		int cx, cy;

		do {
			cx = str_next(&x);
			cy = str_next(&y);
		} while (cx == cy && cx != -1);
		if (cx != cy)
			return cx < cy ? -1 : 1;
	}
	return 0;
}

static int key_sort(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	int c = key_cmp(a, b);

	if (c)
		return c;
	return a->at < b->at ? -1 : a->at > b->at;
}

enum problem { P_NONE, P_NUL, P_CONTROL, P_SURROGATE, P_DUPLICATE };

struct scan {
	const unsigned char *t;
	size_t end;
	struct key small[32], *keys;	/* the keys of the objects still open */
	size_t nkeys, cap;
	bool oom;
	/* The first problem in the text. */
	enum problem what;
	size_t at;
	unsigned long cp;
	struct key dup;
};

static void note(struct scan *sc, enum problem what, size_t at, unsigned long cp,
		 const struct key *k)
{
	if (sc->what != P_NONE && sc->at <= at)
		return;
	sc->what = what;
	sc->at = at;
	sc->cp = cp;
	if (k)
		sc->dup = *k;
}

static bool is_control(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* The string whose quote is at @q; returns the offset past its closing quote. */
static size_t scan_string(struct scan *sc, size_t q, bool *escaped)
{
	const unsigned char *t = sc->t;
	size_t i = q + 1, used;
	unsigned int hi;
	long cp;

	*escaped = false;
	while (i < sc->end && t[i] != '"') {
		if (t[i] == '\\' && i + 1 < sc->end) {
			*escaped = true;
			if (t[i + 1] != 'u') {
				if (short_escape(t[i + 1]))
					note(sc, P_CONTROL, i, (unsigned long)short_escape(t[i + 1]), NULL);
				i += 2;
				continue;
			}
			cp = u_escape((const char *)t, sc->end, i, &used);
			if (cp == U_UNPAIRED && hex4((const char *)t, sc->end, i + 2, &hi))
				note(sc, P_SURROGATE, i, hi, NULL);
			else if (cp == 0)
				note(sc, P_NUL, i, 0, NULL);
			else if (cp > 0 && is_control((unsigned long)cp))
				note(sc, P_CONTROL, i, (unsigned long)cp, NULL);
			i += used;
			continue;
		}
		if (t[i] < 0x20 || t[i] == 0x7f)
			note(sc, P_CONTROL, i, t[i], NULL);
		else if (t[i] == 0xc2 && i + 1 < sc->end && t[i + 1] >= 0x80 && t[i + 1] < 0xa0)
			note(sc, P_CONTROL, i, t[i + 1], NULL);	/* C1, as UTF-8 */
		i++;
	}
	return i + 1;
}

static void push_key(struct scan *sc, const struct key *k)
{
	if (sc->nkeys == sc->cap) {
		size_t cap = sc->cap * 2;
		struct key *grown = sc->keys == sc->small ? malloc(cap * sizeof(*grown))
							  : realloc(sc->keys, cap * sizeof(*grown));

		if (!grown) {
			sc->oom = true;
			return;
		}
		if (sc->keys == sc->small)
			memcpy(grown, sc->small, sizeof(sc->small));
		sc->keys = grown;
		sc->cap = cap;
	}
	sc->keys[sc->nkeys++] = *k;
}

/* The object whose keys are keys[first..nkeys) has closed. */
static void check_duplicates(struct scan *sc, size_t first)
{
	struct key *k = sc->keys + first;
	size_t n = sc->nkeys - first, i, j;

	if (n <= 8) {	/* the usual object: pairs, no sorting */
		for (j = 1; j < n; j++)
			for (i = 0; i < j; i++)
				if (key_cmp(&k[i], &k[j]) == 0) {
					note(sc, P_DUPLICATE, k[j].at, 0, &k[j]);
					return;
				}
		return;
	}
	/* Sorted by contents then position: each later occurrence follows its equal. */
	qsort(k, n, sizeof(*k), key_sort);
	for (j = 1; j < n; j++)
		if (key_cmp(&k[j - 1], &k[j]) == 0)
			note(sc, P_DUPLICATE, k[j].at, 0, &k[j]);
}

int json_doc_check_strings(const struct json_doc *doc, size_t end, struct mshvcpu_error *err)
{
	struct scan sc = { .t = (const unsigned char *)doc->text, .end = end };
	struct {
		size_t first;	/* its first key in sc.keys */
		bool object;
	} open[JSON_MAX_DEPTH + 2];
	size_t depth = 0, i = 0, start;
	bool expect_key = false, escaped;
	unsigned int line, column;
	char key[80];

	sc.keys = sc.small;
	sc.cap = ARRAY_SIZE(sc.small);
	while (i < end) {
		switch (sc.t[i]) {
		case '{':
		case '[':
			if (depth == ARRAY_SIZE(open)) {	/* json-c refuses deeper */
				i = end;
				break;
			}
			open[depth].first = sc.nkeys;
			open[depth].object = sc.t[i] == '{';
			expect_key = open[depth++].object;
			i++;
			break;
		case '}':
		case ']':
			if (depth && open[--depth].object) {
				check_duplicates(&sc, open[depth].first);
				sc.nkeys = open[depth].first;
			}
			expect_key = false;
			i++;
			break;
		case ',':
			expect_key = depth && open[depth - 1].object;
			i++;
			break;
		case '"':
			start = i;
			i = scan_string(&sc, i, &escaped);
			if (expect_key) {
				struct key k = { { doc->text + start + 1, i - start - 2 }, start, escaped };

				push_key(&sc, &k);
				expect_key = false;
			}
			break;
		default:
			i++;
			break;
		}
	}
	if (sc.keys != sc.small)
		free(sc.keys);
	if (sc.oom)
		return set_error(err, -ENOMEM, "out of memory");
	if (sc.what == P_NONE)
		return 0;
	json_doc_position(doc, sc.at, &line, &column);
	switch (sc.what) {
	case P_NUL:
		return set_error_at(err, -EINVAL, doc->source, line, column,
				    "escaped NUL (\\u0000) in a string: names and details cannot hold one");
	case P_CONTROL:
		return set_error_at(err, -EINVAL, doc->source, line, column,
				    "control character U+%04lX in a string: names and details "
				    "must be printable", sc.cp);
	case P_SURROGATE:
		return set_error_at(err, -EINVAL, doc->source, line, column,
				    "unpaired UTF-16 surrogate \\u%04lx in a string", sc.cp);
	default:
		mshvcpu_text_escape(key, sizeof(key), sc.dup.sp.s, sc.dup.sp.n);
		return set_error_at(err, -EINVAL, doc->source, line, column,
				    "duplicate key \"%s\" (each member may appear once)", key);
	}
}

/*
 * mshvcpu_json_format(): a reader of just enough JSON to walk the members
 * of the top-level object, on text nobody has checked yet.
 */

static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

static bool take_string(const char *s, size_t n, size_t *i, struct span *out)
{
	size_t j;

	if (*i >= n || s[*i] != '"')
		return false;
	for (j = *i + 1; j < n && s[j] != '"'; j++)
		if (s[j] == '\\')
			j++;
	if (j >= n)
		return false;
	out->s = s + *i + 1;
	out->n = j - *i - 1;
	*i = j + 1;
	return true;
}

/* Any value but a string: up to the ',' or '}' that ends it. */
static bool skip_value(const char *s, size_t n, size_t *i)
{
	size_t depth = 0;
	struct span ignored;

	while (*i < n) {
		switch (s[*i]) {
		case '"':
			if (!take_string(s, n, i, &ignored))
				return false;
			continue;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (!depth)
				return true;
			if (--depth == 0) {
				(*i)++;
				return true;
			}
			break;
		case ',':
			if (!depth)
				return true;
			break;
		default:
			break;
		}
		(*i)++;
	}
	return false;
}

/*
 * The record a "schema" (or, of the old convention, "format") value
 * names: -1 for none. The value is decoded first, so an escape cannot
 * hide a name or make one.
 */
static int declared(const struct span *key, const struct span *value)
{
	char buf[64];
	struct str_iter it = iter(value);
	size_t n = 0;
	int c;

	while ((c = str_next(&it)) >= 0) {
		if (n == sizeof(buf))
			return -1;	/* longer than any name */
		buf[n++] = (char)c;
	}
	return span_is(key, "schema") ? json_schema_find(buf, n, NULL)
				      : json_schema_find_format(buf, n);
}

const char *mshvcpu_json_format(const char *text, size_t len)
{
	struct span key, value;
	int found = -1, s;
	size_t i;

	if (!text)
		return NULL;
	i = skip_ws(text, len, 0);
	if (i >= len || text[i] != '{')
		return NULL;
	i = skip_ws(text, len, i + 1);
	/*
	 * Every top-level member is walked: "schema" and "format" must agree
	 * (the reader refuses a document where they do not). Text that stops
	 * making sense after one was found still declares it, as a document
	 * cut short does; its reader reports where it breaks.
	 */
	while (take_string(text, len, &i, &key)) {
		bool decides = span_is(&key, "schema") || span_is(&key, "format");

		i = skip_ws(text, len, i);
		if (i >= len || text[i] != ':')
			break;
		i = skip_ws(text, len, i + 1);
		if (decides) {
			if (!take_string(text, len, &i, &value))
				return NULL;
			s = declared(&key, &value);
			if (s < 0 || (found >= 0 && s != found))
				return NULL;
			found = s;
		} else if (i < len && text[i] == '"' ? !take_string(text, len, &i, &value)
						     : !skip_value(text, len, &i)) {
			break;
		}
		i = skip_ws(text, len, i);
		if (i >= len || text[i] != ',')
			break;
		i = skip_ws(text, len, i + 1);
	}
	return found >= 0 ? json_schema_kind((enum json_schema)found) : NULL;
}
