// SPDX-License-Identifier: MIT
/*
 * Fuzz target (a): MSHV_CREATE_PARTITION through the real ioctl entry, with
 * arbitrary bytes, an arbitrary readable length (the shim faults from that
 * byte on), any kernel ABI level, a rewrite of the whole struct between the
 * driver's two copies, and an injected hypervisor status.
 *
 * Whatever happens, the outcome is checked against an oracle written from
 * ../shared/reference/mshv-abi.md, not from kernel/: the exact errno, and
 * for an accepted create that the hypervisor received exactly one
 * consistent snapshot — flags and isolation validated from the copy the
 * values came from, banks and xsave from the second copy (the first copy
 * alone for v1, which sends zeros), the creation flags mapped bit by bit.
 * Built once per kernel variant (x86_64, and non-x86 where the last eight
 * bytes are pt_rsvd2 and no xsave mask is sent).
 *
 * Input: abi u8 | readable u8 | mode u8 | status u8 | struct[64] | rewrite[64]
 */
#include <errno.h>

#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_partition.h>
#include <hyperv/hv_status.h>

#include "fuzz.h"
#include "fuzz_machine.h"

#define MSHV_CREATE_PARTITION	0x4010B800U
#define V1_SIZE			16
#define V2_SIZE			64
#define BIT_CPU_FEATURES	3

static const uint64_t flag_masks[KSHIM_ABI_COUNT] = { 0x7, 0xf, 0x3f };
/* MSHV_PT_BIT_n -> HV_PARTITION_CREATION_FLAG_*, from the reference. */
static const uint64_t creation_flag_of_bit[6] = {
	1ULL << 13,	/* LAPIC */
	1ULL << 22,	/* X2APIC */
	1ULL << 4,	/* GPA_SUPER_PAGES */
	0,		/* CPU_AND_XSAVE_FEATURES: not forwarded */
	1ULL << 1,	/* NESTED_VIRTUALIZATION */
	1ULL << 0,	/* SMT_ENABLED_GUEST */
};
#define ALWAYS_FLAGS	(1ULL << 8 | 1ULL << 19)	/* EXO, INTERCEPT_MESSAGE_PAGE */

/* Statuses to inject into CreatePartition and the errno each becomes. */
static const struct {
	uint16_t status;
	int err;	/* 0: the driver deposits memory and retries: success */
} injections[] = {
	{ HV_STATUS_INVALID_PARAMETER, EINVAL },
	{ HV_STATUS_ACCESS_DENIED, EIO },
	{ HV_STATUS_INSUFFICIENT_MEMORY, 0 },
	{ HV_STATUS_OPERATION_DENIED, EIO },
	{ HV_STATUS_PROCESSOR_FEATURE_INCOMPATIBLE_XSAVE_FEATURES, EIO },
	{ HV_STATUS_CPUID_FEATURE_VALIDATION_ERROR, EIO },
};

static struct fuzz_machine machines[KSHIM_ABI_COUNT];
static uint64_t last_id[KSHIM_ABI_COUNT];	/* ids are handed out in increasing order */

static struct fuzz_machine *machine(enum kshim_abi abi)
{
	const struct hv_host_config c = {
		.arch = TEST_NONX86 ? HV_ARCH_ARM64 : HV_ARCH_X86_64,
		.vendor = TEST_NONX86 ? HV_PROCESSOR_VENDOR_ARM : HV_PROCESSOR_VENDOR_INTEL,
		/* Offers nothing: no mask breaks a dependency, every value lands. */
	};

	fuzz_machine_up(&machines[abi], &c, abi);
	return &machines[abi];
}

static uint64_t get64(const uint8_t *b, size_t off)
{
	uint64_t v;

	memcpy(&v, b + off, 8);
	return v;
}

static bool nonzero(const uint8_t *b, size_t off, size_t len)
{
	while (len--)
		if (b[off++])
			return true;
	return false;
}

struct rewrite {
	uint8_t *user;
	const uint8_t *with;
};

static void rewrite_before_second_copy(void *ctx, unsigned int nth, const void *uaddr,
				       size_t len)
{
	struct rewrite *r = ctx;

	(void)uaddr;
	(void)len;
	if (nth == 1 && r->with)
		memcpy(r->user, r->with, V2_SIZE);
}

/* What the reference says the driver sends, or the errno it returns. */
struct expect {
	int err;
	uint64_t creation_flags;
	uint64_t banks[2];
	uint64_t xsave;
};

static struct expect oracle(enum kshim_abi abi, size_t readable, const uint8_t *first,
			    const uint8_t *second, int injected_err)
{
	struct expect e = { 0 };
	const uint8_t *used = first;
	uint64_t flags;
	unsigned int b;

	if (readable < V1_SIZE)
		return (struct expect){ .err = EFAULT };
	flags = get64(first, 0);
	if ((flags & ~flag_masks[abi]) || get64(first, 8) != 0)
		return (struct expect){ .err = EINVAL };
	if (flags >> BIT_CPU_FEATURES & 1) {
		used = second;
		if (readable < V2_SIZE)
			return (struct expect){ .err = EFAULT };
		flags = get64(used, 0);
		if ((flags & ~flag_masks[abi]) || get64(used, 8) != 0)
			return (struct expect){ .err = EINVAL };
		if (get64(used, 16) != 2 /* u16 2, then pt_rsvd */ || nonzero(used, 40, 16))
			return (struct expect){ .err = EINVAL };
		if (TEST_NONX86 && nonzero(used, 56, 8))
			return (struct expect){ .err = EINVAL };
		e.banks[0] = get64(used, 24);
		e.banks[1] = get64(used, 32);
		e.xsave = TEST_NONX86 ? 0 : get64(used, 56);
	}
	e.creation_flags = ALWAYS_FLAGS;
	for (b = 0; b < 6; b++)
		if (flags >> b & 1)
			e.creation_flags |= creation_flag_of_bit[b];
	e.err = injected_err;
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	enum kshim_abi abi = (enum kshim_abi)(fuzz_u8(&in) % KSHIM_ABI_COUNT);
	uint8_t readable_sel = fuzz_u8(&in), mode = fuzz_u8(&in), inject = fuzz_u8(&in);
	size_t readable = readable_sel >= 0x80 ? V2_SIZE : readable_sel % (V2_SIZE + 1);
	uint8_t first[V2_SIZE], second[V2_SIZE];
	static uint8_t user[V2_SIZE];
	struct fuzz_machine *m = machine(abi);
	struct rewrite rw = { user, NULL };
	int injected_err = 0;
	struct expect e;
	long ret;

	fuzz_take(&in, first, sizeof(first));
	fuzz_take(&in, second, sizeof(second));
	if (!(mode & 1))
		memcpy(second, first, sizeof(second));
	else
		rw.with = second;
	if (mode & 2) {
		size_t i = inject % (sizeof(injections) / sizeof(injections[0]));

		hv_inject_status(m->hv, HVCALL_CREATE_PARTITION, injections[i].status, 1);
		injected_err = injections[i].err;
	}

	memcpy(user, first, sizeof(user));
	kshim_set_copy_from_user_hook(m->k, rewrite_before_second_copy, &rw);
	kshim_set_fault_from(m->k, readable < V2_SIZE ? user + readable : NULL);
	ret = kshim_ioctl(m->k, m->dev, MSHV_CREATE_PARTITION, (unsigned long)user);
	kshim_set_fault_from(m->k, NULL);
	kshim_set_copy_from_user_hook(m->k, NULL, NULL);
	/* An injection the driver never reached must not leak into the next input. */
	hv_inject_status(m->hv, HVCALL_CREATE_PARTITION, 0, 0);

	e = oracle(abi, readable, first, second, injected_err);
	if (e.err) {
		FUZZ_CHECK(ret == -e.err, "abi %d: returned %ld, expected -%d", abi, ret, e.err);
		FUZZ_CHECK(hv_partition_count(m->hv) == 0, "a refused create left a partition");
	} else {
		struct hv_partition_info info;
		uint64_t id;
		bool found = false;

		FUZZ_CHECK(ret >= 0, "abi %d: returned %ld, expected a descriptor", abi, ret);
		FUZZ_CHECK(hv_partition_count(m->hv) == 1, "%zu partitions",
			   hv_partition_count(m->hv));
		for (id = last_id[abi] + 1; id <= last_id[abi] + 4096 && !found; id++)
			found = hv_partition_get_info(m->hv, id, &info) == 0;
		FUZZ_CHECK(found, "the new partition is not in the model");
		last_id[abi] = info.id;
		FUZZ_CHECK(info.creation_flags == e.creation_flags,
			   "creation flags 0x%llx, expected 0x%llx",
			   (unsigned long long)info.creation_flags,
			   (unsigned long long)e.creation_flags);
		FUZZ_CHECK(info.isolation_properties == 0, "isolation 0x%llx",
			   (unsigned long long)info.isolation_properties);
		FUZZ_CHECK(info.disabled_banks[0] == e.banks[0] && info.disabled_banks[1] == e.banks[1],
			   "banks 0x%llx 0x%llx, expected 0x%llx 0x%llx",
			   (unsigned long long)info.disabled_banks[0],
			   (unsigned long long)info.disabled_banks[1],
			   (unsigned long long)e.banks[0], (unsigned long long)e.banks[1]);
		FUZZ_CHECK(info.disabled_xsave == e.xsave, "xsave 0x%llx, expected 0x%llx",
			   (unsigned long long)info.disabled_xsave, (unsigned long long)e.xsave);
		FUZZ_CHECK(kshim_close(m->k, (int)ret) == 0, "close failed");
	}
	FUZZ_CHECK(hv_partition_count(m->hv) == 0, "closing left a partition");
	FUZZ_CHECK(kshim_fd_count(m->k) == 1, "%u descriptors open", kshim_fd_count(m->k));
	return 0;
}
