"""Charts: counts by hand, valid PNG/SVG, suppression of small groups, box statistics."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.report import charts
from coprod.analysis.data.responses import Responses

LABELS = {1.0: "Strongly disagree", 2.0: "Disagree", 3.0: "Neither", 4.0: "Agree", 5.0: "Strongly agree", -8.0: "Don't know"}


def data():
    g = [1] * 6 + [2] * 6 + [3] * 2
    a = [1, 2, 2, 5, -8, None, 4, 4, 5, 5, 3, 9, 1, 2]  # 9: not a code
    b = [5, 4, 4, 4, 3, 2, 1, 1, 2, 3, 3, 3, 5, 5]
    df = pd.DataFrame({"g": g, "a": a, "b": b}, dtype=float)
    return Responses(df, value_labels={"a": LABELS, "b": LABELS, "g": {1.0: "Professional", 2.0: "Volunteer", 3.0: "Service user"}},
                     missing_codes={"a": (-8.0,), "b": (-8.0,)}, variable_labels={"a": "Item A", "b": "Item B"})


def test_likert_counts_by_hand():
    lc = charts.likert_counts(data(), ["a", "b"], by="g")
    assert lc.groups == ["Professional", "Volunteer", "Service user"]
    assert lc.code_labels == ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
    assert lc.counts[0].tolist() == [[1, 2, 0, 0, 1], [0, 0, 1, 2, 2], [1, 1, 0, 0, 0]]
    assert lc.missing[0].tolist() == [2, 1, 0]  # -8 and empty; the invalid 9
    assert lc.counts[1].sum(axis=1).tolist() == [6, 6, 2]
    assert "Missing answers (not counted): a 3, b 0." in charts.likert_caption(lc)


def test_likert_chart_png_svg_and_suppression():
    lc = charts.likert_counts(data(), ["a", "b"], by="g")
    png = charts.likert_chart(lc, "Items", fmt="png", min_cell=3)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    svg = charts.likert_chart(lc, "Items", fmt="svg", min_cell=3)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Strongly agree" in svg and "Volunteer (n = 5)" in svg
    assert "Service user (n &lt; 3, not shown)" in svg  # two answers only
    svg0 = charts.likert_chart(lc, "Items", fmt="svg", min_cell=0)
    assert "Service user (n = 2)" in svg0


def test_box_stats_spss_quartiles():
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 40, np.nan])
    s = charts.box_stats(x, np.zeros(10, dtype=int), ["All"])[0]
    # type 6: Q1 at position 0.25 * 10 = 2.5 -> 2.5; median 5.5 of the 9 valid? n = 9: positions 2.5, 5, 7.5
    assert s.n == 9
    assert (s.q1, s.med, s.q3) == (2.5, 5.0, 7.5)
    assert s.whishi == 8.0 and s.whislo == 1.0  # 40 lies beyond Q3 + 1.5 IQR = 15.0
    assert s.mean == pytest.approx(76 / 9)


def test_score_boxplots_hide_small_groups():
    x = np.array([1.0, 2, 3, 4, 5, 6, 2, 3])
    idx = np.array([0, 0, 0, 0, 0, 0, 1, 1])
    stats = charts.box_stats(x, idx, ["Big", "Small"])
    svg = charts.score_boxplots([("Scale", stats)], fmt="svg", min_cell=5)
    assert "not shown: Small" in svg and "n = 6" in svg


def test_group_not_asked_left_out():
    r = data()
    r.data.loc[r.data["g"] == 3, ["a", "b"]] = np.nan
    lc = charts.likert_counts(r, ["a", "b"], by="g")
    cap = charts.likert_caption(lc)
    assert cap.endswith("Missing answers (not counted): a 3, b 0. No answers from Service user (not asked).")
    svg = charts.likert_chart(lc, "Items", fmt="svg", min_cell=0)
    assert "Service user" not in svg and "Professional (n = 6)" in svg


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_chart_words_in_the_report_language(fmt, monkeypatch):
    """A Finnish report's charts say "ei näytetä" and group thousands as its tables do (1 234, no-break space).
    The PNG's words are caught where Pillow draws them."""
    lc = charts.likert_counts(data(), ["a", "b"], by="g")
    lc.counts[0, 0] *= 1000  # a group of thousands
    fi = charts.ChartText.of("fi", "comma")
    x = np.array([1.0, 2, 3, 4, 5, 6, 2, 3] + [4.0] * 1200)
    idx = np.array([0, 0, 0, 0, 0, 0, 1, 1] + [0] * 1200)
    stats = charts.box_stats(x, idx, ["Iso", "Pieni"])
    if fmt == "svg":
        text = charts.likert_chart(lc, "Osiot", fmt="svg", min_cell=3, text=fi) + \
            charts.score_boxplots([("Mittari", stats)], fmt="svg", min_cell=5, decimal="comma", text=fi)
    else:
        from PIL import ImageDraw

        said = []
        real = ImageDraw.ImageDraw.text
        monkeypatch.setattr(ImageDraw.ImageDraw, "text", lambda self, xy, s, *a, **k: (said.append(s),
                                                                                       real(self, xy, s, *a, **k))[1])
        charts.likert_chart(lc, "Osiot", fmt="png", min_cell=3, text=fi)
        charts.score_boxplots([("Mittari", stats)], fmt="png", min_cell=5, decimal="comma", text=fi)
        text = "\n".join(said)
    n_prof = int(lc.counts[0, 0].sum())
    assert n_prof >= 1000
    assert f"Professional (n = {n_prof // 1000}\u00a0{n_prof % 1000:03d})" in text
    assert "Service user (n &lt; 3, ei näytetä)" in text or "Service user (n < 3, ei näytetä)" in text
    assert "ei näytetä: Pieni" in text and "n = 1\u00a0206" in text
    assert "not shown" not in text
