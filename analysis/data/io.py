"""Reading and writing response files: the public names, in one place.

:func:`load_responses` reads SPSS (``.sav``, ``.zsav``, ``.por``), Stata (``.dta``), Excel (``.xlsx``)
and CSV/text exports, ODK Central and KoboToolbox exports among them, recognising the kind of file by
its content (:func:`sniff`); given an instrument it conforms the data to it (:func:`conform`).
:func:`write_responses` writes a labelled ``.sav``/``.zsav``, ``.dta``, ``.csv`` or ``.xlsx``.

The work is done, step by step, in :mod:`~coprod.analysis.data.sniff`, :mod:`~coprod.analysis.data.read`
(with :mod:`~coprod.analysis.data.read_spss`, :mod:`~coprod.analysis.data.read_table`,
:mod:`~coprod.analysis.data.read_xlsx` and :mod:`~coprod.analysis.data.odk`),
:mod:`~coprod.analysis.data.conform`, :mod:`~coprod.analysis.data.dates`,
:mod:`~coprod.analysis.data.labels` and :mod:`~coprod.analysis.data.write`.
"""
from __future__ import annotations

from coprod.analysis.data.conform import conform
from coprod.analysis.data.dates import date_values, parse_dates
from coprod.analysis.data.loaded import META_PREFIX, SOURCE_VAR, LoadedResponses, ReadProblem
from coprod.analysis.data.read import load_responses
from coprod.analysis.data.sniff import KINDS, sniff
from coprod.analysis.data.write import write_responses

__all__ = [
    "KINDS", "META_PREFIX", "SOURCE_VAR", "LoadedResponses", "ReadProblem", "conform", "date_values", "load_responses",
    "parse_dates", "sniff", "write_responses",
]
