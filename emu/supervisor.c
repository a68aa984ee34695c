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
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/mshv.h>

#include "apply_core.h"
#include "notify.h"
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

/* A process `mshvcpu apply` registered: its creates, and its descendants', are rewritten. */
struct emu_apply {
	pid_t pid;
	unsigned long long start;	/* its start time: a reused pid is not it */
	struct apply_config cfg;
	struct mshvcpu_profile *profile;
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
	struct notify *n;		/* the notification being served */
	int closes;			/* inotify */
	struct emu_object *objs;
	size_t nobjs, cap;
	size_t live;
	uint32_t explained;		/* guest ioctls already explained */
	bool explained_long_map;
	struct emu_lent *lent;
	size_t nlent, lent_cap;
	struct emu_apply *applies;
	size_t napplies;
};

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
	fd = notify_install_fd(s->n, theirs, cloexec);
	if (fd < 0) {
		int err = fd;

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
	notify_answer(s->n, val);
}

/* Not ours: the kernel carries out the call as if nothing had looked. */
static void pass(struct supervisor *s)
{
	notify_pass(s->n);
}

/* --- /dev/mshv by name ------------------------------------------------------ */

static void on_open(struct supervisor *s, int dirfd, uint64_t path_addr, uint64_t flags)
{
	pid_t pid = (pid_t)s->n->req->pid;
	char path[EMU_PATH_MAX];
	int kfd, fd;

	if (notify_read_string(pid, path_addr, path, sizeof(path)) < 0 ||
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
	const struct seccomp_data *d = &s->n->req->data;

	if (d->args[3] < sizeof(how) ||
	    notify_read((pid_t)s->n->req->pid, d->args[2], &how, sizeof(how)))
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
	pid_t pid = (pid_t)s->n->req->pid;
	struct statx stx;
	struct stat st;
	int err;

	if (x) {
		fill_statx(&stx, kind);
		err = notify_write(pid, buf, &stx, sizeof(stx));
	} else {
		fill_stat(&st, kind);
		err = notify_write(pid, buf, &st, sizeof(st));
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
	pid_t pid = (pid_t)s->n->req->pid;
	char path[EMU_PATH_MAX] = "";
	struct emu_object *o;

	if (path_addr && notify_read_string(pid, path_addr, path, sizeof(path)) < 0)
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
	pid_t pid = (pid_t)s->n->req->pid;
	char path[EMU_PATH_MAX];

	if (notify_read_string(pid, path_addr, path, sizeof(path)) < 0 ||
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

/* --- mshvcpu apply, registered ------------------------------------------------ */

/*
 * Process @pid's parent and start time (in clock ticks since boot: with
 * the pid, what names a process for good, as pids are reused). 0, or
 * -1 when it is gone.
 */
static int stat_of(pid_t pid, pid_t *ppid, unsigned long long *start)
{
	char path[64], buf[1024], *close_paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "pid (comm) state ppid ... starttime (field 22)": comm may hold even ") ". */
	close_paren = strrchr(buf, ')');
	if (!close_paren || sscanf(close_paren + 1, " %*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
				   "%*u %*u %*d %*d %*d %*d %*d %*d %llu", ppid, start) != 2)
		return -1;
	return 0;
}

/* The registration whose process @tid is, or descends from; NULL if none. */
static struct emu_apply *apply_for(struct supervisor *s, pid_t tid)
{
	unsigned long long start;
	pid_t pid, ppid;
	size_t i;

	if (!s->napplies)
		return NULL;
	for (pid = notify_process_of(tid); pid > 1 && !stat_of(pid, &ppid, &start); pid = ppid)
		for (i = 0; i < s->napplies; i++)
			if (s->applies[i].pid == pid && s->applies[i].start == start)
				return &s->applies[i];
	return NULL;
}

/* MSHVCPU_EMU_APPLY: `mshvcpu apply` asks for its creates to be rewritten. */
static void on_apply_register(struct supervisor *s, uint64_t addr)
{
	MSHVCPU_OPTS(mshvcpu_profile_opts, popts);
	pid_t pid = notify_process_of((pid_t)s->n->req->pid), ppid;
	unsigned long long start;
	struct mshvcpu_emu_apply req;
	struct mshvcpu_error err = { 0 };
	struct emu_apply *grown, *a;
	struct mshvcpu_profile *p = NULL;
	FILE *log = NULL;
	char digest[65];
	int fd;

	if (notify_read(pid, addr, &req, sizeof(req)) || stat_of(pid, &ppid, &start))
		return answer(s, -EFAULT);
	if (!memchr(req.spec, 0, sizeof(req.spec)) || !memchr(req.log, 0, sizeof(req.log)) ||
	    req.rsvd || req.flags & ~(MSHVCPU_EMU_APPLY_ALLOW_V1 | MSHVCPU_EMU_APPLY_VERBOSE) ||
	    req.policy >= MSHVCPU_POLICY_COUNT || req.revision >= MSHVCPU_REV_COUNT)
		return answer(s, -EINVAL);
	/* "host" in the spec is the emulated host, as for the program. */
	popts.host = sim_host(s->sim);
	popts.revision = req.revision;
	if (mshvcpu_profile_parse(req.spec, &popts, &p, &err))
		return answer(s, -EINVAL);
	if (req.log[0]) {
		fd = open(req.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
		log = fd < 0 ? NULL : fdopen(fd, "a");
		if (!log) {
			if (fd >= 0)
				close(fd);
			mshvcpu_profile_free(p);
			return answer(s, -EIO);
		}
	}
	grown = mshvcpu_profile_digest(p, digest) ? NULL :
		realloc(s->applies, (s->napplies + 1) * sizeof(*grown));
	if (!grown) {
		if (log)
			fclose(log);
		mshvcpu_profile_free(p);
		return answer(s, -ENOMEM);
	}
	s->applies = grown;
	a = &s->applies[s->napplies++];
	a->pid = pid;
	a->start = start;
	a->profile = p;
	a->cfg = (struct apply_config){ .profile = p };
	memcpy(a->cfg.digest, digest, sizeof(digest));
	a->cfg.policy = (enum mshvcpu_policy)req.policy;
	a->cfg.revision = (enum mshvcpu_revision)req.revision;
	a->cfg.allow_v1 = req.flags & MSHVCPU_EMU_APPLY_ALLOW_V1;
	a->cfg.notes = req.flags & MSHVCPU_EMU_APPLY_VERBOSE ? stderr : NULL;
	a->cfg.log = log;
	answer(s, 0);
}

/* The rewritten partition, handed to the program; the object owns it from now on. */
static int install_partition(void *ctx, int kfd)
{
	struct supervisor *s = ctx;
	int fd = object_add(s, kfd, KSHIM_FD_PARTITION, true);

	if (fd < 0)
		kshim_close(s->k, kfd);
	return fd;
}

static void on_apply_create(struct supervisor *s, struct emu_apply *a, uint64_t addr)
{
	pid_t pid = notify_process_of((pid_t)s->n->req->pid);
	struct apply_request r;
	long ret = apply_read_request(pid, addr, &r);

	if (ret)
		ret = apply_refuse(&a->cfg, pid, NULL, (int)ret, ret == -EFAULT ?
				   "its argument cannot be read" :
				   "its v2 struct breaks the kernel's rules (bank count, reserved "
				   "fields)");
	else
		ret = apply_create(&a->cfg, pid, &r, sim_device_ops(s->sim), install_partition, s);
	answer(s, ret);
}

static void applies_free(struct supervisor *s)
{
	size_t i;

	for (i = 0; i < s->napplies; i++) {
		if (s->applies[i].cfg.log)
			fclose(s->applies[i].cfg.log);
		mshvcpu_profile_free(s->applies[i].profile);
	}
	free(s->applies);
}

static void on_ioctl(struct supervisor *s)
{
	const struct seccomp_data *d = &s->n->req->data;
	pid_t pid = (pid_t)s->n->req->pid;
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
	if (o->kind == KSHIM_FD_DEV && cmd == MSHVCPU_EMU_APPLY)
		return on_apply_register(s, d->args[2]);
	if (o->kind == KSHIM_FD_DEV && cmd == MSHV_CREATE_PARTITION) {
		struct emu_apply *a = apply_for(s, pid);

		if (a)
			return on_apply_create(s, a, d->args[2]);
	}
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
	const struct seccomp_data *d = &s->n->req->data;
	uint64_t len = d->args[1], offset = d->args[5];
	struct emu_object *o;
	struct emu_lent *block;
	void *page;
	int ret;

	if (d->args[3] & MAP_ANONYMOUS)
		return pass(s);
	o = object_of(s, (pid_t)s->n->req->pid, (int)d->args[4]);
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
	const struct seccomp_data *d = &s->n->req->data;
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

/*
 * Besides the listener: the close events, and the eventfds the driver
 * watches (irqfds and the like), which the program signals without a
 * system call the filter could see.
 */
static size_t emu_pollfds(void *ctx, struct pollfd *out, size_t max)
{
	struct supervisor *s = ctx;
	size_t n;

	if (!out)
		return 1 + kshim_eventfd_pollfds(s->k, NULL, 0);
	if (!max)
		return 0;
	out[0] = (struct pollfd){ .fd = s->closes, .events = POLLIN };
	n = kshim_eventfd_pollfds(s->k, out + 1, max - 1);
	return 1 + (n < max - 1 ? n : max - 1);
}

static void emu_polled(void *ctx, const struct pollfd *fds, size_t n)
{
	struct supervisor *s = ctx;
	bool signalled = false;
	size_t i;

	/* Closes first: a program that closed a partition must find it gone. */
	read_closes(s);
	for (i = 1; i < n; i++)
		signalled |= fds[i].revents != 0;
	if (signalled)
		kshim_run_eventfd_watches(s->k);
}

static void emu_serve(void *ctx, struct notify *n)
{
	struct supervisor *s = ctx;

	s->n = n;
	serve_one(s);
	s->n = NULL;
}

int emu_run(const struct emu_run_config *config, char *const argv[],
	    struct mshvcpu_error *err)
{
	struct supervisor s = { .config = config, .closes = -1 };
	const struct notify_hooks hooks = {
		.pollfds = emu_pollfds, .polled = emu_polled, .serve = emu_serve, .ctx = &s,
	};
	char why[256] = "";
	int ret;
	size_t i;

	/* The machine first: a bad host is the user's error, reported as such. */
	ret = sim_create(&config->sim, &s.sim, err);
	if (ret)
		goto out;
	s.k = sim_kshim(s.sim);
	kshim_set_fd_installer(s.k, install_for_driver, &s);
	ret = hv_set_page_lender(sim_hv(s.sim), &(struct hv_page_lender){
		.alloc = lend_pages, .release = return_pages, .ctx = &s });
	if (ret)
		goto out;
	s.closes = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (s.closes < 0) {
		ret = -errno;
		mshvcpu_error_set(err, ret, "inotify: %s", strerror(-ret));
		goto out;
	}
	/* `mshvcpu apply` in the program registers with us instead of listening itself. */
	setenv("MSHVCPU_EMU", "1", 1);
	ret = notify_run(argv, emu_filter_install, "emu", &hooks, why, sizeof(why));
	unsetenv("MSHVCPU_EMU");
	if (ret < 0)
		mshvcpu_error_set(err, ret, "%s", why);
out:
	for (i = 0; i < s.nobjs; i++)
		if (s.objs[i].live)
			object_release(&s, &s.objs[i]);
	if (s.closes >= 0)
		close(s.closes);
	/* The model gives its lent pages back here. */
	sim_destroy(s.sim);
	applies_free(&s);
	free(s.lent);
	free(s.objs);
	return ret;
}
