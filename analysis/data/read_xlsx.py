"""Reading Excel workbooks: the coprod data-entry workbook, or any workbook with a header row.

Formula cells without a stored result (a workbook never opened in Excel after it was made) are
reported as :class:`~coprod.analysis.data.loaded.ReadProblem` rows, never read as empty in silence.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from coprod.analysis.data.loaded import LoadedResponses, ReadProblem, short_error
from coprod.analysis.data.read_table import from_table
from coprod.instrument.errors import DataError


def _xlsx_formula_sheets(raw: bytes) -> set:
    """Worksheet XML parts that hold a formula (a cheap scan: the common case has none)."""
    found = set()
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
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


def read_xlsx(p: Path, kind: str) -> LoadedResponses:
    """The data sheet of a workbook: the entry workbook's ``Data``, else the first sheet with content."""
    import openpyxl

    raw = p.read_bytes()  # read once: the values, then (rarely) the formulas
    try:
        zipfile.ZipFile(io.BytesIO(raw)).close()
    except zipfile.BadZipFile:
        raise DataError(f"{p}: damaged or truncated (not a complete .xlsx file)") from None
    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)  # by content, any name
    except Exception as exc:
        raise DataError(f"{p}: not an Excel workbook coprod can read ({short_error(exc)})") from None
    try:
        sheet, origin = _data_sheet(p, wb)
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
    problems = _formula_problems(p, raw, sheet_title, header, header_row, body)
    res = from_table(p, header, body, [], first_row=1, problems=problems)
    res.origin.update(origin)
    res.origin["sheet"] = sheet_title
    return res


def _data_sheet(p: Path, wb) -> tuple:
    """(the sheet holding the data, what the workbook says about itself)."""
    if "coprod" in wb.sheetnames:
        meta = {}
        for row in wb["coprod"].iter_rows(values_only=True):
            if row and row[0] is not None and len(row) > 1:
                meta[str(row[0]).strip()] = row[1]
        if str(meta.get("kind", "")).strip() == "entry":
            origin = {"kind": "entry", **{k: ("" if v is None else str(v)) for k, v in meta.items() if k != "kind"}}
            if "Data" not in wb.sheetnames:
                raise DataError(f"{p}: a coprod entry workbook without its Data sheet")
            return wb["Data"], origin
    # any other workbook: the first visible sheet with something in its first rows
    sheets = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"] or wb.worksheets
    return next((ws for ws in sheets if _first_filled_row(ws) is not None), sheets[0]), {"kind": "xlsx"}


def _first_filled_row(ws, look: int = 20):
    """The number of the first row (within the first ``look``) with any value: the header row."""
    for i, row in enumerate(ws.iter_rows(min_row=1, max_row=look, values_only=True), start=1):
        if any(v is not None and str(v).strip() != "" for v in row):
            return i
    return None


def _formula_problems(p: Path, raw: bytes, sheet_title: str, header: list, header_row: int, body: pd.DataFrame) -> list:
    """Formula cells that have no stored result (the workbook was never recalculated in Excel)."""
    if not _xlsx_formula_sheets(raw):
        return []
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
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
