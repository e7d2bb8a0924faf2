"""Reading and writing response files.

:func:`load_responses` reads SPSS (``.sav``, ``.zsav``, ``.por``), Stata (``.dta``), Excel (``.xlsx``:
the coprod data-entry workbook or any workbook with a header row), CSV/text exports and ODK Central /
KoboToolbox exports (CSV or XLSX), recognising the kind of file by its content, not its name.  Given an
instrument, it maps columns to the instrument's variables, turns coded answers into numbers and attaches
the instrument's labels, missing codes and measurement levels, so the result is labelled the same way
whatever the source.

:func:`write_responses` writes a labelled ``.sav``/``.zsav`` (pyreadstat), ``.dta``, ``.csv`` or ``.xlsx``.

Every problem a file can cause raises :class:`~instrument.errors.DataError` naming the file; nothing
here ever modifies an input file.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from coprod.analysis.data.responses import Responses
from coprod.instrument.errors import DataError, OptionError

#: Kinds of file this module reads, by content.
KINDS = ("sav", "zsav", "por", "dta", "xlsx", "csv")
#: Encodings tried, in order, when a file is not valid UTF-8.
FALLBACK_ENCODINGS = ("windows-1252", "latin-1")
#: Text that means "no value" in an otherwise numeric column (SPSS, Stata, R and Excel exports).
NA_TOKENS = ("", ".", "NA", "NaN", "nan", "#N/A", "#NULL!", "N/A", "n/a")
#: Prefix given to ODK/Kobo metadata columns (kept in the data, ignored by the checks).
META_PREFIX = "meta_"
#: Column naming the source file in combined data.
SOURCE_VAR = "source_file"

# ODK Central / KoboToolbox metadata columns (compared case-sensitively, after group paths are split off).
ODK_META = {
    "_id", "_uuid", "_submission_time", "_index", "_parent_index", "_parent_table_name", "__version__", "_version_",
    "_version", "_status", "_submitted_by", "_tags", "_notes", "_validation_status", "_xform_id_string",
    "_xform_id", "_attachments", "_geolocation", "_duration", "start", "end", "today", "deviceid", "username",
    "phonenumber", "simserial", "subscriberid", "audit", "instanceID", "instanceName", "deprecatedID",
    "formhub/uuid", "meta/instanceID", "meta/instanceName", "meta/deprecatedID", "meta/rootUuid",
    "KEY", "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
    "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
}
# Columns whose presence marks a file as an ODK/Kobo export.
ODK_MARKERS = {"_uuid", "_submission_time", "meta/instanceID", "meta-instanceID", "__version__", "KEY",
               "SubmissionDate", "formhub/uuid", "_xform_id_string"}
_PATH_SPLIT = re.compile(r"[/\-.:]")  # group paths: section/q1 (Kobo), section-q1 (ODK Central)
_PREVIEW = 20
_CODE_LABEL = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(?:=|:|-|–|\.|\))\s*\S")


@dataclass(frozen=True)
class ReadProblem:
    """A problem found while reading a file, reported by :func:`analysis.validate`.

    ``row`` is the 1-based data row (the first row after the header is 1); 0 for a whole column/file.
    """

    problem: str
    variable: str = ""
    row: int = 0
    detail: str = ""
    file: str = ""
    value: object = None


@dataclass
class LoadedResponses(Responses):
    """:class:`Responses` read from files, with what reading found.

    ``problems`` lists :class:`ReadProblem` (e.g. formula cells without a stored value); ``origin``
    holds what the file says about itself (``kind``, and for the entry workbook ``instrument_id``,
    ``instrument_version``, ``language``); ``row_numbers`` gives each row's 1-based data row in its file
    and ``file_index`` which file (0-based, in :attr:`sources`) it came from.
    """

    problems: list = field(default_factory=list)
    origin: dict = field(default_factory=dict)
    row_numbers: np.ndarray | None = None
    file_index: np.ndarray | None = None


# ============================================================================ sniffing
def sniff(path) -> str:
    """The kind of data file at ``path``, judged by its first bytes; DataError when unreadable.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.xlsx"
    >>> _ = p.write_bytes(b"$FL2" + bytes(200))
    >>> sniff(p)
    'sav'
    """
    p = Path(path)
    if not p.exists():
        raise DataError(f"{p}: no such file")
    if p.is_dir():
        raise DataError(f"{p}: is a folder, not a data file")
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise DataError(f"{p}: cannot read ({exc.strerror or exc})") from None
    if not head:
        raise DataError(f"{p}: the file is empty")
    if head[:4] == b"$FL2":
        return "sav"
    if head[:4] == b"$FL3":
        return "zsav"
    if head[:4] == b"PK\x03\x04":
        return "xlsx"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataError(f"{p}: an old Excel (.xls) file or a password-protected workbook: save it as .xlsx "
                        "without a password and try again")
    if head.startswith(b"<stata_dta>") or (len(head) >= 4 and 102 <= head[0] <= 115 and head[1] in (1, 2)
                                           and head[2] == 1 and head[3] == 0):
        return "dta"
    if b"SPSS PORT FILE" in head[:512] or b"\xe2\xd7\xe2\xe2@\xd7\xd6\xd9\xe3@\xc6\xc9\xd3\xc5" in head[:512]:
        return "por"
    if head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"7z\xbc\xaf\x27\x1c":
        raise DataError(f"{p}: a compressed archive: unpack it first")
    if head[:4] == b"%PDF":
        raise DataError(f"{p}: a PDF document, not a data file")
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "csv"  # UTF-16 text (Excel's "Unicode text")
    if _looks_binary(head):
        raise DataError(f"{p}: not a data file coprod can read (expected .sav, .zsav, .por, .dta, .xlsx or .csv)")
    return "csv"


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 12))
    return controls > max(2, len(head) // 100)


# ============================================================================ public reader
def load_responses(path, instrument=None, read_sav=None) -> LoadedResponses:
    """Read one response file; with ``instrument``, map and label it by the questionnaire.

    The kind of file is judged from its content (a ``.sav`` renamed to ``.xlsx`` is still read as
    SPSS, with a note).  Raises :class:`DataError` naming the file for anything unreadable.
    ``read_sav`` stands in for ``pyreadstat.read_sav`` (same arguments and result) for ``.sav`` files.
    """
    p = Path(path)
    kind = sniff(p)
    ext = p.suffix.lower().lstrip(".")
    reader = {"sav": _read_spss, "zsav": _read_spss, "por": _read_spss, "dta": _read_stata,
              "xlsx": _read_xlsx, "csv": _read_csv}[kind]
    try:
        res = _read_spss(p, kind, read_sav) if kind == "sav" and read_sav is not None else reader(p, kind)
    except (DataError, OptionError):
        raise
    except MemoryError:
        raise DataError(f"{p}: too large to read into memory") from None
    except Exception as exc:  # any library failure on a damaged file becomes one clean line
        raise DataError(f"{p}: cannot read this {kind} file ({_short(exc)})") from None
    expected = {"sav": ("sav",), "zsav": ("zsav", "sav"), "por": ("por",), "dta": ("dta",),
                "xlsx": ("xlsx", "xlsm"), "csv": ("csv", "txt", "tsv", "tab", "dat", "")}[kind]
    if ext not in expected:
        res.notes.append(f"{p.name}: read as {kind} by its content (the name says .{ext})")
    res.origin.setdefault("kind", kind)
    res.sources = [str(p)]
    if res.row_numbers is None:
        res.row_numbers = np.arange(1, len(res.data) + 1)
    res.file_index = np.zeros(len(res.data), dtype=np.int32)
    _odk_metadata(res)
    if instrument is not None:
        conform(res, instrument)
    return res


def _short(exc: BaseException) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg[:200]


# ============================================================================ SPSS and Stata
def _read_spss(p: Path, kind: str, read_sav=None) -> LoadedResponses:
    import pyreadstat

    notes = []
    if kind == "por":
        df, meta = pyreadstat.read_por(str(p))
    else:
        try:
            df, meta = (read_sav or pyreadstat.read_sav)(str(p), user_missing=True)
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
    return _from_readstat(df, meta, notes)


def _is_encoding_error(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return any(w in msg for w in ("encoding", "convert string", "iconv", "decode", "utf"))


def _read_stata(p: Path, kind: str) -> LoadedResponses:
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
    # missing, as in Stata; each variable that had them is named with their count
    meta.missing_user_values = {}
    for var in df.columns:
        col = df[var]
        if col.dtype != object:
            continue
        letters = col.map(lambda v: isinstance(v, str) and len(v) == 1 and "a" <= v <= "z")
        rest = col[~letters & col.notna()]
        if letters.any() and rest.map(lambda v: isinstance(v, (int, float, np.number))).all():
            df[var] = pd.to_numeric(col.mask(letters), errors="coerce").astype(float)
            notes.append(f"{p.name}: {var}: {int(letters.sum()):,} Stata special missing values (.a-.z) read as missing")
    return _from_readstat(df, meta, notes)


def _from_readstat(df: pd.DataFrame, meta, notes: list) -> LoadedResponses:
    codes: dict = {}
    ranges: dict = {}
    numeric = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])}
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
    vlabels = {}
    for var, labels in (meta.variable_value_labels or {}).items():
        if var in numeric:
            vlabels[var] = {float(k): str(v) for k, v in labels.items() if _is_number(k)}
        else:
            vlabels[var] = {str(k): str(v) for k, v in labels.items()}
    measure = {k: v for k, v in (getattr(meta, "variable_measure", None) or {}).items()
               if v in ("nominal", "ordinal", "scale")}
    labels = {k: v for k, v in zip(meta.column_names, meta.column_labels or []) if v}
    return LoadedResponses(data=df, variable_labels=labels, value_labels=vlabels, missing_codes=codes,
                           missing_ranges=ranges, measure=measure, notes=notes)


def _is_number(v) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


# ============================================================================ CSV
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


def _read_csv(p: Path, kind: str) -> LoadedResponses:
    raw = p.read_bytes()
    text, encoding = _decode(p, raw)
    del raw
    if _looks_binary(text[:4096].encode("utf-8", "replace")):
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
    return _from_table(p, header, body, notes, decimal_comma=(delim == ";"), first_row=1)


def _from_table(p: Path, header: list, body: pd.DataFrame, notes: list, decimal_comma: bool = False,
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
    for pos, h in zip(keep, names):
        low = h.lower()
        if low in seen:
            raise DataError(f"{p}: column name {h!r} appears twice (columns {seen[low] + 1} and {pos + 1})")
        seen[low] = pos
    if not names:
        raise DataError(f"{p}: no columns with a name in the header row")
    body = body.iloc[:, keep]
    body.columns = names
    rownums = np.arange(first_row, first_row + len(body))
    empty = np.ones(len(body), dtype=bool)
    for c in names:
        empty &= _empty_mask(body[c])
    if empty.any():
        body = body.loc[~empty]
        rownums = rownums[~empty]
    cols = {c: _infer_column(body[c], decimal_comma) for c in names}
    data = pd.DataFrame(cols)
    data.index = pd.RangeIndex(len(data))
    return LoadedResponses(data=data, notes=notes, problems=list(problems or []), row_numbers=rownums)


def _empty_mask(col: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(col):
        return col.isna().to_numpy()
    s = col.astype("string")
    return (s.isna() | (s.str.strip() == "")).fillna(True).to_numpy(dtype=bool)


def _all_empty(col: pd.Series) -> bool:
    return bool(_empty_mask(col).all())


def _leading_zeros(values: pd.Series) -> bool:
    s = values.dropna()
    s = s[s.map(lambda v: isinstance(v, str))] if s.dtype == object else s
    if not len(s):
        return False
    return bool(s.astype("string").str.match(r"^[+-]?0\d").fillna(False).any())


def _infer_column(col: pd.Series, decimal_comma: bool = False, keep_zeros: bool = True) -> pd.Series:
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
    if keep_zeros and _leading_zeros(values):  # "00100", "007": codes whose zeros matter, kept as text
        return obj.map(_as_text, na_action="ignore").astype("str")
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
    return obj.map(_as_text, na_action="ignore").astype("str")


def _as_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# ============================================================================ Excel
def _xlsx_formula_sheets(p: Path) -> set:
    """Worksheet XML parts that hold a formula (a cheap scan: the common case has none)."""
    found = set()
    with zipfile.ZipFile(p) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with z.open(name) as fh:
                    tail = b""
                    while True:
                        chunk = fh.read(1 << 20)
                        if not chunk:
                            break
                        buf = tail + chunk
                        if b"<f>" in buf or b"<f " in buf or b"<f/>" in buf:
                            found.add(name)
                            break
                        tail = chunk[-8:]
    return found


def _read_xlsx(p: Path, kind: str) -> LoadedResponses:
    import openpyxl

    try:
        zipfile.ZipFile(p).close()
    except zipfile.BadZipFile:
        raise DataError(f"{p}: damaged or truncated (not a complete .xlsx file)") from None
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:
        raise DataError(f"{p}: not an Excel workbook coprod can read ({_short(exc)})") from None
    try:
        origin = {"kind": "xlsx"}
        sheet = None
        if "coprod" in wb.sheetnames:
            meta = {}
            for row in wb["coprod"].iter_rows(values_only=True):
                if row and row[0] is not None and len(row) > 1:
                    meta[str(row[0]).strip()] = row[1]
            if str(meta.get("kind", "")).strip() == "entry":
                origin = {"kind": "entry", **{k: ("" if v is None else str(v)) for k, v in meta.items() if k != "kind"}}
                if "Data" not in wb.sheetnames:
                    raise DataError(f"{p}: a coprod entry workbook without its Data sheet")
                sheet = wb["Data"]
        if sheet is None:  # any other workbook: the first visible sheet with something in its first rows
            sheets = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"] or wb.worksheets
            sheet = next((ws for ws in sheets if _first_filled_row(ws) is not None), sheets[0])
        header_row = _first_filled_row(sheet) or 1
        rows = sheet.iter_rows(min_row=header_row, values_only=True)
        header = next(rows, None)
        if header is None or all(v is None for v in header):
            raise DataError(f"{p}: sheet {sheet.title!r} has no header row")
        width = len(header)
        while width and header[width - 1] is None:
            width -= 1
        body_rows = [r[:width] if len(r) >= width else tuple(r) + (None,) * (width - len(r)) for r in rows]
        header = ["" if h is None else str(h) for h in header[:width]]
        sheet_title = sheet.title
    finally:
        wb.close()
    body = pd.DataFrame(body_rows, columns=range(width), dtype=object) if body_rows else \
        pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
    del body_rows
    problems = _formula_problems(p, sheet_title, header, header_row, body)
    res = _from_table(p, header, body, [], first_row=1, problems=problems)
    res.origin.update(origin)
    res.origin["sheet"] = sheet_title
    return res


def _first_filled_row(ws, look: int = 20):
    """The number of the first row (within the first ``look``) with any value: the header row."""
    for i, row in enumerate(ws.iter_rows(min_row=1, max_row=look, values_only=True), start=1):
        if any(v is not None and str(v).strip() != "" for v in row):
            return i
    return None


def _formula_problems(p: Path, sheet_title: str, header: list, header_row: int, body: pd.DataFrame) -> list:
    """Formula cells that have no stored result (the workbook was never recalculated in Excel)."""
    if not _xlsx_formula_sheets(p):
        return []
    import openpyxl

    wb = openpyxl.load_workbook(p, read_only=True, data_only=False)
    out = []
    try:
        ws = wb[sheet_title]
        for i, row in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), start=1):
            for j, v in enumerate(row[:len(header)]):
                if isinstance(v, str) and v.startswith("=") and (i - 1) < len(body) and body.iat[i - 1, j] is None:
                    out.append(ReadProblem("formula_no_value", header[j] or f"col{j + 1}", i,
                                           "a formula without a stored result (open and save the file in Excel)", p.name))
    finally:
        wb.close()
    return out


# ============================================================================ ODK / Kobo
def _odk_metadata(res: LoadedResponses) -> None:
    """Rename ODK/Kobo metadata columns to ``meta_*`` (kept in the data, ignored by the checks)."""
    cols = [str(c) for c in res.data.columns]
    if not (set(cols) & ODK_MARKERS):
        return
    res.origin["odk"] = True
    rename = {}
    taken = set(cols)
    for c in cols:
        base = c
        for sep in ("/", "-"):
            if base.startswith("meta" + sep):
                base = "meta/" + base[5:]
        if c in ODK_META or base in ODK_META:
            stem = re.sub(r"[^A-Za-z0-9]+", "_", base.split("/")[-1]).strip("_") or "col"
            new = META_PREFIX + stem
            k = 2
            while new in taken:
                new = f"{META_PREFIX}{stem}{k}"
                k += 1
            taken.add(new)
            rename[c] = new
    if rename:
        res.data = res.data.rename(columns=rename)
        res.notes.append(f"ODK/Kobo metadata kept as {', '.join(sorted(rename.values()))}")


# ============================================================================ mapping to an instrument
def conform(res: Responses, instrument) -> Responses:
    """Map ``res`` to ``instrument`` in place: names, multiple-choice columns, numbers, labels.

    Columns are matched case-insensitively; group paths (``section/q1``, ``section-q1``) are stripped
    when the last part names a variable; ``q/2`` and ``q.2`` become ``q_2``; a multiple-choice answer
    given as space-separated codes in one column ``q`` is expanded to the 0/1 columns ``q_<code>``.
    """
    multiples = {q.name.lower(): q for q in instrument.questions if q.type == "multiple" and q.choices is not None}
    targets = {v.name.lower(): v.name for v in instrument.variables}
    targets[instrument.respondent_id.lower()] = instrument.respondent_id
    df = res.data
    rename: dict = {}
    expand: dict = {}
    claimed = {str(c).lower() for c in df.columns if str(c).lower() in targets}
    helpers = {f"{q.name.lower()}__{lang}" for q in instrument.questions for lang in instrument.languages}
    for c in list(df.columns):
        name = str(c)
        if name.startswith(META_PREFIX) and name.lower() not in targets:
            continue
        tail = _PATH_SPLIT.split(name.lower())[-1]
        if tail in helpers and tail not in targets and getattr(res, "origin", {}).get("odk"):
            rename[c] = META_PREFIX + tail  # the form's wording calculates (fa1__en): not answers
            continue
        target = _match(name, targets, multiples)
        if target is None:
            continue
        kind, canon = target
        if kind == "multi":
            expand[c] = multiples[canon.lower()]
            continue
        if canon == name:
            continue
        if name.lower() == canon.lower():
            rename[c] = canon
            continue
        if canon.lower() in claimed:
            res.notes.append(f"column {name!r} also matches {canon!r}: kept under its own name")
            continue
        rename[c] = canon
        claimed.add(canon.lower())
    if rename:
        df = df.rename(columns=rename)
    for col, q in expand.items():
        present = [n for n in q.variable_names() if n in df.columns]
        if present:  # Kobo exports both "1 3" and one 0/1 column per option: keep the 0/1 columns
            scratch = LoadedResponses(data=pd.DataFrame(index=df.index), row_numbers=res.row_numbers)
            again = _expand_multiple(df[col], q, scratch)
            same = all(_same_answers(again[n], df[n]) for n in present)
            if same and not scratch.problems:
                df = df.drop(columns=[col])
                res.notes.append(f"{col}: the same answers as the 0/1 columns of {q.name} (not kept twice)")
            else:
                df = df.rename(columns={col: f"{q.name}_text"})
                res.notes.append(f"{col}: differs from the 0/1 columns of {q.name}: kept as {q.name}_text")
            continue
        new = _expand_multiple(df[col], q, res)
        pos = list(df.columns).index(col)
        df = pd.concat([df.iloc[:, :pos], new, df.iloc[:, pos + 1:]], axis=1)
    res.data = df
    _to_numbers(res, instrument)
    _attach_metadata(res, instrument)
    res.instrument = instrument
    return res


def _match(name: str, targets: dict, multiples: dict):
    low = name.lower().strip()
    if low in multiples:
        return ("multi", multiples[low].name)
    if low in targets:
        return ("var", targets[low])
    parts = [x for x in _PATH_SPLIT.split(low) if x]
    if len(parts) < 2:
        return None
    last = parts[-1]
    if last in multiples:
        return ("multi", multiples[last].name)
    if last in targets:
        return ("var", targets[last])
    if parts[-2] in multiples:
        cand = f"{parts[-2]}_{last}"
        if cand in targets:
            return ("var", targets[cand])
    return None


def _expand_multiple(col: pd.Series, q, res) -> pd.DataFrame:
    """Space-separated codes ("1 3") -> one 0/1 column per option; empty answer -> missing."""
    from coprod.instrument.model import format_code

    s = col.astype("string").str.strip()
    s = s.where(~s.isin(NA_TOKENS), pd.NA)
    answered = s.notna().to_numpy()
    tokens = s.fillna("").str.split()
    codes = [format_code(c.code) for c in q.choices.options]
    out = {}
    known = set()
    for var, code in zip(q.variable_names(), codes):
        labels = {code.lower()} | {str(t).lower() for t in q.choices.options[codes.index(code)].label.values() if t}
        known |= labels
        hit = tokens.map(lambda toks, labels=labels: any(t.lower() in labels for t in toks)).to_numpy(dtype=bool)
        out[var] = np.where(answered, hit.astype(float), np.nan)
    odd = tokens[answered].map(lambda toks: [t for t in toks if t.lower() not in known])
    bad = odd[odd.map(len) > 0]
    if len(bad):
        rows = res.row_numbers if res.row_numbers is not None else np.arange(1, len(col) + 1)
        for idx, toks in bad.items():
            res.problems.append(ReadProblem("invalid_code", str(col.name), int(rows[col.index.get_loc(idx)]),
                                            "not an option of this question", _source_name(res),
                                            " ".join(toks)[:_PREVIEW]))
    return pd.DataFrame(out, index=col.index)


def _source_name(res) -> str:
    return Path(res.sources[0]).name if res.sources else ""


def _to_numbers(res: Responses, instrument) -> None:
    """Numeric variables of the instrument become float columns; codes given as labels are mapped."""
    df = res.data
    lang = instrument.default_language
    for v in instrument.variables:
        if v.name in df.columns and v.kind == "date":
            parsed = parse_dates(df[v.name])
            if parsed is not None:
                df[v.name] = parsed
            continue
        if v.name not in df.columns or v.kind != "numeric":
            continue
        col = df[v.name]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            if col.dtype != np.float64:
                df[v.name] = col.astype(float)
            continue
        num = _infer_column(col, decimal_comma=True, keep_zeros=False)
        if pd.api.types.is_numeric_dtype(num):
            df[v.name] = num
            continue
        # Labels ("Agree") or "4 = Agree" instead of codes.
        lookup = {}
        for code, text in v.value_labels.items():
            for t in text.values():
                if t:
                    lookup[str(t).strip().lower()] = float(code)
        s = col.astype("string").str.strip()
        mapped = pd.to_numeric(s.str.replace(",", ".", regex=False), errors="coerce")
        need = mapped.isna() & s.notna() & ~s.isin(NA_TOKENS)
        if need.any() and lookup:
            mapped = mapped.where(~need, s.str.lower().map(lookup))
            need = mapped.isna() & s.notna() & ~s.isin(NA_TOKENS)
        if need.any():
            lead = s[need].str.extract(_CODE_LABEL, expand=False).str.replace(",", ".", regex=False)
            mapped = mapped.where(~need, pd.to_numeric(lead, errors="coerce").reindex(mapped.index))
            need = mapped.isna() & s.notna() & ~s.isin(NA_TOKENS)
        if need.any():
            # Keep what cannot be read as text beside the numbers: validate reports it (not_numeric).
            mixed = mapped.astype(object)
            mixed[need] = s[need].astype(object)
            df[v.name] = mixed
        else:
            df[v.name] = mapped.astype(float)
            if lookup and (s.str.lower().isin(lookup.keys())).any():
                res.notes.append(f"{v.name}: answers given as labels were turned into codes ({lang})")
    res.data = df


DATE_FORMATS = ("ISO8601", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S")


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
    """(datetimes, mask of non-empty cells that are not dates)."""
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
        got = pd.to_datetime(s[todo], errors="coerce", format=fmt)
        ok = got.notna().to_numpy()
        idx = np.flatnonzero(todo)[ok]
        out.iloc[idx] = got[ok].to_numpy()
        todo[idx] = False
    return out, todo


def _attach_metadata(res: Responses, instrument) -> None:
    lang = instrument.default_language
    from coprod.instrument.model import text_in

    for v in instrument.variables:
        if v.name not in res.data.columns:
            continue
        res.variable_labels[v.name] = text_in(v.label, lang)
        if v.kind == "numeric":
            res.value_labels[v.name] = {float(code): text_in(t, lang) for code, t in v.value_labels.items()}
            res.missing_codes[v.name] = tuple(float(c) for c in v.missing_codes)
        else:
            res.value_labels.pop(v.name, None)
            res.missing_codes.pop(v.name, None)
        res.missing_ranges.pop(v.name, None)
        res.measure[v.name] = v.measure if v.kind == "numeric" else "nominal"
    rid = instrument.respondent_id
    for c in res.data.columns:
        if str(c).lower() == rid.lower():
            res.variable_labels.setdefault(c, {"fi": "Vastaajatunnus", "sv": "Respondent-ID"}.get(lang, "Respondent ID"))
            res.measure.setdefault(c, "nominal")


# ============================================================================ writing
NAME_OK = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
NAME_OK_UNICODE = re.compile(r"^[^\W\d_][\w]*$")  # SPSS (Unicode files): any letter, then letters/digits/_


def output_names(columns, limit: int = 64, unicode: bool = False) -> dict:
    """{column: safe SPSS/Stata name}: invalid characters become ``_``; clashes get a number.

    >>> output_names(["q1", "group/q 2", "_uuid", "2x"])
    {'q1': 'q1', 'group/q 2': 'group_q_2', '_uuid': 'uuid', '2x': 'v2x'}
    """
    from coprod.instrument.names import SPSS_RESERVED

    out, taken = {}, set()
    for c in columns:
        name = str(c)
        if (NAME_OK_UNICODE if unicode else NAME_OK).match(name) and len(name.encode("utf-8")) <= limit \
                and name.upper() not in SPSS_RESERVED \
                and name.lower() not in taken and not name.endswith("."):
            out[c] = name
            taken.add(name.lower())
            continue
        safe = re.sub(r"[^A-Za-z0-9_]", "_", name)
        safe = re.sub(r"_+", "_", safe).strip("_")
        if not safe or not safe[0].isalpha():
            safe = "v" + safe
        if safe.upper() in SPSS_RESERVED:
            safe += "_v"
        safe = safe[:limit]
        base, k = safe, 2
        while safe.lower() in taken:
            suffix = f"_{k}"
            safe = base[:limit - len(suffix)] + suffix
            k += 1
        taken.add(safe.lower())
        out[c] = safe
    return out


def write_responses(responses: Responses, path, force: bool = False) -> Path:
    """Write ``responses`` to ``.sav``/``.zsav``/``.dta`` (labelled), ``.csv`` or ``.xlsx``, atomically.

    Never replaces an existing file unless ``force``; text cells in CSV/XLSX can never become formulas.
    """
    from coprod.instrument.files import atomic_path

    p = Path(path)
    ext = p.suffix.lower()
    writers = {".sav": _write_sav, ".zsav": _write_sav, ".dta": _write_dta, ".csv": _write_csv, ".xlsx": _write_xlsx}
    if ext not in writers:
        raise OptionError(f"{p}: cannot write {ext or 'a file without extension'} (use .sav, .zsav, .dta, .csv or .xlsx)")
    with atomic_path(p, force) as tmp:
        try:
            writers[ext](responses, tmp, compress=(ext == ".zsav"))
        except (DataError, OptionError):
            raise
        except Exception as exc:
            raise DataError(f"{p}: cannot write ({_short(exc)})") from None
    return p


def _truncate(text: str, nbytes: int) -> str:
    b = str(text).encode("utf-8")
    if len(b) <= nbytes:
        return str(text)
    return b[:nbytes].decode("utf-8", "ignore")


def _prepared(responses: Responses, limit: int, unicode: bool = False) -> tuple[pd.DataFrame, dict]:
    """Columns renamed to safe names; text columns as str; returns (frame, {old: new})."""
    df = responses.data
    names = output_names(df.columns, limit, unicode)
    changes = {}
    for c in df.columns:
        col = df[c]
        if pd.api.types.is_bool_dtype(col):
            changes[c] = col.astype(float)
        elif col.dtype == object:
            kinds = {type(v) for v in col.dropna()}
            import datetime as dt

            if kinds and all(issubclass(k, (dt.date, dt.datetime, pd.Timestamp)) for k in kinds):
                continue
            if kinds and all(issubclass(k, (int, float, np.number)) for k in kinds):
                changes[c] = pd.to_numeric(col, errors="coerce").astype(float)
            else:
                changes[c] = col.map(_as_text, na_action="ignore").astype("str")
    if changes or any(k != v for k, v in names.items()):
        df = df.assign(**{str(k): v for k, v in changes.items()}) if changes else df
        df = df.rename(columns={k: v for k, v in names.items() if k != v}) if any(k != v for k, v in names.items()) else df
    return df, names


def _missing_spec(codes, ranges) -> list:
    """SPSS allows three discrete missing values, or one range plus one value."""
    codes = list(dict.fromkeys(codes or ()))
    ranges = list(ranges or ())
    if ranges:
        lo, hi = ranges[0]
        spec = [{"lo": lo, "hi": hi}]
        extra = [c for c in codes if not (lo <= c <= hi)] if all(isinstance(c, (int, float)) for c in codes) else codes
        return spec + extra[:1]
    if len(codes) <= 3:
        return codes
    if all(isinstance(c, (int, float)) for c in codes):
        return [{"lo": min(codes), "hi": max(codes)}]
    return codes[:3]


def _write_sav(responses: Responses, tmp: Path, compress: bool = False) -> None:
    import pyreadstat

    df, names = _prepared(responses, 64, unicode=True)
    numeric = {names[c] for c in responses.data.columns if pd.api.types.is_numeric_dtype(df[names[c]])}
    labels = {}
    vlabels = {}
    missing = {}
    measure = {}
    for c, n in names.items():
        lab = responses.variable_labels.get(c) or ("" if str(c) == n else str(c))
        if lab:
            labels[n] = _truncate(lab, 256)
        vl = responses.value_labels.get(c)
        if vl:
            if n in numeric:
                vl = {float(k): _truncate(v, 120) for k, v in vl.items() if _is_number(k)}
            else:
                vl = {str(k): _truncate(v, 120) for k, v in vl.items()}
            if vl:
                vlabels[n] = vl
        codes = responses.missing_codes.get(c) or ()
        ranges = responses.missing_ranges.get(c) or ()
        if codes or ranges:
            if n in numeric:
                spec = _missing_spec([float(x) for x in codes if _is_number(x)],
                                     [(float(a), float(b)) for a, b in ranges])
            else:
                spec = [str(x) for x in codes][:3]
            if spec:
                missing[n] = spec
        m = responses.measure.get(c)
        if m in ("nominal", "ordinal", "scale"):
            measure[n] = m
        elif n not in numeric:
            measure[n] = "nominal"
    formats = {}
    for n in numeric:  # whole numbers (codes, counts) shown without decimals, as SPSS users expect
        x = df[n].to_numpy(dtype=float, na_value=np.nan)
        x = x[~np.isnan(x)]
        if x.size and np.all(np.mod(x, 1) == 0) and np.abs(x).max() < 1e8:
            formats[n] = f"F{max(8, len(str(int(np.abs(x).max()))) + 2)}.0"
    pyreadstat.write_sav(df, str(tmp), column_labels=labels or None, variable_value_labels=vlabels or None,
                         missing_ranges=missing or None, variable_measure=measure or None, compress=compress,
                         variable_format=formats or None)


def _write_dta(responses: Responses, tmp: Path, compress: bool = False) -> None:
    import pyreadstat

    df, names = _prepared(responses, 32)
    labels = {n: _truncate(responses.variable_labels.get(c) or "", 80) for c, n in names.items()}
    vlabels = {}
    for c, n in names.items():
        vl = responses.value_labels.get(c) or {}
        if vl and pd.api.types.is_numeric_dtype(df[n]):
            ints = {int(float(k)): _truncate(v, 120) for k, v in vl.items() if _is_number(k) and float(k).is_integer()}
            if ints:
                vlabels[n] = ints
    pyreadstat.write_dta(df, str(tmp), column_labels=labels, variable_value_labels=vlabels or None)


def _text_frame(responses: Responses) -> pd.DataFrame:
    """Text columns neutralised against formulas; whole-number floats written without '.0'."""
    df = responses.data
    out = {}
    from coprod.instrument.files import safe_text

    for c in df.columns:
        col = df[c]
        if pd.api.types.is_float_dtype(col):
            vals = col.to_numpy()
            finite = vals[~np.isnan(vals)]
            if finite.size == 0 or np.all(np.mod(finite, 1) == 0) and np.all(np.abs(finite) < 2**53):
                out[c] = col.astype("Int64")
                continue
            out[c] = col
        elif pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
            out[c] = col
        else:
            out[c] = col.map(lambda v: safe_text(v) if isinstance(v, str) else v, na_action="ignore")
    return pd.DataFrame(out, index=df.index)


def _write_csv(responses: Responses, tmp: Path, compress: bool = False) -> None:
    from coprod.instrument.files import safe_text

    df = _text_frame(responses)
    df.columns = [safe_text(str(c)) for c in df.columns]
    df.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")


def _write_xlsx(responses: Responses, tmp: Path, compress: bool = False) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    from coprod.instrument.files import safe_text

    df = responses.data
    if len(df) > 1_048_575:
        raise DataError(f"{tmp.name}: {len(df):,} rows do not fit in an Excel sheet (at most 1,048,575): write .sav or .csv")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Data")

    def text_cell(value):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell

    ws.append([text_cell(str(c)) for c in df.columns])
    cols = []
    for c in df.columns:
        col = df[c]
        if pd.api.types.is_float_dtype(col):
            vals = col.to_numpy()
            cols.append([None if np.isnan(x) else (int(x) if float(x).is_integer() and abs(x) < 2**53 else float(x)) for x in vals])
        elif pd.api.types.is_numeric_dtype(col):
            cols.append([None if pd.isna(x) else x.item() if hasattr(x, "item") else x for x in col.to_numpy()])
        else:
            cols.append([None if (x is None or (isinstance(x, float) and np.isnan(x)) or x is pd.NA or x is pd.NaT)
                         else (text_cell(x) if isinstance(x, str) else x) for x in col.astype(object).to_numpy()])
    for row in zip(*cols):
        ws.append(list(row))
    vs = wb.create_sheet("Variables")
    vs.append([text_cell(h) for h in ("name", "label", "measure", "missing codes", "value labels")])
    for c in df.columns:
        vl = responses.value_labels.get(c) or {}
        codes = responses.missing_codes.get(c) or ()
        ranges = responses.missing_ranges.get(c) or ()
        miss = ", ".join([_as_text(x) for x in codes] + [f"{_as_text(a)} thru {_as_text(b)}" for a, b in ranges])
        vs.append([text_cell(safe_text(str(x))) for x in (
            c, responses.variable_labels.get(c, ""), responses.measure.get(c, ""), miss,
            "; ".join(f"{_as_text(k)} = {v}" for k, v in vl.items()))])
    wb.save(tmp)


def _same_answers(a: pd.Series, b: pd.Series) -> bool:
    """Two 0/1 columns agree wherever both have a value."""
    x = pd.to_numeric(a, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    y = pd.to_numeric(b, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    both = ~np.isnan(x) & ~np.isnan(y)
    return bool(np.array_equal(x[both], y[both]))
