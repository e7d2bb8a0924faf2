"""APA 7 number formatting: the only place where a statistic becomes text.

Each display column has a *kind* that fixes how its numbers look:

========  ==========================================  =============  ==============
kind      used for                                    text           Excel format
========  ==========================================  =============  ==============
``int``   counts, n                                   ``120``        ``0``
``num``   M, SD, test statistics, differences         ``3.41``       ``0.00``
``num1``  percentages                                 ``42.5``       ``0.0``
``r``     p-free values bounded by 1 (r, alpha, eta)  ``.83``        ``.00``
``p``     p-values                                    ``.034``       ``.000``
``df``    degrees of freedom (Welch's are decimals)   ``2``/``3.75`` ``0.##``
``text``  labels                                      as is          text
========  ==========================================  =============  ==============

>>> fmt_p(0.0341), fmt_p(0.0004), fmt_p(1.0)
('.034', '< .001', '1.000')
>>> fmt_r(0.8312), fmt_r(-0.05)
('.83', '-.05')
>>> fmt_num(3.14159), fmt_num(-0.004)
('3.14', '0.00')
>>> fmt_ci(0.61, 0.84, "r")
'[.61, .84]'

Finnish and Swedish write the decimal comma (``decimal_style("comma")``): the same rules, with a
comma for the point, a semicolon between the bounds of an interval and a no-break space between
thousands.

>>> with decimal_style("comma"):
...     fmt_num(3.14159), fmt_p(0.0341), fmt_p(0.0004), fmt_ci(0.61, 0.84, "r"), fmt_int(1234)
('3,14', ',034', '< ,001', '[,61; ,84]', '1\xa0234')
"""
from __future__ import annotations

import contextlib
import math
import re
from contextvars import ContextVar

import numpy as np
import pandas as pd

KINDS = ("int", "num", "num1", "num3", "r", "r3", "p", "df", "text")

#: openpyxl number formats for each kind (``p`` values below .001 are written as text).
EXCEL_FORMATS = {
    "int": "0",
    "num": "0.00",
    "num1": "0.0",
    "num3": "0.000",
    "r": ".00;-.00",
    "r3": ".000;-.000",
    "p": ".000",
    "df": "0.##",
    "text": "@",
}

#: Effect sizes bounded by 1 in absolute value: written without a leading zero.
BOUNDED_EFFECTS = ("eta", "omega", "epsilon", "r", "rank", "cramer", "v", "phi", "tau", "rho", "kendall", "w")


#: How numbers are written: ``point`` (English) or ``comma`` (the decimal comma).
DECIMAL_STYLES = ("point", "comma")
#: Languages whose reports write the decimal comma unless asked otherwise.
COMMA_LANGUAGES = ("fi", "sv")
_STYLE: ContextVar[str] = ContextVar("coprod_decimal_style", default="point")
_NBSP = "\u00a0"


def check_decimal(decimal: str | None, lang: str | None = None) -> str:
    """``point`` or ``comma``; None gives the language's style (comma for fi and sv).

    >>> check_decimal(None, "fi"), check_decimal(None, "en"), check_decimal("Point", "sv")
    ('comma', 'point', 'point')
    """
    if decimal is None:
        return "comma" if str(lang or "").split("-")[0].split("_")[0].lower() in COMMA_LANGUAGES else "point"
    key = str(decimal).strip().lower()
    if key not in DECIMAL_STYLES:
        from coprod.instrument.errors import OptionError

        raise OptionError(f"must be point or comma (not {decimal})", param="decimal")
    return key


@contextlib.contextmanager
def decimal_style(style: str | None):
    """Within the ``with`` block, numbers are written in ``style`` (``point`` or ``comma``)."""
    token = _STYLE.set(check_decimal(style) if style is not None else "point")
    try:
        yield
    finally:
        _STYLE.reset(token)


def current_decimal() -> str:
    """The style numbers are written in here: ``point`` or ``comma``."""
    return _STYLE.get()


def list_sep() -> str:
    """What separates two numbers in one cell: ``", "``, or ``"; "`` with the decimal comma."""
    return "; " if _STYLE.get() == "comma" else ", "


def _group(digits: str) -> str:
    if len(digits) < 4:
        return digits
    head = len(digits) % 3 or 3
    return _NBSP.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def styled(text: str) -> str:
    """A number written with the point (``-1234.5``) in the current style (``-1 234,5`` with the comma)."""
    if _STYLE.get() != "comma" or not text:
        return text
    return re.sub(r"^([^\d.]*)(\d+)", lambda m: m.group(1) + _group(m.group(2)), text, count=1).replace(".", ",")


def is_missing(v) -> bool:
    """True for None, NaN and pandas' missing markers."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, (float, np.floating)):
        return math.isnan(v)
    return False


def _unsigned_zero(text: str) -> str:
    """``-0.00`` (a small negative number rounded) is shown as ``0.00``: a signed zero means nothing."""
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def _strip_zero(text: str) -> str:
    text = _unsigned_zero(text)
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return text


def fmt_p(p) -> str:
    """Exact p with three decimals and no leading zero; ``< .001`` below .001."""
    if is_missing(p):
        return ""
    p = float(p)
    if p < 0.001:
        return styled("< .001")
    return styled(_strip_zero(f"{p:.3f}"))


def fmt_r(x, decimals: int = 2) -> str:
    """A value bounded by 1 (r, alpha, eta squared): no leading zero."""
    if is_missing(x):
        return ""
    return styled(_strip_zero(f"{float(x):.{decimals}f}"))


def fmt_num(x, decimals: int = 2) -> str:
    """A statistic with a fixed number of decimals (two by default)."""
    if is_missing(x):
        return ""
    return styled(_unsigned_zero(f"{float(x):.{decimals}f}"))


def fmt_int(x) -> str:
    if is_missing(x):
        return ""
    return styled(f"{int(round(float(x)))}")


def fmt_df(x) -> str:
    """Degrees of freedom: whole numbers as such, Welch's fractional df with two decimals."""
    if is_missing(x):
        return ""
    x = float(x)
    return styled(f"{int(x)}" if x.is_integer() else f"{x:.2f}")


def fmt_ci(lo, hi, kind: str = "num") -> str:
    """A confidence interval in brackets, ``[.61, .84]`` (``[,61; ,84]`` with the decimal comma); empty when a
    bound is missing."""
    if is_missing(lo) or is_missing(hi):
        return ""
    f = fmt_r if kind in ("r", "r3") else fmt_num
    return f"[{f(lo)}{list_sep()}{f(hi)}]"


def fmt_m_sd(m, sd) -> str:
    """``M (SD)``: ``3.41 (0.92)``."""
    if is_missing(m):
        return ""
    return f"{fmt_num(m)} ({fmt_num(sd)})" if not is_missing(sd) else fmt_num(m)


def effect_kind(name) -> str:
    """``r`` for effect sizes bounded by 1 (eta squared, r, Cramer's V ...), else ``num`` (d, g)."""
    if not isinstance(name, str) or not name:
        return "num"
    n = name.lower().replace("'", "").replace("²", "2")
    if n.startswith(("cohen", "hedges", "d", "g", "glass")):
        return "num"
    if n.startswith(BOUNDED_EFFECTS) or "squared" in n or "eta" in n or "biserial" in n or "superiority" in n:
        return "r"
    return "num"


def format_value(v, kind: str) -> str:
    """Text of ``v`` in a column of ``kind``; strings (labels, suppression marks) pass unchanged."""
    if isinstance(v, str):
        return v
    if is_missing(v):
        return ""
    if kind == "int":
        return fmt_int(v)
    if kind == "num":
        return fmt_num(v)
    if kind == "num1":
        return fmt_num(v, 1)
    if kind == "num3":
        return fmt_num(v, 3)
    if kind == "r":
        return fmt_r(v)
    if kind == "r3":
        return fmt_r(v, 3)
    if kind == "p":
        return fmt_p(v)
    if kind == "df":
        return fmt_df(v)
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return fmt_int(f) if f.is_integer() else styled(f"{f:.3g}" if abs(f) < 0.01 else f"{f:.2f}")
    return str(v)



_DECIMALS = {"num": 2, "num1": 1, "num3": 3}


def formatter(kind: str):
    """A function giving :func:`format_value` of one value in a column of ``kind``, faster for the
    text, floats, integers and empty cells of a statistics table (hundreds of rows).

    >>> f = formatter("num")
    >>> [f(v) for v in (3.14159, -0.001, float("nan"), None, "..")]
    ['3.14', '0.00', '', '', '..']
    >>> with decimal_style("comma"):
    ...     formatter("num")(1234.5)
    '1\xa0234,50'
    """
    if _STYLE.get() != "point":  # the decimal comma: every value through format_value
        return lambda v: format_value(v, kind)
    decimals = _DECIMALS.get(kind)
    spec = f".{decimals}f" if decimals is not None else ""

    def fmt(v):
        t = type(v)
        if t is str:
            return v
        if v is None:
            return ""
        if spec and (t is float or t is np.float64):
            return "" if v != v else _unsigned_zero(format(float(v), spec))
        if kind == "int" and (t is int or t is np.int64 or t is float or t is np.float64):
            return "" if v != v else f"{int(round(float(v)))}"
        return format_value(v, kind)
    return fmt

# Names researchers read, for the codes the statistics write -------------------------------
TEST_NAMES = {
    "anova": "One-way ANOVA",
    "welch": "Welch's t test",
    "welch_anova": "Welch's ANOVA",
    "welch-anova": "Welch's ANOVA",
    "kruskal": "Kruskal-Wallis test",
    "kruskal_wallis": "Kruskal-Wallis test",
    "t": "Student's t test",
    "ttest": "Student's t test",
    "student": "Student's t test",
    "welch_t": "Welch's t test",
    "mann_whitney": "Mann-Whitney U test",
    "mann-whitney": "Mann-Whitney U test",
    "mannwhitney": "Mann-Whitney U test",
    "chi2": "Chi-square test",
    "chisq": "Chi-square test",
    "fisher": "Fisher's exact test",
    "tukey": "Tukey HSD",
    "games_howell": "Games-Howell",
    "games-howell": "Games-Howell",
    "dunn": "Dunn's test",
    "dunn (holm)": "Dunn's test (Holm)",
    "dunn (bonferroni)": "Dunn's test (Bonferroni)",
    "dunn (fdr-bh)": "Dunn's test (Benjamini-Hochberg)",
    "dunn (none)": "Dunn's test",
    "bonferroni": "Bonferroni",
    "scheffe": "Scheffé",
}

ADJUST_NAMES = {
    "holm": "Holm's method",
    "fdr-bh": "the Benjamini-Hochberg false discovery rate",
    "fdr_bh": "the Benjamini-Hochberg false discovery rate",
    "bonferroni": "the Bonferroni correction",
    "none": "no correction",
}

EFFECT_NAMES = {
    "eta_squared": "η²",
    "eta2": "η²",
    "omega_squared": "ω²",
    "omega2": "ω²",
    "epsilon_squared": "ε²",
    "epsilon2": "ε²",
    "cohens_d": "d",
    "cohen_d": "d",
    "d": "d",
    "hedges_g": "g",
    "g": "g",
    "r": "r",
    "rank_biserial": "r (rank-biserial)",
    "p_superiority": "PS",
    "cramers_v": "V",
    "cramer_v": "V",
}


def test_name(code) -> str:
    """``"welch_anova"`` -> ``"Welch's ANOVA"``; unknown codes are returned as they are."""
    if not isinstance(code, str):
        return "" if is_missing(code) else str(code)
    return TEST_NAMES.get(code.lower(), code)


def effect_name(code) -> str:
    if not isinstance(code, str):
        return ""
    return EFFECT_NAMES.get(code.lower(), code)


def adjust_name(code) -> str:
    if not isinstance(code, str):
        return ""
    return ADJUST_NAMES.get(code.lower(), code)
