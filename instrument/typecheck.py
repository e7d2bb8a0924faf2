"""The type of every value in a definition, checked against the JSON Schema (:mod:`instrument.schema`).

Only what the schema says of types is checked here: ``type`` (text, number, whole number,
true/false, list, mapping), and that a value of an ``enum`` is a text. Texts, codes, names, required and unknown keys are
checked by the builder, which knows more. A value of the wrong type gives one problem with its
line and is replaced by None in the copy handed to the builder, so the builder neither crashes
on it (a list as a question type) nor accepts it (a mapping as ``ordered``). A list or mapping
expected and something else found is left as it is: the builder says more of those (what the
list should hold), and the problem here stands only where the builder is silent.
"""
from __future__ import annotations

import math

from .errors import Problem
from .schema import SCHEMA
from .lines import LDict, LList, line_of

_KINDS = {"string": "a text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
          "array": "a list", "object": "a mapping", "null": "nothing"}
#: How each part of a definition is named in problems: {parent key: word}.
_PARTS = {"sections": "section", "questions": "question", "choices": "choice list", "scales": "scale"}


def _resolve(schema: dict) -> dict:
    ref = schema.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        return SCHEMA["$defs"][ref[len("#/$defs/"):]]
    return schema


def _is(value, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return value is None


def describe(value) -> str:
    """What a value is, in words.

    >>> [describe(v) for v in ([1], {"a": 1}, None, True, 1.5, "x")]
    ['a list', 'a mapping', 'nothing (empty)', 'true/false', 'the number 1.5', "the text 'x'"]
    """
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (empty)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the text {str(value)[:40]!r}"


def problem(value, schema: dict) -> str | None:
    """Why ``value`` does not have the type ``schema`` asks for, or None when it has.

    >>> problem(float("nan"), {"type": "number"})
    'expected a finite number, got nan'
    >>> problem(["likert"], {"enum": ["single", "likert"]})
    'expected one of single, likert, got a list'
    >>> problem(1.10, {"type": ["string", "integer"]})
    'expected a text or a whole number, got the number 1.1 (put it in quotes, e.g. "1.10", so that it is kept as written)'
    """
    schema = _resolve(schema)
    if "enum" in schema:  # a text that is not one of them is the builder's (it says which are)
        if not isinstance(value, str):
            return f"expected one of {', '.join(map(str, schema['enum']))}, got {describe(value)}"
        return None
    kinds = schema.get("type")
    if kinds is None:
        return None
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    if not any(_is(value, k) for k in kinds):
        expected = " or ".join(_KINDS[k] for k in kinds)
        hint = ""
        if isinstance(value, float) and math.isfinite(value) and "string" in kinds:
            hint = " (put it in quotes, e.g. \"1.10\", so that it is kept as written)"
        return f"expected {expected}, got {describe(value)}{hint}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"expected a finite number, got {value}"
    return None


class _Checker:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.deferred: list[Problem] = []  # a list or mapping expected: the builder's word comes first

    def value(self, value, schema: dict, line: int, where: str):
        """``value`` checked against ``schema``: the value (a checked copy of a container), or None when wrong."""
        schema = _resolve(schema)
        why = problem(value, schema)
        if why:
            kinds = schema.get("type")
            if kinds in ("array", "object"):
                self.deferred.append(Problem(self.path, line, f"{where}: {why}"))
                return value
            self.problems.append(Problem(self.path, line, f"{where}: {why}"))
            return None
        if isinstance(value, dict):
            return self.mapping(value, schema, line, where)
        if isinstance(value, list) and "items" in schema:
            out = LList()
            out.line, out.item_lines = getattr(value, "line", line), list(getattr(value, "item_lines", []))
            for i, item in enumerate(value):
                out.append(self.value(item, schema["items"], line_of(value, i, line), _item_name(where, item, i)))
            return out
        return value

    def mapping(self, d: dict, schema: dict, line: int, where: str):
        out = LDict()
        out.line, out.key_lines = getattr(d, "line", line), dict(getattr(d, "key_lines", {}))
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for k, v in d.items():
            sub = props.get(k, extra if isinstance(extra, dict) else None)
            if sub is None:  # unknown keys are the builder's
                out[k] = v
                continue
            out[k] = self.value(v, sub, line_of(d, k, line), _key_name(where, k, k in props))
        return out


def _key_name(where: str, key, known: bool) -> str:
    if not known:  # a name chosen by the author: a choice list's, a scale's
        word = _PARTS.get(where.rsplit(" ", 1)[-1], "")
        return f"{word} {key!r}".strip() if word else f"{where} {key}"
    return f"{where} {key}".strip()


def _item_name(where: str, item, i: int) -> str:
    word = _PARTS.get(where.rsplit(" ", 1)[-1])
    if word and isinstance(item, dict):
        label = item.get("name") or item.get("id")
        if isinstance(label, str):
            return f"{word} {label!r}"
    return f"{word or where} {i + 1}" if word else f"{where} item {i + 1}"


def check_types(tree, path: str) -> tuple[object, list[Problem], list[Problem]]:
    """``(checked copy of tree, problems, deferred)``: every value of the wrong type is a problem.

    A scalar of the wrong type is None in the copy; a value where a list or mapping belongs is
    kept, and its problem is in ``deferred``: to be reported where the builder says nothing of it.

    >>> t, probs, deferred = check_types({"id": "x", "version": [1], "choices": {"a": {"ordered": {"x": 1}}}}, "d.yaml")
    >>> [p.message for p in probs]
    ['version: expected a text or a whole number, got a list', "choice list 'a' ordered: expected true or false, got a mapping"]
    >>> t["version"], t["choices"]["a"]["ordered"]
    (None, None)
    """
    if not isinstance(tree, dict):
        return tree, [], []
    c = _Checker(path)
    out = c.mapping(tree, SCHEMA, getattr(tree, "line", 1), "")
    return out, c.problems, c.deferred
