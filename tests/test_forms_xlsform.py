"""XLSForm: converts cleanly with pyxform, passes ODK Validate, and reads back as the same definition."""
from __future__ import annotations

import shutil

import openpyxl
import pytest

from coprod import instrument
from coprod.instrument.errors import DefinitionError
from coprod.instrument.forms.xlsform import write_xlsform, xpath_string
from coprod.instrument.xlsform_read import read_xlsform_tree, xpath_to_expr
from test_forms_fixtures import large, small

pyxform = pytest.importorskip("pyxform")
from pyxform.xls2xform import convert  # noqa: E402


def _rows(path, sheet="survey"):
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]


def test_small_form_content(tmp_path):
    path = write_xlsform(small(), tmp_path / "xlsform.xlsx")
    rows = {r["name"]: r for r in _rows(path) if r["name"]}
    assert rows["role"]["type"] == "select_one role" and rows["role"]["required"] == "yes"
    assert rows["role"]["required_message::Suomi (fi)"] == "Tähän kysymykseen on vastattava."
    assert rows["role"]["guidance_hint::English (en)"] == "Read the options aloud."
    assert rows["tools"]["type"] == "select_multiple tools__options"  # options only: no 'No answer' box
    assert rows["spend"]["relevant"] == "selected(${tools}, '2')"
    assert rows["spend"]["constraint"] == ". >= 0 and . <= 1000.5 or . = -9"
    assert rows["spend"]["constraint_message::English (en)"] == "Enter a number from 0 to 1000.5 (or a missing code -9)"
    assert rows["hours"]["relevant"] == "${role} = '1' and not(selected(${tools}, '3'))"
    assert rows["felt"]["type"] == "begin_group" and rows["felt"]["relevant"] == "(${role} = '1' or ${role} = '2')"
    assert rows["fa2"]["appearance"] == "likert" and rows["fa2"]["type"] == "select_one agree"
    assert rows["fa3"]["coprod_scale"] == "felt_acc" and rows["fa3"]["coprod_reverse"] == "felt_acc"
    assert rows["story"]["type"] == "text" and rows["story"]["appearance"] == "multiline"
    assert rows["start"]["type"] == "date" and rows["note1"]["type"] == "note"
    # group wording: one calculate per language, the question's label shows it
    assert rows["fa1__en"]["type"] == "calculate"
    assert rows["fa1__en"]["calculation"] == ("if(${role} = '2', \"As a volunteer, I'm expected to explain my decisions.\", "
                                              "'I am expected to explain my decisions.')")
    assert rows["fa1"]["label::English (en)"] == "${fa1__en}" and rows["fa1"]["label::Suomi (fi)"] == "${fa1__fi}"
    choices = _rows(path, "choices")
    agree = [(c["name"], c["coprod_missing"]) for c in choices if c["list_name"] == "agree"]
    assert agree == [("1", None), ("2", None), ("3", None), ("4", None), ("5", None), ("-8", "yes"), ("-9", "yes")]
    assert [c["name"] for c in choices if c["list_name"] == "tools__options"] == ["1", "2", "3"]
    settings = _rows(path, "settings")[0]
    assert settings["default_language"] == "English (en)" and settings["form_id"] == "small-test" and settings["version"] == "2"
    # a label that looks like a formula is stored as text
    ws = openpyxl.load_workbook(path)["choices"]
    other = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "tools" and r[1].value == "3")
    assert other[2].value == "=Other" and other[2].data_type == "s"


@pytest.mark.parametrize("make", [small, instrument.builtin, pytest.param(large, marks=pytest.mark.slow)],
                         ids=["small", "builtin", "large"])
def test_pyxform_converts_without_warnings(tmp_path, make):
    path = write_xlsform(make(), tmp_path / "xlsform.xlsx")
    result = convert(xlsform=str(path), validate=False)
    assert result.warnings == []
    xml = result.xform
    assert 'lang="Suomi (fi)"' in xml and "<instance>" in xml


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs java")
def test_odk_validate(tmp_path):
    path = write_xlsform(small(), tmp_path / "xlsform.xlsx")
    try:
        result = convert(xlsform=str(path), validate=True)
    except Exception as exc:  # pragma: no cover - e.g. the validator jar cannot run here
        if "Validate" in type(exc).__name__ and "invalid" not in str(exc).lower():
            pytest.skip(f"ODK Validate cannot run: {exc}")
        raise
    assert result.warnings == []


def _question_facts(inst):
    out = []
    for q in inst.questions:
        out.append((q.name, q.type, q.section, dict(q.text), dict(q.label), {g: dict(t) for g, t in q.variants.items()},
                    dict(q.hint), dict(q.instruction), q.required, q.min, q.max, q.measure,
                    q.relevant.spss() if q.relevant is not None else None,
                    [dict(p) for p in q.probes], q.missing_codes,
                    q.choices and [(c.code, dict(c.label), c.missing) for c in q.choices.all],
                    q.choices and (q.choices.name, q.choices.top_box, q.choices.ordered)))
    return out


@pytest.mark.parametrize("make", [small, instrument.builtin], ids=["small", "builtin"])
def test_round_trip(tmp_path, make):
    inst = make()
    path = write_xlsform(inst, tmp_path / "xlsform.xlsx")
    back = instrument.load(path)
    assert _question_facts(back) == _question_facts(inst)
    assert [v.name for v in back.variables] == [v.name for v in inst.variables]
    assert (back.id, back.version, dict(back.title), back.languages, back.default_language) == \
           (inst.id, inst.version, dict(inst.title), inst.languages, inst.default_language)
    assert [(s.id, dict(s.title), dict(s.intro), s.relevant and s.relevant.spss()) for s in back.sections] == \
           [(s.id, dict(s.title), dict(s.intro), s.relevant and s.relevant.spss()) for s in inst.sections]
    assert [(g.id, g.code, dict(g.label)) for g in back.groups] == [(g.id, g.code, dict(g.label)) for g in inst.groups]
    assert back.group_question == inst.group_question and back.respondent_id == inst.respondent_id
    assert [(c.code, dict(c.label)) for c in back.missing] == [(c.code, dict(c.label)) for c in inst.missing]
    assert {n: (s.items, s.reverse, s.score, s.min_valid, dict(s.label)) for n, s in back.scales.items()} == \
           {n: (s.items, s.reverse, s.score, s.min_valid, dict(s.label)) for n, s in inst.scales.items()}


@pytest.mark.slow
def test_round_trip_large(tmp_path):
    inst = large()
    back = instrument.load(write_xlsform(inst, tmp_path / "x.xlsx"))
    assert _question_facts(back) == _question_facts(inst)


def test_xpath_translation():
    assert xpath_to_expr("${a} = '1' and (${b} > 2 or ${b} <= -1)") == "a = 1 and (b > 2 or b <= -1)"
    assert xpath_to_expr("not(${a} != '')") == "not (answered(a))"
    assert xpath_to_expr("selected(${m}, 'x y')") == "selected(m, 'x y')"
    assert xpath_string("it's \"x\"") == "concat('it', \"'\", 's \"x\"')"


def _form(tmp_path, survey, choices=(("yn", "1", "Yes"), ("yn", "0", "No"))):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label", "relevant", "constraint", "appearance"])
    for r in survey:
        ws.append(list(r) + [None] * (6 - len(r)))
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", "label"])
    for r in choices:
        ch.append(list(r))
    st = wb.create_sheet("settings")
    st.append(["form_title", "form_id", "version"])
    st.append(["Foreign form", "foreign", "3"])
    path = tmp_path / "foreign.xlsx"
    wb.save(path)
    return path


def test_reads_a_foreign_form(tmp_path):
    path = _form(tmp_path, [
        ("start", "start"),
        ("select_one yn", "ok", "OK?"),
        ("integer", "age", "Age", "${ok} = '1'", ". >= 18 and . <= 99"),
        ("begin_group", "g", "Group", "${age} > 30"),
        ("text", "why", "Why?", None, None, "multiline"),
        ("end_group",),
        ("calculate", "c"),
    ])
    inst = instrument.load(path)
    assert [(q.name, q.type) for q in inst.questions] == [("ok", "single"), ("age", "integer"), ("why", "longtext")]
    assert inst.question("age").relevant.spss() == "ok = 1" and (inst.question("age").min, inst.question("age").max) == (18, 99)
    assert inst.sections[1].relevant.spss() == "age > 30"
    assert inst.languages == ("en",) and inst.id == "foreign" and inst.title["en"] == "Foreign form"


def test_untranslatable_relevant_is_kept_as_xpath_and_a_geopoint_as_text(tmp_path):
    path = _form(tmp_path, [("select_one yn", "ok", "OK?"), ("text", "t", "T", "count-selected(${ok}) > 1"),
                            ("geopoint", "where", "Where?")])
    rep = instrument.check(path)
    assert rep.ok, rep.problems
    t = rep.instrument.question("t")
    assert t.relevant is None and t.xlsform["relevant"] == "count-selected(${ok}) > 1"
    assert rep.instrument.question("where").type == "text" and rep.instrument.question("where").xlsform["type"] == "geopoint"
    msgs = [p.message for p in rep.warnings]
    assert any(m.startswith("relevant kept as XPath; not checked at import: 1 row (row 3 question 't'") for m in msgs)
    assert any(m.startswith("geopoint questions kept as text variables, not analysed: 1 row") for m in msgs)


def test_text_choice_names_get_codes_and_keep_their_names(tmp_path):
    path = _form(tmp_path, [("select_one yn", "ok", "OK?"), ("text", "why", "Why?", "${ok} = 'no'")],
                 choices=[("yn", "yes", "Yes"), ("yn", "no", "No")])
    rep = instrument.check(path)
    assert rep.ok, rep.problems
    cl = rep.instrument.question("ok").choices
    assert [(c.code, c.xls_name) for c in cl.options] == [(1, "yes"), (2, "no")]
    assert rep.instrument.question("why").relevant.spss() == "ok = 2"
    out = write_xlsform(rep.instrument, tmp_path / "again.xlsx")
    convert(xlsform=str(out), validate=False)
    rows = {r["name"]: r for r in _rows(out) if r["name"]}
    assert rows["why"]["relevant"] == "${ok} = 'no'"
    wb = openpyxl.load_workbook(out)
    assert [r[1] for r in wb["choices"].iter_rows(min_row=2, values_only=True)] == ["yes", "no"]


def test_list_and_section_names_are_made_safe(tmp_path):
    from test_forms_fixtures import SMALL

    text = (SMALL.replace("  agree:\n", "  agree 5:\n").replace("choices: agree}", "choices: agree 5}")
            .replace("- id: felt", "- id: felt acc"))
    rep = instrument.check_text(text, "odd.yaml")
    assert rep.ok, rep.problems
    path = write_xlsform(rep.instrument, tmp_path / "xlsform.xlsx")
    assert convert(xlsform=str(path), validate=False).warnings == []
    rows = {r["name"]: r for r in _rows(path) if r["name"]}
    assert rows["fa2"]["type"] == "select_one agree_5" and rows["felt_acc"]["type"] == "begin_group"
    from coprod.instrument.forms.entry import entry_workbook

    wb = entry_workbook(rep.instrument)
    assert wb.defined_names["lst_agree_5"].attr_text == "Lists!$B$2:$B$8"


def test_settings_sheet_prints_its_long_texts(tmp_path):
    # the one row of settings holds the references: columns up to a landscape page wide, no repeated
    # columns taking their room, and shrunk to one page tall where the row is taller than a page
    from coprod.instrument.sheets import EXCEL_ROW_PT, LANDSCAPE_ROW_PT, ONE_PAGE_LANDSCAPE_CHARS, row_height

    wb = openpyxl.load_workbook(write_xlsform(instrument.builtin(), tmp_path / "f.xlsx"))
    ws = wb["settings"]
    widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
    assert max(widths) == ONE_PAGE_LANDSCAPE_CHARS and ws.print_title_cols is None
    # Excel shows no row taller than 409 points: the references (3,000 characters) are set in smaller type
    refs = next(c for c in ws[2] if ws.cell(1, c.column).value == "coprod_references")
    assert len(refs.value) > 3000 and refs.font.sz < 11
    assert refs.font.name == ws.cell(2, 1).font.name  # the sheet's typeface, only smaller
    assert row_height([refs.value], [ONE_PAGE_LANDSCAPE_CHARS]) > EXCEL_ROW_PT >= ws.row_dimensions[2].height
    assert ws.row_dimensions[2].height == row_height([refs.value], [ONE_PAGE_LANDSCAPE_CHARS], refs.font.sz)
    if ws.row_dimensions[2].height > LANDSCAPE_ROW_PT:
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (0, 1)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    survey = wb["survey"]
    assert survey.print_title_cols == "$A:$B" and max(survey.column_dimensions[c.column_letter].width
                                                       for c in survey[1]) <= 40
