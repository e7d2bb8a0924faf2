"""XLSForms as fieldwork teams write them: header spellings, language names, old select syntax,
or_other, repeats, unsafe names, old .xls files, and the folder of real forms written by others."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import openpyxl
import pytest

from coprod import instrument
from coprod.instrument.forms.xlsform import write_xlsform

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "realworld" / "xlsform"
if not REAL.is_dir():
    REAL = Path("/work/shared/data/realworld/xlsform")


def _book(tmp_path, survey, choices, settings=None, name="form.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    for r in survey:
        ws.append(list(r))
    ch = wb.create_sheet("choices")
    for r in choices:
        ch.append(list(r))
    if settings:
        st = wb.create_sheet("settings")
        for r in settings:
            st.append(list(r))
    path = tmp_path / name
    wb.save(path)
    return path


def test_header_spellings_and_language_names(tmp_path):
    path = _book(tmp_path,
                 [("Type", "Name", "label", "label::French", "HINT:English"),
                  ("select one from yn", "ok", "OK?", "D'accord ?", "say")],
                 [("LIST NAME", "name", "label", "label::French"), ("yn", "yes", "Yes", "Oui"), ("yn", "no", "No", "Non")],
                 [("Title", "id_string", "version", "default_language"), ("Mine", "mine", 2024, "English")])
    rep = instrument.check(path)
    assert rep.ok, rep.problems
    inst = rep.instrument
    assert inst.languages == ("en", "fr") and inst.default_language == "en"
    assert (inst.id, inst.version, inst.title["en"]) == ("mine", "2024", "Mine")
    q = inst.question("ok")
    assert q.text == {"en": "OK?", "fr": "D'accord ?"}  # the plain label is the default language, not dropped
    assert q.choices.label(2, "fr") == "Non"


def test_unknown_language_name_is_one_clear_error(tmp_path):
    path = _book(tmp_path, [("type", "name", "label::Klingon", "hint::Klingon"), ("text", "t", "x", "y")],
                 [("list_name", "name", "label")])
    rep = instrument.check(path)
    assert len(rep.errors) == 1
    assert "label::Klingon (xx)" in rep.errors[0].message


def test_or_other_adds_the_option_and_the_text_question_as_pyxform_does(tmp_path):
    from pyxform.xls2xform import convert

    path = _book(tmp_path, [("type", "name", "label"), ("select_one colors or_other", "fav", "Favourite?"),
                            ("select all that apply from colors or specify other", "every", "All?")],
                 [("list name", "name", "label"), ("colors", "red", "Red"), ("colors", "blue", "Blue")])
    rep = instrument.check(path)
    assert rep.ok, rep.problems
    inst = rep.instrument
    assert [q.name for q in inst.questions] == ["fav", "fav_other", "every", "every_other"]
    assert [(c.code, c.xls_name) for c in inst.question("fav").choices.options] == [(1, "red"), (2, "blue"), (3, "other")]
    assert inst.question("fav_other").relevant.spss() == "fav = 3"
    assert inst.question("every_other").xlsform["relevant"] == "selected(${every}, 'other')"
    out = write_xlsform(inst, tmp_path / "again.xlsx")
    convert(xlsform=str(out), validate=False)


def test_repeats_calculates_and_unsafe_names_are_kept_for_the_form(tmp_path):
    from pyxform.xls2xform import convert

    path = _book(tmp_path, [("type", "name", "label", "calculation"),
                            ("start", "start", None, None),
                            ("text", "tel.office", "Office phone", None),
                            ("calculate", "twice", None, "concat(${tel.office}, '!')"),
                            ("begin repeat", "kids", "Children", None),
                            ("text", "kid", "Name", None),
                            ("end repeat", None, None, None),
                            ("integer", "_age", "Age of ${tel.office}", None)],
                 [("list_name", "name", "label")])
    rep = instrument.check(path)
    assert rep.ok, rep.problems
    inst = rep.instrument
    assert [(q.name, q.xls_name) for q in inst.questions] == [("tel_office", "tel.office"), ("age", "_age")]
    msgs = [p.message for p in rep.warnings]
    assert sum("repeats kept for the XLSForm, not analysed" in m for m in msgs) == 1
    assert any("names renamed" in m and "tel.office -> tel_office" in m for m in msgs)
    out = write_xlsform(inst, tmp_path / "again.xlsx")
    convert(xlsform=str(out), validate=False)
    ws = openpyxl.load_workbook(out)["survey"]
    names = [r[1] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert names[:3] == ["resp_id", "start", "part1"]  # the respondent id first, then the kept rows in place
    assert names.index("twice") == names.index("tel.office") + 1 and "kids" in names and "_age" in names


def test_openpyxl_warnings_do_not_reach_the_user(tmp_path):
    path = REAL / "ona__childrens_survey.xlsx"
    if not path.exists():
        pytest.skip("real-world forms absent")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rep = instrument.check(path)
    assert rep.ok, rep.problems


def _forms():
    return sorted(p for p in REAL.glob("*") if p.suffix in (".xlsx", ".xls")) if REAL.is_dir() else []


@pytest.mark.slow
@pytest.mark.skipif(not _forms(), reason="real-world forms absent")
@pytest.mark.parametrize("path", _forms(), ids=lambda p: p.name)
def test_real_world_form(path, tmp_path):
    """A form pyxform converts passes check (warnings one line per kind) and is written again as a form
    pyxform converts; a form pyxform refuses gets errors, not a crash."""
    from pyxform.xls2xform import convert

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            convert(xlsform=str(path), validate=False)
        converts = True
    except Exception:
        converts = False
    rep = instrument.check(path)
    kinds = [p.message.split(":")[0] for p in rep.warnings]
    assert len(kinds) == len(set(kinds)), kinds
    if path.name == "ona__form_with_unicode_in_relevant_column.xlsx":  # Tetun has no ISO 639-1 code
        assert len(rep.errors) == 1 and "label::Tetun (xx)" in rep.errors[0].message
        return
    if not converts:
        return
    assert rep.ok, [str(p) for p in rep.errors]
    out = write_xlsform(rep.instrument, tmp_path / "again.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        convert(xlsform=str(out), validate=False)


def test_a_whole_column_stated_size_is_not_the_sheet_size(tmp_path):
    """Excel states ``A1:AMJ1048576`` for a formatted column: the rows the sheet holds are read, not refused."""
    import zipfile

    path = _book(tmp_path, [("type", "name", "label"), ("integer", "age", "Age")], [("list_name", "name", "label")])
    stated = tmp_path / "stated.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(stated, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:AMJ1048576"/>', data)
                assert b"AMJ1048576" in data
            zout.writestr(item, data)
    rep = instrument.check(stated)
    assert rep.ok, [str(p) for p in rep.problems]
    assert [q.name for q in rep.instrument.questions] == ["age"]
