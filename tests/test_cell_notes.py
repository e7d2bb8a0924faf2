"""Every note the statistics write into a table's Note column has a Finnish and a Swedish form.

The statistics layer writes its notes in English ("omega needs at least three items"); the report's
render layer puts them into the report's language through ``words_texts.CELL_NOTES``. The notes are
found in the source of ``coprod.analysis.stats`` (so a new note cannot slip past the catalogue): the
strings appended to a ``notes`` list, joined by ``join_notes``, set as a row's ``note`` or ``warning``,
and returned as the reason a test or post hoc comparison was not run (with its table). Their variable parts (group
names, counts) are filled with sample values.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coprod.analysis import stats
from coprod.analysis.report import words

STATS = Path(stats.__file__).parent
SAMPLE_NAMES = "Volunteer, Service user or client"


def _samples(node) -> list[str]:
    """The texts ``node`` can give, variable parts filled in; [] when it is not a text."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "3" for v in node.values)]
    if isinstance(node, ast.IfExp):
        return _samples(node.body) + _samples(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _samples(node.left) or [SAMPLE_NAMES], _samples(node.right) or [SAMPLE_NAMES]
        if not (_samples(node.left) or _samples(node.right)):
            return []
        return [a + b for a in left for b in right]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [s for e in node.elts for s in _samples(e)]
    return []


def _is_note_target(t) -> bool:
    return (isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant) and t.slice.value in ("note", "warning")) \
        or (isinstance(t, ast.Attribute) and t.attr in ("note", "warning")) \
        or (isinstance(t, ast.Name) and t.id in ("note", "problem", "notes"))


def _notes_in(tree) -> set[str]:
    found = set()
    for fn in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
        returns_notes = "note" in (ast.get_docstring(fn) or "").lower() or fn.name in ("_untestable", "_omega")
        for node in ast.walk(fn):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                owner = f.value if isinstance(f, ast.Attribute) else None
                owner_name = getattr(owner, "attr", getattr(owner, "id", ""))
                if name in ("append", "insert") and "notes" in owner_name:
                    found.update(s for a in node.args for s in _samples(a))
                elif name == "join_notes":
                    found.update(s for a in node.args for s in _samples(a))
            elif isinstance(node, (ast.Assign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(_is_note_target(t) for t in targets):
                    found.update(_samples(node.value))
            elif isinstance(node, ast.Return) and node.value is not None:
                if returns_notes:
                    found.update(_samples(node.value))
                elif isinstance(node.value, ast.Tuple):  # (table, note) of a post hoc method
                    found.update(s for e in node.value.elts if isinstance(e, ast.Constant) for s in _samples(e))
            elif isinstance(node, ast.Dict):
                found.update(s for k, v in zip(node.keys, node.values)
                             if isinstance(k, ast.Constant) and k.value in ("note", "warning") for s in _samples(v))
    return {s for s in found if s and " " in s}


@pytest.fixture(scope="module")
def notes() -> set[str]:
    out = set()
    for path in sorted(STATS.glob("*.py")):
        out |= _notes_in(ast.parse(path.read_text(encoding="utf-8")))
    return out


def test_the_scan_finds_the_notes(notes):
    """The scan sees notes of every kind (else the next test would pass on nothing)."""
    for known in ("omega needs at least three items", "the scale total has no variation",
                  "only 3 complete respondents for 3 items", "not asked of " + SAMPLE_NAMES,
                  "a group without variation: no Games-Howell comparisons", "3 of 3 expected counts under 5 (3%)",
                  "fewer than two groups were asked: no test", "everyone answered: no test",
                  "Heywood case in the one-factor model (a loading of 1 or more)"):
        assert known in notes
    assert len(notes) >= 25


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_note_is_translated(notes, lang):
    english = {n for n in notes if words.cell_note(n, lang) == n}
    assert english == set()


def test_translated_notes_keep_their_values():
    """Hand-checked forms: names and numbers are carried over, not translated."""
    assert words.cell_note("omega needs at least three items", "fi") == "omega vaatii vähintään kolme osiota"
    assert words.cell_note("only 12 complete respondents for 5 items", "sv") == \
        "bara 12 svarande med alla svar för 5 frågor"
    assert words.cell_note("no variation in civ_1, civ_2", "fi") == "ei vaihtelua: civ_1, civ_2"
    assert words.cell_note("2 of 6 expected counts under 5 (33%)", "fi") == \
        "2/6 odotetusta frekvenssistä alle 5 (33 %)"
