"""How the further statistics tables are shown: the ANOVA table, the contingency table cells, the
inter-item correlation matrix; and the text of the statistics printed beside a test (mean difference,
Hodges-Lehmann shift, exact p, Brown-Forsythe, likelihood-ratio and Yates chi-square, odds ratio).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import apa
from .context import RenderContext
from .document import Column, DisplayTable
from .suppress import SUPPRESSED, is_suppressed, note as suppression_note


def table_notes(name: str, ctx: RenderContext, extra: list[str]) -> list[str]:
    """A table's notes: ``extra`` (the empty left out), the data notes of ``ctx``, the suppression note."""
    notes = [n for n in extra if n] + [f"{n}." for n in ctx.data_notes]
    if ctx.hidden(name):
        notes.append(suppression_note(int(ctx.min_cell or 5)))
    return notes


def order_groups(df: pd.DataFrame, ctx: RenderContext, keys=("variable", "scale")) -> pd.DataFrame:
    """``df`` with each variable's (or scale's) rows in the order of ``ctx.group_order``, Total first."""
    order = ctx.group_order
    if not order or "group" not in df.columns or len(df) == 0:
        return df
    rank = {str(g): i for i, g in enumerate(order)}
    g = df["group"].astype(str).map(lambda x: -1 if x == "Total" else rank.get(x, len(rank))).to_numpy()
    key_cols = [k for k in keys if k in df.columns]
    if key_cols:
        key = df[key_cols].astype(str).agg("\x1f".join, axis=1)
        first = {k: i for i, k in reversed(list(enumerate(key)))}
        kpos = key.map(first).to_numpy()
    else:
        kpos = np.zeros(len(df), dtype=int)
    idx = np.lexsort((np.arange(len(df)), g, kpos))
    return df.iloc[idx].reset_index(drop=True)


def _get(d: dict, key: str):
    v = d.get(key)
    return None if apa.is_missing(v) or is_suppressed(v) else v


def test_extras(d: dict) -> str:
    """The further statistics of one ``tests`` row as text for its note, e.g.
    ``"difference 1.20 [0.31, 2.09]; Brown-Forsythe F(2, 41.30) = 3.12, p = .055"``.

    >>> test_extras({"mean_diff": -2.3333, "diff_ci_low": -5.796, "diff_ci_high": 1.1295})
    'difference -2.33 [-5.80, 1.13]'
    """
    parts = []
    if _get(d, "mean_diff") is not None:
        parts.append(f"difference {apa.fmt_num(d['mean_diff'])} {apa.fmt_ci(d.get('diff_ci_low'), d.get('diff_ci_high'))}")
    if _get(d, "hl_estimate") is not None:
        parts.append(f"Hodges-Lehmann shift {apa.fmt_num(d['hl_estimate'])} "
                     f"{apa.fmt_ci(d.get('hl_ci_low'), d.get('hl_ci_high'))}".rstrip())
    if _get(d, "p_exact") is not None:
        parts.append(f"exact p {_p_text(d['p_exact'])}")
    if _get(d, "bf_f") is not None:
        parts.append(f"Brown-Forsythe F({apa.fmt_df(d.get('bf_df1'))}{apa.list_sep()}{apa.fmt_df(d.get('bf_df2'))}) = "
                     f"{apa.fmt_num(d['bf_f'])}, p {_p_text(d.get('bf_p'))}")
    if _get(d, "lr_chisq") is not None:
        parts.append(f"likelihood ratio χ² = {apa.fmt_num(d['lr_chisq'])}, p {_p_text(d.get('lr_p'))}")
    if _get(d, "yates_chisq") is not None:
        parts.append(f"Yates χ² = {apa.fmt_num(d['yates_chisq'])}, p {_p_text(d.get('yates_p'))}")
    if _get(d, "odds_ratio") is not None:
        parts.append(f"OR = {apa.fmt_num(d['odds_ratio'])} {apa.fmt_ci(d.get('or_ci_low'), d.get('or_ci_high'))}".rstrip())
    return "; ".join(parts)


def _p_text(p) -> str:
    text = apa.fmt_p(p)
    return text if text.startswith("<") else f"= {text}"


def _anova(df: pd.DataFrame, ctx: RenderContext) -> DisplayTable:
    names = {"between": "Between groups", "within": "Within groups", "total": "Total"}
    rows = [[d["variable"], names.get(d["source"], d["source"]), d["ss"], d["df"], d["ms"], d["f"], d["p"]]
            for d in df.to_dict("records")]
    cols = [Column("Variable"), Column("Source"), Column("SS", "num"), Column("df", "df"), Column("MS", "num"),
            Column("F", "num"), Column("p", "p")]
    return DisplayTable("anova", "Analysis of variance", cols, rows,
                        table_notes("anova", ctx, ["SS: sums of squares; MS: mean squares (one-way ANOVA)."]))


def _crosstab(df: pd.DataFrame, ctx: RenderContext) -> DisplayTable:
    rows = [[d["variable"], d["group"], d["value"], d["count"], d["expected"], d["residual_adj"]]
            for d in df.to_dict("records")]
    cols = [Column("Variable"), Column("Group"), Column("Answer"), Column("n", "int"), Column("Expected", "num"),
            Column("Adj. residual", "num")]
    return DisplayTable("crosstab", "Contingency tables", cols, rows,
                        table_notes("crosstab", ctx, ["Expected: count expected under independence; adj. residual: "
                                                 "adjusted standardised residual (beyond ±1.96: more or fewer "
                                                 "answers than expected at the 5% level)."]))


def _inter_item(df: pd.DataFrame, ctx: RenderContext) -> DisplayTable:
    """One matrix per scale and group, stacked: items numbered, correlations below the diagonal."""
    blocks: dict = {}  # (scale, group) -> {(item1, item2): r}, in the order of the rows (one pass, no masks)
    for key, a, b, v in zip(zip(df["scale"].astype(str), df["group"].astype(str)), df["variable1"], df["variable2"],
                            df["r"]):
        blocks.setdefault(key, {})[(a, b)] = v
    items_of = {key: list(dict.fromkeys(a for a, _ in r)) for key, r in blocks.items()}
    width = max((len(items) for items in items_of.values()), default=0)
    rows = []
    for (s, g), r in blocks.items():
        items = items_of[(s, g)]
        for i, a in enumerate(items):
            cells = [SUPPRESSED if is_suppressed(r.get((a, b))) else r.get((a, b)) if j < i else ("—" if j == i else None)
                     for j, b in enumerate(items)]
            rows.append([s, g, f"{i + 1}. {a}"] + cells + [None] * (width - len(items)))
    cols = [Column("Scale"), Column("Group"), Column("Item")] + [Column(str(j + 1), "r") for j in range(width)]
    if all(row[1] == "Total" for row in rows):
        cols.pop(1)
        rows = [row[:1] + row[2:] for row in rows]
    return DisplayTable("inter_item", "Inter-item correlations", cols, rows,
                        table_notes("inter_item", ctx, ["Pearson correlations of the items (reverse-keyed items recoded), "
                                                   "respondents who answered every item of the scale."]))


SPECS_MORE = {"anova": _anova, "crosstab": _crosstab, "inter_item": _inter_item}


def records(df: pd.DataFrame) -> list[tuple]:
    """The rows of ``df`` as tuples of Python values, as ``itertuples(index=False, name=None)`` gives them,
    taken column by column (``tolist``): iterating a text column's array element by element cost five times
    as much (a frequency table of 4,660 rows: 12 ms against 2.5)."""
    if not df.shape[1]:
        return [() for _ in range(len(df))]
    cols = [df.iloc[:, j] for j in range(df.shape[1])]
    return list(zip(*[c.tolist() if isinstance(c.dtype, (np.dtype, pd.StringDtype)) else list(c) for c in cols]))
