"""What every part of the definition builder shares: the keys each part may have, problems with
their lines, and the reading of texts, codes, choices, expressions and names.

:mod:`instrument.loader` builds the whole definition with a :class:`Builder`;
:mod:`instrument.build_sections` and :mod:`instrument.build_crossrefs` build its parts.
"""
from __future__ import annotations

from types import MappingProxyType

from . import model as m
from .errors import Problem
from .expr import ExprError, parse as parse_expr
from .names import name_problem
from .lines import line_of

#: The keys each part of a definition may have.
TOP_KEYS = {"id", "title", "version", "description", "languages", "default_language", "respondent_id",
            "missing", "groups", "choices", "sections", "scales", "references", "codebook", "xlsform"}
SECTION_KEYS = {"id", "title", "intro", "relevant", "defaults", "questions", "xlsform"}
QUESTION_KEYS = {"name", "type", "text", "label", "variants", "hint", "instruction", "required", "min", "max",
                 "relevant", "choices", "measure", "probes", "xlsform"}
CHOICE_KEYS = {"options", "missing", "top_box", "ordered", "names", "xlsform"}
SCALE_KEYS = {"label", "items", "reverse", "score", "min_valid", "construct", "source"}
GROUP_KEYS = {"question", "codes"}


class Builder:
    """Collects every problem of one definition (``path``) while its parts are built.

    >>> b = Builder({}, "d.yaml")
    >>> b.languages = ("en", "fi")
    >>> dict(b.text({"en": "Yes"}, 3, "option 1"))
    {'en': 'Yes'}
    >>> [p.message for p in b.problems]
    ['option 1: missing fi translation']
    """

    def __init__(self, tree, path: str):
        self.tree = tree
        self.path = path
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ()
        self.names_seen: dict[str, tuple[str, int]] = {}  # lower-cased name -> (what, line)

    # -- reporting
    def err(self, line: int, msg: str) -> None:
        self.problems.append(Problem(self.path, line, msg))

    def warn(self, line: int, msg: str) -> None:
        self.problems.append(Problem(self.path, line, msg, "warning"))

    def unknown_keys(self, d, allowed: set, where: str) -> None:
        for k in d:
            if k not in allowed:
                self.err(line_of(d, k), f"unknown key {k!r} in {where} (allowed: {', '.join(sorted(allowed))})")

    def each_named(self, raw, line: int, expected: str, build) -> dict:
        """{name: part} of a mapping of named parts (``choices:``, ``scales:``), each built by
        ``build(name, spec, line)`` and left out when it returns None; a problem when ``raw`` is no mapping.

        >>> b = Builder({}, "d.yaml")
        >>> b.each_named({"a": 1, "b": None}, 4, "x: expected a mapping", lambda name, spec, line: spec)
        {'a': 1}
        >>> b.each_named([1], 4, "x: expected a mapping", None), [str(p) for p in b.problems]
        ({}, ['d.yaml:4: x: expected a mapping'])
        """
        out: dict = {}
        if not isinstance(raw, dict):
            self.err(line, expected)
            return out
        for name, spec in raw.items():
            part = build(name, spec, line_of(raw, name, 1))
            if part is not None:
                out[name] = part
        return out

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    # -- names
    def claim(self, name: str, line: int, what: str) -> None:
        """Take ``name`` for ``what``: a problem when it is not a safe name or already taken (ignoring case)."""
        prob = name_problem(name)
        if prob:
            self.err(line, f"{what}: {prob}")
            return
        low = name.lower()
        if low in self.names_seen:
            other, oline = self.names_seen[low]
            self.err(line, f"{what}: name {name!r} is already used by {other} on line {oline} (names are compared ignoring case)")
        else:
            self.names_seen[low] = (what, line)

    # -- values
    def text(self, value, line: int, what: str, required: bool = True) -> m.Text:
        """A translated text: {lang: text}, or a plain string when there is only one language."""
        if value is None:
            if required:
                self.err(line, f"{what}: missing text")
            return m.frozen_text({})
        if isinstance(value, str):
            if len(self.languages) > 1:
                self.err(line, f"{what}: give the text in every language ({', '.join(self.languages)}), e.g. {{{self.languages[0]}: ...}}")
            return m.frozen_text({self.languages[0]: value} if self.languages else {})
        if not isinstance(value, dict):
            self.err(line, f"{what}: expected a text or {{language: text}}, got {type(value).__name__}")
            return m.frozen_text({})
        out = {}
        for lang, t in value.items():
            lline = line_of(value, lang, line)
            if lang not in self.languages:
                self.err(lline, f"{what}: language {lang!r} is not declared in languages ({', '.join(self.languages)})")
                continue
            if t is None or (isinstance(t, str) and not t.strip()):
                self.err(lline, f"{what}: empty {lang} text")
                continue
            out[lang] = t if isinstance(t, str) else str(t)
        for lang in self.languages:
            if lang not in value:
                self.err(line, f"{what}: missing {lang} translation")
        return m.frozen_text(out)

    def code(self, key, line: int, what: str):
        if isinstance(key, bool) or not isinstance(key, (int, float)):
            self.err(line, f"{what}: code {key!r} is not a number")
            return None
        return key

    def choices(self, items, line: int, what: str, missing: bool) -> tuple[m.Choice, ...]:
        if items is None:
            return ()
        if not isinstance(items, dict):
            self.err(line, f"{what}: expected a mapping of code: label")
            return ()
        out = []
        for code, label in items.items():
            cline = line_of(items, code, line)
            c = self.code(code, cline, what)
            if c is None:
                continue
            out.append(m.Choice(c, self.text(label, cline, f"{what} {m.format_code(c)}"), missing, cline))
        return tuple(out)

    def xlsform(self, value, line: int, what: str):
        """An ``xlsform`` mapping (columns of a form from elsewhere), as plain read-only data."""
        if value is None:
            return MappingProxyType({})
        if not isinstance(value, dict):
            self.err(line, f"{what} xlsform: expected a mapping of XLSForm column: text")
            return MappingProxyType({})
        return MappingProxyType(plain(value))

    def expr(self, src, line: int, what: str):
        if src is None:
            return None
        if not isinstance(src, str):
            src = str(src)
        try:
            return parse_expr(src)
        except ExprError as exc:
            self.err(line, f"{what}: cannot parse {src!r}: {exc}")
            return None


def plain(value):
    """Nested mappings and lists of the tree as plain dicts, lists and texts.

    >>> plain({"a": [{"b": 1.0}], "c": None})
    {'a': [{'b': '1'}], 'c': ''}
    """
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
