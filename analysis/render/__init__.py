"""The rendering layer: the one place where numbers become text.

Library functions return numeric DataFrames; :func:`emit` writes a set of named tables in the
format asked for (by ``fmt`` or by the extension of ``out``):

=============  =========================  ==================================================
format         extensions                 what it is
=============  =========================  ==================================================
``terminal``   (none), ``.txt``           rich tables on a terminal, plain text otherwise
``json``       ``.json``                  one object {table: [row, ...]}, full precision, null
``csv``        ``.csv``                   numeric columns; ``# name`` line between tables
``xlsx``       ``.xlsx``                  a sheet per table, APA number formats, notes
``docx``       ``.docx``                  APA tables (Word)
``html``       ``.html``, ``.htm``        one self-contained page
``md``         ``.md``                    Markdown pipe tables
``latex``      ``.tex``                   booktabs table environments
=============  =========================  ==================================================

JSON is the machine-readable contract: one object mapping table names to lists of row
objects, numbers kept at full precision and ``null`` for missing.  It is never suppressed.
Every other format applies small-cell suppression (``min_cell``, default 5; 0 turns it off,
see :mod:`analysis.render.suppress`), and free text can never become a spreadsheet formula.
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

from coprod.instrument.errors import OptionError
from coprod.instrument.files import output_batch, safe_text, write_bytes, write_text

from .context import DEFAULT_MIN_CELL, RenderContext
from .document import Column, DisplayTable, Document, Figure, Heading, Paragraph, check_paper
from .specs import display_table
from .suppress import SUPPRESSED, note as suppression_note, suppress_tables

FORMATS = ("terminal", "json", "csv", "xlsx", "docx", "html", "md", "latex")
EXTENSIONS = {".json": "json", ".csv": "csv", ".txt": "terminal", ".xlsx": "xlsx", ".docx": "docx",
              ".html": "html", ".htm": "html", ".md": "md", ".tex": "latex"}
ALIASES = {"excel": "xlsx", "word": "docx", "markdown": "md", "tex": "latex", "text": "terminal", "txt": "terminal",
           "plain": "terminal", "htm": "html"}
BINARY = ("xlsx", "docx")

__all__ = ["emit", "resolve_format", "to_json", "to_csv", "to_plain", "render_document", "tables_document",
           "write_markdown", "figure_dir", "check_figure_dir",
           "FORMATS", "EXTENSIONS", "DisplayTable", "Document", "Column", "Heading", "Paragraph", "Figure",
           "display_table", "RenderContext", "SUPPRESSED"]


def resolve_format(fmt: str | None, out: str | None) -> str:
    """The output format: ``fmt`` if given, else from ``out``'s extension, else the terminal.

    >>> resolve_format(None, "results.XLSX"), resolve_format("word", None), resolve_format(None, None)
    ('xlsx', 'docx', 'terminal')
    """
    if fmt:
        fmt = ALIASES.get(fmt.lower(), fmt.lower())
        if fmt not in FORMATS:
            raise OptionError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})", param="fmt")
        return fmt
    if out:
        ext = Path(out).suffix.lower()
        if ext not in EXTENSIONS:
            raise OptionError(f"cannot tell the format from {str(out)!r} (use one of {', '.join(EXTENSIONS)})", param="out")
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


def _json_column(col: pd.Series) -> list:
    """The values of a column as JSON values (NaN and infinities as null), a whole column at once."""
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "fiub":
        values = col.to_numpy()
        out = values.tolist()
        if col.dtype.kind == "f":
            for i in np.flatnonzero(~np.isfinite(values)):
                out[i] = None
        return out
    if isinstance(col.dtype, pd.StringDtype):
        return col.to_numpy(dtype=object, na_value=None).tolist()
    return [_json_value(v) for v in col]


def _json_rows(rows: list[dict]) -> str:
    """A list of flat rows as ``json.dumps(rows, indent=1)`` nested one level writes it, by the C encoder
    (one call: a raw line break, as in the separator, cannot occur inside an encoded string)."""
    if not rows:
        return "[]"
    if not all(rows):
        return "[\n  " + ",\n  ".join(_json_rows([row])[4:-3] if row else "{}" for row in rows) + "\n ]"
    text = json.JSONEncoder(ensure_ascii=False, separators=(",\n   ", ": ")).encode(rows)
    return "[\n  {\n   " + text[2:-2].replace("},\n   {", "\n  },\n  {\n   ") + "\n  }\n ]"


def to_json(tables: Mapping[str, pd.DataFrame], meta: Mapping | None = None) -> str:
    """Serialise tables as one JSON object {name: [row, ...]}; numbers stay numbers.

    The same text as ``json.dumps(obj, ensure_ascii=False, indent=1)``; the rows are encoded by the C
    encoder (an indented dump runs the pure-Python one) and the columns converted whole.

    >>> print(to_json({"t": pd.DataFrame({"x": [1.5, float("nan")], "n": [1, 2]})}))
    {
     "t": [
      {
       "x": 1.5,
       "n": 1
      },
      {
       "x": null,
       "n": 2
      }
     ]
    }
    """
    parts = []
    for name, df in tables.items():
        cols = [str(c) if not isinstance(c, str) else c for c in df.columns]
        values = [_json_column(df.iloc[:, j]) for j in range(df.shape[1])]
        rows = [dict(zip(cols, row)) for row in zip(*values)] if cols else [{} for _ in range(len(df))]
        parts.append(f" {json.dumps(name, ensure_ascii=False)}: {_json_rows(rows)}")
    if meta:
        text = json.dumps({k: _json_value(v) for k, v in meta.items()}, ensure_ascii=False, indent=1)
        parts.append(' "_meta": ' + text.replace("\n", "\n "))
    return "{\n" + ",\n".join(parts) + "\n}" if parts else "{}"


def to_csv(tables: Mapping[str, pd.DataFrame], min_cell: int = 0) -> str:
    """All tables as CSV, one block per table headed by ``# name``; text can never become a formula.

    Numbers keep full precision.  With ``min_cell`` the small cells are written as ``..`` and a
    last line ``# note: ...`` explains the symbol.

    >>> print(to_csv({"t": pd.DataFrame({"answer": ["=1+1", "ok"], "n": [1, 2]})}), end="")
    answer,n
    '=1+1,1
    ok,2
    """
    shown, hidden = suppress_tables(tables, min_cell) if min_cell else (dict(tables), {})
    buf = io.StringIO()
    for i, (name, df) in enumerate(shown.items()):
        if len(shown) > 1:
            if i:
                buf.write("\n")
            buf.write(f"# {name}\n")
        safe = df.copy()
        for c in safe.columns:
            if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
                safe[c] = safe[c].map(lambda v: str(v) if v is SUPPRESSED else safe_text(v))
        safe.to_csv(buf, index=False, lineterminator="\n")
    if any(hidden.values()):
        buf.write(f"# note: {suppression_note(min_cell)}\n")
    return buf.getvalue()


def tables_document(tables: Mapping[str, pd.DataFrame], min_cell: int = DEFAULT_MIN_CELL,
                    context: RenderContext | None = None, title: str = "", meta: Mapping | None = None) -> Document:
    """A document of the display versions of ``tables`` (suppressed with ``min_cell``)."""
    shown, hidden = suppress_tables(tables, min_cell) if min_cell else (dict(tables), {})
    ctx = (context or RenderContext()).replace(min_cell=min_cell, suppressed=hidden)
    # an empty table (e.g. no pairwise comparisons with two groups) is left out of human formats,
    # unless it is the only one
    keep = {n: df for n, df in shown.items() if len(df) or len(shown) == 1}
    blocks = [display_table(name, df, ctx) for name, df in keep.items()]
    return Document(title=title, blocks=blocks, provenance={k: v for k, v in (meta or {}).items() if v is not None})


def to_plain(tables: Mapping[str, pd.DataFrame], min_cell: int = DEFAULT_MIN_CELL,
             context: RenderContext | None = None) -> str:
    """Plain fixed-width text of the APA display tables."""
    from .text import to_plain as plain

    return plain(tables_document(tables, min_cell, context))


def render_document(doc: Document, fmt: str) -> str | bytes:
    """Render a document in a human format (all but json and csv); bytes for xlsx and docx.

    Numbers are written in the document's :attr:`~Document.decimal` style."""
    from .apa import decimal_style

    with decimal_style(getattr(doc, "decimal", "point")):
        return _render_document(doc, fmt)


def _render_document(doc: Document, fmt: str) -> str | bytes:
    if fmt not in ("xlsx", "docx"):  # those two write their tables first, then wait for the figures
        doc.settle()
    if fmt == "xlsx":
        from .xlsx import to_xlsx

        return to_xlsx(doc)
    if fmt == "docx":
        from .docx import to_docx

        return to_docx(doc)
    if fmt == "html":
        from .html import to_html

        return to_html(doc)
    if fmt == "md":
        from .text import to_markdown

        return to_markdown(doc)
    if fmt == "latex":
        from .text import to_latex

        return to_latex(doc)
    from .text import to_plain as plain

    return plain(doc)


def write_output(data: str | bytes, out, force: bool = False) -> str:
    """Write rendered output atomically (never over an existing file without ``force``)."""
    if isinstance(data, bytes):
        write_bytes(out, data, force=force)
    else:
        write_text(out, data if data.endswith("\n") else data + "\n", force=force)
    return str(out)


def figure_dir(out) -> Path:
    """The folder beside a Markdown file that holds its charts: ``report_files`` for ``report.md``.

    >>> figure_dir("out/report.md").as_posix()
    'out/report_files'
    """
    out = Path(out)
    return out.with_name(out.stem + "_files")


def check_figure_dir(out, force: bool = False) -> Path:
    """Raise :class:`OutputExistsError` if the figure folder of ``out`` exists (and not ``force``),
    or if it is a file."""
    from coprod.instrument.errors import OutputExistsError

    folder = figure_dir(out)
    if folder.exists() and not folder.is_dir():
        raise OutputExistsError(f"{folder}: exists and is not a folder (the charts of {Path(out).name} go there)")
    if folder.exists() and not force:
        raise OutputExistsError(f"{folder}: exists already")
    return folder


def write_markdown(doc: Document, out, force: bool = False) -> str:
    """Write ``doc`` as Markdown with its charts as PNG files in :func:`figure_dir`, linked relatively.

    Nothing is written when ``out`` or the folder exists (and not ``force``); each file is written
    atomically, the charts first and the .md last; if a write fails, the charts written so far are
    removed again (:func:`~coprod.instrument.files.output_batch`).  A document without charts is one
    .md file and no folder.
    """
    import re

    from coprod.instrument.files import check_writable

    from .text import markdown_figures, to_markdown

    from .apa import decimal_style

    check_writable(out, force)
    doc.settle()
    pngs = markdown_figures(doc)
    if not pngs:
        return write_output(render_document(doc, "md"), out, force)
    folder = check_figure_dir(out, force)
    with decimal_style(getattr(doc, "decimal", "point")):
        text = to_markdown(doc, figure_dir=folder.name)
    with output_batch():  # the charts and the .md are put in place together, or none of them
        for i, png in enumerate(pngs, 1):
            write_bytes(folder / f"figure-{i}.png", png, force=force)
        write_output(text, out, force)
    for f in folder.glob("figure-*.png"):  # charts of an earlier, longer report replaced with force
        m = re.fullmatch(r"figure-(\d+)\.png", f.name)
        if m and int(m.group(1)) > len(pngs):
            f.unlink(missing_ok=True)
    return str(out)


#: Tables with a row per respondent: written in the data formats only (JSON, CSV, Excel).
PER_RESPONDENT = frozenset({"respondents"})
DATA_FORMATS = frozenset({"json", "csv", "xlsx"})


def emit(tables: Mapping[str, pd.DataFrame], fmt: str | None = None, out: str | None = None,
         force: bool = False, meta: Mapping | None = None, min_cell: int | None = None,
         context: RenderContext | None = None, title: str = "", paper: str = "a4") -> str | None:
    """Render ``tables`` and write them to ``out`` (or stdout). Returns the path written, if any.

    ``min_cell`` (default 5; 0 = off) suppresses small cells in every format but JSON;
    ``context`` (a :class:`RenderContext`) passes hints to the table notes; ``meta`` is
    provenance (JSON ``_meta``; a provenance block in the human formats); ``paper`` (``a4`` or
    ``letter``) is the page of Word documents and printed workbooks. Tables with a row per respondent
    (:data:`PER_RESPONDENT`) are written in the data formats only (:data:`DATA_FORMATS`).
    """
    paper = check_paper(paper)
    fmt = resolve_format(fmt, out)
    min_cell = DEFAULT_MIN_CELL if min_cell is None else int(min_cell)
    if min_cell < 0:
        raise OptionError("must be 0 (off) or a positive number", param="min_cell")
    if fmt in BINARY and not out:
        raise OptionError(f"{fmt} is written to a file: name one", param="out")
    if fmt not in DATA_FORMATS:  # a row per respondent is data, not a table to read
        tables = {name: t for name, t in tables.items() if name not in PER_RESPONDENT}
    if fmt == "json":
        text = to_json(tables, meta)
    elif fmt == "csv":
        text = to_csv(tables, min_cell)
    else:
        doc = tables_document(tables, min_cell, context, title, meta if fmt != "terminal" else None)
        doc.paper = paper
        if fmt == "terminal" and not out:
            if sys.stdout.isatty():
                from .text import print_terminal

                print_terminal(doc)
                return None
        text = render_document(doc, fmt)
    if out:
        return write_output(text, out, force)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return None
