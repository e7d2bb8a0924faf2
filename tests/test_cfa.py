"""CFA and measurement invariance cross-checked against R's lavaan (golden values from R at test time).

R: lavaan::cfa(model, data, meanstructure = TRUE) for one group; for the ladder
cfa(model, data, group = g, group.label = sorted labels, group.equal = ...) with group.equal
"", "loadings", c("loadings", "intercepts"), c("loadings", "intercepts", "residuals"), and
lavTestLRT(level, previous level).  See tests/lavaan.py for the whole script.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.stats.cfa import cfa, invariance
from coprod.instrument.errors import OptionError

from lavaan import RSCRIPT, require_lavaan, run_lavaan

pytestmark = pytest.mark.skipif(RSCRIPT is None, reason="R (Rscript) is not installed")

REL = 1e-4
FIT = {"chisq": "chisq", "p": "pvalue", "cfi": "cfi", "tli": "tli", "rmsea": "rmsea",
       "rmsea_ci_low": "rmsea.ci.lower", "rmsea_ci_high": "rmsea.ci.upper", "srmr": "srmr"}
ROBUST = {"chisq": "chisq.scaled", "p": "pvalue.scaled", "cfi": "cfi.robust", "tli": "tli.robust",
          "rmsea": "rmsea.robust", "rmsea_ci_low": "rmsea.ci.lower.robust",
          "rmsea_ci_high": "rmsea.ci.upper.robust", "srmr": "srmr"}


def close(a, b, rel=REL):
    return a == pytest.approx(b, rel=rel, abs=1e-10)


def simulate(seed: int = 7, sizes=(240, 150, 90, 30), missing_rate: float = 0.05) -> pd.DataFrame:
    """Five items, one factor; group 2 has a shifted intercept on q3 (scalar invariance fails there)."""
    rng = np.random.default_rng(seed)
    lam = np.array([1.0, 0.8, 1.2, 0.9, 0.7])
    nu = np.array([3.0, 3.2, 2.8, 3.1, 3.0])
    sd = np.array([0.6, 0.7, 0.8, 0.6, 0.7])
    frames = []
    for g, n in enumerate(sizes, start=1):
        f = rng.normal(loc=[0.0, 0.3, -0.2, 0.0][g - 1], scale=[1.0, 0.9, 1.1, 1.0][g - 1], size=n)
        shift = np.where(np.arange(5) == 2, 0.6, 0.0) if g == 2 else 0.0
        X = nu + shift + np.outer(f, lam) + rng.normal(size=(n, 5)) * sd
        frames.append(pd.DataFrame(np.round(X, 2), columns=[f"q{j}" for j in range(1, 6)]).assign(grp=g))
    df = pd.concat(frames, ignore_index=True)
    mask = rng.random((len(df), 5)) < missing_rate
    df.iloc[:, :5] = df.iloc[:, :5].mask(mask)
    return df


def compare_params(res, lav: dict, model: str, labels: list[str], items: list[str], se=True):
    """Every loading, intercept, residual variance and latent mean (estimate, SE, std) against lavaan."""
    pe = lav["pe"]
    if "group" not in pe:
        pe = pe.assign(group=1)
    for g, lab in enumerate(labels, start=1):
        sub = pe[pe["group"] == g]
        for table, op in (("loadings", "=~"), ("residuals", "~~"), ("intercepts", "~1")):
            ours = getattr(res, table)
            ours = ours[(ours["model"] == model) & (ours["group"] == lab)].set_index("variable")
            for v in items:
                if op == "~1":
                    r = sub[(sub["lhs"] == v) & (sub["op"] == "~1")].iloc[0]
                elif op == "=~":
                    r = sub[(sub["op"] == "=~") & (sub["rhs"] == v)].iloc[0]
                else:
                    r = sub[(sub["op"] == "~~") & (sub["lhs"] == v) & (sub["rhs"] == v)].iloc[0]
                o = ours.loc[v]
                assert close(o["estimate"], r["est"]), (model, lab, table, v)
                if r["se"] > 0 and se:
                    assert close(o["se"], r["se"]), (model, lab, table, v, "se")
                if "std" in o:
                    assert close(o["std"], r["std.all"]), (model, lab, table, v, "std")
        if model == "scalar":
            m = res.latent_means[res.latent_means["group"] == lab].iloc[0]
            r = sub[(sub["lhs"] == "f") & (sub["op"] == "~1")].iloc[0]
            assert close(m["estimate"], r["est"])
            if r["se"] > 0:
                assert close(m["se"], r["se"]) and close(m["z"], r["z"])


def compare_fit(row, lav: dict, names=FIT):
    fm = lav["fit"]
    assert row["df"] == int(fm["df"])
    assert row["n"] == int(fm["ntotal"])
    for ours, theirs in names.items():
        assert close(row[ours], fm[theirs]), (row["model"], ours, row[ours], fm[theirs])
    if lav["lrt"] is not None:
        assert close(row["chisq_diff"], lav["lrt"]["chisq_diff"])
        assert row["df_diff"] == lav["lrt"]["df_diff"]
        assert close(row["p_diff"], lav["lrt"]["p_diff"])


@pytest.fixture(scope="module")
def hs(tmp_path_factory):
    """lavaan's HolzingerSwineford1939, exported by R; the six items x1..x6 as one factor, by school."""
    exe = require_lavaan()
    work = tmp_path_factory.mktemp("hs")
    import subprocess

    # R: write.csv(lavaan::HolzingerSwineford1939, "hs.csv", row.names = FALSE)
    subprocess.run([exe, "-e", 'write.csv(lavaan::HolzingerSwineford1939, "hs.csv", row.names = FALSE)'],
                   check=True, cwd=work, capture_output=True, timeout=120)
    data = pd.read_csv(work / "hs.csv")
    items = [f"x{j}" for j in range(1, 7)]
    return data, items, work


@pytest.mark.parametrize("std_lv, estimator", [(False, "ml"), (True, "ml"), (False, "mlr")])
def test_holzinger_swineford_matches_lavaan(hs, std_lv, estimator):
    data, items, work = hs
    sub = work / f"{estimator}_{std_lv}"
    sub.mkdir(exist_ok=True)
    lav = run_lavaan(work / "hs.csv", sub, items, group="school", std_lv=std_lv, estimator=estimator.upper())
    ident = "variance" if std_lv else "marker"
    names = ROBUST if estimator == "mlr" else FIT
    single = cfa(data, items="x1..x6", identification=ident, estimator=estimator)
    compare_fit(single.fit.iloc[0], lav["single"], names)
    compare_params(single, lav["single"], "single", ["Total"], items)
    res = invariance(data, by="school", items="x1..x6", identification=ident, estimator=estimator)
    assert res.fit["model"].tolist() == ["configural", "metric", "scalar", "strict"]
    labels = sorted(data["school"].unique())
    for _, row in res.fit.iterrows():
        compare_fit(row, lav[row["model"]], names)
        compare_params(res, lav[row["model"]], row["model"], labels, items)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    work = tmp_path_factory.mktemp("sim")
    df = simulate()
    df.to_csv(work / "sim.csv", index=False)
    return df, work


@pytest.mark.parametrize("estimator, missing", [("ml", "listwise"), ("mlr", "listwise"), ("ml", "fiml")])
def test_simulated_groups_match_lavaan(simulated, estimator, missing):
    """Listwise: lavaan's default; FIML: lavaan's missing = "ml" (observed information)."""
    df, work = simulated
    items = [f"q{j}" for j in range(1, 6)]
    sub = work / f"{estimator}_{missing}"
    sub.mkdir(exist_ok=True)
    # R drops the group of 30 that invariance() leaves out: d <- d[d$grp != 4, ]
    lav = run_lavaan(work / "sim.csv", sub, items, group="grp", prepare="d <- d[d$grp != 4, ]",
                     estimator=estimator.upper(), missing="ml" if missing == "fiml" else "listwise")
    res = invariance(df, by="grp", items="q1..q5", estimator=estimator, missing=missing)
    single = cfa(df[df["grp"] != 4], items="q1..q5", estimator=estimator, missing=missing)
    names = ROBUST if estimator == "mlr" else FIT
    compare_fit(single.fit.iloc[0], lav["single"], names)
    compare_params(single, lav["single"], "single", ["Total"], items)
    assert res.excluded[["group", "reason"]].values.tolist() == [["4", "fewer than 50 respondents"]]
    for _, row in res.fit.iterrows():
        compare_fit(row, lav[row["model"]], names)
        compare_params(res, lav[row["model"]], row["model"], ["1", "2", "3"], items)
    verdicts = res.fit.set_index("model")["verdict"]
    assert verdicts["scalar"] == "fails"  # the planted intercept
    assert "scalar invariance fails" in res.sentences["scale"]
    if missing == "listwise":  # lavTestScore(scalar)$uni, the same (standard) test for ML and MLR fits
        rel = res.release
        assert rel.iloc[0][["group", "variable"]].tolist() == ["2", "q3"]
        assert "Releasing the intercept of q3 in 2" in res.sentences["scale"]
        theirs = lav["scalar"]["score"].set_index(["group", "variable"])
        assert len(theirs) == len(rel) == 10
        for _, r in rel.iterrows():
            assert close(r["chisq"], theirs.loc[(r["group"], r["variable"]), "X2"]), (r["group"], r["variable"])


def test_reverse_keyed_items_are_recoded():
    df = simulate(sizes=(200,), missing_rate=0.0).drop(columns="grp")
    flipped = df.assign(q5=6.0 - df["q5"])
    a = cfa(df, items="q1..q5").loadings
    b = cfa(flipped, items="q1..q5", reverse="q5").loadings
    # reverse-keying by the observed range, min + max - x: the same model up to the constant
    assert np.allclose(a["estimate"], b["estimate"]) and np.allclose(a["std"], b["std"])


def test_small_groups_and_options():
    df = simulate(sizes=(120, 40), missing_rate=0.0)
    res = invariance(df, by="grp", items="q1..q5")
    assert len(res.fit) == 0 and res.excluded["group"].tolist() == ["2"]
    assert "fewer than two groups" in res.sentences["scale"]
    res = invariance(df, by="grp", items="q1..q5", min_n=30)
    assert len(res.fit) == 4
    with pytest.raises(OptionError):
        invariance(df, by="grp", items="q1..q5", estimator="wls")
    with pytest.raises(OptionError):
        invariance(df, by="grp", items="q1..q5", missing="pairwise")
    with pytest.raises(OptionError) as err:
        invariance(df, by="grp", items="q1..q5", estimator="mlr", missing="fiml")
    assert err.value.param == "estimator"
    two = cfa(df, items="q1..q2")
    assert len(two.fit) == 0 and "three items" in two.excluded["reason"].iloc[0]


@pytest.fixture(scope="module")
def builtin_data(tmp_path_factory):
    """The built-in instrument's simulated responses (no planted mistakes), as .sav and as valid CSV."""
    from coprod import instrument
    from coprod.analysis.data.io import write_responses
    from coprod.analysis.demo.simulate import simulated_responses

    work = tmp_path_factory.mktemp("builtin")
    inst = instrument.builtin()
    resp = simulated_responses(inst, n=400, seed=11, invalid=False)
    write_responses(resp, work / "resp.sav")
    resp.valid().to_csv(work / "valid.csv", index=False)  # user-missing codes as empty cells
    return inst, resp, work


def test_cli_invariance_json_equals_library(builtin_data, cli):
    import json

    inst, resp, work = builtin_data
    r = cli("invariance", str(work / "resp.sav"), "--by", "role", "--scale", "felt_acc", "--format", "json",
            "--out", str(work / "inv.json"))
    assert r.returncode == 0, r.stderr
    said = [line for line in r.stderr.splitlines() if not line.startswith("note: ")]
    assert said[0].startswith("felt_acc: ")  # the verdict sentence
    got = json.loads((work / "inv.json").read_text())
    lib = invariance(resp, by="role", scale="felt_acc")
    assert [row["chisq"] for row in got["cfa_fit"]] == pytest.approx(lib.fit["chisq"].tolist(), rel=1e-12)
    assert [row["verdict"] for row in got["cfa_fit"]] == lib.fit["verdict"].tolist()
    r = cli("invariance", str(work / "resp.sav"), "--by", "role", "--estimator", "wls")
    assert r.returncode == 2 and r.stderr.strip() == "error: --estimator: unknown estimator 'wls' (allowed: ml, mlr)"


def test_lavaan_script_gives_the_same_models(builtin_data):
    """forms/lavaan.py's cfa.R, run by R on the same valid data, reproduces coprod invariance."""
    from coprod.instrument.forms.lavaan import lavaan_script

    exe = require_lavaan()
    inst, resp, work = builtin_data
    script = lavaan_script(inst).replace('data_file <- "responses-checked.sav"', 'data_file <- "valid.csv"')
    script += ('\nfm <- sapply(fits_felt_acc, fitMeasures, fit.measures = c("chisq", "df", "cfi", "rmsea", "srmr"))'
               '\nwrite.csv(t(fm), "trust.csv")\n')
    (work / "cfa.R").write_text(script)
    import subprocess

    proc = subprocess.run([exe, "cfa.R"], cwd=work, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    theirs = pd.read_csv(work / "trust.csv", index_col=0)
    ours = invariance(resp, by="role", scale="felt_acc").fit.set_index("model")
    for level in ("configural", "metric", "scalar", "strict"):
        assert ours.loc[level, "df"] == theirs.loc[level, "df"]
        for col in ("chisq", "cfi", "rmsea", "srmr"):
            assert close(ours.loc[level, col], theirs.loc[level, col]), (level, col)


def test_constant_item_and_just_identified():
    df = simulate(sizes=(150, 150), missing_rate=0.0)
    df.loc[df["grp"] == 2, "q2"] = 3.0
    res = invariance(df, by="grp", items="q1..q5", min_n=50)
    assert res.excluded[["group", "reason"]].values.tolist() == [["2", "an item does not vary"]]
    three = cfa(df[df["grp"] == 1], items="q1..q3")
    assert three.fit[["df", "verdict"]].values.tolist() == [[0, "just identified"]]


def test_missing_data_patterns_as_grouped_rows():
    """FIML's missing-data patterns (found as one integer per row) against grouping the rows by their tuple
    of observed items, sorted as rows: the same patterns, order, rows and moments."""
    from coprod.analysis.stats import cfa_fiml

    rng = np.random.default_rng(3)
    for trial in range(110):
        n, p = int(rng.integers(1, 300)), int(rng.integers(1, 12))
        if trial >= 100:  # about and beyond 62 items, where a row's items no longer fit one integer's bits
            p = (61, 62, 63, 64, 70, 61, 62, 63, 64, 70)[trial - 100]
        X = rng.normal(size=(n, p))
        X[rng.random((n, p)) < rng.uniform(0, 0.6)] = np.nan
        groups: dict = {}
        for i, row in enumerate(~np.isnan(X)):
            groups.setdefault(tuple(row), []).append(i)
        want = [(np.nonzero(key)[0], X[rows][:, np.nonzero(key)[0]]) for key, rows in sorted(groups.items()) if any(key)]
        got = cfa_fiml.patterns(X)
        assert len(got) == len(want), trial
        for pt, (obs, rows) in zip(got, want):
            assert pt.obs.tolist() == obs.tolist() and pt.mom.n == len(rows)
            np.testing.assert_array_equal(pt.mom.mean, rows.mean(axis=0))
