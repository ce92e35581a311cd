// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting what ch_sysinfo_read() found: the once-per-process noise
 * warnings, each naming its fix, and the metadata as one JSON object.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness/sysinfo.h"

enum { W_GOVERNOR, W_TURBO, W_SMT, W_HYPERVISOR, W_ASLR };

static unsigned int warned;

static bool first_time(int kind)
{
	if (warned & (1u << kind))
		return false;
	warned |= 1u << kind;
	return true;
}

void ch_sysinfo_warn_reset(void)
{
	warned = 0;
}

int ch_sysinfo_warn(const struct ch_sysinfo *si, FILE *out)
{
	int c = si->cpu >= 0 ? si->cpu : 0;
	int n = 0;

	if (strcmp(si->governor, "n/a") &&
	    strcmp(si->governor, "performance") && first_time(W_GOVERNOR)) {
		fprintf(out, "chbench: warning: cpufreq governor of cpu%d is '%s', not 'performance': sudo cpupower frequency-set -g performance\n",
			c, si->governor);
		n++;
	}
	if (si->turbo == 1 && first_time(W_TURBO)) {
		bool no_turbo = strstr(si->turbo_knob, "no_turbo") != NULL;

		fprintf(out, "chbench: warning: turbo boost is on, so the clock follows load and temperature: echo %d | sudo tee %s\n",
			no_turbo, si->turbo_knob);
		n++;
	}
	if (si->smt == 1 && first_time(W_SMT)) {
		if (si->smt_sibling >= 0)
			fprintf(out, "chbench: warning: SMT sibling cpu%d of cpu%d is online and shares its core: echo 0 | sudo tee /sys/devices/system/cpu/cpu%d/online\n",
				si->smt_sibling, c, si->smt_sibling);
		else
			fprintf(out, "chbench: warning: SMT is active, so cpu%d may share its core: echo off | sudo tee /sys/devices/system/cpu/smt/control\n",
				c);
		n++;
	}
	if (si->hypervisor == 1 && first_time(W_HYPERVISOR)) {
		fprintf(out, "chbench: warning: running under a hypervisor%s%s%s: timings include virtualisation noise; use bare metal for figures to post\n",
			*si->hypervisor_name ? " (" : "",
			si->hypervisor_name,
			*si->hypervisor_name ? ")" : "");
		n++;
	}
	if (si->aslr > 0 && first_time(W_ASLR)) {
		fprintf(out, "chbench: warning: ASLR is on (randomize_va_space=%d), so addresses change from run to run: echo 0 | sudo tee /proc/sys/kernel/randomize_va_space, or run under setarch -R\n",
			si->aslr);
		n++;
	}
	return n;
}

static json_t *tristate(int val)
{
	return val < 0 ? json_null() : json_boolean(val);
}

static json_t *int_or_null(int val, bool known)
{
	return known ? json_integer(val) : json_null();
}

json_t *ch_sysinfo_json(const struct ch_sysinfo *si)
{
	return json_pack(
			"{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			"s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"cpu_model", ch_json_string(si->cpu_model),
		"kernel", ch_json_string(si->kernel),
		"host", ch_json_string(si->host),
		"compiler", ch_json_string(si->compiler),
		"cflags", ch_json_string(si->cflags),
		"git_rev", ch_json_string(si->git_rev),
		"governor", ch_json_string(si->governor),
		"turbo", tristate(si->turbo),
		"turbo_knob", ch_json_string(si->turbo_knob),
		"smt", tristate(si->smt),
		"smt_sibling", int_or_null(si->smt_sibling,
					   si->smt_sibling >= 0),
		"hypervisor", tristate(si->hypervisor),
		"hypervisor_name", ch_json_string(si->hypervisor_name),
		"aslr", int_or_null(si->aslr, si->aslr >= 0),
		"cpu", int_or_null(si->cpu, si->cpu >= 0),
		"perf_event_paranoid",
		int_or_null(si->perf_event_paranoid,
			    si->perf_event_paranoid != CH_PARANOID_UNKNOWN),
		"machine", ch_machine_json(&si->machine));
}
