"""The scipy.special functions of analysis.stats.specfun against SciPy (computed here) and R (values written down).

Worst relative differences from SciPy seen over these grids (SciPy 1.17): gammaln 2.4e-15, ndtr 0 (the
same values: Cephes' approximations evaluated in the same order), ndtri 6.2e-16, chdtr 2.8e-13, chdtrc
2.0e-13, chndtr 1.9e-13, fdtr 2.7e-12, fdtrc 5.5e-12, fdtri 3.3e-12, ncfdtr 1.8e-12, stdtr 3.5e-11
(df 1e6), stdtrit 3.6e-12.  Where SciPy itself is off (R and a direct sum agree), the values are R's.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import special

from coprod.analysis.stats import specfun

RTOL = 1e-10


def _check(name, mine, ref, args, rtol=RTOL):
    """Relative agreement; where SciPy underflows to 0 (or gives NaN for a value below 1e-250), ours must be
    below 1e-250 too."""
    mine, ref = float(mine), float(ref)
    if math.isnan(ref) or ref == 0.0:
        assert (math.isnan(ref) and math.isnan(mine)) or mine == ref or abs(mine) < 1e-250, (name, args, mine, ref)
        return
    assert abs(mine - ref) <= rtol * abs(ref), (name, args, mine, ref, abs(mine - ref) / abs(ref))


def _scipy(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(special, f)(*args)


def test_gammaln():
    xs = [*range(1, 3000), *(k + 0.5 for k in range(3000)), *np.geomspace(1e-8, 1e6, 300).tolist()]
    for x in xs:
        if 0.8 < x < 2.3 and x not in (1, 1.5, 2):  # near its zeros the error is absolute (~1e-16)
            assert abs(specfun.gammaln(x) - special.gammaln(x)) < 1e-15, x
            continue
        _check("gammaln", specfun.gammaln(x), special.gammaln(x), x)
    arr = np.arange(0, 40)  # as Fisher's tests call it: integers, arrays
    np.testing.assert_allclose(specfun.gammaln(arr + 1), special.gammaln(arr + 1), rtol=1e-14)
    assert specfun.gammaln(arr).shape == (40,) and isinstance(specfun.gammaln(np.int64(7)), np.float64)
    for x in [0.0, -1.0, -3.0, np.inf, -np.inf, np.nan, -0.5, 1e-300]:
        ref = float(_scipy("gammaln", x))
        assert float(specfun.gammaln(x)) == pytest.approx(ref, rel=1e-14, nan_ok=True), x


def test_ndtr_arrays_and_scalars():
    xs = np.concatenate([np.linspace(-38.5, 38.5, 20001), np.geomspace(1e-300, 1, 50), -np.geomspace(1e-300, 1, 50),
                         [np.nan, np.inf, -np.inf, -40.0, 40.0, 1e300, -1e300]])
    mine, ref = specfun.ndtr(xs), special.ndtr(xs)
    np.testing.assert_allclose(mine, ref, rtol=1e-14, atol=0)  # seen: identical
    assert np.array_equal(np.isnan(mine), np.isnan(ref))
    block = xs[:600].reshape(5, 4, 30)  # any shape, as studentized.py's (rows, nodes, 1) arrays
    assert specfun.ndtr(block).shape == block.shape
    np.testing.assert_allclose(specfun.ndtr(block), special.ndtr(block), rtol=1e-14, atol=0)
    for x in xs[::37].tolist() + [np.nan, np.inf, -np.inf]:  # the scalar path: the same formulas
        mine_s = specfun.ndtr(x)
        assert isinstance(mine_s, np.float64)
        assert float(mine_s) == pytest.approx(float(special.ndtr(x)), rel=1e-14, abs=0, nan_ok=True), x
    assert float(specfun.ndtr(-8.0)) == pytest.approx(6.2209605742717849e-16, rel=1e-13)  # R: pnorm(-8)
    assert float(specfun.ndtr(-37.5)) == pytest.approx(4.6053530095819552e-308, rel=1e-10)  # R: pnorm(-37.5)


def test_ndtri():
    ps = [*np.geomspace(1e-300, 0.5, 400), *(1 - np.geomspace(1e-16, 0.5, 200)), *np.linspace(0.01, 0.99, 99)]
    for p in ps:
        _check("ndtri", specfun.ndtri(p), special.ndtri(p), p, rtol=1e-14)
    assert float(specfun.ndtri(1e-300)) == pytest.approx(-37.047096299361201, rel=1e-14)  # R: qnorm(1e-300)
    for p in [0.0, 1.0, 0.5, -0.1, 1.1, np.nan]:
        assert float(specfun.ndtri(p)) == pytest.approx(float(_scipy("ndtri", p)), nan_ok=True), p


DF = [0.1, 0.5, 1, 1.5, 2, 3, 4.5, 7, 10, 29.5, 100, 301, 1e3, 1e4, 1e5]


def test_chdtr_and_chdtrc():
    for df in DF:
        sd = math.sqrt(2 * df)
        for x in [1e-10, 1e-3, 0.1, 1, df / 4, df / 2, df - 3 * sd, df - sd, df, df + sd, df + 3 * sd, df + 6 * sd,
                  df + 10 * sd, 2 * df + 50, 5 * df + 200]:
            if x > 0:
                _check("chdtr", specfun.chdtr(df, x), special.chdtr(df, x), (df, x))
                _check("chdtrc", specfun.chdtrc(df, x), special.chdtrc(df, x), (df, x))
    # a million df, 5 SD below the mean: SciPy's gammainc is 8e-9 off here; R: pchisq(2 * 496464.46609406726, 1e6)
    assert float(specfun.chdtr(1e6, 2 * 496464.46609406726)) == pytest.approx(2.7023027943305725e-07, rel=1e-12)
    for v, x in [(0, 1.0), (0, 0.0), (-1, 1.0), (3, -1.0), (3, 0.0), (3, np.inf), (3, np.nan), (np.nan, 1.0),
                 (np.inf, 1.0), (1, -1e-17)]:
        for f in ("chdtr", "chdtrc"):
            assert float(getattr(specfun, f)(v, x)) == pytest.approx(float(_scipy(f, v, x)), nan_ok=True), (f, v, x)


def test_chndtr():
    for df in [0.5, 1, 2, 3, 5.5, 10, 30, 100, 1000]:
        for nc in [0.0, 1e-3, 0.5, 1, 3, 10, 50, 100, 250, 1000, 5000, 2e4]:
            mu, sd = df + nc, math.sqrt(2 * (df + 2 * nc))
            for x in [1e-3, 0.5, 1, df, mu - 6 * sd, mu - 3 * sd, mu - sd, mu, mu + sd, mu + 3 * sd, mu + 6 * sd,
                      mu + 10 * sd]:
                if x <= 0 or (x, df, nc) == (1, 57, 250):  # SciPy 7e-7 off: below
                    continue
                ref = _scipy("chndtr", x, df, nc)
                if ref == 0.0:  # SciPy gives 0 in far lower tails (9e-56 by R, below)
                    assert float(specfun.chndtr(x, df, nc)) < 1e-50, (x, df, nc)
                else:
                    _check("chndtr", specfun.chndtr(x, df, nc), ref, (x, df, nc))
    # far lower tails, where SciPy is 7e-7 off (and 0): R and the direct sum of the mixture agree
    # R: pchisq(1, 57, ncp = 250), pchisq(0.001, 0.5, ncp = 250), pchisq(9, 10, ncp = 30)
    assert float(specfun.chndtr(1.0, 57, 250)) == pytest.approx(3.9892938310464263e-93, rel=1e-12)
    assert float(specfun.chndtr(1e-3, 0.5, 250)) == pytest.approx(8.9545196047070151e-56, rel=1e-12)
    assert float(specfun.chndtr(9.0, 10, 30)) == pytest.approx(0.00016782364905492392, rel=1e-10)
    for args in [(1.0, 0, 1.0), (-1.0, 3, 1.0), (0.0, 3, 1.0), (np.inf, 3, 1.0), (np.nan, 3, 1.0), (1.0, 3, -1.0),
                 (1.0, -1, 1.0), (1.0, 3, np.inf), (1.0, np.inf, 1.0), (1.0, 3, np.nan)]:
        assert float(specfun.chndtr(*args)) == pytest.approx(float(_scipy("chndtr", *args)), nan_ok=True), args


FD = [0.5, 1, 2, 3, 4.5, 10, 30.5, 100, 1000, 1e4, 1e5]


def test_fdtr_fdtrc_fdtri():
    for d1 in FD:
        for d2 in FD:
            for x in [1e-8, 1e-3, 0.1, 0.5, 1, 1.5, 3, 5, 10, 50, 1e3, 1e6]:
                _check("fdtr", specfun.fdtr(d1, d2, x), _scipy("fdtr", d1, d2, x), (d1, d2, x))
                _check("fdtrc", specfun.fdtrc(d1, d2, x), _scipy("fdtrc", d1, d2, x), (d1, d2, x))
            for p in [1e-10, 0.001, 0.025, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999, 1 - 1e-10]:
                _check("fdtri", specfun.fdtri(d1, d2, p), special.fdtri(d1, d2, p), (d1, d2, p))
    # R: qf(1e-10, 100, 0.5)
    assert float(specfun.fdtri(100, 0.5, 1e-10)) == pytest.approx(0.010407174711948115, rel=1e-12)
    for f in ("fdtr", "fdtrc", "fdtri"):
        for args in [(0, 1, 0.5), (1, 0, 0.5), (1, 1, -1.0), (1, 1, 0.0), (1, 1, 1.0), (1, 1, np.inf), (1, 1, np.nan),
                     (1, np.inf, 0.5), (np.inf, 1, 0.5), (np.nan, 1, 0.5), (1, np.nan, 0.5), (2, 5, 1.5)]:
            assert float(getattr(specfun, f)(*args)) == pytest.approx(float(_scipy(f, *args)), nan_ok=True), (f, args)


def test_ncfdtr():
    for d1 in [1, 2, 3, 5.5, 10, 50, 300]:
        for d2 in [1, 2.5, 5, 30, 300, 1e4]:
            for nc in [0.0, 1e-3, 0.5, 5, 20, 50, 500, 5000]:
                mean = (d2 / max(d2 - 2, 0.5)) * (d1 + nc) / d1
                for f in [1e-6, 1e-2, 0.1, 0.5, 1, 2, *(mean * c for c in (0.25, 0.5, 1, 2, 4, 10, 100))]:
                    if d2 == 1e4 and nc == 5000 and f < mean / 2:
                        continue  # ~1e-258, SciPy's 1e-108 and more: the direct sum below
                    _check("ncfdtr", specfun.ncfdtr(d1, d2, nc, f), _scipy("ncfdtr", d1, d2, nc, f), (d1, d2, nc, f))
    # a far lower tail (SciPy: 6.8e-108) against the mixture summed term by term, k = 0 .. 6000
    from coprod.analysis.stats import chisq, tdist

    d1, d2, nc, f = 1, 1e4, 5000.0, 1250.5
    x, y = d1 * f / (d1 * f + d2), d2 / (d1 * f + d2)
    direct = sum(chisq.poisson_weight(k, nc / 2) * tdist.betainc(d1 / 2 + k, d2 / 2, x, y) for k in range(6000))
    assert 1e-260 < direct < 1e-250 and float(specfun.ncfdtr(d1, d2, nc, f)) == pytest.approx(direct, rel=1e-12)
    # R's pnbeta stops once its error bound is below 1e-9 (these two are 1.5e-10 and 3.5e-9 below SciPy's
    # and ours): R: pf(4, 2, 5, ncp = 3), pf(12.85, 2, 5, ncp = 40)
    assert float(specfun.ncfdtr(2, 5, 3.0, 4.0)) == pytest.approx(0.69463942447887272, rel=1e-9)
    assert float(specfun.ncfdtr(2, 5, 40.0, 12.85)) == pytest.approx(0.19453358016820493, rel=1e-8)
    for args in [(0, 1, 1, 1.0), (1, 0, 1, 1.0), (1, 1, -1, 1.0), (1, 1, 0, 1.0), (1, 1, 1, -1.0), (1, 1, 1, 0.0),
                 (1, 1, 1, np.inf), (1, 1, 1, np.nan), (1, 1, np.nan, 1.0), (1, np.inf, 1, 2.0), (np.inf, 1, 1, 2.0),
                 (1, 1, np.inf, 2.0)]:
        assert float(specfun.ncfdtr(*args)) == pytest.approx(float(_scipy("ncfdtr", *args)), nan_ok=True), args


def test_stdtr():
    for df in [0.3, 0.5, 1, 1.5, 2, 3, 5, 9.5, 30, 120, 1000, 1e5, 1e6, 1e11, 1e20, np.inf]:
        for t in [-1e10, -1e3, -40, -10, -5, -2.5, -1, -0.1, 0, 0.5, 1.96, 4, 30, 1e4]:
            if df > 1e6 and abs(t) > 20:
                continue  # the normal with its 1/df term: relative error ~ t^8 / df^2
            _check("stdtr", specfun.stdtr(df, t), special.stdtr(df, t), (df, t))
    # SciPy's stdtr(1, -1e-8) is 5e-9 off; Cauchy: 1/2 + atan(t) / pi; R: pt(-1e-8, 1)
    assert float(specfun.stdtr(1, -1e-8)) == pytest.approx(0.4999999968169011, rel=1e-15)
    assert float(specfun.stdtr(1e12, -20.0)) == pytest.approx(2.7536242293011976e-89, rel=1e-12)  # R: pt(-20, 1e12)
    for args in [(0, 1.0), (-1, 1.0), (1, np.inf), (1, -np.inf), (1, np.nan), (np.inf, 1.0), (np.nan, 1.0)]:
        assert float(specfun.stdtr(*args)) == pytest.approx(float(_scipy("stdtr", *args)), nan_ok=True), args


def test_stdtrit_arrays_and_scalars():
    dfs = np.array([0.3, 0.5, 1, 1.5, 2, 3, 5, 9.5, 30, 120, 1000, 1e5, 1e6, 2e6, 1e20, np.inf, 3, 1])
    for p in [1e-12, 1e-4, 0.01, 0.025, 0.3, 0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 1 - 1e-10]:
        mine, ref = specfun.stdtrit(dfs, p), special.stdtrit(dfs, p)
        assert mine.shape == dfs.shape
        for d, m, r in zip(dfs, mine, ref):
            _check("stdtrit", m, r, (d, p))
            assert specfun.stdtrit(d, p) == m
    assert float(specfun.stdtrit(0.5, 0.975)) == pytest.approx(164.55767348049446, rel=1e-10)  # R: qt(0.975, 0.5)
    assert float(specfun.stdtrit(3, 1e-12)) == pytest.approx(-10331.108244292485, rel=1e-10)  # R: qt(1e-12, 3)
    for args in [(0, 0.5), (-1, 0.9), (1, 0.0), (1, 1.0), (1, np.nan), (np.nan, 0.975), (1, 0.5)]:
        assert float(specfun.stdtrit(*args)) == pytest.approx(float(_scipy("stdtrit", *args)), nan_ok=True), args


def test_scalars_give_numpy_floats_and_arrays_map():
    for f, args in [("ndtri", (0.9,)), ("chdtr", (3, 2.0)), ("chdtrc", (3, 2.0)), ("chndtr", (2.0, 3, 1.0)),
                    ("fdtr", (2, 9, 1.5)), ("fdtrc", (2, 9, 1.5)), ("fdtri", (2, 9, 0.95)),
                    ("ncfdtr", (2, 9, 3.0, 1.5)),
                    ("stdtr", (9, -1.5)), ("stdtrit", (9, 0.95)), ("gammaln", (4.5,)), ("ndtr", (0.3,))]:
        out = getattr(specfun, f)(*args)
        assert isinstance(out, np.float64), f
        arr = getattr(specfun, f)(*(np.array([a, a]) if i == 0 else a for i, a in enumerate(args)))
        assert arr.shape == (2,) and arr[0] == out, f
