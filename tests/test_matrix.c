// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input to every command, from one table: the command line, the exit
 * status it must give, and a fragment of the one line it must print on
 * stderr (nothing on stdout). Every case runs in a scratch directory whose
 * results/ holds an earlier run, and that results/ must be the same
 * afterwards, file for file: a refused run writes nothing, not even a
 * partial directory.
 *
 * "@report" and "@perf-compare" stand for the scripts, "@DIR" for the
 * earlier run, "@LONG" for a 100 KB argument.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/util.h"
#include "tests/spawn.h"
#include "tests/tmpdir.h"

#define MAX_ARGS	12

struct bad {
	const char *argv[MAX_ARGS];
	int status;
	const char *line;	/* a fragment of the one line on stderr */
};

static const struct bad matrix[] = {
	/* chbench itself */
	{ { "bogus" }, 2, "unknown command 'bogus'; valid: list, verify" },
	{ { "run", "--variant", "@LONG" }, 2,
	  "bytes long ('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA...'); no chbench argument takes more than 4095" },
	/* found by fuzz_mix: a newline in the input split the message */
	{ { "run", "--variant", "pointer", "--mix", "0:m\n/04" }, 2,
	  "--mix '0:m?/04': bad class" },
	/* list, verify */
	{ { "list", "--mem", "1G" }, 2, "option '--mem' does not apply" },
	{ { "verify", "--mem", "4K" }, 2,
	  "an order-9 folio needs --mem of at least 2M, got 4K" },
	{ { "verify", "--walk", "zap" }, 2, "'--walk' does not apply" },
	{ { "verify", "--mix", "h3:50,0:40" }, 2, "sum to 90, not 100" },
	/* run: validated before any warning */
	{ { "run" }, 2, "--variant is required" },
	{ { "run", "--variant", "nope" }, 2, "unknown variant 'nope'" },
	{ { "run", "--variant", "pointer", "--mem", "0" }, 2,
	  "--mem 0: must be a multiple of 4K" },
	{ { "run", "--variant", "pointer", "--mem", "16Q" }, 2,
	  "expected a size such as 64M" },
	{ { "run", "--variant", "pointer", "--mem", "16T" }, 2,
	  "below 16T" },
	{ { "run", "--variant", "pointer", "--walk", "zap",
	    "--tail-fraction", "0.5" }, 2,
	  "--tail-fraction applies to the random and chase walks" },
	{ { "run", "--variant", "pointer", "--pick", "tail", "--mix",
	    "order0" }, 2, "--pick tail: mix order0 has no tail pages" },
	{ { "run", "--variant", "pointer", "--tail-fraction", "0.5",
	    "--mix", "order0" }, 2, "mix order0 has no tail pages" },
	{ { "run", "--variant", "mask-branchy", "--layout",
	    "hvo-shared-tail", "--mix", "h3:100" }, 2,
	  "hvo-shared-tail never optimizes an order-3 HugeTLB folio" },
	{ { "run", "--variant", "pointer", "--layout", "hvo-fake-head" }, 2,
	  "pointer is not correct on hvo-fake-head" },
	{ { "run", "--variant", "pointer", "--control", "bogus" }, 2,
	  "--control 'bogus': unknown form" },
	{ { "run", "--variant", "pointer", "--events", "cycles,,x" }, 2,
	  "empty event name" },
	{ { "run", "--variant", "pointer", "--cpu", "99999" }, 2,
	  "--cpu '99999': expected a whole number from 0 to 4095" },
	{ { "run", "--variant", "pointer", "--ops", "0" }, 2,
	  "--ops '0': expected a whole number from 1" },
	{ { "run", "--variant", "pointer", "--pick", "head",
	    "--tail-fraction", "0.5" }, 2, "exclude each other" },
	/* sim takes run's checks */
	{ { "sim", "--variant", "pointer", "--mem", "0" }, 2,
	  "--mem 0: must be a multiple of 4K" },
	/* bench: every --benchmark_* flag and every case, before the work */
	{ { "bench", "--benchmark_filter=nomatch" }, 2,
	  "--benchmark_filter=nomatch matches none of the " },
	/* (the count, the registry's: test_bench's suite_counts_...) */
	{ { "bench", "--benchmark_filter=[" }, 2,
	  "is not a valid regular expression" },
	{ { "bench", "--benchmark_repetitions=0" }, 2,
	  "'--benchmark_repetitions=0': bad value; valid: --benchmark_repetitions=N" },
	{ { "bench", "--benchmark_repetitions=-3" }, 2,
	  "'--benchmark_repetitions=-3': bad value" },
	{ { "bench", "--benchmark_repetitions=abc" }, 2,
	  "'--benchmark_repetitions=abc': bad value" },
	{ { "bench", "--benchmark_min_time=-1" }, 2,
	  "--benchmark_min_time=SECONDS (above 0)" },
	{ { "bench", "--benchmark_out=/nonexistent/x.json" }, 2,
	  "cannot write --benchmark_out=/nonexistent/x.json" },
	{ { "bench", "--benchmark_bogus=1" }, 2,
	  "unknown Google Benchmark flag '--benchmark_bogus=1'; valid: --benchmark_filter=REGEX" },
	{ { "bench", "--benchmark_format=xml" }, 2,
	  "valid: --benchmark_format={console|json|csv}" },
	{ { "bench", "--mem", "16T" }, 2, "--mem 16T: must be a multiple" },
	{ { "bench", "--mem", "65537K" }, 2,
	  "--mem 65537K: must be a multiple of 4K" },
	{ { "bench", "--mem", "32M" }, 2,
	  "must exceed the cache-resident 64M" },
	{ { "bench", "stray" }, 2, "unexpected argument 'stray'" },
	{ { "bench", "--events", "" }, 2, "empty event list" },
	{ { "bench", "--mix", "order0" }, 2, "'--mix' does not apply" },
	/* sweeps */
	{ { "sweep", "bogus" }, 2, "unknown sweep 'bogus'; valid: mem, tail" },
	{ { "sweep", "mem", "--quick", "--mem", "1G..32T" }, 2, "--mem " },
	{ { "sweep", "mem", "--mem", "32T" }, 2, "below 16T" },
	{ { "sweep", "mem", "--mem", "16T" }, 2, "below 16T" },
	{ { "sweep", "tail", "--mem", "16T" }, 2, "below 16T" },
	{ { "sweep", "tail", "--walk", "zap" }, 2,
	  "--tail-fraction applies to the random and chase walks" },
	{ { "sweep", "tail", "--mix", "order0" }, 2,
	  "mix order0 has no tail pages" },
	{ { "sweep", "mem", "--mem", "1G,,2G" }, 2,
	  "--mem '1G,,2G': empty item" },
	{ { "sweep", "mem", "--mem", ",1G" }, 2, "--mem ',1G': empty item" },
	{ { "sweep", "mem", "--mem", "1G,2G," }, 2,
	  "--mem '1G,2G,': empty item" },
	{ { "sweep", "tail", "--tail-fraction", "0.1," }, 2,
	  "--tail-fraction '0.1,': empty item" },
	{ { "sweep", "mem", "--mem", "1G,1024M" }, 2,
	  "--mem names 1G twice" },
	{ { "sweep", "tail", "--tail-fraction", "0.1,0.1000001" }, 2,
	  "0.1 and 0.1 are both random/tail:0.10 in case names" },
	{ { "sweep", "mem", "--mem", "4G..1G" }, 2, "LO must be above 0" },
	{ { "sweep", "mem", "--benchmark_filter=nomatch" }, 2,
	  "matches none of the" },
	{ { "sweep", "tail", "--benchmark_repetitions=0" }, 2,
	  "'--benchmark_repetitions=0': bad value" },
	/* compare, stats: the statistics */
	{ { "compare" }, 2, "compare: give one results directory or more" },
	{ { "compare", "/nonexistent" }, 2,
	  "compare: /nonexistent/bench.json: no readable JSON" },
	{ { "compare", "--baseline", "nope", "@DIR" }, 2,
	  "compare: --baseline nope: no such case" },
	{ { "compare", "--alpha", "0.1", "@DIR" }, 2,
	  "compare: unknown option '--alpha'; valid: --baseline" },
	{ { "stats", "x" }, 2,
	  "stats: unexpected argument 'x'; the values come on stdin" },
	/* asm, footprint */
	{ { "asm", "--key-sites", "--variant", "pointer" }, 2,
	  "--key-sites lists every site of the static key and takes no --variant" },
	{ { "asm", "--variant", "nope" }, 2, "unknown variant 'nope'" },
	{ { "asm", "--loop", "nope" }, 2, "unknown loop 'nope'" },
	{ { "footprint", "--mem", "1M" }, 2,
	  "footprint: --mem 1M: give a power of two from 1G (a 1 GiB HugeTLB folio) to 1T" },
	{ { "footprint", "--mem", "3G" }, 2, "give a power of two from 1G" },
	{ { "footprint", "--mem", "2T" }, 2, "give a power of two from 1G" },
	/* scripts/report */
	/* alpha is chbench's own (report/stats.h), never the report's */
	{ { "@report", "--alpha", "0.01", "@DIR" }, 2,
	  "--alpha: the report has no test or alpha to choose" },
	{ { "@report", "--out", "/proc/x", "@DIR" }, 2,
	  "--out /proc/x: cannot write there" },
	{ { "@report", "--baseline", "bogus", "@DIR" }, 2,
	  "--baseline bogus: no such case" },
	{ { "@report", "--test", "mwu", "@DIR" }, 2,
	  "--test: the report has no test or alpha to choose" },
	{ { "@report", "/nonexistent" }, 2, "/nonexistent" },
	/* scripts/perf-compare */
	{ { "@perf-compare", "--variants", "" }, 2,
	  "--variants '': give a comma list of variants without empty items" },
	{ { "@perf-compare", "--variants", "pointer," }, 2,
	  "--variants 'pointer,': give a comma list" },
	{ { "@perf-compare", "--variants", "pointer,pointer" }, 2,
	  "names a variant twice" },
	{ { "@perf-compare", "-r", "0" }, 2, "give at least 1 run" },
	{ { "@perf-compare", "--", "--variant", "pointer" }, 2,
	  "--variant is set by perf-compare itself" },
};

#define NR_BAD	ARRAY_SIZE(matrix)

static char scratch[] = "/tmp/chbench-test-matrix-XXXXXX";
static char top[PATH_MAX], earlier[PATH_MAX + 64], *longarg;

/* results/ as text: every path, size and mtime under it */
static char *listing;
static size_t listing_len, listing_cap;

static int list_one(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	char line[PATH_MAX + 64];
	int n;

	(void)type;
	(void)ftw;
	n = snprintf(line, sizeof(line), "%s %lld %lld.%09ld\n", path,
		     (long long)st->st_size, (long long)st->st_mtim.tv_sec,
		     st->st_mtim.tv_nsec);
	if (listing_len + n + 1 > listing_cap) {
		listing_cap = 2 * (listing_len + n + 1);
		listing = realloc(listing, listing_cap);
		assert_non_null(listing);
	}
	memcpy(listing + listing_len, line, n + 1);
	listing_len += n;
	return 0;
}

static char *snapshot(void)
{
	listing = NULL;
	listing_len = listing_cap = 0;
	assert_int_equal(nftw("results", list_one, 16, FTW_PHYS), 0);
	return listing;
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "r"), *out = fopen(to, "w");
	char buf[8192];
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)))
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static int setup(void **state)
{
	static char chbench[PATH_MAX];
	char from[PATH_MAX + 64];
	const char *files[] = { "bench.json", "metadata.json" };
	size_t i;

	(void)state;
	if (!getcwd(top, sizeof(top)) || !realpath(ch_chbench(), chbench) ||
	    !mkdtemp(scratch))
		return -1;
	setenv("CHBENCH", chbench, 1);
	if (chdir(scratch) || mkdir("results", 0777))
		return -1;
	/* an earlier run that every case must leave alone */
	snprintf(earlier, sizeof(earlier), "%s/results/2026-01-01-earlier",
		 scratch);
	if (mkdir(earlier, 0777))
		return -1;
	for (i = 0; i < 2; i++) {
		char to[PATH_MAX + 128];

		snprintf(from, sizeof(from), "%s/tests/fixtures/bench-gcc/%s",
			 top, files[i]);
		snprintf(to, sizeof(to), "%s/%s", earlier, files[i]);
		copy_file(from, to);
	}
	longarg = malloc(100 * 1024 + 1);
	if (!longarg)
		return -1;
	memset(longarg, 'A', 100 * 1024);
	longarg[100 * 1024] = '\0';
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(longarg);
	if (chdir(top))
		return -1;
	return ch_rm_tree(scratch);
}

static void every_bad_input_exits_with_one_line_and_writes_nothing(
	void **state)
{
	char script[PATH_MAX + 64], bad[16384] = "";
	size_t i, off = 0;
	int failed = 0;

	(void)state;
	for (i = 0; i < NR_BAD; i++) {
		const struct bad *b = &matrix[i];
		const char *argv[MAX_ARGS + 2];
		char *before, *after, cmd[512] = "";
		struct ch_run r;
		int n = 0, j;

		argv[n++] = NULL;	/* chbench */
		for (j = 0; j < MAX_ARGS && b->argv[j]; j++) {
			const char *a = b->argv[j];

			if (j == 0 && a[0] == '@') {
				snprintf(script, sizeof(script),
					 "%s/scripts/%s", top, a + 1);
				argv[0] = script;
				continue;
			}
			if (!strcmp(a, "@DIR"))
				a = earlier;
			else if (!strcmp(a, "@LONG"))
				a = longarg;
			argv[n++] = a;
			snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd),
				 "%s%.40s", j ? " " : "", b->argv[j]);
		}
		argv[n] = NULL;
		before = snapshot();
		r = ch_spawnv(argv);
		after = snapshot();
		if (r.status != b->status || ch_count_lines(r.err) != 1 ||
		    !strstr(r.err, b->line) || *r.out ||
		    strcmp(before, after)) {
			failed++;
			off += snprintf(bad + off, sizeof(bad) - off,
					"\n%s: exit %d (want %d), %d lines on stderr, stdout %s, results/ %s; want \"%s\", got:\n%.600s",
					cmd, r.status, b->status,
					ch_count_lines(r.err),
					*r.out ? "not empty" : "empty",
					strcmp(before, after) ? "CHANGED" :
					"unchanged", b->line, r.err);
			if (off >= sizeof(bad))
				off = sizeof(bad) - 1;
		}
		free(before);
		free(after);
		ch_run_free(&r);
	}
	print_message("# bad-input matrix: %zu cases, %zu as expected\n",
		      NR_BAD, NR_BAD - failed);
	if (failed)
		fail_msg("%d of %zu bad inputs misbehaved:%s", failed, NR_BAD,
			 bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_bad_input_exits_with_one_line_and_writes_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
