"""Pairwise comparisons after a significant omnibus test: Tukey HSD, Games-Howell, Dunn.

Each function takes the groups' data (a list of 1-D arrays in group order) and their labels and
returns rows of the ``posthoc`` table: ``variable, group1, group2, diff, se, statistic, p, p_adj,
ci_low, ci_high, method``.  ``diff`` is group1 minus group2 (pairs in group order).
"""
from __future__ import annotations

from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

COLUMNS = ["variable", "group1", "group2", "diff", "se", "statistic", "p", "p_adj", "ci_low", "ci_high", "method"]

ADJUST_METHODS = {"holm": "holm", "fdr-bh": "fdr_bh", "bonferroni": "bonferroni", "none": None}


def adjust_p(p: Sequence[float], method: str) -> np.ndarray:
    """Multiple-testing adjustment (holm, fdr-bh, bonferroni, none) of the non-missing p-values.

    Uses ``statsmodels.stats.multitest.multipletests`` with the method given explicitly (its
    default is Holm-Sidak, which is not what researchers expect).

    >>> adjust_p([0.01, 0.04, float("nan"), 0.03], "holm").round(4).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p, dtype=float)
    out = p.copy()
    sm = ADJUST_METHODS[method]
    ok = ~np.isnan(p)
    if sm is None or ok.sum() == 0:
        return out
    out[ok] = multipletests(p[ok], method=sm)[1]
    return out


def tukey(ys: Sequence[np.ndarray], labels: Sequence[str], variable: str = "", conf_level: float = 0.95) -> pd.DataFrame:
    """Tukey HSD (Tukey-Kramer for unequal n) via ``scipy.stats.tukey_hsd``.

    ``se`` is sqrt(MSE (1/n_i + 1/n_j)) as SPSS prints it; ``statistic`` is the studentized
    range q = diff / sqrt(MSE / 2 (1/n_i + 1/n_j)); ``p`` is already family-wise (``p_adj = p``).

    >>> t = tukey([np.array([1., 2, 3]), np.array([4., 5, 6]), np.array([2., 3, 4])], ["a", "b", "c"])
    >>> t[["group1", "group2", "diff"]].values.tolist()
    [['a', 'b', -3.0], ['a', 'c', -1.0], ['b', 'c', 2.0]]
    """
    res = stats.tukey_hsd(*ys)
    ci = res.confidence_interval(confidence_level=conf_level)
    n = np.array([len(y) for y in ys], dtype=float)
    means = np.array([y.mean() for y in ys])
    df = n.sum() - len(ys)
    mse = sum(((y - y.mean()) ** 2).sum() for y in ys) / df
    rows = []
    for i, j in combinations(range(len(ys)), 2):
        se = np.sqrt(mse * (1 / n[i] + 1 / n[j]))
        diff = means[i] - means[j]
        rows.append({"variable": variable, "group1": labels[i], "group2": labels[j], "diff": diff, "se": se,
                     "statistic": diff / (se / np.sqrt(2)), "p": float(res.pvalue[i, j]),
                     "p_adj": float(res.pvalue[i, j]), "ci_low": float(ci.low[i, j]),
                     "ci_high": float(ci.high[i, j]), "method": "tukey"})
    return pd.DataFrame(rows, columns=COLUMNS)


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
    k = len(ys)
    n = np.array([len(y) for y in ys], dtype=float)
    means = np.array([y.mean() for y in ys])
    var = np.array([y.var(ddof=1) for y in ys])
    rows = []
    for i, j in combinations(range(k), 2):
        a, b = var[i] / n[i], var[j] / n[j]
        se = np.sqrt(a + b)
        diff = means[i] - means[j]
        df = (a + b) ** 2 / (a ** 2 / (n[i] - 1) + b ** 2 / (n[j] - 1))
        t = diff / se
        p = float(stats.studentized_range.sf(abs(t) * np.sqrt(2), k, df))
        q = stats.studentized_range.ppf(conf_level, k, df) / np.sqrt(2)
        rows.append({"variable": variable, "group1": labels[i], "group2": labels[j], "diff": diff, "se": se,
                     "statistic": t, "p": p, "p_adj": p, "ci_low": diff - q * se, "ci_high": diff + q * se,
                     "method": "games-howell"})
    return pd.DataFrame(rows, columns=COLUMNS)


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
                     "statistic": z, "p": float(2 * stats.norm.sf(abs(z))), "p_adj": np.nan,
                     "ci_low": np.nan, "ci_high": np.nan, "method": f"dunn ({adjust})"})
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["p_adj"] = adjust_p(out["p"].to_numpy(), adjust)
    return out
