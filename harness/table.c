// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/opts.h"
#include "harness/table.h"
#include "harness/units.h"

struct row {
	struct ch_scenario sc;
	char name[256];
	char group[160];
	bool have;		/* an instance value arrived */
	bool error;
	char error_msg[160];
	double *ns;		/* per instance: its repetitions' mean */
	double *cv;		/* per instance: theirs; NAN for one */
	bool *agg;		/* per instance: ns is the aggregate */
	int nr_counters;
	char cname[CH_GB_MAX_COUNTERS][64];
	double *cval;		/* per instance, CH_GB_MAX_COUNTERS each */
};

struct ch_table {
	int nr, cap, nr_inst;
	struct row *rows;
	double *mem;
	bool *flags;
};

struct ch_table *ch_table_new(int nr_cases, int nr_instances)
{
	struct ch_table *t = calloc(1, sizeof(*t));
	size_t per = (size_t)nr_instances * (2 + CH_GB_MAX_COUNTERS);
	int i;

	if (!t)
		return NULL;
	t->rows = calloc(nr_cases, sizeof(*t->rows));
	t->mem = malloc(nr_cases * per * sizeof(*t->mem) + 1);
	t->flags = calloc((size_t)nr_cases * nr_instances + 1,
			  sizeof(*t->flags));
	if (!t->rows || !t->mem || !t->flags) {
		ch_table_free(t);
		return NULL;
	}
	for (i = 0; i < nr_cases * (int)per; i++)
		t->mem[i] = NAN;
	for (i = 0; i < nr_cases; i++) {
		struct row *r = &t->rows[i];

		r->ns = t->mem + i * per;
		r->cv = r->ns + nr_instances;
		r->cval = r->cv + nr_instances;
		r->agg = t->flags + (size_t)i * nr_instances;
	}
	t->cap = nr_cases;
	t->nr_inst = nr_instances;
	return t;
}

void ch_table_case(struct ch_table *t, const struct ch_scenario *sc,
		   const char *name)
{
	struct row *r;
	char w[64], m[32];

	if (t->nr == t->cap)
		return;
	r = &t->rows[t->nr++];
	r->sc = *sc;
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->group, sizeof(r->group), "%s%s / %s / mem:%s / %s",
		 sc->arm ? "A/A: " : "", sc->mix.name, ch_walk_label(&sc->walk, w, sizeof(w)),
		 ch_fmt_size(sc->mem, m, sizeof(m)),
		 ch_shape_names[sc->shape]);
}

static struct row *find(struct ch_table *t, const char *name)
{
	int i;

	for (i = 0; i < t->nr; i++)
		if (!strcmp(t->rows[i].name, name))
			return &t->rows[i];
	return NULL;
}

void ch_table_add(struct ch_table *t, const struct ch_gb_result *res)
{
	struct row *r = res->c ? find(t, res->c->name) : NULL;
	int i, k = res->instance;

	if (!r || k < 0 || k >= t->nr_inst)
		return;
	if (res->error) {
		r->error = true;
		snprintf(r->error_msg, sizeof(r->error_msg), "%s",
			 res->error_msg);
		return;
	}
	if (!strcmp(res->aggregate, "cv")) {
		r->cv[k] = res->ns_per_op;
		return;
	}
	/* the mean when there are repetitions, else the one run */
	if (!strcmp(res->aggregate, "mean")) {
		r->ns[k] = res->ns_per_op;
		r->agg[k] = true;
		return;
	}
	/* counters: the median when there are repetitions, else the run */
	if (strcmp(res->aggregate, "median") && res->aggregate[0])
		return;
	if (!res->aggregate[0] && !r->agg[k])
		r->ns[k] = res->ns_per_op;
	r->have = true;
	r->nr_counters = res->nr_counters;
	for (i = 0; i < res->nr_counters && i < CH_GB_MAX_COUNTERS; i++) {
		snprintf(r->cname[i], sizeof(r->cname[i]), "%s",
			 res->counters[i].name);
		r->cval[k * CH_GB_MAX_COUNTERS + i] = res->counters[i].value;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of the values that are not NAN; NAN if none. */
static double median(const double *v, int n, int stride)
{
	double s[CH_MAX_INSTANCES];
	int i, m = 0;

	for (i = 0; i < n && m < CH_MAX_INSTANCES; i++)
		if (!isnan(v[i * stride]))
			s[m++] = v[i * stride];
	if (!m)
		return NAN;
	qsort(s, m, sizeof(*s), cmp_double);
	return m % 2 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
}

/* The spread between instances: stddev / mean of the instance values. */
static double between_cv(const struct ch_table *t, const struct row *r)
{
	double sum = 0, sq = 0, m;
	int i, n = 0;

	for (i = 0; i < t->nr_inst; i++)
		if (!isnan(r->ns[i])) {
			sum += r->ns[i];
			n++;
		}
	if (n < 2)
		return NAN;
	m = sum / n;
	for (i = 0; i < t->nr_inst; i++)
		if (!isnan(r->ns[i]))
			sq += (r->ns[i] - m) * (r->ns[i] - m);
	return sqrt(sq / (n - 1)) / m;
}

/* The spread within instances: the mean of their own cv. */
static double within_cv(const struct ch_table *t, const struct row *r)
{
	double sum = 0;
	int i, n = 0;

	for (i = 0; i < t->nr_inst; i++)
		if (!isnan(r->cv[i])) {
			sum += r->cv[i];
			n++;
		}
	return n ? sum / n : NAN;
}

static double row_ns(const struct ch_table *t, const struct row *r)
{
	return median(r->ns, t->nr_inst, 1);
}

static double floor_ns(const struct ch_table *t, const struct row *r)
{
	int i;

	for (i = 0; i < t->nr; i++) {
		const struct row *f = &t->rows[i];

		if (f->have && ch_scenario_nets_against(&r->sc, &f->sc))
			return row_ns(t, f);
	}
	return NAN;
}

/* A spread in percent, or "-" where there is none (one instance, one rep) */
static void pct(FILE *out, double v)
{
	if (isnan(v))
		fprintf(out, " %6s", "-");
	else
		fprintf(out, " %6.1f", 100 * v);
}

void ch_table_print(const struct ch_table *t, FILE *out,
		    const struct ch_pmu *pmu)
{
	const char *group = "";
	int i, j, k;

	for (i = 0; i < t->nr; i++) {
		const struct row *r = &t->rows[i];
		char label[64];
		double fl;

		/* filtered out with --benchmark_filter */
		if (!r->have && !r->error)
			continue;
		if (strcmp(group, r->group)) {
			group = r->group;
			fprintf(out, "\n%s\n  %-32s %8s %6s %6s %8s", group,
				"variant @ layout", "ns/op", "inst%", "rep%",
				"-floor");
			for (k = 0; k < pmu->nr; k++)
				fprintf(out, " %9s",
					ch_pmu_label(pmu->ev[k].name));
			fprintf(out, "%s\n", pmu->nr ? "  (per op)" : "");
		}
		snprintf(label, sizeof(label), "%s @ %s%s%s",
			 r->sc.variant->name, ch_layouts[r->sc.layout].name,
			 (r->sc.variant->flags & CH_VF_KEY) && r->sc.key == 1 ?
			 " key:on" : "",
			 r->sc.arm == 1 ? " arm:a" : r->sc.arm == 2 ? " arm:b" : "");
		if (r->error) {
			fprintf(out, "  %-32s %s\n", label, r->error_msg);
			continue;
		}
		fl = floor_ns(t, r);
		fprintf(out, "  %-32s %8.3f", label, row_ns(t, r));
		pct(out, between_cv(t, r));
		pct(out, within_cv(t, r));
		if (isnan(fl) || (r->sc.variant->flags & CH_VF_PSEUDO))
			fprintf(out, " %8s", "");
		else
			fprintf(out, " %8.3f", row_ns(t, r) - fl);
		for (k = 0; k < pmu->nr; k++) {
			double v = NAN;

			for (j = 0; j < r->nr_counters; j++)
				if (!strcmp(r->cname[j], pmu->ev[k].name))
					v = median(r->cval + j, t->nr_inst,
						   CH_GB_MAX_COUNTERS);
			if (isnan(v))
				fprintf(out, " %9s", "n/a");
			else
				fprintf(out, " %9.4f", v);
		}
		fprintf(out, "\n");
	}
}

int ch_table_errors(const struct ch_table *t)
{
	int i, n = 0;

	for (i = 0; i < t->nr; i++)
		n += t->rows[i].error;
	return n;
}

int ch_table_instance_values(const struct ch_table *t, const char *name,
			     double *out, int max)
{
	const struct row *r = find((struct ch_table *)t, name);
	int i, n = 0;

	if (!r || r->error)
		return 0;
	for (i = 0; i < t->nr_inst && n < max; i++)
		if (!isnan(r->ns[i]))
			out[n++] = r->ns[i];
	return n;
}

json_t *ch_table_json_spread(const struct ch_table *t)
{
	json_t *spread = json_array();
	int i, k;

	for (i = 0; i < t->nr; i++) {
		const struct row *r = &t->rows[i];
		json_t *ns = json_array();

		if (!r->have) {
			json_decref(ns);
			continue;
		}
		for (k = 0; k < t->nr_inst; k++)
			json_array_append_new(ns,
					      ch_json_real(r->ns[k], "%.6g"));
		json_array_append_new(spread, json_pack("{s:o, s:o, s:o, s:o}",
			"name", ch_json_string(r->name),
			"instance_ns_per_op", ns,
			"between_cv", ch_json_real(between_cv(t, r), "%.6g"),
			"within_cv", ch_json_real(within_cv(t, r), "%.6g")));
	}
	return spread;
}

struct ch_case_ref *ch_table_ran(const struct ch_table *t, int *nr)
{
	struct ch_case_ref *out = calloc(t->nr + 1, sizeof(*out));
	int i;

	*nr = 0;
	for (i = 0; out && i < t->nr; i++)
		if (t->rows[i].have || t->rows[i].error)
			out[(*nr)++] = (struct ch_case_ref) {
				.sc = &t->rows[i].sc, .name = t->rows[i].name,
			};
	return out;
}

void ch_table_free(struct ch_table *t)
{
	if (!t)
		return;
	free(t->rows);
	free(t->mem);
	free(t->flags);
	free(t);
}
