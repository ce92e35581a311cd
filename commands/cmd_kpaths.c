// SPDX-License-Identifier: GPL-2.0
/*
 * chbench kernel paths: the kernel paths that resolve a folio page by
 * page (zap, fork, GUP, kpageflags, mlock, mremap, move_pages), timed on
 * the running kernel per page, through the instances, A/A control,
 * interval and results schema of kernel bench, into
 * results/<date>-<host>-paths[-N]/ (kind "kernel-paths").
 *
 * One batch is one operation on one region of --mem bytes of one folio
 * kind, mapped and populated before the clock and released after it
 * (kernel/kpaths.h): every operation gets fresh memory, and nothing
 * but the operation is timed or counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench/bench.h"
#include "commands/cmds.h"
#include "kernel/kcase.h"
#include "report/sysinfo.h"
#include "kernel/kmod.h"
#include "kernel/kpaths.h"
#include "commands/opts.h"
#include "bench/pmu.h"
#include "lib/sysfs.h"
#include "lib/units.h"
#include "lib/util.h"
#include "page/page.h"
#include "commands/exit.h"

#define CH_KPATHS_MEM		(64ULL << 20)
#define CH_KPATHS_MEM_QUICK	(16ULL << 20)
#define CH_KPATHS_MEM_MAX	(1ULL << 30)
/* operations per repetition: each on fresh memory, none calibrated */
#define CH_KPATHS_ITERS		8
#define CH_KPATHS_ITERS_QUICK	2
#define CH_HVO_SYSCTL		"/proc/sys/vm/hugetlb_optimize_vmemmap"
#define CH_THP_ENABLED		"/sys/kernel/mm/transparent_hugepage/enabled"

struct kpcase {
	struct ch_kregion_op r;
	bool check;		/* the next setup checks the folios */
	long checked;		/* regions checked, for metadata.json */
};

static struct {
	struct ch_scenario *sc;
	struct kpcase *kc;
	void **states;
	int nr;
	struct ch_scenario ctl_sc[2];
	struct kpcase ctl_kc[2];
	struct ch_kmod k;
	bool module, thp, gig;
	int hvo;		/* the sysctl: -1 none */
	uint64_t mem;
	const char *fake;
} kp;

static int kp_prepare(const struct ch_scenario *sc, void **state, char *err,
		      size_t len)
{
	struct kpcase *c = *state;

	(void)sc;
	(void)err;
	(void)len;
	c->check = true;
	return 0;
}

static int kp_setup(void *state, char *err, size_t len)
{
	struct kpcase *c = state;
	int ret = ch_kregion_setup(&c->r, err, len);

	/* what the kernel made of it, once per repetition */
	if (!ret && c->check) {
		ret = ch_kregion_check(&c->r, err, len);
		c->check = false;
		c->checked++;
	}
	if (ret) {
		fprintf(stderr, "chbench: kernel paths: %s\n", err);
		ch_kregion_release(&c->r);
	}
	return ret;
}

static uint64_t kp_batch(void *state)
{
	struct kpcase *c = state;

	if (ch_kregion_op(&c->r))
		c->r.op_errno = errno ? errno : EIO;
	return 0;
}

static int kp_teardown(void *state, char *err, size_t len)
{
	struct kpcase *c = state;
	int ret = ch_kregion_after(&c->r, err, len);

	if (ret)
		fprintf(stderr, "chbench: kernel paths: %s\n", err);
	return ret;
}

static uint64_t kp_ops(void *state)
{
	struct kpcase *c = state;

	return c->r.len / CH_PAGE_SIZE;
}

static const char *kp_release(void)
{
	static struct utsname u;

	return uname(&u) ? "?" : u.release;
}

static const char *kp_encoding(void)
{
	if (!kp.module)
		return "unknown (chbench.ko not loaded)";
	return ch_encoding_name((enum ch_encoding)kp.k.info.encoding);
}

static void kp_metadata(json_t *meta)
{
	json_t *cases = json_array();
	char m[32];
	int i;

	for (i = 0; i < kp.nr; i++) {
		const struct ch_kregion_op *r = &kp.kc[i].r;

		json_array_append_new(cases, json_pack(
				"{s:s, s:s, s:I, s:I, s:s, s:I}",
			"path", ch_kpath_names[r->path],
			"folio", ch_kfolio_names[r->folio],
			"pages_per_op", (json_int_t)(r->len / CH_PAGE_SIZE),
			"folios_per_op", (json_int_t)(r->len /
						ch_kfolio_size(r->folio)),
			"thp_mapped_by",
			r->folio == CH_KFOLIO_THP_PMD ? "pmd" :
			r->folio == CH_KFOLIO_THP_PTE ? "pte" : "n/a",
			"regions_checked", (json_int_t)kp.kc[i].checked));
	}
	json_object_set_new(meta, "kernel", json_pack(
			"{s:o, s:s, s:b, s:o, s:o, s:s, s:o}",
		"release", ch_json_string(kp_release()),
		"encoding", kp_encoding(),
		"module", kp.module,
		"hvo_sysctl", kp.hvo < 0 ? json_null() : json_integer(kp.hvo),
		"hvo_optimized", json_null(),
		"mem", ch_fmt_size(kp.mem, m, sizeof(m)),
		"virtualized", ch_json_str_or_null(ch_virt_label())));
	json_object_set_new(meta, "paths", json_pack(
			"{s:o, s:s, s:o}",
		"cases", cases,
		"checks", "before: kpageflags COMPOUND_HEAD/COMPOUND_TAIL/THP/HUGE of every page against the folio kind, smaps AnonHugePages (THP by PMD or PTE), once per repetition; after every op: zap: pagemap present pages and RSS (RssAnon, HugetlbPages); gup-vmreadv: bytes read; kpageflags: entries read; mremap: pages present at the destination; move-pages: each page's node; pin-longterm: the module's first index",
		"fake", ch_json_str_or_null(kp.fake)));
}

static void kp_case(struct ch_scenario *sc, struct kpcase *c, int path,
		    int folio, int arm)
{
	size_t fsz = ch_kfolio_size(folio);

	memset(sc, 0, sizeof(*sc));
	memset(c, 0, sizeof(*c));
	sc->variant = &ch_kvariant_kernel;
	sc->shape = CH_SHAPE_AS_COMPILED;
	sc->key = CH_KEY_AUTO;
	sc->path = path;
	sc->folio = folio;
	sc->hvo = kp.hvo > 0;
	sc->arm = arm;
	/* a 1 GiB folio is one operation's memory whatever --mem says */
	sc->mem = fsz > kp.mem ? fsz : kp.mem;
	snprintf(sc->mix.name, sizeof(sc->mix.name), "%s",
		 ch_kfolio_names[folio]);
	c->r.path = path;
	c->r.folio = folio;
	c->r.len = sc->mem;
	c->r.k = &kp.k;
	c->r.fake_nozap = kp.fake && strstr(kp.fake, "nozap");
	c->r.fake_nosplit = kp.fake && strstr(kp.fake, "nosplit");
}

/* Every path on every folio kind this machine gives; 0, or -1. */
static int kp_cases(void)
{
	int max = CH_NR_KPATHS * CH_NR_KFOLIOS, p, f;

	kp.sc = calloc(max, sizeof(*kp.sc));
	kp.kc = calloc(max, sizeof(*kp.kc));
	kp.states = calloc(max, sizeof(*kp.states));
	if (!kp.sc || !kp.kc || !kp.states)
		return -1;
	for (f = 0; f < CH_NR_KFOLIOS; f++) {
		if ((f == CH_KFOLIO_THP_PMD || f == CH_KFOLIO_THP_PTE) &&
		    !kp.thp)
			continue;
		if (f == CH_KFOLIO_HUGETLB_1G && !kp.gig)
			continue;
		for (p = 1; p < CH_NR_KPATHS; p++) {
			if (!ch_kpath_on(p, f) ||
			    (p == CH_KPATH_PIN && !kp.module))
				continue;
			kp_case(&kp.sc[kp.nr], &kp.kc[kp.nr], p, f, 0);
			kp.states[kp.nr] = &kp.kc[kp.nr];
			kp.nr++;
		}
	}
	/* the A/A control: one path built twice */
	kp_case(&kp.ctl_sc[0], &kp.ctl_kc[0], CH_KPATH_ZAP_DONTNEED,
		CH_KFOLIO_ORDER0, 1);
	kp_case(&kp.ctl_sc[1], &kp.ctl_kc[1], CH_KPATH_ZAP_DONTNEED,
		CH_KFOLIO_ORDER0, 2);
	return 0;
}

/* As root, with /proc/kpageflags readable: 0, or 2 after one line. */
static int kp_root_check(void)
{
	int fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return ch_usage_error("kernel paths: /proc/kpageflags: %s; run it as root (it checks every page's flags, and times their reading)",
				      strerror(errno));
	close(fd);
	if (geteuid())
		return ch_usage_error("kernel paths: not root; run it as root (kpageflags reads pfns, which pagemap gives only to CAP_SYS_ADMIN)");
	return 0;
}

/*
 * The folio kinds this machine gives, said in one line each where one is
 * left out; HugeTLB 2 MiB pages missing: 2 after one line naming the
 * sysctl and the number.
 */
static int kp_folio_check(bool quick)
{
	const char *hp = "/sys/kernel/mm/hugepages/hugepages-";
	char path[128], buf[256] = "";
	long need = kp.mem >> 21, fr, nr;
	FILE *f = fopen(CH_THP_ENABLED, "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	kp.thp = buf[0] && !strstr(buf, "[never]");
	if (!kp.thp)
		fprintf(stderr, "chbench: kernel paths: THP left out: %s says never (echo madvise > %s)\n",
			CH_THP_ENABLED, CH_THP_ENABLED);
	snprintf(path, sizeof(path), "%s2048kB/free_hugepages", hp);
	fr = ch_sys_read_long(path, NULL);
	snprintf(path, sizeof(path), "%s2048kB/nr_hugepages", hp);
	nr = ch_sys_read_long(path, NULL);
	if (fr < need)
		return ch_usage_error("kernel paths maps %ld HugeTLB 2 MiB pages at once, %ld are free; reserve them: sysctl vm.nr_hugepages=%ld%s",
				      need, fr < 0 ? 0 : fr,
				      (nr < 0 ? 0 : nr) + need - (fr < 0 ? 0 : fr),
				      " (or use a smaller --mem)");
	snprintf(path, sizeof(path), "%s1048576kB/free_hugepages", hp);
	kp.gig = !quick && ch_sys_read_long(path, NULL) >= 1;
	if (!kp.gig)
		fprintf(stderr, "chbench: kernel paths: hugetlb-1g left out: %s (echo 1 > %s1048576kB/nr_hugepages)\n",
			quick ? "--quick" : "no free 1 GiB HugeTLB page", hp);
	return 0;
}

const struct ch_cmd_help ch_kpaths_help = {
	.usage = (const char *const []){
		"kernel paths [options] [--benchmark_*=VALUE ...]", NULL,
	},
	.summary = "zap, fork, GUP, kpageflags, mlock, mremap, move_pages per page, into results/<...>-paths",
};

static void kp_free(void)
{
	int i;

	for (i = 0; i < kp.nr; i++)
		ch_kregion_release(&kp.kc[i].r);
	for (i = 0; i < 2; i++)
		ch_kregion_release(&kp.ctl_kc[i].r);
	if (kp.module)
		ch_kmod_close(&kp.k);
	free(kp.sc);
	free(kp.kc);
	free(kp.states);
	memset(&kp, 0, sizeof(kp));
}

/* --mem (if @mem_given) and the machine: 0, or 2 after one line. */
static int kp_input(const struct ch_opts *o, bool mem_given)
{
	char err[512], m[32];

	kp.mem = mem_given ? o->mem : o->quick ?
		 CH_KPATHS_MEM_QUICK : CH_KPATHS_MEM;
	if (kp.mem < (2ULL << 20) || kp.mem % (2ULL << 20) ||
	    kp.mem > CH_KPATHS_MEM_MAX)
		return ch_usage_error("kernel paths: --mem %s: one operation's memory must be a multiple of 2M from 2M to 1G; e.g. --mem 16M",
				      ch_fmt_size(kp.mem, m, sizeof(m)));
	if (kp_root_check())
		return 2;
	if (ch_khvo_check(o->hvo, NULL, err, sizeof(err)))
		return ch_usage_error("kernel paths: %s", err);
	kp.hvo = ch_sys_read_long(CH_HVO_SYSCTL, NULL);
	if (kp_folio_check(o->quick))
		return 2;
	kp.module = !ch_kmod_open(&kp.k, err, sizeof(err));
	if (!kp.module)
		fprintf(stderr, "chbench: kernel paths: pin-longterm left out: %s\n",
			err);
	kp.fake = getenv("CHBENCH_KPATHS_FAKE");
	return 0;
}

int cmd_kpaths(int argc, char **argv)
{
	struct ch_bench_backend be = {
		.tag = "paths", .command = "kernel", .prepare = kp_prepare, .batch = kp_batch,
		.metadata = kp_metadata, .setup = kp_setup,
		.teardown = kp_teardown, .ops = kp_ops,
	};
	struct ch_bench_opts bo = { .kind = "kernel-paths" };
	struct ch_opt_args gb = { 0 };
	bool mem_given = false;
	char **copy;
	struct ch_opts o;
	const struct ch_option options[] = {
		OPT_PARENT("mem", .seen = &mem_given,
			   .def = "64M; 16M with --quick",
			   .help = "one operation's memory, a multiple of 2M (a 1 GiB folio's: 1G)"),
		CH_BENCH_OPT_CPU, OPT_PARENT("events"),
		OPT_PARENT("quick",
			   .help = "16M, no 1 GiB folios, fewer instances and operations"),
		OPT_PARENT("out"),
		OPT_PARENT("hvo",
			   .help = "HugeTLB's vmemmap as asked (the sysctl), else refuse"),
		CH_BENCH_OPT_INSTANCING, OPT_PARENT("quiet"),
		OPT_PARENT("allow-concurrent"),
		CH_BENCH_OPT_GB(&gb),
		OPT_END(),
	};
	int nargc, ret = 2;

	gb.v = calloc(argc + 1, sizeof(*gb.v));
	copy = calloc(argc + 1, sizeof(*copy));
	if (!gb.v || !copy)
		return ch_usage_error("out of memory");
	memcpy(copy, argv, argc * sizeof(*argv));
	ch_opts_init(&o, NULL, CH_KPATHS_MEM);
	nargc = ch_parse_options(argc, copy, options, &o, &ch_kpaths_help);
	if (nargc < 0)
		goto out;
	if (nargc) {
		ch_usage_error("kernel paths: unexpected argument '%s'; Google Benchmark flags start with --benchmark_",
			       copy[0]);
		goto out;
	}
	if (kp_input(&o, mem_given))
		goto out;
	if (kp_cases()) {
		ch_usage_error("out of memory");
		goto out;
	}
	bo.gb_argc = gb.n;
	ch_bench_opts_set(&bo, &o, argc, argv, gb.v);
	bo.backend = &be;
	ch_pmu_kernel_mode = true;
	be.states = kp.states;
	be.control = kp.ctl_sc;
	be.control_states[0] = &kp.ctl_kc[0];
	be.control_states[1] = &kp.ctl_kc[1];
	be.iterations = o.quick ? CH_KPATHS_ITERS_QUICK : CH_KPATHS_ITERS;
	be.label = ch_virt_label() ? "TIMINGS FROM A VM (see metadata.json)" :
		   NULL;
	ret = ch_exit_status(ch_bench_run(kp.sc, kp.nr, &bo));
out:
	kp_free();
	free(copy);
	free(gb.v);
	return ret;
}
