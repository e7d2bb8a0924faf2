"""The parts of a definition that refer to its questions, checked once every question is known:
skip logic, respondent groups and wording variants, scales.

``by_lower`` maps each question's lower-cased name to the question (names are compared ignoring case).
"""
from __future__ import annotations

from . import model as m
from .builder import GROUP_KEYS, SCALE_KEYS, Builder
from .expr import Compare, In, Not, Selected, _Bin
from .names import name_problem
from .lines import line_of

#: Question types a scale can be made of.
SCALE_ITEM_TYPES = ("likert", "single", "integer", "decimal")


# --------------------------------------------------------------------------- skip logic
def skip_logic(b: Builder, pending: list, order: dict, by_lower: dict) -> None:
    """Conditions refer to known questions asked before, with codes those questions have."""
    for qname, e, line, what, *pos in pending:
        here = order.get(qname.lower()) if qname else pos[0]
        for ref in sorted(e.names()):
            target = by_lower.get(ref.lower())
            if target is None:
                b.err(line, f"{what}: unknown question {ref!r}")
            elif here is not None and order[ref.lower()] >= here:
                b.err(line, f"{what}: refers to {ref!r}, which is not asked before this question")
            elif target.type == "note":
                b.err(line, f"{what}: {ref!r} is a note and has no answer")
        expr_values(b, e, by_lower, line, what)


def expr_values(b: Builder, e, by_lower: dict, line: int, what: str) -> None:
    """Each value a condition compares a question with is one of its codes (or a number for a number)."""
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, Not):
            stack.append(node.inner)
        elif isinstance(node, _Bin):
            stack.extend([node.left, node.right])
        elif isinstance(node, (Compare, In, Selected)):
            q = by_lower.get(node.name.lower())
            if q is not None:
                _compared_values(b, node, q, line, what)


def _compared_values(b: Builder, node, q: m.Question, line: int, what: str) -> None:
    values = node.values if isinstance(node, In) else (node.value,)
    if isinstance(node, Selected):
        if q.type != "multiple":
            b.err(line, f"{what}: selected() needs a multiple-choice question; {q.name!r} is {q.type}")
            return
    elif q.type == "multiple":
        b.err(line, f"{what}: {q.name!r} is multiple choice: use selected({q.name}, CODE)")
        return
    if q.choices is not None:
        for v in values:
            if v not in q.choices.codes and v not in q.choices.missing_codes:
                b.err(line, f"{what}: {m.format_code(v) if not isinstance(v, str) else repr(v)} is not a code of {q.name!r} "
                            f"(list {q.choices.name!r}: {', '.join(m.format_code(c) for c in q.choices.codes)})")
    elif q.type in m.NUMERIC_TYPES and any(isinstance(v, str) for v in values):
        b.err(line, f"{what}: {q.name!r} is a number; compare it with a number")


# --------------------------------------------------------------------------- groups
def groups(b: Builder, g, gline: int, by_lower: dict) -> tuple[tuple[m.Group, ...], str | None]:
    """``(groups, name of the group question)`` from ``groups: {question: NAME, codes: {id: code}}``."""
    if g is None:
        return (), None
    if not isinstance(g, dict):
        b.err(gline, "groups: expected question: NAME and codes: {group_id: code}")
        return (), None
    b.unknown_keys(g, GROUP_KEYS, "groups")
    qname = g.get("question")
    q = by_lower.get(str(qname).lower()) if qname is not None else None
    if q is None:
        b.err(line_of(g, "question", gline), f"groups: unknown question {qname!r}")
        return (), None
    if q.type != "single" or q.choices is None:
        b.err(line_of(g, "question", gline), f"groups: {q.name!r} must be a single-choice question")
        return (), None
    if q.relevant is not None:
        b.err(q.line, f"groups: the group question {q.name!r} must be asked of everyone (no relevant)")
    codes = g.get("codes")
    if not isinstance(codes, dict) or not codes:
        b.err(line_of(g, "codes", gline), "groups: codes: expected {group_id: code, ...}")
        return (), q.name
    out = []
    seen = set()
    for gid, code in codes.items():
        cl = line_of(codes, gid, gline)
        prob = name_problem(gid) if isinstance(gid, str) else "not a name"
        if prob:
            b.err(cl, f"groups: group id {gid!r}: {prob}")
            continue
        if code not in q.choices.codes:
            b.err(cl, f"groups: code {code!r} of group {gid!r} is not a code of {q.name!r}")
            continue
        if code in seen:
            b.err(cl, f"groups: code {code!r} given to two groups")
        seen.add(code)
        label = next(c.label for c in q.choices.options if c.code == code)
        out.append(m.Group(gid, code, label, cl))
    return tuple(out), q.name


def variants(b: Builder, questions: dict, groups: tuple) -> None:
    """Wording variants are for declared groups."""
    group_ids = {g.id for g in groups}
    for q in questions.values():
        for gid in q.variants:
            if gid not in group_ids:
                b.err(q.line, f"question {q.name!r}: wording variant for unknown group {gid!r}"
                      + (f" (groups: {', '.join(sorted(group_ids))})" if group_ids else " (no groups are declared)"))


# --------------------------------------------------------------------------- scales
def scales(b: Builder, raw_scales, line: int, by_lower: dict) -> dict[str, m.Scale]:
    """{name: scale} from ``scales:``."""
    return b.each_named(raw_scales, line, "scales: expected a mapping of scale name: {items: ...}",
                        lambda sname, spec, sline: scale(b, sname, spec, sline, by_lower))


def scale(b: Builder, sname, spec, sline: int, by_lower: dict) -> m.Scale | None:
    what = f"scale {sname!r}"
    if not isinstance(spec, dict):
        b.err(sline, f"{what}: expected label, items, reverse, score, min_valid")
        return None
    b.unknown_keys(spec, SCALE_KEYS, what)
    b.claim(str(sname), sline, what)
    label = b.text(spec.get("label"), line_of(spec, "label", sline), f"{what} label")
    items = spec.get("items") or []
    iline = line_of(spec, "items", sline)
    if not isinstance(items, list) or len(items) < 2:
        b.err(iline, f"{what}: items: list at least two questions")
        return None
    qs = _scale_items(b, items, iline, by_lower, what)
    reverse = _reverse_keyed(b, spec, sline, items, qs, what)
    score = spec.get("score", "mean")
    if score not in m.SCORES:
        b.err(line_of(spec, "score", sline), f"{what}: score must be mean or sum")
    min_valid = spec.get("min_valid", len(items))
    if isinstance(min_valid, bool) or not isinstance(min_valid, int) or not 1 <= min_valid <= len(items):
        b.err(line_of(spec, "min_valid", sline), f"{what}: min_valid must be a whole number from 1 to {len(items)}")
        min_valid = len(items)
    if score == "sum" and min_valid < len(items):
        b.warn(line_of(spec, "min_valid", sline), f"{what}: a sum score with missing items is not comparable across respondents; prorate with score: mean")
    return m.Scale(str(sname), label, tuple(q.name for q in qs), tuple(by_lower[str(r).lower()].name for r in reverse if str(r).lower() in by_lower),
                   score if score in m.SCORES else "mean", min_valid, str(spec.get("construct", "")), str(spec.get("source", "")), sline)


def _scale_items(b: Builder, items: list, iline: int, by_lower: dict, what: str) -> list[m.Question]:
    """The questions a scale's items name: known, of a type that can be scored, on one choice list."""
    qs = []
    for i, it in enumerate(items):
        q = by_lower.get(str(it).lower())
        il = line_of(items, i, iline)
        if q is None:
            b.err(il, f"{what}: unknown item {it!r}")
        elif q.type not in SCALE_ITEM_TYPES:
            b.err(il, f"{what}: item {it!r} is {q.type}; scale items must be likert, single, integer or decimal")
        else:
            qs.append(q)
    lists = {q.choices.name for q in qs if q.choices is not None}
    if len(lists) > 1:
        b.err(iline, f"{what}: items use different choice lists ({', '.join(sorted(lists))})")
    return qs


def _reverse_keyed(b: Builder, spec: dict, sline: int, items: list, qs: list, what: str) -> list:
    """The reverse-keyed items as written: each one of the items, with a range to reverse it in."""
    reverse = spec.get("reverse") or []
    if not isinstance(reverse, list):
        reverse = [reverse]
    item_names = {str(x).lower() for x in items}
    for r in reverse:
        if str(r).lower() not in item_names:
            b.err(line_of(spec, "reverse", sline), f"{what}: reverse-keyed item {r!r} is not one of its items")
    for q in qs:
        if q.name.lower() in {str(r).lower() for r in reverse} and q.choices is None and (q.min is None or q.max is None):
            b.err(line_of(spec, "reverse", sline), f"{what}: reverse-keyed item {q.name!r} needs a choice list or min and max")
    return reverse
