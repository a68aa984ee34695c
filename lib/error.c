// SPDX-License-Identifier: MIT
/* Filling the caller's optional error detail. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static int vset(struct mshvcpu_error *err, int code, const char *source,
		unsigned int line, unsigned int column, const char *fmt,
		va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
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
