"""What SPSS and jamovi print beside the group tests: the mean difference of a t test with its interval,
the exact Mann-Whitney p and the Hodges-Lehmann shift, Brown-Forsythe's F and the ANOVA table, and the
cells, likelihood-ratio and Yates chi-squares and odds ratio of a contingency table.

Each function returns a dict of ``tests`` columns (or table rows); :mod:`analysis.stats.grouptests`
adds them to the tests' results.
"""
from __future__ import annotations

import numpy as np
from coprod.analysis.stats import specfun as special  # scipy.stats' own functions, without SciPy

#: Mann-Whitney's exact p is given for groups of at most this many answers without ties (SPSS's convention).
EXACT_MAX_N = 30
#: The Hodges-Lehmann shift is left empty beyond this many distinct pairs of values (continuous data in the
#: thousands); answer codes have few.
MAX_PAIRS = 4_000_000


def mean_difference(a: np.ndarray, b: np.ndarray, equal_var: bool, conf_level: float = 0.95) -> dict:
    """Mean difference a - b with its standard error and t interval (pooled or Welch's SE and df), as PSPP T-TEST.

    >>> d = mean_difference(np.array([2.0, 3, 5]), np.array([6.0, 7, 4]), equal_var=True)
    >>> [round(d[k], 6) for k in ("mean_diff", "se_diff", "diff_ci_low", "diff_ci_high")]
    [-2.333333, 1.247219, -5.796169, 1.129502]
    """
    n1, n2 = len(a), len(b)
    v1, v2 = a.var(ddof=1), b.var(ddof=1)
    if equal_var:
        df = n1 + n2 - 2
        se = np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / df * (1 / n1 + 1 / n2))
    else:
        q1, q2 = v1 / n1, v2 / n2
        se = np.sqrt(q1 + q2)
        with np.errstate(invalid="ignore", divide="ignore"):
            df = (q1 + q2) ** 2 / (q1 ** 2 / (n1 - 1) + q2 ** 2 / (n2 - 1))
    diff = float(a.mean() - b.mean())
    t = special.stdtrit(df, 1 - (1 - conf_level) / 2) if np.isfinite(df) else np.nan
    return {"mean_diff": diff, "se_diff": float(se), "diff_ci_low": float(diff - t * se),
            "diff_ci_high": float(diff + t * se)}


def _wilcox_counts(m: int, n: int) -> np.ndarray:
    """Number of arrangements giving each U = 0 .. m n (the Gaussian binomial coefficient [m + n, m])."""
    poly = [1] + [0] * (m * n)
    for i in range(1, m + 1):  # multiply by (1 - q^(n + i)) / (1 - q^i), exactly in integers
        for u in range(m * n, n + i - 1, -1):
            poly[u] -= poly[u - n - i]
        for u in range(i, m * n + 1):
            poly[u] += poly[u - i]
    return np.array(poly, dtype=object)


def _wilcox_cdf(m: int, n: int) -> np.ndarray:
    c = _wilcox_counts(m, n)
    total = sum(c)
    cum = np.cumsum(c)
    return np.array([int(x) / total for x in cum])  # Python's int division rounds correctly


def exact_mw_p(u: float, n1: int, n2: int) -> float:
    """Two-sided exact p of Mann-Whitney's U without ties: 2 P(U <= min(U, n1 n2 - U)), at most 1
    (SPSS's "Exact Sig. [2*(1-tailed Sig.)]", R's ``wilcox.test(exact = TRUE)``).

    >>> round(exact_mw_p(0.0, 3, 4), 6)
    0.057143
    """
    cdf = _wilcox_cdf(n1, n2)
    lo = int(round(min(u, n1 * n2 - u)))
    return float(min(1.0, 2 * cdf[lo]))


def hodges_lehmann(a: np.ndarray, b: np.ndarray, exact: bool, conf_level: float = 0.95) -> dict:
    """Hodges-Lehmann shift a - b (the median of the pairwise differences) with its interval.

    As R's ``wilcox.test(a, b, conf.int = TRUE)``: with ``exact`` (no ties, small groups) the
    limits are the differences at the ``qwilcox`` quantiles; otherwise the differences where the
    normal approximation of the shifted rank-sum statistic (tie-corrected, with continuity
    correction, R's default) crosses the quantiles, found by bisection over the sorted differences
    (R's ``uniroot`` finds the same points to its tolerance, 1e-4).

    >>> h = hodges_lehmann(np.array([1.0, 2, 3.5]), np.array([4.0, 5, 6, 7]), exact=True)
    >>> h["hl_estimate"], h["hl_ci_low"], h["hl_ci_high"]
    (-3.25, -6.0, -0.5)
    """
    nan = {"hl_estimate": np.nan, "hl_ci_low": np.nan, "hl_ci_high": np.nan}
    ua, ca = np.unique(a, return_counts=True)
    ub, cb = np.unique(b, return_counts=True)
    if ua.size * ub.size > MAX_PAIRS:
        return nan
    # the pairwise differences as distinct values with their counts (few for answer codes)
    diffs, inv = np.unique(np.subtract.outer(ua, ub).ravel(), return_inverse=True)
    cum = np.cumsum(np.bincount(inv.ravel(), weights=np.outer(ca, cb).ravel()).astype(np.int64))
    m = int(cum[-1])

    def order(i: int) -> float:  # the i-th smallest difference (1-based)
        return float(diffs[np.searchsorted(cum, i)])

    est = order((m + 1) // 2) if m % 2 else (order(m // 2) + order(m // 2 + 1)) / 2
    alpha = 1 - conf_level
    n1, n2 = len(a), len(b)
    if exact:
        cdf = _wilcox_cdf(n1, n2)
        qu = int(np.searchsorted(cdf, alpha / 2 * (1 - 64 * np.finfo(float).eps)))  # smallest q: P(U <= q) >= alpha/2
        qu = max(qu, 1)
        return {"hl_estimate": est, "hl_ci_low": order(qu), "hl_ci_high": order(n1 * n2 - qu + 1)}
    zq = special.ndtri(1 - alpha / 2)
    return {"hl_estimate": est, "hl_ci_low": _crossing(a, b, diffs, zq), "hl_ci_high": _crossing(a, b, diffs, -zq)}


def average_ranks(x: np.ndarray) -> np.ndarray:
    """Mid-ranks (ties get the mean of their ranks) of a 1-D array without NaN: the algorithm of
    ``scipy.stats.rankdata(x, method="average")``, whose import costs about a second.

    >>> average_ranks(np.array([0.5, 0.2, 0.5, 1.5])).tolist()
    [2.5, 1.0, 2.5, 4.0]
    """
    x = np.ravel(x)
    sorter = np.argsort(x, kind="mergesort")
    inv = np.empty(sorter.size, dtype=np.intp)
    inv[sorter] = np.arange(sorter.size, dtype=np.intp)
    xs = x[sorter]
    obs = np.r_[True, xs[1:] != xs[:-1]]
    dense = obs.cumsum()[inv]
    count = np.r_[np.nonzero(obs)[0], len(obs)]
    return 0.5 * (count[dense] + count[dense - 1] + 1)


def _wdiff(a: np.ndarray, b: np.ndarray, d: float, zq: float) -> float:
    """R's ``wdiff``: the continuity-corrected z of the rank sum of a - d among b, minus ``zq``."""
    n1, n2 = len(a), len(b)
    x = np.concatenate([a - d, b])
    r = average_ranks(x)
    _, t = np.unique(x, return_counts=True)
    dz = r[:n1].sum() - n1 * (n1 + 1) / 2 - n1 * n2 / 2
    sigma = np.sqrt(n1 * n2 / 12 * ((n1 + n2 + 1) - (t ** 3 - t).sum() / ((n1 + n2) * (n1 + n2 - 1))))
    if sigma == 0:
        return -zq
    return (dz - np.sign(dz) * 0.5) / sigma - zq


def _crossing(a, b, diffs: np.ndarray, zq: float) -> float:
    """The difference (``diffs``: the distinct ones, sorted) at which ``_wdiff`` (decreasing in d)
    changes sign: the step where it crosses zero."""
    u = diffs
    lo, hi = 0, len(u) - 1
    if _wdiff(a, b, u[lo], zq) <= 0:
        return float(u[lo])
    if _wdiff(a, b, u[hi], zq) >= 0:
        return float(u[hi])
    while hi - lo > 1:  # f(u[lo]) > 0 > f(u[hi])
        mid = (lo + hi) // 2
        f = _wdiff(a, b, u[mid], zq)
        if f == 0:
            return float(u[mid])
        lo, hi = (mid, hi) if f > 0 else (lo, mid)
    # between u[lo] and u[hi] no rank changes: the sign changes at u[lo] itself when it is already <= 0 just after it
    mid = (u[lo] + u[hi]) / 2
    return float(u[hi] if _wdiff(a, b, mid, zq) > 0 else u[lo])


def brown_forsythe(n: np.ndarray, means: np.ndarray, var: np.ndarray) -> dict:
    """Brown-Forsythe's F for equal means: SSB / sum((1 - n_i / N) s_i^2), df2 by Satterthwaite.

    >>> bf = brown_forsythe(np.array([3.0, 3, 3]), np.array([3.333333333, 5.666666667, 8.0]), np.array([7 / 3, 7 / 3, 1.0]))
    >>> round(bf["bf_f"], 4), round(bf["bf_df2"], 4)
    (8.6471, 5.4019)
    """
    N = n.sum()
    grand = (n * means).sum() / N
    ssb = float((n * (means - grand) ** 2).sum())
    w = (1 - n / N) * var
    den = w.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        f = ssb / den
        c = w / den
        df2 = 1.0 / (c ** 2 / (n - 1)).sum()
    df1 = float(len(n) - 1)
    return {"bf_f": float(f), "bf_df1": df1, "bf_df2": float(df2), "bf_p": float(special.fdtrc(df1, df2, f))}


def anova_rows(variable: str, ssb: float, ssw: float, df1: float, df2: float) -> list[dict]:
    """The classic ANOVA table of one variable (PSPP ONEWAY): between, within and total."""
    msb, msw = ssb / df1, ssw / df2
    f = msb / msw
    p = float(special.fdtrc(df1, df2, f))
    nan = np.nan
    return [{"variable": variable, "source": "between", "ss": ssb, "df": df1, "ms": msb, "f": f, "p": p},
            {"variable": variable, "source": "within", "ss": ssw, "df": df2, "ms": msw, "f": nan, "p": nan},
            {"variable": variable, "source": "total", "ss": ssb + ssw, "df": df1 + df2, "ms": nan, "f": nan, "p": nan}]


def table_extras(counts: np.ndarray, conf_level: float = 0.95) -> dict:
    """Likelihood-ratio chi-square; for a 2 x 2 table also Yates's chi-square and the odds ratio
    (first group's odds of the first answer over the second group's) with Woolf's log interval.

    >>> e = table_extras(np.array([[2, 1], [1, 5]]))
    >>> round(e["lr_chisq"], 6), round(e["yates_chisq"], 6), e["odds_ratio"]
    (2.231436, 0.5625, 10.0)
    """
    t = counts.astype(float)
    exp = t.sum(1, keepdims=True) * t.sum(0, keepdims=True) / t.sum()
    df = (t.shape[0] - 1) * (t.shape[1] - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = 2.0 * float(np.where(t > 0, t * np.log(t / exp), 0.0).sum())
    out = {"lr_chisq": g, "lr_p": float(special.chdtrc(df, g))}
    if t.shape == (2, 2):
        min_dev = np.minimum(0.5, np.abs(t - exp))
        yates = float(((np.abs(t - exp) - min_dev) ** 2 / exp).sum())
        a, b, c, d = t.ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            odds = a * d / (b * c)
            se = np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        z = special.ndtri(1 - (1 - conf_level) / 2)
        ok = np.isfinite(odds) and odds > 0
        out.update(yates_chisq=yates, yates_p=float(special.chdtrc(1, yates)), odds_ratio=float(odds),
                   or_ci_low=float(np.exp(np.log(odds) - z * se)) if ok else np.nan,
                   or_ci_high=float(np.exp(np.log(odds) + z * se)) if ok else np.nan)
    return out


def cell_rows(variable: str, counts: np.ndarray, groups: list, values: list) -> list[dict]:
    """Each cell of the groups x answers table: count, expected count and adjusted standardised residual
    (O - E) / sqrt(E (1 - row / N) (1 - column / N)), as PSPP CROSSTABS /CELLS=EXPECTED ASRESID."""
    t = counts.astype(float)
    N = t.sum()
    rs, cs = t.sum(1), t.sum(0)
    exp = np.outer(rs, cs) / N
    adj = (t - exp) / np.sqrt(exp * np.outer(1 - rs / N, 1 - cs / N))
    return [{"variable": variable, "group": groups[i], "value": values[j], "count": counts[i, j].item(),
             "expected": float(exp[i, j]), "residual_adj": float(adj[i, j])}
            for i in range(t.shape[0]) for j in range(t.shape[1])]


#: Tables as probable as the observed one within this relative error count as "as extreme" (R's fisher.test).
FISHER_REL_ERR = 1 + 1e-7


def fisher_2x2(counts: np.ndarray) -> tuple[float, float]:
    """Fisher's exact test of a 2 x 2 table: ``(sample odds ratio, two-sided p)``, as
    ``scipy.stats.fisher_exact`` (whose import costs about a second).

    The p-value is the total hypergeometric probability of the tables with the observed margins that
    are no more probable than the observed one (within R's relative tolerance 1e-7); 1 when a row or
    column is empty, and then the odds ratio is NaN (infinite when a denominator cell is 0).

    >>> fisher_2x2(np.array([[8, 2], [1, 5]]))  # R: fisher.test(matrix(c(8, 1, 2, 5), 2))$p.value
    (20.0, 0.03496503496503...)
    """
    c = np.asarray(counts, dtype=np.int64)
    rows, cols = c.sum(axis=1), c.sum(axis=0)
    if (rows == 0).any() or (cols == 0).any():
        return np.nan, 1.0
    odds = float(c[0, 0] * c[1, 1] / (c[1, 0] * c[0, 1])) if c[1, 0] > 0 and c[0, 1] > 0 else np.inf
    n1, n2, k = int(rows[0]), int(rows[1]), int(cols[0])
    x = np.arange(max(0, k - n2), min(n1, k) + 1)  # the first cell of every table with these margins
    logp = (special.gammaln(n1 + 1) - special.gammaln(x + 1) - special.gammaln(n1 - x + 1)
            + special.gammaln(n2 + 1) - special.gammaln(k - x + 1) - special.gammaln(n2 - k + x + 1)
            - special.gammaln(n1 + n2 + 1) + special.gammaln(k + 1) + special.gammaln(n1 + n2 - k + 1))
    as_extreme = logp <= logp[int(c[0, 0]) - x[0]] + np.log(FISHER_REL_ERR)
    if as_extreme.all():
        return odds, 1.0
    return odds, float(min(1.0, np.exp(logp[as_extreme]).sum()))
