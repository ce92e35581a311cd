/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory price of each vmemmap layout: the bytes of struct pages that
 * are real memory when all of RAM is HugeTLB folios of one size. It is
 * the reviewers' question "why not remap to two pages instead of one?"
 * in numbers: hvo-2page keeps 2 of every folio's vmemmap pages, the
 * fake-head and shared-tail layouts keep 1.
 *
 * Two independent answers that must agree: arithmetic from the layouts'
 * definitions, and the resident bytes (memfd blocks) of the emulated
 * vmemmap at a smaller size, scaled up. All of RAM is one zone: the
 * kernel keeps one shared tail page per zone and order, the emulation
 * (with no zones) one per order. That page does not scale with RAM, so
 * the scaled measurement of hvo-shared-tail is high by (scale - 1)
 * pages: that is the tolerance.
 */
#ifndef CH_FOOTPRINT_H
#define CH_FOOTPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "page/layout.h"

#define CH_FP_RAM		(1ULL << 40)	/* figures are per 1 TiB */
#define CH_FP_DEFAULT_MEM	(8ULL << 30)	/* measured at 8 GiB */

/* The HugeTLB sizes priced: 2 MiB and 1 GiB. */
struct ch_fp_size {
	const char *name;	/* "2 MiB" */
	unsigned int order;
};

#define CH_FP_NR_SIZES	2
extern const struct ch_fp_size ch_fp_sizes[CH_FP_NR_SIZES];

struct ch_fp_row {
	enum ch_layout layout;
	uint64_t arith;		/* per CH_FP_RAM, by arithmetic */
	uint64_t raw;		/* resident bytes at the measured size */
	uint64_t raw_arith;	/* what arithmetic says for that size */
	uint64_t measured;	/* raw scaled to CH_FP_RAM */
	int64_t diff;		/* measured - arith */
	uint64_t tolerance;	/* the shared tail pages, scaled */
	bool agree;
};

struct ch_fp_table {
	const struct ch_fp_size *size;
	uint64_t mem;		/* the measured size */
	uint64_t scale;		/* CH_FP_RAM / mem */
	struct ch_fp_row row[CH_NR_LAYOUTS];
	bool agree;
};

/*
 * Vmemmap bytes that are real memory for @ram bytes of RAM, all of it
 * HugeTLB folios of @order (any remainder as order-0 pages), with HVO
 * layout @l, all of it one zone (hvo-shared-tail: plus that zone's one
 * shared tail page for @order).
 */
uint64_t ch_fp_arith(enum ch_layout l, unsigned int order, uint64_t ram);

/*
 * Build the emulated vmemmap for @mem of all-HugeTLB order-@order RAM
 * with layout @l and return its resident bytes and shared tail pages.
 * 0, or a negative errno with a one-line message (the same as chbench
 * verify gives).
 */
int ch_fp_measure(enum ch_layout l, unsigned int order, uint64_t mem,
		  uint64_t *resident, uint64_t *nr_shared, char *err,
		  size_t len);

/*
 * Fill @t for @size measured at @mem. With @shrink, a @mem that does not
 * fit (vm.max_map_count, memory) is halved until it does, each step
 * noted on stderr. 0, or a negative errno with a one-line message
 * (-EINVAL: a @mem that does not suit @size).
 */
int ch_fp_table(struct ch_fp_table *t, const struct ch_fp_size *size,
		uint64_t mem, bool shrink, char *err, size_t len);

/*
 * Print ch_fp_json() of @t on stdout (report/footprint_json.c); 0, or
 * -EIO. Weak: NULL in chbench-verify, which links no JSON library.
 */
int ch_fp_print_json(const struct ch_fp_table *t, int nr, bool agree)
	__attribute__((weak));

/* "2 GiB + 4 KiB": exact, for sizes that are whole KiB. */
const char *ch_fp_fmt(int64_t bytes, char *buf, size_t len);

#endif /* CH_FOOTPRINT_H */
