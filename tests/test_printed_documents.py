"""Every document coprod writes, printed as a person would: LibreOffice headless turns it into PDF, and
``pdftotext -bbox`` reads each word with its box. On every page: A4, no two words printed over each
other, and every variable name and group label whole (never split across lines or cut at a cell edge);
in every workbook of the forms (codebook, questionnaire, entry workbook, XLSForm) every word of every cell
of its visible sheets printed (no row too short for its text, no column running off the page's right edge),
and the codebook within a number of pages its content allows. Skipped without LibreOffice; slow (about a minute
per batch of documents).

Documents covered: the forms (questionnaire en/fi/sv, codebook en/fi/sv, entry workbook en/fi, XLSForm,
interview guide en/fi/sv), the data check of an import, the coding workbook, and tables from ``describe`` and
``compare`` in Word and Excel; the report is in test_printed_report.py."""
from __future__ import annotations

import math

import pytest

from coprod import instrument
from coprod.instrument.forms import write_forms
from pdf_pages import A4, HAVE_TOOLS, check_pdf, clipped_words, read_pages, to_pdf

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAVE_TOOLS, reason="LibreOffice or pdftotext absent")]


def _names(inst) -> tuple[str, ...]:
    return tuple(v.name for v in inst.variables[:40])


@pytest.fixture(scope="module")
def forms_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("forms")
    inst = instrument.builtin()
    write_forms(inst, out, langs=["en", "fi", "sv"])
    return inst, out


@pytest.mark.parametrize("pattern", ["questionnaire_en.xlsx", "questionnaire_fi.xlsx", "questionnaire_sv.xlsx",
                                     "codebook_en.xlsx", "codebook_fi.xlsx", "codebook_sv.xlsx", "entry.xlsx",
                                     "entry_fi.xlsx", "xlsform.xlsx",
                                     "interview_guide_en.docx", "interview_guide_fi.docx", "interview_guide_sv.docx"])
def test_forms_print_clean(forms_dir, pattern, tmp_path):
    inst, out = forms_dir
    files = sorted(out.glob(pattern))[:2]
    assert files, f"no {pattern} among {sorted(p.name for p in out.iterdir())}"
    for f in files:
        pdf = to_pdf(f, tmp_path)
        questions = tuple(q.name for s in inst.sections for q in s.questions if q.type != "note")
        whole = _names(inst) if "codebook" in f.name else questions if "questionnaire" in f.name else ()
        assert check_pdf(pdf, whole) == []
        if f.suffix == ".xlsx":  # rows tall enough and columns within the page: no text cut off
            assert clipped_words(f, pdf) == []
        if "codebook" in f.name:
            pages = len(read_pages(pdf))
            assert pages <= codebook_pages(inst, f), pages


def codebook_pages(inst, path) -> int:
    """The most pages the codebook workbook may print on, from its content: the codebook sheet at least
    three variables a page, the table of variables at least six rows a page on each of the pages it is
    wide, a page for the scales. (Row heights that leave rows far taller than their text break this.)"""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wide = wb.worksheets[1].page_setup.fitToWidth or 1
    n = len(inst.variables)
    return math.ceil(n / 3) + wide * math.ceil(n / 6) + 1


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    from coprod.analysis.demo.simulate import simulate_responses

    inst = instrument.builtin()
    return inst, simulate_responses(inst, n=200, seed=7)


def test_compare_docx_a4_and_letter(demo_data, tmp_path):
    from coprod.analysis.render import emit
    from coprod.analysis.stats.compare import compare

    inst, data = demo_data
    tables = compare(data, by="role").tables()
    for paper, size in (("a4", A4), ("letter", (612.0, 792.0))):
        out = tmp_path / f"compare_{paper}.docx"
        emit(tables, out=str(out), paper=paper)
        pdf = to_pdf(out, tmp_path / paper)
        shown = tuple(str(v) for v in tables["tests"]["variable"])[:30]
        assert check_pdf(pdf, shown, paper=size) == []


def test_tables_xlsx_prints_on_a4(demo_data, tmp_path):
    from coprod.analysis.render import emit
    from coprod.analysis.stats.frequencies import frequencies

    inst, data = demo_data
    out = tmp_path / "freq.xlsx"
    emit({"frequencies": frequencies(data, by="role", items="area,training")}, out=str(out))
    pdf = to_pdf(out, tmp_path)
    assert check_pdf(pdf, ("area", "training")) == []
    # n and % of one table on the same page: fitted to the page width
    pages = read_pages(pdf)
    assert all(any(w.text == "%" for w in p.words) for p in pages if any(w.text == "n" for w in p.words))


def test_data_check_xlsx_prints_whole(demo_data, tmp_path):
    from coprod.analysis.data.validate import validate
    from coprod.analysis.demo.simulate import simulated_responses

    inst = demo_data[0]
    report = validate(simulated_responses(inst, n=200, seed=7), inst)
    kinds = tuple(report.summary)
    assert kinds  # the simulated data carry invalid values
    out = report.write(tmp_path / "data-check.xlsx")
    pdf = to_pdf(out, tmp_path)
    assert check_pdf(pdf, kinds) == []  # each kind of problem whole: the column is wide enough
    pages = read_pages(pdf)
    assert all(any(w.text == "problem" for w in p.words) for p in pages)  # header row on every page


def test_coding_workbook_prints_on_a4(tmp_path):
    from coprod.analysis.coding.run import export_coding
    from coprod.analysis.demo.simulate import simulated_responses

    inst = instrument.builtin()
    resp = simulated_responses(inst, n=120, seed=3)
    out = tmp_path / "coding.xlsx"
    export_coding(resp, out, lang="fi", by=inst.group_question, instrument=inst, key_file=tmp_path / "c.key")
    pdf = to_pdf(out, tmp_path)
    # A4, and a group label wrapped in its cell does not run into the next row
    assert check_pdf(pdf, tuple(t.code for t in inst.themes[:5])) == []


def test_describe_docx_and_compare_xlsx(demo_data, tmp_path):
    from coprod.analysis.render import emit
    from coprod.analysis.stats.compare import compare
    from coprod.analysis.stats.descriptives import descriptives

    inst, data = demo_data
    emit({"descriptives": descriptives(data, by="role", items="cq1..cq4,fa1..fa5")}, out=str(tmp_path / "describe.docx"))
    emit(compare(data, by="role", items="cq1..cq4,fa1..fa5").tables(), out=str(tmp_path / "compare.xlsx"))
    for name in ("describe.docx", "compare.xlsx"):
        pdf = to_pdf(tmp_path / name, tmp_path)
        assert check_pdf(pdf, ("cq1", "fa1")) == []
