# SPDX-License-Identifier: GPL-2.0
"""The statistics of scripts/report: the value shown for a case (mean
or median of its repetitions), its stddev, and whether two cases differ
beyond the noise (Welch's t-test or Mann-Whitney U, by scipy), counting
the tests made and the differences found.
"""
import math

try:
    from scipy import stats
except ImportError:         # scripts/report says what to install
    stats = None

TESTS = {
    'welch': "Welch's t-test",
    'mwu': 'the Mann-Whitney U test',
}


class Stats:
    """The statistic, spread and test every table and plot uses."""

    def __init__(self, test, alpha):
        self.test = test
        self.alpha = alpha
        self.nr_tests = 0
        self.nr_sig = 0
        self.seen = {}

    def value(self, xs):
        if not xs:
            return None
        if self.test == 'welch':
            return sum(xs) / len(xs)
        xs = sorted(xs)
        mid = len(xs) // 2
        return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2

    @staticmethod
    def stddev(xs):
        if len(xs) < 2:
            return None
        m = sum(xs) / len(xs)
        return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))

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
            p = self.pvalue(a.reps.get(metric, []), b.reps.get(metric, []))
            self.seen[key] = p is not None and p < self.alpha
            self.nr_tests += p is not None
            self.nr_sig += self.seen[key]
        return self.seen[key]

    def min_p(self, n):
        """The smallest two-sided p the test can give with n and n."""
        if self.test != 'mwu' or n < 1:
            return 0.0
        return 2 / math.comb(2 * n, n)

    @property
    def statistic(self):
        return 'mean' if self.test == 'welch' else 'median'
