"""The report's "Can the groups be compared?" section: one-factor CFA of each scale and its measurement
invariance across the groups (:func:`analysis.stats.cfa.cfa` and :func:`~analysis.stats.cfa.invariance`),
shown as one fit table, one verdict in words per scale, a methods sentence and a note on the group
comparisons of the scales whose means cannot be compared (scalar invariance not supported).

The models are fitted with the library defaults: maximum likelihood, the first loading fixed to 1,
the respondents who answered every item of the scale; a group is left out of a scale's models with
fewer than :data:`MIN_N` such respondents (or the threshold of small-cell suppression, if higher).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from coprod.analysis.render import Heading, Paragraph
from coprod.analysis.render.apa import fmt_r
from coprod.analysis.render.specs import display_table

from .words import say, translate_table

#: Respondents a group needs (who answered every item of a scale) to enter that scale's invariance models.
MIN_N = 50
LEVELS = ("configural", "metric", "scalar", "strict")
ORDER = {m: i for i, m in enumerate(("single",) + LEVELS)}
SHOWN = ["scale", "model", "n", "chisq", "df", "cfi", "rmsea", "srmr", "delta_cfi", "delta_rmsea", "chisq_diff",
         "df_diff", "p_diff", "verdict"]


@dataclass
class InvarianceParts:
    """The section's results: ``fit`` (one-group rows, model ``single``, then the ladder of each scale),
    ``excluded`` (groups or scales left out, with the reason) and the scales whose means cannot be compared."""

    fit: pd.DataFrame
    excluded: pd.DataFrame
    scales: list = field(default_factory=list)
    not_comparable: list = field(default_factory=list)
    min_n: int = MIN_N
    cutoffs: dict = field(default_factory=dict)


def invariance_parts(resp, by: str, scales: list[str], min_cell: int = 0) -> InvarianceParts:
    """The one-group CFA and the invariance ladder of each of ``scales`` across the groups of ``by``."""
    from coprod.analysis.stats.cfa import CUTOFFS, cfa, invariance

    min_n = max(MIN_N, int(min_cell or 0))
    single = cfa(resp, scale=scales)
    ladder = invariance(resp, by=by, scale=scales, min_n=min_n)
    fit = pd.concat([f for f in (single.fit, ladder.fit) if len(f)], ignore_index=True) \
        if len(single.fit) or len(ladder.fit) else ladder.fit
    rank = {s: i for i, s in enumerate(scales)}
    if len(fit):
        key = fit["scale"].map(rank) * 10 + fit["model"].map(ORDER)
        fit = fit.iloc[key.argsort(kind="stable")].reset_index(drop=True)
    parts = InvarianceParts(fit, ladder.excluded, list(scales), min_n=min_n, cutoffs=dict(CUTOFFS))
    parts.not_comparable = [s for s in scales if _reached(fit, s) in ("configural", "metric")]
    return parts


def _ladder(fit: pd.DataFrame, scale: str) -> pd.DataFrame:
    return fit[(fit["scale"] == scale) & (fit["model"] != "single")] if len(fit) else fit


def _reached(fit: pd.DataFrame, scale: str) -> str | None:
    """The highest level that holds (every level before it holding too); None: not tested or not converged."""
    rows = _ladder(fit, scale)
    if rows.empty or (rows["verdict"] == "not converged").any():
        return None
    reached = "configural"
    for _, row in rows.iloc[1:].iterrows():
        if row["verdict"] != "holds":
            break
        reached = row["model"]
    return reached


def verdict_lines(parts: InvarianceParts, label, lang: str) -> list[str]:
    """One sentence per scale: how far invariance holds and what that means for comparing the means."""
    fit, lines = parts.fit, []
    for s in parts.scales:
        name, rows = label(s), _ladder(fit, s)
        ex = parts.excluded[parts.excluded["scale"] == s]
        if rows.empty:
            few = (ex["reason"].str.contains("three items")).any()
            lines.append(say("inv.few items", lang, scale=name) if few else
                         say("inv.few groups", lang, scale=name, n=parts.min_n))
            continue
        reached = _reached(fit, s)
        if reached is None:
            lines.append(say("inv.not converged", lang, scale=name))
            continue
        if reached in ("strict", "scalar"):
            text = say("inv." + reached, lang, scale=name)
        else:
            bad = rows.iloc[LEVELS.index(reached) + 1]
            text = say("inv.partial", lang, scale=name, level=say("inv.level " + reached, lang),
                       dcfi=fmt_r(bad["delta_cfi"], 3), drmsea=fmt_r(bad["delta_rmsea"], 3))
        conf = rows.iloc[0]
        if conf["verdict"] == "fails":
            text += say("inv.poor configural", lang, cfi=fmt_r(conf["cfi"], 3), rmsea=fmt_r(conf["rmsea"], 3),
                        srmr=fmt_r(conf["srmr"], 3))
        lines.append(text)
        small = ex[ex["n"] > 0]
        if len(small):
            lines.append(say("inv.left out", lang, scale=name, groups=", ".join(map(str, small["group"])),
                             n=parts.min_n))
    return lines


def blocks(parts: InvarianceParts, label, by_label: str, lang: str) -> list:
    """The section: heading, what it checks, the fit table, the verdicts (one paragraph per scale)."""
    out: list = [Heading(say("inv.heading", lang)), Paragraph(say("inv.intro", lang))]
    if parts.fit.empty:
        out.append(Paragraph(say("inv.none", lang, n=parts.min_n)))
        return out
    shown = parts.fit[SHOWN].copy()
    shown["scale"] = [label(s) for s in shown["scale"]]
    shown["model"] = [say("inv.model " + m, lang) for m in shown["model"]]
    shown["verdict"] = [say("inv.verdict " + v, lang) if isinstance(v, str) and v else "" for v in shown["verdict"]]
    cut = parts.cutoffs
    note = say("inv.table note", lang, dcfi=fmt_r(cut["delta_cfi"], 3), drmsea=fmt_r(cut["delta_rmsea"], 3),
               cfi=fmt_r(cut["cfi"], 2), rmsea=fmt_r(cut["rmsea"], 2), srmr=fmt_r(cut["srmr"], 2))
    table = display_table("cfa_fit", shown)
    out.append(translate_table(table, lang, say("inv.table", lang, by=by_label.lower()), [note]))
    out += [Paragraph(line) for line in verdict_lines(parts, label, lang)]
    return out


def methods_sentence(parts: InvarianceParts, lang: str) -> str:
    """The methods sentence: estimator, identification, missing data, the groups' minimum and Chen's cut-offs."""
    cut = parts.cutoffs
    return say("inv.methods", lang, estimator=say("inv.estimator ml", lang),
               identification=say("inv.identification marker", lang), missing=say("inv.missing listwise", lang),
               n=parts.min_n, dcfi=fmt_r(cut["delta_cfi"], 3), drmsea=fmt_r(cut["delta_rmsea"], 3))


def compare_note(parts: InvarianceParts, label, lang: str) -> str:
    """The note under the group comparisons naming the scales that failed scalar invariance ('' for none)."""
    if not parts.not_comparable:
        return ""
    return say("inv.compare note", lang, scales="; ".join(label(s) for s in parts.not_comparable),
               heading=say("inv.heading", lang))
