"""The ``survey`` sheet of an XLSForm as the definition's sections and questions.

Top-level groups become sections and nested groups join their section (their ``relevant`` is added
to each question's); questions outside any group go into sections of their own. Metadata rows and
``calculate`` are skipped, except the ``calculate`` rows :mod:`instrument.forms.xlsform` writes to
carry wording variants (``coprod_role`` = ``wording:QUESTION:LANG``), which are read back.
"""
from __future__ import annotations

import re

from .xlsform_sheets import ld, ll, num, translations
from .xlsform_xpath import XPathError, parse_wording, xpath_to_expr
from .yamlsource import LList

META_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email",
              "audit", "calculate", "hidden", "start-geopoint", "background-audio", "phone_number"}
SIMPLE_TYPES = {"integer": "integer", "int": "integer", "decimal": "decimal", "text": "text", "string": "text",
                "date": "date", "note": "note"}
SELECT_TYPES = ("select_one", "select_multiple", "select1")
_GROUP_ROWS = ("begin group", "end group", "begin repeat", "end repeat")
_BOUND = r"\.\s*{op}\s*(-?\d+(?:\.\d+)?)"


def group_codes(settings: dict) -> dict:
    """{code as text: group id} from the ``coprod_groups`` setting (``staff=1 client=2``).

    >>> group_codes({"coprod_groups": "staff=1 client=2.0 bad=x"})
    {'1': 'staff', '2': 'client'}
    """
    out = {}
    for pair in str(settings.get("coprod_groups", "")).split():
        gid, _, code = pair.partition("=")
        if num(code) is not None:
            out[str(num(code))] = gid
    return out


class Survey:
    """Reads survey rows in order; problems and warnings go to the reader ``r`` (``r.err``, ``r.warn``).

    ``lists`` are the choice lists read from the choices sheet, ``title`` the form's title (for the
    sections made for questions outside groups), ``codes`` the respondent groups by code.
    """

    def __init__(self, r, langs: list, default: str, lists: dict, title: dict, codes: dict):
        self.r, self.langs, self.default, self.lists, self.title, self.codes = r, langs, default, lists, title, codes
        self.sections = LList()
        self.sections.line = 2
        self.current = None  # the section being filled
        self.depth = 0  # of groups
        self.nested_rel: list[str | None] = []  # conditions of the open nested groups
        self.variants: dict[str, dict] = {}  # question -> {lang: (line, calculation)}
        self.scale_cols: dict[str, list] = {}  # scale -> items (coprod_scale column)
        self.reverse_cols: dict[str, list] = {}  # scale -> reverse-keyed items (coprod_reverse column)

    def read(self, rows: list) -> LList:
        """The sections of ``rows`` ([(row number, {column: value})])."""
        for line, rec in rows:
            self.row(line, rec)
        if self.depth:
            self.r.err(rows[-1][0] if rows else 1, "survey: a begin_group has no end_group")
        for sec in self.sections:
            sec.pop("_loose", None)
        if self.variants:
            self.wording_variants()
        return self.sections

    # -- rows
    def row(self, line: int, rec: dict) -> None:
        rtype = str(rec.get("type", "")).strip()
        name = str(rec.get("name", "")).strip()
        low = rtype.lower().replace(" ", "_") if rtype.lower() in _GROUP_ROWS else rtype.lower()
        rel = self.relevant(line, rec, name or rtype)
        if low in ("begin_group", "end_group"):
            self.group(low, line, rec, name, rel)
            return
        if low in ("begin_repeat", "end_repeat"):
            self.r.err(line, f"survey row {line}: repeats cannot be represented in a definition")
            return
        if not rtype:
            return
        role = str(rec.get("coprod_role", ""))
        if low == "calculate" and role.startswith("wording:"):
            _, qn, lang = role.split(":", 2)
            self.variants.setdefault(qn, {})[lang] = (line, str(rec.get("calculation", "")))
            return
        if low in META_TYPES:
            if low == "calculate":
                self.r.warn(line, f"survey row {line}: calculate {rec.get('name')!r} is not carried over into the definition")
            return
        q = self.typed(line, rec, rtype, name)
        if q is None:
            return
        if not name:
            self.r.err(line, f"survey row {line}: {rtype} without a name")
            return
        text = translations(rec, "label", self.langs, self.default)
        if role == "intro" and self.current is not None:
            self.current["intro"] = text
            return
        self.fill(q, line, rec, text, rel)
        self.place(q, line, rec, name)

    def relevant(self, line: int, rec: dict, what: str) -> str | None:
        """The row's ``relevant`` in the definition's expression language (None when absent or untranslatable)."""
        rel_src = rec.get("relevant")
        if not rel_src:
            return None
        try:
            return xpath_to_expr(str(rel_src))
        except XPathError as exc:
            self.r.err(line, f"survey row {line} ({what}): relevant {rel_src!r} cannot be translated: {exc}")
            return None

    def group(self, low: str, line: int, rec: dict, name: str, rel) -> None:
        """``begin_group``/``end_group``: a top-level group is a section; a nested one adds its condition."""
        if low == "begin_group":
            if self.depth == 0:
                self.current = self.new_section(line, name or f"section{len(self.sections) + 1}",
                                                translations(rec, "label", self.langs, self.default) or {lg: name for lg in self.langs}, rel)
            else:
                self.nested_rel.append(rel)
            self.depth += 1
            return
        if self.depth == 0:
            self.r.err(line, f"survey row {line}: end_group without begin_group")
            return
        self.depth -= 1
        if self.depth == 0:
            self.current = None
        else:
            self.nested_rel.pop()

    def new_section(self, line: int, sid: str, title: dict, rel):
        sec = ld(line, id=sid, title=title)
        if rel:
            sec["relevant"] = rel
        sec["questions"] = ll([], [])
        self.sections.append(sec)
        self.sections.item_lines.append(line)
        return sec

    # -- questions
    def typed(self, line: int, rec: dict, rtype: str, name: str):
        """A question with its name, type and choice list; None (and a problem) for a type a definition cannot hold."""
        parts = rtype.split()
        base = parts[0].lower()
        q = ld(line, name=name)
        if base in SELECT_TYPES:
            if len(parts) < 2:
                self.r.err(line, f"survey row {line} ({name}): {rtype} needs a choice list name")
                return None
            appearance = str(rec.get("appearance", "")).lower()
            q["type"] = "multiple" if base == "select_multiple" else ("likert" if "likert" in appearance else "single")
            lname = parts[1]
            if lname.endswith("__options") and lname[: -len("__options")] in self.lists:
                lname = lname[: -len("__options")]
            q["choices"] = lname
            if lname not in self.lists:
                self.r.err(line, f"survey row {line} ({name}): choice list {parts[1]!r} is not on the choices sheet")
        elif base in SIMPLE_TYPES and len(parts) == 1:
            q["type"] = SIMPLE_TYPES[base]
            if base in ("text", "string") and "multiline" in str(rec.get("appearance", "")).lower():
                q["type"] = "longtext"
        else:
            self.r.err(line, f"survey row {line} ({name}): type {rtype!r} cannot be represented in a definition")
            return None
        return q

    def fill(self, q, line: int, rec: dict, text: dict, rel) -> None:
        """The question's texts, probes, required, measure, range and condition (its own and its groups')."""
        if text:
            q["text"] = text
        for key, col in (("label", "coprod_label"), ("hint", "hint"), ("instruction", "guidance_hint")):
            t = translations(rec, col, self.langs, self.default)
            if t:
                q[key] = t
        probes = translations(rec, "coprod_probes", self.langs, self.default)
        if probes:
            n = max(len(v.split("\n")) for v in probes.values())
            q["probes"] = ll([{lg: (probes.get(lg, "").split("\n") + [""] * n)[i] for lg in probes} for i in range(n)], [line] * n)
        if str(rec.get("required", "")).strip().lower() in ("yes", "true", "true()", "1"):
            q["required"] = True
        if rec.get("coprod_measure"):
            q["measure"] = str(rec["coprod_measure"])
        self.constraint(q, line, rec)
        rels = [r for r in self.nested_rel if r] + ([rel] if rel else [])
        if rels:
            q["relevant"] = rels[0] if len(rels) == 1 else " and ".join(f"({r})" for r in rels)
        for key in list(q):
            q.key_lines[key] = line

    def constraint(self, q, line: int, rec: dict) -> None:
        """``min``/``max`` of a number from a constraint ``. >= A and . <= B``; anything else is not carried over."""
        if q["type"] in ("integer", "decimal") and rec.get("constraint"):
            src = str(rec["constraint"])
            lo = re.search(_BOUND.format(op=">="), src)
            hi = re.search(_BOUND.format(op="<="), src)
            if lo:
                q["min"] = num(lo.group(1))
            if hi:
                q["max"] = num(hi.group(1))
            rest = re.sub(r"\.\s*(>=|<=|=)\s*-?\d+(?:\.\d+)?|\band\b|\bor\b|[()\s]", "", src)
            if rest or not (lo or hi):
                self.r.warn(line, f"survey row {line}: constraint {src!r} is only partly carried over "
                                  "(a definition keeps min and max)")
        elif rec.get("constraint"):
            self.r.warn(line, f"survey row {line}: constraint of {q['name']!r} is not carried over (a definition keeps min and max of numbers only)")

    def place(self, q, line: int, rec: dict, name: str) -> None:
        """Put the question in the current section (a new one outside groups) and note its scales."""
        for sc in str(rec.get("coprod_scale", "")).split():
            self.scale_cols.setdefault(sc, []).append(name)
        for sc in str(rec.get("coprod_reverse", "")).split():
            self.reverse_cols.setdefault(sc, []).append(name)
        if self.current is None:
            self.current = self.new_section(line, f"part{len(self.sections) + 1}", {lg: self.title.get(lg, "") for lg in self.langs}, None)
            self.current["_loose"] = True
        self.current["questions"].append(q)
        self.current["questions"].item_lines.append(line)

    # -- wording variants from the helper calculates
    def wording_variants(self) -> None:
        by_name = {q["name"]: q for sec in self.sections for q in sec["questions"]}
        for qn, per_lang in self.variants.items():
            q = by_name.get(qn)
            if q is None:
                continue
            text, vars_ = {}, {}
            for lang, (line, calc) in per_lang.items():
                try:
                    branches, default_text = parse_wording(calc)
                except XPathError as exc:
                    self.r.err(line, f"survey row {line}: wording calculation for {qn!r} cannot be read: {exc}")
                    continue
                text[lang] = default_text
                for code, t in branches:
                    gid = self.codes.get(code, code)
                    vars_.setdefault(gid, {})[lang] = t
            q["text"] = text
            if vars_:
                q["variants"] = vars_
