// SPDX-License-Identifier: MIT
/*
 * MSHV_GET_VP_STATE and MSHV_SET_VP_STATE through the real ioctl entry
 * (kshim_ioctl) into the hypervisor model: every component's round trip
 * (LAPIC, XSAVE, SIM and SIEF pages by page, the synthetic timers inline),
 * what reaches the hypervisor (GetVpState/SetVpState with the VP's index,
 * the frame numbers or the inline bytes, and for XSAVE the two property
 * reads first), the size written back in buf_sz, and every refusal in the
 * order Linux makes its checks, with the errno Linux gives.
 *
 * The argument {u8 type, u8 rsvd[3], u32 buf_sz, u64 buf_ptr} and the
 * hypercall layouts are the reference's, written out here as offsets.
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

#define MSHV_GET_VP_STATE	0xC010B801U
#define MSHV_SET_VP_STATE	0xC010B802U

/* struct mshv_get_set_vp_state: 16 bytes. */
#define VPS_SIZE	16
#define VPS_TYPE	0	/* u8 */
#define VPS_RSVD	1	/* 3 bytes */
#define VPS_BUF_SZ	4	/* u32 */
#define VPS_BUF_PTR	8	/* u64 */

enum { LAPIC, XSAVE, SIMP, SIEFP, TIMERS, TYPES };

/* GetVpState/SetVpState input: id, VP index, VTL..., state type @16, XSAVE flags, states. */
#define IN_VP_INDEX	8
#define IN_TYPE		16
#define IN_XSAVE_FLAGS	24
#define IN_XSAVE_STATES	32
#define IN_DATA		40
#define VARHEAD_SHIFT	17

#define PROP_XSAVE_STATES		0x00060007U
#define PROP_MAX_XSAVE_DATA_SIZE	0x00060008U

/* The largest number of frames one GetVpState can name: (4096 - 40) / 8. */
#define BATCH	507

/* --- buffers --------------------------------------------------------------- */

static uint8_t *map_pages(size_t n)
{
	uint8_t *p = mmap(NULL, n * HV_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	return p;
}

static void unmap_pages(uint8_t *p, size_t n)
{
	assert_int_equal(munmap(p, n * HV_PAGE), 0);
}

static void vps_arg(uint8_t *arg, uint8_t type, uint32_t buf_sz, const void *buf)
{
	memset(arg, 0, VPS_SIZE);
	arg[VPS_TYPE] = type;
	put32(arg, VPS_BUF_SZ, buf_sz);
	put64(arg, VPS_BUF_PTR, (uint64_t)(uintptr_t)buf);
}

static long vp_state(struct env *e, bool set, const uint8_t *arg)
{
	return ioctl_on(e, e->fd[ON_VP], set ? MSHV_SET_VP_STATE : MSHV_GET_VP_STATE,
			(unsigned long)arg);
}

/*
 * The same argument again with buf_sz @buf_sz: the driver overwrote it
 * with the component's size, which is not a whole page for every one.
 */
static long again(struct env *e, bool set, uint8_t *arg, uint32_t buf_sz)
{
	put32(arg, VPS_BUF_SZ, buf_sz);
	return vp_state(e, set, arg);
}

/* The call of @code among those the hook saw, or -1. */
static int call_of(const struct env *e, uint16_t code)
{
	unsigned int i;

	for (i = 0; i < e->rec.calls && i < MAX_CALLS; i++)
		if ((e->rec.control[i] & 0xFFFF) == code)
			return (int)i;
	return -1;
}

/* --- round trips ----------------------------------------------------------- */

static void lapic_round_trips_by_page(void **state)
{
	_Alignas(8) uint8_t arg[VPS_SIZE];
	struct env *e = *state;
	uint8_t *buf = e->guard.map, copy[HV_PAGE];

	memset(buf, POISON, HV_PAGE);
	vps_arg(arg, LAPIC, HV_PAGE, buf);
	put32(arg, VPS_BUF_SZ, 2 * HV_PAGE);		/* more than needed: fine */
	assert_int_equal(vp_state(e, false, arg), -EFAULT);	/* ...but the 2nd page is the guard */
	vps_arg(arg, LAPIC, HV_PAGE, buf);
	trace_on(e);
	assert_int_equal(vp_state(e, false, arg), 0);
	expect_trace(e, e->id, (const struct traced[]){ { "get_vp_state", ST_SUCCESS,
							   "pages", 1 } }, 1);
	assert_int_equal(get32(arg, VPS_BUF_SZ), HV_PAGE);
	assert_int_equal(get32(buf, 0), 0);		/* APIC id: VP 0 */
	assert_int_equal(get32(buf, 4), 0x00050014);	/* version */
	assert_int_equal(buf[200], POISON);		/* the hypervisor wrote 176 bytes */
	/* What went to the hypervisor: one GetVpState, one frame, VP 0, type LAPIC. */
	assert_int_equal(e->rec.calls, 1);
	assert_int_equal(e->rec.control[0], HC_GET_VP_STATE | 1ULL << VARHEAD_SHIFT);
	assert_int_equal(get64(e->rec.input[0], 0), e->id);
	assert_int_equal(get32(e->rec.input[0], IN_VP_INDEX), 0);
	assert_int_equal(get32(e->rec.input[0], IN_TYPE), 0x80000000U);
	assert_true(get64(e->rec.input[0], IN_DATA) != 0);

	/* Change the spurious vector, set, get: the change is kept. */
	put32(buf, 16, 0x1ff);
	memcpy(copy, buf, HV_PAGE);
	assert_int_equal(vp_state(e, true, arg), 0);
	assert_int_equal(e->rec.control[0], HC_SET_VP_STATE | 1ULL << VARHEAD_SHIFT);
	memset(buf, 0, HV_PAGE);
	assert_int_equal(vp_state(e, false, arg), 0);
	assert_memory_equal(buf, copy, 176);
}

/* A VP file reaches its own VP: VP 3's APIC id is 3, and the input says VP 3. */
static void each_vp_file_reaches_its_own_vp(void **state)
{
	_Alignas(8) uint8_t arg[VPS_SIZE];
	struct env *e = *state;
	long fd = create_vp(e, 3);
	int vp0 = e->fd[ON_VP];

	assert_true(fd >= 0);
	e->fd[ON_VP] = (int)fd;
	vps_arg(arg, LAPIC, HV_PAGE, e->guard.map);
	assert_int_equal(vp_state(e, false, arg), 0);
	assert_int_equal(get32(e->rec.input[0], IN_VP_INDEX), 3);
	assert_int_equal(get32(e->guard.map, 0), 3);
	e->fd[ON_VP] = vp0;
	assert_int_equal(kshim_close(e->k, (int)fd), 0);
}

static void xsave_reads_the_partitions_size_first(void **state)
{
	static const struct traced reads[] = {
		{ "get_partition_property", ST_SUCCESS, NULL, 0 },
		{ "get_partition_property", ST_SUCCESS, NULL, 0 },
		{ "get_vp_state", ST_SUCCESS, "pages", 1 },
	};
	_Alignas(8) uint8_t arg[VPS_SIZE];
	struct env *e = *state;
	uint8_t *buf = e->guard.map;

	/* This host offers nothing: legacy x87 and SSE, a 576-byte area. */
	vps_arg(arg, XSAVE, HV_PAGE, buf);
	trace_on(e);
	assert_int_equal(vp_state(e, false, arg), 0);
	expect_trace(e, e->id, reads, ARRAY_LEN(reads));
	assert_int_equal(get32(arg, VPS_BUF_SZ), 576);
	assert_int_equal(get32(e->rec.input[0], 8), PROP_XSAVE_STATES);
	assert_int_equal(get32(e->rec.input[1], 8), PROP_MAX_XSAVE_DATA_SIZE);
	assert_int_equal(get32(e->rec.input[2], IN_TYPE), 0x80000001U);
	assert_int_equal(get64(e->rec.input[2], IN_XSAVE_FLAGS), 0);
	assert_int_equal(get64(e->rec.input[2], IN_XSAVE_STATES), 0x3);
	assert_int_equal(get16(buf, 0), 0x037F);		/* FCW */
	assert_int_equal(get64(buf, 520), 1ULL << 63 | 0x3);	/* XCOMP_BV: compacted */
	/* The image goes back in, changed; buf_sz (576 now) is not a page: EINVAL. */
	put16(buf, 0, 0x027F);
	assert_int_equal(vp_state(e, true, arg), -EINVAL);
	assert_int_equal(again(e, true, arg, HV_PAGE), 0);
	memset(buf, 0, HV_PAGE);
	assert_int_equal(again(e, false, arg, HV_PAGE), 0);
	assert_int_equal(get16(buf, 0), 0x027F);
}

/* With AMX the area outgrows a page: EINVAL says how much, then it fits. */
static void xsave_larger_than_the_buffer_is_einval_with_its_size(void **state)
{
	struct hv_host_config c = {
		.arch = HV_ARCH_X86_64,
		.vendor = HV_PROCESSOR_VENDOR_INTEL,
		.offered = { ~0ULL, ~0ULL, ~0ULL, ~0ULL },
		.clock_frequency = CLOCK,
	};
	_Alignas(8) uint8_t arg[VPS_SIZE];
	uint8_t *buf = map_pages(3);
	uint32_t size;
	struct env e;

	(void)state;
	env_up_host(&e, &c, KSHIM_ABI_NESTED_SMT, ENV_VP);
	vps_arg(arg, XSAVE, HV_PAGE, buf);
	assert_int_equal(vp_state(&e, false, arg), -EINVAL);
	size = get32(arg, VPS_BUF_SZ);
	assert_true(size > 2 * HV_PAGE);
	assert_int_equal(call_of(&e, HC_GET_VP_STATE), -1);
	assert_int_equal(e.rec.calls, 2);		/* the two property reads */
	assert_int_equal(again(&e, false, arg, 3 * HV_PAGE), 0);
	assert_int_equal(get32(arg, VPS_BUF_SZ), size);
	assert_int_equal(e.rec.control[2], HC_GET_VP_STATE | 3ULL << VARHEAD_SHIFT);
	assert_int_equal(again(&e, true, arg, 3 * HV_PAGE), 0);
	env_down(&e);
	unmap_pages(buf, 3);
}

static void synic_pages_round_trip(void **state)
{
	_Alignas(8) uint8_t arg[VPS_SIZE];
	struct env *e = *state;
	uint8_t *buf = e->guard.map;
	int type;

	for (type = SIMP; type <= SIEFP; type++) {
		memset(buf, 0x40 + type, HV_PAGE);
		vps_arg(arg, (uint8_t)type, HV_PAGE, buf);
		assert_int_equal(vp_state(e, true, arg), 0);
		assert_int_equal(get32(e->rec.input[0], IN_TYPE), 0x80000000U | (uint32_t)type);
		memset(buf, 0, HV_PAGE);
		assert_int_equal(vp_state(e, false, arg), 0);
		assert_int_equal(buf[0], 0x40 + type);
		assert_int_equal(buf[HV_PAGE - 1], 0x40 + type);
	}
}

/* 200 bytes in the hypercall pages, not by frame. */
static void synthetic_timers_travel_inline(void **state)
{
	_Alignas(8) uint8_t arg[VPS_SIZE];
	struct env *e = *state;
	uint8_t *buf = e->guard.map;

	memset(buf, POISON, HV_PAGE);
	vps_arg(arg, TIMERS, HV_PAGE, buf);
	assert_int_equal(vp_state(e, false, arg), 0);
	assert_int_equal(get32(arg, VPS_BUF_SZ), 200);
	assert_int_equal(e->rec.control[0], HC_GET_VP_STATE);	/* no frames */
	assert_int_equal(get32(e->rec.input[0], IN_TYPE), 4);
	assert_int_equal(get64(buf, 8), 0);			/* timer 0's config */
	assert_int_equal(buf[200], POISON);
	put64(buf, 40 + 8, 0x30009);				/* timer 1's config */
	assert_int_equal(again(e, true, arg, HV_PAGE), 0);
	assert_int_equal(e->rec.control[0], HC_SET_VP_STATE | 25ULL << VARHEAD_SHIFT);
	assert_int_equal(get64(e->rec.page0, IN_DATA + 48), 0x30009);
	memset(buf, 0, 200);
	assert_int_equal(again(e, false, arg, HV_PAGE), 0);
	assert_int_equal(get64(buf, 48), 0x30009);
	/* A value the hypervisor refuses: its status's errno. */
	put64(buf, 8, 1ULL << 13);
	trace_on(e);
	assert_int_equal(again(e, true, arg, HV_PAGE), -EINVAL);
	expect_trace(e, e->id, (const struct traced[]){ { "set_vp_state", ST_INVALID_PARAMETER,
							   "bytes", 200 } }, 1);
}

/* --- refusals -------------------------------------------------------------- */

/* Each malformed field alone: EINVAL, nothing asked, buf_sz left as it was. */
static void malformed_arguments_are_einval(void **state)
{
	_Alignas(8) uint8_t arg[VPS_SIZE];
	struct env *e = *state;
	uint8_t *buf = e->guard.map;
	unsigned int i, before;
	int set;

	for (set = 0; set < 2; set++) {
		for (i = 0; i < 7; i++) {
			vps_arg(arg, LAPIC, HV_PAGE, buf);
			switch (i) {
			case 0:
				arg[VPS_TYPE] = TYPES;
				break;
			case 1:
			case 2:
			case 3:
				arg[VPS_RSVD + i - 1] = 1;
				break;
			case 4:
				put32(arg, VPS_BUF_SZ, 0);
				break;
			case 5:
				put32(arg, VPS_BUF_SZ, HV_PAGE + 8);
				break;
			default:
				put64(arg, VPS_BUF_PTR, (uint64_t)(uintptr_t)buf + 8);
				break;
			}
			before = get32(arg, VPS_BUF_SZ);
			assert_int_equal(vp_state(e, set, arg), -EINVAL);
			assert_int_equal(e->rec.calls, 0);
			assert_int_equal(get32(arg, VPS_BUF_SZ), before);
		}
	}
	/* Type 0xFF too (a u8 beyond the count). */
	vps_arg(arg, 0xFF, HV_PAGE, buf);
	assert_int_equal(vp_state(e, false, arg), -EINVAL);
}

static void faults_are_efault(void **state)
{
	_Alignas(8) uint8_t arg[VPS_SIZE];
	struct env *e = *state;
	uint8_t *guarded = e->guard.map;

	/* The argument itself. */
	assert_int_equal(vp_state(e, false, NULL), -EFAULT);
	assert_int_equal(vp_state(e, false, e->guard.end - 8), -EFAULT);
	assert_int_equal(e->rec.calls, 0);
	/* A buffer that leaves user space: before anything is asked. */
	vps_arg(arg, XSAVE, 2 * HV_PAGE, (void *)(uintptr_t)0x7FFFFFFFF000ULL);
	assert_int_equal(vp_state(e, false, arg), -EFAULT);
	assert_int_equal(e->rec.calls, 0);
	assert_int_equal(get32(arg, VPS_BUF_SZ), 2 * HV_PAGE);
	/* Pages not there (the guard page): after buf_sz is written back. */
	vps_arg(arg, SIMP, 2 * HV_PAGE, guarded);
	assert_int_equal(vp_state(e, true, arg), -EFAULT);
	assert_int_equal(get32(arg, VPS_BUF_SZ), HV_PAGE);
	assert_int_equal(e->rec.calls, 0);
}

/* buf_sz is written back before the size check: a read-only argument faults there. */
static void read_only_argument_faults_after_the_property_reads(void **state)
{
	struct env *e = *state;
	uint8_t *arg = e->guard.map, *buf = map_pages(1);

	vps_arg(arg, XSAVE, HV_PAGE, buf);
	assert_int_equal(mprotect(arg, e->guard.page, PROT_READ), 0);
	assert_int_equal(vp_state(e, false, arg), -EFAULT);
	assert_int_equal(e->rec.calls, 2);		/* XSAVE states and size, then the fault */
	assert_int_equal(call_of(e, HC_GET_VP_STATE), -1);
	assert_int_equal(mprotect(arg, e->guard.page, PROT_READ | PROT_WRITE), 0);
	unmap_pages(buf, 1);
}

/* More frames than one hypercall names: EINVAL, unless a page is missing first. */
static void too_many_pages_is_einval(void **state)
{
	_Alignas(8) uint8_t arg[VPS_SIZE];
	struct env *e = *state;
	uint8_t *buf = map_pages(BATCH + 1);

	vps_arg(arg, LAPIC, BATCH * HV_PAGE, buf);
	assert_int_equal(vp_state(e, false, arg), 0);	/* 507 pages: one call */
	assert_int_equal(e->rec.control[0], HC_GET_VP_STATE | (uint64_t)BATCH << VARHEAD_SHIFT);
	vps_arg(arg, LAPIC, (BATCH + 1) * HV_PAGE, buf);
	assert_int_equal(vp_state(e, false, arg), -EINVAL);
	assert_int_equal(e->rec.calls, 0);
	assert_int_equal(get32(arg, VPS_BUF_SZ), HV_PAGE);
	assert_int_equal(mprotect(buf + BATCH * HV_PAGE, HV_PAGE, PROT_NONE), 0);
	vps_arg(arg, LAPIC, (BATCH + 1) * HV_PAGE, buf);
	assert_int_equal(vp_state(e, false, arg), -EFAULT);
	unmap_pages(buf, BATCH + 1);
}

/*
 * A read-only buffer: Linux pins for writing and fails before the
 * hypercall; this driver finds out when it copies a get back, and a set
 * only reads it.
 */
static void read_only_buffer(void **state)
{
	_Alignas(8) uint8_t arg[VPS_SIZE];
	struct env *e = *state;
	uint8_t *buf = map_pages(1);

	assert_int_equal(mprotect(buf, HV_PAGE, PROT_READ), 0);
	vps_arg(arg, SIEFP, HV_PAGE, buf);
	assert_int_equal(vp_state(e, false, arg), -EFAULT);
	assert_int_equal(call_of(e, HC_GET_VP_STATE), 0);
	assert_int_equal(vp_state(e, true, arg), 0);
	unmap_pages(buf, 1);
}

static void hypervisor_statuses_become_errnos(void **state)
{
	static const struct {
		uint16_t status;
		long ret;
	} cases[] = {
		{ ST_INVALID_PARAMETER, -EINVAL },
		{ ST_ACCESS_DENIED, -EIO },
	};
	_Alignas(8) uint8_t arg[VPS_SIZE];
	struct traced retried[3];
	struct env *e = *state;
	size_t i, n;

	vps_arg(arg, LAPIC, HV_PAGE, e->guard.map);
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		hv_inject_status(e->hv, HC_GET_VP_STATE, cases[i].status, 1);
		assert_int_equal(vp_state(e, false, arg), cases[i].ret);
		assert_int_equal(e->rec.calls, 1);
	}
	/* Out of memory: one page deposited, the call made again with its frames. */
	n = deposit_retries(retried, "set_vp_state", 1);
	hv_inject_status(e->hv, HC_SET_VP_STATE, ST_INSUFFICIENT_MEMORY, 1);
	trace_on(e);
	assert_int_equal(vp_state(e, true, arg), 0);
	expect_trace(e, e->id, retried, n);
	assert_int_equal(e->rec.calls, 3);
	assert_int_equal(get32(e->rec.input[2], IN_TYPE), 0x80000000U);
	assert_true(get64(e->rec.input[2], IN_DATA) != 0);
}

/*
 * On arm64 the partition has no XSAVE states (0 bytes, which buf_sz then
 * says); the hypervisor refuses the component: INVALID_PARAMETER, -EINVAL.
 */
static void xsave_on_arm64_is_refused_by_the_hypervisor(void **state)
{
	_Alignas(8) uint8_t arg[VPS_SIZE];
	struct env e;

	(void)state;
	env_up_on(&e, HOST_ARM64, KSHIM_ABI_NESTED_SMT, ENV_VP);
	vps_arg(arg, XSAVE, HV_PAGE, e.guard.map);
	trace_on(&e);
	assert_int_equal(vp_state(&e, false, arg), -EINVAL);
	expect_trace(&e, e.id, (const struct traced[]){
		{ "get_partition_property", ST_SUCCESS, NULL, 0 },
		{ "get_partition_property", ST_SUCCESS, NULL, 0 },
		{ "get_vp_state", ST_INVALID_PARAMETER, "pages", 1 } }, 3);
	assert_int_equal(get32(arg, VPS_BUF_SZ), 0);
	vps_arg(arg, LAPIC, HV_PAGE, e.guard.map);
	assert_int_equal(vp_state(&e, false, arg), 0);
	env_down(&e);
}

int main(void)
{
#define ON_VP_ENV(test) cmocka_unit_test_setup_teardown(test, env_setup_vp, env_teardown)
	const struct CMUnitTest tests[] = {
		ON_VP_ENV(lapic_round_trips_by_page),
		ON_VP_ENV(each_vp_file_reaches_its_own_vp),
		ON_VP_ENV(xsave_reads_the_partitions_size_first),
		cmocka_unit_test(xsave_larger_than_the_buffer_is_einval_with_its_size),
		ON_VP_ENV(synic_pages_round_trip),
		ON_VP_ENV(synthetic_timers_travel_inline),
		ON_VP_ENV(malformed_arguments_are_einval),
		ON_VP_ENV(faults_are_efault),
		ON_VP_ENV(read_only_argument_faults_after_the_property_reads),
		ON_VP_ENV(too_many_pages_is_einval),
		ON_VP_ENV(read_only_buffer),
		ON_VP_ENV(hypervisor_statuses_become_errnos),
		cmocka_unit_test(xsave_on_arm64_is_refused_by_the_hypervisor),
	};
#undef ON_VP_ENV

	return cmocka_run_group_tests(tests, NULL, NULL);
}
