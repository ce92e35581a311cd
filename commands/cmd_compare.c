// SPDX-License-Identifier: GPL-2.0
/*
 * chbench compare [--baseline VARIANT[@LAYOUT]] DIR...: the statistics of
 * results directories as one JSON object, for scripts/report and anyone:
 *
 *   {"alpha", "confidence", "estimate", "test", "baseline",
 *    "family": {"size", "claimed", "untested"},
 *    "dirs": [{"path", "kind",
 *              "cases": {CASE: {"error", "metrics": {METRIC:
 *                  {"n", "estimate", "lo", "hi", "cv", "instances"}}}},
 *              "control": null or {"a", "b", COMPARISON...}}],
 *    "comparisons": [{"a": [DIR, CASE], "b": [DIR, CASE], "metric",
 *                     "within", COMPARISON...}]}
 *
 * where COMPARISON is "n" (instances of a and b), "change" (b's estimate
 * over a's, less 1), "lo" and "hi" (its 95% interval), "df", "p", "p_bh"
 * (after Benjamini-Hochberg over the family), "tested", "claimed",
 * "verdict" (ministat's words, or why it was not tested) and "text"
 * ("-19.5% [-23.1, -15.8]"). Which comparisons: report/compare.h; the
 * statistics: report/stats.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands/cmds.h"
#include "report/compare.h"
#include "commands/opts.h"
#include "vmemmap/suite.h"
#include "lib/util.h"

static json_t *num(double v)
{
	return ch_json_real(v, "%.9g");
}

static json_t *est_json(const struct ch_res_metric *m)
{
	json_t *inst = json_array();
	struct ch_est e;
	int k;

	ch_est(m->v, m->n, &e);
	for (k = 0; k < m->n; k++)
		json_array_append_new(inst, num(m->v[k]));
	return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o}", "n", e.n,
			 "estimate", num(e.value), "lo", num(e.lo),
			 "hi", num(e.hi), "cv", num(e.cv), "instances", inst);
}

static json_t *cmp_json(const struct ch_cmp *c)
{
	char t[96], v[128];

	return json_pack("{s:[i,i], s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, "
			 "s:s, s:s}",
		"n", c->na, c->nb, "change", num(c->change),
		"lo", num(c->lo), "hi", num(c->hi), "df", num(c->df),
		"p", ch_json_real(c->p, "%.6g"),
		"p_bh", ch_json_real(c->p_bh, "%.6g"),
		"tested", c->tested, "claimed", c->claimed,
		"verdict", ch_verdict(c, v, sizeof(v)),
		"text", ch_fmt_change(c, t, sizeof(t)));
}

static json_t *case_json(const struct ch_res_case *c)
{
	json_t *m = json_object();
	int i;

	for (i = 0; i < c->nr_metrics; i++)
		if (c->m[i].n)
			json_object_set_new(m, c->m[i].name,
					    est_json(&c->m[i]));
	return json_pack("{s:o, s:o}", "error", ch_json_str_or_null(c->error),
			 "metrics", m);
}

/* The noise floor: arm b of the A/A control against arm a. */
static json_t *control_json(const struct ch_results *r)
{
	const struct ch_res_case *a, *b;
	struct ch_cmp c;
	json_t *j;

	if (!ch_control_arms(r, &a, &b))
		return json_null();
	ch_pair_test(a, b, "ns/op", &c);
	j = json_pack("{s:s, s:s}", "a", a->name, "b", b->name);
	json_object_update_new(j, cmp_json(&c));
	return j;
}

static json_t *dir_json(const struct ch_results *r)
{
	json_t *cases = json_object();
	int i;

	for (i = 0; i < r->nr; i++)
		json_object_set_new(cases, r->c[i].name, case_json(&r->c[i]));
	return json_pack("{s:o, s:s, s:o, s:o}", "path",
			 ch_json_string(r->path), "kind", r->kind,
			 "cases", cases, "control", control_json(r));
}

static json_t *pair_json(const struct ch_pair *p)
{
	json_t *j = json_pack("{s:[i,s], s:[i,s], s:s, s:b}",
			      "a", p->da, p->a->name, "b", p->db, p->b->name,
			      "metric", p->metric, "within", p->within);

	json_object_update_new(j, cmp_json(&p->cmp));
	return j;
}

static int print(const struct ch_results *r, int nr,
		 const struct ch_family *f, const char *baseline)
{
	json_t *dirs = json_array(), *cmps = json_array();
	char est[128];
	int i;

	snprintf(est, sizeof(est), "geometric mean over instances, %.1f%% t interval on the log values",
		 ch_confidence());
	for (i = 0; i < nr; i++)
		json_array_append_new(dirs, dir_json(&r[i]));
	for (i = 0; i < f->nr; i++)
		json_array_append_new(cmps, pair_json(&f->p[i]));
	return ch_json_print(json_pack(
			"{s:o, s:o, s:s, s:s, s:s, s:{s:i, s:i, s:i}, "
			"s:o, s:o}",
		"alpha", ch_json_real(CH_ALPHA, "%g"),
		"confidence", ch_json_real(ch_confidence(), "%.1f"),
		"estimate", est,
		"test", "Welch's t on the log values, two-sided, Welch-Satterthwaite df; Benjamini-Hochberg over the family",
		"baseline", baseline,
		"family", "size", f->size, "claimed", f->claimed,
		"untested", f->nr - f->size,
		"dirs", dirs, "comparisons", cmps), stdout) ? 2 : 0;
}

const struct ch_cmd_help ch_compare_help = {
	.usage = (const char *const []){
		"compare [--baseline VARIANT[@LAYOUT]] DIR [DIR ...]", NULL,
	},
	.summary = "estimates, intervals and tests of results directories, as JSON",
};

/* @want names a case of some directory; else 2 with one line. */
static int check_baseline(const struct ch_results *r, int nr,
			  const char *want)
{
	const char *at = strchr(want, '@');
	size_t vlen = at ? (size_t)(at - want) : strlen(want);
	int d, i;

	for (d = 0; d < nr; d++)
		for (i = 0; i < r[d].nr; i++) {
			const struct ch_res_case *c = &r[d].c[i];
			const char *v = ch_res_field(c, "variant");

			if (strlen(v) == vlen && !strncmp(v, want, vlen) &&
			    (!at || !strcmp(at + 1,
					    ch_res_field(c, "layout"))))
				return 0;
		}
	return ch_usage_error("compare: --baseline %s: no such case in the results; give VARIANT[@LAYOUT] as the tables name it, e.g. %s",
			      want, ch_suite_baseline());
}

/* --baseline's VARIANT[@LAYOUT]; check_baseline() finds it, later */
static int parse_baseline(const struct ch_option *opt, const char *arg)
{
	if (!*arg || arg[0] == '@')
		return ch_usage_error("compare: --baseline '%s': give VARIANT or VARIANT@LAYOUT, e.g. %s",
				      arg, ch_suite_baseline());
	*(const char **)opt->value = arg;
	return 0;
}

/* The options into *baseline; the directories left in argv: how many. */
static int parse(int argc, char **argv, const char **baseline)
{
	const struct ch_option options[] = {
		OPT_CALLBACK("baseline", "VARIANT[@LAYOUT]", baseline,
			     "the case the others of its scenario are compared with",
			     parse_baseline, NULL,
			     .def = "the kernel before the series, as chbench list --json's default_baseline"),
		OPT_END(),
	};

	argc = ch_parse_options(argc, argv, options, NULL, &ch_compare_help);
	if (!argc)
		return ch_usage_error("compare: give one results directory or more (each with a bench.json), e.g. chbench compare results/2026-02-03-box"),
		       -1;
	return argc;
}

int cmd_compare(int argc, char **argv)
{
	const char *baseline = NULL;
	struct ch_results *r;
	struct ch_family f = { 0 };
	char err[5000];
	int nr, i, ret;

	nr = parse(argc, argv, &baseline);
	if (nr < 0)
		return 2;
	r = calloc(nr, sizeof(*r));
	if (!r)
		return ch_usage_error("out of memory");
	for (i = 0, ret = 0; !ret && i < nr; i++)
		if (ch_results_read(&r[i], argv[i], err, sizeof(err)))
			ret = ch_usage_error("compare: %s", err);
	if (!ret && baseline)
		ret = check_baseline(r, nr, baseline);
	if (!baseline)
		baseline = ch_suite_baseline();
	if (!ret && ch_family_build(&f, r, nr, baseline, err, sizeof(err)))
		ret = ch_usage_error("compare: %s", err);
	if (!ret)
		ret = print(r, nr, &f, baseline);
	ch_family_free(&f);
	for (i = 0; i < nr; i++)
		ch_results_free(&r[i]);
	free(r);
	return ret;
}
