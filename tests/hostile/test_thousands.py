"""Thousands separators in CSV numeric columns: read as numbers only when the whole column agrees,
every cell so read named in a note; otherwise the column is left as text for the checks to report."""
from __future__ import annotations

import math

import pandas as pd

from coprod.analysis.data.io import load_responses


def _load(tmp_path, text, name="t.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_responses(p)


def test_semicolon_file_with_spaces_and_decimal_commas(tmp_path):
    res = _load(tmp_path, "id;q1;q2\n1;1.234,5;1 234\n2;12;2 000\n3;7,5;3\n")
    assert res.data["q1"].tolist() == [1234.5, 12.0, 7.5]
    assert res.data["q2"].tolist() == [1234.0, 2000.0, 3.0]
    assert "t.csv: q1: 1 number written with thousands separators read as a number: row 1 '1.234,5' = 1234.5" in res.notes
    assert ("t.csv: q2: 2 numbers written with thousands separators read as numbers: row 1 '1 234' = 1234; "
            "row 2 '2 000' = 2000") in res.notes


def test_comma_grouping_shown_by_another_cell(tmp_path):
    res = _load(tmp_path, 'id,q1\n1,"1,234"\n2,"12,345,678"\n3,5\n')
    assert res.data["q1"].tolist() == [1234.0, 12345678.0, 5.0]
    assert any("row 1 '1,234' = 1234; row 2 '12,345,678' = 12345678" in n for n in res.notes)


def test_no_break_space_and_apostrophe(tmp_path):
    res = _load(tmp_path, "id,q1,q2\n1,1\u00a0234,1'234.5\n2,10,2\n")
    assert res.data["q1"].tolist() == [1234.0, 10.0] and res.data["q2"].tolist() == [1234.5, 2.0]


def test_ambiguous_alone_is_not_taken_for_grouping(tmp_path):
    res = _load(tmp_path, 'id,q1\n1,"1,234"\n2,5\n')
    assert not pd.api.types.is_numeric_dtype(res.data["q1"]) and not any("thousands" in n for n in res.notes)


def test_mixed_separators_leave_the_column_as_text(tmp_path):
    res = _load(tmp_path, "id;q1\n1;1 234\n2;1.234,5\n3;1,234.5\n")
    assert not pd.api.types.is_numeric_dtype(res.data["q1"]) and not any("thousands" in n for n in res.notes)


def test_a_cell_that_is_no_number_leaves_the_column_as_text(tmp_path):
    res = _load(tmp_path, "id;q1\n1;1 234\n2;many\n")
    assert res.data["q1"].tolist()[1] == "many" and not any("thousands" in n for n in res.notes)


def test_plain_numbers_are_untouched(tmp_path):
    res = _load(tmp_path, "id,q1\n1,1234\n2,5.5\n")
    assert res.data["q1"].tolist() == [1234.0, 5.5] and not res.notes
    assert not math.isnan(res.data["q1"].sum())
