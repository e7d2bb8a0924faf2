"""The command line as a separate process: the console script, start-up time, exit codes, no tracebacks.

Everything else about the commands runs in-process through the ``cli`` fixture (conftest.py); these few
checks need a real interpreter: what is imported at start-up, how long ``--help`` takes, and what the
operating system sees as exit status and stderr.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from coprod import instrument

HEAVY = ("pandas", "scipy", "statsmodels", "openpyxl", "matplotlib", "pyreadstat", "numpy")


def _script() -> str:
    exe = Path(sys.executable).with_name("coprod")
    found = str(exe) if exe.exists() else shutil.which("coprod")
    assert found, "the coprod console script is not installed"
    return found


def _run(*args, env=None, cwd=None):
    return subprocess.run([*args], capture_output=True, text=True, timeout=120, env=env, cwd=cwd)


def _python(code: str, *args, debug=False):
    env = {k: v for k, v in os.environ.items() if k != "COPROD_DEBUG"}
    if debug:
        env["COPROD_DEBUG"] = "1"
    return _run(sys.executable, "-c", code, *args, env=env)


def test_console_script_answers_fast_and_imports_nothing_heavy(tmp_path):
    resource = pytest.importorskip("resource")  # CPU time of a child process (POSIX)
    (entry,) = [e for e in metadata.entry_points(group="console_scripts") if e.name == "coprod"]
    assert entry.value == "coprod.cli:main"
    exe = _script()
    r = _run(exe, "--help")  # also warms the file cache for the timing below
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.startswith("Usage: coprod ")
    for cmd in ("check", "forms", "import", "describe", "compare", "report", "demo"):
        assert f"  {cmd} " in r.stdout
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert _run(exe, "--help", cwd=tmp_path).returncode == 0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time of the child, not the clock: other work on a shared machine cannot fail it; typically ~0.15 s
    assert (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime) < 1.0
    r = _python("import sys; from coprod import cli; print([m for m in sys.argv[1:] if m in sys.modules])", *HEAVY)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr


def test_exit_codes_and_one_line_errors(tmp_path):
    exe = _script()
    r = _run(exe, "check", str(instrument.builtin_path()))
    assert r.returncode == 0 and ": ok: " in r.stdout and r.stderr == ""
    r = _run(exe, "check", str(tmp_path / "missing.yaml"))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_internal_error_is_one_line_exit_3_and_traceback_on_request():
    """A bug in coprod: one line and exit 3; ``COPROD_DEBUG=1`` adds the traceback (``--debug``: test_cli_basics)."""
    code = ("import coprod.instrument.summary as s\n"
            "def broken(*a, **k): raise RuntimeError('boom')\n"
            "s.summary_text = broken\n"
            "from coprod import cli; cli.main()")
    message = "error: internal error (RuntimeError: boom); please report it (--debug shows the traceback)"
    r = _python(code, "info")
    assert r.returncode == 3 and r.stdout == "" and r.stderr == message + "\n"
    r = _python(code, "info", debug=True)
    first, *rest = r.stderr.splitlines()
    assert r.returncode == 3 and first == message
    assert rest[0] == "Traceback (most recent call last):" and rest[-1] == "RuntimeError: boom"


def test_compare_small_file_no_statsmodels_no_integrating_quantile(tmp_path):
    # the Welch test and Games-Howell intervals, the heaviest default path, on a small survey; SciPy's
    # studentized_range.ppf integrates numerically (~0.1-0.5 s a call): it is patched to fail
    import coprod

    inst = coprod.builtin()
    data = tmp_path / "survey.sav"
    coprod.write_responses(coprod.score(coprod.simulated_responses(inst, n=300, seed=2026), inst), data)
    code = (
        "import sys\n"
        "import scipy.stats\n"
        "def _no(*a, **k): raise RuntimeError('studentized_range.ppf called')\n"
        "scipy.stats.studentized_range.ppf = _no\n"
        "scipy.stats.studentized_range._ppf = _no\n"
        "sys.argv = ['coprod'] + sys.argv[1:]\n"
        "from coprod.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    rc = e.code\n"
        "print('STATSMODELS' if any(m.split('.')[0] == 'statsmodels' for m in sys.modules) else 'CLEAN', rc)\n"
    )
    for extra in ([], ["--test", "welch-anova", "--posthoc", "games-howell"], ["--test", "anova", "--posthoc", "tukey"]):
        r = _python(code, "compare", str(data), "--by", "role", *extra)
        assert "studentized_range.ppf called" not in r.stdout + r.stderr
        assert r.stdout.strip().splitlines()[-1] == "CLEAN 0", r.stderr[-2000:]
        assert ("Games-Howell" if extra[1:2] != ["anova"] else "Tukey HSD") in r.stdout  # post hoc tables shown


def _modules_of_run(tmp_path, *args) -> tuple[set, str]:
    """The top-level modules a whole ``coprod`` run imported, and its stdout."""
    code = (
        "import sys\n"
        "sys.argv = ['coprod'] + sys.argv[1:]\n"
        "from coprod.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    rc = e.code\n"
        "print('MODULES', rc, ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    r = _python(code, *args)
    last = r.stdout.strip().splitlines()[-1].split()
    assert last[:2] == ["MODULES", "0"], r.stderr[-2000:]
    return set(last[2:]), r.stdout


@pytest.fixture(scope="module")
def demo_sav(tmp_path_factory):
    import coprod

    inst = coprod.builtin()
    data = tmp_path_factory.mktemp("demo") / "survey.sav"
    coprod.write_responses(coprod.score(coprod.simulated_responses(inst, n=120, seed=7), inst), data)
    return data


@pytest.mark.parametrize("command", ["describe", "frequencies", "reliability"])
def test_describe_frequencies_reliability_import_no_scipy(tmp_path, demo_sav, command):
    # the t interval of the mean and Feldt's F interval are computed without scipy.special, omega's
    # minres fit is polished without scipy.optimize
    mods, out = _modules_of_run(tmp_path, command, str(demo_sav), "--by", "role", "--min-cell", "3")
    assert not mods & {"scipy", "statsmodels", "matplotlib", "openpyxl"}, mods
    assert "trust_integ" in out


def test_the_builtin_instrument_is_kept_between_runs(tmp_path, demo_sav):
    """A file of the built-in instrument: the first run builds the instrument and keeps it
    (coprod.instrument.cache), the next reads it back, with no YAML parser imported."""
    env_dir = tmp_path / "cache"
    os.environ["COPROD_CACHE_DIR"], before = str(env_dir), os.environ.get("COPROD_CACHE_DIR")
    try:
        first, out1 = _modules_of_run(tmp_path, "describe", str(demo_sav))
        kept = sorted(p.name for p in env_dir.glob("*.pickle"))
        second, out2 = _modules_of_run(tmp_path, "describe", str(demo_sav))
    finally:
        if before is None:
            del os.environ["COPROD_CACHE_DIR"]
        else:
            os.environ["COPROD_CACHE_DIR"] = before
    assert "yaml" in first and "yaml" not in second
    assert len(kept) >= 1 and sorted(p.name for p in env_dir.glob("*.pickle")) == kept
    assert out1.splitlines()[:-1] == out2.splitlines()[:-1] and "trust_integ" in out2  # the last: the modules


def test_a_definition_file_is_kept_between_runs(tmp_path, demo_sav):
    """A definition given with -i: the first run reads and builds it, the next reads the check report
    back (instrument/checked.py) with neither the YAML parser nor the loader imported."""
    import coprod

    definition = tmp_path / "mine.yaml"
    definition.write_text(coprod.instrument.builtin_text(), encoding="utf-8")
    env_dir = tmp_path / "cache"
    os.environ["COPROD_CACHE_DIR"], before = str(env_dir), os.environ.get("COPROD_CACHE_DIR")
    code = ("import sys\nsys.argv = ['coprod'] + sys.argv[1:]\nfrom coprod.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    rc = e.code\n"
            "print('LOADER', rc, 'coprod.instrument.loader' in sys.modules, 'yaml' in sys.modules)\n")
    try:
        runs = [_python(code, "describe", str(demo_sav), "-i", str(definition)) for _ in range(2)]
    finally:
        if before is None:
            del os.environ["COPROD_CACHE_DIR"]
        else:
            os.environ["COPROD_CACHE_DIR"] = before
    last = [r.stdout.strip().splitlines()[-1] for r in runs]
    assert last == ["LOADER 0 True True", "LOADER 0 False False"], [r.stderr[-1000:] for r in runs]
    assert runs[0].stdout.splitlines()[:-1] == runs[1].stdout.splitlines()[:-1]
    assert "trust_integ" in runs[1].stdout


def _scipy_submodules(*args) -> tuple[set, str]:
    """The ``scipy.*`` modules a whole ``coprod`` run imported, and its stdout."""
    code = (
        "import sys\n"
        "sys.argv = ['coprod'] + sys.argv[1:]\n"
        "from coprod.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    rc = e.code\n"
        "print('SUBMODULES', rc, ' '.join(sorted(m for m in sys.modules if m.startswith('scipy.'))))\n"
    )
    r = _python(code, *args)
    last = r.stdout.strip().splitlines()[-1].split()
    assert last[:2] == ["SUBMODULES", "0"], r.stderr[-2000:]
    return set(last[2:]), r.stdout


@pytest.mark.parametrize("extra", [[], ["--test", "welch-anova", "--posthoc", "games-howell"]])
def test_compare_imports_no_scipy(tmp_path, demo_sav, extra):
    # the distributions are analysis.stats.specfun's (scipy.special's functions, without importing SciPy: a
    # third of a small compare's time), the studentized range its own quadrature; scale scores have
    # decimals: their mid-ranks are sorted here, not by scipy.stats.rankdata (~1 s to import)
    mods, out = _modules_of_run(tmp_path, "compare", str(demo_sav), "--by", "role", "--min-cell", "3", *extra)
    assert "scipy" not in mods, sorted(_scipy_submodules("compare", str(demo_sav), "--by", "role", *extra)[0])
    assert "trust_integ" in out and ("Games-Howell" in out or not extra)


@pytest.mark.parametrize("command", ["nonresponse", "report"])
def test_fisher_and_the_report_import_no_scipy(tmp_path, demo_sav, command):
    # Fisher's exact test of a 2 x 2 table (non-response by group) is computed without scipy.stats (~1 s to
    # import), its log-gammas and every test's distribution without scipy.special (analysis.stats.specfun)
    out = ["--out", str(tmp_path / "r.html")] if command == "report" else []
    mods, _ = _modules_of_run(tmp_path, command, str(demo_sav), "--by", "role", *out)
    assert "scipy" not in mods, sorted(_scipy_submodules(command, str(demo_sav), "--by", "role", *out)[0])


def test_invariance_imports_neither_scipy_optimize_nor_statsmodels(tmp_path, demo_sav):
    # the models are fitted by Newton's method (scipy's trust region only when that fails), the chi-square
    # and normal tails and the RMSEA interval's noncentral chi-square are computed without scipy.special
    code = (
        "import sys\n"
        "sys.argv = ['coprod'] + sys.argv[1:]\n"
        "from coprod.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    rc = e.code\n"
        "print('SUBMODULES', rc, ' '.join(sorted(m for m in sys.modules if m.startswith(('scipy', 'statsmodels')))))\n"
    )
    out = tmp_path / "inv.json"
    r = _python(code, "invariance", str(demo_sav), "--by", "role", "--min-n", "20", "--format", "json", "--out", str(out))
    last = r.stdout.strip().splitlines()[-1].split()
    assert last[:2] == ["SUBMODULES", "0"], r.stderr[-2000:]
    assert not {m for m in last[2:] if m.startswith(("scipy.optimize", "scipy.special", "statsmodels"))}, last
    assert '"cfa_fit"' in out.read_text() and "invariance" in r.stderr


def test_installed_versions_as_importlib_metadata_finds_them(tmp_path):
    from coprod.analysis.report.provenance import installed_version

    for name in ("coprod", "scipy", "statsmodels", "pandas", "numpy", "pyreadstat", "PyYAML", "no-such-package-x"):
        try:
            expected = metadata.version(name)
        except metadata.PackageNotFoundError:
            expected = "unknown"
        assert installed_version(name) == expected, name
    code = ("import sys; from coprod.analysis.report.provenance import installed_version as v; "
            "print(v('numpy'), v('coprod'), 'importlib.metadata' in sys.modules)")
    r = _run(sys.executable, "-c", code, cwd=tmp_path)  # from the dist-info folder's name, without importlib.metadata
    assert r.stdout.split() == [metadata.version("numpy"), metadata.version("coprod"), "False"], r.stderr


def test_the_exit_sweep_skips_what_the_run_left_alive(demo_sav):
    """At exit the cycle collector sweeps every object alive once more; a run freezes them first (an exit
    handler, :func:`coprod.instrument.errors.run_over`).  Checked by a handler registered before the run, which
    runs after the run's own (handlers run last in, first out); the objects are not frozen while the run ends."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('FROZEN', gc.get_freeze_count() > 1000))\n"
        "sys.argv = ['coprod'] + sys.argv[1:]\n"
        "from coprod.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    print('RC', e.code)\n"
        "print('BEFORE EXIT', gc.get_freeze_count())\n"
    )
    r = _python(code, "describe", str(demo_sav), "--by", "role")
    lines = r.stdout.strip().splitlines()
    assert lines[-3:] == ["RC 0", "BEFORE EXIT 0", "FROZEN True"], r.stderr[-2000:]


def test_the_data_libraries_are_loaded_frozen_for_a_data_command_only():
    """A command that reads data has NumPy, pandas and pyreadstat imported first, with the cycle collector
    paused, and their objects frozen while it runs (the collector would walk them again and again); they are
    unfrozen after it, and the collector is as it was.  ``--help`` and the commands without data load nothing."""
    import gc

    from coprod.instrument.errors import one_command

    frozen, enabled, threshold = gc.get_freeze_count(), gc.isenabled(), gc.get_threshold()
    with one_command(preload=("json",)):
        assert gc.get_freeze_count() > frozen and gc.isenabled() == enabled
    assert (gc.get_freeze_count(), gc.isenabled(), gc.get_threshold()) == (frozen, enabled, threshold)
    with one_command():
        assert gc.get_freeze_count() == frozen
    code = ("import sys\nsys.argv = ['coprod'] + sys.argv[1:]\nfrom coprod.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    pass\n"
            "print('PANDAS', 'pandas' in sys.modules)\n")
    assert _python(code, "describe", "--help").stdout.strip().splitlines()[-1] == "PANDAS False"
    assert _python(code, "schema").stdout.strip().splitlines()[-1] == "PANDAS False"
