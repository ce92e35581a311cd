/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The walk functions' instructions, as objdump shows them in the binary,
 * and which of them are the variant's: a walk function is diffed against
 * the floor's function of the same loop and shape, with registers and
 * branch targets blanked so that a different register allocation does
 * not hide the loop they share. What is left ('+') is the inlined
 * variant code; what the floor has and the variant lacks ('-') is loop
 * code the variant changed. Added minus removed is the net count that
 * harness/disasm.c reports.
 */
#ifndef CH_WALKASM_H
#define CH_WALKASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/disasm.h"

/* Instruction classes, as harness/disasm.c counts them. */
#define CH_INSN_LOAD	(1U << 0)
#define CH_INSN_CBR	(1U << 1)	/* conditional branch */
#define CH_INSN_CMOV	(1U << 2)	/* cmov, csel and friends */
#define CH_INSN_PAD	(1U << 3)	/* padding after a jump */
#define CH_INSN_KEY	(1U << 4)	/* a static key site */

struct ch_insn {
	uint64_t addr;		/* as objdump prints it (link-time) */
	char text[112];		/* "mov    0x8(%rax),%rdx" */
	char norm[112];		/* "mov 0x8(%r),%r": for matching */
	unsigned int cls;
	bool cold;		/* in the function's .cold part */
};

struct ch_walk_asm {
	uint64_t start, end;	/* the function: [start, end) */
	uint64_t cold_start;	/* its .cold part, if any: [cold_start, */
	uint64_t cold_end;	/* cold_end), else both 0 */
	int nr;
	struct ch_insn *insn;
};

/* A function symbol of the binary: to name any address. */
struct ch_asm_sym {
	uint64_t addr;
	char name[128];
};

struct ch_asm {
	bool valid;
	char why[256];		/* when not valid: one line */
	/* indexed like ch_walk_funcs[] */
	struct ch_walk_asm fn[CH_NR_WALK_FUNCS];
	struct ch_asm_sym *sym;	/* sorted by address */
	size_t nr_sym;
};

/* One line of the diff of a walk function against the floor's. */
struct ch_asm_line {
	/* '+' the variant's, ' ' shared, '-' the floor's only, '.' padding */
	char mark;
	const struct ch_insn *insn;
};

/* Read @exe's disassembly (NULL: this program). See ->valid. */
void ch_asm_read(struct ch_asm *a, const char *exe);
void ch_asm_free(struct ch_asm *a);

/* Flag the instruction at link-time @addr (a static key site, ...). */
void ch_asm_mark(struct ch_asm *a, uint64_t addr, unsigned int cls);

/*
 * Diff walk function @i against the floor's of its loop and shape into
 * @out (room for a->fn[i].nr + floor's nr lines): the longest common
 * subsequence first, then an instruction left on both sides counts as
 * moved, not as the variant's (a rotated loop). A key site never
 * matches. Returns the number of lines, or -1 without memory; *@added
 * and *@removed count the '+' and '-' lines.
 */
int ch_asm_diff(const struct ch_asm *a, int i, struct ch_asm_line *out,
		int *added, int *removed);

/* "ch_walk_index_pointer_branch+0x23", or NULL when outside every symbol. */
const char *ch_asm_symbolize(const struct ch_asm *a, uint64_t addr,
			     char *buf, size_t len);
/* Walk function holding link-time @addr (main or .cold part), or -1. */
int ch_asm_func_at(const struct ch_asm *a, uint64_t addr);

/*
 * Run-time address minus link-time address of this program's text (the
 * PIE load bias), from the walk functions' own addresses; 0 if unknown.
 * Meaningful only when @a was read from this program.
 */
uintptr_t ch_asm_load_bias(const struct ch_asm *a);

/*
 * Exposed for tests: blank the registers of one instruction (keeping
 * their width: %q %d %w %b %v on x86, x w on arm64), its branch target
 * and its comment.
 */
void ch_asm_normalize(const char *mnem, const char *ops, char *out,
		      size_t len);

#endif /* CH_WALKASM_H */
