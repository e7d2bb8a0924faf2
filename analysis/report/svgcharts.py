"""The report's charts written as SVG text straight from the counts (no plotting library).

HTML shows this text; Excel and Word get its PNG (:mod:`coprod.analysis.report.raster`).  Geometry is
in points (1/72 inch); the percentages (bar widths) come from the counts.  Text is laid out from the
printed width of each character of DejaVu Sans (:func:`coprod.instrument.sheets.text_width`, rounded up
to the wider of it and Calibri), so a label never runs past the edge whichever of the two fonts draws it.
"""
from __future__ import annotations

import textwrap
from html import escape

import numpy as np

# matplotlib's "RdBu" colour map (ColorBrewer): anchors, interpolated into a table of 256 colours
_RDBU = ["#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7",
         "#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#053061"]
#: width of a digit as a share of the font size (DejaVu Sans: 1303 of 2048 units)
DIGIT_EM = 0.6362
#: Width of the bar charts (points): a page's text width, 6.5 inches, so that Word and Excel show them at
#: their own size and their 8-point labels print at 8 points (laid out wider, a chart is shrunk to the page
#: and its labels with it).
PAGE_PT = 6.5 * 72
#: The bars are never narrower than this (points): with very long labels a chart grows wider than the page.
MIN_PLOT_PT = 220.0


def plot_width(x0: float) -> float:
    """Width of the bars of a chart whose labels take ``x0`` points: the rest of :data:`PAGE_PT` (less a
    16-point margin), at least :data:`MIN_PLOT_PT`.

    >>> plot_width(200.0), plot_width(400.0)
    (252.0, 220.0)
    """
    return max(PAGE_PT - x0 - 16, MIN_PLOT_PT)


def rdbu(x: float) -> str:
    """The colour of ``x`` (0..1) in matplotlib's RdBu map, as ``#rrggbb``.

    >>> rdbu(0.0), rdbu(1.0)
    ('#67001f', '#053061')
    """
    i = min(max(int(x * 256), 0), 255)
    t = i / 255 * (len(_RDBU) - 1)
    lo = min(int(t), len(_RDBU) - 2)
    f = t - lo
    a = [int(_RDBU[lo][p:p + 2], 16) for p in (1, 3, 5)]
    b = [int(_RDBU[lo + 1][p:p + 2], 16) for p in (1, 3, 5)]
    return "#" + "".join(f"{round(u + (v - u) * f):02x}" for u, v in zip(a, b))


def likert_colors(k: int) -> list[str]:
    """Colours of the ``k`` answers: RdBu from red to blue, the middle answer (odd ``k``) grey."""
    colors = [rdbu(0.1 + 0.8 * i / max(k - 1, 1)) for i in range(k)]
    if k % 2:
        colors[k // 2] = "#cccccc"
    return colors


def _text(x, y, s, size, anchor="start", weight=None, fill="#000", baseline="central") -> str:
    w = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="{anchor}" '
            f'dominant-baseline="{baseline}" fill="{fill}"{w}>{escape(str(s))}</text>')


def _width(s: str, size: float, bold: bool = False) -> float:
    """The width of ``s`` at ``size`` points, in points.

    >>> round(_width("0000", 10), 2), _width("Mean", 8) < _width("Mean", 8, bold=True)
    (25.45, True)
    """
    from coprod.instrument.sheets import text_width

    return text_width(s, bold) * DIGIT_EM * size


def _svg(width: float, height: float, body: list[str]) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}pt" height="{height:.0f}pt" '
            f'viewBox="0 0 {width:.2f} {height:.2f}" font-family="DejaVu Sans, Arial, sans-serif">\n'
            + "\n".join(body) + "\n</svg>\n")


def legend(body: list, labels: list[str], colors, x0: float, y0: float, ncol: int, cell: float) -> int:
    """The keys of a chart's legend into ``body``: a 14 x 8 point square and its label per answer, ``ncol`` a
    row of ``cell`` points each from (``x0``, ``y0``), 13 points between rows; the number of rows."""
    for i, s in enumerate(labels):
        cx, cy = x0 + (i % ncol) * cell, y0 + (i // ncol) * 13
        body.append(f'<rect x="{cx:.2f}" y="{cy - 4:.2f}" width="14" height="8" fill="{colors[i]}"/>')
        body.append(_text(cx + 18, cy, s, 7.5))
    return (len(labels) - 1) // ncol + 1


def likert_svg(lc, title: str = "", min_cell: int = 5, text=None) -> str:
    """The diverging stacked bar chart of :func:`charts.likert_chart` as SVG text.

    Each bar is a ``<rect>`` with ``data-pct``: its percentage of the valid answers of its row.
    """
    from coprod.analysis.report.charts import ChartText, _likert_rows

    k = len(lc.codes)
    heads, yticks, ylabels, bar_y, bar_pct = _likert_rows(lc, min_cell, text or ChartText())
    n_rows = max((max(yticks + [h[0] for h in heads]) + 1) if yticks or heads else 1, 1)
    row = 21.6  # points per row (0.3 inch)
    label_w = max([_width(s, 8) for s in ylabels] + [_width(s, 8.5, bold=True) for _, s in heads] + [40]) + 10
    top = 30 if title else 10
    x0 = label_w + 4
    plot_w = plot_width(x0)
    plot_h = (n_rows + 0.4) * row  # a margin under the last row, as matplotlib leaves
    sx = plot_w / 200

    def X(p):
        return x0 + (p + 100) * sx

    def Y(r):
        return top + (r + 0.5) * row

    colors = likert_colors(k)
    body = []
    if title:
        body.append(_text(6, 14, title, 11))
    for y, s in heads:
        body.append(_text(x0 - 4, Y(y), s, 8.5, "end", "bold"))
    for y, s in zip(yticks, ylabels):
        body.append(_text(x0 - 4, Y(y), s, 8, "end"))
    mid = k // 2 if k % 2 else None
    for yy, p in zip(bar_y, bar_pct):
        left = -(p[:k // 2].sum() + (p[mid] / 2 if mid is not None else 0.0))
        for kk in range(k):
            body.append(f'<rect x="{X(left):.2f}" y="{Y(yy) - 0.4 * row:.2f}" width="{p[kk] * sx:.4f}" '
                        f'height="{0.8 * row:.2f}" fill="{colors[kk]}" stroke="#fff" stroke-width="0.5" '
                        f'data-pct="{p[kk]:.6f}"/>')
            if p[kk] >= 10:
                body.append(_text(X(left + p[kk] / 2), Y(yy), f"{p[kk]:.0f}", 7, "middle",
                                  fill="#fff" if kk in (0, k - 1) else "#000"))
            left += p[kk]
    axis_y = top + plot_h
    body.append(f'<line x1="{X(0):.2f}" y1="{top:.2f}" x2="{X(0):.2f}" y2="{axis_y:.2f}" stroke="#333" '
                f'stroke-width="0.8"/>')
    body.append(f'<line x1="{X(-100):.2f}" y1="{axis_y:.2f}" x2="{X(100):.2f}" y2="{axis_y:.2f}" stroke="#000" '
                f'stroke-width="0.8"/>')
    for t in range(-100, 101, 25):
        body.append(f'<line x1="{X(t):.2f}" y1="{axis_y:.2f}" x2="{X(t):.2f}" y2="{axis_y + 3.5:.2f}" '
                    f'stroke="#000" stroke-width="0.8"/>')
        body.append(_text(X(t), axis_y + 10, f"{abs(t)}%", 8, "middle"))
    keys = [textwrap.shorten(lc.code_labels[kk], 28) for kk in range(k)]
    cell = max([_width(s, 7.5) for s in keys] + [20]) + 22
    width = x0 + plot_w + 16
    ncol = max(min(k, 5, int((width - 8) // cell)), 1)  # in as many rows as the chart's width needs
    ly = axis_y + 26
    lx0 = min(max(X(0) - ncol * cell / 2, 4), max(width - ncol * cell - 4, 4))  # centred under the bars
    height = ly + legend(body, keys, colors, lx0, ly, ncol, cell) * 13 + 4
    return _svg(max(width, lx0 + ncol * cell), height, body)


def step_of(lo: float, hi: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving nine or ten ticks at most from ``lo`` to ``hi``."""
    raw = (hi - lo) / 9
    power = 10.0 ** np.floor(np.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def nice_ticks(lo: float, hi: float) -> list[float]:
    """Round ticks within ``lo`` .. ``hi``, as matplotlib's axes show them.

    >>> nice_ticks(0.8, 5.2)
    [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0]
    """
    step = step_of(lo, hi)
    first = np.ceil(lo / step) * step
    return [round(float(t), 10) for t in np.arange(first, hi + step * 1e-9, step)]


def boxplots_svg(panels, min_cell: int = 5, title: str = "", text=None) -> str:
    """The box plots of :func:`charts.score_boxplots` (quartiles, median, mean, whiskers) as SVG text."""
    from coprod.analysis.report.charts import ChartText

    text = text or ChartText()
    ncols = min(2, max(1, len(panels)))  # two panels a row: the page's width (the report: six a figure)
    nrows = int(np.ceil(len(panels) / ncols))
    pw, ph = PAGE_PT / 2, 2.9 * 72
    top = 24 if title else 4
    body = [_text(4, 12, title, 11)] if title else []
    for p, (name, stats) in enumerate(panels):
        ox, oy = (p % ncols) * pw, top + (p // ncols) * ph
        shown = [s for s in stats if s.n and not (min_cell and s.n < min_cell)]
        body.append(_text(ox + 36, oy + 10, textwrap.shorten(name, 40), 9.5))
        # room under the axis for the longest group label (wrapped at 14 characters) and its n
        lines = max([len(textwrap.fill(s.label, 14).split("\n")) + 1 for s in shown] + [3])
        ax_l, ax_r, ax_t, ax_b = ox + 36, ox + pw - 10, oy + 22, oy + ph - 9 * lines - 10
        vals = [v for s in shown for v in (s.whislo, s.whishi)]
        lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
        pad = (hi - lo) * 0.05 or 0.5
        lo, hi = lo - pad, hi + pad

        def Y(v, lo=lo, hi=hi, ax_t=ax_t, ax_b=ax_b):
            return ax_b - (v - lo) / (hi - lo) * (ax_b - ax_t)

        body.append(f'<polyline points="{ax_l:.2f},{ax_t:.2f} {ax_l:.2f},{ax_b:.2f} {ax_r:.2f},{ax_b:.2f}" '
                    f'fill="none" stroke="#000" stroke-width="0.8"/>')
        for t in nice_ticks(lo, hi) if vals else []:
            body.append(f'<line x1="{ax_l - 3.5:.2f}" y1="{Y(t):.2f}" x2="{ax_l:.2f}" y2="{Y(t):.2f}" '
                        f'stroke="#000" stroke-width="0.8"/>')
            tick = f"{t:.1f}" if step_of(lo, hi) < 1 else f"{t:g}"
            body.append(_text(ax_l - 5, Y(t), tick.replace(".", ",") if text.decimal == "comma" else tick, 7.5, "end"))
        step = (ax_r - ax_l) / max(len(shown), 1)
        for j, s in enumerate(shown):
            cx, w = ax_l + (j + 0.5) * step, 0.55 * step / 2
            body.append(f'<line x1="{cx:.2f}" y1="{Y(s.whislo):.2f}" x2="{cx:.2f}" y2="{Y(s.whishi):.2f}" '
                        f'stroke="#000" stroke-width="1"/>')
            for v in (s.whislo, s.whishi):
                body.append(f'<line x1="{cx - w / 2:.2f}" y1="{Y(v):.2f}" x2="{cx + w / 2:.2f}" y2="{Y(v):.2f}" '
                            f'stroke="#000" stroke-width="1"/>')
            body.append(f'<rect x="{cx - w:.2f}" y="{Y(s.q3):.2f}" width="{2 * w:.2f}" '
                        f'height="{Y(s.q1) - Y(s.q3):.2f}" fill="#cfe0ef" stroke="#345"/>')
            body.append(f'<line x1="{cx - w:.2f}" y1="{Y(s.med):.2f}" x2="{cx + w:.2f}" y2="{Y(s.med):.2f}" '
                        f'stroke="#b22" stroke-width="1.5"/>')
            my = Y(s.mean)
            body.append(f'<polygon points="{cx:.2f},{my - 3:.2f} {cx + 3:.2f},{my:.2f} {cx:.2f},{my + 3:.2f} '
                        f'{cx - 3:.2f},{my:.2f}" fill="#222"/>')
            for n, line in enumerate(textwrap.fill(s.label, 14).split("\n") + [f"n = {text.count(s.n)}"]):
                body.append(_text(cx, ax_b + 9 + 9 * n, line, 7.5, "middle"))
        hidden = [s.label for s in stats if s.n and s not in shown]
        if hidden:
            body.append(_text(ax_r, ax_b - 4, text.not_shown.format(groups=", ".join(hidden)), 6.5, "end", fill="#666"))
    return _svg(ncols * pw, top + nrows * ph, body)
