/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options shared by the chbench commands. */
#ifndef CH_OPTS_H
#define CH_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmemmap/mix.h"
#include "variants/variants.h"

enum ch_opt_bit {
	CH_O_VARIANT	= 1 << 0,
	CH_O_LAYOUT	= 1 << 1,
	CH_O_MIX	= 1 << 2,
	CH_O_MEM	= 1 << 3,
	CH_O_SEED	= 1 << 4,
	CH_O_KEY	= 1 << 5,
	CH_O_WALK	= 1 << 6,
	CH_O_SHAPE	= 1 << 7,
	CH_O_PICK	= 1 << 8,
	CH_O_TAILFRAC	= 1 << 9,
	CH_O_OPS	= 1 << 10,
	CH_O_CPU	= 1 << 11,
	CH_O_EVENTS	= 1 << 12,
	CH_O_JSON	= 1 << 13,
	CH_O_CONTROL	= 1 << 14,
	CH_O_QUICK	= 1 << 15,
	CH_O_OUT	= 1 << 16,
	/* --variant for chbench kernel: checked against chbench.ko's table */
	CH_O_KVARIANT	= 1 << 17,
	CH_O_CHUNK	= 1 << 18,
	CH_O_HVO	= 1 << 19,
	CH_O_INSTANCES	= 1 << 20,
	CH_O_REPS	= 1 << 21,
	CH_O_RESEED	= 1 << 22,
	CH_O_QUIET	= 1 << 23,
	CH_O_PAIRS	= 1 << 24,
	/* a timing run beside another: see bench/runlock.h */
	CH_O_ALLOW_CONCURRENT	= 1 << 25,
};

/* bench, the sweeps and aa: --instances, --reps-per-instance, --reseed */
#define CH_O_INSTANCING	(CH_O_INSTANCES | CH_O_REPS | CH_O_RESEED)
/* the most memmap instances one case may have */
#define CH_MAX_INSTANCES	64

#define CH_DEFAULT_SEED	1

struct ch_opts {
	unsigned int given;		/* CH_O_* seen on the command line */
	unsigned int allowed;
	const struct ch_variant *variant;
	const char *variant_name;	/* as given */
	int layout;
	struct ch_mix mix;
	uint64_t mem;
	uint64_t seed;
	int key;			/* CH_KEY_AUTO, 0, 1 */
	int walk;
	int shape;
	int pick;
	double tail_fraction;		/* < 0: not given */
	uint64_t ops;
	int cpu;			/* -1: not pinned */
	const char *events;
	bool json;
	const char *control;		/* perf --control fd:CTL,ACK or fifo:... */
	bool quick;
	const char *out;
	uint32_t chunk;			/* ops per chunk, 0: the module's */
	int hvo;			/* --hvo: -1 any, 0 off, 1 on */
	int instances;			/* 0: the command's default */
	int reps;			/* per instance; 0: the default */
	bool reseed;			/* a new seed for each instance */
	bool quiet;			/* no progress on stderr */
	int pairs;			/* chbench aa; 0: the default */
	bool allow_concurrent;		/* time beside another run */
	int argc;			/* what is left (for passing through) */
	char **argv;
};

/*
 * An option as --help shows it, perf's OPT_* way, one line each:
 *
 *   --name ARG   help: valid() (default: def)
 */
struct ch_opt_help {
	const char *name;		/* without the "--" */
	const char *arg;		/* "SIZE"; NULL: a flag, takes no value */
	const char *help;		/* what it sets, in a few words */
	const char *(*valid)(void);	/* its closed list, from the registry */
	const char *def;		/* the default; NULL: none shown */
	bool required;
};

/* An option of a table: its --help, getopt_long's val, the CH_O_* bit. */
struct ch_opt {
	struct ch_opt_help h;
	int val;
	unsigned int bit;		/* a command's own table: any non-zero */
};

/* perf's OPT_*: an option that takes a value, and a flag (default off) */
#define CH_OPT_ARG(_name, _arg, _val, _bit, _help, _valid, _def)	\
	{ .h = { .name = (_name), .arg = (_arg), .help = (_help),	\
		 .valid = (_valid), .def = (_def) },			\
	  .val = (_val), .bit = (_bit) }
#define CH_OPT_FLAG(_name, _val, _bit, _help)				\
	{ .h = { .name = (_name), .help = (_help), .def = "off" },	\
	  .val = (_val), .bit = (_bit) }

/* A command's own word on an option of the table; NULL: the table's. */
struct ch_opt_default {
	unsigned int bit;		/* CH_O_*; 0 ends a list */
	const char *def;
	const char *help;
	const char *(*valid)(void);
	bool required;
};

/* What a command's --help says besides its options' table lines. */
struct ch_cmd_help {
	const char *const *usage;	/* after "chbench ", NULL-ended */
	const char *summary;		/* one line, or NULL */
	const struct ch_opt_default *defaults;	/* ends at .bit 0, or NULL */
	const struct ch_opt_help *extra;	/* parsed by the command itself,
						   ends at .name NULL, or NULL */
	const struct ch_cmd_help *base;	/* defaults and extra shared with
					   other commands, or NULL */
};

/*
 * Parse argv[1..] (argv[0] is the command) accepting only the options in
 * @allowed. --help or -h prints @help's page (NULL: a plain one) with the
 * defaults as parsed, and exits 0. Returns 0, or 2 after printing a
 * one-line error.
 */
int ch_opts_parse(struct ch_opts *o, int argc, char **argv,
		  unsigned int allowed, const char *default_mix,
		  uint64_t default_mem, const struct ch_cmd_help *help);

/* ch_opts_parse()'s --help page, on stdout, without parsing. */
void ch_opts_help(const char *cmd, unsigned int allowed,
		  const char *default_mix, uint64_t default_mem,
		  const struct ch_cmd_help *help);

/* For a command with its own table @t of @n options. */
struct option;
/* --help or -h in argv[1..], before any "--" */
bool ch_opts_want_help(int argc, char **argv);
/* getopt_long()'s table: @lo holds @n + 1 */
void ch_opts_longopts(const struct ch_opt *t, size_t n, struct option *lo);
/* "--a, --b": the options of @t with a bit in @allowed, or "none" */
const char *ch_opts_names(const struct ch_opt *t, size_t n,
			  unsigned int allowed, char *buf, size_t len);
/* The --help page of the options of @t in @allowed, on stdout. */
void ch_opts_table_help(const char *cmd, const struct ch_opt *t, size_t n,
			unsigned int allowed, const struct ch_cmd_help *help);

/* "chbench: " + message + newline on stderr; returns 2 */
int ch_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif /* CH_OPTS_H */
