/* SPDX-License-Identifier: MIT */
/*
 * For the programs that run under the emulator: CHECK() prints one "ok -"
 * or "not ok -" line per check (with errno on failure) and counts the
 * check_failures for the exit status; open_fds() counts this process's
 * descriptors for leak checks; traced() counts the successful hypercalls
 * of one kind in the trace that `mshvcpu emu --trace FILE` writes (the
 * supervisor writes it; the program is given FILE as an argument and
 * empties it first with trace_reset()). Plain libc: these programs stand
 * for a VMM and link nothing of ours.
 */
#ifndef MSHVCPU_TESTS_EMU_TEST_H
#define MSHVCPU_TESTS_EMU_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int check_failures __attribute__((unused));

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		int check_ok_ = !!(cond), check_errno_ = errno;               \
		if (check_ok_) {                                              \
			printf("ok - " __VA_ARGS__);                          \
		} else {                                                      \
			printf("not ok - " __VA_ARGS__);                      \
			printf("\n#   %s:%d: %s (errno %s)", __FILE__, __LINE__, \
			       #cond, strerror(check_errno_));                \
			check_failures++;                                     \
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

/*
 * Empties the trace: the supervisor appends to it (O_APPEND), so what a
 * previous run left there is gone and new lines start at offset 0.
 */
static inline int trace_reset(const char *path)
{
	return truncate(path, 0);
}

/* Lines of the trace at @path for hypercall @call that succeeded; -1 if unreadable. */
static inline int traced(const char *path, const char *call)
{
	char line[16384], want_call[96];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return -1;
	snprintf(want_call, sizeof(want_call), "\"call\":\"%s\"", call);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, want_call) && strstr(line, "\"status\":\"0x0000\"");
	fclose(f);
	return n;
}

#endif
