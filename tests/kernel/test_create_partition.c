// SPDX-License-Identifier: MIT
/*
 * MSHV_CREATE_PARTITION through the real ioctl entry (kshim_ioctl on a
 * /dev/mshv descriptor) into the hypervisor model: the v1/v2 argument
 * rules of Linux 6.19 (v5), the double fetch, the creation-flag mapping on
 * every ABI level, and what reaches the hypervisor.
 *
 * Built twice: as on x86_64 (TEST_NONX86 0) and against the non-x86
 * variant of kernel/ (TEST_NONX86 1: the last 8 bytes are pt_rsvd2 and
 * the xsave mask is never forwarded). The argument is built as raw bytes
 * at the reference's offsets, so this file does not depend on how the
 * uapi header lays it out on either architecture.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel_harness.h"

/* struct mshv_create_partition(_v2), from the reference. */
#define V1_SIZE			16
#define V2_SIZE			64
#define OFF_FLAGS		0
#define OFF_ISOLATION		8
#define OFF_NUM_BANKS		16
#define OFF_RSVD		18	/* 6 bytes */
#define OFF_BANKS		24
#define OFF_RSVD1		40	/* 16 bytes */
#define OFF_XSAVE		56	/* pt_disabled_xsave, or pt_rsvd2 off x86_64 */
#define BIT_CPU_FEATURES	3

/* The model's host: as the variant of kernel/ under test. */
#define HOST			(TEST_NONX86 ? HOST_ARM64 : HOST_X86_64)

/* The fixtures: /dev/mshv open on a kernel of that release. */
static int nested_smt(void **state)
{
	return env_setup_on(state, HOST, KSHIM_ABI_NESTED_SMT, ENV_DEV);
}

static int cpu_features(void **state)
{
	return env_setup_on(state, HOST, KSHIM_ABI_CPU_FEATURES, ENV_DEV);
}

static void v2_args(uint8_t *buf, uint64_t flags)
{
	memset(buf, 0, V2_SIZE);
	put64(buf, OFF_FLAGS, flags | 1ULL << BIT_CPU_FEATURES);
	put16(buf, OFF_NUM_BANKS, 2);
}

static long create(struct env *e, const void *arg)
{
	return ioctl_on(e, e->fd[ON_DEV], MSHV_CREATE_PARTITION, (unsigned long)arg);
}

/* The only live partition, as the model holds it. */
static struct hv_partition_info the_partition(struct env *e)
{
	e->id = newest_partition(e);
	return info_of(e);
}

/* Stops the trace: its create_partition lines, in order. */
static size_t traced_creates(struct env *e, struct trace *t, struct json_object **creates,
			     size_t max)
{
	size_t i, n = 0;

	trace_off(e, t);
	for (i = 0; i < t->count; i++)
		if (strcmp(trace_str(t->lines[i], "call"), "create_partition") == 0 && n < max)
			creates[n++] = t->lines[i];
	return n;
}

/* The argument ends where the guard page (PROT_NONE: unreadable) begins. */
static void v1_struct_ending_at_an_unmapped_page_is_accepted(void **state)
{
	struct env *e = *state;
	uint8_t *arg = e->guard.end - V1_SIZE;
	long fd;

	memset(arg, 0, V1_SIZE);
	fd = create(e, arg);
	assert_true(fd >= 0);
	assert_int_equal(kshim_fd_kind(e->k, (int)fd), KSHIM_FD_PARTITION);
	kshim_close(e->k, (int)fd);

	/* The same 16 bytes asking for the v2 struct: the rest faults. */
	put64(arg, OFF_FLAGS, 1ULL << BIT_CPU_FEATURES);
	assert_int_equal(create(e, arg), -EFAULT);
}

static void v1_path_sends_all_zeros_and_reads_16_bytes(void **state)
{
	struct hv_partition_info info;
	struct json_object *line;
	uint8_t buf[V2_SIZE];
	struct trace t;
	struct env *e = *state;
	long fd;

	trace_on(e);
	memset(buf, 0xff, sizeof(buf));	/* garbage beyond the v1 struct */
	put64(buf, OFF_FLAGS, 0);
	put64(buf, OFF_ISOLATION, 0);
	kshim_set_fault_from(e->k, buf + V1_SIZE);
	fd = create(e, buf);
	kshim_set_fault_from(e->k, NULL);
	assert_true(fd >= 0);
	info = the_partition(e);
	assert_int_equal(info.disabled_banks[0], 0);
	assert_int_equal(info.disabled_banks[1], 0);
	assert_int_equal(info.disabled_xsave, 0);
	assert_int_equal(traced_creates(e, &t, &line, 1), 1);
	assert_int_equal(trace_u64_at(line, "disabled_processor_features", 0), 0);
	assert_int_equal(trace_u64_at(line, "disabled_processor_features", 1), 0);
	assert_int_equal(trace_u64(line, "disabled_xsave"), 0);
	trace_free(&t);
	kshim_close(e->k, (int)fd);
}

static void bank_counts_other_than_two_are_einval(void **state)
{
	static const uint16_t counts[] = { 0, 1, 3, 65535 };
	uint8_t buf[V2_SIZE];
	struct env *e = *state;
	size_t i;

	for (i = 0; i < ARRAY_LEN(counts); i++) {
		v2_args(buf, 0);
		put16(buf, OFF_NUM_BANKS, counts[i]);
		assert_int_equal(create(e, buf), -EINVAL);
	}
}

static void each_nonzero_reserved_byte_is_einval(void **state)
{
	uint8_t buf[V2_SIZE];
	struct env *e = *state;
	size_t off;

	for (off = OFF_RSVD; off < OFF_RSVD + 6; off++) {
		v2_args(buf, 0);
		buf[off] = 0x01;
		assert_int_equal(create(e, buf), -EINVAL);
	}
	for (off = OFF_RSVD1; off < OFF_RSVD1 + 16; off++) {
		v2_args(buf, 0);
		buf[off] = 0x80;
		assert_int_equal(create(e, buf), -EINVAL);
	}
	for (off = OFF_XSAVE; off < OFF_XSAVE + 8; off++) {
		long fd;

		v2_args(buf, 0);
		buf[off] = 0x01;
		fd = create(e, buf);
		if (TEST_NONX86) {
			assert_int_equal(fd, -EINVAL);	/* pt_rsvd2 */
		} else {
			assert_true(fd >= 0);		/* pt_disabled_xsave */
			kshim_close(e->k, (int)fd);
		}
	}
	assert_int_equal(hv_partition_count(e->hv), 0);
}

static void flags_outside_each_level_mask_are_einval(void **state)
{
	static const struct {
		enum kshim_abi abi;
		uint64_t mask;
	} levels[] = {
		{ KSHIM_ABI_V1_ONLY, 0x7 },
		{ KSHIM_ABI_CPU_FEATURES, 0xF },
		{ KSHIM_ABI_NESTED_SMT, 0x3F },
	};
	size_t i;
	unsigned int bit;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct env e;

		env_up_on(&e, HOST, levels[i].abi, ENV_DEV);
		for (bit = 0; bit < 64; bit++) {
			uint8_t buf[V2_SIZE];
			uint64_t flags = 1ULL << bit;
			long fd;

			/* v2 layout whenever bit 3 is accepted, so both paths are seen. */
			v2_args(buf, flags);
			if (!(levels[i].mask & (1ULL << BIT_CPU_FEATURES)))
				put64(buf, OFF_FLAGS, flags);
			fd = create(&e, buf);
			if (levels[i].mask >> bit & 1) {
				assert_true(fd >= 0);
				kshim_close(e.k, (int)fd);
			} else {
				assert_int_equal(fd, -EINVAL);
			}
		}
		env_down(&e);
	}
}

static void isolation_other_than_none_is_einval(void **state)
{
	static const uint64_t values[] = { 1, 2, 1ULL << 63 };
	uint8_t buf[V2_SIZE];
	struct env *e = *state;
	size_t i;

	for (i = 0; i < 3; i++) {
		memset(buf, 0, sizeof(buf));
		put64(buf, OFF_ISOLATION, values[i]);
		assert_int_equal(create(e, buf), -EINVAL);
		v2_args(buf, 0);
		put64(buf, OFF_ISOLATION, values[i]);
		assert_int_equal(create(e, buf), -EINVAL);
	}
}

static void bank_and_xsave_values_reach_the_hypervisor_verbatim(void **state)
{
	static const uint64_t patterns[][3] = {
		{ 0x8000000000000000ULL, 0xe000000000000000ULL, 0xffffff0000000000ULL },
		{ 0x0123456789abcdefULL, 0xfedcba9876543210ULL, 0x5555555555555555ULL },
		{ 0, 0, 0 },
	};
	struct json_object *lines[3];
	struct hv_partition_info info;
	uint8_t buf[V2_SIZE];
	struct trace t;
	struct env *e = *state;
	size_t i;

	trace_on(e);
	for (i = 0; i < 3; i++) {
		long fd;

		v2_args(buf, 0);
		put64(buf, OFF_BANKS, patterns[i][0]);
		put64(buf, OFF_BANKS + 8, patterns[i][1]);
		if (!TEST_NONX86)
			put64(buf, OFF_XSAVE, patterns[i][2]);
		fd = create(e, buf);
		assert_true(fd >= 0);
		info = the_partition(e);
		assert_int_equal(info.disabled_banks[0], patterns[i][0]);
		assert_int_equal(info.disabled_banks[1], patterns[i][1]);
		assert_int_equal(info.disabled_xsave, TEST_NONX86 ? 0 : patterns[i][2]);
		kshim_close(e->k, (int)fd);
	}
	/* The same values, as the hypercall trace saw them go by. */
	assert_int_equal(traced_creates(e, &t, lines, 3), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(trace_u64_at(lines[i], "disabled_processor_features", 0),
				 patterns[i][0]);
		assert_int_equal(trace_u64_at(lines[i], "disabled_processor_features", 1),
				 patterns[i][1]);
		assert_int_equal(trace_u64(lines[i], "disabled_xsave"),
				 TEST_NONX86 ? 0 : patterns[i][2]);
		assert_string_equal(trace_str(lines[i], "status"), "0x0000");
	}
	trace_free(&t);
}

/* The double fetch: the user rewrites the struct between the two copies. */
struct rewrite {
	uint8_t *buf;
	size_t off;
	uint64_t value;
};

static void rewrite_before_second_copy(void *ctx, unsigned int nth, const void *uaddr,
				       size_t len)
{
	struct rewrite *r = ctx;

	(void)uaddr;
	(void)len;
	if (nth == 1)
		put64(r->buf, r->off, r->value);
}

static void invalid_values_after_the_second_copy_are_einval(void **state)
{
	uint8_t buf[V2_SIZE];
	struct rewrite r = { .buf = buf };
	struct env *e = *state;

	kshim_set_copy_from_user_hook(e->k, rewrite_before_second_copy, &r);

	v2_args(buf, 0);
	r.off = OFF_FLAGS;
	r.value = 1ULL << BIT_CPU_FEATURES | 1ULL << 40;	/* outside the mask */
	assert_int_equal(create(e, buf), -EINVAL);

	v2_args(buf, 0);
	r.off = OFF_ISOLATION;
	r.value = 1;
	assert_int_equal(create(e, buf), -EINVAL);

	/* A flag the 6.19 level lacks, slipped in after validation: refused too. */
	v2_args(buf, 0);
	r.off = OFF_FLAGS;
	r.value = 1ULL << BIT_CPU_FEATURES | 1ULL << 4;
	assert_int_equal(create(e, buf), -EINVAL);
	assert_int_equal(hv_partition_count(e->hv), 0);
	kshim_set_copy_from_user_hook(e->k, NULL, NULL);
}

static void values_come_from_the_second_copy(void **state)
{
	struct hv_partition_info info;
	uint8_t buf[V2_SIZE];
	struct rewrite r = { .buf = buf };
	struct env *e = *state;
	long fd;

	kshim_set_copy_from_user_hook(e->k, rewrite_before_second_copy, &r);

	/* Bit 3 cleared between the copies: as v5, banks applied, bit 3 not forwarded. */
	v2_args(buf, 1ULL << 0);
	put64(buf, OFF_BANKS, 0xabcULL);
	r.off = OFF_FLAGS;
	r.value = 1ULL << 0;
	fd = create(e, buf);
	assert_true(fd >= 0);
	info = the_partition(e);
	assert_int_equal(info.disabled_banks[0], 0xabcULL);
	assert_int_equal(info.creation_flags & HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED,
			 HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED);
	assert_int_equal(info.creation_flags & (1ULL << BIT_CPU_FEATURES), 0);
	kshim_close(e->k, (int)fd);

	/* Flags valid in both copies but different: the second copy's count. */
	v2_args(buf, 1ULL << 0);	/* LAPIC in the first copy */
	r.off = OFF_FLAGS;
	r.value = 1ULL << BIT_CPU_FEATURES | 1ULL << 1;	/* X2APIC in the second */
	fd = create(e, buf);
	assert_true(fd >= 0);
	info = the_partition(e);
	assert_int_equal(info.creation_flags & HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED, 0);
	assert_int_equal(info.creation_flags & HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE,
			 HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE);
	kshim_close(e->k, (int)fd);
	kshim_set_copy_from_user_hook(e->k, NULL, NULL);
}

static void creation_flags_map_on_every_level(void **state)
{
	static const struct {
		unsigned int bit;
		uint64_t hv_flag;
	} map[] = {
		{ 0, HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED },
		{ 1, HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE },
		{ 2, HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES_ENABLED },
		{ 3, 0 },	/* selects the v2 struct; never forwarded */
		{ 4, HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE },
		{ 5, HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST },
	};
	const uint64_t always = HV_PARTITION_CREATION_FLAG_EXO_PARTITION |
				HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE_ENABLED;
	static const unsigned int nbits[] = { 3, 4, 6 };
	unsigned int level, i;

	(void)state;
	for (level = 0; level < KSHIM_ABI_COUNT; level++) {
		struct env e;

		env_up_on(&e, HOST, (enum kshim_abi)level, ENV_DEV);
		for (i = 0; i < nbits[level]; i++) {
			struct hv_partition_info info;
			uint8_t buf[V2_SIZE];
			long fd;

			if (level >= KSHIM_ABI_CPU_FEATURES) {
				v2_args(buf, 1ULL << map[i].bit);
			} else {
				memset(buf, 0, sizeof(buf));
				put64(buf, OFF_FLAGS, 1ULL << map[i].bit);
			}
			fd = create(&e, buf);
			assert_true(fd >= 0);
			info = the_partition(&e);
			assert_int_equal(info.creation_flags, always | map[i].hv_flag);
			kshim_close(e.k, (int)fd);
		}
		env_down(&e);
	}
}

static void hypervisor_refusals_become_errnos(void **state)
{
	struct env *e = *state;
	uint8_t buf[V2_SIZE];

	/* INVALID_PARAMETER -> EINVAL, anything unlisted -> EIO. */
	hv_inject_status(e->hv, HC_CREATE_PARTITION, ST_INVALID_PARAMETER, 1);
	v2_args(buf, 0);
	assert_int_equal(create(e, buf), -EINVAL);
	hv_inject_status(e->hv, HC_CREATE_PARTITION, 0x3c, 1);
	assert_int_equal(create(e, buf), -EIO);
	assert_int_equal(hv_partition_count(e->hv), 0);
}

static void insufficient_memory_is_deposited_and_retried(void **state)
{
	struct env *e = *state;
	uint8_t buf[V2_SIZE];
	uint64_t before;
	long fd;

	before = hv_deposited_pages(e->hv);
	hv_inject_status(e->hv, HC_CREATE_PARTITION, ST_INSUFFICIENT_MEMORY, 3);
	v2_args(buf, 0);
	fd = create(e, buf);
	assert_true(fd >= 0);
	assert_int_equal(hv_deposited_pages(e->hv) - before, 3);
	kshim_close(e->k, (int)fd);
}

static void closing_the_last_reference_deletes_the_partition(void **state)
{
	struct env *e = *state;
	uint8_t buf[V2_SIZE];
	long fd;
	int dup_fd;

	v2_args(buf, 0);
	fd = create(e, buf);
	assert_true(fd >= 0);
	dup_fd = kshim_dup(e->k, (int)fd);
	assert_true(dup_fd >= 0);
	assert_int_equal(kshim_close(e->k, (int)fd), 0);
	assert_int_equal(hv_partition_count(e->hv), 1);
	assert_int_equal(kshim_ioctl(e->k, dup_fd, MSHV_INITIALIZE_PARTITION, 0), 0);
	assert_int_equal(kshim_close(e->k, dup_fd), 0);
	assert_int_equal(hv_partition_count(e->hv), 0);
	assert_int_equal(kshim_close(e->k, dup_fd), -EBADF);
}

#define WITH(setup, test) cmocka_unit_test_setup_teardown(test, setup, env_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		WITH(nested_smt, v1_struct_ending_at_an_unmapped_page_is_accepted),
		WITH(nested_smt, v1_path_sends_all_zeros_and_reads_16_bytes),
		WITH(nested_smt, bank_counts_other_than_two_are_einval),
		WITH(nested_smt, each_nonzero_reserved_byte_is_einval),
		cmocka_unit_test(flags_outside_each_level_mask_are_einval),
		WITH(nested_smt, isolation_other_than_none_is_einval),
		WITH(nested_smt, bank_and_xsave_values_reach_the_hypervisor_verbatim),
		WITH(cpu_features, invalid_values_after_the_second_copy_are_einval),
		WITH(nested_smt, values_come_from_the_second_copy),
		cmocka_unit_test(creation_flags_map_on_every_level),
		WITH(nested_smt, hypervisor_refusals_become_errnos),
		WITH(nested_smt, insufficient_memory_is_deposited_and_retried),
		WITH(nested_smt, closing_the_last_reference_deletes_the_partition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
