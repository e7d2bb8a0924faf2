"""The group-comparison tests, one function each, and the registry :func:`compare` chooses from.

A numeric test takes a :class:`Sample` (one variable's valid values in the groups it compares),
a nominal test a :class:`Table` (the groups x answers contingency table); each returns one
:class:`TestResult`: the statistic, its degrees of freedom and p, the effect sizes, notes.
:data:`REGISTRY` names every test with the data it takes, the measure levels ``test="auto"``
picks it for and the post hoc it implies; :data:`POSTHOC_METHODS` names the post hoc
comparisons (:mod:`analysis.stats.posthoc`) run on a :class:`Sample`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd
from coprod.analysis.stats import specfun as special  # scipy.stats (~1 s) only in the two-group tests that need it

from coprod.analysis.stats import effects as _es
from coprod.analysis.stats import grouptests_more as _more
from coprod.analysis.stats import posthoc as _ph
from coprod.analysis.stats.samples import COUNTED_MIN_N, CountedSample, Sample, midranks, sample_of  # noqa: F401


@dataclass
class Table:
    """A groups x answers contingency table (every row and column with a count) and the CI level."""

    counts: np.ndarray
    conf_level: float = 0.95

    @cached_property
    def expected(self) -> np.ndarray:
        """Expected counts under independence."""
        t = self.counts
        return t.sum(1, keepdims=True) * t.sum(0, keepdims=True) / t.sum()

    @cached_property
    def chi(self) -> "Chi2":
        """Pearson's chi-square test, as ``scipy.stats.chi2_contingency(correction=False)`` (tested)."""
        exp = self.expected
        dof = exp.size - sum(exp.shape) + exp.ndim - 1
        if dof == 0:
            return Chi2(0.0, 1.0, 0)
        stat = float((((np.asarray(self.counts).astype(np.float64) - exp) ** 2) / exp).sum())
        return Chi2(stat, float(special.chdtrc(dof, stat)), dof)

    def cramers_v(self) -> "Effect":
        r, c = self.counts.shape
        v, lo, hi = _es.cramers_v(float(self.chi.statistic), float(self.counts.sum()), r, c, int(self.chi.dof),
                                  self.conf_level)
        return Effect("cramers_v", v, lo, hi, "noncentral chi-square")


class Chi2(NamedTuple):
    statistic: float
    pvalue: float
    dof: int


class Effect(NamedTuple):
    """One effect size with its confidence interval and how the interval was found."""

    name: str
    value: float
    ci_low: float
    ci_high: float
    ci_method: str


@dataclass
class TestResult:
    """One row of the ``tests`` table as a test gives it; None where the test has no such value.

    ``effects`` are every effect size (the ``effect_sizes`` table); ``main`` names the one shown
    in the row.  ``notes`` explain a missing statistic; ``warning`` doubts about a present one.
    ``extra`` holds the further columns of the row (mean difference, Brown-Forsythe F ...;
    not in :meth:`row`, which has the test's own);
    ``tables`` rows of further tables by name (``anova``, ``crosstab``).
    """

    statistic: float | None = None
    df: float | None = None
    df1: float | None = None
    df2: float | None = None
    z: float | None = None
    w: float | None = None
    p: float | None = None
    effects: list[Effect] = field(default_factory=list)
    main: str | None = None
    notes: list[str] = field(default_factory=list)
    warning: str | None = None
    extra: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)

    def row(self) -> dict:
        """The columns of the ``tests`` row this result fills (those it has a value for)."""
        out = {k: v for k in ("statistic", "df", "df1", "df2", "z", "w", "p")
               if (v := getattr(self, k)) is not None}
        for e in self.effects:
            if e.name == self.main:
                out.update(effsize=e.value, effsize_name=e.name, ci_low=e.ci_low, ci_high=e.ci_high)
        if self.warning is not None:
            out["warning"] = self.warning
        return out


# --------------------------------------------------------------------------------- numeric tests
def _t_test(s: Sample, equal_var: bool) -> TestResult:
    from scipy import stats

    a, b = s.ys
    res = stats.ttest_ind(a, b, equal_var=equal_var)
    d, (dl, dh), g, (gl, gh) = _es.cohens_d(a, b, s.conf_level)
    return TestResult(statistic=float(res.statistic), df=float(res.df), p=float(res.pvalue), main="cohens_d",
                      effects=[Effect("cohens_d", d, dl, dh, "noncentral t"),
                               Effect("hedges_g", g, gl, gh, "noncentral t")],
                      extra=_more.mean_difference(a, b, equal_var, s.conf_level))


def student(s: Sample) -> TestResult:
    """Two-sample t test with pooled variance (df = n1 + n2 - 2), ``scipy.stats.ttest_ind``.

    Effect size Cohen's d with the pooled SD (group1 - group2) and Hedges' g (exact
    small-sample factor J), noncentral-t intervals.  The mean difference (group1 - group2) with
    its SE and t interval in ``mean_diff, se_diff, diff_ci_low, diff_ci_high`` (PSPP T-TEST).

    >>> r = student(Sample(np.array([2.0, 3, 4, 5, 7, 8]), np.array([0, 0, 0, 1, 1, 1]), ["a", "b"]))
    >>> round(r.statistic, 4), r.df
    (-3.4785, 4.0)
    """
    return _t_test(s, equal_var=True)


def welch(s: Sample) -> TestResult:
    """Welch's two-sample t test (Welch-Satterthwaite df); effect sizes as :func:`student`."""
    return _t_test(s, equal_var=False)


def mann_whitney(s: Sample) -> TestResult:
    """Mann-Whitney U: U is the smaller of the two U's and ``w`` the rank sum of that group (as SPSS).

    ``z`` and p are asymptotic, tie-corrected, without continuity correction (=
    ``scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=False)``); effect size
    rank-biserial r (positive when group1 ranks higher) with a Fisher-z CI.  ``p_exact``: the
    exact two-sided p when there are no ties and each group has at most 30 answers (SPSS's
    convention; R ``wilcox.test(exact = TRUE)``), else empty.  Beside r, the probability of superiority
    P(group1 > group2) + P(equal) / 2 = (r + 1) / 2, its interval mapped the same way (as
    ``effectsize::p_superiority(parametric = FALSE)``).  ``hl_estimate``, ``hl_ci_low``,
    ``hl_ci_high``: the Hodges-Lehmann shift group1 - group2 with its interval (exact in the same
    cases, else R's normal approximation; see :func:`analysis.stats.grouptests_more.hodges_lehmann`).
    """
    n1, n2 = s.n
    N = s.N
    r1 = s.ranks[s.g == 0].sum()
    u1 = r1 - n1 * (n1 + 1) / 2
    u2 = n1 * n2 - u1
    u, w = (u1, r1) if u1 <= u2 else (u2, N * (N + 1) / 2 - r1)
    sigma = np.sqrt(n1 * n2 / 12.0 * ((N + 1) - s.tie / (N * (N - 1))))
    z = (u - n1 * n2 / 2.0) / sigma
    r, lo, hi = _es.rank_biserial(u1, n1, n2, s.conf_level)
    exact = s.tie == 0 and max(n1, n2) <= _more.EXACT_MAX_N
    extra = {"p_exact": _more.exact_mw_p(u, int(n1), int(n2)) if exact else np.nan,
             **_more.hodges_lehmann(*s.ys, exact=exact, conf_level=s.conf_level)}
    return TestResult(statistic=u, w=w, z=z, p=float(2 * special.ndtr(-abs(z))), main="rank_biserial",
                      effects=[Effect("rank_biserial", r, lo, hi, "normal (Fisher z)"),
                               Effect("p_superiority", (r + 1) / 2, (lo + 1) / 2, (hi + 1) / 2, "(r + 1) / 2")],
                      extra=extra)


def _oneway(s: Sample) -> tuple[float, float, int, float, list[Effect]]:
    """Between and within sums of squares, df1 and df2, and eta^2 and omega^2 with their intervals."""
    n, means = s.n, s.means
    grand = s.grand_mean()
    ssb = float((n * (means - grand) ** 2).sum())
    ssw = s.ssw()
    df1, df2 = s.k - 1, s.N - s.k
    msw = ssw / df2
    eta2 = ssb / (ssb + ssw)
    om2 = max(0.0, (ssb - df1 * msw) / (ssb + ssw + msw))
    el, eh = _es.eta2_ci(ssb / df1 / msw, df1, df2, s.conf_level)
    ol, oh = _es.eta2_ci(_es.f_of(om2, df1, df2), df1, df2, s.conf_level)
    return ssb, ssw, df1, df2, [Effect("eta2", eta2, el, eh, "noncentral F"),
                                Effect("omega2", om2, ol, oh, "noncentral F")]


def _oneway_more(s: Sample, ssb: float, ssw: float, df1: float, df2: float) -> dict:
    """Brown-Forsythe's F (``bf_*`` columns) and the ANOVA table's rows, as both ANOVAs give them."""
    return {"extra": _more.brown_forsythe(s.n, s.means, s.var),
            "tables": {"anova": _more.anova_rows("", ssb, ssw, df1, df2)}}


def anova(s: Sample) -> TestResult:
    """One-way ANOVA F (df1, df2); effect sizes eta^2 (in the row) and omega^2.

    Also Brown-Forsythe's F (``bf_f, bf_df1, bf_df2, bf_p``) and the sums of squares and mean
    squares (the ``anova`` table, as PSPP ONEWAY).
    """
    ssb, ssw, df1, df2, effects = _oneway(s)
    f = (ssb / df1) / (ssw / df2)
    return TestResult(statistic=f, df1=df1, df2=df2, p=float(special.fdtrc(df1, df2, f)), effects=effects, main="eta2",
                      **_oneway_more(s, ssb, ssw, df1, df2))


def welch_anova(s: Sample) -> TestResult:
    """Welch's ANOVA, as ``statsmodels.stats.oneway.anova_generic(use_var="unequal")`` (tested).

    With weights w = n / s^2: F = sum w (mean - weighted mean)^2 / (k - 1) / (1 + 2 (k - 2) t),
    t = sum (1 - w / sum w)^2 / (n - 1) / (k^2 - 1), df = (k - 1, 1 / (3 t)).  Effect size
    omega^2 from the ordinary ANOVA (eta^2 too); undefined, with a note, when a group has no
    variation.
    """
    ssb, ssw, df1, df2, effects = _oneway(s)
    out = TestResult(effects=effects, main="omega2", **_oneway_more(s, ssb, ssw, df1, df2))
    if np.any(s.var == 0):
        out.notes.append("a group without variation: Welch's ANOVA is undefined")
    else:
        k = len(s.n)
        nobs = np.asarray(s.n, dtype=float)
        weights = nobs / np.asarray(s.var, dtype=float)
        w_rel = weights / weights.sum()
        statistic = np.dot(weights, (s.means - w_rel @ s.means) ** 2) / (k - 1.0)
        tmp = ((1 - w_rel) ** 2 / (nobs - 1)).sum() / (k ** 2 - 1)
        statistic /= 1 + 2 * (k - 2) * tmp
        out.statistic, out.df1, out.df2 = float(statistic), k - 1.0, float(1.0 / (3.0 * tmp))
        out.p = float(special.fdtrc(out.df1, out.df2, out.statistic))
    return out


def kruskal(s: Sample) -> TestResult:
    """Kruskal-Wallis H, tie-corrected, chi-square df = k - 1.

    Effect size epsilon^2 = H / (n - 1), without a CI (R's ``effectsize`` bootstraps it).
    """
    N, k = s.N, s.k
    h = 12.0 / (N * (N + 1)) * float((s.rank_sums() ** 2 / s.n).sum()) - 3 * (N + 1)
    h /= 1 - s.tie / (N ** 3 - N)
    eps = h / (N - 1)
    return TestResult(statistic=h, df=float(k - 1), p=float(special.chdtrc(k - 1, h)), main="epsilon2",
                      effects=[Effect("epsilon2", eps, np.nan, np.nan, "")])


# --------------------------------------------------------------------------------- nominal tests
def chi2(t: Table) -> TestResult:
    """Pearson chi-square of independence (no continuity correction); Cramér's V.

    ``warning`` when more than 20% of the expected counts are under 5.  Also the
    likelihood-ratio chi-square (``lr_chisq``, ``lr_p``) and, for a 2 x 2 table, Yates's
    continuity-corrected chi-square (``yates_chisq``, ``yates_p``) and the odds ratio with
    Woolf's interval (``odds_ratio``, ``or_ci_low``, ``or_ci_high``), as PSPP CROSSTABS.

    >>> r = chi2(Table(np.array([[12, 5, 7], [6, 9, 3], [2, 8, 10]])))
    >>> round(r.statistic, 6), r.df, r.warning
    (11.434773, 4.0, None)
    """
    out = TestResult(statistic=float(t.chi.statistic), df=float(t.chi.dof), p=float(t.chi.pvalue),
                     effects=[t.cramers_v()], main="cramers_v", extra=_more.table_extras(t.counts, t.conf_level))
    small = t.expected < 5
    share = float(small.mean())
    if share > 0.2:
        out.warning = f"{small.sum()} of {small.size} expected counts under 5 ({100 * share:.0f}%)"
    return out


def fisher(t: Table) -> TestResult:
    """Fisher's exact test of a 2 x 2 table (statistic = the sample odds ratio); Cramér's V.

    >>> round(fisher(Table(np.array([[3, 1], [1, 3]]))).p, 6)
    0.485714
    """
    out = TestResult(effects=[t.cramers_v()], main="cramers_v", extra=_more.table_extras(t.counts, t.conf_level))
    if t.counts.shape != (2, 2):
        out.notes.append("Fisher's exact test needs a 2 x 2 table")
    else:
        out.statistic, out.p = _more.fisher_2x2(t.counts)
    return out


def exact_preferred(t: Table) -> bool:
    """Whether ``test="auto"`` takes Fisher's test over chi-square: a 2 x 2 table with an expected count under 5."""
    return t.counts.shape == (2, 2) and bool((t.expected < 5).any())


# --------------------------------------------------------------------------------- the registry
@dataclass(frozen=True)
class GroupTest:
    """A test :func:`compare` can run.

    ``data``: ``"numeric"`` (it takes a :class:`Sample`) or ``"table"`` (a :class:`Table`);
    ``two_groups``: it compares exactly two groups (asking for it with more is an error);
    ``auto_for``: the measure levels ``test="auto"`` picks it for; ``posthoc``: the post hoc
    it implies with three or more groups; ``needs_spread``: undefined when no group varies
    (false for the rank tests).
    """

    name: str
    run: Callable[..., TestResult]
    data: str = "numeric"
    two_groups: bool = False
    auto_for: tuple[str, ...] = ()
    posthoc: str = "none"
    needs_spread: bool = True


REGISTRY: dict[str, GroupTest] = {t.name: t for t in (
    GroupTest("student", student, two_groups=True),
    GroupTest("welch", welch, two_groups=True, auto_for=("scale",)),
    GroupTest("mann-whitney", mann_whitney, two_groups=True, auto_for=("ordinal",), needs_spread=False),
    GroupTest("anova", anova, posthoc="tukey"),
    GroupTest("welch-anova", welch_anova, auto_for=("scale",), posthoc="games-howell"),
    GroupTest("kruskal", kruskal, auto_for=("ordinal",), posthoc="dunn", needs_spread=False),
    GroupTest("chi2", chi2, data="table", auto_for=("nominal",)),
    GroupTest("fisher", fisher, data="table"),
)}


def choose(measure: str, k: int) -> str:
    """The test ``test="auto"`` runs for a variable of this measure level compared across ``k`` groups.

    Among the tests suiting the measure level, a two-group test when there are two groups,
    else the one for any number: nominal -> chi2 (Fisher's test replaces it for a small 2 x 2
    table, see :func:`exact_preferred`); ordinal -> Mann-Whitney or Kruskal-Wallis; scale (and
    any other level) -> Welch's t or Welch's ANOVA.

    >>> [choose(m, k) for m in ("nominal", "ordinal", "scale") for k in (2, 3)]
    ['chi2', 'chi2', 'mann-whitney', 'kruskal', 'welch', 'welch-anova']
    """
    suits = [t for t in REGISTRY.values() if measure in t.auto_for] or \
            [t for t in REGISTRY.values() if "scale" in t.auto_for]
    two = [t for t in suits if t.two_groups]
    if k == 2 and two:
        return two[0].name
    return next(t.name for t in suits if not t.two_groups)


# --------------------------------------------------------------------------------- post hoc
def _tukey(s: Sample, variable: str, adjust: str) -> tuple[list[dict] | None, str]:
    return _ph.tukey_rows(s.ys, s.labels, variable, s.conf_level), ""


def _games_howell(s: Sample, variable: str, adjust: str) -> tuple[list[dict] | None, str]:
    if np.any(s.var == 0):
        return None, "a group without variation: no Games-Howell comparisons"
    return _ph.games_howell_rows(s.ys, s.labels, variable, s.conf_level), ""


def _dunn(s: Sample, variable: str, adjust: str) -> tuple[list[dict] | None, str]:
    return _ph.dunn_rows(s.rank_sums(), s.n, s.tie, s.labels, variable, adjust), ""


def _bonferroni(s: Sample, variable: str, adjust: str) -> tuple[list[dict] | None, str]:
    return _ph.pooled_pairs_rows(s.ys, s.labels, variable, "bonferroni", s.conf_level), ""


def _scheffe(s: Sample, variable: str, adjust: str) -> tuple[list[dict] | None, str]:
    return _ph.pooled_pairs_rows(s.ys, s.labels, variable, "scheffe", s.conf_level), ""


#: Post hoc comparisons by name: (sample, variable, adjust) -> (table or None, note).
POSTHOC_METHODS: dict[str, Callable[[Sample, str, str], tuple[list[dict] | None, str]]] = {
    "tukey": _tukey, "games-howell": _games_howell, "dunn": _dunn, "bonferroni": _bonferroni,
    "scheffe": _scheffe}
