"""Every statistic GNU PSPP also computes must agree with it to 1e-6 relative.

The data are generated here (seeded): three groups of unequal size and variance, ties,
system-missing values, discrete user-missing codes and a user-missing range declared in the
.sav file, and a respondent whose group is user-missing.  PSPP reads the same file.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import pspp
from coprod.analysis.stats import samples
from coprod.analysis.stats.compare import compare
from coprod.analysis.stats.descriptives import descriptives
from coprod.analysis.stats.frequencies import frequencies
from coprod.analysis.stats.reliability import reliability
from coprod.analysis.data.responses import Responses

pytestmark = pytest.mark.pspp

REL = 1e-6
VARS = ["g", "y1", "y2", "y3", "c", "i1", "i2", "i3", "i4", "i5"]
LABELS = {1.0: "Professional", 2.0: "Volunteer", 3.0: "Service user", 99.0: "No answer"}


def make_data():
    rng = np.random.default_rng(20261128)
    sizes = (37, 52, 23)
    g = np.repeat([1.0, 2.0, 3.0], sizes)
    n = g.size
    sd = np.select([g == 1, g == 2], [1.0, 2.5], 4.0)
    y1 = np.round(10 + (g == 2) * 1.5 - (g == 3) * 0.8 + rng.normal(size=n) * sd, 2)
    y2 = np.clip(np.round(3 + 0.4 * (g == 2) + rng.normal(size=n)), 1, 5)
    y3 = np.clip(np.round(3 - 0.3 * (g == 3) + rng.normal(size=n) * 1.2), 1, 5)
    f = rng.normal(size=n)
    items = np.clip(np.round(3 + f[:, None] * [0.9, 0.7, 0.8, 0.5, 0.6] + rng.normal(size=(n, 5)) * 0.9), 1, 5)
    c = rng.choice([1.0, 2.0, 3.0], size=n, p=[0.5, 0.3, 0.2])
    y1[rng.choice(n, 4, replace=False)] = np.nan
    y2[rng.choice(n, 6, replace=False)] = 9.0  # user-missing code
    y2[rng.choice(n, 3, replace=False)] = np.nan
    y3[rng.choice(n, 5, replace=False)] = 8.0  # inside the user-missing range 7..9
    items[rng.choice(n, 6, replace=False), rng.integers(0, 5, 6)] = 9.0
    g[5] = 99.0  # user-missing group
    df = pd.DataFrame({"g": g, "y1": y1, "y2": y2, "y3": y3, "c": c})
    for j in range(5):
        df[f"i{j + 1}"] = items[:, j]
    meta = dict(
        missing_ranges={"g": [99.0], "y2": [9.0], "y3": [{"lo": 7.0, "hi": 9.0}],
                        **{f"i{j + 1}": [9.0] for j in range(5)}},
        variable_value_labels={"g": LABELS, "y2": {1.0: "Disagree", 5.0: "Agree", 9.0: "Refused"}},
        variable_measure={"g": "nominal", "c": "nominal", "y1": "scale", "y2": "ordinal", "y3": "ordinal",
                          **{f"i{j + 1}": "ordinal" for j in range(5)}},
    )
    return df, meta


SYNTAX = """DESCRIPTIVES y1 y2 y3 /STATISTICS=MEAN STDDEV SEMEAN MIN MAX.
EXAMINE y1 y2 y3 /PERCENTILES(25,50,75)=HAVERAGE /MISSING=PAIRWISE.
EXAMINE y1 BY g /PERCENTILES(25,50,75)=HAVERAGE.
FREQUENCIES y2 y3.
T-TEST GROUPS=g(1,2) /VARIABLES=y1 y2.
ONEWAY y1 y2 BY g /STATISTICS=HOMOGENEITY /POSTHOC=TUKEY GH.
NPAR TESTS /M-W=y1 y2 BY g(1,2) /K-W=y1 y2 BY g(1,3).
CROSSTABS /TABLES=g BY c /STATISTICS=CHISQ.
RELIABILITY /VARIABLES=i1 i2 i3 i4 i5 /SUMMARY=TOTAL.
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    pspp.require_pspp()
    work = tmp_path_factory.mktemp("pspp")
    df, meta = make_data()
    return pspp.run_sav(df, meta, SYNTAX, work, precise_vars=VARS)


@pytest.fixture(params=["values", "counts"])
def counted(request, monkeypatch):
    """The comparisons as a small file has them, and again with the Likert items (y2) compared from
    their counts per group, as a large file has them (samples.CountedSample)."""
    if request.param == "counts":
        monkeypatch.setattr(samples, "COUNTED_MIN_N", 0)


def approx(x):
    return pytest.approx(x, rel=REL, abs=1e-12)


def two_groups(resp: Responses) -> Responses:
    keep = resp.data["g"].isin([1.0, 2.0])
    return Responses(resp.data[keep].reset_index(drop=True), value_labels=resp.value_labels,
                     missing_codes=resp.missing_codes, missing_ranges=resp.missing_ranges, measure=resp.measure)


def labelled(cell: str, labels: dict) -> float:
    for code, lab in labels.items():
        if cell == lab:
            return code
    return pspp.num(cell)


def test_user_missing_read_from_sav(run):
    resp, _ = run
    assert resp.missing_codes["y2"] == (9.0,)
    assert resp.missing_ranges["y3"] == ((7.0, 9.0),)
    assert resp.valid(["y3"])["y3"].max() == 5.0


def test_descriptives(run):
    resp, result = run
    d = descriptives(resp, items="y1..y3").set_index("variable")
    rows = pspp.tables(result, "Descriptive Statistics")[0]
    y2labels = {1.0: "Disagree", 5.0: "Agree"}
    for r in rows[1:4]:
        v = r[0]
        assert d.loc[v, "n"] == int(r[1])
        assert d.loc[v, "mean"] == approx(pspp.num(r[2]))
        assert d.loc[v, "se"] == approx(pspp.num(r[3]))
        assert d.loc[v, "sd"] == approx(pspp.num(r[4]))
        assert d.loc[v, "min"] == approx(labelled(r[5], y2labels))
        assert d.loc[v, "max"] == approx(labelled(r[6], y2labels))


def test_quartiles_haverage(run):
    resp, result = run
    d = descriptives(resp, items="y1..y3", by="g")
    pct = pspp.tables(result, "Percentiles")
    overall = {r[0]: r for r in pct[0] if r[1] == "Weighted Average"}
    for v, r in overall.items():
        row = d[(d.variable == v) & (d.group == "Total")].iloc[0]
        assert [row["q1"], row["median"], row["q3"]] == [approx(pspp.num(x)) for x in r[2:5]]
    by_group = [r for r in pct[2] if r[2] == "Weighted Average"]
    assert [r[1] for r in by_group] == ["Professional", "Volunteer", "Service user"]
    for r in by_group:
        row = d[(d.variable == "y1") & (d.group == r[1])].iloc[0]
        assert [row["q1"], row["median"], row["q3"]] == [approx(pspp.num(x)) for x in r[3:6]]


def test_quartiles_are_numpy_weibull(run):
    resp, _ = run
    x = resp.valid(["y1"])["y1"].dropna().to_numpy()
    row = descriptives(resp, items="y1").iloc[0]
    assert [row["q1"], row["median"], row["q3"]] == [approx(v) for v in np.quantile(x, [0.25, 0.5, 0.75], method="weibull")]


def test_frequencies(run):
    resp, result = run
    f = frequencies(resp, items="y2,y3")
    for v in ("y2", "y3"):
        rows = pspp.tables(result, v)[0]
        mine = f[f.variable == v]
        valid = mine[~mine.is_missing]
        section = None
        pspp_valid, pspp_missing = [], []
        for r in rows[1:]:
            if r[0]:
                section = r[0]
            if section == "Valid":
                pspp_valid.append(r)
            elif section == "Missing":
                pspp_missing.append(r)
        assert len(valid) == len(pspp_valid)
        for (_, m), r in zip(valid.iterrows(), pspp_valid):
            assert m["count"] == int(r[2])
            assert m["percent"] == approx(pspp.num(r[3]))
            assert m["valid_percent"] == approx(pspp.num(r[4]))
            assert m["cumulative_percent"] == approx(pspp.num(r[5]))
        miss = mine[mine.is_missing]
        assert sorted(miss["count"]) == sorted(int(r[2]) for r in pspp_missing)
        assert sorted(miss["percent"]) == [approx(x) for x in sorted(pspp.num(r[3]) for r in pspp_missing)]
    y2 = f[(f.variable == "y2") & f.is_missing].set_index("label")
    assert y2.loc["Refused", "count"] == 6 and y2.loc["System missing", "count"] == 3


def test_t_tests_and_levene(run, counted):
    resp, result = run
    sub = two_groups(resp)
    student = compare(sub, items="y1,y2", by="g", test="student").tests.set_index("variable")
    welch = compare(sub, items="y1,y2", by="g", test="welch").tests.set_index("variable")
    rows = pspp.tables(result, "Independent Samples Test")[0]
    for i, v in ((3, "y1"), (5, "y2")):
        eq, uneq = rows[i], rows[i + 1]
        assert student.loc[v, "levene_f"] == approx(pspp.num(eq[2]))
        assert student.loc[v, "levene_p"] == approx(pspp.num(eq[3]))
        assert student.loc[v, "statistic"] == approx(pspp.num(eq[4]))
        assert student.loc[v, "df"] == approx(pspp.num(eq[5]))
        assert student.loc[v, "p"] == approx(pspp.num(eq[6]))
        assert welch.loc[v, "statistic"] == approx(pspp.num(uneq[4]))
        assert welch.loc[v, "df"] == approx(pspp.num(uneq[5]))
        assert welch.loc[v, "p"] == approx(pspp.num(uneq[6]))
    gs = compare(sub, items="y1", by="g", test="welch").group_stats
    group_rows = pspp.tables(result, "Group Statistics")[0]
    for r, (_, m) in zip(group_rows[1:3], gs.iterrows()):
        assert m["group"] == r[1] and m["n"] == int(r[2])
        assert m["mean"] == approx(pspp.num(r[3])) and m["sd"] == approx(pspp.num(r[4]))


def test_oneway_anova_levene_tukey_games_howell(run, counted):
    resp, result = run
    anova = compare(resp, items="y1,y2", by="g", test="anova", posthoc="tukey")
    tests = anova.tests.set_index("variable")
    lev = pspp.tables(result, "Test of Homogeneity of Variances")[0]
    for r in lev[1:]:
        assert tests.loc[r[0], "levene_f"] == approx(pspp.num(r[1]))
        assert tests.loc[r[0], "levene_p"] == approx(pspp.num(r[4]))
    aov = pspp.tables(result, "ANOVA")[0]
    for r in (aov[1], aov[4]):
        v = r[0]
        assert tests.loc[v, "statistic"] == approx(pspp.num(r[5]))
        assert tests.loc[v, "p"] == approx(pspp.num(r[6]))
        assert tests.loc[v, "df1"] == int(r[3])
    gh = compare(resp, items="y1,y2", by="g", test="welch-anova").posthoc  # Games-Howell by default
    for v, table in zip(("y1", "y2"), pspp.tables(result, "Multiple Comparisons")):
        method, g1 = None, None
        for r in table[2:]:
            method = r[0] or method
            g1 = r[1] or g1
            g2 = r[2]
            ours = (anova.posthoc if method == "Tukey HSD" else gh)
            m = ours[(ours.variable == v) & (ours.group1 == g1) & (ours.group2 == g2)]
            sign = 1.0
            if m.empty:  # PSPP prints both directions
                m = ours[(ours.variable == v) & (ours.group1 == g2) & (ours.group2 == g1)]
                sign = -1.0
            m = m.iloc[0]
            assert sign * m["diff"] == approx(pspp.num(r[3]))
            lo, hi = sorted((sign * m["ci_low"], sign * m["ci_high"]))
            assert lo == approx(pspp.num(r[6])) and hi == approx(pspp.num(r[7]))
            if method == "Tukey HSD":
                assert m["se"] == approx(pspp.num(r[4]))
                assert m["p"] == pytest.approx(pspp.num(r[5]), abs=1e-9)
            else:
                assert m["p"] == approx(pspp.num(r[5]))


def test_mann_whitney(run, counted):
    resp, result = run
    sub = two_groups(resp)
    res = compare(sub, items="y1,y2", by="g", test="mann-whitney")
    t = res.tests.set_index("variable")
    rows = pspp.tables(result, "Test Statistics")[0]
    for r in rows[1:]:
        v = r[0]
        assert t.loc[v, "statistic"] == approx(pspp.num(r[1]))
        assert t.loc[v, "w"] == approx(pspp.num(r[2]))
        assert t.loc[v, "z"] == approx(pspp.num(r[3]))
        assert t.loc[v, "p"] == approx(pspp.num(r[4]))
    ranks = pspp.tables(result, "Ranks")[0]
    gs = res.group_stats
    for r in ranks[1:]:
        if r[1] in ("Professional", "Volunteer"):
            v = r[0] or v
            m = gs[(gs.variable == v) & (gs.group == r[1])].iloc[0]
            assert m["mean_rank"] == approx(pspp.num(r[3]))
        elif r[0]:
            v = r[0]


def test_kruskal_wallis(run, counted):
    resp, result = run
    t = compare(resp, items="y1,y2", by="g", test="kruskal").tests.set_index("variable")
    rows = pspp.tables(result, "Test Statistics")[1]
    for j, v in enumerate(rows[0][1:], start=1):
        assert t.loc[v, "statistic"] == approx(pspp.num(rows[1][j]))
        assert t.loc[v, "df"] == int(rows[2][j])
        assert t.loc[v, "p"] == approx(pspp.num(rows[3][j]))


def test_chi_square(run):
    resp, result = run
    t = compare(resp, items="c", by="g", test="chi2").tests.iloc[0]
    rows = pspp.tables(result, "Chi-Square Tests")[0]
    pearson = rows[1]
    assert t["statistic"] == approx(pspp.num(pearson[1]))
    assert t["df"] == int(pearson[2])
    assert t["p"] == approx(pspp.num(pearson[3]))
    assert t["n"] == int(rows[4][1])
    auto = compare(resp, items="c", by="g").tests.iloc[0]  # nominal measure -> chi-square
    assert auto["test"] == "chi2" and auto["statistic"] == approx(t["statistic"])


def test_reliability(run):
    resp, result = run
    res = reliability(resp, items="i1..i5")
    s = res.scale.iloc[0]
    assert s["n"] == int(pspp.tables(result, "Case Processing Summary")[-1][1][1])
    assert s["alpha"] == approx(pspp.num(pspp.tables(result, "Reliability Statistics")[0][1][0]))
    items = res.item_total.set_index("variable")
    for r in pspp.tables(result, "Item-Total Statistics")[0][1:]:
        v = r[0]
        assert items.loc[v, "scale_mean_if_deleted"] == approx(pspp.num(r[1]))
        assert items.loc[v, "scale_var_if_deleted"] == approx(pspp.num(r[2]))
        assert items.loc[v, "r_drop"] == approx(pspp.num(r[3]))
        assert items.loc[v, "alpha_if_deleted"] == approx(pspp.num(r[4]))
    assert not math.isnan(s["omega"])
