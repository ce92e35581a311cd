// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/insn.h"
#include "lib/util.h"
#include "lib/scnprintf.h"

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
	for (i = 0; i < ARRAY_SIZE(a64); i++)
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

unsigned int ch_insn_classify(const char *mnem, const char *ops)
{
	unsigned int cls = 0;

	if (is_nop(mnem, ops))
		return CH_INSN_NOP;
	if (is_load(mnem, ops))
		cls |= CH_INSN_LOAD;
	if (is_cond_branch(mnem))
		cls |= CH_INSN_CBR;
	if (is_cmov(mnem))
		cls |= CH_INSN_CMOV;
	if (!strcmp(mnem, "jmp") || !strcmp(mnem, "b"))
		cls |= CH_INSN_JUMP;
	if (starts(mnem, "ret"))
		cls |= CH_INSN_RET;
	if (starts(mnem, "call") || !strcmp(mnem, "bl"))
		cls |= CH_INSN_CALL;
	return cls;
}

/* Jumps and calls, whose operand is an address that moves with the code. */
static bool has_target(const char *mnem, unsigned int cls)
{
	/* "jmpq", "loop": no class of their own, a target all the same */
	return (cls & (CH_INSN_CBR | CH_INSN_JUMP | CH_INSN_CALL)) ||
	       mnem[0] == 'j' || starts(mnem, "loop");
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

	for (i = 0; i < ARRAY_SIZE(named); i++)
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

void ch_insn_normalize(const char *mnem, const char *ops, char *out,
		       size_t len)
{
	unsigned int cls = ch_insn_classify(mnem, ops);
	char buf[256], *p, *q;
	size_t off, n;

	/* every form of padding NOP is the same for matching */
	if (cls & CH_INSN_NOP) {
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
	if (has_target(mnem, cls)) {
		p = strrchr(buf, ' ');
		p = p ? p + 1 : buf;
		if (all_hex(p, strlen(p)))
			*p = '\0';
		n = strlen(buf);
		while (n && (isspace((unsigned char)buf[n - 1]) ||
			     buf[n - 1] == ','))
			buf[--n] = '\0';
	}

	off = scnprintf(out, len, "%s%s", mnem, buf[0] ? " " : "");
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
