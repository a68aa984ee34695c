// SPDX-License-Identifier: MIT
/* Filling the caller's optional error detail. */
#include <string.h>

#include "internal.h"

/*
 * Messages are one line: they quote what callers gave (feature names from
 * a JSON file, a spec, a path), so control characters and bytes that are
 * not UTF-8 are shown escaped, and a message too long for the field is cut
 * between characters, ending in "..." (utf8.c does both).
 */
__attribute__((format(printf, 6, 0)))
static int vset(struct mshvcpu_error *err, int code, const char *source,
		unsigned int line, unsigned int column, const char *fmt,
		va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	text_vprintf(err->message, sizeof(err->message), fmt, ap);
	mshvcpu_text_escape(err->source, sizeof(err->source), source ? source : "",
			    source ? strlen(source) : 0);
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

int mshvcpu_error_set(struct mshvcpu_error *err, int code, const char *fmt, ...)
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
