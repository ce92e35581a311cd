// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of what the compiler made of the variants (harness/disasm.[ch],
 * insn.[ch], walkasm.[ch] and 'chbench asm'). They read this test
 * binary's own disassembly, so they check whichever compiler built it;
 * CI runs them under gcc and clang. The counting and the diff are also
 * tested on hand-made listings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inspect/disasm.h"
#include "inspect/insn.h"
#include "lib/util.h"
#include "inspect/walkasm.h"
#include "vmemmap/walkfn.h"
#include "tests/spawn.h"
#include "page/static_key.h"

static struct ch_disasm dis;
static struct ch_asm as;

static int read_self(void **state)
{
	(void)state;
	ch_disasm_read(&dis, NULL);
	ch_asm_read(&as, NULL);
	if (!dis.valid || !as.valid) {
		fprintf(stderr, "cannot disassemble this test: %s%s\n",
			dis.why, as.why);
		return -1;
	}
	return 0;
}

static int free_self(void **state)
{
	(void)state;
	ch_asm_free(&as);
	return 0;
}

/* ch_asm_diff() needs room for both functions' lines */
#define MAX_LINES	512

static int diff(int i, struct ch_asm_line *lines, int *added, int *removed)
{
	const struct ch_walk_func *w = &ch_walk_funcs[i];
	int fl = ch_walk_func_find(CH_V_floor, w->shape, w->loop) -
		 ch_walk_funcs;

	if (as.fn[i].nr + as.fn[fl].nr > MAX_LINES)
		fail_msg("%s: %d + %d lines, more than the test's %d",
			 w->sym, as.fn[i].nr, as.fn[fl].nr, MAX_LINES);
	return ch_asm_diff(&as, i, lines, added, removed);
}

static void every_walk_function_is_in_the_disassembly(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < ch_nr_walk_funcs; i++)
		if (!dis.fn[i].valid || !as.fn[i].nr)
			fail_msg("%s: not found by objdump", ch_walk_funcs[i].sym);
}

/* The point of "mm: Remove the branch from compound_head()". */
static void mask_branchless_adds_no_conditional_branch(void **state)
{
	int i, n = 0;

	(void)state;
	for (i = 0; i < ch_nr_walk_funcs; i++) {
		const struct ch_insn_counts *c = &dis.net[i];

		if (ch_walk_funcs[i].variant != CH_V_mask_branchless)
			continue;
		assert_true(c->valid);
		if (c->cond_branches)
			fail_msg("%s: %+d conditional branches net of the floor, want 0",
				 ch_walk_funcs[i].sym, c->cond_branches);
		if (c->loads)
			fail_msg("%s: %+d loads net of the floor, want 0",
				 ch_walk_funcs[i].sym, c->loads);
		n++;
	}
	assert_int_equal(n, CH_NR_SHAPES * CH_NR_LOOPS);
}

/* ...and no '+' line of its diff is one either, wherever it sits. */
static void mask_branchless_marks_no_conditional_branch_as_its_own(void **state)
{
	struct ch_asm_line lines[MAX_LINES];
	int i, k, n, added, removed;

	(void)state;
	for (i = 0; i < ch_nr_walk_funcs; i++) {
		if (ch_walk_funcs[i].variant != CH_V_mask_branchless)
			continue;
		n = diff(i, lines, &added, &removed);
		assert_true(n > 0);
		for (k = 0; k < n; k++)
			if (lines[k].mark == '+' &&
			    (lines[k].insn->cls & CH_INSN_CBR))
				fail_msg("%s: '%s' is the variant's and a conditional branch",
					 ch_walk_funcs[i].sym,
					 lines[k].insn->text);
	}
}

/*
 * shape.h's promise: the branch shape keeps the PageTail() jump, and
 * no cmov stands in for it (fake-head's slow path may have its own).
 */
static void branch_shape_keeps_a_conditional_branch(void **state)
{
	static const int with_test[] = {
		CH_V_pointer, CH_V_fake_head, CH_V_mask_branchy,
	};
	size_t v;
	int loop;

	(void)state;
	for (v = 0; v < ARRAY_SIZE(with_test); v++) {
		for (loop = 0; loop < CH_NR_LOOPS; loop++) {
			const struct ch_walk_func *w = ch_walk_func_find(
				with_test[v], CH_SHAPE_BRANCH, loop);
			const struct ch_insn_counts *c =
				&dis.net[w - ch_walk_funcs];
			int max_cmov = w->variant == CH_V_fake_head ? 1 : 0;

			if (c->cond_branches < 1 || c->cmovs > max_cmov)
				fail_msg("%s: %+d conditional branches, %+d cmov; want >= 1 and <= %d",
					 w->sym, c->cond_branches, c->cmovs,
					 max_cmov);
		}
	}
}

static void diff_adds_up_to_the_net_counts(void **state)
{
	struct ch_asm_line lines[MAX_LINES];
	int i, n, added, removed;

	(void)state;
	for (i = 0; i < ch_nr_walk_funcs; i++) {
		n = diff(i, lines, &added, &removed);
		assert_true(n > 0);
		if (added - removed != dis.net[i].insns)
			fail_msg("%s: %d added - %d removed = %d, want the net count %d",
				 ch_walk_funcs[i].sym, added, removed,
				 added - removed, dis.net[i].insns);
		if (ch_walk_funcs[i].variant == CH_V_floor &&
		    (added || removed))
			fail_msg("%s against itself: +%d -%d, want nothing",
				 ch_walk_funcs[i].sym, added, removed);
	}
}

/* An executable shell script at @path: a stand-in $CHBENCH_OBJDUMP. */
static void write_script(const char *path, const char *body)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
}

/*
 * Count a hand-made listing the way this binary's own is counted: a
 * stand-in objdump prints it as the floor's index function.
 */
static struct ch_insn_counts count(const char *const *lines, int n)
{
	const struct ch_walk_func *w = ch_walk_func_find(
		CH_V_floor, CH_SHAPE_AS_COMPILED, CH_LOOP_INDEX);
	char dir[] = "/tmp/chbench-asm-XXXXXX", listing[64], tool[64];
	char body[128];
	struct ch_disasm d;
	FILE *f;
	int k;

	assert_non_null(mkdtemp(dir));
	snprintf(listing, sizeof(listing), "%s/listing", dir);
	snprintf(tool, sizeof(tool), "%s/objdump", dir);
	f = fopen(listing, "w");
	assert_non_null(f);
	fprintf(f, "\nDisassembly of section .text:\n\n0000000000000010 <%s>:\n",
		w->sym);
	for (k = 0; k < n; k++)
		fprintf(f, "%s\n", lines[k]);
	/* the next function: its instructions are not the floor's */
	fprintf(f, "\n0000000000000040 <other>:\n  40:\tmov    (%%rax),%%rax\n");
	assert_int_equal(fclose(f), 0);
	snprintf(body, sizeof(body), "exec cat '%s'", listing);
	write_script(tool, body);

	setenv("CHBENCH_OBJDUMP", tool, 1);
	ch_disasm_read(&d, NULL);
	unsetenv("CHBENCH_OBJDUMP");
	unlink(tool);
	unlink(listing);
	rmdir(dir);
	if (!d.valid)
		fail_msg("the stand-in objdump's listing: %s", d.why);
	return d.fn[w - ch_walk_funcs];
}

static void expect_counts(const char *what, struct ch_insn_counts c,
			  int insns, int loads, int cbr, int cmov)
{
	if (c.insns != insns || c.loads != loads || c.cond_branches != cbr ||
	    c.cmovs != cmov)
		fail_msg("%s: %d insns, %d loads, %d cond, %d cmov; want %d, %d, %d, %d",
			 what, c.insns, c.loads, c.cond_branches, c.cmovs,
			 insns, loads, cbr, cmov);
}

static void counting_sorts_x86_loads_stores_branches_and_cmovs(void **state)
{
	static const char *const x86[] = {
		"  10:\tmov    0x8(%rax),%rdx",		/* load */
		"  14:\ttestq  $0x40,(%rcx)",		/* load (clang) */
		"  18:\tcmpl   $0x1,0x30(%rax)",		/* load */
		"  1c:\tmov    %rax,0x8(%rdx)",		/* store */
		"  20:\tlea    -0x1(%rax),%r10",		/* no memory access */
		"  24:\tcmovne %r10,%rcx",
		"  28:\tjne    10 <f+0x10>",
		"  2a:\tnopl   0x0(%rax,%rax,1)",		/* runs: counted */
		"  2f:\tjmp    10 <f+0x10>",
		"  31:\tcs nopw 0x0(%rax,%rax,1)",		/* padding */
	};

	(void)state;
	expect_counts("x86", count(x86, 10), 9, 3, 1, 1);
}

static void counting_sorts_arm64_loads_branches_and_csels(void **state)
{
	static const char *const a64[] = {
		"  10:\tldr\tx2, [x0, #8]",
		"  14:\tstr\tx2, [x1]",
		"  18:\tand\tx3, x2, #0x1",
		"  1c:\tcsel\tx0, x0, x4, eq",
		"  20:\ttbnz\tw2, #0, 40 <f+0x30>",
		"  24:\tb.ne\t10 <f>  // b.any",
		"  28:\tret",
		"  2c:\tnop",				/* padding */
	};

	(void)state;
	expect_counts("arm64", count(a64, 8), 7, 1, 2, 1);
}

static void expect_norm(const char *mnem, const char *ops, const char *want)
{
	char got[128];

	ch_insn_normalize(mnem, ops, got, sizeof(got));
	if (strcmp(got, want))
		fail_msg("'%s %s': got '%s', want '%s'", mnem, ops, got, want);
}

static void normalizing_blanks_registers_but_keeps_their_width(void **state)
{
	(void)state;
	expect_norm("mov", "0x8(%rax),%rdx", "mov 0x8(%q),%q");
	expect_norm("mov", "(%rsi),%eax", "mov (%q),%d");
	expect_norm("mov", "(%rsi,%rcx,4),%eax", "mov (%q,%q,4),%d");
	expect_norm("and", "$0x40,%r10d", "and $0x40,%d");
	expect_norm("test", "$0x1,%r8b", "test $0x1,%b");
	expect_norm("test", "$0x1,%al", "test $0x1,%b");
	expect_norm("movdqa", "%xmm0,%xmm1", "movdqa %v,%v");
	expect_norm("ldr", "x1, [x0, #8]", "ldr x, [x, #8]");
	expect_norm("csel", "x0, x1, x2, ne", "csel x, x, x, ne");
	expect_norm("and", "w3, w2, #0x1", "and w, w, #0x1");
	expect_norm("ret", "", "ret");
}

static void normalizing_drops_branch_targets_comments_and_nop_forms(void **state)
{
	(void)state;
	expect_norm("jne", "ff90 <ch_walk_index_floor_as_compiled+0x10>",
		    "jne");
	expect_norm("jmp", "1624b <ch_walk_index_fake_head_branch+0x2b>",
		    "jmp");
	expect_norm("b.ne", "4005c0 <f+0x20>  // b.any", "b.ne");
	expect_norm("tbz", "w0, #0, 4005c0 <f+0x20>", "tbz w, #0");
	expect_norm("cbnz", "x2, 4005c0 <f+0x20>", "cbnz x");
	expect_norm("mov", "0x2ee5(%rip),%rax        # 4010 <key>",
		    "mov rel(%q),%q");
	expect_norm("nopl", "0x0(%rax,%rax,1)", "nop");
	expect_norm("xchg", "%ax,%ax", "nop");
	expect_norm("cs", "nopw 0x0(%rax,%rax,1)", "nop");
	expect_norm("xchg", "%rax,%rdx", "xchg %q,%q");
}

/* Hand-made listings for the floor's and pointer's index functions. */
static struct ch_insn fake[2][16];

static void fake_func(struct ch_asm *a, int variant, int which,
		      const char *const *text, int n)
{
	const struct ch_walk_func *w =
		ch_walk_func_find(variant, CH_SHAPE_AS_COMPILED, CH_LOOP_INDEX);
	struct ch_walk_asm *f = &a->fn[w - ch_walk_funcs];
	int k;

	f->insn = fake[which];
	f->nr = n;
	for (k = 0; k < n; k++) {
		char mnem[32], ops[96] = "";

		memset(&fake[which][k], 0, sizeof(fake[which][k]));
		fake[which][k].addr = 0x100 * which + k;
		snprintf(fake[which][k].text, sizeof(fake[which][k].text),
			 "%s", text[k] + 1);
		sscanf(text[k] + 1, "%31s %95[^\n]", mnem, ops);
		ch_insn_normalize(mnem, ops, fake[which][k].norm,
				 sizeof(fake[which][k].norm));
		/* a leading 'p' marks padding, 'k' a key site */
		if (text[k][0] == 'p')
			fake[which][k].cls |= CH_INSN_PAD;
		if (text[k][0] == 'k')
			fake[which][k].cls |= CH_INSN_KEY;
	}
}

static int diff_fake(const char *const *fl, int nf, const char *const *v,
		     int nv, char *marks, int *added, int *removed)
{
	struct ch_asm a;
	struct ch_asm_line lines[32];
	int i = ch_walk_func_find(CH_V_pointer, CH_SHAPE_AS_COMPILED,
				  CH_LOOP_INDEX) - ch_walk_funcs;
	int n, k;

	memset(&a, 0, sizeof(a));
	fake_func(&a, CH_V_floor, 0, fl, nf);
	fake_func(&a, CH_V_pointer, 1, v, nv);
	n = ch_asm_diff(&a, i, lines, added, removed);
	assert_true(n >= 0 && n < 32);
	for (k = 0; k < n; k++)
		marks[k] = lines[k].mark;
	marks[n] = '\0';
	return n;
}

#define N(x)	((int)ARRAY_SIZE(x))

static void expect_marks(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want))
		fail_msg("%s: marks '%s', want '%s'", what, got, want);
}

static void diff_marks_the_inserted_instructions(void **state)
{
	static const char *const fl[] = {
		" mov (%rsi),%eax", " mov 0x8(%rax),%rdx", " add %rax,%rdi",
		" jne 10 <f+0x10>", " ret", "pnopl 0x0(%rax,%rax,1)",
	};
	static const char *const v[] = {
		" mov (%rsi),%eax", " mov 0x8(%rax),%rcx", " and $0x1,%ecx",
		" sub $0x1,%rcx", " add %rax,%rdi", " jne 20 <g+0x10>",
		" ret", "pxchg %ax,%ax",
	};
	char marks[32];
	int added, removed;

	(void)state;
	diff_fake(fl, N(fl), v, N(v), marks, &added, &removed);
	expect_marks("insertions", marks, "  ++   .");
	assert_int_equal(added, 2);
	assert_int_equal(removed, 0);
}

/* A rotated loop: the same instructions in another order are not new. */
static void diff_counts_a_moved_instruction_as_shared(void **state)
{
	static const char *const fl[] = {
		" mov (%rsi),%eax", " shl $0x6,%rax", " cmp %rsi,%rcx",
		" jne 10 <f+0x10>",
	};
	static const char *const v[] = {
		" cmp %rsi,%rcx", " je 30 <g+0x30>", " mov (%rsi),%eax",
		" shl $0x6,%rax", " jne 20 <g+0x20>",
	};
	char marks[32];
	int added, removed;

	(void)state;
	diff_fake(fl, N(fl), v, N(v), marks, &added, &removed);
	assert_int_equal(added - removed, 1);
	assert_int_equal(added, 1);
	if (!strchr(marks, '+') || strchr(marks, '-'))
		fail_msg("rotated loop: marks '%s', want one '+' and no '-'",
			 marks);
}

static void diff_never_matches_a_key_site(void **state)
{
	static const char *const fl[] = {
		" mov 0x8(%rax),%rdx", " nopl 0x0(%rax,%rax,1)", " ret",
	};
	static const char *const v[] = {
		" mov 0x8(%rax),%rdx", "knopl 0x0(%rax,%rax,1)", " ret",
	};
	char marks[32];
	int added, removed;

	(void)state;
	diff_fake(fl, N(fl), v, N(v), marks, &added, &removed);
	expect_marks("key site", marks, " -+ ");
	assert_int_equal(added, 1);
	assert_int_equal(removed, 1);
}

static void asm_shows_mask_branchless_with_its_counts(void **state)
{
	struct ch_run r = ch_spawn("asm", "--variant", "mask-branchless",
				   "--shape", "as-compiled", "--loop",
				   "index", NULL);

	(void)state;
	ch_expect_status(&r, "asm", 0);
	ch_expect_each_in("asm", r.out,
			  "ch_walk_index_mask_branchless_as_compiled\n",
			  "+0 cond branches", ": + ",
			  "Variant code per walk function");
	ch_expect_none_in("asm", r.out,
			  "ch_walk_index_mask_branchless_branch\n",
			  "ch_walk_chase_");
	ch_run_free(&r);
}

static void asm_counts_lists_every_variant_shape_and_loop(void **state)
{
	struct ch_run r = ch_spawn("asm", "--counts", NULL);
	const struct ch_variant *v;

	(void)state;
	ch_expect_status(&r, "asm --counts", 0);
	/* header, column names, one row per walk function */
	assert_int_equal(ch_count_lines(r.out), 3 + ch_nr_walk_funcs);
	for (v = ch_variants; v < ch_variants + CH_NR_VARIANTS; v++)
		ch_expect_in("asm --counts", r.out, v->name);
	ch_run_free(&r);
}

static void asm_key_sites_shows_both_states_of_every_site(void **state)
{
	struct ch_run r = ch_spawn("asm", "--key-sites", NULL);

	(void)state;
	ch_expect_status(&r, "asm --key-sites", 0);
#ifdef CH_JUMP_LABEL
	ch_expect_each_in("asm --key-sites", r.out, "5 patch sites",
			  "\n  ch_walk_chase_fake_head_branch+0x",
			  "key off: 0f 1f 44 00 00   nopl 0x0(%rax,%rax,1)\n",
			  "   jmp ch_walk_chase_fake_head_branch+0x");
	ch_expect_not_in("asm --key-sites", r.out, "unexpected");
#else
	ch_expect_in("asm --key-sites", r.out, "0 patch sites");
#endif
	ch_run_free(&r);
}

/* asm, like list, reads the binary with one objdump pass, not two. */
static void asm_and_list_run_objdump_once(void **state)
{
	static const char *const cmds[] = { "asm", "list" };
	char dir[] = "/tmp/chbench-asm-XXXXXX", tool[64], log[64];
	char body[192];
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(tool, sizeof(tool), "%s/objdump", dir);
	snprintf(log, sizeof(log), "%s/runs", dir);
	snprintf(body, sizeof(body), "echo run >> '%s'\nexec objdump \"$@\"",
		 log);
	write_script(tool, body);
	setenv("CHBENCH_OBJDUMP", tool, 1);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		struct ch_run r = ch_spawn(cmds[i], NULL);
		char *runs;

		ch_expect_status(&r, cmds[i], 0);
		ch_expect_not_in(cmds[i], r.out, "n/a: ");
		runs = ch_read_path(log);
		if (ch_count_lines(runs) != 1)
			fail_msg("%s ran objdump %d times, want once",
				 cmds[i], ch_count_lines(runs));
		free(runs);
		unlink(log);
		ch_run_free(&r);
	}
	unsetenv("CHBENCH_OBJDUMP");
	unlink(tool);
	rmdir(dir);
}

/* Without objdump, asm and list say the same thing, in one line. */
static void asm_and_list_without_objdump_say_what_to_install(void **state)
{
	static const char why[] =
		"objdump failed (status 127); install binutils, or set CHBENCH_OBJDUMP to an objdump for this binary's architecture\n";
	struct ch_run a, l;

	(void)state;
	setenv("CHBENCH_OBJDUMP", "/nonexistent/objdump", 1);
	a = ch_spawn("asm", "--counts", NULL);
	l = ch_spawn("list", NULL);
	unsetenv("CHBENCH_OBJDUMP");
	assert_int_equal(a.status, 1);
	ch_expect_each_in("asm's stderr", a.err, "chbench: asm: ", why);
	assert_int_equal(ch_count_lines(a.err), 1);
	assert_int_equal(l.status, 0);
	ch_expect_each_in("list", l.out, "  n/a: ", why);
	ch_run_free(&a);
	ch_run_free(&l);
}

static void asm_refuses_an_unknown_loop_naming_the_valid_ones(void **state)
{
	struct ch_run r = ch_spawn("asm", "--loop", "sideways", NULL);

	(void)state;
	assert_int_equal(r.status, 2);
	ch_expect_in("stderr", r.err, "valid: index, chase");
	assert_int_equal(ch_count_lines(r.err), 1);
	ch_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_walk_function_is_in_the_disassembly),
		cmocka_unit_test(mask_branchless_adds_no_conditional_branch),
		cmocka_unit_test(mask_branchless_marks_no_conditional_branch_as_its_own),
		cmocka_unit_test(branch_shape_keeps_a_conditional_branch),
		cmocka_unit_test(diff_adds_up_to_the_net_counts),
		cmocka_unit_test(counting_sorts_x86_loads_stores_branches_and_cmovs),
		cmocka_unit_test(counting_sorts_arm64_loads_branches_and_csels),
		cmocka_unit_test(normalizing_blanks_registers_but_keeps_their_width),
		cmocka_unit_test(normalizing_drops_branch_targets_comments_and_nop_forms),
		cmocka_unit_test(diff_marks_the_inserted_instructions),
		cmocka_unit_test(diff_counts_a_moved_instruction_as_shared),
		cmocka_unit_test(diff_never_matches_a_key_site),
		cmocka_unit_test(asm_shows_mask_branchless_with_its_counts),
		cmocka_unit_test(asm_counts_lists_every_variant_shape_and_loop),
		cmocka_unit_test(asm_key_sites_shows_both_states_of_every_site),
		cmocka_unit_test(asm_and_list_run_objdump_once),
		cmocka_unit_test(asm_and_list_without_objdump_say_what_to_install),
		cmocka_unit_test(asm_refuses_an_unknown_loop_naming_the_valid_ones),
	};

	return cmocka_run_group_tests_name("asm", tests, read_self, free_self);
}
