// SPDX-License-Identifier: GPL-2.0
/*
 * sysinfo against fake /sys and /proc trees built under $CHBENCH_SYSROOT.
 */
#ifndef _GNU_SOURCE		/* the Makefile defines it too */
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/tmpdir.h"

#include "report/sysinfo.h"
#include "lib/util.h"

static char root[64];

static void put(const char *path, const char *content)
{
	char full[512], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	for (slash = strchr(full + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(full, 0755) && errno != EEXIST)
			fail_msg("mkdir %s: %s", full, strerror(errno));
		*slash = '/';
	}
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/chbench-sysroot-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	setenv("CHBENCH_SYSROOT", root, 1);
	ch_sysinfo_warn_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unsetenv("CHBENCH_SYSROOT");
	return ch_rm_tree(root);
}

/* The warnings for si, as one string; *n is what ch_sysinfo_warn returned */
static char *warnings(const struct ch_sysinfo *si, int *n)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	*n = ch_sysinfo_warn(si, f);
	fclose(f);
	return buf;
}

static char *json(const struct ch_sysinfo *si)
{
	json_t *o = ch_sysinfo_json(si);
	char *s = json_dumps(o, CH_JSON_FLAGS);

	assert_non_null(s);
	json_decref(o);
	return s;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void noisy_machine(void)
{
	put("/proc/cpuinfo",
	    "processor\t: 0\nmodel name\t: Fake CPU @ 3.00GHz\n"
	    "flags\t\t: fpu tsc hypervisor lm\n\n"
	    "processor\t: 1\nmodel name\t: Fake CPU @ 3.00GHz\n"
	    "flags\t\t: fpu tsc hypervisor lm\n");
	put("/sys/devices/system/cpu/online", "0-3\n");
	put("/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor",
	    "powersave\n");
	put("/sys/devices/system/cpu/intel_pstate/no_turbo", "0\n");
	put("/sys/devices/system/cpu/cpu1/topology/thread_siblings_list",
	    "1,3\n");
	put("/proc/sys/kernel/randomize_va_space", "2\n");
	put("/proc/sys/kernel/perf_event_paranoid", "2\n");
}

static bool aslr_off_for_us(void)
{
	int pers = personality(0xffffffff);

	return pers != -1 && (pers & ADDR_NO_RANDOMIZE);
}

static void performance_governor_gives_no_warning(void **state)
{
	struct ch_sysinfo si;
	char *w;
	int n;

	(void)state;
	put("/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor",
	    "performance\n");
	ch_sysinfo_read(&si, 1);
	assert_string_equal(si.governor, "performance");
	w = warnings(&si, &n);
	assert_int_equal(n, 0);
	assert_string_equal(w, "");
	free(w);
}

static void powersave_governor_gives_one_warning_naming_the_fix(void **state)
{
	struct ch_sysinfo si;
	char *w;
	int n;

	(void)state;
	put("/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor",
	    "powersave\n");
	ch_sysinfo_read(&si, 1);
	assert_string_equal(si.governor, "powersave");
	w = warnings(&si, &n);
	assert_int_equal(n, 1);
	assert_int_equal(count_lines(w), 1);
	assert_string_equal(w, "chbench: warning: cpufreq governor of cpu1 is 'powersave', not 'performance': sudo cpupower frequency-set -g performance\n");
	free(w);
}

static void unpinned_run_reads_the_governor_of_cpu0(void **state)
{
	struct ch_sysinfo si;

	(void)state;
	put("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor",
	    "schedutil\n");
	ch_sysinfo_read(&si, -1);
	assert_int_equal(si.cpu, -1);
	assert_string_equal(si.governor, "schedutil");
}

static void intel_no_turbo_0_means_turbo_on_and_names_the_knob(void **state)
{
	struct ch_sysinfo si;
	char *w;
	int n;

	(void)state;
	put("/sys/devices/system/cpu/intel_pstate/no_turbo", "0\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.turbo, 1);
	w = warnings(&si, &n);
	assert_int_equal(n, 1);
	assert_non_null(strstr(w, "echo 1 | sudo tee /sys/devices/system/cpu/intel_pstate/no_turbo\n"));
	free(w);
}

static void intel_no_turbo_1_means_turbo_off(void **state)
{
	struct ch_sysinfo si;

	(void)state;
	put("/sys/devices/system/cpu/intel_pstate/no_turbo", "1\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.turbo, 0);
}

static void cpufreq_boost_1_means_turbo_on(void **state)
{
	struct ch_sysinfo si;
	char *w;
	int n;

	(void)state;
	put("/sys/devices/system/cpu/cpufreq/boost", "1\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.turbo, 1);
	w = warnings(&si, &n);
	assert_int_equal(n, 1);
	assert_non_null(strstr(w, "echo 0 | sudo tee /sys/devices/system/cpu/cpufreq/boost\n"));
	free(w);

	put("/sys/devices/system/cpu/cpufreq/boost", "0\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.turbo, 0);
}

static void per_cpu_boost_of_amd_pstate_wins_over_the_global_one(void **state)
{
	struct ch_sysinfo si;

	(void)state;
	put("/sys/devices/system/cpu/cpufreq/boost", "0\n");
	put("/sys/devices/system/cpu/cpu2/cpufreq/boost", "1\n");
	ch_sysinfo_read(&si, 2);
	assert_int_equal(si.turbo, 1);
	assert_string_equal(si.turbo_knob,
			    "/sys/devices/system/cpu/cpu2/cpufreq/boost");
}

static void online_smt_sibling_is_named_with_how_to_offline_it(void **state)
{
	struct ch_sysinfo si;
	char *w;
	int n;

	(void)state;
	put("/sys/devices/system/cpu/online", "0-3\n");
	put("/sys/devices/system/cpu/cpu1/topology/thread_siblings_list",
	    "1,3\n");
	ch_sysinfo_read(&si, 1);
	assert_int_equal(si.smt, 1);
	assert_int_equal(si.smt_sibling, 3);
	w = warnings(&si, &n);
	assert_int_equal(n, 1);
	assert_non_null(strstr(w, "SMT sibling cpu3 of cpu1"));
	assert_non_null(strstr(w, "echo 0 | sudo tee /sys/devices/system/cpu/cpu3/online\n"));
	free(w);
}

static void offline_smt_sibling_does_not_count(void **state)
{
	struct ch_sysinfo si;

	(void)state;
	put("/sys/devices/system/cpu/online", "0-2\n");
	put("/sys/devices/system/cpu/cpu1/topology/thread_siblings_list",
	    "1,3\n");
	ch_sysinfo_read(&si, 1);
	assert_int_equal(si.smt, 0);
	assert_int_equal(si.smt_sibling, -1);
}

static void sibling_ranges_are_parsed(void **state)
{
	struct ch_sysinfo si;

	(void)state;
	put("/sys/devices/system/cpu/cpu4/topology/thread_siblings_list",
	    "4-5\n");
	ch_sysinfo_read(&si, 4);
	assert_int_equal(si.smt, 1);
	assert_int_equal(si.smt_sibling, 5);

	put("/sys/devices/system/cpu/cpu4/topology/thread_siblings_list",
	    "4\n");
	ch_sysinfo_read(&si, 4);
	assert_int_equal(si.smt, 0);
}

static void smt_active_is_the_fallback_without_topology(void **state)
{
	struct ch_sysinfo si;
	char *w;
	int n;

	(void)state;
	put("/sys/devices/system/cpu/smt/active", "1\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.smt, 1);
	assert_int_equal(si.smt_sibling, -1);
	w = warnings(&si, &n);
	assert_int_equal(n, 1);
	assert_non_null(strstr(w, "/sys/devices/system/cpu/smt/control"));
	free(w);
}

static void hypervisor_flag_in_cpuinfo_means_a_hypervisor(void **state)
{
	struct ch_sysinfo si;
	char *w;
	int n;

	(void)state;
	put("/proc/cpuinfo", "model name\t: Fake CPU\n"
	    "flags\t\t: fpu tsc hypervisor lm\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.hypervisor, 1);
	w = warnings(&si, &n);
	assert_int_equal(n, 1);
	assert_non_null(strstr(w, "virtualisation noise"));
	free(w);
}

static void cpuinfo_flags_without_hypervisor_mean_bare_metal(void **state)
{
	struct ch_sysinfo si;

	(void)state;
	put("/proc/cpuinfo", "model name\t: Fake CPU\nflags\t\t: fpu tsc lm\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.hypervisor, 0);
	assert_string_equal(si.hypervisor_name, "");
	assert_string_equal(si.cpu_model, "Fake CPU");
}

static void xen_sys_hypervisor_type_means_a_hypervisor(void **state)
{
	struct ch_sysinfo si;

	(void)state;
	put("/sys/hypervisor/type", "xen\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.hypervisor, 1);
}

static void qemu_in_dmi_means_a_hypervisor(void **state)
{
	struct ch_sysinfo si;

	(void)state;
	put("/sys/class/dmi/id/sys_vendor", "QEMU\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.hypervisor, 1);
}

static void arm64_cpuinfo_is_decoded_to_a_model(void **state)
{
	struct ch_sysinfo si;

	(void)state;
	put("/proc/cpuinfo", "processor\t: 0\nBogoMIPS\t: 50.00\n"
	    "CPU implementer\t: 0x41\nCPU architecture: 8\n"
	    "CPU variant\t: 0x3\nCPU part\t: 0xd0c\n");
	ch_sysinfo_read(&si, 0);
	assert_string_equal(si.cpu_model, "ARM Neoverse-N1");
	assert_int_equal(si.hypervisor, -1);

	put("/proc/cpuinfo", "CPU implementer\t: 0x99\nCPU part\t: 0x123\n");
	ch_sysinfo_read(&si, 0);
	assert_string_equal(si.cpu_model, "implementer 0x99 part 0x123");
}

static void aslr_2_warns_with_both_fixes(void **state)
{
	struct ch_sysinfo si;
	char *w;
	int n;

	(void)state;
	if (aslr_off_for_us())
		skip();
	put("/proc/sys/kernel/randomize_va_space", "2\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.aslr, 2);
	w = warnings(&si, &n);
	assert_int_equal(n, 1);
	assert_non_null(strstr(w, "echo 0 | sudo tee /proc/sys/kernel/randomize_va_space"));
	assert_non_null(strstr(w, "setarch -R"));
	free(w);
}

static void aslr_0_gives_no_warning(void **state)
{
	struct ch_sysinfo si;
	char *w;
	int n;

	(void)state;
	put("/proc/sys/kernel/randomize_va_space", "0\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.aslr, 0);
	w = warnings(&si, &n);
	assert_int_equal(n, 0);
	free(w);
}

static void setarch_r_counts_as_aslr_off(void **state)
{
	int pers = personality(0xffffffff);
	struct ch_sysinfo si;

	(void)state;
	assert_int_not_equal(pers, -1);
	put("/proc/sys/kernel/randomize_va_space", "2\n");
	personality((unsigned long)pers | ADDR_NO_RANDOMIZE);
	ch_sysinfo_read(&si, 0);
	personality((unsigned long)pers);
	assert_int_equal(si.aslr, 0);
}

static void missing_files_read_as_unknown_and_give_no_warning(void **state)
{
	struct ch_sysinfo si;
	char *w;
	int n;

	(void)state;
	memset(&si, 0x5a, sizeof(si));
	ch_sysinfo_read(&si, 3);
	assert_string_equal(si.cpu_model, "unknown");
	assert_string_equal(si.governor, "n/a");
	assert_int_equal(si.turbo, -1);
	assert_string_equal(si.turbo_knob, "");
	assert_int_equal(si.smt, -1);
	assert_int_equal(si.hypervisor, -1);
	assert_string_equal(si.hypervisor_name, "");
	assert_int_equal(si.aslr, -1);
	assert_int_equal(si.perf_event_paranoid, CH_PARANOID_UNKNOWN);
	assert_int_equal(si.cpu, 3);
	w = warnings(&si, &n);
	assert_int_equal(n, 0);
	assert_string_equal(w, "");
	free(w);
}

static void junk_in_files_reads_as_unknown(void **state)
{
	struct ch_sysinfo si;

	(void)state;
	put("/sys/devices/system/cpu/intel_pstate/no_turbo", "yes\n");
	put("/proc/sys/kernel/randomize_va_space", "");
	put("/proc/sys/kernel/perf_event_paranoid", "2x\n");
	put("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list",
	    "0-,zz\n");
	ch_sysinfo_read(&si, 0);
	assert_int_equal(si.turbo, -1);
	assert_int_equal(si.aslr, -1);
	assert_int_equal(si.perf_event_paranoid, CH_PARANOID_UNKNOWN);
	assert_int_equal(si.smt, -1);
}

static void each_warning_is_printed_once_per_process(void **state)
{
	struct ch_sysinfo si;
	char *w;
	int n;

	int kinds = aslr_off_for_us() ? 4 : 5;

	(void)state;
	noisy_machine();
	ch_sysinfo_read(&si, 1);
	w = warnings(&si, &n);
	assert_int_equal(n, kinds);
	assert_int_equal(count_lines(w), kinds);
	assert_non_null(strstr(w, "governor"));
	assert_non_null(strstr(w, "turbo"));
	assert_non_null(strstr(w, "SMT"));
	assert_non_null(strstr(w, "hypervisor"));
	assert_true(kinds == 4 || strstr(w, "ASLR"));
	free(w);

	w = warnings(&si, &n);
	assert_int_equal(n, 0);
	assert_string_equal(w, "");
	free(w);
}

static void json_names_every_field_and_uses_null_for_unknowns(void **state)
{
	struct ch_sysinfo si;
	char *j;

	(void)state;
	ch_sysinfo_read(&si, -1);
	j = json(&si);
	assert_true(j[0] == '{');
	assert_true(j[strlen(j) - 1] == '}');
	assert_non_null(strstr(j, "\"cpu_model\": \"unknown\""));
	assert_non_null(strstr(j, "\"kernel\": \""));
	assert_non_null(strstr(j, "\"host\": \""));
	assert_non_null(strstr(j, "\"compiler\": \""));
	/* the build passes both to the test as to the library */
	assert_non_null(strstr(j, "\"cflags\": \"" CH_CFLAGS "\""));
	assert_non_null(strstr(j, "\"git_rev\": \"" CH_GIT_REV "\""));
	assert_non_null(strstr(j, "\"governor\": \"n/a\""));
	assert_non_null(strstr(j, "\"turbo\": null"));
	assert_non_null(strstr(j, "\"smt\": null"));
	assert_non_null(strstr(j, "\"smt_sibling\": null"));
	assert_non_null(strstr(j, "\"hypervisor\": null"));
	assert_non_null(strstr(j, "\"hypervisor_name\": \"\""));
	assert_non_null(strstr(j, "\"aslr\": null"));
	assert_non_null(strstr(j, "\"cpu\": null"));
	assert_non_null(strstr(j, "\"perf_event_paranoid\": null"));
	assert_null(strchr(j, '\n'));
	free(j);
}

static void json_of_a_noisy_machine_has_true_and_numbers(void **state)
{
	struct ch_sysinfo si;
	char *j;

	(void)state;
	noisy_machine();
	ch_sysinfo_read(&si, 1);
	si.aslr = 2;	/* as read, even under setarch -R */
	j = json(&si);
	assert_non_null(strstr(j, "\"cpu_model\": \"Fake CPU @ 3.00GHz\""));
	assert_non_null(strstr(j, "\"governor\": \"powersave\""));
	assert_non_null(strstr(j, "\"turbo\": true"));
	assert_non_null(strstr(j, "\"smt\": true"));
	assert_non_null(strstr(j, "\"smt_sibling\": 3"));
	assert_non_null(strstr(j, "\"hypervisor\": true"));
	assert_non_null(strstr(j, "\"aslr\": 2"));
	assert_non_null(strstr(j, "\"cpu\": 1"));
	assert_non_null(strstr(j, "\"perf_event_paranoid\": 2"));
	free(j);
}

static void json_strings_are_escaped(void **state)
{
	struct ch_sysinfo si;
	char *j;

	(void)state;
	ch_sysinfo_read(&si, 0);
	strcpy(si.cpu_model, "a\"b\\c\nd\te\001");
	strcpy(si.host, "not \xff UTF-8");
	j = json(&si);
	assert_non_null(strstr(j, "\"cpu_model\": \"a\\\"b\\\\c\\nd\\te\\u0001\""));
	assert_non_null(strstr(j, "\"host\": \"not ? UTF-8\""));
	free(j);
}

static void compiler_is_named_with_gcc_or_clang(void **state)
{
	struct ch_sysinfo si;

	(void)state;
	ch_sysinfo_read(&si, 0);
	assert_true(!strncmp(si.compiler, "gcc ", 4) ||
		    !strncmp(si.compiler, "clang ", 6));
}

static void parse_cpu_rejects_junk_with_a_message(void **state)
{
	static const char *const junk[] = {
		"abc", "-1", "1x", "", " 1", "1 ", "+1", "0x1", "2147483648",
		"99999999999",
	};
	char err[256];
	size_t i;
	int cpu = 42;

	(void)state;
	put("/sys/devices/system/cpu/online", "0-1\n");
	for (i = 0; i < ARRAY_SIZE(junk); i++) {
		char want[64];

		err[0] = '\0';
		assert_int_equal(ch_parse_cpu(junk[i], &cpu, err, sizeof(err)),
				 -EINVAL);
		snprintf(want, sizeof(want), "--cpu '%s': not a CPU number",
			 junk[i]);
		assert_non_null(strstr(err, want));
		assert_non_null(strstr(err, "(online: 0-1)"));
		assert_null(strchr(err, '\n'));
		assert_int_equal(cpu, 42);
	}
}

static void parse_cpu_accepts_plain_numbers(void **state)
{
	char err[256];
	int cpu = -1;

	(void)state;
	assert_int_equal(ch_parse_cpu("0", &cpu, err, sizeof(err)), 0);
	assert_int_equal(cpu, 0);
	assert_int_equal(ch_parse_cpu("17", &cpu, err, sizeof(err)), 0);
	assert_int_equal(cpu, 17);
	assert_int_equal(ch_parse_cpu("2147483647", &cpu, err, sizeof(err)),
			 0);
	assert_int_equal(cpu, 2147483647);
}

static void pin_to_cpu_9999_fails_listing_the_online_cpus(void **state)
{
	char err[256], online[256], want[300];
	FILE *f;

	(void)state;
	unsetenv("CHBENCH_SYSROOT");
	f = fopen("/sys/devices/system/cpu/online", "r");
	assert_non_null(f);
	assert_non_null(fgets(online, sizeof(online), f));
	fclose(f);
	online[strcspn(online, "\n")] = '\0';

	assert_int_equal(ch_pin_cpu(9999, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want),
		 "--cpu 9999: no such online CPU (online: %s)", online);
	assert_string_equal(err, want);
}

static void pin_checks_the_online_list(void **state)
{
	char err[256];

	(void)state;
	put("/sys/devices/system/cpu/online", "0\n");
	assert_int_equal(ch_pin_cpu(1, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--cpu 1: no such online CPU (online: 0)");
	assert_int_equal(ch_pin_cpu(-1, err, sizeof(err)), -EINVAL);
}

static void pin_to_an_allowed_cpu_moves_the_thread_there(void **state)
{
	cpu_set_t saved;
	char err[256];
	int cpu;

	(void)state;
	unsetenv("CHBENCH_SYSROOT");
	assert_int_equal(sched_getaffinity(0, sizeof(saved), &saved), 0);
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &saved); cpu++)
		;
	assert_int_equal(ch_pin_cpu(cpu, err, sizeof(err)), 0);
	assert_int_equal(sched_getcpu(), cpu);
	assert_int_equal(sched_setaffinity(0, sizeof(saved), &saved), 0);
}

static void machine_is_named_fully(void **state)
{
	struct ch_sysinfo si;
	char line[384];
	char *j;

	(void)state;
	put("/proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\n"
	    "cpu family\t: 6\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R)\n"
	    "stepping\t: 7\nmicrocode\t: 0x5003604\n\n"
	    "processor\t: 1\nvendor_id\t: AuthenticAMD\nmicrocode\t: 0x1\n");
	put("/sys/devices/system/cpu/cpu1/cpufreq/base_frequency", "2100000\n");
	put("/sys/devices/system/cpu/cpu1/cpufreq/cpuinfo_max_freq", "3900000\n");
	put("/proc/meminfo", "MemTotal:       98304000 kB\nMemFree: 1 kB\n");
	put("/proc/loadavg", "0.12 0.30 0.25 1/123 4567\n");
	ch_sysinfo_read(&si, 1);
	ch_machine_line(&si.machine, line, sizeof(line));
	assert_string_equal(line,
		"GenuineIntel family 6 model 85 stepping 7, microcode 0x5003604, "
		"2100-3900 MHz; RAM 93.8 GiB; load 0.12 0.30 0.25 at start; "
		"Google Benchmark " CH_GBENCH_VERSION ", libpfm "
		CH_LIBPFM_VERSION);
	j = json(&si);
	assert_non_null(strstr(j, "\"family\": 6, \"model\": 85, \"stepping\": 7"));
	assert_non_null(strstr(j, "\"mhz_base\": 2100, \"mhz_max\": 3900"));
	free(j);
}

static void unknown_machine_reads_as_nulls_and_n_a(void **state)
{
	struct ch_sysinfo si;
	char line[384];
	char *j;

	(void)state;
	ch_sysinfo_read(&si, -1);
	ch_machine_line(&si.machine, line, sizeof(line));
	assert_non_null(strstr(line, "unknown, clock n/a; RAM n/a; load n/a at start; "));
	j = json(&si);
	assert_non_null(strstr(j, "\"family\": null"));
	assert_non_null(strstr(j, "\"mem_mib\": null"));
	assert_non_null(strstr(j, "\"loadavg_start\": null"));
	free(j);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(performance_governor_gives_no_warning),
		T(powersave_governor_gives_one_warning_naming_the_fix),
		T(unpinned_run_reads_the_governor_of_cpu0),
		T(intel_no_turbo_0_means_turbo_on_and_names_the_knob),
		T(intel_no_turbo_1_means_turbo_off),
		T(cpufreq_boost_1_means_turbo_on),
		T(per_cpu_boost_of_amd_pstate_wins_over_the_global_one),
		T(online_smt_sibling_is_named_with_how_to_offline_it),
		T(offline_smt_sibling_does_not_count),
		T(sibling_ranges_are_parsed),
		T(smt_active_is_the_fallback_without_topology),
		T(hypervisor_flag_in_cpuinfo_means_a_hypervisor),
		T(cpuinfo_flags_without_hypervisor_mean_bare_metal),
		T(xen_sys_hypervisor_type_means_a_hypervisor),
		T(qemu_in_dmi_means_a_hypervisor),
		T(arm64_cpuinfo_is_decoded_to_a_model),
		T(aslr_2_warns_with_both_fixes),
		T(aslr_0_gives_no_warning),
		T(setarch_r_counts_as_aslr_off),
		T(missing_files_read_as_unknown_and_give_no_warning),
		T(junk_in_files_reads_as_unknown),
		T(each_warning_is_printed_once_per_process),
		T(json_names_every_field_and_uses_null_for_unknowns),
		T(json_of_a_noisy_machine_has_true_and_numbers),
		T(json_strings_are_escaped),
		T(compiler_is_named_with_gcc_or_clang),
		T(parse_cpu_rejects_junk_with_a_message),
		T(parse_cpu_accepts_plain_numbers),
		T(pin_to_cpu_9999_fails_listing_the_online_cpus),
		T(pin_checks_the_online_list),
		T(pin_to_an_allowed_cpu_moves_the_thread_there),
		T(machine_is_named_fully),
		T(unknown_machine_reads_as_nulls_and_n_a),
	};

	return cmocka_run_group_tests_name("sysinfo", tests, NULL, NULL);
}
