"""The XLSForm (ODK Collect, KoboToolbox, Enketo) written from a definition.

One form holds every language (``label::English (en)``, ``label::Suomi (fi)`` ...). Each section is a
group with the section's condition as ``relevant``; skip logic becomes XPath; numeric ranges become
constraints that let the missing codes through; Likert items get the ``likert`` appearance.

Group-specific wording: a question with wording variants gets one ``calculate`` per language
(``fa1__en``, ``fa1__fi`` ...) holding ``if(${role} = '2', 'volunteer text', 'default text')``; the
question's label in each language is ``${fa1__en}`` etc. ODK shows each respondent the wording of their
group, in the language they chose, and the answer stays in one column (``fa1``). The helper
calculates are also stored in submissions; the importer ignores columns the definition does not know.

coprod's own metadata travels in extra columns and sheets that ODK ignores: ``coprod_label::LANG``
(short variable label), ``coprod_scale``/``coprod_reverse``, ``coprod_measure``, ``coprod_probes::LANG``,
``coprod_missing``/``coprod_top_box``/``coprod_ordered`` on choices, ``coprod_*`` settings, and the
sheets ``coprod_scales`` and ``coprod_missing``. With them :mod:`instrument.xlsform_read` reads the
form back into the same definition.

The first row is a ``calculate`` holding the respondent id (``once(concat('uuid:', uuid()))``,
named as the definition's ``respondent_id``), so submissions come back with ids.

A definition read from someone else's XLSForm is written back as that form was: the original
question and choice names (``yes``, ``tel.office``), each question's own XLSForm columns
(``relevant``, ``constraint``, ``choice_filter``, ``bind::`` ... in ``Question.xlsform``), the rows
that are no question of the definition (metadata, calculate, repeats) where they stood, and the
other settings.
"""
from __future__ import annotations

from pathlib import Path

from ..expr import xpath_literal
from ..files import set_cell
from ..model import Instrument, Question, format_code, text_in
from ..names import safe_names
from ..sheets import EXCEL_ROW_PT, LANDSCAPE_ROW_PT, ONE_PAGE_LANDSCAPE_CHARS, fit_rows, print_setup, row_height
from ._common import lang_header, num, phrase, range_text, save_workbook

TYPE_MAP = {"integer": "integer", "decimal": "decimal", "text": "text", "longtext": "text", "date": "date", "note": "note"}
#: Suffix of the choice list written for multiple-choice questions whose list has missing codes.
OPTIONS_SUFFIX = "__options"
WORDING_SEP = "__"


def xpath_string(text: str) -> str:
    """An XPath string literal for ``text`` (``concat()`` when it holds both quote kinds).

    >>> xpath_string("Don't")
    '"Don\\'t"'
    >>> xpath_string('a\\'b"c')
    'concat(\\'a\\', "\\'", \\'b"c\\')'
    """
    return xpath_literal(text.replace("\n", " "))


def _kinds(inst: Instrument) -> dict:
    return {q.name: q.type for q in inst.questions}


def _choice_code(code) -> str:
    return format_code(code)


def constraint(q: Question) -> tuple[str, bool]:
    """The XLSForm constraint of a numeric question and whether missing codes pass: ``('. >= 0 and . <= 60 or . = -9', True)``."""
    parts = []
    if q.min is not None:
        parts.append(f". >= {num(q.min)}")
    if q.max is not None:
        parts.append(f". <= {num(q.max)}")
    if not parts:
        return "", False
    expr = " and ".join(parts)
    codes = q.missing_codes
    if codes:
        expr += "".join(f" or . = {num(c)}" for c in codes)
    return expr, bool(codes)


def xlsform_rows(inst: Instrument) -> dict:
    """The sheets of the form as ``{sheet: (header, rows)}`` (rows are lists in header order)."""
    lsafe = safe_names(inst.choice_lists)  # XLSForm list and group names: letters, digits, _
    multiple_lists = {q.choices.name for q in inst.questions if q.type == "multiple" and q.choices is not None and q.choices.missing}
    sheets = {"survey": _SurveySheet(inst, lsafe, multiple_lists).sheet(), "choices": _choices_sheet(inst, lsafe, multiple_lists),
              "settings": _settings_sheet(inst), "coprod_scales": _scales_sheet(inst), "coprod_missing": _missing_sheet(inst)}
    for name, sheet in inst.xlsform.get("sheets", {}).items():  # e.g. external_choices, as it was
        sheets[name] = (list(sheet.get("header", [])), [list(r) for r in sheet.get("rows", [])])
    return sheets


def _extra_columns(header: list, mappings) -> list[str]:
    """``header`` with the columns of ``mappings`` it lacks added at the end."""
    out = list(header)
    for mp in mappings:
        for k in mp:
            if k not in out and k not in ("after",):
                out.append(k)
    return out


def _survey_header(langs, lh: dict) -> list[str]:
    header = ["type", "name"]
    for base in ("label", "hint", "guidance_hint"):
        header += [f"{base}::{lh[lang]}" for lang in langs]
    header += ["required"] + [f"required_message::{lh[lang]}" for lang in langs]
    header += ["relevant", "constraint"] + [f"constraint_message::{lh[lang]}" for lang in langs]
    header += ["appearance", "calculation", "coprod_measure", "coprod_scale", "coprod_reverse", "coprod_role"]
    header += [f"coprod_label::{lh[lang]}" for lang in langs] + [f"coprod_probes::{lh[lang]}" for lang in langs]
    return header


class _SurveySheet:
    """The survey sheet: a group per section (with its intro note), a row per question, and before a
    question with wording variants one ``calculate`` row per language that picks its wording."""

    def __init__(self, inst: Instrument, lsafe: dict, multiple_lists: set):
        self.inst, self.langs, self.fb = inst, inst.languages, inst.default_language
        self.lh = {lang: lang_header(lang) for lang in self.langs}
        self.extra_rows = list(inst.xlsform.get("rows", ()))
        self.header = _extra_columns(_survey_header(self.langs, self.lh),
                                     [q.xlsform for q in inst.questions] + [s.xlsform for s in inst.sections]
                                     + [r.get("cells", {}) for r in self.extra_rows])
        self.col = {h: i for i, h in enumerate(self.header)}
        self.kinds = _kinds(inst)
        self.lsafe, self.multiple_lists = lsafe, multiple_lists
        self.scale_of: dict[str, list[str]] = {}
        self.reverse_of: dict[str, list[str]] = {}
        for sc in inst.scales.values():
            for it in sc.items:
                self.scale_of.setdefault(it, []).append(sc.name)
            for it in sc.reverse:
                self.reverse_of.setdefault(it, []).append(sc.name)
        self.taken = {v.lower() for v in [inst.respondent_id] + [q.name for q in inst.questions]
                      + [vn for q in inst.questions for vn in q.variable_names()]}

    def row(self, **kw) -> list:
        r = [""] * len(self.header)
        for k, v in kw.items():
            if isinstance(v, dict):  # translated: {lang: text}
                for lang, t in v.items():
                    r[self.col[f"{k}::{self.lh[lang]}"]] = t
            else:
                r[self.col[k]] = v
        return r

    def cells(self, cells) -> list:
        """A row of the form's own columns (an XLSForm row kept as it was)."""
        r = [""] * len(self.header)
        for k, v in cells.items():
            r[self.col[k]] = v
        return r

    def kept_rows(self, after: str) -> list:
        """The kept rows that stood after the question whose XLSForm name is ``after``."""
        return [self.cells(r.get("cells", {})) for r in self.extra_rows if r.get("after", "") == after]

    def tr(self, text) -> dict:
        return {lang: text_in(text, lang, self.fb) for lang in self.langs} if text else {}

    def fresh(self, name: str) -> str:
        """``name``, or ``name2``, ``name3`` ...: one no variable or earlier row has."""
        base, i = name, 2
        while name.lower() in self.taken:
            name, i = f"{base}{i}", i + 1
        self.taken.add(name.lower())
        return name

    def sheet(self) -> tuple[list, list]:
        ssafe = safe_names([sec.id for sec in self.inst.sections])
        rows = [self.row(type="calculate", name=self.inst.respondent_id, calculation="once(concat('uuid:', uuid()))",
                         coprod_role="respondent_id")]
        rows += self.kept_rows("")
        placed = {""}
        for sec in self.inst.sections:
            rel = sec.relevant.xpath(self.kinds) if sec.relevant is not None else ""
            rows.append(self.row(type="begin_group", name=ssafe[sec.id], label=self.tr(sec.title),
                                 relevant=sec.xlsform.get("relevant", rel)))
            if sec.intro:
                rows.append(self.row(type="note", name=self.fresh(f"{ssafe[sec.id]}_intro"), label=self.tr(sec.intro), coprod_role="intro"))
            for q in sec.questions:
                label = self.wordings(q, rows) if q.variants and self.inst.group_question else self.tr(q.text)
                rows.append(self.question(q, label))
                rows += self.kept_rows(q.xls_name)
                placed.add(q.xls_name)
            rows.append(self.row(type="end_group"))
        rows += [self.cells(r.get("cells", {})) for r in self.extra_rows if r.get("after", "") not in placed]
        return self.header, rows

    def wordings(self, q: Question, rows: list) -> dict:
        """Add a calculate row per language choosing the group's wording; the label shows its result."""
        gq, label = self.inst.group_question, {}
        for lang in self.langs:
            calc = xpath_string(text_in(q.text, lang, self.fb))
            for gid in reversed([g.id for g in self.inst.groups if g.id in q.variants]):
                g = self.inst.group(gid)
                calc = f"if(${{{gq}}} = '{g.code}', {xpath_string(text_in(q.variants[gid], lang, self.fb))}, {calc})"
            cname = self.fresh(f"{q.name}{WORDING_SEP}{lang}")
            rows.append(self.row(type="calculate", name=cname, calculation=calc, coprod_role=f"wording:{q.name}:{lang}"))
            label[lang] = f"${{{cname}}}"
        return label

    def question_type(self, q: Question) -> str:
        if q.type in ("single", "likert"):
            return f"select_one {self.lsafe[q.choices.name]}"
        if q.type == "multiple":
            return f"select_multiple {self.lsafe[q.choices.name] + (OPTIONS_SUFFIX if q.choices.name in self.multiple_lists else '')}"
        return TYPE_MAP[q.type]

    def question(self, q: Question, label: dict) -> list:
        langs, fb = self.langs, self.fb
        cons, msg = "", {}
        if q.type in ("integer", "decimal"):
            cons, with_missing = constraint(q)
            if cons:
                msg = {lang: phrase("range_msg", lang, range=range_text(q.min, q.max, lang))
                       + (f" ({phrase('or_missing', lang)} {', '.join(num(c) for c in q.missing_codes)})" if with_missing else "")
                       for lang in langs}
        own = q.xlsform
        if own:  # a form from elsewhere: its own columns as they were
            cons = own.get("constraint", cons)
            msg = {} if "constraint" in own else msg
        r = self.row(
            type=own.get("type", self.question_type(q)), name=q.xls_name, label=label, hint=self.tr(q.hint), guidance_hint=self.tr(q.instruction),
            required="yes" if q.required else "",
            required_message={lang: phrase("required_msg", lang) for lang in langs} if q.required else {},
            relevant=q.relevant.xpath(self.kinds) if q.relevant is not None else "",
            constraint=cons, constraint_message=msg, appearance={"likert": "likert", "longtext": "multiline"}.get(q.type, ""),
            coprod_measure=q.measure if q.type != "note" else "",
            coprod_scale=" ".join(self.scale_of.get(q.name, [])), coprod_reverse=" ".join(self.reverse_of.get(q.name, [])),
            coprod_label=self.tr(q.label),
            coprod_probes={lang: "\n".join(text_in(p, lang, fb) for p in q.probes) for lang in langs} if q.probes else {},
        )
        for k, v in own.items():
            r[self.col[k]] = v
        return r


def _choices_sheet(inst: Instrument, lsafe: dict, multiple_lists: set) -> tuple[list, list]:
    """Every list whole (also when only a multiple-choice question uses it), and for multiple choice
    with missing codes a copy with the options only."""
    langs, fb = inst.languages, inst.default_language
    header = ["list_name", "name"] + [f"label::{lang_header(lang)}" for lang in langs] + ["coprod_missing", "coprod_top_box", "coprod_ordered"]
    header = _extra_columns(header, [c.xlsform for cl in inst.choice_lists.values() for c in cl.all])
    rows = []
    for cl in inst.choice_lists.values():
        lists = [(lsafe[cl.name], cl.all)]
        if cl.name in multiple_lists:
            lists.append((lsafe[cl.name] + OPTIONS_SUFFIX, cl.options))
        for lname, items in lists:
            for c in items:
                row = [lname, c.xls_name] + [text_in(c.label, lang, fb) for lang in langs]
                row += ["yes" if c.missing else "", "yes" if c.code in cl.top_box else "", "yes" if cl.ordered else ""]
                row += [c.xlsform.get(h, "") for h in header[len(row):]]
                rows.append(row)
    return header, rows


def _settings_sheet(inst: Instrument) -> tuple[list, list]:
    langs, fb = inst.languages, inst.default_language
    lh = {lang: lang_header(lang) for lang in langs}
    header = ["form_title", "form_id", "version", "default_language"]
    row = [text_in(inst.title, fb), inst.id, inst.version, lh[fb]]
    header += [f"coprod_title::{lh[lang]}" for lang in langs] + [f"coprod_description::{lh[lang]}" for lang in langs]
    row += [text_in(inst.title, lang, fb) for lang in langs] + [text_in(inst.description, lang) if inst.description else "" for lang in langs]
    header += ["coprod_languages", "coprod_respondent_id", "coprod_group_question", "coprod_groups", "coprod_references"]
    row += [" ".join(langs), inst.respondent_id, inst.group_question or "", " ".join(f"{g.id}={g.code}" for g in inst.groups),
            "\n".join(inst.references)]
    for k, v in inst.xlsform.get("settings", {}).items():
        if k not in header:
            header.append(k)
            row.append(v)
    return header, [row]


def _scales_sheet(inst: Instrument) -> tuple[list, list]:
    langs, fb = inst.languages, inst.default_language
    header = ["name", "items", "reverse", "score", "min_valid", "construct", "source"] + [f"label::{lang_header(lang)}" for lang in langs]
    rows = [[sc.name, " ".join(sc.items), " ".join(sc.reverse), sc.score, sc.min_valid, sc.construct, sc.source]
            + [text_in(sc.label, lang, fb) for lang in langs] for sc in inst.scales.values()]
    return header, rows


def _missing_sheet(inst: Instrument) -> tuple[list, list]:
    langs, fb = inst.languages, inst.default_language
    header = ["code"] + [f"label::{lang_header(lang)}" for lang in langs]
    return header, [[_choice_code(c.code)] + [text_in(c.label, lang, fb) for lang in langs] for c in inst.missing]


def xlsform_workbook(inst: Instrument):
    """The XLSForm as an openpyxl workbook (every cell written as text)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wrap = Alignment(wrap_text=True, vertical="top")
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, (header, rows) in xlsform_rows(inst).items():
        ws = wb.create_sheet(sheet)
        ws.append(header)
        for c in ws[1]:
            c.font = Font(bold=True)
        for i, r in enumerate(rows, start=2):  # the row's number, not ws.max_row (a scan of every cell)
            ws.append([None] * len(header))
            for j, v in enumerate(r, start=1):
                if v == "" or v is None:
                    continue
                set_cell(ws.cell(i, j), v).alignment = wrap
        ws.freeze_panes = "A2"
        widths = _widths(header, rows)
        for j, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(1, j).column_letter].width = width
        if len(rows) == 1:
            _smaller_type(ws[2], widths)
        fit_rows(ws, 2)
        # the columns print across pages at a readable size, the first (type, name) repeated on each
        # (not on a sheet of one row: there they would leave no room for its wide columns)
        print_setup(ws, f"{inst.id} {inst.version}: {sheet}", landscape=True, title_rows="1:1",
                    title_cols="A:B" if len(header) > 1 and len(rows) > 1 else None, fit_width=len(header) <= 6)
        tallest = max([ws.row_dimensions[i].height or 0 for i in range(2, len(rows) + 2)] or [0])
        if tallest > LANDSCAPE_ROW_PT:  # a row cannot break across pages: the sheet shrinks to one page tall
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 0, 1
            ws.sheet_properties.pageSetUpPr.fitToPage = True
    return wb


def _smaller_type(cells, widths: list) -> None:
    """Set a text too long for Excel's tallest row at its column's width in smaller type, the largest that
    holds it (down to 7 points) with a sixth of the row to spare, for fonts that set it wider than the
    estimate (Calibri's stand-ins): a wider column would not print across a page."""
    from openpyxl.styles import Font

    for c, width in zip(cells, widths):
        if isinstance(c.value, str) and row_height([c.value], [width]) > EXCEL_ROW_PT:
            size = next((s for s in (10, 9, 8) if row_height([c.value], [width], s) <= EXCEL_ROW_PT * 0.85), 7)
            c.font = Font(name=c.font.name, size=size)  # the sheet's typeface, only smaller


def _widths(header: list, rows: list) -> list[int]:
    """Each column as wide as its longest text, up to 40 characters; on a sheet of one row (``settings``)
    up to a landscape page, so that a long text (the references) takes fewer lines.

    >>> _widths(["name", "references"], [["x", "a" * 300]])
    [6, 104]
    >>> _widths(["name", "label"], [["x", "a" * 300], ["y", "b"]])
    [6, 40]
    """
    cap = ONE_PAGE_LANDSCAPE_CHARS if len(rows) <= 1 else 40
    return [min(cap, max([len(str(h))] + [len(str(r[j])) for r in rows[:200]]) + 2) for j, h in enumerate(header)]


def write_xlsform(inst: Instrument, path: str | Path, force: bool = False) -> Path:
    """Write the XLSForm (all languages in one form) to ``path``."""
    return save_workbook(xlsform_workbook(inst), path, force)
