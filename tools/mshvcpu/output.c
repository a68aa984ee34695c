// SPDX-License-Identifier: MIT
/*
 * One output layer for every subcommand: JSON (json-c) or aligned text
 * from the same code path, errors as one stderr line, colour only on a
 * terminal and never with NO_COLOR.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/*
 * An error is one stderr line. In JSON mode stdout also gets an error
 * document, so a script reading stdout never mistakes silence for success.
 */
static void verr(const struct cli *cli, int status, const char *prefix, const char *fmt,
		 va_list ap) __attribute__((format(printf, 4, 0)));
static void verr(const struct cli *cli, int status, const char *prefix, const char *fmt,
		 va_list ap)
{
	char line[1024], full[1300];

	vsnprintf(line, sizeof(line), fmt, ap);
	/* One line, whatever the message holds. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	snprintf(full, sizeof(full), "%s%s", prefix, line);
	fprintf(stderr, "mshvcpu: %s\n", full);
	if (cli && status && cli->mode != OUT_TEXT) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "schema", json_object_new_string("mshvcpu-error/1"));
		json_object_object_add(doc, "error", json_object_new_string(full));
		json_object_object_add(doc, "status", json_object_new_int(status));
		puts(json_object_to_json_string_ext(doc, cli->mode == OUT_JSON_PRETTY ?
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE :
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
	}
}

int cli_fail(struct cli *cli, int status, const char *what, const char *fmt, ...)
{
	char prefix[256];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "%s: ", what);
	va_start(ap, fmt);
	verr(cli, status, prefix, fmt, ap);
	va_end(ap);
	return status;
}

int cli_fail_lib(struct cli *cli, int status, const char *what,
		 const struct mshvcpu_error *err, int code)
{
	if (err && err->message[0]) {
		if (err->source[0] && err->line)
			return cli_fail(cli, status, what, "%s:%u:%u: %s", err->source,
					err->line, err->column, err->message);
		return cli_fail(cli, status, what, "%s", err->message);
	}
	return cli_fail(cli, status, what, "%s", strerror(code < 0 ? -code : code));
}

int cli_spec_status(const struct mshvcpu_error *err, int code)
{
	/* A bad spec is a usage error; a bad or unreadable file it names is not. */
	if (code == -EINVAL && (!err->source[0] || strcmp(err->source, "spec") == 0))
		return EXIT_USAGE;
	return EXIT_RUNTIME;
}

int cli_usage(struct cli *cli, const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cli_fail(cli, EXIT_USAGE, cmd, "%s (see 'mshvcpu %s --help')", msg, cmd);
}

void cli_warn(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(cli, 0, "warning: ", fmt, ap);
	va_end(ap);
}

bool cli_common_option(struct cli *cli, int opt)
{
	switch (opt) {
	case 'j':
		if (cli->mode == OUT_TEXT)
			cli->mode = OUT_JSON;
		return true;
	case 'p':
		cli->mode = OUT_JSON_PRETTY;
		return true;
	case 0x100:
		cli->color = false;
		cli->color_forced_off = true;
		return true;
	default:
		return false;
	}
}

bool cli_json(const struct cli *cli)
{
	return cli->mode != OUT_TEXT;
}

void cli_print_json(struct cli *cli, const char *schema, struct json_object *obj)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	struct json_object *doc = json_object_new_object();

	/* Schema first, then the command's members in their order. */
	json_object_object_add(doc, "schema", json_object_new_string(schema));
	json_object_object_foreach(obj, key, val)
		json_object_object_add(doc, key, json_object_get(val));
	json_object_put(obj);
	flags |= cli->mode == OUT_JSON_PRETTY ?
		 (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED) : JSON_C_TO_STRING_PLAIN;
	puts(json_object_to_json_string_ext(doc, flags));
	json_object_put(doc);
}

const char *cli_color(const struct cli *cli, const char *sgr)
{
	static const char *const codes[][2] = {
		{ C_BOLD, "\033[1m" }, { C_RED, "\033[31m" }, { C_GREEN, "\033[32m" },
		{ C_YELLOW, "\033[33m" }, { C_DIM, "\033[2m" }, { C_RESET, "\033[0m" },
	};
	size_t i;

	if (!cli->color)
		return "";
	for (i = 0; i < ARRAY_SIZE(codes); i++)
		if (strcmp(codes[i][0], sgr) == 0)
			return codes[i][1];
	return "";
}

void cli_kv(struct cli *cli, int width, const char *label, const char *fmt, ...)
{
	va_list ap;

	printf("%s%-*s%s ", cli_color(cli, C_BOLD), width, label, cli_color(cli, C_RESET));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void cli_print_wrapped(FILE *f, int indent, const char *const *words, size_t n)
{
	int col = indent;
	size_t i;

	fprintf(f, "%*s", indent, "");
	for (i = 0; i < n; i++) {
		int len = (int)strlen(words[i]);

		if (col > indent && col + 1 + len > 78) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		}
		if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fputs(words[i], f);
		col += len;
	}
	fputc('\n', f);
}

size_t cli_count(const struct mshvcpu_featureset *set, enum mshvcpu_revision rev,
		 enum mshvcpu_state state)
{
	const struct mshvcpu_feature *f = NULL;
	size_t n = 0;

	while ((f = mshvcpu_featureset_next(set, rev, state, f)))
		n++;
	return n;
}

void cli_print_features(struct cli *cli, const struct mshvcpu_featureset *set,
			enum mshvcpu_revision rev, enum mshvcpu_state state,
			const char *indent)
{
	static const enum mshvcpu_word order[] = {
		MSHVCPU_WORD_BANK0, MSHVCPU_WORD_BANK1, MSHVCPU_WORD_BANK2, MSHVCPU_WORD_XSAVE,
	};
	const char *names[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		const struct mshvcpu_feature *f = NULL;
		size_t n = 0;

		while ((f = mshvcpu_featureset_next(set, rev, state, f)))
			if (mshvcpu_feature_word(f) == order[i] && n < ARRAY_SIZE(names))
				names[n++] = mshvcpu_feature_name(f);
		if (!n)
			continue;
		printf("%s%s%s (%zu):%s\n", indent, cli_color(cli, C_BOLD),
		       mshvcpu_word_name(order[i]), n, cli_color(cli, C_RESET));
		cli_print_wrapped(stdout, (int)strlen(indent) + 2, names, n);
	}
}

struct json_object *cli_json_u64(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_object_new_string(buf);
}

struct json_object *cli_json_features(const struct mshvcpu_featureset *set,
				      enum mshvcpu_revision rev,
				      enum mshvcpu_state state)
{
	struct json_object *obj = json_object_new_object();
	unsigned int w;

	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		struct json_object *arr = json_object_new_array();
		const struct mshvcpu_feature *f = NULL;

		while ((f = mshvcpu_featureset_next(set, rev, state, f)))
			if (mshvcpu_feature_word(f) == w)
				json_object_array_add(arr,
					json_object_new_string(mshvcpu_feature_name(f)));
		json_object_object_add(obj, mshvcpu_word_name(w), arr);
	}
	return obj;
}

struct json_object *cli_json_words(const struct mshvcpu_featureset *set)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *enabled = json_object_new_object();
	struct json_object *known = json_object_new_object();
	unsigned int w;

	for (w = 0; w < MSHVCPU_WORD_COUNT; w++) {
		json_object_object_add(enabled, mshvcpu_word_name(w),
				       cli_json_u64(set->enabled[w]));
		json_object_object_add(known, mshvcpu_word_name(w),
				       cli_json_u64(set->known[w]));
	}
	json_object_object_add(obj, "vendor",
			       json_object_new_string(mshvcpu_vendor_name(set->vendor)));
	json_object_object_add(obj, "enabled", enabled);
	json_object_object_add(obj, "known", known);
	return obj;
}

/*
 * Tables
 */

struct table {
	size_t ncols;
	const char *const *headers;
	char **cells;		/* nrows * ncols, owned */
	size_t nrows, cap;
};

struct table *table_new(size_t ncols, const char *const *headers)
{
	struct table *t = calloc(1, sizeof(*t));

	if (t) {
		t->ncols = ncols;
		t->headers = headers;
	}
	return t;
}

void table_add(struct table *t, const char *const *cells)
{
	size_t i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		char **grown = realloc(t->cells, cap * t->ncols * sizeof(*grown));

		if (!grown)
			abort();	/* a table row is a few bytes: OOM here is fatal */
		t->cells = grown;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++) {
		char *c = strdup(cells[i] ? cells[i] : "");

		if (!c)
			abort();
		t->cells[t->nrows * t->ncols + i] = c;
	}
	t->nrows++;
}

/* The last column is not padded: no trailing blanks. */
static void table_cell(FILE *f, const char *text, size_t width, bool last)
{
	if (last)
		fputs(text, f);
	else
		fprintf(f, "%-*s  ", (int)width, text);
}

void table_print(struct cli *cli, struct table *t, FILE *f)
{
	size_t width[16] = { 0 }, r, c;

	for (c = 0; c < t->ncols && c < ARRAY_SIZE(width); c++) {
		width[c] = strlen(t->headers[c]);
		for (r = 0; r < t->nrows; r++) {
			size_t len = strlen(t->cells[r * t->ncols + c]);

			if (len > width[c])
				width[c] = len;
		}
	}
	fputs(cli_color(cli, C_BOLD), f);
	for (c = 0; c < t->ncols; c++)
		table_cell(f, t->headers[c], width[c], c + 1 == t->ncols);
	fprintf(f, "%s\n", cli_color(cli, C_RESET));
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++)
			table_cell(f, t->cells[r * t->ncols + c], width[c], c + 1 == t->ncols);
		fputc('\n', f);
	}
}

void table_free(struct table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

int write_file_atomic(const char *path, const char *data, size_t len)
{
	char *dir = strdup(path), *base = strdup(path), tmp[4096];
	size_t off = 0;
	int fd, ret = 0;

	if (!dir || !base) {
		free(dir);
		free(base);
		return -ENOMEM;
	}
	/* Same directory, so the rename cannot cross file systems. */
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dirname(dir), basename(base));
	free(dir);
	free(base);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		off += (size_t)n;
	}
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (!ret && fchmod(fd, 0644) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int parse_revision(struct cli *cli, const char *cmd, const char *arg,
		   enum mshvcpu_revision *rev)
{
	if (mshvcpu_revision_parse(arg, rev))
		return cli_usage(cli, cmd, "unknown revision '%s' (linux-6.19, hv-2026)", arg);
	return 0;
}

int parse_policy(struct cli *cli, const char *cmd, const char *arg,
		 enum mshvcpu_policy *policy)
{
	if (mshvcpu_policy_parse(arg, policy))
		return cli_usage(cli, cmd,
				 "unknown policy '%s' (forward-compatible, migration-safe)", arg);
	return 0;
}

int parse_create_flags(struct cli *cli, const char *cmd, const char *arg,
		       unsigned int *flags)
{
	static const struct {
		const char *name;
		unsigned int flag;
	} names[] = {
		{ "lapic", MSHVCPU_CREATE_LAPIC },
		{ "x2apic", MSHVCPU_CREATE_X2APIC },
		{ "gpa-super-pages", MSHVCPU_CREATE_GPA_SUPER_PAGES },
		{ "nested", MSHVCPU_CREATE_NESTED },
		{ "smt", MSHVCPU_CREATE_SMT },
	};
	char *copy = strdup(arg), *save = NULL, *tok;
	int ret = 0;
	size_t i;

	if (!copy)
		return cli_fail(cli, EXIT_RUNTIME, cmd, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (strcmp(tok, names[i].name) == 0)
				break;
		if (i == ARRAY_SIZE(names)) {
			ret = cli_usage(cli, cmd, "unknown partition flag '%s' "
					"(lapic, x2apic, gpa-super-pages, nested, smt)", tok);
			break;
		}
		*flags |= names[i].flag;
	}
	free(copy);
	return ret;
}

void cli_format_location(const struct mshvcpu_feature *f, enum mshvcpu_vendor vendor,
			 char *buf, size_t len)
{
	static const char *const regs[] = { "EAX", "EBX", "ECX", "EDX" };
	struct mshvcpu_cpuid_location loc;
	int cap = mshvcpu_feature_arch_cap_bit(f);

	if (cap >= 0)
		snprintf(buf, len, "MSR 0x10a[%d]", cap);
	else if (mshvcpu_feature_cpuid(f, vendor, &loc) == 0)
		snprintf(buf, len, "%x.%x %s[%u]", loc.leaf, loc.subleaf, regs[loc.reg], loc.bit);
	else
		snprintf(buf, len, "-");
}

int cli_bad_option(struct cli *cli, const char *cmd, int argc, char **argv)
{
	extern int optind, optopt;
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

	if (optopt && strncmp(arg, "--", 2) != 0)
		return cli_usage(cli, cmd, "unknown option or missing argument: -%c", optopt);
	return cli_usage(cli, cmd, "unknown option or missing argument: %s", arg);
}
