"""Without --items, an analysis takes the variables a researcher would: no ids, dates or free text."""
import datetime as dt

import numpy as np
import pandas as pd

from coprod.analysis.stats.common import resolve_items
from coprod.analysis.stats.compare import compare
from coprod.analysis.render import tables_document
from coprod.analysis.data.responses import Responses


def test_dates_free_text_and_metadata_are_left_out():
    n = 60
    rng = np.random.default_rng(0)
    df = pd.DataFrame({
        "g": np.repeat([1.0, 2.0], n // 2),
        "x": rng.integers(1, 6, n).astype(float),
        "when": pd.date_range("2024-01-01", periods=n),
        "day": [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(n)],
        "comment": [f"answer {i}" for i in range(n)],
        "town": ["Tampere", "Turku", "Oulu"] * (n // 3),
        "meta_uuid": [f"u{i}" for i in range(n)],
    })
    resp = Responses(df)
    assert resolve_items(resp, None, exclude=("g",)) == ["x", "town"]
    # named explicitly, a date is still analysed
    assert resolve_items(resp, "day") == ["day"]
    res = compare(resp, by="g")
    assert res.tests["variable"].tolist() == ["x", "town"]
    # two groups: no pairwise table in the human formats (the JSON keeps the empty table)
    doc = tables_document(res.tables(), 0)
    assert len(res.tables()["posthoc"]) == 0
    assert all(getattr(b, "title", "") != "Pairwise comparisons" for b in doc.blocks)
