// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the timings come from a virtual machine, and what its host gave
 * it: every kernel-side timing carries the label, since a guest's figures
 * include the hypervisor's noise (chbench-noise(7)).
 */
#include <stdio.h>
#include <string.h>

#include "lib/sysfs.h"
#include "report/sysinfo.h"

int ch_vm_host(char *buf, size_t len)
{
	char line[4096], *p, *end;

	if (ch_sys_read(line, sizeof(line), "/proc/cmdline") < 0)
		return -1;
	for (p = line; (p = strstr(p, "chbench.vm=")); p++)
		if (p == line || p[-1] == ' ')
			break;
	if (!p)
		return -1;
	p += strlen("chbench.vm=");
	end = p + strcspn(p, " ");
	if (end == p || (size_t)(end - p) >= len)
		return -1;
	memcpy(buf, p, end - p);
	buf[end - p] = '\0';
	return 0;
}

const char *ch_virt_label(void)
{
	static char buf[320];
	struct ch_sysinfo si;
	char host[96];

	ch_sysinfo_read(&si, -1);
	if (si.hypervisor != 1)
		return NULL;
	if (strstr(si.hypervisor_name, "TCG"))
		return "qemu TCG: an emulated CPU, so these timings prove the path works, not what it costs";
	if (ch_vm_host(host, sizeof(host)))
		snprintf(host, sizeof(host), "no chbench.vm= on the command line");
	snprintf(buf, sizeof(buf), "inside a VM (%s; %s): timings include the hypervisor's noise and two-dimensional page walks on TLB misses",
		 si.hypervisor_name[0] ? si.hypervisor_name : "unknown", host);
	return buf;
}
