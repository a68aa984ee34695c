// SPDX-License-Identifier: MIT
/*
 * Every option of every command, in one table. A command names the options
 * it takes; its getopt strings, its --help lines and its error messages are
 * made from here, so a letter or a long name cannot mean two things.
 *
 * Rules the table keeps: each letter names one option; no command takes a
 * letter in both cases except -h (help) beside -H (host); options used
 * rarely have no letter. mshvcpu(1), section OPTIONS, lists the same.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const struct cli_option cli_options[OPT_COUNT] = {
	[OPT_JSON] = { "json", 'j', NULL, "JSON output: one document, with a versioned \"schema\"" },
	[OPT_PRETTY] = { "pretty", 'p', NULL, "pretty-printed JSON output" },
	[OPT_QUIET] = { "quiet", 'q', NULL,
			"no warnings or notes on standard error (errors are still reported)" },
	[OPT_NO_COLOR] = { "no-color", 0, NULL, "no colour (also: NO_COLOR in the environment)" },
	[OPT_HELP] = { "help", 'h', NULL, "help, with examples" },
	[OPT_VERSION] = { "version", 'V', NULL, "the version" },
	[OPT_ALL] = { "all", 'a', NULL, "include reserved and test bits" },
	[OPT_ALLOW_V1] = { "allow-v1", 0, NULL,
			   "on a kernel before 6.19, accept the v1 struct (every feature the "
			   "host offers) instead of failing" },
	[OPT_DEVICE] = { "device", 'D', "PATH", "the mshv device (default /dev/mshv)" },
	[OPT_DIFF] = { "diff", 0, NULL, "only what differs from the host" },
	[OPT_DISABLED] = { "disabled", 'd', NULL, "the words are disabled masks" },
	[OPT_ENFORCE] = { "enforce", 'e', NULL,
			  "fail, naming them, when the host or the vendor cannot give every "
			  "feature asked for" },
	[OPT_FLAGS] = { "flags", 'F', "FLAGS",
			"partition flags: lapic,x2apic,gpa-super-pages,nested,smt" },
	[OPT_FORMAT] = { "format", 0, "FMT", "words (default), struct, c or json" },
	[OPT_FROM] = { "from", 0, "RECORD", "the partition record to move (the source)" },
	[OPT_HOST] = { "host", 'H', "HOST", "a host: a host record, model, words or spec" },
	[OPT_IN_PROCESS] = { "in-process", 0, NULL, "use the hypervisor model in this process" },
	[OPT_KERNEL] = { "kernel", 'k', "LEVEL",
			 "the driver release: v1-only (before 6.19), cpu-features (6.19), "
			 "nested-smt (2026, default)" },
	[OPT_LOG] = { "log", 0, "FILE", "append a JSON line per event to FILE" },
	[OPT_LONG] = { "long", 'l', NULL, "every field of each entry" },
	[OPT_MAX_NAMES] = { "max-names", 0, "N", "host names to list per pool (default 5)" },
	[OPT_MAX_PAIRS] = { "max-pairs", 'm', "N",
			    "compare pairs among the N largest pools (default 16)" },
	[OPT_MODELS] = { "models", 0, NULL, "the named models instead of features" },
	[OPT_NAMES] = { "names", 'n', NULL, "names only, one per line (scripts, completion)" },
	[OPT_NO_INITIALIZE] = { "no-initialize", 0, NULL,
				"stop before MSHV_INITIALIZE_PARTITION" },
	[OPT_OUTPUT] = { "output", 'o', "FILE",
			 "write the result as JSON to FILE, atomically; - is standard output" },
	[OPT_POLICY] = { "policy", 0, "POLICY",
			 "forward-compatible (default): bits the revision does not name stay "
			 "enabled; migration-safe: they are disabled" },
	[OPT_REVISION] = { "revision", 'r', "REV",
			   "the header revision of names: linux-6.19 or hv-2026 (default)" },
	[OPT_SOURCE] = { "source", 0, "SRC", "auto (default), hypervisor or cpuid" },
	[OPT_STRICT] = { "strict", 's', NULL,
			 "apply modifiers bare; fail if a prerequisite breaks" },
	[OPT_TO] = { "to", 0, "HOST", "the target host" },
	[OPT_TRACE] = { "trace", 'T', "FILE", "append the hypercall trace to FILE (JSON Lines)" },
	[OPT_VENDOR] = { "vendor", 0, "VENDOR", "CPUID locations as seen on intel, amd or hygon" },
	[OPT_VERBOSE] = { "verbose", 'v', NULL, "say what is done, on standard error" },
	[OPT_WORD] = { "word", 'w', "WORD", "one word: bank0, bank1, bank2 or xsave" },
};

/* Every command takes these, in this order. */
static const enum cli_opt common[] = {
	OPT_JSON, OPT_PRETTY, OPT_QUIET, OPT_NO_COLOR, OPT_HELP,
};

/* Long names that changed: still taken by the commands that take @opt. */
static const struct {
	const char *name;
	enum cli_opt opt;
} renamed[] = {
	{ "names", OPT_MAX_NAMES },	/* pools --names N: --names is a switch elsewhere */
};

/* Letters an option had before the table: a pointer to its long name. */
static const struct {
	char letter;
	enum cli_opt opt;
} retired[] = {
	{ 'V', OPT_VENDOR },	/* -V is --version */
	{ 'P', OPT_POLICY },	/* beside -p, --pretty */
	{ 'd', OPT_DIFF },	/* -d is --disabled */
	{ 'f', OPT_FORMAT },	/* beside -F, --flags */
	{ 'f', OPT_FROM },
	{ 't', OPT_TO },
	{ 's', OPT_SOURCE },	/* -s is --strict */
	{ 'n', OPT_MAX_NAMES },	/* -n is --names */
};

/* getopt's value for an option: its letter, or one of these plus its number. */
#define VAL_LONG 0x100
#define VAL_RENAMED 0x200

static bool takes(const struct command *cmd, enum cli_opt opt)
{
	const struct cli_use *u;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(common); i++)
		if (common[i] == opt)
			return true;
	for (u = cmd->opts; u && u->opt != OPT_COUNT; u++)
		if (u->opt == opt)
			return true;
	return false;
}

static struct {
	const struct command *cmd;
	struct option longopts[OPT_COUNT + ARRAY_SIZE(renamed) + 1];
	char shortopts[3 + 2 * OPT_COUNT + 1];
	const char *names[OPT_COUNT];	/* the long names @cmd takes, for suggestions */
	size_t nnames;
} parser;

static void build(const struct command *cmd)
{
	size_t n = 0, i;
	char *s = parser.shortopts;
	int id;

	memset(&parser, 0, sizeof(parser));
	parser.cmd = cmd;
	if (cmd->stop_at_operand)
		*s++ = '+';
	*s++ = ':';	/* a missing argument is ':', an unknown option '?' */
	for (id = 0; id < OPT_COUNT; id++) {
		const struct cli_option *o = &cli_options[id];

		if (!takes(cmd, id))
			continue;
		parser.longopts[n++] = (struct option){
			.name = o->name,
			.has_arg = o->arg ? required_argument : no_argument,
			.val = o->letter ? o->letter : VAL_LONG + id,
		};
		parser.names[parser.nnames++] = o->name;
		if (o->letter) {
			*s++ = o->letter;
			if (o->arg)
				*s++ = ':';
		}
	}
	for (i = 0; i < ARRAY_SIZE(renamed); i++) {
		size_t k;
		bool clash = false;

		for (k = 0; k < n; k++)
			clash |= strcmp(parser.longopts[k].name, renamed[i].name) == 0;
		if (clash || !takes(cmd, renamed[i].opt))
			continue;
		parser.longopts[n++] = (struct option){
			.name = renamed[i].name,
			.has_arg = cli_options[renamed[i].opt].arg ? required_argument : no_argument,
			.val = VAL_RENAMED + (int)renamed[i].opt,
		};
	}
	*s = '\0';
}

/* The option getopt's @val stands for, or OPT_COUNT. */
static enum cli_opt opt_of(const struct command *cmd, int val)
{
	int id;

	if (val >= VAL_RENAMED)
		return val - VAL_RENAMED < OPT_COUNT ? (enum cli_opt)(val - VAL_RENAMED) : OPT_COUNT;
	if (val >= VAL_LONG)
		return val - VAL_LONG < OPT_COUNT ? (enum cli_opt)(val - VAL_LONG) : OPT_COUNT;
	for (id = 0; id < OPT_COUNT; id++)
		if (val && cli_options[id].letter == val && takes(cmd, id))
			return id;
	return OPT_COUNT;
}

/* "--name" or "-x, --name" for messages. */
static void spelling(enum cli_opt opt, char *buf, size_t size)
{
	const struct cli_option *o = &cli_options[opt];

	if (o->letter)
		snprintf(buf, size, "-%c/--%s", o->letter, o->name);
	else
		snprintf(buf, size, "--%s", o->name);
}

__attribute__((format(printf, 3, 4)))
static int opt_error(struct cli *cli, const struct command *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cmd->help)	/* the tool itself, before a command */
		cli_fail(cli, EXIT_USAGE, "usage", "%s", msg);
	else
		cli_fail(cli, EXIT_USAGE, cmd->name, "%s", msg);
	return CLI_FAILED;
}

static int help_hint(const struct command *cmd, char *buf, size_t size)
{
	if (cmd->help)
		return snprintf(buf, size, " (see 'mshvcpu --help')");
	return snprintf(buf, size, " (see 'mshvcpu %s --help')", cmd->name);
}

static int bad_long(struct cli *cli, const struct command *cmd, const char *arg)
{
	char name[128], hint[256], more[512];
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg), i, matches = 0;

	snprintf(name, sizeof(name), "%.*s", (int)(len > 2 ? len - 2 : 0), arg + 2);
	more[0] = '\0';
	/* An abbreviation of more than one: say which. */
	for (i = 0; i < parser.nnames; i++) {
		if (!name[0] || strncmp(parser.names[i], name, strlen(name)) != 0)
			continue;
		if (matches++ < 4)
			snprintf(more + strlen(more), sizeof(more) - strlen(more), "%s--%s",
				 matches > 1 ? ", " : "", parser.names[i]);
	}
	if (matches > 1)
		return opt_error(cli, cmd, "ambiguous option '--%s' (%s)", name, more);
	if (cli_suggest(name, parser.names, parser.nnames, "--", hint, sizeof(hint)))
		return opt_error(cli, cmd, "unknown option '--%s'; did you mean %s?", name, hint);
	help_hint(cmd, hint, sizeof(hint));
	return opt_error(cli, cmd, "unknown option '--%s'%s", name, hint);
}

static int bad_letter(struct cli *cli, const struct command *cmd, int letter)
{
	char hint[256], was[64];
	size_t i;

	/* A letter an option of this command used to have. */
	for (i = 0; i < ARRAY_SIZE(retired); i++) {
		if (retired[i].letter != letter || !takes(cmd, retired[i].opt))
			continue;
		spelling(retired[i].opt, was, sizeof(was));
		return opt_error(cli, cmd, "unknown option '-%c'; use %s (it has no short "
				 "letter)", letter, was);
	}
	help_hint(cmd, hint, sizeof(hint));
	if (letter > ' ' && letter < 0x7f)
		return opt_error(cli, cmd, "unknown option '-%c'%s", letter, hint);
	return opt_error(cli, cmd, "unknown option%s", hint);
}

int cli_getopt(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	extern int optopt;

	if (parser.cmd != cmd)
		build(cmd);
	opterr = 0;	/* our own one-line errors, not getopt's */
	for (;;) {
		int val = getopt_long(argc, argv, parser.shortopts, parser.longopts, NULL);
		const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
		enum cli_opt opt;
		char name[64];

		if (val == -1)
			return CLI_END;
		if (val == ':') {
			opt = opt_of(cmd, optopt);
			if (opt == OPT_COUNT)
				return bad_letter(cli, cmd, optopt);
			spelling(opt, name, sizeof(name));
			return opt_error(cli, cmd, "%s needs an argument (%s)", name,
					 cli_options[opt].arg);
		}
		if (val == '?') {
			/* optopt: an unknown letter, or a switch given "=VALUE"; 0: a long name. */
			opt = opt_of(cmd, optopt);
			if (optopt && opt != OPT_COUNT && strncmp(arg, "--", 2) == 0) {
				spelling(opt, name, sizeof(name));
				return opt_error(cli, cmd, "%s takes no argument", name);
			}
			if (optopt)
				return bad_letter(cli, cmd, optopt);
			return bad_long(cli, cmd, arg);
		}
		opt = opt_of(cmd, val);
		if (val >= VAL_RENAMED) {
			size_t i;

			for (i = 0; i < ARRAY_SIZE(renamed); i++)
				if (renamed[i].opt == opt)
					cli_warn(cli, "%s: --%s %s is now --%s %s", cmd->name,
						 renamed[i].name, cli_options[opt].arg,
						 cli_options[opt].name, cli_options[opt].arg);
		}
		switch (opt) {
		case OPT_JSON:
			if (cli->mode == OUT_TEXT)
				cli->mode = OUT_JSON;
			continue;
		case OPT_PRETTY:
			cli->mode = OUT_JSON_PRETTY;
			continue;
		case OPT_QUIET:
			cli->quiet = true;
			continue;
		case OPT_NO_COLOR:
			cli->color = false;
			cli->color_forced_off = true;
			continue;
		case OPT_HELP:
			cli_help(cli, cmd);
			return CLI_HELPED;
		default:
			return (int)opt;
		}
	}
}

/*
 * Help
 */

/* Paragraphs separated by "\n", each wrapped, a blank line between. */
static void paragraphs(const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char *one = strndup(text, len);

		if (!one)
			abort();
		cli_wrap(stdout, 0, 0, one);
		free(one);
		text += len;
		if (*text) {
			text++;
			putchar('\n');
		}
	}
}

/* Option lines: "  -r, --revision REV   text", the text from column 23. */
#define HELP_COLUMN 23

static void option_line(enum cli_opt opt, const char *help)
{
	const struct cli_option *o = &cli_options[opt];
	char label[64];
	int n;

	n = snprintf(label, sizeof(label), "  %c%c%c --%s%s%s", o->letter ? '-' : ' ',
		     o->letter ? o->letter : ' ', o->letter ? ',' : ' ', o->name,
		     o->arg ? " " : "", o->arg ? o->arg : "");
	if (n + 2 > HELP_COLUMN) {
		printf("%s\n%*s", label, HELP_COLUMN, "");
	} else {
		printf("%-*s", HELP_COLUMN, label);
	}
	cli_wrap(stdout, HELP_COLUMN, HELP_COLUMN, help ? help : o->help);
}

void cli_help_options(const struct command *cmd)
{
	const struct cli_use *u;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(common); i++)
		option_line(common[i], NULL);
	for (u = cmd->opts; u && u->opt != OPT_COUNT; u++)
		option_line(u->opt, u->help);
}

void cli_help(struct cli *cli, const struct command *cmd)
{
	const struct cli_use *u;
	char line[512];
	size_t i, used = 0;

	if (cmd->help) {
		cmd->help(cli);
		return;
	}
	snprintf(line, sizeof(line), "Usage: mshvcpu %s %s", cmd->name, cmd->usage);
	cli_wrap(stdout, 0, 7, line);
	paragraphs(cmd->about);
	if (cmd->opts && cmd->opts->opt != OPT_COUNT) {
		putchar('\n');
		for (u = cmd->opts; u->opt != OPT_COUNT; u++)
			option_line(u->opt, u->help);
	}
	/* The options every command takes, named from the table. */
	used = (size_t)snprintf(line, sizeof(line), "Every command also takes");
	for (i = 0; i < ARRAY_SIZE(common); i++) {
		char name[64];

		spelling(common[i], name, sizeof(name));
		used += (size_t)snprintf(line + used, sizeof(line) - used, "%s %s",
					 i == 0 ? "" : i + 1 == ARRAY_SIZE(common) ? " and" : ",",
					 name);
	}
	snprintf(line + used, sizeof(line) - used, " (see 'mshvcpu --help').");
	putchar('\n');
	cli_wrap(stdout, 0, 0, line);
	if (cmd->after) {
		putchar('\n');
		paragraphs(cmd->after);
	}
	if (cmd->examples && cmd->examples[0]) {
		printf("\nExamples:\n");
		for (i = 0; cmd->examples[i]; i++) {
			printf("  ");
			cli_wrap_marked(stdout, 2, 6, " \\", cmd->examples[i]);
		}
	}
}

/*
 * "did you mean"
 */

#define SUGGEST_MAX 64	/* longer words are no typo of a name */

size_t cli_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t rows[3][SUGGEST_MAX + 1];	/* i-2, i-1, i */

	if (la > SUGGEST_MAX || lb > SUGGEST_MAX)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		rows[0][j] = j;
	for (i = 1; i <= la; i++) {
		size_t *prev2 = rows[(i + 1) % 3], *prev = rows[(i + 2) % 3], *cur = rows[i % 3];

		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], best = prev[j - 1] + cost;

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			/* Two neighbours swapped: one edit. */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
	}
	return rows[la % 3][lb];
}

bool cli_suggest(const char *typed, const char *const *names, size_t n,
		 const char *prefix, char *buf, size_t size)
{
	/* A typo is a few edits: one in a short word, one per three letters in longer ones. */
	size_t limit = strlen(typed) / 3 ? strlen(typed) / 3 : 1, best = (size_t)-1, i, used = 0;
	int shown = 0;

	if (limit > 3)
		limit = 3;
	for (i = 0; i < n; i++) {
		size_t d = cli_edit_distance(typed, names[i]);

		if (d < best)
			best = d;
	}
	if (best > limit || best == 0)
		return false;
	buf[0] = '\0';
	for (i = 0; i < n && shown < 3; i++) {
		if (cli_edit_distance(typed, names[i]) != best)
			continue;
		used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s'%s%s'",
					 shown ? " or " : "", prefix, names[i]);
		shown++;
	}
	return used < size;
}
