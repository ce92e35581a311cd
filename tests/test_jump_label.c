// SPDX-License-Identifier: GPL-2.0
/*
 * The real hugetlb_optimize_vmemmap_key in the real walk functions:
 * where its sites are, what bytes they hold with the key off and on,
 * and that the key-off path is the kernel's shape (a 5-byte NOP in line,
 * no load of the key). tests/test_static_key.c covers the mechanism on
 * keys of its own; this checks what the measured loops contain.
 *
 * Addresses are compared as objdump shows them (link time): run-time
 * site addresses minus the load bias of this PIE.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "inspect/disasm.h"
#include "vmemmap/walkfn.h"
#include "variants/fake_head.h"
#include "page/static_key.h"
#include "variants/variants.h"

#define MAX_SITES	64

static const unsigned char nop5[CH_JUMP_INSN_SIZE] = {
	0x0f, 0x1f, 0x44, 0x00, 0x00
};

static struct ch_asm as;
static uintptr_t bias;

static int read_self(void **state)
{
	(void)state;
	ch_asm_read(&as, NULL);
	if (!as.valid) {
		fprintf(stderr, "cannot disassemble this test: %s\n", as.why);
		return -1;
	}
	bias = ch_asm_load_bias(&as);
	return 0;
}

static int free_self(void **state)
{
	(void)state;
	ch_hvo_key_set(false);
	ch_asm_free(&as);
	return 0;
}

static int key_off(void **state)
{
	(void)state;
	ch_hvo_key_set(false);
	return 0;
}

static void skip_without_sites(void)
{
#ifndef CH_JUMP_LABEL
	skip();
#endif
}

static const struct ch_insn *insn_at(uint64_t link, int *func)
{
	int i = ch_asm_func_at(&as, link), k;

	*func = i;
	if (i < 0)
		return NULL;
	for (k = 0; k < as.fn[i].nr; k++)
		if (as.fn[i].insn[k].addr == link)
			return &as.fn[i].insn[k];
	return NULL;
}

/* One site in each fake-head walk function, none in any other. */
static void each_fake_head_walk_function_holds_one_key_site(void **state)
{
	int per_func[CH_NR_WALK_FUNCS] = { 0 };
	size_t n = ch_static_key_nr_sites(&hugetlb_optimize_vmemmap_key), s;
	int i;

	(void)state;
	skip_without_sites();
	for (s = 0; s < n; s++) {
		const void *addr;
		unsigned char b[CH_JUMP_INSN_SIZE];

		assert_int_equal(ch_static_key_site_bytes(
			&hugetlb_optimize_vmemmap_key, s, b, &addr), 0);
		i = ch_asm_func_at(&as, (uintptr_t)addr - bias);
		if (i >= 0)
			per_func[i]++;
	}
	for (i = 0; i < ch_nr_walk_funcs; i++) {
		int want = ch_walk_funcs[i].variant == CH_V_fake_head;

		if (per_func[i] != want)
			fail_msg("%s: %d sites of hugetlb_optimize_vmemmap_key, want %d",
				 ch_walk_funcs[i].sym, per_func[i], want);
	}
}

static void key_off_sites_are_the_5_byte_nop_in_line(void **state)
{
	size_t n = ch_static_key_nr_sites(&hugetlb_optimize_vmemmap_key), s;
	int checked = 0;

	(void)state;
	skip_without_sites();
	for (s = 0; s < n; s++) {
		unsigned char b[CH_JUMP_INSN_SIZE];
		const struct ch_insn *in;
		const void *addr;
		int f;

		ch_static_key_site_bytes(&hugetlb_optimize_vmemmap_key, s, b,
					 &addr);
		if (memcmp(b, nop5, sizeof(nop5)))
			fail_msg("site %zu: %02x %02x %02x %02x %02x, want 0f 1f 44 00 00",
				 s, b[0], b[1], b[2], b[3], b[4]);
		in = insn_at((uintptr_t)addr - bias, &f);
		if (f < 0)
			continue;	/* the out-of-line wrapper */
		if (!in)
			fail_msg("%s: no instruction starts at the site",
				 ch_walk_funcs[f].sym);
		if (strncmp(in->text, "nopl", 4) || in->cold)
			fail_msg("%s: objdump shows '%s'%s at the site, want nopl in the hot part",
				 ch_walk_funcs[f].sym, in->text,
				 in->cold ? " (.cold)" : "");
		checked++;
	}
	assert_int_equal(checked, CH_NR_SHAPES * CH_NR_LOOPS);
}

/* JMP rel32 forward, onto an instruction of the same function. */
static void key_on_sites_jump_to_the_slow_path_of_their_function(void **state)
{
	size_t n = ch_static_key_nr_sites(&hugetlb_optimize_vmemmap_key), s;
	int checked = 0;

	(void)state;
	skip_without_sites();
	ch_hvo_key_set(true);
	for (s = 0; s < n; s++) {
		unsigned char b[CH_JUMP_INSN_SIZE];
		uint64_t site, target;
		const struct ch_insn *in;
		const void *addr;
		int32_t rel;
		int f, g;

		ch_static_key_site_bytes(&hugetlb_optimize_vmemmap_key, s, b,
					 &addr);
		if (b[0] != 0xe9)
			fail_msg("site %zu: opcode %02x, want e9 (jmp rel32)",
				 s, b[0]);
		memcpy(&rel, b + 1, sizeof(rel));
		site = (uintptr_t)addr - bias;
		target = site + CH_JUMP_INSN_SIZE + rel;
		insn_at(site, &f);
		if (f < 0)
			continue;
		in = insn_at(target, &g);
		if (g != f || !in)
			fail_msg("%s: key on jumps to %#llx, not an instruction of the same function",
				 ch_walk_funcs[f].sym,
				 (unsigned long long)target);
		if (rel <= 0)
			fail_msg("%s: key on jumps back by %d; the slow path should be out of line after the site",
				 ch_walk_funcs[f].sym, -rel);
		checked++;
	}
	assert_int_equal(checked, CH_NR_SHAPES * CH_NR_LOOPS);
}

/* With jump labels the key is never read on the hot path. */
static void fake_head_walk_functions_never_load_the_key(void **state)
{
	int i, k;

	(void)state;
	skip_without_sites();
	for (i = 0; i < ch_nr_walk_funcs; i++)
		for (k = 0; k < as.fn[i].nr; k++)
			if (strstr(as.fn[i].insn[k].text,
				   "hugetlb_optimize_vmemmap_key"))
				fail_msg("%s: '%s' reads the key",
					 ch_walk_funcs[i].sym,
					 as.fn[i].insn[k].text);
}

/* Same code, both states: the walk's sum of heads tells them apart. */
static void fake_head_walk_sees_through_fake_heads_only_with_the_key_on(void **state)
{
	/* a 2 MiB folio as hvo-fake-head shows it: every 64th page a copy */
	static struct page pages[512] __attribute__((aligned(4096)));
	const struct ch_walk_func *w = ch_walk_func_find(
		CH_V_fake_head, CH_SHAPE_AS_COMPILED, CH_LOOP_INDEX);
	uint32_t idx[8];
	uint64_t want = 0, off, on;
	int k;

	(void)state;
	ch_prep_compound(pages, pages, 9, CH_ENC_POINTER);
	for (k = 1; k < 8; k++) {
		/* aliased vmemmap page k: a copy of page 0 */
		memcpy(&pages[64 * k], &pages[0], 64 * sizeof(struct page));
		idx[k] = 64 * k;
	}
	idx[0] = 0;
	want = 8 * (uint64_t)(uintptr_t)pages;

	ch_hvo_key_set(false);
	off = w->fn(pages, idx, 8);
	ch_hvo_key_set(true);
	on = w->fn(pages, idx, 8);
	ch_hvo_key_set(false);
	if (on != want)
		fail_msg("key on: sum of heads %#llx, want %#llx (8 x the real head)",
			 (unsigned long long)on, (unsigned long long)want);
	if (off == want)
		fail_msg("key off: the fake heads resolved to the real head; the key did nothing");
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, key_off, key_off)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(each_fake_head_walk_function_holds_one_key_site),
		T(key_off_sites_are_the_5_byte_nop_in_line),
		T(key_on_sites_jump_to_the_slow_path_of_their_function),
		T(fake_head_walk_functions_never_load_the_key),
		T(fake_head_walk_sees_through_fake_heads_only_with_the_key_on),
	};

	return cmocka_run_group_tests_name("jump_label", tests, read_self,
					   free_self);
}
