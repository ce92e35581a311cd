// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness/walkasm.h"
#include "harness/walkfn.h"

static bool starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* Jumps and calls, whose operand is an address that moves with the code. */
static bool is_branch(const char *m)
{
	if (m[0] == 'j' || starts(m, "call") || starts(m, "loop"))
		return true;
	return !strcmp(m, "b") || !strcmp(m, "bl") || starts(m, "b.") ||
	       !strcmp(m, "cbz") || !strcmp(m, "cbnz") ||
	       !strcmp(m, "tbz") || !strcmp(m, "tbnz");
}

/*
 * The width of an x86 register: q(uad), d(ouble word), w(ord), b(yte),
 * v(ector). Two loads of different widths are different instructions,
 * whatever registers they use.
 */
static char x86_reg_class(const char *t, size_t n)
{
	if (n >= 3 && (starts(t, "xmm") || starts(t, "ymm") ||
		       starts(t, "zmm")))
		return 'v';
	if (t[0] == 'r' && n >= 2 && isdigit((unsigned char)t[1])) {
		/* r8, r8d, r8w, r8b */
		char last = t[n - 1];

		return last == 'd' ? 'd' : last == 'w' ? 'w' :
		       last == 'b' ? 'b' : 'q';
	}
	if (t[0] == 'r')		/* rax, rsi, rip */
		return 'q';
	if (t[0] == 'e')		/* eax, esi */
		return 'd';
	if (t[n - 1] == 'l' || (n == 2 && t[1] == 'h'))	/* al, sil, ah */
		return 'b';
	return 'w';			/* ax, si */
}

/* arm64: x0..x30, w0..w30, the SIMD views and the named ones; 0 if not. */
static char a64_reg_class(const char *t, size_t n)
{
	static const struct { const char *name; char cls; } named[] = {
		{ "sp", 'x' }, { "xzr", 'x' }, { "lr", 'x' }, { "fp", 'x' },
		{ "wsp", 'w' }, { "wzr", 'w' },
	};
	size_t i;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (n == strlen(named[i].name) && !strncmp(t, named[i].name, n))
			return named[i].cls;
	if (n < 2 || n > 3 || !strchr("xwqdsbhv", t[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!isdigit((unsigned char)t[i]))
			return 0;
	return atoi(t + 1) <= 31 ? t[0] : 0;
}

static bool all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

void ch_asm_normalize(const char *mnem, const char *ops, char *out,
		      size_t len)
{
	char buf[256], *p, *q;
	size_t off, n;

	/* every form of padding NOP is the same for matching */
	if (starts(mnem, "nop") || !strcmp(mnem, "cs") ||
	    !strcmp(mnem, "data16") ||
	    (!strcmp(mnem, "xchg") && starts(ops, "%ax,%ax"))) {
		snprintf(out, len, "nop");
		return;
	}
	snprintf(buf, sizeof(buf), "%s", ops);
	/* comments: x86 "   # 4010 <sym>", arm64 "// b.any" */
	if ((p = strstr(buf, "//")))
		*p = '\0';
	if ((p = strstr(buf, "  #")) || (p = strstr(buf, "\t#")))
		*p = '\0';
	/* symbolic targets: "<ch_walk_index_floor_branch+0x10>" */
	while ((p = strchr(buf, '<')) && (q = strchr(p, '>')))
		memmove(p, q + 1, strlen(q + 1) + 1);
	n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	/* a RIP-relative displacement depends on where the code sits */
	if ((q = strstr(buf, "(%rip)"))) {
		p = q;
		while (p > buf && (isxdigit((unsigned char)p[-1]) ||
				   p[-1] == 'x' || p[-1] == '-'))
			p--;
		memmove(p + 3, q, strlen(q) + 1);
		memcpy(p, "rel", 3);
	}
	/* the target address itself */
	if (is_branch(mnem)) {
		p = strrchr(buf, ' ');
		p = p ? p + 1 : buf;
		if (all_hex(p, strlen(p)))
			*p = '\0';
		n = strlen(buf);
		while (n && (isspace((unsigned char)buf[n - 1]) ||
			     buf[n - 1] == ','))
			buf[--n] = '\0';
	}

	off = snprintf(out, len, "%s%s", mnem, buf[0] ? " " : "");
	for (p = buf; *p && off + 4 < len; ) {
		if (*p == '%' && isalnum((unsigned char)p[1])) {
			/* x86 register: %rax, %r8d, %xmm0 */
			for (q = p + 1; isalnum((unsigned char)*q); q++)
				;
			out[off++] = '%';
			out[off++] = x86_reg_class(p + 1, q - p - 1);
			p = q;
			continue;
		}
		if (isalpha((unsigned char)*p) &&
		    (p == buf || !isalnum((unsigned char)p[-1]))) {
			char cls;

			for (q = p; isalnum((unsigned char)*q); q++)
				;
			cls = a64_reg_class(p, q - p);
			if (cls) {
				out[off++] = cls;
				p = q;
				continue;
			}
			while (p < q && off + 1 < len)
				out[off++] = *p++;
			continue;
		}
		out[off++] = *p++;
	}
	out[off < len ? off : len - 1] = '\0';
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

static int add_insn(struct ch_walk_asm *w, int *cap, const char *line,
		    bool cold, bool *after_jump)
{
	struct ch_insn_counts c = { 0 };
	char mnem[32] = "", ops[192] = "";
	struct ch_insn *in;
	const char *p = strchr(line, ':');
	size_t n;

	/* "  4a:\tmov    0x8(%rax),%rdx" */
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
	ch_asm_normalize(mnem, ops, in->norm, sizeof(in->norm));

	ch_disasm_count_line(line, &c, after_jump);
	if (!c.insns)
		in->cls |= CH_INSN_PAD;
	if (c.loads)
		in->cls |= CH_INSN_LOAD;
	if (c.cond_branches)
		in->cls |= CH_INSN_CBR;
	if (c.cmovs)
		in->cls |= CH_INSN_CMOV;
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
	f = ch_objdump_open(exe);
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
			 "objdump failed (status %d): install binutils, or set CHBENCH_OBJDUMP to an objdump for this binary's architecture",
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
			 "no walk functions in %s's disassembly",
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

static bool same(const struct ch_insn *x, const struct ch_insn *y)
{
	return !((x->cls | y->cls) & CH_INSN_KEY) && !strcmp(x->norm, y->norm);
}

/* A '+' and a '-' of the same instruction: moved, not added. */
static int pair_moved(struct ch_asm_line *out, int n, int *added,
		      int *removed)
{
	int i, j, m = 0;

	for (i = 0; i < n; i++) {
		if (out[i].mark != '+')
			continue;
		for (j = 0; j < n; j++)
			if (out[j].mark == '-' &&
			    same(out[i].insn, out[j].insn))
				break;
		if (j == n)
			continue;
		out[i].mark = ' ';
		out[j].mark = 0;	/* dropped below */
		(*added)--;
		(*removed)--;
	}
	for (i = 0; i < n; i++)
		if (out[i].mark)
			out[m++] = out[i];
	return m;
}

/* Longest common subsequence of the counted instructions (no padding). */
int ch_asm_diff(const struct ch_asm *a, int i, struct ch_asm_line *out,
		int *added, int *removed)
{
	const struct ch_walk_func *w = &ch_walk_funcs[i];
	const struct ch_walk_asm *v = &a->fn[i];
	const struct ch_walk_asm *fl =
		&a->fn[ch_walk_func_find(CH_V_floor, w->shape, w->loop) -
		       ch_walk_funcs];
	int *vi = malloc((v->nr + 1) * sizeof(int));
	int *fi = malloc((fl->nr + 1) * sizeof(int));
	int nv = 0, nf = 0, n = 0, x, y, k, *dp;

	*added = *removed = 0;
	for (k = 0; vi && k < v->nr; k++)
		if (!(v->insn[k].cls & CH_INSN_PAD))
			vi[nv++] = k;
	for (k = 0; fi && k < fl->nr; k++)
		if (!(fl->insn[k].cls & CH_INSN_PAD))
			fi[nf++] = k;
	dp = vi && fi ? calloc((size_t)(nv + 1) * (nf + 1), sizeof(int)) : NULL;
	if (!dp) {
		free(vi);
		free(fi);
		return -1;
	}
#define DP(x, y)	dp[(size_t)(x) * (nf + 1) + (y)]
	/* DP(x, y): LCS of variant[x..] and floor[y..] */
	for (x = nv - 1; x >= 0; x--)
		for (y = nf - 1; y >= 0; y--)
			DP(x, y) = same(&v->insn[vi[x]], &fl->insn[fi[y]]) ?
				   DP(x + 1, y + 1) + 1 :
				   DP(x + 1, y) > DP(x, y + 1) ?
				   DP(x + 1, y) : DP(x, y + 1);

	x = y = 0;
	k = 0;		/* next variant line to emit, padding included */
	while (x < nv || y < nf) {
		bool match = x < nv && y < nf &&
			     same(&v->insn[vi[x]], &fl->insn[fi[y]]) &&
			     DP(x, y) == DP(x + 1, y + 1) + 1;

		if (!match && y < nf &&
		    (x == nv || DP(x, y + 1) >= DP(x + 1, y))) {
			out[n].mark = '-';
			out[n++].insn = &fl->insn[fi[y++]];
			(*removed)++;
			continue;
		}
		for (; k < vi[x]; k++) {
			out[n].mark = '.';
			out[n++].insn = &v->insn[k];
		}
		out[n].mark = match ? ' ' : '+';
		out[n++].insn = &v->insn[k++];
		*added += !match;
		x++;
		y += match;
	}
	for (; k < v->nr; k++) {
		out[n].mark = '.';
		out[n++].insn = &v->insn[k];
	}
#undef DP
	free(dp);
	free(vi);
	free(fi);
	return pair_moved(out, n, added, removed);
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
