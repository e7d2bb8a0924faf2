"""A definition file checked, or read back from the cache: :class:`CheckReport`, :func:`check` and :func:`load`.

Light on imports: a definition checked before (the same bytes at the same path, the same modules, the
same code) is read back from :mod:`~coprod.instrument.cache` without the loader and the YAML parser
(30 ms of a command's start); only a new or edited file is read and built by :mod:`~coprod.instrument.loader`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .errors import DefinitionError, Problem
from .inputs import MAX_DEFINITION_BYTES, input_problem


@dataclass
class CheckReport:
    """What :func:`check` found: the instrument (when it could be built) and every problem."""

    path: str
    instrument: m.Instrument | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and self.instrument is not None


def check(path: str | Path, modules=None, all_modules: bool = True) -> CheckReport:
    """Check a definition file (YAML, or an XLSForm ``.xlsx``) and report every problem.

    A file checked before (the same bytes at the same path, the same modules, the same code) is not read
    and built again: its report is kept between runs (:mod:`~coprod.instrument.cache`).
    """
    from . import cache

    p = str(path)
    name = data = None
    if not input_problem(p, MAX_DEFINITION_BYTES):  # a regular file of a definition's size (never a pipe)
        try:
            with open(p, "rb") as fh:
                data = fh.read()
            name = cache.key(data, "check", p, repr(modules), repr(all_modules))
        except OSError:
            pass
    kept = cache.load(name) if name else None
    if isinstance(kept, CheckReport):
        return kept
    from .loader import check_file

    rep = check_file(p, modules, all_modules, data)  # the bytes of the key, not the file read again
    if name:
        cache.store(name, rep)
    return rep


def load(path: str | Path, modules=None) -> m.Instrument:
    """Load a definition; raise :class:`DefinitionError` listing every error.

    ``modules`` (a list of names) switches modules of the definition's library on instead of its
    own ``modules`` list.
    """
    rep = check(path, modules, all_modules=False)
    if not rep.ok:
        raise DefinitionError(rep.errors or [Problem(str(path), 0, "could not be loaded")])
    return rep.instrument
