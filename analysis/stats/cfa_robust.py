"""Robust ML (MLR) for :mod:`analysis.stats.cfa`, as lavaan's ``estimator = "MLR"`` with complete data.

* standard errors: Huber-White sandwich A^-1 B A^-1, A the observed information (the Hessian of
  the log-likelihood), B the sum of the respondents' outer products of casewise scores;
* test: the Yuan-Bentler scaled chi-square, Mplus variant (``yuan.bentler.mplus``): T / c with
  c = [sum_g tr(A1_g^-1 B1_g) - tr(A^-1 B)] / df, A1 and B1 the information and the casewise
  score products of the saturated model at the sample moments;
* robust CFI, TLI and RMSEA (Brosseau-Liard, Savalei & Li 2012; Brosseau-Liard & Savalei 2014):
  the unscaled chi-squares with c and the baseline model's scaling factor c_b,
  CFI = 1 - max(T - c df, 0) / max(T - c df, T_b - c_b df_b, 0), RMSEA = sqrt(max(T / (N df) - c / N, 0)) sqrt(G),
  its interval from T / c with the noncentrality scaled by c.
"""
from __future__ import annotations

import numpy as np

from coprod.analysis.stats import cfa_fit as _fit
from coprod.analysis.stats import cfa_model as _model


def casewise_scores(dS: np.ndarray, dm: np.ndarray, Sigma: np.ndarray, mu: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Scores of each row's normal log-likelihood (rows x K) for parameters with derivatives dS, dm."""
    Si = np.linalg.inv(Sigma)
    R = (X - mu) @ Si
    t = np.einsum("ij,kji->k", Si, dS)
    q = np.einsum("ni,kij,nj->nk", R, dS, R, optimize=True)
    return -0.5 * (t[None, :] - q - 2.0 * R @ dm.T)


def unit_information(dS: np.ndarray, dm: np.ndarray, Sigma: np.ndarray) -> np.ndarray:
    Si = np.linalg.inv(Sigma)
    A = np.einsum("ij,kjl->kil", Si, dS)
    return 0.5 * np.einsum("kij,lji->kl", A, A) + dm @ Si @ dm.T


def saturated_derivatives(p: int) -> tuple[np.ndarray, np.ndarray]:
    """dSigma and dmu for the saturated parameters (mu, then the lower triangle of Sigma)."""
    tri = list(zip(*np.tril_indices(p)))
    K = p + len(tri)
    dS = np.zeros((K, p, p))
    dm = np.zeros((K, p))
    dm[np.arange(p), np.arange(p)] = 1.0
    for k, (i, j) in enumerate(tri, start=p):
        dS[k, i, j] = dS[k, j, i] = 1.0
    return dS, dm


def h1_trace(X: np.ndarray, mom: _model.Moments) -> float:
    """tr(A1^-1 B1) of one group's saturated model at its sample moments."""
    dS, dm = saturated_derivatives(X.shape[1])
    S = casewise_scores(dS, dm, mom.cov, mom.mean, X)
    B1 = S.T @ S / len(X)
    A1 = unit_information(dS, dm, mom.cov)
    return float(np.trace(np.linalg.solve(A1, B1)))


def baseline_trace(X: np.ndarray) -> float:
    """tr(I^-1 B) of the independence model in one group: sum_j 1 + (kurtosis_j - 1) / 2."""
    D = X - X.mean(axis=0)
    v = (D ** 2).mean(axis=0)
    kurt = (D ** 4).mean(axis=0) / v ** 2
    return float((1.0 + (kurt - 1.0) / 2.0).sum())


def saturated_traces(moments: list[_model.Moments], data: list[np.ndarray], baseline: tuple[float, int]):
    """sum_g tr(A1_g^-1 B1_g) of the saturated model and the baseline model's scaling factor c_b (the same
    for every model of the same data)."""
    h1 = sum(h1_trace(X, m) for X, m in zip(data, moments))
    return h1, (h1 - sum(baseline_trace(X) for X in data)) / baseline[1]


def mlr(lay: _model.Layout, est: _model.Estimate, moments: list[_model.Moments], data: list[np.ndarray],
        baseline: tuple[float, int], df: int, traces: tuple[float, float] | None = None):
    """Robust covariance of the free parameters, scaling factors c and c_b (``traces``: those of
    :func:`saturated_traces`, when known)."""
    obj = _model.Objective(lay, moments)
    N = obj.N
    A = 0.5 * N * obj.hessian(est.x)  # observed information
    B = np.zeros_like(A)
    for g, X in enumerate(data):
        dS, dm = _model.derivatives(est.params[g], lay.p)
        Sigma, mu = _model.implied(est.params[g], lay.p)
        Sg = casewise_scores(dS, dm, Sigma, mu, X) @ obj.jac[g]
        B += Sg.T @ Sg
    Ainv = np.linalg.inv(A)
    vcov = Ainv @ B @ Ainv
    h1, cb = saturated_traces(moments, data, baseline) if traces is None else traces
    c = (h1 - float(np.trace(Ainv @ B))) / df if df > 0 else np.nan
    return vcov, c, cb


def robust_row(x2: float, df: int, n: float, groups: int, c: float, xb: float, dfb: int, cb: float) -> dict:
    """chisq (scaled), p, robust CFI, TLI, RMSEA and its interval."""
    if not (df > 0 and np.isfinite(c) and c > 0):
        return {"chisq": x2, "p": _fit.chisq_p(x2, df), "cfi": 1.0, "tli": 1.0, "rmsea": 0.0,
                "rmsea_ci_low": 0.0, "rmsea_ci_high": 0.0}
    scaled = x2 / c
    lo, hi = _fit.rmsea_ci(scaled, df, n, groups, c_hat=c)
    t1 = max(x2 - c * df, 0.0)
    t2 = max(x2 - c * df, xb - cb * dfb, 0.0)
    cfi = 1.0 if abs(t1) < 1e-8 and abs(t2) < 1e-8 else 1.0 - t1 / t2
    tl2 = (xb - cb * dfb) * df
    tli = 1.0 - (x2 - c * df) * dfb / tl2 if abs(tl2) > 0 else 1.0
    return {"chisq": scaled, "p": _fit.chisq_p(scaled, df), "cfi": cfi, "tli": tli,
            "rmsea": _fit.rmsea(x2, df, n, groups, c_hat=c), "rmsea_ci_low": lo, "rmsea_ci_high": hi}
