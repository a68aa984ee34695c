// SPDX-License-Identifier: MIT
/* One rewritten partition create (apply_core.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "apply_core.h"
#include "notify.h"

#define V2_BIT		(1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES)

static bool all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

int apply_read_request(pid_t pid, uint64_t addr, struct apply_request *r)
{
	memset(r, 0, sizeof(*r));
	if (notify_read(pid, addr, &r->args, sizeof(struct mshv_create_partition)))
		return -EFAULT;
	r->v2 = r->args.pt_flags & V2_BIT;
	if (!r->v2)
		return 0;
	if (notify_read(pid, addr, &r->args, sizeof(r->args)))
		return -EFAULT;
	if (r->args.pt_num_cpu_fbanks != MSHV_NUM_CPU_FEATURES_BANKS ||
	    !all_zero(r->args.pt_rsvd, sizeof(r->args.pt_rsvd)) ||
	    !all_zero(r->args.pt_rsvd1, sizeof(r->args.pt_rsvd1)))
		return -EINVAL;
#if !defined(__x86_64__)
	if (r->args.pt_rsvd2)
		return -EINVAL;
#endif
	return 0;
}

static uint64_t asked_xsave(const struct apply_request *r)
{
#if defined(__x86_64__)
	return r->v2 ? r->args.pt_disabled_xsave : 0;
#else
	(void)r;
	return 0;
#endif
}

/* --- the record ------------------------------------------------------------------- */

static struct json_object *hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%016llx", (unsigned long long)v);
	return json_object_new_string(buf);
}

static struct json_object *request_json(bool v2, uint64_t pt_flags, uint64_t isolation,
					uint64_t bank0, uint64_t bank1, uint64_t xsave)
{
	struct json_object *o = json_object_new_object(), *b = json_object_new_array();

	json_object_object_add(o, "struct", json_object_new_string(v2 ? "v2" : "v1"));
	json_object_object_add(o, "pt_flags", hex(pt_flags));
	json_object_object_add(o, "isolation", json_object_new_int64((int64_t)isolation));
	json_object_array_add(b, hex(bank0));
	json_object_array_add(b, hex(bank1));
	json_object_object_add(o, "disabled_processor_features", b);
	json_object_object_add(o, "disabled_xsave", hex(xsave));
	return o;
}

struct outcome {
	const char *result;		/* "applied", "passed-through", "refused" */
	const struct mshvcpu_partition_record *rec;	/* unless refused */
	int fd;				/* the VMM's new descriptor */
	const char *error;
};

static void note(const struct apply_config *cfg, pid_t pid, const struct apply_request *r,
		 const struct outcome *o)
{
	const struct mshvcpu_masks *m;

	if (!cfg->notes)
		return;
	if (!o->rec) {
		fprintf(cfg->notes, "mshvcpu: apply: pid %d: create refused\n", pid);
		return;
	}
	m = &o->rec->masks;
	fprintf(cfg->notes, "mshvcpu: apply: pid %d: %s create %s: flags 0x%llx, disabled "
		"0x%016llx 0x%016llx, xsave 0x%016llx%s\n", pid, r && r->v2 ? "v2" : "v1",
		o->result, (unsigned long long)o->rec->pt_flags,
		(unsigned long long)m->disabled_banks[0], (unsigned long long)m->disabled_banks[1],
		(unsigned long long)m->disabled_xsave, m->set_bank2 ? ", bank 2 set" : "");
}

static void record(const struct apply_config *cfg, pid_t pid, const struct apply_request *r,
		   const struct outcome *o)
{
	struct json_object *doc;
	time_t now = time(NULL);
	char when[32];
	struct tm tm;

	note(cfg, pid, r, o);
	if (!cfg->log)
		return;
	doc = json_object_new_object();
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(doc, "schema", json_object_new_string("mshvcpu-apply/1"));
	json_object_object_add(doc, "time", json_object_new_string(when));
	json_object_object_add(doc, "pid", json_object_new_int(pid));
	json_object_object_add(doc, "profile",
			       json_object_new_string(mshvcpu_profile_spec(cfg->profile)));
	json_object_object_add(doc, "profile_sha256", json_object_new_string(cfg->digest));
	json_object_object_add(doc, "policy",
			       json_object_new_string(mshvcpu_policy_name(cfg->policy)));
	json_object_object_add(doc, "asked", !r ? NULL :
			       request_json(r->v2, r->args.pt_flags, r->args.pt_isolation,
					    r->v2 ? r->args.pt_cpu_fbanks[0] : 0,
					    r->v2 ? r->args.pt_cpu_fbanks[1] : 0, asked_xsave(r)));
	json_object_object_add(doc, "result", json_object_new_string(o->result));
	if (o->rec) {
		const struct mshvcpu_masks *m = &o->rec->masks;
		struct json_object *sent = request_json(o->rec->create_struct == MSHVCPU_CREATE_V2,
							o->rec->pt_flags,
							r ? r->args.pt_isolation : 0,
							m->disabled_banks[0], m->disabled_banks[1],
							m->disabled_xsave);

		json_object_object_add(sent, "disabled_bank2",
				       m->set_bank2 ? hex(m->disabled_bank2) : NULL);
		json_object_object_add(doc, "sent", sent);
		json_object_object_add(doc, "fd", json_object_new_int(o->fd));
	}
	json_object_object_add(doc, "error", o->error ? json_object_new_string(o->error) : NULL);
	/* One write a line: processes sharing the log never split one. */
	fprintf(cfg->log, "%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(cfg->log);
	json_object_put(doc);
}

/* --- one create ------------------------------------------------------------------- */

long apply_refuse(const struct apply_config *cfg, pid_t pid, const struct apply_request *r,
		  int err, const char *why)
{
	struct outcome o = { .result = "refused", .fd = -1, .error = why };

	/* Never quiet: the VMM may report no more than the errno. */
	fprintf(stderr, "mshvcpu: apply: pid %d: partition create refused: %s\n", pid, why);
	record(cfg, pid, r, &o);
	return err;
}

long apply_create(const struct apply_config *cfg, pid_t pid, const struct apply_request *r,
		  const struct mshvcpu_device_ops *ops, int (*install)(void *ctx, int pfd),
		  void *ctx)
{
	struct mshvcpu_create_base base = {
		.pt_flags = r->args.pt_flags & ~V2_BIT,
		.isolation = r->args.pt_isolation,
		.disabled_banks = { r->v2 ? r->args.pt_cpu_fbanks[0] : 0,
				    r->v2 ? r->args.pt_cpu_fbanks[1] : 0 },
		.disabled_xsave = asked_xsave(r),
	};
	MSHVCPU_OPTS(mshvcpu_create_opts, opts, .policy = cfg->policy, .revision = cfg->revision,
		     .no_initialize = true, .enforce = true, .base = &base, .ops = ops,
		     /* Only the VMM's own v1 request may pass through unchanged. */
		     .allow_v1_fallback = cfg->allow_v1 && !r->v2);
	struct outcome o = { .result = "applied" };
	struct mshvcpu_partition_record rec;
	struct mshvcpu_error err = { 0 };
	int ret, pfd;

	ret = mshvcpu_partition_create(cfg->profile, &opts, &pfd, &rec, &err);
	if (ret)
		return apply_refuse(cfg, pid, r, ret, err.message);
	o.rec = &rec;
	if (rec.create_struct == MSHVCPU_CREATE_V1) {
		o.result = "passed-through";
		fprintf(stderr, "mshvcpu: apply: pid %d: this kernel has no CPU-feature banks "
			"(before Linux 6.19): the create passed through unchanged and nothing of "
			"%s was applied (--allow-v1)\n", pid, mshvcpu_profile_spec(cfg->profile));
	}
	o.fd = install(ctx, pfd);
	if (o.fd < 0) {
		ret = o.fd;
		mshvcpu_partition_record_clear(&rec);
		return apply_refuse(cfg, pid, r, ret, "the new partition could not be handed over");
	}
	record(cfg, pid, r, &o);
	mshvcpu_partition_record_clear(&rec);
	return o.fd;
}
