// SPDX-License-Identifier: MIT
/*
 * The pages a VP lends the root: MapVpStatePage and UnmapVpStatePage with
 * their refusals, where the pages come from (the page lender), and the
 * register page kept in step with the registers both ways.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <hyperv/hv_vp.h>

#include "hv_test.h"

static struct hv *x86_host(void)
{
	struct hv_host_config c = { .arch = HV_ARCH_X86_64, .vendor = HV_PROCESSOR_VENDOR_INTEL };
	struct hv *hv = NULL;

	assert_int_equal(hv_create(&c, &hv), 0);
	return hv;
}

/* A created partition, initialized if @init, with VP 0 if initialized. */
static uint64_t partition(struct hv *hv, bool init)
{
	struct hv_input_create_partition *c = (void *)in;
	uint64_t id;

	memset(in, 0, sizeof(in));
	c->compatibility_version = HV_COMPATIBILITY_21_H2;
	assert_int_equal(call(hv, HVCALL_CREATE_PARTITION), HV_STATUS_SUCCESS);
	id = ((struct hv_output_create_partition *)out)->partition_id;
	if (init) {
		assert_int_equal(simple(hv, HVCALL_INITIALIZE_PARTITION, id),
				 HV_STATUS_SUCCESS);
		assert_int_equal(create_vp(hv, id, 0), HV_STATUS_SUCCESS);
	}
	return id;
}

struct map_input {
	uint64_t id;
	uint32_t vp;
	uint16_t type;
	uint8_t vtl, flags;
	uint64_t location;
};

static uint16_t map(struct hv *hv, const struct map_input *m, void **page)
{
	struct hv_input_map_vp_state_page *i = (void *)in;
	uint16_t status;

	memset(in, 0, sizeof(in));
	memset(out, 0, sizeof(out));
	*i = (struct hv_input_map_vp_state_page){
		.partition_id = m->id, .vp_index = m->vp, .type = m->type,
		.input_vtl = m->vtl, .flags = m->flags, .requested_map_location = m->location,
	};
	status = call(hv, HVCALL_MAP_VP_STATE_PAGE);
	if (page)
		*page = (void *)(uintptr_t)(((struct hv_output_map_vp_state_page *)out)->map_location
					    * HV_HYP_PAGE_SIZE);
	return status;
}

static uint16_t unmap(struct hv *hv, uint64_t id, uint32_t vp, uint16_t type, uint8_t rsvd)
{
	struct hv_input_unmap_vp_state_page *i = (void *)in;

	memset(in, 0, sizeof(in));
	*i = (struct hv_input_unmap_vp_state_page){
		.partition_id = id, .vp_index = vp, .type = type, .rsvd = rsvd };
	return call(hv, HVCALL_UNMAP_VP_STATE_PAGE);
}

static struct hv_vp_register_page *register_page(struct hv *hv, uint64_t id)
{
	struct map_input m = { .id = id, .type = HV_VP_STATE_PAGE_REGISTERS };
	void *page;

	assert_int_equal(map(hv, &m, &page), HV_STATUS_SUCCESS);
	return page;
}

static uint16_t get_reg(struct hv *hv, uint64_t id, uint32_t name, struct hv_u128 *value)
{
	struct hv_input_get_vp_registers *g = (void *)in;
	uint16_t status;

	memset(in, 0, sizeof(in));
	g->partition_id = id;
	g->names[0] = name;
	status = (uint16_t)hv_hypercall(hv, HVCALL_GET_VP_REGISTERS | 1ULL << 32, in, out);
	memcpy(value, out, sizeof(*value));
	return status;
}

static uint64_t reg(struct hv *hv, uint64_t id, uint32_t name)
{
	struct hv_u128 v;

	assert_int_equal(get_reg(hv, id, name, &v), HV_STATUS_SUCCESS);
	return v.low_part;
}

static uint16_t set_reg(struct hv *hv, uint64_t id, uint32_t name, uint64_t value)
{
	struct hv_input_set_vp_registers *s = (void *)in;

	memset(in, 0, sizeof(in));
	s->partition_id = id;
	s->elements[0].name = name;
	s->elements[0].value.low_part = value;
	return (uint16_t)hv_hypercall(hv, HVCALL_SET_VP_REGISTERS | 1ULL << 32, in, NULL);
}

static void each_refusal_gets_its_status(void **state)
{
	struct hv *hv = x86_host();
	uint64_t created = partition(hv, false), id = partition(hv, true);
	static const struct {
		const char *what;
		struct map_input m;
		uint16_t status;
	} cases[] = {
		{ "no partition", { .id = 99 }, HV_STATUS_INVALID_PARTITION_ID },
		{ "no VP", { .vp = 1 }, HV_STATUS_INVALID_VP_INDEX },
		{ "VTL 1", { .vtl = HV_INPUT_VTL_USE_TARGET | 1 }, HV_STATUS_INVALID_PARAMETER },
		{ "a reserved VTL bit", { .vtl = 0x20 }, HV_STATUS_INVALID_PARAMETER },
		{ "GHCB", { .type = HV_VP_STATE_PAGE_GHCB }, HV_STATUS_INVALID_PARAMETER },
		{ "type 3", { .type = 3 }, HV_STATUS_INVALID_PARAMETER },
		{ "a reserved flag", { .flags = 2 }, HV_STATUS_INVALID_PARAMETER },
		{ "a frame the root provides",
		  { .flags = HV_MAP_VP_STATE_PAGE_LOCATION_PROVIDED, .location = 0x1234 },
		  HV_STATUS_INVALID_PARAMETER },
	};
	struct map_input m = { .id = created };
	struct hv_vp_info info;
	size_t i;

	(void)state;
	assert_int_equal(map(hv, &m, NULL), HV_STATUS_INVALID_PARTITION_STATE);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m = cases[i].m;
		if (!m.id)
			m.id = id;
		if (map(hv, &m, NULL) != cases[i].status)
			fail_msg("%s: status 0x%x, expected 0x%x", cases[i].what,
				 map(hv, &m, NULL), cases[i].status);
	}
	assert_int_equal(hv_vp_get_info(hv, id, 0, &info), 0);
	assert_int_equal(info.mapped_pages, 0);

	/* Unmapping: only what is mapped, with the reserved byte zero. */
	assert_int_equal(unmap(hv, id, 0, HV_VP_STATE_PAGE_REGISTERS, 0),
			 HV_STATUS_INVALID_PARAMETER);
	register_page(hv, id);
	assert_int_equal(unmap(hv, id, 0, HV_VP_STATE_PAGE_REGISTERS, 1),
			 HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(hv_vp_get_info(hv, id, 0, &info), 0);
	assert_int_equal(info.mapped_pages, 1U << HV_VP_STATE_PAGE_REGISTERS);
	assert_int_equal(unmap(hv, id, 0, HV_VP_STATE_PAGE_REGISTERS, 0), HV_STATUS_SUCCESS);
	assert_int_equal(hv_vp_get_info(hv, id, 0, &info), 0);
	assert_int_equal(info.mapped_pages, 0);
	hv_destroy(hv);
}

/* A lender that counts, and lends from the heap. */
struct counting_lender {
	unsigned int lent, returned;
	size_t bytes;
};

static void *count_alloc(void *ctx, size_t bytes)
{
	struct counting_lender *l = ctx;
	void *p = aligned_alloc(HV_HYP_PAGE_SIZE, bytes);

	l->lent++;
	l->bytes = bytes;
	memset(p, 0, bytes);
	return p;
}

static void count_release(void *ctx, void *pages, size_t bytes)
{
	struct counting_lender *l = ctx;

	assert_int_equal(bytes, l->bytes);
	l->returned++;
	free(pages);
}

static void pages_come_from_the_lender(void **state)
{
	struct counting_lender counts = { 0 };
	const struct hv_page_lender lender = { count_alloc, count_release, &counts };
	struct hv *hv = x86_host();
	struct map_input m = { .type = HV_VP_STATE_PAGE_INTERCEPT_MESSAGE };
	uint8_t *regs, *message;
	uint64_t id;

	(void)state;
	assert_int_equal(hv_set_page_lender(hv, NULL), -EINVAL);
	assert_int_equal(hv_set_page_lender(hv, &lender), 0);
	id = partition(hv, true);
	assert_int_equal(create_vp(hv, id, 1), HV_STATUS_SUCCESS);
	assert_int_equal(counts.lent, 2);
	assert_int_equal(counts.bytes, 2 * HV_HYP_PAGE_SIZE);
	/* Too late to change lenders while pages are out. */
	assert_int_equal(hv_set_page_lender(hv, &lender), -EBUSY);

	/* One block per VP: the register page, then the intercept message page. */
	regs = (uint8_t *)register_page(hv, id);
	m.id = id;
	assert_int_equal(map(hv, &m, (void **)&message), HV_STATUS_SUCCESS);
	assert_ptr_equal(message, regs + HV_HYP_PAGE_SIZE);
	assert_true(((uintptr_t)regs & (HV_HYP_PAGE_SIZE - 1)) == 0);

	assert_int_equal(simple(hv, HVCALL_FINALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(simple(hv, HVCALL_DELETE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(counts.returned, 2);
	hv_destroy(hv);
}

static void the_page_shows_the_registers(void **state)
{
	struct hv *hv = x86_host();
	uint64_t id = partition(hv, true);
	struct hv_vp_register_page *page = register_page(hv, id);
	struct hv_u128 cs;

	(void)state;
	assert_int_equal(page->version, HV_VP_REGISTER_PAGE_VERSION_1);
	assert_int_equal(page->isvalid, 1);
	assert_int_equal(page->dirty, 0);
	assert_int_equal(page->rip, reg(hv, id, HV_REGISTER_RIP));
	assert_int_equal(page->rflags, reg(hv, id, HV_REGISTER_RFLAGS));
	assert_int_equal(page->cr0, reg(hv, id, HV_REGISTER_CR0));
	assert_int_equal(page->efer, reg(hv, id, HV_REGISTER_EFER));
	assert_int_equal(page->dr7, reg(hv, id, HV_REGISTER_DR7));
	assert_int_equal(get_reg(hv, id, HV_REGISTER_CS, &cs), HV_STATUS_SUCCESS);
	assert_memory_equal(&page->segment[1], &cs, sizeof(cs));

	/* SetVpRegisters shows in the page. */
	assert_int_equal(set_reg(hv, id, HV_REGISTER_R15, 0xabc), HV_STATUS_SUCCESS);
	assert_int_equal(page->gp[15], 0xabc);
	assert_int_equal(set_reg(hv, id, HV_REGISTER_CR8, 0x5), HV_STATUS_SUCCESS);
	assert_int_equal(page->cr8, 0x5);
	/* A refused set leaves the page as the registers are. */
	assert_int_equal(set_reg(hv, id, HV_REGISTER_RFLAGS, 0), HV_STATUS_INVALID_PARAMETER);
	assert_int_equal(page->rflags, 0x2);
	hv_destroy(hv);
}

static void dirty_classes_come_in(void **state)
{
	static const struct {
		unsigned int class;
		uint32_t name;
		size_t offset;
	} classes[] = {
		{ HV_X64_REGISTER_CLASS_GENERAL, HV_REGISTER_RDX,
		  offsetof(struct hv_vp_register_page, gp) + 2 * 8 },
		{ HV_X64_REGISTER_CLASS_IP, HV_REGISTER_RIP,
		  offsetof(struct hv_vp_register_page, rip) },
		{ HV_X64_REGISTER_CLASS_FLAGS, HV_REGISTER_RFLAGS,
		  offsetof(struct hv_vp_register_page, rflags) },
		{ HV_X64_REGISTER_CLASS_XMM, HV_REGISTER_XMM5,
		  offsetof(struct hv_vp_register_page, xmm) + 5 * 16 },
		{ HV_X64_REGISTER_CLASS_SEGMENT, HV_REGISTER_GS,
		  offsetof(struct hv_vp_register_page, segment) + 5 * 16 + 8 },
	};
	struct hv *hv = x86_host();
	uint64_t id = partition(hv, true);
	struct hv_vp_register_page *page = register_page(hv, id);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		/* 0x202: rflags with IF, valid; for GS the limit word; else any value. */
		uint64_t value = 0x202, before;
		struct hv_u128 got;

		before = reg(hv, id, classes[i].name);
		memcpy((uint8_t *)page + classes[i].offset, &value, sizeof(value));
		/* Not marked: undone, and the register keeps its value. */
		assert_int_equal(reg(hv, id, classes[i].name), before);
		memcpy((uint8_t *)page + classes[i].offset, &value, sizeof(value));
		page->dirty = 1U << classes[i].class;
		assert_int_equal(get_reg(hv, id, classes[i].name, &got), HV_STATUS_SUCCESS);
		if (classes[i].class == HV_X64_REGISTER_CLASS_SEGMENT)
			assert_int_equal(got.high_part, value);
		else
			assert_int_equal(got.low_part, value);
		assert_int_equal(page->dirty, 0);
	}

	/* A SetVpRegisters takes the page in first, then its own values win. */
	page->gp[0] = 0x11;
	page->gp[1] = 0x22;
	page->dirty = 1U << HV_X64_REGISTER_CLASS_GENERAL;
	assert_int_equal(set_reg(hv, id, HV_REGISTER_RCX, 0x33), HV_STATUS_SUCCESS);
	assert_int_equal(reg(hv, id, HV_REGISTER_RAX), 0x11);
	assert_int_equal(reg(hv, id, HV_REGISTER_RCX), 0x33);
	assert_int_equal(page->gp[1], 0x33);

	/* Read-only fields are the hypervisor's: a dirty mark does not reach them. */
	page->cr0 = 0;
	page->dirty = ~0U;
	assert_int_equal(reg(hv, id, HV_REGISTER_CR0), 0x60000010);
	assert_int_equal(page->cr0, 0x60000010);
	hv_destroy(hv);
}

static void arm64_pages_carry_no_x86_registers(void **state)
{
	struct hv_host_config c = { .arch = HV_ARCH_ARM64, .vendor = HV_PROCESSOR_VENDOR_ARM };
	struct hv_input_create_partition_arm64 *p = (void *)in;
	struct hv_vp_register_page *page;
	struct hv *hv = NULL;
	uint64_t id;

	(void)state;
	assert_int_equal(hv_create(&c, &hv), 0);
	memset(in, 0, sizeof(in));
	p->compatibility_version = HV_COMPATIBILITY_21_H2;
	assert_int_equal(call(hv, HVCALL_CREATE_PARTITION), HV_STATUS_SUCCESS);
	id = ((struct hv_output_create_partition *)out)->partition_id;
	assert_int_equal(simple(hv, HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	assert_int_equal(create_vp(hv, id, 0), HV_STATUS_SUCCESS);
	page = register_page(hv, id);
	assert_int_equal(page->version, HV_VP_REGISTER_PAGE_VERSION_1);
	assert_int_equal(page->isvalid, 0);
	assert_int_equal(page->rip, 0);
	hv_destroy(hv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_refusal_gets_its_status),
		cmocka_unit_test(pages_come_from_the_lender),
		cmocka_unit_test(the_page_shows_the_registers),
		cmocka_unit_test(dirty_classes_come_in),
		cmocka_unit_test(arm64_pages_carry_no_x86_registers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
