// SPDX-License-Identifier: MIT
/*
 * MSHV_ROOT_HVCALL: a VMM's hypercall, made by the driver on its behalf.
 *
 * The VMM names the call and hands over its input; the driver checks the
 * call is one that descriptor may make, aims it at the descriptor's own
 * partition (the first u64 of every such input is a partition id, and the
 * driver writes it, whatever the VMM put there), makes it, and hands back
 * the hypervisor's raw status, the reps done and the output.
 *
 * Through /dev/mshv (Linux 6.19 and later) the target is the root
 * partition itself, and only its properties can be read.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_driver.h"

#define FROM(origin)	BIT(MSHV_FROM_##origin)

/*
 * Which descriptors may pass each hypercall through: every call whose
 * input starts with the target partition's id, as Linux lists them. Only
 * that id is forced; a VP-targeted call keeps the VP index (and VTL) the
 * VMM wrote, so a partition file can reach any of its VPs and a VP file
 * any VP of its partition. Setting a partition property may complete
 * asynchronously in the hypervisor, which Linux waits for only under the
 * partition lock: only the partition's own file may do it. /dev/mshv
 * (the root itself) may only read the root's properties.
 */
#define GUEST		(FROM(PARTITION) | FROM(VP))

static const struct {
	u16 code;
	u8 allowed_from;
} passthru_allowed[] = {
	{ HVCALL_GET_PARTITION_PROPERTY,	FROM(DEV) | GUEST },
	{ HVCALL_SET_PARTITION_PROPERTY,	FROM(PARTITION) },
	{ HVCALL_INSTALL_INTERCEPT,		GUEST },
	{ HVCALL_GET_VP_REGISTERS,		GUEST },
	{ HVCALL_SET_VP_REGISTERS,		GUEST },
	{ HVCALL_TRANSLATE_VIRTUAL_ADDRESS,	GUEST },
	{ HVCALL_CLEAR_VIRTUAL_INTERRUPT,	GUEST },
	{ HVCALL_REGISTER_INTERCEPT_RESULT,	GUEST },
	{ HVCALL_ASSERT_VIRTUAL_INTERRUPT,	GUEST },
	{ HVCALL_SIGNAL_EVENT_DIRECT,		GUEST },
	{ HVCALL_POST_MESSAGE_DIRECT,		GUEST },
	{ HVCALL_GET_GPA_PAGES_ACCESS_STATES,	GUEST },
	{ HVCALL_GET_VP_CPUID_VALUES,		GUEST },
	{ HVCALL_GET_PARTITION_PROPERTY_EX,	FROM(DEV) | GUEST },
};

static bool passthru_allowed_from(enum mshv_passthru_origin origin, u16 code)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(passthru_allowed); i++)
		if (passthru_allowed[i].code == code)
			return passthru_allowed[i].allowed_from & BIT(origin);
	return false;
}

/* The request's shape, before anything else is read from the caller. */
static bool passthru_args_valid(const struct mshv_root_hvcall *args)
{
	if (args->status || !args->in_ptr)
		return false;
	if (memchr_inv(args->rsvd, 0, sizeof(args->rsvd)))
		return false;
	if (args->in_sz < sizeof(u64) || args->in_sz > HV_HYP_PAGE_SIZE)
		return false;
	/* An output buffer, if given, must be 1 byte to a page. */
	if (args->out_ptr && (!args->out_sz || args->out_sz > HV_HYP_PAGE_SIZE))
		return false;
	return true;
}

/* One pass-through call in flight; the rep count survives a retry. */
struct passthru_call {
	const struct mshv_root_hvcall *args;
	void *input;
	void *output;
	u16 reps_done;
	u64 last_result;
};

static u64 passthru_once(void *ctx)
{
	struct passthru_call *call = ctx;
	u16 code = call->args->code;

	if (call->args->reps) {
		call->last_result = hyp_call_reps(code, call->args->reps, call->reps_done,
						  call->input, call->output);
		call->reps_done = (u16)hyp_reps_done(call->last_result);
	} else {
		call->last_result = hv_do_hypercall(code, call->input, call->output);
	}
	return call->last_result;
}

/**
 * mshv_hvcall_passthru() - carry out MSHV_ROOT_HVCALL
 * @origin:    the kind of descriptor the ioctl came through
 * @target_id: the partition the call is aimed at
 * @uarg:      the caller's struct mshv_root_hvcall
 *
 * Once the hypercall has been made, status and reps are written back
 * whether it succeeded or not; the output only when it succeeded.
 *
 * Return: 0, -EFAULT, -EINVAL for a malformed or forbidden request,
 * -ENOMEM, or the errno the hypervisor's status maps to.
 */
long mshv_hvcall_passthru(enum mshv_passthru_origin origin, u64 target_id,
			  void __user *uarg)
{
	struct mshv_root_hvcall args;
	struct passthru_call call = { .args = &args };
	void *pages;
	long ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (!passthru_args_valid(&args))
		return -EINVAL;
	if (!passthru_allowed_from(origin, args.code))
		return -EINVAL;

	/* An input page and an output page, zeroed: no stale bytes go either way. */
	pages = kzalloc(2 * HV_HYP_PAGE_SIZE, GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	call.input = pages;
	call.output = args.out_ptr ? (char *)pages + HV_HYP_PAGE_SIZE : NULL;

	if (copy_from_user(call.input, (const void __user *)(uintptr_t)args.in_ptr,
			   args.in_sz)) {
		ret = -EFAULT;
		goto out;
	}
	*(u64 *)call.input = target_id;

	ret = hyp_call_until_fed(target_id, passthru_once, &call);

	args.status = hyp_status(call.last_result);
	args.reps = call.reps_done;
	if (copy_to_user(uarg, &args, sizeof(args)))
		ret = -EFAULT;
	if (!ret && args.out_ptr &&
	    copy_to_user((void __user *)(uintptr_t)args.out_ptr, call.output, args.out_sz))
		ret = -EFAULT;
out:
	kfree(pages);
	return ret;
}
