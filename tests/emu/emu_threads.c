// SPDX-License-Identifier: MIT
/*
 * Run as `mshvcpu emu -- emu_threads`: 8 threads x 1,000 create /
 * initialize / close cycles on one shared /dev/mshv descriptor, served by
 * the one supervisor. Afterwards the process has exactly the descriptors
 * it started with; ASan around the supervisor (the sanitizer build) finds
 * any memory left behind, and in the TSan build (suite threads) both the
 * program and its supervisor are instrumented.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/mshv.h>

#include "emu_test.h"

#define THREADS 8
#define CYCLES 1000

static int dev;

static void *cycle(void *arg)
{
	long failures = 0;
	int i;

	(void)arg;
	for (i = 0; i < CYCLES; i++) {
		struct mshv_create_partition args = { 0 };
		int part = ioctl(dev, MSHV_CREATE_PARTITION, &args);

		if (part < 0 || ioctl(part, MSHV_INITIALIZE_PARTITION) != 0) {
			fprintf(stderr, "cycle %d: %s\n", i, strerror(errno));
			failures++;
		}
		if (part >= 0 && close(part) != 0)
			failures++;
	}
	return (void *)failures;
}

int main(void)
{
	pthread_t threads[THREADS];
	long failures = 0;
	int before, after, i;

	before = open_fds();
	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		perror("open /dev/mshv");
		return 1;
	}
	for (i = 0; i < THREADS; i++)
		if (pthread_create(&threads[i], NULL, cycle, NULL))
			return 1;
	for (i = 0; i < THREADS; i++) {
		void *ret;

		pthread_join(threads[i], &ret);
		failures += (long)ret;
	}
	close(dev);
	after = open_fds();
	printf("%d threads x %d cycles: %ld failures; descriptors %d before, %d after\n",
	       THREADS, CYCLES, failures, before, after);
	return failures == 0 && before == after ? 0 : 1;
}
