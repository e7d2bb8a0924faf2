"""validate(): every kind of problem, located by row, with values only for coded/numeric variables."""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from coprod.analysis import validate
from coprod.analysis.data.responses import Responses
from io_helpers import make_instrument
from conftest import no_hang


@pytest.fixture()
def inst(tmp_path):
    return make_instrument(tmp_path)[0]


def _data(**over):
    base = {
        "resp_id": [1, 2, 3, 4],
        "role": [1, 2, 3, 1],
        "years": [10, 3, np.nan, 5],
        "tools_1": [1, 0, np.nan, 1],
        "tools_2": [0, 1, np.nan, 0],
        "tools_3": [0, 0, np.nan, 1],
        "comment": ["fine", "", None, "ok"],
        "fa1": [5, np.nan, np.nan, 4],
        "fa2": [4, np.nan, np.nan, -8],
        "fa3": [1, np.nan, np.nan, 2],
    }
    base.update(over)
    return pd.DataFrame(base)


def test_clean_data_has_no_problems(inst):
    rep = validate(Responses(_data()), inst)
    assert rep.ok and rep.summary == {} and len(rep) == 0


def test_each_problem_kind(inst):
    df = _data(role=[1, 2, 7, 1], years=[10, 61, 2.5, np.nan], tools_2=[0, 2, np.nan, 0],
               fa1=[5, 3, np.nan, 4], fa2=[4, np.nan, np.nan, -8], resp_id=[1, 2, 2, np.nan],
               comment=["x", "secret text", None, "ok"])
    df["extra"] = ["a", None, None, None]
    rep = validate(Responses(df), inst)
    t = rep.table
    got = {(r.row, r.variable, r.problem) for r in t.itertuples()}
    assert got == {
        (0, "extra", "unknown_variable"),
        (3, "role", "invalid_code"),
        (2, "years", "out_of_range"),
        (3, "years", "not_integer"),
        (2, "tools_2", "invalid_code"),
        (2, "fa1", "not_asked"),          # section asked of role 1 only; role 2 answered fa1
        (2, "resp_id", "duplicate_id"),
        (3, "resp_id", "duplicate_id"),
        (4, "resp_id", "missing_id"),
    }
    assert rep.summary == {"duplicate_id": 2, "invalid_code": 2, "missing_id": 1, "not_asked": 1, "not_integer": 1,
                           "out_of_range": 1, "unknown_variable": 1}
    values = {(r.variable, r.problem): r.value for r in t.itertuples()}
    assert values[("role", "invalid_code")] == 7.0
    assert values[("years", "out_of_range")] == 61.0
    # free text never appears in the report
    assert "secret text" not in t.to_string()
    # the duplicate rows carry the id and how often it occurs
    dup = t[t.problem == "duplicate_id"]
    assert dup["respondent_id"].tolist() == [2, 2] and dup["count"].tolist() == [2, 2]


def test_role3_not_asked_years_but_missing_code_is_fine(inst):
    # role 3 is not asked years: an answer is flagged, a missing code (-9) is not
    df = _data(role=[3, 3, 1, 1], years=[4, -9, np.nan, 5], fa1=[np.nan, np.nan, 2, 4],
               fa2=[np.nan, np.nan, 2, 4], fa3=[np.nan, np.nan, 2, 4])
    rep = validate(Responses(df), inst)
    assert rep.table[["row", "variable", "problem"]].values.tolist() == [[1, "years", "not_asked"]]


def test_unknown_condition_is_not_flagged(inst):
    # role unanswered: whether years was asked cannot be known; role itself is required
    df = _data(role=[np.nan, 1, 1, 1], years=[4, 5, 6, 7])
    rep = validate(Responses(df), inst)
    assert rep.table[["row", "variable", "problem"]].values.tolist() == [[1, "role", "required_missing"]]


def test_not_numeric_shows_short_values_only(inst):
    df = _data().astype({"fa1": object})
    df.loc[0, "fa1"] = "x"
    df.loc[3, "fa1"] = "a long piece of typed text"
    rep = validate(Responses(df), inst)
    t = rep.table[rep.table.problem == "not_numeric"]
    assert t["value"].tolist() == ["x", "(text, 26 characters)"]


def test_missing_variables_and_version(inst):
    from coprod.analysis.data.io import LoadedResponses

    df = _data().drop(columns=["fa3", "tools_3"])
    r = LoadedResponses(data=df, origin={"kind": "entry", "instrument_id": "import-test", "instrument_version": "0.9"})
    rep = validate(r, inst)
    assert rep.summary == {"missing_variable": 2, "version_mismatch": 1}
    mv = rep.table[rep.table.problem == "missing_variable"]
    assert sorted(mv.variable) == ["fa3", "tools_3"] and set(mv["count"]) == {4}


def test_report_files(inst, tmp_path):
    df = _data(role=[1, 2, 9, 1])
    df["note"] = ["=cmd()", None, None, None]
    rep = validate(Responses(df), inst)
    csv = rep.write(tmp_path / "r.csv")
    text = csv.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "file,row,respondent_id,variable,problem,value,count,detail"
    assert "invalid_code" in text
    import openpyxl

    x = rep.write(tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(x)
    assert [c.value for c in wb["Summary"][2]][:2] == ["invalid_code", 1]
    assert wb["Problems"].max_row == 3


@pytest.mark.slow
def test_vectorised_200k_rows_fast(inst):
    n = 200_000
    rng = np.random.default_rng(1)
    role = rng.integers(1, 4, n).astype(float)
    df = pd.DataFrame({
        "resp_id": np.arange(1, n + 1), "role": role,
        "years": np.where(role < 3, rng.integers(0, 70, n), np.nan),
        "tools_1": rng.integers(0, 2, n), "tools_2": rng.integers(0, 2, n), "tools_3": rng.integers(0, 2, n),
        "comment": np.where(rng.random(n) < 0.1, "text", None),
        "fa1": rng.integers(1, 7, n), "fa2": rng.integers(1, 6, n), "fa3": rng.integers(1, 6, n),
    })
    with no_hang():
        rep = validate(Responses(df), inst)
    expected_range = int(((df.years > 60) & (role < 3)).sum())
    expected_code = int((df.fa1 == 6).sum())
    expected_not_asked = int((role != 1).sum()) * 3 - int(((role != 1) & (df.fa1 == 6)).sum())
    assert rep.summary["out_of_range"] == expected_range
    assert rep.summary["invalid_code"] == expected_code
    assert rep.summary["not_asked"] == expected_not_asked


DATED = """\
id: dated
version: "1"
title: Dates
languages: [en]
default_language: en
respondent_id: resp_id
sections:
  - id: s
    title: S
    questions:
      - {name: met, type: date, text: When did you meet?}
"""


def test_dates_parsed_and_checked(tmp_path):
    import datetime as dt

    from coprod import instrument
    from coprod.analysis import import_responses, load_responses

    (tmp_path / "d.yaml").write_text(DATED, encoding="utf-8")
    inst = instrument.load(tmp_path / "d.yaml")
    (tmp_path / "d.csv").write_text("resp_id,met\n1,2024-05-31\n2,1.6.2024\n3,next week\n4,\n", encoding="utf-8")
    res = import_responses([tmp_path / "d.csv"], inst, out=tmp_path / "o.sav")
    t = res.report.table
    assert t[["row", "variable", "problem", "value"]].values.tolist() == [[3, "met", "not_date", "next week"]]
    back = load_responses(tmp_path / "o.sav")
    assert back.data["met"].tolist()[:2] == [dt.date(2024, 5, 31), dt.date(2024, 6, 1)]
    assert pd.isna(back.data["met"][2]) and pd.isna(back.data["met"][3])
