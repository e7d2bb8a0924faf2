"""Chi-square, noncentral chi-square and normal tails and Brent's root-finder without SciPy, against SciPy.

References are computed here by SciPy: ``special.gammainc`` / ``gammaincc`` / ``chdtrc`` / ``ndtr``,
``stats.ncx2.cdf`` and ``optimize.brentq``.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, special, stats

from coprod.analysis.stats import chisq

SHAPES = [0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 12.5, 25.5, 50.0, 100.0, 300.0, 1000.0, 5e3, 5e4]


def _close(mine, ref, rel=1e-10, tiny=1e-280):
    """Relative agreement (absolute below ``tiny``, where SciPy itself underflows)."""
    return abs(mine - ref) <= rel * abs(ref) or (abs(ref) < tiny and abs(mine) < tiny)


@pytest.mark.parametrize("a", SHAPES)
def test_incomplete_gamma_agrees_with_scipy(a):
    sd = math.sqrt(a)  # a > 100: Stirling's error and bd0 in the front (lgamma's difference lost 8e-11 at 5e4)
    far = [a - 5 * sd, a + 5 * sd] if a > 100 else []  # (at a = 5e5 SciPy's gammainc itself is 8e-9 off R's pgamma)
    for x in [1e-8, 0.01, 0.5, 1.0, 2.0, a / 2, a, a + 1, 1.5 * a, 3 * a, a + 20, a + 200, 500.0, *far]:
        assert _close(chisq.gamma_p(a, x), special.gammainc(a, x)), (a, x)
        assert _close(chisq.gamma_q(a, x), special.gammaincc(a, x)), (a, x)


def test_chisq_and_normal_tails_agree_with_scipy():
    for df in [1, 2, 3, 6, 12, 18, 30, 57, 120, 401]:
        for x in [0.0, 1e-6, 0.3, 1.0, df / 2, df, 2 * df, df + 50, 400.0]:
            assert _close(chisq.chisq_sf(x, df), special.chdtrc(df, x)), (df, x)
    for z in [0.0, 0.1, 1.0, 1.959963984540054, 3.5, 8.0, 20.0, -2.0]:
        assert _close(chisq.normal_sf(z), special.ndtr(-z), rel=1e-12), z
    assert math.isnan(chisq.chisq_sf(math.nan, 3))


@pytest.mark.parametrize("df", [1, 2, 3, 5, 6, 12, 18, 24, 30, 57, 100, 300])
def test_noncentral_chisq_cdf_agrees_with_scipy(df):
    for nc in [1e-3, 0.5, 1.0, 3.0, 10.0, 50.0, 79.0, 81.0, 100.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0]:
        sd = math.sqrt(2 * (df + 2 * nc))
        for x in [0.1, 1.0, df, df + nc / 2, df + nc - sd, df + nc, df + nc + 3 * sd, 2 * (df + nc) + 10]:
            ref = float(stats.ncx2.cdf(x, df, nc))
            mine = chisq.ncx2_cdf(x, df, nc)
            if ref > 1e-10:
                assert mine == pytest.approx(ref, rel=1e-10), (x, df, nc)
            else:  # a far lower tail, where SciPy is off by more (tests/test_specfun.py checks R there)
                assert abs(mine - ref) < 1e-18, (x, df, nc)
    assert chisq.ncx2_cdf(0.0, df, 3.0) == 0.0
    assert chisq.ncx2_cdf(7.5, df, 0.0) == pytest.approx(float(special.chdtr(df, 7.5)), rel=1e-12)


def test_brentq_is_scipys():
    """The same iterates as scipy.optimize.brentq, so the same roots; f(a), f(b) given change nothing."""
    cases = [(lambda v: v * v - 2.0, 0.0, 2.0), (lambda v: math.cos(v) - v, 0.0, 1.0),
             (lambda v: math.exp(v) - 1e6, 0.0, 50.0), (lambda v: v ** 3 - 0.2, -1.0, 2.0),
             (lambda v: chisq.ncx2_cdf(40.0, 10, v) - 0.05, 0.0, 400.0),
             (lambda v: chisq.ncx2_cdf(95.0, 24, v) - 0.95, 0.0, 95.0)]
    for f, a, b in cases:
        assert chisq.brentq(f, a, b) == optimize.brentq(f, a, b, xtol=1e-13, rtol=1e-15, maxiter=500)
        assert chisq.brentq(f, a, b, xtol=1e-12) == optimize.brentq(f, a, b, xtol=1e-12, rtol=1e-15, maxiter=500)
        assert chisq.brentq(f, a, b, xtol=1e-12, fa=f(a), fb=f(b)) == chisq.brentq(f, a, b, xtol=1e-12)
    assert chisq.brentq(lambda v: v - 1.0, 1.0, 3.0) == 1.0
    with pytest.raises(ValueError):
        chisq.brentq(lambda v: v * v + 1.0, -1.0, 1.0)


def test_rmsea_interval_agrees_with_scipy_root_finding():
    """cfa_fit.rmsea_ci against the same interval from scipy.stats.ncx2 and brentq (lavaan's definition)."""
    from coprod.analysis.stats.cfa_fit import rmsea_ci

    for x2, df, n, groups in [(62.95, 10, 257, 2), (4.09, 6, 257, 3), (150.0, 24, 800, 3), (19.99, 30, 400, 2)]:
        def ref_root(p, upper):
            f = lambda lam: stats.ncx2.cdf(x2, df, lam) - p if lam > 0 else stats.chi2.cdf(x2, df) - p  # noqa: E731
            return optimize.brentq(f, 0.0, upper, xtol=1e-12) if f(0.0) * f(upper) < 0 else 0.0
        lo_lam, hi_lam = ref_root(0.95, x2), ref_root(0.05, max(n, 4 * x2))
        lo, hi = rmsea_ci(x2, df, n, groups)
        assert lo == pytest.approx(np.sqrt(lo_lam / (n * df)) * np.sqrt(groups), rel=1e-9, abs=1e-12)
        assert hi == pytest.approx(np.sqrt(hi_lam / (n * df)) * np.sqrt(groups), rel=1e-9, abs=1e-12)


def test_poisson_mixture_in_arrays_equals_the_loop(monkeypatch):
    # above chisq._ARRAYS_FROM the mixture is summed in blocks of NumPy arrays; the reference is the loop
    # of Python steps (the same recurrences), forced by raising the threshold: equal to the last bit
    import math

    import numpy as np

    from coprod.analysis.stats import chisq, specfun

    rng = np.random.default_rng(3)
    f_cases = [(float(rng.choice([1, 2, 3, 5, 10])), float(rng.choice([20, 200, 5000, 2e5])),
                float(10 ** rng.uniform(1.5, 5))) for _ in range(300)]
    f_cases = [(d1, d2, nc, float(rng.uniform(0.2, 3)) * (1 + nc / d1)) for d1, d2, nc in f_cases]
    c_cases = [(float(rng.choice([1, 2, 5, 20])), float(10 ** rng.uniform(1.5, 4.5))) for _ in range(300)]
    c_cases = [(nc * float(rng.uniform(0.5, 1.5)) + df, df, nc) for df, nc in c_cases]

    def values():
        return [specfun.ncfdtr(*c) for c in f_cases] + [specfun.chndtr(*c) for c in c_cases]

    monkeypatch.setattr(chisq, "_ARRAYS_FROM", 0.0)  # every mixture in arrays (the means here are 15 and more)
    fast = values()
    monkeypatch.setattr(chisq, "_ARRAYS_FROM", math.inf)
    assert fast == values()
