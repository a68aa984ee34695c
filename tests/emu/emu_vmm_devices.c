// SPDX-License-Identifier: MIT
/*
 * Run as `mshvcpu emu --trace TRACE -- emu_vmm_devices TRACE`: what a VMM
 * does to give a guest memory, interrupts, doorbells and a device, with
 * plain ioctls on the emulated /dev/mshv, checked against the hypercall
 * trace the supervisor writes:
 *
 *  1. a 64 MiB NORESERVE region mapped (MapGpaPages in 509-page calls),
 *  2. a dirty-log pass (access tracking on; CLEAR, SET, NOOP, NOOP),
 *  3. the region unmapped (UnmapGpaPages, 512 pages a call),
 *  4. an MSI table of one route, gsi 24 to vector 0x35 on APIC 0,
 *  5. an irqfd on gsi 24: a write to its eventfd becomes an
 *     AssertVirtualInterrupt of vector 0x35 in the trace,
 *  6. an ioeventfd assigned and deassigned (a doorbell port made and
 *     taken down),
 *  7. a VFIO device and its attribute calls, as rust-vmm makes them.
 *
 * Plain libc and the uapi header: this program stands for a VMM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/mshv.h>

#include "emu_test.h"

#define REGION		(64UL << 20)
#define PAGES		(REGION / 4096)
#define GSI		24
#define VECTOR		0x35
#define DOORBELL	0xE7E85004ULL

/* Hypercall codes and the property this program passes through. */
#define HVCALL_SET_PARTITION_PROPERTY	0x0045
#define GPA_PAGE_ACCESS_TRACKING	0x00050005U

static const char *trace;

/* Lines of the trace that hold every one of @want (NULL-terminated). */
static int lines_with(const char *const *want)
{
	char line[16384];
	FILE *f = fopen(trace, "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		const char *const *w;

		for (w = want; *w && strstr(line, *w); w++)
			;
		n += !*w;
	}
	fclose(f);
	return n;
}

/* The same, waiting up to 5 s for at least @n: the supervisor writes on its own time. */
static int await_lines(const char *const *want, int n)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int i, got = 0;

	for (i = 0; i < 500; i++) {
		got = lines_with(want);
		if (got >= n)
			break;
		nanosleep(&pause, NULL);
	}
	return got;
}

static int set_tracking(int pt, uint64_t on)
{
	struct {
		uint64_t partition_id;
		uint32_t code, padding;
		uint64_t value;
	} in = { 0, GPA_PAGE_ACCESS_TRACKING, 0, on };
	struct mshv_root_hvcall args = {
		.code = HVCALL_SET_PARTITION_PROPERTY,
		.in_sz = sizeof(in),
		.in_ptr = (uint64_t)(uintptr_t)&in,
	};

	return ioctl(pt, MSHV_ROOT_HVCALL, &args);
}

static int dirty_bitmap(int pt, uint8_t op, uint64_t *bits)
{
	struct mshv_gpap_access_bitmap args = {
		.access_type = MSHV_GPAP_ACCESS_TYPE_DIRTY,
		.access_op = op,
		.page_count = PAGES,
		.gpap_base = 0,
		.bitmap_ptr = (uint64_t)(uintptr_t)bits,
	};

	return ioctl(pt, MSHV_GET_GPAP_ACCESS_BITMAP, &args);
}

static int all_words(const uint64_t *bits, uint64_t value)
{
	size_t i;

	for (i = 0; i < PAGES / 64; i++)
		if (bits[i] != value)
			return 0;
	return 1;
}

static void guest_memory(int pt)
{
	static uint64_t clear[PAGES / 64], set[PAGES / 64], noop[2][PAGES / 64];
	const char *const maps[] = { "\"call\":\"map_gpa_pages\"", "\"status\":\"0x0000\"", NULL };
	const char *const unmaps[] = { "\"call\":\"unmap_gpa_pages\"", "\"status\":\"0x0000\"",
				       NULL };
	void *mem = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct mshv_user_mem_region region = {
		.size = REGION,
		.guest_pfn = 0,
		.userspace_addr = (uint64_t)(uintptr_t)mem,
		.flags = 1 << MSHV_SET_MEM_BIT_WRITABLE | 1 << MSHV_SET_MEM_BIT_EXECUTABLE,
	};

	CHECK(mem != MAP_FAILED, "64 MiB NORESERVE mapped");
	CHECK(ioctl(pt, MSHV_SET_GUEST_MEMORY, &region) == 0, "SET_GUEST_MEMORY maps 64 MiB");
	CHECK(lines_with(maps) == (int)((PAGES + 508) / 509),
	      "the trace has one MapGpaPages per 509 pages (%d)", lines_with(maps));
	CHECK(ioctl(pt, MSHV_SET_GUEST_MEMORY, &region) == -1 && errno == EEXIST,
	      "the same region again: EEXIST");

	CHECK(set_tracking(pt, 1) == 0, "access tracking on");
	CHECK(dirty_bitmap(pt, MSHV_GPAP_ACCESS_OP_CLEAR, clear) == 0 && all_words(clear, ~0ULL),
	      "dirty log, CLEAR: every page dirty at first");
	CHECK(dirty_bitmap(pt, MSHV_GPAP_ACCESS_OP_SET, set) == 0 && all_words(set, 0),
	      "dirty log, SET after CLEAR: all zero");
	CHECK(dirty_bitmap(pt, MSHV_GPAP_ACCESS_OP_NOOP, noop[0]) == 0 &&
	      dirty_bitmap(pt, MSHV_GPAP_ACCESS_OP_NOOP, noop[1]) == 0 &&
	      memcmp(noop[0], noop[1], sizeof(noop[0])) == 0,
	      "dirty log, two NOOP passes read the same");
	CHECK(set_tracking(pt, 0) == 0, "access tracking off");

	region.flags = 1 << MSHV_SET_MEM_BIT_UNMAP;
	CHECK(ioctl(pt, MSHV_SET_GUEST_MEMORY, &region) == 0, "SET_GUEST_MEMORY unmaps it");
	CHECK(lines_with(unmaps) == (int)(PAGES / 512),
	      "the trace has one UnmapGpaPages per 512 pages (%d)", lines_with(unmaps));
	CHECK(ioctl(pt, MSHV_SET_GUEST_MEMORY, &region) == -1 && errno == EINVAL,
	      "unmapping it again: EINVAL");
	munmap(mem, REGION);
}

static void interrupts(int pt)
{
	struct {
		struct mshv_user_irq_table table;
		struct mshv_user_irq_entry entry;
	} routing = {
		.table = { .nr = 1 },
		.entry = { .gsi = GSI, .address_lo = 0xFEE00000U, .data = VECTOR },
	};
	const char *const asserted[] = { "\"call\":\"assert_virtual_interrupt\"",
					 "\"vector\":53", "\"status\":\"0x0000\"",
					 "\"delivered\":1", NULL };
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	struct mshv_user_irqfd irqfd = { .fd = efd, .gsi = GSI };

	CHECK(ioctl(pt, MSHV_SET_MSI_ROUTING, &routing) == 0, "SET_MSI_ROUTING, one route");
	CHECK(ioctl(pt, MSHV_IRQFD, &irqfd) == 0, "IRQFD on gsi %d", GSI);
	CHECK(ioctl(pt, MSHV_IRQFD, &irqfd) == -1 && errno == EBUSY, "the same eventfd again: EBUSY");
	CHECK(lines_with(asserted) == 0, "no interrupt before the eventfd is written");
	CHECK(eventfd_write(efd, 1) == 0, "the eventfd written");
	CHECK(await_lines(asserted, 1) == 1,
	      "the trace shows AssertVirtualInterrupt of vector 0x%x to VP 0", VECTOR);
	irqfd.flags = 1 << MSHV_IRQFD_BIT_DEASSIGN;
	CHECK(ioctl(pt, MSHV_IRQFD, &irqfd) == 0, "IRQFD deassigned");
	close(efd);
}

static void doorbell(int pt)
{
	const char *const connected[] = { "\"call\":\"connect_port\"", "\"gpa\":\"0x00000000e7e85004\"",
					  "\"status\":\"0x0000\"", NULL };
	const char *const deleted[] = { "\"call\":\"delete_port\"", "\"status\":\"0x0000\"", NULL };
	int efd = eventfd(0, EFD_CLOEXEC);
	struct mshv_user_ioeventfd ioe = { .addr = DOORBELL, .len = 4, .fd = efd };

	CHECK(ioctl(pt, MSHV_IOEVENTFD, &ioe) == 0, "IOEVENTFD at 0x%llx", DOORBELL);
	CHECK(lines_with(connected) == 1, "the trace shows the doorbell's ConnectPort");
	CHECK(ioctl(pt, MSHV_IOEVENTFD, &ioe) == -1 && errno == EEXIST, "the same again: EEXIST");
	ioe.flags = 1 << MSHV_IOEVENTFD_BIT_DEASSIGN;
	CHECK(ioctl(pt, MSHV_IOEVENTFD, &ioe) == 0, "IOEVENTFD deassigned");
	CHECK(lines_with(deleted) == 1, "the trace shows the doorbell's DeletePort");
	CHECK(ioctl(pt, MSHV_IOEVENTFD, &ioe) == -1 && errno == ENOENT, "deassigned again: ENOENT");
	ioe.flags = 1 << MSHV_IOEVENTFD_BIT_PIO;
	CHECK(ioctl(pt, MSHV_IOEVENTFD, &ioe) == -1 && errno == EOPNOTSUPP, "PIO: EOPNOTSUPP");
	close(efd);
}

static void device(int pt)
{
	struct mshv_create_device args = { .type = MSHV_DEV_TYPE_VFIO };
	struct mshv_device_attr attr = {
		.group = MSHV_DEV_VFIO_FILE,
		.attr = MSHV_DEV_VFIO_FILE_ADD,
	};
	int dev, copy;

	CHECK(ioctl(pt, MSHV_CREATE_DEVICE, &args) == 0, "CREATE_DEVICE (VFIO)");
	dev = (int)args.fd;
	CHECK(fcntl(dev, F_GETFD) == FD_CLOEXEC, "its descriptor %d is open, close-on-exec", dev);
	copy = dup(dev);
	CHECK(ioctl(copy, MSHV_HAS_DEVICE_ATTR, &attr) == 0, "HAS_DEVICE_ATTR VFIO FILE ADD");
	CHECK(ioctl(copy, MSHV_GET_DEVICE_ATTR, &attr) == -1 && errno == EPERM,
	      "GET_DEVICE_ATTR: EPERM");
	CHECK(ioctl(copy, MSHV_SET_DEVICE_ATTR, &attr) == -1 && errno == EFAULT,
	      "SET_DEVICE_ATTR, address 0: EFAULT");
	CHECK(ioctl(pt, MSHV_CREATE_DEVICE, &args) == -1 && errno == EBUSY,
	      "a second VFIO device: EBUSY");
	args.flags = MSHV_CREATE_DEVICE_TEST;
	CHECK(ioctl(pt, MSHV_CREATE_DEVICE, &args) == 0, "CREATE_DEVICE_TEST: the type exists");
	close(copy);
	close(dev);
}

int main(int argc, char **argv)
{
	struct mshv_create_partition create = {
		.pt_flags = 1 << MSHV_PT_BIT_LAPIC | 1 << MSHV_PT_BIT_X2APIC,
	};
	struct mshv_create_vp vp = { .vp_index = 0 };
	const char *const deleted[] = { "\"call\":\"delete_partition\"",
					"\"status\":\"0x0000\"", NULL };
	int dev, pt, vpfd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TRACE\n", argv[0]);
		return 2;
	}
	trace = argv[1];
	CHECK(trace_reset(trace) == 0, "the trace emptied");
	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	CHECK(dev >= 0, "/dev/mshv opened");
	pt = ioctl(dev, MSHV_CREATE_PARTITION, &create);
	CHECK(pt >= 0, "a partition");
	CHECK(ioctl(pt, MSHV_INITIALIZE_PARTITION) == 0, "initialized");
	vpfd = ioctl(pt, MSHV_CREATE_VP, &vp);
	CHECK(vpfd >= 0, "VP 0");

	guest_memory(pt);
	interrupts(pt);
	doorbell(pt);
	device(pt);

	close(vpfd);
	close(pt);
	close(dev);
	CHECK(await_lines(deleted, 1) == 1, "the partition deleted once its files are closed");
	return check_failures ? 1 : 0;
}
