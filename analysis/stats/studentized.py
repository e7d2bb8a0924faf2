"""The studentized range distribution: upper tail, density and quantile, by fixed quadrature.

Q = R / S, with R the range of k independent standard normals and S = sqrt(chi2_df / df)
independent of it.  SciPy's ``studentized_range`` integrates adaptively (``sf`` ~8 ms per value,
``ppf`` ~0.1-0.5 s per quantile); here the same integrals are evaluated by fixed Gauss-Legendre
rules, vectorised over all values at once, and the quantile is found by Newton's method on them:
a table's quantiles take about a millisecond.  Like SciPy, df of 1e5 or more uses the infinite-df
form.  Agreement with SciPy's ``ppf`` is within 1e-9 relative for k 2..50, df 2..inf and the
usual levels (tested, and against R's ``ptukey``/``qtukey``); for k = 2 the exact value
(Q = sqrt(2) |t_df|) is matched to about 1e-12.
"""
from __future__ import annotations

import functools

import numpy as np
from numpy.polynomial import chebyshev as _cheb

from coprod.analysis.stats import specfun

INF_DF = 1e5  # as SciPy: from this df on, the infinite-df form is used

_SQRT_2PI = np.sqrt(2 * np.pi)
_LOG_CUT = 50.0  # the weight of S is cut where its log density falls 50 below its peak (e^-50)


def _ndtr(x):
    return specfun.ndtr(x)


def _inner_nodes(panels: int) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss-Legendre on [-8.5, 8.5]: ``panels`` panels of 10 nodes."""
    x, wt = np.polynomial.legendre.leggauss(10)
    half = 8.5
    t = ((np.arange(panels)[:, None] + (x[None, :] + 1) / 2) / panels).ravel() * 2 * half - half
    w = np.tile(wt / 2 / panels, panels) * 2 * half
    # exactly symmetric about 0 (node m is minus node -1-m), so that a value at -t is one at t reversed
    return (t - t[::-1]) / 2, (w + w[::-1]) / 2


_NODES = {10: _inner_nodes(10), 30: _inner_nodes(30)}  # more groups: a sharper integrand (D^(k-2))


def _range_parts(w: np.ndarray, k: int, density: bool):
    """P(R > w) and (if ``density``) the density of R at w, for the range of k standard normals.

    P(R > w) = k * integral phi(z) Phi(z - w) sum_i Phi(z)^i D^(k-2-i) dz, D = Phi(z) - Phi(z - w),
    so that no difference of nearly equal numbers is formed; the density is
    k (k - 1) * integral phi(z) phi(z - w) D^(k-2) dz.  The integrands are negligible outside
    w/2 -+ 8.5 (below e^-36 of their peak).  Elementwise over ``w``; the density is None without it.

    Right of the middle (z = w/2 + t, t > 0) D is taken as Phi(w/2 - t) - Phi(-w/2 - t), a difference
    of two small numbers rather than of two near 1: that is a - b at the node -t, so it is the left
    half's differences read backwards (the nodes are symmetric about 0), with no further Phi.
    """
    t, tw = _NODES[10 if k <= 10 else 30]
    ww = np.asarray(w, dtype=float)[..., None]
    z = ww / 2 + t
    a = _ndtr(z)
    b = _ndtr(z - ww)
    diff = a - b
    d = np.where(t > 0, diff[..., ::-1], diff)
    phi = np.exp(-0.5 * z * z) / _SQRT_2PI
    pdf = None
    if density:
        pdf = k * (k - 1) * ((phi * np.exp(-0.5 * (z - ww) ** 2) / _SQRT_2PI * d ** (k - 2)) @ tw)
    s = np.ones_like(d)  # sum_i a^i d^(j-i) for j = 0, 1, ..., k - 2, by s_j = d s_(j-1) + a^j
    pa = np.ones_like(a)
    for _ in range(k - 2):
        pa = pa * a
        s = d * s + pa
    return k * ((phi * b * s) @ tw), pdf


_PIECE, _ORDER = 1.0, 20  # the range's tail: log P(R > w) interpolated on pieces of w this wide, this many nodes
_TAIL_PIECES: dict = {}  # (k, piece) -> Chebyshev coefficients of log P(R > w) on [piece, piece + 1) * _PIECE


def _range_tail(w: np.ndarray, k: int) -> np.ndarray:
    """P(R > w), w >= 0, for the range of k standard normals, interpolated.

    An upper tail integrates P(R > q s) over the scale s at ~100 points for each value, each an
    integral over ~100 normal values: the same function of one argument, w = q s, every time.  Its
    log is interpolated here (Chebyshev, degree 19, on pieces of w one wide; NumPy's ``chebfit`` at the
    Chebyshev points and ``chebval``) from :func:`_range_parts`
    at the 20 nodes of a piece, computed once per process for each piece used; within 1e-13 relative
    of :func:`_range_parts` for w < 10 and 1e-12 up to 30 (tested).  Where the tail underflows at a
    node (w ~ 52 on), that piece's values are computed directly; past w = 100 the tail is 0.
    """
    flat = np.asarray(w, dtype=float).ravel()
    near = np.minimum(flat, 101.0) / _PIECE
    piece = np.floor(near).astype(np.int64)
    out = np.empty(flat.shape)
    direct = np.zeros(flat.shape, dtype=bool)
    coef = np.zeros((flat.size, _ORDER))
    for p in np.unique(piece):
        rows = piece == p
        c = _TAIL_PIECES.get((k, int(p)))
        if c is None:
            c = _TAIL_PIECES[(k, int(p))] = _tail_piece(k, int(p))
        if c is False:
            direct |= rows
        else:
            coef[rows] = c
    x = 2.0 * (near - piece) - 1.0  # in [-1, 1) on its piece
    out[:] = np.exp(_cheb.chebval(x, coef.T, tensor=False))  # each value with its piece's coefficients
    zero = flat > 100.0  # below the smallest double from w ~ 54.5 on (e^(-w^2/4))
    direct &= ~zero
    if direct.any():
        out[direct] = _range_parts(flat[direct], k, False)[0]
    out[zero] = 0.0
    return out.reshape(np.shape(w))


def _tail_piece(k: int, p: int):
    """Chebyshev coefficients of log P(R > w) on piece ``p``; False where the tail underflows there."""
    x = _cheb.chebpts1(_ORDER)  # the Chebyshev points in [-1, 1]: the interpolating fit is well conditioned
    tail = _range_parts((p + (x + 1.0) / 2.0) * _PIECE, k, False)[0]
    if not (tail > 1e-300).all():
        return False
    return _cheb.chebfit(x, np.log(tail), _ORDER - 1)


def _scale_range(df: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The range of u = log S, S = sqrt(chi2_df / df), that carries its weight; one row per df.

    In u = log s the density of S is proportional to exp(h(u)), h(u) = df (u - (e^(2u) - 1) / 2),
    log-concave with its peak h(0) = 0.  The range where h > -(50 + q^2 / 4) is found by Newton's method
    (started outside the range on the right; on the left, one step from inside lands outside, as h
    is concave); it is then covered by Gauss-Legendre panels at most 1.1 wide, at least 6 (the
    long left tail of small df needs the former).
    """
    nu = np.asarray(df, dtype=float)[:, None]
    # P(R > q s) falls like exp(-q^2 s^2 / 4): far in the tail the integrand's mass moves to smaller s
    cut = _LOG_CUT + np.asarray(q, dtype=float)[:, None] ** 2 / 4
    h = lambda u: nu * (u - np.expm1(2 * u) / 2) + cut  # noqa: E731
    dh = lambda u: nu * -np.expm1(2 * u)  # noqa: E731
    hi = np.sqrt(cut / nu)
    lo = -hi
    for _ in range(6):
        hi = hi - h(hi) / dh(hi)
        lo = lo - h(lo) / dh(lo)
    return lo, hi


@functools.lru_cache(maxsize=None)
def _legendre(order: int) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(order)


def _scale_nodes(lo: np.ndarray, hi: np.ndarray, nu: np.ndarray, n_panels: int, order: int = 16):
    """Gauss-Legendre nodes (s, not u) and normalised weights on [lo, hi] (see :func:`_scale_range`)."""
    x, wt = _legendre(order)
    cell = ((np.arange(n_panels)[:, None] + (x[None, :] + 1) / 2) / n_panels).ravel()
    u = lo + (hi - lo) * cell[None, :]
    w = np.tile(wt, n_panels)[None, :] * np.exp(nu * (u - np.expm1(2 * u) / 2))
    return np.exp(u), w / w.sum(axis=1, keepdims=True)


def _tail_and_density(q: np.ndarray, k: int, df: np.ndarray, density: bool = True):
    """P(Q > q) and the density of Q at q, elementwise over ``q`` and ``df`` (same shape)."""
    q = np.asarray(q, dtype=float)
    df = np.asarray(df, dtype=float)
    sf = np.empty(q.shape)
    pdf = np.empty(q.shape)
    inf = df >= INF_DF
    if inf.any():
        sf[inf], pdf_inf = _range_parts(q[inf], k, True) if density else (_range_tail(q[inf], k), None)
        if density:
            pdf[inf] = pdf_inf
    fin = ~inf
    if fin.any():
        lo, hi = _scale_range(df[fin], q[fin])
        panels = np.maximum(6, np.ceil((hi - lo)[:, 0] / 1.1)).astype(int)
        idx = np.flatnonzero(fin)
        for n in np.unique(panels):  # rows of small df need more panels: grouped, not all at the most
            rows = panels == n
            s, w = _scale_nodes(lo[rows], hi[rows], df[idx[rows]][:, None], int(n))
            x = q[idx[rows]][:, None] * s
            tail, dens = _range_parts(x, k, True) if density else (_range_tail(x, k), None)
            sf[idx[rows]] = (w * tail).sum(axis=1)
            if density:
                pdf[idx[rows]] = (w * s * dens).sum(axis=1)
    return np.clip(sf, 0.0, 1.0), pdf


def sf(q, k: int, df) -> np.ndarray:
    """Upper tail P(Q > q) of the studentized range with ``k`` groups and ``df`` degrees of freedom.

    Vectorised over ``q`` and ``df`` (broadcast); NaN where q or df is NaN; 1 for q <= 0.

    >>> from scipy import stats
    >>> p = sf([3.0, 4.0], 3, [20.0, 5000.0])
    >>> bool(np.allclose(p, [stats.studentized_range.sf(3.0, 3, 20.0), stats.studentized_range.sf(4.0, 3, 5000.0)],
    ...                  rtol=1e-9, atol=1e-12))
    True
    """
    q, df = np.broadcast_arrays(np.asarray(q, dtype=float), np.asarray(df, dtype=float))
    out = np.full(q.shape, np.nan)
    ok = np.isfinite(q) & ~np.isnan(df) & (df > 0)
    out[ok & (q <= 0)] = 1.0
    pos = ok & (q > 0)
    if pos.any():
        out[pos] = _tail_and_density(q[pos], int(k), df[pos], density=False)[0]
    out[(q == np.inf) & ~np.isnan(df)] = 0.0
    return out


def _ppf_newton(p: float, k: int, df) -> np.ndarray:
    """Quantile of the studentized range: q with P(Q <= q) = p, for each df (vectorised).

    Newton's method on the cdf, kept inside a bracket (bisection when a step leaves it), until
    the step is below 1e-12 relative (the error after it is far smaller).

    >>> from scipy import stats
    >>> q = _ppf_newton(0.95, 3, [10.0, 120.0])
    >>> bool(np.allclose(q, [stats.studentized_range.ppf(0.95, 3, 10.0), stats.studentized_range.ppf(0.95, 3, 120.0)],
    ...                  rtol=1e-9, atol=0))
    True
    """
    df = np.atleast_1d(np.asarray(df, dtype=float))
    out = np.full(df.shape, np.nan)
    ok = ~np.isnan(df) & (df > 0)
    if not 0 < p < 1 or not ok.any() or k < 2:
        return out
    nu = df[ok]
    alpha = 1.0 - p
    from coprod.analysis.stats.specfun import ndtri, stdtrit

    # start: a rough infinite-df quantile, widened as Student's t widens the normal
    q = (3.0 + 0.5 * np.log(k)) * stdtrit(np.minimum(nu, 1e6), 1 - alpha / 2) / ndtri(1 - alpha / 2)
    lo = np.zeros(nu.shape)
    hi = np.full(nu.shape, np.inf)
    todo = np.ones(nu.shape, dtype=bool)
    for _ in range(100):
        s, d = _tail_and_density(q[todo], int(k), nu[todo])
        above = s < alpha  # q is above the quantile
        lo_t, hi_t = lo[todo], hi[todo]
        hi_t = np.where(above, np.minimum(hi_t, q[todo]), hi_t)
        lo_t = np.where(above, lo_t, np.maximum(lo_t, q[todo]))
        with np.errstate(divide="ignore", invalid="ignore"):
            new = q[todo] + (s - alpha) / d
        done = np.abs(new - q[todo]) <= 1e-12 * np.abs(q[todo])
        bad = ~done & (~np.isfinite(new) | (new < lo_t) | (new > hi_t))
        fallback = np.where(np.isfinite(hi_t), (lo_t + hi_t) / 2, 2 * q[todo])
        new = np.where(bad, fallback, new)
        idx = np.flatnonzero(todo)
        q[idx], lo[idx], hi[idx] = new, lo_t, hi_t
        todo[idx[done]] = False
        if not todo.any():
            break
    out[ok] = q
    return out


# For 10 <= df < 1e5 the quantile is a smooth function of x = 1/df: it is interpolated through its
# values at 18 Chebyshev nodes of x in [1e-5, 0.1] (barycentric formula), within 3e-11 relative of
# the direct solution for k up to 50 (tested).  The node values for the level 0.95 and k = 2..30
# are stored in studentized_table.py (bench/make_studentized_table.py writes it); other levels and
# k are solved once per process (0.1-1 s).
CHEB_N = 18
_X_LO, _X_HI = 1 / INF_DF, 1 / 10.0


def cheb_nodes() -> np.ndarray:
    """The 18 Chebyshev nodes, as df (decreasing x = 1/df)."""
    j = np.arange(CHEB_N)
    x = (_X_LO + _X_HI) / 2 + (_X_HI - _X_LO) / 2 * np.cos((2 * j + 1) * np.pi / (2 * CHEB_N))
    return 1 / x


_NODE_VALUES: dict[tuple[float, int], np.ndarray] = {}


def _node_values(p: float, k: int) -> np.ndarray:
    key = (round(p, 12), int(k))
    if key not in _NODE_VALUES:
        from coprod.analysis.stats.studentized_table import QUANTILES

        stored = QUANTILES.get(key)
        _NODE_VALUES[key] = np.array(stored) if stored is not None else _ppf_newton(p, k, cheb_nodes())
    return _NODE_VALUES[key]


def _interpolate(p: float, k: int, df: np.ndarray) -> np.ndarray:
    x = 1 / df
    j = np.arange(CHEB_N)
    xj = 1 / cheb_nodes()
    wj = (-1.0) ** j * np.sin((2 * j + 1) * np.pi / (2 * CHEB_N))
    diff = x[:, None] - xj[None, :]
    exact = diff == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        c = wj / diff
        out = (c @ _node_values(p, k)) / c.sum(axis=1)
    hit = exact.any(axis=1)
    out[hit] = _node_values(p, k)[np.argmax(exact[hit], axis=1)]
    return out


@functools.lru_cache(maxsize=None)
def _infinite_df_quantile(p: float, k: int) -> float:
    """The quantile of the infinite-df form (df of 1e5 and more), solved once per process for each level and k."""
    return float(_ppf_newton(p, k, [INF_DF])[0])


def ppf(p: float, k: int, df) -> np.ndarray:
    """Quantile of the studentized range: q with P(Q <= q) = p, for each df (vectorised).

    Solved directly (:func:`_ppf_newton`) for df < 10 and for the infinite-df form (df >= 1e5),
    interpolated in 1/df between (see ``CHEB_N``).

    >>> from scipy import stats
    >>> q = ppf(0.95, 3, [5.0, 120.0, 1e6])
    >>> bool(np.allclose(q, [stats.studentized_range.ppf(0.95, 3, d) for d in (5.0, 120.0, 1e6)], rtol=1e-9, atol=0))
    True
    """
    df = np.atleast_1d(np.asarray(df, dtype=float))
    out = np.full(df.shape, np.nan)
    if not 0 < p < 1 or k < 2:
        return out
    mid = (df >= 10) & (df < INF_DF)
    if mid.any():
        out[mid] = _interpolate(p, k, df[mid])
    big = df >= INF_DF
    if big.any():
        out[big] = _infinite_df_quantile(float(p), int(k))
    rest = ~mid & ~big & ~np.isnan(df) & (df > 0)
    if rest.any():
        out[rest] = _ppf_newton(p, k, df[rest])
    return out
