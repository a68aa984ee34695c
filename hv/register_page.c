// SPDX-License-Identifier: MIT
/*
 * The pages of a VP the hypervisor lends the root: the register page and
 * the intercept message page, one block per VP from the page lender
 * (hv_set_page_lender), mapped and unmapped with MapVpStatePage (0xE1)
 * and UnmapVpStatePage (0xE2). What each misuse gets:
 *
 *   no such partition, not initialized     INVALID_PARTITION_ID / _STATE
 *   no such VP                             INVALID_VP_INDEX
 *   a VTL other than 0, reserved flag bits or bytes, a type past GHCB
 *                                          INVALID_PARAMETER
 *   GHCB (no partition here is SNP-isolated)  INVALID_PARAMETER
 *   a frame the root provides (LOCATION_PROVIDED: the model only lends
 *   its own pages)                         INVALID_PARAMETER
 *   unmapping a page that is not mapped    INVALID_PARAMETER
 *
 * The register page mirrors the VP's registers while it is stopped, which
 * in the model is always: isvalid is 1. A root may change the general
 * registers, rip, rflags, xmm0-5 and the segment registers in the page and
 * mark their classes dirty; the model takes them in before the next call
 * that reads or writes the VP's registers (a real hypervisor does it when
 * it next dispatches the VP, which never happens here), so a write in the
 * page and a later GetVpRegisters agree. After such a call the page holds
 * the registers again and its dirty word is 0. A value the register's own
 * checks refuse is not taken in; the page then shows the value kept.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hv_internal.h"

/* A run of registers with consecutive numbers at one place in the page. */
static const struct page_field {
	uint32_t first;			/* HV_REGISTER_* of the first */
	unsigned int count;
	size_t offset;			/* of the first, in the page */
	unsigned int size;		/* bytes per register in the page */
	int dirty_class;		/* HV_X64_REGISTER_CLASS_*, or -1: read-only */
} page_fields[] = {
	{ HV_REGISTER_RAX, 16, offsetof(struct hv_vp_register_page, gp), 8,
	  HV_X64_REGISTER_CLASS_GENERAL },
	{ HV_REGISTER_RIP, 1, offsetof(struct hv_vp_register_page, rip), 8,
	  HV_X64_REGISTER_CLASS_IP },
	{ HV_REGISTER_RFLAGS, 1, offsetof(struct hv_vp_register_page, rflags), 8,
	  HV_X64_REGISTER_CLASS_FLAGS },
	{ HV_REGISTER_XMM0, 6, offsetof(struct hv_vp_register_page, xmm), 16,
	  HV_X64_REGISTER_CLASS_XMM },
	{ HV_REGISTER_ES, 6, offsetof(struct hv_vp_register_page, segment), 16,
	  HV_X64_REGISTER_CLASS_SEGMENT },
	{ HV_REGISTER_CR0, 1, offsetof(struct hv_vp_register_page, cr0), 8, -1 },
	{ HV_REGISTER_CR3, 1, offsetof(struct hv_vp_register_page, cr3), 8, -1 },
	{ HV_REGISTER_CR4, 1, offsetof(struct hv_vp_register_page, cr4), 8, -1 },
	{ HV_REGISTER_CR8, 1, offsetof(struct hv_vp_register_page, cr8), 8, -1 },
	{ HV_REGISTER_EFER, 1, offsetof(struct hv_vp_register_page, efer), 8, -1 },
	{ HV_REGISTER_DR7, 1, offsetof(struct hv_vp_register_page, dr7), 8, -1 },
	{ HV_REGISTER_PENDING_INTERRUPTION, 1,
	  offsetof(struct hv_vp_register_page, pending_interruption), 8, -1 },
	{ HV_REGISTER_INTERRUPT_STATE, 1,
	  offsetof(struct hv_vp_register_page, interrupt_state), 8, -1 },
	{ HV_REGISTER_XFEM, 1, offsetof(struct hv_vp_register_page, xfem), 8, -1 },
};

_Static_assert(sizeof(struct hv_vp_register_page) == 696, "register page layout");
_Static_assert(offsetof(struct hv_vp_register_page, segment) == 256, "register page layout");
_Static_assert(offsetof(struct hv_vp_register_page, interrupt_vectors) == 688,
	       "register page layout");

/* --- Lending --- */

static void *heap_alloc(void *ctx, size_t bytes)
{
	void *pages = aligned_alloc(HV_HYP_PAGE_SIZE, bytes);

	(void)ctx;
	if (pages)
		memset(pages, 0, bytes);
	return pages;
}

static void heap_release(void *ctx, void *pages, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	free(pages);
}

const struct hv_page_lender hv_heap_lender = { heap_alloc, heap_release, NULL };

int hv_set_page_lender(struct hv *hv, const struct hv_page_lender *lender)
{
	int ret = 0;

	if (!lender || !lender->alloc || !lender->release)
		return -EINVAL;
	pthread_mutex_lock(&hv->lock);
	/* Blocks already lent must go back to whoever lent them. */
	if (hv->partitions)
		ret = -EBUSY;
	else
		hv->lender = *lender;
	pthread_mutex_unlock(&hv->lock);
	return ret;
}

int hv_vp_pages_lend(const struct hv *hv, struct hv_vp *vp)
{
	vp->lent = hv->lender.alloc(hv->lender.ctx, HV_VP_LENT_PAGES * HV_HYP_PAGE_SIZE);
	if (!vp->lent)
		return -ENOMEM;
	hv_register_page_refresh(hv, vp);
	return 0;
}

void hv_vp_pages_return(const struct hv *hv, struct hv_vp *vp)
{
	if (vp->lent)
		hv->lender.release(hv->lender.ctx, vp->lent, HV_VP_LENT_PAGES * HV_HYP_PAGE_SIZE);
	vp->lent = NULL;
}

static uint8_t *lent_page(const struct hv_vp *vp, unsigned int type)
{
	return vp->lent + (size_t)type * HV_HYP_PAGE_SIZE;
}

static struct hv_vp_register_page *register_page(const struct hv_vp *vp)
{
	return (struct hv_vp_register_page *)lent_page(vp, HV_VP_STATE_PAGE_REGISTERS);
}

/* --- Keeping the register page and the registers in step --- */

static void field_to_page(struct hv_vp_register_page *page, const struct page_field *f,
			  unsigned int i, const struct hv_u128 *value)
{
	memcpy((uint8_t *)page + f->offset + (size_t)i * f->size, value, f->size);
}

void hv_register_page_refresh(const struct hv *hv, struct hv_vp *vp)
{
	struct hv_vp_register_page *page = register_page(vp);
	size_t f;
	unsigned int i;

	/* The arm64 page has its header only, and nothing in it is valid yet. */
	page->version = HV_VP_REGISTER_PAGE_VERSION_1;
	page->dirty = 0;
	if (hv->config.arch != HV_ARCH_X86_64)
		return;
	for (f = 0; f < ARRAY_SIZE(page_fields); f++)
		for (i = 0; i < page_fields[f].count; i++)
			field_to_page(page, &page_fields[f], i,
				      hv_vp_register(vp, page_fields[f].first + i));
	page->isvalid = 1;
}

uint32_t hv_register_page_absorb(const struct hv *hv, const struct hv_partition *p,
				 struct hv_vp *vp)
{
	struct hv_vp_register_page *page = register_page(vp);
	uint32_t dirty;
	size_t f;
	unsigned int i;

	if (hv->config.arch != HV_ARCH_X86_64)
		return 0;
	/* Read once: the root may write the page while the model looks. */
	memcpy(&dirty, &page->dirty, sizeof(dirty));

	for (f = 0; f < ARRAY_SIZE(page_fields); f++) {
		const struct page_field *field = &page_fields[f];

		if (field->dirty_class < 0 || !(dirty >> field->dirty_class & 1))
			continue;
		for (i = 0; i < field->count; i++) {
			struct hv_u128 value = { 0, 0 };

			memcpy(&value, (const uint8_t *)page + field->offset +
				       (size_t)i * field->size, field->size);
			hv_vp_register_store(hv, p, vp, field->first + i, &value);
		}
	}
	return dirty;
}

/* --- MapVpStatePage and UnmapVpStatePage --- */

static const char *const page_type_names[HV_VP_STATE_PAGE_COUNT] = {
	[HV_VP_STATE_PAGE_REGISTERS] = "registers",
	[HV_VP_STATE_PAGE_INTERCEPT_MESSAGE] = "intercept_message",
	[HV_VP_STATE_PAGE_GHCB] = "ghcb",
};

static void trace_page(struct hv_call *c, uint32_t vp_index, uint16_t type)
{
	if (type < HV_VP_STATE_PAGE_COUNT)
		hv_trace_add(c, "\"vp_index\":%u,\"type\":\"%s\"", vp_index,
			     page_type_names[type]);
	else
		hv_trace_add(c, "\"vp_index\":%u,\"type\":%u", vp_index, type);
}

/* The VP and the page type both calls name, or NULL with *@status. */
static struct hv_vp *page_target(struct hv *hv, uint64_t partition_id, uint32_t vp_index,
				 uint8_t input_vtl, uint16_t type, uint16_t *status)
{
	struct hv_vp *vp = hv_vp_find(hv, partition_id, vp_index, input_vtl, NULL, status);

	if (!vp)
		return NULL;
	/* Only the model's own pages exist: no partition here is SNP-isolated. */
	if (type != HV_VP_STATE_PAGE_REGISTERS && type != HV_VP_STATE_PAGE_INTERCEPT_MESSAGE) {
		*status = HV_STATUS_INVALID_PARAMETER;
		return NULL;
	}
	return vp;
}

uint16_t hvm_map_vp_state_page(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_map_vp_state_page *in = c->input;
	struct hv_output_map_vp_state_page *out = c->output;
	uint16_t status;
	struct hv_vp *vp;

	trace_page(c, in->vp_index, in->type);
	vp = page_target(hv, in->partition_id, in->vp_index, in->input_vtl, in->type, &status);
	if (!vp)
		return status;
	if (in->flags)
		return HV_STATUS_INVALID_PARAMETER;
	vp->mapped |= 1U << in->type;
	out->map_location = (uint64_t)(uintptr_t)lent_page(vp, in->type) / HV_HYP_PAGE_SIZE;
	return HV_STATUS_SUCCESS;
}

uint16_t hvm_unmap_vp_state_page(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_unmap_vp_state_page *in = c->input;
	uint16_t status;
	struct hv_vp *vp;

	trace_page(c, in->vp_index, in->type);
	vp = page_target(hv, in->partition_id, in->vp_index, in->input_vtl, in->type, &status);
	if (!vp)
		return status;
	if (in->rsvd || !(vp->mapped >> in->type & 1))
		return HV_STATUS_INVALID_PARAMETER;
	vp->mapped &= ~(1U << in->type);
	return HV_STATUS_SUCCESS;
}
