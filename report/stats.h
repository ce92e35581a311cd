/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics of chbench, all of them: the table, table.txt,
 * metadata.json, the noise floor, chbench aa, chbench compare (and so
 * scripts/report and its plots) and chbench stats (and so
 * scripts/perf-compare) take every figure from here.
 *
 * The estimate of a case is the geometric mean of its instance values,
 * with a 95% Student t interval on their logarithms, back-transformed.
 * Timing noise is right-skewed (a slow instance is far slower; none is
 * far faster), and on the log scale it is near symmetric; and every
 * comparison is a ratio, which on the log scale is a difference. So a
 * comparison of two cases is the ratio of their geometric means, with
 * the 95% interval of Welch's t on the log values (Welch-Satterthwaite
 * degrees of freedom), printed as the change it is: -19.5% [-23.1, -15.8].
 *
 * Many comparisons at once (a report's family) are controlled together
 * by Benjamini-Hochberg: a difference is claimed only where the adjusted
 * p is below CH_ALPHA, which is where the interval at BH's level (1 -
 * R alpha / m, R of the m claimed) excludes zero. The verdicts are
 * ministat's words.
 */
#ifndef CH_STATS_H
#define CH_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* The one level: 95% intervals, and a 5% false discovery rate. */
#define CH_ALPHA	0.05

/* The estimate of one case from its instance values. */
struct ch_est {
	int n;			/* values, NANs left out */
	double value;		/* geometric mean; 0 with a value of 0 */
	double lo, hi;		/* its 95% interval; NAN: n < 2 or a 0 */
	double mlog, sdlog;	/* mean and stddev of the logs, or NAN */
	double cv;		/* stddev / mean of the values; NAN: n < 2 */
};

/*
 * The estimate of @n values (NANs are skipped). A value of 0 (a counter
 * that never fired) makes the geometric mean 0, with no interval; a
 * negative value, or none at all, makes it NAN.
 */
void ch_est(const double *x, int n, struct ch_est *e);

/* Welch's test, or Student's with pooled variance (ministat's). */
enum ch_test {
	CH_WELCH,
	CH_POOLED,	/* only to check the arithmetic against ministat */
};

/* Case b against case a: b's geometric mean over a's. */
struct ch_cmp {
	int na, nb;
	double change;		/* ratio - 1; NAN when it has none */
	double lo, hi;		/* its 95% interval, as changes */
	double df, p;		/* NAN when not tested */
	double p_bh;		/* after ch_bh(); p until then */
	bool tested;
	bool claimed;		/* p_bh < CH_ALPHA */
	const char *why;	/* why not tested, or NULL */
};

void ch_cmp(const double *a, int na, const double *b, int nb,
	    enum ch_test test, struct ch_cmp *c);

/*
 * Benjamini-Hochberg over the family *@c[0..n): each tested comparison's
 * p_bh and claimed. Returns the family's size: how many were tested;
 * -1 when out of memory.
 */
int ch_bh(struct ch_cmp *const *c, int n);

/* "95.0%": the confidence the verdicts name. */
double ch_confidence(void);

/*
 * ministat's verdict ("Difference at 95.0% confidence", "No difference
 * proven at 95.0% confidence"), or why there is none ("not tested: ...").
 */
const char *ch_verdict(const struct ch_cmp *c, char *buf, size_t len);

/* "-19.5% [-23.1, -15.8]"; "n/a" when there is no ratio. */
const char *ch_fmt_change(const struct ch_cmp *c, char *buf, size_t len);

#endif /* CH_STATS_H */
