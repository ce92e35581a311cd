/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A results directory's cases as structured data, so that no script
 * parses a case name: per case (its name as ch_scenario_name() builds it,
 * which is bench.json's less Google Benchmark's "/iterations:N" and
 * "/real_time") the variant, layout, key, shape, mix, walk, pick, tail
 * fraction, mem and memmap (bytes and as chbench prints them), A/A arm,
 * and the floor case it nets against. metadata.json holds it as "cases";
 * 'chbench cases DIR' prints it, parsing the names of results written
 * before metadata.json did.
 */
#ifndef CH_CASES_H
#define CH_CASES_H

#include "report/json.h"
#include "vmemmap/scenario.h"

struct ch_case_ref {
	const struct ch_scenario *sc;
	const char *name;
};

/*
 * The "cases" object of @nr cases: name -> fields, each case's floor
 * (ch_scenario_nets_against()) looked for among the @nr.
 */
json_t *ch_cases_json(const struct ch_case_ref *c, int nr);

#endif /* CH_CASES_H */
