"""The report's "Can the groups be compared?" and "What respondents said" sections: their numbers against
the library functions, their words in Finnish and Swedish, switching off, and skipping what cannot be tested.

Charts are replaced by empty ones here (they are tested in test_report.py and test_charts.py): the
sections under test do not depend on them, and drawing 19 charts per report would triple the time.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from coprod import instrument
from coprod.analysis.render import apa
from coprod.analysis.report import build_report
from coprod.analysis.report.words import HEADERS, PHRASES, say

SEED = 20240601
pytestmark = pytest.mark.slow  # three reports of 300 respondents with 17 scales, the CFA of each


class Page(HTMLParser):
    """The report page as blocks: ("h", text), ("p", text) and ("table", {"title", "headers", "rows", "note"})."""

    def __init__(self, text: str):
        super().__init__()
        self.blocks: list = []
        self._stack: list = []
        self._text = ""
        self._table = None
        self._row = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self._stack.append((tag, dict(attrs)))
        if tag == "table" and "apa" in dict(attrs).get("class", ""):
            self._table = {"title": "", "headers": [], "rows": [], "note": ""}
            self.blocks.append(("table", self._table))
        elif tag == "tr" and self._table is not None:
            self._row = []
        if tag in ("h2", "h3", "p", "td", "th", "span"):
            self._text = ""

    def handle_endtag(self, tag):
        cls = self._stack.pop()[1].get("class", "") if self._stack else ""
        text = self._text.strip()
        if tag == "h2":
            self.blocks.append(("h", text))
        elif tag == "span" and cls == "title" and self._table is not None:
            self._table["title"] = text
        elif tag in ("td", "th") and self._row is not None:
            self._row.append(text)
        elif tag == "tr" and self._table is not None and self._row is not None:
            (self._table["headers"].__iadd__(self._row) if not self._table["headers"] else self._table["rows"].append(self._row))
            self._row = None
        elif tag == "table" and self._table is not None:
            self._table = None
        elif tag == "p":
            if cls == "note" and self.blocks and self.blocks[-1][0] == "table":
                self.blocks[-1][1]["note"] = text
            else:
                self.blocks.append(("p", text))

    def handle_data(self, data):
        self._text += data

    def section(self, heading: str) -> list:
        """The blocks from ``heading`` to the next heading."""
        start = self.blocks.index(("h", heading))
        end = next((i for i in range(start + 1, len(self.blocks)) if self.blocks[i][0] == "h"), len(self.blocks))
        return self.blocks[start:end]

    def headings(self) -> list[str]:
        return [t for kind, t in self.blocks if kind == "h"]


def tables(blocks) -> list[dict]:
    return [b for kind, b in blocks if kind == "table"]


@pytest.fixture(scope="module")
def no_charts():
    """Charts drawn as nothing (no worker processes for data this small: everything runs here)."""
    from coprod.analysis.report import charts

    mp = pytest.MonkeyPatch()
    mp.setattr(charts, "likert_chart", lambda *a, **k: b"")
    mp.setattr(charts, "score_boxplots", lambda *a, **k: b"")
    yield
    mp.undo()


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """The demo's data and coding: 300 simulated respondents, two coders' workbooks with their key file."""
    from coprod.analysis.demo.coding import simulate_coding
    from coprod.analysis.demo.simulate import simulated_responses

    d = tmp_path_factory.mktemp("sections")
    inst = instrument.builtin(("conciliation",))
    sim = simulated_responses(inst, n=300, seed=SEED)
    coded = simulate_coding(sim, inst, d / "coding", SEED)
    return d, inst, sim, coded


@pytest.fixture(scope="module")
def reports(study, no_charts):
    d, inst, sim, coded = study
    out = {}
    for lang in ("en", "fi", "sv"):
        res = build_report(sim, instrument=inst, lang=lang, coded=coded, out=d / f"r-{lang}.html", progress=False)
        out[lang] = res, Page((d / f"r-{lang}.html").read_text(encoding="utf-8"))
    return out


def _scored(sim, inst):
    """The data as the report analyses them: failed values cleared, scales scored."""
    from coprod.analysis.data.scoring import score
    from coprod.analysis.report.build import _checked

    resp, _ = _checked(sim, inst)
    return score(resp, inst)


def test_sections_in_order(reports):
    _, page = reports["en"]
    h = page.headings()
    assert h.index("Reliability") < h.index("Can the groups be compared?") < h.index("Scale scores by group")
    assert h.index("Frequencies") < h.index("What respondents said")


def test_fit_table_equals_cfa_and_invariance(study, reports):
    """Every fit number shown is the one cfa() and invariance() give on the same data."""
    from coprod.analysis.stats.cfa import cfa, invariance

    _, inst, sim, _ = study
    res, page = reports["en"]
    resp = _scored(sim, inst)
    scales = [s for s in inst.scales if s in resp.data.columns]
    single = cfa(resp, scale=scales).fit
    ladder = invariance(resp, by=inst.group_question, scale=scales, min_n=50).fit
    expect = pd.concat([single, ladder], ignore_index=True)
    pd.testing.assert_frame_equal(
        res.tables["cfa_fit"].sort_values(["scale", "model"]).reset_index(drop=True)[["scale", "model", "n", "chisq", "cfi"]],
        expect.sort_values(["scale", "model"]).reset_index(drop=True)[["scale", "model", "n", "chisq", "cfi"]])
    (table,) = tables(page.section("Can the groups be compared?"))
    assert table["title"] == "Factor models and measurement invariance by role in the service"
    h = table["headers"]
    labels = {resp.label(s): s for s in scales}
    models = {"All": "single", "Configural": "configural", "Metric": "metric", "Scalar": "scalar", "Strict": "strict"}
    assert len(table["rows"]) == len(expect) > 40
    for row in table["rows"]:
        cell = dict(zip(h, row))
        e = expect[(expect["scale"] == labels[cell["Scale"]]) & (expect["model"] == models[cell["Model"]])].iloc[0]
        assert cell["n"] == apa.fmt_int(e["n"])
        assert cell["χ²"] == apa.format_value(e["chisq"], "num")
        assert cell["CFI"] == apa.format_value(e["cfi"], "r3")
        assert cell["RMSEA"] == apa.format_value(e["rmsea"], "r3")
        if e["model"] in ("metric", "scalar", "strict"):
            assert cell["ΔCFI"] == apa.format_value(e["delta_cfi"], "r3")
            assert cell["p (Δχ²)"] == apa.format_value(e["p_diff"], "p")
        assert cell["Verdict"] == e["verdict"]


def test_verdicts_in_words_and_the_note_on_comparisons(study, reports):
    _, inst, sim, _ = study
    res, page = reports["en"]
    fit = res.tables["cfa_fit"]
    resp = _scored(sim, inst)
    words = [t for kind, t in page.section("Can the groups be compared?") if kind == "p"]
    # a scale holding scalar but not strict invariance, one failing metric invariance, one too small, one too short
    assert any(w.startswith(resp.label("felt_acc") + ": scalar invariance holds") for w in words)
    metric = fit[(fit["scale"] == "forum") & (fit["model"] == "metric")].iloc[0]
    assert metric["verdict"] == "fails"
    assert (resp.label("forum") + ": invariance holds up to the configural level, then fails (change in CFI "
            + apa.format_value(metric["delta_cfi"], "r3")) in " ".join(words)
    assert f"{resp.label('support')}: not tested: fewer than two groups with at least 50 respondents who answered every item." in words
    assert f"{resp.label('conc_conf')}: not tested: a one-factor model needs at least three items." in words
    (tests,) = [t for t in tables(page.blocks) if t["title"] == "Group comparisons of the scale scores"]
    assert "Scalar invariance was not supported for" in tests["note"] and resp.label("forum") in tests["note"]
    assert resp.label("felt_acc") + ";" not in tests["note"]
    for part in ("maximum likelihood", "fixing the first loading to 1", "respondents who answered every item",
                 "CFI dropped by at most .010 and RMSEA rose by at most .015 (Chen, 2007)"):
        assert part in res.methods


def test_themes_equal_themes_by_group(study, reports):
    """Theme counts and percentages shown are those of themes_by_group with the data's groups."""
    from coprod.analysis.coding.merge import load_coded
    from coprod.analysis.coding.run import link_data
    from coprod.analysis.coding.themes import themes_by_group

    d, inst, sim, coded = study
    res, page = reports["en"]
    groups, _ = link_data(sim, d / "coding" / "coding.key", lang="en")
    expect = themes_by_group(load_coded(coded, inst).coded, inst, groups=groups).themes
    pd.testing.assert_frame_equal(res.tables["themes"], expect)
    section = page.section("What respondents said")
    themes, tests_, agreement, quotes = tables(section)
    assert themes["title"] == "Themes of the open answers by group"
    shown = 0
    for row in themes["rows"]:
        part = expect[expect["label"] == row[0]]
        for j, h in enumerate(themes["headers"][1:], start=1):
            group, what = h.rsplit(" ", 1)
            e = part[part["group"] == group].iloc[0]
            if row[j] != "..":
                shown += 1
                assert row[j] == (apa.fmt_int(e["n_mentioning"]) if what == "n" else f"{e['percent']:.1f}")
    assert shown > 60 and any(".." in r for r in themes["rows"])  # small cells are hidden
    assert "fewer than 5 respondents" in themes["note"]
    # every theme is mentioned somewhere: the planted answers carry them all
    assert (expect[expect["group"] == "Total"]["n_mentioning"] > 0).all()


def test_agreement_and_methods(study, reports):
    from coprod.analysis.coding.agreement import OVERALL, agreement
    from coprod.analysis.coding.merge import load_coded

    _, inst, _, coded = study
    res, page = reports["en"]
    agr = agreement(load_coded(coded, inst).coded).agreement
    overall = agr[agr["theme"] == OVERALL].iloc[0]
    assert 0.6 < overall["alpha"] < 0.95  # planted: high agreement, not perfect
    (table,) = [t for t in tables(page.blocks) if t["title"] == "Agreement between coders"]
    assert table["rows"][-1][:2] == ["All themes", apa.format_value(overall["alpha"], "r")]
    alpha = f"{overall['alpha']:.2f}".replace("0.", ".", 1)
    assert "by 2 coders working independently" in res.methods
    assert f"Krippendorff's α = {alpha} (nominal)" in res.methods


def test_quotes_under_keys(study, reports):
    _, inst, sim, _ = study
    res, page = reports["en"]
    (table,) = [t for t in tables(page.blocks) if t["title"] == "Quotes"]
    assert table["headers"] == ["Theme", "Group", "Key", "Question", "Quote", "Flags"]
    quotes = res.tables["quotes"]
    assert len(table["rows"]) == len(quotes) > 5
    rid = sim.data[inst.respondent_id].astype(str)
    for row in table["rows"]:
        assert re.fullmatch(r"R[0-9A-F]{10}", row[2]) and row[2] not in set(rid)


def _english_words() -> set[str]:
    """Words of the English catalogue found in neither the Finnish nor the Swedish one (names excepted)."""
    def words(texts):
        return {w.lower() for t in texts for w in re.findall(r"[A-Za-zÀ-ÿ]{4,}", re.sub(r"\{\w*\}", "", t))}

    en = words([p["en"] for p in PHRASES.values()] + list(HEADERS))
    other = words([p[k] for p in PHRASES.values() for k in ("fi", "sv")]
                  + [h[k] for h in HEADERS.values() for k in ("fi", "sv")])
    return en - other - {"fisher", "pearson", "chen", "bentler", "cramér", "krippendorff", "rmsea", "srmr"}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_finnish_and_swedish_have_no_english(reports, lang):
    res, page = reports[lang]
    english = _english_words()
    assert {"groups", "compared", "scale", "themes", "quotes", "holds", "fails"} <= english
    for key in ("inv.heading", "coding.heading"):
        section = page.section(say(key, lang))
        text = []
        for kind, b in section:
            if kind == "table":
                body = [] if b["title"] == say("coding.quotes", lang) else [c for r in b["rows"] for c in r]
                text += [b["title"], b["note"], *b["headers"], *body]
            else:
                text.append(b)
        found = {w for w in re.findall(r"[A-Za-zÀ-ÿ]{4,}", " ".join(text).lower())} & english
        assert not found, (key, found)
    sentences = res.methods.split("Homogeneity")[-1]
    assert say("inv.estimator ml", lang) in sentences and say("coding.one coder", lang) not in sentences
    assert "Measurement invariance" not in res.methods and "Open answers were coded" not in res.methods
    assert res.document.word("table") == {"fi": "Taulukko", "sv": "Tabell"}[lang]


def test_switched_off_and_too_small(study, no_charts, tmp_path):
    """--no-invariance leaves the section out; small groups are skipped with one line per scale."""
    from coprod.analysis.demo.simulate import simulated_responses

    _, inst, sim, _ = study
    res = build_report(sim, instrument=inst, invariance=False, progress=False)
    assert "Can the groups be compared?" not in [b.text for b in res.document.blocks if hasattr(b, "level")]
    assert "cfa_fit" not in res.tables and "Measurement invariance" not in res.methods
    assert "Scalar invariance" not in " ".join(n for t in res.document.tables() for n in t.notes)
    small = simulated_responses(inst, n=90, seed=3)
    res = build_report(small, instrument=inst, out=tmp_path / "s.html", progress=False)
    page = Page((tmp_path / "s.html").read_text(encoding="utf-8"))
    words = [t for kind, t in page.section("Can the groups be compared?") if kind == "p"]
    assert words[1:] and all(": not tested: " in w for w in words[1:])
    assert len(words) == 1 + len([s for s in inst.scales if s in res.tables["descriptives_scales"]["variable"].tolist()])


def test_command_line(study, no_charts, cli, tmp_path):
    """coprod report --coded ... --no-invariance: a thin layer; a missing key file is one error line."""
    from coprod.analysis.data.io import write_responses

    d, inst, sim, coded = study
    write_responses(sim, tmp_path / "data.sav")
    r = cli("report", str(tmp_path / "data.sav"), "--coded", str(coded[0]), "--coded", str(coded[1]),
            "--no-invariance", "--out", str(tmp_path / "r.html"))
    assert r.exit_code == 0, r.stderr
    page = Page((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "What respondents said" in page.headings() and "Can the groups be compared?" not in page.headings()
    r = cli("report", str(tmp_path / "data.sav"), "--coded", str(coded[0]), "--key-file", str(tmp_path / "none.key"),
            "--out", str(tmp_path / "r2.html"))
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert r.exit_code == 2 and len(errors) == 1 and errors[0].startswith("error: --key-file: ")
    assert not (tmp_path / "r2.html").exists()
