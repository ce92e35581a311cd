# SPDX-License-Identifier: GPL-2.0
"""chbench results directories, read for scripts/report.

ChBench is the binary they are read through, and everything the report
knows about variants, layouts, counters and sizes comes from it:
'chbench list --json' (what the binary knows) and 'chbench cases DIR'
(a directory's cases: metadata.json's, or for results written before it
held them, its bench.json names parsed by chbench). Result is one
directory: its bench.json (Google Benchmark's JSON, one entry per
repetition of each case, with the memmap instance it ran on) and
metadata.json (the machine and the command). Case is one benchmark, with
the per-op metrics of each repetition, flat and by instance.
"""
import json
import os
import subprocess
import sys


class BadResults(Exception):
    """A directory that has no readable bench.json."""


class BadChbench(Exception):
    """A chbench that cannot be run, or that refused: its one line."""


class ChBench:
    """The chbench binary: what 'chbench list --json' says, and more."""

    def __init__(self, path):
        self.path = path
        self.info = self.json('list', '--json')
        self.variants = {v['name']: (i, v)
                         for i, v in enumerate(self.info['variants'])}
        self.layouts = {v['name']: (i, v)
                        for i, v in enumerate(self.info['layouts'])}
        self.labels = {e['name']: e['label'] for e in self.info['events']}
        self.default_baseline = self.info['default_baseline']

    def run(self, *args, timeout=60):
        try:
            return subprocess.run([self.path] + list(args),
                                  capture_output=True, text=True,
                                  timeout=timeout)
        except OSError as e:
            raise BadChbench('%s: %s; run make first, or give --chbench '
                             '(or CHBENCH) the chbench binary'
                             % (self.path, e.strerror)) from e
        except subprocess.TimeoutExpired as e:
            raise BadChbench('%s %s took over %d s' % (
                self.path, ' '.join(args), timeout)) from e

    def json(self, *args):
        """What 'chbench ARGS' prints, parsed; BadChbench if it fails."""
        p = self.run(*args)
        err = p.stderr.strip().splitlines()
        if p.returncode:
            raise BadChbench(err[-1] if err else '%s %s: exit status %d'
                             % (self.path, ' '.join(args), p.returncode))
        try:
            return json.loads(p.stdout)
        except ValueError as e:
            raise BadChbench('%s %s printed no JSON (%s)'
                             % (self.path, ' '.join(args), e)) from e

    def cases(self, path):
        return self.json('cases', path)

    def measured_footprint(self):
        """'chbench footprint --json', or None when it cannot measure."""
        p = self.run('footprint', '--json', timeout=600)
        try:
            return json.loads(p.stdout) if p.returncode == 0 else None
        except ValueError:
            return None

    def label(self, event):
        """The short label chbench's tables give a counter."""
        return self.labels.get(event, event)

    def counter_order(self, name):
        """The default events in chbench's order, then the rest by name."""
        keys = self.info['default_events']
        return (keys.index(name) if name in keys else len(keys), name)

    def layout_hvo(self, name):
        return name in self.layouts and self.layouts[name][1]['hvo']


class Scenario(tuple):
    """
    (mix, walk, mem, shape): what one table holds, the walk as chbench
    labels it; with, from chbench, mem and memmap as it prints them and
    the walk's kind and tail fraction.
    """

    def __new__(cls, d):
        s = super().__new__(cls, (d['mix'], d['walk_label'], d['mem'],
                                  d['shape']))
        s.mix, s.walk, s.mem, s.shape = s
        s.mem_text, s.memmap_text = d['mem_text'], d['memmap_text']
        s.memmap = d['memmap']
        s.walk_kind, s.tail_fraction = d['walk'], d['tail_fraction']
        return s


class Case:
    """One benchmark: a variant in a shape, on a layout, in a scenario."""

    def __init__(self, name, d, family, chb):
        self.name = name
        self.family = family
        self.variant, self.shape, self.layout, self.mix = (
            d['variant'], d['shape'], d['layout'], d['mix'])
        self.walk = d['walk_label']
        self.mem, self.mem_text = d['mem'], d['mem_text']
        self.key = d['key'] or ''
        self.arm = d['arm'] or ''
        self.is_floor = d['pseudo']
        self.floor = d['floor']         # the floor case's name
        self.floor_case = None          # ... and the Case, once loaded
        self.scenario = Scenario(d)
        # for the plots: the variant's place in the registry (None: not
        # a registry variant, such as the kernel's own), whether this is
        # its suite layout, and the layout's place
        rank, v = chb.variants.get(self.variant, (None, None))
        self.rank = rank
        self.natural = v is not None and v['suite']['layout'] == self.layout
        self.layout_rank = chb.layouts.get(self.layout, (None,))[0]
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
    def label(self):
        return '%s @ %s%s' % (self.variant, self.layout,
                              ' key:' + self.key if self.key else '')


class Result:
    """One results directory."""

    def __init__(self, path, chb):
        self.path = os.path.normpath(path)
        self.name = os.path.basename(self.path)
        self.chb = chb
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
        try:
            known = chb.cases(path)
        except BadChbench as e:
            raise BadResults(str(e)) from e
        self.context = bench.get('context', {})
        self.system = self.meta.get('system', {})
        self.kind = self.meta.get('kind',
                                  self.context.get('chbench_kind', 'bench'))
        self.cases = {}
        self.arms = {}          # an A/A arm's name -> its Case
        for b in bench.get('benchmarks', []):
            if b.get('run_type') == 'aggregate':
                continue
            # chbench maps each run name (Google Benchmark's) to its case
            name = known['runs'].get(b.get('run_name', b['name']))
            if name is None:
                continue
            c = self.cases.get(name) or self.arms.get(name)
            if not c:
                c = Case(name, known['cases'][name],
                         b.get('family_index', 0), chb)
                (self.arms if c.arm else self.cases)[name] = c
            if b.get('error_occurred'):
                c.error = b.get('error_message', 'error')
                continue
            # before instances, every repetition ran on one
            inst = int(round(b.get('instance', 0)))
            for k, v in b.items():
                if k.endswith('/op'):
                    c.add(k, v, inst)
        for c in self.cases.values():
            c.floor_case = self.cases.get(c.floor)
        self.counters = sorted({k[:-3] for c in self.cases.values()
                                for k in c.reps if k != 'ns/op'},
                               key=chb.counter_order)

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
        a, b = self.arms.get(ctl.get('a')), self.arms.get(ctl.get('b'))
        return (a, b) if a and b and 'ns/op' in a.reps and \
            'ns/op' in b.reps else None

    def machine(self):
        s = self.system
        return '%s, %s, Linux %s' % (s.get('cpu_model', '?'),
                                     s.get('compiler', '?'),
                                     s.get('kernel', '?').split()[0])


def pick_baseline(cases, want):
    """The case --baseline VARIANT[@LAYOUT] names among cases, or None."""
    variant, _, layout = want.partition('@')
    for c in cases:
        if c.variant == variant and (not layout or c.layout == layout):
            return c
    return None
