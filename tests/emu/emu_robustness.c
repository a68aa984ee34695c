// SPDX-License-Identifier: MIT
/*
 * Run as `mshvcpu emu --trace TRACE -- emu_robustness TRACE`. Each part is
 * a regression test for a way the old emulator (a library preloaded into
 * the program, wrapping libc) failed, and which the seccomp supervisor
 * must get right because it sees system calls, not libc calls:
 *
 *  - an ioctl argument page that another thread keeps unmapping
 *    (PROT_NONE): EFAULT, never a crash, nothing leaked;
 *  - a signal handler that closes a partition while the program is in an
 *    ioctl: no deadlock, only descriptors, EBADF or EINTR;
 *  - a signal during MSHV_CREATE_VP: the retry finds no orphaned VP;
 *  - close_range() and fclose(fdopen()) release a partition, and a file
 *    that reuses the number is an ordinary file again;
 *  - a vfork child closing its copy before exec leaves the parent's alone;
 *  - an ioctl command with bits above 31 set is the truncated command;
 *  - every way of naming /dev/mshv (and two that are not it);
 *  - mmap of emulated descriptors is refused where Linux refuses it; of
 *    ordinary files, it works;
 *  - a high-numbered ordinary descriptor passes through untouched.
 *
 * (Static binaries are emu_static.c.) One CHECK per line; the trace
 * (written by the supervisor) counts partitions created and deleted.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/mshv.h>

#include "emu_test.h"

static const char *trace;

static int create_partition(int dev)
{
	struct mshv_create_partition args = { 0 };

	return ioctl(dev, MSHV_CREATE_PARTITION, &args);
}

static int created(void)
{
	return traced(trace, "create_partition");
}

static int deleted(void)
{
	return traced(trace, "delete_partition");
}

static int is_mshv_node(int fd)
{
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	       major(st.st_rdev) == 10 && minor(st.st_rdev) == 124;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- an argument page that comes and goes ----------------------------------- */

#define TOGGLE_CALLS 3000

static void *arg_page;
static atomic_int toggling;

static void *toggler(void *unused)
{
	(void)unused;
	while (atomic_load(&toggling)) {
		mprotect(arg_page, 4096, PROT_NONE);
		sched_yield();
		mprotect(arg_page, 4096, PROT_READ | PROT_WRITE);
		sched_yield();
	}
	return NULL;
}

static void toggled_argument(int dev)
{
	int c0 = created(), d0 = deleted(), fds = open_fds();
	int made = 0, efault = 0, other = 0, other_errno = 0, i;
	pthread_t thread;

	arg_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(arg_page != MAP_FAILED, "an argument page (zeroed: a v1 create request)");
	atomic_store(&toggling, 1);
	CHECK(pthread_create(&thread, NULL, toggler, NULL) == 0,
	      "a thread toggles it between PROT_NONE and PROT_READ|PROT_WRITE");
	for (i = 0; i < TOGGLE_CALLS; i++) {
		int fd = ioctl(dev, MSHV_CREATE_PARTITION, arg_page);

		if (fd >= 0) {
			made++;
			close(fd);
		} else if (errno == EFAULT) {
			efault++;
		} else {
			other++;
			other_errno = errno;
		}
	}
	atomic_store(&toggling, 0);
	pthread_join(thread, NULL);
	munmap(arg_page, 4096);
	errno = other_errno;
	CHECK(other == 0, "every CREATE_PARTITION on it: a descriptor or EFAULT "
	      "(%d descriptors, %d EFAULT, %d else)", made, efault, other);
	CHECK(made > 0, "some calls found the page readable and created a partition");
	CHECK(created() - c0 == made && deleted() - d0 == made,
	      "the trace: %d created, %d deleted, as many as descriptors returned",
	      created() - c0, deleted() - d0);
	CHECK(open_fds() == fds, "no descriptor leaked (%d before, %d after)", fds, open_fds());
}

/* --- a signal handler that closes ------------------------------------------- */

static volatile sig_atomic_t victim = -1;
static volatile sig_atomic_t handler_closes;

static void close_victim(int sig)
{
	int fd = victim;
	int saved = errno;

	(void)sig;
	if (fd >= 0) {
		victim = -1;
		if (close(fd) == 0)
			handler_closes++;
	}
	errno = saved;
}

static void closing_signal_handler(int dev)
{
	struct sigaction sa = { .sa_handler = close_victim }, old;	/* no SA_RESTART */
	struct itimerval timer = { { 0, 700 }, { 0, 700 } }, off = { { 0, 0 }, { 0, 0 } };
	int c0 = created(), d0 = deleted(), fds = open_fds();
	long calls = 0, descriptors = 0, zero = 0, ebadf = 0, eintr = 0, other = 0;
	int other_errno = 0, fd;
	double end;

	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGALRM, &sa, &old) == 0, "SIGALRM closes the current partition "
	      "(without SA_RESTART)");
	CHECK(setitimer(ITIMER_REAL, &timer, NULL) == 0, "an interval timer: every 700 us");
	for (end = now() + 1.0; now() < end; calls++) {
		long r;

		fd = victim;
		if (fd < 0) {
			r = create_partition(dev);
			if (r >= 0) {
				descriptors++;
				victim = (int)r;
				continue;
			}
		} else {
			r = ioctl(fd, MSHV_INITIALIZE_PARTITION);
			if (r == 0) {
				zero++;
				continue;
			}
		}
		if (errno == EBADF)
			ebadf++;
		else if (errno == EINTR)
			eintr++;
		else {
			other++;
			other_errno = errno;
		}
	}
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	fd = victim;
	victim = -1;
	if (fd >= 0)
		close(fd);
	printf("# %ld calls: %ld descriptors, %ld initialized, %ld EBADF, %ld EINTR; "
	       "%d closed by the handler\n", calls, descriptors, zero, ebadf, eintr,
	       (int)handler_closes);
	errno = other_errno;
	CHECK(other == 0, "no deadlock; every result a descriptor, 0, EBADF or EINTR (%ld else)",
	      other);
	CHECK(descriptors > 1 && handler_closes > 0,
	      "partitions were created and the handler closed some");
	/*
	 * A create the signal interrupted may have reached the hypervisor
	 * before the descriptor could be handed over: it must be deleted again.
	 */
	CHECK(created() - c0 >= descriptors && created() - c0 == deleted() - d0,
	      "the trace: %d created, %d deleted, %ld descriptors returned",
	      created() - c0, deleted() - d0, descriptors);
	CHECK(open_fds() == fds, "no descriptor leaked (%d before, %d after)", fds, open_fds());
}

/* --- a signal during CREATE_VP ---------------------------------------------------- */

#define VP_ROUNDS 1000

static void ignore_signal(int sig)
{
	(void)sig;
}

/*
 * A VP outlives its descriptor (it belongs to the partition), so a
 * CREATE_VP must not be interrupted between making the VP and handing
 * over its descriptor: the retry -- the program's after EINTR, or the
 * kernel's own restart -- would find the VP there (EEXIST) with no
 * descriptor for it anywhere. On Linux the ioctl is not interrupted.
 */
static void interrupted_create_vp(int dev)
{
	struct sigaction sa = { .sa_handler = ignore_signal }, old;	/* no SA_RESTART */
	struct itimerval timer = { { 0, 200 }, { 0, 200 } }, off = { { 0, 0 }, { 0, 0 } };
	int c0 = created(), d0 = deleted(), fds = open_fds();
	int made = 0, eexist = 0, other = 0, other_errno = 0, retries = 0, i;

	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGALRM, &sa, &old) == 0 && setitimer(ITIMER_REAL, &timer, NULL) == 0,
	      "SIGALRM every 200 us, without SA_RESTART");
	for (i = 0; i < VP_ROUNDS; i++) {
		struct mshv_create_vp args = { .vp_index = 0 };
		int part, vp;

		do
			part = create_partition(dev);
		while (part < 0 && errno == EINTR);
		while (part >= 0 && ioctl(part, MSHV_INITIALIZE_PARTITION) < 0 && errno == EINTR)
			;
		while ((vp = ioctl(part, MSHV_CREATE_VP, &args)) < 0 && errno == EINTR)
			retries++;
		if (vp >= 0) {
			made++;
			close(vp);
		} else if (errno == EEXIST) {
			eexist++;
		} else {
			other++;
			other_errno = errno;
		}
		if (part >= 0)
			close(part);
	}
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	printf("# %d rounds: %d VPs, %d EEXIST, %d EINTR retried\n", VP_ROUNDS, made, eexist,
	       retries);
	errno = other_errno;
	CHECK(other == 0, "CREATE_VP under signals: a descriptor, EINTR or EEXIST (%d else)", other);
	CHECK(eexist == 0, "VP 0 of a fresh partition, retried after EINTR, is never EEXIST "
	      "(%d of %d were)", eexist, VP_ROUNDS);
	CHECK(created() - c0 == deleted() - d0, "the trace: %d created, %d deleted",
	      created() - c0, deleted() - d0);
	CHECK(open_fds() == fds, "no descriptor leaked (%d before, %d after)", fds, open_fds());
}

/* --- closes that are not close() ------------------------------------------- */

static int highest_fd(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int highest = -1;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) > highest)
			highest = atoi(e->d_name);
	if (d)
		closedir(d);
	return highest;
}

static void other_closes(int dev)
{
	int d0 = deleted(), part, fd, high;
	FILE *f;

	/* Above every descriptor inherited from whoever started us. */
	high = highest_fd() + 1;
	part = create_partition(dev);
	CHECK(part >= 0 && dup2(part, high) == high && close(part) == 0,
	      "a partition at descriptor %d, the highest", high);
	part = high;
	CHECK(syscall(SYS_close_range, (unsigned int)part, ~0U, 0) == 0,
	      "close_range(%d, ~0U, 0)", part);
	CHECK(deleted() == d0 + 1, "the partition is deleted (trace)");
	fd = open(trace, O_RDONLY);
	high = fcntl(fd, F_DUPFD, part);
	close(fd);
	fd = high;
	CHECK(fd == part, "a regular file gets number %d again (F_DUPFD: %d)", part, fd);
	errno = 0;
	CHECK(ioctl(fd, MSHV_INITIALIZE_PARTITION) < 0 && errno == ENOTTY,
	      "an MSHV ioctl on it is the file's: ENOTTY, not a partition's answer");
	errno = 0;
	CHECK(ioctl(fd, MSHV_CREATE_VP, &(struct mshv_create_vp){ 0 }) < 0 && errno == ENOTTY,
	      "MSHV_CREATE_VP on it: ENOTTY");
	close(fd);

	part = create_partition(dev);
	f = fdopen(part, "r");
	CHECK(part >= 0 && f, "fdopen of a partition descriptor");
	CHECK(f && fclose(f) == 0, "fclose");
	CHECK(deleted() == d0 + 2, "the partition is deleted (trace)");
	fd = open(trace, O_RDONLY);
	CHECK(fd == part, "a regular file opened next gets number %d (%d)", part, fd);
	errno = 0;
	CHECK(ioctl(fd, MSHV_INITIALIZE_PARTITION) < 0 && errno == ENOTTY,
	      "an MSHV ioctl on it: ENOTTY");
	close(fd);
}

/* --- vfork ------------------------------------------------------------------- */

static void vfork_close_exec(int dev)
{
	int part = create_partition(dev), d0 = deleted(), status = -1;
	pid_t pid;

	CHECK(part >= 0, "a partition");
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		close(part);
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "a vfork child closes its copy and execs /bin/true");
	CHECK(ioctl(part, MSHV_INITIALIZE_PARTITION) == 0, "the parent's partition still works");
	CHECK(deleted() == d0, "and is not deleted");
	CHECK(close(part) == 0 && deleted() == d0 + 1, "the parent's close deletes it");
}

/* --- an ioctl command wider than 32 bits --------------------------------------- */

static void wide_command(int dev)
{
	struct mshv_create_partition args = { 0 };
	int c0 = created(), d0 = deleted(), fd;
	long part;

	part = syscall(SYS_ioctl, dev, (1UL << 32) | MSHV_CREATE_PARTITION, &args);
	CHECK(part >= 0, "ioctl((1 << 32) | MSHV_CREATE_PARTITION) creates a partition");
	CHECK(created() == c0 + 1, "one create_partition in the trace");
	CHECK(syscall(SYS_ioctl, (int)part, (0xdeadbeefUL << 32) | MSHV_INITIALIZE_PARTITION) == 0,
	      "ioctl((0xdeadbeef << 32) | MSHV_INITIALIZE_PARTITION) initializes it");
	CHECK(part >= 0 && close((int)part) == 0 && deleted() == d0 + 1,
	      "closing it deletes it: no leak");
	fd = open(trace, O_RDONLY);
	errno = 0;
	CHECK(syscall(SYS_ioctl, fd, (1UL << 32) | MSHV_INITIALIZE_PARTITION) < 0 &&
	      errno == ENOTTY, "the same wide command on a regular file: ENOTTY");
	close(fd);
}

/* --- the names of /dev/mshv ---------------------------------------------------- */

static void check_named(int fd, const char *how)
{
	CHECK(is_mshv_node(fd), "%s: the device", how);
	if (fd >= 0)
		close(fd);
}

static void names(int dev)
{
	struct open_how how = { .flags = O_RDWR | O_CLOEXEC };
	char cwd[4096];
	int d0 = deleted(), fd, dirfd, part;
	FILE *f;

	f = fopen("/dev/mshv", "r+");
	CHECK(f && is_mshv_node(fileno(f)), "fopen(\"/dev/mshv\", \"r+\"): the device");
	part = f ? create_partition(fileno(f)) : -1;
	CHECK(part >= 0, "which creates partitions");
	if (part >= 0)
		close(part);
	if (f)
		fclose(f);
	CHECK(deleted() == d0 + 1, "the partition is deleted after its close");

	check_named(openat(AT_FDCWD, "/dev/mshv", O_RDWR), "openat(AT_FDCWD, \"/dev/mshv\")");
	check_named((int)syscall(SYS_openat, AT_FDCWD, "/dev/mshv", O_RDWR, 0),
		    "syscall(SYS_openat)");
	check_named((int)syscall(SYS_open, "/dev/mshv", O_RDWR, 0), "syscall(SYS_open)");
	check_named(open("//dev/mshv", O_RDWR), "\"//dev/mshv\"");
	check_named(open("/dev/./mshv", O_RDWR), "\"/dev/./mshv\"");
	check_named(open("/dev/../dev/mshv", O_RDWR), "\"/dev/../dev/mshv\"");
	check_named(open("/dev//mshv", O_RDONLY), "\"/dev//mshv\", O_RDONLY");
	check_named((int)syscall(SYS_openat2, AT_FDCWD, "/dev/mshv", &how, sizeof(how)),
		    "openat2(\"/dev/mshv\")");

	CHECK(getcwd(cwd, sizeof(cwd)) != NULL, "the working directory");
	CHECK(chdir("/dev") == 0, "chdir(\"/dev\")");
	check_named(open("mshv", O_RDWR), "relative \"mshv\" in /dev");
	check_named(open("./mshv", O_RDWR), "relative \"./mshv\" in /dev");
	CHECK(chdir("/tmp") == 0, "chdir(\"/tmp\")");
	check_named(open("../dev/mshv", O_RDWR), "relative \"../dev/mshv\" from /tmp");
	CHECK(chdir(cwd) == 0, "back to the working directory");

	dirfd = open("/dev", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(dirfd >= 0, "a descriptor of /dev");
	check_named(openat(dirfd, "mshv", O_RDWR), "openat(dirfd of /dev, \"mshv\")");
	check_named((int)syscall(SYS_openat2, dirfd, "mshv", &how, sizeof(how)),
		    "openat2(dirfd of /dev, \"mshv\")");
	close(dirfd);

	errno = 0;
	fd = open("/dev/mshvx", O_RDWR);
	CHECK(fd < 0 && errno == ENOENT, "\"/dev/mshvx\" is not the device (ENOENT)");
	if (fd >= 0)
		close(fd);
	errno = 0;
	fd = open("/dev/mshv/", O_RDWR);
	CHECK(fd < 0 && (errno == ENOTDIR || errno == ENOENT),
	      "\"/dev/mshv/\" is not the device (ENOTDIR or ENOENT)");
	if (fd >= 0)
		close(fd);
	errno = 0;
	fd = open("/dev/mshv", O_RDONLY | O_DIRECTORY);
	CHECK(fd < 0 && errno == ENOTDIR, "O_DIRECTORY: ENOTDIR");
	if (fd >= 0)
		close(fd);
	errno = 0;
	fd = open("/dev/mshv", O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd < 0 && errno == EEXIST, "O_CREAT|O_EXCL: EEXIST");
	if (fd >= 0)
		close(fd);
	CHECK(is_mshv_node(dev), "the first device descriptor is still the device");
}

/* --- mmap ---------------------------------------------------------------------- */

static void mappings(int dev)
{
	struct mshv_create_vp vpargs = { .vp_index = 0 };
	int part = create_partition(dev), vp, fd;
	struct stat st;
	void *m;

	CHECK(part >= 0 && ioctl(part, MSHV_INITIALIZE_PARTITION) == 0,
	      "an initialized partition");
	vp = ioctl(part, MSHV_CREATE_VP, &vpargs);
	CHECK(vp >= 0, "a VP");
	errno = 0;
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, part, 0);
	CHECK(m == MAP_FAILED && errno == ENODEV, "mmap of the partition: ENODEV");
	errno = 0;
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vp, 4 * 4096);
	CHECK(m == MAP_FAILED && errno == EINVAL, "mmap of the VP past its pages: EINVAL");
	errno = 0;
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, dev, 0);
	CHECK(m == MAP_FAILED && errno == ENODEV, "mmap of /dev/mshv: ENODEV");
	CHECK(fstat(vp, &st) == 0 && (st.st_mode & S_IFMT) == 0 && (st.st_mode & 07777) == 0600,
	      "the VP is still an emulated descriptor after the refused mmaps");
	CHECK(ioctl(part, MSHV_CREATE_VP, &vpargs) < 0 && errno == EEXIST,
	      "and still in its partition (CREATE_VP 0 again: EEXIST)");

	/* Linux ignores the descriptor of an anonymous mapping. */
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, part, 0);
	CHECK(m != MAP_FAILED, "an anonymous mapping that names the partition's descriptor "
	      "(ignored, as Linux ignores it)");
	if (m != MAP_FAILED)
		munmap(m, 4096);

	fd = open("/proc/self/exe", O_RDONLY);
	m = fd >= 0 ? mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	CHECK(m != MAP_FAILED && memcmp(m, "\177ELF", 4) == 0,
	      "mmap of an ordinary file works and reads its bytes");
	if (m != MAP_FAILED)
		munmap(m, 4096);
	if (fd >= 0)
		close(fd);
	close(vp);
	close(part);
}

/* --- a high-numbered ordinary descriptor ------------------------------------------ */

static void high_descriptor(int dev)
{
	struct rlimit lim;
	struct stat st;
	char buf[16] = { 0 };
	int p[2], n = -1, part, high_part;

	CHECK(getrlimit(RLIMIT_NOFILE, &lim) == 0, "RLIMIT_NOFILE");
	if (lim.rlim_cur < 1100 && lim.rlim_max >= 1100) {
		lim.rlim_cur = 1100;
		CHECK(setrlimit(RLIMIT_NOFILE, &lim) == 0, "raised to 1100");
	}
	CHECK(pipe(p) == 0, "a pipe");
	CHECK(dup2(p[0], 900) == 900 && dup2(p[1], 901) == 901, "moved to 900 and 901");
	close(p[0]);
	close(p[1]);
	CHECK(write(901, "hello", 5) == 5, "write to 901");
	CHECK(ioctl(900, FIONREAD, &n) == 0 && n == 5, "ioctl(900, FIONREAD): 5 (%d)", n);
	CHECK(fstat(900, &st) == 0 && S_ISFIFO(st.st_mode), "fstat(900): a FIFO");
	CHECK(read(900, buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0,
	      "read(900): the bytes written");
	errno = 0;
	CHECK(ioctl(900, MSHV_INITIALIZE_PARTITION) < 0 && errno == ENOTTY,
	      "an MSHV ioctl on it: the pipe's ENOTTY");
	close(900);
	close(901);

	part = create_partition(dev);
	high_part = part >= 0 ? dup2(part, 1050) : -1;
	CHECK(high_part == 1050, "a partition moved to 1050");
	close(part);
	CHECK(ioctl(1050, MSHV_INITIALIZE_PARTITION) == 0, "works there");
	close(1050);
}

int main(int argc, char **argv)
{
	int dev, c0, d0, fds;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TRACE\n", argv[0]);
		return 2;
	}
	trace = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	CHECK(trace_reset(trace) == 0, "the trace (%s) is empty to start", trace);
	fds = open_fds();
	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	CHECK(dev >= 0, "open /dev/mshv");
	c0 = created();
	d0 = deleted();

	toggled_argument(dev);
	closing_signal_handler(dev);
	interrupted_create_vp(dev);
	other_closes(dev);
	vfork_close_exec(dev);
	wide_command(dev);
	names(dev);
	mappings(dev);
	high_descriptor(dev);

	CHECK(close(dev) == 0, "the device closes");
	CHECK(created() - c0 == deleted() - d0, "in all: %d partitions created, %d deleted",
	      created() - c0, deleted() - d0);
	CHECK(open_fds() == fds, "descriptors: %d at the start, %d at the end", fds, open_fds());
	printf("%s\n", check_failures ? "FAILED" : "PASSED");
	return check_failures ? 1 : 0;
}
