// SPDX-License-Identifier: MIT
/*
 * Run under libmshv-emu.so (LD_PRELOAD): emulated descriptors behave like
 * the kernel's across stat/access, dup/dup2/dup3/F_DUPFD, close, fork and
 * exec. Plain POSIX calls only, as any VMM would make them; the hypercall
 * trace (MSHV_EMU_TRACE, set before first use) shows when a partition is
 * really deleted.
 *
 * Usage: emu_fd_semantics            (the whole sequence; re-execs itself)
 *        emu_fd_semantics after-exec DEV_FD PARTITION_FD
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mshv.h>

#include "emu_test.h"

static char trace_path[256];

static int create_partition(int dev)
{
	struct mshv_create_partition args = { 0 };

	return ioctl(dev, MSHV_CREATE_PARTITION, &args);
}

static int count_in_trace(const char *call)
{
	char line[4096], needle[64];
	int n = 0;
	FILE *f = fopen(trace_path, "r");

	if (!f)
		return -1;
	snprintf(needle, sizeof(needle), "\"%s\"", call);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

static int after_exec(int dev, int part)
{
	int p;

	CHECK(ioctl(part, MSHV_INITIALIZE_PARTITION) < 0 && errno == EIO,
	      "a partition descriptor kept across exec is stale (EIO)");
	p = create_partition(dev);
	CHECK(p >= 0, "/dev/mshv kept open across exec still creates partitions");
	CHECK(ioctl(p, MSHV_INITIALIZE_PARTITION) == 0, "and they initialize");
	close(p);
	CHECK(close(part) == 0, "the stale descriptor closes");
	CHECK(close(dev) == 0, "the device descriptor closes");
	return check_failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct stat st;
	int dev, part, dup_part, moved, status, before;
	pid_t pid;

	if (argc == 4 && strcmp(argv[1], "after-exec") == 0)
		return after_exec(atoi(argv[2]), atoi(argv[3]));

	snprintf(trace_path, sizeof(trace_path), "%s/emu-fd-trace-%d.jsonl",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	unlink(trace_path);
	setenv("MSHV_EMU_TRACE", trace_path, 1);

	CHECK(stat("/dev/mshv", &st) == 0 && S_ISCHR(st.st_mode), "stat sees a character device");
	CHECK(access("/dev/mshv", R_OK | W_OK) == 0, "access says it is usable");

	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	CHECK(dev >= 0, "open /dev/mshv");
	CHECK(fstat(dev, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 10,
	      "fstat of the descriptor: the misc character device");
	CHECK(fcntl(dev, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC is a real descriptor flag");

	part = create_partition(dev);
	CHECK(part > dev, "CREATE_PARTITION returns a new descriptor");
	CHECK(fcntl(part, F_GETFD) == FD_CLOEXEC, "partition descriptors are close-on-exec, as anon inodes with O_CLOEXEC");

	dup_part = dup(part);
	CHECK(dup_part >= 0, "dup of a partition descriptor");
	close(part);
	CHECK(ioctl(dup_part, MSHV_INITIALIZE_PARTITION) == 0,
	      "the duplicate keeps the partition alive after the original is closed");
	CHECK(count_in_trace("delete_partition") == 0, "no partition deleted yet");

	moved = dup2(dup_part, 100);
	CHECK(moved == 100, "dup2 to a chosen number");
	close(dup_part);
	moved = fcntl(100, F_DUPFD_CLOEXEC, 200);
	CHECK(moved >= 200, "F_DUPFD_CLOEXEC");
	close(100);
	{
		struct mshv_create_vp vp = { .vp_index = 0 };
		int vpfd = ioctl(moved, MSHV_CREATE_VP, &vp);

		CHECK(vpfd >= 0, "CREATE_VP through a descriptor moved twice");
		close(moved);
		CHECK(count_in_trace("delete_partition") == 0,
		      "an open VP descriptor keeps its partition");
		close(vpfd);
	}
	CHECK(count_in_trace("delete_partition") == 1,
	      "closing the last reference deletes the partition");

	CHECK(ioctl(dup_part, MSHV_INITIALIZE_PARTITION) < 0 && errno == EBADF,
	      "a closed descriptor is EBADF, not an emulated one");

	part = create_partition(dev);
	before = count_in_trace("delete_partition");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* The child has its own copy of the machine. */
		int ok = ioctl(part, MSHV_INITIALIZE_PARTITION) == 0;

		close(part);
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "a forked child can use an inherited partition descriptor");
	CHECK(count_in_trace("delete_partition") == before + 1,
	      "the child's last close deleted the child's copy");
	CHECK(ioctl(part, MSHV_INITIALIZE_PARTITION) == 0,
	      "the parent's partition is untouched by the child (own hypervisor per process)");
	close(part);
	CHECK(count_in_trace("delete_partition") == before + 2, "the parent's close deletes its own");

	/* exec: keep the device and a partition open across it. */
	{
		int keep_dev = fcntl(dev, F_DUPFD, 0);
		int keep_part = create_partition(keep_dev);
		char a[16], b[16];

		fcntl(keep_part, F_SETFD, 0);
		CHECK(keep_dev >= 0 && keep_part >= 0, "descriptors without close-on-exec");
		snprintf(a, sizeof(a), "%d", keep_dev);
		snprintf(b, sizeof(b), "%d", keep_part);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			execl(argv[0], argv[0], "after-exec", a, b, (char *)NULL);
			_exit(127);
		}
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0, "after exec (see the lines above)");
		close(keep_part);
		close(keep_dev);
	}
	close(dev);
	unlink(trace_path);
	printf("%s\n", check_failures ? "FAILED" : "PASSED");
	return check_failures ? 1 : 0;
}
