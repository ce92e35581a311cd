// SPDX-License-Identifier: GPL-2.0
/*
 * What the machine looked like during a run: the metadata recorded next to
 * every result, and the noise sources worth a warning before timing starts.
 *
 * Every /sys and /proc path is read below $CHBENCH_SYSROOT when it is set,
 * so tests can describe a machine with a directory of small files.
 */
#ifndef CH_SYSINFO_H
#define CH_SYSINFO_H

#include <stddef.h>
#include <stdio.h>

#include "report/json.h"
#include "lib/sysfs.h"

/*
 * Unknown is "unknown" for strings, -1 for the tri-states (1 yes, 0 no).
 * governor is "n/a" without cpufreq; turbo_knob is the file turbo was read
 * from; smt is 1 when an SMT sibling of cpu is online, smt_sibling the first
 * such; hypervisor_name is the x86 cpuid 0x40000000 vendor, or ""; aslr is
 * randomize_va_space, but 0 under setarch -R; cpu is -1 when not pinned.
 */
/* The machine named fully (report/sysinfo_machine.c); -1 unknown. */
struct ch_machine {
	char vendor[32];	/* vendor_id: "GenuineIntel" */
	int family, model, stepping;
	char microcode[24];
	int mhz_base, mhz_max;	/* cpufreq's, of the pinned CPU */
	long mem_mib;		/* MemTotal */
	double load[3];		/* /proc/loadavg when the run started */
	char gbench[24];	/* libbenchmark-dev's version at build */
	char libpfm[24];	/* libpfm4-dev's */
};

struct ch_sysinfo {
	char cpu_model[128];	/* "model name", or arm64 vendor and part */
	char kernel[128];	/* uname -r and -v */
	char host[64];
	char compiler[128];	/* "gcc 12.2.0", "clang 14.0.6" */
	char cflags[256];	/* CH_CFLAGS from the build */
	char git_rev[64];	/* CH_GIT_REV from the build */
	char governor[32];
	int turbo;
	char turbo_knob[96];
	int smt;
	int smt_sibling;
	int hypervisor;
	char hypervisor_name[32];
	int aslr;
	int cpu;
	int perf_event_paranoid;	/* CH_PARANOID_UNKNOWN if unknown */
	struct ch_machine machine;
};

void ch_machine_read(struct ch_machine *m, int cpu);
/* One line naming the machine, for headers and the summary */
void ch_machine_line(const struct ch_machine *m, char *buf, size_t len);
/* One JSON object, new reference, with that line as "line" */
json_t *ch_machine_json(const struct ch_machine *m);


/* 0, or -EINVAL, a message in err: "--cpu 'abc': not a CPU number" */
int ch_parse_cpu(const char *s, int *cpu, char *err, size_t len);

/* 0, or -EINVAL: "--cpu 7: no such online CPU (online: 0-1)"; -errno */
int ch_pin_cpu(int cpu, char *err, size_t len);

/* cpu is the pinned CPU or -1; the per-CPU files of cpu0 are read then */
void ch_sysinfo_read(struct ch_sysinfo *si, int cpu);

/*
 * One "chbench: warning: ..." line per noise source, each naming its fix.
 * Each kind is printed at most once per process. Returns the lines printed.
 */
int ch_sysinfo_warn(const struct ch_sysinfo *si, FILE *out);

/* Forget which warnings were printed (for tests) */
void ch_sysinfo_warn_reset(void);

/* One JSON object, new reference; unknowns are null */
json_t *ch_sysinfo_json(const struct ch_sysinfo *si);

/* The machine in a few "Label   text" lines of at most 76 columns */
void ch_sysinfo_header(const struct ch_sysinfo *si, FILE *out);

/* report/sysinfo_vm.c */
/*
 * What the host gave a guest that tests/kernel/run-guest booted, from the
 * kernel command line's chbench.vm=ACCEL,NCPU,pinned|unpinned,BACKING
 * (e.g. "kvm,4cpu,pinned,hugetlb-2M"); -1 when there is none.
 */
int ch_vm_host(char *buf, size_t len);
/* "qemu TCG: ...", "inside a VM (...)", or NULL on bare metal */
const char *ch_virt_label(void);

#endif /* CH_SYSINFO_H */
