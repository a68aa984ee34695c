/* SPDX-License-Identifier: MIT */
/*
 * The mshvcpu tool: shared context, exit statuses, output and input helpers.
 * Every subcommand gets a struct cli and returns an exit status.
 */
#ifndef MSHVCPU_CLI_H
#define MSHVCPU_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>
#include <mshvcpu.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses, the same for every subcommand. */
enum {
	EXIT_YES = 0,		/* success, or a positive answer */
	EXIT_NO = 1,		/* a negative answer: incompatible, not migratable */
	EXIT_USAGE = 2,		/* bad options or arguments */
	EXIT_RUNTIME = 3,	/* could not do it: I/O, bad input files, device errors */
};

enum out_mode {
	OUT_TEXT,
	OUT_JSON,
	OUT_JSON_PRETTY,
};

struct cli {
	enum out_mode mode;
	bool color;		/* text on a terminal, no NO_COLOR, no --no-color */
	bool color_forced_off;
	const char *argv0;
};

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;
};

/* Subcommands (cmd_*.c). */
int cmd_features(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_decode(struct cli *cli, int argc, char **argv);
int cmd_encode(struct cli *cli, int argc, char **argv);
int cmd_host(struct cli *cli, int argc, char **argv);
int cmd_compare(struct cli *cli, int argc, char **argv);
int cmd_baseline(struct cli *cli, int argc, char **argv);
int cmd_pools(struct cli *cli, int argc, char **argv);
int cmd_check_migration(struct cli *cli, int argc, char **argv);
int cmd_create(struct cli *cli, int argc, char **argv);
int cmd_cpuid(struct cli *cli, int argc, char **argv);
int cmd_emu(struct cli *cli, int argc, char **argv);

/* Errors: one line "mshvcpu: <what>: <why>" on stderr; returns @status. */
int cli_fail(struct cli *cli, int status, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A library error, with file:line:column when it has one. */
int cli_fail_lib(struct cli *cli, int status, const char *what,
		 const struct mshvcpu_error *err, int code);
/* The exit status for a failed spec parse: EXIT_USAGE, or EXIT_RUNTIME for a file's fault. */
int cli_spec_status(const struct mshvcpu_error *err, int code);
/* Usage error: the message plus a pointer to --help; returns EXIT_USAGE. */
int cli_usage(struct cli *cli, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Warning line "mshvcpu: warning: ..." on stderr. */
void cli_warn(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Options common to every subcommand: -j/--json, -p/--pretty, --no-color,
 * -h/--help. Returns true if @opt was one of them (handled).
 */
bool cli_common_option(struct cli *cli, int opt);
#define CLI_COMMON_SHORT "jph"
#define CLI_COMMON_LONG							\
	{ "json", no_argument, NULL, 'j' },				\
	{ "pretty", no_argument, NULL, 'p' },				\
	{ "no-color", no_argument, NULL, 0x100 },			\
	{ "help", no_argument, NULL, 'h' }

/* Output. */
bool cli_json(const struct cli *cli);
/* Print a JSON document (adds "schema") and drop the reference. */
void cli_print_json(struct cli *cli, const char *schema, struct json_object *obj);
const char *cli_color(const struct cli *cli, const char *sgr);
#define C_BOLD "1"
#define C_RED "31"
#define C_GREEN "32"
#define C_YELLOW "33"
#define C_DIM "2"
#define C_RESET "0"
/*
 * "label: value" lines, label padded to @width. The value is escaped as a
 * whole (mshvcpu_text_escape()): pass no colour codes in it; cli_kv_color()
 * shows it in colour @sgr.
 */
void cli_kv(struct cli *cli, int width, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void cli_kv_color(struct cli *cli, int width, const char *label, const char *sgr,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Text from outside (a name, a spec, a path), escaped, on @f. */
void cli_put_text(FILE *f, const char *text);
/* Names wrapped at 78 columns, indented by @indent. */
void cli_print_wrapped(FILE *f, int indent, const char *const *words, size_t n);

/* Features of a set by word ("bank0 (36): sse3 ..."), text. */
void cli_print_features(struct cli *cli, const struct mshvcpu_featureset *set,
			enum mshvcpu_revision rev, enum mshvcpu_state state,
			const char *indent);
/* {"bank0": [...], ...} for a set, JSON. */
struct json_object *cli_json_features(const struct mshvcpu_featureset *set,
				      enum mshvcpu_revision rev,
				      enum mshvcpu_state state);
/* {"bank0": "0x...", ...} (enabled words) and the matching known words. */
struct json_object *cli_json_words(const struct mshvcpu_featureset *set);
struct json_object *cli_json_u64(uint64_t v);
/* Count of features in @state, over @rev. */
size_t cli_count(const struct mshvcpu_featureset *set, enum mshvcpu_revision rev,
		 enum mshvcpu_state state);

/* Tables: aligned columns, header row in bold on a terminal. */
struct table;
struct table *table_new(size_t ncols, const char *const *headers);
void table_add(struct table *t, const char *const *cells);
void table_print(struct cli *cli, struct table *t, FILE *f);
void table_free(struct table *t);

/* "7.0 EBX[5]", "MSR 0x10a[3]" or "-" for @f on @vendor. */
void cli_format_location(const struct mshvcpu_feature *f, enum mshvcpu_vendor vendor,
			 char *buf, size_t len);
/* An unrecognised option or a missing argument: report it, EXIT_USAGE. */
int cli_bad_option(struct cli *cli, const char *cmd, int argc, char **argv);

/*
 * Standard output. init (first thing in main) makes every write to stdout
 * checked; finish flushes and closes it and returns @status, or EXIT_RUNTIME
 * after "mshvcpu: write error: <why>" when anything was lost (EPIPE: no
 * message). before_exec gives a command run by emu the SIGXFSZ we inherited.
 */
void cli_stdio_init(void);
int cli_stdio_finish(int status);
void cli_stdio_before_exec(void);

/*
 * -o FILE. "-" is standard output (the command prints nothing else there).
 * Otherwise FILE, through its symlinks, must be a regular file we may write
 * or not exist; it is replaced atomically (temporary file, fsync, rename,
 * directory fsync), keeping its mode and, where permitted, its owner.
 * check refuses a bad FILE before any work; write puts @text and a newline
 * there. Both: 0, or an exit status after reporting.
 */
bool cli_output_is_stdout(const char *path);
int cli_output_check(struct cli *cli, const char *cmd, const char *path);
int cli_output_write(struct cli *cli, const char *cmd, const char *path, const char *text);
/* A profile as JSON (pretty), to -o @path. */
int cli_output_profile(struct cli *cli, const char *cmd, const char *path,
		       const struct mshvcpu_profile *p);

/*
 * Parsing helpers for arguments.
 */
int parse_revision(struct cli *cli, const char *cmd, const char *arg,
		   enum mshvcpu_revision *rev);
int parse_policy(struct cli *cli, const char *cmd, const char *arg,
		 enum mshvcpu_policy *policy);
/* "lapic,x2apic,gpa-super-pages,nested,smt" -> MSHVCPU_CREATE_* */
int parse_create_flags(struct cli *cli, const char *cmd, const char *arg,
		       unsigned int *flags);

/*
 * A set from a command-line argument: a host record / profile / partition
 * record file (partition: its effective features), or a profile spec.
 * Returns 0, or an exit status after reporting the error.
 */
int load_set_arg(struct cli *cli, const char *what, const char *arg,
		 enum mshvcpu_revision rev, struct mshvcpu_host *host);

/*
 * Streams of hosts for baseline and pools: files (one JSON document),
 * *.jsonl files and "-" (JSON Lines, one record per line, read in bounded
 * memory), directories (their *.json and *.jsonl files, sorted), and specs.
 */
struct host_sink {
	int (*host)(void *ctx, const struct mshvcpu_host *host, const char *source,
		    unsigned int line, struct mshvcpu_error *err);
	void *ctx;
};
/* 0, or an exit status after reporting the error. */
int read_hosts(struct cli *cli, const char *cmd, int argc, char **argv,
	       const struct host_sink *sink, size_t *count);

/* The in-process model options shared by create, cpuid and emu. */
struct model_opts {
	const char *host;		/* NULL: this machine */
	const char *kernel;		/* ABI level name, NULL: default */
	const char *trace;
};

#endif
