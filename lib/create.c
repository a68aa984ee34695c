// SPDX-License-Identifier: MIT
/*
 * Creating a partition for a profile, on every kernel:
 *
 *  1. masks from the profile (the one conversion, masks.c), with the nested
 *     flag's bank 1 bit pulled in;
 *  2. a pre-flight check of what the hypervisor would actually be asked
 *     (against the host's offer when it can be read), so that a request it
 *     would refuse fails here with the reason instead of as EIO -- and a
 *     profile of the other vendor, or (enforce) one the host cannot give
 *     in full, fails here too;
 *  3. MSHV_CREATE_PARTITION with the v2 struct where the kernel has it
 *     (Linux >= 6.19, recognised by its self-targeted MSHV_ROOT_HVCALL),
 *     the v1 struct only when that loses nothing or the caller allows it;
 *  4. bank 2 as an early property before initialization;
 *  5. initialize, then read back what the partition got and report every
 *     requested feature the host dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hyperv/hv_partition.h>
#include <linux/mshv.h>

#include "device.h"
#include "opts.h"
#include "profile.h"

#define NEW_FLAGS_2026 ((1ULL << MSHV_PT_BIT_NESTED_VIRTUALIZATION) | \
			(1ULL << MSHV_PT_BIT_SMT_ENABLED_GUEST))

struct create_ctx {
	const struct mshvcpu_device_ops *ops;
	const char *device;
	struct mshvcpu_partition_record *rec;
	struct mshvcpu_error *err;
	bool host_known;
	struct mshvcpu_featureset offered;	/* root partition's offer, if readable */
	bool self_hvcall;			/* kernel >= 6.19 */
	const struct mshvcpu_create_base *base;	/* NULL: none */
};

/* The base request's disabled features, as a set in the disabled sense. */
static void base_disabled(const struct create_ctx *c, uint64_t out[MSHVCPU_WORD_COUNT])
{
	memset(out, 0, MSHVCPU_WORD_COUNT * sizeof(out[0]));
	if (!c->base)
		return;
	out[MSHVCPU_WORD_BANK0] = c->base->disabled_banks[0];
	out[MSHVCPU_WORD_BANK1] = c->base->disabled_banks[1];
	out[MSHVCPU_WORD_XSAVE] = c->base->disabled_xsave;
}

/* The base request's disabled features leave the request, with what needs them. */
static void base_disable(struct create_ctx *c)
{
	uint64_t base[MSHVCPU_WORD_COUNT];
	const struct mshvcpu_feature *f;
	size_t i;

	base_disabled(c, base);
	for (i = 0; (f = mshvcpu_feature_at(i)); i++)
		if (base[f->word] >> f->bit & 1 &&
		    mshvcpu_featureset_has(&c->rec->requested, f))
			mshvcpu_deps_disable(&c->rec->requested, f, NULL, 0);
}

/* -ENOTSUP naming the features of @lacking (enabled sense): @why says where they went. */
static int lacking_features(struct create_ctx *c, const struct mshvcpu_featureset *lacking,
			    const char *why)
{
	char names[512];
	int n = mshvcpu_featureset_format_names(lacking, c->rec->revision, ", ", names,
						sizeof(names));

	return set_error(c->err, -ENOTSUP, "%s: %s%s", why, names,
			 n >= (int)sizeof(names) ? "..." : "");
}

/* Vendor, and with enforce every feature asked for, against the host's offer. */
static int host_can_give(struct create_ctx *c, bool enforce)
{
	const struct mshvcpu_partition_record *rec = c->rec;
	struct mshvcpu_featureset lacking;
	bool any = false;
	unsigned int w;

	if (!c->host_known)
		return 0;
	if (rec->requested.vendor != MSHVCPU_VENDOR_ANY &&
	    rec->requested.vendor != c->offered.vendor)
		return set_error(c->err, -EXDEV, "the profile is for %s processors and this "
				 "host's are %s: a guest cannot change vendor",
				 mshvcpu_vendor_name(rec->requested.vendor),
				 mshvcpu_vendor_name(c->offered.vendor));
	if (!enforce)
		return 0;
	mshvcpu_featureset_init(&lacking, rec->requested.vendor);
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		lacking.enabled[w] = rec->requested.enabled[w] &
				     catalogue_feature_mask(w, rec->revision) &
				     c->offered.known[w] & ~c->offered.enabled[w];
		any |= lacking.enabled[w] != 0;
	}
	return any ? lacking_features(c, &lacking, "this host cannot give the whole "
				      "profile; it lacks") : 0;
}

/* With enforce: everything asked for arrived, but what the base request disabled. */
static int nothing_dropped(struct create_ctx *c)
{
	struct mshvcpu_featureset lost = c->rec->dropped;
	uint64_t base[MSHVCPU_WORD_COUNT];
	bool any = false;
	unsigned int w;

	base_disabled(c, base);
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		lost.enabled[w] &= ~base[w];
		any |= lost.enabled[w] != 0;
	}
	return any ? lacking_features(c, &lost, "the partition did not get the whole "
				      "profile; missing") : 0;
}

static uint64_t pt_flags_for(unsigned int flags)
{
	static const struct {
		unsigned int flag;
		unsigned int bit;
	} map[] = {
		{ MSHVCPU_CREATE_LAPIC, MSHV_PT_BIT_LAPIC },
		{ MSHVCPU_CREATE_X2APIC, MSHV_PT_BIT_X2APIC },
		{ MSHVCPU_CREATE_GPA_SUPER_PAGES, MSHV_PT_BIT_GPA_SUPER_PAGES },
		{ MSHVCPU_CREATE_NESTED, MSHV_PT_BIT_NESTED_VIRTUALIZATION },
		{ MSHVCPU_CREATE_SMT, MSHV_PT_BIT_SMT_ENABLED_GUEST },
	};
	uint64_t pt = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (flags & map[i].flag)
			pt |= 1ULL << map[i].bit;
	return pt;
}

/* Read the root partition's offer; also tells whether the kernel is >= 6.19. */
static void read_offer(struct create_ctx *c, int dev)
{
	static const struct {
		uint32_t code;
		enum mshvcpu_word word;
	} props[] = {
		{ HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0, MSHVCPU_WORD_BANK0 },
		{ HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1, MSHVCPU_WORD_BANK1 },
		{ HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES, MSHVCPU_WORD_XSAVE },
	};
	uint64_t value;
	size_t i;
	int ret;

	ret = device_get_property(c->ops, dev, HV_PARTITION_PROPERTY_PROCESSOR_VENDOR,
				  &value, NULL);
	/* Only an unknown ioctl means an old kernel; other failures say nothing. */
	c->self_hvcall = ret != -ENOTTY;
	if (ret)
		return;
	mshvcpu_featureset_init(&c->offered, vendor_from_hv(value));
	c->offered.known[MSHVCPU_WORD_BANK2] = 0;
	for (i = 0; i < ARRAY_SIZE(props); i++) {
		if (device_get_property(c->ops, dev, props[i].code, &value, NULL))
			return;
		c->offered.enabled[props[i].word] = value;
	}
	c->host_known = true;
}

static int preflight(struct create_ctx *c)
{
	struct mshvcpu_partition_record *rec = c->rec;
	struct mshvcpu_violation v[8];
	size_t n, i, used = 0;
	char list[320] = "";

	n = mshvcpu_masks_check(&rec->masks, c->host_known ? &c->offered : NULL,
				v, ARRAY_SIZE(v));
	if (!n)
		return 0;
	for (i = 0; i < n && i < ARRAY_SIZE(v); i++)
		used += (size_t)snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0,
					 "%s%s stays enabled without %s", i ? "; " : "",
					 v[i].feature->name, v[i].missing->name);
	return set_error(c->err, -EINVAL,
			 "the hypervisor would refuse this partition: %s (%s does not name "
			 "every dependent feature; use a newer revision or the "
			 "migration-safe policy)", list, mshvcpu_revision_name(rec->revision));
}

static bool masks_lose_nothing(const struct mshvcpu_masks *m)
{
	return !m->disabled_banks[0] && !m->disabled_banks[1] && !m->disabled_xsave &&
	       !m->set_bank2;
}

/* May a kernel without the v2 struct serve this request? */
static int v1_allowed(struct create_ctx *c, bool allow_fallback)
{
	struct mshvcpu_partition_record *rec = c->rec;

	if (rec->pt_flags & NEW_FLAGS_2026)
		return set_error(c->err, -EOPNOTSUPP,
				 "this kernel (before Linux 6.19) has no nested-virtualization "
				 "or SMT partition flags; they need the February 2026 driver");
	if (!masks_lose_nothing(&rec->masks) && !allow_fallback)
		return set_error(c->err, -EOPNOTSUPP,
				 "this kernel (before Linux 6.19) cannot disable CPU features: "
				 "the profile needs Linux 6.19 or later (or allow the v1 fallback, "
				 "which enables every feature the host offers)");
	return 0;
}

static uint64_t isolation_of(const struct create_ctx *c)
{
	return c->base ? c->base->isolation : MSHV_PT_ISOLATION_NONE;
}

static int create_v1(struct create_ctx *c, int dev)
{
	struct mshv_create_partition args = {
		.pt_flags = c->rec->pt_flags,
		.pt_isolation = isolation_of(c),
	};

	c->rec->create_struct = MSHVCPU_CREATE_V1;
	return device_ioctl(c->ops, dev, MSHV_CREATE_PARTITION, &args);
}

/* The v2 struct for the request in @c->rec, with @pt_flags. */
static void fill_v2(const struct create_ctx *c, uint64_t pt_flags,
		    struct mshv_create_partition_v2 *args)
{
	const struct mshvcpu_masks *m = &c->rec->masks;

	*args = (struct mshv_create_partition_v2){
		.pt_flags = pt_flags | (1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES),
		.pt_isolation = isolation_of(c),
		.pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS,
		.pt_cpu_fbanks = { m->disabled_banks[0], m->disabled_banks[1] },
#if defined(__x86_64__)
		.pt_disabled_xsave = m->disabled_xsave,
#endif
	};
}

static int create_v2(struct create_ctx *c, int dev, uint64_t pt_flags)
{
	struct mshv_create_partition_v2 args;

	fill_v2(c, pt_flags, &args);
	c->rec->create_struct = MSHVCPU_CREATE_V2;
	return device_ioctl(c->ops, dev, MSHV_CREATE_PARTITION, &args);
}

/*
 * EINVAL from a 6.19 kernel asked for the 2026 flags: find out whether the
 * flags are the reason by asking again without them (and deleting that
 * partition again), so the error can name the kernel that is needed.
 */
static int explain_einval(struct create_ctx *c, int dev)
{
	uint64_t without = c->rec->pt_flags & ~NEW_FLAGS_2026;
	int fd;

	if (without != c->rec->pt_flags) {
		fd = create_v2(c, dev, without);
		if (fd >= 0) {
			device_close(c->ops, fd);
			return set_error(c->err, -EOPNOTSUPP,
					 "this kernel has CPU-feature banks (Linux 6.19) but no "
					 "nested-virtualization or SMT partition flags; they need "
					 "the February 2026 driver");
		}
	}
	return set_error(c->err, -EINVAL,
			 "the kernel or the hypervisor rejected the partition (EINVAL); "
			 "flags 0x%llx, disabled banks 0x%llx 0x%llx, disabled xsave 0x%llx",
			 (unsigned long long)c->rec->pt_flags,
			 (unsigned long long)c->rec->masks.disabled_banks[0],
			 (unsigned long long)c->rec->masks.disabled_banks[1],
			 (unsigned long long)c->rec->masks.disabled_xsave);
}

static int refused(struct create_ctx *c, int ret)
{
	const struct mshvcpu_feature *sole[2];
	size_t n = 0;

	if (c->host_known)
		n = mshvcpu_refusal_warnings(&c->rec->requested, &c->offered, sole,
					     ARRAY_SIZE(sole));
	if (n)
		return set_error(c->err, ret,
				 "the hypervisor refused the partition (%s); real hosts refuse "
				 "a request that disables only %s: disable it together with "
				 "another feature, or keep it", strerror(-ret), sole[0]->name);
	return set_error(c->err, ret, "creating the partition: %s", strerror(-ret));
}

static int read_back(struct create_ctx *c, int pfd)
{
	static const struct {
		uint32_t code;
		enum mshvcpu_word word;
	} props[] = {
		{ HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0, MSHVCPU_WORD_BANK0 },
		{ HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1, MSHVCPU_WORD_BANK1 },
		{ HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES, MSHVCPU_WORD_XSAVE },
	};
	struct mshvcpu_partition_record *rec = c->rec;
	uint64_t value;
	uint16_t status;
	unsigned int w;
	size_t i;
	int ret;

	ret = device_get_property(c->ops, pfd, HV_PARTITION_PROPERTY_PROCESSOR_VENDOR,
				  &value, &status);
	if (ret)
		goto fail;
	mshvcpu_featureset_init(&rec->effective, vendor_from_hv(value));
	/*
	 * A vendor-neutral profile (x86-64-v3) was requested of this vendor's
	 * partition; the record carries one vendor so that it reads back as
	 * it was written.
	 */
	if (rec->requested.vendor == MSHVCPU_VENDOR_ANY)
		rec->requested.vendor = rec->effective.vendor;
	for (i = 0; i < ARRAY_SIZE(props); i++) {
		ret = device_get_property(c->ops, pfd, props[i].code, &value, &status);
		if (ret)
			goto fail;
		rec->effective.enabled[props[i].word] = value;
	}
	/* Bank 2 cannot be read back: only what we disabled is known. */
	rec->effective.known[MSHVCPU_WORD_BANK2] =
		rec->masks.set_bank2 ? rec->masks.disabled_bank2 : 0;
	rec->effective.enabled[MSHVCPU_WORD_BANK2] = 0;

	if (!device_get_property(c->ops, pfd, HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE,
				 &value, NULL))
		rec->max_xsave_data_size = (uint32_t)value;
	if (!device_get_property(c->ops, pfd, HV_PARTITION_PROPERTY_XSAVE_STATES,
				 &value, NULL))
		rec->xsave_states = value;

	/* Requested, named in the revision, and known not to have arrived. */
	mshvcpu_featureset_init(&rec->dropped, rec->effective.vendor);
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++)
		rec->dropped.enabled[w] = rec->requested.enabled[w] &
					  catalogue_feature_mask(w, rec->revision) &
					  rec->effective.known[w] & ~rec->effective.enabled[w];
	return 0;
fail:
	return set_error(c->err, ret, "reading back the partition's features: %s "
			 "(hypervisor status 0x%x)", strerror(-ret), status);
}

/*
 * What the create asks for, in @c->rec: the spec, revision, policy and
 * flags, the features requested (after the flags' and the base request's
 * rules) and the masks. 0 or -errno with @c->err filled.
 */
static int build_request(struct create_ctx *c, const struct mshvcpu_profile *profile,
			 const struct mshvcpu_create_opts *opts)
{
	struct mshvcpu_partition_record *rec = c->rec;
	int w;

	rec->spec = strdup(profile->spec);
	if (!rec->spec)
		return set_error(c->err, -ENOMEM, "out of memory");
	rec->revision = revision_resolve(OPTS_GET(opts, revision, profile->revision));
	rec->policy = OPTS_GET(opts, policy, MSHVCPU_POLICY_FORWARD_COMPATIBLE);
	if ((unsigned int)rec->policy >= MSHVCPU_POLICY_COUNT)
		return set_error(c->err, -EINVAL, "unknown policy %d", rec->policy);
	rec->create_flags = OPTS_GET(opts, flags, 0U);
	rec->pt_flags = pt_flags_for(rec->create_flags);
	if (c->base)
		rec->pt_flags |= c->base->pt_flags & ~(1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES);
	rec->requested = profile->features;
	/* Nested virtualization needs the flag *and* bank 1's nested_virt. */
	if (rec->create_flags & MSHVCPU_CREATE_NESTED)
		mshvcpu_deps_enable(&rec->requested, catalogue_by_id(HV_FEATURE_ID_nested_virt),
				    NULL, 0);
	/*
	 * What the base request disables stays disabled, and so do the
	 * features that depend on it: the hypervisor refuses a partition
	 * that keeps a feature without its prerequisite.
	 */
	if (c->base)
		base_disable(c);
	mshvcpu_masks_from_enabled(&rec->requested, rec->policy, rec->revision, &rec->masks);
	/* Its bits no revision names go as it sent them. */
	if (c->base) {
		for (w = 0; w < 2; w++)
			rec->masks.disabled_banks[w] |= c->base->disabled_banks[w];
		rec->masks.disabled_xsave |= c->base->disabled_xsave;
	}
	return 0;
}

int mshvcpu_partition_create(const struct mshvcpu_profile *profile,
			     const struct mshvcpu_create_opts *opts, int *partition_fd,
			     struct mshvcpu_partition_record *rec, struct mshvcpu_error *err)
{
	struct create_ctx c = { .rec = rec, .err = err };
	bool enforce = OPTS_GET(opts, enforce, false);
	uint16_t status = 0;
	int dev, pfd = -1, ret;

	if (partition_fd)
		*partition_fd = -1;
	if (!profile || !partition_fd || !rec)
		return set_error(err, -EINVAL, "profile, partition_fd and record are required");
	if (!OPTS_VALID(opts))
		return set_error(err, -EINVAL, "mshvcpu_create_opts: unknown non-zero fields");
	memset(rec, 0, sizeof(*rec));
	c.ops = device_ops_or_default(OPTS_GET(opts, ops, NULL));
	c.device = OPTS_GET(opts, device, "/dev/mshv");
	c.base = OPTS_GET(opts, base, NULL);

	ret = build_request(&c, profile, opts);
	if (ret)
		goto fail;

	dev = device_open(c.ops, c.device);
	if (dev < 0) {
		ret = set_error(err, dev, "%s: %s%s", c.device, strerror(-dev),
				dev == -ENOENT ? " (not a Microsoft Hypervisor root partition, "
						 "or mshv_root is not loaded)" : "");
		goto fail;
	}
	read_offer(&c, dev);
	ret = preflight(&c);
	if (!ret)
		ret = host_can_give(&c, enforce);
	if (ret)
		goto close_dev;

	if (c.self_hvcall) {
		pfd = create_v2(&c, dev, rec->pt_flags);
		rec->pt_flags |= 1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES;
		if (pfd == -EINVAL) {
			rec->pt_flags &= ~(1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES);
			ret = explain_einval(&c, dev);
			goto close_dev;
		}
	} else {
		ret = v1_allowed(&c, OPTS_GET(opts, allow_v1_fallback, false));
		if (ret)
			goto close_dev;
		pfd = create_v1(&c, dev);
		/* The record says what was sent: the v1 struct disables nothing. */
		memset(&rec->masks, 0, sizeof(rec->masks));
	}
	if (pfd < 0) {
		ret = refused(&c, pfd);
		goto close_dev;
	}

	if (rec->masks.set_bank2) {
		ret = device_set_property(c.ops, pfd,
					  HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX,
					  rec->masks.disabled_bank2, &status);
		if (ret) {
			set_error(err, ret, "setting bank 2 (early property 0x%x) before "
				  "initialization: %s (hypervisor status 0x%x)",
				  HV_PARTITION_PROPERTY_DISABLED_PROCESSOR_FEATURES_EX,
				  strerror(-ret), status);
			goto close_partition;
		}
	}
	if (!OPTS_GET(opts, no_initialize, false)) {
		ret = device_ioctl(c.ops, pfd, MSHV_INITIALIZE_PARTITION, NULL);
		if (ret) {
			set_error(err, ret, "initializing the partition: %s", strerror(-ret));
			goto close_partition;
		}
	}
	ret = read_back(&c, pfd);
	if (!ret && enforce)
		ret = nothing_dropped(&c);
	if (ret)
		goto close_partition;

	device_close(c.ops, dev);
	*partition_fd = pfd;
	return 0;

close_partition:
	device_close(c.ops, pfd);
close_dev:
	device_close(c.ops, dev);
fail:
	mshvcpu_partition_record_clear(rec);
	return ret;
}

void mshvcpu_partition_record_clear(struct mshvcpu_partition_record *rec)
{
	if (!rec)
		return;
	free(rec->spec);
	memset(rec, 0, sizeof(*rec));
}

_Static_assert(sizeof(((struct mshvcpu_create_request *)0)->v2) ==
	       sizeof(struct mshv_create_partition_v2), "the v2 struct's bytes");

int mshvcpu_create_request(const struct mshvcpu_profile *profile,
			   const struct mshvcpu_create_opts *opts,
			   struct mshvcpu_create_request *out, struct mshvcpu_error *err)
{
	struct mshvcpu_partition_record rec = { 0 };
	struct create_ctx c = { .rec = &rec, .err = err };
	struct mshv_create_partition_v2 args;
	int ret;

	if (!profile || !out)
		return set_error(err, -EINVAL, "profile and out are required");
	if (!OPTS_VALID(opts))
		return set_error(err, -EINVAL, "mshvcpu_create_opts: unknown non-zero fields");
	c.base = OPTS_GET(opts, base, NULL);
	ret = build_request(&c, profile, opts);
	if (!ret) {
		memset(out, 0, sizeof(*out));
		fill_v2(&c, rec.pt_flags, &args);
		out->pt_flags = args.pt_flags;
		out->masks = rec.masks;
		out->requested = rec.requested;
		out->revision = rec.revision;
		out->policy = rec.policy;
		memcpy(out->v2, &args, sizeof(args));
	}
	mshvcpu_partition_record_clear(&rec);
	return ret;
}
