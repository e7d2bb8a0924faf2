"""The rendering layer: the one place where numbers become text.

Library functions return numeric DataFrames; :func:`emit` writes a set of named tables in the
format asked for (by ``fmt`` or by the extension of ``out``).  JSON is the machine-readable
contract: one object mapping table names to lists of row objects, numbers kept at full
precision and ``null`` for missing.
"""
from __future__ import annotations

import io
import json
import math
import sys
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from instrument.errors import OptionError
from instrument.files import safe_text, write_text

FORMATS = ("terminal", "json", "csv")
EXTENSIONS = {".json": "json", ".csv": "csv", ".txt": "terminal"}


def resolve_format(fmt: str | None, out: str | None) -> str:
    """The output format: ``fmt`` if given, else from ``out``'s extension, else the terminal."""
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise OptionError(f"--format: unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
        return fmt
    if out:
        ext = Path(out).suffix.lower()
        if ext not in EXTENSIONS:
            raise OptionError(f"--out: cannot tell the format from {out!r} (use one of {', '.join(EXTENSIONS)})")
        return EXTENSIONS[ext]
    return "terminal"


def _json_value(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, (pd.Timestamp,)):
        return v.isoformat()
    return v


def to_json(tables: Mapping[str, pd.DataFrame], meta: Mapping | None = None) -> str:
    """Serialise tables as one JSON object {name: [row, ...]}; numbers stay numbers."""
    obj = {}
    for name, df in tables.items():
        cols = list(df.columns)
        obj[name] = [{c: _json_value(v) for c, v in zip(cols, row)} for row in df.itertuples(index=False, name=None)]
    if meta:
        obj["_meta"] = {k: _json_value(v) for k, v in meta.items()}
    return json.dumps(obj, ensure_ascii=False, indent=1)


def to_csv(tables: Mapping[str, pd.DataFrame]) -> str:
    """All tables as CSV, one block per table headed by ``# name``; text can never become a formula."""
    buf = io.StringIO()
    for i, (name, df) in enumerate(tables.items()):
        if len(tables) > 1:
            if i:
                buf.write("\n")
            buf.write(f"# {name}\n")
        safe = df.copy()
        for c in safe.columns:
            if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
                safe[c] = safe[c].map(safe_text)
        safe.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _fmt_cell(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    if isinstance(v, (float, np.floating)):
        return f"{v:.4g}" if abs(v) < 1e-3 and v != 0 else f"{v:.3f}"
    return str(v)


def to_plain(tables: Mapping[str, pd.DataFrame]) -> str:
    """A plain fixed-width text rendering, one block per table."""
    out = []
    for name, df in tables.items():
        out.append(name)
        cols = [str(c) for c in df.columns]
        rows = [[_fmt_cell(v) for v in r] for r in df.itertuples(index=False, name=None)]
        widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(cols)]
        out.append("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
        out.append("  ".join("-" * w for w in widths))
        for r in rows:
            out.append("  ".join(v.ljust(w) for v, w in zip(r, widths)))
        out.append("")
    return "\n".join(out)


def emit(tables: Mapping[str, pd.DataFrame], fmt: str | None = None, out: str | None = None,
         force: bool = False, meta: Mapping | None = None) -> str | None:
    """Render ``tables`` and write them to ``out`` (or stdout). Returns the path written, if any."""
    fmt = resolve_format(fmt, out)
    if fmt == "json":
        text = to_json(tables, meta)
    elif fmt == "csv":
        text = to_csv(tables)
    else:
        text = to_plain(tables)
    if out:
        write_text(out, text if text.endswith("\n") else text + "\n", force=force)
        return out
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return None
