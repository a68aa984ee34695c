// SPDX-License-Identifier: MIT
/*
 * The userspace side of the simulated kernel: descriptor tables, files,
 * user memory access, allocation, locks, and the way into the hypervisor
 * model. The kernel side (the files of kernel/) only sees the headers in
 * kernel/shim/include/.
 *
 * A system call runs with its kshim as this thread's "current" kernel.
 * User memory is this process's memory, reached through process_vm_readv/
 * process_vm_writev on our own pid, so an unmapped address is a fault
 * (-EFAULT in the driver), never a crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <hyperv/hv_hypercall.h>

#include "hv.h"
#include "kshim.h"
#include "kshim_internal.h"

/* What kernel/ sees of files (linux/fs.h in the shim). */
struct inode;
struct file;
struct vm_area_struct;
struct file_operations {
	long (*unlocked_ioctl)(struct file *filp, unsigned int cmd, unsigned long arg);
	int (*mmap)(struct file *filp, struct vm_area_struct *vma);
	int (*release)(struct inode *inode, struct file *filp);
};
struct file {
	const struct file_operations *f_op;
	void *private_data;
};
/* ... and of mappings (linux/mm.h in the shim). */
struct vm_operations_struct;
struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_flags;
	unsigned long vm_pgoff;
	struct file *vm_file;
	const struct vm_operations_struct *vm_ops;
};
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long pgoff;
	void *page;			/* struct page *: a page is named by its address */
};
struct vm_operations_struct {
	unsigned int (*fault)(struct vm_fault *vmf);
};
struct mutex {
	_Alignas(8) unsigned char opaque[64];
};

/* Kernel-side entry points and hooks (kernel/). */
extern const struct file_operations mshv_dev_fops;
unsigned long copy_from_user(void *to, const void *from, unsigned long n);
unsigned long copy_to_user(void *to, const void *from, unsigned long n);
void *memchr_inv(const void *start, int c, size_t bytes);
void *kzalloc(size_t size, unsigned int flags);
void kfree(const void *p);
void mutex_init(struct mutex *lock);
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
void mutex_destroy(struct mutex *lock);
int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     int flags);
uint64_t hv_do_hypercall(uint64_t control, void *input, void *output);
uint64_t hv_do_fast_hypercall8(uint16_t code, uint64_t input);
uint64_t hv_do_fast_hypercall16(uint16_t code, uint64_t input1, uint64_t input2);
void trace_event_json(const char *event, uint64_t partition_id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct ida {
	unsigned long *bits;
	unsigned int nbits;
};
int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max, unsigned int gfp);
void ida_free(struct ida *ida, unsigned int id);
uint64_t mshv_pt_flags_mask(void);
bool mshv_has_self_hvcall(void);
bool mshv_has_devices(void);
void kshim_printk(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

_Static_assert(sizeof(pthread_mutex_t) <= sizeof(struct mutex), "struct mutex holds a pthread mutex");

#define KSHIM_MAX_FDS 4096

/* An open file: shared by every descriptor dup'ed from it. */
struct kfile {
	struct file file;
	unsigned int refs;
	enum kshim_fd_kind kind;
};

struct kshim {
	pthread_mutex_t lock;		/* the descriptor table */
	struct hv *hv;
	enum kshim_abi abi;
	struct kfile **fds;
	unsigned int nfds;
	kshim_copy_hook_fn copy_hook;
	void *copy_hook_ctx;
	kshim_hypercall_hook_fn hypercall_hook;
	void *hypercall_hook_ctx;
	const void *fault_from;
	struct eventfd_ctx *watches;	/* kshim_eventfd.c */
	kshim_fd_installer_fn installer;
	void *installer_ctx;
};

/* The kernel a system call on this thread runs in, and its copy count. */
static __thread struct kshim *current_kshim;
static __thread unsigned int current_copy;
/* Whose memory user addresses point into: 0 for this process. */
static __thread pid_t current_task;
__thread void *kshim_pcpu_input_page;
__thread void *kshim_pcpu_output_page;

static const char *const abi_names[KSHIM_ABI_COUNT] = {
	[KSHIM_ABI_V1_ONLY] = "v1-only",
	[KSHIM_ABI_CPU_FEATURES] = "cpu-features",
	[KSHIM_ABI_NESTED_SMT] = "nested-smt",
};

const char *kshim_abi_name(enum kshim_abi abi)
{
	return (unsigned int)abi < KSHIM_ABI_COUNT ? abi_names[abi] : "unknown";
}

int kshim_abi_parse(const char *name, enum kshim_abi *abi)
{
	unsigned int i;

	for (i = 0; name && i < KSHIM_ABI_COUNT; i++)
		if (strcmp(name, abi_names[i]) == 0) {
			*abi = (enum kshim_abi)i;
			return 0;
		}
	return -EINVAL;
}

uint64_t mshv_pt_flags_mask(void)
{
	static const uint64_t masks[KSHIM_ABI_COUNT] = {
		[KSHIM_ABI_V1_ONLY] = 0x7,
		[KSHIM_ABI_CPU_FEATURES] = 0xF,
		[KSHIM_ABI_NESTED_SMT] = 0x3F,
	};

	return masks[current_kshim->abi];
}

bool mshv_has_self_hvcall(void)
{
	return current_kshim->abi >= KSHIM_ABI_CPU_FEATURES;
}

/* MSHV_CREATE_DEVICE: the downstream driver rust-vmm targets, at the newest level. */
bool mshv_has_devices(void)
{
	return current_kshim->abi >= KSHIM_ABI_NESTED_SMT;
}

/* --- memory ---------------------------------------------------------- */

void *kzalloc(size_t size, unsigned int flags)
{
	(void)flags;
	return calloc(1, size);
}

void kfree(const void *p)
{
	free((void *)p);
}

void *memchr_inv(const void *start, int c, size_t bytes)
{
	const unsigned char *p = start;
	size_t i;

	for (i = 0; i < bytes; i++)
		if (p[i] != (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

/*
 * User pointers are addresses, not C objects (NULL and unmapped ones
 * included): all arithmetic on them is done on uintptr_t.
 */

/* How many of @n bytes at @uaddr lie below the injected fault boundary. */
static size_t accessible(const void *uaddr, size_t n)
{
	uintptr_t from = current_kshim ? (uintptr_t)current_kshim->fault_from : 0;
	uintptr_t a = (uintptr_t)uaddr;

	if (a + n < a)			/* wraps around the address space */
		n = UINTPTR_MAX - a;
	if (!from || a + n <= from)
		return n;
	return a >= from ? 0 : (size_t)(from - a);
}

/*
 * Our own pid for process_vm_*: getpid() is a system call each time, and
 * a create makes dozens of copies. A forked child learns its own.
 */
static _Atomic pid_t self_pid;

static void forget_pid(void)
{
	atomic_store_explicit(&self_pid, 0, memory_order_relaxed);
}

static void watch_forks(void)
{
	pthread_atfork(NULL, NULL, forget_pid);
}

static pid_t own_pid(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pid_t pid = atomic_load_explicit(&self_pid, memory_order_relaxed);

	if (!pid) {
		pthread_once(&once, watch_forks);
		pid = getpid();
		atomic_store_explicit(&self_pid, pid, memory_order_relaxed);
	}
	return pid;
}

uintptr_t kshim_fault_boundary(void)
{
	return current_kshim ? (uintptr_t)current_kshim->fault_from : 0;
}

/* Copy through the kernel's view of the user's memory: faults, not crashes. */
static size_t vm_copy(void *local, uintptr_t remote, size_t n, bool to_user)
{
	pid_t task = current_task ? current_task : own_pid();
	size_t done = 0;

	while (done < n) {
		struct iovec l = { (char *)local + done, n - done };
		struct iovec r = { (void *)(remote + done), n - done };
		ssize_t got = to_user ? process_vm_writev(task, &l, 1, &r, 1, 0)
				      : process_vm_readv(task, &l, 1, &r, 1, 0);

		if (got <= 0) {
			if (got < 0 && errno == EINTR)
				continue;
			break;
		}
		done += (size_t)got;
	}
	return done;
}

/*
 * The kernel's view proves how much of the range is mapped; the bytes are
 * then copied with memcpy so that memory checkers (valgrind) see them
 * defined, which they cannot for data the kernel moved. A mapping removed
 * by another thread in between would crash: tests do not do that.
 */
unsigned long copy_from_user(void *to, const void *from, unsigned long n)
{
	size_t ok, done;

	if (current_kshim && current_kshim->copy_hook)
		current_kshim->copy_hook(current_kshim->copy_hook_ctx, current_copy, from, n);
	current_copy++;
	ok = accessible(from, n);
	done = vm_copy(to, (uintptr_t)from, ok, false);
	if (done && !current_task)
		memcpy(to, from, done);
	/* Like the kernel, the bytes not copied are zeroed. */
	if (done < n)
		memset((char *)to + done, 0, n - done);
	return n - done;
}

unsigned long copy_to_user(void *to, const void *from, unsigned long n)
{
	size_t ok = accessible(to, n);
	size_t done = vm_copy((void *)from, (uintptr_t)to, ok, true);

	if (done && !current_task)
		memcpy(to, from, done);
	return n - done;
}

/* --- locks and logging ------------------------------------------------ */

void mutex_init(struct mutex *lock)
{
	pthread_mutex_init((pthread_mutex_t *)(void *)lock->opaque, NULL);
}

void mutex_lock(struct mutex *lock)
{
	pthread_mutex_lock((pthread_mutex_t *)(void *)lock->opaque);
}

void mutex_unlock(struct mutex *lock)
{
	pthread_mutex_unlock((pthread_mutex_t *)(void *)lock->opaque);
}

void mutex_destroy(struct mutex *lock)
{
	pthread_mutex_destroy((pthread_mutex_t *)(void *)lock->opaque);
}

void kshim_printk(const char *level, const char *fmt, ...)
{
	/* Quiet unless asked: the driver's messages are for debugging. */
	va_list ap;

	if (!getenv("KSHIM_PRINTK"))
		return;
	fprintf(stderr, "mshv_root: %s: ", level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* --- the hypervisor ---------------------------------------------------- */

uint64_t hv_do_hypercall(uint64_t control, void *input, void *output)
{
	struct kshim *k = current_kshim;

	if (k->hypercall_hook)
		k->hypercall_hook(k->hypercall_hook_ctx, control, input);
	return hv_hypercall(k->hv, control, input, output);
}

uint64_t hv_do_fast_hypercall8(uint16_t code, uint64_t input)
{
	/* Register input on hardware; the model reads pages. */
	uint64_t page[HV_HYP_PAGE_SIZE / sizeof(uint64_t)] = { input };

	return hv_do_hypercall(code, page, NULL);
}

uint64_t hv_do_fast_hypercall16(uint16_t code, uint64_t input1, uint64_t input2)
{
	uint64_t page[HV_HYP_PAGE_SIZE / sizeof(uint64_t)] = { input1, input2 };

	return hv_do_hypercall(code, page, NULL);
}

/* --- trace events and ids ------------------------------------------------- */

void trace_event_json(const char *event, uint64_t partition_id, const char *fmt, ...)
{
	char fields[512];
	va_list ap;

	if (!current_kshim)
		return;
	va_start(ap, fmt);
	vsnprintf(fields, sizeof(fields), fmt, ap);
	va_end(ap);
	hv_trace_event(current_kshim->hv, event, partition_id, fields);
}

/* One lock for every ida: they are few and seldom used. */
static pthread_mutex_t ida_lock = PTHREAD_MUTEX_INITIALIZER;

#define IDA_WORD_BITS	(8 * sizeof(unsigned long))

int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max, unsigned int gfp)
{
	unsigned int id;
	int ret = -ENOSPC;

	(void)gfp;
	pthread_mutex_lock(&ida_lock);
	for (id = min; id <= max && id >= min; id++) {
		if (id >= ida->nbits) {
			unsigned int nbits = ida->nbits ? ida->nbits : 64;
			unsigned long *grown;

			while (nbits <= id)
				nbits *= 2;
			grown = realloc(ida->bits, nbits / 8);
			if (!grown) {
				ret = -ENOMEM;
				break;
			}
			memset((char *)grown + ida->nbits / 8, 0, (nbits - ida->nbits) / 8);
			ida->bits = grown;
			ida->nbits = nbits;
		}
		if (!(ida->bits[id / IDA_WORD_BITS] & (1UL << (id % IDA_WORD_BITS)))) {
			ida->bits[id / IDA_WORD_BITS] |= 1UL << (id % IDA_WORD_BITS);
			ret = (int)id;
			break;
		}
	}
	pthread_mutex_unlock(&ida_lock);
	return ret;
}

void ida_free(struct ida *ida, unsigned int id)
{
	pthread_mutex_lock(&ida_lock);
	if (id < ida->nbits)
		ida->bits[id / IDA_WORD_BITS] &= ~(1UL << (id % IDA_WORD_BITS));
	pthread_mutex_unlock(&ida_lock);
}

/* --- descriptors -------------------------------------------------------- */

/* Lowest free descriptor, or -EMFILE. Called with k->lock held. */
static int fd_alloc(struct kshim *k, struct kfile *f)
{
	unsigned int fd;

	for (fd = 0; fd < k->nfds; fd++)
		if (!k->fds[fd])
			break;
	if (fd == k->nfds) {
		unsigned int n = k->nfds ? k->nfds * 2 : 16;
		struct kfile **grown;

		if (k->nfds >= KSHIM_MAX_FDS)
			return -EMFILE;
		grown = realloc(k->fds, n * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		memset(grown + k->nfds, 0, (n - k->nfds) * sizeof(*grown));
		k->fds = grown;
		k->nfds = n;
	}
	k->fds[fd] = f;
	return (int)fd;
}

/*
 * What a file the driver makes is: /dev/mshv by its operations, the others
 * by the name they give their anon inode (a name not listed: a partition).
 */
static const char *const anon_names[] = {
	[KSHIM_FD_PARTITION] = "mshv_partition",
	[KSHIM_FD_VP] = "mshv_vp",
	[KSHIM_FD_DEVICE] = "mshv-vfio",
};

static enum kshim_fd_kind kind_of(const struct file_operations *fops, const char *name)
{
	enum kshim_fd_kind kind = KSHIM_FD_DEVICE;

	if (fops == &mshv_dev_fops)
		return KSHIM_FD_DEV;
	while (kind > KSHIM_FD_PARTITION && strcmp(anon_names[kind], name) != 0)
		kind--;
	return kind;
}

int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     int flags)
{
	struct kshim *k = current_kshim;
	struct kfile *f = calloc(1, sizeof(*f));
	int fd;

	(void)flags;
	if (!f)
		return -ENOMEM;
	f->file.f_op = fops;
	f->file.private_data = priv;
	f->refs = 1;
	f->kind = kind_of(fops, name);
	pthread_mutex_lock(&k->lock);
	fd = fd_alloc(k, f);
	pthread_mutex_unlock(&k->lock);
	if (fd < 0) {
		free(f);
		return fd;
	}
	/*
	 * For another process's call, its own descriptor is the one the
	 * driver hands back; the installer maps it to ours. As in the
	 * kernel, a descriptor that cannot be installed releases nothing:
	 * the driver unwinds what it made.
	 */
	if (current_task && k->installer) {
		int theirs = k->installer(k->installer_ctx, fd, f->kind, flags & O_CLOEXEC);

		if (theirs < 0) {
			pthread_mutex_lock(&k->lock);
			k->fds[fd] = NULL;
			pthread_mutex_unlock(&k->lock);
			free(f);
		}
		return theirs;
	}
	return fd;
}

/* Take a reference on the file behind @fd (NULL: not open). */
static struct kfile *fget(struct kshim *k, int fd)
{
	struct kfile *f = NULL;

	pthread_mutex_lock(&k->lock);
	if (fd >= 0 && (unsigned int)fd < k->nfds && k->fds[fd]) {
		f = k->fds[fd];
		f->refs++;
	}
	pthread_mutex_unlock(&k->lock);
	return f;
}

/* Drop a reference; the last one releases the file, in kernel context. */
static void fput(struct kshim *k, struct kfile *f)
{
	bool last;

	pthread_mutex_lock(&k->lock);
	last = --f->refs == 0;
	pthread_mutex_unlock(&k->lock);
	if (!last)
		return;
	if (f->file.f_op->release) {
		struct kshim *saved = current_kshim;

		current_kshim = k;
		f->file.f_op->release(NULL, &f->file);
		current_kshim = saved;
	}
	free(f);
}

/* Per-thread hypercall pages, page-aligned as the hypervisor requires. */
static int ensure_pcpu_pages(void)
{
	if (kshim_pcpu_input_page)
		return 0;
	if (posix_memalign(&kshim_pcpu_input_page, HV_HYP_PAGE_SIZE, 2 * HV_HYP_PAGE_SIZE))
		return -ENOMEM;
	memset(kshim_pcpu_input_page, 0, 2 * HV_HYP_PAGE_SIZE);
	kshim_pcpu_output_page = (char *)kshim_pcpu_input_page + HV_HYP_PAGE_SIZE;
	return 0;
}

/* The pages are freed with the thread. */
static pthread_key_t pcpu_key;
static pthread_once_t pcpu_once = PTHREAD_ONCE_INIT;

static void pcpu_free(void *page)
{
	free(page);
}

static void pcpu_key_create(void)
{
	pthread_key_create(&pcpu_key, pcpu_free);
}

int kshim_create(const struct kshim_config *config, struct kshim **out)
{
	struct kshim *k;

	if (!config || !out || !config->hv || (unsigned int)config->abi >= KSHIM_ABI_COUNT)
		return -EINVAL;
	pthread_once(&pcpu_once, pcpu_key_create);
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	pthread_mutex_init(&k->lock, NULL);
	k->hv = config->hv;
	k->abi = config->abi;
	*out = k;
	return 0;
}

void kshim_destroy(struct kshim *k)
{
	unsigned int fd;

	if (!k)
		return;
	for (fd = 0; fd < k->nfds; fd++)
		if (k->fds[fd])
			kshim_close(k, (int)fd);
	free(k->fds);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

int kshim_open_dev(struct kshim *k)
{
	struct kfile *f;
	int fd;

	if (!k)
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->file.f_op = &mshv_dev_fops;
	f->refs = 1;
	f->kind = KSHIM_FD_DEV;
	pthread_mutex_lock(&k->lock);
	fd = fd_alloc(k, f);
	pthread_mutex_unlock(&k->lock);
	if (fd < 0)
		free(f);
	return fd;
}

struct kshim *kshim_current(void)
{
	return current_kshim;
}

pid_t kshim_current_task(void)
{
	return current_task;
}

struct kshim *kshim_enter(struct kshim *k)
{
	struct kshim *saved = current_kshim;

	if (ensure_pcpu_pages() == 0)
		pthread_setspecific(pcpu_key, kshim_pcpu_input_page);
	current_kshim = k;
	return saved;
}

void kshim_leave(struct kshim *saved)
{
	current_kshim = saved;
}

struct eventfd_ctx **kshim_eventfd_watches(struct kshim *k)
{
	return &k->watches;
}

pthread_mutex_t *kshim_lock(struct kshim *k)
{
	return &k->lock;
}

long kshim_ioctl_for(struct kshim *k, int task, int fd, unsigned int cmd,
		     unsigned long arg)
{
	pid_t saved = current_task;
	long ret;

	current_task = task;
	ret = kshim_ioctl(k, fd, cmd, arg);
	current_task = saved;
	return ret;
}

long kshim_ioctl(struct kshim *k, int fd, unsigned int cmd, unsigned long arg)
{
	struct kshim *saved = current_kshim;
	struct kfile *f;
	long ret;

	if (!k)
		return -EINVAL;
	f = fget(k, fd);
	if (!f)
		return -EBADF;
	if (ensure_pcpu_pages()) {
		fput(k, f);
		return -ENOMEM;
	}
	pthread_setspecific(pcpu_key, kshim_pcpu_input_page);
	current_kshim = k;
	current_copy = 0;
	ret = f->file.f_op->unlocked_ioctl ? f->file.f_op->unlocked_ioctl(&f->file, cmd, arg)
					   : -ENOTTY;
	current_kshim = saved;
	fput(k, f);
	return ret;
}

int kshim_mmap(struct kshim *k, int fd, unsigned long pgoff, unsigned long len, void **page)
{
	struct kshim *saved = current_kshim;
	struct vm_area_struct vma = { .vm_end = len, .vm_pgoff = pgoff };
	struct vm_fault vmf = { .vma = &vma, .pgoff = pgoff };
	struct kfile *f;
	int ret;

	if (!k || !len)
		return -EINVAL;
	f = fget(k, fd);
	if (!f)
		return -EBADF;
	vma.vm_file = &f->file;
	current_kshim = k;
	ret = f->file.f_op->mmap ? f->file.f_op->mmap(&f->file, &vma) : -ENODEV;
	/* A mapping the driver accepted must have a page behind its first byte. */
	if (!ret && (!vma.vm_ops || !vma.vm_ops->fault || vma.vm_ops->fault(&vmf) || !vmf.page))
		ret = -EFAULT;
	if (!ret)
		*page = vmf.page;
	current_kshim = saved;
	fput(k, f);
	return ret;
}

int kshim_close(struct kshim *k, int fd)
{
	struct kfile *f = NULL;

	if (!k)
		return -EINVAL;
	pthread_mutex_lock(&k->lock);
	if (fd >= 0 && (unsigned int)fd < k->nfds) {
		f = k->fds[fd];
		k->fds[fd] = NULL;
	}
	pthread_mutex_unlock(&k->lock);
	if (!f)
		return -EBADF;
	if (ensure_pcpu_pages() == 0)
		pthread_setspecific(pcpu_key, kshim_pcpu_input_page);
	fput(k, f);
	return 0;
}

int kshim_dup(struct kshim *k, int fd)
{
	struct kfile *f;
	int nfd;

	if (!k)
		return -EINVAL;
	f = fget(k, fd);
	if (!f)
		return -EBADF;
	pthread_mutex_lock(&k->lock);
	nfd = fd_alloc(k, f);
	pthread_mutex_unlock(&k->lock);
	if (nfd < 0)
		fput(k, f);
	return nfd;
}

enum kshim_fd_kind kshim_fd_kind(struct kshim *k, int fd)
{
	enum kshim_fd_kind kind = KSHIM_FD_NONE;

	if (!k)
		return kind;
	pthread_mutex_lock(&k->lock);
	if (fd >= 0 && (unsigned int)fd < k->nfds && k->fds[fd])
		kind = k->fds[fd]->kind;
	pthread_mutex_unlock(&k->lock);
	return kind;
}

unsigned int kshim_fd_count(struct kshim *k)
{
	unsigned int fd, n = 0;

	if (!k)
		return 0;
	pthread_mutex_lock(&k->lock);
	for (fd = 0; fd < k->nfds; fd++)
		n += k->fds[fd] != NULL;
	pthread_mutex_unlock(&k->lock);
	return n;
}

void kshim_set_copy_from_user_hook(struct kshim *k, kshim_copy_hook_fn fn, void *ctx)
{
	pthread_mutex_lock(&k->lock);
	k->copy_hook = fn;
	k->copy_hook_ctx = ctx;
	pthread_mutex_unlock(&k->lock);
}

void kshim_set_fault_from(struct kshim *k, const void *from)
{
	pthread_mutex_lock(&k->lock);
	k->fault_from = from;
	pthread_mutex_unlock(&k->lock);
}

void kshim_set_hypercall_hook(struct kshim *k, kshim_hypercall_hook_fn fn, void *ctx)
{
	pthread_mutex_lock(&k->lock);
	k->hypercall_hook = fn;
	k->hypercall_hook_ctx = ctx;
	pthread_mutex_unlock(&k->lock);
}

void kshim_set_fd_installer(struct kshim *k, kshim_fd_installer_fn fn, void *ctx)
{
	pthread_mutex_lock(&k->lock);
	k->installer = fn;
	k->installer_ctx = ctx;
	pthread_mutex_unlock(&k->lock);
}
