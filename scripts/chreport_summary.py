# SPDX-License-Identifier: GPL-2.0
"""The summary of a report: what goes in the body of a reply on the list.

At most MAX_LINES lines of at most WIDTH columns: each results directory's
machine, its noise floor (and load, when flagged), the headline
comparisons with their 95% intervals, and where the full report is. The
figures are chbench's (chbench compare), as in report.txt, to the digit.

The headline of one results directory: in every scenario, the newest
variant of the registry on its own layout (the series' last form)
against the baseline (by default the kernel before the series). Of
several: the same case in each directory against the first; for kernel
results, the running kernel's own compound_head() ("kernel"). Rows where
a difference is claimed come first, the largest change first; what does
not fit is counted, and is in report.txt.
"""
from chreport_load import pick_baseline
from chreport_text import WIDTH, fmt_pct, load_field, noise_floor, wrap

MAX_LINES = 60
LABEL = 37


def _row_label(sc):
    return '%s/%s/%s/%s' % (sc.mix, sc.walk, sc.mem_text, sc.shape)


def _cell(st, base, c):
    """'133.9 -19.5% [-23.1, -15.8] *', or None without a comparison."""
    cmp = st.comparison(base, c)
    v = st.case_value(base)
    if cmp is None or v is None:
        return None
    if cmp['change'] is None or not cmp['tested']:
        return (v, 0, '%9.4g  not tested: %d vs %d instances'
                % (v, cmp['n'][0], cmp['n'][1]), False)
    text = '%9.4g %6s%% [%s, %s]%s' % (
        v, fmt_pct(100 * cmp['change']), fmt_pct(100 * cmp['lo']),
        fmt_pct(100 * cmp['hi']), ' *' if cmp['claimed'] else '')
    return (v, abs(cmp['change']), text, cmp['claimed'])


def _single(res, st, args):
    """(title, rows) of one directory: baseline against the newest."""
    rows, names = [], set()
    for sc, cases in res.scenarios().items():
        shown = [c for c in cases if not c.is_floor and not c.error]
        base = pick_baseline(shown, args.baseline)
        new = [c for c in shown if c.natural and c.rank is not None]
        if not base or not new:
            continue
        top = max(new, key=lambda c: c.rank)
        if top is base:
            continue
        cell = _cell(st, base, top)
        if cell:
            names.add((base.label, top.label))
            rows.append((_row_label(sc),) + cell)
    if len(names) == 1:
        b, t = names.pop()
        title = '%s against %s (baseline, ns/op):' % (t, b)
    else:
        title = 'the newest variant against %s (ns/op):' % args.baseline
    return title, rows


def _paths(results, st):
    """(title, rows) of kernel paths: every path and folio kind of [1],
    against the same in [k]; of one directory, each with its interval."""
    rows = []
    for c in results[0].cases.values():
        if c.error:
            continue
        if len(results) == 1:
            v = st.case_value(c)
            lo, hi = st.interval(c)
            if v is not None and lo is not None:
                rows.append((c.label, v, v, '%9.4g  [%.4g, %.4g]'
                             % (v, lo, hi), False))
            continue
        for k, r in enumerate(results[1:], 2):
            o = r.cases.get(c.name)
            cell = _cell(st, c, o) if o and not o.error else None
            if cell:
                tag = ' [%d]' % k if len(results) > 2 else ''
                rows.append((c.label + tag,) + cell)
    if len(results) == 1:
        return 'each path on each folio kind, ns/page [95% interval]:', rows
    return 'each path on each folio kind, [2] against [1] (ns/page of ' \
        '[1]):', rows


def _multi(results, st, args):
    """(title, rows): each case of [1] against the same case in [k]."""
    kernel = all(r.kind == 'kernel' for r in results)
    rows = []
    for k, r in enumerate(results[1:], 2):
        scen = r.scenarios()
        for sc, cases in results[0].scenarios().items():
            shown = [c for c in cases if not c.is_floor and not c.error]
            if kernel:
                base = next((c for c in shown if c.variant == 'kernel'),
                            None)
            else:
                base = pick_baseline(shown, args.baseline)
            other = [c for c in scen.get(sc, []) if base and
                     (c.variant == base.variant if kernel
                      else c.label == base.label)]
            if not base or not other:
                continue
            cell = _cell(st, base, other[0])
            if cell:
                tag = ' [%d]' % k if len(results) > 2 else ''
                rows.append((_row_label(sc) + tag,) + cell)
    what = "the kernel's own compound_head()" if kernel else args.baseline
    return '%s, [2] against [1] (ns/op of [1]):' % what, rows


def _system(res, tag, out):
    s, m = res.system, res.meta
    line = (s.get('machine') or {}).get('line')
    out += wrap('%s%s%s' % (tag, s.get('cpu_model', '?'),
                            '; ' + line if line else ''), '    ')
    k = m.get('kernel') or {}
    kern = s.get('kernel', '?').split()[0]
    extra = ''
    if k:
        extra = '; %s tails%s' % (k.get('encoding', '?'), '; TIMINGS from '
                                  + k['virtualized'] if k.get('virtualized')
                                  else '')
    out += wrap('Linux %s, %s%s' % (kern, s.get('compiler', '?'), extra),
                '    ', '    ')


def mail_summary(results, st, args, report_path):
    """The summary's lines."""
    out = ['chbench summary: %s' % ' vs '.join(r.name for r in results)]
    out[0] = out[0][:WIDTH]
    for k, r in enumerate(results, 1):
        tag = '[%d] ' % k if len(results) > 1 else ''
        _system(r, tag, out)
        out += wrap('Noise floor: ' + noise_floor(r, st), '    ')
        for _, text in load_field(r.meta):
            if text.startswith('FLAGGED'):
                out += wrap('Load: ' + text, '    ')
    out.append('')
    if all(r.kind == 'kernel-paths' for r in results):
        title, rows = _paths(results, st)
    elif len(results) == 1:
        title, rows = _single(results[0], st, args)
    else:
        title, rows = _multi(results, st, args)
    fam = st.family
    out += wrap(title)
    out += wrap('change [95%% interval]; * a difference at %.1f%% '
                'confidence, after Benjamini-Hochberg over the report\'s '
                '%d comparisons' % (st.confidence, fam['size']))
    rows.sort(key=lambda r: (not r[4], -r[2]))
    room = MAX_LINES - len(out) - 4
    for label, _, _, text, _ in rows[:room]:
        out.append(('  ' + label[:LABEL - 3]).ljust(LABEL) + text)
    claimed = sum(1 for r in rows if r[4])
    tail = ('%d of %d rows claim a difference' % (claimed, len(rows)))
    if len(rows) > room:
        tail += ('; the %d with the smallest changes are left out here'
                 % (len(rows) - room))
    out += wrap(tail + '.')
    out.append('')
    out += wrap('Every case, counter and plot: %s' % report_path)
    return [ln.rstrip() for ln in out]
