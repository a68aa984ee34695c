// SPDX-License-Identifier: MIT
/* mshvcpu show SPEC: a profile spec expanded, with what closure changed. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static struct json_object *changes_json(const struct mshvcpu_change *c, size_t n)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "feature",
				       json_object_new_string(mshvcpu_feature_name(c[i].feature)));
		json_object_object_add(o, "change",
				       json_object_new_string(c[i].enabled ? "enabled" : "disabled"));
		json_object_object_add(o, "because",
				       json_object_new_string(mshvcpu_feature_name(c[i].because)));
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *violations_json(const struct mshvcpu_violation *v, size_t n)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "feature",
				       json_object_new_string(mshvcpu_feature_name(v[i].feature)));
		json_object_object_add(o, "missing",
				       json_object_new_string(mshvcpu_feature_name(v[i].missing)));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* Text output's warnings (JSON has base_violations). */
static void warn_violations(struct cli *cli, const struct mshvcpu_violation *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cli_warn(cli, "the base enables %s without its prerequisite %s",
			 mshvcpu_feature_name(v[i].feature), mshvcpu_feature_name(v[i].missing));
}

static int cmd_show(struct cli *cli, int argc, char **argv)
{
	MSHVCPU_OPTS(mshvcpu_profile_opts, opts);
	struct mshvcpu_change changes[256];
	struct mshvcpu_violation viol[64];
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p = NULL;
	struct mshvcpu_host host;
	const struct mshvcpu_featureset *set;
	const char *output = NULL, *host_arg = NULL;
	bool enforce = false;
	size_t nchanges, nviol, i;
	char words[128];
	int opt, ret;

	while ((opt = cli_getopt(cli, &command_show, argc, argv)) != CLI_END) {
		switch (opt) {
		case OPT_REVISION:
			ret = parse_revision(cli, "show", optarg, &opts.revision);
			if (ret)
				return ret;
			break;
		case OPT_STRICT:
			opts.strict_deps = true;
			break;
		case OPT_HOST:
			host_arg = optarg;
			break;
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_ENFORCE:
			enforce = true;
			break;
		default:
			return cli_stop(opt);
		}
	}
	if (optind != argc - 1)
		return cli_usage(cli, "show", "expected exactly one SPEC");
	if (output) {
		ret = cli_output_check(cli, "show", output);
		if (ret)
			return ret;
	}
	if (host_arg) {
		ret = load_set_arg(cli, "show", host_arg, opts.revision, &host);
		if (ret)
			return ret;
		opts.host = &host;
	}
	ret = mshvcpu_profile_parse(argv[optind], &opts, &p, &err);
	if (ret)
		return cli_fail_lib(cli, cli_spec_status(&err, ret), "show",
				    &err, ret);
	ret = cli_profile_check(cli, "show", p, host_arg ? &host.offered : NULL, host.name,
				enforce);
	if (ret) {
		mshvcpu_profile_free(p);
		return ret;
	}

	set = mshvcpu_profile_features(p);
	nchanges = mshvcpu_profile_changes(p, changes, ARRAY_SIZE(changes));
	nviol = mshvcpu_profile_base_violations(p, viol, ARRAY_SIZE(viol));
	if (nchanges > ARRAY_SIZE(changes))
		nchanges = ARRAY_SIZE(changes);
	if (nviol > ARRAY_SIZE(viol))
		nviol = ARRAY_SIZE(viol);
	mshvcpu_featureset_format_words(set, words, sizeof(words));

	if (output) {
		ret = cli_output_profile(cli, "show", output, p);
		if (ret || cli_output_is_stdout(output)) {
			if (!ret)
				warn_violations(cli, viol, nviol);
			mshvcpu_profile_free(p);
			return ret;
		}
	}

	if (cli_json(cli)) {
		struct json_object *doc = json_object_new_object();
		enum mshvcpu_revision rev = mshvcpu_profile_revision(p);

		json_object_object_add(doc, "spec", json_object_new_string(mshvcpu_profile_spec(p)));
		json_object_object_add(doc, "revision",
				       json_object_new_string(mshvcpu_revision_name(rev)));
		json_object_object_add(doc, "provenance", mshvcpu_profile_provenance(p) ?
				       json_object_new_string(mshvcpu_profile_provenance(p)) : NULL);
		json_object_object_add(doc, "words", cli_json_words(set));
		json_object_object_add(doc, "literal", json_object_new_string(words));
		json_object_object_add(doc, "count",
				       json_object_new_int64((int64_t)mshvcpu_featureset_count(set, rev)));
		json_object_object_add(doc, "enabled", cli_json_features(set, rev, MSHVCPU_ENABLED));
		json_object_object_add(doc, "unknown", cli_json_features(set, rev, MSHVCPU_UNKNOWN));
		json_object_object_add(doc, "changes", changes_json(changes, nchanges));
		json_object_object_add(doc, "base_violations", violations_json(viol, nviol));
		cli_print_json(cli, "mshvcpu-show/1", doc);
	} else {
		enum mshvcpu_revision rev = mshvcpu_profile_revision(p);
		size_t unknown = cli_count(set, rev, MSHVCPU_UNKNOWN);

		cli_kv(cli, 9, "profile", "%s", mshvcpu_profile_spec(p));
		cli_kv(cli, 9, "revision", "%s", mshvcpu_revision_name(rev));
		cli_kv(cli, 9, "vendor", "%s", mshvcpu_vendor_name(set->vendor));
		if (mshvcpu_profile_provenance(p))
			cli_kv(cli, 9, "source", "%s", mshvcpu_profile_provenance(p));
		cli_kv(cli, 9, "words", "%s", words);
		cli_kv(cli, 9, "enabled", "%zu features", mshvcpu_featureset_count(set, rev));
		cli_print_features(cli, set, rev, MSHVCPU_ENABLED, "  ");
		if (unknown) {
			cli_kv(cli, 9, "unknown", "%zu features (the base cannot say; the "
			       "forward-compatible policy leaves them to the hypervisor)", unknown);
			cli_print_features(cli, set, rev, MSHVCPU_UNKNOWN, "  ");
		}
		for (i = 0; i < nchanges; i++)
			printf("%s%s %s%s (%s %s)\n", cli_color(cli, changes[i].enabled ? C_GREEN : C_YELLOW),
			       changes[i].enabled ? "+" : "-", mshvcpu_feature_name(changes[i].feature),
			       cli_color(cli, C_RESET),
			       changes[i].enabled ? "needed by" : "depends on",
			       mshvcpu_feature_name(changes[i].because));
		warn_violations(cli, viol, nviol);
	}
	mshvcpu_profile_free(p);
	return EXIT_YES;
}

static const struct cli_use options[] = {
	{ OPT_REVISION, "resolve names in REV (linux-6.19, hv-2026; default hv-2026)" },
	{ OPT_STRICT, NULL },
	{ OPT_HOST, "what \"host\" means: a host record, model or words (default: probe "
		    "this machine)" },
	{ OPT_OUTPUT, "also write the profile as JSON (usable as @FILE); - writes it to "
		      "stdout instead of the report" },
	{ OPT_ENFORCE, "fail, naming them, on features only another vendor has, or (with "
		       "--host) that HOST lacks; without it they are warnings" },
	{ OPT_COUNT, NULL },
};

const struct command command_show = {
	.name = "show",
	.run = cmd_show,
	.summary = "expand a profile spec to its features",
	.usage = "[OPTIONS] SPEC",
	.about = "Expand a profile spec to its features and say what dependency closure "
		 "changed.\n"
		 "SPEC is BASE followed by ,+FEATURE and ,-FEATURE modifiers. BASE is host, all, "
		 "none, a model (mshvcpu features --models), @FILE.json (a profile), or literal "
		 "words VENDOR:BANK0:BANK1:XSAVE[:BANK2] as `mshvcpu host` prints them. Enabling "
		 "a feature pulls its prerequisites in; disabling one drops what depends on it; "
		 "both are reported.",
	.opts = options,
	.examples = (const char *const[]){
		"mshvcpu show x86-64-v3,+aes,-avx2",
		"mshvcpu show host,-avx512",
		"mshvcpu show mshv-icelake-sp-azure -o icelake.json",
		"mshvcpu show @icelake.json,-avx512_bw",
		NULL,
	},
};
