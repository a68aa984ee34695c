// SPDX-License-Identifier: MIT
/*
 * A child's guest physical address space: which guest frames are mapped,
 * with which access, and -- while the partition's GPA_PAGE_ACCESS_TRACKING
 * property is on -- each mapped page's accessed and dirty bits.
 *
 *   MapGpaPages (0x4B)    {partition, first guest frame, map flags, pad,
 *                         one root frame per rep}: maps reps pages (reps 2
 *                         MiB pages with LARGE_PAGE), replacing what was
 *                         mapped there
 *   UnmapGpaPages (0x4C)  {partition, first guest frame, unmap flags, pad},
 *                         reps pages (or 2 MiB pages), in order
 *   GetGpaPagesAccessStates (0xC9)  {partition, flags, first guest frame}:
 *                         one byte per rep (bit 0 accessed, bit 1 dirty)
 *                         as the page was, then the flags' clears and sets
 *
 * The map is a sorted list of runs -- consecutive guest frames mapped with
 * the same flags -- never a per-page table, so 8 GiB of guest memory costs
 * one run. The root frames a map names are checked, not kept: nothing here
 * reads guest memory. Access bits exist only while tracking is on, as two
 * bitmaps per run; tracking turned on (or a page mapped while it is on)
 * starts a page accessed and dirty, and turning it off drops them.
 *
 * Misuse:
 *   no such partition                       INVALID_PARTITION_ID
 *   a finalized partition                   INVALID_PARTITION_STATE
 *   no reps, more than a page of input holds, a start past the reps
 *                                           INVALID_HYPERCALL_INPUT
 *   undefined flags, nonzero padding, NO_ACCESS with permissions, a frame
 *   beyond the host's physical address width, a large page not 2 MiB
 *   aligned, root frame 0 or beyond 52 bits  INVALID_PARAMETER
 *   unmapping a page that is not mapped     INVALID_PARAMETER, after the
 *                                           reps before it (model)
 *   access states with tracking off         INVALID_PARTITION_STATE (model)
 *   clearing and setting one bit at once    INVALID_PARAMETER (model)
 *   tracking turned off while a page's dirty bit is clear
 *                                           OPERATION_DENIED (model: rust-vmm
 *                                           documents that the VMM must set
 *                                           the dirty bits again first)
 *
 * Model: mapping needs a created or initialized partition; pages no run
 * covers report 0 and are left alone by the access-state flags.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv_internal.h"

/* Root frames are 52-bit physical addresses. */
#define ROOT_FRAME_LIMIT	(1ULL << 40)

static uint64_t run_end(const struct hv_gpa_run *r)
{
	return r->gfn + r->pages;
}

/* --- bitmaps -------------------------------------------------------------- */

static uint64_t *bitmap_alloc(uint64_t bits, bool set)
{
	size_t words = (size_t)((bits + 63) / 64);
	uint64_t *map = malloc((words ? words : 1) * sizeof(*map));

	if (map)
		memset(map, set ? 0xff : 0, (words ? words : 1) * sizeof(*map));
	return map;
}

static bool bit_get(const uint64_t *map, uint64_t bit)
{
	return map[bit / 64] >> (bit % 64) & 1;
}

static void bit_put(uint64_t *map, uint64_t bit, bool value)
{
	if (value)
		map[bit / 64] |= 1ULL << (bit % 64);
	else
		map[bit / 64] &= ~(1ULL << (bit % 64));
}

/* @n bits of @src from bit @from, to the start of a new bitmap (or NULL). */
static uint64_t *bitmap_slice(const uint64_t *src, uint64_t from, uint64_t n)
{
	uint64_t *dst = bitmap_alloc(n, false);
	uint64_t i;

	if (!dst)
		return NULL;
	for (i = 0; i < n; i++)
		if (bit_get(src, from + i))
			bit_put(dst, i, true);
	return dst;
}

static void run_free_bits(struct hv_gpa_run *r)
{
	free(r->accessed);
	free(r->dirty);
	r->accessed = r->dirty = NULL;
	r->bit0 = 0;
}

/* Every page of @r accessed and dirty; false when out of memory. */
static bool run_track(struct hv_gpa_run *r)
{
	r->bit0 = 0;
	r->accessed = bitmap_alloc(r->pages, true);
	r->dirty = bitmap_alloc(r->pages, true);
	if (r->accessed && r->dirty)
		return true;
	run_free_bits(r);
	return false;
}

/* --- the run list ------------------------------------------------------- */

/* The first run that ends after @gfn (the list's length if none). */
static size_t first_after(const struct hv_gpa_map *m, uint64_t gfn)
{
	size_t lo = 0, hi = m->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (run_end(&m->runs[mid]) <= gfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool make_room(struct hv_gpa_map *m, size_t at, size_t n)
{
	if (m->count + n > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 8;
		struct hv_gpa_run *grown;

		while (cap < m->count + n)
			cap *= 2;
		grown = realloc(m->runs, cap * sizeof(*grown));
		if (!grown)
			return false;
		m->runs = grown;
		m->cap = cap;
	}
	memmove(&m->runs[at + n], &m->runs[at], (m->count - at) * sizeof(*m->runs));
	m->count += n;
	return true;
}

static void drop_runs(struct hv_gpa_map *m, size_t at, size_t n)
{
	memmove(&m->runs[at], &m->runs[at + n], (m->count - at - n) * sizeof(*m->runs));
	m->count -= n;
}

/*
 * Takes [@gfn, @gfn + @n) out of every run. A run cut in the middle keeps
 * its front and gets a new run for its back (its access bits copied).
 * Returns false, with nothing changed, when memory runs out.
 */
static bool carve(struct hv_gpa_map *m, uint64_t gfn, uint64_t n)
{
	uint64_t end = gfn + n;
	size_t i = first_after(m, gfn);

	while (i < m->count && m->runs[i].gfn < end) {
		struct hv_gpa_run *r = &m->runs[i];
		uint64_t rend = run_end(r);

		if (r->gfn < gfn && rend > end) {
			struct hv_gpa_run back = *r;

			back.gfn = end;
			back.pages = rend - end;
			back.bit0 = 0;
			if (r->accessed) {
				back.accessed = bitmap_slice(r->accessed, r->bit0 + (end - r->gfn),
							     back.pages);
				back.dirty = bitmap_slice(r->dirty, r->bit0 + (end - r->gfn),
							  back.pages);
				if (!back.accessed || !back.dirty) {
					run_free_bits(&back);
					return false;
				}
			}
			if (!make_room(m, i + 1, 1)) {
				run_free_bits(&back);
				return false;
			}
			r = &m->runs[i];
			r->pages = gfn - r->gfn;
			m->runs[i + 1] = back;
			m->mapped_pages -= n;
			return true;
		}
		if (r->gfn < gfn) {			/* keep the front */
			m->mapped_pages -= rend - gfn;
			r->pages = gfn - r->gfn;
			i++;
		} else if (rend > end) {		/* keep the back */
			m->mapped_pages -= end - r->gfn;
			r->bit0 += end - r->gfn;
			r->pages = rend - end;
			r->gfn = end;
			i++;
		} else {				/* all of it goes */
			m->mapped_pages -= r->pages;
			run_free_bits(r);
			drop_runs(m, i, 1);
		}
	}
	return true;
}

/* Can @r absorb the run [@gfn, +@n) of @flags that follows it? (Never while tracked.) */
static bool joins(const struct hv_gpa_run *r, uint64_t gfn, uint32_t flags)
{
	return !r->accessed && run_end(r) == gfn && r->flags == flags;
}

/* Maps [@gfn, @gfn + @n) with @flags over whatever was there. */
static uint16_t map_range(struct hv_gpa_map *m, uint64_t gfn, uint64_t n, uint32_t flags)
{
	struct hv_gpa_run run = { .gfn = gfn, .pages = n, .flags = flags };
	size_t i;

	if (!carve(m, gfn, n))
		return HV_STATUS_INSUFFICIENT_MEMORY;
	i = first_after(m, gfn);
	if (!m->tracking) {
		/* Grow a neighbour rather than add a run: a big map stays one run. */
		if (i > 0 && joins(&m->runs[i - 1], gfn, flags)) {
			m->runs[i - 1].pages += n;
			m->mapped_pages += n;
			if (i < m->count && joins(&m->runs[i - 1], m->runs[i].gfn, m->runs[i].flags)) {
				m->runs[i - 1].pages += m->runs[i].pages;
				drop_runs(m, i, 1);
			}
			return HV_STATUS_SUCCESS;
		}
		if (i < m->count && m->runs[i].gfn == gfn + n && joins(&run, m->runs[i].gfn,
								       m->runs[i].flags)) {
			m->runs[i].gfn = gfn;
			m->runs[i].pages += n;
			m->mapped_pages += n;
			return HV_STATUS_SUCCESS;
		}
	} else if (!run_track(&run)) {
		return HV_STATUS_INSUFFICIENT_MEMORY;
	}
	if (!make_room(m, i, 1)) {
		run_free_bits(&run);
		return HV_STATUS_INSUFFICIENT_MEMORY;
	}
	m->runs[i] = run;
	m->mapped_pages += n;
	return HV_STATUS_SUCCESS;
}

/* How many pages from @gfn on are mapped without a gap, up to @n. */
static uint64_t mapped_from(const struct hv_gpa_map *m, uint64_t gfn, uint64_t n)
{
	size_t i = first_after(m, gfn);
	uint64_t at = gfn;

	while (at < gfn + n && i < m->count && m->runs[i].gfn <= at)
		at = run_end(&m->runs[i++]);
	return at > gfn + n ? n : at - gfn;
}

void hv_gpa_map_free(struct hv_gpa_map *m)
{
	size_t i;

	for (i = 0; i < m->count; i++)
		run_free_bits(&m->runs[i]);
	free(m->runs);
	memset(m, 0, sizeof(*m));
}

/* --- access tracking (the property's check and effect) ------------------ */

uint16_t hv_gpa_tracking_check(const struct hv_partition *p, uint64_t value)
{
	const struct hv_gpa_map *m = &p->gpa;
	size_t i;
	uint64_t k;

	if (value & HV_GPA_ACCESS_TRACKING_RESERVED)
		return HV_STATUS_INVALID_PARAMETER;
	if ((value & HV_GPA_ACCESS_TRACKING_ENABLED) || !m->tracking)
		return HV_STATUS_SUCCESS;
	for (i = 0; i < m->count; i++)
		for (k = 0; m->runs[i].dirty && k < m->runs[i].pages; k++)
			if (!bit_get(m->runs[i].dirty, m->runs[i].bit0 + k))
				return HV_STATUS_OPERATION_DENIED;
	return HV_STATUS_SUCCESS;
}

void hv_gpa_tracking_set(struct hv_partition *p, uint64_t value)
{
	struct hv_gpa_map *m = &p->gpa;
	bool on = value & HV_GPA_ACCESS_TRACKING_ENABLED;
	size_t i;

	if (on == m->tracking)
		return;
	m->tracking = on;
	for (i = 0; i < m->count; i++) {
		run_free_bits(&m->runs[i]);
		/* Model: out of memory, a run is simply not tracked (reads 0). */
		if (on)
			run_track(&m->runs[i]);
	}
}

/* --- the hypercalls ------------------------------------------------------- */

/* The partition a GPA call may change: created or initialized. */
static struct hv_partition *target(struct hv *hv, uint64_t id, uint16_t *status)
{
	struct hv_partition *p = hv_partition_find(hv, id);

	*status = !p ? HV_STATUS_INVALID_PARTITION_ID :
		  p->info.state == HV_PARTITION_STATE_FINALIZED ? HV_STATUS_INVALID_PARTITION_STATE :
								   HV_STATUS_SUCCESS;
	return *status == HV_STATUS_SUCCESS ? p : NULL;
}

/* Guest frames the host's physical address width allows. */
static uint64_t gfn_limit(const struct hv *hv)
{
	return 1ULL << (hv->config.physical_address_width - HV_HYP_PAGE_SHIFT);
}

static bool range_ok(const struct hv *hv, uint64_t gfn, uint64_t pages)
{
	return gfn < gfn_limit(hv) && pages <= gfn_limit(hv) - gfn;
}

/* The guest frames one call covers (from its rep start), and its partition. */
struct gpa_span {
	struct hv_partition *p;
	uint64_t first, pages;
};

/*
 * What the three calls do before their own checks: their trace fields
 * (the span, the flags under @flags_key), the rep count (1 to @max_reps,
 * a start before it), the partition @id. Each rep is @unit pages from
 * guest frame @base. An HV_STATUS_*.
 */
static uint16_t span_begin(struct hv *hv, struct hv_call *c, uint64_t id, uint64_t base,
			   uint64_t unit, unsigned int max_reps, const char *flags_key,
			   uint64_t flags, struct gpa_span *s)
{
	unsigned int left = c->start < c->reps ? c->reps - c->start : 0;
	uint16_t status;

	s->first = base + c->start * unit;
	s->pages = left * unit;
	hv_trace_add(c, "\"gpa_page\":\"0x%016llx\",\"pages\":%llu,\"%s\":\"0x%llx\"",
		     (unsigned long long)s->first, (unsigned long long)s->pages, flags_key,
		     (unsigned long long)flags);
	if (!left || c->reps > max_reps)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	s->p = target(hv, id, &status);
	return status;
}

static void sync_info(struct hv_partition *p)
{
	p->info.mapped_pages = p->gpa.mapped_pages;
	p->info.gpa_runs = (uint32_t)p->gpa.count;
	p->info.access_tracking = p->gpa.tracking;
}

uint16_t hvm_map_gpa_pages(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_map_gpa_pages *in = c->input;
	bool large = in->map_flags & HV_MAP_GPA_LARGE_PAGE;
	uint64_t unit = large ? HV_HYP_PAGES_PER_LARGE_PAGE : 1;
	uint32_t flags = in->map_flags & ~HV_MAP_GPA_LARGE_PAGE;
	struct gpa_span s;
	uint16_t status;
	unsigned int i;

	status = span_begin(hv, c, in->target_partition_id, in->target_gpa_base, unit,
			    HV_MAP_GPA_BATCH_SIZE, "map_flags", in->map_flags, &s);
	if (status != HV_STATUS_SUCCESS)
		return status;
	if ((in->map_flags & ~HV_MAP_GPA_DEFINED) || in->padding ||
	    ((flags & HV_MAP_GPA_NO_ACCESS) && (flags & HV_MAP_GPA_PERMISSIONS_MASK)) ||
	    (large && in->target_gpa_base % unit) || !range_ok(hv, s.first, s.pages))
		return HV_STATUS_INVALID_PARAMETER;
	for (i = c->start; i < c->reps && !(flags & HV_MAP_GPA_NO_ACCESS); i++) {
		uint64_t frame = in->source_gpa_page_list[i];

		if (!frame || frame >= ROOT_FRAME_LIMIT || (large && frame % unit))
			return HV_STATUS_INVALID_PARAMETER;
	}
	status = map_range(&s.p->gpa, s.first, s.pages, flags);
	if (status == HV_STATUS_SUCCESS)
		c->reps_done = c->reps;
	sync_info(s.p);
	return status;
}

uint16_t hvm_unmap_gpa_pages(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_unmap_gpa_pages *in = c->input;
	bool large = in->unmap_flags & HV_UNMAP_GPA_LARGE_PAGE;
	uint64_t unit = large ? HV_HYP_PAGES_PER_LARGE_PAGE : 1;
	struct gpa_span s;
	uint64_t mapped;
	uint16_t status;

	/* No rep input: any rep count the control word holds. */
	status = span_begin(hv, c, in->target_partition_id, in->target_gpa_base, unit, UINT_MAX,
			    "unmap_flags", in->unmap_flags, &s);
	if (status != HV_STATUS_SUCCESS)
		return status;
	if ((in->unmap_flags & ~HV_UNMAP_GPA_DEFINED) || in->padding ||
	    (large && in->target_gpa_base % unit) || !range_ok(hv, s.first, s.pages))
		return HV_STATUS_INVALID_PARAMETER;
	/* Reps run in order: those before the first unmapped page are done. */
	mapped = mapped_from(&s.p->gpa, s.first, s.pages) / unit * unit;
	if (mapped && !carve(&s.p->gpa, s.first, mapped))
		return HV_STATUS_INSUFFICIENT_MEMORY;
	c->reps_done = c->start + (unsigned int)(mapped / unit);
	sync_info(s.p);
	return mapped == s.pages ? HV_STATUS_SUCCESS : HV_STATUS_INVALID_PARAMETER;
}

/* One page's state byte, then the flags applied (tracked pages only). */
static uint8_t access_state(struct hv_gpa_run *r, uint64_t gfn, uint64_t flags)
{
	uint64_t bit;
	uint8_t state;

	if (!r || !r->accessed)
		return 0;
	bit = r->bit0 + (gfn - r->gfn);
	state = (uint8_t)((bit_get(r->accessed, bit) ? HV_GPA_PAGE_ACCESSED : 0) |
			  (bit_get(r->dirty, bit) ? HV_GPA_PAGE_DIRTY : 0));
	if (flags & HV_GPA_ACCESS_CLEAR_ACCESSED)
		bit_put(r->accessed, bit, false);
	if (flags & HV_GPA_ACCESS_SET_ACCESSED)
		bit_put(r->accessed, bit, true);
	if (flags & HV_GPA_ACCESS_CLEAR_DIRTY)
		bit_put(r->dirty, bit, false);
	if (flags & HV_GPA_ACCESS_SET_DIRTY)
		bit_put(r->dirty, bit, true);
	return state;
}

uint16_t hvm_get_gpa_access_states(struct hv *hv, struct hv_call *c)
{
	const struct hv_input_get_gpa_pages_access_state *in = c->input;
	uint8_t *out = c->output;
	unsigned int accessed = 0, dirty = 0, i;
	struct hv_partition *p;
	struct gpa_span s;
	uint16_t status;
	size_t r;

	/* One output byte per rep. */
	status = span_begin(hv, c, in->partition_id, in->hv_gpa_page_number, 1, HV_HYP_PAGE_SIZE,
			    "access_flags", in->flags, &s);
	if (status != HV_STATUS_SUCCESS)
		return status;
	p = s.p;
	if ((in->flags & ~HV_GPA_ACCESS_FLAGS_DEFINED) ||
	    ((in->flags & HV_GPA_ACCESS_CLEAR_ACCESSED) && (in->flags & HV_GPA_ACCESS_SET_ACCESSED)) ||
	    ((in->flags & HV_GPA_ACCESS_CLEAR_DIRTY) && (in->flags & HV_GPA_ACCESS_SET_DIRTY)) ||
	    !range_ok(hv, s.first, s.pages))
		return HV_STATUS_INVALID_PARAMETER;
	if (!p->gpa.tracking)
		return HV_STATUS_INVALID_PARTITION_STATE;
	r = first_after(&p->gpa, s.first);
	for (i = c->start; i < c->reps; i++) {
		uint64_t gfn = in->hv_gpa_page_number + i;
		struct hv_gpa_run *run;

		while (r < p->gpa.count && run_end(&p->gpa.runs[r]) <= gfn)
			r++;
		run = r < p->gpa.count && p->gpa.runs[r].gfn <= gfn ? &p->gpa.runs[r] : NULL;
		out[i] = access_state(run, gfn, in->flags);
		accessed += !!(out[i] & HV_GPA_PAGE_ACCESSED);
		dirty += !!(out[i] & HV_GPA_PAGE_DIRTY);
	}
	c->reps_done = c->reps;
	hv_trace_add(c, ",\"accessed\":%u,\"dirty\":%u", accessed, dirty);
	return HV_STATUS_SUCCESS;
}

int hv_partition_gpa_lookup(struct hv *hv, uint64_t partition_id, uint64_t gfn,
			    uint32_t *map_flags)
{
	struct hv_partition *p;
	int ret = -ENOENT;

	if (!hv)
		return -EINVAL;
	pthread_mutex_lock(&hv->lock);
	p = hv_partition_find(hv, partition_id);
	if (p) {
		size_t i = first_after(&p->gpa, gfn);

		if (i < p->gpa.count && p->gpa.runs[i].gfn <= gfn) {
			if (map_flags)
				*map_flags = p->gpa.runs[i].flags;
			ret = 0;
		}
	}
	pthread_mutex_unlock(&hv->lock);
	return ret;
}
