"""Writing output files safely: whole or not at all, never over an existing file without ``force``.

Every output is written to a temporary file beside its target and moved into place only when it is
complete (:func:`atomic_path`). Inside :func:`output_batch` the moves wait until the whole batch has
succeeded, so a run that writes several files (forms, data and its problem report, a report in
three formats) leaves all of them or none. A target that is a symbolic link, a directory or anything
but a regular file is refused (a link only without ``force``), so nothing is ever written through a
link or outside the named path. Operating-system failures (no space left, permission denied, a file
where a folder is needed) become :class:`OutputError` naming the path and the cause.

Also :func:`safe_text`, which keeps free text from turning into a spreadsheet formula.
"""
from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import OutputError, OutputExistsError

#: Leading characters that make Excel, LibreOffice or Google Sheets read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def os_cause(exc: OSError) -> str:
    """The cause of an operating-system error in words (``no space left on device``)."""
    if exc.errno == errno.ENOSPC:
        return "no space left on device"
    return (exc.strerror or type(exc).__name__).lower()


def check_writable(path: str | os.PathLike, force: bool = False) -> Path:
    """Raise :class:`OutputExistsError` if ``path`` exists and ``force`` is false.

    A symbolic link (even a dangling one) counts as existing; a directory, a device or a pipe is
    never replaced.
    """
    p = Path(path)
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return p
    except OSError as exc:  # e.g. a file where a folder is needed on the way
        raise OutputError(f"{p}: {os_cause(exc)}") from None
    if stat.S_ISLNK(st.st_mode):
        if not force:
            raise OutputExistsError(f"{p}: exists already (a symbolic link)")
        return p  # with force the link itself is replaced, never the file it points to
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{p}: is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{p}: is not a regular file")
    if not force:
        raise OutputExistsError(f"{p}: exists already")
    return p


class _Batch:
    """Completed temporary files waiting to be moved into place together."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path, bool]] = []
        self.made_dirs: list[Path] = []

    def commit(self) -> None:
        for _tmp, target, force in self.pending:  # check every target before moving any
            check_writable(target, force)
        done = []
        try:
            for tmp, target, _force in self.pending:
                _place(tmp, target)
                done.append(target)
        except BaseException:
            for target in done:  # only new files can be taken back; a forced replacement is final
                with contextlib.suppress(OSError):
                    target.unlink()
            raise
        finally:
            self.pending = [(tmp, target, f) for tmp, target, f in self.pending if target not in done]

    def rollback(self) -> None:
        for tmp, _target, _force in self.pending:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for d in reversed(self.made_dirs):
            with contextlib.suppress(OSError):
                d.rmdir()  # only if still empty


_BATCH: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("coprod_output_batch", default=None)


@contextlib.contextmanager
def output_batch() -> Iterator[None]:
    """Write every output of the block whole or not at all: files are moved into place at the end.

    Nested batches join the outer one. Code in the block must not read back a file it wrote.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> try:
    ...     with output_batch():
    ...         _ = write_text(d / "a.txt", "x")
    ...         raise KeyboardInterrupt
    ... except KeyboardInterrupt:
    ...     pass
    >>> sorted(p.name for p in d.iterdir())
    []
    """
    if _BATCH.get() is not None:
        yield
        return
    batch = _Batch()
    token = _BATCH.set(batch)
    try:
        yield
        batch.commit()
    finally:
        _BATCH.reset(token)
        batch.rollback()


@contextlib.contextmanager
def outside_batch() -> Iterator[None]:
    """Write at once inside the block, even within a batch (for work that reads back what it wrote)."""
    token = _BATCH.set(None)
    try:
        yield
    finally:
        _BATCH.reset(token)


def _make_parent(target: Path) -> None:
    missing = []
    d = target.parent
    while not d.exists() and d != d.parent:
        missing.append(d)
        d = d.parent
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{target.parent}: {os_cause(exc)}") from None
    batch = _BATCH.get()
    if batch is not None:
        batch.made_dirs.extend(reversed(missing))


def _place(tmp: Path, target: Path) -> None:
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"{target}: {os_cause(exc)}") from None


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.

    Inside :func:`output_batch` the move waits for the end of the batch.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "a.txt") as tmp:
    ...     _ = tmp.write_text("x")
    >>> (d / "a.txt").read_text()
    'x'
    """
    target = check_writable(path, force)
    _make_parent(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part" + target.suffix, dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: {os_cause(exc)}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    batch = _BATCH.get()
    try:
        try:
            yield tmp_path
        except OSError as exc:
            if isinstance(exc, OutputError):
                raise
            raise OutputError(f"{target}: {os_cause(exc)}") from None
        check_writable(target, force)  # appeared meanwhile?
        if batch is not None:
            batch.pending.append((tmp_path, target, force))
            return
        _place(tmp_path, target)
    finally:
        if tmp_path.exists() and not (batch is not None and any(p[0] == tmp_path for p in batch.pending)):
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


#: Characters XML 1.0 cannot hold (control characters other than tab, line feed and carriage return).
_NOT_XML = __import__("re").compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value):
    """``value`` with the characters a Word or Excel file cannot hold replaced by U+FFFD (shown as �).

    >>> xml_text("a\x07b")
    'a\ufffdb'
    >>> xml_text(3)
    3
    """
    if isinstance(value, str) and _NOT_XML.search(value):
        return _NOT_XML.sub("\ufffd", value)
    return value


def set_cell(cell, value):
    """Assign ``value`` to an openpyxl cell; a string is always stored as text, never as a formula.

    openpyxl turns any string that starts with ``=`` into a formula; here the cell's type is
    forced back to string, so Excel shows the text exactly as it was entered. Control characters
    a workbook cannot hold are replaced (:func:`xml_text`).
    """
    value = xml_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
