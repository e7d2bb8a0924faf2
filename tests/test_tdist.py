"""Student's t quantile and the incomplete beta function without SciPy, against SciPy and R.

References are computed here: SciPy's ``stdtrit`` / ``betainc`` (the functions scipy.stats.t calls)
and R's ``qt`` / ``pt`` (skipped without R).
"""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
from scipy import special

from coprod.analysis.stats import tdist

RSCRIPT = shutil.which("Rscript")
DFS = np.concatenate([np.arange(1.0, 61.0), [75.5, 120.0, 299.0, 1000.5, 5e4, 2e5, 1e6, 3e6, 1e9, 1e15]])


@pytest.mark.parametrize("p", [0.6, 0.9, 0.95, 0.975, 0.99, 0.995, 0.9995, 0.9999999])
def test_quantile_agrees_with_scipy(p):
    np.testing.assert_allclose(tdist.t_quantile(DFS, p), special.stdtrit(DFS, p), rtol=1e-11, atol=0)


def test_betainc_agrees_with_scipy():
    for a, b, x in [(2.0, 3.0, 0.4), (5.0, 0.5, 0.9), (5.0, 0.5, 0.3), (50.0, 0.5, 0.95), (0.5, 5.0, 0.1),
                    (1e5, 0.5, 0.99999), (3.5, 0.5, 1e-8)]:
        assert tdist.betainc(a, b, x) == pytest.approx(float(special.betainc(a, b, x)), rel=1e-12)
    for a, b in [(60.0, 45.0), (5e3, 0.5), (5e3, 1.0), (5e4, 5e4), (5e5, 2.5), (1.5, 2e5)]:  # large: Stirling's front
        mu, sd = a / (a + b), np.sqrt(a * b / (a + b) ** 3)
        for x in [mu - 5 * sd, mu - sd, mu, mu + sd, mu + 5 * sd]:
            if 0 < x < 1:  # worst seen: 4e-12 (5e4, 5e4); lgamma differences gave 3.5e-10 there
                assert tdist.betainc(a, b, x) == pytest.approx(float(special.betainc(a, b, x)), rel=1e-10), (a, b, x)


def test_edges():
    out = tdist.t_quantile(np.array([0.0, 0.5, np.nan, np.inf, 1.0]), 0.975)
    assert np.isnan(out[:4]).all() and out[4] == pytest.approx(12.706204736174707, rel=1e-14)
    assert tdist.betainc(2.0, 3.0, 0.0) == 0.0 and tdist.betainc(2.0, 3.0, 1.0) == 1.0


@pytest.mark.skipif(RSCRIPT is None, reason="R (Rscript) is not installed")
def test_agrees_with_r_qt():
    dfs = [1.0, 2.0, 3.0, 7.0, 29.0, 299.0, 4999.0, 2e5]
    ps = [0.95, 0.975, 0.995]
    call = "cat(sprintf('%.17g', c(" + ", ".join(f"qt({p}, {d!r})" for d in dfs for p in ps) + ")), sep='\\n')"
    got = subprocess.run([RSCRIPT, "-e", call], capture_output=True, text=True, check=True).stdout.split()
    ours = [float(tdist.t_quantile(np.array([d]), p)[0]) for d in dfs for p in ps]
    np.testing.assert_allclose(ours, [float(v) for v in got], rtol=1e-10)


F_DFS = [1.0, 2.0, 3.0, 9.0, 29.0, 299.0, 4999.0, 2e5]


@pytest.mark.parametrize("p", [0.005, 0.025, 0.05, 0.5, 0.95, 0.975, 0.995])
def test_f_quantile_agrees_with_scipy(p):
    for d1 in F_DFS:
        for d2 in F_DFS + [1.8e6]:
            assert tdist.f_quantile(d1, d2, p) == pytest.approx(float(special.fdtri(d1, d2, p)), rel=1e-8), (d1, d2)
    assert np.isnan(tdist.f_quantile(0.0, 5.0, p))


@pytest.mark.skipif(RSCRIPT is None, reason="R (Rscript) is not installed")
def test_f_quantile_agrees_with_r_qf():
    cases = [(d1, d2, p) for d1 in (1.0, 4.0, 299.0) for d2 in (2.0, 20.0, 2691.0) for p in (0.025, 0.975)]
    call = "cat(sprintf('%.17g', c(" + ", ".join(f"qf({p}, {a!r}, {b!r})" for a, b, p in cases) + ")), sep='\\n')"
    got = subprocess.run([RSCRIPT, "-e", call], capture_output=True, text=True, check=True).stdout.split()
    np.testing.assert_allclose([tdist.f_quantile(a, b, p) for a, b, p in cases], [float(v) for v in got], rtol=1e-9)


def test_minres_newton_polish_equals_minpack_root():
    # the polish of reliability's one-factor minres fit: Newton's method here, MINPACK's hybrid method before
    from scipy import optimize

    from coprod.analysis.stats import reliability

    rng = np.random.default_rng(3)
    for _ in range(40):  # three items or more: with two, every l1 l2 = r12 is a root (not identified)
        k = int(rng.integers(3, 12))
        x = rng.normal(size=(int(rng.integers(30, 400)), 1)) * rng.uniform(0.3, 0.9, size=k)
        R = np.corrcoef(x + rng.normal(size=x.shape) * rng.uniform(0.4, 1.2), rowvar=False)
        ours = reliability.minres_loadings(R)
        off = R - np.diag(np.diag(R))
        sol = optimize.root(lambda v: off @ v - v * ((v ** 2).sum() - v ** 2), ours + 1e-4, method="hybr",
                            options={"xtol": 1e-14})
        np.testing.assert_allclose(ours, sol.x, rtol=1e-10, atol=1e-12)


def test_t_quantile_expansion_from_df_10000_matches_stdtrit():
    # from df 10,000 the quantile is the Cornish-Fisher expansion to 1/df^4 (Abramowitz and Stegun 26.7.5),
    # checked against scipy.special.stdtrit: within 2e-15 (observed), where the root of the tail it
    # replaces was within 3e-12 (its continued fraction converges slowly at a large df)
    from coprod.analysis.stats import tdist

    tdist._quantile_one.cache_clear()
    for df in (1e4, 2.5e4, 66_666.0, 1e5, 1e6, 1e9):
        for p in (0.6, 0.9, 0.975, 0.995, 0.9999999):
            assert tdist._quantile_one(df, p) == pytest.approx(float(special.stdtrit(df, p)), rel=2e-15), (df, p)


def test_quantiles_take_few_evaluations_of_the_tail(monkeypatch):
    # Halley's steps from Cornish-Fisher (t) or AS 109 (beta): a handful of incomplete-beta evaluations a
    # quantile (Newton's from the mean took 17 for the beta on average, and 400 where it cycled on an ulp)
    calls = []
    real = tdist.betainc
    monkeypatch.setattr(tdist, "betainc", lambda *a: calls.append(a) or real(*a))
    tdist._quantile_one.cache_clear()
    tdist.beta_quantile.cache_clear()
    for df in range(3, 300, 7):
        tdist._quantile_one(float(df), 0.975)
    assert len(calls) <= 5 * len(range(3, 300, 7))
    calls.clear()
    cases = [(d1 / 2, d2 / 2, p) for d1 in (1, 3, 4.5, 9, 54, 150) for d2 in (2, 9, 87, 299, 2691)
             for p in (0.025, 0.975)]
    for a, b, p in cases:
        assert tdist.beta_quantile(a, b, p) == pytest.approx(float(special.betaincinv(a, b, p)), rel=1e-12)
    assert len(calls) <= 6 * len(cases)
    tdist._quantile_one.cache_clear()
    tdist.beta_quantile.cache_clear()
