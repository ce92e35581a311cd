// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "page/layout.h"

const struct ch_layout_info ch_layouts[CH_NR_LAYOUTS] = {
	[CH_LAYOUT_NONE] = {
		.name = "none",
		.desc = "every struct page is real memory (THP, mTHP, no HVO)",
	},
	[CH_LAYOUT_HVO_2PAGE] = {
		.name = "hvo-2page",
		.desc = "HVO 2021: vmemmap pages 2..N-1 alias page 1",
		.private_pages = 2,
	},
	[CH_LAYOUT_HVO_FAKE_HEAD] = {
		.name = "hvo-fake-head",
		.desc = "HVO 2021-2026: pages 1..N-1 alias page 0 (fake heads)",
		.private_pages = 1,
	},
	[CH_LAYOUT_HVO_SHARED_TAIL] = {
		.name = "hvo-shared-tail",
		.desc = "HVO 2026: pages 1..N-1 alias one shared tail page",
		.private_pages = 1,
		.shared = true,
	},
};

int ch_layout_find(const char *name)
{
	int i;

	for (i = 0; i < CH_NR_LAYOUTS; i++)
		if (!strcmp(name, ch_layouts[i].name))
			return i;
	return -1;
}

const char *ch_layout_list(void)
{
	return "none, hvo-2page, hvo-fake-head, hvo-shared-tail";
}
