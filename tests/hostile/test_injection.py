"""Formula injection: labels and text that begin with = + - @ never reach a CSV or workbook as a formula.

The guard (OWASP's advice): a text cell beginning with = + - @, tab or a line break gets a leading
apostrophe, the mark spreadsheets themselves use for "this is text"; numbers stay numbers.
"""
from __future__ import annotations

import csv
import io

import pytest

from clirun import coprod

HOSTILE = "=3+cmd|' /C calc'!A0"
PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    pyreadstat = pytest.importorskip("pyreadstat")
    import pandas as pd

    d = tmp_path_factory.mktemp("inj")
    df = pd.DataFrame({"g": [1, 2, 1, 2, 1, 2] * 5, "q": [1, 2, 3, 1, 2, 3] * 5, "r": [2, 3, 1, 3, 3, 1] * 5})
    path = d / "d.sav"
    pyreadstat.write_sav(df, str(path), column_labels={"q": "@SUM(1)", "g": "-group", "r": "+r"},
                         variable_value_labels={"q": {1: HOSTILE, 2: "+b", 3: "-c"}, "r": {1: "@x", 2: "=y", 3: "-z"},
                                                "g": {1: "=G1", 2: "@G2"}})
    return path


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _formula_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row
            if cell.startswith(PREFIXES) and not _is_number(cell)]


@pytest.mark.parametrize("command", [["describe"], ["frequencies"], ["compare"], ["reliability", "--items", "q,r"]])
def test_csv_to_stdout_and_file_has_no_formula(data, tmp_path, command):
    extra = [] if "--items" in command else ["--items", "q,r"]
    r = coprod(*command, data, "--by", "g", *extra, "--format", "csv", "--min-cell", "0")
    assert r.code == 0, r.err
    assert r.out and _formula_cells(r.out) == []
    if command[0] == "frequencies":
        assert "'=3+cmd" in r.out  # the value label itself is kept, as text
    assert "'=G1" in r.out or command[0] == "reliability"  # group labels too
    out = tmp_path / "t.csv"
    r = coprod(*command, data, "--by", "g", *extra, "--out", out, "--min-cell", "0")
    assert r.code == 0, r.err
    assert _formula_cells(out.read_text()) == []


@pytest.mark.parametrize("command", [["frequencies"], ["compare"]])
def test_workbook_cells_are_text_never_formulas(data, tmp_path, command):
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    r = coprod(*command, data, "--by", "g", "--items", "q,r", "--out", out, "--min-cell", "0")
    assert r.code == 0, r.err
    wb = load_workbook(out)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.value for c in cells if c.data_type == "f"]
    assert any(isinstance(c.value, str) and "=G1" in c.value for c in cells)  # kept, as text


@pytest.fixture(scope="module")
def control_characters(tmp_path_factory):
    pyreadstat = pytest.importorskip("pyreadstat")
    import pandas as pd

    df = pd.DataFrame({"g": [1, 2, 1, 2, 1, 2] * 5, "q": [1, 2, 3, 1, 2, 3] * 5})
    path = tmp_path_factory.mktemp("ctl") / "c.sav"
    pyreadstat.write_sav(df, str(path), column_labels={"q": "bell\x07label"},
                         variable_value_labels={"q": {1: "a\x01b", 2: "c", 3: "d"}, "g": {1: "G\x0b1", 2: "G2"}})
    return path


@pytest.mark.parametrize("ext", ["docx", "xlsx"])
def test_control_characters_in_labels_are_replaced_in_word_and_excel(control_characters, tmp_path, ext):
    out = tmp_path / f"f.{ext}"
    r = coprod("frequencies", control_characters, "--by", "g", "--out", out, "--min-cell", "0")
    assert r.code == 0 and r.err == "", r.err
    if ext == "xlsx":
        from openpyxl import load_workbook

        texts = [c.value for ws in load_workbook(out) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    else:
        import docx

        d = docx.Document(str(out))
        texts = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert "a\ufffdb" in texts
    assert not any(ch in s for s in texts for ch in "\x01\x07\x0b")


def test_report_with_control_characters(control_characters, tmp_path):
    r = coprod("report", control_characters, "--by", "g", "--out", tmp_path / "r.docx", "--out", tmp_path / "r.xlsx")
    assert r.code == 0, r.err
