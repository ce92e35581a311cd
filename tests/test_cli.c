// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the chbench command line, run as a user runs it: $CHBENCH
 * (build/chbench when unset) under posix_spawn(), with stdout, stderr and
 * the exit status captured.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "report/json.h"
#include "bench/pmu.h"
#include "vmemmap/suite.h"
#include "lib/util.h"
#include "page/page.h"
#include "tests/spawn.h"
#include "variants/variants.h"

static const char *const presets[] = {
	"order0", "thp", "hugetlb-2m", "hugetlb-1g", "mixed", "kmixed",
};

static void list_names_every_variant_layout_and_preset(void **state)
{
	struct ch_run r = ch_spawn("list", NULL);
	size_t i;

	(void)state;
	if (r.status)
		fail_msg("list exited %d: %s", r.status, r.err);
	assert_string_equal(r.err, "");
	for (i = 0; i < CH_NR_VARIANTS; i++)
		ch_expect_in("list", r.out, ch_variants[i].name);
	for (i = 0; i < CH_NR_LAYOUTS; i++)
		ch_expect_in("list", r.out, ch_layouts[i].name);
	for (i = 0; i < 6; i++)
		ch_expect_in("list", r.out, presets[i]);
	ch_expect_in("list", r.out, "key on");
	ch_run_free(&r);
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (!s)
		fail_msg("no string \"%s\" in %s", key,
			 json_dumps(o, JSON_COMPACT));
	return s;
}

/*
 * list --json: the registry, in its order, as chbench list prints it,
 * and what the scripts take from it instead of lists of their own.
 */
static void list_json_is_the_registry_in_order(void **state)
{
	struct ch_run t = ch_spawn("list", NULL);
	struct ch_run r = ch_spawn("list", "--json", NULL);
	struct ch_suite_pair pairs[CH_MAX_SUITE_PAIRS];
	json_t *doc, *a, *v;
	json_error_t e;
	char line[512];
	size_t i;

	(void)state;
	if (r.status || t.status)
		fail_msg("list exited %d, list --json %d: %s%s", t.status,
			 r.status, t.err, r.err);
	assert_string_equal(r.err, "");
	doc = json_loads(r.out, 0, &e);
	if (!doc)
		fail_msg("list --json is not JSON (%s):\n%s", e.text, r.out);
	a = json_object_get(doc, "variants");
	assert_int_equal(json_array_size(a), CH_NR_VARIANTS);
	json_array_foreach(a, i, v) {
		const struct ch_variant *cv = &ch_variants[i];

		assert_string_equal(str(v, "name"), cv->name);
		assert_string_equal(str(v, "ident"), cv->ident);
		assert_int_equal(json_is_true(json_object_get(v, "key")),
				 !!(cv->flags & CH_VF_KEY));
		assert_int_equal(json_is_true(json_object_get(v, "pseudo")),
				 !!(cv->flags & CH_VF_PSEUDO));
		assert_string_equal(str(json_object_get(v, "suite"), "layout"),
				    ch_layouts[cv->suite_layout].name);
		/* the same name and description as the text */
		snprintf(line, sizeof(line), "\n  %-16s %s\n", str(v, "name"),
			 str(v, "desc"));
		ch_expect_in("list", t.out, line);
	}
	a = json_object_get(doc, "layouts");
	assert_int_equal(json_array_size(a), CH_NR_LAYOUTS);
	json_array_foreach(a, i, v) {
		snprintf(line, sizeof(line), "\n  %-16s %s\n", str(v, "name"),
			 str(v, "desc"));
		ch_expect_in("list", t.out, line);
	}
	json_array_foreach(json_object_get(doc, "mixes"), i, v) {
		snprintf(line, sizeof(line), "\n  %-12s %-26s %s\n",
			 str(v, "name"), str(v, "spec"), str(v, "desc"));
		ch_expect_in("list", t.out, line);
	}
	/* every counter chbench names, with its table label */
	a = json_object_get(doc, "events");
	assert_int_equal(json_array_size(a), ch_pmu_nr_known);
	json_array_foreach(a, i, v) {
		assert_string_equal(str(v, "name"), ch_pmu_known(i));
		assert_string_equal(str(v, "label"),
				    ch_pmu_label(ch_pmu_known(i)));
	}
	assert_string_equal(ch_pmu_label("instructions"), "insns");
	assert_string_equal(ch_pmu_label("cycles"), "cycles");
	assert_int_equal(json_integer_value(json_object_get(doc,
				"struct_page_size")), sizeof(struct page));
	assert_int_equal(json_integer_value(json_object_get(doc,
				"page_size")), CH_PAGE_SIZE);
	assert_int_equal(json_array_size(json_object_get(doc, "suite")),
			 ch_suite_pairs(pairs));
	assert_string_equal(str(doc, "default_baseline"),
			    "fake-head@hvo-fake-head");
	assert_int_equal(json_array_size(json_object_get(doc,
				"default_events")), 7);
	ch_run_free(&r);
	ch_run_free(&t);
	json_decref(doc);
}

/* The rows of a verify table: "variant layout key checked mismatches..." */
static int rows(const char *out, const char *v, const char *l,
		unsigned long long *bad)
{
	const char *line;
	int n = 0;

	*bad = 0;
	for (line = out; *line; line = strchr(line, '\n') + 1) {
		char a[32], b[32], k[8];
		unsigned long long checked, mism;

		if (sscanf(line, "%31s %31s %7s %llu %llu", a, b, k, &checked,
			   &mism) == 5 && !strcmp(a, v) && !strcmp(b, l)) {
			n++;
			*bad += mism;
		}
		if (!strchr(line, '\n'))
			break;
	}
	return n;
}

/* a row for each real variant on each layout it is correct on */
static void verify_1g_prints_a_row_per_correct_pair_with_0_mismatches(void **state)
{
	struct ch_run r = ch_spawn("verify", "--mem", "1G", NULL);
	unsigned long long bad;
	int v, l, n, want, total = 0;

	(void)state;
	if (r.status)
		fail_msg("verify --mem 1G exited %d:\n%s%s", r.status, r.out,
			 r.err);
	for (v = 0; v < CH_NR_VARIANTS; v++) {
		const struct ch_variant *var = &ch_variants[v];

		for (l = 0; l < CH_NR_LAYOUTS; l++) {
			n = rows(r.out, var->name, ch_layouts[l].name, &bad);
			want = !(var->flags & CH_VF_PSEUDO) &&
			       ch_variant_correct_on(var, l);
			if (n != want)
				fail_msg("%d rows for %s on %s, want %d:\n%s",
					 n, var->name, ch_layouts[l].name,
					 want, r.out);
			if (bad)
				fail_msg("%s on %s: %llu mismatches:\n%s",
					 var->name, ch_layouts[l].name, bad,
					 r.out);
			total += n;
		}
	}
	/* the four on the layouts of the domain: 11 */
	assert_true(total >= 11);
	ch_expect_in("verify", r.out, "all struct pages resolved");
	ch_run_free(&r);
}

static void verify_pointer_on_fake_head_exits_1_naming_fake_heads(void **state)
{
	struct ch_run r = ch_spawn("verify", "--variant", "pointer", "--layout",
			   "hvo-fake-head", "--mem", "1G", NULL);
	unsigned long long bad;

	(void)state;
	if (r.status != 1)
		fail_msg("exited %d, want 1:\n%s%s", r.status, r.out, r.err);
	ch_expect_in("verify", r.out, "fake head");
	assert_int_equal(rows(r.out, "pointer", "hvo-fake-head", &bad), 1);
	assert_true(bad > 0);
	ch_run_free(&r);
}

static void check_bad(const char *needle, const char *a0, const char *a1,
		      const char *a2)
{
	struct ch_run r = ch_spawn(a0, a1, a2, NULL);
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "chbench %s %s %s", a0, a1 ? a1 : "",
		 a1 && a2 ? a2 : "");
	if (r.status != 2)
		fail_msg("%s: exited %d, want 2", cmd, r.status);
	if (ch_count_lines(r.err) != 1 || r.err[strlen(r.err) - 1] != '\n')
		fail_msg("%s: want one line on stderr, got:\n%s", cmd, r.err);
	if (!strstr(r.err, needle))
		fail_msg("%s: stderr lacks \"%s\": %s", cmd, needle, r.err);
	if (*r.out)
		fail_msg("%s: stdout not empty:\n%s", cmd, r.out);
	ch_run_free(&r);
}

static void unknown_variant_exits_2_with_the_valid_names(void **state)
{
	(void)state;
	check_bad("valid", "verify", "--variant", "nope");
	check_bad(ch_variants[CH_NR_VARIANTS - 1].name, "verify",
		  "--variant", "nope");
}

static void unknown_layout_exits_2_with_the_valid_names(void **state)
{
	(void)state;
	check_bad("valid", "verify", "--layout", "nope");
	check_bad("hvo-shared-tail", "verify", "--layout", "nope");
}

static void unknown_mix_exits_2_with_the_valid_forms(void **state)
{
	(void)state;
	check_bad("valid", "verify", "--mix", "nope");
}

static void mix_not_summing_to_100_exits_2(void **state)
{
	(void)state;
	check_bad("valid", "verify", "--mix", "0:50");
}

static void mem_16q_exits_2_with_the_size_form(void **state)
{
	(void)state;
	check_bad("expected a size such as", "verify", "--mem", "16Q");
}

static void mem_0_exits_2_with_the_minimum(void **state)
{
	(void)state;
	check_bad("at least 4K", "verify", "--mem", "0");
}

static void seed_abc_exits_2_with_the_number_form(void **state)
{
	(void)state;
	check_bad("expected a whole number", "verify", "--seed", "abc");
}

static void seed_minus_1_exits_2_with_the_number_form(void **state)
{
	(void)state;
	check_bad("expected a whole number", "verify", "--seed", "-1");
}

static void unknown_option_exits_2_with_the_valid_options(void **state)
{
	(void)state;
	check_bad("valid", "verify", "--bogus", NULL);
	check_bad("--variant", "verify", "--bogus", NULL);
	check_bad("valid", "list", "--bogus", NULL);
}

static void unknown_command_exits_2_with_the_valid_commands(void **state)
{
	(void)state;
	check_bad("valid", "frobnicate", NULL, NULL);
	check_bad("verify", "frobnicate", NULL, NULL);
}

static void walk_on_verify_exits_2_as_not_applying(void **state)
{
	(void)state;
	check_bad("valid", "verify", "--walk", "random");
	check_bad("does not apply", "verify", "--walk", "random");
}

/* Every command line with a --help page of options, as argv after chbench */
static const char *const help_cmds[][2] = {
	{ "list" }, { "verify" }, { "run" }, { "sim" }, { "bench" }, { "aa" },
	{ "footprint" }, { "asm" }, { "sweep", "mem" }, { "sweep", "tail" },
	{ "kernel", "verify" }, { "kernel", "run" }, { "kernel", "bench" },
	{ "lock" },
};

/*
 * Every option some command takes, whatever the pages say: each page
 * that leaves one out must be of a command that refuses it.
 */
static const char *const all_options[] = {
	"variant", "layout", "mix", "mem", "seed", "key", "walk", "shape",
	"pick", "tail-fraction", "ops", "cpu", "events", "json", "control",
	"quick", "out", "chunk", "hvo", "instances", "reps-per-instance",
	"reseed", "quiet", "pairs", "loop", "counts", "key-sites",
	"allow-concurrent",
};

#define MAX_LISTED	64
#define HELP_WIDTH	80

struct listed {
	char name[32];
	bool arg;		/* "--name ARG": takes a value */
};

/* chbench @cmd @a1 @a2 ... up to NULL; @cmd[1] may be NULL */
static struct ch_run spawn_cmd(const char *const cmd[2], const char *a1,
			       const char *a2, const char *a3,
			       const char *a4)
{
	const char *argv[8] = { NULL };
	const char *args[] = { cmd[0], cmd[1], a1, a2, a3, a4 };
	size_t i;
	int n = 1;

	for (i = 0; i < ARRAY_SIZE(args); i++)
		if (args[i])
			argv[n++] = args[i];
	return ch_spawnv(argv);
}

static void cmd_name(const char *const cmd[2], char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", cmd[0], cmd[1] ? " " : "",
		 cmd[1] ? cmd[1] : "");
}

/* An option's text: a meaning, then its default, or that it is required. */
static void check_text(const char *what, const char *name, const char *text)
{
	const char *dflt = strstr(text, "(default: ");
	const char *req = strstr(text, "(required)");
	const char *end = dflt ? dflt : req;

	text += strspn(text, " ");
	if (*text == ':' || *text == '(' || (end && end < text + 8))
		fail_msg("%s: --%s has no meaning before its default: %s",
			 what, name, text);
	/* --benchmark_*: a family of flags with no one default */
	if (!end && (strchr(name, '*') == NULL || strlen(text) < 8))
		fail_msg("%s: --%s has no default: %s", what, name, text);
}

/*
 * The options of a --help page, each line checked: at most 80 columns;
 * each option "  --name [ARG]  meaning ... (default: X)" or "(required)",
 * its text wrapped onto indented lines.
 */
static int help_options(const char *what, const char *out,
			struct listed *l)
{
	char text[2048];
	const char *line, *end;
	bool in_options = false;
	int n = 0;

	text[0] = '\0';
	for (line = out; *line; line = end + 1) {
		const char *p;
		size_t len;

		end = strchr(line, '\n');
		if (!end)
			fail_msg("%s: the last line lacks its newline:\n%s",
				 what, out);
		len = end - line;
		if (len > HELP_WIDTH)
			fail_msg("%s: a line of %zu columns, over %d:\n%.*s",
				 what, len, HELP_WIDTH, (int)len, line);
		if (!strncmp(line, "options:", 8)) {
			in_options = true;
			continue;
		}
		if (!in_options || !len)
			continue;
		if (strncmp(line, "  --", 4)) {
			/* a wrapped meaning: indented, under an option */
			if (!n || line[0] != ' ')
				fail_msg("%s: a line neither option nor its text:\n%.*s",
					 what, (int)len, line);
			snprintf(text + strlen(text), sizeof(text) - strlen(text),
				 " %.*s", (int)len, line);
			continue;
		}
		if (n == MAX_LISTED)
			fail_msg("%s: more than %d options", what, MAX_LISTED);
		if (n)
			check_text(what, l[n - 1].name, text);
		p = line + 4;
		len = strcspn(p, " \n");
		assert_true(len > 0 && len < sizeof(l[n].name));
		memcpy(l[n].name, p, len);
		l[n].name[len] = '\0';
		p += len;
		l[n].arg = p[0] == ' ' && p[1] != ' ' && p[1] != '\n';
		if (l[n].arg)
			p += 1 + strcspn(p + 1, " \n");
		p += strspn(p, " ");
		snprintf(text, sizeof(text), "%.*s", (int)(end - p), p);
		n++;
	}
	if (n)
		check_text(what, l[n - 1].name, text);
	return n;
}

/* listed, or a prefix getopt_long() takes for one (--key: --key-sites) */
static bool prefix_of_listed(const struct listed *l, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strncmp(l[i].name, name, strlen(name)) == 0)
			return true;
	return false;
}

static void every_help_exits_0_with_a_meaning_and_default_for_each_option(void **state)
{
	struct listed l[MAX_LISTED];
	char what[64], usage[96];
	size_t c;
	int n;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(help_cmds); c++) {
		struct ch_run r = spawn_cmd(help_cmds[c], "--help", NULL, NULL,
					    NULL);
		struct ch_run h = spawn_cmd(help_cmds[c], "-h", NULL, NULL,
					    NULL);

		cmd_name(help_cmds[c], what, sizeof(what));
		if (r.status || h.status)
			fail_msg("%s --help exited %d, -h %d: %s%s", what,
				 r.status, h.status, r.err, h.err);
		assert_string_equal(r.err, "");
		assert_string_equal(h.err, "");
		assert_string_equal(r.out, h.out);
		snprintf(usage, sizeof(usage), "usage: chbench %s", what);
		if (strncmp(r.out, usage, strlen(usage)))
			fail_msg("%s --help does not start \"%s\":\n%s", what,
				 usage, r.out);
		n = help_options(what, r.out, l);
		/* list alone takes nothing */
		if (!n && strcmp(what, "list"))
			fail_msg("%s --help lists no option:\n%s", what, r.out);
		ch_run_free(&r);
		ch_run_free(&h);
	}
}

static bool is_known(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(all_options); i++)
		if (!strcmp(all_options[i], name))
			return true;
	return false;
}

static void every_listed_option_is_taken_and_no_other(void **state)
{
	static const char guard[] = "--zzz-bogus";
	char what[64], opt[64], n1[128], n2[128], n3[128];
	struct listed l[MAX_LISTED];
	size_t c, i;
	int n, k;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(help_cmds); c++) {
		struct ch_run r = spawn_cmd(help_cmds[c], "--help", NULL, NULL,
					    NULL);

		cmd_name(help_cmds[c], what, sizeof(what));
		assert_int_equal(r.status, 0);
		n = help_options(what, r.out, l);
		ch_run_free(&r);

		/* each listed option: refused for its value, or for the guard */
		for (k = 0; k < n; k++) {
			if (strchr(l[k].name, '*'))
				continue;
			if (!is_known(l[k].name))
				fail_msg("%s lists --%s: add it to all_options[]",
					 what, l[k].name);
			snprintf(opt, sizeof(opt), "--%.40s", l[k].name);
			snprintf(n1, sizeof(n1), "unknown option '%s'", opt);
			snprintf(n2, sizeof(n2), "option '%s' does not apply",
				 opt);
			snprintf(n3, sizeof(n3), "option '%s' needs a value",
				 opt);
			/* the guard twice: a value taken by mistake leaves one */
			r = spawn_cmd(help_cmds[c], opt,
				      l[k].arg ? "@bad@" : guard, guard, guard);
			if (r.status != 2 || ch_count_lines(r.err) != 1 ||
			    strstr(r.err, n1) || strstr(r.err, n2) ||
			    strstr(r.err, n3))
				fail_msg("%s lists %s, but %s %s ... exited %d: %s",
					 what, opt, what, opt, r.status, r.err);
			ch_run_free(&r);
		}

		/* each option it does not list: refused as such */
		for (i = 0; i < ARRAY_SIZE(all_options); i++) {
			if (prefix_of_listed(l, n, all_options[i]))
				continue;
			snprintf(opt, sizeof(opt), "--%s", all_options[i]);
			snprintf(n1, sizeof(n1), "unknown option '%s'", opt);
			snprintf(n2, sizeof(n2), "option '%s' does not apply",
				 opt);
			r = spawn_cmd(help_cmds[c], opt, "x", guard, guard);
			if (r.status != 2 ||
			    (!strstr(r.err, n1) && !strstr(r.err, n2)))
				fail_msg("%s --help omits %s, but %s %s x exited %d: %s",
					 what, opt, what, opt, r.status, r.err);
			ch_run_free(&r);
		}
	}
}

static void asm_help_lists_its_five_options_and_both_forms(void **state)
{
	static const char *const opts[] = {
		"  --variant NAME ", "  --shape NAME ", "  --loop NAME ",
		"  --counts ", "  --key-sites ",
	};
	struct ch_run r = ch_spawn("asm", "--help", NULL);

	(void)state;
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	ch_expect_each_in("asm --help", r.out,
			  "usage: chbench asm [--variant NAME]",
			  "chbench asm --key-sites\n");
	ch_expect_list("asm --help", r.out, true, opts, ARRAY_SIZE(opts));
	/* the closed lists, from the registries */
	ch_expect_each_in("asm --help", r.out, "index, chase",
			  "as-compiled, branch");
	ch_run_free(&r);
}

static void run_help_names_every_variant_and_layout_and_defaults(void **state)
{
	struct ch_run r = ch_spawn("run", "--help", NULL);
	size_t i;

	(void)state;
	assert_int_equal(r.status, 0);
	for (i = 0; i < CH_NR_VARIANTS; i++)
		ch_expect_in("run --help", r.out, ch_variants[i].name);
	for (i = 0; i < CH_NR_LAYOUTS; i++)
		ch_expect_in("run --help", r.out, ch_layouts[i].name);
	/* the defaults as parsed: run's --mix and --mem, the shared --ops */
	ch_expect_in("run --help", r.out, "(default: mixed)");
	ch_expect_in("run --help", r.out, "(default: 4G)");
	ch_expect_in("run --help", r.out, "(default: 1048576)");
	ch_run_free(&r);
	/* and a command's own: sim's --ops, kernel verify's --mix */
	r = ch_spawn("sim", "--help", NULL);
	ch_expect_in("sim --help", r.out, "(default: 65536)");
	ch_run_free(&r);
	r = ch_spawn("kernel", "verify", "--help", NULL);
	ch_expect_in("kernel verify --help", r.out, "(default: kmixed)");
	ch_run_free(&r);
}

static void top_help_points_at_each_commands_help(void **state)
{
	struct ch_run r = ch_spawn("--help", NULL);

	(void)state;
	assert_int_equal(r.status, 0);
	ch_expect_in("chbench --help", r.out, "chbench CMD --help");
	ch_expect_not_in("chbench --help", r.out, "README");
	ch_run_free(&r);
}

static void verify_notes_a_hugetlb_order_no_layout_optimizes(void **state)
{
	struct ch_run r = ch_spawn("verify", "--mix", "h3:100", "--mem", "64M",
				   NULL);

	(void)state;
	assert_int_equal(r.status, 0);
	/* the rows stay correct; the zero saving is explained, once */
	assert_int_equal(ch_count_lines(r.err), 1);
	ch_expect_in("stderr", r.err,
		     "chbench: note: --mix h3:100: hvo-2page never optimizes an order-3 HugeTLB folio");
	ch_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list_names_every_variant_layout_and_preset),
		cmocka_unit_test(list_json_is_the_registry_in_order),
		cmocka_unit_test(verify_1g_prints_a_row_per_correct_pair_with_0_mismatches),
		cmocka_unit_test(verify_pointer_on_fake_head_exits_1_naming_fake_heads),
		cmocka_unit_test(unknown_variant_exits_2_with_the_valid_names),
		cmocka_unit_test(unknown_layout_exits_2_with_the_valid_names),
		cmocka_unit_test(unknown_mix_exits_2_with_the_valid_forms),
		cmocka_unit_test(mix_not_summing_to_100_exits_2),
		cmocka_unit_test(mem_16q_exits_2_with_the_size_form),
		cmocka_unit_test(mem_0_exits_2_with_the_minimum),
		cmocka_unit_test(seed_abc_exits_2_with_the_number_form),
		cmocka_unit_test(seed_minus_1_exits_2_with_the_number_form),
		cmocka_unit_test(unknown_option_exits_2_with_the_valid_options),
		cmocka_unit_test(unknown_command_exits_2_with_the_valid_commands),
		cmocka_unit_test(walk_on_verify_exits_2_as_not_applying),
		cmocka_unit_test(every_help_exits_0_with_a_meaning_and_default_for_each_option),
		cmocka_unit_test(every_listed_option_is_taken_and_no_other),
		cmocka_unit_test(asm_help_lists_its_five_options_and_both_forms),
		cmocka_unit_test(run_help_names_every_variant_and_layout_and_defaults),
		cmocka_unit_test(top_help_points_at_each_commands_help),
		cmocka_unit_test(verify_notes_a_hugetlb_order_no_layout_optimizes),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
