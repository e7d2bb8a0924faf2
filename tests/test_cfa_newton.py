"""The CFA estimation itself: the stacked (all groups at once) discrepancy against the per-group formulas,
the exact Hessian against differences of the gradient, and Newton's method with its SciPy fallback.

The estimates themselves are checked against R's lavaan in tests/test_cfa.py.
"""
from __future__ import annotations

import numpy as np
import pytest

from coprod.analysis.stats import cfa_model as m


def _moments(seed=3, sizes=(200, 150, 120), p=5):
    rng = np.random.default_rng(seed)
    lam = np.array([1.0, 0.8, 1.2, 0.9, 0.7, 1.1])[:p]
    out = []
    for g, n in enumerate(sizes):
        f = rng.normal(loc=0.2 * g, size=n)
        X = 3.0 + np.outer(f, lam) + rng.normal(size=(n, p)) * 0.6
        out.append(m.Moments.of(X))
    return out


def _per_group(lay, moments, x):
    """F, gradient, Hessian and expected information summed group by group (cfa_model's one-group functions)."""
    P, p = lay.unpack(x), lay.p
    N = sum(mo.n for mo in moments)
    f, grad, H, info = 0.0, 0.0, 0.0, 0.0
    for g, mo in enumerate(moments):
        A = lay.jacobian(g)
        Sigma, mu = m.implied(P[g], p)
        fg, G, gm = m.discrepancy(Sigma, mu, mo)
        dS, dm = m.derivatives(P[g], p)
        f += mo.n * fg / N
        grad = grad + A.T @ (mo.n * (np.einsum("kij,ij->k", dS, G) + dm @ gm)) / N
        H = H + A.T @ (mo.n * m.hessian(P[g], p, mo)) @ A / N
        info = info + A.T @ m.information(P[g], p, mo.n) @ A
    return f, grad, H, info


@pytest.mark.parametrize("level", m.LEVELS)
@pytest.mark.parametrize("identification", m.IDENTIFICATIONS)
def test_stacked_groups_equal_the_per_group_formulas(level, identification):
    moments = _moments()
    lay = m.layout(5, 3, level, identification)
    obj = m.Objective(lay, moments)
    rng = np.random.default_rng(5)
    x0 = m.start_values(lay, moments)
    for x in (x0, x0 + rng.normal(scale=0.05, size=x0.shape)):
        f, g, H = obj.evaluate(x)
        f_ref, g_ref, H_ref, info_ref = _per_group(lay, moments, x)
        assert f == pytest.approx(f_ref, rel=1e-12)
        np.testing.assert_allclose(g, g_ref, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(H, H_ref, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(obj.information(x), info_ref, rtol=1e-9, atol=1e-9)


def test_negative_residual_variance_takes_the_general_inverse():
    """A Heywood case (theta < 0 with Sigma still positive definite) is inverted by Cholesky, not Sherman-Morrison."""
    moments = _moments(sizes=(300,), p=4)
    lay = m.layout(4, 1, "configural")
    obj = m.Objective(lay, moments)
    P = lay.unpack(m.start_values(lay, moments))
    P[0, 8] = -0.01  # the first residual variance; psi lambda_1^2 keeps Sigma_11 positive
    x = lay.pack(P)
    assert np.all(np.linalg.eigvalsh(m.implied(P[0], 4)[0]) > 0)
    f, g, H = obj.evaluate(x)
    f_ref, g_ref, H_ref, _ = _per_group(lay, moments, x)
    assert f == pytest.approx(f_ref, rel=1e-12)
    np.testing.assert_allclose(H, H_ref, rtol=1e-9, atol=1e-12)
    P[0, 8] = -10.0  # Sigma not positive definite: outside the model
    assert obj.evaluate(lay.pack(P))[0] == np.inf


def test_hessian_is_the_derivative_of_the_gradient():
    moments = _moments()
    lay = m.layout(5, 3, "scalar", "variance")
    obj = m.Objective(lay, moments)
    x = m.start_values(lay, moments)
    H = obj.hessian(x)
    h = 1e-6
    for i in range(lay.npar):
        e = np.zeros_like(x)
        e[i] = h
        col = (obj(x + e)[1] - obj(x - e)[1]) / (2 * h)
        np.testing.assert_allclose(H[:, i], col, rtol=1e-5, atol=1e-7)


def test_newton_converges_tightly_and_the_fallback_takes_over(monkeypatch):
    moments = _moments()
    lay = m.layout(5, 3, "metric")
    est = m.fit(lay, moments)
    _, g = m.Objective(lay, moments)(est.x)
    assert est.converged and np.max(np.abs(g)) < 1e-10
    # from a poor start (all loadings 3, variances 5) too
    P = lay.unpack(est.x)
    P[:, 1:5], P[:, 10:15] = 3.0, 5.0
    far = m.fit(lay, moments, lay.pack(P))
    assert far.converged and far.chisq == pytest.approx(est.chisq, rel=1e-10)

    def stalled(obj, x, **kw):  # a Newton iteration that gets nowhere: SciPy's trust region finishes the fit
        f, g = obj(x)
        return x, f, g

    monkeypatch.setattr(m, "newton", stalled)
    rescued = m.fit(lay, moments)
    assert rescued.converged and rescued.chisq == pytest.approx(est.chisq, rel=1e-8)
    np.testing.assert_allclose(rescued.x, est.x, rtol=1e-6, atol=1e-8)
