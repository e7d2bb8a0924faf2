"""The ML discrepancy of :mod:`analysis.stats.cfa_model` for all groups at once (complete data).

The same formulas as :func:`~analysis.stats.cfa_model.discrepancy`,
:func:`~analysis.stats.cfa_model.hessian` and :func:`~analysis.stats.cfa_model.information`,
evaluated on arrays stacked over the G groups (G x p x p and G x K x p x p, K = 3p + 2), so one
evaluation is a few dozen NumPy calls whatever G; the free parameters' gradient and Hessian are
summed from the groups' by ``bincount`` over the layout's index.  The Newton fits of an invariance
run evaluate them a few hundred times on small arrays, where the cost of a NumPy call, not
arithmetic, dominates.
"""
from __future__ import annotations

import numpy as np


class Stacked:
    """Sample moments of G groups and the index of a layout, ready for :meth:`evaluate`."""

    def __init__(self, index: np.ndarray, fixed: np.ndarray, p: int, n, means, covs, logdets):
        self.p, self.index, self.fixed = p, index, fixed
        self.npar = int(index.max()) + 1
        self.w = np.asarray(n, dtype=float) / float(np.sum(n))  # n_g / N
        self.mean = np.asarray(means)
        self.cov = np.asarray(covs)
        self.const = np.asarray(logdets) + p  # log|S_g| + p
        self.free = index >= 0
        K = index.shape[1]
        pair = self.free[:, :, None] & self.free[:, None, :]
        self.pair = pair
        self.pair_index = (index[:, :, None] * self.npar + index[:, None, :])[pair]
        G = index.shape[0]
        j = np.arange(p)
        self._eye = np.eye(p)
        self._eye_row = self._eye[None, :, :, None]  # [., j, a, .] = 1 where a = j
        self._eye_col = self._eye[None, :, None, :]  # [., j, ., b] = 1 where b = j
        self._dS = np.zeros((G, K, p, p))
        self._dS[:, 2 * p + j, j, j] = 1.0
        self._dm = np.zeros((G, K, p))
        self._dm[:, p + j, j] = 1.0
        self._last: dict | None = None  # the parts of the last evaluation, for the Hessian at the same x

    def unpack(self, x: np.ndarray) -> np.ndarray:
        out = self.fixed.copy()
        out[self.free] = x[self.index[self.free]]
        return out

    def _model(self, P: np.ndarray):
        """Sigma (G, p, p), mu (G, p), dSigma (G, K, p, p) and dmu (G, K, p) of the group parameters."""
        p = self.p
        lam, nu, th, psi, al = P[:, :p], P[:, p:2 * p], P[:, 2 * p:3 * p], P[:, 3 * p], P[:, 3 * p + 1]
        ll = lam[:, :, None] * lam[:, None, :]
        u = psi[:, None] * lam
        dS, dm = self._dS.copy(), self._dm.copy()
        dS[:, :p] = self._eye_row * u[:, None, None, :] + u[:, None, :, None] * self._eye_col  # psi (e_j lam' + lam e_j')
        dS[:, 3 * p] = ll
        dm[:, :p] = self._eye * al[:, None, None]
        dm[:, 3 * p + 1] = lam
        return psi[:, None, None] * ll + th[:, :, None] * self._eye, nu + lam * al[:, None], dS, dm

    def _inverse(self, P: np.ndarray, Sigma: np.ndarray):
        """Sigma^-1 and log|Sigma| of every group, or None when a Sigma is not positive definite.

        With positive residual variances, Sigma = D + psi lam lam' (D = diag(theta)) is inverted by
        the Sherman-Morrison formula, Sigma^-1 = D^-1 - psi v v' / c with v = D^-1 lam and
        c = 1 + psi lam' v, |Sigma| = |D| c (positive definite exactly when c > 0); otherwise by Cholesky.
        """
        p = self.p
        lam, th, psi = P[:, :p], P[:, 2 * p:3 * p], P[:, 3 * p]
        if np.all(th > 0):
            v = lam / th
            c = 1.0 + psi * (lam * v).sum(axis=1)
            if np.all(c > 0):
                Si = (-psi / c)[:, None, None] * (v[:, :, None] * v[:, None, :]) + self._eye / th[:, :, None]
                return Si, np.log(th).sum(axis=1) + np.log(c)
        try:
            L = np.linalg.cholesky(Sigma)
        except np.linalg.LinAlgError:
            return None
        logdet = 2.0 * np.log(np.diagonal(L, axis1=1, axis2=2)).sum(axis=1)
        return np.linalg.inv(Sigma), logdet

    def evaluate(self, x: np.ndarray, hessian: bool = True):
        """F, its gradient and (``hessian=True``) its exact Hessian in the free vector ``x``.

        What the Hessian needs is kept, so that :meth:`hessian` at the same ``x`` right after it
        (a Newton step that was accepted) does not start again."""
        parts = self._parts(x)
        if parts is None:
            return np.inf, np.zeros_like(x), None
        self._last = parts
        return parts["f"], parts["grad"], self._hessian(parts) if hessian else None

    def hessian(self, x: np.ndarray) -> np.ndarray | None:
        last = self._last
        parts = last if last is not None and np.array_equal(last["x"], x) else self._parts(x)
        return None if parts is None else self._hessian(parts)

    def _parts(self, x: np.ndarray) -> dict | None:
        P = self.unpack(x)
        Sigma, mu, dS, dm = self._model(P)
        inv = self._inverse(P, Sigma)
        if inv is None:
            return None
        Si, logdet = inv
        d = self.mean - mu
        C = self.cov + d[:, :, None] * d[:, None, :]
        f = logdet + (C * Si).sum(axis=(1, 2)) - self.const
        r = (Si @ d[:, :, None])[:, :, 0]
        M = Si @ C
        Gm = Si - M @ Si
        G, K, p = dS.shape[0], dS.shape[1], self.p
        gk = (dS.reshape(G, K, p * p) @ Gm.reshape(G, p * p, 1))[:, :, 0] - 2.0 * (dm @ r[:, :, None])[:, :, 0]
        w = self.w
        grad = np.bincount(self.index[self.free], weights=(w[:, None] * gk)[self.free], minlength=self.npar)
        return {"x": x.copy(), "P": P, "dS": dS, "dm": dm, "Si": Si, "r": r, "M": M, "Gm": Gm,
                "f": float(w @ f), "grad": grad}

    def _hessian(self, q: dict) -> np.ndarray:
        P, dS, dm, Si, r, M, Gm = q["P"], q["dS"], q["dm"], q["Si"], q["r"], q["M"], q["Gm"]
        G, K, p = dS.shape[0], dS.shape[1], self.p
        A = Si[:, None] @ dS
        MA = M[:, None] @ A
        At = A.transpose(0, 1, 3, 2).reshape(G, K, p * p).transpose(0, 2, 1)
        T1 = A.reshape(G, K, p * p) @ At
        T2 = MA.reshape(G, K, p * p) @ At
        V = (dS @ r[:, None, :, None])[..., 0]
        W = dm @ Si
        VW = V @ W.transpose(0, 2, 1)
        H = -T1 + T2 + T2.transpose(0, 2, 1) + 2.0 * W @ dm.transpose(0, 2, 1) + 2.0 * (VW + VW.transpose(0, 2, 1))
        lam, psi = P[:, :p], P[:, 3 * p]
        H[:, :p, :p] += 2.0 * psi[:, None, None] * Gm
        Gl = 2.0 * (Gm @ lam[:, :, None])[:, :, 0]
        H[:, :p, 3 * p] += Gl
        H[:, 3 * p, :p] += Gl
        H[:, :p, 3 * p + 1] -= 2.0 * r
        H[:, 3 * p + 1, :p] -= 2.0 * r
        return np.bincount(self.pair_index, weights=(self.w[:, None, None] * H)[self.pair],
                           minlength=self.npar * self.npar).reshape(self.npar, self.npar)

    def information(self, x: np.ndarray, n: np.ndarray) -> np.ndarray:
        """Expected information of the free vector: sum_g n_g [dmu' Si dmu + tr(Si dS Si dS) / 2]."""
        P = self.unpack(x)
        Sigma, _, dS, dm = self._model(P)
        inv = self._inverse(P, Sigma)
        Si = np.linalg.inv(Sigma) if inv is None else inv[0]
        G, K, p = dS.shape[0], dS.shape[1], self.p
        A = Si[:, None] @ dS
        At = A.transpose(0, 1, 3, 2).reshape(G, K, p * p)
        info = 0.5 * (A.reshape(G, K, p * p) @ At.transpose(0, 2, 1)) + dm @ Si @ dm.transpose(0, 2, 1)
        info *= np.asarray(n, dtype=float)[:, None, None]
        return np.bincount(self.pair_index, weights=info[self.pair],
                           minlength=self.npar * self.npar).reshape(self.npar, self.npar)
