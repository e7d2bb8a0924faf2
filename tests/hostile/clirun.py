"""Run the coprod command in this process and capture what it prints and its exit status."""
from __future__ import annotations

import contextlib
import io
import signal
import sys
from dataclasses import dataclass


@dataclass
class Result:
    code: int
    out: str
    err: str


def coprod(*args) -> Result:
    from coprod import cli

    out, err = io.StringIO(), io.StringIO()
    argv, sigint = sys.argv, signal.getsignal(signal.SIGINT)
    sys.argv = ["coprod", *map(str, args)]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
        signal.signal(signal.SIGINT, sigint)  # the command's process ignores Ctrl-C once done; not this one
    return Result(code, out.getvalue(), err.getvalue())
