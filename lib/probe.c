// SPDX-License-Identifier: MIT
/*
 * What does this host offer? On a root partition, ask the hypervisor (the
 * partition properties of the root, through the self-targeted
 * MSHV_ROOT_HVCALL of Linux 6.19); elsewhere read this machine's CPUID and,
 * when readable, IA32_ARCH_CAPABILITIES, and map them through the
 * catalogue. Bits a source cannot observe stay unknown; the host record
 * says which source answered and why.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include <hyperv/hv_partition.h>

#include "device.h"
#include "opts.h"

#define MSR_IA32_ARCH_CAPABILITIES 0x10a

static void host_name(struct mshvcpu_host *host)
{
	char name[256 + 1] = "";

	/* Escaped and, if ever too long, cut between characters: it is printed. */
	if (gethostname(name, sizeof(name) - 1) != 0 || !name[0])
		snprintf(name, sizeof(name), "localhost");
	mshvcpu_text_escape(host->name, sizeof(host->name), name, strlen(name));
}

static int probe_hypervisor(const struct mshvcpu_device_ops *ops, const char *device,
			    struct mshvcpu_host *host, struct mshvcpu_error *err)
{
	static const struct {
		uint32_t code;
		enum mshvcpu_word word;
	} feature_props[] = {
		{ HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0, MSHVCPU_WORD_BANK0 },
		{ HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1, MSHVCPU_WORD_BANK1 },
		{ HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES, MSHVCPU_WORD_XSAVE },
	};
	uint64_t value;
	uint16_t status;
	size_t i;
	int fd, ret;

	fd = device_open(ops, device);
	if (fd < 0)
		return set_error(err, fd, "%s: %s", device, strerror(-fd));

	ret = device_get_property(ops, fd, HV_PARTITION_PROPERTY_PROCESSOR_VENDOR,
				  &value, &status);
	if (ret == -ENOTTY) {
		set_error(err, ret, "%s: this kernel has no self-targeted MSHV_ROOT_HVCALL "
			  "(Linux before 6.19); the root partition's properties cannot be read",
			  device);
		goto out;
	}
	if (ret) {
		set_error(err, ret, "%s: reading PROCESSOR_VENDOR of the root partition: %s "
			  "(hypervisor status 0x%x)", device, strerror(-ret), status);
		goto out;
	}
	mshvcpu_featureset_init(&host->offered, vendor_from_hv(value));

	for (i = 0; i < ARRAY_SIZE(feature_props); i++) {
		ret = device_get_property(ops, fd, feature_props[i].code, &value, &status);
		if (ret) {
			set_error(err, ret, "%s: reading partition property 0x%x: %s "
				  "(hypervisor status 0x%x)", device, feature_props[i].code,
				  strerror(-ret), status);
			goto out;
		}
		host->offered.enabled[feature_props[i].word] = value;
	}

	/*
	 * No property reads bank 2 back yet; its bank count tells at least
	 * whether the host has one.
	 */
	host->offered.known[MSHVCPU_WORD_BANK2] = 0;
	if (!device_get_property(ops, fd, HV_PARTITION_PROPERTY_FEATURE_BANK_COUNT,
				 &value, NULL) && value <= 2)
		host->offered.known[MSHVCPU_WORD_BANK2] = ~0ULL;

	if (!device_get_property(ops, fd, HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE,
				 &value, NULL))
		host->max_xsave_data_size = (uint32_t)value;
	if (!device_get_property(ops, fd, HV_PARTITION_PROPERTY_XSAVE_STATES, &value, NULL))
		host->xsave_states = value;
	if (!device_get_property(ops, fd, HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH,
				 &value, NULL))
		host->physical_address_width = (uint32_t)value;

	host->source = MSHVCPU_SOURCE_HYPERVISOR;
	text_printf(host->source_detail, sizeof(host->source_detail),
		    "root partition properties through %s", device);
	ret = 0;
out:
	device_close(ops, fd);
	return ret;
}

#if defined(__x86_64__) || defined(__i386__)
static uint32_t cpuid_reg(uint32_t leaf, uint32_t subleaf, enum mshvcpu_cpuid_reg reg)
{
	unsigned int r[4] = { 0 };
	unsigned int max = __get_cpuid_max(leaf & 0x80000000u, NULL);

	/* A leaf past the maximum does not exist: its bits are known zeros. */
	if (leaf > max)
		return 0;
	__cpuid_count(leaf, subleaf, r[0], r[1], r[2], r[3]);
	return r[reg];
}

static enum mshvcpu_vendor cpuid_vendor(void)
{
	unsigned int eax, ebx, ecx, edx;
	char id[13];

	__cpuid(0, eax, ebx, ecx, edx);
	memcpy(id, &ebx, 4);
	memcpy(id + 4, &edx, 4);
	memcpy(id + 8, &ecx, 4);
	id[12] = '\0';
	if (strcmp(id, "GenuineIntel") == 0)
		return MSHVCPU_VENDOR_INTEL;
	if (strcmp(id, "AuthenticAMD") == 0)
		return MSHVCPU_VENDOR_AMD;
	if (strcmp(id, "HygonGenuine") == 0)
		return MSHVCPU_VENDOR_HYGON;
	return MSHVCPU_VENDOR_ANY;
}

static int read_arch_capabilities(const char *msr_device, uint64_t *value)
{
	int fd = open(msr_device, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pread(fd, value, sizeof(*value), MSR_IA32_ARCH_CAPABILITIES);
	close(fd);
	if (n < 0)
		return -errno;
	return n == sizeof(*value) ? 0 : -EIO;
}

static int probe_cpuid(const char *msr_device, struct mshvcpu_host *host)
{
	enum mshvcpu_vendor vendor = cpuid_vendor();
	const struct mshvcpu_feature *f;
	uint64_t arch_cap = 0;
	int arch_cap_state;
	size_t i;

	mshvcpu_featureset_init_unknown(&host->offered, vendor);

	/* CPUID.7.0:EDX[29] says whether IA32_ARCH_CAPABILITIES exists at all. */
	if (!(cpuid_reg(7, 0, MSHVCPU_EDX) & (1u << 29)))
		arch_cap_state = 0;			/* known: no such MSR */
	else
		arch_cap_state = read_arch_capabilities(msr_device, &arch_cap) ? -1 : 1;

	for (i = 0; (f = mshvcpu_feature_at(i)); i++) {
		struct mshvcpu_cpuid_location loc;
		int cap = mshvcpu_feature_arch_cap_bit(f);

		if (f->kind != HV_FEATURE_KIND_FEATURE)
			continue;
		if (cap >= 0) {
			if (arch_cap_state < 0)
				continue;
			if (arch_cap_state && (arch_cap & (1ULL << cap)))
				mshvcpu_featureset_enable(&host->offered, f);
			else
				mshvcpu_featureset_disable(&host->offered, f);
			continue;
		}
		if (mshvcpu_feature_cpuid(f, vendor, &loc))
			continue;	/* nothing in CPUID shows it: unknown */
		if (cpuid_reg(loc.leaf, loc.subleaf, loc.reg) & (1u << loc.bit))
			mshvcpu_featureset_enable(&host->offered, f);
		else
			mshvcpu_featureset_disable(&host->offered, f);
	}

	host->xsave_states = 0;
	if (cpuid_reg(1, 0, MSHVCPU_ECX) & (1u << 26)) {
		host->xsave_states = cpuid_reg(0xd, 0, MSHVCPU_EAX) |
				     (uint64_t)cpuid_reg(0xd, 0, MSHVCPU_EDX) << 32;
		host->max_xsave_data_size = cpuid_reg(0xd, 0, MSHVCPU_ECX);
	}
	host->physical_address_width = cpuid_reg(0x80000008, 0, MSHVCPU_EAX) & 0xff;
	host->source = MSHVCPU_SOURCE_CPUID;
	snprintf(host->source_detail, sizeof(host->source_detail),
		 "this machine's CPUID%s; %zu features have no CPUID location and are unknown",
		 arch_cap_state < 0 ? " (IA32_ARCH_CAPABILITIES not readable: its features are unknown)" :
		 arch_cap_state ? " and IA32_ARCH_CAPABILITIES" : "",
		 mshvcpu_featureset_count_unknown(&host->offered, MSHVCPU_REV_LATEST));
	return 0;
}
#else
static int probe_cpuid(const char *msr_device, struct mshvcpu_host *host)
{
	(void)msr_device;
	(void)host;
	return -EOPNOTSUPP;
}
#endif

int mshvcpu_host_probe(const struct mshvcpu_probe_opts *opts, struct mshvcpu_host *host,
		       struct mshvcpu_error *err)
{
	const char *device = OPTS_GET(opts, device, "/dev/mshv");
	const char *msr_device = OPTS_GET(opts, msr_device, "/dev/cpu/0/msr");
	enum mshvcpu_probe_mode mode = OPTS_GET(opts, mode, MSHVCPU_PROBE_AUTO);
	const struct mshvcpu_device_ops *ops = OPTS_GET(opts, ops, NULL);
	struct mshvcpu_error hv_err = { 0 };
	char detail[sizeof(host->source_detail)];
	int ret;

	if (!OPTS_VALID(opts))
		return set_error(err, -EINVAL, "mshvcpu_probe_opts: unknown non-zero fields");
	memset(host, 0, sizeof(*host));
	host_name(host);

	if (mode != MSHVCPU_PROBE_CPUID) {
		ret = probe_hypervisor(ops, device, host, &hv_err);
		if (!ret || mode == MSHVCPU_PROBE_HYPERVISOR) {
			if (ret && err)
				*err = hv_err;
			return ret;
		}
	}
	ret = probe_cpuid(msr_device, host);
	if (ret)
		return set_error(err, ret, "no CPUID on this architecture and %s",
				 hv_err.message[0] ? hv_err.message : "no hypervisor answered");
	if (mode == MSHVCPU_PROBE_AUTO && hv_err.message[0]) {
		memcpy(detail, host->source_detail, sizeof(detail));
		text_printf(host->source_detail, sizeof(host->source_detail),
			    "%s [hypervisor not used: %s]", detail, hv_err.message);
	}
	return 0;
}
