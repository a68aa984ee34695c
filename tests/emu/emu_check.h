/* SPDX-License-Identifier: MIT */
/*
 * CHECK() for the programs that run under the emulator: one "ok -" or
 * "not ok -" line per check (with errno on failure), and a count of the
 * failures for the exit status. Plain stdio: these programs stand for a
 * VMM and link nothing of ours.
 */
#ifndef MSHVCPU_TESTS_EMU_CHECK_H
#define MSHVCPU_TESTS_EMU_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (cond) {                                                   \
			printf("ok - " __VA_ARGS__);                          \
		} else {                                                      \
			printf("not ok - " __VA_ARGS__);                      \
			printf("#   %s:%d: %s (errno %s)\n", __FILE__, __LINE__, \
			       #cond, strerror(errno));                       \
			failures++;                                           \
		}                                                             \
		putchar('\n');                                                \
	} while (0)

#endif
