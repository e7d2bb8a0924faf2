"""The rendering layer: APA formatting, suppression, and every output format parsed back."""
from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.render import apa, emit, resolve_format, to_csv
from coprod.analysis.render.suppress import is_suppressed, suppress_table
from coprod.instrument.errors import OptionError, OutputExistsError


# ------------------------------------------------------------------------------ fixtures
def comparison_table():
    return pd.DataFrame({
        "variable": ["vert_acc", "trust"], "label": ["Vertical", "Trust"], "test": ["welch-anova", "kruskal"],
        "statistic": [14.8312, 3.0], "df": [np.nan, 2.0], "df1": [2.0, np.nan], "df2": [174.904, np.nan],
        "p": [0.00002, 0.0341], "p_adj": [0.00004, 0.0682], "adjust": ["holm", "holm"],
        "effsize": [0.0712, 0.012], "effsize_name": ["omega2", "epsilon2"], "ci_low": [0.021, np.nan],
        "ci_high": [0.151, np.nan], "n": [179, 300], "levene_f": [1.0, np.nan], "levene_p": [0.3, np.nan],
        "note": ["", ""], "warning": ["", ""]})


def desc_table():
    # Total 40 = 30 + 7 + 3: the group of 3 is hidden, and the group of 7 with it (Total - 30 = 10 would
    # otherwise give 3 away by subtraction).
    return pd.DataFrame({
        "variable": ["x"] * 4, "label": ["Felt"] * 4, "group": ["Total", "Professional", "Volunteer", "Service user"],
        "n": [40, 30, 7, 3], "missing": [0, 0, 0, 0], "mean": [3.25, 3.5, 2.75, 2.0], "sd": [1.0, 0.9, 1.1, 0.5],
        "se": [0.1, 0.1, 0.4, 0.3], "median": [3.0] * 4, "q1": [2.0] * 4, "q3": [4.0] * 4, "min": [1.0] * 4,
        "max": [5.0] * 4, "top_box": [np.nan] * 4})


def freq_table():
    rows = []
    for g, counts in (("Total", [5, 12, 23]), ("A", [3, 6, 11]), ("B", [2, 6, 12])):
        n = sum(counts)
        cum = 0
        for v, c in zip((1.0, 2.0, 3.0), counts):
            cum += c
            rows.append({"variable": "q", "group": g, "value": v, "label": {1.0: "No", 2.0: "Maybe", 3.0: "Yes"}[v],
                         "count": c, "percent": 100 * c / n, "valid_percent": 100 * c / n,
                         "cumulative_percent": 100 * cum / n, "is_missing": False})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ APA
@pytest.mark.parametrize("p, text", [(0.0341, ".034"), (0.0004, "< .001"), (0.001, ".001"), (0.0009999, "< .001"),
                                     (0.5, ".500"), (1.0, "1.000"), (np.nan, "")])
def test_apa_p(p, text):
    assert apa.fmt_p(p) == text


def test_apa_numbers():
    assert apa.fmt_r(0.8349) == ".83"
    assert apa.fmt_r(-0.051) == "-.05"
    assert apa.fmt_num(3.14159) == "3.14"
    assert apa.fmt_num(12) == "12.00"
    assert apa.fmt_df(174.904) == "174.90" and apa.fmt_df(2.0) == "2"
    assert apa.fmt_ci(0.021, 0.151, "r") == "[.02, .15]"
    assert apa.fmt_ci(-0.52, 0.23) == "[-0.52, 0.23]"
    assert apa.fmt_m_sd(3.456, 1.0) == "3.46 (1.00)"
    assert apa.effect_kind("omega2") == "r" and apa.effect_kind("cohens_d") == "num"


def test_resolve_format():
    assert resolve_format(None, "a.docx") == "docx"
    assert resolve_format("LaTeX", None) == "latex"
    with pytest.raises(OptionError):
        resolve_format(None, "a.pdf")
    with pytest.raises(OptionError):
        resolve_format("pdf", None)


# ------------------------------------------------------------------------------ suppression
def test_suppression_descriptives_complementary():
    t, k = suppress_table("descriptives", desc_table(), 5)
    assert k == 2
    hidden = [is_suppressed(v) for v in t["n"]]
    assert hidden == [False, False, True, True]
    assert is_suppressed(t.loc[2, "mean"]) and is_suppressed(t.loc[3, "sd"])
    assert t.loc[1, "mean"] == 3.5 and t.loc[0, "n"] == 40


def test_suppression_frequencies_within_and_across_groups():
    t, k = suppress_table("frequencies", freq_table(), 5)
    hidden = {(g, v) for g, v, c in zip(t["group"], t["value"], t["count"]) if is_suppressed(c)}
    # primary: A/No (3), B/No (2), Total... no: Total/No is 5, shown.  Within A: next smallest A/Maybe (6);
    # within B likewise B/Maybe (6).  Across groups each value then has two hidden cells.
    assert hidden == {("A", 1.0), ("B", 1.0), ("A", 2.0), ("B", 2.0)}
    # cumulative percents of the tables with a hidden cell are hidden too; the Total table is intact
    assert all(is_suppressed(v) for g, v in zip(t["group"], t["cumulative_percent"]) if g != "Total")
    assert t.loc[t["group"] == "Total", "count"].tolist() == [5, 12, 23]


def test_suppression_single_hidden_cell_gets_partner():
    f = freq_table()
    f.loc[(f.group == "B") & (f.value == 1.0), "count"] = 5  # only A/No (3) is small now
    t, _ = suppress_table("frequencies", f, 5)
    hidden = {(g, v) for g, v, c in zip(t["group"], t["value"], t["count"]) if is_suppressed(c)}
    assert ("A", 1.0) in hidden and ("A", 2.0) in hidden  # within A
    assert ("B", 1.0) in hidden  # across groups for the value No: Total - B would give A away


def test_suppression_off():
    t, k = suppress_table("descriptives", desc_table(), 0)
    assert k == 0 and t["n"].tolist() == [40, 30, 7, 3]


# ------------------------------------------------------------------------------ formats
def test_json_is_never_suppressed(tmp_path):
    out = tmp_path / "r.json"
    emit({"descriptives": desc_table()}, out=str(out))
    obj = json.loads(out.read_text())
    assert [r["n"] for r in obj["descriptives"]] == [40, 30, 7, 3]
    assert obj["descriptives"][0]["top_box"] is None
    assert obj["descriptives"][3]["mean"] == 2.0


def test_json_text_is_an_indented_json_dumps():
    """to_json writes exactly what json.dumps(..., indent=1) writes for the same values, whatever the dtypes."""
    from coprod.analysis.render import _json_value, to_json

    def reference(tables, meta=None):
        obj = {name: [{c: _json_value(v) for c, v in zip(df.columns, row)} for row in df.itertuples(index=False, name=None)]
               for name, df in tables.items()}
        if meta:
            obj["_meta"] = {k: _json_value(v) for k, v in meta.items()}
        return json.dumps(obj, ensure_ascii=False, indent=1)

    tables = {
        "mixed": pd.DataFrame({
            "s": ["a\n\"b}, {", None, "ö"], "i": pd.array([1, None, 3], dtype="Int64"), "f": [np.inf, -0.0, 1e-300],
            "n": np.array([1, 2, 3]), "b": [True, False, True], "t": pd.to_datetime(["2024-01-01", None, "2024-05-06"]),
            "o": [np.float64(2.5), np.int64(3), pd.NA], "st": pd.array(["x", None, "z"], dtype="string"),
            "nan": [np.nan, 1.0, np.nan]}),
        "empty": pd.DataFrame({"x": []}), "no_columns": pd.DataFrame(index=[0, 1]),
    }
    meta = {"version": "1", "notes": ["a", {"b": "c"}], "missing": float("nan"), "none": {}}
    for m in (None, {}, meta):
        assert to_json(tables, m) == reference(tables, m)
    assert to_json({}) == reference({}) and to_json({}, meta) == reference({}, meta)


def test_csv_suppressed_and_formula_safe():
    d = desc_table()
    d.loc[1, "label"] = "=cmd|' /C calc'!A0"
    text = to_csv({"descriptives": d}, min_cell=5)
    df = pd.read_csv(io.StringIO(text), comment="#")
    assert df["n"].astype(str).tolist() == ["40", "30", "..", ".."]
    assert df["label"][1].startswith("'=")
    assert text.rstrip().splitlines()[-1].startswith("# note: .. = not shown")
    assert "3.5" in text  # numbers keep full precision


def _xlsx(path):
    import openpyxl

    return openpyxl.load_workbook(path)


def test_xlsx(tmp_path):
    out = tmp_path / "r.xlsx"
    d = desc_table()
    d.loc[1, "label"] = "=HYPERLINK(\"http://x\")"
    emit({"tests": comparison_table(), "descriptives": d}, out=str(out))
    wb = _xlsx(out)
    assert wb.sheetnames == ["Comparisons", "Descriptives"]
    ws = wb["Comparisons"]
    values = {(c.row, c.column): c for row in ws.iter_rows() for c in row if c.value is not None}
    header = [ws.cell(3, j).value for j in range(1, 9)]
    assert header[:5] == ["Variable", "Test", "Statistic", "df", "p"]
    # p < .001 is text, .034 stays a number shown as .034
    assert ws.cell(4, 5).value == "< .001" and ws.cell(4, 5).data_type == "s"
    assert ws.cell(5, 5).value == pytest.approx(0.0341) and ws.cell(5, 5).number_format == ".000"
    assert ws.cell(4, 3).value == pytest.approx(14.8312) and ws.cell(4, 3).number_format == "0.00"
    assert ws.cell(4, 4).value == "2, 174.90"
    notes = [c.value for c in values.values() if isinstance(c.value, str) and c.value.startswith("Note.")]
    assert len(notes) == 1 and "Holm's method" in notes[0] and "Welch's ANOVA" in notes[0]
    ws = wb["Descriptives"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    formula = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert formula and formula[0].data_type == "s"
    assert sum(1 for c in cells if c.value == "..") >= 2
    assert any(isinstance(c.value, str) and "not shown to protect confidentiality" in c.value for c in cells)


def test_docx(tmp_path):
    import docx

    out = tmp_path / "r.docx"
    emit({"tests": comparison_table(), "descriptives": desc_table()}, out=str(out))
    d = docx.Document(str(out))
    assert len(d.tables) == 2
    t = d.tables[0]
    head = [c.text for c in t.rows[0].cells]
    assert head[:5] == ["Variable", "Test", "Statistic", "df", "p"]
    assert t.rows[1].cells[4].text == "< .001" and t.rows[2].cells[4].text == ".034"
    assert t.rows[1].cells[head.index("Effect size")].text == "ω² = .07 [.02, .15]"
    paras = [p.text for p in d.paragraphs]
    assert "Table 1" in paras and "Group comparisons" in paras
    assert any(p.startswith("Note. ") and "Holm's method" in p for p in paras)
    assert [c.text for c in d.tables[1].rows[4].cells][3] == ".."


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self.tables, self._in = [], 0, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables += 1
        self._in = tag in ("td", "th")

    def handle_data(self, data):
        if self._in:
            self.cells.append(data)

    def handle_endtag(self, tag):
        self._in = False


def test_html_md_latex(tmp_path):
    d = desc_table()
    d.loc[0, "label"] = "<script>alert(1)</script>"
    tables = {"tests": comparison_table(), "descriptives": d}
    emit(tables, out=str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    p = _Cells()
    p.feed(html)
    assert p.tables == 2 and "< .001" in p.cells and ".034" in p.cells and ".." in p.cells
    emit(tables, out=str(tmp_path / "r.md"))
    md = (tmp_path / "r.md").read_text()
    assert "| vert_acc | Welch's ANOVA | 14.83 | 2, 174.90 | < .001 | < .001 | ω² = .07 [.02, .15] | 179 |" in md
    emit({"frequencies": freq_table()}, out=str(tmp_path / "r.tex"))
    tex = (tmp_path / "r.tex").read_text()
    assert r"\toprule" in tex and r"\bottomrule" in tex and r"\%" in tex and "Valid \\%" in tex


def test_terminal_plain(capsys):
    emit({"tests": comparison_table()})
    out = capsys.readouterr().out
    assert "< .001" in out and ".034" in out and "Note." in out


def test_emit_errors(tmp_path):
    out = tmp_path / "r.csv"
    out.write_text("keep")
    with pytest.raises(OutputExistsError):
        emit({"t": desc_table()}, out=str(out))
    assert out.read_text() == "keep"
    with pytest.raises(OptionError):
        emit({"t": desc_table()}, fmt="xlsx")
    with pytest.raises(OptionError):
        emit({"t": desc_table()}, min_cell=-1)


def test_generic_table():
    from coprod.analysis.render.specs import display_table

    t = display_table("other", pd.DataFrame({"variable": ["a"], "p_value": [0.2], "n": [12.0], "ratio": [1.23456]}))
    assert t.text_rows() == [["a", ".200", "12", "1.23"]]
    assert t.title == "Other"


def test_plain_text_uses_the_documents_words():
    """A Finnish document's notes and provenance are not headed in English."""
    from coprod.analysis.render.document import Column, DisplayTable, Document
    from coprod.analysis.render.text import to_plain

    t = DisplayTable("x", "Taulukko", [Column("Ryhmä")], [["A"]], ["Huomautus."])
    doc = Document(title="Raportti", blocks=[t], provenance={"Aineisto": "x.sav"},
                   words={"note": "Huom.", "provenance": "Alkuperä"})
    text = to_plain(doc)
    assert "Huom. Huomautus." in text and "Alkuperä\n" in text
    assert "Note." not in text and "Provenance" not in text


def test_frequencies_show_the_variable_label_when_known():
    from coprod.analysis.render.context import RenderContext
    from coprod.analysis.render.specs import display_table

    plain = display_table("frequencies", freq_table())
    assert [c.header for c in plain.columns][:2] == ["Variable", "Group"]
    t = display_table("frequencies", freq_table(), RenderContext(variable_labels={"q": "Is it so?"}))
    assert [c.header for c in t.columns][:3] == ["Variable", "Label", "Group"]
    assert {r[1] for r in t.rows} == {"Is it so?"}
    assert [r[3] for r in t.rows[:4]] == ["No", "Maybe", "Yes", "Total"]


def test_top_box_headed_by_the_answer_scale():
    """The top box in the words of the items' answer scale: one scale names the column, several a note."""
    import coprod
    from coprod.analysis.render.context import RenderContext
    from coprod.analysis.render.specs import display_table
    from coprod.analysis.stats.common import top_box_labels
    from coprod.analysis.stats.descriptives import descriptives

    sim = coprod.simulated_responses(coprod.builtin(), n=60, seed=3)
    labels = top_box_labels(sim, ["cp_design", "cq1", "role"])
    assert labels == {"cp_design": "often or very often", "cq1": "somewhat agree or strongly agree"}
    assert top_box_labels(sim, ["cp_design"], "fi")["cp_design"].count(" tai ") == 1

    def header_and_note(items):
        t = display_table("descriptives", descriptives(sim, items=items), RenderContext(top_box_labels=labels))
        return [c.header for c in t.columns if c.header.startswith("%")], " ".join(t.notes)

    assert header_and_note("cp_design") == (["% often or very often"], header_and_note("cp_design")[1])
    assert "% often or very often: valid answers in the top two categories." in header_and_note("cp_design")[1]
    head, note = header_and_note("cp_design,cq1")
    assert head == ["% top box"] and "(often or very often; somewhat agree or strongly agree)" in note
    # the note names the scales of the items shown, not every scale the context knows
    t = display_table("descriptives", descriptives(sim, items="cp_design,cq1"),
                      RenderContext(top_box_labels={**labels, "other": "mostly or always"}))
    assert "(often or very often; somewhat agree or strongly agree)" in " ".join(t.notes)
    plain = display_table("descriptives", descriptives(sim, items="cq1"))  # scales not known: as before
    assert [c.header for c in plain.columns if c.header.startswith("%")] == ["% agree"]


def test_xlsx_chart_captions_wrap_across_the_picture():
    """A long caption wraps over the columns a picture spans: unwrapped, it widened the printed Charts
    sheet and every chart shrank to a fraction of the page."""
    import io

    import openpyxl

    from coprod.analysis.render import render_document
    from coprod.analysis.render.document import Document, Figure, Paragraph
    from coprod.analysis.render.xlsx import CHART_COLUMNS
    from coprod.analysis.report.raster import png

    pic = png('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200"><rect x="0" y="0" width="40" '
              'height="20" fill="#ff0000"/></svg>')
    doc = Document("R", [Paragraph("Text."), Figure("f", "A caption long enough to need three lines. " * 6, png=pic)])
    ws = openpyxl.load_workbook(io.BytesIO(render_document(doc, "xlsx")))["Charts"]
    assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{openpyxl.utils.get_column_letter(CHART_COLUMNS)}1"]
    assert ws["A1"].alignment.wrap_text and ws.row_dimensions[1].height >= 45
    assert ws.max_column <= CHART_COLUMNS


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html", "md"])
def test_figures_still_being_drawn_are_waited_for_once_the_tables_are_written(fmt):
    """A report's charts are drawn while its tables are written: the writers call the document's ``pending``
    once, Excel after its table sheets and Word at its first figure, and the figures are in the output."""
    import zipfile

    from coprod.analysis.render import render_document
    from coprod.analysis.render.document import Column, DisplayTable, Document, Figure, Paragraph
    from coprod.analysis.render import docx as _docx, xlsx as _xlsx
    from coprod.analysis.report.raster import png

    pic = png('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect x="0" y="0" width="20" '
              'height="20" fill="#ff0000"/></svg>')
    fig = Figure("f", "A chart.")
    table = DisplayTable("t", "Table", [Column("a", "num")], [[1.5], [2.5]])
    doc = Document("R", [Paragraph("Text."), table, fig])
    written = []
    real_table, real_add = _xlsx.write_table, _docx.add_table
    calls = []

    def drawn():
        calls.append(list(written))
        fig.png = pic

    doc.pending = drawn
    import unittest.mock as mock
    with mock.patch.object(_xlsx, "write_table", lambda *a, **k: written.append("t") or real_table(*a, **k)), \
            mock.patch.object(_docx, "add_table", lambda *a, **k: written.append("t") or real_add(*a, **k)):
        out = render_document(doc, fmt)
    assert len(calls) == 1 and doc.pending is None
    if fmt in ("xlsx", "docx"):
        assert calls[0] == ["t"]  # the table written before the wait
        assert any(n.endswith(".png") for n in zipfile.ZipFile(io.BytesIO(out)).namelist())
    else:
        assert "data:image/png;base64," in out
    doc.settle()  # once only
    assert len(calls) == 1


def test_records_are_the_rows_itertuples_gives():
    """The display tables take a frame's rows column by column (``tolist``): the same values of the same types
    as ``itertuples``, missing values of every kind included."""
    from coprod.analysis.render.specs_more import records

    df = pd.DataFrame({"s": pd.array(["a", None, "c"], dtype="string"), "i": pd.array([1, None, 3], dtype="Int64"),
                       "f": [1.5, np.nan, 2.0], "n": [1, 2, 3], "b": [True, False, True], "o": [1, "x", None],
                       "c": pd.Categorical(["u", "v", None]), "t": pd.to_datetime(["2020-01-01", None, "2021-05-06"])})
    df["dup"] = df["n"]
    want = list(df.itertuples(index=False, name=None))
    got = records(df)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert [type(v) for v in g] == [type(v) for v in w]
        assert all(a is b or a == b or (a != a and b != b) for a, b in zip(g, w))
    assert records(df[[]]) == [(), (), ()]
