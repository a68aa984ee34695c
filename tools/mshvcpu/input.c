// SPDX-License-Identifier: MIT
/*
 * Where hosts and sets come from on the command line: record files, JSON
 * Lines streams (read one bounded line at a time, so a million records cost
 * no more memory than one), directories of either, and profile specs.
 */
#define _GNU_SOURCE /* asprintf */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* A JSON Lines record longer than this is refused, not buffered. */
#define MAX_LINE (1u << 20)

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

int cli_read_file(struct cli *cli, const char *what, const char *path, char **text,
		  size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf;

	if (!f)
		return cli_fail(cli, EXIT_RUNTIME, what, "%s: %s", path, strerror(errno));
	buf = malloc(cap + 1);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		if (cap >= (64u << 20)) {
			fclose(f);
			free(buf);
			return cli_fail(cli, EXIT_RUNTIME, what,
					"%s: larger than 64 MiB (use a .jsonl stream)", path);
		}
		cap *= 2;
		char *grown = realloc(buf, cap + 1);

		if (!grown)
			free(buf);
		buf = grown;
	}
	if (!buf || ferror(f)) {
		int e = buf ? errno : ENOMEM;

		fclose(f);
		free(buf);
		return cli_fail(cli, EXIT_RUNTIME, what, "%s: %s", path, strerror(e));
	}
	fclose(f);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

static void host_from_set(struct mshvcpu_host *host, const char *name,
			  const struct mshvcpu_featureset *set, const char *detail)
{
	memset(host, 0, sizeof(*host));
	/* A path or spec as the name: escaped, cut between characters and marked "...". */
	mshvcpu_text_escape(host->name, sizeof(host->name), name, strlen(name));
	host->source = MSHVCPU_SOURCE_MODEL;
	host->offered = *set;
	snprintf(host->source_detail, sizeof(host->source_detail), "%s", detail);
}

int load_set_arg(struct cli *cli, const char *what, const char *arg,
		 enum mshvcpu_revision rev, struct mshvcpu_host *host)
{
	struct mshvcpu_error err = { 0 };
	struct stat st;
	int ret;

	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		const char *format;
		size_t len = 0;
		char *text = NULL;

		ret = cli_read_file(cli, what, arg, &text, &len);
		if (ret)
			return ret;
		/* The top-level "schema" (or old "format") member decides, never a name. */
		format = mshvcpu_json_format(text, len);
		if (format && strcmp(format, "mshvcpu-profile") == 0) {
			struct mshvcpu_profile *p;

			ret = mshvcpu_profile_from_json(text, len, arg, &p, &err);
			if (!ret) {
				host_from_set(host, arg, mshvcpu_profile_features(p), "profile file");
				mshvcpu_profile_free(p);
			}
		} else if (format && strcmp(format, "mshvcpu-partition") == 0) {
			struct mshvcpu_partition_record rec;

			ret = mshvcpu_partition_record_from_json(text, len, arg, &rec, &err);
			if (!ret) {
				host_from_set(host, arg, &rec.effective,
					      "partition record (effective features)");
				host->xsave_states = rec.xsave_states;
				host->max_xsave_data_size = rec.max_xsave_data_size;
				mshvcpu_partition_record_clear(&rec);
			}
		} else {
			ret = mshvcpu_host_from_json(text, len, arg, 1, host, &err);
		}
		free(text);
		return ret ? cli_fail_lib(cli, EXIT_RUNTIME, what, &err, ret) : 0;
	}
	if (stat(arg, &st) == 0)
		return cli_fail(cli, EXIT_USAGE, what, "%s is not a regular file", arg);
	/* Meant as a file (a path, or a .json name) but not there. */
	if (strchr(arg, '/') || ends_with(arg, ".json") || ends_with(arg, ".jsonl"))
		return cli_fail(cli, EXIT_RUNTIME, what, "cannot open %s: %s", arg,
				strerror(errno));

	/* Not a file: a host model or words, else any profile spec. */
	ret = mshvcpu_host_load(arg, host, &err);
	if (!ret)
		return 0;
	{
		MSHVCPU_OPTS(mshvcpu_profile_opts, opts, .revision = rev);
		struct mshvcpu_profile *p;

		memset(&err, 0, sizeof(err));
		ret = mshvcpu_profile_parse(arg, &opts, &p, &err);
		if (ret)
			return cli_fail_lib(cli, cli_spec_status(&err, ret), what, &err, ret);
		host_from_set(host, arg, mshvcpu_profile_features(p), "profile spec");
		mshvcpu_profile_free(p);
	}
	return 0;
}

/*
 * A bounded line reader: lines may hold any byte (a NUL is the parser's
 * business to report), and a line longer than MAX_LINE is an error rather
 * than a reason to grow without bound.
 */
struct line_reader {
	FILE *f;
	char *buf;
	size_t start, end;
	bool eof;
};

/* 1 and (*line, *len) for a line, 0 at the end, -E2BIG for an overlong line. */
static int next_line(struct line_reader *r, char **line, size_t *len)
{
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);

		if (nl) {
			*line = r->buf + r->start;
			*len = (size_t)(nl - *line);
			r->start = (size_t)(nl - r->buf) + 1;
			return 1;
		}
		if (r->eof) {
			if (r->start == r->end)
				return 0;
			*line = r->buf + r->start;
			*len = r->end - r->start;
			r->start = r->end;
			return 1;
		}
		if (r->start) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->start = 0;
		}
		if (r->end == MAX_LINE)
			return -E2BIG;
		r->end += fread(r->buf + r->end, 1, MAX_LINE - r->end, r->f);
		if (r->end < MAX_LINE)
			r->eof = feof(r->f) || ferror(r->f);
	}
}

static bool blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* JSON Lines: one host record per line; blank lines are skipped. */
static int read_stream(struct cli *cli, const char *cmd, FILE *f, const char *name,
		       const struct host_sink *sink, size_t *count)
{
	struct line_reader r = { .f = f, .buf = malloc(MAX_LINE) };
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host host;
	unsigned int lineno = 0;
	bool progress = isatty(STDERR_FILENO) && !cli->quiet;	/* a note: none with -q */
	size_t len;
	char *line;
	int ret = 0, got;

	if (!r.buf)
		return cli_fail(cli, EXIT_RUNTIME, cmd, "out of memory");
	while ((got = next_line(&r, &line, &len)) > 0) {
		lineno++;
		if (len && line[len - 1] == '\r')
			len--;
		if (blank(line, len))
			continue;
		ret = mshvcpu_host_from_json(line, len, name, lineno, &host, &err);
		if (!ret)
			ret = sink->host(sink->ctx, &host, &err);
		if (ret) {
			ret = cli_fail_lib_at(cli, ret == -EXDEV ? EXIT_NO : EXIT_RUNTIME, cmd, name,
					      lineno, &err, ret);
			break;
		}
		(*count)++;
		if (progress && *count % 100000 == 0)
			fprintf(stderr, "\rmshvcpu: %s: %zu records...", cmd, *count);
	}
	if (got == -E2BIG)
		ret = cli_fail(cli, EXIT_RUNTIME, cmd, "%s:%u: line longer than %u bytes",
			       name, lineno + 1, MAX_LINE);
	else if (!ret && ferror(f))
		ret = cli_fail(cli, EXIT_RUNTIME, cmd, "%s: %s", name, strerror(errno));
	if (progress && *count >= 100000)
		fprintf(stderr, "\r\033[K");
	free(r.buf);
	return ret;
}

static int read_one(struct cli *cli, const char *cmd, const char *path,
		    const struct host_sink *sink, size_t *count);

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_dir(struct cli *cli, const char *cmd, const char *dir,
		    const struct host_sink *sink, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i, before = *count;
	int ret = 0;

	if (!d)
		return cli_fail(cli, EXIT_RUNTIME, cmd, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    (!ends_with(de->d_name, ".json") && !ends_with(de->d_name, ".jsonl")))
			continue;
		if (n == cap) {
			char **grown = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*names));

			if (!grown) {
				ret = cli_fail(cli, EXIT_RUNTIME, cmd, "out of memory");
				goto out;
			}
			names = grown;
		}
		if (asprintf(&names[n], "%s/%s", dir, de->d_name) < 0) {
			ret = cli_fail(cli, EXIT_RUNTIME, cmd, "out of memory");
			goto out;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n && !ret; i++)
		ret = read_one(cli, cmd, names[i], sink, count);
	/* A directory the operator named but that held nothing is a mistake. */
	if (!ret && *count == before)
		ret = cli_fail(cli, EXIT_RUNTIME, cmd,
			       "%s: no host records in the directory (*.json, *.jsonl)", dir);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return ret;
}

static int read_one(struct cli *cli, const char *cmd, const char *path,
		    const struct host_sink *sink, size_t *count)
{
	struct mshvcpu_error err = { 0 };
	struct mshvcpu_host host;
	struct stat st;
	int ret;

	if (strcmp(path, "-") == 0)
		return read_stream(cli, cmd, stdin, "-", sink, count);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return read_dir(cli, cmd, path, sink, count);
	if (stat(path, &st) == 0 && ends_with(path, ".jsonl")) {
		FILE *f = fopen(path, "r");

		if (!f)
			return cli_fail(cli, EXIT_RUNTIME, cmd, "%s: %s", path, strerror(errno));
		ret = read_stream(cli, cmd, f, path, sink, count);
		fclose(f);
		return ret;
	}
	ret = load_set_arg(cli, cmd, path, MSHVCPU_REV_DEFAULT, &host);
	if (ret)
		return ret;
	ret = sink->host(sink->ctx, &host, &err);
	if (ret)
		return cli_fail_lib(cli, ret == -EXDEV ? EXIT_NO : EXIT_RUNTIME, cmd, &err, ret);
	(*count)++;
	return 0;
}

int read_hosts(struct cli *cli, const char *cmd, int argc, char **argv,
	       const struct host_sink *sink, size_t *count)
{
	int i, ret;

	*count = 0;
	if (argc == 0) {
		if (isatty(STDIN_FILENO))
			return cli_usage(cli, cmd, "no hosts given (files, directories, specs, "
					 "or JSON Lines on stdin)");
		return read_stream(cli, cmd, stdin, "-", sink, count);
	}
	for (i = 0; i < argc; i++) {
		ret = read_one(cli, cmd, argv[i], sink, count);
		if (ret)
			return ret;
	}
	return 0;
}
