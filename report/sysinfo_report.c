// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting what ch_sysinfo_read() found: the once-per-process noise
 * warnings, each naming its fix, and the metadata as one JSON object.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "report/sysinfo.h"

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

/*
 * "Label   text", the text folded at spaces to @width columns, continued
 * under itself: as a mail client shows it.
 */
static void field(FILE *out, const char *label, const char *text, int width)
{
	int indent = 10, room = width - indent, n;
	const char *p = text;

	fprintf(out, "%-*s", indent, label);
	while (*p) {
		n = strlen(p);
		if (n > room) {
			for (n = room; n > 0 && p[n] != ' '; n--)
				;
			if (!n)
				n = strcspn(p, " ");
		}
		fprintf(out, "%.*s\n", n, p);
		p += n;
		p += strspn(p, " ");
		if (*p)
			fprintf(out, "%-*s", indent, "");
	}
	if (!*text)
		fprintf(out, "\n");
}

void ch_sysinfo_header(const struct ch_sysinfo *si, FILE *out)
{
	char buf[640], m[384];

	ch_machine_line(&si->machine, m, sizeof(m));
	snprintf(buf, sizeof(buf), "%s; %s", si->cpu_model, m);
	field(out, "CPU", buf, 76);
	if (si->cpu >= 0)
		snprintf(buf, sizeof(buf), "cpu%d pinned; governor %s; turbo %s; SMT %s; ASLR %d",
			 si->cpu, si->governor,
			 si->turbo < 0 ? "unknown" : si->turbo ? "on" : "off",
			 si->smt < 0 ? "unknown" : si->smt ? "on" : "off",
			 si->aslr);
	else
		snprintf(buf, sizeof(buf), "not pinned; governor %s; turbo %s; SMT %s; ASLR %d",
			 si->governor,
			 si->turbo < 0 ? "unknown" : si->turbo ? "on" : "off",
			 si->smt < 0 ? "unknown" : si->smt ? "on" : "off",
			 si->aslr);
	field(out, "Setup", buf, 76);
	snprintf(buf, sizeof(buf), "%s, %s%s%s", si->host,
		 si->hypervisor == 1 ? "a VM" : si->hypervisor == 0 ?
		 "bare metal" : "bare metal or a VM (unknown)",
		 si->hypervisor == 1 && *si->hypervisor_name ? ": " : "",
		 si->hypervisor == 1 ? si->hypervisor_name : "");
	field(out, "Host", buf, 76);
	field(out, "Kernel", si->kernel, 76);
	snprintf(buf, sizeof(buf), "%s %s; chbench %s", si->compiler,
		 si->cflags, si->git_rev);
	field(out, "Compiler", buf, 76);
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
