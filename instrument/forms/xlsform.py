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
sheets ``coprod_scales`` and ``coprod_missing``. With them :mod:`instrument.forms.xlsform_read` reads the
form back into the same definition.
"""
from __future__ import annotations

from pathlib import Path

from ..model import Instrument, Question, format_code, text_in
from ..names import safe_names
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
    text = text.replace("\n", " ")
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    parts = text.split("'")
    pieces = []
    for i, p in enumerate(parts):
        if i:
            pieces.append('"\'"')
        if p:
            pieces.append(f"'{p}'")
    return "concat(" + ", ".join(pieces) + ")"


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
    langs = inst.languages
    lh = {lang: lang_header(lang) for lang in langs}
    kinds = _kinds(inst)
    fb = inst.default_language
    gq = inst.group_question

    tcols = ["label", "hint", "guidance_hint", "constraint_message", "required_message", "coprod_label", "coprod_probes"]
    header = ["type", "name"]
    for base in ("label", "hint", "guidance_hint"):
        header += [f"{base}::{lh[lang]}" for lang in langs]
    header += ["required"] + [f"required_message::{lh[lang]}" for lang in langs]
    header += ["relevant", "constraint"] + [f"constraint_message::{lh[lang]}" for lang in langs]
    header += ["appearance", "calculation", "coprod_measure", "coprod_scale", "coprod_reverse", "coprod_role"]
    header += [f"coprod_label::{lh[lang]}" for lang in langs] + [f"coprod_probes::{lh[lang]}" for lang in langs]
    col = {h: i for i, h in enumerate(header)}
    del tcols

    def row(**kw):
        r = [""] * len(header)
        for k, v in kw.items():
            if isinstance(v, dict):  # translated: {lang: text}
                for lang, t in v.items():
                    r[col[f"{k}::{lh[lang]}"]] = t
            else:
                r[col[k]] = v
        return r

    def tr(text) -> dict:
        return {lang: text_in(text, lang, fb) for lang in langs} if text else {}

    scale_of: dict[str, list[str]] = {}
    reverse_of: dict[str, list[str]] = {}
    for sc in inst.scales.values():
        for it in sc.items:
            scale_of.setdefault(it, []).append(sc.name)
        for it in sc.reverse:
            reverse_of.setdefault(it, []).append(sc.name)

    lsafe = safe_names(inst.choice_lists)  # XLSForm list and group names: letters, digits, _
    ssafe = safe_names([sec.id for sec in inst.sections])
    multiple_lists = {q.choices.name for q in inst.questions if q.type == "multiple" and q.choices is not None and q.choices.missing}
    taken = {v.lower() for v in [inst.respondent_id] + [q.name for q in inst.questions] + [vn for q in inst.questions for vn in q.variable_names()]}

    def fresh(name: str) -> str:
        base, i = name, 2
        while name.lower() in taken:
            name, i = f"{base}{i}", i + 1
        taken.add(name.lower())
        return name

    survey = []
    for sec in inst.sections:
        survey.append(row(type="begin_group", name=ssafe[sec.id], label=tr(sec.title),
                          relevant=sec.relevant.xpath(kinds) if sec.relevant is not None else ""))
        if sec.intro:
            survey.append(row(type="note", name=fresh(f"{ssafe[sec.id]}_intro"), label=tr(sec.intro), coprod_role="intro"))
        for q in sec.questions:
            label = tr(q.text)
            if q.variants and gq:
                label = {}
                for lang in langs:
                    calc = xpath_string(text_in(q.text, lang, fb))
                    for gid in reversed([g.id for g in inst.groups if g.id in q.variants]):
                        g = inst.group(gid)
                        calc = f"if(${{{gq}}} = '{g.code}', {xpath_string(text_in(q.variants[gid], lang, fb))}, {calc})"
                    cname = fresh(f"{q.name}{WORDING_SEP}{lang}")
                    survey.append(row(type="calculate", name=cname, calculation=calc, coprod_role=f"wording:{q.name}:{lang}"))
                    label[lang] = f"${{{cname}}}"
            if q.type in ("single", "likert"):
                qtype = f"select_one {lsafe[q.choices.name]}"
            elif q.type == "multiple":
                lname = lsafe[q.choices.name] + (OPTIONS_SUFFIX if q.choices.name in multiple_lists else "")
                qtype = f"select_multiple {lname}"
            else:
                qtype = TYPE_MAP[q.type]
            appearance = {"likert": "likert", "longtext": "multiline"}.get(q.type, "")
            cons, msg = "", {}
            if q.type in ("integer", "decimal"):
                cons, with_missing = constraint(q)
                if cons:
                    msg = {lang: phrase("range_msg", lang, range=range_text(q.min, q.max, lang))
                           + (f" ({phrase('or_missing', lang)} {', '.join(num(c) for c in q.missing_codes)})" if with_missing else "")
                           for lang in langs}
            survey.append(row(
                type=qtype, name=q.name, label=label, hint=tr(q.hint), guidance_hint=tr(q.instruction),
                required="yes" if q.required else "",
                required_message={lang: phrase("required_msg", lang) for lang in langs} if q.required else {},
                relevant=q.relevant.xpath(kinds) if q.relevant is not None else "",
                constraint=cons, constraint_message=msg, appearance=appearance,
                coprod_measure=q.measure if q.type != "note" else "",
                coprod_scale=" ".join(scale_of.get(q.name, [])), coprod_reverse=" ".join(reverse_of.get(q.name, [])),
                coprod_label=tr(q.label),
                coprod_probes={lang: "\n".join(text_in(p, lang, fb) for p in q.probes) for lang in langs} if q.probes else {},
            ))
        survey.append(row(type="end_group"))

    # choices
    ch_header = ["list_name", "name"] + [f"label::{lh[lang]}" for lang in langs] + ["coprod_missing", "coprod_top_box", "coprod_ordered"]
    choices = []
    for cl in inst.choice_lists.values():
        lists = [(lsafe[cl.name], cl.all)]  # the whole list, also when only a multiple-choice question uses it
        if cl.name in multiple_lists:
            lists.append((lsafe[cl.name] + OPTIONS_SUFFIX, cl.options))
        for lname, items in lists:
            for c in items:
                choices.append([lname, _choice_code(c.code)] + [text_in(c.label, lang, fb) for lang in langs]
                               + ["yes" if c.missing else "", "yes" if c.code in cl.top_box else "", "yes" if cl.ordered else ""])

    # settings
    st_header = ["form_title", "form_id", "version", "default_language"]
    st_row = [text_in(inst.title, fb), inst.id, inst.version, lh[fb]]
    st_header += [f"coprod_title::{lh[lang]}" for lang in langs] + [f"coprod_description::{lh[lang]}" for lang in langs]
    st_row += [text_in(inst.title, lang, fb) for lang in langs] + [text_in(inst.description, lang) if inst.description else "" for lang in langs]
    st_header += ["coprod_languages", "coprod_respondent_id", "coprod_group_question", "coprod_groups", "coprod_references"]
    st_row += [" ".join(langs), inst.respondent_id, gq or "", " ".join(f"{g.id}={g.code}" for g in inst.groups),
               "\n".join(inst.references)]

    sc_header = ["name", "items", "reverse", "score", "min_valid", "construct", "source"] + [f"label::{lh[lang]}" for lang in langs]
    scales = [[sc.name, " ".join(sc.items), " ".join(sc.reverse), sc.score, sc.min_valid, sc.construct, sc.source]
              + [text_in(sc.label, lang, fb) for lang in langs] for sc in inst.scales.values()]
    mi_header = ["code"] + [f"label::{lh[lang]}" for lang in langs]
    missing = [[_choice_code(c.code)] + [text_in(c.label, lang, fb) for lang in langs] for c in inst.missing]
    return {"survey": (header, survey), "choices": (ch_header, choices), "settings": (st_header, [st_row]),
            "coprod_scales": (sc_header, scales), "coprod_missing": (mi_header, missing)}


def xlsform_workbook(inst: Instrument):
    """The XLSForm as an openpyxl workbook (every cell written as text)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..files import set_cell

    wb = Workbook()
    wb.remove(wb.active)
    for sheet, (header, rows) in xlsform_rows(inst).items():
        ws = wb.create_sheet(sheet)
        ws.append(header)
        for c in ws[1]:
            c.font = Font(bold=True)
        for r in rows:
            ws.append([None] * len(header))
            for j, v in enumerate(r, start=1):
                if v == "" or v is None:
                    continue
                set_cell(ws.cell(ws.max_row, j), v)
        ws.freeze_panes = "A2"
        for j, h in enumerate(header, start=1):
            width = min(60, max([len(str(h))] + [len(str(r[j - 1])) for r in rows[:200]]) + 2)
            ws.column_dimensions[ws.cell(1, j).column_letter].width = width
    return wb


def write_xlsform(inst: Instrument, path: str | Path, force: bool = False) -> Path:
    """Write the XLSForm (all languages in one form) to ``path``."""
    return save_workbook(xlsform_workbook(inst), path, force)
