"""One fitted model of :mod:`analysis.stats.cfa`: estimation by the chosen estimator, fit row, parameter rows."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coprod.analysis.stats import chisq as _chisq
from coprod.analysis.stats import cfa_fiml as _fiml
from coprod.analysis.stats import cfa_fit as _fit
from coprod.analysis.stats import cfa_model as _model
from coprod.analysis.stats import cfa_robust as _robust


@dataclass(frozen=True)
class FitSpec:
    """Estimator (``ml``/``mlr``), missing-data rule (``listwise``/``fiml``) and identification."""

    estimator: str = "ml"
    missing: str = "listwise"
    identification: str = "marker"

    def rows(self, X: np.ndarray) -> np.ndarray:
        """The rows of X the estimation uses: complete ones (listwise) or any answered item (FIML)."""
        ok = ~np.isnan(X)
        return ok.all(axis=1) if self.missing == "listwise" else ok.any(axis=1)

    def usable(self, X: np.ndarray) -> int:
        return int(self.rows(X).sum())

    def degenerate(self, X: np.ndarray) -> str:
        """Why the items' covariance matrix cannot be modelled (an item without variation), or ``""``."""
        Y = X[self.rows(X)]
        with np.errstate(all="ignore"):
            var = np.nanvar(Y, axis=0)
        if not np.all(var > 0):
            return "an item does not vary"
        if self.missing == "listwise":
            w = np.linalg.eigvalsh(np.cov(Y, rowvar=False))
            if w[0] <= 1e-10 * w[-1]:
                return "the items are linearly dependent"
        return ""


@dataclass
class Fitted:
    """A model fitted to G groups: estimates, standard errors, fit."""

    names: list[str]
    estimate: _model.Estimate
    moments: list[_model.Moments]
    n: list[int]
    baseline: tuple[float, int]
    chisq_ml: float
    scaling: float = 1.0
    robust: dict | None = None
    row: dict | None = None
    shared: tuple | None = None  # FIML: patterns and EM moments, the same for every level
    traces: tuple | None = None  # MLR: the saturated and baseline models' traces, the same for every level

    @property
    def df(self) -> int:
        p = len(self.names)
        return len(self.n) * (p * (p + 3) // 2) - self.estimate.layout.npar

    def fit_row(self) -> dict:
        """n, chi-square, df, p, CFI, TLI, RMSEA with its 90% interval, SRMR (robust versions for MLR)."""
        if self.row is None:
            self.row = self._fit_row()
        return dict(self.row)

    def _fit_row(self) -> dict:
        N, G = sum(self.n), len(self.n)
        x2, df = self.chisq_ml, self.df
        xb, dfb = self.baseline
        lo, hi = _fit.rmsea_ci(x2, df, N, G)
        row = _row(N, x2, df, _fit.cfi(x2, df, xb, dfb), _fit.tli(x2, df, xb, dfb),
                   _fit.rmsea(x2, df, N, G), lo, hi, self.srmr())
        if self.robust is not None:
            row.update(self.robust)
        return row

    def srmr(self) -> float:
        p = len(self.names)
        implied = [_model.implied(self.estimate.params[g], p) for g in range(len(self.n))]
        return _fit.srmr(self.moments, implied)

    def _se(self, g: int, k: int) -> float:
        i = self.estimate.layout.index[g, k]
        return float(np.sqrt(self.estimate.vcov[i, i])) if i >= 0 else np.nan

    def parameters(self, table: str, g: int) -> list[dict]:
        """Rows of ``loadings``, ``intercepts`` or ``residuals`` for group g."""
        p = len(self.names)
        P = self.estimate.params[g]
        lam, psi = P[:p], P[3 * p]
        var = psi * lam ** 2 + P[2 * p:3 * p]  # the diagonal of Sigma
        offset = {"loadings": 0, "intercepts": p, "residuals": 2 * p}[table]
        est = P[offset:offset + p]
        idx = self.estimate.layout.index[g, offset:offset + p]
        with np.errstate(invalid="ignore"):
            se = np.where(idx >= 0, np.sqrt(np.diagonal(self.estimate.vcov)[np.maximum(idx, 0)]), np.nan)
            std = {"loadings": est * np.sqrt(psi) / np.sqrt(var) if psi > 0 else np.full(p, np.nan),
                   "residuals": est / var}.get(table)
        rows = [{"variable": v, "estimate": e, "se": s} for v, e, s in zip(self.names, est.tolist(), se.tolist())]
        if std is not None:
            for row, value in zip(rows, std.tolist()):
                row["std"] = value
        return rows

    def latent_mean(self, g: int) -> dict:
        """The factor mean of group g with SE, z and p (NaN for a fixed mean)."""
        p = len(self.names)
        est = float(self.estimate.params[g, 3 * p + 1])
        se = self._se(g, 3 * p + 1)
        z = est / se if np.isfinite(se) and se > 0 else np.nan
        pv = 2.0 * _chisq.normal_sf(abs(z)) if np.isfinite(z) else np.nan
        return {"n": int(self.n[g]), "estimate": est, "se": se, "z": z, "p": pv}


def _row(n, x2, df, cfi, tli, rmsea, lo, hi, srmr) -> dict:
    nan = np.nan
    return {"n": int(n), "chisq": float(x2), "df": int(df), "p": _fit.chisq_p(x2, df), "cfi": float(cfi),
            "tli": float(tli), "rmsea": float(rmsea), "rmsea_ci_low": lo, "rmsea_ci_high": hi,
            "srmr": float(srmr), "delta_cfi": nan, "delta_rmsea": nan, "chisq_diff": nan, "df_diff": nan,
            "p_diff": nan, "verdict": ""}


def fit_level(spec: FitSpec, names: list[str], blocks: list[np.ndarray], level: str,
              start: Fitted | None = None) -> Fitted:
    """Fit one invariance level to the groups' data blocks (rows x items, NaN missing)."""
    p = len(names)
    lay = _model.layout(p, len(blocks), level, spec.identification)
    data = [X[spec.rows(X)] for X in blocks]
    x0 = None if start is None else lay.pack(start.estimate.params)
    n = [len(X) for X in data]
    if spec.missing == "fiml":
        est, moments, baseline, shared = _fiml.fit(lay, data, x0, None if start is None else start.shared)
        return Fitted(list(names), est, moments, n, baseline, est.chisq, shared=shared)
    if start is None:
        moments = [_model.Moments.of(X) for X in data]
        baseline = _fit.baseline_chisq(moments)
    else:  # the same respondents at every level: the sample moments and the baseline model once per scale
        moments, baseline = start.moments, start.baseline
    est = _model.fit(lay, moments, x0)
    out = Fitted(list(names), est, moments, n, baseline, est.chisq)
    if spec.estimator == "mlr":
        out.traces = _robust.saturated_traces(moments, data, baseline) if start is None else start.traces
        est.vcov, out.scaling, cb = _robust.mlr(lay, est, moments, data, out.baseline, out.df, out.traces)
        out.robust = _robust.robust_row(est.chisq, out.df, sum(n), len(n), out.scaling, *out.baseline, cb)
    return out
