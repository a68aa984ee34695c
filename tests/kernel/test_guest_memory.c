// SPDX-License-Identifier: MIT
/*
 * MSHV_SET_GUEST_MEMORY through the real ioctl entry (kshim_ioctl) into
 * the hypervisor model: every refusal in Linux's order with its errno and
 * no hypercall made before it; the pins (a read-only mapping, a hole at a
 * 256 MiB batch's start, a hole inside a batch); what a map asks of the
 * hypervisor (MapGpaPages in 509-frame calls naming the caller's frames,
 * the access flags) and the unmap (UnmapGpaPages, 512 pages a call); a
 * failed map taking back what it mapped; the deposit on the hypervisor's
 * demand; regions that only touch at their ends (let in, as Linux does);
 * and regions dropped with the partition.
 *
 * The argument {u64 size, u64 guest_pfn, u64 userspace_addr, u8 flags,
 * u8 rsvd[7]} and the numbers are the reference's, written out.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel_harness.h"

/* struct mshv_user_mem_region: 32 bytes. */
#define MEM_SIZE	0
#define MEM_GFN		8
#define MEM_ADDR	16
#define MEM_FLAGS	24
#define MEM_RSVD	25
#define MEM_ARG		32

#define WRITABLE	MEM_WRITABLE
#define EXECUTABLE	MEM_EXECUTABLE
#define UNMAP		MEM_UNMAP

/* MapGpaPages' flags as the driver must pass them. */
#define MAP_READ	0x1
#define MAP_WRITE	0x2
#define MAP_EXEC	0xC
#define MAP_ADJUSTABLE	0x8000

#define HC_MAP_GPA	0x004B
#define HC_UNMAP_GPA	0x004C
#define PAGES_PER_MAP	509
#define PAGES_PER_UNMAP	512
#define PIN_BATCH	65536ULL	/* pages: 256 MiB */

/* A host whose guest frames end at 2^28 (40-bit physical addresses). */
static int setup(void **state)
{
	struct hv_host_config c = {
		.arch = HV_ARCH_X86_64,
		.vendor = HV_PROCESSOR_VENDOR_INTEL,
		.physical_address_width = 40,
	};
	struct env *e = malloc(sizeof(*e));

	assert_non_null(e);
	env_up_host(e, &c, KSHIM_ABI_NESTED_SMT, ENV_INIT);
	*state = e;
	return 0;
}

static void mem_arg(uint8_t *arg, uint64_t size, uint64_t gfn, const void *addr, uint8_t flags)
{
	memset(arg, 0, MEM_ARG);
	put64(arg, MEM_SIZE, size);
	put64(arg, MEM_GFN, gfn);
	put64(arg, MEM_ADDR, (uint64_t)(uintptr_t)addr);
	arg[MEM_FLAGS] = flags;
}

static bool gfn_mapped(struct env *e, uint64_t gfn, uint32_t *flags)
{
	return hv_partition_gpa_lookup(e->hv, e->id, gfn, flags) == 0;
}

/* --- refusals before anything is asked of the hypervisor ---------------------- */

static void malformed_requests_are_einval(void **state)
{
	static const struct {
		const char *what;
		uint64_t size;
		size_t addr_offset;
		uint8_t flags;
		int rsvd_byte;		/* -1: none */
	} cases[] = {
		{ "size 0", 0, 0, WRITABLE, -1 },
		{ "size not a page multiple", 0x1800, 0, 0, -1 },
		{ "address not page-aligned", 0x1000, 8, 0, -1 },
		{ "an undefined flag", 0x1000, 0, 0x8, -1 },
		{ "reserved byte 0 set", 0x1000, 0, 0, 0 },
		{ "reserved byte 6 set", 0x1000, 0, 0, 6 },
		{ "unmap, size 0", 0, 0, UNMAP, -1 },
		{ "unmap, a reserved byte set", 0x1000, 0, UNMAP, 3 },
	};
	struct env *e = *state;
	uint8_t *mem = map_noreserve(0x4000, PROT_READ | PROT_WRITE);
	_Alignas(8) uint8_t arg[MEM_ARG];
	size_t i;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		mem_arg(arg, cases[i].size, 1, mem + cases[i].addr_offset, cases[i].flags);
		if (cases[i].rsvd_byte >= 0)
			arg[MEM_RSVD + cases[i].rsvd_byte] = 1;
		if (ioctl_on(e, e->fd[ON_PT], MSHV_SET_GUEST_MEMORY, (unsigned long)arg) != -EINVAL)
			fail_msg("%s: not -EINVAL", cases[i].what);
		assert_int_equal(e->rec.calls, 0);
	}
	/* The argument itself unreadable. */
	assert_int_equal(ioctl_on(e, e->fd[ON_PT], MSHV_SET_GUEST_MEMORY,
				  (unsigned long)(e->guard.end - 16)), -EFAULT);
	assert_int_equal(info_of(e).mapped_pages, 0);
	munmap(mem, 0x4000);
}

static void the_caller_memory_must_be_there(void **state)
{
	struct env *e = *state;
	uint8_t *mem = map_noreserve(4 * HV_PAGE, PROT_READ | PROT_WRITE);
	uint8_t *ro = map_noreserve(2 * HV_PAGE, PROT_READ);

	/* Beyond user space: -EINVAL (access_ok). */
	assert_int_equal(set_guest_memory(e, HV_PAGE, 0, (void *)(uintptr_t)0x7ffffffff000ULL, 0),
			 -EINVAL);
	assert_int_equal(set_guest_memory(e, 1ULL << 47, 0, mem, 0), -EINVAL);
	/* No mapping at the first address: -EINVAL (vma_lookup). */
	assert_int_equal(munmap(mem + 3 * HV_PAGE, HV_PAGE), 0);
	assert_int_equal(set_guest_memory(e, HV_PAGE, 0, mem + 3 * HV_PAGE, 0), -EINVAL);
	/* Read-only: the write pin fails at its first page, -EFAULT. */
	assert_int_equal(set_guest_memory(e, HV_PAGE, 0, ro, 0), -EFAULT);
	/* A hole after the first page of a batch: only part pinned, -ENOMEM. */
	assert_int_equal(set_guest_memory(e, 4 * HV_PAGE, 0, mem, WRITABLE), -ENOMEM);
	assert_int_equal(mprotect(mem + 2 * HV_PAGE, HV_PAGE, PROT_NONE), 0);
	assert_int_equal(set_guest_memory(e, 3 * HV_PAGE, 0, mem, WRITABLE), -ENOMEM);
	assert_int_equal(e->rec.calls, 0);
	assert_int_equal(set_guest_memory(e, 2 * HV_PAGE, 0, mem, WRITABLE), 0);
	assert_int_equal(info_of(e).mapped_pages, 2);
	munmap(mem, 3 * HV_PAGE);
	munmap(ro, 2 * HV_PAGE);
}

static void a_hole_at_a_batch_start_is_efault(void **state)
{
	struct env *e = *state;
	size_t bytes = (PIN_BATCH + 2) * HV_PAGE;
	uint8_t *mem = map_noreserve(bytes, PROT_READ | PROT_WRITE);

	assert_int_equal(mprotect(mem + PIN_BATCH * HV_PAGE, HV_PAGE, PROT_NONE), 0);
	assert_int_equal(set_guest_memory(e, bytes, 0, mem, WRITABLE), -EFAULT);
	assert_int_equal(e->rec.calls, 0);
	/* Ending just before the hole: one whole batch, mapped. */
	assert_int_equal(set_guest_memory(e, PIN_BATCH * HV_PAGE, 0, mem, WRITABLE), 0);
	assert_int_equal(info_of(e).mapped_pages, PIN_BATCH);
	munmap(mem, bytes);
}

static void regions_that_share_an_end_are_eexist(void **state)
{
	struct env *e = *state;
	uint8_t *mem = map_noreserve(64 * HV_PAGE, PROT_READ | PROT_WRITE);

	assert_int_equal(set_guest_memory(e, 8 * HV_PAGE, 100, mem + 8 * HV_PAGE, 0), 0);
	/* First or last frame inside it. */
	assert_int_equal(set_guest_memory(e, 4 * HV_PAGE, 107, mem + 32 * HV_PAGE, 0), -EEXIST);
	assert_int_equal(set_guest_memory(e, 4 * HV_PAGE, 97, mem + 32 * HV_PAGE, 0), -EEXIST);
	/* First or last byte inside it. */
	assert_int_equal(set_guest_memory(e, 4 * HV_PAGE, 200, mem + 15 * HV_PAGE, 0), -EEXIST);
	assert_int_equal(set_guest_memory(e, 4 * HV_PAGE, 200, mem + 5 * HV_PAGE, 0), -EEXIST);
	assert_int_equal(e->rec.calls, 0);
	/* Adjacent on both counts: fine. */
	assert_int_equal(set_guest_memory(e, 4 * HV_PAGE, 108, mem + 16 * HV_PAGE, 0), 0);
	/* Around both on both counts: Linux looks at the ends only and lets it in. */
	assert_int_equal(set_guest_memory(e, 20 * HV_PAGE, 96, mem + 4 * HV_PAGE, 0), 0);
	munmap(mem, 64 * HV_PAGE);
}

/* --- what the hypervisor is asked --------------------------------------------- */

static void a_map_names_the_caller_frames(void **state)
{
	struct env *e = *state;
	size_t bytes = 512 * HV_PAGE;
	uint8_t *mem = map_noreserve(bytes, PROT_READ | PROT_WRITE), *other;
	uint64_t first = (uint64_t)(uintptr_t)mem >> 12;
	uint32_t flags = 0;

	trace_on(e);
	assert_int_equal(set_guest_memory(e, bytes, 0x10, mem, WRITABLE | EXECUTABLE), 0);
	expect_trace(e, e->id, (const struct traced[]){
		{ "map_gpa_pages", ST_SUCCESS, "pages", PAGES_PER_MAP },
		{ "map_gpa_pages", ST_SUCCESS, "pages", 512 - PAGES_PER_MAP },
	}, 2);
	/* The first call's input: the target, the frame, the flags, the caller's frames. */
	assert_int_equal(e->rec.calls, 2);
	assert_int_equal(e->rec.control[0] & 0xFFFF, HC_MAP_GPA);
	assert_int_equal((e->rec.control[0] >> REP_COUNT_SHIFT) & 0xFFF, PAGES_PER_MAP);
	assert_int_equal(get64(e->rec.page0, 0), e->id);
	assert_int_equal(get64(e->rec.page0, 8), 0x10);
	assert_int_equal(get32(e->rec.page0, 16), MAP_READ | MAP_WRITE | MAP_EXEC | MAP_ADJUSTABLE);
	assert_int_equal(get64(e->rec.page0, 24), first);
	assert_int_equal(get64(e->rec.page0, 24 + 8 * (PAGES_PER_MAP - 1)),
			 first + PAGES_PER_MAP - 1);
	assert_int_equal(get64(e->rec.input[1], 8), 0x10 + PAGES_PER_MAP);
	assert_int_equal(get64(e->rec.input[1], 24), first + PAGES_PER_MAP);
	assert_true(gfn_mapped(e, 0x10 + 511, &flags));
	assert_int_equal(flags, MAP_READ | MAP_WRITE | MAP_EXEC | MAP_ADJUSTABLE);
	assert_false(gfn_mapped(e, 0x10 + 512, NULL));

	/* No flags: readable (and adjustable) only. */
	other = map_noreserve(HV_PAGE, PROT_READ | PROT_WRITE);
	assert_int_equal(set_guest_memory(e, HV_PAGE, 0x1000, other, 0), 0);
	assert_true(gfn_mapped(e, 0x1000, &flags));
	assert_int_equal(flags, MAP_READ | MAP_ADJUSTABLE);
	munmap(mem, bytes);
	munmap(other, HV_PAGE);
}

static void a_64_mib_noreserve_region_costs_33_calls(void **state)
{
	struct env *e = *state;
	size_t bytes = 64ULL << 20;
	uint8_t *mem = map_noreserve(bytes, PROT_READ | PROT_WRITE);
	struct trace t;

	trace_on(e);
	assert_int_equal(set_guest_memory(e, bytes, 0, mem, WRITABLE | EXECUTABLE), 0);
	assert_int_equal(set_guest_memory(e, bytes, 0, mem, UNMAP), 0);
	trace_off(e, &t);
	/* 16384 pages: 33 maps of up to 509, then 32 unmaps of 512. */
	assert_int_equal(t.count, 33 + 32);
	assert_string_equal(trace_str(t.lines[32], "call"), "map_gpa_pages");
	assert_string_equal(trace_str(t.lines[33], "call"), "unmap_gpa_pages");
	assert_int_equal(trace_u64(t.lines[64], "gpa_page"), 16384 - PAGES_PER_UNMAP);
	trace_free(&t);
	assert_int_equal(info_of(e).mapped_pages, 0);
	munmap(mem, bytes);
}

static void unmap_needs_the_exact_region(void **state)
{
	struct env *e = *state;
	uint8_t *mem = map_noreserve(16 * HV_PAGE, PROT_READ | PROT_WRITE);

	assert_int_equal(set_guest_memory(e, 8 * HV_PAGE, 0x40, mem, WRITABLE), 0);
	assert_int_equal(set_guest_memory(e, 8 * HV_PAGE, 0x50, mem, UNMAP), -EINVAL);	/* no region */
	assert_int_equal(set_guest_memory(e, 8 * HV_PAGE, 0x41, mem, UNMAP), -EINVAL);	/* not its start */
	assert_int_equal(set_guest_memory(e, 4 * HV_PAGE, 0x40, mem, UNMAP), -EINVAL);	/* not its size */
	assert_int_equal(set_guest_memory(e, 8 * HV_PAGE, 0x40, mem + HV_PAGE, UNMAP), -EINVAL);
	assert_int_equal(e->rec.calls, 0);
	assert_int_equal(info_of(e).mapped_pages, 8);

	/* The very region: unmapped, whatever the access flags say. */
	trace_on(e);
	assert_int_equal(set_guest_memory(e, 8 * HV_PAGE, 0x40, mem, UNMAP | EXECUTABLE), 0);
	expect_trace(e, e->id, (const struct traced[]){
		{ "unmap_gpa_pages", ST_SUCCESS, "pages", 8 } }, 1);
	assert_int_equal(get64(e->rec.input[0], 8), 0x40);
	assert_int_equal(get32(e->rec.input[0], 16), 0);
	assert_int_equal(info_of(e).mapped_pages, 0);
	assert_int_equal(set_guest_memory(e, 8 * HV_PAGE, 0x40, mem, UNMAP), -EINVAL);	/* gone */
	/* And it can be mapped again. */
	assert_int_equal(set_guest_memory(e, 8 * HV_PAGE, 0x40, mem, 0), 0);
	munmap(mem, 16 * HV_PAGE);
}

static void a_failed_map_takes_back_what_it_mapped(void **state)
{
	struct env *e = *state;
	size_t bytes = 600 * HV_PAGE;
	uint8_t *mem = map_noreserve(bytes, PROT_READ | PROT_WRITE);
	uint64_t last = (1ULL << 28) - 509;	/* the 2nd call runs past 2^28 */

	trace_on(e);
	assert_int_equal(set_guest_memory(e, bytes, last, mem, WRITABLE), -EINVAL);
	expect_trace(e, e->id, (const struct traced[]){
		{ "map_gpa_pages", ST_SUCCESS, "pages", 509 },
		{ "map_gpa_pages", ST_INVALID_PARAMETER, "pages", 91 },
		{ "unmap_gpa_pages", ST_SUCCESS, "pages", 509 },
	}, 3);
	assert_false(gfn_mapped(e, last, NULL));
	assert_int_equal(info_of(e).mapped_pages, 0);
	/* Nor does the driver keep the region. */
	assert_int_equal(set_guest_memory(e, bytes, last, mem, UNMAP), -EINVAL);
	munmap(mem, bytes);
}

static void the_hypervisor_is_fed_256_pages(void **state)
{
	struct env *e = *state;
	uint8_t *mem = map_noreserve(4 * HV_PAGE, PROT_READ | PROT_WRITE);

	hv_inject_status(e->hv, HC_MAP_GPA, ST_INSUFFICIENT_MEMORY, 1);
	trace_on(e);
	assert_int_equal(set_guest_memory(e, 4 * HV_PAGE, 0, mem, 0), 0);
	expect_trace(e, e->id, (const struct traced[]){
		{ "map_gpa_pages", ST_INSUFFICIENT_MEMORY, NULL, 0 },
		{ "deposit_memory", ST_SUCCESS, "pages", 256 },
		{ "map_gpa_pages", ST_SUCCESS, "pages", 4 },
	}, 3);
	assert_int_equal(info_of(e).mapped_pages, 4);
	munmap(mem, 4 * HV_PAGE);
}

static void regions_go_with_the_partition(void **state)
{
	struct env *e = *state;
	uint8_t *mem = map_noreserve(4 * HV_PAGE, PROT_READ | PROT_WRITE);

	assert_int_equal(set_guest_memory(e, 4 * HV_PAGE, 0, mem, WRITABLE), 0);
	trace_on(e);
	close_kind(e, ON_PT);
	/* Finalize and delete take the mappings down: no UnmapGpaPages. */
	expect_trace(e, e->id, (const struct traced[]){
		{ "finalize_partition", ST_SUCCESS, NULL, 0 },
		{ "delete_partition", ST_SUCCESS, NULL, 0 },
	}, 2);
	munmap(mem, 4 * HV_PAGE);
}

/* The tests, each on a fresh 40-bit host's initialized partition. */
#define ON_40_BITS(fn)	cmocka_unit_test_setup_teardown(fn, setup, env_teardown)

int main(void)
{
	const struct CMUnitTest memory_tests[] = {
		ON_40_BITS(malformed_requests_are_einval), ON_40_BITS(the_caller_memory_must_be_there),
		ON_40_BITS(a_hole_at_a_batch_start_is_efault),
		ON_40_BITS(regions_that_share_an_end_are_eexist),
		ON_40_BITS(a_map_names_the_caller_frames),
		ON_40_BITS(a_64_mib_noreserve_region_costs_33_calls),
		ON_40_BITS(unmap_needs_the_exact_region), ON_40_BITS(a_failed_map_takes_back_what_it_mapped),
		ON_40_BITS(the_hypervisor_is_fed_256_pages), ON_40_BITS(regions_go_with_the_partition),
	};

	return cmocka_run_group_tests_name("guest memory", memory_tests, NULL, NULL);
}
