"""Themes by respondent group: who mentions what, tested; co-occurrence; themes against scale scores.

From the coded answers (one or several coders; several are combined into one value per answer and
theme by ``rule``: ``majority`` — more than half of the coders who coded the answer —, ``any`` or
``all``; or one ``coder``'s values, e.g. the reconciled ones), each respondent *answered* a theme
when they gave a coded answer to a question the theme applies to, and *mentions* it when the theme
is present in at least one of those answers.

* ``themes``: per theme and group (and Total), ``n_mentioning``, ``n_answering`` and ``percent``
  = 100 * n_mentioning / n_answering (of those asked and answering).
* ``theme_tests``: per theme, mentioning by group among those answering: Pearson's chi-square
  (no continuity correction) or, for two groups with an expected count under 5, Fisher's exact
  test — the rule of ``coprod compare`` —, p adjusted across themes as ``compare`` does
  (``adjust``: holm, fdr-bh, bonferroni, none), Cramér's V.
* ``cooccurrence``: per pair of themes, the answers in which both are present (``n``) and the
  Jaccard index n / answers with either.
* ``theme_scales``: per theme and scale, the mean scale score of respondents mentioning the theme
  and of those answering without mentioning it, Welch's t test, Cohen's d, p adjusted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from coprod.analysis.stats.effects import cohens_d, cramers_v
from coprod.analysis.stats.grouptests import Table, exact_preferred
from coprod.analysis.stats.posthoc import ADJUST_METHODS, adjust_p
from coprod.instrument.errors import DataError, OptionError

TOTAL = "Total"
RULES = ("majority", "any", "all")
THEMES_COLUMNS = ["theme", "label", "group", "n_mentioning", "n_answering", "percent"]
TESTS_COLUMNS = ["theme", "test", "statistic", "df", "p", "p_adj", "effsize", "n", "note"]
COOC_COLUMNS = ["theme1", "theme2", "n", "jaccard"]
SCALE_COLUMNS = ["theme", "scale", "n_mentioning", "mean_mentioning", "n_not", "mean_not", "diff", "statistic",
                 "df", "p", "p_adj", "effsize"]


def consensus(coded: pd.DataFrame, rule: str = "majority", coder: str | None = None) -> pd.DataFrame:
    """One value per answer and theme: ``key, group, question, theme, value`` (NaN: nobody coded it)."""
    if rule not in RULES:
        raise OptionError(f"unknown rule {rule!r} (choose from {', '.join(RULES)})", param="rule")
    sub = coded
    if coder is not None:
        if coder not in set(coded["coder"]):
            raise OptionError(f"no coder {coder!r} (coders: {', '.join(dict.fromkeys(coded['coder']))})", param="coder")
        sub = coded[coded["coder"] == coder]
    sub = sub.dropna(subset=["value"])
    keys = ["key", "question", "theme"]
    agg = sub.groupby(keys, sort=False)["value"].agg(["mean", "max", "min"]).reset_index()
    agg["value"] = {"majority": (agg["mean"] > 0.5), "any": agg["max"] == 1, "all": agg["min"] == 1}[rule].astype(float)
    groups = first_groups(coded)
    agg["group"] = agg["key"].map(groups).fillna("")
    return agg[["key", "group", "question", "theme", "value"]]


def first_groups(coded: pd.DataFrame) -> dict:
    """{key: group label}: the first non-empty group given for each key."""
    g = coded[["key", "group"]]
    g = g[g["group"].map(lambda x: isinstance(x, str) and x != "")]
    first = g.drop_duplicates("key")
    return dict(zip(first["key"], first["group"]))


def respondent_themes(cons: pd.DataFrame) -> pd.DataFrame:
    """Per respondent and theme: ``key, group, theme, mentioned`` (bool) for those who answered it."""
    out = cons.groupby(["key", "theme"], sort=False).agg(group=("group", "first"), mentioned=("value", "max"))
    out = out.reset_index()
    out["mentioned"] = out["mentioned"] == 1
    return out[["key", "group", "theme", "mentioned"]]


def _order(values, order) -> list:
    order = [g for g in (order or []) if g in set(values)]
    return order + sorted(v for v in set(values) if v not in order and v != "")


def theme_frequencies(resp: pd.DataFrame, themes: list[str], labels: dict, group_order=None) -> pd.DataFrame:
    """The ``themes`` table: mentioning and answering respondents per theme, group and Total."""
    rows = []
    groups = _order(resp["group"], group_order)
    for theme in themes:
        part = resp[resp["theme"] == theme]
        for g in [TOTAL] + groups:
            sel = part if g == TOTAL else part[part["group"] == g]
            n_ans, n_men = len(sel), int(sel["mentioned"].sum())
            rows.append([theme, labels.get(theme, theme), g, n_men, n_ans, 100.0 * n_men / n_ans if n_ans else np.nan])
    return pd.DataFrame(rows, columns=THEMES_COLUMNS)


def mention_test(table: np.ndarray) -> dict:
    """Test of a groups x (mentioning, not) table by ``compare``'s rule: chi-square, Fisher for a sparse 2 x 2."""
    table = table[table.sum(axis=1) > 0]
    if table.shape[0] < 2:
        return {"note": "fewer than two groups answered"}
    if (table.sum(axis=0) == 0).any():
        return {"note": "no variation: every respondent " + ("mentions" if table[:, 1].sum() == 0 else "leaves out") + " it"}
    n = int(table.sum())
    t = Table(table)
    chi, expected = t.chi, t.expected
    v = cramers_v(chi.statistic, n, table.shape[0], 2, chi.dof)[0]
    if exact_preferred(t):
        from scipy import stats  # ~1 s: only for the sparse tables that need it

        res = stats.fisher_exact(table)
        return {"test": "fisher", "statistic": float(res.statistic), "p": float(res.pvalue), "effsize": v, "n": n}
    out = {"test": "chi2", "statistic": chi.statistic, "df": float(chi.dof), "p": chi.pvalue, "effsize": v, "n": n}
    share = float((expected < 5).mean())
    if share > 0.2:
        out["note"] = f"{int((expected < 5).sum())} of {expected.size} expected counts under 5"
    return out


def theme_tests(resp: pd.DataFrame, themes: list[str], adjust: str = "holm") -> pd.DataFrame:
    """The ``theme_tests`` table: one test of mentioning by group per theme, p adjusted across themes."""
    rows = []
    for theme in themes:
        part = resp[(resp["theme"] == theme) & (resp["group"] != "")]
        tab = pd.crosstab(part["group"], part["mentioned"]).reindex(columns=[True, False], fill_value=0)
        res = mention_test(tab.to_numpy(dtype=float)) if len(tab) else {"note": "no respondent in a group answered"}
        rows.append({"theme": theme, "n": int(len(part)), **res})
    out = pd.DataFrame(rows).reindex(columns=TESTS_COLUMNS)
    for c in ("test", "note"):
        out[c] = out[c].astype(object).where(out[c].notna(), "")
    out["p_adj"] = adjust_p(out["p"].to_numpy(dtype=float), adjust)
    return out


def cooccurrence(cons: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """The ``cooccurrence`` table: answers with both themes present, and the Jaccard index."""
    present = cons[cons["value"] == 1]
    sets = {t: set(zip(present.loc[present["theme"] == t, "key"], present.loc[present["theme"] == t, "question"]))
            for t in themes}
    rows = []
    for a, b in combinations(themes, 2):
        both, either = len(sets[a] & sets[b]), len(sets[a] | sets[b])
        rows.append([a, b, both, both / either if either else np.nan])
    return pd.DataFrame(rows, columns=COOC_COLUMNS)


def theme_scales(resp: pd.DataFrame, scores: pd.DataFrame, themes: list[str], adjust: str = "holm") -> pd.DataFrame:
    """The ``theme_scales`` table: mean scale scores of those mentioning a theme vs not, Welch's t test.

    ``scores`` has a ``key`` column and one column per scale score.
    """
    scales = [c for c in scores.columns if c != "key"]
    by_key = scores.drop_duplicates("key").set_index("key")
    rows = []
    for theme in themes:
        part = resp[resp["theme"] == theme]
        for scale in scales:
            x = by_key[scale].reindex(part["key"]).to_numpy(dtype=float)
            men = part["mentioned"].to_numpy()
            a, b = x[men & ~np.isnan(x)], x[~men & ~np.isnan(x)]
            row = [theme, scale, len(a), a.mean() if len(a) else np.nan, len(b), b.mean() if len(b) else np.nan]
            if len(a) >= 2 and len(b) >= 2 and (a.var() > 0 or b.var() > 0):
                from scipy import stats

                t = stats.ttest_ind(a, b, equal_var=False)
                df = float(getattr(t, "df", np.nan))
                row += [row[3] - row[5], float(t.statistic), df, float(t.pvalue), cohens_d(a, b)[0]]
            else:
                row += [row[3] - row[5] if len(a) and len(b) else np.nan, np.nan, np.nan, np.nan, np.nan]
            rows.append(row)
    out = pd.DataFrame(rows, columns=[c for c in SCALE_COLUMNS if c != "p_adj"])
    out.insert(out.columns.get_loc("p") + 1, "p_adj", adjust_p(out["p"].to_numpy(dtype=float), adjust))
    return out


@dataclass
class ThemesResult:
    """The tables of :func:`themes_by_group` and what they rest on."""

    themes: pd.DataFrame
    theme_tests: pd.DataFrame
    cooccurrence: pd.DataFrame
    theme_scales: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SCALE_COLUMNS))
    quotes: pd.DataFrame | None = None
    rule: str = "majority"
    coders: int = 1
    adjust: str = "holm"

    def tables(self) -> dict:
        out = {"themes": self.themes, "theme_tests": self.theme_tests, "cooccurrence": self.cooccurrence}
        if len(self.theme_scales):
            out["theme_scales"] = self.theme_scales
        if self.quotes is not None:
            out["quotes"] = self.quotes
        return out

    def methods_sentence(self) -> str:
        """A sentence for a methods section describing how the theme tables were made."""
        combined = (f"{self.coders} coders' codes were combined per answer ({self.rule} rule); " if self.coders > 1
                    else "")
        adj = {"holm": "Holm's", "fdr-bh": "the Benjamini-Hochberg", "bonferroni": "the Bonferroni"}.get(self.adjust)
        return (f"Open answers were coded with the codebook of themes; {combined}a respondent mentions a theme when "
                f"it is present in any of their answers to the questions it applies to, and percentages are of the "
                f"respondents who answered those questions. Mentioning was compared between groups with Pearson's "
                f"chi-square test (Fisher's exact test for two groups with an expected count under 5), Cramér's V as "
                f"the effect size" + (f", p-values adjusted across themes with {adj} method." if adj else ".")
                + (" Scale scores of respondents mentioning a theme and of those not mentioning it were compared "
                   "with Welch's t test." if len(self.theme_scales) else ""))


def themes_by_group(coded: pd.DataFrame, instrument=None, groups: dict | None = None, scores: pd.DataFrame | None = None,
                    rule: str = "majority", coder: str | None = None, adjust: str = "holm", lang: str | None = None,
                    quotes: bool = False) -> ThemesResult:
    """Every theme table from the coded answers.

    ``groups`` ({key: group label}) replaces the groups in ``coded`` (e.g. from the data when the
    workbooks were blind); ``scores`` (a ``key`` column and one column per scale) adds ``theme_scales``.
    """
    if adjust not in ADJUST_METHODS:
        raise OptionError(f"unknown correction {adjust!r} (choose from {', '.join(ADJUST_METHODS)})", param="adjust")
    if coded.empty:
        raise DataError("no coded answers")
    cons = consensus(coded, rule, coder)
    if groups is not None:
        cons["group"] = cons["key"].map(groups).fillna("")
    themes, labels, order = _codebook(coded, instrument, lang)
    resp = respondent_themes(cons)
    res = ThemesResult(theme_frequencies(resp, themes, labels, order), theme_tests(resp, themes, adjust),
                       cooccurrence(cons, themes), rule=rule, adjust=adjust,
                       coders=1 if coder else int(coded["coder"].nunique()))
    if scores is not None and len(scores.columns) > 1:
        res.theme_scales = theme_scales(resp, scores, themes, adjust)
    if quotes:
        from .quotes import quote_bank

        res.quotes = quote_bank(coded, cons, groups)
    return res


def _codebook(coded: pd.DataFrame, instrument, lang) -> tuple[list[str], dict, list]:
    present = list(dict.fromkeys(coded["theme"]))
    if instrument is None or not instrument.themes:
        return present, {}, []
    lang = lang or instrument.default_language
    fb = instrument.default_language
    codes = [t.code for t in instrument.themes]
    themes = codes + [t for t in present if t not in codes]
    labels = {t.code: t.label_in(lang, fb) for t in instrument.themes}
    from coprod.instrument.model import text_in

    order = [text_in(g.label, lang, fb) for g in instrument.groups]
    return themes, labels, order
