"""Excel workbooks (openpyxl): one sheet per table, numbers kept numeric with APA number formats.

Text is always stored as text (:func:`instrument.files.set_cell`), so an answer such as
``=HYPERLINK(...)`` can never become a formula.  p-values below .001 are written as the text
``< .001``; suppressed cells as ``..``.
"""
from __future__ import annotations

import io
import re

from coprod.instrument.files import set_cell
from coprod.instrument.sheets import fit_rows, print_setup

from . import apa
from .document import DisplayTable, Document, Heading, Paragraph, word_in


#: Short sheet names of the known tables (Excel allows 31 characters).
SHEET_NAMES = {"sample": "Sample", "descriptives": "Descriptives", "descriptives_by_group": "Scale scores",
               "frequencies": "Frequencies", "reliability": "Reliability", "item_total": "Item-total",
               "tests": "Comparisons", "posthoc": "Post hoc", "group_stats": "Group statistics",
               "effect_sizes": "Effect sizes", "validation_summary": "Data check", "validation": "Problems",
               "coefficients": "Coefficients", "thresholds": "Thresholds", "model_fit": "Model fit",
               "model_terms": "Model terms", "proportional_odds": "Proportional odds", "superiority": "Superiority"}


def _sheet_name(title: str, used: set) -> str:
    base = re.sub(r"[\[\]:*?/\\']", " ", title)[:31].strip() or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name = base[:31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name


def write_table(ws, t: DisplayTable, start_row: int = 1, number: int | None = None, words=None) -> int:
    """Write ``t`` into ``ws`` from ``start_row``; returns the next free row.

    The note is wrapped across the table's width (its row as high as the text needs), so it prints whole.
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    bold = Font(bold=True)
    thick = Side(style="medium")
    thin = Side(style="thin")
    head_fill = PatternFill("solid", fgColor="E8ECEF")
    right = Alignment(horizontal="right")
    r = start_row
    if number:
        set_cell(ws.cell(r, 1), f"{word_in(words, 'table')} {number}").font = bold
        r += 1
    c = set_cell(ws.cell(r, 1), t.title)
    c.font = Font(italic=True, bold=number is None)
    c.alignment = Alignment(wrap_text=True, vertical="top")
    title_row = r
    r += 1
    for j, col in enumerate(t.columns, 1):
        cell = set_cell(ws.cell(r, j), col.header)
        cell.font = bold
        cell.fill = head_fill
        cell.border = Border(top=thick, bottom=thin)
        if col.align == "r":
            cell.alignment = right
    header_row = r
    r += 1
    kinds = [col.kind for col in t.columns]
    fmts = [apa.EXCEL_FORMATS.get(k, "General") for k in kinds]
    for row in t.rows:
        for j, (v, k) in enumerate(zip(row, kinds), 1):
            cell = ws.cell(r, j)
            if isinstance(v, str):
                set_cell(cell, v)
                if k != "text":
                    cell.alignment = right
            elif apa.is_missing(v):
                continue
            elif k == "p" and float(v) < 0.001:
                set_cell(cell, apa.fmt_p(v))
                cell.alignment = right
            elif k == "text":
                set_cell(cell, apa.format_value(v, k))
            elif hasattr(v, "item"):
                cell.value = v.item()
                cell.number_format = fmts[j - 1]
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                cell.value = v
                cell.number_format = fmts[j - 1]
            else:
                set_cell(cell, str(v))
        r += 1
    for j in range(1, len(t.columns) + 1):
        ws.cell(r - 1 if r - 1 > header_row else header_row, j).border = Border(bottom=thick)
    note_row = None
    if t.notes:
        cell = set_cell(ws.cell(r, 1), word_in(words, "note") + " " + " ".join(t.notes))
        cell.font = Font(italic=False, size=9)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        note_row = r
        r += 1
    _fit_columns(ws, t, header_row)
    if len(t.columns) > 1:
        for row in (title_row, note_row):
            if row is not None:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(t.columns))
    ws.freeze_panes = ws.cell(header_row + 1, 1) if start_row == 1 else ws.freeze_panes
    return r + 1


def _fit_columns(ws, t: DisplayTable, header_row: int) -> None:
    """Column widths from the text, capped at 60 characters; longer text wraps (``fit_rows`` then gives
    its row the height)."""
    from openpyxl.styles import Alignment

    texts = t.text_rows()
    for j, col in enumerate(t.columns, 1):
        width = max([len(col.header)] + [len(x[j - 1]) for x in texts[:500]]) + 2
        letter = ws.cell(header_row, j).column_letter
        cur = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(cur, min(width, 60))
        if width > 60:  # text longer than the widest column wraps (fit_rows then gives its row the height)
            for i in range(header_row + 1, header_row + 1 + len(t.rows)):
                cell = ws.cell(i, j)
                if isinstance(cell.value, str) and len(cell.value) > 58:
                    cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=cell.alignment.horizontal)


def _print_setup(ws, doc: Document, title: str | None = None, **how) -> None:
    """The sheet printed on the document's paper, with its title and page numbers in its language."""
    print_setup(ws, doc.title if title is None else title, paper=doc.paper, page_word=doc.word("page"),
                of_word=doc.word("of"), **how)


def _report_sheet(first, doc: Document, used: set) -> None:
    """The first sheet of a report: title, headings, text, the sample table, provenance; printed A4 portrait."""
    from openpyxl.styles import Alignment, Font

    first.title = _sheet_name(doc.word("report"), used)
    r = 1
    set_cell(first.cell(r, 1), doc.title).font = Font(bold=True, size=14)
    r += 2
    first.column_dimensions["A"].width = 90
    for b in doc.blocks:
        if isinstance(b, Heading):
            set_cell(first.cell(r, 1), b.text).font = Font(bold=True, size=12)
            r += 1
        elif isinstance(b, Paragraph):
            cell = set_cell(first.cell(r, 1), b.text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            r += 2
        elif isinstance(b, DisplayTable) and b.name == "sample":
            r = write_table(first, b, r, words=doc.words)
    if doc.provenance:
        set_cell(first.cell(r, 1), doc.word("provenance")).font = Font(bold=True, size=12)
        r += 1
        for k, v in doc.provenance.items():
            set_cell(first.cell(r, 1), f"{k}: {v}").alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    fit_rows(first)
    _print_setup(first, doc, landscape=False)


#: Columns of the "Charts" sheet a caption spans: together as wide as a picture.
CHART_COLUMNS = 9


def to_xlsx(doc: Document) -> bytes:
    """The document as an .xlsx workbook (bytes).

    Tables-only documents get one sheet per table; a report gets a first "Report" sheet
    (title, text, sample), a sheet per table and a "Charts" sheet with the figures.
    """
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as XLImage
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    used: set = set()
    tables = doc.tables()
    figures = doc.figures()
    text_blocks = [b for b in doc.blocks if isinstance(b, (Heading, Paragraph))]
    first = wb.active
    if text_blocks or figures:
        _report_sheet(first, doc, used)
        sheet_tables = tables
    else:
        first.title = _sheet_name(SHEET_NAMES.get(tables[0].name, tables[0].title), used) if tables else "Table"
        sheet_tables = tables
    for i, t in enumerate(sheet_tables, 1):
        if i == 1 and not (text_blocks or figures):
            ws = first
        else:
            ws = wb.create_sheet(_sheet_name(SHEET_NAMES.get(t.name, t.title), used))
        write_table(ws, t, 1, number=i, words=doc.words)
        fit_rows(ws)
        _print_setup(ws, doc, doc.title or t.title, title_rows="3:3")
    if figures:
        doc.settle()  # the charts, drawn meanwhile
        ws = wb.create_sheet(_sheet_name(doc.word("charts"), used))
        r = 1
        for n, f in enumerate(figures, 1):
            if not f.png:
                continue
            # the caption wrapped across the picture's width (unwrapped, it would widen the printed sheet
            # and shrink every chart to fit the page)
            cap = set_cell(ws.cell(r, 1), f"{doc.word('figure')} {n}. {f.caption}")
            cap.font, cap.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=CHART_COLUMNS)
            img = XLImage(io.BytesIO(f.png))
            scale = 640 / img.width if img.width > 640 else 1.0
            img.width, img.height = int(img.width * scale), int(img.height * scale)
            ws.add_image(img, f"A{r + 1}")
            r += int(img.height / 20) + 4
        for j in range(1, CHART_COLUMNS + 1):  # together as wide as a picture (640 pixels)
            ws.column_dimensions[get_column_letter(j)].width = 10
        fit_rows(ws)
        _print_setup(ws, doc, landscape=False)
    if doc.provenance and not (text_blocks or figures):
        ws = wb.create_sheet(_sheet_name(doc.word("about"), used))
        for r, (k, v) in enumerate(doc.provenance.items(), 1):
            set_cell(ws.cell(r, 1), str(k))
            set_cell(ws.cell(r, 2), str(v))
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 72
        for row in ws.iter_rows():
            row[1].alignment = Alignment(wrap_text=True, vertical="top")
        fit_rows(ws)
        _print_setup(ws, doc, landscape=False)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
