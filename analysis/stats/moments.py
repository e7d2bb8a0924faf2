"""Shape and interval statistics of descriptives, with SPSS's formulas (PSPP DESCRIPTIVES / EXAMINE print the same)."""
from __future__ import annotations

import numpy as np

from coprod.analysis.stats.tdist import t_quantile  # not scipy.special: its import costs more than a describe

EXTRA_COLUMNS = ["variance", "range", "iqr", "mean_ci_low", "mean_ci_high", "skewness", "skewness_se",
                 "kurtosis", "kurtosis_se", "mode"]


def shape(n, m2, m3, m4) -> dict[str, np.ndarray]:
    """Skewness and kurtosis (SPSS's G1 and G2) with their standard errors, from the count ``n`` and
    the sums of the 2nd, 3rd and 4th powers of the deviations from the mean (arrays).

    G1 = n m3 / ((n - 1)(n - 2) s^3), SE = sqrt(6 n (n - 1) / ((n - 2)(n + 1)(n + 3)));
    G2 = n (n + 1) m4 / ((n - 1)(n - 2)(n - 3) s^4) - 3 (n - 1)^2 / ((n - 2)(n - 3)),
    SE = 2 SE(G1) sqrt((n^2 - 1) / ((n - 3)(n + 5))); s^2 = m2 / (n - 1).  NaN for fewer than
    3 (skewness) or 4 (kurtosis) values or no variation.

    >>> d = np.array([1.0, 2, 4, 8]) - 3.75
    >>> out = shape(np.array([4.0]), *[np.array([(d ** p).sum()]) for p in (2, 3, 4)])
    >>> round(float(out["skewness"][0]), 6), round(float(out["kurtosis"][0]), 6)
    (1.137624, 0.757656)
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.asarray(m2, dtype=float) / (n - 1)
        s = np.sqrt(var)
        ok3 = (n >= 3) & (var > 0)
        ok4 = (n >= 4) & (var > 0)
        g1 = np.where(ok3, n * m3 / ((n - 1) * (n - 2) * s ** 3), np.nan)
        se1 = np.where(n >= 3, np.sqrt(6 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3))), np.nan)
        g2 = np.where(ok4, n * (n + 1) * m4 / ((n - 1) * (n - 2) * (n - 3) * var ** 2)
                      - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)), np.nan)
        se2 = np.where(n >= 4, 2 * se1 * np.sqrt((n * n - 1) / ((n - 3) * (n + 5))), np.nan)
    return {"skewness": g1, "skewness_se": se1, "kurtosis": g2, "kurtosis_se": se2}


def mean_ci(mean, se, n, conf_level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """The t interval of the mean, mean -+ t(1 - a/2, n - 1) SE (NaN for fewer than two values).

    >>> [round(float(v[0]), 6) for v in mean_ci(np.array([5.0]), np.array([1.0]), np.array([10]))]
    [2.737843, 7.262157]
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        t = np.where(n > 1, t_quantile(np.maximum(n - 1, 1), 1 - (1 - conf_level) / 2), np.nan)
    return mean - t * se, mean + t * se


def counted_extras(values: np.ndarray, counts: np.ndarray, n: np.ndarray, mean: np.ndarray, var: np.ndarray,
                   se: np.ndarray, q: np.ndarray, mn: np.ndarray, mx: np.ndarray) -> dict[str, np.ndarray]:
    """The extra columns of integer codes from their counts per block (rows of ``counts``)."""
    m = [np.array([float((counts[b] * (values - mean[b]) ** p).sum()) if n[b] else np.nan
                   for b in range(len(n))]) for p in (2, 3, 4)]
    mode = np.array([values[int(np.argmax(c))] if c.sum() else np.nan for c in counts]) if counts.shape[1] \
        else np.full(len(n), np.nan)
    return extras(n, mean, var, se, q, mn, mx, m, mode)


def sorted_extras(S: np.ndarray, dev: np.ndarray, n: np.ndarray, mean: np.ndarray, var: np.ndarray,
                  se: np.ndarray, q: np.ndarray, mn: np.ndarray, mx: np.ndarray) -> dict[str, np.ndarray]:
    """The extra columns of every column of ``S`` (sorted, NaN last; ``n`` valid values each; ``dev``
    the deviations from the column means, 0 where missing)."""
    m = [(dev ** p).sum(axis=0) for p in (2, 3, 4)]
    mode = np.full(S.shape[1], np.nan)
    for j in range(S.shape[1]):
        if n[j]:
            vals, cnt = np.unique(S[: n[j], j], return_counts=True)
            mode[j] = vals[int(np.argmax(cnt))]  # the smallest of several modes, as SPSS
    return extras(n, mean, var, se, q, mn, mx, m, mode)


def extras(n, mean, var, se, q, mn, mx, m, mode) -> dict[str, np.ndarray]:
    """The extra columns from the counts, moments, quartiles ``q`` (3, ...), extremes, the sums of the
    2nd-4th powers of the deviations ``m`` and the mode (arrays of any one shape)."""
    lo, hi = mean_ci(mean, se, n)
    return {"variance": var, "range": mx - mn, "iqr": q[2] - q[0], "mean_ci_low": lo, "mean_ci_high": hi,
            **shape(n, *m), "mode": mode}
