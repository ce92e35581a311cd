// SPDX-License-Identifier: GPL-2.0
/*
 * chbench cases DIR: the cases of a results directory as one JSON object,
 * so that the scripts parse no case name:
 *
 *   {"source": "metadata.json" or "names",
 *    "cases": {CASE: {variant, layout, key, ...}},   (see harness/cases.h)
 *    "runs": {NAME: CASE}}
 *
 * "cases" is metadata.json's where it has one; results written before
 * it did have their bench.json names parsed (ch_scenario_parse()), the
 * floors paired as chbench pairs them. "runs" maps each run name in
 * bench.json (run_name, else name: Google Benchmark's, with its
 * "/iterations:N" and "/real_time") to its case.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness/cases.h"
#include "harness/cmds.h"
#include "harness/json.h"
#include "harness/kcase.h"
#include "harness/opts.h"

/* @run less the suffixes Google Benchmark adds (harness/gbench.h) */
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
		return NULL;	/* no metadata.json: written before there was */
	if (text)
		clean = nan_to_null(text);
	if (clean)
		j = json_loads(clean, 0, &e);
	if (!j && must)
		snprintf(err, len, "cases: %s: no readable JSON (%s); give a directory that chbench bench, sweep, aa or kernel bench wrote",
			 path, e.text);
	else if (!j)
		fprintf(stderr, "chbench: cases: warning: %s: no readable JSON (%s); the cases are parsed from bench.json's names\n",
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

/* Parse @name into @p unless it is there; 0, or 2 with a message. */
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
		snprintf(err, len, "cases: %s/bench.json: %s", dir, e);
		return 2;
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

static int cases(const char *dir)
{
	json_t *bench, *meta, *list, *b, *known = NULL, *runs = json_object();
	struct parsed p = { 0 };
	char err[5000] = "", name[256];
	const char *run;
	int ret = 2;
	size_t i;

	bench = load(dir, "bench.json", true, err, sizeof(err));
	meta = bench ? load(dir, "metadata.json", false, NULL, 0) : NULL;
	list = json_object_get(bench, "benchmarks");
	if (bench && !json_is_array(list))
		snprintf(err, sizeof(err), "cases: %s/bench.json has no \"benchmarks\" array; give a directory that chbench bench, sweep, aa or kernel bench wrote",
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
			snprintf(err, sizeof(err), "out of memory");
			goto out;
		}
	}
	json_array_foreach(list, i, b) {
		run = json_string_value(json_object_get(b, "run_name"));
		if (!run)
			run = json_string_value(json_object_get(b, "name"));
		if (!run || strncmp(run, "walk/", 5) ||
		    !strcmp(json_string_value(json_object_get(b, "run_type")) ?:
			    "", "aggregate"))
			continue;
		if (strlen(run) >= sizeof(name)) {
			snprintf(err, sizeof(err), "cases: %s/bench.json: a run name of %zu bytes ('%.40s...'); chbench writes none over %zu",
				 dir, strlen(run), run, sizeof(name) - 1);
			goto out;
		}
		case_of_run(run, name, sizeof(name));
		if (known && !json_object_get(known, name)) {
			snprintf(err, sizeof(err), "cases: %s/metadata.json has no case %s, which bench.json ran",
				 dir, name);
			goto out;
		}
		if (!known && add_parsed(&p, name, dir, err, sizeof(err)))
			goto out;
		json_object_set_new(runs, run, json_string(name));
	}
	ret = ch_json_print(json_pack("{s:s, s:o, s:O}", "source",
				      known ? "metadata.json" : "names",
				      "cases", known ? json_incref(known) :
				      parsed_json(&p), "runs", runs),
			    stdout) ? 2 : 0;
out:
	if (err[0])
		ch_usage_error("%s", err);
	json_decref(runs);
	json_decref(bench);
	json_decref(meta);
	free(p.sc);
	free(p.name);
	return ret;
}

const struct ch_cmd_help ch_cases_help = {
	.usage = (const char *const []){ "cases DIR", NULL },
	.summary = "a results directory's cases as JSON, for the scripts",
};

int cmd_cases(int argc, char **argv)
{
	struct ch_opts o;

	if (ch_opts_parse(&o, argc, argv, 0, NULL, 0, &ch_cases_help))
		return 2;
	if (o.argc != 1 || !o.argv[0][0])
		return ch_usage_error("cases: give one results directory (a directory with a bench.json), e.g. chbench cases results/2026-02-03-box");
	return cases(o.argv[0]);
}
