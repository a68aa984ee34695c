/* SPDX-License-Identifier: MIT */
#ifndef MSHVCPU_LIB_MODELS_H
#define MSHVCPU_LIB_MODELS_H

#include "internal.h"

struct model {
	const char *name;
	const char *description;
	const char *provenance;
	enum mshvcpu_vendor vendor;
	bool is_host;
	/* psABI levels: parent level and space-separated feature names. */
	const char *parent;
	const char *features;
	/* Recorded hosts: offered words, enabled sense (bank 2 unknown). */
	uint64_t words[MSHVCPU_WORD_COUNT];
};

const struct model *model_at(size_t index)
	MSHVCPU_INTERNAL(model_at);
/* Case-insensitive; NULL if no model has that name. */
const struct model *model_find(const char *name)
	MSHVCPU_INTERNAL(model_find);
int model_featureset(const struct model *m, struct mshvcpu_featureset *set)
	MSHVCPU_INTERNAL(model_featureset);

#endif
