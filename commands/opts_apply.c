// SPDX-License-Identifier: GPL-2.0
/*
 * What the parsed options say to the layers below, which know nothing of
 * struct ch_opts: a scenario (run, kernel run) and a bench run's settings
 * (bench, kernel bench, kernel paths, the sweeps).
 */
#include <string.h>

#include "bench/bench.h"
#include "commands/opts.h"
#include "vmemmap/scenario.h"

void ch_scenario_from_opts(struct ch_scenario *sc, const struct ch_opts *o)
{
	memset(sc, 0, sizeof(*sc));
	sc->variant = o->variant;
	sc->shape = o->shape;
	sc->key = o->key;
	sc->mix = o->mix;
	sc->mem = o->mem;
	sc->seed = o->seed;
	sc->walk.kind = o->walk;
	sc->walk.pick = o->pick;
	sc->walk.tail_fraction = o->tail_fraction;
	sc->walk.ops = o->ops;
	sc->walk.seed = o->seed;
}

void ch_bench_opts_set(struct ch_bench_opts *bo, const struct ch_opts *o,
		       int argc, char **argv, char **gb_argv)
{
	bo->quick = o->quick;
	bo->cpu = o->cpu;
	bo->events = o->events;
	bo->out = o->out;
	bo->instances = o->instances ? o->instances :
			o->quick ? CH_INSTANCES_QUICK : CH_INSTANCES;
	bo->reps = o->reps ? o->reps : o->quick ? CH_REPS_QUICK : CH_REPS;
	bo->reseed = o->reseed;
	bo->quiet = o->quiet;
	bo->allow_concurrent = o->allow_concurrent;
	bo->control = true;
	bo->argc = argc;
	bo->argv = argv;
	bo->gb_argv = gb_argv;
	bo->backend = NULL;
}
