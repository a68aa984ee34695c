// SPDX-License-Identifier: MIT
/*
 * The one place where enabled sets become the *disabled* masks the kernel
 * and the hypervisor take, and back.
 *
 * Per bit: a feature @rev names and the set knows is disabled iff the set
 * has it off. Everything else - named features whose state is unknown, and
 * bits @rev does not name (unknown or reserved) - follows the policy:
 * forward-compatible leaves them to the hypervisor (0: the host's features,
 * including ones added later, stay on); migration-safe disables them
 * (nobody here can vouch for them on the target).
 */
#include <string.h>

#include "internal.h"

static uint64_t disabled_word(const struct mshvcpu_featureset *enabled,
			      enum mshvcpu_word word,
			      enum mshvcpu_policy policy,
			      enum mshvcpu_revision rev)
{
	uint64_t decided = catalogue_feature_mask(word, rev) & enabled->known[word];
	uint64_t off = decided & ~enabled->enabled[word];

	if (policy == MSHVCPU_POLICY_MIGRATION_SAFE)
		return off | ~decided;
	return off;
}

void mshvcpu_masks_from_enabled(const struct mshvcpu_featureset *enabled,
				enum mshvcpu_policy policy,
				enum mshvcpu_revision rev,
				struct mshvcpu_masks *out)
{
	memset(out, 0, sizeof(*out));
	out->disabled_banks[0] = disabled_word(enabled, MSHVCPU_WORD_BANK0, policy, rev);
	out->disabled_banks[1] = disabled_word(enabled, MSHVCPU_WORD_BANK1, policy, rev);
	out->disabled_xsave = disabled_word(enabled, MSHVCPU_WORD_XSAVE, policy, rev);
	out->disabled_bank2 = disabled_word(enabled, MSHVCPU_WORD_BANK2, policy, rev);
	/* Bank 2 costs an extra hypercall; send it only when it says something. */
	out->set_bank2 = out->disabled_bank2 != 0;
}

void mshvcpu_enabled_from_masks(const struct mshvcpu_masks *masks,
				enum mshvcpu_vendor vendor,
				struct mshvcpu_featureset *out)
{
	mshvcpu_featureset_init(out, vendor);
	out->enabled[MSHVCPU_WORD_BANK0] = ~masks->disabled_banks[0];
	out->enabled[MSHVCPU_WORD_BANK1] = ~masks->disabled_banks[1];
	out->enabled[MSHVCPU_WORD_XSAVE] = ~masks->disabled_xsave;
	out->enabled[MSHVCPU_WORD_BANK2] = masks->set_bank2 ? ~masks->disabled_bank2 : ~0ULL;
}

size_t mshvcpu_masks_check(const struct mshvcpu_masks *masks,
			   const struct mshvcpu_featureset *offered,
			   struct mshvcpu_violation *out, size_t max)
{
	struct mshvcpu_featureset asked;

	mshvcpu_enabled_from_masks(masks, offered ? offered->vendor : MSHVCPU_VENDOR_ANY,
				   &asked);
	if (offered)
		mshvcpu_featureset_and(&asked, &asked, offered);
	return mshvcpu_deps_check(&asked, out, max);
}
