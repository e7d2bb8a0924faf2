"""Statistics of many integer-coded variables at once, from their code counts.

The per-variable computation (:func:`coprod.analysis.stats.common.code_counts` and
:func:`~coprod.analysis.stats.common.counted_stats`, one variable at a time) is the reference;
this module does the same arithmetic on a stack of variables that share their number of codes,
so a survey of 150 Likert items costs a few array operations instead of 150 rounds of small
ones.  Sums run over the codes of one variable in the same order and length as the reference,
so every number is the same, bit for bit; variables whose sums might not be exact in floating
point (huge codes, very many respondents) are left to the reference.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from coprod.analysis.stats import common as _common
from coprod.analysis.stats.common import MAX_CODES

#: Beyond this, n * sum(x^2) might not be exact as a float: such variables take the per-variable path.
EXACT = 2.0 ** 52


def countable(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which columns of ``X`` (rows x variables, NaN = missing) are integer codes that can be counted.

    Returns ``(ok, lo, K)``: ``ok`` a boolean per column (some valid value, all integers, spanning
    fewer than MAX_CODES codes, none beyond 2^31, sums exact), ``lo`` the smallest value and ``K``
    the number of codes lo..max (0 where not ``ok``).

    >>> ok, lo, K = countable(np.array([[1.0, 0.5, np.nan], [3.0, 2.0, np.nan]]))
    >>> ok.tolist(), float(lo[0]), K.tolist()
    ([True, False, False], 1.0, [3, 0, 0])
    """
    rows, m = X.shape
    with np.errstate(invalid="ignore"):
        lo = np.fmin.reduce(X, axis=0) if rows else np.full(m, np.nan)
        hi = np.fmax.reduce(X, axis=0) if rows else np.full(m, np.nan)
        valid = ~np.isnan(X)
        n = valid.sum(axis=0)
        whole = ((X == np.floor(X)) | ~valid).all(axis=0)
        big = np.maximum(np.abs(lo), np.abs(hi))
        ok = (n > 0) & whole & (hi - lo < MAX_CODES) & (np.maximum(-lo, hi) < 2.0 ** 31) \
            & (big * big * n.astype(float) ** 2 < EXACT)
    K = np.where(ok, np.nan_to_num(hi - lo) + 1, 0).astype(np.int64)
    return ok, np.where(ok, lo, 0.0), K


def stacked_counts(X: np.ndarray, lo: np.ndarray, K: int, index: np.ndarray, k: int) -> np.ndarray:
    """Counts of the codes lo..lo + K - 1 of each column of ``X`` per block: an int64 array
    (variables, 1 + groups, K), block 0 every respondent, block j + 1 group j (``index`` j)."""
    m = X.shape[1]
    D = X - lo  # the cell numbers are formed in place as whole floats (exact), NaN staying NaN
    ok = ~np.isnan(D)
    D += (np.arange(m) * float((k + 1) * K))[None, :]
    D += ((index + 1) * float(K))[:, None]
    counts = np.bincount(D[ok].astype(np.int64), minlength=m * (k + 1) * K).reshape(m, k + 1, K)
    counts[:, 0] = counts.sum(axis=1)  # block 0: every respondent, also those without a group
    return counts


def stacked_stats(values: np.ndarray, counts: np.ndarray, probs: Sequence[float] = (0.25, 0.5, 0.75)) -> dict:
    """:func:`~coprod.analysis.stats.common.counted_stats` of every (variable, block) at once.

    ``values`` (variables, K) the codes, ``counts`` (variables, blocks, K).  Returns ``n``,
    ``mean``, ``var``, ``min``, ``max`` (variables, blocks) and ``q`` (probs, variables, blocks).
    """
    m, B, K = counts.shape
    n = counts.sum(axis=2)
    vi = values.astype(np.int64)[:, None, :]
    s1 = (counts * vi).sum(axis=2)
    s2 = (counts * (vi * vi)).sum(axis=2)
    has = n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(has, s1.astype(float) / n, np.nan)
        var = np.where(n > 1, (n * s2 - s1 * s1) / (n * (n - 1)), np.nan)  # exact integers, rounded once
    cum = np.cumsum(counts, axis=2)
    vals = np.broadcast_to(values[:, None, :], counts.shape)

    def order_stat(i):  # the (i + 1)-th smallest value of each (variable, block)
        pos = (cum < (i + 1)[..., None]).sum(axis=2)
        return np.take_along_axis(vals, np.minimum(pos, K - 1)[..., None], axis=2)[..., 0]

    n_safe = np.maximum(n, 1)
    out = {"n": n, "mean": mean, "var": var,
           "min": np.where(has, order_stat(np.zeros_like(n)), np.nan),
           "max": np.where(has, order_stat(n_safe - 1), np.nan)}
    out["q"] = _common.haverage_quantiles(order_stat, n, out["min"], out["max"], probs)
    return out


def stacked_moments(values: np.ndarray, counts: np.ndarray, n: np.ndarray, mean: np.ndarray) -> tuple[list, np.ndarray]:
    """The sums of the 2nd, 3rd and 4th powers of the deviations from the mean and the mode
    (the smallest of several) of every (variable, block), as
    :func:`~coprod.analysis.stats.moments.counted_extras` computes them for one variable."""
    dev = values[:, None, :] - mean[..., None]
    m = [np.where(n > 0, (counts * dev ** p).sum(axis=2), np.nan) for p in (2, 3, 4)]
    mode = np.take_along_axis(np.broadcast_to(values[:, None, :], counts.shape),
                              np.argmax(counts, axis=2)[..., None], axis=2)[..., 0]
    return m, np.where(n > 0, mode, np.nan)
