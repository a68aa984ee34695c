// SPDX-License-Identifier: MIT
/*
 * The fast path for host records. Fleet tools read millions of them, one
 * per line, nearly all in the shape mshvcpu_host_to_json() writes; parsing
 * each through json-c's object tree costs ~4 µs a record. This reader
 * takes the common shape straight from the text and fills the host
 * exactly as host_from_doc() would. Anything else — an escape in a string,
 * a control character or a non-ASCII byte, an unknown or repeated member,
 * a name too long, a value it would have to reject — makes it step aside
 * (return 1) and the general path parses the record and words the error.
 * It never reports an error itself, so every message still comes from one
 * place. tests/fuzz/fuzz_json.c checks on arbitrary input that whenever
 * this path accepts, the general path accepts too and yields the same
 * host, byte for byte.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

struct cursor {
	const char *p, *end;
};

struct span {
	const char *s;
	size_t n;
};

static void skip_ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static bool take(struct cursor *c, char ch)
{
	skip_ws(c);
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static bool take_null(struct cursor *c)
{
	skip_ws(c);
	if (c->end - c->p >= 4 && memcmp(c->p, "null", 4) == 0) {
		c->p += 4;
		return true;
	}
	return false;
}

/* A string of printable ASCII without escapes. */
static bool take_string(struct cursor *c, struct span *out)
{
	const char *start;

	if (!take(c, '"'))
		return false;
	for (start = c->p; c->p < c->end; c->p++) {
		unsigned char ch = (unsigned char)*c->p;

		if (ch == '"') {
			out->s = start;
			out->n = (size_t)(c->p - start);
			c->p++;
			return true;
		}
		if (ch == '\\' || ch < 0x20 || ch >= 0x7f)
			return false;
	}
	return false;
}

static bool is(const struct span *s, const char *lit)
{
	size_t n = strlen(lit);

	return s->n == n && memcmp(s->s, lit, n) == 0;
}

/* "0x" and 1 to 16 hex digits, as json_parse_u64() takes them. */
static bool hex_u64(const struct span *s, uint64_t *out)
{
	return hex_word_parse_prefixed(s->s, s->n, out) == 0;
}

/* A JSON integer in 0..@max without sign, fraction, exponent or leading zero. */
static bool take_uint(struct cursor *c, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t digits = 0;

	skip_ws(c);
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		if (digits == 1 && v == 0)
			return false;			/* leading zero */
		if (++digits > 19)
			return false;
		v = v * 10 + (uint64_t)(*c->p - '0');
		c->p++;
	}
	if (!digits || v > max)
		return false;
	if (c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E'))
		return false;
	*out = v;
	return true;
}

/* A string member or null (@out->s NULL). */
static bool take_string_or_null(struct cursor *c, struct span *out)
{
	out->s = NULL;
	out->n = 0;
	return take_null(c) || take_string(c, out);
}

/* One word: "0x..." (all known), null (nothing known), or {"enabled", "known"}. */
static bool take_word(struct cursor *c, uint64_t *enabled, uint64_t *known)
{
	struct span s, key;
	bool have_enabled = false, have_known = false;

	if (take_null(c)) {
		*enabled = 0;
		*known = 0;
		return true;
	}
	if (take_string(c, &s)) {
		*known = ~0ULL;
		return hex_u64(&s, enabled);
	}
	if (!take(c, '{'))
		return false;
	do {
		uint64_t *slot;
		bool *have;

		if (!take_string(c, &key) || !take(c, ':'))
			return false;
		if (is(&key, "enabled")) {
			slot = enabled;
			have = &have_enabled;
		} else if (is(&key, "known")) {
			slot = known;
			have = &have_known;
		} else {
			return false;
		}
		if (*have || !take_string(c, &s) || !hex_u64(&s, slot))
			return false;
		*have = true;
	} while (take(c, ','));
	return take(c, '}') && have_enabled && have_known && !(*enabled & ~*known);
}

static bool take_offered(struct cursor *c, struct mshvcpu_featureset *set)
{
	unsigned int seen = 0;
	struct span key;

	if (!take(c, '{'))
		return false;
	do {
		unsigned int w;

		if (!take_string(c, &key) || !take(c, ':'))
			return false;
		for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
			if (is(&key, mshvcpu_word_name(w)))
				break;
		if (w == MSHVCPU_WORD_COUNT || (seen & 1U << w) ||
		    !take_word(c, &set->enabled[w], &set->known[w]))
			return false;
		seen |= 1U << w;
	} while (take(c, ','));
	/* Only bank 2 may be left out. */
	return take(c, '}') && (seen | 1U << MSHVCPU_WORD_BANK2) == (1U << MSHVCPU_WORD_COUNT) - 1;
}

enum member {
	M_SCHEMA, M_FORMAT, M_VERSION, M_NAME, M_SOURCE, M_SOURCE_DETAIL, M_VENDOR, M_OFFERED,
	M_XSAVE_STATES, M_MAX_XSAVE_DATA_SIZE, M_PHYSICAL_ADDRESS_WIDTH, M_FEATURES,
	M_COUNT
};

static const char *const member_names[M_COUNT] = {
	"schema", "format", "version", "name", "source", "source_detail", "vendor", "offered",
	"xsave_states", "max_xsave_data_size", "physical_address_width", "features",
};

int host_from_json_fast(const char *text, size_t len, const char *source,
			struct mshvcpu_host *host)
{
	struct cursor c = { text, text + len };
	struct span name = { 0 }, detail = { 0 }, src = { 0 }, vendor = { 0 }, s;
	struct mshvcpu_featureset offered = { 0 };
	uint64_t version = 0, states = 0, xsave_size = 0, pa_width = 0;
	enum mshvcpu_vendor vendor_value;
	unsigned int seen = 0, m;
	char vendor_text[16];

	if (len > INT32_MAX || !take(&c, '{'))
		return 1;
	do {
		struct span key;
		bool ok;

		if (!take_string(&c, &key) || !take(&c, ':'))
			return 1;
		for (m = 0; m < M_COUNT; m++)
			if (is(&key, member_names[m]))
				break;
		if (m == M_COUNT || (seen & 1U << m))
			return 1;
		seen |= 1U << m;
		switch (m) {
		case M_SCHEMA:
			ok = take_string(&c, &s) && is(&s, json_schema_name(JSON_SCHEMA_HOST));
			break;
		case M_FORMAT:
			ok = take_string(&c, &s) && is(&s, json_schema_kind(JSON_SCHEMA_HOST));
			break;
		case M_VERSION:
			ok = take_uint(&c, JSON_FORMAT_VERSION, &version) &&
			     version == JSON_FORMAT_VERSION;
			break;
		case M_NAME:	/* one too long for the field is the general path's to refuse */
			ok = take_string_or_null(&c, &name) && name.n < sizeof(host->name);
			break;
		case M_SOURCE:
			ok = take_string_or_null(&c, &src);
			break;
		case M_SOURCE_DETAIL:
			ok = take_string_or_null(&c, &detail);
			break;
		case M_VENDOR:
			ok = take_string(&c, &vendor);
			break;
		case M_OFFERED:
			ok = take_offered(&c, &offered);
			break;
		case M_XSAVE_STATES:
			ok = take_null(&c) || (take_string(&c, &s) && hex_u64(&s, &states));
			break;
		case M_MAX_XSAVE_DATA_SIZE:
			ok = take_null(&c) || take_uint(&c, UINT32_MAX, &xsave_size);
			break;
		case M_PHYSICAL_ADDRESS_WIDTH:
			ok = take_null(&c) || take_uint(&c, 64, &pa_width);
			break;
		default:	/* "features" must agree with "offered": the general path checks */
			ok = take_null(&c);
			break;
		}
		if (!ok)
			return 1;
	} while (take(&c, ','));
	if (!take(&c, '}'))
		return 1;
	skip_ws(&c);
	if (c.p != c.end)
		return 1;
	/* "schema" alone, or the old "format" and "version"; a mix is the general path's. */
	if ((seen & 1U << M_SCHEMA) ? (seen & (1U << M_FORMAT | 1U << M_VERSION)) != 0 :
	    (!(seen & 1U << M_FORMAT) || !(seen & 1U << M_VERSION)))
		return 1;
	if (!(seen & 1U << M_OFFERED) || !vendor.s || vendor.n >= sizeof(vendor_text))
		return 1;
	memcpy(vendor_text, vendor.s, vendor.n);
	vendor_text[vendor.n] = '\0';
	if (mshvcpu_vendor_parse(vendor_text, &vendor_value))
		return 1;

	memset(host, 0, sizeof(*host));
	host->source = MSHVCPU_SOURCE_RECORD;
	if (src.s) {
		for (m = 0; m < MSHVCPU_SOURCE_COUNT; m++)
			if (is(&src, mshvcpu_host_source_name(m)))
				break;
		if (m == MSHVCPU_SOURCE_COUNT)
			return 1;
		host->source = (enum mshvcpu_host_source)m;
	}
	if (!name.s) {
		name.s = source;
		name.n = strlen(source);
	}
	host_record_set_text(host, name.s, name.n, detail.s ? detail.s : "", detail.n);
	host->offered = offered;
	host->offered.vendor = vendor_value;
	host->xsave_states = states;
	host->max_xsave_data_size = (uint32_t)xsave_size;
	host->physical_address_width = (uint32_t)pa_width;
	return 0;
}
