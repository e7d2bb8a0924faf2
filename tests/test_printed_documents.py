"""Every document coprod writes, printed as a person would: LibreOffice headless turns it into PDF, and
``pdftotext -bbox`` reads each word with its box. On every page: A4, no two words printed over each
other, and every variable name and group label whole (never split across lines or cut at a cell edge).
Skipped without LibreOffice; slow (about a minute per batch of documents)."""
from __future__ import annotations

import pytest

from coprod import instrument
from coprod.instrument.forms import write_forms
from pdf_pages import A4, HAVE_TOOLS, check_pdf, read_pages, to_pdf

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAVE_TOOLS, reason="LibreOffice or pdftotext absent")]


def _names(inst) -> tuple[str, ...]:
    return tuple(v.name for v in inst.variables[:40])


@pytest.fixture(scope="module")
def forms_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("forms")
    inst = instrument.builtin()
    write_forms(inst, out, langs=["en"])
    return inst, out


@pytest.mark.parametrize("pattern", ["questionnaire_en.xlsx", "codebook_en.xlsx", "entry.xlsx", "xlsform.xlsx", "interview_guide_en.docx"])
def test_forms_print_clean(forms_dir, pattern, tmp_path):
    inst, out = forms_dir
    files = sorted(out.glob(pattern))[:2]
    assert files, f"no {pattern} among {sorted(p.name for p in out.iterdir())}"
    for f in files:
        pdf = to_pdf(f, tmp_path)
        questions = tuple(q.name for s in inst.sections for q in s.questions if q.type != "note")
        whole = _names(inst) if "codebook" in f.name else questions if "questionnaire" in f.name else ()
        assert check_pdf(pdf, whole) == []


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
