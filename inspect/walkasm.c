// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "inspect/walkasm.h"
#include "vmemmap/walkfn.h"

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
