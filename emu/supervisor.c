// SPDX-License-Identifier: MIT
/*
 * The supervisor of an emulated program (see supervisor.h).
 *
 * Every emulated file -- /dev/mshv, a partition, a VP -- is an object here:
 * a descriptor in the simulated kernel (kshim), and a memfd whose inode
 * names it. The program gets a description of its own of that memfd,
 * installed with SECCOMP_IOCTL_NOTIF_ADDFD; the supervisor keeps another.
 * A descriptor in the program is recognised by the inode behind
 * /proc/<pid>/fd/<n>, so it does not matter how it got there (dup, fork,
 * SCM_RIGHTS). When the program's description goes away -- its last
 * descriptor closed, in whatever process, by whatever call -- inotify
 * reports a close of the inode, and the object is released in the
 * simulated kernel, as Linux would release the file.
 *
 * One thread serves every notification in arrival order. Close events
 * are read before each notification, so a program that closes a
 * partition and then asks anything of the emulator sees it gone.
 *
 * Pages the hypervisor model lends the root (a VP's register page and
 * intercept message page) come from the supervisor: each VP's block is a
 * memfd of its own, mapped shared here. That memfd is also the VP
 * object's, so when the program maps its VP descriptor at an offset the
 * driver allows, the kernel maps the very page the model reads and
 * writes: the program and the model share it, as a VMM and the
 * hypervisor do.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mshv.h>

#include "supervisor.h"

/* The misc device numbers a real /dev/mshv has (major 10, dynamic minor). */
#define MSHV_MISC_MAJOR		10
#define MSHV_MISC_MINOR		124

#define EMU_PATH_MAX		4096

struct emu_object {
	dev_t dev;
	ino_t ino;
	int kfd;			/* descriptor in the simulated kernel */
	enum kshim_fd_kind kind;
	int memfd;			/* the supervisor's own description */
	int watch;			/* inotify watch descriptor */
	int open_descriptions;		/* the program's, from inotify */
	bool live;
};

/* A block of pages lent to the model, and the memfd that holds it. */
struct emu_lent {
	uint8_t *addr;
	size_t len;
	int memfd;
};

struct supervisor {
	const struct emu_run_config *config;
	struct sim *sim;
	struct kshim *k;
	int listener;
	int closes;			/* inotify */
	struct emu_object *objs;
	size_t nobjs, cap;
	size_t live;
	uint32_t explained;		/* guest ioctls already explained */
	bool explained_long_map;
	struct emu_lent *lent;
	size_t nlent, lent_cap;
	struct seccomp_notif *req;
	size_t req_size;
};

/* --- the program's memory ---------------------------------------------- */

static int target_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };

	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

static int target_write(pid_t pid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };

	return process_vm_writev(pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

/* A NUL-terminated string, read a page at a time so an unmapped tail is no fault. */
static int target_string(pid_t pid, uint64_t addr, char *buf, size_t cap)
{
	size_t got = 0;

	while (got < cap) {
		size_t chunk = 4096 - ((addr + got) & 4095);
		char *nul;

		if (chunk > cap - got)
			chunk = cap - got;
		if (target_read(pid, addr + got, buf + got, chunk))
			return -EFAULT;
		nul = memchr(buf + got, '\0', chunk);
		if (nul)
			return (int)(nul - buf);
		got += chunk;
	}
	return -ENAMETOOLONG;
}

/*
 * Does @path, as process @pid resolves it from @dirfd, name /dev/mshv?
 * The directory part is resolved through /proc, so "//dev/mshv",
 * "/dev/./mshv" and "mshv" in /dev all count; the device itself need not
 * exist on this machine.
 */
static bool names_dev_mshv(pid_t pid, int dirfd, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dlen = slash ? (int)(slash - path) : 0;
	char dir[EMU_PATH_MAX + 64], real[PATH_MAX];

	if (strcmp(base, "mshv") != 0)
		return false;
	if (path[0] == '/')
		snprintf(dir, sizeof(dir), "/%.*s", dlen, path);
	else if (dirfd == AT_FDCWD)
		snprintf(dir, sizeof(dir), "/proc/%d/cwd/%.*s", pid, dlen, path);
	else
		snprintf(dir, sizeof(dir), "/proc/%d/fd/%d/%.*s", pid, dirfd, dlen, path);
	return realpath(dir, real) && strcmp(real, "/dev") == 0;
}

/* Is there a descriptor number below the program's RLIMIT_NOFILE left? */
static bool target_has_free_fd(pid_t pid)
{
	char dir[64];
	struct rlimit lim;
	struct dirent *e;
	unsigned long used = 0;
	DIR *d;

	if (prlimit(pid, RLIMIT_NOFILE, NULL, &lim))
		return true;	/* let ADDFD be the judge */
	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	d = opendir(dir);
	if (!d)
		return true;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && strtoul(e->d_name, NULL, 10) < lim.rlim_cur)
			used++;
	closedir(d);
	return used < lim.rlim_cur;
}

/* --- pages lent to the hypervisor model ----------------------------------- */

static void *lend_pages(void *ctx, size_t bytes)
{
	struct supervisor *s = ctx;
	struct emu_lent *l;
	void *addr;
	int fd;

	if (s->nlent == s->lent_cap) {
		size_t cap = s->lent_cap ? 2 * s->lent_cap : 16;
		struct emu_lent *grown = realloc(s->lent, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		s->lent = grown;
		s->lent_cap = cap;
	}
	fd = memfd_create("mshv-emu:vp", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (ftruncate(fd, (off_t)bytes)) {
		close(fd);
		return NULL;
	}
	addr = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (addr == MAP_FAILED) {
		close(fd);
		return NULL;
	}
	l = &s->lent[s->nlent++];
	*l = (struct emu_lent){ addr, bytes, fd };
	return addr;	/* a new memfd reads as zeroes */
}

static void return_pages(void *ctx, void *pages, size_t bytes)
{
	struct supervisor *s = ctx;
	size_t i;

	for (i = 0; i < s->nlent; i++) {
		if (s->lent[i].addr != pages)
			continue;
		munmap(pages, bytes);
		close(s->lent[i].memfd);
		s->lent[i] = s->lent[--s->nlent];
		return;
	}
}

/* The lent block holding @page, or NULL. */
static struct emu_lent *lent_holding(struct supervisor *s, const void *page)
{
	const uint8_t *p = page;
	size_t i;

	for (i = 0; i < s->nlent; i++)
		if (p >= s->lent[i].addr && p < s->lent[i].addr + s->lent[i].len)
			return &s->lent[i];
	return NULL;
}

/*
 * The memfd behind the pages the driver shows at the start of file @kfd's
 * mappings, when they are all one lent block laid out by page offset (a
 * VP's); -1 when the file has no pages to map.
 */
static int lent_memfd_of(struct supervisor *s, int kfd)
{
	struct emu_lent *block = NULL;
	unsigned long pgoff;
	void *page;

	for (pgoff = 0; pgoff < MSHV_VP_MMAP_OFFSET_COUNT; pgoff++) {
		struct emu_lent *l;

		if (kshim_mmap(s->k, kfd, pgoff, 4096, &page))
			continue;
		l = lent_holding(s, page);
		if (!l || (block && l != block) || (uint8_t *)page != l->addr + pgoff * 4096)
			return -1;
		block = l;
	}
	return block ? block->memfd : -1;
}

/* --- objects ------------------------------------------------------------ */

static struct emu_object *object_of(struct supervisor *s, pid_t pid, int fd)
{
	char link[64];
	struct stat st;
	size_t i;

	if (!s->live || fd < 0)
		return NULL;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
	if (stat(link, &st))
		return NULL;
	for (i = 0; i < s->nobjs; i++)
		if (s->objs[i].live && s->objs[i].ino == st.st_ino && s->objs[i].dev == st.st_dev)
			return &s->objs[i];
	return NULL;
}

static void object_release(struct supervisor *s, struct emu_object *o)
{
	inotify_rm_watch(s->closes, o->watch);
	close(o->memfd);
	/* The driver's release runs here: DeletePartition and the like. */
	kshim_close(s->k, o->kfd);
	o->live = false;
	s->live--;
}

static struct emu_object *object_slot(struct supervisor *s)
{
	size_t i;

	for (i = 0; i < s->nobjs; i++)
		if (!s->objs[i].live)
			return &s->objs[i];
	if (s->nobjs == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct emu_object *grown = realloc(s->objs, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		s->objs = grown;
		s->cap = cap;
	}
	return &s->objs[s->nobjs++];
}

static const char *const memfd_names[] = {
	[KSHIM_FD_DEV] = "mshv-emu:dev",
	[KSHIM_FD_PARTITION] = "mshv-emu:partition",
	[KSHIM_FD_VP] = "mshv-emu:vp",
	[KSHIM_FD_DEVICE] = "mshv-emu:device",
};

/*
 * Makes the object for simulated-kernel descriptor @kfd, of @kind, and
 * installs a descriptor for it in the program of the notification being
 * served. Returns the program's descriptor number, or -errno with nothing
 * made (@kfd is the caller's to undo).
 */
static int object_add(struct supervisor *s, int kfd, enum kshim_fd_kind kind, bool cloexec)
{
	struct seccomp_notif_addfd addfd = { .id = s->req->id };
	struct emu_object *o = object_slot(s);
	char self[64];
	struct stat st;
	int theirs, fd;

	if (!o || kind == KSHIM_FD_NONE)
		return -ENOMEM;
	*o = (struct emu_object){ .kfd = kfd, .kind = kind, .watch = -1 };
	/* A file with pages to map is named by the memfd that holds them. */
	fd = lent_memfd_of(s, kfd);
	o->memfd = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : memfd_create(memfd_names[kind],
									  MFD_CLOEXEC);
	if (o->memfd < 0)
		return -errno;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", o->memfd);
	/* Watch first: the program's description must be counted from its open. */
	o->watch = inotify_add_watch(s->closes, self, IN_OPEN | IN_CLOSE);
	theirs = o->watch < 0 || fstat(o->memfd, &st) ? -1 : open(self, O_RDWR | O_CLOEXEC);
	if (theirs < 0) {
		int err = -errno;

		if (o->watch >= 0)
			inotify_rm_watch(s->closes, o->watch);
		close(o->memfd);
		return err;
	}
	addfd.srcfd = (uint32_t)theirs;
	addfd.newfd_flags = cloexec ? O_CLOEXEC : 0;
	fd = ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	if (fd < 0) {
		int err = -errno;

		/* Never installed: no event will come for it. */
		close(theirs);
		inotify_rm_watch(s->closes, o->watch);
		close(o->memfd);
		return err;
	}
	/* The program holds the description now; its last close releases the object. */
	close(theirs);
	o->dev = st.st_dev;
	o->ino = st.st_ino;
	o->live = true;
	s->live++;
	return fd;
}

/* kshim's installer: a file the driver made during a supervised call. */
static int install_for_driver(void *ctx, int kfd, enum kshim_fd_kind kind, bool cloexec)
{
	return object_add(ctx, kfd, kind, cloexec);
}

/* Close events: the program's last reference to an object is gone. */
static void read_closes(struct supervisor *s)
{
	_Alignas(struct inotify_event) char buf[8192];

	for (;;) {
		ssize_t n = read(s->closes, buf, sizeof(buf));
		char *p;

		if (n <= 0)
			return;
		for (p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			size_t i;

			p += sizeof(*ev) + ev->len;
			for (i = 0; i < s->nobjs; i++) {
				struct emu_object *o = &s->objs[i];

				if (!o->live || o->watch != ev->wd)
					continue;
				if (ev->mask & IN_OPEN)
					o->open_descriptions++;
				if ((ev->mask & IN_CLOSE) && --o->open_descriptions <= 0)
					object_release(s, o);
				break;
			}
		}
	}
}

/* --- answers --------------------------------------------------------------- */

static void answer(struct supervisor *s, long val)
{
	struct seccomp_notif_resp resp = { .id = s->req->id };

	if (val < 0)
		resp.error = (int32_t)val;
	else
		resp.val = val;
	/* ENOENT: the program died meanwhile; nobody is waiting. */
	ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* Not ours: the kernel carries out the call as if nothing had looked. */
static void pass(struct supervisor *s)
{
	struct seccomp_notif_resp resp = {
		.id = s->req->id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE,
	};

	ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* --- /dev/mshv by name ------------------------------------------------------ */

static void on_open(struct supervisor *s, int dirfd, uint64_t path_addr, uint64_t flags)
{
	pid_t pid = (pid_t)s->req->pid;
	char path[EMU_PATH_MAX];
	int kfd, fd;

	if (target_string(pid, path_addr, path, sizeof(path)) < 0 ||
	    !names_dev_mshv(pid, dirfd, path))
		return pass(s);
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return answer(s, -EEXIST);
	if (flags & O_DIRECTORY)
		return answer(s, -ENOTDIR);
	kfd = kshim_open_dev(s->k);
	if (kfd < 0)
		return answer(s, kfd);
	fd = object_add(s, kfd, KSHIM_FD_DEV, flags & O_CLOEXEC);
	if (fd < 0)
		kshim_close(s->k, kfd);
	answer(s, fd);
}

static void on_openat2(struct supervisor *s)
{
	struct open_how how;
	const struct seccomp_data *d = &s->req->data;

	if (d->args[3] < sizeof(how) ||
	    target_read((pid_t)s->req->pid, d->args[2], &how, sizeof(how)))
		return pass(s);
	on_open(s, (int)d->args[0], d->args[1], how.flags);
}

/* What Linux reports for the device node, and for an anon-inode file. */
static void fill_stat(struct stat *st, enum kshim_fd_kind kind)
{
	memset(st, 0, sizeof(*st));
	st->st_nlink = 1;
	st->st_blksize = 4096;
	if (kind == KSHIM_FD_DEV) {
		st->st_mode = S_IFCHR | 0600;
		st->st_rdev = makedev(MSHV_MISC_MAJOR, MSHV_MISC_MINOR);
	} else {
		st->st_mode = 0600;
	}
}

static void fill_statx(struct statx *stx, enum kshim_fd_kind kind)
{
	struct stat st;

	fill_stat(&st, kind);
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = (uint32_t)st.st_blksize;
	stx->stx_nlink = (uint32_t)st.st_nlink;
	stx->stx_mode = (uint16_t)st.st_mode;
	stx->stx_rdev_major = major(st.st_rdev);
	stx->stx_rdev_minor = minor(st.st_rdev);
}

/* Answers with @kind's status at @buf (a struct stat, or statx if @x). */
static void answer_stat(struct supervisor *s, enum kshim_fd_kind kind, uint64_t buf, bool x)
{
	pid_t pid = (pid_t)s->req->pid;
	struct statx stx;
	struct stat st;
	int err;

	if (x) {
		fill_statx(&stx, kind);
		err = target_write(pid, buf, &stx, sizeof(stx));
	} else {
		fill_stat(&st, kind);
		err = target_write(pid, buf, &st, sizeof(st));
	}
	answer(s, err);
}

/*
 * stat, lstat, newfstatat, statx and fstat. @dirfd is AT_FDCWD for the
 * path-only calls; a NULL @path_addr means the descriptor itself.
 */
static void on_stat(struct supervisor *s, int dirfd, uint64_t path_addr, int flags,
		    uint64_t buf, bool x)
{
	pid_t pid = (pid_t)s->req->pid;
	char path[EMU_PATH_MAX] = "";
	struct emu_object *o;

	if (path_addr && target_string(pid, path_addr, path, sizeof(path)) < 0)
		return pass(s);
	if (!path[0] && (!path_addr || (flags & AT_EMPTY_PATH))) {
		o = object_of(s, pid, dirfd);
		return o ? answer_stat(s, o->kind, buf, x) : pass(s);
	}
	if (names_dev_mshv(pid, dirfd, path))
		return answer_stat(s, KSHIM_FD_DEV, buf, x);
	pass(s);
}

static void on_access(struct supervisor *s, int dirfd, uint64_t path_addr, int mode)
{
	pid_t pid = (pid_t)s->req->pid;
	char path[EMU_PATH_MAX];

	if (target_string(pid, path_addr, path, sizeof(path)) < 0 ||
	    !names_dev_mshv(pid, dirfd, path))
		return pass(s);
	/* A character device, readable and writable, not executable. */
	answer(s, (mode & X_OK) ? -EACCES : 0);
}

/* --- emulated descriptors ------------------------------------------------------ */

/* The ioctls that need a running guest, which the emulator does not have. */
static const struct {
	unsigned int cmd;
	const char *name;
} guest_ioctls[] = {
	{ MSHV_RUN_VP, "MSHV_RUN_VP" },
};

static void explain_once(struct supervisor *s, unsigned int cmd)
{
	size_t i;

	for (i = 0; i < sizeof(guest_ioctls) / sizeof(guest_ioctls[0]); i++) {
		if (guest_ioctls[i].cmd != cmd || (s->explained & (1U << i)))
			continue;
		s->explained |= 1U << i;
		if (s->config->notes)
			fprintf(s->config->notes, "mshvcpu emu: %s needs a running guest, which the "
				"emulator does not provide; it fails with EOPNOTSUPP\n",
				guest_ioctls[i].name);
	}
}

static void on_ioctl(struct supervisor *s)
{
	const struct seccomp_data *d = &s->req->data;
	pid_t pid = (pid_t)s->req->pid;
	/* As the kernel does: the command is the low 32 bits. */
	unsigned int cmd = (unsigned int)d->args[1];
	struct emu_object *o = object_of(s, pid, (int)d->args[0]);
	bool makes_file;
	long ret;

	if (!o)
		return pass(s);
	makes_file = (o->kind == KSHIM_FD_DEV && cmd == MSHV_CREATE_PARTITION) ||
		     (o->kind == KSHIM_FD_PARTITION && cmd == MSHV_CREATE_VP);
	/* Nothing is created that could not be handed over. */
	if (makes_file && !target_has_free_fd(pid))
		return answer(s, -EMFILE);
	/* A file the driver makes goes to the program through install_for_driver(). */
	ret = kshim_ioctl_for(s->k, pid, o->kfd, cmd, (unsigned long)d->args[2]);
	if (ret == -EOPNOTSUPP)
		explain_once(s, cmd);
	answer(s, ret);
}

/*
 * mmap of an emulated file: the driver accepts or refuses it (a VP's
 * register and intercept message pages; nothing else has pages). An
 * accepted mapping is made by the kernel itself, of the object's memfd,
 * which holds those very pages. An anonymous mapping ignores its
 * descriptor, as the kernel does.
 */
static void on_mmap(struct supervisor *s)
{
	const struct seccomp_data *d = &s->req->data;
	uint64_t len = d->args[1], offset = d->args[5];
	struct emu_object *o;
	struct emu_lent *block;
	void *page;
	int ret;

	if (d->args[3] & MAP_ANONYMOUS)
		return pass(s);
	o = object_of(s, (pid_t)s->req->pid, (int)d->args[4]);
	/* Not ours, or a request the kernel refuses before any driver sees it. */
	if (!o || !len || (offset & 4095))
		return pass(s);
	ret = kshim_mmap(s->k, o->kfd, (unsigned long)(offset / 4096), (unsigned long)len, &page);
	if (ret)
		return answer(s, ret);
	/*
	 * Linux shows the one page in every page of a longer mapping; a memfd
	 * would show the next page instead, so a longer mapping is refused.
	 */
	if (len > 4096) {
		if (!s->explained_long_map && s->config->notes)
			fprintf(s->config->notes, "mshvcpu emu: a mapping of a VP longer than one "
				"page is not emulated; it fails with EINVAL\n");
		s->explained_long_map = true;
		return answer(s, -EINVAL);
	}
	block = lent_holding(s, page);
	if (!block || (uint8_t *)page != block->addr + offset)
		return answer(s, -ENODEV);	/* no page this memfd could show */
	pass(s);
}

static void serve_one(struct supervisor *s)
{
	const struct seccomp_data *d = &s->req->data;
	int nr = d->nr;

	if (nr == SYS_ioctl)
		return on_ioctl(s);
	if (nr == SYS_mmap)
		return on_mmap(s);
	if (nr == SYS_openat)
		return on_open(s, (int)d->args[0], d->args[1], d->args[2]);
	if (nr == SYS_openat2)
		return on_openat2(s);
#ifdef SYS_open
	if (nr == SYS_open)
		return on_open(s, AT_FDCWD, d->args[0], d->args[1]);
#endif
	if (nr == SYS_fstat)
		return on_stat(s, (int)d->args[0], 0, 0, d->args[1], false);
	if (nr == SYS_newfstatat)
		return on_stat(s, (int)d->args[0], d->args[1], (int)d->args[3], d->args[2], false);
	if (nr == SYS_statx)
		return on_stat(s, (int)d->args[0], d->args[1], (int)d->args[2], d->args[4], true);
#ifdef SYS_stat
	if (nr == SYS_stat || nr == SYS_lstat)
		return on_stat(s, AT_FDCWD, d->args[0], 0, d->args[1], false);
#endif
#ifdef SYS_access
	if (nr == SYS_access)
		return on_access(s, AT_FDCWD, d->args[0], (int)d->args[1]);
#endif
	if (nr == SYS_faccessat || nr == SYS_faccessat2)
		return on_access(s, (int)d->args[0], d->args[1], (int)d->args[2]);
	pass(s);
}

/* --- running the program ------------------------------------------------------- */

static int send_fd(int sock, int fd)
{
	char data = 'L';
	struct iovec iov = { &data, 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} control = { 0 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

static int receive_fd(int sock)
{
	char data;
	struct iovec iov = { &data, 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} control;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -EPIPE;	/* the child could not install the filter */
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -EPROTO;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* The child: the filter, the listener to the parent, then the program. */
static void __attribute__((noreturn)) start_program(int sock, char *const argv[])
{
	char msg[512];
	int listener = emu_filter_install();
	int n;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if (listener < 0) {
		n = snprintf(msg, sizeof(msg), "mshvcpu: emu: installing the seccomp filter: %s\n",
			     strerror(-listener));
		if (write(STDERR_FILENO, msg, (size_t)n) < 0)
			_exit(127);
		_exit(127);
	}
	if (send_fd(sock, listener))
		_exit(127);
	close(listener);
	close(sock);
	execvp(argv[0], argv);
	/* From here on the parent serves the filter, so stdio is safe. */
	n = snprintf(msg, sizeof(msg), "mshvcpu: emu: %s: %s\n", argv[0], strerror(errno));
	if (write(STDERR_FILENO, msg, (size_t)n) < 0)
		_exit(127);
	_exit(errno == ENOENT ? 127 : 126);
}

/*
 * Poll set: the listener, the close events, the child's pidfd, then the
 * eventfds the driver watches (irqfds and the like), which the program
 * signals without a system call the filter could see.
 */
enum { POLL_LISTENER, POLL_CLOSES, POLL_CHILD, POLL_FIXED };

static void serve(struct supervisor *s, pid_t child, int *status)
{
	int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	struct pollfd *fds = NULL;
	size_t cap = 0;
	bool reaped = false;

	for (;;) {
		size_t watched = kshim_eventfd_pollfds(s->k, NULL, 0), i;
		bool signalled = false;

		if (POLL_FIXED + watched > cap) {
			struct pollfd *grown = realloc(fds, (POLL_FIXED + watched) * sizeof(*fds));

			if (!grown)
				break;
			fds = grown;
			cap = POLL_FIXED + watched;
		}
		fds[POLL_LISTENER] = (struct pollfd){ .fd = s->listener, .events = POLLIN };
		fds[POLL_CLOSES] = (struct pollfd){ .fd = s->closes, .events = POLLIN };
		fds[POLL_CHILD] = (struct pollfd){ .fd = reaped ? -1 : pidfd, .events = POLLIN };
		watched = kshim_eventfd_pollfds(s->k, fds + POLL_FIXED, cap - POLL_FIXED);

		/* Without a pidfd, look at the child every 100 ms. */
		if (poll(fds, POLL_FIXED + watched, pidfd >= 0 ? -1 : 100) < 0 && errno != EINTR)
			break;
		read_closes(s);
		for (i = 0; i < watched; i++)
			signalled |= fds[POLL_FIXED + i].revents != 0;
		if (signalled)
			kshim_run_eventfd_watches(s->k);
		if (fds[POLL_LISTENER].revents & POLLIN) {
			memset(s->req, 0, s->req_size);
			if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, s->req) == 0)
				serve_one(s);
		}
		if (!reaped && (pidfd < 0 || (fds[POLL_CHILD].revents & POLLIN)) &&
		    waitpid(child, status, WNOHANG) == child)
			reaped = true;
		/* Until no process is left under the filter: orphans are served too. */
		if (reaped && (fds[POLL_LISTENER].revents & POLLHUP))
			break;
	}
	free(fds);
	if (pidfd >= 0)
		close(pidfd);
	/* The program's exit closed its descriptors: release what it held. */
	read_closes(s);
}

static int shell_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

int emu_run(const struct emu_run_config *config, char *const argv[],
	    struct mshvcpu_error *err)
{
	struct supervisor s = { .config = config, .listener = -1, .closes = -1 };
	struct seccomp_notif_sizes sizes;
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int sock[2], ret, status = 0;
	pid_t child;
	size_t i;

	/* The machine first: a bad host is the user's error, reported as such. */
	ret = sim_create(&config->sim, &s.sim, err);
	if (ret)
		goto out;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes)) {
		ret = -errno;
		if (err)
			snprintf(err->message, sizeof(err->message),
				 "seccomp user notification is not available here (%s); the "
				 "emulator needs Linux 5.19 or later, and cannot run under valgrind",
				 strerror(-ret));
		goto out;
	}
	s.req_size = sizes.seccomp_notif > sizeof(*s.req) ? sizes.seccomp_notif : sizeof(*s.req);
	s.req = calloc(1, s.req_size);
	if (!s.req) {
		ret = -ENOMEM;
		goto out;
	}
	s.k = sim_kshim(s.sim);
	kshim_set_fd_installer(s.k, install_for_driver, &s);
	ret = hv_set_page_lender(sim_hv(s.sim), &(struct hv_page_lender){
		.alloc = lend_pages, .release = return_pages, .ctx = &s });
	if (ret)
		goto out;
	s.closes = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (s.closes < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock)) {
		ret = -errno;
		goto out;
	}

	/* Like system(): the terminal's ^C and ^\ are for the program. */
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	fflush(NULL);
	child = fork();
	if (child == 0) {
		close(sock[0]);
		start_program(sock[1], argv);
	}
	close(sock[1]);
	if (child < 0) {
		ret = -errno;
		close(sock[0]);
		goto restore;
	}
	s.listener = receive_fd(sock[0]);
	close(sock[0]);
	if (s.listener < 0) {
		waitpid(child, &status, 0);
		ret = s.listener;
		if (err)
			snprintf(err->message, sizeof(err->message),
				 "the program could not be put under the seccomp filter");
		goto restore;
	}
	serve(&s, child, &status);
	ret = shell_status(status);
restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
out:
	for (i = 0; i < s.nobjs; i++)
		if (s.objs[i].live)
			object_release(&s, &s.objs[i]);
	if (s.listener >= 0)
		close(s.listener);
	if (s.closes >= 0)
		close(s.closes);
	/* The model gives its lent pages back here. */
	sim_destroy(s.sim);
	free(s.lent);
	free(s.objs);
	free(s.req);
	return ret;
}
