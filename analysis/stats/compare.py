"""Group comparisons: per variable, the test its measure level calls for, effect sizes, post hoc, correction.

The tests themselves, one function each, and the registry this module chooses from are in
:mod:`analysis.stats.grouptests`; the effect sizes in :mod:`analysis.stats.effects`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coprod.analysis.stats import common as _stats
from coprod.analysis.stats import posthoc as _ph
from coprod.analysis.stats import grouptests as _tests
from coprod.analysis.stats import grouptests_more as _more
from coprod.analysis.stats import weighting as _weighting
from coprod.analysis.stats.effects import cohens_d, cramers_v, eta2_ci, rank_biserial  # noqa: F401  (public here)
from coprod.analysis.stats.grouptests import midranks  # noqa: F401  (public here)
from coprod.analysis.stats.samples import levene  # noqa: F401  (public here)
from coprod.instrument.errors import OptionError

TESTS = ("auto", *_tests.REGISTRY)
POSTHOC = (*_tests.POSTHOC_METHODS, "none")
ADJUST = tuple(_ph.ADJUST_METHODS)
TWO_GROUP = tuple(name for name, t in _tests.REGISTRY.items() if t.two_groups)

TEST_COLUMNS = ["variable", "label", "test", "statistic", "df", "df1", "df2", "z", "w", "p", "p_adj", "adjust",
                "effsize", "effsize_name", "ci_low", "ci_high", "n", "levene_f", "levene_p", "groups", "note",
                "warning", "levene_center", "mean_diff", "se_diff", "diff_ci_low", "diff_ci_high", "p_exact",
                "hl_estimate", "hl_ci_low", "hl_ci_high", "bf_f", "bf_df1", "bf_df2", "bf_p", "lr_chisq", "lr_p",
                "yates_chisq", "yates_p", "odds_ratio", "or_ci_low", "or_ci_high"]
GROUP_COLUMNS = ["variable", "group", "n", "mean", "sd", "median", "mean_rank"]
EFFSIZE_COLUMNS = ["variable", "effsize_name", "effsize", "ci_low", "ci_high", "ci_method"]
ANOVA_COLUMNS = ["variable", "source", "ss", "df", "ms", "f", "p"]
CROSSTAB_COLUMNS = ["variable", "group", "value", "count", "expected", "residual_adj"]
LEVENE = ("mean", "median")


@dataclass
class CompareResult:
    """The tables of :func:`compare`."""

    tests: pd.DataFrame
    posthoc: pd.DataFrame
    group_stats: pd.DataFrame
    effect_sizes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EFFSIZE_COLUMNS))
    anova: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ANOVA_COLUMNS))
    crosstab: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CROSSTAB_COLUMNS))

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, for :func:`analysis.render.emit` (``anova`` and ``crosstab`` when they have rows)."""
        out = {"tests": self.tests, "posthoc": self.posthoc, "group_stats": self.group_stats,
               "effect_sizes": self.effect_sizes}
        out.update({name: t for name, t in (("anova", self.anova), ("crosstab", self.crosstab)) if len(t)})
        return out


def compare(data, items=None, by: str | None = None, test: str = "auto", posthoc: str | None = None,
            adjust: str = "holm", listwise: bool = False, conf_level: float = 0.95,
            levene: str = "mean", weight: str | None = None, weight_type: str = "frequency") -> CompareResult:
    """Compare respondent groups on each variable.

    Tests (``test``; each documented at its function in :mod:`analysis.stats.grouptests`):
    ``student`` / ``welch`` (two-sample t, pooled or Welch's df; Cohen's d and Hedges' g),
    ``mann-whitney`` (asymptotic, tie-corrected, as SPSS; rank-biserial r), ``anova`` (eta^2
    and omega^2), ``welch-anova`` (omega^2), ``kruskal`` (tie-corrected; epsilon^2), ``chi2``
    (Pearson, no continuity correction; Cramér's V; a warning for small expected counts) and
    ``fisher`` (2 x 2 tables; statistic = sample odds ratio).  ``auto`` chooses per variable by
    its measure level: nominal -> chi2 (fisher for a 2 x 2 table with an expected count under
    5); ordinal -> Mann-Whitney (2 groups) or Kruskal-Wallis; scale -> Welch t (2 groups) or
    Welch ANOVA.  The chosen test is named in every row.

    Confidence intervals (``conf_level``, two-sided) as R's ``effectsize``; see
    :mod:`analysis.stats.effects`.  Levene's test is mean-centred, as SPSS, or median-centred
    with ``levene="median"`` (the ANOVA of |x - group median|; ``levene_center`` names it).
    p-values are adjusted across the variables of the table by ``adjust`` (holm, fdr-bh,
    bonferroni, none).

    Beside each test (see its function): mean difference (t), exact p and Hodges-Lehmann shift
    (Mann-Whitney), Brown-Forsythe's F and the ``anova`` table (ANOVAs), likelihood-ratio and Yates
    chi-square, odds ratio and the ``crosstab`` cells (chi-square, Fisher).

    Missing data: user-missing codes are missing; pairwise per variable (SPSS's
    /MISSING=ANALYSIS) unless ``listwise`` (respondents valid on every variable).  Groups are
    in code order, shown by value label; groups with fewer than two valid answers are left out
    of the test and named in ``note``.

    Post hoc (``posthoc``; default by test: anova -> tukey, welch-anova -> games-howell,
    kruskal -> dunn; ``bonferroni`` and ``scheffe`` on request; ``"none"`` for none) for three or
    more groups; see :mod:`analysis.stats.posthoc`.

    Parameters
    ----------
    data : Responses or DataFrame
    items : str or list of str, optional
        Variables to compare (see :mod:`analysis.items`); default every variable except ``by``.
    by : str
        The grouping variable.
    test, posthoc, adjust : str
        As above.
    listwise : bool
        Listwise instead of pairwise deletion.
    weight, weight_type : str, optional
        Frequency weights only: chi-square on the weighted counts, as PSPP CROSSTABS under
        WEIGHT BY (see :mod:`analysis.stats.weighting`; other tests: an OptionError, or a note with ``auto``).

    Returns
    -------
    CompareResult
        ``tests``: ``variable, label, test, statistic, df, df1, df2, z, w, p, p_adj, adjust,
        effsize, effsize_name, ci_low, ci_high, n, levene_f, levene_p, groups, note, warning``;
        ``posthoc``: ``variable, group1, group2, diff, se, statistic, p, p_adj, ci_low,
        ci_high, method``; ``group_stats``: ``variable, group, n, mean, sd, median,
        mean_rank``; ``effect_sizes``: every effect size with its CI; ``anova``: ``variable,
        source, ss, df, ms, f, p``; ``crosstab``: ``variable, group, value, count, expected,
        residual_adj``.  ``tests`` columns after ``warning``: :data:`TEST_COLUMNS`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2], "y": [2.0, 3, 4, 5, 7, 8]})
    >>> res = compare(df, items="y", by="g", test="student")
    >>> row = res.tests.iloc[0]
    >>> row["test"], round(float(row["statistic"]), 4), int(row["df"])
    ('student', -3.4785, 4)
    """
    resp = _stats.responses(data)
    opts = _options(by, test, posthoc, adjust, conf_level, levene)
    groups, names, cw = _variables(resp, items, by, opts, weight, weight_type)
    gidx = groups.index.copy()
    column = resp.valid_column  # pairwise: one column at a time, no copy of the unchanged ones
    if listwise:
        valid = resp.valid(names)
        gidx[valid.isna().to_numpy().any(axis=1)] = -1
        column = valid.__getitem__
    asked: dict = {}  # who the skip logic asked, per set of conditions
    return _tables([_compare_one(resp, v, column(v), gidx, groups, opts, cw, asked) for v in names], opts.adjust)


def _variables(resp, items, by, opts: _Options, weight, weight_type):
    """The groups, the variables to compare and the case weights, checked against the options."""
    groups = _stats.groups_of(resp, by)
    cw = _weighted(resp, weight, weight_type, opts.test)
    names = _stats.resolve_items(resp, items, exclude=tuple(v for v in (groups.var, cw and cw.variable) if v))
    if groups.var in names:
        raise OptionError(f"{groups.var!r} is the grouping variable", param="items")
    if opts.test in TWO_GROUP and groups.k > 2:
        raise OptionError(f"{opts.test!r} compares two groups, but {groups.var!r} has {groups.k}", param="test")
    return groups, names, cw


def _weighted(resp, weight, weight_type, test: str):
    """The case weights, when the options allow them: frequency weights and the chi-square test."""
    cw = _weighting.case_weights(resp, weight, weight_type)
    if cw is not None and not cw.frequency:
        raise OptionError("group comparisons take frequency weights only", param="weight_type")
    if cw is not None and test not in ("auto", "chi2"):
        raise OptionError(f"with case weights only the chi-square test is available (chi2, or auto for nominal "
                          f"variables), not {test!r}", param="test")
    return cw


@dataclass(frozen=True)
class _Options:
    test: str
    posthoc: str | None
    adjust: str
    conf_level: float
    levene: str = "mean"


def _options(by, test, posthoc, adjust, conf_level, levene="mean") -> _Options:
    """The options checked and lower-cased (an OptionError naming the argument otherwise)."""
    if by is None:
        raise OptionError("a grouping variable is needed to compare groups", param="by")
    test = (test or "auto").lower()
    if test not in TESTS:
        raise OptionError(f"unknown test {test!r} (choose from {', '.join(TESTS)})", param="test")
    if posthoc is not None:
        posthoc = posthoc.lower()
        if posthoc not in POSTHOC:
            raise OptionError(f"unknown method {posthoc!r} (choose from {', '.join(POSTHOC)})", param="posthoc")
    adjust = (adjust or "none").lower()
    if adjust not in ADJUST:
        raise OptionError(f"unknown correction {adjust!r} (choose from {', '.join(ADJUST)})", param="adjust")
    if not 0 < conf_level < 1:
        raise OptionError("must be between 0 and 1", param="conf_level")
    levene = (levene or "mean").lower()
    if levene not in LEVENE:
        raise OptionError(f"unknown centre {levene!r} (choose from {', '.join(LEVENE)})", param="levene")
    return _Options(test, posthoc, adjust, conf_level, levene)


@dataclass
class _Outcome:
    """What one variable adds to the tables: its ``tests`` row and its rows of the others."""

    row: dict
    group_stats: list[dict] = field(default_factory=list)
    effect_sizes: list[dict] = field(default_factory=list)
    posthoc: list[dict] | None = None
    tables: dict = field(default_factory=dict)


def _tables(outcomes: list[_Outcome], adjust: str) -> CompareResult:
    """The four tables from every variable's outcome; p adjusted across the variables."""
    tests = _stats.frame([o.row for o in outcomes], TEST_COLUMNS)
    for c in ("note", "warning"):
        tests[c] = tests[c].astype(object).where(tests[c].notna(), "")
    tests["p_adj"] = _ph.adjust_p(tests["p"].to_numpy(dtype=float), adjust)
    ph_rows = [r for o in outcomes if o.posthoc is not None for r in o.posthoc]  # one frame of every variable's rows
    ph = pd.DataFrame(ph_rows, columns=_ph.COLUMNS) if ph_rows else pd.DataFrame(columns=_ph.COLUMNS)
    more = {name: _stats.frame([r for o in outcomes for r in o.tables.get(name, [])], cols)
            for name, cols in (("anova", ANOVA_COLUMNS), ("crosstab", CROSSTAB_COLUMNS))}
    return CompareResult(tests, ph, _stats.frame([r for o in outcomes for r in o.group_stats], GROUP_COLUMNS),
                         _stats.frame([r for o in outcomes for r in o.effect_sizes], EFFSIZE_COLUMNS), **more)


def _compare_one(resp, v: str, col: pd.Series, gidx: np.ndarray, groups: _stats.Groups, opts: _Options,
                 cw=None, asked: dict | None = None) -> _Outcome:
    """One variable: its valid answers in the groups, the test chosen for it, and what that test gives."""
    numeric = pd.api.types.is_numeric_dtype(col)
    if opts.test == "auto":
        chosen = _tests.choose(resp.measure_of(v) if numeric else "nominal", groups.k)
    else:
        chosen = opts.test
    if numeric:
        x = col.to_numpy(dtype=float, na_value=np.nan)
        ok = ~np.isnan(x) & (gidx >= 0)
    else:
        s = col.astype("string")
        ok = s.notna().to_numpy() & (s.str.strip() != "").fillna(False).to_numpy() & (gidx >= 0)
        x = s.to_numpy(dtype=object, na_value=None)
    w = None if cw is None else cw.w[ok & (cw.w > 0)]
    ok = ok if cw is None else ok & (cw.w > 0)
    g = gidx[ok]
    ns = np.bincount(g, weights=w, minlength=groups.k)
    row = {"variable": v, "label": resp.label(v), "test": chosen, "adjust": opts.adjust,
           "n": int(ok.sum()) if w is None else float(w.sum()),
           "groups": _stats.group_text(groups.labels, ns if w is None else np.round(ns))}
    spec = _tests.REGISTRY[chosen]
    unasked = _not_asked(resp, v, gidx, ns, groups, asked)
    if spec.data == "table":
        out = _nominal(x[ok], g, groups, spec, opts, v, w, unasked)
    elif cw is not None:
        out = _Outcome({"note": "not tested: with case weights only the chi-square test of nominal "
                                 "variables is available"})
    elif not numeric:
        out = _Outcome({"note": "not numeric: use the chi-square test"})
    else:
        out = _numeric(x[ok], g, groups, spec, opts, v, unasked)
    out.row = {**row, **out.row}
    return out


def _not_asked(resp, v: str, gidx: np.ndarray, ns: np.ndarray, groups: _stats.Groups, cache: dict | None = None) -> frozenset:
    """Labels of the groups without answers to ``v`` whose members the skip logic never asked it."""
    if resp.instrument is None or ns.all():
        return frozenset()
    from coprod.analysis.stats.skiplogic import question_asked

    rows = question_asked(resp, v, cache)
    if rows is None:
        return frozenset()
    return frozenset(groups.labels[j] for j in range(groups.k) if ns[j] == 0 and not rows[gidx == j].any())


def _no_data_notes(empty: list[str], unasked: frozenset) -> list[str]:
    """"not asked of A" for groups the skip logic left out, "no valid data in B" for the others."""
    notes = []
    if [e for e in empty if e in unasked]:
        notes.append("not asked of " + ", ".join(e for e in empty if e in unasked))
    if [e for e in empty if e not in unasked]:
        notes.append("no valid data in " + ", ".join(e for e in empty if e not in unasked))
    return notes


def _effect_rows(v: str, result: _tests.TestResult) -> list[dict]:
    return [{"variable": v, "effsize_name": e.name, "effsize": e.value, "ci_low": e.ci_low, "ci_high": e.ci_high,
             "ci_method": e.ci_method} for e in result.effects]


# --------------------------------------------------------------------------------- numeric
def _numeric(x, g, groups: _stats.Groups, spec: _tests.GroupTest, opts: _Options, v: str,
             unasked: frozenset = frozenset()) -> _Outcome:
    """Group statistics of every group, then the test (and post hoc) on the groups with two or more answers."""
    if x.size == 0:
        return _Outcome({"note": "no valid data"})
    full = _tests.sample_of(x, g, groups.labels, opts.conf_level)
    out = _Outcome({}, group_stats=_group_stats(full, v))
    notes = _left_out(full, unasked)
    keep = [j for j in range(full.k) if full.n[j] >= 2]
    if len(keep) < 2:
        out.row["note"] = _stats.join_notes(*notes, "fewer than two groups with data: no test")
        return out
    s = full.subset(keep)
    out.row["n"] = int(s.N)
    problem = _untestable(s, spec)
    if problem is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            lev_f, lev_p = s.levene(opts.levene)
        out.row.update(levene_f=lev_f, levene_p=lev_p, levene_center=opts.levene)
        if spec.needs_spread and np.all(s.var == 0):
            problem = "no variation within groups: the groups differ but no test statistic is defined"
            out.row.update(levene_f=np.nan, levene_p=np.nan)
    if problem is not None:
        out.row["note"] = _stats.join_notes(*notes, problem)
        return out
    result = spec.run(s)
    out.row.update(result.row(), **result.extra)
    out.effect_sizes = _effect_rows(v, result)
    out.tables = {name: [{**r, "variable": v} for r in rows] for name, rows in result.tables.items()}
    notes += result.notes
    method = opts.posthoc or spec.posthoc
    if s.k >= 3 and method in _tests.POSTHOC_METHODS:
        out.posthoc, note = _tests.POSTHOC_METHODS[method](s, v, opts.adjust)
        notes.append(note)
    out.row["note"] = _stats.join_notes(*notes)
    return out


def _untestable(s: _tests.Sample, spec: _tests.GroupTest) -> str | None:
    """Why the test cannot run on these groups (before Levene's test), or None."""
    if spec.two_groups and s.k != 2:
        return f"{spec.name} compares two groups"
    if s.constant():
        return "no variation: every valid answer is the same"
    return None


def _left_out(s: _tests.Sample, unasked: frozenset = frozenset()) -> list[str]:
    """Notes naming the groups without valid answers (or not asked) and those with one (left out of the test)."""
    notes = _no_data_notes([s.labels[j] for j in range(s.k) if s.n[j] == 0], unasked)
    small = [s.labels[j] for j in range(s.k) if s.n[j] == 1]
    if small:
        notes.append("fewer than two valid answers in " + ", ".join(small) + " (left out)")
    return notes


def _group_stats(s: _tests.Sample, v: str) -> list[dict]:
    """n, mean, SD, median and mean rank of every group (also those left out of the test)."""
    n, means, var = s.n, s.means, s.var
    rsum = s.rank_sums()
    meds = s.medians()
    rows = []
    for j, lab in enumerate(s.labels):
        med = float(meds[j])
        rows.append({"variable": v, "group": lab, "n": int(n[j]), "mean": means[j] if n[j] else np.nan,
                     "sd": np.sqrt(var[j]) if n[j] > 1 else np.nan, "median": med,
                     "mean_rank": rsum[j] / n[j] if n[j] else np.nan})
    return rows


# --------------------------------------------------------------------------------- nominal
def _nominal(x, g, groups: _stats.Groups, spec: _tests.GroupTest, opts: _Options, v: str, w=None,
             unasked: frozenset = frozenset()) -> _Outcome:
    """The groups x answers table of a nominal variable and the chi-square or Fisher test on it."""
    if x.size == 0:
        return _Outcome({"note": "no valid data"})
    if x.dtype == object:
        vals, vi = np.unique(x.astype(str), return_inverse=True)
    else:
        vals, vi = np.unique(x.astype(float), return_inverse=True)
    present = np.unique(g)
    gi = np.searchsorted(present, g)
    counts = np.bincount(gi * len(vals) + vi, weights=w,  # sums of weights under case weights
                         minlength=len(present) * len(vals)).reshape(len(present), len(vals))
    notes = _no_data_notes([groups.labels[j] for j in range(groups.k) if j not in set(present.tolist())], unasked)
    r, c = counts.shape
    if r < 2 or c < 2:
        notes.append("fewer than two groups with data: no test" if r < 2 else "no variation: every valid answer is the same")
        return _Outcome({"note": _stats.join_notes(*notes)})
    table = _tests.Table(counts, opts.conf_level)
    row = {}
    if opts.test == "auto" and w is None and _tests.exact_preferred(table):
        spec = _tests.REGISTRY["fisher"]
        row["test"] = spec.name
    result = spec.run(table)
    row.update(result.row(), **result.extra)
    row["note"] = _stats.join_notes(*notes, *result.notes)
    cells = _more.cell_rows(v, counts, [groups.labels[j] for j in present], vals.tolist())
    return _Outcome(row, effect_sizes=_effect_rows(v, result), tables={"crosstab": cells})
