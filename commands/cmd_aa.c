// SPDX-License-Identifier: GPL-2.0
/*
 * chbench aa: only A/A pairs.  --pairs cases, spread evenly over the
 * default suite, each built twice as two arms with their own instances
 * and run like bench (instances in rounds, repetitions interleaved).
 * Every difference is noise, so the share claimed different is the
 * false-claim rate on this machine, which should sit at or below alpha.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "commands/cmds.h"
#include "commands/opts.h"
#include "lib/util.h"
#include "commands/exit.h"

#define CH_AA_PAIRS	40

const struct ch_cmd_help ch_aa_help = {
	.usage = (const char *const []){
		"aa [options] [--benchmark_*=VALUE ...]", NULL,
	},
	.summary = "A/A pairs of the default cases: the false-claim rate here",
	.defaults = (const struct ch_opt_default []){
		{ .bit = CH_O_PAIRS, .def = CH_STRINGIFY(CH_AA_PAIRS) },
		{ 0 },
	},
	/* bench's memmaps, bench's defaults */
	.base = &ch_bench_help,
};

int cmd_aa(int argc, char **argv)
{
	struct ch_bench_opts bo = { .kind = "aa" };
	struct ch_scenario *suite = NULL, *cases = NULL;
	char **gb_argv, **copy;
	struct ch_opts o;
	int i, n, pairs, ret = 2;

	gb_argv = calloc(argc + 1, sizeof(*gb_argv));
	copy = calloc(argc + 1, sizeof(*copy));
	if (!gb_argv || !copy)
		return ch_usage_error("out of memory");
	if (ch_bench_parse("aa", argc, argv, CH_O_PAIRS, &ch_aa_help, &o, &bo,
			   copy, gb_argv))
		goto out;
	n = ch_bench_suite(&o, &suite);
	if (n < 0)
		goto out;
	pairs = o.pairs ? o.pairs : CH_AA_PAIRS;
	if (pairs > n) {
		ret = ch_usage_error("aa: --pairs %d: the default suite has %d cases; give at most %d",
				     pairs, n, n);
		goto out;
	}
	cases = calloc(2 * pairs, sizeof(*cases));
	if (!cases) {
		ret = ch_usage_error("out of memory");
		goto out;
	}
	/* evenly spread, so that every mix, size, walk and shape is in */
	for (i = 0; i < pairs; i++) {
		const struct ch_scenario *sc = &suite[(long)i * n / pairs];

		cases[2 * i] = *sc;
		cases[2 * i].arm = 1;
		cases[2 * i + 1] = *sc;
		cases[2 * i + 1].arm = 2;
	}
	bo.control = false;	/* every pair is one */
	bo.aa = true;
	ret = ch_exit_status(ch_bench_run(cases, 2 * pairs, &bo));
out:
	free(cases);
	free(suite);
	free(copy);
	free(gb_argv);
	return ret;
}
