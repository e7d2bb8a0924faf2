"""The coding workbook: one row per open answer, one 0/1 column per theme, the codebook beside it.

Sheets: ``answers`` (key, group unless blind, question, the answer in full and wrapped, a column
per theme with data validation, ``quote`` and ``notes``), ``codebook`` (the themes with their
descriptions and questions), ``instructions``, and a very hidden ``_coprod`` sheet that records the
coder, the definition and a fingerprint of every exported answer, so the import can tell when a
key is unknown or an answer's text was changed. Sheets, fixed columns, instructions and validation
messages are in the workbook's language (:mod:`.words`; those names above are the English ones); the
hidden sheet records the names given, and the import reads the workbook by them. Answers are
shuffled within each question (``seed`` makes the order reproducible); with ``blind`` the group is
not written at all.
Free text is always stored as text, never as a formula.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from coprod.instrument.errors import DataError, OptionError
from coprod.instrument.files import atomic_path, check_writable, set_cell
from coprod.instrument.model import text_in
from coprod.instrument.sheets import print_setup, wrapped_lines
from coprod.instrument.themes import themes_for

from . import words

FORMAT = "coprod-coding 1"
SHEET, CODEBOOK, META = "answers", "codebook", "_coprod"
FIXED = ("key", "group", "question", "answer")
TAIL = ("quote", "notes")
ANSWER_WIDTH = 80
#: The most lines a row's height makes room for (Excel's tallest row, 409 points, holds 27).
MAX_LINES = 26
#: Width of the group column (Excel characters): a long group label wraps onto a second line.
GROUP_WIDTH = 26
#: Width of the instructions sheet's one column: a portrait page; longer lines wrap.
INSTRUCTIONS_WIDTH = 80
#: Widths of the codebook sheet's columns: code, label, parent, description, questions.
CODEBOOK_WIDTHS = (18, 30, 16, 70, 45)



def names_in(inst, lang: str) -> dict:
    """{sheet or fixed column: its name in ``lang``} (:mod:`.words`); English names where a theme's code
    would be taken for a fixed column."""
    names = {key: words.name(key, lang) for key in words.NAMES}
    codes = {t.code for t in inst.themes}
    if codes & {names[c] for c in FIXED + TAIL}:
        names = {key: words.name(key, "en") for key in words.NAMES}
    return names


def digest(text: str) -> str:
    """A short fingerprint of an answer's text (SHA-256, 16 hex digits)."""
    return hashlib.sha256(str(text).encode("utf-8")).hexdigest()[:16]


def shuffled(answers: pd.DataFrame, inst, seed: int | None = None) -> pd.DataFrame:
    """The answers in questionnaire order of their questions, shuffled within each question."""
    rng = random.Random(seed)
    order = {q.name: i for i, q in enumerate(inst.questions)}
    parts = []
    for _, part in sorted(answers.groupby("question", sort=False), key=lambda kv: order.get(kv[0], len(order))):
        idx = list(part.index)
        rng.shuffle(idx)
        parts.append(answers.loc[idx])
    return pd.concat(parts, ignore_index=True) if parts else answers.iloc[0:0].reset_index(drop=True)


def write_workbook(answers: pd.DataFrame, inst, out, coder: str = "coding", blind: bool = False,
                   seed: int | None = None, lang: str | None = None, force: bool = False) -> Path:
    """Write the coding workbook for ``answers`` (from :func:`~.answers.open_answers`) to ``out``."""
    from openpyxl import Workbook

    if not inst.themes:
        raise OptionError(f"the definition {inst.id!r} has no codebook of themes", param="instrument")
    if not str(coder).strip():
        raise OptionError("give the coder a name", param="coder")
    check_writable(out, force)
    lang = lang or inst.default_language
    names = names_in(inst, lang)
    rows = shuffled(answers, inst, seed)
    wb = Workbook()
    ws = wb.active
    ws.title = names["answers"]
    columns = [c for c in FIXED if not (blind and c == "group")]
    _answers_sheet(ws, rows, inst, columns, lang, names)
    _codebook_sheet(wb.create_sheet(names["codebook"]), inst, lang, names)
    _instructions_sheet(wb.create_sheet(names["instructions"]), inst, coder, blind, lang)
    _print_setup(wb, inst, lang, names["instructions"])
    _meta_sheet(wb.create_sheet(META), rows, inst, coder, blind, seed, names)
    with atomic_path(out, force) as tmp:
        wb.save(tmp)
    return Path(out)


def _answers_sheet(ws, rows: pd.DataFrame, inst, columns: list[str], lang: str, names: dict) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    fb = inst.default_language
    themes = list(inst.themes)
    header = columns + [t.code for t in themes] + list(TAIL)
    for j, name in enumerate(header, start=1):
        c = set_cell(ws.cell(1, j), names.get(name, name) if name in FIXED + TAIL else name)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDE4EE")
        c.alignment = Alignment(horizontal="center", vertical="bottom", text_rotation=0 if j <= len(columns) else 90)
    first_theme = len(columns) + 1
    for k, t in enumerate(themes):
        note = t.label_in(lang, fb) + (f"\n\n{t.description_in(lang, fb)}" if t.description else "")
        ws.cell(1, first_theme + k).comment = Comment(note[:1000], "coprod", width=320, height=180)
    wrap = Alignment(wrap_text=True, vertical="top")
    grey = PatternFill("solid", fgColor="D9D9D9")
    unlocked = Protection(locked=False)
    applies = {q: {t.code for t in themes_for(inst, q)} for q in set(rows["question"])}
    for i, rec in enumerate(rows.itertuples(index=False), start=2):
        values = {"key": rec.key, "group": rec.group, "question": rec.question, "answer": rec.answer}
        for j, name in enumerate(columns, start=1):
            c = set_cell(ws.cell(i, j), values[name])
            c.alignment = wrap
        for k, t in enumerate(themes):
            c = ws.cell(i, first_theme + k)
            if t.code in applies[rec.question]:
                c.protection = unlocked
            else:
                c.fill = grey
        for k in range(len(TAIL)):
            c = ws.cell(i, first_theme + len(themes) + k)
            c.protection = unlocked
            c.alignment = wrap
        ws.row_dimensions[i].height = 15 * min(MAX_LINES, max(wrapped_lines(rec.answer, ANSWER_WIDTH),
                                                          wrapped_lines(rec.group, GROUP_WIDTH) if "group" in columns else 1))
    _validations(ws, rows, themes, first_theme, applies, lang)
    widths = {"key": 14, "group": GROUP_WIDTH, "question": 14, "answer": ANSWER_WIDTH, "notes": 40, "quote": 6}
    for j, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(name, 5)
    ws.row_dimensions[1].height = 110
    ws.freeze_panes = ws.cell(2, first_theme)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    ws.protection.sheet = True
    for attr in ("formatColumns", "formatRows", "autoFilter", "sort"):
        setattr(ws.protection, attr, False)  # allowed


def _blocks(flags: list[bool], col: str) -> str:
    """An Excel range list (``E2:E9 E12:E14``) of the rows (from 2) whose flag is true."""
    out, start = [], None
    for i, f in enumerate(flags + [False], start=2):
        if f and start is None:
            start = i
        elif not f and start is not None:
            out.append(f"{col}{start}:{col}{i - 1}" if i - 1 > start else f"{col}{start}")
            start = None
    return " ".join(out)


def _validations(ws, rows, themes, first_theme: int, applies, lang: str) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if not len(rows):
        return
    questions = rows["question"].tolist()
    for k, t in enumerate(themes + [None]):
        col = get_column_letter(first_theme + k)
        flags = [True] * len(rows) if t is None else [t.code in applies[q] for q in questions]
        yes_ranges = _blocks(flags, col)
        if yes_ranges:
            yes = DataValidation(type="list", formula1='"0,1"', allow_blank=True, showErrorMessage=True,
                                 errorTitle=words.say("yes title", lang), error=words.say("yes error", lang))
            yes.sqref = yes_ranges
            ws.add_data_validation(yes)
        no_ranges = _blocks([not f for f in flags], col)
        if no_ranges:
            no = DataValidation(type="custom", formula1="FALSE", allow_blank=True, showErrorMessage=True,
                                errorTitle=words.say("no title", lang), error=words.say("no error", lang))
            no.sqref = no_ranges
            ws.add_data_validation(no)


def _codebook_sheet(ws, inst, lang: str, names: dict) -> None:
    from openpyxl.styles import Alignment, Font

    fb = inst.default_language
    header = [names[c] for c in ("code", "label", "parent", "description", "questions")]
    for j, h in enumerate(header, start=1):
        set_cell(ws.cell(1, j), h).font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, t in enumerate(inst.themes, start=2):
        qs = "\n".join(f"{q}: {inst.question(q).label_for(lang, fb)}" for q in t.questions)
        values = [t.code, t.label_in(lang, fb), t.parent or "", t.description_in(lang, fb), qs]
        for j, v in enumerate(values, start=1):
            set_cell(ws.cell(i, j), v).alignment = wrap
        ws.row_dimensions[i].height = 15 * max(wrapped_lines(v, w) for v, w in zip(values, CODEBOOK_WIDTHS))
    for col, w in zip("ABCDE", CODEBOOK_WIDTHS):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "B2"


def _print_setup(wb, inst, lang: str, instructions: str) -> None:
    """Every sheet printable on A4: fitted to the page width, its header row repeated, page numbers."""
    from coprod.instrument.forms._common import phrase

    title = text_in(inst.title, lang, inst.default_language)
    page = {"page_word": phrase("page", lang), "of_word": phrase("of", lang), "footer_left": f"{inst.id} {inst.version}"}
    for ws in wb.worksheets:
        if ws.title == META:
            continue
        landscape = ws.title != instructions
        print_setup(ws, f"{title}: {ws.title}", landscape=landscape, title_rows=None if ws.title == instructions else "1:1",
                    **page)


def _instructions_sheet(ws, inst, coder: str, blind: bool, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    lines = [text_in(inst.title, lang, inst.default_language), f"{inst.id} {inst.version}", words.say("coder", lang, coder=coder),
             words.say("blind", lang) if blind else "", ""] + words.instructions(lang)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, line in enumerate(lines, start=1):
        set_cell(ws.cell(i, 1), line).alignment = wrap
        ws.row_dimensions[i].height = 15 * wrapped_lines(line, INSTRUCTIONS_WIDTH)
    ws.cell(1, 1).font = Font(bold=True, size=13)
    ws.row_dimensions[1].height = 20 * wrapped_lines(lines[0], INSTRUCTIONS_WIDTH, size=13)
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH


def _meta_sheet(ws, rows, inst, coder: str, blind: bool, seed, names: dict) -> None:
    info = [("format", FORMAT), ("instrument_id", inst.id), ("instrument_version", inst.version),
            ("coder", str(coder)), ("blind", "yes" if blind else "no"), ("seed", "" if seed is None else str(seed)),
            ("themes", " ".join(t.code for t in inst.themes))]
    info += [(f"name:{key}", names[key]) for key in ("answers",) + FIXED + TAIL]  # what the import reads
    info += [(f"applies:{t.code}", " ".join(t.questions)) for t in inst.themes]
    for i, (k, v) in enumerate(info, start=1):
        set_cell(ws.cell(i, 1), k)
        set_cell(ws.cell(i, 2), v)
    start = len(info) + 2
    for j, h in enumerate(("key", "question", "digest"), start=1):
        set_cell(ws.cell(start, j), h)
    for i, rec in enumerate(rows.itertuples(index=False), start=start + 1):
        set_cell(ws.cell(i, 1), rec.key)
        set_cell(ws.cell(i, 2), rec.question)
        set_cell(ws.cell(i, 3), digest(rec.answer))
    ws.sheet_state = "veryHidden"


@dataclass
class CodedWorkbook:
    """What one coder's workbook holds: its metadata, the rows of the answers sheet, the exported rows."""

    path: str
    meta: dict
    rows: pd.DataFrame  # the answers sheet as text, with ``_row`` (the sheet row)
    exported: pd.DataFrame  # key, question, digest as exported
    theme_columns: list[str] = field(default_factory=list)


def read_workbook(path) -> CodedWorkbook:
    """Read a coding workbook back (see :func:`write_workbook`)."""
    from openpyxl import load_workbook

    p = Path(path)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # not a workbook, damaged
        raise DataError(f"{p}: cannot read as a coding workbook ({type(exc).__name__})") from None
    meta, exported = _read_meta(wb[META]) if META in wb.sheetnames else ({}, pd.DataFrame(columns=["key", "question", "digest"]))
    sheet = meta.get("name:answers") or SHEET
    if sheet not in wb.sheetnames:
        wb.close()
        raise DataError(f"{p}: no sheet {sheet!r}: not a coprod coding workbook")
    values = list(wb[sheet].iter_rows(values_only=True))
    wb.close()
    if not values:
        raise DataError(f"{p}: the {sheet!r} sheet is empty")
    fixed = {meta.get(f"name:{c}") or c: c for c in FIXED + TAIL}  # the workbook's own names -> ours
    header = [str(h).strip() if h is not None else "" for h in values[0]]
    header = [fixed.get(h, h) for h in header]
    for need in ("key", "question", "answer"):
        if need not in header:
            shown = meta.get(f"name:{need}") or need
            raise DataError(f"{p}: the {sheet!r} sheet has no {shown!r} column")
    body = [list(r) + [None] * (len(header) - len(r)) for r in values[1:]]
    rows = pd.DataFrame([r[: len(header)] for r in body], columns=header, dtype=object)
    rows["_row"] = range(2, len(rows) + 2)
    rows = rows[rows.drop(columns="_row").notna().any(axis=1)].reset_index(drop=True)
    themes = [h for h in header if h and h not in FIXED + TAIL]
    return CodedWorkbook(str(p), meta, rows, exported, themes)


def _read_meta(ws) -> tuple[dict, pd.DataFrame]:
    meta, table, in_table = {}, [], False
    for r in ws.iter_rows(values_only=True):
        a, b, c = (list(r) + [None, None, None])[:3]
        if a is None and b is None:
            continue
        if (a, b, c) == ("key", "question", "digest"):
            in_table = True
        elif in_table:
            table.append((str(a), str(b), str(c)))
        else:
            meta[str(a)] = "" if b is None else str(b)
    return meta, pd.DataFrame(table, columns=["key", "question", "digest"])
