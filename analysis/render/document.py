"""What the writers render: a document of headings, paragraphs, display tables and figures.

A :class:`DisplayTable` holds the cells as values (numbers stay numbers, so Excel can keep them
numeric) and, per column, the *kind* of :mod:`analysis.render.apa` that formats them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from . import apa


@dataclass
class Column:
    header: str
    kind: str = "text"

    @property
    def align(self) -> str:
        return "l" if self.kind == "text" else "r"


@dataclass
class DisplayTable:
    """A table ready to show: a title, columns with kinds, rows of values, notes below."""

    name: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)

    def text_rows(self) -> list[list[str]]:
        """Every cell formatted as text (APA)."""
        fmts = [apa.formatter(c.kind) for c in self.columns]  # as apa.format_value(v, kind)
        return [[f(v) for f, v in zip(fmts, row)] for row in self.rows]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    style: str = ""  # "", "methods", "provenance", "note"


@dataclass
class Figure:
    """A chart: PNG bytes (Excel, Word) and/or SVG text (HTML), with a caption."""

    name: str
    caption: str
    png: bytes | None = None
    svg: str | None = None
    width_in: float = 6.5


#: Paper sizes (width, height) in inches; A4 unless asked otherwise.
PAPERS = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}


def check_paper(paper: str | None) -> str:
    """``a4`` or ``letter`` (case-insensitive); OptionError for anything else.

    >>> check_paper("Letter"), check_paper(None)
    ('letter', 'a4')
    """
    from coprod.instrument.errors import OptionError

    key = (paper or "a4").strip().lower()
    if key not in PAPERS:
        raise OptionError(f"{paper!r} is not a paper size (allowed: a4, letter)", param="paper")
    return key


#: The document's own words in English; :attr:`Document.words` gives them in another language.
ENGLISH_WORDS = {"table": "Table", "figure": "Figure", "note": "Note.", "provenance": "Provenance",
                 "report": "Report", "charts": "Charts", "page": "Page", "of": "of", "about": "About"}


def word_in(words, key: str) -> str:
    """``words[key]``, or the English word where ``words`` (a mapping, or None) has none.

    >>> word_in({"table": "Taulukko"}, "table"), word_in(None, "note")
    ('Taulukko', 'Note.')
    """
    return (words or {}).get(key) or ENGLISH_WORDS.get(key, key)


@dataclass
class Document:
    title: str
    blocks: list = field(default_factory=list)
    provenance: dict = field(default_factory=dict)
    #: ``a4`` or ``letter``: the page of Word documents and of printed workbooks.
    paper: str = "a4"
    #: Labels of the document's own furniture ("Table", "Figure", "Note.", "Provenance"), by the report's language.
    words: dict = field(default_factory=dict)
    #: ``point`` or ``comma``: how the writers write numbers (:func:`.apa.decimal_style`).
    decimal: str = "point"
    #: What fills in the figures' images still being drawn (a report's charts, drawn by a worker while the
    #: report's tables are written): called once, by :meth:`settle`, before a writer reads a figure.
    pending: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def settle(self) -> None:
        """Wait for the figures still being drawn (see :attr:`pending`); nothing once they are there."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending()

    def word(self, key: str) -> str:
        """One of the document's own words, in its language (English when not given)."""
        return word_in(self.words, key)

    def tables(self) -> list[DisplayTable]:
        return [b for b in self.blocks if isinstance(b, DisplayTable)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]
