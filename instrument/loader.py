"""Build an :class:`~instrument.model.Instrument` from a parsed definition, collecting every problem.

The builder works on the tree :mod:`instrument.yamlsource` returns (dicts and lists that know
their lines); the XLSForm reader produces the same tree, so both go through the same checks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from . import model as m
from .errors import DefinitionError, Problem
from .expr import ExprError, parse as parse_expr
from .names import ISO_639_1, name_problem
from .yamlsource import line_of, parse_yaml, read_text

TOP_KEYS = {"id", "title", "version", "description", "languages", "default_language", "respondent_id",
            "missing", "groups", "choices", "sections", "scales", "references", "codebook"}
SECTION_KEYS = {"id", "title", "intro", "relevant", "defaults", "questions"}
QUESTION_KEYS = {"name", "type", "text", "label", "variants", "hint", "instruction", "required", "min", "max",
                 "relevant", "choices", "measure", "probes"}
CHOICE_KEYS = {"options", "missing", "top_box", "ordered"}
SCALE_KEYS = {"label", "items", "reverse", "score", "min_valid", "construct", "source"}
MEASURES = ("nominal", "ordinal", "scale")
MAX_SPSS_MISSING = 3


@dataclass
class CheckReport:
    """What :func:`check` found: the instrument (when it could be built) and every problem."""

    path: str
    instrument: m.Instrument | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and self.instrument is not None


class _Builder:
    def __init__(self, tree, path: str):
        self.tree = tree
        self.path = path
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ()

    # -- reporting
    def err(self, line: int, msg: str) -> None:
        self.problems.append(Problem(self.path, line, msg))

    def warn(self, line: int, msg: str) -> None:
        self.problems.append(Problem(self.path, line, msg, "warning"))

    def unknown_keys(self, d, allowed: set, where: str) -> None:
        for k in d:
            if k not in allowed:
                self.err(line_of(d, k), f"unknown key {k!r} in {where} (allowed: {', '.join(sorted(allowed))})")

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
            if not isinstance(t, str):
                t = str(t)
            out[lang] = t
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

    # -- the whole definition
    def build(self) -> m.Instrument | None:
        t = self.tree
        if not isinstance(t, dict):
            self.err(getattr(t, "line", 1), "a definition must be a mapping with id, title, languages, sections ...")
            return None
        self.unknown_keys(t, TOP_KEYS, "the definition")
        for k in ("id", "title", "version", "languages", "sections"):
            if k not in t:
                self.err(1, f"missing required key {k!r}")

        # languages first: every text depends on them
        langs = t.get("languages") or []
        lline = line_of(t, "languages", 1)
        if isinstance(langs, str):
            langs = [langs]
        if not isinstance(langs, list) or not langs:
            self.err(lline, "languages: give a list of ISO 639-1 codes, e.g. [en, fi, sv]")
            langs = []
        good = []
        for i, lang in enumerate(langs):
            ll = line_of(langs, i, lline)
            if not isinstance(lang, str) or lang not in ISO_639_1:
                hint = " (Swedish is 'sv'; 'se' is Northern Sámi)" if lang in ("se", "swe", "sw") else ""
                self.err(ll, f"languages: {lang!r} is not an ISO 639-1 language code{hint}")
            elif lang in good:
                self.err(ll, f"languages: {lang!r} listed twice")
            else:
                good.append(lang)
        if "se" in good and "sv" not in good:
            self.warn(lline, "languages: 'se' is Northern Sámi; Swedish is 'sv'")
        self.languages = tuple(good) or ("en",)
        default = t.get("default_language", self.languages[0])
        if default not in self.languages:
            self.err(line_of(t, "default_language", 1), f"default_language {default!r} is not one of languages ({', '.join(self.languages)})")
            default = self.languages[0]

        ident = t.get("id")
        if ident is not None and (not isinstance(ident, str) or not ident.strip()):
            self.err(line_of(t, "id", 1), "id: expected a short text identifier")
        version = t.get("version")
        version = "" if version is None else str(version)
        title = self.text(t.get("title"), line_of(t, "title", 1), "title")
        description = self.text(t.get("description"), line_of(t, "description", 1), "description", required=False)
        global_missing = self.choices(t.get("missing"), line_of(t, "missing", 1), "missing", True)

        resp_id = t.get("respondent_id", "resp_id")
        names_seen: dict[str, tuple[str, int]] = {}

        def claim(name: str, line: int, what: str) -> None:
            prob = name_problem(name)
            if prob:
                self.err(line, f"{what}: {prob}")
                return
            low = name.lower()
            if low in names_seen:
                other, oline = names_seen[low]
                self.err(line, f"{what}: name {name!r} is already used by {other} on line {oline} (names are compared ignoring case)")
            else:
                names_seen[low] = (what, line)

        claim(resp_id, line_of(t, "respondent_id", 1), "respondent_id")

        # choice lists
        lists: dict[str, m.ChoiceList] = {}
        raw_lists = t.get("choices") or {}
        if not isinstance(raw_lists, dict):
            self.err(line_of(t, "choices", 1), "choices: expected a mapping of list name: {options: ...}")
            raw_lists = {}
        for lname, spec in raw_lists.items():
            cl_line = line_of(raw_lists, lname, 1)
            if not isinstance(spec, dict):
                self.err(cl_line, f"choice list {lname!r}: expected options: and optional missing:")
                continue
            self.unknown_keys(spec, CHOICE_KEYS, f"choice list {lname!r}")
            opts = self.choices(spec.get("options"), line_of(spec, "options", cl_line), f"choice list {lname!r} option", False)
            if not opts:
                self.err(cl_line, f"choice list {lname!r} has no options")
            miss = self.choices(spec.get("missing"), line_of(spec, "missing", cl_line), f"choice list {lname!r} missing code", True)
            codes = [c.code for c in opts]
            for c in miss:
                if c.code in codes:
                    self.err(c.line, f"choice list {lname!r}: code {m.format_code(c.code)} is both an option and a missing code")
            # global missing codes apply to every list
            miss = miss + tuple(g for g in global_missing if g.code not in [c.code for c in miss] and g.code not in codes)
            top = spec.get("top_box") or ()
            if isinstance(top, (int, float)):
                top = [top]
            for code in top:
                if code not in codes:
                    self.err(line_of(spec, "top_box", cl_line), f"choice list {lname!r}: top_box code {code!r} is not an option")
            ordered = bool(spec.get("ordered", False))
            lists[lname] = m.ChoiceList(lname, opts, miss, tuple(top), ordered, cl_line)

        # sections and questions
        sections = []
        questions: dict[str, m.Question] = {}
        order: dict[str, int] = {}
        pending_relevant = []  # (question name, expr, line, what)
        raw_sections = t.get("sections") or []
        if not isinstance(raw_sections, list):
            self.err(line_of(t, "sections", 1), "sections: expected a list of sections")
            raw_sections = []
        section_ids = set()
        for si, sec in enumerate(raw_sections):
            sline = line_of(raw_sections, si, 1)
            if not isinstance(sec, dict):
                self.err(sline, "a section must be a mapping with id, title and questions")
                continue
            self.unknown_keys(sec, SECTION_KEYS, "a section")
            sid = sec.get("id") or f"section{si + 1}"
            if sid in section_ids:
                self.err(sline, f"section id {sid!r} is used twice")
            section_ids.add(sid)
            stitle = self.text(sec.get("title"), line_of(sec, "title", sline), f"section {sid!r} title")
            intro = self.text(sec.get("intro"), line_of(sec, "intro", sline), f"section {sid!r} intro", required=False)
            srel = self.expr(sec.get("relevant"), line_of(sec, "relevant", sline), f"section {sid!r} relevant")
            defaults = sec.get("defaults") or {}
            if not isinstance(defaults, dict):
                self.err(line_of(sec, "defaults", sline), f"section {sid!r} defaults: expected a mapping")
                defaults = {}
            for k in defaults:
                if k not in QUESTION_KEYS - {"name", "text"}:
                    self.err(line_of(defaults, k, sline), f"section {sid!r} defaults: {k!r} cannot have a default")
            qs = []
            raw_qs = sec.get("questions") or []
            if not isinstance(raw_qs, list):
                self.err(line_of(sec, "questions", sline), f"section {sid!r} questions: expected a list")
                raw_qs = []
            if not raw_qs:
                self.warn(sline, f"section {sid!r} has no questions")
            first_q_index = len(order)
            for qi, rq in enumerate(raw_qs):
                qline = line_of(raw_qs, qi, sline)
                if not isinstance(rq, dict):
                    self.err(qline, "a question must be a mapping with name, type and text")
                    continue
                q = self.question({**defaults, **rq}, rq, qline, sid, lists, global_missing, claim, pending_relevant)
                if q is None:
                    continue
                if q.name.lower() in {n.lower() for n in questions}:
                    continue  # reported by claim
                questions[q.name] = q
                order[q.name.lower()] = len(order)
                qs.append(q)
            if srel is not None:
                pending_relevant.append((None, srel, line_of(sec, "relevant", sline), f"section {sid!r} relevant", first_q_index))
            sections.append(m.Section(sid, stitle, intro, tuple(qs), srel, sline))

        by_lower = {n.lower(): q for n, q in questions.items()}

        # skip logic: references must be known, earlier questions
        for qname, e, line, what, *pos in pending_relevant:
            here = order.get(qname.lower()) if qname else pos[0]
            for ref in sorted(e.names()):
                target = by_lower.get(ref.lower())
                if target is None:
                    self.err(line, f"{what}: unknown question {ref!r}")
                elif here is not None and order[ref.lower()] >= here:
                    self.err(line, f"{what}: refers to {ref!r}, which is not asked before this question")
                elif target.type == "note":
                    self.err(line, f"{what}: {ref!r} is a note and has no answer")
            self.check_expr_values(e, by_lower, line, what)

        # groups
        groups, gq_name = self.groups(t.get("groups"), line_of(t, "groups", 1), by_lower, lists)
        group_ids = {g.id for g in groups}
        for q in questions.values():
            for gid in q.variants:
                if gid not in group_ids:
                    self.err(q.line, f"question {q.name!r}: wording variant for unknown group {gid!r}"
                             + (f" (groups: {', '.join(sorted(group_ids))})" if group_ids else " (no groups are declared)"))

        # scales
        scales = {}
        raw_scales = t.get("scales") or {}
        if not isinstance(raw_scales, dict):
            self.err(line_of(t, "scales", 1), "scales: expected a mapping of scale name: {items: ...}")
            raw_scales = {}
        for sname, spec in raw_scales.items():
            sc = self.scale(sname, spec, line_of(raw_scales, sname, 1), by_lower, claim)
            if sc is not None:
                scales[sname] = sc

        references = t.get("references") or []
        if not isinstance(references, list):
            self.err(line_of(t, "references", 1), "references: expected a list of texts")
            references = []

        if any(p.severity == "error" for p in self.problems):
            return None
        return m.Instrument(
            id=str(ident), title=title, version=version, languages=self.languages, default_language=default,
            sections=tuple(sections), choice_lists=MappingProxyType(lists), scales=MappingProxyType(scales),
            groups=groups, group_question=gq_name, respondent_id=resp_id, missing=global_missing,
            description=description, references=tuple(str(r) for r in references), path=self.path)

    def question(self, q, raw, qline, sid, lists, global_missing, claim, pending):
        self.unknown_keys(raw, QUESTION_KEYS, "a question")
        name = q.get("name")
        if name is None:
            self.err(qline, "question without a name")
            return None
        name = str(name)
        what = f"question {name!r}"
        qtype = q.get("type")
        if qtype not in m.QUESTION_TYPES:
            self.err(line_of(raw, "type", qline), f"{what}: unknown type {qtype!r} (one of {', '.join(m.QUESTION_TYPES)})")
            return None
        text = self.text(q.get("text"), line_of(raw, "text", qline), f"{what} text")
        label = self.text(q.get("label"), line_of(raw, "label", qline), f"{what} label", required=False)
        hint = self.text(q.get("hint"), line_of(raw, "hint", qline), f"{what} hint", required=False)
        instruction = self.text(q.get("instruction"), line_of(raw, "instruction", qline), f"{what} instruction", required=False)
        variants = {}
        rv = q.get("variants") or {}
        if not isinstance(rv, dict):
            self.err(line_of(raw, "variants", qline), f"{what} variants: expected group: text")
            rv = {}
        for gid, vt in rv.items():
            variants[gid] = self.text(vt, line_of(rv, gid, qline), f"{what} wording for {gid!r}")
        probes = []
        for i, p in enumerate(q.get("probes") or []):
            probes.append(self.text(p, line_of(q.get("probes"), i, qline), f"{what} probe {i + 1}"))

        cl = None
        cname = q.get("choices")
        cline = line_of(q if "choices" in raw else q, "choices", qline)
        if qtype in m.CODED_TYPES:
            if cname is None:
                self.err(qline, f"{what}: type {qtype} needs a choice list (choices: NAME)")
            elif cname not in lists:
                self.err(line_of(raw, "choices", qline), f"{what}: unknown choice list {cname!r}"
                         + (f" (lists: {', '.join(lists)})" if lists else ""))
            else:
                cl = lists[cname]
        elif cname is not None and "choices" in raw:
            self.err(cline, f"{what}: type {qtype} takes no choice list")

        lo, hi = q.get("min"), q.get("max")
        for key, v in (("min", lo), ("max", hi)):
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                self.err(line_of(raw, key, qline), f"{what}: {key} must be a number")
                lo, hi = (None, hi) if key == "min" else (lo, None)
        if (lo is not None or hi is not None) and qtype not in m.NUMERIC_TYPES and ("min" in raw or "max" in raw):
            self.err(line_of(raw, "min" if "min" in raw else "max", qline), f"{what}: min/max apply to integer and decimal questions only")
        if lo is not None and hi is not None and lo > hi:
            self.err(line_of(raw, "min", qline), f"{what}: min {lo} is greater than max {hi}")
        if qtype == "integer":
            for key, v in (("min", lo), ("max", hi)):
                if isinstance(v, float) and not v.is_integer():
                    self.err(line_of(raw, key, qline), f"{what}: {key} of an integer question must be whole")
        missing = tuple(global_missing) if qtype in m.NUMERIC_TYPES + m.CODED_TYPES else ()
        for c in missing:
            if qtype in m.NUMERIC_TYPES and ((lo is not None and lo <= c.code <= (hi if hi is not None else c.code)) or (lo is None and hi is not None and c.code <= hi)):
                self.err(qline, f"{what}: missing code {m.format_code(c.code)} lies inside the valid range")

        measure = q.get("measure")
        default_measure = {"likert": "ordinal", "integer": "scale", "decimal": "scale"}.get(qtype, "nominal")
        if cl is not None and cl.ordered and qtype == "single":
            default_measure = "ordinal"
        if measure is None:
            measure = default_measure
        elif measure not in MEASURES:
            self.err(line_of(raw, "measure", qline), f"{what}: measure must be one of {', '.join(MEASURES)}")
            measure = default_measure

        required = q.get("required", False)
        if not isinstance(required, bool):
            self.err(line_of(raw, "required", qline), f"{what}: required must be true or false")
            required = False

        rel = self.expr(q.get("relevant"), line_of(raw, "relevant", qline), f"{what} relevant")
        question = m.Question(
            name=name, type=qtype, text=text, section=sid, label=label, variants=MappingProxyType(variants),
            hint=hint, instruction=instruction, required=required, min=lo, max=hi, relevant=rel, choices=cl,
            missing=missing, measure=measure, probes=tuple(probes), line=qline)
        if cl is not None:
            n_missing = len(question.missing_codes)
            if n_missing > MAX_SPSS_MISSING and qtype != "multiple":
                self.err(qline, f"{what}: {n_missing} missing codes; SPSS allows at most {MAX_SPSS_MISSING} per variable")
        for var in question.variable_names():
            claim(var, qline, what)
        if rel is not None:
            pending.append((name, rel, line_of(raw, "relevant", qline), f"{what} relevant"))
        return question

    def check_expr_values(self, e, by_lower, line, what):
        from .expr import Compare, In, Selected, Not, _Bin

        stack = [e]
        while stack:
            node = stack.pop()
            if isinstance(node, Not):
                stack.append(node.inner)
            elif isinstance(node, _Bin):
                stack.extend([node.left, node.right])
            elif isinstance(node, (Compare, In, Selected)):
                q = by_lower.get(node.name.lower())
                if q is None:
                    continue
                values = node.values if isinstance(node, In) else (node.value,)
                if isinstance(node, Selected):
                    if q.type != "multiple":
                        self.err(line, f"{what}: selected() needs a multiple-choice question; {q.name!r} is {q.type}")
                        continue
                elif q.type == "multiple":
                    self.err(line, f"{what}: {q.name!r} is multiple choice: use selected({q.name}, CODE)")
                    continue
                if q.choices is not None:
                    for v in values:
                        if v not in q.choices.codes and v not in q.choices.missing_codes:
                            self.err(line, f"{what}: {m.format_code(v) if not isinstance(v, str) else repr(v)} is not a code of {q.name!r} (list {q.choices.name!r}: {', '.join(m.format_code(c) for c in q.choices.codes)})")
                elif q.type in m.NUMERIC_TYPES and any(isinstance(v, str) for v in values):
                    self.err(line, f"{what}: {q.name!r} is a number; compare it with a number")

    def groups(self, g, gline, by_lower, lists):
        if g is None:
            return (), None
        if not isinstance(g, dict):
            self.err(gline, "groups: expected question: NAME and codes: {group_id: code}")
            return (), None
        self.unknown_keys(g, {"question", "codes"}, "groups")
        qname = g.get("question")
        q = by_lower.get(str(qname).lower()) if qname is not None else None
        if q is None:
            self.err(line_of(g, "question", gline), f"groups: unknown question {qname!r}")
            return (), None
        if q.type != "single" or q.choices is None:
            self.err(line_of(g, "question", gline), f"groups: {q.name!r} must be a single-choice question")
            return (), None
        if q.relevant is not None:
            self.err(q.line, f"groups: the group question {q.name!r} must be asked of everyone (no relevant)")
        codes = g.get("codes")
        if not isinstance(codes, dict) or not codes:
            self.err(line_of(g, "codes", gline), "groups: codes: expected {group_id: code, ...}")
            return (), q.name
        out = []
        seen = set()
        for gid, code in codes.items():
            cl = line_of(codes, gid, gline)
            prob = name_problem(gid) if isinstance(gid, str) else "not a name"
            if prob:
                self.err(cl, f"groups: group id {gid!r}: {prob}")
                continue
            if code not in q.choices.codes:
                self.err(cl, f"groups: code {code!r} of group {gid!r} is not a code of {q.name!r}")
                continue
            if code in seen:
                self.err(cl, f"groups: code {code!r} given to two groups")
            seen.add(code)
            label = next(c.label for c in q.choices.options if c.code == code)
            out.append(m.Group(gid, code, label, cl))
        return tuple(out), q.name

    def scale(self, sname, spec, sline, by_lower, claim):
        what = f"scale {sname!r}"
        if not isinstance(spec, dict):
            self.err(sline, f"{what}: expected label, items, reverse, score, min_valid")
            return None
        self.unknown_keys(spec, SCALE_KEYS, what)
        claim(str(sname), sline, what)
        label = self.text(spec.get("label"), line_of(spec, "label", sline), f"{what} label")
        items = spec.get("items") or []
        iline = line_of(spec, "items", sline)
        if not isinstance(items, list) or len(items) < 2:
            self.err(iline, f"{what}: items: list at least two questions")
            return None
        qs = []
        for i, it in enumerate(items):
            q = by_lower.get(str(it).lower())
            il = line_of(items, i, iline)
            if q is None:
                self.err(il, f"{what}: unknown item {it!r}")
            elif q.type not in ("likert", "single", "integer", "decimal"):
                self.err(il, f"{what}: item {it!r} is {q.type}; scale items must be likert, single, integer or decimal")
            else:
                qs.append(q)
        lists = {q.choices.name for q in qs if q.choices is not None}
        if len(lists) > 1:
            self.err(iline, f"{what}: items use different choice lists ({', '.join(sorted(lists))})")
        reverse = spec.get("reverse") or []
        if not isinstance(reverse, list):
            reverse = [reverse]
        item_names = {str(x).lower() for x in items}
        for r in reverse:
            if str(r).lower() not in item_names:
                self.err(line_of(spec, "reverse", sline), f"{what}: reverse-keyed item {r!r} is not one of its items")
        for q in qs:
            if q.name.lower() in {str(r).lower() for r in reverse} and q.choices is None and (q.min is None or q.max is None):
                self.err(line_of(spec, "reverse", sline), f"{what}: reverse-keyed item {q.name!r} needs a choice list or min and max")
        score = spec.get("score", "mean")
        if score not in m.SCORES:
            self.err(line_of(spec, "score", sline), f"{what}: score must be mean or sum")
        min_valid = spec.get("min_valid", len(items))
        if isinstance(min_valid, bool) or not isinstance(min_valid, int) or not 1 <= min_valid <= len(items):
            self.err(line_of(spec, "min_valid", sline), f"{what}: min_valid must be a whole number from 1 to {len(items)}")
            min_valid = len(items)
        if score == "sum" and min_valid < len(items):
            self.warn(line_of(spec, "min_valid", sline), f"{what}: a sum score with missing items is not comparable across respondents; prorate with score: mean")
        return m.Scale(str(sname), label, tuple(q.name for q in qs), tuple(by_lower[str(r).lower()].name for r in reverse if str(r).lower() in by_lower),
                       score if score in m.SCORES else "mean", min_valid, str(spec.get("construct", "")), str(spec.get("source", "")), sline)


def build(tree, path: str = "<definition>") -> CheckReport:
    """Build an instrument from a parsed tree; the report lists every problem."""
    from .themes import attach_themes

    b = _Builder(tree, path)
    inst = attach_themes(b, tree, b.build())  # the codebook of themes for open answers
    return CheckReport(path, inst, b.problems)


def check_text(text: str, path: str = "<text>") -> CheckReport:
    """Check a definition given as YAML text."""
    try:
        tree, problems = parse_yaml(text, path)
    except DefinitionError as exc:
        return CheckReport(path, None, exc.problems)
    rep = build(tree, path)
    rep.problems[:0] = problems
    if problems:
        rep.instrument = None
    rep.problems.sort(key=lambda p: (p.line, p.severity != "error"))
    return rep


def check(path: str | Path) -> CheckReport:
    """Check a definition file (YAML, or an XLSForm ``.xlsx``) and report every problem."""
    p = str(path)
    if p.lower().endswith((".xlsx", ".xls")):
        from .xlsform_read import read_xlsform_tree

        try:
            tree = read_xlsform_tree(path)
        except DefinitionError as exc:
            return CheckReport(p, None, exc.problems)
        rep = build(tree, p)
        rep.problems[:0] = getattr(tree, "warnings", [])
        return rep
    try:
        text = read_text(path)
    except DefinitionError as exc:
        return CheckReport(p, None, exc.problems)
    return check_text(text, p)


def load(path: str | Path) -> m.Instrument:
    """Load a definition; raise :class:`DefinitionError` listing every error."""
    rep = check(path)
    if not rep.ok:
        raise DefinitionError(rep.errors or [Problem(str(path), 0, "could not be loaded")])
    return rep.instrument
