// SPDX-License-Identifier: MIT
/*
 * A program under a seccomp filter whose listener this process keeps
 * (notify.h): starting it, serving its handed-over calls until nothing is
 * left under the filter, and the means of answering them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "notify.h"

int notify_filter_load(struct sock_filter *prog, unsigned short len)
{
	struct sock_fprog fprog = { .len = len, .filter = prog };
	long listener;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	/*
	 * Once received, only a fatal signal may cut a call short: a call
	 * that creates something must not be abandoned half done because the
	 * program caught a signal, or its descriptor would be lost.
	 */
	listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			   SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
			   &fprog);
	return listener < 0 ? -errno : (int)listener;
}

/* --- answers ---------------------------------------------------------------- */

void notify_answer(struct notify *n, long val)
{
	struct seccomp_notif_resp resp = { .id = n->req->id };

	if (val < 0)
		resp.error = (int32_t)val;
	else
		resp.val = val;
	/* ENOENT: the caller died meanwhile; nobody is waiting. */
	ioctl(n->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

void notify_pass(struct notify *n)
{
	struct seccomp_notif_resp resp = {
		.id = n->req->id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE,
	};

	ioctl(n->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

int notify_install_fd(struct notify *n, int fd, bool cloexec)
{
	struct seccomp_notif_addfd addfd = {
		.id = n->req->id, .srcfd = (uint32_t)fd, .newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int theirs = ioctl(n->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);

	return theirs < 0 ? -errno : theirs;
}

/* --- the caller's memory and descriptors --------------------------------------- */

int notify_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };

	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

int notify_write(pid_t pid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };

	return process_vm_writev(pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

int notify_read_string(pid_t pid, uint64_t addr, char *buf, size_t cap)
{
	size_t got = 0;

	/* A page at a time, so that an unmapped page after the string is no fault. */
	while (got < cap) {
		size_t chunk = 4096 - ((addr + got) & 4095);
		char *nul;

		if (chunk > cap - got)
			chunk = cap - got;
		if (notify_read(pid, addr + got, buf + got, chunk))
			return -EFAULT;
		nul = memchr(buf + got, '\0', chunk);
		if (nul)
			return (int)(nul - buf);
		got += chunk;
	}
	return -ENAMETOOLONG;
}

pid_t notify_process_of(pid_t tid)
{
	char path[64], line[256];
	pid_t tgid = tid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return tid;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

/* pidfd_open() takes processes only. */
int notify_fetch_fd(pid_t tid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, notify_process_of(tid), 0);
	int ours;

	if (pidfd < 0)
		return -errno;
	ours = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (ours < 0)
		ours = -errno;
	close(pidfd);
	return ours;
}

/* --- running the program ------------------------------------------------------ */

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

/* In the child, where only async-signal-safe calls are sound: one line on stderr. */
static void child_says(const char *who, const char *what, int err)
{
	char msg[512];
	int len = snprintf(msg, sizeof(msg), "mshvcpu: %s: %s: %s\n", who, what, strerror(err));

	if (len > 0 && write(STDERR_FILENO, msg, (size_t)len) < 0)
		_exit(127);
}

/* The child: the filter, its listener to the parent, then the program. */
static void __attribute__((noreturn)) start_program(int sock, char *const argv[],
						      int (*install)(void), const char *who)
{
	int listener = install();

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if (listener < 0) {
		child_says(who, "installing the seccomp filter", -listener);
		_exit(127);
	}
	if (send_fd(sock, listener))
		_exit(127);
	close(listener);
	close(sock);
	execvp(argv[0], argv);
	child_says(who, argv[0], errno);
	_exit(errno == ENOENT ? 127 : 126);
}

/* Poll set: the listener, the child's pidfd, then the hooks' descriptors. */
enum { POLL_LISTENER, POLL_CHILD, POLL_FIXED };

static void serve(struct notify *n, pid_t child, const struct notify_hooks *hooks, int *status)
{
	int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	struct pollfd *fds = NULL;
	size_t cap = 0;
	bool reaped = false;

	for (;;) {
		size_t extra = hooks->pollfds ? hooks->pollfds(hooks->ctx, NULL, 0) : 0;

		if (POLL_FIXED + extra > cap) {
			struct pollfd *grown = realloc(fds, (POLL_FIXED + extra) * sizeof(*fds));

			if (!grown)
				break;
			fds = grown;
			cap = POLL_FIXED + extra;
		}
		fds[POLL_LISTENER] = (struct pollfd){ .fd = n->listener, .events = POLLIN };
		fds[POLL_CHILD] = (struct pollfd){ .fd = reaped ? -1 : pidfd, .events = POLLIN };
		if (hooks->pollfds)
			extra = hooks->pollfds(hooks->ctx, fds + POLL_FIXED, cap - POLL_FIXED);

		/* Without a pidfd, look at the child every 100 ms. */
		if (poll(fds, POLL_FIXED + extra, pidfd >= 0 ? -1 : 100) < 0 && errno != EINTR)
			break;
		if (hooks->polled)
			hooks->polled(hooks->ctx, fds + POLL_FIXED, extra);
		if (fds[POLL_LISTENER].revents & POLLIN) {
			memset(n->req, 0, n->req_size);
			if (ioctl(n->listener, SECCOMP_IOCTL_NOTIF_RECV, n->req) == 0)
				hooks->serve(hooks->ctx, n);
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
	/* The program's exit closed its descriptors: the hooks see the last of it. */
	if (hooks->polled)
		hooks->polled(hooks->ctx, NULL, 0);
}

static int shell_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

int notify_run(char *const argv[], int (*install)(void), const char *who,
	       const struct notify_hooks *hooks, char *why, size_t why_len)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
	struct notify n = { .listener = -1 };
	struct seccomp_notif_sizes sizes;
	int sock[2], status = 0, ret;
	pid_t child;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes)) {
		ret = -errno;
		snprintf(why, why_len, "seccomp user notification is not available here (%s); "
			 "it needs Linux 5.19 or later, and cannot run under valgrind",
			 strerror(-ret));
		return ret;
	}
	n.req_size = sizes.seccomp_notif > sizeof(*n.req) ? sizes.seccomp_notif : sizeof(*n.req);
	n.req = calloc(1, n.req_size);
	if (!n.req) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock)) {
		ret = -errno;
		snprintf(why, why_len, "socketpair: %s", strerror(-ret));
		free(n.req);
		return ret;
	}

	/* Like system(): the terminal's ^C and ^\ are for the program. */
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	fflush(NULL);
	child = fork();
	if (child == 0) {
		close(sock[0]);
		start_program(sock[1], argv, install, who);
	}
	close(sock[1]);
	if (child < 0) {
		ret = -errno;
		snprintf(why, why_len, "fork: %s", strerror(-ret));
		close(sock[0]);
		goto restore;
	}
	n.listener = receive_fd(sock[0]);
	close(sock[0]);
	if (n.listener < 0) {
		waitpid(child, &status, 0);
		ret = n.listener;
		snprintf(why, why_len, "the program could not be put under the seccomp filter");
		goto restore;
	}
	serve(&n, child, hooks, &status);
	close(n.listener);
	ret = shell_status(status);
restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	free(n.req);
	return ret;
}
