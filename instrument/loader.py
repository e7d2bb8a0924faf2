"""Load and check a definition: build an :class:`~instrument.model.Instrument`, collecting every problem.

The builder works on the tree :mod:`instrument.yamlsource` returns (dicts and lists that know
their lines); the XLSForm reader produces the same tree, so both go through the same checks.
This module builds the whole (languages and the definition's own keys, then its parts in order);
:mod:`instrument.build_sections` builds the choice lists, sections and questions and
:mod:`instrument.build_crossrefs` checks what refers to questions (skip logic, groups, scales).
"""
from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from . import build_crossrefs as xref
from . import model as m
from .build_sections import choice_lists, sections
from .builder import CHOICE_KEYS, QUESTION_KEYS, SCALE_KEYS, SECTION_KEYS, TOP_KEYS, Builder
from .checked import CheckReport, check, load
from .errors import DefinitionError, Problem
from .inputs import MAX_DEFINITION_BYTES, input_problem
from .modules import combinations_to_check as module_combinations, expand as expand_modules
from .names import ISO_639_1
from .themes import attach_themes
from .typecheck import check_types
from .yamlsource import line_of, parse_yaml, read_text

__all__ = ["CheckReport", "build", "check", "check_text", "load",
           "TOP_KEYS", "SECTION_KEYS", "QUESTION_KEYS", "CHOICE_KEYS", "SCALE_KEYS"]
REQUIRED_KEYS = ("id", "title", "version", "languages", "sections")


def _instrument(b: Builder, t) -> m.Instrument | None:
    """The whole definition, or None when it has errors (all of them in ``b.problems``)."""
    if not isinstance(t, dict):
        b.err(getattr(t, "line", 1), "a definition must be a mapping with id, title, languages, sections ...")
        return None
    b.unknown_keys(t, TOP_KEYS, "the definition")
    for k in REQUIRED_KEYS:
        if k not in t:
            b.err(1, f"missing required key {k!r}")
    languages = _languages(b, t)  # first: every text depends on them
    head = _head(b, t)
    lists = choice_lists(b, t.get("choices") or {}, line_of(t, "choices", 1), head["missing"])
    body = sections(b, t.get("sections") or [], line_of(t, "sections", 1), lists, head["missing"])
    by_lower = {n.lower(): q for n, q in body.questions.items()}
    xref.skip_logic(b, body.pending, body.order, by_lower)
    groups, group_question = xref.groups(b, t.get("groups"), line_of(t, "groups", 1), by_lower)
    xref.variants(b, body.questions, groups)
    scales = xref.scales(b, t.get("scales") or {}, line_of(t, "scales", 1), by_lower)
    references = t.get("references") or []
    if not isinstance(references, list):
        b.err(line_of(t, "references", 1), "references: expected a list of texts")
        references = []
    if b.has_errors:
        return None
    return m.Instrument(
        **languages, **head, sections=tuple(body.sections), choice_lists=MappingProxyType(lists),
        scales=MappingProxyType(scales), groups=groups, group_question=group_question,
        references=tuple(str(r) for r in references), path=b.path,
        xlsform=b.xlsform(t.get("xlsform"), line_of(t, "xlsform", 1), "the definition"))


def _languages(b: Builder, t) -> dict:
    """``languages`` and ``default_language`` (ISO 639-1 codes); sets ``b.languages`` for the texts."""
    langs = t.get("languages") or []
    lline = line_of(t, "languages", 1)
    if isinstance(langs, str):
        langs = [langs]
    if not isinstance(langs, list) or not langs:
        b.err(lline, "languages: give a list of ISO 639-1 codes, e.g. [en, fi, sv]")
        langs = []
    good = []
    for i, lang in enumerate(langs):
        ll = line_of(langs, i, lline)
        if not isinstance(lang, str) or lang not in ISO_639_1:
            hint = " (Swedish is 'sv'; 'se' is Northern Sámi)" if lang in ("se", "swe", "sw") else ""
            b.err(ll, f"languages: {lang!r} is not an ISO 639-1 language code{hint}")
        elif lang in good:
            b.err(ll, f"languages: {lang!r} listed twice")
        else:
            good.append(lang)
    if "se" in good and "sv" not in good:
        b.warn(lline, "languages: 'se' is Northern Sámi; Swedish is 'sv'")
    b.languages = tuple(good) or ("en",)
    default = t.get("default_language", b.languages[0])
    if default not in b.languages:
        b.err(line_of(t, "default_language", 1), f"default_language {default!r} is not one of languages ({', '.join(b.languages)})")
        default = b.languages[0]
    return {"languages": b.languages, "default_language": default}


def _head(b: Builder, t) -> dict:
    """The definition's id, version, title, description, global missing codes and respondent id."""
    ident = t.get("id")
    if ident is not None and (not isinstance(ident, str) or not ident.strip()):
        b.err(line_of(t, "id", 1), "id: expected a short text identifier")
    version = t.get("version")
    head = {
        "id": str(ident),
        "version": "" if version is None else str(version),
        "title": b.text(t.get("title"), line_of(t, "title", 1), "title"),
        "description": b.text(t.get("description"), line_of(t, "description", 1), "description", required=False),
        "missing": b.choices(t.get("missing"), line_of(t, "missing", 1), "missing", True),
        "respondent_id": t.get("respondent_id", "resp_id"),
    }
    b.claim(head["respondent_id"], line_of(t, "respondent_id", 1), "respondent_id")
    return head


def _build_one(tree, path: str):
    """The instrument of one expanded tree (None when a field has the wrong type) and its problems."""
    tree, type_problems, deferred = check_types(tree, path)  # scalars of the wrong type are None from here on
    b = Builder(tree, path)
    inst = attach_themes(b, tree, _instrument(b, tree))  # the codebook of themes for open answers
    # one problem per field: the type's, or for a list or mapping expected the builder's own where it has one
    bad_lines = {p.line for p in type_problems}
    problems = type_problems + [p for p in b.problems if p.line not in bad_lines]
    said = {p.line for p in problems}
    problems += [p for p in deferred if p.line not in said]
    return (inst if not (type_problems or deferred) else None), problems


def build(tree, path: str = "<definition>", modules=None, all_modules: bool = False) -> CheckReport:
    """Build an instrument from a parsed tree; the report lists every problem.

    The switched-on modules (the definition's ``modules``, or ``modules`` when given) are merged in
    first; with ``all_modules`` every combination of the module library is built too and its own
    problems reported (see :mod:`instrument.modules`).
    """
    full, names, problems = expand_modules(tree, path, modules)
    inst, built = _build_one(full, path)
    if inst is not None and names:
        inst = replace(inst, modules=names)
    problems = problems + built
    if all_modules:
        problems += _module_problems(tree, path, {(p.line, p.message) for p in problems})
    return CheckReport(path, inst, problems)


def _module_problems(tree, path: str, seen: set) -> list[Problem]:
    """Problems that appear only with some combination of library modules switched on."""
    out = []
    for combo in module_combinations(tree):
        full, _, problems = expand_modules(tree, path, combo)
        _, built = _build_one(full, path)
        for p in problems + built:
            if (p.line, p.message) not in seen:
                seen.add((p.line, p.message))
                out.append(Problem(p.path, p.line, f"with modules [{', '.join(combo)}]: {p.message}", p.severity))
    return out


def check_text(text: str, path: str = "<text>", modules=None, all_modules: bool = True) -> CheckReport:
    """Check a definition given as YAML text (with every combination of its modules)."""
    try:
        tree, problems = parse_yaml(text, path)
    except DefinitionError as exc:
        return CheckReport(path, None, exc.problems)
    return check_tree(tree, problems, path, modules, all_modules)


def check_tree(tree, problems, path: str = "<text>", modules=None, all_modules: bool = True) -> CheckReport:
    """Check a definition parsed by :func:`~coprod.instrument.yamlsource.parse_yaml` (``tree`` and its
    ``problems``), as :func:`check_text` checks its text; the tree is not changed, so one parse serves many."""
    rep = build(tree, path, modules, all_modules)
    rep.problems[:0] = problems
    if problems:
        rep.instrument = None
    rep.problems.sort(key=lambda p: (p.line, p.severity != "error"))
    return rep


def check_file(p: str, modules, all_modules: bool, data: bytes | None = None) -> CheckReport:
    """Read and build the definition at ``p`` (what :func:`~coprod.instrument.checked.check` does for a file not
    kept); ``data``: the file's bytes as read for the cache's key, so that a YAML definition is built from the
    very bytes its report is kept under (a workbook is opened again by its reader)."""
    workbook = data[:4] in _WORKBOOK_MAGIC if data is not None else _is_workbook(p)
    named = p.lower().endswith((".xlsx", ".xlsm", ".xls"))
    note = [] if workbook == named else [Problem(p, 0, f"read as {'xlsx' if workbook else 'YAML'}: the file's content, "
                                                       "not its name", "warning")]
    if workbook:
        from .xlsform_read import one_per_kind, read_xlsform_tree

        try:
            tree = read_xlsform_tree(p)
        except DefinitionError as exc:
            return CheckReport(p, None, exc.problems)
        rep = build(tree, p)
        rep.problems[:0] = note + getattr(tree, "warnings", [])
        rep.problems = one_per_kind(rep.problems)
        return rep
    try:
        text = read_text(p, data)
    except DefinitionError as exc:
        return CheckReport(p, None, exc.problems)
    rep = check_text(text, p, modules, all_modules)
    rep.problems[:0] = note
    return rep


def _is_workbook(path: str) -> bool:
    """Whether the file is a workbook (.xlsx zip or old .xls) by its first bytes; False when it cannot be read as a file."""
    if input_problem(path, MAX_DEFINITION_BYTES):
        return path.lower().endswith((".xlsx", ".xlsm", ".xls"))  # the reader then says what is wrong
    with open(path, "rb") as fh:
        return fh.read(4) in _WORKBOOK_MAGIC


#: The first bytes of a workbook: .xlsx (zip) or old .xls (OLE).
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


