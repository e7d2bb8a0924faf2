"""A report without groups (one service, the whole sample) and Markdown reports with chart files."""
from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coprod import instrument
from coprod.analysis.render import apa
from coprod.analysis.report import build_report
from coprod.instrument.errors import OutputExistsError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class _Page(HTMLParser):
    """Headings, paragraphs (with their class), tables (by caption title, rows of cell texts), images."""

    def __init__(self):
        super().__init__()
        self.headings, self.paras, self.images, self.tables = [], [], [], {}
        self._stack: list = []
        self._text: list = []
        self._table = None
        self._row = None
        self._title = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a.get("src", ""))
        elif tag == "table":
            self._table, self._title = [], None
        elif tag == "tr" and self._table is not None:
            self._row = []
        self._stack.append((tag, a.get("class", "")))
        self._text = []

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        if not self._stack:
            return
        t, cls = self._stack.pop()
        text = "".join(self._text).strip()
        if t in ("h1", "h2", "h3"):
            self.headings.append(text)
        elif t == "p":
            self.paras.append((cls, text))
        elif t == "span" and cls == "title":
            self._title = text
        elif t in ("td", "th") and self._row is not None:
            self._row.append(text)
        elif t == "tr" and self._table is not None and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif t == "table" and self._table is not None:
            self.tables[self._title or f"table-{len(self.tables)}"] = self._table
            self._table = None
        self._text = []


def parse(path) -> _Page:
    page = _Page()
    page.feed(Path(path).read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """The built-in questionnaire without its group question, simulated answers without planted errors."""
    from coprod.analysis.demo.simulate import simulated_responses

    d = tmp_path_factory.mktemp("overall")
    inst = dataclasses.replace(instrument.builtin(), group_question=None)
    sim = simulated_responses(instrument.builtin(), n=90, seed=11, invalid=False)
    res = build_report(sim, instrument=inst, out=[d / "r.html", d / "report.md"], progress=False)
    return d, inst, sim, res


def test_overall_html(single):
    d, inst, sim, res = single
    page = parse(d / "r.html")
    # the sample: one row, all respondents
    assert page.tables["Respondents"][1:] == [["All respondents", str(len(sim.data)), "100.0"]]
    assert int(page.tables["Respondents"][1][1]) == len(sim.data) == 90
    # no group comparisons, no post hoc, no group split in the titles
    assert "Group comparisons" not in page.headings and "Scale scores by group" not in page.headings
    assert {"Sample", "Methods", "Data check", "Reliability", "Scale scores", "Items", "Frequencies"} <= set(page.headings)
    assert "tests" not in res.tables and "posthoc" not in res.tables
    assert not any("by group" in t for t in page.tables)
    # methods: nothing about tests, p-values or corrections
    methods = [text for cls, text in page.paras if cls == "methods"]
    assert len(methods) == 1 and methods[0] == res.methods
    for word in ("p-values", "Holm", "compared", "group"):
        assert word not in methods[0]
    assert methods[0].startswith("The analysis included 90 respondents.")


def test_overall_reliability_matches_library(single):
    from coprod.analysis.stats.reliability import reliability
    from coprod.analysis.data.scoring import score

    d, inst, sim, res = single
    page = parse(d / "r.html")
    rel_rows = page.tables["Reliability of the scales"]
    head = rel_rows[0]
    assert "Group" not in head  # one group: no group column
    shown = {r[0]: r[head.index("α")] for r in rel_rows[1:]}
    scales = list(inst.scales)
    own = reliability(score(sim, inst), scale=scales).scale.set_index("scale")
    assert set(shown) == set(scales)
    for s in scales:
        assert shown[s] == apa.fmt_r(own.loc[s, "alpha"]), s
    # scale means of the report are those of the scored data
    scored = score(sim, inst).data
    desc = res.tables["descriptives_scales"].set_index("variable")
    for s in scales:
        assert desc.loc[s, "mean"] == pytest.approx(scored[s].mean())
        assert desc.loc[s, "n"] == scored[s].notna().sum()


def test_overall_figures(single):
    import base64

    d, inst, sim, res = single
    page = parse(d / "r.html")
    in_scales = {i for s in inst.scales.values() for i in s.items}
    ordered = [q for q in inst.questions
               if q.type == "likert" or (q.type == "single" and q.choices is not None and q.choices.ordered)]
    other = {q.choices.name for q in ordered if q.name not in in_scales}
    from coprod.analysis.report.charts import BOX_PANELS

    boxes = -(-len(inst.scales) // BOX_PANELS)  # the box plots: a figure of six scales at most
    assert len(page.images) == boxes + len(inst.scales) + len(other)
    for src in page.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == PNG_MAGIC
    captions = [f.caption for f in res.document.figures()]
    assert [c.split(". Boxes")[0] for c in captions[:boxes]] == [f"Scale scores ({i}/{boxes})" for i in range(1, boxes + 1)]
    assert all("per group" not in c for c in captions)


def test_no_instrument_no_groups(tmp_path):
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"id": np.arange(1, 41), "a": rng.integers(1, 6, 40), "b": rng.integers(1, 6, 40)})
    res = build_report(df, out=tmp_path / "r.html", progress=False)
    page = parse(tmp_path / "r.html")
    assert page.tables["Respondents"][1] == ["All respondents", "40", "100.0"]
    assert "Group comparisons" not in page.headings
    desc = res.tables["descriptives"].set_index("variable")
    assert desc.loc["a", "mean"] == pytest.approx(df["a"].mean())
    assert desc.loc["b", "sd"] == pytest.approx(df["b"].std(ddof=1))


def test_cli_report_without_groups(tmp_path, cli):
    rng = np.random.default_rng(5)
    pd.DataFrame({"a": rng.integers(1, 6, 30), "b": rng.integers(1, 6, 30)}).to_csv(tmp_path / "d.csv", index=False)
    r = cli("report", tmp_path / "d.csv", "-o", tmp_path / "r.md")
    assert r.returncode == 0, r.stderr
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "| All respondents | 30 | 100.0 |" in md and "Group comparisons" not in md


# ------------------------------------------------------------------------------ Markdown with chart files
def _links(md: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", md)


def test_markdown_charts_as_files(single):
    d, inst, sim, res = single
    md = (d / "report.md").read_text(encoding="utf-8")
    assert "data:image" not in md
    links = _links(md)
    assert links == [f"report_files/figure-{i}.png" for i in range(1, len(res.document.figures()) + 1)]
    for link, fig in zip(links, res.document.figures()):
        data = (d / link).read_bytes()
        assert data[:8] == PNG_MAGIC and data == fig.png
    assert sorted(p.name for p in (d / "report_files").iterdir()) == sorted(Path(x).name for x in links)


def test_markdown_never_overwrites(single, tmp_path):
    import pyreadstat

    # two sets of rating items, so two chart files beside the Markdown
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"a": rng.integers(1, 3, 60), "b": rng.integers(1, 4, 60), "c": rng.integers(1, 4, 60)}).astype(float)
    inst, sim = None, tmp_path / "d.sav"
    pyreadstat.write_sav(df, str(sim), variable_value_labels={"a": {1.0: "No", 2.0: "Yes"}} | {
        v: {1.0: "Low", 2.0: "Mid", 3.0: "High"} for v in "bc"}, variable_measure=dict.fromkeys("abc", "ordinal"))
    out = tmp_path / "report.md"
    build_report(sim, instrument=inst, out=out, progress=False)
    before = {p: p.read_bytes() for p in [out, *(tmp_path / "report_files").iterdir()]}
    assert len(before) > 2
    with pytest.raises(OutputExistsError):
        build_report(sim, instrument=inst, out=out, progress=False)
    (out).unlink()  # the folder alone is enough to refuse
    with pytest.raises(OutputExistsError, match="report_files"):
        build_report(sim, instrument=inst, out=out, progress=False)
    assert not out.exists()
    for p, data in before.items():
        if p != out:
            assert p.read_bytes() == data
    # with force: replaced, links intact, no stray files
    build_report(sim, instrument=inst, out=out, force=True, progress=False)
    links = _links(out.read_text(encoding="utf-8"))
    assert sorted(p.name for p in (tmp_path / "report_files").iterdir()) == sorted(Path(x).name for x in links)


def test_markdown_tables_only_need_no_folder(tmp_path):
    from coprod.analysis.render import emit

    emit({"t": pd.DataFrame({"variable": ["x"], "n": [12], "mean": [3.25]})}, out=str(tmp_path / "t.md"))
    assert [p.name for p in tmp_path.iterdir()] == ["t.md"]


def test_markdown_failed_write_leaves_nothing(tmp_path, monkeypatch):
    import coprod.analysis.render as render
    from coprod.analysis.render import Document, Figure, write_markdown

    doc = Document("T", [Figure("f", "one", png=PNG_MAGIC + b"1"), Figure("g", "two", png=PNG_MAGIC + b"2")])

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(render, "write_output", fail)
    with pytest.raises(OSError):
        write_markdown(doc, tmp_path / "r.md")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    write_markdown(doc, tmp_path / "r.md")
    assert (tmp_path / "r_files" / "figure-2.png").read_bytes() == PNG_MAGIC + b"2"
    assert "![two](r_files/figure-2.png)" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_no_likert_chart_of_continuous_or_nominal_variables(tmp_path):
    """A file without a questionnaire: only ordinal rating items get a diverging bar chart."""
    import pyreadstat

    from coprod.analysis.render.document import Figure
    from coprod.analysis.report import build_report

    rng = np.random.default_rng(5)
    n = 60
    df = pd.DataFrame({"income": rng.normal(3000, 500, n).round(2), "gender": rng.integers(1, 3, n).astype(float),
                       "rating": rng.integers(1, 6, n).astype(float)})
    path = tmp_path / "d.sav"
    pyreadstat.write_sav(df, str(path), variable_value_labels={"gender": {1.0: "Man", 2.0: "Woman"}},
                         variable_measure={"income": "scale", "gender": "scale", "rating": "ordinal"})
    res = build_report(path, progress=False)
    captions = [b.caption for b in res.document.blocks if isinstance(b, Figure)]
    likert = [c for c in captions if "Percent of valid answers" in c]
    assert len(likert) == 1 and "rating" in likert[0] and "income" not in likert[0] and "gender" not in likert[0]


def test_rating_items_with_different_codes_get_separate_charts(tmp_path):
    import pyreadstat

    from coprod.analysis.render.document import Figure
    from coprod.analysis.report import build_report

    rng = np.random.default_rng(6)
    n = 80
    df = pd.DataFrame({"a": rng.integers(1, 3, n).astype(float), "b": rng.integers(1, 4, n).astype(float),
                       "c": rng.integers(1, 4, n).astype(float)})
    path = tmp_path / "d.sav"
    pyreadstat.write_sav(df, str(path), variable_value_labels={"a": {1.0: "No", 2.0: "Yes"},
                                                                "b": {1.0: "Low", 2.0: "Mid", 3.0: "High"},
                                                                "c": {1.0: "Low", 2.0: "Mid", 3.0: "High"}},
                         variable_measure={"a": "ordinal", "b": "ordinal", "c": "ordinal"})
    res = build_report(path, progress=False)
    captions = [b.caption for b in res.document.blocks if isinstance(b, Figure) and "Percent of valid" in b.caption]
    assert len(captions) == 2
    # every answer counted: nothing of b or c falls out as 'missing' because a has only two codes
    assert "a 0" in captions[0] and "b 0" in captions[1] and "c 0" in captions[1]
