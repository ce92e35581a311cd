// SPDX-License-Identifier: GPL-2.0
/* --events: the comma list, and each name through libpfm4's encoder */
#include <linux/perf_event.h>

#include "bench/pmu.h"
#include "bench/pmu_events.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ch_pmu_req req[CH_PMU_MAX_EVENTS];
	char *s = fuzz_str(data, size), err[512];
	static int pfm_ok = -1;
	int nr, i;

	if (pfm_ok < 0)
		pfm_ok = !ch_pmu_pfm_init();
	if (!ch_pmu_parse_events(s, req, &nr, err, sizeof(err))) {
		if (nr < 1 || nr > CH_PMU_MAX_EVENTS)
			abort();
		for (i = 0; pfm_ok && i < nr; i++) {
			struct perf_event_attr attr;

			ch_pmu_encode(&req[i], &attr, err, sizeof(err));
		}
	}
	free(s);
	return 0;
}
