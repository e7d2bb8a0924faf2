"""The quote bank: answers coders marked as quotes, per theme and group, under pseudonymous keys.

Each quote is flagged where it seems to contain a person's name, a phone number or an e-mail address
(simple patterns: they find the obvious cases and miss others; read every quote before using it).
``n_group`` is the number of respondents of the quote's group with a coded answer: the render layer
hides the quote (and its key) where the group has fewer than ``min_cell`` respondents.

>>> identifying("Call Matti Virtanen on 040 123 4567 or matti@example.fi.")
'name, phone, e-mail'
>>> identifying("Our supervisor follows every case closely.")
''
"""
from __future__ import annotations

import re

import pandas as pd

QUOTE_COLUMNS = ["theme", "group", "key", "question", "quote", "notes", "coders", "flags", "n_group"]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w.])\+?\d[\d\s().-]{6,}\d(?![\w.])")
_TITLE = r"(?:Mr|Mrs|Ms|Dr|Prof|rouva|herra|fru|herr)\.?"
_CAP = r"[A-ZÅÄÖÜÉ][a-zåäöüéèß]+(?:-[A-ZÅÄÖÜÉ][a-zåäöüéèß]+)?"
# two capitalised words in a row not at the start of a sentence, or a title before a capitalised word
NAME = re.compile(rf"(?:(?<![.!?]\s)(?<!^)\b{_CAP}\s+{_CAP}\b|\b{_TITLE}\s+{_CAP})")
DETECTORS = (("name", NAME), ("phone", PHONE), ("e-mail", EMAIL))


def identifying(text: str) -> str:
    """The kinds of identifying detail found in ``text`` (``name``, ``phone``, ``e-mail``), comma-separated."""
    if not isinstance(text, str):
        return ""
    return ", ".join(kind for kind, rx in DETECTORS if rx.search(text))


def quote_bank(coded: pd.DataFrame, cons: pd.DataFrame, groups: dict | None = None) -> pd.DataFrame:
    """The ``quotes`` table: one row per quoted answer and theme present in it (consensus values).

    ``coded`` gives the quote marks (an answer is a quote when any coder marked it), ``cons`` the
    themes present (:func:`~.themes.consensus`); ``groups`` ({key: label}) overrides the groups.
    """
    marked = coded[coded["quote"] == 1]
    if marked.empty:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    group_of = groups if groups is not None else dict(zip(cons["key"], cons["group"]))
    answered = cons.assign(group=cons["key"].map(group_of).fillna("")).drop_duplicates("key")
    n_group = answered.groupby("group").size().to_dict()
    present = cons[cons["value"] == 1].groupby(["key", "question"])["theme"].agg(list).to_dict()
    rows = []
    for (key, question), part in marked.groupby(["key", "question"], sort=False):
        answer = part["answer"].iloc[0]
        notes = "; ".join(dict.fromkeys(n for n in part["notes"] if isinstance(n, str) and n))
        coders = ", ".join(dict.fromkeys(part["coder"]))
        group = group_of.get(key, "") or ""
        for theme in present.get((key, question), [""]):
            rows.append([theme, group, key, question, answer, notes, coders, identifying(answer),
                         int(n_group.get(group, 0))])
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    return out.sort_values(["theme", "group"], kind="stable").reset_index(drop=True)
