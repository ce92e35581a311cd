// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmemmap/folios.h"
#include "inspect/footprint.h"
#include "vmemmap/memmap.h"
#include "vmemmap/mix.h"
#include "lib/units.h"
#include "page/page.h"
#include "lib/scnprintf.h"

const struct ch_fp_size ch_fp_sizes[CH_FP_NR_SIZES] = {
	{ "2 MiB", 9 },
	{ "1 GiB", 18 },
};

/*
 * Vmemmap pages an optimized folio keeps, from the layouts' definitions
 * (Documentation/chbench-design.txt, the layouts), deliberately not from ch_layouts[]:
 * this is the check on the emulation, not a restatement of it.
 */
static uint64_t kept_pages(enum ch_layout l, uint64_t vmemmap_pages)
{
	switch (l) {
	case CH_LAYOUT_HVO_2PAGE:
		/* pages 0 and 1 real, 2..N-1 alias page 1 */
		return 2;
	case CH_LAYOUT_HVO_FAKE_HEAD:
		/* page 0 real, 1..N-1 alias it */
		return 1;
	case CH_LAYOUT_HVO_SHARED_TAIL:
		/* page 0 real, 1..N-1 alias its zone and order's tail page */
		return 1;
	default:
		return vmemmap_pages;
	}
}

uint64_t ch_fp_arith(enum ch_layout l, unsigned int order, uint64_t ram)
{
	uint64_t folio = CH_PAGE_SIZE << order;
	uint64_t nr = ram / folio;
	uint64_t per_folio = (folio / CH_PAGE_SIZE) * sizeof(struct page) /
			     CH_PAGE_SIZE;
	uint64_t rest = (ram - nr * folio) / CH_PAGE_SIZE *
			sizeof(struct page);
	uint64_t keep = kept_pages(l, per_folio), bytes;

	/* like hugetlb_vmemmap_optimizable(): only if something is freed */
	if (keep >= per_folio)
		keep = per_folio;
	bytes = nr * keep * CH_PAGE_SIZE;
	/* the rest of the memmap is real; the kernel maps it in pages */
	bytes += (rest + CH_PAGE_SIZE - 1) / CH_PAGE_SIZE * CH_PAGE_SIZE;
	/*
	 * One shared tail page per zone and order, as the kernel keeps them
	 * (zone->vmemmap_tails[]); all of @ram is one zone here, so another
	 * zone holding optimized folios of this order adds one page more.
	 */
	if (l == CH_LAYOUT_HVO_SHARED_TAIL && nr && keep < per_folio)
		bytes += CH_PAGE_SIZE;
	return bytes;
}

int ch_fp_measure(enum ch_layout l, unsigned int order, uint64_t mem,
		  uint64_t *resident, uint64_t *nr_shared, char *err,
		  size_t len)
{
	enum ch_encoding enc = l == CH_LAYOUT_HVO_SHARED_TAIL ?
			       CH_ENC_MASK : CH_ENC_POINTER;
	struct ch_folios fs;
	struct ch_memmap mm;
	struct ch_mix mix;
	char spec[16];
	int ret;

	snprintf(spec, sizeof(spec), "h%u:100", order);
	ret = ch_mix_parse(spec, &mix, err, len);
	if (!ret)
		ret = ch_folios_build(&fs, &mix, mem, 1, err, len);
	if (ret)
		return ret;
	ret = ch_memmap_create(&mm, &fs, l, enc, err, len);
	if (!ret) {
		*resident = mm.fp.resident;
		*nr_shared = mm.nr_shared;
		ch_memmap_destroy(&mm);
	}
	ch_folios_free(&fs);
	return ret;
}

static int measure_all(struct ch_fp_table *t, char *err, size_t len)
{
	int l, ret;

	t->scale = CH_FP_RAM / t->mem;
	t->agree = true;
	for (l = 0; l < CH_NR_LAYOUTS; l++) {
		struct ch_fp_row *r = &t->row[l];
		uint64_t shared = 0;

		memset(r, 0, sizeof(*r));
		r->layout = l;
		r->arith = ch_fp_arith(l, t->size->order, CH_FP_RAM);
		r->raw_arith = ch_fp_arith(l, t->size->order, t->mem);
		ret = ch_fp_measure(l, t->size->order, t->mem, &r->raw,
				    &shared, err, len);
		if (ret)
			return ret;
		r->measured = r->raw * t->scale;
		r->diff = (int64_t)(r->measured - r->arith);
		r->tolerance = (t->scale - 1) * shared * CH_PAGE_SIZE;
		/* exact at the measured size; within the rounding scaled */
		r->agree = r->raw == r->raw_arith &&
			   (uint64_t)(r->diff < 0 ? -r->diff : r->diff) <=
			   r->tolerance;
		t->agree &= r->agree;
	}
	return 0;
}

int ch_fp_table(struct ch_fp_table *t, const struct ch_fp_size *size,
		uint64_t mem, bool shrink, char *err, size_t len)
{
	uint64_t folio = CH_PAGE_SIZE << size->order;
	char a[32], b[32];
	int ret;

	memset(t, 0, sizeof(*t));
	t->size = size;
	if (mem < folio || mem % folio || CH_FP_RAM % mem) {
		snprintf(err, len,
			 "footprint: --mem %s: the %s HugeTLB figures need a power of two from %s to 1T",
			 ch_fmt_size(mem, a, sizeof(a)), size->name,
			 ch_fmt_size(folio, b, sizeof(b)));
		return -EINVAL;
	}
	for (;;) {
		t->mem = mem;
		ret = measure_all(t, err, len);
		if (!ret || !shrink || mem / 2 < folio)
			return ret;
		fprintf(stderr, "chbench: footprint: %s; measuring %s HugeTLB at --mem %s instead\n",
			err, size->name, ch_fmt_size(mem / 2, a, sizeof(a)));
		mem /= 2;
	}
}

const char *ch_fp_fmt(int64_t bytes, char *buf, size_t len)
{
	static const char *const unit[] = { "TiB", "GiB", "MiB", "KiB", "B" };
	uint64_t v = bytes < 0 ? -(uint64_t)bytes : (uint64_t)bytes;
	size_t off = 0;
	int i;

	if (!v) {
		snprintf(buf, len, "0");
		return buf;
	}
	if (bytes < 0)
		off += scnprintf(buf, len, "-");
	for (i = 0; i < 5 && off < len; i++) {
		unsigned int shift = 10 * (4 - i);
		uint64_t part = v >> shift;

		if (!part)
			continue;
		v -= part << shift;
		off += scnprintf(buf + off, len - off, "%s%" PRIu64 " %s",
				 off > (bytes < 0) ? " + " : "", part, unit[i]);
	}
	return buf;
}
