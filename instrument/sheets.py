"""Printing an openpyxl worksheet: page setup and row heights that hold in Excel and LibreOffice alike.

Neither Excel (for rows it did not lay out itself) nor LibreOffice fits a row to wrapped text when it
opens a workbook, so every row with wrapped text gets an explicit height, computed from the column
widths and the text; and every sheet gets a page setup: A4 (or Letter), fitted to the page width,
landscape where wide, print titles, a header with the title and a footer with page numbers.
"""
from __future__ import annotations


#: Points per printed line of 11-point text (Calibri/Carlito line spacing, with a little room).
LINE_PT = 15.0
PAPER = {"a4": 9, "letter": 1}
#: Printable width of a portrait page in Excel character units at 100 % (A4 with the margins below).
PORTRAIT_CHARS = 95
#: The same of a landscape page.
LANDSCAPE_CHARS = 140
#: The widest a column may be and still print whole at 100 % on a portrait A4 or Letter page wherever it is
#: printed: LibreOffice without Calibri or Carlito measures column widths in DejaVu Sans digits (7 pt at
#: 11 pt), and the 509 pt between the margins of :func:`print_setup` hold 72 of them. Fitting to the page
#: width cannot shrink a sheet of one column: LibreOffice fits a sheet into the pages it needs at 100 %, and
#: one column needs one page across however wide it is, so its right part is cut off at the page edge.
ONE_PAGE_CHARS = 70
#: The same across a landscape page (756 pt, 108 digits).
ONE_PAGE_LANDSCAPE_CHARS = 104
#: The tallest row a landscape A4 page holds under a repeated header row (points): a row never breaks
#: across pages, and the part of a taller one below the page's foot is not printed.
LANDSCAPE_ROW_PT = 440.0
#: The tallest row Excel allows (points); it shows no more of a taller one.
EXCEL_ROW_PT = 409.0
#: The widest column Excel allows (characters).
EXCEL_COLUMN_CHARS = 255


#: How wide each character prints, in digit widths (the width of "0", the unit of column widths): the larger
#: of DejaVu Sans (what LibreOffice prints where Calibri and Carlito are missing) and Calibri, rounded up;
#: characters not listed are as wide as a digit. Letters with accents count as their base letter, East
#: Asian wide characters as two digits.
CHAR_WIDTHS = {ch: w for w, chars in (
    (0.44, "'"), (0.46, "il"), (0.48, "j"), (0.5, " ,.I"), (0.53, "/:;\\|"), (0.57, "-"), (0.61, "f"),
    (0.62, "()[]"), (0.63, "J"), (0.64, "!"), (0.67, "t"), (0.69, "r"), (0.73, '"'), (0.79, "*_`"), (0.82, "s"),
    (0.83, "z"), (0.84, "?"), (0.87, "c"), (0.88, "L"), (0.91, "F"), (0.92, "k"), (0.94, "vxy"), (0.97, "TYa"),
    (0.99, "e"), (1.02, "P"), (1.04, "Kbdhnopqu"), (1.08, "BXZ"), (1.1, "CR"), (1.15, "AV"), (1.22, "D"),
    (1.23, "&H"), (1.25, "G"), (1.28, "N"), (1.29, "U"), (1.31, "O"), (1.32, "#+<=>^~"), (1.33, "Q"), (1.42, "w"),
    (1.5, "%"), (1.58, "@m"), (1.69, "M"), (1.76, "W"),
) for ch in chars}
#: Bold type is wider (DejaVu Sans Bold by up to a quarter).
BOLD = 1.2
#: Room left in every line for what the estimate cannot know (kerning, a screen's rounding to whole pixels).
SLACK = 1.06


def char_width(ch: str) -> float:
    """The printed width of one character in digit widths (see :data:`CHAR_WIDTHS`).

    >>> char_width("i"), char_width("ä"), char_width("m"), char_width("漢")
    (0.46, 0.97, 1.58, 2.0)
    """
    w = CHAR_WIDTHS.get(ch)
    if w is not None:
        return w
    import unicodedata

    base = unicodedata.normalize("NFD", ch)[:1]
    if base in CHAR_WIDTHS:
        return CHAR_WIDTHS[base]
    return 2.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.0


class CharTable(dict):
    """``width(ch)`` of each character met so far: a text's width is ``sum(map(table.__getitem__, text))``, the
    characters looked up in a dict (a report measures tens of thousands of texts)."""

    def __init__(self, width):
        super().__init__()
        self.width = width

    def __missing__(self, ch: str) -> float:
        self[ch] = w = self.width(ch)
        return w


_WIDTHS = CharTable(char_width)


def text_width(text: str, bold: bool = False) -> float:
    """The printed width of ``text`` on one line, in digit widths."""
    return sum(map(_WIDTHS.__getitem__, text)) * (BOLD if bold else 1.0)


def wrapped_lines(text, width: float, size: float = 11, bold: bool = False) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (Excel units) at ``size`` points.

    Lines break between words, as Excel and LibreOffice break them, each character taking its own width
    (:data:`CHAR_WIDTHS`): an "i" a half, an "m" nearly two digits; a word longer than the line is split.

    >>> wrapped_lines("one two three", 20)
    1
    >>> wrapped_lines("one two three four five six seven", 12)
    4
    >>> wrapped_lines("a\\n\\nb", 10)
    3
    >>> wrapped_lines("Puuttuvan tiedon koodit", 24), wrapped_lines("Puuttuvan tiedon koodit", 24, bold=True)
    (1, 2)
    """
    room = max(1.0, (width - 1) * 11 / size / SLACK)
    space = char_width(" ") * (BOLD if bold else 1.0)
    total = 0
    for part in str(text if text is not None else "").split("\n"):
        lines, used = 1, 0.0
        for word in part.split(" "):
            w = text_width(word, bold)
            if used and used + space + w <= room:
                used += space + w
                continue
            if used:
                lines += 1
            used = w
            while used > room:  # a word longer than the line: split where the line ends
                lines += 1
                used -= room
        total += lines
    return total


def row_height(values, widths, size: float = 11, minimum: float = 15.0, bold: bool = False) -> float:
    """The height (points) a row needs so that each wrapped cell shows whole.

    >>> row_height(["short", "x " * 40], [10, 20])
    60.0
    """
    lines = max([wrapped_lines(v, w, size, bold) for v, w in zip(values, widths) if v not in (None, "")] or [1])
    return max(minimum, round(lines * LINE_PT * size / 11, 1))


def fit_rows(ws, first_row: int = 1, size: float = 11) -> None:
    """Give every row from ``first_row`` with wrapped text a height that shows it whole (up to Excel's
    tallest row, :data:`EXCEL_ROW_PT`: a column whose text needs more must be made wider).

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
        need[r] = max(need.get(r, 0.0), row_height([v], [width], fsize, bold=bool(font is not None and font.b)))
    for r, h in need.items():
        ws.row_dimensions[r].height = min(EXCEL_ROW_PT, max(h, ws.row_dimensions[r].height or 0))


def pages_wide(widths, repeated: float = 0.0, landscape: bool = True) -> int:
    """How many pages across a table of columns ``widths`` needs at 100 %, with ``repeated`` characters of
    print-title columns on every page.

    >>> pages_wide([13, 45, 45, 45, 45, 17, 45, 25, 14, 45, 24, 17], repeated=13)
    3
    """
    page = (LANDSCAPE_CHARS if landscape else PORTRAIT_CHARS) - repeated
    return max(1, -int(-(sum(widths) - repeated) // max(1.0, page)))


def print_setup(ws, title: str = "", *, paper: str = "a4", landscape: bool | None = None, title_rows: str | None = None,
                title_cols: str | None = None, fit_width: bool | int = True, footer_left: str = "", page_word: str = "Page",
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
    if fit_width:  # True: one page wide; a number: that many pages wide
        ws.page_setup.fitToWidth = 1 if fit_width is True else int(fit_width)
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
