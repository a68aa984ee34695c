/* SPDX-License-Identifier: MIT */
/*
 * An independent statement of what MSHV_CREATE_PARTITION must do, for the
 * differential test of kernel/. It is written from the reference sheet
 * (../shared/reference/mshv-abi.md, sections 2-4) alone, as data and one
 * plain function, and shares no code or header with kernel/: the argument
 * and the hypercall input are raw bytes at the sheet's offsets.
 */
#ifndef MSHVCPU_TESTS_CREATE_ORACLE_H
#define MSHVCPU_TESTS_CREATE_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The argument as user memory holds it: the v2 size, 64 bytes. */
#define ORACLE_ARG_SIZE		64
/* CreatePartition input: 56 bytes on x86_64, 48 elsewhere (no xsave). */
#define ORACLE_INPUT_MAX	56

enum oracle_level {
	ORACLE_LEVEL_V1_ONLY,		/* before 6.19 */
	ORACLE_LEVEL_CPU_FEATURES,	/* 6.19 */
	ORACLE_LEVEL_NESTED_SMT,	/* Feb 2026 */
	ORACLE_LEVEL_COUNT,
};

struct oracle_case {
	enum oracle_level level;
	bool x86_64;
	/* What user memory holds at the first fetch and at the second one. */
	uint8_t first[ORACLE_ARG_SIZE];
	uint8_t second[ORACLE_ARG_SIZE];
	/* How many bytes from the argument's start can be read (0-64). */
	size_t readable;
};

struct oracle_result {
	/* 0: a partition descriptor is returned; otherwise -errno. */
	int error;
	/* The sizes of the driver's fetches from user memory, in order. */
	unsigned int copies;
	size_t copy_size[2];
	/* Set when CreatePartition is called, with its input bytes. */
	bool calls_hypervisor;
	size_t input_size;
	uint8_t input[ORACLE_INPUT_MAX];
};

void oracle_create_partition(const struct oracle_case *c, struct oracle_result *r);

const char *oracle_level_name(enum oracle_level level);

#endif
