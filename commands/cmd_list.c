// SPDX-License-Identifier: GPL-2.0
/* chbench list: what can be measured, and where each variant is correct. */
#include <stdio.h>

#include "commands/cmds.h"
#include "inspect/disasm.h"
#include "vmemmap/mix.h"
#include "commands/opts.h"
#include "vmemmap/walk.h"
#include "page/static_key.h"
#include "variants/variants.h"
#include "commands/exit.h"

static const char *cell(const struct ch_variant *v, int l)
{
	if (!ch_variant_correct_on(v, l))
		return "no";
	if (v->flags & CH_VF_PSEUDO)
		return "n/a";
	if ((v->flags & CH_VF_KEY) && l == CH_LAYOUT_HVO_FAKE_HEAD)
		return "key on";
	return "yes";
}

/* What the compiler made of each variant, from this binary's objdump. */
static void print_code_shape(void)
{
	struct ch_disasm d;
	int i;

	ch_disasm_read(&d, NULL);
	printf("\nWalk functions in this binary (variant code = function minus the floor's):\n");
	if (!d.valid) {
		printf("  n/a: %s\n", d.why);
		return;
	}
	printf("  %-44s %6s %6s %8s %6s\n", "function", "insns", "loads",
	       "cond-br", "cmov");
	for (i = 0; i < ch_nr_walk_funcs; i++) {
		const struct ch_insn_counts *n = &d.net[i];

		if (ch_walk_funcs[i].variant == CH_V_floor) {
			n = &d.fn[i];
			printf("  %-44s %6d %6d %8d %6d  (whole loop)\n",
			       ch_walk_funcs[i].sym, n->insns, n->loads,
			       n->cond_branches, n->cmovs);
			continue;
		}
		printf("  %-44s %+6d %+6d %+8d %+6d\n", ch_walk_funcs[i].sym,
		       n->insns, n->loads, n->cond_branches, n->cmovs);
	}
}

const struct ch_cmd_help ch_list_help = {
	.usage = (const char *const []){ "list [--json]", NULL },
	.summary = "variants, layouts, mixes, walks, and who is correct where",
};

int cmd_list(int argc, char **argv)
{
	static const struct ch_option options[] = {
		OPT_PARENT("json"),
		OPT_END(),
	};
	struct ch_opts o;
	int i, l;

	ch_opts_init(&o, NULL, 0);
	argc = ch_parse_options(argc, argv, options, &o, &ch_list_help);
	if (argc < 0)
		return 2;
	if (argc)
		return ch_usage_error("list: unexpected argument '%s'",
				      argv[0]);
	if (o.json)
		return ch_exit_status(ch_list_print_json());

	printf("Variants:\n");
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = &ch_variants[i];
		char lay[128];

		ch_variant_layouts(v, lay, sizeof(lay));
		printf("  %-16s %s\n", v->name, v->desc);
		printf("  %-16s from: %s\n", "", v->origin);
		printf("  %-16s encoding: %s; correct on: %s\n", "",
		       ch_encoding_name(v->encoding),
		       v->flags & CH_VF_PSEUDO ? "any (not a compound_head)" :
		       lay);
	}

	printf("\nLayouts:\n");
	for (l = 0; l < CH_NR_LAYOUTS; l++)
		printf("  %-16s %s\n", ch_layouts[l].name, ch_layouts[l].desc);

	printf("\nCorrect heads (variant x layout):\n  %-16s", "");
	for (l = 0; l < CH_NR_LAYOUTS; l++)
		printf(" %-15s", ch_layouts[l].name);
	printf("\n");
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		printf("  %-16s", ch_variants[i].name);
		for (l = 0; l < CH_NR_LAYOUTS; l++)
			printf(" %-15s", cell(&ch_variants[i], l));
		printf("\n");
	}

	printf("\nMix presets (--mix; or a spec [h]ORDER:PERCENT,...; h = HugeTLB):\n");
	for (i = 0; i < ch_nr_mix_presets; i++)
		printf("  %-12s %-26s %s\n", ch_mix_presets[i].name,
		       ch_mix_presets[i].spec, ch_mix_presets[i].desc);

	printf("\nWalks: %s\nPicks: %s\n", ch_walk_list(), ch_pick_list());
	printf("\nStatic key (hugetlb_optimize_vmemmap_key): %s\n",
	       ch_static_key_impl());
	print_code_shape();
	return 0;
}
