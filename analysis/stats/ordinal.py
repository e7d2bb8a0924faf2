"""Likert items as ordinal: the proportional-odds (cumulative logit) model of an item on group and covariates.

The model, fitted by maximum likelihood with statsmodels' ``OrderedModel`` (``distr="logit"``) and
written as R's ``MASS::polr`` writes it:

    logit P(Y <= j) = zeta_j - eta,    eta = x' beta

so a positive coefficient means higher answers (higher categories more likely) and ``odds_ratio``
= exp(beta) is the odds of answering above any category rather than at or below it, against the
reference group (the first group in the questionnaire's order) or per unit of a numeric covariate.
The tables are checked against ``MASS::polr(..., Hess = TRUE)`` and ``ordinal::nominal_test``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from coprod.analysis.stats import common as _stats
from coprod.analysis.stats import ordinal_fit as _fit
from coprod.instrument.errors import DataError, OptionError

COEF_COLUMNS = ["term", "variable", "level", "n", "estimate", "se", "z", "p", "odds_ratio", "or_ci_low", "or_ci_high"]
THRESHOLD_COLUMNS = ["threshold", "estimate", "se"]
FIT_COLUMNS = ["outcome", "n", "n_excluded", "categories", "log_likelihood", "null_log_likelihood", "aic",
               "df_residual", "lr_chisq", "lr_df", "lr_p", "r2_mcfadden", "r2_cox_snell", "r2_nagelkerke", "note"]
TERM_COLUMNS = ["term", "lr_chisq", "df", "p"]
PO_COLUMNS = ["term", "lr_chisq", "df", "p", "note"]
SUPERIORITY_COLUMNS = ["group1", "group2", "n1", "n2", "u", "p_superiority", "ci_low", "ci_high"]

#: An outcome with more distinct valid values than this is refused (a 0-10 item has 11).
MAX_CATEGORIES = 11
#: A standard error above this (on the logit scale) means an estimate that grows without bound: separation.
MAX_SE = 50.0
ALL_TERMS = "all terms"


@dataclass
class OrdinalResult:
    """The tables of :func:`ordinal_model` and the sentence on who was left out."""

    coefficients: pd.DataFrame
    thresholds: pd.DataFrame
    fit: pd.DataFrame
    terms: pd.DataFrame
    proportional_odds: pd.DataFrame
    superiority: pd.DataFrame
    missing_rule: str = ""
    notes: list = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, for :func:`analysis.render.emit`."""
        return {"coefficients": self.coefficients, "thresholds": self.thresholds, "model_fit": self.fit,
                "model_terms": self.terms, "proportional_odds": self.proportional_odds,
                "superiority": self.superiority}


@dataclass
class _Factor:
    """A categorical variable: each respondent's level (-1: missing), levels in the questionnaire's order."""

    var: str
    index: np.ndarray
    labels: list[str]


@dataclass
class _Design:
    y: np.ndarray
    J: int
    categories: list[str]
    X: np.ndarray
    columns: list[dict]  # per column of X: term, variable, level, n
    terms: list[tuple[str, list[int]]]  # term name and its columns of X
    group: np.ndarray  # the respondents' group (0 .. k - 1) in the model
    group_labels: list[str]
    outcome_values: np.ndarray
    n_excluded: int
    absent: list[str]  # groups without respondents in the model


def ordinal_model(data, outcome: str, by: str, covariates=None, conf_level: float = 0.95) -> OrdinalResult:
    """Proportional-odds (cumulative logit) model of an ordinal item on group and covariates.

    The outcome's distinct valid values are its ordered categories: an item's codes, or a scale
    score with at most :data:`MAX_CATEGORIES` distinct values (more is refused: model an item).
    The group enters as indicators against the reference group, the first in the questionnaire's
    order (its choice list; the definition's groups for the group question; else code order).
    A covariate is categorical (indicators against its first level) when it is text or nominal,
    else numeric.  Respondents missing on the outcome, the group or a covariate are left out
    (listwise); ``missing_rule`` says how many.

    Tables: ``coefficients`` (Wald z tests; odds ratios exp(beta) with Wald intervals
    exp(beta ± z se)), ``thresholds`` (zeta_j as ``polr``, named ``"1|2"`` by the codes),
    ``model_fit`` (likelihood-ratio chi-square against the thresholds-only model; pseudo R²s as SPSS
    PLUM), ``model_terms`` (likelihood-ratio test of each term, as ``drop1(polr, test = "Chisq")``),
    ``proportional_odds`` (likelihood-ratio test of each term's effect being the same at every
    threshold against the model where it differs per threshold, as ``ordinal::nominal_test``; and of
    all terms together) and ``superiority`` (the probability of superiority of each pair of groups
    on the same respondents, see :func:`analysis.stats.ordinal_fit.superiority`).

    Parameters
    ----------
    data : Responses or DataFrame
    outcome : str
        The item (or scale score) to model.
    by : str
        The grouping variable.
    covariates : str or list of str, optional
        Further variables (comma-separated names, ranges, patterns).
    conf_level : float
        Level of the odds ratios' and the probabilities' intervals.

    Returns
    -------
    OrdinalResult
        ``coefficients``: ``term, variable, level, n, estimate, se, z, p, odds_ratio, or_ci_low,
        or_ci_high``; ``thresholds``: ``threshold, estimate, se``; ``fit`` (table ``model_fit``):
        ``outcome, n, n_excluded, categories, log_likelihood, null_log_likelihood, aic, df_residual,
        lr_chisq, lr_df, lr_p, r2_mcfadden, r2_cox_snell, r2_nagelkerke, note``; ``terms`` (table
        ``model_terms``): ``term, lr_chisq, df, p``; ``proportional_odds``: ``term, lr_chisq, df, p,
        note``; ``superiority``: ``group1, group2, n1, n2, u, p_superiority, ci_low, ci_high``.
        Estimates that grow without bound (separation; SE over :data:`MAX_SE`) are left empty with
        a ``note`` in ``fit``.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> g = np.repeat([1, 2], 60)
    >>> y = np.clip(np.round(2.5 + 0.8 * (g == 2) + rng.normal(size=120)), 1, 5)
    >>> res = ordinal_model(pd.DataFrame({"y": y, "g": g}), "y", by="g")
    >>> row = res.coefficients.iloc[0]
    >>> row["term"], round(float(row["estimate"]), 4), round(float(row["odds_ratio"]), 4)
    ('g: 2', 1.2869, 3.6216)
    """
    if not 0 < conf_level < 1:
        raise OptionError("must be between 0 and 1", param="conf_level")
    if not by:
        raise OptionError("a grouping variable is needed", param="by")
    resp = _stats.responses(data)
    d = _design(resp, outcome, by, covariates)
    fit = _fit.fit_po(d.y, d.J, d.X)
    coef, thresholds, notes = _estimates(d, fit, conf_level)
    po = _po_tests(d, fit)
    sup = _superiority(d, conf_level)
    rule = (f"Listwise deletion: {d.n_excluded:,} respondent{'s' * (d.n_excluded != 1)} missing on the outcome, "
            f"the group or a covariate left out." if d.n_excluded else "No respondent was missing on the outcome, "
            "the group or a covariate.")
    return OrdinalResult(coef, thresholds, _fit_table(d, fit, resp.resolve(outcome), notes), _terms(d, fit), po,
                         sup, rule, notes)


# ------------------------------------------------------------------------------ design
def _where(resp) -> str:
    return f"{Path(str(resp.sources[0])).name}: " if len(resp.sources) == 1 else ""


def _level_order(resp, var: str, codes: list) -> list[int]:
    """Positions of ``codes`` in the questionnaire's order: the definition's groups, else the choice list."""
    inst = resp.instrument
    order: list = []
    if inst is not None:
        if inst.group_question and inst.group_question.lower() == var.lower() and inst.groups:
            order = [g.code for g in inst.groups]
        else:
            try:
                order = list(inst.variable(var).valid_codes or ())
            except Exception:  # not a variable of the definition
                order = []
    rank = {}
    for i, c in enumerate(order):
        try:
            rank.setdefault(float(c), i)
        except (TypeError, ValueError):
            rank.setdefault(str(c), i)
    key = [rank.get(c, len(rank) + j) for j, c in enumerate(codes)]
    return sorted(range(len(codes)), key=lambda j: key[j])


def _factor(resp, var: str) -> _Factor:
    groups = _stats.groups_of(resp, var)
    order = _level_order(resp, groups.var, groups.codes)
    new = np.empty(len(order), dtype=np.int64)
    new[order] = np.arange(len(order))
    index = np.where(groups.index >= 0, new[np.maximum(groups.index, 0)], -1)
    return _Factor(groups.var, index, [groups.labels[j] for j in order])


def _outcome(resp, name: str) -> np.ndarray:
    col = resp.valid_column(name)
    if not pd.api.types.is_numeric_dtype(col):
        raise OptionError(f"{_where(resp)}{name!r} is not numeric: an ordinal model needs ordered codes",
                          param="outcome")
    x = col.to_numpy(dtype=float, na_value=np.nan)
    k = np.unique(x[~np.isnan(x)]).size
    if k > MAX_CATEGORIES:
        raise OptionError(f"{_where(resp)}{name!r} has {k} different values: an ordinal model takes at most "
                          f"{MAX_CATEGORIES} ordered categories; model one of its items instead", param="outcome")
    return x


def _design(resp, outcome: str, by: str, covariates) -> _Design:
    """The outcome as categories 0 .. J - 1 and the design matrix of the respondents valid on everything."""
    y_name, group = resp.resolve(outcome), _factor(resp, by)
    covs = _stats.resolve_items(resp, covariates) if covariates else []
    if y_name == group.var:
        raise OptionError(f"{y_name!r} is the grouping variable", param="outcome")
    clash = [c for c in covs if c in (y_name, group.var)]
    if clash:
        raise OptionError(f"{clash[0]!r} is the outcome or the grouping variable", param="covariates")
    x = _outcome(resp, y_name)
    ok = ~np.isnan(x) & (group.index >= 0)
    parts = []
    for c in covs:
        col = resp.valid_column(c)
        if pd.api.types.is_numeric_dtype(col) and resp.measure_of(c) != "nominal":
            part = col.to_numpy(dtype=float, na_value=np.nan)
            ok &= np.isfinite(part)
        else:
            part = _factor(resp, c)
            ok &= part.index >= 0
        parts.append((c, part))
    if ok.sum() == 0:
        raise DataError(f"{_where(resp)}no respondent has valid answers to {y_name!r}, {group.var!r} and the covariates")
    values, y = np.unique(x[ok], return_inverse=True)
    if values.size < 2:
        raise DataError(f"{_where(resp)}{y_name!r}: every valid answer is the same; nothing to model")
    g = group.index[ok]
    present = [j for j in range(len(group.labels)) if (g == j).any()]
    if len(present) < 2:
        raise DataError(f"{_where(resp)}{group.var!r}: fewer than two groups with data; nothing to compare")
    X, cols, terms = _columns(resp, [(group.var, group)] + parts, ok)
    if int(ok.sum()) <= X.shape[1] + values.size - 1:
        raise DataError(f"{_where(resp)}too few respondents ({int(ok.sum())}) for a model with "
                        f"{X.shape[1] + values.size - 1} parameters")
    remap = np.full(len(group.labels), -1)
    remap[present] = np.arange(len(present))
    return _Design(y.astype(np.int64), values.size, [_code(v) for v in values], X, cols, terms, remap[g],
                   [group.labels[j] for j in present], x[ok], int((~ok).sum()),
                   [lab for j, lab in enumerate(group.labels) if j not in present])


def _columns(resp, parts: list, ok: np.ndarray) -> tuple[np.ndarray, list[dict], list[tuple[str, list[int]]]]:
    """The design matrix of the respondents ``ok``: indicators of every level but the first present of a
    categorical variable, a numeric covariate as it is; refused where a variable cannot vary or the
    columns are collinear."""
    cols, blocks, terms = [], [], []
    for name, part in parts:
        terms.append((name, []))
        if isinstance(part, _Factor):
            idx = part.index[ok]
            levels = [j for j in range(len(part.labels)) if (idx == j).any()]
            new = [(f"{name}: {part.labels[j]}", part.labels[j], idx == j) for j in levels[1:]]
        else:
            new = [(name, "", part[ok])]
        if not new or np.ptp(new[0][2].astype(float)) == 0:
            raise DataError(f"{_where(resp)}{name!r} has the same value for every respondent in the model; leave it out")
        for term, level, block in new:
            terms[-1][1].append(len(cols))
            cols.append({"term": term, "variable": name, "level": level,
                         "n": int(block.sum()) if block.dtype == bool else np.nan})
            blocks.append(block.astype(float))
    X = np.column_stack(blocks)
    if np.linalg.matrix_rank(np.column_stack([np.ones(len(X)), X])) <= X.shape[1]:
        raise DataError(f"{_where(resp)}the group and covariates are collinear (one is determined by the others "
                        "among the respondents in the model); leave one out")
    return X, cols, terms


def _code(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


# ------------------------------------------------------------------------------ tables
def _estimates(d: _Design, fit: _fit.Fit, conf_level: float) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """``coefficients`` and ``thresholds``, estimates growing without bound left empty; the notes of the fit."""
    with np.errstate(invalid="ignore"):
        se = np.sqrt(np.diag(fit.cov))  # NaN where the information is not positive definite
    bad = ~np.isfinite(se) | (se > MAX_SE)
    notes = ["some estimates grow without bound (separation: a group or level whose answers all lie in the top or "
             "bottom categories?) and are left empty"] if bad.any() or not fit.converged else []
    if d.absent:
        notes.insert(0, "no respondent of " + ", ".join(d.absent) + " is in the model (all missing on the outcome "
                     "or a covariate)")
    p = d.X.shape[1]
    coef = _coefficients(d, fit, conf_level)
    coef.loc[bad[:p], ["estimate", "se", "z", "p", "odds_ratio", "or_ci_low", "or_ci_high"]] = np.nan
    coef["n"] = coef["n"].astype("Int64")  # empty for a numeric covariate
    thresholds = _stats.frame([{"threshold": f"{a}|{b}", "estimate": np.nan if out else t, "se": np.nan if out else s}
                               for a, b, t, s, out in zip(d.categories[:-1], d.categories[1:], fit.thresholds, se[p:],
                                                          bad[p:])], THRESHOLD_COLUMNS)
    return coef, thresholds, notes


def _coefficients(d: _Design, fit: _fit.Fit, conf_level: float) -> pd.DataFrame:
    from scipy import special

    with np.errstate(invalid="ignore"):
        se = np.sqrt(np.diag(fit.cov)[:d.X.shape[1]])
    z = fit.beta / se
    zc = special.ndtri(1 - (1 - conf_level) / 2)
    with np.errstate(over="ignore", invalid="ignore"):  # separation: exp of a huge estimate is inf
        rows = [{**c, "estimate": b, "se": s, "z": zz, "p": float(2 * special.ndtr(-abs(zz))), "odds_ratio": np.exp(b),
                 "or_ci_low": np.exp(b - zc * s), "or_ci_high": np.exp(b + zc * s)}
                for c, b, s, zz in zip(d.columns, fit.beta, se, z)]
    return _stats.frame(rows, COEF_COLUMNS)


def _fit_table(d: _Design, fit: _fit.Fit, outcome: str, notes: list[str]) -> pd.DataFrame:
    from scipy import special

    n, p = d.y.size, d.X.shape[1]
    ll0 = _fit.null_loglik(d.y, d.J)
    lr = 2 * (fit.loglik - ll0)
    cox_snell = 1 - np.exp(2 * (ll0 - fit.loglik) / n)
    row = {"outcome": outcome, "n": n, "n_excluded": d.n_excluded, "categories": d.J, "log_likelihood": fit.loglik,
           "null_log_likelihood": ll0, "aic": -2 * fit.loglik + 2 * (p + d.J - 1), "df_residual": n - p - d.J + 1,
           "lr_chisq": lr, "lr_df": p, "lr_p": float(special.chdtrc(p, lr)), "r2_mcfadden": 1 - fit.loglik / ll0,
           "r2_cox_snell": cox_snell, "r2_nagelkerke": cox_snell / (1 - np.exp(2 * ll0 / n)),
           "note": _stats.join_notes(*notes)}
    return _stats.frame([row], FIT_COLUMNS)


def _terms(d: _Design, fit: _fit.Fit) -> pd.DataFrame:
    """Likelihood-ratio test of each term: the model without it refitted (thresholds only if nothing is left)."""
    from scipy import special

    rows = []
    for term, cols in d.terms:
        rest = np.delete(d.X, cols, axis=1)
        if rest.shape[1]:  # the likelihood's maximum, by BFGS on its analytic gradient from the full model's values
            x0 = np.concatenate([fit.thresholds, np.delete(fit.beta, cols)])
            ll = _fit.maximise(d.y, d.J, np.zeros((d.y.size, 0)), rest, x0)[1]
        else:
            ll = _fit.null_loglik(d.y, d.J)
        lr = 2 * (fit.loglik - ll)
        rows.append({"term": term, "lr_chisq": lr, "df": len(cols), "p": float(special.chdtrc(len(cols), lr))})
    return _stats.frame(rows, TERM_COLUMNS)


def _po_tests(d: _Design, fit: _fit.Fit) -> pd.DataFrame:
    """Each term's effects (and all of them) free at every threshold against the proportional-odds model."""
    from scipy import special

    rows = []
    specs = [(term, cols) for term, cols in d.terms]
    if len(specs) > 1:
        specs.append((ALL_TERMS, list(range(d.X.shape[1]))))
    for term, cols in specs:
        df = len(cols) * (d.J - 2)
        if df == 0:
            rows.append({"term": term, "note": "two categories: one threshold, nothing to test"})
            continue
        ll, ok = _fit.fit_nominal(d.y, d.J, d.X[:, cols], np.delete(d.X, cols, axis=1), fit.thresholds,
                                  np.delete(fit.beta, cols))
        if not ok:
            rows.append({"term": term, "df": df, "note": "the model with threshold-specific effects could not be "
                                                         "fitted (a category too rare in some group?)"})
            continue
        lr = max(2 * (ll - fit.loglik), 0.0)
        rows.append({"term": term, "lr_chisq": lr, "df": df, "p": float(special.chdtrc(df, lr)), "note": ""})
    out = _stats.frame(rows, PO_COLUMNS)
    out["note"] = out["note"].astype(object).where(out["note"].notna(), "")
    return out


def _superiority(d: _Design, conf_level: float) -> pd.DataFrame:
    rows = []
    k = len(d.group_labels)
    for i in range(k):
        for j in range(i + 1, k):
            a, b = d.outcome_values[d.group == i], d.outcome_values[d.group == j]
            u, ps, lo, hi = _fit.superiority(a, b, conf_level)
            rows.append({"group1": d.group_labels[i], "group2": d.group_labels[j], "n1": a.size, "n2": b.size,
                         "u": u, "p_superiority": ps, "ci_low": lo, "ci_high": hi})
    return _stats.frame(rows, SUPERIORITY_COLUMNS)
