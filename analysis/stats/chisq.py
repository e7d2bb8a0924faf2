"""Chi-square and normal tails without SciPy (importing ``scipy.special`` and ``scipy.optimize`` costs an
invariance run more time than its model fits), as :mod:`analysis.stats.tdist` does for t and F.

* the regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x): the series of P
  for x < a + 1, the continued fraction of Q (modified Lentz) otherwise; the chi-square tails are
  P(df/2, x/2) and Q(df/2, x/2);
* the noncentral chi-square distribution function as the Poisson mixture of central ones, as R's
  ``pnchisq``: sum_k e^(-l/2) (l/2)^k / k! P(df/2 + k, x/2), summed from the Poisson mode outwards in
  both directions, each P from its neighbour by P(a + 1, y) = P(a, y) - y^a e^-y / Gamma(a + 1),
  until the rest is below 1e-18 of the sum (far lower tails too);
* Brent's bracketing root-finder, step for step ``scipy.optimize.brentq``.

Agreement with ``scipy.special`` (``gammainc``, ``gammaincc``, ``chdtrc``, ``ndtr``),
``scipy.stats.ncx2`` and ``scipy.optimize.brentq``: tests/test_chisq.py.
"""
from __future__ import annotations

import math

from .tdist import _HALF_LOG_2PI, bd0, stirlerr

_EPS = 1e-16
_TINY = 1e-300


def _log_front(a: float, x: float) -> float:
    """log(x^a e^-x / Gamma(a)); for a > 100 from Stirling's error and bd0 (as R's dpois_raw), where
    a log x - x - lgamma(a) would lose digits (1e-11 at a = 5000)."""
    if a <= 100.0:
        return a * math.log(x) - x - math.lgamma(a)
    return 0.5 * math.log(a) - _HALF_LOG_2PI - stirlerr(a) - bd0(a, x)


def _series_sum(a: float, x: float) -> float:
    """P(a, x) / (x^a e^-x / Gamma(a)), by its series (x < a + 1)."""
    term = total = 1.0 / a
    ap = a
    for _ in range(100_000):
        ap += 1.0
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total


def _series_p(a: float, x: float) -> float:
    return _series_sum(a, x) * math.exp(_log_front(a, x))


def _fraction_q(a: float, x: float) -> float:
    b = x + 1.0 - a
    c, d = 1.0 / _TINY, 1.0 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = b + an / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return h * math.exp(_log_front(a, x))


def gamma_p(a: float, x: float) -> float:
    """The regularized lower incomplete gamma function P(a, x), a > 0, x >= 0.

    >>> round(gamma_p(1.0, 2.0), 12)  # 1 - e^-2
    0.864664716763
    """
    if x <= 0.0:
        return 0.0
    if math.isinf(x):
        return 1.0
    return _series_p(a, x) if x < a + 1.0 else 1.0 - _fraction_q(a, x)


def gamma_q(a: float, x: float) -> float:
    """The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x)."""
    if x <= 0.0:
        return 1.0
    if math.isinf(x):
        return 0.0
    return 1.0 - _series_p(a, x) if x < a + 1.0 else _fraction_q(a, x)


def chisq_sf(x: float, df: float) -> float:
    """P(X > x) for chi-square with ``df`` > 0 degrees of freedom (as ``scipy.special.chdtrc``).

    >>> round(chisq_sf(3.841458820694124, 1), 12)
    0.05
    """
    return gamma_q(df / 2.0, x / 2.0) if x == x else math.nan


def normal_sf(z: float) -> float:
    """P(Z > z) of the standard normal distribution."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def poisson_weight(k: int, m: float) -> float:
    """e^-m m^k / k!, the Poisson probability of k at mean m > 0, without the cancellation of
    -m + k log m - lgamma(k + 1) at large k (Loader's form, as R's dpois_raw).

    >>> round(poisson_weight(3, 2.0), 15)  # e^-2 8 / 6
    0.180447044315484
    """
    if k == 0:
        return math.exp(-m)
    return math.exp(-stirlerr(k) - bd0(k, m)) / math.sqrt(2 * math.pi * k)


#: A term at the Poisson mode whose log is below this is scaled up (by e^-log) before the mixture is summed.
_SCALE_BELOW = -500.0


def poisson_mixture(m: float, k0: int, p0: float, t0: float, a: float, u: float, b: float | None = None,
                    shift: float = 0.0) -> float:
    """sum_k e^-m m^k / k! p_k, p_k = P(a + k, u) (regularized lower incomplete gamma function; ``b``
    None) or I_u(a + k, b) (regularized incomplete beta function), summed from k0 = floor(m), the
    Poisson mode, outwards in both directions (R's ``pnchisq`` and ``pnbeta``), from p0 = p_k0 and
    t0 = p_k0 - p_(k0+1): each p from its neighbour, p_(k+1) = p_k - t_k, with t_(k+1) = t_k u / (a + k + 1)
    (gamma) or t_k u (a + k + b) / (a + k + 1) (beta).

    Upwards p falls and the weights beyond the mode fall faster; downwards p rises towards 1 and the
    weights fall: each way the sum stops where what is left is below 1e-18 of it.  ``p0`` and ``t0`` may
    come multiplied by e^shift (a far lower tail whose terms at the mode would underflow): the sum is
    carried at that scale, rescaled on the way down as the terms grow, and returned unscaled.
    """
    beta = b is not None
    c = b if beta else 0.0  # t_(k+1) = t_k u (a + k + c) / (a + k + 1), times 1 / (a + k + c) for gamma
    w0 = poisson_weight(k0, m)
    if shift == 0.0 and m > _ARRAYS_FROM:
        return _mixture_arrays(m, k0, p0, t0, a, u, c, beta, w0)
    total = w0 * p0
    w, p, t, ak = w0, p0, t0, a + k0
    tol = _EPS * 1e-2
    for k in range(k0 + 1, k0 + 100_000):
        p -= t
        if p <= 0.0:
            break
        t *= u * (ak + c) / (ak + 1.0) if beta else u / (ak + 1.0)
        ak += 1.0
        w *= m / k
        total += w * p
        if w * p <= tol * total * (1.0 - m / (k + 1.0)) or w == 0.0:  # the rest: below this term's geometric series
            break
    w, p, t = w0, p0, t0
    for k in range(k0 - 1, -1, -1):
        ak = a + k
        t *= (ak + 1.0) / (u * (ak + c)) if beta else (ak + 1.0) / u
        p += t
        w *= (k + 1.0) / m
        total += w * (min(p, 1.0) if shift == 0.0 else p)
        if shift != 0.0 and p > 1e200:
            p, t, total, shift = p * 1e-200, t * 1e-200, total * 1e-200, shift - 200 * math.log(10.0)
        # the rest is below sum_(j<k) w_j <= w k / (m - k), as every p <= 1
        if w == 0.0 or w * k <= _EPS * 1e-2 * (total * math.exp(-shift) if shift else total) * (m - k):
            break
    if shift != 0.0:
        return math.exp(math.log(total) - shift) if total > 0.0 else 0.0
    return min(total, 1.0)


#: From this Poisson mean on, the mixture is summed in blocks of NumPy arrays (the same recurrences): below
#: it the loop of Python steps is quicker (measured: 22 against 84 us at a mean of 30, 58 against 157 at
#: 100; the arrays win from about 200 on: 110 against 95 us, and 594 against 166 at 5,000).
_ARRAYS_FROM = 150.0


def _mixture_arrays(m: float, k0: int, p0: float, t0: float, a: float, u: float, c: float, beta: bool,
                    w0: float) -> float:
    """:func:`poisson_mixture` (unscaled) with each direction's recurrences as cumulative products and
    sums over blocks of terms, the same products and sums in the same order, and the same stopping rules
    applied to the running total.  Written because at a large noncentrality (a large sample) the mixture
    has thousands of terms, and the loop of Python steps made an effect size's interval cost milliseconds.
    """
    import numpy as np

    tol = _EPS * 1e-2
    total = w0 * p0
    # upwards: p_k = p_(k-1) - t_(k-1), t_k = t_(k-1) r(a + k - 1), w_k = w_(k-1) m / k
    block = int(64 + 12 * math.sqrt(m))
    start, p, t, w = k0, p0, t0, w0
    while True:
        k = start + np.arange(1, block + 1, dtype=float)
        ak = a + k - 1.0  # a + k before the step
        r = u * (ak + c) / (ak + 1.0) if beta else u / (ak + 1.0)
        ts = np.cumprod(np.concatenate(([t], r)))  # t_(k-1) for each k, then the last t
        ps = np.cumsum(np.concatenate(([p], -ts[:-1])))[1:]
        ws = np.cumprod(np.concatenate(([w], m / k)))[1:]
        terms = ws * ps
        run = np.cumsum(np.concatenate(([total], terms)))[1:]
        stop = (ps <= 0.0) | (terms <= tol * run * (1.0 - m / (k + 1.0))) | (ws == 0.0)
        hit = np.flatnonzero(stop)
        if hit.size:
            j = int(hit[0])
            total = run[j] if ps[j] > 0.0 else (run[j - 1] if j else total)
            break
        total, p, t, w, start = float(run[-1]), float(ps[-1]), float(ts[-1]), float(ws[-1]), start + block
        if start > k0 + 100_000:
            break
    # downwards: t_k = t_(k+1) (a + k + 1) / (u (a + k + c)), p_k = p_(k+1) + t_k, w_k = w_(k+1) (k + 1) / m
    start, p, t, w = k0, p0, t0, w0
    while start > 0:
        k = start - np.arange(1, min(block, start) + 1, dtype=float)
        ak = a + k
        r = (ak + 1.0) / (u * (ak + c)) if beta else (ak + 1.0) / u
        ts = np.cumprod(np.concatenate(([t], r)))[1:]
        ps = np.cumsum(np.concatenate(([p], ts)))[1:]
        ws = np.cumprod(np.concatenate(([w], (k + 1.0) / m)))[1:]
        terms = ws * np.minimum(ps, 1.0)
        run = np.cumsum(np.concatenate(([total], terms)))[1:]
        stop = (ws == 0.0) | (ws * k <= tol * run * (m - k))
        hit = np.flatnonzero(stop)
        if hit.size:
            total = float(run[int(hit[0])])
            break
        total, p, t, w, start = float(run[-1]), float(ps[-1]), float(ts[-1]), float(ws[-1]), int(k[-1])
    return min(total, 1.0)


def ncx2_cdf(x: float, df: float, nc: float) -> float:
    """P(X <= x) for the noncentral chi-square with ``df`` degrees of freedom and noncentrality ``nc``.

    >>> round(ncx2_cdf(10.0, 4.0, 3.0), 10)  # scipy.stats.ncx2.cdf(10, 4, 3)
    0.7837631817
    """
    if x <= 0.0:
        return 0.0
    a, y = df / 2.0, x / 2.0
    if nc <= 0.0:
        return gamma_p(a, y)
    m = nc / 2.0
    k0 = int(m)
    ak = a + k0
    log_front = _log_front(ak, y)
    if log_front < _SCALE_BELOW and y < ak + 1.0:  # P(ak, y) would underflow: scaled by e^-log_front
        shift, p0, t0 = -log_front, _series_sum(ak, y), 1.0 / ak
    else:
        shift, p0, t0 = 0.0, gamma_p(ak, y), math.exp(log_front) / ak  # t0 = P(ak, y) - P(ak + 1, y)
    return poisson_mixture(m, k0, p0, t0, a, y, None, shift)


def brentq(f, xa: float, xb: float, xtol: float = 1e-13, rtol: float = 1e-15, maxiter: int = 500,
           fa: float | None = None, fb: float | None = None) -> float:
    """Brent's root finder, step for step SciPy's ``scipy.optimize.brentq`` (its C code, brentq.c);
    ``fa`` and ``fb``: f(xa) and f(xb) when they are known.

    Written out so that an effect size's interval or an RMSEA interval does not import scipy.optimize
    (~0.5 s); the same iterates, so the same roots (tested).

    >>> round(brentq(lambda x: x * x - 2, 0.0, 2.0), 12)
    1.414213562373
    """
    xpre, xcur = float(xa), float(xb)
    xblk = fblk = spre = scur = 0.0
    fpre = f(xpre) if fa is None else fa
    fcur = f(xcur) if fb is None else fb
    if fpre == 0:
        return float(xpre)
    if fcur == 0:
        return float(xcur)
    if math.copysign(1.0, fpre) == math.copysign(1.0, fcur):
        raise ValueError("f(a) and f(b) must have different signs")
    for _ in range(maxiter):
        if fpre != 0 and fcur != 0 and math.copysign(1.0, fpre) != math.copysign(1.0, fcur):
            xblk, fblk = xpre, fpre
            spre = scur = xcur - xpre
        if abs(fblk) < abs(fcur):
            xpre, xcur, xblk = xcur, xblk, xcur
            fpre, fcur, fblk = fcur, fblk, fcur
        delta = (xtol + rtol * abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        if fcur == 0 or abs(sbis) < delta:
            return float(xcur)
        if abs(spre) > delta and abs(fcur) < abs(fpre):
            if xpre == xblk:  # interpolate
                stry = -fcur * (xcur - xpre) / (fcur - fpre)
            else:  # extrapolate
                dpre = (fpre - fcur) / (xpre - xcur)
                dblk = (fblk - fcur) / (xblk - xcur)
                stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            if 2 * abs(stry) < min(abs(spre), 3 * abs(sbis) - delta):
                spre, scur = scur, stry
            else:
                spre = scur = sbis
        else:
            spre = scur = sbis
        xpre, fpre = xcur, fcur
        xcur += scur if abs(scur) > delta else (delta if sbis > 0 else -delta)
        fcur = f(xcur)
    return float(xcur)
