"""Numbers with the decimal point (English) or the decimal comma (Finnish, Swedish reports).

The same APA rules in both styles: two decimals, p and r without the leading zero, ``< .001``; with
the comma the point becomes a comma, the bounds of an interval are separated by a semicolon and
thousands by a no-break space.  The minus sign and the symbols stay as they are.
"""
from __future__ import annotations

import pandas as pd
import pytest

from coprod.analysis.render import Document, apa, render_document
from coprod.analysis.render.document import Column, DisplayTable, Paragraph
from coprod.instrument.errors import OptionError

NBSP = "\u00a0"

# (function, arguments, with the point, with the comma)
CASES = [
    (apa.fmt_num, (3.14159,), "3.14", "3,14"),
    (apa.fmt_num, (-2.5,), "-2.50", "-2,50"),
    (apa.fmt_num, (-0.004,), "0.00", "0,00"),
    (apa.fmt_num, (1234.567,), "1234.57", f"1{NBSP}234,57"),
    (apa.fmt_num, (45.234, 1), "45.2", "45,2"),  # percentages (num1)
    (apa.fmt_r, (0.8312,), ".83", ",83"),
    (apa.fmt_r, (-0.05,), "-.05", "-,05"),
    (apa.fmt_r, (0.0123, 3), ".012", ",012"),
    (apa.fmt_p, (0.0341,), ".034", ",034"),
    (apa.fmt_p, (0.0004,), "< .001", "< ,001"),
    (apa.fmt_p, (1.0,), "1.000", "1,000"),
    (apa.fmt_int, (120,), "120", "120"),
    (apa.fmt_int, (1234,), "1234", f"1{NBSP}234"),
    (apa.fmt_int, (-1234567,), "-1234567", f"-1{NBSP}234{NBSP}567"),
    (apa.fmt_df, (2.0,), "2", "2"),
    (apa.fmt_df, (174.904,), "174.90", "174,90"),
    (apa.fmt_ci, (0.12, 0.34), "[0.12, 0.34]", "[0,12; 0,34]"),
    (apa.fmt_ci, (-0.52, 0.23), "[-0.52, 0.23]", "[-0,52; 0,23]"),
    (apa.fmt_ci, (0.12, 0.34, "r"), "[.12, .34]", "[,12; ,34]"),
    (apa.fmt_m_sd, (3.456, 1.0), "3.46 (1.00)", "3,46 (1,00)"),
]


@pytest.mark.parametrize("fn, args, point, comma", CASES)
def test_each_kind_in_both_styles(fn, args, point, comma):
    assert fn(*args) == point  # the point is the default
    with apa.decimal_style("point"):
        assert fn(*args) == point
    with apa.decimal_style("comma"):
        assert fn(*args) == comma
    assert fn(*args) == point  # the style ends with its block


@pytest.mark.parametrize("kind, value, point, comma", [
    ("int", 2500, "2500", f"2{NBSP}500"), ("num", 3.45, "3.45", "3,45"), ("num1", 45.24, "45.2", "45,2"),
    ("num3", 0.1234, "0.123", "0,123"), ("r", 0.034, ".03", ",03"), ("r3", -0.0341, "-.034", "-,034"),
    ("p", 0.0341, ".034", ",034"), ("p", 1e-5, "< .001", "< ,001"), ("df", 3.75, "3.75", "3,75"),
    ("text", 0.5, "0.50", "0,50"), ("text", "Welch's t test", "Welch's t test", "Welch's t test"),
])
def test_format_value_in_both_styles(kind, value, point, comma):
    assert apa.format_value(value, kind) == point
    with apa.decimal_style("comma"):
        assert apa.format_value(value, kind) == comma


def test_list_separator_and_missing_values():
    assert apa.list_sep() == ", "
    with apa.decimal_style("comma"):
        assert apa.list_sep() == "; "
        assert apa.fmt_num(None) == apa.fmt_p(float("nan")) == apa.fmt_ci(0.1, None) == ""


def test_check_decimal():
    assert apa.check_decimal(None, "fi") == apa.check_decimal(None, "sv") == "comma"
    assert apa.check_decimal(None, "en") == apa.check_decimal(None, None) == "point"
    assert apa.check_decimal("COMMA", "en") == "comma" and apa.check_decimal("point", "fi") == "point"
    with pytest.raises(OptionError) as e:
        apa.check_decimal("dot")
    assert e.value.param == "decimal"


def _doc(decimal: str) -> Document:
    t = DisplayTable("t", "Table", [Column("Group"), Column("n", "int"), Column("%", "num1"), Column("M", "num"),
                                    Column("r", "r"), Column("p", "p")],
                     [["A", 1234, 45.24, 3.456, 0.12, 0.0341], ["B", 12, 54.76, -1.0, -0.3, 0.0002]])
    return Document("Report", [Paragraph("Text."), t], decimal=decimal)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_documents_written_in_their_style(fmt):
    import html

    point, comma = (html.unescape(render_document(_doc(d), fmt)) for d in ("point", "comma"))
    for text in ("45.2", "3.46", ".12", ".034", "< .001", "-1.00", "-.30"):
        assert text in point
    for text in ("45,2", "3,46", ",12", ",034", "< ,001", "-1,00", "-,30", f"1{NBSP}234"):
        assert text in comma
    assert "45.2" not in comma and "3.46" not in comma
    assert apa.current_decimal() == "point"


def test_docx_written_in_its_style():
    import io

    import docx

    d = docx.Document(io.BytesIO(render_document(_doc("comma"), "docx")))
    cells = [c.text for tb in d.tables for row in tb.rows for c in row.cells]
    assert {"45,2", "3,46", ",12", ",034", "< ,001"} <= set(cells)


def test_xlsx_keeps_numbers_numeric():
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(render_document(_doc("comma"), "xlsx")))
    values = [c.value for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert 45.24 in values and 3.456 in values and 1234 in values  # numbers, shown in Excel's own locale
    assert "< ,001" in values  # text cells follow the style
    assert not [v for v in values if isinstance(v, str) and any(ch.isdigit() for ch in v) and "." in v
                and v.replace(".", "").replace("-", "").replace("<", "").strip().isdigit()]


def test_catalogue_numbers_follow_the_style():
    """The fixed numbers of a sentence (``p < .05``) too; the values filled in are formatted already."""
    from coprod.analysis.report.words import say

    assert "p < .05" in say("nr.not mcar", "fi", scales="x 1.2")
    with apa.decimal_style("comma"):
        assert say("nr.not mcar", "fi", scales="x 1.2") == say("nr.not mcar", "fi", scales="x 1.2")
        text = say("nr.not mcar", "sv", scales="x 1.2")
    assert "p < ,05" in text and "x 1.2" in text


def test_box_plot_axis_in_both_styles(monkeypatch):
    """The scores on the box plots' axis: in the SVG, and drawn into the PNG (the same text)."""
    import re

    import numpy as np
    from PIL import ImageDraw

    from coprod.analysis.report import charts

    x = np.array([1.0, 1.5, 2, 2.5, 3, 3.5, 2, 2.5, 3, 2.2])
    stats = charts.box_stats(x, np.zeros(len(x), dtype=int), ["All"])
    ticks = {d: re.findall(r">(-?\d+[.,]\d)<", charts.score_boxplots([("Scale", stats)], fmt="svg", min_cell=5,
                                                                      decimal=d)) for d in ("point", "comma")}
    assert ticks["point"] and ticks["comma"] == [t.replace(".", ",") for t in ticks["point"]]
    drawn = []
    real = ImageDraw.ImageDraw.text
    monkeypatch.setattr(ImageDraw.ImageDraw, "text", lambda self, xy, text, *a, **k: (drawn.append(text),
                                                                                      real(self, xy, text, *a, **k))[1])
    charts.score_boxplots([("Scale", stats)], fmt="png", min_cell=5, decimal="comma")
    assert [t for t in drawn if re.fullmatch(r"-?\d+[.,]\d", t)] == ticks["comma"]


def test_counts_in_sentences_and_headers():
    """Counts of a thousand or more, in the catalogue's sentences and the group headers, get the space."""
    from coprod.analysis.render.specs import descriptives_by_group
    from coprod.analysis.report.words import say

    assert say("m.sample", "fi", n=1234) == say("m.sample", "fi", n="1234")
    with apa.decimal_style("comma"):
        assert f"1{NBSP}234" in say("m.sample", "fi", n=1234) and "12" in say("m.sample", "fi", n=12)
        t = descriptives_by_group(pd.DataFrame({"variable": ["x"], "label": ["X"], "group": ["A"], "mean": [3.456],
                                                "sd": [1.0]}), None, {"A": 1500})
        cells = t.text_rows()[0]
    assert t.headers[-1] == f"A (n = 1{NBSP}500)" and "3,46 (1,00)" in cells


def test_table_cells_follow_the_style():
    """A table's cells (formatted a column at a time) are written as format_value writes them, in either style."""
    t = DisplayTable("t", "T", [Column("M", "num"), Column("n", "int"), Column("p", "p"), Column("%", "num1")],
                     [[3.14159, 1234, 0.0341, 45.234], [-0.004, 12, 0.0004, float("nan")]])
    assert t.text_rows() == [["3.14", "1234", ".034", "45.2"], ["0.00", "12", "< .001", ""]]
    with apa.decimal_style("comma"):
        assert t.text_rows() == [["3,14", f"1{NBSP}234", ",034", "45,2"], ["0,00", "12", "< ,001", ""]]
