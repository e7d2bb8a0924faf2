"""The questionnaire definition: load, check, and the built-in instrument.

>>> from coprod import instrument
>>> inst = instrument.builtin()
>>> inst.languages
('en', 'fi', 'sv')
>>> [g.id for g in inst.groups]
['professional', 'volunteer', 'service_user']
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import CoprodError, DataError, DefinitionError, OptionError, OutputExistsError, Problem, VariableError
from .model import Choice, ChoiceList, Group, Instrument, Question, Scale, Section, Variable

BUILTIN = "accountability.yaml"
#: Read from their modules when first asked for: a command on a definition kept between runs (the built-in
#: instrument, a file checked before) needs neither the loader nor the YAML parser.
_LAZY = {"CheckReport": "checked", "check": "checked", "load": "checked", "check_text": "loader"}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "load", "check", "check_text", "builtin", "builtin_text", "builtin_path", "builtin_modules", "CheckReport",
    "Instrument", "Section", "Question", "ChoiceList", "Choice", "Group", "Scale", "Variable",
    "CoprodError", "DefinitionError", "DataError", "VariableError", "OptionError", "OutputExistsError", "Problem",
]


def builtin_path() -> Path:
    """Path of the built-in definition shipped with the package."""
    return Path(str(resources.files(__package__) / "builtin" / BUILTIN))


def builtin_text(modules=()) -> str:
    """The built-in definition as YAML text (what ``coprod init`` writes), with ``modules`` switched on.

    >>> "modules: [conciliation]" in builtin_text(["conciliation"])
    True
    """
    import re

    text = builtin_path().read_text(encoding="utf-8")
    unknown = [m for m in modules if m not in builtin_modules()]
    if unknown:
        raise OptionError(f"unknown module {unknown[0]!r} (modules: {', '.join(builtin_modules())})", param="module")
    if modules:
        line = "modules: [" + ", ".join(modules) + "]"
        text = re.sub(r"^modules: \[[^\]\n]*\]", lambda _: line, text, count=1, flags=re.M)
    return text


def builtin_modules() -> tuple[str, ...]:
    """Names of the optional modules of the built-in definition (``module_library``)."""
    return _builtin_module_names()


@lru_cache(maxsize=1)
def _builtin_source() -> bytes:
    return builtin_path().read_bytes()


@lru_cache(maxsize=1)
def _builtin_module_names() -> tuple[str, ...]:
    from . import cache

    name = cache.key(_builtin_source(), "module names")
    names = cache.load(name)
    if not (isinstance(names, tuple) and all(isinstance(n, str) for n in names)):
        tree, _ = _builtin_tree()
        names = tuple((tree.get("module_library") or {}).keys())
        cache.store(name, names)
    return names


def builtin(modules=()) -> Instrument:
    """The built-in instrument on perceived accountability and co-production experiences.

    ``modules`` switches optional modules on, e.g. ``builtin(("conciliation",))``.

    >>> builtin(("conciliation",)).modules
    ('conciliation',)
    """
    return _builtin(tuple(modules))


@lru_cache(maxsize=1)
def _builtin_tree():
    """The built-in definition's YAML parsed once per process: ``(tree, problems)`` of ``parse_yaml``.

    Every module set is built from this one tree (building never changes it), so a file of the built-in
    instrument is read with one parse however many module sets are tried."""
    from .yamlsource import parse_yaml

    return parse_yaml(builtin_text(), str(builtin_path()))


@lru_cache(maxsize=8)
def _builtin(modules: tuple[str, ...]) -> Instrument:
    """The built-in instrument with ``modules``: built once per process, and kept between runs
    (:mod:`~coprod.instrument.cache`) so that a command need not parse and build it each time."""
    from . import cache

    name = cache.key(_builtin_source(), "instrument", *modules)
    kept = cache.load(name)
    if isinstance(kept, Instrument):
        return kept
    from .loader import check_tree

    path = str(builtin_path())
    tree, problems = _builtin_tree()
    rep = check_tree(tree, list(problems), path, list(modules), all_modules=False)  # as load(path, modules)
    if not rep.ok:
        raise DefinitionError(rep.errors or [Problem(path, 0, "could not be loaded")])
    cache.store(name, rep.instrument)
    return rep.instrument
