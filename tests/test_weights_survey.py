"""Sampling weights agree with R's ``survey`` package to 1e-6 relative.

The design is ``svydesign(ids = ~1, weights = ~w)``: one stage, with replacement, no strata or
clusters, Taylor linearisation.  The data are generated here (seeded) with non-integer weights,
missing answers and two groups; cases with a missing, zero or negative weight are outside the
design on both sides.
"""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.stats.descriptives import descriptives
from coprod.analysis.stats.frequencies import frequencies

RSCRIPT = shutil.which("Rscript")
REL = 1e-6

# R: every estimate as one row (key, value), 17 significant digits.
SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
d <- read.csv("data.csv")
d <- d[!is.na(d$w) & d$w > 0, ]
des <- svydesign(ids = ~1, weights = ~w, data = d)
out <- list()
put <- function(key, value) out[[key]] <<- as.numeric(value)
for (v in c("y", "x")) {
  m <- svymean(as.formula(paste0("~", v)), des, na.rm = TRUE)
  put(paste0(v, ".mean"), coef(m)); put(paste0(v, ".se"), SE(m))
  ci <- confint(m); put(paste0(v, ".ci_low"), ci[1]); put(paste0(v, ".ci_high"), ci[2])
  b <- svyby(as.formula(paste0("~", v)), ~g, des, svymean, na.rm = TRUE)
  for (i in seq_len(nrow(b))) {
    put(paste0(v, ".g", b$g[i], ".mean"), b[i, v]); put(paste0(v, ".g", b$g[i], ".se"), b$se[i])
  }
  q <- svyquantile(as.formula(paste0("~", v)), des, c(0.25, 0.5, 0.75), na.rm = TRUE, ci = FALSE)[[1]]
  put(paste0(v, ".q1"), q[1]); put(paste0(v, ".median"), q[2]); put(paste0(v, ".q3"), q[3])
}
put("z.variance", coef(svyvar(~z, des)))
p <- svymean(~factor(c), des, na.rm = TRUE)
for (k in seq_along(coef(p))) { put(paste0("c.", k, ".p"), coef(p)[k]); put(paste0("c.", k, ".se"), SE(p)[k]) }
b <- svyby(~factor(c), ~g, subset(des, !is.na(c)), svymean)
for (i in seq_len(nrow(b))) for (k in 1:3) {
  put(paste0("c.g", b$g[i], ".", k, ".p"), b[i, 1 + k]); put(paste0("c.g", b$g[i], ".", k, ".se"), b[i, 4 + k])
}
write.csv(data.frame(key = names(out), value = format(unlist(out), digits = 17)), "out.csv", row.names = FALSE)
"""


def make_data() -> pd.DataFrame:
    rng = np.random.default_rng(20261202)
    n = 120
    g = rng.choice([1.0, 2.0], size=n, p=[0.35, 0.65])
    df = pd.DataFrame({"g": g, "y": np.round(50 + 5 * (g == 2) + rng.normal(size=n) * 8, 1),
                       "x": np.clip(np.round(3 + rng.normal(size=n)), 1, 5),
                       "z": np.round(rng.gamma(2.0, 3.0, n), 2),
                       "c": rng.choice([1.0, 2.0, 3.0], size=n, p=[0.5, 0.3, 0.2])})
    df["w"] = np.round(rng.uniform(0.5, 4.0, n), 3)
    df.loc[[3, 9], "w"] = 0.0
    df.loc[14, "w"] = np.nan
    df.loc[[5, 22, 70], "y"] = np.nan
    df.loc[[7, 8], "x"] = np.nan
    df.loc[[12, 40], "c"] = np.nan
    return df


@pytest.fixture(scope="module")
def r_survey(tmp_path_factory):
    if RSCRIPT is None:
        pytest.skip("R (Rscript) is not installed")
    if subprocess.run([RSCRIPT, "-e", "library(survey)"], capture_output=True).returncode:
        pytest.skip("R package survey is not installed (apt-get install r-cran-survey)")
    work = tmp_path_factory.mktemp("survey")
    df = make_data()
    df.to_csv(work / "data.csv", index=False)
    (work / "job.R").write_text(SCRIPT)
    proc = subprocess.run([RSCRIPT, "job.R"], cwd=work, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = pd.read_csv(work / "out.csv")
    return df, dict(zip(out["key"], out["value"].astype(float)))


def approx(v):
    return pytest.approx(v, rel=REL, abs=1e-9)


def test_means_and_standard_errors(r_survey):
    df, r = r_survey
    d = descriptives(df, items="y,x", by="g", weight="w", weight_type="sampling")
    for v in ("y", "x"):
        tot = d[(d.variable == v) & (d.group == "Total")].iloc[0]
        for c in ("mean", "se", "mean_ci_low", "mean_ci_high", "q1", "median", "q3"):
            assert tot[c] == approx(r[f"{v}.{c.replace('mean_', '')}"]), (v, c)
        for g in ("1", "2"):
            row = d[(d.variable == v) & (d.group == g)].iloc[0]
            assert row["mean"] == approx(r[f"{v}.g{g}.mean"]) and row["se"] == approx(r[f"{v}.g{g}.se"]), (v, g)
        assert tot["n"] == int((df[v].notna() & (df["w"] > 0)).sum())  # n counts respondents


def test_variance_is_svyvar(r_survey):
    df, r = r_survey
    row = descriptives(df, items="z", weight="w", weight_type="sampling").iloc[0]
    assert row["variance"] == approx(r["z.variance"])
    assert np.isnan(row["skewness"])


def test_proportions(r_survey):
    df, r = r_survey
    f = frequencies(df, items="c", by="g", weight="w", weight_type="sampling")
    f = f[~f.is_missing]
    for prefix, group in (("c", "Total"), ("c.g1", "1"), ("c.g2", "2")):
        part = f[f.group == group].reset_index(drop=True)
        for k in range(3):
            assert part.loc[k, "valid_percent"] == approx(100 * r[f"{prefix}.{k + 1}.p"])
            assert part.loc[k, "valid_percent_se"] == approx(100 * r[f"{prefix}.{k + 1}.se"])
    tot = f[f.group == "Total"].iloc[0]
    assert tot["valid_percent_ci_low"] == approx(tot["valid_percent"] - 1.959963984540054 * tot["valid_percent_se"])
