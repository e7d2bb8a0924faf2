"""Import coded workbooks: check them, and merge every coder's work into one tidy coded-answers table.

The coded-answers table has one row per coder, answer and theme: ``coder``, ``key``, ``group``,
``question``, ``answer``, ``theme``, ``value`` (1 present, 0 absent, missing where the coder did not
code the answer or wrote something else than 0/1), ``quote`` (1 where the coder marked the answer
as a quote), ``notes`` and ``source`` (the file). Each problem found — an unknown key, an answer
whose text was changed, a row deleted, a code outside the codebook, a theme marked on a question it
does not apply to, a value other than 0 or 1, the same coder twice — is reported in ``problems``;
nothing is dropped.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from coprod.instrument.errors import DataError, OptionError
from coprod.instrument.files import atomic_path, check_writable, safe_text
from coprod.instrument.themes import themes_for

from .workbook import digest, read_workbook

CODED_COLUMNS = ["coder", "key", "group", "question", "answer", "theme", "value", "quote", "notes", "source"]
PROBLEM_COLUMNS = ["source", "row", "coder", "key", "question", "theme", "problem"]
TRUE_MARKS = {"1", "1.0", "x", "yes", "y", "true"}
FALSE_MARKS = {"0", "0.0", "", "no", "n", "false"}


@dataclass
class CodingImport:
    """The merged coded answers and every problem the import found."""

    coded: pd.DataFrame
    problems: pd.DataFrame

    @property
    def coders(self) -> list[str]:
        return list(dict.fromkeys(self.coded["coder"]))

    def tables(self) -> dict:
        return {"coded": self.coded, "problems": self.problems}

    def summary_lines(self) -> list[str]:
        units = self.coded.dropna(subset=["value"])[["coder", "key", "question"]].drop_duplicates()
        lines = [f"{len(self.coders)} coders, {len(units)} coded answers"
                 f" ({', '.join(f'{c}: {n}' for c, n in units.groupby('coder', sort=False).size().items())})"]
        lines += [f"problem: {p.source}{f':{p.row}' if p.row else ''}: {p.problem}" for p in self.problems.itertuples()]
        return lines


def mark(value) -> float:
    """1.0 for a 1 (or x, yes), 0.0 for 0 or empty, NaN for anything else.

    >>> [mark(v) for v in (1, "1", "x", 0, None, "", "maybe")]
    [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, nan]
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return 0.0
    if isinstance(value, bool):
        return float(value)
    text = str(value).strip().lower()
    if text in TRUE_MARKS:
        return 1.0
    if text in FALSE_MARKS:
        return 0.0
    return float("nan")


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == ""


def import_coding(paths, instrument=None) -> CodingImport:
    """Read one or more coders' workbooks (``.xlsx``; ``.qdpx`` projects too), check and merge them."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise DataError("give at least one coded workbook")
    coded, problems, coders = [], [], {}
    for path in paths:
        if str(path).lower().endswith(".qdpx"):
            from .refi import read_qdpx

            res = read_qdpx(path, instrument)
            coded.append(res.coded)
            problems.append(res.problems)
            continue
        wb = read_workbook(path)
        name = Path(path).name
        coder = (wb.meta.get("coder") or Path(path).stem).strip()
        if coder in coders:
            problems.append(_problem(name, 0, coder, msg=f"coder {coder!r} also coded {coders[coder]}; "
                                                         f"kept apart as {coder!r} ({name})"))
            coder = f"{coder} ({name})"
        coders[coder] = name
        c, p = _one_workbook(wb, coder, instrument)
        coded.append(c)
        problems.append(p)
    coded_df = pd.concat(coded, ignore_index=True) if coded else pd.DataFrame(columns=CODED_COLUMNS)
    problems = [p for p in problems if len(p)]
    _cross_check(coded_df, problems)
    probs = pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(columns=PROBLEM_COLUMNS)
    return CodingImport(coded_df[CODED_COLUMNS].reset_index(drop=True), probs)


def _problem(source, row, coder="", key="", question="", theme="", msg="") -> pd.DataFrame:
    return pd.DataFrame([[source, row, coder, key, question, theme, msg]], columns=PROBLEM_COLUMNS)


def _codebook(wb, instrument) -> tuple[list[str], dict]:
    """The codes of the codebook and {question: codes that apply}."""
    if instrument is not None and instrument.themes:
        codes = [t.code for t in instrument.themes]
        applies = {q.name: {t.code for t in themes_for(instrument, q.name)} for q in instrument.questions}
        return codes, applies
    codes = (wb.meta.get("themes") or "").split() or list(wb.theme_columns)
    applies: dict = {}
    for code in codes:
        for q in (wb.meta.get(f"applies:{code}") or "").split():
            applies.setdefault(q, set()).add(code)
    return codes, applies


def _one_workbook(wb, coder: str, instrument) -> tuple[pd.DataFrame, pd.DataFrame]:
    name = Path(wb.path).name
    codes, applies = _codebook(wb, instrument)
    problems = []
    made_from = wb.meta.get("instrument_id")
    if instrument is not None and made_from and made_from != instrument.id:
        problems.append([name, 0, coder, "", "", "", f"the workbook was made from the definition {made_from!r}, "
                                                     f"not {instrument.id!r}: its own codebook is used"])
        codes, applies = _codebook(wb, None)
    for col in wb.theme_columns:
        if col not in codes:
            problems.append([name, 1, coder, "", "", col, f"column {col!r} is not a code of the codebook (kept)"])
    exported = {(k, q): d for k, q, d in wb.exported.itertuples(index=False)}
    seen, out = set(), []
    for rec in wb.rows.to_dict("records"):
        row, key, question = rec["_row"], str(rec.get("key") or "").strip(), str(rec.get("question") or "").strip()
        answer = "" if rec.get("answer") is None else str(rec["answer"])
        where = (name, row, coder, key, question)
        if (key, question) not in exported:
            problems.append([*where, "", f"unknown key {key!r} for question {question!r} (not in the export)"])
        elif digest(answer) != exported[(key, question)]:
            problems.append([*where, "", "the answer's text was changed after the export"])
        if (key, question) in seen:
            problems.append([*where, "", "the same answer appears twice"])
        seen.add((key, question))
        coded = any(not _blank(rec.get(c)) for c in wb.theme_columns + ["quote"])
        quote = mark(rec.get("quote")) if coded else np.nan
        notes = "" if _blank(rec.get("notes")) else str(rec["notes"])
        group = "" if _blank(rec.get("group")) else str(rec["group"])
        for col in wb.theme_columns:
            v = mark(rec.get(col)) if coded else np.nan
            if coded and np.isnan(v):
                problems.append([*where, col, f"{rec.get(col)!r} is not 0 or 1 (kept as missing)"])
            ok = col in applies.get(question, set()) if applies else True
            if not ok and v == 1:
                problems.append([*where, col, f"theme {col!r} does not apply to question {question!r} (kept)"])
            if ok or not _blank(rec.get(col)):
                out.append([coder, key, group, question, answer, col, v, quote, notes, name])
    missing = set(exported) - seen
    for key, question in sorted(missing):
        problems.append([name, 0, coder, key, question, "", "an exported answer is missing from the workbook"])
    return pd.DataFrame(out, columns=CODED_COLUMNS), pd.DataFrame(problems, columns=PROBLEM_COLUMNS)


def _cross_check(coded: pd.DataFrame, problems: list) -> None:
    """The same answer must read the same in every coder's workbook."""
    if coded.empty:
        return
    texts = coded.drop_duplicates(["coder", "key", "question"])
    n = texts.groupby(["key", "question"])["answer"].nunique()
    for (key, question) in n[n > 1].index:
        problems.append(_problem("", 0, "", key, question, msg="the coders' workbooks differ in this answer's text"))


def write_coded(coded: pd.DataFrame, out, force: bool = False) -> Path:
    """Write the coded-answers table as CSV (UTF-8; text can never become a formula)."""
    check_writable(out, force)
    if Path(out).suffix.lower() != ".csv":
        raise OptionError(f"write the coded answers as .csv, not {Path(out).suffix or 'no extension'}", param="out")
    safe = coded.copy()
    for c in safe.columns:
        if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
            safe[c] = safe[c].map(safe_text)
    with atomic_path(out, force) as tmp:
        safe.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return Path(out)


def read_coded(path) -> pd.DataFrame:
    """Read a coded-answers table written by :func:`write_coded`."""
    p = Path(path)
    try:
        df = pd.read_csv(p, dtype={"coder": str, "key": str, "group": str, "question": str, "answer": str,
                                   "theme": str, "notes": str, "source": str}, keep_default_na=False, na_values={"value": [""], "quote": [""]})
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"{p}: cannot read the coded answers ({exc})") from None
    missing = [c for c in CODED_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"{p}: not a coded-answers table (no {', '.join(missing)})")
    for c in ("answer", "notes", "group"):
        df[c] = df[c].map(_unsafe)
    return df[CODED_COLUMNS]


def _unsafe(text: str) -> str:
    """Undo :func:`safe_text` (the apostrophe before a formula-like text)."""
    from coprod.instrument.files import FORMULA_PREFIXES

    if isinstance(text, str) and text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def load_coded(paths, instrument=None) -> CodingImport:
    """Coded answers from workbooks, ``.qdpx`` projects or a coded-answers ``.csv`` (problems from the import)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    csvs = [p for p in paths if str(p).lower().endswith(".csv")]
    rest = [p for p in paths if not str(p).lower().endswith(".csv")]
    parts = [CodingImport(read_coded(p), pd.DataFrame(columns=PROBLEM_COLUMNS)) for p in csvs]
    if rest:
        parts.append(import_coding(rest, instrument))
    coded = pd.concat([p.coded for p in parts], ignore_index=True)
    problems = pd.concat([p.problems for p in parts if len(p.problems)] or [parts[0].problems], ignore_index=True)
    return CodingImport(coded, problems)
