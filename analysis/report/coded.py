"""The report's "What respondents said" section: themes of the coded open answers by group, tested,
the agreement between coders and the quotes, under pseudonymous keys (:func:`analysis.coding.run.coding_section`).

The coded answers come as the coding commands read them: coded workbooks (``.xlsx``), REFI-QDA
projects (``.qdpx``) or a coded-answers table (``.csv``), or as that table itself.  With the key file of
the export (default: ``coding.key`` beside the first coded file, where it exists) the groups are those of
the report's data, in its language; without one, those written in the workbooks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from coprod.analysis.render import Heading, Paragraph
from coprod.analysis.render.apa import fmt_num, fmt_r
from coprod.analysis.render.document import Column, DisplayTable
from coprod.analysis.render.specs import display_table
from coprod.analysis.render.suppress import TOTAL, suppress_table

from .words import say, term, translate_table

TEST_WORDS = {"chi2": "χ²", "fisher": "Fisher"}


@dataclass
class CodedParts:
    """The coding tables (``themes``, ``theme_tests``, ``agreement`` with two or more coders, ``quotes``)
    and what the methods sentence needs."""

    tables: dict
    coders: int = 1
    rule: str = "majority"
    n_themes: int = 0
    adjust: str = "holm"
    labels: dict = field(default_factory=dict)


def coded_parts(coded, resp, instrument, by: str | None, key_file=None, adjust: str = "holm",
                lang: str | None = None, rule: str = "majority") -> CodedParts:
    """The section's tables from ``coded`` (paths of coded files, or a coded-answers table)."""
    from coprod.analysis.coding.merge import load_coded
    from coprod.analysis.coding.run import coding_section, default_key_file

    if isinstance(coded, pd.DataFrame):
        table = coded
    else:
        paths = [coded] if isinstance(coded, (str, Path)) else list(coded)
        table = load_coded(paths, instrument).coded
        if key_file is None and default_key_file(paths[0]).exists():
            key_file = default_key_file(paths[0])
    tables, _ = coding_section(table, instrument, resp=resp if key_file is not None else None, key_file=key_file,
                               by=by, rule=rule, adjust=adjust, lang=lang, quotes=True,
                               scales=False)
    themes = tables["themes"]
    labels = dict(zip(themes["theme"], themes["label"].where(themes["label"].astype(bool), themes["theme"])))
    return CodedParts(tables, coders=int(table["coder"].nunique()), rule=rule, n_themes=len(labels), adjust=adjust,
                      labels=labels)


def _suppression(hidden: int, min_cell: int, lang: str) -> str:
    return say("suppressed", lang, n=min_cell) if hidden else ""


def _themes_table(parts: CodedParts, min_cell: int, lang: str) -> DisplayTable:
    """Themes as rows, each group (Total first) as n and % of those answering."""
    df, hidden = suppress_table("themes", parts.tables["themes"], min_cell)
    groups = list(dict.fromkeys(df["group"]))
    names = {g: say("Total", lang) if g == TOTAL else str(g) for g in groups}
    columns = [Column("Theme")] + [c for g in groups for c in (Column(f"{names[g]} n", "int"),
                                                                Column(f"{names[g]} %", "num1"))]
    rows = []
    for theme, part in df.groupby("theme", sort=False):
        by_group = {g: r for g, r in zip(part["group"], part.itertuples(index=False))}
        row = [parts.labels.get(theme, theme)]
        for g in groups:
            r = by_group.get(g)
            row += [r.n_mentioning, r.percent] if r is not None else [None, None]
        rows.append(row)
    t = DisplayTable("themes", "", columns, rows)
    return translate_table(t, lang, say("coding.themes", lang),
                           [say("coding.themes note", lang), _suppression(hidden, min_cell, lang)])


def _tests_table(parts: CodedParts, min_cell: int, lang: str) -> DisplayTable:
    df, hidden = suppress_table("theme_tests", parts.tables["theme_tests"], min_cell)
    words = [TEST_WORDS.get(t, "") if isinstance(t, str) else "" for t in df["test"]]
    df = df.drop(columns=["note"]).assign(theme=[parts.labels.get(t, t) for t in df["theme"]])
    t = display_table("theme_tests", df)
    j = t.headers.index("Test") if "Test" in t.headers else None
    if j is not None:
        for row, w in zip(t.rows, words):
            row[j] = w
    for c in t.columns:
        if c.header == "Cramér's V":
            c.header = "V"
    notes = [say("coding.tests note", lang)]
    if parts.adjust and parts.adjust != "none":
        from coprod.analysis.render import apa

        notes.append(say("coding.adjusted", lang, method=term(apa.adjust_name(parts.adjust), lang)))
    return translate_table(t, lang, say("coding.tests", lang), notes + [_suppression(hidden, min_cell, lang)])


def _agreement_table(parts: CodedParts, lang: str) -> DisplayTable:
    from coprod.analysis.coding.agreement import OVERALL

    df = parts.tables["agreement"]
    df = df.assign(theme=[say("coding.all themes", lang) if t == OVERALL else parts.labels.get(t, t)
                          for t in df["theme"]])
    return translate_table(display_table("agreement", df), lang, say("coding.agreement", lang),
                           [say("coding.agreement note", lang)])


def _quotes_table(parts: CodedParts, min_cell: int, lang: str) -> DisplayTable:
    df, hidden = suppress_table("quotes", parts.tables["quotes"], min_cell)
    df = df.assign(theme=[parts.labels.get(t, t) for t in df["theme"]],
                   group=[say("Total", lang) if g == TOTAL else g for g in df["group"]],
                   flags=[say("coding.flagged", lang) if isinstance(f, str) and f else "" for f in df["flags"]])
    df = df[["theme", "group", "key", "question", "quote", "flags"]]
    return translate_table(display_table("quotes", df), lang, say("coding.quotes", lang),
                           [say("coding.quotes note", lang), _suppression(hidden, min_cell, lang)])


def blocks(parts: CodedParts, min_cell: int, lang: str) -> list:
    """The section: heading, themes by group, their tests, agreement, quotes."""
    out: list = [Heading(say("coding.heading", lang)), _themes_table(parts, min_cell, lang),
                 _tests_table(parts, min_cell, lang)]
    if "agreement" in parts.tables:
        out.append(_agreement_table(parts, lang))
    quotes = parts.tables.get("quotes")
    out.append(_quotes_table(parts, min_cell, lang) if quotes is not None and len(quotes)
               else Paragraph(say("coding.no quotes", lang)))
    return out


def methods_sentence(parts: CodedParts, lang: str) -> str:
    """How the answers were coded: the codebook, the coders and how they were combined, and Krippendorff's alpha."""
    many = parts.coders > 1
    text = say("coding.methods", lang, themes=parts.n_themes,
               coders=say("coding.coders", lang, n=parts.coders) if many else say("coding.one coder", lang),
               combined=say("coding.combined", lang, rule=say("coding.rule " + parts.rule, lang)) if many else "")
    agr = parts.tables.get("agreement")
    if agr is not None:
        from coprod.analysis.coding.agreement import OVERALL

        row = agr[agr["theme"] == OVERALL]
        if len(row):
            r = row.iloc[0]
            alpha = say("coding.alpha undefined", lang) if pd.isna(r["alpha"]) else fmt_r(r["alpha"], 2)
            text += " " + say("coding.alpha", lang, units=int(r["units"]), alpha=alpha,
                              percent=fmt_num(r["percent_agreement"], 1))
    return text
