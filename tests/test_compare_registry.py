"""The registry of group-comparison tests: every test name has its function, and `auto` chooses as documented."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from coprod.analysis.data.responses import MEASURES, Responses
from coprod.analysis.stats import grouptests as T
from coprod.analysis.stats.compare import POSTHOC, TESTS, TWO_GROUP, compare

ROOT = Path(__file__).resolve().parents[1]

# docs/statistics.md, "--test auto": nominal -> chi-square (Fisher for a 2 x 2 table with an expected count
# under 5); ordinal -> Mann-Whitney (two groups) or Kruskal-Wallis; scale -> Welch's t or Welch's ANOVA.
AUTO = {("nominal", 2): "chi2", ("nominal", 3): "chi2", ("ordinal", 2): "mann-whitney", ("ordinal", 3): "kruskal",
        ("scale", 2): "welch", ("scale", 3): "welch-anova"}
WORDS = {"chi2": "chi-square", "fisher": "Fisher", "mann-whitney": "Mann-Whitney", "kruskal": "Kruskal-Wallis",
         "welch": "Welch's t", "welch-anova": "Welch's ANOVA"}

G1 = [3.1, 4.5, 2.8, 5.0, 3.9, 4.2, 3.3]
G2 = [5.5, 6.1, 7.9, 4.8, 6.6, 8.3, 5.9, 7.0]
G3 = [2.0, 6.5, 3.5, 9.0, 1.5, 5.0]


def sample(*groups):
    x = np.concatenate([np.asarray(g, dtype=float) for g in groups])
    g = np.repeat(np.arange(len(groups)), [len(y) for y in groups])
    return T.Sample(x, g, [str(j + 1) for j in range(len(groups))])


def test_registry_covers_every_test_name():
    # the names, in the order users see them in messages and in `coprod compare --help`
    assert TESTS == ("auto", "student", "welch", "mann-whitney", "anova", "welch-anova", "kruskal", "chi2", "fisher")
    for name, t in T.REGISTRY.items():
        assert t.name == name and callable(t.run)
        assert t.data in ("numeric", "table")
        assert t.posthoc in POSTHOC
        assert set(t.auto_for) <= set(MEASURES)
    assert set(TWO_GROUP) == {"student", "welch", "mann-whitney"}
    assert set(POSTHOC) == {"tukey", "games-howell", "dunn", "bonferroni", "scheffe", "none"}
    # docs/statistics.md: Tukey after ANOVA, Games-Howell after Welch's ANOVA, Dunn after Kruskal-Wallis
    assert {n: t.posthoc for n, t in T.REGISTRY.items() if t.posthoc != "none"} == {
        "anova": "tukey", "welch-anova": "games-howell", "kruskal": "dunn"}


def test_each_registered_function_is_its_test():
    """Each name runs its own test: the statistic and p agree with scipy's implementation of that test."""
    two, three = sample(G1, G2), sample(G1, G2, G3)
    expected = {
        "student": (two, stats.ttest_ind(G1, G2)),
        "welch": (two, stats.ttest_ind(G1, G2, equal_var=False)),
        "anova": (three, stats.f_oneway(G1, G2, G3)),
        "kruskal": (three, stats.kruskal(G1, G2, G3)),
    }
    for name, (s, ref) in expected.items():
        r = T.REGISTRY[name].run(s)
        assert (r.statistic, r.p) == (pytest.approx(ref.statistic, rel=1e-9), pytest.approx(ref.pvalue, rel=1e-9))
    mw = T.REGISTRY["mann-whitney"].run(two)
    ref = stats.mannwhitneyu(G1, G2, method="asymptotic", use_continuity=False)
    assert mw.statistic == min(ref.statistic, len(G1) * len(G2) - ref.statistic)
    assert mw.p == pytest.approx(ref.pvalue, rel=1e-9)
    # R: oneway.test(y ~ g, var.equal = FALSE)
    assert T.REGISTRY["welch-anova"].run(three).statistic == pytest.approx(12.6181656443659378, rel=1e-9)
    table = np.array([[12, 5, 7], [6, 9, 3], [2, 8, 10]])
    chi = T.REGISTRY["chi2"].run(T.Table(table))
    ref = stats.chi2_contingency(table, correction=False)
    assert (chi.statistic, chi.df, chi.p) == (pytest.approx(ref.statistic), ref.dof, pytest.approx(ref.pvalue))
    fi = T.REGISTRY["fisher"].run(T.Table(np.array([[3, 1], [1, 3]])))
    assert (fi.statistic, fi.p) == (9.0, pytest.approx(stats.fisher_exact([[3, 1], [1, 3]]).pvalue))


def test_registry_tests_give_one_row_and_their_effect_sizes():
    r = T.REGISTRY["anova"].run(sample(G1, G2, G3))
    row = r.row()
    assert row["effsize_name"] == "eta2" and [e.name for e in r.effects] == ["eta2", "omega2"]
    assert set(row) == {"statistic", "df1", "df2", "p", "effsize", "effsize_name", "ci_low", "ci_high"}
    assert T.REGISTRY["welch-anova"].run(sample(G1, G2, G3)).row()["effsize_name"] == "omega2"


def test_auto_choice_by_measure_level():
    for (measure, k), name in AUTO.items():
        assert T.choose(measure, k) == name
    assert T.choose("scale", 5) == "welch-anova" and T.choose("ordinal", 4) == "kruskal"


def test_auto_as_documented():
    text = (ROOT / "docs" / "statistics.md").read_text()
    para = " ".join(text.split("**`--test auto`**", 1)[1].split("\n- ", 1)[0].split())
    for level in MEASURES:
        part = re.search(rf"{level} -> ([^;]*)", para).group(1)
        for k in (2, 3):
            assert WORDS[AUTO[(level, k)]] in part, (level, k, part)
    assert WORDS["fisher"] in re.search(r"nominal -> ([^;]*)", para).group(1)


def test_auto_in_compare():
    """Through compare: the measure level of each variable decides; non-numeric answers are nominal."""
    rng = np.random.default_rng(5)
    n = 60
    df = pd.DataFrame({"g2": np.repeat([1, 2], n // 2), "g3": np.repeat([1, 2, 3], n // 3),
                       "s": rng.normal(size=n), "o": rng.integers(1, 6, n).astype(float),
                       "m": rng.integers(1, 4, n).astype(float), "t": rng.choice(["x", "y", "z"], n)})
    r = Responses(df, measure={"s": "scale", "o": "ordinal", "m": "nominal"})
    for by, k in (("g2", 2), ("g3", 3)):
        got = compare(r, "s,o,m,t", by=by).tests.set_index("variable")["test"].to_dict()
        assert got == {"s": AUTO[("scale", k)], "o": AUTO[("ordinal", k)], "m": "chi2", "t": "chi2"}, by
    small = pd.DataFrame({"g": [1] * 4 + [2] * 4, "v": [1, 1, 1, 2, 1, 2, 2, 2]})
    assert compare(Responses(small, measure={"v": "nominal"}), "v", "g").tests.iloc[0]["test"] == "fisher"
