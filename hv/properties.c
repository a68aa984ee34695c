// SPDX-License-Identifier: MIT
/*
 * Partition properties as data: the rows of
 * include/hyperv/hv_partition_properties.def (code, width, architecture,
 * scope, setter, default, check, effect) and the three hypercalls that read
 * and write them: GetPartitionProperty, GetPartitionPropertyEx and
 * SetPartitionProperty. What each misuse gets:
 *
 *   nonzero padding (or Ex argument)       INVALID_PARAMETER
 *   no such partition                      INVALID_PARTITION_ID
 *   unknown code (or the other arch's)     UNKNOWN_PROPERTY
 *   read outside the property's scope      ACCESS_DENIED
 *   a wider-than-8-byte one with Get       INVALID_PARAMETER (use GetEx)
 *   set on the root, or of a read-only one ACCESS_DENIED
 *   set of an early one after initialize,
 *   or of any after finalize               INVALID_PARTITION_STATE
 *   a value the row's check refuses        INVALID_PARAMETER (reserved bits)
 *                                          or PROPERTY_VALUE_OUT_OF_RANGE
 */
#include <stdio.h>
#include <string.h>

#include "hv_internal.h"

/* --- Defaults: the root's value when p is NULL, else the child's --- */

static const uint64_t *words_of(const struct hv *hv, const struct hv_partition *p)
{
	return p ? p->info.effective : hv->config.offered;
}

/* A feature word: the host's offer on the root, what the child got. */
#define WORD_VALUE(name, word)							\
	static uint64_t derive_##name(const struct hv *hv, const struct hv_partition *p) \
	{									\
		return words_of(hv, p)[word];					\
	}

WORD_VALUE(features0, HV_FEATURE_WORD_BANK0)
WORD_VALUE(features1, HV_FEATURE_WORD_BANK1)
WORD_VALUE(xsave_features, HV_FEATURE_WORD_XSAVE)

/* A fact of the host, the same on every partition. */
#define HOST_VALUE(field)							\
	static uint64_t derive_##field(const struct hv *hv, const struct hv_partition *p) \
	{									\
		(void)p;							\
		return hv->config.field;					\
	}

HOST_VALUE(vendor)
HOST_VALUE(cl_flush_size)
HOST_VALUE(physical_address_width)
HOST_VALUE(clock_frequency)
HOST_VALUE(feature_bank_count)

static uint64_t derive_xsave_states(const struct hv *hv, const struct hv_partition *p)
{
	return p ? p->info.xsave_states : hv->config.xsave_states;
}

static uint64_t derive_max_xsave_data_size(const struct hv *hv, const struct hv_partition *p)
{
	if (hv->config.arch == HV_ARCH_ARM64)
		return 0;
	return hv_xsave_size(derive_xsave_states(hv, p));
}

static uint64_t derive_compatibility_version(const struct hv *hv, const struct hv_partition *p)
{
	(void)hv;
	return p ? p->info.compatibility_version : HV_COMPATIBILITY_21_H2;
}

/* Model: what a child may do with synthetic MSRs, messages and fast hypercalls. */
#define CHILD_PRIVILEGES						\
	(HV_PARTITION_PRIVILEGE_ACCESS_VP_RUNTIME_MSR |			\
	 HV_PARTITION_PRIVILEGE_ACCESS_PARTITION_REFERENCE_COUNTER |	\
	 HV_PARTITION_PRIVILEGE_ACCESS_SYNIC_MSRS |			\
	 HV_PARTITION_PRIVILEGE_ACCESS_SYNTHETIC_TIMER_MSRS |		\
	 HV_PARTITION_PRIVILEGE_ACCESS_APIC_MSRS |			\
	 HV_PARTITION_PRIVILEGE_ACCESS_HYPERCALL_MSRS |			\
	 HV_PARTITION_PRIVILEGE_ACCESS_VP_INDEX |			\
	 HV_PARTITION_PRIVILEGE_ACCESS_PARTITION_REFERENCE_TSC |	\
	 HV_PARTITION_PRIVILEGE_ACCESS_GUEST_IDLE_MSR |			\
	 HV_PARTITION_PRIVILEGE_ACCESS_FREQUENCY_MSRS |			\
	 HV_PARTITION_PRIVILEGE_POST_MESSAGES |				\
	 HV_PARTITION_PRIVILEGE_SIGNAL_EVENTS |				\
	 HV_PARTITION_PRIVILEGE_CONNECT_PORT |				\
	 HV_PARTITION_PRIVILEGE_FAST_HYPERCALL_OUTPUT)

/* Model: the root adds what managing partitions takes. */
#define ROOT_PRIVILEGES							\
	(CHILD_PRIVILEGES |						\
	 HV_PARTITION_PRIVILEGE_CREATE_PARTITIONS |			\
	 HV_PARTITION_PRIVILEGE_ACCESS_PARTITION_ID |			\
	 HV_PARTITION_PRIVILEGE_ACCESS_MEMORY_POOL |			\
	 HV_PARTITION_PRIVILEGE_ADJUST_MESSAGE_BUFFERS |		\
	 HV_PARTITION_PRIVILEGE_CREATE_PORT |				\
	 HV_PARTITION_PRIVILEGE_ACCESS_STATS |				\
	 HV_PARTITION_PRIVILEGE_CPU_MANAGEMENT |			\
	 HV_PARTITION_PRIVILEGE_ACCESS_VP_REGISTERS)

static uint64_t derive_privileges(const struct hv *hv, const struct hv_partition *p)
{
	(void)hv;
	return p ? CHILD_PRIVILEGES : ROOT_PRIVILEGES;
}

/*
 * Model: what both VMMs ask for. rust-vmm 0.7 (make_default_synthetic_
 * features_mask) and OpenVMM (common_synthetic_features plus its
 * per-architecture additions), united per architecture.
 */
#define ASSIGNABLE_COMMON						\
	(HV_SYNTHETIC_FEATURE_HYPERVISOR_PRESENT |			\
	 HV_SYNTHETIC_FEATURE_HV1 |					\
	 HV_SYNTHETIC_FEATURE_ACCESS_VP_RUN_TIME_REG |			\
	 HV_SYNTHETIC_FEATURE_ACCESS_PARTITION_REFERENCE_COUNTER |	\
	 HV_SYNTHETIC_FEATURE_ACCESS_SYNIC_REGS |			\
	 HV_SYNTHETIC_FEATURE_ACCESS_SYNTHETIC_TIMER_REGS |		\
	 HV_SYNTHETIC_FEATURE_ACCESS_INTR_CTRL_REGS |			\
	 HV_SYNTHETIC_FEATURE_ACCESS_HYPERCALL_REGS |			\
	 HV_SYNTHETIC_FEATURE_ACCESS_VP_INDEX |				\
	 HV_SYNTHETIC_FEATURE_ACCESS_PARTITION_REFERENCE_TSC |		\
	 HV_SYNTHETIC_FEATURE_ACCESS_FREQUENCY_REGS |			\
	 HV_SYNTHETIC_FEATURE_FAST_HYPERCALL_OUTPUT |			\
	 HV_SYNTHETIC_FEATURE_DIRECT_SYNTHETIC_TIMERS |			\
	 HV_SYNTHETIC_FEATURE_EXTENDED_PROCESSOR_MASKS |		\
	 HV_SYNTHETIC_FEATURE_TB_FLUSH_HYPERCALLS |			\
	 HV_SYNTHETIC_FEATURE_SYNTHETIC_CLUSTER_IPI |			\
	 HV_SYNTHETIC_FEATURE_NOTIFY_LONG_SPIN_WAIT |			\
	 HV_SYNTHETIC_FEATURE_QUERY_NUMA_DISTANCE |			\
	 HV_SYNTHETIC_FEATURE_SIGNAL_EVENTS |				\
	 HV_SYNTHETIC_FEATURE_RETARGET_DEVICE_INTERRUPT |		\
	 HV_SYNTHETIC_FEATURE_ACCESS_VP_REGS)

#define ASSIGNABLE_X64							\
	(ASSIGNABLE_COMMON |						\
	 HV_SYNTHETIC_FEATURE_ACCESS_GUEST_IDLE_REG |			\
	 HV_SYNTHETIC_FEATURE_EXTENDED_GVA_RANGES_FOR_FLUSH |		\
	 HV_SYNTHETIC_FEATURE_FLUSH_GUEST_PHYSICAL_ADDRESS_SPACE)

#define ASSIGNABLE_ARM64 (ASSIGNABLE_COMMON | HV_SYNTHETIC_FEATURE_SYNC_CONTEXT)

static uint64_t derive_assignable_synthetic_features(const struct hv *hv,
						     const struct hv_partition *p)
{
	(void)p;
	return hv->config.arch == HV_ARCH_ARM64 ? ASSIGNABLE_ARM64 : ASSIGNABLE_X64;
}

static uint64_t derive_synthetic_features(const struct hv *hv, const struct hv_partition *p)
{
	if (!p)
		return derive_assignable_synthetic_features(hv, NULL);
	/* Model: a child never told otherwise knows only that a hypervisor is there. */
	return HV_SYNTHETIC_FEATURE_HYPERVISOR_PRESENT | HV_SYNTHETIC_FEATURE_HV1;
}

/* --- Checks beyond reserved bits and ranges --- */

static uint16_t check_synthetic_features(const struct hv *hv, const struct hv_partition *p,
					 uint64_t value)
{
	uint64_t defined = hv->config.arch == HV_ARCH_ARM64 ? HV_SYNTHETIC_FEATURES_DEFINED_ARM64 :
							       HV_SYNTHETIC_FEATURES_DEFINED_X64;

	(void)p;
	if (value & ~defined)
		return HV_STATUS_INVALID_PARAMETER;
	if (value & ~derive_assignable_synthetic_features(hv, NULL))
		return HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE;
	return HV_STATUS_SUCCESS;
}

static uint16_t check_vps_per_socket(const struct hv *hv, const struct hv_partition *p,
				     uint64_t value)
{
	(void)p;
	if (!value || value > hv->config.max_vps)
		return HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE;
	return HV_STATUS_SUCCESS;
}

/* Access tracking: reserved bits, and off only with every dirty bit set (memory.c). */
static uint16_t check_access_tracking(const struct hv *hv, const struct hv_partition *p,
				      uint64_t value)
{
	(void)hv;
	return hv_gpa_tracking_check(p, value);
}

/* --- Effects --- */

/* Bank 2, disabled sense: the child's bank 2 is the offer less what is set. */
static void effect_disabled_bank2(struct hv *hv, struct hv_partition *p, uint64_t value)
{
	unsigned int w = HV_FEATURE_WORD_BANK2;

	p->info.disabled_bank2 = value;
	p->info.effective[w] = hv->config.offered[w] & ~value;
	hv_partition_update_xsave(hv, p);
}

/* Access tracking on: every mapped page gets its bits; off: they go. */
static void effect_access_tracking(struct hv *hv, struct hv_partition *p, uint64_t value)
{
	(void)hv;
	hv_gpa_tracking_set(p, value);
	p->info.access_tracking = p->gpa.tracking;
}

/* --- The table --- */

#define CONST(v)		.fixed = (v)
#define DERIVED(fn)		.derive = derive_##fn
#define NO_CHECK		.check = HV_PROPERTY_CHECK_NONE
#define RESERVED(mask)		.check = HV_PROPERTY_CHECK_RESERVED, .arg0 = (mask)
#define RANGE(lo, hi)		.check = HV_PROPERTY_CHECK_RANGE, .arg0 = (lo), .arg1 = (hi)
#define CUSTOM(fn)		.check = HV_PROPERTY_CHECK_CUSTOM, .custom = check_##fn
#define NO_EFFECT		.effect = NULL
#define EFFECT(fn)		.effect = effect_##fn

const struct hv_property_row hv_property_rows[HV_PROPERTY_ID_COUNT] = {
#define HV_PROPERTY(name_, code_, width_, arch_, scope_, setter_, deflt, check_, effect_) \
	[HV_PROPERTY_ID_##name_] = {					\
		.name = #name_, .code = (code_), .width = (width_),	\
		.arch = HV_PROPERTY_ARCH_##arch_,			\
		.scope = HV_PROPERTY_SCOPE_##scope_,			\
		.setter = HV_PROPERTY_SET_##setter_,			\
		deflt, check_, effect_ },
#include <hyperv/hv_partition_properties.def>
#undef HV_PROPERTY
};

#undef CONST
#undef DERIVED
#undef NO_CHECK
#undef RESERVED
#undef RANGE
#undef CUSTOM
#undef NO_EFFECT
#undef EFFECT

const struct hv_property_row *hv_property_find(const struct hv *hv, uint32_t code)
{
	enum hv_property_arch own = hv->config.arch == HV_ARCH_ARM64 ? HV_PROPERTY_ARCH_ARM64 :
								       HV_PROPERTY_ARCH_X64;
	size_t i;

	for (i = 0; i < HV_PROPERTY_ID_COUNT; i++) {
		const struct hv_property_row *row = &hv_property_rows[i];

		if (row->code == code)
			return row->arch == HV_PROPERTY_ARCH_ANY || row->arch == own ? row : NULL;
	}
	return NULL;
}

static uint64_t default_value(const struct hv *hv, const struct hv_partition *p,
			      const struct hv_property_row *row)
{
	return row->derive ? row->derive(hv, p) : row->fixed;
}

void hv_properties_init(const struct hv *hv, struct hv_partition *p)
{
	size_t i;

	for (i = 0; i < HV_PROPERTY_ID_COUNT; i++)
		if (hv_property_rows[i].setter != HV_PROPERTY_SET_NEVER)
			p->props[i] = default_value(hv, p, &hv_property_rows[i]);
}

/* The value now: what was set (a child's settable ones), else derived. */
static uint64_t current_value(const struct hv *hv, const struct hv_partition *p,
			      const struct hv_property_row *row)
{
	if (p && row->setter != HV_PROPERTY_SET_NEVER)
		return p->props[row - hv_property_rows];
	return default_value(hv, p, row);
}

/* The trace's decoded input; @with_value false leaves "value" out. */
static void trace_property(char *trace, size_t trace_len, uint32_t code, bool with_value,
			   uint64_t value)
{
	int n = snprintf(trace, trace_len, "\"property\":\"%s\",\"property_code\":\"0x%05x\"",
			 hv_property_name(code), code);

	if (with_value && n > 0 && (size_t)n < trace_len)
		snprintf(trace + n, trace_len - (size_t)n, ",\"value\":\"0x%016llx\"",
			 (unsigned long long)value);
}

/* The partition a call targets (NULL: the root) and the property's row. */
static uint16_t lookup(struct hv *hv, uint64_t id, uint32_t code, struct hv_partition **p,
		       const struct hv_property_row **row)
{
	*p = NULL;
	if (id != HV_PARTITION_ID_SELF) {
		*p = hv_partition_find(hv, id);
		if (!*p)
			return HV_STATUS_INVALID_PARTITION_ID;
	}
	*row = hv_property_find(hv, code);
	return *row ? HV_STATUS_SUCCESS : HV_STATUS_UNKNOWN_PROPERTY;
}

uint16_t hvm_get_property(struct hv *hv, uint16_t code, const void *in, void *out,
			  char *trace, size_t trace_len)
{
	/* Both inputs start alike; only the Ex one has (and checks) the argument. */
	const struct hv_input_get_partition_property_ex *input = in;
	bool ex = code == HVCALL_GET_PARTITION_PROPERTY_EX;
	const struct hv_property_row *row;
	struct hv_partition *p;
	uint64_t value;
	uint16_t status;

	trace_property(trace, trace_len, input->property_code, false, 0);
	if (input->padding || (ex && input->arg.as_uint64))
		return HV_STATUS_INVALID_PARAMETER;
	status = lookup(hv, input->partition_id, input->property_code, &p, &row);
	if (status != HV_STATUS_SUCCESS)
		return status;
	if (!(row->scope & (p ? HV_PROPERTY_SCOPE_CHILD : HV_PROPERTY_SCOPE_ROOT)))
		return HV_STATUS_ACCESS_DENIED;
	if (!ex && row->width > sizeof(uint64_t))
		return HV_STATUS_INVALID_PARAMETER;

	value = current_value(hv, p, row);
	if (row->width > sizeof(uint64_t)) {
		struct hv_partition_property_banks banks = { .bank_count = 1, .bank = { value } };

		memcpy(out, &banks, sizeof(banks));
	} else {
		memcpy(out, &value, sizeof(value));
	}
	trace_property(trace, trace_len, input->property_code, true, value);
	return HV_STATUS_SUCCESS;
}

static uint16_t check_value(const struct hv *hv, const struct hv_partition *p,
			    const struct hv_property_row *row, uint64_t value)
{
	switch (row->check) {
	case HV_PROPERTY_CHECK_RESERVED:
		return value & row->arg0 ? HV_STATUS_INVALID_PARAMETER : HV_STATUS_SUCCESS;
	case HV_PROPERTY_CHECK_RANGE:
		return value < row->arg0 || value > row->arg1 ?
		       HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE : HV_STATUS_SUCCESS;
	case HV_PROPERTY_CHECK_CUSTOM:
		return row->custom(hv, p, value);
	default:
		return HV_STATUS_SUCCESS;
	}
}

uint16_t hvm_set_property(struct hv *hv, const void *in, char *trace, size_t trace_len)
{
	const struct hv_input_set_partition_property *input = in;
	const struct hv_property_row *row;
	struct hv_partition *p;
	enum hv_partition_state state;
	uint16_t status;

	trace_property(trace, trace_len, input->property_code, true, input->property_value);
	if (input->padding)
		return HV_STATUS_INVALID_PARAMETER;
	status = lookup(hv, input->partition_id, input->property_code, &p, &row);
	if (status != HV_STATUS_SUCCESS)
		return status;
	/* Nobody sets the root's properties, nor a read-only or root-only one. */
	if (!p || row->setter == HV_PROPERTY_SET_NEVER || !(row->scope & HV_PROPERTY_SCOPE_CHILD))
		return HV_STATUS_ACCESS_DENIED;
	state = p->info.state;
	if (state == HV_PARTITION_STATE_FINALIZED ||
	    (row->setter == HV_PROPERTY_SET_EARLY && state != HV_PARTITION_STATE_CREATED))
		return HV_STATUS_INVALID_PARTITION_STATE;
	status = check_value(hv, p, row, input->property_value);
	if (status != HV_STATUS_SUCCESS)
		return status;
	p->props[row - hv_property_rows] = input->property_value;
	if (row->effect)
		row->effect(hv, p, input->property_value);
	return HV_STATUS_SUCCESS;
}
