// SPDX-License-Identifier: MIT
/*
 * The shared scaffolding of the tests of kernel/ (see kernel_harness.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel_harness.h"

/* --- raw bytes -------------------------------------------------------- */

void put16(uint8_t *b, size_t off, uint16_t v)
{
	memcpy(b + off, &v, 2);
}

void put32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

void put64(uint8_t *b, size_t off, uint64_t v)
{
	memcpy(b + off, &v, 8);
}

uint16_t get16(const uint8_t *b, size_t off)
{
	uint16_t v;

	memcpy(&v, b + off, 2);
	return v;
}

uint32_t get32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, 4);
	return v;
}

uint64_t get64(const uint8_t *b, size_t off)
{
	uint64_t v;

	memcpy(&v, b + off, 8);
	return v;
}

void hvc(uint8_t *arg, uint16_t code, uint16_t reps, const void *in, uint16_t in_sz,
	 void *out, uint16_t out_sz)
{
	memset(arg, 0, HVC_SIZE);
	put16(arg, HVC_CODE, code);
	put16(arg, HVC_REPS, reps);
	put16(arg, HVC_IN_SZ, in_sz);
	put16(arg, HVC_OUT_SZ, out_sz);
	put64(arg, HVC_IN_PTR, (uint64_t)(uintptr_t)in);
	put64(arg, HVC_OUT_PTR, (uint64_t)(uintptr_t)out);
}

void property_input(uint8_t *in, uint64_t id, uint32_t property, uint64_t value)
{
	memset(in, 0, 24);
	put64(in, 0, id);
	put32(in, 8, property);
	put64(in, 16, value);
}

void clock_request(uint8_t *arg, uint8_t *in, uint8_t *out)
{
	property_input(in, 0, PROP_CLOCK_FREQUENCY, 0);
	memset(out, POISON, 8);
	hvc(arg, HC_GET_PROPERTY, 0, in, 16, out, 8);
}

/* --- user memory ------------------------------------------------------- */

void guard_up(struct guarded *g)
{
	g->page = (size_t)sysconf(_SC_PAGESIZE);
	g->map = mmap(NULL, 2 * g->page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	assert_true(g->map != MAP_FAILED);
	assert_int_equal(mprotect(g->map + g->page, g->page, PROT_NONE), 0);
	g->end = g->map + g->page;
}

void guard_down(struct guarded *g)
{
	assert_int_equal(munmap(g->map, 2 * g->page), 0);
}

/* --- the simulated kernel ---------------------------------------------- */

const char *const kind_name[KINDS] = { "/dev/mshv", "partition fd", "VP fd" };

static void on_copy(void *ctx, unsigned int nth, const void *uaddr, size_t len)
{
	struct recorder *r = ctx;

	(void)nth;
	(void)uaddr;
	if (r->copies < MAX_COPIES)
		r->copy_len[r->copies] = len;
	r->copies++;
}

static void on_hypercall(void *ctx, uint64_t control, const void *input)
{
	struct recorder *r = ctx;

	if (r->calls == 0)
		memcpy(r->page0, input, HV_PAGE);
	if (r->calls < MAX_CALLS) {
		r->control[r->calls] = control;
		memcpy(r->input[r->calls], input, 64);
	}
	r->calls++;
	if (r->scribble)
		memset(r->scribble, 0xEE, HVC_SIZE);
}

void rec_reset(struct env *e)
{
	e->rec.calls = 0;
	e->rec.copies = 0;
	e->rec.scribble = NULL;
}

long ioctl_on(struct env *e, int fd, unsigned int cmd, unsigned long arg)
{
	rec_reset(e);
	return kshim_ioctl(e->k, fd, cmd, arg);
}

long root_hvcall(struct env *e, enum kind kind, const void *arg)
{
	return ioctl_on(e, e->fd[kind], MSHV_ROOT_HVCALL, (unsigned long)arg);
}

long initialize(struct env *e)
{
	return ioctl_on(e, e->fd[ON_PT], MSHV_INITIALIZE_PARTITION, 0);
}

long create_vp(struct env *e, uint32_t index)
{
	return ioctl_on(e, e->fd[ON_PT], MSHV_CREATE_VP, (unsigned long)&index);
}

uint64_t newest_partition(struct env *e)
{
	struct hv_partition_info info;
	uint64_t id, found = 0;

	for (id = 1; id < 4096; id++)
		if (hv_partition_get_info(e->hv, id, &info) == 0)
			found = id;
	assert_true(found != 0);
	return found;
}

struct hv_partition_info info_of(struct env *e)
{
	struct hv_partition_info info;

	assert_int_equal(hv_partition_get_info(e->hv, e->id, &info), 0);
	return info;
}

void new_partition(struct env *e)
{
	uint8_t create[16] = { 0 };
	long fd = kshim_ioctl(e->k, e->fd[ON_DEV], MSHV_CREATE_PARTITION, (unsigned long)create);

	assert_true(fd >= 0);
	assert_int_equal(kshim_fd_kind(e->k, (int)fd), KSHIM_FD_PARTITION);
	e->fd[ON_PT] = (int)fd;
	e->id = newest_partition(e);
}

void close_kind(struct env *e, enum kind kind)
{
	assert_int_equal(kshim_close(e->k, e->fd[kind]), 0);
	e->fd[kind] = -1;
}

void env_up_on(struct env *e, enum host host, enum kshim_abi abi, enum env_level what)
{
	struct hv_host_config c = {
		.arch = host == HOST_X86_64 ? HV_ARCH_X86_64 : HV_ARCH_ARM64,
		.vendor = host == HOST_X86_64 ? HV_PROCESSOR_VENDOR_INTEL
					      : HV_PROCESSOR_VENDOR_ARM,
		/*
		 * Offer nothing: then no mask breaks a feature dependency, and
		 * every value the kernel forwards reaches the model's state
		 * (the dependency rules are the model's tests' business).
		 */
		.offered = { 0, 0, 0, 0 },
		.clock_frequency = CLOCK,
	};

	env_up_host(e, &c, abi, what);
}

void env_up_host(struct env *e, const struct hv_host_config *c, enum kshim_abi abi,
		 enum env_level what)
{
	struct kshim_config kc = { .abi = abi };
	long fd;

	memset(e, 0, sizeof(*e));
	e->fd[ON_DEV] = e->fd[ON_PT] = e->fd[ON_VP] = -1;
	guard_up(&e->guard);
	assert_int_equal(hv_create(c, &e->hv), 0);
	kc.hv = e->hv;
	assert_int_equal(kshim_create(&kc, &e->k), 0);
	e->fd[ON_DEV] = kshim_open_dev(e->k);
	assert_true(e->fd[ON_DEV] >= 0);
	if (what >= ENV_PT)
		new_partition(e);
	if (what >= ENV_INIT)
		assert_int_equal(initialize(e), 0);
	if (what >= ENV_VP) {
		fd = create_vp(e, 0);
		assert_true(fd >= 0);
		assert_int_equal(kshim_fd_kind(e->k, (int)fd), KSHIM_FD_VP);
		e->fd[ON_VP] = (int)fd;
	}
	kshim_set_copy_from_user_hook(e->k, on_copy, &e->rec);
	kshim_set_hypercall_hook(e->k, on_hypercall, &e->rec);
	rec_reset(e);
}

void env_up(struct env *e, enum kshim_abi abi, enum env_level what)
{
	env_up_on(e, HOST_X86_64, abi, what);
}

void env_down(struct env *e)
{
	int i;

	kshim_set_copy_from_user_hook(e->k, NULL, NULL);
	kshim_set_hypercall_hook(e->k, NULL, NULL);
	for (i = KINDS - 1; i >= 0; i--)
		if (e->fd[i] >= 0)
			assert_int_equal(kshim_close(e->k, e->fd[i]), 0);
	assert_int_equal(kshim_fd_count(e->k), 0);
	assert_int_equal(hv_partition_count(e->hv), 0);
	kshim_destroy(e->k);
	hv_destroy(e->hv);
	guard_down(&e->guard);
}

int env_setup_on(void **state, enum host host, enum kshim_abi abi, enum env_level what)
{
	struct env *e = malloc(sizeof(*e));

	assert_non_null(e);
	env_up_on(e, host, abi, what);
	*state = e;
	return 0;
}

int env_setup_dev(void **state)
{
	return env_setup_on(state, HOST_X86_64, KSHIM_ABI_NESTED_SMT, ENV_DEV);
}

int env_setup_pt(void **state)
{
	return env_setup_on(state, HOST_X86_64, KSHIM_ABI_NESTED_SMT, ENV_PT);
}

int env_setup_init(void **state)
{
	return env_setup_on(state, HOST_X86_64, KSHIM_ABI_NESTED_SMT, ENV_INIT);
}

int env_setup_vp(void **state)
{
	return env_setup_on(state, HOST_X86_64, KSHIM_ABI_NESTED_SMT, ENV_VP);
}

int env_teardown(void **state)
{
	env_down(*state);
	free(*state);
	return 0;
}

/* --- guest setup ----------------------------------------------------------- */

void *map_noreserve(size_t bytes, int prot)
{
	void *p = mmap(NULL, bytes, prot, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	assert_true(p != MAP_FAILED);
	return p;
}

long set_guest_memory(struct env *e, uint64_t size, uint64_t gfn, const void *addr,
		      uint8_t flags)
{
	_Alignas(8) uint8_t arg[32] = { 0 };

	put64(arg, 0, size);
	put64(arg, 8, gfn);
	put64(arg, 16, (uint64_t)(uintptr_t)addr);
	arg[24] = flags;
	return ioctl_on(e, e->fd[ON_PT], MSHV_SET_GUEST_MEMORY, (unsigned long)arg);
}

uint16_t set_property(struct env *e, uint32_t property, uint64_t value)
{
	_Alignas(8) uint8_t arg[HVC_SIZE], in[24];

	property_input(in, e->id, property, value);
	hvc(arg, HC_SET_PROPERTY, 0, in, sizeof(in), NULL, 0);
	if (root_hvcall(e, ON_PT, arg) && !get16(arg, HVC_STATUS))
		return 0xFFFF;
	return get16(arg, HVC_STATUS);
}

long irqfd_ioctl(struct env *e, int fd, int resamplefd, uint32_t gsi, uint32_t flags)
{
	_Alignas(8) uint8_t arg[16];

	put32(arg, 0, (uint32_t)fd);
	put32(arg, 4, (uint32_t)resamplefd);
	put32(arg, 8, gsi);
	put32(arg, 12, flags);
	return ioctl_on(e, e->fd[ON_PT], MSHV_IRQFD, (unsigned long)arg);
}

struct route msi_route(uint32_t gsi, uint32_t apic, uint8_t vector)
{
	return (struct route){ .gsi = gsi, .address_lo = 0xFEE00000U | apic << 12, .data = vector };
}

long set_routes(struct env *e, const struct route *routes, uint32_t nr)
{
	_Static_assert(sizeof(struct route) == 16, "the uapi's entry");
	uint8_t *arg = malloc(8 + (size_t)nr * sizeof(*routes));
	long ret;

	assert_non_null(arg);
	put32(arg, 0, nr);
	put32(arg, 4, 0);
	if (nr)
		memcpy(arg + 8, routes, (size_t)nr * sizeof(*routes));
	ret = ioctl_on(e, e->fd[ON_PT], MSHV_SET_MSI_ROUTING, (unsigned long)arg);
	free(arg);
	return ret;
}

int new_eventfd(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	assert_true(efd >= 0);
	return efd;
}

void ring(int efd)
{
	assert_int_equal(eventfd_write(efd, 1), 0);
}

/* --- the trace ----------------------------------------------------------- */

void trace_on(struct env *e)
{
	int fd;

	e->trace = strdup("/tmp/mshvcpu-ktrace-XXXXXX");
	assert_non_null(e->trace);
	fd = mkstemp(e->trace);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(hv_trace_start(e->hv, e->trace), 0);
}

void trace_off(struct env *e, struct trace *t)
{
	hv_trace_stop(e->hv);
	trace_read(e->trace, t);
	unlink(e->trace);
	free(e->trace);
	e->trace = NULL;
}

/* Member @key of line @i, which must be of @type. */
static struct json_object *member(const struct trace *t, size_t i, const char *key,
				  json_type type)
{
	struct json_object *v;

	if (!json_object_object_get_ex(t->lines[i], key, &v) || !json_object_is_type(v, type))
		fail_msg("line %zu: no %s \"%s\"", i + 1, json_type_to_name(type), key);
	return v;
}

int line_int(const struct trace *t, size_t i, const char *key)
{
	return json_object_get_int(member(t, i, key, json_type_int));
}

void expect_trace(struct env *e, uint64_t partition_id, const struct traced *want, size_t n)
{
	struct trace t;
	size_t i;

	trace_off(e, &t);
	if (t.count != n)
		fail_msg("trace has %zu lines, expected %zu", t.count, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(trace_str(t.lines[i], "call"), want[i].call);
		assert_int_equal(trace_u64(t.lines[i], "status"), want[i].status);
		assert_int_equal(trace_u64(t.lines[i], "partition_id"), partition_id);
		if (want[i].key)
			assert_int_equal(line_int(&t, i, want[i].key), want[i].value);
	}
	trace_free(&t);
}

size_t deposit_retries(struct traced *want, const char *call, unsigned int refusals)
{
	static const struct traced deposit = {
		.call = "deposit_memory", .status = ST_SUCCESS, .key = "pages", .value = 1,
	};
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < refusals; i++) {
		want[n++] = (struct traced){ .call = call, .status = ST_INSUFFICIENT_MEMORY };
		want[n++] = deposit;
	}
	want[n++] = (struct traced){ .call = call, .status = ST_SUCCESS };
	return n;
}

bool line_bool(const struct trace *t, size_t i, const char *key)
{
	return json_object_get_boolean(member(t, i, key, json_type_boolean));
}
