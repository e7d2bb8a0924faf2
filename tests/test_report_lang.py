"""The report in Finnish and Swedish: every key of the catalogue has all three languages, and a report
built in fi/sv shows no English sentence (no word of the English catalogue entries that the Finnish
and Swedish entries do not use too); the HTML report's figures have distinct captions.

The scan covers what the report writes itself: the title, headings, paragraphs, figure captions,
table titles, column headers, notes and the cells that name tests, totals and data problems. The
respondents' own answers (the simulated quotes are English) and the questionnaire's labels are data.
Charts are replaced by empty ones (their captions are still written).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from coprod import instrument
from coprod.analysis.render.document import DisplayTable, Figure, Heading, Paragraph
from coprod.analysis.report import build_report, words, words_texts

SEED = 20240601
pytestmark = pytest.mark.slow  # three reports of 300 respondents with the CFA of each scale


def test_every_phrase_has_three_languages():
    missing = [k for k, forms in words.PHRASES.items() if not all(forms.get(x) for x in ("en", "fi", "sv"))]
    assert missing == []
    for table in (words.HEADERS, words_texts.TITLES, words_texts.TERMS, words_texts.SENTENCES,
                  words_texts.PATTERNS, words_texts.PROVENANCE, words_texts.CELL_NOTES):
        assert [k for k, forms in table.items() if not all(forms.get(x) for x in ("fi", "sv"))] == []


def test_placeholders_agree():
    """A phrase fills in the same values in every language."""
    for key, forms in {**words.PHRASES}.items():
        names = {x: set(re.findall(r"{(\w+)}", forms[x])) for x in ("en", "fi", "sv")}
        assert names["fi"] == names["en"] == names["sv"], key
    for pattern, forms in {**words_texts.PATTERNS, **words_texts.CELL_NOTES}.items():
        groups = set(re.findall(r"\?P<(\w+)>", pattern))
        assert set(re.findall(r"{(\w+)}", forms["fi"])) == groups == set(re.findall(r"{(\w+)}", forms["sv"]))


def _words(text: str) -> set[str]:
    """Lower-case words of ``text`` (not its placeholders, nor names such as ``conc_kept``)."""
    found = re.findall(r"[\w'’]+", re.sub(r"{\w+}", " ", text))
    return {w.lower().split("'")[0].split("’")[0] for w in found if re.fullmatch(r"[^\W\d_]+(['’]s)?", w)}


def english_words() -> set[str]:
    """Words of four letters or more in the English entries that no Finnish or Swedish entry uses."""
    en, other = set(), set()
    for forms in words.PHRASES.values():
        en |= _words(forms["en"])
        other |= _words(forms["fi"]) | _words(forms["sv"])
    for table in (words.HEADERS, words_texts.TITLES, words_texts.TERMS, words_texts.SENTENCES,
                  words_texts.PROVENANCE):
        for text, forms in table.items():
            en |= _words(text)
            other |= _words(forms["fi"]) | _words(forms["sv"])
    for pattern, forms in words_texts.CELL_NOTES.items():
        en |= _words(re.sub(r"\(\?P<\w+>[^)]*\)|\\.", " ", pattern))
        other |= _words(forms["fi"]) | _words(forms["sv"])
    return {w for w in en - other if len(w) >= 4}


def test_english_word_list_is_meaningful():
    found = english_words()
    assert {"respondents", "missing", "group", "scale", "comparisons", "reliability"} <= found
    assert "rmsea" not in found and "chen" not in found  # names and symbols stay as they are


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    from coprod.analysis.demo.coding import simulate_coding
    from coprod.analysis.demo.simulate import simulated_responses
    from coprod.analysis.report import charts

    d = tmp_path_factory.mktemp("lang")
    inst = instrument.builtin(("conciliation",))
    sim = simulated_responses(inst, n=300, seed=SEED)
    coded = simulate_coding(sim, inst, d / "coding", SEED)
    mp = pytest.MonkeyPatch()
    def empty(*a, fmt="png", **k):  # an empty chart of the kind asked for (SVG text for HTML)
        return "<svg xmlns='http://www.w3.org/2000/svg'/>" if fmt == "svg" else b"\x89PNG"

    mp.setattr(charts, "likert_chart", lambda lc, title="", fmt="png", *a, **k: empty(fmt=fmt))
    mp.setattr(charts, "score_boxplots", lambda panels, fmt="png", *a, **k: empty(fmt=fmt))
    out = {}
    try:
        for lang in ("en", "fi", "sv"):
            res = build_report(sim, instrument=inst, lang=lang, coded=coded, out=d / f"r-{lang}.html", progress=False)
            out[lang] = res, (d / f"r-{lang}.html").read_text(encoding="utf-8")
    finally:
        mp.undo()
    return out


def _report_text(doc) -> list[str]:
    """What the report writes itself (not the respondents' answers, variable names or value labels)."""
    out = [doc.title, *doc.provenance]
    for b in doc.blocks:
        if isinstance(b, (Heading, Paragraph)):
            out.append(b.text)
        elif isinstance(b, Figure):
            out.append(b.caption)
        elif isinstance(b, DisplayTable):
            out += [b.title, *b.notes, *(c.header for c in b.columns)]
            named = [i for i, c in enumerate(b.columns) if c.header in {"Test", "Testi", "Method", "Menetelmä",
                                                                        "Metod", "Meaning", "Merkitys", "Betydelse"}]
            out += [str(r[i]) for r in b.rows for i in named]
            notes = [i for i, c in enumerate(b.columns) if c.header in {"Note", "Huom.", "Anm."}]
            out += [str(r[i]) for r in b.rows for i in notes]
    return [t for t in out if t]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_english_sentence(reports, lang):
    english = english_words()
    res, _ = reports[lang]
    found = {}
    for text in _report_text(res.document):
        hits = _words(text) & english
        if hits:
            found[text[:80]] = sorted(hits)
    assert found == {}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_html_headings_and_notes_not_english(reports, lang):
    """The page itself: headings, captions, notes and table headers (cells are data) hold no English word."""
    english = english_words()
    _, html = reports[lang]
    page = _Text()
    page.feed(html)
    hits = {w for t in page.texts for w in _words(t) & english}
    assert hits == set()


def test_english_report_unchanged_in_kind(reports):
    res, _ = reports["en"]
    text = " ".join(_report_text(res.document))
    assert "The analysis included 300 respondents" in text and "Respondents by" in text


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_figure_captions_distinct(reports, lang):
    res, html = reports[lang]
    captions = [b.caption for b in res.document.blocks if isinstance(b, Figure)]
    titles = [c.split(":")[0].split(".")[0] for c in captions]
    assert len(captions) > 5
    assert len(set(captions)) == len(captions) and len(set(titles)) == len(titles)
    shown = re.findall(r"<figcaption>(.*?)</figcaption>", html, flags=re.S)
    assert len(shown) == len(captions) and len(set(shown)) == len(shown)


class _Text(HTMLParser):
    """Text of headings, figure captions, table captions, header cells and notes (no data cells)."""

    TAGS = {"h1", "h2", "h3", "figcaption", "caption", "th", "p"}

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._stack.append(tag)

    def handle_endtag(self, tag):
        while self._stack and self._stack.pop() != tag:
            pass

    def handle_data(self, data):
        if self._stack and self._stack[-1] in self.TAGS or "figcaption" in self._stack or "caption" in self._stack:
            if data.strip():
                self.texts.append(data)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_data_check_details_in_language(lang):
    """The data check's details ("expected 1, 2, 3 or missing -9", "kept as it is") in the report's language."""
    from coprod.analysis.data.validate import validate
    from coprod.analysis.demo.simulate import simulated_responses
    from coprod.analysis.render.document import Document
    from coprod.analysis.report.sections import validation_blocks
    from coprod.analysis.report.words import localise

    inst = instrument.builtin()
    sim = simulated_responses(inst, n=300, seed=SEED)
    sim.data["extra_column"] = 1.0
    doc = localise(Document("r", validation_blocks(validate(sim, inst), lang)), lang)
    table = next(b for b in doc.blocks if isinstance(b, DisplayTable) and b.name == "validation")
    j = next(i for i, c in enumerate(table.columns) if c.header in ("Tarkemmin", "Detalj"))
    details = [str(r[j]) for r in table.rows]
    assert len(set(details)) >= 3
    assert not [d for d in details if re.match(r"expected|asked only|kept as", d)]


# The decimal comma ------------------------------------------------------------------------------
#: A number written with the decimal point: "3.45", ".034", "-0.12" (not "3.11.7", a version).
POINT_NUMBER = re.compile(r"(?<![\w.,])-?\d*\.\d+(?![\w.]|\.\d)")
COMMA_NUMBER = re.compile(r"(?<![\w.,])-?\d*,\d+(?![\w,]|,\d)")


def _html_numbers_text(html: str) -> str:
    """The page's text without its styles, charts and provenance table (versions are not numbers)."""
    from html import unescape

    html = re.sub(r"<(style|script|svg)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<table class="provenance">.*?</table>', " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "\n", html))


def _docx_text(doc) -> str:
    """The Word document's paragraphs and table cells (its charts and provenance left out)."""
    import io

    import docx

    from coprod.analysis.render import Document, render_document

    shown = Document(doc.title, [b for b in doc.blocks if not isinstance(b, Figure)], words=doc.words,
                     decimal=doc.decimal)
    d = docx.Document(io.BytesIO(render_document(shown, "docx")))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_numbers_with_the_decimal_comma(reports, lang):
    res, html = reports[lang]
    assert res.document.decimal == "comma"
    for text in (_html_numbers_text(html), _docx_text(res.document)):
        assert POINT_NUMBER.findall(text) == []
        assert len(COMMA_NUMBER.findall(text)) > 100
        assert re.search(r"\[-?\d*,\d+; -?\d*,\d+\]", text)  # intervals: a semicolon between the bounds
        assert re.search(r"(?<![\d,])[,]\d{3}(?!\d)", text)  # p without the leading zero
    methods = next(b.text for b in res.document.blocks if isinstance(b, Paragraph) and b.style == "methods")
    assert re.search(r"\b(enintään|högst) ,010\b", methods)  # the invariance criteria in the sentence


def test_english_numbers_with_the_point(reports):
    res, html = reports["en"]
    text = _html_numbers_text(html)
    assert res.document.decimal == "point" and COMMA_NUMBER.findall(text) == []
    assert len(POINT_NUMBER.findall(text)) > 100


def test_decimal_point_asked_for_in_finnish(tmp_path):
    from coprod.analysis.demo.simulate import simulated_responses

    inst = instrument.builtin(("conciliation",))
    sim = simulated_responses(inst, n=120, seed=SEED)
    res = build_report(sim, instrument=inst, lang="fi", decimal="point", invariance=False, out=tmp_path / "r.html",
                       chart_format="svg", progress=False)
    text = _html_numbers_text((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert res.document.decimal == "point" and "Mittari" in text
    assert COMMA_NUMBER.findall(text) == [] and len(POINT_NUMBER.findall(text)) > 50
