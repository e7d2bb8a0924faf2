"""Who the questionnaire's skip logic asked a question: the rows whose answers to the conditions of the
question and its section select them.  Light on imports, so that every statistic can tell "not asked"
from "not answered"."""
from __future__ import annotations

import numpy as np


def question_of(resp, name: str):
    """The question of variable ``name`` and the conditions (its section's and its own) that ask it."""
    inst = resp.instrument
    found = inst.section_and_question(name) if inst is not None else None
    if found is None:
        return None, ()
    sec, q = found
    return q, tuple(e for e in (sec.relevant, q.relevant) if e is not None)


def asked(resp, conditions, cache: dict | None = None) -> np.ndarray:
    """Rows the skip-logic ``conditions`` (expressions) ask the question of.  A condition whose
    questions a respondent left unanswered cannot be judged: the question counts as asked.
    ``cache`` keeps the answer per set of conditions."""
    if cache is not None:
        key = tuple(conditions)
        if key not in cache:
            cache[key] = asked(resp, conditions)
        return cache[key]
    n = len(resp)
    out = np.ones(n, dtype=bool)
    inst = resp.instrument
    for e in conditions:
        cols = []
        for name in e.names():
            try:
                q = inst.question(name)
                cols += list(q.variable_names()) if q.type == "multiple" else [q.name]
            except KeyError:
                cols.append(name)
        if any(c not in resp.data.columns for c in cols):
            continue  # the condition's questions are not in the data: everyone counts as asked
        frame = resp.valid(cols)
        try:
            yes = np.asarray(e.evaluate(frame), dtype=bool)
        except Exception:  # an expression that does not fit these data: everyone counts as asked
            continue
        known = frame.notna().to_numpy().any(axis=1)
        out &= yes | ~known
    return out


def question_asked(resp, name: str, cache: dict | None = None) -> np.ndarray | None:
    """Rows the skip logic asks ``name``'s question of; None when it has no condition (asked of everyone)
    or is not the instrument's."""
    _, conds = question_of(resp, name)
    return asked(resp, conds, cache) if conds else None
