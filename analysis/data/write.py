"""Writing response data: a labelled ``.sav``/``.zsav`` or ``.dta`` (pyreadstat), ``.csv`` or ``.xlsx``.

Every file is written atomically and never replaces another unless asked to; text cells in CSV and
Excel can never become formulas.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from coprod.analysis.data.loaded import as_text, is_number, short_error
from coprod.analysis.data.recorded import file_label
from coprod.analysis.data.responses import Responses
from coprod.instrument.errors import DataError, OptionError, OutputError
from coprod.instrument.names import safe_names, utf8_truncate


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
        except (DataError, OptionError, OutputError):
            raise
        except OSError as exc:
            from coprod.instrument.files import os_cause

            raise OutputError(f"{p}: {os_cause(exc)}") from None
        except Exception as exc:
            raise DataError(f"{p}: cannot write ({short_error(exc)})") from None
    return p


def _prepared(responses: Responses, limit: int, unicode: bool = False) -> tuple[pd.DataFrame, dict]:
    """Columns renamed to safe names; text columns as str; returns (frame, {old: new})."""
    df = responses.data
    names = safe_names(df.columns, spss=True, limit=limit, unicode=unicode)
    changes = {}
    for c in df.columns:
        col = df[c]
        if pd.api.types.is_bool_dtype(col):
            changes[c] = col.astype(float)
        elif col.dtype == object:
            kinds = {type(v) for v in col.dropna()}
            if kinds and all(issubclass(k, (dt.date, dt.datetime, pd.Timestamp)) for k in kinds):
                continue
            if kinds and all(issubclass(k, (int, float, np.number)) for k in kinds):
                changes[c] = pd.to_numeric(col, errors="coerce").astype(float)
            else:
                changes[c] = col.map(as_text, na_action="ignore").astype("str")
    if changes:
        df = df.assign(**{str(k): v for k, v in changes.items()})
    renamed = {k: v for k, v in names.items() if k != v}
    if renamed:
        df = df.rename(columns=renamed)
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
            labels[n] = utf8_truncate(lab, 256)
        vl = responses.value_labels.get(c)
        if vl:
            if n in numeric:
                vl = {float(k): utf8_truncate(v, 120) for k, v in vl.items() if is_number(k)}
            else:
                vl = {str(k): utf8_truncate(v, 120) for k, v in vl.items()}
            if vl:
                vlabels[n] = vl
        codes = responses.missing_codes.get(c) or ()
        ranges = responses.missing_ranges.get(c) or ()
        if codes or ranges:
            if n in numeric:
                spec = _missing_spec([float(x) for x in codes if is_number(x)],
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
    pyreadstat.write_sav(df, str(tmp), file_label=_file_label(responses), column_labels=labels or None, variable_value_labels=vlabels or None,
                         missing_ranges=missing or None, variable_measure=measure or None, compress=compress,
                         variable_format=formats or None)


def _file_label(responses: Responses) -> str:
    """The file label recording the instrument the data were checked against (read back by the readers)."""
    inst = getattr(responses, "instrument", None)
    return file_label(inst) if inst is not None else ""


def _write_dta(responses: Responses, tmp: Path, compress: bool = False) -> None:
    import pyreadstat

    df, names = _prepared(responses, 32)
    labels = {n: utf8_truncate(responses.variable_labels.get(c) or "", 80) for c, n in names.items()}
    vlabels = {}
    for c, n in names.items():
        vl = responses.value_labels.get(c) or {}
        if vl and pd.api.types.is_numeric_dtype(df[n]):
            ints = {int(float(k)): utf8_truncate(v, 120) for k, v in vl.items() if is_number(k) and float(k).is_integer()}
            if ints:
                vlabels[n] = ints
    pyreadstat.write_dta(df, str(tmp), file_label=_file_label(responses), column_labels=labels,
                         variable_value_labels=vlabels or None)


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
        miss = ", ".join([as_text(x) for x in codes] + [f"{as_text(a)} thru {as_text(b)}" for a, b in ranges])
        vs.append([text_cell(safe_text(str(x))) for x in (
            c, responses.variable_labels.get(c, ""), responses.measure.get(c, ""), miss,
            "; ".join(f"{as_text(k)} = {v}" for k, v in vl.items()))])
    wb.save(tmp)
