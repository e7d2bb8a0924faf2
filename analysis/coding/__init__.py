"""Qualitative coding of open answers, linked to respondent groups and scale scores.

The steps: :func:`export_coding` writes the open answers of the data, under pseudonymous keys, to a
coding workbook (or a REFI-QDA project) for each coder; :func:`import_coding` reads the coded
workbooks back, checks them and merges them into one tidy table of coded answers;
:func:`agreement` gives Krippendorff's alpha per theme; :func:`themes_by_group` the themes by
respondent group, tested, their co-occurrence, the scale scores of those mentioning each theme, and
the quote bank. The names below are loaded on first use.
"""
from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "open_answers": "coprod.analysis.coding.answers",
    "respondent_keys": "coprod.analysis.coding.answers",
    "key_secret": "coprod.analysis.coding.answers",
    "write_workbook": "coprod.analysis.coding.workbook",
    "read_workbook": "coprod.analysis.coding.workbook",
    "import_coding": "coprod.analysis.coding.merge",
    "load_coded": "coprod.analysis.coding.merge",
    "read_coded": "coprod.analysis.coding.merge",
    "write_coded": "coprod.analysis.coding.merge",
    "agreement": "coprod.analysis.coding.agreement",
    "alpha_nominal": "coprod.analysis.coding.agreement",
    "themes_by_group": "coprod.analysis.coding.themes",
    "consensus": "coprod.analysis.coding.themes",
    "quote_bank": "coprod.analysis.coding.quotes",
    "export_coding": "coprod.analysis.coding.run",
    "export_coding_from": "coprod.analysis.coding.run",
    "themes_from": "coprod.analysis.coding.run",
    "link_data": "coprod.analysis.coding.run",
    "coding_section": "coprod.analysis.coding.run",
    "write_qdc": "coprod.analysis.coding.refi",
    "write_qdpx": "coprod.analysis.coding.refi",
    "read_qdpx": "coprod.analysis.coding.refi",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'coprod.analysis.coding' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
