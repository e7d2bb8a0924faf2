"""The report: built once from a simulated .sav into HTML, Excel and Word, then parsed back."""
from __future__ import annotations

import hashlib
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from coprod import instrument
from coprod.analysis.render import apa
from coprod.analysis.report import build_report
from coprod.instrument.errors import OptionError, OutputExistsError


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from coprod.analysis.data.io import write_responses
    from coprod.analysis.demo.simulate import simulated_responses

    d = tmp_path_factory.mktemp("report")
    inst = instrument.builtin()
    sim = simulated_responses(inst, n=240, seed=7)
    # a group of three service users who answered the last item: small cells to suppress
    write_responses(sim, d / "data.sav")
    outs = [d / "r.html", d / "r.xlsx", d / "r.docx", d / "r.md"]
    res = build_report(d / "data.sav", instrument=inst, out=outs, command="coprod report data.sav", progress=False)
    return d, inst, sim, res


def n_figures(inst):
    """Box plots (a figure of six scales at most), one Likert chart per scale, one per answer list of the Likert
    items outside scales."""
    from coprod.analysis.report.charts import BOX_PANELS

    in_scales = {i for s in inst.scales.values() for i in s.items}
    ordered = [q for q in inst.questions if q.name != inst.group_question and
               (q.type == "likert" or (q.type == "single" and q.choices is not None and q.choices.ordered))]
    other = {q.choices.name for q in ordered if q.name not in in_scales}
    return -(-len(inst.scales) // BOX_PANELS) + len(inst.scales) + len(other)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.captions, self.cells, self.paras = [], [], [], []
        self._tag = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a.get("src", ""))
        self._tag = tag

    def handle_data(self, data):
        if self._tag in ("td", "th"):
            self.cells.append(data)
        elif self._tag in ("span", "figcaption", "strong"):
            self.captions.append(data)
        elif self._tag == "p":
            self.paras.append(data)

    def handle_endtag(self, tag):
        self._tag = None


def test_html(built):
    d, inst, sim, res = built
    page = _Page()
    page.feed((d / "r.html").read_text(encoding="utf-8"))
    assert len(page.images) == n_figures(inst)
    assert all(src.startswith("data:image/png;base64,") for src in page.images)  # PNG: Excel and Word share it
    assert "Reliability of the scales" in page.captions and "Group comparisons of the scale scores" in page.captions
    sha = hashlib.sha256((d / "data.sav").read_bytes()).hexdigest()
    assert sha in page.cells and "coprod report data.sav" in page.cells
    assert f"{inst.id} {inst.version}" in page.cells
    tests = res.tables["tests"]
    p_texts = {apa.fmt_p(p) for p in tests["p"].dropna()}
    assert p_texts <= set(page.cells)
    assert "< .001" in page.cells


def test_methods_paragraph(built):
    d, inst, sim, res = built
    m = res.methods
    g = sim.data[inst.group_question]
    for grp in inst.groups:
        n = int((g == grp.code).sum())
        assert f"(n = {n})" in m
    assert "The analysis included 240 respondents in 3 groups" in m
    assert "Holm's method" in m and "Welch's ANOVA" in m and "Games-Howell" in m
    assert "pairwise" in m and "fewer than 5 respondents" in m
    import scipy
    import statsmodels

    assert f"SciPy {scipy.__version__}" in m and f"statsmodels {statsmodels.__version__}" in m and f"pandas {pd.__version__}" in m


def test_scale_means_match_independent_scores(built):
    d, inst, sim, res = built
    from coprod.analysis.data.scoring import reverse_code

    name = next(iter(inst.scales))
    sc = inst.scales[name]
    cols = []
    for item in sc.items:
        q = inst.question(item)
        x = sim.data[item].to_numpy(dtype=float)
        x = np.where(np.isin(x, q.choices.codes), x, np.nan)
        cols.append(reverse_code(x, q.choices.codes) if item in sc.reverse else x)
    X = np.column_stack(cols)
    ok = (~np.isnan(X)).sum(axis=1) >= sc.min_valid
    score = np.where(ok, np.nanmean(np.where(np.isnan(X), np.nan, X), axis=1), np.nan)
    grp = inst.groups[0]
    sel = (sim.data[inst.group_question] == grp.code).to_numpy() & ~np.isnan(score)
    # the planted invalid code (not an option) is missing both here and in the report
    text = f"{np.mean(score[sel]):.2f} ({np.std(score[sel], ddof=1):.2f})"
    table = next(b for b in res.document.tables() if b.name == "descriptives_by_group")
    row = next(r for r in table.rows if r[0] == name)
    assert text in row


def test_xlsx(built):
    import openpyxl

    d, inst, sim, res = built
    wb = openpyxl.load_workbook(d / "r.xlsx")
    assert wb.sheetnames[0] == "Report" and "Charts" in wb.sheetnames
    assert len(wb["Charts"]._images) == n_figures(inst)
    ws = wb["Comparisons"]
    pcol = [c.value for c in ws[3]].index("p") + 1
    ps = [ws.cell(r, pcol) for r in range(4, ws.max_row + 1) if ws.cell(r, pcol).value is not None]
    assert any(c.value == "< .001" and c.data_type == "s" for c in ps)
    assert all(c.number_format == ".000" for c in ps if isinstance(c.value, float))
    report = wb["Report"]
    texts = [c.value for row in report.iter_rows() for c in row if isinstance(c.value, str)]
    assert res.methods in texts
    assert any(t.startswith("input SHA-256: ") for t in texts)


def test_docx(built):
    import docx

    d, inst, sim, res = built
    doc = docx.Document(str(d / "r.docx"))
    assert len(doc.inline_shapes) == n_figures(inst)
    assert len(doc.tables) == len(res.document.tables())
    texts = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "< .001" in texts
    paras = [p.text for p in doc.paragraphs]
    assert res.methods in paras
    assert any(p.startswith("Note. ") and "Feldt" in p for p in paras)


def test_validation_section(built):
    d, inst, sim, res = built
    tables = {t.name: t for t in res.document.tables()}
    summary = tables["validation_summary"]
    problems = {r[0]: r[2] for r in summary.rows}
    assert problems == {"invalid_code": 1, "not_asked": 1, "out_of_range": 1}


def test_suppression_in_report(tmp_path):
    from coprod.analysis.demo.simulate import simulated_responses
    from io_helpers import make_instrument

    inst, _ = make_instrument(tmp_path)  # three groups of about 20 respondents, a scale asked of one group
    sim = simulated_responses(inst, n=60, seed=3)
    res = build_report(sim, instrument=inst, min_cell=25, out=tmp_path / "s.html", progress=False)
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert 'class="r s">..<' in html
    assert "not shown to protect confidentiality: fewer than 25 respondents" in html
    assert "fewer than 25 respondents were suppressed" in res.methods
    # numeric results stay intact
    assert not res.tables["descriptives"]["n"].map(lambda v: isinstance(v, str)).any()


def test_errors(tmp_path, built):
    d, inst, sim, res = built
    with pytest.raises(OptionError):
        build_report(d / "data.sav", instrument=inst, out=tmp_path / "r.pdf")
    with pytest.raises(OutputExistsError):
        build_report(d / "data.sav", instrument=inst, out=d / "r.html")
    with pytest.raises(OptionError):
        build_report(d / "data.sav", instrument=inst, out=tmp_path / "x.html", lang="de")
    # no instrument, no --by: a report of the whole sample, without group comparisons (test_report_overall.py)
    assert "tests" not in build_report(sim.data, out=tmp_path / "x.html", progress=False).tables


def test_cli_report_error_exit_2(tmp_path, cli):
    r = cli("report", tmp_path / "none.sav", "-o", tmp_path / "r.pdf")
    assert r.returncode == 2 and r.stderr.startswith("error: ") and r.stderr.count("\n") == 1


def test_the_responses_passed_in_stay_as_they_were(tmp_path):
    """Scoring, relabelling and clearing failed values happen in the report's own copy."""
    import copy

    from coprod.analysis.demo.simulate import simulated_responses

    inst = instrument.builtin()
    sim = simulated_responses(inst, n=120, seed=5)  # with planted mistakes the data check clears
    sim.notes.append("read from a test")
    frame = sim.data
    data = frame.copy(deep=True)
    meta = {k: copy.deepcopy(getattr(sim, k)) for k in ("variable_labels", "value_labels", "missing_codes",
                                                         "missing_ranges", "measure", "sources", "notes")}
    was = sim.instrument
    res = build_report(sim, instrument=inst, lang="fi", out=tmp_path / "r.html", progress=False)
    assert res.tables["sample"]["n"].iloc[-1] == 120 and "validation_summary" in {t.name for t in res.document.tables()}
    assert sim.data is frame
    pd.testing.assert_frame_equal(sim.data, data)
    for k, v in meta.items():
        assert getattr(sim, k) == v, k
    assert sim.instrument is was and "_shared_valid" not in sim.__dict__
    assert not set(inst.scales) & set(sim.data.columns)


def _children(pid: int) -> list[int]:
    from pathlib import Path

    try:
        return [int(c) for t in Path(f"/proc/{pid}/task").iterdir()
                for c in (t / "children").read_text().split()]
    except OSError:
        return []


@pytest.mark.slow
def test_ctrl_c_during_a_report(tmp_path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while the workers read and
    draw: one line, exit 130, no traceback of any process, no output and nothing left behind."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from coprod.analysis.data.io import write_responses
    from coprod.analysis.demo.simulate import simulated_responses
    from coprod.analysis.report import parallel

    if not Path("/proc/self/task").is_dir() or not hasattr(signal, "pthread_sigmask") or parallel.worker_count() < 1:
        pytest.skip("needs Linux and two cores")
    inst = instrument.builtin()
    write_responses(simulated_responses(inst, n=8000, seed=2), tmp_path / "data.sav")  # a report of a few seconds
    out = tmp_path / "out"
    out.mkdir()
    shm = set(Path("/dev/shm").glob("coprod-*"))
    code = ("import sys; from coprod.analysis.report import parallel; parallel.PARALLEL_FROM = 0; "
            "parallel.CHUNKED_READ_FROM = 10; from coprod.cli import main; sys.argv[0] = 'coprod'; main()")
    p = subprocess.Popen([sys.executable, "-c", code, "report", str(tmp_path / "data.sav"), "-o", str(out / "r.html"),
                          "-o", str(out / "r.md")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True,  # Ctrl-C as a terminal has it, also when the tests run in the background
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while not any(b"resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes() for c in _children(p.pid)
                      if Path(f"/proc/{c}/cmdline").exists()):  # a worker (forked: the command line's own)
            assert p.poll() is None and time.monotonic() < deadline, p.communicate()
            time.sleep(0.05)
        time.sleep(0.5)  # the worker starts, reads, draws
        assert p.poll() is None
        os.killpg(p.pid, signal.SIGINT)
        stdout, stderr = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    assert (p.returncode, stderr, stdout) == (130, "error: interrupted\n", "")
    assert not list(out.iterdir())  # no report, no half-written file, no chart folder
    assert not set(Path("/dev/shm").glob("coprod-*")) - shm  # the workers' folder is gone


def test_a_wrapped_ctrl_c_in_a_job_stops_the_report():
    """A Ctrl-C that a library wrapped on its way (RuntimeError from KeyboardInterrupt) while a worker's
    result was taken stops the report; it is not taken for the worker's failure and the job redone here.
    An ordinary failure over there is still redone here."""
    from concurrent.futures import Future

    from coprod.analysis.report.parallel import Job

    future = Future()
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as ki:
            raise RuntimeError("Error calling __set_name__") from ki
    except RuntimeError as exc:
        future.set_exception(exc)
    redone = []
    with pytest.raises(KeyboardInterrupt):
        Job(lambda: 1, (), future, None, local=lambda: redone.append(1)).result()
    assert redone == []
    failed = Future()
    failed.set_exception(ValueError("over there"))
    assert Job(lambda: 5, (), failed, None).result() == 5
