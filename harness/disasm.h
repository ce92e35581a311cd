/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the compiler made of each walk function, read from the binary's
 * own disassembly (objdump): instructions, loads, conditional branches
 * and cmov/csel. The variant's share is the walk function minus the
 * floor's walk function of the same loop and shape.
 */
#ifndef CH_DISASM_H
#define CH_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "harness/walkfn.h"

#define CH_NR_WALK_FUNCS	(CH_NR_VARIANTS * CH_NR_SHAPES * CH_NR_LOOPS)

struct ch_insn_counts {
	bool valid;
	int insns;
	int loads;
	int cond_branches;
	int cmovs;
};

struct ch_disasm {
	bool valid;
	char why[256];		/* when not valid: one line */
	/* indexed like ch_walk_funcs[] */
	struct ch_insn_counts fn[CH_NR_WALK_FUNCS];
	/* the same, minus the floor's function of the same loop and shape */
	struct ch_insn_counts net[CH_NR_WALK_FUNCS];
};

/* Disassemble @exe (NULL: this program). Never fails hard: see ->valid. */
void ch_disasm_read(struct ch_disasm *d, const char *exe);
/* Print the disassembly of one walk function (and its .cold part). */
int ch_disasm_print(const char *exe, const char *sym, FILE *out);
/*
 * popen() "objdump -d --no-show-raw-insn @exe" (NULL: this program;
 * $CHBENCH_OBJDUMP names another objdump); pclose() it.
 */
FILE *ch_objdump_open(const char *exe);
/* count one objdump instruction line into @c; exposed for tests */
void ch_disasm_count_line(const char *line, struct ch_insn_counts *c,
			  bool *after_jump);

#endif /* CH_DISASM_H */
