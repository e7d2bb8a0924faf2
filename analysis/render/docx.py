"""Word documents (python-docx) with APA-style tables: number in bold, title in italics,
horizontal rules only, a note under the table; charts as pictures."""
from __future__ import annotations

import io
import re
from html import escape

from coprod.instrument.files import xml_text
from coprod.instrument.sheets import CharTable

from .document import PAPERS, DisplayTable, Document, Figure, Heading, Paragraph, check_paper, word_in


#: Margins (inches) on every side, and the table type size (points).
MARGIN_IN = 1.0
TABLE_PT = 9
#: Width of one character in ems, taken generously (as wide as DejaVu Sans, which stands in for Calibri
#: where it is not installed), and a cell's padding (points: Word's and LibreOffice's 0.08 inch each side).
CHAR_EM = 0.64
PAD_PT = 16


def _em(ch: str) -> float:
    """Width of a character, in ems."""
    return 0.8 if ch in "mwMW%" else 0.74 if ch.isupper() else 0.36 if ch in "iljtfr.,;:|!' []()" else CHAR_EM


_EMS = CharTable(_em)


def _ems(text: str) -> float:
    return sum(map(_EMS.__getitem__, text))


def text_width_pt(text: str, size: float = TABLE_PT, bold: bool = False) -> float:
    """Printed width of ``text`` (points), generous so that a cell this wide holds it on one line.

    >>> round(text_width_pt("Professional"), 1)
    59.9
    """
    return _ems(text) * size * (1.07 if bold else 1.0)


#: A line may break at a space only when the next character may begin a line: never before a closing
#: bracket or a punctuation mark such as the "." of ".83" (Unicode line breaking, UAX #14 rule LB13), which
#: keeps "[.75, .83]" and "p < .001" together in Word and LibreOffice.
_BREAK = re.compile(r"\s+(?![\s.,;:!?)\]}/%])")


def unbreakable(text: str) -> list[str]:
    """The pieces of ``text`` that a word processor keeps on one line.

    >>> unbreakable("[.75, .83] 13.18 (4.21)")
    ['[.75, .83]', '13.18', '(4.21)']
    """
    return [t for t in _BREAK.split(str(text).strip()) if t]


def column_widths(headers: list[str], rows: list[list[str]], avail_pt: float, size: float = TABLE_PT) -> list[float] | None:
    """Column widths (points) from the content: never narrower than the longest unbreakable piece of the
    column (so no word and no confidence interval is split), as wide as the longest cell where the page allows. None when even the longest words
    do not fit in ``avail_pt``.

    >>> w = column_widths(["Group", "n"], [["Professional", "12"]], 400)
    >>> w[0] >= text_width_pt("Professional") + PAD_PT
    True
    >>> column_widths(["x" * 200], [], 100) is None
    True
    """
    return _fitted(_column_ems(headers, rows), avail_pt, size)


def _column_ems(headers: list[str], rows: list[list[str]]) -> list[tuple[float, float, float]]:
    """Of each column, in ems: its longest unbreakable piece (set in bold), its header (bold) and its longest
    other cell; each distinct text measured once."""
    out = []
    for j, h in enumerate(headers):
        body = {r[j] for r in rows}
        tokens = {t for c in (h, *body) for t in unbreakable(c)} or {""}
        out.append((max(map(_ems, tokens)), _ems(h), max(map(_ems, body), default=0.0)))
    return out


def _fitted(ems: list[tuple[float, float, float]], avail_pt: float, size: float) -> list[float] | None:
    """:func:`column_widths` at ``size`` points from :func:`_column_ems` (as :func:`text_width_pt` would
    measure each text: the widest of a column is the widest text's width)."""
    mins = [piece * size * 1.07 + PAD_PT for piece, _, _ in ems]
    prefs = [max(max(head * size * 1.07, cell * size) + PAD_PT, m) for (_, head, cell), m in zip(ems, mins)]
    if sum(mins) > avail_pt:
        return None
    if sum(prefs) <= avail_pt:
        return prefs
    k = (avail_pt - sum(mins)) / (sum(prefs) - sum(mins))
    return [m + (p - m) * k for m, p in zip(mins, prefs)]


def _page(section, paper: str, landscape: bool) -> float:
    """Set ``section`` to the paper and orientation; returns the text width (points)."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Inches

    w, h = PAPERS[paper]
    if landscape:
        w, h = h, w
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Inches(w), Inches(h)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(MARGIN_IN))
    return text_width(paper, landscape)


def text_width(paper: str, landscape: bool) -> float:
    """Width (points) between the margins of a page of ``paper``.

    >>> round(text_width("a4", False), 2), text_width("letter", True)
    (451.44, 648.0)
    """
    w, h = PAPERS[paper]
    return ((h if landscape else w) - 2 * MARGIN_IN) * 72


def table_layout(t: DisplayTable, paper: str, rows: list[list[str]] | None = None) -> tuple[bool, float, list[float]]:
    """(landscape, type size, column widths in points) for ``t`` (``rows``: its :meth:`~DisplayTable.text_rows`
    where already made): portrait when it fits, landscape when only that fits, a smaller type (8, then 7
    points) as a last resort."""
    ems = _column_ems(t.headers, t.text_rows() if rows is None else rows)
    for landscape, size in ((False, TABLE_PT), (True, TABLE_PT), (True, 8), (True, 7)):
        widths = _fitted(ems, text_width(paper, landscape), size)
        if widths is not None:
            return landscape, size, widths
    n = len(t.columns)
    return True, 7, [text_width(paper, True) / max(n, 1)] * n


def _runs(text: str, size_half_pt: int) -> str:
    """The runs of a cell's text: line breaks and tabs as Word's own elements (as python-docx writes them)."""
    out = []
    for piece in re.split(r"(\n|\t)", xml_text(text)):
        if piece == "\n":
            out.append("<w:br/>")
        elif piece == "\t":
            out.append("<w:tab/>")
        elif piece:
            out.append(f'<w:t xml:space="preserve">{escape(piece, quote=False)}</w:t>')
    return f'<w:r><w:rPr><w:sz w:val="{size_half_pt}"/></w:rPr>{"".join(out)}</w:r>' if out else ""


def _table_element(t: DisplayTable, rows: list[list[str]], size: float, widths: list[float] | None):
    """The ``w:tbl`` of an APA table, written as XML text and parsed once (python-docx's cell objects take
    a hundred times as long for a table of a thousand cells): a rule above and below the table and under
    the header, the header row repeated on each page, rows never split, fixed widths (Word reads the
    cells, LibreOffice the grid), the header kept with the first rows and the last rows with the note."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    n = len(t.columns)
    widths = widths or [text_width("a4", False) / max(n, 1)] * n
    tw = [int(w * 20) for w in widths]
    jc = ["left" if c.align == "l" else "right" for c in t.columns]
    sz = int(round(size * 2))
    rule = '<w:{0} w:val="single" w:sz="{1}" w:space="0" w:color="000000"/>'
    nil = '<w:{0} w:val="nil"/>'
    out = [f"<w:tbl {nsdecls('w')}><w:tblPr>",
           f'<w:tblW w:type="dxa" w:w="{int(sum(widths) * 20)}"/>',
           "<w:tblBorders>", rule.format("top", 8), nil.format("left"), rule.format("bottom", 8),
           nil.format("right"), nil.format("insideH"), nil.format("insideV"), "</w:tblBorders>",
           '<w:tblLayout w:type="fixed"/>',
           '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
           'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
           *[f'<w:gridCol w:w="{w}"/>' for w in tw], "</w:tblGrid>"]
    last = len(rows)
    for i, values in enumerate([t.headers, *rows]):
        header = i == 0
        # the header with the first rows, the last rows with the note: never a header alone at a page foot
        keep = i < min(2, last) or (i >= last - 1 and (i < last or bool(t.notes)))
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>")
        for j, text in enumerate(values):
            borders = f"<w:tcBorders>{rule.format('bottom', 6)}</w:tcBorders>" if header else ""
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{tw[j]}" w:type="dxa"/>{borders}</w:tcPr>'
                       f'<w:p><w:pPr>{"<w:keepNext/>" if keep else ""}<w:spacing w:after="0"/>'
                       f'<w:jc w:val="{jc[j]}"/></w:pPr>{_runs(text, sz)}</w:p></w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return parse_xml("".join(out))


def add_table(d, t: DisplayTable, number: int, size: float = TABLE_PT, widths: list[float] | None = None,
              words=None, rows: list[list[str]] | None = None) -> None:
    """An APA table: number in bold and title in italics kept with the table, horizontal rules only, the
    header row repeated on each page, rows never split, widths from the content, a note below."""
    from docx.shared import Pt

    p = d.add_paragraph()
    p.add_run(f"{word_in(words, 'table')} {number}").bold = True
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.keep_with_next = True
    p = d.add_paragraph()
    p.add_run(xml_text(t.title)).italic = True
    p.paragraph_format.space_after = Pt(2)
    p.paragraph_format.keep_with_next = True
    rows = t.text_rows() if rows is None else rows
    d.element.body.insert_element_before(_table_element(t, rows, size, widths), "w:sectPr")
    if t.notes:
        p = d.add_paragraph()
        p.add_run(word_in(words, "note") + " ").italic = True
        p.add_run(xml_text(" ".join(t.notes))).font.size = Pt(size)


def picture_width(fig: Figure, text_in: float, paper: str) -> float:
    """Printed width (inches) of ``fig``: its own, at most the text width, and narrower still when the
    picture would be taller than a portrait page leaves under its label and above its caption (a tall
    panel of charts is never cut at the page's foot nor parted from its label).

    >>> import struct
    >>> png = b"\\x89PNG\\r\\n\\x1a\\n" + b"\\0" * 8 + struct.pack(">II", 1000, 2000)
    >>> picture_width(Figure("f", "", png=png, width_in=6.5), 6.27, "a4") < 4.5
    True
    """
    import struct

    width = min(fig.width_in, text_in)
    if fig.png and fig.png[:8] == b"\x89PNG\r\n\x1a\n" and len(fig.png) >= 24:
        w, h = struct.unpack(">II", fig.png[16:24])
        caption_in = 0.22 * (1 + len(fig.caption) // 80)
        room = PAPERS[paper][1] - 2 * MARGIN_IN - 0.5 - caption_in  # the label above, the caption below
        if w and h and width * h / w > room:
            width = room * w / h
    return width


def _picture(d, png: bytes, width, shape_id: int):
    """A new paragraph holding the picture ``png``, ``width`` wide: python-docx's ``add_picture``, the drawing's
    id given (python-docx searches the whole document for the next free id at each picture)."""
    from docx.oxml.shape import CT_Inline

    rId, image = d.part.get_or_add_image(io.BytesIO(png))
    cx, cy = image.scaled_dimensions(width, None)
    p = d.add_paragraph()
    p.add_run()._r.add_drawing(CT_Inline.new_pic_inline(shape_id, rId, image.filename, cx, cy))
    return p


def to_docx(doc: Document) -> bytes:
    """The document as .docx bytes: A4 (or ``doc.paper``) portrait, a landscape section for each table too
    wide for a portrait page."""
    import docx
    from docx.enum.section import WD_SECTION
    from docx.shared import Inches, Pt

    paper = check_paper(doc.paper)
    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    text_pt = _page(d.sections[0], paper, landscape=False)
    landscape_now = False
    if doc.title:
        d.add_heading(xml_text(doc.title), level=0)
    nt = nf = 0
    pic_id = None
    for b in doc.blocks:
        if isinstance(b, DisplayTable):
            nt += 1
            rows = b.text_rows()
            wide, size, widths = table_layout(b, paper, rows)
            if wide != landscape_now:
                # the first section itself when nothing is on its page yet, else a new one on a new page
                section = d.add_section(WD_SECTION.NEW_PAGE) if len(d.element.body) > 1 else d.sections[0]
                text_pt = _page(section, paper, landscape=wide)
                landscape_now = wide
            add_table(d, b, nt, size, widths, doc.words, rows)
            continue
        if landscape_now and (isinstance(b, Figure) or isinstance(b, Heading) and b.level <= 2):
            text_pt = _page(d.add_section(WD_SECTION.NEW_PAGE), paper, landscape=False)
            landscape_now = False
        if isinstance(b, Heading):
            h = d.add_heading(xml_text(b.text), level=min(b.level, 4))
            h.paragraph_format.keep_with_next = True
        elif isinstance(b, Paragraph):
            p = d.add_paragraph(xml_text(b.text))
            if b.style == "provenance":
                for r in p.runs:
                    r.font.size = Pt(8)
        elif isinstance(b, Figure) and _settled(doc, b).png:
            nf += 1
            p = d.add_paragraph()
            p.add_run(f"{doc.word('figure')} {nf}").bold = True
            p.paragraph_format.keep_with_next = True
            pic_id = d.part.next_id if pic_id is None else pic_id + 1
            _picture(d, b.png, Inches(picture_width(b, text_pt / 72, paper)), pic_id).paragraph_format.keep_with_next = True
            cap = d.add_paragraph()
            cap.add_run(xml_text(b.caption)).italic = True
    if doc.provenance:
        if landscape_now:
            _page(d.add_section(WD_SECTION.NEW_PAGE), paper, landscape=False)
        d.add_heading(doc.word("provenance"), level=2).paragraph_format.keep_with_next = True
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


def _settled(doc: Document, fig: Figure) -> Figure:
    """``fig`` once the document's figures are drawn (the tables before the first figure are written meanwhile)."""
    doc.settle()
    return fig
