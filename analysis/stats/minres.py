"""The one-factor minimum-residual (minres) fit behind McDonald's omega, and omega if an item is deleted.

Written here because neither scipy nor statsmodels fits minres.  Iterated principal axes (whose fixed
point is the minres solution), then Newton's method on the stationarity equations.  The fits of omega
if deleted (one for each item) take their principal-axes steps together, as one stack of matrices
(NumPy's eigendecomposition of a stack is that of each matrix): the same loadings, to the last digit.
"""
from __future__ import annotations

import numpy as np


def minres_loadings(R: np.ndarray, shortcut: bool = True) -> np.ndarray:
    """One-factor minimum-residual (unweighted least squares) loadings of a correlation matrix.

    Written here because neither scipy nor statsmodels fits minres; iterated principal axes
    (whose fixed point is the minres solution) then Newton's method on the stationarity equations.
    ``shortcut`` starts Newton's method earlier where its root is certainly the same
    (:func:`_early_newton`); ``shortcut=False`` is the plain path, kept as the reference.
    """
    k = R.shape[0]
    try:
        smc = 1.0 - 1.0 / np.diag(np.linalg.inv(R))
    except np.linalg.LinAlgError:
        smc = np.full(k, 0.5)
    h2 = np.clip(smc, 0.005, 1.0)
    off = R - np.diag(np.diag(R))
    if shortcut and k > 2:  # the same root sooner (failing its checks, the iteration below from the start)
        x = _early_newton(R, h2)
        if x is not None:
            return x
    lam = None
    tol = 1e-6 if k > 2 else 1e-12  # near the root, Newton's method below takes it to the last digits;
    for _ in range(500):  # with two items every l1 l2 = r12 is a root: where the iteration stops decides
        lam, h2, moved = _principal_axes_step(R, h2)
        if moved < tol:
            break
    if lam.sum() < 0:
        lam = -lam

    x = _newton_polish(off, lam)
    # the root beside the start; or, where 500 steps of principal axes still crawl (their fixed point
    # approached at a rate near 1), the root ahead of them when it is a minimum and a fixed point
    beside = x is not None and (np.max(np.abs(x - lam)) <= 1e-4 or (moved >= tol and k > 2 and _is_fit(R, x)))
    if not beside:  # not the root beside the start: MINPACK's trust region
        from scipy import optimize

        def grad(v):
            return off @ v - v * ((v ** 2).sum() - v ** 2)

        sol = optimize.root(grad, lam, method="hybr", options={"xtol": 1e-14})
        x = sol.x if sol.success and np.all(np.isfinite(sol.x)) else None
    if x is not None:
        lam = x if x.sum() >= 0 else -x
    return lam


def _principal_axes_step(R: np.ndarray, h2: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """One step of iterated principal axes: the first principal axis of R with communalities ``h2`` on
    its diagonal; returns its loadings, the new communalities and their largest change."""
    Rr = R.copy()
    np.fill_diagonal(Rr, h2)
    w, v = np.linalg.eigh(Rr)
    lam = v[:, -1] * np.sqrt(max(w[-1], 0.0))
    new = lam ** 2
    return lam, new, float(np.max(np.abs(new - h2)))


def _early_newton(R: np.ndarray, h2: np.ndarray) -> np.ndarray | None:
    """The principal-axes fixed point by Newton's method, started after a few steps of the iteration
    (communalities settled to 1e-3, not 1e-6: a fifth of the eigendecompositions); None where that is
    not certainly the root the full iteration reaches, which then runs as before.

    Certain means: Newton converged; its root lies within 1e-2 of the start; it is a minimum of the
    residual sum of squares, not a saddle (the Jacobian of the stationarity equations, minus a quarter
    of that sum's Hessian, is negative definite: weak one-factor data have saddles the iteration
    lingers near before it leaves them); and it is a fixed point of principal axes, i.e. the loadings
    squared sum to the largest eigenvalue of R with their squares on the diagonal.
    """
    lam = _settled(R, h2)
    return None if lam is None else _checked_many(R[None], lam[None])[0]


def _checked_many(Rs: np.ndarray, lams: np.ndarray) -> list:
    """Newton's root from each matrix's settled loadings (``Rs`` m x k x k, ``lams`` m x k) where it passes
    :func:`_early_newton`'s checks; else None."""
    m, k = lams.shape
    d = np.arange(k)
    offs = Rs.copy()
    offs[:, d, d] = 0.0
    lams = np.where(lams.sum(axis=1)[:, None] < 0, -lams, lams)
    roots = _newton_many(offs, lams)
    ok = [i for i, x in enumerate(roots) if x is not None and np.max(np.abs(x - lams[i])) <= 1e-2]
    out: list = [None] * m
    if not ok:
        return out
    x = np.array([roots[i] for i in ok])
    fit = _fits(Rs[ok], offs[ok], x)
    for j, i in enumerate(ok):
        if fit[j]:
            out[i] = x[j] if x[j].sum() >= 0 else -x[j]
    return out


def _fits(Rs: np.ndarray, offs: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Whether each root ``x`` (m x k) of the stationarity equations is the minres fit: a minimum of the
    residual sum of squares, not a saddle (the Jacobian, minus a quarter of the Hessian, negative definite),
    and a fixed point of principal axes (the loadings squared sum to the largest eigenvalue of R with their
    squares on the diagonal)."""
    k = x.shape[1]
    d = np.arange(k)
    sq = x * x
    tot = sq.sum(axis=1)
    hess = offs - 2.0 * x[:, :, None] * x[:, None, :]
    hess[:, d, d] -= tot[:, None] - 3.0 * sq
    minimum = np.linalg.eigvalsh(hess)[:, -1] < 0  # not a saddle
    Rr = Rs.copy()
    Rr[:, d, d] = sq
    top = np.linalg.eigvalsh(Rr)[:, -1]
    return minimum & (np.abs(top - tot) <= 1e-9 * np.maximum(top, 1.0))  # the first principal axis


def _is_fit(R: np.ndarray, x: np.ndarray) -> bool:
    off = R - np.diag(np.diag(R))
    return bool(_fits(R[None], off[None], x[None])[0])


def _newton_polish(off: np.ndarray, x: np.ndarray) -> np.ndarray | None:
    """Newton's method on the stationarity equations g(x) = off x - x (|x|^2 - x^2) = 0 of the minres
    fit, from the principal-axes solution (already within about 1e-6 of the root where the data have one
    factor); None if it does not converge to a finite root.

    The Jacobian is off - 2 x x' - diag(|x|^2 - 3 x^2); the steps stop at a relative change of 1e-14
    (the tolerance the MINPACK polish used before).
    """
    return _newton_many(off[None], x[None])[0]


def _newton_many(offs: np.ndarray, xs: np.ndarray) -> list:
    """:func:`_newton_polish` for each matrix of a stack, the steps of all taken together (the same
    arithmetic, matrix by matrix, as one alone: sums along rows, LAPACK's solver on each)."""
    m, k = xs.shape
    d = np.arange(k)
    out: list = [None] * m
    x = xs.copy()
    active = np.arange(m)
    for _ in range(100):
        o, xa = offs[active], x[active]
        sq = xa * xa
        tot = sq.sum(axis=1)[:, None]
        g = (o * xa[:, None, :]).sum(axis=2) - xa * (tot - sq)
        jac = o - 2.0 * xa[:, :, None] * xa[:, None, :]
        jac[:, d, d] -= tot - 3.0 * sq
        try:
            step = np.linalg.solve(jac, g[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:  # a singular Jacobian: that root is None, the others go on
            step = np.array([_solve_or_nan(jac[i:i + 1], g[i:i + 1]) for i in range(len(active))])
        xn = xa - step
        x[active] = xn
        finite = np.isfinite(xn).all(axis=1)
        done = np.sqrt((step * step).sum(axis=1)) <= 1e-14 * np.maximum(np.sqrt((xn * xn).sum(axis=1)), 1e-300)
        for i in active[finite & done]:
            out[i] = x[i].copy()
        active = active[finite & ~done]
        if not active.size:
            break
    return out


def _solve_or_nan(jac: np.ndarray, g: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(jac, g[:, :, None])[0, :, 0]
    except np.linalg.LinAlgError:
        return np.full(g.shape[1], np.nan)


def omega_total(R: np.ndarray) -> tuple[float, np.ndarray]:
    """McDonald's omega total of a one-factor minres model: 1 - sum(1 - loading^2) / sum(D R D).

    D holds the signs of the loadings: items loading negatively are reversed first, as
    ``psych::omega`` does (``flip = TRUE``).  Returns omega and the (signed) loadings; the
    negative ones are the items reversed.

    >>> R = np.array([[1.0, 0.5, -0.4], [0.5, 1.0, -0.3], [-0.4, -0.3, 1.0]])
    >>> om, lam = omega_total(R)
    >>> round(om, 6), [bool(v < 0) for v in lam]
    (0.68179, [False, False, True])
    """
    return omega_of(R, minres_loadings(R))


def omega_of(R: np.ndarray, lam: np.ndarray) -> tuple[float, np.ndarray]:
    """Omega total of R from its one-factor loadings ``lam`` (see :func:`omega_total`)."""
    d = np.where(lam < 0, -1.0, 1.0)
    u2 = 1.0 - lam ** 2
    return float(1.0 - u2.sum() / (d[:, None] * R * d[None, :]).sum()), lam


def omega_if_deleted(R: np.ndarray) -> np.ndarray:
    """Omega total of the other items for each item (NaN where fewer than three remain or the model fails).

    >>> R = np.full((4, 4), 0.5) + 0.5 * np.eye(4)
    >>> omega_if_deleted(R).round(6).tolist()  # three items with r = 0.5: loadings sqrt(0.5)
    [0.75, 0.75, 0.75, 0.75]
    """
    return _deleted_many([R])[0]


def _settled(R: np.ndarray, h2: np.ndarray) -> np.ndarray | None:
    """Principal-axes steps from communalities ``h2`` until they move less than 1e-3: the loadings then
    (None after 500 steps)."""
    return _settled_many(R[None], h2[None].copy())[0]


def _settled_many(Rs: np.ndarray, h2: np.ndarray) -> list:
    """:func:`_settled` for each matrix of the stack ``Rs`` from its communalities (rows of ``h2``, changed),
    the steps of all taken together; a matrix whose steps did not settle, or a stack that cannot be
    decomposed, gives None (its fit then takes the plain path)."""
    n, k, _ = Rs.shape
    out: list = [None] * n
    active = np.arange(n)
    diag = np.arange(k)
    try:
        for _ in range(500):
            Rr = Rs[active].copy()
            Rr[:, diag, diag] = h2[active]
            w, v = np.linalg.eigh(Rr)
            lam = v[:, :, -1] * np.sqrt(np.maximum(w[:, -1], 0.0))[:, None]
            new = lam ** 2
            moved = np.max(np.abs(new - h2[active]), axis=1)
            h2[active] = new
            for i in np.flatnonzero(moved < 1e-3):
                out[active[i]] = lam[i]
            active = active[moved >= 1e-3]
            if not active.size:
                break
    except np.linalg.LinAlgError:
        return [None] * n
    return out


def omega_many(Rs: list) -> list:
    """:func:`omega_total` and :func:`omega_if_deleted` of each correlation matrix of ``Rs`` (all k x k, k >= 3):
    ``(omega, loadings, omega if deleted)``, or the exception the fit alone raises.  The principal-axes and
    Newton steps of every fit are taken together, as stacks (a reliability run fits a scale in each group:
    dozens of small fits, each mostly NumPy's overhead); each result is that of the fit alone, to the last
    digit (tests/test_reliability.py)."""
    totals = _shortcut_roots(np.stack(Rs))
    out = []
    for R, x, oid in zip(Rs, totals, _deleted_many(Rs)):
        try:
            out.append((*omega_of(R, x if x is not None else minres_loadings(R)), oid))  # as it would alone
        except (np.linalg.LinAlgError, ValueError) as exc:
            out.append(exc)
    return out


def _deleted_many(Rs: list) -> list:
    """:func:`omega_if_deleted` of each matrix of ``Rs`` (all k x k), the fits of all of them in one stack."""
    k = Rs[0].shape[0]
    if k < 4:  # fewer than three items would remain
        return [np.full(k, np.nan) for _ in Rs]
    drops = [[i for i in range(k) if i != j] for j in range(k)]
    subs = np.stack([R[np.ix_(keep, keep)] for R in Rs for keep in drops])
    roots = _shortcut_roots(subs)
    out = []
    for r in range(len(Rs)):
        vals = np.full(k, np.nan)
        for j in range(k):
            sub, x = subs[r * k + j], roots[r * k + j]
            try:
                vals[j] = omega_of(sub, x if x is not None else minres_loadings(sub))[0]  # as it would alone
            except (np.linalg.LinAlgError, ValueError):
                pass
        out.append(vals)
    return out


def _shortcut_roots(S: np.ndarray) -> list:
    """:func:`minres_loadings`' shortcut for each matrix of the stack ``S`` (m x k x k, k >= 3), taken together:
    its root, or None where the fit alone must run (the shortcut's checks fail, or the stack cannot be inverted
    or decomposed)."""
    out: list = [None] * len(S)
    try:
        smc = 1.0 - 1.0 / np.diagonal(np.linalg.inv(S), axis1=1, axis2=2)  # as minres_loadings starts
        settled = _settled_many(S, np.clip(smc, 0.005, 1.0))
        ready = [i for i, lam in enumerate(settled) if lam is not None]
        if ready:
            for i, x in zip(ready, _checked_many(S[ready], np.array([settled[i] for i in ready]))):
                out[i] = x
    except (np.linalg.LinAlgError, ValueError):
        return [None] * len(S)
    return out
