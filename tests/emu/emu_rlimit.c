// SPDX-License-Identifier: MIT
/*
 * Run as `mshvcpu emu --trace TRACE -- emu_rlimit TRACE`: at RLIMIT_NOFILE exhaustion every call that
 * would make a descriptor — open("/dev/mshv"), MSHV_CREATE_PARTITION,
 * MSHV_CREATE_VP — fails with EMFILE, and nothing is half-created: no
 * partition is left in the hypervisor (the trace shows every created one
 * deleted), and a VP refused for want of a descriptor can be created once
 * one is free (not EEXIST). Afterwards the process has exactly the
 * descriptors it started with. The supervisor creates nothing it could
 * not hand over: it reads the program's limit (prlimit) before creating,
 * and a refused descriptor releases what was made for it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <linux/mshv.h>

#include "emu_test.h"

static const char *trace_path;

/*
 * The RLIMIT_NOFILE that leaves exactly @free descriptors to hand out:
 * the limit bounds descriptor *numbers*, and inherited ones may sit high.
 */
static rlim_t limit_leaving(int free_slots)
{
	char used[1024] = { 0 };
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int fd, gaps = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && (fd = atoi(e->d_name)) < (int)sizeof(used))
			used[fd] = 1;
	used[dirfd(d)] = 0;	/* closed right below */
	closedir(d);
	for (fd = 0; fd < (int)sizeof(used); fd++) {
		if (!used[fd] && gaps++ == free_slots)
			return (rlim_t)fd;
	}
	return 0;
}

static int create_partition(int dev)
{
	struct mshv_create_partition args = { 0 };

	return ioctl(dev, MSHV_CREATE_PARTITION, &args);
}

static int create_vp(int partition, unsigned int index)
{
	struct mshv_create_vp args = { .vp_index = index };

	return ioctl(partition, MSHV_CREATE_VP, &args);
}

int main(int argc, char **argv)
{
	struct rlimit old, tight;
	int before, dev, p[8], np = 0, vp, vp2, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TRACE\n", argv[0]);
		return 2;
	}
	trace_path = argv[1];
	CHECK(trace_reset(trace_path) == 0, "the trace (%s) is empty to start", trace_path);
	getrlimit(RLIMIT_NOFILE, &old);

	before = open_fds();
	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	CHECK(dev >= 0, "/dev/mshv opens");
	/* Room for exactly two more descriptors. */
	tight = old;
	tight.rlim_cur = limit_leaving(2);
	CHECK(setrlimit(RLIMIT_NOFILE, &tight) == 0, "RLIMIT_NOFILE lowered to %llu",
	      (unsigned long long)tight.rlim_cur);

	while (np < 8 && (p[np] = create_partition(dev)) >= 0)
		np++;
	CHECK(np == 2 && errno == EMFILE, "partitions until the limit, then EMFILE (%d made)", np);
	errno = 0;
	CHECK(open("/dev/mshv", O_RDWR) < 0 && errno == EMFILE, "opening /dev/mshv: EMFILE");
	CHECK(ioctl(p[0], MSHV_INITIALIZE_PARTITION) == 0, "a partition initializes at the limit");
	errno = 0;
	CHECK(create_vp(p[0], 0) < 0 && errno == EMFILE, "creating a VP: EMFILE");

	CHECK(close(p[1]) == 0, "one descriptor freed");
	np = 1;
	vp = create_vp(p[0], 0);
	CHECK(vp >= 0, "the VP refused for want of a descriptor is created now (not EEXIST)");
	errno = 0;
	vp2 = create_vp(p[0], 1);
	CHECK(vp2 < 0 && errno == EMFILE, "and the next one is EMFILE again");

	CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0, "RLIMIT_NOFILE restored");
	vp2 = create_vp(p[0], 1);
	CHECK(vp2 >= 0, "VP 1 is created once there is room");
	for (i = 0; i < np; i++)
		close(p[i]);
	close(vp);
	close(vp2);
	close(dev);

	CHECK(traced(trace_path, "create_partition") == 2,
	      "the hypervisor saw two partitions created");
	CHECK(traced(trace_path, "delete_partition") == 2, "and both deleted");
	CHECK(traced(trace_path, "create_vp") == 2, "two VPs created, none twice");
	CHECK(open_fds() == before, "descriptors: %d before, %d after", before, open_fds());
	printf("%s\n", check_failures ? "FAILED" : "PASSED");
	return check_failures ? 1 : 0;
}
