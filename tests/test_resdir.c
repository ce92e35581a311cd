// SPDX-License-Identifier: GPL-2.0
/*
 * resdir: publishing never overwrites, aborting leaves nothing behind.
 */
#ifndef _GNU_SOURCE		/* the Makefile defines it too */
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/tmpdir.h"

#include "report/resdir.h"

#define DATE	"2026-02-03"
#define HOST	"testhost"

static char top[64];
static char parent[128];
static char want[256];	/* <parent>/DATE-HOST */

static int setup(void **state)
{
	(void)state;
	snprintf(top, sizeof(top), "/tmp/chbench-resdir-XXXXXX");
	if (!mkdtemp(top) || chmod(top, 0755))
		return -1;
	snprintf(parent, sizeof(parent), "%s/results", top);
	snprintf(want, sizeof(want), "%s/" DATE "-" HOST, parent);
	setenv("CHBENCH_DATE", DATE, 1);
	setenv("CHBENCH_HOST", HOST, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	chmod(top, 0755);
	return ch_rm_tree(top);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void assert_file_is(const char *path, const char *text)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, text);
}

static bool exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

/* One full run: begin, write file "data" holding text, commit */
static void run(const char *tag, const char *text, char *final, size_t len)
{
	struct ch_resdir rd;
	char err[512] = "", path[4096];

	assert_int_equal(ch_resdir_begin(&rd, parent, tag, err, sizeof(err)),
			 0);
	ch_resdir_path(&rd, "data", path, sizeof(path));
	write_file(path, text);
	assert_int_equal(ch_resdir_commit(&rd, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	snprintf(final, len, "%s", rd.final);
}

static void commit_publishes_as_date_and_host(void **state)
{
	char final[4096], path[4200];

	(void)state;
	run(NULL, "one", final, sizeof(final));
	assert_string_equal(final, want);
	snprintf(path, sizeof(path), "%s/data", final);
	assert_file_is(path, "one");
	assert_int_equal(entries(parent), 1);
}

static void partial_dir_is_hidden_and_named_after_the_pid(void **state)
{
	struct ch_resdir rd;
	char err[512], expect[256], path[4096];

	(void)state;
	assert_int_equal(ch_resdir_begin(&rd, parent, NULL, err, sizeof(err)),
			 0);
	snprintf(expect, sizeof(expect), "%s/.partial-" DATE "-" HOST "-%ld",
		 parent, (long)getpid());
	assert_string_equal(rd.tmp, expect);
	assert_string_equal(rd.final, want);
	ch_resdir_path(&rd, "x.json", path, sizeof(path));
	assert_true(!strncmp(path, expect, strlen(expect)));
	assert_string_equal(path + strlen(expect), "/x.json");
	assert_false(exists(want));
	ch_resdir_abort(&rd);
}

static void second_commit_gets_suffix_2_and_leaves_the_first_alone(void **state)
{
	char first[4096], second[4096], third[4096], path[4200], expect[300];

	(void)state;
	run(NULL, "first", first, sizeof(first));
	run(NULL, "second", second, sizeof(second));
	run(NULL, "third", third, sizeof(third));
	assert_string_equal(first, want);
	snprintf(expect, sizeof(expect), "%s-2", want);
	assert_string_equal(second, expect);
	snprintf(expect, sizeof(expect), "%s-3", want);
	assert_string_equal(third, expect);

	snprintf(path, sizeof(path), "%s/data", first);
	assert_file_is(path, "first");
	snprintf(path, sizeof(path), "%s/data", second);
	assert_file_is(path, "second");
	assert_int_equal(entries(first), 1);
	assert_int_equal(entries(parent), 3);
}

static void existing_empty_directory_is_not_replaced(void **state)
{
	char final[4096], expect[300];
	struct stat before, after;

	(void)state;
	assert_int_equal(mkdir(parent, 0755), 0);
	assert_int_equal(mkdir(want, 0755), 0);
	assert_int_equal(stat(want, &before), 0);

	run(NULL, "new", final, sizeof(final));
	snprintf(expect, sizeof(expect), "%s-2", want);
	assert_string_equal(final, expect);
	assert_int_equal(stat(want, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(entries(want), 0);
}

static void tag_is_appended_to_the_name(void **state)
{
	char final[4096], expect[300];

	(void)state;
	run("clang", "x", final, sizeof(final));
	snprintf(expect, sizeof(expect), "%s-clang", want);
	assert_string_equal(final, expect);
	run("clang", "y", final, sizeof(final));
	snprintf(expect, sizeof(expect), "%s-clang-2", want);
	assert_string_equal(final, expect);
}

static void slashes_in_host_or_tag_cannot_leave_the_parent(void **state)
{
	char final[4096], expect[300];

	(void)state;
	setenv("CHBENCH_HOST", "../../etc", 1);
	run("a/b", "x", final, sizeof(final));
	snprintf(expect, sizeof(expect), "%s/" DATE "-_._.._etc-a_b", parent);
	assert_string_equal(final, expect);
}

static void abort_removes_the_partial_dir_and_its_files(void **state)
{
	struct ch_resdir rd;
	char err[512], path[4096], tmp[4096];

	(void)state;
	assert_int_equal(ch_resdir_begin(&rd, parent, NULL, err, sizeof(err)),
			 0);
	snprintf(tmp, sizeof(tmp), "%s", rd.tmp);
	ch_resdir_path(&rd, "a.json", path, sizeof(path));
	write_file(path, "{}");
	ch_resdir_path(&rd, "plots", path, sizeof(path));
	assert_int_equal(mkdir(path, 0755), 0);
	ch_resdir_path(&rd, "plots/b.svg", path, sizeof(path));
	write_file(path, "<svg/>");

	ch_resdir_abort(&rd);
	assert_false(exists(tmp));
	assert_false(exists(want));
	assert_int_equal(entries(parent), 0);
	assert_string_equal(rd.tmp, "");
	ch_resdir_abort(&rd);
}

static void abort_after_commit_keeps_the_published_results(void **state)
{
	struct ch_resdir rd;
	char err[512], path[4096];

	(void)state;
	assert_int_equal(ch_resdir_begin(&rd, parent, NULL, err, sizeof(err)),
			 0);
	ch_resdir_path(&rd, "data", path, sizeof(path));
	write_file(path, "kept");
	assert_int_equal(ch_resdir_commit(&rd, err, sizeof(err)), 0);
	ch_resdir_abort(&rd);
	snprintf(path, sizeof(path), "%s/data", want);
	assert_file_is(path, "kept");
}

static void two_open_runs_in_one_process_get_two_partial_dirs(void **state)
{
	struct ch_resdir a, b;
	char err[512], expect[300];

	(void)state;
	assert_int_equal(ch_resdir_begin(&a, parent, NULL, err, sizeof(err)),
			 0);
	assert_int_equal(ch_resdir_begin(&b, parent, NULL, err, sizeof(err)),
			 0);
	assert_string_not_equal(a.tmp, b.tmp);
	assert_int_equal(ch_resdir_commit(&b, err, sizeof(err)), 0);
	assert_int_equal(ch_resdir_commit(&a, err, sizeof(err)), 0);
	assert_string_equal(b.final, want);
	snprintf(expect, sizeof(expect), "%s-2", want);
	assert_string_equal(a.final, expect);
}

static void missing_parents_are_created(void **state)
{
	struct ch_resdir rd;
	char err[512], deep[256];

	(void)state;
	snprintf(deep, sizeof(deep), "%s/a/b/c/", top);
	assert_int_equal(ch_resdir_begin(&rd, deep, NULL, err, sizeof(err)),
			 0);
	assert_int_equal(ch_resdir_commit(&rd, err, sizeof(err)), 0);
	snprintf(deep, sizeof(deep), "%s/a/b/c/" DATE "-" HOST, top);
	assert_string_equal(rd.final, deep);
	assert_true(exists(deep));
}

/*
 * ch_resdir_begin() as an unprivileged user (root ignores modes), with the
 * message passed back through a pipe.
 */
static int begin_unprivileged(const char *dir, char *err, size_t len)
{
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct ch_resdir rd;
		char msg[512] = "";
		int rc;

		close(fds[0]);
		if (!geteuid() && (setgroups(0, NULL) || setgid(65534) ||
				   setuid(65534)))
			_exit(99);
		rc = ch_resdir_begin(&rd, dir, NULL, msg, sizeof(msg));
		if (write(fds[1], msg, strlen(msg)) < 0)
			_exit(98);
		_exit(-rc);
	}
	close(fds[1]);
	n = read(fds[0], err, len - 1);
	err[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void unwritable_parent_gives_eacces_and_a_one_line_message(void **state)
{
	char err[512], ro[256], sub[300], expect[400];

	(void)state;
	snprintf(ro, sizeof(ro), "%s/ro", top);
	assert_int_equal(mkdir(ro, 0555), 0);
	assert_int_equal(chmod(ro, 0555), 0);
	snprintf(sub, sizeof(sub), "%s/results", ro);

	assert_int_equal(begin_unprivileged(sub, err, sizeof(err)), EACCES);
	snprintf(expect, sizeof(expect),
		 "cannot create results directory '%s': Permission denied",
		 sub);
	assert_string_equal(err, expect);

	assert_int_equal(begin_unprivileged(ro, err, sizeof(err)), EACCES);
	snprintf(expect, sizeof(expect),
		 "cannot create results directory '%s': Permission denied",
		 ro);
	assert_string_equal(err, expect);
	assert_int_equal(entries(ro), 0);
}

static void parent_under_a_file_gives_enotdir_and_says_so(void **state)
{
	struct ch_resdir rd;
	char err[512], file[256], sub[300], expect[400];

	(void)state;
	snprintf(file, sizeof(file), "%s/file", top);
	write_file(file, "x");
	snprintf(sub, sizeof(sub), "%s/results", file);
	assert_int_equal(ch_resdir_begin(&rd, sub, NULL, err, sizeof(err)),
			 -ENOTDIR);
	snprintf(expect, sizeof(expect),
		 "cannot create results directory '%s': Not a directory", sub);
	assert_string_equal(err, expect);

	assert_int_equal(ch_resdir_begin(&rd, file, NULL, err, sizeof(err)),
			 -ENOTDIR);
	assert_null(strchr(err, '\n'));
}

static void too_long_parent_gives_enametoolong_creating_nothing(void **state)
{
	struct ch_resdir rd;
	char deep[4000], err[4096 + 64];
	size_t n;

	(void)state;
	/* Components of 100 bytes: each one is a valid name */
	n = (size_t)snprintf(deep, sizeof(deep), "%s", top);
	while (n + 101 < sizeof(deep)) {
		deep[n++] = '/';
		memset(deep + n, 'a', 100);
		n += 100;
	}
	deep[n] = '\0';
	assert_int_equal(ch_resdir_begin(&rd, deep, NULL, err, sizeof(err)),
			 -ENAMETOOLONG);
	assert_true(!strncmp(err, "results directory path too long: '", 34));
	assert_null(strchr(err, '\n'));
	assert_int_equal(entries(top), 0);
}

static void commit_without_begin_fails_cleanly(void **state)
{
	struct ch_resdir rd = { .final = "", .tmp = "" };
	char err[512];

	(void)state;
	assert_int_equal(ch_resdir_commit(&rd, err, sizeof(err)), -ENOENT);
	assert_null(strchr(err, '\n'));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(commit_publishes_as_date_and_host),
		T(partial_dir_is_hidden_and_named_after_the_pid),
		T(second_commit_gets_suffix_2_and_leaves_the_first_alone),
		T(existing_empty_directory_is_not_replaced),
		T(tag_is_appended_to_the_name),
		T(slashes_in_host_or_tag_cannot_leave_the_parent),
		T(abort_removes_the_partial_dir_and_its_files),
		T(abort_after_commit_keeps_the_published_results),
		T(two_open_runs_in_one_process_get_two_partial_dirs),
		T(missing_parents_are_created),
		T(unwritable_parent_gives_eacces_and_a_one_line_message),
		T(parent_under_a_file_gives_enotdir_and_says_so),
		T(too_long_parent_gives_enametoolong_creating_nothing),
		T(commit_without_begin_fails_cleanly),
	};

	return cmocka_run_group_tests_name("resdir", tests, NULL, NULL);
}
