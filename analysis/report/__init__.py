"""The report: what to show, the methods paragraph, charts and provenance, assembled into one document.

The names below are loaded on first use, so that a worker process drawing a chart or reading
part of a file (:mod:`.parallel`) imports only what that needs.
"""
from __future__ import annotations

from importlib import import_module

__all__ = ["REPORT_FORMATS", "ReportResult", "build_report"]


def __getattr__(name: str):
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module("coprod.analysis.report.build"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
