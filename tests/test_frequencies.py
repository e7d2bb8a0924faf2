from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.stats.frequencies import COLUMNS, frequencies
from coprod.analysis.data.responses import Responses


def resp():
    df = pd.DataFrame({"g": [1, 1, 1, 1, 2, 2, 2, 2], "q": [1, 2, 2, 8, 9, np.nan, 2, 1.0]})
    return Responses(df, missing_codes={"q": (8.0,)}, missing_ranges={"q": ((9.0, 10.0),)},
                     value_labels={"q": {1.0: "No", 2.0: "Yes", 8.0: "Don't know"},
                                   "g": {1.0: "Professional", 2.0: "Volunteer"}})


def test_layout_like_spss():
    f = frequencies(resp(), items="q")
    assert list(f.columns) == COLUMNS
    assert f["label"].tolist() == ["No", "Yes", "Don't know", "9", "System missing"]
    assert f["count"].tolist() == [2, 3, 1, 1, 1]
    assert f["percent"].tolist() == pytest.approx([25, 37.5, 12.5, 12.5, 12.5])
    assert f["valid_percent"].tolist()[:2] == pytest.approx([40, 60])
    assert f["cumulative_percent"].tolist()[:2] == pytest.approx([40, 100])
    assert f["is_missing"].tolist() == [False, False, True, True, True]
    assert np.isnan(f["valid_percent"].iloc[2])


def test_by_group():
    f = frequencies(resp(), items="q", by="g")
    assert f["group"].unique().tolist() == ["Total", "Professional", "Volunteer"]
    vol = f[f.group == "Volunteer"]
    assert vol["label"].tolist() == ["No", "Yes", "9", "System missing"]
    assert vol["valid_percent"].tolist()[:2] == pytest.approx([50, 50])


def test_strings():
    f = frequencies(pd.DataFrame({"s": ["b", "a", "b", None, ""]}))
    assert f["value"].tolist()[:2] == ["a", "b"]
    assert f["count"].tolist() == [1, 2, 2]
