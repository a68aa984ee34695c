/* SPDX-License-Identifier: MIT */
/*
 * For the programs that run under the emulator: CHECK() prints one "ok -"
 * or "not ok -" line per check (with errno on failure) and counts the
 * check_failures for the exit status; open_fds() counts this process's
 * descriptors for leak checks. Plain libc: these programs stand for a VMM
 * and link nothing of ours.
 */
#ifndef MSHVCPU_TESTS_EMU_TEST_H
#define MSHVCPU_TESTS_EMU_TEST_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int check_failures __attribute__((unused));

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (cond) {                                                   \
			printf("ok - " __VA_ARGS__);                          \
		} else {                                                      \
			printf("not ok - " __VA_ARGS__);                      \
			printf("#   %s:%d: %s (errno %s)\n", __FILE__, __LINE__, \
			       #cond, strerror(errno));                       \
			check_failures++;                                           \
		}                                                             \
		putchar('\n');                                                \
	} while (0)

static inline int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own descriptor */
}

#endif
