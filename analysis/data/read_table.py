"""Reading text exports (CSV, TSV, semicolon-separated with decimal commas) and typing any table's columns.

:func:`from_table` turns a header and a body of raw cells (from a text file or a workbook) into typed
columns: numbers where every cell is a number, dates where every cell is a date, else text.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from coprod.analysis.data.grouped import grouped_numbers, note as grouped_note
from coprod.analysis.data.loaded import FALLBACK_ENCODINGS, NA_TOKENS, LoadedResponses, as_text, empty_cells
from coprod.analysis.data.sniff import looks_binary
from coprod.instrument.errors import DataError


def _decode(p: Path, raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8 (with BOM)"
        except UnicodeDecodeError:
            pass
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise DataError(f"{p}: damaged UTF-16 text") from None
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    for enc in FALLBACK_ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise DataError(f"{p}: cannot decode the text")  # pragma: no cover (latin-1 decodes anything)


def _delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines() if ln.strip()][:50]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in ",;\t|"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_csv(p: Path, kind: str) -> LoadedResponses:
    """A text export; its encoding and delimiter are judged from the content (``;`` means decimal commas)."""
    raw = p.read_bytes()
    text, encoding = _decode(p, raw)
    del raw
    if looks_binary(text[:4096].encode("utf-8", "replace")):
        raise DataError(f"{p}: not a data file coprod can read (binary content)")
    if not text.strip():
        raise DataError(f"{p}: the file is empty")
    delim = _delimiter(text[:65536])
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delim, header=None, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c", quotechar='"')
    except pd.errors.ParserError as exc:
        msg = str(exc).replace("Error tokenizing data. C error: ", "")
        raise DataError(f"{p}: {msg.strip()}") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{p}: the file is empty") from None
    del text
    notes = []
    if encoding not in ("UTF-8", "UTF-8 (with BOM)"):
        notes.append(f"{p.name}: text read as {encoding}")
    header = [str(h) if h is not None else "" for h in frame.iloc[0].tolist()]
    body = frame.iloc[1:]
    body.columns = range(body.shape[1])
    return from_table(p, header, body, notes, decimal_comma=(delim == ";"), first_row=1)


def from_table(p: Path, header: list, body: pd.DataFrame, notes: list, decimal_comma: bool = False,
                first_row: int = 1, problems: list | None = None) -> LoadedResponses:
    """Turn a header and a body of raw cells into typed columns; blank rows are dropped (numbers kept)."""
    names = []
    keep = []
    for i, h in enumerate(header):
        h = (h or "").strip()
        col = body.iloc[:, i]
        if not h:
            if _all_empty(col):
                continue
            h = f"col{i + 1}"
            notes.append(f"{p.name}: column {i + 1} has no name: called {h}")
        names.append(h)
        keep.append(i)
    seen: dict = {}
    exact = {}
    for j, (pos, h) in enumerate(zip(keep, names)):
        if h in exact:
            raise DataError(f"{p}: column name {h!r} appears twice (columns {exact[h] + 1} and {pos + 1})")
        exact[h] = pos
        low = h.lower()
        if low in seen:  # REGION and region: both kept, the later one renamed (SPSS names ignore case)
            k = 2
            while f"{low}_{k}" in seen or f"{h}_{k}" in exact:
                k += 1
            names[j] = f"{h}_{k}"
            notes.append(f"{p.name}: columns {seen[low][1]!r} (column {seen[low][0] + 1}) and {h!r} (column "
                         f"{pos + 1}) differ only in case: the second kept as {names[j]}")
            low = names[j].lower()
        seen[low] = (pos, names[j])
    if not names:
        raise DataError(f"{p}: no columns with a name in the header row")
    body = body.iloc[:, keep]
    body.columns = names
    rownums = np.arange(first_row, first_row + len(body))
    empty = np.ones(len(body), dtype=bool)
    for c in names:
        empty &= empty_cells(body[c])
    if empty.any():
        body = body.loc[~empty]
        rownums = rownums[~empty]
    cols = {c: infer_column(body[c], decimal_comma) for c in names}
    for c in names:  # text columns of numbers with thousands separators: read, each cell named in a note
        if not pd.api.types.is_numeric_dtype(cols[c]) and not pd.api.types.is_datetime64_any_dtype(cols[c]):
            values = body[c].astype("string").str.strip()
            got = grouped_numbers(values.where(values != "").astype(object).where(values.notna(), None), decimal_comma)
            if got is not None:
                cols[c] = got[0]
                notes.append(f"{p.name}: " + grouped_note(c, values, got[0], got[1], rows=rownums))
    data = pd.DataFrame(cols)
    data.index = pd.RangeIndex(len(data))
    return LoadedResponses(data=data, notes=notes, problems=list(problems or []), row_numbers=rownums)


def _all_empty(col: pd.Series) -> bool:
    return bool(empty_cells(col).all())


def _leading_zeros(values: pd.Series) -> bool:
    s = values.dropna()
    s = s[s.map(lambda v: isinstance(v, str))] if s.dtype == object else s
    if not len(s):
        return False
    return bool(s.astype("string").str.match(r"^[+-]?0\d").fillna(False).any())


def infer_column(col: pd.Series, decimal_comma: bool = False, keep_zeros: bool = True) -> pd.Series:
    """Numbers where every non-empty cell is a number; dates where every cell is a date; else text.

    Numbers written with leading zeros ("00100", "007") stay text unless ``keep_zeros`` is false.
    """
    if pd.api.types.is_bool_dtype(col):
        return col.astype(float)
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
        return col
    if col.dtype != object:  # a pandas text column: every value is a string or missing
        strs = col.astype("string").str.strip()
        present = (strs.notna() & ~strs.isin(NA_TOKENS)).fillna(False).to_numpy(dtype=bool)
        values = strs.where(present)
        obj = values.astype(object)
        text = strs.where(strs.notna() & (strs != "")).astype(object)
    else:
        obj = col
        is_str = np.fromiter((isinstance(v, str) for v in obj), dtype=bool, count=len(obj))
        if is_str.any():
            stripped = obj.where(~is_str, obj.astype("string").str.strip().astype(object))
            na = is_str & stripped.isin(NA_TOKENS).to_numpy()
        else:
            stripped, na = obj, np.zeros(len(obj), dtype=bool)
        present = col.notna().to_numpy() & ~na
        values = stripped.where(present)
        obj = values
        text = stripped.where(col.notna().to_numpy() & ~(is_str & (stripped == "").to_numpy()))
    # a column that stays text keeps "NA", "n/a", "NaN" as answers (Namibia's code, "not applicable"):
    # only empty cells are missing; in a column of numbers they are missing
    if keep_zeros and _leading_zeros(values):  # "00100", "007": codes whose zeros matter, kept as text
        return text.map(as_text, na_action="ignore").astype("str")
    num = pd.to_numeric(values, errors="coerce")
    if bool((num.notna().to_numpy() == present).all()):
        return num.astype(float)
    if decimal_comma:
        alt = pd.to_numeric(values.astype("string").str.replace(",", ".", regex=False), errors="coerce")
        if bool((alt.notna().to_numpy() == present).all()):
            return alt.astype(float)
    if present.any():
        kinds = {type(v) for v in obj[present]}
        import datetime as dt

        if kinds and all(issubclass(k, (dt.datetime, dt.date, pd.Timestamp)) for k in kinds):
            return obj.where(present, None)
    return text.map(as_text, na_action="ignore").astype("str")
