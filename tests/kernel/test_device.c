// SPDX-License-Identifier: MIT
/*
 * MSHV_CREATE_DEVICE and the device file through the real ioctl entry:
 * the types (VFIO only), the TEST flag (nothing made), the descriptor
 * written back, one VFIO device per partition (even after its file is
 * closed: VFIO's ops have no release), the partition kept alive by the
 * device's file, ENOTTY before the newest driver level, and the device
 * file's attribute ioctls with the answers rust-vmm expects: HAS of VFIO
 * FILE/ADD succeeds, GET has no function (-EPERM), SET with address 0 is
 * -EFAULT; then every other answer of the VFIO group.
 *
 * {u32 type, u32 fd, u32 flags} and {u32 flags, u32 group, u64 attr,
 * u64 addr} are the reference's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel_harness.h"

#define SET_DEVICE_ATTR		0x4018B800U
#define GET_DEVICE_ATTR		0x4018B801U
#define HAS_DEVICE_ATTR		0x4018B802U

#define TYPE_VFIO		0
#define CREATE_TEST		1
#define VFIO_FILE		1
#define VFIO_FILE_ADD		1
#define VFIO_FILE_DEL		2

/* MSHV_CREATE_DEVICE {type, fd, flags}; *@fd is what came back in the fd field. */
static long create_device(struct env *e, uint32_t type, uint32_t flags, uint32_t *fd)
{
	_Alignas(8) uint8_t arg[12];
	long ret;

	put32(arg, 0, type);
	put32(arg, 4, 0xDEADBEEF);
	put32(arg, 8, flags);
	ret = ioctl_on(e, e->fd[ON_PT], MSHV_CREATE_DEVICE, (unsigned long)arg);
	if (fd)
		*fd = get32(arg, 4);
	return ret;
}

static long attr_ioctl(struct env *e, int fd, unsigned int cmd, uint32_t group, uint64_t attr,
		       const void *addr)
{
	_Alignas(8) uint8_t arg[24] = { 0 };

	put32(arg, 4, group);
	put64(arg, 8, attr);
	put64(arg, 16, (uint64_t)(uintptr_t)addr);
	return ioctl_on(e, fd, cmd, (unsigned long)arg);
}

static int vfio_device(struct env *e)
{
	uint32_t fd;

	assert_int_equal(create_device(e, TYPE_VFIO, 0, &fd), 0);
	assert_int_equal(kshim_fd_kind(e->k, (int)fd), KSHIM_FD_DEVICE);
	return (int)fd;
}

static void types_and_the_test_flag(void **state)
{
	struct env *e = *state;
	unsigned int open = kshim_fd_count(e->k);
	uint32_t fd = 0;

	assert_int_equal(ioctl_on(e, e->fd[ON_PT], MSHV_CREATE_DEVICE,
				  (unsigned long)(e->guard.end - 8)), -EFAULT);
	assert_int_equal(create_device(e, 1, 0, NULL), -ENODEV);
	assert_int_equal(create_device(e, 0x80000000U, CREATE_TEST, NULL), -ENODEV);
	/* The type exists: 0, nothing made, the fd field left alone. */
	assert_int_equal(create_device(e, TYPE_VFIO, CREATE_TEST | 0x10, &fd), 0);
	assert_int_equal(fd, 0xDEADBEEF);
	assert_int_equal(kshim_fd_count(e->k), open);
	assert_int_equal(e->rec.calls, 0);
}

static void one_vfio_device_per_partition(void **state)
{
	struct env *e = *state;
	int fd = vfio_device(e);

	assert_int_equal(create_device(e, TYPE_VFIO, 0, NULL), -EBUSY);
	/* Still the partition's after its file is closed. */
	assert_int_equal(kshim_close(e->k, fd), 0);
	assert_int_equal(create_device(e, TYPE_VFIO, 0, NULL), -EBUSY);
	/* The TEST flag does not look. */
	assert_int_equal(create_device(e, TYPE_VFIO, CREATE_TEST, NULL), 0);
}

static void the_device_file_keeps_the_partition(void **state)
{
	struct env *e = *state;
	int fd = vfio_device(e), copy = kshim_dup(e->k, fd);

	close_kind(e, ON_PT);
	assert_int_equal(hv_partition_count(e->hv), 1);
	assert_int_equal(attr_ioctl(e, copy, HAS_DEVICE_ATTR, VFIO_FILE, VFIO_FILE_ADD, NULL), 0);
	assert_int_equal(kshim_close(e->k, fd), 0);
	assert_int_equal(hv_partition_count(e->hv), 1);
	assert_int_equal(kshim_close(e->k, copy), 0);
	assert_int_equal(hv_partition_count(e->hv), 0);
}

/* rust-vmm's test_create_device, on a dup of the device's descriptor. */
static void what_rust_vmm_expects(void **state)
{
	struct env *e = *state;
	int fd = vfio_device(e), copy = kshim_dup(e->k, fd);

	assert_int_equal(attr_ioctl(e, copy, HAS_DEVICE_ATTR, VFIO_FILE, VFIO_FILE_ADD, NULL), 0);
	assert_int_not_equal(attr_ioctl(e, copy, GET_DEVICE_ATTR, VFIO_FILE, VFIO_FILE_ADD, NULL),
			     0);
	assert_int_equal(attr_ioctl(e, copy, SET_DEVICE_ATTR, VFIO_FILE, VFIO_FILE_ADD, NULL),
			 -EFAULT);
	assert_int_equal(kshim_close(e->k, copy), 0);
	assert_int_equal(kshim_close(e->k, fd), 0);
}

static void every_vfio_answer(void **state)
{
	static const struct {
		const char *what;
		unsigned int cmd;
		uint32_t group;
		uint64_t attr;
		int value;		/* -2: address 0; else a descriptor at addr */
		long err;
	} cases[] = {
		{ "has DEL", HAS_DEVICE_ATTR, VFIO_FILE, VFIO_FILE_DEL, -2, 0 },
		{ "has attr 3", HAS_DEVICE_ATTR, VFIO_FILE, 3, -2, -ENXIO },
		{ "has group 2", HAS_DEVICE_ATTR, 2, VFIO_FILE_ADD, -2, -ENXIO },
		{ "get", GET_DEVICE_ATTR, VFIO_FILE, VFIO_FILE_ADD, 0, -EPERM },
		{ "add fd -1", SET_DEVICE_ATTR, VFIO_FILE, VFIO_FILE_ADD, -1, -EBADF },
		{ "add an eventfd", SET_DEVICE_ATTR, VFIO_FILE, VFIO_FILE_ADD, 0, -EINVAL },
		{ "del fd -1", SET_DEVICE_ATTR, VFIO_FILE, VFIO_FILE_DEL, -1, -EBADF },
		{ "del one never added", SET_DEVICE_ATTR, VFIO_FILE, VFIO_FILE_DEL, 0, -ENOENT },
		{ "del, address 0", SET_DEVICE_ATTR, VFIO_FILE, VFIO_FILE_DEL, -2, -EFAULT },
		{ "set attr 3", SET_DEVICE_ATTR, VFIO_FILE, 3, -2, -ENXIO },
		{ "set group 0", SET_DEVICE_ATTR, 0, VFIO_FILE_ADD, -2, -ENXIO },
	};
	struct env *e = *state;
	int fd = vfio_device(e), efd = new_eventfd();
	size_t i;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		int32_t value = cases[i].value ? cases[i].value : efd;
		long ret = attr_ioctl(e, fd, cases[i].cmd, cases[i].group, cases[i].attr,
				      cases[i].value == -2 ? NULL : &value);

		if (ret != cases[i].err)
			fail_msg("%s: %ld, not %ld", cases[i].what, ret, cases[i].err);
	}
	/* The attribute itself unreadable; GET refuses before it reads. */
	assert_int_equal(ioctl_on(e, fd, HAS_DEVICE_ATTR, (unsigned long)(e->guard.end - 8)),
			 -EFAULT);
	assert_int_equal(ioctl_on(e, fd, GET_DEVICE_ATTR, (unsigned long)(e->guard.end - 8)),
			 -EPERM);
	/* Other ioctls, the pass-through among them, are unknown on a device. */
	assert_int_equal(ioctl_on(e, fd, MSHV_ROOT_HVCALL, 0), -ENOTTY);
	assert_int_equal(ioctl_on(e, fd, 0x4018B803U, 0), -ENOTTY);
	assert_int_equal(e->rec.calls, 0);
	close(efd);
	assert_int_equal(kshim_close(e->k, fd), 0);
}

static void older_drivers_have_no_devices(void **state)
{
	enum kshim_abi levels[] = { KSHIM_ABI_V1_ONLY, KSHIM_ABI_CPU_FEATURES };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(levels); i++) {
		struct env e;

		env_up(&e, levels[i], ENV_INIT);
		assert_int_equal(create_device(&e, TYPE_VFIO, 0, NULL), -ENOTTY);
		assert_int_equal(create_device(&e, TYPE_VFIO, CREATE_TEST, NULL), -ENOTTY);
		env_down(&e);
	}
}

int main(void)
{
#define NEWEST(fn)	cmocka_unit_test_setup_teardown(fn, env_setup_init, env_teardown)
	const struct CMUnitTest device_tests[] = {
		NEWEST(types_and_the_test_flag), NEWEST(one_vfio_device_per_partition),
		NEWEST(the_device_file_keeps_the_partition), NEWEST(what_rust_vmm_expects),
		NEWEST(every_vfio_answer), cmocka_unit_test(older_drivers_have_no_devices),
	};
#undef NEWEST

	return cmocka_run_group_tests_name("devices", device_tests, NULL, NULL);
}
