"""Confirmatory factor analysis of each scale and its measurement invariance across groups.

One factor per scale, measured by the scale's items (reverse-keyed items recoded first, as
:func:`~analysis.stats.reliability.reliability` does), fitted by maximum likelihood to each group's
covariance matrix and mean vector as lavaan 0.6 fits it (Joreskog 1971): ``missing = "listwise"``
uses the respondents who answered every item, ``"fiml"`` every respondent with at least one
answer (full-information ML, lavaan's ``missing = "ml"``).  Identification by a marker variable
(the first loading fixed to 1, lavaan's default) or by the factor variance fixed to 1.

Invariance (Meredith 1993): configural (same model in every group), metric (equal loadings),
scalar (equal loadings and intercepts; the factor means free but in the first, reference group),
strict (also equal residual variances).  Each level is compared with the one before by the
chi-square difference test, the change in CFI and the change in RMSEA; a level ``holds`` when CFI
drops by no more than .010 and RMSEA rises by no more than .015 (Chen 2007; configurable).  The
configural level (and a single-group model) holds when CFI >= .95, RMSEA <= .06 and SRMR <= .08
(Hu & Bentler 1999; configurable).

Written here because no maintained Python library fits constrained multi-group models
(semopy has no equality constraints across groups); the likelihood, its derivatives and the fit
indices follow lavaan and are checked against it in the tests.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from coprod.analysis.stats import common as _stats
from coprod.analysis.stats import cfa_fit as _fit
from coprod.analysis.stats import cfa_model as _model
from coprod.analysis.stats.cfa_estimate import FitSpec, fit_level
from coprod.analysis.stats.cfa_score import intercept_scores
from coprod.instrument.errors import OptionError

FIT_COLUMNS = ["scale", "model", "group", "n", "chisq", "df", "p", "cfi", "tli", "rmsea", "rmsea_ci_low",
               "rmsea_ci_high", "srmr", "delta_cfi", "delta_rmsea", "chisq_diff", "df_diff", "p_diff", "verdict"]
LOADING_COLUMNS = ["scale", "model", "group", "variable", "estimate", "se", "std"]
INTERCEPT_COLUMNS = ["scale", "model", "group", "variable", "estimate", "se"]
RESIDUAL_COLUMNS = ["scale", "model", "group", "variable", "estimate", "se", "std"]
MEAN_COLUMNS = ["scale", "model", "group", "n", "estimate", "se", "z", "p"]
EXCLUDED_COLUMNS = ["scale", "group", "n", "reason"]
RELEASE_COLUMNS = ["scale", "group", "variable", "chisq", "df", "p"]

CUTOFFS = {"delta_cfi": 0.010, "delta_rmsea": 0.015, "cfi": 0.95, "rmsea": 0.06, "srmr": 0.08}
ESTIMATORS = ("ml", "mlr")
MISSING = ("listwise", "fiml")


@dataclass
class CFAResult:
    """The tables of :func:`cfa` and :func:`invariance`, and one sentence per scale."""

    fit: pd.DataFrame
    loadings: pd.DataFrame
    intercepts: pd.DataFrame
    residuals: pd.DataFrame
    latent_means: pd.DataFrame
    excluded: pd.DataFrame
    release: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RELEASE_COLUMNS))
    sentences: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The result tables for :func:`analysis.render.emit` (``cfa_excluded`` only when a group was left out)."""
        out = {"cfa_fit": self.fit, "cfa_loadings": self.loadings, "cfa_intercepts": self.intercepts,
               "cfa_residuals": self.residuals}
        if len(self.latent_means):
            out["latent_means"] = self.latent_means
        if len(self.release):
            out["intercept_release"] = self.release
        if len(self.excluded):
            out["cfa_excluded"] = self.excluded
        return out

    def report_parts(self) -> tuple[dict[str, pd.DataFrame], list[str]]:
        """The tables and one sentence of verdict per scale, for a report."""
        return self.tables(), list(self.sentences.values())


def _options(estimator: str, missing: str, identification: str) -> None:
    if estimator not in ESTIMATORS:
        raise OptionError(f"unknown estimator {estimator!r} (allowed: {', '.join(ESTIMATORS)})", param="estimator")
    if missing not in MISSING:
        raise OptionError(f"unknown missing-data rule {missing!r} (allowed: {', '.join(MISSING)})", param="missing")
    if missing == "fiml" and estimator == "mlr":
        raise OptionError("robust ML with full-information ML is not available; use ml with fiml, or mlr "
                          "with listwise", param="estimator")
    if identification not in _model.IDENTIFICATIONS:
        raise OptionError(f"unknown identification {identification!r} (allowed: marker, variance)",
                          param="identification")


def _prepare(data, instrument):
    resp = _stats.responses(data)
    if instrument is not None and resp.instrument is None:
        resp = dataclasses.replace(resp, instrument=instrument)
    return resp


def _scales(resp, items, reverse, scale, name):
    """(name, resolved items, scored item block) of each scale to analyse."""
    for sname, names, rev in _stats.scale_specs(resp, items, reverse, scale, name):
        names = [resp.resolve(n) for n in names]
        yield sname, names, _stats.scored_items(resp, names, rev)


def cfa(data, items=None, reverse: str | Sequence[str] = (), scale: str | Sequence[str] | None = None,
        by: str | None = None, instrument=None, estimator: str = "ml", missing: str = "listwise",
        identification: str = "marker", name: str | None = None, cutoffs: dict | None = None) -> CFAResult:
    """One-factor CFA of each scale (overall, or in each group of ``by`` separately).

    Parameters are as :func:`invariance`; every fit row has model ``single``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=300)
    >>> df = pd.DataFrame({f"q{j}": 3 + 0.8 * f + rng.normal(scale=0.6, size=300) for j in range(1, 5)})
    >>> res = cfa(df, items="q1..q4")
    >>> row = res.fit.iloc[0]
    >>> row["model"], int(row["n"]), int(row["df"])
    ('single', 300, 2)
    >>> round(float(res.loadings.loc[0, "estimate"]), 1)
    1.0
    """
    _options(estimator, missing, identification)
    resp = _prepare(data, instrument)
    cut = {**CUTOFFS, **(cutoffs or {})}
    groups = _stats.groups_of(resp, by)
    spec = FitSpec(estimator, missing, identification)
    out = _Tables()
    for sname, names, X in _scales(resp, items, reverse, scale, name):
        blocks = [(_stats.TOTAL, np.ones(len(X), dtype=bool))] if groups.var is None else \
            [(lab, groups.index == j) for j, lab in enumerate(groups.labels)]
        for glab, sel in blocks:
            Xg = X[sel]
            if len(names) < 3:
                out.exclude(sname, glab, len(Xg), "a one-factor model needs at least three items")
                continue
            n = spec.usable(Xg)
            if n < 3 * len(names):
                out.exclude(sname, glab, n, f"fewer respondents than the {3 * len(names)} free parameters")
                continue
            why = spec.degenerate(Xg)
            if why:
                out.exclude(sname, glab, n, why)
                continue
            fitted = fit_level(spec, names, [Xg], "configural")
            row = fitted.fit_row()
            row["verdict"] = _absolute_verdict(row, cut, "fits", "poor fit")
            if not fitted.estimate.converged:
                row["verdict"] = "not converged"
            out.add(sname, "single", [glab], fitted, {**row, "group": glab})
        out.sentences[sname] = _single_sentence(sname, out.fit_rows, cut)
    return out.result()


def invariance(data, by: str, scale: str | Sequence[str] | None = None, items=None,
               reverse: str | Sequence[str] = (), instrument=None, estimator: str = "ml",
               missing: str = "listwise", identification: str = "marker", min_n: int = 50,
               cutoffs: dict | None = None, name: str | None = None) -> CFAResult:
    """Measurement invariance of each scale across the groups of ``by``: configural to strict.

    Parameters
    ----------
    data : Responses or DataFrame
    by : str
        Grouping variable; its valid codes are the groups (the first in code order is the
        reference group of the latent means).
    scale : str or list of str, optional
        The instrument's scales to analyse (default all) when ``items`` is not given.
    items, reverse : str or list of str, optional
        One scale's items and its reverse-keyed items (see :mod:`analysis.data.items`).
    instrument : Instrument, optional
        Definition whose scales are used when the data carry none.
    estimator : ``"ml"`` or ``"mlr"``
        Maximum likelihood; ``mlr`` adds robust (Huber-White) standard errors and the
        Yuan-Bentler scaled chi-square with robust CFI, TLI and RMSEA (lavaan's ``MLR``).
    missing : ``"listwise"`` or ``"fiml"``
    identification : ``"marker"`` or ``"variance"``
    min_n : int
        Groups with fewer respondents (or fewer than the free parameters of one group's
        model) are left out and named in ``excluded``.
    cutoffs : dict, optional
        Overrides of :data:`CUTOFFS`: ``delta_cfi``, ``delta_rmsea`` (Chen 2007) and ``cfi``,
        ``rmsea``, ``srmr`` for the configural model (Hu & Bentler 1999).

    Returns
    -------
    CFAResult
        ``fit`` (one row per level, group ``Total``), ``loadings``, ``intercepts``,
        ``residuals`` (per level and group), ``latent_means`` (scalar model), ``excluded``;
        ``release``: where scalar invariance fails (listwise), the score test of releasing each
        group's intercept of each item, largest first (lavaan's ``lavTestScore``).
    """
    _options(estimator, missing, identification)
    if not by:
        raise OptionError("name the grouping variable", param="by")
    resp = _prepare(data, instrument)
    cut = {**CUTOFFS, **(cutoffs or {})}
    groups = _stats.groups_of(resp, by)
    spec = FitSpec(estimator, missing, identification)
    out = _Tables()
    for sname, names, X in _scales(resp, items, reverse, scale, name):
        if len(names) < 3:
            out.exclude(sname, _stats.TOTAL, 0, "a one-factor model needs at least three items")
            continue
        kept, labels = [], []
        for j, lab in enumerate(groups.labels):
            Xg = X[groups.index == j]
            n = spec.usable(Xg)
            need = max(min_n, 3 * len(names))
            if n < need:
                why = "no respondents" if n == 0 else f"fewer than {min_n} respondents" if n < min_n else \
                    f"fewer respondents than the {3 * len(names)} free parameters"
                out.exclude(sname, lab, n, why)
                continue
            why = spec.degenerate(Xg)
            if why:
                out.exclude(sname, lab, n, why)
                continue
            kept.append(Xg)
            labels.append(lab)
        if len(kept) < 2:
            out.sentences[sname] = f"{sname}: invariance not tested: fewer than two groups large enough."
            continue
        _ladder(out, spec, sname, names, kept, labels, cut)
    return out.result()


def _ladder(out, spec, sname, names, blocks, labels, cut) -> None:
    """Fit the four levels of one scale and add their rows."""
    prev, rows = None, []
    for level in _model.LEVELS:
        fitted = fit_level(spec, names, blocks, level, prev)
        row = {**fitted.fit_row(), "group": _stats.TOTAL, "model": level}
        if prev is None:
            row["verdict"] = _absolute_verdict(row, cut, "holds", "fails")
        else:
            _compare(row, fitted, prev, cut)
        if not fitted.estimate.converged:
            row["verdict"] = "not converged"
        out.add(sname, level, labels, fitted, row)
        rows.append(row)
        if level == "scalar" and row["verdict"] == "fails" and spec.missing == "listwise":
            release = intercept_scores(fitted.estimate, fitted.moments, names, labels)
            out.release += [{"scale": sname, **r} for r in release]
            if release:
                top = release[0]
                row["release"] = f"the intercept of {top['variable']} in {top['group']} (score test " \
                                 f"chi-square(1) = {top['chisq']:.2f})"
        prev = fitted
    out.sentences[sname] = _ladder_sentence(sname, rows, labels, cut)


def _compare(row: dict, fitted, prev, cut) -> None:
    """The difference columns and the verdict of a level against the one before."""
    a, b = fitted.fit_row(), prev.fit_row()
    row["delta_cfi"] = a["cfi"] - b["cfi"]
    row["delta_rmsea"] = a["rmsea"] - b["rmsea"]
    stat, ddf, p = _fit.difference(fitted.chisq_ml, a["df"], prev.chisq_ml, b["df"],
                                   fitted.scaling, prev.scaling)
    row["chisq_diff"], row["df_diff"], row["p_diff"] = stat, ddf, p
    ok = row["delta_cfi"] >= -cut["delta_cfi"] - 1e-12 and row["delta_rmsea"] <= cut["delta_rmsea"] + 1e-12
    row["verdict"] = "holds" if ok else "fails"


def _absolute_verdict(row: dict, cut: dict, good: str, bad: str) -> str:
    if not row["df"]:
        return "just identified"
    ok = row["cfi"] >= cut["cfi"] and row["rmsea"] <= cut["rmsea"] and row["srmr"] <= cut["srmr"]
    return good if ok else bad


def _num(x: float) -> str:
    return f"{x:.3f}".replace("0.", ".", 1) if abs(x) < 1 else f"{x:.3f}"


def _ladder_sentence(sname: str, rows: list[dict], labels: list[str], cut: dict) -> str:
    who = ", ".join(labels[:-1]) + " and " + labels[-1]
    if any(r["verdict"] == "not converged" for r in rows):
        bad = [r["model"] for r in rows if r["verdict"] == "not converged"]
        return f"{sname}: the estimation did not converge for the {', '.join(bad)} model; no verdict."
    reached = "configural"
    for row in rows[1:]:
        if row["verdict"] != "holds":
            break
        reached = row["model"]
    rule = (f"Chen 2007: a level holds when CFI drops by at most {_num(cut['delta_cfi'])} and RMSEA rises by "
            f"at most {_num(cut['delta_rmsea'])}")
    if reached == "strict":
        text = f"{sname}: strict invariance holds across {who} ({rule})."
    else:
        bad = rows[_model.LEVELS.index(reached) + 1]
        text = (f"{sname}: invariance holds up to the {reached} level across {who}; {bad['model']} invariance "
                f"fails (change in CFI {_num(bad['delta_cfi'])}, in RMSEA {_num(bad['delta_rmsea'])}; {rule}).")
        if bad.get("release"):
            text += f" Releasing {bad['release']} improves the scalar model most."
    conf = rows[0]
    if conf["verdict"] == "fails":
        text += (f" The configural model misses Hu and Bentler's cut-offs (CFI {_num(conf['cfi'])}, RMSEA "
                 f"{_num(conf['rmsea'])}, SRMR {_num(conf['srmr'])}).")
    return text


def _single_sentence(sname: str, rows: list[dict], cut: dict) -> str:
    mine = [r for r in rows if r["scale"] == sname]
    if not mine:
        return f"{sname}: no model was fitted."
    parts = [f"{r['group']}: {r['verdict']} (CFI {_num(r['cfi'])}, RMSEA {_num(r['rmsea'])}, SRMR {_num(r['srmr'])})"
             for r in mine]
    return f"{sname}: one-factor model " + "; ".join(parts) + "."


class _Tables:
    """Rows of the result tables as they are collected."""

    def __init__(self):
        self.fit_rows, self.load, self.icpt, self.resid, self.means, self.excl = [], [], [], [], [], []
        self.release: list[dict] = []
        self.sentences: dict[str, str] = {}

    def exclude(self, sname, group, n, reason):
        self.excl.append({"scale": sname, "group": group, "n": int(n), "reason": reason})

    def add(self, sname, model, labels, fitted, row) -> None:
        self.fit_rows.append({**row, "scale": sname, "model": model})
        key = {"scale": sname, "model": model}
        for g, lab in enumerate(labels):
            for table, rows in (("loadings", self.load), ("intercepts", self.icpt), ("residuals", self.resid)):
                for r in fitted.parameters(table, g):
                    rows.append({**key, "group": lab, **r})
        if model == "scalar":
            for g, lab in enumerate(labels):
                self.means.append({**key, "group": lab, **fitted.latent_mean(g)})

    def result(self) -> CFAResult:
        f = _stats.frame
        return CFAResult(f(self.fit_rows, FIT_COLUMNS), f(self.load, LOADING_COLUMNS),
                         f(self.icpt, INTERCEPT_COLUMNS), f(self.resid, RESIDUAL_COLUMNS),
                         f(self.means, MEAN_COLUMNS), f(self.excl, EXCLUDED_COLUMNS), f(self.release, RELEASE_COLUMNS),
                         dict(self.sentences))
