# SPDX-License-Identifier: GPL-2.0
"""The text of report.txt: the header of each results directory, the
legend, the summary and the per-scenario tables, as lines of plain
ASCII no wider than WIDTH, with MMTests-style marks for the changes.
"""
import math
import re
import textwrap

from chreport_load import pick_baseline

WIDTH = 76
CELL = 16
LABEL = WIDTH - 4 * CELL


def scenario_title(sc):
    return '%s / %s / mem:%s (%s memmap) / %s' % (
        sc.mix, sc.walk, sc.mem_text, sc.memmap_text, sc.shape)


def fmt_bytes(n):
    """
    Exact, in the largest binary unit: 1 MiB, 32 KiB, 2 GiB + 4 KiB; for
    the numbers chbench did not write (Google Benchmark's cache sizes):
    its own come as text (memmap_text, page_size_text, ...).
    """
    parts = []
    for unit, name in ((40, 'TiB'), (30, 'GiB'), (20, 'MiB'), (10, 'KiB')):
        if n >> unit:
            parts.append('%d %s' % (n >> unit, name))
            n &= (1 << unit) - 1
    if n or not parts:
        parts.append('%d B' % n)
    return ' + '.join(parts)


def decimals(values):
    """Decimals for a row: about 4 significant digits in 6 columns."""
    m = max((abs(v) for v in values if v is not None), default=0)
    if m == 0:
        return 3
    return min(4, max(0, 3 - math.floor(math.log10(m))))


def fmt_value(v, dec):
    """7 columns: a blank, then the value in 6."""
    if v is None:
        return '    n/a'
    if abs(v) >= 999999.5:
        return ' %6.0e' % v
    return ' %6.*f' % (dec, v)


def fmt_pct(p):
    """A change in percent, in at most 6 columns."""
    if abs(p) < 99.95:
        return '%+.1f' % p
    if abs(p) < 99999.5:
        return '%+.0f' % p
    return 'x%.0f' % (p / 100 + 1)


def fmt_change(cmp):
    """
    MMTests' mark, for chbench's comparison: *-1.2%* a difference claimed
    (after Benjamini-Hochberg over the family), (-1.2%) none proven.
    """
    if cmp is None or cmp['change'] is None:
        return '(   n/a)'
    s = (fmt_pct(100 * cmp['change']) + '%').rjust(6)[:7]
    return '*%s*' % s if cmp['claimed'] else '(%s)' % s


def fmt_ci(lo, hi, dec=None):
    """
    An interval in a cell: a case's as lo..hi in its unit (@dec
    decimals), a change's as [lo, hi] in percent.
    """
    if lo is None or hi is None:
        return ''
    if dec is not None:
        return '%.*f..%.*f' % (dec, lo, dec, hi)
    return '[%s, %s]' % (fmt_pct(100 * lo), fmt_pct(100 * hi))


def table(title, columns, rows, out):
    """
    columns: [(header line, ...)], rows: [(label, [cell, ...])]; at most
    four columns, each CELL wide, after a LABEL-wide row label.
    """
    out.append(title)
    for i in range(len(columns[0])):
        out.append((' ' * LABEL + ''.join(c[i][:CELL - 1].rjust(CELL)
                                          for c in columns)).rstrip())
    for label, cells in rows:
        if not cells:           # a heading over the rows that follow
            out.append(label[:WIDTH])
            continue
        out.append((label[:LABEL - 1].ljust(LABEL) + ''.join(cells)).rstrip())
    out.append('')


def metric_rows(cols, base, st, counters, chb, indent=''):
    """
    The rows of one table: ns/op, ns/op less the floor (the floor chbench
    pairs each case with), and each counter per op, under chbench's label
    for it; under each compared one its 95% intervals. cols[i] is a Case
    or None; base is the Case the others are compared against (cols[0]
    in every table).
    """
    rows = []

    def row(label, vals, metric=None):
        dec = decimals(vals)
        cells, cis = [], []
        for c, v in zip(cols, vals):
            chg, ci = '', ''
            if metric and c is not None:
                cmp = st.comparison(base, c, metric)
                if c is base:
                    chg = '(  0.0%)'
                    ci = fmt_ci(*st.interval(c, metric), dec=dec)
                elif v is not None and base is not None:
                    chg = fmt_change(cmp)
                    ci = 'not tested' if cmp and not cmp['tested'] \
                        else fmt_ci(cmp and cmp['lo'], cmp and cmp['hi'])
                else:
                    chg = '(   n/a)'
            cells.append(fmt_value(v, dec) + ' ' + chg.ljust(CELL - 8))
            cis.append(' ' + ci[:CELL - 2].ljust(CELL - 1))
        rows.append((indent + label, cells))
        if metric and any(x.strip() for x in cis[1:]):
            rows.append((indent + '  95% CI', cis))

    def get(c, metric):
        return st.case_value(c, metric) if c else None

    row('ns/op', [get(c, 'ns/op') for c in cols], 'ns/op')
    net = []
    for c in cols:
        f = c.floor_case if c else None
        v = get(c, 'ns/op')
        net.append(v - get(f, 'ns/op') if f and v is not None and
                   get(f, 'ns/op') is not None else None)
    if any(v is not None for v in net):
        row('net ns/op', net)
    for ev in counters:
        m = ev + '/op'
        if any(c and m in c.reps for c in cols):
            row(chb.label(ev), [get(c, m) for c in cols], m)
    return rows


def case_header(c, keyline):
    h = (c.variant, c.layout)
    return h + (('key ' + c.key if c.key else ''),) if keyline else h


def summary(res, st, args, out, tag=''):
    """
    ns/op of the baseline and the first three other cases, one line per
    scenario: the table to paste when there is room for only one.
    """
    scen = res.scenarios()
    if len(scen) < 2:
        return
    keys = list(scen)
    vary = [i for i in range(4) if len({k[i] for k in keys}) > 1]
    by_row = [i for i in (0, 1) if i in vary] or [2]
    groups = {}
    for k in keys:
        g = tuple(k[i] for i in range(4) if i not in by_row)
        groups.setdefault(g, []).append(k)
    said = False
    for ks in groups.values():
        cols = None
        rows = []
        for k in ks:
            shown = [c for c in scen[k] if not c.is_floor and not c.error]
            base = pick_baseline(shown, args.baseline)
            if not base:
                continue
            others = [c for c in shown if c is not base][:3]
            if cols is None:
                cols = [('baseline', '')] + [case_header(c, False)
                                             for c in others]
            vals = [st.case_value(c) for c in [base] + others]
            dec = decimals(vals)
            cells = [fmt_value(vals[0], dec)]
            cells += [fmt_value(v, dec) + ' ' + fmt_change(
                st.comparison(base, c) if v is not None else None)
                for c, v in zip(others, vals[1:])]
            label = '/'.join(k.mem_text if i == 2 else k[i]
                             for i in by_row)
            rows.append((label, cells))
        if not rows:
            continue
        if not said:
            out.extend(wrap('Summary%s: ns/op of %s (the baseline%s) '
                            'and of the others, with %% change; all rows '
                            'and variants are in the tables after it.'
                            % (tag, args.baseline,
                               ', before the series' if args.baseline ==
                               res.chb.default_baseline else '')) + [''])
            said = True
        first = ks[0]
        title = ' / '.join('mem:%s (%s memmap)' % (first.mem_text,
                                                    first.memmap_text)
                           if i == 2 else first[i]
                           for i in range(4) if i not in by_row)
        narrow(title, cols, rows, out)


def narrow(title, columns, rows, out):
    """table() with a wider label and a value-only first column."""
    lab = WIDTH - 9 - 3 * CELL
    out.append(title)
    for i in range(len(columns[0])):
        out.append((' ' * lab + columns[0][i][:8].rjust(9) +
                    ''.join(c[i][:CELL - 1].rjust(CELL)
                            for c in columns[1:])).rstrip())
    for label, cells in rows:
        out.append((label[:lab - 1].ljust(lab) + cells[0].rjust(9) +
                    ''.join(cells[1:])).rstrip())
    out.append('')


def single_tables(res, st, args, out):
    """One table per scenario: the baseline variant, then the others."""
    for sc, cases in res.scenarios().items():
        shown = [c for c in cases if not c.is_floor and not c.error]
        base = pick_baseline(shown, args.baseline)
        note = ''
        if not base and shown:
            base = shown[0]
            note = 'No %s in this scenario: %s is the baseline.' % (
                args.baseline, base.label)
        if not base:
            continue
        others = [c for c in shown if c is not base]
        keyline = any(c.key for c in shown)
        title = '\n'.join([scenario_title(sc)] + wrap(note))
        for i in range(0, max(len(others), 1), 3):
            cols = [base] + others[i:i + 3]
            table(title if not i else '  (continued)',
                  [case_header(c, keyline) for c in cols],
                  metric_rows(cols, base, st, res.counters, res.chb), out)
        for c in cases:
            if c.error:
                out.extend(wrap('%s: failed: %s' % (c.label, c.error),
                                '  ') + [''])


def multi_tables(results, st, args, out):
    """One table per scenario, one column per results directory."""
    chb = results[0].chb
    counters = sorted({e for r in results for e in r.counters},
                      key=chb.counter_order)
    scen = [r.scenarios() for r in results]
    order = []
    for s in scen:
        order += [k for k in s if k not in order]
    heads = set_headers(results)
    # Kernel against kernel (before and after the series): each one's
    # vmemmap is whatever that kernel made of the mix, so rows match by
    # variant; anywhere else by variant and layout.
    kern = [r.kind == 'kernel' for r in results]
    by_variant = sum(kern) > 1

    def ident(c, i):
        return (c.variant, c.key) if by_variant and kern[i] else c.label

    for sc in order:
        idents, names = [], {}
        for i, s in enumerate(scen):
            cases = s.get(sc, [])
            first = pick_baseline([c for c in cases if not c.is_floor],
                                  args.baseline)
            for c in ([first] if first else []) + cases:
                k = ident(c, i)
                if k not in idents:
                    idents.append(k)
                    names[k] = []
                if c.layout not in names[k]:
                    names[k].append(c.layout)
        rows = []
        for k in idents:
            if isinstance(k, tuple):
                label = '%s @ %s%s' % (k[0], ' | '.join(names[k]),
                                       ' key:' + k[1] if k[1] else '')
            else:
                label = k
            cols = [next((c for c in s.get(sc, []) if ident(c, i) == k),
                         None)
                    for i, s in enumerate(scen)]
            rows.append((label, []))
            rows += metric_rows(cols, cols[0], st, counters, chb, '  ')
        for i in range(1, max(len(results), 2), 3):
            idx = [0] + list(range(i, min(i + 3, len(results))))
            sub = [(lab, [cells[j] for j in idx] if cells else [])
                   for lab, cells in rows]
            table(scenario_title(sc) if i == 1 else '  (continued)',
                  [heads[j] for j in idx], sub, out)


def set_headers(results):
    """Two header lines per results directory: what tells them apart."""
    fields = [('host', lambda r: r.system.get('host', '?')),
              ('compiler', lambda r: r.system.get('compiler', '?')),
              ('cpu', lambda r: r.system.get('cpu_model', '?')),
              ('kernel', lambda r: r.system.get('kernel', '?').split()[0])]
    differ = [f for _, f in fields if len({f(r) for r in results}) > 1]
    # nothing tells them apart but the name: drop the date it starts with
    names = [re.sub(r'^\d{4}-\d\d-\d\d-', '', r.name) for r in results]
    if len(set(names)) < len(names):
        names = [r.name[-(CELL - 5):] for r in results]
    out = []
    for k, r in enumerate(results, 1):
        lines = [f(r) for f in differ][:2] or [names[k - 1]]
        out.append(tuple(['[%d]' % k] + (lines + [''])[:2]))
    return out


def wrap(text, indent='', first=None):
    return textwrap.wrap(text, WIDTH, initial_indent=first or indent,
                         subsequent_indent=indent, break_on_hyphens=False,
                         break_long_words=True)


def noise_floor(res, st):
    """The A/A control: what a difference of nothing looks like here."""
    ctl = res.control()
    cmp = st.control(res) if ctl else None
    if not cmp:
        return ('unknown: no A/A control in these results (filtered '
                'out, or made before chbench ran one)')
    a, b = ctl
    how = (" (Welch's t on the log values, %d vs %d instances, p %.2f)"
           % (cmp['n'][0], cmp['n'][1], cmp['p']) if cmp['tested'] else '')
    return ('the A/A control, %s @ %s %s/%s/mem:%s built twice: %.3f '
            'and %.3f ns/op, %s: %s%s. A claimed difference is worth what '
            'this line shows.' % (a.variant, a.layout, a.mix, a.walk,
                                  a.mem_text, st.case_value(a),
                                  st.case_value(b), cmp['text'],
                                  cmp['verdict'], how))


def load_field(meta):
    """The header's Load line: the machine's load during the rounds
    (metadata.json's load and lock). A run whose rounds ran under foreign
    load, or beside another timing run, is FLAGGED. Nothing for results
    made before chbench checked it."""
    load, lock = meta.get('load'), meta.get('lock') or {}
    if not load:
        return []
    rounds = load.get('instances', [])
    known = [r for r in rounds if r.get('foreign') is not None]
    bad = [r for r in rounds if r.get('flagged')]
    where = 'CPU %d' % load['cpu'] if load.get('cpu') is not None \
        else 'the CPUs'
    text = ('other tasks kept %s busy up to %.0f%% of a round (limit '
            '%.0f%%), steal up to %.0f%% (limit %.0f%%)' % (
                where, 100 * max([r['foreign'] for r in known] or [0]),
                100 * load.get('foreign_max', 0),
                100 * max([r['steal'] or 0 for r in known] or [0]),
                100 * load.get('steal_max', 0)))
    if bad:
        text = ('FLAGGED: %d of %d instances ran under foreign load: %s; '
                'their timings are suspect' % (len(bad), len(rounds), text))
    else:
        text = 'quiet: %s, in %d instances' % (text, len(known))
    if len(known) < len(rounds):
        text += '; %d not known' % (len(rounds) - len(known))
    if lock.get('state') == 'beside':
        text = ('FLAGGED: ran beside another timing run, %s '
                '(--allow-concurrent); ' % lock.get('beside')) + text
    return [('Load', text)]


def header(res, out, tag, st):
    s, m, ctx = res.system, res.meta, res.context
    pmu = m.get('pmu', {})
    present = [e['name'] for e in pmu.get('events', []) if e.get('present')]
    absent = [e['name'] for e in pmu.get('events', [])
              if not e.get('present')]
    if present:
        pmu_s = 'yes: ' + ', '.join(present)
        if absent:
            pmu_s += '; absent: ' + ', '.join(absent)
    else:
        pmu_s = 'no: ' + (pmu.get('note') or 'no counter in the data')
    caches = ', '.join('L%d%s %s' % (c['level'],
                                      'd' if c['type'] == 'Data' else '',
                                      fmt_bytes(c['size']))
                       for c in ctx.get('caches', [])
                       if c['type'] != 'Instruction')
    turbo = s.get('turbo')
    fields = [
        ('Results', '%s%s (%s, %s per case)'
         % (tag, res.name, res.kind, instances_text(res))),
        ('Noise floor', noise_floor(res, st)),
    ] + load_field(res.meta) + [
        ('CPU', '%s; ran on CPU %s; %s' % (s.get('cpu_model', '?'),
                                            s.get('cpu', '?'), caches)),
    ] + ([('Machine', s['machine']['line'])]
         if (s.get('machine') or {}).get('line') else []) + [
        ('Kernel', s.get('kernel', '?')),
        ('Compiler', '%s, %s' % (s.get('compiler', '?'),
                                 s.get('cflags', '?'))),
        ('Governor', '%s; turbo %s; SMT %s' % (
            s.get('governor', '?'),
            'unknown' if turbo is None else ('on' if turbo else 'off'),
            'on' if s.get('smt') else 'off')),
        ('Hypervisor', (s.get('hypervisor_name') or 'yes')
         if s.get('hypervisor') else 'none'),
        ('ASLR', '%s; perf_event_paranoid %s' % (
            s.get('aslr', '?'), s.get('perf_event_paranoid', '?'))),
        ('PMU', pmu_s),
        ('Static key', "the running kernel's own jump labels"
         if m.get('kernel') else m.get('static_key', '?')),
    ]
    k = m.get('kernel')
    if k:
        # kind kernel: chbench.ko's loops on the running kernel
        fields += [
            ('chbench.ko', '%s tails; vmemmap %s; '
             'vm.hugetlb_optimize_vmemmap %s; key %s; tainted %s' % (
                 k.get('encoding', '?'),
                 ', '.join(sorted({x['layout'] for x in k.get('mixes', [])}))
                 or '?',
                 '?' if k.get('hvo_sysctl') is None else k['hvo_sysctl'],
                 'absent' if k.get('hvo_key') is None else k['hvo_key'],
                 k.get('tainted', '?'))),
        ]
        if k.get('virtualized'):
            fields.append(('TIMINGS', 'from ' + k['virtualized']))
    fields += [
        ('chbench', m.get('chbench', s.get('git_rev', '?'))),
        ('Command', 'chbench ' + m.get('command', '?')),
        ('Date', ctx.get('date', '?')),
    ]
    for k, v in fields:
        out.extend(wrap(v, ' ' * 14, k.ljust(14)))


def instances_text(res):
    """'3 instances x 2 repetitions', as many as the results hold."""
    lo, hi = res.instances()
    reps = res.meta.get('reps_per_instance')
    if reps is None:        # made before instances: all on one
        reps = reps_text(*res.reps())
    return '%s instance%s x %s repetition%s' % (
        reps_text(lo, hi), '' if hi == 1 else 's', reps,
        '' if reps in (1, '1') else 's')


def reps_text(lo, hi):
    return str(lo) if lo == hi else '%d to %d' % (lo, hi)


def legend(st, results, out):
    n = min(r.instances()[0] for r in results)
    hi = max(r.instances()[1] for r in results)
    pmu = any(r.counters for r in results)
    conf = '%.1f%%' % st.confidence
    text = [
        'Each value is the geometric mean of a case\'s values on its %s '
        'memmap instances (fresh pages and mappings each), each of those '
        'the mean of its repetitions there (Google Benchmark, randomly '
        'interleaved). Timing noise is skewed (one slow instance, never a '
        'fast one) and every comparison is a ratio: on the log scale both '
        'are symmetric.' % reps_text(n, hi),
        '% change = (value - baseline) / baseline, the ratio of the '
        'geometric means less 1: negative is faster, or fewer events. '
        '95% CI under the baseline is the interval of its value (t on '
        'the log values), in its unit; under the others, that of the '
        'change (Welch\'s t on the log values), in %. Instances, not the '
        'repetitions within one, are the unit of every test.',
        '*-1.2%%* is a difference claimed ("Difference at %s confidence"): '
        'its interval excludes zero after Benjamini-Hochberg over the '
        'family of every comparison in this report (%d; in expectation at '
        'most %g%% of the claims are false). (-1.2%%): "No difference '
        'proven at %s confidence".' % (conf, st.family['size'], 100 * st.alpha, conf),
        'net ns/op is ns/op less the floor (the same walk with no '
        'compound_head()) on the same layout: the variant\'s own cost; '
        'it is not tested.',
    ]
    if not pmu:
        text.append('No hardware counter exists here, so only ns/op is '
                    'shown; see PMU above.')
    elif len(results) == 1:
        text.append('Counters are per op, scaled for multiplexing; only '
                    'those this machine has are shown.')
    else:
        text.append('Counters are per op, scaled for multiplexing; a row '
                    'for each counter one of the machines has, n/a where '
                    'a machine lacks it.')
    if n < 2:
        text.append('With %d instance%s per case no difference can be '
                    'tested (a test needs 2 each), so none is claimed: '
                    'rerun with --instances 2 or more.'
                    % (n, '' if n == 1 else 's'))
    for t in text:
        out.extend(wrap(t, '  ', '- '))
    out.append('')
