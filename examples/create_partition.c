// SPDX-License-Identifier: MIT
/*
 * A VMM's partition setup, as a VMM writes it against /dev/mshv: no
 * mshvcpu library, only the kernel's and the hypervisor's ABI.
 *
 *  1. open /dev/mshv and read what the host offers (self-targeted
 *     MSHV_ROOT_HVCALL, Linux >= 6.19);
 *  2. build the disabled masks: everything the host lacks, plus AVX-512
 *     (this VMM's "no AVX-512" CPU model), reserved bank-0 bit 63 as
 *     rust-vmm does;
 *  3. MSHV_CREATE_PARTITION with struct mshv_create_partition_v2;
 *  4. bank 2 as an early property (disable LASS, bank 2 bit 5);
 *  5. initialize, create VP 0, read the guest's CPUID leaf 7 and check that
 *     AVX-512F is gone and AVX2 is there when the host has it.
 *
 * Runs on a real root partition, and unmodified under `mshvcpu emu`.
 * Exit status 0 on success, 1 on failure (with the reason on stderr).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <hyperv/hv_hypercall.h>
#include <linux/mshv.h>

/* Feature bits this VMM knows (hypervisor header names). */
#define XSAVE_BIT_AVX2		3
/* avx512, every avx512_* bit, and avx10_1_512 (which needs avx512) */
#define XSAVE_AVX512_FAMILY	0x0000001003a7c7c0ULL
#define BANK0_RESERVED_63	(1ULL << 63)
#define BANK2_BIT_LASS		5

static int fail(const char *what)
{
	fprintf(stderr, "create_partition: %s: %s\n", what, strerror(errno));
	return 1;
}

static int get_property(int fd, uint32_t code, uint64_t *value)
{
	struct hv_input_get_partition_property in = { .property_code = code };
	struct hv_output_get_partition_property out = { 0 };
	struct mshv_root_hvcall call = {
		.code = HVCALL_GET_PARTITION_PROPERTY,
		.in_sz = sizeof(in), .out_sz = sizeof(out),
		.in_ptr = (uintptr_t)&in, .out_ptr = (uintptr_t)&out,
	};

	if (ioctl(fd, MSHV_ROOT_HVCALL, &call) < 0)
		return -1;
	*value = out.property_value;
	return 0;
}

static int set_property(int fd, uint32_t code, uint64_t value)
{
	struct hv_input_set_partition_property in = {
		.property_code = code, .property_value = value,
	};
	struct mshv_root_hvcall call = {
		.code = HVCALL_SET_PARTITION_PROPERTY,
		.in_sz = sizeof(in), .in_ptr = (uintptr_t)&in,
	};

	return ioctl(fd, MSHV_ROOT_HVCALL, &call);
}

int main(void)
{
	uint64_t offered0, offered1, offered_xsave;
	struct mshv_create_partition_v2 args;
	struct {
		struct hv_input_get_vp_cpuid_values head;
		struct hv_cpuid_leaf_info leaf;
	} __attribute__((packed)) cpuid_in = { .head.vp_index = 0, .leaf = { .eax = 7 } };
	struct hv_output_get_vp_cpuid_values cpuid_out = { 0 };
	struct mshv_root_hvcall cpuid_call = {
		.code = HVCALL_GET_VP_CPUID_VALUES, .reps = 1,
		.in_sz = sizeof(cpuid_in), .out_sz = sizeof(cpuid_out),
		.in_ptr = (uintptr_t)&cpuid_in, .out_ptr = (uintptr_t)&cpuid_out,
	};
	struct mshv_create_vp vp = { .vp_index = 0 };
	int dev, pt, vpfd;

	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return fail("open /dev/mshv");

	if (get_property(dev, HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0, &offered0) ||
	    get_property(dev, HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1, &offered1) ||
	    get_property(dev, HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES, &offered_xsave))
		return fail("reading the host's features");
	printf("host offers   banks 0x%016llx 0x%016llx, xsave 0x%llx\n",
	       (unsigned long long)offered0, (unsigned long long)offered1,
	       (unsigned long long)offered_xsave);

	memset(&args, 0, sizeof(args));
	args.pt_flags = (1ULL << MSHV_PT_BIT_LAPIC) | (1ULL << MSHV_PT_BIT_X2APIC) |
			(1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES);
	args.pt_isolation = MSHV_PT_ISOLATION_NONE;
	args.pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS;
	args.pt_cpu_fbanks[0] = ~offered0 | BANK0_RESERVED_63;
	args.pt_cpu_fbanks[1] = ~offered1;
	args.pt_disabled_xsave = ~offered_xsave | XSAVE_AVX512_FAMILY;
	printf("disabling     banks 0x%016llx 0x%016llx, xsave 0x%llx\n",
	       (unsigned long long)args.pt_cpu_fbanks[0],
	       (unsigned long long)args.pt_cpu_fbanks[1],
	       (unsigned long long)args.pt_disabled_xsave);

	pt = ioctl(dev, MSHV_CREATE_PARTITION, &args);
	if (pt < 0)
		return fail("MSHV_CREATE_PARTITION");
	if (set_property(pt, HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX,
			 1ULL << BANK2_BIT_LASS) < 0)
		return fail("setting bank 2 before initialization");
	if (ioctl(pt, MSHV_INITIALIZE_PARTITION) < 0)
		return fail("MSHV_INITIALIZE_PARTITION");
	vpfd = ioctl(pt, MSHV_CREATE_VP, &vp);
	if (vpfd < 0)
		return fail("MSHV_CREATE_VP");
	if (ioctl(pt, MSHV_ROOT_HVCALL, &cpuid_call) < 0)
		return fail("GetVpCpuidValues");

	printf("guest leaf 7  eax 0x%08x ebx 0x%08x ecx 0x%08x edx 0x%08x\n",
	       cpuid_out.eax, cpuid_out.ebx, cpuid_out.ecx, cpuid_out.edx);
	/* CPUID.7.0:EBX[16] is AVX512F, EBX[5] AVX2. */
	if (cpuid_out.ebx & (1u << 16)) {
		fprintf(stderr, "create_partition: the guest still sees AVX-512F\n");
		return 1;
	}
	if ((offered_xsave & (1ULL << XSAVE_BIT_AVX2)) && !(cpuid_out.ebx & (1u << 5))) {
		fprintf(stderr, "create_partition: the host offers AVX2 but the guest lacks it\n");
		return 1;
	}
	printf("ok            AVX-512 hidden%s\n",
	       (offered_xsave & (1ULL << XSAVE_BIT_AVX2)) ? ", AVX2 kept" : "");

	close(vpfd);
	close(pt);	/* the last reference: the partition is deleted */
	close(dev);
	return 0;
}
