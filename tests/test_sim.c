// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of chbench sim: its callgrind parsing, the command as a user runs
 * it ($CHBENCH, build/chbench when unset), the invariants CI guards
 * through the simulator, and the checked-in instruction baseline
 * (tests/sim-baseline.txt, or $CHBENCH_SIM_BASELINE) for the compiler
 * that built chbench.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/sim.h"
#include "lib/util.h"
#include "variants/variants.h"
#include "tests/sanitize.h"
#include "tests/spawn.h"

#define MAX_ROWS	128
#define MAX_SECTIONS	16
#define MAX_OPTS	16

/* The invariants' scenario: a random walk, half tails, branch shape. */
#define HALF_TAILS	"--mem", "64M", "--walk", "random", \
			"--tail-fraction", "0.5", "--shape", "branch"

/* ---- callgrind output parsing ---- */

static FILE *text_file(const char *s)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	fputs(s, f);
	rewind(f);
	return f;
}

static const char profile[] =
	"# callgrind format\n"
	"version: 1\n"
	"creator: callgrind-3.19.0\n"
	"events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim\n"
	"summary: 1 2 3 4 5 6 7 8 9 10 11\n"
	"ob=(1) /x/chbench\n"
	"fl=(1) walkfn.c\n"
	"fn=(1) main\n"
	"cfn=(7) ch_walk_index_pointer_branch\n"
	"calls=1 20\n"
	"16 731659 131073 0 2 69598 0 2 40 3 131073 31080\n"
	"fn=(7)\n"
	"13 731659 131073 0 2 69598 0 2 40 3 131073 31080\n"
	"totals: 731659 131073 0 2 69598 0 2 40 3 131073 31080\n";

/* Callgrind's output @text for the walk function @sym; it must parse. */
static void parse_ok(const char *text, const char *sym,
		     struct ch_sim_result *r)
{
	char err[256] = "";
	FILE *f = text_file(text);

	if (ch_sim_parse_callgrind(f, sym, r, err, sizeof(err)))
		fail_msg("parse failed: %s", err);
	fclose(f);
}

static void callgrind_totals_are_read_by_event_name(void **state)
{
	struct ch_sim_result r;

	(void)state;
	parse_ok(profile, "ch_walk_index_pointer_branch", &r);
	assert_string_equal(r.tool, "callgrind-3.19.0");
	assert_true(r.sym_seen);
	/* totals, not the summary line that came first */
	assert_int_equal(r.ev[CH_SIM_IR], 731659);
	assert_int_equal(r.ev[CH_SIM_D1MR], 69598);
	assert_int_equal(r.ev[CH_SIM_D1MW], 0);
	assert_int_equal(r.ev[CH_SIM_DLMR], 40);
	assert_int_equal(r.ev[CH_SIM_DLMW], 3);
	assert_int_equal(r.ev[CH_SIM_BC], 131073);
	assert_int_equal(r.ev[CH_SIM_BCM], 31080);
}

static void callgrind_totals_may_leave_out_trailing_zeros(void **state)
{
	struct ch_sim_result r;

	(void)state;
	parse_ok("events: Ir Bc Bcm D1mr D1mw DLmr DLmw\n"
		 "fn=(3) ch_walk_chase_floor_branch.cold\n"
		 "totals: 42 7\n", "ch_walk_chase_floor_branch", &r);
	assert_true(r.sym_seen);
	assert_int_equal(r.ev[CH_SIM_IR], 42);
	assert_int_equal(r.ev[CH_SIM_BC], 7);
	assert_int_equal(r.ev[CH_SIM_BCM], 0);
	assert_int_equal(r.ev[CH_SIM_DLMW], 0);
}

static void a_longer_function_name_is_not_the_walk_function(void **state)
{
	struct ch_sim_result r;
	char err[256] = "";
	FILE *f = text_file("events: Ir Bc Bcm D1mr D1mw DLmr DLmw\n"
			    "fn=(1) ch_walk_index_mask_branchy_branch_x\n"
			    "cfn=(2) ch_walk_index_mask_branch\n"
			    "totals: 1\n");

	(void)state;
	assert_int_equal(ch_sim_parse_callgrind(f,
			 "ch_walk_index_mask_branchy_branch", &r, err,
			 sizeof(err)), 0);
	fclose(f);
	assert_false(r.sym_seen);
}

static void a_profile_without_branch_sim_is_refused_naming_the_option(void **state)
{
	struct ch_sim_result r;
	char err[256] = "";
	FILE *f = text_file("events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n"
			    "totals: 1 2 3 4 5 6 7 8 9\n");

	(void)state;
	assert_int_equal(ch_sim_parse_callgrind(f, "x", &r, err, sizeof(err)),
			 -EBADMSG);
	fclose(f);
	if (!strstr(err, "--branch-sim=yes"))
		fail_msg("message lacks \"--branch-sim=yes\": %s", err);
}

static void runs_json_gives_ops_key_and_walk_function(void **state)
{
	struct ch_sim_result r;
	char err[256] = "";

	(void)state;
	assert_int_equal(ch_sim_parse_run_json(
		"{\"variant\": \"fake-head\", \"seed\": 1, \"key\": \"on\", "
		"\"walk_function\": \"ch_walk_index_fake_head_branch\", "
		"\"ops\": 65536, \"ns_per_op\": 1.0}", &r, err, sizeof(err)),
		0);
	assert_int_equal(r.ops, 65536);
	assert_true(r.key);
	assert_string_equal(r.walk_function,
			    "ch_walk_index_fake_head_branch");
	assert_int_equal(ch_sim_parse_run_json("{\"ops\": 1}", &r, err,
					       sizeof(err)), -EBADMSG);
	/* parsed, not matched: any spacing and order, and strings typed */
	assert_int_equal(ch_sim_parse_run_json(
		"{\"walk_function\":\"w\",\"key\":\"off\",\"ops\":7}", &r,
		err, sizeof(err)), 0);
	assert_int_equal(r.ops, 7);
	assert_false(r.key);
	assert_string_equal(r.walk_function, "w");
	assert_int_equal(ch_sim_parse_run_json(
		"{\"ops\": \"7\", \"key\": \"on\", \"walk_function\": \"w\"}",
		&r, err, sizeof(err)), -EBADMSG);
	assert_int_equal(ch_sim_parse_run_json("{\"ops\": 7, \"key\"", &r,
					       err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "no usable JSON"));
}

/* ---- the command ---- */

/* chbench sim with the NULL-terminated arguments, then --json */
static struct ch_run sim(const char *arg, ...)
{
	struct ch_run r;
	va_list ap;

	/* before anything is spawned, so a skipped test leaks nothing */
	CH_SKIP_UNDER_SANITIZER("valgrind cannot run an ASan binary");
	va_start(ap, arg);
	r = ch_spawn_va(NULL, "sim", "--json", arg, ap);
	va_end(ap);
	return r;
}

static void sim_ok(const struct ch_run *r, const char *what)
{
	if (r->status)
		fail_msg("chbench sim %s: exited %d:\n%s", what, r->status,
			 r->err);
}

/* The number after "key": in sim's JSON. */
static double json_num(const char *json, const char *key)
{
	char pat[80];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(json, pat);
	if (!p)
		fail_msg("no \"%s\" in:\n%s", key, json);
	return strtod(p + strlen(pat), NULL);
}

static void sim_labels_every_figure_and_says_what_it_lacks(void **state)
{
	struct ch_run r;
	static const char *const want[] = {
		"simulated (valgrind)", "4096 ops", "instructions/op",
		"cond-branches/op", "cond-mispredicts/op", "D1-misses/op",
		"LL-misses/op", "ch_walk_index_pointer_as_compiled only",
		"no TLB", "no hardware prefetcher", "branch predictor",
		"not hardware counts",
	};

	(void)state;
	CH_SKIP_UNDER_SANITIZER("valgrind cannot run an ASan binary");
	r = ch_spawn("sim", "--variant", "pointer", "--mem", "16M", "--ops",
		     "4096", NULL);
	sim_ok(&r, "--variant pointer");
	ch_expect_list("sim's output", r.out, true, want, ARRAY_SIZE(want));
	ch_run_free(&r);
}

static void sim_json_has_runs_parameters_and_only_simulated_figures(void **state)
{
	struct ch_run r = sim("--variant", "mask-branchy", "--mem", "16M",
			      "--layout", "hvo-shared-tail", NULL);
	static const char *const want[] = {
		"\"variant\": \"mask-branchy\"", "\"shape\": \"as-compiled\"",
		"\"layout\": \"hvo-shared-tail\"", "\"mix\": \"mixed\"",
		"\"mem\": \"16M\"", "\"walk\": \"random\"", "\"seed\": 1",
		"\"walk_function\": \"ch_walk_index_mask_branchy_as_compiled\"",
		"\"ops\": 65536",
		"\"simulated\": {\"label\": \"simulated (valgrind)\"",
		"\"instructions_per_op\": ", "\"cond_branches_per_op\": ",
		"\"cond_mispredicts_per_op\": ", "\"d1_misses_per_op\": ",
		"\"ll_misses_per_op\": ", "\"lacks\": \"no TLB",
		"\"compiler\": ",
	};

	(void)state;
	sim_ok(&r, "--variant mask-branchy --json");
	assert_int_equal(ch_count_lines(r.out), 1);
	ch_expect_list("sim's JSON", r.out, true, want, ARRAY_SIZE(want));
	/* hardware counts never sit next to simulated ones */
	ch_expect_none_in("sim's JSON", r.out, "\"counters\"",
			  "\"ns_per_op\"");
	ch_run_free(&r);
}

static void the_same_seed_gives_identical_simulated_counts(void **state)
{
	struct ch_run a = sim("--variant", "fake-head", "--layout",
			      "hvo-fake-head", "--seed", "7", "--mem", "64M",
			      NULL);
	struct ch_run b = sim("--variant", "fake-head", "--layout",
			      "hvo-fake-head", "--seed", "7", "--mem", "64M",
			      NULL);
	const char *ta, *tb;

	(void)state;
	sim_ok(&a, "--seed 7");
	sim_ok(&b, "--seed 7");
	ta = strstr(a.out, "\"totals\": {");
	tb = strstr(b.out, "\"totals\": {");
	assert_non_null(ta);
	assert_non_null(tb);
	if (strncmp(ta, tb, strcspn(ta, "}") + 1))
		fail_msg("two runs with --seed 7 differ:\n  %.*s\n  %.*s",
			 (int)strcspn(ta, "}") + 1, ta,
			 (int)strcspn(tb, "}") + 1, tb);
	ch_run_free(&a);
	ch_run_free(&b);
}

static void sim_without_valgrind_exits_2_with_one_line_naming_the_package(void **state)
{
	struct ch_run r;

	(void)state;
	setenv("VALGRIND", "/nonexistent/valgrind", 1);
	r = ch_spawn("sim", "--variant", "pointer", NULL);
	ch_expect_usage_error(&r, "VALGRIND=/nonexistent/valgrind",
			      "install the Debian package valgrind");
	setenv("VALGRIND", "no-such-valgrind", 1);
	r = ch_spawn("sim", "--variant", "pointer", NULL);
	unsetenv("VALGRIND");
	ch_expect_usage_error(&r, "VALGRIND=no-such-valgrind",
			      "install the Debian package valgrind");
}

static void sim_table_without_valgrind_says_so_once(void **state)
{
	const char *argv[] = { "scripts/sim-table", NULL, NULL };
	struct ch_run r;

	(void)state;
	argv[1] = ch_chbench();
	setenv("VALGRIND", "/nonexistent/valgrind", 1);
	r = ch_spawnv(argv);
	unsetenv("VALGRIND");
	/* one line, not one per variant and shape */
	ch_expect_usage_error(&r, "sim-table without valgrind",
			      "install the Debian package valgrind");
}

static void sim_refuses_events_and_control_with_one_line(void **state)
{
	struct ch_run r;

	(void)state;
	r = ch_spawn("sim", "--variant", "pointer", "--events", "cycles",
		     NULL);
	ch_expect_usage_error(&r, "sim --events",
			      "option '--events' does not apply");
	r = ch_spawn("sim", "--variant", "pointer", "--control", "fd:0,1",
		     NULL);
	ch_expect_usage_error(&r, "sim --control",
			      "option '--control' does not apply");
}

static void sim_passes_on_runs_error_when_the_walk_cannot_be_built(void **state)
{
	struct ch_run r = ch_spawn("sim", "--variant", "pointer", "--mix",
				   "order0", "--pick", "tail", NULL);

	(void)state;
	ch_expect_usage_error(&r, "sim --mix order0 --pick tail",
			      "mix order0 has no tail pages");
}

/* ---- the invariants ---- */

static void mask_branchless_mispredicts_at_most_0_01_per_op_on_half_tails(void **state)
{
	struct ch_run r = sim("--variant", "mask-branchless", HALF_TAILS,
			      NULL);
	double m;

	(void)state;
	sim_ok(&r, "--variant mask-branchless");
	m = json_num(r.out, "cond_mispredicts_per_op");
	if (m > 0.01)
		fail_msg("mask-branchless: %.4f simulated mispredicts/op, want at most 0.01",
			 m);
	ch_run_free(&r);
}

static void mask_branchy_mispredicts_at_least_0_2_per_op_on_half_tails(void **state)
{
	struct ch_run r = sim("--variant", "mask-branchy", HALF_TAILS, NULL);
	double m;

	(void)state;
	sim_ok(&r, "--variant mask-branchy");
	m = json_num(r.out, "cond_mispredicts_per_op");
	if (m < 0.2)
		fail_msg("mask-branchy: %.4f simulated mispredicts/op, want at least 0.2",
			 m);
	ch_run_free(&r);
}

static void fake_head_with_the_key_on_runs_more_instructions_than_pointer_on_aligned_heads(void **state)
{
	struct ch_run f = sim("--variant", "fake-head", "--layout",
			      "hvo-fake-head", "--key", "on", "--pick",
			      "aligned-head", "--shape", "branch", "--mem",
			      "64M", NULL);
	struct ch_run p = sim("--variant", "pointer", "--layout", "none",
			      "--pick", "aligned-head", "--shape", "branch",
			      "--mem", "64M", NULL);
	double fi, pi;

	(void)state;
	sim_ok(&f, "--variant fake-head --key on --pick aligned-head");
	sim_ok(&p, "--variant pointer --pick aligned-head");
	ch_expect_in("fake-head's JSON", f.out, "\"key\": \"on\"");
	fi = json_num(f.out, "instructions_per_op");
	pi = json_num(p.out, "instructions_per_op");
	if (fi <= pi)
		fail_msg("fake-head with the key on: %.4f simulated instructions/op, pointer: %.4f; want more (is the key patched under valgrind?)",
			 fi, pi);
	ch_run_free(&f);
	ch_run_free(&p);
}

/*
 * The key is patched into the text at run time: under valgrind the
 * patched jump must be what runs, or the key-on figures are the key-off
 * ones. On 4 KiB-aligned heads the slow path adds about ten
 * instructions (alignment test, PG_head test, page[1] load and test).
 */
static void fake_head_runs_its_slow_path_under_valgrind_when_the_key_is_on(void **state)
{
	struct ch_run on = sim("--variant", "fake-head", "--key", "on",
			       "--pick", "aligned-head", "--mem", "64M", NULL);
	struct ch_run off = sim("--variant", "fake-head", "--key", "off",
				"--pick", "aligned-head", "--mem", "64M",
				NULL);
	double i_on, i_off;

	(void)state;
	sim_ok(&on, "--variant fake-head --key on");
	sim_ok(&off, "--variant fake-head --key off");
	i_on = json_num(on.out, "instructions_per_op");
	i_off = json_num(off.out, "instructions_per_op");
	if (i_on < i_off + 4)
		fail_msg("fake-head on aligned heads: %.4f simulated instructions/op with the key on, %.4f with it off; want at least 4 more with it on",
			 i_on, i_off);
	ch_run_free(&on);
	ch_run_free(&off);
}

/* ---- the instruction baseline ---- */

struct row {
	char variant[32], shape[32], walk[32], pick[32], layout[32];
	char value[32];		/* as written: %.4f */
};

struct section {
	char compiler[128];
	int nr;
	struct row rows[MAX_ROWS];
};

static struct baseline {
	char path[4096];
	char *opt[MAX_OPTS];
	int nr_opts;
	int nr;
	struct section sec[MAX_SECTIONS];
	char compiler[128];	/* of the chbench under test */
	char cflags[256];
} bl;

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static void read_baseline(void)
{
	const char *env = getenv("CHBENCH_SIM_BASELINE");
	char line[512], *save, *t;
	struct section *sec = NULL;
	FILE *f;

	snprintf(bl.path, sizeof(bl.path), "%s",
		 env && *env ? env : "tests/sim-baseline.txt");
	f = fopen(bl.path, "r");
	if (!f)
		fail_msg("cannot read %s (run from the top directory, or set CHBENCH_SIM_BASELINE)",
			 bl.path);
	while (fgets(line, sizeof(line), f)) {
		trim(line);
		if (!line[0] || line[0] == '#')
			continue;
		if (!strncmp(line, "options:", 8)) {
			for (t = strtok_r(line + 8, " ", &save);
			     t && bl.nr_opts < MAX_OPTS;
			     t = strtok_r(NULL, " ", &save))
				bl.opt[bl.nr_opts++] = strdup(t);
		} else if (line[0] == '[') {
			assert_true(bl.nr < MAX_SECTIONS);
			sec = &bl.sec[bl.nr++];
			snprintf(sec->compiler, sizeof(sec->compiler), "%.*s",
				 (int)strcspn(line + 1, "]"), line + 1);
		} else if (sec && sec->nr < MAX_ROWS) {
			struct row *r = &sec->rows[sec->nr];

			if (sscanf(line, "%31s %31s %31s %31s %31s %31s",
				   r->variant, r->shape, r->walk, r->pick,
				   r->layout, r->value) != 6)
				fail_msg("%s: bad row: %s", bl.path, line);
			sec->nr++;
		}
	}
	fclose(f);
}

/* The compiler name as chbench reports it, from a one-op run. */
static void read_compiler(void)
{
	struct ch_run r = ch_spawn("run", "--variant", "floor", "--mem", "16M",
				   "--ops", "1", "--events", "task-clock",
				   "--json", NULL);
	const char *p;

	if (r.status)
		fail_msg("chbench run exited %d: %s", r.status, r.err);
	p = strstr(r.out, "\"compiler\": \"");
	assert_non_null(p);
	p += strlen("\"compiler\": \"");
	snprintf(bl.compiler, sizeof(bl.compiler), "%.*s",
		 (int)strcspn(p, "\""), p);
	p = strstr(r.out, "\"cflags\": \"");
	assert_non_null(p);
	p += strlen("\"cflags\": \"");
	snprintf(bl.cflags, sizeof(bl.cflags), "%.*s", (int)strcspn(p, "\""),
		 p);
	ch_run_free(&r);
}

static void check_baseline(const char *variant)
{
	struct section *sec = NULL;
	char bad[8192] = "", have[512] = "";
	size_t off = 0;
	int i, rows = 0;

	CH_SKIP_UNDER_SANITIZER("exact instruction counts, under valgrind");
	if (!bl.path[0])
		read_baseline();
	if (!bl.compiler[0])
		read_compiler();
	for (i = 0; i < bl.nr; i++) {
		snprintf(have + strlen(have), sizeof(have) - strlen(have),
			 "%s%s", i ? ", " : "", bl.sec[i].compiler);
		if (!strcmp(bl.sec[i].compiler, bl.compiler))
			sec = &bl.sec[i];
	}
	if (!sec) {
		print_message("no simulated-instruction baseline for %s in %s (it has: %s); add one: scripts/sim-baseline --write %s\n",
			      bl.compiler, bl.path, have[0] ? have : "none",
			      ch_chbench());
		skip();
	}
	for (i = 0; i < sec->nr; i++) {
		const struct row *w = &sec->rows[i];
		const char *argv[CH_SPAWN_MAX_ARGS + 2];
		struct ch_run r;
		char got[32];
		int n = 0, j;

		if (strcmp(w->variant, variant))
			continue;
		rows++;
		argv[n++] = NULL;
		argv[n++] = "sim";
		for (j = 0; j < bl.nr_opts; j++)
			argv[n++] = bl.opt[j];
		argv[n++] = "--variant";
		argv[n++] = w->variant;
		argv[n++] = "--shape";
		argv[n++] = w->shape;
		argv[n++] = "--walk";
		argv[n++] = w->walk;
		argv[n++] = "--pick";
		argv[n++] = w->pick;
		argv[n++] = "--layout";
		argv[n++] = w->layout;
		argv[n++] = "--json";
		argv[n] = NULL;
		r = ch_spawnv(argv);
		sim_ok(&r, w->variant);
		snprintf(got, sizeof(got), "%.4f",
			 json_num(r.out, "instructions_per_op"));
		if (strcmp(got, w->value))
			off += snprintf(bad + off, sizeof(bad) - off,
					"\n  %s %s %s pick %s on %s: baseline %s, got %s",
					w->variant, w->shape, w->walk, w->pick,
					w->layout, w->value, got);
		ch_run_free(&r);
		if (off >= sizeof(bad))
			break;
	}
	if (!rows) {
		/* a new variant: reported and skipped, not failed */
		print_message("no simulated-instruction baseline for %s in %s [%s]; record it: scripts/sim-baseline --write %s\n",
			      variant, bl.path, bl.compiler, ch_chbench());
		skip();
	}
	if (off)
		fail_msg("simulated instructions/op of the %s walk functions differ from %s for %s (cflags %s), so the compiled measured code changed:%s\nIf the change is meant: scripts/sim-baseline --write %s",
			 variant, bl.path, bl.compiler, bl.cflags, bad,
			 ch_chbench());
}

/* One test per registry variant: its rows, or a skip naming the fix. */
static void walk_functions_match_the_instruction_baseline(void **state)
{
	check_baseline(*state);
}

/* A row of a variant the registry lost is a stale baseline. */
static void every_baseline_row_names_a_registry_variant(void **state)
{
	int i, j;

	(void)state;
	CH_SKIP_UNDER_SANITIZER("exact instruction counts, under valgrind");
	if (!bl.path[0])
		read_baseline();
	for (i = 0; i < bl.nr; i++)
		for (j = 0; j < bl.sec[i].nr; j++)
			if (!ch_variant_find(bl.sec[i].rows[j].variant))
				fail_msg("%s [%s]: a row for '%s', which is no variant (valid: %s); rewrite the section: scripts/sim-baseline --write %s",
					 bl.path, bl.sec[i].compiler,
					 bl.sec[i].rows[j].variant,
					 ch_variant_list(), ch_chbench());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(callgrind_totals_are_read_by_event_name),
		cmocka_unit_test(callgrind_totals_may_leave_out_trailing_zeros),
		cmocka_unit_test(a_longer_function_name_is_not_the_walk_function),
		cmocka_unit_test(a_profile_without_branch_sim_is_refused_naming_the_option),
		cmocka_unit_test(runs_json_gives_ops_key_and_walk_function),
		cmocka_unit_test(sim_labels_every_figure_and_says_what_it_lacks),
		cmocka_unit_test(sim_json_has_runs_parameters_and_only_simulated_figures),
		cmocka_unit_test(the_same_seed_gives_identical_simulated_counts),
		cmocka_unit_test(sim_without_valgrind_exits_2_with_one_line_naming_the_package),
		cmocka_unit_test(sim_table_without_valgrind_says_so_once),
		cmocka_unit_test(sim_refuses_events_and_control_with_one_line),
		cmocka_unit_test(sim_passes_on_runs_error_when_the_walk_cannot_be_built),
		cmocka_unit_test(mask_branchless_mispredicts_at_most_0_01_per_op_on_half_tails),
		cmocka_unit_test(mask_branchy_mispredicts_at_least_0_2_per_op_on_half_tails),
		cmocka_unit_test(fake_head_with_the_key_on_runs_more_instructions_than_pointer_on_aligned_heads),
		cmocka_unit_test(fake_head_runs_its_slow_path_under_valgrind_when_the_key_is_on),
		cmocka_unit_test(every_baseline_row_names_a_registry_variant),
	};
	struct CMUnitTest all[ARRAY_SIZE(tests) + CH_NR_VARIANTS];
	static char names[CH_NR_VARIANTS][96];
	const char *variant[CH_NR_VARIANTS];
	size_t n = ARRAY_SIZE(tests);
	int i;

	memcpy(all, tests, sizeof(tests));
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		variant[i] = ch_variants[i].name;
		snprintf(names[i], sizeof(names[i]),
			 "%s_walk_functions_match_the_instruction_baseline",
			 ch_variants[i].name);
		all[n++] = (struct CMUnitTest)cmocka_unit_test_prestate(
			walk_functions_match_the_instruction_baseline,
			(void *)variant[i]);
		all[n - 1].name = names[i];
	}
	return _cmocka_run_group_tests("test_sim", all, n, NULL, NULL);
}
