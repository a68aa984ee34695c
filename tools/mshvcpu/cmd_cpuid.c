// SPDX-License-Identifier: MIT
/*
 * mshvcpu cpuid SPEC [LEAF[.SUBLEAF]]: the CPUID a guest with a profile
 * would see, read from the model the way a VMM reads it from the real
 * hypervisor: create the partition, a VP, and HvCallGetVpCpuidValues.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "model.h"

struct leaf {
	uint32_t leaf, subleaf;
};

static const struct leaf default_leaves[] = {
	{ 0x0, 0 }, { 0x1, 0 }, { 0x6, 0 }, { 0x7, 0 }, { 0x7, 1 }, { 0x7, 2 },
	{ 0xd, 0 }, { 0xd, 1 }, { 0x80000000, 0 }, { 0x80000001, 0 }, { 0x80000007, 0 },
	{ 0x80000008, 0 }, { 0x80000021, 0 },
};

static int parse_leaf(const char *s, struct leaf *out)
{
	char *end;
	unsigned long long l, sub = 0;

	errno = 0;
	l = strtoull(s, &end, 16);
	if (end == s || errno || l > 0xffffffffULL)
		return -EINVAL;
	if (*end == '.') {
		const char *p = end + 1;

		sub = strtoull(p, &end, 16);
		if (end == p || errno || sub > 0xffffffffULL)
			return -EINVAL;
	}
	if (*end)
		return -EINVAL;
	out->leaf = (uint32_t)l;
	out->subleaf = (uint32_t)sub;
	return 0;
}

/* Features (on @vendor) whose CPUID location is this bit. */
static void bit_features(enum mshvcpu_vendor vendor, const struct leaf *l, unsigned int reg,
			 unsigned int bit, char *buf, size_t len)
{
	const struct mshvcpu_feature *f;
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; (f = mshvcpu_feature_at(i)); i++) {
		struct mshvcpu_cpuid_location loc;

		if (mshvcpu_feature_cpuid(f, vendor, &loc) || loc.leaf != l->leaf ||
		    loc.subleaf != l->subleaf || (unsigned int)loc.reg != reg || loc.bit != bit)
			continue;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? "+" : "", mshvcpu_feature_name(f));
	}
	if (!buf[0])
		snprintf(buf, len, "(no bank bit)");
}

/* The CPUID VP 0 of partition @pfd sees; 0 or -errno with @err filled. */
static int guest_cpuid(int pfd, struct mshvcpu_cpuid_leaf *leaves, size_t n,
		       struct mshvcpu_error *err)
{
	int vfd = mshvcpu_partition_create_vp(NULL, pfd, 0, err), ret;

	if (vfd < 0)
		return vfd;
	ret = mshvcpu_partition_cpuid(NULL, vfd, 0, leaves, n, err);
	close(vfd);
	return ret;
}

/* What a guest given every feature the host offers sees: the column to compare with. */
static int everything_cpuid(struct mshvcpu_cpuid_leaf *leaves, size_t n,
			    struct mshvcpu_error *err)
{
	MSHVCPU_OPTS(mshvcpu_create_opts, opts);
	struct mshvcpu_partition_record rec;
	struct mshvcpu_profile *all = NULL;
	int ret, pfd;

	ret = mshvcpu_profile_parse("all", NULL, &all, err);
	if (!ret)
		ret = mshvcpu_partition_create(all, &opts, &pfd, &rec, err);
	if (!ret) {
		ret = guest_cpuid(pfd, leaves, n, err);
		close(pfd);
		mshvcpu_partition_record_clear(&rec);
	}
	mshvcpu_profile_free(all);
	return ret;
}

static int cmd_cpuid(struct cli *cli, int argc, char **argv)
{
	static const char *const regs[] = { "eax", "ebx", "ecx", "edx" };
	MSHVCPU_OPTS(mshvcpu_create_opts, opts);
	MSHVCPU_OPTS(mshvcpu_profile_opts, popts);
	struct mshvcpu_cpuid_leaf out[64];
	struct mshvcpu_partition_record rec = { 0 };
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_profile *p = NULL;
	struct model_opts model = { 0 };
	struct mshvcpu_cpuid_leaf host[64];
	struct leaf leaves[64];
	const char *host_name = NULL;
	struct json_object *arr = NULL;
	bool diff = false;
	size_t nleaves = 0, i;
	int opt, ret, pfd = -1;

	while ((opt = cli_getopt(cli, &command_cpuid, argc, argv)) != CLI_END) {
		if (model_option(&model, opt, optarg))
			continue;
		switch (opt) {
		case OPT_DIFF:
			diff = true;
			break;
		case OPT_POLICY:
			ret = parse_policy(cli, "cpuid", optarg, &opts.policy);
			if (ret)
				return ret;
			break;
		case OPT_REVISION:
			ret = parse_revision(cli, "cpuid", optarg, &popts.revision);
			if (ret)
				return ret;
			opts.revision = popts.revision;
			break;
		case OPT_ENFORCE:
			opts.enforce = true;
			break;
		case OPT_FLAGS:
			ret = parse_create_flags(cli, "cpuid", optarg, &opts.flags);
			if (ret)
				return ret;
			break;
		default:
			return cli_stop(opt);
		}
	}
	if (optind >= argc)
		return cli_usage(cli, "cpuid", "expected SPEC [LEAF[.SUBLEAF]...]");
	for (i = (size_t)optind + 1; i < (size_t)argc; i++) {
		if (nleaves == ARRAY_SIZE(leaves))
			return cli_usage(cli, "cpuid", "at most %zu leaves", ARRAY_SIZE(leaves));
		if (parse_leaf(argv[i], &leaves[nleaves++]))
			return cli_usage(cli, "cpuid", "'%s' is not LEAF[.SUBLEAF] in hex", argv[i]);
	}
	if (!nleaves) {
		memcpy(leaves, default_leaves, sizeof(default_leaves));
		nleaves = ARRAY_SIZE(default_leaves);
	}

	/* The model is the emulator's: this command line runs again under it. */
	if (!model_inside(&host_name) && !model_under_emu(&model))
		return model_exec(cli, "cpuid", &model, cli->argv, true);
	ret = mshvcpu_profile_parse(argv[optind], &popts, &p, &err);
	if (ret) {
		ret = cli_fail_lib(cli, cli_spec_status(&err, ret), "cpuid", &err, ret);
		goto out;
	}
	ret = cli_profile_check(cli, "cpuid", p, NULL, NULL, opts.enforce);
	if (ret)
		goto out;
	ret = mshvcpu_partition_create(p, &opts, &pfd, &rec, &err);
	if (ret) {
		ret = cli_fail_lib(cli, EXIT_RUNTIME, "cpuid", &err, ret);
		goto out;
	}
	for (i = 0; i < nleaves; i++)
		host[i] = out[i] = (struct mshvcpu_cpuid_leaf){ .leaf = leaves[i].leaf,
								.subleaf = leaves[i].subleaf };
	ret = guest_cpuid(pfd, out, nleaves, &err);
	/* The host: a guest given everything it offers (nothing disabled). */
	if (!ret)
		ret = everything_cpuid(host, nleaves, &err);
	if (ret) {
		ret = cli_fail_lib(cli, EXIT_RUNTIME, "cpuid", &err, ret);
		goto out;
	}

	arr = json_object_new_array();
	if (!cli_json(cli))
		printf("%-19s %-10s %-10s %-10s %s\n", "LEAF", "EAX", "EBX", "ECX", "EDX");
	for (i = 0; i < nleaves; i++) {
		uint32_t guest[4] = { out[i].eax, out[i].ebx, out[i].ecx, out[i].edx };
		uint32_t host_regs[4] = { host[i].eax, host[i].ebx, host[i].ecx, host[i].edx };
		bool differs;
		unsigned int r;

		differs = memcmp(host_regs, guest, sizeof(host_regs)) != 0;
		if (cli_json(cli)) {
			struct json_object *o = json_object_new_object(), *g = json_object_new_array();
			struct json_object *h = json_object_new_array();

			for (r = 0; r < 4; r++) {
				json_object_array_add(g, cli_json_u64(guest[r]));
				json_object_array_add(h, cli_json_u64(host_regs[r]));
			}
			json_object_object_add(o, "leaf", cli_json_u64(leaves[i].leaf));
			json_object_object_add(o, "subleaf", cli_json_u64(leaves[i].subleaf));
			json_object_object_add(o, "guest", g);
			json_object_object_add(o, "host", h);
			json_object_array_add(arr, o);
			continue;
		}
		if (diff && !differs)
			continue;
		printf("0x%08x.%-8x 0x%08x 0x%08x 0x%08x 0x%08x\n", leaves[i].leaf,
		       leaves[i].subleaf, guest[0], guest[1], guest[2], guest[3]);
		if (!diff)
			continue;
		for (r = 0; r < 4; r++) {
			uint32_t lost = host_regs[r] & ~guest[r], gained = guest[r] & ~host_regs[r];
			unsigned int bit;

			for (bit = 0; bit < 32; bit++) {
				char names[160], line[200];

				if (!((lost | gained) & (1u << bit)))
					continue;
				bit_features(rec.effective.vendor, &leaves[i], r, bit, names,
					     sizeof(names));
				snprintf(line, sizeof(line), "    %s[%u] %s %s", regs[r], bit,
					 (lost & (1u << bit)) ? "cleared:" : "set:", names);
				cli_wrap(stdout, 0, 6, line);
			}
		}
	}
	if (cli_json(cli)) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "spec", json_object_new_string(mshvcpu_profile_spec(p)));
		json_object_object_add(doc, "host", json_object_new_string(host_name ? host_name :
										       "host"));
		json_object_object_add(doc, "vp_index", json_object_new_int(0));
		json_object_object_add(doc, "leaves", arr);
		cli_print_json(cli, "mshvcpu-cpuid/1", doc);
		arr = NULL;
	}
	ret = EXIT_YES;
out:
	json_object_put(arr);
	if (pfd >= 0)
		close(pfd);
	mshvcpu_partition_record_clear(&rec);
	mshvcpu_profile_free(p);
	return ret;
}

static const struct cli_use options[] = {
	{ OPT_DIFF, "only registers that differ from the host, naming the features behind "
		    "every bit the guest loses" },
	{ OPT_POLICY, NULL },
	{ OPT_REVISION, "the header revision whose names are known" },
	{ OPT_FLAGS, NULL },
	{ OPT_ENFORCE, "fail, naming them, unless the guest gets every feature asked for" },
	MODEL_OPTIONS,
	{ OPT_COUNT, NULL },
};

const struct command command_cpuid = {
	.name = "cpuid",
	.run = cmd_cpuid,
	.summary = "the CPUID a guest with a profile would see",
	.usage = "[OPTIONS] SPEC [LEAF[.SUBLEAF]...]",
	.about = "The CPUID a guest with this profile would see on this host (or on --host): the "
		 "partition is created on the hypervisor model, and its first VP's CPUID is read "
		 "back with HvCallGetVpCpuidValues. Without LEAF, the leaves the feature banks "
		 "touch are shown (0, 1, 6, 7.0-7.2, 0xd.0-0xd.1, 0x80000000-0x80000008, "
		 "0x80000021).",
	.opts = options,
	.examples = (const char *const[]){
		"mshvcpu cpuid x86-64-v3 7.0",
		"mshvcpu cpuid --diff host,-avx512",
		"mshvcpu cpuid --host mshv-icelake-sp-azure x86-64-v2 0x1 0xd.1",
		NULL,
	},
};
