"""Ctrl-C during report: one line `error: interrupted`, exit 130, no traceback (also from the chart process),
no partial files."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from clirun import coprod
from coprod import instrument


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    from coprod.analysis.data.io import write_responses
    from coprod.analysis.demo.simulate import simulated_responses

    d = tmp_path_factory.mktemp("interrupt")
    write_responses(simulated_responses(instrument.builtin(), n=240, seed=7), d / "data.sav")
    return d / "data.sav"


def test_an_interrupt_that_a_library_wrapped_is_still_an_interrupt(data, tmp_path, monkeypatch):
    """Ctrl-C while Python makes a class arrives as RuntimeError('Error calling __set_name__') from it."""
    from coprod.analysis.render import docx

    def wrapped(*a, **k):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as ki:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance") from ki

    monkeypatch.setattr(docx, "to_docx", wrapped)
    out = tmp_path / "out"
    out.mkdir()
    r = coprod("report", data, "--out", out / "r.html", "--out", out / "r.docx", "--out", out / "r.xlsx")
    assert (r.code, r.err) == (130, "error: interrupted\n")
    assert sorted(os.listdir(out)) == []


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
@pytest.mark.parametrize("delay", [0.5, 0.9])  # while it imports and reads; while it writes (about 1.3 s in all)
def test_ctrl_c_to_the_whole_process_group(data, tmp_path, delay):
    """As a terminal's Ctrl-C: SIGINT to the command and its chart process at once."""
    out = tmp_path / "out"
    out.mkdir()
    cmd = [sys.executable, "-c", "from coprod.cli import main; main()", "report", str(data),
           "--out", str(out / "r.html"), "--out", str(out / "r.docx"), "--out", str(out / "r.xlsx")]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(delay)
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGINT)
    _, err = p.communicate(timeout=120)
    if p.returncode == 0:  # finished before the signal came: then every file is whole
        assert sorted(os.listdir(out)) == ["r.docx", "r.html", "r.xlsx"]
        pytest.skip("the report was done before the signal")
    assert (p.returncode, err.decode()) == (130, "error: interrupted\n")
    assert sorted(os.listdir(out)) == []


def test_ctrl_c_after_the_run_is_over(data, tmp_path):
    """Ctrl-C that comes while Python shuts down, after the files are written: the run is over and says
    so as usual (exit 0, no traceback, no death by the signal), its files whole."""
    out = tmp_path / "r.html"
    code = ("import atexit, os, signal, time\n"
            "atexit.register(lambda: (os.kill(os.getpid(), signal.SIGINT), time.sleep(0.5)))\n"
            "from coprod.cli import main\nmain()\n")
    p = subprocess.run([sys.executable, "-c", code, "frequencies", str(data), "--out", str(out)],
                       capture_output=True, text=True, timeout=120,
                       preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert (p.returncode, p.stderr.count("\n"), "Traceback" in p.stderr) == (0, 1, False), p.stderr
    assert out.read_text(encoding="utf-8").rstrip().endswith("</html>")
