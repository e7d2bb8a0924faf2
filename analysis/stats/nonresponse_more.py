"""The two computations behind :mod:`analysis.stats.nonresponse` that need more than counting:
Fisher's exact test of a k x 2 table (Freeman-Halton) and Little's MCAR test.
"""
from __future__ import annotations

import numpy as np
from coprod.analysis.stats import specfun as special

from coprod.analysis.stats import cfa_fiml as _fiml

#: More tables than this to enumerate: the exact test gives way to the chi-square test.
MAX_TABLES = 2_000_000
#: Tables as probable as the observed one within this relative error count as "as extreme" (as R's fisher.test).
REL_ERR = 1 + 1e-7


def fisher_k2(counts: np.ndarray) -> float | None:
    """Two-sided p of Fisher's exact test of a k x 2 table (the Freeman-Halton extension), or None when
    there are more than :data:`MAX_TABLES` tables with its margins.

    Every table with the observed row and column totals is enumerated; p is the total probability
    (multivariate hypergeometric) of the tables no more probable than the observed one, as R's
    ``fisher.test`` (its relative tolerance 1e-7 included).

    >>> round(fisher_k2(np.array([[3, 1], [1, 3]])), 6)  # R: fisher.test(matrix(c(3, 1, 1, 3), 2))
    0.485714
    >>> round(fisher_k2(np.array([[2, 8], [0, 10], [5, 5]])), 6)  # R: fisher.test(matrix(c(2, 0, 5, 8, 10, 5), 3))
    0.039788
    """
    t = np.asarray(counts, dtype=np.int64)
    rows = t.sum(axis=1)
    col = int(t[:, 0].sum()) if t[:, 0].sum() <= t[:, 1].sum() else int(t[:, 1].sum())
    first = t[:, 0] if t[:, 0].sum() <= t[:, 1].sum() else t[:, 1]
    N = int(rows.sum())
    # log C(n_i, a) for every row and a = 0 .. min(n_i, col)
    logc = [special.gammaln(n + 1) - special.gammaln(np.arange(min(n, col) + 1) + 1)
            - special.gammaln(n - np.arange(min(n, col) + 1) + 1) for n in rows]
    sums, logp = np.zeros(1, dtype=np.int64), np.zeros(1)
    for i, lc in enumerate(logc):
        a = np.arange(lc.size)
        s = (sums[:, None] + a[None, :]).ravel()
        lp = (logp[:, None] + lc[None, :]).ravel()
        rest = int(rows[i + 1:].sum())
        keep = (s <= col) & (s + rest >= col)
        sums, logp = s[keep], lp[keep]
        if sums.size > MAX_TABLES:
            return None
    logp = logp[sums == col]
    total = special.gammaln(N + 1) - special.gammaln(col + 1) - special.gammaln(N - col + 1)
    observed = float(sum(logc[i][int(first[i])] for i in range(len(rows))))
    p = np.exp(logp - total)
    return float(min(1.0, p[logp <= observed + np.log(REL_ERR)].sum()))


def little_mcar(X: np.ndarray) -> dict:
    """Little's (1988) test that the items are missing completely at random.

    ``X`` holds the items' valid values (respondents x items, NaN where missing); respondents
    without any value are left out.  The means and covariance matrix are the maximum-likelihood
    estimates under the missing data (EM, as lavaan's saturated model with ``missing = "ml"``);
    d^2 = sum over the missing-data patterns j of n_j (ybar_j - mu_j)' Sigma_j^-1 (ybar_j - mu_j) over
    each pattern's observed items, chi-square with sum_j k_j - k df (k_j observed items of pattern j).

    Returns ``{"n", "n_patterns", "chisq", "df", "p", "note"}``; the statistic is empty with a note
    when there is nothing to test (one pattern, fewer respondents than items, a singular matrix).

    >>> X = np.array([[1., 2], [2, 1], [3, 4], [4, 3], [5, np.nan], [2, np.nan], [np.nan, 3], [1, 1]])
    >>> r = little_mcar(X)
    >>> r["n"], r["n_patterns"], r["df"]
    (8, 3, 2)
    """
    X = np.asarray(X, dtype=float)
    X = X[~np.isnan(X).all(axis=1)]
    n, k = X.shape
    out = {"n": int(n), "n_patterns": 0, "chisq": np.nan, "df": np.nan, "p": np.nan, "note": ""}
    if n == 0:
        out["note"] = "no respondent with an answer"
        return out
    pats = _fiml.patterns(X)
    out["n_patterns"] = len(pats)
    df = int(sum(pt.obs.size for pt in pats) - k)
    out["df"] = df
    if df == 0:
        out["note"] = "one missing-data pattern: nothing to test"
        return out
    if n <= k or np.any(np.isnan(X).all(axis=0)):
        out["note"] = "too few answers to estimate the covariance matrix"
        return out
    mom = saturated_ml(X, pats)
    d2 = 0.0
    for pt in pats:
        o = pt.obs
        diff = pt.mom.mean - mom.mean[o]
        S = mom.cov[np.ix_(o, o)]
        if np.linalg.matrix_rank(S) < o.size:
            out["note"] = "the estimated covariance matrix is singular"
            return out
        d2 += pt.mom.n * float(diff @ np.linalg.solve(S, diff))
    out.update(chisq=d2, p=float(special.chdtrc(df, d2)))
    return out


def _em_parts(pats, p: int):
    """What every EM step of :func:`saturated_ml` needs: the sums over the observed items, which do not
    change, and the patterns with missing items stacked by their number of observed items q: index arrays
    (P x q observed, P x r missing), n, means and n times the raw second moments of each."""
    n = sum(pt.mom.n for pt in pats)
    T1, T2, by_size = np.zeros(p), np.zeros((p, p)), {}
    for pt in pats:
        o, k, xm = pt.obs, pt.mom.n, pt.mom.mean
        kSx = k * (pt.mom.cov + np.outer(xm, xm))
        T1[o] += k * xm
        T2[np.ix_(o, o)] += kSx
        m = np.setdiff1d(np.arange(p), o)
        if m.size:
            by_size.setdefault(o.size, []).append((o, m, k, xm, kSx))
    stacks = []
    for parts in by_size.values():
        O, M = np.array([q[0] for q in parts]), np.array([q[1] for q in parts])
        stacks.append((O, M, np.array([float(q[2]) for q in parts]), np.array([q[3] for q in parts]),
                       np.array([q[4] for q in parts]), (O[:, :, None], O[:, None, :]), (O[:, :, None], M[:, None, :]),
                       (M[:, :, None], O[:, None, :]), (M[:, :, None], M[:, None, :])))
    return n, T1, T2, stacks


def _em_step(mu: np.ndarray, S: np.ndarray, em_parts) -> tuple[np.ndarray, np.ndarray]:
    """One EM step for the mean vector and covariance matrix (the one of ``cfa_fiml.em``), the patterns
    with as many observed items taken together (stacks of matrices: a file of many patterns took seconds)."""
    n, C1, C2, stacks = em_parts
    T1, T2 = C1.copy(), C2.copy()
    for O, M, K, XM, KSX, oo, om_, mo, mm in stacks:
        Som = S[om_]
        B = np.linalg.solve(S[oo], Som).transpose(0, 2, 1)  # regression of the missing items on the observed ones
        a = mu[M] - (B @ mu[O][:, :, None])[:, :, 0]
        bx = (B @ XM[:, :, None])[:, :, 0]
        np.add.at(T1, M, K[:, None] * (a + bx))
        Bt = B.transpose(0, 2, 1)
        om = K[:, None, None] * XM[:, :, None] * a[:, None, :] + KSX @ Bt
        np.add.at(T2, om_, om)
        np.add.at(T2, mo, om.transpose(0, 2, 1))
        np.add.at(T2, mm, K[:, None, None] * (a[:, :, None] * a[:, None, :] + a[:, :, None] * bx[:, None, :]
                                              + bx[:, :, None] * a[:, None, :] + S[mm] - B @ Som) + B @ KSX @ Bt)
    new_mu = T1 / n
    return new_mu, T2 / n - np.outer(new_mu, new_mu)


def saturated_ml(X: np.ndarray, pats, tol: float = 1e-12, max_steps: int = 5000):
    """Maximum-likelihood means and covariances under missing data: the EM fixed point of
    ``cfa_fiml.em`` (same start, same steps, same stopping rule: an EM step changing no estimate by
    ``tol`` or more), reached in fewer steps by SQUAREM's extrapolation (Varadhan & Roland 2008, scheme
    S3): from three EM iterates it jumps along the path, and the EM step from the jump decides whether
    the jump is taken (its change must be smaller than the first step's, and the covariance matrix
    positive definite), else the second iterate is.  Returns ``Moments(n, mean, cov)``.
    """
    p = X.shape[1]
    parts = _em_parts(pats, p)
    theta = np.concatenate([np.nanmean(X, axis=0), np.diag(np.nanvar(X, axis=0)).ravel()])

    def em(t):
        mu, S = _em_step(t[:p], t[p:].reshape(p, p), parts)
        return np.concatenate([mu, S.ravel()])

    steps = 0
    while steps < max_steps:
        t1 = em(theta)
        r = t1 - theta
        steps += 1
        if np.abs(r).max() < tol:
            theta = t1
            break
        t2 = em(t1)
        steps += 1
        v = t2 - t1 - r
        if np.abs(t2 - t1).max() < tol:
            theta = t2
            break
        alpha = min(-1.0, -np.linalg.norm(r) / np.linalg.norm(v)) if np.linalg.norm(v) > 0 else -1.0
        jump = theta - 2 * alpha * r + alpha * alpha * v
        S = jump[p:].reshape(p, p)
        if alpha < -1.0 and np.all(np.linalg.eigvalsh((S + S.T) / 2) > 0):
            t3 = em(jump)
            steps += 1
            change = np.abs(t3 - jump).max()
            if change < np.abs(r).max():
                if change < tol:
                    theta = t3
                    break
                theta = t3
                continue
        theta = t2
    return _fiml._model.Moments(int(parts[0]), theta[:p], theta[p:].reshape(p, p))
