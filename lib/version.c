// SPDX-License-Identifier: MIT
#include "internal.h"

#define STR_(x) #x
#define STR(x) STR_(x)

uint32_t mshvcpu_version(void)
{
	return MSHVCPU_VERSION;
}

const char *mshvcpu_version_string(void)
{
	return STR(MSHVCPU_VERSION_MAJOR) "." STR(MSHVCPU_VERSION_MINOR) "."
	       STR(MSHVCPU_VERSION_PATCH);
}
