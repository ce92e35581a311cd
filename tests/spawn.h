/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running build/chbench (or $CHBENCH) from a cmocka test: its exit
 * status, stdout and stderr. Include after <cmocka.h>.
 */
#ifndef CH_TESTS_SPAWN_H
#define CH_TESTS_SPAWN_H

#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define CH_SPAWN_MAX_ARGS	32

extern char **environ;

struct ch_run {
	int status;		/* exit status, or 128 + signal */
	char *out;
	char *err;
};

static inline const char *ch_chbench(void)
{
	const char *p = getenv("CHBENCH");

	return p && *p ? p : "build/chbench";
}

static inline char *ch_slurp(FILE *f)
{
	long n;
	char *s;

	fflush(f);
	n = ftell(f);
	assert_true(n >= 0);
	s = malloc(n + 1);
	assert_non_null(s);
	rewind(f);
	assert_int_equal(fread(s, 1, n, f), n);
	s[n] = '\0';
	fclose(f);
	return s;
}

/*
 * Run argv (NULL-terminated; argv[0] NULL means chbench), with @in on its
 * stdin unless NULL (then it shares ours).
 */
static inline struct ch_run ch_spawnv_in(const char **argv, const char *in)
{
	posix_spawn_file_actions_t fa;
	FILE *out = tmpfile(), *err = tmpfile(), *inf = NULL;
	struct ch_run r;
	pid_t pid;
	int st, e;

	assert_non_null(out);
	assert_non_null(err);
	if (!argv[0])
		argv[0] = ch_chbench();
	posix_spawn_file_actions_init(&fa);
	if (in) {
		inf = tmpfile();
		assert_non_null(inf);
		assert_int_equal(fputs(in, inf) < 0, 0);
		assert_int_equal(fflush(inf), 0);
		rewind(inf);
		posix_spawn_file_actions_adddup2(&fa, fileno(inf), 0);
	}
	posix_spawn_file_actions_adddup2(&fa, fileno(out), 1);
	posix_spawn_file_actions_adddup2(&fa, fileno(err), 2);
	e = posix_spawnp(&pid, argv[0], &fa, NULL, (char **)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (inf)
		fclose(inf);
	if (e)
		fail_msg("cannot run %s: %s (set CHBENCH?)", argv[0],
			 strerror(e));
	assert_int_equal(waitpid(pid, &st, 0), pid);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r.out = ch_slurp(out);
	r.err = ch_slurp(err);
	return r;
}

/* Run argv (NULL-terminated; argv[0] NULL means chbench). */
static inline struct ch_run ch_spawnv(const char **argv)
{
	return ch_spawnv_in(argv, NULL);
}

/*
 * Run @prog (NULL: chbench) with @sub if not NULL, then @arg and the rest of
 * @ap up to NULL, then @last if not NULL.
 */
static inline struct ch_run ch_spawn_va(const char *prog, const char *sub,
					const char *last, const char *arg,
					va_list ap)
{
	const char *argv[CH_SPAWN_MAX_ARGS + 4];
	int n = 1;

	argv[0] = prog;
	if (sub)
		argv[n++] = sub;
	for (; arg && n <= CH_SPAWN_MAX_ARGS; arg = va_arg(ap, const char *))
		argv[n++] = arg;
	if (last)
		argv[n++] = last;
	argv[n] = NULL;
	return ch_spawnv(argv);
}

/* Run @prog (NULL: chbench) with the NULL-terminated arguments. */
static inline struct ch_run ch_spawn_prog(const char *prog, const char *arg,
					  ...)
{
	struct ch_run r;
	va_list ap;

	va_start(ap, arg);
	r = ch_spawn_va(prog, NULL, NULL, arg, ap);
	va_end(ap);
	return r;
}

/* Run chbench with the NULL-terminated arguments. */
#define ch_spawn(...)	ch_spawn_prog(NULL, __VA_ARGS__)

static inline void ch_run_free(struct ch_run *r)
{
	free(r->out);
	free(r->err);
}

/* The whole file at @path, NUL-terminated; fails the test if missing. */
static inline char *ch_read_path(const char *path)
{
	FILE *f = fopen(path, "r");

	if (!f)
		fail_msg("%s is missing", path);
	fseek(f, 0, SEEK_END);
	return ch_slurp(f);
}

/* The same, for @name in directory @dir. */
static inline char *ch_read_in(const char *dir, const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return ch_read_path(path);
}

/*
 * The directory a run published: its "results: <dir>" line, on stdout,
 * or on stderr when stdout is the user's --benchmark_format. Free it.
 */
static inline char *ch_results_dir(const struct ch_run *r)
{
	const char *p = strstr(r->out, "results: ");
	char *d;

	if (!p)
		p = strstr(r->err, "results: ");
	if (!p)
		fail_msg("no 'results:' line in:\n%s\n%s", r->out, r->err);
	d = strndup(p + 9, strcspn(p + 9, "\n"));
	assert_non_null(d);
	return d;
}

static inline int ch_count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static inline void ch_expect_in(const char *what, const char *s,
				const char *needle)
{
	if (!strstr(s, needle))
		fail_msg("%s lacks \"%s\":\n%s", what, needle, s);
}

static inline void ch_expect_not_in(const char *what, const char *s,
				    const char *needle)
{
	if (strstr(s, needle))
		fail_msg("%s has \"%s\":\n%s", what, needle, s);
}

/* Each of the @n needles is in @s (@in true), or none is. */
static inline void ch_expect_list(const char *what, const char *s, bool in,
				  const char *const *needles, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (in)
			ch_expect_in(what, s, needles[i]);
		else
			ch_expect_not_in(what, s, needles[i]);
}

#define CH_NEEDLES(...)	(const char *const[]){ __VA_ARGS__ },	\
			sizeof((const char *const[]){ __VA_ARGS__ }) /	\
			sizeof(const char *)

/* Each of the needles after @s is in it. */
#define ch_expect_each_in(what, s, ...)	\
	ch_expect_list(what, s, true, CH_NEEDLES(__VA_ARGS__))

/* None of the needles after @s is in it. */
#define ch_expect_none_in(what, s, ...)	\
	ch_expect_list(what, s, false, CH_NEEDLES(__VA_ARGS__))

/* The run (@what, for the message) exited @status; else its output shows. */
static inline void ch_expect_status(const struct ch_run *r, const char *what,
				    int status)
{
	if (r->status != status)
		fail_msg("%s exited %d, want %d:\n%s%s", what, r->status,
			 status, r->out, r->err);
}

/*
 * Run chbench with the NULL-terminated arguments, which must exit 0 (*@r
 * gets the run): the results directory it wrote, to free.
 */
static inline char *ch_spawn_results(struct ch_run *r, const char *arg, ...)
{
	va_list ap;

	va_start(ap, arg);
	*r = ch_spawn_va(NULL, NULL, NULL, arg, ap);
	va_end(ap);
	ch_expect_status(r, arg, 0);
	return ch_results_dir(r);
}

/* Bad input: exit 2, one line on stderr naming @needle, nothing on stdout. */
static inline void ch_expect_usage_error(struct ch_run *r, const char *what,
					 const char *needle)
{
	if (r->status != 2)
		fail_msg("%s: exited %d, want 2 (stderr: %s)", what, r->status,
			 r->err);
	if (ch_count_lines(r->err) != 1)
		fail_msg("%s: want one line on stderr, got:\n%s", what,
			 r->err);
	ch_expect_in(what, r->err, needle);
	if (*r->out)
		fail_msg("%s: stdout not empty:\n%s", what, r->out);
	ch_run_free(r);
}

/* @s with every run of white space, line breaks too, as one space (free) */
static inline char *ch_flat(const char *s)
{
	char *f = malloc(strlen(s) + 1), *d = f;

	assert_non_null(f);
	for (; *s; s++)
		if (*s != ' ' && *s != '\n')
			*d++ = *s;
		else if (d > f && d[-1] != ' ')
			*d++ = ' ';
	*d = '\0';
	return f;
}

#endif /* CH_TESTS_SPAWN_H */
