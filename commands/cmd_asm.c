// SPDX-License-Identifier: GPL-2.0
/*
 * chbench asm: what the compiler made of each variant inside its walk
 * loop, from this binary's own disassembly, with the variant's
 * instructions marked and counted; and, with --key-sites, the bytes of
 * every hugetlb_optimize_vmemmap_key site with the key off and on.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands/cmds.h"
#include "inspect/disasm.h"
#include "commands/opts.h"
#include "lib/util.h"
#include "inspect/walkasm.h"
#include "vmemmap/walkfn.h"
#include "page/static_key.h"
#include "variants/variants.h"
#include "lib/scnprintf.h"

#if defined(__clang__)
/* __clang_version__ may end in a space */
#define CH_ASM_COMPILER	"clang " __clang_version__
#elif defined(__GNUC__)
#define CH_ASM_COMPILER	"gcc " __VERSION__
#else
#define CH_ASM_COMPILER	"an unknown compiler"
#endif
#ifndef CH_CFLAGS
#define CH_CFLAGS	""
#endif

#define CH_MAX_SITES	64

static const char *compiler(void)
{
	static char buf[128];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", CH_ASM_COMPILER);
	n = strlen(buf);
	while (n && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

static const unsigned char ch_nop5[CH_JUMP_INSN_SIZE] = {
	0x0f, 0x1f, 0x44, 0x00, 0x00
};

/* One site of hugetlb_optimize_vmemmap_key, in both states. */
struct site {
	uintptr_t addr;			/* run time */
	uint64_t link;			/* as objdump shows it */
	unsigned char off[CH_JUMP_INSN_SIZE];
	unsigned char on[CH_JUMP_INSN_SIZE];
};

struct asm_opts {
	int variant;			/* -1: every variant */
	int shape;			/* -1: both */
	int loop;			/* -1: both */
	bool key_sites;
	bool counts;
};

/* Read every site with the key off, then on; leave it off. */
static int read_sites(struct site *s, int max, uintptr_t bias)
{
	int n = ch_static_key_nr_sites(&hugetlb_optimize_vmemmap_key);
	int i;

	if (n > max)
		n = max;
	ch_hvo_key_set(false);
	for (i = 0; i < n; i++) {
		const void *addr = NULL;

		ch_static_key_site_bytes(&hugetlb_optimize_vmemmap_key, i,
					 s[i].off, &addr);
		s[i].addr = (uintptr_t)addr;
		s[i].link = (uint64_t)(s[i].addr - bias);
	}
	ch_hvo_key_set(true);
	for (i = 0; i < n; i++)
		ch_static_key_site_bytes(&hugetlb_optimize_vmemmap_key, i,
					 s[i].on, NULL);
	ch_hvo_key_set(false);
	return n;
}

/* "jmp ch_walk_..._as_compiled+0x40", "nopl 0x0(%rax,%rax,1)" */
static const char *decode(const struct ch_asm *a, const struct site *s,
			  const unsigned char b[CH_JUMP_INSN_SIZE],
			  char *buf, size_t len)
{
	char where[128];
	int32_t rel;

	if (!memcmp(b, ch_nop5, sizeof(ch_nop5)))
		return "nopl 0x0(%rax,%rax,1)";
	if (b[0] != 0xe9)
		return "(neither the 5-byte NOP nor a JMP rel32)";
	memcpy(&rel, b + 1, sizeof(rel));
	if (!ch_asm_symbolize(a, s->link + CH_JUMP_INSN_SIZE + rel, where,
			      sizeof(where)))
		snprintf(where, sizeof(where), "%#" PRIx64,
			 s->link + CH_JUMP_INSN_SIZE + rel);
	snprintf(buf, len, "jmp %s", where);
	return buf;
}

static void print_bytes(const char *label,
			const unsigned char b[CH_JUMP_INSN_SIZE],
			const char *insn)
{
	int i;

	printf("    %-8s", label);
	for (i = 0; i < CH_JUMP_INSN_SIZE; i++)
		printf(" %02x", b[i]);
	printf("   %s\n", insn);
}

static int print_key_sites(const struct ch_asm *a, const struct site *s,
			   int n)
{
	char where[128], buf[160];
	int i, bad = 0;

	printf("hugetlb_optimize_vmemmap_key: %d patch site%s\n  %s\n", n,
	       n == 1 ? "" : "s", ch_static_key_impl());
	if (!n) {
		printf("  none: fake-head tests the key with a load and a branch\n");
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (!ch_asm_symbolize(a, s[i].link, where, sizeof(where)))
			snprintf(where, sizeof(where), "?");
		printf("  %s (%#" PRIxPTR ")\n", where, s[i].addr);
		print_bytes("key off:", s[i].off, decode(a, &s[i], s[i].off,
							 buf, sizeof(buf)));
		print_bytes("key on:", s[i].on, decode(a, &s[i], s[i].on, buf,
						       sizeof(buf)));
		bad += memcmp(s[i].off, ch_nop5, sizeof(ch_nop5)) ||
		       s[i].on[0] != 0xe9;
	}
	if (bad)
		printf("%d site%s hold unexpected bytes\n", bad,
		       bad == 1 ? "" : "s");
	return bad ? 1 : 0;
}

/* The JMP target of a site with the key on, as a link-time address. */
static uint64_t site_target(const struct site *s)
{
	int32_t rel;

	memcpy(&rel, s->on + 1, sizeof(rel));
	return s->link + CH_JUMP_INSN_SIZE + rel;
}

static void describe(const struct ch_insn *in, const struct site *s,
		     int nr_sites, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < nr_sites && (in->cls & CH_INSN_KEY); i++)
		if (s[i].link == in->addr && s[i].on[0] == 0xe9) {
			snprintf(buf, len,
				 "key site: jmp %" PRIx64 " when on",
				 site_target(&s[i]));
			return;
		}
	if (in->cls & CH_INSN_LOAD)
		off += scnprintf(buf + off, len - off, "load");
	if (in->cls & CH_INSN_CBR)
		off += scnprintf(buf + off, len - off, "%scond branch",
				 off ? ", " : "");
	if (in->cls & CH_INSN_CMOV)
		snprintf(buf + off, len - off, "%scmov", off ? ", " : "");
}

/* "jne 16288 <ch_walk_index_fake_head_as_compiled+0x68>" -> "jne 16288 <+0x68>" */
static const char *shorten(const char *text, const char *sym, char *buf,
			   size_t len)
{
	size_t n = strlen(sym);
	const char *p = strchr(text, '<');

	if (!p || strncmp(p + 1, sym, n) ||
	    (p[1 + n] != '+' && p[1 + n] != '>'))
		return text;
	snprintf(buf, len, "%.*s<%s", (int)(p - text), text, p + 1 + n);
	return buf;
}

static void print_func(const struct ch_asm *a, const struct ch_disasm *d,
		       int i, const struct site *s, int nr_sites)
{
	const struct ch_walk_func *w = &ch_walk_funcs[i];
	const struct ch_insn_counts *fn = &d->fn[i], *net = &d->net[i];
	struct ch_asm_line *lines;
	int n, k, fl, added, removed;
	bool cold = false;

	printf("\n%s\n  %s, %s shape, %s loop\n", w->sym,
	       ch_variants[w->variant].name, ch_shape_names[w->shape],
	       ch_loop_names[w->loop]);
	if (!a->fn[i].nr) {
		printf("  not found in the disassembly\n");
		return;
	}
	printf("  function:     %3d insns, %d loads, %d cond branches, %d cmov\n",
	       fn->insns, fn->loads, fn->cond_branches, fn->cmovs);
	if (w->variant != CH_V_floor)
		printf("  variant code: %+3d insns, %+d loads, %+d cond branches, %+d cmov\n",
		       net->insns, net->loads, net->cond_branches,
		       net->cmovs);

	fl = ch_walk_func_find(CH_V_floor, w->shape, w->loop) - ch_walk_funcs;
	lines = calloc(a->fn[i].nr + a->fn[fl].nr + 1, sizeof(*lines));
	n = lines ? ch_asm_diff(a, i, lines, &added, &removed) : -1;
	if (n < 0) {
		printf("  out of memory\n");
		free(lines);
		return;
	}
	for (k = 0; k < n; k++) {
		const struct ch_insn *in = lines[k].insn;
		/* the floor diffed against itself: nothing to mark */
		char mark = w->variant == CH_V_floor ? ' ' : lines[k].mark;
		const char *text;
		char note[96], sbuf[128], *key;

		describe(in, s, nr_sites, note, sizeof(note));
		key = strstr(note, "key site");
		/* only the variant's lines, and key sites, get a note */
		if (mark != '+' && mark != '-' && !key)
			note[0] = '\0';
		if (mark == '-') {
			if (note[0])
				printf("  %8s  - %-36s  # %s\n", "", in->text,
				       note);
			else
				printf("  %8s  - %s\n", "", in->text);
			continue;
		}
		if (in->cold && !cold) {
			printf("  %s.cold:\n", w->sym);
			cold = true;
		}
		text = shorten(in->text, w->sym, sbuf, sizeof(sbuf));
		if (note[0])
			printf("  %8" PRIx64 ": %c %-36s  # %s\n", in->addr,
			       mark, text, note);
		else
			printf("  %8" PRIx64 ": %c %s\n", in->addr, mark,
			       text);
	}
	if (w->variant != CH_V_floor && added - removed != net->insns)
		printf("  (the diff gives %+d, the counts %+d: the LCS matched differently)\n",
		       added - removed, net->insns);
	free(lines);
}

static void print_counts(const struct ch_disasm *d, const struct asm_opts *o)
{
	int i;

	printf("\nVariant code per walk function (function minus the floor's), %s:\n",
	       compiler());
	printf("  %-16s %-12s %-6s %6s %6s %8s %6s\n", "variant", "shape",
	       "loop", "insns", "loads", "cond-br", "cmov");
	for (i = 0; i < ch_nr_walk_funcs; i++) {
		const struct ch_walk_func *w = &ch_walk_funcs[i];
		const struct ch_insn_counts *c = &d->net[i];
		const char *fmt = "  %-16s %-12s %-6s %+6d %+6d %+8d %+6d%s\n";

		if ((o->variant >= 0 && w->variant != o->variant) ||
		    (o->shape >= 0 && w->shape != o->shape) ||
		    (o->loop >= 0 && w->loop != o->loop))
			continue;
		if (w->variant == CH_V_floor) {
			c = &d->fn[i];
			fmt = "  %-16s %-12s %-6s %6d %6d %8d %6d%s\n";
		}
		printf(fmt, ch_variants[w->variant].name,
		       ch_shape_names[w->shape], ch_loop_names[w->loop],
		       c->insns, c->loads, c->cond_branches, c->cmovs,
		       w->variant == CH_V_floor ? "  (whole loop)" : "");
	}
}

const struct ch_cmd_help ch_asm_help = {
	.usage = (const char *const []){
		"asm [--variant NAME] [--shape NAME] [--loop NAME] [--counts]",
		"asm --key-sites",
		NULL,
	},
	.summary = "each variant's code in its walk loop, and the static key's bytes",
};

/* --variant: its index in ch_variants[], or -1 */
static int variant_index(const char *name)
{
	const struct ch_variant *v = ch_variant_find(name);

	return v ? v - ch_variants : -1;
}

static const struct ch_opt_choice variant_choice = {
	.find = variant_index,
	.err = "unknown variant '%s'; valid: %s",
}, shape_choice = {
	.names = ch_shape_names, .nr = CH_NR_SHAPES,
	.err = "unknown shape '%s'; valid: %s",
}, loop_choice = {
	.names = ch_loop_names, .nr = CH_NR_LOOPS,
	.err = "unknown loop '%s'; valid: %s",
};

static int parse(struct asm_opts *o, int argc, char **argv)
{
	const struct ch_option options[] = {
		OPT_CHOICE("variant", "NAME", &o->variant,
			   "that variant's functions only", ch_variant_list,
			   &variant_choice,
			   .def = "all but the floor; in the counts, all"),
		OPT_CHOICE("shape", "NAME", &o->shape, "that code shape only",
			   ch_shape_list, &shape_choice, .def = "both"),
		OPT_CHOICE("loop", "NAME", &o->loop, "that walk loop only",
			   ch_loop_list, &loop_choice, .def = "both"),
		OPT_BOOLEAN("key-sites", &o->key_sites,
			    "only the static key's sites, their bytes off and on"),
		OPT_BOOLEAN("counts", &o->counts,
			    "only the table of counts, no disassembly"),
		OPT_END(),
	};

	memset(o, 0, sizeof(*o));
	o->variant = o->shape = o->loop = -1;
	argc = ch_parse_options(argc, argv, options, NULL, &ch_asm_help);
	if (argc < 0)
		return 2;
	if (argc)
		return ch_usage_error("asm: unexpected argument '%s'",
				      argv[0]);
	/* the key's sites are the key's: no variant, shape or loop picks them */
	if (o->key_sites && (o->variant >= 0 || o->shape >= 0 ||
			     o->loop >= 0 || o->counts))
		return ch_usage_error("asm: --key-sites lists every site of the static key and takes no --variant, --shape, --loop or --counts");
	return 0;
}

int cmd_asm(int argc, char **argv)
{
	struct site sites[CH_MAX_SITES];
	struct asm_opts o;
	struct ch_disasm d;
	struct ch_asm a;
	int i, nr_sites, ret = 0;

	if (parse(&o, argc, argv))
		return 2;

	ch_asm_read(&a, NULL);
	if (!a.valid) {
		fprintf(stderr, "chbench: asm: %s\n", a.why);
		ch_asm_free(&a);
		return 1;
	}
	ch_asm_count(&a, &d);
	nr_sites = read_sites(sites, CH_MAX_SITES, ch_asm_load_bias(&a));
	for (i = 0; i < nr_sites; i++)
		ch_asm_mark(&a, sites[i].link, CH_INSN_KEY);

	if (o.key_sites) {
		ret = print_key_sites(&a, sites, nr_sites);
		ch_asm_free(&a);
		return ret;
	}
	if (o.counts) {
		print_counts(&d, &o);
		ch_asm_free(&a);
		return 0;
	}

	printf("The walk functions of this binary, disassembled by objdump\n"
	       "  compiler:   %s\n"
	       "  flags:      %s\n"
	       "  static key: %s\n"
	       "Each is diffed against the floor's function of the same loop and\n"
	       "shape, with registers and branch targets blanked:\n"
	       "  +  the variant's code: the floor's function lacks it\n"
	       "  -  the floor's code that this function does without\n"
	       "  .  padding after a jump: never executed, not counted\n"
	       "Variant code = the + lines minus the - lines.\n",
	       compiler(), CH_CFLAGS, ch_static_key_impl());
	for (i = 0; i < ch_nr_walk_funcs; i++) {
		const struct ch_walk_func *w = &ch_walk_funcs[i];

		if (o.variant >= 0 ? w->variant != o.variant :
		    w->variant == CH_V_floor)
			continue;
		if ((o.shape >= 0 && w->shape != o.shape) ||
		    (o.loop >= 0 && w->loop != o.loop))
			continue;
		print_func(&a, &d, i, sites, nr_sites);
	}
	print_counts(&d, &o);
	ch_asm_free(&a);
	return ret;
}
