/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a results directory, as chbench wrote it at any time: its
 * cases, and the instance values of each, per metric.
 *
 * ch_results_cases() is what 'chbench cases DIR' prints:
 *
 *   {"source": "metadata.json" or "names",
 *    "cases": {CASE: {variant, layout, key, ...}},   (see report/cases.h)
 *    "runs": {NAME: CASE}}
 *
 * "cases" is metadata.json's where it has one; results written before
 * it did have their bench.json names parsed (ch_scenario_parse()), the
 * floors paired as chbench pairs them. "runs" maps each run name in
 * bench.json (run_name, else name: Google Benchmark's, with its
 * "/iterations:N" and "/real_time") to its case.
 *
 * ch_results_read() adds the values: a case's value on one instance is
 * the mean of its repetitions there, for ns/op and every counter per op
 * (as the table's, from Google Benchmark's "mean"). Results made before
 * instances hold one, with every repetition.
 */
#ifndef CH_RESREAD_H
#define CH_RESREAD_H

#include <stddef.h>

#include "report/json.h"
#include "vmemmap/scenario.h"

#define CH_RES_MAX_METRICS	32

struct ch_res_metric {
	char name[64];			/* "ns/op", "cycles/op", ... */
	int n;				/* the instances that have it */
	double v[CH_MAX_INSTANCES];	/* their values, by instance */
};

struct ch_res_case {
	const char *name;		/* as "cases" names it */
	json_t *info;			/* its fields in "cases" */
	long family, first;		/* the suite's order; bench.json's */
	const char *error;		/* Google Benchmark's, or NULL */
	int nr_metrics;
	struct ch_res_metric *m;
};

struct ch_results {
	const char *path;
	const char *kind;		/* bench, sweep-mem, aa, ... */
	json_t *doc;			/* ch_results_cases()'s */
	json_t *bench, *meta;		/* meta: NULL if there is none */
	int nr;
	struct ch_res_case *c;		/* in the suite's order */
};

/*
 * The cases of results directory @dir, as above; its bench.json and
 * metadata.json (NULL when it has none) in *bench and *meta where they
 * are not NULL. All to json_decref(). NULL with one line in @err.
 */
json_t *ch_results_cases(const char *dir, json_t **bench, json_t **meta,
			 char *err, size_t len);

/*
 * @dir read into @r; 0, or -EINVAL (what it holds is not chbench's) or
 * -ENOMEM with one line in @err.
 */
int ch_results_read(struct ch_results *r, const char *dir, char *err,
		    size_t len);
void ch_results_free(struct ch_results *r);

/* Metric @name of case @c, or NULL when it has none. */
const struct ch_res_metric *ch_res_metric(const struct ch_res_case *c,
					  const char *name);

/* A field of a case ("variant", "layout", ...) as a string; "" if none. */
const char *ch_res_field(const struct ch_res_case *c, const char *field);

#endif /* CH_RESREAD_H */
