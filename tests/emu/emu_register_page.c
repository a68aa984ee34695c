// SPDX-License-Identifier: MIT
/*
 * Run as `mshvcpu emu --trace TRACE -- emu_register_page TRACE`: a VMM
 * that uses a VP's register page instead of register hypercalls.
 *
 *  1. mapping the VP at page offset 0 gives the register page: version 1,
 *     valid, clean, and the VP's registers as GET_VP_REGISTERS reads them;
 *  2. registers written in the page and marked dirty are what the next
 *     GET_VP_REGISTERS reads, and the page is clean after it; a value the
 *     register refuses is not taken; a write not marked dirty is undone;
 *  3. SET_VP_REGISTERS shows in the page, in every mapping of it;
 *  4. offset 1 is the intercept message page (empty: no guest ran);
 *     offset 2 (GHCB) is ENODEV, offset 3 EINVAL, two pages EINVAL, and
 *     the partition and /dev/mshv have nothing to map (ENODEV);
 *  5. a mapping keeps the VP, and so the partition, alive after its
 *     descriptors are closed; the munmap lets it go (UnmapVpStatePage of
 *     both pages, then the partition is deleted).
 *
 * The page's layout is written out here from the hypervisor's ABI, not
 * taken from our headers, so the model's layout is checked too. Plain libc
 * and the uapi header: this program stands for a VMM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/mshv.h>

#include "emu_test.h"

#define PAGE			4096

/* The x86 register page (byte offsets). */
#define RP_VERSION		0	/* u16 */
#define RP_ISVALID		2	/* u8 */
#define RP_DIRTY		4	/* u32 */
#define RP_GP			8	/* 16 u64: rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8-r15 */
#define RP_RIP			136
#define RP_RFLAGS		144
#define RP_SEGMENTS		256	/* es, cs, ss, ds, fs, gs: 16 bytes each */
#define RP_CR0			352
#define RP_EFER			384
#define RP_XFEM			424
#define DIRTY_GENERAL		(1U << 0)
#define DIRTY_IP		(1U << 1)
#define DIRTY_FLAGS		(1U << 4)

#define HVCALL_GET_VP_REGISTERS	0x0050
#define HVCALL_SET_VP_REGISTERS	0x0051
#define REG_RAX			0x00020000U
#define REG_RCX			0x00020001U
#define REG_RBX			0x00020003U
#define REG_RIP			0x00020010U
#define REG_RFLAGS		0x00020011U
#define REG_CS			0x00060001U
#define REG_CR0			0x00040000U
#define REG_EFER		0x00080001U
#define REG_XFEM		0x00040005U

static const char *trace;

static uint64_t page_u64(const volatile uint8_t *page, size_t off)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)page + off, sizeof(v));
	return v;
}

static void page_put_u64(volatile uint8_t *page, size_t off, uint64_t v)
{
	memcpy((uint8_t *)page + off, &v, sizeof(v));
}

static uint32_t page_dirty(const volatile uint8_t *page)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)page + RP_DIRTY, sizeof(v));
	return v;
}

static void page_mark(volatile uint8_t *page, uint32_t dirty)
{
	memcpy((uint8_t *)page + RP_DIRTY, &dirty, sizeof(dirty));
}

/* GetVpRegisters of one register of VP 0 (16 bytes out); 0 or -1. */
static int get_reg(int vp, uint32_t name, uint64_t out[2])
{
	_Alignas(8) uint8_t in[20] = { 0 };
	struct mshv_root_hvcall call = {
		.code = HVCALL_GET_VP_REGISTERS, .reps = 1, .in_sz = sizeof(in), .out_sz = 16,
		.in_ptr = (uintptr_t)in, .out_ptr = (uintptr_t)out,
	};

	memcpy(in + 16, &name, sizeof(name));
	return ioctl(vp, MSHV_ROOT_HVCALL, &call) == 0 && call.status == 0 ? 0 : -1;
}

static uint64_t reg(int vp, uint32_t name)
{
	uint64_t v[2] = { ~0ULL, ~0ULL };

	get_reg(vp, name, v);
	return v[0];
}

static int set_reg(int vp, uint32_t name, uint64_t value)
{
	_Alignas(8) uint8_t in[16 + 32] = { 0 };
	struct mshv_root_hvcall call = {
		.code = HVCALL_SET_VP_REGISTERS, .reps = 1, .in_sz = sizeof(in),
		.in_ptr = (uintptr_t)in,
	};

	memcpy(in + 16, &name, sizeof(name));
	memcpy(in + 32, &value, sizeof(value));
	return ioctl(vp, MSHV_ROOT_HVCALL, &call) == 0 && call.status == 0 ? 0 : -1;
}

static int lines_with(const char *call)
{
	return traced(trace, call);
}

/* Waits up to 5 s for @n successful @call lines: the supervisor writes on its own time. */
static int await_lines(const char *call, int n)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int i, got = 0;

	for (i = 0; i < 500 && (got = lines_with(call)) < n; i++)
		nanosleep(&pause, NULL);
	return got;
}

static void the_page_is_the_vps(volatile uint8_t *page, int vp)
{
	uint64_t cs[2];
	uint16_t version;

	memcpy(&version, (const uint8_t *)page + RP_VERSION, sizeof(version));
	CHECK(version == 1 && page[RP_ISVALID] == 1 && page_dirty(page) == 0,
	      "the register page: version 1, valid, clean");
	CHECK(page_u64(page, RP_RIP) == reg(vp, REG_RIP) && page_u64(page, RP_RIP) == 0xfff0,
	      "its RIP is the VP's (0xfff0 at reset)");
	CHECK(page_u64(page, RP_RFLAGS) == reg(vp, REG_RFLAGS), "its RFLAGS is the VP's");
	CHECK(get_reg(vp, REG_CS, cs) == 0 && page_u64(page, RP_SEGMENTS + 16) == cs[0] &&
	      page_u64(page, RP_SEGMENTS + 24) == cs[1], "its CS (base, limit, selector, "
	      "attributes) is the VP's");
	CHECK(page_u64(page, RP_CR0) == reg(vp, REG_CR0) && page_u64(page, RP_EFER) ==
	      reg(vp, REG_EFER) && page_u64(page, RP_XFEM) == reg(vp, REG_XFEM),
	      "its CR0, EFER and XFEM are the VP's");
}

static void writes_in_the_page(volatile uint8_t *page, int vp)
{
	/* rax (gp 0) and rip, marked dirty: the next call reads them. */
	page_put_u64(page, RP_GP, 0x1234);
	page_put_u64(page, RP_RIP, 0x1000);
	page_mark(page, DIRTY_GENERAL | DIRTY_IP);
	CHECK(reg(vp, REG_RAX) == 0x1234, "RAX written in the page and marked dirty is the VP's");
	CHECK(page_dirty(page) == 0, "the page is clean after the call");
	CHECK(reg(vp, REG_RIP) == 0x1000, "and so is RIP");

	/* RFLAGS bit 1 must be set: a value without it stays out. */
	page_put_u64(page, RP_RFLAGS, 0);
	page_mark(page, DIRTY_FLAGS);
	CHECK(reg(vp, REG_RFLAGS) == 0x2, "an RFLAGS the VP refuses is not taken in");
	CHECK(page_u64(page, RP_RFLAGS) == 0x2, "and the page shows the RFLAGS kept");

	/* rcx (gp 1) without a dirty mark: undone by the next call. */
	page_put_u64(page, RP_GP + 8, 0x99);
	CHECK(reg(vp, REG_RCX) == 0, "a write not marked dirty is not taken in");
	CHECK(page_u64(page, RP_GP + 8) == 0, "and the page shows the VP's RCX again");
}

static void calls_show_in_the_page(volatile uint8_t *page, volatile uint8_t *again, int vp)
{
	CHECK(set_reg(vp, REG_RBX, 0x77) == 0, "SET_VP_REGISTERS RBX");
	CHECK(page_u64(page, RP_GP + 3 * 8) == 0x77, "the page shows the new RBX");
	CHECK(page_u64(again, RP_GP + 3 * 8) == 0x77, "so does a second mapping of it");
	page_put_u64(again, RP_GP + 3 * 8, 0x78);
	CHECK(page_u64(page, RP_GP + 3 * 8) == 0x78, "both mappings are one page");
	page_put_u64(again, RP_GP + 3 * 8, 0x77);
}

static void what_maps(int dev, int pt, int vp)
{
	static const uint8_t zero[PAGE];
	uint8_t *m;

	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, vp,
		 MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE * PAGE);
	CHECK(m != MAP_FAILED && memcmp(m, zero, PAGE) == 0,
	      "offset 1: the intercept message page, empty (no guest ran)");
	if (m != MAP_FAILED)
		munmap(m, PAGE);
	errno = 0;
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, vp, MSHV_VP_MMAP_OFFSET_GHCB * PAGE);
	CHECK(m == MAP_FAILED && errno == ENODEV, "offset 2: no GHCB here (ENODEV)");
	errno = 0;
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, vp, MSHV_VP_MMAP_OFFSET_COUNT * PAGE);
	CHECK(m == MAP_FAILED && errno == EINVAL, "offset 3: EINVAL");
	errno = 0;
	m = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, vp, 0);
	CHECK(m == MAP_FAILED && errno == EINVAL, "two pages at once: EINVAL (not emulated)");
	errno = 0;
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, pt, 0);
	CHECK(m == MAP_FAILED && errno == ENODEV, "the partition has nothing to map (ENODEV)");
	errno = 0;
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, dev, 0);
	CHECK(m == MAP_FAILED && errno == ENODEV, "nor has /dev/mshv (ENODEV)");
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, vp, 0);
	CHECK(m != MAP_FAILED && m[RP_ISVALID] == 1, "a private mapping of the register page");
	if (m != MAP_FAILED)
		munmap(m, PAGE);
}

int main(int argc, char **argv)
{
	struct mshv_create_partition create = {
		.pt_flags = 1 << MSHV_PT_BIT_LAPIC | 1 << MSHV_PT_BIT_X2APIC,
	};
	struct mshv_create_vp index = { .vp_index = 0 };
	volatile uint8_t *page, *again;
	int dev, pt, vp, probe;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TRACE\n", argv[0]);
		return 2;
	}
	trace = argv[1];
	CHECK(trace_reset(trace) == 0, "the trace emptied");
	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	pt = dev < 0 ? -1 : ioctl(dev, MSHV_CREATE_PARTITION, &create);
	CHECK(pt >= 0 && ioctl(pt, MSHV_INITIALIZE_PARTITION) == 0, "an initialized partition");
	vp = ioctl(pt, MSHV_CREATE_VP, &index);
	CHECK(vp >= 0, "VP 0");
	CHECK(lines_with("map_vp_state_page") == 2, "its two pages were mapped by the driver");

	page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, vp,
		    MSHV_VP_MMAP_OFFSET_REGISTERS * PAGE);
	again = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, vp, 0);
	CHECK(page != MAP_FAILED && again != MAP_FAILED, "the register page mapped twice");
	if (page == MAP_FAILED || again == MAP_FAILED)
		return 1;
	the_page_is_the_vps(page, vp);
	writes_in_the_page(page, vp);
	calls_show_in_the_page(page, again, vp);
	what_maps(dev, pt, vp);

	/* The mappings hold the VP, which holds the partition. */
	munmap((void *)again, PAGE);
	close(vp);
	close(pt);
	probe = open("/dev/mshv", O_RDWR);	/* served after the close events */
	close(probe);
	CHECK(lines_with("delete_partition") == 0, "closed but still mapped: the partition lives");
	CHECK(page[RP_ISVALID] == 1 && page_u64(page, RP_GP + 3 * 8) == 0x77,
	      "and its page is still there");
	munmap((void *)page, PAGE);
	CHECK(await_lines("delete_partition", 1) == 1, "unmapped: the partition is deleted");
	CHECK(lines_with("unmap_vp_state_page") == 2, "after both pages went back");
	close(dev);
	return check_failures ? 1 : 0;
}
