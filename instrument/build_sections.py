"""Building the choice lists, sections and questions of a definition, each checked as it is built.

References between questions (skip logic, groups, scales) are checked once every question is
known, by :mod:`instrument.build_crossrefs`; :class:`Body` keeps what those checks need.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType

from . import model as m
from .builder import CHOICE_KEYS, QUESTION_KEYS, SECTION_KEYS, Builder
from .lines import line_of

MEASURES = ("nominal", "ordinal", "scale")
#: SPSS declares at most three discrete missing values per variable.
MAX_SPSS_MISSING = 3
_DEFAULT_MEASURE = {"likert": "ordinal", "integer": "scale", "decimal": "scale"}


# --------------------------------------------------------------------------- choice lists
def choice_lists(b: Builder, raw_lists, line: int, global_missing) -> dict[str, m.ChoiceList]:
    """{name: choice list} from ``choices:``; the global missing codes join every list."""
    return b.each_named(raw_lists, line, "choices: expected a mapping of list name: {options: ...}",
                        lambda lname, spec, cl_line: _choice_list(b, lname, spec, cl_line, global_missing))


def _choice_list(b: Builder, lname, spec, cl_line: int, global_missing) -> m.ChoiceList | None:
    if not isinstance(spec, dict):
        b.err(cl_line, f"choice list {lname!r}: expected options: and optional missing:")
        return None
    b.unknown_keys(spec, CHOICE_KEYS, f"choice list {lname!r}")
    opts = b.choices(spec.get("options"), line_of(spec, "options", cl_line), f"choice list {lname!r} option", False)
    opts = _with_names(b, spec, opts, lname, cl_line)
    if not opts:
        b.err(cl_line, f"choice list {lname!r} has no options")
    miss = b.choices(spec.get("missing"), line_of(spec, "missing", cl_line), f"choice list {lname!r} missing code", True)
    codes = [c.code for c in opts]
    for c in miss:
        if c.code in codes:
            b.err(c.line, f"choice list {lname!r}: code {m.format_code(c.code)} is both an option and a missing code")
    # global missing codes apply to every list
    miss = miss + tuple(g for g in global_missing if g.code not in [c.code for c in miss] and g.code not in codes)
    top = spec.get("top_box") or ()
    if isinstance(top, (int, float)):
        top = [top]
    for code in top:
        if code not in codes:
            b.err(line_of(spec, "top_box", cl_line), f"choice list {lname!r}: top_box code {code!r} is not an option")
    ordered = bool(spec.get("ordered", False))
    return m.ChoiceList(lname, opts, miss, tuple(top), ordered, cl_line)


def _with_names(b: Builder, spec, opts: tuple, lname, line: int) -> tuple:
    """The options with their XLSForm names (``names: {code: name}``) and other columns (``xlsform: {code: {...}}``)."""
    names, extra = spec.get("names") or {}, spec.get("xlsform") or {}
    if not names and not extra:
        return opts
    for what, d in (("names", names), ("xlsform", extra)):
        if not isinstance(d, dict):
            b.err(line_of(spec, what, line), f"choice list {lname!r} {what}: expected a mapping of code: ...")
            return opts
        for code in d:
            if code not in [c.code for c in opts]:
                b.err(line_of(d, code, line), f"choice list {lname!r} {what}: {code!r} is not an option code")
    seen = {}
    for code, nm in names.items():
        if str(nm) in seen:
            b.err(line_of(names, code, line), f"choice list {lname!r}: name {nm!r} is given to codes {seen[str(nm)]} and {code}")
        seen[str(nm)] = code
    return tuple(replace(c, name=str(names.get(c.code, "")), xlsform=b.xlsform(extra.get(c.code), c.line, f"choice list {lname!r}"))
                 for c in opts)


# --------------------------------------------------------------------------- sections
@dataclass
class Body:
    """The sections, every question by name and its position, and the skip logic left to check.

    ``pending`` holds ``(question name, expression, line, what)`` for a question's condition and
    ``(None, expression, line, what, position of the section's first question)`` for a section's.
    """

    sections: list[m.Section] = field(default_factory=list)
    questions: dict[str, m.Question] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)
    pending: list[tuple] = field(default_factory=list)


def sections(b: Builder, raw_sections, line: int, lists: dict, global_missing) -> Body:
    """The sections of ``sections:`` with their questions."""
    body = Body()
    if not isinstance(raw_sections, list):
        b.err(line, "sections: expected a list of sections")
        raw_sections = []
    section_ids: set = set()
    for si, sec in enumerate(raw_sections):
        sline = line_of(raw_sections, si, 1)
        if not isinstance(sec, dict):
            b.err(sline, "a section must be a mapping with id, title and questions")
            continue
        body.sections.append(_section(b, sec, si, sline, section_ids, body, lists, global_missing))
    return body


def _section(b: Builder, sec, si: int, sline: int, section_ids: set, body: Body, lists: dict, global_missing) -> m.Section:
    b.unknown_keys(sec, SECTION_KEYS, "a section")
    sid = sec.get("id") or f"section{si + 1}"
    if sid in section_ids:
        b.err(sline, f"section id {sid!r} is used twice")
    section_ids.add(sid)
    stitle = b.text(sec.get("title"), line_of(sec, "title", sline), f"section {sid!r} title")
    intro = b.text(sec.get("intro"), line_of(sec, "intro", sline), f"section {sid!r} intro", required=False)
    srel = b.expr(sec.get("relevant"), line_of(sec, "relevant", sline), f"section {sid!r} relevant")
    sxls = b.xlsform(sec.get("xlsform"), line_of(sec, "xlsform", sline), f"section {sid!r}")
    defaults = _defaults(b, sec, sid, sline)
    raw_qs = sec.get("questions") or []
    if not isinstance(raw_qs, list):
        b.err(line_of(sec, "questions", sline), f"section {sid!r} questions: expected a list")
        raw_qs = []
    if not raw_qs:
        b.warn(sline, f"section {sid!r} has no questions")
    first_q_index = len(body.order)
    qs = []
    for qi, rq in enumerate(raw_qs):
        qline = line_of(raw_qs, qi, sline)
        if not isinstance(rq, dict):
            b.err(qline, "a question must be a mapping with name, type and text")
            continue
        q = question(b, {**defaults, **rq}, rq, qline, sid, lists, global_missing, body.pending)
        if q is None or q.name.lower() in body.order:
            continue  # a second question of the same name is reported when its name is claimed
        body.questions[q.name] = q
        body.order[q.name.lower()] = len(body.order)
        qs.append(q)
    if srel is not None:
        body.pending.append((None, srel, line_of(sec, "relevant", sline), f"section {sid!r} relevant", first_q_index))
    return m.Section(sid, stitle, intro, tuple(qs), srel, sline, sxls)


def _defaults(b: Builder, sec, sid, sline: int) -> dict:
    """The section's ``defaults:`` for its questions (any question key but name and text)."""
    defaults = sec.get("defaults") or {}
    if not isinstance(defaults, dict):
        b.err(line_of(sec, "defaults", sline), f"section {sid!r} defaults: expected a mapping")
        defaults = {}
    for k in defaults:
        if k not in QUESTION_KEYS - {"name", "text"}:
            b.err(line_of(defaults, k, sline), f"section {sid!r} defaults: {k!r} cannot have a default")
    return defaults


# --------------------------------------------------------------------------- questions
def question(b: Builder, q: dict, raw, qline: int, sid, lists: dict, global_missing, pending: list) -> m.Question | None:
    """One question: ``q`` is the question with its section's defaults, ``raw`` as written (for lines)."""
    b.unknown_keys(raw, QUESTION_KEYS, "a question")
    name = q.get("name")
    if name is None:
        b.err(qline, "question without a name")
        return None
    name = str(name)
    what = f"question {name!r}"
    qtype = q.get("type")
    if qtype not in m.QUESTION_TYPES:
        b.err(line_of(raw, "type", qline), f"{what}: unknown type {qtype!r} (one of {', '.join(m.QUESTION_TYPES)})")
        return None
    texts = _texts(b, q, raw, qline, what)
    cl = _choice_list_of(b, q, raw, qline, what, qtype, lists)
    lo, hi = _bounds(b, q, raw, qline, what, qtype)
    missing = _missing(b, qtype, lo, hi, global_missing, qline, what)
    measure = _measure(b, q, raw, qline, what, qtype, cl)
    required = q.get("required", False)
    if not isinstance(required, bool):
        b.err(line_of(raw, "required", qline), f"{what}: required must be true or false")
        required = False
    rel = b.expr(q.get("relevant"), line_of(raw, "relevant", qline), f"{what} relevant")
    xls = b.xlsform(q.get("xlsform"), line_of(raw, "xlsform", qline), what)
    built = m.Question(name=name, type=qtype, section=sid, required=required, min=lo, max=hi, relevant=rel, choices=cl,
                       missing=missing, measure=measure, line=qline, xlsform=xls, **texts)
    if cl is not None:
        n_missing = len(built.missing_codes)
        if n_missing > MAX_SPSS_MISSING and qtype != "multiple":
            b.err(qline, f"{what}: {n_missing} missing codes; SPSS allows at most {MAX_SPSS_MISSING} per variable")
    for var in built.variable_names():
        b.claim(var, qline, what)
    if rel is not None:
        pending.append((name, rel, line_of(raw, "relevant", qline), f"{what} relevant"))
    return built


def _texts(b: Builder, q: dict, raw, qline: int, what: str) -> dict:
    """The question's texts, as keyword arguments of :class:`~instrument.model.Question`."""
    text = b.text(q.get("text"), line_of(raw, "text", qline), f"{what} text")
    label = b.text(q.get("label"), line_of(raw, "label", qline), f"{what} label", required=False)
    hint = b.text(q.get("hint"), line_of(raw, "hint", qline), f"{what} hint", required=False)
    instruction = b.text(q.get("instruction"), line_of(raw, "instruction", qline), f"{what} instruction", required=False)
    variants = {}
    rv = q.get("variants") or {}
    if not isinstance(rv, dict):
        b.err(line_of(raw, "variants", qline), f"{what} variants: expected group: text")
        rv = {}
    for gid, vt in rv.items():
        variants[gid] = b.text(vt, line_of(rv, gid, qline), f"{what} wording for {gid!r}")
    probes = []
    for i, p in enumerate(q.get("probes") or []):
        probes.append(b.text(p, line_of(q.get("probes"), i, qline), f"{what} probe {i + 1}"))
    return dict(text=text, label=label, hint=hint, instruction=instruction, variants=MappingProxyType(variants),
                probes=tuple(probes))


def _choice_list_of(b: Builder, q: dict, raw, qline: int, what: str, qtype: str, lists: dict) -> m.ChoiceList | None:
    """The question's choice list: needed by coded types, refused by the others."""
    cname = q.get("choices")
    if qtype in m.CODED_TYPES:
        if cname is None:
            b.err(qline, f"{what}: type {qtype} needs a choice list (choices: NAME)")
        elif cname not in lists:
            b.err(line_of(raw, "choices", qline), f"{what}: unknown choice list {cname!r}"
                  + (f" (lists: {', '.join(lists)})" if lists else ""))
        else:
            return lists[cname]
    elif cname is not None and "choices" in raw:
        b.err(line_of(q, "choices", qline), f"{what}: type {qtype} takes no choice list")
    return None


def _bounds(b: Builder, q: dict, raw, qline: int, what: str, qtype: str) -> tuple:
    """``(min, max)`` of a number question (None where not given or not a number)."""
    lo, hi = q.get("min"), q.get("max")
    for key, v in (("min", lo), ("max", hi)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
            b.err(line_of(raw, key, qline), f"{what}: {key} must be a number")
            lo, hi = (None, hi) if key == "min" else (lo, None)
    if (lo is not None or hi is not None) and qtype not in m.NUMERIC_TYPES and ("min" in raw or "max" in raw):
        b.err(line_of(raw, "min" if "min" in raw else "max", qline), f"{what}: min/max apply to integer and decimal questions only")
    if lo is not None and hi is not None and lo > hi:
        b.err(line_of(raw, "min", qline), f"{what}: min {lo} is greater than max {hi}")
    if qtype == "integer":
        for key, v in (("min", lo), ("max", hi)):
            if isinstance(v, float) and not v.is_integer():
                b.err(line_of(raw, key, qline), f"{what}: {key} of an integer question must be whole")
    return lo, hi


def _missing(b: Builder, qtype: str, lo, hi, global_missing, qline: int, what: str) -> tuple:
    """The global missing codes a question takes; for numbers they must lie outside min..max."""
    missing = tuple(global_missing) if qtype in m.NUMERIC_TYPES + m.CODED_TYPES else ()
    for c in missing:
        if qtype in m.NUMERIC_TYPES and ((lo is not None and lo <= c.code <= (hi if hi is not None else c.code))
                                         or (lo is None and hi is not None and c.code <= hi)):
            b.err(qline, f"{what}: missing code {m.format_code(c.code)} lies inside the valid range")
    return missing


def _measure(b: Builder, q: dict, raw, qline: int, what: str, qtype: str, cl) -> str:
    """The measurement level given, else the type's (ordinal for a single choice from an ordered list)."""
    measure = q.get("measure")
    default_measure = _DEFAULT_MEASURE.get(qtype, "nominal")
    if cl is not None and cl.ordered and qtype == "single":
        default_measure = "ordinal"
    if measure is None:
        return default_measure
    if measure not in MEASURES:
        b.err(line_of(raw, "measure", qline), f"{what}: measure must be one of {', '.join(MEASURES)}")
        return default_measure
    return measure
