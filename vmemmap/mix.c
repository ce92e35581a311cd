// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmemmap/mix.h"
#include "lib/units.h"
#include "lib/util.h"
#include "page/page.h"
#include "lib/scnprintf.h"

const struct ch_mix_preset ch_mix_presets[] = {
	{ "order0", "0:100", "order-0 pages only (no compound folios)" },
	{ "thp", "9:100", "2 MiB THP (order 9) only" },
	{ "hugetlb-2m", "h9:100", "2 MiB HugeTLB only" },
	{ "hugetlb-1g", "h18:100", "1 GiB HugeTLB only" },
	{ "mixed", "0:40,2:5,4:10,9:25,h9:20",
	  "order-0, mTHP (16K, 64K), THP and 2 MiB HugeTLB" },
	{ "kmixed", "0:40,9:30,h9:30",
	  "order-0, THP and 2 MiB HugeTLB: what chbench kernel can ask for" },
};
const int ch_nr_mix_presets = ARRAY_SIZE(ch_mix_presets);

static int mix_err(char *err, size_t len, const char *s, const char *why)
{
	snprintf(err, len,
		 "--mix '%.*s%s': %s; valid: a preset (order0, thp, hugetlb-2m, hugetlb-1g, mixed, kmixed) or [h]ORDER:PERCENT,... with orders 0-%d summing to 100, e.g. 0:50,9:30,h9:20",
		 CH_ECHO_MAX, s, ch_echo_more(s), why, CH_MAX_ORDER);
	return -EINVAL;
}

static int parse_class(const char *tok, struct ch_mix_class *c)
{
	unsigned long order, pct;
	char *end;

	c->hugetlb = *tok == 'h';
	if (c->hugetlb)
		tok++;
	if (!isdigit((unsigned char)*tok))
		return -1;
	order = strtoul(tok, &end, 10);
	if (*end != ':' || !isdigit((unsigned char)end[1]))
		return -1;
	pct = strtoul(end + 1, &end, 10);
	if (*end || order > CH_MAX_ORDER || pct > 100)
		return -1;
	c->order = order;
	c->percent = pct;
	return 0;
}

static int parse_spec(const char *s, struct ch_mix *mix, char *err,
		      size_t len)
{
	char buf[256], *tok, *save;
	unsigned int sum = 0;
	size_t off = 0;
	int i, j;

	if (strlen(s) >= sizeof(buf) || !*s)
		return mix_err(err, len, s, "empty or too long");
	if (*s == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,"))
		return mix_err(err, len, s, "empty class");
	strcpy(buf, s);
	mix->nr = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		struct ch_mix_class *c = &mix->cls[mix->nr];
		char why[96];

		if (mix->nr == CH_MIX_MAX_CLASSES)
			return mix_err(err, len, s, "more than 16 classes");
		if (parse_class(tok, c)) {
			snprintf(why, sizeof(why), "bad class '%.32s'", tok);
			return mix_err(err, len, s, why);
		}
		if (c->hugetlb && !c->order) {
			snprintf(why, sizeof(why),
				 "'%s': HugeTLB folios have order >= 1", tok);
			return mix_err(err, len, s, why);
		}
		for (j = 0; j < mix->nr; j++) {
			if (mix->cls[j].order == c->order &&
			    mix->cls[j].hugetlb == c->hugetlb) {
				snprintf(why, sizeof(why),
					 "class '%s' given twice", tok);
				return mix_err(err, len, s, why);
			}
		}
		sum += c->percent;
		mix->nr++;
	}
	if (sum != 100) {
		char why[64];

		snprintf(why, sizeof(why), "percentages sum to %u, not 100",
			 sum);
		return mix_err(err, len, s, why);
	}
	for (i = 0; i < mix->nr; i++)
		off += scnprintf(mix->spec + off, sizeof(mix->spec) - off,
				 "%s%s%u:%u", i ? "," : "",
				 mix->cls[i].hugetlb ? "h" : "",
				 mix->cls[i].order, mix->cls[i].percent);
	return 0;
}

int ch_mix_parse(const char *s, struct ch_mix *mix, char *err, size_t len)
{
	int i, ret;

	memset(mix, 0, sizeof(*mix));
	for (i = 0; i < ch_nr_mix_presets; i++) {
		if (!strcmp(s, ch_mix_presets[i].name)) {
			ret = parse_spec(ch_mix_presets[i].spec, mix, err, len);
			snprintf(mix->name, sizeof(mix->name), "%s", s);
			return ret;
		}
	}
	if (!strchr(s, ':'))
		return mix_err(err, len, s, "unknown preset");
	ret = parse_spec(s, mix, err, len);
	if (!ret)
		snprintf(mix->name, sizeof(mix->name), "%s", mix->spec);
	return ret;
}

unsigned int ch_mix_max_order(const struct ch_mix *mix)
{
	unsigned int o = 0;
	int i;

	for (i = 0; i < mix->nr; i++)
		if (mix->cls[i].percent && mix->cls[i].order > o)
			o = mix->cls[i].order;
	return o;
}

bool ch_mix_has_hugetlb(const struct ch_mix *mix)
{
	int i;

	for (i = 0; i < mix->nr; i++)
		if (mix->cls[i].hugetlb && mix->cls[i].percent)
			return true;
	return false;
}
