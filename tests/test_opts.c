// SPDX-License-Identifier: GPL-2.0
/*
 * commands/opts.c, the option parser: a row of each kind sets its field,
 * a shared row serves two commands with their own words, and what is
 * wrong is refused in one line that names what is valid. The --help a
 * table generates, and the dispatch of commands, as the user sees them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands/cmds.h"
#include "commands/opts.h"
#include "lib/util.h"

/* What a stream got while captured: stdout (1) or stderr (2). */
static struct {
	FILE *tmp;
	int fd, saved;
	char text[8192];
} cap;

static void capture(int fd)
{
	fflush(NULL);
	cap.tmp = tmpfile();
	assert_non_null(cap.tmp);
	cap.fd = fd;
	cap.saved = dup(fd);
	dup2(fileno(cap.tmp), fd);
}

static const char *captured(void)
{
	size_t n;

	fflush(NULL);
	dup2(cap.saved, cap.fd);
	close(cap.saved);
	rewind(cap.tmp);
	n = fread(cap.text, 1, sizeof(cap.text) - 1, cap.tmp);
	cap.text[n] = '\0';
	fclose(cap.tmp);
	return cap.text;
}

/* Parse @args (argv[0] "cmd", NULL-ended) by @t; stderr in cap.text. */
static int parse(const struct ch_option *t, struct ch_opts *shared,
		 char **argv)
{
	int argc = 0, n;

	while (argv[argc])
		argc++;
	capture(2);
	n = ch_parse_options(argc, argv, t, shared, NULL);
	captured();
	return n;
}

static const struct ch_opt_range n_range = { 1, 10, NULL };
static const struct ch_opt_value level_values[] = {
	{ "low", 0 }, { "high", 7 }, { .name = NULL },
};
static const char *const colour_names[] = { "red", "green" };
static const struct ch_opt_choice level_choice = {
	.values = level_values, .err = "--level '%s': valid: %s",
}, colour_choice = {
	.names = colour_names, .nr = 2, .err = "unknown colour '%s'; valid: %s",
};

static const char *level_list(void)
{
	return "low, high";
}

static const char *colour_list(void)
{
	return "red, green";
}

/* a callback's own check: anything but "bad" */
static int parse_word(const struct ch_option *opt, const char *arg)
{
	if (!strcmp(arg, "bad"))
		return ch_usage_error("--word: not 'bad'");
	*(const char **)opt->value = arg;
	return 0;
}

/* Every kind of row, and what they set. */
struct kinds {
	bool flag, seen;
	const char *str, *word;
	uint64_t size, big;
	int n, level, colour;
	struct ch_opt_args gb;
	char *gb_v[8];
};

#define KIND_ROWS(k)							\
	OPT_BOOLEAN("flag", &(k)->flag, "a flag"),			\
	OPT_STRING("str", "S", &(k)->str, "a string", "none"),		\
	OPT_SIZE("size", "SIZE", &(k)->size, "a size"),			\
	OPT_U64("big", "N", &(k)->big, "a u64", &n_range),		\
	OPT_INT("n", "N", &(k)->n, "an int", &n_range, NULL,		\
		.seen = &(k)->seen),					\
	OPT_CHOICE("level", "L", &(k)->level, "a value", level_list,	\
		   &level_choice),					\
	OPT_CHOICE("colour", "C", &(k)->colour, "a name", colour_list,	\
		   &colour_choice),					\
	OPT_CALLBACK("word", "W", &(k)->word, "a callback", parse_word,	\
		     NULL),						\
	OPT_PASSTHROUGH("gb_*", &(k)->gb, "passed on")

static void every_kind_sets_its_field(void **state)
{
	struct kinds k = { .level = 7 };
	const struct ch_option t[] = { KIND_ROWS(&k), OPT_END() };
	char *argv[] = {
		"cmd", "--flag", "--str", "s", "--gb_x=1", "--size", "2M",
		"--big=10", "--n", "3", "--level", "low", "--colour", "green",
		"--word", "w", "left", "--gb_y", "--n", "4", NULL,
	};

	(void)state;
	k.gb.v = k.gb_v;
	assert_int_equal(parse(t, NULL, argv), 3);
	assert_true(k.flag);
	assert_true(k.seen);
	assert_string_equal(k.str, "s");
	assert_int_equal(k.size, 2 << 20);
	assert_int_equal(k.big, 10);
	assert_int_equal(k.n, 3);
	assert_int_equal(k.level, 0);
	assert_int_equal(k.colour, 1);
	assert_string_equal(k.word, "w");
	/* the pass-through's, wherever they stood; what is left, in order */
	assert_int_equal(k.gb.n, 2);
	assert_string_equal(k.gb.v[0], "--gb_x=1");
	assert_string_equal(k.gb.v[1], "--gb_y");
	assert_string_equal(argv[0], "left");
	assert_string_equal(argv[1], "--n");
	assert_string_equal(argv[2], "4");
	assert_null(argv[3]);
	assert_string_equal(cap.text, "");
}

/* Each bad value: refused by its row, in its own words. */
static void bad_values_are_refused_by_their_row(void **state)
{
	static const struct {
		const char *opt, *arg, *msg;
	} bad[] = {
		{ "--n", "11", "chbench: --n '11': expected a whole number from 1 to 10\n" },
		{ "--n", "0", "chbench: --n '0': expected a whole number from 1 to 10\n" },
		{ "--level", "mid", "chbench: --level 'mid': valid: low, high\n" },
		{ "--colour", "blue", "chbench: unknown colour 'blue'; valid: red, green\n" },
		{ "--word", "bad", "chbench: --word: not 'bad'\n" },
	};
	struct kinds k = { 0 };
	const struct ch_option t[] = { KIND_ROWS(&k), OPT_END() };
	size_t i;

	(void)state;
	k.gb.v = k.gb_v;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char *argv[] = { "cmd", (char *)bad[i].opt,
				 (char *)bad[i].arg, NULL };

		assert_int_equal(parse(t, NULL, argv), -1);
		assert_string_equal(cap.text, bad[i].msg);
	}
}

static void unknown_option_names_the_valid_ones(void **state)
{
	bool a = false, b = false;
	const struct ch_option t[] = {
		OPT_BOOLEAN("alpha", &a, "a"), OPT_BOOLEAN("beta", &b, "b"),
		OPT_END(),
	};
	char *argv[] = { "cmd", "--alpha", "--gamma", NULL };

	(void)state;
	assert_int_equal(parse(t, NULL, argv), -1);
	assert_string_equal(cap.text,
			    "chbench: cmd: unknown option '--gamma'; valid: --alpha, --beta\n");
}

static void missing_value_is_refused(void **state)
{
	const char *s = NULL;
	const struct ch_option t[] = {
		OPT_STRING("str", "S", &s, "a string", NULL), OPT_END(),
	};
	char *argv[] = { "cmd", "--str", NULL };

	(void)state;
	assert_int_equal(parse(t, NULL, argv), -1);
	assert_string_equal(cap.text,
			    "chbench: cmd: option '--str' needs a value\n");
}

/* one shared row, two commands, each with its own word on it */
static void shared_row_serves_two_commands(void **state)
{
	struct ch_opts o;
	const struct ch_option one[] = {
		OPT_PARENT("mem"), OPT_PARENT("json"), OPT_END(),
	}, two[] = {
		OPT_PARENT("mem", .help = "the second's RAM", .def = "its own"),
		OPT_END(),
	};
	char *a1[] = { "one", "--mem", "1G", "--json", NULL };
	char *a2[] = { "two", "--mem=2G", NULL };
	char *a3[] = { "two", "--json", NULL };

	(void)state;
	ch_opts_init(&o, NULL, 4ULL << 30);
	assert_int_equal(parse(one, &o, a1), 0);
	assert_int_equal(o.mem, 1ULL << 30);
	assert_true(o.json);
	ch_opts_init(&o, NULL, 4ULL << 30);
	assert_int_equal(parse(two, &o, a2), 0);
	assert_int_equal(o.mem, 2ULL << 30);
	/* a shared option the command does not take: not unknown */
	assert_int_equal(parse(two, &o, a3), -1);
	assert_string_equal(cap.text,
			    "chbench: two: option '--json' does not apply; valid: --mem\n");

	ch_opts_init(&o, NULL, 4ULL << 30);
	capture(1);
	ch_options_usage("one", one, &o, NULL);
	assert_string_equal(captured(),
		"usage: chbench one [options]\n\noptions:\n"
		"  --mem SIZE  the RAM the memmap describes (K, M, G, T) (default: 4G)\n"
		"  --json      print one JSON object (default: off)\n");
	capture(1);
	ch_options_usage("two", two, &o, NULL);
	assert_string_equal(captured(),
		"usage: chbench two [options]\n\noptions:\n"
		"  --mem SIZE  the second's RAM (default: its own)\n");
}

/* the page: usage, summary, one line each, wrapped under its column */
static void help_is_generated_from_the_table(void **state)
{
	static const char *const usage[] = { "cmd [options]", "cmd X", NULL };
	static const struct ch_cmd_help help = {
		.usage = usage, .summary = "what it does",
	};
	struct kinds k = { .size = 64 << 20, .big = 5, .level = 7 };
	const struct ch_option t[] = {
		KIND_ROWS(&k),
		OPT_STRING("a-rather-long-option-name", "VALUE", &k.str,
			   "a long one, whose meaning wraps onto the next line because it is long",
			   NULL, .required = true),
		OPT_END(),
	};

	(void)state;
	capture(1);
	ch_options_usage("cmd", t, NULL, &help);
	assert_string_equal(captured(),
		"usage: chbench cmd [options]\n"
		"   or: chbench cmd X\n"
		"what it does\n"
		"\noptions:\n"
		/* the longest left side past the most, 28: on its own line */
		"  --flag                    a flag (default: off)\n"
		"  --str S                   a string (default: none)\n"
		"  --size SIZE               a size (default: 64M)\n"
		"  --big N                   a u64 (default: 5)\n"
		"  --n N                     an int\n"
		"  --level L                 a value: low, high (default: high)\n"
		"  --colour C                a name: red, green (default: red)\n"
		"  --word W                  a callback\n"
		"  --gb_*                    passed on\n"
		"  --a-rather-long-option-name VALUE\n"
		"                            a long one, whose meaning wraps onto the next line\n"
		"                            because it is long (required)\n");
}

static int ran;

static int cmd_one(int argc, char **argv)
{
	(void)argv;
	ran = argc;
	return 0;
}

static void dispatch_runs_the_named_and_lists_the_built(void **state)
{
	static const struct ch_cmd cmds[] = {
		{ "one", cmd_one, NULL }, { "absent", NULL, NULL },
		{ "two", cmd_one, NULL },
	};
	static const struct ch_cmd_set set = {
		.prefix = "top: ", .what = "thing", .cmd = cmds, .nr = 3,
	};
	char *ok[] = { "top", "two", "x", NULL };
	char *bad[] = { "top", "absent", NULL };
	char names[64];

	(void)state;
	assert_int_equal(ch_cmd_dispatch(&set, 3, ok), 0);
	assert_int_equal(ran, 2);
	capture(2);
	assert_int_equal(ch_cmd_dispatch(&set, 2, bad), 2);
	assert_string_equal(captured(),
			    "chbench: top: unknown thing 'absent'; valid: one, two\n");
	assert_string_equal(ch_cmd_names(&set, "|", names, sizeof(names)),
			    "one|two");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_kind_sets_its_field),
		cmocka_unit_test(bad_values_are_refused_by_their_row),
		cmocka_unit_test(unknown_option_names_the_valid_ones),
		cmocka_unit_test(missing_value_is_refused),
		cmocka_unit_test(shared_row_serves_two_commands),
		cmocka_unit_test(help_is_generated_from_the_table),
		cmocka_unit_test(dispatch_runs_the_named_and_lists_the_built),
	};

	return cmocka_run_group_tests_name("opts", tests, NULL, NULL);
}
