// SPDX-License-Identifier: GPL-2.0
/*
 * The footprint figures as JSON: what 'chbench footprint --json' prints,
 * what metadata.json keeps of a run, and the arithmetic alone for
 * 'chbench list --json'. Only in the full chbench: chbench-verify links
 * no jansson (see commands/main.c).
 */
#include <errno.h>
#include <stdio.h>

#include "report/footprint_json.h"
#include "page/page.h"

/* The share of @whole that @kept saves: negative if it keeps more. */
static double saved_pct(uint64_t whole, uint64_t kept)
{
	return whole ? 100.0 * ((double)whole - (double)kept) /
		       (double)whole : 0.0;
}

static json_t *fp_text(uint64_t bytes)
{
	char buf[64];

	return json_string(ch_fp_fmt(bytes, buf, sizeof(buf)));
}

/* One HugeTLB size's figures without its layouts: those are the callers' */
static json_t *fp_size(const struct ch_fp_size *size)
{
	uint64_t folio = CH_PAGE_SIZE << size->order;

	return json_pack("{s:s, s:i, s:o, s:o}", "hugetlb", size->name,
			 "order", (int)size->order, "folio_bytes",
			 ch_json_u64(folio), "folios",
			 ch_json_u64(CH_FP_RAM / folio));
}

static json_t *fp_doc(void)
{
	return json_pack("{s:o, s:I, s:I}", "ram", ch_json_u64(CH_FP_RAM),
			 "page_size", (json_int_t)CH_PAGE_SIZE, "struct_page",
			 (json_int_t)sizeof(struct page));
}

json_t *ch_fp_json(const struct ch_fp_table *t, int nr, bool agree)
{
	json_t *doc = fp_doc(), *sizes = json_array();
	char m[64];
	int i, l;

	json_object_set_new(doc, "agree", json_boolean(agree));
	for (i = 0; i < nr; i++) {
		const struct ch_fp_row *none = &t[i].row[CH_LAYOUT_NONE];
		json_t *s = fp_size(t[i].size), *rows = json_array();

		json_object_update_new(s, json_pack(
				"{s:o, s:o, s:b, s:s, s:o}",
			"measured_mem", ch_json_u64(t[i].mem),
			"scale", ch_json_u64(t[i].scale),
			"agree", t[i].agree,
			"measured_mem_text", ch_fp_fmt(t[i].mem, m, sizeof(m)),
			/* the shared tail page scaled up with the rest */
			"tolerance_pages", ch_json_u64(t[i].scale - 1)));
		for (l = 0; l < CH_NR_LAYOUTS; l++) {
			const struct ch_fp_row *r = &t[i].row[l];

			json_array_append_new(rows, json_pack(
					"{s:s, s:o, s:o, s:I, s:o, s:o, s:o, "
					"s:b, s:o, s:o, s:o}",
				"layout", ch_layouts[l].name,
				"arithmetic", ch_json_u64(r->arith),
				"measured", ch_json_u64(r->measured),
				"difference", (json_int_t)r->diff,
				"tolerance", ch_json_u64(r->tolerance),
				"resident_at_measured_mem", ch_json_u64(r->raw),
				"arithmetic_at_measured_mem",
				ch_json_u64(r->raw_arith),
				"agree", r->agree,
				"arithmetic_text", fp_text(r->arith),
				"measured_text", fp_text(r->measured),
				"saved_pct", ch_json_real(saved_pct(none->arith,
								     r->arith),
							   "%.17g")));
		}
		json_object_set_new(s, "layouts", rows);
		json_array_append_new(sizes, s);
	}
	json_object_set_new(doc, "sizes", sizes);
	return doc;
}

json_t *ch_fp_json_arith(void)
{
	json_t *doc = fp_doc(), *sizes = json_array();
	int i, l;

	for (i = 0; i < CH_FP_NR_SIZES; i++) {
		const struct ch_fp_size *size = &ch_fp_sizes[i];
		uint64_t none = ch_fp_arith(CH_LAYOUT_NONE, size->order,
					    CH_FP_RAM);
		json_t *s = fp_size(size), *rows = json_array();

		for (l = 0; l < CH_NR_LAYOUTS; l++) {
			uint64_t a = ch_fp_arith(l, size->order, CH_FP_RAM);

			json_array_append_new(rows, json_pack(
					"{s:s, s:o, s:o, s:o}",
				"layout", ch_layouts[l].name,
				"arithmetic", ch_json_u64(a),
				"arithmetic_text", fp_text(a),
				"saved_pct", ch_json_real(saved_pct(none, a),
							   "%.17g")));
		}
		json_object_set_new(s, "layouts", rows);
		json_array_append_new(sizes, s);
	}
	json_object_set_new(doc, "sizes", sizes);
	return doc;
}

int ch_fp_print_json(const struct ch_fp_table *t, int nr, bool agree)
{
	return ch_json_print(ch_fp_json(t, nr, agree), stdout) ? -EIO : 0;
}
