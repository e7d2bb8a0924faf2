"""The ordinal model (coprod model): proportional-odds fit against R's MASS::polr, the proportional-odds
tests against ordinal::nominal_test, the probability of superiority counted pair by pair and against
effectsize::p_superiority; the questionnaire's group order, listwise deletion, refusals, the command."""
from __future__ import annotations

import json
import shutil
import subprocess
from itertools import product

import numpy as np
import pandas as pd
import pytest
from pytest import approx

from coprod import instrument, load_responses
from coprod.analysis.stats.ordinal import MAX_CATEGORIES, ordinal_model
from coprod.analysis.stats.ordinal_fit import superiority
from coprod.instrument.errors import DataError, OptionError

from io_helpers import DEFINITION

RSCRIPT = shutil.which("Rscript")
REL = 1e-4  # MASS::polr optimises with BFGS and differentiates the gradient numerically for the Hessian
GROUPS = ["Volunteer", "Professional", "Service user"]  # the definition's order below: the reference first

# R: the same model by MASS::polr (Hess = TRUE) and ordinal::clm on the respondents valid on everything;
# the group's levels in the definition's order, so that R's reference group is ours.
R_SCRIPT = r"""
has <- function(p) suppressPackageStartupMessages(requireNamespace(p, quietly = TRUE))
d <- read.csv("data.csv")
d <- d[complete.cases(d[c("fa1", "role", "years", "sector")]), ]
d$fa1 <- factor(d$fa1, ordered = TRUE)
d$role <- factor(d$role, levels = c(2, 1, 3))
d$sector <- factor(d$sector)
ctl <- list(reltol = 1e-14, maxit = 10000)
out <- list()
put <- function(name, value) out[[name]] <<- as.numeric(value)
if (has("MASS")) {
library(MASS)
m <- polr(fa1 ~ role + years + sector, data = d, Hess = TRUE, control = ctl)
est <- c(coef(m), m$zeta); se <- sqrt(diag(vcov(m)))
for (k in names(est)) { put(paste0("b_", k), est[[k]]); put(paste0("se_", k), se[[k]]) }
put("loglik", logLik(m)); put("n", nrow(d)); put("aic", AIC(m)); put("df_residual", m$df.residual)
put("null_loglik", logLik(polr(fa1 ~ 1, data = d, control = ctl)))
for (t in c("role", "years", "sector")) {
  f <- update(fa1 ~ role + years + sector, as.formula(paste(". ~ . -", t)))
  put(paste0("ll_without_", t), logLik(polr(f, data = d, control = ctl)))
}
}
if (has("ordinal")) {
library(ordinal)
c1 <- clm(fa1 ~ role + years + sector, data = d)
nt <- nominal_test(c1)
for (t in c("role", "years", "sector")) { put(paste0("po_", t), nt[t, "LRT"]); put(paste0("po_df_", t), nt[t, "Df"]) }
call <- clm(fa1 ~ 1, nominal = ~ role + years + sector, data = d)
put("po_all", 2 * (logLik(call) - logLik(c1)))
}
if (has("effectsize")) {
library(effectsize)
y <- as.numeric(as.character(d$fa1))
for (a in 1:2) for (b in (a + 1):3) {
  ps <- as.data.frame(p_superiority(y[d$role == levels(d$role)[a]], y[d$role == levels(d$role)[b]], parametric = FALSE))
  put(paste0("ps_", a, b), ps[1, 1]); put(paste0("ps_low_", a, b), ps$CI_low); put(paste0("ps_high_", a, b), ps$CI_high)
}
}
write.csv(data.frame(name = names(out), value = sprintf("%.17g", unlist(out))), "r.csv", row.names = FALSE)
"""


def data(n: int = 300, seed: int = 11) -> pd.DataFrame:
    """Three groups, a 5-point item (six answers "don't know", -8), a numeric covariate with some empty
    answers and a text covariate."""
    rng = np.random.default_rng(seed)
    g = rng.integers(1, 4, n)
    x = rng.normal(size=n).round(3)
    s = rng.choice(["public", "private"], n)
    latent = 0.6 * (g == 1) - 0.5 * (g == 3) + 0.7 * x + 0.4 * (s == "public") + rng.logistic(size=n)
    y = np.digitize(latent, [-2, -0.7, 0.5, 1.8]) + 1.0
    y[:6] = -8
    years = np.where(np.arange(n) % 50 == 7, np.nan, x)
    return pd.DataFrame({"resp_id": np.arange(1, n + 1), "role": g, "fa1": y, "years": years, "sector": s})


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The data loaded with a definition listing the groups volunteer, professional, service user (codes 2, 1, 3)."""
    work = tmp_path_factory.mktemp("ordinal")
    path = work / "definition.yaml"
    path.write_text(DEFINITION.replace("codes: {professional: 1, volunteer: 2, service_user: 3}",
                                       "codes: {volunteer: 2, professional: 1, service_user: 3}"), encoding="utf-8")
    data().to_csv(work / "in.csv", index=False)
    return work, load_responses(work / "in.csv", instrument=instrument.load(path))


@pytest.fixture(scope="module")
def fitted(loaded):
    return ordinal_model(loaded[1], "fa1", by="role", covariates="years, sector")


@pytest.fixture(scope="module")
def r_run(loaded):
    """What R computed: the values of the packages installed (MASS, ordinal, effectsize)."""
    if RSCRIPT is None:
        pytest.skip("R (Rscript) is not installed")
    work, resp = loaded
    resp.valid().to_csv(work / "data.csv", index=False)  # user-missing codes empty, as R reads them: NA
    (work / "job.R").write_text(R_SCRIPT)
    proc = subprocess.run([RSCRIPT, "job.R"], cwd=work, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    got = pd.read_csv(work / "r.csv")
    return dict(zip(got["name"], got["value"].astype(float)))


def needs(r: dict, key: str, package: str) -> dict:
    if key not in r:
        pytest.skip(f"the R package {package} is not installed")
    return r


@pytest.fixture(scope="module")
def r_polr(r_run):
    return needs(r_run, "loglik", "MASS")


@pytest.fixture(scope="module")
def r_values(r_polr):
    return needs(r_polr, "po_all", "ordinal")


def test_coefficients_thresholds_and_loglik_as_polr(fitted, r_polr):
    r = r_polr
    coef = fitted.coefficients.set_index("term")
    # R: polr(fa1 ~ role + years + sector, Hess = TRUE); role's levels 2, 1, 3 (the definition's order)
    for ours, theirs in [("role: Professional", "role1"), ("role: Service user", "role3"), ("years", "years"),
                         ("sector: public", "sectorpublic")]:
        assert coef.loc[ours, "estimate"] == approx(r[f"b_{theirs}"], rel=REL)
        assert coef.loc[ours, "se"] == approx(r[f"se_{theirs}"], rel=REL)
        assert coef.loc[ours, "odds_ratio"] == approx(np.exp(r[f"b_{theirs}"]), rel=REL)
    th = fitted.thresholds.set_index("threshold")
    assert list(th.index) == ["1|2", "2|3", "3|4", "4|5"]
    for name in th.index:
        assert th.loc[name, "estimate"] == approx(r[f"b_{name}"], rel=REL)
        assert th.loc[name, "se"] == approx(r[f"se_{name}"], rel=REL)
    fit = fitted.fit.iloc[0]
    assert fit["log_likelihood"] == approx(r["loglik"], rel=REL)
    assert fit["null_log_likelihood"] == approx(r["null_loglik"], rel=REL)
    assert (fit["n"], fit["df_residual"]) == (r["n"], r["df_residual"])
    assert fit["aic"] == approx(r["aic"], rel=REL)
    assert fit["lr_chisq"] == approx(2 * (r["loglik"] - r["null_loglik"]), rel=REL) and fit["lr_df"] == 4


def test_terms_and_proportional_odds_as_R(fitted, r_values):
    r = r_values
    terms = fitted.terms.set_index("term")
    po = fitted.proportional_odds.set_index("term")
    for t, k in [("role", 2), ("years", 1), ("sector", 1)]:
        # R: 2 (logLik(polr(full)) - logLik(polr(without the term)))
        assert terms.loc[t, "lr_chisq"] == approx(2 * (r["loglik"] - r[f"ll_without_{t}"]), rel=REL)
        assert terms.loc[t, "df"] == k
        # R: ordinal::nominal_test(clm(fa1 ~ role + years + sector))
        assert po.loc[t, "lr_chisq"] == approx(r[f"po_{t}"], rel=REL) and po.loc[t, "df"] == r[f"po_df_{t}"]
    # R: clm(fa1 ~ 1, nominal = ~ role + years + sector) against clm(fa1 ~ role + years + sector)
    assert po.loc["all terms", "lr_chisq"] == approx(r["po_all"], rel=REL) and po.loc["all terms", "df"] == 12


def test_superiority_as_effectsize(fitted, r_run):
    r_values = needs(r_run, "ps_12", "effectsize")
    sup = fitted.superiority
    assert list(zip(sup["group1"], sup["group2"])) == [(GROUPS[0], GROUPS[1]), (GROUPS[0], GROUPS[2]),
                                                       (GROUPS[1], GROUPS[2])]
    for (a, b), row in zip([(1, 2), (1, 3), (2, 3)], sup.itertuples()):
        # R: effectsize::p_superiority(first, second, parametric = FALSE)
        assert row.p_superiority == approx(r_values[f"ps_{a}{b}"], rel=1e-9)
        assert (row.ci_low, row.ci_high) == (approx(r_values[f"ps_low_{a}{b}"], rel=1e-9),
                                             approx(r_values[f"ps_high_{a}{b}"], rel=1e-9))


def test_superiority_counts_pairs():
    rng = np.random.default_rng(5)
    a, b = rng.integers(1, 6, 23).astype(float), rng.integers(1, 6, 31).astype(float)
    wins = sum(x > y for x, y in product(a, b)) + 0.5 * sum(x == y for x, y in product(a, b))
    u, ps, lo, hi = superiority(a, b)
    assert u == wins and ps == approx(wins / (a.size * b.size), abs=1e-15) and lo < ps < hi
    assert superiority(b, a)[1] == approx(1 - ps, abs=1e-15)


def test_reference_group_listwise_and_sign(loaded, fitted):
    coef = fitted.coefficients
    assert list(coef["term"]) == ["role: Professional", "role: Service user", "years", "sector: public"]
    assert list(coef["level"]) == ["Professional", "Service user", "", "public"]
    fit = fitted.fit.iloc[0]
    assert fit["n_excluded"] == 12 and fit["n"] + 12 == len(loaded[1])  # six "don't know", six empty years
    assert "12 respondents" in fitted.missing_rule
    # the data were simulated with professionals answering higher and service users lower than volunteers
    est = coef.set_index("term")["estimate"]
    assert est["role: Professional"] > 0 > est["role: Service user"]
    assert fitted.superiority.iloc[0]["p_superiority"] < 0.5  # volunteers below professionals


def test_scale_score_with_few_values_is_modelled_many_refused():
    rng = np.random.default_rng(2)
    g = np.repeat([1, 2, 3], 40)
    few = np.round(rng.normal(3, 0.6, 120) * 2) / 2  # half points: a mean of two items
    res = ordinal_model(pd.DataFrame({"s": few, "g": g}), "s", by="g")
    assert res.fit.iloc[0]["categories"] == np.unique(few).size <= MAX_CATEGORIES
    assert "|" in res.thresholds.iloc[0]["threshold"]
    many = pd.DataFrame({"s": rng.normal(3, 0.6, 120), "g": g})
    with pytest.raises(OptionError) as err:
        ordinal_model(many, "s", by="g")
    assert err.value.param == "outcome" and "model one of its items" in str(err.value)
    assert "3." not in str(err.value)  # no respondent's value in the message


def test_refusals():
    df = pd.DataFrame({"y": [1.0, 2, 3, 1, 2, 3], "g": [1, 1, 1, 2, 2, 2], "t": list("abcdef")})
    with pytest.raises(OptionError):
        ordinal_model(df, "y", by="y")
    with pytest.raises(OptionError):
        ordinal_model(df, "y", by="g", covariates="g")
    with pytest.raises(OptionError):
        ordinal_model(df, "t", by="g")
    with pytest.raises(DataError):
        ordinal_model(df.assign(g=1), "y", by="g")
    with pytest.raises(DataError):
        ordinal_model(df.assign(y=2.0), "y", by="g")


def test_command_json_and_one_line_error(loaded, cli):
    work, _ = loaded
    r = cli("model", work / "in.csv", "--outcome", "fa1", "--by", "role", "--covariates", "years,sector",
            "-i", work / "definition.yaml", "--format", "json")
    assert r.exit_code == 0, r.stderr
    tables = json.loads(r.stdout)
    assert list(tables) == ["coefficients", "thresholds", "model_fit", "model_terms", "proportional_odds", "superiority"]
    assert tables["model_fit"][0]["n_excluded"] == 12 and tables["coefficients"][0]["term"] == "role: Professional"
    r = cli("model", work / "in.csv", "--outcome", "years", "--by", "role", "-i", work / "definition.yaml")
    assert r.exit_code == 2
    assert r.stderr.startswith("error: --outcome: in.csv: 'years' has ") and len(r.stderr.strip().splitlines()) == 1
    r = cli("model", work / "in.csv", "--outcome", "fa1", "--by", "role", "-i", work / "definition.yaml")
    assert r.exit_code == 0 and "Probability of superiority" in r.stdout and "Volunteer – Professional" in r.stdout


def test_compare_reports_superiority_beside_rank_biserial():
    from coprod.analysis.stats.compare import compare

    rng = np.random.default_rng(8)
    df = pd.DataFrame({"y": rng.integers(1, 6, 70).astype(float), "g": np.repeat([1, 2], [30, 40])})
    es = compare(df, "y", "g", test="mann-whitney").effect_sizes.set_index("effsize_name")
    a, b = df.loc[df["g"] == 1, "y"].to_numpy(), df.loc[df["g"] == 2, "y"].to_numpy()
    wins = sum(x > y for x, y in product(a, b)) + 0.5 * sum(x == y for x, y in product(a, b))
    ps = es.loc["p_superiority"]
    assert ps["effsize"] == approx(wins / (a.size * b.size), rel=1e-12)
    assert (ps["ci_low"], ps["ci_high"]) == (approx(superiority(a, b)[2], rel=1e-12), approx(superiority(a, b)[3], rel=1e-12))
    assert ps["effsize"] == approx((es.loc["rank_biserial", "effsize"] + 1) / 2, rel=1e-12)


def test_separation_and_rare_categories_give_notes_not_numbers():
    rng = np.random.default_rng(1)
    g = np.repeat([1, 2, 3], 30)
    y = rng.integers(1, 6, 90).astype(float)
    top = y.copy()
    top[g == 3] = 5  # every service user in the top category: the coefficient grows without bound
    res = ordinal_model(pd.DataFrame({"y": top, "g": g}), "y", by="g")
    coef = res.coefficients.set_index("term")
    assert np.isnan(coef.loc["g: 3", ["estimate", "se", "odds_ratio"]].astype(float)).all()
    assert "without bound" in res.fit.iloc[0]["note"]
    rare = y.copy()
    rare[(g == 1) & (rare == 2)] = 1  # no one of group 1 answers 2: ordinal::nominal_test gives NA here too
    po = ordinal_model(pd.DataFrame({"y": rare, "g": g}), "y", by="g").proportional_odds.iloc[0]
    assert np.isnan(po["lr_chisq"]) and "could not be fitted" in po["note"]


def test_constant_or_collinear_covariates_refused_and_an_empty_group_named():
    rng = np.random.default_rng(4)
    g = np.repeat([1, 2, 3], 30)
    df = pd.DataFrame({"y": rng.integers(1, 6, 90).astype(float), "g": g, "one": 1.0, "same": (g == 2) * 2.0,
                       "half": np.where(g == 3, np.nan, rng.normal(size=90))})
    for cov, text in [("one", "the same value"), ("same", "collinear")]:
        with pytest.raises(DataError, match=text):
            ordinal_model(df, "y", by="g", covariates=cov)
    res = ordinal_model(df, "y", by="g", covariates="half")
    assert "no respondent of 3 is in the model" in res.fit.iloc[0]["note"] and res.fit.iloc[0]["n_excluded"] == 30
    assert len(res.superiority) == 1


def test_small_groups_hidden_in_tables_for_people(capsys):
    from coprod.analysis.render import emit

    rng = np.random.default_rng(6)
    g = np.repeat([1, 2, 3], [40, 40, 4])
    res = ordinal_model(pd.DataFrame({"y": rng.integers(1, 6, 84).astype(float), "g": g}), "y", by="g")
    emit(res.tables(), "md", None, min_cell=5)
    lines = capsys.readouterr().out.splitlines()
    coef = [line for line in lines if line.startswith("| g: 3")]
    assert coef and coef[0].count("..") >= 5  # b, SE, z, p, OR of the group of four
    pairs = [line for line in lines if "– 3 " in line]
    assert len(pairs) == 2 and all(".." in line for line in pairs)
    assert res.coefficients["estimate"].notna().all()  # the result itself stays numeric
