// SPDX-License-Identifier: MIT
/*
 * --enforce, and the warnings given without it: what a profile asks for
 * that no guest of it could get. QEMU users know the idea as the "enforce"
 * CPU property; here it names the features in our words.
 */
#include <stdio.h>

#include "cli.h"

/* "sse4a, xop" for the features enabled in @set (at most @len bytes, "..." when cut). */
static void names_of(const struct mshvcpu_featureset *set, enum mshvcpu_revision rev,
		     char *buf, size_t len)
{
	int n = mshvcpu_featureset_format_names(set, rev, ", ", buf, len);

	if (n >= (int)len && len > 4)
		snprintf(buf + len - 4, 4, "...");
}

int cli_profile_check(struct cli *cli, const char *cmd, const struct mshvcpu_profile *p,
		      const struct mshvcpu_featureset *host, const char *host_name, bool enforce)
{
	const struct mshvcpu_featureset *set = mshvcpu_profile_features(p);
	enum mshvcpu_revision rev = mshvcpu_profile_revision(p);
	struct mshvcpu_featureset foreign;
	struct mshvcpu_comparison cmp;
	char names[400];

	if (mshvcpu_featureset_other_vendor(set, rev, &foreign)) {
		/* Two x86 designs: what the other one has is the one thing asked for in vain. */
		const char *other = set->vendor == MSHVCPU_VENDOR_INTEL ? "amd" : "intel";

		names_of(&foreign, rev, names, sizeof(names));
		if (enforce)
			return cli_fail(cli, EXIT_USAGE, cmd, "%s: only %s processors have these; "
					"a guest on %s never sees them (--enforce)", names, other,
					mshvcpu_vendor_name(set->vendor));
		cli_warn(cli, "%s: only %s processors have these; a guest on %s never sees them",
			 names, other, mshvcpu_vendor_name(set->vendor));
	}
	if (!host)
		return 0;
	mshvcpu_compare(set, host, &cmp);
	if (cmp.vendor_mismatch) {
		if (enforce)
			return cli_fail(cli, EXIT_USAGE, cmd, "the profile is for %s processors "
					"and %s's are %s (--enforce)", mshvcpu_vendor_name(set->vendor),
					host_name, mshvcpu_vendor_name(host->vendor));
		cli_warn(cli, "the profile is for %s processors and %s's are %s",
			 mshvcpu_vendor_name(set->vendor), host_name,
			 mshvcpu_vendor_name(host->vendor));
		return 0;
	}
	if (!mshvcpu_featureset_count(&cmp.only_a, rev))
		return 0;
	names_of(&cmp.only_a, rev, names, sizeof(names));
	if (enforce)
		return cli_fail(cli, EXIT_USAGE, cmd, "%s lacks %s (--enforce)", host_name, names);
	cli_warn(cli, "%s lacks %s", host_name, names);
	return 0;
}
