"""The ``--items`` specification: which variables a procedure works on.

A specification is a comma-separated list of parts; each part is

* a variable name (matched case-insensitively), e.g. ``trust1``;
* an SPSS-style range in file order, ``A1..A5`` or ``A1 TO A5`` (both ends included);
* a glob pattern, ``fa*`` or ``q?_b`` (matched case-insensitively, in file order).

Names are returned once each, in the order the specification gives them.  An unknown name,
a range whose ends are not both variables, or a pattern matching nothing raises
:class:`~instrument.errors.VariableError` naming it.

Examples
--------
>>> cols = ["id", "group", "a1", "a2", "a3", "b1", "b2"]
>>> parse_items("a1..a3, b2", cols)
['a1', 'a2', 'a3', 'b2']
>>> parse_items("A2 TO B1", cols)
['a2', 'a3', 'b1']
>>> parse_items("b*", cols)
['b1', 'b2']
"""
from __future__ import annotations

import fnmatch
import re
from typing import Iterable, Sequence

from coprod.instrument.errors import VariableError

_RANGE = re.compile(r"^\s*(\S+)\s*(?:\.\.|\s+[Tt][Oo]\s+)\s*(\S+)\s*$")


def _lookup(name: str, columns: Sequence[str]) -> str:
    if name in columns:
        return name
    lowered = {str(c).lower(): c for c in columns}
    try:
        return lowered[name.lower()]
    except KeyError:
        raise VariableError(f"unknown variable {name!r}") from None


def parse_items(spec: str | Iterable[str] | None, columns: Sequence[str]) -> list[str]:
    """Resolve an item specification against ``columns`` (the variables in file order).

    Parameters
    ----------
    spec : str or list of str or None
        ``"a1..a5, b*"``; a list is taken as parts already split (each may still be a range
        or pattern).  ``None`` or an empty string gives every column.
    columns : sequence of str
        The variable names in file order.

    Returns
    -------
    list of str
        The matching names as spelled in ``columns``, each once.
    """
    columns = [str(c) for c in columns]
    if spec is None:
        return list(columns)
    parts = [p for p in (spec.split(",") if isinstance(spec, str) else [str(s) for s in spec])]
    parts = [p.strip() for p in parts if p and p.strip()]
    if not parts:
        return list(columns)
    out: list[str] = []
    position = {c: i for i, c in enumerate(columns)}
    for part in parts:
        m = _RANGE.match(part)
        if m:
            first, last = _lookup(m.group(1), columns), _lookup(m.group(2), columns)
            i, j = position[first], position[last]
            if j < i:
                raise VariableError(f"range {part!r}: {last!r} comes before {first!r} in the data")
            names = columns[i:j + 1]
        elif any(ch in part for ch in "*?["):
            pat = part.lower()
            names = [c for c in columns if fnmatch.fnmatchcase(c.lower(), pat)]
            if not names:
                raise VariableError(f"no variable matches {part!r}")
        elif " " in part:
            raise VariableError(f"unknown variable {part!r} (separate names with commas)")
        else:
            names = [_lookup(part, columns)]
        for n in names:
            if n not in out:
                out.append(n)
    return out
