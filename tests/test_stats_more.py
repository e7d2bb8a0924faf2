"""The statistics SPSS and jamovi users look for, checked against GNU PSPP and R to 1e-6.

PSPP reads a .sav file written here (the data of test_pspp_crosscheck: three groups, ties, user-missing
codes and ranges) and prints its tables at 16 decimals; R (base only) reads the same values from a CSV
file.  Where PSPP 1.6.2 does not compute a statistic (Brown-Forsythe's F, the median-centred Levene
test, RELIABILITY /STATISTICS, a usable odds-ratio interval) the R script computes it from its
published formula, written out independently of coprod's code.
"""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import pspp
from coprod.analysis.data.io import load_responses
from coprod.analysis.stats.compare import compare
from coprod.analysis.stats.descriptives import descriptives
from coprod.analysis.stats.frequencies import frequencies
from coprod.analysis.stats.reliability import reliability
from test_pspp_crosscheck import VARS, approx, labelled, make_data, two_groups

RSCRIPT = shutil.which("Rscript")

SYNTAX = """DESCRIPTIVES y1 y2 y3 /STATISTICS=ALL.
EXAMINE y1 y2 y3 /STATISTICS=DESCRIPTIVES /MISSING=PAIRWISE.
FREQUENCIES y2 y3 /STATISTICS=MODE.
T-TEST GROUPS=g(1,2) /VARIABLES=y1 y2.
ONEWAY y1 y2 BY g /POSTHOC=BONFERRONI SCHEFFE.
CROSSTABS /TABLES=g BY c /STATISTICS=CHISQ /CELLS=COUNT EXPECTED ASRESID.
TEMPORARY.
SELECT IF g < 3.
CROSSTABS /TABLES=g BY c2 /STATISTICS=CHISQ.
"""


def data():
    df, meta = make_data()
    df["c2"] = np.where(df["c"] == 1.0, 1.0, 2.0)
    meta["variable_measure"]["c2"] = "nominal"
    return df, meta


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    pspp.require_pspp()
    work = tmp_path_factory.mktemp("pspp_more")
    df, meta = data()
    return pspp.run_sav(df, meta, SYNTAX, work, precise_vars=VARS + ["c2"])


def header_index(rows, name: str) -> int:
    for r in rows[:3]:
        if name in r:
            return r.index(name)
    raise KeyError(name)


# ------------------------------------------------------------------------------------------ PSPP
@pytest.mark.pspp
def test_descriptives_shape_and_spread(run):
    resp, result = run
    d = descriptives(resp, items="y1..y3").set_index("variable")
    rows = pspp.tables(result, "Descriptive Statistics")[0]  # PSPP: DESCRIPTIVES /STATISTICS=ALL
    cols = {"variance": "Variance", "kurtosis": "Kurtosis", "kurtosis_se": "S.E. Kurt", "skewness": "Skewness",
            "skewness_se": "S.E. Skew", "range": "Range"}
    for r in rows[1:4]:
        for ours, theirs in cols.items():
            assert d.loc[r[0], ours] == approx(pspp.num(r[header_index(rows, theirs)])), (r[0], ours)


@pytest.mark.pspp
def test_mean_interval_and_iqr(run):
    resp, result = run
    d = descriptives(resp, items="y1..y3").set_index("variable")
    v = None
    seen = 0
    for r in pspp.tables(result, "Descriptives")[0][1:]:  # PSPP: EXAMINE /STATISTICS=DESCRIPTIVES
        v = r[0] or v
        if r[2] == "Lower Bound":
            assert d.loc[v, "mean_ci_low"] == approx(pspp.num(r[3]))
        elif r[2] == "Upper Bound":
            assert d.loc[v, "mean_ci_high"] == approx(pspp.num(r[3]))
        elif r[1] == "Interquartile Range":
            assert d.loc[v, "iqr"] == approx(pspp.num(r[3]))
            seen += 1
    assert seen == 3


@pytest.mark.pspp
def test_mode(run):
    resp, result = run
    d = descriptives(resp, items="y2,y3").set_index("variable")
    f = frequencies(resp, items="y2,y3")
    stats_rows = pspp.tables(result, "Statistics")[0]  # PSPP: FREQUENCIES /STATISTICS=MODE
    modes = [r for r in stats_rows if r[0] == "Mode"][0]
    for j, v in enumerate(stats_rows[0][2:], start=2):
        expected = labelled(modes[j], {1.0: "Disagree", 5.0: "Agree"})
        assert d.loc[v, "mode"] == expected
        marked = f[(f.variable == v) & f.is_mode]["value"].tolist()
        assert marked == [expected]


@pytest.mark.pspp
def test_t_test_mean_difference(run):
    resp, result = run
    sub = two_groups(resp)
    rows = pspp.tables(result, "Independent Samples Test")[0]  # PSPP: T-TEST GROUPS=g(1,2)
    for test, offset in (("student", 0), ("welch", 1)):
        t = compare(sub, items="y1,y2", by="g", test=test).tests.set_index("variable")
        for i, v in ((3, "y1"), (5, "y2")):
            r = rows[i + offset]
            got = [t.loc[v, c] for c in ("mean_diff", "se_diff", "diff_ci_low", "diff_ci_high")]
            assert got == [approx(pspp.num(x)) for x in r[7:11]], (test, v)


@pytest.mark.pspp
def test_anova_table_and_bonferroni_scheffe(run):
    resp, result = run
    aov = pspp.tables(result, "ANOVA")[0]  # PSPP: ONEWAY y1 y2 BY g
    for method in ("bonferroni", "scheffe"):
        res = compare(resp, items="y1,y2", by="g", test="anova", posthoc=method)
        a = res.anova.set_index(["variable", "source"])
        v = None
        for r in aov[1:]:
            v = r[0] or v
            src = {"Between Groups": "between", "Within Groups": "within", "Total": "total"}[r[1]]
            assert a.loc[(v, src), "ss"] == approx(pspp.num(r[2]))
            assert a.loc[(v, src), "df"] == pspp.num(r[3])
            if src != "total":
                assert a.loc[(v, src), "ms"] == approx(pspp.num(r[4]))
        name = {"bonferroni": "Bonferroni", "scheffe": "Scheffé"}[method]
        ph = res.posthoc
        for v, table in zip(("y1", "y2"), pspp.tables(result, "Multiple Comparisons")):
            current, g1, checked = None, None, 0
            for r in table[2:]:
                current = r[0] or current
                g1 = r[1] or g1
                if current != name:
                    continue
                m = ph[(ph.variable == v) & (ph.group1 == g1) & (ph.group2 == r[2])]
                sign = 1.0
                if m.empty:  # PSPP prints both directions
                    m, sign = ph[(ph.variable == v) & (ph.group1 == r[2]) & (ph.group2 == g1)], -1.0
                m = m.iloc[0]
                assert sign * m["diff"] == approx(pspp.num(r[3]))
                assert m["se"] == approx(pspp.num(r[4]))
                assert m["p"] == approx(pspp.num(r[5]))
                lo, hi = sorted((sign * m["ci_low"], sign * m["ci_high"]))
                assert (lo, hi) == (approx(pspp.num(r[6])), approx(pspp.num(r[7])))
                checked += 1
            assert checked == 6


@pytest.mark.pspp
def test_chi_square_cells_and_likelihood_ratio(run):
    resp, result = run
    res = compare(resp, items="c", by="g", test="chi2")
    t = res.tests.iloc[0]
    chi = pspp.tables(result, "Chi-Square Tests")[0]  # PSPP: CROSSTABS g BY c /STATISTICS=CHISQ
    lr = [r for r in chi if r[0] == "Likelihood Ratio"][0]
    assert t["lr_chisq"] == approx(pspp.num(lr[1])) and t["lr_p"] == approx(pspp.num(lr[3]))
    cells = res.crosstab.set_index(["group", "value"])
    table = pspp.tables(result, "g × c")[0]  # /CELLS=COUNT EXPECTED ASRESID
    values = [float(x) for x in table[1][3:-1]]
    group = None
    checked = 0
    for r in table[2:]:
        group = r[1] or group
        if r[0] == "Total" or group is None:
            break
        kind = {"Count": "count", "Expected": "expected", "Adjusted Residual": "residual_adj"}[r[2]]
        for value, cell in zip(values, r[3:-1]):
            assert cells.loc[(group, value), kind] == approx(pspp.num(cell))
            checked += 1
    assert checked == 3 * 3 * 3


@pytest.mark.pspp
def test_two_by_two_yates(run):
    resp, result = run
    t = compare(two_groups(resp), items="c2", by="g", test="chi2").tests.iloc[0]
    chi = pspp.tables(result, "Chi-Square Tests")[1]  # PSPP: CROSSTABS g BY c2, groups 1 and 2
    yates = [r for r in chi if r[0] == "Continuity Correction"][0]
    assert t["yates_chisq"] == approx(pspp.num(yates[1])) and t["yates_p"] == approx(pspp.num(yates[3]))
    lr = [r for r in chi if r[0] == "Likelihood Ratio"][0]
    assert t["lr_chisq"] == approx(pspp.num(lr[1]))


# ------------------------------------------------------------------------------------------ R
R_SCRIPT = r"""
d <- read.csv("data.csv")
out <- list()
put <- function(name, value) out[[name]] <<- value
# omega total, psych::omega's definition (nfactors = 1, flip = TRUE): 1 - sum(u2) / sum(D R D), the
# loadings of a one-factor minres fit, here by principal axes iterated to convergence
omega <- function(X) {
  R <- cor(X); h2 <- 1 - 1 / diag(solve(R))
  for (i in 1:20000) {
    Rr <- R; diag(Rr) <- h2; e <- eigen(Rr, symmetric = TRUE)
    l <- e$vectors[, 1] * sqrt(e$values[1]); if (sum(l) < 0) l <- -l
    if (max(abs(l^2 - h2)) < 1e-15) break
    h2 <- l^2
  }
  D <- diag(sign(l)); list(omega = 1 - sum(1 - l^2) / sum(D %*% R %*% D), l = l)
}
items <- d[complete.cases(d[, c("i1", "i2", "i3", "i4", "i5")]), c("i1", "i2", "i3", "i4", "i5")]
items$i2 <- 6 - items$i2                      # a negatively loading item
o <- omega(items); put("omega", o$omega); put("loading_i2", o$l[2])
for (j in 1:5) put(paste0("omega_without_", j), omega(items[, -j])$omega)
for (j in 1:5) put(paste0("smc_", j), summary(lm(items[, j] ~ as.matrix(items[, -j])))$r.squared)
s <- rowSums(items); put("scale_mean", mean(s)); put("scale_var", var(s))
# Brown-Forsythe F* (Brown & Forsythe 1974) and Levene's test about the medians, y1 by g
y <- d$y1[!is.na(d$y1) & !is.na(d$g)]; g <- factor(d$g[!is.na(d$y1) & !is.na(d$g)])
n <- tapply(y, g, length); m <- tapply(y, g, mean); v <- tapply(y, g, var); N <- sum(n)
den <- sum((1 - n / N) * v); f <- sum(n * (m - mean(y))^2) / den; cc <- (1 - n / N) * v / den
df2 <- 1 / sum(cc^2 / (n - 1))
put("bf_f", f); put("bf_df2", df2); put("bf_p", pf(f, length(n) - 1, df2, lower.tail = FALSE))
a <- anova(lm(abs(y - ave(y, g, FUN = median)) ~ g)); put("lev_med_f", a$`F value`[1]); put("lev_med_p", a$`Pr(>F)`[1])
# Mann-Whitney: exact p and Hodges-Lehmann shift without ties; with ties (y2) the normal approximation
x1 <- unique(d$y1[which(d$g == 1 & !is.na(d$y1))])[1:12]; x2 <- unique(d$y1[which(d$g == 2 & !is.na(d$y1))])[1:15]
w <- wilcox.test(x1, x2, exact = TRUE, conf.int = TRUE)
put("mw_p_exact", w$p.value); put("hl", w$estimate); put("hl_low", w$conf.int[1]); put("hl_high", w$conf.int[2])
z1 <- d$y2[which(d$g == 1 & !is.na(d$y2))]; z2 <- d$y2[which(d$g == 2 & !is.na(d$y2))]
w <- suppressWarnings(wilcox.test(z1, z2, conf.int = TRUE))
put("hl_ties_low", w$conf.int[1]); put("hl_ties_high", w$conf.int[2])
# 2 x 2: Yates, odds ratio with Woolf's interval
tab <- table(d$g[d$g %in% c(1, 2)], d$c2[d$g %in% c(1, 2)])
put("yates", suppressWarnings(chisq.test(tab, correct = TRUE))$statistic)
or <- tab[1, 1] * tab[2, 2] / (tab[1, 2] * tab[2, 1]); se <- sqrt(sum(1 / tab))
put("or", or); put("or_low", exp(log(or) - qnorm(0.975) * se)); put("or_high", exp(log(or) + qnorm(0.975) * se))
write.csv(data.frame(name = names(out), value = sprintf("%.17g", unlist(out))), "r.csv", row.names = FALSE)
"""


@pytest.fixture(scope="module")
def r_run(tmp_path_factory):
    if RSCRIPT is None:
        pytest.skip("R (Rscript) is not installed")
    work = tmp_path_factory.mktemp("r_more")
    df, meta = data()
    path = pspp.write_sav(df, work / "data.sav", **meta)
    resp = load_responses(path)
    valid = resp.valid(list(df.columns))
    valid.to_csv(work / "data.csv", index=False)
    (work / "job.R").write_text(R_SCRIPT)
    proc = subprocess.run([RSCRIPT, "job.R"], cwd=work, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    got = pd.read_csv(work / "r.csv")
    return resp, valid, dict(zip(got["name"], got["value"].astype(float)))


def test_omega_flips_a_negatively_loading_item(r_run):
    resp, valid, r = r_run
    flipped = valid.copy()
    flipped["i2"] = 6 - flipped["i2"]
    res = reliability(flipped, items="i1..i5")
    s = res.scale.iloc[0]
    assert r["loading_i2"] < 0
    assert s["omega"] == approx(r["omega"])  # R: psych's omega.tot formula, minres loadings by iterated PAF
    assert "i2 reversed" in s["note"]
    # reversing the item in the data instead gives the same omega, and no note
    again = reliability(flipped, items="i1..i5", reverse="i2").scale.iloc[0]
    assert again["omega"] == approx(s["omega"]) and "reversed" not in again["note"]
    items = res.item_total.set_index("variable")
    for j in range(5):
        assert items.loc[f"i{j + 1}", "omega_if_deleted"] == approx(r[f"omega_without_{j + 1}"])
        assert items.loc[f"i{j + 1}", "smc"] == approx(r[f"smc_{j + 1}"])  # R: lm(item ~ others) R²
    assert s["scale_mean"] == approx(r["scale_mean"]) and s["scale_var"] == approx(r["scale_var"])
    assert s["scale_sd"] == approx(np.sqrt(r["scale_var"]))


def test_inter_item_matrix(r_run):
    _, valid, _ = r_run
    res = reliability(valid, items="i1..i5")
    inter = res.inter_item
    assert len(inter) == 25
    R = valid[[f"i{j}" for j in range(1, 6)]].dropna().corr().to_numpy()
    mat = inter.pivot(index="variable1", columns="variable2", values="r").to_numpy()
    assert np.allclose(mat, R, rtol=1e-12, atol=1e-14)
    assert res.scale.iloc[0]["mean_r"] == approx(R[np.triu_indices(5, 1)].mean())


def test_brown_forsythe_and_median_levene(r_run):
    _, valid, r = r_run
    t = compare(valid, items="y1", by="g", test="anova", levene="median").tests.iloc[0]
    assert (t["bf_f"], t["bf_df2"], t["bf_p"]) == (approx(r["bf_f"]), approx(r["bf_df2"]), approx(r["bf_p"]))
    assert t["bf_df1"] == 2 and t["levene_center"] == "median"
    assert (t["levene_f"], t["levene_p"]) == (approx(r["lev_med_f"]), approx(r["lev_med_p"]))
    welch = compare(valid, items="y1", by="g", test="welch-anova").tests.iloc[0]
    assert welch["bf_f"] == approx(r["bf_f"])


def test_mann_whitney_exact_and_hodges_lehmann(r_run):
    _, valid, r = r_run
    x1 = pd.unique(valid.loc[(valid.g == 1) & valid.y1.notna(), "y1"])[:12]
    x2 = pd.unique(valid.loc[(valid.g == 2) & valid.y1.notna(), "y1"])[:15]
    assert len(np.unique(np.concatenate([x1, x2]))) == 27  # no ties: the exact case
    small = pd.DataFrame({"g": [1] * 12 + [2] * 15, "y": np.concatenate([x1, x2])})
    t = compare(small, items="y", by="g", test="mann-whitney").tests.iloc[0]
    assert t["p_exact"] == approx(r["mw_p_exact"])  # R: wilcox.test(exact = TRUE)
    assert (t["hl_estimate"], t["hl_ci_low"], t["hl_ci_high"]) == (approx(r["hl"]), approx(r["hl_low"]),
                                                                   approx(r["hl_high"]))
    ties = compare(two_groups_frame(valid), items="y2", by="g", test="mann-whitney").tests.iloc[0]
    assert np.isnan(ties["p_exact"])  # ties and large groups: asymptotic only
    # R: wilcox.test(conf.int = TRUE) finds the limits with uniroot (tol 1e-4)
    assert ties["hl_ci_low"] == pytest.approx(r["hl_ties_low"], abs=1e-4)
    assert ties["hl_ci_high"] == pytest.approx(r["hl_ties_high"], abs=1e-4)


def two_groups_frame(valid: pd.DataFrame) -> pd.DataFrame:
    return valid[valid.g.isin([1.0, 2.0])].reset_index(drop=True)


def test_odds_ratio_and_yates(r_run):
    _, valid, r = r_run
    t = compare(two_groups_frame(valid), items="c2", by="g", test="chi2").tests.iloc[0]
    assert t["yates_chisq"] == approx(r["yates"])  # R: chisq.test(correct = TRUE)
    assert (t["odds_ratio"], t["or_ci_low"], t["or_ci_high"]) == (approx(r["or"]), approx(r["or_low"]),
                                                                  approx(r["or_high"]))
    fisher = compare(two_groups_frame(valid), items="c2", by="g", test="fisher").tests.iloc[0]
    assert fisher["statistic"] == approx(fisher["odds_ratio"])


# ------------------------------------------------------------------------------------------ shown
def test_human_formats_show_the_additions():
    from coprod.analysis.render import display_table

    df = pd.DataFrame({"g": [1, 1, 1, 1, 2, 2, 2, 2], "y": [1.0, 2, 3, 4, 6, 7, 8, 10]})
    t = display_table("tests", compare(df, items="y", by="g", test="student").tests)
    assert "difference -5.25 [" in t.text_rows()[0][-1]
    mw = display_table("tests", compare(df, items="y", by="g", test="mann-whitney").tests)
    assert "exact p = .029" in mw.text_rows()[0][-1] and "Hodges-Lehmann shift" in mw.text_rows()[0][-1]
    f = display_table("frequencies", frequencies(pd.DataFrame({"x": [1, 2, 2, None]})))
    assert [r[1] for r in f.text_rows()] == ["1", "2", "System missing", "Total"]
    assert f.text_rows()[-1][2:4] == ["4", "100.0"]
    rel = reliability(pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 1, 4, 3, 5], "c": [1, 3, 2, 5, 4]}), items="a..c")
    m = display_table("inter_item", rel.inter_item)
    assert m.headers == ["Scale", "Item", "1", "2", "3"] and m.text_rows()[0][2] == "—"
