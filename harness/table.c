// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/table.h"
#include "harness/units.h"

struct row {
	struct ch_scenario sc;
	char name[256];
	char group[160];
	bool have;		/* a single run or a median arrived */
	bool error;
	char error_msg[160];
	double ns, cv;		/* median (or the one run), cv of ns/op */
	int nr_counters;
	char cname[CH_GB_MAX_COUNTERS][64];
	double cval[CH_GB_MAX_COUNTERS];
};

struct ch_table {
	int nr, cap;
	struct row *rows;
};

struct ch_table *ch_table_new(int nr_cases)
{
	struct ch_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->rows = calloc(nr_cases, sizeof(*t->rows));
	if (!t->rows) {
		free(t);
		return NULL;
	}
	t->cap = nr_cases;
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
	snprintf(r->group, sizeof(r->group), "%s / %s / mem:%s / %s",
		 sc->mix.name, ch_walk_label(&sc->walk, w, sizeof(w)),
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
	int i;

	if (!r)
		return;
	if (res->error) {
		r->error = true;
		snprintf(r->error_msg, sizeof(r->error_msg), "%s",
			 res->error_msg);
		return;
	}
	if (!strcmp(res->aggregate, "cv")) {
		r->cv = res->ns_per_op;
		return;
	}
	/* the median when there are repetitions, else the one run */
	if (strcmp(res->aggregate, "median") && (res->aggregate[0] || r->have))
		return;
	r->have = true;
	r->ns = res->ns_per_op;
	r->nr_counters = res->nr_counters;
	for (i = 0; i < res->nr_counters && i < CH_GB_MAX_COUNTERS; i++) {
		snprintf(r->cname[i], sizeof(r->cname[i]), "%s",
			 res->counters[i].name);
		r->cval[i] = res->counters[i].value;
	}
}

static const char *short_name(const char *ev)
{
	static const char *const map[][2] = {
		{ "instructions", "insns" },
		{ "branch-misses", "br-miss" },
		{ "branches", "branches" },
		{ "L1-dcache-load-misses", "L1d-miss" },
		{ "LLC-load-misses", "LLC-miss" },
		{ "dTLB-load-misses", "dTLB-miss" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(ev, map[i][0]))
			return map[i][1];
	return ev;
}

static double floor_ns(const struct ch_table *t, const struct row *r)
{
	int i;

	for (i = 0; i < t->nr; i++) {
		const struct row *f = &t->rows[i];

		if ((f->sc.variant->flags & CH_VF_PSEUDO) && f->have &&
		    f->sc.layout == r->sc.layout && !strcmp(f->group, r->group))
			return f->ns;
	}
	return NAN;
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
			fprintf(out, "\n%s\n  %-32s %8s %6s %8s", group,
				"variant @ layout", "ns/op", "+-cv%", "-floor");
			for (k = 0; k < pmu->nr; k++)
				fprintf(out, " %9s",
					short_name(pmu->ev[k].name));
			fprintf(out, "%s\n", pmu->nr ? "  (per op)" : "");
		}
		snprintf(label, sizeof(label), "%s @ %s%s",
			 r->sc.variant->name, ch_layouts[r->sc.layout].name,
			 (r->sc.variant->flags & CH_VF_KEY) && r->sc.key == 1 ?
			 " key:on" : "");
		if (r->error) {
			fprintf(out, "  %-32s %s\n", label, r->error_msg);
			continue;
		}
		fl = floor_ns(t, r);
		fprintf(out, "  %-32s %8.3f %6.1f", label, r->ns, 100 * r->cv);
		if (isnan(fl) || (r->sc.variant->flags & CH_VF_PSEUDO))
			fprintf(out, " %8s", "");
		else
			fprintf(out, " %8.3f", r->ns - fl);
		for (k = 0; k < pmu->nr; k++) {
			double v = NAN;

			for (j = 0; j < r->nr_counters; j++)
				if (!strcmp(r->cname[j], pmu->ev[k].name))
					v = r->cval[j];
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

void ch_table_free(struct ch_table *t)
{
	if (!t)
		return;
	free(t->rows);
	free(t);
}
