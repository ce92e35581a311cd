# SPDX-License-Identifier: GPL-2.0
"""chbench results directories, read for scripts/report.

Result is one directory: its bench.json (Google Benchmark's JSON, one
entry per repetition of each walk/... case, with the memmap instance it
ran on) and metadata.json (the machine and the command). Case is one
benchmark, its name parsed into variant, shape, layout, mix, walk,
memmap size, key and A/A arm, with the per-op metrics of each
repetition, flat and by instance. Also which case in a scenario is the
baseline and which is each case's floor.
"""
import json
import os
import re
import sys

DEFAULT_BASELINE = 'fake-head@hvo-fake-head'
COUNTER_LABELS = {
    'cycles': 'cycles', 'instructions': 'insns',
    'branches': 'branches', 'branch-misses': 'br-miss',
    'L1-dcache-load-misses': 'L1d-miss', 'LLC-load-misses': 'LLC-miss',
    'dTLB-load-misses': 'dTLB-miss',
}


class BadResults(Exception):
    """A directory that has no readable bench.json."""


def parse_size(s):
    """'64M' -> bytes (powers of 1024, as chbench prints them)."""
    m = re.fullmatch(r'(\d+)([KMGTP]?)', s)
    if not m:
        raise ValueError('bad size ' + s)
    return int(m.group(1)) << (10 * ' KMGTP'.index(m.group(2) or ' '))


class Case:
    """One benchmark: a variant in a shape, on a layout, in a scenario."""

    def __init__(self, name, family):
        parts = name.removeprefix('walk/').removesuffix('/real_time')
        parts = parts.split('/')
        mem = next(i for i, p in enumerate(parts) if p.startswith('mem:'))
        self.name = name
        self.family = family
        self.variant, self.shape, self.layout, self.mix = parts[:4]
        self.walk = '/'.join(parts[4:mem])
        self.mem = parse_size(parts[mem][4:])
        tags = dict(p.split(':', 1) for p in parts[mem + 1:])
        self.key = tags.get('key', '')
        self.arm = tags.get('arm', '')
        self.reps = {}          # metric -> [value per repetition]
        self.inst = {}          # instance -> {metric -> [value per rep]}
        self.error = None

    def add(self, metric, value, instance):
        self.reps.setdefault(metric, []).append(value)
        self.inst.setdefault(instance, {}).setdefault(metric, []).append(
            value)

    def instances(self, metric='ns/op'):
        """[[value per repetition] per instance that has the metric]"""
        return [m[metric] for _, m in sorted(self.inst.items())
                if metric in m]

    @property
    def scenario(self):
        return (self.mix, self.walk, self.mem, self.shape)

    @property
    def label(self):
        return '%s @ %s%s' % (self.variant, self.layout,
                              ' key:' + self.key if self.key else '')

    @property
    def is_floor(self):
        return self.variant == 'floor'


class Result:
    """One results directory."""

    def __init__(self, path):
        self.path = os.path.normpath(path)
        self.name = os.path.basename(self.path)
        try:
            with open(os.path.join(path, 'bench.json')) as f:
                bench = json.load(f)
        except (OSError, ValueError) as e:
            raise BadResults('%s: no readable bench.json (%s); give a '
                             'directory that chbench bench or chbench '
                             'sweep wrote' % (path, e)) from e
        try:
            with open(os.path.join(path, 'metadata.json')) as f:
                self.meta = json.load(f)
        except (OSError, ValueError) as e:
            print('chbench report: %s: no metadata.json (%s); the header '
                  'will be incomplete' % (path, e), file=sys.stderr)
            self.meta = {}
        self.context = bench.get('context', {})
        self.system = self.meta.get('system', {})
        self.kind = self.meta.get('kind',
                                  self.context.get('chbench_kind', 'bench'))
        self.cases = {}
        self.arms = {}          # an A/A arm's name -> its Case
        for b in bench.get('benchmarks', []):
            if not b['name'].startswith('walk/'):
                continue
            if b.get('run_type') == 'aggregate':
                continue
            # the rounds after the first run a fixed iteration count,
            # which Google Benchmark adds to the name
            name = re.sub(r'/iterations:\d+', '',
                          b.get('run_name', b['name']))
            c = self.cases.get(name) or self.arms.get(name)
            if not c:
                c = Case(name, b.get('family_index', 0))
                (self.arms if c.arm else self.cases)[name] = c
            if b.get('error_occurred'):
                c.error = b.get('error_message', 'error')
                continue
            # before instances, every repetition ran on one
            inst = int(round(b.get('instance', 0)))
            for k, v in b.items():
                if k.endswith('/op'):
                    c.add(k, v, inst)
        self.counters = sorted({k[:-3] for c in self.cases.values()
                                for k in c.reps if k != 'ns/op'},
                               key=counter_order)

    def scenarios(self):
        """Scenario -> its cases, both in the order the suite made them."""
        out = {}
        for c in sorted(self.cases.values(), key=lambda c: c.family):
            out.setdefault(c.scenario, []).append(c)
        return out

    def reps(self):
        """(fewest, most) repetitions of a case that ran."""
        n = {len(c.reps['ns/op']) for c in self.cases.values()
             if 'ns/op' in c.reps}
        return (min(n), max(n)) if n else (0, 0)

    def instances(self):
        """(fewest, most) instances of a case that ran."""
        n = {len(c.instances()) for c in self.cases.values()
             if 'ns/op' in c.reps}
        return (min(n), max(n)) if n else (0, 0)

    def control(self):
        """The A/A control's arms (a, b), or None."""
        ctl = self.meta.get('control') or {}
        arms = {k.removesuffix('/real_time'): c
                for k, c in self.arms.items()}
        a, b = arms.get(ctl.get('a')), arms.get(ctl.get('b'))
        return (a, b) if a and b and 'ns/op' in a.reps and \
            'ns/op' in b.reps else None

    def machine(self):
        s = self.system
        return '%s, %s, Linux %s' % (s.get('cpu_model', '?'),
                                     s.get('compiler', '?'),
                                     s.get('kernel', '?').split()[0])


def counter_order(name):
    keys = list(COUNTER_LABELS)
    return (keys.index(name) if name in keys else len(keys), name)


def floor_map(cases):
    """id(case) -> the floor on its layout in its scenario."""
    fl = {c.layout: c for c in cases if c.is_floor}
    return {id(c): fl[c.layout] for c in cases
            if not c.is_floor and c.layout in fl}


def pick_baseline(cases, want):
    variant, _, layout = want.partition('@')
    for c in cases:
        if c.variant == variant and (not layout or c.layout == layout):
            return c
    return None
