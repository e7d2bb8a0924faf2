"""Skip logic: a small expression language, parsed (never ``eval``-ed).

Grammar (``relevant:`` in a definition)::

    expr     := or
    or       := and ("or" and)*
    and      := not ("and" not)*
    not      := "not" not | atom
    atom     := "(" expr ")"
              | NAME op VALUE                     op: = == != <> < <= > >=
              | NAME ["not"] "in" "(" VALUE ("," VALUE)* ")"     (also [ ... ])
              | "selected" "(" NAME "," VALUE ")"  multiple choice: option VALUE ticked
              | "answered" "(" NAME ")"            a valid (non-missing) answer was given
    VALUE    := number | 'text' | "text"

Examples: ``role = 2``, ``role in (1, 2) and years >= 3``, ``not selected(tools, 4)``.
An expression translates to XLSForm XPath (:meth:`Expr.xpath`), SPSS syntax
(:meth:`Expr.spss`), words for a printed questionnaire (:meth:`Expr.words`) and a
vectorised test on data (:meth:`Expr.evaluate`), where a missing answer makes a comparison false.

>>> e = parse("role in (1, 2) and not selected(tools, 3)")
>>> sorted(e.names())
['role', 'tools']
>>> e.spss()
'ANY(role, 1, 2) AND NOT (tools_3 = 1)'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping

from .errors import CoprodError

OPS = {"=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<op>==|!=|<>|<=|>=|=|<|>)
  | (?P<punct>[(),\[\]])
  | (?P<name>[A-Za-z][A-Za-z0-9_]*)
""", re.X)
KEYWORDS = {"and", "or", "not", "in", "selected", "answered"}
MAX_LENGTH = 2000
MAX_DEPTH = 50  # parentheses and "not" nested deeper than this are refused (no recursion limit is ever reached)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ExprError(CoprodError):
    """A skip-logic expression does not parse; ``column`` is 1-based."""

    def __init__(self, message: str, column: int | None = None):
        self.column = column
        super().__init__(message + (f" (at column {column})" if column else ""))


@dataclass(frozen=True)
class Tok:
    kind: str
    value: str
    col: int


def _tokens(src: str) -> list[Tok]:
    if len(src) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters")
    out, pos = [], 0
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if not m:
            raise ExprError(f"unexpected character {src[pos]!r}", pos + 1)
        kind = m.lastgroup
        if kind != "ws":
            val = m.group()
            if kind == "name" and val.lower() in KEYWORDS:
                kind, val = "kw", val.lower()
            out.append(Tok(kind, val, pos + 1))
        pos = m.end()
    out.append(Tok("end", "", len(src) + 1))
    return out


def _value(tok: Tok):
    if tok.kind == "num":
        return float(tok.value) if "." in tok.value else int(tok.value)
    if tok.kind == "str":
        if _CONTROL.search(tok.value):
            raise ExprError("a quoted text cannot hold a line break or other control character", tok.col)
        return tok.value[1:-1]
    raise ExprError(f"expected a number or a quoted text, found {tok.value or 'the end'!r}", tok.col)


def _lit_spss(v) -> str:
    """An SPSS literal: numbers as they are, text in apostrophes with each apostrophe doubled.

    >>> print(_lit_spss("it's"))
    'it''s'
    """
    return str(v) if isinstance(v, (int, float)) else "'" + v.replace("'", "''") + "'"


def xpath_literal(v) -> str:
    """An XPath 1.0 string literal for any text; XPath has no escapes, so a text holding both kinds of
    quote is built with ``concat()``. The text can never end its literal early.

    >>> print(xpath_literal("x"), xpath_literal("it's"), xpath_literal('say "hi"'))
    'x' "it's" 'say "hi"'
    >>> print(xpath_literal("x') or true() or ('" + '"'))
    concat('x', "'", ') or true() or (', "'", '"')
    """
    s = str(v)
    if "'" not in s:
        return f"'{s}'"
    if '"' not in s:
        return f'"{s}"'
    parts = s.split("'")
    pieces = []
    for i, part in enumerate(parts):
        if part:
            pieces.append(f"'{part}'")
        if i < len(parts) - 1:
            pieces.append('"\'"')
    return f"concat({', '.join(pieces)})"


# --------------------------------------------------------------------------- AST
class Expr:
    """Base class of parsed skip-logic expressions."""

    def names(self) -> set[str]:
        raise NotImplementedError

    def xpath(self, kinds: Mapping[str, str] | None = None) -> str:
        """XLSForm XPath; ``kinds`` maps question names to their type (select answers are quoted)."""
        raise NotImplementedError

    def spss(self, multiple_var: Callable[[str, object], str] | None = None) -> str:
        raise NotImplementedError

    def words(self, describe: Callable[[str, object], str] | None = None, name_of: Callable[[str], str] | None = None,
              lang: str = "en") -> str:
        raise NotImplementedError

    def evaluate(self, frame):
        """Boolean numpy array over the rows of ``frame`` (missing answers already NaN)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Compare(Expr):
    name: str
    op: str
    value: object

    def names(self):
        return {self.name}

    def xpath(self, kinds=None):
        kind = (kinds or {}).get(self.name, "")
        val = xpath_literal(self.value) if kind in ("single", "likert", "text", "longtext") or isinstance(self.value, str) else str(self.value)
        if self.op == "!=":  # XPath's != is true for an empty answer; here a missing answer makes it false
            return f"(${{{self.name}}} != {val} and string-length(${{{self.name}}}) > 0)"
        return f"${{{self.name}}} {self.op} {val}"

    def spss(self, multiple_var=None):
        op = "~=" if self.op == "!=" else self.op
        return f"{self.name} {op} {_lit_spss(self.value)}"

    def words(self, describe=None, name_of=None, lang="en"):
        who = name_of(self.name) if name_of else self.name
        what = describe(self.name, self.value) if describe else str(self.value)
        op = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}[self.op]
        return f"{who} {op} {what}"

    def evaluate(self, frame):
        import numpy as np
        import pandas as pd

        col = frame[self.name]
        if isinstance(self.value, str):
            s = col.astype("string")
            res = {"=": s == self.value, "!=": s != self.value}.get(self.op)
            if res is None:
                raise ExprError(f"{self.op} needs a number, not a text")
            return res.fillna(False).to_numpy(dtype=bool)
        x = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            res = {"=": x == self.value, "!=": x != self.value, "<": x < self.value, "<=": x <= self.value,
                   ">": x > self.value, ">=": x >= self.value}[self.op]
        return res & ~np.isnan(x)


@dataclass(frozen=True)
class In(Expr):
    name: str
    values: tuple
    negate: bool = False

    def names(self):
        return {self.name}

    def _as_or(self) -> Expr:
        parts = [Compare(self.name, "=", v) for v in self.values]
        node = parts[0]
        for p in parts[1:]:
            node = Or(node, p)
        return Not(node) if self.negate else node

    def xpath(self, kinds=None):
        if len(self.values) == 1 and not self.negate:
            return Compare(self.name, "=", self.values[0]).xpath(kinds)
        text = self._as_or().xpath(kinds)
        if self.negate:  # not(...) alone would be true for an empty answer; here a missing answer makes it false
            return f"(string-length(${{{self.name}}}) > 0 and {text})"
        return f"({text})"

    def spss(self, multiple_var=None):
        core = f"ANY({self.name}, {', '.join(_lit_spss(v) for v in self.values)})"
        return f"NOT {core}" if self.negate else core

    def words(self, describe=None, name_of=None, lang="en"):
        who = name_of(self.name) if name_of else self.name
        vals = [describe(self.name, v) if describe else str(v) for v in self.values]
        joined = f" {_OR[lang]} ".join(vals)
        return f"{who} {'≠' if self.negate else '='} {joined}"

    def evaluate(self, frame):
        import numpy as np
        import pandas as pd

        col = frame[self.name]
        if any(isinstance(v, str) for v in self.values):
            res = col.astype("string").isin([str(v) for v in self.values]).fillna(False).to_numpy(dtype=bool)
            valid = col.notna().to_numpy()
        else:
            x = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
            res = np.isin(x, [float(v) for v in self.values])
            valid = ~np.isnan(x)
        return (valid & ~res) if self.negate else res


@dataclass(frozen=True)
class Selected(Expr):
    name: str
    value: object

    def names(self):
        return {self.name}

    def xpath(self, kinds=None):
        return f"selected(${{{self.name}}}, {xpath_literal(self.value)})"

    def spss(self, multiple_var=None):
        var = multiple_var(self.name, self.value) if multiple_var else f"{self.name}_{self.value}"
        return f"{var} = 1"

    def words(self, describe=None, name_of=None, lang="en"):
        who = name_of(self.name) if name_of else self.name
        what = describe(self.name, self.value) if describe else str(self.value)
        return f"{who}: {what} {_TICKED[lang]}"

    def evaluate(self, frame):
        import pandas as pd

        col = frame.get(f"{self.name}_{self.value}")
        if col is None:
            raise ExprError(f"no column for option {self.value} of {self.name}")
        return (pd.to_numeric(col, errors="coerce").to_numpy(dtype=float) == 1) & True


@dataclass(frozen=True)
class Answered(Expr):
    name: str

    def names(self):
        return {self.name}

    def xpath(self, kinds=None):
        return f"string-length(${{{self.name}}}) > 0"

    def spss(self, multiple_var=None):
        return f"NOT MISSING({self.name})"

    def words(self, describe=None, name_of=None, lang="en"):
        who = name_of(self.name) if name_of else self.name
        return f"{who} {_ANSWERED[lang]}"

    def evaluate(self, frame):
        return frame[self.name].notna().to_numpy()


@dataclass(frozen=True)
class Not(Expr):
    inner: Expr

    def names(self):
        return self.inner.names()

    def xpath(self, kinds=None):
        return f"not({self.inner.xpath(kinds)})"

    def spss(self, multiple_var=None):
        return f"NOT ({self.inner.spss(multiple_var)})"

    def words(self, describe=None, name_of=None, lang="en"):
        return f"{_NOT[lang]} ({self.inner.words(describe, name_of, lang)})"

    def evaluate(self, frame):
        return ~self.inner.evaluate(frame)


@dataclass(frozen=True)
class _Bin(Expr):
    left: Expr
    right: Expr
    word = ""

    def names(self):
        return self.left.names() | self.right.names()

    def _wrap(self, e: Expr, text: str) -> str:
        return f"({text})" if isinstance(e, _Bin) and type(e) is not type(self) else text

    def xpath(self, kinds=None):
        return f"{self._wrap(self.left, self.left.xpath(kinds))} {self.word} {self._wrap(self.right, self.right.xpath(kinds))}"

    def spss(self, multiple_var=None):
        w = self.word.upper()
        return f"{self._wrap(self.left, self.left.spss(multiple_var))} {w} {self._wrap(self.right, self.right.spss(multiple_var))}"

    def words(self, describe=None, name_of=None, lang="en"):
        w = (_AND if self.word == "and" else _OR)[lang]
        return (f"{self._wrap(self.left, self.left.words(describe, name_of, lang))} {w} "
                f"{self._wrap(self.right, self.right.words(describe, name_of, lang))}")


@dataclass(frozen=True)
class And(_Bin):
    word = "and"

    def evaluate(self, frame):
        return self.left.evaluate(frame) & self.right.evaluate(frame)


@dataclass(frozen=True)
class Or(_Bin):
    word = "or"

    def evaluate(self, frame):
        return self.left.evaluate(frame) | self.right.evaluate(frame)


_AND = {"en": "and", "fi": "ja", "sv": "och"}
_OR = {"en": "or", "fi": "tai", "sv": "eller"}
_NOT = {"en": "not", "fi": "ei", "sv": "inte"}
_TICKED = {"en": "ticked", "fi": "valittu", "sv": "vald"}
_ANSWERED = {"en": "answered", "fi": "vastattu", "sv": "besvarad"}


class _Words(dict):
    def __missing__(self, key):
        return self["en"]


_AND, _OR, _NOT, _TICKED, _ANSWERED = (_Words(d) for d in (_AND, _OR, _NOT, _TICKED, _ANSWERED))


def or_word(lang: str) -> str:
    """The word "or" in ``lang`` (English for a language without one)."""
    return _OR[lang]


class _Parser:
    def __init__(self, src: str):
        self.toks = _tokens(src)
        self.i = 0
        self.depth = 0

    def deeper(self, tok: Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"expression nested more than {MAX_DEPTH} levels deep", tok.col)

    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def take(self, kind: str | None = None, value: str | None = None) -> Tok:
        t = self.tok
        if (kind and t.kind != kind) or (value and t.value != value):
            want = value or {"name": "a question name", "punct": "punctuation"}.get(kind, kind)
            raise ExprError(f"expected {want}, found {t.value or 'the end'!r}", t.col)
        self.i += 1
        return t

    def parse(self) -> Expr:
        if self.tok.kind == "end":
            raise ExprError("empty expression")
        e = self.or_()
        if self.tok.kind != "end":
            raise ExprError(f"unexpected {self.tok.value!r}", self.tok.col)
        return e

    def or_(self):
        e = self.and_()
        while self.tok.kind == "kw" and self.tok.value == "or":
            self.i += 1
            e = Or(e, self.and_())
        return e

    def and_(self):
        e = self.not_()
        while self.tok.kind == "kw" and self.tok.value == "and":
            self.i += 1
            e = And(e, self.not_())
        return e

    def not_(self):
        t = self.tok
        if t.kind == "kw" and t.value == "not":
            self.i += 1
            self.deeper(t)
            e = Not(self.not_())
            self.depth -= 1
            return e
        return self.atom()

    def atom(self):
        t = self.tok
        if t.kind == "punct" and t.value == "(":
            self.i += 1
            self.deeper(t)
            e = self.or_()
            self.take("punct", ")")
            self.depth -= 1
            return e
        if t.kind == "kw" and t.value in ("selected", "answered"):
            self.i += 1
            self.take("punct", "(")
            name = self.take("name").value
            if t.value == "selected":
                self.take("punct", ",")
                val = _value(self.tok)
                self.i += 1
                self.take("punct", ")")
                return Selected(name, val)
            self.take("punct", ")")
            return Answered(name)
        if t.kind != "name":
            raise ExprError(f"expected a question name, found {t.value or 'the end'!r}", t.col)
        name = t.value
        self.i += 1
        negate = False
        if self.tok.kind == "kw" and self.tok.value == "not":
            self.i += 1
            negate = True
            if not (self.tok.kind == "kw" and self.tok.value == "in"):
                raise ExprError("expected 'in' after 'not'", self.tok.col)
        if self.tok.kind == "kw" and self.tok.value == "in":
            self.i += 1
            opener = self.take("punct")
            if opener.value not in "([":
                raise ExprError("expected ( after 'in'", opener.col)
            closer = ")" if opener.value == "(" else "]"
            values = [_value(self.tok)]
            self.i += 1
            while self.tok.value == ",":
                self.i += 1
                values.append(_value(self.tok))
                self.i += 1
            self.take("punct", closer)
            return In(name, tuple(values), negate)
        op = self.tok
        if op.kind != "op":
            raise ExprError(f"expected a comparison after {name!r}, found {op.value or 'the end'!r}", op.col)
        self.i += 1
        val = _value(self.tok)
        self.i += 1
        return Compare(name, OPS[op.value], val)


def parse(src: str) -> Expr:
    """Parse a skip-logic expression; raise :class:`ExprError` with the column on failure."""
    if not isinstance(src, str):
        raise ExprError("expected an expression as text")
    return _Parser(src).parse()
