"""The kind of a data file, judged by its content, not its name."""
from __future__ import annotations

from pathlib import Path

from coprod.instrument.errors import DataError
from coprod.instrument.inputs import MAX_DATA_BYTES, input_problem

#: Kinds of file coprod reads, by content.
KINDS = ("sav", "zsav", "por", "dta", "xlsx", "csv")


def sniff(path) -> str:
    """The kind of data file at ``path``, judged by its first bytes; DataError when unreadable.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.xlsx"
    >>> _ = p.write_bytes(b"$FL2" + bytes(200))
    >>> sniff(p)
    'sav'
    """
    p = Path(path)
    problem = input_problem(p, MAX_DATA_BYTES)  # a pipe, device or folder is never opened
    if problem:
        raise DataError(f"{p}: {problem}")
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise DataError(f"{p}: cannot read ({exc.strerror or exc})") from None
    if not head:
        raise DataError(f"{p}: the file is empty")
    if head[:4] == b"$FL2":
        return "sav"
    if head[:4] == b"$FL3":
        return "zsav"
    if head[:4] == b"PK\x03\x04":
        return "xlsx"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataError(f"{p}: an old Excel (.xls) file or a password-protected workbook: save it as .xlsx "
                        "without a password and try again")
    if head.startswith(b"<stata_dta>") or (len(head) >= 4 and 102 <= head[0] <= 115 and head[1] in (1, 2)
                                           and head[2] == 1 and head[3] == 0):
        return "dta"
    if b"SPSS PORT FILE" in head[:512] or b"\xe2\xd7\xe2\xe2@\xd7\xd6\xd9\xe3@\xc6\xc9\xd3\xc5" in head[:512]:
        return "por"
    if head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"7z\xbc\xaf\x27\x1c":
        raise DataError(f"{p}: a compressed archive: unpack it first")
    if head[:4] == b"%PDF":
        raise DataError(f"{p}: a PDF document, not a data file")
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "csv"  # UTF-16 text (Excel's "Unicode text")
    if looks_binary(head):
        raise DataError(f"{p}: not a data file coprod can read (expected .sav, .zsav, .por, .dta, .xlsx or .csv)")
    return "csv"


def looks_binary(head: bytes) -> bool:
    """Whether the first bytes of a file are binary rather than text.

    >>> looks_binary(b"id,q1\\r\\n1,2\\r\\n"), looks_binary(b"\\x00\\x01id")
    (False, True)
    """
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 12))
    return controls > max(2, len(head) // 100)
