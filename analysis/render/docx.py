"""Word documents (python-docx) with APA-style tables: number in bold, title in italics,
horizontal rules only, a note under the table; charts as pictures."""
from __future__ import annotations

import io

from coprod.instrument.files import xml_text

from .document import DisplayTable, Document, Figure, Heading, Paragraph


def _border(el, edges: dict) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = "w:tblBorders" if el.tag.endswith("tblPr") else "w:tcBorders"
    borders = el.find(qn(tag))
    if borders is None:
        borders = OxmlElement(tag)
        el.append(borders)
    for edge, size in edges.items():
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "single" if size else "nil")
        if size:
            e.set(qn("w:sz"), str(size))
            e.set(qn("w:color"), "000000")
        borders.append(e)


def add_table(d, t: DisplayTable, number: int) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = d.add_paragraph()
    p.add_run(f"Table {number}").bold = True
    p.paragraph_format.space_after = Pt(0)
    p = d.add_paragraph()
    p.add_run(xml_text(t.title)).italic = True
    p.paragraph_format.space_after = Pt(2)
    rows = t.text_rows()
    table = d.add_table(rows=1 + len(rows), cols=len(t.columns))
    tblPr = table._tbl.tblPr
    _border(tblPr, {"top": 8, "bottom": 8, "left": 0, "right": 0, "insideH": 0, "insideV": 0})
    align = [WD_ALIGN_PARAGRAPH.LEFT if c.align == "l" else WD_ALIGN_PARAGRAPH.RIGHT for c in t.columns]
    for i, row in enumerate(table.rows):
        values = t.headers if i == 0 else rows[i - 1]
        for j, (cell, text) in enumerate(zip(row.cells, values)):
            para = cell.paragraphs[0]
            run = para.add_run(xml_text(text))
            run.font.size = Pt(9)
            para.alignment = align[j]
            para.paragraph_format.space_after = Pt(0)
            if i == 0:
                _border(cell._tc.get_or_add_tcPr(), {"bottom": 6})
    if t.notes:
        p = d.add_paragraph()
        p.add_run("Note. ").italic = True
        p.add_run(xml_text(" ".join(t.notes))).font.size = Pt(9)


def to_docx(doc: Document) -> bytes:
    """The document as .docx bytes."""
    import docx
    from docx.shared import Inches, Pt

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    if doc.title:
        d.add_heading(xml_text(doc.title), level=0)
    nt = nf = 0
    for b in doc.blocks:
        if isinstance(b, DisplayTable):
            nt += 1
            add_table(d, b, nt)
        elif isinstance(b, Heading):
            d.add_heading(xml_text(b.text), level=min(b.level, 4))
        elif isinstance(b, Paragraph):
            p = d.add_paragraph(xml_text(b.text))
            if b.style == "provenance":
                for r in p.runs:
                    r.font.size = Pt(8)
        elif isinstance(b, Figure) and b.png:
            nf += 1
            p = d.add_paragraph()
            p.add_run(f"Figure {nf}").bold = True
            d.add_picture(io.BytesIO(b.png), width=Inches(min(b.width_in, 6.5)))
            cap = d.add_paragraph()
            cap.add_run(xml_text(b.caption)).italic = True
    if doc.provenance:
        d.add_heading("Provenance", level=2)
        for k, v in doc.provenance.items():
            p = d.add_paragraph(xml_text(f"{k}: {v}"))
            for r in p.runs:
                r.font.size = Pt(8)
    core = d.core_properties
    core.title = doc.title or ""
    core.author = "coprod"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
