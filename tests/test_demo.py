"""coprod demo: every file written, the mistakes found, formula-looking text kept as text, fast."""
from __future__ import annotations

import time

import pytest

from coprod.analysis.demo import run_demo
from coprod.analysis.demo.simulate import FORMULA_TEXT
from coprod.instrument.errors import OutputExistsError

pytestmark = pytest.mark.slow  # the whole job: forms in three languages, 300 respondents, the report three times


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "coprod-demo"
    t = time.perf_counter()
    res = run_demo(out, progress=False)
    return out, res, time.perf_counter() - t


def test_files(demo):
    out, res, seconds = demo
    for name in ("responses.sav", "responses-entry.xlsx", "responses-checked.sav", "data-check.xlsx",
                 "report.html", "report.xlsx", "report.docx"):
        assert (out / name).stat().st_size > 1000, name
    assert (out / "forms" / "xlsform.xlsx").exists()
    assert all(p.exists() for p in res.files)


def test_summary_lines(demo):
    out, res, _ = demo
    text = "\n".join(res.lines)
    assert "simulated 300 respondents" in text
    assert "read back the data-entry workbook: 300 rows" in text
    assert "3 problems" in text and "invalid_code" in text and "not_asked" in text and "out_of_range" in text


def test_formula_text_stays_text(demo):
    import openpyxl

    out, _, _ = demo
    ws = openpyxl.load_workbook(out / "responses-entry.xlsx")["Data"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == FORMULA_TEXT]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_sav_readable_by_pyreadstat(demo):
    import pyreadstat

    out, _, _ = demo
    df, meta = pyreadstat.read_sav(str(out / "responses.sav"), user_missing=True)
    assert len(df) == 300
    assert meta.variable_value_labels["role"][1.0]


def test_no_overwrite_without_force(demo):
    out, _, _ = demo
    before = (out / "report.html").read_bytes()
    with pytest.raises(OutputExistsError):
        run_demo(out)
    assert (out / "report.html").read_bytes() == before


def test_report_shows_the_conciliation_module_and_new_scales(demo):
    out, res, seconds = demo
    html = (out / "report.html").read_text(encoding="utf-8")
    for label in ("Vertical accountability", "Diagonal accountability", "Horizontal accountability",
                  "Role ambiguity", "Role conflict", "Trust, competence", "Trust, benevolence", "Trust, integrity",
                  "Impartiality of the mediators", "Confidentiality of conciliation"):
        assert label in html, label
