/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the compiler made of each walk function, read from the binary's
 * own disassembly: one objdump pass, each instruction parsed and
 * classified once (inspect/insn.h), and the counts that list, bench
 * and asm print (instructions, loads, conditional branches and
 * cmov/csel) added up from those classes. The variant's share is the
 * walk function minus the floor's walk function of the same loop and
 * shape; inspect/walkasm.h marks which instructions make it up.
 */
#ifndef CH_DISASM_H
#define CH_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inspect/insn.h"
#include "vmemmap/walkfn.h"

#define CH_NR_WALK_FUNCS	(CH_NR_VARIANTS * CH_NR_SHAPES * CH_NR_LOOPS)

struct ch_insn {
	uint64_t addr;		/* as objdump prints it (link-time) */
	char text[112];		/* "mov    0x8(%rax),%rdx" */
	char norm[112];		/* "mov 0x8(%r),%r": for matching */
	unsigned int cls;	/* CH_INSN_* */
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

struct ch_insn_counts {
	bool valid;
	int insns;		/* padding after a jump left out */
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

/*
 * Read @exe's disassembly (NULL: this program) with one run of
 * "objdump -d --no-show-raw-insn" ($CHBENCH_OBJDUMP names another
 * objdump). Never fails hard: see ->valid.
 */
void ch_asm_read(struct ch_asm *a, const char *exe);
void ch_asm_free(struct ch_asm *a);

/* Add up @a's classes into counts, per function and net of the floor. */
void ch_asm_count(const struct ch_asm *a, struct ch_disasm *d);
/* ch_asm_read() and ch_asm_count(), for those who need only the counts. */
void ch_disasm_read(struct ch_disasm *d, const char *exe);

/* Flag the instruction at link-time @addr (a static key site, ...). */
void ch_asm_mark(struct ch_asm *a, uint64_t addr, unsigned int cls);

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

#endif /* CH_DISASM_H */
