"""Numbers written with thousands separators (``1 234``, ``1.234,5``, ``1,234.5``, ``1'234``).

The rule: a column is read as numbers when every filled cell is a number, plain or grouped, and the
grouped ones agree on one group separator and one decimal mark. Each cell read this way is named in a
note (row and value), so nothing is changed in silence; a column where any cell fails stays as it
is, and the checks then report each cell that is not a number.

A single ``,`` or ``.`` followed by exactly three digits (``1,234``) could be either a decimal mark or
a group separator: it is read as a group separator only when another cell of the column shows that
mark grouping (``12,345,678``, ``1,234.5``); otherwise it is left to the ordinary decimal reading.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from coprod.instrument.words import plural

#: Separators between groups of three digits: space, no-break spaces, apostrophe, comma, full stop.
_SEPS = " \u00a0\u202f',."
_GROUPED = re.compile(r"^([+-]?)(\d{1,3}(?:([ \u00a0\u202f',.])\d{3})(?:\3\d{3})*)(?:([.,])(\d+))?$")
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def _parse(text: str):
    """(group separator, decimal mark, value) of a grouped number, or None.

    >>> _parse("1 234,5"), _parse("1.234.567"), _parse("1,234.5"), _parse("1,234")
    ((' ', ',', 1234.5), ('.', None, 1234567.0), (',', '.', 1234.5), (',', None, 1234.0))
    >>> _parse("1,23") is None, _parse("1.234,5,6") is None
    (True, True)
    """
    m = _GROUPED.match(text)
    if not m or (m.group(4) is not None and m.group(4) == m.group(3)):
        return None
    sign, body, sep, dec, frac = m.groups()
    value = float(sign + body.replace(sep, "") + ("." + frac if frac else ""))
    return sep, dec, value


def _ambiguous(text: str, sep: str, dec) -> bool:
    """``1,234`` or ``1.234``: one comma or full stop, three digits after it."""
    return dec is None and sep in ",." and text.lstrip("+-").count(sep) == 1


def grouped_numbers(values: pd.Series, decimal_comma: bool = False) -> tuple[pd.Series, np.ndarray] | None:
    """(numbers, mask of the cells read with a group separator), or None when the rule does not apply.

    ``values`` holds stripped text (None where empty); plain numbers are read as usual (a decimal
    comma where ``decimal_comma``).

    >>> nums, touched = grouped_numbers(pd.Series(["1 234", "12", None, "1 234 567,5"]), decimal_comma=True)
    >>> nums.tolist(), touched.tolist()
    ([1234.0, 12.0, nan, 1234567.5], [True, False, False, True])
    >>> grouped_numbers(pd.Series(["1,234", "2,5"])) is None  # no cell shows ',' grouping
    True
    >>> grouped_numbers(pd.Series(["1 234", "1.234,5"])) is None  # two group separators
    True
    """
    present = values.notna().to_numpy()
    out = np.full(len(values), np.nan)
    touched = np.zeros(len(values), dtype=bool)
    parsed = {}
    for i in np.flatnonzero(present):
        text = str(values.iat[i])
        got = _parse(text)
        if got is not None:
            parsed[i] = (text, got)
        elif _PLAIN.match(text):
            out[i] = float(text.replace(",", ".")) if decimal_comma or "." not in text else float(text)
        else:
            return None
    sure = {(sep, dec) for text, (sep, dec, _) in parsed.values() if not _ambiguous(text, sep, dec)}
    seps = {sep for sep, _ in sure}
    decs = {dec for _, dec in sure if dec is not None}
    if not sure or len(seps) != 1 or len(decs) > 1 or seps & decs:
        return None
    sep = seps.pop()
    for i, (text, (s, dec, value)) in parsed.items():
        if s != sep:  # "1.234" beside "1 234": a decimal number, read as usual
            if not _PLAIN.match(text):
                return None
            out[i] = float(text.replace(",", "."))
            continue
        out[i], touched[i] = value, True
    return pd.Series(out, index=values.index), touched


def note(name: str, values: pd.Series, numbers: pd.Series, touched: np.ndarray, rows=None, limit: int = 10) -> str:
    """The note naming each cell read with a group separator (its row, what it said, the number).

    >>> s = pd.Series(["1 234", "5"])
    >>> note("q1", s, pd.Series([1234.0, 5.0]), np.array([True, False]), rows=[2, 3])
    "q1: 1 number written with thousands separators read as a number: row 2 '1 234' = 1234"
    """
    idx = np.flatnonzero(touched)
    where = rows if rows is not None else range(1, len(values) + 1)
    shown = [f"row {where[i]} {values.iat[i]!r} = {numbers.iat[i]:.15g}" for i in idx[:limit]]
    more = f" and {len(idx) - limit:,} more" if len(idx) > limit else ""
    n = len(idx)
    return (f"{name}: {plural(n, 'number')} written with thousands separators read as "
            f"{'numbers' if n != 1 else 'a number'}: {'; '.join(shown)}{more}")
