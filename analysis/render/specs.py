"""Table specifications: how each known result table is shown to people.

:func:`display_table` maps a numeric result table (``descriptives``, ``frequencies``,
``reliability``, ``item_total``, ``tests``, ``posthoc``, ``group_stats``, ``validation``,
``sample``) to a :class:`~analysis.render.document.DisplayTable` with APA headers, number
kinds and table notes.  Any other table gets a generic rendering: headers from a dictionary of
known column names, number kinds guessed from the names (``p`` columns as p-values, ``n`` as
counts ...).

``ctx``, a :class:`~analysis.render.context.RenderContext`, carries what the notes need beyond
the table: the groups' order, the missing-data rule, the small-cell threshold and the cells
hidden per table, the p-value correction asked for.

>>> import pandas as pd
>>> t = pd.DataFrame({"variable": ["x"], "test": ["welch_anova"], "statistic": [5.2], "df": [None],
...                   "df1": [2.0], "df2": [110.4], "p": [0.0341], "p_adj": [None], "effsize": [0.04],
...                   "effsize_name": ["omega_squared"], "ci_low": [0.0], "ci_high": [0.1], "n": [300]})
>>> d = display_table("tests", t)
>>> d.headers
['Variable', 'Test', 'Statistic', 'df', 'p', 'Effect size', 'n']
>>> d.text_rows()[0]
['x', "Welch's ANOVA", '5.20', '2, 110.40', '.034', 'ω² = .04 [.00, .10]', '300']
"""
from __future__ import annotations

from numbers import Integral
from typing import Mapping

import numpy as np
import pandas as pd

from coprod.instrument.words import plural

from . import apa
from .context import RenderContext
from .document import Column, DisplayTable
from .specs_model import SPECS_MODEL
from .specs_freq import frequencies_table
from .specs_more import SPECS_MORE, order_groups as _order_groups, records, table_notes as _notes, test_extras
from .suppress import SUPPRESSED, is_suppressed

TITLES = {
    "sample": "Sample by group",
    "descriptives": "Descriptive statistics",
    "descriptives_by_group": "Means and standard deviations by group",
    "frequencies": "Frequencies",
    "reliability": "Reliability of the scales",
    "item_total": "Item-total statistics",
    "tests": "Group comparisons",
    "posthoc": "Pairwise comparisons",
    "group_stats": "Group statistics",
    "validation": "Data check",
    "cfa_fit": "Confirmatory factor analysis: model fit",
    "cfa_loadings": "Factor loadings",
    "cfa_intercepts": "Item intercepts",
    "cfa_residuals": "Residual variances",
    "latent_means": "Latent means (scalar model)",
    "intercept_release": "Intercepts whose release improves the scalar model (score tests)",
    "cfa_excluded": "Groups left out of the factor analysis",
    # the coding of open answers (coprod coding)
    "agreement": "Agreement between coders", "disagreements": "Disagreements to reconcile",
    "themes": "Themes by group", "theme_tests": "Themes: differences between groups",
    "cooccurrence": "Co-occurrence of themes", "theme_scales": "Themes and scale scores",
    "quotes": "Quote bank", "problems": "Problems in the coded workbooks",
    "weighting": "Case weights",
    # non-response
    "item_nonresponse": "Item non-response by group (% of those asked)", "nonresponse_tests":
    "Does non-response differ by group?", "breakoff": "Break-off", "mcar": "Little's MCAR test",
    "respondents": "Non-response per respondent",
}

HEADERS = {
    "variable": "Variable", "label": "Label", "group": "Group", "scale": "Scale", "n": "n", "count": "n",
    "missing": "Missing", "mean": "M", "sd": "SD", "se": "SE", "median": "Mdn", "q1": "Q1", "q3": "Q3",
    "min": "Min", "max": "Max", "top_box": "% agree", "value": "Code", "percent": "%",
    "valid_percent": "Valid %", "cumulative_percent": "Cum. %", "statistic": "Statistic", "df": "df",
    "df1": "df1", "df2": "df2", "p": "p", "p_adj": "p adj.", "adjust": "Correction", "effsize": "Effect size",
    "effsize_name": "Effect", "ci_low": "CI low", "ci_high": "CI high", "levene_f": "Levene F",
    "levene_p": "Levene p", "note": "Note", "warning": "Warning", "k": "k", "alpha": "α",
    "alpha_std": "α (std.)", "omega": "ω", "mean_r": "Mean r", "r_drop": "r (item-rest)",
    "alpha_if_deleted": "α if deleted", "scale_mean_if_deleted": "M if deleted",
    "scale_var_if_deleted": "Var. if deleted", "group1": "Group 1", "group2": "Group 2", "diff": "Diff.",
    "method": "Method", "test": "Test", "row": "Row", "line": "Line", "respondent": "Respondent",
    "problem": "Problem", "message": "Problem", "severity": "Severity", "rule": "Rule", "sheet": "Sheet",
    "file": "File", "respondent_id": "Respondent", "detail": "Detail", "meaning": "Meaning",
    "rows": "Rows", "values": "Values", "source_file": "File",
    "model": "Model", "chisq": "χ²", "cfi": "CFI", "tli": "TLI", "rmsea": "RMSEA", "rmsea_ci_low": "RMSEA low",
    "rmsea_ci_high": "RMSEA high", "srmr": "SRMR", "delta_cfi": "ΔCFI", "delta_rmsea": "ΔRMSEA",
    "chisq_diff": "Δχ²", "df_diff": "Δdf", "p_diff": "p (Δχ²)", "verdict": "Verdict", "estimate": "Estimate",
    "std": "Std.", "reason": "Reason", "mean_rank": "Mean rank", "ci_method": "CI method", "z": "z", "w": "W",
    "groups": "Groups", "se_diff": "SE",
    # the coding of open answers
    "theme": "Theme", "n_mentioning": "Mentioning", "n_answering": "Answering", "units": "Units",
    "coders": "Coders", "percent_agreement": "% agreement", "theme1": "Theme 1", "theme2": "Theme 2",
    "jaccard": "Jaccard", "quote": "Quote", "n_group": "n (group)", "n_not": "Not mentioning",
    "mean_mentioning": "M (mentioning)", "mean_not": "M (not)", "present": "Present (coders)",
    "absent": "Absent (coders)", "answer": "Answer", "flags": "Flags", "question": "Question",
    "key": "Key", "coder": "Coder", "notes": "Notes",
    # case weights
    "weight_type": "Weight type", "cases": "Cases", "cases_excluded": "Left out", "sum_of_weights": "Sum of weights",
    "valid_percent_se": "SE (valid %)", "valid_percent_ci_low": "CI low (valid %)",
    "valid_percent_ci_high": "CI high (valid %)",
    # non-response
    "n_not_asked": "Not asked", "n_asked": "Asked", "n_answered": "Answered", "n_dont_know": "DK",
    "n_not_applicable": "NA", "n_refused": "Refused", "n_missing": "Empty", "nonresponse_percent": "% no answer",
    "dont_know_percent": "% DK", "not_applicable_percent": "% NA", "refused_percent": "% refused",
    "missing_percent": "% empty", "n_completed": "Completed", "n_broke_off": "Broke off", "n_empty": "No answers",
    "breakoff_percent": "% broke off", "median_position": "Mdn position", "n_positions": "Questions",
    "n_patterns": "Patterns", "last_position": "Last position", "last_question": "Last question",
    "broke_off": "Broke off",
}


_INT_NAMES = {"n", "count", "k", "missing", "n1", "n2", "row", "line", "rows", "respondents", "cases", "errors", "warnings"}
_FIT_NAMES = {"cfi", "tli", "rmsea", "rmsea_ci_low", "rmsea_ci_high", "srmr", "delta_cfi", "delta_rmsea"}
_R_NAMES = {"alpha", "alpha_std", "omega", "mean_r", "r_drop", "alpha_if_deleted", "r", "eta_squared",
            "omega_squared", "epsilon_squared", "cramers_v"}


def guess_kind(name: str, series: pd.Series) -> str:
    """The number kind of a column from its name and values."""
    n = str(name).lower()
    values = series[[not is_suppressed(v) for v in series]] if series.dtype == object else series
    numeric = pd.api.types.is_numeric_dtype(values) or (
        len(values) > 0 and all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) or apa.is_missing(v)
                                for v in values))
    if not numeric or pd.api.types.is_bool_dtype(series):
        return "text"
    if n == "p" or n.startswith("p_") or n.endswith("_p") or n == "pvalue":
        return "p"
    if n in _INT_NAMES or n.startswith("n_"):
        return "int"
    if "percent" in n or n.endswith("_pct") or n == "top_box":
        return "num1"
    if n in _R_NAMES:
        return "r"
    if n in _FIT_NAMES:
        return "r3"
    if n.startswith("df"):
        return "df"
    vals = pd.to_numeric(pd.Series([v for v in values if not apa.is_missing(v)], dtype=object), errors="coerce")
    if len(vals) and vals.notna().all() and (vals % 1 == 0).all():
        return "int"
    return "num"


def _present(df: pd.DataFrame, col: str) -> bool:
    if col not in df.columns:
        return False
    if df[col].dtype.kind in "fiub":  # numbers only: neither None nor the suppression mark
        return bool(df[col].notna().any())
    return not all(apa.is_missing(v) or is_suppressed(v) for v in df[col].tolist())  # stops at the first value


def _missing_rule(ctx: RenderContext, default: str) -> str:
    return ctx.missing_rule or default


def _rows(df: pd.DataFrame, cols: list[str]) -> list[list]:
    return [list(r) for r in records(df[cols])]


def _generic(name: str, df: pd.DataFrame, ctx: RenderContext, title: str | None = None, notes=()) -> DisplayTable:
    cols = [c for c in df.columns if not str(c).startswith("_") and (_present(df, c) or c in ("variable", "group"))]
    columns = [Column(HEADERS.get(str(c), str(c)), guess_kind(c, df[c])) for c in cols]
    rows = _rows(df, cols) if cols else []
    return DisplayTable(name, title or TITLES.get(name, name.replace("_", " ").capitalize()), columns, rows,
                        _notes(name, ctx, list(notes)))


# ------------------------------------------------------------------------------ known tables
def _descriptives(df, ctx):
    df = _order_groups(df, ctx)
    spec = [("variable", "Variable", "text"), ("label", "Label", "text"), ("group", "Group", "text"),
            ("n", "n", "int"), ("missing", "Missing", "int"), ("mean", "M", "num"), ("sd", "SD", "num"),
            ("median", "Mdn", "num"), ("q1", "Q1", "num"), ("q3", "Q3", "num"), ("min", "Min", "num"),
            ("max", "Max", "num"), ("top_box", "% agree", "num1"), ("skewness", "Skew.", "num"),
            ("kurtosis", "Kurt.", "num")]
    if ctx.design_based and "mean_ci_low" in df.columns:  # sampling weights: the mean's design-based SE and CI
        df = df.assign(_ci=[SUPPRESSED if is_suppressed(lo) else apa.fmt_ci(lo, hi)
                            for lo, hi in zip(df["mean_ci_low"], df["mean_ci_high"])])
        spec[6:6] = [("se", "SE", "num"), ("_ci", "95% CI", "text")]
    spec = [s for s in spec if s[0] in df.columns and (_present(df, s[0]) or s[0] in ("variable", "n"))]
    box = _top_box_header(df, ctx)
    spec = [(c, box, k) if c == "top_box" else (c, h, k) for c, h, k in spec]
    if "label" in df.columns and (df["label"].astype(str) == df["variable"].astype(str)).all():
        spec = [s for s in spec if s[0] != "label"]
    if "group" in df.columns and set(df["group"].astype(str)) == {"Total"}:
        spec = [s for s in spec if s[0] != "group"]
    notes = [
        _missing_rule(ctx, "Missing answers (empty cells and user-missing codes such as don't know) are excluded "
                           "item by item; n counts the valid answers."),
        ("Mdn, Q1 and Q3: the smallest values whose weighted share reaches 50%, 25% and 75%; SE and 95% CI of "
         "M: design-based (normal interval)." if ctx.design_based else "Mdn, Q1 and Q3 are SPSS's weighted-average percentiles.")
        + (" Skew., Kurt.: skewness and excess kurtosis (SPSS's formulas)." if any(s[0] == "skewness" for s in spec)
           else "")
        + (_top_box_note(box, ctx, _top_box_shown(df)) if any(s[0] == "top_box" for s in spec) else ""),
    ]
    return DisplayTable("descriptives", TITLES["descriptives"], [Column(h, k) for _, h, k in spec],
                        _rows(df, [s[0] for s in spec]), _notes("descriptives", ctx, notes))


def _top_box_shown(df) -> list:
    """The variables of a table whose top box is shown."""
    return list(df["variable"][df["top_box"].notna()]) if {"variable", "top_box"} <= set(df.columns) else []


def _top_box_header(df, ctx) -> str:
    """"% agree or strongly agree", "% often or very often": the top box in the words of the items' answer
    scale when they share one; "% top box" when they do not; "% agree" when the scales are not known."""
    words = {ctx.top_box_labels.get(v) for v in _top_box_shown(df)}
    if not ctx.top_box_labels or not words or None in words:
        return "% agree" if not ctx.top_box_labels else "% top box"
    return f"% {words.pop()}" if len(words) == 1 else "% top box"


def _top_box_note(box: str, ctx, shown=()) -> str:
    """The note on the top-box column; for "% top box", each answer scale's top box among the variables
    ``shown`` in the table (all the context knows when none are named)."""
    labels = [ctx.top_box_labels[v] for v in shown if v in ctx.top_box_labels] or list(ctx.top_box_labels.values())
    if box == "% top box" and labels:
        scales = "; ".join(sorted(set(labels)))
        return f" % top box: valid answers in the top two categories of each item's answer scale ({scales})."
    return f" {box}: valid answers in the top two categories."


def descriptives_by_group(df: pd.DataFrame, ctx: RenderContext | None, group_n: Mapping[str, object] | None = None,
                          title: str | None = None) -> DisplayTable:
    """One row per variable, ``M (SD)`` per group (the instrument's order), group n in the header."""
    ctx = ctx if ctx is not None else RenderContext()
    df = _order_groups(df, ctx)
    groups = list(dict.fromkeys(df["group"].astype(str)))
    variables = list(dict.fromkeys(df["variable"].astype(str)))
    cells = {(str(v), str(g)): (m, s) for v, g, m, s in zip(df["variable"], df["group"], df["mean"], df["sd"])}
    labels = dict(zip(df["variable"].astype(str), df["label"].astype(str))) if "label" in df.columns else {}
    cols = [Column("Variable"), Column("Label")]
    for g in groups:
        n = (group_n or {}).get(g)
        head = g if n is None else f"{g} (n = {apa.fmt_int(n) if isinstance(n, Integral) else n})" \
            if not is_suppressed(n) else f"{g} (n = ..)"
        cols.append(Column(head))
    rows = []
    for v in variables:
        row = [v, labels.get(v, "")]
        for g in groups:
            m, s = cells.get((v, g), (None, None))
            row.append(SUPPRESSED if is_suppressed(m) or is_suppressed(s) else apa.fmt_m_sd(m, s))
        rows.append(row)
    notes = ["Cells show M (SD); n in the header is the group's number of respondents.",
             _missing_rule(ctx, "Missing answers are excluded item by item.")]
    if all(not labels.get(v) or labels.get(v) == v for v in variables):
        cols.pop(1)
        rows = [r[:1] + r[2:] for r in rows]
    return DisplayTable("descriptives_by_group", title or TITLES["descriptives_by_group"], cols, rows,
                        _notes("descriptives", ctx, notes))


def _reliability(df, ctx):
    df = _order_groups(df, ctx, keys=("scale",))
    rows = []
    for r in df.itertuples(index=False):
        d = r._asdict()
        ci = SUPPRESSED if is_suppressed(d.get("ci_low")) else apa.fmt_ci(d.get("ci_low"), d.get("ci_high"), "r")
        msd = SUPPRESSED if is_suppressed(d.get("scale_mean")) else apa.fmt_m_sd(d.get("scale_mean"), d.get("scale_sd"))
        rows.append([d["scale"], d.get("group", ""), d.get("n"), d.get("k"), msd, d.get("alpha"), ci, d.get("omega"),
                     d.get("mean_r"), "" if apa.is_missing(d.get("note")) else d.get("note")])
    cols = [Column("Scale"), Column("Group"), Column("n", "int"), Column("k", "int"), Column("Sum M (SD)"),
            Column("α", "r"), Column("95% CI"), Column("ω", "r"), Column("Mean r", "r"), Column("Note")]
    keep = [i for i, c in enumerate(cols) if any(not apa.is_missing(r[i]) and r[i] != "" for r in rows)
            or c.header in ("Scale", "n", "α")]
    cols = [cols[i] for i in keep]
    rows = [[r[i] for i in keep] for r in rows]
    notes = ["α: Cronbach's alpha with Feldt's 95% confidence interval; ω: McDonald's omega total (one factor, "
             "minimum residual; items loading negatively reversed, as psych::omega); mean r: mean inter-item "
             "correlation; sum M (SD): of the sum of the items.",
             "Listwise: respondents who answered every item of the scale; reverse-keyed items recoded first."]
    return DisplayTable("reliability", TITLES["reliability"], cols, rows, _notes("reliability", ctx, notes))


def _item_total(df, ctx):
    df = _order_groups(df, ctx, keys=("scale",))
    spec = [("scale", "Scale", "text"), ("group", "Group", "text"), ("variable", "Item", "text"),
            ("mean", "M", "num"), ("sd", "SD", "num"), ("r_drop", "r (item-rest)", "r"),
            ("alpha_if_deleted", "α if deleted", "r"), ("smc", "SMC", "r"), ("omega_if_deleted", "ω if deleted", "r")]
    spec = [s for s in spec if s[0] in df.columns and (s[0] not in ("smc", "omega_if_deleted") or _present(df, s[0]))]
    notes = ["r (item-rest): corrected item-total correlation; α if deleted: alpha of the scale without the item"
             + ("; SMC: squared multiple correlation with the other items" if any(s[0] == "smc" for s in spec) else "")
             + "."]
    return DisplayTable("item_total", TITLES["item_total"], [Column(h, k) for _, h, k in spec],
                        _rows(df, [s[0] for s in spec]), _notes("item_total", ctx, notes))


def _effect_text(name, value, lo, hi) -> str:
    if apa.is_missing(value):
        return ""
    kind = apa.effect_kind(name)
    val = apa.fmt_r(value) if kind == "r" else apa.fmt_num(value)
    label = apa.effect_name(name)
    ci = apa.fmt_ci(lo, hi, kind)
    return f"{label} = {val}" + (f" {ci}" if ci else "") if label else val + (f" {ci}" if ci else "")


def _df_text(d) -> str:
    if not apa.is_missing(d.get("df")):
        return apa.fmt_df(d["df"])
    if not apa.is_missing(d.get("df1")):
        return f"{apa.fmt_df(d['df1'])}{apa.list_sep()}{apa.fmt_df(d.get('df2'))}" if not apa.is_missing(d.get("df2")) else apa.fmt_df(d["df1"])
    return ""


def _tests(df, ctx):
    rows = []
    for r in df.itertuples(index=False):
        d = r._asdict()
        note = "; ".join([str(d[k]) for k in ("warning", "note") if k in d and isinstance(d[k], str) and d[k]]
                         + [t for t in [test_extras(d)] if t])
        rows.append([d.get("variable"), apa.test_name(d.get("test")), d.get("statistic"), _df_text(d), d.get("p"),
                     d.get("p_adj"), _effect_text(d.get("effsize_name"), d.get("effsize"), d.get("ci_low"), d.get("ci_high")),
                     d.get("n"), note])
    cols = [Column("Variable"), Column("Test"), Column("Statistic", "num"), Column("df"), Column("p", "p"),
            Column("p adj.", "p"), Column("Effect size"), Column("n", "int"), Column("Note")]
    keep = [i for i, c in enumerate(cols) if c.header in ("Variable", "Statistic", "p") or
            any(not apa.is_missing(r[i]) and r[i] != "" for r in rows)]
    cols = [cols[i] for i in keep]
    rows = [[r[i] for i in keep] for r in rows]
    tests = [apa.test_name(t) for t in dict.fromkeys(df["test"]) if isinstance(t, str)] if "test" in df.columns else []
    notes = []
    if tests:
        notes.append("Tests: " + ", ".join(tests) + ". Effect sizes with 95% confidence intervals in brackets.")
    adj = [a for a in dict.fromkeys(df["adjust"]) if isinstance(a, str) and a and a != "none"] if "adjust" in df.columns else []
    if not adj and ctx.adjust and ctx.adjust != "none" and _present(df, "p_adj"):
        adj = [ctx.adjust]
    if adj:
        notes.append(f"p adj.: p adjusted for the {plural(int(df['p_adj'].notna().sum()), 'test')} with "
                     + ", ".join(apa.adjust_name(a) for a in adj) + ".")
    elif "p_adj" in df.columns:
        notes.append("p-values are not adjusted for multiple testing.")
    notes.append(_missing_rule(ctx, "Each test uses the respondents with a valid answer and a valid group "
                                    "(user-missing codes excluded)."))
    return DisplayTable("tests", TITLES["tests"], cols, rows, _notes("tests", ctx, notes))


def _posthoc(df, ctx):
    rows = []
    adjusted = _present(df, "p_adj")
    for r in df.itertuples(index=False):
        d = r._asdict()
        ci = SUPPRESSED if is_suppressed(d.get("ci_low")) else apa.fmt_ci(d.get("ci_low"), d.get("ci_high"), "num")
        rows.append([d.get("variable"), f"{d.get('group1')} – {d.get('group2')}", apa.test_name(d.get("method")),
                     d.get("diff"), d.get("se"), d.get("statistic"), d.get("p_adj") if adjusted else d.get("p"), ci])
    cols = [Column("Variable"), Column("Comparison"), Column("Method"), Column("Diff.", "num"), Column("SE", "num"),
            Column("Statistic", "num"), Column("p adj.", "p"), Column("95% CI")]
    keep = [i for i, c in enumerate(cols) if c.header in ("Variable", "Comparison", "p adj.") or
            any(not apa.is_missing(r[i]) and r[i] != "" for r in rows)]
    cols = [cols[i] for i in keep]
    rows = [[r[i] for i in keep] for r in rows]
    methods = [apa.test_name(m) for m in dict.fromkeys(df["method"]) if isinstance(m, str)] if "method" in df.columns else []
    notes = ["Diff.: first group minus second. " + (f"Methods: {', '.join(methods)}; " if methods else "")
             + "p-values and intervals are adjusted for the comparisons within each variable."]
    return DisplayTable("posthoc", TITLES["posthoc"], cols, rows, _notes("posthoc", ctx, notes))


def _group_stats(df, ctx):
    df = _order_groups(df, ctx)
    if {"mean", "sd"} <= set(df.columns):
        df = df.copy()
        df["_msd"] = [SUPPRESSED if is_suppressed(m) else apa.fmt_m_sd(m, s) for m, s in zip(df["mean"], df["sd"])]
        cols = [c for c in ("variable", "group", "n") if c in df.columns]
        extra = [c for c in df.columns if c not in cols + ["mean", "sd", "_msd", "label"] and _present(df, c)]
        columns = [Column(HEADERS.get(c, c), guess_kind(c, df[c])) for c in cols] + [Column("M (SD)")] + \
                  [Column(HEADERS.get(c, c), guess_kind(c, df[c])) for c in extra]
        return DisplayTable("group_stats", TITLES["group_stats"], columns, _rows(df, cols + ["_msd"] + extra),
                            _notes("group_stats", ctx, []))
    return _generic("group_stats", df, ctx)


def _sample(df, ctx):
    cols = [Column("Group"), Column("n", "int"), Column("%", "num1")]
    rows = _rows(df, ["group", "n", "percent"])
    notes = [n for n in [ctx.sample_note] if n]
    return DisplayTable("sample", TITLES["sample"], cols, rows, _notes("sample", ctx, notes))


def _effect_sizes(df, ctx):
    """Each effect size by its symbol (η², ω², d ...), bounded ones without a leading zero, CI in brackets."""
    rows = []
    for r in df.to_dict("records"):
        name, value = r.get("effsize_name"), r.get("effsize")
        kind = apa.effect_kind(name)
        shown = value if is_suppressed(value) else apa.format_value(value, kind)
        ci = r.get("ci_low") if is_suppressed(r.get("ci_low")) else apa.fmt_ci(r.get("ci_low"), r.get("ci_high"), kind)
        rows.append([r.get("variable", ""), apa.effect_name(name), shown, ci, r.get("ci_method") or ""])
    cols = [Column("Variable"), Column("Effect"), Column("Effect size", "r"), Column("95% CI"), Column("CI method")]
    keep = [i for i in range(len(cols)) if i < 3 or any(row[i] for row in rows)]
    return DisplayTable("effect_sizes", "Effect sizes", [cols[i] for i in keep], [[row[i] for i in keep] for row in rows],
                        _notes("effect_sizes", ctx, []))


def _theme_tests(df, ctx):
    """Themes of open answers by group: the test by name, Cramér's V as an r-like number."""
    shown = df.assign(test=[apa.test_name(t) if isinstance(t, str) and t else "" for t in df["test"]])
    adjust = ctx.adjust
    notes = ["Mentioning a theme by group, among the respondents who answered the questions it applies to; "
             "effect size: Cramér's V."]
    if adjust and adjust != "none":
        notes.append(f"p adj.: p adjusted across the themes with {apa.adjust_name(adjust)}.")
    t = _generic("theme_tests", shown, ctx, notes=notes)
    t.columns = [Column("Cramér's V", "r") if c.header == "Effect size" else c for c in t.columns]
    return t


def _theme_scales(df, ctx):
    notes = ["Mean scale scores of respondents mentioning the theme and of those answering without it; "
             "Welch's t test; effect size: Cohen's d."]
    t = _generic("theme_scales", df, ctx, notes=notes)
    t.columns = [Column("Cohen's d", "num") if c.header == "Effect size" else c for c in t.columns]
    return t


SPECS = {
    "effect_sizes": _effect_sizes,
    "descriptives": _descriptives,
    "frequencies": lambda df, ctx: frequencies_table(df, ctx, TITLES["frequencies"]),
    "reliability": _reliability,
    "item_total": _item_total,
    "tests": _tests,
    "posthoc": _posthoc,
    "group_stats": _group_stats,
    "sample": _sample,
    **SPECS_MORE,
    **SPECS_MODEL,
    "theme_tests": _theme_tests,
    "theme_scales": _theme_scales,
}


def display_table(name: str, df: pd.DataFrame, ctx: RenderContext | None = None,
                  title: str | None = None) -> DisplayTable:
    """The display version of result table ``name`` (already suppressed where wanted)."""
    ctx = ctx if ctx is not None else RenderContext()
    spec = SPECS.get(name)
    if spec is not None and len(df.columns):
        try:
            t = spec(df, ctx)
        except KeyError:  # a table of that name with other columns
            t = _generic(name, df, ctx)
    else:
        t = _generic(name, df, ctx)
    if title:
        t.title = title
    return t
