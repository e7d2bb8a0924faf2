"""The report: what to show, the methods paragraph, charts and provenance, assembled into one document."""
from __future__ import annotations

from coprod.analysis.report.build import REPORT_FORMATS, ReportResult, build_report

__all__ = ["REPORT_FORMATS", "ReportResult", "build_report"]
