// SPDX-License-Identifier: MIT
/*
 * One output layer for every subcommand: JSON (json-c) or aligned text
 * from the same code path, errors as one stderr line, colour only on a
 * terminal and never with NO_COLOR.
 */
#define _GNU_SOURCE /* fopencookie, dup3 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/*
 * Text from outside (host names, specs, paths, details, messages quoting
 * them) is escaped in one place, mshvcpu_text_escape(): a control character
 * or a byte that is not UTF-8 never reaches a terminal raw, so no name can
 * forge a line of output or colour it. cli_kv(), cli_kv_color(),
 * cli_put_text() and the error line escape what they print (a value longer
 * than 8 KiB is cut, marked "..."); JSON output is kept valid UTF-8.
 */
static void put_escaped(FILE *f, const char *text, size_t len)
{
	char buf[8192];

	mshvcpu_text_escape(buf, sizeof(buf), text, len);
	fputs(buf, f);
}

void cli_put_text(FILE *f, const char *text)
{
	put_escaped(f, text, strlen(text));
}

/*
 * A JSON document and a newline on stdout. json-c copies strings as they
 * are: a byte that is not UTF-8 (from a path or a spec on the command line)
 * becomes \ufffd, so the output is always valid UTF-8 JSON.
 */
static void put_json(const char *json)
{
	size_t len = strlen(json), i = 0, bad;

	for (;;) {
		bad = i + mshvcpu_utf8_invalid_at(json + i, len - i);
		fwrite(json + i, 1, bad - i, stdout);
		if (bad == len)
			break;
		fputs("\\ufffd", stdout);	/* such bytes are only ever inside strings */
		i = bad + 1;
	}
	putchar('\n');
}

/*
 * An error is one stderr line. In JSON mode stdout also gets an error
 * document, so a script reading stdout never mistakes silence for success.
 */
static void verr(const struct cli *cli, int status, const char *prefix, const char *fmt,
		 va_list ap) __attribute__((format(printf, 4, 0)));
static void verr(const struct cli *cli, int status, const char *prefix, const char *fmt,
		 va_list ap)
{
	char full[2048], *msg = NULL;
	int n = vasprintf(&msg, fmt, ap);
	size_t used;

	/* One line, whatever the message holds: escaped (it quotes paths, specs, names). */
	mshvcpu_text_escape(full, sizeof(full), prefix, strlen(prefix));
	used = strlen(full);
	if (n >= 0)
		mshvcpu_text_escape(full + used, sizeof(full) - used, msg, (size_t)n);
	else
		snprintf(full + used, sizeof(full) - used, "out of memory");
	free(msg);
	fprintf(stderr, "mshvcpu: %s\n", full);
	if (cli && status && cli->mode != OUT_TEXT) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "schema", json_object_new_string("mshvcpu-error/1"));
		json_object_object_add(doc, "error", json_object_new_string(full));
		json_object_object_add(doc, "status", json_object_new_int(status));
		put_json(json_object_to_json_string_ext(doc, cli->mode == OUT_JSON_PRETTY ?
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE :
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
	}
}

int cli_fail(struct cli *cli, int status, const char *what, const char *fmt, ...)
{
	char prefix[256];
	va_list ap;

	/* @what may be an argument: cut between characters, escaped. */
	mshvcpu_text_escape(prefix, sizeof(prefix) - 2, what, strlen(what));
	strcat(prefix, ": ");
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

int cli_fail_lib_at(struct cli *cli, int status, const char *what, const char *source,
		    unsigned int line, const struct mshvcpu_error *err, int code)
{
	/* The library's own place wins: it knows the column too. */
	if (!line || (err && err->source[0] && err->line))
		return cli_fail_lib(cli, status, what, err, code);
	if (err && err->message[0])
		return cli_fail(cli, status, what, "%s:%u: %s", source, line, err->message);
	return cli_fail(cli, status, what, "%s:%u: %s", source, line,
			strerror(code < 0 ? -code : code));
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

	if (cli && cli->quiet)
		return;
	va_start(ap, fmt);
	verr(cli, 0, "warning: ", fmt, ap);
	va_end(ap);
}

void cli_note(struct cli *cli, const char *what, const char *fmt, ...)
{
	char prefix[256];
	va_list ap;

	if (cli && cli->quiet)
		return;
	mshvcpu_text_escape(prefix, sizeof(prefix) - 2, what, strlen(what));
	strcat(prefix, ": ");
	va_start(ap, fmt);
	verr(cli, 0, prefix, fmt, ap);
	va_end(ap);
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
	put_json(json_object_to_json_string_ext(doc, flags));
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

/*
 * The value is formatted whole, then escaped: colour is ours to add, around
 * it. A long value wraps under itself.
 */
__attribute__((format(printf, 5, 0)))
static void vkv(struct cli *cli, int width, const char *label, const char *sgr,
		const char *fmt, va_list ap)
{
	char *value = NULL, *line = NULL;
	int n = vasprintf(&value, fmt, ap);
	size_t col = strlen(label) > (size_t)width ? strlen(label) : (size_t)width;
	char escaped[8192];

	if (n >= 0)
		mshvcpu_text_escape(escaped, sizeof(escaped), value, (size_t)n);
	else
		snprintf(escaped, sizeof(escaped), "(out of memory)");
	free(value);
	printf("%s%-*s%s ", cli_color(cli, C_BOLD), width, label, cli_color(cli, C_RESET));
	if (asprintf(&line, "%s%s%s", sgr ? cli_color(cli, sgr) : "", escaped,
		     sgr ? cli_color(cli, C_RESET) : "") < 0) {
		puts(escaped);
		return;
	}
	cli_wrap(stdout, col + 1, (size_t)width + 1, line);
	free(line);
}

void cli_kv(struct cli *cli, int width, const char *label, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vkv(cli, width, label, NULL, fmt, ap);
	va_end(ap);
}

void cli_kv_color(struct cli *cli, int width, const char *label, const char *sgr,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vkv(cli, width, label, sgr, fmt, ap);
	va_end(ap);
}

/*
 * Text fitted to the width
 *
 * Every text line the tool prints goes through cli_wrap(): it breaks
 * between words so that no line is wider than cli_width(), measured in
 * characters (a UTF-8 sequence is one, our colour codes none).
 */

/* Our own colour codes: ESC '[' ... 'm'. Returns its length, or 0. */
static size_t sgr_len(const char *s, size_t len)
{
	size_t i;

	if (len < 3 || s[0] != '\033' || s[1] != '[')
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] == 'm')
			return i + 1;
	return 0;
}

static size_t text_width(const char *s, size_t len)
{
	size_t i = 0, n = 0, skip;

	while (i < len) {
		if ((skip = sgr_len(s + i, len - i))) {
			i += skip;
			continue;
		}
		if (((unsigned char)s[i] & 0xc0) != 0x80)	/* not a continuation byte */
			n++;
		i++;
	}
	return n;
}

size_t cli_text_width(const char *s)
{
	return text_width(s, strlen(s));
}

/* Bytes of @s (@len) that make at most @cols characters, never cutting a sequence. */
static size_t bytes_for(const char *s, size_t len, size_t cols)
{
	size_t i = 0, n = 0, skip;

	while (i < len) {
		if ((skip = sgr_len(s + i, len - i))) {
			i += skip;
			continue;
		}
		if (((unsigned char)s[i] & 0xc0) != 0x80 && n++ == cols)
			break;
		i++;
	}
	return i;
}

int cli_width(void)
{
	static int width;
	const char *env = getenv("COLUMNS");
	struct winsize ws;

	if (width)
		return width;
	/* COLUMNS, when it is a number, is what the user asked for; then the terminal. */
	if (env && *env) {
		char *end;
		long v = strtol(env, &end, 10);

		if (!*end && v > 0)
			width = (int)(v < 20 ? 20 : v > 1000 ? 1000 : v);
	}
	if (!width && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		width = ws.ws_col < 20 ? 20 : ws.ws_col;
	if (!width)
		width = 80;
	return width;
}

/* A word as it shows: CLI_GLUE is a blank. */
static void put_word(FILE *f, const char *word, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fputc(word[i] == CLI_GLUE[0] ? ' ' : word[i], f);
}

void cli_wrap_marked(FILE *f, size_t col, size_t indent, const char *mark, const char *text)
{
	size_t width = (size_t)cli_width(), markw = mark ? strlen(mark) : 0;
	const char *p = text;
	bool words = false;	/* a word is on this line already */

	if (indent + 8 > width)
		indent = width > 8 ? width - 8 : 0;
	while (*p) {
		const char *gap = p, *word, *next;
		size_t gapw, w, len;

		while (*p == ' ')
			p++;
		gapw = (size_t)(p - gap);
		if (*p == '\n') {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
			words = false;
			p++;
			continue;
		}
		if (!*p)
			break;
		word = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
		len = (size_t)(p - word);
		w = text_width(word, len);
		/* Room for the mark too when more follows. */
		for (next = p; *next == ' '; next++)
			;
		if (!words) {
			/* Leading blanks are the caller's layout: kept. */
			fwrite(gap, 1, gapw, f);
			col += gapw;
		} else if (col + gapw + w + (*next ? markw : 0) <= width) {
			fwrite(gap, 1, gapw, f);
			col += gapw;
		} else {
			fprintf(f, "%s\n%*s", mark ? mark : "", (int)indent, "");
			col = indent;
		}
		/* A word wider than the line is cut between characters. */
		while (col + w > width && width > col) {
			size_t cut = bytes_for(word, len, width - col);

			put_word(f, word, cut);
			fprintf(f, "\n%*s", (int)indent, "");
			word += cut;
			len -= cut;
			w = text_width(word, len);
			col = indent;
		}
		put_word(f, word, len);
		col += w;
		words = true;
	}
	fputc('\n', f);
}

void cli_wrapf(FILE *f, const char *prefix, size_t indent, const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	fputs(prefix, f);
	cli_wrap(f, cli_text_width(prefix), indent, text);
	free(text);
}

void cli_wrap(FILE *f, size_t col, size_t indent, const char *text)
{
	cli_wrap_marked(f, col, indent, NULL, text);
}

void cli_print_wrapped(FILE *f, int indent, const char *const *words, size_t n)
{
	size_t len = 1, i;
	char *line, *end;

	for (i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	line = malloc(len);
	if (!line)
		abort();	/* a few hundred bytes */
	end = line;
	*end = '\0';
	for (i = 0; i < n; i++)
		end += sprintf(end, "%s%s", i ? " " : "", words[i]);
	fprintf(f, "%*s", indent, "");
	cli_wrap(f, (size_t)indent, (size_t)indent, line);
	free(line);
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
	const struct table_col *cols;
	char **cells;		/* nrows * ncols, owned */
	size_t nrows, cap;
};

struct table *table_new(size_t ncols, const struct table_col *cols)
{
	struct table *t = calloc(1, sizeof(*t));

	if (t) {
		t->ncols = ncols;
		t->cols = cols;
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

/* A cell and the blanks to the next column; the last one on a line unpadded. */
static void table_cell(FILE *f, const char *text, size_t width, bool last)
{
	fputs(text, f);
	if (!last)
		fprintf(f, "%*s", (int)(width - cli_text_width(text) + 2), "");
}

/* The last column wraps within itself when it has at least this much room. */
#define TABLE_MIN_LAST 24

/*
 * What moves under a row: the last column's text, then "; header value"
 * for each other moved column, unless the value says nothing ("", "-" or
 * the column's @quiet value).
 */
static char *table_moved(const struct table *t, size_t r, size_t keep)
{
	char *const *row = t->cells + r * t->ncols;
	const char *last = row[t->ncols - 1];
	size_t len = strlen(last) + 1, c;
	char *text, *end;

	for (c = keep; c + 1 < t->ncols; c++)
		len += strlen(t->cols[c].header) + strlen(row[c]) + 3;
	text = malloc(len);
	if (!text)
		abort();
	end = text;
	*end = '\0';
	if (strcmp(last, "-") != 0)
		end += sprintf(end, "%s", last);
	for (c = keep; c + 1 < t->ncols; c++) {
		const char *h;

		if (!row[c][0] || strcmp(row[c], "-") == 0 ||
		    (t->cols[c].quiet && strcmp(row[c], t->cols[c].quiet) == 0))
			continue;
		end += sprintf(end, "%s", end == text ? "" : "; ");
		for (h = t->cols[c].header; *h; h++)
			*end++ = (char)(*h >= 'A' && *h <= 'Z' ? *h - 'A' + 'a' : *h);
		end += sprintf(end, " %s", row[c]);
	}
	return text;
}

/*
 * Aligned columns fitted to cli_width(). When all of them fit, with at
 * least TABLE_MIN_LAST characters for the last, the last wraps within its
 * column. Otherwise the leading columns that fit stay on the row's line and
 * the others move to an indented line under it (table_moved()).
 */
void table_print(struct cli *cli, struct table *t, FILE *f)
{
	size_t width = (size_t)cli_width(), w[16] = { 0 }, start[16] = { 0 }, r, c, keep;
	size_t n = t->ncols < ARRAY_SIZE(w) ? t->ncols : ARRAY_SIZE(w);

	for (c = 0; c < n; c++) {
		w[c] = cli_text_width(t->cols[c].header);
		for (r = 0; r < t->nrows; r++) {
			size_t len = cli_text_width(t->cells[r * t->ncols + c]);

			if (len > w[c])
				w[c] = len;
		}
		if (c)
			start[c] = start[c - 1] + w[c - 1] + 2;
	}
	keep = n;
	if (n > 1 && start[n - 1] + (w[n - 1] < TABLE_MIN_LAST ? w[n - 1] : TABLE_MIN_LAST) > width)
		for (keep = 1; keep + 1 < n && start[keep] + w[keep] <= width; keep++)
			;
	fputs(cli_color(cli, C_BOLD), f);
	for (c = 0; c < keep; c++)
		table_cell(f, t->cols[c].header, w[c], c + 1 == keep);
	fprintf(f, "%s\n", cli_color(cli, C_RESET));
	for (r = 0; r < t->nrows; r++) {
		char *const *row = t->cells + r * t->ncols;

		for (c = 0; c + 1 < keep; c++)
			table_cell(f, row[c], w[c], false);
		if (keep == n) {
			cli_wrap(f, start[c], start[c], row[c]);
		} else {
			char *moved = table_moved(t, r, keep);
			size_t indent = n > 1 ? start[1] : 2;

			fprintf(f, "%s\n", row[c]);
			if (*moved) {
				fprintf(f, "%*s", (int)indent, "");
				cli_wrap(f, indent, indent, moved);
			}
			free(moved);
		}
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

/*
 * Standard output: every write checked
 *
 * stdout becomes a stream whose writes go straight to descriptor 1 and keep
 * the first error, so the exit status can name it even when the write that
 * failed was a printf long before the end; nothing is written after a
 * failed write, so output never continues after a gap. Descriptors 0-2 left
 * closed by the caller get a close-on-exec placeholder that fails every
 * transfer with EBADF, as the closed descriptor would: a file opened later
 * cannot become standard output by accident, and what `emu` runs still
 * finds them closed.
 */
static struct {
	FILE *libc_stdout;	/* restored at the end */
	int error;		/* the first write error on descriptor 1 */
	struct sigaction xfsz;	/* SIGXFSZ as inherited */
} out;

static ssize_t out_write(void *cookie, const char *buf, size_t len)
{
	size_t done = 0;

	(void)cookie;
	while (!out.error && done < len) {
		ssize_t n = write(STDOUT_FILENO, buf + done, len - done);

		if (n > 0) {
			done += (size_t)n;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* Non-blocking (a descriptor shared with a parent): wait, drop nothing. */
			struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };

			if (poll(&p, 1, -1) < 0 && errno != EINTR)
				out.error = errno;
		} else if (n < 0 && errno != EINTR) {
			out.error = errno;
		} else if (n == 0) {
			out.error = EIO;
		}
	}
	/* Short: the stream's error flag is set. */
	return (ssize_t)done;
}

static int out_close(void *cookie)
{
	(void)cookie;
	/* Some file systems report write errors only here. Closed from the start: nothing was lost. */
	if (close(STDOUT_FILENO) < 0 && errno != EINTR && errno != EBADF && !out.error)
		out.error = errno;
	return out.error ? EOF : 0;
}

void cli_stdio_init(void)
{
	static const cookie_io_functions_t io = { .write = out_write, .close = out_close };
	const struct sigaction ignore = { .sa_handler = SIG_IGN };
	FILE *f;
	int fd;

	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		int ph;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		ph = open("/dev/null", (fd == STDIN_FILENO ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
		if (ph >= 0 && ph != fd) {
			dup3(ph, fd, O_CLOEXEC);
			close(ph);
		}
	}
	/* A file size limit is an error (EFBIG) to report, not a silent death. */
	sigaction(SIGXFSZ, &ignore, &out.xfsz);
	f = fopencookie(NULL, "w", io);
	if (!f)
		return;		/* the C library's stream, checked less precisely */
	setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
	out.libc_stdout = stdout;
	stdout = f;
}

void cli_stdio_before_exec(void)
{
	sigaction(SIGXFSZ, &out.xfsz, NULL);
}

int cli_stdio_finish(int status)
{
	int error;

	if (out.libc_stdout) {
		FILE *f = stdout;

		stdout = out.libc_stdout;
		fclose(f);
		error = out.error;
	} else {
		error = fflush(stdout) || ferror(stdout) ? (errno ? errno : EIO) : 0;
	}
	if (!error)
		return status;
	/* The reader left (SIGPIPE ignored, else it would have ended us quietly): no message. */
	if (error != EPIPE)
		cli_fail(NULL, EXIT_RUNTIME, "write error", "%s", strerror(error));
	/* A usage or runtime error already reported keeps its status. */
	return status == EXIT_USAGE || status == EXIT_RUNTIME ? status : EXIT_RUNTIME;
}

/*
 * Output files (-o FILE)
 *
 * FILE is replaced, never rewritten in place: a temporary file in its
 * directory is written, synced and renamed over it, then the directory is
 * synced. A symlink is followed (the link stays, its target is replaced);
 * anything but a regular file is refused untouched. An existing file keeps
 * its mode and, where permitted, its owner; a new one gets 0666 & ~umask
 * (and the directory's default ACL) from open(2). An error, or SIGINT,
 * SIGTERM or SIGHUP on the way, removes the temporary file.
 */

bool cli_output_is_stdout(const char *path)
{
	return strcmp(path, "-") == 0;
}

static const char *file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFCHR:
		return "character device";
	case S_IFBLK:
		return "block device";
	case S_IFIFO:
		return "FIFO";
	case S_IFSOCK:
		return "socket";
	case S_IFDIR:
		return "directory";
	default:
		return "unknown type";
	}
}

/* @path with its symlinks followed: the name to replace. 0 or -errno. */
static int output_follow(const char *path, char *target, size_t size, struct stat *st,
			 bool *exists)
{
	char link[PATH_MAX];
	int hops;

	if (snprintf(target, size, "%s", path) >= (int)size)
		return -ENAMETOOLONG;
	for (hops = 0; hops < 40; hops++) {
		size_t keep = 0;
		ssize_t n;

		if (lstat(target, st) < 0) {
			*exists = false;
			return errno == ENOENT ? 0 : -errno;
		}
		*exists = true;
		if (!S_ISLNK(st->st_mode))
			return 0;
		n = readlink(target, link, sizeof(link) - 1);
		if (n < 0)
			return -errno;
		link[n] = '\0';
		/* A relative link is relative to the link's directory. */
		if (link[0] != '/' && strrchr(target, '/'))
			keep = (size_t)(strrchr(target, '/') - target) + 1;
		if (keep + (size_t)n + 1 > size)
			return -ENAMETOOLONG;
		memcpy(target + keep, link, (size_t)n + 1);
	}
	return -ELOOP;
}

/* The directory @target is (to be) in. */
static void dir_of(const char *target, char *dir, size_t size)
{
	const char *slash = strrchr(target, '/');

	if (slash)
		snprintf(dir, size, "%.*s", (int)(slash - target) + 1, target);
	else
		snprintf(dir, size, ".");
}

/* Follow @path and check what is there; 0, or an exit status after reporting. */
static int output_resolve(struct cli *cli, const char *cmd, const char *path,
			  char *target, size_t size, struct stat *st, bool *exists)
{
	int ret = output_follow(path, target, size, st, exists);

	if (ret)
		return cli_fail(cli, EXIT_RUNTIME, cmd, "%s: %s", path, strerror(-ret));
	if (!*exists) {
		char dir[PATH_MAX];

		/* It will be made: in a directory we may write. */
		dir_of(target, dir, sizeof(dir));
		if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0)
			return cli_fail(cli, EXIT_RUNTIME, cmd, "%s: %s", path, strerror(errno));
		return 0;
	}
	if (!S_ISREG(st->st_mode)) {
		if (strcmp(path, target) != 0)
			return cli_fail(cli, EXIT_RUNTIME, cmd,
					"%s: not a regular file (%s %s, through a symlink)",
					path, file_kind(st->st_mode), target);
		return cli_fail(cli, EXIT_RUNTIME, cmd, "%s: not a regular file (%s)",
				path, file_kind(st->st_mode));
	}
	/* As `>` would: a file we may not write is not ours to replace. */
	if (faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) < 0)
		return cli_fail(cli, EXIT_RUNTIME, cmd, "%s: %s", path, strerror(errno));
	return 0;
}

int cli_output_check(struct cli *cli, const char *cmd, const char *path)
{
	char target[PATH_MAX];
	struct stat st;
	bool exists;

	if (cli_output_is_stdout(path))
		return 0;
	return output_resolve(cli, cmd, path, target, sizeof(target), &st, &exists);
}

static const int tmp_signals[] = { SIGINT, SIGTERM, SIGHUP };
static char tmp_name[PATH_MAX];
static volatile sig_atomic_t tmp_live;

static void tmp_on_signal(int sig)
{
	if (tmp_live)
		unlink(tmp_name);
	tmp_live = 0;
	/* SA_RESETHAND: delivered again once this returns, it ends us as it would have. */
	raise(sig);
}

/* A new file "<dir>.<base>.<random>.tmp", open for writing; fd or -errno. */
static int tmp_create(const char *dir, size_t dirlen, const char *base, mode_t mode)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	int tries;

	for (tries = 0; tries < 100; tries++) {
		unsigned char rnd[8];
		char suffix[sizeof(rnd) + 1];
		size_t i;
		int fd;

		if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
			struct timespec ts;
			uint64_t x;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			x = ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)tries << 48);
			memcpy(rnd, &x, sizeof(rnd));
		}
		for (i = 0; i < sizeof(rnd); i++)
			suffix[i] = digits[rnd[i] % (sizeof(digits) - 1)];
		suffix[sizeof(rnd)] = '\0';
		/* A long base is cut: the name must fit NAME_MAX. */
		if (snprintf(tmp_name, sizeof(tmp_name), "%.*s.%.200s.%s.tmp", (int)dirlen, dir,
			     base, suffix) >= (int)sizeof(tmp_name))
			return -ENAMETOOLONG;
		fd = open(tmp_name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd >= 0) {
			tmp_live = 1;
			return fd;
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The old file's owner where permitted, and its mode (no set-id bits for another owner). */
static int keep_owner_mode(int fd, const struct stat *old)
{
	mode_t mode = old->st_mode & 07777;

	if (fchown(fd, old->st_uid, old->st_gid) < 0) {
		if (fchown(fd, (uid_t)-1, old->st_gid) < 0)
			mode &= ~(mode_t)S_ISGID;
		mode &= ~(mode_t)S_ISUID;
	}
	return fchmod(fd, mode) < 0 ? -errno : 0;
}

/* After the rename: make it durable. A directory we cannot open is left to the system. */
static int sync_dir(const char *target)
{
	char name[PATH_MAX];
	int fd, ret = 0;

	dir_of(target, name, sizeof(name));
	fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fsync(fd) < 0 && errno != EINVAL)
		ret = -errno;
	close(fd);
	return ret;
}

/* Replace @target (@old: what is there, NULL for nothing) by @text and a newline. */
static int replace_file(const char *target, const struct stat *old, const char *text)
{
	const char *slash = strrchr(target, '/');
	size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0, i;
	struct sigaction act = { .sa_handler = tmp_on_signal, .sa_flags = SA_RESETHAND };
	struct sigaction saved[ARRAY_SIZE(tmp_signals)];
	bool caught[ARRAY_SIZE(tmp_signals)] = { false };
	sigset_t block, prev;
	int fd, ret;

	sigemptyset(&block);
	for (i = 0; i < ARRAY_SIZE(tmp_signals); i++)
		sigaddset(&block, tmp_signals[i]);
	act.sa_mask = block;
	/* The temporary file exists exactly while the handlers know its name. */
	sigprocmask(SIG_BLOCK, &block, &prev);
	for (i = 0; i < ARRAY_SIZE(tmp_signals); i++) {
		sigaction(tmp_signals[i], NULL, &saved[i]);
		if (saved[i].sa_handler != SIG_IGN)	/* nohup and friends stay obeyed */
			caught[i] = sigaction(tmp_signals[i], &act, NULL) == 0;
	}
	fd = tmp_create(target, dirlen, target + dirlen, old ? 0600 : 0666);
	sigprocmask(SIG_SETMASK, &prev, NULL);
	ret = fd < 0 ? fd : 0;
	if (!ret) {
		ret = write_all(fd, text, strlen(text));
		if (!ret)
			ret = write_all(fd, "\n", 1);
		if (!ret && old)
			ret = keep_owner_mode(fd, old);
		if (!ret && fsync(fd) < 0)
			ret = -errno;
		if (close(fd) < 0 && errno != EINTR && !ret)
			ret = -errno;
		sigprocmask(SIG_BLOCK, &block, NULL);
		if (!ret && rename(tmp_name, target) < 0)
			ret = -errno;
		if (ret)
			unlink(tmp_name);
		tmp_live = 0;
	}
	for (i = 0; i < ARRAY_SIZE(tmp_signals); i++)
		if (caught[i])
			sigaction(tmp_signals[i], &saved[i], NULL);
	sigprocmask(SIG_SETMASK, &prev, NULL);
	return ret ? ret : sync_dir(target);
}

int cli_output_write(struct cli *cli, const char *cmd, const char *path, const char *text)
{
	char target[PATH_MAX];
	struct stat st;
	bool exists;
	int ret;

	if (cli_output_is_stdout(path)) {
		puts(text);
		return 0;
	}
	ret = output_resolve(cli, cmd, path, target, sizeof(target), &st, &exists);
	if (ret)
		return ret;
	ret = replace_file(target, exists ? &st : NULL, text);
	if (ret)
		return cli_fail(cli, EXIT_RUNTIME, cmd, "%s: %s", path, strerror(-ret));
	return 0;
}

int cli_output_profile(struct cli *cli, const char *cmd, const char *path,
		       const struct mshvcpu_profile *p)
{
	char *json;
	int ret = mshvcpu_profile_to_json(p, true, &json);

	if (ret)
		return cli_fail(cli, EXIT_RUNTIME, cmd, "%s: %s", path, strerror(-ret));
	ret = cli_output_write(cli, cmd, path, json);
	free(json);
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
