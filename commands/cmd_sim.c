// SPDX-License-Identifier: GPL-2.0
/*
 * chbench sim: the branch and cache questions on a machine without a PMU.
 * It takes run's options, runs "chbench run" with them under valgrind's
 * callgrind (cache and branch simulation on, counting only the measured
 * walk function) and prints the simulated figures per op, labelled as
 * such: they are a model's, never hardware counts.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands/cmds.h"
#include "commands/opts.h"
#include "lib/progress.h"
#include "commands/run.h"
#include "vmemmap/scenario.h"
#include "inspect/sim.h"
#include "report/sysinfo.h"
#include "lib/util.h"


static const struct {
	const char *label;	/* text output */
	const char *json;	/* JSON key */
} ch_sim_figs[] = {
	{ "instructions/op", "instructions_per_op" },
	{ "cond-branches/op", "cond_branches_per_op" },
	{ "cond-mispredicts/op", "cond_mispredicts_per_op" },
	{ "D1-misses/op", "d1_misses_per_op" },
	{ "LL-misses/op", "ll_misses_per_op" },
};

#define CH_SIM_NR_FIGS	\
	((int)ARRAY_SIZE(ch_sim_figs))

static void per_op(const struct ch_sim_result *r, double fig[CH_SIM_NR_FIGS])
{
	const uint64_t *e = r->ev;
	double n = (double)r->ops;

	fig[0] = e[CH_SIM_IR] / n;
	fig[1] = e[CH_SIM_BC] / n;
	fig[2] = e[CH_SIM_BCM] / n;
	fig[3] = (e[CH_SIM_D1MR] + e[CH_SIM_D1MW]) / n;
	fig[4] = (e[CH_SIM_DLMR] + e[CH_SIM_DLMW]) / n;
}

/* "  head: text" folded at 78 columns, continuation lines indented. */
static void print_folded(const char *head, const char *text)
{
	int col = printf("  %s:", head);
	const char *p = text;

	while (*p) {
		size_t w = strcspn(p, " ");

		if (col + 1 + (int)w > 78)
			col = printf("\n   ") - 1;
		col += printf(" %.*s", (int)w, p);
		p += w;
		p += strspn(p, " ");
	}
	printf("\n");
}

/* run's arguments that describe @sc, so the child walks the same pages */
static int run_args(const struct ch_scenario *sc, int cpu, const char **a,
		    char bufs[][32])
{
	int n = 0;

	a[n++] = "--variant";
	a[n++] = sc->variant->name;
	a[n++] = "--shape";
	a[n++] = ch_shape_names[sc->shape];
	a[n++] = "--layout";
	a[n++] = ch_layouts[sc->layout].name;
	a[n++] = "--mix";
	a[n++] = sc->mix.name;
	a[n++] = "--mem";
	snprintf(bufs[0], 32, "%" PRIu64, sc->mem);
	a[n++] = bufs[0];
	a[n++] = "--walk";
	a[n++] = ch_walk_names[sc->walk.kind];
	if (sc->walk.tail_fraction >= 0) {
		a[n++] = "--tail-fraction";
		snprintf(bufs[1], 32, "%.17g", sc->walk.tail_fraction);
		a[n++] = bufs[1];
	} else {
		a[n++] = "--pick";
		a[n++] = ch_pick_names[sc->walk.pick];
	}
	a[n++] = "--key";
	a[n++] = sc->key == CH_KEY_AUTO ? "auto" : sc->key ? "on" : "off";
	a[n++] = "--seed";
	snprintf(bufs[2], 32, "%" PRIu64, sc->seed);
	a[n++] = bufs[2];
	a[n++] = "--ops";
	snprintf(bufs[3], 32, "%" PRIu64, sc->walk.ops);
	a[n++] = bufs[3];
	if (cpu >= 0) {
		a[n++] = "--cpu";
		snprintf(bufs[4], 32, "%d", cpu);
		a[n++] = bufs[4];
	}
	/* a software event: no hardware counter is wanted under valgrind */
	a[n++] = "--events";
	a[n++] = "task-clock";
	a[n] = NULL;
	return n;
}

static void print_json(const struct ch_scenario *sc,
		       const struct ch_walk_func *wf,
		       const struct ch_sim_result *r, int cpu)
{
	struct ch_prepared p = { .wf = wf, .n = r->ops, .key = r->key };
	double fig[CH_SIM_NR_FIGS];
	json_t *j, *sim, *totals = json_object();
	struct ch_sysinfo si;
	int i;

	per_op(r, fig);
	ch_sysinfo_read(&si, cpu);
	j = ch_run_json_params(sc, &p, cpu);
	sim = json_pack("{s:s, s:o}", "label", "simulated (valgrind)",
			"tool", ch_json_string(r->tool));
	for (i = 0; i < CH_SIM_NR_FIGS; i++)
		json_object_set_new(sim, ch_sim_figs[i].json,
				    ch_json_real(fig[i], "%.6f"));
	for (i = 0; i < CH_SIM_NR_EVENTS; i++)
		json_object_set_new(totals, ch_sim_event_names[i],
				    ch_json_u64(r->ev[i]));
	json_object_update_new(sim, json_pack("{s:o, s:o, s:s, s:s}",
		"totals", totals, "counted", ch_json_string(wf->sym),
		"model", CH_SIM_MODEL, "lacks", CH_SIM_LACKS));
	json_object_update_new(j, json_pack("{s:o, s:o, s:o}",
		"ops", ch_json_u64(p.n), "simulated", sim,
		"system", ch_sysinfo_json(&si)));
	ch_json_print(j, stdout);
}

static void print_text(const struct ch_scenario *sc,
		       const struct ch_walk_func *wf,
		       const struct ch_sim_result *r)
{
	double fig[CH_SIM_NR_FIGS];
	char name[256], what[512];
	int i;

	per_op(r, fig);
	printf("%s\n", ch_scenario_name(sc, name, sizeof(name)));
	printf("  simulated (valgrind), %s, %" PRIu64 " ops\n", r->tool,
	       r->ops);
	for (i = 0; i < CH_SIM_NR_FIGS; i++)
		printf("  %-24s %.4f\n", ch_sim_figs[i].label, fig[i]);
	snprintf(what, sizeof(what), "%s only%s, no warm-up pass", wf->sym,
		 !(sc->variant->flags & CH_VF_KEY) ? "" :
		 r->key ? ", key on" : ", key off");
	print_folded("counted", what);
	print_folded("model", CH_SIM_MODEL);
	snprintf(what, sizeof(what), "%s; not hardware counts", CH_SIM_LACKS);
	print_folded("lacks", what);
}

const struct ch_cmd_help ch_sim_help = {
	.usage = (const char *const []){ "sim --variant NAME [options]", NULL },
	.summary = "simulated counters per op, under valgrind (no PMU needed)",
};

int cmd_sim(int argc, char **argv)
{
	const char *args[48];
	const struct ch_walk_func *wf;
	struct ch_sim_result r;
	struct ch_progress prog;
	struct ch_scenario sc;
	/* run's options but --events and --control, which do not apply */
	static const struct ch_option options[] = {
		CH_RUN_OPTIONS, OPT_PARENT("json"), OPT_PARENT("quiet"),
		OPT_END(),
	};
	struct ch_opts o;
	char bufs[5][32], vg[4096], err[1024];
	int ret;

	if (ch_opts_init(&o, CH_RUN_MIX, CH_RUN_MEM))
		return 2;
	o.ops = CH_SIM_DEFAULT_OPS;
	argc = ch_parse_options(argc, argv, options, &o, &ch_sim_help);
	ret = ch_run_scenario("sim", &o, &sc, argc, argv);
	if (ret)
		return ret;
	if (ch_sim_find_valgrind(vg, sizeof(vg), err, sizeof(err)))
		return ch_usage_error("%s", err);

	wf = ch_walk_func_find(sc.variant - ch_variants, sc.shape,
			       ch_walk_loop(sc.walk.kind));
	run_args(&sc, o.cpu, args, bufs);
	ch_progress_begin(&prog, "sim", 0, o.quiet);
	ret = ch_sim_run(vg, args, wf->sym, &r, err, sizeof(err), &prog);
	if (ret) {
		ch_progress_abort(&prog);
		return ch_usage_error("%s", err);
	}
	ch_progress_end(&prog);
	if (r.ops != sc.walk.ops || strcmp(r.walk_function, wf->sym))
		return ch_usage_error("chbench run under valgrind did %" PRIu64 " ops in %s, not %" PRIu64 " in %s",
				      r.ops, r.walk_function, sc.walk.ops,
				      wf->sym);
	if (o.json)
		print_json(&sc, wf, &r, o.cpu);
	else
		print_text(&sc, wf, &r);
	return 0;
}
