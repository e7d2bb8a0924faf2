"""APA tables in Word, as the document's XML says them: rules above and below the table and under the
header only, the header row repeated on each page, no row split across pages, the header kept with the
first rows and the last rows with the note, fixed widths from the content, every cell's text whole."""
from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from coprod.analysis.render import render_document
from coprod.analysis.render.docx import TABLE_PT, table_layout
from coprod.analysis.render.document import Column, DisplayTable, Document

W = qn("w:val")


def _table(rows=6, notes=("A note.",)) -> DisplayTable:
    return DisplayTable("t", "Scores by group", [Column("Group"), Column("n", "int"), Column("M", "num")],
                        [[f"Group {i} & <others>", 10 + i, 3.14159 + i] for i in range(rows)], notes=list(notes))


def _tbl(t: DisplayTable):
    d = docx.Document(io.BytesIO(render_document(Document("R", [t]), "docx")))
    (table,) = d.tables
    return d, table


def test_cells_and_text_whole():
    t = _table()
    _, table = _tbl(t)
    assert [c.text for c in table.rows[0].cells] == ["Group", "n", "M"]
    assert [[c.text for c in r.cells] for r in table.rows[1:]] == t.text_rows()
    assert table.rows[1].cells[0].text == "Group 0 & <others>"
    sizes = {r.font.size.pt for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs}
    assert sizes == {TABLE_PT}


def test_rules_header_rows_and_keeping_together():
    t = _table(rows=6)
    _, table = _tbl(t)
    tbl = table._tbl
    borders = {e.tag.split("}")[1]: e.get(W) for e in tbl.tblPr.find(qn("w:tblBorders"))}
    assert borders == {"top": "single", "left": "nil", "bottom": "single", "right": "nil", "insideH": "nil",
                       "insideV": "nil"}
    trs = tbl.findall(qn("w:tr"))
    assert all(tr.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for tr in trs)
    assert [tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None for tr in trs] == [True] + [False] * 6
    header_rules = [tc.find(qn("w:tcPr")).find(qn("w:tcBorders")).find(qn("w:bottom")).get(W)
                    for tc in trs[0].findall(qn("w:tc"))]
    assert header_rules == ["single"] * 3
    kept = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs) for row in table.rows]
    # header and first data row kept with the next; the last two rows kept with the note
    assert kept == [True, True, False, False, False, True, True]
    _, table = _tbl(_table(rows=6, notes=()))
    kept = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs) for row in table.rows]
    assert kept == [True, True, False, False, False, True, False]


def test_fixed_widths_from_the_content():
    t = _table()
    _, table = _tbl(t)
    tbl = table._tbl
    _, _, widths = table_layout(t, "a4")
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    grid = [int(g.get(qn("w:w"))) for g in tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == [int(w * 20) for w in widths]
    for row in table.rows:
        assert [c.width.pt for c in row.cells] == [g / 20 for g in grid]
    assert int(tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == int(sum(widths) * 20)


def test_line_breaks_and_tabs_in_a_cell():
    t = DisplayTable("t", "T", [Column("A"), Column("B")], [["one\ntwo", "a\tb"]])
    _, table = _tbl(t)
    cell = table.rows[1].cells
    assert cell[0].text == "one\ntwo" and cell[1].text == "a\tb"
    run = cell[0].paragraphs[0].runs[0]._r
    assert run.find(qn("w:br")) is not None


def test_pictures_as_python_docx_adds_them():
    """A report's pictures are added with their drawing ids counted (python-docx searches the whole document
    for the next free id at each picture): the XML is python-docx's own ``add_picture`` to the byte."""
    from docx.shared import Inches
    from PIL import Image

    from coprod.analysis.render.docx import _picture

    pngs = []
    for size in ((40, 20), (30, 60)):
        buf = io.BytesIO()
        Image.new("RGB", size, "red").save(buf, format="PNG", dpi=(150, 150))
        pngs.append(buf.getvalue())
    theirs, ours = docx.Document(), docx.Document()
    for d in (theirs, ours):
        d.add_heading("Charts", level=1)
    pic_id = None
    for png in pngs:
        theirs.add_picture(io.BytesIO(png), width=Inches(3))
        pic_id = ours.part.next_id if pic_id is None else pic_id + 1
        _picture(ours, png, Inches(3), pic_id)
    assert ours.element.body.xml == theirs.element.body.xml
    assert [s.width for s in ours.inline_shapes] == [Inches(3)] * 2


def test_column_widths_are_those_of_each_text_measured_alone():
    """The widths are computed from each distinct text's width once a table (and scaled per type size); they
    equal the plain rule measured text by text: the widest unbreakable piece in bold, the widest cell (the
    header in bold), the page shared between them."""
    import random

    from coprod.analysis.render.docx import PAD_PT, column_widths, text_width_pt, unbreakable

    def plain(headers, rows, avail, size):
        mins, prefs = [], []
        for j, h in enumerate(headers):
            cells = [h] + [r[j] for r in rows]
            mins.append(max(text_width_pt(t, size, True) for c in cells for t in unbreakable(c) or [""]) + PAD_PT)
            prefs.append(max(max(text_width_pt(c, size, k == 0) for k, c in enumerate(cells)) + PAD_PT, mins[-1]))
        if sum(mins) > avail:
            return None
        if sum(prefs) <= avail:
            return prefs
        k = (avail - sum(mins)) / (sum(prefs) - sum(mins))
        return [m + (p - m) * k for m, p in zip(mins, prefs)]

    rng = random.Random(7)
    words = ["Professional", "(paid staff)", "[.75, .83]", "13.18 (4.21)", "p < .001", "Vapaaehtoinen", "", "M", ".81"]
    for _ in range(200):
        ncol = rng.randint(1, 6)
        headers = [" ".join(rng.sample(words, 2)) for _ in range(ncol)]
        rows = [[" ".join(rng.sample(words, rng.randint(0, 3))) for _ in range(ncol)] for _ in range(rng.randint(0, 8))]
        for avail in (100, 451.44, 697.9):
            for size in (9, 8, 7):
                assert column_widths(headers, rows, avail, size) == plain(headers, rows, avail, size)
