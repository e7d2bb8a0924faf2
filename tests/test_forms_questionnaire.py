"""The printable questionnaire and the interview guide."""
from __future__ import annotations

import docx
import openpyxl
import pytest

from coprod import instrument
from coprod.instrument.errors import OptionError
from coprod.instrument.forms.guide import guide_markdown, write_guide_docx
from coprod.instrument.forms.questionnaire import questionnaire_rows, write_questionnaire
from test_forms_fixtures import small


def _questions(rows):
    return [r for r in rows if r["kind"] == "question"]


def test_numbering_answers_and_routing_in_words():
    rows = questionnaire_rows(small(), "en")
    qs = _questions(rows)
    assert [q["number"] for q in qs] == [f"Q{i}" for i in range(1, 12)]
    assert [q["name"] for q in qs][:5] == ["role", "tools", "spend", "start", "hours"]
    by = {q["name"]: q for q in qs}
    assert by["role"]["answers"] == "1 = Professional\n2 = Volunteer\n-9 = No answer"
    assert by["role"]["instruction"] == "Read the options aloud." and by["role"]["text"].endswith(" *")
    assert by["spend"]["routing"] == "Ask if Tools: Meetings, workshops ticked"
    assert by["spend"]["answers"] == "Number from 0 to 1000.5: ______\n-9 = No answer"
    assert by["hours"]["routing"] == "Ask if Role = Professional and not (Tools: =Other ticked)"
    assert by["tools"]["answers"].splitlines()[1:] == ["☐ 1 = Email", "☐ 2 = Meetings, workshops", "☐ 3 = =Other"]
    felt = next(r for r in rows if r["kind"] == "section" and r["text"] == "Felt accountability")
    assert felt["routing"] == "Ask if Role = Professional or Volunteer"
    # without a group every wording is shown, marked with its group
    assert by["fa1"]["text"] == ("I am expected to explain my decisions.\n"
                                 "[Wording for Volunteer] As a volunteer, I'm expected to explain my decisions.")


def test_localised_routing():
    fi = {q["name"]: q for q in _questions(questionnaire_rows(small(), "fi"))}
    assert fi["spend"]["routing"] == "Kysy, jos Työkalut: Tapaamiset valittu"
    inst = instrument.builtin()
    sv = [q for q in _questions(questionnaire_rows(inst, "sv")) if q["routing"]]
    assert sv and all(q["routing"].startswith("Fråga om ") for q in sv)
    assert [q["routing"].startswith("Ask if ") for q in _questions(questionnaire_rows(inst, "en")) if q["routing"]]


def test_group_wording_and_questions_the_group_is_not_asked():
    vol = {q["name"]: q for q in _questions(questionnaire_rows(small(), "en", "volunteer"))}
    assert vol["fa1"]["text"] == "As a volunteer, I'm expected to explain my decisions."
    pro = {q["name"]: q for q in _questions(questionnaire_rows(small(), "en", "professional"))}
    assert pro["fa1"]["text"] == "I am expected to explain my decisions."
    assert "supervise" in pro  # relevant: role = 1
    vol_names = [q["name"] for q in _questions(questionnaire_rows(small(), "en", "volunteer"))]
    assert "supervise" not in vol_names and vol_names[-1] == "comment" and "hours" in vol_names
    with pytest.raises(OptionError, match="group: 'boss'.*professional, volunteer"):
        questionnaire_rows(small(), "en", "boss")


def test_print_setup(tmp_path):
    path = write_questionnaire(small(), tmp_path / "questionnaire_en_volunteer.xlsx", "en", "volunteer")
    ws = openpyxl.load_workbook(path).active
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert [c.value for c in ws[3]] == ["No.", "Variable", "Question", "Answer options (code = label)", "Routing",
                                        "Interviewer instruction"]
    role = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "role")
    assert role[0].value == "Q1" and role[5].value == "Read the options aloud." and role[5].font.i
    assert all(c.alignment.wrap_text for c in role)
    assert ws.column_dimensions["C"].width >= 50
    assert "Small test" in ws["A1"].value and "Volunteer" in ws["A2"].value
    # every cell fits its column: the row is tall enough for the wrapped text
    answers = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "fa1")
    assert ws.row_dimensions[answers[0].row].height >= 7 * 14.5


def test_interview_guide(tmp_path):
    md = guide_markdown(small(), "fi")
    assert "## Johdanto ja suostumus" in md and "Pieni testi" in md
    assert "**1. Kerro tapauksesta, jossa jouduit tekemään tiliä työstäsi.** (`story`)" in md
    assert "- Kuka kysyi?\n- Mitä sitten tapahtui?" in md and "## Lopetus" in md
    assert "spend" not in md  # only open questions
    path = write_guide_docx(small(), tmp_path / "interview_guide_en_volunteer.docx", "en", "volunteer")
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Interview guide: Small test" in texts and "Who asked?" in texts
    assert any(t.startswith("1. Tell about a case") for t in texts)
    assert any("Respondent group: Volunteer" in t for t in texts)
    # each question says who it is for: the story is asked of every respondent (no condition on it or its section)
    assert "(`story`)\n\n_Kaikki vastaajat_" in md
