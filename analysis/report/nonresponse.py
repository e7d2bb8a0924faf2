"""The report's section on non-response (:func:`analysis.stats.nonresponse.nonresponse`), placed after the
data check: the DK/NA rates by group of the items whose non-response differs between the groups (after
the correction across items), a paragraph naming them, break-off by group, Little's MCAR test per scale
and a methods sentence.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coprod.analysis.render import Heading, Paragraph
from coprod.analysis.render.apa import adjust_name, fmt_num, fmt_p
from coprod.analysis.render.specs import display_table
from coprod.analysis.render.suppress import suppress_table

from .words import say, term, translate_table

#: Differences at this adjusted p are named in the report.
ALPHA = 0.05
ITEM_SHOWN = ["label", "group", "n", "dont_know_percent", "not_applicable_percent", "refused_percent",
              "missing_percent", "nonresponse_percent", "p_adj"]


@dataclass
class NonresponseParts:
    """The section's tables: ``item_nonresponse``, ``nonresponse_tests``, ``breakoff``, ``mcar``."""

    tables: dict
    adjust: str
    overall: bool


def nonresponse_parts(resp, by: str | None, adjust: str) -> NonresponseParts:
    """Non-response of the instrument's closed questions by ``by`` (None: the whole sample)."""
    from coprod.analysis.stats.nonresponse import nonresponse

    res = nonresponse(resp, by=by, adjust=adjust)
    tables = {k: v for k, v in res.tables().items() if k != "respondents"}
    return NonresponseParts(tables, adjust, by is None)


def _method(parts: NonresponseParts, lang: str) -> str:
    return term(adjust_name(parts.adjust), lang)


def differing(parts: NonresponseParts) -> list[str]:
    """The variables whose non-response differs by group after the correction, in questionnaire order."""
    tests = parts.tables.get("nonresponse_tests")
    if tests is None or tests.empty:
        return []
    return [v for v, p in zip(tests["variable"], tests["p_adj"]) if np.isfinite(p) and p < ALPHA]


def blocks(parts: NonresponseParts, label, by_label: str, min_cell: int, lang: str, chart: str | None = None) -> list:
    """Heading, what the section counts, the differing items (table, chart in ``chart`` format ``"svg"`` or
    ``"png"`` (None: no chart), words), break-off, MCAR."""
    out: list = [Heading(say("nr.heading", lang)), Paragraph(say("nr.intro", lang))]
    if not parts.overall:
        out += _item_blocks(parts, label, by_label, min_cell, lang)
        out += _chart_blocks(parts, label, min_cell, lang, chart)
    out += _breakoff_blocks(parts, min_cell, lang)
    out += _mcar_blocks(parts, label, lang)
    return out


def _item_blocks(parts: NonresponseParts, label, by_label: str, min_cell: int, lang: str) -> list:
    tests, items = parts.tables["nonresponse_tests"], parts.tables["item_nonresponse"]
    k, method = int(tests["p"].notna().sum()), _method(parts, lang)
    diff = differing(parts)
    if not diff:
        return [Paragraph(say("nr.none differ", lang, method=method, k=k))]
    rows = items[items["variable"].isin(diff) & (items["group"] != "Total") & (items["n_asked"] > 0)].copy()
    texts = []
    for v in diff:
        r = rows[rows["variable"] == v]
        hi, lo = r.loc[r["nonresponse_percent"].idxmax()], r.loc[r["nonresponse_percent"].idxmin()]
        texts.append(say("nr.item", lang, item=label(v), high=hi["group"], hi=fmt_num(hi["nonresponse_percent"], 1),
                         low=lo["group"], lo=fmt_num(lo["nonresponse_percent"], 1)))
    p_adj = dict(zip(tests["variable"], tests["p_adj"]))
    rows["p_adj"] = [p_adj[v] if i == 0 else np.nan for v, i in zip(rows["variable"], rows.groupby("variable").cumcount())]
    rows["label"] = [label(v) for v in rows["variable"]]
    shown, _ = suppress_table("item_nonresponse", rows.reset_index(drop=True), min_cell)
    shown["n"] = shown["n_asked"]
    table = display_table("item_nonresponse", shown[ITEM_SHOWN])
    note = say("nr.table note", lang, k=k, method=method)
    return [translate_table(table, lang, say("nr.table", lang, by=by_label.lower()), [note]),
            Paragraph(say("nr.differ", lang, n=len(diff), k=k, method=method, items="; ".join(texts)))]


def _chart_blocks(parts: NonresponseParts, label, min_cell: int, lang: str, fmt: str | None) -> list:
    """The DK/NA chart of the differing items (none without such items, or without a chart format)."""
    from coprod.analysis.report import nonresponse_chart as _chart
    from coprod.analysis.report.sections import figure

    items = parts.tables["item_nonresponse"]
    diff = differing(parts)
    if fmt is None or not diff:
        return []
    rows = _chart.chart_rows(items[items["variable"].isin(diff) & (items["group"] != "Total")], label, min_cell)
    if not rows:
        return []
    legend = [say(f"nr.legend {k}", lang) for k in _chart.KINDS]
    img = _chart.nonresponse_svg(rows, legend) if fmt == "svg" else _chart.nonresponse_png(rows, legend)
    return [figure("nonresponse", say("nr.chart caption", lang), img, fmt)]


def _breakoff_blocks(parts: NonresponseParts, min_cell: int, lang: str) -> list:
    brk = parts.tables["breakoff"]
    total = brk.iloc[0]
    if not total["n_broke_off"]:
        return [Paragraph(say("nr.no breakoff", lang))]
    cols = ["group", "n", "n_completed", "n_broke_off", "n_empty", "breakoff_percent", "median_position"]
    shown = brk[cols] if not parts.overall else brk[cols].drop(columns="group")
    shown, _ = suppress_table("breakoff", shown.reset_index(drop=True), min_cell)
    table = display_table("breakoff", shown)
    note = say("nr.breakoff note", lang, m=int(total["n_positions"]))
    return [Paragraph(say("nr.breakoff", lang, n=int(total["n_broke_off"]), pct=fmt_num(total["breakoff_percent"], 1))),
            translate_table(table, lang, say("nr.breakoff table", lang), [note])]


def _mcar_blocks(parts: NonresponseParts, label, lang: str) -> list:
    mcar = parts.tables.get("mcar")
    if mcar is None or mcar.empty or mcar["p"].notna().sum() == 0:
        return []
    shown = mcar[mcar["p"].notna()][["scale", "n", "k", "n_patterns", "chisq", "df", "p"]].copy()
    shown["scale"] = [label(s) for s in shown["scale"]]
    table = translate_table(display_table("mcar", shown.reset_index(drop=True)), lang, say("nr.mcar table", lang),
                            [say("nr.mcar note", lang)])
    bad = [f"{label(s)} (p {_p(p)})" for s, p in zip(mcar["scale"], mcar["p"]) if np.isfinite(p) and p < ALPHA]
    text = say("nr.not mcar", lang, scales="; ".join(bad)) if bad else say("nr.mcar ok", lang)
    return [table, Paragraph(text)]


def _p(p: float) -> str:
    text = fmt_p(p)
    return text if text.startswith("<") else "= " + text


def methods_sentence(parts: NonresponseParts, lang: str) -> str:
    """What the section did, for the methods paragraph."""
    text = say("nr.methods", lang)
    if not parts.overall and len(parts.tables.get("nonresponse_tests", pd.DataFrame())):
        text += say("nr.methods tests", lang, method=_method(parts, lang))
    return text
