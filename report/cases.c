// SPDX-License-Identifier: GPL-2.0
#include "report/cases.h"
#include "inspect/footprint.h"
#include "kernel/kpaths.h"
#include "lib/units.h"
#include "page/page.h"

/*
 * A kernel path's fields, in the walks' names so the report reads it as
 * any case: its row is "<path> @ <folio>[ hvo:on|off]", its block (mix,
 * walk_label, mem, shape) one folio kind, "per page". Then its own:
 * path, folio, hvo.
 */
static json_t *path_json(const struct ch_scenario *sc)
{
	uint64_t memmap = sc->mem / CH_PAGE_SIZE * sizeof(struct page);
	bool huge = ch_kfolio_hugetlb(sc->folio);
	char lay[64], m[32], mm[64];
	char arm[2] = { sc->arm ? 'a' + sc->arm - 1 : 0, 0 };

	snprintf(lay, sizeof(lay), "%s%s", ch_kfolio_names[sc->folio],
		 !huge ? "" : sc->hvo ? " hvo:on" : " hvo:off");
	return json_pack("{s:s, s:b, s:s, s:n, s:s, s:s, s:s, s:s, s:s, "
			 "s:n, s:o, s:s, s:o, s:s, s:o, s:n, s:s, s:s, s:o}",
		"variant", ch_kpath_names[sc->path], "pseudo", 0,
		"layout", lay, "key", "shape", "kernel-path",
		"mix", ch_kfolio_names[sc->folio], "walk", "path",
		"walk_label", "per page", "pick", ch_pick_names[CH_PICK_ANY],
		"tail_fraction", "mem", ch_json_u64(sc->mem),
		"mem_text", ch_fmt_size(sc->mem, m, sizeof(m)),
		"memmap", ch_json_u64(memmap),
		"memmap_text", ch_fp_fmt(memmap, mm, sizeof(mm)),
		"arm", arm[0] ? json_string(arm) : json_null(), "floor",
		"path", ch_kpath_names[sc->path],
		"folio", ch_kfolio_names[sc->folio],
		"hvo", huge ? json_string(sc->hvo ? "on" : "off") :
			json_null());
}

static json_t *case_json(const struct ch_scenario *sc, const char *floor)
{
	const struct ch_variant *v = sc->variant;
	uint64_t memmap = sc->mem / CH_PAGE_SIZE * sizeof(struct page);
	char w[64], m[32], mm[64];
	/* as the name has it: only a variant with a static key has one */
	bool key = (v->flags & CH_VF_KEY) && sc->key != CH_KEY_AUTO;
	char arm[2] = { sc->arm ? 'a' + sc->arm - 1 : 0, 0 };

	if (sc->path)
		return path_json(sc);
	return json_pack("{s:o, s:b, s:s, s:o, s:s, s:o, s:s, s:s, s:s, "
			 "s:o, s:o, s:s, s:o, s:s, s:o, s:o}",
		"variant", ch_json_string(v->name),
		"pseudo", !!(v->flags & CH_VF_PSEUDO),
		"layout", ch_layouts[sc->layout].name,
		"key", key ? json_string(sc->key ? "on" : "off") : json_null(),
		"shape", ch_shape_names[sc->shape],
		"mix", ch_json_string(sc->mix.name),
		"walk", ch_walk_names[sc->walk.kind],
		"walk_label", ch_walk_label(&sc->walk, w, sizeof(w)),
		"pick", ch_pick_names[sc->walk.pick],
		"tail_fraction", sc->walk.tail_fraction >= 0 ?
			ch_json_real(sc->walk.tail_fraction, "%g") :
			json_null(),
		"mem", ch_json_u64(sc->mem),
		"mem_text", ch_fmt_size(sc->mem, m, sizeof(m)),
		"memmap", ch_json_u64(memmap),
		"memmap_text", ch_fp_fmt(memmap, mm, sizeof(mm)),
		"arm", arm[0] ? json_string(arm) : json_null(),
		"floor", ch_json_str_or_null(floor));
}

json_t *ch_cases_json(const struct ch_case_ref *c, int nr)
{
	json_t *obj = json_object();
	int i, j;

	for (i = 0; i < nr; i++) {
		const char *floor = NULL;

		if (!(c[i].sc->variant->flags & CH_VF_PSEUDO) && !c[i].sc->path)
			for (j = 0; j < nr && !floor; j++)
				if (ch_scenario_nets_against(c[i].sc, c[j].sc))
					floor = c[j].name;
		json_object_set_new(obj, c[i].name,
				    case_json(c[i].sc, floor));
	}
	return obj;
}
