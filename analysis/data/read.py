"""Reading one response file of any kind coprod knows, judged by its content.

:func:`load_responses` reads SPSS (``.sav``, ``.zsav``, ``.por``), Stata (``.dta``), Excel (``.xlsx``:
the coprod data-entry workbook or any workbook with a header row), CSV/text exports and ODK Central /
KoboToolbox exports (CSV or XLSX).  Given an instrument, it conforms the data to it
(:func:`~coprod.analysis.data.conform.conform`), so the result is labelled the same way whatever the
source.  Every problem a file can cause raises :class:`~coprod.instrument.errors.DataError` naming the
file; nothing here ever modifies an input file.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from coprod.analysis.data.conform import conform
from coprod.analysis.data.loaded import LoadedResponses, short_error
from coprod.analysis.data.odk import odk_metadata
from coprod.analysis.data.read_spss import read_spss, read_stata
from coprod.analysis.data.read_table import read_csv
from coprod.analysis.data.read_xlsx import read_xlsx
from coprod.analysis.data.sniff import sniff
from coprod.instrument.errors import DataError, OptionError

#: The reader of each kind of file.
READERS = {"sav": read_spss, "zsav": read_spss, "por": read_spss, "dta": read_stata, "xlsx": read_xlsx, "csv": read_csv}
#: The file name extensions expected for each kind (another is read all the same, with a note).
EXTENSIONS = {"sav": ("sav",), "zsav": ("zsav", "sav"), "por": ("por",), "dta": ("dta",), "xlsx": ("xlsx", "xlsm"),
              "csv": ("csv", "txt", "tsv", "tab", "dat", "")}


def load_responses(path, instrument=None, read_sav=None, columns=None) -> LoadedResponses:
    """Read one response file; with ``instrument``, map and label it by the questionnaire.

    The kind of file is judged from its content (a ``.sav`` renamed to ``.xlsx`` is still read as
    SPSS, with a note).  Raises :class:`DataError` naming the file for anything unreadable.
    ``read_sav`` stands in for ``pyreadstat.read_sav`` (same arguments and result) for ``.sav`` files.
    ``columns``: read only these variables of an SPSS ``.sav``/``.zsav`` (names as in the file, see
    :func:`~coprod.analysis.data.recorded.columns_needed`); other kinds are read whole.
    """
    p = Path(path)
    kind = sniff(p)
    if columns is not None and kind in ("sav", "zsav"):
        import functools

        import pyreadstat

        read_sav = functools.partial(read_sav or pyreadstat.read_sav, usecols=list(columns))
    ext = p.suffix.lower().lstrip(".")
    try:
        own = read_sav is not None and (kind == "sav" or (kind == "zsav" and columns is not None))
        res = read_spss(p, kind, read_sav) if own else READERS[kind](p, kind)
    except (DataError, OptionError):
        raise
    except MemoryError:
        raise DataError(f"{p}: too large to read into memory") from None
    except Exception as exc:  # any library failure on a damaged file becomes one clean line
        raise DataError(f"{p}: cannot read this {kind} file ({short_error(exc)})") from None
    if ext not in EXTENSIONS[kind]:
        res.notes.append(f"{p.name}: read as {kind}: the file's content, not its name (.{ext})")
    res.origin.setdefault("kind", kind)
    res.sources = [str(p)]
    if res.row_numbers is None:
        res.row_numbers = np.arange(1, len(res.data) + 1)
    res.file_index = np.zeros(len(res.data), dtype=np.int32)
    odk_metadata(res)
    if instrument is not None:
        conform(res, instrument)
    return res
