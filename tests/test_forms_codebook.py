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
    assert header == ["Variable", "Label", "Question", "Question (in Finnish)", "Type", "Values", "Missing codes", "Range",
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
    assert by["tools_2"]["Question (in Finnish)"] == "Mitä työkaluja käytät?"
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


#: Words of another language that a Finnish or Swedish codebook or questionnaire must not show in a heading
#: or a fixed value: language names in their own language, English names, the definition's English words.
FOREIGN = {"English", "Svenska", "Suomi", "Finnish", "Swedish", "Question", "single", "multiple", "likert",
           "integer", "longtext", "nominal", "ordinal", "scale", "mean"}


def _fixed_texts(wb) -> list[str]:
    """The headings of a codebook or questionnaire workbook and its fixed values (type, measure, score)."""
    out = list(wb.sheetnames)
    for ws in wb.worksheets:
        head = [str(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1)) if c.value is not None]
        out += head
        for r in ws.iter_rows(min_row=2):
            first = r[0]
            if first.value is not None and first.font.i:  # the codebook's facts: heading in A, value in B
                out.append(str(first.value))
                if len(r) > 1 and str(first.value) in ("Tyyppi", "Mitta-asteikko", "Typ", "Mätnivå"):
                    out.append(str(r[1].value))
        if ws.max_row > 1 and len(head) > 3:
            for j, h in enumerate(head):
                if h in ("Tyyppi", "Mitta-asteikko", "Typ", "Mätnivå", "Pistemäärä", "Poäng"):
                    out += [str(c[0].value) for c in ws.iter_rows(min_row=2, min_col=j + 1, max_col=j + 1)]
    return out


def test_finnish_and_swedish_documents_speak_their_language(tmp_path):
    from coprod.instrument.forms.questionnaire import questionnaire_rows, write_questionnaire

    inst = instrument.builtin()
    for lang in ("fi", "sv"):
        texts = _fixed_texts(openpyxl.load_workbook(write_codebook_xlsx(inst, tmp_path / f"cb_{lang}.xlsx", lang)))
        texts += _fixed_texts(openpyxl.load_workbook(write_questionnaire(inst, tmp_path / f"q_{lang}.xlsx", lang)))
        words = {w.strip("()") for t in texts for w in t.split()}
        assert not words & FOREIGN, (lang, sorted(words & FOREIGN))
        numbers = [r["number"] for r in questionnaire_rows(inst, lang) if r["kind"] == "question"]
        assert numbers[0] == {"fi": "K1", "sv": "F1"}[lang]
    header = codebook_rows(inst, "fi", all_languages=True)[0]
    assert header[2:5] == ["Kysymys", "Kysymys (englanniksi)", "Kysymys (ruotsiksi)"]
    assert codebook_rows(inst, "sv", all_languages=True)[0][2:5] == ["Fråga", "Fråga (på engelska)", "Fråga (på finska)"]


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
