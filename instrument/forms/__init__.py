"""Everything a survey team needs, generated from one definition: forms, spreadsheets, codebooks, syntax.

:func:`write_forms` writes the chosen kinds into a directory, in the chosen languages and for one
respondent group (or for all). Each kind also has its own function:

==============  =================================================  ==========================================
kind            files                                              function
==============  =================================================  ==========================================
questionnaire   ``questionnaire_en.xlsx`` (``_en_volunteer`` ...)  :func:`.questionnaire.write_questionnaire`
entry           ``entry.xlsx`` (default language), ``entry_fi``    :func:`.entry.write_entry`
xlsform         ``xlsform.xlsx`` (every language in one form)      :func:`.xlsform.write_xlsform`
codebook        ``codebook_en.xlsx``, ``codebook_en.html``         :mod:`.codebook`
ddi             ``ddi_en.xml`` (DDI-Codebook 2.5)                  :func:`.ddi.write_ddi`
spss            ``template.sav``, ``labels.sps`` (``labels_fi``)   :mod:`.spss`
guide           ``interview_guide_en.docx`` and ``.md``            :mod:`.guide`
lavaan          ``cfa.R`` (lavaan and semTools: CFA, invariance)   :func:`.lavaan.write_lavaan`
==============  =================================================  ==========================================

>>> import tempfile, pathlib
>>> from coprod import instrument
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in write_forms(instrument.builtin(), out, langs=["fi"], kinds=["ddi", "spss"])]
['ddi_fi.xml', 'template.sav', 'labels_fi.sps']
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from ..errors import OptionError
from ..files import check_writable
from ..model import Instrument
from ._common import check_group, check_langs

KINDS = ("questionnaire", "entry", "xlsform", "codebook", "ddi", "spss", "guide", "lavaan")


def check_kinds(kinds: Iterable[str] | None) -> tuple[str, ...]:
    """The kinds asked for, in :data:`KINDS` order (all by default); OptionError for an unknown one."""
    if not kinds:
        return KINDS
    wanted = set()
    for k in kinds:
        if k not in KINDS:
            raise OptionError(f"{k!r} is not a kind of form (allowed: {', '.join(KINDS)})", param="kinds")
        wanted.add(k)
    return tuple(k for k in KINDS if k in wanted)


def plan_forms(inst: Instrument, out_dir: str | Path, langs=None, group=None, kinds=None) -> list[tuple[Path, Callable]]:
    """The files :func:`write_forms` would write, each with the function that writes it (``fn(path, force)``)."""
    from . import codebook, ddi, entry, guide, lavaan, questionnaire, spss, xlsform

    out = Path(out_dir)
    langs = check_langs(inst, langs)
    gid = check_group(inst, group)
    kinds = check_kinds(kinds)
    default = inst.default_language  # its files have no language suffix
    first = default if default in langs else langs[0]
    gsuffix = f"_{gid}" if gid else ""
    plan: list[tuple[Path, Callable]] = []

    def add(name, fn):
        plan.append((out / name, fn))

    for kind in kinds:
        if kind == "questionnaire":
            for lang in langs:
                add(f"questionnaire_{lang}{gsuffix}.xlsx",
                    lambda p, f, lang=lang: questionnaire.write_questionnaire(inst, p, lang, gid, force=f))
        elif kind == "entry":
            for lang in langs:
                add("entry.xlsx" if lang == default else f"entry_{lang}.xlsx",
                    lambda p, f, lang=lang: entry.write_entry(inst, p, lang, force=f))
        elif kind == "xlsform":
            add("xlsform.xlsx", lambda p, f: xlsform.write_xlsform(inst, p, force=f))
        elif kind == "codebook":
            for lang in langs:
                add(f"codebook_{lang}.xlsx", lambda p, f, lang=lang: codebook.write_codebook_xlsx(inst, p, lang, force=f))
                add(f"codebook_{lang}.html", lambda p, f, lang=lang: codebook.write_codebook_html(inst, p, lang, force=f))
        elif kind == "ddi":
            for lang in langs:
                add(f"ddi_{lang}.xml", lambda p, f, lang=lang: ddi.write_ddi(inst, p, lang, force=f))
        elif kind == "spss":
            add("template.sav", lambda p, f: spss.write_template(inst, p, first, force=f))
            for lang in langs:
                add("labels.sps" if lang == default else f"labels_{lang}.sps",
                    lambda p, f, lang=lang: spss.write_syntax(inst, p, lang, force=f))
        elif kind == "guide":
            for lang in langs:
                add(f"interview_guide_{lang}{gsuffix}.docx",
                    lambda p, f, lang=lang: guide.write_guide_docx(inst, p, lang, gid, force=f))
                add(f"interview_guide_{lang}{gsuffix}.md",
                    lambda p, f, lang=lang: guide.write_guide_markdown(inst, p, lang, gid, force=f))
        elif kind == "lavaan":
            add("cfa.R", lambda p, f: lavaan.write_lavaan(inst, p, force=f))
    return plan


def write_forms(instrument: Instrument, out_dir: str | Path, langs=None, group=None, kinds=None, force: bool = False) -> list[Path]:
    """Write the chosen kinds of forms into ``out_dir``; return the paths written.

    Nothing is written when any target exists and ``force`` is false (the whole set, or none);
    each file is written atomically.
    """
    plan = plan_forms(instrument, out_dir, langs, group, kinds)
    for path, _ in plan:
        check_writable(path, force)
    written = []
    for path, fn in plan:
        fn(path, force)
        written.append(path)
    return written


__all__ = ["KINDS", "write_forms", "plan_forms", "check_kinds"]
