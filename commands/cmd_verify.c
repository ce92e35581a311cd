// SPDX-License-Identifier: GPL-2.0
/*
 * chbench verify: run each variant on every struct page of the emulated
 * vmemmap and compare with the ground truth. Exit 0 only when nothing
 * mismatched; 1 when something did; 2 on bad input.
 */
#include <inttypes.h>
#include <stdio.h>

#include "commands/cmds.h"
#include "vmemmap/folios.h"
#include "vmemmap/memmap.h"
#include "commands/opts.h"
#include "lib/units.h"
#include "vmemmap/verify.h"
#include "variants/variants.h"

#define CH_VERIFY_DEFAULT_MEM	(16ULL << 30)

static bool wanted(const struct ch_opts *o, const struct ch_variant *v,
		   int l)
{
	if (o->variant)
		return o->variant == v &&
		       (o->layout < 0 ? ch_variant_correct_on(v, l) :
			o->layout == l);
	if (v->flags & CH_VF_PSEUDO)
		return false;
	if (o->layout >= 0 && o->layout != l)
		return false;
	return ch_variant_correct_on(v, l);
}

static void print_row(const struct ch_memmap *mm,
		      const struct ch_variant *v,
		      const struct ch_verify_result *r)
{
	char virt[16], res[16], saved[16];

	printf("%-16s %-16s %-4s %9" PRIu64 " %10" PRIu64 " %10s %10s %10s\n",
	       v->name, ch_layouts[mm->layout].name,
	       v->flags & CH_VF_KEY ? (ch_hvo_key() ? "on" : "off") : "-",
	       r->checked, r->mismatches,
	       ch_fmt_bytes(mm->fp.virt, virt, sizeof(virt)),
	       ch_fmt_bytes(mm->fp.resident, res, sizeof(res)),
	       ch_fmt_bytes(mm->fp.saved, saved, sizeof(saved)));
}

const struct ch_cmd_help ch_verify_help = {
	.usage = (const char *const []){ "verify [options]", NULL },
	.summary = "check every struct page against the ground truth",
};

/*
 * Check @v on @mm and print its row, the examples of its mismatches and
 * how many are fake heads. Returns the mismatches.
 */
static uint64_t verify_variant(const struct ch_memmap *mm,
			       const struct ch_variant *v,
			       struct ch_verify_result *r)
{
	int k;

	ch_verify(mm, v, r);
	print_row(mm, v, r);
	for (k = 0; k < r->nr_examples; k++) {
		char d[160];

		ch_mismatch_describe(mm, &r->ex[k], d, sizeof(d));
		printf("    %s\n", d);
	}
	if (r->fake_heads)
		printf("    %" PRIu64 " of the mismatches are fake heads\n",
		       r->fake_heads);
	return r->mismatches;
}

int cmd_verify(int argc, char **argv)
{
	static const struct ch_option options[] = {
		OPT_PARENT("variant"), OPT_PARENT("layout"), OPT_PARENT("mix"),
		OPT_PARENT("mem"), OPT_PARENT("seed"), OPT_PARENT("key"),
		OPT_END(),
	};
	struct ch_verify_result res[CH_NR_VARIANTS][CH_NR_LAYOUTS];
	uint64_t total_bad = 0;
	struct ch_folios fs;
	char err[512], b[32], c[32];
	struct ch_opts o;
	int ret, l, i;
	enum ch_encoding e;

	if (ch_opts_init(&o, "mixed", CH_VERIFY_DEFAULT_MEM))
		return 2;
	argc = ch_parse_options(argc, argv, options, &o, &ch_verify_help);
	if (argc < 0)
		return 2;
	if (argc)
		return ch_usage_error("verify: unexpected argument '%s'",
				      argv[0]);

	ret = ch_folios_build(&fs, &o.mix, o.mem, o.seed, err, sizeof(err));
	if (ret)
		return ch_usage_error("%s", err);
	/* correctness still holds there, but "0 B saved" needs a word */
	for (l = 0; l < CH_NR_LAYOUTS; l++) {
		if ((o.layout >= 0 && l != o.layout) ||
		    !ch_memmap_check_orders(&o.mix, l, err, sizeof(err)))
			continue;
		fprintf(stderr, "chbench: note: %s\n", err);
		break;
	}

	printf("verify: --mix %s (%s) --mem %s --seed %" PRIu64
	       ": %" PRIu32 " struct pages, %s of vmemmap\n",
	       o.mix.name, o.mix.spec, ch_fmt_size(o.mem, b, sizeof(b)),
	       o.seed, fs.nr_pages,
	       ch_fmt_bytes((uint64_t)fs.nr_pages * sizeof(struct page), c,
			    sizeof(c)));
	printf("%-16s %-16s %-4s %9s %10s %10s %10s %10s\n", "variant",
	       "layout", "key", "checked", "mismatches", "virtual", "resident",
	       "saved");

	/* one memmap per (layout, encoding), shared by its variants */
	for (l = 0; l < CH_NR_LAYOUTS; l++) {
		for (e = 0; e < CH_NR_ENCODINGS; e++) {
			struct ch_memmap mm;
			bool any = false;

			for (i = 0; i < CH_NR_VARIANTS; i++)
				any |= ch_variants[i].encoding == e &&
				       wanted(&o, &ch_variants[i], l);
			if (!any)
				continue;
			ret = ch_memmap_create(&mm, &fs, l, e, err,
					       sizeof(err));
			if (ret) {
				ch_folios_free(&fs);
				return ch_usage_error("%s", err);
			}
			ch_hvo_key_set(ch_memmap_key(&mm, o.key));
			for (i = 0; i < CH_NR_VARIANTS; i++) {
				const struct ch_variant *v = &ch_variants[i];

				if (v->encoding != e || !wanted(&o, v, l))
					continue;
				total_bad += verify_variant(&mm, v, &res[i][l]);
			}
			ch_hvo_key_set(false);
			ch_memmap_destroy(&mm);
		}
	}
	ch_folios_free(&fs);
	printf("%s\n", total_bad ? "MISMATCHES FOUND" :
	       "all struct pages resolved to their true head");
	return total_bad ? 1 : 0;
}
