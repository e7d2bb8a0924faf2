"""Group comparisons: golden values from R 4.2.2 (base R, effectsize 0.8.3) on the literal data below."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from coprod.analysis.stats.compare import compare, midranks
from coprod.analysis.data.responses import Responses
from coprod.instrument.errors import OptionError, VariableError

G1 = [3.1, 4.5, 2.8, 5.0, 3.9, 4.2, 3.3]
G2 = [5.5, 6.1, 7.9, 4.8, 6.6, 8.3, 5.9, 7.0]
G3 = [2.0, 6.5, 3.5, 9.0, 1.5, 5.0]
L1 = [1, 2, 2, 3, 3, 3, 4, 5, 4, 2]
L2 = [3, 4, 4, 5, 5, 2, 4, 3, 5]
L3 = [2, 2, 1, 3, 1, 2, 3, 2]


def approx(x, rel=1e-6):
    return pytest.approx(x, rel=rel, abs=1e-12)


def cont(groups=3):
    y = G1 + G2 + (G3 if groups == 3 else [])
    g = [1] * 7 + [2] * 8 + ([3] * 6 if groups == 3 else [])
    return pd.DataFrame({"g": g, "y": y})


def likert(groups=3):
    y = L1 + L2 + (L3 if groups == 3 else [])
    g = [1] * 10 + [2] * 9 + ([3] * 8 if groups == 3 else [])
    return pd.DataFrame({"g": g, "y": y})


def table_frame(table):
    rows = []
    for gi, counts in enumerate(table):
        for vi, c in enumerate(counts):
            rows += [(gi + 1, vi + 1)] * c
    return pd.DataFrame(rows, columns=["g", "v"])


def test_student_t_and_cohens_d():
    res = compare(cont(2), "y", "g", test="student")
    t = res.tests.iloc[0]
    # R: t.test(g1, g2, var.equal = TRUE)
    assert (t["statistic"], t["df"], t["p"]) == (approx(-5.051061064176248117), 13, approx(0.000222034021903884))
    es = res.effect_sizes.set_index("effsize_name")
    # R: effectsize::cohens_d(g1, g2, ci = .95, alternative = "two.sided") gives -2.61417245889238
    # [-4.00903513491414, -1.1685137314763] (its optim stops at ~1e-7); the bounds solved exactly with
    # uniroot(function(nc) pt(t, 13, nc) - 0.975 / 0.025, tol = 1e-13) * sqrt(1/7 + 1/8):
    assert es.loc["cohens_d", ["effsize", "ci_low", "ci_high"]].tolist() == [
        approx(-2.61417245889238), approx(-4.00903522212869), approx(-1.16851355581588)]
    # hedges_g: J = exp(lgamma(13/2) - log(sqrt(13/2)) - lgamma(12/2)) times the above
    assert es.loc["hedges_g", ["effsize", "ci_low", "ci_high"]].tolist() == [
        approx(-2.45989045076367), approx(-3.77243185549741), approx(-1.09955076902511)]
    assert es.loc["cohens_d", "effsize"] == approx(-2.61417245889238)
    assert t["effsize_name"] == "cohens_d" and t["groups"] == "1 7; 2 8"


def test_welch_t():
    t = compare(cont(2), "y", "g", test="welch").tests.iloc[0]
    # R: t.test(g1, g2)
    assert (t["statistic"], t["df"], t["p"]) == (
        approx(-5.189107489389355621), approx(12.284812150895838556), approx(0.000209391663521748))


def test_anova_eta2_omega2():
    res = compare(cont(), "y", "g", test="anova")
    t = res.tests.iloc[0]
    # R: summary(aov(y ~ g)): F = 14.427648809524 / 3.022853835979
    assert t["statistic"] == approx(14.427648809524 / 3.022853835979, rel=1e-12 * 1e3)
    assert (t["df1"], t["df2"]) == (2, 18)
    es = res.effect_sizes.set_index("effsize_name")
    # R: SS 28.85529761905 / (28.85529761905 + 54.41136904762); CI bounds from
    # uniroot(function(nc) pf(F, 2, 18, nc) - 0.975 / 0.025, tol = 1e-13): ncp / (ncp + 18)
    # (effectsize::eta_squared(aov(y ~ g), alternative = "two.sided") gives 0.00525077485657597, 0.594614322779701)
    assert es.loc["eta2", ["effsize", "ci_low", "ci_high"]].tolist() == [
        approx(0.34654080407182863), approx(0.00525079694639469), approx(0.59461432374737166)]
    # R: effectsize::omega_squared(aov(y ~ g), ci = .95, alternative = "two.sided"): 0.264337891950513 [0, 0.529218772558731];
    # upper bound solved exactly (uniroot, tol 1e-13) on F = (o2 / 2) / ((1 - o2) / 18): 0.529218813611212
    assert es.loc["omega2", ["effsize", "ci_low", "ci_high"]].tolist() == [
        approx(0.264337891950513), 0.0, approx(0.529218813611212)]


def test_eta2_interval_bracketed_from_an_approximation_reaches_the_same_roots():
    """The bounds' bracket starts from an approximate noncentrality (a Cornish-Fisher quantile): the roots are
    those of the search from the statistic (to Brent's tolerance), for small and large df, and where the
    approximation gives no guess (df2 = 5)."""
    from coprod.analysis.stats import effects, specfun

    rng = np.random.default_rng(5)
    for _ in range(300):
        d1, d2 = float(rng.integers(1, 8)), float(rng.choice([3, 5, 10, 30, 100, 297, 1000, 20000, 2e5]))
        f, level = float(np.exp(rng.uniform(-4, 6))), float(rng.choice([0.9, 0.95, 0.99]))

        def cdf(q, nc):
            return specfun.ncfdtr(d1, d2, nc, q) if nc > 0 else specfun.fdtr(d1, d2, q)

        plain = effects._ncp_bounds(cdf, f, level, 0.0)
        guided = effects._ncp_bounds(cdf, f, level, 0.0, effects._ncf_guess(f, d1, d2))
        assert guided == (approx(plain[0], rel=1e-11), approx(plain[1], rel=1e-11)), (f, d1, d2)

        def chi(q, nc):  # Cramer's V: the noncentral chi-square, the guess with df2 infinite
            return specfun.chndtr(q, d1, nc) if nc > 0 else specfun.chdtr(d1, q)

        plain = effects._ncp_bounds(chi, d1 * f, level, 0.0)
        guided = effects._ncp_bounds(chi, d1 * f, level, 0.0, effects._ncf_guess(f, d1, np.inf))
        assert guided == (approx(plain[0], rel=1e-11), approx(plain[1], rel=1e-11)), (f, d1)
    assert effects._ncf_guess(4.0, 2.0, 5.0)(0.025) is None  # the approximation never reaches F: no guess


def test_welch_anova():
    t = compare(cont(), "y", "g", test="welch-anova").tests.iloc[0]
    # R: oneway.test(y ~ g, var.equal = FALSE)
    assert (t["statistic"], t["df1"], t["df2"], t["p"]) == (
        approx(12.6181656443659378), 2, approx(9.8454668451675023), approx(0.0019204878299942))
    assert t["effsize_name"] == "omega2"


def test_mann_whitney_and_rank_biserial():
    res = compare(likert(2), "y", "g", test="mann-whitney")
    t = res.tests.iloc[0]
    # R: wilcox.test(l1, l2, correct = FALSE, exact = FALSE): W = 24, p = 0.0781321640411744
    assert t["statistic"] == 24.0 and t["p"] == approx(0.0781321640411744)
    sc = stats.mannwhitneyu(L1, L2, method="asymptotic", use_continuity=False)
    assert t["p"] == approx(sc.pvalue)
    assert t["w"] == 79.0  # rank sum of group 1, whose U is the smaller
    assert t["z"] < 0
    # R: effectsize::rank_biserial(l1, l2, ci = .95, alternative = "two.sided")
    assert [t["effsize"], t["ci_low"], t["ci_high"]] == [
        approx(-0.466666666666667), approx(-0.777585830006893), approx(0.0276271427576245)]


def test_kruskal_wallis_and_epsilon2():
    t = compare(likert(), "y", "g", test="kruskal").tests.iloc[0]
    # R: kruskal.test(y ~ g)
    assert (t["statistic"], t["df"], t["p"]) == (approx(9.68755641521597255), 2, approx(0.00787723592482643))
    # R: effectsize::rank_epsilon_squared(y ~ g, ci = NULL)
    assert t["effsize"] == approx(0.372598323662153)
    assert np.isnan(t["ci_low"])


def test_chi_square_and_cramers_v():
    df = table_frame([[12, 5, 7], [6, 9, 3], [2, 8, 10]])
    t = compare(df, "v", "g", test="chi2").tests.iloc[0]
    # R: chisq.test(tab, correct = FALSE)
    assert (t["statistic"], t["df"], t["p"]) == (approx(11.434772727272728), 4, approx(0.0220887418515407))
    # R: effectsize::cramers_v(tab, adjust = FALSE, ci = .95, alternative = "two.sided") gives
    # 0.303670724784114 [0.0292108396270184, 0.446667415836437]; bounds solved exactly with uniroot(pchisq, tol = 1e-13):
    assert [t["effsize"], t["ci_low"], t["ci_high"]] == [
        approx(0.303670724784114), approx(0.0292108587441688), approx(0.4466674305798709)]
    assert t["warning"] == ""


def test_auto_fisher_for_small_2x2():
    df = table_frame([[3, 1], [1, 3]])
    r = Responses(df, measure={"v": "nominal"})
    t = compare(r, "v", "g").tests.iloc[0]
    # R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value
    assert t["test"] == "fisher" and t["p"] == approx(0.485714285714286)
    chi = compare(r, "v", "g", test="chi2").tests.iloc[0]
    assert "expected counts under 5" in chi["warning"]


def test_auto_choice_by_measure():
    df = cont()
    df["o"] = likert()["y"].iloc[:21].to_numpy()
    r = Responses(df, measure={"y": "scale", "o": "ordinal"})
    t = compare(r, "y,o", "g").tests.set_index("variable")
    assert t.loc["y", "test"] == "welch-anova" and t.loc["o", "test"] == "kruskal"
    r2 = Responses(cont(2), measure={"y": "scale"})
    assert compare(r2, "y", "g").tests.iloc[0]["test"] == "welch"


def test_holm_adjustment_across_variables():
    df = cont()
    df["z"] = df["y"].to_numpy()[::-1]
    df["w"] = np.arange(21) % 4
    t = compare(df, "y,z,w", "g", test="anova", adjust="holm").tests
    from statsmodels.stats.multitest import multipletests
    assert t["p_adj"].tolist() == [approx(p) for p in multipletests(t["p"], method="holm")[1]]
    assert set(t["adjust"]) == {"holm"}
    bh = compare(df, "y,z,w", "g", test="anova", adjust="fdr-bh").tests
    assert bh["p_adj"].tolist() == [approx(p) for p in multipletests(t["p"], method="fdr_bh")[1]]
    none = compare(df, "y,z,w", "g", test="anova", adjust="none").tests
    assert none["p_adj"].tolist() == none["p"].tolist()


def test_pairwise_vs_listwise():
    df = cont()
    df["z"] = np.arange(21.0)
    df.loc[[0, 8], "z"] = np.nan
    pair = compare(df, "y,z", "g", test="anova").tests.set_index("variable")
    lw = compare(df, "y,z", "g", test="anova", listwise=True).tests.set_index("variable")
    assert pair.loc["y", "n"] == 21 and lw.loc["y", "n"] == 19
    assert pair.loc["z", "n"] == 19 and lw.loc["z", "n"] == 19
    assert lw.loc["y", "groups"] == "1 6; 2 7; 3 6"


def test_user_missing_codes_excluded():
    df = cont()
    df.loc[0, "y"] = 99.0
    df.loc[1, "g"] = 9
    r = Responses(df, missing_codes={"y": (99.0,), "g": (9,)}, value_labels={"g": {1.0: "Pro", 2.0: "Vol", 3.0: "User"}})
    t = compare(r, "y", "g", test="anova").tests.iloc[0]
    assert t["n"] == 19 and t["groups"] == "Pro 5; Vol 8; User 6"
    expected = stats.f_oneway(G1[2:], G2, G3)
    assert t["statistic"] == approx(expected.statistic)


def test_degenerate_notes():
    df = pd.DataFrame({"g": [1, 1, 1, 2, 3, 3], "y": [1.0, 2, 3, 4, 5, 6], "k": [2.0] * 6,
                       "e": [np.nan] * 6, "s": [1.0, 2, 3, np.nan, np.nan, np.nan]})
    t = compare(df, "y,k,e,s", "g", test="anova").tests.set_index("variable")
    assert "fewer than two valid answers in 2 (left out)" in t.loc["y", "note"]
    assert not np.isnan(t.loc["y", "statistic"])
    assert "no variation" in t.loc["k", "note"] and np.isnan(t.loc["k", "p"])
    assert t.loc["e", "note"] == "no valid data"
    assert "fewer than two groups with data" in t.loc["s", "note"]
    one = compare(pd.DataFrame({"g": [1, 1, 1], "y": [1.0, 2, 3]}), "y", "g", test="anova").tests.iloc[0]
    assert "fewer than two groups" in one["note"]


def test_bad_options():
    df = cont()
    with pytest.raises(OptionError, match="^test: "):
        compare(df, "y", "g", test="ttest")
    with pytest.raises(OptionError, match="^adjust: "):
        compare(df, "y", "g", adjust="sidak")
    with pytest.raises(OptionError, match="^posthoc: "):
        compare(df, "y", "g", posthoc="lsd")
    with pytest.raises(OptionError, match="two groups"):
        compare(df, "y", "g", test="welch")
    with pytest.raises(OptionError, match="^by: "):
        compare(df, "y")
    with pytest.raises(VariableError, match="nope"):
        compare(df, "nope", "g")


def test_midranks_match_scipy():
    rng = np.random.default_rng(1)
    x = rng.integers(1, 6, 500).astype(float)
    r, tie = midranks(x)
    assert np.allclose(r, stats.rankdata(x))
    xs = rng.normal(size=50)
    assert np.allclose(midranks(xs)[0], stats.rankdata(xs))
    _, c = np.unique(x, return_counts=True)
    assert tie == float((c ** 3 - c).sum())


# ----------------------------------------------------------------------------- command line
import json


@pytest.fixture(scope="module")
def sav(tmp_path_factory):
    import pyreadstat

    df = cont()
    df["o"] = likert()["y"].iloc[:21].to_numpy().astype(float)
    df.loc[0, "o"] = 9.0
    path = tmp_path_factory.mktemp("cli") / "data.sav"
    pyreadstat.write_sav(df, str(path), missing_ranges={"o": [9.0]},
                         variable_value_labels={"g": {1.0: "Professional", 2.0: "Volunteer", 3.0: "Service user"}},
                         variable_measure={"g": "nominal", "y": "scale", "o": "ordinal"})
    return path


def test_cli_compare_json(sav, cli):
    proc = cli("compare", sav, "--by", "g", "--items", "y,o", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    assert {"tests", "posthoc"} <= set(obj)
    tests = {r["variable"]: r for r in obj["tests"]}
    assert tests["y"]["test"] == "welch-anova" and tests["o"]["test"] == "kruskal"
    assert tests["y"]["statistic"] == approx(12.6181656443659378)  # R: oneway.test(y ~ g)
    assert tests["o"]["n"] == 20 and tests["y"]["groups"] == "Professional 7; Volunteer 8; Service user 6"
    assert set(obj["posthoc"][0]) >= {"variable", "group1", "group2", "diff", "se", "statistic", "p", "p_adj",
                                      "ci_low", "ci_high", "method"}


def test_cli_other_commands_json(sav, cli):
    for cmd, keys in (("describe", {"descriptives"}), ("frequencies", {"frequencies"}),
                      ("reliability", {"reliability", "item_total"})):
        extra = ["--items", "y,o"]
        proc = cli(cmd, sav, *extra, "--by", "g", "--format", "json")
        assert proc.returncode == 0, proc.stderr
        obj = json.loads(proc.stdout)
        assert keys <= set(obj)
        assert all("group" in row for table in keys for row in obj[table])


def test_cli_bad_option_is_one_line(sav, cli):
    for args in (("compare", sav, "--by", "g", "--test", "ttest"), ("compare", sav, "--by", "g", "--adjust", "x"),
                 ("describe", sav, "--items", "nope"), ("compare", sav, "--by", "g", "--posthoc", "lsd")):
        proc = cli(*args)
        assert proc.returncode == 2
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "--test" in cli("compare", sav, "--by", "g", "--test", "ttest").stderr
    assert "'nope'" in cli("describe", sav, "--items", "nope").stderr


def test_no_variation_within_groups_note():
    df = pd.DataFrame({"g": [1, 1, 2, 2], "y": [1.0, 1, 2, 2]})
    for test in ("welch", "student", "anova", "welch-anova"):
        t = compare(df, "y", "g", test=test).tests.iloc[0]
        assert "no variation within groups" in t["note"] and np.isnan(t["statistic"]) and np.isnan(t["p"])
    mw = compare(df, "y", "g", test="mann-whitney").tests.iloc[0]
    assert mw["statistic"] == 0.0 and mw["note"] == ""


def test_groups_the_question_was_not_asked_of_are_named_apart():
    """Skip logic: "years" is not asked of service users; volunteers asked but silent have no valid data."""
    import coprod
    from coprod.analysis.data.responses import copied

    sim = coprod.simulated_responses(coprod.builtin(), n=120, seed=7)
    note = compare(sim, items="years", by="role").tests.iloc[0]["note"]
    assert "not asked of Service user or client" in note and "no valid data" not in note
    df = sim.data.copy()
    df.loc[df["role"] == 2, "years"] = np.nan
    note = compare(copied(sim, data=df), items="years", by="role").tests.iloc[0]["note"]
    assert "not asked of Service user or client" in note and "no valid data in Volunteer" in note
