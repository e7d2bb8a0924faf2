"""One numeric variable's answers in the groups a test compares: :class:`Sample` (every value) and,
for many answers coded as whole numbers, :class:`CountedSample` (their counts per group), with the
mid-ranks both take."""
from __future__ import annotations

from functools import cached_property

import numpy as np

from coprod.analysis.stats import grouptests_more as _more


def midranks(x: np.ndarray) -> tuple[np.ndarray, float]:
    """Mid-ranks of ``x`` and the tie sum sum(t^3 - t).

    Small-integer data (Likert answers) are ranked by counting, in linear time; anything else
    by sorting (``scipy.stats.rankdata``'s algorithm).  Either way one ranking per variable serves Mann-Whitney,
    Kruskal-Wallis and Dunn.

    >>> r, tie = midranks(np.array([2.0, 1, 2, 3]))
    >>> r.tolist(), tie
    ([2.5, 1.0, 2.5, 4.0], 6.0)
    """
    n = x.size
    if n and np.all(x == np.round(x)):
        lo, hi = x.min(), x.max()
        if hi - lo < 100_000:
            idx = (x - lo).astype(np.int64)
            table, tie = _counted_ranks(np.bincount(idx))
            return table[idx], tie
    r = _more.average_ranks(x)
    _, c = np.unique(x, return_counts=True)
    c = c.astype(float)
    return r, float((c ** 3 - c).sum())


def _counted_ranks(counts: np.ndarray) -> tuple[np.ndarray, float]:
    """The mid-rank of each value from how often each occurs (in the values' order), and the tie sum."""
    below = np.cumsum(counts) - counts
    c = counts.astype(float)
    return below + (counts + 1) / 2.0, float((c ** 3 - c).sum())


# --------------------------------------------------------------------------------- the data of a test
class Sample:
    """One numeric variable's valid values ``x`` with their group ``g`` (0 .. k - 1, in label order).

    Per group: ``n`` (float), ``means``, ``var`` (n - 1; NaN for a group of one) and the values
    ``ys``; over all values: mid-``ranks`` and the tie sum ``tie``.  Group sums are accumulated
    in the order of ``x``, so a sample and its :meth:`subset` agree to the last bit.

    >>> s = Sample(np.array([1.0, 2, 4, 6]), np.array([0, 0, 1, 1]), ["a", "b"])
    >>> s.k, s.N, s.means.tolist(), s.var.tolist()
    (2, 4.0, [1.5, 5.0], [0.5, 2.0])
    """

    def __init__(self, x: np.ndarray, g: np.ndarray, labels: list[str], conf_level: float = 0.95):
        self.x, self.g, self.labels, self.conf_level = x, g, list(labels), conf_level
        k = len(self.labels)
        self.n = np.bincount(g, minlength=k).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.means = np.bincount(g, weights=x, minlength=k) / self.n
            dev = x - self.means[g]
            self.var = np.bincount(g, weights=dev * dev, minlength=k) / (self.n - 1)

    @property
    def k(self) -> int:
        return len(self.labels)

    @property
    def N(self) -> float:
        return float(self.x.size)

    @cached_property
    def ys(self) -> list[np.ndarray]:
        return [self.x[self.g == j] for j in range(self.k)]

    @cached_property
    def _ranked(self) -> tuple[np.ndarray, float]:
        return midranks(self.x)

    @property
    def ranks(self) -> np.ndarray:
        return self._ranked[0]

    @property
    def tie(self) -> float:
        return self._ranked[1]

    def rank_sums(self) -> np.ndarray:
        return np.bincount(self.g, weights=self.ranks, minlength=self.k)

    def subset(self, keep: list[int]) -> "Sample":
        """The sample of the groups ``keep`` only (renumbered 0 ..), ranked anew; itself when all are kept."""
        if len(keep) == self.k:
            return self
        sel = np.isin(self.g, keep)
        remap = np.full(self.k, -1)
        remap[keep] = np.arange(len(keep))
        return Sample(self.x[sel], remap[self.g[sel]], [self.labels[j] for j in keep], self.conf_level)

    def constant(self) -> bool:
        """Whether every value is the same."""
        return bool(np.all(self.x == self.x[0]))

    def medians(self) -> np.ndarray:
        """The median of each group (NaN for an empty one)."""
        return np.array([float(np.median(self.x[self.g == j])) if self.n[j] else np.nan for j in range(self.k)])

    def grand_mean(self) -> float:
        return float(self.x.mean())

    def ssw(self) -> float:
        """The within-groups sum of squares."""
        return float(((self.x - self.means[self.g]) ** 2).sum())

    def abs_deviations(self, center: np.ndarray) -> tuple[np.ndarray, float]:
        """Per group, the mean of |x - center of its group|, and the sum of squares of those
        absolute deviations around their group means (Levene's test's ANOVA)."""
        z = np.abs(self.x - center[self.g])
        zbar = np.bincount(self.g, weights=z, minlength=self.k) / self.n
        return zbar, float(((z - zbar[self.g]) ** 2).sum())

    def levene(self, center: str = "mean") -> tuple[float, float]:
        """Levene's test of the groups (:func:`levene`, SciPy's arithmetic on each group's values)."""
        return levene(self.ys, center=center)


#: From this many values on, integer codes in a narrow range are compared from their counts per group.
COUNTED_MIN_N = 2000
_COUNTED_MAX_CODES = 1000


def sample_of(x: np.ndarray, g: np.ndarray, labels: list[str], conf_level: float = 0.95) -> Sample:
    """A :class:`Sample`, or for many answers coded as integers in a narrow range (Likert items)
    a :class:`CountedSample` with the same statistics from the counts of each code per group."""
    if x.size >= COUNTED_MIN_N:
        lo, hi = float(x.min()), float(x.max())
        if hi - lo < _COUNTED_MAX_CODES and abs(lo) < 2.0 ** 52 and abs(hi) < 2.0 ** 52:
            codes = x.astype(np.int64)
            if np.array_equal(codes, x):  # whole numbers
                k, c, low = len(labels), int(hi - lo) + 1, int(lo)
                codes += g * c - low
                counts = np.bincount(codes, minlength=k * c).reshape(k, c)
                return CountedSample(counts, lo + np.arange(c, dtype=float), labels, conf_level)
    return Sample(x, g, labels, conf_level)


class CountedSample(Sample):
    """A :class:`Sample` held as counts: ``counts[j, c]`` answers with the value ``values[c]`` in group j.

    Written for large files, where each statistic from the counts (a group x values table) replaces
    a pass over every answer: n, means and variances, mid-ranks, rank sums and ties, medians, the
    within-groups sum of squares and Levene's deviations.  The values themselves (``x``, ``g``,
    ``ys``, ``ranks``: by group, sorted within it) are rebuilt only for what needs them (two-group
    tests, post hoc comparisons).  Sums of integer codes are exact either way, so means, rank sums
    and medians equal those of :class:`Sample` to the bit; variances and sums of squares agree to
    rounding (tested).
    """

    def __init__(self, counts: np.ndarray, values: np.ndarray, labels: list[str], conf_level: float = 0.95):
        self.counts, self.values, self.labels, self.conf_level = counts, values, list(labels), conf_level
        self.n = counts.sum(axis=1).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.means = (counts @ values) / self.n
            self.var = (counts * self._dev(self.means) ** 2).sum(axis=1) / (self.n - 1)

    def _dev(self, center: np.ndarray) -> np.ndarray:
        """values - center of each group (an empty group's centre, NaN, taken as 0: it has no values)."""
        return self.values[None, :] - np.where(self.n > 0, center, 0.0)[:, None]

    @property
    def N(self) -> float:
        return float(self.n.sum())

    @cached_property
    def x(self) -> np.ndarray:
        return np.concatenate([np.repeat(self.values, row) for row in self.counts])

    @cached_property
    def g(self) -> np.ndarray:
        return np.repeat(np.arange(self.k), self.counts.sum(axis=1))

    @cached_property
    def ys(self) -> list[np.ndarray]:
        return [np.repeat(self.values, row) for row in self.counts]

    @cached_property
    def _midranks(self) -> tuple[np.ndarray, float]:
        """The mid-rank of each value and the tie sum, from the values' totals over the groups."""
        return _counted_ranks(self.counts.sum(axis=0))

    @cached_property
    def _ranked(self) -> tuple[np.ndarray, float]:
        table, tie = self._midranks
        return np.concatenate([np.repeat(table, row) for row in self.counts]), tie

    @property
    def tie(self) -> float:
        return self._midranks[1]

    def rank_sums(self) -> np.ndarray:
        return self.counts @ self._midranks[0]

    def subset(self, keep: list[int]) -> "Sample":
        if len(keep) == self.k:
            return self
        return CountedSample(self.counts[keep], self.values, [self.labels[j] for j in keep], self.conf_level)

    def constant(self) -> bool:
        return int((self.counts.sum(axis=0) > 0).sum()) <= 1

    def medians(self) -> np.ndarray:
        out = np.full(self.k, np.nan)
        for j, row in enumerate(self.counts):
            n = int(row.sum())
            if n:
                cum = np.cumsum(row)
                lo, hi = self.values[np.searchsorted(cum, (n - 1) // 2, side="right")], \
                    self.values[np.searchsorted(cum, n // 2, side="right")]
                out[j] = (lo + hi) / 2 if lo != hi else lo
        return out

    def grand_mean(self) -> float:
        return float((self.counts @ self.values).sum() / self.N)  # exact sums of codes, as x.mean()

    def ssw(self) -> float:
        return float((self.counts * self._dev(self.means) ** 2).sum())

    def abs_deviations(self, center: np.ndarray) -> tuple[np.ndarray, float]:
        z = np.abs(self._dev(center))
        zbar = (self.counts * z).sum(axis=1) / self.n
        return zbar, float((self.counts * (z - np.where(self.n > 0, zbar, 0.0)[:, None]) ** 2).sum())

    def levene(self, center: str = "mean") -> tuple[float, float]:
        """Levene's test from the counts: the same F and p as :func:`levene` of the values, to rounding."""
        zbar_i, dvar = self.abs_deviations(self.medians() if center == "median" else self.means)
        return _levene_f(self.n, zbar_i, dvar)


def levene(ys: list[np.ndarray], center: str = "mean") -> tuple[float, float]:
    """Levene's test as ``scipy.stats.levene(*ys, center=center)`` (tested): F and p.

    The one-way ANOVA of the absolute deviations from the group means (``center="median"``: the
    group medians, Brown and Forsythe's variant), with k - 1 and N - k df.

    >>> [round(v, 6) for v in levene([np.array([1., 2, 3, 4]), np.array([2., 4, 6, 8])])]
    [2.4, 0.172308]
    """
    ni = np.array([y.size for y in ys], dtype=float)
    mid = np.median if center == "median" else np.mean
    z = [np.abs(y - mid(y)) for y in ys]
    zbar_i = np.array([np.mean(zi) for zi in z])
    dvar = sum(np.sum((zi - m) ** 2) for zi, m in zip(z, zbar_i))
    return _levene_f(ni, zbar_i, dvar)


def _levene_f(ni: np.ndarray, zbar_i: np.ndarray, dvar: float) -> tuple[float, float]:
    """Levene's F and p from the group sizes, the groups' mean absolute deviations and the sum of squares
    of the deviations around those means."""
    from coprod.analysis.stats import specfun as special

    k, ntot = len(ni), ni.sum()
    zbar = float((zbar_i * ni).sum()) / ntot
    w = (ntot - k) * np.sum(ni * (zbar_i - zbar) ** 2) / ((k - 1.0) * dvar)
    return float(w), float(special.fdtrc(k - 1, ntot - k, w))
