"""Shared pieces of the form writers: localised phrases, routing in words, option checks, saving."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..errors import OptionError
from ..expr import And, Expr
from ..files import atomic_path
from ..model import Instrument, Question, Section, format_code, text_in
from ..names import language_name
from ..words import in_words  # noqa: F401  (the forms' name for it)
from ..words import localised

#: Phrases the forms print, by language; English is the fallback for any other language.
PHRASES = {
    "ask_if": {"en": "Ask if", "fi": "Kysy, jos", "sv": "Fråga om"},
    "all": {"en": "All respondents", "fi": "Kaikki vastaajat", "sv": "Alla svarande"},
    "asked_if": {"en": "Respondents for whom", "fi": "Vastaajat, joilla", "sv": "Svarande för vilka"},
    "question": {"en": "Question", "fi": "Kysymys", "sv": "Fråga"},
    "no": {"en": "No.", "fi": "Nro", "sv": "Nr"},
    "q_number": {"en": "Q{n}", "fi": "K{n}", "sv": "F{n}"},
    "answers": {"en": "Answer options (code = label)", "fi": "Vastausvaihtoehdot (koodi = teksti)", "sv": "Svarsalternativ (kod = text)"},
    "routing": {"en": "Routing", "fi": "Reititys", "sv": "Filter"},
    "instruction": {"en": "Interviewer instruction", "fi": "Ohje haastattelijalle", "sv": "Instruktion till intervjuaren"},
    "variable": {"en": "Variable", "fi": "Muuttuja", "sv": "Variabel"},
    "missing": {"en": "Missing codes", "fi": "Puuttuvan tiedon koodit", "sv": "Koder för bortfall"},
    "page": {"en": "Page", "fi": "Sivu", "sv": "Sida"},
    "of": {"en": "of", "fi": "/", "sv": "av"},
    "for_group": {"en": "Wording for", "fi": "Muotoilu ryhmälle", "sv": "Formulering för"},
    "all_apply": {"en": "Tick all that apply (one 0/1 variable per option).",
                  "fi": "Valitse kaikki sopivat (jokaisesta vaihtoehdosta oma 0/1-muuttuja).",
                  "sv": "Kryssa för alla som passar (en 0/1-variabel per alternativ)."},
    "number": {"en": "Number", "fi": "Luku", "sv": "Tal"},
    "whole_number": {"en": "Whole number", "fi": "Kokonaisluku", "sv": "Heltal"},
    "date": {"en": "Date (YYYY-MM-DD)", "fi": "Päivämäärä (VVVV-KK-PP)", "sv": "Datum (ÅÅÅÅ-MM-DD)"},
    "text": {"en": "Text", "fi": "Teksti", "sv": "Text"},
    "open": {"en": "Open answer", "fi": "Avoin vastaus", "sv": "Öppet svar"},
    "note": {"en": "(Read out; no answer)", "fi": "(Luetaan; ei vastausta)", "sv": "(Läses upp; inget svar)"},
    "from_to": {"en": "from {lo} to {hi}", "fi": "{lo}–{hi}", "sv": "från {lo} till {hi}"},
    "at_least": {"en": "at least {lo}", "fi": "vähintään {lo}", "sv": "minst {lo}"},
    "at_most": {"en": "at most {hi}", "fi": "enintään {hi}", "sv": "högst {hi}"},
    "range_msg": {"en": "Enter a number {range}", "fi": "Anna luku {range}", "sv": "Ange ett tal {range}"},
    "or_missing": {"en": "or a missing code", "fi": "tai puuttuvan tiedon koodi", "sv": "eller en kod för bortfall"},
    "required_msg": {"en": "This question needs an answer.", "fi": "Tähän kysymykseen on vastattava.",
                     "sv": "Den här frågan måste besvaras."},
    "required": {"en": "required", "fi": "pakollinen", "sv": "obligatorisk"},
    "selected": {"en": "Selected", "fi": "Valittu", "sv": "Vald"},
    "not_selected": {"en": "Not selected", "fi": "Ei valittu", "sv": "Inte vald"},
}


def phrase(key: str, lang: str, **fmt) -> str:
    """A localised phrase (English when the language has none).

    >>> phrase("ask_if", "fi")
    'Kysy, jos'
    >>> phrase("from_to", "de", lo=0, hi=60)
    'from 0 to 60'
    """
    return localised(PHRASES, key, lang, **fmt)


def num(value) -> str:
    """A number as written on a form: 3, -9, 2.5."""
    return format_code(value) if value is not None else ""


def check_langs(inst: Instrument, langs: Iterable[str] | None) -> tuple[str, ...]:
    """The languages asked for (all declared ones by default); OptionError for an undeclared one."""
    if not langs:
        return tuple(inst.languages)
    out = []
    for lang in langs:
        if lang not in inst.languages:
            raise OptionError(f"{lang!r} is not a language of {inst.id} (allowed: {', '.join(inst.languages)})", param="langs")
        if lang not in out:
            out.append(lang)
    return tuple(out)


def check_group(inst: Instrument, group: str | None) -> str | None:
    """The group id asked for (by id or code); OptionError when the definition has no such group."""
    if group is None:
        return None
    for g in inst.groups:
        if g.id == group or str(g.code) == str(group):
            return g.id
    allowed = ", ".join(g.id for g in inst.groups) or "none: the definition declares no groups"
    raise OptionError(f"{group!r} is not a respondent group of {inst.id} (allowed: {allowed})", param="group")


def group_label(inst: Instrument, gid: str, lang: str) -> str:
    g = inst.group(gid)
    return text_in(g.label, lang, inst.default_language) or gid


def section_of(inst: Instrument, q: Question) -> Section:
    for s in inst.sections:
        if q in s.questions:
            return s
    raise KeyError(q.name)  # pragma: no cover


def full_relevant(inst: Instrument, q: Question) -> Expr | None:
    """The question's own condition combined with its section's: who is asked."""
    sec = section_of(inst, q)
    parts = [e for e in (sec.relevant, q.relevant) if e is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts[0], parts[1])


def ask_if(inst: Instrument, expr: Expr | None, lang: str) -> str:
    """``Ask if Role = Volunteer`` (localised), or '' without a condition."""
    if expr is None:
        return ""
    return f"{phrase('ask_if', lang)} {in_words(inst, expr, lang)}"


def universe(inst: Instrument, q: Question, lang: str) -> str:
    """Who is asked, in words: ``All respondents`` or ``Respondents for whom Role = Volunteer``."""
    expr = full_relevant(inst, q)
    if expr is None:
        return phrase("all", lang)
    return f"{phrase('asked_if', lang)} {in_words(inst, expr, lang)}"


def lang_header(lang: str) -> str:
    """The language as XLSForm writes it in column headers: ``English (en)``."""
    return f"{language_name(lang)} ({lang})"


def range_text(lo, hi, lang: str) -> str:
    if lo is not None and hi is not None:
        return phrase("from_to", lang, lo=num(lo), hi=num(hi))
    if lo is not None:
        return phrase("at_least", lang, lo=num(lo))
    if hi is not None:
        return phrase("at_most", lang, hi=num(hi))
    return ""


def save_workbook(wb, path: str | Path, force: bool = False) -> Path:
    """Save an openpyxl workbook atomically (whole or not at all, never over a file without force)."""
    with atomic_path(path, force) as tmp:
        wb.save(tmp)
    return Path(path)

