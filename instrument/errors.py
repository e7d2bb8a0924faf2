"""Exceptions raised by coprod.

Every problem a user can cause (a bad definition, a corrupt data file, an unknown
variable, an existing output file) raises a :class:`CoprodError` subclass.  The
command-line interface turns each into one ``error: ...`` line on stderr and exit
status 2; library callers catch them like any other exception.
"""
from __future__ import annotations

from dataclasses import dataclass


class CoprodError(Exception):
    """Base class of every error coprod raises on purpose."""

    def lines(self) -> list[str]:
        """The message as the lines the CLI prints (one, for most errors)."""
        return [str(self)]


@dataclass(frozen=True)
class Problem:
    """One problem in a questionnaire definition, located by file and line."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path  # line 0: the file as a whole
        return f"{where}: {self.message}"


class DefinitionError(CoprodError):
    """A questionnaire definition could not be loaded; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "invalid definition"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{first}{more}")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class DataError(CoprodError):
    """A data file cannot be read or does not fit what was asked of it."""


class VariableError(DataError):
    """A variable named by the user does not exist in the data."""


class OutputExistsError(CoprodError):
    """An output file exists and ``force`` was not given."""


class OptionError(CoprodError):
    """An option or argument has a value coprod cannot use."""
