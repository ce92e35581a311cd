// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/bench.h"
#include "harness/disasm.h"
#include "harness/gbench.h"
#include "harness/opts.h"
#include "harness/pmu.h"
#include "harness/resdir.h"
#include "harness/sysinfo.h"
#include "harness/table.h"
#include "harness/units.h"
#include "variants/static_key.h"

struct bench_case {
	struct ch_scenario sc;
	struct ch_prepared p;
	const struct ch_bench_backend *be;
	void *state;			/* the backend's */
	struct ch_gb_case gb;
	char name[256];
};

static struct ch_pmu bench_pmu;

const struct ch_suite_pair ch_suite_pairs[] = {
	{ "pointer", CH_LAYOUT_NONE, CH_KEY_AUTO, true },
	/* the kernel switches the key on once a HugeTLB folio is optimized */
	{ "fake-head", CH_LAYOUT_HVO_FAKE_HEAD, 1, true },
	{ "mask-branchy", CH_LAYOUT_HVO_SHARED_TAIL, CH_KEY_AUTO, true },
	{ "mask-branchless", CH_LAYOUT_HVO_SHARED_TAIL, CH_KEY_AUTO, true },
	/* every variant on the plain memmap (fake-head: key off) */
	{ "fake-head", CH_LAYOUT_NONE, CH_KEY_AUTO, false },
	{ "mask-branchy", CH_LAYOUT_NONE, CH_KEY_AUTO, false },
	{ "mask-branchless", CH_LAYOUT_NONE, CH_KEY_AUTO, false },
	/* the harness's own cost on each layout */
	{ "floor", CH_LAYOUT_NONE, CH_KEY_AUTO, true },
	{ "floor", CH_LAYOUT_HVO_FAKE_HEAD, CH_KEY_AUTO, true },
	{ "floor", CH_LAYOUT_HVO_SHARED_TAIL, CH_KEY_AUTO, true },
};
const int ch_nr_suite_pairs = sizeof(ch_suite_pairs) /
			      sizeof(ch_suite_pairs[0]);

void ch_bench_opts_set(struct ch_bench_opts *bo, const struct ch_opts *o,
		       int argc, char **argv, char **gb_argv)
{
	bo->quick = o->quick;
	bo->cpu = o->cpu;
	bo->events = o->events;
	bo->out = o->out;
	bo->argc = argc;
	bo->argv = argv;
	bo->gb_argv = gb_argv;
	bo->backend = NULL;
}

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

static void json_counts(FILE *f, const struct ch_insn_counts *c)
{
	fprintf(f, "{\"insns\": %d, \"loads\": %d, \"cond_branches\": %d, \"cmovs\": %d}",
		c->insns, c->loads, c->cond_branches, c->cmovs);
}

static int write_metadata(const char *path, const struct ch_bench_opts *bo,
			  const struct ch_sysinfo *si,
			  const struct ch_scenario *cases, int nr,
			  const struct ch_disasm *d)
{
	FILE *f = fopen(path, "w");
	int i;

	if (!f)
		return -errno;
	fprintf(f, "{\n  \"chbench\": \"%s\",\n  \"kind\": \"%s\",\n",
		si->git_rev, bo->kind);
	if (bo->backend && bo->backend->metadata)
		bo->backend->metadata(f);
	fprintf(f, "  \"command\": ");
	{
		char cmd[4096] = "";
		size_t off = 0;

		if (bo->backend)
			off += snprintf(cmd, sizeof(cmd), "%s ",
					bo->backend->tag);
		for (i = 0; i < bo->argc; i++)
			off += snprintf(cmd + off, sizeof(cmd) - off, "%s%s",
					i ? " " : "", bo->argv[i]);
		ch_json_str(f, cmd);
	}
	fprintf(f, ",\n  \"quick\": %s,\n  \"cases\": %d,\n",
		bo->quick ? "true" : "false", nr);
	/* one seed places the folios and draws the walks of every case */
	fprintf(f, "  \"seed\": %" PRIu64 ",\n", nr ? cases[0].seed : 0);
	fprintf(f, "  \"system\": ");
	ch_sysinfo_json(si, f);
	fprintf(f, ",\n  \"pmu\": {\"events\": [");
	for (i = 0; i < bench_pmu.nr; i++) {
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		ch_json_str(f, bench_pmu.ev[i].name);
		fprintf(f, ", \"present\": %s}",
			bench_pmu.ev[i].absent ? "false" : "true");
	}
	fprintf(f, "], \"note\": ");
	ch_json_str(f, bench_pmu.why);
	fprintf(f, "},\n  \"static_key\": ");
	ch_json_str(f, ch_static_key_impl());
	fprintf(f, ",\n  \"disasm\": {\"valid\": %s, \"note\": ",
		d->valid ? "true" : "false");
	ch_json_str(f, d->why);
	fprintf(f, ", \"functions\": [\n");
	for (i = 0; i < ch_nr_walk_funcs; i++) {
		const struct ch_walk_func *w = &ch_walk_funcs[i];

		fprintf(f, "    {\"symbol\": \"%s\", \"variant\": \"%s\", \"shape\": \"%s\", \"loop\": \"%s\", \"function\": ",
			w->sym, ch_variants[w->variant].name,
			ch_shape_names[w->shape], ch_loop_names[w->loop]);
		json_counts(f, &d->fn[i]);
		fprintf(f, ", \"variant_code\": ");
		json_counts(f, &d->net[i]);
		fprintf(f, "}%s\n", i + 1 < ch_nr_walk_funcs ? "," : "");
	}
	fprintf(f, "  ]}\n}\n");
	return fclose(f) ? -errno : 0;
}

static void on_result(const struct ch_gb_result *r, void *arg)
{
	ch_table_add(arg, r);
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

/* Every case, before any work: one line and 2 for the first bad one. */
static int validate_cases(const struct ch_scenario *cases, int nr,
			  struct bench_case *bc, bool emulated)
{
	char err[512];
	int i, j;

	for (i = 0; i < nr; i++) {
		/* a backend's cases are its own to check (kernel: real memory) */
		if (emulated &&
		    ch_scenario_validate(&cases[i], err, sizeof(err)))
			return ch_usage_error("%s", err);
		ch_scenario_name(&cases[i], bc[i].name, sizeof(bc[i].name));
		for (j = 0; j < i; j++)
			if (!strcmp(bc[i].name, bc[j].name))
				return ch_usage_error("two cases are both %s; give each size or fraction once",
						      bc[i].name);
	}
	return 0;
}

int ch_bench_run(struct ch_scenario *cases, int nr,
		 const struct ch_bench_opts *bo)
{
	struct bench_case *bc;
	struct ch_resdir rd = { .tmp = "" };
	struct ch_sysinfo si;
	struct ch_disasm d;
	struct ch_table *tab;
	char err[1536], path[4200], json[4200];
	const char *parent = bo->out ? bo->out : "results";
	char **gargv;
	int gargc = 0, i, ret, cpu = bo->cpu, nr_run, reps;
	bool user_fmt = false, pmu_open = false, gb_live = true;
	uint64_t need;

	/* our defaults first: the user's flags come later and win */
	gargv = calloc(bo->gb_argc + 6, sizeof(*gargv));
	bc = calloc(nr, sizeof(*bc));
	tab = ch_table_new(nr);
	if (!gargv || !bc || !tab) {
		ret = ch_usage_error("out of memory");
		goto out;
	}
	gargv[gargc++] = bo->argv[0];
	gargv[gargc++] = bo->quick ? "--benchmark_repetitions=3" :
				     "--benchmark_repetitions=5";
	gargv[gargc++] = bo->quick ? "--benchmark_min_time=0.01" :
				     "--benchmark_min_time=0.1";
	gargv[gargc++] = "--benchmark_enable_random_interleaving=true";
	for (i = 0; i < bo->gb_argc; i++)
		gargv[gargc++] = bo->gb_argv[i];
	gargv[gargc] = NULL;
	if (ch_gb_init(&gargc, gargv)) {
		ret = 2;
		goto out;
	}
	if (gargc > 1) {
		ret = ch_usage_error("%s: unexpected argument '%s'", bo->kind,
				     gargv[1]);
		goto out;
	}
	ret = validate_cases(cases, nr, bc, !bo->backend);
	if (ret)
		goto out;
	for (i = 0; i < nr; i++) {
		struct bench_case *c = &bc[i];

		c->sc = cases[i];
		c->be = bo->backend;
		c->state = c->be ? c->be->states[i] : NULL;
		c->gb.name = c->name;
		c->gb.arg = c;
		c->gb.ops_per_batch = c->sc.walk.ops;
		c->gb.prepare = case_prepare;
		c->gb.batch = case_batch;
		c->gb.counters_start = case_counters_start;
		c->gb.counters_stop = case_counters_stop;
		ch_gb_register(&c->gb);
		ch_table_case(tab, &c->sc, c->name);
	}
	/* nothing selected, a bad filter, an unwritable --benchmark_out */
	nr_run = ch_gb_preflight(err, sizeof(err));
	if (ch_gb_list_only() && nr_run >= 0) {
		ret = 0;
		goto out;
	}
	if (nr_run <= 0) {
		ret = ch_usage_error("%s", err);
		goto out;
	}

	if (cpu < 0)
		cpu = default_cpu();
	if (cpu >= 0 && ch_pin_cpu(cpu, err, sizeof(err))) {
		ret = ch_usage_error("%s", err);
		goto out;
	}
	if (ch_pmu_open(&bench_pmu, bo->events, err, sizeof(err))) {
		ret = ch_usage_error("%s", err);
		goto out;
	}
	pmu_open = true;

	ret = ch_resdir_begin(&rd, parent,
			      bo->backend ? bo->backend->tag : CH_RESDIR_TAG,
			      err, sizeof(err));
	reps = ch_gb_repetitions();
	need = (uint64_t)nr_run * (reps + (reps > 1 ? 4 : 0)) *
	       CH_BENCH_JSON_ENTRY + CH_BENCH_FIXED_BYTES;
	if (ret || ch_resdir_check_space(parent, need, err, sizeof(err))) {
		ret = ch_usage_error("%s", err);
		goto out;
	}
	ch_resdir_guard(&rd);

	/* only now, with the input known good: warnings, then the work */
	ch_resdir_stale(parent, stderr);
	ch_sysinfo_read(&si, cpu);
	ch_sysinfo_warn(&si, stderr);
	if (bench_pmu.why[0])
		fprintf(stderr, "chbench: %s\n", bench_pmu.why);
	if (bo->note)
		fprintf(stderr, "chbench: note: %s\n", bo->note);
	ch_resdir_path(&rd, "bench.json", json, sizeof(json));
	ch_gb_add_context("chbench", si.git_rev);
	ch_gb_add_context("chbench_kind", bo->kind);
	ch_gb_add_context("compiler", si.compiler);
	ch_gb_add_context("cflags", si.cflags);
	ch_gb_add_context("cpu_model", si.cpu_model);
	ch_gb_add_context("pmu", bench_pmu.why[0] ? bench_pmu.why : "ok");

	/* bench.json is ours; --benchmark_out, if given, is the user's */
	ret = ch_gb_run_tee(on_result, tab, json);
	user_fmt = ch_gb_user_format();
	ch_gb_shutdown();
	gb_live = false;
	ch_scenario_cache_drop();
	/* a run that cannot be saved is still shown */
	if (!user_fmt) {
		if (bo->backend && bo->backend->label)
			printf("%s\n", bo->backend->label);
		ch_table_print(tab, stdout, &bench_pmu);
	}
	if (ret < 0) {
		ret = ch_usage_error("%s: nothing written under %s",
				     bo->kind, parent) - 1;
		goto out;
	}
	if (ret == 0 || ch_table_errors(tab) >= ret) {
		ret = ch_usage_error("%s: no case ran without an error; nothing written under %s",
				     bo->kind, parent) - 1;
		goto out;
	}
	ch_resdir_path(&rd, "table.txt", path, sizeof(path));
	{
		FILE *f = fopen(path, "w");

		if (f) {
			if (bo->backend && bo->backend->label)
				fprintf(f, "%s\n", bo->backend->label);
			ch_table_print(tab, f, &bench_pmu);
			fclose(f);
		}
	}
	ch_disasm_read(&d, NULL);
	if (!d.valid)
		fprintf(stderr, "chbench: warning: %s; metadata.json records no instruction counts (disasm.valid false)\n",
			d.why);
	ch_resdir_path(&rd, "metadata.json", path, sizeof(path));
	if (write_metadata(path, bo, &si, cases, nr, &d)) {
		ret = ch_usage_error("cannot write %s: %s", path,
				     strerror(errno)) - 1;
		goto out;
	}
	if (ch_resdir_commit(&rd, err, sizeof(err))) {
		ret = ch_usage_error("%s", err);
		goto out_keep;
	}
	/* stdout may be the user's --benchmark_format=json */
	fprintf(user_fmt ? stderr : stdout, "results: %s\n",
		rd.final);
	ret = ch_table_errors(tab) ? 1 : 0;
	goto out_keep;
out:
	ch_resdir_abort(&rd);
out_keep:
	ch_resdir_unguard();
	if (gb_live)
		ch_gb_shutdown();
	ch_table_free(tab);
	free(bc);
	free(gargv);
	if (pmu_open)
		ch_pmu_close(&bench_pmu);
	return ret;
}
