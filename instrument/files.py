"""Writing output files safely: whole or not at all, never over an existing file without ``force``.

Also :func:`safe_text`, which keeps free text from turning into a spreadsheet formula.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import OutputExistsError

#: Leading characters that make Excel, LibreOffice or Google Sheets read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def check_writable(path: str | os.PathLike, force: bool = False) -> Path:
    """Raise :class:`OutputExistsError` if ``path`` exists and ``force`` is false."""
    p = Path(path)
    if p.exists() and not force:
        raise OutputExistsError(f"{p}: exists already")
    if p.exists() and p.is_dir():
        raise OutputExistsError(f"{p}: is a directory")
    return p


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "a.txt") as tmp:
    ...     _ = tmp.write_text("x")
    >>> (d / "a.txt").read_text()
    'x'
    """
    target = check_writable(path, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part" + target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if target.exists() and not force:  # appeared meanwhile
            raise OutputExistsError(f"{target}: exists already")
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | os.PathLike, text: str, force: bool = False) -> Path:
    """Write ``text`` (UTF-8) atomically."""
    with atomic_path(path, force) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(path: str | os.PathLike, data: bytes, force: bool = False) -> Path:
    """Write ``data`` atomically."""
    with atomic_path(path, force) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def safe_text(value):
    """Return ``value`` so that no spreadsheet reads it as a formula.

    Strings starting with ``= + - @``, tab, CR or LF get a leading apostrophe
    (the convention Excel itself uses for "this is text"); anything else is returned unchanged.
    Negative numbers stay numbers: only strings are touched.

    >>> safe_text("=HYPERLINK(\\"x\\")")
    '\\'=HYPERLINK("x")'
    >>> safe_text("-3")
    "'-3"
    >>> safe_text(-3)
    -3
    >>> safe_text("fine")
    'fine'
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def set_cell(cell, value):
    """Assign ``value`` to an openpyxl cell; a string is always stored as text, never as a formula.

    openpyxl turns any string that starts with ``=`` into a formula; here the cell's type is
    forced back to string, so Excel shows the text exactly as it was entered.
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
