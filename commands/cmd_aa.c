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
};

static const struct ch_opt_range pairs_range = { 1, 10000, NULL };

int cmd_aa(int argc, char **argv)
{
	struct ch_bench_opts bo = { .kind = "aa" };
	struct ch_scenario *suite = NULL, *cases = NULL;
	struct ch_opt_args gb = { 0 };
	int i, n, pairs = CH_AA_PAIRS, ret = 2;
	struct ch_opts o;
	/* bench's memmaps, bench's defaults */
	const struct ch_option options[] = {
		CH_BENCH_OPT_MEM, OPT_PARENT("seed"), CH_BENCH_OPT_CPU,
		OPT_PARENT("events"), OPT_PARENT("quick"), OPT_PARENT("out"),
		CH_BENCH_OPT_INSTANCING, OPT_PARENT("reseed"),
		OPT_PARENT("quiet"),
		OPT_INT("pairs", "N", &pairs,
			"A/A pairs, spread over the default suite",
			&pairs_range, CH_STRINGIFY(CH_AA_PAIRS)),
		OPT_PARENT("allow-concurrent"),
		CH_BENCH_OPT_GB(&gb),
		OPT_END(),
	};
	char **copy;

	gb.v = calloc(argc + 1, sizeof(*gb.v));
	copy = calloc(argc + 1, sizeof(*copy));
	if (!gb.v || !copy)
		return ch_usage_error("out of memory");
	if (ch_bench_parse("aa", argc, argv, options, &ch_aa_help, &o, &bo,
			   &gb, copy))
		goto out;
	n = ch_bench_suite(&o, &suite);
	if (n < 0)
		goto out;
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
	free(gb.v);
	return ret;
}
