"""Student's t and F quantiles without SciPy (importing ``scipy.special`` costs a describe run a third
of its time, and reliability's Feldt interval needs nothing else from SciPy).

The upper tail of t is the regularized incomplete beta function, Q(t) = I_x(df/2, 1/2) / 2 with
x = df / (df + t^2), evaluated by its continued fraction (modified Lentz), its factor x^a y^b / B(a, b)
through Stirling's errors where a + b is large; a quantile is found by Halley's steps (the density's
slope is known in closed form) from a close start (Cornish-Fisher for t, AS 109 for the beta), kept inside
the bisection bracket the evaluations give: 3-4 evaluations of the tail a quantile (from df 10,000 on,
the t quantile is its Cornish-Fisher expansion to 1/df^4 instead); F quantiles invert I_x(df1/2, df2/2).
Agreement with ``scipy.special.stdtrit`` / ``fdtri`` and R's ``qt`` / ``qf``: tests/test_tdist.py.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

_TINY = 1e-300
_EPS = 1e-16


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) (converges fast for x < (a + 1) / (a + b + 2))."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        for num in (m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)),
                    -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + num / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return h


def _lbeta_front(a: float, b: float) -> float:
    """log(Gamma(a + b) / (Gamma(a) Gamma(b))), for b = 1/2 and large a by its asymptotic series (no cancellation)."""
    if b == 0.5 and a > 1e4:  # log Gamma(a + 1/2) - log Gamma(a) = log(sqrt(a) (1 - 1/8a + 1/128a^2 + 5/1024a^3 ...))
        z = 1.0 / a
        ratio = 1.0 + z * (-1.0 / 8 + z * (1.0 / 128 + z * (5.0 / 1024 - z * 21.0 / 32768)))
        return 0.5 * math.log(a) + math.log(ratio) - math.lgamma(0.5)
    return math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)


_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def stirlerr(n: float) -> float:
    """log(n! / (sqrt(2 pi n) (n / e)^n)), the error of Stirling's formula (Loader, 2001), n > 0: the
    series in 1/n beyond 15, where lgamma's difference from Stirling would lose digits.

    >>> round(stirlerr(1.0), 15)  # log(e / sqrt(2 pi))
    0.081061466795327
    """
    if n <= 15.0:
        return math.lgamma(n + 1.0) - (n + 0.5) * math.log(n) + n - _HALF_LOG_2PI
    nn = n * n
    return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / nn) / nn) / nn) / nn) / n


def bd0(x: float, m: float) -> float:
    """x log(x / m) + m - x (>= 0) without cancellation where x is near m (Loader, 2001), x, m > 0.

    >>> round(bd0(10.0, 10.5), 12)  # 10 log(10 / 10.5) + 0.5
    0.012098358306
    """
    if abs(x - m) < 0.1 * (x + m):
        v = (x - m) / (x + m)
        s = (x - m) * v
        ej = 2.0 * x * v
        v2 = v * v
        for j in range(1, 1000):
            ej *= v2
            s1 = s + ej / (2 * j + 1)
            if s1 == s:
                return s1
            s = s1
        return s
    return x * math.log(x / m) + m - x


def _log_front(a: float, b: float, x: float, y: float, log_x: float, log_y: float) -> float:
    """log(x^a y^b / B(a, b)); for large a or b from Stirling's errors and bd0 (as R's dbinom_raw), where
    the difference of log-gammas and a log x + b log y would lose digits (1e-10 at a = 5e4)."""
    if a + b < 100.0:
        return _lbeta_front(a, b) + a * log_x + b * log_y
    n = a + b
    return (0.5 * math.log(a * b / n) - _HALF_LOG_2PI + stirlerr(n) - stirlerr(a) - stirlerr(b)
            - bd0(a, n * x) - bd0(b, n * y))


def betainc(a: float, b: float, x: float, y: float | None = None) -> float:
    """The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1 (``y`` = 1 - x,
    when it is known more precisely than 1 - x).

    >>> round(betainc(2.0, 3.0, 0.4), 12)  # 1 - (1 - x)^3 (1 + 3x) ... = 0.5248
    0.5248
    """
    y = 1.0 - x if y is None else y
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    log_x = math.log1p(-y) if y < 0.5 else math.log(x)  # no cancellation where x is near 1
    log_y = math.log1p(-x) if x < 0.5 else math.log(y)
    log_front = _log_front(a, b, x, y, log_x, log_y)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, y) / b


def t_upper(t: float, df: float) -> float:
    """P(T > t) for t >= 0 and ``df`` > 0 degrees of freedom."""
    return 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t), t * t / (df + t * t))


def _t_log_density_const(df: float) -> float:
    return _lbeta_front(df / 2.0, 0.5) + math.lgamma(0.5) - 0.5 * math.log(df * math.pi)


def _solve(tail, log_density, target: float, start: float, df: float) -> float:
    """The t >= 0 with tail(t) = target (tail decreasing, ``df`` its t distribution's degrees of freedom):
    Halley steps from ``start`` (the density's slope is known: -(df + 1) t / (df + t^2) of it), kept inside
    the bracket the evaluated tails give (bisection inside it; doubling while no upper end is known)."""
    lo, hi = 0.0, math.inf
    t = start if start > 0.0 else 1.0
    for _ in range(400):
        f = tail(t) - target
        if f > 0:
            lo = t
        else:
            hi = t
        step = f / math.exp(log_density(t))  # Newton's step; Halley's divides it by 1 - step g''/2g'
        bend = 1.0 - 0.5 * step * (df + 1.0) * t / (df + t * t)
        new = t + (step / bend if bend > 0.5 else step)
        if abs(new - t) <= 4e-16 * t:  # converged (a step that rounds onto an end of the bracket included)
            return new if lo <= new <= hi else t
        if not lo < new < hi:
            new = 0.5 * (lo + hi) if hi < math.inf else 2.0 * max(t, lo, 1.0)
        if hi - lo <= 4e-16 * hi < math.inf:
            return new
        t = new
    return t


def normal_quantile(p: float) -> float:
    """The p quantile (p > 0.5) of the standard normal distribution: :func:`analysis.stats.specfun.ndtri`
    (Wichura's AS 241, direct; no root to solve)."""
    from coprod.analysis.stats.specfun import ndtri

    return float(ndtri(p))


#: From this df on the t quantile is its Cornish-Fisher expansion to 1/df^4, not a root of the tail: at a
#: large df the incomplete beta's continued fraction is slow (describe of 200,000 rows by group spent 0.4 s
#: in the quantiles of its means' intervals).
_EXPANSION_FROM = 1e4


@lru_cache(maxsize=4096)
def _quantile_one(df: float, p: float) -> float:
    """The p quantile (p > 0.5) of t with ``df`` degrees of freedom."""
    if df == 1.0:
        return 1.0 / math.tan(math.pi * (1.0 - p))  # = tan(pi (p - 1/2)), accurate near p = 1
    if df == 2.0:
        return (2.0 * p - 1.0) * math.sqrt(2.0 / (4.0 * p * (1.0 - p)))
    z = normal_quantile(p)
    z2 = z * z  # Cornish-Fisher expansion in 1/df around the normal quantile (next term ~ z^7 / df^3)
    cornish_fisher = z * (1.0 + (z2 + 1.0) / (4.0 * df) + (5.0 * z2 * z2 + 16.0 * z2 + 3.0) / (96.0 * df * df))
    if df >= _EXPANSION_FROM:  # two more terms (Abramowitz and Stegun 26.7.5): within 2e-15 of stdtrit from df 5,000
        g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0
        g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0
        return cornish_fisher + (g3 + g4 / df) / (df * df * df)
    const = _t_log_density_const(df)
    return _solve(lambda t: t_upper(t, df), lambda t: const - (df + 1.0) / 2.0 * math.log1p(t * t / df), 1.0 - p,
                  cornish_fisher, df)


def t_quantile(df, p: float) -> np.ndarray:
    """The ``p`` quantile of Student's t for each of ``df`` (array; NaN where df < 1 or NaN), 0.5 < p < 1.

    >>> [round(float(v), 6) for v in t_quantile(np.array([1.0, 9.0, 1e6]), 0.975)]
    [12.706205, 2.262157, 1.959966]
    """
    df = np.asarray(df, dtype=float)
    out = np.full(df.shape, np.nan)
    ok = np.isfinite(df) & (df >= 1)
    for v in np.unique(df[ok]):
        out[df == v] = _quantile_one(float(v), p)
    return out


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _beta_start(a: float, b: float, p: float, log_beta: float) -> float:
    """A first approximation to the p quantile of Beta(a, b): AS 109 (Majumder and Bhattacharjee 1973, as in
    R's qbeta before 2015), from the normal quantile; within a few per cent, so that few steps remain."""
    tail, pp, qq, swap = (p, a, b, False) if p <= 0.5 else (1.0 - p, b, a, True)
    r = math.sqrt(-2.0 * math.log(tail))
    y = r - (2.30753 + 0.27061 * r) / (1.0 + (0.99229 + 0.04481 * r) * r)
    if pp > 1.0 and qq > 1.0:
        r = (y * y - 3.0) / 6.0
        s, t = 1.0 / (pp + pp - 1.0), 1.0 / (qq + qq - 1.0)
        h = 2.0 / (s + t)
        w = y * math.sqrt(h + r) / h - (t - s) * (r + 5.0 / 6.0 - 2.0 / (3.0 * h))
        x = pp / (pp + qq * math.exp(min(w + w, 700.0)))
    else:
        r = qq + qq
        t = 1.0 / (9.0 * qq)
        t = r * (1.0 - t + y * math.sqrt(t)) ** 3
        if t <= 0.0:
            x = -math.expm1((math.log1p(-tail) + math.log(qq) + log_beta) / qq)
        else:
            t = (4.0 * pp + r - 2.0) / t
            x = math.exp((math.log(tail * pp) + log_beta) / pp) if t <= 1.0 else 1.0 - 2.0 / (t + 1.0)
    x = 1.0 - x if swap else x
    return x if 0.0 < x < 1.0 else a / (a + b)


@lru_cache(maxsize=1024)
def beta_quantile(a: float, b: float, p: float) -> float:
    """The x in (0, 1) with I_x(a, b) = p (0 < p < 1): Halley steps (the density's slope is known) from
    AS 109's approximation, inside the bisection bracket the evaluations give.

    >>> round(beta_quantile(2.0, 3.0, 0.5248), 12)
    0.4
    """
    lo, hi = 0.0, 1.0
    lb = _log_beta(a, b)
    x = _beta_start(a, b, p, lb)
    for _ in range(400):
        f = betainc(a, b, x) - p
        if f < 0:
            lo = x
        else:
            hi = x
        dens = math.exp((a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x) - lb)
        if dens > 0:
            step = f / dens  # Newton's; Halley's divides it by 1 - step g''/2g', g''/g' = (a-1)/x - (b-1)/(1-x)
            bend = 1.0 - 0.5 * step * ((a - 1.0) / x - (b - 1.0) / (1.0 - x))
            new = x - (step / bend if bend > 0.5 else step)
        else:
            new = 0.5 * (lo + hi)
        if abs(new - x) <= 4e-16 * x:  # converged (a step that rounds onto an end of the bracket included)
            return new if lo <= new <= hi else x
        if not lo < new < hi:
            new = 0.5 * (lo + hi)
        if hi - lo <= 4e-16 * hi:  # 2e-16 can be less than an ulp
            return new
        x = new
    return x


def f_quantile(df1: float, df2: float, p: float) -> float:
    """The ``p`` quantile of the F distribution with ``df1`` and ``df2`` degrees of freedom (as
    ``scipy.special.fdtri``); NaN where a df is not positive.

    >>> round(f_quantile(4.0, 20.0, 0.95), 6)  # R: qf(0.95, 4, 20)
    2.866081
    """
    if not (df1 > 0 and df2 > 0) or not 0 < p < 1:
        return math.nan
    # the smaller tail is the target (1 - p would round a small p: 4e-8 off at p = 1e-10, df 100 and 0.5);
    # above the median 1 - x is solved as such, no cancellation near 1, unless x is small and p not extreme
    if p >= 0.5:
        y = beta_quantile(df2 / 2.0, df1 / 2.0, 1.0 - p)
        if y < 0.5 or p > 0.999:
            return df2 * (1.0 - y) / (df1 * y)
    x = beta_quantile(df1 / 2.0, df2 / 2.0, p)
    return df2 * x / (df1 * (1.0 - x))
