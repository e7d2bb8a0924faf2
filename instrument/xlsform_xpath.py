"""XLSForm XPath in the definition's expression language: ``relevant`` conditions, and the
``calculate`` rows that carry wording variants (``if(${role} = '2', 'v', 'd')``).
"""
from __future__ import annotations

import re

from .expr import MAX_DEPTH
from .xlsform_sheets import num

_XTOK = re.compile(r"""\s*(?:
    (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.\-]*\})
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<op>!=|<=|>=|=|<|>)
  | (?P<punct>[(),])
  | (?P<word>[A-Za-z][A-Za-z0-9_:\-]*)
)""", re.X)


class XPathError(Exception):
    pass


class XPathDepthError(XPathError):
    """An expression nested deeper than :data:`MAX_DEPTH`: hostile input, refused rather than kept."""


def xpath_to_expr(src: str) -> str:
    """Translate an XLSForm ``relevant`` into the definition's expression language.

    >>> xpath_to_expr("${role} = '2' and not(selected(${tools}, '3'))")
    'role = 2 and not (selected(tools, 3))'
    >>> xpath_to_expr("(${a} >= 3 or string-length(${b}) > 0)")
    '(a >= 3 or answered(b))'
    >>> xpath_to_expr("(${role} = '1' or ${role} = '2')")
    '(role in (1, 2))'
    >>> xpath_to_expr("${c} = 'yes'")
    "c = 'yes'"
    """
    toks, pos = [], 0
    src = src.strip()
    while pos < len(src):
        m = _XTOK.match(src, pos)
        if not m or m.end() == pos:
            raise XPathError(f"cannot read {src[pos:pos + 20]!r}")
        kind = m.lastgroup
        toks.append((kind, m.group(kind)))
        pos = m.end()
    toks.append(("end", ""))
    p = _XParser(toks)
    out = p.or_()
    if p.peek()[0] != "end":
        raise XPathError(f"unexpected {p.peek()[1]!r}")
    return out


def _lit(tok) -> str:
    kind, val = tok
    if kind == "num":
        return val
    if kind == "str":
        inner = val[1:-1]
        n = num(inner)
        if n is not None and inner.strip() == inner and inner:
            return str(n)
        if "'" in inner:
            return f'"{inner}"'
        return f"'{inner}'"
    raise XPathError(f"expected a value, found {val or 'the end'!r}")


class _XParser:
    def __init__(self, toks):
        self.toks, self.i = toks, 0
        self.depth = 0

    def nested(self, inner) -> str:
        """``inner()`` one level deeper: more than MAX_DEPTH levels are refused before any recursion limit."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise XPathDepthError(f"nested more than {MAX_DEPTH} levels deep")
        out = inner()
        self.depth -= 1
        return out

    def parenthesised(self) -> str:
        """``( condition )``, one level deeper: the condition inside."""
        self.take("punct", "(")
        inner = self.nested(self.or_)
        self.take("punct", ")")
        return inner

    def peek(self, k=0):
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def take(self, kind=None, val=None):
        t = self.peek()
        if (kind and t[0] != kind) or (val and t[1] != val):
            raise XPathError(f"expected {val or kind}, found {t[1] or 'the end'!r}")
        self.i += 1
        return t

    def or_(self):
        parts = [self.and_()]
        while self.peek() == ("word", "or"):
            self.i += 1
            parts.append(self.and_())
        same = [re.fullmatch(r"([A-Za-z_][\w.\-]*) = (\S+)", p) for p in parts]
        if len(parts) > 1 and all(same) and len({m.group(1) for m in same}) == 1:
            return f"{same[0].group(1)} in ({', '.join(m.group(2) for m in same)})"  # what `q in (a, b)` is written as
        return " or ".join(parts)

    def and_(self):
        parts = [self.atom()]
        while self.peek() == ("word", "and"):
            self.i += 1
            parts.append(self.atom())
        return " and ".join(parts)

    def atom(self):
        kind, val = self.peek()
        if (kind, val) == ("punct", "("):
            return f"({self.parenthesised()})"
        if kind == "word" and val == "not":
            self.i += 1
            return f"not ({self.parenthesised()})"
        if kind == "word" and val == "selected":
            self.i += 1
            self.take("punct", "(")
            ref = self.take("ref")[1][2:-1]
            self.take("punct", ",")
            value = _lit(self.take())
            self.take("punct", ")")
            return f"selected({ref}, {value})"
        if kind == "word" and val == "string-length":
            self.i += 1
            self.take("punct", "(")
            ref = self.take("ref")[1][2:-1]
            self.take("punct", ")")
            op = self.take("op")[1]
            n = self.take("num")[1]
            if (op, n) in ((">", "0"), (">=", "1"), ("!=", "0")):
                return f"answered({ref})"
            if (op, n) == ("=", "0"):
                return f"not (answered({ref}))"
            raise XPathError(f"string-length(...) {op} {n} is not supported")
        if kind == "ref":
            self.i += 1
            ref = val[2:-1]
            op = self.take("op")[1]
            vt = self.take()
            if vt[0] == "str" and vt[1][1:-1] == "" and op in ("!=", "="):
                return f"answered({ref})" if op == "!=" else f"not (answered({ref}))"
            if op == "!=":  # true for an empty answer in XPath, as not (ref = value) is here
                return f"not ({ref} = {_lit(vt)})"
            return f"{ref} {op} {_lit(vt)}"
        raise XPathError(f"unsupported {val or 'end of expression'!r}")


# --------------------------------------------------------------------------- wording variants
_WTOK = re.compile(r"""\s*(?:(?P<str>'[^']*'|"[^"]*")|(?P<ref>\$\{[^}]+\})|(?P<word>if|concat)|(?P<punct>[(),=]))""")


def parse_wording(calc: str):
    """``if(${role} = '2', 'v', 'd')`` -> ([('2', 'v')], 'd') (strings may be ``concat()``-ed).

    >>> parse_wording("if(${role} = '2', 'v', if(${role} = '3', 'w', concat('d', 'e')))")
    ([('2', 'v'), ('3', 'w')], 'de')
    """
    toks, pos = [], 0
    while pos < len(calc.rstrip()):
        m = _WTOK.match(calc, pos)
        if not m:
            raise XPathError(f"unexpected {calc[pos:pos + 15]!r}")
        toks.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    it = iter(toks + [("end", "")])
    cur = [next(it)]

    def take(kind=None, val=None):
        t = cur[0]
        if (kind and t[0] != kind) or (val and t[1] != val):
            raise XPathError(f"expected {val or kind}, found {t[1] or 'the end'!r}")
        cur[0] = next(it, ("end", ""))
        return t

    def string():
        if cur[0] == ("word", "concat"):
            take()
            take("punct", "(")
            parts = [take("str")[1][1:-1]]
            while cur[0] == ("punct", ","):
                take()
                parts.append(take("str")[1][1:-1])
            take("punct", ")")
            return "".join(parts)
        return take("str")[1][1:-1]

    branches = []
    while cur[0] == ("word", "if"):  # a loop, not recursion: any depth of if(..., if(...)) is read
        take()
        take("punct", "(")
        take("ref")
        take("punct", "=")
        code = take("str")[1][1:-1]
        take("punct", ",")
        branches.append((code, string()))
        take("punct", ",")
    default = string()
    for _ in branches:
        take("punct", ")")
    out = branches, default
    if cur[0][0] != "end":
        raise XPathError(f"unexpected {cur[0][1]!r}")
    return out
