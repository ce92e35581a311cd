// SPDX-License-Identifier: GPL-2.0
/*
 * chbench sweep mem|tail: the two curves that explain the bench's numbers.
 *
 *   mem:  the memmap from L1-resident to far beyond the LLC, in log
 *         steps, for each variant on its natural layout and the floor on
 *         each layout: cache and TLB behaviour;
 *   tail: the share of tail pages in the walk from 0 to 1, for the same
 *         cases in both code shapes, on a cache-resident memmap: how
 *         predictable the PageTail() branch is.
 *
 * Both go through ch_bench_run(), so they write a results directory in
 * the same form as 'chbench bench', with kind "sweep-mem" or "sweep-tail".
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

#define CH_SWEEP_MAX_STEPS	64
#define CH_SWEEP_MEM_TOP	(16ULL << 30)	/* 256 MiB of memmap */
#define CH_SWEEP_MEM_BOTTOM	(1ULL << 20)	/* 16 KiB of memmap */
#define CH_SWEEP_TAIL_MEM	(64ULL << 20)	/* 1 MiB: as bench's small one */
#define CH_SWEEP_MIX		"mixed"

/*
 * A walk revisits the same ops struct pages on every pass, so it can only
 * miss in a cache larger than ops cache lines. To reach DRAM, the mem
 * sweep does about one op per struct page, within these bounds.
 */
#define CH_SWEEP_OPS_MIN	(1U << 15)
#define CH_SWEEP_OPS_MAX_QUICK	(1U << 20)	/* 64 MiB of lines */
#define CH_SWEEP_OPS_MAX	(1U << 22)	/* 256 MiB of lines */
#define CH_SWEEP_TAIL_OPS_QUICK	(1U << 15)
#define CH_SWEEP_TAIL_OPS	(1U << 18)

enum sweep_kind {
	SWEEP_MEM,
	SWEEP_TAIL,
	NR_SWEEP_KINDS,
};

/* indexed by enum sweep_kind: argv[1], and the results' kind */
static const char *const sweep_names[NR_SWEEP_KINDS] = { "mem", "tail" };
static const char *const sweep_result_kinds[NR_SWEEP_KINDS] = {
	"sweep-mem", "sweep-tail",
};

struct sweep {
	enum sweep_kind kind;
	uint64_t mem[CH_SWEEP_MAX_STEPS];
	double tail[CH_SWEEP_MAX_STEPS];
	int nr;				/* steps */
};

/* A list as --mix and --events take it: no empty item, not too long. */
static int check_list(const char *opt, const char *arg, size_t max)
{
	size_t n = strlen(arg);

	if (n >= max)
		return ch_usage_error("%s: the list is %zu bytes long; at most %zu",
				      opt, n, max - 1);
	if (!n || *arg == ',' || arg[n - 1] == ',' || strstr(arg, ",,"))
		return ch_usage_error("%s '%s': empty item; give a comma list such as %s",
				      opt, arg, !strcmp(opt, "--mem") ?
				      "1M,64M,1G" : "0,0.5,1");
	return 0;
}

/* Split "A..B" in place; *hi is NULL when s is not a range. */
static char *split_range(char *s, char **hi)
{
	char *dots = strstr(s, "..");

	*hi = NULL;
	if (dots) {
		*dots = '\0';
		*hi = dots + 2;
	}
	return s;
}

static int add_mem(struct sweep *sw, uint64_t mem, uint64_t min,
		   const struct ch_mix *mix)
{
	char a[32], b[32];
	int i;

	if (mem < min)
		return ch_usage_error("sweep mem: --mem %s is below %s, the least that holds a folio of every order in --mix %s; start the sweep there",
				      ch_fmt_size(mem, a, sizeof(a)),
				      ch_fmt_size(min, b, sizeof(b)),
				      mix->name);
	if (mem % CH_PAGE_SIZE)
		return ch_usage_error("sweep mem: --mem %s is not a multiple of 4K",
				      ch_fmt_size(mem, a, sizeof(a)));
	if (sw->nr == CH_SWEEP_MAX_STEPS)
		return ch_usage_error("sweep mem: more than %d sizes",
				      CH_SWEEP_MAX_STEPS);
	for (i = 0; i < sw->nr; i++)
		if (sw->mem[i] == mem)
			return ch_usage_error("sweep mem: --mem names %s twice; give each size once",
					      ch_fmt_size(mem, a, sizeof(a)));
	sw->mem[sw->nr++] = mem;
	return 0;
}

/*
 * --mem LO..HI: LO, 2*LO, 4*LO, ... up to HI, and HI itself (every 4th
 * power of two with --quick); or a comma list; or one size. Without it,
 * from the least the mix allows (16 KiB of memmap at the least) to 16G.
 */
static int parse_mems(struct sweep *sw, const char *arg, bool quick,
		      const struct ch_mix *mix)
{
	uint64_t min = CH_PAGE_SIZE << ch_mix_max_order(mix);
	uint64_t lo, hi, m;
	char buf[256], err[256], *s, *tok, *save, *end;

	if (!arg) {
		lo = min > CH_SWEEP_MEM_BOTTOM ? min : CH_SWEEP_MEM_BOTTOM;
		hi = CH_SWEEP_MEM_TOP;
		goto range;
	}
	if (check_list("--mem", arg, sizeof(buf)))
		return 2;
	snprintf(buf, sizeof(buf), "%s", arg);
	s = split_range(buf, &end);
	if (end) {
		if (ch_parse_size("--mem", s, &lo, err, sizeof(err)) ||
		    ch_parse_size("--mem", end, &hi, err, sizeof(err)))
			return ch_usage_error("sweep mem: %s; a range is LO..HI, e.g. 1M..16G",
					      err);
		if (!lo || lo > hi)
			return ch_usage_error("sweep mem: --mem %s: LO must be above 0 and at most HI",
					      arg);
		goto range;
	}
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (ch_parse_size("--mem", tok, &m, err, sizeof(err)))
			return ch_usage_error("%s", err);
		if (add_mem(sw, m, min, mix))
			return 2;
	}
	return sw->nr ? 0 : ch_usage_error("sweep mem: --mem '%s' names no size",
					   arg);
range:
	for (m = lo; m < hi; m <<= quick ? 2 : 1)
		if (add_mem(sw, m, min, mix))
			return 2;
	return add_mem(sw, hi, min, mix);
}

/*
 * --tail-fraction LO..HI: LO, LO+0.1, ... and HI (steps of 0.25 with
 * --quick); or a comma list; or one fraction. Without it, 0..1.
 */
static int parse_tails(struct sweep *sw, const char *arg, bool quick)
{
	double lo = 0, hi = 1, step = quick ? 0.25 : 0.1;
	char buf[256], err[256], *s, *tok, *save, *end;
	int i;

	if (!arg)
		goto range;
	if (check_list("--tail-fraction", arg, sizeof(buf)))
		return 2;
	snprintf(buf, sizeof(buf), "%s", arg);
	s = split_range(buf, &end);
	if (end) {
		if (ch_parse_fraction("--tail-fraction", s, &lo, err,
				      sizeof(err)) ||
		    ch_parse_fraction("--tail-fraction", end, &hi, err,
				      sizeof(err)))
			return ch_usage_error("sweep tail: %s; a range is LO..HI, e.g. 0..1",
					      err);
		if (lo > hi)
			return ch_usage_error("sweep tail: --tail-fraction %s: LO is above HI",
					      arg);
		goto range;
	}
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (sw->nr == CH_SWEEP_MAX_STEPS)
			return ch_usage_error("sweep tail: more than %d fractions",
					      CH_SWEEP_MAX_STEPS);
		if (ch_parse_fraction("--tail-fraction", tok,
				      &sw->tail[sw->nr], err, sizeof(err)))
			return ch_usage_error("%s", err);
		/* case names round: 0.1 and 0.1000001 would be one case */
		for (i = 0; i < sw->nr; i++) {
			struct ch_walk_spec a = { .tail_fraction = sw->tail[i] };
			struct ch_walk_spec b = { .tail_fraction =
						  sw->tail[sw->nr] };
			char x[64], y[64];

			if (!strcmp(ch_walk_label(&a, x, sizeof(x)),
				    ch_walk_label(&b, y, sizeof(y))))
				return ch_usage_error("sweep tail: --tail-fraction %g and %g are both %s in case names; give fractions that differ there",
						      sw->tail[i],
						      sw->tail[sw->nr], x);
		}
		sw->nr++;
	}
	return sw->nr ? 0 :
	       ch_usage_error("sweep tail: --tail-fraction '%s' names no fraction",
			      arg);
range:
	/* by index, so that 0.1 steps land on 0.30, not 0.30000000000000004 */
	for (i = 0; lo + i * step < hi - 1e-9 &&
		    sw->nr < CH_SWEEP_MAX_STEPS - 1; i++)
		sw->tail[sw->nr++] = lo + i * step;
	sw->tail[sw->nr++] = hi;
	return 0;
}

static uint64_t mem_ops(uint64_t mem, bool quick)
{
	uint64_t ops = mem >> CH_PAGE_SHIFT;
	uint64_t max = quick ? CH_SWEEP_OPS_MAX_QUICK : CH_SWEEP_OPS_MAX;

	if (ops < CH_SWEEP_OPS_MIN)
		return CH_SWEEP_OPS_MIN;
	return ops > max ? max : ops;
}

/*
 * The sweep's steps from its range option (NULL: the default range); for
 * tail, a --mem that holds the largest folio of the mix. 0, or 2 after a
 * message.
 */
static int sweep_steps(struct sweep *sw, const char *range,
		       const struct ch_opts *o)
{
	uint64_t min_mem;
	char sz[32];

	if (sw->kind == SWEEP_MEM ? parse_mems(sw, range, o->quick, &o->mix) :
				    parse_tails(sw, range, o->quick))
		return 2;
	min_mem = CH_PAGE_SIZE << ch_mix_max_order(&o->mix);
	if (sw->kind == SWEEP_TAIL && o->mem < min_mem)
		return ch_usage_error("sweep tail: --mix %s needs --mem of at least %s",
				      o->mix.name,
				      ch_fmt_size(min_mem, sz, sizeof(sz)));
	return 0;
}

/*
 * One case per step, code shape (just --shape's, if given) and natural
 * suite pair. NULL when out of memory; else *nr is how many.
 */
static struct ch_scenario *sweep_cases(const struct sweep *sw,
				       const struct ch_opts *o, int *nr)
{
	struct ch_suite_pair pairs[CH_MAX_SUITE_PAIRS];
	int nr_pairs = ch_suite_pairs(pairs);
	int nr_shapes = o->shape < 0 ? CH_NR_SHAPES : 1;
	struct ch_scenario *cases;
	int i, s, p, n = 0;

	cases = calloc(sw->nr * nr_pairs * nr_shapes, sizeof(*cases));
	if (!cases)
		return NULL;
	for (i = 0; i < sw->nr; i++)
	for (s = 0; s < nr_shapes; s++)
	for (p = 0; p < nr_pairs; p++) {
		struct ch_scenario *sc;

		if (!pairs[p].natural)
			continue;
		sc = &cases[n++];

		sc->variant = pairs[p].variant;
		sc->layout = pairs[p].layout;
		sc->key = pairs[p].key;
		sc->shape = o->shape < 0 ? s : o->shape;
		sc->mix = o->mix;
		sc->seed = o->seed;
		if (sw->kind == SWEEP_MEM) {
			sc->mem = sw->mem[i];
			sc->walk = ch_walk_spec_any(o->walk,
					mem_ops(sc->mem, o->quick), o->seed);
		} else {
			sc->mem = o->mem;
			sc->walk = ch_walk_spec_any(o->walk, o->quick ?
					CH_SWEEP_TAIL_OPS_QUICK :
					CH_SWEEP_TAIL_OPS, o->seed);
			sc->walk.tail_fraction = sw->tail[i];
		}
	}
	*nr = n;
	return cases;
}

#define CH_SWEEP_SUMMARY	"mem | tail: ns/op against memmap size or tail fraction"

const struct ch_cmd_help ch_sweep_help = { .summary = CH_SWEEP_SUMMARY };

static const struct ch_cmd_help sweep_helps[NR_SWEEP_KINDS] = {
	{ .usage = (const char *const []){
		"sweep mem [--mem LO..HI | --mem A,B,...] [options]", NULL },
	  .summary = CH_SWEEP_SUMMARY },
	{ .usage = (const char *const []){
		"sweep tail [--tail-fraction LO..HI | A,B,...] [options]",
		NULL },
	  .summary = CH_SWEEP_SUMMARY },
};

/* What a sweep's options fill in. */
struct sweep_args {
	struct ch_opts o;
	struct ch_opt_args gb;
	const char *range;	/* --mem's or --tail-fraction's; NULL: none */
	char mem_def[128];	/* --mem RANGE's default, for --help */
};

/* bench's options, as a sweep takes them */
#define SWEEP_OPTIONS							\
	OPT_PARENT("seed"), OPT_PARENT("walk"),				\
	OPT_PARENT("shape", .def = "both"), CH_BENCH_OPT_CPU,		\
	OPT_PARENT("events"),						\
	OPT_PARENT("quick",						\
		   .help = "fewer steps, instances, repetitions and ops"),	\
	OPT_PARENT("out"), CH_BENCH_OPT_INSTANCING, OPT_PARENT("reseed"),\
	OPT_PARENT("quiet"), OPT_PARENT("allow-concurrent")
#define SWEEP_NR_OPTIONS	17

/* @a with its defaults, and @t: the table of the sweep @kind. */
static int sweep_options(enum sweep_kind kind, struct sweep_args *a,
			 struct ch_option t[SWEEP_NR_OPTIONS])
{
	char lo[32], hi[32];
	const struct ch_option mem[] = {
		OPT_PARENT("mix"), SWEEP_OPTIONS,
		OPT_STRING("mem", "RANGE", &a->range,
			   "the RAM of each step: LO..HI (doubling; x4 with --quick) or A,B,...",
			   a->mem_def),
		CH_BENCH_OPT_GB(&a->gb),
		OPT_END(),
	}, tail[] = {
		OPT_PARENT("mix"),
		OPT_PARENT("mem", .help = "the RAM of the cache-resident memmap"),
		SWEEP_OPTIONS,
		OPT_STRING("tail-fraction", "RANGE", &a->range,
			   "the tail fraction of each step: LO..HI or A,B,...",
			   "0..1 by 0.1; by 0.25 with --quick"),
		CH_BENCH_OPT_GB(&a->gb),
		OPT_END(),
	};

	_Static_assert(sizeof(tail) <= sizeof(*t) * SWEEP_NR_OPTIONS,
		       "SWEEP_NR_OPTIONS");
	if (kind == SWEEP_MEM)
		memcpy(t, mem, sizeof(mem));
	else
		memcpy(t, tail, sizeof(tail));
	a->gb.n = 0;
	a->range = NULL;
	snprintf(a->mem_def, sizeof(a->mem_def),
		 "%s..%s; LO at least the mix's largest folio",
		 ch_fmt_size(CH_SWEEP_MEM_BOTTOM, lo, sizeof(lo)),
		 ch_fmt_size(CH_SWEEP_MEM_TOP, hi, sizeof(hi)));
	if (ch_opts_init(&a->o, CH_SWEEP_MIX, CH_SWEEP_TAIL_MEM))
		return 2;
	a->o.shape = -1;	/* both */
	return 0;
}

/* chbench sweep --help: both sweeps' pages */
static void sweep_help(void)
{
	struct ch_option t[SWEEP_NR_OPTIONS];
	struct sweep_args a;
	char name[32];
	int k;

	for (k = 0; k < NR_SWEEP_KINDS; k++) {
		if (sweep_options(k, &a, t))
			return;
		snprintf(name, sizeof(name), "sweep %s", sweep_names[k]);
		if (k)
			printf("\n");
		ch_options_usage(name, t, &a.o, &sweep_helps[k]);
	}
}

/*
 * The sweep @kind's options, from argv[1..] (argv[0] is "mem" or "tail")
 * into @a; @copy holds argc + 1. 0, or 2 after a message.
 */
static int sweep_parse(enum sweep_kind kind, struct sweep_args *a, int argc,
		       char **argv, char **copy)
{
	struct ch_option t[SWEEP_NR_OPTIONS];
	char name[32];
	int left;

	if (sweep_options(kind, a, t))
		return 2;
	/* "sweep mem", for the messages */
	snprintf(name, sizeof(name), "sweep %s", sweep_names[kind]);
	copy[0] = name;
	memcpy(copy + 1, argv + 1, (argc - 1) * sizeof(*argv));
	left = ch_parse_options(argc, copy, t, &a->o, &sweep_helps[kind]);
	if (left < 0)
		return 2;
	if (left)
		return ch_usage_error("%s: unexpected argument '%s'; Google Benchmark flags start with --benchmark_",
				      name, copy[0]);
	return 0;
}

/* chbench sweep mem|tail: argv[0] is "mem" or "tail" */
static int sweep_run(enum sweep_kind kind, int argc, char **argv)
{
	struct ch_bench_opts bo = { .kind = sweep_result_kinds[kind] };
	struct sweep sw = { .kind = kind };
	struct ch_scenario *cases = NULL;
	struct sweep_args a;
	char **rec, **copy;
	int n, ret = 2;

	/* the record's command line: "sweep mem ..." */
	rec = calloc(argc + 2, sizeof(*rec));
	copy = calloc(argc + 1, sizeof(*copy));
	a.gb.v = calloc(argc + 1, sizeof(*a.gb.v));
	if (!rec || !copy || !a.gb.v) {
		ch_usage_error("out of memory");
		goto out;
	}
	rec[0] = "sweep";
	memcpy(rec + 1, argv, argc * sizeof(*argv));
	if (sweep_parse(kind, &a, argc, argv, copy) ||
	    sweep_steps(&sw, a.range, &a.o))
		goto out;
	bo.gb_argc = a.gb.n;
	ch_bench_opts_set(&bo, &a.o, argc + 1, rec, a.gb.v);
	if (!ch_mix_has_hugetlb(&a.o.mix))
		bo.note = "the mix has no HugeTLB folios, so the HVO layouts alias nothing";
	cases = sweep_cases(&sw, &a.o, &n);
	if (cases)
		ret = ch_exit_status(ch_bench_run(cases, n, &bo));
	else
		ch_usage_error("out of memory");
out:
	free(cases);
	free(rec);
	free(copy);
	free(a.gb.v);
	return ret;
}

static int sweep_mem(int argc, char **argv)
{
	return sweep_run(SWEEP_MEM, argc, argv);
}

static int sweep_tail(int argc, char **argv)
{
	return sweep_run(SWEEP_TAIL, argc, argv);
}

static const struct ch_cmd sweep_cmds[NR_SWEEP_KINDS] = {
	{ "mem", sweep_mem, &sweep_helps[SWEEP_MEM] },
	{ "tail", sweep_tail, &sweep_helps[SWEEP_TAIL] },
};

static const struct ch_cmd_set ch_sweeps = {
	.prefix = "sweep: ", .what = "sweep",
	.cmd = sweep_cmds, .nr = NR_SWEEP_KINDS,
};

int cmd_sweep(int argc, char **argv)
{
	int k;

	if (argc < 2) {
		for (k = 0; k < NR_SWEEP_KINDS; k++)
			fprintf(stderr, "%s chbench %s\n",
				k ? "   or:" : "usage:", sweep_helps[k].usage[0]);
		return 2;
	}
	for (k = 0; k < NR_SWEEP_KINDS; k++)
		if (!strcmp(argv[1], sweep_names[k]))
			break;
	/* a sweep's own --help is its parser's */
	if (k == NR_SWEEP_KINDS && ch_opts_want_help(argc, argv)) {
		sweep_help();
		return 0;
	}
	return ch_cmd_dispatch(&ch_sweeps, argc, argv);
}
