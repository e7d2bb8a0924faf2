"""The ``choices`` sheet of an XLSForm as the definition's choice lists.

Choice names that are numbers are the codes. A list with text names (``yes``/``no``) gets codes
1, 2, ... in sheet order (a name that is a whole number keeps it as its code) and keeps the names in
``names`` ({code: name}): the XLSForm written again and imported Kobo/ODK data use the names.
Other columns of the choices sheet (filters for ``choice_filter``, media) travel in ``xlsform``
({code: {column: text}}).

Forms written by :mod:`instrument.forms.xlsform` mark missing codes, top-box codes and ordered lists
in ``coprod_*`` columns, and copy the global missing codes into every list: those copies are left to
the global declaration.
"""
from __future__ import annotations

from .xlsform_sheets import ld, num, translations
from .lines import LDict

_YES = ("yes", "true", "1")


def choice_lists(r, header: list, rows: list, langs: list, default: str, global_missing) -> LDict:
    """{list name: {options: {code: label}, missing: ..., top_box: [...], ordered: True}}; problems go to ``r``."""
    lists = LDict()
    lists.line = 1
    codes = _codes(rows)
    for line, rec in rows:
        _choice_row(r, lists, line, rec, header, langs, default, codes)
    if global_missing is not None:
        gcodes = set(global_missing)
        for spec in lists.values():
            if "missing" in spec:
                for code in [c for c in spec["missing"] if c in gcodes]:
                    del spec["missing"][code]
                if not spec["missing"]:
                    del spec["missing"]
    return lists


def _codes(rows: list) -> dict:
    """{(list, name): code}: numbers stay, text names get their place in the list (or the next free number).

    >>> _codes([(2, {"list_name": "yn", "name": "yes"}), (3, {"list_name": "yn", "name": "no"}),
    ...         (4, {"list_name": "m", "name": "2"}), (5, {"list_name": "m", "name": "x"}), (6, {"list_name": "m", "name": 1})])
    {('m', '2'): 2, ('m', '1'): 1, ('yn', 'yes'): 1, ('yn', 'no'): 2, ('m', 'x'): 3}
    """
    by_list: dict = {}
    for _, rec in rows:
        lname = str(rec.get("list_name", "")).strip()
        if lname and rec.get("name") is not None:
            by_list.setdefault(lname, []).append(_name(rec["name"]))
    out = {}
    for lname, names in by_list.items():
        taken = set()
        for nm in names:
            code = num(nm)
            if code is not None and (isinstance(code, int) or "." in nm):
                out[(lname, nm)] = code
                taken.add(code)
    for lname, names in by_list.items():
        taken = {c for (ln, _), c in out.items() if ln == lname}
        for i, nm in enumerate(names, start=1):
            if (lname, nm) in out:
                continue
            code = i
            while code in taken:
                code += 1
            out[(lname, nm)] = code
            taken.add(code)
    return out


def _name(v) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()


_OWN = ("list_name", "name", "label", "coprod_")


def _choice_row(r, lists: LDict, line: int, rec: dict, header: list, langs: list, default: str, codes: dict) -> None:
    lname = str(rec.get("list_name", "")).strip()
    if not lname:
        r.note("choices rows without a list_name left out", line, str(rec.get("name", "")))
        return
    if lname.endswith("__options") and "coprod_missing" in header:
        return  # the options-only copy written for multiple choice
    if rec.get("name") is None:
        r.err(line, f"choices row {line}: a choice of list {lname!r} has no name")
        return
    name = _name(rec["name"])
    code = codes[(lname, name)]
    spec = lists.get(lname)
    if spec is None:
        spec = ld(line, options=ld(line))
        lists[lname] = spec
        lists.key_lines[lname] = line
    if name != str(code):
        spec.setdefault("names", ld(line))[code] = name
    if code in spec["options"] or code in spec.get("missing", {}):
        r.note("choice names repeated in a list (e.g. for a choice_filter) kept once", line, f"{lname}: {name}")
        return
    extra = {k: str(int(v)) if isinstance(v, float) and v.is_integer() else str(v) for k, v in rec.items()
             if not k.startswith(_OWN) or (k.startswith("label") and not (k == "label" or k.startswith("label::")))}
    if extra and "coprod_missing" not in header:
        spec.setdefault("xlsform", ld(line))[code] = extra
    label = translations(rec, "label", langs, default)
    if not label:
        label = {lg: name for lg in langs}
        r.note("choices without a label: the name is shown", line, f"{lname}: {name}")
    elif len(label) < len(langs):
        src = label.get(default) or next(iter(label.values()))
        for lg in langs:
            if not label.get(lg):
                label[lg] = src
                r.note(f"label missing in {lg}: the {default if default in label else 'other'} text is used", line, f"{lname}: {name}")
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
