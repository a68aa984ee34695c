// SPDX-License-Identifier: MIT
/*
 * Run as `mshvcpu emu --trace TRACE -- emu_fd_semantics TRACE`: emulated
 * descriptors are real descriptors, so they behave as Linux's own across
 * stat/access/fstat, O_CLOEXEC, dup/dup2/dup3/F_DUPFD, close, fork and
 * exec. All processes share one emulated host, as on a real one: a forked
 * child uses the very partition its parent holds. Plain POSIX calls only,
 * as any VMM would make them; the hypercall trace (written by the
 * supervisor) shows when a partition is really deleted.
 *
 * Usage: emu_fd_semantics TRACE              (the whole sequence; re-execs itself)
 *        emu_fd_semantics TRACE after-exec DEV_FD PARTITION_FD
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

static const char *trace;

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

static int deleted(void)
{
	return traced(trace, "delete_partition");
}

static int exited_zero(pid_t pid)
{
	int status;

	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/* What a real /dev/mshv is: the misc character device 10:124, 0600. */
static int is_mshv_node(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && major(st->st_rdev) == 10 && minor(st->st_rdev) == 124;
}

/* What an anon-inode file (partition, VP) reports: mode 0600 and no file type. */
static int is_anon_inode(const struct stat *st)
{
	return (st->st_mode & S_IFMT) == 0 && (st->st_mode & 07777) == 0600;
}

/* The exec'd image: both descriptors came through exec and must still work. */
static int after_exec(int dev, int part)
{
	struct stat st;
	int p, before = deleted();

	CHECK(fstat(part, &st) == 0 && is_anon_inode(&st),
	      "after exec: the partition descriptor is still a partition (fstat)");
	CHECK(ioctl(part, MSHV_INITIALIZE_PARTITION) == 0,
	      "after exec: the partition descriptor kept across exec works (not stale)");
	p = create_vp(part, 1);
	CHECK(p >= 0, "after exec: it creates a VP");
	close(p);
	p = create_partition(dev);
	CHECK(p >= 0, "after exec: /dev/mshv kept open across exec still creates partitions");
	CHECK(ioctl(p, MSHV_INITIALIZE_PARTITION) == 0, "after exec: and they initialize");
	CHECK(close(p) == 0 && deleted() == before + 1,
	      "after exec: closing the new partition deletes it");
	CHECK(close(part) == 0 && deleted() == before + 1,
	      "after exec: closing our copy of the inherited partition deletes nothing");
	CHECK(close(dev) == 0, "after exec: the device descriptor closes");
	return check_failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct stat st;
	struct statx stx;
	int dev, dev2, part, dup_part, moved, moved3, vpfd, before;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: %s TRACE [after-exec DEV_FD PARTITION_FD]\n", argv[0]);
		return 2;
	}
	trace = argv[1];
	if (argc == 5 && strcmp(argv[2], "after-exec") == 0)
		return after_exec(atoi(argv[3]), atoi(argv[4]));
	CHECK(trace_reset(trace) == 0 && deleted() == 0, "the trace (%s) is empty to start", trace);

	/* The node, by name. */
	CHECK(stat("/dev/mshv", &st) == 0 && is_mshv_node(&st) && (st.st_mode & 07777) == 0600,
	      "stat: a character device 10:124, mode 0600");
	CHECK(lstat("/dev/mshv", &st) == 0 && is_mshv_node(&st), "lstat: the same");
	CHECK(statx(AT_FDCWD, "/dev/mshv", 0, STATX_BASIC_STATS, &stx) == 0 &&
	      S_ISCHR(stx.stx_mode) && stx.stx_rdev_major == 10 && stx.stx_rdev_minor == 124,
	      "statx: the same");
	CHECK(access("/dev/mshv", F_OK) == 0, "access F_OK: it exists");
	CHECK(access("/dev/mshv", R_OK | W_OK) == 0, "access R_OK|W_OK: it is usable");
	errno = 0;
	CHECK(access("/dev/mshv", X_OK) < 0 && errno == EACCES, "access X_OK: EACCES");

	/* The device's descriptor. */
	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	CHECK(dev >= 0, "open /dev/mshv");
	CHECK(fstat(dev, &st) == 0 && is_mshv_node(&st),
	      "fstat of the descriptor: the misc character device 10:124");
	CHECK(fcntl(dev, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC is a real descriptor flag");
	dev2 = open("/dev/mshv", O_RDWR);
	CHECK(dev2 >= 0 && fcntl(dev2, F_GETFD) == 0, "without O_CLOEXEC: no close-on-exec");
	CHECK(dev2 >= 0 && close(dev2) == 0, "a second device descriptor closes");

	/* A partition: an anon inode, close-on-exec. */
	part = create_partition(dev);
	CHECK(part >= 0 && part != dev, "CREATE_PARTITION returns a new descriptor");
	CHECK(fstat(part, &st) == 0 && is_anon_inode(&st),
	      "fstat of a partition: an anon inode (mode 0%o)", (unsigned int)st.st_mode);
	CHECK(statx(part, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) == 0 &&
	      (stx.stx_mode & S_IFMT) == 0 && (stx.stx_mode & 07777) == 0600,
	      "statx(AT_EMPTY_PATH) of a partition: the same");
	CHECK(fcntl(part, F_GETFD) == FD_CLOEXEC,
	      "partition descriptors are close-on-exec, as anon inodes with O_CLOEXEC");

	/* Duplicates keep it alive, whatever made them. */
	dup_part = dup(part);
	CHECK(dup_part >= 0 && fcntl(dup_part, F_GETFD) == 0, "dup of a partition descriptor");
	CHECK(close(part) == 0, "the original closes");
	CHECK(ioctl(dup_part, MSHV_INITIALIZE_PARTITION) == 0,
	      "the duplicate keeps the partition alive after the original is closed");
	CHECK(deleted() == 0, "no partition deleted yet");
	moved = dup2(dup_part, 100);
	CHECK(moved == 100, "dup2 to a chosen number");
	CHECK(close(dup_part) == 0 && ioctl(moved, MSHV_INITIALIZE_PARTITION) == 0,
	      "dup2's copy works alone");
	moved3 = dup3(moved, 101, O_CLOEXEC);
	CHECK(moved3 == 101 && fcntl(moved3, F_GETFD) == FD_CLOEXEC, "dup3(O_CLOEXEC)");
	CHECK(close(moved) == 0 && ioctl(moved3, MSHV_INITIALIZE_PARTITION) == 0,
	      "dup3's copy works alone");
	moved = fcntl(moved3, F_DUPFD, 150);
	CHECK(moved >= 150 && fcntl(moved, F_GETFD) == 0, "F_DUPFD");
	CHECK(close(moved3) == 0 && ioctl(moved, MSHV_INITIALIZE_PARTITION) == 0,
	      "F_DUPFD's copy works alone");
	moved3 = fcntl(moved, F_DUPFD_CLOEXEC, 200);
	CHECK(moved3 >= 200 && fcntl(moved3, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC");
	CHECK(close(moved) == 0, "the F_DUPFD copy closes");
	CHECK(deleted() == 0, "still no partition deleted");

	vpfd = create_vp(moved3, 0);
	CHECK(vpfd >= 0, "CREATE_VP through a descriptor moved five times");
	CHECK(vpfd >= 0 && fstat(vpfd, &st) == 0 && is_anon_inode(&st),
	      "fstat of a VP: an anon inode");
	CHECK(close(moved3) == 0 && deleted() == 0, "an open VP descriptor keeps its partition");
	CHECK(close(vpfd) == 0 && deleted() == 1,
	      "closing the last reference deletes the partition");
	errno = 0;
	CHECK(ioctl(moved3, MSHV_INITIALIZE_PARTITION) < 0 && errno == EBADF,
	      "a closed descriptor is EBADF");

	/* fork: the child's descriptor is the parent's partition. */
	part = create_partition(dev);
	CHECK(part >= 0, "a second partition");
	before = deleted();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int ok = ioctl(part, MSHV_INITIALIZE_PARTITION) == 0;
		int vp = create_vp(part, 0);

		ok = ok && vp >= 0;
		close(vp);
		close(part);
		_exit(ok ? 0 : 1);
	}
	CHECK(exited_zero(pid), "a forked child uses the inherited partition (initialize, VP 0)");
	CHECK(deleted() == before, "the child's close and exit deleted nothing");
	errno = 0;
	vpfd = create_vp(part, 0);
	CHECK(vpfd < 0 && errno == EEXIST,
	      "the parent sees the child's VP 0 (EEXIST): one partition, shared");
	if (vpfd >= 0)
		close(vpfd);
	CHECK(close(part) == 0 && deleted() == before + 1, "the parent's last close deletes it");

	/* exec: keep the device and a partition open across it. */
	{
		int keep_dev = fcntl(dev, F_DUPFD, 0);
		int keep_part = create_partition(keep_dev);
		char a[16], b[16];

		CHECK(keep_dev >= 0 && keep_part >= 0 && fcntl(keep_part, F_SETFD, 0) == 0,
		      "descriptors without close-on-exec");
		before = deleted();
		snprintf(a, sizeof(a), "%d", keep_dev);
		snprintf(b, sizeof(b), "%d", keep_part);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			execl(argv[0], argv[0], trace, "after-exec", a, b, (char *)NULL);
			_exit(127);
		}
		CHECK(exited_zero(pid), "after exec (see the lines above)");
		CHECK(deleted() == before + 1, "the exec'd child deleted only its own partition");
		errno = 0;
		vpfd = create_vp(keep_part, 1);
		CHECK(vpfd < 0 && errno == EEXIST, "its VP 1 is in the parent's partition too");
		CHECK(close(keep_part) == 0 && deleted() == before + 2,
		      "the parent's close deletes the partition used across exec");
		close(keep_dev);
	}
	CHECK(close(dev) == 0, "the device closes");
	printf("%s\n", check_failures ? "FAILED" : "PASSED");
	return check_failures ? 1 : 0;
}
