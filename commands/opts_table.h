/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the option parser: a command's table as it parses (opts.c). */
#ifndef CH_OPTS_TABLE_H
#define CH_OPTS_TABLE_H

#include "commands/opts.h"

/* a command's rows and the shared ones, more than any command has */
#define CH_OPT_MAX	64
/* getopt_long()'s val of row i: CH_OPT_VAL0 + i, clear of '?' and ':' */
#define CH_OPT_VAL0	256

struct ch_opt_table {
	struct ch_option row[CH_OPT_MAX];
	size_t nr_apply;	/* the command's, in its order */
	size_t nr;		/* then the shared ones it does not take */
};

/*
 * @t with its OPT_PARENT rows taken from @parent and bound to the struct
 * at @base, then @parent's other rows, known but refused as such (@base
 * NULL: no parent rows at all).
 */
void ch_opt_table_resolve(struct ch_opt_table *rt, const struct ch_option *t,
			  const struct ch_option *parent, void *base);
/*
 * argv[1..] by @rt: the prefix rows' arguments taken out first (*@argc
 * then counts what is left), then getopt_long(). Returns the index of
 * the first argument that is no option, or -1 after a one-line error.
 */
int ch_opt_table_parse(const struct ch_opt_table *rt, int *argc, char **argv);
/* the --help page of @rt's rows that apply, on stdout (opts_help.c) */
void ch_opt_table_usage(const char *cmd, const struct ch_opt_table *rt,
			const struct ch_cmd_help *help);

#endif /* CH_OPTS_TABLE_H */
