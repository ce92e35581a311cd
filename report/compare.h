/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The family of comparisons a report makes of results directories, each
 * tested (report/stats.h) and all of them controlled together by
 * Benjamini-Hochberg. What scripts/report prints, it takes from here:
 *
 * - one directory: in every scenario, the baseline (--baseline
 *   VARIANT[@LAYOUT]; the scenario's first case where it has none)
 *   against every other case but the floor, on ns/op and on every
 *   counter both have;
 * - several: every case of each directory against the same case of the
 *   first, on every metric both have (a kernel against a kernel: the
 *   same variant and key, whatever vmemmap each kernel made); and each
 *   directory's summary, its baseline against the first three other
 *   cases of each scenario, on ns/op.
 *
 * The A/A control of a directory is compared too, on its own: it is
 * the noise floor, not one of the family.
 */
#ifndef CH_COMPARE_H
#define CH_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "report/resread.h"
#include "report/stats.h"

struct ch_pair {
	int da, db;				/* their directories */
	const struct ch_res_case *a, *b;	/* b against a */
	const char *metric;
	bool within;				/* one run's own */
	struct ch_cmp cmp;
};

struct ch_family {
	int nr, cap;
	struct ch_pair *p;
	int size;				/* tested: BH's m */
	int claimed;
};

/*
 * The family of @r[0..nr) against @baseline, tested and controlled.
 * 0, or -ENOMEM with one line in @err.
 */
int ch_family_build(struct ch_family *f, const struct ch_results *r, int nr,
		    const char *baseline, char *err, size_t len);
void ch_family_free(struct ch_family *f);

/* The A/A control's arms in @r, both with ns/op; false if it has none. */
bool ch_control_arms(const struct ch_results *r,
		     const struct ch_res_case **a,
		     const struct ch_res_case **b);

/* Metric @metric of @b against @a (tested, not yet controlled). */
void ch_pair_test(const struct ch_res_case *a, const struct ch_res_case *b,
		  const char *metric, struct ch_cmp *c);

#endif /* CH_COMPARE_H */
