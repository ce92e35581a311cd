/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Folio mixes: which folio orders fill the simulated RAM, in what share.
 * A spec is a comma list of [h]ORDER:PERCENT, e.g. 0:50,4:10,9:20,h9:15,h18:5
 * where h marks HugeTLB. Only HugeTLB folios are ever HVO-optimized.
 */
#ifndef CH_MIX_H
#define CH_MIX_H

#include <stdbool.h>
#include <stddef.h>

#define CH_MIX_MAX_CLASSES	16

struct ch_mix_class {
	unsigned int order;
	bool hugetlb;
	unsigned int percent;
};

struct ch_mix {
	char name[128];			/* preset name, or the spec itself */
	char spec[128];			/* canonical spec */
	int nr;
	struct ch_mix_class cls[CH_MIX_MAX_CLASSES];
};

struct ch_mix_preset {
	const char *name;
	const char *spec;
	const char *desc;
};

extern const struct ch_mix_preset ch_mix_presets[];
extern const int ch_nr_mix_presets;

/* A preset name or a spec; 0, or -EINVAL with a one-line message. */
int ch_mix_parse(const char *s, struct ch_mix *mix, char *err, size_t len);
unsigned int ch_mix_max_order(const struct ch_mix *mix);
bool ch_mix_has_hugetlb(const struct ch_mix *mix);

#endif /* CH_MIX_H */
