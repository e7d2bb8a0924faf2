"""Reading an XLSForm workbook: its sheets as rows, cell values as numbers, translated columns
(``label::English (en)``) as ``{language: text}``, and the definition tree's line-aware containers.
"""
from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

from .errors import DefinitionError, Problem
from .inputs import MAX_DEFINITION_BYTES, input_problem
from .names import ISO_639_1, LANGUAGE_NAMES
from .lines import LDict, LList

#: The sheets the reader uses (``coprod_*`` are written by :mod:`instrument.forms.xlsform`).
SHEETS = ("survey", "choices", "settings", "coprod_scales", "coprod_missing", "external_choices")
LANG_RE = re.compile(r"^(?P<base>[^:]+)::\s*(?P<lang>.+?)\s*$")
_NAME_TO_CODE = {v.lower(): k for k, v in LANGUAGE_NAMES.items()}
#: Language names as fieldwork teams write them in headers (``label::French``), in English.
ENGLISH_NAMES = {
    "english": "en", "french": "fr", "swahili": "sw", "kiswahili": "sw", "arabic": "ar", "spanish": "es",
    "portuguese": "pt", "chinese": "zh", "mandarin": "zh", "russian": "ru", "german": "de", "italian": "it",
    "dutch": "nl", "finnish": "fi", "swedish": "sv", "norwegian": "no", "danish": "da", "estonian": "et",
    "polish": "pl", "ukrainian": "uk", "turkish": "tr", "greek": "el", "hebrew": "he", "persian": "fa", "farsi": "fa",
    "pashto": "ps", "urdu": "ur", "hindi": "hi", "bengali": "bn", "bangla": "bn", "nepali": "ne", "burmese": "my",
    "khmer": "km", "lao": "lo", "thai": "th", "vietnamese": "vi", "indonesian": "id", "malay": "ms", "tagalog": "tl",
    "somali": "so", "amharic": "am", "tigrinya": "ti", "tigrigna": "ti", "tigirigna": "ti", "oromo": "om",
    "oromiffa": "om", "afaan oromo": "om", "hausa": "ha", "yoruba": "yo", "igbo": "ig", "kinyarwanda": "rw",
    "kirundi": "rn", "luganda": "lg", "lingala": "ln", "zulu": "zu", "xhosa": "xh", "afrikaans": "af",
    "shona": "sn", "chichewa": "ny", "malagasy": "mg", "wolof": "wo", "fula": "ff", "fulfulde": "ff", "bambara": "bm",
    "kurdish": "ku", "armenian": "hy", "georgian": "ka", "romanian": "ro", "hungarian": "hu", "czech": "cs",
    "serbian": "sr", "croatian": "hr", "bosnian": "bs", "albanian": "sq", "japanese": "ja", "korean": "ko",
    "tamil": "ta", "telugu": "te", "sinhala": "si", "punjabi": "pa", "gujarati": "gu", "marathi": "mr",
    "haitian creole": "ht", "creole": "ht", "icelandic": "is", "sami": "se", "northern sami": "se",
}
#: XLSForm header spellings pyxform accepts, as the reader's names (headers are compared ignoring case).
HEADER_ALIASES = {"list name": "list_name", "caption": "label", "constraint message": "constraint_message",
                  "required message": "required_message", "choice filter": "choice_filter",
                  "form title": "form_title", "form id": "form_id", "id_string": "form_id", "title": "form_title",
                  "default language": "default_language", "media::image": "image", "media::audio": "audio",
                  "media::video": "video"}
_TRANSLATABLE = ("label", "hint", "guidance_hint", "constraint_message", "required_message", "image", "audio", "video",
                 "big-image", "media::image", "media::audio", "media::video")
#: Rows a sheet may have. Reading is linear, but a workbook row costs about a millisecond to parse,
#: so a sheet of 100,000 rows would take minutes; a questionnaire is far smaller than this.
MAX_ROWS = 20_000


def read_sheets(path: str) -> dict:
    """{sheet: (header, rows)} of the sheets in :data:`SHEETS` (see :func:`sheet_rows`); ``survey`` is required."""
    from openpyxl import load_workbook

    problem = input_problem(path, MAX_DEFINITION_BYTES)  # a pipe, device or folder is never opened
    if problem:
        raise DefinitionError([Problem(path, 0, problem)])
    if path.lower().endswith(".xls"):
        return _read_xls(path)
    try:
        with warnings.catch_warnings():  # openpyxl's notes on styles and extensions are not the user's problem
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(Path(path).read_bytes()), read_only=True, data_only=True)
    except FileNotFoundError:
        raise DefinitionError([Problem(path, 0, "no such file")]) from None
    except Exception as exc:  # zip/xml errors of a damaged or non-xlsx file
        raise DefinitionError([Problem(path, 0, f"cannot read as an XLSForm workbook ({type(exc).__name__})")]) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
            out = {name: sheet_rows(*_ws_args(ws, path)) for name, ws in sheets.items() if name in SHEETS}
            return _with_survey(path, out, lambda: sheet_rows(*_ws_args(wb.worksheets[0], path)))
    finally:
        wb.close()


def _read_xls(path: str) -> dict:
    """The sheets of an old Excel ``.xls`` workbook (read with xlrd), as :func:`read_sheets` returns them."""
    try:
        import xlrd
    except ImportError:  # pragma: no cover - xlrd comes with the package
        raise DefinitionError([Problem(path, 0, "an old .xls workbook: save it as .xlsx")]) from None
    try:
        book = xlrd.open_workbook(path)
    except FileNotFoundError:
        raise DefinitionError([Problem(path, 0, "no such file")]) from None
    except Exception as exc:
        raise DefinitionError([Problem(path, 0, f"cannot read this .xls workbook ({type(exc).__name__}): save it as .xlsx")]) from None
    sheets = {sh.name.strip().lower(): sh for sh in book.sheets()}

    def cells(sh):
        for i in range(sh.nrows):
            yield tuple(_xls_value(c, book.datemode) for c in sh.row(i))

    out = {name: sheet_rows(cells(sh), path, sh.name) for name, sh in sheets.items() if name in SHEETS}
    return _with_survey(path, out, lambda: sheet_rows(cells(book.sheet_by_index(0)), path, book.sheet_by_index(0).name))


def _with_survey(path: str, sheets: dict, first) -> dict:
    """``sheets`` with a survey: as pyxform does, a workbook without one whose first sheet has
    ``type`` and ``name`` columns uses that sheet."""
    if "survey" not in sheets:
        header, rows = first() if not sheets else ([], [])
        if not {"type", "name"} <= set(header):
            raise DefinitionError([Problem(path, 0, "no 'survey' sheet: not an XLSForm")])
        sheets["survey"] = (header, rows)
    return sheets


def _xls_value(cell, datemode):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return int(cell.value) if float(cell.value).is_integer() else cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
    return cell.value


def norm_header(h) -> str:
    """A column header as the reader names it: case and spelling as pyxform compares them.

    >>> [norm_header(h) for h in ("Type", "LIST NAME", "label:English", "Label::French", "bind::odk:length", "media::image::Fr")]
    ['type', 'list_name', 'label::English', 'label::French', 'bind::odk:length', 'image::Fr']
    """
    h = str(h).strip() if h is not None else ""
    if not h:
        return ""
    low = h.lower()
    if low in HEADER_ALIASES:
        return HEADER_ALIASES[low]
    for media in ("media::image", "media::audio", "media::video"):
        if low.startswith(media + "::"):
            return media.split("::")[1] + h[len(media):]
    if "::" in h:
        base, _, rest = h.partition("::")
        base = base.strip().lower()
        if base == "bind":
            return f"bind::{rest.strip()}"
        return f"{HEADER_ALIASES.get(base, base.replace(' ', '_'))}::{rest.strip()}"
    m = re.fullmatch(r"([A-Za-z_ ]+):([^:].*)", h)
    if m and m.group(1).strip().lower() in _TRANSLATABLE + ("caption",):
        return f"{HEADER_ALIASES.get(m.group(1).strip().lower(), m.group(1).strip().lower())}::{m.group(2).strip()}"
    return low.replace(" ", "_") if low.replace(" ", "_") in _KNOWN else h.strip()


#: Headers the reader knows (others keep their spelling and travel through unchanged).
_KNOWN = {"type", "name", "label", "hint", "guidance_hint", "required", "required_message", "relevant", "constraint",
          "constraint_message", "appearance", "calculation", "choice_filter", "parameters", "default", "read_only",
          "repeat_count", "trigger", "list_name", "form_title", "form_id", "version", "default_language",
          "instance_name", "public_key", "submission_url", "style", "allow_choice_duplicates", "image", "audio", "video"}


def _too_many(title: str, path: str, rows: int | None) -> DefinitionError:
    size = f"{rows:,} rows" if rows else f"more than {MAX_ROWS:,} rows"
    return DefinitionError([Problem(path, 0, f"the {title!r} sheet has {size}; an XLSForm may have at most "
                                             f"{MAX_ROWS:,} rows per sheet")])


def _ws_args(ws, path: str) -> tuple:
    """The arguments of :func:`sheet_rows` for an openpyxl sheet. The size a workbook states is often the
    whole column (Excel writes ``A1:AMJ1048576`` for a formatted column): the sheet is read as far as it has
    rows, and the stated size only names the count when the rows with content pass :data:`MAX_ROWS`."""
    declared = getattr(ws, "max_row", None)
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # read-only: iterate the rows the sheet holds, not empty ones up to the stated size
    stated = declared - 1 if isinstance(declared, int) and declared > MAX_ROWS + 1 else None
    return ws.iter_rows(values_only=True), path, ws.title, stated


def sheet_rows(rows, path: str = "<xlsform>", title: str = "survey", stated: int | None = None):
    """(header, [(row number, {column: value})]) of an iterator of row tuples, headers as
    :func:`norm_header` names them; empty cells and rows left out (of two columns with one header, the first).

    A sheet with more than :data:`MAX_ROWS` rows with content is refused as soon as the row past the limit
    is read (named by ``stated``, the size the workbook gives, when there is one); empty rows do not count.
    """
    rows = iter(rows)
    try:
        header = next(rows)
    except StopIteration:
        return [], []
    names = [norm_header(h) for h in header]
    seen: set = set()
    for j, h in enumerate(names):
        if h in seen:
            names[j] = ""
        seen.add(h)
    out = []
    for i, r in enumerate(rows, start=2):
        rec = {}
        for h, v in zip(names, r):
            if h and v is not None and str(v).strip() != "":
                rec[h] = v.strip() if isinstance(v, str) else v
        if rec:
            out.append((i, rec))
            if len(out) > MAX_ROWS:
                raise _too_many(title, path, stated)
    return names, out


def lang_code(label: str) -> str | None:
    """``English (en)`` -> ``en``; ``English`` -> ``en``; ``fi`` -> ``fi``.

    >>> [lang_code(x) for x in ("Svenska (sv)", "Suomi", "de", "Klingon", "swahili", "French", "Tetun (tt)")]
    ['sv', 'fi', 'de', None, 'sw', 'fr', 'tt']
    """
    m = re.search(r"\(\s*([A-Za-z]{2})\s*\)\s*$", label)
    if m:
        return m.group(1).lower()
    low = label.strip().lower()
    if low in _NAME_TO_CODE:
        return _NAME_TO_CODE[low]
    if low in ENGLISH_NAMES:
        return ENGLISH_NAMES[low]
    if re.fullmatch(r"[a-z]{2}", low) and low in ISO_639_1:
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
