"""Statistics commands with --items read only the variables they need from a .sav (its dictionary
first): the same tables, labels and missing-value handling as reading every column."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.data import recorded
from coprod.analysis.data.read import load_responses

LABELS = {1.0: "Never", 2.0: "Rarely", 3.0: "Sometimes", 4.0: "Often", 5.0: "Always", 8.0: "Don't know", 9.0: "Refused"}


@pytest.fixture(scope="module")
def labelled_sav(tmp_path_factory):
    """Nine Likert items with user-missing codes 8, 9 (one item with a range), a labelled group,
    a text column and a column with an infinite value (a note when it is read)."""
    pyreadstat = pytest.importorskip("pyreadstat")
    rng = np.random.default_rng(42)
    n = 400
    df = pd.DataFrame({"id": np.arange(1, n + 1, dtype=float), "note": ["x"] * n,
                       "grp": rng.integers(1, 4, n).astype(float)})
    for i in range(1, 10):
        x = np.clip(np.round(rng.normal(3 + 0.2 * df["grp"], 1.1)), 1, 5)
        x[rng.random(n) < 0.05] = 8
        x[rng.random(n) < 0.03] = 9
        x[rng.random(n) < 0.04] = np.nan
        df[f"q{i}"] = x
    df["wild"] = 1.0
    df.loc[3, "wild"] = np.inf
    path = tmp_path_factory.mktemp("cols") / "survey.sav"
    missing = {f"q{i}": [8.0, 9.0] for i in range(1, 9)} | {"q9": [{"lo": 8.0, "hi": 9.0}]}
    pyreadstat.write_sav(df, str(path), column_labels={"q1": "Asked for advice", "grp": "Role"},
                         variable_value_labels={**{f"q{i}": LABELS for i in range(1, 10)},
                                                "grp": {1.0: "Professional", 2.0: "Volunteer", 3.0: "User"}},
                         missing_ranges=missing)
    return path


def test_columns_needed(labelled_sav):
    assert recorded.columns_needed(labelled_sav, "q2..q4", by="GRP") == ["grp", "q2", "q3", "q4"]
    assert recorded.columns_needed(labelled_sav, "q9,q1") == ["q1", "q9"]
    assert recorded.columns_needed(labelled_sav, None, by="grp") is None  # every variable
    assert recorded.columns_needed(labelled_sav, "q1..q99", by="grp") is None  # the full read reports it
    assert recorded.columns_needed(labelled_sav, "q1", by="nope") is None


def test_columns_read_keep_labels_and_missing_codes(labelled_sav):
    whole = load_responses(labelled_sav)
    part = load_responses(labelled_sav, columns=["grp", "q1", "q9"])
    assert list(part.data.columns) == ["grp", "q1", "q9"]
    pd.testing.assert_frame_equal(part.data, whole.data[["grp", "q1", "q9"]])
    for attr in ("value_labels", "missing_codes", "missing_ranges", "variable_labels", "measure"):
        want = {k: v for k, v in getattr(whole, attr).items() if k in ("grp", "q1", "q9")}
        assert getattr(part, attr) == want, attr
    assert part.missing_codes["q1"] and part.missing_ranges["q9"]


def test_demo_file_is_read_whole(tmp_path):
    import coprod

    inst = coprod.builtin()
    path = tmp_path / "demo.sav"
    coprod.write_responses(coprod.score(coprod.simulated_responses(inst, n=60, seed=5), inst), path)
    item = inst.scales[next(iter(inst.scales))].items[0]
    # the built-in instrument's file: mapped and labelled by it, so every column is read
    assert recorded.columns_needed(path, item, by=inst.group_question) is None


CASES = [
    ["describe", "{f}", "--by", "grp", "--items", "q1..q9", "--format", "json"],
    ["describe", "{f}", "--items", "q2,q5", "--format", "json"],
    ["frequencies", "{f}", "--by", "grp", "--items", "q1..q4,q9", "--format", "json"],
    ["reliability", "{f}", "--by", "grp", "--items", "q1..q6", "--reverse", "q3", "--format", "json"],
    ["compare", "{f}", "--by", "grp", "--items", "q1..q9", "--format", "json"],
    ["compare", "{f}", "--by", "Grp", "--items", "q1..q3", "--test", "welch-anova", "--posthoc", "games-howell",
     "--format", "json"],
    ["describe", "{f}", "--by", "grp", "--items", "q1..q3", "--format", "md"],
    ["describe", "{f}", "--by", "grp", "--items", "q1,wild", "--format", "md"],
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: " ".join(c[:1] + c[2:5]))
def test_same_tables_with_and_without_the_selection(cli, labelled_sav, monkeypatch, case):
    args = [a.format(f=labelled_sav) for a in case]
    asked = []
    real = recorded.columns_needed
    monkeypatch.setattr(recorded, "columns_needed", lambda *a, **k: asked.append(real(*a, **k)) or asked[-1])
    selected = cli(*args)
    assert selected.exit_code == 0, selected.stderr
    assert asked and asked[-1] is not None and "note" not in asked[-1]
    monkeypatch.setattr(recorded, "columns_needed", lambda *a, **k: None)
    whole = cli(*args)
    assert whole.exit_code == 0, whole.stderr
    if "md" in args:  # compare all but the time of the run (the two runs may fall in different seconds)
        sel, full = (_undated(r.stdout) for r in (selected, whole))
        # the note on a variable with infinite values (``wild``) comes with the tables it is read for
        note = " Variable wild has 1 infinite or huge values"
        assert (note in sel) == ("wild" in args[args.index("--items") + 1]) and note in full
        assert sel == (full if note in sel else re.sub(note + r"[^\n]*?each cell\.", "", full))
    else:  # the two runs may fall in different seconds: compare all but the time of the run
        assert _undated(selected.stdout) == _undated(whole.stdout)
    assert selected.stderr == whole.stderr


def _undated(text: str) -> str:
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", "<date>", text)


def test_unknown_item_is_reported_as_before(cli, labelled_sav):
    r = cli("describe", labelled_sav, "--items", "q1,q77")
    assert r.exit_code == 2 and "q77" in r.stderr
