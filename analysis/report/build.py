"""The report: one document with everything a group comparison study needs.

:func:`build_report` reads a response file (or takes :class:`~analysis.responses.Responses`),
and writes, in HTML, Excel, Word or Markdown:

1. the sample by group (and respondents without a valid group);
2. a methods paragraph written from what was actually run, ready to paste into a paper;
3. the data check against the questionnaire (when there is one);
4. non-response: don't know / not applicable rates where they differ by group, break-off, Little's MCAR
   test of each scale (:mod:`.nonresponse`);
5. reliability of every scale (overall and per group) with item-total statistics;
6. can the groups be compared? the one-factor CFA of each scale and its measurement invariance
   across the groups, with a verdict in words (:mod:`.invariance`; ``invariance=False`` leaves it out);
7. scale scores by group: M (SD), box plots, group comparisons with effect sizes and post hoc tests;
8. the Likert items: diverging bar charts by group and descriptive statistics;
9. frequencies of the categorical questions;
10. what respondents said, when coded open answers are given (``coded``): themes by group, tested,
   agreement between coders and quotes (:mod:`.coded`);
11. provenance: coprod version, instrument id and version, input file and its SHA-256, the
   command line and the date.

Without a grouping variable (no ``by`` and no group question in the instrument, or no
instrument) the report describes the whole sample: one "All respondents" row, overall
statistics and charts, no group comparisons.  Markdown reports keep their charts as PNG files
in a folder beside the .md (:func:`analysis.render.write_markdown`).

Each statistic is computed once by the library functions (:mod:`analysis.descriptives`,
:mod:`analysis.reliability`, :mod:`analysis.compare`, :mod:`analysis.frequencies`); charts are
drawn from counts and quartiles.  Small cells are suppressed in every table and chart.

This module runs the steps; :mod:`.options` checks the options, :mod:`.sections` decides what is
shown and assembles the document, :mod:`.methods` writes the methods paragraph, :mod:`.charts`
draws, and :mod:`.parallel` shares the reading and the charts with worker processes for large
data.  Responses passed in are never changed: the report works on its own copy.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from coprod.analysis.render import DEFAULT_MIN_CELL, Document, render_document, write_markdown, write_output
from coprod.analysis.render import apa
from coprod.analysis.report import parallel, sections
from coprod.analysis.report.methods import methods_paragraph, weight_sentences
from coprod.analysis.report.options import REPORT_FORMATS, ReportOptions, check_language, check_options
from coprod.analysis.report.provenance import sha256_of, software_versions
from coprod.analysis.report.sections import ALL, Plan
from coprod.analysis.report.words import DOCUMENT_WORDS, localise, say
from coprod.analysis.stats import common as _stats_common

__all__ = ["REPORT_FORMATS", "ALL", "ReportResult", "build_report"]


@dataclass
class ReportResult:
    """What :func:`build_report` made: the path(s) written, the document and the numeric tables."""

    path: str | None
    document: Document
    tables: dict
    methods: str
    timings: dict = field(default_factory=dict)


class _Steps:
    """Progress on stderr when it is a terminal (rich); silent otherwise."""

    def __init__(self, total: int, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.progress = None
        self.timings: dict = {}
        self._t = time.perf_counter()
        self._name = None
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                                     console=Console(stderr=True), transient=True)
            self.progress.start()
            self.task = self.progress.add_task("report", total=total)

    def step(self, name: str) -> None:
        now = time.perf_counter()
        if self._name:
            self.timings[self._name] = now - self._t
        self._name, self._t = name, now
        if self.progress is not None:
            self.progress.update(self.task, description=name, advance=1)

    def close(self) -> None:
        self.step("")
        self._stop()

    def _stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def __enter__(self) -> "_Steps":
        return self

    def __exit__(self, *exc) -> None:
        self._stop()  # on an error or Ctrl-C too


def _relabel(resp, inst, lang: str) -> None:
    """Variable and value labels of the instrument's variables in ``lang``."""
    from coprod.instrument.model import text_in

    fb = inst.default_language
    for v in inst.variables:
        if v.name not in resp.data.columns:
            continue
        resp.variable_labels[v.name] = text_in(v.label, lang, fb)
        if v.kind == "numeric" and v.value_labels:
            resp.value_labels[v.name] = {float(c): text_in(t, lang, fb) for c, t in v.value_labels.items()}
    for s in inst.scales.values():
        if s.name in resp.data.columns:
            resp.variable_labels[s.name] = text_in(s.label, lang, fb) or s.name


# ------------------------------------------------------------------------------- the report
def build_report(data, by: str | None = None, instrument=None, out=None, fmt: str | None = None,
                 lang: str | None = None, min_cell: int = DEFAULT_MIN_CELL, adjust: str = "holm",
                 test: str = "auto", listwise: bool = False, force: bool = False, command: str | None = None,
                 title: str | None = None, progress: bool | None = None,
                 chart_format: str | None = None, invariance: bool = True, coded=None,
                 key_file=None, weight: str | None = None, weight_type: str = "frequency",
                 decimal: str | None = None, workers: bool = False) -> ReportResult:
    """Analyse ``data`` by group and write the report to ``out`` (format from ``fmt`` or the extension).

    Parameters
    ----------
    data : path or Responses
        A response file (any format :func:`analysis.load_responses` reads) or responses already
        loaded (left as they are: cleared values, scores and labels are the report's own).
    by : str, optional
        The grouping variable; default the instrument's group question; without either, the
        report describes the whole sample (no group comparisons).
    instrument : Instrument, optional
        The questionnaire; default the one attached to ``data``.  Without one there is no data
        check, no scales and no reliability.
    out : path or list of paths, optional
        Where to write (.html, .xlsx, .docx, .md); several paths write the same report in several
        formats from one analysis.  Without it nothing is written.
    lang : str, optional
        Language of labels and charts (default the instrument's default language).
    min_cell : int
        Small-cell suppression threshold (0 = off).
    adjust, test, listwise
        Passed to :func:`analysis.compare.compare`.
    command : str, optional
        The command line, for the provenance block.
    progress : bool, optional
        Show progress on stderr (default: when stderr is a terminal).
    chart_format : str, optional
        ``"png"`` (every format) or ``"svg"`` (sharper in HTML, and no PNG drawn; Excel and Word
        then get no charts).  Default: SVG when every output is HTML, else PNG.
    invariance : bool
        Test the measurement invariance of the scales across the groups (default; needs groups).
    coded : path, list of paths or DataFrame, optional
        Coded open answers (workbooks, .qdpx projects or a coded-answers .csv, as the coding
        commands read them, or that table): adds "What respondents said".
    key_file : path, optional
        The key file of the coding export (default: ``coding.key`` beside the first coded file,
        where it exists), linking the coded answers to the data's groups.
    weight, weight_type : str, optional
        Case weights (see :mod:`analysis.stats.weighting`) for the reliability, descriptive and
        frequency tables; every table's note and the methods paragraph say so.  The group
        comparisons and the factor analyses are left out (they have no weighted form here), and
        the charts show unweighted answers.
    decimal : {"point", "comma"}, optional
        How the report writes numbers: ``3.45``, ``.034``, ``[0.12, 0.34]`` or, with the decimal comma,
        ``3,45``, ``,034``, ``[0,12; 0,34]`` (thousands after a no-break space).  Default: the comma in
        Finnish and Swedish reports, the point in English ones.  Excel cells stay numbers.
    workers : bool
        Draw the PNG charts of a small file in a worker process too (the command line does: on two
        cores or more they are drawn while the statistics are computed).  A large file's report uses
        workers anyway (:mod:`~coprod.analysis.report.parallel`).  A script that asks for them calls
        the report under ``if __name__ == "__main__":``, as any script starting processes does.  The
        workers are spawned; the command line has them forked (its process is its own and has one
        thread when they start: :func:`~coprod.analysis.report.parallel.fork_workers`).
    """
    targets = check_options(out, fmt, min_cell, force)
    if decimal is not None:
        apa.check_decimal(decimal)
    opts = ReportOptions(by=by, instrument=instrument, lang=lang, min_cell=min_cell, adjust=adjust, test=test,
                         listwise=listwise, force=force, command=command, title=title, progress=progress,
                         chart_format=chart_format, targets=targets, invariance=invariance, coded=coded,
                         key_file=key_file, weight=weight, weight_type=weight_type, decimal=decimal)
    charts_beside = bool(workers) and _chart_format(opts) == "png" and parallel.worker_count() >= 1
    with ExitStack() as scope:
        work = scope.enter_context(parallel.Workers(parallel.worth_it(data) or charts_beside))
        return _build_report(data, opts, work, scope)


def _build_report(data, opts: ReportOptions, work: parallel.Workers, scope: ExitStack) -> ReportResult:
    steps = scope.enter_context(_Steps(13, opts.progress))
    resp, source, digest = _read(data, opts, work, steps)
    inst = opts.instrument if opts.instrument is not None else resp.instrument
    resp.instrument = inst
    lang = check_language(inst, opts.lang)
    decimal = apa.check_decimal(opts.decimal, lang)
    scope.enter_context(apa.decimal_style(decimal))  # the sentences and table cells written from here on
    by = opts.by if opts.by is not None else (inst.group_question if inst is not None else None)
    if by is not None:  # without one the report describes the whole sample (one service, one group)
        by = resp.resolve(by)
    validation = None
    if inst is not None:
        steps.step("checking the data")
        resp, validation = _checked(resp, inst)
        steps.step("scoring the scales")
        from coprod.analysis.data.scoring import score

        resp = score(resp, inst)
        resp.instrument = inst
        _relabel(resp, inst, lang)
    plan = sections.plan_report(resp, inst, by, lang, validation)
    if opts.weight is not None:
        from coprod.analysis.stats.weighting import case_weights

        opts = dataclasses.replace(opts, weights=case_weights(resp, opts.weight, opts.weight_type))
    # every statistic below masks the same columns: once
    scope.enter_context(resp.shared_valid())
    steps.step("counting for the charts")
    chart_fmt = _chart_format(opts)
    box_jobs, likert_jobs = _chart_jobs(resp, plan, chart_fmt, opts.min_cell, work)
    tables = _statistics(resp, plan, opts, steps)
    shown, ctx = sections.display_tables(tables, plan, opts.min_cell, opts.adjust, opts.listwise,
                                         notes=[opts.weights.note()] if opts.weights is not None else [],
                                         labels=resp.variable_labels)
    ctx = ctx.replace(design_based=opts.weights is not None and not opts.weights.frequency,
                      top_box_labels=_stats_common.top_box_labels(resp, resp.data.columns, plan.lang))
    extra = _more_sections(resp, plan, opts, tables, steps)
    scale_figs, item_figs, drawn = _figures(plan, box_jobs, likert_jobs, chart_fmt)
    steps.step("writing the report")
    versions = software_versions()
    methods = _methods(resp, plan, tables, opts, versions, weight_sentences(opts.weights, lang, plan.groups.k >= 2
                                                                            and not plan.overall) + extra.pop("methods"))
    doc_title = opts.title or (say("r.report of", lang, title=inst.text(inst.title, lang)) if inst is not None
                               else say("r.report", lang) if plan.overall else say("r.report by", lang, by=by))
    by_label = "" if plan.overall else resp.label(by)
    doc = sections.document(doc_title, plan, shown, ctx, methods, by_label, scale_figs, item_figs, extra)
    doc.words, doc.decimal = dict(DOCUMENT_WORDS.get(lang, {})), decimal
    doc.provenance = _provenance(inst, source, digest, opts, versions)
    doc.pending = drawn  # the charts are waited for when a writer comes to them, its tables written meanwhile
    localise(doc, lang)
    paths = _write(doc, opts)
    doc.settle()  # the document returned has its charts, whatever was written
    steps.close()
    return ReportResult(paths[0] if len(paths) == 1 else (paths or None), doc, tables, methods, steps.timings)


def _chart_format(opts: ReportOptions) -> str:
    """SVG (written from the counts) when every output is HTML; PNG (drawn from the SVG) serves every format."""
    if opts.chart_format:
        return opts.chart_format
    return "svg" if opts.targets and all(f == "html" for _, f in opts.targets) else "png"


def _read(data, opts: ReportOptions, work: parallel.Workers, steps: _Steps):
    """The responses to report on, never the caller's own object (labels, scores and cleared values
    are the report's); the input file (None for data in memory); the future of its SHA-256."""
    from coprod.analysis.report import charts

    if isinstance(data, (str, Path)):
        from coprod.analysis.data.io import load_responses

        source = Path(data)
        steps.step("loading libraries")
        read_sav = parallel.PartsRead(work, source)  # the workers start on their parts at once
        digest = work.in_thread(sha256_of, source, work.stop)
        if work.pool is not None and _chart_format(opts) == "png":
            work.submit(charts.warm_up)  # when they are done with reading
        _import_statistics()  # while the workers start
        steps.step("reading the data")
        return load_responses(source, instrument=opts.instrument, read_sav=read_sav), source, digest
    from coprod.analysis.data.responses import as_responses

    if work.pool is not None and _chart_format(opts) == "png":
        work.submit(charts.warm_up)
    steps.step("reading the data")
    resp = as_responses(data)
    own = dataclasses.replace(resp, variable_labels=dict(resp.variable_labels), value_labels=dict(resp.value_labels),
                              missing_codes=dict(resp.missing_codes), missing_ranges=dict(resp.missing_ranges),
                              measure=dict(resp.measure), sources=list(resp.sources), notes=list(resp.notes))
    return own, None, None


def _import_statistics() -> None:
    """The statistics modules, imported before the reading, while the workers start."""
    from coprod.analysis.stats import compare, descriptives, frequencies, reliability  # noqa: F401


def _checked(resp, inst):
    """The data check; failed values become system-missing for the statistics (in a copy of the data)."""
    from coprod.analysis.data.validate import CLEARED, validate

    validation = validate(resp, inst)
    cells = validation.cells(CLEARED)
    if cells:
        data = resp.data.copy()
        for var, pos in cells.items():
            if var in data.columns:
                col = data[var]
                data[var] = col.astype(object if col.dtype == object else float)
                data.iloc[pos, data.columns.get_loc(var)] = None if col.dtype == object else np.nan
        resp = dataclasses.replace(resp, data=data)
    return resp, validation


def _chart_jobs(resp, plan: Plan, fmt: str, min_cell: int, work: parallel.Workers):
    """Counts for the charts, and the charts handed to the workers (drawn here when there are none)."""
    from coprod.analysis.report import charts

    text = charts.ChartText.of(plan.lang, apa.current_decimal())
    panels = []  # first: the box plots, a figure of at most BOX_PANELS scales each
    for s in plan.scales:
        vals = resp.data[s.name].to_numpy(dtype=float, na_value=np.nan)
        labels = [say("r.all", plan.lang)] if plan.overall else plan.groups.labels
        panels.append((resp.label(s.name), charts.box_stats(vals, plan.groups.index, labels)))
    box_jobs = [work.submit(charts.score_boxplots, panels[i:i + charts.BOX_PANELS], fmt, min_cell, "", text.decimal, text)
                for i in range(0, len(panels), charts.BOX_PANELS)]
    likert_jobs = []
    for title, items in sections.chart_sets(resp, plan):
        lc = charts.likert_counts(resp, items, by=plan.by, lang=plan.lang)
        likert_jobs.append((title, lc, work.submit(charts.likert_chart, lc, title, fmt, min_cell, text)))
    return box_jobs, likert_jobs


def _statistics(resp, plan: Plan, opts: ReportOptions, steps) -> dict:
    """Each statistic computed once: reliability, descriptives, group comparisons, frequencies."""
    from coprod.analysis.stats import common as _stats
    from coprod.analysis.stats.compare import compare
    from coprod.analysis.stats.descriptives import descriptives
    from coprod.analysis.stats.frequencies import frequencies
    from coprod.analysis.stats.reliability import reliability

    by, scale_names, likert = plan.by, plan.scale_names, plan.likert
    w = {"weight": opts.weight, "weight_type": opts.weight_type}
    tables: dict = {"sample": plan.sample}
    steps.step("reliability")
    if scale_names:
        rel = reliability(resp, by=by, scale=scale_names, **w)
        # groups a scale was not asked of (n = 0) would only fill the table with empty rows
        keep = rel.scale[rel.scale["n"] > 0]
        asked = set(zip(keep["scale"], keep["group"]))
        tables["reliability"] = keep.reset_index(drop=True)
        # item-total statistics of all respondents (per group they would repeat every item k times)
        it = rel.item_total
        tables["item_total"] = it[(it["group"] == _stats.TOTAL).to_numpy()
                                  & np.array([(s, g) in asked for s, g in zip(it["scale"], it["group"])], dtype=bool)
                                  ].reset_index(drop=True)
    steps.step("descriptive statistics")
    if scale_names + likert:
        desc = descriptives(resp, items=scale_names + likert, by=by, **w)
        tables["descriptives_scales"] = desc[desc["variable"].isin(scale_names)].reset_index(drop=True)
        tables["descriptives"] = desc[desc["variable"].isin(likert)].reset_index(drop=True)
    steps.step("group comparisons")
    compared = scale_names or likert
    if compared and plan.groups.k >= 2 and opts.weights is None:  # no weighted tests of scores and items
        cmp = compare(resp, items=compared, by=by, test=opts.test, adjust=opts.adjust, listwise=opts.listwise)
        tables["tests"], tables["posthoc"] = cmp.tests, cmp.posthoc
    steps.step("frequencies")
    if plan.nominal:
        tables["frequencies"] = frequencies(resp, items=plan.nominal, by=by, **w)
    return tables


def _more_sections(resp, plan: Plan, opts: ReportOptions, tables: dict, steps) -> dict:
    """Non-response, can the groups be compared (measurement invariance) and what respondents said (coded
    answers): their blocks, the note on the comparisons, the methods sentences; their tables go into ``tables``."""
    from coprod.analysis.report import coded as _coded, invariance as _inv, nonresponse as _nr

    extra: dict = {"invariance": [], "coding": [], "compare_note": "", "methods": [], "nonresponse": []}
    label, lang = resp.label, plan.lang
    steps.step("non-response")
    if plan.inst is not None:
        parts = _nr.nonresponse_parts(resp, plan.by, opts.adjust)
        tables.update(parts.tables)
        extra["nonresponse"] = _nr.blocks(parts, label, "" if plan.overall else resp.label(plan.by), opts.min_cell, lang,
                                          _chart_format(opts))
        extra["methods"].append(_nr.methods_sentence(parts, lang))
    steps.step("measurement invariance")
    if opts.invariance and not plan.overall and plan.groups.k >= 2 and plan.scales and opts.weights is None:
        parts = _inv.invariance_parts(resp, plan.by, plan.scale_names, opts.min_cell)
        tables["cfa_fit"], tables["cfa_excluded"] = parts.fit, parts.excluded
        extra["invariance"] = _inv.blocks(parts, label, resp.label(plan.by), lang)
        extra["compare_note"] = _inv.compare_note(parts, label, lang)
        extra["methods"].append(_inv.methods_sentence(parts, lang))
    steps.step("coded answers")
    if opts.coded is not None:
        parts = _coded.coded_parts(opts.coded, resp, plan.inst, plan.by, key_file=opts.key_file, adjust=opts.adjust,
                                   lang=lang)
        tables.update({k: v for k, v in parts.tables.items() if k in ("themes", "theme_tests", "agreement", "quotes")})
        extra["coding"] = _coded.blocks(parts, opts.min_cell, lang)
        extra["methods"].append(_coded.methods_sentence(parts, lang))
    return extra


def _figures(plan: Plan, box_jobs: list, likert_jobs: list, fmt: str) -> tuple[list, list, Callable]:
    """The charts with their captions (box plots of the scale scores, "(1/3)" after the title where they take
    more than one figure; Likert charts of the items), their images not yet filled in; and what fills them in:
    the charts no worker has started drawn here, from the last one back, the others waited for
    (:meth:`parallel.Job.results`)."""
    from coprod.analysis.report import charts

    title = say("r.scores" if plan.overall else "r.scores by group", plan.lang)
    n = len(box_jobs)
    scale_figs = [sections.figure("scores" if i == 0 else f"scores-{i + 1}",
                                  say("r.box caption", plan.lang, title=title + (f" ({i + 1}/{n})" if n > 1 else "")),
                                  None, fmt) for i in range(n)]
    figs, jobs = list(scale_figs), list(box_jobs)
    item_figs = [sections.figure(f"likert-{i + 1}", f"{head}: " + charts.likert_caption(lc, plan.overall, plan.lang),
                                 None, fmt)
                 for i, (head, lc, _job) in enumerate(likert_jobs)]
    figs += item_figs
    jobs += [job for _, _, job in likert_jobs]

    def drawn() -> None:
        for fig, img in zip(figs, parallel.Job.results(jobs)):
            if fmt == "svg":
                fig.svg = img
            else:
                fig.png = img

    return scale_figs, item_figs, drawn


def _methods(resp, plan: Plan, tables: dict, opts: ReportOptions, versions: dict, extra: list) -> str:
    groups, min_cell = plan.groups, opts.min_cell
    group_ns = [] if plan.overall else [
        (lab, int(k) if not (min_cell and 0 < k < min_cell) else say("m.fewer", plan.lang, k=min_cell))
        for lab, k in zip(groups.labels, np.bincount(groups.index[groups.index >= 0], minlength=groups.k))]
    return methods_paragraph(versions=versions, n=len(resp), group_ns=group_ns,
                             by_label="" if plan.overall else resp.label(plan.by), n_no_group=plan.n_no_group,
                             inst=plan.inst, scales=plan.scales, tests=tables.get("tests"),
                             posthoc=tables.get("posthoc"), adjust=opts.adjust, listwise=opts.listwise,
                             min_cell=min_cell, validated=plan.validation is not None, lang=plan.lang,
                             extra=extra)


def _provenance(inst, source, digest, opts: ReportOptions, versions: dict) -> dict:
    return {"coprod": versions["coprod"],
            "instrument": f"{inst.id} {inst.version}" if inst is not None else "none",
            "input": source.name if source is not None else "(data given in memory)",
            "input SHA-256": (digest.result() if digest is not None else None) or "",
            "command": opts.command or "",
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "software": ", ".join(f"{k} {v}" for k, v in versions.items() if k != "coprod"),
            "small-cell threshold": str(opts.min_cell) if opts.min_cell else "off"}


def _write(doc: Document, opts: ReportOptions) -> list:
    """Each output written whole or not at all (a Markdown report's charts into a folder beside it)."""
    paths = []
    for o, f in opts.targets:
        if o is not None:
            paths.append(write_markdown(doc, o, opts.force) if f == "md"
                         else write_output(render_document(doc, f), o, opts.force))
    return paths
