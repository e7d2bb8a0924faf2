"""The one-factor model of :mod:`analysis.stats.cfa`: parameters, implied moments, ML discrepancy.

Every group g has the parameters of one factor measured by p items: loadings lambda (p),
intercepts nu (p), residual variances theta (p), the factor variance psi and the factor mean
alpha, in that order (3p + 2 per group).  The implied moments are

    Sigma_g = psi_g lambda_g lambda_g' + diag(theta_g),     mu_g = nu_g + lambda_g alpha_g.

A :class:`Layout` says which of them are free, which are fixed (and at what value) and which
are shared between groups (an equality constraint is one free parameter used by several
groups), so every invariance level is one layout and the estimation below serves them all.

The ML discrepancy is lavaan's (``likelihood = "normal"``): with S_g the sample covariance
matrix (divisor n_g) and m_g the mean vector,

    F = sum_g n_g / N [log|Sigma_g| + tr(S_g Sigma_g^-1) - log|S_g| - p + (m_g - mu_g)' Sigma_g^-1 (m_g - mu_g)]

and chi-square = N F.  Its gradient and Hessian are exact (analytic); the expected (Fisher)
information n_g [dmu' Sigma^-1 dmu + tr(Sigma^-1 dSigma Sigma^-1 dSigma) / 2], evaluated at the
implied moments, gives the standard errors (lavaan's ``information = "expected"``).

F is minimised by damped Newton steps on the exact Hessian (:func:`newton`): a fixed few Newton steps
on a small exact problem beat a general optimiser's overhead (scipy.optimize with the analytic
gradient, the first design, stays as the fallback: its trust-region Newton method, imported only then).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from coprod.analysis.stats.cfa_groups import Stacked

LEVELS = ("configural", "metric", "scalar", "strict")
IDENTIFICATIONS = ("marker", "variance")


@dataclass
class Layout:
    """Free and fixed parameters of a one-factor model in G groups of p items.

    ``index[g, k]`` is the position of group g's parameter k in the free vector, or -1 when
    the parameter is fixed at ``fixed[g, k]``.  Parameter k: 0..p-1 loadings, p..2p-1
    intercepts, 2p..3p-1 residual variances, 3p the factor variance, 3p + 1 the factor mean.
    """

    p: int
    index: np.ndarray
    fixed: np.ndarray

    @property
    def groups(self) -> int:
        return self.index.shape[0]

    @property
    def npar(self) -> int:
        return int(self.index.max()) + 1

    def unpack(self, x: np.ndarray) -> np.ndarray:
        """The (G, 3p + 2) group parameters of the free vector ``x``."""
        out = self.fixed.copy()
        free = self.index >= 0
        out[free] = x[self.index[free]]
        return out

    def pack(self, params: np.ndarray) -> np.ndarray:
        """The free vector from group parameters (a shared parameter takes its mean over groups)."""
        x = np.zeros(self.npar)
        count = np.zeros(self.npar)
        free = self.index >= 0
        np.add.at(x, self.index[free], params[free])
        np.add.at(count, self.index[free], 1.0)
        return x / count

    def jacobian(self, g: int) -> np.ndarray:
        """d(group g parameters)/d(free vector): a 0/1 matrix (3p + 2, npar)."""
        A = np.zeros((self.index.shape[1], self.npar))
        for k, i in enumerate(self.index[g]):
            if i >= 0:
                A[k, i] = 1.0
        return A


def layout(p: int, groups: int, level: str = "configural", identification: str = "marker") -> Layout:
    """The layout of an invariance level, identified as lavaan identifies it.

    ``marker``: the first loading is 1 in every group (lavaan's default); ``variance``: the factor
    variance is 1 (``std.lv = TRUE``), freed in every group but the first once the loadings are
    equal.  The factor mean is 0, freed in every group but the first once the intercepts are
    equal.  ``metric`` makes the loadings equal across groups, ``scalar`` also the intercepts,
    ``strict`` also the residual variances.
    """
    rank = LEVELS.index(level)
    K = 3 * p + 2
    index = np.full((groups, K), -1, dtype=np.int64)
    fixed = np.zeros((groups, K))
    shared = {"lambda": rank >= 1, "nu": rank >= 2, "theta": rank >= 3}
    blocks = [("lambda", range(0, p)), ("nu", range(p, 2 * p)), ("theta", range(2 * p, 3 * p))]
    nxt = 0
    for name, ks in blocks:
        for k in ks:
            if name == "lambda" and k == 0 and identification == "marker":
                fixed[:, k] = 1.0
                continue
            if shared[name]:
                index[:, k] = nxt
                nxt += 1
            else:
                for g in range(groups):
                    index[g, k] = nxt
                    nxt += 1
    for g in range(groups):
        if identification == "marker" or (shared["lambda"] and g > 0):
            index[g, 3 * p] = nxt
            nxt += 1
        else:
            fixed[g, 3 * p] = 1.0
        if shared["nu"] and g > 0:
            index[g, 3 * p + 1] = nxt
            nxt += 1
    return Layout(p, index, fixed)


def implied(params: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray]:
    """Sigma and mu of one group's parameters."""
    lam, nu, th = params[:p], params[p:2 * p], params[2 * p:3 * p]
    psi, al = params[3 * p], params[3 * p + 1]
    return psi * np.outer(lam, lam) + np.diag(th), nu + lam * al


def derivatives(params: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray]:
    """dSigma/dparam (K, p, p) and dmu/dparam (K, p) of one group's K = 3p + 2 parameters."""
    lam, psi, al = params[:p], params[3 * p], params[3 * p + 1]
    K = 3 * p + 2
    dS = np.zeros((K, p, p))
    dm = np.zeros((K, p))
    j = np.arange(p)
    dS[j, j, :] = psi * lam
    dS[j, :, j] += psi * lam
    dS[2 * p + j, j, j] = 1.0
    dS[3 * p] = np.outer(lam, lam)
    dm[j, j] = al
    dm[p + j, j] = 1.0
    dm[3 * p + 1] = lam
    return dS, dm


@dataclass
class Moments:
    """Sample statistics of one group: n, mean vector, covariance matrix with divisor n."""

    n: int
    mean: np.ndarray
    cov: np.ndarray
    _logdet: float | None = field(default=None, repr=False, compare=False)

    @property
    def logdet(self) -> float:
        """log|S| (computed once)."""
        if self._logdet is None:
            self._logdet = float(np.linalg.slogdet(self.cov)[1])
        return self._logdet

    @classmethod
    def of(cls, X: np.ndarray) -> "Moments":
        n = X.shape[0]
        m = X.mean(axis=0)
        D = X - m
        return cls(n, m, D.T @ D / n)


def discrepancy(Sigma: np.ndarray, mu: np.ndarray, mom: Moments,
                saturated: bool = True) -> tuple[float, np.ndarray, np.ndarray]:
    """F_ML of one group and its gradient with respect to Sigma (full matrix) and mu.

    With ``saturated=False`` the constant log|S| + p is left out (the casewise form that full-
    information ML sums over missing-data patterns, where S may be singular).
    """
    p = len(mu)
    try:
        L = np.linalg.cholesky(Sigma)
    except np.linalg.LinAlgError:
        return np.inf, np.zeros((p, p)), np.zeros(p)
    Si = np.linalg.inv(Sigma)
    d = mom.mean - mu
    f = 2.0 * np.log(np.diag(L)).sum() + (mom.cov * Si).sum() + d @ Si @ d
    if saturated:
        f -= mom.logdet + p
    Sd = Si @ d
    G = Si - Si @ mom.cov @ Si - np.outer(Sd, Sd)
    return float(f), G, -2.0 * Sd


def information(params: np.ndarray, p: int, n: float) -> np.ndarray:
    """Expected information of one group's parameters (K x K), n times the unit information."""
    Sigma, _ = implied(params, p)
    Si = np.linalg.inv(Sigma)
    dS, dm = derivatives(params, p)
    A = np.einsum("ij,kjl->kil", Si, dS)
    cov_part = 0.5 * np.einsum("kij,lji->kl", A, A)
    mean_part = dm @ Si @ dm.T
    return n * (cov_part + mean_part)


@dataclass
class Estimate:
    """A fitted model: free vector, group parameters, covariance of the free vector, chi-square."""

    layout: Layout
    x: np.ndarray
    params: np.ndarray
    vcov: np.ndarray
    chisq: float
    fmin: float
    converged: bool


def hessian(params: np.ndarray, p: int, mom: Moments, obs: np.ndarray | None = None) -> np.ndarray:
    """Exact Hessian of one group's F_ML in its K = 3p + 2 parameters (the observed information times 2/n).

    With A_k = Sigma^-1 dSigma_k, M = Sigma^-1 (S + d d'), d = m - mu, r = Sigma^-1 d:
    H_kl = -tr(A_k A_l) + tr(M A_k A_l) + tr(M A_l A_k) + 2 dmu_k' Sigma^-1 dmu_l
    + 2 (r' dSigma_l Sigma^-1 dmu_k + r' dSigma_k Sigma^-1 dmu_l) + tr(G d2Sigma_kl) - 2 r' d2mu_kl.
    ``obs``: the observed items of a missing-data pattern (``mom`` then holds their moments).
    """
    Sigma, mu = implied(params, p)
    dS, dm = derivatives(params, p)
    if obs is not None:
        Sigma, mu = Sigma[np.ix_(obs, obs)], mu[obs]
        dS, dm = dS[:, obs][:, :, obs], dm[:, obs]
    Si = np.linalg.inv(Sigma)
    d = mom.mean - mu
    r = Si @ d
    M = Si @ (mom.cov + np.outer(d, d))
    G = Si - M @ Si
    A = np.einsum("ij,kjl->kil", Si, dS)
    MA = np.einsum("ij,kjl->kil", M, A)
    T1 = np.einsum("kij,lji->kl", A, A)
    T2 = np.einsum("kij,lji->kl", MA, A)
    V = dS @ r
    W = dm @ Si
    H = -T1 + T2 + T2.T + 2.0 * W @ dm.T + 2.0 * (V @ W.T + W @ V.T)
    if obs is not None:  # the second-derivative terms below need G and r on all p items
        Gf, rf = np.zeros((p, p)), np.zeros(p)
        Gf[np.ix_(obs, obs)], rf[obs] = G, r
        G, r = Gf, rf
    lam, psi = params[:p], params[3 * p]
    H[:p, :p] += 2.0 * psi * G
    Gl = 2.0 * G @ lam
    H[:p, 3 * p] += Gl
    H[3 * p, :p] += Gl
    H[:p, 3 * p + 1] -= 2.0 * r
    H[3 * p + 1, :p] -= 2.0 * r
    return H


class Objective:
    """F (sum_g n_g F_g / N), its gradient and Hessian in the free vector of a layout.

    Evaluated for all groups at once by :class:`~analysis.stats.cfa_groups.Stacked`; the per-group
    functions above are the same formulas one group at a time (a test checks they agree).
    """

    def __init__(self, lay: Layout, moments: list[Moments]):
        self.lay = lay
        self.moments = moments
        self.N = float(sum(m.n for m in moments))
        self._jac: list[np.ndarray] | None = None
        self._stacked: Stacked | None = None

    @property
    def jac(self) -> list[np.ndarray]:
        """d(group g parameters)/d(free vector) of each group."""
        if self._jac is None:
            self._jac = [self.lay.jacobian(g) for g in range(self.lay.groups)]
        return self._jac

    @property
    def stacked(self) -> Stacked:
        if self._stacked is None:
            m = self.moments
            self._stacked = Stacked(self.lay.index, self.lay.fixed, self.lay.p, [x.n for x in m],
                                    [x.mean for x in m], [x.cov for x in m], [x.logdet for x in m])
        return self._stacked

    def evaluate(self, x: np.ndarray, hessian: bool = True):
        """F, its gradient and (``hessian=True``) its Hessian at ``x``; (inf, 0, None) outside the model."""
        return self.stacked.evaluate(x, hessian)

    def __call__(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        f, g, _ = self.evaluate(x, False)
        return f, g

    def hessian(self, x: np.ndarray) -> np.ndarray:
        return self.stacked.hessian(x)

    def information(self, x: np.ndarray) -> np.ndarray:
        """Expected information of the free vector (sum over groups, n_g times the unit information)."""
        return self.stacked.information(x, [m.n for m in self.moments])


def start_values(lay: Layout, moments: list[Moments]) -> np.ndarray:
    """Starting values from each group's first principal component, scaled to the identification."""
    P = np.zeros_like(lay.fixed)
    for g, mom in enumerate(moments):
        w, v = np.linalg.eigh(mom.cov)
        load = v[:, -1] * np.sqrt(max(w[-1], 1e-8))
        if load.sum() < 0:
            load = -load
        marker = lay.index[g, 0] < 0 and lay.fixed[g, 0] != 0
        if marker:
            scale = load[0] if abs(load[0]) > 1e-6 else 1.0
            lam, psi = load / scale, scale ** 2
        else:
            lam, psi = load, 1.0
        th = np.maximum(np.diag(mom.cov) - psi * lam ** 2, 0.1 * np.diag(mom.cov))
        P[g] = np.concatenate([lam, mom.mean, th, [psi, 0.0]])
    free = lay.index >= 0
    P[~free] = lay.fixed[~free]
    return lay.pack(P)


def fit(lay: Layout, moments: list[Moments], x0: np.ndarray | None = None,
        objective: Objective | None = None) -> Estimate:
    """Minimise F by Newton's method on the exact Hessian (scipy's trust-region Newton if that fails)."""
    obj = Objective(lay, moments) if objective is None else objective
    x = start_values(lay, moments) if x0 is None else x0
    x, f, g = newton(obj, x)
    if not (np.isfinite(f) and np.max(np.abs(g)) < 1e-6) and x0 is not None:  # a warm start gone wrong
        x, f, g = newton(obj, start_values(lay, moments))
    if not (np.isfinite(f) and np.max(np.abs(g)) < 1e-6):
        x, f, g = _trust_region(obj, x if np.isfinite(f) else start_values(lay, moments))
    info = obj.information(x)
    try:
        vcov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        vcov = np.full_like(info, np.nan)
    converged = bool(np.isfinite(f) and np.max(np.abs(g)) < 1e-6)
    return Estimate(lay, x, lay.unpack(x), vcov, obj.N * f, f, converged)


def newton(obj: Objective, x: np.ndarray, gtol: float = 1e-10, max_iter: int = 100):
    """Damped Newton iterations on F: x, F(x) and the gradient where they stop.

    Each step solves H d = -g; a Hessian that is not positive definite (no Cholesky factor) gets a
    ridge (Levenberg), grown tenfold until it is.  The step is halved until F decreases (Armijo).  Near
    the minimum, where the predicted decrease is below what F resolves in floating point (its terms
    are of the order of p), a full step is taken as long as it shrinks the gradient.  Iteration
    stops when the gradient's largest element is below ``gtol`` or no step helps.
    """
    with np.errstate(all="ignore"):
        f, g = obj(x)
        for _ in range(max_iter):
            gmax = np.max(np.abs(g))
            if not np.isfinite(f) or gmax < gtol:
                break
            d = _newton_direction(obj.hessian(x), g)  # at the point evaluated last: its parts are reused
            if d is None:
                break
            slope = float(g @ d)
            resolved = -slope > 1e-13 * (1.0 + abs(f))
            t = 1.0
            while True:
                xt = x + t * d
                ft, gt = obj(xt)
                if np.isfinite(ft) and (ft <= f + 1e-4 * t * slope if resolved else np.max(np.abs(gt)) < gmax):
                    break
                t *= 0.5
                if not resolved or t < 1e-10:
                    return x, f, g
            x, f, g = xt, ft, gt
    return x, f, g


def _newton_direction(H: np.ndarray, g: np.ndarray) -> np.ndarray | None:
    """-H^-1 g, with a ridge added to H until it is positive definite."""
    ridge = 0.0
    scale = max(float(np.max(np.abs(np.diag(H)))), 1e-12)
    eye = np.eye(len(g))
    for _ in range(30):
        Hr = H + ridge * eye
        try:
            np.linalg.cholesky(Hr)  # positive definite?
        except np.linalg.LinAlgError:
            ridge = 1e-8 * scale if ridge == 0.0 else 10.0 * ridge
            continue
        return -np.linalg.solve(Hr, g)
    return None


def _trust_region(obj: Objective, x: np.ndarray):
    """SciPy's trust-region Newton method on the exact gradient and Hessian (the fallback)."""
    from scipy import optimize

    with np.errstate(all="ignore"):
        res = optimize.minimize(obj, x, jac=True, method="trust-exact", hess=obj.hessian,
                                options={"gtol": 1e-10, "maxiter": 500})
    f, g = obj(res.x)
    return res.x, f, g
