"""The chart of the report's non-response section: for each item whose non-response differs by group, one
bar per group stacking the shares of "don't know", "not applicable", refused and empty answers (% of the
respondents asked).  SVG text for HTML, its PNG otherwise; groups with fewer respondents asked
than the small-cell threshold get no bar.
"""
from __future__ import annotations

import numpy as np

KINDS = ("dont_know", "not_applicable", "refused", "missing")
COLORS = ("#4393c3", "#f4a582", "#b2182b", "#bbbbbb")
ROW = 18.0  # points per bar


def chart_rows(items, label, min_cell: int) -> list[tuple[str, str, np.ndarray]]:
    """(item label, group, percentages of the four kinds) of each bar, item by item."""
    out = []
    for v, rows in items.groupby("variable", sort=False):
        for _, r in rows.iterrows():
            if r["n_asked"] >= max(min_cell, 1):
                out.append((label(v), str(r["group"]), np.array([r[f"{k}_percent"] for k in KINDS], dtype=float)))
    return out


def _top(rows) -> float:
    hi = max([float(p.sum()) for _, _, p in rows] + [1.0])
    step = 5.0 if hi <= 30 else 10.0
    return float(np.ceil(hi / step) * step)


def nonresponse_svg(rows, legend: list[str]) -> str:
    """The chart as SVG text; each segment a ``<rect>`` with ``data-pct``."""
    from coprod.analysis.report.svgcharts import _svg, _text, _width, legend as keys, plot_width

    heads, y, marks = [], 0, []
    for item, group, p in rows:
        if not heads or heads[-1][1] != item:
            heads.append((y, item))
            y += 1
        marks.append((y, group, p))
        y += 1
    label_w = max([_width(g, 8) for _, g, _ in marks] + [_width(s, 8.5, bold=True) for _, s in heads] + [40]) + 10
    x0, top, hi = label_w + 4, 10.0, _top(rows)
    plot_w = plot_width(x0)
    sx = plot_w / hi
    body = [_text(x0 - 4, top + (r + 0.5) * ROW, s, 8.5, "end", "bold") for r, s in heads]
    for r, g, p in marks:
        cy, left = top + (r + 0.5) * ROW, 0.0
        body.append(_text(x0 - 4, cy, g, 8, "end"))
        for k, v in enumerate(p):
            v = 0.0 if not np.isfinite(v) else v
            body.append(f'<rect x="{x0 + left * sx:.2f}" y="{cy - 0.4 * ROW:.2f}" width="{v * sx:.4f}" '
                        f'height="{0.8 * ROW:.2f}" fill="{COLORS[k]}" data-pct="{v:.6f}"/>')
            left += v
    axis = top + y * ROW + 4
    body.append(f'<line x1="{x0:.2f}" y1="{axis:.2f}" x2="{x0 + plot_w:.2f}" y2="{axis:.2f}" stroke="#000" '
                f'stroke-width="0.8"/>')
    for t in np.linspace(0, hi, 6):
        body.append(_text(x0 + t * sx, axis + 10, f"{t:.0f}%", 8, "middle"))
    ly, cell = axis + 26, max(_width(s, 7.5) for s in legend) + 24
    width = x0 + plot_w + 16
    ncol = max(1, min(len(legend), int((width - x0) // cell)))  # in as many rows as the chart's width needs
    rows = keys(body, legend, COLORS, x0, ly, ncol, cell)
    return _svg(max(width, x0 + ncol * cell), ly + 10 + (rows - 1) * 13, body)


def nonresponse_png(rows, legend: list[str]) -> bytes:
    """The same chart as PNG (drawn from its SVG)."""
    from coprod.analysis.report.raster import png

    return png(nonresponse_svg(rows, legend))
