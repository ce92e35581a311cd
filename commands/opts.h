/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line options, perf's parse-options way: each command lists its
 * options in a table of rows, and a row binds an option to the field it
 * sets, with its parser, its --help line and its default.
 *
 * To add an option: one row in the command's table (an OPT_* below, in
 * the place --help shows it) plus the field in the command's options
 * struct. If several commands take it, its row goes once in the shared
 * table, ch_shared_options[] in commands/shared_opts.c, with its field
 * in struct ch_opts, and each command that takes it lists OPT_PARENT().
 *
 * The shared table's rows bind the fields of a struct ch_opts given to
 * ch_parse_options(); a command that gives one refuses the shared
 * options it does not list as not applying, not as unknown.
 */
#ifndef CH_OPTS_H
#define CH_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmemmap/mix.h"
#include "variants/variants.h"

struct ch_option;

/* Take @arg (NULL for a flag) into the row's field: 0, or 2 after one line. */
typedef int ch_opt_parse_fn(const struct ch_option *opt, const char *arg);
/* The field's value as --help shows it as the default; NULL: none. */
typedef const char *ch_opt_show_fn(const struct ch_option *opt, char *buf,
				   size_t len);

struct ch_option {
	const char *name;		/* without the "--"; NULL ends a table */
	const char *arg;		/* "SIZE"; NULL: a flag, takes no value */
	const char *help;		/* what it sets, in a few words */
	const char *(*valid)(void);	/* its closed list, for --help */
	const char *def;		/* --help's default; NULL: show()'s */
	bool required;			/* its command checks that */
	ch_opt_parse_fn *parse;
	ch_opt_show_fn *show;
	void *value;			/* the field */
	size_t off;			/* a shared row's, in struct ch_opts */
	const void *data;		/* a closed list, a range: the parser's */
	bool *seen;			/* set when given, if not NULL */
	bool prefix;			/* takes every "--NAME..." argument,
					   wherever it stands (NAME ends "*") */
	bool parent;			/* the shared row of this name, but
					   for what this row sets */
};

/* A closed list of names with their values, ended by .name NULL. */
struct ch_opt_value {
	const char *name;
	int value;
};

/*
 * What a choice row takes: a registry's @nr names, whose index it sets;
 * or what @find (-1: none) makes of a name; or a list of values.
 */
struct ch_opt_choice {
	const char *const *names;	/* also how --help shows an index */
	int nr;
	int (*find)(const char *name);
	const struct ch_opt_value *values;
	const char *err;		/* printf format of (arg, valid list) */
};

/*
 * A whole number from min to max. Out of it: "--NAME 'ARG': expected "
 * and expect, or "a whole number from MIN to MAX"; with min 0 and no
 * expect, ch_parse_u64()'s own message.
 */
struct ch_opt_range {
	uint64_t min, max;
	const char *expect;
};

ch_opt_parse_fn ch_opt_flag, ch_opt_string, ch_opt_size, ch_opt_u64,
	ch_opt_int, ch_opt_fraction, ch_opt_choice, ch_opt_append;
ch_opt_show_fn ch_opt_show_size, ch_opt_show_u64, ch_opt_show_choice;

/*
 * Each takes, after its arguments, designated initializers for what it
 * does not set itself: .valid = list, .required = true, .seen = &given.
 * The value's type is checked: *v is what the parser writes.
 */
#define OPT_END()	{ .name = NULL }
/* a flag: *v = true when given */
#define OPT_BOOLEAN(n, v, h, ...)					\
	{ .name = (n), .help = (h), .def = "off", .parse = ch_opt_flag,	\
	  .value = (bool *){ v }, __VA_ARGS__ }
/* a string, taken as given; d: --help's default */
#define OPT_STRING(n, a, v, h, d, ...)					\
	{ .name = (n), .arg = (a), .help = (h), .def = (d),		\
	  .parse = ch_opt_string, .value = (const char **){ v },	\
	  __VA_ARGS__ }
/* a size with K, M, G, T */
#define OPT_SIZE(n, a, v, h, ...)					\
	{ .name = (n), .arg = (a), .help = (h), .parse = ch_opt_size,	\
	  .show = ch_opt_show_size, .value = (uint64_t *){ v },		\
	  __VA_ARGS__ }
/* a whole number in the struct ch_opt_range *r */
#define OPT_U64(n, a, v, h, r, ...)					\
	{ .name = (n), .arg = (a), .help = (h), .parse = ch_opt_u64,	\
	  .show = ch_opt_show_u64, .value = (uint64_t *){ v },		\
	  .data = (r), __VA_ARGS__ }
#define OPT_INT(n, a, v, h, r, d, ...)					\
	{ .name = (n), .arg = (a), .help = (h), .def = (d),		\
	  .parse = ch_opt_int, .value = (int *){ v }, .data = (r),	\
	  __VA_ARGS__ }
/* a name of the struct ch_opt_choice *c, whose list l() --help shows */
#define OPT_CHOICE(n, a, v, h, l, c, ...)				\
	{ .name = (n), .arg = (a), .help = (h), .valid = (l),		\
	  .parse = ch_opt_choice, .show = ch_opt_show_choice,		\
	  .value = (int *){ v }, .data = (c), __VA_ARGS__ }
/* p(opt, arg) takes the value into *v; s (or NULL) shows it */
#define OPT_CALLBACK(n, a, v, h, p, s, ...)				\
	{ .name = (n), .arg = (a), .help = (h), .parse = (p),		\
	  .show = (s), .value = (v), __VA_ARGS__ }
/* every "--PREFIX..." argument (n: "PREFIX*"), wherever it stands */
#define OPT_PASSTHROUGH(n, v, h, ...)					\
	{ .name = (n), .help = (h), .parse = ch_opt_append,		\
	  .value = (struct ch_opt_args *){ v }, .prefix = true,		\
	  __VA_ARGS__ }
/*
 * The shared row @n as ch_shared_options[] has it, but for what the
 * designated initializers after @n set: .def, .help, .valid, .required,
 * .seen; e.g. OPT_PARENT("mem", .def = "64M; 16M with --quick")
 */
#define OPT_PARENT(n, ...)	{ .name = (n), .parent = true, __VA_ARGS__ }

/* The options several commands take: their rows, their fields' offsets. */
extern const struct ch_option ch_shared_options[];

/* What an OPT_PASSTHROUGH row took, in order; v holds the whole argc. */
struct ch_opt_args {
	int n;
	char **v;
};

#define CH_DEFAULT_SEED	1

/* The fields of the shared table's rows; see ch_opts_init(). */
struct ch_opts {
	const struct ch_variant *variant;
	int layout;
	struct ch_mix mix;
	uint64_t mem;
	uint64_t seed;
	int key;			/* CH_KEY_AUTO, 0, 1 */
	int walk;
	int shape;			/* -1: the command's (sweep: both) */
	int pick;
	double tail_fraction;		/* < 0: not given */
	uint64_t ops;
	int cpu;			/* -1: not pinned */
	const char *events;
	bool json;
	const char *control;		/* perf --control fd:CTL,ACK or fifo:... */
	bool quick;
	const char *out;
	int chunk;			/* ops per chunk, 0: the module's */
	int hvo;			/* --hvo: -1 any, 0 off, 1 on */
	int instances;			/* 0: the command's default */
	int reps;			/* per instance; 0: the default */
	bool reseed;			/* a new seed for each instance */
	bool quiet;			/* no progress on stderr */
	bool allow_concurrent;		/* time beside another run */
};

/*
 * The shared fields' defaults, --mix @default_mix (NULL: none) and --mem
 * @default_mem: what the parser starts from and --help shows. 0, or 2
 * after a message.
 */
int ch_opts_init(struct ch_opts *o, const char *default_mix,
		 uint64_t default_mem);

/* What a command's --help says besides its options. */
struct ch_cmd_help {
	const char *const *usage;	/* after "chbench ", NULL-ended */
	const char *summary;		/* one line, or NULL */
};

/*
 * Parse argv[1..] (argv[0] is the command, as the messages name it) by
 * the table @t, whose OPT_PARENT rows bind the fields of @shared (NULL:
 * it has none). --help or -h prints the page of @help (NULL: a plain
 * one) and exits 0. Returns how many arguments are left, moved to
 * argv[0..] with NULL after them, or -1 after a one-line error.
 */
int ch_parse_options(int argc, char **argv, const struct ch_option *t,
		     struct ch_opts *shared, const struct ch_cmd_help *help);

/* ch_parse_options()'s --help page, on stdout, without parsing. */
void ch_options_usage(const char *cmd, const struct ch_option *t,
		      struct ch_opts *shared, const struct ch_cmd_help *help);

/* --help or -h in argv[1..], before any "--" */
bool ch_opts_want_help(int argc, char **argv);

/* "chbench: " + message + newline on stderr; returns 2 */
int ch_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* commands/opts_apply.c: what the options say to the layers below */
struct ch_scenario;
struct ch_bench_opts;

/*
 * What the options of run (and kernel run) say: variant, shape, key,
 * mix, mem, seed and walk; the layout is the caller's.
 */
void ch_scenario_from_opts(struct ch_scenario *sc, const struct ch_opts *o);

/*
 * What bench and the sweeps take from their parsed options: these and
 * the instances' defaults (for --quick and not).
 */
void ch_bench_opts_set(struct ch_bench_opts *bo, const struct ch_opts *o,
		       int argc, char **argv, char **gb_argv);

#endif /* CH_OPTS_H */
