// SPDX-License-Identifier: GPL-2.0
/*
 * chbench run: one fixed-work measurement, no calibration. It runs the
 * walk once (--ops lookups), times it and reads the counters around it,
 * and says how many ops it did, so perf stat's totals can be divided.
 *
 * --instances K --reps-per-instance R: the walk R times on each of K
 * memmap instances built one after the other (see struct ch_scenario;
 * --reseed: instance k with seed S+k);
 * ns/op is then the estimate over instances of each instance's mean (the
 * geometric mean, report/stats.h, as in every table), and both levels of
 * spread are printed.  perf, if it controls the run,
 * counts every timed pass and nothing else; ops is their total.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands/cmds.h"
#include "report/json.h"
#include "bench/loadmon.h"
#include "commands/opts.h"
#include "bench/perfctl.h"
#include "bench/pmu.h"
#include "commands/run.h"
#include "bench/runlock.h"
#include "vmemmap/scenario.h"
#include "report/stats.h"
#include "report/sysinfo.h"
#include "lib/units.h"
#include "lib/util.h"

/* one memmap, one pass: a plain run */
#define CH_RUN_INSTANCES	1
#define CH_RUN_REPS		1
/*
 * --instances or --reps-per-instance: a timing run of its own, which
 * takes the machine's lock and watches its load (a plain run is one
 * measurement, for scripts such as perf-compare, which lock for it)
 */
#define CH_RUN_TIMING(o)	((o)->instances || (o)->reps)

static struct ch_loadmon run_load;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Every page of the vmemmap, real and aliased, is in the page tables. */
static uint64_t prefault(const struct ch_memmap *mm)
{
	const volatile char *p = (const volatile char *)mm->base;
	uint64_t sum = 0;
	size_t off;

	for (off = 0; off < mm->map_len; off += CH_PAGE_SIZE)
		sum += p[off];
	return sum;
}

const struct ch_cmd_help ch_run_help = {
	.usage = (const char *const []){ "run --variant NAME [options]", NULL },
	.summary = "one fixed-work measurement (for scripts and perf stat)",
};

int ch_run_scenario(const char *cmd, const struct ch_opts *o,
		    struct ch_scenario *sc, int argc, char **argv)
{
	char err[512];

	if (argc < 0)
		return 2;
	if (argc)
		return ch_usage_error("%s: unexpected argument '%s'", cmd,
				      argv[0]);
	if (!o->variant)
		return ch_usage_error("%s: --variant is required; valid: %s",
				      cmd, ch_variant_list());
	ch_scenario_from_opts(sc, o);
	sc->layout = o->layout < 0 ? CH_LAYOUT_NONE : o->layout;
	/* everything knowable now, before any warning or work */
	if (ch_scenario_validate(sc, err, sizeof(err)))
		return ch_usage_error("%s", err);
	return 0;
}

json_t *ch_run_json_params(const struct ch_scenario *sc,
			   const struct ch_prepared *p, int cpu)
{
	char m[32];

	return json_pack(
			"{s:o, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:o, "
			"s:o, s:s, s:o, s:s}",
		"variant", ch_json_string(sc->variant->name),
		"shape", ch_shape_names[sc->shape],
		"layout", ch_layouts[sc->layout].name,
		"mix", ch_json_string(sc->mix.name),
		"mix_spec", sc->mix.spec,
		"mem", ch_fmt_size(sc->mem, m, sizeof(m)),
		"walk", ch_walk_names[sc->walk.kind],
		"pick", ch_pick_names[sc->walk.pick],
		"tail_fraction", sc->walk.tail_fraction >= 0 ?
			ch_json_real(sc->walk.tail_fraction, "%g") :
			json_null(),
		"seed", ch_json_u64(sc->seed),
		"key", p->key ? "on" : "off",
		"cpu", cpu >= 0 ? json_integer(cpu) : json_null(),
		"walk_function", p->wf->sym);
}

/* The estimate of @n instance values: the value and between-cv. */
static double estimate(const double *v, int n, double *between)
{
	struct ch_est e;

	ch_est(v, n, &e);
	if (between)
		*between = e.cv;
	return e.value;
}

/* stddev / mean; NAN for fewer than two */
static double cv(const double *v, int n)
{
	double between;

	estimate(v, n, &between);
	return between;
}

static void print_pct(const char *label, double v)
{
	if (isnan(v))
		printf("  %-24s -\n", label);
	else
		printf("  %-24s %.1f%%\n", label, 100 * v);
}

/* What the instances measured, for the report. */
struct run_stats {
	double (*rep_ns)[64];	/* [instance][repetition]: ns/op */
	const double *inst;	/* each instance's mean ns/op */
	const double *tot;	/* each counter's total over the timed passes */
	int nr_inst, reps;
	uint64_t ops, sum;	/* the ops timed; the walks' checksum */
	double ns, within;	/* the estimate over inst; the mean within-cv */
};

/* The report as one JSON document on stdout: the exit status. */
static int print_json(const struct ch_scenario *sc,
		      const struct ch_prepared *p, const struct ch_opts *o,
		      const struct ch_pmu *pmu, const struct ch_sysinfo *si,
		      const struct run_stats *st)
{
	json_t *doc = ch_run_json_params(sc, p, o->cpu);
	json_t *all = json_array(), *ctr = json_object();
	int i, k;

	for (k = 0; k < st->nr_inst; k++) {
		json_t *a = json_array();

		for (i = 0; i < st->reps; i++)
			json_array_append_new(a,
				ch_json_real(st->rep_ns[k][i], "%.4f"));
		json_array_append_new(all, a);
	}
	for (i = 0; i < pmu->nr; i++)
		json_object_set_new(ctr, pmu->ev[i].name,
			isnan(pmu->ev[i].value) ? json_null() :
			ch_json_real(st->tot[i] / st->ops, "%.6f"));
	json_object_update_new(doc, json_pack(
			"{s:o, s:I, s:i, s:i, s:b, s:o, s:o, s:o, s:o, "
			"s:o, s:o, s:o, s:o}",
		"ops", ch_json_u64(st->ops),
		"ops_per_pass", (json_int_t)p->n,
		"instances", st->nr_inst, "reps_per_instance", st->reps,
		"reseed", o->reseed,
		"ns_per_op", ch_json_real(st->ns, "%.4f"),
		"instance_ns_per_op", all,
		"between_cv", ch_json_real(cv(st->inst, st->nr_inst), "%.4f"),
		"within_cv", ch_json_real(st->within, "%.4f"),
		"counters", ctr,
		"counters_note", ch_json_string(pmu->why),
		"checksum", ch_json_u64(st->sum),
		"system", ch_sysinfo_json(si)));
	if (CH_RUN_TIMING(o))
		json_object_set_new(doc, "load", ch_loadmon_json(&run_load));
	/* 0 here: every earlier failure returned */
	return ch_json_print(doc, stdout) ? 1 : 0;
}

/* The report as text on stdout. */
static void print_text(const struct ch_scenario *sc,
		       const struct ch_prepared *p, const struct ch_pmu *pmu,
		       const struct run_stats *st)
{
	char name[256];

	printf("%s\n", ch_scenario_name(sc, name, sizeof(name)));
	printf("  %-24s %" PRIu64 "\n", "ops", st->ops);
	if (st->nr_inst > 1 || st->reps > 1)
		printf("  %-24s %d x %d repetitions of %zu ops\n",
		       "instances", st->nr_inst, st->reps, p->n);
	printf("  %-24s %.3f\n", "ns/op", st->ns);
	if (st->nr_inst > 1 || st->reps > 1) {
		print_pct("between instances (cv)", cv(st->inst, st->nr_inst));
		print_pct("within instances (cv)", st->within);
	}
	ch_pmu_print_per_op(pmu, st->tot, st->ops, "");
	printf("  checksum %" PRIu64 ", key %s, %s\n", st->sum,
	       p->key ? "on" : "off", p->wf->sym);
}

/*
 * Pin to --cpu, open perf's control (--control) and the counters. 0, or
 * the exit status after a message.
 */
static int run_open(const struct ch_opts *o, struct ch_perfctl *pc,
		    struct ch_pmu *pmu)
{
	char err[512];

	if (o->cpu >= 0 && ch_pin_cpu(o->cpu, err, sizeof(err)))
		return ch_usage_error("%s", err);
	if (ch_perfctl_open(pc, o->control, err, sizeof(err)))
		return ch_usage_error("%s", err);
	if (ch_pmu_open(pmu, o->events, err, sizeof(err)))
		return ch_usage_error("%s", err);
	return 0;
}

int cmd_run(int argc, char **argv)
{
	double rep_ns[CH_MAX_INSTANCES][64], inst[CH_MAX_INSTANCES];
	double cvs[CH_MAX_INSTANCES], within = 0;
	double tot[CH_PMU_MAX_EVENTS] = { 0 };
	struct ch_scenario sc;
	struct ch_prepared p;
	struct ch_perfctl pc;
	struct ch_sysinfo si;
	struct ch_pmu pmu;
	static const struct ch_option options[] = {
		CH_RUN_OPTIONS,
		OPT_PARENT("events"), OPT_PARENT("json"), OPT_PARENT("control"),
		OPT_PARENT("instances", .def = CH_STRINGIFY(CH_RUN_INSTANCES)),
		OPT_PARENT("reps-per-instance",
			   .def = CH_STRINGIFY(CH_RUN_REPS)),
		OPT_PARENT("reseed"), OPT_PARENT("quiet"),
		OPT_PARENT("allow-concurrent"),
		OPT_END(),
	};
	struct ch_opts o;
	struct run_stats st;
	uint64_t t0, t1, sum = 0, ops = 0;
	char err[512];
	int i, k, j, ret, nr_inst, reps, nr_within = 0;

	if (ch_opts_init(&o, CH_RUN_MIX, CH_RUN_MEM))
		return 2;
	argc = ch_parse_options(argc, argv, options, &o, &ch_run_help);
	ret = ch_run_scenario("run", &o, &sc, argc, argv);
	if (ret)
		return ret;
	nr_inst = o.instances ? o.instances : CH_RUN_INSTANCES;
	reps = o.reps ? o.reps : CH_RUN_REPS;
	if (reps > 64)
		return ch_usage_error("run: --reps-per-instance %d: at most 64",
				      reps);
	if (CH_RUN_TIMING(&o) &&
	    ch_runlock_take(NULL, o.allow_concurrent, false))
		return 2;
	ret = run_open(&o, &pc, &pmu);
	if (ret)
		return ret;
	ch_loadmon_init(&run_load, o.cpu);
	ch_sysinfo_read(&si, o.cpu);
	ch_sysinfo_warn(&si, stderr);

	for (k = 0; k < nr_inst; k++) {
		double m = 0;

		sc.instance = k;
		/* --reseed: a new placement and walk for each instance */
		if (o.reseed)
			sc.seed = sc.walk.seed = o.seed + k;
		ret = ch_scenario_prepare(&sc, &p, err, sizeof(err));
		if (ret) {
			ch_pmu_close(&pmu);
			return ch_usage_error("%s", err);
		}
		sum += prefault(p.mm);
		ch_loadmon_before(&run_load, k);
		for (j = 0; j < reps; j++) {
			/* nothing but the walk between enable and disable */
			ch_perfctl_enable(&pc);
			ch_pmu_start(&pmu);
			t0 = now_ns();
			sum += ch_prepared_run(&p);
			t1 = now_ns();
			ch_pmu_stop(&pmu);
			ch_perfctl_disable(&pc);
			rep_ns[k][j] = (double)(t1 - t0) / p.n;
			m += rep_ns[k][j] / reps;
			ops += p.n;
			for (i = 0; i < pmu.nr; i++)
				tot[i] += pmu.ev[i].value;
		}
		ch_loadmon_after(&run_load, k);
		inst[k] = m;
		cvs[k] = cv(rep_ns[k], reps);
		if (!isnan(cvs[k])) {
			within += cvs[k];
			nr_within++;
		}
	}
	ch_perfctl_close(&pc);
	if (CH_RUN_TIMING(&o))
		ch_loadmon_warn(&run_load, stderr);
	sc.seed = sc.walk.seed = o.seed;
	st = (struct run_stats){
		.rep_ns = rep_ns, .inst = inst, .tot = tot,
		.nr_inst = nr_inst, .reps = reps, .ops = ops, .sum = sum,
		.ns = estimate(inst, nr_inst, NULL),
		.within = nr_within ? within / nr_within : NAN,
	};
	if (o.json)
		ret = print_json(&sc, &p, &o, &pmu, &si, &st);
	else
		print_text(&sc, &p, &pmu, &st);
	ch_pmu_close(&pmu);
	ch_scenario_cache_drop();
	return ret;
}
