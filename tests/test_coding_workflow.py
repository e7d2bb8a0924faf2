"""Coding open answers end to end: export, two coders fill their workbooks, import, agreement, themes by group."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from scipy import stats
from typer.testing import CliRunner

from coprod.analysis.coding import agreement, import_coding, themes_by_group
from coprod.analysis.coding.agreement import OVERALL, alpha_nominal
from coprod.analysis.coding.answers import key_secret, open_answers, respondent_keys
from coprod.analysis.coding.run import export_coding, link_data
from coprod.analysis.coding.workbook import META, SHEET
from coprod.analysis.demo.simulate import simulated_responses
from coprod.analysis.render import to_csv
from coprod.cli import app

# what the "true" coder sees in each simulated answer (simulate.TEXTS)
KEYWORDS = {"responsib": "unclear_resp", "unclear": "role_conflict", "training": "support", "supervisor": "support",
            "paperwork": "burden", "feedback": "evaluation", "worked well": "trust", "cooperation": "trust",
            "understand": "involvement"}


@pytest.fixture(scope="module")
def resp():
    return simulated_responses(n=240, seed=7, invalid=False)


@pytest.fixture(scope="module")
def exported(resp, tmp_path_factory):
    d = tmp_path_factory.mktemp("coding")
    a = export_coding(resp, d / "anna.xlsx", coder="anna", seed=1)
    b = export_coding(resp, d / "ben.xlsx", coder="ben", seed=2, blind=True)
    return d, a, b


def truth(answer: str, theme: str) -> int:
    return int(any(k in answer.lower() and t == theme for k, t in KEYWORDS.items()))


def fill(path, decide, quote=lambda key, answer: False, skip=lambda key, q: False) -> dict:
    """Fill a workbook as a coder would: decide(key, question, theme, answer) -> 0/1. Returns the decisions."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    themes = [h for h in header if h not in ("key", "group", "question", "answer", "quote", "notes")]
    made = {}
    for r in range(2, ws.max_row + 1):
        key, q, answer = ws.cell(r, col["key"]).value, ws.cell(r, col["question"]).value, ws.cell(r, col["answer"]).value
        if skip(key, q):
            continue
        row = {t: decide(key, q, t, answer) for t in themes
               if not ws.cell(r, col[t]).fill.fgColor.rgb.endswith("D9D9D9")}  # grey: does not apply
        for t, v in row.items():
            # empty counts as 0 in a coded row; a row with no theme needs its 0s (else: not coded)
            ws.cell(r, col[t]).value = v if v or not any(row.values()) else None
            made[(key, q, t)] = v
        if quote(key, answer):
            ws.cell(r, col["quote"]).value = 1
    wb.save(path)
    return made


def flips(key: str, q: str, t: str) -> bool:
    """The planted disagreements: a fixed ~8% of decisions, chosen by a hash of the unit."""
    return int(respondent_keys([f"{key}{q}{t}"], "x" * 32)[0][1:], 16) % 12 == 0


@pytest.fixture(scope="module")
def coded(exported):
    d, a, b = exported
    da = fill(a["out"], lambda k, q, t, ans: truth(ans, t), quote=lambda k, ans: "paperwork" in ans)
    db = fill(b["out"], lambda k, q, t, ans: truth(ans, t) ^ flips(k, q, t), skip=lambda k, q: q == "op_exp")
    res = import_coding([a["out"], b["out"]])
    return res, da, db


def test_export_workbook(resp, exported):
    d, a, b = exported
    assert a["key_file_created"] and not b["key_file_created"]  # the second export reuses the key
    wb = load_workbook(a["out"])
    ws = wb[SHEET]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["key", "group", "question", "answer"] and header[-2:] == ["quote", "notes"]
    inst = resp.instrument
    assert header[4:-2] == [t.code for t in inst.themes]
    assert wb[META].sheet_state == "veryHidden" and wb["codebook"]["A2"].value == inst.themes[0].code
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    expected = open_answers(resp, key_secret(d / "coding.key", create=False))
    assert len(rows) == len(expected) > 100
    # every non-empty open answer once, in full; no respondent id anywhere
    assert sorted((r[0], r[2], r[3]) for r in rows) == sorted(zip(expected["key"], expected["question"], expected["answer"]))
    ids = {str(int(i)) for i in resp.data["resp_id"]}
    assert not any(str(r[0]) in ids for r in rows) and all(re.fullmatch(r"R[0-9A-F]{10}", r[0]) for r in rows)
    # the formula-looking answer stays text
    formula = [c for c in ws["D"] if isinstance(c.value, str) and c.value.startswith("=")]
    assert formula and all(c.data_type == "s" for c in formula)
    assert ws["D2"].alignment.wrap_text
    # shuffled within question, questions in questionnaire order
    qs = [r[2] for r in rows]
    order = [q.name for q in inst.questions]
    assert qs == sorted(qs, key=order.index)
    assert [r[0] for r in rows if r[2] == "comments"] != list(expected.loc[expected["question"] == "comments", "key"])
    # validation: 0/1 on applicable cells, nothing on the others, errors shown
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"list", "custom"} and all(dv.showErrorMessage for dv in ws.data_validations.dataValidation)


def test_blind_has_no_group_and_seed_reproducible(resp, exported, tmp_path):
    d, a, b = exported
    ws = load_workbook(b["out"])[SHEET]
    assert "group" not in [c.value for c in ws[1]]
    again = export_coding(resp, tmp_path / "again.xlsx", coder="ben", seed=2, blind=True, key_file=d / "coding.key")
    keys = lambda p: [r[0] for r in load_workbook(p)[SHEET].iter_rows(min_row=2, values_only=True)]
    assert keys(again["out"]) == keys(b["out"])


def test_import_merges_without_problems(coded):
    res, da, db = coded
    assert res.problems.empty, res.problems
    assert res.coders == ["anna", "ben"]
    got = res.coded.dropna(subset=["value"])
    assert len(got) == len(da) + len(db)
    a = got[got["coder"] == "anna"].set_index(["key", "question", "theme"])["value"]
    assert all(a[k] == v for k, v in da.items())
    assert set(res.coded.loc[(res.coded["coder"] == "ben") & (res.coded["question"] == "op_exp"), "value"].isna())


def _coincidence_alpha(matrix: np.ndarray) -> float:
    """Krippendorff's nominal alpha from the coincidence matrix (Krippendorff 2011, section C), written out."""
    values = np.unique(matrix[~np.isnan(matrix)])
    o = np.zeros((len(values), len(values)))
    for unit in matrix.T:
        vals = unit[~np.isnan(unit)]
        m = len(vals)
        if m < 2:
            continue
        for i, x in enumerate(vals):
            for j, y in enumerate(vals):
                if i != j:
                    o[np.searchsorted(values, x), np.searchsorted(values, y)] += 1 / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d_o = o.sum() - np.trace(o)
    d_e = (n * n - (n_c ** 2).sum()) / (n - 1)
    return 1 - d_o / d_e


def test_published_worked_example():
    """Krippendorff (2011), 'Computing Krippendorff's alpha-reliability', C: 4 coders, 12 units, nominal: .743."""
    n = np.nan
    data = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
                     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
                     [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
                     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]])
    assert round(alpha_nominal(data), 3) == 0.743
    assert alpha_nominal(data) == pytest.approx(_coincidence_alpha(data), abs=1e-12)


def test_agreement_equals_krippendorff_package(coded):
    import krippendorff

    res, da, db = coded
    agr = agreement(res.coded)
    table = agr.agreement.set_index("theme")
    units = sorted(set(da) | set(db))
    for theme in ["support", "trust", OVERALL]:
        sel = [u for u in units if theme == OVERALL or u[2] == theme]
        m = np.array([[da.get(u, np.nan) for u in sel], [db.get(u, np.nan) for u in sel]], dtype=float)
        want = krippendorff.alpha(reliability_data=m, level_of_measurement="nominal")
        assert table.loc[theme, "alpha"] == pytest.approx(want, abs=1e-12)
        assert table.loc[theme, "alpha"] == pytest.approx(_coincidence_alpha(m), abs=1e-12)
        both = [u for u in sel if u in da and u in db]
        assert table.loc[theme, "units"] == len(both)
        assert table.loc[theme, "percent_agreement"] == pytest.approx(100 * np.mean([da[u] == db[u] for u in both]))
        assert table.loc[theme, "coders"] == 2
    assert 0.3 < table.loc[OVERALL, "alpha"] < 0.9  # planted: 1 in 12 decisions flipped, themes rare
    dis = agr.disagreements
    planted = {u for u in set(da) & set(db) if da[u] != db[u]}
    assert set(zip(dis["key"], dis["question"], dis["theme"])) == planted
    assert "Krippendorff's α = ." in agr.methods_sentence()


def test_themes_by_group_by_hand(resp, coded, exported):
    res, da, db = coded
    d = exported[0]
    groups, scores = link_data(resp, d / "coding.key")
    out = themes_by_group(res.coded, resp.instrument, groups=groups, scores=scores, coder="anna", quotes=True)
    t = out.themes.set_index(["theme", "group"])
    # by hand from anna's decisions: a respondent mentions a theme if any answer has it
    per = {}
    for (key, q, theme), v in da.items():
        per.setdefault((key, theme), 0)
        per[(key, theme)] = max(per[(key, theme)], v)
    for theme in ("support", "trust"):
        for g in ("Professional (paid staff)", "Volunteer", "Service user or client"):
            keys = [k for (k, th) in per if th == theme and groups[k] == g]
            men = sum(per[(k, theme)] for k in keys)
            assert t.loc[(theme, g), "n_answering"] == len(keys)
            assert t.loc[(theme, g), "n_mentioning"] == men
            assert t.loc[(theme, g), "percent"] == pytest.approx(100 * men / len(keys))
    # the test of one theme by hand (scipy directly)
    tests = out.theme_tests.set_index("theme")
    keys = [k for (k, th) in per if th == "support"]
    tab = pd.crosstab([groups[k] for k in keys], [per[(k, "support")] for k in keys]).to_numpy()
    chi = stats.chi2_contingency(tab, correction=False)
    assert tests.loc["support", "test"] == "chi2"
    assert tests.loc["support", "statistic"] == pytest.approx(chi.statistic, rel=1e-10)
    assert tests.loc["support", "p"] == pytest.approx(chi.pvalue, rel=1e-10)
    assert tests.loc["support", "effsize"] == pytest.approx(np.sqrt(chi.statistic / (tab.sum() * (min(tab.shape) - 1))))
    from statsmodels.stats.multitest import multipletests

    ok = tests["p"].notna()
    assert np.allclose(tests.loc[ok, "p_adj"], multipletests(tests.loc[ok, "p"], method="holm")[1])
    # co-occurrence and Jaccard by hand
    cooc = out.cooccurrence.set_index(["theme1", "theme2"])
    sets = {th: {(k, q) for (k, q, t2), v in da.items() if t2 == th and v} for th in ("support", "trust")}
    both = len(sets["support"] & sets["trust"])
    row = cooc.loc[("trust", "support")] if ("trust", "support") in cooc.index else cooc.loc[("support", "trust")]
    assert row["n"] == both and row["jaccard"] == pytest.approx(both / len(sets["support"] | sets["trust"]))
    # scale scores: Welch t by hand
    ts = out.theme_scales.set_index(["theme", "scale"]).loc[("support", "trust_comp")]
    sc = scores.set_index("key")["trust_comp"]
    a = np.array([sc[k] for k in keys if per[(k, "support")]]); b = np.array([sc[k] for k in keys if not per[(k, "support")]])
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    w = stats.ttest_ind(a, b, equal_var=False)
    assert ts["statistic"] == pytest.approx(w.statistic, rel=1e-10) and ts["p"] == pytest.approx(w.pvalue, rel=1e-10)
    assert ts["mean_mentioning"] == pytest.approx(a.mean()) and ts["n_not"] == len(b)
    # quotes: anna marked the paperwork answers
    q = out.quotes
    assert set(q["theme"]) == {"burden", ""}  # "" = quoted, but no theme present (burden does not apply there)
    assert set(q.loc[q["theme"] == "", "question"]).isdisjoint(resp.instrument.themes[9].questions)
    assert resp.instrument.themes[9].code == "burden" and (q["quote"].str.contains("paperwork")).all()
    assert "Welch" in out.methods_sentence()


def test_themes_table_suppressed_in_human_formats(coded):
    res = coded[0]
    out = themes_by_group(res.coded, None, coder="anna")
    csv = to_csv({"themes": out.themes}, min_cell=5)
    shown = pd.read_csv(pd.io.common.StringIO(csv.split("\n# note")[0]), dtype=str)
    raw = out.themes
    small = (raw["n_mentioning"].between(1, 4)) | ((raw["n_answering"] - raw["n_mentioning"]).between(1, 4))
    assert small.any()
    assert (shown.loc[small.to_numpy(), "n_mentioning"] == "..").all()
    assert (shown.loc[small.to_numpy(), "percent"] == "..").all()
    assert "# note:" in csv


def test_cli_round_trip(exported, coded, tmp_path, resp):
    d = exported[0]
    runner = CliRunner()
    csv = tmp_path / "coded.csv"
    r = runner.invoke(app, ["coding", "import", str(d / "anna.xlsx"), str(d / "ben.xlsx"), "--out", str(csv)])
    assert r.exit_code == 0, r.output
    assert "2 coders" in r.output
    r = runner.invoke(app, ["coding", "agreement", str(csv), "--format", "json"])
    assert r.exit_code == 0, r.output
    import json

    direct = agreement(coded[0].coded).agreement
    got = pd.DataFrame(json.loads(r.stdout)["agreement"])
    assert list(got.columns) == ["theme", "alpha", "units", "coders", "percent_agreement"]
    assert np.allclose(got["alpha"].astype(float), direct["alpha"], equal_nan=True)
    data = tmp_path / "data.sav"
    from coprod.analysis.data.io import write_responses

    write_responses(resp, data)
    r = runner.invoke(app, ["coding", "themes", str(csv), "--data", str(data), "--key-file", str(d / "coding.key"),
                            "--format", "json"])
    assert r.exit_code == 0, r.output
    tables = json.loads(r.stdout)
    assert set(tables) >= {"themes", "theme_tests", "cooccurrence", "theme_scales"}
    assert list(tables["themes"][0]) == ["theme", "label", "group", "n_mentioning", "n_answering", "percent"]
    assert list(tables["cooccurrence"][0]) == ["theme1", "theme2", "n", "jaccard"]
    assert {"theme", "test", "statistic", "df", "p", "p_adj", "effsize"} <= set(tables["theme_tests"][0])
