// SPDX-License-Identifier: GPL-2.0
/*
 * chbench list --json: everything the scripts need to know about this
 * binary, so that none of them keeps a list of its own: the variants (in
 * registry order, with where each is correct and where the suite runs
 * it), layouts, mixes, walks, picks, shapes, loops, the counters and the
 * labels the tables give them, sizeof(struct page), the page size, the
 * suite's pairs, the report's default baseline and the footprint by
 * arithmetic. Only in the full chbench, as jansson is.
 */
#include <errno.h>
#include <string.h>

#include "commands/cmds.h"
#include "report/footprint_json.h"
#include "report/json.h"
#include "vmemmap/mix.h"
#include "bench/pmu.h"
#include "vmemmap/suite.h"
#include "vmemmap/walk.h"
#include "vmemmap/walkfn.h"
#include "page/page.h"
#include "page/shape.h"
#include "variants/variants.h"

static const char *key_name(enum ch_key k)
{
	return k == CH_KEY_ON ? "on" : k == CH_KEY_OFF ? "off" : "auto";
}

static json_t *names(const char *const *v, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *variants(void)
{
	json_t *a = json_array();
	int i, l;

	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = &ch_variants[i];
		json_t *lay = json_array();

		for (l = 0; l < CH_NR_LAYOUTS; l++)
			if (ch_variant_correct_on(v, l))
				json_array_append_new(lay,
					json_string(ch_layouts[l].name));
		json_array_append_new(a, json_pack(
				"{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, "
				"s:{s:s, s:s}}",
			"name", v->name, "ident", v->ident, "desc", v->desc,
			"origin", v->origin,
			"encoding", ch_encoding_name(v->encoding),
			"layouts", lay,
			"key", !!(v->flags & CH_VF_KEY),
			"pseudo", !!(v->flags & CH_VF_PSEUDO),
			"suite", "layout", ch_layouts[v->suite_layout].name,
			"key", key_name(v->suite_key)));
	}
	return a;
}

static json_t *layouts(void)
{
	json_t *a = json_array();
	int l;

	for (l = 0; l < CH_NR_LAYOUTS; l++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:b, s:b}",
			"name", ch_layouts[l].name,
			"desc", ch_layouts[l].desc,
			"private_pages", (int)ch_layouts[l].private_pages,
			"shared", ch_layouts[l].shared,
			/* an optimized folio keeps only its private pages */
			"hvo", ch_layouts[l].private_pages != 0));
	return a;
}

static json_t *mixes(void)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < ch_nr_mix_presets; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}",
			"name", ch_mix_presets[i].name,
			"spec", ch_mix_presets[i].spec,
			"desc", ch_mix_presets[i].desc));
	return a;
}

static json_t *walks(void)
{
	json_t *a = json_array();
	int w;

	for (w = 0; w < CH_NR_WALKS; w++)
		json_array_append_new(a, json_pack("{s:s, s:s}",
			"name", ch_walk_names[w],
			"loop", ch_loop_names[ch_walk_loop(w)]));
	return a;
}

static json_t *events(void)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < ch_pmu_nr_known; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}",
			"name", ch_pmu_known(i),
			"label", ch_pmu_label(ch_pmu_known(i))));
	return a;
}

static json_t *default_events(void)
{
	static const char dfl[] = CH_PMU_DEFAULT_EVENTS;
	json_t *a = json_array();
	const char *p = dfl, *e;

	for (;;) {
		e = strchrnul(p, ',');
		json_array_append_new(a, json_stringn(p, e - p));
		if (!*e)
			return a;
		p = e + 1;
	}
}

static json_t *suite(void)
{
	struct ch_suite_pair pairs[CH_MAX_SUITE_PAIRS];
	int i, n = ch_suite_pairs(pairs);
	json_t *a = json_array();

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b}",
			"variant", pairs[i].variant->name,
			"layout", ch_layouts[pairs[i].layout].name,
			"key", key_name(pairs[i].key),
			"natural", pairs[i].natural));
	return a;
}

int ch_list_print_json(void)
{
	char page[32];
	json_t *doc = json_pack(
			"{s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, "
			"s:I, s:I, s:s, s:o, s:s, s:o}",
		"variants", variants(),
		"layouts", layouts(),
		"mixes", mixes(),
		"mix_spec", "[h]ORDER:PERCENT,... (h: HugeTLB)",
		"walks", walks(),
		"picks", names(ch_pick_names, CH_NR_PICKS),
		"shapes", names(ch_shape_names, CH_NR_SHAPES),
		"loops", names(ch_loop_names, CH_NR_LOOPS),
		"events", events(),
		"default_events", default_events(),
		"struct_page_size", (json_int_t)sizeof(struct page),
		"page_size", (json_int_t)CH_PAGE_SIZE,
		"page_size_text", ch_fp_fmt(CH_PAGE_SIZE, page, sizeof(page)),
		"suite", suite(),
		"default_baseline", ch_suite_baseline(),
		"footprint", ch_fp_json_arith());

	return ch_json_print(doc, stdout) ? -EIO : 0;
}
