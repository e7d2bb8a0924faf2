"""Case weights: the SPSS WEIGHT BY semantics on small data worked by hand, the errors, the command line
and the report.  The cross-checks are in test_weights_pspp.py (PSPP) and test_weights_survey.py (R survey)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.stats.compare import compare
from coprod.analysis.stats.descriptives import descriptives
from coprod.analysis.stats.frequencies import frequencies
from coprod.analysis.stats.reliability import reliability
from coprod.analysis.stats.weighting import case_weights
from coprod.instrument.errors import DataError, OptionError, VariableError


def small() -> pd.DataFrame:
    return pd.DataFrame({"g": [1, 1, 2, 2, 2, 1], "x": [1.0, 2, 2, 3, 4, 5], "y": [2.0, 2, 3, 3, 5, 1],
                         "c": [1, 2, 1, 2, 2, 1], "w": [2.0, 1, 3, 0, np.nan, 1]})


def repeated(df: pd.DataFrame) -> pd.DataFrame:
    keep = df["w"].fillna(0) > 0
    return df[keep].loc[df.index[keep].repeat(df.loc[keep, "w"].astype(int))].drop(columns="w").reset_index(drop=True)


def test_integer_frequency_weights_equal_repeated_cases():
    df = small()
    cols = ["n", "mean", "sd", "se", "median", "q1", "q3", "skewness", "kurtosis", "mean_ci_low"]
    ours = descriptives(df, items="x,y", by="g", weight="w")[cols]
    plain = descriptives(repeated(df), items="x,y", by="g")[cols]
    pd.testing.assert_frame_equal(ours.astype(float), plain.astype(float), check_exact=False, rtol=1e-12)
    f = frequencies(df, items="x", weight="w")
    assert f["count"].tolist() == [2.0, 4.0, 1.0] and f["percent"].sum() == pytest.approx(100)
    a = reliability(df, items="x,y", weight="w").scale.iloc[0]
    b = reliability(repeated(df), items="x,y").scale.iloc[0]
    assert a["alpha"] == pytest.approx(b["alpha"]) and a["n"] == b["n"] == 7
    t = compare(df, items="c", by="g", test="chi2", weight="w").tests.iloc[0]
    assert t["statistic"] == pytest.approx(compare(repeated(df), items="c", by="g", test="chi2").tests.iloc[0]["statistic"])


def test_weight_variable_is_not_analysed_and_left_out_cases_counted():
    cw = case_weights(small(), "W")  # names match without case, as every variable
    assert cw.variable == "w" and cw.excluded == 2 and cw.total == 7.0
    assert "w" not in set(descriptives(small(), weight="w")["variable"])
    assert "2 cases with a missing, zero or negative weight are left out" in cw.note()
    assert cw.table()[["cases", "cases_excluded", "sum_of_weights"]].iloc[0].tolist() == [4, 2, 7.0]


def test_bad_weights_and_options():
    df = small()
    with pytest.raises(VariableError):
        descriptives(df, weight="nope")
    with pytest.raises(DataError, match="not numeric"):
        descriptives(df.assign(s=["a"] * 6), items="x", weight="s")
    with pytest.raises(DataError, match="no case has a positive weight"):
        frequencies(df.assign(w=0.0), weight="w")
    with pytest.raises(OptionError) as e:
        descriptives(df, weight="w", weight_type="design")
    assert e.value.param == "weight_type"
    with pytest.raises(OptionError, match="only the chi-square test") as e:
        compare(df, items="x", by="g", test="welch", weight="w")
    assert e.value.param == "test"
    with pytest.raises(OptionError, match="frequency weights only"):
        compare(df, items="c", by="g", weight="w", weight_type="sampling")
    note = compare(df, items="x", by="g", weight="w").tests.iloc[0]["note"]  # auto: a scale variable is not tested
    assert note.startswith("not tested")


def test_sampling_weights_scale_free():
    df = small()
    a = descriptives(df, items="x", weight="w", weight_type="sampling").iloc[0]
    b = descriptives(df.assign(w=df["w"] * 10), items="x", weight="w", weight_type="sampling").iloc[0]
    for c in ("mean", "se", "sd", "median", "mean_ci_low"):
        assert a[c] == pytest.approx(b[c])
    assert a["n"] == 4  # respondents
    f = frequencies(df, items="x", weight="w", weight_type="sampling")
    assert {"valid_percent_se", "valid_percent_ci_low", "valid_percent_ci_high"} <= set(f.columns)


def test_cli(cli, tmp_path):
    path = tmp_path / "d.csv"
    small().to_csv(path, index=False)
    out = cli("describe", path, "--items", "x", "--weight", "w", "--min-cell", "0")
    assert out.exit_code == 0, out.stderr
    assert "Weighted by w (frequency weights); n is the sum of weights." in out.stdout
    js = cli("frequencies", path, "--items", "x", "--weight", "w", "--weight-type", "sampling", "--format", "json")
    tables = json.loads(js.stdout)
    assert tables["weighting"] == [{"variable": "w", "weight_type": "sampling", "cases": 4, "cases_excluded": 2,
                                    "sum_of_weights": 7.0}]
    assert "valid_percent_se" in tables["frequencies"][0]
    bad = cli("describe", path, "--weight", "x", "--weight-type", "nope")
    assert bad.exit_code == 2 and bad.stderr.startswith("error: --weight-type: unknown weight type")
    bad = cli("compare", path, "--by", "g", "--items", "x", "--test", "welch", "--weight", "w")
    assert bad.exit_code == 2 and "--test:" in bad.stderr and "chi-square" in bad.stderr
    rel = cli("reliability", path, "--items", "x,y", "--weight", "w", "--format", "json")
    assert json.loads(rel.stdout)["reliability"][0]["n"] == 7.0


def test_weight_sentences_in_three_languages():
    from coprod.analysis.report.methods import weight_sentences
    from coprod.analysis.report.words import sentence

    cw = case_weights(small(), "w", "sampling")
    for lang in ("en", "fi", "sv"):
        s = " ".join(weight_sentences(cw, lang, grouped=True))
        assert "w" in s and "2" in s
        note = sentence(cw.note() + ".", lang)
        assert (note == cw.note() + ".") == (lang == "en")


def test_report_is_weighted(tmp_path):
    from coprod.analysis.report import build_report

    rng = np.random.default_rng(5)
    n = 60
    df = pd.DataFrame({"g": rng.integers(1, 3, n), "q1": rng.integers(1, 6, n), "q2": rng.integers(1, 6, n),
                       "w": np.round(rng.uniform(0.5, 2, n), 2)})
    df.loc[[0, 1], "w"] = 0
    res = build_report(df, by="g", weight="w", out=tmp_path / "r.md", invariance=False, chart_format="svg")
    assert "weighted by w as frequency weights" in res.methods and "2 respondents with a missing" in res.methods
    assert "tests" not in res.tables
    d = res.tables["descriptives"]
    assert d.loc[0, "n"] == pytest.approx(df["w"].sum())
    assert "Weighted by w (frequency weights); n is the sum of weights." in (tmp_path / "r.md").read_text()
    fi = build_report(df, by="g", weight="w", weight_type="sampling", lang="fi", chart_format="svg", invariance=False)
    assert "otantapainoina" in fi.methods


def test_text_answers_and_groups_weighted_as_repeated_cases():
    df = small().assign(t=["a", "b", "a", "c", "b", " "])
    ours = frequencies(df, items="t", by="g", weight="w")
    plain = frequencies(repeated(df), items="t", by="g")
    cols = ["group", "value", "count", "percent", "valid_percent", "is_missing"]
    pd.testing.assert_frame_equal(ours[cols].astype({"count": float}), plain[cols].astype({"count": float}))
