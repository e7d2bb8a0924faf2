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
from coprod.analysis.data.responses import Responses
from coprod.instrument.errors import OptionError

#: Every kind of problem, with what it means (the report's ``problem`` column).
PROBLEMS = {
    "unknown_variable": "a column the questionnaire does not define (kept as it is)",
    "missing_variable": "a questionnaire variable with no column in the data",
    "absent_in_file": "a column missing from one of several combined files (missing for that file's rows)",
    "label_conflict": "the same code has different value labels in different files",
    "invalid_code": "a code that is neither an answer option nor a missing code",
    "out_of_range": "a number below the question's min or above its max",
    "not_integer": "a fraction where a whole number is asked",
    "not_numeric": "text where a code or number is asked",
    "not_date": "text that is not a date where a date is asked",
    "not_asked": "an answer where the skip logic says the question was not asked (missing codes there are fine)",
    "required_missing": "no answer to a required question that was asked",
    "missing_id": "a row without a respondent id",
    "duplicate_id": "a respondent id used on more than one row",
    "version_mismatch": "the file was made for another questionnaire or version",
    "formula_no_value": "a spreadsheet formula without a stored result",
    "scale_not_scored": "a scale could not be scored (items missing from the data)",
}
#: Problems whose values are set to system-missing when data are cleaned.
CLEARED = ("invalid_code", "out_of_range", "not_integer", "not_numeric", "not_date", "not_asked")
COLUMNS = ["file", "row", "respondent_id", "variable", "problem", "value", "count", "detail"]
_TEXT_PREVIEW = 12


@dataclass
class ValidationReport:
    """What :func:`validate` found.

    ``table`` has one row per problem with the columns ``file``, ``row`` (1-based data row in that
    file; 0 for a whole variable or file), ``respondent_id``, ``variable``, ``problem``, ``value``
    (coded/numeric variables only), ``count`` (how many values the row stands for) and ``detail``.
    ``positions`` holds each row's 0-based position in the data (-1 for whole-variable problems).
    """

    table: pd.DataFrame
    positions: np.ndarray
    n_rows: int = 0
    notes: list = field(default_factory=list)

    @property
    def summary(self) -> dict:
        """{problem kind: number of report rows}, kinds in alphabetical order."""
        if self.table.empty:
            return {}
        counts = self.table["problem"].value_counts()
        return {k: int(counts[k]) for k in sorted(counts.index)}

    @property
    def ok(self) -> bool:
        return self.table.empty

    def __len__(self) -> int:
        return len(self.table)

    def cells(self, kinds=CLEARED) -> dict:
        """{variable: 0-based row positions} of the values of the given kinds of problem."""
        mask = self.table["problem"].isin(kinds).to_numpy() & (self.positions >= 0)
        if not mask.any():
            return {}
        sub = pd.DataFrame({"v": self.table["variable"].to_numpy()[mask], "p": self.positions[mask]})
        return {v: g["p"].to_numpy() for v, g in sub.groupby("v", sort=False)}

    def extend(self, rows: list[dict]) -> None:
        """Add problems found outside :func:`validate` (e.g. while combining files)."""
        if not rows:
            return
        extra = pd.DataFrame([{c: r.get(c, "" if c in ("file", "detail", "variable") else None) for c in COLUMNS} for r in rows])
        extra["row"] = extra["row"].fillna(0).astype(int)
        extra["count"] = extra["count"].fillna(1).astype(int)
        self.table = pd.concat([self.table, extra], ignore_index=True) if len(self.table) else extra
        self.positions = np.concatenate([self.positions, np.full(len(extra), -1)])

    def write(self, path, force: bool = False) -> Path:
        """Write the report as ``.csv`` or ``.xlsx`` (problems, plus a summary sheet in Excel)."""
        from coprod.instrument.files import atomic_path, safe_text

        p = Path(path)
        ext = p.suffix.lower()
        if ext not in (".csv", ".xlsx"):
            raise OptionError(f"{p}: a report is written as .csv or .xlsx")
        table = self.table.copy()
        for c in ("file", "variable", "detail", "respondent_id", "value"):
            table[c] = table[c].map(lambda v: safe_text(v) if isinstance(v, str) else v)
        with atomic_path(p, force) as tmp:
            if ext == ".csv":
                table.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
            else:
                _write_xlsx(tmp, table, self.summary)
        return p


def _write_xlsx(tmp: Path, table: pd.DataFrame, summary: dict) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Summary")

    def cell(sheet, v):
        if isinstance(v, float) and np.isnan(v):
            return None
        if isinstance(v, (np.integer, np.floating)):
            v = v.item()
        if isinstance(v, str):
            c = WriteOnlyCell(sheet, value=v)
            c.data_type = "s"
            return c
        return v

    ws.append([cell(ws, "problem"), cell(ws, "count"), cell(ws, "meaning")])
    for k, n in summary.items():
        ws.append([cell(ws, k), n, cell(ws, PROBLEMS.get(k, ""))])
    ps = wb.create_sheet("Problems")
    ps.append([cell(ps, c) for c in COLUMNS])
    for row in table[COLUMNS].itertuples(index=False):
        ps.append([cell(ps, v) for v in row])
    wb.save(tmp)


# ============================================================================ validate
def validate(responses: Responses, instrument=None) -> ValidationReport:
    """Check ``responses`` against ``instrument`` (default: the one they were read with)."""
    instrument = instrument if instrument is not None else responses.instrument
    if instrument is None:
        raise OptionError("checking needs a questionnaire definition", param="instrument")
    df = responses.data
    n = len(df)
    rows = getattr(responses, "row_numbers", None)
    rows = np.asarray(rows) if rows is not None and len(rows) == n else np.arange(1, n + 1)
    fidx = getattr(responses, "file_index", None)
    fidx = np.asarray(fidx) if fidx is not None and len(fidx) == n else np.zeros(n, dtype=int)
    files = np.array([Path(s).name for s in (responses.sources or [""])] or [""], dtype=object)
    col_of = {str(c).lower(): c for c in df.columns}
    rid = col_of.get(instrument.respondent_id.lower())
    ids = df[rid].to_numpy(dtype=object) if rid is not None else np.full(n, None, dtype=object)

    parts: list[dict] = []
    notes: list[str] = []

    def add(positions, variable, problem, values=None, count=1, detail=""):
        positions = np.asarray(positions, dtype=np.int64)
        if positions.size == 0:
            return
        parts.append({"pos": positions, "variable": variable, "problem": problem,
                      "value": values if values is not None else np.full(positions.size, None, dtype=object),
                      "count": count, "detail": detail})

    def add_whole(variable, problem, count=0, detail="", file=""):
        parts.append({"pos": np.array([-1]), "variable": variable, "problem": problem,
                      "value": np.array([None], dtype=object), "count": count, "detail": detail, "file": file})

    # -- columns
    known = {v.name.lower() for v in instrument.variables} | {instrument.respondent_id.lower(), "source_file"}
    known |= {s.lower() for s in instrument.scales}
    items = {i.lower() for s in instrument.scales.values() for i in s.items}
    for c in df.columns:
        low = str(c).lower()
        if low in known or low.startswith("meta_") or (low.endswith("_r") and low[:-2] in items):
            continue
        add_whole(str(c), "unknown_variable", int(df[c].notna().sum()), "kept as it is")
    if rid is None:
        add_whole(instrument.respondent_id, "missing_variable", n, "no respondent id column")

    # -- values, variable by variable
    valid: dict = {}      # name -> float array with only valid answers (else NaN), or text with empties NaN
    answered: dict = {}   # name -> bool: any non-empty value (missing codes count as answered)
    present_vars = set()
    for v in instrument.variables:
        c = col_of.get(v.name.lower())
        if c is None:
            add_whole(v.name, "missing_variable", n, "no column in the data")
            continue
        present_vars.add(v.name)
        col = df[c]
        if v.kind == "date":
            dates, bad = date_values(col)
            if bad.any():
                pos = np.flatnonzero(bad)
                raw = col.astype("string").to_numpy()
                add(pos, v.name, "not_date", np.array([_preview(t) for t in raw[pos]], dtype=object),
                    detail="expected a date such as 2024-05-31 or 31.5.2024")
            answered[v.name] = dates.notna().to_numpy() | bad
            valid[v.name] = dates.where(~pd.Series(bad, index=dates.index))
            continue
        if v.kind != "numeric":
            s = col.astype("string")
            empty = (s.isna() | (s.str.strip() == "")).fillna(True).to_numpy(dtype=bool)
            answered[v.name] = ~empty
            valid[v.name] = col.where(~empty)
            continue
        if pd.api.types.is_numeric_dtype(col):
            x = col.to_numpy(dtype=float, na_value=np.nan)
        else:
            num = pd.to_numeric(col, errors="coerce")
            x = num.to_numpy(dtype=float, na_value=np.nan)
            raw = col.astype("string").str.strip()
            bad = (np.isnan(x) & col.notna().to_numpy() & (raw != "").fillna(False).to_numpy(dtype=bool))
            if bad.any():
                pos = np.flatnonzero(bad)
                add(pos, v.name, "not_numeric", np.array([_preview(t) for t in raw.to_numpy()[pos]], dtype=object))
        has = ~np.isnan(x)
        answered[v.name] = has
        miss = np.isin(x, np.asarray(v.missing_codes, dtype=float)) if v.missing_codes else np.zeros(n, dtype=bool)
        ok = has & ~miss
        if v.option is not None:
            bad = ok & ~np.isin(x, (0.0, 1.0))
            add(np.flatnonzero(bad), v.name, "invalid_code", x[bad].astype(object), detail="expected 0 or 1")
        elif v.question.choices is not None:
            codes = np.asarray(v.question.choices.codes, dtype=float)
            bad = ok & ~np.isin(x, codes)
            add(np.flatnonzero(bad), v.name, "invalid_code", x[bad].astype(object), detail=_codes_text(v))
        else:
            bad = np.zeros(n, dtype=bool)
            if v.question.type == "integer":
                frac = ok & (np.mod(x, 1) != 0)
                add(np.flatnonzero(frac), v.name, "not_integer", x[frac].astype(object))
                bad |= frac
            lo, hi = v.min, v.max
            with np.errstate(invalid="ignore"):
                rng = ok & ~bad & (((x < lo) if lo is not None else False) | ((x > hi) if hi is not None else False))
            rng = np.asarray(rng, dtype=bool)
            if rng.any():
                add(np.flatnonzero(rng), v.name, "out_of_range", x[rng].astype(object),
                    detail=f"expected {_num(lo) if lo is not None else ''}..{_num(hi) if hi is not None else ''}")
            bad |= rng
        valid[v.name] = np.where(ok & ~bad, x, np.nan)

    # -- skip logic and required answers
    # copy=False: the columns are only read, and stacking them into one block costs as much as the checks
    vframe = pd.DataFrame(dict(valid), index=df.index, copy=False) if valid else pd.DataFrame(index=df.index)
    for sec in instrument.sections:
        for q in sec.questions:
            if not q.stores_data:
                continue
            qvars = [name for name in q.variable_names() if name in present_vars]
            if not qvars:
                continue
            conds = [e for e in (sec.relevant, q.relevant) if e is not None]
            asked = np.ones(n, dtype=bool)
            known_cond = np.ones(n, dtype=bool)
            usable = True
            for e in conds:
                cols = _condition_columns(e, instrument)
                if any(cname not in vframe.columns for group in cols.values() for cname in group):
                    notes.append(f"{q.name}: skip logic not checked (its condition needs {', '.join(sorted(cols))}, not all in the data)")
                    usable = False
                    break
                try:
                    asked &= np.asarray(e.evaluate(vframe), dtype=bool)
                except Exception as exc:  # an expression that does not fit these data
                    notes.append(f"{q.name}: skip logic not checked ({exc})")
                    usable = False
                    break
                for group in cols.values():
                    any_ans = np.zeros(n, dtype=bool)
                    for cname in group:
                        any_ans |= answered.get(cname, vframe[cname].notna().to_numpy())
                    known_cond &= any_ans
            if not usable:
                continue
            if conds:
                skipped = ~asked & known_cond
                for name in qvars:
                    vals = valid[name]
                    has_valid = vals.notna().to_numpy() if isinstance(vals, pd.Series) else ~np.isnan(vals)
                    hit = skipped & has_valid
                    if hit.any():
                        shown = vals[hit].astype(object) if not isinstance(vals, pd.Series) else None
                        add(np.flatnonzero(hit), name, "not_asked", shown, detail=f"asked only if {_cond_text(conds)}")
            if q.required:
                none = np.ones(n, dtype=bool)
                for name in qvars:
                    none &= ~answered[name]
                hit = none & asked
                add(np.flatnonzero(hit), q.name, "required_missing")

    # -- respondent ids
    if rid is not None:
        idcol = df[rid]
        if pd.api.types.is_numeric_dtype(idcol):  # as text only when text: converting numbers costs more than the checks
            empty = idcol.isna().to_numpy(dtype=bool)
        else:
            s = idcol.astype("string")
            empty = (s.isna() | (s.str.strip() == "")).fillna(True).to_numpy(dtype=bool)
        add(np.flatnonzero(empty), rid, "missing_id")
        if pd.api.types.is_numeric_dtype(idcol):
            key = idcol
        else:  # ids from several files may be numbers in one and text in another: 2.0 and "2" are the same
            key = idcol.astype(object).map(_id_text, na_action="ignore").astype("string").str.strip().str.lower()
        dup = key.duplicated(keep=False).to_numpy(dtype=bool) & ~empty
        if dup.any():
            pos = np.flatnonzero(dup)
            sizes = key[dup].map(key[dup].value_counts()).to_numpy(dtype=int)
            parts.append({"pos": pos, "variable": rid, "problem": "duplicate_id",
                          "value": np.full(pos.size, None, dtype=object), "count": sizes, "detail": ""})

    # -- what the files say about themselves, and what reading found
    origin = getattr(responses, "origin", None) or {}
    origins = origin.get("files") or [origin]
    for i, o in enumerate(origins):
        fname = files[i] if i < len(files) else ""
        iid, iver = o.get("instrument_id"), o.get("instrument_version")
        if iid and iid != instrument.id:
            add_whole("", "version_mismatch", n, f"made for questionnaire {iid}, checked against {instrument.id}", fname)
        elif iver and str(iver) != str(instrument.version):
            add_whole("", "version_mismatch", n, f"made for version {iver}, checked against {instrument.version}", fname)
    read_problems = list(getattr(responses, "problems", None) or [])
    if read_problems:
        where = {(int(f), int(r)): i for i, (f, r) in enumerate(zip(fidx, rows))}
        for rp in read_problems:
            fi = files.tolist().index(rp.file) if getattr(rp, "file", "") in files.tolist() else 0
            pos = where.get((fi, int(rp.row)), -1)
            parts.append({"pos": np.array([pos]), "variable": rp.variable, "problem": rp.problem,
                          "value": np.array([rp.value if getattr(rp, "value", None) is not None else None], dtype=object),
                          "count": 1, "detail": rp.detail, "row": np.array([rp.row]),
                          "file": getattr(rp, "file", "") or (files[0] if len(files) else "")})

    return _assemble(parts, rows, fidx, files, ids, n, notes)


def _assemble(parts, rows, fidx, files, ids, n, notes) -> ValidationReport:
    if not parts:
        empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS})
        empty["row"] = empty["row"].astype(int)
        empty["count"] = empty["count"].astype(int)
        return ValidationReport(empty, np.array([], dtype=np.int64), n, notes)
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


def _cond_text(conds) -> str:
    return " and ".join(e.spss() for e in conds)


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
