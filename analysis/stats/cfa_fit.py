"""Fit indices of :mod:`analysis.stats.cfa`, computed as lavaan 0.6 computes them.

* chi-square: N F_ML (``likelihood = "normal"``); df: the sample moments (p(p + 3)/2 per group)
  minus the free parameters; p from the chi-square distribution;
* baseline: the independence model (free means and variances in every group, no equality
  constraints), chi-square sum_g n_g (sum_j log s_jj - log|S_g|) with complete data;
* CFI = 1 - max(X2 - df, 0) / max(X2 - df, X2_b - df_b, 0) (1 when both are 0);
  TLI = 1 - ((X2 - df) df_b) / ((X2_b - df_b) df) (Bentler 1990; Tucker & Lewis 1973);
* RMSEA = sqrt(max(X2 / (N df) - 1 / N, 0)) sqrt(G) and its 90% interval from the noncentral
  chi-square (Steiger 1990; the sqrt(G) as lavaan and Mplus for several groups);
* SRMR: Bentler's, the root mean square of the covariance residuals divided by the sample
  standard deviations and of the mean residuals divided by them, over p(p + 1)/2 + p moments
  per group, averaged over groups weighted by n_g / N;
* nested models: the chi-square difference test; with a scaled statistic the Satorra-Bentler
  (2001) scaled difference.
"""
from __future__ import annotations

import numpy as np

from coprod.analysis.stats import chisq as _chisq
from coprod.analysis.stats.cfa_model import Moments
from coprod.analysis.stats.tdist import normal_quantile


def baseline_chisq(moments: list[Moments]) -> tuple[float, int]:
    """Chi-square and df of the independence model (complete data)."""
    x2, df = 0.0, 0
    for m in moments:
        p = len(m.mean)
        _, logdet = np.linalg.slogdet(m.cov)
        x2 += m.n * (np.log(np.diag(m.cov)).sum() - logdet)
        df += p * (p - 1) // 2
    return float(x2), df


def cfi(x2: float, df: float, x2_b: float, df_b: float) -> float:
    t1 = max(x2 - df, 0.0)
    t2 = max(x2 - df, x2_b - df_b, 0.0)
    if abs(t1) < 1e-8 and abs(t2) < 1e-8:
        return 1.0
    return 1.0 - t1 / t2


def tli(x2: float, df: float, x2_b: float, df_b: float) -> float:
    t1 = (x2 - df) * df_b
    t2 = (x2_b - df_b) * df
    if df > 0 and abs(t2) > 0:
        return 1.0 - t1 / t2
    return 1.0


def rmsea(x2: float, df: float, n: float, groups: int = 1, c_hat: float = 1.0) -> float:
    if df <= 0:
        return 0.0
    return float(np.sqrt(max(x2 / n / df - c_hat / n, 0.0)) * np.sqrt(groups))


def rmsea_ci(x2: float, df: float, n: float, groups: int = 1, level: float = 0.90,
             c_hat: float = 1.0) -> tuple[float, float]:
    """The noncentral chi-square interval of RMSEA (lavaan's lav_fit_rmsea_ci)."""
    if not (np.isfinite(x2) and np.isfinite(df)) or df < 1:
        return 0.0, 0.0
    hi_p, lo_p = 1 - (1 - level) / 2, (1 - level) / 2

    def cdf(lam):
        return _chisq.ncx2_cdf(x2, df, lam)

    def scale(lam):
        return float(np.sqrt(c_hat * lam / (n * df)) * np.sqrt(groups))

    at0 = cdf(0.0)
    z = normal_quantile(hi_p)
    lower = upper = 0.0
    if at0 - hi_p >= 0:
        lower = scale(_root(cdf, hi_p, z, df, x2, 0.0, x2, at0 - hi_p) or 0.0)
    if at0 - lo_p >= 0:  # none when even the top of the bracket leaves more than lo_p below x2
        upper = scale(_root(cdf, lo_p, -z, df, x2, 0.0, max(n, 4 * x2), at0 - lo_p) or 0.0)
    return lower, upper


def _root(cdf, p: float, z: float, df: float, x2: float, lo: float, hi: float, f_lo: float) -> float | None:
    """The noncentrality in [lo, hi] where ``cdf`` (falling) is p, or None when cdf(hi) is above p.

    Brent's method, on a bracket narrowed first around the root of the normal approximation
    X2 ~ N(df + l, 2 (df + 2 l)) (z: the normal p quantile): each narrowing keeps a sign change, so the
    root is the same, found in fewer evaluations (and cdf(hi) is needed only when they find none).
    """
    a, z2 = x2 - df, z * z
    disc = max(4.0 * a * z2 + 4.0 * z2 * z2 + 2.0 * z2 * df, 0.0) ** 0.5
    t = a + 2.0 * z2 + (disc if z < 0 else -disc)
    step = 0.5 * (2.0 * (df + 2.0 * max(t, 0.0))) ** 0.5

    def fn(lam):
        return cdf(lam) - p

    f_hi = None
    for _ in range(2):
        if not lo < t < hi:
            break
        ft = fn(t)
        if ft == 0.0:
            return t
        if ft > 0:  # the root is above t
            lo, f_lo, t = t, ft, t + step
        else:
            hi, f_hi, t = t, ft, t - step
    if f_hi is None:
        f_hi = fn(hi)
        if f_hi > 0:
            return None
    return _chisq.brentq(fn, lo, hi, xtol=1e-12, fa=f_lo, fb=f_hi)


def srmr(moments: list[Moments], implied: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """Bentler's SRMR with the mean structure, weighted over groups by n_g / N."""
    N = sum(m.n for m in moments)
    total = 0.0
    for m, (Sigma, mu) in zip(moments, implied):
        p = len(mu)
        sd = np.sqrt(np.diag(m.cov))
        R = (m.cov - Sigma) / np.outer(sd, sd)
        lower = 0.5 * ((R * R).sum() + (np.diag(R) ** 2).sum())  # the lower triangle with the diagonal
        r_mean = (m.mean - mu) / sd
        value = np.sqrt((lower + (r_mean ** 2).sum()) / (p * (p + 1) / 2 + p))
        total += m.n / N * value
    return float(total)


def chisq_p(x2: float, df: float) -> float:
    if df <= 0:
        return np.nan
    return _chisq.chisq_sf(x2, df)


def difference(x2_1: float, df_1: int, x2_0: float, df_0: int, c_1: float = 1.0, c_0: float = 1.0):
    """Chi-square difference of a more constrained model (1) against a less constrained one (0).

    With scaling factors c (a scaled test) the Satorra-Bentler (2001) scaled difference
    (T1 - T0) / cd, cd = (df_1 c_1 - df_0 c_0) / (df_1 - df_0), from the unscaled statistics;
    lavaan's ``lavTestLRT(method = "satorra.bentler.2001")``.  Returns (statistic, df, p).
    """
    ddf = df_1 - df_0
    if ddf <= 0:
        return np.nan, ddf, np.nan
    stat = x2_1 - x2_0
    if c_1 != 1.0 or c_0 != 1.0:
        cd = (df_1 * c_1 - df_0 * c_0) / ddf
        stat = stat / cd
    stat = max(stat, 0.0)
    return float(stat), ddf, _chisq.chisq_sf(stat, ddf)
