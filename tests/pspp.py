"""Run GNU PSPP on generated data and read its tables back at full precision.

PSPP prints statistics rounded for display; ``OUTPUT MODIFY /TABLECELLS`` and variable print
formats of F40.16 make it print 16 decimals, which the CSV output driver keeps.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

PSPP = shutil.which("pspp")

PRECISION = """SET FORMAT=F40.16.
OUTPUT MODIFY /SELECT TABLES
  /TABLECELLS SELECT=[SIGNIFICANCE OTHER RESIDUAL CORRELATIONS PERCENT] FORMAT=F40.16.
"""


def require_pspp() -> str:
    if PSPP is None:
        pytest.skip("GNU PSPP (pspp) is not installed")
    return PSPP


def write_sav(df: pd.DataFrame, path: Path, **meta) -> Path:
    import pyreadstat

    pyreadstat.write_sav(df, str(path), **meta)
    return path


def run_sav(df: pd.DataFrame, meta: dict, syntax: str, workdir: Path, precise_vars=()):
    """Write ``df`` (with ``meta``) as a .sav file and run ``syntax`` on it: (the file as Responses, the tables)."""
    from coprod.analysis.data.io import load_responses

    path = write_sav(df, workdir / "data.sav", **meta)
    result = run(syntax, workdir, path, precise_vars=precise_vars)
    return load_responses(path), result


def run(syntax: str, workdir: Path, data: Path | None = None, precise_vars=()) -> list[tuple[str, list[list[str]]]]:
    """Run ``syntax`` (after GET FILE of ``data``) and return [(title, rows)] for every table."""
    exe = require_pspp()
    head = f"GET FILE='{data}'.\n" if data else ""
    head += PRECISION
    if precise_vars:
        head += f"FORMATS {' '.join(precise_vars)} (F40.16).\n"
    sps = workdir / "job.sps"
    out = workdir / "out.csv"
    sps.write_text(head + syntax)
    proc = subprocess.run([exe, str(sps), "-o", str(out), "-O", "format=csv"], capture_output=True, text=True,
                          timeout=120, cwd=workdir)
    text = out.read_text() if out.exists() else ""
    errors = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "error:" in ln]
    if errors:
        raise RuntimeError("PSPP: " + " | ".join(errors))
    return parse(text)


def parse(text: str) -> list[tuple[str, list[list[str]]]]:
    tables = []
    for block in text.split("\n\n"):
        block = block.strip("\n")
        if not block.startswith("Table: "):
            continue
        title, _, body = block.partition("\n")
        rows = list(csv.reader(io.StringIO(body)))
        tables.append((title[len("Table: "):], rows))
    return tables


def tables(result, title: str) -> list[list[list[str]]]:
    """Every table whose title starts with ``title``."""
    return [rows for t, rows in result if t.startswith(title)]


def num(cell: str) -> float:
    """A number as PSPP prints it ('.25', '-1.5', '12.5%', '' -> NaN)."""
    cell = cell.strip().rstrip("%")
    if cell in ("", "NaN", "."):
        return float("nan")
    return float(cell)
