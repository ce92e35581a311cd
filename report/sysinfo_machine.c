// SPDX-License-Identifier: GPL-2.0
/*
 * The machine, named fully enough for a reviewer to look it up: the CPU's
 * vendor, family/model/stepping and microcode, its base and maximum
 * clock, the RAM, the load when the run started, and the versions of the
 * libraries that do the measuring (the Debian packages built against). All of it read below $CHBENCH_SYSROOT
 * (lib/sysfs.c), so tests can describe a machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sysfs.h"
#include "report/sysinfo.h"

#ifndef CH_GBENCH_VERSION
#define CH_GBENCH_VERSION	"unknown"
#endif
#ifndef CH_LIBPFM_VERSION
#define CH_LIBPFM_VERSION	"unknown"
#endif

static void set_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}

/* "key : value" of the first processor block's line @key, into @val. */
static void cpuinfo_fields(struct ch_machine *m)
{
	FILE *f = ch_sys_open("/proc/cpuinfo");
	char *line = NULL, *colon, *val;
	size_t cap = 0, k;

	if (!f)
		return;
	while (getline(&line, &cap, f) > 0 && line[0] != '\n') {
		colon = strchr(line, ':');
		if (!colon)
			continue;
		val = colon + 1 + strspn(colon + 1, " \t");
		val[strcspn(val, "\n")] = '\0';
		for (k = colon - line; k && (line[k - 1] == ' ' ||
					     line[k - 1] == '\t'); k--)
			;
		line[k] = '\0';
		if (!strcmp(line, "vendor_id"))
			set_str(m->vendor, sizeof(m->vendor), val);
		else if (!strcmp(line, "cpu family"))
			m->family = atoi(val);
		else if (!strcmp(line, "model"))
			m->model = atoi(val);
		else if (!strcmp(line, "stepping"))
			m->stepping = atoi(val);
		else if (!strcmp(line, "microcode"))
			set_str(m->microcode, sizeof(m->microcode), val);
	}
	free(line);
	fclose(f);
}

/* A cpufreq file of @cpu in kHz, as MHz; -1 when there is none. */
static int cpufreq_mhz(int cpu, const char *file)
{
	int khz;

	if (ch_sys_read_int(&khz, "/sys/devices/system/cpu/cpu%d/cpufreq/%s",
			    cpu, file) || khz <= 0)
		return -1;
	return khz / 1000;
}

void ch_machine_read(struct ch_machine *m, int cpu)
{
	char load[64];
	long kib;

	memset(m, 0, sizeof(*m));
	set_str(m->vendor, sizeof(m->vendor), "unknown");
	set_str(m->microcode, sizeof(m->microcode), "unknown");
	m->family = m->model = m->stepping = -1;
	cpuinfo_fields(m);
	/* base: intel_pstate's, else the nominal of amd-pstate */
	m->mhz_base = cpufreq_mhz(cpu, "base_frequency");
	if (m->mhz_base < 0)
		m->mhz_base = cpufreq_mhz(cpu, "amd_pstate_nominal_freq");
	m->mhz_max = cpufreq_mhz(cpu, "cpuinfo_max_freq");
	kib = ch_sys_read_long("/proc/meminfo", "MemTotal:");
	m->mem_mib = kib > 0 ? kib / 1024 : -1;
	if (ch_sys_read(load, sizeof(load), "/proc/loadavg") ||
	    sscanf(load, "%lf %lf %lf", &m->load[0], &m->load[1],
		   &m->load[2]) != 3)
		m->load[0] = -1;
	set_str(m->gbench, sizeof(m->gbench), CH_GBENCH_VERSION);
	set_str(m->libpfm, sizeof(m->libpfm), CH_LIBPFM_VERSION);
}

/*
 * One line: "GenuineIntel family 6 model 85 stepping 7, microcode
 * 0x5003604, 2100-3900 MHz; RAM 96 GiB; load 0.12 0.30 0.25 at start;
 * Google Benchmark 1.7.1, libpfm 4.13". Unknowns are left out or n/a.
 */
void ch_machine_line(const struct ch_machine *m, char *buf, size_t len)
{
	char cpu[128] = "", mhz[48] = "clock n/a", mem[32] = "n/a";
	char load[48] = "n/a";

	if (m->family >= 0)
		snprintf(cpu, sizeof(cpu), "%s family %d model %d stepping %d, microcode %s",
			 m->vendor, m->family, m->model, m->stepping,
			 m->microcode);
	else
		snprintf(cpu, sizeof(cpu), "%s", m->vendor);
	if (m->mhz_base > 0 && m->mhz_max > 0)
		snprintf(mhz, sizeof(mhz), "%d-%d MHz", m->mhz_base,
			 m->mhz_max);
	else if (m->mhz_max > 0)
		snprintf(mhz, sizeof(mhz), "up to %d MHz", m->mhz_max);
	if (m->mem_mib > 0)
		snprintf(mem, sizeof(mem), "%.1f GiB", m->mem_mib / 1024.0);
	if (m->load[0] >= 0)
		snprintf(load, sizeof(load), "%.2f %.2f %.2f", m->load[0],
			 m->load[1], m->load[2]);
	snprintf(buf, len, "%s, %s; RAM %s; load %s at start; Google Benchmark %s, libpfm %s",
		 cpu, mhz, mem, load, m->gbench, m->libpfm);
}

json_t *ch_machine_json(const struct ch_machine *m)
{
	char line[384];

	ch_machine_line(m, line, sizeof(line));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:s}",
		"vendor", ch_json_string(m->vendor),
		"family", m->family >= 0 ? json_integer(m->family) : json_null(),
		"model", m->family >= 0 ? json_integer(m->model) : json_null(),
		"stepping", m->family >= 0 ? json_integer(m->stepping) :
			json_null(),
		"microcode", ch_json_string(m->microcode),
		"mhz_base", m->mhz_base > 0 ? json_integer(m->mhz_base) :
			json_null(),
		"mhz_max", m->mhz_max > 0 ? json_integer(m->mhz_max) :
			json_null(),
		"mem_mib", m->mem_mib > 0 ? json_integer(m->mem_mib) :
			json_null(),
		"loadavg_start", m->load[0] >= 0 ?
			json_pack("[f, f, f]", m->load[0], m->load[1],
				  m->load[2]) : json_null(),
		"gbench_version", m->gbench,
		"libpfm_version", m->libpfm,
		"line", line);
}
