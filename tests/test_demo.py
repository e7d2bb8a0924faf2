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


def test_rows_and_columns_within_excel_limits(demo):
    """Excel shows no row taller than 409 points and no column wider than 255 characters (its limits), so
    every workbook the demo writes keeps within them: a long text gets a wider column, not a taller row."""
    import openpyxl

    out, _, _ = demo
    books = sorted(out.rglob("*.xlsx"))
    assert len(books) >= 10
    over = []
    for path in books:
        for ws in openpyxl.load_workbook(path).worksheets:
            over += [(path.name, ws.title, r, d.height) for r, d in ws.row_dimensions.items()
                     if d.height is not None and d.height > 409]
            over += [(path.name, ws.title, c, d.width) for c, d in ws.column_dimensions.items()
                     if d.width is not None and d.width > 255]
    assert over == []


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


def test_report_says_whether_groups_compare_and_what_respondents_said(demo):
    """Both new sections, with the numbers of invariance() and themes_by_group() on the demo's own files."""
    from test_report_sections import Page, tables

    from coprod import instrument
    from coprod.analysis.coding.merge import load_coded
    from coprod.analysis.coding.run import link_data
    from coprod.analysis.coding.themes import themes_by_group
    from coprod.analysis.data.io import load_responses
    from coprod.analysis.data.scoring import score
    from coprod.analysis.demo.run import DEMO_MODULES
    from coprod.analysis.render import apa
    from coprod.analysis.report.build import _checked
    from coprod.analysis.stats.cfa import invariance

    out, res, _ = demo
    page = Page((out / "report.html").read_text(encoding="utf-8"))
    assert "Can the groups be compared?" in page.headings() and "What respondents said" in page.headings()
    inst = instrument.builtin(DEMO_MODULES)
    resp = score(_checked(load_responses(out / "responses.sav", inst), inst)[0], inst)
    fit = invariance(resp, by=inst.group_question, scale=["collab", "role_confl"]).fit
    (table,) = tables(page.section("Can the groups be compared?"))
    rows = {(r[0], r[1]): dict(zip(table["headers"], r)) for r in table["rows"]}
    for _, e in fit.iterrows():
        cell = rows[(resp.label(e["scale"]), e["model"].capitalize())]
        assert (cell["n"], cell["χ²"], cell["CFI"], cell["RMSEA"], cell["SRMR"]) == (
            apa.fmt_int(e["n"]), apa.format_value(e["chisq"], "num"), apa.format_value(e["cfi"], "r3"),
            apa.format_value(e["rmsea"], "r3"), apa.format_value(e["srmr"], "r3"))
    coders = sorted((out / "coding").glob("coder-*.xlsx"))
    groups, _ = link_data(resp, out / "coding" / "coding.key")
    themes = themes_by_group(load_coded(coders, inst).coded, inst, groups=groups).themes
    total = themes[themes["group"] == "Total"].set_index("label")
    shown = tables(page.section("What respondents said"))[0]
    assert len(shown["rows"]) == len(total) and len(coders) == 2
    for row in shown["rows"]:
        assert row[1:3] == [apa.fmt_int(total.loc[row[0], "n_mentioning"]), f"{total.loc[row[0], 'percent']:.1f}"]
