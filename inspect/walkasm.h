/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which of a walk function's instructions (inspect/disasm.h) are the
 * variant's: a walk function is diffed against the floor's function of
 * the same loop and shape, with registers and branch targets blanked
 * (ch_insn_normalize()) so that a different register allocation does
 * not hide the loop they share. What is left ('+') is the inlined
 * variant code; what the floor has and the variant lacks ('-') is loop
 * code the variant changed. Added minus removed is the net count that
 * inspect/disasm.c adds up.
 */
#ifndef CH_WALKASM_H
#define CH_WALKASM_H

#include "inspect/disasm.h"

/* One line of the diff of a walk function against the floor's. */
struct ch_asm_line {
	/* '+' the variant's, ' ' shared, '-' the floor's only, '.' padding */
	char mark;
	const struct ch_insn *insn;
};

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

#endif /* CH_WALKASM_H */
