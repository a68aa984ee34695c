// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "model.h"

bool model_option(struct model_opts *m, int opt, const char *arg)
{
	switch (opt) {
	case OPT_HOST:
		m->host = arg;
		return true;
	case OPT_KERNEL:
		m->kernel = arg;
		return true;
	case OPT_TRACE:
		m->trace = arg;
		return true;
	default:
		return false;
	}
}

int model_start(struct cli *cli, const char *cmd, const struct model_opts *m,
		struct sim **sim)
{
	struct sim_config config = { .host = m->host, .abi = KSHIM_ABI_DEFAULT,
				     .trace_path = m->trace };
	struct mshvcpu_error err = { 0 };
	int ret;

	if (m->kernel && kshim_abi_parse(m->kernel, &config.abi))
		return cli_usage(cli, cmd, "unknown kernel level '%s' "
				 "(v1-only, cpu-features, nested-smt)", m->kernel);
	ret = sim_create(&config, sim, &err);
	if (ret)
		return cli_fail_lib(cli, cli_spec_status(&err, ret), cmd, &err, ret);
	return 0;
}

void print_partition_record(struct cli *cli, const struct mshvcpu_partition_record *rec)
{
	enum mshvcpu_revision rev = rec->revision;
	size_t dropped = cli_count(&rec->dropped, rev, MSHVCPU_ENABLED);

	cli_kv(cli, 10, "spec", "%s", rec->spec);
	cli_kv(cli, 10, "policy", "%s (%s names)", mshvcpu_policy_name(rec->policy),
	       mshvcpu_revision_name(rev));
	cli_kv(cli, 10, "struct", "%s, pt_flags 0x%llx",
	       rec->create_struct == MSHVCPU_CREATE_V1 ?
	       "v1 (kernel before 6.19: every feature the host offers)" : "v2",
	       (unsigned long long)rec->pt_flags);
	cli_kv(cli, 10, "disabled", "banks 0x%016llx 0x%016llx, xsave 0x%llx",
	       (unsigned long long)rec->masks.disabled_banks[0],
	       (unsigned long long)rec->masks.disabled_banks[1],
	       (unsigned long long)rec->masks.disabled_xsave);
	if (rec->masks.set_bank2)
		cli_kv(cli, 10, "bank 2", "0x%llx disabled (early property)",
		       (unsigned long long)rec->masks.disabled_bank2);
	cli_kv(cli, 10, "vendor", "%s", mshvcpu_vendor_name(rec->effective.vendor));
	cli_kv(cli, 10, "xsave", "%u bytes (components 0x%llx)", rec->max_xsave_data_size,
	       (unsigned long long)rec->xsave_states);
	cli_kv(cli, 10, "effective", "%zu features", cli_count(&rec->effective, rev, MSHVCPU_ENABLED));
	cli_print_features(cli, &rec->effective, rev, MSHVCPU_ENABLED, "  ");
	if (dropped) {
		cli_kv_color(cli, 10, "dropped", C_YELLOW,
			     "%zu requested feature%s the host does not offer",
			     dropped, dropped == 1 ? "" : "s");
		cli_print_features(cli, &rec->dropped, rev, MSHVCPU_ENABLED, "  ");
	} else {
		cli_kv(cli, 10, "dropped", "none");
	}
}
