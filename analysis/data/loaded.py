"""What reading a response file gives, and the conventions every reader and writer shares.

:class:`LoadedResponses` is :class:`~coprod.analysis.data.responses.Responses` with what reading found
(:class:`ReadProblem` rows, what the file says about itself, each row's place in its file).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coprod.analysis.data.responses import Responses

#: Encodings tried, in order, when a file's text is not valid UTF-8 (or not in its declared encoding).
FALLBACK_ENCODINGS = ("windows-1252", "latin-1")
#: Text that means "no value" in an otherwise numeric column (SPSS, Stata, R and Excel exports).
NA_TOKENS = ("", ".", "NA", "NaN", "nan", "#N/A", "#NULL!", "N/A", "n/a")
#: Prefix given to ODK/Kobo metadata columns (kept in the data, ignored by the checks).
META_PREFIX = "meta_"
#: Column naming the source file in combined data.
SOURCE_VAR = "source_file"


@dataclass(frozen=True)
class ReadProblem:
    """A problem found while reading a file, reported by :func:`~coprod.analysis.data.validate.validate`.

    ``row`` is the 1-based data row (the first row after the header is 1); 0 for a whole column/file.
    """

    problem: str
    variable: str = ""
    row: int = 0
    detail: str = ""
    file: str = ""
    value: object = None


@dataclass(repr=False)
class LoadedResponses(Responses):
    """:class:`Responses` read from files, with what reading found.

    ``problems`` lists :class:`ReadProblem` (e.g. formula cells without a stored value); ``origin``
    holds what the file says about itself (``kind``, and for the entry workbook ``instrument_id``,
    ``instrument_version``, ``language``); ``row_numbers`` gives each row's 1-based data row in its file
    and ``file_index`` which file (0-based, in :attr:`sources`) it came from.
    """

    problems: list = field(default_factory=list)
    origin: dict = field(default_factory=dict)
    row_numbers: np.ndarray | None = None
    file_index: np.ndarray | None = None


def short_error(exc: BaseException) -> str:
    """A library's error message on one line, at most 200 characters.

    >>> short_error(ValueError("bad\\n   header"))
    'bad header'
    """
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg[:200]


def is_number(v) -> bool:
    """Whether ``float(v)`` works (a value label's key, a missing code).

    >>> is_number("2.5"), is_number("x"), is_number(None)
    (True, False, False)
    """
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


def as_text(v) -> str:
    """A cell as text; whole-number floats without ``.0``.

    >>> as_text(3.0), as_text(2.5), as_text("007")
    ('3', '2.5', '007')
    """
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def empty_cells(col: pd.Series) -> np.ndarray:
    """Which cells of a column hold no value: missing, or text of nothing but spaces.

    >>> empty_cells(pd.Series(["a", " ", None, ""])).tolist()
    [False, True, True, True]
    """
    if pd.api.types.is_numeric_dtype(col):  # as text only when text: converting numbers costs more than the checks
        return col.isna().to_numpy(dtype=bool)
    s = col.astype("string")
    return (s.isna() | (s.str.strip() == "")).fillna(True).to_numpy(dtype=bool)
