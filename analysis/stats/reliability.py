"""Internal consistency of multi-item scales: Cronbach's alpha, McDonald's omega, item-total statistics."""
from __future__ import annotations

import contextvars
import functools
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from coprod.analysis.stats import common as _stats
from coprod.analysis.stats import minres as _minres
from coprod.analysis.stats.minres import minres_loadings, omega_total  # noqa: F401 (this module's API before)
from coprod.analysis.stats import reliability_more as _rel_more
from coprod.analysis.stats import weighting as _weighting
from coprod.analysis.stats.tdist import f_quantile  # no SciPy import (~0.8 s with scipy.optimize)

SCALE_COLUMNS = ["scale", "group", "n", "k", "alpha", "alpha_std", "ci_low", "ci_high", "omega", "mean_r", "note",
                 "scale_mean", "scale_var", "scale_sd"]
ITEM_COLUMNS = ["scale", "group", "variable", "mean", "sd", "r_drop", "alpha_if_deleted",
                "scale_mean_if_deleted", "scale_var_if_deleted", "smc", "omega_if_deleted"]
INTER_ITEM_COLUMNS = ["scale", "group", "variable1", "variable2", "r"]


@dataclass
class ReliabilityResult:
    """The two tables of :func:`reliability`."""

    scale: pd.DataFrame
    item_total: pd.DataFrame
    inter_item: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=INTER_ITEM_COLUMNS))

    def tables(self) -> dict[str, pd.DataFrame]:
        """``{"reliability": scale, "item_total": item_total, "inter_item": inter_item}`` for
        :func:`analysis.render.emit`."""
        return {"reliability": self.scale, "item_total": self.item_total, "inter_item": self.inter_item}


def reliability(data, items=None, reverse: str | Sequence[str] = (), by: str | None = None,
                scale: str | Sequence[str] | None = None, name: str | None = None,
                conf_level: float = 0.95, weight: str | None = None, weight_type: str = "frequency") -> ReliabilityResult:
    """Reliability of a scale (or of the instrument's scales), overall and per group.

    Conventions:

    * listwise: only respondents with a valid answer to every item of the scale (as SPSS
      RELIABILITY); user-missing codes are missing;
    * reverse-keyed items are recoded first, value -> (lowest + highest valid code) - value;
      the codes come from the instrument's choice list when there is one, else from the
      labelled non-missing codes, else from the observed minimum and maximum;
    * ``alpha``: Cronbach's alpha from the covariance matrix (n - 1); ``alpha_std``: from the
      mean inter-item correlation ``mean_r``;
    * ``ci_low``/``ci_high``: Feldt's confidence interval for alpha (F distribution with
      n - 1 and (n - 1)(k - 1) df, as ``psych::alpha.ci``);
    * ``omega``: McDonald's omega total of a one-factor model fitted by minimum residual
      (minres, unweighted least squares) to the item correlations, 1 - sum(1 - loading^2) /
      sum(D R D), as ``psych::omega(x, nfactors = 1)$omega.tot``: items loading negatively
      are reversed first (D = the signs of the loadings, psych's ``flip = TRUE``), and the
      note names them;
    * ``scale_mean``, ``scale_var``, ``scale_sd``: of the sum of the items (SPSS RELIABILITY
      /STATISTICS=SCALE);
    * item-total table: ``r_drop`` is the corrected item-total correlation (item against the
      sum of the other items), the rest as SPSS's /SUMMARY=TOTAL; ``smc`` the squared
      multiple correlation of the item with the others, 1 - 1 / diag(R^-1);
      ``omega_if_deleted`` omega of the other items (three or more);
    * ``inter_item``: the inter-item correlation matrix (every ordered pair, the diagonal 1).

    Parameters
    ----------
    data : Responses or DataFrame
    items : str or list of str, optional
        The scale's items (see :mod:`analysis.items`).  Without items, the instrument's scales.
    reverse : str or list of str, optional
        Reverse-keyed items (a subset of ``items``).
    by : str, optional
        Grouping variable: the statistics also per group.
    scale : str or list of str, optional
        Names of the instrument's scales to analyse (default all) when ``items`` is not given.
    name : str, optional
        Name for the scale given by ``items`` (default ``"scale"``).
    conf_level : float
        Level of the Feldt interval.
    weight, weight_type : str, optional
        Case weights (see :mod:`analysis.stats.weighting`): statistics of the weighted covariance
        matrix; frequency weights as SPSS RELIABILITY under WEIGHT BY (n = W), sampling: n respondents.

    Returns
    -------
    ReliabilityResult
        ``scale``: columns ``scale, group, n, k, alpha, alpha_std, ci_low, ci_high, omega,
        mean_r, note, scale_mean, scale_var, scale_sd``; ``item_total``: columns ``scale, group,
        variable, mean, sd, r_drop, alpha_if_deleted, scale_mean_if_deleted,
        scale_var_if_deleted, smc, omega_if_deleted``; ``inter_item``: columns ``scale, group,
        variable1, variable2, r``.  ``group`` is ``"Total"`` for all respondents.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4, 5, 3], "b": [2, 2, 3, 5, 4, 3], "c": [5, 4, 3, 2, 1, 2]})
    >>> res = reliability(df, items="a..c", reverse="c")
    >>> round(float(res.scale.loc[0, "alpha"]), 4)
    0.9491
    >>> list(res.item_total["variable"])
    ['a', 'b', 'c']
    """
    resp = _stats.responses(data)
    specs = _stats.scale_specs(resp, items, reverse, scale, name)
    groups, cw = _stats.groups_of(resp, by), _weighting.case_weights(resp, weight, weight_type)
    rows, item_rows, inter = _scales(resp, specs, groups, conf_level, cw)
    scale_df = _stats.frame(rows, SCALE_COLUMNS)
    item_df = pd.concat(item_rows, ignore_index=True)[ITEM_COLUMNS] if item_rows else pd.DataFrame(columns=ITEM_COLUMNS)
    return ReliabilityResult(scale_df, item_df, _stats.frame(inter, INTER_ITEM_COLUMNS))


def _scales(resp, specs, groups: _stats.Groups, conf_level: float, cw) -> tuple[list, list, list]:
    """Every scale's rows, item tables and inter-item rows; the omegas of all of them fitted together."""
    rows, item_rows, inter = [], [], []
    pending: list = []  # the omega fits of every scale and group, made together below
    token = _OMEGA_LATER.set(pending)
    try:
        for sname, names, rev in specs:
            scale_rows, item_tables, corr = _one_scale(resp, sname, [resp.resolve(n) for n in names], rev, groups,
                                                       conf_level, cw)
            rows += scale_rows
            item_rows += item_tables
            inter += corr
    finally:
        _OMEGA_LATER.reset(token)
    _omega_fitted(pending)
    return rows, item_rows, inter


def _one_scale(resp, sname: str, names: list[str], rev: list[str], groups: _stats.Groups, conf_level: float,
               cw=None):
    """The scale's rows (Total, then each group) and item tables, over the respondents with every item (listwise)."""
    X = _stats.scored_items(resp, names, rev)
    complete = ~np.isnan(X).any(axis=1) & (cw is None or cw.w > 0)
    Xc = X[complete]
    wc = None if cw is None else cw.w[complete]
    gc = groups.index[complete]
    blocks = [(_stats.TOTAL, slice(None))]
    if groups.var is not None:
        blocks += [(lab, gc == j) for j, lab in enumerate(groups.labels)]
    exact = _integer_data(Xc)
    rows, item_tables, inter = [], [], []
    for glab, sel in blocks:
        B = Xc[sel]
        if wc is not None:
            row, items_df = _scale_stats_weighted(B, wc[sel], cw.frequency, names, conf_level)
        elif exact:
            row, items_df = _scale_stats_exact(len(B), B.sum(axis=0), B.T @ B, names, conf_level)
        else:
            row, items_df = _scale_stats(B, names, conf_level)
        R = row.pop("_corr", None)
        later = row.pop("_omega", None)
        rows.append({"scale": sname, "group": glab, **row})
        items_df.insert(0, "group", glab)
        items_df.insert(0, "scale", sname)
        item_tables.append(items_df)
        if later is not None:  # omega fitted with the others (reliability), into this row and item table
            later.update(row=rows[-1], items=items_df)
        if R is not None:
            inter += [{"scale": sname, "group": glab, "variable1": a, "variable2": b, "r": float(R[i, j])}
                      for i, a in enumerate(names) for j, b in enumerate(names)]
    return rows, item_tables, inter


def cronbach_alpha(cov: np.ndarray) -> float:
    """Cronbach's alpha from an item covariance matrix."""
    k = cov.shape[0]
    total = cov.sum()
    return k / (k - 1) * (1.0 - np.trace(cov) / total)


def feldt_ci(alpha: float, n: int, k: int, conf_level: float = 0.95) -> tuple[float, float]:
    """Feldt's interval for alpha: 1 - (1 - alpha) F quantiles with n - 1 and (n - 1)(k - 1) df."""
    a = 1.0 - conf_level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lo = 1.0 - (1.0 - alpha) * f_quantile(df1, df2, 1.0 - a / 2)
    hi = 1.0 - (1.0 - alpha) * f_quantile(df1, df2, a / 2)
    return float(lo), float(hi)


def _integer_data(X: np.ndarray) -> bool:
    """Whether every sum of products of columns of X is an exactly represented integer."""
    if X.size == 0 or not np.array_equal(X, np.floor(X)):
        return False
    top = float(np.abs(X).max())
    return top * top * X.shape[0] < 2.0 ** 52


def _blank(n: int, names: list[str]):
    """An empty result row and item table (NaN everywhere); noted when nobody answered every item."""
    nan = np.nan
    row = {"n": int(n), "k": len(names), "alpha": nan, "alpha_std": nan, "ci_low": nan, "ci_high": nan,
           "omega": nan, "mean_r": nan, "note": "" if n else "no respondent answered every item",
           "scale_mean": nan, "scale_var": nan, "scale_sd": nan}
    items = {"variable": list(names), "mean": nan, "sd": nan, "r_drop": nan, "alpha_if_deleted": nan,
             "scale_mean_if_deleted": nan, "scale_var_if_deleted": nan, "smc": nan, "omega_if_deleted": nan}
    return row, items


def _framed(scale_stats):
    """The item table, filled column by column as a dict (a DataFrame's column assignment costs more
    than the statistics of a small scale), made a DataFrame once at the end."""
    @functools.wraps(scale_stats)
    def framed(*args, **kwargs):
        row, items = scale_stats(*args, **kwargs)
        return row, pd.DataFrame(items)
    return framed


def _too_few(n: int, k: int, row: dict) -> bool:
    """Note (and say) when there are too few items or respondents for any statistic."""
    if k < 2:
        row["note"] = "a scale needs at least two items"
    elif n < 2:
        row["note"] = "fewer than two respondents answered every item"
    return k < 2 or n < 2


@_framed
def _scale_stats_exact(n: int, s: np.ndarray, S: np.ndarray, names: list[str], conf_level: float):
    """:func:`_scale_stats` for integer-coded items, from n, the item sums ``s`` and the cross
    products ``S`` (exact integers): every covariance, (n S_ab - s_a s_b) / (n (n - 1)), and every
    variance of a rest score is rounded once, so no pass over the respondents is needed."""
    k = len(names)
    row, items = _blank(n, names)
    if n == 0:
        return row, items
    s = [int(v) for v in np.rint(s)]
    items["mean"] = np.array(s, dtype=float) / n
    row["scale_mean"] = sum(s) / n
    if _too_few(n, k, row):
        return row, items
    S = [[int(v) for v in r] for r in np.rint(S)]
    den = n * (n - 1)
    cnum = [[n * S[a][b] - s[a] * s[b] for b in range(k)] for a in range(k)]  # exact integers
    C = np.array([[v / den for v in r] for r in cnum])
    sd = np.sqrt(np.diag(C))
    items["sd"] = sd
    notes = []
    const = [names[j] for j in range(k) if sd[j] == 0]
    if const:
        notes.append("no variation in " + ", ".join(const))
    # the rest score of item j (total minus item j): its sum, sum of squares, covariance with item j
    tot = sum(s)
    row_sums = [sum(r) for r in cnum]
    all_sum = sum(row_sums)
    row["scale_var"] = all_sum / den
    var_rest = np.array([(all_sum - 2 * row_sums[j] + cnum[j][j]) / den for j in range(k)])
    cov_rest = np.array([(row_sums[j] - cnum[j][j]) / den for j in range(k)])
    with np.errstate(invalid="ignore", divide="ignore"):
        items["scale_mean_if_deleted"] = np.array([tot - v for v in s], dtype=float) / n
        items["scale_var_if_deleted"] = var_rest
        items["r_drop"] = cov_rest / (sd * np.sqrt(var_rest))
    return _from_covariances(C, sd, n, const, conf_level, row, items, notes)


@_framed
def _scale_stats(B: np.ndarray, names: list[str], conf_level: float):
    n, k = B.shape
    row, items = _blank(n, names)
    if n == 0:
        return row, items
    items["mean"] = B.mean(axis=0)
    total = B.sum(axis=1)
    row["scale_mean"] = float(total.mean())
    if _too_few(n, k, row):
        return row, items
    C = np.cov(B, rowvar=False, ddof=1)
    sd = np.sqrt(np.diag(C))
    items["sd"] = sd
    row["scale_var"] = float(total.var(ddof=1))
    notes = []
    const = [names[j] for j in range(k) if sd[j] == 0]
    if const:
        notes.append("no variation in " + ", ".join(const))
    with np.errstate(invalid="ignore", divide="ignore"):
        rest = total[:, None] - B
        items["scale_mean_if_deleted"] = rest.mean(axis=0)
        items["scale_var_if_deleted"] = rest.var(axis=0, ddof=1)
        rc = ((B - B.mean(0)) * (rest - rest.mean(0))).sum(0) / (n - 1)
        items["r_drop"] = rc / (sd * rest.std(axis=0, ddof=1))
    return _from_covariances(C, sd, n, const, conf_level, row, items, notes)


@_framed
def _scale_stats_weighted(B: np.ndarray, w: np.ndarray, frequency: bool, names: list[str], conf_level: float):
    """:func:`_scale_stats` with case weights ``w``: weighted means and covariances (sum of weights
    minus 1); n is the sum of weights (frequency weights) or the number of respondents (sampling)."""
    W = float(w.sum())
    n = W if frequency else B.shape[0]
    row, items = _blank(0, names)
    row["n"], row["note"] = n, ""
    if B.shape[0] == 0:
        row["note"] = "no respondent answered every item"
        return row, items
    k = len(names)
    items["mean"] = w @ B / W
    total = B.sum(axis=1)
    row["scale_mean"] = float(w @ total / W)
    if _too_few(n, k, row) or W <= 1:
        return row, items
    full = np.column_stack([B, total])
    dev = full - w @ full / W
    C_all = (dev * w[:, None]).T @ dev / (W - 1)  # items and the total
    C = C_all[:k, :k]
    sd = np.sqrt(np.diag(C))
    items["sd"] = sd
    row["scale_var"] = float(C_all[k, k])
    const = [names[j] for j in range(k) if sd[j] == 0]
    notes = ["no variation in " + ", ".join(const)] if const else []
    var_rest = C_all[k, k] - 2 * C_all[k, :k] + np.diag(C)
    with np.errstate(invalid="ignore", divide="ignore"):
        items["scale_mean_if_deleted"] = row["scale_mean"] - np.asarray(items["mean"])
        items["scale_var_if_deleted"] = var_rest
        items["r_drop"] = (C_all[k, :k] - np.diag(C)) / (sd * np.sqrt(var_rest))
    return _from_covariances(C, sd, n, const, conf_level, row, items, notes)


def _from_covariances(C: np.ndarray, sd: np.ndarray, n: int, const: list, conf_level: float, row: dict,
                      items: dict, notes: list):
    """The statistics both paths take from the covariance matrix: alpha and its CI, alpha if
    deleted, mean inter-item r, standardised alpha, omega; then the notes."""
    k = len(sd)
    nan = np.nan
    row["scale_sd"] = float(np.sqrt(row["scale_var"]))
    with np.errstate(invalid="ignore", divide="ignore"):
        if C.sum() > 0:
            row["alpha"] = float(cronbach_alpha(C))
            if n > 1 and k > 1:
                row["ci_low"], row["ci_high"] = feldt_ci(row["alpha"], n, k, conf_level)
        else:
            notes.append("the scale total has no variation")
        if k > 2:
            aid = []
            for j in range(k):
                keep = [i for i in range(k) if i != j]
                sub = C[np.ix_(keep, keep)]
                aid.append(cronbach_alpha(sub) if sub.sum() > 0 else nan)
            items["alpha_if_deleted"] = aid
        if not const:
            R = C / np.outer(sd, sd)
            row["_corr"] = R
            r = R[np.triu_indices(k, 1)].mean()
            row["mean_r"] = float(r)
            row["alpha_std"] = float(k * r / (1 + (k - 1) * r))
            items["smc"] = _rel_more.smc(R)
            _omega(R, items, row, notes)
    if n < 2 * k:
        notes.append(f"only {n:g} complete respondents for {k} items")
    row["note"] = _stats.join_notes(*notes)
    return row, items


#: Inside :func:`reliability`: the omega fits still to make, made together by :func:`_omega_fitted`.
_OMEGA_LATER: contextvars.ContextVar[list | None] = contextvars.ContextVar("omega_later", default=None)


def _omega(R: np.ndarray, items: dict, row: dict, notes: list) -> None:
    """Omega (and omega if item deleted) into ``row`` and ``items``, its notes into ``notes``; inside
    :func:`reliability` left for :func:`_omega_fitted` (``row["_omega"]``), which fits every scale and group at once."""
    if R.shape[0] < 3:
        notes.append("omega needs at least three items")
        return
    fit = {"R": R, "notes": notes, "at": len(notes), "row": row, "items": items}
    later = _OMEGA_LATER.get()
    if later is None:
        _omega_fitted([fit])
    else:  # its row and item table are those _one_scale makes of these: it puts them in
        row["_omega"] = fit
        later.append(fit)


def _omega_notes(variables, lam: np.ndarray) -> list[str]:
    notes = []
    flipped = [v for v, l in zip(variables, lam) if l < 0]
    if flipped:
        notes.append("omega with " + ", ".join(flipped) + " reversed (negative loading on the factor)")
    if np.any(np.abs(lam) >= 1):
        notes.append("Heywood case in the one-factor model (a loading of 1 or more)")
    return notes


def _omega_fitted(pending: list) -> None:
    """The omega fits of :func:`_omega`, those of as many items together (:func:`minres.omega_many`): each into
    its row, item table and notes (where they stood when the fit was asked for)."""
    by_k: dict = {}
    for p in pending:
        by_k.setdefault(p["R"].shape[0], []).append(p)
    for same in by_k.values():
        with np.errstate(invalid="ignore", divide="ignore"):  # as in _from_covariances, where each was asked for
            fits = _minres.omega_many([p["R"] for p in same])
        for p, fit in zip(same, fits):
            row, items, notes = p["row"], p["items"], p["notes"]
            if isinstance(fit, Exception):
                notes.insert(p["at"], "the one-factor model could not be fitted")
            else:
                om, lam, oid = fit
                row["omega"] = om
                notes[p["at"]:p["at"]] = _omega_notes(items["variable"], lam)
                items["omega_if_deleted"] = oid
            row["note"] = _stats.join_notes(*notes)
