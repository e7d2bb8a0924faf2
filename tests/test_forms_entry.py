"""The data-entry workbook: validation on every column, hidden code lists, protection, the coprod sheet."""
from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries

from coprod import instrument
from coprod.instrument.forms.entry import FIRST_ROW, LAST_ROW, write_entry
from test_forms_fixtures import small


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    inst = small()
    path = write_entry(inst, tmp_path_factory.mktemp("entry") / "entry.xlsx")
    return inst, openpyxl.load_workbook(path)


def _validations(ws):
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            min_col, min_row, max_col, max_row = range_boundaries(rng)
            for col in range(min_col, max_col + 1):
                assert get_column_letter(col) not in out, "one validation per column"
                out[get_column_letter(col)] = (dv, min_row, max_row)
    return out


def _named_values(wb, name):
    dn = wb.defined_names[name]
    (sheet, ref), = list(dn.destinations)
    return [c.value for row in wb[sheet][ref.replace("$", "")] for c in row]


def test_sheets_and_hidden_state(book):
    inst, wb = book
    assert wb.sheetnames[0] == "Data" and wb.active.title == "Data"
    assert wb["Lists"].sheet_state == "veryHidden" and wb["coprod"].sheet_state == "veryHidden"
    assert wb["Instructions"].sheet_state == "visible" and wb["Codebook"].sheet_state == "visible"
    meta = {r[0]: r[1] for r in wb["coprod"].iter_rows(values_only=True)}
    assert meta["kind"] == "entry" and meta["instrument_id"] == "small-test"
    assert meta["instrument_version"] == "2" and meta["language"] == "en" and meta["respondent_id"] == "resp_id"
    assert wb.security.lockStructure


def test_header_and_every_column_validated(book):
    inst, wb = book
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    assert header == ["resp_id"] + [v.name for v in inst.variables]
    vals = _validations(ws)
    assert set(vals) == {get_column_letter(j) for j in range(1, len(header) + 1)}
    for col, (dv, lo, hi) in vals.items():
        assert (lo, hi) == (FIRST_ROW, LAST_ROW) == (2, 10001)
        assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.error and dv.errorTitle
        assert dv.showInputMessage and dv.prompt and len(dv.prompt) <= 255 and len(dv.errorTitle) <= 32
        assert not (dv.type == "list" and not str(dv.formula1).startswith("=lst_")), "no inline lists"


def test_coded_columns_use_named_lists_with_exact_codes(book):
    inst, wb = book
    ws = wb["Data"]
    vals = _validations(ws)
    col = {c.value: c.column_letter for c in ws[1]}
    assert vals[col["role"]][0].formula1 == "=lst_role"
    assert _named_values(wb, "lst_role") == [1, 2, -9]
    assert vals[col["fa1"]][0].formula1 == "=lst_agree"
    assert _named_values(wb, "lst_agree") == [1, 2, 3, 4, 5, -8, -9]
    assert wb.defined_names["lst_agree"].attr_text == "Lists!$B$2:$B$8"
    for name in ("tools_1", "tools_2", "tools_3"):  # multiple choice: one 0/1 column per option
        assert vals[col[name]][0].formula1 == "=lst__binary"
    assert _named_values(wb, "lst__binary") == [0, 1]


def test_numbers_dates_texts_and_id(book):
    inst, wb = book
    ws = wb["Data"]
    vals = _validations(ws)
    col = {c.value: c.column_letter for c in ws[1]}
    hours = vals[col["hours"]][0]
    assert hours.type == "custom"
    assert hours.formula1 == "=OR(AND(ISNUMBER(H2),H2=INT(H2),H2>=0,H2<=60),H2=-9)"  # range, whole, or missing code
    spend = vals[col["spend"]][0]
    assert spend.formula1 == "=OR(AND(ISNUMBER(F2),F2>=0,F2<=1000.5),F2=-9)"
    start = vals[col["start"]][0]
    assert start.type == "date" and start.operator == "between"
    assert ws.column_dimensions[col["start"]].number_format == "yyyy-mm-dd"
    assert (vals[col["comment"]][0].type, vals[col["comment"]][0].formula1) == ("textLength", "255")
    assert vals[col["story"]][0].formula1 == "4000"
    rid = vals["A"][0]
    assert rid.type == "custom" and "COUNTIF($A$2:$A$10001,A2)=1" in rid.formula1 and "A2>0" in rid.formula1


def test_protection_freeze_and_comments(book):
    inst, wb = book
    ws = wb["Data"]
    assert ws.protection.sheet and not ws.protection.password
    assert all(c.protection.locked for c in ws[1])
    assert all(ws.column_dimensions[get_column_letter(j)].protection.locked is False for j in range(1, ws.max_column + 1))
    assert ws.freeze_panes == "B2"
    assert "How many hours a week?" in ws["H1"].comment.text


def test_instructions_and_codebook(book):
    inst, wb = book
    text = "\n".join(str(r[0]) for r in wb["Instructions"].iter_rows(values_only=True) if r[0])
    assert "rows 2 to 10001" in text and "-9 = No answer" in text and "-8 = Don't know" in text
    assert "2 = Volunteer (volunteer)" in text and "tools_1" in text
    cb = list(wb["Codebook"].iter_rows(values_only=True))
    assert [r[0].value for r in wb["Codebook"].iter_rows() if r[0].font.bold] == [v.name for v in inst.variables]
    tools3 = next(r for r in cb if r[0] == "tools_3")
    assert tools3[1] == "Tools: =Other"  # text, not a formula
    assert wb["Codebook"].cell(cb.index(tools3) + 1, 2).data_type == "s"


def test_finnish_workbook(tmp_path):
    wb = openpyxl.load_workbook(write_entry(instrument.builtin(), tmp_path / "entry_fi.xlsx", lang="fi"))
    assert "Ohjeet" in wb.sheetnames and "Koodikirja" in wb.sheetnames
    meta = {r[0]: r[1] for r in wb["coprod"].iter_rows(values_only=True)}
    assert meta["language"] == "fi" and meta["instrument_id"] == "coprod-accountability"
    dvs = _validations(wb["Data"])
    assert dvs["B"][0].prompt.startswith("Anna jokin koodeista 1, 2, 3.")


def test_no_overwrite_without_force(tmp_path):
    from coprod.instrument.errors import OutputExistsError

    path = tmp_path / "entry.xlsx"
    path.write_bytes(b"keep")
    with pytest.raises(OutputExistsError):
        write_entry(small(), path)
    assert path.read_bytes() == b"keep"
    write_entry(small(), path, force=True)
    assert openpyxl.load_workbook(path)["coprod"]["B1"].value == "entry"


def test_instructions_column_no_wider_than_the_page(book):
    # LibreOffice fits a sheet into the pages it needs at 100 %: a single column wider than the page needs
    # one page and is never shrunk, its lines cut at the page edge (tests/test_printed_documents.py prints it)
    from coprod.instrument.sheets import ONE_PAGE_CHARS

    ws = book[1]["Instructions"]
    assert ws.max_column == 1
    assert ws.column_dimensions["A"].width <= ONE_PAGE_CHARS
    assert ws.page_setup.orientation == "portrait" and ws.sheet_properties.pageSetUpPr.fitToPage
