"""Full-information ML for :mod:`analysis.stats.cfa` (lavaan's ``missing = "ml"``).

The respondents of a group are split by missing-data pattern; each pattern contributes
n_p [log|Sigma_oo| + tr(S_p Sigma_oo^-1) + (m_p - mu_o)' Sigma_oo^-1 (m_p - mu_o)] over its
observed items o (S_p with divisor n_p), i.e. -2 log-likelihood up to a constant.  The
unrestricted (h1) model is fitted by EM; chi-square = -2 (logL_h0 - logL_h1); the baseline has
free means and variances (each item's available-case mean and ML variance); SRMR compares the
model with the EM moments; standard errors come from the observed information (the exact
Hessian), as lavaan's defaults for ``missing = "ml"``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coprod.analysis.stats import cfa_model as _model


@dataclass
class Pattern:
    """Respondents with the same observed items: their indices, count, mean and covariance (divisor n)."""

    obs: np.ndarray
    mom: _model.Moments


def patterns(X: np.ndarray) -> list[Pattern]:
    """The missing-data patterns of X (rows with at least one observed item), in the order of
    ``np.unique(~np.isnan(X), axis=0)``, each pattern's rows in their order in X.

    A pattern is found as one integer per row (its observed items as bits, the first item the highest),
    whose sorted order is that of the rows' patterns: sorting 200,000 rows of booleans as rows took
    seconds.
    """
    ok = ~np.isnan(X)
    p = ok.shape[1]
    if p <= 62:
        code = ok.astype(np.int64) @ (np.int64(1) << np.arange(p - 1, -1, -1, dtype=np.int64))
        codes, inverse = np.unique(code, return_inverse=True)
        keys = ((codes[:, None] >> np.arange(p - 1, -1, -1, dtype=np.int64)) & 1).astype(bool)
    else:
        keys, inverse = np.unique(ok, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    order = np.argsort(inverse, kind="stable")  # the rows of each pattern together, in their order
    bounds = np.searchsorted(inverse[order], np.arange(len(keys) + 1))
    out = []
    for k, key in enumerate(keys):
        if not key.any():
            continue
        obs = np.nonzero(key)[0]
        out.append(Pattern(obs, _model.Moments.of(X[order[bounds[k]:bounds[k + 1]]][:, obs])))
    return out


def pattern_f(pats: list[Pattern], Sigma: np.ndarray, mu: np.ndarray) -> float:
    """sum_p n_p f_p for one group."""
    total = 0.0
    for pt in pats:
        ix = np.ix_(pt.obs, pt.obs)
        f, _, _ = _model.discrepancy(Sigma[ix], mu[pt.obs], pt.mom, saturated=False)
        total += pt.mom.n * f
    return total


def em(X: np.ndarray, pats: list[Pattern], tol: float = 1e-12, max_iter: int = 5000) -> _model.Moments:
    """EM estimates of the unrestricted mean vector and covariance matrix (the h1 model)."""
    n, p = sum(pt.mom.n for pt in pats), X.shape[1]
    mu = np.nanmean(X, axis=0)
    Sigma = np.diag(np.nanvar(X, axis=0))
    for _ in range(max_iter):
        T1, T2 = np.zeros(p), np.zeros((p, p))
        for pt in pats:
            o = pt.obs
            m = np.setdiff1d(np.arange(p), o)
            k, xm, Sx = pt.mom.n, pt.mom.mean, pt.mom.cov + np.outer(pt.mom.mean, pt.mom.mean)
            B = np.linalg.solve(Sigma[np.ix_(o, o)], Sigma[np.ix_(o, m)]).T  # regression of missing on observed
            a = mu[m] - B @ mu[o]
            # sums over the pattern's rows of x-hat and x-hat x-hat' (x-hat_m = a + B x_o)
            s1 = np.zeros(p)
            s1[o], s1[m] = k * xm, k * (a + B @ xm)
            s2 = np.zeros((p, p))
            s2[np.ix_(o, o)] = k * Sx
            om = k * (np.outer(xm, a) + Sx @ B.T)
            s2[np.ix_(o, m)], s2[np.ix_(m, o)] = om, om.T
            cond = Sigma[np.ix_(m, m)] - B @ Sigma[np.ix_(o, m)]
            s2[np.ix_(m, m)] = k * (np.outer(a, a) + np.outer(a, B @ xm) + np.outer(B @ xm, a) + B @ Sx @ B.T + cond)
            T1 += s1
            T2 += s2
        new_mu = T1 / n
        new_sigma = T2 / n - np.outer(new_mu, new_mu)
        change = max(np.abs(new_mu - mu).max(), np.abs(new_sigma - Sigma).max())
        mu, Sigma = new_mu, new_sigma
        if change < tol:
            break
    return _model.Moments(n, mu, Sigma)


def baseline_f(X: np.ndarray, pats: list[Pattern]) -> float:
    """sum_p n_p f_p of the independence model (available-case means, ML variances)."""
    return pattern_f(pats, np.diag(np.nanvar(X, axis=0)), np.nanmean(X, axis=0))


class FimlObjective(_model.Objective):
    """F = sum_g sum_p n_p f_p / N with its gradient and exact Hessian."""

    def __init__(self, lay: _model.Layout, moments: list[_model.Moments], pats: list[list[Pattern]]):
        super().__init__(lay, moments)
        self.pats = pats

    def __call__(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        P = self.lay.unpack(x)
        p = self.lay.p
        total, grad = 0.0, np.zeros_like(x)
        for g, pats in enumerate(self.pats):
            Sigma, mu = _model.implied(P[g], p)
            G, gm = np.zeros((p, p)), np.zeros(p)
            for pt in pats:
                ix = np.ix_(pt.obs, pt.obs)
                f, Gp, gp = _model.discrepancy(Sigma[ix], mu[pt.obs], pt.mom, saturated=False)
                if not np.isfinite(f):
                    return np.inf, grad
                total += pt.mom.n * f
                G[ix] += pt.mom.n * Gp
                gm[pt.obs] += pt.mom.n * gp
            dS, dm = _model.derivatives(P[g], p)
            grad += self.jac[g].T @ (np.einsum("kij,ij->k", dS, G) + dm @ gm)
        return total / self.N, grad / self.N

    def evaluate(self, x: np.ndarray, hessian: bool = True):
        f, g = self(x)
        return f, g, self.hessian(x) if hessian and np.isfinite(f) else None

    def hessian(self, x: np.ndarray) -> np.ndarray:
        P = self.lay.unpack(x)
        p = self.lay.p
        H = 0.0
        for g, pats in enumerate(self.pats):
            Hg = sum(pt.mom.n * _model.hessian(P[g], p, pt.mom, pt.obs) for pt in pats)
            H = H + self.jac[g].T @ Hg @ self.jac[g]
        return H / self.N


def saturated(blocks: list[np.ndarray]) -> tuple:
    """What every level of one scale shares: the patterns, the EM moments, F of h1 and of the baseline."""
    pats = [patterns(X) for X in blocks]
    h1 = [em(X, pt) for X, pt in zip(blocks, pats)]
    f_h1 = sum(pattern_f(pt, m.cov, m.mean) for pt, m in zip(pats, h1))
    f_b = sum(baseline_f(X, pt) for X, pt in zip(blocks, pats))
    return pats, h1, f_h1, f_b


def fit(lay: _model.Layout, blocks: list[np.ndarray], x0: np.ndarray | None = None, shared: tuple | None = None):
    """Fit by FIML; returns the estimate (observed-information covariance), EM moments, baseline, ``shared``."""
    shared = saturated(blocks) if shared is None else shared
    pats, h1, f_h1, f_b = shared
    obj = FimlObjective(lay, h1, pats)
    x = _model.start_values(lay, h1) if x0 is None else x0
    est = _model.fit(lay, h1, x, objective=obj)
    N = obj.N
    est.chisq = N * est.fmin - f_h1
    try:
        est.vcov = np.linalg.inv(0.5 * N * obj.hessian(est.x))
    except np.linalg.LinAlgError:
        est.vcov = np.full_like(est.vcov, np.nan)
    p = lay.p
    baseline = (float(f_b - f_h1), lay.groups * p * (p - 1) // 2)
    return est, h1, baseline, shared
