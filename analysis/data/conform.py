"""Conforming data read from any file to the questionnaire: names, multiple-choice columns, codes, labels.

:func:`conform` is what :func:`~coprod.analysis.data.read.load_responses` does when it is given an
instrument; :func:`to_numbers` is also used on files combined by ``coprod import``.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from coprod.analysis.data.dates import parse_dates, zoned_count
from coprod.analysis.data.labels import LABEL_FIELDS, label_from_instrument
from coprod.analysis.data.loaded import META_PREFIX, NA_TOKENS, LoadedResponses, ReadProblem
from coprod.analysis.data.read_table import infer_column
from coprod.analysis.data.responses import Responses
from coprod.instrument.model import format_code
from coprod.instrument.words import plural

_PATH_SPLIT = re.compile(r"[/\-.:]")  # group paths: section/q1 (Kobo), section-q1 (ODK Central)
_PREVIEW = 20
_CODE_LABEL = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(?:=|:|-|–|\.|\))\s*\S")


def conform(res: Responses, instrument) -> Responses:
    """Map ``res`` to ``instrument`` in place: names, multiple-choice columns, numbers, labels.

    Columns are matched case-insensitively; group paths (``section/q1``, ``section-q1``) are stripped
    when the last part names a variable; ``q/2`` and ``q.2`` become ``q_2``; a multiple-choice answer
    given as space-separated codes in one column ``q`` is expanded to the 0/1 columns ``q_<code>``.
    Labels, missing codes and measurement levels are the instrument's
    (:func:`~coprod.analysis.data.labels.label_from_instrument`).
    """
    from coprod.analysis.data.odk import odk_form_columns

    odk_form_columns(res, instrument)
    rename, expand = _plan_columns(res, instrument)
    df = res.data.rename(columns=rename) if rename else res.data
    res.data = _expand_columns(df, expand, res)
    to_numbers(res, instrument)
    labelled = label_from_instrument(res, instrument)
    for name in LABEL_FIELDS:
        setattr(res, name, getattr(labelled, name))
    res.instrument = instrument
    return res


def _plan_columns(res: Responses, instrument) -> tuple[dict, dict]:
    """({column: the instrument's name for it}, {column of space-separated codes: its multiple-choice question})."""
    multiples = {q.name.lower(): q for q in instrument.questions if q.type == "multiple" and q.choices is not None}
    targets = {v.name.lower(): v.name for v in instrument.variables}
    for q in instrument.questions:  # Kobo/ODK data name the questions as the XLSForm did (tel.office, long names)
        if q.xls_name != q.name and q.xls_name.lower() not in targets:
            if q.type == "multiple" and q.choices is not None:
                multiples.setdefault(q.xls_name.lower(), q)
            elif q.stores_data:
                targets[q.xls_name.lower()] = q.name
    targets[instrument.respondent_id.lower()] = instrument.respondent_id
    rename: dict = {}
    expand: dict = {}
    claimed = {str(c).lower() for c in res.data.columns if str(c).lower() in targets}
    helpers = {f"{q.name.lower()}__{lang}" for q in instrument.questions for lang in instrument.languages}
    for c in list(res.data.columns):
        name = str(c)
        if name.startswith(META_PREFIX) and name.lower() not in targets:
            continue
        tail = _PATH_SPLIT.split(name.lower())[-1]
        if tail in helpers and tail not in targets and getattr(res, "origin", {}).get("odk"):
            rename[c] = META_PREFIX + tail  # the form's wording calculates (fa1__en): not answers
            continue
        target = _match(name, targets, multiples)
        if target is None:
            continue
        kind, canon = target
        if kind == "multi":
            expand[c] = multiples[canon.lower()]
            continue
        if canon == name:
            continue
        if name.lower() == canon.lower():
            rename[c] = canon
            continue
        if canon.lower() in claimed:
            res.notes.append(f"column {name!r} also matches {canon!r}: kept under its own name")
            continue
        rename[c] = canon
        claimed.add(canon.lower())
    return rename, expand


def _expand_columns(df: pd.DataFrame, expand: dict, res) -> pd.DataFrame:
    """Each column of space-separated codes becomes its question's 0/1 columns, in its place."""
    twice = []
    for col, q in expand.items():
        present = [n for n in q.variable_names() if n in df.columns]
        if present:  # Kobo exports both "1 3" and one 0/1 column per option: keep the 0/1 columns
            scratch = LoadedResponses(data=pd.DataFrame(index=df.index), row_numbers=res.row_numbers)
            again = _expand_multiple(df[col], q, scratch)
            same = all(_same_answers(again[n], df[n]) for n in present)
            if same and not scratch.problems:
                df = df.drop(columns=[col])
                twice.append(str(col))
            else:
                df = df.rename(columns={col: f"{q.name}_text"})
                res.notes.append(f"{col}: differs from the 0/1 columns of {q.name}: kept as {q.name}_text")
            continue
        new = _expand_multiple(df[col], q, res)
        pos = list(df.columns).index(col)
        df = pd.concat([df.iloc[:, :pos], new, df.iloc[:, pos + 1:]], axis=1)
    if twice:
        res.notes.append(f"multiple-choice answers also given as one column of codes, the same as their 0/1 columns "
                         f"(not kept twice): {', '.join(twice[:5])}{', ...' if len(twice) > 5 else ''}")
    return df


def _match(name: str, targets: dict, multiples: dict):
    low = name.lower().strip()
    if low in multiples:
        return ("multi", multiples[low].name)
    if low in targets:
        return ("var", targets[low])
    tail = low.rsplit("/", 1)[-1]  # group/tel.office: the XLSForm name after the group path
    if tail in multiples:
        return ("multi", multiples[tail].name)
    if tail in targets:
        return ("var", targets[tail])
    for sep in ("/", "."):  # an option's 0/1 column by its choice name: q/opt (Kobo), q.opt (R, SPSS exports)
        head, _, opt = low.rpartition(sep)
        q = multiples.get(_PATH_SPLIT.split(head)[-1]) if head else None
        if q is not None:
            for var, c in zip(q.variable_names(), q.choices.options):
                if opt in (c.xls_name.lower(), format_code(c.code)):
                    return ("var", var)
    parts = [x for x in _PATH_SPLIT.split(low) if x]
    if len(parts) < 2:
        return None
    last = parts[-1]
    if last in multiples:
        return ("multi", multiples[last].name)
    if last in targets:
        return ("var", targets[last])
    if parts[-2] in multiples:
        cand = f"{parts[-2]}_{last}"
        if cand in targets:
            return ("var", targets[cand])
    return None


def _expand_multiple(col: pd.Series, q, res) -> pd.DataFrame:
    """Space-separated codes ("1 3") -> one 0/1 column per option; empty answer -> missing."""
    s = col.astype("string").str.strip()
    s = s.where(~s.isin(NA_TOKENS), pd.NA)
    answered = s.notna().to_numpy()
    tokens = s.fillna("").str.split()
    codes = [format_code(c.code) for c in q.choices.options]
    out = {}
    known = set()
    for var, code in zip(q.variable_names(), codes):
        opt = q.choices.options[codes.index(code)]
        labels = {code.lower(), opt.xls_name.lower()} | {str(t).lower() for t in opt.label.values() if t}
        known |= labels
        hit = tokens.map(lambda toks, labels=labels: any(t.lower() in labels for t in toks)).to_numpy(dtype=bool)
        out[var] = np.where(answered, hit.astype(float), np.nan)
    odd = tokens[answered].map(lambda toks: [t for t in toks if t.lower() not in known])
    bad = odd[odd.map(len) > 0]
    if len(bad):
        rows = res.row_numbers if res.row_numbers is not None else np.arange(1, len(col) + 1)
        for idx, toks in bad.items():
            res.problems.append(ReadProblem("invalid_code", str(col.name), int(rows[col.index.get_loc(idx)]),
                                            "not an option of this question", _source_name(res),
                                            " ".join(toks)[:_PREVIEW]))
    return pd.DataFrame(out, index=col.index)


def _source_name(res) -> str:
    return Path(res.sources[0]).name if res.sources else ""


_TRUTH = {"true": 1.0, "false": 0.0}  # R and Excel write an option's 0/1 column as TRUE/FALSE


def to_numbers(res: Responses, instrument) -> None:
    """Numeric variables of the instrument become float columns; codes given as XLSForm choice names
    (``yes``) or as labels are mapped, with one note for each way.

    Dates become dates where every cell is one; text that is no number stays beside the numbers
    (the checks report it as ``not_numeric``).
    """
    df = res.data
    lang = instrument.default_language
    mapped: dict = {"names": [], "labels": []}
    dtypes = df.dtypes.to_dict()
    for v in instrument.variables:
        if v.kind == "numeric" and dtypes.get(v.name) == np.float64:  # read as numbers (SPSS, Stata): as it is
            continue
        if v.name in dtypes and v.kind == "date":
            parsed = parse_dates(df[v.name])
            zoned = zoned_count(df[v.name]) if parsed is not None else 0
            if zoned:
                res.notes.append(f"{v.name}: {zoned:,} times given with a time zone, read in UTC")
            if parsed is not None:
                df[v.name] = parsed
            continue
        if v.name not in df.columns or v.kind != "numeric":
            continue
        col = df[v.name]
        if v.option is not None and not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            truth = col.map(lambda x: _TRUTH.get(str(x).strip().lower()) if isinstance(x, (str, bool, np.bool_)) else x)
            if truth.notna().sum() == col.map(lambda x: isinstance(x, (bool, np.bool_)) or str(x).strip().lower() in _TRUTH).sum() > 0:
                col = truth
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            if col is not df[v.name] or col.dtype != np.float64:
                df[v.name] = col.astype(float)
            continue
        num = infer_column(col, decimal_comma=True, keep_zeros=False)
        if pd.api.types.is_numeric_dtype(num):
            df[v.name] = num
            continue
        df[v.name], how = _codes_from_text(col, v)
        if how:
            mapped[how].append(v.name)
    for how, names in mapped.items():
        if names:
            what = "XLSForm choice names" if how == "names" else f"labels ({lang})"
            shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
            res.notes.append(f"answers given as {what} turned into codes: {plural(len(names), 'variable')} ({shown})")
    res.data = df


def _codes_from_text(col: pd.Series, v) -> tuple[pd.Series, str]:
    """(codes read from XLSForm choice names ("yes"), labels ("Agree") or "4 = Agree", "names" or "labels"
    when either was used, else "").

    Where some text is no code, the result keeps that text beside the numbers (object column).
    """
    lookup, names = {}, {}
    for code, text in v.value_labels.items():
        for t in text.values():
            if t:
                lookup[str(t).strip().lower()] = float(code)
    for c in (v.question.choices.all if v.question.choices is not None and v.option is None else ()):
        if c.name:
            names[c.name.strip().lower()] = float(c.code)
    lookup.update(names)  # a choice name wins over a label spelled the same
    s = col.astype("string").str.strip()
    given = s.notna() & ~s.isin(NA_TOKENS)  # cells with something in them
    mapped = pd.to_numeric(s.str.replace(",", ".", regex=False), errors="coerce")
    need = mapped.isna() & given
    if need.any() and lookup:
        mapped = mapped.where(~need, s.str.lower().map(lookup))
        need = mapped.isna() & given
    if need.any():
        lead = s[need].str.extract(_CODE_LABEL, expand=False).str.replace(",", ".", regex=False)
        mapped = mapped.where(~need, pd.to_numeric(lead, errors="coerce").reindex(mapped.index))
        need = mapped.isna() & given
    if need.any():
        mixed = mapped.astype(object)
        mixed[need] = s[need].astype(object)
        return mixed, ""
    low = s.str.lower()
    how = "names" if names and low.isin(names.keys()).any() else "labels" if lookup and low.isin(lookup.keys()).any() else ""
    return mapped.astype(float), how


def _same_answers(a: pd.Series, b: pd.Series) -> bool:
    """Two 0/1 columns agree wherever both have a value."""
    x = pd.to_numeric(a, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    y = pd.to_numeric(b, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    both = ~np.isnan(x) & ~np.isnan(y)
    return bool(np.array_equal(x[both], y[both]))
