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

/* @t with its OPT_PARENT rows bound to @shared, and the shared rest */
void ch_opt_table_resolve(struct ch_opt_table *rt, const struct ch_option *t,
			  struct ch_opts *shared);
/* the --help page of @rt's rows that apply, on stdout */
void ch_opt_table_usage(const char *cmd, const struct ch_opt_table *rt,
			const struct ch_cmd_help *help);
/* what the shared options must be together: 0, or 2 after a message */
int ch_opts_check(struct ch_opts *o);

#endif /* CH_OPTS_TABLE_H */
