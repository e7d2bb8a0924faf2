"""Case weights: SPSS ``WEIGHT BY`` frequency weights and design-based sampling weights.

Frequency weights (``weight_type="frequency"``, as SPSS/PSPP ``WEIGHT BY``): a case counts as
``w`` cases, ``w`` may be non-integer, and n is the sum of the weights.  Sampling weights
(``weight_type="sampling"``): the weight is the inverse of the probability of selection; means
and proportions are weighted, their standard errors come from Taylor linearisation of a
with-replacement single-stage design without strata or clusters, as R ``survey``'s
``svymean`` on ``svydesign(ids = ~1, weights = ~w)``, and n counts respondents.  Under both,
cases whose weight is missing, zero or negative are left out and counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from coprod.analysis.stats import moments as _moments
from coprod.instrument.errors import DataError, OptionError

KINDS = ("frequency", "sampling")
TABLE_COLUMNS = ["variable", "weight_type", "cases", "cases_excluded", "sum_of_weights"]
#: Columns frequencies add under sampling weights (percentages 0-100).
SAMPLING_FREQ_COLUMNS = ["valid_percent_se", "valid_percent_ci_low", "valid_percent_ci_high"]


@dataclass(frozen=True)
class CaseWeights:
    """The weight of every row (0 for the cases left out) and what was left out.

    >>> cw = case_weights(pd.DataFrame({"w": [1.5, 0, None, 2]}), "w")
    >>> cw.w.tolist(), cw.excluded, cw.total
    ([1.5, 0.0, 0.0, 2.0], 2, 3.5)
    >>> cw.note()
    'Weighted by w (frequency weights); n is the sum of weights. 2 cases with a missing, zero or negative weight are left out'
    """

    variable: str
    kind: str
    w: np.ndarray
    excluded: int

    @property
    def total(self) -> float:
        return float(self.w.sum())

    @property
    def frequency(self) -> bool:
        return self.kind == "frequency"

    def note(self) -> str:
        """The sentences for the tables' notes (no final full stop)."""
        if self.frequency:
            text = f"Weighted by {self.variable} (frequency weights); n is the sum of weights"
        else:
            text = (f"Weighted by {self.variable} (sampling weights); standard errors and 95% confidence intervals "
                    "by Taylor linearisation (with replacement, no strata or clusters); n counts respondents, "
                    "frequencies are sums of weights")
        if self.excluded:
            cases = "case" if self.excluded == 1 else "cases"
            verb = "is" if self.excluded == 1 else "are"
            text += f". {self.excluded:,} {cases} with a missing, zero or negative weight {verb} left out"
        return text

    def table(self) -> pd.DataFrame:
        """The ``weighting`` table: ``variable, weight_type, cases, cases_excluded, sum_of_weights``."""
        return pd.DataFrame([{"variable": self.variable, "weight_type": self.kind, "cases": int((self.w > 0).sum()),
                              "cases_excluded": self.excluded, "sum_of_weights": self.total}], columns=TABLE_COLUMNS)


def check_kind(weight_type: str | None) -> str:
    kind = (weight_type or "frequency").lower()
    if kind not in KINDS:
        raise OptionError(f"unknown weight type {weight_type!r} (choose from {', '.join(KINDS)})", param="weight_type")
    return kind


def case_weights(data, weight: str | None, weight_type: str = "frequency") -> CaseWeights | None:
    """The case weights of ``data`` from the variable ``weight``; None without one.

    User-missing codes of the weight are missing.  Raises VariableError for an unknown
    variable, DataError for a non-numeric one or when no case has a positive weight.
    """
    from coprod.analysis.stats.common import responses

    kind = check_kind(weight_type)
    if weight is None:
        return None
    resp = responses(data)
    name = resp.resolve(weight)
    col = resp.valid_column(name)
    where = f"{Path(str(resp.sources[0])).name}: " if len(resp.sources) == 1 else ""
    if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        raise DataError(f"{where}the weight variable {name!r} is not numeric")
    raw = col.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        keep = np.isfinite(raw) & (raw > 0)
    w = np.where(keep, raw, 0.0)
    if not keep.any():
        raise DataError(f"{where}no case has a positive weight in {name!r}")
    return CaseWeights(name, kind, w, int((~keep).sum()))


# ---------------------------------------------------------------------------- percentiles
def haverage(x: np.ndarray, w: np.ndarray, probs=(0.25, 0.5, 0.75)) -> np.ndarray:
    """Weighted percentiles as PSPP EXAMINE /PERCENTILES=HAVERAGE computes them under WEIGHT BY.

    For the distinct values y_1 < y_2 < ... with weights c_i and cumulative weights cc_i, and
    tc = (W + 1) p: y the largest value with cc <= tc, y' the next one (weight c'); g = tc - cc.
    g >= 1 gives y'; otherwise y + g (y' - y) when c' >= 1, else y + (g / c') (y' - y).
    With unit weights this is R's type 6.

    >>> haverage(np.array([1.0, 2, 4, 8]), np.ones(4)).tolist()
    [1.25, 3.0, 7.0]
    """
    vals, inv = np.unique(x, return_inverse=True)
    c = np.bincount(inv, weights=w, minlength=len(vals))
    cc = np.cumsum(c)
    W = cc[-1]
    out = []
    for p in probs:
        tc = (W + 1.0) * p
        i = int(np.searchsorted(cc, tc, side="right")) - 1  # the last value with cc <= tc (-1: none)
        if i + 1 >= len(vals):
            out.append(vals[-1])
            continue
        y = vals[i] if i >= 0 else vals[0]
        base = cc[i] if i >= 0 else 0.0
        g = tc - base
        nxt, c1 = vals[i + 1], c[i + 1]
        if g >= 1.0:
            out.append(nxt)
        else:
            frac = g if c1 >= 1.0 else g / c1
            out.append(y + frac * (nxt - y))
    return np.array(out, dtype=float)


def ecdf_quantiles(x: np.ndarray, w: np.ndarray, probs=(0.25, 0.5, 0.75)) -> np.ndarray:
    """The smallest value whose weighted cumulative share reaches p (R ``survey``'s
    ``svyquantile(..., qrule = "math")``).

    >>> ecdf_quantiles(np.array([1.0, 2, 3, 4]), np.array([1.0, 1, 1, 1])).tolist()
    [1.0, 2.0, 3.0]
    """
    order = np.argsort(x, kind="stable")
    xs, cum = x[order], np.cumsum(w[order])
    share = cum / cum[-1]
    return np.array([xs[min(int(np.searchsorted(share, p - 1e-12, side="left")), len(xs) - 1)] for p in probs])


# ---------------------------------------------------------------------------- design-based errors
def linearised_se(x: np.ndarray, w: np.ndarray, domain: np.ndarray | None = None) -> float:
    """Standard error of the weighted mean of ``x`` over ``domain`` (default all rows) by Taylor
    linearisation, with replacement, no strata or clusters: sqrt(m / (m - 1) sum z_i^2) with
    z_i = w_i (x_i - mean) / W over the domain (0 elsewhere) and m all the rows given (every
    case with a positive weight: a missing answer puts a case outside the domain), as R
    ``survey``'s ``svymean(..., na.rm = TRUE)`` (``svyby`` for a group).

    >>> round(linearised_se(np.array([1.0, 2, 3, 4]), np.ones(4)), 6)
    0.645497
    """
    d = np.ones(len(x), dtype=bool) if domain is None else domain
    m = len(x)
    W = w[d].sum()
    if m < 2 or W <= 0:
        return float("nan")
    mean = (w[d] * x[d]).sum() / W
    z = np.where(d, w * (x - mean) / W, 0.0)
    return float(np.sqrt(m / (m - 1) * (z * z).sum()))


def normal_ci(est, se, conf_level: float = 0.95):
    """est -+ z se: the Wald interval ``confint`` gives for a ``svymean``."""
    z = NormalDist().inv_cdf(1 - (1 - conf_level) / 2)  # Wichura's AS 241: scipy's ndtri to 1e-16, without SciPy
    return est - z * se, est + z * se


# ---------------------------------------------------------------------------- descriptives
def weighted_block(x: np.ndarray, w: np.ndarray, box, cw: CaseWeights, design: np.ndarray | None = None) -> dict:
    """Every descriptive statistic of the valid values ``x`` (NaN removed by the caller) with
    weights ``w`` (all positive).  Frequency weights: as PSPP DESCRIPTIVES / EXAMINE under WEIGHT
    BY (n = W, variance with W - 1, SE = SD / sqrt(W), moments with W, HAVERAGE percentiles).
    Sampling weights: ``design`` holds (values, weights, in-domain) of every case with a positive
    weight, for the design-based SE; variance sum w (x - mean)^2 / W times n / (n - 1), n the
    respondents with a valid value (``svyvar`` when no answer is missing); ECDF quartiles; no
    shape statistics."""
    cols = ["n", "mean", "sd", "se", "median", "q1", "q3", "min", "max", "top_box", *_moments.EXTRA_COLUMNS]
    out = {c: np.nan for c in cols}
    count = len(x)
    W = float(w.sum())
    out["n"] = W if cw.frequency else count
    if count == 0:
        return out
    mean = float((w * x).sum() / W)
    dev = x - mean
    vals, inv = np.unique(x, return_inverse=True)
    out.update(mean=mean, min=float(vals[0]), max=float(vals[-1]),
               mode=float(vals[int(np.argmax(np.bincount(inv, weights=w)))]))
    if box is not None:
        out["top_box"] = 100.0 * float(w[np.isin(x, box)].sum()) / W
    if cw.frequency:
        q = haverage(x, w)
        var = float((w * dev * dev).sum() / (W - 1)) if W > 1 else np.nan
        se = np.sqrt(var / W)
        lo, hi = _moments.mean_ci(np.array([mean]), np.array([se]), np.array([W]))
        shape = _moments.shape(np.array([W]), *[np.array([(w * dev ** p).sum()]) for p in (2, 3, 4)])
        out.update({k: float(v[0]) for k, v in shape.items()})
        lo, hi = float(lo[0]), float(hi[0])
    else:
        q = ecdf_quantiles(x, w)
        var = float(count / (count - 1) * (w * dev * dev).sum() / W) if count > 1 else np.nan
        dx, dw, dd = design
        se = linearised_se(dx, dw, dd)
        lo, hi = normal_ci(mean, se)
    out.update(sd=float(np.sqrt(var)), variance=var, se=float(se), median=float(q[1]), q1=float(q[0]),
               q3=float(q[2]), range=float(vals[-1] - vals[0]), iqr=float(q[2] - q[0]), mean_ci_low=lo,
               mean_ci_high=hi)
    return out


def weighted_descriptives(resp, names: list[str], boxes: list, groups, labels: list[str], cw: CaseWeights) -> list[dict]:
    """The rows of :func:`analysis.stats.descriptives.descriptives` under case weights: for each
    variable its Total row, then each group (``labels``: Total first).  ``missing`` is the sum of
    weights (frequency) or the count (sampling) of weighted cases without a valid value."""
    from coprod.analysis.stats.common import numeric_block

    w = cw.w
    inblock = [np.ones(len(w), dtype=bool)] + [groups.index == j for j in range(len(labels) - 1)]
    rows = []
    pos = w > 0
    for v, box in zip(names, boxes):
        x = numeric_block(resp, [v])[:, 0]
        valid = ~np.isnan(x) & pos
        for lab, sel in zip(labels, inblock):
            design = (np.where(valid, x, 0.0)[pos], w[pos], (sel & valid)[pos])
            st = weighted_block(x[sel & valid], w[sel & valid], box, cw, design)
            lost = sel & (w > 0) & ~valid
            missing = float(w[lost].sum()) if cw.frequency else int(lost.sum())
            rows.append({"variable": v, "label": resp.label(v), "group": lab, **st, "missing": missing})
    return rows


def with_percent_se(part: pd.DataFrame, x: np.ndarray, w: np.ndarray, domain: np.ndarray) -> pd.DataFrame:
    """A frequency table's part with the design-based SE and normal 95% interval of each valid
    percent (as ``svymean`` of the answer as a factor, per group as ``svyby``).  ``x``, ``w``:
    the answers and weights of every case with a positive weight; ``domain``: those with a
    valid answer in this part's group."""
    part = part.copy()
    se = np.full(len(part), np.nan)
    for i, (val, missing) in enumerate(zip(part["value"], part["is_missing"])):
        if not missing:
            se[i] = 100.0 * linearised_se((x == val).astype(float), w, domain)
    lo, hi = normal_ci(part["valid_percent"].to_numpy(dtype=float), se)
    part["valid_percent_se"], part["valid_percent_ci_low"], part["valid_percent_ci_high"] = se, lo, hi
    return part
