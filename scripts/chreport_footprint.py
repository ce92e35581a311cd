# SPDX-License-Identifier: GPL-2.0
"""The vmemmap footprint section of report.txt: per layout, the bytes
of vmemmap 1 TiB of HugeTLB RAM keeps, from 'chbench footprint --json'
(arithmetic and measurement) or, without it, from the arithmetic alone.
"""
import json
import subprocess

from chreport_text import wrap
from plots import fmt_bytes

LAYOUTS = ['none', 'hvo-2page', 'hvo-fake-head', 'hvo-shared-tail']


def footprint(results, chbench, out):
    """vmemmap per layout, next to the speed, when a run used HVO."""
    used = {c.layout for r in results for c in r.cases.values()}
    if not any(u.startswith('hvo-') for u in used):
        return
    tables, note = footprint_tables(chbench)
    out.append('vmemmap footprint per 1 TiB of RAM, all of it HugeTLB')
    out.extend(wrap(note) + [''])
    for size, rows in tables.items():
        measured = rows[0].get('measured') is not None
        head = ('%-17s%15s' % (size + ' HugeTLB', 'arithmetic') +
                ('%17s' % 'measured' if measured else '') + '%9s' % 'saved')
        out.append(head + ('  agree' if measured else ''))
        none = next(r['arith'] for r in rows if r['layout'] == 'none')
        for r in rows:
            line = '%-17s%15s' % (r['layout'] + '*' * (r['layout'] in used),
                                  fmt_bytes(r['arith']))
            if measured:
                line += '%17s' % fmt_bytes(r['measured'])
            line += '%8.2f%%' % (100.0 * (none - r['arith']) / none)
            if measured:
                line += '  ' + ('yes' if r['agree'] else 'NO')
            out.append(line)
        out.append('')
    out.extend(wrap('* in this run. hvo-shared-tail keeps one read-only '
                    'page of tails per order and node besides: the '
                    '"+ 4 KiB".') + [''])


def footprint_arith(layout, order, ram=1 << 40):
    """The vmemmap pages kept per folio, 4 KiB each (README.md, layouts)."""
    per_folio = (64 << order) // 4096
    keep = {'none': per_folio, 'hvo-2page': 2, 'hvo-fake-head': 1,
            'hvo-shared-tail': 1}[layout]
    return (ram >> (12 + order)) * keep * 4096 + \
        (4096 if layout == 'hvo-shared-tail' else 0)


def footprint_tables(chbench):
    """
    'chbench footprint --json' when the binary has it (arithmetic and
    measurement); else the arithmetic alone, done here.
    """
    try:
        if not chbench:
            raise OSError('no chbench')
        p = subprocess.run([chbench, 'footprint', '--json'],
                           capture_output=True, text=True, timeout=600)
        got = json.loads(p.stdout) if p.returncode == 0 else None
        tables = {t['hugetlb']: [{'layout': r['layout'],
                                  'arith': int(r['arithmetic']),
                                  'measured': int(r['measured']),
                                  'agree': bool(r['agree'])}
                                 for r in t['layouts']]
                  for t in got['sizes']}
        t = got['sizes'][0]
        return tables, (
            'Arithmetic from the layouts\' definitions; measured by '
            'chbench footprint as the resident bytes of the emulated '
            'vmemmap at %s of RAM, times %d. The shared tail page does not '
            'scale with RAM, so its measurement is high by up to %d pages.'
            % (fmt_bytes(t['measured_mem']), t['scale'], t['scale'] - 1))
    except (OSError, ValueError, KeyError, TypeError, IndexError,
            subprocess.TimeoutExpired):
        pass
    tables = {size: [{'layout': lay, 'arith': footprint_arith(lay, order)}
                     for lay in LAYOUTS]
              for size, order in (('2 MiB', 9), ('1 GiB', 18))}
    return tables, ('By arithmetic from the layouts\' definitions '
                    '(no chbench with a footprint command to measure it).')
