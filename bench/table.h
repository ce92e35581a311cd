/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compact table printed after a suite: one block per scenario (mix,
 * walk, memmap size, code shape), one row per variant and layout, with
 * ns/op, its spread between instances and within them, ns/op net of the
 * floor, and the counters per op (n/a where the PMU has none; never 0).
 *
 * A case's value on one instance is the mean of its repetitions there
 * (Google Benchmark's "mean" aggregate, or the one run), counters too;
 * the row shows the estimate over instances (ch_est(): the geometric
 * mean), their coefficient of variation (between), and the mean of each
 * instance's own "cv" aggregate (within).
 */
#ifndef CH_TABLE_H
#define CH_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "report/cases.h"
#include "bench/gbench.h"
#include "report/json.h"
#include "bench/pmu.h"
#include "vmemmap/scenario.h"

struct ch_table;

struct ch_table *ch_table_new(int nr_cases, int nr_instances);
void ch_table_case(struct ch_table *t, const struct ch_scenario *sc,
		   const char *name);
void ch_table_add(struct ch_table *t, const struct ch_gb_result *r);
void ch_table_print(const struct ch_table *t, FILE *out,
		    const struct ch_pmu *pmu);
int ch_table_errors(const struct ch_table *t);
/* The instance values of case @name, up to max; how many arrived. */
int ch_table_instance_values(const struct ch_table *t, const char *name,
			     double *out, int max);
/*
 * metadata.json's "spread": per case, every instance value, both levels
 * of spread, and the estimate with its 95% interval, as one JSON array.
 */
json_t *ch_table_json_spread(const struct ch_table *t);
/*
 * The cases that ran (a value or an error arrived), in the table's order:
 * an array to free(), *nr of them; NULL when out of memory.
 */
struct ch_case_ref *ch_table_ran(const struct ch_table *t, int *nr);
void ch_table_free(struct ch_table *t);

#endif /* CH_TABLE_H */
