"""Checking responses against the questionnaire: one row per problem, vectorised per variable.

:func:`validate` never changes the data.  It lists, for each problem, the variable, the data row
(1-based: the first row after a header is row 1) and file it was found in, the respondent id, a short
kind of problem and, for coded and numeric variables only, the offending value (free text is never
copied into a report).

>>> import pandas as pd, instrument
>>> from coprod.analysis.data.responses import Responses
>>> inst = instrument.builtin()
>>> data = pd.DataFrame({"resp_id": [1, 2, 2], "role": [1, 7, 3], "years": [5, None, 4],
...                      "fa1": [5, -8, 2], "fa2": [4, 9, 1], "fa3": [1, 2, 3]})
>>> rep = validate(Responses(data), inst)
>>> {k: n for k, n in rep.summary.items() if k != "missing_variable"}  # the other questions have no column here
{'duplicate_id': 2, 'invalid_code': 2, 'not_asked': 1}
>>> shown = rep.table[rep.table["problem"] != "missing_variable"]
>>> for r in shown[["row", "variable", "problem", "value"]].itertuples(index=False):
...     print(*r)
2 fa2 invalid_code 9.0
2 resp_id duplicate_id None
2 role invalid_code 7.0
3 resp_id duplicate_id None
3 years not_asked 4.0
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from coprod.analysis.data.dates import date_values
from coprod.analysis.data.loaded import META_PREFIX, SOURCE_VAR, empty_cells
from coprod.analysis.data.problems import CLEARED, COLUMNS, MAX_MAGNITUDE, PROBLEMS, ValidationReport
from coprod.analysis.data.responses import Responses
from coprod.instrument.errors import OptionError

__all__ = ["CLEARED", "COLUMNS", "PROBLEMS", "ValidationReport", "validate"]
_TEXT_PREVIEW = 12


def validate(responses: Responses, instrument=None) -> ValidationReport:
    """Check ``responses`` against ``instrument`` (default: the one they were read with).

    The checks run in turn, each adding the rows of its kinds of problem: the columns, the values of
    each variable, skip logic and required answers, respondent ids, what the files say about
    themselves, and what reading them found.
    """
    instrument = instrument if instrument is not None else responses.instrument
    if instrument is None:
        raise OptionError("checking needs a questionnaire definition", param="instrument")
    found = _Found(responses, instrument)
    _check_columns(found, instrument)
    values = _check_values(found, instrument)
    _check_skip_logic(found, instrument, values)
    _check_ids(found)
    _check_origin(found, responses, instrument)
    _check_read_problems(found, responses)
    return _assemble(found)


class _Found:
    """The data being checked, where each row came from, and the problems found so far."""

    def __init__(self, responses: Responses, instrument):
        df = self.df = responses.data
        n = self.n = len(df)
        rows = getattr(responses, "row_numbers", None)
        self.rows = np.asarray(rows) if rows is not None and len(rows) == n else np.arange(1, n + 1)
        fidx = getattr(responses, "file_index", None)
        self.fidx = np.asarray(fidx) if fidx is not None and len(fidx) == n else np.zeros(n, dtype=int)
        self.files = np.array([Path(s).name for s in (responses.sources or [""])] or [""], dtype=object)
        self.col_of = {str(c).lower(): c for c in df.columns}
        self.rid = self.col_of.get(instrument.respondent_id.lower())
        self.ids = df[self.rid].to_numpy(dtype=object) if self.rid is not None else np.full(n, None, dtype=object)
        self.parts: list[dict] = []
        self.notes: list[str] = []
        self.text: dict = {}  # variable -> cells of text where a number is asked (reported; not also unanswered)

    def add(self, positions, variable, problem, values=None, count=1, detail=""):
        """Problems at 0-based row ``positions`` of one variable."""
        positions = np.asarray(positions, dtype=np.int64)
        if positions.size == 0:
            return
        self.parts.append({"pos": positions, "variable": variable, "problem": problem,
                           "value": values if values is not None else np.full(positions.size, None, dtype=object),
                           "count": count, "detail": detail})

    def add_whole(self, variable, problem, count=0, detail="", file=""):
        """A problem of a whole variable or file (row 0)."""
        self.parts.append({"pos": np.array([-1]), "variable": variable, "problem": problem,
                           "value": np.array([None], dtype=object), "count": count, "detail": detail, "file": file})


def _check_columns(found: _Found, instrument) -> None:
    """unknown_variable for columns the questionnaire does not define; missing_variable for the id."""
    known = {v.name.lower() for v in instrument.variables} | {instrument.respondent_id.lower(), SOURCE_VAR}
    known |= {s.lower() for s in instrument.scales}
    items = {i.lower() for s in instrument.scales.values() for i in s.items}
    for c in found.df.columns:
        low = str(c).lower()
        if low in known or low.startswith(META_PREFIX) or (low.endswith("_r") and low[:-2] in items):
            continue
        found.add_whole(str(c), "unknown_variable", int(found.df[c].notna().sum()), "kept as it is")
    if found.rid is None:
        found.add_whole(instrument.respondent_id, "missing_variable", found.n, "no respondent id column")


@dataclass
class _Values:
    """What the value checks leave for the skip-logic checks."""

    valid: dict = field(default_factory=dict)     # name -> float array with only valid answers (else NaN), or text with empties NaN
    answered: dict = field(default_factory=dict)  # name -> bool: any non-empty value (missing codes count as answered)
    present: set = field(default_factory=set)     # the instrument's variables that have a column


def _check_values(found: _Found, instrument) -> _Values:
    """missing_variable, and each variable's values by its kind: dates, text, codes and numbers."""
    out = _Values()
    for v in instrument.variables:
        c = found.col_of.get(v.name.lower())
        if c is None:
            found.add_whole(v.name, "missing_variable", found.n, "no column in the data")
            continue
        out.present.add(v.name)
        col = found.df[c]
        if v.kind == "date":
            out.answered[v.name], out.valid[v.name] = _check_date(found, v, col)
        elif v.kind != "numeric":
            empty = empty_cells(col)
            out.answered[v.name], out.valid[v.name] = ~empty, col.where(~empty)
        else:
            out.answered[v.name], out.valid[v.name] = _check_numeric(found, v, col)
    return out


def _check_date(found: _Found, v, col: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """not_date; returns (answered, valid dates)."""
    dates, bad = date_values(col)
    if bad.any():
        pos = np.flatnonzero(bad)
        raw = col.astype("string").to_numpy()
        found.add(pos, v.name, "not_date", np.array([_preview(t) for t in raw[pos]], dtype=object),
                  detail="expected a date such as 2024-05-31 or 31.5.2024")
    return dates.notna().to_numpy() | bad, dates.where(~pd.Series(bad, index=dates.index))


def _check_numeric(found: _Found, v, col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """not_numeric, invalid_code, not_integer, out_of_range; returns (answered, valid values)."""
    n = found.n
    text = np.zeros(n, dtype=bool)  # cells of text: answered (no required_missing after their not_numeric)
    if pd.api.types.is_numeric_dtype(col):
        x = col.to_numpy(dtype=float, na_value=np.nan)
    else:
        x = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        raw = col.astype("string").str.strip()
        bad = (np.isnan(x) & col.notna().to_numpy() & (raw != "").fillna(False).to_numpy(dtype=bool))
        if bad.any():
            pos = np.flatnonzero(bad)
            found.add(pos, v.name, "not_numeric", np.array([_preview(t) for t in raw.to_numpy()[pos]], dtype=object))
            text = bad
    has = ~np.isnan(x)
    with np.errstate(invalid="ignore"):
        huge = has & ~(np.abs(x) <= MAX_MAGNITUDE)
    if huge.any():
        found.add(np.flatnonzero(huge), v.name, "not_finite", x[huge].astype(object),
                  detail=f"expected a finite number within ±{MAX_MAGNITUDE:.0e}")
    miss = np.isin(x, np.asarray(v.missing_codes, dtype=float)) if v.missing_codes else np.zeros(n, dtype=bool)
    ok = has & ~miss & ~huge
    if v.option is not None:
        bad = ok & ~np.isin(x, (0.0, 1.0))
        found.add(np.flatnonzero(bad), v.name, "invalid_code", x[bad].astype(object), detail="expected 0 or 1")
    elif v.question.choices is not None:
        bad = ok & ~np.isin(x, np.asarray(v.question.choices.codes, dtype=float))
        found.add(np.flatnonzero(bad), v.name, "invalid_code", x[bad].astype(object), detail=_codes_text(v))
    else:
        bad = _check_number_range(found, v, x, ok)
    found.text[v.name] = text
    return has, np.where(ok & ~bad, x, np.nan)


def _check_number_range(found: _Found, v, x: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """not_integer and out_of_range for a number question; returns the mask of bad values."""
    bad = np.zeros(found.n, dtype=bool)
    if v.question.type == "integer":
        with np.errstate(invalid="ignore"):
            frac = ok & (np.mod(x, 1) != 0)
        found.add(np.flatnonzero(frac), v.name, "not_integer", x[frac].astype(object))
        bad |= frac
    lo, hi = v.min, v.max
    with np.errstate(invalid="ignore"):
        rng = ok & ~bad & (((x < lo) if lo is not None else False) | ((x > hi) if hi is not None else False))
    rng = np.asarray(rng, dtype=bool)
    if rng.any():
        found.add(np.flatnonzero(rng), v.name, "out_of_range", x[rng].astype(object),
                  detail=f"expected {_num(lo) if lo is not None else ''}..{_num(hi) if hi is not None else ''}")
    return bad | rng


def _check_skip_logic(found: _Found, instrument, values: _Values) -> None:
    """not_asked for answers the skip logic rules out; required_missing for asked questions left empty."""
    n = found.n
    # copy=False: the columns are only read, and stacking them into one block costs as much as the checks
    vframe = pd.DataFrame(dict(values.valid), index=found.df.index, copy=False) if values.valid \
        else pd.DataFrame(index=found.df.index)
    for sec in instrument.sections:
        for q in sec.questions:
            qvars = [name for name in q.variable_names() if name in values.present] if q.stores_data else []
            if not qvars:
                continue
            conds = [e for e in (sec.relevant, q.relevant) if e is not None]
            asked_known = _asked(found, q, conds, instrument, vframe, values.answered)
            if asked_known is None:
                continue
            asked, known_cond = asked_known
            if conds:
                skipped = ~asked & known_cond
                for name in qvars:
                    vals = values.valid[name]
                    has_valid = vals.notna().to_numpy() if isinstance(vals, pd.Series) else ~np.isnan(vals)
                    hit = skipped & has_valid
                    if hit.any():
                        shown = vals[hit].astype(object) if not isinstance(vals, pd.Series) else None
                        found.add(np.flatnonzero(hit), name, "not_asked", shown, detail=f"asked only if {_cond_text(conds, instrument)}")
            if q.required:
                none = np.ones(n, dtype=bool)
                for name in qvars:
                    none &= ~(values.answered[name] | found.text.get(name, False))
                found.add(np.flatnonzero(none & asked), q.name, "required_missing")


def _asked(found: _Found, q, conds, instrument, vframe: pd.DataFrame, answered: dict):
    """(rows that were asked ``q``, rows whose conditions could be judged); None, with a note, when the
    conditions cannot be evaluated on these data."""
    n = found.n
    asked = np.ones(n, dtype=bool)
    known_cond = np.ones(n, dtype=bool)
    for e in conds:
        cols = _condition_columns(e, instrument)
        if any(cname not in vframe.columns for group in cols.values() for cname in group):
            found.notes.append(f"{q.name}: skip logic not checked (its condition needs {', '.join(sorted(cols))}, not all in the data)")
            return None
        try:
            asked &= np.asarray(e.evaluate(vframe), dtype=bool)
        except Exception as exc:  # an expression that does not fit these data
            found.notes.append(f"{q.name}: skip logic not checked ({exc})")
            return None
        for group in cols.values():
            any_ans = np.zeros(n, dtype=bool)
            for cname in group:
                any_ans |= answered.get(cname, vframe[cname].notna().to_numpy())
            known_cond &= any_ans
    return asked, known_cond


def _check_ids(found: _Found) -> None:
    """missing_id and duplicate_id."""
    if found.rid is None:
        return
    idcol = found.df[found.rid]
    empty = empty_cells(idcol)
    found.add(np.flatnonzero(empty), found.rid, "missing_id")
    if pd.api.types.is_numeric_dtype(idcol):
        key = idcol
    else:  # ids from several files may be numbers in one and text in another: 2.0 and "2" are the same
        key = idcol.astype(object).map(_id_text, na_action="ignore").astype("string").str.strip().str.lower()
    dup = key.duplicated(keep=False).to_numpy(dtype=bool) & ~empty
    if dup.any():
        pos = np.flatnonzero(dup)
        sizes = key[dup].map(key[dup].value_counts()).to_numpy(dtype=int)
        found.add(pos, found.rid, "duplicate_id", count=sizes)


def _check_origin(found: _Found, responses: Responses, instrument) -> None:
    """version_mismatch: a file made for another questionnaire or version."""
    origin = getattr(responses, "origin", None) or {}
    origins = origin.get("files") or [origin]
    for i, o in enumerate(origins):
        fname = found.files[i] if i < len(found.files) else ""
        iid, iver = o.get("instrument_id"), o.get("instrument_version")
        if iid and iid != instrument.id:
            found.add_whole("", "version_mismatch", found.n, f"made for questionnaire {iid}, checked against {instrument.id}", fname)
        elif iver and str(iver) != str(instrument.version):
            found.add_whole("", "version_mismatch", found.n, f"made for version {iver}, checked against {instrument.version}", fname)


def _check_read_problems(found: _Found, responses: Responses) -> None:
    """What reading the files found (formula cells without a value, codes that are no option)."""
    read_problems = list(getattr(responses, "problems", None) or [])
    if not read_problems:
        return
    files = found.files.tolist()
    where = {(int(f), int(r)): i for i, (f, r) in enumerate(zip(found.fidx, found.rows))}
    for rp in read_problems:
        fi = files.index(rp.file) if rp.file in files else 0
        pos = where.get((fi, int(rp.row)), -1)
        found.parts.append({"pos": np.array([pos]), "variable": rp.variable, "problem": rp.problem,
                            "value": np.array([rp.value], dtype=object), "count": 1, "detail": rp.detail,
                            "row": np.array([rp.row]), "file": rp.file or (files[0] if len(files) else "")})


def _assemble(found: _Found) -> ValidationReport:
    """The report: one row per problem found, with its file, row and respondent id, in a stable order."""
    parts, rows, fidx, files, ids, n, notes = found.parts, found.rows, found.fidx, found.files, found.ids, found.n, found.notes
    if not parts:
        return ValidationReport.empty(n, notes)
    pos = np.concatenate([p["pos"] for p in parts])
    whole = pos < 0
    safe = np.where(whole, 0, pos)
    if n:
        row = np.where(whole, 0, rows[safe])
        fcol = files[fidx[safe]] if len(files) else np.full(pos.size, "", dtype=object)
        idv = np.where(whole, None, ids[safe])
    else:
        row = np.zeros(pos.size, dtype=int)
        fcol = np.full(pos.size, "", dtype=object)
        idv = np.full(pos.size, None, dtype=object)
    fcol = np.where(whole, "", fcol).astype(object)
    rowcol = row.astype(np.int64)
    offset = 0
    for p in parts:
        k = p["pos"].size
        if "file" in p:
            fcol[offset:offset + k] = p["file"]
        if "row" in p:
            rowcol[offset:offset + k] = p["row"]
        offset += k
    table = pd.DataFrame({
        "file": fcol,
        "row": rowcol,
        "respondent_id": np.array([_id_text(v) for v in idv] + [None], dtype=object)[:-1],
        "variable": np.concatenate([np.full(p["pos"].size, p["variable"], dtype=object) for p in parts]),
        "problem": np.concatenate([np.full(p["pos"].size, p["problem"], dtype=object) for p in parts]),
        "value": np.concatenate([np.asarray(p["value"], dtype=object) for p in parts]),
        "count": np.concatenate([np.broadcast_to(np.asarray(p["count"], dtype=np.int64), p["pos"].shape) for p in parts]),
        "detail": np.concatenate([np.full(p["pos"].size, p["detail"], dtype=object) for p in parts]),
    })
    order = np.lexsort((table["problem"].to_numpy(dtype=str), table["variable"].to_numpy(dtype=str),
                        table["row"].to_numpy(), table["file"].to_numpy(dtype=str)))
    table = table.iloc[order].reset_index(drop=True)
    return ValidationReport(table, pos[order], n, notes)


def _id_text(v):
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    return v


def _preview(text) -> str:
    if text is None or text is pd.NA:
        return ""
    t = str(text)
    return t if len(t) <= _TEXT_PREVIEW else f"(text, {len(t)} characters)"


def _num(x) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _codes_text(v) -> str:
    codes = [_num(c) for c in v.question.choices.codes]
    miss = [_num(c) for c in v.missing_codes]
    return "expected " + ", ".join(codes) + (f" or missing {', '.join(miss)}" if miss else "")


def _cond_text(conds, instrument) -> str:
    """The conditions in words (``Role in the service = Volunteer``), never in SPSS or XPath syntax."""
    from coprod.instrument.words import in_words

    lang = "en" if "en" in instrument.languages else instrument.default_language
    return " and ".join(in_words(instrument, e, lang) for e in conds)


def _condition_columns(expr, instrument) -> dict:
    """{question name in the condition: the data columns it needs}."""
    out = {}
    for name in expr.names():
        try:
            q = instrument.question(name)
        except KeyError:
            out[name] = [name]
            continue
        out[name] = list(q.variable_names()) if q.type == "multiple" else [q.name]
    return out


# ``analysis.validate`` names both this module and the function (the package exports the function, and
# importing the module rebinds the package attribute): make the module callable so either works.
class _CallableModule(__import__("types").ModuleType):
    def __call__(self, *args, **kwargs):
        return validate(*args, **kwargs)


__import__("sys").modules[__name__].__class__ = _CallableModule
