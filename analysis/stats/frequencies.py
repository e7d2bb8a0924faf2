"""Frequency tables, overall and per respondent group, laid out as SPSS FREQUENCIES does."""
from __future__ import annotations

import numpy as np
import pandas as pd

from coprod.analysis.stats import common as _stats
from coprod.analysis.stats import weighting as _weighting
from coprod.analysis.stats.skiplogic import question_asked

COLUMNS = ["variable", "group", "value", "label", "count", "percent", "valid_percent",
           "cumulative_percent", "is_missing", "is_mode", "n_not_asked"]

SYSTEM_MISSING = "System missing"


def frequencies(data, items=None, by: str | None = None, weight: str | None = None,
                weight_type: str = "frequency") -> pd.DataFrame:
    """Frequency table of each variable, overall and per group.

    Valid values come first in ascending order with ``percent`` (of every respondent in the
    group), ``valid_percent`` (of those with a valid value) and ``cumulative_percent`` (of the
    valid percents).  Then each user-missing code that occurs is listed on its own row
    (``is_missing`` true, valid and cumulative percents empty), then the system-missing
    (empty) answers with ``value`` NaN and label ``"System missing"``, as SPSS FREQUENCIES
    does; the tables shown to people end with a total row (the counts add up to every
    respondent in the group).  ``is_mode`` marks the valid value(s) with the highest count.
    Percentages are 0-100.

    Respondents whom the questionnaire's skip logic did not ask the question (and who left it
    empty) are not missing answers: they are left out of the counts and of every percentage and
    counted in ``n_not_asked`` (the same on each row of the group's table; 0 for a question asked
    of everyone).  A group none of whose members were asked has one row: ``count`` 0, ``value``,
    ``label`` and the percentages empty, ``n_not_asked`` the group's size.  The percentages of
    the others are those of SPSS FREQUENCIES with the not-asked cases filtered out.

    Parameters
    ----------
    data : Responses or DataFrame
    items : str or list of str, optional
        Item specification (see :mod:`analysis.items`); default every variable except ``by``.
    by : str, optional
        Grouping variable: a table per group after the overall ("Total") table.
    weight : str, optional
        Case weight variable (see :mod:`analysis.stats.weighting`): counts are sums of weights
        and percentages are of them, as SPSS/PSPP FREQUENCIES under ``WEIGHT BY``; cases with a
        missing, zero or negative weight are left out.
    weight_type : {"frequency", "sampling"}
        ``"sampling"`` adds ``valid_percent_se``, ``valid_percent_ci_low`` and
        ``valid_percent_ci_high``: the design-based SE (Taylor linearisation, with replacement,
        no strata or clusters) and normal 95% interval of each valid percent, as R ``survey``'s
        ``svymean`` of the answer as a factor (per group as ``svyby``).

    Returns
    -------
    DataFrame
        Columns ``variable, group, value, label, count, percent, valid_percent,
        cumulative_percent, is_missing, is_mode, n_not_asked``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [1, 2, 2, 9, None]})
    >>> from coprod.analysis.data.responses import Responses
    >>> r = Responses(df, value_labels={"x": {1.0: "No", 2.0: "Yes", 9.0: "Refused"}}, missing_codes={"x": (9,)})
    >>> frequencies(r)[["value", "label", "count", "percent", "valid_percent", "is_missing", "is_mode"]]
       value           label  count  percent  valid_percent  is_missing  is_mode
    0    1.0              No      1     20.0      33.333333       False    False
    1    2.0             Yes      2     40.0      66.666667       False     True
    2    9.0         Refused      1     20.0            NaN        True    False
    3    NaN  System missing      1     20.0            NaN        True    False
    """
    resp = _stats.responses(data)
    groups = _stats.groups_of(resp, by)
    cw = _weighting.case_weights(resp, weight, weight_type)
    exclude = tuple(v for v in (groups.var, cw and cw.variable) if v)
    names = _stats.resolve_items(resp, items, exclude=exclude)
    sampling = cw is not None and not cw.frequency
    columns = COLUMNS + (_weighting.SAMPLING_FREQ_COLUMNS if sampling else [])
    blocks = [(_stats.TOTAL, np.ones(len(resp), dtype=bool))]
    if groups.var is not None:
        blocks += [(lab, groups.index == j) for j, lab in enumerate(groups.labels)]
    parts, rows, cache = [], [], {}  # a frame per table only for sampling weights; else the rows of every table
    for v in names:
        for part in _variable(resp, v, blocks, cw, sampling, cache):
            if sampling:
                parts.append(part)
            else:
                rows += part
    if sampling:
        return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    return _stats.frame(rows, COLUMNS) if rows or not names else _empty()


def _empty() -> pd.DataFrame:
    """No rows, typed as the tables' parts always were."""
    empty = _stats.frame([], COLUMNS[2:])
    empty.insert(0, "group", "")
    empty.insert(0, "variable", "")
    return empty


def _answers(resp, v) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A variable's values (numbers, else texts), and which are user-missing and which system-missing (empty)."""
    col = resp.data[v]
    user = resp.is_user_missing(v)
    if pd.api.types.is_numeric_dtype(col):
        values = col.to_numpy(dtype=float, na_value=np.nan)
        return values, user, np.isnan(values)
    values = col.astype("string").to_numpy(dtype=object, na_value=None)
    sysmis = col.isna().to_numpy() | (col.astype("string").str.strip() == "").fillna(True).to_numpy()
    return values, user, sysmis


def _variable(resp, v: str, blocks, cw, sampling: bool, cache: dict) -> list:
    """The frequency tables of ``v``, one per block (Total, then each group), without those not asked: the
    rows of each table, or a frame of each for sampling weights (their percentages' standard errors)."""
    values, user, sysmis = _answers(resp, v)
    asked = question_asked(resp, v, cache)
    out = sysmis & ~asked if asked is not None else np.zeros(len(resp), dtype=bool)  # not asked: left out
    parts = []
    for glab, sel in blocks:
        sel = sel if cw is None else sel & (cw.w > 0)
        n_out = int((sel & out).sum()) if cw is None else float(cw.w[sel & out].sum())
        sel = sel & ~out
        part = _one(resp, v, glab, values[sel], user[sel], sysmis[sel], None if cw is None else cw.w[sel])
        nobody = not part and n_out  # nobody in the group was asked: one row saying so
        if nobody:
            part = [{"variable": v, "group": glab, "count": 0, "is_missing": False, "is_mode": False}]
        for r in part:
            r["n_not_asked"] = n_out
        if sampling:
            frame = _stats.frame(part, COLUMNS)
            if not nobody:
                pos = cw.w > 0
                frame = _weighting.with_percent_se(frame, values[pos], cw.w[pos], (sel & ~user & ~sysmis)[pos])
            parts.append(frame)
        else:
            parts.append(part)
    return parts


def _counts(values, w=None) -> tuple[list, list]:
    if w is not None:  # sums of weights
        s = pd.Series(values, dtype=object if values.dtype == object else float)
        vc = pd.Series(w, index=s.to_numpy()).groupby(level=0).sum().sort_index()
        return list(vc.index), [float(c) for c in vc.to_numpy()]
    if not len(values):
        return [], []
    vals, counts = np.unique(values if values.dtype == object else values.astype(float), return_counts=True)
    return vals.tolist(), counts.tolist()


def _one(resp, v, glab, values, user, sysmis, w=None) -> list[dict]:
    """The rows of one variable's table in one group."""
    total = len(values) if w is None else float(w.sum())
    valid = ~user & ~sysmis
    vals, counts = _counts(values[valid], None if w is None else w[valid])
    n_valid = sum(counts)
    rows = []
    cum = 0.0
    for val, c in zip(vals, counts):
        cum += c
        rows.append({"variable": v, "group": glab, "value": val, "label": resp.value_label(v, val), "count": c,
                     "percent": 100.0 * c / total, "valid_percent": 100.0 * c / n_valid,
                     "cumulative_percent": 100.0 * cum / n_valid, "is_missing": False})
    mvals, mcounts = _counts(values[user & ~sysmis], None if w is None else w[user & ~sysmis])
    for val, c in zip(mvals, mcounts):
        rows.append({"variable": v, "group": glab, "value": val, "label": resp.value_label(v, val), "count": c,
                     "percent": 100.0 * c / total, "valid_percent": np.nan,
                     "cumulative_percent": np.nan, "is_missing": True})
    ns = int(sysmis.sum()) if w is None else float(w[sysmis].sum())
    if ns:
        rows.append({"variable": v, "group": glab, "value": np.nan, "label": SYSTEM_MISSING, "count": ns, "percent": 100.0 * ns / total,
                     "valid_percent": np.nan, "cumulative_percent": np.nan, "is_missing": True})
    top = max(counts) if counts else None
    for r in rows:
        r["is_mode"] = not r["is_missing"] and r["count"] == top
    return rows
