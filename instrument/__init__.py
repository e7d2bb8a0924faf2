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
from .loader import CheckReport, check, check_text, load
from .model import Choice, ChoiceList, Group, Instrument, Question, Scale, Section, Variable

BUILTIN = "accountability.yaml"

__all__ = [
    "load", "check", "check_text", "builtin", "builtin_text", "builtin_path", "CheckReport",
    "Instrument", "Section", "Question", "ChoiceList", "Choice", "Group", "Scale", "Variable",
    "CoprodError", "DefinitionError", "DataError", "VariableError", "OptionError", "OutputExistsError", "Problem",
]


def builtin_path() -> Path:
    """Path of the built-in definition shipped with the package."""
    return Path(str(resources.files(__package__) / "builtin" / BUILTIN))


def builtin_text() -> str:
    """The built-in definition as YAML text (what ``coprod init`` writes)."""
    return builtin_path().read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def builtin() -> Instrument:
    """The built-in instrument on perceived accountability and co-production experiences."""
    return load(builtin_path())
