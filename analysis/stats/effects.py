"""Effect sizes of the group comparisons with their confidence intervals.

Cohen's d and Hedges' g, eta^2 (and omega^2 through the F it implies), Cramér's V and the
rank-biserial r; the intervals as R's ``effectsize`` (two-sided), the noncentrality solved to
full precision.
"""
from __future__ import annotations

import math

import numpy as np
from coprod.analysis.stats import specfun as special  # scipy.stats (~1 s) only where needed

from .chisq import brentq  # noqa: F401 (Brent's method as scipy.optimize.brentq, without it)


def _stats():
    from scipy import stats

    return stats


def _ncp_bounds(cdf, stat: float, conf_level: float, lower_limit: float | None,
                guess=None) -> tuple[float, float]:
    """Noncentrality parameters whose distributions put ``stat`` at the upper / lower tail probabilities.

    Solves cdf(stat, ncp) = 1 - a/2 (lower bound) and = a/2 (upper bound) with Brent's method.
    ``lower_limit`` (0 for F and chi-square) bounds the ncp from below: where even that value
    gives a cdf under the target, the bound is that limit (as R's ``effectsize``).  ``guess(target)``
    (optional) gives an approximate root and a step: the bracket is then found around it, which
    leaves Brent's method fewer steps to the same root (to 1e-13).
    """
    a = 1.0 - conf_level
    out = []
    for target in (1 - a / 2, a / 2):
        f = lambda nc: cdf(stat, nc) - target  # noqa: E731  decreasing in nc
        lo = lower_limit if lower_limit is not None else stat - 10 - 2 * abs(stat)
        flo = f(lo)
        if lower_limit is not None and flo <= 0:
            out.append(lo)
            continue
        near = guess(target) if guess is not None else None
        if near is not None:
            lo, flo, hi, fhi = _bracket(f, near, lo, flo)
        else:
            step = max(1.0, abs(stat))
            hi = stat + step
            while (fhi := f(hi)) > 0:
                hi += step
                step *= 2
        if lower_limit is None:
            while flo < 0:
                lo -= max(1.0, abs(lo))
                flo = f(lo)
        out.append(brentq(f, lo, hi, fa=flo, fb=fhi))  # the ends' values as found: not evaluated again
    return out[0], out[1]


def _bracket(f, near: tuple[float, float], limit: float, flimit: float) -> tuple[float, float, float, float]:
    """Ends lo < hi of a decreasing ``f`` with f(lo) > 0 >= f(hi), searched outwards from the approximate
    root ``near = (x, step)``, never below ``limit`` (where f is ``flimit`` > 0); with their values."""
    x, step = near
    lo = max(limit, x - step)
    flo = flimit if lo == limit else f(lo)
    grow = step
    if flo <= 0:  # the root lies below: search down (f(limit) > 0 stops it)
        while flo <= 0:
            hi, fhi = lo, flo
            grow *= 2
            lo = max(limit, lo - grow)
            flo = flimit if lo == limit else f(lo)
        return lo, flo, hi, fhi
    hi = max(limit, x) + step
    fhi = f(hi)
    while fhi > 0:  # the root lies above: search up
        lo, flo = hi, fhi
        grow *= 2
        hi += grow
        fhi = f(hi)
    return lo, flo, hi, fhi


_SQRT8 = math.sqrt(8.0)


def _ncf_guess(f: float, df1: float, df2: float):
    """An approximate noncentrality putting the F statistic ``f`` at a given cdf value, and a step for the
    bracket.  df1 F' is taken as chi'2(df1, ncp) (its mean df1 + ncp, variance 2 (df1 + 2 ncp) inflated by
    the denominator's 2 / df2, skewness sqrt(8) (df1 + 3 ncp) / (df1 + 2 ncp)^1.5), its quantile by
    Cornish and Fisher's first correction; that quantile, increasing in the ncp, is solved by bisection."""
    c = 2.0 / df2 if math.isfinite(df2) else 0.0
    df1, x = float(df1), float(df1 * f)

    def quantile(lam: float, z: float) -> float:  # floats and math: NumPy's scalars cost more than the arithmetic
        mean = df1 + lam
        var = 2.0 * (df1 + 2.0 * lam) + mean * mean * c
        skew = _SQRT8 * (df1 + 3.0 * lam) / (df1 + 2.0 * lam) ** 1.5
        return mean + math.sqrt(var) * (z + (z * z - 1.0) * skew / 6.0)

    def guess(target: float):
        z = float(special.ndtri(target))
        lo, hi = 0.0, max(1.0, 2.0 * x)
        for _ in range(60):
            if quantile(hi, z) >= x:
                break
            lo, hi = hi, 2.0 * hi
        else:  # the approximation never reaches f (a small df2): no guess
            return None
        for _ in range(30):  # bisection to 1e-9 of the range: far below the step
            mid = 0.5 * (lo + hi)
            if quantile(mid, z) < x:
                lo = mid
            else:
                hi = mid
        lam = 0.5 * (lo + hi)
        step = 0.1 * math.sqrt(2.0 * (df1 + 2.0 * lam) + (df1 + lam) ** 2 * c) + 0.05
        return (lam, step) if math.isfinite(step) else None

    return guess


def _j(df: float) -> float:
    """Hedges' exact small-sample correction factor J(df)."""
    return float(np.exp(special.gammaln(df / 2) - np.log(np.sqrt(df / 2)) - special.gammaln((df - 1) / 2)))


def cohens_d(a: np.ndarray, b: np.ndarray, conf_level: float = 0.95):
    """Cohen's d (pooled SD, a - b) and Hedges' g with noncentral-t confidence intervals.

    Returns ``d, (low, high), g, (low, high)``; the CIs as R's ``effectsize::cohens_d`` /
    ``hedges_g`` (two-sided), with the noncentrality solved exactly.

    >>> d, ci, g, gci = cohens_d(np.array([1., 2, 3, 4]), np.array([2., 3, 4, 5, 6]))
    >>> round(d, 6), round(g, 6)
    (-1.024695, -0.910137)
    """
    n1, n2 = len(a), len(b)
    df = n1 + n2 - 2
    sp = np.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / df)
    d = float((a.mean() - b.mean()) / sp)
    hn = 1 / n1 + 1 / n2
    t = d / np.sqrt(hn)
    if not np.isfinite(t):
        return d, (np.nan, np.nan), np.nan, (np.nan, np.nan)
    lo, hi = _ncp_bounds(lambda q, nc: _stats().nct.cdf(q, df, nc), t, conf_level, None)
    j = _j(df)
    ci = (lo * np.sqrt(hn), hi * np.sqrt(hn))
    return d, ci, d * j, (ci[0] * j, ci[1] * j)


def f_of(es: float, df1: float, df2: float) -> float:
    """The F statistic implied by an eta^2-like effect size (omega^2's interval is that F's, as in R).

    >>> round(f_of(0.5, 2, 10), 6)
    5.0
    """
    return (es / df1) / ((1 - es) / df2)


def eta2_ci(f: float, df1: float, df2: float, conf_level: float = 0.95) -> tuple[float, float]:
    """Two-sided CI for eta^2 by the noncentral F: ncp / (ncp + df2) at the ncp bounds (R ``effectsize``).

    >>> [round(v, 6) for v in eta2_ci(12.85, 2, 5)]
    [0.184681, 0.936267]
    """
    if not np.isfinite(f):
        return np.nan, np.nan
    lo, hi = _ncp_bounds(lambda q, nc: special.ncfdtr(df1, df2, nc, q) if nc > 0 else special.fdtr(df1, df2, q),
                         f, conf_level, 0.0, _ncf_guess(f, df1, df2))
    return lo / (lo + df2), hi / (hi + df2)


def cramers_v(chi2: float, n: int, r: int, c: int, df: int, conf_level: float = 0.95):
    """Cramér's V = sqrt(chi2 / (n (min(r, c) - 1))) with a noncentral chi-square CI.

    Returns ``v, low, high``.

    >>> [round(x, 6) for x in cramers_v(9.0, 9, 3, 6, 10)]
    [0.707107, 0.0, 0.841833]
    """
    m = n * (min(r, c) - 1)
    v = float(np.sqrt(chi2 / m))
    lo, hi = _ncp_bounds(lambda q, nc: special.chndtr(q, df, nc) if nc > 0 else special.chdtr(df, q),
                         chi2, conf_level, 0.0, _ncf_guess(chi2 / df, df, np.inf) if df > 0 else None)
    return v, float(np.sqrt(lo / m)), float(min(1.0, np.sqrt(hi / m)))


def rank_biserial(u1: float, n1: float, n2: float, conf_level: float = 0.95):
    """Rank-biserial r = 2 U1 / (n1 n2) - 1 (U1 counts pairs where group1 is higher) with a Fisher-z CI.

    SE of atanh(r) = sqrt((n1 + n2 + 1) / (3 n1 n2)), as R's ``effectsize::rank_biserial``.

    >>> [round(x, 6) for x in rank_biserial(0.0, 3, 3)]
    [-1.0, -1.0, -1.0]
    """
    r = 2 * u1 / (n1 * n2) - 1
    se = np.sqrt((n1 + n2 + 1) / (3 * n1 * n2))
    zc = special.ndtri(1 - (1 - conf_level) / 2)
    with np.errstate(divide="ignore"):
        rf = np.arctanh(r)
    return float(r), float(np.tanh(rf - zc * se)), float(np.tanh(rf + zc * se))
