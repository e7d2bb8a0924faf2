"""Group comparisons: tests, effect sizes with confidence intervals, multiple-testing correction."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from coprod.analysis.stats import common as _stats
from coprod.analysis.stats import posthoc as _ph
from coprod.instrument.errors import OptionError

TESTS = ("auto", "student", "welch", "mann-whitney", "anova", "welch-anova", "kruskal", "chi2", "fisher")
POSTHOC = ("tukey", "games-howell", "dunn", "none")
ADJUST = tuple(_ph.ADJUST_METHODS)
TWO_GROUP = ("student", "welch", "mann-whitney")

TEST_COLUMNS = ["variable", "label", "test", "statistic", "df", "df1", "df2", "z", "w", "p", "p_adj", "adjust",
                "effsize", "effsize_name", "ci_low", "ci_high", "n", "levene_f", "levene_p", "groups", "note",
                "warning"]
GROUP_COLUMNS = ["variable", "group", "n", "mean", "sd", "median", "mean_rank"]
EFFSIZE_COLUMNS = ["variable", "effsize_name", "effsize", "ci_low", "ci_high", "ci_method"]


@dataclass
class CompareResult:
    """The tables of :func:`compare`."""

    tests: pd.DataFrame
    posthoc: pd.DataFrame
    group_stats: pd.DataFrame
    effect_sizes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EFFSIZE_COLUMNS))

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, for :func:`analysis.render.emit`."""
        return {"tests": self.tests, "posthoc": self.posthoc, "group_stats": self.group_stats,
                "effect_sizes": self.effect_sizes}


def compare(data, items=None, by: str | None = None, test: str = "auto", posthoc: str | None = None,
            adjust: str = "holm", listwise: bool = False, conf_level: float = 0.95) -> CompareResult:
    """Compare respondent groups on each variable.

    Tests (``test``):

    * ``student`` / ``welch``: two-sample t test with pooled variance (df = n1 + n2 - 2) or
      Welch's (Welch-Satterthwaite df), ``scipy.stats.ttest_ind``; effect size Cohen's d with
      the pooled SD (group1 - group2) and Hedges' g (exact small-sample factor J);
    * ``mann-whitney``: U is the smaller of the two U's and ``w`` the rank sum of that group
      (as SPSS); ``z`` and p are asymptotic, tie-corrected, without continuity correction
      (= ``scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=False)``); effect size
      rank-biserial r (positive when group1 ranks higher) with a Fisher-z CI;
    * ``anova``: one-way ANOVA (df1, df2); effect sizes eta^2 and omega^2;
    * ``welch-anova``: Welch's ANOVA, ``statsmodels.stats.oneway.anova_generic(use_var="unequal")``;
      effect size omega^2 from the ordinary ANOVA;
    * ``kruskal``: Kruskal-Wallis H, tie-corrected, chi-square df = k - 1; effect size
      epsilon^2 = H / (n - 1) (no CI: R's ``effectsize`` bootstraps it);
    * ``chi2``: Pearson chi-square of independence (no continuity correction); Cramér's V;
      ``warning`` when more than 20% of expected counts are under 5;
    * ``fisher``: Fisher's exact test of a 2 x 2 table (statistic = sample odds ratio).
    * ``auto``: per variable by its measure level: nominal -> chi2 (fisher for a 2 x 2 table
      with an expected count under 5); ordinal -> Mann-Whitney (2 groups) or Kruskal-Wallis;
      scale -> Welch t (2 groups) or Welch ANOVA.  The chosen test is named in every row.

    Confidence intervals (``conf_level``, two-sided): d, g, eta^2, omega^2 and Cramér's V by
    the noncentral t / F / chi-square method of R's ``effectsize`` (omega^2's interval from
    the F implied by omega^2, as there), solved to full precision.
    Levene's test is mean-centred, as SPSS (``scipy.stats.levene(center="mean")``).
    p-values are adjusted across the variables of the table by ``adjust`` (holm, fdr-bh,
    bonferroni, none) with ``statsmodels.stats.multitest.multipletests``.

    Missing data: user-missing codes are missing; pairwise per variable (SPSS's
    /MISSING=ANALYSIS) unless ``listwise`` (respondents valid on every variable).  Groups are
    in code order, shown by value label; groups with fewer than two valid answers are left out
    of the test and named in ``note``.

    Post hoc (``posthoc``; default by test: anova -> tukey, welch-anova -> games-howell,
    kruskal -> dunn; ``"none"`` for none) for three or more groups; see :mod:`analysis.posthoc`.

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

    Returns
    -------
    CompareResult
        ``tests``: ``variable, label, test, statistic, df, df1, df2, z, w, p, p_adj, adjust,
        effsize, effsize_name, ci_low, ci_high, n, levene_f, levene_p, groups, note, warning``;
        ``posthoc``: ``variable, group1, group2, diff, se, statistic, p, p_adj, ci_low,
        ci_high, method``; ``group_stats``: ``variable, group, n, mean, sd, median,
        mean_rank``; ``effect_sizes``: every effect size with its CI.

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
    groups = _stats.groups_of(resp, by)
    names = _stats.resolve_items(resp, items, exclude=(groups.var,))
    if groups.var in names:
        raise OptionError(f"{groups.var!r} is the grouping variable", param="items")
    if test in TWO_GROUP and groups.k > 2:
        raise OptionError(f"{test!r} compares two groups, but {groups.var!r} has {groups.k}", param="test")
    valid = resp.valid(names)
    gidx = groups.index.copy()
    if listwise:
        gidx[valid.isna().to_numpy().any(axis=1)] = -1

    rows, gs_rows, es_rows, ph_parts = [], [], [], []
    for v in names:
        col = valid[v]
        numeric = pd.api.types.is_numeric_dtype(col)
        chosen = _choose(resp, v, test, groups.k, numeric)
        row = {"variable": v, "label": resp.label(v), "test": chosen, "adjust": adjust}
        if numeric:
            x = col.to_numpy(dtype=float, na_value=np.nan)
            ok = ~np.isnan(x) & (gidx >= 0)
        else:
            s = col.astype("string")
            ok = s.notna().to_numpy() & (s.str.strip() != "").fillna(False).to_numpy() & (gidx >= 0)
            x = s.to_numpy(dtype=object, na_value=None)
        ns = np.bincount(gidx[ok], minlength=groups.k)
        row["n"] = int(ok.sum())
        row["groups"] = _stats.group_text(groups.labels, ns)
        if chosen in ("chi2", "fisher"):
            _nominal(row, es_rows, x[ok], gidx[ok], groups, chosen, conf_level, auto=(test == "auto"))
        elif not numeric:
            row["note"] = "not numeric: use the chi-square test"
        else:
            ph = _numeric(row, gs_rows, es_rows, x[ok], gidx[ok], groups, chosen, posthoc, adjust, conf_level)
            if ph is not None:
                ph_parts.append(ph)
        rows.append(row)
    tests = _stats.frame(rows, TEST_COLUMNS)
    for c in ("note", "warning"):
        tests[c] = tests[c].astype(object).where(tests[c].notna(), "")
    tests["p_adj"] = _ph.adjust_p(tests["p"].to_numpy(dtype=float), adjust)
    ph = pd.concat(ph_parts, ignore_index=True) if ph_parts else pd.DataFrame(columns=_ph.COLUMNS)
    return CompareResult(tests, ph, _stats.frame(gs_rows, GROUP_COLUMNS), _stats.frame(es_rows, EFFSIZE_COLUMNS))


def _choose(resp, v, test, k, numeric) -> str:
    if test != "auto":
        return test
    measure = resp.measure_of(v) if numeric else "nominal"
    if measure == "nominal":
        return "chi2"
    if measure == "ordinal":
        return "mann-whitney" if k == 2 else "kruskal"
    return "welch" if k == 2 else "welch-anova"


# --------------------------------------------------------------------------------- numeric
def midranks(x: np.ndarray) -> tuple[np.ndarray, float]:
    """Mid-ranks of ``x`` and the tie sum sum(t^3 - t).

    Small-integer data (Likert answers) are ranked by counting, in linear time; anything else
    by ``scipy.stats.rankdata``.  Either way one ranking per variable serves Mann-Whitney,
    Kruskal-Wallis and Dunn.
    """
    n = x.size
    if n and np.all(x == np.round(x)):
        lo, hi = x.min(), x.max()
        if hi - lo < 100_000:
            idx = (x - lo).astype(np.int64)
            counts = np.bincount(idx)
            below = np.cumsum(counts) - counts
            table = below + (counts + 1) / 2.0
            c = counts.astype(float)
            return table[idx], float((c ** 3 - c).sum())
    r = stats.rankdata(x)
    _, c = np.unique(x, return_counts=True)
    c = c.astype(float)
    return r, float((c ** 3 - c).sum())


def _numeric(row, gs_rows, es_rows, x, g, groups, test, posthoc, adjust, conf_level):
    v = row["variable"]
    k_all = groups.k
    n = np.bincount(g, minlength=k_all)
    notes = []
    if x.size == 0:
        row["note"] = "no valid data"
        return None
    ranks, tie = midranks(x)
    # group summaries for every group (also those left out of the test)
    sums = np.bincount(g, weights=x, minlength=k_all)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / n
        dev = x - means[g]
        var = np.bincount(g, weights=dev * dev, minlength=k_all) / (n - 1)
        rsum = np.bincount(g, weights=ranks, minlength=k_all)
    for j, lab in enumerate(groups.labels):
        med = float(np.median(x[g == j])) if n[j] else np.nan
        gs_rows.append({"variable": v, "group": lab, "n": int(n[j]), "mean": means[j] if n[j] else np.nan,
                        "sd": np.sqrt(var[j]) if n[j] > 1 else np.nan, "median": med,
                        "mean_rank": rsum[j] / n[j] if n[j] else np.nan})
    keep = [j for j in range(k_all) if n[j] >= 2]
    empty = [groups.labels[j] for j in range(k_all) if n[j] == 0]
    small = [groups.labels[j] for j in range(k_all) if n[j] == 1]
    if empty:
        notes.append("no valid data in " + ", ".join(empty))
    if small:
        notes.append("fewer than two valid answers in " + ", ".join(small) + " (left out)")
    if len(keep) < 2:
        notes.append("fewer than two groups with data: no test")
        row["note"] = _stats.join_notes(*notes)
        return None
    if len(keep) < k_all:
        sel = np.isin(g, keep)
        x, g = x[sel], g[sel]
        remap = np.full(k_all, -1)
        remap[keep] = np.arange(len(keep))
        g = remap[g]
        ranks, tie = midranks(x)
    labels = [groups.labels[j] for j in keep]
    n, means, var = n[keep].astype(float), means[keep], var[keep]
    k, N = len(keep), float(x.size)
    row["n"] = int(N)
    if test in TWO_GROUP and k != 2:
        notes.append(f"{test} compares two groups")
        row["note"] = _stats.join_notes(*notes)
        return None
    ys = [x[g == j] for j in range(k)]
    if np.all(x == x[0]):
        notes.append("no variation: every valid answer is the same")
        row["note"] = _stats.join_notes(*notes)
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        lev = stats.levene(*ys, center="mean")
    row["levene_f"], row["levene_p"] = float(lev.statistic), float(lev.pvalue)
    ph = None
    if test not in ("mann-whitney", "kruskal") and np.all(var == 0):
        notes.append("no variation within groups: the groups differ but no test statistic is defined")
        row.update(levene_f=np.nan, levene_p=np.nan)
        row["note"] = _stats.join_notes(*notes)
        return None
    if test in ("student", "welch"):
        res = stats.ttest_ind(ys[0], ys[1], equal_var=(test == "student"))
        row.update(statistic=float(res.statistic), df=float(res.df), p=float(res.pvalue))
        d, (dl, dh), gg, (gl, gh) = cohens_d(ys[0], ys[1], conf_level)
        row.update(effsize=d, effsize_name="cohens_d", ci_low=dl, ci_high=dh)
        es_rows += [_es(v, "cohens_d", d, dl, dh, "noncentral t"), _es(v, "hedges_g", gg, gl, gh, "noncentral t")]
    elif test == "mann-whitney":
        n1, n2 = n
        r1 = ranks[g == 0].sum()
        u1 = r1 - n1 * (n1 + 1) / 2
        u2 = n1 * n2 - u1
        u, w = (u1, r1) if u1 <= u2 else (u2, N * (N + 1) / 2 - r1)
        sigma = np.sqrt(n1 * n2 / 12.0 * ((N + 1) - tie / (N * (N - 1))))
        z = (u - n1 * n2 / 2.0) / sigma
        row.update(statistic=u, w=w, z=z, p=float(2 * stats.norm.sf(abs(z))))
        r, lo, hi = rank_biserial(u1, n1, n2, conf_level)
        row.update(effsize=r, effsize_name="rank_biserial", ci_low=lo, ci_high=hi)
        es_rows.append(_es(v, "rank_biserial", r, lo, hi, "normal (Fisher z)"))
    elif test in ("anova", "welch-anova"):
        grand = x.mean()
        ssb = float((n * (means - grand) ** 2).sum())
        ssw = float(((x - means[g]) ** 2).sum())
        df1, df2 = k - 1, N - k
        msw = ssw / df2
        if test == "anova":
            f = (ssb / df1) / msw
            row.update(statistic=f, df1=df1, df2=df2, p=float(stats.f.sf(f, df1, df2)))
        else:
            from statsmodels.stats.oneway import anova_generic

            if np.any(var == 0):
                notes.append("a group without variation: Welch's ANOVA is undefined")
            else:
                res = anova_generic(means, var, n, use_var="unequal")
                row.update(statistic=float(res.statistic), df1=float(res.df[0]), df2=float(res.df[1]),
                           p=float(res.pvalue))
        eta2 = ssb / (ssb + ssw)
        om2 = max(0.0, (ssb - df1 * msw) / (ssb + ssw + msw))
        el, eh = eta2_ci(ssb / df1 / msw, df1, df2, conf_level)
        ol, oh = eta2_ci(_f_of(om2, df1, df2), df1, df2, conf_level)
        es_rows += [_es(v, "eta2", eta2, el, eh, "noncentral F"), _es(v, "omega2", om2, ol, oh, "noncentral F")]
        if test == "anova":
            row.update(effsize=eta2, effsize_name="eta2", ci_low=el, ci_high=eh)
        else:
            row.update(effsize=om2, effsize_name="omega2", ci_low=ol, ci_high=oh)
    elif test == "kruskal":
        rs = np.bincount(g, weights=ranks, minlength=k)
        h = 12.0 / (N * (N + 1)) * float((rs ** 2 / n).sum()) - 3 * (N + 1)
        h /= 1 - tie / (N ** 3 - N)
        row.update(statistic=h, df=float(k - 1), p=float(stats.chi2.sf(h, k - 1)))
        eps = h / (N - 1)
        row.update(effsize=eps, effsize_name="epsilon2", ci_low=np.nan, ci_high=np.nan)
        es_rows.append(_es(v, "epsilon2", eps, np.nan, np.nan, ""))
    if k >= 3:
        method = posthoc or {"anova": "tukey", "welch-anova": "games-howell", "kruskal": "dunn"}.get(test, "none")
        if method == "tukey":
            ph = _ph.tukey(ys, labels, v, conf_level)
        elif method == "games-howell":
            if np.any(var == 0):
                notes.append("a group without variation: no Games-Howell comparisons")
            else:
                ph = _ph.games_howell(ys, labels, v, conf_level)
        elif method == "dunn":
            rs = np.bincount(g, weights=ranks, minlength=k)
            ph = _ph.dunn(rs, n, tie, labels, v, adjust)
    row["note"] = _stats.join_notes(*notes)
    return ph


def _es(v, name, value, lo, hi, method):
    return {"variable": v, "effsize_name": name, "effsize": value, "ci_low": lo, "ci_high": hi, "ci_method": method}


# --------------------------------------------------------------------------------- nominal
def _nominal(row, es_rows, x, g, groups, test, conf_level, auto=False):
    notes = []
    if x.size == 0:
        row["note"] = "no valid data"
        return
    if x.dtype == object:
        vals, vi = np.unique(x.astype(str), return_inverse=True)
    else:
        vals, vi = np.unique(x.astype(float), return_inverse=True)
    present = np.unique(g)
    gi = np.searchsorted(present, g)
    table = np.bincount(gi * len(vals) + vi, minlength=len(present) * len(vals)).reshape(len(present), len(vals))
    empty = [groups.labels[j] for j in range(groups.k) if j not in set(present.tolist())]
    if empty:
        notes.append("no valid data in " + ", ".join(empty))
    r, c = table.shape
    if r < 2 or c < 2:
        notes.append("fewer than two groups with data: no test" if r < 2 else "no variation: every valid answer is the same")
        row["note"] = _stats.join_notes(*notes)
        return
    N = table.sum()
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / N
    if auto and (r, c) == (2, 2) and (expected < 5).any():
        test = row["test"] = "fisher"
    chi = stats.chi2_contingency(table, correction=False)
    v, lo, hi = cramers_v(float(chi.statistic), int(N), r, c, int(chi.dof), conf_level)
    es_rows.append(_es(row["variable"], "cramers_v", v, lo, hi, "noncentral chi-square"))
    row.update(effsize=v, effsize_name="cramers_v", ci_low=lo, ci_high=hi)
    if test == "fisher":
        if (r, c) != (2, 2):
            notes.append("Fisher's exact test needs a 2 x 2 table")
        else:
            res = stats.fisher_exact(table)
            row.update(statistic=float(res.statistic), p=float(res.pvalue))
    else:
        row.update(statistic=float(chi.statistic), df=float(chi.dof), p=float(chi.pvalue))
        share = float((expected < 5).mean())
        if share > 0.2:
            row["warning"] = f"{(expected < 5).sum()} of {expected.size} expected counts under 5 ({100 * share:.0f}%)"
    row["note"] = _stats.join_notes(*notes)


# --------------------------------------------------------------------------------- effect sizes
def _ncp_bounds(cdf, stat: float, conf_level: float, lower_limit: float | None) -> tuple[float, float]:
    """Noncentrality parameters whose distributions put ``stat`` at the upper / lower tail probabilities.

    Solves cdf(stat, ncp) = 1 - a/2 (lower bound) and = a/2 (upper bound) with Brent's method.
    ``lower_limit`` (0 for F and chi-square) bounds the ncp from below: where even that value
    gives a cdf under the target, the bound is that limit (as R's ``effectsize``).
    """
    a = 1.0 - conf_level
    out = []
    for target in (1 - a / 2, a / 2):
        f = lambda nc: cdf(stat, nc) - target  # noqa: E731  decreasing in nc
        lo = lower_limit if lower_limit is not None else stat - 10 - 2 * abs(stat)
        if lower_limit is not None and f(lo) <= 0:
            out.append(lo)
            continue
        step = max(1.0, abs(stat))
        hi = stat + step
        while f(hi) > 0:
            hi += step
            step *= 2
        if lower_limit is None:
            while f(lo) < 0:
                lo -= max(1.0, abs(lo))
        out.append(optimize.brentq(f, lo, hi, xtol=1e-13, rtol=1e-15, maxiter=500))
    return out[0], out[1]


def _j(df: float) -> float:
    """Hedges' exact small-sample correction factor J(df)."""
    return float(np.exp(special.gammaln(df / 2) - np.log(np.sqrt(df / 2)) - special.gammaln((df - 1) / 2)))


def cohens_d(a: np.ndarray, b: np.ndarray, conf_level: float = 0.95):
    """Cohen's d (pooled SD, a - b) and Hedges' g with noncentral-t confidence intervals.

    Returns ``d, (low, high), g, (low, high)``; the CIs as R's ``effectsize::cohens_d`` /
    ``hedges_g`` (two-sided), with the noncentrality solved exactly.

    >>> d, ci, g, gci = cohens_d(np.array([1., 2, 3, 4]), np.array([2., 3, 4, 5, 6]))
    >>> round(d, 6), round(g, 6)
    (-1.024695, -0.910137)
    """
    n1, n2 = len(a), len(b)
    df = n1 + n2 - 2
    sp = np.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / df)
    d = float((a.mean() - b.mean()) / sp)
    hn = 1 / n1 + 1 / n2
    t = d / np.sqrt(hn)
    if not np.isfinite(t):
        return d, (np.nan, np.nan), np.nan, (np.nan, np.nan)
    lo, hi = _ncp_bounds(lambda q, nc: stats.nct.cdf(q, df, nc), t, conf_level, None)
    j = _j(df)
    ci = (lo * np.sqrt(hn), hi * np.sqrt(hn))
    return d, ci, d * j, (ci[0] * j, ci[1] * j)


def _f_of(es: float, df1: float, df2: float) -> float:
    return (es / df1) / ((1 - es) / df2)


def eta2_ci(f: float, df1: float, df2: float, conf_level: float = 0.95) -> tuple[float, float]:
    """Two-sided CI for eta^2 by the noncentral F: ncp / (ncp + df2) at the ncp bounds (R ``effectsize``).

    >>> [round(v, 6) for v in eta2_ci(12.85, 2, 5)]
    [0.184681, 0.936267]
    """
    if not np.isfinite(f):
        return np.nan, np.nan
    lo, hi = _ncp_bounds(lambda q, nc: stats.ncf.cdf(q, df1, df2, nc) if nc > 0 else stats.f.cdf(q, df1, df2),
                         f, conf_level, 0.0)
    return lo / (lo + df2), hi / (hi + df2)


def cramers_v(chi2: float, n: int, r: int, c: int, df: int, conf_level: float = 0.95):
    """Cramér's V = sqrt(chi2 / (n (min(r, c) - 1))) with a noncentral chi-square CI.

    Returns ``v, low, high``.

    >>> [round(x, 6) for x in cramers_v(9.0, 9, 3, 6, 10)]
    [0.707107, 0.0, 0.841833]
    """
    m = n * (min(r, c) - 1)
    v = float(np.sqrt(chi2 / m))
    lo, hi = _ncp_bounds(lambda q, nc: stats.ncx2.cdf(q, df, nc) if nc > 0 else stats.chi2.cdf(q, df),
                         chi2, conf_level, 0.0)
    return v, float(np.sqrt(lo / m)), float(min(1.0, np.sqrt(hi / m)))


def rank_biserial(u1: float, n1: float, n2: float, conf_level: float = 0.95):
    """Rank-biserial r = 2 U1 / (n1 n2) - 1 (U1 counts pairs where group1 is higher) with a Fisher-z CI.

    SE of atanh(r) = sqrt((n1 + n2 + 1) / (3 n1 n2)), as R's ``effectsize::rank_biserial``.

    >>> [round(x, 6) for x in rank_biserial(0.0, 3, 3)]
    [-1.0, -1.0, -1.0]
    """
    r = 2 * u1 / (n1 * n2) - 1
    se = np.sqrt((n1 + n2 + 1) / (3 * n1 * n2))
    zc = stats.norm.ppf(1 - (1 - conf_level) / 2)
    with np.errstate(divide="ignore"):
        rf = np.arctanh(r)
    return float(r), float(np.tanh(rf - zc * se)), float(np.tanh(rf + zc * se))
