// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for variants/static_key.[ch]: the bytes at every patch site, the
 * path each user of a key takes, and the failure paths of patching.
 *
 * The byte-level tests read the text and __ch_jump_table directly rather
 * than trusting the code under test to decode them.  They skip when the
 * build has no patch sites (not x86-64, unoptimized, or
 * CH_STATIC_KEY_NO_JUMP_LABEL); the path tests run everywhere.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "page/static_key.h"

#define noinline __attribute__((noinline))

enum { FAST = 1, SLOW = 2 };

static const unsigned char nop5[CH_JUMP_INSN_SIZE] = {
	0x0f, 0x1f, 0x44, 0x00, 0x00
};

CH_DEFINE_STATIC_KEY_FALSE(key_a);
CH_DEFINE_STATIC_KEY_FALSE(key_b);

/* Sites of key_a: one here, three in uses_key_a_thrice(). */
static noinline int uses_key_a(void)
{
	if (ch_static_branch_unlikely(&key_a))
		return SLOW;
	return FAST;
}

static noinline int uses_key_b(void)
{
	if (ch_static_branch_unlikely(&key_b))
		return SLOW;
	return FAST;
}

static __always_inline int bit_if_on(struct ch_static_key *key, int bit)
{
	if (ch_static_branch_unlikely(key))
		return 1 << bit;
	return 0;
}

/* Three inlined copies, three sites; each must be patched on its own. */
static noinline int uses_key_a_thrice(void)
{
	return bit_if_on(&key_a, 0) | bit_if_on(&key_a, 1) |
	       bit_if_on(&key_a, 2);
}

#define KEY_A_MIN_SITES	4
#define KEY_B_MIN_SITES	1

#ifdef CH_JUMP_LABEL
/*
 * Hand-made sites the compiler cannot place for us:
 *
 * straddle_fn's NOP starts 3 bytes before a 4 KiB boundary, so patching
 * it must make both pages writable.
 *
 * bad_fn has one good site and one holding five 1-byte NOPs, which is
 * neither form a site may hold: enabling key_bad must fail with -EILSEQ
 * and put the good site back.
 */
CH_DEFINE_STATIC_KEY_FALSE(key_straddle);
CH_DEFINE_STATIC_KEY_FALSE(key_bad);
extern __attribute__((visibility("hidden"))) int straddle_fn(void);
extern __attribute__((visibility("hidden"))) int bad_fn(void);

asm(".pushsection .text.ch_test_hand_made_sites, \"ax\", @progbits\n"
    ".p2align 12\n"
    ".fill 4093, 1, 0xcc\n"
    ".globl straddle_fn\n"
    ".hidden straddle_fn\n"
    ".type straddle_fn, @function\n"
    "straddle_fn:\n"
    "1:	.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n"
    "	movl $1, %eax\n"			/* FAST */
    "	ret\n"
    "2:	movl $2, %eax\n"			/* SLOW */
    "	ret\n"
    ".size straddle_fn, . - straddle_fn\n"
    ".pushsection __ch_jump_table, \"a\"\n"
    ".balign 8\n"
    ".long 1b - .\n"
    ".long 2b - .\n"
    ".quad key_straddle - .\n"
    ".popsection\n"
    "\n"
    ".globl bad_fn\n"
    ".hidden bad_fn\n"
    ".type bad_fn, @function\n"
    "bad_fn:\n"
    "1:	.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n"
    "3:	.byte 0x90, 0x90, 0x90, 0x90, 0x90\n"
    "	movl $1, %eax\n"
    "	ret\n"
    "2:	movl $2, %eax\n"
    "	ret\n"
    ".size bad_fn, . - bad_fn\n"
    ".pushsection __ch_jump_table, \"a\"\n"
    ".balign 8\n"
    ".long 1b - .\n"
    ".long 2b - .\n"
    ".quad key_bad - .\n"
    ".long 3b - .\n"
    ".long 2b - .\n"
    ".quad key_bad - .\n"
    ".popsection\n"
    ".popsection\n");
#endif

static void skip_without_sites(void)
{
#ifndef CH_JUMP_LABEL
	skip();
#endif
}

static int all_keys_off(void **state)
{
	(void)state;
	assert_int_equal(ch_static_key_set(&key_a, false), 0);
	assert_int_equal(ch_static_key_set(&key_b, false), 0);
#ifdef CH_JUMP_LABEL
	assert_int_equal(ch_static_key_set(&key_straddle, false), 0);
#endif
	return 0;
}

/* Entries of @key in the raw table, decoded here, not by the code tested. */
static size_t raw_nr_entries(const struct ch_static_key *key)
{
	const struct ch_jump_entry *e;
	size_t n = 0;

	for (e = __start___ch_jump_table; e < __stop___ch_jump_table; e++)
		if (ch_jump_entry_key(e) == key)
			n++;
	return n;
}

static void assert_all_sites_nop(const struct ch_static_key *key, size_t min)
{
	size_t i, n = ch_static_key_nr_sites(key);
	unsigned char bytes[CH_JUMP_INSN_SIZE];
	const void *addr = NULL;

	assert_true(n >= min);
	assert_int_equal(n, raw_nr_entries(key));
	for (i = 0; i < n; i++) {
		assert_int_equal(ch_static_key_site_bytes(key, i, bytes, &addr),
				 0);
		assert_non_null(addr);
		assert_memory_equal(bytes, nop5, CH_JUMP_INSN_SIZE);
		/* ...and the text itself, not just the copy. */
		assert_memory_equal(addr, nop5, CH_JUMP_INSN_SIZE);
	}
}

/* Every entry of @key: E9 rel32 landing exactly on the recorded label. */
static void assert_all_sites_jump(const struct ch_static_key *key, size_t min)
{
	const struct ch_jump_entry *e;
	size_t n = 0;

	for (e = __start___ch_jump_table; e < __stop___ch_jump_table; e++) {
		const unsigned char *site;
		int32_t rel32;

		if (ch_jump_entry_key(e) != key)
			continue;
		site = (const unsigned char *)ch_jump_entry_code(e);
		assert_int_equal(site[0], 0xe9);
		memcpy(&rel32, site + 1, sizeof(rel32));
		assert_int_equal((uintptr_t)site + CH_JUMP_INSN_SIZE +
				 (uintptr_t)(intptr_t)rel32,
				 ch_jump_entry_target(e));
		n++;
	}
	assert_true(n >= min);
	assert_int_equal(n, ch_static_key_nr_sites(key));
}

static void key_off_site_is_a_5_byte_nop(void **state)
{
	(void)state;
	skip_without_sites();
	assert_false(ch_static_key_enabled(&key_a));
	assert_all_sites_nop(&key_a, KEY_A_MIN_SITES);
	assert_all_sites_nop(&key_b, KEY_B_MIN_SITES);
}

static void key_off_function_takes_the_fast_path(void **state)
{
	(void)state;
	assert_int_equal(uses_key_a(), FAST);
	assert_int_equal(uses_key_a_thrice(), 0);
	assert_int_equal(uses_key_b(), FAST);
}

static void key_on_site_jumps_to_the_recorded_label(void **state)
{
	(void)state;
	skip_without_sites();
	assert_int_equal(ch_static_key_set(&key_a, true), 0);
	assert_all_sites_jump(&key_a, KEY_A_MIN_SITES);
}

static void key_on_function_takes_the_slow_path(void **state)
{
	(void)state;
	assert_int_equal(ch_static_key_set(&key_a, true), 0);
	assert_true(ch_static_key_enabled(&key_a));
	assert_int_equal(uses_key_a(), SLOW);
}

static void key_on_patches_every_inlined_copy(void **state)
{
	(void)state;
	assert_int_equal(ch_static_key_set(&key_a, true), 0);
	assert_int_equal(uses_key_a_thrice(), 0x7);
}

static void key_set_twice_is_harmless(void **state)
{
	(void)state;
	assert_int_equal(ch_static_key_set(&key_a, true), 0);
	assert_int_equal(ch_static_key_set(&key_a, true), 0);
	assert_int_equal(uses_key_a(), SLOW);
	assert_int_equal(ch_static_key_set(&key_a, false), 0);
	assert_int_equal(ch_static_key_set(&key_a, false), 0);
	assert_int_equal(uses_key_a(), FAST);
}

static void key_off_again_restores_the_nop(void **state)
{
	int round;

	(void)state;
	/* Several rounds: each must leave the text in a patchable state. */
	for (round = 0; round < 3; round++) {
		assert_int_equal(ch_static_key_set(&key_a, true), 0);
		assert_int_equal(uses_key_a(), SLOW);
		assert_int_equal(uses_key_a_thrice(), 0x7);
		assert_int_equal(ch_static_key_set(&key_a, false), 0);
		assert_false(ch_static_key_enabled(&key_a));
		assert_int_equal(uses_key_a(), FAST);
		assert_int_equal(uses_key_a_thrice(), 0);
	}
	if (ch_static_key_nr_sites(&key_a))
		assert_all_sites_nop(&key_a, KEY_A_MIN_SITES);
}

static void two_keys_switch_independently(void **state)
{
	(void)state;
	assert_int_equal(ch_static_key_set(&key_b, true), 0);
	assert_false(ch_static_key_enabled(&key_a));
	assert_int_equal(uses_key_a(), FAST);
	assert_int_equal(uses_key_a_thrice(), 0);
	assert_int_equal(uses_key_b(), SLOW);
	if (ch_static_key_nr_sites(&key_b)) {
		assert_all_sites_nop(&key_a, KEY_A_MIN_SITES);
		assert_all_sites_jump(&key_b, KEY_B_MIN_SITES);
	}

	assert_int_equal(ch_static_key_set(&key_a, true), 0);
	assert_int_equal(ch_static_key_set(&key_b, false), 0);
	assert_int_equal(uses_key_a(), SLOW);
	assert_int_equal(uses_key_b(), FAST);
	if (ch_static_key_nr_sites(&key_b)) {
		assert_all_sites_jump(&key_a, KEY_A_MIN_SITES);
		assert_all_sites_nop(&key_b, KEY_B_MIN_SITES);
	}
}

static void site_bytes_of_a_missing_site_is_enoent(void **state)
{
	unsigned char bytes[CH_JUMP_INSN_SIZE];
	const void *addr = NULL;
	size_t n = ch_static_key_nr_sites(&key_a);

	(void)state;
	assert_int_equal(ch_static_key_site_bytes(&key_a, n, bytes, &addr),
			 -ENOENT);
	assert_null(addr);
}

static void site_straddling_a_page_boundary_is_patched(void **state)
{
#ifdef CH_JUMP_LABEL
	unsigned char bytes[CH_JUMP_INSN_SIZE];
	const void *addr = NULL;

	(void)state;
	assert_int_equal(ch_static_key_nr_sites(&key_straddle), 1);
	assert_int_equal(ch_static_key_site_bytes(&key_straddle, 0, bytes,
						  &addr), 0);
	assert_ptr_equal(addr, (const void *)straddle_fn);
	/* 3 bytes on one 4 KiB page, 2 on the next. */
	assert_int_equal((uintptr_t)addr & 4095, 4093);
	assert_int_equal(straddle_fn(), FAST);

	assert_int_equal(ch_static_key_set(&key_straddle, true), 0);
	assert_all_sites_jump(&key_straddle, 1);
	assert_int_equal(straddle_fn(), SLOW);

	assert_int_equal(ch_static_key_set(&key_straddle, false), 0);
	assert_all_sites_nop(&key_straddle, 1);
	assert_int_equal(straddle_fn(), FAST);
#else
	(void)state;
	skip();
#endif
}

static void site_with_unexpected_bytes_is_refused_and_rolled_back(void **state)
{
#ifdef CH_JUMP_LABEL
	static const unsigned char nop1x5[CH_JUMP_INSN_SIZE] = {
		0x90, 0x90, 0x90, 0x90, 0x90
	};
	unsigned char bytes[CH_JUMP_INSN_SIZE];

	(void)state;
	assert_int_equal(ch_static_key_nr_sites(&key_bad), 2);
	assert_int_equal(ch_static_key_set(&key_bad, true), -EILSEQ);
	assert_false(ch_static_key_enabled(&key_bad));
	/* The good site was patched first, then put back. */
	assert_int_equal(ch_static_key_site_bytes(&key_bad, 0, bytes, NULL), 0);
	assert_memory_equal(bytes, nop5, CH_JUMP_INSN_SIZE);
	assert_int_equal(ch_static_key_site_bytes(&key_bad, 1, bytes, NULL), 0);
	assert_memory_equal(bytes, nop1x5, CH_JUMP_INSN_SIZE);
	assert_int_equal(bad_fn(), FAST);
#else
	(void)state;
	skip();
#endif
}

static void implementation_string_names_the_mechanism(void **state)
{
	const char *impl = ch_static_key_impl();

	(void)state;
	assert_non_null(impl);
	assert_null(strchr(impl, '\n'));
#ifdef CH_JUMP_LABEL
	assert_string_equal(impl,
		"x86-64 asm goto, 5-byte NOP/JMP patched at run time");
#else
	assert_int_equal(strncmp(impl, "load and branch (fallback: ", 27), 0);
#endif
}

#define KEY_TEST(fn) \
	cmocka_unit_test_setup_teardown(fn, all_keys_off, all_keys_off)

int main(void)
{
	const struct CMUnitTest tests[] = {
		KEY_TEST(key_off_site_is_a_5_byte_nop),
		KEY_TEST(key_off_function_takes_the_fast_path),
		KEY_TEST(key_on_site_jumps_to_the_recorded_label),
		KEY_TEST(key_on_function_takes_the_slow_path),
		KEY_TEST(key_on_patches_every_inlined_copy),
		KEY_TEST(key_set_twice_is_harmless),
		KEY_TEST(key_off_again_restores_the_nop),
		KEY_TEST(two_keys_switch_independently),
		KEY_TEST(site_bytes_of_a_missing_site_is_enoent),
		KEY_TEST(site_straddling_a_page_boundary_is_patched),
		KEY_TEST(site_with_unexpected_bytes_is_refused_and_rolled_back),
		KEY_TEST(implementation_string_names_the_mechanism),
	};

	return cmocka_run_group_tests_name("static_key", tests, NULL, NULL);
}
