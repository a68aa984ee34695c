// SPDX-License-Identifier: MIT
/*
 * MSHV_ROOT_HVCALL through the real ioctl entry (kshim_ioctl) on all three
 * kinds of descriptor -- /dev/mshv, a partition, a VP -- into the
 * hypervisor model: the argument checks, faults on every user buffer,
 * the per-descriptor allow-lists, the partition id the driver forces into
 * the input, the status and reps written back (on failure too), the
 * deposit-and-retry loop, rep calls, and the exact size of the output
 * copied back.
 *
 * The argument and the hypercall inputs are built as raw bytes at the
 * reference's offsets (kernel_harness.h), so this file does not depend on
 * the headers under test. What reaches the hypervisor is seen through the
 * shim's hypercall hook (control word and input page) and the model's trace.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "kernel_harness.h"

/* The control word of the one-page deposit of the driver's retry loop. */
#define DEPOSIT_ONE_PAGE	(HC_DEPOSIT_MEMORY | 1ULL << REP_COUNT_SHIFT)

/* GetVpCpuidValues input: id, vp index, flags, reserved, padding, then leaves. */
static size_t cpuid_input(uint8_t *in, uint32_t vp_index, const uint32_t *leaves, size_t n)
{
	size_t i;

	memset(in, 0, 24 + 24 * n);
	put32(in, 8, vp_index);
	for (i = 0; i < n; i++)
		put32(in, 24 + 24 * i, leaves[i]);	/* eax; ecx, xfem, xss 0 */
	return 24 + 24 * n;
}

static void assert_all(const uint8_t *b, size_t from, size_t to, uint8_t value)
{
	size_t i;

	for (i = from; i < to; i++)
		if (b[i] != value)
			fail_msg("byte %zu is 0x%02x, expected 0x%02x", i, b[i], value);
}

/* User buffers too large for the stack: up to two hypercall pages. */
static _Alignas(8) uint8_t big_in[2 * HV_PAGE], big_out[2 * HV_PAGE];

/* The partition a hypercall through @kind is aimed at. */
static uint64_t target_of(const struct env *e, enum kind kind)
{
	return kind == ON_DEV ? PARTITION_ID_SELF : e->id;
}

/* The guarded page of user memory made read-only, or writable again. */
static void read_only(struct guarded *g, bool ro)
{
	assert_int_equal(mprotect(g->map, g->page, ro ? PROT_READ : PROT_READ | PROT_WRITE), 0);
}

/* --- tests: on an env_setup_vp environment, unless they set up their own -- */

/* The baseline every other test varies: reading the clock frequency. */
static void valid_request_succeeds_on_every_kind(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];
	struct env *e = *state;
	enum kind kind;

	for (kind = ON_DEV; kind < KINDS; kind++) {
		clock_request(arg, in, out);
		assert_int_equal(root_hvcall(e, kind, arg), 0);
		assert_int_equal(get64(out, 0), CLOCK);
		assert_int_equal(get16(arg, HVC_STATUS), ST_SUCCESS);
		assert_int_equal(get16(arg, HVC_REPS), 0);
		/* Read: the 32-byte argument, then in_sz bytes of input. */
		assert_int_equal(e->rec.copies, 2);
		assert_int_equal(e->rec.copy_len[0], HVC_SIZE);
		assert_int_equal(e->rec.copy_len[1], 16);
		assert_int_equal(e->rec.calls, 1);
		assert_int_equal(e->rec.control[0], HC_GET_PROPERTY);
		assert_int_equal(get64(e->rec.input[0], 0), target_of(e, kind));
		assert_int_equal(get32(e->rec.input[0], 8), PROP_CLOCK_FREQUENCY);
	}
}

static void each_malformed_field_alone_is_einval_without_a_hypercall(void **state)
{
	/* One field of a valid argument, at @off, set to @value (@size bytes). */
	static const struct {
		size_t off, size;
		uint64_t value;
	} bad[] = {
		{ HVC_STATUS, 2, 1 }, { HVC_STATUS, 2, 0x8000 }, { HVC_STATUS, 2, 0xFFFF },
		{ HVC_RSVD, 1, 1 }, { HVC_RSVD + 1, 1, 1 }, { HVC_RSVD + 2, 1, 1 },
		{ HVC_RSVD + 3, 1, 1 }, { HVC_RSVD + 4, 1, 1 }, { HVC_RSVD + 5, 1, 1 },
		{ HVC_RSVD + 5, 1, 0x80 },
		{ HVC_IN_PTR, 8, 0 },
		{ HVC_IN_SZ, 2, 0 }, { HVC_IN_SZ, 2, 7 }, { HVC_IN_SZ, 2, 4097 },
		{ HVC_IN_SZ, 2, 0xFFFF },
		{ HVC_OUT_SZ, 2, 0 }, { HVC_OUT_SZ, 2, 4097 }, { HVC_OUT_SZ, 2, 0xFFFF },
	};
	_Alignas(8) uint8_t arg[HVC_SIZE], before[HVC_SIZE];
	struct env *e = *state;
	enum kind kind;
	size_t i;

	/* Sizes up to 0xFFFF are refused before the input is read. */
	for (kind = ON_DEV; kind < KINDS; kind++) {
		for (i = 0; i < ARRAY_LEN(bad); i++) {
			clock_request(arg, big_in, big_out);
			if (bad[i].size == 1)
				arg[bad[i].off] = (uint8_t)bad[i].value;
			else if (bad[i].size == 2)
				put16(arg, bad[i].off, (uint16_t)bad[i].value);
			else
				put64(arg, bad[i].off, bad[i].value);
			memcpy(before, arg, HVC_SIZE);
			if (root_hvcall(e, kind, arg) != -EINVAL)
				fail_msg("%s, case %zu: not EINVAL", kind_name[kind], i);
			if (e->rec.calls != 0)
				fail_msg("%s, case %zu: %u hypercalls", kind_name[kind], i,
					 e->rec.calls);
			assert_int_equal(e->rec.copies, 1);
			assert_memory_equal(arg, before, HVC_SIZE);	/* nothing written back */
		}
	}
}

static void size_boundaries_are_accepted(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE];
	uint8_t *in = big_in, *out = big_out;	/* a page in; a page and 64 bytes out */
	struct env *e = *state;
	enum kind kind;
	size_t i;

	for (kind = ON_DEV; kind < KINDS; kind++) {
		/* in_sz 8: just the id; the property code the model sees is 0 (unknown). */
		memset(in, 0xFF, HV_PAGE);
		hvc(arg, HC_GET_PROPERTY, 0, in, 8, out, 8);
		assert_int_equal(root_hvcall(e, kind, arg), -EIO);
		assert_int_equal(e->rec.calls, 1);
		assert_int_equal(get16(arg, HVC_STATUS), ST_UNKNOWN_PROPERTY);
		assert_int_equal(get64(e->rec.page0, 0), target_of(e, kind));
		assert_all(e->rec.page0, 8, HV_PAGE, 0);

		/* in_sz 4096: every byte after the id reaches the hypervisor. */
		for (i = 0; i < HV_PAGE; i++)
			in[i] = (uint8_t)(i * 7 + 1);
		property_input(in, 0x1234, PROP_CLOCK_FREQUENCY, 0);
		memset(in + 16, 0x5A, 8);
		hvc(arg, HC_GET_PROPERTY, 0, in, 4096, out, 8);
		assert_int_equal(root_hvcall(e, kind, arg), 0);
		assert_int_equal(e->rec.calls, 1);
		assert_int_equal(get64(e->rec.page0, 0), target_of(e, kind));
		assert_memory_equal(e->rec.page0 + 8, in + 8, HV_PAGE - 8);

		/* out_sz 4096: the value, then the rest of the zeroed output page. */
		property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
		memset(out, POISON, HV_PAGE + 64);
		hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 4096);
		assert_int_equal(root_hvcall(e, kind, arg), 0);
		assert_int_equal(get64(out, 0), CLOCK);
		assert_all(out, 8, HV_PAGE, 0);
		assert_all(out, HV_PAGE, HV_PAGE + 64, POISON);
	}
}

static void unreadable_argument_is_efault(void **state)
{
	struct env *e = *state;
	uint8_t *guard = e->guard.end;
	enum kind kind;

	for (kind = ON_DEV; kind < KINDS; kind++) {
		assert_int_equal(root_hvcall(e, kind, NULL), -EFAULT);
		assert_int_equal(e->rec.calls, 0);
		/* In the guard page (PROT_NONE), at its start and inside it. */
		assert_int_equal(root_hvcall(e, kind, guard), -EFAULT);
		assert_int_equal(e->rec.calls, 0);
		assert_int_equal(e->rec.copies, 1);
		assert_int_equal(root_hvcall(e, kind, guard + 256), -EFAULT);
		assert_int_equal(e->rec.calls, 0);
	}
}

static void argument_running_into_a_guard_page_is_efault(void **state)
{
	static const size_t readable[] = { 1, 8, 16, 24, 31 };
	_Alignas(8) uint8_t in[24], out[8], full[HVC_SIZE];
	struct env *e = *state;
	enum kind kind;
	size_t i;

	clock_request(full, in, out);
	for (kind = ON_DEV; kind < KINDS; kind++) {
		for (i = 0; i < ARRAY_LEN(readable); i++) {
			uint8_t *arg = e->guard.end - readable[i];

			memcpy(arg, full, readable[i]);
			assert_int_equal(root_hvcall(e, kind, arg), -EFAULT);
			assert_int_equal(e->rec.calls, 0);
			assert_memory_equal(arg, full, readable[i]);
		}
		/* The whole struct just fits: accepted. */
		memcpy(e->guard.end - HVC_SIZE, full, HVC_SIZE);
		memset(out, POISON, sizeof(out));
		assert_int_equal(root_hvcall(e, kind, e->guard.end - HVC_SIZE), 0);
		assert_int_equal(get64(out, 0), CLOCK);
	}
}

static void unreadable_input_is_efault_without_a_hypercall(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], before[HVC_SIZE], out[8];
	struct env *e = *state;
	/* In the guard page; at its start; or 8 readable bytes, then 8 behind it. */
	uint8_t *const inputs[] = { e->guard.end + 64, e->guard.end, e->guard.end - 8 };
	enum kind kind;
	size_t c;

	put64(e->guard.end - 8, 0, 0);
	for (kind = ON_DEV; kind < KINDS; kind++) {
		for (c = 0; c < ARRAY_LEN(inputs); c++) {
			memset(out, POISON, sizeof(out));
			hvc(arg, HC_GET_PROPERTY, 0, inputs[c], 16, out, 8);
			memcpy(before, arg, HVC_SIZE);
			assert_int_equal(root_hvcall(e, kind, arg), -EFAULT);
			assert_int_equal(e->rec.calls, 0);
			assert_int_equal(e->rec.copies, 2);
			assert_memory_equal(arg, before, HVC_SIZE);	/* nothing written back */
			assert_all(out, 0, sizeof(out), POISON);
		}
	}
}

static void unwritable_output_is_efault_and_the_status_is_still_written_back(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], expect[HVC_SIZE], in[24];
	struct env *e = *state;
	/* Behind the guard; or 4 bytes before it with out_sz 8. */
	uint8_t *const outputs[] = { e->guard.end, e->guard.end - 4 };
	enum kind kind;
	size_t c;

	for (kind = ON_DEV; kind < KINDS; kind++) {
		for (c = 0; c < ARRAY_LEN(outputs); c++) {
			property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
			hvc(arg, HC_GET_PROPERTY, 0, in, 16, outputs[c], 8);
			memcpy(expect, arg, HVC_SIZE);
			/*
			 * The user overwrites the argument while the hypercall runs:
			 * afterwards it holds what the driver wrote back.
			 */
			rec_reset(e);
			e->rec.scribble = arg;
			assert_int_equal(kshim_ioctl(e->k, e->fd[kind], MSHV_ROOT_HVCALL,
						     (unsigned long)arg), -EFAULT);
			assert_int_equal(e->rec.calls, 1);
			assert_memory_equal(arg, expect, HVC_SIZE);
		}
	}
}

static void read_only_argument_is_efault_after_a_successful_call(void **state)
{
	static const struct traced succeeded[] = {
		{ .call = "get_partition_property", .status = ST_SUCCESS },
	};
	_Alignas(8) uint8_t in[24], out[8];
	struct env e;
	enum kind kind;

	(void)state;
	/* GET on each kind: the call succeeds, the write-back faults. */
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	for (kind = ON_DEV; kind < KINDS; kind++) {
		uint8_t *arg = e.guard.map;

		read_only(&e.guard, false);
		clock_request(arg, in, out);
		read_only(&e.guard, true);
		trace_on(&e);
		assert_int_equal(root_hvcall(&e, kind, arg), -EFAULT);
		expect_trace(&e, target_of(&e, kind), succeeded, 1);
		assert_all(out, 0, sizeof(out), POISON);	/* output not copied */

		/* A failing call: EFAULT replaces the hypercall's errno. */
		read_only(&e.guard, false);
		property_input(in, 0, 0x7777, 0);
		hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
		read_only(&e.guard, true);
		assert_int_equal(root_hvcall(&e, kind, arg), -EFAULT);
		assert_int_equal(e.rec.calls, 1);
	}
	env_down(&e);

	/* SET on a partition fd: the property is set although the ioctl says EFAULT. */
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_PT);
	property_input(in, 0, PROP_DISABLED_FEATURES_EX, 0x5);
	hvc(e.guard.map, HC_SET_PROPERTY, 0, in, 24, NULL, 0);
	read_only(&e.guard, true);
	assert_int_equal(root_hvcall(&e, ON_PT, e.guard.map), -EFAULT);
	assert_int_equal(e.rec.calls, 1);
	assert_int_equal(info_of(&e).disabled_bank2, 0x5);
	env_down(&e);
}

/*
 * Linux's list: a partition fd has 14 calls, a VP fd the same but
 * SET_PARTITION_PROPERTY (asynchronous), /dev/mshv the two reads.
 */
#define MAX_ALLOWED	14
#define GUEST_CALLS								\
	HC_GET_PROPERTY, HC_INSTALL_INTERCEPT, HC_GET_VP_REGISTERS,		\
	HC_SET_VP_REGISTERS, HC_TRANSLATE_VA, HC_CLEAR_INTERRUPT,		\
	HC_REGISTER_INTERCEPT_RESULT, HC_ASSERT_INTERRUPT, HC_SIGNAL_EVENT_DIRECT, \
	HC_POST_MESSAGE_DIRECT, HC_GET_GPA_ACCESS_STATES, HC_GET_VP_CPUID_VALUES, \
	HC_GET_PROPERTY_EX

/* Every code 0..0x1FF on each kind: exactly the allowed ones reach the hypervisor. */
static void only_allowed_codes_reach_the_hypervisor(void **state)
{
	static const uint16_t allowed[KINDS][MAX_ALLOWED] = {
		[ON_DEV] = { HC_GET_PROPERTY, HC_GET_PROPERTY_EX },
		[ON_PT] = { GUEST_CALLS, HC_SET_PROPERTY },
		[ON_VP] = { GUEST_CALLS },
	};
	_Alignas(8) uint8_t arg[HVC_SIZE], before[HVC_SIZE], in[24];
	unsigned int code, passed[KINDS] = { 0 };
	struct env *e = *state;
	enum kind kind;

	for (kind = ON_DEV; kind < KINDS; kind++) {
		for (code = 0; code <= 0x1FF; code++) {
			bool ok = false;
			long ret;
			size_t i;

			for (i = 0; i < MAX_ALLOWED; i++)
				ok |= allowed[kind][i] && allowed[kind][i] == code;
			property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
			hvc(arg, (uint16_t)code, 0, in, 16, big_out, HV_PAGE);
			memcpy(before, arg, HVC_SIZE);
			ret = root_hvcall(e, kind, arg);
			if (!ok) {
				if (ret != -EINVAL || e->rec.calls != 0)
					fail_msg("%s: code 0x%x: %ld with %u hypercalls, expected "
						 "EINVAL and none", kind_name[kind], code, ret,
						 e->rec.calls);
				assert_memory_equal(arg, before, HVC_SIZE);
				continue;
			}
			if (e->rec.calls != 1 || e->rec.control[0] != code)
				fail_msg("%s: allowed code 0x%x: %u hypercalls (first 0x%llx)",
					 kind_name[kind], code, e->rec.calls,
					 (unsigned long long)e->rec.control[0]);
			assert_int_equal(get64(e->rec.input[0], 0), target_of(e, kind));
			passed[kind]++;
		}
	}
	assert_int_equal(passed[ON_DEV], 2);
	assert_int_equal(passed[ON_PT], 14);
	assert_int_equal(passed[ON_VP], 13);
}

/*
 * A VP-targeted call keeps the VP index the VMM wrote: only the partition
 * id is forced. From the partition fd or any VP's fd, GetVpRegisters
 * reaches the VP it names; a VP that does not exist is the hypervisor's
 * INVALID_VP_INDEX.
 */
static void vp_targeted_input_keeps_its_vp_index(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], in[20], out[16];
	struct env *e = *state;
	static const struct {
		enum kind kind;
		uint32_t vp_index;
		long ret;
		uint16_t status;
		uint64_t rip;
	} cases[] = {
		{ ON_PT, 5, 0, ST_SUCCESS, 0xFFF0 },
		{ ON_VP, 5, 0, ST_SUCCESS, 0xFFF0 },	/* VP 0's fd, VP 5's registers */
		{ ON_PT, 7, -EINVAL, ST_INVALID_VP_INDEX, 0 },
		{ ON_VP, 7, -EINVAL, ST_INVALID_VP_INDEX, 0 },
	};
	long fd = create_vp(e, 5);
	size_t i;

	assert_true(fd >= 0);
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		memset(in, 0, sizeof(in));
		put64(in, 0, 0xDEADBEEFULL);
		put32(in, 8, cases[i].vp_index);
		put32(in, 16, 0x00020010);		/* RIP */
		memset(out, POISON, sizeof(out));
		hvc(arg, HC_GET_VP_REGISTERS, 1, in, sizeof(in), out, sizeof(out));
		assert_int_equal(root_hvcall(e, cases[i].kind, arg), cases[i].ret);
		assert_int_equal(get16(arg, HVC_STATUS), cases[i].status);
		assert_int_equal(e->rec.calls, 1);
		assert_int_equal(get64(e->rec.input[0], 0), e->id);
		assert_int_equal(get32(e->rec.input[0], 8), cases[i].vp_index);
		if (!cases[i].ret)
			assert_int_equal(get64(out, 0), cases[i].rip);
	}
	assert_int_equal(kshim_close(e->k, (int)fd), 0);
}

/* SET_PARTITION_PROPERTY: the partition fd only (not a VP fd, not /dev/mshv). */
static void only_the_partition_fd_sets_partition_properties(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], before[HVC_SIZE], in[24];
	struct env e;

	(void)state;
	/* Before initialize, the early property can be set, from the partition fd. */
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_PT);
	property_input(in, 0, PROP_DISABLED_FEATURES_EX, 0x5);
	hvc(arg, HC_SET_PROPERTY, 0, in, 24, NULL, 0);
	assert_int_equal(root_hvcall(&e, ON_DEV, arg), -EINVAL);
	assert_int_equal(e.rec.calls, 0);
	assert_int_equal(root_hvcall(&e, ON_PT, arg), 0);
	assert_int_equal(e.rec.calls, 1);
	assert_int_equal(e.rec.control[0], HC_SET_PROPERTY);
	assert_int_equal(get64(e.rec.input[0], 16), 0x5);
	assert_int_equal(info_of(&e).disabled_bank2, 0x5);
	/* A read-only property: the hypervisor's ACCESS_DENIED comes back. */
	property_input(in, 0, PROP_CLOCK_FREQUENCY, 1);
	hvc(arg, HC_SET_PROPERTY, 0, in, 24, NULL, 0);
	assert_int_equal(root_hvcall(&e, ON_PT, arg), -EIO);
	assert_int_equal(get16(arg, HVC_STATUS), ST_ACCESS_DENIED);
	env_down(&e);

	/* A VP fd may not: EINVAL from the driver, the hypervisor never asked. */
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_VP);
	property_input(in, 0, PROP_DISABLED_FEATURES_EX, 0x7);
	hvc(arg, HC_SET_PROPERTY, 0, in, 24, NULL, 0);
	memcpy(before, arg, HVC_SIZE);
	assert_int_equal(root_hvcall(&e, ON_VP, arg), -EINVAL);
	assert_int_equal(e.rec.calls, 0);
	assert_memory_equal(arg, before, HVC_SIZE);
	assert_int_equal(info_of(&e).disabled_bank2, 0);
	/* The same request on the partition fd reaches it (too late: initialized). */
	assert_int_equal(root_hvcall(&e, ON_PT, arg), -EIO);
	assert_int_equal(e.rec.calls, 1);
	assert_int_equal(get16(arg, HVC_STATUS), ST_INVALID_PARTITION_STATE);
	env_down(&e);
}

static void dev_hvcall_before_6_19_is_enotty_and_reads_nothing(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], before[HVC_SIZE], in[24], out[8];
	struct env e;
	enum kind kind;

	(void)state;
	env_up(&e, KSHIM_ABI_V1_ONLY, ENV_VP);
	clock_request(arg, in, out);
	memcpy(before, arg, HVC_SIZE);
	assert_int_equal(root_hvcall(&e, ON_DEV, arg), -ENOTTY);
	assert_int_equal(e.rec.copies, 0);
	assert_int_equal(e.rec.calls, 0);
	assert_memory_equal(arg, before, HVC_SIZE);
	assert_int_equal(root_hvcall(&e, ON_DEV, NULL), -ENOTTY);
	assert_int_equal(e.rec.copies, 0);
	/* Partition and VP descriptors have it on every level. */
	for (kind = ON_PT; kind < KINDS; kind++) {
		memset(out, POISON, sizeof(out));
		assert_int_equal(root_hvcall(&e, kind, arg), 0);
		assert_int_equal(get64(out, 0), CLOCK);
	}
	env_down(&e);

	/* From 6.19 (cpu-features) on, /dev/mshv has it. */
	env_up(&e, KSHIM_ABI_CPU_FEATURES, ENV_DEV);
	memset(out, POISON, sizeof(out));
	assert_int_equal(root_hvcall(&e, ON_DEV, arg), 0);
	assert_int_equal(e.rec.copies, 2);
	assert_int_equal(get64(out, 0), CLOCK);
	env_down(&e);
}

static void first_input_word_is_the_target_partition_id(void **state)
{
	static const uint64_t claimed[] = { 0xDEADBEEFCAFEF00DULL, 0, PARTITION_ID_SELF, 1 };
	static const uint16_t sizes[] = { 12, 16, 40 };
	_Alignas(8) uint8_t arg[HVC_SIZE], in[64], out[8];
	struct env *e = *state;
	enum kind kind;
	size_t i, s;

	for (kind = ON_DEV; kind < KINDS; kind++) {
		for (i = 0; i < ARRAY_LEN(claimed); i++) {
			for (s = 0; s < ARRAY_LEN(sizes); s++) {
				memset(in, 0xFF, sizeof(in));	/* beyond in_sz */
				property_input(in, claimed[i], PROP_CLOCK_FREQUENCY, 0);
				if (sizes[s] > 16)
					memset(in + 16, 0x5A, sizes[s] - 16u);
				hvc(arg, HC_GET_PROPERTY, 0, in, sizes[s], out, 8);
				assert_int_equal(root_hvcall(e, kind, arg), 0);
				assert_int_equal(e->rec.calls, 1);
				assert_int_equal(get64(e->rec.page0, 0), target_of(e, kind));
				assert_memory_equal(e->rec.page0 + 8, in + 8, sizes[s] - 8u);
				assert_all(e->rec.page0, sizes[s], HV_PAGE, 0);
				/* The user's own input is left as it was. */
				assert_int_equal(get64(in, 0), claimed[i]);
				assert_int_equal(get64(out, 0), CLOCK);
			}
		}
	}
}

static void hypervisor_failures_write_the_status_back(void **state)
{
	static const struct {
		uint16_t status;
		int err;
	} injected[] = {
		{ 0x0001, EIO }, { 0x0002, EINVAL }, { 0x0003, EINVAL }, { 0x0004, EIO },
		{ 0x0005, EINVAL }, { 0x0006, EIO }, { 0x0007, EIO }, { 0x0008, EIO },
		{ 0x0009, EIO }, { 0x000A, EIO }, { 0x000D, EINVAL }, { 0x000E, EINVAL },
		{ 0x0010, EIO }, { 0x0020, EIO }, { 0x0037, EIO }, { 0xFFFF, EIO },
	};
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];
	struct env *e = *state;
	enum kind kind;
	size_t i;

	for (kind = ON_DEV; kind < KINDS; kind++) {
		/* A property the hypervisor does not know: UNKNOWN_PROPERTY -> EIO. */
		property_input(in, 0, 0x12345, 0);
		memset(out, POISON, sizeof(out));
		hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
		assert_int_equal(root_hvcall(e, kind, arg), -EIO);
		assert_int_equal(get16(arg, HVC_STATUS), ST_UNKNOWN_PROPERTY);
		assert_int_equal(get16(arg, HVC_REPS), 0);
		assert_all(out, 0, sizeof(out), POISON);	/* output not copied */

		/* Non-zero padding: INVALID_PARAMETER -> EINVAL. */
		property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
		put32(in, 12, 1);
		hvc(arg, HC_GET_PROPERTY_EX, 0, in, 16, out, 8);
		assert_int_equal(root_hvcall(e, kind, arg), -EINVAL);
		assert_int_equal(e->rec.calls, 1);
		assert_int_equal(get16(arg, HVC_STATUS), ST_INVALID_PARAMETER);
		assert_all(out, 0, sizeof(out), POISON);

		/* Whatever the hypervisor says, verbatim, and its errno. */
		for (i = 0; i < ARRAY_LEN(injected); i++) {
			clock_request(arg, in, out);
			hv_inject_status(e->hv, HC_GET_PROPERTY, injected[i].status, 1);
			if (root_hvcall(e, kind, arg) != -injected[i].err)
				fail_msg("%s: status 0x%x: wrong errno", kind_name[kind],
					 injected[i].status);
			assert_int_equal(e->rec.calls, 1);
			assert_int_equal(get16(arg, HVC_STATUS), injected[i].status);
		}
	}
}

static void missing_output_reaches_the_hypervisor_as_null(void **state)
{
	static const uint16_t out_sizes[] = { 0, 8, 0xFFFF };	/* ignored without out_ptr */
	static const struct traced refused[] = {
		{ .call = "get_partition_property", .status = ST_INVALID_HYPERCALL_INPUT },
	};
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24];
	struct env *e = *state;
	enum kind kind;
	size_t i;

	for (kind = ON_DEV; kind < KINDS; kind++) {
		for (i = 0; i < ARRAY_LEN(out_sizes); i++) {
			property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
			hvc(arg, HC_GET_PROPERTY, 0, in, 16, NULL, out_sizes[i]);
			trace_on(e);
			assert_int_equal(root_hvcall(e, kind, arg), -EINVAL);
			expect_trace(e, target_of(e, kind), refused, 1);
			assert_int_equal(e->rec.calls, 1);
			assert_int_equal(get16(arg, HVC_STATUS), ST_INVALID_HYPERCALL_INPUT);
			assert_int_equal(get16(arg, HVC_OUT_SZ), out_sizes[i]);
		}
	}
}

static void insufficient_memory_is_deposited_and_retried(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];
	struct traced retried[5];
	struct env *e = *state;
	enum kind kind;
	uint64_t before;
	size_t i, n;

	/* Twice: INSUFFICIENT_MEMORY, a one-page deposit; then the value. */
	n = deposit_retries(retried, "get_partition_property", 2);
	for (kind = ON_DEV; kind < KINDS; kind++) {
		clock_request(arg, in, out);
		before = hv_deposited_pages(e->hv);
		hv_inject_status(e->hv, HC_GET_PROPERTY, ST_INSUFFICIENT_MEMORY, 2);
		trace_on(e);
		assert_int_equal(root_hvcall(e, kind, arg), 0);
		expect_trace(e, target_of(e, kind), retried, n);
		assert_int_equal(hv_deposited_pages(e->hv) - before, 2);
		assert_int_equal(get64(out, 0), CLOCK);
		assert_int_equal(get16(arg, HVC_STATUS), ST_SUCCESS);

		/* Every attempt carries the same input. */
		assert_int_equal(e->rec.calls, 5);
		for (i = 0; i < 5; i++) {
			assert_int_equal(e->rec.control[i], i % 2 ? DEPOSIT_ONE_PAGE : HC_GET_PROPERTY);
			assert_int_equal(get64(e->rec.input[i], 0), target_of(e, kind));
			if (i % 2 == 0)
				assert_int_equal(get32(e->rec.input[i], 8), PROP_CLOCK_FREQUENCY);
		}
	}
}

static void failed_deposit_ends_the_retry_with_its_errno(void **state)
{
	static const struct {
		uint16_t status;
		int err;
	} deposit[] = { { ST_ACCESS_DENIED, EIO }, { ST_INVALID_PARAMETER, EINVAL } };
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];
	struct env *e = *state;
	enum kind kind;
	uint64_t before;
	size_t i;

	for (kind = ON_DEV; kind < KINDS; kind++) {
		for (i = 0; i < ARRAY_LEN(deposit); i++) {
			const struct traced failed[] = {
				{ .call = "get_partition_property",
				  .status = ST_INSUFFICIENT_MEMORY },
				{ .call = "deposit_memory", .status = deposit[i].status },
			};

			clock_request(arg, in, out);
			before = hv_deposited_pages(e->hv);
			hv_inject_status(e->hv, HC_GET_PROPERTY, ST_INSUFFICIENT_MEMORY, 1);
			hv_inject_status(e->hv, HC_DEPOSIT_MEMORY, deposit[i].status, 1);
			trace_on(e);
			assert_int_equal(root_hvcall(e, kind, arg), -deposit[i].err);
			expect_trace(e, target_of(e, kind), failed, ARRAY_LEN(failed));
			/* The status of the last hypercall that was passed through. */
			assert_int_equal(get16(arg, HVC_STATUS), ST_INSUFFICIENT_MEMORY);
			assert_int_equal(get16(arg, HVC_REPS), 0);
			assert_all(out, 0, sizeof(out), POISON);
			assert_int_equal(hv_deposited_pages(e->hv), before);
		}
	}
}

static void rep_call_returns_every_rep(void **state)
{
	static const uint32_t leaves[] = { 0x40000000, 0x40000001 };
	const uint64_t control = HC_GET_VP_CPUID_VALUES | 2ULL << REP_COUNT_SHIFT;
	_Alignas(8) uint8_t arg[HVC_SIZE], in[96], out[48];
	struct traced traced[3];
	struct env *e = *state;
	enum kind kind;
	size_t in_sz;
	unsigned int retry;

	for (kind = ON_PT; kind <= ON_VP; kind++) {
		for (retry = 0; retry < 2; retry++) {
			in_sz = cpuid_input(in, 0, leaves, 2);
			memset(out, POISON, sizeof(out));
			hvc(arg, HC_GET_VP_CPUID_VALUES, 2, in, (uint16_t)in_sz, out, 32);
			if (retry)
				hv_inject_status(e->hv, HC_GET_VP_CPUID_VALUES,
						 ST_INSUFFICIENT_MEMORY, 1);
			trace_on(e);
			assert_int_equal(root_hvcall(e, kind, arg), 0);
			/* Once; or refused, one page deposited, and again. */
			expect_trace(e, e->id, traced,
				     deposit_retries(traced, "get_vp_cpuid_values", retry));
			assert_int_equal(get16(arg, HVC_REPS), 2);
			assert_int_equal(get16(arg, HVC_STATUS), ST_SUCCESS);
			/* Both leaves: the hypervisor's vendor leaf and its interface. */
			assert_int_equal(get32(out, 0), 0x40000006);
			assert_memory_equal(out + 4, "Microsoft Hv", 12);
			assert_int_equal(get32(out, 16), 0x31237648);	/* "Hv#1" */
			assert_all(out, 20, 32, 0);
			assert_all(out, 32, sizeof(out), POISON);
			assert_int_equal(e->rec.calls, retry ? 3 : 1);
			assert_int_equal(e->rec.control[0], control);
			if (retry) {
				assert_int_equal(e->rec.control[1], DEPOSIT_ONE_PAGE);
				assert_int_equal(e->rec.control[2], control);
			}
		}
	}
}

static void reps_on_a_simple_call_are_refused_by_the_hypervisor(void **state)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];
	struct env *e = *state;
	enum kind kind;

	for (kind = ON_DEV; kind < KINDS; kind++) {
		property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
		memset(out, POISON, sizeof(out));
		hvc(arg, HC_GET_PROPERTY, 1, in, 16, out, 8);
		assert_int_equal(root_hvcall(e, kind, arg), -EINVAL);
		assert_int_equal(e->rec.calls, 1);
		assert_int_equal(e->rec.control[0], HC_GET_PROPERTY | 1ULL << REP_COUNT_SHIFT);
		assert_int_equal(get16(arg, HVC_STATUS), ST_INVALID_HYPERCALL_INPUT);
		assert_int_equal(get16(arg, HVC_REPS), 0);
		assert_all(out, 0, sizeof(out), POISON);
	}
}

static void output_is_copied_back_as_exactly_out_sz_bytes(void **state)
{
	static const uint16_t sizes[] = { 1, 5, 7, 8, 9, 16, 33 };
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[64], clock[8];
	struct env *e = *state;
	enum kind kind;
	size_t s, n;

	put64(clock, 0, CLOCK);
	for (kind = ON_DEV; kind < KINDS; kind++) {
		for (s = 0; s < ARRAY_LEN(sizes); s++) {
			property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
			memset(out, POISON, sizeof(out));
			hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, sizes[s]);
			assert_int_equal(root_hvcall(e, kind, arg), 0);
			n = sizes[s] < 8 ? sizes[s] : 8;
			assert_memory_equal(out, clock, n);
			assert_all(out, n, sizes[s], 0);	/* the zeroed output page */
			assert_all(out, sizes[s], sizeof(out), POISON);
		}
		/* The same through GET_PARTITION_PROPERTY_EX. */
		property_input(in, 0, PROP_FEATURE_BANK_COUNT, 0);
		memset(out, POISON, sizeof(out));
		hvc(arg, HC_GET_PROPERTY_EX, 0, in, 16, out, 3);
		assert_int_equal(root_hvcall(e, kind, arg), 0);
		assert_int_equal(out[0], 3);		/* the model's default bank count */
		assert_all(out, 1, 3, 0);
		assert_all(out, 3, sizeof(out), POISON);
	}
}

#define ON_VP_ENV(test) cmocka_unit_test_setup_teardown(test, env_setup_vp, env_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		ON_VP_ENV(valid_request_succeeds_on_every_kind),
		ON_VP_ENV(each_malformed_field_alone_is_einval_without_a_hypercall),
		ON_VP_ENV(size_boundaries_are_accepted),
		ON_VP_ENV(unreadable_argument_is_efault),
		ON_VP_ENV(argument_running_into_a_guard_page_is_efault),
		ON_VP_ENV(unreadable_input_is_efault_without_a_hypercall),
		ON_VP_ENV(unwritable_output_is_efault_and_the_status_is_still_written_back),
		cmocka_unit_test(read_only_argument_is_efault_after_a_successful_call),
		ON_VP_ENV(only_allowed_codes_reach_the_hypervisor),
		ON_VP_ENV(vp_targeted_input_keeps_its_vp_index),
		cmocka_unit_test(only_the_partition_fd_sets_partition_properties),
		cmocka_unit_test(dev_hvcall_before_6_19_is_enotty_and_reads_nothing),
		ON_VP_ENV(first_input_word_is_the_target_partition_id),
		ON_VP_ENV(hypervisor_failures_write_the_status_back),
		ON_VP_ENV(missing_output_reaches_the_hypervisor_as_null),
		ON_VP_ENV(insufficient_memory_is_deposited_and_retried),
		ON_VP_ENV(failed_deposit_ends_the_retry_with_its_errno),
		ON_VP_ENV(rep_call_returns_every_rep),
		ON_VP_ENV(reps_on_a_simple_call_are_refused_by_the_hypervisor),
		ON_VP_ENV(output_is_copied_back_as_exactly_out_sz_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
