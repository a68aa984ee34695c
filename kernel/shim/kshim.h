/* SPDX-License-Identifier: MIT */
/*
 * The simulated kernel: the /dev/mshv driver of kernel/ running in this
 * process, entered through system-call-like functions. One struct kshim is
 * one kernel: its own descriptor table, its own hypervisor (struct hv) and
 * its own driver release (ABI level).
 *
 * This is the userspace side of kernel/shim/; the kernel side (the Linux
 * APIs kernel/ is written against) is in kernel/shim/include/.
 */
#ifndef MSHVCPU_KSHIM_H
#define MSHVCPU_KSHIM_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct hv;
struct kshim;

/* Driver releases, named by what their create-partition ioctl accepts. */
enum kshim_abi {
	KSHIM_ABI_V1_ONLY,	/* before 6.19: flags mask 0x7, no ROOT_HVCALL on /dev/mshv */
	KSHIM_ABI_CPU_FEATURES,	/* 6.19: flags mask 0xF, v2 struct, self-targeted ROOT_HVCALL */
	KSHIM_ABI_NESTED_SMT,	/* Feb 2026: flags mask 0x3F, NESTED and SMT flags */
	KSHIM_ABI_COUNT,
};

#define KSHIM_ABI_DEFAULT KSHIM_ABI_NESTED_SMT

/* "v1-only", "cpu-features", "nested-smt". */
const char *kshim_abi_name(enum kshim_abi abi);
/* 0, or -EINVAL for an unknown name. */
int kshim_abi_parse(const char *name, enum kshim_abi *abi);

struct kshim_config {
	struct hv *hv;		/* borrowed; must outlive the kshim */
	enum kshim_abi abi;
};

/* 0 or -errno. */
int kshim_create(const struct kshim_config *config, struct kshim **out);
/* Closes every descriptor (releasing partitions) and frees the kernel. */
void kshim_destroy(struct kshim *k);

/*
 * System calls. Descriptors are small integers private to this kshim.
 * Return values follow the kernel: >= 0 on success, -errno on failure.
 */
int kshim_open_dev(struct kshim *k);	/* open("/dev/mshv", O_RDWR) */
long kshim_ioctl(struct kshim *k, int fd, unsigned int cmd, unsigned long arg);
/*
 * The same, for a system call made by another process (the emulator's
 * supervised programs): user addresses in @arg and in what it points to
 * are @task's (a thread id), reached with process_vm_readv/writev.
 */
long kshim_ioctl_for(struct kshim *k, int task, int fd, unsigned int cmd,
		     unsigned long arg);

int kshim_close(struct kshim *k, int fd);
int kshim_dup(struct kshim *k, int fd);

/*
 * mmap of @len bytes of file @fd from page @pgoff, as far as the driver
 * decides it: its mmap op accepts or refuses the mapping (-ENODEV when
 * the file has none), then its fault handler names the page behind the
 * mapping's first byte, which is returned in *@page. The caller maps it.
 */
int kshim_mmap(struct kshim *k, int fd, unsigned long pgoff, unsigned long len, void **page);

enum kshim_fd_kind {
	KSHIM_FD_NONE,		/* not open */
	KSHIM_FD_DEV,		/* /dev/mshv */
	KSHIM_FD_PARTITION,
	KSHIM_FD_VP,
	KSHIM_FD_DEVICE,	/* an MSHV_CREATE_DEVICE file ("mshv-vfio") */
};

enum kshim_fd_kind kshim_fd_kind(struct kshim *k, int fd);
/* Open descriptors (leak checks). */
unsigned int kshim_fd_count(struct kshim *k);

/*
 * A file the driver makes during kshim_ioctl_for() (anon_inode_getfd: a
 * partition, a VP, a device) is handed to the calling program through the
 * installer: given our descriptor @kfd, it installs a descriptor in the
 * program and returns that number (or -errno), which is what the driver
 * then returns or writes. Without an installer, or for kshim_ioctl(), the
 * driver sees our own numbers.
 */
typedef int (*kshim_fd_installer_fn)(void *ctx, int kfd, enum kshim_fd_kind kind,
				     bool cloexec);
void kshim_set_fd_installer(struct kshim *k, kshim_fd_installer_fn fn, void *ctx);

/*
 * Deterministic test hooks.
 *
 * The copy hook runs before every copy_from_user() of a system call, with
 * the index of that copy within the call (0, 1, ...): a test can rewrite
 * the user buffer between the driver's two fetches of the same struct.
 */
typedef void (*kshim_copy_hook_fn)(void *ctx, unsigned int nth_copy,
				   const void *uaddr, size_t len);
void kshim_set_copy_from_user_hook(struct kshim *k, kshim_copy_hook_fn fn,
				   void *ctx);

/*
 * The hypercall hook sees every hypercall the driver makes, before the
 * hypervisor does: the control word and the input page as the driver
 * filled it. A differential test compares that input with an oracle's.
 */
typedef void (*kshim_hypercall_hook_fn)(void *ctx, uint64_t control,
					const void *input);
void kshim_set_hypercall_hook(struct kshim *k, kshim_hypercall_hook_fn fn,
			      void *ctx);

/*
 * Fault injection: every user byte at or above @from faults, as if it were
 * unmapped (copy_from_user/copy_to_user copy what lies below and report the
 * rest as not copied). NULL turns it off.
 */
void kshim_set_fault_from(struct kshim *k, const void *from);

/*
 * Eventfds the driver watches (irqfds, ioeventfds): whoever runs the
 * event loop polls these descriptors (up to @max of them are filled in;
 * the return value is how many there are) and, when one is readable,
 * calls kshim_run_eventfd_watches(), which runs the driver's callbacks in
 * the simulated kernel. Returns how many callbacks ran.
 */
struct pollfd;
size_t kshim_eventfd_pollfds(struct kshim *k, struct pollfd *out, size_t max);
unsigned int kshim_run_eventfd_watches(struct kshim *k);

#endif /* MSHVCPU_KSHIM_H */
