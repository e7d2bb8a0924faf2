"""``cfa.R``: the CFA and measurement-invariance models of ``coprod invariance`` as an R script.

For each scale: a one-factor lavaan model of its items (reverse-keyed items recoded low + high -
code first), fitted by ML with listwise deletion in every respondent group with at least 50
respondents, configural, metric, scalar and strict (``group.equal``), compared with
``lavTestLRT`` and, when semTools is installed, ``semTools::compareFit``; ``lavTestScore`` names
the intercept constraints whose release improves the scalar model most.

>>> from coprod import instrument
>>> text = lavaan_script(instrument.builtin())
>>> 'scalar = c("loadings", "intercepts")' in text
True
>>> "collab <- 'collab =~ cq1 + cq2 + cq3 + cq4'" in text
True
"""
from __future__ import annotations

from pathlib import Path

from ..files import write_text
from ..model import Instrument

HEAD = """# Confirmatory factor analysis and measurement invariance of the scales of {id} {version}.
# Written by coprod (`coprod forms --kind lavaan`); the same models as `coprod invariance`.
# Needs R with lavaan (install.packages(c("lavaan", "haven", "semTools")); semTools is optional).
library(lavaan)
data_file <- "responses-checked.sav"   # the checked data written by `coprod import` (or a .csv)
d <- if (grepl("[.]csv$", data_file)) read.csv(data_file) else
  as.data.frame(haven::zap_labels(haven::read_sav(data_file, user_na = FALSE)))   # user-missing codes become NA
group <- "{group}"
min_n <- 50   # groups with fewer respondents are left out
levels <- list(configural = "", metric = "loadings", scalar = c("loadings", "intercepts"),
               strict = c("loadings", "intercepts", "residuals"))

# Reverse-keyed items: low + high - code (the codes of the item's choice list)
{reverse}
invariance <- function(model, items) {{
  x <- d[!is.na(d[[group]]), c(items, group)]
  x <- x[stats::complete.cases(x), ]   # listwise, as coprod's default
  n <- table(x[[group]])
  x <- x[x[[group]] %in% names(n)[n >= min_n], ]
  if (length(unique(x[[group]])) < 2) return(NULL)
  x[[group]] <- as.character(x[[group]])
  fits <- list()
  for (lev in names(levels)) {{
    # cfa(model, x, group = group, group.equal = ...): the first group in code order is the reference
    fits[[lev]] <- cfa(model, data = x, group = group, group.label = sort(unique(x[[group]])),
                       group.equal = if (lev == "configural") "" else levels[[lev]])
  }}
  print(sapply(fits, fitMeasures, fit.measures = c("chisq", "df", "pvalue", "cfi", "tli", "rmsea",
                                                   "rmsea.ci.lower", "rmsea.ci.upper", "srmr")))
  print(lavTestLRT(fits$configural, fits$metric, fits$scalar, fits$strict))
  if (requireNamespace("semTools", quietly = TRUE)) {{
    print(summary(semTools::compareFit(fits$configural, fits$metric, fits$scalar, fits$strict)))
  }}
  print(parameterEstimates(fits$scalar)[parameterEstimates(fits$scalar)$op == "~1" &
                                        parameterEstimates(fits$scalar)$lhs == all.vars(model)[1], ])
  print(lavTestScore(fits$scalar)$uni)   # which equality constraints to release
  invisible(fits)
}}
"""


def _reverse_lines(inst: Instrument) -> list[str]:
    lines, done = [], set()
    for scale in inst.scales.values():
        for item in scale.reverse:
            if item in done:
                continue
            done.add(item)
            try:
                codes = [c for c in inst.variable(item).valid_codes if isinstance(c, (int, float))]
            except KeyError:  # an item outside the questionnaire: the observed range
                codes = []
            if codes:
                lo, hi = min(codes), max(codes)
                lines.append(f"d${item} <- {lo + hi:g} - d${item}")
            else:
                lines.append(f"d${item} <- min(d${item}, na.rm = TRUE) + max(d${item}, na.rm = TRUE) - d${item}")
    return lines


def lavaan_script(inst: Instrument) -> str:
    """The R script for every scale of the instrument with at least three items."""
    group = inst.group_question or "group"
    text = HEAD.format(id=inst.id, version=inst.version, group=group,
                       reverse="\n".join(_reverse_lines(inst)) or "# (none)")
    for name, scale in inst.scales.items():
        items = list(scale.items)
        text += f"\n# {name}: {inst.text(scale.label)}\n"
        if len(items) < 3:
            text += "# (fewer than three items: a one-factor model is not identified)\n"
            continue
        text += f"{name} <- '{name} =~ {' + '.join(items)}'\n"
        text += f"fits_{name} <- invariance({name}, c({', '.join(repr(i).replace(chr(39), chr(34)) for i in items)}))\n"
    return text


def write_lavaan(inst: Instrument, path: str | Path, force: bool = False) -> Path:
    return write_text(path, lavaan_script(inst), force)
