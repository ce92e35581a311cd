/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What one instruction of objdump's listing is (x86-64 in AT&T syntax,
 * or arm64): its classes, decided here once for every count and every
 * mark that list, bench and asm print, and its normal form, with
 * registers and branch targets blanked, for matching a walk function
 * against the floor's.
 */
#ifndef CH_INSN_H
#define CH_INSN_H

#include <stddef.h>

/* What ch_insn_classify() says of an instruction on its own. */
#define CH_INSN_LOAD	(1U << 0)	/* reads memory */
#define CH_INSN_CBR	(1U << 1)	/* conditional branch */
#define CH_INSN_CMOV	(1U << 2)	/* cmov, csel and friends */
#define CH_INSN_NOP	(1U << 3)	/* any form of padding NOP */
#define CH_INSN_JUMP	(1U << 4)	/* jmp, b: never falls through */
#define CH_INSN_RET	(1U << 5)
#define CH_INSN_CALL	(1U << 6)	/* call, bl */
/* What only its place in the binary says. */
#define CH_INSN_PAD	(1U << 7)	/* a NOP after a jump: never runs */
#define CH_INSN_KEY	(1U << 8)	/* a static key site */

/* @mnem and @ops as objdump prints them: "mov", "0x8(%rax),%rdx" */
unsigned int ch_insn_classify(const char *mnem, const char *ops);

/*
 * Blank the registers of one instruction (keeping their width: %q %d
 * %w %b %v on x86, x w on arm64), its branch target and its comment.
 */
void ch_insn_normalize(const char *mnem, const char *ops, char *out,
		       size_t len);

#endif /* CH_INSN_H */
