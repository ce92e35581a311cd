// SPDX-License-Identifier: GPL-2.0
/*
 * User-space static keys (jump labels), modelled on the kernel's
 * static_branch_unlikely() as x86-64 implements it.
 *
 * The fake-head variant of compound_head() tests
 * hugetlb_optimize_vmemmap_key on every call.  In the kernel that test
 * costs no load and no conditional branch: the key is a 5-byte NOP in
 * line while it is off, and becomes a JMP rel32 to the out-of-line slow
 * path when it is switched on.  Measuring the variant with a plain load
 * and branch instead would charge it for work the kernel does not do, so
 * we patch our own text the same way.
 *
 * Every inlined copy of ch_static_branch_unlikely() emits one entry into
 * the __ch_jump_table section: {site, slow-path label, key}, each stored
 * relative to the entry itself, so a PIE needs no dynamic relocation for
 * it.  ch_static_key_set() walks that table and rewrites the sites.
 *
 * Where that is not possible (not x86-64, a compiler without asm goto,
 * an unoptimized build, or CH_STATIC_KEY_NO_JUMP_LABEL defined) the
 * branch is a READ_ONCE()-style load of key->enabled and a conditional
 * branch, which is what the kernel does without CONFIG_JUMP_LABEL.
 * key->enabled is kept up to date in every configuration, so
 * translation units built either way can share keys.
 *
 * Keys must be defined/declared with CH_DEFINE_STATIC_KEY_FALSE() and
 * CH_DECLARE_STATIC_KEY_FALSE(): they give the key hidden visibility,
 * without which clang refuses the key's address as an "i" asm operand
 * in PIE/PIC code.
 */
#ifndef CHBENCH_VARIANTS_STATIC_KEY_H
#define CHBENCH_VARIANTS_STATIC_KEY_H

#ifdef __KERNEL__
/*
 * kmod/: the kernel's own jump labels. The fake-head variant then tests
 * the very key page_fixed_fake_head() tests, hugetlb_optimize_vmemmap_key
 * (declared by <linux/page-flags.h>, exported by 6.1's hugetlb_vmemmap.c).
 */
#include <linux/jump_label.h>
#define CH_DECLARE_STATIC_KEY_FALSE(name)	DECLARE_STATIC_KEY_FALSE(name)
#define ch_static_branch_unlikely(key)		static_branch_unlikely(key)
#else

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/*
 * CH_HAVE_JUMP_LABEL_PATCHING: static_key.c can patch sites (x86-64 and a
 * compiler with asm goto: gcc >= 4.5, clang >= 9).
 */
#if defined(__x86_64__) && !defined(__ILP32__)
# if defined(__clang__)
#  if __clang_major__ >= 9
#   define CH_HAVE_JUMP_LABEL_PATCHING 1
#  endif
# elif defined(__GNUC__)
#  if __GNUC__ > 4 || (__GNUC__ == 4 && __GNUC_MINOR__ >= 5)
#   define CH_HAVE_JUMP_LABEL_PATCHING 1
#  endif
# endif
#endif

/*
 * CH_JUMP_LABEL: this translation unit emits patch sites.  The key's
 * address reaches the asm as an "i" operand, which only becomes a
 * constant once the always-inline call has been folded, hence
 * __OPTIMIZE__.  Define CH_STATIC_KEY_NO_JUMP_LABEL (for every
 * translation unit) to measure the load-and-branch form on x86-64.
 */
#if defined(CH_HAVE_JUMP_LABEL_PATCHING) && defined(__OPTIMIZE__) && \
	!defined(CH_STATIC_KEY_NO_JUMP_LABEL)
# define CH_JUMP_LABEL 1
#endif

#define CH_JUMP_INSN_SIZE	5

struct ch_static_key {
	bool enabled;
};

/* Hidden: see the comment at the top. */
#define CH_DEFINE_STATIC_KEY_FALSE(name)				\
	__attribute__((visibility("hidden")))				\
	struct ch_static_key name = { .enabled = false }
#define CH_DECLARE_STATIC_KEY_FALSE(name)				\
	extern __attribute__((visibility("hidden")))			\
	struct ch_static_key name

/*
 * One patch site.  Each field holds "address minus address of this
 * field", as the asm below writes it (.long/.quad sym - .).  The layout
 * must match that asm: 16 bytes, 8-byte aligned.
 */
struct ch_jump_entry {
	int32_t code;		/* the 5-byte NOP/JMP */
	int32_t target;		/* the slow-path label */
	int64_t key;		/* the struct ch_static_key */
};

/* Bounds of the table, defined by the linker (ld.bfd, gold, lld). */
extern const struct ch_jump_entry __start___ch_jump_table[]
	__attribute__((weak, visibility("hidden")));
extern const struct ch_jump_entry __stop___ch_jump_table[]
	__attribute__((weak, visibility("hidden")));

static __always_inline uintptr_t
ch_jump_entry_code(const struct ch_jump_entry *e)
{
	return (uintptr_t)&e->code + (uintptr_t)(intptr_t)e->code;
}

static __always_inline uintptr_t
ch_jump_entry_target(const struct ch_jump_entry *e)
{
	return (uintptr_t)&e->target + (uintptr_t)(intptr_t)e->target;
}

static __always_inline const struct ch_static_key *
ch_jump_entry_key(const struct ch_jump_entry *e)
{
	return (const struct ch_static_key *)
		((uintptr_t)&e->key + (uintptr_t)(intptr_t)e->key);
}

#ifdef CH_JUMP_LABEL
/*
 * Off: fall through the NOP.  On: the NOP has been rewritten into
 * "jmp l_yes".  The compiler lays out the fall-through as the hot path
 * and the l_yes block out of line, as it does for the kernel.
 */
static __always_inline bool ch_static_branch_unlikely(struct ch_static_key *key)
{
	asm goto("1:	.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t"
		 ".pushsection __ch_jump_table, \"a\"\n\t"
		 ".balign 8\n\t"
		 ".long 1b - .\n\t"
		 ".long %l[l_yes] - .\n\t"
		 ".quad %c0 - .\n\t"
		 ".popsection"
		 : : "i" (key) : : l_yes);
	return false;
l_yes:
	return true;
}
#else
/* Fallback: the kernel's !CONFIG_JUMP_LABEL form, one load and a branch. */
static __always_inline bool ch_static_branch_unlikely(struct ch_static_key *key)
{
	return __builtin_expect(*(const volatile bool *)&key->enabled, 0);
}
#endif

/*
 * Switch @key on or off, patching every site.  Returns 0 or -errno
 * (mprotect() failure, a site holding unexpected bytes, ...); on failure
 * the key and its sites are left as they were.  Not safe while another
 * thread may be executing one of the key's sites: flip keys between runs.
 */
int ch_static_key_set(struct ch_static_key *key, bool on);
bool ch_static_key_enabled(const struct ch_static_key *key);
const char *ch_static_key_impl(void);

/* For tests and `make asm`. */
size_t ch_static_key_nr_sites(const struct ch_static_key *key);
/*
 * Copy the 5 bytes currently at the @i-th site of @key into @out and, if
 * @addr is not NULL, store the site's address there.  Returns 0, or
 * -ENOENT if @key has no site @i.
 */
int ch_static_key_site_bytes(const struct ch_static_key *key, size_t i,
			     unsigned char out[5], const void **addr);

#endif /* !__KERNEL__ */
#endif /* CHBENCH_VARIANTS_STATIC_KEY_H */
