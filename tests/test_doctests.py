"""The examples in every module's docstrings run as tests (numpydoc style, as pingouin does)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import coprod


def _modules() -> list[str]:
    names = ["coprod", "coprod.cli"]
    for info in pkgutil.walk_packages(coprod.__path__, "coprod."):
        if info.name.startswith(("coprod.tests", "coprod.bench")):
            continue
        names.append(info.name)
    return sorted(set(names))


@pytest.mark.parametrize("name", _modules())
def test_doctests(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
