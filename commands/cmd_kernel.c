// SPDX-License-Identifier: GPL-2.0
/*
 * chbench kernel verify | run | bench: the kernel-side instrument. The
 * same mixes, walks and options as the emulation's commands, run through
 * chbench.ko on the running kernel's own compound_head() and vmemmap.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "commands/cmds.h"
#include "kernel/kcase.h"
#include "commands/opts.h"
#include "bench/pmu.h"
#include "report/sysinfo.h"
#include "lib/units.h"
#include "lib/util.h"
#include "lib/scnprintf.h"
#include "commands/exit.h"

/* Order-0, THP and HugeTLB 2 MiB: what any kernel with HugeTLB can give. */
#define CH_KMIX_DEFAULT		"kmixed"
#define CH_KMEM_DEFAULT		(64ULL << 20)

static int kmix(struct ch_opts *o, const char *cmd)
{
	char err[512];

	if (ch_kmix_check(&o->mix, err, sizeof(err)))
		return ch_usage_error("kernel %s: %s", cmd, err);
	return 0;
}

static const struct ch_cmd_help kverify_help = {
	.usage = (const char *const []){ "kernel verify [options]", NULL },
	.summary = "every pinned page read raw, against the truth and the emulation",
};

static int cmd_kverify(int argc, char **argv)
{
	struct ch_kmod k;
	struct ch_kmem km;
	static const struct ch_option options[] = {
		OPT_PARENT("mix"), OPT_PARENT("mem"), OPT_PARENT("seed"),
		OPT_PARENT("hvo"),
		OPT_END(),
	};
	struct ch_opts o;
	char err[512];
	int ret;

	if (ch_opts_init(&o, CH_KMIX_DEFAULT, CH_KMEM_DEFAULT))
		return 2;
	argc = ch_parse_options(argc, argv, options, &o, &kverify_help);
	if (argc < 0)
		return 2;
	if (argc)
		return ch_usage_error("kernel verify: unexpected argument '%s'",
				      argv[0]);
	if (kmix(&o, "verify"))
		return 2;
	if (ch_khvo_check(o.hvo, NULL, err, sizeof(err)))
		return ch_usage_error("kernel verify: %s", err);
	if (ch_kmod_open(&k, err, sizeof(err)))
		return ch_usage_error("%s", err);
	ret = ch_kmem_alloc(&km, &k, &o.mix, o.mem, o.seed, err, sizeof(err));
	if (ret) {
		ch_kmod_close(&k);
		return ch_usage_error("%s", err);
	}
	ret = ch_kverify(&k, &km, o.hvo, stdout);
	ch_kmem_free(&km, &k);
	ch_kmod_close(&k);
	return ch_exit_status(ret);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void krun_print(const struct ch_scenario *sc, const struct ch_kcase *kc,
		       const struct chb_run *r, double wall_ns,
		       const struct ch_pmu *pmu, bool json)
{
	const char *virt = ch_virt_label();
	double ns = (double)r->ns / r->ops;
	char name[256], m[32];
	int i;

	if (json) {
		json_t *ctr = json_object();

		for (i = 0; i < pmu->nr; i++)
			json_object_set_new(ctr, pmu->ev[i].name,
				isnan(pmu->ev[i].value) ? json_null() :
				ch_json_real(pmu->ev[i].value / r->ops,
					     "%.6f"));
		ch_json_print(json_pack(
				"{s:o, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:s, "
				"s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"variant", ch_json_string(sc->variant->name),
			"shape", ch_shape_names[sc->shape],
			"layout", ch_layouts[kc->ks->st.layout].name,
			"mix", ch_json_string(sc->mix.name),
			"mem", ch_fmt_size(sc->mem, m, sizeof(m)),
			"walk", ch_walk_names[sc->walk.kind],
			"pick", ch_pick_names[sc->walk.pick],
			"seed", ch_json_u64(sc->seed),
			"symbol", kc->f->symbol,
			"ops", ch_json_u64(r->ops),
			"ns_per_op", ch_json_real(ns, "%.4f"),
			"wall_ns_per_op",
			ch_json_real(wall_ns / r->ops, "%.4f"),
			"chunks", ch_json_u64(r->chunks),
			"max_irqs_off_ns", ch_json_u64(r->max_chunk_ns),
			"counters", ctr,
			"counters_note", ch_json_string(pmu->why),
			"virtualized", ch_json_str_or_null(virt),
			"checksum", ch_json_u64(r->checksum)), stdout);
		return;
	}
	if (virt)
		printf("TIMINGS FROM %s\n", virt);
	printf("kernel: %s\n", ch_scenario_name(sc, name, sizeof(name)));
	printf("  %-24s %s, %s tails, vmemmap %s\n", "kernel",
	       kc->ks->k.info.release,
	       ch_encoding_name(kc->ks->st.encoding),
	       ch_layouts[kc->ks->st.layout].name);
	printf("  %-24s %llu\n", "ops", (unsigned long long)r->ops);
	printf("  %-24s %.3f\n", "ns/op", ns);
	printf("  %-24s %.3f (the ioctl, end to end)\n", "wall ns/op",
	       wall_ns / r->ops);
	printf("  %-24s %llu of %u ops; longest %llu ns with interrupts off\n",
	       "chunks", (unsigned long long)r->chunks, r->chunk,
	       (unsigned long long)r->max_chunk_ns);
	ch_pmu_print_per_op(pmu, NULL, r->ops, "kernel mode, ");
	printf("  checksum %llu, %s\n", (unsigned long long)r->checksum,
	       kc->f->symbol);
}

/* @variant: --variant's NAME, checked against chbench.ko's table here */
static int ch_kscenario_parse(struct ch_opts *o, const char *variant,
			      struct ch_scenario *sc, const char *cmd)
{
	if (!variant)
		return ch_usage_error("kernel %s: --variant is required; valid: %s (as this kernel's encoding allows)",
				      cmd, ch_kvariant_list());
	ch_scenario_from_opts(sc, o);
	sc->variant = ch_kvariant_find(variant);
	if (!sc->variant)
		return ch_usage_error("kernel %s: unknown variant '%s'; valid: %s (as this kernel's encoding allows)",
				      cmd, variant, ch_kvariant_list());
	return kmix(o, cmd);
}

static const struct ch_cmd_help krun_help = {
	.usage = (const char *const []){ "kernel run --variant NAME [options]",
					 NULL },
	.summary = "one fixed-work measurement in chbench.ko",
};

static int cmd_krun(int argc, char **argv)
{
	struct ch_ksession ks;
	struct ch_scenario sc;
	struct ch_kcase kc;
	struct chb_run r;
	struct ch_pmu pmu;
	const char *variant = NULL;
	struct ch_opts o;
	const struct ch_option options[] = {
		OPT_STRING("variant", "NAME", &variant,
			   "the kernel's own, or a variant", NULL,
			   .valid = ch_kvariant_list, .required = true),
		OPT_PARENT("mix"), OPT_PARENT("mem"), OPT_PARENT("seed"),
		OPT_PARENT("walk"), OPT_PARENT("shape"), OPT_PARENT("pick"),
		OPT_PARENT("tail-fraction"), OPT_PARENT("ops"),
		OPT_PARENT("cpu"), OPT_PARENT("events"), OPT_PARENT("json"),
		OPT_PARENT("chunk"), OPT_PARENT("hvo"),
		OPT_END(),
	};
	char err[512];
	uint64_t t0, t1;
	int ret;

	if (ch_opts_init(&o, CH_KMIX_DEFAULT, CH_KMEM_DEFAULT))
		return 2;
	argc = ch_parse_options(argc, argv, options, &o, &krun_help);
	if (argc < 0)
		return 2;
	if (argc)
		return ch_usage_error("kernel run: unexpected argument '%s'",
				      argv[0]);
	if (ch_kscenario_parse(&o, variant, &sc, "run"))
		return 2;
	if (ch_khvo_check(o.hvo, NULL, err, sizeof(err)))
		return ch_usage_error("kernel run: %s", err);
	if (o.cpu >= 0 && ch_pin_cpu(o.cpu, err, sizeof(err)))
		return ch_usage_error("%s", err);
	ch_pmu_kernel_mode = true;
	if (ch_pmu_open(&pmu, o.events, err, sizeof(err)))
		return ch_usage_error("%s", err);
	ret = ch_ksession_open(&ks, &sc.mix, sc.mem, sc.seed, err, sizeof(err));
	if (ret) {
		ch_pmu_close(&pmu);
		return ch_usage_error("%s", err);
	}
	sc.layout = ks.st.layout;
	sc.key = ch_kcase_key(&ks, sc.variant);
	ret = ch_khvo_check(o.hvo, &ks.st, err, sizeof(err));
	if (!ret)
		ret = ch_kcase_init(&kc, &ks, &sc, o.chunk, err, sizeof(err));
	/* untimed first pass: the walk and its struct pages in cache, TLB */
	if (!ret)
		ret = ch_kcase_run(&kc, &r, err, sizeof(err));
	if (!ret) {
		ch_pmu_start(&pmu);
		t0 = now_ns();
		ret = ch_kcase_run(&kc, &r, err, sizeof(err));
		t1 = now_ns();
		ch_pmu_stop(&pmu);
	}
	if (!ret)
		krun_print(&sc, &kc, &r, (double)(t1 - t0), &pmu, o.json);
	else
		ch_usage_error("%s", err);
	ch_kcase_free(&kc);
	ch_ksession_close(&ks);
	ch_pmu_close(&pmu);
	return ch_exit_status(ret);
}

static const struct ch_cmd ch_kcmds[] = {
	{ "verify", cmd_kverify, &kverify_help },
	{ "run", cmd_krun, &krun_help },
	{ "bench", cmd_kbench, &ch_kbench_help },
	{ "paths", cmd_kpaths, &ch_kpaths_help },
};

const struct ch_cmd_help ch_kernel_help = {
	.summary = "verify | run | bench | paths on the running kernel (paths: without chbench.ko too)",
};

static const struct ch_cmd_set ch_kernel = {
	.prefix = "kernel: ", .what = "subcommand",
	.cmd = ch_kcmds, .nr = ARRAY_SIZE(ch_kcmds),
};

int cmd_kernel(int argc, char **argv)
{
	char names[64];
	size_t i;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "help"))) {
		printf("usage: chbench kernel <%s> [options]\n\n",
		       ch_cmd_names(&ch_kernel, "|", names, sizeof(names)));
		for (i = 0; i < ARRAY_SIZE(ch_kcmds); i++)
			printf("  %-8s %s\n", ch_kcmds[i].name,
			       ch_kcmds[i].help->summary);
		printf("\nchbench kernel CMD --help: the options of CMD.\n"
		       "Needs root and chbench.ko loaded: make kmod && insmod kmod/chbench.ko\n");
		return 0;
	}
	if (argc < 2)
		return ch_usage_error("kernel: missing subcommand; valid: %s",
				      ch_cmd_names(&ch_kernel, ", ", names,
						   sizeof(names)));
	return ch_cmd_dispatch(&ch_kernel, argc, argv);
}
