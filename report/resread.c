// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/cases.h"
#include "kernel/kcase.h"
#include "report/resread.h"
#include "vmemmap/scenario.h"

/* @run less the suffixes Google Benchmark adds (bench/gbench.h) */
static void case_of_run(const char *run, char *buf, size_t len)
{
	static const char rt[] = "/real_time", it[] = "/iterations:";
	size_t n;
	char *p;

	snprintf(buf, len, "%s", run);
	n = strlen(buf);
	if (n >= sizeof(rt) - 1 && !strcmp(buf + n - (sizeof(rt) - 1), rt))
		buf[n - (sizeof(rt) - 1)] = '\0';
	p = strrchr(buf, '/');
	if (p && !strncmp(p, it, sizeof(it) - 1) && p[sizeof(it) - 1] &&
	    strspn(p + sizeof(it) - 1, "0123456789") ==
	    strlen(p + sizeof(it) - 1))
		*p = '\0';
}

/*
 * JSON text with what Google Benchmark writes for a value that is none
 * (NaN, as the cv of a counter that is 0 in every repetition; inf) made
 * null, as JSON has no word for it; a new string to free(), or NULL.
 */
#define CH_WORD	"-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

static char *nan_to_null(const char *s)
{
	/* "null" is one longer than "nan" or "inf": at most 4 for 3 */
	char *out = malloc(strlen(s) / 3 * 4 + 4), *o = out;
	bool str = false;

	while (out && *s) {
		size_t n = strspn(s, CH_WORD);
		const char *w = *s == '-' ? s + 1 : s;
		size_t wn = n - (w - s);

		if (str || !n) {
			if (str && *s == '\\' && s[1])
				*o++ = *s++;
			else if (*s == '"')
				str = !str;
			*o++ = *s++;
			continue;
		}
		if ((wn == 3 && (!strncasecmp(w, "nan", 3) ||
				 !strncasecmp(w, "inf", 3))) ||
		    (wn == 8 && !strncasecmp(w, "infinity", 8))) {
			memcpy(o, "null", 4);
			o += 4;
		} else {
			memcpy(o, s, n);
			o += n;
		}
		s += n;
	}
	if (out)
		*o = '\0';
	return out;
}

static json_t *load(const char *dir, const char *file, bool must,
		    char *err, size_t len)
{
	char path[4200], *text = NULL, *clean = NULL;
	json_error_t e = { .text = "" };
	json_t *j = NULL;
	size_t n = 0;
	ssize_t got;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f) {
		snprintf(e.text, sizeof(e.text), "%s", strerror(errno));
	} else if ((got = getdelim(&text, &n, '\0', f)) <= 0) {
		/* getdelim() may leave text unterminated then */
		snprintf(e.text, sizeof(e.text), "%s",
			 ferror(f) ? strerror(errno) : "empty");
		free(text);
		text = NULL;
	} else if (fgetc(f) != EOF) {
		snprintf(e.text, sizeof(e.text),
			 "a NUL byte at offset %zd", got - 1);
		free(text);
		text = NULL;
	}
	if (f)
		fclose(f);
	else if (!must)
		return NULL;	/* no metadata.json: older results */
	if (text)
		clean = nan_to_null(text);
	if (clean)
		j = json_loads(clean, 0, &e);
	if (!j && must)
		snprintf(err, len, "%s: no readable JSON (%s); give a directory that chbench bench, sweep, aa or kernel bench wrote",
			 path, e.text);
	else if (!j)
		fprintf(stderr, "chbench: warning: %s: no readable JSON (%s); the cases are parsed from bench.json's names\n",
			path, e.text);
	free(text);
	free(clean);
	return j;
}

struct parsed {
	struct ch_scenario *sc;
	char (*name)[256];
	int nr;
};

/* Parse @name into @p unless it is there; 0, or -EINVAL with a message. */
static int add_parsed(struct parsed *p, const char *name, const char *dir,
		      char *err, size_t len)
{
	char e[512];
	int i;

	for (i = 0; i < p->nr; i++)
		if (!strcmp(p->name[i], name))
			return 0;
	if (ch_scenario_parse(name, &p->sc[p->nr], ch_kvariant_find, e,
			      sizeof(e))) {
		snprintf(err, len, "%s/bench.json: %s", dir, e);
		return -EINVAL;
	}
	snprintf(p->name[p->nr++], sizeof(p->name[0]), "%s", name);
	return 0;
}

static json_t *parsed_json(const struct parsed *p)
{
	struct ch_case_ref *c = calloc(p->nr + 1, sizeof(*c));
	json_t *j;
	int i;

	if (!c)
		return NULL;
	for (i = 0; i < p->nr; i++)
		c[i] = (struct ch_case_ref) { &p->sc[i], p->name[i] };
	j = ch_cases_json(c, p->nr);
	free(c);
	return j;
}

/*
 * bench.json's run names, each to its case in @runs: from @known
 * (metadata.json's cases) or parsed into @p. 0, or -EINVAL with @err.
 */
static int map_runs(const char *dir, json_t *list, json_t *known,
		    struct parsed *p, json_t *runs, char *err, size_t len)
{
	char name[256];
	const char *run;
	json_t *b;
	size_t i;

	json_array_foreach(list, i, b) {
		run = json_string_value(json_object_get(b, "run_name"));
		if (!run)
			run = json_string_value(json_object_get(b, "name"));
		if (!run || (strncmp(run, "walk/", 5) &&
			     strncmp(run, "path/", 5)) ||
		    !strcmp(json_string_value(json_object_get(b, "run_type")) ?:
			    "", "aggregate"))
			continue;
		if (strlen(run) >= sizeof(name)) {
			snprintf(err, len, "%s/bench.json: a run name of %zu bytes ('%.40s...'); chbench writes none over %zu",
				 dir, strlen(run), run, sizeof(name) - 1);
			return -EINVAL;
		}
		case_of_run(run, name, sizeof(name));
		if (known && !json_object_get(known, name)) {
			snprintf(err, len, "%s/metadata.json has no case %s, which bench.json ran",
				 dir, name);
			return -EINVAL;
		}
		if (!known && add_parsed(p, name, dir, err, len))
			return -EINVAL;
		json_object_set_new(runs, run, json_string(name));
	}
	return 0;
}

json_t *ch_results_cases(const char *dir, json_t **bench_out,
			 json_t **meta_out, char *err, size_t len)
{
	json_t *bench, *meta, *list, *known, *doc = NULL;
	json_t *runs = json_object();
	struct parsed p = { 0 };

	err[0] = '\0';
	bench = load(dir, "bench.json", true, err, len);
	meta = bench ? load(dir, "metadata.json", false, NULL, 0) : NULL;
	list = json_object_get(bench, "benchmarks");
	if (bench && !json_is_array(list))
		snprintf(err, len, "%s/bench.json has no \"benchmarks\" array; give a directory that chbench bench, sweep, aa or kernel bench wrote",
			 dir);
	if (err[0])
		goto out;
	/* written since metadata.json holds them: as run, not parsed */
	known = json_object_get(meta, "cases");
	if (!json_is_object(known)) {
		known = NULL;
		p.sc = calloc(json_array_size(list) + 1, sizeof(*p.sc));
		p.name = calloc(json_array_size(list) + 1, sizeof(*p.name));
		if (!p.sc || !p.name) {
			snprintf(err, len, "out of memory");
			goto out;
		}
	}
	if (map_runs(dir, list, known, &p, runs, err, len))
		goto out;
	doc = json_pack("{s:s, s:o, s:O}", "source",
			known ? "metadata.json" : "names",
			"cases", known ? json_incref(known) : parsed_json(&p),
			"runs", runs);
	if (!doc)
		snprintf(err, len, "out of memory");
out:
	json_decref(runs);
	free(p.sc);
	free(p.name);
	if (doc && bench_out)
		*bench_out = json_incref(bench);
	if (doc && meta_out)
		*meta_out = json_incref(meta);
	json_decref(bench);
	json_decref(meta);
	return doc;
}

const char *ch_res_field(const struct ch_res_case *c, const char *field)
{
	return json_string_value(json_object_get(c->info, field)) ?: "";
}

const struct ch_res_metric *ch_res_metric(const struct ch_res_case *c,
					  const char *name)
{
	int i;

	for (i = 0; i < c->nr_metrics; i++)
		if (!strcmp(c->m[i].name, name))
			return c->m[i].n ? &c->m[i] : NULL;
	return NULL;
}

/* While reading: each metric's sum and count per instance. */
struct acc {
	double sum[CH_RES_MAX_METRICS][CH_MAX_INSTANCES];
	int cnt[CH_RES_MAX_METRICS][CH_MAX_INSTANCES];
};

/* Case @name, added (in bench.json's order) when new; NULL: no memory. */
static struct ch_res_case *case_of(struct ch_results *r, json_t *index,
				   struct acc **acc, const char *name,
				   long family, long first)
{
	json_t *cases = json_object_get(r->doc, "cases");
	json_t *at = json_object_get(index, name);
	struct ch_res_case *c;

	if (at)
		return &r->c[json_integer_value(at)];
	c = &r->c[r->nr];
	*c = (struct ch_res_case){ .info = json_object_get(cases, name),
				   .family = family, .first = first };
	c->name = json_object_iter_key(json_object_iter_at(cases, name));
	c->m = calloc(CH_RES_MAX_METRICS, sizeof(*c->m));
	acc[r->nr] = calloc(1, sizeof(**acc));
	if (!c->m || !acc[r->nr] ||
	    json_object_set_new(index, name, json_integer(r->nr)))
		return NULL;
	return &r->c[r->nr++];
}

/* Value @v of @metric on instance @k into @c; 0, or -EINVAL with @err. */
static int add_value(struct ch_res_case *c, struct acc *a, const char *metric,
		     double v, int k, char *err, size_t len)
{
	int i;

	for (i = 0; i < c->nr_metrics; i++)
		if (!strcmp(c->m[i].name, metric))
			break;
	if (i == c->nr_metrics) {
		if (i == CH_RES_MAX_METRICS || strlen(metric) >= 64) {
			snprintf(err, len, "case %s has over %d metrics, or one named over 63 bytes ('%.40s')",
				 c->name, CH_RES_MAX_METRICS, metric);
			return -EINVAL;
		}
		snprintf(c->m[i].name, sizeof(c->m[i].name), "%s", metric);
		c->nr_metrics++;
	}
	a->sum[i][k] += v;
	a->cnt[i][k]++;
	return 0;
}

/* One repetition of bench.json into its case. 0, or -errno with @err. */
static int add_entry(struct ch_results *r, json_t *index, struct acc **acc,
		     json_t *b, long first, char *err, size_t len)
{
	const char *run, *name, *key;
	struct ch_res_case *c;
	double inst;
	json_t *v;
	int k;

	if (!strcmp(json_string_value(json_object_get(b, "run_type")) ?: "",
		    "aggregate"))
		return 0;
	run = json_string_value(json_object_get(b, "run_name")) ?:
	      json_string_value(json_object_get(b, "name"));
	name = json_string_value(json_object_get(
			json_object_get(r->doc, "runs"), run ?: ""));
	if (!name)
		return 0;
	c = case_of(r, index, acc, name,
		    json_integer_value(json_object_get(b, "family_index")),
		    first);
	if (!c) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	if (json_is_true(json_object_get(b, "error_occurred"))) {
		c->error = json_string_value(json_object_get(b,
				"error_message")) ?: "error";
		return 0;
	}
	/* before instances, every repetition ran on one */
	inst = json_number_value(json_object_get(b, "instance"));
	k = (int)lround(inst);
	if (!(inst >= 0 && k < CH_MAX_INSTANCES)) {
		snprintf(err, len, "%s/bench.json: %s: instance %g; chbench makes 0 to %d",
			 r->path, run, inst, CH_MAX_INSTANCES - 1);
		return -EINVAL;
	}
	json_object_foreach(b, key, v) {
		size_t n = strlen(key);

		if (n < 3 || strcmp(key + n - 3, "/op") || !json_is_number(v))
			continue;
		if (add_value(c, acc[c - r->c], key, json_number_value(v), k,
			      err, len))
			return -EINVAL;
	}
	return 0;
}

/* Each instance's value: the mean of its repetitions, by instance. */
static void finish(struct ch_res_case *c, const struct acc *a)
{
	int i, k;

	for (i = 0; i < c->nr_metrics; i++) {
		struct ch_res_metric *m = &c->m[i];

		for (k = 0; k < CH_MAX_INSTANCES; k++)
			if (a->cnt[i][k])
				m->v[m->n++] = a->sum[i][k] / a->cnt[i][k];
	}
}

static int by_order(const void *x, const void *y)
{
	const struct ch_res_case *a = x, *b = y;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

static int read_values(struct ch_results *r, char *err, size_t len)
{
	json_t *list = json_object_get(r->bench, "benchmarks");
	json_t *index = json_object(), *b;
	size_t n = json_array_size(list), i;
	struct acc **acc;
	int ret = 0;

	r->c = calloc(n + 1, sizeof(*r->c));
	acc = calloc(n + 1, sizeof(*acc));
	if (!r->c || !acc || !index) {
		snprintf(err, len, "out of memory");
		ret = -ENOMEM;
	}
	json_array_foreach(list, i, b)
		if (!ret)
			ret = add_entry(r, index, acc, b, i, err, len);
	for (i = 0; i < (size_t)r->nr; i++) {
		if (!ret)
			finish(&r->c[i], acc[i]);
		free(acc[i]);
	}
	free(acc);
	json_decref(index);
	if (!ret)
		qsort(r->c, r->nr, sizeof(*r->c), by_order);
	return ret;
}

int ch_results_read(struct ch_results *r, const char *dir, char *err,
		    size_t len)
{
	memset(r, 0, sizeof(*r));
	r->path = dir;
	r->doc = ch_results_cases(dir, &r->bench, &r->meta, err, len);
	if (!r->doc)
		return -EINVAL;
	r->kind = json_string_value(json_object_get(r->meta, "kind")) ?:
		  json_string_value(json_object_get(json_object_get(r->bench,
			"context"), "chbench_kind")) ?: "bench";
	return read_values(r, err, len);
}

void ch_results_free(struct ch_results *r)
{
	int i;

	for (i = 0; r->c && i < r->nr; i++)
		free(r->c[i].m);
	free(r->c);
	json_decref(r->doc);
	json_decref(r->bench);
	json_decref(r->meta);
	memset(r, 0, sizeof(*r));
}
