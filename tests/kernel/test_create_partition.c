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
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <hyperv/hv_partition.h>

#include "hv.h"
#include "kshim.h"
#include "trace_reader.h"

/* The ioctl ABI, from the reference (not from the header under test). */
#define MSHV_CREATE_PARTITION	0x4010B800U
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

struct env {
	struct hv *hv;
	struct kshim *k;
	int dev;
};

static void env_up(struct env *e, enum kshim_abi abi)
{
	struct hv_host_config c = {
		.arch = TEST_NONX86 ? HV_ARCH_ARM64 : HV_ARCH_X86_64,
		.vendor = TEST_NONX86 ? HV_PROCESSOR_VENDOR_ARM : HV_PROCESSOR_VENDOR_INTEL,
		/*
		 * Offer nothing: then no mask breaks a feature dependency, and
		 * every value the kernel forwards reaches the model's state
		 * (the dependency rules are the model's tests' business).
		 */
		.offered = { 0, 0, 0, 0 },
	};
	struct kshim_config kc = { .abi = abi };

	assert_int_equal(hv_create(&c, &e->hv), 0);
	kc.hv = e->hv;
	assert_int_equal(kshim_create(&kc, &e->k), 0);
	e->dev = kshim_open_dev(e->k);
	assert_true(e->dev >= 0);
}

static void env_down(struct env *e)
{
	assert_int_equal(kshim_close(e->k, e->dev), 0);
	assert_int_equal(kshim_fd_count(e->k), 0);
	assert_int_equal(hv_partition_count(e->hv), 0);
	kshim_destroy(e->k);
	hv_destroy(e->hv);
}

static void put64(uint8_t *buf, size_t off, uint64_t v)
{
	memcpy(buf + off, &v, 8);
}

static void v2_args(uint8_t *buf, uint64_t flags)
{
	uint16_t banks = 2;

	memset(buf, 0, V2_SIZE);
	put64(buf, OFF_FLAGS, flags | 1ULL << BIT_CPU_FEATURES);
	memcpy(buf + OFF_NUM_BANKS, &banks, 2);
}

static long create(struct env *e, const void *arg)
{
	return kshim_ioctl(e->k, e->dev, MSHV_CREATE_PARTITION, (unsigned long)arg);
}

/* The only live partition. */
static void the_partition(struct env *e, struct hv_partition_info *info)
{
	uint64_t id;

	for (id = 1; id < 10000; id++)
		if (hv_partition_get_info(e->hv, id, info) == 0)
			return;
	fail_msg("no partition in the model");
}

/* The model's trace of this test, started on a fresh temporary file. */
static char *trace_begin(struct env *e)
{
	char *path = strdup("/tmp/mshvcpu-ktrace-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(hv_trace_start(e->hv, path), 0);
	return path;
}

/* The create_partition lines of the trace at @path, in order. */
static size_t traced_creates(struct env *e, char *path, struct trace *t,
			     struct json_object **creates, size_t max)
{
	size_t i, n = 0;

	hv_trace_stop(e->hv);
	trace_read(path, t);
	unlink(path);
	free(path);
	for (i = 0; i < t->count; i++)
		if (strcmp(trace_str(t->lines[i], "call"), "create_partition") == 0 && n < max)
			creates[n++] = t->lines[i];
	return n;
}

/* A page followed by an unmapped one: @len bytes placed to end at its end. */
static uint8_t *at_page_end(size_t len, void **map)
{
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *p = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	assert_int_equal(munmap(p + page, (size_t)page), 0);
	*map = p;
	return p + page - len;
}

static void v1_struct_ending_at_an_unmapped_page_is_accepted(void **state)
{
	struct env e;
	void *map;
	uint8_t *arg = at_page_end(V1_SIZE, &map);
	long fd;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT);
	memset(arg, 0, V1_SIZE);
	fd = create(&e, arg);
	assert_true(fd >= 0);
	assert_int_equal(kshim_fd_kind(e.k, (int)fd), KSHIM_FD_PARTITION);
	kshim_close(e.k, (int)fd);

	/* The same 16 bytes asking for the v2 struct: the rest faults. */
	put64(arg, OFF_FLAGS, 1ULL << BIT_CPU_FEATURES);
	assert_int_equal(create(&e, arg), -EFAULT);
	munmap(map, (size_t)sysconf(_SC_PAGESIZE));
	env_down(&e);
}

static void v1_path_sends_all_zeros_and_reads_16_bytes(void **state)
{
	struct hv_partition_info info;
	struct json_object *line;
	uint8_t buf[V2_SIZE];
	struct trace t;
	struct env e;
	char *trace;
	long fd;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT);
	trace = trace_begin(&e);
	memset(buf, 0xff, sizeof(buf));	/* garbage beyond the v1 struct */
	put64(buf, OFF_FLAGS, 0);
	put64(buf, OFF_ISOLATION, 0);
	kshim_set_fault_from(e.k, buf + V1_SIZE);
	fd = create(&e, buf);
	kshim_set_fault_from(e.k, NULL);
	assert_true(fd >= 0);
	the_partition(&e, &info);
	assert_int_equal(info.disabled_banks[0], 0);
	assert_int_equal(info.disabled_banks[1], 0);
	assert_int_equal(info.disabled_xsave, 0);
	assert_int_equal(traced_creates(&e, trace, &t, &line, 1), 1);
	assert_int_equal(trace_u64_at(line, "disabled_processor_features", 0), 0);
	assert_int_equal(trace_u64_at(line, "disabled_processor_features", 1), 0);
	assert_int_equal(trace_u64(line, "disabled_xsave"), 0);
	trace_free(&t);
	kshim_close(e.k, (int)fd);
	env_down(&e);
}

static void bank_counts_other_than_two_are_einval(void **state)
{
	static const uint16_t counts[] = { 0, 1, 3, 65535 };
	uint8_t buf[V2_SIZE];
	struct env e;
	size_t i;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT);
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		v2_args(buf, 0);
		memcpy(buf + OFF_NUM_BANKS, &counts[i], 2);
		assert_int_equal(create(&e, buf), -EINVAL);
	}
	env_down(&e);
}

static void each_nonzero_reserved_byte_is_einval(void **state)
{
	uint8_t buf[V2_SIZE];
	struct env e;
	size_t off;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT);
	for (off = OFF_RSVD; off < OFF_RSVD + 6; off++) {
		v2_args(buf, 0);
		buf[off] = 0x01;
		assert_int_equal(create(&e, buf), -EINVAL);
	}
	for (off = OFF_RSVD1; off < OFF_RSVD1 + 16; off++) {
		v2_args(buf, 0);
		buf[off] = 0x80;
		assert_int_equal(create(&e, buf), -EINVAL);
	}
	for (off = OFF_XSAVE; off < OFF_XSAVE + 8; off++) {
		long fd;

		v2_args(buf, 0);
		buf[off] = 0x01;
		fd = create(&e, buf);
		if (TEST_NONX86) {
			assert_int_equal(fd, -EINVAL);	/* pt_rsvd2 */
		} else {
			assert_true(fd >= 0);		/* pt_disabled_xsave */
			kshim_close(e.k, (int)fd);
		}
	}
	assert_int_equal(hv_partition_count(e.hv), 0);
	env_down(&e);
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

		env_up(&e, levels[i].abi);
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
	struct env e;
	size_t i;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT);
	for (i = 0; i < 3; i++) {
		memset(buf, 0, sizeof(buf));
		put64(buf, OFF_ISOLATION, values[i]);
		assert_int_equal(create(&e, buf), -EINVAL);
		v2_args(buf, 0);
		put64(buf, OFF_ISOLATION, values[i]);
		assert_int_equal(create(&e, buf), -EINVAL);
	}
	env_down(&e);
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
	struct env e;
	char *trace;
	size_t i;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT);
	trace = trace_begin(&e);
	for (i = 0; i < 3; i++) {
		long fd;

		v2_args(buf, 0);
		put64(buf, OFF_BANKS, patterns[i][0]);
		put64(buf, OFF_BANKS + 8, patterns[i][1]);
		if (!TEST_NONX86)
			put64(buf, OFF_XSAVE, patterns[i][2]);
		fd = create(&e, buf);
		assert_true(fd >= 0);
		the_partition(&e, &info);
		assert_int_equal(info.disabled_banks[0], patterns[i][0]);
		assert_int_equal(info.disabled_banks[1], patterns[i][1]);
		assert_int_equal(info.disabled_xsave, TEST_NONX86 ? 0 : patterns[i][2]);
		kshim_close(e.k, (int)fd);
	}
	/* The same values, as the hypercall trace saw them go by. */
	assert_int_equal(traced_creates(&e, trace, &t, lines, 3), 3);
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
	env_down(&e);
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
	struct env e;

	(void)state;
	env_up(&e, KSHIM_ABI_CPU_FEATURES);
	kshim_set_copy_from_user_hook(e.k, rewrite_before_second_copy, &r);

	v2_args(buf, 0);
	r.off = OFF_FLAGS;
	r.value = 1ULL << BIT_CPU_FEATURES | 1ULL << 40;	/* outside the mask */
	assert_int_equal(create(&e, buf), -EINVAL);

	v2_args(buf, 0);
	r.off = OFF_ISOLATION;
	r.value = 1;
	assert_int_equal(create(&e, buf), -EINVAL);

	/* A flag the 6.19 level lacks, slipped in after validation: refused too. */
	v2_args(buf, 0);
	r.off = OFF_FLAGS;
	r.value = 1ULL << BIT_CPU_FEATURES | 1ULL << 4;
	assert_int_equal(create(&e, buf), -EINVAL);
	assert_int_equal(hv_partition_count(e.hv), 0);
	kshim_set_copy_from_user_hook(e.k, NULL, NULL);
	env_down(&e);
}

static void values_come_from_the_second_copy(void **state)
{
	struct hv_partition_info info;
	uint8_t buf[V2_SIZE];
	struct rewrite r = { .buf = buf };
	struct env e;
	long fd;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT);
	kshim_set_copy_from_user_hook(e.k, rewrite_before_second_copy, &r);

	/* Bit 3 cleared between the copies: as v5, banks applied, bit 3 not forwarded. */
	v2_args(buf, 1ULL << 0);
	put64(buf, OFF_BANKS, 0xabcULL);
	r.off = OFF_FLAGS;
	r.value = 1ULL << 0;
	fd = create(&e, buf);
	assert_true(fd >= 0);
	the_partition(&e, &info);
	assert_int_equal(info.disabled_banks[0], 0xabcULL);
	assert_int_equal(info.creation_flags & HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED,
			 HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED);
	assert_int_equal(info.creation_flags & (1ULL << BIT_CPU_FEATURES), 0);
	kshim_close(e.k, (int)fd);

	/* Flags valid in both copies but different: the second copy's count. */
	v2_args(buf, 1ULL << 0);	/* LAPIC in the first copy */
	r.off = OFF_FLAGS;
	r.value = 1ULL << BIT_CPU_FEATURES | 1ULL << 1;	/* X2APIC in the second */
	fd = create(&e, buf);
	assert_true(fd >= 0);
	the_partition(&e, &info);
	assert_int_equal(info.creation_flags & HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED, 0);
	assert_int_equal(info.creation_flags & HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE,
			 HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE);
	kshim_close(e.k, (int)fd);
	kshim_set_copy_from_user_hook(e.k, NULL, NULL);
	env_down(&e);
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

		env_up(&e, (enum kshim_abi)level);
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
			the_partition(&e, &info);
			assert_int_equal(info.creation_flags, always | map[i].hv_flag);
			kshim_close(e.k, (int)fd);
		}
		env_down(&e);
	}
}

static void hypervisor_refusals_become_errnos(void **state)
{
	struct env e;
	uint8_t buf[V2_SIZE];

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT);
	/* INVALID_PARAMETER -> EINVAL, anything unlisted -> EIO. */
	hv_inject_status(e.hv, 0x40, 0x5, 1);
	v2_args(buf, 0);
	assert_int_equal(create(&e, buf), -EINVAL);
	hv_inject_status(e.hv, 0x40, 0x3c, 1);
	assert_int_equal(create(&e, buf), -EIO);
	assert_int_equal(hv_partition_count(e.hv), 0);
	env_down(&e);
}

static void insufficient_memory_is_deposited_and_retried(void **state)
{
	struct env e;
	uint8_t buf[V2_SIZE];
	uint64_t before;
	long fd;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT);
	before = hv_deposited_pages(e.hv);
	hv_inject_status(e.hv, 0x40, 0xb, 3);	/* INSUFFICIENT_MEMORY three times */
	v2_args(buf, 0);
	fd = create(&e, buf);
	assert_true(fd >= 0);
	assert_int_equal(hv_deposited_pages(e.hv) - before, 3);
	kshim_close(e.k, (int)fd);
	env_down(&e);
}

static void closing_the_last_reference_deletes_the_partition(void **state)
{
	struct env e;
	uint8_t buf[V2_SIZE];
	long fd;
	int dup_fd;

	(void)state;
	env_up(&e, KSHIM_ABI_NESTED_SMT);
	v2_args(buf, 0);
	fd = create(&e, buf);
	assert_true(fd >= 0);
	dup_fd = kshim_dup(e.k, (int)fd);
	assert_true(dup_fd >= 0);
	assert_int_equal(kshim_close(e.k, (int)fd), 0);
	assert_int_equal(hv_partition_count(e.hv), 1);
	assert_int_equal(kshim_ioctl(e.k, dup_fd, 0xB800, 0), 0);	/* INITIALIZE */
	assert_int_equal(kshim_close(e.k, dup_fd), 0);
	assert_int_equal(hv_partition_count(e.hv), 0);
	assert_int_equal(kshim_close(e.k, dup_fd), -EBADF);
	env_down(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v1_struct_ending_at_an_unmapped_page_is_accepted),
		cmocka_unit_test(v1_path_sends_all_zeros_and_reads_16_bytes),
		cmocka_unit_test(bank_counts_other_than_two_are_einval),
		cmocka_unit_test(each_nonzero_reserved_byte_is_einval),
		cmocka_unit_test(flags_outside_each_level_mask_are_einval),
		cmocka_unit_test(isolation_other_than_none_is_einval),
		cmocka_unit_test(bank_and_xsave_values_reach_the_hypervisor_verbatim),
		cmocka_unit_test(invalid_values_after_the_second_copy_are_einval),
		cmocka_unit_test(values_come_from_the_second_copy),
		cmocka_unit_test(creation_flags_map_on_every_level),
		cmocka_unit_test(hypervisor_refusals_become_errnos),
		cmocka_unit_test(insufficient_memory_is_deposited_and_retried),
		cmocka_unit_test(closing_the_last_reference_deletes_the_partition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
