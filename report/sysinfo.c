// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the machine: the metadata recorded next to every result, from
 * uname, cpuid, /proc and /sys, and pinning to a CPU. Every file is
 * optional: whatever cannot be read is recorded as unknown, never guessed.
 * Warnings and JSON from what is read here are in sysinfo_report.c.
 */
#ifndef _GNU_SOURCE		/* the Makefile defines it too */
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/utsname.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "lib/sysfs.h"
#include "report/sysinfo.h"
#include "lib/util.h"

#ifndef CH_CFLAGS
#define CH_CFLAGS "unknown"
#endif
#ifndef CH_GIT_REV
#define CH_GIT_REV "unknown"
#endif

#if defined(__clang__)
#define CH_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define CH_COMPILER "gcc " __VERSION__
#else
#define CH_COMPILER "unknown"
#endif

/* Without an online list, refuse CPU numbers no kernel supports */
#define CH_CPU_LIMIT	65536

static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		n = len - 1;
	memmove(dst, src, n);
	dst[n] = '\0';
	while (n && isspace((unsigned char)dst[n - 1]))
		dst[--n] = '\0';
}

/*
 * The smallest CPU above @after in a kernel cpulist such as "0-3,8,10-11",
 * or -1 when there is none (or the list is malformed).
 */
static int cpulist_next(const char *list, int after)
{
	int best = -1;

	while (*list) {
		char *end;
		long a, b;

		a = strtol(list, &end, 10);
		if (end == list || a < 0)
			return -1;
		b = a;
		if (*end == '-') {
			list = end + 1;
			b = strtol(list, &end, 10);
			if (end == list || b < a)
				return -1;
		}
		if (b > after && b <= INT_MAX) {
			long c = a > after ? a : after + 1;

			if (best < 0 || c < best)
				best = (int)c;
		}
		if (*end == ',')
			end++;
		else if (*end && !isspace((unsigned char)*end))
			return -1;
		list = end;
		while (isspace((unsigned char)*list))
			list++;
	}
	return best;
}

static bool cpulist_has(const char *list, int cpu)
{
	return cpu >= 0 && cpulist_next(list, cpu - 1) == cpu;
}

static const char *online_cpus(char *buf, size_t len)
{
	if (ch_sys_read(buf, len, "/sys/devices/system/cpu/online"))
		copy_str(buf, len, "unknown");
	return buf;
}

int ch_parse_cpu(const char *s, int *cpu, char *err, size_t len)
{
	char online[1024];
	const char *p;
	int v = 0;

	if (!s)
		s = "";
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (v > (INT_MAX - (*p - '0')) / 10)
			break;
		v = v * 10 + (*p - '0');
	}
	if (p == s || *p) {
		snprintf(err, len, "--cpu '%s': not a CPU number (online: %s)",
			 s, online_cpus(online, sizeof(online)));
		return -EINVAL;
	}
	*cpu = v;
	return 0;
}

int ch_pin_cpu(int cpu, char *err, size_t len)
{
	char online[1024];
	cpu_set_t *set;
	size_t size;
	int ret, saved;

	online_cpus(online, sizeof(online));
	if (cpu < 0 || (strcmp(online, "unknown") ?
			!cpulist_has(online, cpu) : cpu >= CH_CPU_LIMIT)) {
		snprintf(err, len, "--cpu %d: no such online CPU (online: %s)",
			 cpu, online);
		return -EINVAL;
	}
	set = CPU_ALLOC(cpu + 1);
	if (!set) {
		snprintf(err, len, "--cpu %d: out of memory", cpu);
		return -ENOMEM;
	}
	size = CPU_ALLOC_SIZE(cpu + 1);
	CPU_ZERO_S(size, set);
	CPU_SET_S(cpu, size, set);
	ret = sched_setaffinity(0, size, set);
	saved = errno;
	CPU_FREE(set);
	if (ret) {
		/* EINVAL here means a cpuset or taskset mask excludes it */
		snprintf(err, len, "--cpu %d: cannot pin to it: %s%s", cpu,
			 strerror(saved), saved == EINVAL ?
			 " (outside this process's cpuset or taskset mask?)" :
			 "");
		return -saved;
	}
	return 0;
}

static const char *arm_part(unsigned int impl, unsigned int part)
{
	static const struct {
		unsigned int impl, part;
		const char *name;
	} parts[] = {
		{ 0x41, 0xd03, "Cortex-A53" },
		{ 0x41, 0xd08, "Cortex-A72" },
		{ 0x41, 0xd0b, "Cortex-A76" },
		{ 0x41, 0xd0c, "Neoverse-N1" },
		{ 0x41, 0xd40, "Neoverse-V1" },
		{ 0x41, 0xd49, "Neoverse-N2" },
		{ 0x41, 0xd4f, "Neoverse-V2" },
		{ 0x41, 0xd8e, "Neoverse-N3" },
		{ 0x61, 0x022, "M1 Icestorm" },
		{ 0x61, 0x023, "M1 Firestorm" },
		{ 0xc0, 0xac3, "AmpereOne" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parts); i++)
		if (parts[i].impl == impl && parts[i].part == part)
			return parts[i].name;
	return NULL;
}

static const char *arm_implementer(unsigned int impl)
{
	switch (impl) {
	case 0x41: return "ARM";
	case 0x42: return "Broadcom";
	case 0x43: return "Cavium";
	case 0x46: return "Fujitsu";
	case 0x48: return "HiSilicon";
	case 0x4e: return "NVIDIA";
	case 0x51: return "Qualcomm";
	case 0x61: return "Apple";
	case 0xc0: return "Ampere";
	default: return NULL;
	}
}

static void arm_model(char *buf, size_t len, const char *impl_s,
		      const char *part_s)
{
	unsigned int impl = (unsigned int)strtoul(impl_s, NULL, 0);
	unsigned int part = (unsigned int)strtoul(part_s, NULL, 0);
	const char *vendor = arm_implementer(impl);
	const char *name = arm_part(impl, part);

	if (vendor && name)
		snprintf(buf, len, "%s %s", vendor, name);
	else if (vendor)
		snprintf(buf, len, "%s part 0x%03x", vendor, part);
	else
		snprintf(buf, len, "implementer 0x%02x part 0x%03x",
			 impl, part);
}

/* Model name and the x86 "hypervisor" flag: 1 set, 0 clear, -1 no flags */
static int read_cpuinfo(struct ch_sysinfo *si)
{
	char impl[32] = "", part[32] = "";
	FILE *f = ch_sys_open("/proc/cpuinfo");
	char *line = NULL;
	size_t cap = 0;
	int hv = -1;

	copy_str(si->cpu_model, sizeof(si->cpu_model), "unknown");
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		char *colon = strchr(line, ':'), *key = line, *val, *k;

		if (!colon)
			continue;
		for (k = colon; k > key && isspace((unsigned char)k[-1]); k--)
			;
		*k = '\0';
		val = colon + 1;
		while (isspace((unsigned char)*val))
			val++;

		if (!strcmp(key, "model name") &&
		    !strcmp(si->cpu_model, "unknown"))
			copy_str(si->cpu_model, sizeof(si->cpu_model), val);
		else if (!strcmp(key, "CPU implementer") && !*impl)
			copy_str(impl, sizeof(impl), val);
		else if (!strcmp(key, "CPU part") && !*part)
			copy_str(part, sizeof(part), val);
		else if (!strcmp(key, "flags") && hv < 0)
			hv = strstr(val, "hypervisor") != NULL;
	}
	free(line);
	fclose(f);
	if (!strcmp(si->cpu_model, "unknown") && *impl && *part)
		arm_model(si->cpu_model, sizeof(si->cpu_model), impl, part);
	return hv;
}

static bool dmi_says_virtual(void)
{
	static const char *const hints[] = {
		"QEMU", "KVM", "VMware", "VirtualBox", "Xen", "Bochs",
		"Parallels", "BHYVE", "Virtual Machine",
		"Google Compute Engine",
	};
	static const char *const files[] = {
		"/sys/class/dmi/id/sys_vendor",
		"/sys/class/dmi/id/product_name",
	};
	char buf[128];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		if (ch_sys_read(buf, sizeof(buf), "%s", files[i]))
			continue;
		for (j = 0; j < ARRAY_SIZE(hints); j++)
			if (strstr(buf, hints[j]))
				return true;
	}
	return false;
}

static void hypervisor_name(char *buf, size_t len)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d, regs[3];
	char name[13];
	size_t i;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
		return;
	__cpuid(0x40000000, a, regs[0], regs[1], regs[2]);
	memcpy(name, regs, 12);
	name[12] = '\0';
	for (i = 0; i < 12 && name[i]; i++)
		if (!isprint((unsigned char)name[i]))
			name[i] = '?';
	copy_str(buf, len, name);
#else
	(void)buf;
	(void)len;
#endif
}

static void read_hypervisor(struct ch_sysinfo *si, int cpuinfo_hv)
{
	char type[32];

	si->hypervisor = cpuinfo_hv;
	if (si->hypervisor != 1 &&
	    ((!ch_sys_read(type, sizeof(type), "/sys/hypervisor/type") &&
	      *type) || dmi_says_virtual()))
		si->hypervisor = 1;
	if (si->hypervisor == 1)
		hypervisor_name(si->hypervisor_name,
				sizeof(si->hypervisor_name));
}

static bool read_turbo_knob(struct ch_sysinfo *si, const char *path,
			    bool inverted)
{
	int v;

	if (ch_sys_read_int(&v, "%s", path))
		return false;
	si->turbo = inverted ? !v : !!v;
	copy_str(si->turbo_knob, sizeof(si->turbo_knob), path);
	return true;
}

/*
 * intel_pstate has a knob of its own. Elsewhere the per-CPU boost file
 * (amd-pstate; any cpufreq driver since 6.6) overrides the global one.
 */
static void read_turbo(struct ch_sysinfo *si, int cpu)
{
	const char *cpus = "/sys/devices/system/cpu";
	char path[96];

	snprintf(path, sizeof(path), "%s/intel_pstate/no_turbo", cpus);
	if (read_turbo_knob(si, path, true))
		return;
	snprintf(path, sizeof(path), "%s/cpu%d/cpufreq/boost", cpus, cpu);
	if (read_turbo_knob(si, path, false))
		return;
	snprintf(path, sizeof(path), "%s/cpufreq/boost", cpus);
	read_turbo_knob(si, path, false);
}

static void read_smt(struct ch_sysinfo *si, int cpu)
{
	char sib[256], online[1024];
	bool have_online;
	int c, active;

	have_online = !ch_sys_read(online, sizeof(online),
				"/sys/devices/system/cpu/online");
	/* A well-formed list always holds the CPU itself */
	if (!ch_sys_read(sib, sizeof(sib), "/sys/devices/system/cpu/cpu%d/%s",
		      cpu, "topology/thread_siblings_list") &&
	    cpulist_has(sib, cpu)) {
		si->smt = 0;
		for (c = cpulist_next(sib, -1); c >= 0;
		     c = cpulist_next(sib, c)) {
			if (c == cpu ||
			    (have_online && !cpulist_has(online, c)))
				continue;
			si->smt = 1;
			si->smt_sibling = c;
			break;
		}
		return;
	}
	if (!ch_sys_read_int(&active, "/sys/devices/system/cpu/smt/active"))
		si->smt = !!active;
}

void ch_sysinfo_read(struct ch_sysinfo *si, int cpu)
{
	int c = cpu >= 0 ? cpu : 0;
	struct utsname u;

	memset(si, 0, sizeof(*si));
	si->cpu = cpu >= 0 ? cpu : -1;
	si->turbo = -1;
	si->smt = -1;
	si->smt_sibling = -1;
	si->aslr = -1;
	si->perf_event_paranoid = CH_PARANOID_UNKNOWN;

	copy_str(si->kernel, sizeof(si->kernel), "unknown");
	copy_str(si->host, sizeof(si->host), "unknown");
	if (!uname(&u)) {
		snprintf(si->kernel, sizeof(si->kernel), "%.64s %.62s",
			 u.release, u.version);
		copy_str(si->host, sizeof(si->host), u.nodename);
	}
	copy_str(si->compiler, sizeof(si->compiler), CH_COMPILER);
	copy_str(si->cflags, sizeof(si->cflags), CH_CFLAGS);
	copy_str(si->git_rev, sizeof(si->git_rev), CH_GIT_REV);

	read_hypervisor(si, read_cpuinfo(si));

	if (ch_sys_read(si->governor, sizeof(si->governor),
		     "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor",
		     c) || !*si->governor)
		copy_str(si->governor, sizeof(si->governor), "n/a");
	read_turbo(si, c);
	read_smt(si, c);

	if (!ch_sys_read_int(&si->aslr, "/proc/sys/kernel/randomize_va_space")) {
		int pers = personality(0xffffffff);

		/* setarch -R turns it off for us whatever the sysctl says */
		if (pers != -1 && (pers & ADDR_NO_RANDOMIZE))
			si->aslr = 0;
	}
	si->perf_event_paranoid = ch_sys_paranoid();
	ch_machine_read(&si->machine, c);
}
