from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.stats.descriptives import COLUMNS, descriptives
from coprod.analysis.data.responses import Responses
from coprod.instrument.errors import DataError, VariableError


def approx(x):
    return pytest.approx(x, rel=1e-12, abs=1e-12)


def data():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"g": rng.choice([2.0, 1.0, 3.0], 60), "a": rng.integers(1, 6, 60).astype(float),
                       "b": rng.normal(size=60)})
    df.loc[[3, 7], "a"] = 9.0   # user-missing
    df.loc[[5], "a"] = np.nan
    df.loc[[11], "g"] = 99.0    # user-missing group
    return Responses(df, missing_codes={"a": (9.0,), "g": (99.0,)},
                     value_labels={"g": {1.0: "Professional", 2.0: "Volunteer", 3.0: "Service user"}},
                     variable_labels={"a": "Agreement"})


def test_columns_order_and_groups():
    d = descriptives(data(), items="a,b", by="g")
    assert list(d.columns) == COLUMNS
    assert d["group"].tolist()[:4] == ["Total", "Professional", "Volunteer", "Service user"]
    assert d["variable"].tolist() == ["a"] * 4 + ["b"] * 4
    assert d.loc[0, "label"] == "Agreement"


def test_values_against_numpy_type6_and_user_missing():
    r = data()
    d = descriptives(r, items="a,b", by="g")
    raw = r.data
    for _, row in d.iterrows():
        x = raw[row["variable"]]
        if row["group"] != "Total":
            code = {"Professional": 1.0, "Volunteer": 2.0, "Service user": 3.0}[row["group"]]
            x = x[raw["g"] == code]
        rows_in_group = len(x)
        if row["variable"] == "a":
            x = x[x != 9.0]
        x = x.dropna().to_numpy()
        assert row["n"] == len(x) and row["missing"] == rows_in_group - len(x)
        assert row["mean"] == approx(x.mean())
        assert row["sd"] == approx(x.std(ddof=1))
        assert row["se"] == approx(x.std(ddof=1) / np.sqrt(len(x)))
        q = np.quantile(x, [0.25, 0.5, 0.75], method="weibull")
        assert [row["q1"], row["median"], row["q3"]] == [approx(v) for v in q]
        assert (row["min"], row["max"]) == (x.min(), x.max())
    total = d[(d.variable == "a") & (d.group == "Total")].iloc[0]
    assert total["n"] == 57 and total["missing"] == 3


def test_top_box_percent():
    r = data()
    d = descriptives(r, items="a,b", top_box={"a": [4, 5]})
    a = r.valid(["a"])["a"].dropna()
    assert d.loc[0, "top_box"] == approx(100 * a.isin([4, 5]).mean())
    assert np.isnan(d.loc[1, "top_box"])


def test_small_and_empty_groups():
    df = pd.DataFrame({"g": [1, 2, 2], "x": [1.0, np.nan, np.nan]})
    d = descriptives(df, items="x", by="g")
    one = d[d.group == "1"].iloc[0]
    assert one["n"] == 1 and one["mean"] == 1.0 and np.isnan(one["sd"]) and one["q1"] == 1.0
    empty = d[d.group == "2"].iloc[0]
    assert empty["n"] == 0 and empty["missing"] == 2 and np.isnan(empty["mean"])


def test_default_items_and_errors():
    df = pd.DataFrame({"g": [1, 2], "x": [1.0, 2.0], "s": ["a", "b"]})
    assert descriptives(df, by="g")["variable"].unique().tolist() == ["x"]
    with pytest.raises(DataError, match="not numeric"):
        descriptives(df, items="s")
    with pytest.raises(VariableError, match="zz"):
        descriptives(df, items="zz")


def test_top_box_from_instrument_choice_list():
    from types import SimpleNamespace as NS

    question = NS(choices=NS(codes=(1, 2, 3, 4, 5), top_box=(4, 5)))
    inst = NS(scales={}, variable=lambda name: NS(valid_codes=(1, 2, 3, 4, 5), question=question))
    df = pd.DataFrame({"a": [1.0, 4, 5, 5, 2]})
    d = descriptives(Responses(df, instrument=inst), items="a")
    assert d.loc[0, "top_box"] == approx(60.0)
