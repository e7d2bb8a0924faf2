"""Work beside the report: worker processes read part of a large data file and draw the charts.

A report of a large file (:data:`PARALLEL_FROM` bytes or more) on a machine with two or more
cores hands work to a :class:`~concurrent.futures.ProcessPoolExecutor`; so does the command line's
report of a small file with PNG charts (``build_report(..., workers=True)``), for its charts:

- **reading**: an uncompressed ``.sav`` of :data:`CHUNKED_READ_FROM` rows or more is read in
  row ranges (:func:`parts_of`).  The workers take them from the end of the file, this process from
  the start (after importing the statistics libraries, while the workers start); where the two
  meet, the rest is left to the workers.  A worker leaves its rows, pickled, in a file of a private
  folder in memory (``/dev/shm`` where there is one): through the pool's pipe they would wait
  while this process reads, which holds the interpreter lock;
- **charts**: each chart is handed over as soon as its counts are known; when the statistics are
  done, this process draws those no worker has started, from the last one back, and waits for the
  others.

The same functions make the same rows and the same PNG bytes wherever they run, so the report is
identical with or without workers.  The SHA-256 of the input runs in a thread (hashlib releases the
interpreter lock).

The workers are started with **spawn**, in every environment: forking a process that runs threads
(a Jupyter kernel, a web server, the report's own progress display) can deadlock, and spawn exists
on every platform.  The command line asks for **fork** on Linux (:func:`fork_workers`): its process has
one thread when the pool is made, the workers are forked at once, before any thread starts, and they
need not import pandas, the reader and the statistics again (about 0.4 s of CPU each); where the
process has other threads by then, or cannot fork, they are spawned all the same.  They start
once, when the first large report needs them, and stay for the next report of the same session.
Like any spawned process, a worker imports the calling script as a module: a script that calls the
report at its top level needs the usual ``if __name__ == "__main__":`` guard.  Workers ignore Ctrl-C
(this process stops the work and cancels what they have not started); where no process can be
started, everything is done here.
"""
from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from coprod.instrument.errors import interrupted

if TYPE_CHECKING:  # concurrent.futures is imported where a pool or a thread is made: not by every command
    from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor

#: Data from this size on (bytes of the file; in memory: values x 8) is worth the worker processes;
#: for smaller data starting them costs more than they save.
PARALLEL_FROM = 8_000_000
#: Worker processes at most (one core is left to the report itself).
MAX_WORKERS = 3
#: An uncompressed .sav with at least this many rows is read in parts, shared with the workers.
CHUNKED_READ_FROM = 50_000
#: Rows of a part (about), and parts at most: a worker is always handed two parts at once, so the
#: report may wait for up to two parts at the end; smaller parts cost a few ms each.
PART_ROWS = 10_000
MAX_PARTS = 16

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()
#: How the next pool's workers start: "spawn", or "fork" once asked for (:func:`fork_workers`).
_start_method = "spawn"


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count() -> int:
    """Worker processes for a report here: one core fewer than there are, at most :data:`MAX_WORKERS`."""
    return max(0, min(cores() - 1, MAX_WORKERS))


def worth_it(data) -> bool:
    """Whether the report of ``data`` (a path or responses) hands work to worker processes."""
    if worker_count() < 1:
        return False
    try:
        size = Path(data).stat().st_size if isinstance(data, (str, os.PathLike)) else int(data.data.size) * 8
    except (OSError, AttributeError, TypeError):
        return False
    return size >= PARALLEL_FROM


def _worker_init() -> None:
    """In each worker: Ctrl-C is for the report's own process, which stops the work."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # blocked while the worker was started (see _quiet_start)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def _quiet_start():
    """Ctrl-C held back while worker processes are started: a process started now inherits the
    block, which lasts until its initializer ignores Ctrl-C (so no worker ever shows a traceback)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()  # started now, it would unblock Ctrl-C again
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def fork_workers() -> None:
    """Workers made from now on are forked from this process (on Linux, where this process has one thread
    when they start), not spawned: for the command line, whose process is its own.  Not on macOS, where a
    child forked after system frameworks are loaded (NumPy's Accelerate) may crash, nor on Windows."""
    global _start_method
    import multiprocessing as mp
    import sys

    if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods():
        _start_method = "fork"


def shared_pool() -> ProcessPoolExecutor | None:
    """The worker processes (started at their first job and kept for later reports; forked workers at
    once); None where processes cannot be made."""
    global _pool
    forked = None
    with _pool_lock:
        if _pool is None:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            method = _start_method if threading.active_count() == 1 else "spawn"
            try:
                _pool = ProcessPoolExecutor(max_workers=max(1, worker_count()), mp_context=mp.get_context(method),
                                            initializer=_worker_init)
            except (OSError, NotImplementedError, ImportError, ValueError):  # no processes here (a sandbox, frozen)
                return None
            forked = _pool if method == "fork" else None
            import atexit

            atexit.register(_release, _pool)  # stopped while the interpreter is whole, not in its teardown
        pool = _pool
    if forked is not None:  # a forking pool makes all its workers at its first job: now, while there is one thread
        try:
            with _quiet_start():
                forked.submit(os.getpid)
        except (RuntimeError, OSError):
            _drop_pool(forked)
            return None
    return pool


def _release(pool) -> None:
    """At exit: the workers of ``pool`` stopped and the pool forgotten."""
    _drop_pool(pool)
    pool.shutdown(wait=True, cancel_futures=True)


def _broken(exc: BaseException) -> bool:
    """Whether ``exc`` says a worker died (its pool, made already, imported the class)."""
    from concurrent.futures.process import BrokenProcessPool

    return isinstance(exc, BrokenProcessPool)


def _drop_pool(pool) -> None:
    """Forget a pool whose worker died (the next report starts a new one)."""
    global _pool
    with _pool_lock:
        if _pool is pool:
            _pool = None


_quiet: list = []  # the threads of stopped pools (see _quiet_thread), once a hook filters them


def _quiet_thread(thread) -> None:
    """No traceback from ``thread`` (the pool's own, once its workers are stopped: before Python 3.12 it may
    fail to mark as failed a job cancelled already, InvalidStateError).  One hook, however many pools stop."""
    if thread is None:
        return
    if not _quiet:
        previous = threading.excepthook

        def hook(args):
            if not any(args.thread is t for t in _quiet):
                previous(args)

        threading.excepthook = hook
    _quiet.append(thread)


def _stop_pool(pool) -> None:
    """Stop the workers at once (after Ctrl-C, what they do is of no use); the next report starts new ones."""
    _drop_pool(pool)
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    _quiet_thread(getattr(pool, "_executor_manager_thread", None))
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    # A worker stopped while it sent a result leaves half a message in the pipe, and the pool's thread would
    # wait for the rest for ever (shutdown, and the exit, with it). This process never writes to that pipe:
    # with its own end closed, the thread reads the end of the pipe once the workers are gone.
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()
    pool.shutdown(wait=True, cancel_futures=True)


class Job:
    """One piece of work: done by a worker if one has started on it, else here.

    ``local`` (default ``fn``) is what is done here instead; ``finish`` turns a worker's result into
    the value (both give the same value).
    """

    def __init__(self, fn: Callable, args: tuple, future: Future | None = None, pool=None,
                 local: Callable | None = None, finish: Callable | None = None):
        self.fn, self.args, self.future, self.pool = fn, args, future, pool
        self.local = local or (lambda: fn(*args))
        self.finish = finish
        self._done, self._value = False, None

    def take_back(self) -> bool:
        """Do it here unless a worker has it; True when it was done here."""
        if self._done or (self.future is not None and not self.future.cancel()):
            return False
        self._value, self._done = self.local(), True
        return True

    def result(self):
        """The value: the worker's (waiting for it) or made here."""
        if not self._done and not self.take_back():
            try:
                value = self.future.result()
                self._value = self.finish(value) if self.finish is not None else value
            except Exception as exc:  # any failure over there: do it here, where an error shows as itself
                if _broken(exc):  # the worker died (killed, out of memory)
                    _drop_pool(self.pool)
                elif interrupted(exc):  # Ctrl-C here, wrapped by a library on its way: stop, do not redo
                    raise KeyboardInterrupt from exc
                self._value = self.local()
            self._done = True
        return self._value

    @staticmethod
    def results(jobs: list) -> list:
        """Values of ``jobs``: those no worker has started are done here, from the last one back."""
        for job in reversed(jobs):
            job.take_back()
        return [job.result() for job in jobs]


class Workers:
    """The work of one report beside its own process: jobs for the worker processes (``pool``; None:
    everything is done here) and a thread.  Closing it cancels what has not started; after Ctrl-C it
    also stops the workers and tells the thread to stop (``stop``)."""

    def __init__(self, parallel: bool):
        self.pool = shared_pool() if parallel else None
        self.jobs: list[Job] = []
        self.stop = threading.Event()
        self._threads: ThreadPoolExecutor | None = None
        self._folder: str | None = None

    def submit(self, fn: Callable, *args, local: Callable | None = None, finish: Callable | None = None) -> Job:
        """``fn(*args)``: handed to a worker when there are workers, else done here when asked for."""
        future = None
        if self.pool is not None:
            try:
                with _quiet_start():
                    future = self.pool.submit(fn, *args)
            except (RuntimeError, OSError) as exc:  # a worker died, or none can be started
                if not (isinstance(exc, OSError) or _broken(exc)):
                    raise
                _drop_pool(self.pool)
                self.pool = None
        job = Job(fn, args, future, self.pool, local, finish)
        self.jobs.append(job)
        return job

    def in_thread(self, fn: Callable, *args) -> Future:
        """``fn(*args)`` in a thread of this process (for work that releases the interpreter lock)."""
        if self._threads is None:
            from concurrent.futures import ThreadPoolExecutor

            self._threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coprod-report")
        return self._threads.submit(fn, *args)

    def folder(self) -> str:
        """A private folder, in memory where possible, for what the workers hand back; removed on close."""
        if self._folder is None:
            import tempfile

            shm = "/dev/shm"
            self._folder = tempfile.mkdtemp(prefix="coprod-", dir=shm if os.path.isdir(shm) and os.access(shm, os.W_OK)
                                            else None)
        return self._folder

    def close(self, interrupted: bool = False) -> None:
        """Cancel what no worker or thread has started (``interrupted``: stop what they have); remove
        the folder."""
        try:
            for job in self.jobs:
                if job.future is not None:
                    job.future.cancel()
            if interrupted:
                self.stop.set()
                if self.pool is not None and any(j.future is not None and not j.future.done() for j in self.jobs):
                    _stop_pool(self.pool)
        finally:  # even after a second Ctrl-C
            if self._threads is not None:
                self._threads.shutdown(wait=False, cancel_futures=True)
            if self._folder is not None:
                import shutil

                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, kind, *exc) -> None:
        self.close(interrupted=kind is not None and not issubclass(kind, Exception))


# ------------------------------------------------------------------------------- reading in parts
def _read_rows(path: str, offset: int, limit: int, folder: str | None = None, usecols: list | None = None):
    """Rows ``offset`` .. ``offset + limit - 1`` of a .sav (user-missing codes kept; the columns ``usecols``,
    or all); in a worker (``folder`` given), left pickled in a file there, whose name is returned."""
    import pyreadstat

    df = pyreadstat.read_sav(path, user_missing=True, row_offset=offset, row_limit=limit, usecols=usecols)[0]
    if folder is None:
        return df
    import pickle

    import tempfile

    fd, name = tempfile.mkstemp(prefix=f"rows-{offset}-", suffix=".pickle", dir=folder)
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(df, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return name


def _load_rows(name: str):
    """The rows a worker left in file ``name`` (which is removed)."""
    import pickle

    try:
        with open(name, "rb") as fh:
            return pickle.load(fh)
    finally:
        os.unlink(name)


def _layout(path: Path) -> tuple[int, int]:
    """Rows and columns of an uncompressed .sav (whose rows can be skipped to); (0, 0) for any other file."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(76)
        if head[:4] != b"$FL2" or head[72:76] != bytes(4):
            return 0, 0
        import pyreadstat

        meta = pyreadstat.read_sav(str(path), metadataonly=True)[1]
        return int(meta.number_rows or 0), len(meta.column_names)
    except Exception:  # unreadable here: the reader proper says why
        return 0, 0


def parts_of(rows: int) -> list[tuple[int, int]]:
    """(first row, number of rows) of each part a file of ``rows`` rows is read in.

    >>> parts_of(200_000)[:2], len(parts_of(200_000)), len(parts_of(50_000))
    ([(0, 12500), (12500, 12500)], 16, 5)
    """
    n = max(2, min(MAX_PARTS, rows // max(PART_ROWS, 1)))
    bounds = [rows * i // n for i in range(n + 1)]
    return [(lo, hi - lo) for lo, hi in zip(bounds[:-1], bounds[1:])]


class PartsRead:
    """``pyreadstat.read_sav`` of a large uncompressed .sav, its row ranges read at the same time by
    this process (from the start) and the workers (from the end); anything unexpected falls back to
    reading the whole file here.  Without workers, or for other files, it is ``pyreadstat.read_sav``.
    ``usecols``: the columns to read (as ``pyreadstat.read_sav``'s; all if None); ``layout``: the file's
    rows and columns (:func:`_layout`) when already known."""

    def __init__(self, work: Workers, path: Path, usecols: list | None = None, layout: tuple[int, int] | None = None):
        self.jobs: list[Job] = []
        self.usecols = None if usecols is None else list(usecols)
        rows = (layout or _layout(path))[0] if work.pool is not None else 0
        if rows < max(CHUNKED_READ_FROM, 2):
            return
        self.rows = rows
        parts = parts_of(rows)
        self.first = parts[0][1]
        where = os.path.abspath(path)  # a worker keeps the directory it started in
        folder = work.folder()
        jobs = {}
        for lo, n in reversed(parts[1:]):  # the workers start at the end
            jobs[lo] = work.submit(_read_rows, where, lo, n, folder, self.usecols,
                                   local=lambda lo=lo, n=n: _read_rows(where, lo, n, None, self.usecols),
                                   finish=_load_rows)
        self.jobs = [jobs[lo] for lo, _ in parts[1:]]

    def __call__(self, path, **kwargs):
        import pyreadstat

        asked = {"user_missing": True, **({} if self.usecols is None else {"usecols": self.usecols})}
        if not self.jobs or {k: (list(v) if k == "usecols" else v) for k, v in kwargs.items()} != asked:
            return pyreadstat.read_sav(path, **kwargs)
        first, meta = pyreadstat.read_sav(path, user_missing=True, row_limit=self.first, usecols=self.usecols)
        for job in self.jobs:  # on from the start, up to the first part a worker has started
            if not job.take_back():
                break
        parts = [first] + [job.result() for job in self.jobs]
        self.jobs = []
        if any(list(p.columns) != list(first.columns) or list(p.dtypes) != list(first.dtypes) for p in parts) \
                or sum(len(p) for p in parts) != self.rows:
            return pyreadstat.read_sav(path, **kwargs)
        import pandas as pd

        df = pd.concat(parts, ignore_index=True)
        meta.number_rows = self.rows
        return df, meta


@contextmanager
def parts_read(path: Path, usecols: list | None = None):
    """For a file large enough on a machine with cores to spare (:func:`worth_it`): a :class:`PartsRead` of
    ``path`` (the workers' jobs and folder closed afterwards); else None (``pyreadstat.read_sav`` itself).
    The statistics commands read a large file this way, as the report does; a few of its columns
    (``usecols``, fewer than half) are read at once (pyreadstat converts only those: quick already)."""
    layout = _layout(path) if worth_it(path) else (0, 0)
    if not layout[0] or (usecols is not None and 2 * len(usecols) < layout[1]):
        yield None
        return
    with Workers(True) as work:
        yield PartsRead(work, path, usecols, layout)
