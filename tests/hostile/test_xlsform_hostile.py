"""Hostile XLSForms: deep nesting in a condition, and sheets far larger than any questionnaire."""
from __future__ import annotations

import zipfile

from openpyxl import Workbook

from clirun import coprod
from conftest import no_hang
from coprod import instrument
from coprod.instrument import xlsform_sheets


def _form(path, survey_rows, choices=()):
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label", "relevant", "calculation"])
    for r in survey_rows:
        ws.append(list(r))
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", "label"])
    for r in choices:
        ch.append(list(r))
    st = wb.create_sheet("settings")
    st.append(["form_title", "form_id", "version"])
    st.append(["Hostile", "hostile", "1"])
    wb.save(path)
    return path


def test_990_parentheses_in_relevant_is_a_problem_with_its_row(tmp_path):
    deep = "(" * 990 + "${age} > 3" + ")" * 990
    path = _form(tmp_path / "deep.xlsx", [("integer", "age", "Age", "", ""), ("integer", "kids", "Kids", deep, "")])
    rep = instrument.check(path)
    assert not rep.ok
    assert [(p.line, p.message.split(":")[0]) for p in rep.errors] == [(3, "survey row 3 (kids)")]
    assert "nested more than 50 levels deep" in rep.errors[0].message
    r = coprod("check", path)
    assert r.code == 2 and "Traceback" not in r.err and "internal error" not in r.err


def test_nesting_within_the_limit_is_translated(tmp_path):
    cond = "(" * 40 + "${age} > 3" + ")" * 40
    path = _form(tmp_path / "ok.xlsx", [("integer", "age", "Age", "", ""), ("integer", "kids", "Kids", cond, "")])
    rep = instrument.check(path)
    assert rep.ok, [str(p) for p in rep.problems]
    assert rep.instrument.question("kids").relevant is not None


def test_deeply_nested_wording_variants_are_read():
    """if(..., if(...)) of any depth is read without recursion: one branch per code."""
    calc = "".join(f"if(${{role}} = '{i}', 'Wording {i}', " for i in range(1, 301)) + "'Default'" + ")" * 300
    from coprod.instrument.xlsform_xpath import parse_wording
    branches, default = parse_wording(calc)
    assert len(branches) == 300 and branches[-1] == ("300", "Wording 300") and default == "Default"


def _replace_survey_xml(path, n_rows: int, dimension: bool):
    """The survey sheet rewritten with ``n_rows`` integer questions (written directly: openpyxl takes long)."""
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>type</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c>'
            '<c r="C1" t="inlineStr"><is><t>label</t></is></c></row>']
    for i in range(2, n_rows + 2):
        rows.append(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>integer</t></is></c><c r="B{i}" t="inlineStr">'
                    f'<is><t>q{i}</t></is></c><c r="C{i}" t="inlineStr"><is><t>Question {i}</t></is></c></row>')
    dim = f'<dimension ref="A1:C{n_rows + 1}"/>' if dimension else ""
    xml = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main">{dim}<sheetData>{"".join(rows)}</sheetData></worksheet>')
    out = path.with_name(path.stem + "_big.xlsx")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else data)
    return out


def test_a_hundred_thousand_rows_are_refused_at_once(tmp_path):
    small = _form(tmp_path / "small.xlsx", [("integer", "q1", "Q1", "", "")])
    big = _replace_survey_xml(small, 100_000, dimension=True)
    with no_hang(60):  # refused from the size the workbook states, before its rows are read
        rep = instrument.check(big)
    assert [p.message for p in rep.errors] == [
        f"the 'survey' sheet has 100,000 rows; an XLSForm may have at most {xlsform_sheets.MAX_ROWS:,} rows per sheet"]
    r = coprod("info", big)
    assert r.code == 2 and r.err.startswith("error:") and "100,000 rows" in r.err


def test_a_sheet_that_does_not_say_its_size_is_refused_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsform_sheets, "MAX_ROWS", 30)
    small = _form(tmp_path / "small.xlsx", [("integer", "q1", "Q1", "", "")])
    big = _replace_survey_xml(small, 100, dimension=False)
    rep = instrument.check(big)
    assert [p.message for p in rep.errors] == [
        "the 'survey' sheet has more than 30 rows; an XLSForm may have at most 30 rows per sheet"]
    ok = _replace_survey_xml(small, 30, dimension=False)
    assert instrument.check(ok).ok
