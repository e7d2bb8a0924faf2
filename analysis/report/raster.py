"""PNG of a chart from the SVG text the report writes for it, drawn with Pillow.

The report's charts are laid out once, as SVG (:mod:`~coprod.analysis.report.svgcharts`): HTML shows
that text, Excel and Word take it as a PNG drawn here.  Own code, because no maintained Python library
rasterises SVG without a system library (CairoSVG needs Cairo), and our charts use five elements only:
``rect``, ``line``, ``polyline``, ``polygon`` and ``text`` inside one ``svg`` with a ``viewBox`` in points.
Drawing them with Pillow takes a few hundredths of a second a chart.

Text is set in DejaVu Sans where it is installed (:data:`FONT_FILES`), Pillow's own font elsewhere.  The PNG carries no time stamp, so the same chart gives the same bytes.
"""
from __future__ import annotations

import importlib.util
import io
import os
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

#: Resolution of the PNG (dots per inch): a chart 7 inches wide is 1,050 pixels.
DPI = 150
_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e-?\d+)?")
_ANCHOR = {"start": "l", "middle": "m", "end": "r"}


#: Where a font for the charts is looked for (regular, bold), after the DejaVu Sans a matplotlib
#: installation ships: DejaVu Sans of Linux distributions, then Arial of macOS and Windows (narrower).
FONT_FILES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
    (r"C:\Windows\Fonts\arial.ttf", r"C:\Windows\Fonts\arialbd.ttf"),
)


@lru_cache(maxsize=2)
def font_file(bold: bool = False) -> str | None:
    """The font file the charts' text is drawn in (see :data:`FONT_FILES`); None where there is none
    (Pillow's own font is used then)."""
    spec = importlib.util.find_spec("matplotlib")
    folders = [os.path.join(f, "mpl-data", "fonts", "ttf") for f in (spec.submodule_search_locations or [])] \
        if spec else []
    candidates = [(os.path.join(f, "DejaVuSans.ttf"), os.path.join(f, "DejaVuSans-Bold.ttf")) for f in folders]
    for regular, heavy in [*candidates, *FONT_FILES]:
        path = heavy if bold else regular
        if os.path.exists(path):
            return path
    return None


@lru_cache(maxsize=64)
def _font(pixels: int, bold: bool):
    from PIL import ImageFont

    path = font_file(bold) or font_file(False)
    if path is not None:
        return ImageFont.truetype(path, pixels)
    return ImageFont.load_default(pixels)


def _points(text: str) -> list[tuple[float, float]]:
    v = [float(x) for x in _NUMBER.findall(text)]
    return list(zip(v[0::2], v[1::2]))


def png(svg: str, dpi: int = DPI) -> bytes:
    """The PNG of ``svg`` (as :mod:`svgcharts` writes it) at ``dpi``, on a white background.

    >>> from PIL import Image
    >>> svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 36"><rect x="0" y="0" width="36" '
    ...        'height="36" fill="#ff0000"/></svg>')
    >>> im = Image.open(io.BytesIO(png(svg, dpi=100))).convert("RGB")
    >>> im.size, im.getpixel((10, 10)), im.getpixel((90, 10))
    ((100, 50), (255, 0, 0), (255, 255, 255))
    """
    from PIL import Image, ImageDraw

    root = ET.fromstring(svg)
    _, _, width, height = (float(x) for x in root.get("viewBox").split())
    s = dpi / 72
    size = (max(1, round(width * dpi / 72)), max(1, round(height * dpi / 72)))
    im = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(im)

    def px(points):
        return [(x * s, y * s) for x, y in points]

    def stroke(el, default: float = 1.0) -> int:
        return max(1, round(float(el.get("stroke-width", default)) * s))

    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        fill, line = el.get("fill"), el.get("stroke")
        fill = None if fill == "none" else fill
        line = None if line == "none" else line
        if tag == "rect":
            x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
            if w <= 0 or h <= 0:
                continue
            box = [x * s, y * s, (x + w) * s, (y + h) * s]
            draw.rectangle(box, fill=fill or "black")
            if line:
                lw = stroke(el)
                if box[2] - box[0] > lw and box[3] - box[1] > lw:
                    draw.rectangle(box, outline=line, width=lw)
        elif tag == "line":
            pts = [(float(el.get("x1")), float(el.get("y1"))), (float(el.get("x2")), float(el.get("y2")))]
            draw.line(px(pts), fill=line or "black", width=stroke(el))
        elif tag == "polyline":
            draw.line(px(_points(el.get("points"))), fill=line or "black", width=stroke(el), joint="curve")
        elif tag == "polygon":
            draw.polygon(px(_points(el.get("points"))), fill=fill or "black")
        elif tag == "text":
            font = _font(max(1, round(float(el.get("font-size")) * s)), el.get("font-weight") == "bold")
            anchor = _ANCHOR.get(el.get("text-anchor", "start"), "l") + \
                ("m" if el.get("dominant-baseline", "central") == "central" else "s")
            draw.text((float(el.get("x")) * s, float(el.get("y")) * s), el.text or "", fill=fill or "black",
                      font=font, anchor=anchor)
    # 255 colours (the bars' few, the rest for the edges of letters): a third of the bytes, half the time
    im = im.quantize(colors=255, method=Image.Quantize.FASTOCTREE)
    buf = io.BytesIO()
    im.save(buf, format="PNG", compress_level=3, dpi=(dpi, dpi))
    return buf.getvalue()
