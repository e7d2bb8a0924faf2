"""Descriptive statistics per variable, overall and per respondent group."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from coprod.analysis.stats import common as _stats
from coprod.analysis.stats import counting as _counting
from coprod.analysis.stats import moments as _moments
from coprod.analysis.stats import weighting as _weighting

COLUMNS = ["variable", "label", "group", "n", "missing", "mean", "sd", "se", "median", "q1", "q3",
           "min", "max", "top_box", *_moments.EXTRA_COLUMNS]


def descriptives(data, items=None, by: str | None = None, top_box: Mapping[str, Sequence] | None = None,
                 weight: str | None = None, weight_type: str = "frequency") -> pd.DataFrame:
    """Descriptive statistics of numeric variables, overall and per group.

    Conventions (as SPSS/PSPP):

    * user-missing codes are missing (as are empty cells); each statistic uses the respondents
      with a valid value of that variable;
    * ``sd`` uses n - 1 (``ddof=1``); ``se = sd / sqrt(n)``;
    * ``median``, ``q1`` and ``q3`` are SPSS's default percentiles (HAVERAGE, R's type 6,
      numpy's ``method="weibull"``), not pandas' default (type 7);
    * ``top_box`` is the percentage (0-100) of valid answers among the codes that count as
      agreeing: from ``top_box`` when given, else from the instrument's choice list; NaN for
      variables without a top box;
    * ``variance`` (n - 1), ``range`` (max - min), ``iqr`` (q3 - q1), ``mean_ci_low`` /
      ``mean_ci_high`` (95% t interval of the mean), ``skewness`` and ``kurtosis`` (SPSS's G1
      and excess G2) with their standard errors ``skewness_se`` / ``kurtosis_se`` (SPSS's
      formulas), ``mode`` (the smallest of several, as SPSS).

    Parameters
    ----------
    data : Responses or DataFrame
    items : str or list of str, optional
        Item specification (see :mod:`analysis.items`); default every numeric variable except ``by``.
    by : str, optional
        Grouping variable; one row per variable and group besides the overall row.
    top_box : dict, optional
        ``{variable: codes}`` counting as agreeing.
    weight : str, optional
        Case weight variable (see :mod:`analysis.stats.weighting`).  Frequency weights, as
        SPSS/PSPP ``WEIGHT BY``: ``n`` and ``missing`` are sums of weights, the mean, variance
        (W - 1), SE (SD / sqrt(W)), t interval (W - 1 df), skewness and kurtosis are those of
        the data with each case repeated ``w`` times, the quartiles PSPP EXAMINE's weighted
        HAVERAGE; cases with a missing, zero or negative weight are left out.
    weight_type : {"frequency", "sampling"}
        ``"sampling"``: weighted mean with its design-based SE (Taylor linearisation, with
        replacement, no strata or clusters) and normal 95% interval as R ``survey``'s
        ``svymean`` (per group as ``svyby``), SD from ``svyvar``, quartiles as
        ``svyquantile(qrule = "math")``; skewness and kurtosis are empty; ``n`` counts respondents.

    Returns
    -------
    DataFrame
        Columns ``variable, label, group, n, missing, mean, sd, se, median, q1, q3, min, max,
        top_box, variance, range, iqr, mean_ci_low, mean_ci_high, skewness, skewness_se,
        kurtosis, kurtosis_se, mode``.  ``group`` is ``"Total"`` on the overall row (all respondents, also those
        without a valid group) and the group's value label (its code where it has none) on the
        others, in code order.  ``missing`` counts the respondents in that row's group without
        a valid value.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2], "x": [1, 2, 4, 3, 5, None]})
    >>> t = descriptives(df, items="x", by="g")
    >>> t[["group", "n", "missing", "mean", "median", "q1"]]
       group  n  missing      mean  median   q1
    0  Total  5        1  3.000000     3.0  1.5
    1      1  3        0  2.333333     2.0  1.0
    2      2  2        1  4.000000     4.0  3.0
    """
    resp = _stats.responses(data)
    groups = _stats.groups_of(resp, by)
    cw = _weighting.case_weights(resp, weight, weight_type)
    exclude = tuple(v for v in (groups.var, cw and cw.variable) if v)
    names = _stats.resolve_items(resp, items, exclude=exclude, numeric_only=True)
    boxes = [_box_codes(resp, v, top_box) for v in names]
    blocks = _Blocks.of(resp, groups)
    if cw is not None:
        return _stats.frame(_weighting.weighted_descriptives(resp, names, boxes, groups, blocks.labels, cw), COLUMNS)
    return _table(resp, names, blocks, _statistics(resp, names, boxes, groups, blocks))


def _box_codes(resp, v: str, top_box: Mapping[str, Sequence] | None) -> np.ndarray | None:
    """The codes counting as agreeing for ``v``: from ``top_box`` (name matched without case), else the instrument's."""
    codes = None
    if top_box is not None:
        codes = top_box.get(v)
        if codes is None:
            lowered = {str(k).lower(): c for k, c in top_box.items()}
            codes = lowered.get(v.lower())
    if codes is None:
        codes = _stats.top_box_codes(resp, v)
    return None if not codes else np.asarray([float(c) for c in codes])


@dataclass
class _Blocks:
    """The rows of the table per variable: Total, then each group.

    ``index`` is each respondent's group (-1: none), ``k`` the number of groups (1 without
    ``by``), ``rows`` the respondents in each block.
    """

    labels: list[str]
    index: np.ndarray
    k: int
    rows: np.ndarray

    @classmethod
    def of(cls, resp, groups: _stats.Groups) -> "_Blocks":
        grouped = groups.var is not None
        labels = [_stats.TOTAL] + (list(groups.labels) if grouped else [])
        gi = groups.index if grouped else np.zeros(len(resp), dtype=np.int64)
        k = groups.k if grouped else 1
        rows = np.bincount(gi + 1, minlength=k + 1)  # rows without a group, then each group
        rows = np.concatenate([[len(resp)], rows[1:]])[:len(labels)]
        return cls(labels, gi, k, rows)


def _statistics(resp, names: list[str], boxes: list, groups: _stats.Groups, blocks: _Blocks) -> dict[str, np.ndarray]:
    """Every statistic as an array (blocks x variables): integer codes by counting, other data by sorting."""
    nb, m = len(blocks.labels), len(names)
    stats = {c: np.full((nb, m), np.nan) for c in COLUMNS[5:]}
    stats["n"] = np.zeros((nb, m), dtype=np.int64)
    sorted_cols = []
    step = max(1, _CELLS // max(len(resp), 1))  # columns at a time: a bounded copy of a large file
    for start in range(0, m, step):
        cols = np.arange(start, min(start + step, m))
        X = _stats.numeric_block(resp, [names[j] for j in cols])
        ok, lo, K = _counting.countable(X)
        for width in np.unique(K[ok]):  # variables with as many codes, all at once
            sel = np.nonzero(ok & (K == width))[0]
            values = lo[sel, None] + np.arange(width, dtype=float)
            counts = _counting.stacked_counts(X[:, sel], lo[sel], int(width), blocks.index, blocks.k)[:, :nb]
            for c, arr in _stacked(values, counts, [boxes[j] for j in cols[sel]]).items():
                stats[c][:, cols[sel]] = arr.T
        for i in np.nonzero(~ok)[0]:  # empty, huge or non-integer: one at a time
            st = _by_counting(X[:, i], boxes[cols[i]], blocks)
            if st is None:
                sorted_cols.append(int(cols[i]))
                continue
            for c, arr in st.items():
                stats[c][:, cols[i]] = arr
    if sorted_cols:  # non-integer data (scores, decimals): sort
        parts = _by_sorting(resp, [names[j] for j in sorted_cols], [boxes[j] for j in sorted_cols], groups)
        for b, st in enumerate(parts):
            for c in ["n"] + COLUMNS[5:]:
                stats[c][b, sorted_cols] = st[c].to_numpy()
    return stats


_CELLS = 500_000  # values taken from the data at a time (4 MB; the counting needs about three times that besides)


def _by_counting(x: np.ndarray, box, blocks: _Blocks) -> dict | None:
    """Statistics of one variable (its valid values ``x``) per block from its code counts; None when
    it is not integer codes.  The reference for :func:`_stacked`."""
    counted = _stats.code_counts(x, blocks.index, blocks.k)
    if counted is None:
        return None
    values, counts = counted
    counts = np.vstack([counts.sum(axis=0, keepdims=True), counts[1:]])[:len(blocks.labels)]
    return _counted(values, counts, box)


def _stacked(values: np.ndarray, counts: np.ndarray, boxes: list) -> dict:
    """:func:`_counted` of many variables at once: ``values`` (variables, codes), ``counts``
    (variables, blocks, codes); each statistic an array (variables, blocks)."""
    st = _counting.stacked_stats(values, counts)
    n = st["n"]
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(st["var"])
        se = sd / np.sqrt(n)
    tb = np.full(n.shape, np.nan)
    for j, box in enumerate(boxes):
        if box is not None:
            hits = counts[j][:, np.isin(values[j], box)].sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                tb[j] = np.where(n[j] > 0, 100.0 * hits / n[j], np.nan)
    m, mode = _counting.stacked_moments(values, counts, n, st["mean"])
    extra = _moments.extras(n, st["mean"], st["var"], se, st["q"], st["min"], st["max"], m, mode)
    return {"n": n, "mean": st["mean"], "sd": sd, "se": se, "median": st["q"][1], "q1": st["q"][0],
            "q3": st["q"][2], "min": st["min"], "max": st["max"], "top_box": tb, **extra}


def _by_sorting(resp, names: list[str], boxes: list, groups: _stats.Groups) -> list[pd.DataFrame]:
    """Statistics of the variables ``names`` per block (Total, then each group) by sorting their values."""
    sub = _stats.numeric_block(resp, names)
    blocks = [sub]
    if groups.var is not None:
        order = np.argsort(groups.index, kind="stable")
        Xs = np.asarray(sub[order], order="F")
        gs = groups.index[order]
        bounds = np.searchsorted(gs, np.arange(-1, groups.k + 1))
        blocks += [Xs[bounds[j + 1]:bounds[j + 2]] for j in range(groups.k)]
    return [_block_stats(B, boxes) for B in blocks]


def _table(resp, names: list[str], blocks: _Blocks, stats: dict[str, np.ndarray]) -> pd.DataFrame:
    """The rows in variable-major order: each variable's Total row, then its groups."""
    labels = [resp.label(v) for v in names]
    parts = []
    for b, lab in enumerate(blocks.labels):
        st = pd.DataFrame({"n": stats["n"][b], "missing": (blocks.rows[b] - stats["n"][b]).astype(np.int64),
                           **{c: stats[c][b] for c in COLUMNS[5:]}})
        st.insert(0, "group", lab)
        st.insert(0, "label", labels)
        st.insert(0, "variable", names)
        parts.append(st)
    out = pd.concat(parts, ignore_index=True)
    nb = len(blocks.labels)
    out["_v"] = np.tile(np.arange(len(names)), nb)
    out["_g"] = np.repeat(np.arange(nb), len(names))
    out = out.sort_values(["_v", "_g"], kind="stable").drop(columns=["_v", "_g"]).reset_index(drop=True)
    return out[COLUMNS]


def _counted(values: np.ndarray, counts: np.ndarray, box) -> dict:
    """Statistics of one integer-coded variable from its counts per block (rows of ``counts``)."""
    st = _stats.counted_stats(values, counts)
    n = st["n"]
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(st["var"])
        se = sd / np.sqrt(n)
    tb = np.full(len(n), np.nan)
    if box is not None:
        inside = np.isin(values, box)
        hits = counts[:, inside].sum(axis=1)
        for b in range(len(n)):
            if n[b] > 0:
                tb[b] = 100.0 * hits[b] / n[b]
    extra = _moments.counted_extras(values, counts, n, st["mean"], st["var"], se, st["q"], st["min"], st["max"])
    return {"n": n, "mean": st["mean"], "sd": sd, "se": se, "median": st["q"][1], "q1": st["q"][0],
            "q3": st["q"][2], "min": st["min"], "max": st["max"], "top_box": tb, **extra}


def _block_stats(B: np.ndarray, boxes) -> pd.DataFrame:
    """Statistics of every column of B (rows x variables, NaN = missing)."""
    rows, m = B.shape
    if rows == 0:
        nan = np.full(m, np.nan)
        return pd.DataFrame({"n": np.zeros(m, dtype=np.int64), "missing": np.zeros(m, dtype=np.int64),
                             **{c: nan for c in COLUMNS[5:]}})
    S = np.sort(B, axis=0)  # NaN last
    valid = ~np.isnan(S)
    n = valid.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(valid, S, 0.0).sum(axis=0)
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
        dev = np.where(valid, S - mean, 0.0)
        var = np.where(n > 1, (dev * dev).sum(axis=0) / np.maximum(n - 1, 1), np.nan)
        sd = np.sqrt(var)
        se = sd / np.sqrt(n)
    q = _stats.sorted_quantiles(S, n, (0.25, 0.5, 0.75))
    cols = np.arange(m)
    mn = np.where(n > 0, S[0], np.nan)
    mx = np.where(n > 0, S[np.maximum(n - 1, 0), cols], np.nan)
    tb = np.full(m, np.nan)
    for j, codes in enumerate(boxes):
        if codes is not None and n[j] > 0:
            tb[j] = 100.0 * np.isin(S[: n[j], j], codes).sum() / n[j]
    extra = _moments.sorted_extras(S, dev, n, mean, var, se, q, mn, mx)
    return pd.DataFrame({"n": n.astype(np.int64), "missing": (rows - n).astype(np.int64), "mean": mean,
                         "sd": sd, "se": se, "median": q[1], "q1": q[0], "q3": q[2], "min": mn, "max": mx,
                         "top_box": tb, **extra})
