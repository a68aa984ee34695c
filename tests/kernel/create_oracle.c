// SPDX-License-Identifier: MIT
/*
 * The oracle for MSHV_CREATE_PARTITION (see create_oracle.h). Every rule is
 * a row of a table below; the one function walks the tables. Deliberately
 * unlike kernel/: no structs overlaid on the argument, no branches per
 * field, values assembled byte by byte in little-endian order.
 */
#include <errno.h>
#include <string.h>

#include "create_oracle.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Which pt_flags each driver release accepts (reference §2). */
static const struct {
	const char *name;
	uint64_t accepted_pt_flags;
} levels[ORACLE_LEVEL_COUNT] = {
	[ORACLE_LEVEL_V1_ONLY] = { "v1-only", 0x07 },
	[ORACLE_LEVEL_CPU_FEATURES] = { "cpu-features", 0x0F },
	[ORACLE_LEVEL_NESTED_SMT] = { "nested-smt", 0x3F },
};

/* pt_flags bit 3 selects the 64-byte layout. */
#define V2_SELECTOR_BIT	3

enum applies_to {
	ALL_ARCHES,
	NON_X86_ONLY,
};

enum check {
	FETCH,			/* copies `value` bytes: -EFAULT unless all readable */
	FLAGS_ACCEPTED,		/* the u64 at `offset` within the level's mask */
	BELOW,			/* the u64 at `offset` is less than `value` */
	EQUALS,			/* the `size`-byte integer at `offset` is `value` */
};

/*
 * The checks of the ioctl in the order the driver makes them (reference
 * §3). `snapshot` says which fetch the check reads: 0 the 16-byte one,
 * 1 the 64-byte one. The v2 rows apply only when the first fetch set the
 * selector bit.
 */
static const struct rule {
	bool v2_only;
	enum applies_to arches;
	enum check check;
	int snapshot;
	size_t offset, size;
	uint64_t value;
	int error;
} rules[] = {
	{ false, ALL_ARCHES,   FETCH,             0,  0, 0, 16, -EFAULT },
	{ false, ALL_ARCHES,   FLAGS_ACCEPTED,    0,  0, 8,  0, -EINVAL },
	{ false, ALL_ARCHES,   BELOW,             0,  8, 8,  1, -EINVAL },
	{ true,  ALL_ARCHES,   FETCH,             1,  0, 0, 64, -EFAULT },
	{ true,  ALL_ARCHES,   FLAGS_ACCEPTED,    1,  0, 8,  0, -EINVAL },
	{ true,  ALL_ARCHES,   BELOW,             1,  8, 8,  1, -EINVAL },
	{ true,  ALL_ARCHES,   EQUALS,            1, 16, 2,  2, -EINVAL },	/* pt_num_cpu_fbanks */
	{ true,  ALL_ARCHES,   EQUALS,            1, 18, 6,  0, -EINVAL },	/* pt_rsvd */
	{ true,  ALL_ARCHES,   EQUALS,            1, 40, 8,  0, -EINVAL },	/* pt_rsvd1[0] */
	{ true,  ALL_ARCHES,   EQUALS,            1, 48, 8,  0, -EINVAL },	/* pt_rsvd1[1] */
	{ true,  NON_X86_ONLY, EQUALS,            1, 56, 8,  0, -EINVAL },	/* pt_rsvd2 */
};

/* pt_flags bit -> CreatePartition flag bit (reference §3, step 5). */
static const struct {
	unsigned int pt_bit;
	unsigned int hv_bit;
} flag_map[] = {
	{ 0, 13 },	/* LAPIC -> LAPIC_ENABLED */
	{ 1, 22 },	/* X2APIC -> X2APIC_CAPABLE */
	{ 2, 4 },	/* GPA_SUPER_PAGES -> GPA_SUPER_PAGES_ENABLED */
	{ 4, 1 },	/* NESTED_VIRTUALIZATION -> NESTED_VIRTUALIZATION_CAPABLE */
	{ 5, 0 },	/* SMT_ENABLED_GUEST -> SMT_ENABLED_GUEST */
};

/* Set on every create: EXO_PARTITION and INTERCEPT_MESSAGE_PAGE_ENABLED. */
static const unsigned int always_set_hv_bits[] = { 8, 19 };

enum source {
	CONSTANT,		/* `value` */
	MAPPED_FLAGS,		/* flag_map applied to the flags in use */
	ARGUMENT_IF_V2,		/* the u64 at `arg_offset` of the second fetch; 0 on v1 */
};

/*
 * CreatePartition's input (reference §4), field by field, at its x86_64
 * offset and at its offset elsewhere (SIZE_MAX: absent there).
 */
static const struct input_field {
	size_t x86_offset, other_offset, size;
	enum source source;
	uint64_t value;
	size_t arg_offset;
} input_fields[] = {
	{  0,  0, 8, MAPPED_FLAGS,   0, 0 },		/* flags */
	{  8,  8, 8, CONSTANT,       0, 0 },		/* proximity domain: none */
	{ 16, 16, 4, CONSTANT,  0x0609, 0 },		/* compatibility version */
	{ 20, 20, 4, CONSTANT,       0, 0 },		/* padding */
	{ 24, 24, 8, ARGUMENT_IF_V2, 0, 24 },		/* disabled bank 0 */
	{ 32, 32, 8, ARGUMENT_IF_V2, 0, 32 },		/* disabled bank 1 */
	{ 40, SIZE_MAX, 8, ARGUMENT_IF_V2, 0, 56 },	/* disabled xsave */
	{ 48, 40, 8, CONSTANT,       0, 0 },		/* isolation: NONE */
};

static uint64_t read_le(const uint8_t *bytes, size_t offset, size_t size)
{
	uint64_t v = 0;
	size_t i;

	for (i = size; i > 0; i--)
		v = v << 8 | bytes[offset + i - 1];
	return v;
}

static void write_le(uint8_t *bytes, size_t offset, size_t size, uint64_t v)
{
	size_t i;

	for (i = 0; i < size; i++, v >>= 8)
		bytes[offset + i] = (uint8_t)v;
}

static bool rule_holds(const struct rule *rule, const struct oracle_case *c)
{
	const uint8_t *snap = rule->snapshot ? c->second : c->first;
	uint64_t v;

	switch (rule->check) {
	case FETCH:
		return c->readable >= rule->value;
	case FLAGS_ACCEPTED:
		v = read_le(snap, rule->offset, rule->size);
		return (v & ~levels[c->level].accepted_pt_flags) == 0;
	case BELOW:
		return read_le(snap, rule->offset, rule->size) < rule->value;
	case EQUALS:
		return read_le(snap, rule->offset, rule->size) == rule->value;
	}
	return false;
}

static uint64_t mapped_flags(uint64_t pt_flags)
{
	uint64_t hv_flags = 0;
	size_t i;

	for (i = 0; i < ARRAY_LEN(flag_map); i++)
		if (pt_flags >> flag_map[i].pt_bit & 1)
			hv_flags |= 1ULL << flag_map[i].hv_bit;
	for (i = 0; i < ARRAY_LEN(always_set_hv_bits); i++)
		hv_flags |= 1ULL << always_set_hv_bits[i];
	return hv_flags;
}

void oracle_create_partition(const struct oracle_case *c, struct oracle_result *r)
{
	bool v2;
	const uint8_t *in_use;
	size_t i;

	memset(r, 0, sizeof(*r));
	/* The selector is read from the first fetch, once it is known readable. */
	v2 = c->readable >= 16 && (read_le(c->first, 0, 8) >> V2_SELECTOR_BIT & 1);

	for (i = 0; i < ARRAY_LEN(rules); i++) {
		const struct rule *rule = &rules[i];

		if (rule->v2_only && !v2)
			continue;
		if (rule->arches == NON_X86_ONLY && c->x86_64)
			continue;
		if (rule->check == FETCH)
			r->copy_size[r->copies++] = (size_t)rule->value;
		if (!rule_holds(rule, c)) {
			r->error = rule->error;
			return;
		}
	}

	/* Past every check, the values come from the last fetch made. */
	in_use = v2 ? c->second : c->first;
	r->calls_hypervisor = true;
	r->input_size = c->x86_64 ? 56 : 48;
	for (i = 0; i < ARRAY_LEN(input_fields); i++) {
		const struct input_field *f = &input_fields[i];
		size_t offset = c->x86_64 ? f->x86_offset : f->other_offset;
		uint64_t v = 0;

		if (offset == SIZE_MAX)
			continue;
		switch (f->source) {
		case CONSTANT:
			v = f->value;
			break;
		case MAPPED_FLAGS:
			v = mapped_flags(read_le(in_use, 0, 8));
			break;
		case ARGUMENT_IF_V2:
			v = v2 ? read_le(in_use, f->arg_offset, 8) : 0;
			break;
		}
		write_le(r->input, offset, f->size, v);
	}
}

const char *oracle_level_name(enum oracle_level level)
{
	return (unsigned int)level < ORACLE_LEVEL_COUNT ? levels[level].name : "?";
}
