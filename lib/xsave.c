// SPDX-License-Identifier: MIT
/*
 * XSAVE state sizes from include/hyperv/x86_xsave_components.def: the
 * standard-format area a set of XCR0 components needs, which is what a
 * migration target must be able to hold.
 */
#include "internal.h"

static const struct {
	unsigned int index;
	uint32_t size;
	uint32_t offset;
} components[] = {
#define HV_XSAVE_COMPONENT(index_, name, size_, offset_) \
	{ .index = (index_), .size = (size_), .offset = (offset_) },
#include <hyperv/x86_xsave_components.def>
#undef HV_XSAVE_COMPONENT
};

/* Legacy area (512) and XSAVE header (64) are always there. */
#define XSAVE_MIN_SIZE 576

uint32_t xsave_standard_size(uint64_t xcr0)
{
	uint32_t size = XSAVE_MIN_SIZE;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(components); i++) {
		uint32_t end = components[i].offset + components[i].size;

		if ((xcr0 & (1ULL << components[i].index)) && end > size)
			size = end;
	}
	return size;
}

uint64_t xsave_components_of(const struct mshvcpu_featureset *set)
{
	const struct mshvcpu_feature *f = NULL;
	uint64_t xcr0 = 0x3;	/* x87 and SSE */

	while ((f = mshvcpu_featureset_next(set, MSHVCPU_REV_LATEST, MSHVCPU_ENABLED, f)))
		xcr0 |= f->xsave_components;
	return xcr0;
}
