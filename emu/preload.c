// SPDX-License-Identifier: MIT
/*
 * libmshv-emu.so: an emulated /dev/mshv for unmodified programs, loaded
 * with LD_PRELOAD.
 *
 * Opening /dev/mshv, and the partition and VP descriptors its ioctls hand
 * out, are real kernel descriptors (memfds, so numbering, poll, dup and
 * close keep working); ioctls on them go through kernel/ (the driver code
 * compiled in userspace) into hv/ (the hypervisor model), in a simulated
 * machine built on first use. Every other descriptor and call passes
 * straight to libc.
 *
 * Configuration (environment): MSHV_EMU_HOST (what the host offers, see
 * emu/sim.h; default this machine), MSHV_EMU_KERNEL (v1-only, cpu-features,
 * nested-smt), MSHV_EMU_TRACE (hypercall trace file, JSON Lines).
 *
 * The descriptor table below is the one piece of global mutable state in
 * the project: interposing on libc leaves no other place to keep it. One
 * mutex guards it and every call into the simulated machine, so a fork
 * (prepared by pthread_atfork) never copies a half-held lock. Each process
 * has its own hypervisor: a child starts from a copy of its parent's.
 */
#define _GNU_SOURCE
/*
 * Both open() and open64() (stat, fstat... alike) are interposed: with
 * 64-bit off_t by default, glibc's headers would make them one symbol.
 */
#undef _FILE_OFFSET_BITS
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/mshv.h>

#include "sim.h"

#define EMU_EXPORT __attribute__((visibility("default")))

/* The misc device numbers a real /dev/mshv would have (major 10, dynamic minor). */
#define MSHV_MISC_MAJOR 10
#define MSHV_MISC_MINOR 124

/* memfd names: how a descriptor inherited across exec is recognised. */
#define MEMFD_DEV "mshv-emu:dev"
#define MEMFD_PARTITION "mshv-emu:partition"
#define MEMFD_VP "mshv-emu:vp"

enum emu_kind {
	EMU_NONE,
	EMU_DEV,
	EMU_PARTITION,
	EMU_VP,
	EMU_STALE,	/* a partition/VP descriptor that survived exec: nothing behind it */
};

struct emu_fd {
	int kfd;		/* descriptor in the simulated kernel */
	enum emu_kind kind;
};

static struct {
	pthread_mutex_t lock;
	struct emu_fd *fds;	/* indexed by real descriptor */
	size_t nfds;
	struct sim *sim;
	bool sim_failed;
	unsigned int warned;	/* one explanation per unsupported ioctl kind */
} emu = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* libc's own functions, found once. */
static struct {
	int (*open)(const char *, int, ...);
	int (*open64)(const char *, int, ...);
	int (*openat)(int, const char *, int, ...);
	int (*openat64)(int, const char *, int, ...);
	int (*__open_2)(const char *, int);
	int (*__open64_2)(const char *, int);
	int (*__openat_2)(int, const char *, int);
	int (*__openat64_2)(int, const char *, int);
	int (*ioctl)(int, unsigned long, ...);
	int (*close)(int);
	int (*dup)(int);
	int (*dup2)(int, int);
	int (*dup3)(int, int, int);
	int (*fcntl)(int, int, ...);
	int (*fcntl64)(int, int, ...);
	int (*fstat)(int, struct stat *);
	int (*fstat64)(int, struct stat64 *);
	int (*stat)(const char *, struct stat *);
	int (*stat64)(const char *, struct stat64 *);
	int (*lstat)(const char *, struct stat *);
	int (*lstat64)(const char *, struct stat64 *);
	int (*fstatat)(int, const char *, struct stat *, int);
	int (*fstatat64)(int, const char *, struct stat64 *, int);
	int (*access)(const char *, int);
	int (*faccessat)(int, const char *, int, int);
} real;

static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void resolve_real(void)
{
#define RESOLVE(name) real.name = dlsym(RTLD_NEXT, #name)
	RESOLVE(open);
	RESOLVE(open64);
	RESOLVE(openat);
	RESOLVE(openat64);
	RESOLVE(__open_2);
	RESOLVE(__open64_2);
	RESOLVE(__openat_2);
	RESOLVE(__openat64_2);
	RESOLVE(ioctl);
	RESOLVE(close);
	RESOLVE(dup);
	RESOLVE(dup2);
	RESOLVE(dup3);
	RESOLVE(fcntl);
	RESOLVE(fcntl64);
	if (!real.fcntl64)	/* glibc before 2.28 */
		real.fcntl64 = real.fcntl;
	RESOLVE(fstat);
	RESOLVE(fstat64);
	RESOLVE(stat);
	RESOLVE(stat64);
	RESOLVE(lstat);
	RESOLVE(lstat64);
	RESOLVE(fstatat);
	RESOLVE(fstatat64);
	RESOLVE(access);
	RESOLVE(faccessat);
#undef RESOLVE
}

#define REAL(name) (pthread_once(&real_once, resolve_real), real.name)

static void lock(void)
{
	pthread_mutex_lock(&emu.lock);
}

static void unlock(void)
{
	pthread_mutex_unlock(&emu.lock);
}

/* Caller holds the lock. */
static struct emu_fd *entry(int fd)
{
	if (fd < 0 || (size_t)fd >= emu.nfds || emu.fds[fd].kind == EMU_NONE)
		return NULL;
	return &emu.fds[fd];
}

/* Caller holds the lock. 0 or -ENOMEM. */
static int set_entry(int fd, int kfd, enum emu_kind kind)
{
	if ((size_t)fd >= emu.nfds) {
		size_t n = emu.nfds ? emu.nfds : 64;
		struct emu_fd *grown;

		while (n <= (size_t)fd)
			n *= 2;
		grown = realloc(emu.fds, n * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		memset(grown + emu.nfds, 0, (n - emu.nfds) * sizeof(*grown));
		emu.fds = grown;
		emu.nfds = n;
	}
	emu.fds[fd] = (struct emu_fd){ .kfd = kfd, .kind = kind };
	return 0;
}

/* Caller holds the lock: forget @fd and release what it held in the sim. */
static void drop_entry(int fd)
{
	struct emu_fd *e = entry(fd);

	if (!e)
		return;
	if (e->kind != EMU_STALE && emu.sim)
		kshim_close(sim_kshim(emu.sim), e->kfd);
	e->kind = EMU_NONE;
}

static void explain(const char *what)
{
	fprintf(stderr, "mshv-emu: %s\n", what);
}

/* Caller holds the lock. The machine is built on first use, once. */
static struct sim *get_sim(void)
{
	struct sim_config config = { .host = getenv("MSHV_EMU_HOST"),
				     .abi = KSHIM_ABI_DEFAULT,
				     .trace_path = getenv("MSHV_EMU_TRACE") };
	struct mshvcpu_error err = { 0 };
	const char *kernel = getenv("MSHV_EMU_KERNEL");

	if (emu.sim || emu.sim_failed)
		return emu.sim;
	if (config.host && !*config.host)
		config.host = NULL;
	if (kernel && *kernel && kshim_abi_parse(kernel, &config.abi)) {
		fprintf(stderr, "mshv-emu: MSHV_EMU_KERNEL=%s: not v1-only, cpu-features "
			"or nested-smt; /dev/mshv is unavailable\n", kernel);
		emu.sim_failed = true;
		return NULL;
	}
	if (config.trace_path && !*config.trace_path)
		config.trace_path = NULL;
	if (sim_create(&config, &emu.sim, &err)) {
		fprintf(stderr, "mshv-emu: cannot emulate /dev/mshv: %s\n",
			err.message[0] ? err.message : strerror(-err.code));
		emu.sim_failed = true;
		emu.sim = NULL;
	}
	return emu.sim;
}

static bool is_mshv_path(int dirfd, const char *path)
{
	if (!path)
		return false;
	if (strcmp(path, "/dev/mshv") == 0)
		return true;
	/* "mshv" relative to a descriptor of /dev is the same file. */
	if (dirfd != AT_FDCWD && strcmp(path, "mshv") == 0) {
		char link[64], target[16];
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n == 4 && memcmp(target, "/dev", 4) == 0)
			return true;
	}
	return false;
}

/* A real descriptor to stand for a driver descriptor of @kind. */
static int reserve(enum emu_kind kind, bool cloexec)
{
	const char *name = kind == EMU_DEV ? MEMFD_DEV :
			   kind == EMU_PARTITION ? MEMFD_PARTITION : MEMFD_VP;
	int fd = memfd_create(name, cloexec ? MFD_CLOEXEC : 0);

	return fd < 0 ? -errno : fd;
}

/* Caller holds the lock: a real descriptor standing for @kfd. */
static int install(int kfd, enum emu_kind kind, bool cloexec)
{
	int fd = reserve(kind, cloexec);

	if (fd < 0)
		return fd;
	if (set_entry(fd, kfd, kind)) {
		REAL(close)(fd);
		return -ENOMEM;
	}
	return fd;
}

static int emu_open(int flags)
{
	struct sim *sim;
	int kfd, fd;

	if ((flags & O_CREAT) && (flags & O_EXCL)) {
		errno = EEXIST;
		return -1;
	}
	if (flags & O_DIRECTORY) {
		errno = ENOTDIR;
		return -1;
	}
	lock();
	sim = get_sim();
	if (!sim) {
		unlock();
		errno = ENODEV;
		return -1;
	}
	kfd = kshim_open_dev(sim_kshim(sim));
	if (kfd < 0) {
		unlock();
		errno = -kfd;
		return -1;
	}
	fd = install(kfd, EMU_DEV, flags & O_CLOEXEC);
	if (fd < 0)
		kshim_close(sim_kshim(sim), kfd);
	unlock();
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	return fd;
}

static mode_t open_mode(int flags, va_list ap)
{
	return (flags & (O_CREAT | __O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

EMU_EXPORT int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	if (is_mshv_path(AT_FDCWD, path))
		return emu_open(flags);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return REAL(open)(path, flags, mode);
}

EMU_EXPORT int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	if (is_mshv_path(AT_FDCWD, path))
		return emu_open(flags);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return REAL(open64)(path, flags, mode);
}

EMU_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	if (is_mshv_path(dirfd, path))
		return emu_open(flags);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return REAL(openat)(dirfd, path, flags, mode);
}

EMU_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	if (is_mshv_path(dirfd, path))
		return emu_open(flags);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return REAL(openat64)(dirfd, path, flags, mode);
}

/* The _FORTIFY_SOURCE entry points (declared by glibc only when fortifying). */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

EMU_EXPORT int __open_2(const char *path, int flags)
{
	return is_mshv_path(AT_FDCWD, path) ? emu_open(flags) : REAL(__open_2)(path, flags);
}

EMU_EXPORT int __open64_2(const char *path, int flags)
{
	return is_mshv_path(AT_FDCWD, path) ? emu_open(flags) : REAL(__open64_2)(path, flags);
}

EMU_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	return is_mshv_path(dirfd, path) ? emu_open(flags) : REAL(__openat_2)(dirfd, path, flags);
}

EMU_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	return is_mshv_path(dirfd, path) ? emu_open(flags) :
	       REAL(__openat64_2)(dirfd, path, flags);
}

/*
 * Ioctls that need a running guest (memory, interrupts, VP execution and
 * state): the emulator has no guest to run, and says so once per kind.
 */
static const struct {
	unsigned long request;
	const char *name;
} guest_ioctls[] = {
	{ MSHV_SET_GUEST_MEMORY, "MSHV_SET_GUEST_MEMORY" },
	{ MSHV_IRQFD, "MSHV_IRQFD" },
	{ MSHV_IOEVENTFD, "MSHV_IOEVENTFD" },
	{ MSHV_SET_MSI_ROUTING, "MSHV_SET_MSI_ROUTING" },
	{ MSHV_GET_GPAP_ACCESS_BITMAP, "MSHV_GET_GPAP_ACCESS_BITMAP" },
	{ MSHV_RUN_VP, "MSHV_RUN_VP" },
	{ MSHV_GET_VP_STATE, "MSHV_GET_VP_STATE" },
	{ MSHV_SET_VP_STATE, "MSHV_SET_VP_STATE" },
};

/* Caller holds the lock. */
static bool refuse_guest_ioctl(unsigned long request)
{
	size_t i;

	for (i = 0; i < sizeof(guest_ioctls) / sizeof(guest_ioctls[0]); i++) {
		char msg[200];

		if (guest_ioctls[i].request != request)
			continue;
		if (!(emu.warned & (1u << i))) {
			emu.warned |= 1u << i;
			snprintf(msg, sizeof(msg), "%s needs a running guest, which the emulator "
				 "does not provide; it fails with EOPNOTSUPP", guest_ioctls[i].name);
			explain(msg);
		}
		return true;
	}
	return false;
}

EMU_EXPORT int ioctl(int fd, unsigned long request, ...)
{
	struct emu_fd *e;
	va_list ap;
	void *arg;
	long ret;
	int kfd, newfd;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	lock();
	e = entry(fd);
	if (!e) {
		unlock();
		return REAL(ioctl)(fd, request, arg);
	}
	if (e->kind == EMU_STALE) {
		unlock();
		errno = EIO;
		return -1;
	}
	if (e->kind != EMU_DEV && refuse_guest_ioctl(request)) {
		unlock();
		errno = EOPNOTSUPP;
		return -1;
	}
	kfd = e->kfd;
	if ((e->kind == EMU_DEV && request == MSHV_CREATE_PARTITION) ||
	    (e->kind == EMU_PARTITION && request == MSHV_CREATE_VP)) {
		/*
		 * The driver makes a descriptor: the program's real one is
		 * reserved first, so that at EMFILE nothing is created at all
		 * (a VP, once created, could not be created again).
		 */
		enum emu_kind kind = e->kind == EMU_DEV ? EMU_PARTITION : EMU_VP;

		newfd = reserve(kind, true);
		if (newfd < 0) {
			unlock();
			errno = -newfd;
			return -1;
		}
		ret = kshim_ioctl(sim_kshim(emu.sim), kfd, (unsigned int)request,
				  (unsigned long)arg);
		if (ret >= 0 && set_entry(newfd, (int)ret, kind)) {
			kshim_close(sim_kshim(emu.sim), (int)ret);
			ret = -ENOMEM;
		}
		if (ret < 0)
			REAL(close)(newfd);
		else
			ret = newfd;
	} else {
		ret = kshim_ioctl(sim_kshim(emu.sim), kfd, (unsigned int)request,
				  (unsigned long)arg);
	}
	unlock();
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return (int)ret;
}

EMU_EXPORT int close(int fd)
{
	lock();
	drop_entry(fd);
	unlock();
	return REAL(close)(fd);
}

/* Caller holds the lock: @newfd now refers to what @oldfd does. */
static int mirror(int oldfd, int newfd)
{
	struct emu_fd *e = entry(oldfd);
	int kfd = -1;

	if (!e)
		return 0;
	if (e->kind != EMU_STALE) {
		kfd = kshim_dup(sim_kshim(emu.sim), e->kfd);
		if (kfd < 0)
			return kfd;
	}
	e = entry(oldfd);	/* set_entry may move the table */
	return set_entry(newfd, kfd, e->kind);
}

EMU_EXPORT int dup(int oldfd)
{
	int fd, ret;

	lock();
	fd = REAL(dup)(oldfd);
	if (fd >= 0 && (ret = mirror(oldfd, fd)) < 0) {
		REAL(close)(fd);
		fd = -1;
		errno = -ret;
	}
	unlock();
	return fd;
}

static int dup_onto(int oldfd, int newfd, int flags, bool is_dup3)
{
	int fd, ret;

	lock();
	fd = is_dup3 ? REAL(dup3)(oldfd, newfd, flags) : REAL(dup2)(oldfd, newfd);
	if (fd >= 0 && oldfd != newfd) {
		/* The old @newfd was closed implicitly. */
		drop_entry(newfd);
		if ((ret = mirror(oldfd, newfd)) < 0) {
			REAL(close)(newfd);
			fd = -1;
			errno = -ret;
		}
	}
	unlock();
	return fd;
}

EMU_EXPORT int dup2(int oldfd, int newfd)
{
	return dup_onto(oldfd, newfd, 0, false);
}

EMU_EXPORT int dup3(int oldfd, int newfd, int flags)
{
	return dup_onto(oldfd, newfd, flags, true);
}

/* F_DUPFD and F_DUPFD_CLOEXEC duplicate; every other command passes through. */
static int fcntl_common(int (*real_fcntl)(int, int, ...), int fd, int cmd, long arg)
{
	int ret, err;

	if (cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC)
		return real_fcntl(fd, cmd, arg);
	lock();
	ret = real_fcntl(fd, cmd, arg);
	if (ret >= 0 && (err = mirror(fd, ret)) < 0) {
		REAL(close)(ret);
		ret = -1;
		errno = -err;
	}
	unlock();
	return ret;
}

EMU_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return fcntl_common(REAL(fcntl), fd, cmd, arg);
}

/* What programs built with 64-bit off_t call (glibc >= 2.28). */
EMU_EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return fcntl_common(REAL(fcntl64), fd, cmd, arg);
}

/* What the kernel reports for the device node and for anon-inode descriptors. */
static void fill_stat(struct stat *st, enum emu_kind kind)
{
	memset(st, 0, sizeof(*st));
	st->st_nlink = 1;
	st->st_blksize = 4096;
	if (kind == EMU_DEV) {
		st->st_mode = S_IFCHR | 0600;
		st->st_rdev = makedev(MSHV_MISC_MAJOR, MSHV_MISC_MINOR);
	} else {
		st->st_mode = 0600;	/* anon_inode: no file type */
	}
}

static bool fd_stat(int fd, struct stat *st)
{
	struct emu_fd *e;
	bool ours;

	lock();
	e = entry(fd);
	ours = e != NULL;
	if (ours)
		fill_stat(st, e->kind);
	unlock();
	return ours;
}

EMU_EXPORT int fstat(int fd, struct stat *st)
{
	return fd_stat(fd, st) ? 0 : REAL(fstat)(fd, st);
}

EMU_EXPORT int fstat64(int fd, struct stat64 *st)
{
	_Static_assert(sizeof(struct stat) == sizeof(struct stat64), "LP64 stat");
	return fd_stat(fd, (struct stat *)st) ? 0 : REAL(fstat64)(fd, st);
}

EMU_EXPORT int stat(const char *path, struct stat *st)
{
	if (is_mshv_path(AT_FDCWD, path)) {
		fill_stat(st, EMU_DEV);
		return 0;
	}
	return REAL(stat)(path, st);
}

EMU_EXPORT int stat64(const char *path, struct stat64 *st)
{
	if (is_mshv_path(AT_FDCWD, path)) {
		fill_stat((struct stat *)st, EMU_DEV);
		return 0;
	}
	return REAL(stat64)(path, st);
}

EMU_EXPORT int lstat(const char *path, struct stat *st)
{
	if (is_mshv_path(AT_FDCWD, path)) {
		fill_stat(st, EMU_DEV);
		return 0;
	}
	return REAL(lstat)(path, st);
}

EMU_EXPORT int lstat64(const char *path, struct stat64 *st)
{
	if (is_mshv_path(AT_FDCWD, path)) {
		fill_stat((struct stat *)st, EMU_DEV);
		return 0;
	}
	return REAL(lstat64)(path, st);
}

EMU_EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	if ((flags & AT_EMPTY_PATH) && !*path && fd_stat(dirfd, st))
		return 0;
	if (is_mshv_path(dirfd, path)) {
		fill_stat(st, EMU_DEV);
		return 0;
	}
	return REAL(fstatat)(dirfd, path, st, flags);
}

EMU_EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return fstatat(dirfd, path, (struct stat *)st, flags);
}

EMU_EXPORT int access(const char *path, int mode)
{
	if (is_mshv_path(AT_FDCWD, path))
		return (mode & X_OK) ? (errno = EACCES, -1) : 0;
	return REAL(access)(path, mode);
}

EMU_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	if (is_mshv_path(dirfd, path))
		return (mode & X_OK) ? (errno = EACCES, -1) : 0;
	return REAL(faccessat)(dirfd, path, mode, flags);
}

/*
 * fork: hold the lock across it so the child never inherits it held; the
 * child's copy of the machine is its own from then on.
 */
static void before_fork(void)
{
	lock();
}

static void after_fork(void)
{
	unlock();
}

/*
 * After exec the table is empty, but descriptors may have been inherited:
 * a /dev/mshv opened without O_CLOEXEC is adopted again (the device has no
 * state), a partition or VP descriptor a program kept open is stale: its
 * partition stayed with the old process image.
 */
static void adopt_inherited(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char link[64], target[64];
		int fd = atoi(de->d_name);
		ssize_t n;

		if (de->d_name[0] == '.' || fd == dirfd(d))
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strncmp(target, "/memfd:" MEMFD_DEV, strlen("/memfd:" MEMFD_DEV)) == 0) {
			struct sim *sim = get_sim();
			int kfd = sim ? kshim_open_dev(sim_kshim(sim)) : -1;

			if (kfd >= 0)
				set_entry(fd, kfd, EMU_DEV);
		} else if (strncmp(target, "/memfd:" MEMFD_PARTITION,
				   strlen("/memfd:" MEMFD_PARTITION)) == 0 ||
			   strncmp(target, "/memfd:" MEMFD_VP, strlen("/memfd:" MEMFD_VP)) == 0) {
			set_entry(fd, -1, EMU_STALE);
		}
	}
	closedir(d);
}

__attribute__((constructor)) static void emu_init(void)
{
	pthread_atfork(before_fork, after_fork, after_fork);
	lock();
	adopt_inherited();
	unlock();
}

__attribute__((destructor)) static void emu_fini(void)
{
	struct sim *sim;

	/*
	 * Release the machine so leak checkers see a clean exit. Destroy it
	 * outside the lock: closing its trace file goes through close() above.
	 */
	lock();
	sim = emu.sim;
	emu.sim = NULL;
	emu.sim_failed = true;
	free(emu.fds);
	emu.fds = NULL;
	emu.nfds = 0;
	unlock();
	sim_destroy(sim);
}
