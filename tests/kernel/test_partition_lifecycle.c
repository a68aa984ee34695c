// SPDX-License-Identifier: MIT
/*
 * Partition and VP descriptors through the real ioctl entry (kshim_ioctl)
 * into the hypervisor model: MSHV_INITIALIZE_PARTITION and its deposits,
 * MSHV_CREATE_VP, the ioctl the driver knows but does not provide (RUN_VP)
 * and those it does not know, how closing descriptors tears a partition down
 * (VP files and dups keep it alive), and a VP's and its partition's
 * ioctls from two threads at once.
 *
 * Ioctl numbers and argument layouts are the reference's, written out
 * (here and in kernel_harness.h), so this file does not depend on the
 * headers under test. What reaches the hypervisor is seen through the
 * shim's hypercall hook and the model's trace; every test ends with no
 * descriptor and no partition left.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel_harness.h"

/* Ioctls of other descriptors, and the one the driver knows but does not provide. */
#define MSHV_SET_GUEST_MEMORY		0x4020B802U
#define MSHV_GET_GPAP_ACCESS_BITMAP	0xC020B806U
#define MSHV_RUN_VP			0x8100B800U
#define MSHV_GET_VP_STATE		0xC010B801U
#define MSHV_SET_VP_STATE		0xC010B802U
/* Page offsets of a VP's mmap (uapi). */
#define VP_PAGE_REGISTERS		0
#define VP_PAGE_INTERCEPT_MESSAGE	1
#define VP_PAGE_GHCB			2
#define VP_PAGE_PAST_LAST		3

#define INIT_DEPOSIT_PAGES	208
#define MAX_VPS			256

/* What a successful MSHV_INITIALIZE_PARTITION issues. */
static const struct traced initialized[] = {
	{ .call = "deposit_memory", .status = ST_SUCCESS, .key = "pages",
	  .value = INIT_DEPOSIT_PAGES },
	{ .call = "initialize_partition", .status = ST_SUCCESS },
};
/* What closing the last reference to a partition issues. */
static const struct traced delete_only[] = {
	{ .call = "delete_partition", .status = ST_SUCCESS },
};
static const struct traced teardown[] = {
	{ .call = "finalize_partition", .status = ST_SUCCESS },
	{ .call = "delete_partition", .status = ST_SUCCESS },
};

/* What the last close of an initialized partition issues with VPs 0..@vps-1 made. */
static size_t teardown_with_vps(struct traced *want, unsigned int vps)
{
	size_t n = 0;
	unsigned int i;

	/* Each VP's shared pages go back first: the register page, then the message page. */
	for (i = 0; i < vps; i++) {
		want[n++] = (struct traced){ .call = "unmap_vp_state_page", .status = ST_SUCCESS,
					     .key = "vp_index", .value = (int)i };
		want[n++] = (struct traced){ .call = "unmap_vp_state_page", .status = ST_SUCCESS,
					     .key = "vp_index", .value = (int)i };
	}
	want[n++] = teardown[0];
	want[n++] = teardown[1];
	return n;
}

static long pt_ioctl(struct env *e, unsigned int cmd, unsigned long arg)
{
	return ioctl_on(e, e->fd[ON_PT], cmd, arg);
}

/* Closes *@fd (and marks it closed): that issues exactly @want, on e->id. */
static void close_issuing(struct env *e, int *fd, const struct traced *want, size_t n)
{
	trace_on(e);
	assert_int_equal(kshim_close(e->k, *fd), 0);
	*fd = -1;
	expect_trace(e, e->id, want, n);
}

/* GET_PARTITION_PROPERTY(clock frequency) through @fd: must succeed. */
static void read_clock_through(struct env *e, int fd)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24], out[8];

	clock_request(arg, in, out);
	assert_int_equal(ioctl_on(e, fd, MSHV_ROOT_HVCALL, (unsigned long)arg), 0);
	assert_int_equal(get16(arg, HVC_STATUS), ST_SUCCESS);
	assert_int_equal(get64(out, 0), CLOCK);
	assert_int_equal(e->rec.calls, 1);
	assert_int_equal(get64(e->rec.input[0], 0), e->id);
}

/* Each of @cmds on e->fd[@kind] is @err, with nothing read and no hypercall. */
static void expect_refused(struct env *e, enum kind kind, const unsigned int *cmds, size_t n,
			   long err)
{
	_Alignas(8) uint8_t buf[512] = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		long ret = ioctl_on(e, e->fd[kind], cmds[i], (unsigned long)buf);

		if (ret != err)
			fail_msg("%s: 0x%x is %ld, expected %ld", kind_name[kind], cmds[i], ret,
				 err);
		assert_int_equal(e->rec.copies, 0);
		assert_int_equal(e->rec.calls, 0);
	}
}

/* --- MSHV_INITIALIZE_PARTITION (ENV_PT unless said) ------------------------- */

static void initialize_deposits_208_pages_then_initializes(void **state)
{
	struct env *e = *state;
	uint64_t before;

	assert_int_equal(info_of(e).state, HV_PARTITION_STATE_CREATED);
	before = hv_deposited_pages(e->hv);
	trace_on(e);
	/* The argument is not looked at (here: an unreadable address). */
	assert_int_equal(pt_ioctl(e, MSHV_INITIALIZE_PARTITION, (unsigned long)e->guard.end), 0);
	expect_trace(e, e->id, initialized, ARRAY_LEN(initialized));
	assert_int_equal(e->rec.copies, 0);
	assert_int_equal(e->rec.calls, 2);
	assert_int_equal(e->rec.control[0],
			 HC_DEPOSIT_MEMORY | (uint64_t)INIT_DEPOSIT_PAGES << REP_COUNT_SHIFT);
	assert_int_equal(e->rec.control[1], HC_INITIALIZE_PARTITION);
	assert_int_equal(get64(e->rec.input[1], 0), e->id);
	assert_int_equal(hv_deposited_pages(e->hv) - before, INIT_DEPOSIT_PAGES);
	assert_int_equal(info_of(e).state, HV_PARTITION_STATE_INITIALIZED);
}

/* ENV_INIT */
static void initialize_again_is_0_without_a_hypercall(void **state)
{
	struct env *e = *state;
	uint64_t before;
	int i;

	before = hv_deposited_pages(e->hv);
	for (i = 0; i < 3; i++) {
		assert_int_equal(initialize(e), 0);
		assert_int_equal(e->rec.calls, 0);
	}
	assert_int_equal(hv_deposited_pages(e->hv), before);
	assert_int_equal(info_of(e).state, HV_PARTITION_STATE_INITIALIZED);
}

static void initialize_retries_on_insufficient_memory(void **state)
{
	struct traced retried[4] = { initialized[0] };	/* the 208 pages */
	struct env *e = *state;
	uint64_t before;
	size_t n;

	/* Then refused once, a one-page deposit, and initialized. */
	n = 1 + deposit_retries(retried + 1, "initialize_partition", 1);
	before = hv_deposited_pages(e->hv);
	hv_inject_status(e->hv, HC_INITIALIZE_PARTITION, ST_INSUFFICIENT_MEMORY, 1);
	trace_on(e);
	assert_int_equal(initialize(e), 0);
	expect_trace(e, e->id, retried, n);
	assert_int_equal(hv_deposited_pages(e->hv) - before, INIT_DEPOSIT_PAGES + 1);
	assert_int_equal(info_of(e).state, HV_PARTITION_STATE_INITIALIZED);
}

/* ENV_DEV: a new partition for each round. */
static void failed_initialize_leaves_the_partition_uninitialized(void **state)
{
	static const struct {
		uint16_t code, status;
		int err;
	} failures[] = {
		{ HC_INITIALIZE_PARTITION, ST_INVALID_PARTITION_STATE, EIO },
		{ HC_INITIALIZE_PARTITION, ST_INVALID_PARAMETER, EINVAL },
		{ HC_DEPOSIT_MEMORY, ST_ACCESS_DENIED, EIO },	/* the 208 pages */
	};
	struct env *e = *state;
	size_t i;

	for (i = 0; i < ARRAY_LEN(failures); i++) {
		bool deposit_failed = failures[i].code == HC_DEPOSIT_MEMORY;
		const struct traced failed[] = {
			{ .call = "deposit_memory",
			  .status = deposit_failed ? failures[i].status : ST_SUCCESS },
			{ .call = "initialize_partition", .status = failures[i].status },
		};
		int again;

		/* Fail, then close: an uninitialized partition is only deleted. */
		for (again = 0; again < 2; again++) {
			new_partition(e);
			hv_inject_status(e->hv, failures[i].code, failures[i].status, 1);
			trace_on(e);
			assert_int_equal(initialize(e), -failures[i].err);
			expect_trace(e, e->id, failed, deposit_failed ? 1 : 2);
			assert_int_equal(info_of(e).state, HV_PARTITION_STATE_CREATED);

			if (!again) {
				close_issuing(e, &e->fd[ON_PT], delete_only, 1);
				continue;
			}
			/* Fail, then initialize again: the calls are made again. */
			trace_on(e);
			assert_int_equal(initialize(e), 0);
			expect_trace(e, e->id, initialized, ARRAY_LEN(initialized));
			assert_int_equal(info_of(e).state, HV_PARTITION_STATE_INITIALIZED);
			close_kind(e, ON_PT);
		}
	}
}

/* --- MSHV_CREATE_VP (ENV_INIT unless said) ---------------------------------- */

static void create_vp_returns_a_vp_descriptor(void **state)
{
	static const uint32_t indices[] = { 0, 1, 255 };
	int fds[ARRAY_LEN(indices)];
	struct env *e = *state;
	size_t i;

	for (i = 0; i < ARRAY_LEN(indices); i++) {
		/* The VP, then the pages it shares: the intercept message page, the register page. */
		const struct traced created[] = {
			{ .call = "create_vp", .status = ST_SUCCESS, .key = "vp_index",
			  .value = (int)indices[i] },
			{ .call = "map_vp_state_page", .status = ST_SUCCESS, .key = "vp_index",
			  .value = (int)indices[i] },
			{ .call = "map_vp_state_page", .status = ST_SUCCESS, .key = "vp_index",
			  .value = (int)indices[i] },
		};
		static const uint16_t page_types[] = { 1, 0 };
		long fd;
		size_t c;

		trace_on(e);
		fd = create_vp(e, indices[i]);
		expect_trace(e, e->id, created, ARRAY_LEN(created));
		assert_true(fd >= 0);
		assert_int_equal(kshim_fd_kind(e->k, (int)fd), KSHIM_FD_VP);
		fds[i] = (int)fd;
		assert_int_equal(e->rec.copies, 1);
		assert_int_equal(e->rec.copy_len[0], 4);
		assert_int_equal(e->rec.calls, 3);
		assert_int_equal(e->rec.control[0], HC_CREATE_VP);
		assert_int_equal(get64(e->rec.input[0], 0), e->id);
		assert_int_equal(get32(e->rec.input[0], 8), indices[i]);
		/* MapVpStatePage {partition, VP, u16 type, VTL 0, no flags, no location}. */
		for (c = 1; c < 3; c++) {
			assert_int_equal(e->rec.control[c], HC_MAP_VP_STATE_PAGE);
			assert_int_equal(get64(e->rec.input[c], 0), e->id);
			assert_int_equal(get32(e->rec.input[c], 8), indices[i]);
			assert_int_equal(get16(e->rec.input[c], 12), page_types[c - 1]);
			assert_int_equal(get16(e->rec.input[c], 14), 0);
			assert_int_equal(get64(e->rec.input[c], 16), 0);
		}
	}
	assert_int_equal(info_of(e).vp_count, 3);
	assert_int_equal(kshim_fd_count(e->k), 5);
	for (i = 0; i < ARRAY_LEN(indices); i++)
		assert_int_equal(kshim_close(e->k, fds[i]), 0);
}

static void create_vp_index_out_of_range_is_einval(void **state)
{
	static const uint32_t indices[] = { MAX_VPS, MAX_VPS + 1, 0x80000000U, 0xFFFFFFFFU };
	struct env *e = *state;
	size_t i;

	for (i = 0; i < ARRAY_LEN(indices); i++) {
		assert_int_equal(create_vp(e, indices[i]), -EINVAL);
		assert_int_equal(e->rec.calls, 0);
	}
	assert_int_equal(info_of(e).vp_count, 0);
	assert_int_equal(kshim_fd_count(e->k), 2);
}

static void create_vp_same_index_twice_is_eexist(void **state)
{
	struct env *e = *state;
	long fd;

	fd = create_vp(e, 7);
	assert_true(fd >= 0);
	assert_int_equal(create_vp(e, 7), -EEXIST);
	assert_int_equal(e->rec.calls, 0);
	/* Closing the VP's descriptor does not free the slot. */
	assert_int_equal(kshim_close(e->k, (int)fd), 0);
	assert_int_equal(create_vp(e, 7), -EEXIST);
	assert_int_equal(e->rec.calls, 0);
	assert_int_equal(info_of(e).vp_count, 1);
	assert_int_equal(kshim_fd_count(e->k), 2);
}

static void create_vp_unreadable_argument_is_efault(void **state)
{
	struct env *e = *state;
	uint8_t *guard = e->guard.end;
	size_t readable;
	long fd;

	assert_int_equal(pt_ioctl(e, MSHV_CREATE_VP, 0), -EFAULT);
	assert_int_equal(e->rec.calls, 0);
	assert_int_equal(pt_ioctl(e, MSHV_CREATE_VP, (unsigned long)guard), -EFAULT);
	assert_int_equal(e->rec.calls, 0);
	/* 1 to 3 of the 4 bytes before the guard page. */
	for (readable = 1; readable < 4; readable++) {
		memset(guard - readable, 0, readable);
		assert_int_equal(pt_ioctl(e, MSHV_CREATE_VP, (unsigned long)(guard - readable)),
				 -EFAULT);
		assert_int_equal(e->rec.calls, 0);
	}
	assert_int_equal(kshim_fd_count(e->k), 2);
	assert_int_equal(info_of(e).vp_count, 0);
	/* All four: VP 0. */
	memset(guard - 4, 0, 4);
	fd = pt_ioctl(e, MSHV_CREATE_VP, (unsigned long)(guard - 4));
	assert_true(fd >= 0);
	assert_int_equal(kshim_close(e->k, (int)fd), 0);
	assert_int_equal(info_of(e).vp_count, 1);
}

/* ENV_PT */
static void create_vp_before_initialize_fails_and_keeps_the_slot_free(void **state)
{
	static const struct traced refused[] = {
		{ .call = "create_vp", .status = ST_INVALID_PARTITION_STATE },
	};
	struct env *e = *state;
	long fd;

	trace_on(e);
	assert_int_equal(create_vp(e, 4), -EIO);
	expect_trace(e, e->id, refused, 1);
	assert_int_equal(kshim_fd_count(e->k), 2);
	assert_int_equal(initialize(e), 0);
	fd = create_vp(e, 4);
	assert_true(fd >= 0);
	assert_int_equal(kshim_fd_kind(e->k, (int)fd), KSHIM_FD_VP);
	assert_int_equal(info_of(e).vp_count, 1);
	assert_int_equal(kshim_close(e->k, (int)fd), 0);
}

static void create_vp_retries_on_insufficient_memory(void **state)
{
	struct traced retried[5];
	struct env *e = *state;
	size_t n;
	long fd;

	n = deposit_retries(retried, "create_vp", 1);
	retried[n - 1].key = "vp_index";	/* the VP asked for, the second time too */
	retried[n - 1].value = 9;
	retried[n++] = (struct traced){ .call = "map_vp_state_page", .status = ST_SUCCESS };
	retried[n++] = (struct traced){ .call = "map_vp_state_page", .status = ST_SUCCESS };
	hv_inject_status(e->hv, HC_CREATE_VP, ST_INSUFFICIENT_MEMORY, 1);
	trace_on(e);
	fd = create_vp(e, 9);
	expect_trace(e, e->id, retried, n);
	assert_true(fd >= 0);
	/* The retry's input is whole again after the deposit used the page. */
	assert_int_equal(e->rec.calls, 5);
	assert_int_equal(get64(e->rec.input[2], 0), e->id);
	assert_int_equal(get32(e->rec.input[2], 8), 9);
	assert_int_equal(kshim_close(e->k, (int)fd), 0);
}

/* --- other ioctls (ENV_VP) --------------------------------------------------- */

/* The guest-setup ioctls have test files of their own; running a VP is not provided. */
static void unsupported_ioctls_are_eopnotsupp(void **state)
{
	static const unsigned int on_vp[] = { MSHV_RUN_VP };
	struct env *e = *state;

	expect_refused(e, ON_VP, on_vp, ARRAY_LEN(on_vp), -EOPNOTSUPP);
}

static void unknown_ioctls_are_enotty(void **state)
{
	static const unsigned int on_partition[] = {
		MSHV_CREATE_PARTITION, 0, 0xFFFFFFFFU, MSHV_RUN_VP, MSHV_GET_VP_STATE,
		MSHV_SET_VP_STATE, 0xB807U, 0xC020B808U, 0x4004B800U,
	};
	static const unsigned int on_vp[] = {
		MSHV_INITIALIZE_PARTITION, MSHV_CREATE_VP, MSHV_CREATE_PARTITION,
		MSHV_SET_GUEST_MEMORY, MSHV_GET_GPAP_ACCESS_BITMAP, 0, 0xFFFFFFFFU, 0xB807U,
	};
	static const unsigned int on_dev[] = {
		MSHV_INITIALIZE_PARTITION, MSHV_CREATE_VP, 0, 0xFFFFFFFFU, MSHV_SET_GUEST_MEMORY,
		MSHV_RUN_VP, 0xB807U, 0xB800U | 0x10U,
	};
	struct env *e = *state;

	expect_refused(e, ON_PT, on_partition, ARRAY_LEN(on_partition), -ENOTTY);
	expect_refused(e, ON_VP, on_vp, ARRAY_LEN(on_vp), -ENOTTY);
	expect_refused(e, ON_DEV, on_dev, ARRAY_LEN(on_dev), -ENOTTY);
	/* Nothing was created by any of them. */
	assert_int_equal(kshim_fd_count(e->k), 3);
	assert_int_equal(hv_partition_count(e->hv), 1);
	assert_int_equal(info_of(e).vp_count, 1);
}

/* --- teardown ----------------------------------------------------------------- */

/* ENV_PT */
static void closing_an_uninitialized_partition_only_deletes_it(void **state)
{
	struct env *e = *state;

	close_issuing(e, &e->fd[ON_PT], delete_only, ARRAY_LEN(delete_only));
	assert_int_equal(hv_partition_count(e->hv), 0);
}

/* ENV_INIT */
static void closing_an_initialized_partition_finalizes_then_deletes_it(void **state)
{
	struct env *e = *state;

	close_issuing(e, &e->fd[ON_PT], teardown, ARRAY_LEN(teardown));
	assert_int_equal(hv_partition_count(e->hv), 0);
}

/* ENV_INIT */
static void vp_descriptors_keep_the_partition_alive(void **state)
{
	struct env *e = *state;
	struct traced want[6];
	int vp0, vp1;
	size_t n;

	vp0 = (int)create_vp(e, 0);
	vp1 = (int)create_vp(e, 1);
	assert_true(vp0 >= 0 && vp1 >= 0);

	/* The partition fd goes: nothing is issued, the partition stays. */
	close_issuing(e, &e->fd[ON_PT], NULL, 0);
	assert_int_equal(hv_partition_count(e->hv), 1);
	assert_int_equal(info_of(e).state, HV_PARTITION_STATE_INITIALIZED);

	/* Its VPs still work, aimed at it. */
	read_clock_through(e, vp0);
	read_clock_through(e, vp1);

	/* Not the last VP: still nothing. */
	close_issuing(e, &vp1, NULL, 0);
	assert_int_equal(hv_partition_count(e->hv), 1);
	read_clock_through(e, vp0);

	/* The last one: the VPs' pages go back, then finalize, then delete. */
	n = teardown_with_vps(want, 2);
	close_issuing(e, &vp0, want, n);
	assert_int_equal(hv_partition_count(e->hv), 0);
}

static void dup_keeps_the_partition_alive_until_both_are_closed(void **state)
{
	struct traced want[4];
	struct env e;
	int dup_pt, vp, dup_vp;
	size_t n;

	(void)state;
	/* Uninitialized: the dup outlives the original, then delete. */
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_PT);
	dup_pt = kshim_dup(e.k, e.fd[ON_PT]);
	assert_true(dup_pt >= 0);
	assert_int_equal(kshim_fd_kind(e.k, dup_pt), KSHIM_FD_PARTITION);
	close_issuing(&e, &e.fd[ON_PT], NULL, 0);
	assert_int_equal(hv_partition_count(e.hv), 1);
	close_issuing(&e, &dup_pt, delete_only, ARRAY_LEN(delete_only));
	env_down(&e);

	/* The dup is the same partition: initialize and create a VP through it. */
	env_up(&e, KSHIM_ABI_NESTED_SMT, ENV_PT);
	dup_pt = kshim_dup(e.k, e.fd[ON_PT]);
	assert_true(dup_pt >= 0);
	assert_int_equal(kshim_close(e.k, e.fd[ON_PT]), 0);
	e.fd[ON_PT] = dup_pt;
	assert_int_equal(initialize(&e), 0);
	assert_int_equal(e.rec.calls, 2);
	assert_int_equal(info_of(&e).state, HV_PARTITION_STATE_INITIALIZED);
	vp = (int)create_vp(&e, 2);
	assert_true(vp >= 0);
	dup_vp = kshim_dup(e.k, vp);
	assert_true(dup_vp >= 0);
	assert_int_equal(kshim_fd_kind(e.k, dup_vp), KSHIM_FD_VP);
	trace_on(&e);
	close_kind(&e, ON_PT);
	assert_int_equal(kshim_close(e.k, vp), 0);
	expect_trace(&e, e.id, NULL, 0);
	assert_int_equal(hv_partition_count(e.hv), 1);
	read_clock_through(&e, dup_vp);
	/* VP 2's pages: teardown_with_vps() counts from VP 0. */
	n = teardown_with_vps(want, 1);
	want[0].value = want[1].value = 2;
	close_issuing(&e, &dup_vp, want, n);
	env_down(&e);
}

/* ENV_VP: mmap of the VP's file shows the pages the hypervisor lent, as Linux's driver does. */
static void the_vp_file_maps_its_shared_pages(void **state)
{
	struct env *e = *state;
	uint8_t *regs = NULL, *message = NULL;
	void *page = NULL;
	uint16_t version;

	assert_int_equal(kshim_mmap(e->k, e->fd[ON_VP], VP_PAGE_REGISTERS, 4096,
				    (void **)&regs), 0);
	memcpy(&version, regs, sizeof(version));
	assert_int_equal(version, 1);			/* a register page */
	assert_int_equal(regs[2], 1);			/* isvalid */
	assert_int_equal(kshim_mmap(e->k, e->fd[ON_VP], VP_PAGE_INTERCEPT_MESSAGE,
				    4096, (void **)&message), 0);
	assert_ptr_not_equal(message, regs);
	/* Linux shows the offset's page in every page of a longer mapping. */
	assert_int_equal(kshim_mmap(e->k, e->fd[ON_VP], VP_PAGE_REGISTERS, 3 * 4096,
				    &page), 0);
	assert_ptr_equal(page, regs);
	assert_int_equal(kshim_mmap(e->k, e->fd[ON_VP], VP_PAGE_GHCB, 4096, &page),
			 -ENODEV);
	assert_int_equal(kshim_mmap(e->k, e->fd[ON_VP], VP_PAGE_PAST_LAST, 4096, &page),
			 -EINVAL);
	assert_int_equal(kshim_mmap(e->k, e->fd[ON_VP], ~0UL, 4096, &page), -EINVAL);
	assert_int_equal(kshim_mmap(e->k, e->fd[ON_PT], 0, 4096, &page), -ENODEV);
	assert_int_equal(kshim_mmap(e->k, e->fd[ON_DEV], 0, 4096, &page), -ENODEV);
}

/* --- two threads ------------------------------------------------------------- */

#define ITERATIONS	3000

struct worker {
	struct kshim *k;
	int fd;
	pthread_barrier_t *start;
	/* Results, read after the join. */
	unsigned int done, wrong, created, exists;
	long first_wrong;
	int where;
};

static void wrong(struct worker *w, long ret, int where)
{
	if (!w->wrong++) {
		w->first_wrong = ret;
		w->where = where;
	}
}

/* A VP's ROOT_HVCALL: the clock frequency and a CPUID leaf, over and over. */
static void *vp_worker(void *arg)
{
	static const uint32_t leaf = 0x40000001;
	struct worker *w = arg;
	_Alignas(8) uint8_t hv_arg[HVC_SIZE], in[48], out[16];
	unsigned int i;

	pthread_barrier_wait(w->start);
	for (i = 0; i < ITERATIONS; i++) {
		long ret;

		memset(out, 0, sizeof(out));
		if (i % 2 == 0) {
			clock_request(hv_arg, in, out);
		} else {
			memset(in, 0, sizeof(in));
			put32(in, 24, leaf);
			hvc(hv_arg, HC_GET_VP_CPUID_VALUES, 1, in, 48, out, 16);
		}
		ret = kshim_ioctl(w->k, w->fd, MSHV_ROOT_HVCALL, (unsigned long)hv_arg);
		if (ret || get16(hv_arg, HVC_STATUS) != ST_SUCCESS)
			wrong(w, ret, 1);
		else if (i % 2 == 0 ? get64(out, 0) != CLOCK : get32(out, 0) != 0x31237648)
			wrong(w, ret, 2);
		w->done++;
	}
	return NULL;
}

/* The partition's ioctls: initialize, read, set, create (and close) VPs. */
static void *partition_worker(void *arg)
{
	struct worker *w = arg;
	_Alignas(8) uint8_t hv_arg[HVC_SIZE], in[24], out[8];
	bool created[MAX_VPS] = { true };	/* VP 0 is the other thread's */
	unsigned int i;

	pthread_barrier_wait(w->start);
	for (i = 0; i < ITERATIONS; i++) {
		uint32_t index = 1 + (i / 4) % (MAX_VPS - 1);
		long ret;

		switch (i % 4) {
		case 0:
			ret = kshim_ioctl(w->k, w->fd, MSHV_INITIALIZE_PARTITION, 0);
			if (ret)
				wrong(w, ret, 3);
			break;
		case 1:
			property_input(in, 0, PROP_FEATURE_BANK_COUNT, 0);
			memset(out, 0, sizeof(out));
			hvc(hv_arg, HC_GET_PROPERTY_EX, 0, in, 16, out, 8);
			ret = kshim_ioctl(w->k, w->fd, MSHV_ROOT_HVCALL, (unsigned long)hv_arg);
			if (ret || get64(out, 0) != 3)
				wrong(w, ret, 4);
			break;
		case 2:
			ret = kshim_ioctl(w->k, w->fd, MSHV_CREATE_VP, (unsigned long)&index);
			if (!created[index] && ret >= 0 &&
			    kshim_fd_kind(w->k, (int)ret) == KSHIM_FD_VP) {
				created[index] = true;
				w->created++;
				if (kshim_close(w->k, (int)ret))
					wrong(w, ret, 5);
			} else if (created[index] && ret == -EEXIST) {
				w->exists++;
			} else {
				wrong(w, ret, 6);
			}
			break;
		default:
			/* Too late for the early property: the hypervisor says so. */
			property_input(in, 0, PROP_DISABLED_FEATURES_EX, 1);
			hvc(hv_arg, HC_SET_PROPERTY, 0, in, 24, NULL, 0);
			ret = kshim_ioctl(w->k, w->fd, MSHV_ROOT_HVCALL, (unsigned long)hv_arg);
			if (ret != -EIO || get16(hv_arg, HVC_STATUS) != ST_INVALID_PARTITION_STATE)
				wrong(w, ret, 7);
			break;
		}
		w->done++;
	}
	/* And the partition fd goes while the VP may still be busy. */
	if (kshim_close(w->k, w->fd))
		wrong(w, -1, 8);
	return NULL;
}

/* ENV_VP: the VP thread on VP 0, the partition thread on the partition fd. */
static void vp_and_partition_ioctls_from_two_threads(void **state)
{
	pthread_barrier_t start;
	struct worker vp = { 0 }, pt = { 0 };
	struct env *e = *state;
	pthread_t tv, tp;

	/* The hooks' recorder is not for threads. */
	kshim_set_copy_from_user_hook(e->k, NULL, NULL);
	kshim_set_hypercall_hook(e->k, NULL, NULL);

	assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
	vp.k = pt.k = e->k;
	vp.start = pt.start = &start;
	vp.fd = e->fd[ON_VP];
	pt.fd = e->fd[ON_PT];
	e->fd[ON_PT] = -1;	/* closed by its thread */
	assert_int_equal(pthread_create(&tv, NULL, vp_worker, &vp), 0);
	assert_int_equal(pthread_create(&tp, NULL, partition_worker, &pt), 0);
	assert_int_equal(pthread_join(tv, NULL), 0);
	assert_int_equal(pthread_join(tp, NULL), 0);
	pthread_barrier_destroy(&start);

	if (vp.wrong)
		fail_msg("VP thread: %u wrong results, first %ld at %d", vp.wrong,
			 vp.first_wrong, vp.where);
	if (pt.wrong)
		fail_msg("partition thread: %u wrong results, first %ld at %d", pt.wrong,
			 pt.first_wrong, pt.where);
	assert_int_equal(vp.done, ITERATIONS);
	assert_int_equal(pt.done, ITERATIONS);
	assert_int_equal(pt.created, MAX_VPS - 1);
	assert_int_equal(pt.exists, ITERATIONS / 4 - (MAX_VPS - 1));
	/* Only the VP's descriptor is left, and it holds the partition. */
	assert_int_equal(kshim_fd_count(e->k), 2);
	assert_int_equal(hv_partition_count(e->hv), 1);
	assert_int_equal(info_of(e).vp_count, MAX_VPS);
	close_kind(e, ON_VP);
	assert_int_equal(hv_partition_count(e->hv), 0);
}

#define WITH(setup, test) cmocka_unit_test_setup_teardown(test, setup, env_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		WITH(env_setup_pt, initialize_deposits_208_pages_then_initializes),
		WITH(env_setup_init, initialize_again_is_0_without_a_hypercall),
		WITH(env_setup_pt, initialize_retries_on_insufficient_memory),
		WITH(env_setup_dev, failed_initialize_leaves_the_partition_uninitialized),
		WITH(env_setup_init, create_vp_returns_a_vp_descriptor),
		WITH(env_setup_init, create_vp_index_out_of_range_is_einval),
		WITH(env_setup_init, create_vp_same_index_twice_is_eexist),
		WITH(env_setup_init, create_vp_unreadable_argument_is_efault),
		WITH(env_setup_pt, create_vp_before_initialize_fails_and_keeps_the_slot_free),
		WITH(env_setup_init, create_vp_retries_on_insufficient_memory),
		WITH(env_setup_vp, unsupported_ioctls_are_eopnotsupp),
		WITH(env_setup_vp, unknown_ioctls_are_enotty),
		WITH(env_setup_vp, the_vp_file_maps_its_shared_pages),
		WITH(env_setup_pt, closing_an_uninitialized_partition_only_deletes_it),
		WITH(env_setup_init, closing_an_initialized_partition_finalizes_then_deletes_it),
		WITH(env_setup_init, vp_descriptors_keep_the_partition_alive),
		cmocka_unit_test(dup_keeps_the_partition_alive_until_both_are_closed),
		WITH(env_setup_vp, vp_and_partition_ioctls_from_two_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
