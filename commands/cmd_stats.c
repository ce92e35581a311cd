// SPDX-License-Identifier: GPL-2.0
/*
 * chbench stats [--pooled]: the statistics of chbench (report/stats.h)
 * over values given on stdin as JSON, for figures that are not a results
 * directory (scripts/perf-compare's runs):
 *
 *   {"values": {NAME: [number, ...], ...},
 *    "compare": [[A, B], ...]}          (B against A, NAMEs of "values")
 *
 * printed back as one JSON object: "alpha", "confidence", "estimate",
 * "test", "family" ({"size", "claimed", "untested"}: the comparisons
 * given are the family, controlled by Benjamini-Hochberg), "values"
 * (NAME: {"n", "estimate", "lo", "hi", "cv"}) and "comparisons" ({"a",
 * "b"} and the fields chbench compare gives each).
 *
 * --pooled tests with Student's t and a pooled variance, as ministat
 * does, instead of Welch's: only to check chbench's arithmetic against
 * ministat's on the same data (tests/test_stats.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands/cmds.h"
#include "report/json.h"
#include "commands/opts.h"
#include "report/stats.h"
#include "lib/util.h"

/* The numbers of "values" NAME into a new array, *n of them; or NULL. */
static double *values_of(json_t *vals, const char *name, int *n)
{
	json_t *a = json_object_get(vals, name), *v;
	double *x;
	size_t i;

	if (!json_is_array(a))
		return NULL;
	x = calloc(json_array_size(a) + 1, sizeof(*x));
	json_array_foreach(a, i, v) {
		if (!x || !json_is_number(v)) {
			free(x);
			return NULL;
		}
		x[i] = json_number_value(v);
	}
	*n = json_array_size(a);
	return x;
}

static json_t *num(double v)
{
	return ch_json_real(v, "%.9g");
}

static json_t *values_json(json_t *vals)
{
	json_t *out = json_object(), *v;
	const char *name;
	struct ch_est e;
	double *x;
	int n;

	json_object_foreach(vals, name, v) {
		x = values_of(vals, name, &n);
		ch_est(x, x ? n : 0, &e);
		free(x);
		json_object_set_new(out, name, json_pack(
				"{s:i, s:o, s:o, s:o, s:o}", "n", e.n,
			"estimate", num(e.value), "lo", num(e.lo),
			"hi", num(e.hi), "cv", num(e.cv)));
	}
	return out;
}

/* Each pair of "compare" tested into c[]; 0, or 2 after one line. */
static int test_pairs(json_t *vals, json_t *pairs, enum ch_test test,
		      struct ch_cmp *c)
{
	json_t *p;
	size_t i;

	json_array_foreach(pairs, i, p) {
		const char *a = json_string_value(json_array_get(p, 0));
		const char *b = json_string_value(json_array_get(p, 1));
		double *xa = NULL, *xb = NULL;
		int na = 0, nb = 0;

		if (a && b && json_array_size(p) == 2) {
			xa = values_of(vals, a, &na);
			xb = values_of(vals, b, &nb);
		}
		if (!xa || !xb) {
			free(xa);
			free(xb);
			return ch_usage_error("stats: \"compare\" item %zu: give [A, B], two names of \"values\" (each an array of numbers)",
					      i);
		}
		ch_cmp(xa, na, xb, nb, test, &c[i]);
		free(xa);
		free(xb);
	}
	return 0;
}

static json_t *output(json_t *vals, json_t *pairs, struct ch_cmp *c,
		      int size, enum ch_test test)
{
	json_t *cmps = json_array(), *p;
	char t[96], v[128], est[128];
	int claimed = 0;
	size_t i;

	json_array_foreach(pairs, i, p) {
		claimed += c[i].claimed;
		json_array_append_new(cmps, json_pack(
				"{s:O, s:O, s:[i,i], s:o, s:o, s:o, s:o, s:o, "
				"s:o, s:b, s:b, s:s, s:s}",
			"a", json_array_get(p, 0), "b", json_array_get(p, 1),
			"n", c[i].na, c[i].nb, "change", num(c[i].change),
			"lo", num(c[i].lo), "hi", num(c[i].hi),
			"df", num(c[i].df), "p", ch_json_real(c[i].p, "%.6g"),
			"p_bh", ch_json_real(c[i].p_bh, "%.6g"),
			"tested", c[i].tested, "claimed", c[i].claimed,
			"verdict", ch_verdict(&c[i], v, sizeof(v)),
			"text", ch_fmt_change(&c[i], t, sizeof(t))));
	}
	snprintf(est, sizeof(est), "geometric mean, %.1f%% t interval on the log values",
		 ch_confidence());
	return json_pack("{s:o, s:o, s:s, s:s, s:{s:i, s:i, s:i}, s:o, s:o}",
		"alpha", ch_json_real(CH_ALPHA, "%g"),
		"confidence", ch_json_real(ch_confidence(), "%.1f"),
		"estimate", est,
		"test", test == CH_POOLED ?
			"Student's t on the log values, pooled variance (ministat's); Benjamini-Hochberg over the comparisons given" :
			"Welch's t on the log values, two-sided, Welch-Satterthwaite df; Benjamini-Hochberg over the comparisons given",
		"family", "size", size, "claimed", claimed,
		"untested", (int)json_array_size(pairs) - size,
		"values", values_json(vals), "comparisons", cmps);
}

/* The document on stdin: its "values" and "compare"; 0, or 2. */
static int read_input(json_t **doc, json_t **vals, json_t **pairs)
{
	json_error_t e;
	const char *name;
	json_t *v, *x;
	size_t i;

	*doc = json_loadf(stdin, 0, &e);
	if (!*doc)
		return ch_usage_error("stats: stdin holds no JSON document (%s, line %d); give {\"values\": {NAME: [numbers]}, \"compare\": [[A, B]]}",
				      e.text, e.line);
	*vals = json_object_get(*doc, "values");
	*pairs = json_object_get(*doc, "compare");
	if (!json_is_object(*vals) || (*pairs && !json_is_array(*pairs)))
		return ch_usage_error("stats: give {\"values\": {NAME: [numbers]}, \"compare\": [[A, B]]} on stdin");
	json_object_foreach(*vals, name, v) {
		if (!json_is_array(v))
			return ch_usage_error("stats: \"values\" %s is no array; give an array of numbers",
					      name);
		json_array_foreach(v, i, x)
			if (!json_is_number(x))
				return ch_usage_error("stats: \"values\" %s item %zu is no number",
						      name, i);
	}
	return 0;
}

const struct ch_cmd_help ch_stats_help = {
	.usage = (const char *const []){
		"stats [--pooled] < {\"values\": {NAME: [...]}, \"compare\": [[A, B]]}",
		NULL,
	},
	.summary = "estimates, intervals and tests of values on stdin, as JSON",
};

static int parse(int argc, char **argv, enum ch_test *test)
{
	bool pooled = false;
	const struct ch_option options[] = {
		OPT_BOOLEAN("pooled", &pooled,
			    "Student's t with pooled variance, as ministat (only to check against it)"),
		OPT_END(),
	};

	argc = ch_parse_options(argc, argv, options, NULL, &ch_stats_help);
	if (argc < 0)
		return 2;
	if (argc)
		return ch_usage_error("stats: unexpected argument '%s'; the values come on stdin",
				      argv[0]);
	*test = pooled ? CH_POOLED : CH_WELCH;
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	enum ch_test test = CH_WELCH;
	json_t *doc = NULL, *vals = NULL, *pairs = NULL;
	struct ch_cmp *c = NULL, **all = NULL;
	int ret, size = 0;
	size_t i, n;

	ret = parse(argc, argv, &test);
	if (!ret)
		ret = read_input(&doc, &vals, &pairs);
	if (ret)
		goto out;
	n = json_array_size(pairs);
	c = calloc(n + 1, sizeof(*c));
	all = calloc(n + 1, sizeof(*all));
	if (!c || !all) {
		ret = ch_usage_error("out of memory");
		goto out;
	}
	ret = test_pairs(vals, pairs, test, c);
	for (i = 0; i < n; i++)
		all[i] = &c[i];
	if (!ret)
		size = ch_bh(all, n);
	if (!ret && size < 0)
		ret = ch_usage_error("out of memory");
	if (!ret)
		ret = ch_json_print(output(vals, pairs, c, size, test),
				    stdout) ? 2 : 0;
out:
	free(c);
	free(all);
	json_decref(doc);
	return ret;
}
