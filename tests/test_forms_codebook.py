"""Codebook (xlsx, HTML) and DDI-Codebook 2.5."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import openpyxl

from coprod import instrument
from coprod.instrument.forms.codebook import codebook_html, codebook_rows, write_codebook_xlsx
from coprod.instrument.forms.ddi import ddi_xml, write_ddi
from test_forms_fixtures import small

NS = {"d": "ddi:codebook:2_5"}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_codebook_rows():
    inst = small()
    header, rows = codebook_rows(inst, "en", all_languages=True)
    assert header == ["Variable", "Label", "Question", "Question (Suomi)", "Type", "Values", "Missing codes", "Range",
                      "Universe", "Scale", "Measure"]
    assert [r[0] for r in rows] == [v.name for v in inst.variables]
    by = {r[0]: dict(zip(header, r)) for r in rows}
    assert by["fa1"]["Values"] == "1 = Strongly disagree\n2 = Disagree\n3 = Neutral\n4 = Agree\n5 = Strongly agree"
    assert by["fa1"]["Missing codes"] == "-8 = Don't know\n-9 = No answer"
    assert by["fa1"]["Universe"] == "Respondents for whom Role = Professional or Volunteer"
    assert by["fa1"]["Question"] == ("I am expected to explain my decisions.\n"
                                     "Wording for Volunteer: As a volunteer, I'm expected to explain my decisions.")
    assert by["fa3"]["Scale"] == "felt_acc (reversed)" and by["fa2"]["Scale"] == "felt_acc"
    assert by["spend"]["Universe"] == "Respondents for whom Tools: Meetings, workshops ticked"
    assert by["spend"]["Range"] == "from 0 to 1000.5"
    assert by["role"]["Universe"] == "All respondents"
    assert by["tools_2"]["Values"] == "0 = Not selected\n1 = Selected" and by["tools_2"]["Missing codes"] == ""
    assert by["tools_2"]["Question (Suomi)"] == "Mitä työkaluja käytät?"
    fi = {r[0]: r for r in codebook_rows(inst, "fi")[1]}
    assert fi["fa1"][7] == "Vastaajat, joilla Rooli = Ammattilainen tai Vapaaehtoinen"


def test_codebook_files(tmp_path):
    inst = small()
    wb = openpyxl.load_workbook(write_codebook_xlsx(inst, tmp_path / "codebook_en.xlsx", "en"))
    ws = wb["Variables"]
    assert ws.max_row == 1 + len(inst.variables)
    assert wb["Scales"]["A2"].value == "felt_acc" and wb["Scales"]["D2"].value == "fa3"
    cell = next(r[5] for r in ws.iter_rows(min_row=2) if r[0].value == "tools_3")  # values column
    assert cell.value == "0 = Not selected\n1 = Selected"
    label = next(r[1] for r in ws.iter_rows(min_row=2) if r[0].value == "tools_3")
    assert label.value == "Tools: =Other" and label.data_type == "s"
    assert ws.page_setup.paperSize == 9 and ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$A"
    blocks = wb["Codebook"]  # for reading on paper: a shaded row per variable, then one line per fact
    names = [r[0].value for r in blocks.iter_rows() if r[0].font.bold and r[1].value is not None]
    assert names == [v.name for v in inst.variables]
    assert blocks.page_setup.paperSize == 9 and blocks.page_setup.orientation == "portrait"
    assert not blocks.page_setup.scale or blocks.page_setup.scale == 100
    row = next(r for r in blocks.iter_rows() if r[0].value == "tools_3")
    assert row[1].value == "Tools: =Other" and row[1].data_type == "s"
    facts = {r[0].value: r[1].value for r in blocks.iter_rows(min_row=row[0].row + 1, max_row=row[0].row + 8)}
    assert facts["Values"] == "0 = Not selected\n1 = Selected"
    page = codebook_html(inst, "fi")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fi">' in page
    assert '<tr id="var-fa3"><td><code>fa3</code></td>' in page and "felt_acc (käännetty)" in page
    assert "En osaa sanoa" in page
    marked = codebook_html(_with_markup(), "en")
    assert "<td>&lt;b&gt;: Email</td>" in marked and "<b>" not in marked  # escaped, never markup


def _with_markup():
    from test_forms_fixtures import SMALL

    rep = instrument.check_text(SMALL.replace("label: {en: Tools, fi: Työkalut}", "label: {en: <b>, fi: Työkalut}"), "m.yaml")
    assert rep.ok, rep.problems
    return rep.instrument


def _parse(text):
    return ET.fromstring(text.encode("utf-8"))


def test_ddi_structure_and_counts(tmp_path):
    inst = small()
    for lang in inst.languages:
        path = write_ddi(inst, tmp_path / f"ddi_{lang}.xml", lang)
        root = ET.parse(path).getroot()
        assert root.tag == "{ddi:codebook:2_5}codeBook" and root.get("version") == "2.5" and root.get(LANG) == lang
        titl = root.find("d:stdyDscr/d:citation/d:titlStmt/d:titl", NS)
        assert titl.text == inst.title[lang] and titl.get(LANG) == lang
        assert root.find("d:stdyDscr/d:citation/d:titlStmt/d:IDNo", NS).text == "small-test"
        assert root.find("d:stdyDscr/d:citation/d:verStmt/d:version", NS).text == "2"
        variables = root.findall("d:dataDscr/d:var", NS)
        assert len(variables) == 1 + len(inst.variables) + len(inst.scales)
        assert [v.get("name") for v in variables] == ["resp_id"] + [v.name for v in inst.variables] + list(inst.scales)
        for v in variables[1:-1]:
            assert v.find("d:labl", NS).get(LANG) == lang and v.find("d:labl", NS).text
            assert v.find("d:qstn/d:qstnLit", NS).text and v.find("d:universe", NS).text
        fa1 = next(v for v in variables if v.get("name") == "fa1")
        cats = fa1.findall("d:catgry", NS)
        assert [c.find("d:catValu", NS).text for c in cats] == ["1", "2", "3", "4", "5", "-8", "-9"]
        assert [c.get("missing") for c in cats] == [None] * 5 + ["Y", "Y"]
        grp = root.find("d:dataDscr/d:varGrp", NS)
        ids = {v.get("ID"): v.get("name") for v in variables}
        assert [ids[i] for i in grp.get("var").split()] == ["fa1", "fa2", "fa3"]
    fi = _parse(ddi_xml(inst, "fi"))
    spend = next(v for v in fi.findall("d:dataDscr/d:var", NS) if v.get("name") == "spend")
    assert spend.find("d:universe", NS).text == "Vastaajat, joilla Työkalut: Tapaamiset valittu"
    rng = spend.find("d:valrng/d:range", NS)
    assert (rng.get("min"), rng.get("max")) == ("0", "1000.5")
    score = next(v for v in fi.findall("d:dataDscr/d:var", NS) if v.get("name") == "felt_acc")
    assert score.find("d:derivation/d:drvcmd", NS).text == "COMPUTE felt_acc = MEAN.2(fa1, fa2, fa3_r)."


def test_ddi_of_builtin_in_every_language():
    inst = instrument.builtin()
    for lang in inst.languages:
        root = _parse(ddi_xml(inst, lang))
        assert len(root.findall("d:dataDscr/d:var", NS)) == 1 + len(inst.variables) + len(inst.scales)
        labs = root.findall("d:dataDscr/d:var/d:labl", NS)
        assert labs and all(lab.get(LANG) == lang for lab in labs)
