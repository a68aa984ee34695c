// SPDX-License-Identifier: MIT
/*
 * Named models (models.def): the x86-64 psABI levels and the recorded real
 * hosts, each with its provenance.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "models.h"

static const struct model models[] = {
#define MSHVCPU_LEVEL(name_, desc, prov, parent_, features_)		\
	{ .name = (name_), .description = (desc), .provenance = (prov),	\
	  .vendor = MSHVCPU_VENDOR_ANY, .parent = (parent_),		\
	  .features = (features_) },
#define MSHVCPU_HOST(name_, vendor_, b0, b1, xs, desc, prov)		\
	{ .name = (name_), .description = (desc), .provenance = (prov),	\
	  .vendor = MSHVCPU_VENDOR_##vendor_, .is_host = true,		\
	  .words = { [MSHVCPU_WORD_BANK0] = (b0),			\
		     [MSHVCPU_WORD_BANK1] = (b1),			\
		     [MSHVCPU_WORD_XSAVE] = (xs) } },
#include "models.def"
#undef MSHVCPU_LEVEL
#undef MSHVCPU_HOST
};

size_t mshvcpu_model_count(void)
{
	return ARRAY_SIZE(models);
}

const struct model *model_at(size_t index)
{
	return index < ARRAY_SIZE(models) ? &models[index] : NULL;
}

int mshvcpu_model_at(size_t index, struct mshvcpu_model_info *info)
{
	const struct model *m = model_at(index);

	if (!m)
		return -ENOENT;
	info->name = m->name;
	info->description = m->description;
	info->provenance = m->provenance;
	info->vendor = m->vendor;
	return 0;
}

const struct model *model_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(models); i++)
		if (strcasecmp(models[i].name, name) == 0)
			return &models[i];
	return NULL;
}

static int add_level_features(const struct model *m, struct mshvcpu_featureset *set)
{
	char names[512], *save = NULL, *tok;

	if (m->parent) {
		const struct model *parent = model_find(m->parent);
		int ret;

		if (!parent)
			return -ENOENT;
		ret = add_level_features(parent, set);
		if (ret)
			return ret;
	}
	snprintf(names, sizeof(names), "%s", m->features);
	for (tok = strtok_r(names, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		const struct mshvcpu_feature *f = mshvcpu_feature_find_any(tok);

		if (!f)
			return -ENOENT;	/* models.def names a feature the table lacks */
		mshvcpu_featureset_enable(set, f);
	}
	return 0;
}

int model_featureset(const struct model *m, struct mshvcpu_featureset *set)
{
	if (m->is_host) {
		mshvcpu_featureset_init(set, m->vendor);
		memcpy(set->enabled, m->words, sizeof(set->enabled));
		/* The recorded offers say nothing about bank 2. */
		set->known[MSHVCPU_WORD_BANK2] = 0;
		return 0;
	}
	mshvcpu_featureset_init(set, m->vendor);
	return add_level_features(m, set);
}
