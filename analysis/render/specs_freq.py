"""How a frequency table is shown: answers with n, %, valid % and cumulative %, missing answers marked,
a total row after each variable and group, and a note for a group the skip logic did not ask."""
from __future__ import annotations

import pandas as pd

from . import apa
from .context import RenderContext
from .document import Column, DisplayTable
from .specs_more import order_groups, records, table_notes
from .suppress import SUPPRESSED, is_suppressed

NOTE = ("% of all respondents in the group; valid % and cumulative % of those with a valid answer "
        "(user-missing codes and empty answers are missing).")
NOT_ASKED_NOTE = "Respondents the skip logic did not ask a question are left out of its table: % is of those asked."


def not_asked_row(d: dict) -> bool:
    """Whether a row of ``frequencies`` stands for a group none of whom the skip logic asked."""
    return d.get("count") == 0 and not apa.is_missing(d.get("n_not_asked")) and d["n_not_asked"] > 0 \
        and apa.is_missing(d.get("value"))


def frequencies_table(df: pd.DataFrame, ctx: RenderContext, title: str = "Frequencies") -> DisplayTable:
    df = order_groups(df, ctx)
    out, unasked = [], set()
    fields = list(df.columns)
    for r in records(df):
        d = dict(zip(fields, r))
        if not_asked_row(d):
            unasked.add((d["variable"], d.get("group", "")))
            out.append([d["variable"], d.get("group", ""), "", None, None, None, None])
            continue
        lab = d.get("label")
        lab = "" if apa.is_missing(lab) else str(lab)
        if d.get("is_missing") is True or d.get("is_missing") == 1:
            lab = f"{lab} (missing)" if "missing" not in lab.lower() else lab
        out.append([d["variable"], d.get("group", ""), lab, d["count"], d["percent"], d.get("valid_percent"),
                    d.get("cumulative_percent")])
        if "valid_percent_ci_low" in d:  # sampling weights: the design-based interval of the valid %
            lo, hi = d["valid_percent_ci_low"], d["valid_percent_ci_high"]
            out[-1].append(SUPPRESSED if is_suppressed(lo) else apa.fmt_ci(lo, hi))
    design = "valid_percent_ci_low" in df.columns
    out = [r + [""] * (8 - len(r)) if design else r for r in _with_totals(out, unasked)]
    cols = [Column("Variable"), Column("Group"), Column("Answer"), Column("n", "int"), Column("%", "num1"),
            Column("Valid %", "num1"), Column("Cum. %", "num1")] + ([Column("95% CI (valid %)")] if design else [])
    if unasked:  # "not asked of Service user" in the row of a group none of whom was asked
        cols.append(Column("Note"))
        out = [r + [_not_asked(r[1]) if r[3] is None and (r[0], r[1]) in unasked else ""] for r in out]
    if "group" not in df.columns or set(df["group"].astype(str)) <= {"Total"}:
        cols.pop(1)
        out = [r[:1] + r[2:] for r in out]
    labels = {v: str(lab) for v, lab in (ctx.variable_labels or {}).items() if not apa.is_missing(lab) and str(lab) not in ("", v)}
    if any(r[0] in labels for r in out):  # the question beside its name, as in the descriptives
        cols.insert(1, Column("Label"))
        out = [r[:1] + [labels.get(r[0], "")] + r[1:] for r in out]
    notes = [NOTE + (" 95% CI: design-based (normal interval)." if design else "")]
    if "n_not_asked" in df.columns and (pd.to_numeric(df["n_not_asked"], errors="coerce").fillna(0) > 0).any():
        notes.append(NOT_ASKED_NOTE)
    return DisplayTable("frequencies", title, cols, out, table_notes("frequencies", ctx, notes))


def _not_asked(group) -> str:
    return "not asked of any respondent" if group in ("", "Total") else f"not asked of {group}"


def _with_totals(rows: list[list], unasked: set = frozenset()) -> list[list]:
    """A "Total" row after each variable and group's rows (every respondent asked; kept hidden when a count
    is); none after the row of a group the skip logic did not ask."""
    out, counts = [], {}
    for i, r in enumerate(rows):
        out.append(r)
        if r[2] != "Total":
            counts.setdefault(tuple(r[:2]), []).append(r[3])
        if (i + 1 == len(rows) or rows[i + 1][:2] != r[:2]) and tuple(r[:2]) not in unasked:
            block = counts.get(tuple(r[:2]), [])
            hidden = any(is_suppressed(c) for c in block)
            out.append([r[0], r[1], "Total", SUPPRESSED if hidden else sum(block),  # weighted counts: sums of weights
                        SUPPRESSED if hidden else 100.0, None, None])
    return out
