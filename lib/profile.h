/* SPDX-License-Identifier: MIT */
#ifndef MSHVCPU_LIB_PROFILE_H
#define MSHVCPU_LIB_PROFILE_H

#include "internal.h"

struct mshvcpu_profile {
	char *spec;			/* as given, or the model/file name */
	char *provenance;		/* NULL unless a named model or file says */
	enum mshvcpu_revision revision;	/* resolved, never DEFAULT */
	struct mshvcpu_featureset features;
	struct mshvcpu_change *changes;
	size_t nchanges;
	struct mshvcpu_violation *base_violations;
	size_t nbase_violations;
};

struct mshvcpu_profile *profile_new(const char *spec, enum mshvcpu_revision rev)
	MSHVCPU_INTERNAL(profile_new);
int profile_set_provenance(struct mshvcpu_profile *p, const char *provenance)
	MSHVCPU_INTERNAL(profile_set_provenance);
int profile_add_change(struct mshvcpu_profile *p, const struct mshvcpu_change *c)
	MSHVCPU_INTERNAL(profile_add_change);
/* Record what deps_check says about the base set. */
int profile_note_base_violations(struct mshvcpu_profile *p)
	MSHVCPU_INTERNAL(profile_note_base_violations);

#endif
