"""The report's options, checked before any work: output files and formats, the small-cell threshold."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coprod.instrument.errors import OptionError

REPORT_FORMATS = ("html", "xlsx", "docx", "md")


@dataclass(frozen=True)
class ReportOptions:
    """What :func:`~analysis.report.build_report` was asked for (``targets``: (path or None, format) pairs)."""

    by: str | None = None
    instrument: object = None
    lang: str | None = None
    min_cell: int = 5
    adjust: str = "holm"
    test: str = "auto"
    listwise: bool = False
    force: bool = False
    command: str | None = None
    title: str | None = None
    progress: bool | None = None
    chart_format: str | None = None
    targets: tuple = ()
    invariance: bool = True
    coded: object = None
    key_file: object = None
    weight: str | None = None
    weight_type: str = "frequency"
    decimal: str | None = None
    weights: object = None  # the CaseWeights, once the data are read


def output_targets(out, fmt: str | None) -> tuple:
    """(path, format) for each output; (None, format) for a format without a file; () for neither.

    >>> output_targets(["r.html", "r.docx"], None)
    (('r.html', 'html'), ('r.docx', 'docx'))
    >>> output_targets(None, "md"), output_targets(None, None)
    (((None, 'md'),), ())
    """
    from coprod.analysis.render import resolve_format

    outs = [] if out is None else [out] if isinstance(out, (str, Path)) else list(out)
    if len(outs) > 1 and fmt:
        raise OptionError("give one output file per format, without a format", param="fmt")
    targets = []
    for o in outs or [None]:
        if o is None and fmt is None:
            continue
        if o is not None and not fmt and Path(o).suffix.lower() not in (".html", ".htm", ".xlsx", ".docx", ".md"):
            raise OptionError(f"{o}: a report is written as .html, .xlsx, .docx or .md", param="out")
        f = resolve_format(fmt, str(o) if o is not None else None)
        if f not in REPORT_FORMATS:
            raise OptionError(f"a report is written as {', '.join('.' + f for f in REPORT_FORMATS)} (not {f})", param="out")
        targets.append((o, f))
    return tuple(targets)


def check_options(out, fmt: str | None, min_cell, force: bool) -> tuple:
    """The output targets, after checking every option that can be checked before reading the data
    (nothing is overwritten without ``force``; a Markdown report's chart folder too)."""
    from coprod.instrument.files import check_writable

    from coprod.analysis.render import check_figure_dir

    targets = output_targets(out, fmt)
    if min_cell is None or min_cell < 0:
        raise OptionError("must be 0 (off) or a positive number", param="min_cell")
    for o, f in targets:
        if o is not None:
            check_writable(o, force)
            if f == "md":  # its charts go into a folder beside it
                check_figure_dir(o, force)
    return targets


def check_language(inst, lang: str | None) -> str:
    """The language of labels and charts: ``lang``, or the instrument's default (English without one)."""
    lang = lang or (inst.default_language if inst is not None else "en")
    if inst is not None and lang not in inst.languages:
        raise OptionError(f"{lang!r} is not one of the instrument's languages ({', '.join(inst.languages)})", param="lang")
    return lang
