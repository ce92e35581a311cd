// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "harness/aa.h"
#include "harness/opts.h"

static void mean_var(const double *x, int n, double *m, double *v)
{
	double s = 0, q = 0;
	int i;

	for (i = 0; i < n; i++)
		s += x[i];
	*m = s / n;
	for (i = 0; i < n; i++)
		q += (x[i] - *m) * (x[i] - *m);
	*v = q / (n - 1);
}

/* Welch's two-sided p for two samples; NAN when either has fewer than 2. */
static double ch_welch_p(const double *a, int na, const double *b, int nb)
{
	double ma, va, mb, vb, sa, sb, t, df;

	if (na < 2 || nb < 2)
		return NAN;
	mean_var(a, na, &ma, &va);
	mean_var(b, nb, &mb, &vb);
	sa = va / na;
	sb = vb / nb;
	/* as scripts/report decides it: no spread at all */
	if (sa + sb == 0)
		return ma == mb ? 1.0 : 0.0;
	t = (ma - mb) / sqrt(sa + sb);
	/* Welch-Satterthwaite */
	df = (sa + sb) * (sa + sb) /
	     (sa * sa / (na - 1) + sb * sb / (nb - 1));
	return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

bool ch_aa_test(const struct ch_table *t, const char *name_a,
		const char *name_b, struct ch_aa *out)
{
	double a[CH_MAX_INSTANCES], b[CH_MAX_INSTANCES], v;
	int i;

	memset(out, 0, sizeof(*out));
	out->na = ch_table_instance_values(t, name_a, a, CH_MAX_INSTANCES);
	out->nb = ch_table_instance_values(t, name_b, b, CH_MAX_INSTANCES);
	if (!out->na || !out->nb)
		return false;
	for (i = 0, v = 0; i < out->na; i++)
		v += a[i];
	out->a = v / out->na;
	for (i = 0, v = 0; i < out->nb; i++)
		v += b[i];
	out->b = v / out->nb;
	out->change = (out->b - out->a) / out->a;
	out->p = ch_welch_p(a, out->na, b, out->nb);
	out->starred = !isnan(out->p) && out->p < CH_AA_ALPHA;
	return true;
}

static const char *verdict(const struct ch_aa *aa, char *buf, size_t len)
{
	if (isnan(aa->p))
		snprintf(buf, len,
			 "not tested: %d and %d instances, Welch needs 2 each",
			 aa->na, aa->nb);
	else
		snprintf(buf, len, "%s (Welch over %d vs %d instances, p %.2f)",
			 aa->starred ? "STARRED" : "not starred", aa->na,
			 aa->nb, aa->p);
	return buf;
}

void ch_aa_print_floor(FILE *out, const char *label, const struct ch_aa *aa)
{
	char v[128];

	fprintf(out,
		"\nNoise floor of this run: the A/A control, built twice,\n  %s\n  means over instances: arm a %.3f, arm b %.3f ns/op, %+.1f%%,\n  %s\n",
		label, aa->a, aa->b, 100 * aa->change,
		verdict(aa, v, sizeof(v)));
}

int ch_aa_print_pairs(FILE *out, const struct ch_table *t,
		      char (*names)[256], int nr, int instances, int reps)
{
	int i, tested = 0, starred = 0;
	char v[128];

	fprintf(out, "\nA/A pairs: arm b against arm a, %d instance%s x %d repetition%s each\n",
		instances, instances == 1 ? "" : "s", reps,
		reps == 1 ? "" : "s");
	for (i = 0; i < nr; i++) {
		struct ch_aa aa;
		char *name = names[2 * i];
		size_t n = strlen(name);

		/* the name without "/arm:a" */
		if (!ch_aa_test(t, names[2 * i], names[2 * i + 1], &aa)) {
			fprintf(out, "  %.*s: did not run\n", (int)n - 6, name);
			continue;
		}
		fprintf(out, "  %-60.*s %+6.1f%% %s\n", (int)n - 6, name,
			100 * aa.change, aa.starred ? "*" : "");
		if (isnan(aa.p))
			fprintf(out, "    %s\n", verdict(&aa, v, sizeof(v)));
		tested += !isnan(aa.p);
		starred += aa.starred;
	}
	if (!tested) {
		fprintf(out, "false-star rate: n/a: no pair could be tested (Welch needs 2 instances per arm; give --instances 2 or more)\n");
		return 0;
	}
	fprintf(out,
		"false-star rate: %.1f%% (%d of %d A/A pairs starred by Welch's t-test over instances, alpha %g; it should sit near %g%%)\n",
		100.0 * starred / tested, starred, tested, CH_AA_ALPHA,
		100 * CH_AA_ALPHA);
	return tested;
}
