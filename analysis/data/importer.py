"""``coprod import``: read one or more response files, combine, check, clean, score and write them.

No row is ever dropped (rows written = rows read); values the checks find invalid become
system-missing in the output and are listed in the report; input files are only read.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from coprod.analysis.data.conform import conform, to_numbers
from coprod.analysis.data.dates import parse_dates
from coprod.analysis.data.loaded import SOURCE_VAR, LoadedResponses
from coprod.analysis.data.problems import ValidationReport
from coprod.analysis.data.read import load_responses
from coprod.analysis.data.responses import Responses
from coprod.analysis.data.write import write_responses
from coprod.instrument.errors import DataError, OptionError
from coprod.instrument.words import plural


@dataclass
class ImportResult:
    """What :func:`import_responses` did."""

    responses: Responses
    report: ValidationReport
    rows_read: int
    rows_written: int
    files: list = field(default_factory=list)
    out: Path | None = None
    report_path: Path | None = None
    written: bool = False
    scored: list = field(default_factory=list)
    variables_read: int = 0

    @property
    def problems(self) -> dict:
        """{problem kind: count}."""
        return self.report.summary

    @property
    def n_problems(self) -> int:
        return len(self.report)

    def summary_lines(self) -> list[str]:
        """The terminal summary: rows read and written, problems per kind, files written."""
        r = self.responses
        lines = [f"read {plural(len(self.files), 'file')}: {self.rows_read:,} rows, "
                 f"{self.variables_read:,} variables"]
        inst = r.instrument
        if inst is not None:
            lines.append(f"checked against {inst.id} {inst.version}: "
                         + (plural(self.n_problems, "problem") if self.n_problems else "no problems"))
        elif self.n_problems:
            lines.append(f"{plural(self.n_problems, 'problem')} (no questionnaire given: only the files were compared)")
        if self.problems:
            width = max(len(k) for k in self.problems)
            lines += [f"  {k:<{width}}  {n:>8,}" for k, n in self.problems.items()]
        if self.scored:
            lines.append(f"scored {plural(len(self.scored), 'scale')}: {', '.join(self.scored)}")
        if self.out is not None:
            if self.written:
                lines.append(f"wrote {self.out}: {self.rows_written:,} rows, {r.data.shape[1]:,} variables"
                             + (" (invalid values set to missing)" if self.report.cells() else ""))
                lines.append(f"rows: {self.rows_read:,} read, {self.rows_written:,} written")
            else:
                lines.append(f"{self.out} not written (strict check: problems found)")
        else:
            lines.append(f"rows: {self.rows_read:,} read, {self.rows_written:,} kept (no output named: nothing written)")
        if self.report_path is not None:
            lines.append(f"report: {self.report_path}")
        # what reading had to decide (an encoding, special missing values ...): said, never silent
        lines += [f"note: {n}" for n in r.notes]
        replaced = [c for n in r.score_notes if n.kind == "replaced" for c in n.columns]  # not scored: a problem
        if replaced:
            lines.append(f"note: replaced existing column(s) {', '.join(replaced)} with new scores")
        return lines


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def import_responses(paths, instrument=None, out=None, report=None, strict: bool = False, force: bool = False,
                     score_scales: bool = True, reverse_copies: bool = False) -> ImportResult:
    """Read ``paths``, combine them, check them against ``instrument``, write ``out`` and ``report``.

    With ``strict`` the data are not written when any problem is found (the report still is).
    """
    from coprod.instrument.files import check_writable

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    if not paths:
        raise OptionError("no data file given")
    if out is not None and Path(out).suffix.lower() not in (".sav", ".zsav", ".dta", ".csv", ".xlsx"):
        raise OptionError(f"{out}: cannot write {Path(out).suffix or 'a file without extension'} (use .sav, .zsav, .dta, .csv or .xlsx)")
    if report is not None and Path(report).suffix.lower() not in (".csv", ".xlsx"):
        raise OptionError(f"{report}: a report is written as .csv or .xlsx")
    outputs = [Path(x) for x in (out, report) if x is not None]
    for o in outputs:
        if any(_same_file(o, p) or o.resolve() == p.resolve() for p in paths):
            raise OptionError(f"{o}: is one of the input files: choose another output name")
        check_writable(o, force)
    if out is not None and report is not None and Path(out).resolve() == Path(report).resolve():
        raise OptionError(f"{out}: the data and the report cannot be the same file")

    parts = [load_responses(p, instrument) for p in paths]
    if instrument is None:
        instrument = _builtin_if_named(parts)
        if instrument is not None:
            for part in parts:
                conform(part, instrument)
    rows_read = sum(len(p.data) for p in parts)
    combined, extra = combine(parts, instrument) if len(parts) > 1 else (parts[0], [])

    if instrument is not None:
        from coprod.analysis.data.validate import validate

        rep = validate(combined, instrument)
    else:  # no questionnaire to check against: what reading found is still reported
        rep = ValidationReport.empty(len(combined))
        rep.extend([asdict(rp) for rp in getattr(combined, "problems", None) or []])
    rep.extend(extra)

    result = combined
    variables_read = combined.data.shape[1]
    cleared = rep.cells()
    if cleared:
        result = _clear(combined, cleared, instrument)
    scored = []
    if instrument is not None and score_scales and instrument.scales:
        from coprod.analysis.data.scoring import score

        result = score(result, instrument, reverse_copies=reverse_copies)
        not_scored = [n for n in result.score_notes if n.kind == "not_scored"]
        skipped = {n.scale for n in not_scored}
        scored = [s for s in instrument.scales if s not in skipped]
        rep.extend([{"variable": n.scale, "problem": "scale_not_scored", "count": 0, "detail": n.text} for n in not_scored])

    res = ImportResult(responses=result, report=rep, rows_read=rows_read, rows_written=len(result.data),
                       files=[str(p) for p in paths], out=Path(out) if out is not None else None,
                       report_path=Path(report) if report is not None else None, scored=scored,
                       variables_read=variables_read)
    if res.rows_written != res.rows_read:  # pragma: no cover (an invariant: nothing drops rows)
        raise DataError(f"internal: {res.rows_read} rows read but {res.rows_written} kept")
    if report is not None:
        rep.write(report, force=force)
    if out is not None and not (strict and len(rep)):
        write_responses(result, out, force=force)
        res.written = True
    return res


def _builtin_if_named(parts):
    """The built-in questionnaire when every file records it (a data-entry workbook, a file coprod wrote)
    or holds its variables (:func:`~coprod.analysis.data.recorded.find_instrument`)."""
    from coprod.analysis.data.recorded import find_instrument

    found = [find_instrument(p) for p in parts]
    if not found or any(f.instrument is None for f in found):
        return None
    for part, f in zip(parts, found):
        part.notes.append(f.note)
    return found[0].instrument


def _clear(responses: Responses, cells: dict, instrument) -> Responses:
    """Set the listed cells to system-missing (numeric variables of the instrument become float)."""
    df = responses.data
    numeric = {v.name for v in instrument.variables if v.kind == "numeric"} if instrument is not None else set()
    dates = {v.name for v in instrument.variables if v.kind == "date"} if instrument is not None else set()
    updates = {}
    for var, pos in cells.items():
        if var not in df.columns:
            continue
        col = df[var]
        if var in dates:
            s = col.astype(object).copy()
            s.iloc[pos] = None
            parsed = parse_dates(s)
            updates[var] = parsed if parsed is not None else s
        elif var in numeric or pd.api.types.is_numeric_dtype(col):
            x = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan).copy()
            x[pos] = np.nan
            updates[var] = x
        else:
            s = col.copy()
            s.iloc[pos] = None
            updates[var] = s
    responses.data = df.assign(**updates)
    return responses


def combine(parts: list, instrument=None) -> tuple[LoadedResponses, list[dict]]:
    """Stack several files' responses; add ``source_file``; report columns absent in some files
    and value labels that disagree between files."""
    names = [Path(p.sources[0]).name if p.sources else f"file {i + 1}" for i, p in enumerate(parts)]
    if len(set(names)) < len(names):
        names = [p.sources[0] if p.sources else f"file {i + 1}" for i, p in enumerate(parts)]
    problems: list[dict] = []
    frames = []
    all_cols: list = []
    seen = set()
    for p in parts:
        for c in p.data.columns:
            if c not in seen:
                seen.add(c)
                all_cols.append(c)
    for i, p in enumerate(parts):
        cols = set(p.data.columns)
        for c in all_cols:
            if c not in cols and c != SOURCE_VAR:
                problems.append({"file": names[i], "variable": str(c), "problem": "absent_in_file", "count": len(p.data),
                                 "detail": f"no column {c} in {names[i]}: missing for its {len(p.data):,} rows"})
        frames.append(p.data)
    data = pd.concat(frames, ignore_index=True, sort=False)
    data = data[all_cols]
    data[SOURCE_VAR] = np.repeat(np.arange(1, len(parts) + 1, dtype=float), [len(p.data) for p in parts])

    out = LoadedResponses(data=data, instrument=instrument)
    for i, p in enumerate(parts):
        for c, lab in p.variable_labels.items():
            out.variable_labels.setdefault(c, lab)
        for c, m in p.measure.items():
            out.measure.setdefault(c, m)
        for c, codes in p.missing_codes.items():
            out.missing_codes[c] = tuple(dict.fromkeys(tuple(out.missing_codes.get(c, ())) + tuple(codes)))
        for c, rr in p.missing_ranges.items():
            out.missing_ranges[c] = tuple(dict.fromkeys(tuple(out.missing_ranges.get(c, ())) + tuple(rr)))
        for c, labels in p.value_labels.items():
            merged = out.value_labels.setdefault(c, {})
            for code, lab in labels.items():
                if code in merged and merged[code] != lab:
                    problems.append({"file": names[i], "variable": str(c), "problem": "label_conflict", "value": code,
                                     "count": 1, "detail": f"{merged[code]!r} in an earlier file, {lab!r} here (the first is kept)"})
                else:
                    merged.setdefault(code, lab)
        out.notes += [f"{names[i]}: {n}" if not n.startswith(names[i]) else n for n in p.notes]
        out.problems += [_with_file(rp, names[i]) for rp in p.problems]
    out.variable_labels[SOURCE_VAR] = "Source file"
    out.value_labels[SOURCE_VAR] = {float(i + 1): n for i, n in enumerate(names)}
    out.measure[SOURCE_VAR] = "nominal"
    out.sources = [str(p.sources[0]) if p.sources else "" for p in parts]
    out.origin = {"kind": "combined", "files": [p.origin for p in parts]}
    out.row_numbers = np.concatenate([np.asarray(p.row_numbers if p.row_numbers is not None else np.arange(1, len(p.data) + 1))
                                      for p in parts]) if parts else np.array([], dtype=int)
    out.file_index = np.repeat(np.arange(len(parts), dtype=np.int32), [len(p.data) for p in parts])
    if instrument is not None:
        to_numbers(out, instrument)
    return out, problems


def _with_file(rp, name):
    return replace(rp, file=name) if not rp.file else rp
