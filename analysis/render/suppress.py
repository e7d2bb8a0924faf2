"""Small-cell suppression: hide what rests on fewer than ``min_cell`` respondents.

Suppression is a rendering step: the statistics stay numeric and complete; before a table is
shown to people (terminal, CSV, Excel, Word, HTML, Markdown, LaTeX) the cells to hide are
replaced by :data:`SUPPRESSED` (shown as ``..``, the symbol official statistics use for
confidential figures).  JSON is for programs and is never suppressed.

Rules
-----
* **Primary**: a count from 1 to ``min_cell - 1`` is hidden, with everything computed from the
  same respondents (its percentages; a group's mean, SD, quartiles, alpha...).  Zero counts are
  shown: they disclose nothing about a person.
* **Complementary**: where a total is shown, one hidden cell could be recovered by subtraction,
  so the next-smallest cell of the same total is hidden too: within each frequency table (the
  group total) and across the groups of one row (the Total column).  Cumulative percentages of a
  table with a hidden cell are hidden as well.

>>> import pandas as pd
>>> f = pd.DataFrame({"variable": "x", "group": "Total", "value": [1.0, 2.0, 3.0],
...                   "label": ["a", "b", "c"], "count": [2, 7, 30], "percent": [5.1, 17.9, 76.9],
...                   "valid_percent": [5.1, 17.9, 76.9], "cumulative_percent": [5.1, 23.1, 100.0],
...                   "is_missing": False})
>>> t, n = suppress_table("frequencies", f, 5)
>>> n, [str(v) for v in t["count"]]
(2, ['..', '..', '30'])
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd


class _Suppressed(str):
    """The mark of a hidden cell (a distinct object, so real text ``..`` is never mistaken for it)."""

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return "SUPPRESSED"


SUPPRESSED = _Suppressed("..")
TOTAL = "Total"


def is_suppressed(v) -> bool:
    return v is SUPPRESSED


def note(min_cell: int) -> str:
    """The table note explaining the symbol."""
    return (f".. = not shown to protect confidentiality: fewer than {min_cell} respondents, "
            f"or a figure from which such a cell could be worked out from the totals.")


def _count_col(df: pd.DataFrame) -> str | None:
    for c in ("count", "n"):
        if c in df.columns and pd.api.types.is_numeric_dtype(df[c]):
            return c
    return None


def _small(x: np.ndarray, min_cell: int) -> np.ndarray:
    return (x > 0) & (x < min_cell)


def _complement(hidden: np.ndarray, counts: np.ndarray, keys: np.ndarray, eligible: np.ndarray) -> bool:
    """Within each key with exactly one hidden cell, hide the smallest other eligible non-zero cell
    (the first in row order of several as small); every key at once."""
    codes, uniques = pd.factorize(keys)  # a missing key (-1) never equals itself: no group
    e = eligible & (codes >= 0)
    n_keys = len(uniques)
    eligible_n = np.bincount(codes[e], minlength=n_keys)
    hidden_n = np.bincount(codes[e & hidden], minlength=n_keys)
    target = (eligible_n >= 2) & (hidden_n == 1)
    rows = np.flatnonzero(e & ~hidden & (counts > 0))
    rows = rows[target[codes[rows]]]
    if not len(rows):
        return False
    rows = rows[np.lexsort((rows, counts[rows], codes[rows]))]  # by key, then count, then row
    first = np.r_[True, codes[rows][1:] != codes[rows][:-1]]
    hidden[rows[first]] = True
    return True


def _key(df: pd.DataFrame, cols) -> np.ndarray:
    cols = [c for c in cols if c in df.columns]
    if not cols:
        return np.zeros(len(df), dtype=object)
    parts = [np.array([str(x) for x in df[c].tolist()], dtype=object) for c in cols]
    out = parts[0].astype(object)
    for p in parts[1:]:
        out = out + "\x1f" + p
    return out


def _hide_rows(df: pd.DataFrame, hidden: np.ndarray, cols) -> tuple[pd.DataFrame, int]:
    if not hidden.any():
        return df, 0
    out = df.copy()
    for c in cols:
        if c in out.columns:
            cells = out[c].to_numpy(dtype=object, copy=True)  # one array per column: .loc by mask is slow
            cells[hidden] = SUPPRESSED
            out[c] = cells
    return out, int(hidden.sum())


def suppress_table(name: str, df: pd.DataFrame, min_cell: int, related: Mapping[str, pd.DataFrame] | None = None):
    """Return ``(table, cells_hidden)``: a copy with hidden cells set to :data:`SUPPRESSED`.

    ``name`` selects the rules (``frequencies``, ``descriptives``, ``group_stats``, ``sample``,
    ``reliability``, ``item_total``, ``posthoc`` and ``superiority`` (by ``n1``, ``n2``); other tables with an ``n`` or ``count`` column get
    the primary rule only).  ``related`` gives the other tables of the same output (``item_total``
    and ``inter_item`` follow ``reliability``).
    """
    if not min_cell or min_cell <= 1 or df is None or len(df) == 0:
        return df, 0
    related = related or {}
    if name == "frequencies" and "count" in df.columns:
        counts = df["count"].to_numpy(dtype=float, na_value=0)
        hidden = _small(counts, min_cell)
        block = _key(df, ["variable", "group"])
        cell = _key(df, ["variable", "label", "value"])
        groups = np.array([str(x) for x in df["group"].tolist()], dtype=object) if "group" in df.columns else np.full(len(df), TOTAL)
        not_total = groups != TOTAL
        everything = np.ones(len(df), dtype=bool)
        for _ in range(20):
            a = _complement(hidden, counts, block, everything)
            b = not_total.any() and _complement(hidden, counts, cell, not_total)
            if not (a or b):
                break
        out, k = _hide_rows(df, hidden, ["count", "percent", "valid_percent"])
        if k and "cumulative_percent" in df.columns:
            blocks_hidden = set(block[hidden])
            cum_rows = np.array([b in blocks_hidden for b in block]) & df["cumulative_percent"].notna().to_numpy()
            out["cumulative_percent"] = out["cumulative_percent"].astype(object)
            out.loc[cum_rows, "cumulative_percent"] = SUPPRESSED
        return out, k
    if name in ("descriptives", "group_stats", "sample", "reliability"):
        c = _count_col(df)
        if c is None:
            return df, 0
        counts = df[c].to_numpy(dtype=float, na_value=0)
        hidden = _small(counts, min_cell)
        groups = np.array([str(x) for x in df["group"].tolist()], dtype=object) if "group" in df.columns else np.full(len(df), "")
        not_total = groups != TOTAL
        has_total = (~not_total).any() or name == "sample"
        if has_total:
            key = _key(df, ["variable", "scale"])
            for _ in range(20):
                if not _complement(hidden, counts, key, not_total):
                    break
        keep = {"variable", "label", "group", "scale", "k", "note", "missing"}
        cols = [col for col in df.columns if col not in keep]
        return _hide_rows(df, hidden, cols)
    if name in ("item_total", "inter_item"):
        rel = related.get("reliability")
        if rel is None or "n" not in rel.columns:
            return df, 0
        rel_s, _ = suppress_table("reliability", rel, min_cell)
        hidden_keys = {(s, g) for s, g, n in zip(rel_s["scale"], rel_s["group"], rel_s["n"]) if is_suppressed(n)}
        hidden = np.array([(s, g) in hidden_keys for s, g in zip(df["scale"], df["group"])], dtype=bool)
        cols = [c for c in df.columns if c not in ("scale", "group", "variable", "variable1", "variable2")]
        return _hide_rows(df, hidden, cols)
    if name in ("posthoc", "superiority"):
        ncols = [c for c in ("n1", "n2") if c in df.columns]
        if not ncols:
            return df, 0
        hidden = np.zeros(len(df), dtype=bool)
        for c in ncols:
            hidden |= _small(df[c].to_numpy(dtype=float, na_value=0), min_cell)
        cols = [c for c in df.columns if c not in ("variable", "group1", "group2", "method")]
        return _hide_rows(df, hidden, cols)
    if name in ("themes", "quotes", "theme_scales"):
        return _coding_table(name, df, min_cell)
    if name == "item_nonresponse" and "n_dont_know" in df.columns:
        return _nonresponse_table(df, min_cell)
    if name == "tests":
        return df, 0
    c = _count_col(df)
    if c is None:
        return df, 0
    hidden = _small(df[c].to_numpy(dtype=float, na_value=0), min_cell)
    cols = [col for col in df.columns if pd.api.types.is_numeric_dtype(df[col]) and col not in ("value", "code")]
    return _hide_rows(df, hidden, cols)


#: The counts of item non-response adding up to ``n_asked``, and the percentage shown with each.
NONRESPONSE_KINDS = {"n_answered": None, "n_dont_know": "dont_know_percent", "n_not_applicable": "not_applicable_percent",
                     "n_refused": "refused_percent", "n_missing": "missing_percent"}


def _nonresponse_table(df: pd.DataFrame, min_cell: int):
    """Item non-response: a count of 1 to min_cell - 1 respondents (and its percentage) is hidden, with the
    next-smallest count of the same row (they add up to those asked) and of the same kind across the groups
    (they add up to the Total row); a non-response of 1 to min_cell - 1 respondents hides ``nonresponse_percent``
    and ``n_answered`` (asked minus answered would give it).

    >>> df = pd.DataFrame({"variable": "x", "group": ["Total", "A", "B"], "n_asked": [60, 30, 30],
    ...                    "n_answered": [52, 27, 25], "n_dont_know": [4, 1, 3], "n_not_applicable": [2, 0, 2],
    ...                    "n_refused": [2, 2, 0], "n_missing": 0, "nonresponse_percent": [13.3, 10, 16.7]})
    >>> t, k = _nonresponse_table(df, 5)
    >>> k, [str(v) for v in t["n_dont_know"]], [str(v) for v in t["n_answered"]]
    (7, ['..', '..', '..'], ['52', '..', '25'])
    """
    kinds = [c for c in NONRESPONSE_KINDS if c in df.columns]
    counts = np.stack([df[c].to_numpy(dtype=float, na_value=0) for c in kinds], axis=1)  # rows x kinds
    hidden = _small(counts, min_cell).ravel()
    rows = np.repeat(np.arange(len(df)).astype(str), len(kinds)).astype(object)
    groups = np.repeat(np.array([str(x) for x in df["group"].tolist()], dtype=object), len(kinds))
    across = np.tile(np.array(kinds, dtype=object), len(df)) + "\x1f" + np.repeat(_key(df, ["variable"]), len(kinds))
    flat = counts.ravel()
    for _ in range(20):
        a = _complement(hidden, flat, rows, np.ones(flat.size, dtype=bool))
        b = _complement(hidden, flat, across, groups != TOTAL)
        if not (a or b):
            break
    hidden = hidden.reshape(counts.shape)
    out = df.copy()
    for j, c in enumerate(kinds):
        for col in (c, NONRESPONSE_KINDS[c]):
            if col in out.columns and hidden[:, j].any():
                out[col] = out[col].astype(object)
                out.loc[hidden[:, j], col] = SUPPRESSED
    if "n_asked" in df.columns and "n_answered" in df.columns:  # the non-response of fewer than min_cell
        nr = _small(df["n_asked"].to_numpy(dtype=float, na_value=0) - counts[:, 0], min_cell)
        for col in ("nonresponse_percent", "n_answered"):
            if col in out.columns and nr.any():
                out[col] = out[col].astype(object)
                out.loc[nr, col] = SUPPRESSED
    return out, int(hidden.sum())


def _coding_table(name: str, df: pd.DataFrame, min_cell: int):
    """Themes of open answers: a theme mentioned (or left out) by 1 to min_cell - 1 respondents of a group is
    hidden, with the next-smallest group of the theme where a Total shows; a quote of a small group is hidden;
    mean scale scores of fewer than min_cell respondents are hidden."""
    def num(c):
        return df[c].to_numpy(dtype=float, na_value=0)

    if name == "quotes":
        return _hide_rows(df, _small(num("n_group"), min_cell), ["key", "quote", "notes", "n_group"])
    if name == "theme_scales":
        hidden = _small(num("n_mentioning"), min_cell) | _small(num("n_not"), min_cell)
        return _hide_rows(df, hidden, [c for c in df.columns if c not in ("theme", "scale")])
    men, ans = num("n_mentioning"), num("n_answering")
    hidden = _small(men, min_cell) | _small(ans - men, min_cell) | _small(ans, min_cell)
    groups = np.array([str(x) for x in df["group"].tolist()], dtype=object)
    key = _key(df, ["theme"])
    for _ in range(20):
        if not _complement(hidden, np.minimum(men, ans - men), key, groups != TOTAL):
            break
    out, k = _hide_rows(df, hidden, ["n_mentioning", "percent"])
    out, _ = _hide_rows(out, _small(ans, min_cell), ["n_answering"])
    return out, k


def suppress_tables(tables: Mapping[str, pd.DataFrame], min_cell: int) -> tuple[dict, dict]:
    """Suppress every table; returns ``({name: table}, {name: cells hidden})``."""
    out, counts = {}, {}
    for name, df in tables.items():
        out[name], counts[name] = suppress_table(name, df, min_cell, related=tables)
    return out, counts
