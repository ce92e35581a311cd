// SPDX-License-Identifier: GPL-2.0
/*
 * chbench bench: the default suite, the main job. Every variant on its
 * natural layout and every variant on the plain memmap, over four folio
 * mixes, three walks, a cache-resident and a DRAM-sized memmap, and both
 * code shapes; repeated, randomly interleaved, through Google Benchmark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "commands/cmds.h"
#include "commands/opts.h"
#include "vmemmap/suite.h"
#include "lib/units.h"
#include "lib/util.h"
#include "commands/exit.h"

/* the suite's memmaps: vmemmap/suite.h's 64M, and --mem (default 4G) */
#define CH_BENCH_MEM_SMALL	CH_SUITE_MEM_SMALL
#define CH_BENCH_MEM_LARGE	(4ULL << 30)

/*
 * The default suite: every mix, both memmap sizes, every walk, both
 * shapes, every suite pair.  *cases is allocated; returns how many, or
 * -1 after a message.
 */
int ch_bench_suite(const struct ch_opts *o, struct ch_scenario **out)
{
	struct ch_suite_pair pairs[CH_MAX_SUITE_PAIRS];
	int nr_pairs = ch_suite_pairs(pairs);
	struct ch_scenario *cases;
	size_t m, w, s, z;
	char err[256];
	int p, n = 0;

	cases = calloc(CH_SUITE_NR_MIXES * CH_SUITE_NR_MEMS * nr_pairs *
		       CH_NR_WALKS * CH_NR_SHAPES, sizeof(*cases));
	if (!cases)
		return ch_usage_error("out of memory"), -1;
	for (m = 0; m < CH_SUITE_NR_MIXES; m++)
	for (z = 0; z < CH_SUITE_NR_MEMS; z++)
	for (w = 0; w < CH_NR_WALKS; w++)
	for (s = 0; s < CH_NR_SHAPES; s++)
	for (p = 0; p < nr_pairs; p++) {
		struct ch_scenario *sc = &cases[n++];

		sc->variant = pairs[p].variant;
		sc->layout = pairs[p].layout;
		sc->key = pairs[p].key;
		sc->shape = s;
		if (ch_mix_parse(ch_suite_mixes[m], &sc->mix, err,
				 sizeof(err))) {
			free(cases);
			return ch_usage_error("%s", err), -1;
		}
		sc->mem = z ? o->mem : CH_BENCH_MEM_SMALL;
		sc->seed = o->seed;
		sc->walk = ch_walk_spec_any(w, ch_suite_ops(o->quick, z,
							     sc->mem >> 12),
					    o->seed);
	}
	*out = cases;
	return n;
}

const struct ch_cmd_help ch_bench_help = {
	.usage = (const char *const []){
		"bench [options] [--benchmark_*=VALUE ...]", NULL,
	},
	.summary = "the default suite through Google Benchmark, into results/",
};

int ch_bench_parse(const char *cmd, int argc, char **argv,
		   const struct ch_option *t, const struct ch_cmd_help *help,
		   struct ch_opts *o, struct ch_bench_opts *bo,
		   struct ch_opt_args *gb, char **copy)
{
	char err[64];
	int left;

	memcpy(copy, argv, argc * sizeof(*argv));
	ch_opts_init(o, NULL, CH_BENCH_MEM_LARGE);
	left = ch_parse_options(argc, copy, t, o, help);
	if (left < 0)
		return 2;
	if (o->mem <= CH_BENCH_MEM_SMALL)
		return ch_usage_error("%s: --mem %s is the DRAM-sized memmap's RAM and must exceed the cache-resident 64M; e.g. --mem 4G or 16G",
				      cmd,
				      ch_fmt_size(o->mem, err, sizeof(err)));
	if (left)
		return ch_usage_error("%s: unexpected argument '%s'; Google Benchmark flags start with --benchmark_",
				      cmd, copy[0]);
	bo->gb_argc = gb->n;
	ch_bench_opts_set(bo, o, argc, argv, gb->v);
	return 0;
}

int cmd_bench(int argc, char **argv)
{
	struct ch_bench_opts bo = { .kind = "bench" };
	struct ch_scenario *cases = NULL;
	struct ch_opt_args gb = { 0 };
	struct ch_opts o;
	const struct ch_option options[] = {
		CH_BENCH_OPT_MEM, OPT_PARENT("seed"), CH_BENCH_OPT_CPU,
		OPT_PARENT("events"), OPT_PARENT("quick"), OPT_PARENT("out"),
		CH_BENCH_OPT_INSTANCING, OPT_PARENT("reseed"),
		OPT_PARENT("quiet"), OPT_PARENT("allow-concurrent"),
		CH_BENCH_OPT_GB(&gb),
		OPT_END(),
	};
	char **copy;
	int n, ret = 2;

	gb.v = calloc(argc + 1, sizeof(*gb.v));
	copy = calloc(argc + 1, sizeof(*copy));
	if (!gb.v || !copy)
		return ch_usage_error("out of memory");
	if (ch_bench_parse("bench", argc, argv, options, &ch_bench_help, &o,
			   &bo, &gb, copy))
		goto out;
	n = ch_bench_suite(&o, &cases);
	if (n < 0)
		goto out;
	ret = ch_exit_status(ch_bench_run(cases, n, &bo));
out:
	free(cases);
	free(copy);
	free(gb.v);
	return ret;
}
