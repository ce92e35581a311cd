// SPDX-License-Identifier: GPL-2.0
/*
 * chbench run: one fixed-work measurement, no calibration. It runs the
 * walk once (--ops lookups), times it and reads the counters around it,
 * and says how many ops it did, so perf stat's totals can be divided.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harness/cmds.h"
#include "harness/opts.h"
#include "harness/perfctl.h"
#include "harness/pmu.h"
#include "harness/run.h"
#include "harness/scenario.h"
#include "harness/sysinfo.h"
#include "harness/units.h"

#define CH_RUN_OPTS	(CH_O_VARIANT | CH_O_LAYOUT | CH_O_MIX | CH_O_MEM | \
			 CH_O_SEED | CH_O_KEY | CH_O_WALK | CH_O_SHAPE |     \
			 CH_O_PICK | CH_O_TAILFRAC | CH_O_OPS | CH_O_CPU |   \
			 CH_O_EVENTS | CH_O_JSON | CH_O_CONTROL)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Every page of the vmemmap, real and aliased, is in the page tables. */
static uint64_t prefault(const struct ch_memmap *mm)
{
	const volatile char *p = (const volatile char *)mm->base;
	uint64_t sum = 0;
	size_t off;

	for (off = 0; off < mm->map_len; off += CH_PAGE_SIZE)
		sum += p[off];
	return sum;
}

int ch_run_parse(struct ch_opts *o, struct ch_scenario *sc, int argc,
		 char **argv)
{
	char err[512];

	if (ch_opts_parse(o, argc, argv, CH_RUN_OPTS, "mixed", 4ULL << 30))
		return 2;
	if (o->argc)
		return ch_usage_error("%s: unexpected argument '%s'", argv[0],
				      o->argv[0]);
	if (!(o->given & CH_O_VARIANT))
		return ch_usage_error("%s: --variant is required; valid: %s",
				      argv[0], ch_variant_list());
	ch_scenario_from_opts(sc, o);
	sc->layout = o->layout < 0 ? CH_LAYOUT_NONE : o->layout;
	/* everything knowable now, before any warning or work */
	if (ch_scenario_validate(sc, err, sizeof(err)))
		return ch_usage_error("%s", err);
	return 0;
}

void ch_run_json_params(FILE *out, const struct ch_scenario *sc,
			const struct ch_prepared *p, int cpu)
{
	char m[32];

	fprintf(out, "\"variant\": ");
	ch_json_str(out, sc->variant->name);
	fprintf(out, ", \"shape\": \"%s\", \"layout\": \"%s\", \"mix\": ",
		ch_shape_names[sc->shape], ch_layouts[sc->layout].name);
	ch_json_str(out, sc->mix.name);
	fprintf(out, ", \"mix_spec\": \"%s\", \"mem\": \"%s\"",
		sc->mix.spec, ch_fmt_size(sc->mem, m, sizeof(m)));
	fprintf(out, ", \"walk\": \"%s\", \"pick\": \"%s\"",
		ch_walk_names[sc->walk.kind], ch_pick_names[sc->walk.pick]);
	if (sc->walk.tail_fraction >= 0)
		fprintf(out, ", \"tail_fraction\": %g",
			sc->walk.tail_fraction);
	else
		fprintf(out, ", \"tail_fraction\": null");
	fprintf(out, ", \"seed\": %" PRIu64 ", \"key\": \"%s\"", sc->seed,
		p->key ? "on" : "off");
	if (cpu >= 0)
		fprintf(out, ", \"cpu\": %d", cpu);
	else
		fprintf(out, ", \"cpu\": null");
	fprintf(out, ", \"walk_function\": \"%s\", \"ops\": %zu",
		p->wf->sym, p->n);
}

int cmd_run(int argc, char **argv)
{
	struct ch_scenario sc;
	struct ch_prepared p;
	struct ch_perfctl pc;
	struct ch_sysinfo si;
	struct ch_pmu pmu;
	struct ch_opts o;
	uint64_t t0, t1, sum;
	char err[512], name[256];
	double ns;
	int i, ret;

	ret = ch_run_parse(&o, &sc, argc, argv);
	if (ret)
		return ret;
	if (o.cpu >= 0 && ch_pin_cpu(o.cpu, err, sizeof(err)))
		return ch_usage_error("%s", err);
	if (ch_perfctl_open(&pc, o.control, err, sizeof(err)))
		return ch_usage_error("%s", err);
	if (ch_pmu_open(&pmu, o.events, err, sizeof(err)))
		return ch_usage_error("%s", err);
	ch_sysinfo_read(&si, o.cpu);
	ch_sysinfo_warn(&si, stderr);

	ret = ch_scenario_prepare(&sc, &p, err, sizeof(err));
	if (ret) {
		ch_pmu_close(&pmu);
		return ch_usage_error("%s", err);
	}
	sum = prefault(p.mm);

	/* nothing but the walk between enable and disable */
	ch_perfctl_enable(&pc);
	ch_pmu_start(&pmu);
	t0 = now_ns();
	sum += ch_prepared_run(&p);
	t1 = now_ns();
	ch_pmu_stop(&pmu);
	ch_perfctl_disable(&pc);
	ch_perfctl_close(&pc);
	ns = (double)(t1 - t0) / p.n;

	if (o.json) {
		printf("{");
		ch_run_json_params(stdout, &sc, &p, o.cpu);
		printf(", \"ns_per_op\": %.4f, \"counters\": {", ns);
		for (i = 0; i < pmu.nr; i++) {
			printf("%s", i ? ", " : "");
			ch_json_str(stdout, pmu.ev[i].name);
			if (isnan(pmu.ev[i].value))
				printf(": null");
			else
				printf(": %.6f", pmu.ev[i].value / p.n);
		}
		printf("}, \"counters_note\": ");
		ch_json_str(stdout, pmu.why);
		printf(", \"checksum\": %" PRIu64 ", \"system\": ", sum);
		ch_sysinfo_json(&si, stdout);
		printf("}\n");
	} else {
		printf("%s\n", ch_scenario_name(&sc, name, sizeof(name)));
		printf("  %-24s %zu\n", "ops", p.n);
		printf("  %-24s %.3f\n", "ns/op", ns);
		for (i = 0; i < pmu.nr; i++) {
			char label[80];

			snprintf(label, sizeof(label), "%s/op",
				 pmu.ev[i].name);
			if (isnan(pmu.ev[i].value))
				printf("  %-24s n/a\n", label);
			else
				printf("  %-24s %.4f (running %.0f%%)\n", label,
				       pmu.ev[i].value / p.n,
				       100.0 * pmu.ev[i].running_frac);
		}
		if (pmu.why[0])
			printf("  counters: %s\n", pmu.why);
		printf("  checksum %" PRIu64 ", key %s, %s\n", sum,
		       p.key ? "on" : "off", p.wf->sym);
	}
	ch_pmu_close(&pmu);
	ch_scenario_cache_drop();
	return 0;
}
