"""Charts: diverging stacked bars of Likert items by group, box plots of scale scores by group.

Every chart is drawn from aggregated numbers (counts per answer, quartiles per group), never
row by row, so a chart of 200,000 respondents costs what one of 300 does.  Each chart is laid out
once, as SVG text (:mod:`~coprod.analysis.report.svgcharts`): HTML shows it, Excel and Word get its PNG
(:mod:`~coprod.analysis.report.raster`, Pillow, imported only then).

Charts respect small-cell suppression: a group with fewer than ``min_cell`` valid answers is
not drawn (its row says so).
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# counting needs pandas and the responses; drawing (what a worker process does) needs only NumPy
# and, for PNG, Pillow: that import is inside the functions


@dataclass(frozen=True)
class ChartText:
    """What a chart writes besides the data's own labels, in the report's language (see :meth:`of`), and its
    counts written as the report's tables write them (``1\u00a0234`` with the decimal comma).

    >>> t = ChartText.of("fi", "comma")
    >>> t.few.format(label="Vapaaehtoinen", n=5), t.count(1234)
    ('Vapaaehtoinen (n < 5, ei näytetä)', '1\xa0234')
    >>> ChartText().count(1234)
    '1234'
    """
    not_shown: str = "not shown: {groups}"
    few: str = "{label} (n < {n}, not shown)"
    no_answers: str = "{label} (no answers)"
    decimal: str = "point"

    @classmethod
    def of(cls, lang: str = "en", decimal: str = "point") -> "ChartText":
        from coprod.analysis.report.words import PHRASES

        def phrase(key):
            return PHRASES[key].get(lang) or PHRASES[key]["en"]

        return cls(phrase("chart.not shown"), phrase("chart.few"), phrase("chart.no answers"), decimal)

    def count(self, n) -> str:
        return f"{int(n):,}".replace(",", "\u00a0") if self.decimal == "comma" else f"{int(n)}"


@dataclass
class LikertCounts:
    """Answer counts of Likert items by group.

    ``counts``: array (items, groups, codes); ``missing``: array (items, groups) of respondents in
    the group without a valid answer (user-missing codes, empty, or out of range).
    """

    items: list[str]
    item_labels: list[str]
    groups: list[str]
    codes: list[float]
    code_labels: list[str]
    counts: np.ndarray
    missing: np.ndarray
    neutral: list = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """Long table ``variable, group, code, label, count``."""
        import pandas as pd

        rows = []
        for i, v in enumerate(self.items):
            for j, g in enumerate(self.groups):
                for k, c in enumerate(self.codes):
                    rows.append((v, g, c, self.code_labels[k], int(self.counts[i, j, k])))
        return pd.DataFrame(rows, columns=["variable", "group", "code", "label", "count"])


def _codes_and_labels(resp, var: str, lang: str | None) -> tuple[list[float], list[str]]:
    import pandas as pd

    from coprod.analysis.data.responses import as_responses

    inst = resp.instrument
    if inst is not None:
        try:
            q = inst.variable(var).question
        except KeyError:
            q = None
        if q is not None and q.choices is not None:
            lang = lang or inst.default_language
            codes = [float(c) for c in q.choices.codes]
            return codes, [q.choices.label(c, lang, inst.default_language) for c in q.choices.codes]
    labels = resp.value_labels.get(var) or {}
    keys = [float(k) for k in labels if isinstance(k, (int, float, np.number))]
    if keys:
        probe = as_responses(pd.DataFrame({var: keys}))
        probe.missing_codes = {var: resp.missing_codes.get(var, ())}
        probe.missing_ranges = {var: resp.missing_ranges.get(var, ())}
        keep = ~probe.is_user_missing(var)
        codes = sorted(k for k, ok in zip(keys, keep) if ok)
        if codes:
            return codes, [str(labels.get(c, labels.get(int(c), c))) for c in codes]
    x = resp.valid([var])[var].to_numpy(dtype=float, na_value=np.nan)
    codes = sorted(float(c) for c in np.unique(x[~np.isnan(x)]))
    return codes, [resp.value_label(var, c) for c in codes]


def likert_counts(data, items: Sequence[str], by: str | None = None, lang: str | None = None) -> LikertCounts:
    """Count the answers of ``items`` (which share one answer scale) per group of ``by``.

    Codes and labels come from the instrument's choice list of the first item (in ``lang``),
    else from the value labels.  Respondents without a valid group are left out.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": [1, 1, 2, 2, 2], "a": [1, 2, 2, 9, 3]})
    >>> from coprod.analysis.data.responses import Responses
    >>> r = Responses(df, value_labels={"a": {1.0: "No", 2.0: "Maybe", 3.0: "Yes", 9.0: "DK"}},
    ...               missing_codes={"a": (9,)})
    >>> lc = likert_counts(r, ["a"], by="g")
    >>> lc.code_labels, lc.counts[0].tolist(), lc.missing[0].tolist()
    (['No', 'Maybe', 'Yes'], [[1, 1, 0], [0, 1, 1]], [0, 1])
    """
    import pandas as pd

    from coprod.analysis.data.responses import as_responses
    from coprod.analysis.stats import common as _stats

    resp = as_responses(data)
    names = [resp.resolve(v) for v in items]
    groups = _stats.groups_of(resp, by)
    codes, code_labels = _codes_and_labels(resp, names[0], lang)
    k = len(codes)
    G = groups.k
    counts = np.zeros((len(names), G, k), dtype=np.int64)
    missing = np.zeros((len(names), G), dtype=np.int64)
    gi = groups.index
    has_group = gi >= 0
    ca = np.asarray(codes, dtype=float)
    # codes outside the valid list (user-missing codes, invalid entries) fall out below, so the raw
    # values serve: no masked copy of the data is needed
    # integer codes (the usual case) are looked up in a table instead of searched for
    lookup = None
    if k and np.array_equal(ca, np.floor(ca)) and ca[-1] - ca[0] < 10_000:
        lookup = np.full(int(ca[-1] - ca[0]) + 1, -1, dtype=np.int64)
        lookup[(ca - ca[0]).astype(np.int64)] = np.arange(k)
    n_group = np.bincount(gi[has_group], minlength=G)
    for i, name in enumerate(names):
        x = pd.to_numeric(resp.data[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if lookup is not None:
            off = x - ca[0]
            inside = (off >= 0) & (off < lookup.size) & has_group  # False for NaN
            pos = np.full(x.size, -1, dtype=np.int64)
            whole = off[inside]
            pos[inside] = np.where(whole == np.floor(whole), lookup[whole.astype(np.int64)], -1)
            ok = pos >= 0
            pos_c = pos
        else:
            pos = np.searchsorted(ca, x)
            pos_c = np.clip(pos, 0, max(k - 1, 0))
            ok = ~np.isnan(x) & (pos < k) & (ca[pos_c] == x) & has_group
        counts[i] = np.bincount(gi[ok] * k + pos_c[ok], minlength=G * k).reshape(G, k)
        missing[i] = n_group - counts[i].sum(axis=1)
    labels = [resp.label(v) for v in names]
    if resp.instrument is not None:
        inst = resp.instrument
        lg = lang or inst.default_language
        for i, v in enumerate(names):
            try:
                q = inst.variable(v).question
                labels[i] = q.label_for(lg, inst.default_language) or labels[i]
            except KeyError:
                pass
    return LikertCounts(names, labels, list(groups.labels), codes, code_labels, counts, missing)


def _item_text(lc: LikertCounts, i: int, width: int) -> str:
    lab = lc.item_labels[i]
    text = lc.items[i] if not lab or lab == lc.items[i] else f"{lc.items[i]}: {lab}"
    return textwrap.shorten(text, width)


def likert_chart(lc: LikertCounts, title: str = "", fmt: str = "png", min_cell: int = 5,
                 text: ChartText | None = None):
    """A diverging stacked bar chart: disagreeing answers left of 0, agreeing right, the middle
    answer (odd scales) centred on 0; percentages of valid answers; missing answers excluded
    (see :func:`likert_caption`).  Returns SVG text (:func:`~coprod.analysis.report.svgcharts.likert_svg`,
    written from the counts) or the PNG of that SVG (:func:`~coprod.analysis.report.raster.png`).
    ``text``: the chart's own words and counts (English, counts ungrouped, by default).
    """
    from coprod.analysis.report.svgcharts import likert_svg

    svg = likert_svg(lc, title, min_cell, text or ChartText())
    return svg if fmt == "svg" else _png(svg)


def _png(svg: str) -> bytes:
    from coprod.analysis.report.raster import png

    return png(svg)


def _likert_rows(lc: LikertCounts, min_cell: int, text: ChartText) -> tuple[list, list, list, list, list]:
    """The rows of a Likert chart: y positions and texts of the item headings (when there are groups),
    y positions and labels of the rows, and the y positions and percentages of the bars drawn (groups
    under ``min_cell`` are not)."""
    G = len(lc.groups)
    y = 0.0
    heads, yticks, ylabels = [], [], []
    bar_y, bar_pct = [], []
    for i in range(len(lc.items)):
        if G > 1:
            heads.append((y, _item_text(lc, i, 90)))
            y += 1
        for j in range(G):
            c = lc.counts[i, j].astype(float)
            n = c.sum()
            label = lc.groups[j] if G > 1 else _item_text(lc, i, 60)
            if n == 0 and G > 1:  # a group the question was not asked of: no row
                continue
            yticks.append(y)
            if n == 0 or (min_cell and n < min_cell):
                ylabels.append(text.few.format(label=label, n=text.count(max(min_cell, 1))) if n
                               else text.no_answers.format(label=label))
                y += 1
                continue
            ylabels.append(f"{label} (n = {text.count(n)})")
            bar_y.append(y)
            bar_pct.append(100.0 * c / n)
            y += 1
        y += 0.4
    return heads, yticks, ylabels, bar_y, bar_pct


def warm_up() -> bool:
    """Load Pillow and the chart font (a worker process does this while the report reads its data)."""
    lc = LikertCounts(["a"], ["a"], ["g"], [1.0, 2.0], ["no", "yes"], np.array([[[3, 4]]]), np.array([[0]]))
    likert_chart(lc, "warm-up", min_cell=0)
    return True



def likert_caption(lc: LikertCounts, overall: bool = False, lang: str = "en") -> str:
    """Caption text in ``lang``: what the bars show and how many missing answers were excluded per item.

    ``overall``: the bars are of the whole sample (a report without groups), not per group.
    """
    from coprod.analysis.report.words import say

    answered = lc.counts.sum(axis=2) > 0  # (items, groups): groups the item was asked of
    miss = np.where(answered, lc.missing, 0).sum(axis=1)
    parts = ", ".join(f"{v} {int(m)}" for v, m in zip(lc.items, miss))
    silent = [] if overall else [g for j, g in enumerate(lc.groups)
                                 if not answered[:, j].any() and lc.missing[:, j].any()]
    return (say("r.likert", lang, per="" if overall else say("r.likert per", lang), parts=parts,
                middle=say("r.likert middle", lang) if len(lc.codes) % 2 else "")
            + (say("r.likert silent", lang, groups=", ".join(silent)) if silent else ""))


@dataclass
class BoxStats:
    label: str
    n: int
    med: float
    q1: float
    q3: float
    whislo: float
    whishi: float
    mean: float


def box_stats(values: np.ndarray, index: np.ndarray, labels: Sequence[str]) -> list[BoxStats]:
    """Quartiles (SPSS's definition), Tukey whiskers and mean of ``values`` per group index.

    >>> s = box_stats(np.array([1., 2, 3, 4, 5, 100]), np.zeros(6, dtype=int), ["A"])[0]
    >>> s.n, s.med, s.whishi
    (6, 3.5, 5.0)
    """
    out = []
    ok = ~np.isnan(values)
    for j, lab in enumerate(labels):
        x = values[ok & (index == j)]
        if x.size == 0:
            out.append(BoxStats(lab, 0, *([np.nan] * 6)))
            continue
        q1, med, q3 = np.percentile(x, [25, 50, 75], method="weibull")
        iqr = q3 - q1
        lo = x[x >= q1 - 1.5 * iqr].min()
        hi = x[x <= q3 + 1.5 * iqr].max()
        out.append(BoxStats(lab, int(x.size), float(med), float(q1), float(q3), float(lo), float(hi), float(x.mean())))
    return out


#: Box-plot panels (scales) in one figure of the report: two a row, three rows, as much as a page holds
#: at the size the panels are laid out (6.5 by 8.7 inches).
BOX_PANELS = 6


def score_boxplots(panels: Sequence[tuple[str, list[BoxStats]]], fmt: str = "png", min_cell: int = 5,
                   title: str = "", decimal: str = "point", text: ChartText | None = None):
    """Box plots of scale scores by group, one panel per scale; returns PNG bytes or SVG text.

    Boxes: quartiles; line: median; diamond: mean; whiskers: the most extreme scores within 1.5
    interquartile ranges.  Groups under ``min_cell`` respondents are not drawn.  SVG is written
    from the numbers (:func:`~coprod.analysis.report.svgcharts.boxplots_svg`), PNG drawn from it.  The scores
    on the axis are written with the decimal point or, with ``decimal="comma"``, the decimal comma;
    ``text``: the chart's own words and counts (English by default, counts in the style of ``decimal``);
    given, its own decimal style is used.
    """
    from coprod.analysis.report.svgcharts import boxplots_svg

    svg = boxplots_svg(panels, min_cell, title, text or ChartText(decimal=decimal))
    return svg if fmt == "svg" else _png(svg)
