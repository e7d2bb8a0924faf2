"""The ``choices`` sheet of an XLSForm as the definition's choice lists (codes must be numbers).

Forms written by :mod:`instrument.forms.xlsform` mark missing codes, top-box codes and ordered lists
in ``coprod_*`` columns, and copy the global missing codes into every list: those copies are left to
the global declaration.
"""
from __future__ import annotations

from .xlsform_sheets import ld, num, translations
from .yamlsource import LDict

_YES = ("yes", "true", "1")


def choice_lists(r, header: list, rows: list, langs: list, default: str, global_missing) -> LDict:
    """{list name: {options: {code: label}, missing: ..., top_box: [...], ordered: True}}; problems go to ``r``."""
    lists = LDict()
    lists.line = 1
    for line, rec in rows:
        _choice_row(r, lists, line, rec, header, langs, default)
    if global_missing is not None:
        gcodes = set(global_missing)
        for spec in lists.values():
            if "missing" in spec:
                for code in [c for c in spec["missing"] if c in gcodes]:
                    del spec["missing"][code]
                if not spec["missing"]:
                    del spec["missing"]
    return lists


def _choice_row(r, lists: LDict, line: int, rec: dict, header: list, langs: list, default: str) -> None:
    lname = str(rec.get("list_name", "")).strip()
    if not lname:
        r.err(line, f"choices row {line}: no list_name")
        return
    if lname.endswith("__options") and "coprod_missing" in header:
        return  # the options-only copy written for multiple choice
    code = num(rec.get("name"))
    if code is None:
        r.err(line, f"choices row {line}: choice name {rec.get('name')!r} of list {lname!r} is not a number (codes must be numbers)")
        return
    spec = lists.get(lname)
    if spec is None:
        spec = ld(line, options=ld(line))
        lists[lname] = spec
        lists.key_lines[lname] = line
    label = translations(rec, "label", langs, default)
    target = "options"
    if str(rec.get("coprod_missing", "")).lower() in _YES:
        if "missing" not in spec:
            spec["missing"] = ld(line)
            spec.key_lines["missing"] = line
        target = "missing"
    if code in spec[target]:
        r.err(line, f"choices row {line}: code {rec.get('name')} appears twice in list {lname!r}")
        return
    spec[target][code] = label
    spec[target].key_lines[code] = line
    if str(rec.get("coprod_top_box", "")).lower() == "yes":
        spec.setdefault("top_box", [])
        spec["top_box"].append(code)
    if str(rec.get("coprod_ordered", "")).lower() == "yes":
        spec["ordered"] = True
