"""The report: one document with everything a group comparison study needs.

:func:`build_report` reads a response file (or takes :class:`~analysis.responses.Responses`),
and writes, in HTML, Excel, Word or Markdown:

1. the sample by group (and respondents without a valid group);
2. a methods paragraph written from what was actually run, ready to paste into a paper;
3. the data check against the questionnaire (when there is one);
4. reliability of every scale (overall and per group) with item-total statistics;
5. scale scores by group: M (SD), box plots, group comparisons with effect sizes and post hoc tests;
6. the Likert items: diverging bar charts by group and descriptive statistics;
7. frequencies of the categorical questions;
8. provenance: coprod version, instrument id and version, input file and its SHA-256, the
   command line and the date.

Without a grouping variable (no ``by`` and no group question in the instrument, or no
instrument) the report describes the whole sample: one "All respondents" row, overall
statistics and charts, no group comparisons.  Markdown reports keep their charts as PNG files
in a folder beside the .md (:func:`analysis.render.write_markdown`).

Each statistic is computed once by the library functions (:mod:`analysis.descriptives`,
:mod:`analysis.reliability`, :mod:`analysis.compare`, :mod:`analysis.frequencies`); charts are
drawn from counts and quartiles.  Small cells are suppressed in every table and chart.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from coprod.instrument.errors import OptionError

from coprod.analysis.report.provenance import sha256_of, software_versions
from coprod.analysis.render import (DEFAULT_MIN_CELL, Document, Figure, Heading, Paragraph, RenderContext,
                                    render_document, resolve_format, write_markdown, write_output)
from coprod.analysis.render.specs import descriptives_by_group, display_table
from coprod.analysis.render.suppress import suppress_table

REPORT_FORMATS = ("html", "xlsx", "docx", "md")
#: The one group of a report without a grouping variable (tables, box plots).
ALL = "All respondents"


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
        if self.progress is not None:
            self.progress.stop()


# ------------------------------------------------------------------------------- charts beside the statistics
#: Data files from this size on (bytes; in memory: values x 8) have their charts drawn in a second
#: process while the statistics run; smaller ones draw them in-process (starting a process costs more).
PARALLEL_CHARTS_FROM = 8_000_000


def _rating_like(resp, name: str, most: int = 11) -> bool:
    """Whether a variable of a file without a questionnaire is a rating item: the ordinal measure
    level, whole-number answers and at most ``most`` distinct valid values (value labels alone do not
    say it: SPSS files often mark a labelled nominal variable such as gender as "scale")."""
    if resp.measure.get(name) != "ordinal":
        return False
    vals = resp.valid([name])[name].dropna()
    if not pd.api.types.is_numeric_dtype(vals):
        return False
    vals = vals.to_numpy(dtype=float)
    return len(vals) > 0 and bool(np.all(vals == np.floor(vals))) and len(np.unique(vals)) <= most


def _parallel_charts(data) -> bool:
    if not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2:
        return False  # fork is safe on Linux only; elsewhere everything is drawn in-process
    if threading.active_count() > 1 or os.environ.get("COPROD_ONE_PROCESS"):
        return False  # forking a threaded process (e.g. a Jupyter kernel) can deadlock; or switched off
    try:
        size = Path(data).stat().st_size if isinstance(data, (str, Path)) else int(data.data.size) * 8
    except (OSError, AttributeError):
        return False
    return size >= PARALLEL_CHARTS_FROM


def _warm_up() -> bool:
    """Load matplotlib and its fonts in the chart process (while the main process reads the data)."""
    from coprod.analysis.report import charts

    lc = charts.LikertCounts(["a"], ["a"], ["g"], [1.0, 2.0], ["no", "yes"], np.array([[[3, 4]]]), np.array([[0]]))
    charts.likert_chart(lc, "warm-up", min_cell=0)
    return True


class _Job:
    """A chart (or any picklable call): drawn by the chart process, or here when that has not
    started on it (or there is none).  ``state``: queued, sent (to the process), done."""

    def __init__(self, fn: Callable, args: tuple, owner: "_ChartJobs | None" = None):
        self.fn, self.args, self.owner = fn, args, owner
        self.state, self.value, self.future = "queued", None, None
        self.sent = threading.Event()

    def take(self) -> bool:
        """Do it here if it is still queued; True when done."""
        owner = self.owner
        if owner is not None:
            with owner.lock:
                if self.state != "queued":
                    return self.state == "done"
                if self in owner.queue:
                    owner.queue.remove(self)
                self.state = "mine"
        elif self.state != "queued":
            return self.state == "done"
        self.value, self.state = self.fn(*self.args), "done"
        return True

    def result(self):
        if self.state == "sent":
            from concurrent.futures.process import BrokenProcessPool

            self.sent.wait()
            try:
                self.value, self.state = self.future.result(), "done"
            except (BrokenProcessPool, OSError, EOFError, RuntimeError):  # the process died or was shut down
                self.value, self.state = self.fn(*self.args), "done"
        self.take()
        return self.value

    def settle(self, timeout: float = 30) -> None:
        """Wait (a while) for the chart process to finish this job, if it has it."""
        if self.state == "sent" and self.sent.wait(timeout):
            try:
                self.future.result(timeout=timeout)
            except Exception:
                pass


#: A .sav of at least this many rows is read in two parts at once (the second by the chart process).
SPLIT_READ_FROM = 50_000
#: Share of the rows read by the chart process: more than half, as it starts at once while this
#: process first imports the statistics libraries.
SPLIT_SHARE = 0.58


def _read_rows(path: str, offset: int, limit: int, fd: int) -> int:
    """Read rows offset .. offset + limit - 1 and leave them pickled in the memory file ``fd``.

    Returned through the process pool's pipe, 50 MB would wait until the other process is done
    with its own reading (which holds the interpreter lock); the memory file (shared by the fork,
    never on disk) is there at once.
    """
    import pickle

    import pyreadstat

    df = pyreadstat.read_sav(path, user_missing=True, row_offset=offset, row_limit=limit)[0]
    with os.fdopen(os.dup(fd), "wb") as fh:
        fh.seek(0)
        fh.truncate()
        pickle.dump(df, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return len(df)


class _SplitRead:
    """``pyreadstat.read_sav`` of a large uncompressed .sav in two parts read at the same time.

    The second part is handed to the chart process as soon as the report starts (it reads while
    this process imports the statistics libraries and reads the first part); it comes back
    through an anonymous memory file and the parts are joined in row order.  Anything unexpected
    falls back to reading the whole file here.
    """

    def __init__(self, jobs: "_ChartJobs", path: Path):
        self.job = self.fd = None
        if jobs.pool is None:
            return
        try:
            with open(path, "rb") as fh:
                head = fh.read(76)
            if head[:4] != b"$FL2" or head[72:76] != bytes(4):  # compressed rows cannot be skipped to
                return
            import pyreadstat

            n = pyreadstat.read_sav(str(path), metadataonly=True)[1].number_rows
            if not n or n < SPLIT_READ_FROM:
                return
            self.rows = int(n)
            self.split = self.rows - int(self.rows * SPLIT_SHARE)
            self.fd = os.memfd_create("coprod-part")  # before the worker is forked, which inherits it
            self.job = jobs.submit(_read_rows, str(path), self.split, self.rows - self.split, self.fd)
        except Exception:
            self.close()
            self.job = None

    def __call__(self, path, **kwargs):
        import pyreadstat

        if self.job is None or kwargs.get("user_missing") is not True or set(kwargs) - {"user_missing"}:
            return pyreadstat.read_sav(path, **kwargs)
        first, meta = pyreadstat.read_sav(path, row_limit=self.split, **kwargs)
        second = None
        try:
            import pickle

            if self.job.result() == self.rows - self.split:
                with os.fdopen(os.dup(self.fd), "rb") as fh:
                    fh.seek(0)
                    second = pickle.load(fh)
        except Exception:
            pass
        finally:
            self.close()
        if second is None or list(second.columns) != list(first.columns) or len(first) + len(second) != self.rows \
                or list(second.dtypes) != list(first.dtypes):
            return pyreadstat.read_sav(path, **kwargs)
        df = pd.concat([first, second], ignore_index=True)
        meta.number_rows = self.rows
        return df, meta

    def close(self) -> None:
        if self.fd is not None:
            if self.job is not None:  # let the chart process finish writing before the memory goes
                self.job.settle()
            try:
                os.ftruncate(self.fd, 0)  # the worker holds the file open too: free the memory now
            except OSError:
                pass
            os.close(self.fd)
            self.fd = None


class _ChartJobs:
    """One worker process for the charts (large data on a machine with two or more cores).

    Charts are queued as soon as their counts are known and handed to the worker one at a time,
    so it draws them while this process computes the statistics; afterwards this process draws
    those still queued, from the last one back.  Either way each chart is made by the same
    function from the same numbers, so the report is the same with or without the worker.
    """

    def __init__(self, parallel: bool):
        self.pool = None
        self.warm = False
        self.lock = threading.Lock()
        self.queue: list = []
        self.busy = False
        if parallel:
            try:
                import multiprocessing as mp
                from concurrent.futures import ProcessPoolExecutor

                # fork: the worker starts at once with what is already imported, and (unlike spawn or
                # forkserver) never re-runs the caller's script, which may lack an ``if __name__ == "__main__"``
                self.pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"))
            except Exception:  # no processes here (sandbox, frozen app): draw in-process
                self.close()

    def warm_up(self) -> None:
        if self.pool is not None and not self.warm:
            self.warm = True
            self.submit(_warm_up)

    def submit(self, fn: Callable, *args) -> _Job:
        if self.pool is None:
            return _Job(fn, args)
        job = _Job(fn, args, self)
        with self.lock:
            self.queue.append(job)
        self._feed()
        return job

    def _feed(self, _finished=None) -> None:
        """Hand the next queued job to the worker when it has none (one at a time, so that the rest
        can still be taken back)."""
        with self.lock:
            if _finished is not None:
                self.busy = False
            if self.busy or not self.queue or self.pool is None:
                return
            job = self.queue.pop(0)
            job.state, self.busy = "sent", True
        try:
            job.future = self.pool.submit(job.fn, *job.args)
        except Exception:  # broken or shut down: this job, and the rest, are done here
            with self.lock:
                job.state, self.busy, self.pool = "queued", False, None
            job.owner = None
            job.sent.set()
            return
        job.sent.set()
        job.future.add_done_callback(self._feed)

    @staticmethod
    def results(jobs: list) -> list:
        for job in reversed(jobs):  # take back what the worker has not been given, from the end
            job.take()
        return [job.result() for job in jobs]

    def close(self) -> None:
        with self.lock:
            pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


# ------------------------------------------------------------------------------- helpers
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


def _sample_table(resp, groups) -> tuple[pd.DataFrame, int]:
    n = len(resp)
    counts = np.bincount(groups.index[groups.index >= 0], minlength=groups.k)
    none = int((groups.index < 0).sum())
    rows = [{"group": lab, "n": int(c), "percent": 100.0 * c / n if n else np.nan} for lab, c in zip(groups.labels, counts)]
    if none:
        rows.append({"group": "No valid group", "n": none, "percent": 100.0 * none / n})
    rows.append({"group": "Total", "n": n, "percent": 100.0 if n else np.nan})
    return pd.DataFrame(rows, columns=["group", "n", "percent"]), none


def _join(words: list[str]) -> str:
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _methods(*, versions, n, group_ns, by_label, n_no_group, inst, scales, tests, posthoc, adjust, listwise,
             min_cell, validated, lang) -> str:
    from coprod.instrument.model import text_in

    from coprod.analysis.render import apa

    s = []
    groups = _join([f"{g} (n = {k})" for g, k in group_ns])
    s.append(f"The analysis included {n} respondents" + (f" in {len(group_ns)} groups by {by_label.lower()}: {groups}" if group_ns else "")
             + (f"; {n_no_group} without a valid group answer were left out of the group comparisons" if n_no_group else "") + ".")
    if validated:
        s.append("Responses were checked against the questionnaire definition (answer codes, ranges and skip logic); "
                 "values that failed the check were treated as missing.")
    s.append("Answers coded as missing (such as \"don't know\" and \"not applicable\") were treated as missing values.")
    if scales:
        parts = []
        for sc in scales:
            rule = f"at least {sc.min_valid} of {len(sc.items)} items" if sc.min_valid > 1 else "at least one item"
            parts.append(f"{text_in(sc.label, lang, inst.default_language) or sc.name} ({len(sc.items)} items"
                         + (f", {len(sc.reverse)} reverse-keyed" if sc.reverse else "") + f"; {rule})")
        s.append("Scale scores were the " + ("mean" if all(sc.score == "mean" for sc in scales) else "mean or sum")
                 + " of the items, computed when a respondent answered enough items: " + "; ".join(parts) + ".")
        s.append("Internal consistency was estimated with Cronbach's α (with Feldt's 95% confidence interval) and "
                 "McDonald's ω (one-factor model, minimum residual), from the respondents who answered every item of the scale.")
    if tests is not None and len(tests):
        used = pd.Series([apa.test_name(t) for t in tests["test"] if isinstance(t, str)]).value_counts()
        words = [f"{'the ' if not name.startswith(('Welch', 'Student', 'Fisher', 'Dunn')) else ''}{name}"
                 + (f" ({k} variable{'s' if k != 1 else ''})" if len(used) > 1 else "") for name, k in used.items()]
        es = [apa.effect_name(e) for e in dict.fromkeys(tests.get("effsize_name", pd.Series(dtype=object))) if isinstance(e, str) and e]
        s.append(f"Groups were compared with {_join(words)}" + (f"; effect sizes ({_join(es)}) are reported with 95% confidence intervals" if es else "") + ".")
        if "levene_p" in tests.columns and tests["levene_p"].notna().any():
            s.append("Homogeneity of variances was checked with Levene's test (mean-centred).")
        if posthoc is not None and len(posthoc):
            methods = [apa.test_name(m) for m in dict.fromkeys(posthoc["method"]) if isinstance(m, str)]
            s.append(f"Pairwise post hoc comparisons used {_join(methods)}.")
        k = int(tests["p"].notna().sum())
        if adjust and adjust != "none" and k > 1:
            s.append(f"p-values of the {k} group comparisons were adjusted for multiple testing with {apa.adjust_name(adjust)}.")
        elif k > 1:
            s.append("p-values were not adjusted for multiple testing.")
        s.append("Missing data were handled " + ("listwise (only respondents with valid answers to every compared variable)."
                                                  if listwise else "pairwise: each analysis used every respondent with valid values on the variables it involved."))
    if min_cell:
        s.append(f"To protect confidentiality, figures resting on fewer than {min_cell} respondents were suppressed, "
                 "together with the figures from which they could be worked out.")
    s.append(f"Analyses were run with coprod {versions['coprod']} (Python {versions['Python']}; pandas {versions['pandas']}, "
             f"SciPy {versions['SciPy']}, statsmodels {versions['statsmodels']}).")
    return " ".join(s)


# ------------------------------------------------------------------------------- the report
def build_report(data, by: str | None = None, instrument=None, out=None, fmt: str | None = None,
                 lang: str | None = None, min_cell: int = DEFAULT_MIN_CELL, adjust: str = "holm",
                 test: str = "auto", listwise: bool = False, force: bool = False, command: str | None = None,
                 title: str | None = None, progress: bool | None = None,
                 chart_format: str | None = None) -> ReportResult:
    """Analyse ``data`` by group and write the report to ``out`` (format from ``fmt`` or the extension).

    Parameters
    ----------
    data : path or Responses
        A response file (any format :func:`analysis.load_responses` reads) or responses already loaded.
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
        ``"png"`` (default; every format) or ``"svg"`` (sharper in HTML; Excel and Word then get no charts).
    """
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
    if min_cell is None or min_cell < 0:
        raise OptionError("must be 0 (off) or a positive number", param="min_cell")
    from coprod.instrument.files import check_writable

    from coprod.analysis.render import check_figure_dir

    for o, f in targets:
        if o is not None:
            check_writable(o, force)
            if f == "md":  # its charts go into a folder beside it
                check_figure_dir(o, force)
    jobs = _ChartJobs(_parallel_charts(data))
    split = _SplitRead(jobs, Path(data)) if jobs.pool is not None and isinstance(data, (str, Path)) else None
    if split is None or split.job is None:
        jobs.warm_up()  # the worker is forked at its first job: now, before the progress display starts a thread
    try:
        with ExitStack() as scope:
            return _build_report(data, by, instrument, lang, min_cell, adjust, test, listwise, force, command, title,
                                 progress, chart_format, targets, jobs, split, scope)
    finally:
        if split is not None:
            split.close()
        jobs.close()


def _build_report(data, by, instrument, lang, min_cell, adjust, test, listwise, force, command, title, progress,
                  chart_format, targets, jobs: _ChartJobs, split, scope: ExitStack) -> ReportResult:
    from coprod.analysis.stats import common as _stats
    from coprod.analysis.stats.compare import compare
    from coprod.analysis.stats.descriptives import descriptives
    from coprod.analysis.stats.frequencies import frequencies
    from coprod.analysis.stats.reliability import reliability

    steps = _Steps(10, progress)
    steps.step("reading the data")
    source = None
    if isinstance(data, (str, Path)):
        from coprod.analysis.data.io import load_responses

        source = Path(data)
        digest = jobs.submit(sha256_of, source)  # by the chart process, if any, beside the reading
        jobs.warm_up()
        resp = load_responses(source, instrument=instrument, read_sav=split)
    else:
        from coprod.analysis.data.responses import as_responses

        resp = as_responses(data)
        digest = None
    inst = instrument if instrument is not None else resp.instrument
    if inst is not None:
        resp.instrument = inst
    lang = lang or (inst.default_language if inst is not None else "en")
    if inst is not None and lang not in inst.languages:
        raise OptionError(f"{lang!r} is not one of the instrument's languages ({', '.join(inst.languages)})", param="lang")
    if by is None:
        by = inst.group_question if inst is not None else None
    # no grouping variable: the report describes the whole sample (one service, one group)
    overall = by is None
    if not overall:
        by = resp.resolve(by)

    validation = None
    if inst is not None:
        steps.step("checking the data")
        from coprod.analysis.data.validate import CLEARED, validate

        validation = validate(resp, inst)
        cells = validation.cells(CLEARED)
        if cells:  # failed values become system-missing for the statistics; the input stays as it is
            resp.data = resp.data.copy()
            for var, pos in cells.items():
                if var in resp.data.columns:
                    col = resp.data[var]
                    resp.data[var] = col.astype(object if col.dtype == object else float)
                    resp.data.iloc[pos, resp.data.columns.get_loc(var)] = None if col.dtype == object else np.nan
        steps.step("scoring the scales")
        from coprod.analysis.data.scoring import score

        resp = score(resp, inst)
        resp.instrument = inst
        _relabel(resp, inst, lang)

    groups = _stats.groups_of(resp, by)
    group_order = [] if overall else list(groups.labels)
    if not overall and inst is not None and inst.group_question and inst.group_question.lower() == by.lower() \
            and inst.groups:
        group_order = [resp.value_label(by, float(g.code)) for g in inst.groups]
    if overall:
        sample, n_no_group = pd.DataFrame([{"group": ALL, "n": len(resp), "percent": 100.0 if len(resp) else np.nan}],
                                          columns=["group", "n", "percent"]), 0
    else:
        sample, n_no_group = _sample_table(resp, groups)

    scales = [s for s in (inst.scales.values() if inst is not None else []) if s.name in resp.data.columns]
    scale_names = [s.name for s in scales]
    likert = []
    nominal = []
    if inst is not None:
        for v in inst.variables:
            if v.name not in resp.data.columns or (not overall and v.name.lower() == by.lower()):
                continue
            q = v.question
            if q.type == "likert" or (q.type == "single" and q.choices is not None and q.choices.ordered):
                likert.append(v.name)
            elif q.type in ("single", "multiple"):
                nominal.append(v.name)
    else:
        rid = {"id", "resp_id", "respondent_id"}
        for c in resp.data.columns:
            if c == by or str(c).lower() in rid or not pd.api.types.is_numeric_dtype(resp.data[c]):
                continue
            m = resp.measure_of(c)
            (likert if m in ("ordinal", "scale") else nominal).append(c)

    # every statistic below masks the same columns: once
    scope.enter_context(resp.shared_valid())

    # ---- charts: counted now, drawn (by the chart process when there is one) while the statistics run
    steps.step("counting for the charts")
    chart_fmt = chart_format or "png"  # PNG draws faster than SVG and serves every format at once
    from coprod.analysis.report import charts

    box_job = None  # first: the slowest chart (its layout is fitted), best drawn by the chart process
    if scales:
        panels = []
        for s in scales:
            vals = resp.data[s.name].to_numpy(dtype=float, na_value=np.nan)
            labels = [ALL] if overall else groups.labels
            panels.append((resp.label(s.name), charts.box_stats(vals, groups.index, labels)))
        box_job = jobs.submit(charts.score_boxplots, panels, chart_fmt, min_cell)
    done = set()
    chart_sets = []
    for s in scales:
        items = [i for i in s.items if i in resp.data.columns and i in likert]
        if items:
            chart_sets.append((resp.label(s.name), items))
            done.update(items)
    rest = [v for v in likert if v not in done]
    if rest and inst is not None:
        by_list: dict = {}
        for v in rest:
            cl = inst.variable(v).question.choices
            by_list.setdefault(cl.name if cl else "", []).append(v)
        chart_sets += [("Other items", vs) for vs in by_list.values()]
    elif rest:
        # a Likert chart of a continuous number says nothing; items share a chart only when they
        # share their answer codes (a chart counts the codes of its first item)
        by_codes: dict = {}
        for v in rest:
            if _rating_like(resp, v):
                miss = set(resp.missing_codes.get(v) or ())
                rng = resp.missing_ranges.get(v) or ()
                labelled = [c for c in (resp.value_labels.get(v) or {})
                            if c not in miss and not any(lo <= c <= hi for lo, hi in rng)]
                key = tuple(sorted(labelled)) or tuple(np.unique(resp.valid([v])[v].dropna().to_numpy(dtype=float)))
                by_codes.setdefault(key, []).append(v)
        chart_sets += [("Items", vs) for vs in by_codes.values()]
    likert_jobs = []
    for title_, items in chart_sets:
        lc = charts.likert_counts(resp, items, by=by, lang=lang)
        likert_jobs.append((title_, lc, jobs.submit(charts.likert_chart, lc, title_, chart_fmt, min_cell)))

    tables: dict = {"sample": sample}
    steps.step("reliability")
    if scales:
        rel = reliability(resp, by=by, scale=scale_names)
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
    desc_vars = scale_names + likert
    if desc_vars:
        desc = descriptives(resp, items=desc_vars, by=by)
        tables["descriptives_scales"] = desc[desc["variable"].isin(scale_names)].reset_index(drop=True)
        tables["descriptives"] = desc[desc["variable"].isin(likert)].reset_index(drop=True)
    steps.step("group comparisons")
    compared = scale_names or likert
    tests = posthoc = None
    if compared and groups.k >= 2:
        cmp = compare(resp, items=compared, by=by, test=test, adjust=adjust, listwise=listwise)
        tests, posthoc = cmp.tests, cmp.posthoc
        tables["tests"], tables["posthoc"] = tests, posthoc
    steps.step("frequencies")
    if nominal:
        tables["frequencies"] = frequencies(resp, items=nominal, by=by)

    # ---- suppression and display tables
    hidden: dict = {}
    shown: dict = {}
    for name, df in tables.items():
        rule = "descriptives" if name.startswith("descriptives") else name
        shown[name], hidden[name] = suppress_table(rule, df, min_cell, related=tables)
    hidden["descriptives"] = hidden.get("descriptives", 0) + hidden.get("descriptives_scales", 0)
    if overall:  # one group: no group column in the reliability tables
        for name in ("reliability", "item_total"):
            if name in shown and "group" in shown[name].columns:
                shown[name] = shown[name].drop(columns="group")
    ctx = RenderContext(group_order=group_order, min_cell=min_cell, suppressed=hidden, adjust=adjust,
                        missing_rule=("Listwise: respondents with valid answers to every compared variable."
                                      if listwise else None))

    steps.step("charts")
    _ChartJobs.results(([box_job] if box_job is not None else []) + [job for _, _, job in likert_jobs])
    figures_scales = []
    if box_job is not None:
        figures_scales.append(_fig("scores", ("Scale scores" if overall else "Scale scores by group")
                                   + ". Boxes: quartiles; line: median; diamond: mean; "
                                   "whiskers: most extreme scores within 1.5 interquartile ranges; outliers not drawn.",
                                   box_job.result(), chart_fmt))
    likert_figs = [_fig(f"likert-{i + 1}", f"{title_}: " + charts.likert_caption(lc, overall=overall), job.result(),
                        chart_fmt)
                   for i, (title_, lc, job) in enumerate(likert_jobs)]

    # ---- the document
    steps.step("writing the report")
    versions = software_versions()
    group_ns = [] if overall else [
        (lab, int(k) if not (min_cell and 0 < k < min_cell) else f"fewer than {min_cell}")
        for lab, k in zip(groups.labels, np.bincount(groups.index[groups.index >= 0], minlength=groups.k))]
    by_label = "" if overall else resp.label(by)
    methods = _methods(versions=versions, n=len(resp), group_ns=group_ns, by_label=by_label, n_no_group=n_no_group,
                       inst=inst, scales=scales, tests=tests, posthoc=posthoc, adjust=adjust, listwise=listwise,
                       min_cell=min_cell, validated=validation is not None, lang=lang)
    doc_title = title or (("Report: " + inst.text(inst.title, lang)) if inst is not None
                          else "Report" if overall else f"Report by {by}")
    doc = Document(doc_title)
    B = doc.blocks
    B.append(Heading("Sample"))
    B.append(display_table("sample", shown["sample"], ctx,
                           title="Respondents" if overall else f"Respondents by {by_label.lower()}"))
    B.append(Heading("Methods"))
    B.append(Paragraph(methods, "methods"))
    if validation is not None:
        B.append(Heading("Data check"))
        B += _validation_blocks(validation, ctx)
    if "reliability" in shown:
        B.append(Heading("Reliability"))
        B.append(display_table("reliability", shown["reliability"], ctx))
        B.append(display_table("item_total", shown["item_total"], ctx))
    if overall and "descriptives_scales" in shown and len(shown["descriptives_scales"]):
        B.append(Heading("Scale scores"))
        B.append(display_table("descriptives", shown["descriptives_scales"], ctx, title="Scale scores"))
        B += figures_scales
    elif "descriptives_scales" in shown and len(shown["descriptives_scales"]):
        B.append(Heading("Scale scores by group"))
        gn = dict(zip(shown["sample"]["group"], shown["sample"]["n"]))
        B.append(descriptives_by_group(shown["descriptives_scales"], ctx, gn, title="Scale scores by group, M (SD)"))
        B += figures_scales
    if tests is not None:
        if not scales:
            B.append(Heading("Group comparisons"))
        B.append(display_table("tests", shown["tests"], ctx,
                               title="Group comparisons of the scale scores" if scales else "Group comparisons"))
        if posthoc is not None and len(posthoc):
            B.append(display_table("posthoc", shown["posthoc"], ctx))
    if likert:
        B.append(Heading("Items"))
        B += likert_figs
        if "descriptives" in shown and len(shown["descriptives"]):
            B.append(display_table("descriptives", shown["descriptives"], ctx,
                                   title="Items" if overall else "Items by group"))
    if "frequencies" in shown:
        B.append(Heading("Frequencies"))
        B.append(display_table("frequencies", shown["frequencies"], ctx,
                               title="Categorical questions" if overall else "Categorical questions by group"))
    prov = {"coprod": versions["coprod"],
            "instrument": f"{inst.id} {inst.version}" if inst is not None else "none",
            "input": source.name if source is not None else "(data given in memory)",
            "input SHA-256": (digest.result() if digest is not None else None) or "",
            "command": command or "",
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "software": ", ".join(f"{k} {v}" for k, v in versions.items() if k != "coprod"),
            "small-cell threshold": str(min_cell) if min_cell else "off"}
    doc.provenance = prov
    paths = []
    for o, f in targets:
        if o is not None:
            paths.append(write_markdown(doc, o, force) if f == "md"  # charts as files beside the .md
                         else write_output(render_document(doc, f), o, force))
    steps.close()
    return ReportResult(paths[0] if len(paths) == 1 else (paths or None), doc, tables, methods, steps.timings)


def _fig(name, caption, img, fmt) -> Figure:
    return Figure(name, caption, svg=img if fmt == "svg" else None, png=img if fmt != "svg" else None)


def _validation_blocks(validation, ctx) -> list:
    from coprod.analysis.data.validate import PROBLEMS

    summary = validation.summary
    if not summary:
        return [Paragraph("No problems found: every answer is a valid code or number and follows the skip logic.")]
    table = validation.table
    counts = table.groupby("problem", sort=True)["count"].sum() if "count" in table.columns else pd.Series(summary)
    sm = pd.DataFrame({"problem": list(summary), "meaning": [PROBLEMS.get(k, "") for k in summary],
                       "rows": [int(summary[k]) for k in summary],
                       "values": [int(counts.get(k, summary[k])) for k in summary]})
    out = [display_table("validation_summary", sm, title="Problems found in the data")]
    detail = table[[c for c in ("row", "respondent_id", "variable", "problem", "value", "detail") if c in table.columns]].head(50)
    t = display_table("validation", detail, title="Problems, first 50" if len(table) > 50 else "Problems")
    t.notes.append("Rows are data rows of the input file (the first row after the header is 1). "
                   "Values that failed the check are treated as missing in every statistic of this report.")
    out.append(t)
    return out
