"""Provenance of an output: which coprod, which instrument, which input file (SHA-256), which command, when."""
from __future__ import annotations

import datetime as dt
import hashlib
import platform
from pathlib import Path


def installed_version(name: str) -> str:
    """The version of an installed distribution, "unknown" if none: the first ``NAME-VERSION.dist-info``
    folder on ``sys.path``, as ``importlib.metadata.version`` finds it, without importing that module
    and its e-mail parser (a tenth of a small command's time); importlib.metadata where it differs.
    """
    import os
    import sys

    prefix = name.lower().replace("-", "_") + "-"
    for entry in sys.path:
        try:
            found = [n for n in os.listdir(entry or ".") if n.lower().startswith(prefix)
                     and n.endswith(".dist-info") and n[:-len(".dist-info")].count("-") == 1]
        except OSError:
            continue
        if found:
            return found[0][len(prefix):-len(".dist-info")]
        if any(n.lower().startswith(name.lower()) and n.endswith(".egg-info") for n in os.listdir(entry or ".")):
            break  # an egg-info (e.g. a development install): importlib.metadata reads it
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def coprod_version() -> str:
    """The installed coprod version ("unknown" when run from a source tree that is not installed)."""
    return installed_version("coprod")


def software_versions() -> dict:
    """Versions of coprod, Python and the numerical libraries, for methods paragraphs and provenance."""
    import numpy as np
    import pandas as pd

    # from the package metadata: importing statsmodels alone takes ~1 s
    return {"coprod": coprod_version(), "Python": platform.python_version(), "pandas": pd.__version__,
            "NumPy": np.__version__, "SciPy": installed_version("scipy"), "statsmodels": installed_version("statsmodels")}


def sha256_of(path, stop=None) -> str:
    """SHA-256 of a file, read in 1 MiB chunks; "" if ``stop`` (a :class:`threading.Event`) is set meanwhile.

    >>> import tempfile, os
    >>> fd, p = tempfile.mkstemp(); os.write(fd, b"abc"); os.close(fd)
    3
    >>> sha256_of(p)[:16]
    'ba7816bf8f01cfea'
    """
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            if stop is not None and stop.is_set():
                return ""
            h.update(chunk)
    return h.hexdigest()


def provenance(source, instrument=None, command: str = "") -> dict:
    """The provenance block printed under every human-readable table."""
    p = Path(source) if source is not None else None
    return {
        "coprod": coprod_version(),
        "instrument": f"{instrument.id} {instrument.version}" if instrument is not None else "none",
        "input": p.name if p is not None else "(data given in memory)",
        "input SHA-256": sha256_of(p) if p is not None and p.is_file() else "",
        "command": command,
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def emit_with_provenance(tables, resp, source, fmt=None, out=None, force: bool = False, min_cell: int | None = None,
                         paper: str = "a4", command: str = "", weight: str | None = None,
                         weight_type: str = "frequency", **context) -> str | None:
    """Render statistics tables as :func:`analysis.render.emit` does, with the provenance block (file,
    SHA-256, instrument, ``command``, date) in human formats and notes on why a statistic is empty;
    ``context``: fields of the tables' :class:`~analysis.render.RenderContext` (adjust, missing_rule).
    With a case ``weight`` every table's note says so and the ``weighting`` table (also in JSON)
    names the variable, the weight type, the cases used and left out, and the sum of weights.
    Returns the path written, if any."""
    from coprod.analysis.render import RenderContext, emit, resolve_format
    from coprod.analysis.stats.common import unusable_notes
    from coprod.analysis.stats.weighting import case_weights

    weights = case_weights(resp, weight, weight_type)
    if weights is not None:
        tables = {**tables, "weighting": weights.table()}
    notes = ([weights.note()] if weights is not None else []) + unusable_notes(resp)
    ctx = RenderContext(**context).replace(data_notes=notes, design_based=bool(weights and not weights.frequency))
    if "descriptives" in tables and "variable" in tables["descriptives"].columns:  # the top box in the scale's words
        from coprod.analysis.stats.common import top_box_labels

        ctx = ctx.replace(top_box_labels=top_box_labels(resp, tables["descriptives"]["variable"].unique()))
    machine = resolve_format(fmt, out) == "json"  # the JSON contract holds tables only
    meta = None if machine else provenance(source, getattr(resp, "instrument", None), command)
    return emit(tables, fmt, out, force, meta=meta, min_cell=min_cell, context=ctx, paper=paper)
