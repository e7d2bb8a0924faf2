"""The built-in instrument kept between runs, so that a command does not parse and build it each time.

Parsing the built-in definition (170 KB of YAML) and building the instrument take about 0.15 s, a tenth
of a small command's run; reading the built instrument back takes 0.01 s.  The cache is a directory of
pickles: ``$COPROD_CACHE_DIR`` if set (``off`` switches the cache off), else ``$XDG_CACHE_HOME/coprod`` or
``~/.cache/coprod``.  An entry's name is a digest of everything it was made from: the definition's text,
the modules, the version of Python, and the size and time of every module of ``coprod.instrument``
(an upgrade or an edited source file makes a new entry).  An entry is read only from a directory
and file the user owns; one that cannot be read is rebuilt, one that cannot be written is skipped: the
cache never changes a result and never stops a command.  Stale entries are never read (delete the
directory to reclaim their space).
"""
from __future__ import annotations

import copyreg
import hashlib
import io
import os
import pickle
import sys
from pathlib import Path
from types import MappingProxyType

ENV = "COPROD_CACHE_DIR"
_FORMAT = b"coprod-instrument-cache 1\n"


def cache_dir() -> Path | None:
    """Where entries are kept, or None when the cache is off."""
    set_dir = os.environ.get(ENV)
    if set_dir is not None:
        return None if set_dir.strip().lower() in ("", "off", "0", "no") else Path(set_dir)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "coprod"


def _code_stamp() -> bytes:
    here = Path(__file__).parent
    parts = []
    for entry in sorted(os.scandir(here), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            st = entry.stat()
            parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts).encode()


def key(source: bytes, *parts: str) -> str:
    """The entry name for what is made from ``source`` (the definition's bytes) and ``parts``."""
    h = hashlib.blake2b(digest_size=20)
    for p in (source, _code_stamp(), sys.version.encode(), *[p.encode() for p in parts]):
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()


def _proxy(d: dict) -> MappingProxyType:
    return MappingProxyType(d)


def _reduce_proxy(m: MappingProxyType):
    return _proxy, (dict(m),)


def _owned(path: Path) -> bool:
    if not hasattr(os, "getuid"):  # Windows: the user's own profile directory
        return True
    return path.stat().st_uid == os.getuid()


def load(name: str):
    """The object kept under ``name``, or None (no cache, no entry, or an entry that cannot be read)."""
    d = cache_dir()
    if d is None:
        return None
    path = d / (name + ".pickle")
    try:
        if not (_owned(d) and _owned(path)):
            return None
        data = path.read_bytes()
        if not data.startswith(_FORMAT):
            return None
        return pickle.loads(data[len(_FORMAT):])
    except Exception:  # noqa: BLE001 - a cache that cannot be read is rebuilt
        return None


def store(name: str, obj) -> None:
    """Keep ``obj`` under ``name`` (written whole, then renamed into place), or nothing when that fails."""
    d = cache_dir()
    if d is None:
        return
    tmp = None
    try:
        buf = io.BytesIO()
        buf.write(_FORMAT)
        p = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
        p.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_proxy}
        p.dump(obj)
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = d / f".{name}.{os.getpid()}.tmp"
        tmp.write_bytes(buf.getvalue())
        os.replace(tmp, d / (name + ".pickle"))
    except Exception:  # noqa: BLE001 - a cache that cannot be written is skipped
        if tmp is not None:
            try:
                tmp.unlink()
            except OSError:
                pass
