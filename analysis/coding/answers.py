"""The open answers to code, each under a pseudonymous respondent key.

A respondent's key is a keyed hash (HMAC-SHA-256) of the respondent id with a secret that stays
with the researcher in a *key file*: the same id and secret always give the same key, so several
coders' workbooks and later exports line up, and the data can be linked back to the coded answers;
without the secret the key reveals nothing about the id, even where ids are small numbers.

>>> respondent_keys([1.0, "17", 17], "0" * 64)
['R847926D893', 'R636A6F60CB', 'R636A6F60CB']
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

from coprod.instrument.errors import DataError, OptionError, OutputError
from coprod.instrument.model import format_code, text_in

ANSWER_COLUMNS = ["key", "group", "question", "answer"]
KEY_FILE_HEADER = ("# coprod coding key: links the pseudonymous respondent keys of coding workbooks to the\n"
                   "# respondent ids of the data. Keep it apart from the workbooks and never send it to coders.\n")


def respondent_keys(ids, secret: str) -> list[str]:
    """The pseudonymous key of each respondent id: ``R`` and 10 hex digits of HMAC-SHA-256(secret, id).

    Ids are compared as written in the definition (``17``, ``17.0`` and ``"17"`` are one respondent).
    """
    out = []
    for rid in ids:
        if isinstance(rid, (float, np.floating)) and float(rid).is_integer():
            rid = int(rid)
        text = format_code(rid).strip() if not isinstance(rid, str) else rid.strip()
        digest = hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()
        out.append("R" + digest[:10].upper())
    return out


def key_secret(path, create: bool = True) -> str:
    """The secret in key file ``path``; with ``create``, a new random one is written there if it does not exist."""
    p = Path(path)
    if p.exists():
        lines = [ln.strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
        if len(lines) != 1 or len(lines[0]) < 32:
            raise DataError(f"{p}: not a coprod coding key file")
        return lines[0]
    if not create:
        raise OptionError(f"{p}: no such key file (it is written by the first export)", param="key_file")
    from coprod.instrument.files import write_text

    secret = secrets.token_hex(32)
    try:
        write_text(p, KEY_FILE_HEADER + secret + "\n")
    except OSError as exc:
        raise OutputError(f"{p}: cannot write the key file ({exc})") from None
    return secret


def _open_questions(inst, questions=None) -> list:
    themed = {q for t in inst.themes for q in t.questions}
    if questions:
        names = [q.strip() for q in questions.split(",")] if isinstance(questions, str) else list(questions)
        out = []
        for n in names:
            try:
                q = inst.question(n)
            except KeyError:
                raise OptionError(f"unknown question {n!r}", param="questions") from None
            if q.name not in themed:
                raise OptionError(f"no theme of the codebook applies to {q.name!r}", param="questions")
            out.append(q)
        return out
    return [q for q in inst.questions if q.name in themed]


def group_labels(resp, inst, by: str | None, lang: str) -> tuple[str | None, list[str]]:
    """The grouping variable and each respondent's group label ('' where none)."""
    by = by or inst.group_question
    if not by:
        return None, [""] * len(resp)
    var = resp.resolve(by)
    values = resp.valid([var])[var]
    labels = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            labels.append("")
            continue
        label = None
        if inst.group_question and var.lower() == inst.group_question.lower():
            try:
                label = text_in(inst.group(v if not float(v).is_integer() else int(v)).label, lang, inst.default_language)
            except (KeyError, TypeError, ValueError):
                label = None
        labels.append(label or resp.value_label(var, v))
    return var, labels


def open_answers(resp, secret: str, by: str | None = None, questions=None, lang: str | None = None) -> pd.DataFrame:
    """One row per non-empty open answer to a question the codebook applies to.

    Columns ``key`` (pseudonymous), ``group`` (label of the respondent's group), ``question``,
    ``answer`` (the text in full); rows in questionnaire order, then data order. The respondent id
    never appears.
    """
    inst = resp.instrument
    if inst is None:
        raise OptionError("a definition with a codebook is needed", param="instrument")
    if not inst.themes:
        raise OptionError(f"the definition {inst.id!r} has no codebook of themes", param="instrument")
    lang = lang or inst.default_language
    if lang not in inst.languages:
        raise OptionError(f"{lang!r} is not a language of the definition ({', '.join(inst.languages)})", param="lang")
    rid = resp.resolve(inst.respondent_id)
    ids = resp.data[rid]
    if ids.isna().any():
        raise DataError(f"{int(ids.isna().sum())} respondents have no {rid}; every answer needs a respondent id")
    if ids.duplicated().any():
        raise DataError(f"duplicate respondent ids in {rid} (e.g. {format_code(ids[ids.duplicated()].iloc[0])}); "
                        "check the data with coprod import first")
    keys = respondent_keys(ids.tolist(), secret)
    _, groups = group_labels(resp, inst, by, lang)
    rows = []
    for q in _open_questions(inst, questions):
        if q.name not in resp.data.columns:
            continue
        for key, group, text in zip(keys, groups, resp.data[q.name].tolist()):
            if isinstance(text, str) and text.strip():
                rows.append((key, group, q.name, text))
    return pd.DataFrame(rows, columns=ANSWER_COLUMNS)


def key_table(resp, secret: str) -> pd.DataFrame:
    """``key`` beside the data's row index, for linking coded answers back to the data."""
    rid = resp.resolve(resp.instrument.respondent_id if resp.instrument else "resp_id")
    return pd.DataFrame({"key": respondent_keys(resp.data[rid].tolist(), secret)}, index=resp.data.index)
