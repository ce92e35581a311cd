# SPDX-License-Identifier: GPL-2.0
"""The vmemmap footprint section of report.txt: per layout, the bytes
of vmemmap 1 TiB of HugeTLB RAM keeps, every figure chbench's: the
footprint metadata.json recorded (arithmetic and measurement), else
'chbench footprint --json' now, else the arithmetic alone from 'chbench
list --json'.
"""
from chreport_text import wrap


def footprint(results, chb, measure, out):
    """vmemmap per layout, next to the speed, when a run used HVO."""
    used = {c.layout for r in results for c in r.cases.values()}
    if not any(chb.layout_hvo(u) for u in used):
        return
    sizes, note = footprint_tables(results, chb, measure)
    out.append('vmemmap footprint per 1 TiB of RAM, all of it HugeTLB')
    out.extend(wrap(note) + [''])
    for size in sizes:
        rows = size['layouts']
        measured = 'measured' in rows[0]
        head = ('%-17s%15s' % (size['hugetlb'] + ' HugeTLB', 'arithmetic') +
                ('%17s' % 'measured' if measured else '') + '%9s' % 'saved')
        out.append(head + ('  agree' if measured else ''))
        for r in rows:
            line = '%-17s%15s' % (r['layout'] + '*' * (r['layout'] in used),
                                  r['arithmetic_text'])
            if measured:
                line += '%17s' % r['measured_text']
            line += '%8.2f%%' % r['saved_pct']
            if measured:
                line += '  ' + ('yes' if r['agree'] else 'NO')
            out.append(line)
        out.append('')
    out.extend(wrap('* in this run. hvo-shared-tail keeps one read-only '
                    'page of tails per zone and order besides, as the '
                    'kernel does: the "+ %s" (RAM is one zone here).'
                    % chb.info['page_size_text']) + [''])


def footprint_tables(results, chb, measure):
    """
    The figures the run recorded in metadata.json; for results written
    before it did, 'chbench footprint --json' (unless measure is false),
    else the arithmetic alone.
    """
    got = next((r.meta['footprint'] for r in results
                if isinstance(r.meta.get('footprint'), dict)), None)
    if got is None and measure:
        got = chb.measured_footprint()
    if got is None:
        return chb.info['footprint']['sizes'], (
            'By arithmetic from the layouts\' definitions (no chbench '
            'with a footprint command to measure it).')
    t = got['sizes'][0]
    return got['sizes'], (
        'Arithmetic from the layouts\' definitions; measured by chbench '
        'footprint as the resident bytes of the emulated vmemmap at %s of '
        'RAM, times %d. The shared tail page does not scale with RAM, so '
        'its measurement is high by up to %d pages.'
        % (t['measured_mem_text'], t['scale'], t['tolerance_pages']))
