/* SPDX-License-Identifier: MIT */
/*
 * Sized option structs (libbpf's convention): a caller compiled against an
 * older header passes a smaller sz and gets defaults for the fields it does
 * not know; a newer caller's extra fields must be zero, or the call fails
 * rather than silently ignoring what the caller asked for.
 */
#ifndef MSHVCPU_LIB_OPTS_H
#define MSHVCPU_LIB_OPTS_H

#include <stddef.h>
#include <stdbool.h>

/* Does the caller's struct cover @field? */
#define OPTS_HAS(opts, field) \
	((opts) && (opts)->sz >= offsetof(__typeof__(*(opts)), field) + \
				 sizeof((opts)->field))

/* @field from the caller, or @fallback when absent or zero. */
#define OPTS_GET(opts, field, fallback) \
	(OPTS_HAS(opts, field) && (opts)->field ? (opts)->field : (fallback))

/* Bytes past the fields this library knows must be zero. */
static inline bool opts_valid(const void *opts, size_t caller_sz, size_t known_sz)
{
	const unsigned char *p = opts;
	size_t i;

	if (!opts)
		return true;
	if (caller_sz < sizeof(size_t))
		return false;
	for (i = known_sz; i < caller_sz; i++)
		if (p[i])
			return false;
	return true;
}

#define OPTS_VALID(opts) \
	(!(opts) || opts_valid((opts), (opts)->sz, sizeof(*(opts))))

#endif
