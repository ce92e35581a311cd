// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench/loadmon.h"
#include "lib/sysfs.h"
#include "lib/scnprintf.h"

/* user nice system idle iowait irq softirq steal guest guest_nice */
#define CH_STAT_FIELDS	10

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double own_cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* A "cpu" or "cpuN" line of /proc/stat: its name, busy and steal ticks. */
static bool stat_cpu_line(const char *line, char *name, long long *busy,
			  long long *steal)
{
	unsigned long long v[CH_STAT_FIELDS] = { 0 };
	int n;

	n = sscanf(line,
		   "%15s %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		   name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
		   &v[7], &v[8], &v[9]);
	if (n < 5)
		return false;
	/* guest time is in user and nice already; idle, iowait: not busy */
	*busy = (long long)(v[0] + v[1] + v[2] + v[5] + v[6]);
	*steal = (long long)v[7];
	return true;
}

/* /proc/stat: procs_running, and @cpu's line (or, for -1, all CPUs'). */
static void read_stat(struct ch_load_sample *s, int cpu)
{
	FILE *f = ch_sys_open("/proc/stat");
	char line[512], name[16];
	bool start = true;
	long long busy, steal;
	int id;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		/* only whole lines: "intr" runs past any buffer */
		bool at = start;

		start = strchr(line, '\n') != NULL;
		if (!at)
			continue;
		if (!strncmp(line, "procs_running ", 14)) {
			s->running = atoi(line + 14);
			continue;
		}
		if (strncmp(line, "cpu", 3) ||
		    !stat_cpu_line(line, name, &busy, &steal))
			continue;
		/* "cpu": all of them, id -1; "cpuN": CPU N */
		id = -1;
		if (strcmp(name, "cpu") && sscanf(name + 3, "%d", &id) != 1)
			continue;
		if (cpu < 0 && id >= 0) {
			s->ncpus++;
		} else if (id == cpu) {
			s->busy = busy;
			s->steal = steal;
		}
	}
	fclose(f);
	if (cpu >= 0 && s->busy >= 0)
		s->ncpus = 1;
}

void ch_load_sample(struct ch_load_sample *s, int cpu)
{
	char buf[128];

	memset(s, 0, sizeof(*s));
	s->loadavg = -1;
	s->running = -1;
	s->busy = s->steal = -1;
	if (!ch_sys_read(buf, sizeof(buf), "/proc/loadavg"))
		s->loadavg = strtod(buf, NULL);
	read_stat(s, cpu);
	/* last, so that the reads above are not counted as the round's */
	s->own = own_cpu_s();
	s->wall = now_s();
}

void ch_loadmon_init(struct ch_loadmon *lm, int cpu)
{
	memset(lm, 0, sizeof(*lm));
	lm->cpu = cpu;
	lm->hz = sysconf(_SC_CLK_TCK);
	if (lm->hz <= 0)
		lm->hz = 100;
}

void ch_loadmon_before(struct ch_loadmon *lm, int k)
{
	if (k < 0 || k >= CH_MAX_INSTANCES)
		return;
	ch_load_sample(&lm->round[k].before, lm->cpu);
}

void ch_loadmon_after(struct ch_loadmon *lm, int k)
{
	if (k < 0 || k >= CH_MAX_INSTANCES)
		return;
	ch_load_sample(&lm->round[k].after, lm->cpu);
	ch_load_judge(&lm->round[k], lm->cpu, lm->hz);
	if (k + 1 > lm->nr)
		lm->nr = k + 1;
}

/* What flagged the round, in r->why. */
static void load_why(struct ch_load_round *r, int cpu, int ncpus)
{
	char where[32];
	size_t n = 0;

	if (cpu >= 0)
		snprintf(where, sizeof(where), "CPU %d", cpu);
	else
		snprintf(where, sizeof(where), "the %d CPUs", ncpus);
	r->why[0] = '\0';
	if (r->foreign > CH_LOAD_FOREIGN_MAX)
		n += scnprintf(r->why, sizeof(r->why),
			       "other tasks kept %s busy %.0f%% of the round (limit %.0f%%)",
			       where, 100 * r->foreign,
			       100 * CH_LOAD_FOREIGN_MAX);
	if (r->steal > CH_LOAD_STEAL_MAX && n < sizeof(r->why))
		snprintf(r->why + n, sizeof(r->why) - n,
			 "%sthe hypervisor stole %.0f%% of %s's time (limit %.0f%%)",
			 n ? "; " : "", 100 * r->steal, where,
			 100 * CH_LOAD_STEAL_MAX);
	r->flagged = r->why[0] != '\0';
}

void ch_load_judge(struct ch_load_round *r, int cpu, long hz)
{
	const struct ch_load_sample *a = &r->before, *b = &r->after;
	double cap, slack;

	r->wall = b->wall - a->wall;
	r->own = b->own - a->own;
	r->foreign = r->steal = -1;
	r->flagged = false;
	r->why[0] = '\0';
	if (a->busy < 0 || b->busy < 0 || a->ncpus != b->ncpus ||
	    b->ncpus < 1 || r->wall <= 0 || hz <= 0)
		return;
	cap = b->ncpus * r->wall;
	slack = (double)CH_LOAD_TICK_SLACK * b->ncpus / hz;
	r->foreign = fmax(0, (double)(b->busy - a->busy) / hz - r->own -
			     slack) / cap;
	r->steal = fmax(0, (double)(b->steal - a->steal) / hz - slack) / cap;
	load_why(r, cpu, b->ncpus);
}

int ch_loadmon_warn(const struct ch_loadmon *lm, FILE *out)
{
	char avg[64];
	int k, n = 0;

	for (k = 0; k < lm->nr; k++) {
		const struct ch_load_round *r = &lm->round[k];

		if (!r->flagged)
			continue;
		n++;
		avg[0] = '\0';
		if (r->after.loadavg >= 0)
			snprintf(avg, sizeof(avg),
				 "; load average %.2f after it",
				 r->after.loadavg);
		fprintf(out, "chbench: warning: instance %d of %d ran under foreign load: %s%s; its timings are suspect (metadata.json: load)\n",
			k + 1, lm->nr, r->why, avg);
	}
	return n;
}

/* @v as a JSON real, null when unknown (< 0) */
static json_t *known(double v, const char *fmt)
{
	return v < 0 ? json_null() : ch_json_real(v, fmt);
}

static json_t *round_json(const struct ch_load_round *r, int k)
{
	return json_pack(
			"{s:i, s:o, s:o, s:o, s:o, s:[o, o], s:[o, o], "
			"s:b, s:o}",
		"instance", k,
		"wall_s", ch_json_real(r->wall, "%.3f"),
		"own_cpu_s", ch_json_real(r->own, "%.3f"),
		"foreign", known(r->foreign, "%.4f"),
		"steal", known(r->steal, "%.4f"),
		"loadavg", known(r->before.loadavg, "%.2f"),
			   known(r->after.loadavg, "%.2f"),
		"procs_running",
			r->before.running < 0 ? json_null() :
				json_integer(r->before.running),
			r->after.running < 0 ? json_null() :
				json_integer(r->after.running),
		"flagged", r->flagged,
		"why", r->flagged ? ch_json_string(r->why) : json_null());
}

json_t *ch_loadmon_json(const struct ch_loadmon *lm)
{
	json_t *rounds = json_array(), *flagged = json_array();
	bool unknown = false;
	int k;

	for (k = 0; k < lm->nr; k++) {
		json_array_append_new(rounds, round_json(&lm->round[k], k));
		if (lm->round[k].flagged)
			json_array_append_new(flagged, json_integer(k));
		unknown |= lm->round[k].foreign < 0;
	}
	return json_pack("{s:o, s:o, s:o, s:b, s:o, s:o, s:o}",
		"cpu", lm->cpu >= 0 ? json_integer(lm->cpu) : json_null(),
		"foreign_max", ch_json_real(CH_LOAD_FOREIGN_MAX, "%.2f"),
		"steal_max", ch_json_real(CH_LOAD_STEAL_MAX, "%.2f"),
		"flagged", json_array_size(flagged) > 0,
		"flagged_instances", flagged,
		"note", unknown ? ch_json_string(
			"/proc/stat could not be read for some instance: its load is unknown (foreign null)") :
			json_null(),
		"instances", rounds);
}
