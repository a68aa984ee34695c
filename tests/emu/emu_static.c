// SPDX-License-Identifier: MIT
/*
 * Linked with -static and run as `mshvcpu emu -- emu_static`: a program
 * with no dynamic loader (which LD_PRELOAD could never reach) still finds
 * the emulated /dev/mshv, because the supervisor sees its system calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/mshv.h>

#include "emu_test.h"

static int mapped(const char *name)
{
	char line[4096];
	FILE *maps = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!maps)
		return 1;
	while (fgets(line, sizeof(line), maps))
		found |= strstr(line, name) != NULL;
	fclose(maps);
	return found;
}

int main(void)
{
	struct mshv_create_partition args = { 0 };
	struct mshv_create_vp vpargs = { .vp_index = 0 };
	struct stat st;
	int dev, part, vp;

	CHECK(!mapped("ld-linux") && !mapped("libc.so"),
	      "statically linked: no dynamic loader, no libc.so in /proc/self/maps");
	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	CHECK(dev >= 0, "a static binary opens /dev/mshv");
	CHECK(fstat(dev, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 10,
	      "and sees the misc character device");
	part = ioctl(dev, MSHV_CREATE_PARTITION, &args);
	CHECK(part >= 0, "MSHV_CREATE_PARTITION");
	CHECK(ioctl(part, MSHV_INITIALIZE_PARTITION) == 0, "MSHV_INITIALIZE_PARTITION");
	vp = ioctl(part, MSHV_CREATE_VP, &vpargs);
	CHECK(vp >= 0, "MSHV_CREATE_VP");
	CHECK(close(vp) == 0 && close(part) == 0 && close(dev) == 0, "everything closes");
	printf("%s\n", check_failures ? "FAILED" : "PASSED");
	return check_failures ? 1 : 0;
}
