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

void ch_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (ch < 0x20)
				fprintf(out, "\\u%04x", ch);
			else
				fputc(ch, out);
		}
	}
	fputc('"', out);
}

static void json_key(FILE *out, const char *key)
{
	fprintf(out, ", \"%s\": ", key);
}

static void json_string(FILE *out, const char *key, const char *val)
{
	json_key(out, key);
	ch_json_str(out, val);
}

static void json_bool(FILE *out, const char *key, int val)
{
	json_key(out, key);
	fputs(val < 0 ? "null" : val ? "true" : "false", out);
}

static void json_int(FILE *out, const char *key, int val, bool known)
{
	json_key(out, key);
	if (known)
		fprintf(out, "%d", val);
	else
		fputs("null", out);
}

void ch_sysinfo_json(const struct ch_sysinfo *si, FILE *out)
{
	fputs("{\"cpu_model\": ", out);
	ch_json_str(out, si->cpu_model);
	json_string(out, "kernel", si->kernel);
	json_string(out, "host", si->host);
	json_string(out, "compiler", si->compiler);
	json_string(out, "cflags", si->cflags);
	json_string(out, "git_rev", si->git_rev);
	json_string(out, "governor", si->governor);
	json_bool(out, "turbo", si->turbo);
	json_string(out, "turbo_knob", si->turbo_knob);
	json_bool(out, "smt", si->smt);
	json_int(out, "smt_sibling", si->smt_sibling, si->smt_sibling >= 0);
	json_bool(out, "hypervisor", si->hypervisor);
	json_string(out, "hypervisor_name", si->hypervisor_name);
	json_int(out, "aslr", si->aslr, si->aslr >= 0);
	json_int(out, "cpu", si->cpu, si->cpu >= 0);
	json_int(out, "perf_event_paranoid", si->perf_event_paranoid,
		 si->perf_event_paranoid != CH_PARANOID_UNKNOWN);
	fputc('}', out);
}
