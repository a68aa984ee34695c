/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: entering the hypervisor. hv_do_hypercall() passes the
 * control word and the input/output pages to the model (hv/) of the
 * current kernel; the per-CPU hypercall pages are per thread here.
 */
#ifndef _SHIM_ASM_MSHYPERV_H
#define _SHIM_ASM_MSHYPERV_H

#include <linux/types.h>
#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_status.h>

u64 hv_do_hypercall(u64 control, void *input, void *output);

/* A fast call passes its input in registers; the model reads it from a page. */
u64 hv_do_fast_hypercall8(u16 code, u64 input);

extern __thread void *kshim_pcpu_input_page;
extern __thread void *kshim_pcpu_output_page;
#define hyperv_pcpu_input_arg	(&kshim_pcpu_input_page)
#define hyperv_pcpu_output_arg	(&kshim_pcpu_output_page)
#define this_cpu_ptr(p)		(p)
#define local_irq_save(flags)	((void)(flags))
#define local_irq_restore(flags) ((void)(flags))

#define hv_current_partition_id	HV_PARTITION_ID_SELF

static inline u16 hv_result(u64 status)
{
	return status & HV_HYPERCALL_RESULT_MASK;
}

static inline bool hv_result_success(u64 status)
{
	return hv_result(status) == HV_STATUS_SUCCESS;
}

static inline unsigned int hv_repcomp(u64 status)
{
	return (status & HV_HYPERCALL_REP_COMP_MASK) >> HV_HYPERCALL_REP_COMP_OFFSET;
}

/* A rep hypercall, resumed until every rep is done or one fails. */
static inline u64 hv_do_rep_hypercall_ex(u16 code, u16 rep_count, u16 varhead_size,
					 u16 rep_start, void *input, void *output)
{
	u64 control = code;
	u64 status;
	unsigned int rep_comp;

	control |= (u64)varhead_size << HV_HYPERCALL_VARHEAD_OFFSET;
	control |= (u64)rep_count << HV_HYPERCALL_REP_COMP_OFFSET;
	control |= (u64)rep_start << HV_HYPERCALL_REP_START_OFFSET;
	do {
		status = hv_do_hypercall(control, input, output);
		if (!hv_result_success(status))
			return status;
		rep_comp = hv_repcomp(status);
		control &= ~HV_HYPERCALL_REP_START_MASK;
		control |= (u64)rep_comp << HV_HYPERCALL_REP_START_OFFSET;
	} while (rep_comp < rep_count);
	return status;
}

static inline u64 hv_do_rep_hypercall(u16 code, u16 rep_count, u16 varhead_size,
				      void *input, void *output)
{
	return hv_do_rep_hypercall_ex(code, rep_count, varhead_size, 0, input, output);
}

#endif
