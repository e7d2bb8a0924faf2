"""Printing an openpyxl worksheet: page setup and row heights that hold in Excel and LibreOffice alike.

Neither Excel (for rows it did not lay out itself) nor LibreOffice fits a row to wrapped text when it
opens a workbook, so every row with wrapped text gets an explicit height, computed from the column
widths and the text; and every sheet gets a page setup: A4 (or Letter), fitted to the page width,
landscape where wide, print titles, a header with the title and a footer with page numbers.
"""
from __future__ import annotations

import textwrap

#: Points per printed line of 11-point text (Calibri/Carlito line spacing, with a little room).
LINE_PT = 15.0
PAPER = {"a4": 9, "letter": 1}
#: Printable width of a portrait page in Excel character units at 100 % (A4 with the margins below).
PORTRAIT_CHARS = 95


def wrapped_lines(text, width: float, size: float = 11) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (Excel units) at ``size`` points.

    Words are never split, so a line holds whole words; an over-long word counts as its own lines.

    >>> wrapped_lines("one two three", 20)
    1
    >>> wrapped_lines("one two three four five six seven", 12)
    4
    >>> wrapped_lines("a\\n\\nb", 10)
    3
    """
    chars = max(1, int((width - 1) * 11 / size * 0.95))
    total = 0
    for part in str(text if text is not None else "").split("\n"):
        if len(part) <= chars:
            total += 1
            continue
        total += max(1, len(textwrap.wrap(part, chars, break_long_words=True, break_on_hyphens=False)))
    return total


def row_height(values, widths, size: float = 11, minimum: float = 15.0) -> float:
    """The height (points) a row needs so that each wrapped cell shows whole.

    >>> row_height(["short", "x " * 40], [10, 20])
    75.0
    """
    lines = max([wrapped_lines(v, w, size) for v, w in zip(values, widths) if v not in (None, "")] or [1])
    return max(minimum, round(lines * LINE_PT * size / 11, 1))


def fit_rows(ws, first_row: int = 1, size: float = 11) -> None:
    """Give every row from ``first_row`` with wrapped text a height that shows it whole.

    Merged cells count with the width of all the columns they span.
    """
    from openpyxl.utils import get_column_letter

    widths = {}
    for j in range(1, ws.max_column + 1):
        widths[j] = ws.column_dimensions[get_column_letter(j)].width or 8.43
    spans = {}
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = sum(widths.get(j, 8.43) for j in range(rng.min_col, rng.max_col + 1))
    wb = ws.parent
    need: dict = {}
    for (r, col), c in ws._cells.items():  # only the cells written, by their style ids (fast)
        v = c._value
        if r < first_row or not isinstance(v, str) or not v or getattr(c, "_style", None) is None:
            continue
        wrap = wb._alignments[c._style.alignmentId].wrap_text if wb is not None else True
        if not wrap and "\n" not in v:
            continue
        font = wb._fonts[c._style.fontId] if wb is not None else None
        fsize = font.sz if font is not None and font.sz else size
        width = spans.get((r, col), widths.get(col, 8.43))
        need[r] = max(need.get(r, 0.0), row_height([v], [width], fsize))
    for r, h in need.items():
        ws.row_dimensions[r].height = max(h, ws.row_dimensions[r].height or 0)


def print_setup(ws, title: str = "", *, paper: str = "a4", landscape: bool | None = None, title_rows: str | None = None,
                title_cols: str | None = None, fit_width: bool = True, footer_left: str = "", page_word: str = "Page",
                of_word: str = "of") -> None:
    """A4 (or Letter) page setup: fitted to the page width, landscape when the columns are wider than a
    portrait page (or as ``landscape`` says), print titles, the title in the header, page numbers in the footer.
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    if landscape is None:
        total = sum((ws.column_dimensions[get_column_letter(j)].width or 8.43) for j in range(1, ws.max_column + 1))
        landscape = total > PORTRAIT_CHARS
    ws.page_setup.paperSize = PAPER.get(paper, 9)
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.9, bottom=0.9, header=0.35, footer=0.35)
    header = str(title or "").replace("&", "&&")[:120]
    if header:
        ws.oddHeader.left.text = header
        ws.oddHeader.left.size = 9
    ws.oddFooter.center.text = f"{page_word} &P {of_word} &N"
    ws.oddFooter.center.size = 9
    if footer_left:
        ws.oddFooter.left.text = str(footer_left).replace("&", "&&")[:80]
        ws.oddFooter.left.size = 9
