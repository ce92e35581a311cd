// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "report/stats.h"

static const char too_few[] = "fewer than 2 instances";

double ch_confidence(void)
{
	return 100 * (1 - CH_ALPHA);
}

/* The two-sided critical value of Student's t for the 95% interval. */
static double t_crit(double df)
{
	return gsl_cdf_tdist_Qinv(CH_ALPHA / 2, df);
}

/* stddev / mean of the values that are not NAN; NAN with fewer than 2. */
static double cv_of(const double *x, int n)
{
	double sum = 0, sq = 0, m;
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (!isnan(x[i])) {
			sum += x[i];
			k++;
		}
	if (k < 2 || sum <= 0)
		return NAN;
	m = sum / k;
	for (i = 0; i < n; i++)
		if (!isnan(x[i]))
			sq += (x[i] - m) * (x[i] - m);
	return sqrt(sq / (k - 1)) / m;
}

void ch_est(const double *x, int n, struct ch_est *e)
{
	double s = 0, q = 0, h;
	bool zero = false, neg = false;
	int i;

	*e = (struct ch_est){ .value = NAN, .lo = NAN, .hi = NAN,
			      .mlog = NAN, .sdlog = NAN, .cv = cv_of(x, n) };
	for (i = 0; i < n; i++) {
		if (isnan(x[i]))
			continue;
		e->n++;
		if (x[i] < 0)
			neg = true;
		else if (x[i] == 0)
			zero = true;
		else
			s += log(x[i]);
	}
	if (!e->n || neg)
		return;
	if (zero) {
		/* the geometric mean's limit; the log scale has no interval */
		e->value = 0;
		return;
	}
	e->mlog = s / e->n;
	e->value = exp(e->mlog);
	if (e->n < 2)
		return;
	for (i = 0; i < n; i++)
		if (!isnan(x[i]))
			q += (log(x[i]) - e->mlog) * (log(x[i]) - e->mlog);
	e->sdlog = sqrt(q / (e->n - 1));
	h = t_crit(e->n - 1) * e->sdlog / sqrt(e->n);
	e->lo = exp(e->mlog - h);
	e->hi = exp(e->mlog + h);
}

/* The standard error of the difference of the mean logs, and its df. */
static void std_err(const struct ch_est *a, const struct ch_est *b,
		    enum ch_test test, double *se2, double *df)
{
	double va = a->sdlog * a->sdlog, vb = b->sdlog * b->sdlog;
	double sa = va / a->n, sb = vb / b->n;

	*df = a->n + b->n - 2;
	if (test == CH_POOLED) {
		*se2 = ((a->n - 1) * va + (b->n - 1) * vb) / *df *
		       (1.0 / a->n + 1.0 / b->n);
		return;
	}
	*se2 = sa + sb;
	/* Welch-Satterthwaite; with no spread at all, there is no df */
	if (*se2 > 0)
		*df = *se2 * *se2 /
		      (sa * sa / (a->n - 1) + sb * sb / (b->n - 1));
}

void ch_cmp(const double *a, int na, const double *b, int nb,
	    enum ch_test test, struct ch_cmp *c)
{
	struct ch_est ea, eb;
	double d, se2, h;

	ch_est(a, na, &ea);
	ch_est(b, nb, &eb);
	*c = (struct ch_cmp){ .na = ea.n, .nb = eb.n, .change = NAN,
			      .lo = NAN, .hi = NAN, .df = NAN, .p = NAN,
			      .p_bh = NAN };
	if (!ea.n || !eb.n || isnan(ea.value) || isnan(eb.value)) {
		c->why = !ea.n || !eb.n ? "no values" : "a negative value";
		return;
	}
	if (ea.value == 0 || eb.value == 0) {
		c->why = "a value of 0, so no ratio";
		return;
	}
	d = eb.mlog - ea.mlog;
	c->change = expm1(d);
	if (ea.n < 2 || eb.n < 2) {
		c->why = too_few;
		return;
	}
	std_err(&ea, &eb, test, &se2, &c->df);
	c->tested = true;
	if (se2 == 0) {
		/* no spread in either: the values are the answer */
		c->p = d == 0 ? 1 : 0;
		c->lo = c->hi = c->change;
	} else {
		c->p = 2 * gsl_cdf_tdist_Q(fabs(d) / sqrt(se2), c->df);
		h = t_crit(c->df) * sqrt(se2);
		c->lo = expm1(d - h);
		c->hi = expm1(d + h);
	}
	c->p_bh = c->p;
	c->claimed = c->p < CH_ALPHA;
}

static int by_p(const void *x, const void *y)
{
	const struct ch_cmp *a = *(struct ch_cmp *const *)x;
	const struct ch_cmp *b = *(struct ch_cmp *const *)y;

	return a->p < b->p ? -1 : a->p > b->p;
}

int ch_bh(struct ch_cmp *const *c, int n)
{
	struct ch_cmp **t = malloc((n + 1) * sizeof(*t));
	double min = 1;
	int i, m = 0;

	if (!t)
		return -1;
	for (i = 0; i < n; i++)
		if (c[i]->tested)
			t[m++] = c[i];
	qsort(t, m, sizeof(*t), by_p);
	/* the step-up: each p times m over its rank, made monotone */
	for (i = m - 1; i >= 0; i--) {
		double v = t[i]->p * m / (i + 1);

		if (v < min)
			min = v;
		t[i]->p_bh = min;
		t[i]->claimed = min < CH_ALPHA;
	}
	free(t);
	return m;
}

const char *ch_verdict(const struct ch_cmp *c, char *buf, size_t len)
{
	if (!c->tested && c->why == too_few)
		snprintf(buf, len,
			 "not tested: %d vs %d instances; a test needs 2 each",
			 c->na, c->nb);
	else if (!c->tested)
		snprintf(buf, len, "not tested: %s", c->why ?: "no values");
	else
		snprintf(buf, len, "%s at %.1f%% confidence",
			 c->claimed ? "Difference" : "No difference proven",
			 ch_confidence());
	return buf;
}

const char *ch_fmt_change(const struct ch_cmp *c, char *buf, size_t len)
{
	if (isnan(c->change))
		snprintf(buf, len, "n/a");
	else if (isnan(c->lo))
		snprintf(buf, len, "%+.1f%%", 100 * c->change);
	else
		snprintf(buf, len, "%+.1f%% [%+.1f, %+.1f]", 100 * c->change,
			 100 * c->lo, 100 * c->hi);
	return buf;
}
