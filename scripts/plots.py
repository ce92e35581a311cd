# SPDX-License-Identifier: GPL-2.0
"""gnuplot plots of chbench results, for scripts/report.

Three kinds, each as PNG and SVG (to attach) and as text from gnuplot's
dumb terminal (to paste into a mail; at most 76 columns):
  bars  ns/op per variant, grouped by mix, one file per walk, memmap size
        and code shape; error bars are the 95% interval;
  mem   ns/op against memmap size (log x), one line per variant, from
        'chbench sweep mem';
  tail  branch-misses/op against tail fraction (ns/op where the PMU has no
        branch-misses), one line per variant, from 'chbench sweep tail'.
With several results directories, each file has one panel per directory.
Every value and error bar is the report's: the estimate of the case and
its 95% interval, as 'chbench compare' gives them (scripts/chreport_stats).
Each file's .dat and .gp stay in plots/, so 'gnuplot X.gp' redraws it.
"""
import os
import re
import shutil
import subprocess
import textwrap

# the pen characters of gnuplot's dumb terminal, linetype 1, 2, ...
DUMB_PENS = '*#$%@&='
# A variant's colours, by its place in chbench's registry: dark on its
# suite layout, pale elsewhere; a floor's, by its layout's place.
PALETTE = [('#7f7f7f', '#c7c7c7'), ('#d62728', '#ff9896'),
           ('#1f77b4', '#aec7e8'), ('#2ca02c', '#98df8a')]
FLOOR_PALETTE = ['#000000', '#8c564b', '#d62728', '#9467bd']
PX_WIDTH, PX_PANEL = 1000, 440


class NoGnuplot(Exception):
    pass


def q(s):
    """A gnuplot single-quoted string."""
    return "'" + s.replace("'", "''") + "'"


def qq(s, width):
    """A gnuplot double-quoted string, wrapped to lines of width."""
    s = s.replace('\\', '\\\\').replace('"', '\\"')
    return '"%s"' % '\\n'.join(textwrap.wrap(s, width))


def slug(*parts):
    return '-'.join(re.sub(r'[^A-Za-z0-9.-]+', '_', str(p)).strip('_')
                    for p in parts)


def size_name(n):
    """
    64M, 16G, 4K: for the ticks of an axis (the sizes of cases come as
    chbench prints them, mem_text).
    """
    for unit, name in ((40, 'T'), (30, 'G'), (20, 'M'), (10, 'K')):
        if n and not n % (1 << unit):
            return '%d%s' % (n >> unit, name)
    return str(n)


def style(c, i):
    """linecolor and dashtype of a case: by variant, paler off its layout."""
    if c.is_floor:
        lr = c.layout_rank
        return 'lc rgb %s dt 2' % q(FLOOR_PALETTE[lr] if lr is not None and
                                    lr < len(FLOOR_PALETTE) else '#000000')
    if c.rank is None or c.rank >= len(PALETTE):
        return 'lc %d' % (i + 1)
    dark, pale = PALETTE[c.rank]
    return 'lc rgb %s dt 1' % q(dark if c.natural else pale)


def caption(results, r):
    """The machine; with several directories, which one this is."""
    if len(results) == 1:
        return '%s (%s)' % (r.machine(), r.system.get('host', r.name))
    return '[%d] %s: %s' % (results.index(r) + 1, r.name, r.machine())


class Plot:
    """One figure: a data block and a plot command per results directory."""

    def __init__(self, stem, title, xlabel, ylabel):
        self.stem, self.title = stem, title
        self.xlabel, self.ylabel = xlabel, ylabel
        self.panels = []        # dicts: caption, data, gfx, txt, pre
        self.setup = []         # commands shared by every panel
        self.gfx_setup = []     # ... in PNG and SVG only
        self.txt_setup = []     # ... in text only
        self.text_rows = 24

    def write(self, where, gnuplot):
        # a result set with nothing for this figure (a bench run next to
        # a sweep) gets no panel: gnuplot refuses an empty plot command
        self.panels = [p for p in self.panels if p['gfx'] and p['txt']]
        if not self.panels:
            return None
        dat = self.stem + '.dat'
        blocks = ['\n'.join(p['data']) for p in self.panels]
        with open(os.path.join(where, dat), 'w') as f:
            f.write('\n\n\n'.join(blocks) + '\n')
        n = len(self.panels)
        out = []
        for term, ext, body in (
                ('pngcairo size %d,%d font "sans,10" noenhanced'
                 % (PX_WIDTH, PX_PANEL * n + 40), 'png', 'gfx'),
                ('svg size %d,%d font "sans,10" noenhanced dynamic'
                 % (PX_WIDTH, PX_PANEL * n + 40), 'svg', 'gfx'),
                ('dumb size 76,%d noenhanced' % (self.text_rows * n + 2),
                 'txt', 'txt')):
            out += ['set terminal ' + term,
                    'set output %s' % q(self.stem + '.' + ext),
                    'set multiplot layout %d,1 title %s'
                    % (n, qq(self.title, 72 if ext == 'txt' else 150)),
                    'set xlabel %s' % q(self.xlabel),
                    'set ylabel %s' % q(self.ylabel)] + self.setup
            if ext == 'txt':
                out += self.txt_setup + ['set key below Left reverse',
                                         'unset mxtics', 'unset mytics']
            else:
                out += self.gfx_setup + [
                    'set key outside right top Left reverse']
            for k, p in enumerate(self.panels):
                out += ['set title %s' % qq(p['caption'],
                                            72 if ext == 'txt' else 150),
                        'unset arrow', 'unset label'] + p['pre']
                cmds = p[body]
                out.append('plot ' + ', \\\n     '.join(
                    c.replace('@INDEX@', 'index %d' % k) for c in cmds))
            out += ['unset multiplot', 'set output', 'reset', '']
        gp = self.stem + '.gp'
        with open(os.path.join(where, gp), 'w') as f:
            f.write('# SPDX-License-Identifier: GPL-2.0\n'
                    '# written by scripts/report; gnuplot %s redraws\n' % gp
                    + 'set datafile missing "NaN"\n' + '\n'.join(out))
        p = subprocess.run([gnuplot, gp], cwd=where, capture_output=True,
                           text=True)
        if p.returncode:
            raise RuntimeError('gnuplot %s failed: %s'
                               % (os.path.join(where, gp), p.stderr.strip()))
        tidy_text(os.path.join(where, self.stem + '.txt'))
        return '%s.{png,svg,txt}' % self.stem


def tidy_text(path):
    """No form feed, no trailing blanks, no blank lines at either end."""
    with open(path) as f:
        lines = [ln.rstrip() for ln in f.read().replace('\f', '').split('\n')]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def spread(st, c, metric):
    """(estimate, lo, hi) of a case, the value for both ends where it has
    no interval; None where it has no value."""
    v = st.case_value(c, metric)
    if v is None:
        return None
    lo, hi = st.interval(c, metric)
    return (v, v if lo is None else lo, v if hi is None else hi)


def fmt_num(x):
    return 'NaN' if x is None else '%.6g' % x


def line_plots(results):
    """
    Series (scenarios that differ in one quantity) for the line plots:
    key -> its scenarios, by memmap size or by tail fraction.
    """
    mem, tail = {}, {}
    for r in results:
        for sc in r.scenarios():
            mem.setdefault((sc.mix, sc.walk, sc.shape), {}).setdefault(
                sc.mem, sc)
            if sc.tail_fraction is not None:
                tail.setdefault((sc.mix, sc.walk_kind, sc.mem, sc.shape),
                                {}).setdefault(sc.tail_fraction, sc)
    mem = {k: [v[x] for x in sorted(v)] for k, v in mem.items()
           if len(v) >= 3}
    tail = {k: [v[x] for x in sorted(v)] for k, v in tail.items()
            if len(v) >= 3}
    return mem, tail


def ordered(cases, baseline):
    """The cases, baseline first, then in the order the suite made them."""
    b = baseline([c for c in cases if not c.is_floor])
    return ([b] if b else []) + [c for c in cases if c is not b]


def bars(results, st, drawn, baseline):
    """ns/op per case, grouped by mix, one figure per walk/size/shape."""
    figs, some = {}, {}
    for r in results:
        for sc in r.scenarios():
            if sc not in drawn:
                figs.setdefault((sc.walk, sc.mem, sc.shape), []).append(
                    sc.mix)
                some.setdefault((sc.walk, sc.mem, sc.shape), sc)
    for (walk, size, shape), mixes in figs.items():
        mixes = list(dict.fromkeys(mixes))
        sc = some[(walk, size, shape)]
        p = Plot(slug('bars', walk, 'mem' + sc.mem_text, shape),
                 'ns/op per variant: %s walk, mem:%s (%s of memmap), %s'
                 % (walk, sc.mem_text, sc.memmap_text, shape),
                 'folio mix', 'ns/op (geometric mean; bars: 95% interval)')
        ymax = 0
        for r in results:
            scen = r.scenarios()
            labels = []
            for m in mixes:
                cases = ordered(scen.get((m, walk, size, shape), []),
                                baseline)
                labels += [c.label for c in cases
                           if not c.is_floor and c.label not in labels]
            first = {}
            for m in mixes:
                for c in scen.get((m, walk, size, shape), []):
                    first.setdefault(c.label, c)
            data = ['# mix, then ns/op geometric mean, 95%% interval lo hi '
                    'per case: %s' % ', '.join(labels)]
            for m in mixes:
                row = [m]
                by = {c.label: c for c in scen.get((m, walk, size, shape), [])}
                for lab in labels:
                    s = spread(st, by[lab], 'ns/op') if lab in by else None
                    row += [fmt_num(x) for x in (s or (None,) * 3)]
                    ymax = max(ymax, s[2] if s else 0)
                data.append(' '.join(row))
            gfx, txt = [], []
            for i, lab in enumerate(labels):
                col = 2 + 3 * i
                using = "'%s' @INDEX@ using %d:%d:%d%s" % (
                    p.stem + '.dat', col, col + 1, col + 2,
                    ':xtic(1)' if not i else '')
                gfx.append('%s title %s %s' % (using, q(lab),
                                               style(first[lab], i)))
                txt.append("'%s' @INDEX@ using %d%s title %s" % (
                    p.stem + '.dat', col, ':xtic(1)' if not i else '',
                    q('%s %s' % (DUMB_PENS[i % 7] * 3, lab))))
            p.panels.append({'caption': caption(results, r), 'data': data,
                             'gfx': gfx, 'txt': txt, 'pre': []})
        p.setup = ['set style data histograms',
                   'set style fill solid 0.85 border -1',
                   'set yrange [0:%g]' % (ymax * 1.1 or 1),
                   'set xrange [-0.6:%g]' % (len(mixes) - 0.4)]
        p.gfx_setup = ['set style histogram errorbars gap 2 lw 1',
                       'set grid ytics']
        # no error bars or grid in text: at 76 columns they hide the bars
        p.txt_setup = ['set style histogram clustered gap 1']
        p.text_rows = 26 + len(labels)
        yield p


def lines(results, st, key, scs, what, baseline):
    """
    ns/op (or br-misses/op) against memmap size or tail fraction: scs
    are the series' scenarios, in order along x.
    """
    info = results[0].chb.info
    if what == 'mem':
        mix, walk, shape = key
        metric = 'ns/op'
        stem = slug('mem', mix, walk, shape)
        title = 'ns/op against memmap size: %s, %s walk, %s' % (
            mix, walk, shape)
        xlabel = ('memmap size, bytes (K, M, G: KiB, MiB, GiB; log scale; '
                  '%d per %s of RAM)' % (info['struct_page_size'],
                                         info['page_size_text']))
    else:
        mix, walk, size, shape = key
        size = scs[0].mem_text
        metric = 'branch-misses/op'
        ran = [c for r in results for c in r.cases.values()
               if 'ns/op' in c.reps]
        if not all(metric in c.reps for c in ran):
            metric = 'ns/op'
        stem = slug('tail', mix, walk, 'mem' + size, shape)
        title = '%s against tail fraction: %s, %s walk, mem:%s, %s' % (
            metric, mix, walk, size, shape)
        if metric == 'ns/op':
            title += ' (no PMU: ns/op, not branch-misses/op)'
        xlabel = 'fraction of lookups that hit a tail page'
    p = Plot(stem, title, xlabel, '%s (geometric mean; bars: 95%% interval)'
             % metric)
    ys = []
    for r in results:
        series = {}
        for sc, cases in r.scenarios().items():
            for c in ordered(cases, baseline):
                if what == 'mem' and (sc.mix, sc.walk, sc.shape) == key:
                    x = sc.memmap
                elif what == 'tail' and sc.tail_fraction is not None and \
                        (sc.mix, sc.walk_kind, sc.mem, sc.shape) == key:
                    x = sc.tail_fraction
                else:
                    continue
                series.setdefault(c.label, (c, []))[1].append(
                    (x, spread(st, c, metric)))
        blocks, gfx, txt = [], [], []
        for i, (lab, (c, pts)) in enumerate(series.items()):
            blocks.append('# %s: x, %s geometric mean, 95%% interval lo, '
                          'hi\n' % (lab, metric) +
                          '\n'.join('%s %s' % (fmt_num(x), ' '.join(
                              fmt_num(v) for v in (s or (None,) * 3)))
                              for x, s in sorted(pts)))
            ys += [v for _, s in pts if s for v in s[1:]]
            src = "'%s' @INDEX@ every :::%d::%d" % (p.stem + '.dat', i, i)
            gfx.append('%s using 1:2:3:4 with yerrorlines title %s %s pt %d'
                       % (src, q(lab), style(c, i), 7 if i < 4 else 6))
            txt.append('%s using 1:2 with linespoints title %s'
                       % (src, q(' ' + lab)))
        # every panel is one gnuplot index: the series are its sub-blocks
        p.panels.append({'caption': caption(results, r),
                         'data': ['\n\n'.join(blocks)], 'gfx': gfx,
                         'txt': txt,
                         'pre': cache_marks(r) if what == 'mem' else []})
    # one y range for every panel, so that they compare at a glance
    top = max(ys, default=1) or 1
    p.gfx_setup = ['set grid']
    if what == 'mem':
        lo, hi = scs[0].memmap / 1.3, scs[-1].memmap * 1.3
        tics = [1 << k for k in range(10, 50, 2) if lo <= 1 << k <= hi]
        bottom = min([y for y in ys if y > 0], default=top / 10)
        ytics = [m * 10.0 ** e for e in range(-3, 7) for m in (1, 2, 5)
                 if bottom / 1.2 <= m * 10.0 ** e <= top * 1.2]
        p.setup = ['set logscale x 2', 'set logscale y',
                   'set ytics (%s)' % ', '.join('%g' % t for t in ytics),
                   'set yrange [%g:%g]' % (bottom / 1.2, top * 1.2),
                   'set xrange [%g:%g]' % (lo, hi),
                   'set xtics (%s)' % ', '.join('%s %d' % (
                       q(size_name(t)), t) for t in tics)]
    else:
        p.setup = ['set yrange [0:%g]' % (top * 1.05),
                   'set xrange [-0.02:1.02]']
    p.text_rows = 30
    return p


def cache_marks(r):
    """Vertical lines at the cache sizes Google Benchmark found."""
    out = []
    for c in r.context.get('caches', []):
        if c.get('type') == 'Instruction':
            continue
        name = 'L%d%s' % (c['level'], 'd' if c['type'] == 'Data' else '')
        out += ['set arrow from %d, graph 0 to %d, graph 1 nohead back dt 3 '
                'lc rgb "#888888"' % (c['size'], c['size']),
                'set label %s at %d, graph 0.95 left offset 1.5,0 front'
                % (q(name), c['size'])]
    return out


def draw(results, st, where, baseline, width=76):
    """
    Draw every plot the results call for; returns their names. baseline
    picks, from a scenario's cases, the one to put first.
    """
    gnuplot = shutil.which('gnuplot')
    if not gnuplot:
        raise NoGnuplot('gnuplot not found, so no plots were drawn; install '
                        'the gnuplot-nox package (apt-get install '
                        'gnuplot-nox), then run the report again')
    os.makedirs(where, exist_ok=True)
    mem, tail = line_plots(results)
    drawn = set()
    figs = []
    for key, scs in mem.items():
        drawn |= set(scs)
        figs.append(lines(results, st, key, scs, 'mem', baseline))
    for key, scs in tail.items():
        drawn |= set(scs)
        figs.append(lines(results, st, key, scs, 'tail', baseline))
    figs += list(bars(results, st, drawn, baseline))
    made = [m for m in (f.write(where, gnuplot) for f in figs) if m]
    for m in made:
        txt = os.path.join(where, m.split('.{')[0] + '.txt')
        with open(txt) as f:
            wide = [ln for ln in f if len(ln.rstrip('\n')) > width]
        if wide:
            raise RuntimeError('%s: a line is over %d columns' % (txt, width))
    return made
