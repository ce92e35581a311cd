# SPDX-License-Identifier: GPL-2.0
"""The statistics of scripts/report: the value shown for a case, its
stddev, and whether two cases differ beyond the noise (Welch's t-test or
Mann-Whitney U, by scipy), counting the tests made and the differences
found.

The unit is the memmap instance, not the repetition: repetitions on one
instance share its physical pages, so they do not sample what changes
from one instance (or process) to the next. An instance's value is the
mean (Welch) or median (Mann-Whitney) of its repetitions; a case's is
the same statistic of its instance values, the stddev is between them,
and the tests run over them.
"""
import math

try:
    import numpy
    from scipy import stats
except ImportError:         # scripts/report says what to install
    numpy = stats = None

TESTS = {
    'welch': "Welch's t-test",
    'mwu': 'the Mann-Whitney U test',
}


class Stats:
    """The statistic, spread and test every table and plot uses."""

    # the fewest instances per case either test can star anything with
    NEEDS = {'welch': 2, 'mwu': 4}

    def __init__(self, test, alpha):
        self.test = test
        self.alpha = alpha
        self.nr_tests = 0
        self.nr_sig = 0
        self.nr_untested = 0    # too few instances to test
        self.seen = {}

    def value(self, xs):
        if not xs:
            return None
        if self.test == 'welch':
            return float(numpy.mean(xs))
        return float(numpy.median(xs))

    @staticmethod
    def stddev(xs):
        if len(xs) < 2:
            return None
        return float(stats.tstd(xs))

    def inst_values(self, c, metric='ns/op'):
        """A case's instance values for a metric."""
        return [self.value(xs) for xs in c.instances(metric)] if c else []

    def case_value(self, c, metric='ns/op'):
        return self.value(self.inst_values(c, metric)) if c else None

    def case_stddev(self, c, metric='ns/op'):
        """The spread between instances."""
        return self.stddev(self.inst_values(c, metric)) if c else None

    def pvalue(self, a, b):
        """Two-sided p-value; None when there is nothing to test."""
        if len(a) < 2 or len(b) < 2:
            return None
        if self.test == 'mwu':
            return stats.mannwhitneyu(a, b, alternative='two-sided').pvalue
        if self.stddev(a) == 0 and self.stddev(b) == 0:
            return 1.0 if self.value(a) == self.value(b) else 0.0
        return stats.ttest_ind(a, b, equal_var=False).pvalue

    def significant(self, a, b, metric):
        """Is case a's metric different from case b's? Counts each once."""
        key = (id(a), id(b), metric)
        if key not in self.seen:
            ia, ib = self.inst_values(a, metric), self.inst_values(b, metric)
            p = None
            if min(len(ia), len(ib)) >= self.NEEDS[self.test]:
                p = self.pvalue(ia, ib)
            elif ia and ib:
                self.nr_untested += 1
            self.seen[key] = p is not None and p < self.alpha
            self.nr_tests += p is not None
            self.nr_sig += self.seen[key]
        return self.seen[key]

    def test_pair(self, a, b, metric='ns/op'):
        """(p or None, instances of a, of b), counting nothing."""
        ia, ib = self.inst_values(a, metric), self.inst_values(b, metric)
        if min(len(ia), len(ib)) < self.NEEDS[self.test]:
            return None, len(ia), len(ib)
        return self.pvalue(ia, ib), len(ia), len(ib)

    def min_p(self, n):
        """The smallest two-sided p the test can give with n and n."""
        if self.test != 'mwu' or n < 1:
            return 0.0
        return 2 / math.comb(2 * n, n)

    @property
    def statistic(self):
        return 'mean' if self.test == 'welch' else 'median'
