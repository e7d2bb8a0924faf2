"""Shared fixtures: ``cli`` runs the coprod command line inside the test process.

``cli("describe", path, "--by", "role")`` calls :func:`coprod.cli.main` with ``sys.argv`` set, as the
console script does, and returns what a user sees: the exit code, stdout and stderr. Warnings go to
stderr as they would in a fresh interpreter. No interpreter start-up and no re-import per call: the
few checks that need a real process (start-up time, the console script itself) are in
test_cli_process.py.
"""
from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import signal
import sys
import warnings

import pytest

# the built-in instrument kept between runs (coprod.instrument.cache): this test run's own, not the user's
if "COPROD_CACHE_DIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ["COPROD_CACHE_DIR"] = tempfile.mkdtemp(prefix="coprod-cache-")
    atexit.register(shutil.rmtree, os.environ["COPROD_CACHE_DIR"], True)


@dataclasses.dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def returncode(self) -> int:  # the name subprocess.CompletedProcess uses
        return self.exit_code


def _show_warning(message, category, filename, lineno, file=None, line=None):
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


@contextlib.contextmanager
def _fresh_interpreter_warnings():
    """The warning filters of a plain ``python`` (not pytest's), printed to stderr."""
    with warnings.catch_warnings():
        warnings.resetwarnings()
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
            warnings.simplefilter("ignore", category)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        warnings.showwarning = _show_warning
        yield


def _exit_code(exc: SystemExit, stderr) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    stderr.write(f"{exc.code}\n")  # as the interpreter prints sys.exit("message")
    return 1


@pytest.fixture()
def cli(monkeypatch):
    """``run(*args, cwd=None) -> Result(exit_code, stdout, stderr)``: the ``coprod`` command, in-process."""
    from coprod import cli as coprod_cli

    monkeypatch.delenv("COPROD_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "80")  # the width of a terminal-less run
    # click names the program after __main__; under `python -m pytest` that would be "python -m pytest"
    monkeypatch.setattr(sys.modules["__main__"], "__package__", None, raising=False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # typer replaces it on every call

    def run(*args, cwd=None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        argv, here, sigint = sys.argv, os.getcwd(), signal.getsignal(signal.SIGINT)
        sys.argv = ["coprod", *map(str, args)]
        try:
            if cwd is not None:
                os.chdir(cwd)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _fresh_interpreter_warnings():
                try:
                    coprod_cli.main()
                    code = 0
                except SystemExit as exc:
                    code = _exit_code(exc, err)
        finally:
            sys.argv = argv
            os.chdir(here)
            signal.signal(signal.SIGINT, sigint)  # the command's process ignores Ctrl-C once done; not this one
        return Result(code, out.getvalue(), err.getvalue())

    return run


@contextlib.contextmanager
def no_hang(seconds: int = 120):
    """Fail a test whose work does not end (a hang guard for hostile input, not a speed measurement:
    speed is measured by the scripts in bench/)."""
    import signal

    def _hung(signum, frame):
        raise AssertionError(f"did not finish within {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
