"""Pairwise comparisons after a significant omnibus test: Tukey HSD, Games-Howell, Dunn, Bonferroni, Scheffé.

Each function takes the groups' data (a list of 1-D arrays in group order) and their labels and
returns rows of the ``posthoc`` table: ``variable, group1, group2, diff, se, statistic, p, p_adj,
ci_low, ci_high, method``.  ``diff`` is group1 minus group2 (pairs in group order).
"""
from __future__ import annotations

from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd

from coprod.analysis.stats import studentized

COLUMNS = ["variable", "group1", "group2", "diff", "se", "statistic", "p", "p_adj", "ci_low", "ci_high", "method"]

ADJUST_METHODS = {"holm": "holm", "fdr-bh": "fdr_bh", "bonferroni": "bonferroni", "none": None}


def adjust_p(p: Sequence[float], method: str) -> np.ndarray:
    """Multiple-testing adjustment (holm, fdr-bh, bonferroni, none) of the non-missing p-values.

    The same values as ``statsmodels.stats.multitest.multipletests`` with that method (tested):
    Holm's step-down max_(j<=i) min(1, (m - j + 1) p_(j)), Benjamini-Hochberg's step-up
    min_(j>=i) min(1, m p_(j) / j), Bonferroni's min(1, m p), over the m non-missing p-values
    in ascending order (ties in their original order).

    >>> adjust_p([0.01, 0.04, float("nan"), 0.03], "holm").round(4).tolist()
    [0.03, 0.06, nan, 0.06]
    >>> adjust_p([0.01, 0.04, 0.03], "fdr-bh").round(4).tolist()
    [0.03, 0.04, 0.04]
    """
    p = np.asarray(p, dtype=float)
    out = p.copy()
    method = ADJUST_METHODS[method]
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if method is None or m == 0:
        return out
    q = p[ok]
    order = np.argsort(q, kind="stable")
    qs = q[order]
    if method == "holm":
        adj = np.maximum.accumulate(np.minimum(1.0, qs * np.arange(m, 0, -1)))
    elif method == "fdr_bh":
        adj = np.minimum(1.0, np.minimum.accumulate((qs / (np.arange(1, m + 1) / m))[::-1])[::-1])
    else:
        adj = np.minimum(1.0, qs * m)
    res = np.empty(m)
    res[order] = adj
    out[ok] = res
    return out


def q_crit(conf_level: float, k: int, df) -> float | np.ndarray:
    """Studentized-range quantile, as ``scipy.stats.studentized_range.ppf(conf_level, k, df)``.

    By :func:`coprod.analysis.stats.studentized.ppf` (fixed quadrature and Newton's method,
    within 1e-9 relative of SciPy's integrating ``ppf``, which takes ~0.1-0.5 s per value).  A float
    for a scalar ``df``, an array for an array.

    >>> round(q_crit(0.95, 3, 20), 6)
    3.577935
    """
    out = studentized.ppf(float(conf_level), int(k), df)
    return float(out[0]) if np.ndim(df) == 0 else out


def studentized_range_sf(q, k: int, df) -> np.ndarray:
    """Upper tail of the studentized range, as ``scipy.stats.studentized_range.sf(q, k, df)``.

    By :func:`coprod.analysis.stats.studentized.sf`, vectorised over ``q`` and ``df``.

    >>> studentized_range_sf([3.0, 4.0], 3, [20.0, 5000.0]).round(6).tolist()
    [0.110757, 0.013036]
    """
    return studentized.sf(q, int(k), df)


def _pooled(ys: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Group sizes and means, the within-group df N - k and the pooled variance MSE."""
    n = np.array([len(y) for y in ys], dtype=float)
    means = np.array([y.mean() for y in ys])
    df = n.sum() - len(ys)
    mse = sum(((y - y.mean()) ** 2).sum() for y in ys) / df
    return n, means, df, mse


def tukey(ys: Sequence[np.ndarray], labels: Sequence[str], variable: str = "", conf_level: float = 0.95) -> pd.DataFrame:
    """Tukey HSD (Tukey-Kramer for unequal n), as ``scipy.stats.tukey_hsd``.

    ``se`` is sqrt(MSE (1/n_i + 1/n_j)) as SPSS prints it; ``statistic`` is the studentized
    range q = diff / sqrt(MSE / 2 (1/n_i + 1/n_j)); ``p`` is P(Q > |q|) for k groups and N - k
    df, already family-wise (``p_adj = p``); the interval is scipy's ``confidence_interval()``.

    >>> t = tukey([np.array([1., 2, 3]), np.array([4., 5, 6]), np.array([2., 3, 4])], ["a", "b", "c"])
    >>> t[["group1", "group2", "diff"]].values.tolist()
    [['a', 'b', -3.0], ['a', 'c', -1.0], ['b', 'c', 2.0]]
    """
    return pd.DataFrame(tukey_rows(ys, labels, variable, conf_level), columns=COLUMNS)


def tukey_rows(ys: Sequence[np.ndarray], labels: Sequence[str], variable: str, conf_level: float) -> list[dict]:
    """The rows of :func:`tukey`, each a dict of its :data:`COLUMNS`: a caller comparing many variables makes
    one frame of all their rows (``compare`` does; a frame each costs more)."""
    k = len(ys)
    n, means, df, mse = _pooled(ys)
    q = q_crit(conf_level, k, df) / np.sqrt(2)
    pairs = list(combinations(range(k), 2))
    se = np.array([np.sqrt(mse * (1 / n[i] + 1 / n[j])) for i, j in pairs])
    diff = np.array([means[i] - means[j] for i, j in pairs])
    stat = diff / (se / np.sqrt(2))
    p = studentized_range_sf(np.abs(stat), k, df) if pairs else np.array([])
    return [{"variable": variable, "group1": labels[i], "group2": labels[j], "diff": diff[c], "se": se[c],
             "statistic": stat[c], "p": float(p[c]), "p_adj": float(p[c]), "ci_low": diff[c] - q * se[c],
             "ci_high": diff[c] + q * se[c], "method": "tukey"} for c, (i, j) in enumerate(pairs)]


def games_howell(ys: Sequence[np.ndarray], labels: Sequence[str], variable: str = "",
                 conf_level: float = 0.95) -> pd.DataFrame:
    """Games-Howell comparisons (unequal variances), as SPSS/PSPP's GH.

    Written here because neither scipy nor statsmodels provides it.  For each pair:
    se = sqrt(s_i^2/n_i + s_j^2/n_j), t = diff / se, Welch-Satterthwaite df, p from the
    studentized range with k groups at q = |t| sqrt(2), CI diff -+ q_crit / sqrt(2) se.
    ``statistic`` is t; ``p`` is family-wise (``p_adj = p``).

    >>> t = games_howell([np.array([1., 2, 3]), np.array([4., 6, 8])], ["a", "b"])
    >>> round(float(t.loc[0, "se"]), 6)
    1.290994
    """
    return pd.DataFrame(games_howell_rows(ys, labels, variable, conf_level), columns=COLUMNS)


def games_howell_rows(ys: Sequence[np.ndarray], labels: Sequence[str], variable: str, conf_level: float) -> list[dict]:
    """The rows of :func:`games_howell`, each a dict of its :data:`COLUMNS` (see :func:`tukey_rows`)."""
    k = len(ys)
    n = np.array([len(y) for y in ys], dtype=float)
    means = np.array([y.mean() for y in ys])
    var = np.array([y.var(ddof=1) for y in ys])
    rows = []
    pairs = list(combinations(range(k), 2))
    parts = []
    for i, j in pairs:
        a, b = var[i] / n[i], var[j] / n[j]
        se = np.sqrt(a + b)
        diff = means[i] - means[j]
        df = (a + b) ** 2 / (a ** 2 / (n[i] - 1) + b ** 2 / (n[j] - 1))
        parts.append((se, diff, df, diff / se))
    dfs = np.array([df for _, _, df, _ in parts])
    ps = studentized_range_sf([abs(t) * np.sqrt(2) for *_, t in parts], k, dfs) if parts else []
    qs = q_crit(conf_level, k, dfs) / np.sqrt(2) if parts else []
    for (i, j), (se, diff, df, t), p, q in zip(pairs, parts, ps, qs):
        p = float(p)
        rows.append({"variable": variable, "group1": labels[i], "group2": labels[j], "diff": diff, "se": se,
                     "statistic": t, "p": p, "p_adj": p, "ci_low": diff - q * se, "ci_high": diff + q * se,
                     "method": "games-howell"})
    return rows


def dunn(rank_sums: np.ndarray, n: np.ndarray, tie_sum: float, labels: Sequence[str], variable: str = "",
         adjust: str = "holm") -> pd.DataFrame:
    """Dunn's test from the groups' rank sums (ranks of all groups pooled), tie-corrected.

    Written here because neither scipy nor statsmodels provides it.  As ``FSA::dunnTest`` /
    ``dunn.test``: z = (mean rank_i - mean rank_j) / sqrt((N(N+1)/12 - sum(t^3 - t) / (12 (N - 1)))
    (1/n_i + 1/n_j)); ``p`` two-sided from the normal distribution, ``p_adj`` by ``adjust``
    over the pairs.  ``diff`` is the mean-rank difference, ``se`` its standard error,
    ``statistic`` z.  ``tie_sum`` is sum(t^3 - t) over tied values.

    >>> t = dunn(np.array([6., 15.]), np.array([3, 3]), 0.0, ["a", "b"])
    >>> round(float(t.loc[0, "statistic"]), 6)
    -1.963961
    """
    return pd.DataFrame(dunn_rows(rank_sums, n, tie_sum, labels, variable, adjust), columns=COLUMNS)


def dunn_rows(rank_sums: np.ndarray, n: np.ndarray, tie_sum: float, labels: Sequence[str], variable: str,
               adjust: str) -> list[dict]:
    """The rows of :func:`dunn`, each a dict of its :data:`COLUMNS` (``p_adj`` over this variable's pairs;
    see :func:`tukey_rows`)."""
    from coprod.analysis.stats.specfun import ndtr

    n = np.asarray(n, dtype=float)
    N = n.sum()
    mr = np.asarray(rank_sums, dtype=float) / n
    s2 = N * (N + 1) / 12.0 - tie_sum / (12.0 * (N - 1))
    rows = []
    for i, j in combinations(range(len(n)), 2):
        se = np.sqrt(s2 * (1 / n[i] + 1 / n[j]))
        diff = mr[i] - mr[j]
        z = diff / se
        rows.append({"variable": variable, "group1": labels[i], "group2": labels[j], "diff": diff, "se": se,
                     "statistic": z, "p": float(2 * ndtr(-abs(z))), "p_adj": np.nan,
                     "ci_low": np.nan, "ci_high": np.nan, "method": f"dunn ({adjust})"})
    for r, q in zip(rows, adjust_p(np.array([r["p"] for r in rows], dtype=float), adjust)):
        r["p_adj"] = float(q)
    return rows


def pooled_pairs(ys: Sequence[np.ndarray], labels: Sequence[str], variable: str = "", method: str = "bonferroni",
                 conf_level: float = 0.95) -> pd.DataFrame:
    """Bonferroni or Scheffé comparisons with the pooled within-group variance (MSE), as PSPP ONEWAY /POSTHOC.

    se = sqrt(MSE (1/n_i + 1/n_j)), ``statistic`` t = diff / se (df = N - k).  Bonferroni: p =
    min(1, m 2 P(T > |t|)) over the m = k(k - 1)/2 pairs, CI diff -+ t(1 - a/(2m)) se.  Scheffé:
    p = P(F(k - 1, N - k) > t^2 / (k - 1)), CI diff -+ sqrt((k - 1) F(1 - a)) se.  ``p`` is
    family-wise already (``p_adj = p``).  Distributions as ``scipy.special`` has them (:mod:`analysis.stats.specfun`).

    >>> t = pooled_pairs([np.array([2., 3, 5]), np.array([6., 7, 4]), np.array([8., 9, 7])], ["a", "b", "c"])
    >>> [round(v, 6) for v in t["p"]]
    [0.248441, 0.017861, 0.248441]
    """
    return pd.DataFrame(pooled_pairs_rows(ys, labels, variable, method, conf_level), columns=COLUMNS)


def pooled_pairs_rows(ys: Sequence[np.ndarray], labels: Sequence[str], variable: str, method: str,
                       conf_level: float) -> list[dict]:
    """The rows of :func:`pooled_pairs`, each a dict of its :data:`COLUMNS` (see :func:`tukey_rows`)."""
    k = len(ys)
    n, means, df, mse = _pooled(ys)
    m = k * (k - 1) / 2
    a = 1 - conf_level
    from coprod.analysis.stats import specfun as special

    if method == "scheffe":
        crit = np.sqrt((k - 1) * special.fdtri(k - 1, df, conf_level))
    else:
        crit = special.stdtrit(df, 1 - a / (2 * m))
    rows = []
    for i, j in combinations(range(k), 2):
        se = np.sqrt(mse * (1 / n[i] + 1 / n[j]))
        diff = means[i] - means[j]
        t = diff / se
        if method == "scheffe":
            p = float(special.fdtrc(k - 1, df, t * t / (k - 1)))
        else:
            p = float(min(1.0, m * 2 * special.stdtr(df, -abs(t))))
        rows.append({"variable": variable, "group1": labels[i], "group2": labels[j], "diff": diff, "se": se,
                     "statistic": t, "p": p, "p_adj": p, "ci_low": diff - crit * se, "ci_high": diff + crit * se,
                     "method": method})
    return rows
