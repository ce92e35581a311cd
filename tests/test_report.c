// SPDX-License-Identifier: GPL-2.0
/*
 * scripts/report and chbench sweep, from the outside: the report of fixed
 * results against golden files, the plots as files a mail client and a
 * browser accept, the 76-column limit, and the sweeps the plots draw.
 *
 * Each fixture is a directory under tests/fixtures holding a bench.json
 * and a metadata.json; the golden reports are in tests/fixtures/golden.
 * After a deliberate change to the report, CH_UPDATE_GOLDEN=1 rewrites
 * them: read the diff before committing it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "report/json.h"
#include "lib/util.h"
#include "tests/tmpdir.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/spawn.h"

#define FIX		"tests/fixtures/"
#define GOLDEN		FIX "golden/"
#define REPORT		"scripts/report"
#define WIDTH		76

static char tmp[] = "/tmp/chbench-report-XXXXXX";

CH_TMPDIR_FIXTURES(tmp, setup, teardown)

/* Run scripts/report with the NULL-terminated arguments. */
#define report(...)	ch_spawn_prog(REPORT, __VA_ARGS__)

static void expect_status(const struct ch_run *r, int status)
{
	if (r->status != status)
		fail_msg("exit status %d, expected %d; stderr:\n%s", r->status,
			 status, r->err);
}

/* dir/file, in one of a few static buffers: dir may be an earlier one */
static char *path_in(const char *dir, const char *file)
{
	static char buf[4][4096];
	static int i;
	char t[4096];

	snprintf(t, sizeof(t), "%s/%s", dir, file);
	i = (i + 1) % 4;
	memcpy(buf[i], t, sizeof(t));
	return buf[i];
}

/* The whole file, NUL-terminated; *len gets its size. */
static char *slurp_path(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;

	if (!f)
		fail_msg("%s is missing", path);
	fseek(f, 0, SEEK_END);
	s = ch_slurp(f);
	if (len) {
		struct stat st;

		assert_int_equal(stat(path, &st), 0);
		*len = st.st_size;
	}
	return s;
}

/* The file at @path that @r, a run that must have exited 0, wrote. */
static char *written_by(struct ch_run r, const char *path)
{
	char *s;

	expect_status(&r, 0);
	s = slurp_path(path, NULL);
	ch_run_free(&r);
	return s;
}

/*
 * Run scripts/report with the NULL-terminated arguments, which must exit
 * 0, and return the file at @path it wrote. Free it.
 */
#define report_read(path, ...)	written_by(report(__VA_ARGS__), path)

/* The same, returning the report.txt in @dir. */
#define report_text(dir, ...)	\
	report_read(path_in(dir, "report.txt"), __VA_ARGS__)

/*
 * The report.txt of scripts/report --no-plots --no-measure --out tmp and
 * the NULL-terminated arguments (options, then results directories).
 */
#define report_of(...)	\
	report_text(tmp, "--no-plots", "--no-measure", "--out", tmp, \
		    __VA_ARGS__)

static void write_path(const char *path, const char *s, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Copy a results directory's two files into dir, created. */
static void copy_fixture_from(const char *from, const char *dir)
{
	static const char *const files[] = { "bench.json", "metadata.json" };
	char src[4200];
	size_t i, len;
	char *s;

	assert_int_equal(mkdir(dir, 0755), 0);
	for (i = 0; i < 2; i++) {
		snprintf(src, sizeof(src), "%s/%s", from, files[i]);
		s = slurp_path(src, &len);
		write_path(path_in(dir, files[i]), s, len);
		free(s);
	}
}

/* Copy a fixture's two files into tmp/@sub, created, named in @dir. */
static void copy_fixture(const char *name, const char *sub, char *dir,
			 size_t len)
{
	char from[256];

	snprintf(from, sizeof(from), FIX "%s", name);
	snprintf(dir, len, "%s/%s", tmp, sub);
	copy_fixture_from(from, dir);
}

/* Compare with a golden file, showing the first line that differs. */
static void expect_golden(const char *got_path, const char *golden)
{
	char gpath[256];
	char *got = slurp_path(got_path, NULL), *want, *g, *w;
	int line = 1;

	snprintf(gpath, sizeof(gpath), GOLDEN "%s", golden);
	if (getenv("CH_UPDATE_GOLDEN")) {
		write_path(gpath, got, strlen(got));
		free(got);
		return;
	}
	want = slurp_path(gpath, NULL);
	for (g = got, w = want; *g && *g == *w; g++, w++)
		line += *g == '\n';
	if (*g || *w) {
		/* back to the start of the line that differs, in both */
		while (g > got && g[-1] != '\n')
			g--, w--;
		*strchrnul(g, '\n') = '\0';
		*strchrnul(w, '\n') = '\0';
		fail_msg("%s differs from %s at line %d:\n  want: %s\n  got:  %s\n(CH_UPDATE_GOLDEN=1 rewrites the golden file)",
			 got_path, gpath, line, w, g);
	}
	free(got);
	free(want);
}

/* Every line ASCII and at most WIDTH columns. */
static void expect_narrow_ascii(const char *path)
{
	char *s = slurp_path(path, NULL), *line, *save;
	int n = 0;

	for (line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const unsigned char *c;

		n++;
		if (strlen(line) > WIDTH)
			fail_msg("%s:%d has %zu columns (at most %d):\n%s",
				 path, n, strlen(line), WIDTH, line);
		for (c = (const unsigned char *)line; *c; c++)
			if (*c > 126 || (*c < 32 && *c != '\t'))
				fail_msg("%s:%d has byte 0x%02x, not ASCII",
					 path, n, *c);
	}
	free(s);
}

static bool has_file(const char *dir, const char *file)
{
	return access(path_in(dir, file), F_OK) == 0;
}

/* Names in dir ending in ext, as one newline-separated string. */
static char *files_ending(const char *dir, const char *ext)
{
	size_t cap = 4096, len = 0, el = strlen(ext);
	char *s = calloc(1, cap);
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		fail_msg("%s is missing", dir);
	assert_non_null(s);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (n > el && !strcmp(e->d_name + n - el, ext) &&
		    len + n + 2 < cap)
			len += sprintf(s + len, "%s\n", e->d_name);
	}
	closedir(d);
	return s;
}

static void each_file(const char *dir, const char *ext,
		      void (*check)(const char *path))
{
	char *names = files_ending(dir, ext), *name, *save;
	int n = 0;

	for (name = strtok_r(names, "\n", &save); name;
	     name = strtok_r(NULL, "\n", &save), n++)
		check(path_in(dir, name));
	if (!n)
		fail_msg("no %s file in %s", ext, dir);
	free(names);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void expect_png(const char *path)
{
	static const unsigned char magic[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
	};
	size_t len;
	unsigned char *s = (unsigned char *)slurp_path(path, &len);

	if (len < 33 || memcmp(s, magic, 8))
		fail_msg("%s does not start with the PNG signature", path);
	/* the first chunk: length 13, "IHDR", width, height */
	if (be32(s + 8) != 13 || memcmp(s + 12, "IHDR", 4))
		fail_msg("%s: the first chunk is not a 13-byte IHDR", path);
	if (be32(s + 16) < 300 || be32(s + 20) < 200)
		fail_msg("%s is %ux%u pixels, too small to read", path,
			 be32(s + 16), be32(s + 20));
	free(s);
}

/* An SVG must parse as XML, with <svg> as its root. */
static void expect_svg(const char *path)
{
	const char *argv[] = {
		"/usr/bin/python3", "-c",
		"import sys, xml.etree.ElementTree as E\n"
		"r = E.parse(sys.argv[1]).getroot()\n"
		"sys.exit(r.tag != '{http://www.w3.org/2000/svg}svg')\n",
		path, NULL
	};
	struct ch_run r = ch_spawnv(argv);

	if (r.status)
		fail_msg("%s is not an SVG document: %s", path, r.err);
	ch_run_free(&r);
}

static void report_of_one_directory_matches_the_golden_file(void **state)
{
	struct ch_run r = report("--no-plots", "--no-measure", "--out", tmp,
				 FIX "bench-gcc", NULL);

	(void)state;
	expect_status(&r, 0);
	ch_expect_in("stdout", r.out, "report: ");
	expect_golden(path_in(tmp, "report.txt"), "bench-gcc.txt");
	ch_run_free(&r);
}

static void report_of_two_directories_has_a_column_per_compiler(void **state)
{
	char *s = report_of(FIX "bench-gcc", FIX "bench-clang", NULL);

	(void)state;
	ch_expect_each_in("report", s, "[1] bench-gcc", "[2] bench-clang",
			  "      gcc 12.2.0    clang 14.0.6",
			  /* the clang run had no PMU: counters n/a, never 0 */
			  "  cycles      7.781 (  0.0%)    n/a (   n/a)");
	expect_golden(path_in(tmp, "report.txt"), "compare-gcc-clang.txt");
	free(s);
}

static void two_directories_default_to_a_compare_directory_beside_them(
	void **state)
{
	char a[128], b[128];
	struct ch_run r;

	(void)state;
	copy_fixture("bench-gcc", "2026-02-03-box", a, sizeof(a));
	copy_fixture("bench-clang", "2026-02-03-box-clang", b, sizeof(b));
	r = report("--no-plots", "--no-measure", a, b, NULL);
	expect_status(&r, 0);
	if (!has_file(tmp, "compare-2026-02-03-box-vs-2026-02-03-box-clang/report.txt"))
		fail_msg("no compare-*/report.txt beside the two; stdout:\n%s",
			 r.out);
	if (has_file(a, "report.txt") || has_file(b, "report.txt"))
		fail_msg("a comparison wrote into a results directory");
	ch_run_free(&r);
}

/*
 * Two kernels (fixtures from chbench kernel bench in the qemu guest, HVO
 * off and on): each kernel's vmemmap is what it made of the mix, so the
 * kernel's own compound_head() is one row across both, and the header
 * says what chbench.ko saw and that the timings are TCG's.
 */
static void two_kernels_compare_the_kernel_row_across_layouts(void **state)
{
	char a[128], b[128], *s;

	(void)state;
	copy_fixture("kernel-hvo-off", "2026-12-02-box-kernel", a, sizeof(a));
	copy_fixture("kernel-hvo-on", "2026-12-02-box-kernel-2", b, sizeof(b));
	s = report_text(path_in(tmp, "compare-2026-12-02-box-kernel-vs-2026-12-02-box-kernel-2"),
			"--no-plots", "--no-measure", a, b, NULL);
	ch_expect_each_in("report", s, "\nkernel @ none | hvo-fake-head\n",
			  "\nfloor @ none | hvo-fake-head\n",
			  /* key on and off are other code: never one row */
			  "\nfake-head @ hvo-fake-head key:on\n",
			  "\nfake-head @ none\n",
			  "chbench.ko    pointer tails; vmemmap none;",
			  "chbench.ko    pointer tails; vmemmap hvo-fake-head, none;",
			  "TIMINGS       from qemu TCG",
			  "Command       chbench kernel bench --quick");
	free(s);
}

/*
 * The summary: at most 60 lines of at most 76 columns, printed and kept
 * as summary.txt; @want each in it.
 */
static char *expect_summary(const char *dir, struct ch_run *r)
{
	char *sum = slurp_path(path_in(dir, "summary.txt"), NULL);
	const char *p;
	int lines = 0, col = 0;

	expect_status(r, 0);
	for (p = sum; *p; p++) {
		if (*p == '\n') {
			lines++;
			col = 0;
		} else if (++col > 76 || (unsigned char)*p > 126) {
			fail_msg("summary line %d: over 76 columns or not ASCII",
				 lines + 1);
		}
	}
	if (lines > 60)
		fail_msg("summary: %d lines, at most 60", lines);
	/* printed as written */
	ch_expect_in("stdout", r->out, sum);
	return sum;
}

static void summary_of_one_run_fits_a_mail(void **state)
{
	struct ch_run r = report("--no-plots", "--no-measure", "--summary",
				 "--out", tmp, FIX "bench-gcc", NULL);
	char *sum = expect_summary(tmp, &r);

	(void)state;
	ch_expect_each_in("summary", sum, "chbench summary: bench-gcc\n",
			  "    Noise floor: ",
			  "mask-branchless @ hvo-shared-tail against fake-head @ hvo-fake-head",
			  "% confidence, after\nBenjamini-Hochberg over the report's ",
			  " rows claim a difference",
			  "Every case, counter and plot: ");
	/* the headline figures are report.txt's, to the digit */
	ch_expect_in("summary", sum, "[");
	free(sum);
	ch_run_free(&r);
}

static void summary_of_two_kernels_has_the_kernel_row(void **state)
{
	char a[128], b[128], *sum;
	struct ch_run r;

	(void)state;
	copy_fixture("kernel-hvo-off", "2026-12-02-box-kernel", a, sizeof(a));
	copy_fixture("kernel-hvo-on", "2026-12-02-box-kernel-2", b, sizeof(b));
	r = report("--no-plots", "--no-measure", "--summary", "--out", tmp,
		   a, b, NULL);
	sum = expect_summary(tmp, &r);
	ch_expect_each_in("summary", sum, "    [1] ", "    [2] ",
			  "the kernel's own compound_head(), [2] against [1]",
			  "TIMINGS from qemu",
			  "hugetlb-2m/random/64M/as-compiled");
	free(sum);
	ch_run_free(&r);
}

/*
 * Kernel paths of two kernels (6.12.118 and 7.3.4 in qemu TCG guests):
 * rows match by path and folio kind, and the summary lists them.
 */
static void two_kernels_paths_side_by_side(void **state)
{
	char a[128], b[128], *s, *sum;
	struct ch_run r;

	(void)state;
	copy_fixture("paths-6.12", "2026-12-07-guest-paths", a, sizeof(a));
	copy_fixture("paths-7.3", "2026-12-07-guest-paths-2", b, sizeof(b));
	r = report("--no-plots", "--no-measure", "--summary", "--out", tmp,
		   a, b, NULL);
	sum = expect_summary(tmp, &r);
	s = slurp_path(path_in(tmp, "report.txt"), NULL);
	ch_expect_each_in("report", s, "\nzap-dontneed @ hugetlb-2m hvo:on\n",
			  "\nfork @ thp-pte\n", "\npin-longterm @ thp-pmd\n",
			  "TIMINGS       from qemu TCG");
	ch_expect_each_in("summary", sum,
			  "each path on each folio kind, [2] against [1]",
			  "  kpageflags @ hugetlb-2m hvo:on ",
			  "pointer tails", "mask tails");
	free(s);
	free(sum);
	ch_run_free(&r);
}

/* Against the emulation, rows keep matching by variant and layout. */
static void a_kernel_beside_the_emulation_matches_by_layout(void **state)
{
	char *s = report_of(FIX "bench-gcc", FIX "kernel-hvo-on", NULL);

	(void)state;
	ch_expect_in("report", s, "\nkernel @ hvo-fake-head\n");
	ch_expect_not_in("report", s, " | ");
	free(s);
}

static void differences_within_the_noise_are_not_claimed(void **state)
{
	char *s = report_of(FIX "bench-gcc", NULL);

	(void)state;
	ch_expect_each_in("report", s, "Each value is the geometric mean",
			  "after Benjamini-Hochberg over the family of every\n  comparison in this report (35;",
			  "The family: 35 comparisons tested, controlled together by Benjamini-Hochberg\n"
			  "at 5% false discoveries: 22 claimed a difference at 95.0% confidence, 13 not\n"
			  "proven.");
	/*
	 * pointer is 12% faster in both runs; mask-branchy's runs overlap:
	 * the change, then its interval
	 */
	ch_expect_in("report", s,
		     "ns/op         2.510 (  0.0%)  2.205 *-12.2%*  2.524 ( +0.6%)  2.305 * -8.2%*\n"
		     "  95% CI     2.386..2.640    [-14.4, -9.9]   [-29.2, +42.8]  [-10.5, -5.7]\n");
	free(s);
}

/*
 * Issue 17's hugetlb-2m/zap, fake-head's instances 1.03, 1.10, 1.19 ns/op
 * against pointer's 5.58, 5.75, 14.2: Welch's test over the raw values
 * (p 0.12) called nothing; on the log values it is a difference.
 */
static void the_zap_case_of_issue_17_is_a_difference(void **state)
{
	char *s = report_of(FIX "zap-667", NULL);

	(void)state;
	ch_expect_each_in("report", s,
			  "ns/op         1.105 (  0.0%)  7.695 * +597%*\n"
			  "  95% CI     0.923..1.322    [+92.5, +2421]\n",
			  "The family: 1 comparison tested");
	free(s);
}

/* One estimate, one test: chbench's; the report has none to choose. */
static void the_report_takes_no_test_or_alpha_of_its_own(void **state)
{
	static const char *const opts[][2] = {
		{ "--test", "mwu" }, { "--alpha", "0.01" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		struct ch_run r = report("--no-plots", "--out", tmp, opts[i][0],
					 opts[i][1], FIX "bench-gcc", NULL);

		expect_status(&r, 2);
		ch_expect_in("stderr", r.err,
			     "the report has no test or alpha to choose");
		ch_run_free(&r);
	}
}

static void a_chosen_baseline_takes_the_first_column(void **state)
{
	char *s = report_of("--baseline", "pointer@none", FIX "bench-gcc", NULL);

	(void)state;
	ch_expect_in("report", s,
		     "mixed / random / mem:64M (1 MiB memmap) / as-compiled\n"
		     "                     pointer       fake-head");
	free(s);
}

static void counters_that_do_not_exist_get_no_row(void **state)
{
	char *s = report_of(FIX "bench-gcc", NULL);

	(void)state;
	ch_expect_in("report", s, "\nbr-miss ");
	ch_expect_none_in("report", s, "L1d-miss ", "LLC-miss ", "dTLB-miss ");
	free(s);

	s = report_of(FIX "bench-clang", NULL);
	ch_expect_in("report", s, "No hardware counter exists here");
	ch_expect_not_in("report", s, "\ncycles ");
	free(s);
}

static void every_line_is_ascii_and_fits_in_76_columns(void **state)
{
	static const char *const sets[][2] = {
		{ FIX "bench-gcc", NULL }, { FIX "bench-clang", NULL },
		{ FIX "sweep-mem", NULL }, { FIX "sweep-tail", NULL },
		{ FIX "bench-gcc", FIX "bench-clang" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		char out[128];
		struct ch_run r;

		snprintf(out, sizeof(out), "%s/%zu", tmp, i);
		r = report("--no-measure", "--out", out, sets[i][0],
			   sets[i][1], NULL);
		expect_status(&r, 0);
		expect_narrow_ascii(path_in(out, "report.txt"));
		snprintf(out + strlen(out), sizeof(out) - strlen(out),
			 "/plots");
		each_file(out, ".txt", expect_narrow_ascii);
		ch_run_free(&r);
	}
}

static void plots_are_valid_png_and_svg(void **state)
{
	char plots[128], *s;

	(void)state;
	snprintf(plots, sizeof(plots), "%s/plots", tmp);
	s = report_read(path_in(plots, "bars-random-mem64M-as-compiled.gp"),
			"--no-measure", "--out", tmp, FIX "bench-gcc",
			FIX "bench-clang", NULL);
	each_file(plots, ".png", expect_png);
	each_file(plots, ".svg", expect_svg);
	/* one panel per results directory, each naming its machine */
	ch_expect_each_in("gnuplot script", s,
			  "[1] bench-gcc: Intel(R) Xeon(R)", "clang 14.0.6",
			  "set ylabel 'ns/op");
	free(s);
	s = slurp_path(path_in(tmp, "report.txt"), NULL);
	ch_expect_in("report", s, "bars-random-mem64M-as-compiled.{png,svg,txt}");
	free(s);
}

static void sweep_mem_is_drawn_against_memmap_size_on_a_log_axis(
	void **state)
{
	char plots[128], *s;

	(void)state;
	snprintf(plots, sizeof(plots), "%s/plots", tmp);
	s = report_read(path_in(plots, "mem-mixed-random-as-compiled.gp"),
			"--no-measure", "--out", tmp, FIX "sweep-mem", NULL);
	ch_expect_each_in("gnuplot script", s, "set logscale x 2",
			  "set xlabel 'memmap size, bytes",
			  /* the cache sizes Google Benchmark found are marked */
			  "set label 'L3'");
	free(s);
	expect_png(path_in(plots, "mem-mixed-random-as-compiled.png"));
	/* the sizes are one line each, not bars */
	s = files_ending(plots, ".png");
	ch_expect_not_in("plots", s, "bars-");
	free(s);
}

static void sweep_tail_draws_branch_misses_when_the_pmu_has_them(
	void **state)
{
	const char *gp = "plots/tail-mixed-random-mem64M-branch.gp";
	char *s = report_read(path_in(tmp, gp), "--no-measure", "--out", tmp,
			      FIX "sweep-tail", NULL);

	(void)state;
	ch_expect_each_in("gnuplot script", s,
			  "branch-misses/op against tail fraction",
			  "set ylabel 'branch-misses/op");
	free(s);
}

/* The sweep-tail fixture in tmp/@sub (@dir) with no branch-misses/op. */
static void sweep_tail_without_counters(const char *sub, char *dir,
					size_t dir_len)
{
	const char *key = ", \"branch-misses/op\": ";
	char *s, *p, *q;
	size_t len;

	copy_fixture("sweep-tail", sub, dir, dir_len);
	s = slurp_path(path_in(dir, "bench.json"), &len);
	for (p = q = s; *p;) {
		if (!strncmp(p, key, strlen(key))) {
			p += strlen(key);
			while (strchr("0123456789.e-", *p))
				p++;
			continue;
		}
		*q++ = *p++;
	}
	write_path(path_in(dir, "bench.json"), s, q - s);
	free(s);
}

static void without_branch_misses_the_tail_plot_says_it_shows_ns(
	void **state)
{
	char dir[128];
	char *s;

	(void)state;
	sweep_tail_without_counters("nopmu", dir, sizeof(dir));
	s = report_read(path_in(dir, "plots/tail-mixed-random-mem64M-branch.gp"),
			"--no-measure", dir, NULL);
	ch_expect_each_in("gnuplot script", s,
			  "(no PMU: ns/op, not branch-misses/op)",
			  "set ylabel 'ns/op");
	ch_expect_not_in("gnuplot script", s, "set ylabel 'branch-misses");
	free(s);
}

static void without_gnuplot_the_report_is_written_and_the_package_named(
	void **state)
{
	char *path = strdup(getenv("PATH") ? getenv("PATH") : "");
	struct ch_run r;

	(void)state;
	setenv("PATH", "/nonexistent", 1);
	r = report("--no-measure", "--out", tmp, FIX "bench-gcc", NULL);
	setenv("PATH", path, 1);
	free(path);
	expect_status(&r, 1);
	ch_expect_in("stderr", r.err, "gnuplot-nox");
	if (!has_file(tmp, "report.txt"))
		fail_msg("no report.txt without gnuplot");
	if (has_file(tmp, "plots/bars-random-mem64M-as-compiled.png"))
		fail_msg("a plot without gnuplot?");
	ch_run_free(&r);
}

static void the_newest_results_directory_is_the_default(void **state)
{
	char old[128], new[128];
	struct timespec t[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	struct ch_run r;

	(void)state;
	copy_fixture("bench-clang", "2026-02-04-box", old, sizeof(old));
	copy_fixture("bench-clang", "2026-02-03-box", new, sizeof(new));
	/* the older run has the later name: mtime decides, not the name */
	assert_int_equal(utimensat(AT_FDCWD, path_in(old, "bench.json"), t, 0),
			 0);
	r = report("--no-plots", "--no-measure", "--root", tmp, NULL);
	expect_status(&r, 0);
	if (!has_file(new, "report.txt") || has_file(old, "report.txt"))
		fail_msg("the report went to the wrong directory:\n%s", r.out);
	ch_run_free(&r);

	r = report("--no-plots", "--no-measure", "--root", tmp, NULL);
	expect_status(&r, 0);
	ch_expect_in("stdout", r.out, "report.txt (replaced)");
	ch_run_free(&r);
}

static void a_failed_case_is_reported_with_its_error(void **state)
{
	char *s = report_of(FIX "sweep-mem", NULL);

	(void)state;
	ch_expect_each_in("report", s, "mask-branchless @ none: failed:",
			  "vm.max_map_count",
			  /* no fake-head: the first variant is the baseline */
			  "No fake-head@hvo-fake-head in this scenario: pointer @ none is the baseline.");
	/* and no HVO layout, so no footprint table */
	ch_expect_not_in("report", s, "vmemmap footprint");
	free(s);
}

static void the_footprint_is_measured_by_chbench_when_it_can(void **state)
{
	char *s = report_text(tmp, "--no-plots", "--chbench", ch_chbench(),
			      "--out", tmp, FIX "bench-gcc", NULL);

	(void)state;
	ch_expect_each_in("report", s, "measured by chbench footprint",
			  "hvo-fake-head*             2 GiB            2 GiB   87.50%  yes");
	ch_expect_not_in("report", s, "  NO\n");
	free(s);
}

static void a_directory_without_results_is_refused(void **state)
{
	struct ch_run r = report("--no-plots", tmp, NULL);

	(void)state;
	expect_status(&r, 2);
	ch_expect_in("stderr", r.err, "no readable bench.json");
	ch_run_free(&r);
}

/*
 * Right after chbench aa, the newest results are its A/A pairs: no case
 * to report. One line says so and what is expected; nothing is written.
 */
static void an_aa_run_is_refused_with_one_line(void **state)
{
	struct ch_run r;
	char *dir = ch_spawn_results(&r, "aa", "--quick", "--pairs", "2",
				     "--quiet", "--out", tmp, NULL);
	char want[4300];

	(void)state;
	ch_run_free(&r);
	snprintf(want, sizeof(want),
		 "chbench report: %s is a chbench aa run: A/A pairs only, no cases to compare (its false-claim rate is in its table.txt); give results of chbench bench, a sweep or kernel bench",
		 dir);
	r = report("--no-plots", "--no-measure", "--root", tmp, NULL);
	ch_expect_usage_error(&r, "report after aa", want);
	r = report("--no-plots", "--no-measure", dir, NULL);
	ch_expect_usage_error(&r, "report DIR of aa", want);
	assert_false(has_file(dir, "report.txt"));
	free(dir);
}

static void a_missing_root_is_one_line_and_exit_2(void **state)
{
	struct ch_run r = report("--no-plots", "--root", "/nonexistent/results",
				 NULL);

	(void)state;
	ch_expect_usage_error(&r, "--root /nonexistent/results",
			      "is not a directory");
}

static void four_long_directory_names_still_fit_76_columns(void **state)
{
	char cwd[4096], from[4200], to[4][256], out[128];
	struct ch_run r;
	int i;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(from, sizeof(from), "%s/" FIX "bench-gcc", cwd);
	for (i = 0; i < 4; i++) {
		snprintf(to[i], sizeof(to[i]),
			 "%s/2026-11-25-a-rather-long-host-name-%d", tmp, i);
		assert_int_equal(symlink(from, to[i]), 0);
	}
	snprintf(out, sizeof(out), "%s/out", tmp);
	r = report("--no-plots", "--no-measure", "--out", out, to[0], to[1],
		   to[2], to[3], NULL);
	expect_status(&r, 0);
	expect_narrow_ascii(path_in(out, "report.txt"));
	ch_run_free(&r);
}

static void sweep_tail_writes_results_the_report_draws(void **state)
{
	struct ch_run r;
	char *dir = ch_spawn_results(&r, "sweep", "tail", "--quick",
				     "--tail-fraction", "0,0.5,1", "--shape",
				     "branch", "--out", tmp,
				     "--benchmark_filter=mask-branchless|floor/branch/none",
				     NULL);
	char *s;

	(void)state;
	ch_run_free(&r);
	s = slurp_path(path_in(dir, "metadata.json"), NULL);
	ch_expect_each_in("metadata.json", s, "\"kind\": \"sweep-tail\"",
			  "\"command\": \"sweep tail --quick --tail-fraction 0,0.5,1");
	free(s);
	s = slurp_path(path_in(dir, "bench.json"), NULL);
	ch_expect_each_in("bench.json", s, "/random/tail:0.50/mem:64M/",
			  "/random/tail:1.00/mem:64M/");
	free(s);

	r = report("--no-measure", dir, NULL);
	expect_status(&r, 0);
	expect_png(path_in(dir, "plots/tail-mixed-random-mem64M-branch.png"));
	free(dir);
	ch_run_free(&r);
}

/*
 * Fresh results carry their cases and footprint in metadata.json; the
 * same results without them (as written before it held them) read
 * through 'chbench cases' and 'chbench footprint' make the same report,
 * byte for byte.
 */
static void fresh_results_report_as_the_same_read_the_old_way(void **state)
{
	struct ch_run r;
	char *dir = ch_spawn_results(&r, "bench", "--quick", "--instances",
				     "2", "--quiet", "--out", tmp,
				     "--benchmark_filter=/branch/.*/hugetlb-2m/zap/mem:64M",
				     NULL);
	char *name, a[256], b[256], old[256], *ra, *rb;
	json_t *meta;

	(void)state;
	ch_run_free(&r);
	name = strrchr(dir, '/') + 1;
	snprintf(old, sizeof(old), "%s/old", tmp);
	assert_int_equal(mkdir(old, 0755), 0);
	snprintf(old + strlen(old), sizeof(old) - strlen(old), "/%s", name);
	copy_fixture_from(dir, old);
	meta = json_load_file(path_in(old, "metadata.json"), 0, NULL);
	assert_non_null(meta);
	assert_true(json_is_object(json_object_get(meta, "cases")));
	assert_true(json_is_object(json_object_get(meta, "footprint")));
	json_object_set_new(meta, "cases", json_integer(20));
	json_object_del(meta, "footprint");
	assert_int_equal(json_dump_file(meta, path_in(old, "metadata.json"),
					JSON_INDENT(1) | JSON_PRESERVE_ORDER),
			 0);
	json_decref(meta);

	snprintf(a, sizeof(a), "%s/a", tmp);
	snprintf(b, sizeof(b), "%s/b", tmp);
	ra = report_text(a, "--no-plots", "--out", a, dir, NULL);
	rb = report_text(b, "--no-plots", "--out", b, old, NULL);
	ch_expect_each_in("report", ra, "measured by chbench footprint",
			  "net ns/op");
	assert_string_equal(ra, rb);
	free(ra);
	free(rb);
	free(dir);
}

static void sweep_mem_steps_through_the_sizes_asked_for(void **state)
{
	struct ch_run r;
	char *dir = ch_spawn_results(&r, "sweep", "mem", "--quick", "--mem",
				     "2M..32M", "--shape", "as-compiled",
				     "--out", tmp,
				     "--benchmark_filter=pointer|floor/as-compiled/none",
				     NULL);
	char *s;

	(void)state;
	ch_run_free(&r);
	s = slurp_path(path_in(dir, "bench.json"), NULL);
	/* --quick steps by 4, and the top of the range is always in */
	ch_expect_each_in("bench.json", s, "/mem:2M/", "/mem:8M/", "/mem:32M/");
	ch_expect_none_in("bench.json", s, "/mem:4M/", "/branch/");
	free(s);
	s = slurp_path(path_in(dir, "metadata.json"), NULL);
	ch_expect_in("metadata.json", s, "\"kind\": \"sweep-mem\"");
	free(s);
	free(dir);
}

static void sweeps_reject_bad_ranges_with_one_line(void **state)
{
	static const struct {
		const char *args[4];
		const char *says;
	} bad[] = {
		{ { "sweep", NULL }, "usage: chbench sweep mem" },
		{ { "sweep", "disk", NULL }, "valid: mem, tail" },
		{ { "sweep", "mem", "--mem", "1M..16G" },
		  "the least that holds a folio of every order" },
		{ { "sweep", "mem", "--mem", "64M..2M" }, "at most HI" },
		{ { "sweep", "tail", "--tail-fraction", "0.9..0.1" },
		  "LO is above HI" },
		{ { "sweep", "tail", "--tail-fraction", "0,2" },
		  "expected a fraction from 0 to 1" },
		{ { "sweep", "mem", "--tail-fraction", "0.5" },
		  "does not apply" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *argv[6] = { NULL };
		struct ch_run r;

		memcpy(argv + 1, bad[i].args, sizeof(bad[i].args));
		r = ch_spawnv(argv);
		if (r.status != 2)
			fail_msg("chbench %s %s %s: status %d, expected 2",
				 bad[i].args[0], bad[i].args[1] ?: "",
				 bad[i].args[2] ?: "", r.status);
		ch_expect_in("stderr", r.err, bad[i].says);
		ch_run_free(&r);
	}
}

/*
 * tests/fixtures/instances: three instances of three repetitions that
 * agree within an instance; pointer 7.9% below the baseline, which a
 * test over the nine repetitions would star (p 0.03) and one over the
 * three instances does not (p 0.3).  Instances after the first carry
 * "/iterations:1000" in their names, as Google Benchmark names a run of a
 * fixed iteration count: the same case all the same.
 */
static void significance_is_tested_over_instances_not_repetitions(
	void **state)
{
	char *s = report_of(FIX "instances", NULL);

	(void)state;
	ch_expect_each_in("report", s,
			  "(bench, 3 instances x 3 repetitions per case)",
			  "Instances,\n  not the repetitions within one, are the unit of every test.",
			  "ns/op         10.97 (  0.0%)  10.11 ( -7.8%)",
			  /* the spread between instances (1.0), not within (0.01) */
			  "  95% CI     8.75..13.76     [-24.2, +12.0]",
			  "The family: 1 comparison tested",
			  "0 claimed a difference");
	free(s);
}

static void the_header_gives_the_noise_floor_of_the_run(void **state)
{
	char *s = report_of(FIX "instances", NULL);

	(void)state;
	ch_expect_in("report", s, "Noise floor   the A/A control, pointer @ none order0/random/mem:4G built\n"
		     "              twice: 43.878 and 44.619 ns/op, +1.7% [-15.6, +22.5]: No\n"
		     "              difference proven at 95.0% confidence (Welch's t on the log\n"
		     "              values, 3 vs 3 instances, p 0.80).");
	/* the arms are the control, not cases of their own */
	ch_expect_not_in("report", s, "arm:");
	free(s);
	/* no control in these results: said, not guessed */
	s = report_of(FIX "bench-gcc", NULL);
	ch_expect_in("report", s, "Noise floor   unknown: no A/A control");
	free(s);
}

static void results_of_one_instance_are_not_tested(void **state)
{
	/* made before instances: every repetition on one memmap */
	char *s = report_of(FIX "sweep-tail", NULL);

	(void)state;
	ch_expect_each_in("report", s,
			  "With 1 instance per case no difference can be tested",
			  "so none is claimed: rerun with --instances 2",
			  "The family: 0 comparisons tested",
			  "12 more could not be tested",
			  "  95% CI                     not tested      not tested");
	free(s);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(report_of_one_directory_matches_the_golden_file),
		T(summary_of_one_run_fits_a_mail),
		T(summary_of_two_kernels_has_the_kernel_row),
		T(two_kernels_paths_side_by_side),
		T(report_of_two_directories_has_a_column_per_compiler),
		T(two_directories_default_to_a_compare_directory_beside_them),
		T(two_kernels_compare_the_kernel_row_across_layouts),
		T(a_kernel_beside_the_emulation_matches_by_layout),
		T(differences_within_the_noise_are_not_claimed),
		T(the_zap_case_of_issue_17_is_a_difference),
		T(the_report_takes_no_test_or_alpha_of_its_own),
		T(a_chosen_baseline_takes_the_first_column),
		T(counters_that_do_not_exist_get_no_row),
		T(every_line_is_ascii_and_fits_in_76_columns),
		T(plots_are_valid_png_and_svg),
		T(sweep_mem_is_drawn_against_memmap_size_on_a_log_axis),
		T(sweep_tail_draws_branch_misses_when_the_pmu_has_them),
		T(without_branch_misses_the_tail_plot_says_it_shows_ns),
		T(without_gnuplot_the_report_is_written_and_the_package_named),
		T(the_newest_results_directory_is_the_default),
		T(a_failed_case_is_reported_with_its_error),
		T(the_footprint_is_measured_by_chbench_when_it_can),
		T(a_directory_without_results_is_refused),
		T(an_aa_run_is_refused_with_one_line),
		T(a_missing_root_is_one_line_and_exit_2),
		T(four_long_directory_names_still_fit_76_columns),
		T(sweep_tail_writes_results_the_report_draws),
		T(fresh_results_report_as_the_same_read_the_old_way),
		T(sweep_mem_steps_through_the_sizes_asked_for),
		T(sweeps_reject_bad_ranges_with_one_line),
		T(significance_is_tested_over_instances_not_repetitions),
		T(the_header_gives_the_noise_floor_of_the_run),
		T(results_of_one_instance_are_not_tested),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
