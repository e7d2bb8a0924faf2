"""Exceptions raised by coprod.

Every problem a user can cause (a bad definition, a corrupt data file, an unknown
variable, an existing output file) raises a :class:`CoprodError` subclass. Where the
cause is a bad value the class is also a :class:`ValueError`, and an output problem is
also an :class:`OSError`, so library callers catch them like any other exception. The
messages speak of data, definitions and arguments, never of command-line flags: the
command line alone turns an error into one ``error: ...`` line on stderr and exit
status 2, naming its own flag for the argument (:attr:`OptionError.param`).

    CoprodError
    ├── DefinitionError (ValueError)   a definition with problems, each with file:line
    ├── DataError (ValueError)         a data file that cannot be read or does not fit
    │   └── VariableError              a variable that is not in the data
    ├── OptionError (ValueError)       an argument a function cannot use
    └── OutputError (OSError)          an output that cannot be written
        └── OutputExistsError          ... because it exists and ``force`` was not given

>>> err = OptionError("unknown test 'x'", param="test")
>>> str(err), err.param, isinstance(err, ValueError)
("test: unknown test 'x'", 'test', True)
"""
from __future__ import annotations

from contextlib import contextmanager
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


class DefinitionError(CoprodError, ValueError):
    """A questionnaire definition could not be loaded; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "invalid definition"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{first}{more}")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class DataError(CoprodError, ValueError):
    """A data file cannot be read or does not fit what was asked of it."""


class VariableError(DataError):
    """A variable named by the user does not exist in the data."""


class OutputError(CoprodError, OSError):
    """An output cannot be written (the message names the path and the cause)."""

    def __str__(self) -> str:  # OSError would format a (errno, message) pair
        return str(self.args[0]) if self.args else ""


class OutputExistsError(OutputError, FileExistsError):
    """An output file exists and ``force`` was not given."""


class OptionError(CoprodError, ValueError):
    """An argument has a value coprod cannot use.

    ``param`` names the argument of the library function (``by``, ``test``, ``out`` ...);
    the command line shows its own flag for it instead.
    """

    def __init__(self, message: str, param: str | None = None):
        self.message = message
        self.param = param
        super().__init__(f"{param}: {message}" if param else message)

    def __reduce__(self):  # keep ``param`` across processes
        return (type(self), (self.message, self.param))


def interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` was caused by Ctrl-C: a KeyboardInterrupt among its causes (a library may wrap it).

    >>> try:
    ...     try:
    ...         raise KeyboardInterrupt
    ...     except KeyboardInterrupt as ki:
    ...         raise RuntimeError("Error calling __set_name__") from ki
    ... except RuntimeError as exc:
    ...     interrupted(exc), interrupted(ValueError("x"))
    (True, False)
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def error_lines(exc: CoprodError, flags: dict | None = None) -> list[str]:
    """The ``error:`` lines for a library error, naming a command line's flags (``flags``: argument →
    flag where it is not ``--`` and the argument's name with hyphens).

    >>> error_lines(OptionError("unknown correction 'x'", param="adjust"))
    ["--adjust: unknown correction 'x'"]
    >>> error_lines(OptionError("unknown format", param="fmt"), {"fmt": "--format"})
    ['--format: unknown format']
    >>> error_lines(OutputExistsError("out.csv: exists already"))
    ['out.csv: exists already (use --force to replace it)']
    """
    if isinstance(exc, OptionError) and exc.param:
        return [f"{(flags or {}).get(exc.param, '--' + exc.param.replace('_', '-'))}: {exc.message}"]
    if isinstance(exc, OutputExistsError):
        return [f"{exc} (use --force to replace it)"]
    return exc.lines()


def debug_asked(argv: list) -> bool:
    """``--debug`` anywhere on the command line (taken out of ``argv``), or ``COPROD_DEBUG=1``: show the
    traceback of an internal error."""
    import os

    flag = "--debug" in argv[1:] and (argv.remove("--debug") is None)
    return flag or os.environ.get("COPROD_DEBUG", "") not in ("", "0")


def run_over() -> None:
    """The command-line run is over (its files written, or taken back): Ctrl-C is ignored from now on. While
    Python shuts down it could stop nothing, and would only end the process by the signal, with no line
    said.  (The main thread only: signals are set there.)

    The interpreter's last act (after the handlers of :mod:`atexit`) is a full sweep of the cycle collector
    over every object alive, pandas' and NumPy's modules included: 50-70 ms of a short run, spent finding
    no garbage in memory the system takes back at exit anyway.  ``gc.freeze`` as an exit handler
    takes those objects out of the sweep (objects are still freed; the other exit handlers, finalizers
    registered with ``weakref.finalize`` among them, still run)."""
    import atexit
    import gc
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    atexit.unregister(gc.freeze)  # once, however often a process runs a command (tests run many)
    atexit.register(gc.freeze)


@contextmanager
def one_command(debug: bool = False, preload: tuple = ()):
    """The settings of one command-line run: Python's cycle collector looks for garbage after 100,000 new
    objects instead of 700 (a short run frees its memory at exit), and the libraries' own warnings (NumPy's
    overflow, pandas' performance hints) are not printed over coprod's notes unless ``debug``: the notes say
    in words what a warning would (e.g. why a statistic is empty).

    ``preload``: modules the command will import (the data libraries), imported first with the collector
    paused and then frozen (``gc.freeze``): the collector would otherwise walk their half a million objects,
    none of them garbage, several times over (about 25 ms of a run); it still collects what the command
    makes.  Unfrozen when the run is over, so a process running commands one after another (tests) keeps
    collecting everything."""
    import gc
    import importlib
    import warnings

    before, enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(100_000, 50, 100)
    try:
        if preload:
            gc.disable()
            try:
                for name in preload:
                    importlib.import_module(name)
            finally:
                gc.freeze()
                if enabled:
                    gc.enable()
        with warnings.catch_warnings():
            if not debug:
                warnings.simplefilter("ignore")
            yield
    finally:
        if preload:
            gc.unfreeze()
        gc.set_threshold(*before)


@contextmanager
def command_asked(app, argv: list):
    """The typer ``app`` with only the command (or command group) that ``argv[1]`` names while it runs:
    typer makes the options of every command before it runs one, 15 ms of each start.  Any other first
    argument (an option, a misspelt name) leaves the whole app, which answers it."""
    from typer.main import get_command_name

    name = argv[1] if len(argv) > 1 else ""
    cmds = [c for c in app.registered_commands if (c.name or get_command_name(c.callback.__name__)) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not cmds and not groups:
        yield
        return
    saved = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = cmds, groups
    try:
        yield
    finally:
        app.registered_commands, app.registered_groups = saved
