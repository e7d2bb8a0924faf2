"""Dates in response data: ISO 8601 or day first (31.5.2024, 31/5/2024), with or without a time."""
from __future__ import annotations

import numpy as np
import pandas as pd

DATE_FORMATS = ("ISO8601", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S")
#: A time with a zone: ``Z`` or an offset such as ``+02:00`` after hours and minutes.
_ZONE = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"


def zoned_count(col: pd.Series) -> int:
    """How many cells are times with a time zone (``2024-05-01T10:00+02:00``); these are read in UTC.

    >>> zoned_count(pd.Series(["2024-05-01T10:00:00+02:00", "2024-05-01T10:00Z", "2024-05-01", None]))
    2
    """
    if pd.api.types.is_datetime64_any_dtype(col):
        return 0
    s = col.astype("string").str.strip()
    return int(s.str.contains(_ZONE, regex=True).fillna(False).sum())


def parse_dates(col: pd.Series):
    """Dates from text (ISO 8601, or day first as 1.5.2024 / 1/5/2024); None when some text is no date.

    Dates without a time become ``datetime.date`` values (written to SPSS as DATE, not DATETIME).

    >>> parse_dates(pd.Series(["2024-05-01", "", "2.5.2024"])).tolist()
    [datetime.date(2024, 5, 1), None, datetime.date(2024, 5, 2)]
    >>> parse_dates(pd.Series(["2024-05-01", "soon"])) is None
    True
    """
    out, bad = date_values(col)
    if bad.any():
        return None
    valid = out.dropna()
    if len(valid) and bool((valid == valid.dt.normalize()).all()):
        return pd.Series([v.date() if not pd.isna(v) else None for v in out], index=col.index, dtype=object)
    return out


def date_values(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(datetimes, mask of non-empty cells that are not dates).

    >>> dates, bad = date_values(pd.Series(["31.5.2024", None, "later"]))
    >>> dates.notna().tolist(), bad.tolist()
    ([True, False, False], [False, False, True])
    """
    import datetime as dt

    if pd.api.types.is_datetime64_any_dtype(col):
        return col, np.zeros(len(col), dtype=bool)
    obj = col.astype(object)
    is_date = obj.map(lambda v: isinstance(v, (dt.date, dt.datetime, pd.Timestamp)), na_action="ignore")
    is_date = is_date.fillna(False).astype(bool).to_numpy()
    s = col.where(~is_date).astype("string").str.strip()
    todo = (s.notna() & (s != "")).fillna(False).to_numpy(dtype=bool)
    out = pd.Series(pd.NaT, index=col.index, dtype="datetime64[us]")
    if is_date.any():
        out.iloc[np.flatnonzero(is_date)] = pd.to_datetime(obj[is_date]).to_numpy()
    for fmt in DATE_FORMATS:
        if not todo.any():
            break
        got = _to_datetime(s[todo], fmt)
        ok = got.notna().to_numpy()
        idx = np.flatnonzero(todo)[ok]
        out.iloc[idx] = got[ok].to_numpy()
        todo[idx] = False
    return out, todo


def _to_datetime(s: pd.Series, fmt: str) -> pd.Series:
    """Times with a time zone in UTC (without the zone), so that mixed zones can be compared.

    >>> _to_datetime(pd.Series(["2024-05-01T10:00:00+02:00", "2024-05-01T10:00:00Z", "2024-05-01 09:00"]), "ISO8601").tolist()
    [Timestamp('2024-05-01 08:00:00'), Timestamp('2024-05-01 10:00:00'), Timestamp('2024-05-01 09:00:00')]
    """
    got = pd.to_datetime(s, errors="coerce", format=fmt, utc=True)  # a time without a zone is kept as written
    return got.dt.tz_localize(None)
