"""The ``survey`` sheet of an XLSForm as the definition's sections and questions.

Top-level groups become sections and nested groups join their section (their ``relevant`` is added
to each question's); questions outside any group go into sections of their own. The ``calculate``
rows :mod:`instrument.forms.xlsform` writes to carry wording variants (``coprod_role`` =
``wording:QUESTION:LANG``) are read back.

Forms from elsewhere keep what a definition cannot hold, so that the XLSForm written again works as
before (:mod:`instrument.forms.xlsform`): each question's own XLSForm columns (its original type and
name, ``relevant``, ``constraint``, ``choice_filter``, ``bind::`` ...) in its ``xlsform`` mapping, and
the rows that are no question of the definition (metadata, ``calculate``, repeats) as rows placed
after the question they followed. Types the statistics do not use (geopoint, media, time, range ...)
become text or number questions: imported, checked and carried to output, not analysed.
"""
from __future__ import annotations

import re

from .names import name_problem, safe_names
from .xlsform_sheets import ld, ll, num, translations
from .xlsform_xpath import XPathDepthError, XPathError, parse_wording, xpath_to_expr
from .lines import LList

#: Metadata and helper rows: kept for the XLSForm, not questions of the definition.
META_TYPES = {"start", "end", "today", "deviceid", "imei", "subscriberid", "simserial", "phonenumber", "username",
              "email", "audit", "calculate", "hidden", "start-geopoint", "background-audio", "uri:deviceid",
              "uri:email", "uri:username", "uri:subscriberid", "uri:simserial", "uri:phonenumber", "xml-external",
              "csv-external", "instanceid", "trigger"}
SIMPLE_TYPES = {"integer": "integer", "int": "integer", "decimal": "decimal", "text": "text", "string": "text",
                "date": "date", "note": "note"}
#: Types kept as variables that are not analysed: what the data column holds.
PASSIVE_TYPES = {"geopoint": "text", "geotrace": "text", "geoshape": "text", "gps": "text", "location": "text",
                 "image": "text", "photo": "text", "audio": "text", "video": "text", "file": "text",
                 "barcode": "text", "qr code": "text", "time": "text", "datetime": "text", "datetime-local": "text",
                 "acknowledge": "text", "phone number": "text", "phone_number": "text", "range": "decimal",
                 "rank": "text", "select_one_from_file": "text", "select_multiple_from_file": "text",
                 "select_one_external": "text", "select one external": "text", "osm": "text", "begin_rank": "text",
                 "annotate": "text", "draw": "text", "signature": "text", "audio-recording": "text", "q picture": "text"}
SELECT_TYPES = ("select_one", "select_multiple", "select1")
_GROUP_ROWS = ("begin group", "end group", "begin repeat", "end repeat", "begin loop", "end loop")
_BOUND = r"\.\s*{op}\s*(-?\d+(?:\.\d+)?)"
#: Columns the definition holds itself; every other column of a foreign form travels in ``xlsform``.
_OWN_COLUMNS = ("type", "name", "label", "hint", "guidance_hint", "coprod_")


def norm_type(rtype: str) -> tuple[str, str, bool]:
    """(type word, list name, or_other) of an XLSForm type in any of its spellings.

    >>> norm_type("select all that apply from toilet_type or specify other")
    ('select_multiple', 'toilet_type', True)
    >>> norm_type("select_one colors or_other"), norm_type("Select One from yes_or_no"), norm_type("geopoint")
    (('select_one', 'colors', True), ('select_one', 'yes_or_no', False), ('geopoint', '', False))
    """
    t = " ".join(rtype.split())
    low = t.lower()
    other = False
    for suffix in (" or_other", " or specify other"):
        if low.endswith(suffix):
            t, low, other = t[: -len(suffix)], low[: -len(suffix)], True
    for old, new in (("select all that apply from ", "select_multiple "), ("select all that apply ", "select_multiple "),
                     ("select one from ", "select_one "), ("select one ", "select_one "),
                     ("select multiple ", "select_multiple ")):
        if low.startswith(old) and not low.startswith("select one external"):
            t, low = new + t[len(old):], new + low[len(old):]
            break
    parts = t.split()
    base = parts[0].lower() if parts else ""
    if base in ("select_one", "select_multiple", "select1", "rank", "select_one_from_file",
                "select_multiple_from_file", "select_one_external") and len(parts) > 1:
        return base, parts[1], other and base in ("select_one", "select_multiple")
    if base in ("select_one", "select_multiple") and len(parts) == 1:
        return base, "", False
    return low, "", False


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
    """Reads survey rows in order; problems and warnings go to the reader ``r`` (``r.err``, ``r.note``).

    ``lists`` are the choice lists read from the choices sheet, ``title`` the form's title (for the
    sections made for questions outside groups), ``codes`` the respondent groups by code; ``foreign``
    is true for a form coprod did not write (its own columns are then kept for writing it again).
    """

    def __init__(self, r, langs: list, default: str, lists: dict, title: dict, codes: dict, foreign: bool = True):
        self.r, self.langs, self.default, self.lists, self.title, self.codes = r, langs, default, lists, title, codes
        self.foreign = foreign
        self.sections = LList()
        self.sections.line = 2
        self.current = None  # the section being filled
        self.depth = 0  # of groups
        self.nested_rel: list[str | None] = []  # conditions (XPath) of the open nested groups
        self.variants: dict[str, dict] = {}  # question -> {lang: (line, calculation)}
        self.scale_cols: dict[str, list] = {}  # scale -> items (coprod_scale column)
        self.reverse_cols: dict[str, list] = {}  # scale -> reverse-keyed items (coprod_reverse column)
        self.extra_rows = LList()  # rows kept for the XLSForm only: {after: question, cells: {column: text}}
        self.extra_rows.line = 2
        self.repeat: list | None = None  # rows of the repeat being skipped, with its depth
        self.last = ""  # the (XLSForm) name of the last question placed
        self.renames: dict[str, str] = {}  # XLSForm name -> definition name
        self.taken: set[str] = set()
        self.taken_as_is: set[str] = set()  # names kept as written
        self.pending: list = []  # (target, line, XPath, what) of conditions translated at the end
        self.qtypes: dict[str, tuple] = {}  # definition name -> (type, choice list)

    def read(self, rows: list) -> LList:
        """The sections of ``rows`` ([(row number, {column: value})])."""
        for line, rec in rows:
            self.row(line, rec)
        if self.repeat is not None:
            self.r.err(rows[-1][0] if rows else 1, "survey: a begin_repeat has no end_repeat")
        if self.depth:
            self.r.err(rows[-1][0] if rows else 1, "survey: a begin_group has no end_group")
        self.translate_conditions()
        for sec in self.sections:
            sec.pop("_loose", None)
        if self.variants:
            self.wording_variants()
        return self.sections

    # -- rows
    def row(self, line: int, rec: dict) -> None:
        rtype = " ".join(str(rec.get("type", "")).split())
        name = str(rec.get("name", "")).strip()
        low = rtype.lower().replace(" ", "_") if rtype.lower() in _GROUP_ROWS else rtype.lower()
        if low.startswith("begin loop") or low.startswith("begin_loop"):
            low = "begin_repeat"
        if self.repeat is not None or low == "begin_repeat":
            self.in_repeat(line, rec, low, name)
            return
        if low in ("begin_group", "end_group"):
            self.group(low, line, rec, name)
            return
        if low == "end_repeat":
            self.r.err(line, f"survey row {line}: end_repeat without begin_repeat")
            return
        if not rtype:
            return
        role = str(rec.get("coprod_role", ""))
        if role == "respondent_id":
            return  # the id coprod's own XLSForm computes for each submission
        if low == "calculate" and role.startswith("wording:"):
            _, qn, lang = role.split(":", 2)
            self.variants.setdefault(qn, {})[lang] = (line, str(rec.get("calculation", "")))
            return
        if low in META_TYPES:
            self.keep_row(rec)
            if low == "calculate":
                self.r.note("calculate rows kept for the XLSForm, not variables of the definition", line, name)
            return
        q = self.typed(line, rec, rtype, name)
        if q is None:
            return
        if not name and q["type"] == "note":
            self.keep_row(rec)
            self.r.note("notes without a name kept for the XLSForm only", line)
            return
        if not name:
            self.r.err(line, f"survey row {line}: {rtype} without a name")
            return
        q["name"] = self.rename(name, line, self.suffix(q))
        text = self.texts(rec, "label", line, q["name"])
        if role == "intro" and self.current is not None:
            self.current["intro"] = text
            return
        self.fill(q, line, rec, text)
        self.keep_columns(q, rec, name, rtype)
        self.place(q, line, rec, q["name"], name)
        if q.pop("_or_other", False):
            self.other_question(q, line, name)

    def in_repeat(self, line: int, rec: dict, low: str, name: str) -> None:
        """Rows of a repeat are kept for the XLSForm; the repeat is reported once as not analysed."""
        if self.repeat is None:
            self.repeat = [0]
            self.r.note("repeats kept for the XLSForm, not analysed", line, name)
        if low == "begin_repeat":
            self.repeat[0] += 1
        elif low in ("end_repeat", "end_loop"):
            self.repeat[0] -= 1
        self.keep_row(rec)
        if self.repeat[0] == 0:
            self.repeat = None

    def keep_row(self, rec: dict) -> None:
        cells = ld(0, **{k: _cell(v) for k, v in rec.items()})
        self.extra_rows.append(ld(0, after=self.last, cells=cells))
        self.extra_rows.item_lines.append(0)

    def suffix(self, q) -> int:
        """How long the ``_code`` ending of a multiple-choice question's 0/1 columns can be."""
        spec = self.lists.get(q.get("choices")) if q.get("type") == "multiple" else None
        return max([len(str(c)) + 1 for c in spec["options"]] + [0]) if spec else 0

    def rename(self, name: str, line: int, suffix: int = 0) -> str:
        """``name``, or a safe variable name for it (the XLSForm name is kept with the question)."""
        new = name
        if name_problem(name) or name.lower() in self.taken or len(name) + suffix > 32:
            new = safe_names([name], spss=True, limit=32 - suffix)[name]
            base, i = new, 2
            while new.lower() in self.taken:
                new, i = f"{base[:29 - suffix]}_{i}", i + 1
            self.r.note("names renamed to be safe SPSS variable names (the XLSForm name is kept)", line, f"{name} -> {new}")
            self.renames[name] = new
        self.taken.add(new.lower())
        if new == name:
            self.taken_as_is.add(name.lower())
        return new

    def texts(self, rec: dict, base: str, line: int, what: str) -> dict:
        """``{lang: text}`` of a translated column, missing languages filled from the default language."""
        text = translations(rec, base, self.langs, self.default)
        if text and len(text) < len(self.langs):
            src = text.get(self.default) or next(iter(text.values()))
            for lg in self.langs:
                if not text.get(lg):
                    text[lg] = src
                    self.r.note(f"{base} missing in {lg}: the {self.default if self.default in text else 'other'} text is used", line, what)
        return text

    def group(self, low: str, line: int, rec: dict, name: str) -> None:
        """``begin_group``/``end_group``: a top-level group is a section; a nested one adds its condition."""
        rel = str(rec["relevant"]).strip() if rec.get("relevant") else None
        if low == "begin_group":
            if self.depth == 0:
                title = self.texts(rec, "label", line, name) or {lg: name or f"section{len(self.sections) + 1}" for lg in self.langs}
                self.current = self.new_section(line, name or f"section{len(self.sections) + 1}", title, None)
                if rel:
                    self.pending.append((self.current, line, rel, f"group {name!r}"))
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
        sid = safe_names([sid])[sid] if sid else sid
        known = {s["id"].lower() for s in self.sections}
        base, i = sid, 2
        while sid.lower() in known:
            sid, i = f"{base}_{i}", i + 1
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
        base, lname, other = norm_type(rtype)
        q = ld(line, name=name)
        if base in SELECT_TYPES:
            if not lname:
                self.r.err(line, f"survey row {line} ({name}): {rtype} needs a choice list name")
                return None
            appearance = str(rec.get("appearance", "")).lower()
            q["type"] = "multiple" if base == "select_multiple" else ("likert" if "likert" in appearance else "single")
            if lname.endswith("__options") and lname[: -len("__options")] in self.lists:
                lname = lname[: -len("__options")]
            q["choices"] = lname
            if lname not in self.lists:
                self.r.err(line, f"survey row {line} ({name}): choice list {lname!r} is not on the choices sheet")
            elif other:
                add_other(self.lists[lname], self.langs)
                q["_or_other"] = True
        elif base in SIMPLE_TYPES:
            q["type"] = SIMPLE_TYPES[base]
            if base in ("text", "string") and "multiline" in str(rec.get("appearance", "")).lower():
                q["type"] = "longtext"
        elif base in PASSIVE_TYPES or base.split()[0] in PASSIVE_TYPES:
            base = base if base in PASSIVE_TYPES else base.split()[0]
            q["type"] = PASSIVE_TYPES[base]
            self.r.note(f"{base} questions kept as {q['type']} variables, not analysed", line, name)
        else:
            self.r.err(line, f"survey row {line} ({name}): type {rtype!r} is not an XLSForm question type coprod knows")
            return None
        return q

    def fill(self, q, line: int, rec: dict, text: dict) -> None:
        """The question's texts, probes, required, measure, range and condition (its own and its groups')."""
        if text:
            q["text"] = text
        elif q["type"] != "note" or not rec.get("calculation"):
            q["text"] = {lg: rec.get("name", "") for lg in self.langs}
            self.r.note("questions without a label: the name is shown", line, q["name"])
        for key, col in (("label", "coprod_label"), ("hint", "hint"), ("instruction", "guidance_hint")):
            t = self.texts(rec, col, line, q["name"])
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
        own = str(rec["relevant"]).strip() if rec.get("relevant") else None
        rels = [r for r in self.nested_rel if r] + ([own] if own else [])
        if rels:
            self.pending.append((q, line, rels[0] if len(rels) == 1 else " and ".join(f"({r})" for r in rels), f"question {q['name']!r}"))
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
                self.r.note("constraints only partly checked at import (a definition keeps min and max)", line, q["name"])
        elif rec.get("constraint"):
            self.r.note("constraints kept as XPath, not checked at import", line, q["name"])

    def keep_columns(self, q, rec: dict, name: str, rtype: str) -> None:
        """A foreign form's own columns (and the original name and type) in the question's ``xlsform``."""
        if not self.foreign:
            return
        cells = {k: _cell(v) for k, v in rec.items() if not k.startswith(_OWN_COLUMNS)
                 or (k.startswith("label") and not (k == "label" or k.startswith("label::")))
                 or (k.startswith("hint") and not (k == "hint" or k.startswith("hint::")))}
        cells.pop("relevant", None)  # the condition with its groups' is added when translated
        if q["type"] not in ("single", "multiple", "likert"):  # a select is written in today's spelling
            cells["type"] = rtype
        if q["name"] != name and name.lower() not in self.taken_as_is:  # a second 'price' in another group is written renamed
            cells["name"] = name
        if cells:
            q["xlsform"] = ld(q.line, **cells)
            q.key_lines["xlsform"] = q.line

    def other_question(self, q, line: int, name: str) -> None:
        """The text question pyxform adds after a select ``or_other``: ``NAME_other``, shown when 'other' is chosen."""
        oname = f"{name}_other"
        o = ld(line, name=self.rename(oname, line), type="text", text={lg: "Specify other." for lg in self.langs})
        cond = f"selected(${{{name}}}, 'other')"
        o["xlsform"] = ld(line, **({"name": oname} if o["name"] != oname else {}))
        self.pending.append((o, line, cond, f"question {o['name']!r}"))
        self.place(o, line, {}, o["name"], oname)

    def place(self, q, line: int, rec: dict, name: str, xls_name: str) -> None:
        """Put the question in the current section (a new one outside groups) and note its scales."""
        for sc in str(rec.get("coprod_scale", "")).split():
            self.scale_cols.setdefault(sc, []).append(name)
        for sc in str(rec.get("coprod_reverse", "")).split():
            self.reverse_cols.setdefault(sc, []).append(name)
        if self.current is None or (self.depth == 0 and not self.current.get("_loose")):
            self.current = self.new_section(line, f"part{len(self.sections) + 1}", {lg: self.title.get(lg, "") for lg in self.langs}, None)
            self.current["_loose"] = True
        self.current["questions"].append(q)
        self.current["questions"].item_lines.append(line)
        self.last = xls_name
        self.qtypes[name] = (q["type"], q.get("choices"))
        if q["type"] == "multiple" and q.get("choices") in self.lists:  # its 0/1 columns are names too
            self.taken.update(f"{name}_{c}".lower().replace("-", "m").replace(".", "_") for c in self.lists[q["choices"]]["options"])

    # -- conditions, once every name and choice list is known
    def translate_conditions(self) -> None:
        """Each ``relevant`` in the expression language where it can be, else kept as XPath (one warning per kind)."""
        for target, line, src, what in self.pending:
            if self.foreign:
                xl = target.get("xlsform")
                if xl is None:
                    xl = target["xlsform"] = ld(line)
                    target.key_lines["xlsform"] = line
                xl["relevant"] = src
                xl.key_lines["relevant"] = line
            try:
                expr = xpath_to_expr(self.with_codes(src))
            except XPathDepthError as exc:  # hostile nesting is a problem of its row, not a kept condition
                self.r.err(line, f"survey row {line} ({what.split(' ', 1)[1].strip(chr(39))}): relevant: {exc}")
                continue
            except XPathError as exc:
                self.r.note("relevant kept as XPath; not checked at import", line, f"{what}: {exc}")
                continue
            target["relevant"] = expr
            target.key_lines["relevant"] = line

    def with_codes(self, src: str) -> str:
        """``src`` with renamed questions and choice names as codes; XPathError when it names what the definition lacks."""
        src = src.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')

        def ref(m):
            n = self.renames.get(m.group(1), m.group(1))
            if n not in self.qtypes:
                raise XPathError(f"${{{m.group(1)}}} is not a question of the definition")
            return f"${{{n}}}"

        src = re.sub(r"\$\{\s*([^}\s]+)\s*\}", ref, src)

        def code(qname: str, lit: str) -> str:
            qtype, lname = self.qtypes[qname]
            if lname is None or lname not in self.lists:
                return lit
            names = self.lists[lname].get("names", {})
            for c, nm in names.items():
                if nm == lit[1:-1]:
                    return f"'{c}'"
            if num(lit[1:-1]) in self.lists[lname]["options"] and num(lit[1:-1]) not in names:
                return lit
            raise XPathError(f"{lit} is not a choice of ${{{qname}}}")

        src = re.sub(r"selected\(\s*(\$\{([^}]+)\})\s*,\s*('[^']*'|\"[^\"]*\")\s*\)",
                     lambda m: f"{m.group(1)} = {m.group(3)}" if self.qtypes[m.group(2)][0] != "multiple" else m.group(0), src)
        def compare(m):
            if self.qtypes[m.group(2)][0] == "multiple" and m.group(3) not in ("''", '""'):
                raise XPathError(f"${{{m.group(2)}}} is multiple choice, compared with =")
            if m.group(3)[0] not in "'\"":
                return m.group(0)
            return m.group(1) + code(m.group(2), m.group(3))

        src = re.sub(r"(\$\{([^}]+)\}\s*(?:!=|=)\s*)('[^']*'|\"[^\"]*\"|-?\d+(?:\.\d+)?)", compare, src)
        src = re.sub(r"(selected\(\s*\$\{([^}]+)\}\s*,\s*)('[^']*'|\"[^\"]*\")", lambda m: m.group(1) + code(m.group(2), m.group(3)), src)
        return src

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


def _cell(v) -> str:
    """A cell as the text written back (whole numbers without ``.0``)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def add_other(spec, langs: list) -> None:
    """The 'other' option pyxform adds to a list used with ``or_other`` (once)."""
    names = spec.setdefault("names", ld(spec.line))
    if "other" in names.values():
        return
    code = max([c for c in spec["options"] if isinstance(c, int)] + [0]) + 1
    spec["options"][code] = {lg: "Other" for lg in langs}
    spec["options"].key_lines[code] = spec.line
    names[code] = "other"
