"""Reading an XLSForm workbook: its sheets as rows, cell values as numbers, translated columns
(``label::English (en)``) as ``{language: text}``, and the definition tree's line-aware containers.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from .errors import DefinitionError, Problem
from .inputs import MAX_DEFINITION_BYTES, input_problem
from .names import LANGUAGE_NAMES
from .yamlsource import LDict, LList

#: The sheets the reader uses (``coprod_*`` are written by :mod:`instrument.forms.xlsform`).
SHEETS = ("survey", "choices", "settings", "coprod_scales", "coprod_missing")
LANG_RE = re.compile(r"^(?P<base>[^:]+)::\s*(?P<lang>.+?)\s*$")
_NAME_TO_CODE = {v.lower(): k for k, v in LANGUAGE_NAMES.items()}
#: Rows a sheet may have. Reading is linear, but a workbook row costs about a millisecond to parse,
#: so a sheet of 100,000 rows would take minutes; a questionnaire is far smaller than this.
MAX_ROWS = 20_000


def read_sheets(path: str) -> dict:
    """{sheet: (header, rows)} of the sheets in :data:`SHEETS` (see :func:`sheet_rows`); ``survey`` is required."""
    from openpyxl import load_workbook

    problem = input_problem(path, MAX_DEFINITION_BYTES)  # a pipe, device or folder is never opened
    if problem:
        raise DefinitionError([Problem(path, 0, problem)])
    try:
        wb = load_workbook(io.BytesIO(Path(path).read_bytes()), read_only=True, data_only=True)
    except FileNotFoundError:
        raise DefinitionError([Problem(path, 0, "no such file")]) from None
    except Exception as exc:  # zip/xml errors of a damaged or non-xlsx file
        raise DefinitionError([Problem(path, 0, f"cannot read as an XLSForm workbook ({type(exc).__name__})")]) from None
    try:
        sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
        if "survey" not in sheets:
            raise DefinitionError([Problem(path, 0, "no 'survey' sheet: not an XLSForm")])
        return {name: sheet_rows(ws, path) for name, ws in sheets.items() if name in SHEETS}
    finally:
        wb.close()


def _too_many(ws, path: str, rows: int | None) -> DefinitionError:
    size = f"{rows:,} rows" if rows else f"more than {MAX_ROWS:,} rows"
    return DefinitionError([Problem(path, 0, f"the {ws.title!r} sheet has {size}; an XLSForm may have at most "
                                             f"{MAX_ROWS:,} rows per sheet")])


def sheet_rows(ws, path: str = "<xlsform>"):
    """(header, [(row number, {column: value})]) with header names stripped; empty cells and rows left out.

    A sheet of more than :data:`MAX_ROWS` rows is refused: at once when the workbook says its size,
    else as soon as the row past the limit is read.
    """
    declared = getattr(ws, "max_row", None)
    if isinstance(declared, int) and declared > MAX_ROWS + 1:
        raise _too_many(ws, path, declared - 1)
    rows = ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2)
    try:
        header = next(rows)
    except StopIteration:
        return [], []
    names = [str(h).strip() if h is not None else "" for h in header]
    out = []
    for i, r in enumerate(rows, start=2):
        rec = {}
        for h, v in zip(names, r):
            if h and v is not None and str(v).strip() != "":
                rec[h] = v.strip() if isinstance(v, str) else v
        if rec:
            out.append((i, rec))
        if i > MAX_ROWS + 1:
            raise _too_many(ws, path, None)
    return names, out


def lang_code(label: str) -> str | None:
    """``English (en)`` -> ``en``; ``English`` -> ``en``; ``fi`` -> ``fi``.

    >>> [lang_code(x) for x in ("Svenska (sv)", "Suomi", "de", "Klingon")]
    ['sv', 'fi', 'de', None]
    """
    m = re.search(r"\(([A-Za-z]{2})\)\s*$", label)
    if m:
        return m.group(1).lower()
    low = label.strip().lower()
    if low in _NAME_TO_CODE:
        return _NAME_TO_CODE[low]
    if re.fullmatch(r"[a-z]{2}", low):
        return low
    return None


def translations(rec: dict, base: str, langs: list[str], default: str) -> dict:
    """{lang: text} from ``base::Lang (xx)`` columns (and a plain ``base`` column as the default language).

    >>> translations({"label::Suomi (fi)": "Kyllä", "label": "Yes", "hint": "-"}, "label", ["en", "fi"], "en")
    {'fi': 'Kyllä', 'en': 'Yes'}
    """
    out = {}
    for k, v in rec.items():
        m = LANG_RE.match(k)
        if m and m.group("base").strip().lower() == base:
            code = lang_code(m.group("lang"))
            if code:
                out[code] = str(v)
        elif k.strip().lower() == base:
            out.setdefault(default, str(v))
    return out


def num(text):
    """A code or bound as a number, or None.

    >>> [num(x) for x in (3, 2.0, "-9", "2.50", " 7 ", "x", True)]
    [3, 2, -9, 2.5, 7, None, None]
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return int(text) if float(text).is_integer() else float(text)
    try:
        v = float(str(text).strip())
    except ValueError:
        return None
    return int(v) if v.is_integer() and re.fullmatch(r"-?\d+(\.0*)?", str(text).strip()) else v


def ld(line: int, **items) -> LDict:
    """A mapping of the tree, its keys on ``line`` (None values left out)."""
    d = LDict()
    d.line = line
    for k, v in items.items():
        if v is not None:
            d[k] = v
            d.key_lines[k] = line
    return d


def ll(items, lines) -> LList:
    """A list of the tree with the line of each item."""
    out = LList(items)
    out.item_lines = list(lines)
    out.line = lines[0] if lines else 0
    return out
