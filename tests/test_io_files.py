"""CSV and Excel reading, the data-entry workbook round trip, and bad input: clean errors or correct results."""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coprod.analysis import import_responses, load_responses
from coprod.instrument.errors import DataError
from io_helpers import make_instrument, sha


@pytest.fixture()
def inst(tmp_path):
    return make_instrument(tmp_path)[0]


# ------------------------------------------------------------------------------ CSV
@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_csv_delimiters(tmp_path, sep):
    p = tmp_path / "d.csv"
    p.write_text(sep.join(["resp_id", "fa1", "comment"]) + "\n" + sep.join(["1", "4", "hello"]) + "\n"
                 + sep.join(["2", "", "x y"]) + "\n", encoding="utf-8")
    r = load_responses(p)
    assert list(r.data.columns) == ["resp_id", "fa1", "comment"]
    assert r.data["fa1"].tolist()[0] == 4.0 and np.isnan(r.data["fa1"][1])
    assert r.data["comment"].tolist() == ["hello", "x y"]


@pytest.mark.parametrize("encoding,bom,note", [("utf-8", b"", None), ("utf-8", b"\xef\xbb\xbf", None),
                                               ("cp1252", b"", "windows-1252"), ("utf-16", b"", "UTF-16")])
def test_csv_encodings(tmp_path, encoding, bom, note):
    p = tmp_path / "d.csv"
    p.write_bytes(bom + "resp_id;kommentti\n1;Hyvä päivä – kiitos\n2;Åbo\n".encode(encoding))
    r = load_responses(p)
    assert list(r.data.columns) == ["resp_id", "kommentti"]
    assert r.data["kommentti"].tolist() == ["Hyvä päivä – kiitos", "Åbo"]
    assert (note is None and not r.notes) or any(note in n for n in r.notes)


def test_csv_decimal_comma_blank_rows_and_na_tokens(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("resp_id;score;years\n1;2,5;#NULL!\n\n2;3,25;4\n", encoding="utf-8")
    r = load_responses(p)
    assert r.data["score"].tolist() == [2.5, 3.25]
    assert np.isnan(r.data["years"][0]) and r.data["years"][1] == 4.0
    assert r.row_numbers.tolist() == [1, 3]  # data rows as in the file (the blank row is row 2)


def test_csv_labels_and_code_label_text_become_codes(tmp_path, inst):
    p = tmp_path / "d.csv"
    p.write_text("RESP_ID,Role,fa1,fa2,fa3\n1,Professional,Agree,4 = Agree,strongly disagree\n2,2,-8,x,3\n", encoding="utf-8")
    r = load_responses(p, inst)
    assert r.data["resp_id"].tolist() == [1.0, 2.0]  # names matched case-insensitively
    assert r.data["role"].tolist() == [1.0, 2.0]
    assert r.data["fa1"].tolist() == [4.0, -8.0]
    assert r.data["fa2"].tolist() == [4.0, "x"]  # left for the check to report
    assert r.data["fa3"].tolist() == [1.0, 3.0]
    assert r.variable_labels["fa1"] == "I explain my decisions." and r.value_labels["fa1"][-8.0] == "Don't know"


def test_csv_bad_structure(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"d\.csv: Expected 2 fields in line 3, saw 3"):
        load_responses(p)
    p.write_text("a,b,a\n1,2,3\n", encoding="utf-8")
    with pytest.raises(DataError, match="column name 'a' appears twice"):
        load_responses(p)


def test_csv_names_that_differ_only_in_case_are_both_kept(tmp_path):
    """REGION and region (a real Ona export): both kept, the second renamed for SPSS, with a note."""
    p = tmp_path / "d.csv"
    p.write_text("REGION,b,region\nNORD,2,nord\nSUD,4,\n", encoding="utf-8")
    r = load_responses(p)
    assert list(r.data.columns) == ["REGION", "b", "region_2"]
    assert r.data["REGION"].tolist() == ["NORD", "SUD"] and r.data["region_2"].tolist()[0] == "nord"
    assert any("differ only in case: the second kept as region_2" in n for n in r.notes)


def test_leading_zeros_stay_text_unless_the_questionnaire_says_number(tmp_path, inst):
    p = tmp_path / "d.csv"
    p.write_text("resp_id,postcode,fa1\n007,00100,04\n012,33100,5\n", encoding="utf-8")
    r = load_responses(p)
    assert r.data["resp_id"].tolist() == ["007", "012"] and r.data["postcode"].tolist() == ["00100", "33100"]
    assert r.data["fa1"].tolist() == ["04", "5"]
    m = load_responses(p, inst)
    assert m.data["fa1"].tolist() == [4.0, 5.0] and m.data["resp_id"].tolist() == ["007", "012"]


def test_csv_header_only_gives_zero_rows(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("resp_id,fa1\n", encoding="utf-8")
    r = load_responses(p)
    assert len(r.data) == 0 and list(r.data.columns) == ["resp_id", "fa1"]


@pytest.mark.slow
def test_million_row_csv_rows_in_equal_rows_out(tmp_path, inst):
    n = 1_000_000
    rng = np.random.default_rng(3)
    fa = rng.integers(1, 6, n)
    p = tmp_path / "big.csv"
    with open(p, "w", encoding="utf-8") as fh:
        fh.write("resp_id,role,fa1\n")
        fh.write("\n".join(f"{i},1,{v}" for i, v in zip(range(1, n + 1), fa)))
        fh.write("\n")
    res = import_responses([p], inst, out=tmp_path / "big.sav", score_scales=False)
    assert res.rows_read == res.rows_written == n
    import pyreadstat

    back, _ = pyreadstat.read_sav(str(tmp_path / "big.sav"), usecols=["fa1"])
    assert len(back) == n and back["fa1"].sum() == fa.sum()


# ------------------------------------------------------------------------------ Excel
def test_plain_workbook_first_sheet_with_header(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["resp_id", "fa1", "when", "note"])
    import datetime as dt

    ws.append([1, 5, dt.date(2024, 5, 1), "a"])
    ws.append([None, None, None, None])
    ws.append([2, "3", dt.date(2024, 5, 2), 7])
    wb.save(tmp_path / "w.xlsx")
    r = load_responses(tmp_path / "w.xlsx")
    assert r.data["fa1"].tolist() == [5.0, 3.0]
    assert r.data["note"].tolist() == ["a", "7"]
    assert pd.Timestamp(r.data["when"][1]) == pd.Timestamp(2024, 5, 2)
    assert r.row_numbers.tolist() == [1, 3]


def test_workbook_header_below_empty_rows_and_empty_first_sheet(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Empty"
    ws = wb.create_sheet("Answers")
    ws["C3"] = "resp_id"
    ws["D3"] = "fa1"
    ws.append([None, None, 1, 4])
    ws.append([None, None, 2, 5])
    wb.save(tmp_path / "w.xlsx")
    r = load_responses(tmp_path / "w.xlsx")
    assert r.origin["sheet"] == "Answers" and list(r.data.columns) == ["resp_id", "fa1"]
    assert r.data["fa1"].tolist() == [4.0, 5.0] and r.row_numbers.tolist() == [1, 2]


def test_formula_without_cached_value_is_reported(tmp_path, inst):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["resp_id", "role", "fa1"])
    ws.append([1, 1, 4])
    ws.append([2, 1, "=B3+2"])  # openpyxl stores no result: Excel never computed it
    wb.save(tmp_path / "f.xlsx")
    res = import_responses([tmp_path / "f.xlsx"], inst, score_scales=False)
    t = res.report.table
    row = t[t.problem == "formula_no_value"]
    assert row[["row", "variable"]].values.tolist() == [[2, "fa1"]]
    assert row["file"].tolist() == ["f.xlsx"]


def test_formula_with_cached_value_reads_the_value(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["resp_id", "fa1"])
    ws.append([1, "=1+2"])
    wb.save(tmp_path / "f.xlsx")
    # add the stored result Excel would have saved
    src = zipfile.ZipFile(tmp_path / "f.xlsx")
    with zipfile.ZipFile(tmp_path / "g.xlsx", "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>1+2</f><v></v>", b"<f>1+2</f><v>3</v>").replace(b"<f>1+2</f><v/>", b"<f>1+2</f><v>3</v>")
                if b"<v>3</v>" not in data:
                    data = data.replace(b"<f>1+2</f>", b"<f>1+2</f><v>3</v>")
            out.writestr(item, data)
    r = load_responses(tmp_path / "g.xlsx")
    assert r.data["fa1"].tolist() == [3.0] and not r.problems


def _entry_workbook(inst, path):
    """The real entry workbook where the package has it; else a minimal one with the same contract."""
    try:
        from coprod.instrument.forms.entry import write_entry
    except ImportError:
        write_entry = None
    if write_entry is not None:
        write_entry(inst, path)
        return path
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append([inst.respondent_id] + [v.name for v in inst.variables])
    meta = wb.create_sheet("coprod")
    for k, v in (("kind", "entry"), ("instrument_id", inst.id), ("instrument_version", inst.version), ("language", "en")):
        meta.append([k, v])
    meta.sheet_state = "veryHidden"
    wb.save(path)
    return path


def test_entry_workbook_round_trip(tmp_path, inst):
    import openpyxl

    path = _entry_workbook(inst, tmp_path / "entry.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    assert header[0] == "resp_id"
    rows = [
        {"resp_id": 1, "role": 1, "years": 12, "tools_1": 1, "tools_2": 0, "tools_3": 1, "comment": "=SUM(A1)",
         "fa1": 5, "fa2": 4, "fa3": 2},
        {"resp_id": 2, "role": 2, "years": 3, "tools_1": 0, "tools_2": 0, "tools_3": 0, "comment": "Hyvä",
         "fa1": None, "fa2": None, "fa3": None},
        {"resp_id": 3, "role": 1, "years": -9, "tools_1": None, "tools_2": None, "tools_3": None, "comment": None,
         "fa1": -8, "fa2": 3, "fa3": 5},
    ]
    from coprod.instrument.files import set_cell

    for i, row in enumerate(rows, start=2):
        for j, name in enumerate(header, start=1):
            set_cell(ws.cell(i, j), row[name])
    wb.save(path)
    before = sha(path)
    res = import_responses([path], inst, out=tmp_path / "clean.sav", report=tmp_path / "r.csv")
    assert sha(path) == before
    assert res.rows_read == res.rows_written == 3 and res.problems == {}
    back = load_responses(tmp_path / "clean.sav")
    for name in header:
        got = back.data[name].tolist()
        want = [r[name] for r in rows]
        if name == "comment":
            assert got == ["=SUM(A1)", "Hyvä", ""]
        else:
            np.testing.assert_array_equal(np.array(got, dtype=float), np.array(want, dtype=float))
    np.testing.assert_allclose(back.data["felt_acc"].to_numpy()[[0, 2]], [(5 + 4 + 4) / 3, (3 + 1) / 2])
    assert res.responses.origin["kind"] == "entry" and res.responses.origin["instrument_id"] == inst.id


def test_entry_workbook_of_the_builtin_needs_no_instrument(tmp_path):
    from coprod import instrument

    inst = instrument.builtin()
    path = _entry_workbook(inst, tmp_path / "entry.xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    likert = next(v.name for v in inst.variables if v.question.type == "likert")
    ws.cell(2, header.index(inst.respondent_id) + 1, 7)
    ws.cell(2, header.index(inst.group_question) + 1, 1)
    ws.cell(2, header.index(likert) + 1, 99)
    wb.save(path)
    res = import_responses([path])
    assert res.responses.instrument is inst
    assert res.responses.variable_labels[likert] == inst.variable(likert).label["en"]
    bad = res.report.table[res.report.table["problem"] == "invalid_code"]
    assert bad[["row", "variable", "value"]].values.tolist() == [[1, likert, 99.0]]


def test_entry_workbook_for_another_version(tmp_path, inst):
    import dataclasses

    path = _entry_workbook(dataclasses.replace(inst, version="0.9"), tmp_path / "old.xlsx")
    res = import_responses([path], inst)
    t = res.report.table
    assert t[t.problem == "version_mismatch"]["detail"].tolist() == ["made for version 0.9, checked against 1.0"]


@pytest.mark.slow
def test_million_row_workbook(tmp_path):
    """A sheet at Excel's size (written directly as XML: openpyxl would take minutes)."""
    n = 1_000_000
    p = tmp_path / "big.xlsx"
    rows = "".join(f'<row r="{i + 2}"><c r="A{i + 2}"><v>{i + 1}</v></c><c r="B{i + 2}"><v>{i % 5 + 1}</v></c></row>'
                   for i in range(n))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets>'
                   '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet {ns}><dimension ref="A1:B{n + 1}"/><sheetData>'
                   '<row r="1"><c r="A1" t="inlineStr"><is><t>resp_id</t></is></c><c r="B1" t="inlineStr"><is><t>fa1</t></is></c></row>'
                   f'{rows}</sheetData></worksheet>')
    r = load_responses(p)
    assert len(r.data) == n and r.data["fa1"].sum() == 3 * n and r.data["resp_id"].iloc[-1] == n


# ------------------------------------------------------------------------------ bad input
def _sav_bytes(tmp_path):
    import pyreadstat

    df = pd.DataFrame({"resp_id": np.arange(1, 201, dtype=float), "fa1": np.tile([1.0, 2.0, 3.0, 4.0], 50)})
    pyreadstat.write_sav(df, str(tmp_path / "ok.sav"))
    return (tmp_path / "ok.sav").read_bytes()


@pytest.mark.parametrize("name,content,message", [
    ("empty.csv", b"", "the file is empty"),
    ("empty.sav", b"", "the file is empty"),
    ("blank.csv", b"\n\n  \n", "the file is empty"),
    ("noise.sav", bytes(np.random.default_rng(5).integers(0, 256, 5000, dtype=np.uint8)), "not a data file"),
    ("noise.csv", bytes(np.random.default_rng(6).integers(0, 256, 5000, dtype=np.uint8)), "not a data file"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "password-protected"),
    ("pack.csv", b"\x1f\x8b\x08\x00" + bytes(100), "compressed archive"),
    ("fake.xlsx", b"PK\x03\x04" + bytes(100), "damaged or truncated"),
])
def test_bad_files_give_one_clean_line(tmp_path, name, content, message):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(DataError) as exc:
        load_responses(p)
    text = str(exc.value)
    assert str(p) in text and message in text and "\n" not in text


def test_truncated_files(tmp_path):
    sav = _sav_bytes(tmp_path)
    p = tmp_path / "cut.sav"
    p.write_bytes(sav[: len(sav) // 2])
    with pytest.raises(DataError, match=r"cut\.sav: cannot read this sav file"):
        load_responses(p)
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    for i in range(2000):
        wb.active.append([i, f"text {i}"])
    wb.save(tmp_path / "ok.xlsx")
    raw = (tmp_path / "ok.xlsx").read_bytes()
    q = tmp_path / "cut.xlsx"
    q.write_bytes(raw[: len(raw) * 2 // 3])
    with pytest.raises(DataError, match=r"cut\.xlsx: damaged or truncated"):
        load_responses(q)
    # a CSV cut in the middle of a line still reads: the last row is as far as it goes
    c = tmp_path / "cut.csv"
    c.write_text("a,b,c\n1,2,3\n4,5", encoding="utf-8")
    r = load_responses(c)
    assert r.data["b"].tolist() == [2.0, 5.0] and np.isnan(r.data["c"][1])


def test_wrong_extensions_read_by_content(tmp_path):
    sav = _sav_bytes(tmp_path)
    (tmp_path / "data.csv").write_bytes(sav)
    r = load_responses(tmp_path / "data.csv")
    assert len(r.data) == 200 and any("read as sav" in n for n in r.notes)
    (tmp_path / "text.sav").write_text("resp_id,fa1\n1,2\n", encoding="utf-8")
    r = load_responses(tmp_path / "text.sav")
    assert r.data["fa1"].tolist() == [2.0] and any("read as csv" in n for n in r.notes)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_responses(tmp_path / "nope.sav")
    with pytest.raises(DataError, match="is a folder"):
        load_responses(tmp_path)


def test_stata_special_missing_values_are_missing_and_reported(tmp_path):
    import pyreadstat

    from coprod.analysis.data.importer import import_responses

    df = pd.DataFrame({"x": [1.0, "a", np.nan, 4.0, "b"], "y": [1.0, 2.0, 3.0, 4.0, 5.0]}, dtype=object)
    df["y"] = df["y"].astype(float)
    path = tmp_path / "s.dta"
    pyreadstat.write_dta(df, str(path), missing_user_values={"x": ["a", "b"]})
    r = load_responses(path)
    assert r.data["x"].dtype == float
    assert r.data["x"].isna().tolist() == [False, True, True, False, True]
    assert r.data["x"].sum() == 5.0
    assert any("Stata special missing values (.a-.z) read as missing: x 2" in n for n in r.notes)
    res = import_responses([path])
    assert any(line.startswith("note: ") and "read as missing: x 2" in line for line in res.summary_lines())


def test_stata_column_of_special_missing_values_only_is_numeric(tmp_path):
    """A numeric column whose every value is .a-.z is numeric missing, not text; their labels are kept."""
    import pyreadstat

    df = pd.DataFrame({"x": ["a", "b", "a"], "y": [1.0, 2.0, 3.0], "s": ["a", "b", "c"]}, dtype=object)
    df["y"] = df["y"].astype(float)
    path = tmp_path / "all.dta"
    pyreadstat.write_dta(df, str(path), missing_user_values={"x": ["a", "b"]},
                         variable_value_labels={"x": {"a": "refused", "b": "don't know"}})
    r = load_responses(path)
    assert r.data["x"].dtype == float and r.data["x"].isna().all()
    assert r.data["s"].tolist() == ["a", "b", "c"]  # a text column of letters stays text
    assert r.origin["missing_value_labels"] == {"x": {".a": "refused", ".b": "don't know"}}
    assert any("kept as missing-value labels: x .a 'refused', .b \"don't know\"" in n for n in r.notes)


@pytest.mark.skipif(not Path("/work/shared/data/realworld/responses/pyreadstat__missing_test.dta").exists(),
                    reason="real-world files absent")
def test_real_stata_files_with_special_missing_values():
    real = Path("/work/shared/data/realworld/responses")
    r = load_responses(real / "pyreadstat__missing_test.dta")
    assert all(r.data[f"var{i}"].dtype == float and r.data[f"var{i}"].isna().all() for i in range(1, 7))
    t = load_responses(real / "haven__tagged-na-double.dta")
    assert t.data["x"].tolist()[:5] == [1, 2, 3, 4, 5] and t.data["x"].isna().sum() == 3
    assert t.origin["missing_value_labels"] == {"x": {".a": "apple", ".z": ".zebra"}}


def test_na_tokens_in_a_text_column_are_answers(tmp_path):
    """Namibia's code NA, "n/a" (not applicable) in a text column are answers; in a number column, missing."""
    from coprod.analysis.data.loaded import NA_TOKENS

    p = tmp_path / "d.csv"
    p.write_text("id,country,note,score,gone\n1,NA,n/a,3,NA\n2,FI,N/A,NA,\n3,NaN,ok,4,NA\n4,,,5,\n", encoding="utf-8")
    r = load_responses(p)
    assert r.data["country"].tolist()[:3] == ["NA", "FI", "NaN"] and pd.isna(r.data["country"][3])
    assert r.data["note"].tolist()[:3] == ["n/a", "N/A", "ok"]
    assert r.data["score"].dtype == float and r.data["score"].isna().tolist() == [False, True, False, False]
    assert r.data["gone"].isna().all()  # nothing but tokens: a column of missing numbers
    docs = (Path(__file__).resolve().parents[1] / "docs" / "import.md").read_text(encoding="utf-8")
    row = next(line for line in docs.splitlines() if line.startswith("| CSV / text |"))
    assert [t for t in NA_TOKENS if t and f"`{t}`" not in row] == []  # docs and code name the same tokens
