// SPDX-License-Identifier: MIT
/*
 * A VMM's partition creates, for `mshvcpu apply` to rewrite (tests/emu/
 * apply.py runs it under `mshvcpu emu ... -- mshvcpu apply ...`):
 *
 *   apply_vmm v1                        a v1 create (flags LAPIC|X2APIC|GPA_SUPER_PAGES)
 *   apply_vmm v2 BANK0 BANK1 XSAVE      a v2 create disabling these (hex)
 *   apply_vmm threads N                 N threads, each a v1 create
 *   apply_vmm fork                      a child, exec'ed anew, makes the v1 create
 *   apply_vmm devnull                   the create's command on /dev/null (another
 *                                       driver's file: the call must reach it as it is)
 *
 * Each created partition is initialized (the early window is the
 * rewriter's) and gets a VP. Prints "created" or "refused: ERRNO" per
 * create; exits 0 when every create succeeded, 1 otherwise. Plain libc
 * and the uapi header: this program stands for a VMM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mshv.h>

#define V1_FLAGS (1ULL << MSHV_PT_BIT_LAPIC | 1ULL << MSHV_PT_BIT_X2APIC | \
		  1ULL << MSHV_PT_BIT_GPA_SUPER_PAGES)

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* One create on @dev with @arg, then initialize and VP 0: 0 or an errno. */
static int create(int dev, void *arg)
{
	struct mshv_create_vp vp = { .vp_index = 0 };
	int pt = ioctl(dev, MSHV_CREATE_PARTITION, arg), err = 0, vpfd;

	if (pt < 0)
		err = errno;
	else if (ioctl(pt, MSHV_INITIALIZE_PARTITION))
		err = errno;
	else if ((vpfd = ioctl(pt, MSHV_CREATE_VP, &vp)) < 0)
		err = errno;
	else
		close(vpfd);
	if (pt >= 0)
		close(pt);
	pthread_mutex_lock(&out_lock);
	if (err)
		printf("refused: %s\n", strerror(err));
	else
		printf("created\n");
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	return err;
}

static int create_v1(int dev)
{
	struct mshv_create_partition args = { .pt_flags = V1_FLAGS };

	return create(dev, &args);
}

static void *thread_main(void *arg)
{
	return (void *)(intptr_t)create_v1(*(int *)arg);
}

int main(int argc, char **argv)
{
	bool devnull = argc == 2 && !strcmp(argv[1], "devnull");
	int dev = open(devnull ? "/dev/null" : "/dev/mshv", O_RDWR | O_CLOEXEC);
	int failures = 0, i, n, status;

	if (dev < 0 || argc < 2) {
		fprintf(stderr, "usage: %s v1 | v2 BANK0 BANK1 XSAVE | threads N | fork\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "v1") || devnull) {
		failures = create_v1(dev) != 0;
	} else if (!strcmp(argv[1], "v2") && argc == 5) {
		struct mshv_create_partition_v2 args = {
			.pt_flags = V1_FLAGS | 1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES,
			.pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS,
			.pt_cpu_fbanks = { strtoull(argv[2], NULL, 16), strtoull(argv[3], NULL, 16) },
#if defined(__x86_64__)
			.pt_disabled_xsave = strtoull(argv[4], NULL, 16),
#endif
		};

		failures = create(dev, &args) != 0;
	} else if (!strcmp(argv[1], "threads") && argc == 3) {
		pthread_t t[64];

		n = atoi(argv[2]);
		if (n < 1 || n > 64)
			return 2;
		for (i = 0; i < n; i++)
			pthread_create(&t[i], NULL, thread_main, &dev);
		for (i = 0; i < n; i++) {
			void *ret;

			pthread_join(t[i], &ret);
			failures += ret != NULL;
		}
	} else if (!strcmp(argv[1], "fork")) {
		pid_t child = fork();

		if (child == 0) {
			execl("/proc/self/exe", argv[0], "v1", (char *)NULL);
			_exit(127);
		}
		failures = child < 0 || waitpid(child, &status, 0) != child ||
			   !WIFEXITED(status) || WEXITSTATUS(status);
	} else {
		return 2;
	}
	close(dev);
	return failures ? 1 : 0;
}
