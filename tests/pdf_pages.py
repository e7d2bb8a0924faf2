"""Documents as a person sees them: converted to PDF by LibreOffice, read back word by word with their boxes.

``soffice --headless --convert-to pdf`` renders a .docx, .xlsx or .html as LibreOffice prints it;
``pdftotext -bbox`` gives every word with its box on its page. The checks: the page size, no two words
overlapping, and given words (variable names, group labels) present whole.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

A4 = (595.3, 841.9)
HAVE_TOOLS = bool(shutil.which("soffice") and shutil.which("pdftotext"))


@dataclass
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list


def to_pdf(path: Path, outdir: Path) -> Path:
    """``path`` converted by LibreOffice headless into ``outdir`` (its own profile, so runs do not clash)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(path)], check=True, capture_output=True, timeout=600)
    pdf = outdir / (path.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {path.name}"
    return pdf


def read_pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [Word(len(pages) + 1, html.unescape(w.group(5)), *map(float, w.group(1, 2, 3, 4)))
                 for w in re.finditer(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>',
                                      m.group(3))]
        pages.append(Page(len(pages) + 1, float(m.group(1)), float(m.group(2)), words))
    return pages


def overlaps(page: Page, tolerance: float = 1.0, share: float = 0.4) -> list[tuple[Word, Word]]:
    """Pairs of words printed over each other: boxes overlapping by more than ``tolerance`` points across and
    by more than ``share`` of the lower word's height down (a word's box is its font's full height, so the
    boxes of tightly set lines touch a little without any ink overlapping)."""
    found = []
    words = sorted(page.words, key=lambda w: w.y0)
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if b.y0 >= a.y1 - tolerance:
                break
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            if dx > tolerance and dy > share * min(a.y1 - a.y0, b.y1 - b.y0):
                found.append((a, b))
    return found


def check_pdf(pdf: Path, whole: tuple[str, ...] = (), paper=A4) -> list[str]:
    """Problems of a rendered document: pages not of ``paper``, overlapping words, words of ``whole`` that
    never appear whole (split across lines or cut at a cell border)."""
    problems = []
    pages = read_pages(pdf)
    if not pages:
        return [f"{pdf.name}: no pages"]
    for p in pages:
        size = sorted((p.width, p.height))
        if abs(size[0] - paper[0]) > 2 or abs(size[1] - paper[1]) > 2:
            problems.append(f"{pdf.name} page {p.number}: {p.width:.0f} x {p.height:.0f} pt, not {paper}")
        for a, b in overlaps(p)[:5]:
            problems.append(f"{pdf.name} page {p.number}: {a.text!r} overlaps {b.text!r} at ({a.x0:.0f}, {a.y0:.0f})")
    seen = {w.text.strip(".,;:()[]") for p in pages for w in p.words}
    for token in whole:
        if token not in seen:
            problems.append(f"{pdf.name}: {token!r} never appears whole")
    return problems


def lines_of(page: Page) -> list[list[Word]]:
    """Runs of words printed side by side on one baseline, a word space apart (one table cell's line, one
    line of a paragraph): a wider gap starts a new run."""
    runs: list[list[Word]] = []
    for w in sorted(page.words, key=lambda w: (round(w.y1), w.x0)):
        last = runs[-1][-1] if runs else None
        if last and abs(last.y1 - w.y1) < 1.0 and 0 <= w.x0 - last.x1 < 0.5 * (w.y1 - w.y0):
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def split_phrases(pages: list[Page], phrases: dict[str, int]) -> list[str]:
    """Phrases printed whole on one line fewer times than expected (``phrases``: text -> times it occurs in
    the document): a confidence interval such as "[.75, .83]" broken inside its cell shows here."""
    found = dict.fromkeys(phrases, 0)
    for p in pages:
        for run in lines_of(p):
            texts = [w.text for w in run]
            for phrase in phrases:
                k = len(phrase.split())
                found[phrase] += sum(" ".join(texts[i:i + k]) == phrase for i in range(len(texts) - k + 1))
    return [f"{ph!r} printed whole {found[ph]} of {n} times" for ph, n in phrases.items() if found[ph] < n]


def image_pages(pdf: Path) -> set[int]:
    """Numbers of the pages that show a picture (``pdfimages -list``)."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {int(line.split()[0]) for line in out.splitlines()[2:] if line.split() and line.split()[2] == "image"}


def labels_without_picture(pdf: Path, word: str) -> list[str]:
    """Figure labels ("Figure 3") printed on a page with no picture: the picture went on without its label
    (too tall for the page under it)."""
    pictures = image_pages(pdf)
    lonely = []
    for p in read_pages(pdf):
        for run in lines_of(p):
            if len(run) == 2 and run[0].text == word and run[1].text.isdigit() and p.number not in pictures:
                lonely.append(f"{pdf.name} page {p.number}: {word} {run[1].text} without its picture")
    return lonely


def sheet_words(xlsx: Path) -> Counter:
    """Every word of every cell of the visible sheets of a workbook, with the times it occurs."""
    from openpyxl import load_workbook

    words: Counter = Counter()
    wb = load_workbook(xlsx, read_only=False)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    words.update(_pieces(v))
    return words


def _pieces(text: str) -> list[str]:
    """Words, each split where a line may break inside it: after a hyphen or slash, and after a dollar sign
    (LibreOffice breaks the XPath ``if(${role} = '2', ...)`` of an XLSForm between ``if($`` and ``{role}``).

    >>> _pieces("if(${role} = '2', https://doi.org/10.1/x co-production")
    ['if($', '{role}', '=', "'2',", 'https:/', '/', 'doi.org/', '10.1/', 'x', 'co-', 'production']
    """
    return [p for w in text.split() for p in re.split(r"(?<=[-/$])", w) if p]


def clipped_words(xlsx: Path, pdf: Path) -> list[str]:
    """Words of the workbook's cells printed fewer times than they occur: text cut off at the bottom of a
    row too short for it (LibreOffice does not fit rows to their text). Headers, footers and repeated
    title rows only add words, so they never hide a clipped one that occurs there less often."""
    printed = Counter(piece for p in read_pages(pdf) for w in p.words for piece in _pieces(w.text))
    return [f"{w!r} printed {printed[w]} of {n} times" for w, n in sheet_words(xlsx).items() if printed[w] < n]
