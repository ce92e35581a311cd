/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A/A: one case built twice, as two arms with their own instances, and
 * tested against itself.  Every difference found is noise, so the share
 * of A/A pairs that a test stars is its false-star rate on this machine,
 * and one pair in every bench is the noise floor of that run.
 *
 * The test is the report's: Welch's t-test, two-sided, over the instance
 * values (the mean of an instance's repetitions), p from GSL's Student t
 * distribution.
 */
#ifndef CH_AA_H
#define CH_AA_H

#include <stdbool.h>
#include <stdio.h>

#include "harness/table.h"

#define CH_AA_ALPHA	0.05

struct ch_aa {
	int na, nb;		/* instances of each arm */
	double a, b;		/* their means */
	double change;		/* (b - a) / a */
	double p;		/* NAN: fewer than 2 instances in an arm */
	bool starred;		/* p < CH_AA_ALPHA */
};

/* Test arm b of a case against its arm a; false if either is missing. */
bool ch_aa_test(const struct ch_table *t, const char *name_a,
		const char *name_b, struct ch_aa *out);

/* "A/A control ...: +1.2%, not starred (...): the noise floor of this run" */
void ch_aa_print_floor(FILE *out, const char *label, const struct ch_aa *aa);

/*
 * For chbench aa: one line per pair, then the false-star rate.  names
 * holds 2 * nr names, arm a then arm b of each pair.  Returns how many
 * pairs could be tested.
 */
int ch_aa_print_pairs(FILE *out, const struct ch_table *t,
		      char (*names)[256], int nr, int instances, int reps);

#endif /* CH_AA_H */
