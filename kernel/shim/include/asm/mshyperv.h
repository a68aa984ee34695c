/* SPDX-License-Identifier: MIT */
/*
 * kernel/shim: the way into the hypervisor. A hypercall here is a call
 * into the model (hv/) of the simulated kernel this thread is running;
 * the model, like the hardware, reads its input from a page and writes
 * its output to another. Each CPU's pair of hypercall pages is each
 * thread's pair here.
 */
#ifndef _SHIM_ASM_MSHYPERV_H
#define _SHIM_ASM_MSHYPERV_H

#include <linux/types.h>
#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_status.h>

/* The control word and the two pages in; the result word out. */
u64 hv_do_hypercall(u64 control, void *input, void *output);

/*
 * One u64 of input, which hardware would take in a register; the shim
 * puts it at the start of an otherwise zero page for the model.
 */
u64 hv_do_fast_hypercall8(u16 code, u64 input);
/* Two u64 of input, likewise. */
u64 hv_do_fast_hypercall16(u16 code, u64 input1, u64 input2);

/* Each thread's input and output page, reached as per-CPU data is. */
extern __thread void *kshim_pcpu_input_page;
extern __thread void *kshim_pcpu_output_page;
#define hyperv_pcpu_input_arg	(&kshim_pcpu_input_page)
#define hyperv_pcpu_output_arg	(&kshim_pcpu_output_page)
#define this_cpu_ptr(ptr)	(ptr)

#endif
