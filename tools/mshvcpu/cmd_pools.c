// SPDX-License-Identifier: MIT
/*
 * mshvcpu pools HOST...: hosts with identical offers form a pool; for any
 * two pools, what a merged pool would lose. Hosts are hashed by their offer,
 * so memory grows with the number of distinct offers, not of hosts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

struct pool {
	struct mshvcpu_featureset offer;
	uint64_t hash;
	size_t hosts;
	uint32_t min_xsave;
	char **names;		/* the first few */
	size_t nnames, names_cap;
};

struct pools {
	struct pool *slots;	/* open addressing; offer.vendor == COUNT marks empty */
	size_t cap, used;
	size_t max_names;
};

/*
 * Offers are hashed with SipHash-2-4 under a key drawn at random for each
 * run. Offers come from records anyone can write; under a fixed hash,
 * offers crafted to share a hash all landed in one probe chain and made
 * grouping quadratic (160,000 records: 46 s). Without the key, nobody can
 * choose offers that collide.
 */
static uint64_t sip_key[2];

static void sip_seed(void)
{
	if (getrandom(sip_key, sizeof(sip_key), GRND_NONBLOCK) == (ssize_t)sizeof(sip_key))
		return;
	/* No entropy yet (early boot): still unknown to whoever wrote the records. */
	sip_key[0] = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)&sip_key;
	sip_key[1] = (uint64_t)getpid() * 0xc2b2ae3d27d4eb4fULL ^ (uint64_t)clock();
}

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static void sip_rounds(uint64_t v[4], int n)
{
	while (n--) {
		v[0] += v[1];
		v[1] = ROTL(v[1], 13) ^ v[0];
		v[0] = ROTL(v[0], 32);
		v[2] += v[3];
		v[3] = ROTL(v[3], 16) ^ v[2];
		v[0] += v[3];
		v[3] = ROTL(v[3], 21) ^ v[0];
		v[2] += v[1];
		v[1] = ROTL(v[1], 17) ^ v[2];
		v[2] = ROTL(v[2], 32);
	}
}

/* SipHash-2-4 of @n 64-bit words (as their little-endian bytes would be). */
static uint64_t siphash(const uint64_t *m, size_t n)
{
	uint64_t v[4] = {
		sip_key[0] ^ 0x736f6d6570736575ULL, sip_key[1] ^ 0x646f72616e646f6dULL,
		sip_key[0] ^ 0x6c7967656e657261ULL, sip_key[1] ^ 0x7465646279746573ULL,
	};
	uint64_t last = (uint64_t)(n * 8) << 56;
	size_t i;

	for (i = 0; i < n; i++) {
		v[3] ^= m[i];
		sip_rounds(v, 2);
		v[0] ^= m[i];
	}
	v[3] ^= last;
	sip_rounds(v, 2);
	v[0] ^= last;
	v[2] ^= 0xff;
	sip_rounds(v, 4);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static uint64_t hash_offer(const struct mshvcpu_featureset *s)
{
	uint64_t m[1 + 2 * MSHVCPU_WORD_COUNT];
	unsigned int w;

	m[0] = (uint64_t)s->vendor;
	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		m[1 + 2 * w] = s->enabled[w];
		m[2 + 2 * w] = s->known[w];
	}
	return siphash(m, ARRAY_SIZE(m));
}

static int grow(struct pools *p)
{
	size_t cap = p->cap ? p->cap * 2 : 64, i;
	struct pool *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < cap; i++)
		slots[i].offer.vendor = MSHVCPU_VENDOR_COUNT;
	for (i = 0; i < p->cap; i++) {
		size_t k;

		if (p->slots[i].offer.vendor == MSHVCPU_VENDOR_COUNT)
			continue;
		for (k = p->slots[i].hash & (cap - 1);
		     slots[k].offer.vendor != MSHVCPU_VENDOR_COUNT; k = (k + 1) & (cap - 1))
			;
		slots[k] = p->slots[i];
	}
	free(p->slots);
	p->slots = slots;
	p->cap = cap;
	return 0;
}

/* 0 or -ENOMEM: the reader reports it, with where the record was. */
static int add_host(void *ctx, const struct mshvcpu_host *host, struct mshvcpu_error *err)
{
	struct pools *p = ctx;
	uint64_t h = hash_offer(&host->offered);
	struct pool *slot;
	size_t k;

	(void)err;
	if ((p->used + 1) * 4 > p->cap * 3 && grow(p))
		goto oom;
	for (k = h & (p->cap - 1);; k = (k + 1) & (p->cap - 1)) {
		slot = &p->slots[k];
		if (slot->offer.vendor == MSHVCPU_VENDOR_COUNT) {
			slot->offer = host->offered;
			slot->hash = h;
			slot->min_xsave = host->max_xsave_data_size;
			p->used++;
			break;
		}
		if (slot->hash == h && mshvcpu_featureset_equal(&slot->offer, &host->offered))
			break;
	}
	slot->hosts++;
	if (host->max_xsave_data_size && host->max_xsave_data_size < slot->min_xsave)
		slot->min_xsave = host->max_xsave_data_size;
	if (slot->nnames < p->max_names) {
		if (slot->nnames == slot->names_cap) {
			/* Doubling: -n 1000000 over one pool stays linear. */
			size_t cap = slot->names_cap ? slot->names_cap * 2 : 4;
			char **grown = realloc(slot->names, cap * sizeof(*grown));

			if (!grown)
				goto oom;
			slot->names = grown;
			slot->names_cap = cap;
		}
		if (!(slot->names[slot->nnames] = strdup(host->name)))
			goto oom;
		slot->nnames++;
	}
	return 0;
oom:
	return -ENOMEM;
}

static int by_size(const void *a, const void *b)
{
	const struct pool *x = *(struct pool *const *)a, *y = *(struct pool *const *)b;

	int c;

	if (x->hosts != y->hosts)
		return x->hosts < y->hosts ? 1 : -1;
	/* Ties: by the whole offer, so the order never depends on the hash key. */
	if (x->offer.vendor != y->offer.vendor)
		return x->offer.vendor < y->offer.vendor ? -1 : 1;
	c = memcmp(&x->offer.enabled, &y->offer.enabled, sizeof(x->offer.enabled));
	return c ? c : memcmp(&x->offer.known, &y->offer.known, sizeof(x->offer.known));
}

static bool same_vendor(const struct pool *a, const struct pool *b)
{
	return a->offer.vendor == b->offer.vendor || a->offer.vendor == MSHVCPU_VENDOR_ANY ||
	       b->offer.vendor == MSHVCPU_VENDOR_ANY;
}

static int cmd_pools(struct cli *cli, int argc, char **argv)
{
	enum mshvcpu_revision rev = MSHVCPU_REV_DEFAULT;
	struct pools p = { .max_names = 5 };
	struct host_sink sink = { .host = add_host, .ctx = &p };
	struct json_object *jpools = NULL, *jpairs = NULL;
	struct pool **order = NULL;
	FILE *line = NULL;	/* one text line, then wrapped */
	char *text = NULL;
	size_t count, i, j, k, max_pairs = 16, npools, size = 0;
	int opt, ret;
	char *end;

	while ((opt = cli_getopt(cli, &command_pools, argc, argv)) != CLI_END) {
		switch (opt) {
		case OPT_MAX_NAMES:
		case OPT_MAX_PAIRS: {
			unsigned long v = strtoul(optarg, &end, 10);

			if (!*optarg || *end || v > 1000000)
				return cli_usage(cli, "pools", "--%s takes a number up to 1000000",
						 cli_options[opt].name);
			if (opt == OPT_MAX_NAMES)
				p.max_names = v;
			else
				max_pairs = v;
			break;
		}
		case OPT_REVISION:
			ret = parse_revision(cli, "pools", optarg, &rev);
			if (ret)
				return ret;
			break;
		default:
			return cli_stop(opt);
		}
	}
	sip_seed();
	if (grow(&p))
		return cli_fail(cli, EXIT_RUNTIME, "pools", "out of memory");
	ret = read_hosts(cli, "pools", argc - optind, argv + optind, &sink, &count);
	if (ret)
		goto out;
	if (!count) {
		ret = cli_fail(cli, EXIT_RUNTIME, "pools", "no host records in the input");
		goto out;
	}
	npools = p.used;
	order = calloc(npools, sizeof(*order));
	if (!order) {
		ret = cli_fail(cli, EXIT_RUNTIME, "pools", "out of memory");
		goto out;
	}
	for (i = 0, k = 0; i < p.cap; i++)
		if (p.slots[i].offer.vendor != MSHVCPU_VENDOR_COUNT)
			order[k++] = &p.slots[i];
	qsort(order, npools, sizeof(*order), by_size);

	jpools = json_object_new_array();
	jpairs = json_object_new_array();
	if (!cli_json(cli))
		cli_kv(cli, 6, "hosts", "%zu in %zu pool%s", count, npools, npools == 1 ? "" : "s");
	for (i = 0; i < npools; i++) {
		struct pool *pl = order[i];
		char words[128];

		mshvcpu_featureset_format_words(&pl->offer, words, sizeof(words));
		if (cli_json(cli)) {
			struct json_object *o = json_object_new_object(), *names = json_object_new_array();

			for (j = 0; j < pl->nnames; j++)
				json_object_array_add(names, json_object_new_string(pl->names[j]));
			json_object_object_add(o, "pool", json_object_new_int64((int64_t)i + 1));
			json_object_object_add(o, "hosts", json_object_new_int64((int64_t)pl->hosts));
			json_object_object_add(o, "names", names);
			json_object_object_add(o, "words", cli_json_words(&pl->offer));
			json_object_object_add(o, "literal", json_object_new_string(words));
			json_object_object_add(o, "max_xsave_data_size", pl->min_xsave ?
					       json_object_new_int64(pl->min_xsave) : NULL);
			json_object_object_add(o, "count", json_object_new_int64((int64_t)
					       cli_count(&pl->offer, rev, MSHVCPU_ENABLED)));
			json_object_array_add(jpools, o);
			continue;
		}
		if (!line)
			line = open_memstream(&text, &size);
		if (!line) {
			ret = cli_fail(cli, EXIT_RUNTIME, "pools", "out of memory");
			goto out;
		}
		/* Long lines wrap: the words on a line of their own if need be. */
		rewind(line);
		fprintf(line, "%spool %zu%s: %zu host%s, %zu features, %s", cli_color(cli, C_BOLD),
			i + 1, cli_color(cli, C_RESET), pl->hosts, pl->hosts == 1 ? "" : "s",
			cli_count(&pl->offer, rev, MSHVCPU_ENABLED), words);
		fputc('\0', line);
		fflush(line);
		putchar('\n');
		cli_wrap(stdout, 0, 2, text);
		rewind(line);
		fputs("  hosts:", line);
		for (j = 0; j < pl->nnames; j++) {
			fputc(' ', line);
			cli_put_text(line, pl->names[j]);
		}
		if (pl->hosts > pl->nnames)
			fprintf(line, " ... (%zu more)", pl->hosts - pl->nnames);
		fputc('\0', line);
		fflush(line);
		cli_wrap(stdout, 0, 4, text);
	}
	if (!cli_json(cli) && npools > 1)
		printf("\n%smerging two pools loses%s\n", cli_color(cli, C_BOLD), cli_color(cli, C_RESET));
	for (i = 0; i < npools && i < max_pairs; i++) {
		for (j = i + 1; j < npools && j < max_pairs; j++) {
			struct mshvcpu_featureset merged, lost_i, lost_j;
			struct json_object *o;

			if (!same_vendor(order[i], order[j])) {
				if (cli_json(cli)) {
					o = json_object_new_object();
					json_object_object_add(o, "a", json_object_new_int64((int64_t)i + 1));
					json_object_object_add(o, "b", json_object_new_int64((int64_t)j + 1));
					json_object_object_add(o, "mergeable", json_object_new_boolean(0));
					json_object_array_add(jpairs, o);
				} else {
					printf("  pools %zu+%zu: cannot merge (vendors differ)\n", i + 1, j + 1);
				}
				continue;
			}
			mshvcpu_featureset_and(&merged, &order[i]->offer, &order[j]->offer);
			mshvcpu_featureset_minus(&lost_i, &order[i]->offer, &merged);
			mshvcpu_featureset_minus(&lost_j, &order[j]->offer, &merged);
			if (cli_json(cli)) {
				o = json_object_new_object();
				json_object_object_add(o, "a", json_object_new_int64((int64_t)i + 1));
				json_object_object_add(o, "b", json_object_new_int64((int64_t)j + 1));
				json_object_object_add(o, "mergeable", json_object_new_boolean(1));
				json_object_object_add(o, "a_loses",
						       cli_json_features(&lost_i, rev, MSHVCPU_ENABLED));
				json_object_object_add(o, "b_loses",
						       cli_json_features(&lost_j, rev, MSHVCPU_ENABLED));
				json_object_array_add(jpairs, o);
				continue;
			}
			printf("  pools %zu+%zu:\n", i + 1, j + 1);
			printf("    pool %zu loses %zu\n", i + 1, cli_count(&lost_i, rev, MSHVCPU_ENABLED));
			cli_print_features(cli, &lost_i, rev, MSHVCPU_ENABLED, "      ");
			printf("    pool %zu loses %zu\n", j + 1, cli_count(&lost_j, rev, MSHVCPU_ENABLED));
			cli_print_features(cli, &lost_j, rev, MSHVCPU_ENABLED, "      ");
		}
	}
	if (cli_json(cli)) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "hosts", json_object_new_int64((int64_t)count));
		json_object_object_add(doc, "revision", json_object_new_string(mshvcpu_revision_name(rev)));
		json_object_object_add(doc, "pools", jpools);
		json_object_object_add(doc, "pairs", jpairs);
		cli_print_json(cli, "mshvcpu-pools/1", doc);
		jpools = jpairs = NULL;
	}
	ret = EXIT_YES;
out:
	if (line)
		fclose(line);
	free(text);
	json_object_put(jpools);
	json_object_put(jpairs);
	free(order);
	for (i = 0; i < p.cap; i++) {
		for (j = 0; j < p.slots[i].nnames; j++)
			free(p.slots[i].names[j]);
		free(p.slots[i].names);
	}
	free(p.slots);
	return ret;
}

static const struct cli_use options[] = {
	{ OPT_MAX_NAMES, NULL },
	{ OPT_MAX_PAIRS, NULL },
	{ OPT_REVISION, "names from REV (default hv-2026)" },
	{ OPT_COUNT, NULL },
};

const struct command command_pools = {
	.name = "pools",
	.run = cmd_pools,
	.summary = "group hosts into migration pools",
	.usage = "[OPTIONS] HOST...",
	.about = "Group hosts into migration pools: hosts whose offers are identical share a "
		 "pool (a guest moves freely inside it). For each pair of pools, show what each "
		 "would lose if they were merged into one (their common baseline).\n"
		 "HOST is read as by `mshvcpu baseline` (files, .jsonl streams, directories, "
		 "models, words, specs, or - for JSON Lines on stdin).",
	.opts = options,
	.examples = (const char *const[]){
		"mshvcpu pools records/",
		"mshvcpu pools mshv-skylake-sp whp-skylake-sp mshv-icelake-sp-azure",
		NULL,
	},
};
