// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/progress.h"
#include "inspect/sim.h"
#include "lib/util.h"

const char *const ch_sim_event_names[CH_SIM_NR_EVENTS] = {
	[CH_SIM_IR] = "Ir",
	[CH_SIM_BC] = "Bc",
	[CH_SIM_BCM] = "Bcm",
	[CH_SIM_D1MR] = "D1mr",
	[CH_SIM_D1MW] = "D1mw",
	[CH_SIM_DLMR] = "DLmr",
	[CH_SIM_DLMW] = "DLmw",
};

#define CH_SIM_MAX_RUN_ARGS	32
/* callgrind has 13 events with cache and branch simulation */
#define CH_SIM_MAX_FILE_EVENTS	64

static bool executable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

int ch_sim_find_valgrind(char *path, size_t plen, char *err, size_t len)
{
	const char *want = getenv("VALGRIND"), *dirs, *end;
	char cand[PATH_MAX];

	if (!want || !*want)
		want = "valgrind";
	if (strchr(want, '/')) {
		if (executable(want) && strlen(want) < plen) {
			strcpy(path, want);
			return 0;
		}
		snprintf(err, len,
			 "valgrind not found at '%s' (from $VALGRIND): install the Debian package valgrind (apt-get install valgrind), or point VALGRIND at it",
			 want);
		return -ENOENT;
	}
	dirs = getenv("PATH");
	if (!dirs || !*dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	for (; ; dirs = end + 1) {
		size_t n;

		end = strchr(dirs, ':');
		n = end ? (size_t)(end - dirs) : strlen(dirs);
		/* an empty PATH element is the current directory */
		snprintf(cand, sizeof(cand), "%.*s%s%s", (int)n, dirs,
			 n ? "/" : "", want);
		if (executable(cand) && strlen(cand) < plen) {
			strcpy(path, cand);
			return 0;
		}
		if (!end)
			break;
	}
	snprintf(err, len,
		 "%s not found in PATH: install the Debian package valgrind (apt-get install valgrind), or point VALGRIND at it",
		 want);
	return -ENOENT;
}

/* Does "fn=(12) name", "cfn=(12) name" or "fn=name" name @sym? */
static bool names_sym(const char *line, const char *sym)
{
	const char *p = strchr(line, '=') + 1;
	size_t n = strlen(sym);

	if (*p == '(') {
		p = strchr(p, ')');
		if (!p)
			return false;
		p++;
		while (*p == ' ')
			p++;
	}
	if (strncmp(p, sym, n))
		return false;
	/* the function itself, or a piece split off it: sym.cold, sym.part.0 */
	p += n;
	return !*p || *p == '\n' || *p == '.';
}

/* Split a space-separated list; returns how many, at most @max. */
static int split(char *s, char **tok, int max)
{
	int n = 0;
	char *save, *t;

	for (t = strtok_r(s, " \t\n", &save); t && n < max;
	     t = strtok_r(NULL, " \t\n", &save))
		tok[n++] = t;
	return n;
}

int ch_sim_parse_callgrind(FILE *f, const char *sym, struct ch_sim_result *r,
			   char *err, size_t len)
{
	char *names[CH_SIM_MAX_FILE_EVENTS], *vals[CH_SIM_MAX_FILE_EVENTS];
	char *line = NULL, *events = NULL, *totals = NULL;
	int nr_names = 0, nr_vals = 0, i, j, ret = -EBADMSG;
	size_t cap = 0;

	memset(r->ev, 0, sizeof(r->ev));
	r->tool[0] = '\0';
	r->sym_seen = false;
	while (getline(&line, &cap, f) > 0) {
		if (!strncmp(line, "creator: ", 9))
			sscanf(line + 9, "%63s", r->tool);
		else if (!strncmp(line, "events:", 7) && !events)
			events = strdup(line + 7);
		/* "totals:" is the sum over the file; older files only summarise */
		else if (!strncmp(line, "totals:", 7)) {
			free(totals);
			totals = strdup(line + 7);
		} else if (!strncmp(line, "summary:", 8) && !totals)
			totals = strdup(line + 8);
		else if ((!strncmp(line, "fn=", 3) || !strncmp(line, "cfn=", 4)) &&
			 names_sym(line, sym))
			r->sym_seen = true;
	}
	free(line);
	if (!events || !totals) {
		snprintf(err, len,
			 "callgrind's output has no %s line: not a callgrind profile, or valgrind stopped early",
			 events ? "totals" : "events");
		goto out;
	}
	nr_names = split(events, names, CH_SIM_MAX_FILE_EVENTS);
	nr_vals = split(totals, vals, CH_SIM_MAX_FILE_EVENTS);
	for (i = 0; i < CH_SIM_NR_EVENTS; i++) {
		for (j = 0; j < nr_names; j++)
			if (!strcmp(names[j], ch_sim_event_names[i]))
				break;
		if (j == nr_names) {
			snprintf(err, len,
				 "callgrind's output lacks the %s event: valgrind ran without --%s-sim=yes",
				 ch_sim_event_names[i],
				 i == CH_SIM_BC || i == CH_SIM_BCM ? "branch" :
								     "cache");
			goto out;
		}
		/* trailing zero counts may be left out */
		r->ev[i] = j < nr_vals ? strtoull(vals[j], NULL, 10) : 0;
	}
	ret = 0;
out:
	free(events);
	free(totals);
	return ret;
}

int ch_sim_parse_run_json(const char *json, struct ch_sim_result *r,
			  char *err, size_t len)
{
	json_t *root = json_loads(json, 0, NULL);
	json_t *ops = json_object_get(root, "ops");
	const char *key = json_string_value(json_object_get(root, "key"));
	const char *wf = json_string_value(json_object_get(root,
							    "walk_function"));
	int ret = -EBADMSG;

	if (!json_is_integer(ops) || json_integer_value(ops) < 0 || !key ||
	    !wf || strlen(wf) >= sizeof(r->walk_function)) {
		snprintf(err, len,
			 "chbench run under valgrind printed no usable JSON (ops, key, walk_function)");
		goto out;
	}
	r->ops = json_integer_value(ops);
	r->key = !strcmp(key, "on");
	strcpy(r->walk_function, wf);
	ret = 0;
out:
	json_decref(root);
	return ret;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *s = NULL;
	size_t n = 0;

	if (!f)
		return NULL;
	if (getdelim(&s, &n, '\0', f) < 0) {
		free(s);
		s = NULL;
	}
	fclose(f);
	return s;
}

/*
 * Why the child failed: run's own error line if it printed one (without
 * its "chbench: " prefix, which ch_usage_error adds again), else the last
 * thing valgrind said, on stderr or in its log.
 */
static void child_error(const char *errf, const char *log, int status,
			char *err, size_t len)
{
	char *s = slurp(errf), *l = slurp(log), *line, *save, *why = NULL;
	const char *what = WIFSIGNALED(status) ?
		"chbench run under valgrind died" : "valgrind failed";

	if ((s && strstr(s, "VG_N_SEGMENTS")) ||
	    (l && strstr(l, "VG_N_SEGMENTS"))) {
		snprintf(err, len,
			 "valgrind ran out of address-space segments (VG_N_SEGMENTS): every aliased vmemmap page is one; use a smaller --mem for sim");
		goto out;
	}
	for (line = s ? strtok_r(s, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "chbench: ", 9) &&
		    strncmp(line, "chbench: warning: ", 18))
			why = line + 9;
	if (why) {
		snprintf(err, len, "%s", why);
		goto out;
	}
	/* valgrind's own lines: "==123== message", "--123:0: aspacem ..." */
	for (line = s ? strtok_r(s, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "chbench: warning: ", 18))
			why = line;
	for (line = !why && l ? strtok_r(l, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *msg = line[0] == '=' ? strstr(line + 2, "== ") : NULL;

		msg = msg ? msg + 3 : line;
		if (*msg)
			why = msg;
	}
	if (WIFSIGNALED(status))
		snprintf(err, len, "%s of signal %d%s%s", what,
			 WTERMSIG(status), why ? ": " : "", why ? why : "");
	else
		snprintf(err, len, "%s (exit status %d)%s%s", what,
			 WEXITSTATUS(status), why ? ": " : "", why ? why : "");
out:
	free(s);
	free(l);
}

/*
 * Valgrind's branch predictor and caches carry state over from everything
 * the program ran before the walk, so that must be the same every time:
 * no address-space randomisation, a fixed environment, no valgrind rc
 * file (no HOME, our own working directory), and run reads no /proc or
 * /sys file (CHBENCH_SYSROOT is an empty directory): parsing a
 * MemAvailable one digit longer changed a few mispredicts in the walk.
 * The memmap's limit checks go with those files; the kernel's ENOMEM
 * still comes back as a one-line error.
 */
static void child(const char *const *argv, const char *dir, const char *out,
		  const char *errf)
{
	static const char *const keep[] = { "LD_LIBRARY_PATH", "VALGRIND_LIB" };
	char root[PATH_MAX + 32], kept[2][PATH_MAX + 32], *envp[4];
	int o = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int e = open(errf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int pers = personality(0xffffffff), n = 0;
	size_t i;

	if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 || chdir(dir))
		_exit(126);
	if (pers != -1)
		personality(pers | ADDR_NO_RANDOMIZE);
	snprintf(root, sizeof(root), "CHBENCH_SYSROOT=%s/root", dir);
	envp[n++] = root;
	/* what the programs need to start at all */
	for (i = 0; i < ARRAY_SIZE(keep); i++)
		if (getenv(keep[i]))
			snprintf(envp[n++] = kept[i], sizeof(kept[i]), "%s=%s",
				 keep[i], getenv(keep[i]));
	envp[n] = NULL;
	execve(argv[0], (char *const *)argv, envp);
	_exit(127);
}

/* The files of one valgrind run, all in a temporary directory of its own. */
struct sim_files {
	char dir[PATH_MAX];
	char root[PATH_MAX + 32];	/* the child's CHBENCH_SYSROOT: empty */
	char prof[PATH_MAX + 32];	/* callgrind's profile */
	char log[PATH_MAX + 32];	/* valgrind's log */
	char out[PATH_MAX + 32];	/* run's stdout: its JSON */
	char errf[PATH_MAX + 32];	/* run's stderr */
};

/* The command line, and the option strings it points into. */
struct sim_argv {
	const char *argv[CH_SIM_MAX_RUN_ARGS + 16];
	char o_prof[PATH_MAX + 64], o_log[PATH_MAX + 64], o_toggle[256];
};

/* This program and valgrind, as absolute paths: @self and @vg hold PATH_MAX. */
static int find_programs(const char *valgrind, char *self, char *vg,
			 char *err, size_t len)
{
	ssize_t sl = readlink("/proc/self/exe", self, PATH_MAX - 1);

	if (sl <= 0) {
		snprintf(err, len, "cannot find this program: readlink /proc/self/exe: %s",
			 strerror(errno));
		return sl < 0 ? -errno : -ENOENT;
	}
	self[sl] = '\0';
	if (!realpath(valgrind, vg)) {
		snprintf(err, len, "cannot run %s: %s", valgrind,
			 strerror(errno));
		return -errno;
	}
	return 0;
}

/* The directory, absolute (the child works in it), and its file names. */
static int make_files(struct sim_files *sf, char *err, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	char tdir[PATH_MAX];

	snprintf(tdir, sizeof(tdir), "%s/chbench-sim.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tdir) || !realpath(tdir, sf->dir)) {
		snprintf(err, len, "cannot make a directory for valgrind's output (%s): %s",
			 tdir, strerror(errno));
		return -errno;
	}
	snprintf(sf->root, sizeof(sf->root), "%s/root", sf->dir);
	if (mkdir(sf->root, 0700)) {
		int e = errno;

		snprintf(err, len, "mkdir %s: %s", sf->root, strerror(e));
		rmdir(sf->dir);
		return -e;
	}
	snprintf(sf->prof, sizeof(sf->prof), "%s/callgrind.out", sf->dir);
	snprintf(sf->log, sizeof(sf->log), "%s/valgrind.log", sf->dir);
	snprintf(sf->out, sizeof(sf->out), "%s/run.json", sf->dir);
	snprintf(sf->errf, sizeof(sf->errf), "%s/run.err", sf->dir);
	return 0;
}

static void remove_files(const struct sim_files *sf)
{
	unlink(sf->prof);
	unlink(sf->log);
	unlink(sf->out);
	unlink(sf->errf);
	rmdir(sf->root);
	rmdir(sf->dir);
}

/*
 * valgrind, counting only inside @sym, running "@self run @run_args
 * --json" (at most CH_SIM_MAX_RUN_ARGS of them).
 */
static void build_argv(struct sim_argv *a, const char *vg, const char *self,
		       const struct sim_files *sf, const char *sym,
		       const char *const *run_args)
{
	int n = 0, i;

	snprintf(a->o_prof, sizeof(a->o_prof), "--callgrind-out-file=%s",
		 sf->prof);
	snprintf(a->o_log, sizeof(a->o_log), "--log-file=%s", sf->log);
	snprintf(a->o_toggle, sizeof(a->o_toggle), "--toggle-collect=%s", sym);

	a->argv[n++] = vg;
	a->argv[n++] = "--tool=callgrind";
	a->argv[n++] = a->o_prof;
	a->argv[n++] = a->o_log;
	a->argv[n++] = "--collect-atstart=no";
	a->argv[n++] = a->o_toggle;
	a->argv[n++] = "--cache-sim=yes";
	a->argv[n++] = "--branch-sim=yes";
	a->argv[n++] = "--I1=" CH_SIM_I1;
	a->argv[n++] = "--D1=" CH_SIM_D1;
	a->argv[n++] = "--LL=" CH_SIM_LL;
	a->argv[n++] = self;
	a->argv[n++] = "run";
	for (i = 0; run_args[i] && i < CH_SIM_MAX_RUN_ARGS; i++)
		a->argv[n++] = run_args[i];
	a->argv[n++] = "--json";
	a->argv[n] = NULL;
}

/* Wait for @pid; with @prog, the progress line ticks while it runs. */
static int wait_child(pid_t pid, int *status, struct ch_progress *prog,
		      const char *sym, char *err, size_t len)
{
	for (;;) {
		const struct timespec tick = { 0, 100 * 1000 * 1000 };
		pid_t w = waitpid(pid, status, prog ? WNOHANG : 0);

		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR) {
			snprintf(err, len, "waitpid: %s", strerror(errno));
			return -errno;
		}
		if (prog) {
			ch_progress_update(prog, 0, "valgrind simulating %s",
					   sym);
			nanosleep(&tick, NULL);
		}
	}
}

/* The child's exit @status, then callgrind's profile and run's JSON. */
static int read_results(const struct sim_files *sf, int status,
			const char *valgrind, const char *self,
			const char *sym, struct ch_sim_result *r, char *err,
			size_t len)
{
	char *json;
	FILE *f;
	int ret;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 127 &&
	    access(sf->log, F_OK)) {
		snprintf(err, len, "cannot run %s: install the Debian package valgrind (apt-get install valgrind)",
			 valgrind);
		return -ENOENT;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		child_error(sf->errf, sf->log, status, err, len);
		return -EIO;
	}
	f = fopen(sf->prof, "re");
	if (!f) {
		snprintf(err, len, "valgrind wrote no profile (%s): %s",
			 sf->prof, strerror(errno));
		return -errno;
	}
	ret = ch_sim_parse_callgrind(f, sym, r, err, len);
	fclose(f);
	if (ret)
		return ret;
	json = slurp(sf->out);
	if (!json) {
		snprintf(err, len, "chbench run under valgrind printed nothing");
		return -EBADMSG;
	}
	ret = ch_sim_parse_run_json(json, r, err, len);
	free(json);
	if (ret)
		return ret;
	if (!r->sym_seen || !r->ev[CH_SIM_IR]) {
		snprintf(err, len,
			 "callgrind counted nothing in %s: is it in %s (nm %s | grep %s)?",
			 sym, self, self, sym);
		return -ENOENT;
	}
	return 0;
}

int ch_sim_run(const char *valgrind, const char *const *run_args,
	       const char *sym, struct ch_sim_result *r, char *err,
	       size_t len, struct ch_progress *prog)
{
	char self[PATH_MAX], vg[PATH_MAX];
	struct sim_files sf;
	struct sim_argv a;
	int status, ret;
	pid_t pid;

	ret = find_programs(valgrind, self, vg, err, len);
	if (ret)
		return ret;
	ret = make_files(&sf, err, len);
	if (ret)
		return ret;
	build_argv(&a, vg, self, &sf, sym, run_args);

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, len, "fork: %s", strerror(errno));
		ret = -errno;
		goto done;
	}
	if (!pid)
		child(a.argv, sf.dir, sf.out, sf.errf);
	ret = wait_child(pid, &status, prog, sym, err, len);
	if (!ret)
		ret = read_results(&sf, status, valgrind, self, sym, r, err,
				   len);
done:
	remove_files(&sf);
	return ret;
}
