"""Kernels of the ordinal model: the cumulative-logit likelihood with threshold-specific effects (the
test of proportional odds), the fit itself through statsmodels, and the probability of superiority.

The model, as R's ``MASS::polr`` and ``ordinal::clm`` write it: with categories 0 .. J - 1,

    logit P(Y <= j | x) = theta_j + x_n' gamma_j - x' beta        (j = 0 .. J - 2)

``x_n`` are the columns whose effects may differ between thresholds (none in the proportional-odds
model; those of one term in ``ordinal::nominal_test``'s test of that term).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import special


@dataclass
class Fit:
    """A fitted cumulative-logit model: estimates, their covariance (beta first, then thresholds), log-likelihood."""

    beta: np.ndarray
    thresholds: np.ndarray
    cov: np.ndarray
    loglik: float
    converged: bool


def _eta(params: np.ndarray, J: int, Xn: np.ndarray, Xp: np.ndarray) -> np.ndarray:
    k = J - 1
    theta = params[:k]
    gamma = params[k:k + Xn.shape[1] * k].reshape(Xn.shape[1], k)
    beta = params[k + Xn.shape[1] * k:]
    return theta[None, :] + Xn @ gamma - (Xp @ beta)[:, None]


def loglik_grad(params: np.ndarray, y: np.ndarray, J: int, Xn: np.ndarray, Xp: np.ndarray):
    """Log-likelihood and its gradient; -inf where a category's probability is not positive for some respondent.

    >>> y = np.array([0, 1, 2, 2]); x = np.zeros((4, 0))
    >>> ll, g = loglik_grad(np.array([0.0, 1.0]), y, 3, x, x)
    >>> round(ll, 6)
    -4.784755
    """
    n = y.size
    F = special.expit(_eta(params, J, Xn, Xp))
    Fp = np.hstack([np.zeros((n, 1)), F, np.ones((n, 1))])
    if not np.all(np.diff(Fp, axis=1) > 0):  # every category's probability, also those no one chose
        return -np.inf, np.zeros_like(params)
    rows = np.arange(n)
    p = Fp[rows, y + 1] - Fp[rows, y]
    f = F * (1.0 - F)
    D = np.zeros_like(F)
    up = y < J - 1  # d log p / d eta_y: + f(eta_y) / p
    D[rows[up], y[up]] += f[rows[up], y[up]] / p[up]
    down = y > 0  # d log p / d eta_(y-1): - f(eta_(y-1)) / p
    D[rows[down], y[down] - 1] -= f[rows[down], y[down] - 1] / p[down]
    grad = np.concatenate([D.sum(axis=0), (Xn.T @ D).ravel(), -(Xp.T @ D.sum(axis=1))])
    return float(np.log(p).sum()), grad


def maximise(y: np.ndarray, J: int, Xn: np.ndarray, Xp: np.ndarray, x0: np.ndarray) -> tuple[np.ndarray, float, bool]:
    """Estimates (theta, gamma, beta), maximum log-likelihood and whether it converged: BFGS on the
    analytic gradient from ``x0``, every category's probability kept positive."""
    from scipy import optimize

    def fun(p):
        ll, g = loglik_grad(p, y, J, Xn, Xp)
        return (np.inf, g) if not np.isfinite(ll) else (-ll, -g)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = optimize.minimize(fun, x0, jac=True, method="BFGS", options={"gtol": 1e-9, "maxiter": 5000})
    ll, g = loglik_grad(res.x, y, J, Xn, Xp)
    return res.x, ll, bool(np.isfinite(ll) and np.max(np.abs(g)) < 1e-4)


def fit_nominal(y: np.ndarray, J: int, Xn: np.ndarray, Xp: np.ndarray, start_theta: np.ndarray,
                start_beta: np.ndarray) -> tuple[float, bool]:
    """Maximum log-likelihood of the model with threshold-specific effects of ``Xn`` (from the
    proportional-odds estimates, where gamma = 0) and whether the fit converged."""
    x0 = np.concatenate([start_theta, np.zeros(Xn.shape[1] * (J - 1)), start_beta])
    return maximise(y, J, Xn, Xp, x0)[1:]


def start_values(y: np.ndarray, J: int, X: np.ndarray) -> np.ndarray:
    """Thresholds then beta of the proportional-odds model by :func:`maximise`, from the thresholds of
    the thresholds-only model and beta = 0."""
    cum = np.cumsum(np.bincount(y, minlength=J))[:-1] / y.size
    x0 = np.concatenate([special.logit(np.clip(cum, 1e-6, 1 - 1e-6)), np.zeros(X.shape[1])])
    return maximise(y, J, np.zeros((y.size, 0)), X, x0)[0]


def fit_po(y: np.ndarray, J: int, X: np.ndarray) -> Fit:
    """The proportional-odds model fitted by statsmodels' ``OrderedModel`` (``distr="logit"``).

    Newton's method from :func:`start_values` (statsmodels' own BFGS differentiates numerically and
    takes long on large data); statsmodels estimates the first threshold and the logs of the
    increments, so the thresholds and their covariance (delta method) are given on the scale of
    ``polr``'s ``zeta``.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    p = X.shape[1]
    model = OrderedModel(y, X, distr="logit")
    start = start_values(y, J, X)
    theta = start[:J - 1]
    raw0 = np.concatenate([start[J - 1:], theta[:1], np.log(np.maximum(np.diff(theta), 1e-12))])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = model.fit(start_params=raw0, method="newton", disp=False, maxiter=100)
        except np.linalg.LinAlgError:  # a singular Hessian: separation; the estimates are reported empty
            res = model.fit(start_params=raw0, method="bfgs", disp=False, maxiter=100)
    raw = np.asarray(res.params, dtype=float)
    try:
        cov_raw = np.asarray(res.cov_params(), dtype=float)
    except ValueError:  # no covariance where the Hessian is singular
        cov_raw = np.full((raw.size, raw.size), np.nan)
    thresholds = np.asarray(model.transform_threshold_params(raw)[1:-1], dtype=float)
    # d thresholds / d raw: t_0 = r_0; t_m = r_0 + sum_{l <= m} exp(r_l)
    jac = np.eye(p + J - 1)
    inc = np.exp(raw[p + 1:])
    for m in range(1, J - 1):
        jac[p + m, p] = 1.0
        jac[p + m, p + 1:p + m + 1] = inc[:m]
    cov = jac @ cov_raw @ jac.T
    ll, g = loglik_grad(np.concatenate([thresholds, raw[:p]]), y, J, np.zeros((y.size, 0)), X)
    converged = bool(res.mle_retvals.get("converged", True)) and np.isfinite(ll) and np.max(np.abs(g)) < 1e-4 \
        and not any("converge" in str(w.message).lower() for w in caught)
    return Fit(raw[:p], thresholds, cov, float(res.llf), converged)


def null_loglik(y: np.ndarray, J: int) -> float:
    """Log-likelihood of the thresholds-only model: sum n_j log(n_j / n).

    >>> round(null_loglik(np.array([0, 0, 1, 2]), 3), 6)
    -4.158883
    """
    n = np.bincount(y, minlength=J).astype(float)
    n = n[n > 0]
    return float((n * np.log(n / n.sum())).sum())


def superiority(a: np.ndarray, b: np.ndarray, conf_level: float = 0.95) -> tuple[float, float, float, float]:
    """Probability of superiority P(A > B) + P(A = B) / 2 = U_A / (n_A n_B), U_A from the midranks of both.

    The interval is the rank-biserial r's (Fisher z, SE sqrt((n_A + n_B + 1) / (3 n_A n_B)), as
    R's ``effectsize``) mapped by (r + 1) / 2, as ``effectsize::p_superiority`` maps it.  Returns
    U_A, the probability and the interval.

    >>> [round(v, 4) for v in superiority(np.array([3.0, 4, 5]), np.array([1.0, 2, 3]))]
    [8.5, 0.9444, 0.6979, 0.9921]
    """
    from scipy import stats

    from coprod.analysis.stats.effects import rank_biserial

    na, nb = a.size, b.size
    ranks = stats.rankdata(np.concatenate([a, b]))
    u = float(ranks[:na].sum() - na * (na + 1) / 2.0)
    r, lo, hi = rank_biserial(u, na, nb, conf_level)
    return u, (r + 1) / 2, (lo + 1) / 2, (hi + 1) / 2
