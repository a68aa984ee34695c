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
	bool quiet;		/* -q: no warnings or notes (errors still) */
	const char *argv0;
	char **argv;		/* the whole command line, for running it again */
};

/*
 * Options: one table (options.c) for every command, so that a letter or a
 * long name means one thing everywhere. A command lists the options it
 * takes (struct cli_use); its getopt strings and the option lines of its
 * --help are made from the table.
 */
enum cli_opt {
	/* Every command takes these. */
	OPT_JSON, OPT_PRETTY, OPT_QUIET, OPT_NO_COLOR, OPT_HELP,
	/* Before a command only. */
	OPT_VERSION,
	/* By name. */
	OPT_ALL, OPT_ALLOW_V1, OPT_DEVICE, OPT_DIFF, OPT_DISABLED, OPT_ENFORCE, OPT_FLAGS, OPT_FORMAT,
	OPT_FROM, OPT_HOST, OPT_IN_PROCESS, OPT_KERNEL, OPT_LOG, OPT_LONG, OPT_MAX_NAMES,
	OPT_MAX_PAIRS, OPT_MODELS, OPT_NAMES, OPT_NO_INITIALIZE, OPT_OUTPUT, OPT_POLICY,
	OPT_REVISION, OPT_SOURCE, OPT_STRICT, OPT_TO, OPT_TRACE, OPT_VENDOR, OPT_VERBOSE,
	OPT_WORD,
	OPT_COUNT,
};

struct cli_option {
	const char *name;	/* the long name, without "--" */
	char letter;		/* the short letter, or 0 */
	const char *arg;	/* the argument's name, NULL for a switch */
	const char *help;	/* what it does, in general */
};
extern const struct cli_option cli_options[OPT_COUNT];

/* An option as one command takes it; the list ends with { OPT_COUNT }. */
struct cli_use {
	enum cli_opt opt;
	const char *help;	/* this command's words for it; NULL: the table's */
};

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;	/* one line, in `mshvcpu --help` */
	const char *usage;	/* after "Usage: mshvcpu NAME " */
	const char *about;	/* paragraphs ("\n" between), before the options */
	const struct cli_use *opts;
	const char *after;	/* paragraphs after the options, or NULL */
	const char *const *examples;	/* NULL-terminated command lines, or NULL */
	bool stop_at_operand;	/* options end at the first operand (emu: COMMAND's own) */
	void (*help)(struct cli *cli);	/* prints the help instead (the tool itself) */
};

/* The commands (cmd_*.c), and the tool itself (main.c). */
extern const struct command command_features, command_show, command_decode,
	command_encode, command_host, command_compare, command_baseline, command_pools,
	command_check_migration, command_create, command_cpuid, command_emu, command_apply,
	command_help;
/* The command called @name, or NULL. */
const struct command *cli_command(const char *name);
/* Every command, for `mshvcpu --help` and suggestions; NULL-terminated. */
extern const struct command *const cli_commands[];

/*
 * The next option of @cmd's command line (getopt_long underneath, its
 * optarg and optind): an enum cli_opt, or CLI_END when the options are
 * over. The options every command takes are handled here; -h/--help prints
 * @cmd's help. A bad option is reported (with "did you mean" where a name
 * is close). Both give a value below CLI_END: return cli_stop(value).
 */
#define CLI_END (-1)
#define CLI_HELPED (-2)		/* --help printed: exit status 0 */
#define CLI_FAILED (-3)		/* a bad option reported: exit status 2 */
int cli_getopt(struct cli *cli, const struct command *cmd, int argc, char **argv);
static inline int cli_stop(int value)
{
	return value == CLI_HELPED ? EXIT_YES : EXIT_USAGE;
}
/* @cmd's --help on stdout; the lines of the common options, then @cmd's. */
void cli_help(struct cli *cli, const struct command *cmd);
void cli_help_options(const struct command *cmd);

/*
 * "did you mean": the names among @names (@n) closest to @typed by optimal
 * string alignment distance (a swap of neighbours counts one edit), when
 * close enough to be a typo. Writes "'a'" or "'a' or 'b'" (each with
 * @prefix) to @buf; false when nothing is that close.
 */
bool cli_suggest(const char *typed, const char *const *names, size_t n,
		 const char *prefix, char *buf, size_t size);
size_t cli_edit_distance(const char *a, const char *b);

/* Errors: one line "mshvcpu: <what>: <why>" on stderr; returns @status. */
int cli_fail(struct cli *cli, int status, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A library error, with file:line:column when it has one. */
int cli_fail_lib(struct cli *cli, int status, const char *what,
		 const struct mshvcpu_error *err, int code);
/*
 * The same for an error about record @line of @source (a stream) that the
 * library could not place: "<source>:<line>: <message>". @line 0: no place.
 */
int cli_fail_lib_at(struct cli *cli, int status, const char *what, const char *source,
		    unsigned int line, const struct mshvcpu_error *err, int code);
/* The exit status for a failed spec parse: EXIT_USAGE, or EXIT_RUNTIME for a file's fault. */
int cli_spec_status(const struct mshvcpu_error *err, int code);
/* Usage error: the message plus a pointer to --help; returns EXIT_USAGE. */
int cli_usage(struct cli *cli, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Warning line "mshvcpu: warning: ..." on stderr; none with -q. */
void cli_warn(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A note "mshvcpu: <what>: ..." on stderr; none with -q. */
void cli_note(struct cli *cli, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

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

/*
 * Fitting text to the width. cli_width() is COLUMNS when that is a number,
 * else the terminal's width when stdout is one, else 80 (at least 20).
 * cli_wrap() writes @text and a newline on @f, the line already holding
 * @col characters: it breaks between words so that no line is wider, and
 * starts each further line with @indent blanks ("\n" in @text breaks too).
 * A word wider than a line is cut between characters. Widths are counted
 * in characters: a UTF-8 sequence is one, our colour codes none.
 * cli_wrap_marked() ends each broken line with @mark (" \\" for commands).
 * CLI_GLUE in @text shows as a blank that is never a break ("NAME (0x48)");
 * text from outside cannot hold it (it is escaped first).
 */
#define CLI_GLUE "\037"
int cli_width(void);
size_t cli_text_width(const char *s);
void cli_wrap(FILE *f, size_t col, size_t indent, const char *text);
/* @prefix, then the formatted text wrapped after it, further lines indented @indent. */
void cli_wrapf(FILE *f, const char *prefix, size_t indent, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void cli_wrap_marked(FILE *f, size_t col, size_t indent, const char *mark, const char *text);
/* Names separated by blanks, indented by @indent, wrapped. */
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

/*
 * Tables: aligned columns, header row in bold on a terminal, fitted to the
 * width (table_print() says how). @quiet: a value not worth showing when
 * the column has to move under its row ("same"); "" and "-" never are.
 */
struct table_col {
	const char *header;
	const char *quiet;
};
struct table;
struct table *table_new(size_t ncols, const struct table_col *cols);
void table_add(struct table *t, const char *const *cells);
void table_print(struct cli *cli, struct table *t, FILE *f);
void table_free(struct table *t);

/* "7.0 EBX[5]", "MSR 0x10a[3]" or "-" for @f on @vendor. */
void cli_format_location(const struct mshvcpu_feature *f, enum mshvcpu_vendor vendor,
			 char *buf, size_t len);

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
/*
 * What a profile asks that cannot be given (profile_check.c): features
 * only another vendor shows in CPUID, and, with @host, a vendor clash or
 * features @host knows it lacks. Without @enforce they are warnings and
 * the result is 0; with it the first is an error naming them, and the
 * result is its exit status (EXIT_USAGE: the spec asks the impossible).
 */
int cli_profile_check(struct cli *cli, const char *cmd, const struct mshvcpu_profile *p,
		      const struct mshvcpu_featureset *host, const char *host_name, bool enforce);

int parse_policy(struct cli *cli, const char *cmd, const char *arg,
		 enum mshvcpu_policy *policy);
/* "lapic,x2apic,gpa-super-pages,nested,smt" -> MSHVCPU_CREATE_* */
int parse_create_flags(struct cli *cli, const char *cmd, const char *arg,
		       unsigned int *flags);

/* A whole file (at most 64 MiB), NUL-terminated; 0, or an exit status after reporting. */
int cli_read_file(struct cli *cli, const char *what, const char *path, char **text,
		  size_t *len);

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
/*
 * A sink returns 0 or a negative errno; @err is for the library calls it
 * makes (their message), never filled by hand: the reader adds where the
 * record was (source:line) when it reports the error.
 */
struct host_sink {
	int (*host)(void *ctx, const struct mshvcpu_host *host, struct mshvcpu_error *err);
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
