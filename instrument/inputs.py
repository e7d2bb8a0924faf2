"""Input files checked before they are opened: regular files only, and no larger than a cap.

A pipe (FIFO) would block the run until something writes to it, a device such as ``/dev/zero`` (also
behind a symbolic link) never ends, and a folder is not a file: all are refused naming the path.
Opening is never attempted for them, so nothing hangs.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

#: The largest response file read (1 GiB): a survey export is far smaller, and reading needs several
#: times the file's size in memory.
MAX_DATA_BYTES = 1024 ** 3
#: The largest definition or XLSForm read (10 MiB).
MAX_DEFINITION_BYTES = 10 * 1024 ** 2

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _size(n: int) -> str:
    if n < 1024 ** 2:
        return f"{n:,} bytes"
    return f"{n / 1024 ** 3:.1f} GiB" if n >= 1024 ** 3 else f"{n / 1024 ** 2:.0f} MiB"


def input_problem(path, max_bytes: int) -> str | None:
    """Why ``path`` cannot be read as an input file (without opening it), or None when it can.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> input_problem(d, 10)
    'is a folder, not a file'
    >>> input_problem(d / "none.csv", 10)
    'no such file'
    >>> _ = (d / "big.csv").write_text("x" * 20)
    >>> input_problem(d / "big.csv", 10)
    'is 20 bytes; at most 10 bytes is read'
    """
    p = Path(path)
    try:
        st = os.stat(p)  # follows links: a link to /dev/zero is a device
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot read ({(exc.strerror or type(exc).__name__).lower()})"
    if not stat.S_ISREG(st.st_mode):
        what = next((word for test, word in _KINDS if test(st.st_mode)), "not a regular file")
        link = f" (a link to {os.path.realpath(p)})" if p.is_symlink() else ""
        return f"is {what}{link}, not a file" if what == "a folder" else f"is {what}{link}, not a regular file"
    if st.st_size > max_bytes:
        return f"is {_size(st.st_size)}; at most {_size(max_bytes)} is read"
    return None
