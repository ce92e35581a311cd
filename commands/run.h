/* SPDX-License-Identifier: GPL-2.0 */
/* What chbench run shares with chbench sim. */
#ifndef CH_RUN_H
#define CH_RUN_H

#include <stdio.h>

#include "report/json.h"
#include "commands/opts.h"
#include "vmemmap/scenario.h"

/* run's --mix and --mem when not given; sim's too */
#define CH_RUN_MIX	"mixed"
#define CH_RUN_MEM	(4ULL << 30)

/* parse run's options into a checked scenario; 0 or 2 (message printed) */
int ch_run_parse(struct ch_opts *o, struct ch_scenario *sc, int argc,
		 char **argv);
/* run's JSON object with the parameter fields only, no ops */
json_t *ch_run_json_params(const struct ch_scenario *sc,
			   const struct ch_prepared *p, int cpu);

#endif /* CH_RUN_H */
