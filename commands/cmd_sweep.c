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

/*
 * Take "--name V" or "--name=V" out of argv (the last one wins), so that
 * ch_opts_parse() never sees the range forms. Returns the new argc, or
 * -1 after a message.
 */
static int take_opt(int argc, char **argv, const char *name,
		    const char **val)
{
	size_t len = strlen(name);
	int i, n = 1;

	*val = NULL;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], name)) {
			if (i + 1 == argc)
				return ch_usage_error("option '%s' needs a value",
						      name), -1;
			*val = argv[++i];
			continue;
		}
		if (!strncmp(argv[i], name, len) && argv[i][len] == '=') {
			*val = argv[i] + len + 1;
			continue;
		}
		argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

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
	int nr_shapes = (o->given & CH_O_SHAPE) ? 1 : CH_NR_SHAPES;
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
		sc->shape = (o->given & CH_O_SHAPE) ? o->shape : s;
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

/* the options of each sweep; --mem or --tail-fraction: its range */
static unsigned int sweep_allowed(enum sweep_kind kind)
{
	unsigned int allowed = CH_O_QUICK | CH_O_CPU | CH_O_EVENTS |
			       CH_O_OUT | CH_O_SEED | CH_O_MIX | CH_O_WALK |
			       CH_O_SHAPE | CH_O_INSTANCING | CH_O_QUIET |
			       CH_O_ALLOW_CONCURRENT;

	return kind == SWEEP_TAIL ? allowed | CH_O_MEM : allowed;
}

static const char *const sweep_usage[NR_SWEEP_KINDS][2] = {
	{ "sweep mem [--mem LO..HI | --mem A,B,...] [options]", NULL },
	{ "sweep tail [--tail-fraction LO..HI | A,B,...] [options]", NULL },
};

const struct ch_cmd_help ch_sweep_help = {
	.summary = "mem | tail: ns/op against memmap size or tail fraction",
};

/* chbench sweep [KIND] --help: the sweep's options, or both sweeps'. */
static void sweep_help(const char *kind)
{
	static const struct ch_opt_default defaults[] = {
		{ .bit = CH_O_SHAPE, .def = "both" },
		{ .bit = CH_O_QUICK, .help = "fewer steps, instances, repetitions and ops" },
		{ .bit = CH_O_MEM, .help = "the RAM of the cache-resident memmap" },
		{ 0 },
	};
	char lo[32], hi[32], mem_def[128];
	const struct ch_opt_help extra[NR_SWEEP_KINDS][2] = {
		{ { .name = "mem", .arg = "RANGE",
		    .help = "the RAM of each step: LO..HI (doubling; x4 with --quick) or A,B,...",
		    .def = mem_def },
		  { .name = NULL } },
		{ { .name = "tail-fraction", .arg = "RANGE",
		    .help = "the tail fraction of each step: LO..HI or A,B,...",
		    .def = "0..1 by 0.1; by 0.25 with --quick" },
		  { .name = NULL } },
	};
	int k;

	snprintf(mem_def, sizeof(mem_def),
		 "%s..%s; LO at least the mix's largest folio",
		 ch_fmt_size(CH_SWEEP_MEM_BOTTOM, lo, sizeof(lo)),
		 ch_fmt_size(CH_SWEEP_MEM_TOP, hi, sizeof(hi)));
	for (k = 0; k < NR_SWEEP_KINDS; k++) {
		struct ch_cmd_help help = {
			.usage = sweep_usage[k], .summary = ch_sweep_help.summary,
			.defaults = defaults, .extra = extra[k],
			.base = &ch_bench_opts_help,
		};
		char name[32];

		if (kind && strcmp(kind, sweep_names[k]))
			continue;
		snprintf(name, sizeof(name), "sweep %s", sweep_names[k]);
		if (!kind && k)
			printf("\n");
		ch_opts_help(name, sweep_allowed(k), CH_SWEEP_MIX,
			     CH_SWEEP_TAIL_MEM, &help);
	}
}

int cmd_sweep(int argc, char **argv)
{
	struct ch_bench_opts bo = { 0 };
	struct ch_scenario *cases;
	struct sweep sw = { 0 };
	const char *range;
	char **gb_argv, **copy, name[32];
	struct ch_opts o;
	int i, n, ret, nargc;

	if (argc < 2) {
		for (i = 0; i < NR_SWEEP_KINDS; i++)
			fprintf(stderr, "%s chbench %s\n",
				i ? "   or:" : "usage:", sweep_usage[i][0]);
		return 2;
	}
	for (sw.kind = 0; sw.kind < NR_SWEEP_KINDS; sw.kind++)
		if (!strcmp(argv[1], sweep_names[sw.kind]))
			break;
	if (ch_opts_want_help(argc, argv)) {
		sweep_help(sw.kind < NR_SWEEP_KINDS ? argv[1] : NULL);
		return 0;
	}
	if (sw.kind == NR_SWEEP_KINDS)
		return ch_usage_error("sweep: unknown sweep '%s'; valid: mem, tail",
				      argv[1]);
	bo.kind = sweep_result_kinds[sw.kind];

	/* argv[0] becomes "sweep mem", for the messages of ch_opts_parse() */
	gb_argv = calloc(argc + 1, sizeof(*gb_argv));
	copy = calloc(argc + 1, sizeof(*copy));
	if (!gb_argv || !copy) {
		ch_usage_error("out of memory");
		goto bad;
	}
	snprintf(name, sizeof(name), "sweep %s", sweep_names[sw.kind]);
	copy[0] = name;
	memcpy(copy + 1, argv + 2, (argc - 2) * sizeof(*argv));
	nargc = ch_split_gb_flags(argc - 1, copy, &bo.gb_argc, gb_argv);
	if (sw.kind == SWEEP_MEM)
		nargc = take_opt(nargc, copy, "--mem", &range);
	else
		nargc = take_opt(nargc, copy, "--tail-fraction", &range);
	/* --help is sweep_help()'s, above */
	if (nargc < 0 || ch_opts_parse(&o, nargc, copy, sweep_allowed(sw.kind),
				       CH_SWEEP_MIX, CH_SWEEP_TAIL_MEM, NULL))
		goto bad;
	if (o.argc) {
		ch_usage_error("%s: unexpected argument '%s'; Google Benchmark flags start with --benchmark_",
			       name, o.argv[0]);
		goto bad;
	}
	if (sweep_steps(&sw, range, &o))
		goto bad;
	ch_bench_opts_set(&bo, &o, argc, argv, gb_argv);
	if (!ch_mix_has_hugetlb(&o.mix))
		bo.note = "the mix has no HugeTLB folios, so the HVO layouts alias nothing";

	cases = sweep_cases(&sw, &o, &n);
	if (!cases) {
		ch_usage_error("out of memory");
		goto bad;
	}
	ret = ch_bench_run(cases, n, &bo);
	free(cases);
	free(copy);
	free(gb_argv);
	return ret;
bad:
	free(copy);
	free(gb_argv);
	return 2;
}
