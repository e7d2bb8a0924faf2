"""Run R's lavaan on a CSV file and read its estimates and fit measures back at full precision.

The R side fits the models :func:`coprod.analysis.stats.cfa.invariance` fits and writes, per
model, ``fitMeasures()`` and ``parameterEstimates(standardized = TRUE)`` as CSV (15 significant
digits), and the ``lavTestLRT()`` of each level against the one before.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

RSCRIPT = shutil.which("Rscript")

# R: one function per model; `ge` is lavaan's group.equal for each level.
SCRIPT = r"""
suppressPackageStartupMessages(library(lavaan))
d <- read.csv("{data}", na.strings = c("", "NA"))
{prepare}
m <- '{model}'
dump <- function(fit, tag) {{
  fm <- fitMeasures(fit)
  write.csv(data.frame(name = names(fm), value = as.numeric(fm)), paste0(tag, "_fit.csv"), row.names = FALSE)
  write.csv(parameterEstimates(fit, standardized = TRUE), paste0(tag, "_pe.csv"), row.names = FALSE)
}}
fit <- cfa(m, data = d, meanstructure = TRUE, estimator = "{estimator}", missing = "{missing}", std.lv = {std_lv})
dump(fit, "single")
if ("{group}" != "") {{
  d${group} <- as.character(d${group})
  labels <- sort(unique(d${group}))
  ge <- list(configural = "", metric = "loadings", scalar = c("loadings", "intercepts"),
             strict = c("loadings", "intercepts", "residuals"))
  prev <- NULL
  for (lev in names(ge)) {{
    eq <- if (lev == "configural") "" else ge[[lev]]
    fit <- cfa(m, data = d, group = "{group}", group.label = labels, group.equal = eq,
               estimator = "{estimator}", missing = "{missing}", std.lv = {std_lv})
    dump(fit, lev)
    if (lev == "scalar" && "{missing}" == "listwise") {{
      # lavTestScore(fit)$uni: each intercept constraint named by its item and (second) group
      u <- lavTestScore(fit)$uni
      pt <- parTable(fit)
      u$variable <- pt$lhs[match(u$lhs, pt$plabel)]
      u$kind <- pt$op[match(u$lhs, pt$plabel)]
      u$group <- labels[pt$group[match(u$rhs, pt$plabel)]]
      write.csv(u[u$kind == "~1", c("variable", "group", "X2", "df", "p.value")], "scalar_score.csv", row.names = FALSE)
    }}
    if (!is.null(prev)) {{
      lrt <- lavTestLRT(fit, prev)
      write.csv(data.frame(chisq_diff = lrt[2, "Chisq diff"], df_diff = lrt[2, "Df diff"],
                           p_diff = lrt[2, "Pr(>Chisq)"]), paste0(lev, "_lrt.csv"), row.names = FALSE)
    }}
    prev <- fit
  }}
}}
"""


def require_lavaan() -> str:
    if RSCRIPT is None:
        pytest.skip("R (Rscript) is not installed")
    probe = subprocess.run([RSCRIPT, "-e", "library(lavaan)"], capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        pytest.skip("the R package lavaan is not installed")
    return RSCRIPT


def run_lavaan(data: Path, workdir: Path, items: list[str], group: str = "", estimator: str = "ML",
               missing: str = "listwise", std_lv: bool = False, prepare: str = "") -> dict:
    """Fit the models in R; return {tag: {"fit": Series, "pe": DataFrame, "lrt": Series}}."""
    exe = require_lavaan()
    model = "f =~ " + " + ".join(items)
    script = SCRIPT.format(data=data, prepare=prepare, model=model, estimator=estimator, missing=missing,
                           std_lv="TRUE" if std_lv else "FALSE", group=group)
    (workdir / "job.R").write_text(script)
    proc = subprocess.run([exe, "job.R"], capture_output=True, text=True, timeout=300, cwd=workdir)
    if proc.returncode != 0:
        raise AssertionError(f"R failed:\n{proc.stderr}")
    out = {}
    for tag in ("single", "configural", "metric", "scalar", "strict"):
        f = workdir / f"{tag}_fit.csv"
        if not f.exists():
            continue
        fm = pd.read_csv(f)
        lrt = workdir / f"{tag}_lrt.csv"
        out[tag] = {"fit": pd.Series(fm["value"].to_numpy(), index=fm["name"]),
                    "pe": pd.read_csv(workdir / f"{tag}_pe.csv", keep_default_na=False, na_values=["NA"]),
                    "lrt": pd.read_csv(lrt).iloc[0] if lrt.exists() else None}
        score = workdir / f"{tag}_score.csv"
        if score.exists():
            out[tag]["score"] = pd.read_csv(score, dtype={"group": str})
    return out
