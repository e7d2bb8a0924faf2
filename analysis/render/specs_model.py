"""How the tables of the ordinal model are shown: coefficients with odds ratios, thresholds, model fit,
the tests of each term and of proportional odds, and the probability of superiority of each pair of groups.

>>> import pandas as pd
>>> t = pd.DataFrame({"term": ["role: Volunteer"], "variable": ["role"], "level": ["Volunteer"], "n": [40],
...                   "estimate": [0.52], "se": [0.2], "z": [2.6], "p": [0.0093], "odds_ratio": [1.682],
...                   "or_ci_low": [1.137], "or_ci_high": [2.489]})
>>> d = SPECS_MODEL["coefficients"](t, RenderContext())
>>> d.headers
['Term', 'n', 'b', 'SE', 'z', 'p', 'OR [95% CI]']
>>> d.text_rows()[0]
['role: Volunteer', '40', '0.52', '0.20', '2.60', '.009', '1.68 [1.14, 2.49]']
"""
from __future__ import annotations

import pandas as pd

from . import apa
from .context import RenderContext
from .document import Column, DisplayTable
from .specs_more import table_notes
from .suppress import SUPPRESSED, is_suppressed


def _or_text(d: dict) -> str:
    if is_suppressed(d.get("odds_ratio")):
        return SUPPRESSED
    if apa.is_missing(d.get("odds_ratio")):
        return ""
    return f"{apa.fmt_num(d['odds_ratio'])} {apa.fmt_ci(d.get('or_ci_low'), d.get('or_ci_high'))}".rstrip()


def _coefficients(df: pd.DataFrame, ctx: RenderContext) -> DisplayTable:
    rows = [[d["term"], d.get("n"), d["estimate"], d["se"], d["z"], d["p"], _or_text(d)] for d in df.to_dict("records")]
    cols = [Column("Term"), Column("n", "int"), Column("b", "num"), Column("SE", "num"), Column("z", "num"),
            Column("p", "p"), Column("OR [95% CI]")]
    notes = ["Proportional-odds (cumulative logit) model, logit P(Y ≤ j) = threshold j − (b₁x₁ + ...), as R's "
             "MASS::polr: a positive b means higher answers. OR = exp(b), the odds of a higher answer against the "
             "reference group (the first group; the first level of a categorical covariate) or per unit of a "
             "numeric covariate, with Wald 95% intervals; z tests are Wald tests. n: respondents at that level.",
             ctx.missing_rule or ""]
    return DisplayTable("coefficients", "Ordinal regression: coefficients", cols, rows,
                        table_notes("coefficients", ctx, notes))


def _thresholds(df: pd.DataFrame, ctx: RenderContext) -> DisplayTable:
    rows = [[d["threshold"], d["estimate"], d["se"]] for d in df.to_dict("records")]
    return DisplayTable("thresholds", "Ordinal regression: thresholds", [Column("Threshold"), Column("Estimate", "num"),
                        Column("SE", "num")], rows,
                        table_notes("thresholds", ctx, ["Threshold j|k: the logit of answering j or lower when every "
                                                        "predictor is 0 (the reference group)."]))


def _chisq_text(chisq, df, p) -> str:
    if is_suppressed(chisq):
        return SUPPRESSED
    if apa.is_missing(chisq):
        return ""
    pt = apa.fmt_p(p)
    return f"χ²({apa.fmt_df(df)}) = {apa.fmt_num(chisq)}, p {pt if pt.startswith('<') else '= ' + pt}"


def _fit(df: pd.DataFrame, ctx: RenderContext) -> DisplayTable:
    rows = [[d["outcome"], d["n"], d["categories"], d["log_likelihood"], d["aic"],
             _chisq_text(d["lr_chisq"], d["lr_df"], d["lr_p"]), d["r2_mcfadden"], d["r2_nagelkerke"],
             d.get("note") or ""] for d in df.to_dict("records")]
    cols = [Column("Outcome"), Column("n", "int"), Column("Categories", "int"), Column("Log-likelihood", "num"),
            Column("AIC", "num"), Column("Likelihood ratio"), Column("R² McFadden", "r3"),
            Column("R² Nagelkerke", "r3"), Column("Note")]
    if all(not r[-1] for r in rows):
        cols, rows = cols[:-1], [r[:-1] for r in rows]
    notes = ["Likelihood ratio: the model against the thresholds-only model. Pseudo R² as SPSS PLUM reports "
             "them (McFadden: 1 − LL / LL₀; Nagelkerke: Cox and Snell's rescaled to a maximum of 1)."]
    return DisplayTable("model_fit", "Ordinal regression: model fit", cols, rows, table_notes("model_fit", ctx, notes))


def _lr_table(name: str, title: str, note: str):
    def spec(df: pd.DataFrame, ctx: RenderContext) -> DisplayTable:
        rows = [[d["term"], d["lr_chisq"], d["df"], d["p"], d.get("note") or ""] for d in df.to_dict("records")]
        cols = [Column("Term"), Column("χ²", "num"), Column("df", "df"), Column("p", "p"), Column("Note")]
        if all(not r[-1] for r in rows):
            cols, rows = cols[:-1], [r[:-1] for r in rows]
        return DisplayTable(name, title, cols, rows, table_notes(name, ctx, [note]))
    return spec


def _superiority(df: pd.DataFrame, ctx: RenderContext) -> DisplayTable:
    rows = []
    for d in df.to_dict("records"):
        ci = SUPPRESSED if is_suppressed(d.get("ci_low")) else apa.fmt_ci(d.get("ci_low"), d.get("ci_high"), "r")
        rows.append([f"{d['group1']} – {d['group2']}", d["n1"], d["n2"], d["p_superiority"], ci])
    cols = [Column("Comparison"), Column("n1", "int"), Column("n2", "int"), Column("PS", "r"), Column("95% CI")]
    notes = ["PS: probability of superiority, P(first > second) + P(equal) / 2 = U / (n1 n2) from the Mann-Whitney "
             "U of the first group; .50 = no difference. Interval: the rank-biserial r's (Fisher z) mapped by "
             "(r + 1) / 2. The model's respondents."]
    return DisplayTable("superiority", "Probability of superiority", cols, rows, table_notes("superiority", ctx, notes))


SPECS_MODEL = {
    "coefficients": _coefficients,
    "thresholds": _thresholds,
    "model_fit": _fit,
    "model_terms": _lr_table("model_terms", "Ordinal regression: likelihood-ratio tests of the terms",
                             "Each term: the model against the model without it."),
    "proportional_odds": _lr_table("proportional_odds", "Test of proportional odds",
                                   "Likelihood-ratio test of each term's effect being the same at every threshold, "
                                   "against the model where it differs by threshold (as R's ordinal::nominal_test); "
                                   "all terms: every effect free at once. A small p questions the proportional-odds "
                                   "assumption for that term."),
    "superiority": _superiority,
}
