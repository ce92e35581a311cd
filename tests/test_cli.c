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

#include "harness/json.h"
#include "harness/pmu.h"
#include "harness/suite.h"
#include "variants/page.h"
#include "variants/variants.h"
#include "tests/spawn.h"

static const char *const variants[] = {
	"pointer", "fake-head", "mask-branchy", "mask-branchless", "floor",
};
static const char *const layouts[] = {
	"none", "hvo-2page", "hvo-fake-head", "hvo-shared-tail",
};
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
	for (i = 0; i < 5; i++)
		ch_expect_in("list", r.out, variants[i]);
	for (i = 0; i < 4; i++)
		ch_expect_in("list", r.out, layouts[i]);
	for (i = 0; i < 5; i++)
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

static void verify_1g_prints_11_rows_with_0_mismatches(void **state)
{
	static const bool ok[5][4] = {
		{ 1, 1, 0, 0 }, { 1, 1, 1, 0 }, { 1, 1, 0, 1 }, { 1, 1, 0, 1 },
		{ 0, 0, 0, 0 },
	};
	struct ch_run r = ch_spawn("verify", "--mem", "1G", NULL);
	unsigned long long bad;
	int v, l, n, total = 0;

	(void)state;
	if (r.status)
		fail_msg("verify --mem 1G exited %d:\n%s%s", r.status, r.out,
			 r.err);
	for (v = 0; v < 5; v++) {
		for (l = 0; l < 4; l++) {
			n = rows(r.out, variants[v], layouts[l], &bad);
			if (n != ok[v][l])
				fail_msg("%d rows for %s on %s, want %d:\n%s",
					 n, variants[v], layouts[l], ok[v][l],
					 r.out);
			if (bad)
				fail_msg("%s on %s: %llu mismatches:\n%s",
					 variants[v], layouts[l], bad, r.out);
			total += n;
		}
	}
	assert_int_equal(total, 11);
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
	check_bad("mask-branchless", "verify", "--variant", "nope");
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

static void asm_help_prints_its_usage_and_exits_0(void **state)
{
	struct ch_run r = ch_spawn("asm", "--help", NULL);

	(void)state;
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	ch_expect_in("asm --help", r.out, "usage: chbench asm [--variant V]");
	ch_expect_in("asm --help", r.out, "chbench asm --key-sites");
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
		cmocka_unit_test(verify_1g_prints_11_rows_with_0_mismatches),
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
		cmocka_unit_test(asm_help_prints_its_usage_and_exits_0),
		cmocka_unit_test(verify_notes_a_hugetlb_order_no_layout_optimizes),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
