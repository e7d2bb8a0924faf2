"""Frequency weights agree with GNU PSPP under ``WEIGHT BY`` to 1e-6 relative.

The data are generated here (seeded): non-integer weights (or integer ones), some cases with a
zero, negative or missing weight (PSPP and coprod leave them out), system-missing and
user-missing answers.  PSPP reads the same .sav file.  PSPP's RELIABILITY ignores WEIGHT BY, so
reliability is checked against PSPP on the data with each case repeated w times (integer
weights), which is what SPSS's WEIGHT BY means.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pspp
from coprod.analysis.stats.compare import compare
from coprod.analysis.stats.descriptives import descriptives
from coprod.analysis.stats.frequencies import frequencies
from coprod.analysis.stats.reliability import reliability

pytestmark = pytest.mark.pspp

REL = 1e-6


def approx(v):
    return pytest.approx(v, rel=REL, abs=1e-9)


def make_data(integer: bool, seed: int = 20261201) -> tuple[pd.DataFrame, dict]:
    rng = np.random.default_rng(seed)
    n = 90
    g = rng.choice([1.0, 2.0], size=n, p=[0.4, 0.6])
    f = rng.normal(size=n)
    df = pd.DataFrame({"g": g, "y": np.round(10 + 1.5 * (g == 2) + rng.normal(size=n) * 2, 2),
                       "x": np.clip(np.round(3 + f + rng.normal(size=n) * 0.5), 1, 5),
                       "c": rng.choice([1.0, 2.0, 3.0], size=n, p=[0.5, 0.3, 0.2])})
    for j in range(4):
        df[f"i{j + 1}"] = np.clip(np.round(3 + f * (0.9 - 0.1 * j) + rng.normal(size=n) * 0.8), 1, 5)
    w = rng.integers(1, 5, n).astype(float) if integer else np.round(rng.uniform(0.3, 3.0, n), 3)
    w[[2, 11]] = 0.0
    w[17] = -1.0
    w[23] = np.nan
    df["w"] = w
    df.loc[[4, 30], "y"] = np.nan
    df.loc[[6, 40, 41], "x"] = 9.0  # user-missing code
    df.loc[[8, 50], "i2"] = np.nan
    meta = dict(missing_ranges={"x": [9.0]}, variable_measure={"g": "nominal", "c": "nominal"})
    return df, meta


# PSPP syntax run on the generated file (after GET FILE; see tests/pspp.py).
SYNTAX = """WEIGHT BY w.
DESCRIPTIVES y x /STATISTICS=MEAN STDDEV SEMEAN VARIANCE SKEWNESS KURTOSIS MIN MAX.
EXAMINE y /PERCENTILES(25,50,75)=HAVERAGE /STATISTICS=DESCRIPTIVES.
EXAMINE x /PERCENTILES(25,50,75)=HAVERAGE /STATISTICS=DESCRIPTIVES.
EXAMINE y BY g /PERCENTILES(25,50,75)=HAVERAGE.
FREQUENCIES x.
CROSSTABS /TABLES=g BY c /STATISTICS=CHISQ.
"""


@pytest.fixture(scope="module", params=[False, True], ids=["non-integer", "integer"])
def run(request, tmp_path_factory):
    pspp.require_pspp()
    df, meta = make_data(request.param)
    work = tmp_path_factory.mktemp("weights")
    resp, result = pspp.run_sav(df, meta, SYNTAX, work, precise_vars=["y", "x", "w"])
    return resp, result


def test_descriptives(run):
    resp, result = run
    d = descriptives(resp, items="y,x", weight="w").set_index("variable")
    head, *rows = pspp.tables(result, "Descriptive Statistics")[0]
    col = {name: i for i, name in enumerate(head)}
    pairs = {"N": "n", "Mean": "mean", "S.E. Mean": "se", "Std Dev": "sd", "Variance": "variance",
             "Skewness": "skewness", "S.E. Skew": "skewness_se", "Kurtosis": "kurtosis", "S.E. Kurt": "kurtosis_se",
             "Minimum": "min", "Maximum": "max"}
    for r in rows[:2]:
        for theirs, ours in pairs.items():
            assert d.loc[r[0], ours] == approx(pspp.num(r[col[theirs]])), (r[0], ours)
    assert set(d["missing"]) != {0}


def test_examine_quartiles_and_interval(run):
    resp, result = run
    d = descriptives(resp, items="y,x", by="g", weight="w")
    pct = pspp.tables(result, "Percentiles")
    for table in pct[:2]:
        r = [r for r in table if r[1] == "Weighted Average"][0]
        row = d[(d.variable == r[0]) & (d.group == "Total")].iloc[0]
        assert [row["q1"], row["median"], row["q3"]] == [approx(pspp.num(v)) for v in r[2:5]]
    by_group = [r for r in pct[-1] if r[2] == "Weighted Average"]  # EXAMINE y BY g: the total, then by g
    assert len(by_group) == 2
    for r in by_group:
        row = d[(d.variable == "y") & (d.group == r[1].rstrip("0").rstrip("."))].iloc[0]
        assert [row["q1"], row["median"], row["q3"]] == [approx(pspp.num(v)) for v in r[3:6]]
    for table in pspp.tables(result, "Descriptives")[:2]:
        v = table[1][0].split()[0]
        row = d[(d.variable == v) & (d.group == "Total")].iloc[0]
        bounds = [pspp.num(r[-2]) for r in table if "Bound" in " ".join(r)]
        assert [row["mean_ci_low"], row["mean_ci_high"]] == [approx(b) for b in bounds]


def test_frequencies(run):
    resp, result = run
    f = frequencies(resp, items="x", weight="w")
    rows = pspp.tables(result, "x")[0]
    valid = f[~f.is_missing]
    theirs = [r for r in rows[1:] if r[1] and r[0] in ("Valid", "")][:len(valid)]
    assert len(theirs) == len(valid)
    for (_, m), r in zip(valid.iterrows(), theirs):
        assert m["value"] == approx(pspp.num(r[1]))
        assert m["count"] == approx(pspp.num(r[2]))
        assert m["percent"] == approx(pspp.num(r[3]))
        assert m["valid_percent"] == approx(pspp.num(r[4]))
        assert m["cumulative_percent"] == approx(pspp.num(r[5]))
    total = [r for r in rows if r[0] == "Total"][0]
    assert f["count"].sum() == approx(pspp.num(total[2]))


def test_chi_square(run):
    resp, result = run
    res = compare(resp, items="c", by="g", test="chi2", weight="w")
    t = res.tests.iloc[0]
    rows = pspp.tables(result, "Chi-Square Tests")[0]
    assert t["statistic"] == approx(pspp.num(rows[1][1]))
    assert t["p"] == approx(pspp.num(rows[1][3]))
    assert t["lr_chisq"] == approx(pspp.num(rows[2][1]))
    assert t["n"] == approx(pspp.num(rows[4][1]))
    cells = pspp.tables(result, "g × c")[0]
    counts = [pspp.num(v) for r in cells if r[2] == "Count" and r[0] != "Total" for v in r[3:6]]
    assert list(res.crosstab["count"]) == [approx(v) for v in counts]
    auto = compare(resp, items="c", by="g", weight="w").tests.iloc[0]
    assert auto["test"] == "chi2" and auto["statistic"] == approx(t["statistic"])


def test_reliability_as_repeated_cases(tmp_path):
    """SPSS's WEIGHT BY counts a case w times: PSPP on the repeated cases gives the weighted statistics."""
    pspp.require_pspp()
    df, meta = make_data(integer=True)
    keep = df["w"].fillna(0) > 0
    repeated = df[keep].loc[df.index[keep].repeat(df.loc[keep, "w"].astype(int))].reset_index(drop=True)
    ours_resp, _ = pspp.run_sav(df, meta, "DESCRIPTIVES i1.\n", tmp_path)
    res = reliability(ours_resp, items="i1..i4", weight="w")
    syntax = "RELIABILITY /VARIABLES=i1 i2 i3 i4 /SUMMARY=TOTAL.\n"
    _, result = pspp.run_sav(repeated, meta, syntax, tmp_path)
    s = res.scale.iloc[0]
    assert s["n"] == approx(pspp.num(pspp.tables(result, "Case Processing Summary")[-1][1][1]))
    assert s["alpha"] == approx(pspp.num(pspp.tables(result, "Reliability Statistics")[0][1][0]))
    items = res.item_total.set_index("variable")
    for r in pspp.tables(result, "Item-Total Statistics")[0][1:]:
        assert items.loc[r[0], "scale_mean_if_deleted"] == approx(pspp.num(r[1]))
        assert items.loc[r[0], "scale_var_if_deleted"] == approx(pspp.num(r[2]))
        assert items.loc[r[0], "r_drop"] == approx(pspp.num(r[3]))
        assert items.loc[r[0], "alpha_if_deleted"] == approx(pspp.num(r[4]))
    plain = reliability(repeated, items="i1..i4").scale.iloc[0]  # and the unweighted path on the repeated cases
    for c in ("alpha", "ci_low", "ci_high", "omega", "scale_var", "mean_r"):
        assert s[c] == approx(plain[c]), c
