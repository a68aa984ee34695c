// SPDX-License-Identifier: MIT
/*
 * Well-formed UTF-8 as RFC 3629 and Unicode's Table 3-7 define it: no
 * overlong forms, no UTF-16 surrogates, nothing above U+10FFFF. json-c's
 * own check only looks at the byte structure, and a name that passes it
 * can still print as garbage or smuggle a "/" past a filter.
 */
#include "internal.h"

size_t utf8_invalid_at(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		unsigned char lo = 0x80, hi = 0xbf;
		size_t len, k;

		if (c < 0x80) {
			i++;
			continue;
		}
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
			return i;			/* 80..C1, F5..FF never start a character */
		}
		if (n - i < len)
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return i;
		i += len;
	}
	return n;
}
