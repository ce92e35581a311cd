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

/*
 * The checked scenario of run's options @o, parsed by the command @cmd
 * with @argc arguments @argv left over (-1: it failed). 0, or 2 after a
 * message.
 */
int ch_run_scenario(const char *cmd, const struct ch_opts *o,
		    struct ch_scenario *sc, int argc, char **argv);

/* run's and sim's first options, as --help lists them */
#define CH_RUN_OPTIONS							\
	OPT_PARENT("variant", .required = true),			\
	OPT_PARENT("layout", .def = "none"),				\
	OPT_PARENT("mix"), OPT_PARENT("mem"), OPT_PARENT("seed"),	\
	OPT_PARENT("key"), OPT_PARENT("walk"), OPT_PARENT("shape"),	\
	OPT_PARENT("pick"), OPT_PARENT("tail-fraction"),		\
	OPT_PARENT("ops"), OPT_PARENT("cpu")
/* run's JSON object with the parameter fields only, no ops */
json_t *ch_run_json_params(const struct ch_scenario *sc,
			   const struct ch_prepared *p, int cpu);

#endif /* CH_RUN_H */
