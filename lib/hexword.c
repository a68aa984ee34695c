// SPDX-License-Identifier: MIT
/*
 * Hex words as people and tools write them: "0x2e2a8bfffff7859f",
 * "2E2A8BFFFFF7859F". One parser for the spec language, JSON documents
 * and the tool's arguments, so they cannot drift apart.
 */
#include <errno.h>

#include "internal.h"

int mshvcpu_hex_word_parse(const char *text, size_t len, uint64_t *value)
{
	uint64_t v = 0;
	size_t i = 0;

	if (!text)
		return -EINVAL;
	if (len >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		i = 2;
	if (len == i || len - i > 16)
		return -EINVAL;
	for (; i < len; i++) {
		char c = text[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*value = v;
	return 0;
}

int hex_word_parse_prefixed(const char *text, size_t len, uint64_t *value)
{
	if (!text || len < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
		return -EINVAL;
	return mshvcpu_hex_word_parse(text, len, value);
}
