// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmemmap/scenario.h"
#include "report/stats.h"
#include "bench/table.h"
#include "kernel/kpaths.h"
#include "lib/units.h"

struct row {
	struct ch_scenario sc;
	char name[256];
	char group[160];
	bool have;		/* an instance value arrived */
	bool error;
	char error_msg[160];
	double *ns;		/* per instance: its repetitions' mean */
	double *cv;		/* per instance: theirs; NAN for one */
	int nr_counters;
	char cname[CH_GB_MAX_COUNTERS][64];
	double *cval;		/* per instance, CH_GB_MAX_COUNTERS each */
};

struct ch_table {
	int nr, cap, nr_inst;
	struct row *rows;
	double *mem;
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
	if (!t->rows || !t->mem) {
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
	if (sc->path) {
		snprintf(r->group, sizeof(r->group),
			 "%skernel paths on %s%s / mem:%s, per page",
			 sc->arm ? "A/A: " : "", ch_kfolio_names[sc->folio],
			 !ch_kfolio_hugetlb(sc->folio) ? "" :
			 sc->hvo ? " hvo:on" : " hvo:off",
			 ch_fmt_size(sc->mem, m, sizeof(m)));
		return;
	}
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
	/*
	 * An instance's value, counters too: the mean of its repetitions
	 * (Google Benchmark's "mean", which comes after them), else the
	 * one run.
	 */
	if (res->aggregate[0] && strcmp(res->aggregate, "mean"))
		return;
	r->ns[k] = res->ns_per_op;
	r->have = true;
	r->nr_counters = res->nr_counters;
	for (i = 0; i < res->nr_counters && i < CH_GB_MAX_COUNTERS; i++) {
		snprintf(r->cname[i], sizeof(r->cname[i]), "%s",
			 res->counters[i].name);
		r->cval[k * CH_GB_MAX_COUNTERS + i] = res->counters[i].value;
	}
}

/* A row's name in its block: "<variant> @ <layout>...", or the path. */
static void row_label(const struct ch_scenario *sc, char *buf, size_t len)
{
	const char *arm = sc->arm == 1 ? " arm:a" :
			  sc->arm == 2 ? " arm:b" : "";

	if (sc->path)
		snprintf(buf, len, "%s%s", ch_kpath_names[sc->path], arm);
	else
		snprintf(buf, len, "%s @ %s%s%s", sc->variant->name,
			 ch_layouts[sc->layout].name,
			 (sc->variant->flags & CH_VF_KEY) && sc->key == 1 ?
			 " key:on" : "", arm);
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

/* The estimate of a case's ns/op, from its instance values. */
static void row_est(const struct ch_table *t, const struct row *r,
		    struct ch_est *e)
{
	ch_est(r->ns, t->nr_inst, e);
}

static double row_ns(const struct ch_table *t, const struct row *r)
{
	struct ch_est e;

	row_est(t, r, &e);
	return e.value;
}

/* The estimate of counter @j of a case, per op; NAN where it is none. */
static double counter_est(const struct ch_table *t, const struct row *r,
			  int j)
{
	double v[CH_MAX_INSTANCES];
	struct ch_est e;
	int k;

	for (k = 0; k < t->nr_inst && k < CH_MAX_INSTANCES; k++)
		v[k] = r->cval[k * CH_GB_MAX_COUNTERS + j];
	ch_est(v, k, &e);
	return e.value;
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

/* Counter @j of a case for event @name; NAN where it is none. */
static double row_counter(const struct ch_table *t, const struct row *r,
			  const char *name)
{
	int j;

	for (j = 0; j < r->nr_counters; j++)
		if (!strcmp(r->cname[j], name))
			return counter_est(t, r, j);
	return NAN;
}

/*
 * Which of @pmu's events have a value in some case: a column that is n/a
 * on every row is left out (one line says which), so a run without a
 * PMU prints a table that fits a terminal.
 */
static void shown_events(const struct ch_table *t, const struct ch_pmu *pmu,
			 bool *shown, FILE *out)
{
	int i, k, left = 0;

	for (k = 0; k < pmu->nr; k++) {
		shown[k] = false;
		for (i = 0; i < t->nr && !shown[k]; i++)
			shown[k] = t->rows[i].have &&
				   !isnan(row_counter(t, &t->rows[i],
						      pmu->ev[k].name));
		left += !shown[k];
	}
	if (!left)
		return;
	fprintf(out, "(n/a, left out:");
	for (k = 0; k < pmu->nr; k++)
		if (!shown[k])
			fprintf(out, " %s", ch_pmu_label(pmu->ev[k].name));
	fprintf(out, ")\n");
}

void ch_table_print(const struct ch_table *t, FILE *out,
		    const struct ch_pmu *pmu)
{
	bool shown[CH_PMU_MAX_EVENTS];
	const char *group = "";
	int i, k, nr_shown = 0;

	shown_events(t, pmu, shown, out);
	for (k = 0; k < pmu->nr; k++)
		nr_shown += shown[k];
	for (i = 0; i < t->nr; i++) {
		const struct row *r = &t->rows[i];
		struct ch_est e;
		char label[64];
		double fl;

		/* filtered out with --benchmark_filter */
		if (!r->have && !r->error)
			continue;
		if (strcmp(group, r->group)) {
			group = r->group;
			fprintf(out, "\n%s\n  %-32s %8s %6s %6s %8s", group,
				r->sc.path ? "path" : "variant @ layout",
				r->sc.path ? "ns/page" : "ns/op", "inst%",
				"rep%", r->sc.path ? "" : "-floor");
			for (k = 0; k < pmu->nr; k++)
				if (shown[k])
					fprintf(out, " %9s",
						ch_pmu_label(pmu->ev[k].name));
			fprintf(out, "%s\n", nr_shown ? "  (per op)" : "");
		}
		row_label(&r->sc, label, sizeof(label));
		if (r->error) {
			fprintf(out, "  %-32s %s\n", label, r->error_msg);
			continue;
		}
		fl = floor_ns(t, r);
		row_est(t, r, &e);
		fprintf(out, "  %-32s %8.3f", label, e.value);
		pct(out, e.cv);
		pct(out, within_cv(t, r));
		if (isnan(fl) || (r->sc.variant->flags & CH_VF_PSEUDO))
			fprintf(out, " %8s", "");
		else
			fprintf(out, " %8.3f", e.value - fl);
		for (k = 0; k < pmu->nr; k++) {
			double v = row_counter(t, r, pmu->ev[k].name);

			if (!shown[k])
				continue;
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
		struct ch_est e;

		if (!r->have) {
			json_decref(ns);
			continue;
		}
		for (k = 0; k < t->nr_inst; k++)
			json_array_append_new(ns,
					      ch_json_real(r->ns[k], "%.6g"));
		row_est(t, r, &e);
		json_array_append_new(spread, json_pack(
				"{s:o, s:o, s:o, s:o, s:{s:i, s:o, s:o, s:o}}",
			"name", ch_json_string(r->name),
			"instance_ns_per_op", ns,
			"between_cv", ch_json_real(e.cv, "%.6g"),
			"within_cv", ch_json_real(within_cv(t, r), "%.6g"),
			"estimate", "n", e.n,
			"ns_per_op", ch_json_real(e.value, "%.6g"),
			"lo", ch_json_real(e.lo, "%.6g"),
			"hi", ch_json_real(e.hi, "%.6g")));
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
	free(t);
}
