// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/disasm.h"
#include "harness/walkfn.h"

static bool starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static bool is_cond_branch(const char *m)
{
	/* x86: jcc but not jmp; arm64: b.cond, cbz, cbnz, tbz, tbnz */
	if (m[0] == 'j')
		return !starts(m, "jmp");
	return starts(m, "b.") || !strcmp(m, "cbz") || !strcmp(m, "cbnz") ||
	       !strcmp(m, "tbz") || !strcmp(m, "tbnz");
}

static bool is_cmov(const char *m)
{
	static const char *const a64[] = {
		"csel", "csinc", "csinv", "csneg", "cset", "csetm", "cinc",
		"cinv", "cneg",
	};
	size_t i;

	if (starts(m, "cmov"))
		return true;
	for (i = 0; i < sizeof(a64) / sizeof(a64[0]); i++)
		if (!strcmp(m, a64[i]))
			return true;
	return false;
}

static bool is_nop(const char *m, const char *ops)
{
	return starts(m, "nop") || !strcmp(m, "cs") || !strcmp(m, "data16") ||
	       (!strcmp(m, "xchg") && starts(ops, "%ax,%ax"));
}

static bool is_load(const char *m, const char *ops)
{
	const char *last;

	if (starts(m, "ldr") || starts(m, "ldp") || starts(m, "ldur") ||
	    starts(m, "ldar"))
		return true;
	if (starts(m, "lea") || !strchr(ops, '('))
		return false;
	/* cmp and test only read, e.g. clang's "testq $0x40,(%rcx)" */
	if (starts(m, "cmp") || starts(m, "test"))
		return true;
	/* AT&T: the destination is last; memory there is a store */
	last = strrchr(ops, ',');
	if (!last)
		/* one memory operand: push, jmp *, inc: not a plain load */
		return false;
	return !strchr(last, '(');
}

void ch_disasm_count_line(const char *line, struct ch_insn_counts *c,
			  bool *after_jump)
{
	char mnem[32] = "", ops[192] = "";
	const char *p = strchr(line, ':');

	/* "  4a:\tmov    0x8(%rax),%rdx" */
	if (!p || !isxdigit((unsigned char)line[strspn(line, " ")]))
		return;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (sscanf(p, "%31s %191[^\n]", mnem, ops) < 1)
		return;
	if (is_nop(mnem, ops)) {
		/* padding after a jump or return is never executed */
		if (!*after_jump)
			c->insns++;
		return;
	}
	*after_jump = starts(mnem, "ret") || !strcmp(mnem, "jmp") ||
		      !strcmp(mnem, "b");
	c->insns++;
	c->loads += is_load(mnem, ops);
	c->cond_branches += is_cond_branch(mnem);
	c->cmovs += is_cmov(mnem);
}

static FILE *objdump(const char *exe)
{
	char cmd[4600], self[4096];
	const char *tool;
	ssize_t n;

	/* inside the child, /proc/self/exe would be objdump itself */
	if (!exe || !strcmp(exe, "/proc/self/exe")) {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n <= 0)
			return NULL;
		self[n] = '\0';
		exe = self;
	}
	/* e.g. aarch64-linux-gnu-objdump for an arm64 binary under qemu */
	tool = getenv("CHBENCH_OBJDUMP");
	snprintf(cmd, sizeof(cmd),
		 "'%s' -d --no-show-raw-insn '%s' 2>/dev/null",
		 tool && *tool ? tool : "objdump", exe);
	return popen(cmd, "r");
}

FILE *ch_objdump_open(const char *exe)
{
	return objdump(exe);
}

/* Which walk function a "<sym>:" or "<sym.cold>:" header names. */
static int func_of_header(const char *line)
{
	const char *lt = strchr(line, '<'), *gt;
	char sym[128];
	size_t n;
	int i;

	if (!lt || !(gt = strchr(lt, '>')) || gt[1] != ':')
		return -1;
	n = gt - lt - 1;
	if (n >= sizeof(sym))
		return -1;
	memcpy(sym, lt + 1, n);
	sym[n] = '\0';
	if (n > 5 && !strcmp(sym + n - 5, ".cold"))
		sym[n - 5] = '\0';
	for (i = 0; i < ch_nr_walk_funcs; i++)
		if (!strcmp(sym, ch_walk_funcs[i].sym))
			return i;
	return -1;
}

void ch_disasm_read(struct ch_disasm *d, const char *exe)
{
	char line[512];
	bool after_jump = false;
	int cur = -1, i, status;
	FILE *f;

	memset(d, 0, sizeof(*d));
	f = objdump(exe);
	if (!exe)
		exe = "this program";
	if (!f) {
		snprintf(d->why, sizeof(d->why),
			 "cannot run objdump; install binutils");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] != ' ' && strchr(line, '<')) {
			cur = func_of_header(line);
			after_jump = false;
			if (cur >= 0)
				d->fn[cur].valid = true;
			continue;
		}
		if (cur >= 0)
			ch_disasm_count_line(line, &d->fn[cur], &after_jump);
	}
	status = pclose(f);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(d->why, sizeof(d->why),
			 "objdump failed (status %d); install binutils, or set CHBENCH_OBJDUMP to an objdump for this binary's architecture",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return;
	}
	for (i = 0; i < ch_nr_walk_funcs; i++) {
		const struct ch_walk_func *w = &ch_walk_funcs[i];
		const struct ch_walk_func *fl =
			ch_walk_func_find(CH_V_floor, w->shape, w->loop);
		const struct ch_insn_counts *b = &d->fn[fl - ch_walk_funcs];
		struct ch_insn_counts *n = &d->net[i];

		if (!d->fn[i].valid || !b->valid)
			continue;
		n->valid = true;
		n->insns = d->fn[i].insns - b->insns;
		n->loads = d->fn[i].loads - b->loads;
		n->cond_branches = d->fn[i].cond_branches - b->cond_branches;
		n->cmovs = d->fn[i].cmovs - b->cmovs;
		d->valid = true;
	}
	if (!d->valid)
		snprintf(d->why, sizeof(d->why),
			 "no walk functions found in %s's disassembly", exe);
}

int ch_disasm_print(const char *exe, const char *sym, FILE *out)
{
	char line[512];
	bool in = false;
	int found = 0;
	size_t n = strlen(sym);
	FILE *f = objdump(exe);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		const char *lt = strchr(line, '<');

		if (line[0] != ' ' && lt) {
			in = !strncmp(lt + 1, sym, n) &&
			     (!strcmp(lt + 1 + n, ">:\n") ||
			      !strcmp(lt + 1 + n, ".cold>:\n"));
			found += in;
		}
		if (in)
			fputs(line, out);
	}
	pclose(f);
	return found ? 0 : -1;
}
