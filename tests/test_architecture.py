"""The layout is a contract: layers checked with import-linter, module sizes, one installed name."""
from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIRS = ("instrument", "analysis")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _sources() -> list[Path]:
    files = [ROOT / "__init__.py", ROOT / "cli.py"]
    for d in PACKAGE_DIRS:
        files += sorted((ROOT / d).rglob("*.py"))
    return files


def test_import_layers_hold():
    """docs/architecture.md: definition <- forms, data <- stats | render <- report <- demo <- cli."""
    importlinter = pytest.importorskip("importlinter.cli")
    assert importlinter.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_every_package_is_installed():
    """Every folder with an __init__.py is listed in pyproject.toml, so a normal install has it."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {"coprod"} | {"coprod." + ".".join(p.parent.relative_to(ROOT).parts)
                          for d in PACKAGE_DIRS for p in (ROOT / d).rglob("__init__.py")}
    assert found == listed


def test_no_module_over_500_lines():
    long = {str(p.relative_to(ROOT)): n for p in _sources() if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    assert not long


def test_no_function_over_80_lines():
    """Functions stay readable; tables of data (module-level constants) are not functions."""
    long = {}
    for p in _sources():
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long[f"{p.relative_to(ROOT)}:{node.lineno} {node.name}"] = n
    assert not long


@pytest.mark.slow
def test_wheel_holds_only_coprod(tmp_path):
    """A normal install puts one import name, `coprod`, into site-packages (and its dist-info)."""
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
                       capture_output=True, text=True)
    if r.returncode:
        pytest.skip(f"cannot build a wheel here: {r.stderr.strip().splitlines()[-1:]}")
    (wheel,) = tmp_path.glob("coprod-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"coprod", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"}
    for must in ("coprod/__init__.py", "coprod/cli.py", "coprod/instrument/builtin/accountability.yaml",
                 "coprod/analysis/stats/compare.py", "coprod/instrument/forms/xlsform.py"):
        assert must in names
    assert not any(n.startswith(("coprod/tests", "coprod/bench", "coprod/docs")) for n in names)
