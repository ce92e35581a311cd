/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A/A: one case built twice, as two arms with their own instances, and
 * compared with itself.  Every difference found is noise, so the share
 * of A/A pairs claimed different (as a report claims: after
 * Benjamini-Hochberg over them) is the false-claim rate on this machine,
 * beside the share whose interval alone excludes zero; and one pair in
 * every bench is the noise floor of that run.
 *
 * The comparison is the report's (report/stats.h): the ratio of the
 * arms' geometric means over instances, with its 95% interval from
 * Welch's t on the log values.
 */
#ifndef CH_AA_H
#define CH_AA_H

#include <stdbool.h>
#include <stdio.h>

#include "report/stats.h"
#include "bench/table.h"

struct ch_aa {
	struct ch_est a, b;	/* each arm's estimate */
	struct ch_cmp cmp;	/* arm b against arm a */
};

/* Compare arm b of a case with its arm a; false if either is missing. */
bool ch_aa_test(const struct ch_table *t, const char *name_a,
		const char *name_b, struct ch_aa *out);

/* "Noise floor of this run: ... -1.2% [-8.0, +6.1]: No difference ..." */
void ch_aa_print_floor(FILE *out, const char *label, const struct ch_aa *aa);

/*
 * For chbench aa: one line per pair, then the false-claim rate, after
 * Benjamini-Hochberg over the pairs and before it.  names holds 2 * nr
 * names, arm a then arm b of each pair.  Returns how many pairs could
 * be tested.
 */
int ch_aa_print_pairs(FILE *out, const struct ch_table *t,
		      char (*names)[256], int nr, int instances, int reps);

#endif /* CH_AA_H */
