// SPDX-License-Identifier: MIT
/* Filling the caller's optional error detail. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/*
 * Messages are one line: they quote what callers gave (feature names from
 * a JSON file, a spec), so control characters are shown escaped.
 */
static void copy_escaped(char *out, size_t size, const char *in)
{
	size_t used = 0;

	for (; *in && used + 1 < size; in++) {
		unsigned char c = (unsigned char)*in;
		const char *esc = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
		char hex[5];

		if (!esc && (c < 0x20 || c == 0x7f)) {
			snprintf(hex, sizeof(hex), "\\x%02x", c);
			esc = hex;
		}
		if (!esc) {
			out[used++] = (char)c;
			continue;
		}
		if (used + strlen(esc) + 1 > size)
			break;
		memcpy(out + used, esc, strlen(esc));
		used += strlen(esc);
	}
	out[used] = '\0';
}

__attribute__((format(printf, 6, 0)))
static int vset(struct mshvcpu_error *err, int code, const char *source,
		unsigned int line, unsigned int column, const char *fmt,
		va_list ap)
{
	char raw[sizeof(err->message)];

	if (!err)
		return code;
	err->code = code;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	copy_escaped(err->message, sizeof(err->message), raw);
	snprintf(err->source, sizeof(err->source), "%s", source ? source : "");
	err->line = line;
	err->column = column;
	return code;
}

int set_error(struct mshvcpu_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	code = vset(err, code, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return code;
}

int set_error_at(struct mshvcpu_error *err, int code, const char *source,
		 unsigned int line, unsigned int column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	code = vset(err, code, source, line, column, fmt, ap);
	va_end(ap);
	return code;
}
