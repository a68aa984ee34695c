// SPDX-License-Identifier: MIT
/*
 * Well-formed UTF-8 as RFC 3629 and Unicode's Table 3-7 define it: no
 * overlong forms, no UTF-16 surrogates, nothing above U+10FFFF. json-c's
 * own check only looks at the byte structure, and a name that passes it
 * can still print as garbage or smuggle a "/" past a filter.
 *
 * And the one escaping of text from outside (names, details, paths, error
 * messages quoting them): printable on one line, never cut inside a
 * character, a cut always marked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Length of the well-formed character at @s (@n bytes left), or 0. */
static size_t char_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, k;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;		/* overlong below U+0800 */
		else if (c == 0xed)
			hi = 0x9f;		/* surrogates U+D800..U+DFFF */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;		/* overlong below U+10000 */
		else if (c == 0xf4)
			hi = 0x8f;		/* above U+10FFFF */
	} else {
		return 0;			/* 80..C1, F5..FF never start a character */
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (k = 2; k < len; k++)
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	return len;
}

size_t utf8_invalid_at(const unsigned char *s, size_t n)
{
	size_t i = 0, len;

	while (i < n) {
		len = char_len(s + i, n - i);
		if (!len)
			return i;
		i += len;
	}
	return n;
}

size_t mshvcpu_utf8_invalid_at(const char *text, size_t len)
{
	return text ? utf8_invalid_at((const unsigned char *)text, len) : 0;
}

/*
 * One unit of escaped output for the character at @s: the character
 * itself, or its escape in @esc. Sets *@in to the bytes it stands for.
 */
static const char *escape_unit(const unsigned char *s, size_t n, char esc[8],
			       size_t *in, size_t *out)
{
	size_t len = char_len(s, n);

	*in = len ? len : 1;
	if (!len || (len == 1 && (s[0] < 0x20 || s[0] == 0x7f))) {
		const char *named = s[0] == '\n' ? "\\n" : s[0] == '\t' ? "\\t" :
				    s[0] == '\r' ? "\\r" : NULL;

		if (named) {
			*out = 2;
			return named;
		}
		snprintf(esc, 8, "\\x%02x", s[0]);
		*out = 4;
		return esc;
	}
	if (len == 2 && s[0] == 0xc2 && s[1] < 0xa0) {	/* C1: U+0080..U+009F */
		snprintf(esc, 8, "\\u%04x", s[1]);
		*out = 6;
		return esc;
	}
	*out = len;
	return (const char *)s;
}

size_t mshvcpu_text_escape(char *buf, size_t size, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, need = 0, used = 0, mark = 0;
	bool cut = false;

	while (s && i < len) {
		char esc[8];
		size_t in, out;
		const char *unit = escape_unit(s + i, len - i, esc, &in, &out);

		if (!cut && used + out < size) {
			memcpy(buf + used, unit, out);
			used += out;
			if (used + 4 <= size)
				mark = used;	/* room left for "..." after this unit */
		} else {
			cut = true;
		}
		need += out;
		i += in;
	}
	if (!size)
		return need;
	if (cut) {
		used = size >= 4 ? mark : 0;
		if (size >= 4) {
			memcpy(buf + used, "...", 3);
			used += 3;
		}
	}
	buf[used] = '\0';
	return need;
}

void text_vprintf(char *dst, size_t size, const char *fmt, va_list ap)
{
	char small[1024], *raw = small;
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0) {
		if (size)
			dst[0] = '\0';
		return;
	}
	/* Whole, so a cut falls between characters. */
	if ((size_t)n >= sizeof(small) && (raw = malloc((size_t)n + 1)) != NULL)
		vsnprintf(raw, (size_t)n + 1, fmt, ap);
	if (!raw) {	/* out of memory: the part that was formatted */
		raw = small;
		n = (int)sizeof(small) - 1;
	}
	mshvcpu_text_escape(dst, size, raw, (size_t)n);
	if (raw != small)
		free(raw);
}

void text_printf(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_vprintf(dst, size, fmt, ap);
	va_end(ap);
}
