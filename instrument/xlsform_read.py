"""Read an XLSForm back as a definition tree (the same shape as the YAML format).

:func:`read_xlsform_tree` returns nested dicts and lists that remember their spreadsheet row
(``Problem`` lines are survey/choices row numbers), which :func:`instrument.loader.build` turns
into an :class:`~instrument.model.Instrument`.  Forms written by :mod:`instrument.forms.xlsform`
come back whole (wording variants, scales, missing codes, short labels, probes); forms from
elsewhere are read for what the definition format can hold:

* ``select_one``/``select_multiple`` (``likert`` appearance -> likert), ``integer``, ``decimal``,
  ``text`` (``multiline`` -> longtext), ``date``, ``note``; metadata types (start, end, today,
  deviceid ...) and ``calculate`` are skipped; anything else (repeats, geopoints, media ...) is a
  problem naming the row;
* top-level groups become sections, nested groups join their section (their ``relevant`` is added
  to each question's);
* ``relevant`` XPath in the common forms (``${q} = 'v'``, comparisons, ``selected(${q}, 'v')``,
  ``string-length(${q}) > 0``, ``${q} != ''``, ``and``/``or``/``not()``, parentheses) becomes the
  definition's expression language; anything else is a problem naming the row;
* ``constraint`` gives ``min``/``max`` when it has the form ``. >= A and . <= B`` (other
  constraints are not carried over);
* choice names must be numbers (SPSS-style codes).
"""
from __future__ import annotations

import re
from pathlib import Path

from .errors import DefinitionError, Problem
from .names import LANGUAGE_NAMES
from .yamlsource import LDict, LList

_META_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email",
               "audit", "calculate", "hidden", "start-geopoint", "background-audio", "phone_number"}
_SIMPLE = {"integer": "integer", "int": "integer", "decimal": "decimal", "text": "text", "string": "text",
           "date": "date", "note": "note"}
_LANG_RE = re.compile(r"^(?P<base>[^:]+)::\s*(?P<lang>.+?)\s*$")
_NAME_TO_CODE = {v.lower(): k for k, v in LANGUAGE_NAMES.items()}


def _lang_code(label: str) -> str | None:
    """``English (en)`` -> ``en``; ``English`` -> ``en``; ``fi`` -> ``fi``."""
    m = re.search(r"\(([A-Za-z]{2})\)\s*$", label)
    if m:
        return m.group(1).lower()
    low = label.strip().lower()
    if low in _NAME_TO_CODE:
        return _NAME_TO_CODE[low]
    if re.fullmatch(r"[a-z]{2}", low):
        return low
    return None


def _ld(line: int, **items) -> LDict:
    d = LDict()
    d.line = line
    for k, v in items.items():
        if v is not None:
            d[k] = v
            d.key_lines[k] = line
    return d


def _ll(items, lines) -> LList:
    out = LList(items)
    out.item_lines = list(lines)
    out.line = lines[0] if lines else 0
    return out


def _num(text):
    """A code or bound as a number, or None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return int(text) if float(text).is_integer() else float(text)
    try:
        v = float(str(text).strip())
    except ValueError:
        return None
    return int(v) if v.is_integer() and re.fullmatch(r"-?\d+(\.0*)?", str(text).strip()) else v


# --------------------------------------------------------------------------- XPath -> expression
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
        n = _num(inner)
        if n is not None and inner.strip() == inner and inner:
            return str(n)
        if "'" in inner:
            return f'"{inner}"'
        return f"'{inner}'"
    raise XPathError(f"expected a value, found {val or 'the end'!r}")


class _XParser:
    def __init__(self, toks):
        self.toks, self.i = toks, 0

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
            self.i += 1
            inner = self.or_()
            self.take("punct", ")")
            return f"({inner})"
        if kind == "word" and val == "not":
            self.i += 1
            self.take("punct", "(")
            inner = self.or_()
            self.take("punct", ")")
            return f"not ({inner})"
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
            return f"{ref} {op} {_lit(vt)}"
        raise XPathError(f"unsupported {val or 'end of expression'!r}")


# --------------------------------------------------------------------------- reading sheets
def _sheet_rows(ws):
    """(header, [(row number, {column: value})]) with header names lower-cased and stripped."""
    rows = ws.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration:
        return [], []
    names = [str(h).strip() if h is not None else "" for h in header]
    out = []
    for i, r in enumerate(rows, start=2):
        rec = {}
        for h, v in zip(names, r):
            if h and v is not None and str(v).strip() != "":
                rec[h] = v.strip() if isinstance(v, str) else v
        if rec:
            out.append((i, rec))
    return names, out


def _translations(rec: dict, base: str, langs: list[str], default: str) -> dict:
    """{lang: text} from ``base::Lang (xx)`` columns (and a plain ``base`` column as the default language)."""
    out = {}
    for k, v in rec.items():
        m = _LANG_RE.match(k)
        if m and m.group("base").strip().lower() == base:
            code = _lang_code(m.group("lang"))
            if code:
                out[code] = str(v)
        elif k.strip().lower() == base:
            out.setdefault(default, str(v))
    return out


def read_xlsform_tree(path: str | Path):
    """Read an XLSForm into the definition tree; raise :class:`DefinitionError` listing every problem."""
    from openpyxl import load_workbook

    p = str(path)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except FileNotFoundError:
        raise DefinitionError([Problem(p, 0, "no such file")]) from None
    except Exception as exc:  # zip/xml errors of a damaged or non-xlsx file
        raise DefinitionError([Problem(p, 0, f"cannot read as an XLSForm workbook ({type(exc).__name__})")]) from None
    try:
        sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
        if "survey" not in sheets:
            raise DefinitionError([Problem(p, 0, "no 'survey' sheet: not an XLSForm")])
        data = {name: _sheet_rows(ws) for name, ws in sheets.items()
                if name in ("survey", "choices", "settings", "coprod_scales", "coprod_missing")}
    finally:
        wb.close()
    return _Reader(p, data).tree()


class _Reader:
    def __init__(self, path, data):
        self.path = path
        self.data = data
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def err(self, line, msg):
        self.problems.append(Problem(self.path, line, msg))

    def warn(self, line, msg):
        self.warnings.append(Problem(self.path, line, msg, "warning"))

    def where(self, sheet, line):
        return f"{sheet} row {line}"

    def tree(self):
        s_header, s_rows = self.data["survey"]
        c_header, c_rows = self.data.get("choices", ([], []))
        settings = self.data.get("settings", ([], []))[1]
        st = settings[0][1] if settings else {}

        # languages: declared order, else the order of label columns
        langs: list[str] = []
        for h in s_header + c_header:
            m = _LANG_RE.match(h)
            if m and m.group("base").strip().lower() in ("label", "hint"):
                code = _lang_code(m.group("lang"))
                if code is None:
                    self.err(1, f"survey: cannot tell the language code of column {h!r} (write it as 'label::English (en)')")
                elif code not in langs:
                    langs.append(code)
        if st.get("coprod_languages"):
            langs = str(st["coprod_languages"]).split() + [lg for lg in langs if lg not in str(st["coprod_languages"]).split()]
        default = _lang_code(str(st.get("default_language", ""))) if st.get("default_language") else None
        if not langs:
            langs = [default or "en"]
        default = default if default in langs else langs[0]

        tree = _ld(1, id=str(st.get("form_id") or Path(self.path).stem), version=str(st.get("version", "1")))
        title = _translations(st, "coprod_title", langs, default) or {lg: str(st.get("form_title") or tree["id"]) for lg in langs}
        tree.update(title=title, languages=_ll(langs, [1] * len(langs)), default_language=default)
        for k in ("title", "languages", "default_language"):
            tree.key_lines[k] = 1
        desc = _translations(st, "coprod_description", langs, default)
        if desc:
            tree["description"] = desc
        if st.get("coprod_respondent_id"):
            tree["respondent_id"] = str(st["coprod_respondent_id"])
        if st.get("coprod_references"):
            tree["references"] = str(st["coprod_references"]).split("\n")

        # global missing codes
        miss_rows = self.data.get("coprod_missing", ([], []))[1]
        if miss_rows:
            gm = LDict()
            gm.line = miss_rows[0][0]
            for line, rec in miss_rows:
                code = _num(rec.get("code"))
                if code is None:
                    self.err(line, f"coprod_missing row {line}: code {rec.get('code')!r} is not a number")
                    continue
                gm[code] = _translations(rec, "label", langs, default)
                gm.key_lines[code] = line
            tree["missing"] = gm

        # choices
        lists = LDict()
        lists.line = 1
        for line, rec in c_rows:
            lname = str(rec.get("list_name", "")).strip()
            if not lname:
                self.err(line, f"choices row {line}: no list_name")
                continue
            if lname.endswith("__options") and "coprod_missing" in c_header:
                continue  # the options-only copy written for multiple choice
            code = _num(rec.get("name"))
            if code is None:
                self.err(line, f"choices row {line}: choice name {rec.get('name')!r} of list {lname!r} is not a number (codes must be numbers)")
                continue
            spec = lists.get(lname)
            if spec is None:
                spec = _ld(line, options=_ld(line))
                lists[lname] = spec
                lists.key_lines[lname] = line
            label = _translations(rec, "label", langs, default)
            target = "options"
            if str(rec.get("coprod_missing", "")).lower() in ("yes", "true", "1"):
                if "missing" not in spec:
                    spec["missing"] = _ld(line)
                    spec.key_lines["missing"] = line
                target = "missing"
            if code in spec[target]:
                self.err(line, f"choices row {line}: code {rec.get('name')} appears twice in list {lname!r}")
                continue
            spec[target][code] = label
            spec[target].key_lines[code] = line
            if str(rec.get("coprod_top_box", "")).lower() == "yes":
                spec.setdefault("top_box", [])
                spec["top_box"].append(code)
            if str(rec.get("coprod_ordered", "")).lower() == "yes":
                spec["ordered"] = True
        # global missing codes were copied into each list on writing: leave them to the global declaration
        if "missing" in tree:
            gcodes = set(tree["missing"])
            for spec in lists.values():
                if "missing" in spec:
                    for code in [c for c in spec["missing"] if c in gcodes]:
                        del spec["missing"][code]
                    if not spec["missing"]:
                        del spec["missing"]
        tree["choices"] = lists
        tree.key_lines["choices"] = 1

        # survey
        sections = LList()
        sections.line = 2
        current = None
        depth = 0
        nested_rel: list[str | None] = []
        variants: dict[str, dict] = {}
        group_q = st.get("coprod_group_question")
        group_codes = {}
        for pair in str(st.get("coprod_groups", "")).split():
            gid, _, code = pair.partition("=")
            if _num(code) is not None:
                group_codes[str(_num(code))] = gid
        scale_cols: dict[str, list] = {}
        reverse_cols: dict[str, list] = {}
        loose = 0

        def new_section(line, sid, title, rel):
            sec = _ld(line, id=sid, title=title)
            if rel:
                sec["relevant"] = rel
            sec["questions"] = _ll([], [])
            sections.append(sec)
            sections.item_lines.append(line)
            return sec

        for line, rec in s_rows:
            rtype = str(rec.get("type", "")).strip()
            name = str(rec.get("name", "")).strip()
            low = rtype.lower().replace(" ", "_") if rtype.lower() in ("begin group", "end group", "begin repeat", "end repeat") else rtype.lower()
            rel_src = rec.get("relevant")
            rel = None
            if rel_src:
                try:
                    rel = xpath_to_expr(str(rel_src))
                except XPathError as exc:
                    self.err(line, f"survey row {line} ({name or rtype}): relevant {rel_src!r} cannot be translated: {exc}")
            if low == "begin_group":
                if depth == 0:
                    current = new_section(line, name or f"section{len(sections) + 1}",
                                          _translations(rec, "label", langs, default) or {lg: name for lg in langs}, rel)
                else:
                    nested_rel.append(rel)
                depth += 1
                continue
            if low == "end_group":
                if depth == 0:
                    self.err(line, f"survey row {line}: end_group without begin_group")
                    continue
                depth -= 1
                if depth == 0:
                    current = None
                else:
                    nested_rel.pop()
                continue
            if low in ("begin_repeat", "end_repeat"):
                self.err(line, f"survey row {line}: repeats cannot be represented in a definition")
                continue
            if not rtype:
                continue
            role = str(rec.get("coprod_role", ""))
            if low == "calculate" and role.startswith("wording:"):
                _, qn, lang = role.split(":", 2)
                variants.setdefault(qn, {})[lang] = (line, str(rec.get("calculation", "")))
                continue
            if low in _META_TYPES:
                if low == "calculate":
                    self.warn(line, f"survey row {line}: calculate {rec.get('name')!r} is not carried over into the definition")
                continue
            parts = rtype.split()
            base = parts[0].lower()
            q = _ld(line, name=name)
            if base in ("select_one", "select_multiple", "select1"):
                if len(parts) < 2:
                    self.err(line, f"survey row {line} ({name}): {rtype} needs a choice list name")
                    continue
                appearance = str(rec.get("appearance", "")).lower()
                q["type"] = "multiple" if base == "select_multiple" else ("likert" if "likert" in appearance else "single")
                lname = parts[1]
                if lname.endswith("__options") and lname[: -len("__options")] in lists:
                    lname = lname[: -len("__options")]
                q["choices"] = lname
                if lname not in lists:
                    self.err(line, f"survey row {line} ({name}): choice list {parts[1]!r} is not on the choices sheet")
            elif base in _SIMPLE and len(parts) == 1:
                q["type"] = _SIMPLE[base]
                if base in ("text", "string") and "multiline" in str(rec.get("appearance", "")).lower():
                    q["type"] = "longtext"
            else:
                self.err(line, f"survey row {line} ({name}): type {rtype!r} cannot be represented in a definition")
                continue
            if not name:
                self.err(line, f"survey row {line}: {rtype} without a name")
                continue
            text = _translations(rec, "label", langs, default)
            if role == "intro" and current is not None:
                current["intro"] = text
                continue
            if text:
                q["text"] = text
            for key, col in (("label", "coprod_label"), ("hint", "hint"), ("instruction", "guidance_hint")):
                t = _translations(rec, col, langs, default)
                if t:
                    q[key] = t
            probes = _translations(rec, "coprod_probes", langs, default)
            if probes:
                n = max(len(v.split("\n")) for v in probes.values())
                q["probes"] = _ll([{lg: (probes.get(lg, "").split("\n") + [""] * n)[i] for lg in probes} for i in range(n)], [line] * n)
            if str(rec.get("required", "")).strip().lower() in ("yes", "true", "true()", "1"):
                q["required"] = True
            if rec.get("coprod_measure"):
                q["measure"] = str(rec["coprod_measure"])
            if q["type"] in ("integer", "decimal") and rec.get("constraint"):
                lo = re.search(r"\.\s*>=\s*(-?\d+(?:\.\d+)?)", str(rec["constraint"]))
                hi = re.search(r"\.\s*<=\s*(-?\d+(?:\.\d+)?)", str(rec["constraint"]))
                if lo:
                    q["min"] = _num(lo.group(1))
                if hi:
                    q["max"] = _num(hi.group(1))
                rest = re.sub(r"\.\s*(>=|<=|=)\s*-?\d+(?:\.\d+)?|\band\b|\bor\b|[()\s]", "", str(rec["constraint"]))
                if rest or not (lo or hi):
                    self.warn(line, f"survey row {line}: constraint {str(rec['constraint'])!r} is only partly carried over "
                                    "(a definition keeps min and max)")
            elif rec.get("constraint"):
                self.warn(line, f"survey row {line}: constraint of {name!r} is not carried over (a definition keeps min and max of numbers only)")
            rels = [r for r in nested_rel if r] + ([rel] if rel else [])
            if rels:
                q["relevant"] = rels[0] if len(rels) == 1 else " and ".join(f"({r})" for r in rels)
            for key in list(q):
                q.key_lines[key] = line
            for sc in str(rec.get("coprod_scale", "")).split():
                scale_cols.setdefault(sc, []).append(name)
            for sc in str(rec.get("coprod_reverse", "")).split():
                reverse_cols.setdefault(sc, []).append(name)
            if current is None:
                loose += 1
                current = new_section(line, f"part{len(sections) + 1}", {lg: tree["title"].get(lg, "") for lg in langs}, None)
                current["_loose"] = True
            current["questions"].append(q)
            current["questions"].item_lines.append(line)
        if depth:
            self.err(s_rows[-1][0] if s_rows else 1, "survey: a begin_group has no end_group")
        for sec in sections:
            sec.pop("_loose", None)

        # wording variants from the helper calculates
        if variants:
            by_name = {q["name"]: q for sec in sections for q in sec["questions"]}
            for qn, per_lang in variants.items():
                q = by_name.get(qn)
                if q is None:
                    continue
                text, vars_ = {}, {}
                for lang, (line, calc) in per_lang.items():
                    try:
                        branches, default_text = _parse_wording(calc)
                    except XPathError as exc:
                        self.err(line, f"survey row {line}: wording calculation for {qn!r} cannot be read: {exc}")
                        continue
                    text[lang] = default_text
                    for code, t in branches:
                        gid = group_codes.get(code, code)
                        vars_.setdefault(gid, {})[lang] = t
                q["text"] = text
                if vars_:
                    q["variants"] = vars_
        tree["sections"] = sections
        tree.key_lines["sections"] = 2
        if group_q:
            tree["groups"] = _ld(1, question=str(group_q), codes={gid: _num(code) for code, gid in group_codes.items()})

        # scales
        sc_rows = self.data.get("coprod_scales", ([], []))[1]
        scales = LDict()
        scales.line = 1
        if sc_rows:
            for line, rec in sc_rows:
                spec = _ld(line, label=_translations(rec, "label", langs, default),
                           items=_ll(str(rec.get("items", "")).split(), [line] * len(str(rec.get("items", "")).split())),
                           reverse=str(rec.get("reverse", "")).split(), score=str(rec.get("score", "mean")),
                           min_valid=_num(rec["min_valid"]) if rec.get("min_valid") is not None else None,
                           construct=str(rec["construct"]) if rec.get("construct") else None,
                           source=str(rec["source"]) if rec.get("source") else None)
                scales[str(rec.get("name"))] = spec
                scales.key_lines[str(rec.get("name"))] = line
        else:
            for sc, items in scale_cols.items():
                scales[sc] = _ld(1, label={lg: sc for lg in langs}, items=items, reverse=reverse_cols.get(sc, []))
        if scales:
            tree["scales"] = scales
        if self.problems:
            raise DefinitionError(self.problems)
        tree.warnings = self.warnings
        return tree


_WTOK = re.compile(r"""\s*(?:(?P<str>'[^']*'|"[^"]*")|(?P<ref>\$\{[^}]+\})|(?P<word>if|concat)|(?P<punct>[(),=]))""")


def _parse_wording(calc: str):
    """``if(${role} = '2', 'v', 'd')`` -> ([('2', 'v')], 'd') (strings may be ``concat()``-ed)."""
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

    def node():
        if cur[0] == ("word", "if"):
            take()
            take("punct", "(")
            take("ref")
            take("punct", "=")
            code = take("str")[1][1:-1]
            take("punct", ",")
            text = string()
            take("punct", ",")
            rest, default = node()
            take("punct", ")")
            return [(code, text)] + rest, default
        return [], string()

    out = node()
    if cur[0][0] != "end":
        raise XPathError(f"unexpected {cur[0][1]!r}")
    return out
