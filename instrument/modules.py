"""Optional modules of a definition: parts a researcher switches on with ``modules: [name, ...]``.

A definition may hold a ``module_library``: named modules, each with its own respondent groups,
choice lists, sections, scales and references. ``modules`` lists the ones switched on; they are
merged into the definition tree before it is checked, so every form, check and statistic sees one
ordinary questionnaire. A module's section goes after the core section named by its ``after`` key
(at the end without it); a module's group adds a code and its label to the group question's list
and may skip named core sections (``skip: [felt, roles]``).

>>> from coprod.instrument.loader import check_text
>>> text = '''
... id: t
... title: {en: T}
... version: "1"
... languages: [en]
... modules: [extra]
... sections:
...   - id: a
...     title: {en: A}
...     questions:
...       - {name: q1, type: integer, text: {en: Q1}}
... module_library:
...   extra:
...     title: {en: Extra}
...     sections:
...       - {id: b, after: a, title: {en: B}, questions: [{name: q2, type: integer, text: {en: Q2}}]}
... '''
>>> rep = check_text(text)
>>> [q.name for q in rep.instrument.questions], rep.instrument.modules
(['q1', 'q2'], ('extra',))
"""
from __future__ import annotations

from itertools import combinations

from .errors import Problem
from .lines import LDict, LList, line_of

MODULE_KEYS = {"title", "description", "groups", "choices", "sections", "scales", "variants", "references"}
GROUP_KEYS = {"code", "label", "skip"}
#: check every combination of library modules up to this many modules; beyond, each one alone and all together
MAX_COMBINATIONS = 4


def _copy_dict(d) -> LDict:
    out = LDict(d)
    if isinstance(d, LDict):
        out.line = d.line
        out.key_lines = dict(d.key_lines)
    return out


def _copy_list(xs) -> LList:
    out = LList(xs)
    if isinstance(xs, LList):
        out.line = xs.line
        out.item_lines = list(xs.item_lines)
    return out


def _set(d: LDict, key, value, line: int) -> None:
    d[key] = value
    d.key_lines.setdefault(key, line)


def _append(xs: LList, value, line: int) -> None:
    xs.append(value)
    xs.item_lines.append(line)


def _questions_named(sections, qname):
    """(section index, question index) of the question called ``qname`` in each section that has one."""
    for si, sec in enumerate(sections):
        qs = sec.get("questions") if isinstance(sec, dict) else None
        for qi, q in enumerate(qs if isinstance(qs, list) else []):
            if isinstance(q, dict) and q.get("name") == qname:
                yield si, qi
                break


class _Merger:
    def __init__(self, tree: LDict, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.tree = _copy_dict(tree)

    def err(self, line: int, msg: str) -> None:
        self.problems.append(Problem(self.path, line, msg))

    def merge(self, name: str, mod, mline: int) -> None:
        what = f"module {name!r}"
        if not isinstance(mod, dict):
            self.err(mline, f"{what}: expected a mapping with title, sections, scales ...")
            return
        for k in mod:
            if k not in MODULE_KEYS:
                self.err(line_of(mod, k, mline), f"unknown key {k!r} in {what} (allowed: {', '.join(sorted(MODULE_KEYS))})")
        if "title" not in mod:
            self.err(mline, f"{what}: missing required key 'title'")
        self.mapping("choices", mod.get("choices"), what, line_of(mod, "choices", mline))
        self.sections(mod.get("sections"), what, line_of(mod, "sections", mline))
        self.groups(mod.get("groups"), what, line_of(mod, "groups", mline))
        self.mapping("scales", mod.get("scales"), what, line_of(mod, "scales", mline))
        self.variants(mod.get("variants"), what, line_of(mod, "variants", mline))
        refs = mod.get("references")
        if refs is not None:
            if not isinstance(refs, list):
                self.err(line_of(mod, "references", mline), f"{what}: references: expected a list of texts")
            else:
                merged = _copy_list(self.tree.get("references") or LList())
                for i, r in enumerate(refs):
                    if r not in merged:
                        _append(merged, r, line_of(refs, i, mline))
                _set(self.tree, "references", merged, mline)

    def mapping(self, key: str, extra, what: str, line: int) -> None:
        if extra is None:
            return
        if not isinstance(extra, dict):
            self.err(line, f"{what}: {key}: expected a mapping of name: {{...}}")
            return
        merged = _copy_dict(self.tree.get(key) or LDict())
        for k, v in extra.items():
            kl = line_of(extra, k, line)
            if k in merged:
                self.err(kl, f"{what}: {key[:-1]} {k!r} is already defined")
                continue
            merged[k] = v
            merged.key_lines[k] = kl
        _set(self.tree, key, merged, line)

    def sections(self, extra, what: str, line: int) -> None:
        if extra is None:
            return
        if not isinstance(extra, list):
            self.err(line, f"{what}: sections: expected a list of sections")
            return
        core = self.tree.get("sections")
        merged = _copy_list(core if isinstance(core, list) else LList())
        for i, sec in enumerate(extra):
            sl = line_of(extra, i, line)
            if not isinstance(sec, dict):
                self.err(sl, f"{what}: a section must be a mapping with title and questions")
                continue
            sec = _copy_dict(sec)
            after = sec.pop("after", None)
            pos = len(merged)
            if after is not None:
                ids = [s.get("id") if isinstance(s, dict) else None for s in merged]
                if after not in ids:
                    self.err(line_of(sec, "after", sl), f"{what}: after: no section {after!r} before this one")
                else:
                    pos = ids.index(after) + 1
                    while pos < len(merged) and getattr(merged[pos], "module_after", None) == after:
                        pos += 1  # after sections that earlier modules (or this one) put there
            sec.module_after = after
            merged.insert(pos, sec)
            merged.item_lines.insert(pos, sl)
        _set(self.tree, "sections", merged, line)

    def _group_question(self):
        g = self.tree.get("groups")
        qname = g.get("question") if isinstance(g, dict) else None
        sections = self.tree.get("sections") or []
        for si, qi in _questions_named(sections, qname):
            return qname, sections[si]["questions"][qi]
        return qname, None

    def groups(self, extra, what: str, line: int) -> None:
        if extra is None:
            return
        qname, q = self._group_question()
        if not isinstance(extra, dict) or q is None or not isinstance(q.get("choices"), str):
            self.err(line, f"{what}: groups: expected {{group_id: {{code, label, skip}}}} and a core definition with groups")
            return
        groups = _copy_dict(self.tree["groups"])
        codes = _copy_dict(groups.get("codes") or LDict())
        lists = _copy_dict(self.tree.get("choices") or LDict())
        lst = lists.get(q["choices"])
        if not isinstance(lst, dict) or not isinstance(lst.get("options"), dict):
            self.err(line, f"{what}: groups: the group question's list {q['choices']!r} is not defined")
            return
        lst = _copy_dict(lst)
        options = _copy_dict(lst["options"])
        for gid, spec in extra.items():
            gl = line_of(extra, gid, line)
            if not isinstance(spec, dict) or "code" not in spec or "label" not in spec:
                self.err(gl, f"{what}: group {gid!r}: give code and label")
                continue
            for k in spec:
                if k not in GROUP_KEYS:
                    self.err(line_of(spec, k, gl), f"unknown key {k!r} in {what} group {gid!r} (allowed: {', '.join(sorted(GROUP_KEYS))})")
            code = spec["code"]
            if gid in codes or code in options:
                self.err(gl, f"{what}: group {gid!r} or code {code!r} is already in use")
                continue
            _set(codes, gid, code, gl)
            _set(options, code, spec["label"], gl)
            self.skip(spec.get("skip") or [], qname, code, f"{what} group {gid!r}", line_of(spec, "skip", gl))
        lst["options"] = options
        lists[q["choices"]] = lst
        groups["codes"] = codes
        self.tree["groups"] = groups
        self.tree["choices"] = lists

    def variants(self, extra, what: str, line: int) -> None:
        """Wordings of core questions for a group (typically the module's own): ``{question: {group: text}}``."""
        if extra is None:
            return
        if not isinstance(extra, dict):
            self.err(line, f"{what}: variants: expected {{question: {{group_id: text}}}}")
            return
        sections = _copy_list(self.tree.get("sections") or LList())
        for qname, per_group in extra.items():
            ql = line_of(extra, qname, line)
            found = False
            for si, qi in _questions_named(sections, qname):
                found = True
                if not isinstance(per_group, dict):
                    self.err(ql, f"{what}: variants of {qname!r}: expected {{group_id: text}}")
                    continue
                sections[si] = self._with_variants(sections[si], qi, per_group, f"{what}: {qname!r}", ql)
            if not found:
                self.err(ql, f"{what}: variants: no question {qname!r}")
        self.tree["sections"] = sections

    def _with_variants(self, sec, qi: int, per_group: dict, what: str, line: int) -> LDict:
        """A copy of section ``sec`` whose question number ``qi`` has the wordings ``per_group`` too."""
        q = _copy_dict(sec["questions"][qi])
        var = _copy_dict(q.get("variants") or LDict())
        for gid, text in per_group.items():
            if gid in var:
                self.err(line_of(per_group, gid, line), f"{what} already has a variant for {gid!r}")
            else:
                _set(var, gid, text, line_of(per_group, gid, line))
        _set(q, "variants", var, line)
        sec = _copy_dict(sec)
        sec["questions"] = _copy_list(sec["questions"])
        sec["questions"][qi] = q
        return sec

    def skip(self, ids, qname, code, what: str, line: int) -> None:
        """Core sections the group is not asked: ``qname != code`` joins each section's condition."""
        sections = self.tree.get("sections") or LList()
        by_id = {s.get("id"): i for i, s in enumerate(sections) if isinstance(s, dict)}
        merged = _copy_list(sections)
        for sid in ids if isinstance(ids, list) else [ids]:
            if sid not in by_id:
                self.err(line, f"{what}: skip: no section {sid!r}")
                continue
            i = by_id[sid]
            sec = _copy_dict(merged[i])
            cond = f"{qname} != {code}"
            old = sec.get("relevant")
            sec["relevant"] = f"({old}) and {cond}" if old else cond
            sec.key_lines.setdefault("relevant", line)
            merged[i] = sec
        self.tree["sections"] = merged


def expand(tree, path: str = "<definition>", modules=None):
    """The tree with the switched-on modules merged in: ``(tree, module names, problems)``.

    ``modules`` overrides the definition's own ``modules`` list. A tree without modules comes back
    unchanged (apart from the ``module_library`` key, which is removed).
    """
    if not isinstance(tree, dict) or ("modules" not in tree and "module_library" not in tree and not modules):
        return tree, (), []
    problems: list[Problem] = []
    library = tree.get("module_library") or {}
    lline = line_of(tree, "module_library", 1)
    if not isinstance(library, dict):
        problems.append(Problem(path, lline, "module_library: expected a mapping of module name: {title, sections, ...}"))
        library = {}
    chosen = tree.get("modules") if modules is None else list(modules)
    mline = line_of(tree, "modules", 1)
    if chosen is None:
        chosen = []
    if isinstance(chosen, str):
        chosen = [chosen]
    if not isinstance(chosen, list):
        problems.append(Problem(path, mline, "modules: expected a list of module names, e.g. [conciliation]"))
        chosen = []
    base = _copy_dict(tree)
    base.pop("modules", None)
    base.pop("module_library", None)
    merger = _Merger(base, path)
    names: list[str] = []
    for i, name in enumerate(chosen):
        il = line_of(chosen, i, mline)
        if name not in library:
            known = ", ".join(map(str, library)) or "none defined"
            problems.append(Problem(path, il, f"modules: unknown module {name!r} (module_library: {known})"))
        elif name in names:
            problems.append(Problem(path, il, f"modules: {name!r} listed twice"))
        else:
            names.append(name)
            merger.merge(name, library[name], line_of(library, name, lline))
    return merger.tree, tuple(names), problems + merger.problems


def combinations_to_check(tree) -> list[tuple[str, ...]]:
    """The module combinations :func:`~instrument.loader.check` also builds: every combination of the
    library (each module alone and all together when the library is larger than ``MAX_COMBINATIONS``)."""
    library = tree.get("module_library") if isinstance(tree, dict) else None
    if not isinstance(library, dict) or not library:
        return []
    names = list(library)
    if len(names) <= MAX_COMBINATIONS:
        return [c for k in range(1, len(names) + 1) for c in combinations(names, k)]
    return [(n,) for n in names] + [tuple(names)]
