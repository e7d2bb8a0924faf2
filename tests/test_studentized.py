"""The studentized range by fixed quadrature against its exact form (k = 2), SciPy and R.

Reference values are computed here: SciPy's integrating ``studentized_range``, R's ``ptukey`` /
``qtukey`` (skipped without R), and for two groups the closed form Q = sqrt(2) |t_df|.
"""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
from scipy import stats

from coprod.analysis.stats import studentized

RSCRIPT = shutil.which("Rscript")
DFS = [2.0, 2.5, 3.0, 5.0, 10.0, 30.0, 100.0, 1000.0, 5e4, 99999.0]


@pytest.mark.parametrize("df", DFS)
def test_two_groups_exact(df):
    q = np.array([0.05, 0.5, 1.0, 2.0, 3.0, 4.5, 7.0, 12.0, 20.0])
    exact = 2 * stats.t.sf(q / np.sqrt(2), df)
    np.testing.assert_allclose(studentized.sf(q, 2, df), exact, rtol=1e-9, atol=0)
    for p in (0.9, 0.95, 0.99):
        assert studentized.ppf(p, 2, df)[0] == pytest.approx(np.sqrt(2) * stats.t.ppf((1 + p) / 2, df), rel=1e-11)


# k 2..50, df 2..inf (1e5 and above is the infinite-df form, as SciPy), the levels of a CI
GRID = [(3, 2.0, 0.95), (3, 7.5, 0.9), (3, 120.0, 0.99), (3, 2e5, 0.95), (4, 1500.0, 0.95), (5, 3.0, 0.99),
        (6, 30000.0, 0.95), (10, 12.0, 0.95), (20, 60.0, 0.9), (50, 2.0, 0.95), (50, 400.0, 0.99)]


@pytest.mark.parametrize("k,df,p", GRID)
def test_quantile_and_tail_agree_with_scipy(k, df, p):
    ours = studentized.ppf(p, k, [df])[0]
    assert ours == pytest.approx(float(stats.studentized_range.ppf(p, k, df)), rel=1e-9)
    q = np.array([0.7, 0.6, 1.0, 1.4]) * ours
    theirs = np.array([stats.studentized_range.sf(v, k, df) for v in q])
    np.testing.assert_allclose(studentized.sf(q, k, df), theirs, rtol=1e-8, atol=1e-10)


def test_vectorised_over_df_and_edge_values():
    dfs = np.array([2.0, 40.0, 3000.0, np.inf])
    q = studentized.ppf(0.95, 4, dfs)
    np.testing.assert_allclose(q, [studentized.ppf(0.95, 4, [d])[0] for d in dfs], rtol=1e-14)
    assert np.all(np.diff(q) < 0)  # narrower as df grows
    assert studentized.sf([0.0, -1.0, np.inf, np.nan], 3, 10.0)[:3].tolist() == [1.0, 1.0, 0.0]
    assert np.isnan(studentized.sf([np.nan], 3, 10.0)[0])
    assert np.isnan(studentized.ppf(0.95, 3, [np.nan])[0])


@pytest.mark.skipif(RSCRIPT is None, reason="R (Rscript) is not installed")
def test_agrees_with_r_ptukey_and_qtukey():
    # R's ptukey (AS 190) uses the infinite-df form above df 25000, and below df 10 it is accurate
    # only to 1e-7 .. 1e-4 (SciPy and the exact k = 2 form agree with us there, above): df 10..25000
    cases = [(3, 20.0, 0.95), (10, 12.0, 0.99), (50, 40.0, 0.9), (4, 300.0, 0.95), (7, 10.0, 0.95)]
    qs = [float(studentized.ppf(p, k, [df])[0]) for k, df, p in cases]
    calls = ", ".join(f"ptukey({q!r}, {k}, {df!r}), qtukey({p}, {k}, {df!r})" for q, (k, df, p) in zip(qs, cases))
    out = subprocess.run([RSCRIPT, "-e", f"cat(sprintf('%.17g', c({calls})), sep='\\n')"],
                         capture_output=True, text=True, check=True).stdout.split()
    r = np.array([float(v) for v in out]).reshape(-1, 2)
    for (k, df, p), q, (r_p, r_q) in zip(cases, qs, r):
        assert r_p == pytest.approx(p, abs=1e-9)  # R's cdf at our quantile is the level
        assert r_q == pytest.approx(q, rel=1e-4)  # qtukey's own accuracy ("to 4 decimal places")
    r_sf = subprocess.run([RSCRIPT, "-e", "cat(sprintf('%.17g', ptukey(c(2, 3.5, 5), 5, 17, lower.tail=FALSE)))"],
                          capture_output=True, text=True, check=True).stdout.split()
    np.testing.assert_allclose(studentized.sf([2, 3.5, 5], 5, 17.0), [float(v) for v in r_sf], rtol=1e-8, atol=1e-11)


@pytest.mark.parametrize("k", [2, 3, 7, 30])
def test_stored_node_values_are_the_solution(k):
    from coprod.analysis.stats.studentized_table import QUANTILES

    fresh = studentized._ppf_newton(0.95, k, studentized.cheb_nodes())
    np.testing.assert_allclose(QUANTILES[(0.95, k)], fresh, rtol=1e-13, atol=0)


@pytest.mark.parametrize("k,p", [(3, 0.95), (12, 0.9), (50, 0.99)])
def test_interpolated_quantile_equals_direct(k, p):
    dfs = np.concatenate([[10.0, 10.5, 13.3, 99998.0], np.geomspace(11, 90000, 12)])
    np.testing.assert_allclose(studentized.ppf(p, k, dfs), studentized._ppf_newton(p, k, dfs), rtol=3e-11, atol=0)


@pytest.mark.parametrize("k", [2, 3, 5, 10, 11, 20, 50])
def test_interpolated_range_tail_equals_direct(k):
    """The tail of the range P(R > w) interpolated from its log (pieces of width 1, degree 19) against
    the direct double integral (``_range_parts``) at points between the nodes."""
    w = np.concatenate([np.linspace(0.0, 10.0, 1201)[1:], [1e-9, 0.5, 1.0 - 1e-13, 1.0, 2.0 + 1e-13]])
    direct = studentized._range_parts(w, k, False)[0]
    np.testing.assert_allclose(studentized._range_tail(w, k), direct, rtol=2e-13, atol=0)
    far = np.linspace(10.0, 30.0, 401)
    np.testing.assert_allclose(studentized._range_tail(far, k), studentized._range_parts(far, k, False)[0],
                               rtol=3e-12, atol=0)
    grid = np.array([[0.3, 4.2], [7.7, 0.0001]])  # any shape, as the scale nodes come in rows
    assert studentized._range_tail(grid, k).shape == (2, 2)


def test_range_tail_underflow_is_computed_directly():
    """Far out (P(R > w) ~ 1e-146 at 36.5) the interpolation holds; where the tail underflows at a node of
    a piece (w ~ 52 on) that piece is the direct integral; past w = 100 it is 0."""
    out = np.array([36.5, 40.0])
    np.testing.assert_allclose(studentized._range_tail(out, 3), studentized._range_parts(out, 3, False)[0],
                               rtol=1e-12, atol=0)
    w = np.array([52.5, 55.0, 60.0, 99.0])
    np.testing.assert_array_equal(studentized._range_tail(w, 3), studentized._range_parts(w, 3, False)[0])
    assert studentized._range_tail(np.array([1e300, 101.0]), 3).tolist() == [0.0, 0.0]
