/* SPDX-License-Identifier: MIT */
/*
 * A hypervisor model and a driver on it, made once per process and kept
 * for every input (a target runs millions of them); each input must leave
 * them as it found them, which the targets check.
 */
#ifndef MSHVCPU_TESTS_FUZZ_MACHINE_H
#define MSHVCPU_TESTS_FUZZ_MACHINE_H

#include <stdlib.h>

#include "hv.h"
#include "kshim.h"

struct fuzz_machine {
	struct hv *hv;
	struct kshim *k;
	int dev;		/* /dev/mshv, open for the whole run */
};

static inline void fuzz_machine_up(struct fuzz_machine *m, const struct hv_host_config *c,
				   enum kshim_abi abi)
{
	struct kshim_config kc = { .abi = abi };

	if (m->hv)
		return;
	if (hv_create(c, &m->hv))
		abort();
	kc.hv = m->hv;
	if (kshim_create(&kc, &m->k))
		abort();
	m->dev = kshim_open_dev(m->k);
	if (m->dev < 0)
		abort();
}

#endif
