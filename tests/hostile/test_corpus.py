"""Every reading command on every hostile file: `error:` lines with exit 2 (one for a data file; a
definition lists each of its problems), or success; never a traceback or an internal error (exit 3)."""
from __future__ import annotations

import pytest

from clirun import coprod
from corpus import corpus


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return corpus(tmp_path_factory.mktemp("corpus"))


def _clean(r, what, one_line=True):
    assert r.code in (0, 2), (what, r.code, r.err)
    assert "Traceback" not in r.err + r.out and "internal error" not in r.err, (what, r.err)
    if r.code == 2:
        lines = r.err.strip().splitlines()
        errors = [ln for ln in lines if ln.startswith("error: ")]
        assert errors and all(ln.startswith(("error: ", "warning: ")) for ln in lines), (what, r.err)
        assert len(lines) == 1 or not one_line, (what, r.err)


@pytest.mark.parametrize("command", ["check", "info"])
def test_definition_commands(files, command):
    for p in files:
        _clean(coprod(command, p), f"{command} {p.name}", one_line=False)


@pytest.mark.parametrize("command", [("import",), ("describe",)])
def test_data_commands(files, command):
    for p in files:
        _clean(coprod(*command, p), f"{command[0]} {p.name}")


def test_report(files, tmp_path):
    for i, p in enumerate(files):
        out = tmp_path / f"r{i}.html"
        r = coprod("report", p, "--out", out)
        _clean(r, f"report {p.name}")
        assert out.exists() == (r.code == 0), p.name
