// SPDX-License-Identifier: MIT
/*
 * Fuzz target (b): what a VMM does with a partition once it has one — the
 * partition-fd ioctls (initialize, create VP, MSHV_ROOT_HVCALL with
 * arbitrary struct mshv_root_hvcall contents and buffers, any other ioctl
 * number with an all-zero argument), the self-targeted MSHV_ROOT_HVCALL on /dev/mshv, VP fds, dup
 * and close, in any order, on any kernel ABI level.
 *
 * The input is a program: a few bytes choose the host and the partition's
 * flags, then each operation takes an opcode and its operands. Buffers are
 * this target's own (user memory must not be arbitrary addresses in this
 * process: the kernel would write to them); pointers choose among those
 * buffers, NULL, an address in a page that is never mapped, and a buffer
 * cut short so that the copy faults half-way.
 *
 * Invariants: every return value is a descriptor or an errno the driver
 * can give for that ioctl; a successful ROOT_HVCALL used an allowed code
 * and came back with status 0; a property read through a partition fd
 * answers for that partition, never another (the driver overwrites the
 * partition id), and through /dev/mshv for the root; closing everything
 * leaves no descriptor and no partition behind.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hyperv/hv_hypercall.h>
#include <hyperv/hv_partition.h>
#include <hyperv/hv_status.h>
#include <linux/mshv.h>

#include "fuzz.h"
#include "fuzz_machine.h"

#define MAX_OPS		48
#define MAX_FDS		16

/* Azure Ice Lake-SP (reference section 7): properties worth reading. */
static const uint64_t offer[4] = { 0x2e2a8bfffff7859fULL, 0x000100ae000000f1ULL, 0x5,
				   0x7fffdfULL };

/* Linux's pass-through lists (reference section 2): /dev/mshv the first two. */
static const uint16_t partition_calls[] = {
	HVCALL_GET_PARTITION_PROPERTY, HVCALL_GET_PARTITION_PROPERTY_EX,
	HVCALL_SET_PARTITION_PROPERTY, HVCALL_GET_VP_CPUID_VALUES,
	HVCALL_INSTALL_INTERCEPT, HVCALL_GET_VP_REGISTERS, HVCALL_SET_VP_REGISTERS,
	HVCALL_TRANSLATE_VIRTUAL_ADDRESS, HVCALL_CLEAR_VIRTUAL_INTERRUPT,
	HVCALL_REGISTER_INTERCEPT_RESULT, HVCALL_ASSERT_VIRTUAL_INTERRUPT,
	HVCALL_SIGNAL_EVENT_DIRECT, HVCALL_POST_MESSAGE_DIRECT,
	HVCALL_GET_GPA_PAGES_ACCESS_STATES,
};
#define N_SELF_CALLS	2
#define N_PARTITION_CALLS (sizeof(partition_calls) / sizeof(partition_calls[0]))
static const uint16_t other_calls[] = {
	HVCALL_CREATE_PARTITION, HVCALL_INITIALIZE_PARTITION, HVCALL_FINALIZE_PARTITION,
	HVCALL_DELETE_PARTITION, HVCALL_DEPOSIT_MEMORY, HVCALL_CREATE_VP, 0, 0xffff,
};

static struct fuzz_machine machines[KSHIM_ABI_COUNT];
static uint8_t *unmapped;	/* a page never mapped */

/*
 * The user buffers. Two pages each: a pointer may sit up to 31 bytes into
 * one and the kernel may copy a whole page from there.
 */
static _Alignas(4096) uint8_t in_buf[2 * HV_HYP_PAGE_SIZE];
static _Alignas(4096) uint8_t out_buf[2 * HV_HYP_PAGE_SIZE];
static _Alignas(4096) uint8_t scratch[2 * HV_HYP_PAGE_SIZE];
static struct mshv_root_hvcall call_args;

static struct fuzz_machine *machine(enum kshim_abi abi)
{
	struct hv_host_config c = { .arch = HV_ARCH_X86_64, .vendor = HV_PROCESSOR_VENDOR_INTEL };

	if (!unmapped) {
		long page = sysconf(_SC_PAGESIZE);

		unmapped = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (unmapped == MAP_FAILED || munmap(unmapped, (size_t)page))
			abort();
	}
	memcpy(c.offered, offer, sizeof(offer));
	fuzz_machine_up(&machines[abi], &c, abi);
	return &machines[abi];
}

/* A user pointer for an ioctl, chosen by the input. */
static uint64_t pointer(uint8_t sel, uint8_t *buf)
{
	switch (sel % 8) {
	case 0:
		return 0;
	case 1:
		return (uint64_t)(uintptr_t)unmapped;
	case 2:
		return (uint64_t)(uintptr_t)(buf + (sel >> 3));	/* slightly misaligned */
	default:
		return (uint64_t)(uintptr_t)buf;
	}
}

static bool allowed(const uint16_t *list, size_t n, uint16_t code)
{
	while (n--)
		if (list[n] == code)
			return true;
	return false;
}

/*
 * What an ioctl with an all-zero argument may give, by descriptor kind:
 * the guest-setup ioctls refuse it for what it lacks (no size, no pages,
 * descriptor 0 is no eventfd), an empty MSI table is fine, the VFIO device
 * (type 0) is made once per partition on the newest level; anything else
 * is unknown or not provided.
 */
static bool zeroed_outcome_ok(enum kshim_fd_kind kind, uint32_t cmd, long ret,
			      enum kshim_abi abi)
{
	if (kind == KSHIM_FD_PARTITION) {
		switch (cmd) {
		case MSHV_INITIALIZE_PARTITION:
			return ret == 0 || ret == -EIO;
		case MSHV_SET_GUEST_MEMORY:
		case MSHV_GET_GPAP_ACCESS_BITMAP:
			return ret == -EINVAL;
		case MSHV_IRQFD:
		case MSHV_IOEVENTFD:
			return ret == -EINVAL || ret == -EBADF;
		case MSHV_SET_MSI_ROUTING:
			return ret == 0;
		case MSHV_CREATE_DEVICE:
			return abi == KSHIM_ABI_NESTED_SMT ? ret == 0 || ret == -EBUSY : ret == -ENOTTY;
		default:
			break;
		}
	}
	/* A zeroed VP state argument: type LAPIC with no buffer. */
	if (kind == KSHIM_FD_VP && (cmd == MSHV_GET_VP_STATE || cmd == MSHV_SET_VP_STATE))
		return ret == -EINVAL || ret == -EFAULT;
	return ret == -ENOTTY || ret == -EOPNOTSUPP;
}

struct session {
	struct fuzz_machine *m;
	enum kshim_abi abi;
	int fds[MAX_FDS];
	size_t nfds;
};

static void remember(struct session *s, long fd)
{
	FUZZ_CHECK(fd >= 0, "not a descriptor: %ld", fd);
	if (s->nfds < MAX_FDS)
		s->fds[s->nfds++] = (int)fd;
	else
		FUZZ_CHECK(kshim_close(s->m->k, (int)fd) == 0, "close");
}

static int pick_fd(struct session *s, struct fuzz_input *in, enum kshim_fd_kind kind)
{
	uint8_t k = fuzz_u8(in);
	size_t i;

	for (i = 0; i < s->nfds; i++) {
		int fd = s->fds[(k + i) % s->nfds];

		if (kshim_fd_kind(s->m->k, fd) == kind)
			return fd;
	}
	return -1;
}

/* One MSHV_ROOT_HVCALL, on a partition fd or (fd == dev) on /dev/mshv. */
static void root_hvcall(struct session *s, struct fuzz_input *in, int fd)
{
	bool self = fd == s->m->dev;
	uint8_t code_sel = fuzz_u8(in), in_sel = fuzz_u8(in), out_sel = fuzz_u8(in);
	uint8_t shape = fuzz_u8(in);
	uint16_t code, in_sz, out_sz;
	uint32_t property;
	long ret;

	if (code_sel < 160)
		code = partition_calls[code_sel % N_PARTITION_CALLS];
	else if (code_sel < 224)
		code = other_calls[code_sel % 8];
	else
		code = fuzz_u16(in);
	in_sz = shape & 1 ? fuzz_u16(in) : 16;
	out_sz = shape & 2 ? fuzz_u16(in) : 16;
	memset(&call_args, 0, sizeof(call_args));
	call_args.code = code;
	call_args.reps = shape & 4 ? fuzz_u16(in) % 8 : 0;
	call_args.in_sz = in_sz;
	call_args.out_sz = out_sz;
	call_args.status = shape & 8 ? fuzz_u16(in) : 0;
	if (shape & 16)
		fuzz_take(in, call_args.rsvd, sizeof(call_args.rsvd));
	call_args.in_ptr = pointer(in_sel, in_buf);
	call_args.out_ptr = pointer(out_sel, out_buf);
	memset(in_buf, 0, 64);
	fuzz_take(in, in_buf, 48);
	memcpy(&property, in_buf + 8, sizeof(property));
	memset(out_buf, 0xa5, 16);

	ret = kshim_ioctl(s->m->k, fd, MSHV_ROOT_HVCALL, (unsigned long)&call_args);
	if (self && s->abi == KSHIM_ABI_V1_ONLY) {
		FUZZ_CHECK(ret == -ENOTTY, "self ROOT_HVCALL before 6.19: %ld", ret);
		return;
	}
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -EFAULT || ret == -EIO || ret == -ENOMEM,
		   "ROOT_HVCALL 0x%x returned %ld", code, ret);
	if (ret)
		return;
	FUZZ_CHECK(self ? allowed(partition_calls, N_SELF_CALLS, code) :
			  allowed(partition_calls, N_PARTITION_CALLS, code),
		   "hypercall 0x%x passed through from %s", code, self ? "/dev/mshv" : "a partition");
	FUZZ_CHECK(call_args.status == HV_STATUS_SUCCESS, "status 0x%x on success",
		   call_args.status);
	/* The root's offer through /dev/mshv; a child's never exceeds it. */
	if (code == HVCALL_GET_PARTITION_PROPERTY && call_args.out_ptr == (uintptr_t)out_buf &&
	    call_args.out_sz >= 8 && property == HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0) {
		uint64_t value;

		memcpy(&value, out_buf, sizeof(value));
		if (self)
			FUZZ_CHECK(value == offer[0], "root bank 0 reads 0x%llx",
				   (unsigned long long)value);
		else
			FUZZ_CHECK(!(value & ~offer[0]), "a partition reads bank 0 0x%llx",
				   (unsigned long long)value);
	}
}

static void run(struct session *s, struct fuzz_input *in)
{
	uint8_t op = fuzz_u8(in);
	int fd;
	long ret;

	switch (op % 9) {
	case 0: /* a new partition: v1, or v2 with arbitrary masks */
	{
		struct mshv_create_partition_v2 a = { 0 };
		uint8_t how = fuzz_u8(in);

		a.pt_flags = (how & 0x37) | (how & 0x80 ? 1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES : 0);
		a.pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS;
		a.pt_cpu_fbanks[0] = how & 0x40 ? fuzz_u64(in) : 0;
		a.pt_cpu_fbanks[1] = how & 0x40 ? fuzz_u64(in) : 0;
		ret = kshim_ioctl(s->m->k, s->m->dev, MSHV_CREATE_PARTITION, (unsigned long)&a);
		FUZZ_CHECK(ret >= 0 || ret == -EINVAL || ret == -EIO,
			   "create returned %ld", ret);
		if (ret >= 0)
			remember(s, ret);
		break;
	}
	case 1:
		if ((fd = pick_fd(s, in, KSHIM_FD_PARTITION)) < 0)
			break;
		ret = kshim_ioctl(s->m->k, fd, MSHV_INITIALIZE_PARTITION, 0);
		FUZZ_CHECK(ret == 0 || ret == -EIO || ret == -EINVAL, "initialize: %ld", ret);
		break;
	case 2:
	{
		uint32_t vp_index = fuzz_u8(in) < 200 ? fuzz_u8(in) % 4 : fuzz_u32(in);
		uint64_t arg = pointer(fuzz_u8(in), scratch);

		if ((fd = pick_fd(s, in, KSHIM_FD_PARTITION)) < 0)
			break;
		if (arg && arg != (uintptr_t)unmapped)
			memcpy((void *)(uintptr_t)arg, &vp_index, sizeof(vp_index));
		ret = kshim_ioctl(s->m->k, fd, MSHV_CREATE_VP, (unsigned long)arg);
		FUZZ_CHECK(ret >= 0 || ret == -EINVAL || ret == -EEXIST || ret == -EIO ||
			   ret == -EFAULT, "create VP: %ld", ret);
		if (ret >= 0)
			remember(s, ret);
		break;
	}
	case 3:
		if ((fd = pick_fd(s, in, KSHIM_FD_PARTITION)) >= 0)
			root_hvcall(s, in, fd);
		break;
	case 4:
		root_hvcall(s, in, s->m->dev);
		break;
	case 5: /* any ioctl number on any open descriptor */
	{
		uint32_t cmd = fuzz_u32(in);
		enum kshim_fd_kind kind = (enum kshim_fd_kind)(1 + fuzz_u8(in) % 3);

		fd = kind == KSHIM_FD_DEV ? s->m->dev : pick_fd(s, in, kind);
		if (fd < 0)
			break;
		/* Never ones whose argument is a pointer this target does not own. */
		if (cmd == MSHV_ROOT_HVCALL || cmd == MSHV_CREATE_VP ||
		    cmd == MSHV_CREATE_PARTITION)
			break;
		memset(scratch, 0, sizeof(scratch));
		ret = kshim_ioctl(s->m->k, fd, cmd, (unsigned long)scratch);
		if (kind == KSHIM_FD_PARTITION && cmd == MSHV_CREATE_DEVICE && ret == 0)
			remember(s, ((struct mshv_create_device *)scratch)->fd);
		FUZZ_CHECK(zeroed_outcome_ok(kind, cmd, ret, s->abi),
			   "ioctl 0x%x on a kind-%d fd: %ld", cmd, kind, ret);
		break;
	}
	case 6:
		if ((fd = pick_fd(s, in, (enum kshim_fd_kind)(2 + fuzz_u8(in) % 2))) < 0)
			break;
		ret = kshim_dup(s->m->k, fd);
		FUZZ_CHECK(ret >= 0, "dup: %ld", ret);
		remember(s, ret);
		break;
	case 7:
		if (s->nfds) {
			size_t i = fuzz_u8(in) % s->nfds;

			FUZZ_CHECK(kshim_close(s->m->k, s->fds[i]) == 0, "close");
			s->fds[i] = s->fds[--s->nfds];
		}
		break;
	default: /* a descriptor that is not open */
		ret = kshim_ioctl(s->m->k, 1000 + fuzz_u8(in), MSHV_INITIALIZE_PARTITION, 0);
		FUZZ_CHECK(ret == -EBADF, "closed fd: %ld", ret);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct session s = { 0 };
	unsigned int ops;

	s.abi = (enum kshim_abi)(fuzz_u8(&in) % KSHIM_ABI_COUNT);
	s.m = machine(s.abi);
	for (ops = 0; ops < MAX_OPS && in.n; ops++)
		run(&s, &in);
	while (s.nfds)
		FUZZ_CHECK(kshim_close(s.m->k, s.fds[--s.nfds]) == 0, "close");
	FUZZ_CHECK(kshim_fd_count(s.m->k) == 1, "%u descriptors left", kshim_fd_count(s.m->k));
	FUZZ_CHECK(hv_partition_count(s.m->hv) == 0, "%zu partitions left",
		   hv_partition_count(s.m->hv));
	return 0;
}
