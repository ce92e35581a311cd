/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The footprint figures as JSON (report/footprint_json.c): in the full
 * chbench only, as jansson is.
 */
#ifndef CH_FOOTPRINT_JSON_H
#define CH_FOOTPRINT_JSON_H

#include "inspect/footprint.h"
#include "report/json.h"

/*
 * What 'chbench footprint --json' prints for @nr tables: per HugeTLB
 * size and layout the bytes by arithmetic and measured, each also as
 * text ("2 GiB + 4 KiB"), and the share saved against none.
 */
json_t *ch_fp_json(const struct ch_fp_table *t, int nr, bool agree);
/* The same document, arithmetic alone: nothing is measured. */
json_t *ch_fp_json_arith(void);

#endif /* CH_FOOTPRINT_JSON_H */
