"""The codebook: every variable with its label, question, codes, missing codes, universe and scale.

Written as a workbook (``codebook_en.xlsx``) and as a self-contained HTML page (``codebook_en.html``)
in one language, with the question text in every declared language beside it.
"""
from __future__ import annotations

import html
from pathlib import Path

from ..files import set_cell, write_text
from ..model import Instrument, Variable, format_code, text_in
from ..names import language_in
from ..sheets import fit_rows, pages_wide, print_setup, row_height
from ._common import group_label, phrase, range_text, save_workbook, universe

_H = {
    "en": ["Variable", "Label", "Question", "Type", "Values", "Missing codes", "Range", "Universe", "Scale", "Measure"],
    "fi": ["Muuttuja", "Nimike", "Kysymys", "Tyyppi", "Arvot", "Puuttuvan tiedon koodit", "Vaihteluväli", "Perusjoukko", "Summamuuttuja", "Mitta-asteikko"],
    "sv": ["Variabel", "Etikett", "Fråga", "Typ", "Värden", "Koder för bortfall", "Intervall", "Population", "Skala", "Mätnivå"],
}
#: Height of the empty row between two variables' blocks (points).
SPACER_PT = 6.0
_REVERSED = {"en": "reversed", "fi": "käännetty", "sv": "omvänd"}
_CODEBOOK = {"en": "Codebook", "fi": "Koodikirja", "sv": "Kodbok"}
_VARIABLES = {"en": "Variables", "fi": "Muuttujat", "sv": "Variabler"}
_SCALES = {"en": "Scales", "fi": "Summamuuttujat", "sv": "Skalor"}
_SCALE_H = {"en": ["Scale", "Label", "Items", "Reverse-keyed", "Score", "Minimum valid items"],
            "fi": ["Summamuuttuja", "Nimike", "Osiot", "Käännetyt osiot", "Pistemäärä", "Vähintään kelvollisia osioita"],
            "sv": ["Skala", "Etikett", "Frågor", "Omvända frågor", "Poäng", "Minsta antal giltiga"]}
#: The definition's words shown as values (question type, measurement level, scale score), in Finnish and
#: Swedish; English shows the definition's own word.
_VALUES = {
    "fi": {"single": "yksi vaihtoehto", "multiple": "monivalinta", "likert": "Likert-asteikko",
           "integer": "kokonaisluku", "decimal": "desimaaliluku", "text": "lyhyt teksti", "longtext": "avoin vastaus",
           "date": "päivämäärä", "note": "ilmoitus", "nominal": "luokittelu", "ordinal": "järjestys",
           "scale": "välimatka/suhde", "mean": "keskiarvo", "sum": "summa"},
    "sv": {"single": "ett alternativ", "multiple": "flerval", "likert": "Likertskala", "integer": "heltal",
           "decimal": "decimaltal", "text": "kort text", "longtext": "öppet svar", "date": "datum",
           "note": "meddelande", "nominal": "nominalskala", "ordinal": "ordinalskala", "scale": "intervall/kvot",
           "mean": "medelvärde", "sum": "summa"},
}


def value_word(word: str, lang: str) -> str:
    """A word of the definition (``likert``, ``ordinal``, ``mean``) as the codebook in ``lang`` shows it.

    >>> value_word("ordinal", "fi"), value_word("likert", "sv"), value_word("scale", "en")
    ('järjestys', 'Likertskala', 'scale')
    """
    return _VALUES.get(lang, {}).get(word, word)


def _pick(table: dict, lang: str):
    return table.get(lang) or table["en"]


def variable_facts(inst: Instrument, var: Variable, lang: str) -> dict:
    """What the codebook says about one variable, in ``lang``."""
    fb = inst.default_language
    q = var.question
    texts = {lg: q.text_for(lg, None, fb) for lg in inst.languages}
    variants = {gid: text_in(t, lang, fb) for gid, t in q.variants.items()}
    if var.option is not None:
        values = [(0, phrase("not_selected", lang)), (1, phrase("selected", lang))]
    else:
        values = [(c, text_in(t, lang, fb)) for c, t in var.value_labels.items() if c not in var.missing_codes]
    missing = [(c, text_in(var.value_labels.get(c, {}), lang, fb)) for c in var.missing_codes]
    scales = []
    for sc in inst.scales.values():
        if q.name in sc.items and var.option is None:
            scales.append(sc.name + (f" ({_pick(_REVERSED, lang)})" if q.name in sc.reverse else ""))
    return {
        "name": var.name, "label": text_in(var.label, lang, fb), "texts": texts, "variants": variants,
        "option": text_in(var.option.label, lang, fb) if var.option is not None else "",
        "type": q.type, "kind": var.kind, "measure": var.measure, "values": values, "missing": missing,
        "range": range_text(var.min, var.max, lang), "universe": universe(inst, q, lang), "scales": scales,
    }


def codebook_rows(inst: Instrument, lang: str, all_languages: bool = False) -> tuple[list[str], list[list]]:
    """(header, rows) of the codebook in ``lang``; ``all_languages`` adds a question column per other language."""
    fb = inst.default_language
    header = list(_pick(_H, lang))
    others = [lg for lg in inst.languages if lg != lang] if all_languages else []
    header[3:3] = [f"{header[2]} ({language_in(lg, lang)})" for lg in others]
    rows = []
    for var in inst.variables:
        f = variable_facts(inst, var, lang)

        def question(lg):
            text = f["texts"][lg]
            if f["option"] and lg == lang:
                text += f"\n[{f['option']}]"
            for gid, t in var.question.variants.items():
                text += f"\n{phrase('for_group', lg)} {group_label(inst, gid, lg)}: {text_in(t, lg, fb)}"
            return text

        rows.append([f["name"], f["label"], question(lang)] + [question(lg) for lg in others] + [
            value_word(f["type"], lang), "\n".join(f"{format_code(c)} = {t}" for c, t in f["values"]),
            "\n".join(f"{format_code(c)} = {t}" for c, t in f["missing"]), f["range"], f["universe"],
            "; ".join(f["scales"]), value_word(f["measure"], lang)])
    return header, rows


def scale_rows(inst: Instrument, lang: str) -> tuple[list[str], list[list]]:
    fb = inst.default_language
    return list(_pick(_SCALE_H, lang)), [
        [s.name, text_in(s.label, lang, fb), " ".join(s.items), " ".join(s.reverse), value_word(s.score, lang), s.min_valid]
        for s in inst.scales.values()]


def codebook_blocks(ws, header: list[str], rows: list[list], title: str = "") -> None:
    """Write the codebook for reading on paper: one block per variable (its name and label in bold on a
    shaded row, then one line per fact), two columns on an A4 portrait page at the normal type size.

    Row heights are set here, from the column widths and the text (LibreOffice does not fit rows).
    """
    from copy import copy

    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    widths = (24, 70)
    wrap = Alignment(wrap_text=True, vertical="top")
    # three cell styles, made once and copied (setting styles cell by cell is slow in openpyxl)
    styles = {}
    for kind, font, fill, border in (("head", Font(bold=True), PatternFill("solid", fgColor="DDE4EE"),
                                      Border(top=Side(style="thin"))),
                                     ("fact", Font(italic=True, color="333333"), None, None),
                                     ("value", None, None, None)):
        proto = ws.cell(1, 1)
        proto.alignment = wrap
        for attr, v in (("font", font), ("fill", fill), ("border", border)):
            if v is not None:
                setattr(proto, attr, v)
        styles[kind] = copy(proto._style)
        ws._cells.pop((1, 1), None)

    def put(r, j, v, kind):
        c = set_cell(ws.cell(r, j), v)
        c._style = copy(styles[kind])

    r = 1
    if title:
        set_cell(ws.cell(r, 1), title).font = Font(bold=True, size=13)
        ws.cell(r, 1).alignment = wrap
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        ws.row_dimensions[r].height = row_height([title], [sum(widths)], 13, bold=True)
        r += 2
    for row in rows:
        put(r, 1, row[0], "head")
        put(r, 2, row[1], "head")
        ws.row_dimensions[r].height = row_height(row[:2], widths, bold=True)
        r += 1
        for h, v in zip(header[2:], row[2:]):
            if v in (None, ""):
                continue
            put(r, 1, h, "fact")
            put(r, 2, v, "value")
            ws.row_dimensions[r].height = row_height([h, v], widths)
            r += 1
        ws.row_dimensions[r].height = SPACER_PT  # a little room before the next variable
        r += 1
    ws.column_dimensions["A"].width = widths[0]
    ws.column_dimensions["B"].width = widths[1]


def codebook_workbook(inst: Instrument, lang: str):
    """The codebook workbook: ``Codebook`` (a block per variable, for reading and printing), ``Variables``
    (the same as a table, one row per variable, for sorting and filtering) and ``Scales``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    fb = inst.default_language
    title = f"{_pick(_CODEBOOK, lang)}: {text_in(inst.title, lang, fb)}"
    foot = f"{inst.id} {inst.version}"
    words = {"page_word": phrase("page", lang), "of_word": phrase("of", lang), "footer_left": foot}
    wb = Workbook()
    ws = wb.active
    ws.title = _pick(_CODEBOOK, lang)
    header, rows = codebook_rows(inst, lang, all_languages=True)
    codebook_blocks(ws, header, rows, title)
    print_setup(ws, title, landscape=False, **words)
    for sheet, (header, rows) in ((wb.create_sheet(_pick(_VARIABLES, lang)), (header, rows)),
                                  (wb.create_sheet(_pick(_SCALES, lang)), scale_rows(inst, lang))):
        for j, h in enumerate(header, start=1):
            set_cell(sheet.cell(1, j), h).font = Font(bold=True)
            sheet.cell(1, j).alignment = Alignment(wrap_text=True, vertical="top")
        for i, r in enumerate(rows, start=2):
            for j, v in enumerate(r, start=1):
                set_cell(sheet.cell(i, j), v).alignment = Alignment(wrap_text=True, vertical="top")
        for j, h in enumerate(header, start=1):
            longest = max([len(str(h))] + [max((len(x) for x in str(r[j - 1]).split("\n")), default=0) for r in rows[:300]])
            sheet.column_dimensions[get_column_letter(j)].width = min(45, max(10, longest + 2))
        sheet.freeze_panes = "B2"
        fit_rows(sheet)
        # a wide table prints across as few pages as it needs at 100 % in Excel, the variable name repeated on
        # each (LibreOffice, whose characters may be wider, shrinks it to the same pages)
        widths = [sheet.column_dimensions[get_column_letter(j)].width for j in range(1, len(header) + 1)]
        print_setup(sheet, title, landscape=True, title_rows="1:1", title_cols="A:A",
                    fit_width=pages_wide(widths, repeated=widths[0]), **words)
    return wb


def write_codebook_xlsx(inst: Instrument, path: str | Path, lang: str | None = None, force: bool = False) -> Path:
    """Write the codebook workbook in ``lang``."""
    return save_workbook(codebook_workbook(inst, lang or inst.default_language), path, force)


def codebook_html(inst: Instrument, lang: str | None = None) -> str:
    """The codebook as one self-contained HTML page."""
    lang = lang or inst.default_language
    fb = inst.default_language
    e = html.escape
    title = f"{_pick(_CODEBOOK, lang)}: {text_in(inst.title, lang, fb)}"
    header, rows = codebook_rows(inst, lang, all_languages=True)
    out = ["<!DOCTYPE html>", f'<html lang="{e(lang)}"><head><meta charset="utf-8">', f"<title>{e(title)}</title>",
           "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
           "th,td{border:1px solid #999;padding:4px 6px;vertical-align:top;text-align:left;white-space:pre-line}"
           "th{background:#dde4ee}code{font-weight:bold}</style></head><body>",
           f"<h1>{e(title)}</h1>", f"<p>{e(inst.id)} {e(inst.version)}</p>", "<table>",
           "<thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr></thead><tbody>"]
    for r in rows:
        out.append('<tr id="var-' + e(str(r[0])) + '">' + f"<td><code>{e(str(r[0]))}</code></td>"
                   + "".join(f"<td>{e(str(v))}</td>" for v in r[1:]) + "</tr>")
    out.append("</tbody></table>")
    sh, srows = scale_rows(inst, lang)
    if srows:
        out += [f"<h2>{e(_pick(_SCALES, lang))}</h2>", "<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in sh)
                + "</tr></thead><tbody>"]
        out += ["<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r) + "</tr>" for r in srows]
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_codebook_html(inst: Instrument, path: str | Path, lang: str | None = None, force: bool = False) -> Path:
    return write_text(path, codebook_html(inst, lang), force)


