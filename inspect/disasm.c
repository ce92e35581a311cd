// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "inspect/disasm.h"
#include "vmemmap/walkfn.h"

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

static int walk_func_of(const char *sym, bool *cold)
{
	char name[128];
	size_t n = strlen(sym);
	int i;

	*cold = n > 5 && !strcmp(sym + n - 5, ".cold");
	if (*cold)
		n -= 5;
	if (n >= sizeof(name))
		return -1;
	memcpy(name, sym, n);
	name[n] = '\0';
	for (i = 0; i < ch_nr_walk_funcs; i++)
		if (!strcmp(name, ch_walk_funcs[i].sym))
			return i;
	return -1;
}

/* "000000000000ff80 <ch_walk_index_floor_branch>:" */
static bool parse_header(const char *line, uint64_t *addr, char *sym,
			 size_t len)
{
	const char *lt = strchr(line, '<'), *gt;
	size_t n;

	if (line[0] == ' ' || !lt || !(gt = strrchr(lt, '>')) || gt[1] != ':')
		return false;
	n = gt - lt - 1;
	if (n >= len)
		n = len - 1;
	memcpy(sym, lt + 1, n);
	sym[n] = '\0';
	*addr = strtoull(line, NULL, 16);
	return true;
}

static int add_sym(struct ch_asm *a, size_t *cap, uint64_t addr,
		   const char *name)
{
	if (a->nr_sym == *cap) {
		size_t ncap = *cap ? *cap * 2 : 1024;
		struct ch_asm_sym *s = realloc(a->sym, ncap * sizeof(*s));

		if (!s)
			return -1;
		a->sym = s;
		*cap = ncap;
	}
	a->sym[a->nr_sym].addr = addr;
	snprintf(a->sym[a->nr_sym].name, sizeof(a->sym[0].name), "%s", name);
	a->nr_sym++;
	return 0;
}

/* "  4a:\tmov    0x8(%rax),%rdx": parse and classify it, once */
static int add_insn(struct ch_walk_asm *w, int *cap, const char *line,
		    bool cold, bool *after_jump)
{
	char mnem[32] = "", ops[192] = "";
	struct ch_insn *in;
	const char *p = strchr(line, ':');
	size_t n;

	if (!p || !isxdigit((unsigned char)line[strspn(line, " ")]))
		return 0;
	if (w->nr == *cap) {
		int ncap = *cap ? *cap * 2 : 64;

		in = realloc(w->insn, ncap * sizeof(*in));
		if (!in)
			return -1;
		w->insn = in;
		*cap = ncap;
	}
	in = &w->insn[w->nr];
	memset(in, 0, sizeof(*in));
	in->addr = strtoull(line, NULL, 16);
	in->cold = cold;
	for (p++; *p == ' ' || *p == '\t'; p++)
		;
	snprintf(in->text, sizeof(in->text), "%s", p);
	n = strlen(in->text);
	while (n && isspace((unsigned char)in->text[n - 1]))
		in->text[--n] = '\0';
	if (sscanf(p, "%31s %191[^\n]", mnem, ops) < 1)
		return 0;
	ch_insn_normalize(mnem, ops, in->norm, sizeof(in->norm));
	in->cls = ch_insn_classify(mnem, ops);
	if (in->cls & CH_INSN_NOP) {
		/* padding after a jump or return is never executed */
		if (*after_jump)
			in->cls |= CH_INSN_PAD;
	} else {
		*after_jump = in->cls & (CH_INSN_JUMP | CH_INSN_RET);
	}
	w->nr++;
	return 0;
}

static int cmp_sym(const void *x, const void *y)
{
	const struct ch_asm_sym *a = x, *b = y;

	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

/* The next symbol after @addr bounds the function that starts there. */
static uint64_t sym_end(const struct ch_asm *a, uint64_t addr)
{
	size_t i;

	for (i = 0; i < a->nr_sym; i++)
		if (a->sym[i].addr > addr)
			return a->sym[i].addr;
	return addr;
}

void ch_asm_read(struct ch_asm *a, const char *exe)
{
	int cap[CH_NR_WALK_FUNCS] = { 0 };
	char line[512], sym[128];
	bool cold = false, after_jump = false;
	size_t sym_cap = 0;
	int cur = -1, i, status;
	uint64_t addr;
	FILE *f;

	memset(a, 0, sizeof(*a));
	f = objdump(exe);
	if (!f) {
		snprintf(a->why, sizeof(a->why),
			 "cannot run objdump; install binutils");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (parse_header(line, &addr, sym, sizeof(sym))) {
			if (add_sym(a, &sym_cap, addr, sym))
				break;
			cur = walk_func_of(sym, &cold);
			after_jump = false;
			if (cur >= 0 && cold)
				a->fn[cur].cold_start = addr;
			else if (cur >= 0)
				a->fn[cur].start = addr;
			continue;
		}
		if (cur >= 0 &&
		    add_insn(&a->fn[cur], &cap[cur], line, cold, &after_jump))
			break;
	}
	status = pclose(f);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(a->why, sizeof(a->why),
			 "objdump failed (status %d); install binutils, or set CHBENCH_OBJDUMP to an objdump for this binary's architecture",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return;
	}
	qsort(a->sym, a->nr_sym, sizeof(*a->sym), cmp_sym);
	for (i = 0; i < ch_nr_walk_funcs; i++) {
		struct ch_walk_asm *w = &a->fn[i];

		if (!w->nr)
			continue;
		a->valid = true;
		w->end = sym_end(a, w->start);
		if (w->cold_start)
			w->cold_end = sym_end(a, w->cold_start);
	}
	if (!a->valid)
		snprintf(a->why, sizeof(a->why),
			 "no walk functions found in %s's disassembly",
			 exe ? exe : "this program");
}

void ch_asm_free(struct ch_asm *a)
{
	int i;

	for (i = 0; i < CH_NR_WALK_FUNCS; i++)
		free(a->fn[i].insn);
	free(a->sym);
	memset(a, 0, sizeof(*a));
}

void ch_asm_mark(struct ch_asm *a, uint64_t addr, unsigned int cls)
{
	int i, k;

	for (i = 0; i < ch_nr_walk_funcs; i++)
		for (k = 0; k < a->fn[i].nr; k++)
			if (a->fn[i].insn[k].addr == addr)
				a->fn[i].insn[k].cls |= cls;
}

static void count_func(const struct ch_walk_asm *w, struct ch_insn_counts *c)
{
	int k;

	c->valid = w->nr > 0;
	for (k = 0; k < w->nr; k++) {
		unsigned int cls = w->insn[k].cls;

		if (cls & CH_INSN_PAD)
			continue;
		c->insns++;
		c->loads += !!(cls & CH_INSN_LOAD);
		c->cond_branches += !!(cls & CH_INSN_CBR);
		c->cmovs += !!(cls & CH_INSN_CMOV);
	}
}

void ch_asm_count(const struct ch_asm *a, struct ch_disasm *d)
{
	int i;

	memset(d, 0, sizeof(*d));
	if (!a->valid) {
		snprintf(d->why, sizeof(d->why), "%s", a->why);
		return;
	}
	for (i = 0; i < ch_nr_walk_funcs; i++)
		count_func(&a->fn[i], &d->fn[i]);
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
			 "no floor walk function found in the disassembly");
}

void ch_disasm_read(struct ch_disasm *d, const char *exe)
{
	struct ch_asm a;

	ch_asm_read(&a, exe);
	ch_asm_count(&a, d);
	ch_asm_free(&a);
}

static const struct ch_asm_sym *sym_at(const struct ch_asm *a, uint64_t addr)
{
	size_t lo = 0, hi = a->nr_sym;

	/* the last symbol at or below @addr */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (a->sym[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &a->sym[lo - 1] : NULL;
}

const char *ch_asm_symbolize(const struct ch_asm *a, uint64_t addr,
			     char *buf, size_t len)
{
	const struct ch_asm_sym *s = sym_at(a, addr);

	if (!s)
		return NULL;
	if (addr == s->addr)
		snprintf(buf, len, "%s", s->name);
	else
		snprintf(buf, len, "%s+%#" PRIx64, s->name, addr - s->addr);
	return buf;
}

int ch_asm_func_at(const struct ch_asm *a, uint64_t addr)
{
	int i;

	for (i = 0; i < ch_nr_walk_funcs; i++) {
		const struct ch_walk_asm *w = &a->fn[i];

		if (!w->nr)
			continue;
		if ((addr >= w->start && addr < w->end) ||
		    (addr >= w->cold_start && addr < w->cold_end))
			return i;
	}
	return -1;
}

uintptr_t ch_asm_load_bias(const struct ch_asm *a)
{
	int i;

	for (i = 0; i < ch_nr_walk_funcs; i++)
		if (a->fn[i].nr)
			return (uintptr_t)ch_walk_funcs[i].fn -
			       (uintptr_t)a->fn[i].start;
	return 0;
}
