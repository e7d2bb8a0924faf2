"""The printable questionnaire workbook for interviewers and paper forms.

One sheet, A4 portrait and fitted to the page width: numbered questions (Q1, Q2 ...) in order with
their variable names, answer options with codes, routing in words (``Ask if Role = Volunteer``),
interviewer instructions in their own italic column. For one respondent group (``group``) it shows
that group's wording and leaves out what the group is never asked; without a group every wording
variant is listed, marked with its group.
"""
from __future__ import annotations

from pathlib import Path

from ..expr import Expr
from ..files import set_cell
from ..model import Instrument, Question, format_code, text_in
from ..sheets import fit_rows, print_setup
from ._common import ask_if, check_group, group_label, phrase, range_text, save_workbook

WIDTHS = (6, 12, 58, 34, 24, 24)


def _asked_of_group(inst: Instrument, expr: Expr | None, gid: str | None) -> bool:
    """False only when ``expr`` depends on the group question alone and excludes the group."""
    if expr is None or gid is None or not inst.group_question:
        return True
    if {n.lower() for n in expr.names()} != {inst.group_question.lower()}:
        return True
    import pandas as pd

    frame = pd.DataFrame({inst.group_question: [float(inst.group(gid).code)]})
    try:
        return bool(expr.evaluate(frame)[0])
    except Exception:  # an expression the data frame cannot answer: keep the question
        return True


def answer_text(inst: Instrument, q: Question, lang: str) -> str:
    """The answer column of a question: codes and labels, or what kind of answer is expected."""
    fb = inst.default_language
    lines = []
    if q.choices is not None:
        if q.type == "multiple":
            lines.append(phrase("all_apply", lang))
            lines += [f"☐ {format_code(c.code)} = {text_in(c.label, lang, fb)}" for c in q.choices.options]
        else:
            lines += [f"{format_code(c.code)} = {text_in(c.label, lang, fb)}" for c in q.choices.options]
            lines += [f"{format_code(c.code)} = {text_in(c.label, lang, fb)}" for c in q.choices.missing]
        return "\n".join(lines)
    if q.type in ("integer", "decimal"):
        kind = phrase("whole_number" if q.type == "integer" else "number", lang)
        rng = range_text(q.min, q.max, lang)
        lines.append(f"{kind} {rng}".strip() + ": ______")
        lines += [f"{format_code(c.code)} = {text_in(c.label, lang, fb)}" for c in q.missing]
    elif q.type == "date":
        lines.append(phrase("date", lang) + ": ____-__-__")
    elif q.type == "text":
        lines.append(phrase("text", lang) + ": ______________")
    elif q.type == "longtext":
        lines.append(phrase("open", lang))
    elif q.type == "note":
        lines.append(phrase("note", lang))
    return "\n".join(lines)


def questionnaire_rows(inst: Instrument, lang: str | None = None, group: str | None = None) -> list[dict]:
    """The rows of the printed questionnaire: sections, notes and numbered questions."""
    lang = lang or inst.default_language
    gid = check_group(inst, group)
    fb = inst.default_language
    rows, n = [], 0
    for sec in inst.sections:
        if not _asked_of_group(inst, sec.relevant, gid):
            continue
        rows.append({"kind": "section", "text": text_in(sec.title, lang, fb), "routing": ask_if(inst, sec.relevant, lang)})
        if sec.intro:
            rows.append({"kind": "intro", "text": text_in(sec.intro, lang, fb)})
        for q in sec.questions:
            if not _asked_of_group(inst, q.relevant, gid):
                continue
            text = q.text_for(lang, gid, fb)
            if gid is None:
                for vg, vt in q.variants.items():
                    text += f"\n[{phrase('for_group', lang)} {group_label(inst, vg, lang)}] {text_in(vt, lang, fb)}"
            if q.hint:
                text += f"\n({text_in(q.hint, lang, fb)})"
            if q.type == "note":
                rows.append({"kind": "note", "text": text, "routing": ask_if(inst, q.relevant, lang),
                             "instruction": text_in(q.instruction, lang, fb)})
                continue
            n += 1
            rows.append({"kind": "question", "number": phrase("q_number", lang, n=n), "name": q.name,
                         "text": text + (" *" if q.required else ""),
                         "answers": answer_text(inst, q, lang), "routing": ask_if(inst, q.relevant, lang),
                         "instruction": text_in(q.instruction, lang, fb)})
    return rows


def questionnaire_workbook(inst: Instrument, lang: str | None = None, group: str | None = None):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    lang = lang or inst.default_language
    gid = check_group(inst, group)
    fb = inst.default_language
    rows = questionnaire_rows(inst, lang, gid)
    wb = Workbook()
    ws = wb.active
    ws.title = phrase("question", lang)[:31]
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="999999")
    line = Border(bottom=thin)
    subtitle = f"{inst.id} {inst.version} · {lang}"
    if gid:
        subtitle += f" · {group_label(inst, gid, lang)}"
    set_cell(ws.cell(1, 1), text_in(inst.title, lang, fb)).font = Font(bold=True, size=14)
    set_cell(ws.cell(2, 1), subtitle).font = Font(italic=True, color="555555")
    header = [phrase("no", lang), phrase("variable", lang), phrase("question", lang), phrase("answers", lang),
              phrase("routing", lang), phrase("instruction", lang)]
    for j, h in enumerate(header, start=1):
        c = set_cell(ws.cell(3, j), h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDE4EE")
        c.alignment = wrap
        c.border = Border(bottom=Side(style="medium"))
    r = 4
    for row in rows:
        kind = row["kind"]
        if kind == "section":
            set_cell(ws.cell(r, 1), row["text"]).font = Font(bold=True, size=12)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
            if row["routing"]:
                set_cell(ws.cell(r, 5), row["routing"]).alignment = wrap
                ws.merge_cells(start_row=r, start_column=5, end_row=r, end_column=6)
            ws.cell(r, 1).alignment = Alignment(vertical="top", wrap_text=True)
        elif kind == "intro":
            set_cell(ws.cell(r, 2), row["text"]).alignment = wrap
            ws.cell(r, 2).font = Font(italic=True)
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
        else:
            values = [row.get("number", ""), row.get("name", ""), row["text"], row.get("answers", ""),
                      row.get("routing", ""), row.get("instruction", "")]
            for j, v in enumerate(values, start=1):
                c = set_cell(ws.cell(r, j), v)
                c.alignment = wrap
                c.border = line
            ws.cell(r, 1).font = Font(bold=True)
            ws.cell(r, 6).font = Font(italic=True, color="1F4E79")
            if kind == "note":
                ws.cell(r, 3).font = Font(italic=True)
        r += 1
    for j, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A4"
    ws.print_area = f"A1:F{max(r - 1, 3)}"
    fit_rows(ws, 1)
    print_setup(ws, text_in(inst.title, lang, fb), landscape=False, title_rows="3:3",
                footer_left=f"{inst.id} {inst.version}", page_word=phrase("page", lang), of_word=phrase("of", lang))
    return wb


def write_questionnaire(inst: Instrument, path: str | Path, lang: str | None = None, group: str | None = None,
                        force: bool = False) -> Path:
    """Write the printable questionnaire for ``lang`` (and one respondent ``group``, if given)."""
    return save_workbook(questionnaire_workbook(inst, lang, group), path, force)


