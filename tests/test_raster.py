"""The PNG drawn from a chart's SVG: each bar where the SVG puts it, in its colour; every text inside the
picture (the layout's text widths hold for the font that draws them); the same bytes each time."""
from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from coprod.analysis.report import charts, raster

RECT = re.compile(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="#([0-9a-f]{6})"')
TEXT = re.compile(r'<text x="([-\d.]+)" y="([-\d.]+)" font-size="([\d.]+)" text-anchor="(\w+)" '
                  r'dominant-baseline="central" fill="#[0-9a-f]+"( font-weight="bold")?>([^<]*)</text>')


def _text_boxes(svg: str) -> list[tuple]:
    """Each text's box in the PNG (pixels: left, top, right, bottom) as the font draws it, the text, its
    (x, anchor) and its y in points."""
    s = raster.DPI / 72
    out = []
    for x, y, size, anchor, bold, text in TEXT.findall(svg):
        font = raster._font(round(float(size) * s), bool(bold))
        left, top, right, bottom = font.getbbox(text.replace("&amp;", "&").replace("&lt;", "<"),
                                                anchor=raster._ANCHOR[anchor] + "m")
        out.append((float(x) * s + left, float(y) * s + top, float(x) * s + right, float(y) * s + bottom, text,
                    (x, anchor), float(y)))
    return out


def _likert_svg():
    rng = np.random.default_rng(5)
    counts = rng.integers(0, 300, (5, 3, 5))
    lc = charts.LikertCounts([f"item_{i}" for i in range(5)],
                             ["Mitä mieltä olette seuraavista väittämistä: palvelu on luotettava " * (i % 2 + 1)
                              for i in range(5)],
                             ["Ammattilainen (palkattu työntekijä)", "Vapaaehtoinen", "Palvelun käyttäjä tai asiakas"],
                             [1.0, 2, 3, 4, 5], ["Täysin eri mieltä", "Jokseenkin eri mieltä", "Ei samaa eikä eri",
                                                 "Jokseenkin samaa mieltä", "Täysin samaa mieltä"],
                             counts, rng.integers(0, 9, (5, 3)))
    return charts.likert_chart(lc, "Luottamus palveluun", fmt="svg", min_cell=5)


def _boxplot_svg():
    x = np.random.default_rng(2).normal(3, 1, 900)
    stats = charts.box_stats(x, np.repeat([0, 1, 2], 300), ["Professional (paid staff)", "Volunteer",
                                                             "Service user or client"])
    return charts.score_boxplots([("Trust in the service, benevolence", stats)] * 4, fmt="svg", min_cell=5)


def test_bars_drawn_where_and_as_the_svg_says():
    svg = _likert_svg()
    im = Image.open(io.BytesIO(raster.png(svg))).convert("RGB")
    s = raster.DPI / 72
    bars = [b for b in RECT.findall(svg) if float(b[2]) * s >= 12 and float(b[3]) * s >= 12]
    assert len(bars) >= 50
    for x, y, w, h, colour in bars:
        cx, cy = (float(x) + float(w) / 2) * s, (float(y) + float(h) / 2) * s
        # off the bar's middle (its share written there; the centre line through the middle answer's bar)
        px = im.getpixel((int(float(x) * s + max(3, float(w) * s / 4)), int(float(y) * s + 3)))
        want = tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))
        assert max(abs(a - b) for a, b in zip(px, want)) <= 8, (x, y, colour, px)
        assert 0 <= cx < im.width and 0 <= cy < im.height


@pytest.mark.parametrize("make", [_likert_svg, _boxplot_svg])
def test_every_text_inside_the_picture(make):
    """The layout reserves each label's width from a table of character widths; the font that draws them
    (DejaVu Sans) never needs more, so no label runs off the picture."""
    svg = make()
    _, _, width, height = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    s = raster.DPI / 72
    boxes = _text_boxes(svg)
    assert len(boxes) >= 20
    for left, top, right, bottom, text, *_ in boxes:
        assert left >= 0 and right <= width * s, text
        assert top >= 0 and bottom <= height * s, text


def test_same_bytes_each_time_and_without_the_font(monkeypatch):
    svg = _boxplot_svg()
    png = raster.png(svg)
    assert png == raster.png(svg) and png[:8] == b"\x89PNG\r\n\x1a\n"
    if raster.font_file() is not None:
        assert raster.font_file(bold=True) is not None
    # where matplotlib's fonts are missing, Pillow's own font draws the text
    monkeypatch.setattr(raster, "font_file", lambda bold=False: None)
    raster._font.cache_clear()
    try:
        other = raster.png(svg)
    finally:
        raster._font.cache_clear()
    assert other[:8] == b"\x89PNG\r\n\x1a\n" and other != png
    assert Image.open(io.BytesIO(other)).size == Image.open(io.BytesIO(png)).size


def test_the_report_charts_in_word_are_their_svg(tmp_path):
    """A report's PNG charts are the SVG charts of the same report drawn (one layout for every format)."""
    from coprod import instrument
    from coprod.analysis.demo.simulate import simulated_responses
    from coprod.analysis.render.document import Figure
    from coprod.analysis.report import build_report

    inst = instrument.builtin()
    sim = simulated_responses(inst, n=120, seed=8)
    res = {fmt: build_report(sim, instrument=inst, chart_format=fmt, invariance=False, progress=False,
                             out=tmp_path / f"r-{fmt}.html")
           for fmt in ("svg", "png")}
    figs = {fmt: [b for b in r.document.blocks if isinstance(b, Figure)] for fmt, r in res.items()}
    assert len(figs["png"]) == len(figs["svg"]) >= 1
    for p, s in zip(figs["png"], figs["svg"]):
        assert p.png == raster.png(s.svg)


def _long_label_boxplots():
    x = np.random.default_rng(4).normal(3, 1, 900)
    stats = charts.box_stats(x, np.repeat([0, 1, 2], 300), ["Ammattilainen (palkattu työntekijä)", "Vapaaehtoinen",
                                                             "Palvelun käyttäjä tai asiakas"])
    return charts.score_boxplots([(f"Mittari {i}", stats) for i in range(6)], fmt="svg", min_cell=5)


@pytest.mark.parametrize("make", [_likert_svg, _boxplot_svg, _long_label_boxplots])
def test_no_two_texts_overlap(make):
    """Labels wrapped to four lines under a box plot still end above the next row's panel title; two texts
    keep at least 2 points apart (the lines of one wrapped label, 9 points apart, only do not overlap)."""
    s = raster.DPI / 72
    boxes = _text_boxes(make())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            gap = 0.0 if a[5] == b[5] and a[5][1] == "middle" and abs(a[6] - b[6]) <= 9.01 else 2 * s
            assert a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1], (a[4], b[4])
