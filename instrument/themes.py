"""The codebook of themes for open answers: parsing and checking the ``codebook`` key of a definition.

A definition may carry a ``codebook``: a list of themes with which interview and open answers are
coded (``coprod coding``). Each theme has a ``code`` (a safe name), a ``label`` in every language,
an optional ``description``, an optional ``parent`` (another code, for a hierarchy) and the open
``questions`` it applies to (default: every ``longtext`` question)::

    codebook:
      - code: unclear_resp
        label: {en: Unclear responsibility, fi: Epäselvä vastuu, sv: Oklart ansvar}
        description: {en: Not knowing who is responsible for what, ...}
        questions: [op_unclear, op_exp]

``coprod check`` reports a duplicate code, an unknown parent or question, a question that is not
open, a missing translation, each with its line.

>>> from coprod.instrument.loader import check_text
>>> rep = check_text('''
... id: t
... title: T
... version: 1
... languages: [en]
... sections:
...   - title: S
...     questions:
...       - {name: q1, type: longtext, text: Why?}
... codebook:
...   - {code: trust, label: Trust}
...   - {code: trust_low, label: Little trust, parent: trust}
... ''')
>>> [(t.code, t.parent, t.questions) for t in rep.instrument.themes]
[('trust', None, ('q1',)), ('trust_low', 'trust', ('q1',))]
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Mapping

from .model import Text, text_in
from .names import name_problem
from .lines import line_of

THEME_KEYS = {"code", "label", "description", "parent", "questions"}
OPEN_TYPES = ("text", "longtext")


@dataclass(frozen=True)
class Theme:
    """One theme (code) of the codebook for open answers."""

    code: str
    label: Text
    description: Text = field(default_factory=lambda: MappingProxyType({}))
    parent: str | None = None
    questions: tuple[str, ...] = ()  # the open questions it applies to
    line: int = 0

    def label_in(self, lang: str, fallback: str | None = None) -> str:
        return text_in(self.label, lang, fallback) or self.code

    def description_in(self, lang: str, fallback: str | None = None) -> str:
        return text_in(self.description, lang, fallback)


def tree_questions(tree) -> dict[str, tuple[str, str | None]]:
    """{lower-case name: (name, type)} of the questions in a parsed definition (section defaults applied)."""
    out = {}
    sections = tree.get("sections") if isinstance(tree, dict) else None
    for sec in sections if isinstance(sections, list) else ():
        if not isinstance(sec, dict):
            continue
        defaults = sec.get("defaults") if isinstance(sec.get("defaults"), dict) else {}
        questions = sec.get("questions")
        for q in questions if isinstance(questions, list) else ():
            if isinstance(q, dict) and q.get("name") is not None:
                name = str(q["name"])
                out.setdefault(name.lower(), (name, q.get("type", defaults.get("type"))))
    return out


def parse_codebook(builder, tree) -> tuple[Theme, ...]:
    """The themes of ``tree['codebook']``; every problem goes to ``builder.err`` with its line."""
    raw = tree.get("codebook")
    cline = line_of(tree, "codebook", 1)
    if raw is None:
        return ()
    if not isinstance(raw, list):
        builder.err(cline, "codebook: expected a list of themes (- code: ..., label: ...)")
        return ()
    questions = tree_questions(tree)
    default_qs = tuple(name for name, qtype in questions.values() if qtype == "longtext")
    themes, seen = [], {}
    for i, spec in enumerate(raw):
        tline = line_of(raw, i, cline)
        theme = _theme(builder, spec, tline, questions, default_qs)
        if theme is None:
            continue
        if theme.code.lower() in seen:
            builder.err(tline, f"codebook: code {theme.code!r} is used twice (first on line {seen[theme.code.lower()]})")
            continue
        seen[theme.code.lower()] = tline
        themes.append(theme)
    _check_parents(builder, themes)
    return tuple(themes)


def _theme(builder, spec, tline, questions, default_qs) -> Theme | None:
    if not isinstance(spec, dict):
        builder.err(tline, "codebook: a theme must be a mapping with code and label")
        return None
    builder.unknown_keys(spec, THEME_KEYS, "a codebook theme")
    code = spec.get("code")
    if code is None:
        builder.err(tline, "codebook: theme without a code")
        return None
    code = str(code)
    what = f"codebook theme {code!r}"
    prob = name_problem(code)
    if prob:
        builder.err(line_of(spec, "code", tline), f"{what}: {prob}")
        return None
    label = builder.text(spec.get("label"), line_of(spec, "label", tline), f"{what} label")
    description = builder.text(spec.get("description"), line_of(spec, "description", tline), f"{what} description",
                               required=False)
    parent = spec.get("parent")
    parent = None if parent is None else str(parent)
    raw_qs = spec.get("questions")
    qline = line_of(spec, "questions", tline)
    if raw_qs is None:
        qs = default_qs
        if not qs:
            builder.err(tline, f"{what}: the definition has no longtext question; list the open questions it applies to")
    else:
        qs = _questions(builder, raw_qs, qline, what, questions)
    return Theme(code, label, description, parent, qs, tline)


def _questions(builder, raw_qs, qline, what, questions) -> tuple[str, ...]:
    if isinstance(raw_qs, str):
        raw_qs = [raw_qs]
    if not isinstance(raw_qs, list) or not raw_qs:
        builder.err(qline, f"{what}: questions: list the open questions it applies to")
        return ()
    out = []
    for j, q in enumerate(raw_qs):
        line = line_of(raw_qs, j, qline)
        hit = questions.get(str(q).lower())
        if hit is None:
            builder.err(line, f"{what}: unknown question {q!r}")
        elif hit[1] not in OPEN_TYPES:
            builder.err(line, f"{what}: question {hit[0]!r} is {hit[1]}; themes apply to open questions (text, longtext)")
        elif hit[0] in out:
            builder.err(line, f"{what}: question {hit[0]!r} listed twice")
        else:
            out.append(hit[0])
    return tuple(out)


def _check_parents(builder, themes: list[Theme]) -> None:
    codes = {t.code for t in themes}
    parent = {t.code: t.parent for t in themes}
    for t in themes:
        if t.parent is None:
            continue
        if t.parent == t.code:
            builder.err(t.line, f"codebook theme {t.code!r}: is its own parent")
        elif t.parent not in codes:
            builder.err(t.line, f"codebook theme {t.code!r}: unknown parent {t.parent!r}")
        else:
            seen, p = {t.code}, t.parent
            while p is not None and p not in seen:
                seen.add(p)
                p = parent.get(p)
            if p == t.code:
                builder.err(t.line, f"codebook theme {t.code!r}: its parents lead back to itself")


def attach_themes(builder, tree, inst):
    """The loader's hook: check the codebook of ``tree``; return ``inst`` with its themes (None on errors)."""
    if not isinstance(tree, dict) or "codebook" not in tree:
        return inst
    before = sum(p.severity == "error" for p in builder.problems)
    themes = parse_codebook(builder, tree)
    if inst is None or sum(p.severity == "error" for p in builder.problems) > before:
        return None
    return replace(inst, themes=themes)


def themes_for(inst, question: str) -> tuple[Theme, ...]:
    """The themes of ``inst`` that apply to ``question``."""
    return tuple(t for t in getattr(inst, "themes", ()) if question in t.questions)


def theme_map(inst) -> Mapping[str, Theme]:
    """{code: theme} of the instrument's codebook."""
    return MappingProxyType({t.code: t for t in getattr(inst, "themes", ())})
