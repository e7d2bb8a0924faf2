"""The report printed as a person would (see test_printed_documents.py): the Word and Excel report, in
English, Finnish (longer words) and Swedish, converted by LibreOffice and read back word by word. On every
page: A4, no two words printed over each other, every variable name shown and every word of the group
labels whole, and no confidence interval broken inside its cell. Skipped without LibreOffice or pdftotext; slow (three reports with charts, six conversions).
"""
from __future__ import annotations

import re

import pytest

from coprod import instrument
from pdf_pages import HAVE_TOOLS, check_pdf, labels_without_picture, read_pages, split_phrases, to_pdf

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAVE_TOOLS, reason="LibreOffice or pdftotext absent")]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from coprod.analysis.demo.simulate import simulated_responses
    from coprod.analysis.report import build_report

    d = tmp_path_factory.mktemp("printed-report")
    inst = instrument.builtin()
    sim = simulated_responses(inst, n=200, seed=7)
    out = {}
    for lang in ("en", "fi", "sv"):
        res = build_report(sim, instrument=inst, lang=lang, out=[d / f"r-{lang}.docx", d / f"r-{lang}.xlsx"],
                           progress=False)
        out[lang] = res
    return d, inst, out


def _whole(res, inst) -> tuple[str, ...]:
    """Scale names, the compared variables and each word of the group labels (as the report shows them)."""
    names = [str(v) for v in res.tables["tests"]["variable"]] if "tests" in res.tables else []
    names += [s for s in inst.scales if s not in names]
    sample = next(b for b in res.document.blocks if getattr(b, "name", "") == "sample")
    groups = [str(r[0]) for r in sample.rows]
    words = [w for g in groups for w in re.findall(r"[^\W\d_]{4,}", g)]
    return tuple(dict.fromkeys(names + words))


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_report_prints_clean(printed, lang, fmt, tmp_path):
    d, inst, reports = printed
    pdf = to_pdf(d / f"r-{lang}.{fmt}", tmp_path)
    whole = _whole(reports[lang], inst)
    assert len(whole) > 10
    assert check_pdf(pdf, whole) == []
    pages = read_pages(pdf)
    assert len(pages) > 2  # the whole report printed, not its first sheet's corner
    if fmt == "docx":
        phrases = _phrases(d / f"r-{lang}.docx")
        assert any(p.startswith("[") for p in phrases)  # confidence intervals among them
        assert split_phrases(pages, phrases) == []
        assert labels_without_picture(pdf, reports[lang].document.word("figure")) == []


def _phrases(path) -> dict[str, int]:
    """Pieces of the Word tables' cells that must print on one line, with the times each occurs: those
    with a space no line may break at, such as a confidence interval "[.75, .83]"."""
    from collections import Counter

    import docx
    from docx.table import _Cell

    from coprod.analysis.render.docx import unbreakable

    d = docx.Document(str(path))
    return dict(Counter(p for t in d.tables for r in t.rows for tc in r._tr.tc_lst
                        for p in unbreakable(_Cell(tc, t).text) if " " in p))
