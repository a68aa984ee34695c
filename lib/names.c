// SPDX-License-Identifier: MIT
/*
 * Names of the library's enumerations, and their parsers: one table each,
 * so the text a user types and the text the tool prints never drift apart.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static const char *const word_names[MSHVCPU_WORD_COUNT] = {
	[MSHVCPU_WORD_BANK0] = "bank0",
	[MSHVCPU_WORD_BANK1] = "bank1",
	[MSHVCPU_WORD_BANK2] = "bank2",
	[MSHVCPU_WORD_XSAVE] = "xsave",
};

static const char *const vendor_names[MSHVCPU_VENDOR_COUNT] = {
	[MSHVCPU_VENDOR_ANY] = "any",
	[MSHVCPU_VENDOR_INTEL] = "intel",
	[MSHVCPU_VENDOR_AMD] = "amd",
	[MSHVCPU_VENDOR_HYGON] = "hygon",
	[MSHVCPU_VENDOR_ARM] = "arm",
};

static const char *const revision_names[HV_FEATURE_REV_COUNT] = {
#define HV_REVISION(id, name, desc) [HV_FEATURE_REV_##id] = name,
#include <hyperv/hv_feature_revisions.def>
#undef HV_REVISION
};

static const char *const revision_descriptions[HV_FEATURE_REV_COUNT] = {
#define HV_REVISION(id, name, desc) [HV_FEATURE_REV_##id] = desc,
#include <hyperv/hv_feature_revisions.def>
#undef HV_REVISION
};

static const char *const policy_names[MSHVCPU_POLICY_COUNT] = {
	[MSHVCPU_POLICY_FORWARD_COMPATIBLE] = "forward-compatible",
	[MSHVCPU_POLICY_MIGRATION_SAFE] = "migration-safe",
};

static const char *const source_names[MSHVCPU_SOURCE_COUNT] = {
	[MSHVCPU_SOURCE_HYPERVISOR] = "hypervisor",
	[MSHVCPU_SOURCE_CPUID] = "cpuid",
	[MSHVCPU_SOURCE_RECORD] = "record",
	[MSHVCPU_SOURCE_MODEL] = "model",
};

static const char *const relation_names[] = {
	[MSHVCPU_IDENTICAL] = "identical",
	[MSHVCPU_SUBSET] = "subset",
	[MSHVCPU_SUPERSET] = "superset",
	[MSHVCPU_INCOMPATIBLE] = "incompatible",
};

static const char *name_of(const char *const *names, size_t count, unsigned int v)
{
	return v < count ? names[v] : NULL;
}

static int parse(const char *const *names, size_t count, const char *text,
		 unsigned int *v)
{
	size_t i;

	if (!text)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		if (names[i] && strcasecmp(names[i], text) == 0) {
			*v = (unsigned int)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *mshvcpu_word_name(enum mshvcpu_word word)
{
	return name_of(word_names, ARRAY_SIZE(word_names), word);
}

int mshvcpu_word_parse(const char *name, enum mshvcpu_word *word)
{
	unsigned int v;
	int ret = parse(word_names, ARRAY_SIZE(word_names), name, &v);

	if (!ret)
		*word = (enum mshvcpu_word)v;
	return ret;
}

const char *mshvcpu_vendor_name(enum mshvcpu_vendor vendor)
{
	return name_of(vendor_names, ARRAY_SIZE(vendor_names), vendor);
}

int mshvcpu_vendor_parse(const char *name, enum mshvcpu_vendor *vendor)
{
	unsigned int v;
	int ret = parse(vendor_names, ARRAY_SIZE(vendor_names), name, &v);

	if (!ret)
		*vendor = (enum mshvcpu_vendor)v;
	return ret;
}

const char *mshvcpu_revision_name(enum mshvcpu_revision rev)
{
	return revision_names[revision_to_table(rev)];
}

const char *mshvcpu_revision_description(enum mshvcpu_revision rev)
{
	return revision_descriptions[revision_to_table(rev)];
}

int mshvcpu_revision_parse(const char *name, enum mshvcpu_revision *rev)
{
	unsigned int v;
	int ret = parse(revision_names, ARRAY_SIZE(revision_names), name, &v);

	if (!ret)
		*rev = (enum mshvcpu_revision)(v + 1);
	return ret;
}

const char *mshvcpu_policy_name(enum mshvcpu_policy policy)
{
	return name_of(policy_names, ARRAY_SIZE(policy_names), policy);
}

int mshvcpu_policy_parse(const char *name, enum mshvcpu_policy *policy)
{
	unsigned int v;
	int ret = parse(policy_names, ARRAY_SIZE(policy_names), name, &v);

	if (!ret)
		*policy = (enum mshvcpu_policy)v;
	return ret;
}

const char *mshvcpu_host_source_name(enum mshvcpu_host_source source)
{
	return name_of(source_names, ARRAY_SIZE(source_names), source);
}

const char *mshvcpu_relation_name(enum mshvcpu_relation relation)
{
	return name_of(relation_names, ARRAY_SIZE(relation_names), relation);
}
