# SPDX-License-Identifier: GPL-2.0
"""The statistics of scripts/report, as the chbench binary computes them:
'chbench compare --baseline B DIR...' (report/stats.h, compare.h) gives
every case's estimate with its interval, every comparison the report
prints with its interval and verdict, the family they were controlled
over, and each directory's noise floor. Nothing is computed here: this
module only looks them up.

The estimate of a case is the geometric mean of its instance values (an
instance's value is the mean of its repetitions there), with a 95% t
interval on the log values; a comparison is the ratio of two such means,
with the interval of Welch's t on the log values; a difference is
claimed only after Benjamini-Hochberg over the whole family.
"""


class Stats:
    """What 'chbench compare' says of the results being reported."""

    def __init__(self, chb, results, baseline=None):
        """baseline: VARIANT[@LAYOUT], or None for chbench's default (the
        kernel before the series), which a scenario may lack."""
        self.doc = chb.json('compare', *(['--baseline', baseline]
                                         if baseline else []),
                            *[r.path for r in results])
        self.alpha = self.doc['alpha']
        self.confidence = self.doc['confidence']
        self.family = self.doc['family']
        self.cases, self.cmps = {}, {}
        for k, (r, d) in enumerate(zip(results, self.doc['dirs'])):
            r.index = k
            for c in list(r.cases.values()) + list(r.arms.values()):
                c.dir = k
            for name, c in d['cases'].items():
                self.cases[(k, name)] = c['metrics']
        for c in self.doc['comparisons']:
            key = (c['a'][0], c['a'][1], c['b'][0], c['b'][1], c['metric'])
            self.cmps[key] = c

    def estimate(self, c, metric='ns/op'):
        """{'n', 'estimate', 'lo', 'hi', ...} of a case, or None."""
        if c is None:
            return None
        return self.cases.get((c.dir, c.name), {}).get(metric)

    def case_value(self, c, metric='ns/op'):
        e = self.estimate(c, metric)
        return e['estimate'] if e else None

    def interval(self, c, metric='ns/op'):
        """(lo, hi) of a case's estimate; (None, None) with no interval."""
        e = self.estimate(c, metric) or {}
        return e.get('lo'), e.get('hi')

    def comparison(self, base, c, metric='ns/op'):
        """Case c against base, as chbench compared them, or None."""
        if base is None or c is None:
            return None
        return self.cmps.get((base.dir, base.name, c.dir, c.name, metric))

    def control(self, res):
        """The noise floor of a results directory, or None."""
        return self.doc['dirs'][res.index]['control']
