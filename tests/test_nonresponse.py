"""Non-response: rates by hand, tests against R's chisq.test / fisher.test, Little's MCAR test against
an independent computation in R from lavaan's ML estimates, break-off, skip logic, the command."""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.data.responses import Responses
from coprod.analysis.stats.nonresponse import cell_status, mcar_table, missing_kind, nonresponse
from coprod.analysis.stats.nonresponse_more import fisher_k2, little_mcar
from coprod.instrument.errors import OptionError

from lavaan import require_lavaan

RSCRIPT = shutil.which("Rscript")

DEFINITION = """\
id: nonresponse-test
version: "1.0"
title: Non-response test
languages: [en]
default_language: en
respondent_id: resp_id
missing:
  -9: No answer
groups:
  question: role
  codes: {professional: 1, volunteer: 2, service_user: 3}
choices:
  role:
    options: {1: Professional, 2: Volunteer, 3: Service user}
  agree5:
    ordered: true
    options: {1: Strongly disagree, 2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}
    missing:
      -8: Don't know
      -7: Not applicable
sections:
  - id: profile
    title: About you
    questions:
      - {name: role, type: single, choices: role, required: true, text: Your role?}
      - {name: years, type: integer, min: 0, max: 60, relevant: "role in (1, 2)", text: Years involved?}
  - id: trust
    title: Trust
    defaults: {type: likert, choices: agree5}
    questions:
      - {name: t1, text: One.}
      - {name: t2, text: Two.}
      - {name: t3, text: Three.}
      - {name: t4, text: Four.}
  - id: staff
    title: Staff only
    relevant: "role = 1"
    defaults: {type: likert, choices: agree5}
    questions:
      - {name: s1, text: Staff one.}
      - {name: s2, text: Staff two.}
  - id: end
    title: Last
    questions:
      - {name: last, type: likert, choices: agree5, text: Last one.}
      - {name: comment, type: longtext, text: Anything else?}
scales:
  trust:
    label: Trust
    items: [t1, t2, t3, t4]
"""
ITEMS = ["t1", "t2", "t3", "t4"]


def simulate(seed: int = 11, sizes=(70, 60, 50)) -> pd.DataFrame:
    """Three groups; don't know more common among service users, values missing at random (MAR) on t4,
    skipped questions empty, some respondents stopping early."""
    rng = np.random.default_rng(seed)
    role = np.repeat([1.0, 2.0, 3.0], sizes)
    rng.shuffle(role)
    n = role.size
    z = rng.normal(size=n)
    df = pd.DataFrame({"resp_id": np.arange(1, n + 1, dtype=float), "role": role,
                       "years": np.where(role < 3, rng.integers(0, 30, n), np.nan).astype(float)})
    for j, v in enumerate(ITEMS + ["s1", "s2", "last"]):
        df[v] = np.clip(np.round(3 + z * (0.8 + 0.1 * j) + rng.normal(scale=0.8, size=n)), 1, 5)
        dk = rng.random(n) < np.where(role == 3, 0.15, 0.03)
        na = rng.random(n) < 0.03
        df.loc[dk, v] = -8.0
        df.loc[na & ~dk, v] = -7.0
    df.loc[df["last"] < 0, "last"] = 3.0  # rare non-response: small expected counts, Fisher's test
    df.loc[rng.choice(n, 3, replace=False), "last"] = -8.0
    df.loc[rng.random(n) < 0.03, "t2"] = -9.0
    df.loc[(z > 0.5) & (rng.random(n) < 0.4), "t4"] = np.nan  # missing at random (depends on z)
    df.loc[rng.random(n) < 0.05, "t1"] = np.nan
    df.loc[role != 1, ["s1", "s2"]] = np.nan
    df["comment"] = None
    stop = rng.choice(n, 12, replace=False)
    for k, i in enumerate(stop):  # stop after the profile (position 2) or after t2 (position 4)
        df.loc[i, (ITEMS + ["s1", "s2", "last"]) if k % 2 else ["t3", "t4", "s1", "s2", "last"]] = np.nan
    df.loc[stop[:2], ["role", "years"] + ITEMS + ["s1", "s2", "last"]] = np.nan  # opened the form only
    return df


@pytest.fixture(scope="module")
def definition(tmp_path_factory):
    p = tmp_path_factory.mktemp("nr") / "def.yaml"
    p.write_text(DEFINITION, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def data(definition):
    from coprod import instrument

    return _attach(simulate(), instrument.load(definition))


def _attach(df: pd.DataFrame, inst) -> Responses:
    """The data with the instrument's labels and missing codes, as loading a file made from it gives."""
    from coprod.analysis.data.labels import label_from_instrument

    return label_from_instrument(Responses(df), inst)


def test_missing_kinds_from_labels():
    assert missing_kind(["Don't know"]) == "dont_know" and missing_kind(["Kan inte säga"]) == "dont_know"
    assert missing_kind(["En osaa sanoa"]) == "dont_know" and missing_kind(["DK"]) == "dont_know"
    assert missing_kind(["Not applicable"]) == "not_applicable" and missing_kind(["N/A"]) == "not_applicable"
    assert missing_kind(["Ei koske minua"]) == "not_applicable" and missing_kind(["Refused"]) == "refused"
    assert missing_kind([None, ""]) == "refused"


def test_rates_by_hand(data):
    raw, res = data.data, nonresponse(data, by="role")
    it = res.item_nonresponse.set_index(["variable", "group"])
    for v in ITEMS + ["s1", "last"]:
        for code, lab in ((1.0, "Professional"), (3.0, "Service user")):
            x = raw.loc[raw["role"] == code, v].to_numpy(dtype=float)
            asked = x.size if v != "s1" or code == 1 else 0
            row = it.loc[(v, lab)]
            assert row["n"] == x.size and row["n_asked"] == asked
            if not asked:
                assert row["n_not_asked"] == x.size and np.isnan(row["nonresponse_percent"])
                continue
            dk, na, ref, empty = (x == -8).sum(), (x == -7).sum(), (x == -9).sum(), np.isnan(x).sum()
            assert (row["n_dont_know"], row["n_not_applicable"], row["n_refused"], row["n_missing"]) == (dk, na, ref, empty)
            assert row["n_answered"] == (x > 0).sum()
            assert row["dont_know_percent"] == pytest.approx(100 * dk / asked, abs=1e-12)
            assert row["nonresponse_percent"] == pytest.approx(100 * (asked - (x > 0).sum()) / asked, abs=1e-12)
    # respondents without a role: in the total, in no group; the years question asks roles 1 and 2 only
    tot = it.loc[("years", "Total")]
    known3 = int((raw["role"] == 3).sum())
    assert tot["n_not_asked"] == known3 and tot["n"] == len(raw)


def test_status_keeps_not_asked_apart_from_not_answered(data):
    st = cell_status(data, "s1")
    role = data.data["role"].to_numpy()
    assert (st[(role == 2) | (role == 3)] == -1).all()
    assert (st[role == 1] >= 0).all()
    assert (st[np.isnan(role)] >= 0).all()  # a condition that cannot be judged: asked


def _r(script: str, tmp_path) -> str:
    if RSCRIPT is None:
        pytest.skip("R (Rscript) is not installed")
    (tmp_path / "job.R").write_text(script)
    proc = subprocess.run([RSCRIPT, "job.R"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_tests_match_r(data, tmp_path):
    res = nonresponse(data, by="role")
    tests = res.nonresponse_tests.set_index("variable")
    st = {v: cell_status(data, v) for v in ITEMS + ["s1", "last", "years"]}
    role = data.data["role"].to_numpy()
    frame = pd.DataFrame({"role": role, **{v: np.where(s < 0, np.nan, (s > 0).astype(float)) for v, s in st.items()}})
    frame.to_csv(tmp_path / "d.csv", index=False, na_rep="NA")
    out = _r("""options(digits = 17)
d <- read.csv("d.csv")
for (v in c("t1", "t2", "t3", "t4", "last", "years")) {
  m <- table(factor(d$role), factor(d[[v]], levels = c(0, 1)))
  m <- m[rowSums(m) > 0, , drop = FALSE]
  e <- outer(rowSums(m), colSums(m)) / sum(m)
  if (any(colSums(m) == 0)) cat(v, "none", NA, NA, NA, "\\n")
  else if (any(e < 5)) { r <- fisher.test(m); cat(v, "fisher", NA, NA, r$p.value, "\\n") }
  else { r <- chisq.test(m, correct = FALSE); cat(v, "chi2", r$statistic, r$parameter, r$p.value, "\\n") }
}""", tmp_path)
    seen = set()
    for line in out.strip().splitlines():
        v, test, stat, df, p = line.split()
        row = tests.loc[v]
        seen.add(test)
        if test == "none":
            assert np.isnan(row["p"]) and row["note"].startswith("everyone answered"), v
            continue
        assert row["test"] == test, v
        assert row["p"] == pytest.approx(float(p), rel=1e-6, abs=1e-12), v
        if test == "chi2":
            assert row["statistic"] == pytest.approx(float(stat), rel=1e-6) and row["df"] == float(df)
    assert seen == {"chi2", "fisher", "none"}  # both branches are checked
    assert "fewer than two groups" in tests.loc["s1", "note"]
    assert "not asked of Service user" in tests.loc["years", "note"]
    from coprod.analysis.stats.posthoc import adjust_p

    assert np.allclose(tests["p_adj"], adjust_p(tests["p"].to_numpy(dtype=float), "holm"), equal_nan=True)


@pytest.mark.parametrize("table", [[[2, 8], [0, 10], [5, 5]], [[1, 30], [4, 25], [0, 33], [6, 20]], [[3, 1], [1, 3]],
                                   [[0, 12], [9, 3]]])
def test_fisher_k2_matches_r(table, tmp_path):
    t = np.array(table)
    cells = ", ".join(str(v) for v in t.T.ravel())
    out = _r(f"options(digits = 17); cat(fisher.test(matrix(c({cells}), {t.shape[0]}))$p.value)", tmp_path)
    assert fisher_k2(t) == pytest.approx(float(out), rel=1e-9)


MCAR_R = """options(digits = 17)
suppressPackageStartupMessages(library(lavaan))
d <- read.csv("x.csv")
d <- d[rowSums(!is.na(d)) > 0, ]
fit <- lavCor(d, missing = "ml", output = "fit", se = "none")
imp <- lavInspect(fit, "implied")
mu <- imp$mean; S <- imp$cov
pat <- apply(!is.na(d), 1, function(r) paste(as.integer(r), collapse = ""))
d2 <- 0; df <- 0
for (p in unique(pat)) {
  rows <- d[pat == p, , drop = FALSE]
  o <- which(strsplit(p, "")[[1]] == "1")
  diff <- colMeans(rows[, o, drop = FALSE]) - mu[o]
  d2 <- d2 + nrow(rows) * as.numeric(t(diff) %*% solve(S[o, o, drop = FALSE]) %*% diff)
  df <- df + length(o)
}
df <- df - ncol(d)
cat(d2, df, pchisq(d2, df, lower.tail = FALSE), length(unique(pat)), nrow(d), "\\n")
"""


@pytest.mark.parametrize("seed", [11, 5])
def test_little_mcar_matches_r(seed, tmp_path):
    require_lavaan()
    from coprod import instrument

    p = tmp_path / "def.yaml"
    p.write_text(DEFINITION, encoding="utf-8")
    resp = _attach(simulate(seed=seed, sizes=(150, 120, 100)), instrument.load(p))
    row = mcar_table(resp).set_index("scale").loc["trust"]
    X = resp.valid(ITEMS)
    X.to_csv(tmp_path / "x.csv", index=False, na_rep="NA")
    d2, df, pv, npat, n = (float(v) for v in _r(MCAR_R, tmp_path).split())
    assert (row["df"], row["n_patterns"], row["n"], row["k"]) == (df, npat, n, 4)
    # iterative estimates (EM here, stable to 1e-11; lavaan's optimiser there): chi-square agrees to about 1e-6,
    # a small p (6e-5 for seed 5) to 2e-5 relative
    assert row["chisq"] == pytest.approx(d2, rel=1e-5) and row["p"] == pytest.approx(pv, rel=1e-4, abs=1e-10)
    assert row["chisq"] > 0 and row["note"] == ""


def test_accelerated_em_reaches_the_em_fixed_point():
    # saturated_ml extrapolates EM's steps (SQUAREM): the same estimates as plain EM (cfa_fiml.em) to 1e-9
    from coprod.analysis.stats import cfa_fiml
    from coprod.analysis.stats.nonresponse_more import saturated_ml

    rng = np.random.default_rng(8)
    for _ in range(12):
        k, n = int(rng.integers(2, 8)), int(rng.integers(30, 250))
        X = rng.normal(size=(n, k)) @ rng.normal(size=(k, k)) + rng.normal(size=k)
        X[rng.random((n, k)) < rng.uniform(0.02, 0.3)] = np.nan
        X = X[~np.isnan(X).all(axis=1)]
        pats = cfa_fiml.patterns(X)
        plain, fast = cfa_fiml.em(X, pats), saturated_ml(X, pats)
        assert fast.n == plain.n
        assert np.allclose(fast.mean, plain.mean, rtol=0, atol=1e-9) and np.allclose(fast.cov, plain.cov, rtol=0, atol=1e-9)


def test_little_mcar_edge_cases():
    X = np.array([[1.0, 2], [2, 3], [3, 5]])
    assert little_mcar(X)["note"].startswith("one missing-data pattern") and little_mcar(X)["df"] == 0
    assert little_mcar(np.full((3, 2), np.nan))["note"] == "no respondent with an answer"


def test_breakoff(data):
    res = nonresponse(data, by="role")
    raw = data.data
    b = res.breakoff.set_index("group")
    people = res.respondents
    assert b.loc["Total", "n_empty"] == 2 and b.loc["Total", "n"] == len(raw)
    assert b.loc["Total", "n_broke_off"] == 10
    assert b.loc["Total", "n_completed"] + b.loc["Total", "n_broke_off"] + b.loc["Total", "n_empty"] == len(raw)
    assert b.loc["Total", "n_positions"] == 9  # role, years, t1-t4, s1, s2, last (the open question is not counted)
    stopped = people[people["broke_off"]]
    assert set(stopped["last_question"]) <= {"role", "years", "t2"}
    assert b.loc["Total", "median_position"] == pytest.approx(float(np.median(stopped["last_position"])))
    assert sum(b.loc[g, "n_broke_off"] for g in ("Professional", "Volunteer", "Service user")) == 10
    # per respondent: asked = closed questions the skip logic asks; answered = valid answers
    one = people[(people["group"] == "Volunteer") & ~people["broke_off"]].iloc[0]
    assert one["n_asked"] == 7  # role, years, t1-t4, last
    i = int(one["row"]) - 1
    vals = raw.loc[i, ["role", "years"] + ITEMS + ["last"]].to_numpy(dtype=float)
    assert one["n_answered"] == int((vals >= 0).sum())


def test_without_instrument_and_options():
    df = pd.DataFrame({"g": [1, 1, 2, 2], "a": [1.0, None, 2, 3], "b": [1.0, 2, None, None]})
    res = nonresponse(df, by="g")
    assert list(res.tables()) == ["item_nonresponse", "nonresponse_tests", "breakoff", "respondents"]
    assert res.breakoff.set_index("group").loc["Total", "n_broke_off"] == 2  # rows 3 and 4 stop after a
    with pytest.raises(OptionError) as e:
        nonresponse(df, by="g", adjust="nope")
    assert e.value.param == "adjust"
    assert "nonresponse_tests" not in nonresponse(df).tables()


def test_cli(data, definition, tmp_path, cli):
    import json

    from coprod.analysis.data.io import write_responses

    path = tmp_path / "d.sav"
    write_responses(data, path)
    out = tmp_path / "nr.json"
    r = cli("nonresponse", path, "--by", "role", "-i", definition, "--format", "json", "--out", out)
    assert r.exit_code == 0, r.stderr
    got = json.loads(out.read_text())
    lib = nonresponse(data, by="role")
    tables = got["tables"] if "tables" in got else got
    assert set(lib.tables()) <= set(tables)
    bad = cli("nonresponse", path, "--by", "role", "-i", definition, "--adjust", "x")
    assert bad.exit_code == 2 and bad.stderr.startswith("error: --adjust:")
    # a row per respondent is data: in JSON (above) and CSV, not in a table for people to read
    md = cli("nonresponse", path, "--by", "role", "-i", definition, "--format", "md")
    assert md.exit_code == 0 and "Break-off" in md.stdout and "per respondent" not in md.stdout
    csv = cli("nonresponse", path, "--by", "role", "-i", definition, "--format", "csv")
    assert "broke_off" in csv.stdout and "last_question" in csv.stdout


@pytest.fixture(scope="module")
def builtin_stopped():
    """The built-in instrument's simulated data with ten respondents stopping early and many "don't know"
    answers to tr1 among service users."""
    from coprod.analysis.data.responses import copied
    from coprod.analysis.demo.simulate import simulated_responses

    sim = simulated_responses(n=300, seed=3)
    df = sim.data.copy()
    rng = np.random.default_rng(3)
    names = [v.name for v in sim.instrument.variables if v.name in df.columns]
    rest = names[names.index("tr1") + 1:]
    stop = rng.choice(np.flatnonzero(df["role"].to_numpy() == 1), 10, replace=False)
    for c in rest:
        df.loc[stop, c] = np.nan if pd.api.types.is_numeric_dtype(df[c]) else None
    users = np.flatnonzero(df["role"].to_numpy() == 3)
    df.loc[users[rng.random(users.size) < 0.3], "tr1"] = -8.0
    return copied(sim, data=df)


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_report_section(builtin_stopped, tmp_path, lang):
    from coprod.analysis.render.document import DisplayTable, Figure, Heading, Paragraph
    from coprod.analysis.report import build_report, words

    from test_report_lang import _words, english_words

    data = builtin_stopped
    res = build_report(data, lang=lang, out=tmp_path / "r.html", progress=False, invariance=False)
    blocks = res.document.blocks
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == words.say("nr.heading", lang))
    end = next(i for i, b in enumerate(blocks) if i > start and isinstance(b, Heading))
    before = [b.text for b in blocks[:start] if isinstance(b, Heading)]
    assert before[-1] == words.say("r.data check", lang)  # right after the data check
    section = blocks[start:end]
    tables = [b for b in section if isinstance(b, DisplayTable)]
    assert [t.title for t in tables][1:] == [words.say("nr.breakoff table", lang), words.say("nr.mcar table", lang)]
    text = [b.text for b in section if isinstance(b, Paragraph)]
    assert int(res.tables["breakoff"].iloc[0]["n_broke_off"]) == 10 and any(t.startswith("10 ") for t in text)
    head = words.say("nr.differ", lang, n=0, k=0, method="", items="")[:12]
    differ = [t for t in text if t.startswith(head)]
    assert len(differ) == 1 and data.instrument.variable("tr1").label[lang] in differ[0]  # the planted difference
    figs = [b for b in section if isinstance(b, Figure)]
    assert [f.caption for f in figs] == [words.say("nr.chart caption", lang)]
    n_diff = len(nr_differing(res))
    assert n_diff >= 1 and figs[0].svg.count("data-pct") == 4 * 3 * n_diff  # 4 kinds x 3 groups per differing item
    assert __import__("html").escape(words.say("nr.legend dont_know", lang)) in figs[0].svg
    if lang != "en":
        english = english_words()
        own = [t.title for t in tables] + [n for t in tables for n in t.notes] + text \
            + [c.header for t in tables for c in t.columns] + [f.caption for f in figs] \
            + [words.say(f"nr.legend {k}", lang) for k in ("dont_know", "not_applicable", "refused", "missing")]
        assert {w for t in own for w in _words(t) & english} == set()
    assert words.say("nr.methods", lang)[:40] in res.methods


def test_small_counts_suppressed(data):
    from coprod.analysis.render.suppress import is_suppressed, suppress_table

    table = nonresponse(data, by="role").item_nonresponse
    shown, k = suppress_table("item_nonresponse", table, 5)
    assert k > 0
    for c in ("n_dont_know", "n_not_applicable", "n_refused", "n_missing", "n_answered"):
        visible = [v for v in shown[c] if not is_suppressed(v)]
        assert not any(0 < v < 5 for v in visible), c
    nr = table["n_asked"] - table["n_answered"]
    assert all(is_suppressed(v) for v, m in zip(shown["nonresponse_percent"], nr) if 0 < m < 5)
    assert shown["n_asked"].equals(table["n_asked"])  # those asked are the group's size: shown


def nr_differing(res) -> list:
    tests = res.tables["nonresponse_tests"]
    return list(tests["variable"][tests["p_adj"] < 0.05])


def test_chart_png(data):
    from coprod.analysis.report import nonresponse as nr
    from coprod.analysis.report.nonresponse_chart import chart_rows, nonresponse_png

    parts = nr.nonresponse_parts(data, "role", "holm")
    items = parts.tables["item_nonresponse"]
    rows = chart_rows(items[items["variable"].isin(nr.differing(parts)) & (items["group"] != "Total")], data.label, 5)
    assert rows and all(p.size == 4 for _, _, p in rows)
    assert nonresponse_png(rows, ["DK", "NA", "Refused", "Empty"])[:4] == b"\x89PNG"
