"""Read an XLSForm back as a definition tree (the same shape as the YAML format).

:func:`read_xlsform_tree` returns nested dicts and lists that remember their spreadsheet row
(``Problem`` lines are survey/choices row numbers), which :func:`instrument.loader.build` turns
into an :class:`~instrument.model.Instrument`.  Forms written by :mod:`instrument.forms.xlsform`
come back whole (wording variants, scales, missing codes, short labels, probes); forms from
elsewhere are read for what the definition format can hold:

* ``select_one``/``select_multiple`` in every spelling (``select one from X``, ``or_other``, ``or
  specify other``; ``likert`` appearance -> likert), ``integer``, ``decimal``, ``text``
  (``multiline`` -> longtext), ``date``, ``note``; geopoints, media, time, range, rank,
  select_from_file ... as text or number questions that are not analysed; metadata (start, end,
  deviceid ...), ``calculate`` and repeats are kept for the XLSForm only;
* top-level groups become sections, nested groups join their section (their ``relevant`` is added
  to each question's);
* ``relevant`` XPath in the common forms (``${q} = 'v'``, comparisons, ``selected(${q}, 'v')``,
  ``string-length(${q}) > 0``, ``${q} != ''``, ``and``/``or``/``not()``, parentheses) becomes the
  definition's expression language; anything else is kept as XPath (one warning for all);
* ``constraint`` gives ``min``/``max`` when it has the form ``. >= A and . <= B``;
* text choice names get numeric codes (the names are kept); unsafe question names are renamed.

Headers are compared ignoring case (``list name``, ``Type``, ``label:English``); language names
become ISO 639-1 codes (``French`` -> ``fr``, ``Name (xx)`` -> ``xx``). Problems and warnings of one
kind are one line naming the first rows. ``.xls`` workbooks are read with xlrd.

The steps have their modules: :mod:`instrument.xlsform_sheets` (workbook, sheets, translated
columns), :mod:`instrument.xlsform_choices`, :mod:`instrument.xlsform_survey` and
:mod:`instrument.xlsform_xpath` (``relevant`` and wording calculations); this module reads the
settings, languages, global missing codes and scales and puts the tree together.
"""
from __future__ import annotations

import re
from pathlib import Path

from .errors import DefinitionError, Problem
from .xlsform_choices import choice_lists
from .xlsform_sheets import LANG_RE, lang_code, ld, ll, num, read_sheets, translations
from .xlsform_survey import Survey, group_codes
from .xlsform_xpath import XPathError, xpath_to_expr
from .lines import LDict

__all__ = ["read_xlsform_tree", "xpath_to_expr", "XPathError", "one_per_kind"]


def read_xlsform_tree(path: str | Path):
    """Read an XLSForm into the definition tree; raise :class:`DefinitionError` listing every problem."""
    p = str(path)
    return _Reader(p, read_sheets(p)).tree()


class _Reader:
    def __init__(self, path: str, data: dict):
        self.path = path
        self.data = data  # {sheet: (header, rows)}
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.notes: dict[str, list] = {}  # kind of warning -> [(row, what)]

    def err(self, line, msg):
        self.problems.append(Problem(self.path, line, msg))

    def warn(self, line, msg):
        self.warnings.append(Problem(self.path, line, msg, "warning"))

    def note(self, kind: str, line: int, what: str = "") -> None:
        """A warning of ``kind``; each kind becomes one line (:meth:`grouped`)."""
        self.notes.setdefault(kind, []).append((line, what))

    def grouped(self) -> list[Problem]:
        """One warning per kind: how many rows, the first ones named.

        >>> r = _Reader("f.xlsx", {})
        >>> for i in range(5): r.note("calculate rows kept", i + 2, f"c{i}")
        >>> print(r.grouped()[0].message)
        calculate rows kept: 5 rows (row 2 c0, row 3 c1, row 4 c2, ...)
        """
        out = []
        for kind, items in self.notes.items():
            shown = ", ".join(f"row {ln} {w}".rstrip() for ln, w in items[:3]) + (", ..." if len(items) > 3 else "")
            n = f"{len(items)} row{'s' if len(items) != 1 else ''}"
            out.append(Problem(self.path, items[0][0], f"{kind}: {n} ({shown})", "warning"))
        return out

    def rows(self, sheet: str) -> list:
        return self.data.get(sheet, ([], []))[1]

    def tree(self) -> LDict:
        s_header, s_rows = self.data["survey"]
        c_header, c_rows = self.data.get("choices", ([], []))
        settings = self.rows("settings")
        st = settings[0][1] if settings else {}
        foreign = not any(str(k).startswith("coprod_") for k in st)
        langs, default = self.languages(s_header + c_header, st)
        tree = self.head(st, langs, default, foreign)
        missing = self.global_missing(langs, default)
        if missing is not None:
            tree["missing"] = missing
        tree["choices"] = choice_lists(self, c_header, c_rows, langs, default, missing)
        tree.key_lines["choices"] = 1
        codes = group_codes(st)
        survey = Survey(self, langs, default, tree["choices"], tree["title"], codes, foreign)
        tree["sections"] = survey.read(s_rows)
        tree.key_lines["sections"] = 2
        if survey.extra_rows:
            tree.setdefault("xlsform", ld(1))["rows"] = survey.extra_rows
        if "external_choices" in self.data:  # kept whole for select_one_external
            header, rows = self.data["external_choices"]
            header = [h for h in header if h]
            sheet = ld(1, header=header, rows=[[rec.get(h, "") for h in header] for _, rec in rows])
            tree.setdefault("xlsform", ld(1))["sheets"] = ld(1, external_choices=sheet)
        if st.get("coprod_group_question"):
            tree["groups"] = ld(1, question=str(st["coprod_group_question"]), codes={gid: num(code) for code, gid in codes.items()})
        scales = self.scales(langs, default, survey)
        if scales:
            tree["scales"] = scales
        if self.problems:
            raise DefinitionError(one_per_kind(self.problems))
        tree.warnings = self.warnings + self.grouped()
        return tree

    def languages(self, header: list, st: dict) -> tuple[list[str], str]:
        """(languages, default): declared order, else the order of label and hint columns."""
        langs: list[str] = []
        bad: list[str] = []
        for h in header:
            m = LANG_RE.match(h)
            if m and m.group("base").strip().lower() in ("label", "hint"):
                code = lang_code(m.group("lang"))
                if code is None:
                    if m.group("lang") not in bad:
                        bad.append(m.group("lang"))
                        self.err(1, f"cannot tell the ISO 639-1 code of the language {m.group('lang')!r} "
                                    f"(column {h!r}): write it as 'label::{m.group('lang')} (xx)' with its two-letter code")
                elif code not in langs:
                    langs.append(code)
        if st.get("coprod_languages"):
            declared = str(st["coprod_languages"]).split()
            langs = declared + [lg for lg in langs if lg not in declared]
        default = lang_code(str(st.get("default_language", ""))) if st.get("default_language") else None
        if langs and any(h in ("label", "hint") for h in header) and not st.get("coprod_languages"):
            plain = default if default and default not in langs else ("en" if "en" not in langs else None)
            if plain:  # a plain label next to label::French is the form's default language
                return [plain] + langs, plain
        if not langs:
            langs = [default or "en"]
        if default in langs and not st.get("coprod_languages"):
            langs = [default] + [lg for lg in langs if lg != default]  # the default language first
        return langs, default if default in langs else langs[0]

    def head(self, st: dict, langs: list, default: str, foreign: bool = False) -> LDict:
        """The tree with the definition's own keys from the settings sheet (a foreign form's other settings in ``xlsform``)."""
        version = st.get("version", "1")
        version = str(int(version)) if isinstance(version, float) and version.is_integer() else str(version)
        tree = ld(1, id=str(st.get("form_id") or Path(self.path).stem), version=version)
        if foreign:
            own = {"form_id", "form_title", "version", "default_language"}
            kept = {k: str(v) for k, v in st.items() if k not in own and not str(k).startswith("coprod_")}
            if kept:
                tree["xlsform"] = ld(1, settings=ld(1, **kept))
        title = translations(st, "coprod_title", langs, default) or {lg: str(st.get("form_title") or tree["id"]) for lg in langs}
        tree.update(title=title, languages=ll(langs, [1] * len(langs)), default_language=default)
        for k in ("title", "languages", "default_language"):
            tree.key_lines[k] = 1
        desc = translations(st, "coprod_description", langs, default)
        if desc:
            tree["description"] = desc
        if st.get("coprod_respondent_id"):
            tree["respondent_id"] = str(st["coprod_respondent_id"])
        if st.get("coprod_references"):
            tree["references"] = str(st["coprod_references"]).split("\n")
        return tree

    def global_missing(self, langs: list, default: str) -> LDict | None:
        """{code: label} from the ``coprod_missing`` sheet (None without one)."""
        miss_rows = self.rows("coprod_missing")
        if not miss_rows:
            return None
        gm = LDict()
        gm.line = miss_rows[0][0]
        for line, rec in miss_rows:
            code = num(rec.get("code"))
            if code is None:
                self.err(line, f"coprod_missing row {line}: code {rec.get('code')!r} is not a number")
                continue
            gm[code] = translations(rec, "label", langs, default)
            gm.key_lines[code] = line
        return gm

    def scales(self, langs: list, default: str, survey: Survey) -> LDict:
        """Scales from the ``coprod_scales`` sheet, else from the survey's ``coprod_scale`` columns."""
        scales = LDict()
        scales.line = 1
        sc_rows = self.rows("coprod_scales")
        for line, rec in sc_rows:
            items = str(rec.get("items", "")).split()
            spec = ld(line, label=translations(rec, "label", langs, default), items=ll(items, [line] * len(items)),
                      reverse=str(rec.get("reverse", "")).split(), score=str(rec.get("score", "mean")),
                      min_valid=num(rec["min_valid"]) if rec.get("min_valid") is not None else None,
                      construct=str(rec["construct"]) if rec.get("construct") else None,
                      source=str(rec["source"]) if rec.get("source") else None)
            scales[str(rec.get("name"))] = spec
            scales.key_lines[str(rec.get("name"))] = line
        if not sc_rows:
            for sc, items in survey.scale_cols.items():
                scales[sc] = ld(1, label={lg: sc for lg in langs}, items=items, reverse=survey.reverse_cols.get(sc, []))
        return scales


def one_per_kind(problems: list[Problem]) -> list[Problem]:
    """Problems with the same message but for their rows and names as one line naming the first rows.

    >>> ps = [Problem("f", n, f"survey row {n}: note without a name") for n in (4, 9, 12)] + [Problem("f", 2, "x")]
    >>> [p.message for p in one_per_kind(ps + ps[:1])]
    ['survey row 4: note without a name (and 2 more like it: rows 4, 9, 12)', 'x']
    >>> ps = [Problem("f", n, f"survey row {n} ({q}): choice list 'yes_no' is not on the choices sheet") for n, q in ((34, "power"), (36, "water"))]
    >>> [p.message for p in one_per_kind(ps)]
    ["survey row 34 (power): choice list 'yes_no' is not on the choices sheet (and 1 more like it: rows 34, 36)"]
    """
    kinds: dict[tuple, list[Problem]] = {}
    for p in dict.fromkeys(problems):
        key = (p.severity, re.sub(r"\brow \d+|\(\w[^)]*\)|'[^']*'", "…", p.message))
        kinds.setdefault(key, []).append(p)
    out = []
    for items in kinds.values():
        if len(items) == 1:
            out.append(items[0])
        else:
            lines = list(dict.fromkeys(p.line for p in items))
            rows = ", ".join(str(n) for n in lines[:3]) + (", ..." if len(lines) > 3 else "")
            out.append(Problem(items[0].path, items[0].line, f"{items[0].message} (and {len(items) - 1} more like it: rows {rows})",
                               items[0].severity))
    return out
