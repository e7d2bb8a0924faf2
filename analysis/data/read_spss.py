"""Reading SPSS (``.sav``, ``.zsav``, ``.por``) and Stata (``.dta``) files with pyreadstat.

Labels, user-missing codes and ranges and measurement levels come with the data; text in a wrong
declared encoding is read in a fallback encoding, with a note.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from coprod.analysis.data.loaded import FALLBACK_ENCODINGS, LoadedResponses, ReadProblem, is_number
from coprod.analysis.data.recorded import label_origin


def read_spss(p: Path, kind: str, read_sav=None) -> LoadedResponses:
    """A ``.sav``/``.zsav``/``.por`` file; ``read_sav`` stands in for ``pyreadstat.read_sav``."""
    import pyreadstat

    notes = []
    bad_dates: list = []
    if kind == "por":
        df, meta = pyreadstat.read_por(str(p))
    else:
        try:
            df, meta = (read_sav or pyreadstat.read_sav)(str(p), user_missing=True)
        except OverflowError:  # a date past what Python holds: read the numbers, convert each date alone
            df, meta = pyreadstat.read_sav(str(p), user_missing=True, disable_datetime_conversion=True)
            bad_dates = _spss_dates(df, meta)
        except Exception as exc:
            if not _is_encoding_error(exc):
                raise
            df = meta = None
            for enc in FALLBACK_ENCODINGS:
                try:
                    df, meta = pyreadstat.read_sav(str(p), user_missing=True, encoding=enc)
                except Exception:
                    continue
                notes.append(f"{p.name}: text decoded as {enc} (the file's declared encoding failed)")
                break
            if df is None:
                raise
    res = _from_readstat(df, meta, notes)
    for var, row, value in bad_dates:
        res.problems.append(ReadProblem("not_date", var, row, "a date outside the years 1-9999: set to missing",
                                        p.name, f"{value:.17g}"))
    return res


#: SPSS formats whose values are seconds since 14 October 1582 (dates, date-times, times of day).
_SPSS_DATE = ("DATE", "ADATE", "EDATE", "SDATE", "JDATE", "QYR", "MOYR", "WKYR")
_SPSS_DATETIME = ("DATETIME", "YMDHMS")
_SPSS_TIME = ("TIME", "DTIME")


def _spss_dates(df: pd.DataFrame, meta) -> list:
    """Convert the date, date-time and time columns of ``df`` (read as numbers) as pyreadstat would, cell
    by cell; [(variable, row, value)] of the cells no date can hold (set to missing)."""
    import datetime as dt
    import re

    origin = dt.datetime(1582, 10, 14)
    bad = []
    for var, fmt in (getattr(meta, "original_variable_types", None) or {}).items():
        base = re.sub(r"[\d.]+$", "", str(fmt).upper())
        if var not in df.columns or base not in _SPSS_DATE + _SPSS_DATETIME + _SPSS_TIME:
            continue
        out = []
        for i, v in enumerate(df[var].to_numpy(dtype=float)):
            if np.isnan(v):
                out.append(None)
                continue
            try:
                when = origin + dt.timedelta(seconds=float(v))
            except OverflowError:
                bad.append((var, i + 1, v))
                out.append(None)
                continue
            out.append(when.date() if base in _SPSS_DATE else when if base in _SPSS_DATETIME
                       else (dt.datetime.min + dt.timedelta(seconds=float(v) % 86400)).time())
        col = pd.Series(out, index=df.index, dtype=object)
        df[var] = pd.to_datetime(col) if base in _SPSS_DATETIME else col
    return bad


def _is_encoding_error(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return any(w in msg for w in ("encoding", "convert string", "iconv", "decode", "utf"))


def read_stata(p: Path, kind: str) -> LoadedResponses:
    """A ``.dta`` file; Stata's special missing values (.a to .z) become missing, with a note."""
    import pyreadstat

    notes = []
    try:
        df, meta = pyreadstat.read_dta(str(p), user_missing=True)
    except Exception as exc:
        if not _is_encoding_error(exc):
            raise
        df, meta = pyreadstat.read_dta(str(p), encoding="latin-1", user_missing=True)
        notes.append(f"{p.name}: text decoded as latin-1 (the file's declared encoding failed)")
    # Stata's special missing values (.a to .z) arrive as letters in a numeric column: they are
    # missing, as in Stata; each variable that had them is named with their count. The column's storage
    # type says it is numeric, also when every value is a special missing (then the column is all letters).
    meta.missing_user_values = {}
    types = getattr(meta, "readstat_variable_types", None) or {}
    special, counts = {}, {}
    for var in df.columns:
        col = df[var]
        if pd.api.types.is_numeric_dtype(col) or types.get(var) == "string":
            continue
        letters = col.map(lambda v: isinstance(v, str) and len(v) == 1 and "a" <= v <= "z").astype(bool)
        rest = col[~letters & col.notna()]
        if (letters.any() or types) and rest.map(lambda v: isinstance(v, (int, float, np.number))).all():
            df[var] = pd.to_numeric(col.mask(letters), errors="coerce").astype(float)
            if letters.any():
                counts[var] = int(letters.sum())
            labels = (meta.variable_value_labels or {}).get(var, {})
            special[var] = {f".{k}": str(v) for k, v in labels.items() if isinstance(k, str) and len(k) == 1 and "a" <= k <= "z"}
    if counts:
        notes.append(f"{p.name}: Stata special missing values (.a-.z) read as missing: "
                     + ", ".join(f"{v} {n:,}" for v, n in counts.items()))
    res = _from_readstat(df, meta, notes)
    kept = {var: labs for var, labs in special.items() if labs}
    if kept:  # labels of .a-.z: missing-value labels (the cells are missing; their labels are not lost)
        res.origin["missing_value_labels"] = kept
        res.notes.append(f"{p.name}: labels of Stata missing values (.a-.z) kept as missing-value labels: "
                         + "; ".join(f"{var} " + ", ".join(f"{k} {v!r}" for k, v in labs.items()) for var, labs in kept.items()))
    return res


def _from_readstat(df: pd.DataFrame, meta, notes: list) -> LoadedResponses:
    numeric = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])}
    codes, ranges = _missing_from_readstat(meta, numeric)
    vlabels = {}
    for var, labels in (meta.variable_value_labels or {}).items():
        if var in numeric:
            vlabels[var] = {float(k): str(v) for k, v in labels.items() if is_number(k)}
        else:
            vlabels[var] = {str(k): str(v) for k, v in labels.items()}
    measure = {k: v for k, v in (getattr(meta, "variable_measure", None) or {}).items()
               if v in ("nominal", "ordinal", "scale")}
    labels = {k: v for k, v in zip(meta.column_names, meta.column_labels or []) if v}
    origin = label_origin(getattr(meta, "file_label", None))  # the instrument a file coprod wrote records
    return LoadedResponses(data=df, variable_labels=labels, value_labels=vlabels, missing_codes=codes,
                           missing_ranges=ranges, measure=measure, notes=notes, origin=origin)


def _missing_from_readstat(meta, numeric: set) -> tuple[dict, dict]:
    """({variable: discrete missing codes}, {variable: (low, high) ranges}); one-value ranges are codes."""
    codes: dict = {}
    ranges: dict = {}
    for var, vals in (getattr(meta, "missing_user_values", None) or {}).items():
        if var in numeric:
            vals = [float(v) for v in vals if isinstance(v, (int, float, np.number))]
        if vals:
            codes[var] = tuple(vals)
    for var, rr in (getattr(meta, "missing_ranges", None) or {}).items():
        for r in rr:
            lo, hi = r["lo"], r["hi"]
            if var in numeric:
                lo, hi = float(lo), float(hi)
            if lo == hi:
                codes[var] = tuple(dict.fromkeys(codes.get(var, ()) + (lo,)))
            else:
                ranges[var] = ranges.get(var, ()) + ((lo, hi),)
    return codes, ranges
