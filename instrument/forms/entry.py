"""The data-entry workbook: typing paper questionnaires into Excel with every cell checked.

Sheets:

* ``Data`` — one row per respondent, the respondent id first, then one column per variable
  (``Instrument.variables``; multiple choice is one 0/1 column per option). Every column has Excel data
  validation (stop style, with an input prompt): codes from a list on the hidden ``Lists`` sheet through a
  defined name (``lst_agree5``), numbers within their range or one of their missing codes (a custom
  formula), dates as dates, texts to a length limit, the respondent id a whole number > 0 or a text and
  unique. The header row is frozen and locked (sheet protection without a password); data cells are
  unlocked.
* ``Instructions`` — how to enter data, the missing codes, the groups.
* ``Codebook`` — each variable with its label, question, codes and universe.
* ``Lists`` (very hidden) — the code lists the validations point at.
* ``coprod`` (very hidden) — key/value rows ``kind`` = ``entry``, ``instrument_id``,
  ``instrument_version``, ``language`` (and ``respondent_id``, ``variables``, ``data_rows``), so an import
  recognises the workbook.
"""
from __future__ import annotations

from pathlib import Path

from ..files import set_cell
from ..model import Instrument, Variable, format_code, text_in
from ..names import safe_names
from ..sheets import ONE_PAGE_CHARS, fit_rows, print_setup
from ..words import localised
from ._common import num, phrase, range_text, save_workbook

#: Rows of the Data sheet that carry validation (row 1 is the header).
FIRST_ROW = 2
LAST_ROW = 10001
TEXT_LIMIT = 255
LONGTEXT_LIMIT = 4000
ID_LIMIT = 64

_T = {
    "instructions": {"en": "Instructions", "fi": "Ohjeet", "sv": "Instruktioner"},
    "codebook": {"en": "Codebook", "fi": "Koodikirja", "sv": "Kodbok"},
    "enter_code": {"en": "Enter one of the codes {codes}.", "fi": "Anna jokin koodeista {codes}.", "sv": "Ange en av koderna {codes}."},
    "enter_01": {"en": "Enter 1 if the option was ticked, 0 if not.", "fi": "Anna 1, jos vaihtoehto on valittu, muuten 0.",
                 "sv": "Ange 1 om alternativet är ikryssat, annars 0."},
    "enter_whole": {"en": "Enter a whole number {range}.", "fi": "Anna kokonaisluku {range}.", "sv": "Ange ett heltal {range}."},
    "enter_number": {"en": "Enter a number {range}.", "fi": "Anna luku {range}.", "sv": "Ange ett tal {range}."},
    "or_codes": {"en": "Missing: {codes}.", "fi": "Puuttuva tieto: {codes}.", "sv": "Bortfall: {codes}."},
    "enter_date": {"en": "Enter a date (e.g. 2024-03-31).", "fi": "Anna päivämäärä (esim. 2024-03-31).", "sv": "Ange ett datum (t.ex. 2024-03-31)."},
    "enter_text": {"en": "Enter a text of at most {n} characters.", "fi": "Anna enintään {n} merkin teksti.", "sv": "Ange en text på högst {n} tecken."},
    "enter_id": {"en": "A unique respondent id: a whole number above 0 or a text of at most {n} characters.",
                 "fi": "Yksilöllinen vastaajatunnus: nollaa suurempi kokonaisluku tai enintään {n} merkin teksti.",
                 "sv": "En unik svarandekod: ett heltal över 0 eller en text på högst {n} tecken."},
    "not_valid": {"en": "Not a valid value", "fi": "Ei kelvollinen arvo", "sv": "Inte ett giltigt värde"},
}

_INSTRUCTIONS = {
    "en": [
        "Enter one respondent per row on the Data sheet, starting on row {first}; the first column is the respondent id.",
        "Every column checks what is typed in rows {first} to {last}: codes must be on the code list, numbers within their range, dates real dates, texts not too long. Excel refuses anything else.",
        "Use the codes shown in the cell prompt and on the Codebook sheet; for coded questions a drop-down lists them.",
        "Multiple choice: each option has its own column ({example}); enter 1 if the option was ticked and 0 if not.",
        "Leave a cell empty when the question was not asked (routing). Use a missing code when it was asked but not answered.",
        "Dates: type them as dates, e.g. 2024-03-31.",
        "The header row is locked (Review > Unprotect Sheet; there is no password). Do not rename, add or remove columns: the import matches them by name.",
    ],
    "fi": [
        "Syötä Data-välilehdelle yksi vastaaja riville rivistä {first} alkaen; ensimmäinen sarake on vastaajatunnus.",
        "Jokainen sarake tarkistaa rivien {first}–{last} syötteet: koodien on oltava koodiluettelossa, lukujen sallitulla välillä, päivämäärien oikeita päivämääriä ja tekstien riittävän lyhyitä. Excel hylkää muut arvot.",
        "Käytä solun ohjeessa ja Koodikirja-välilehdellä näkyviä koodeja; koodatuissa kysymyksissä ne näkyvät pudotusvalikossa.",
        "Monivalinta: jokaisella vaihtoehdolla on oma sarakkeensa ({example}); anna 1, jos vaihtoehto on valittu, ja 0, jos ei.",
        "Jätä solu tyhjäksi, jos kysymystä ei kysytty (reititys). Käytä puuttuvan tiedon koodia, jos kysyttiin mutta ei vastattu.",
        "Päivämäärät syötetään päivämäärinä, esim. 2024-03-31.",
        "Otsikkorivi on lukittu (Tarkista > Poista taulukon suojaus; salasanaa ei ole). Älä nimeä, lisää tai poista sarakkeita: tuonti tunnistaa ne nimestä.",
    ],
    "sv": [
        "Mata in en svarande per rad på bladet Data, från rad {first}; första kolumnen är svarandekoden.",
        "Varje kolumn kontrollerar raderna {first}–{last}: koder måste finnas på kodlistan, tal ligga inom sitt intervall, datum vara riktiga datum och texter inte för långa. Excel vägrar allt annat.",
        "Använd koderna i cellens hjälptext och på bladet Kodbok; för kodade frågor visar en rullgardinslista dem.",
        "Flerval: varje alternativ har en egen kolumn ({example}); ange 1 om alternativet är ikryssat och 0 om inte.",
        "Lämna cellen tom om frågan inte ställdes (filter). Använd en kod för bortfall om frågan ställdes men inte besvarades.",
        "Datum matas in som datum, t.ex. 2024-03-31.",
        "Rubrikraden är låst (Granska > Ta bort skydd för blad; inget lösenord). Byt inte namn på, lägg inte till och ta inte bort kolumner: importen känner igen dem på namnet.",
    ],
}


def _t(key: str, lang: str, **fmt) -> str:
    return localised(_T, key, lang, **fmt)


def list_names(inst: Instrument) -> dict:
    """The defined name of each code list: ``lst_`` + the list name made safe (never a cell reference)."""
    return {name: "lst_" + safe for name, safe in safe_names(inst.choice_lists).items()}


BINARY_LIST = "lst__binary"


def _codes_text(codes) -> str:
    return ", ".join(format_code(c) for c in codes)


def _validation_for(var: Variable, col: str, lang: str, lists: dict):
    """(DataValidation, prompt text) for one variable's column."""
    from openpyxl.worksheet.datavalidation import DataValidation

    q = var.question
    cell = f"{col}{FIRST_ROW}"
    missing = tuple(var.missing_codes)
    miss_txt = (" " + _t("or_codes", lang, codes=_codes_text(missing))) if missing else ""
    if var.option is not None:
        dv = DataValidation(type="list", formula1=f"={BINARY_LIST}")
        prompt = _t("enter_01", lang)
    elif q.choices is not None:
        dv = DataValidation(type="list", formula1=f"={lists[q.choices.name]}")
        prompt = _t("enter_code", lang, codes=_codes_text(q.choices.codes)) + miss_txt
    elif q.type in ("integer", "decimal"):
        conds = [f"ISNUMBER({cell})"]
        if q.type == "integer":
            conds.append(f"{cell}=INT({cell})")
        if q.min is not None:
            conds.append(f"{cell}>={num(q.min)}")
        if q.max is not None:
            conds.append(f"{cell}<={num(q.max)}")
        formula = f"AND({','.join(conds)})"
        if missing:
            formula = f"OR({formula},{','.join(f'{cell}={num(c)}' for c in missing)})"
        dv = DataValidation(type="custom", formula1=f"={formula}")
        key = "enter_whole" if q.type == "integer" else "enter_number"
        prompt = _t(key, lang, range=range_text(q.min, q.max, lang)).replace(" .", ".") + miss_txt
    elif q.type == "date":
        dv = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)", formula2="DATE(2199,12,31)")
        prompt = _t("enter_date", lang)
    else:
        limit = LONGTEXT_LIMIT if q.type == "longtext" else TEXT_LIMIT
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(limit))
        prompt = _t("enter_text", lang, n=limit)
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = _t("not_valid", lang)[:32]
    dv.error = (f"{var.name}: {prompt}")[:255]
    dv.promptTitle = var.name[:32]
    dv.prompt = prompt[:255]
    dv.add(f"{col}{FIRST_ROW}:{col}{LAST_ROW}")
    return dv, prompt


def entry_workbook(inst: Instrument, lang: str | None = None):
    """The data-entry workbook (openpyxl) in ``lang`` (default: the definition's default language)."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    lang = lang or inst.default_language
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    lnames = _lists_sheet(wb, inst)
    _data_sheet(ws, inst, lang, lnames)
    _instructions_sheet(wb, inst, lang)
    _codebook_sheet(wb, inst, lang)
    _meta_sheet(wb, inst, lang)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    return wb


def _lists_sheet(wb, inst: Instrument) -> dict:
    """The very hidden ``Lists`` sheet with the codes of each list used (and 0/1), each a defined name.

    Returns the defined name of each choice list.
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    lists_ws = wb.create_sheet("Lists")
    lnames = list_names(inst)
    used = []
    for v in inst.variables:
        if v.option is None and v.question.choices is not None and v.question.choices.name not in used:
            used.append(v.question.choices.name)
    for j, lname in enumerate(used + [None], start=1):
        letter = get_column_letter(j)
        if lname is None:
            name, codes, title = BINARY_LIST, (0, 1), "0/1"
        else:
            cl = inst.choice_lists[lname]
            name, codes, title = lnames[lname], cl.codes + cl.missing_codes, lname
        set_cell(lists_ws.cell(1, j), title)
        for i, code in enumerate(codes, start=2):
            lists_ws.cell(i, j, code)
        ref = f"Lists!${letter}$2:${letter}${len(codes) + 1}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    lists_ws.sheet_state = "veryHidden"
    return lnames


def _data_sheet(ws, inst: Instrument, lang: str, lnames: dict) -> None:
    """The ``Data`` sheet: a locked header row, the respondent id, one checked column per variable."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    _id_column(ws, inst, lang)
    unlocked = Protection(locked=False)
    for j, var in enumerate(inst.variables, start=2):
        _variable_column(ws, j, var, inst, lang, lnames, unlocked)
    bold, head_fill, locked = Font(bold=True), PatternFill("solid", fgColor="DDE4EE"), Protection(locked=True)
    for c in ws[1]:
        c.font = bold
        c.fill = head_fill
        c.protection = locked
        c.alignment = Alignment(horizontal="center")
    ws.freeze_panes = "B2"
    print_setup(ws, text_in(inst.title, lang, inst.default_language), landscape=True, title_rows="1:1",
                title_cols="A:A", fit_width=False, footer_left=f"{inst.id} {inst.version}",
                page_word=phrase("page", lang), of_word=phrase("of", lang))
    ws.protection.sheet = True
    for attr in ("formatColumns", "formatRows", "sort", "autoFilter"):
        setattr(ws.protection, attr, False)  # allowed


def _id_column(ws, inst: Instrument, lang: str) -> None:
    """Column A: the respondent id, unique, a whole number above 0 or a short text."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    id_prompt = _t("enter_id", lang, n=ID_LIMIT)
    set_cell(ws.cell(1, 1), inst.respondent_id)
    ws.cell(1, 1).comment = Comment(id_prompt, "coprod")
    id_cell = f"A{FIRST_ROW}"
    dv = DataValidation(
        type="custom",
        formula1=(f"=AND(OR(AND(ISNUMBER({id_cell}),{id_cell}=INT({id_cell}),{id_cell}>0),"
                  f"AND(ISTEXT({id_cell}),LEN({id_cell})<={ID_LIMIT})),COUNTIF($A${FIRST_ROW}:$A${LAST_ROW},{id_cell})=1)"),
        allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="stop",
        errorTitle=_t("not_valid", lang)[:32], error=id_prompt[:255], promptTitle=inst.respondent_id[:32], prompt=id_prompt[:255])
    dv.add(f"A{FIRST_ROW}:A{LAST_ROW}")
    ws.add_data_validation(dv)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["A"].protection = Protection(locked=False)


def _variable_column(ws, j: int, var: Variable, inst: Instrument, lang: str, lnames: dict, unlocked) -> None:
    """Column ``j``: the variable's name, its validation, and a comment with its label, question and prompt."""
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter

    fb = inst.default_language
    col = get_column_letter(j)
    c = ws.cell(1, j)
    set_cell(c, var.name)
    dv, prompt = _validation_for(var, col, lang, lnames)
    ws.add_data_validation(dv)
    text = var.question.text_for(lang, None, fb)
    label = text_in(var.label, lang, fb)
    comment = f"{label}\n\n{text}\n\n{prompt}" if text != label else f"{text}\n\n{prompt}"
    c.comment = Comment(comment[:1000], "coprod", width=300, height=160)
    dim = ws.column_dimensions[col]
    dim.width = max(8, min(30, len(var.name) + 3))
    dim.protection = unlocked
    if var.kind == "date":
        dim.number_format = "yyyy-mm-dd"
    elif var.kind == "string":
        dim.number_format = "@"


def _instruction_lines(inst: Instrument, lang: str) -> list[tuple[str, bool]]:
    """(text, bold) lines: title, how to enter data, the missing codes, the respondent groups."""
    fb = inst.default_language
    lines = [(text_in(inst.title, lang, fb), True), (f"{inst.id} {inst.version}", False), ("", False)]
    multi = next((v.name for v in inst.variables if v.option is not None), f"{inst.respondent_id}")
    for ln in _INSTRUCTIONS.get(lang, _INSTRUCTIONS["en"]):
        lines.append((ln.format(first=FIRST_ROW, last=LAST_ROW, example=multi), False))
    lines.append(("", False))
    lines.append((phrase("missing", lang), True))
    seen = set()
    for c in list(inst.missing) + [m for cl in inst.choice_lists.values() for m in cl.missing]:
        if c.code not in seen:
            seen.add(c.code)
            lines.append((f"{format_code(c.code)} = {text_in(c.label, lang, fb)}", False))
    if inst.groups:
        gq = inst.group_question
        lines.append(("", False))
        lines.append((f"{inst.question(gq).label_for(lang, fb)} ({gq})", True))
        for g in inst.groups:
            lines.append((f"{g.code} = {text_in(g.label, lang, fb)} ({g.id})", False))
    return lines


def _instructions_sheet(wb, inst: Instrument, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    ins = wb.create_sheet(_t("instructions", lang))
    bold = Font(bold=True)
    for i, (text, strong) in enumerate(_instruction_lines(inst, lang), start=1):
        c = set_cell(ins.cell(i, 1), text)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if strong:
            c.font = bold
    ins.column_dimensions["A"].width = ONE_PAGE_CHARS  # one column: never wider than the page (see sheets)
    fit_rows(ins)
    print_setup(ins, text_in(inst.title, lang, inst.default_language), landscape=False,
                footer_left=f"{inst.id} {inst.version}", page_word=phrase("page", lang), of_word=phrase("of", lang))


def _codebook_sheet(wb, inst: Instrument, lang: str) -> None:
    """The codebook, a block per variable (as in the codebook workbook), for reading beside the Data sheet."""
    from .codebook import codebook_blocks, codebook_rows

    cb = wb.create_sheet(_t("codebook", lang))
    header, rows = codebook_rows(inst, lang)
    codebook_blocks(cb, header, rows)
    print_setup(cb, text_in(inst.title, lang, inst.default_language), landscape=False,
                footer_left=f"{inst.id} {inst.version}", page_word=phrase("page", lang), of_word=phrase("of", lang))


def _meta_sheet(wb, inst: Instrument, lang: str) -> None:
    """The very hidden ``coprod`` sheet: what an import needs to recognise the workbook."""
    meta = wb.create_sheet("coprod")
    for i, (k, v) in enumerate((("kind", "entry"), ("instrument_id", inst.id), ("instrument_version", inst.version),
                                ("language", lang), ("respondent_id", inst.respondent_id),
                                ("variables", " ".join(v.name for v in inst.variables)),
                                ("data_rows", f"{FIRST_ROW}-{LAST_ROW}")), start=1):
        set_cell(meta.cell(i, 1), k)
        set_cell(meta.cell(i, 2), v)
    meta.sheet_state = "veryHidden"


def write_entry(inst: Instrument, path: str | Path, lang: str | None = None, force: bool = False) -> Path:
    """Write the data-entry workbook to ``path``."""
    return save_workbook(entry_workbook(inst, lang), path, force)

