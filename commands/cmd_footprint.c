// SPDX-License-Identifier: GPL-2.0
/*
 * chbench footprint: the vmemmap each layout keeps per 1 TiB of RAM, all
 * of it 2 MiB or all of it 1 GiB HugeTLB, by arithmetic and measured on
 * the emulation. Exit 0 when they agree, 1 when they do not, 2 on bad
 * input or when nothing could be measured.
 */
#include <inttypes.h>
#include <stdio.h>

#include "commands/cmds.h"
#include "inspect/footprint.h"
#include "vmemmap/memmap.h"
#include "commands/opts.h"
#include "lib/units.h"
#include "page/page.h"
#include "commands/exit.h"

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static uint64_t folios_per_ram(const struct ch_fp_size *size)
{
	return (uint64_t)(CH_FP_RAM / (CH_PAGE_SIZE << size->order));
}

static void print_table(const struct ch_fp_table *t)
{
	const struct ch_fp_row *none = &t->row[CH_LAYOUT_NONE];
	const struct ch_fp_row *two = &t->row[CH_LAYOUT_HVO_2PAGE];
	const struct ch_fp_row *one = &t->row[CH_LAYOUT_HVO_FAKE_HEAD];
	char a[48], m[48], d[48], f[32], s[32];
	int l;

	printf("\n%s HugeTLB: %" PRIu64 " folios per TiB; measured at --mem %s, x%" PRIu64 "\n",
	       t->size->name, folios_per_ram(t->size),
	       ch_fmt_size(t->mem, s, sizeof(s)), t->scale);
	printf("  %-16s %-15s %-15s %-10s %s\n", "layout", "arithmetic",
	       "measured", "difference", "freed vs none");
	for (l = 0; l < CH_NR_LAYOUTS; l++) {
		const struct ch_fp_row *r = &t->row[l];
		uint64_t freed = none->arith - r->arith;

		/* exact figures are in the other columns */
		if (!r->diff)
			snprintf(d, sizeof(d), "0");
		else
			snprintf(d, sizeof(d), "%c%s", r->diff > 0 ? '+' : '-',
				 ch_fmt_bytes(r->diff > 0 ? r->diff : -r->diff,
					      m, sizeof(m)));
		printf("  %-16s %-15s %-15s %-10s %8s %6.2f%%",
		       ch_layouts[l].name, ch_fp_fmt(r->arith, a, sizeof(a)),
		       ch_fp_fmt(r->measured, m, sizeof(m)), d,
		       ch_fmt_bytes(freed, f, sizeof(f)),
		       pct(freed, none->arith));
		printf("%s\n", r->agree ? (r->diff ? " *" : "") : " !");
		if (!r->agree)
			printf("  ! MISMATCH: at --mem %s, %" PRIu64 " B resident but %" PRIu64 " B by arithmetic\n",
			       s, r->raw, r->raw_arith);
	}
	if (t->row[CH_LAYOUT_HVO_SHARED_TAIL].diff)
		printf("  * the zone's one shared tail page, which does not grow with RAM,\n"
		       "    scaled x%" PRIu64 " with the rest\n", t->scale);
	printf("  Remapping to two pages (hvo-2page) instead of one keeps %s\n"
	       "  more per TiB: %.2f%% of the unoptimized vmemmap.\n",
	       ch_fp_fmt(two->arith - one->arith, a, sizeof(a)),
	       pct(two->arith - one->arith, none->arith));
}

const struct ch_cmd_help ch_footprint_help = {
	.usage = (const char *const []){ "footprint [--mem SIZE] [--json]",
					 NULL },
	.summary = "vmemmap bytes per TiB for each layout: arithmetic and measured",
};

int cmd_footprint(int argc, char **argv)
{
	struct ch_fp_table t[CH_FP_NR_SIZES];
	bool agree = true, mem_given = false;
	const struct ch_option options[] = {
		OPT_PARENT("mem", .seen = &mem_given,
			   .help = "the RAM measured; unless given, halved until it fits"),
		OPT_PARENT("json"),
		OPT_END(),
	};
	struct ch_opts o;
	char err[512];
	int i;

	ch_opts_init(&o, NULL, CH_FP_DEFAULT_MEM);
	argc = ch_parse_options(argc, argv, options, &o, &ch_footprint_help);
	if (argc < 0)
		return 2;
	if (argc)
		return ch_usage_error("footprint: unexpected argument '%s'",
				      argv[0]);

	/* a limit's advice must be a size footprint takes */
	ch_memmap_advice_min = CH_PAGE_SIZE <<
			       ch_fp_sizes[CH_FP_NR_SIZES - 1].order;
	/* the largest HugeTLB size binds: name its range at once */
	for (i = 0; i < CH_FP_NR_SIZES; i++) {
		uint64_t folio = CH_PAGE_SIZE << ch_fp_sizes[i].order;

		if (o.mem < folio || o.mem % folio || CH_FP_RAM % o.mem) {
			char a[32], b[32];

			return ch_usage_error("footprint: --mem %s: give a power of two from %s (a %s HugeTLB folio) to 1T",
					      ch_fmt_size(o.mem, a, sizeof(a)),
					      ch_fmt_size(CH_PAGE_SIZE <<
						ch_fp_sizes[CH_FP_NR_SIZES - 1].order,
						b, sizeof(b)),
					      ch_fp_sizes[CH_FP_NR_SIZES - 1].name);
		}
	}
	for (i = 0; i < CH_FP_NR_SIZES; i++) {
		/* an explicit --mem is taken as given */
		if (ch_fp_table(&t[i], &ch_fp_sizes[i], o.mem,
				!mem_given, err, sizeof(err)))
			return ch_usage_error("%s", err);
		agree &= t[i].agree;
	}

	if (o.json)
		return ch_exit_status(ch_fp_print_json(t, CH_FP_NR_SIZES,
						       agree)) ?: agree ? 0 : 1;
	printf("Vmemmap that is real memory, per 1 TiB of RAM that is all HugeTLB of\n"
	       "one size (struct page %zu B, %lu KiB pages), in one zone: hvo-shared-tail\n"
	       "keeps one shared tail page per zone and order, as the kernel does, so\n"
	       "each further zone holding such folios adds %lu KiB. Measured: the\n"
	       "resident bytes (memfd blocks) of the emulated vmemmap, scaled up.\n",
	       sizeof(struct page), CH_PAGE_SIZE >> 10, CH_PAGE_SIZE >> 10);
	for (i = 0; i < CH_FP_NR_SIZES; i++)
		print_table(&t[i]);
	printf("\n%s\n", agree ? "arithmetic and measurement agree" :
	       "ARITHMETIC AND MEASUREMENT DISAGREE");
	return agree ? 0 : 1;
}
