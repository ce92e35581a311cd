// SPDX-License-Identifier: GPL-2.0
/*
 * chbench kernel bench: the suite of chbench bench, on the running
 * kernel. Every mix is pinned once, in a session of its own; each case
 * is a loop of chbench.ko over a walk drawn by the emulation's
 * generator, timed by Google Benchmark exactly as the emulation's cases
 * are (one batch = one CHB_IOC_RUN over the walk), into
 * results/<date>-<host>-kernel[-N]/ with the same files and names, so
 * make report puts the two side by side.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "commands/cmds.h"
#include "kernel/kcase.h"
#include "kernel/kmod.h"
#include "commands/opts.h"
#include "bench/pmu.h"
#include "bench/runlock.h"
#include "report/sysinfo.h"
#include "vmemmap/suite.h"
#include "lib/units.h"
#include "lib/util.h"
#include "commands/exit.h"

/* the suite's memmaps: vmemmap/suite.h's 64M, and --mem (default 1G) */
#define CH_KBENCH_SMALL		CH_SUITE_MEM_SMALL
#define CH_KBENCH_LARGE		(1ULL << 30)

struct kbench {
	struct ch_ksession *ks;		/* per mix and size, then the arms' */
	int nr_ks;
	struct ch_kcase *kc;
	struct ch_scenario *sc;
	void **states;
	int nr;
	unsigned int skipped;
	/* the A/A control: kernel on order0, 64M, random; one session each */
	struct ch_scenario ctl_sc[2];
	struct ch_kcase ctl_kc[2];
};

static struct kbench kb;

/*
 * Instance k > 0: every session's folios are freed and asked for again,
 * so order-0 and THP pages come fresh from the buddy allocator (HugeTLB
 * ones from the same reserved pool, maybe the same pages). The walks are
 * indices into the pinned pages, whose layout is the same again.
 */
static int kb_instance(int k, char *err, size_t len)
{
	int i, ret;

	for (i = 0; k && i < kb.nr_ks; i++) {
		ret = ch_ksession_renew(&kb.ks[i], err, len);
		if (ret)
			return ret;
	}
	return 0;
}

static int kb_prepare(const struct ch_scenario *sc, void **state, char *err,
		      size_t len)
{
	(void)sc;
	return ch_kcase_select(*state, err, len);
}

static uint64_t kb_batch(void *state)
{
	struct chb_run r;
	char err[512];

	if (ch_kcase_run(state, &r, err, sizeof(err))) {
		fprintf(stderr, "chbench: kernel bench: %s\n", err);
		exit(1);
	}
	return r.checksum;
}

static void kb_metadata(json_t *meta)
{
	const struct ch_ksession *ks = &kb.ks[0];
	json_t *mixes = json_array();
	long taint = -1;
	FILE *t = fopen("/proc/sys/kernel/tainted", "r");
	char vm[96];
	int i;

	if (t) {
		if (fscanf(t, "%ld", &taint) != 1)
			taint = -1;
		fclose(t);
	}
	for (i = 0; i < kb.nr_ks; i++) {
		const struct ch_ksession *s = &kb.ks[i];
		char m[32];

		json_array_append_new(mixes, json_pack(
				"{s:o, s:s, s:s, s:i, s:i}",
			"mix", ch_json_string(s->km.fs.mix.name),
			"mem", ch_fmt_size(s->km.fs.mem, m, sizeof(m)),
			"layout", ch_layouts[s->st.layout].name,
			"hugetlb_folios", (int)s->st.hvo_folios,
			"optimized", (int)s->st.hvo_optimized));
	}
	json_object_set_new(meta, "kernel", json_pack(
			"{s:o, s:s, s:i, s:o, s:o, s:I, s:b, s:o, s:o, s:o}",
		"release", ch_json_string(ks->k.info.release),
		"encoding", ch_encoding_name(ks->st.encoding),
		"pg_head", (int)ks->k.info.pg_head,
		"hvo_sysctl", ks->st.hvo_sysctl < 0 ? json_null() :
			json_integer(ks->st.hvo_sysctl),
		"hvo_key", ks->k.info.hvo_key < 0 ? json_null() :
			json_integer(ks->k.info.hvo_key),
		"tainted", (json_int_t)taint,
		"tainted_by_module", taint >= 0 && (taint & (1L << 12)),
		"virtualized", ch_json_str_or_null(ch_virt_label()),
		"vm", ch_json_str_or_null(ch_vm_host(vm, sizeof(vm)) ?
					  NULL : vm),
		"mixes", mixes));
}

/*
 * @need HugeTLB 2 MiB pages against @nr_free (-1: unknown): 0, or 2 with
 * the one line in @err, whose advice names no option already given.
 */
int ch_kbench_hugetlb_advice(uint64_t need, long nr_free, bool quick,
			     char *err, size_t len)
{
	if (nr_free >= 0 && (uint64_t)nr_free >= need)
		return 0;
	/* --quick runs the 64M case alone: --mem does not matter then */
	snprintf(err, len, "kernel bench pins %" PRIu64 " HugeTLB 2 MiB pages at once, %ld are free; reserve them: sysctl vm.nr_hugepages=%" PRIu64 "%s",
		 need, nr_free < 0 ? 0 : nr_free, need,
		 quick ? "" : " (or use --quick, or a smaller --mem)");
	return 2;
}

/* HugeTLB 2 MiB pages the whole suite pins at once, checked up front. */
static int kb_hugetlb_check(const uint64_t *mem, int nr_mem, bool quick)
{
	uint64_t need = 0;
	long fr = -1;
	char err[512];
	FILE *f;
	size_t m;
	int z, c;

	for (m = 0; m < CH_SUITE_NR_MIXES; m++) {
		struct ch_mix mix;

		if (ch_mix_parse(ch_suite_kernel_mixes[m], &mix, err,
				 sizeof(err)))
			return ch_usage_error("%s", err);
		for (z = 0; z < nr_mem; z++)
			for (c = 0; c < mix.nr; c++)
				if (mix.cls[c].hugetlb)
					need += (mem[z] *
						 mix.cls[c].percent / 100) >> 21;
	}
	f = fopen("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
		  "r");
	if (f) {
		if (fscanf(f, "%ld", &fr) != 1)
			fr = -1;
		fclose(f);
	}
	if (ch_kbench_hugetlb_advice(need, fr, quick, err, sizeof(err)))
		return ch_usage_error("%s", err);
	return 0;
}

/* chbench.ko, loaded and of our ABI: before anything it would need. */
static int kb_module_check(void)
{
	struct ch_kmod k;
	char err[512];

	if (ch_kmod_open(&k, err, sizeof(err)))
		return ch_usage_error("%s", err);
	ch_kmod_close(&k);
	return 0;
}

static void kb_free(void)
{
	int i;

	for (i = 0; i < kb.nr; i++)
		ch_kcase_free(&kb.kc[i]);
	for (i = 0; i < 2; i++)
		ch_kcase_free(&kb.ctl_kc[i]);
	for (i = 0; i < kb.nr_ks; i++)
		ch_ksession_close(&kb.ks[i]);
	free(kb.kc);
	free(kb.sc);
	free(kb.states);
	free(kb.ks);
	memset(&kb, 0, sizeof(kb));
}

/* Every case the registry and this kernel allow on @ks. */
static int kb_add_cases(struct ch_ksession *ks, const struct ch_opts *o,
			uint64_t mem, bool large, uint32_t chunk)
{
	const struct ch_variant *vs[CHB_MAX_VARIANTS + 1];
	int nv = 0, i, w, s, ret;
	char err[512];

	vs[nv++] = &ch_kvariant_kernel;
	vs[nv++] = &ch_kvariant_page_ref;
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = &ch_variants[i];

		if ((int)v->encoding == ks->st.encoding ||
		    (v->flags & CH_VF_PSEUDO))
			if (ch_variant_correct_on(v, ks->st.layout))
				vs[nv++] = v;
	}
	for (w = 0; w < CH_NR_WALKS; w++)
	for (s = 0; s < CH_NR_SHAPES; s++)
	for (i = 0; i < nv; i++) {
		struct ch_scenario *sc = &kb.sc[kb.nr];
		struct ch_kcase *kc = &kb.kc[kb.nr];
		bool own = vs[i] == &ch_kvariant_kernel ||
			   vs[i] == &ch_kvariant_page_ref;

		if (own && s != CH_SHAPE_AS_COMPILED)
			continue;
		if (vs[i] == &ch_kvariant_page_ref && w == CH_WALK_CHASE)
			continue;
		memset(sc, 0, sizeof(*sc));
		sc->variant = vs[i];
		sc->shape = s;
		sc->layout = ks->st.layout;
		sc->key = ch_kcase_key(ks, vs[i]);
		sc->mix = ks->km.fs.mix;
		sc->mem = mem;	/* as asked: names match the emulation's */
		sc->seed = o->seed;
		sc->walk = ch_walk_spec_any(w, ch_suite_ops(o->quick, large,
						ks->km.fs.nr_pages), o->seed);
		ret = ch_kcase_init(kc, ks, sc, chunk, err, sizeof(err));
		if (ret && vs[i] == &ch_kvariant_page_ref) {
			kb.skipped++;
			continue;
		}
		if (ret)
			return ch_usage_error("kernel bench: %s", err);
		kb.states[kb.nr++] = kc;
	}
	return 0;
}

/* Two arms, each on folios of its own: what the noise floor rests on. */
static int kb_control(const struct ch_opts *o)
{
	char err[512];
	int a;

	for (a = 0; a < 2; a++) {
		struct ch_ksession *ks = &kb.ks[kb.nr_ks];
		struct ch_scenario *sc = &kb.ctl_sc[a];

		memset(sc, 0, sizeof(*sc));
		if (ch_mix_parse("order0", &sc->mix, err, sizeof(err)) ||
		    ch_ksession_open(ks, &sc->mix, CH_KBENCH_SMALL, o->seed,
				     err, sizeof(err)))
			return ch_usage_error("kernel bench: the A/A control: %s",
					      err);
		kb.nr_ks++;
		sc->variant = &ch_kvariant_kernel;
		sc->shape = CH_SHAPE_AS_COMPILED;
		sc->layout = ks->st.layout;
		sc->key = CH_KEY_AUTO;
		sc->mem = CH_KBENCH_SMALL;
		sc->seed = o->seed;
		sc->walk = ch_walk_spec_any(CH_WALK_RANDOM,
					    ch_suite_ops(o->quick, false, 0),
					    o->seed);
		sc->arm = a + 1;
		if (ch_kcase_init(&kb.ctl_kc[a], ks, sc, o->chunk, err,
				  sizeof(err)))
			return ch_usage_error("kernel bench: the A/A control: %s",
					      err);
	}
	return 0;
}

const struct ch_cmd_help ch_kbench_help = {
	.usage = (const char *const []){
		"kernel bench [options] [--benchmark_*=VALUE ...]", NULL,
	},
	.summary = "the kernel suite through Google Benchmark, into results/<...>-kernel",
};

/* Room for every session and case the suite can have: 0, or -1. */
static int kb_alloc(int nr_mem)
{
	int max = CH_SUITE_NR_MIXES * nr_mem * CH_NR_WALKS *
		  CH_NR_SHAPES * (CHB_MAX_VARIANTS + 2);

	kb.nr_ks = 0;
	kb.ks = calloc(CH_SUITE_NR_MIXES * nr_mem + 2, sizeof(*kb.ks));
	kb.sc = calloc(max, sizeof(*kb.sc));
	kb.kc = calloc(max, sizeof(*kb.kc));
	kb.states = calloc(max, sizeof(*kb.states));
	return kb.ks && kb.sc && kb.kc && kb.states ? 0 : -1;
}

/*
 * A session per mix and size in @mem, each checked against --hvo once it
 * has HugeTLB folios, with its cases. 0, or the exit status after a
 * message.
 */
static int kb_sessions(const struct ch_opts *o, const uint64_t *mem,
		       int nr_mem)
{
	char err[512];
	size_t m;
	int z;

	for (m = 0; m < CH_SUITE_NR_MIXES; m++)
	for (z = 0; z < nr_mem; z++) {
		struct ch_ksession *ks = &kb.ks[kb.nr_ks];
		struct ch_mix mix;

		if (ch_mix_parse(ch_suite_kernel_mixes[m], &mix, err,
				 sizeof(err)) ||
		    ch_ksession_open(ks, &mix, mem[z], o->seed, err,
				     sizeof(err)))
			return ch_usage_error("kernel bench: %s", err);
		kb.nr_ks++;
		if (ks->st.hvo_folios &&
		    ch_khvo_check(o->hvo, &ks->st, err, sizeof(err)))
			return ch_usage_error("kernel bench: %s", err);
		if (kb_add_cases(ks, o, mem[z], z == 1, o->chunk))
			return 2;
	}
	return 0;
}

/* Under a hypervisor the table and stderr say whose timings these are. */
static void kb_virt_label(struct ch_bench_backend *be)
{
	static char label[352];
	const char *virt = ch_virt_label();

	if (virt) {
		snprintf(label, sizeof(label), "TIMINGS FROM %s", virt);
		be->label = label;
		fprintf(stderr, "chbench: %s\n", label);
	}
}

int cmd_kbench(int argc, char **argv)
{
	struct ch_bench_backend be = {
		.tag = "kernel", .prepare = kb_prepare, .batch = kb_batch,
		.metadata = kb_metadata,
	};
	struct ch_bench_opts bo = { .kind = "kernel" };
	struct ch_opt_args gb = { 0 };
	char **copy, err[512];
	uint64_t mem[2];
	struct ch_opts o;
	const struct ch_option options[] = {
		OPT_PARENT("mem",
			   .help = "the memory of the DRAM-sized case (the other: 64M)"),
		OPT_PARENT("seed"), CH_BENCH_OPT_CPU, OPT_PARENT("events"),
		OPT_PARENT("quick",
			   .help = "the 64M case only; fewer instances, repetitions, ops"),
		OPT_PARENT("out"), OPT_PARENT("chunk"), OPT_PARENT("hvo"),
		CH_BENCH_OPT_INSTANCING, OPT_PARENT("quiet"),
		OPT_PARENT("allow-concurrent"),
		CH_BENCH_OPT_GB(&gb),
		OPT_END(),
	};
	int nargc, nr_mem, ret;

	gb.v = calloc(argc + 1, sizeof(*gb.v));
	copy = calloc(argc + 1, sizeof(*copy));
	if (!gb.v || !copy)
		return ch_usage_error("out of memory");
	memcpy(copy, argv, argc * sizeof(*argv));
	ret = 2;
	ch_opts_init(&o, NULL, CH_KBENCH_LARGE);
	nargc = ch_parse_options(argc, copy, options, &o, &ch_kbench_help);
	if (nargc < 0)
		goto out;
	if (nargc) {
		ch_usage_error("kernel bench: unexpected argument '%s'; Google Benchmark flags start with --benchmark_",
			       copy[0]);
		goto out;
	}
	if (o.mem <= CH_KBENCH_SMALL) {
		ch_usage_error("kernel bench: --mem %s is the DRAM-sized case's memory and must exceed the cache-sized 64M; e.g. --mem 1G",
			       ch_fmt_size(o.mem, err, sizeof(err)));
		goto out;
	}
	mem[0] = CH_KBENCH_SMALL;
	mem[1] = o.mem;
	nr_mem = o.quick ? 1 : 2;
	/* the module first: without it nothing else can be checked */
	if (kb_module_check())
		goto out;
	if (ch_khvo_check(o.hvo, NULL, err, sizeof(err))) {
		ch_usage_error("kernel bench: %s", err);
		goto out;
	}
	if (kb_hugetlb_check(mem, nr_mem, o.quick))
		goto out;
	bo.gb_argc = gb.n;
	ch_bench_opts_set(&bo, &o, argc, argv, gb.v);
	bo.backend = &be;
	ch_pmu_kernel_mode = true;
	/* the timing lock before the folios are pinned: work already */
	if (ch_runlock_take(NULL, o.allow_concurrent, false))
		goto out;

	if (kb_alloc(nr_mem)) {
		ch_usage_error("out of memory");
		goto out;
	}
	if (kb_sessions(&o, mem, nr_mem) || kb_control(&o))
		goto out;
	if (kb.skipped)
		fprintf(stderr, "chbench: kernel bench: %u page-ref cases left out: their walks reach read-only HVO fake heads, where a reference add would write\n",
			kb.skipped);
	be.states = kb.states;
	be.control = kb.ctl_sc;
	be.control_states[0] = &kb.ctl_kc[0];
	be.control_states[1] = &kb.ctl_kc[1];
	be.instance = kb_instance;
	kb_virt_label(&be);
	ret = ch_exit_status(ch_bench_run(kb.sc, kb.nr, &bo));
out:
	kb_free();
	free(copy);
	free(gb.v);
	return ret;
}
