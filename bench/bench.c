// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/aa.h"
#include "bench/bench.h"
#include "inspect/disasm.h"
#include "report/footprint_json.h"
#include "bench/gbench.h"
#include "bench/loadmon.h"
#include "vmemmap/memmap.h"
#include "bench/pmu.h"
#include "lib/progress.h"
#include "report/resdir.h"
#include "bench/runlock.h"
#include "vmemmap/suite.h"
#include "report/sysinfo.h"
#include "bench/table.h"
#include "lib/units.h"
#include "lib/util.h"
#include "page/page.h"
#include "page/static_key.h"
#include "lib/err.h"

struct bench_case {
	struct ch_scenario sc;
	struct ch_prepared p;
	const struct ch_bench_backend *be;
	void *state;			/* the backend's */
	struct ch_gb_case gb;
	char name[256];
	int counted;			/* rounds counted done (progress) */
};

/*
 * The A/A control: cheap and as noise-prone as any case, a random walk
 * over a DRAM-sized memmap of order-0 pages (4G of RAM: 64 MiB of
 * struct pages, one op per struct page).
 */
#define CH_CONTROL_MEM		(4ULL << 30)
#define CH_CONTROL_OPS		(1U << 20)

static struct ch_pmu bench_pmu;
/* the machine's load around each round (see bench/loadmon.h) */
static struct ch_loadmon bench_load;

/*
 * What a round's results go to: the table, and the progress line.
 * nr_cases: the cases each round runs, those the filter selects (the
 * caller's to set).
 */
struct run_state {
	struct ch_table *tab;
	struct ch_progress prog;
	int round, nr_rounds, nr_cases, reps;
	long done, in_round;
};

static int case_prepare(void *arg, char *err, size_t len)
{
	struct bench_case *c = arg;

	if (c->be)
		return c->be->prepare(&c->sc, &c->state, err, len);
	return ch_scenario_prepare(&c->sc, &c->p, err, len);
}

static uint64_t case_batch(void *arg)
{
	struct bench_case *c = arg;

	if (c->be)
		return c->be->batch(c->state);
	return ch_prepared_run(&c->p);
}

/* the backend's, with the counters off: nothing but the batch counted */
static int case_setup(void *arg, char *err, size_t len)
{
	struct bench_case *c = arg;
	int ret;

	ch_pmu_pause(&bench_pmu);
	ret = c->be->setup(c->state, err, len);
	ch_pmu_resume(&bench_pmu);
	return ret;
}

static int case_teardown(void *arg, char *err, size_t len)
{
	struct bench_case *c = arg;
	int ret;

	ch_pmu_pause(&bench_pmu);
	ret = c->be->teardown(c->state, err, len);
	ch_pmu_resume(&bench_pmu);
	return ret;
}

static void case_counters_start(void *arg)
{
	(void)arg;
	ch_pmu_start(&bench_pmu);
}

static int case_counters_stop(void *arg, struct ch_gb_counter *out, int max)
{
	int i, n = 0;

	(void)arg;
	ch_pmu_stop(&bench_pmu);
	for (i = 0; i < bench_pmu.nr && n < max; i++) {
		if (isnan(bench_pmu.ev[i].value))
			continue;	/* absent: left out, never 0 */
		out[n].name = bench_pmu.ev[i].name;
		out[n].value = bench_pmu.ev[i].value;
		n++;
	}
	return n;
}

/* The last CPU this process may run on: usually the quietest. */
static int default_cpu(void)
{
	cpu_set_t set;
	int i;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (i = CPU_SETSIZE - 1; i >= 0; i--)
		if (CPU_ISSET(i, &set))
			return i;
	return -1;
}

static json_t *json_counts(const struct ch_insn_counts *c)
{
	return json_pack("{s:i, s:i, s:i, s:i}", "insns", c->insns,
			 "loads", c->loads, "cond_branches", c->cond_branches,
			 "cmovs", c->cmovs);
}

/*
 * metadata.json's "footprint": what 'chbench footprint --json' prints,
 * when a case ran on an HVO layout (else null, as the report shows none);
 * null with a warning when it cannot be measured here. A backend's run
 * (chbench.ko's, maybe in a small guest under TCG, where building the
 * emulated memmaps takes minutes) records none: the report measures it.
 */
static json_t *json_footprint(const struct ch_case_ref *c, int nr,
			      const struct ch_bench_backend *be)
{
	struct ch_fp_table t[CH_FP_NR_SIZES];
	uint64_t advice = ch_memmap_advice_min;
	bool hvo = false, agree = true;
	char err[512];
	int i;

	for (i = 0; i < nr; i++)
		hvo |= ch_layouts[c[i].sc->layout].private_pages != 0;
	if (!hvo || be)
		return json_null();
	/* as chbench footprint: a limit's advice is a size it takes */
	ch_memmap_advice_min = CH_PAGE_SIZE <<
			       ch_fp_sizes[CH_FP_NR_SIZES - 1].order;
	for (i = 0; i < CH_FP_NR_SIZES; i++) {
		if (ch_fp_table(&t[i], &ch_fp_sizes[i], CH_FP_DEFAULT_MEM,
				true, err, sizeof(err))) {
			fprintf(stderr, "chbench: warning: %s; metadata.json records no footprint\n",
				err);
			ch_memmap_advice_min = advice;
			return json_null();
		}
		agree &= t[i].agree;
	}
	ch_memmap_advice_min = advice;
	return ch_fp_json(t, CH_FP_NR_SIZES, agree);
}

/* The command line as given ("kernel bench" for a backend's), whole. */
static json_t *command_json(const struct ch_bench_opts *bo)
{
	char *cmd = NULL;
	size_t len = 0;
	json_t *j;
	FILE *f;
	int i;

	f = open_memstream(&cmd, &len);
	if (!f)
		return NULL;
	if (bo->backend)
		fprintf(f, "%s ", bo->backend->command ?
			   bo->backend->command : bo->backend->tag);
	for (i = 0; i < bo->argc; i++)
		fprintf(f, "%s%s", i ? " " : "", bo->argv[i]);
	j = fclose(f) ? NULL : ch_json_string(cmd);
	free(cmd);
	return j;
}

static int write_metadata(const char *path, const struct ch_bench_opts *bo,
			  const struct ch_sysinfo *si,
			  const struct ch_scenario *cases, int nr,
			  const struct ch_disasm *d, const struct ch_table *tab,
			  const char *control_a, const char *control_b)
{
	json_t *m = json_pack("{s:o, s:s}", "chbench",
			      ch_json_string(si->git_rev), "kind", bo->kind);
	json_t *ev = json_array(), *fns = json_array();
	struct ch_case_ref *ran;
	json_t *rest;
	int i, ret, nr_ran;
	FILE *f;

	if (bo->backend && bo->backend->metadata)
		bo->backend->metadata(m);
	for (i = 0; i < bench_pmu.nr; i++)
		json_array_append_new(ev, json_pack("{s:o, s:b}",
			"name", ch_json_string(bench_pmu.ev[i].name),
			"present", !bench_pmu.ev[i].absent));
	for (i = 0; i < ch_nr_walk_funcs; i++) {
		const struct ch_walk_func *w = &ch_walk_funcs[i];

		json_array_append_new(fns, json_pack(
				"{s:s, s:s, s:s, s:s, s:o, s:o}",
			"symbol", w->sym,
			"variant", ch_variants[w->variant].name,
			"shape", ch_shape_names[w->shape],
			"loop", ch_loop_names[w->loop],
			"function", json_counts(&d->fn[i]),
			"variant_code", json_counts(&d->net[i])));
	}
	ran = ch_table_ran(tab, &nr_ran);
	if (!ran) {
		json_decref(m);
		json_decref(ev);
		json_decref(fns);
		errno = ENOMEM;
		return -ENOMEM;
	}
	/* one seed places the folios and draws the walks of every case */
	rest = json_pack(
			"{s:o, s:b, s:o, s:o, s:o, s:i, s:i, s:b, s:o, s:o, "
			"s:o, s:{s:o, s:o}, s:o, s:{s:b, s:o, s:o}}",
		"command", command_json(bo), "quick", bo->quick,
		"cases", ch_cases_json(ran, nr_ran),
		"footprint", json_footprint(ran, nr_ran, bo->backend),
		"seed", ch_json_u64(nr ? cases[0].seed : 0),
		"instances", bo->instances, "reps_per_instance", bo->reps,
		"reseed", bo->reseed,
		"control", control_a ? json_pack("{s:o, s:o}",
			"a", ch_json_string(control_a),
			"b", ch_json_string(control_b)) : json_null(),
		"spread", ch_table_json_spread(tab),
		"system", ch_sysinfo_json(si),
		"pmu", "events", ev, "note", ch_json_string(bench_pmu.why),
		"static_key", ch_json_string(ch_static_key_impl()),
		"disasm", "valid", d->valid, "note", ch_json_string(d->why),
		"functions", fns);
	free(ran);
	/* a field that could not be built: say so, never write less */
	if (!rest || json_object_update_new(m, rest) ||
	    json_object_set_new(m, "load", ch_loadmon_json(&bench_load)) ||
	    json_object_set_new(m, "lock", ch_runlock_json())) {
		json_decref(m);
		errno = EINVAL;
		return -EINVAL;
	}
	f = fopen(path, "w");
	if (!f) {
		json_decref(m);
		return -errno;
	}
	ret = ch_json_print(m, f);
	if (fclose(f) || ret)
		return errno ? -errno : -EIO;
	return 0;
}

static void on_result(const struct ch_gb_result *r, void *arg)
{
	struct run_state *rs = arg;
	struct bench_case *c = r->c ? r->c->arg : NULL;

	ch_table_add(rs->tab, r);
	/* a case's instance is done with its last repetition */
	if (r->aggregate[0] ||
	    (!r->error && r->repetition_index != rs->reps - 1))
		return;
	/* round 0 calibrated: the later ones run as many iterations */
	if (!r->error && c && rs->round == 0 &&
	    !(c->be && c->be->iterations > 0))
		c->gb.iterations = r->iterations;
	/* once a round, however many of its repetitions failed */
	if (c && c->counted > rs->round)
		return;
	if (c)
		c->counted = rs->round + 1;
	rs->done++;
	rs->in_round++;
	ch_progress_update(&rs->prog, rs->done, "instance %d of %d, case %ld of %d",
			   rs->round + 1, rs->nr_rounds, rs->in_round,
			   rs->nr_cases);
}

static void control_scenario(struct ch_scenario *sc, uint64_t seed, int arm)
{
	char err[256];

	memset(sc, 0, sizeof(*sc));
	sc->variant = ch_suite_control_variant();
	sc->layout = CH_LAYOUT_NONE;
	sc->key = CH_KEY_AUTO;
	sc->shape = CH_SHAPE_AS_COMPILED;
	ch_mix_parse("order0", &sc->mix, err, sizeof(err));
	sc->mem = CH_CONTROL_MEM;
	sc->seed = seed;
	sc->walk = ch_walk_spec_any(CH_WALK_RANDOM, CH_CONTROL_OPS, seed);
	sc->arm = arm;
}

/* --benchmark_repetitions, the last given, overrides --reps-per-instance */
static int user_reps(const struct ch_bench_opts *bo, int reps)
{
	const char *f = "--benchmark_repetitions=";
	int i;

	for (i = 0; i < bo->gb_argc; i++)
		if (!strncmp(bo->gb_argv[i], f, strlen(f)))
			reps = atoi(bo->gb_argv[i] + strlen(f));
	return reps > 0 ? reps : 1;
}

static void write_table(FILE *out, const struct ch_table *tab,
			const struct ch_bench_opts *bo, struct bench_case *bc,
			int nr, int nr_all)
{
	char (*names)[256];
	struct ch_aa aa;
	int i;

	if (bo->backend && bo->backend->label)
		fprintf(out, "%s\n", bo->backend->label);
	ch_table_print(tab, out, &bench_pmu);
	if (bo->control && nr_all == nr + 2 &&
	    ch_aa_test(tab, bc[nr].name, bc[nr + 1].name, &aa)) {
		const struct ch_scenario *sc = &bc[nr].sc;
		char label[160], w[64], m[32];

		if (sc->path)	/* "path/zap-dontneed/order0/mem:16M" */
			snprintf(label, sizeof(label), "%.*s", (int)(strrchr(
				 bc[nr].name, '/') - bc[nr].name),
				 bc[nr].name);
		else
			snprintf(label, sizeof(label),
				 "%s @ %s / %s / %s / mem:%s",
				 sc->variant->name, ch_layouts[sc->layout].name,
				 sc->mix.name,
				 ch_walk_label(&sc->walk, w, sizeof(w)),
				 ch_fmt_size(sc->mem, m, sizeof(m)));
		ch_aa_print_floor(out, label, &aa);
	}
	if (!bo->aa)
		return;
	names = calloc(nr, sizeof(*names));
	if (!names)
		return;
	for (i = 0; i < nr; i++)
		memcpy(names[i], bc[i].name, sizeof(names[i]));
	ch_aa_print_pairs(out, tab, names, nr / 2, bo->instances, bo->reps);
	free(names);
}

/* results of a clang build are told apart by name */
#ifdef __clang__
#define CH_RESDIR_TAG	"clang"
#else
#define CH_RESDIR_TAG	NULL
#endif

/* bench.json's entries: each repetition, and 4 aggregates when repeated */
#define CH_BENCH_JSON_ENTRY	1024
#define CH_BENCH_FIXED_BYTES	(256 << 10)	/* metadata.json, table.txt */

/* Every case, before any work: one line and -EINVAL for the first bad one. */
static int validate_cases(const struct ch_scenario *cases, int nr,
			  struct bench_case *bc, bool emulated)
{
	char err[512];
	int i, j, ret;

	for (i = 0; i < nr; i++) {
		/* a backend's cases are its own to check (kernel: real memory) */
		ret = emulated ? ch_scenario_validate(&cases[i], err,
						      sizeof(err)) : 0;
		if (ret)
			return ch_err(ret, "%s", err);
		ch_scenario_name(&cases[i], bc[i].name, sizeof(bc[i].name));
		for (j = 0; j < i; j++)
			if (!strcmp(bc[i].name, bc[j].name))
				return ch_err(-EINVAL, "two cases are both %s; give each size or fraction once",
					      bc[i].name);
	}
	return 0;
}

/*
 * Settle the copy of the caller's options: --benchmark_repetitions over
 * --reps-per-instance, one instance at least, no control where a backend
 * brings none.
 */
static void opts_resolve(struct ch_bench_opts *o)
{
	o->reps = user_reps(o, o->reps);
	if (o->instances < 1)
		o->instances = 1;
	/* a backend brings its own control, or none */
	if (o->backend && !o->backend->control)
		o->control = false;
}

/*
 * Google Benchmark's command line in @gargv (bo->gb_argc + 5 slots at
 * least), @reps holding its repetitions flag: our defaults first, the
 * user's flags come later and win. 0, or -EINVAL after a message.
 */
static int gb_setup(const struct ch_bench_opts *bo, char **gargv, char *reps,
		    size_t len)
{
	int gargc = 0, i, ret;

	snprintf(reps, len, "--benchmark_repetitions=%d", bo->reps);
	gargv[gargc++] = bo->argv[0];
	gargv[gargc++] = reps;
	gargv[gargc++] = bo->quick ? "--benchmark_min_time=0.005" :
				     "--benchmark_min_time=0.05";
	gargv[gargc++] = "--benchmark_enable_random_interleaving=true";
	for (i = 0; i < bo->gb_argc; i++)
		gargv[gargc++] = bo->gb_argv[i];
	gargv[gargc] = NULL;
	ret = ch_gb_init(&gargc, gargv);
	if (ret)
		return ret;
	if (gargc > 1)
		return ch_err(-EINVAL, "%s: unexpected argument '%s'", bo->kind,
			      gargv[1]);
	return 0;
}

/*
 * The @nr_all cases to run: the caller's @nr (named by validate_cases()),
 * then the A/A control's two arms, the backend's or our own on @seed;
 * each registered with Google Benchmark and the table.
 */
static void cases_setup(struct bench_case *bc, int nr, int nr_all,
			const struct ch_scenario *cases,
			const struct ch_bench_backend *be, uint64_t seed,
			struct ch_table *tab)
{
	int i;

	for (i = 0; i < nr_all; i++) {
		struct bench_case *c = &bc[i];

		c->be = be;
		if (i < nr) {
			c->sc = cases[i];
			c->state = be ? be->states[i] : NULL;
		} else if (be) {
			c->sc = be->control[i - nr];
			c->state = be->control_states[i - nr];
		} else {
			control_scenario(&c->sc, seed, i - nr + 1);
		}
		if (i >= nr)
			ch_scenario_name(&c->sc, c->name, sizeof(c->name));
		c->gb.name = c->name;
		c->gb.arg = c;
		c->gb.ops_per_batch = be && be->ops ? be->ops(c->state) :
				      c->sc.walk.ops;
		if (be && be->setup)
			c->gb.setup = case_setup;
		if (be && be->teardown)
			c->gb.teardown = case_teardown;
		if (be && be->iterations > 0)
			c->gb.iterations = be->iterations;
		c->gb.prepare = case_prepare;
		c->gb.batch = case_batch;
		c->gb.counters_start = case_counters_start;
		c->gb.counters_stop = case_counters_stop;
		ch_table_case(tab, &c->sc, c->name);
		ch_gb_register(&c->gb);
	}
}

/*
 * How many registered cases Google Benchmark's filter selects, in *nr_run:
 * nothing selected, a bad filter, an unwritable --benchmark_out are
 * errors. 0 with *nr_run 0: --benchmark_list_tests, nothing more to do.
 * Otherwise 0, or -EINVAL after a message.
 */
static int gb_select(int *nr_run, char *err, size_t len)
{
	int n = ch_gb_preflight(err, len);

	ch_gb_forget();
	*nr_run = 0;
	if (ch_gb_list_only() && n >= 0)
		return 0;
	if (n <= 0)
		return ch_err(-EINVAL, "%s", err);
	*nr_run = n;
	return 0;
}

/*
 * Pin to the CPU (*cpu, or when negative the default one, which *cpu
 * becomes) and open the counters. 0, or a negative errno after a message;
 * on success only, the counters are open.
 */
static int pin_and_count(const struct ch_bench_opts *bo, int *cpu, char *err,
			 size_t len)
{
	int ret = 0;

	if (*cpu < 0)
		*cpu = default_cpu();
	if (*cpu >= 0)
		ret = ch_pin_cpu(*cpu, err, len);
	if (!ret)
		ret = ch_pmu_open(&bench_pmu, bo->events, err, len);
	return ret ? ch_err(ret, "%s", err) : 0;
}

/*
 * The results directory begun (and guarded) under @parent, with room
 * checked for @nr_run cases' results. 0, or a negative errno after a
 * message.
 */
static int resdir_open(struct ch_resdir *rd, const char *parent,
		       const struct ch_bench_opts *bo, int nr_run, char *err,
		       size_t len)
{
	const struct ch_bench_backend *be = bo->backend;
	uint64_t need;
	int ret;

	ret = ch_resdir_begin(rd, parent, be ? be->tag : CH_RESDIR_TAG, err,
			      len);
	need = (uint64_t)nr_run * bo->instances *
	       (bo->reps + (bo->reps > 1 ? 4 : 0)) * CH_BENCH_JSON_ENTRY +
	       CH_BENCH_FIXED_BYTES;
	if (!ret)
		ret = ch_resdir_check_space(parent, need, err, len);
	if (ret)
		return ch_err(ret, "%s", err);
	ch_resdir_guard(rd, bo->kind);
	return 0;
}

/*
 * Only now, with the input known good: the warnings, then the context
 * Google Benchmark records. Reads *si for @cpu.
 */
static void announce(const struct ch_bench_opts *bo, const char *parent,
		     struct ch_sysinfo *si, int cpu)
{
	ch_resdir_stale(parent, stderr);
	ch_sysinfo_read(si, cpu);
	ch_sysinfo_warn(si, stderr);
	if (bench_pmu.why[0])
		fprintf(stderr, "chbench: %s\n", bench_pmu.why);
	if (bo->note)
		fprintf(stderr, "chbench: note: %s\n", bo->note);
	ch_gb_add_context("chbench", si->git_rev);
	ch_gb_add_context("chbench_kind", bo->kind);
	ch_gb_add_context("compiler", si->compiler);
	ch_gb_add_context("cflags", si->cflags);
	ch_gb_add_context("cpu_model", si->cpu_model);
	ch_gb_add_context("pmu", bench_pmu.why[0] ? bench_pmu.why : "ok");
}

/*
 * Every instance of the @nr_all registered cases, one Google Benchmark
 * round each, its results to @rs and to bench.json in @rd. Returns how
 * many case instances ran (0: the filter matched nothing), or -1 when a
 * round, the backend or bench.json failed.
 */
static long run_rounds(struct run_state *rs, struct bench_case *bc, int nr,
		       int nr_all, const struct ch_scenario *cases,
		       uint64_t seed, const struct ch_bench_opts *bo,
		       const struct ch_resdir *rd)
{
	const struct ch_bench_backend *be = bo->backend;
	char err[1536], json[4200];
	long ran = 0;
	int i, k, n, ret;

	/* bench.json is ours; --benchmark_out, if given, is the user's */
	ch_resdir_path(rd, "bench.json", json, sizeof(json));
	rs->nr_rounds = bo->instances;
	rs->reps = bo->reps;
	ch_progress_begin(&rs->prog, bo->kind, 0, bo->quiet);
	ch_progress_rounds(&rs->prog, bo->instances, rs->nr_cases);
	ret = ch_gb_begin(on_result, rs, json);
	for (k = 0; !ret && k < bo->instances; k++) {
		rs->round = k;
		rs->in_round = 0;
		/* the backend's next instance: the kernel's, fresh folios */
		if (be && be->instance && be->instance(k, err, sizeof(err))) {
			fprintf(stderr, "chbench: %s\n", err);
			ret = -1;
			break;
		}
		for (i = 0; i < nr_all; i++) {
			struct bench_case *c = &bc[i];

			c->sc.instance = k;
			if (bo->reseed)
				c->sc.seed = c->sc.walk.seed =
					(i < nr ? cases[i].seed : seed) + k;
			c->gb.instance = k;
			ch_gb_register(&c->gb);
		}
		ch_loadmon_before(&bench_load, k);
		n = ch_gb_round();
		ch_loadmon_after(&bench_load, k);
		/* 0: the filter matched nothing; Google Benchmark said so */
		if (n <= 0) {
			ret = n < 0 ? -1 : 0;
			break;
		}
		ran += n;
		ret = 0;
	}
	if (ch_gb_end() < 0)
		ret = -1;
	ch_progress_end(&rs->prog);
	ch_loadmon_warn(&bench_load, stderr);
	return ret < 0 ? -1 : ran;
}

/* Whether the reader of @fd, a pipe, is gone (it would get EPIPE). */
static bool reader_gone(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR);
}

/*
 * The table on stdout. 0, or -EPIPE after a message where no one reads it
 * (EPIPE: SIGPIPE is ignored, so the guard did not act): the run is then
 * dropped, as on SIGPIPE, and its partial directory removed (by the
 * caller).
 */
static int show_table(const struct ch_table *tab,
		      const struct ch_bench_opts *bo, struct bench_case *bc,
		      int nr, int nr_all, const struct ch_resdir *rd)
{
	write_table(stdout, tab, bo, bc, nr, nr_all);
	fflush(stdout);
	if (!ferror(stdout) ||
	    (errno != EPIPE && !reader_gone(STDOUT_FILENO)))
		return 0;
	fprintf(stderr, "chbench %s: its output was closed (EPIPE); nothing was published: the partial results directory %s was removed\n",
		bo->kind, rd->tmp);
	return -EPIPE;
}

/* Whether the rounds left anything to save: 0, or -EIO after a message. */
static int rounds_verdict(long ran, const struct ch_table *tab,
			  const struct ch_bench_opts *bo, const char *parent)
{
	if (ran < 0)
		return ch_err(-EIO, "%s: nothing written under %s", bo->kind,
			      parent);
	if (ran == 0 || ch_table_errors(tab) >= ran)
		return ch_err(-EIO, "%s: no case ran without an error; nothing written under %s",
			      bo->kind, parent);
	return 0;
}

/* The instruction counts of the timed loops, for metadata.json. */
static void read_disasm(struct ch_disasm *d, const struct ch_bench_backend *be)
{
	if (be) {
		/* this binary's loops did not run: chbench.ko's did */
		memset(d, 0, sizeof(*d));
		snprintf(d->why, sizeof(d->why),
			 "the timed loops are chbench.ko's: objdump -d kmod/chbench.ko");
	} else {
		ch_disasm_read(d, NULL);
		if (!d->valid)
			fprintf(stderr, "chbench: warning: %s; metadata.json records no instruction counts (disasm.valid false)\n",
				d->why);
	}
}

/*
 * table.txt and metadata.json in @rd, not yet committed. 0, or a negative
 * errno after a message.
 */
static int save_results(const struct ch_resdir *rd,
			const struct ch_bench_opts *bo,
			const struct ch_sysinfo *si,
			const struct ch_scenario *cases, int nr,
			struct bench_case *bc, int nr_all,
			const struct ch_table *tab)
{
	char path[4200];
	struct ch_disasm d;
	struct ch_aa aa;
	bool ctl;

	ch_resdir_path(rd, "table.txt", path, sizeof(path));
	{
		FILE *f = fopen(path, "w");

		if (f) {
			ch_sysinfo_header(si, f);
			write_table(f, tab, bo, bc, nr, nr_all);
			fclose(f);
		}
	}
	read_disasm(&d, bo->backend);
	ch_resdir_path(rd, "metadata.json", path, sizeof(path));
	/* the control, if it ran (a --benchmark_filter may leave it out) */
	ctl = bo->control && ch_aa_test(tab, bc[nr].name, bc[nr + 1].name,
					&aa);
	if (write_metadata(path, bo, si, cases, nr, &d, tab,
			   ctl ? bc[nr].name : NULL,
			   ctl ? bc[nr + 1].name : NULL)) {
		int e = errno;

		return ch_err(e ? -e : -EIO, "cannot write %s: %s", path,
			      strerror(e));
	}
	return 0;
}

/*
 * Commit the results directory and name it: CH_BENCH_FAILED when a case
 * had errors, 0 when none did, a negative errno after a message when it
 * cannot be published.
 */
static int publish(struct ch_resdir *rd, const struct ch_table *tab,
		   bool user_fmt)
{
	char err[1536];
	int ret;

	ret = ch_resdir_commit(rd, err, sizeof(err));
	if (ret)
		return ch_err(ret, "%s", err);
	/* stdout may be the user's --benchmark_format=json */
	fprintf(user_fmt ? stderr : stdout, "results: %s\n",
		rd->final);
	return ch_table_errors(tab) ? CH_BENCH_FAILED : 0;
}

int ch_bench_run(struct ch_scenario *cases, int nr,
		 const struct ch_bench_opts *bo)
{
	struct ch_bench_opts o = *bo;
	const struct ch_bench_backend *be = bo->backend;
	struct run_state rs = { 0 };
	struct bench_case *bc;
	struct ch_resdir rd = { .tmp = "" };
	struct ch_sysinfo si;
	char err[1536], reps[64];
	const char *parent = bo->out ? bo->out : "results";
	char **gargv;
	int ret, cpu = bo->cpu, nr_all, nr_run;
	bool user_fmt = false, pmu_open = false, gb_live = true;
	uint64_t seed = nr ? cases[0].seed : 1;
	long ran;

	opts_resolve(&o);
	bo = &o;
	nr_all = nr + (bo->control ? 2 : 0);

	gargv = calloc(bo->gb_argc + 6, sizeof(*gargv));
	bc = calloc(nr_all, sizeof(*bc));
	rs.tab = ch_table_new(nr_all, bo->instances);
	if (!gargv || !bc || !rs.tab) {
		ret = ch_err(-ENOMEM, "out of memory");
		goto out;
	}
	ret = gb_setup(bo, gargv, reps, sizeof(reps));
	if (!ret)
		ret = validate_cases(cases, nr, bc, !be);
	if (ret)
		goto out;
	cases_setup(bc, nr, nr_all, cases, be, seed, rs.tab);
	ret = gb_select(&nr_run, err, sizeof(err));
	if (ret || !nr_run)
		goto out;

	/* one timing run per machine: the lock before any work */
	ret = ch_runlock_take(NULL, bo->allow_concurrent, false);
	if (!ret)
		ret = pin_and_count(bo, &cpu, err, sizeof(err));
	if (ret)
		goto out;
	pmu_open = true;
	ch_loadmon_init(&bench_load, cpu);
	ret = resdir_open(&rd, parent, bo, nr_run, err, sizeof(err));
	if (ret)
		goto out;

	announce(bo, parent, &si, cpu);
	rs.nr_cases = nr_run;
	ran = run_rounds(&rs, bc, nr, nr_all, cases, seed, bo, &rd);
	user_fmt = ch_gb_user_format();
	ch_gb_shutdown();
	gb_live = false;
	ch_scenario_cache_drop();
	/* a run that cannot be saved is still shown */
	ret = user_fmt ? 0 : show_table(rs.tab, bo, bc, nr, nr_all, &rd);
	if (!ret)
		ret = rounds_verdict(ran, rs.tab, bo, parent);
	if (!ret)
		ret = save_results(&rd, bo, &si, cases, nr, bc, nr_all,
				   rs.tab);
	if (ret) {
		/* the run went, and nothing of it can be kept */
		ret = CH_BENCH_FAILED;
		goto out;
	}
	ret = publish(&rd, rs.tab, user_fmt);
	goto out_keep;
out:
	ch_resdir_abort(&rd);
out_keep:
	ch_resdir_unguard();
	if (gb_live)
		ch_gb_shutdown();
	ch_table_free(rs.tab);
	free(bc);
	free(gargv);
	if (pmu_open)
		ch_pmu_close(&bench_pmu);
	ch_runlock_release();
	return ret;
}
