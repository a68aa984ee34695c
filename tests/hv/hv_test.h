/* SPDX-License-Identifier: MIT */
/*
 * What the model's tests share: one pair of hypercall pages, issuing a
 * hypercall on them, the calls whose input is just a partition id,
 * making a VP, reading a partition property (which must succeed) and
 * setting one.
 */
#ifndef MSHVCPU_TESTS_HV_TEST_H
#define MSHVCPU_TESTS_HV_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_status.h>

#include "hv.h"

static _Alignas(4096) uint8_t in[HV_HYP_PAGE_SIZE], out[HV_HYP_PAGE_SIZE];

/* The status of the hypercall @control with the pages above. */
static inline uint16_t call(struct hv *hv, uint64_t control)
{
	return hv_hypercall(hv, control, in, out) & 0xffff;
}

static inline uint64_t get_prop(struct hv *hv, uint64_t id, uint32_t code)
{
	struct hv_input_get_partition_property *p = (void *)in;

	memset(in, 0, sizeof(in));
	p->partition_id = id;
	p->property_code = code;
	assert_int_equal(call(hv, HVCALL_GET_PARTITION_PROPERTY), HV_STATUS_SUCCESS);
	return ((struct hv_output_get_partition_property *)out)->property_value;
}

/* The status of SetPartitionProperty(@code = @value) on partition @id. */
static inline uint16_t set_prop(struct hv *hv, uint64_t id, uint32_t code, uint64_t value)
{
	struct hv_input_set_partition_property *p = (void *)in;

	memset(in, 0, sizeof(in));
	p->partition_id = id;
	p->property_code = code;
	p->property_value = value;
	return call(hv, HVCALL_SET_PARTITION_PROPERTY);
}

/* Initialize, Finalize, DeletePartition: the partition id is the whole input. */
static inline uint16_t simple(struct hv *hv, uint16_t code, uint64_t id)
{
	memset(in, 0, sizeof(in));
	memcpy(in, &id, sizeof(id));
	return call(hv, code);
}

static inline uint16_t create_vp(struct hv *hv, uint64_t id, uint32_t index)
{
	struct hv_input_create_vp *c = (void *)in;

	memset(in, 0, sizeof(in));
	c->partition_id = id;
	c->vp_index = index;
	c->subnode_type = HV_SUBNODE_ANY;
	return call(hv, HVCALL_CREATE_VP);
}

#endif
