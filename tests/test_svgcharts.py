"""The report's charts written as SVG from the counts: colours, bar widths, labels, titles; HTML needs no PNG."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from coprod.analysis.report import charts, svgcharts
from tests.test_charts import data

RECT = re.compile(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="[\d.]+" fill="(#[0-9a-f]{6})" '
                  r'stroke="#fff" stroke-width="0.5" data-pct="([\d.]+)"/>')


def test_rdbu_matches_matplotlib():
    mpl = pytest.importorskip("matplotlib")
    from matplotlib.colors import to_hex

    cmap = mpl.colormaps["RdBu"]
    for x in np.linspace(0, 1, 41):
        assert svgcharts.rdbu(x) == to_hex(cmap(x))
    for k in (2, 3, 4, 5, 7, 11):
        want = [to_hex(cmap(0.1 + 0.8 * i / max(k - 1, 1))) for i in range(k)]
        if k % 2:
            want[k // 2] = "#cccccc"
        assert svgcharts.likert_colors(k) == want


def test_rdbu_golden_values():
    """Where matplotlib is not installed: its RdBu colours at these points, as given by
    ``matplotlib.colors.to_hex(matplotlib.colormaps["RdBu"](x))`` (matplotlib 3.11.2)."""
    golden = {0.0: "#67001f", 0.1: "#b1182b", 0.25: "#e58368", 0.3: "#f3a481", 0.45: "#fae9df", 0.5: "#f6f7f7",
              0.55: "#e4eef4", 0.7: "#90c4dd", 0.75: "#68abd0", 0.9: "#2065ab", 1.0: "#053061"}
    assert {x: svgcharts.rdbu(x) for x in golden} == golden
    # the answers' colours: RdBu from 0.1 to 0.9, the middle answer of an odd scale grey
    assert svgcharts.likert_colors(5) == ["#b1182b", "#f3a481", "#cccccc", "#90c4dd", "#2065ab"]


def test_likert_svg_bar_widths_from_counts():
    lc = charts.likert_counts(data(), ["a", "b"], by="g")
    svg = charts.likert_chart(lc, "Items of the scale", fmt="svg", min_cell=3)
    assert svg.startswith("<?xml") and svg.rstrip().endswith("</svg>")
    assert '>Items of the scale</text>' in svg
    assert ">a: Item A</text>" in svg and ">b: Item B</text>" in svg  # item headings
    assert ">Volunteer (n = 5)</text>" in svg and ">Service user (n &lt; 3, not shown)</text>" in svg
    for label in lc.code_labels:
        assert f">{label}</text>" in svg  # legend
    bars = RECT.findall(svg)
    # rows drawn: Professional and Volunteer on a and b (Service user has 2 answers < 3)
    rows = [(0, 0), (0, 1), (1, 0), (1, 1)]
    k = len(lc.codes)
    assert len(bars) == len(rows) * k
    x0 = float(bars[0][0]) + sum(float(b[2]) for b in bars[:2]) + float(bars[2][2]) / 2  # centre line: row 1's middle
    scale = None
    for r, (i, j) in enumerate(rows):
        c = lc.counts[i, j].astype(float)
        pct = 100 * c / c.sum()
        row = bars[r * k:(r + 1) * k]
        assert [float(b[4]) for b in row] == pytest.approx(pct, abs=1e-6)
        widths = np.array([float(b[2]) for b in row])
        scale = scale or widths.sum() / 100  # one scale for every row: 100% is the same width
        assert widths == pytest.approx(pct * scale, abs=1e-3)
        # diverging: the two lower answers and half of the middle one left of the centre line
        assert float(row[0][0]) == pytest.approx(x0 - (pct[0] + pct[1] + pct[2] / 2) * scale, abs=0.02)
        assert [b[3] for b in row] == svgcharts.likert_colors(k)
    # shares of 10% or more written in the bars
    assert ">50</text>" in svg  # Professional on a: 2 of 4 Disagree


def test_boxplots_svg():
    stats = charts.box_stats(np.array([1., 2, 3, 4, 5, 6, 2, 3]), np.array([0] * 6 + [1] * 2), ["Big", "Small"])
    svg = charts.score_boxplots([("Trust in the service", stats)], fmt="svg", min_cell=5, title="Scores")
    assert ">Trust in the service</text>" in svg and ">Scores</text>" in svg
    assert ">n = 6</text>" in svg and "not shown: Small" in svg and svg.count('fill="#cfe0ef"') == 1


def test_html_report_does_not_import_matplotlib(tmp_path):
    import coprod

    inst = coprod.builtin()
    src = tmp_path / "survey.sav"
    coprod.write_responses(coprod.simulated_responses(inst, n=200, seed=11), src)
    code = ("import sys\nimport coprod\nfrom coprod.analysis.report.build import build_report\n"
            f"build_report({str(src)!r}, instrument=coprod.builtin(), out={str(tmp_path / 'r.html')!r}, progress=False)\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'PIL'}))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip().splitlines()[-1] == "[]"
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "data:image/svg+xml;base64," in page and "data:image/png" not in page


def _view(svg: str) -> tuple[float, float]:
    w, h = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups()
    return float(w), float(h)


def _inside(svg: str, width: float) -> None:
    """Every text starts inside the chart, and no rectangle (bar, legend key) passes its right edge."""
    for x, w in re.findall(r'<rect x="([-\d.]+)" y="[-\d.]+" width="([\d.]+)"', svg):
        assert 0 <= float(x) and float(x) + float(w) <= width + 1e-6
    for x in re.findall(r'<text x="([-\d.]+)"', svg):
        assert 0 <= float(x) <= width


def test_likert_chart_is_as_wide_as_a_page_and_its_legend_wraps_to_fit():
    """Laid out at a page's text width (6.5 in = 468 pt), a chart is shown at its own size and its 8-point
    labels print at 8 points; the legend takes as many rows as that width needs (five long answer labels:
    two rows); labels longer than the page allows widen the chart, never narrow the bars below 220 pt."""
    assert svgcharts.PAGE_PT == 468
    lc = charts.likert_counts(data(), ["a", "b"], by="g")
    svg = charts.likert_chart(lc, "", fmt="svg", min_cell=3)
    width, _ = _view(svg)
    assert width == pytest.approx(468, abs=0.01)
    _inside(svg, width)
    lc.code_labels = ["Neither agree nor disagree, mostly"] * len(lc.codes)  # 28 characters shown of each
    svg = charts.likert_chart(lc, "", fmt="svg", min_cell=3)
    shown = textwrap.shorten(lc.code_labels[0], 28)
    assert f">{shown}</text>" in svg
    keys = [(float(x), float(y)) for x, y in re.findall(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="14"', svg)]
    assert len(keys) == len(lc.codes) and len({y for _, y in keys}) >= 2  # more than one row of keys
    assert max(x for x, _ in keys) + 18 + svgcharts._width(shown, 7.5) <= 468  # the key's label ends inside
    _inside(svg, 468)
    lc.item_labels = ["A very long question text that no page's label column holds " * 2 for _ in lc.items]
    svg = charts.likert_chart(lc, "", fmt="svg", min_cell=3)
    width, _ = _view(svg)
    axis = [float(x) for x in re.findall(r'<line x1="([-\d.]+)" y1="[-\d.]+" x2="[-\d.]+" y2="[-\d.]+" stroke="#000"', svg)]
    assert width > 468 and max(axis) - min(axis) == pytest.approx(svgcharts.MIN_PLOT_PT, abs=0.02)
    _inside(svg, width)


def test_nonresponse_chart_is_as_wide_as_a_page_and_its_legend_wraps_to_fit():
    from coprod.analysis.report.nonresponse_chart import nonresponse_svg

    rows = [("q1: Trust in the mediator", "Professional (paid staff)", np.array([5.0, 2.0, 1.0, 3.0])),
            ("q1: Trust in the mediator", "Volunteer", np.array([12.0, 0.0, 4.0, 6.0]))]
    svg = nonresponse_svg(rows, ["Don't know", "Not applicable", "Refused", "No answer"])
    width, _ = _view(svg)
    assert width == pytest.approx(468, abs=0.01)
    _inside(svg, width)
    legend = ["Don't know (a long explanation of it)", "Not applicable to me in any way", "Refused to answer it",
              "No answer at all"]
    svg = nonresponse_svg(rows, legend)
    keys = [(float(x), float(y)) for x, y in re.findall(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="14"', svg)]
    assert len({y for _, y in keys}) >= 2
    width, height = _view(svg)
    assert width == pytest.approx(468, abs=0.01) and max(y for _, y in keys) + 8 <= height
    _inside(svg, width)
