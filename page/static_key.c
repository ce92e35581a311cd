// SPDX-License-Identifier: GPL-2.0
/*
 * Run-time side of the user-space static keys: walk __ch_jump_table and
 * rewrite each site of a key between the 5-byte NOP and JMP rel32.
 * See static_key.h for the why.
 */
#include <errno.h>
#include <string.h>

#include "static_key.h"

#ifdef CH_HAVE_JUMP_LABEL_PATCHING

#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_include)
# if __has_include(<valgrind/valgrind.h>)
#  include <valgrind/valgrind.h>
# endif
#endif
#ifndef VALGRIND_DISCARD_TRANSLATIONS
# define VALGRIND_DISCARD_TRANSLATIONS(addr, len) do { } while (0)
#endif

/*
 * An empty contribution to the table, so that the linker defines
 * __start/__stop___ch_jump_table even when no site is linked in (e.g.
 * every user built without optimization).
 */
asm(".pushsection __ch_jump_table, \"a\"\n\t"
    ".balign 8\n\t"
    ".popsection");

#define CH_JMP32_OPCODE	0xe9

/* The 5-byte NOP the Intel and AMD manuals recommend: nopl 0x0(%rax,%rax,1) */
static const unsigned char ch_nop5[CH_JUMP_INSN_SIZE] = {
	0x0f, 0x1f, 0x44, 0x00, 0x00
};

/*
 * Serialises patching: two threads flipping keys on the same page would
 * otherwise race on the page protection.  A spinlock keeps this file
 * free of -pthread.
 */
static char ch_patch_lock;

static void ch_lock(void)
{
	while (__atomic_test_and_set(&ch_patch_lock, __ATOMIC_ACQUIRE))
		;
}

static void ch_unlock(void)
{
	__atomic_clear(&ch_patch_lock, __ATOMIC_RELEASE);
}

static size_t ch_page_size(void)
{
	static size_t page_size;

	if (!page_size) {
		long sz = sysconf(_SC_PAGESIZE);

		page_size = sz > 0 ? (size_t)sz : 4096;
	}
	return page_size;
}

/* The bytes @e's site must hold when its key is @on. */
static int ch_jump_insn(const struct ch_jump_entry *e, bool on,
			unsigned char insn[CH_JUMP_INSN_SIZE])
{
	uintptr_t site = ch_jump_entry_code(e);
	int64_t rel;
	int32_t rel32;

	if (!on) {
		memcpy(insn, ch_nop5, CH_JUMP_INSN_SIZE);
		return 0;
	}
	/* rel32 counts from the end of the JMP. */
	rel = (int64_t)(ch_jump_entry_target(e) - (site + CH_JUMP_INSN_SIZE));
	if (rel < INT32_MIN || rel > INT32_MAX)
		return -ERANGE;
	rel32 = (int32_t)rel;
	insn[0] = CH_JMP32_OPCODE;
	/* x86 is little-endian, as the rel32 must be. */
	memcpy(insn + 1, &rel32, sizeof(rel32));
	return 0;
}

/*
 * Rewrite one site.  The text is mapped R+X; make the page(s) covering
 * the 5 bytes writable for the copy (a site may straddle two pages, so
 * the range is rounded out on both ends).  X stays set throughout: this
 * very function may live on the page being patched.
 */
static int ch_patch_site(uintptr_t site,
			 const unsigned char insn[CH_JUMP_INSN_SIZE])
{
	uintptr_t mask = ~(uintptr_t)(ch_page_size() - 1);
	uintptr_t start = site & mask;
	uintptr_t end = (site + CH_JUMP_INSN_SIZE - 1 + ch_page_size()) & mask;
	void *page = (void *)start;
	size_t len = end - start;
	int err = 0;

	/* Leave the page alone (no copy-on-write) if there is nothing to do. */
	if (!memcmp((const void *)site, insn, CH_JUMP_INSN_SIZE))
		return 0;

	if (mprotect(page, len, PROT_READ | PROT_WRITE | PROT_EXEC))
		return -errno;
	memcpy((void *)site, insn, CH_JUMP_INSN_SIZE);
	if (mprotect(page, len, PROT_READ | PROT_EXEC))
		err = -errno;

	/* A no-op on x86, but the contract for modified code. */
	__builtin___clear_cache((char *)site, (char *)site + CH_JUMP_INSN_SIZE);
	/* Valgrind caches translated code and does not notice the store. */
	VALGRIND_DISCARD_TRANSLATIONS(site, CH_JUMP_INSN_SIZE);
	return err;
}

/*
 * Set every site of @key before @stop to its @on form.  Each site must
 * currently hold either form (the off form when the table is fresh);
 * anything else means the table and the text disagree, and writing would
 * corrupt code.  On failure *@failed is the entry that could not be
 * patched; the ones before it have been.
 */
static int ch_patch_key(const struct ch_static_key *key, bool on,
			const struct ch_jump_entry *stop,
			const struct ch_jump_entry **failed)
{
	const struct ch_jump_entry *e;
	unsigned char want[CH_JUMP_INSN_SIZE], other[CH_JUMP_INSN_SIZE];
	int err;

	for (e = __start___ch_jump_table; e < stop; e++) {
		const void *site = (const void *)ch_jump_entry_code(e);

		if (ch_jump_entry_key(e) != key)
			continue;
		err = ch_jump_insn(e, on, want);
		if (!err)
			err = ch_jump_insn(e, !on, other);
		if (!err && memcmp(site, want, CH_JUMP_INSN_SIZE) &&
		    memcmp(site, other, CH_JUMP_INSN_SIZE))
			err = -EILSEQ;
		if (!err)
			err = ch_patch_site((uintptr_t)site, want);
		if (err) {
			*failed = e;
			return err;
		}
	}
	return 0;
}

int ch_static_key_set(struct ch_static_key *key, bool on)
{
	const struct ch_jump_entry *failed = NULL, *ignored;
	int err;

	ch_lock();
	err = ch_patch_key(key, on, __stop___ch_jump_table, &failed);
	if (err)
		/* Best effort: put back the sites already patched. */
		ch_patch_key(key, key->enabled, failed, &ignored);
	else
		/* Keep the flag right for load-and-branch users too. */
		__atomic_store_n(&key->enabled, on, __ATOMIC_RELEASE);
	ch_unlock();
	return err;
}

size_t ch_static_key_nr_sites(const struct ch_static_key *key)
{
	const struct ch_jump_entry *e;
	size_t n = 0;

	for (e = __start___ch_jump_table; e < __stop___ch_jump_table; e++)
		if (ch_jump_entry_key(e) == key)
			n++;
	return n;
}

int ch_static_key_site_bytes(const struct ch_static_key *key, size_t i,
			     unsigned char out[5], const void **addr)
{
	const struct ch_jump_entry *e;

	for (e = __start___ch_jump_table; e < __stop___ch_jump_table; e++) {
		const void *site = (const void *)ch_jump_entry_code(e);

		if (ch_jump_entry_key(e) != key || i--)
			continue;
		memcpy(out, site, CH_JUMP_INSN_SIZE);
		if (addr)
			*addr = site;
		return 0;
	}
	return -ENOENT;
}

const char *ch_static_key_impl(void)
{
#ifdef CH_STATIC_KEY_NO_JUMP_LABEL
	return "load and branch (fallback: CH_STATIC_KEY_NO_JUMP_LABEL "
	       "defined)";
#else
	/*
	 * Sites only exist in optimized builds: without any, every user
	 * fell back to load and branch, so say so.
	 */
	if (&__start___ch_jump_table[0] == &__stop___ch_jump_table[0])
		return "load and branch (fallback: no patch sites linked, "
		       "built without -O?)";
	return "x86-64 asm goto, 5-byte NOP/JMP patched at run time";
#endif
}

#else /* !CH_HAVE_JUMP_LABEL_PATCHING */

int ch_static_key_set(struct ch_static_key *key, bool on)
{
	__atomic_store_n(&key->enabled, on, __ATOMIC_RELEASE);
	return 0;
}

size_t ch_static_key_nr_sites(const struct ch_static_key *key)
{
	(void)key;
	return 0;
}

int ch_static_key_site_bytes(const struct ch_static_key *key, size_t i,
			     unsigned char out[5], const void **addr)
{
	(void)key;
	(void)i;
	(void)out;
	(void)addr;
	return -ENOENT;
}

const char *ch_static_key_impl(void)
{
#if !defined(__x86_64__) || defined(__ILP32__)
	return "load and branch (fallback: not x86-64)";
#else
	return "load and branch (fallback: compiler lacks asm goto)";
#endif
}

#endif /* CH_HAVE_JUMP_LABEL_PATCHING */

bool ch_static_key_enabled(const struct ch_static_key *key)
{
	return __atomic_load_n(&key->enabled, __ATOMIC_ACQUIRE);
}
