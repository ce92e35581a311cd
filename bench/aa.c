// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/aa.h"
#include "vmemmap/scenario.h"

bool ch_aa_test(const struct ch_table *t, const char *name_a,
		const char *name_b, struct ch_aa *out)
{
	double a[CH_MAX_INSTANCES], b[CH_MAX_INSTANCES];
	int na, nb;

	memset(out, 0, sizeof(*out));
	na = ch_table_instance_values(t, name_a, a, CH_MAX_INSTANCES);
	nb = ch_table_instance_values(t, name_b, b, CH_MAX_INSTANCES);
	if (!na || !nb)
		return false;
	ch_est(a, na, &out->a);
	ch_est(b, nb, &out->b);
	ch_cmp(a, na, b, nb, CH_WELCH, &out->cmp);
	return true;
}

/* On a line of its own: "(Welch's t on the log values, 3 vs 3 ...)" */
static const char *how(const struct ch_cmp *c, char *buf, size_t len)
{
	if (!c->tested)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len,
			 "\n  (Welch's t on the log values, %d vs %d instances, p %.2f)",
			 c->na, c->nb, c->p);
	return buf;
}

void ch_aa_print_floor(FILE *out, const char *label, const struct ch_aa *aa)
{
	char chg[64], v[128], h[128];

	fprintf(out,
		"\nNoise floor of this run: the A/A control, built twice,\n  %s\n  geometric means over instances: arm a %.3f, arm b %.3f ns/op,\n  %s: %s%s\n",
		label, aa->a.value, aa->b.value,
		ch_fmt_change(&aa->cmp, chg, sizeof(chg)),
		ch_verdict(&aa->cmp, v, sizeof(v)),
		how(&aa->cmp, h, sizeof(h)));
}

/* The pairs' false-claim rate, alone and as a report's family. */
static void print_rate(FILE *out, struct ch_cmp *c, int nr)
{
	struct ch_cmp **all = calloc(nr + 1, sizeof(*all));
	int i, tested = 0, alone = 0, bh = 0;

	if (!all)
		return;
	for (i = 0; i < nr; i++) {
		tested += c[i].tested;
		alone += c[i].claimed;
		all[i] = &c[i];
	}
	ch_bh(all, nr);
	free(all);
	for (i = 0; i < nr; i++)
		bh += c[i].claimed;
	fprintf(out,
		"false-claim rate: %.1f%% (%d of %d A/A pairs claimed different, as a report claims: Welch's t on the log values over instances, then Benjamini-Hochberg over the %d; it should sit at or below alpha, %g%%)\n",
		100.0 * bh / tested, bh, tested, tested, 100 * CH_ALPHA);
	fprintf(out,
		"per comparison, before Benjamini-Hochberg: %.1f%% (%d of %d A/A pairs whose %.1f%% interval excludes zero: *)\n",
		100.0 * alone / tested, alone, tested, ch_confidence());
}

int ch_aa_print_pairs(FILE *out, const struct ch_table *t,
		      char (*names)[256], int nr, int instances, int reps)
{
	struct ch_cmp *c = calloc(nr + 1, sizeof(*c));
	int i, tested = 0;
	char chg[64], v[128];

	if (!c)
		return 0;
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
		c[i] = aa.cmp;
		fprintf(out, "  %-60.*s %s%s\n", (int)n - 6, name,
			ch_fmt_change(&aa.cmp, chg, sizeof(chg)),
			aa.cmp.claimed ? " *" : "");
		if (!aa.cmp.tested)
			fprintf(out, "    %s\n", ch_verdict(&aa.cmp, v, sizeof(v)));
		tested += aa.cmp.tested;
	}
	if (tested)
		print_rate(out, c, nr);
	else
		fprintf(out, "false-claim rate: n/a: no pair could be tested (a test needs 2 instances per arm; give --instances 2 or more)\n");
	free(c);
	return tested;
}
