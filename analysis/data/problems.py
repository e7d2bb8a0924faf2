"""The report of a data check: kinds of problem, one row per problem, written as CSV or Excel.

:func:`~coprod.analysis.data.validate.validate` makes it; ``coprod import`` adds what combining files
finds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

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
    "not_finite": "an infinite number or one beyond 10^15 in size (inf, 1e308), which no statistic can use",
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
CLEARED = ("invalid_code", "out_of_range", "not_integer", "not_numeric", "not_finite", "not_date", "not_asked")
#: Numbers beyond this size are not answers (and overflow sums of squares): reported as not_finite.
MAX_MAGNITUDE = 1e15
COLUMNS = ["file", "row", "respondent_id", "variable", "problem", "value", "count", "detail"]


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

    @classmethod
    def empty(cls, n: int = 0, notes: list | None = None) -> "ValidationReport":
        """A report without problems for ``n`` rows of data."""
        table = pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS})
        table["row"] = table["row"].astype(int)
        table["count"] = table["count"].astype(int)
        return cls(table, np.array([], dtype=np.int64), n, list(notes or []))

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


#: Column widths (Excel characters) of the two sheets; the long text columns wrap.
_WIDTHS = {"problem": 20, "count": 8, "meaning": 70, "file": 22, "row": 7, "respondent_id": 14, "variable": 18,
           "value": 10, "detail": 48}
_WRAP = ("meaning", "detail", "file")


def _write_xlsx(tmp: Path, table: pd.DataFrame, summary: dict) -> None:
    """Summary and Problems sheets, each printable: header row bold and repeated, columns wide enough for
    the kinds of problem, long text wrapped, fitted to the width of an A4 page."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from coprod.instrument.sheets import print_setup, wrapped_lines

    wb = openpyxl.Workbook(write_only=True)
    wrap, top, bold = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top"), Font(bold=True, name="Calibri")

    def sheet(name: str, columns: list[str], landscape: bool):
        ws = wb.create_sheet(name)
        for j, c in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(j)].width = _WIDTHS.get(c, 12)
        ws.freeze_panes = "A2"
        print_setup(ws, f"Data check: {name}", landscape=landscape, title_rows="1:1")
        head = []
        for c in columns:
            h = WriteOnlyCell(ws, value=c)
            h.font = bold
            head.append(h)
        ws.append(head)
        return ws

    def append(sheet, r: int, values: list, columns: list[str]) -> None:
        """One row, as high as its wrapped text needs (set before the row is written)."""
        lines = max([wrapped_lines(v, _WIDTHS[c]) for v, c in zip(values, columns) if c in _WRAP and isinstance(v, str)]
                    or [1])
        if lines > 1:
            sheet.row_dimensions[r].height = 15 * lines
        sheet.append([cell(sheet, v, c) for v, c in zip(values, columns)])

    def cell(sheet, v, column=""):
        if isinstance(v, float) and np.isnan(v):
            return None
        if isinstance(v, (np.integer, np.floating)):
            v = v.item()
        c = WriteOnlyCell(sheet, value=v)
        if isinstance(v, str):
            c.data_type = "s"
        c.alignment = wrap if column in _WRAP else top
        return c

    ws = sheet("Summary", ["problem", "count", "meaning"], landscape=False)
    for r, (k, n) in enumerate(summary.items(), start=2):
        append(ws, r, [k, n, PROBLEMS.get(k, "")], ["problem", "count", "meaning"])
    ps = sheet("Problems", COLUMNS, landscape=True)
    for r, row in enumerate(table[COLUMNS].itertuples(index=False), start=2):
        append(ps, r, list(row), COLUMNS)
    wb.save(tmp)
